package io.txmon.rules.typology;

import io.txmon.events.codec.PaymentDecoder;
import io.txmon.events.codec.Severity;
import io.txmon.rules.RuleContext;
import io.txmon.rules.TxEvent;
import io.txmon.rules.state.AccountStore;
import io.txmon.rules.state.StateReader;
import io.txmon.rules.state.StateWriter;

import static io.txmon.rules.typology.ParameterChecks.atLeast;
import static io.txmon.rules.typology.ParameterChecks.positive;
import static io.txmon.rules.typology.ParameterChecks.range;
import static io.txmon.rules.typology.ParameterChecks.set;

/**
 * Pass-through: money comes into an account and leaves it again, a similar amount, within a short event-time
 * window. Keyed on the pass-through account: the creditor of the inbound payment and the debtor of the outbound
 * one, so one worker sees both legs. Amounts are compared in the reference currency
 * ({@link io.txmon.rules.config.Money}), so money that comes in one currency and leaves in another matches too.
 * <p>
 * An outbound payment matches an inbound one when the inbound one is not later than the outbound one and
 * {@code out.time - in.time < windowNanos}, and {@code |out - in| <= in * toleranceBps / 10000}, both converted.
 * Of several matching inbound payments the closest in amount wins, then the latest. A matched inbound
 * payment is consumed: it does not match a second outbound one. A payment from an account to itself is
 * ignored.
 * <p>
 * Evidence: the inbound payment's offset, then the outbound (triggering) one. Score: 1000 for an exact
 * amount, falling linearly to 500 at the edge of the tolerance.
 * <p>
 * Per-key memory: a {@link WindowRing} of at most {@code maxInboundTracked} inbound payments, records of three longs
 * in one {@code long[]} (time, amount in the reference currency, offset; 24 bytes per entry), in an object of 32
 * bytes with its size and newest time, so 48 bytes of object and array header per account: 96 bytes with 2 entries
 * allocated, 144 with 4. It is created with 2 entries (or {@code maxInboundTracked} if fewer) on the first inbound
 * payment and doubled as needed up to {@code maxInboundTracked}. The ring is kept in a column of the worker's
 * {@link AccountStore} (the rule's own store until {@link #bind}) and goes when the store evicts the account (idle
 * or over the cap): its inbound payments are forgotten, and the ring, emptied but with the array it had grown, is
 * kept for the next account to make one. When it is full the oldest inbound payment is dropped and counted in
 * {@link #droppedEntries()}.
 * <p>
 * State in a snapshot: the number of accounts with a ring (int), then per account, in ascending order of id (read
 * back in any order, each once), its id and the event time of its newest inbound payment (longs), the ring's
 * size (int, 0 to {@code maxInboundTracked}), and its entries in
 * slot order, column by column: times, amounts in the reference currency, offsets (longs). Slot order is kept
 * because it breaks ties between equally close inbound payments and picks the one a full ring drops. Empty rings are
 * written too: their newest time still bounds the next purge. {@link #droppedEntries()} and
 * {@link #lateEvents()} are monitoring only and are not written.
 * <p>
 * Single threaded: one instance belongs to one rule worker.
 */
public final class PassThroughRule extends TypologyRule<PassThroughRule.Parameters>
{
    /** Stable rule id. */
    public static final int ID = 10;
    /** Version of the logic. */
    public static final int VERSION = 2;
    /** Name of the typology. */
    public static final String NAME = "pass-through";

    /**
     * Parameters of pass-through.
     *
     * @param windowNanos       longest time from inbound to outbound payment, exclusive, in event-time
     *                          nanoseconds; default 1 hour.
     * @param toleranceBps      largest difference between the amounts, in basis points of the inbound
     *                          amount, 0 to 10000; default 1000 (10%).
     * @param minAmount         smallest inbound amount considered, in minor units; default 1 (every payment).
     * @param maxInboundTracked inbound payments kept per account, 1 to 4096; default 16.
     * @param severity          of the alerts; default {@link Severity#HIGH}.
     */
    public record Parameters(long windowNanos, int toleranceBps, long minAmount, int maxInboundTracked, Severity severity)
    {
        /** Default parameters. */
        public static final Parameters DEFAULTS = new Parameters(3600L * 1_000_000_000L, 1000, 1, 16, Severity.HIGH);

        /**
         * Validates every parameter.
         *
         * @throws IllegalArgumentException naming the parameter that is out of range.
         */
        public Parameters
        {
            positive(NAME, "windowNanos", windowNanos);
            range(NAME, "toleranceBps", toleranceBps, 0, 10_000);
            atLeast(NAME, "minAmount", minAmount, 1);
            range(NAME, "maxInboundTracked", maxInboundTracked, 1, 4096);
            set(NAME, "severity", severity);
        }
    }

    /** An account's inbound payments: {@link WindowRing#TIME}, then these fields: the amount in minor units. */
    private static final int AMOUNT = 1;
    /** Field of an inbound payment: its journal offset, the evidence. */
    private static final int OFFSET = 2;
    /** Longs per inbound payment. */
    private static final int STRIDE = 3;
    /** Bytes of an account's id, newest time and ring size in a snapshot. */
    private static final int RING_HEADER_BYTES = 2 * Long.BYTES + Integer.BYTES;
    /** Bytes of one inbound payment in a snapshot. */
    private static final int ENTRY_BYTES = 3 * Long.BYTES;

    private final AccountObjects<WindowRing> inbound =
        new AccountObjects<>(this, WindowRing::reset, () -> new WindowRing(STRIDE, parameters().maxInboundTracked));
    private long droppedEntries;
    private long lateEvents;

    /**
     * Pass-through with {@link Parameters#DEFAULTS}.
     */
    public PassThroughRule()
    {
        this(Parameters.DEFAULTS);
    }

    /**
     * @param parameters validated parameters.
     */
    public PassThroughRule(final Parameters parameters)
    {
        super(ID, VERSION, NAME, parameters);
    }

    /**
     * Unbounded: a matched inbound payment is consumed, and which one an outbound payment matches depends on
     * which were consumed by earlier outbound payments, a chain back through history.
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
        inbound.bind(store);
    }

    /**
     * Write every account's ring, as laid out in the class description.
     *
     * @param out to write to.
     */
    public void writeState(final StateWriter out)
    {
        inbound.writeAscending(out, PassThroughRule::writeRing);
    }

    /**
     * @param ring to write.
     * @param out  to write it to, after its account's id: newest time, size, then its entries column by column.
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
            out.putLong(ring.get(i, AMOUNT));
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
     * bytes left or a ring above {@code maxInboundTracked}, an account twice, an amount below {@code minAmount}.
     */
    public void readState(final StateReader in)
    {
        inbound.read(in, RING_HEADER_BYTES, "accounts", "an account has two rings",
            (reader, account) -> readRing(reader));
    }

    /**
     * @param in to read an account's ring from, after its id.
     * @return the ring, grown as it had been to hold its entries.
     */
    private WindowRing readRing(final StateReader in)
    {
        final Parameters p = parameters();
        final long newest = in.getLong();
        final int size = in.getCount(0, p.maxInboundTracked, "inbound payments of an account");
        in.require(in.remaining() >= (long)size * ENTRY_BYTES, "inbound payments run past the end");
        final WindowRing ring = new WindowRing(STRIDE, p.maxInboundTracked);
        ring.restore(newest, size, p.maxInboundTracked);
        for (int i = 0; i < size; i++)
        {
            ring.set(i, WindowRing.TIME, in.getLong());
        }
        for (int i = 0; i < size; i++)
        {
            ring.set(i, AMOUNT, in.getLong());
        }
        for (int i = 0; i < size; i++)
        {
            ring.set(i, OFFSET, in.getLong());
        }

        for (int i = 0; i < size; i++)
        {
            in.require(ring.get(i, AMOUNT) >= p.minAmount, "an inbound payment is below minAmount");
        }
        return ring;
    }

    /**
     * @return inbound payments dropped from a full ring before leaving the window by time.
     */
    public long droppedEntries()
    {
        return droppedEntries;
    }

    /**
     * @return inbound payments older than the newest inbound payment already seen for their account.
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
        final long debtor = event.debtorAccount;
        final long creditor = event.creditorAccount;
        if (debtor == creditor)
        {
            return;
        }

        // the outbound leg first, so a payment never matches itself
        if (context.owns(debtor))
        {
            final WindowRing ring = inbound.get(context.slot(debtor));
            if (ring != null)
            {
                matchOutbound(ring, event, context);
            }
        }

        if (context.referenceAmount() >= p.minAmount && context.owns(creditor))
        {
            final int slot = context.slot(creditor);
            final WindowRing ring = inbound.getOrCreate(slot);
            if (event.eventTime < ring.newest)
            {
                lateEvents++;
            }
            final int added = ring.add(event.eventTime, p.windowNanos, p.maxInboundTracked);
            if (added != WindowRing.IGNORED)
            {
                final int at = WindowRing.slot(added);
                ring.set(at, AMOUNT, context.referenceAmount());
                ring.set(at, OFFSET, event.offset);
            }
            if (WindowRing.dropped(added))
            {
                droppedEntries++;
            }
        }
    }

    private void matchOutbound(final WindowRing ring, final TxEvent event, final RuleContext context)
    {
        final Parameters p = parameters();
        final long out = context.referenceAmount();
        final long outTime = event.eventTime;
        if (out <= 0)
        {
            return;
        }
        int best = -1;
        long bestDiff = Long.MAX_VALUE;
        long bestAllowed = 0;
        for (int i = 0; i < ring.size; i++)
        {
            final long inTime = ring.time(i);
            if (inTime > outTime || EventTimes.gap(outTime, inTime) >= p.windowNanos)
            {
                continue;
            }
            final long in = ring.get(i, AMOUNT);
            final long diff = Math.abs(out - in);
            final long allowed = allowed(in, p.toleranceBps);
            if (diff <= allowed && (diff < bestDiff || (diff == bestDiff && inTime >= ring.time(best))))
            {
                best = i;
                bestDiff = diff;
                bestAllowed = allowed;
            }
        }
        if (best < 0)
        {
            return;
        }

        final long inAmount = ring.get(best, AMOUNT);
        final long inOffset = ring.get(best, OFFSET);
        final long elapsed = outTime - ring.time(best);
        ring.remove(best);

        final int score = bestAllowed == 0 ? 1000 : 500 + (int)(500.0 * (bestAllowed - bestDiff) / bestAllowed);
        context.raise(this, p.severity, score, event.debtorAccount)
            .evidence(inOffset)
            .evidence(event.offset)
            .reason()
            .append("account ").append(event.debtorAccount)
            .append(" received ").appendMoney(inAmount, context.referenceCurrency())
            .append(" and paid out ")
            .appendMoney(event.amount, event.currency, out, context.referenceCurrency())
            .append(" to account ").append(event.creditorAccount)
            .append(" (payment ").append(event.txId)
            .append(") ").append(elapsed / 1_000_000_000L).append(" s later, within ")
            .append(p.toleranceBps / 100).append(".")
            .append(p.toleranceBps % 100 / 10).append(p.toleranceBps % 10)
            .append("% of the inbound amount");
    }

    /**
     * floor(amount * bps / 10000) without overflow, for amount >= 0 and bps in [0, 10000].
     */
    static long allowed(final long amount, final int bps)
    {
        return (amount / 10_000) * bps + (amount % 10_000) * bps / 10_000;
    }
}
