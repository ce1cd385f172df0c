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
 * Pass-through: money comes into an account and leaves it again, in the same currency and a similar
 * amount, within a short event-time window. Keyed on the pass-through account: the creditor of the
 * inbound payment and the debtor of the outbound one, so one worker sees both legs.
 * <p>
 * An outbound payment matches an inbound one when: same currency; the inbound one is not later than the
 * outbound one and {@code out.time - in.time < windowNanos}; and {@code |out - in| <= in * toleranceBps / 10000}.
 * Of several matching inbound payments the closest in amount wins, then the latest. A matched inbound
 * payment is consumed: it does not match a second outbound one. A payment from an account to itself is
 * ignored.
 * <p>
 * Evidence: the inbound payment's offset, then the outbound (triggering) one. Score: 1000 for an exact
 * amount, falling linearly to 500 at the edge of the tolerance.
 * <p>
 * Per-key memory: a ring of at most {@code maxInboundTracked} inbound payments, kept as records of four longs in
 * one {@code long[]} (time, amount, offset, currency; 32 bytes per entry), in an object of 32 bytes with its size
 * and newest time, so 48 bytes of object and array header per account: 112 bytes with 2 entries allocated, 176
 * with 4. It is created with 2 entries (or {@code maxInboundTracked} if fewer) on the first inbound payment and
 * doubled as needed up to {@code maxInboundTracked}. The ring is kept in a column of the worker's
 * {@link AccountStore} (the rule's own store until {@link #bind}) and goes when the store evicts the account (idle
 * or over the cap): its inbound payments are forgotten, and the ring, emptied but with the array it had grown, is
 * kept for the next account to make one. When it is full the oldest inbound payment is dropped and counted in
 * {@link #droppedEntries()}.
 * <p>
 * State in a snapshot: the number of accounts with a ring (int), then per account, in ascending order of id (read
 * back in any order, each once), its id and the event time of its newest inbound payment (longs), the ring's
 * size (int, 0 to {@code maxInboundTracked}), and its entries in
 * slot order, column by column: times, amounts, offsets (longs), currencies (ints). Slot order is kept because
 * it breaks ties between equally close inbound payments and picks the one a full ring drops. Empty rings are
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
    public static final int VERSION = 1;
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

    private final AccountObjects<Inbound> inbound =
        new AccountObjects<>(this, Inbound::reset, () -> new Inbound(parameters().maxInboundTracked));
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
    private static void writeRing(final Inbound ring, final StateWriter out)
    {
        final int size = ring.size;
        out.putLong(ring.newest).putInt(size);
        for (int i = 0; i < size; i++)
        {
            out.putLong(ring.time(i));
        }
        for (int i = 0; i < size; i++)
        {
            out.putLong(ring.amount(i));
        }
        for (int i = 0; i < size; i++)
        {
            out.putLong(ring.offset(i));
        }
        for (int i = 0; i < size; i++)
        {
            out.putInt(ring.currency(i));
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
        inbound.read(in, Inbound.HEADER_BYTES, "accounts", "an account has two rings",
            (reader, account) -> readRing(reader));
    }

    /**
     * @param in to read an account's ring from, after its id.
     * @return the ring, grown as it had been to hold its entries.
     */
    private Inbound readRing(final StateReader in)
    {
        final Parameters p = parameters();
        final long newest = in.getLong();
        final int size = in.getCount(0, p.maxInboundTracked, "inbound payments of an account");
        in.require(in.remaining() >= (long)size * Inbound.ENTRY_BYTES, "inbound payments run past the end");
        final Inbound ring = new Inbound(p.maxInboundTracked);
        ring.restore(in, newest, size);
        for (int i = 0; i < size; i++)
        {
            in.require(ring.amount(i) >= p.minAmount, "an inbound payment is below minAmount");
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
            final Inbound ring = inbound.get(context.slot(debtor));
            if (ring != null)
            {
                matchOutbound(ring, event, context);
            }
        }

        if (event.amount >= p.minAmount && context.owns(creditor))
        {
            final int slot = context.slot(creditor);
            Inbound ring = inbound.getOrCreate(slot);
            if (event.eventTime < ring.newest)
            {
                lateEvents++;
            }
            if (ring.add(event.eventTime, event.amount, event.currency, event.offset, p.windowNanos))
            {
                droppedEntries++;
            }
        }
    }

    private void matchOutbound(final Inbound ring, final TxEvent event, final RuleContext context)
    {
        final Parameters p = parameters();
        final long out = event.amount;
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
            if (ring.currency(i) != event.currency || inTime > outTime ||
                EventTimes.gap(outTime, inTime) >= p.windowNanos)
            {
                continue;
            }
            final long in = ring.amount(i);
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

        final long inAmount = ring.amount(best);
        final long inOffset = ring.offset(best);
        final long elapsed = outTime - ring.time(best);
        ring.remove(best);

        final int score = bestAllowed == 0 ? 1000 : 500 + (int)(500.0 * (bestAllowed - bestDiff) / bestAllowed);
        context.raise(this, p.severity, score, event.debtorAccount)
            .evidence(inOffset)
            .evidence(event.offset)
            .reason()
            .append("account ").append(event.debtorAccount)
            .append(" received ").appendMoney(inAmount, event.currency)
            .append(" and paid out ").appendMoney(out, event.currency)
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

    /**
     * Recent inbound payments of one account: unordered records, purged by time relative to the newest, grown
     * by doubling up to the maximum.
     * <p>
     * Layout: entry {@code i} is the {@value #STRIDE} longs of {@link #records} from {@code i * STRIDE}: its event
     * time, amount, journal offset and currency. The currency, an int, takes a long of its own (sign-extended, read
     * back by a cast): the other three fields take any long a snapshot holds, so none has bits to spare for it.
     */
    static final class Inbound
    {
        /** Entries allocated when the account is first seen, unless the maximum is smaller. */
        static final int INITIAL_CAPACITY = 2;
        /** Bytes of an account's id, newest time and size in a snapshot. */
        static final int HEADER_BYTES = 2 * Long.BYTES + Integer.BYTES;
        /** Bytes of one entry in a snapshot. */
        static final int ENTRY_BYTES = 3 * Long.BYTES + Integer.BYTES;

        /** Longs per entry in {@link #records}. */
        private static final int STRIDE = 4;
        /** Event time of the inbound payment. */
        private static final int TIME = 0;
        /** Its amount, in minor units. */
        private static final int AMOUNT = 1;
        /** Its journal offset: the evidence. */
        private static final int OFFSET = 2;
        /** Its currency, an int in a long. */
        private static final int CURRENCY = 3;

        final int maxCapacity;
        /** The entries, {@link #STRIDE} longs each; those from {@link #size} on are never read. */
        private long[] records;
        int size;
        long newest = Long.MIN_VALUE;

        /**
         * @param maxCapacity most inbound payments held, at least 1.
         */
        Inbound(final int maxCapacity)
        {
            this.maxCapacity = maxCapacity;
            records = new long[StateCapacity.initial(INITIAL_CAPACITY, maxCapacity) * STRIDE];
        }

        /**
         * Make it as a new ring is, keeping its array, for another account: an evicted account's ring recycled by
         * the account store. Only the array's length may differ, which decides nothing (entries drop at
         * {@code maxCapacity}, the rule's own) and is not written; entries past {@code size} are never read.
         */
        void reset()
        {
            size = 0;
            newest = Long.MIN_VALUE;
        }

        /**
         * @return entries allocated.
         */
        int capacity()
        {
            return records.length / STRIDE;
        }

        /**
         * @param i entry, below {@link #size}.
         * @return its event time.
         */
        long time(final int i)
        {
            return records[i * STRIDE + TIME];
        }

        /**
         * @param i entry, below {@link #size}.
         * @return its amount.
         */
        long amount(final int i)
        {
            return records[i * STRIDE + AMOUNT];
        }

        /**
         * @param i entry, below {@link #size}.
         * @return its journal offset.
         */
        long offset(final int i)
        {
            return records[i * STRIDE + OFFSET];
        }

        /**
         * @param i entry, below {@link #size}.
         * @return its currency.
         */
        int currency(final int i)
        {
            return (int)records[i * STRIDE + CURRENCY];
        }

        /**
         * @return true if the oldest entry was dropped to make room.
         */
        boolean add(final long time, final long amount, final int currency, final long offset, final long windowNanos)
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
                if (time(i) > purgeBefore)
                {
                    if (kept != i)
                    {
                        move(i, kept);
                    }
                    kept++;
                }
            }
            size = kept;
            if (time <= cutoff)
            {
                return false;
            }

            if (size == capacity() && size < maxCapacity)
            {
                records = StateCapacity.grown(records, STRIDE, StateCapacity.doubled(size, maxCapacity));
            }
            int slot = size;
            boolean dropped = false;
            if (size == capacity())
            {
                // full: an entry a window or more ahead of this one goes first, then the oldest
                slot = -1;
                for (int i = 0; i < size && slot < 0; i++)
                {
                    if (EventTimes.gap(time(i), time) >= windowNanos)
                    {
                        slot = i;
                    }
                }
                if (slot < 0)
                {
                    slot = 0;
                    for (int i = 1; i < size; i++)
                    {
                        if (time(i) < time(slot))
                        {
                            slot = i;
                        }
                    }
                }
                dropped = true;
            }
            else
            {
                size++;
            }
            final int at = slot * STRIDE;
            records[at + TIME] = time;
            records[at + AMOUNT] = amount;
            records[at + OFFSET] = offset;
            records[at + CURRENCY] = currency;
            return dropped;
        }

        /**
         * Fill a new ring from a snapshot: capacity grown as {@link #add} would have, to hold {@code size}. The
         * snapshot holds the entries column by column, as {@link PassThroughRule#writeRing} writes them.
         */
        void restore(final StateReader in, final long newest, final int size)
        {
            records = StateCapacity.grown(records, STRIDE, StateCapacity.holding(INITIAL_CAPACITY, maxCapacity, size));
            for (int i = 0; i < size; i++)
            {
                records[i * STRIDE + TIME] = in.getLong();
            }
            for (int i = 0; i < size; i++)
            {
                records[i * STRIDE + AMOUNT] = in.getLong();
            }
            for (int i = 0; i < size; i++)
            {
                records[i * STRIDE + OFFSET] = in.getLong();
            }
            for (int i = 0; i < size; i++)
            {
                records[i * STRIDE + CURRENCY] = in.getInt();
            }
            this.size = size;
            this.newest = newest;
        }

        void remove(final int index)
        {
            size--;
            if (index != size)
            {
                move(size, index);
            }
        }

        private void move(final int from, final int to)
        {
            final int source = from * STRIDE;
            final int target = to * STRIDE;
            records[target + TIME] = records[source + TIME];
            records[target + AMOUNT] = records[source + AMOUNT];
            records[target + OFFSET] = records[source + OFFSET];
            records[target + CURRENCY] = records[source + CURRENCY];
        }
    }
}
