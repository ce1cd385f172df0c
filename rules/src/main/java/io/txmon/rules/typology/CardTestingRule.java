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

import java.util.Arrays;

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
 * Per-key memory: a ring of at most {@code maxSmallTracked} small payments, two longs each (16 bytes per entry
 * plus about 80 bytes of headers), created with 2 entries (or {@code maxSmallTracked} if fewer) on the debtor's
 * first small card payment and doubled as needed up to {@code maxSmallTracked}. The ring is kept in a column of the
 * worker's {@link AccountStore} (the rule's own store until {@link #bind}) and goes when the store evicts the
 * debtor (idle or over the cap): its small payments are forgotten, and the ring, emptied but with the arrays it
 * had grown, is kept for the next debtor to make one. When it is full the oldest small payment is dropped and
 * counted in {@link #droppedEntries()}.
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
    public static final int VERSION = 1;
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

    private final AccountObjects<SmallPayments> smallPayments =
        new AccountObjects<>(this, SmallPayments::reset, () -> new SmallPayments(parameters().maxSmallTracked));
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
        smallPayments.writeAscending(out, (ring, ringOut) ->
            ringOut.putLong(ring.newest).putInt(ring.size)
                .putLongs(ring.times, 0, ring.size)
                .putLongs(ring.offsets, 0, ring.size));
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
    private SmallPayments readRing(final StateReader in)
    {
        final long newest = in.getLong();
        final int size = in.getCount(0, parameters().maxSmallTracked, "small payments of a debtor");
        in.require(in.remaining() >= (long)size * 2 * Long.BYTES, "small payments run past the end");
        final SmallPayments ring = new SmallPayments(parameters().maxSmallTracked);
        ring.restore(in, newest, size);
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
        final long amount = event.amount;
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
        SmallPayments ring = smallPayments.get(slot);
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
            if (ring.add(event.eventTime, event.offset, p.windowNanos))
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
            final long t = ring.times[i];
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
            final long t = ring.times[i];
            if (t <= time && EventTimes.gap(time, t) < window)
            {
                alert.evidence(ring.offsets[i]);
            }
            else
            {
                ring.times[kept] = t;
                ring.offsets[kept] = ring.offsets[i];
                kept++;
            }
        }
        ring.size = kept;
        alert.evidence(event.offset)
            .reason()
            .append("account ").append(debtor)
            .append(" made ").append(count)
            .append(" card payments of at most ").append(p.smallLimit)
            .append(" minor units within ").append(window / 1_000_000_000L)
            .append(" s, then paid ").appendMoney(amount, event.currency)
            .append(" (payment ").append(event.txId)
            .append(") to account ").append(event.creditorAccount);
    }

    /**
     * Recent small card payments of one debtor: unordered arrays, purged by time relative to the newest, grown
     * by doubling up to the maximum.
     */
    static final class SmallPayments
    {
        /** Entries allocated when the debtor is first seen, unless the maximum is smaller. */
        static final int INITIAL_CAPACITY = 2;

        final int maxCapacity;
        long[] times;
        long[] offsets;
        int size;
        long newest = Long.MIN_VALUE;

        /**
         * @param maxCapacity most small payments held, at least 1.
         */
        SmallPayments(final int maxCapacity)
        {
            this.maxCapacity = maxCapacity;
            final int initial = StateCapacity.initial(INITIAL_CAPACITY, maxCapacity);
            times = new long[initial];
            offsets = new long[initial];
        }

        /**
         * Make it as a new ring is, keeping its arrays, for another debtor: an evicted debtor's ring recycled by
         * the account store. Only the arrays' length may differ, which decides nothing (entries drop at
         * {@code maxCapacity}, the rule's own) and is not written; entries past {@code size} are never read.
         */
        void reset()
        {
            size = 0;
            newest = Long.MIN_VALUE;
        }

        /**
         * Fill a new ring from a snapshot: capacity grown as {@link #add} would have, to hold {@code size}.
         */
        void restore(final StateReader in, final long newest, final int size)
        {
            final int capacity = StateCapacity.holding(INITIAL_CAPACITY, maxCapacity, size);
            if (capacity != times.length)
            {
                times = new long[capacity];
                offsets = new long[capacity];
            }
            in.getLongs(times, 0, size);
            in.getLongs(offsets, 0, size);
            this.size = size;
            this.newest = newest;
        }

        /**
         * @return true if the oldest entry was dropped to make room.
         */
        boolean add(final long time, final long offset, final long windowNanos)
        {
            // entries that have left the window of this event and of the one before it go: state stays bounded by
            // one window, and an outlier (the year 2100, or the first after a quiet spell) costs at most the
            // window before it, never the events after it, as a clock that never went back did
            final long purgeBefore = EventTimes.purgeBefore(time, newest, windowNanos);
            newest = time;
            final long cutoff = EventTimes.minus(time, windowNanos);
            int kept = 0;
            for (int i = 0; i < size; i++)
            {
                if (times[i] > purgeBefore)
                {
                    times[kept] = times[i];
                    offsets[kept] = offsets[i];
                    kept++;
                }
            }
            size = kept;
            if (time <= cutoff)
            {
                return false;
            }
            if (size < maxCapacity)
            {
                if (size == times.length)
                {
                    final int capacity = StateCapacity.doubled(size, maxCapacity);
                    times = Arrays.copyOf(times, capacity);
                    offsets = Arrays.copyOf(offsets, capacity);
                }
                times[size] = time;
                offsets[size] = offset;
                size++;
                return false;
            }
            // full: an entry a window or more ahead of this event goes first, then the oldest
            int oldest = -1;
            for (int i = 0; i < size && oldest < 0; i++)
            {
                if (EventTimes.gap(times[i], time) >= windowNanos)
                {
                    oldest = i;
                }
            }
            if (oldest < 0)
            {
                oldest = 0;
                for (int i = 1; i < size; i++)
                {
                    if (times[i] < times[oldest])
                    {
                        oldest = i;
                    }
                }
            }
            times[oldest] = time;
            offsets[oldest] = offset;
            return true;
        }
    }
}
