package io.txmon.rules.typology;

import io.txmon.events.codec.ExecutionDecoder;
import io.txmon.events.codec.OrderDecoder;
import io.txmon.events.codec.Severity;
import io.txmon.rules.AlertRecord;
import io.txmon.rules.Rule;
import io.txmon.rules.RuleContext;
import io.txmon.rules.TxEvent;
import io.txmon.rules.state.AccountStore;
import io.txmon.rules.state.StateReader;
import io.txmon.rules.state.StateWriter;

import static io.txmon.rules.typology.ParameterChecks.positive;
import static io.txmon.rules.typology.ParameterChecks.range;
import static io.txmon.rules.typology.ParameterChecks.set;

/**
 * Excessive cancels (order-to-trade ratio): within a sliding window, an account's cancels divided by
 * max(executions, 1) is at or above a ratio, with at least a minimum number of order messages (new,
 * amend and cancel) in the window. Evaluated on each cancel; keyed on the order's account.
 * <p>
 * Once an account has alerted it does not alert again until a full window has passed since that alert
 * (event time), so a burst gives one alert, not one per cancel. The evidence is the triggering cancel
 * then the most recent other cancels in the window, up to {@link AlertRecord#MAX_EVIDENCE}. Score: 500
 * at the ratio, rising to 1000 at ten times it.
 * <p>
 * Window: a ring of (event time, offset, kind) per account, at most {@code capacity} entries; when full the oldest is
 * dropped and counted ({@link #droppedEntries()}). Late events are stored at the newest time of the ring so it stays
 * ordered, and counted ({@link #lateEvents()}). Memory per owned account with order or execution activity, kept in an
 * object column of the worker's {@link AccountStore} (so it is forgotten, quiet time included, when the store evicts
 * the account): a 48-byte object (ring head and size, the count of each kind as an int, the quiet time) and one
 * {@code long[]} of records, two longs (16 bytes) per ring slot: the event time, and the journal offset with the kind
 * (0 to 2) in its top two bits (a journal offset never reaches 2^62; one read back from a snapshot is checked). The
 * ring is allocated with {@value #INITIAL_CAPACITY} slots (or the capacity if fewer) and doubled as entries
 * accumulate, up to the capacity: 128 bytes with 3 entries (4 slots), at most 8,256 bytes at the default 512. An evicted account's
 * window is reset and kept, with its ring, for the next new account, which then behaves and is written as with a new
 * one.
 * <p>
 * State in a snapshot: the number of accounts (int), then per account, in ascending order of id, its id and the end of
 * its quiet time after an alert (longs), the entries in its window (int) and each entry, oldest first: event time and
 * offset (longs) and kind (one byte: 0 order, 1 cancel, 2 execution). The counts per kind are rebuilt from the entries;
 * the ring is allocated at the size that holds them, oldest at slot 0, which decides as the original (where the oldest
 * entry sits, and how far an emptied ring had grown, change nothing). Read back, the entries are checked against
 * {@code capacity}, each kind must be one of the three and the times must not go down.
 */
public final class ExcessiveCancelRule extends TypologyRule<ExcessiveCancelRule.Parameters>
{
    /** Stable rule id. */
    public static final int ID = 22;
    /** Version of the logic. */
    public static final int VERSION = 1;
    /** Name in configuration and alerts. */
    public static final String NAME = "excessive-cancels";
    /** Default window: one hour in ns. */
    public static final long DEFAULT_WINDOW_NS = 3600L * 1_000_000_000L;
    /** Default cancels per execution. */
    public static final int DEFAULT_RATIO = 20;
    /** Default least order messages in the window. */
    public static final int DEFAULT_MIN_ORDERS = 50;
    /** Default ring capacity per account. */
    public static final int DEFAULT_CAPACITY = 512;
    /** Ring slots allocated per account when first seen, unless the capacity is fewer. */
    static final int INITIAL_CAPACITY = 2;

    /** Kinds of entry, as stored in a record and written to a snapshot. */
    private static final int ORDER = 0;
    private static final int CANCEL = 1;
    private static final int EXECUTION = 2;
    /** Each kind as the byte a snapshot holds, at the kind's index; read only. */
    private static final byte[] KIND_BYTES = { ORDER, CANCEL, EXECUTION };
    private static final int ACTION_CANCEL = 2;

    /** Field of a window's record: event time, as stored (a late event at the newest time of its ring). */
    private static final int TIME = 0;
    /**
     * Field of a window's record: the journal offset of the event in the low {@value #KIND_SHIFT} bits and its kind
     * ({@link #ORDER}, {@link #CANCEL} or {@link #EXECUTION}) in the two above. A journal offset counts records from
     * 0, so it never reaches 2^62; an offset read back from a snapshot is checked to be one.
     */
    private static final int OFFSET_KIND = 1;
    /** Longs per record. */
    private static final int STRIDE = 2;
    /** Bits of an offset in {@link #OFFSET_KIND}. */
    private static final int KIND_SHIFT = 62;
    private static final long OFFSET_MASK = (1L << KIND_SHIFT) - 1;

    /** Largest ring capacity accepted per account. */
    public static final int MAX_CAPACITY = 1 << 16;

    /** Least bytes an account takes in a snapshot: id, quiet time, entries. */
    private static final int ACCOUNT_STATE_BYTES = 2 * Long.BYTES + Integer.BYTES;
    /** Bytes an entry takes in a snapshot: time, offset, kind. */
    private static final int ENTRY_STATE_BYTES = 2 * Long.BYTES + 1;

    /**
     * Parameters, validated on construction.
     *
     * @param windowNanos length of the window, inclusive, positive; default one hour.
     * @param ratio       cancels per max(executions, 1) at or above which it alerts, positive; default
     *                    {@value #DEFAULT_RATIO}.
     * @param minOrders   least order messages in the window, 1 to capacity; default {@value #DEFAULT_MIN_ORDERS}.
     * @param capacity    most entries per account's window, minOrders to {@value #MAX_CAPACITY}; default
     *                    {@value #DEFAULT_CAPACITY}.
     * @param severity    of the alerts; default {@link Severity#MEDIUM}.
     */
    public record Parameters(long windowNanos, int ratio, int minOrders, int capacity, Severity severity)
    {
        /** Default parameters. */
        public static final Parameters DEFAULTS =
            new Parameters(DEFAULT_WINDOW_NS, DEFAULT_RATIO, DEFAULT_MIN_ORDERS, DEFAULT_CAPACITY, Severity.MEDIUM);

        /**
         * Validates every parameter.
         *
         * @throws IllegalArgumentException naming the rule and the parameter that is out of range.
         */
        public Parameters
        {
            positive(NAME, "windowNanos", windowNanos);
            positive(NAME, "ratio", ratio);
            positive(NAME, "minOrders", minOrders);
            range(NAME, "capacity", capacity, "minOrders", minOrders, MAX_CAPACITY);
            set(NAME, "severity", severity);
        }
    }

    private final long windowNs;
    private final int ratio;
    private final int minOrders;
    private final int capacity;
    private final Severity severity;
    private final AccountObjects<Window> windows;
    /** Where {@link #readWindow} reads an entry's kind byte. */
    private final byte[] kindRead = new byte[1];
    private long droppedEntries;
    private long lateEvents;

    /**
     * Defaults: {@link Parameters#DEFAULTS}, one hour, ratio 20, 50 orders, capacity 512, severity MEDIUM.
     */
    public ExcessiveCancelRule()
    {
        this(Parameters.DEFAULTS);
    }

    /**
     * @param windowNs  length of the window, positive.
     * @param ratio     cancels per max(executions, 1) at or above which it alerts, positive.
     * @param minOrders least order messages in the window, positive.
     * @param capacity  most entries per account's window, at least minOrders.
     * @param severity  of the alerts.
     */
    public ExcessiveCancelRule(
        final long windowNs, final int ratio, final int minOrders, final int capacity, final Severity severity)
    {
        this(new Parameters(windowNs, ratio, minOrders, capacity, severity));
    }

    /**
     * @param parameters validated parameters.
     */
    public ExcessiveCancelRule(final Parameters parameters)
    {
        super(ID, VERSION, NAME, parameters);
        this.windowNs = parameters.windowNanos();
        this.ratio = parameters.ratio();
        this.minOrders = parameters.minOrders();
        this.capacity = parameters.capacity();
        this.severity = parameters.severity();
        this.windows = new AccountObjects<>(
            this, Window::reset, () -> new Window(StateCapacity.initial(INITIAL_CAPACITY, capacity)));
    }

    /**
     * Unbounded: after an alert the account is quiet for a window, so whether a cancel alerts depends on the
     * time of the previous alert, which depends on the one before it, a chain back through history.
     *
     * @return {@link Long#MAX_VALUE}.
     */
    public long horizonNanos()
    {
        return Long.MAX_VALUE;
    }

    /**
     * @return entries dropped because an account's ring was full.
     */
    public long droppedEntries()
    {
        return droppedEntries;
    }

    /**
     * @return events older than the newest of their account's window.
     */
    public long lateEvents()
    {
        return lateEvents;
    }

    /**
     * @return {@link Rule#ORDER} and {@link Rule#EXECUTION}.
     */
    public long templates()
    {
        return Rule.ORDER | Rule.EXECUTION;
    }

    /**
     * Moves the accounts' windows into the worker's account store.
     *
     * @param store the worker's store.
     */
    public void bind(final AccountStore store)
    {
        windows.bind(store);
    }

    /**
     * Write every account's window, oldest entry first, and its quiet time, accounts in ascending order.
     *
     * @param out to write to.
     */
    public void writeState(final StateWriter out)
    {
        windows.writeAscending(out, Window::write);
    }

    /**
     * Read back what {@link #writeState} wrote, replacing every account's window; nothing changes if it fails.
     *
     * @param in to read from.
     */
    public void readState(final StateReader in)
    {
        windows.readAscending(in, ACCOUNT_STATE_BYTES, "accounts", (reader, account) -> readWindow(reader));
    }

    /**
     * Read an account's window written by {@link Window#write}, after its id.
     *
     * @param in to read from.
     * @return the account's window, oldest entry at slot 0.
     */
    private Window readWindow(final StateReader in)
    {
        final long quietUntil = in.getLong();
        final int size = in.getCount(0, Math.min(capacity, in.remaining() / ENTRY_STATE_BYTES), "window entries");
        final Window window = new Window(StateCapacity.holding(INITIAL_CAPACITY, capacity, size));
        final long[] records = window.records;
        window.quietUntil = quietUntil;
        for (int i = 0; i < size; i++)
        {
            final int record = i * STRIDE;
            final long time = in.getLong();
            final long offset = in.getLong();
            in.require(offset >= 0 && offset <= OFFSET_MASK, "an entry's offset is not a journal offset");
            in.getBytes(kindRead, 0, 1);
            final byte kind = kindRead[0];
            in.require(kind == ORDER || kind == CANCEL || kind == EXECUTION, "an entry's kind is not 0, 1 or 2");
            in.require(
                i == 0 || time >= records[record - STRIDE + TIME], "an entry is older than the one before it");
            records[record + TIME] = time;
            records[record + OFFSET_KIND] = offsetKind(offset, kind);
            window.count(kind, 1);
        }
        window.size = size;
        return window;
    }

    public void onEvent(final TxEvent event, final RuleContext context)
    {
        final int kind;
        if (event.templateId == OrderDecoder.TEMPLATE_ID)
        {
            kind = event.action == ACTION_CANCEL ? CANCEL : ORDER;
        }
        else if (event.templateId == ExecutionDecoder.TEMPLATE_ID)
        {
            kind = EXECUTION;
        }
        else
        {
            return;
        }
        final long account = event.account;
        if (!context.owns(account))
        {
            return;
        }

        final int slot = context.slot(account);
        Window window = windows.getOrCreate(slot);
        final long now = window.add(this, event.eventTime, event.offset, kind);
        window.evictOlderThan(EventTimes.minus(now, windowNs));

        // quiet only within a window of the last alert: one raised at a time far ahead silences nothing
        if (kind != CANCEL || (now < window.quietUntil && EventTimes.gap(window.quietUntil, now) <= windowNs))
        {
            return;
        }
        final long orders = (long)window.orders + window.cancels;
        final long cancels = window.cancels;
        final long executions = Math.max(1L, window.executions);
        if (orders < minOrders || cancels < ratio * executions)
        {
            return;
        }

        window.quietUntil = EventTimes.plus(now, windowNs);
        final long multiple = cancels / (ratio * executions);
        final int score = multiple >= 10 ? 1000 : (int)(500 + (multiple - 1) * 500 / 9);
        final AlertRecord alert = context.raise(this, severity, score, account).evidence(event.offset);
        window.addCancelEvidence(alert, event.offset);
        alert.reason()
            .append("account ").append(account)
            .append(" cancelled ").append(cancels).append(" orders against ").append(window.executions)
            .append(" executions (").append(orders).append(" order messages) within ")
            .append(windowNs / 1_000_000_000L).append(" s, at or above the ratio of ").append(ratio)
            .append(" cancels per execution");
    }

    /**
     * @param offset journal offset, 0 to 2^62 - 1.
     * @param kind   {@link #ORDER}, {@link #CANCEL} or {@link #EXECUTION}.
     * @return the two packed as a record's {@link #OFFSET_KIND}.
     */
    private static long offsetKind(final long offset, final int kind)
    {
        return offset | ((long)kind << KIND_SHIFT);
    }

    /**
     * @param offsetKind a record's {@link #OFFSET_KIND}.
     * @return its kind.
     */
    private static int kind(final long offsetKind)
    {
        return (int)(offsetKind >>> KIND_SHIFT);
    }

    /**
     * An account's window: a ring of records, {@link #STRIDE} longs each ({@link #TIME}, {@link #OFFSET_KIND}),
     * oldest at {@code head}, and the count of each kind in it.
     */
    private static final class Window
    {
        long[] records;
        int head;
        int size;
        /** Entries of kind {@link #ORDER} (new and amend). */
        int orders;
        /** Entries of kind {@link #CANCEL}. */
        int cancels;
        /** Entries of kind {@link #EXECUTION}. */
        int executions;
        long quietUntil = Long.MIN_VALUE;

        /**
         * @param slots allocated, at least 1, up to the rule's capacity.
         */
        Window(final int slots)
        {
            records = new long[slots * STRIDE];
        }

        /**
         * Make it as a new window is, keeping its ring, for another account: an evicted account's window recycled
         * by the account store. How far the ring had grown decides nothing (entries are read oldest first from
         * the head, and one is dropped for room only at the maximum).
         */
        void reset()
        {
            orders = 0;
            cancels = 0;
            executions = 0;
            head = 0;
            size = 0;
            quietUntil = Long.MIN_VALUE;
        }

        /**
         * @return ring slots allocated.
         */
        int slots()
        {
            return records.length / STRIDE;
        }

        /**
         * @param kind  of an entry added or removed.
         * @param delta +1 or -1.
         */
        void count(final long kind, final int delta)
        {
            if (kind == ORDER)
            {
                orders += delta;
            }
            else if (kind == CANCEL)
            {
                cancels += delta;
            }
            else
            {
                executions += delta;
            }
        }

        /**
         * Write the window, after the account, as the class Javadoc lays them out.
         *
         * @param out to write to.
         */
        void write(final StateWriter out)
        {
            out.putLong(quietUntil).putInt(size);
            final int slots = slots();
            for (int i = 0; i < size; i++)
            {
                final int record = ((head + i) % slots) * STRIDE;
                final long offsetKind = records[record + OFFSET_KIND];
                out.putLong(records[record + TIME]).putLong(offsetKind & OFFSET_MASK)
                    .putBytes(KIND_BYTES, kind(offsetKind), 1);
            }
        }

        /**
         * Grow the full ring to {@code slots}, more than now: records keep their slots
         * ({@link StateCapacity#grown}) and those before the head, the newest, move on past the old end, wrapping
         * to slot 0 if the new end comes first, so the ring reads on from the head as before.
         *
         * @param slots to hold, more than now.
         */
        private void grow(final int slots)
        {
            final int oldSlots = slots();
            records = StateCapacity.grown(records, STRIDE, slots);
            final int room = slots - oldSlots;
            final int moved = Math.min(head, room);
            System.arraycopy(records, 0, records, oldSlots * STRIDE, moved * STRIDE);
            System.arraycopy(records, moved * STRIDE, records, 0, (head - moved) * STRIDE);
        }

        /**
         * Add an event, first dropping entries a window or more ahead of it and, if the ring is full at the
         * capacity, the oldest.
         *
         * @param rule      whose window length and capacity apply and which counts drops and late events.
         * @param eventTime of the event.
         * @param offset    of the event.
         * @param kind      of the event.
         * @return the time it is stored at: its own, or the newest in the ring if that is later.
         */
        long add(final ExcessiveCancelRule rule, final long eventTime, final long offset, final int kind)
        {
            long time = eventTime;
            // entries a window or more ahead of this event (the year 2100) would hold every later event at
            // their time for ever: they leave, newest first, and this event is taken at its own time
            while (size > 0)
            {
                final int newest = ((head + size - 1) % slots()) * STRIDE;
                if (EventTimes.gap(records[newest + TIME], time) < rule.windowNs)
                {
                    break;
                }
                count(kind(records[newest + OFFSET_KIND]), -1);
                size--;
                rule.droppedEntries++;
            }
            if (size > 0)
            {
                final long newest = records[((head + size - 1) % slots()) * STRIDE + TIME];
                if (time < newest)
                {
                    rule.lateEvents++;
                    time = newest;
                }
            }
            if (size == slots() && size < rule.capacity)
            {
                grow(StateCapacity.doubled(size, rule.capacity));
            }
            final int slots = slots();
            if (size == slots)
            {
                count(kind(records[head * STRIDE + OFFSET_KIND]), -1);
                head = (head + 1) % slots;
                size--;
                rule.droppedEntries++;
            }
            final int record = ((head + size) % slots) * STRIDE;
            records[record + TIME] = time;
            records[record + OFFSET_KIND] = offsetKind(offset, kind);
            count(kind, 1);
            size++;
            return time;
        }

        /**
         * @param oldest time an entry must have to stay.
         */
        void evictOlderThan(final long oldest)
        {
            final int slots = slots();
            while (size > 0 && records[head * STRIDE + TIME] < oldest)
            {
                count(kind(records[head * STRIDE + OFFSET_KIND]), -1);
                head = (head + 1) % slots;
                size--;
            }
        }

        /**
         * @param alert      to add the evidence to.
         * @param triggering offset of the cancel that alerts, already in the evidence.
         */
        void addCancelEvidence(final AlertRecord alert, final long triggering)
        {
            final int slots = slots();
            int added = 1;
            for (int i = size - 1; i >= 0 && added < AlertRecord.MAX_EVIDENCE; i--)
            {
                final int record = ((head + i) % slots) * STRIDE;
                final long offsetKind = records[record + OFFSET_KIND];
                final long offset = offsetKind & OFFSET_MASK;
                if (kind(offsetKind) == CANCEL && offset != triggering)
                {
                    alert.evidence(offset);
                    added++;
                }
            }
        }
    }
}
