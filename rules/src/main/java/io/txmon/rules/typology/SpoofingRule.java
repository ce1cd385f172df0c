package io.txmon.rules.typology;

import io.txmon.events.codec.ExecutionDecoder;
import io.txmon.events.codec.OrderDecoder;
import io.txmon.events.codec.Severity;
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
 * Spoofing: on one account and instrument, a large order (quantity at or above a minimum) on one side,
 * resting when the same account executes on the other side, then cancelled within a short time after
 * that execution. Evaluated on each cancel; keyed on the order's account. The evidence is the cancel
 * (the triggering event), the large order's last new or amend, then the execution.
 * <p>
 * An order is large when its new or amend message carries a quantity at or above the minimum; an amend
 * below it makes the order small again. The execution must have an event time no earlier than the large
 * order's and no later than the cancel's, and the cancel must come at most {@code windowNs} after it;
 * the most recent such execution is reported. Score 800.
 * <p>
 * Memory per owned account with order or execution activity, kept in an object column of the worker's
 * {@link AccountStore} (so it is forgotten when the store evicts the account): a ring of at most {@code capacity} large
 * orders (6 fields, 44 bytes each) and one of at most {@code capacity} executions (5 fields, 36 bytes each): at most
 * about 5 KB at the default 64. Both rings are allocated with {@value #INITIAL_CAPACITY} slots (or {@code capacity} if
 * fewer) and doubled, slot numbers kept, as they fill for the first time, so they behave exactly as rings allocated at
 * {@code capacity}. When a ring is full the oldest entry is dropped and counted ({@link #droppedEntries()}); an order
 * dropped that way is no longer recognised when cancelled. An evicted account's state is reset and kept, with its
 * arrays, for the next new account, which then behaves and is written as with a new one.
 * <p>
 * State in a snapshot: the number of accounts (int), then per account, in ascending order of id, its id (long); the
 * order slots written so far, {@code capacity} once the ring has reached it, and the next order slot (two ints); the
 * executions held and the next execution slot (two ints); for each order slot written, whether it is live (boolean)
 * and, if so, its order id, instrument, quantity, event time and offset (longs) and side (int); then each execution
 * held, in slot order: exec id, instrument, event time, offset (longs) and side (int). Slot numbers are kept, so the
 * ring evicts the same order next; the rings are allocated at the size they had grown to. Read back, every count is
 * checked against {@code capacity} and the ring invariants, and a live order must be large.
 */
public final class SpoofingRule extends TypologyRule<SpoofingRule.Parameters>
{
    /** Stable rule id. */
    public static final int ID = 20;
    /** Version of the logic. */
    public static final int VERSION = 1;
    /** Name in configuration and alerts. */
    public static final String NAME = "spoofing";
    /** Default least quantity of a large order. */
    public static final long DEFAULT_MIN_QUANTITY = 10_000;
    /** Default longest time from the execution to the cancel: 5 s in ns. */
    public static final long DEFAULT_WINDOW_NS = 5_000_000_000L;
    /** Default entries per ring. */
    public static final int DEFAULT_CAPACITY = 64;
    /** Ring slots allocated per account when first seen, unless the capacity is fewer. */
    static final int INITIAL_CAPACITY = 2;

    private static final int NEW = 0;
    private static final int CANCEL = 2;

    /** Largest ring capacity accepted: each cancel scans the rings. */
    public static final int MAX_CAPACITY = 4096;

    /** Least bytes an account takes in a snapshot: id and four ring counters. */
    private static final int ACCOUNT_STATE_BYTES = Long.BYTES + 4 * Integer.BYTES;

    /**
     * Parameters, validated on construction.
     *
     * @param minQuantity least quantity of a large order, positive; default {@value #DEFAULT_MIN_QUANTITY}.
     * @param windowNanos longest time from the execution to the cancel, inclusive, positive; default 5 s.
     * @param capacity    entries per ring, 1 to {@value #MAX_CAPACITY}; default {@value #DEFAULT_CAPACITY}.
     * @param severity    of the alerts; default {@link Severity#HIGH}.
     */
    public record Parameters(long minQuantity, long windowNanos, int capacity, Severity severity)
    {
        /** Default parameters. */
        public static final Parameters DEFAULTS =
            new Parameters(DEFAULT_MIN_QUANTITY, DEFAULT_WINDOW_NS, DEFAULT_CAPACITY, Severity.HIGH);

        /**
         * Validates every parameter.
         *
         * @throws IllegalArgumentException naming the rule and the parameter that is out of range.
         */
        public Parameters
        {
            positive(NAME, "minQuantity", minQuantity);
            positive(NAME, "windowNanos", windowNanos);
            range(NAME, "capacity", capacity, 1, MAX_CAPACITY);
            set(NAME, "severity", severity);
        }
    }

    private final long minQuantity;
    private final long windowNs;
    private final int capacity;
    private final Severity severity;
    private final AccountObjects<AccountState> states;
    private long droppedEntries;

    /**
     * Defaults: {@link Parameters#DEFAULTS}, 10,000, 5 s, 64 entries, severity HIGH.
     */
    public SpoofingRule()
    {
        this(Parameters.DEFAULTS);
    }

    /**
     * @param minQuantity least quantity of a large order, positive.
     * @param windowNs    longest time from the execution to the cancel, positive.
     * @param capacity    entries per ring, positive.
     * @param severity    of the alerts.
     */
    public SpoofingRule(final long minQuantity, final long windowNs, final int capacity, final Severity severity)
    {
        this(new Parameters(minQuantity, windowNs, capacity, severity));
    }

    /**
     * @param parameters validated parameters.
     */
    public SpoofingRule(final Parameters parameters)
    {
        super(ID, VERSION, NAME, parameters);
        this.minQuantity = parameters.minQuantity();
        this.windowNs = parameters.windowNanos();
        this.capacity = parameters.capacity();
        this.severity = parameters.severity();
        this.states = new AccountObjects<>(this, AccountState::reset, () -> new AccountState(capacity));
    }

    /**
     * Unbounded: a large order stays in the ring until it is cancelled, amended small or pushed out, however
     * long it rests, and its cancel alerts only if it is still there.
     *
     * @return {@link Long#MAX_VALUE}.
     */
    public long horizonNanos()
    {
        return Long.MAX_VALUE;
    }

    /**
     * @return ring entries dropped because a ring was full.
     */
    public long droppedEntries()
    {
        return droppedEntries;
    }

    /**
     * @return {@link Rule#ORDER} and {@link Rule#EXECUTION}.
     */
    public long templates()
    {
        return ORDER | EXECUTION;
    }

    /**
     * Moves the accounts' rings into the worker's account store.
     *
     * @param store the worker's store.
     */
    public void bind(final AccountStore store)
    {
        states.bind(store);
    }

    /**
     * Write every account's order and execution rings, slot by slot, accounts in ascending order.
     *
     * @param out to write to.
     */
    public void writeState(final StateWriter out)
    {
        states.writeAscending(out, AccountState::write);
    }

    /**
     * Read back what {@link #writeState} wrote, replacing every account's rings; nothing changes if it fails.
     *
     * @param in to read from.
     */
    public void readState(final StateReader in)
    {
        states.readAscending(in, ACCOUNT_STATE_BYTES, "accounts", (reader, account) -> readAccount(reader));
    }

    /**
     * Read an account's rings written by {@link AccountState#write}, after its id.
     *
     * @param in to read from.
     * @return the account's state, its rings at the size they had grown to.
     */
    private AccountState readAccount(final StateReader in)
    {
        final int max = capacity;
        final int orderSlots = in.getCount(0, max, "order slots written");
        final int orderNext = in.getCount(0, max - 1, "next order slot");
        in.require(orderSlots == max || orderNext == orderSlots, "the next order slot is not the first unwritten");
        final int execSize = in.getCount(0, max, "executions held");
        final int execNext = in.getCount(0, max - 1, "next execution slot");
        in.require(execSize == max || execNext == execSize, "the next execution slot is not the first unused");

        final AccountState state = new AccountState(
            max, StateCapacity.holding(INITIAL_CAPACITY, max, orderSlots),
            StateCapacity.holding(INITIAL_CAPACITY, max, execSize));
        state.orderNext = orderNext;
        state.execNext = execNext;
        state.execSize = execSize;
        for (int i = 0; i < orderSlots; i++)
        {
            if (in.getBoolean())
            {
                state.orderLive[i] = true;
                state.orderId[i] = in.getLong();
                state.orderInstrument[i] = in.getLong();
                state.orderQuantity[i] = in.getLong();
                state.orderTime[i] = in.getLong();
                state.orderOffset[i] = in.getLong();
                state.orderSide[i] = in.getInt();
                in.require(state.orderQuantity[i] >= minQuantity, "a live order is below the minimum");
            }
        }
        for (int i = 0; i < execSize; i++)
        {
            state.execId[i] = in.getLong();
            state.execInstrument[i] = in.getLong();
            state.execTime[i] = in.getLong();
            state.execOffset[i] = in.getLong();
            state.execSide[i] = in.getInt();
        }
        return state;
    }

    public void onEvent(final TxEvent event, final RuleContext context)
    {
        final boolean order = event.templateId == OrderDecoder.TEMPLATE_ID;
        if ((!order && event.templateId != ExecutionDecoder.TEMPLATE_ID) || !context.owns(event.account))
        {
            return;
        }
        final int slot = context.slot(event.account);
        AccountState state = states.getOrCreate(slot);

        if (!order)
        {
            state.addExecution(event);
            return;
        }

        final int index = state.findOrder(event.orderId);
        if (event.action != CANCEL)
        {
            if (event.quantity >= minQuantity)
            {
                state.upsertOrder(index, event);
            }
            else if (index >= 0)
            {
                state.orderLive[index] = false;
            }
            return;
        }
        if (index < 0)
        {
            return;
        }
        state.orderLive[index] = false;
        final int exec = state.findExecution(
            state.orderInstrument[index], state.orderSide[index], state.orderTime[index], event.eventTime, windowNs);
        if (exec < 0)
        {
            return;
        }

        final long delay = event.eventTime - state.execTime[exec];
        context.raise(this, severity, 800, event.account)
            .evidence(event.offset)
            .evidence(state.orderOffset[index])
            .evidence(state.execOffset[exec])
            .reason()
            .append("account ").append(event.account)
            .append(" cancelled ").append(state.orderSide[index] == 0 ? "buy" : "sell")
            .append(" order ").append(event.orderId)
            .append(" of ").append(state.orderQuantity[index])
            .append(" on instrument ").append(state.orderInstrument[index])
            .append(" ").append(delay / 1_000_000L).append(" ms after its execution ").append(state.execId[exec])
            .append(" on the ").append(state.orderSide[index] == 0 ? "sell" : "buy").append(" side");
    }

    private final class AccountState
    {
        private final int maxCapacity;
        /**
         * The order ring's size on its growth path, what a new state has allocated by now: it decides what is
         * written. The arrays may be longer, kept from another account by {@link #reset}.
         */
        private int orderSlots;

        long[] orderId;
        long[] orderInstrument;
        long[] orderQuantity;
        long[] orderTime;
        long[] orderOffset;
        int[] orderSide;
        boolean[] orderLive;
        int orderNext;

        long[] execId;
        long[] execInstrument;
        long[] execTime;
        long[] execOffset;
        int[] execSide;
        int execNext;
        int execSize;

        /**
         * @param maxCapacity most entries per ring, at least 1.
         */
        AccountState(final int maxCapacity)
        {
            this(maxCapacity, StateCapacity.initial(INITIAL_CAPACITY, maxCapacity),
                StateCapacity.initial(INITIAL_CAPACITY, maxCapacity));
        }

        /**
         * @param maxCapacity most entries per ring, at least 1.
         * @param orderSlots  allocated for orders, up to maxCapacity.
         * @param execSlots   allocated for executions, up to maxCapacity.
         */
        AccountState(final int maxCapacity, final int orderSlots, final int execSlots)
        {
            this.maxCapacity = maxCapacity;
            this.orderSlots = orderSlots;
            orderId = new long[orderSlots];
            orderInstrument = new long[orderSlots];
            orderQuantity = new long[orderSlots];
            orderTime = new long[orderSlots];
            orderOffset = new long[orderSlots];
            orderSide = new int[orderSlots];
            orderLive = new boolean[orderSlots];
            execId = new long[execSlots];
            execInstrument = new long[execSlots];
            execTime = new long[execSlots];
            execOffset = new long[execSlots];
            execSide = new int[execSlots];
        }

        /**
         * Make it as a new state is, keeping its arrays, for another account: an evicted account's state recycled
         * by the account store. The order ring's size goes back to the initial one, since it decides what is
         * written; the arrays past it are not live, and the execution ring's length decides nothing (an entry is
         * read only while held, and a ring holds its maximum only once allocated at it).
         */
        void reset()
        {
            orderSlots = StateCapacity.initial(INITIAL_CAPACITY, maxCapacity);
            Arrays.fill(orderLive, false);
            orderNext = 0;
            execNext = 0;
            execSize = 0;
        }

        /**
         * Write the rings, after the account, as the class Javadoc lays them out.
         *
         * @param out to write to.
         */
        void write(final StateWriter out)
        {
            // below full size the ring has never wrapped, so the slots from orderNext on were never written
            final int written = orderSlots < maxCapacity ? orderNext : maxCapacity;
            out.putInt(written).putInt(orderNext).putInt(execSize).putInt(execNext);
            for (int i = 0; i < written; i++)
            {
                out.putBoolean(orderLive[i]);
                if (orderLive[i])
                {
                    out.putLong(orderId[i]).putLong(orderInstrument[i]).putLong(orderQuantity[i])
                        .putLong(orderTime[i]).putLong(orderOffset[i]).putInt(orderSide[i]);
                }
            }
            for (int i = 0; i < execSize; i++)
            {
                out.putLong(execId[i]).putLong(execInstrument[i]).putLong(execTime[i]).putLong(execOffset[i])
                    .putInt(execSide[i]);
            }
        }

        /**
         * Double the order ring, up to the maximum; slots keep their index, new ones are not live. Arrays kept
         * from another account may be long enough already.
         */
        private void growOrders()
        {
            orderSlots = StateCapacity.doubled(orderSlots, maxCapacity);
            if (orderId.length >= orderSlots)
            {
                return;
            }
            final int capacity = orderSlots;
            orderId = Arrays.copyOf(orderId, capacity);
            orderInstrument = Arrays.copyOf(orderInstrument, capacity);
            orderQuantity = Arrays.copyOf(orderQuantity, capacity);
            orderTime = Arrays.copyOf(orderTime, capacity);
            orderOffset = Arrays.copyOf(orderOffset, capacity);
            orderSide = Arrays.copyOf(orderSide, capacity);
            orderLive = Arrays.copyOf(orderLive, capacity);
        }

        /**
         * Double the execution ring, up to the maximum; entries keep their index.
         */
        private void growExecutions()
        {
            final int capacity = StateCapacity.doubled(execId.length, maxCapacity);
            execId = Arrays.copyOf(execId, capacity);
            execInstrument = Arrays.copyOf(execInstrument, capacity);
            execTime = Arrays.copyOf(execTime, capacity);
            execOffset = Arrays.copyOf(execOffset, capacity);
            execSide = Arrays.copyOf(execSide, capacity);
        }

        int findOrder(final long id)
        {
            for (int i = 0; i < orderSlots; i++)
            {
                if (orderLive[i] && orderId[i] == id)
                {
                    return i;
                }
            }
            return -1;
        }

        void upsertOrder(final int found, final TxEvent event)
        {
            int index = found;
            if (index < 0)
            {
                index = orderNext;
                // the ring is only ever filled for the first time at its end, so slot numbers match a ring
                // allocated at full capacity
                if (index == orderSlots)
                {
                    growOrders();
                }
                orderNext = orderNext + 1 == maxCapacity ? 0 : orderNext + 1;
                if (orderLive[index])
                {
                    droppedEntries++;
                }
            }
            orderId[index] = event.orderId;
            orderInstrument[index] = event.instrument;
            orderQuantity[index] = event.quantity;
            orderTime[index] = found < 0 ? event.eventTime : orderTime[index];
            orderOffset[index] = event.offset;
            orderSide[index] = event.side;
            orderLive[index] = true;
        }

        void addExecution(final TxEvent event)
        {
            final int index = execNext;
            if (index == execId.length)
            {
                growExecutions();
            }
            execNext = execNext + 1 == maxCapacity ? 0 : execNext + 1;
            if (execSize == maxCapacity)
            {
                droppedEntries++;
            }
            else
            {
                execSize++;
            }
            execId[index] = event.execId;
            execInstrument[index] = event.instrument;
            execTime[index] = event.eventTime;
            execOffset[index] = event.offset;
            execSide[index] = event.side;
        }

        /**
         * @return the most recent execution on the other side of the instrument between the order and the
         * cancel, at most window before the cancel; -1 if none.
         */
        int findExecution(
            final long instrument, final int orderSide, final long orderTime, final long cancelTime, final long window)
        {
            int best = -1;
            for (int k = 0; k < execSize; k++)
            {
                final int i = (execNext - 1 - k + execId.length) % execId.length;
                final long t = execTime[i];
                if (execInstrument[i] == instrument && execSide[i] != orderSide && t >= orderTime &&
                    t <= cancelTime && cancelTime - t <= window && (best < 0 || t > execTime[best]))
                {
                    best = i;
                }
            }
            return best;
        }
    }
}
