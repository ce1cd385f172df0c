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

import java.util.Arrays;

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
 * the account): about 17 bytes per ring slot; the ring is allocated with {@value #INITIAL_CAPACITY} slots (or the
 * capacity if fewer) and doubled, oldest entry first, as entries accumulate, up to the capacity (at most 8.7 KB at the
 * default 512). An evicted account's window is reset and kept, with its ring, for the next new account, which then
 * behaves and is written as with a new one.
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

    private static final byte ORDER = 0;
    private static final byte CANCEL = 1;
    private static final byte EXECUTION = 2;
    private static final int ACTION_CANCEL = 2;

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
        this.windows = new AccountObjects<>(this, Window::reset, () -> new Window(capacity));
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
        final Window window = new Window(capacity, StateCapacity.holding(INITIAL_CAPACITY, capacity, size));
        window.quietUntil = quietUntil;
        for (int i = 0; i < size; i++)
        {
            final long time = in.getLong();
            window.offsets[i] = in.getLong();
            in.getBytes(window.kinds, i, 1);
            final byte kind = window.kinds[i];
            in.require(kind == ORDER || kind == CANCEL || kind == EXECUTION, "an entry's kind is not 0, 1 or 2");
            in.require(i == 0 || time >= window.times[i - 1], "an entry is older than the one before it");
            window.times[i] = time;
            window.count[kind]++;
        }
        window.size = size;
        return window;
    }

    public void onEvent(final TxEvent event, final RuleContext context)
    {
        final byte kind;
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
        final long now = window.add(event.eventTime, event.offset, kind);
        window.evictOlderThan(EventTimes.minus(now, windowNs));

        // quiet only within a window of the last alert: one raised at a time far ahead silences nothing
        if (kind != CANCEL || (now < window.quietUntil && EventTimes.gap(window.quietUntil, now) <= windowNs))
        {
            return;
        }
        final long orders = window.count[ORDER] + window.count[CANCEL];
        final long cancels = window.count[CANCEL];
        final long executions = Math.max(1, window.count[EXECUTION]);
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
            .append(" cancelled ").append(cancels).append(" orders against ").append(window.count[EXECUTION])
            .append(" executions (").append(orders).append(" order messages) within ")
            .append(windowNs / 1_000_000_000L).append(" s, at or above the ratio of ").append(ratio)
            .append(" cancels per execution");
    }

    private final class Window
    {
        private final int maxCapacity;
        long[] times;
        long[] offsets;
        byte[] kinds;
        final long[] count = new long[3];
        int head;
        int size;
        long quietUntil = Long.MIN_VALUE;

        /**
         * @param maxCapacity most entries held, at least 1.
         */
        Window(final int maxCapacity)
        {
            this(maxCapacity, StateCapacity.initial(INITIAL_CAPACITY, maxCapacity));
        }

        /**
         * @param maxCapacity most entries held, at least 1.
         * @param slots       allocated, up to maxCapacity.
         */
        Window(final int maxCapacity, final int slots)
        {
            this.maxCapacity = maxCapacity;
            times = new long[slots];
            offsets = new long[slots];
            kinds = new byte[slots];
        }

        /**
         * Make it as a new window is, keeping its ring, for another account: an evicted account's window recycled
         * by the account store. How far the ring had grown decides nothing (entries are read oldest first from
         * the head, and one is dropped for room only at the maximum).
         */
        void reset()
        {
            Arrays.fill(count, 0);
            head = 0;
            size = 0;
            quietUntil = Long.MIN_VALUE;
        }

        /**
         * Write the window, after the account, as the class Javadoc lays them out.
         *
         * @param out to write to.
         */
        void write(final StateWriter out)
        {
            out.putLong(quietUntil).putInt(size);
            for (int i = 0; i < size; i++)
            {
                final int index = (head + i) % times.length;
                out.putLong(times[index]).putLong(offsets[index]).putBytes(kinds, index, 1);
            }
        }

        /**
         * Double the ring, up to the maximum, oldest entry moved to index 0.
         */
        private void grow()
        {
            final int capacity = StateCapacity.doubled(times.length, maxCapacity);
            final long[] newTimes = new long[capacity];
            final long[] newOffsets = new long[capacity];
            final byte[] newKinds = new byte[capacity];
            final int firstPart = Math.min(size, times.length - head);
            System.arraycopy(times, head, newTimes, 0, firstPart);
            System.arraycopy(times, 0, newTimes, firstPart, size - firstPart);
            System.arraycopy(offsets, head, newOffsets, 0, firstPart);
            System.arraycopy(offsets, 0, newOffsets, firstPart, size - firstPart);
            System.arraycopy(kinds, head, newKinds, 0, firstPart);
            System.arraycopy(kinds, 0, newKinds, firstPart, size - firstPart);
            times = newTimes;
            offsets = newOffsets;
            kinds = newKinds;
            head = 0;
        }

        long add(final long eventTime, final long offset, final byte kind)
        {
            long time = eventTime;
            // entries a window or more ahead of this event (the year 2100) would hold every later event at
            // their time for ever: they leave, newest first, and this event is taken at its own time
            while (size > 0 && EventTimes.gap(times[(head + size - 1) % times.length], time) >= windowNs)
            {
                count[kinds[(head + size - 1) % times.length]]--;
                size--;
                droppedEntries++;
            }
            if (size > 0)
            {
                final long newest = times[(head + size - 1) % times.length];
                if (time < newest)
                {
                    lateEvents++;
                    time = newest;
                }
            }
            if (size == times.length && size < maxCapacity)
            {
                grow();
            }
            if (size == times.length)
            {
                count[kinds[head]]--;
                head = (head + 1) % times.length;
                size--;
                droppedEntries++;
            }
            final int index = (head + size) % times.length;
            times[index] = time;
            offsets[index] = offset;
            kinds[index] = kind;
            count[kind]++;
            size++;
            return time;
        }

        void evictOlderThan(final long oldest)
        {
            while (size > 0 && times[head] < oldest)
            {
                count[kinds[head]]--;
                head = (head + 1) % times.length;
                size--;
            }
        }

        void addCancelEvidence(final AlertRecord alert, final long triggering)
        {
            int added = 1;
            for (int i = size - 1; i >= 0 && added < AlertRecord.MAX_EVIDENCE; i--)
            {
                final int index = (head + i) % times.length;
                if (kinds[index] == CANCEL && offsets[index] != triggering)
                {
                    alert.evidence(offsets[index]);
                    added++;
                }
            }
        }
    }
}
