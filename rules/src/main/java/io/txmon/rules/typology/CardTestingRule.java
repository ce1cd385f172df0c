package io.txmon.rules.typology;

import io.txmon.events.codec.Channel;
import io.txmon.events.codec.PaymentDecoder;
import io.txmon.events.codec.Severity;
import io.txmon.rules.AlertRecord;
import io.txmon.rules.RuleContext;
import io.txmon.rules.TxEvent;
import io.txmon.rules.state.AccountStore;
import io.txmon.rules.state.StateReader;
import io.txmon.rules.state.StateWriter;

import static io.txmon.rules.typology.ParameterChecks.atLeast;
import static io.txmon.rules.typology.ParameterChecks.check;
import static io.txmon.rules.typology.ParameterChecks.positive;
import static io.txmon.rules.typology.ParameterChecks.range;
import static io.txmon.rules.typology.ParameterChecks.set;

/**
 * Card testing / rapid follow-up: at least {@code minSmallPayments} small card payments (channel CARD,
 * amount at most {@code smallLimit} minor units, whatever the currency) from one debtor, followed within
 * the window by a payment from it of at least {@code largeAmount} (any channel). Keyed on the debtor.
 * <p>
 * A small payment counts for a large one when {@code small.time <= large.time} and
 * {@code large.time - small.time < windowNanos}. The small payments that raised an alert are consumed: a
 * second large payment needs a fresh burst of small ones to alert again.
 * <p>
 * Evidence: every small payment counted, then the large (triggering) one. Score: 500 with exactly
 * {@code minSmallPayments}, plus 100 for each further small payment, at most 1000.
 * <p>
 * Per-key memory: a {@link WindowRing} of at most {@code maxSmallTracked} small payments, records of two longs in one
 * {@code long[]} (time, offset; 16 bytes per entry), in an object of 32 bytes with its size and newest time, so 48
 * bytes of object and array header per debtor: 80 bytes with 2 entries allocated, 112 with 4. It is created with 2
 * entries (or {@code maxSmallTracked} if fewer) on the debtor's first small card payment and doubled as needed up
 * to {@code maxSmallTracked}. The ring is kept in a column of the worker's {@link AccountStore} (the rule's own
 * store until {@link #bind}) and goes when the store evicts the debtor (idle or over the cap): its small payments
 * are forgotten, and the ring, emptied but with the array it had grown, is kept for the next debtor to make one.
 * When it is full the oldest small payment is dropped and counted in {@link #droppedEntries()}.
 * <p>
 * State in a snapshot: the number of debtors with a ring (int), then per debtor, in ascending order of id (read
 * back in any order, each once), its id and the event time of its newest small payment (longs), the ring's size
 * (int, 0 to {@code maxSmallTracked}), its times and its offsets
 * (longs, in slot order: the order of the evidence, and which entry a full ring replaces). Empty rings are
 * written too: their newest time still bounds the next purge. {@link #droppedEntries()} and
 * {@link #lateEvents()} are monitoring only and are not written.
 * <p>
 * Single threaded: one instance belongs to one rule worker.
 */
public final class CardTestingRule extends TypologyRule<CardTestingRule.Parameters>
{
    /** Stable rule id. */
    public static final int ID = 14;
    /** Version of the logic. */
    public static final int VERSION = 2;
    /** Name of the typology. */
    public static final String NAME = "card-testing";

    private static final int CARD = Channel.CARD.value();

    /**
     * Parameters of card-testing.
     *
     * @param minSmallPayments small card payments in the window that, followed by a large payment, alert;
     *                         default 5.
     * @param smallLimit       largest amount of a small payment, in minor units; default 200.
     * @param largeAmount      smallest amount of the follow-up payment, in minor units, above
     *                         {@code smallLimit}; default 50,000.
     * @param windowNanos      longest time, exclusive, from a small payment to the large one, in event-time
     *                         nanoseconds; default 10 minutes.
     * @param maxSmallTracked  small payments kept per debtor, {@code minSmallPayments} to 63; default 32.
     * @param severity         of the alerts; default {@link Severity#HIGH}.
     */
    public record Parameters(
        int minSmallPayments, long smallLimit, long largeAmount, long windowNanos, int maxSmallTracked, Severity severity)
    {
        /** Default parameters. */
        public static final Parameters DEFAULTS =
            new Parameters(5, 200L, 50_000L, 600L * 1_000_000_000L, 32, Severity.HIGH);

        /**
         * Validates every parameter.
         *
         * @throws IllegalArgumentException naming the parameter that is out of range.
         */
        public Parameters
        {
            atLeast(NAME, "minSmallPayments", minSmallPayments, 1);
            atLeast(NAME, "smallLimit", smallLimit, 1);
            check(largeAmount > smallLimit, NAME, "largeAmount", "above smallLimit " + smallLimit, largeAmount);
            positive(NAME, "windowNanos", windowNanos);
            range(NAME, "maxSmallTracked", maxSmallTracked, "minSmallPayments", minSmallPayments,
                AlertRecord.MAX_EVIDENCE - 1);
            set(NAME, "severity", severity);
        }
    }

    /** A debtor's small payments: {@link WindowRing#TIME}, then this field: the journal offset, the evidence. */
    private static final int OFFSET = 1;
    /** Longs per small payment. */
    private static final int STRIDE = 2;

    private final AccountObjects<WindowRing> smallPayments =
        new AccountObjects<>(this, WindowRing::reset, () -> new WindowRing(STRIDE, parameters().maxSmallTracked));
    private long droppedEntries;
    private long lateEvents;

    /**
     * Card-testing with {@link Parameters#DEFAULTS}.
     */
    public CardTestingRule()
    {
        this(Parameters.DEFAULTS);
    }

    /**
     * @param parameters validated parameters.
     */
    public CardTestingRule(final Parameters parameters)
    {
        super(ID, VERSION, NAME, parameters);
    }

    /**
     * Unbounded: an alert consumes the small payments it counted, and whether an earlier large payment alerted
     * depends on which small payments were still free, a chain back through history.
     *
     * @return {@link Long#MAX_VALUE}.
     */
    public long horizonNanos()
    {
        return Long.MAX_VALUE;
    }

    /**
     * @return {@link #PAYMENT}: the only template read.
     */
    public long templates()
    {
        return PAYMENT;
    }

    /**
     * Moves the rings into the worker's account store.
     *
     * @param store the worker's store.
     */
    public void bind(final AccountStore store)
    {
        smallPayments.bind(store);
    }

    /**
     * Write every debtor's ring, as laid out in the class description.
     *
     * @param out to write to.
     */
    public void writeState(final StateWriter out)
    {
        smallPayments.writeAscending(out, CardTestingRule::writeRing);
    }

    /**
     * @param ring to write.
     * @param out  to write it to, after its debtor's id: newest time, size, then its times and its offsets.
     */
    private static void writeRing(final WindowRing ring, final StateWriter out)
    {
        final int size = ring.size;
        out.putLong(ring.newest).putInt(size);
        for (int i = 0; i < size; i++)
        {
            out.putLong(ring.time(i));
        }
        for (int i = 0; i < size; i++)
        {
            out.putLong(ring.get(i, OFFSET));
        }
    }

    /**
     * Read back what {@link #writeState} wrote, replacing any state held; nothing changes if it fails.
     *
     * @param in to read from.
     * @throws io.txmon.rules.state.StateException if the bytes cannot be this rule's state: a count beyond the
     * bytes left or a ring above {@code maxSmallTracked}, a debtor twice.
     */
    public void readState(final StateReader in)
    {
        smallPayments.read(in, 2 * Long.BYTES + Integer.BYTES, "debtors", "a debtor has two rings",
            (reader, debtor) -> readRing(reader));
    }

    /**
     * @param in to read a debtor's ring from, after its id.
     * @return the ring, grown as it had been to hold its entries.
     */
    private WindowRing readRing(final StateReader in)
    {
        final int maxSmallTracked = parameters().maxSmallTracked;
        final long newest = in.getLong();
        final int size = in.getCount(0, maxSmallTracked, "small payments of a debtor");
        in.require(in.remaining() >= (long)size * 2 * Long.BYTES, "small payments run past the end");
        final WindowRing ring = new WindowRing(STRIDE, maxSmallTracked);
        ring.restore(newest, size, maxSmallTracked);
        for (int i = 0; i < size; i++)
        {
            ring.set(i, WindowRing.TIME, in.getLong());
        }
        for (int i = 0; i < size; i++)
        {
            ring.set(i, OFFSET, in.getLong());
        }
        return ring;
    }

    /**
     * @return small payments dropped from a full ring before leaving the window by time.
     */
    public long droppedEntries()
    {
        return droppedEntries;
    }

    /**
     * @return small payments older than the newest one already seen for their debtor.
     */
    public long lateEvents()
    {
        return lateEvents;
    }

    public void onEvent(final TxEvent event, final RuleContext context)
    {
        final Parameters p = parameters();
        if (event.templateId != PaymentDecoder.TEMPLATE_ID)
        {
            return;
        }
        final long amount = context.referenceAmount();
        final boolean small = event.channel == CARD && amount <= p.smallLimit;
        if (!small && amount < p.largeAmount)
        {
            return;
        }
        final long debtor = event.debtorAccount;
        if (!context.owns(debtor))
        {
            return;
        }

        final int slot = context.slot(debtor);
        WindowRing ring = smallPayments.get(slot);
        if (small)
        {
            if (ring == null)
            {
                ring = smallPayments.getOrCreate(slot);
            }
            if (event.eventTime < ring.newest)
            {
                lateEvents++;
            }
            final int added = ring.add(event.eventTime, p.windowNanos, p.maxSmallTracked);
            if (added != WindowRing.IGNORED)
            {
                ring.set(WindowRing.slot(added), OFFSET, event.offset);
            }
            if (WindowRing.dropped(added))
            {
                droppedEntries++;
            }
            return;
        }
        if (ring == null)
        {
            return;
        }

        final long time = event.eventTime;
        final long window = p.windowNanos;
        int count = 0;
        for (int i = 0; i < ring.size; i++)
        {
            final long t = ring.time(i);
            if (t <= time && EventTimes.gap(time, t) < window)
            {
                count++;
            }
        }
        if (count < p.minSmallPayments)
        {
            return;
        }

        final int score = (int)Math.min(1000L, 500L + 100L * (count - p.minSmallPayments));
        final AlertRecord alert = context.raise(this, p.severity, score, debtor);
        int kept = 0;
        for (int i = 0; i < ring.size; i++)
        {
            final long t = ring.time(i);
            if (t <= time && EventTimes.gap(time, t) < window)
            {
                alert.evidence(ring.get(i, OFFSET));
            }
            else
            {
                ring.move(i, kept);
                kept++;
            }
        }
        ring.size = kept;
        alert.evidence(event.offset)
            .reason()
            .append("account ").append(debtor)
            .append(" made ").append(count)
            .append(" card payments of at most ").appendMoney(p.smallLimit, context.referenceCurrency())
            .append(" within ").append(window / 1_000_000_000L)
            .append(" s, then paid ")
            .appendMoney(event.amount, event.currency, context.referenceAmount(), context.referenceCurrency())
            .append(" (payment ").append(event.txId)
            .append(") to account ").append(event.creditorAccount);
    }
}
