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
 * {@link AccountStore} (so it is forgotten when the store evicts the account): a 40-byte object (four ring counters,
 * the capacity, two references) and one {@code long[]} of records per ring (16-byte array header each). A ring of at
 * most {@code capacity} large orders, 6 longs (48 bytes) each: id, instrument, quantity, event time, offset, and the
 * side packed with the live flag in one long; and one of at most {@code capacity} executions, 5 longs (40 bytes)
 * each: id, instrument, event time, offset and side. So 72 bytes plus 48 per order slot and 40 per execution slot
 * allocated: 248 bytes as first allocated, 424 at 4 slots each, 5,704 at the default 64. Both rings are allocated
 * with {@value #INITIAL_CAPACITY} slots (or {@code capacity} if fewer) and doubled, slot numbers kept, as they fill
 * for the first time, so they behave exactly as rings allocated at {@code capacity}. When a ring is full the oldest
 * entry is dropped and counted ({@link #droppedEntries()}); an order dropped that way is no longer recognised when
 * cancelled. An evicted account's state is reset and kept, with its arrays, for the next new account, which then
 * behaves and is written as with a new one.
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
                final long id = in.getLong();
                final long instrument = in.getLong();
                final long quantity = in.getLong();
                final long time = in.getLong();
                final long offset = in.getLong();
                final int side = in.getInt();
                state.putOrder(i, id, instrument, quantity, time, offset, side);
                in.require(quantity >= minQuantity, "a live order is below the minimum");
            }
        }
        for (int i = 0; i < execSize; i++)
        {
            final long id = in.getLong();
            final long instrument = in.getLong();
            final long time = in.getLong();
            final long offset = in.getLong();
            final int side = in.getInt();
            state.putExecution(i, id, instrument, time, offset, side);
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
            if (state.addExecution(event))
            {
                droppedEntries++;
            }
            return;
        }

        final int index = state.findOrder(event.orderId);
        if (event.action != CANCEL)
        {
            if (event.quantity >= minQuantity)
            {
                if (state.upsertOrder(index, event))
                {
                    droppedEntries++;
                }
            }
            else if (index >= 0)
            {
                state.endOrder(index);
            }
            return;
        }
        if (index < 0)
        {
            return;
        }
        state.endOrder(index);
        final int orderSide = state.orderSide(index);
        final int exec = state.findExecution(
            state.orderInstrument(index), orderSide, state.orderTime(index), event.eventTime, windowNs);
        if (exec < 0)
        {
            return;
        }

        final long delay = event.eventTime - state.execTime(exec);
        context.raise(this, severity, 800, event.account)
            .evidence(event.offset)
            .evidence(state.orderOffset(index))
            .evidence(state.execOffset(exec))
            .reason()
            .append("account ").append(event.account)
            .append(" cancelled ").append(orderSide == 0 ? "buy" : "sell")
            .append(" order ").append(event.orderId)
            .append(" of ").append(state.orderQuantity(index))
            .append(" on instrument ").append(state.orderInstrument(index))
            .append(" ").append(delay / 1_000_000L).append(" ms after its execution ").append(state.execId(exec))
            .append(" on the ").append(orderSide == 0 ? "sell" : "buy").append(" side");
    }

    /**
     * One account's two rings, each one {@code long[]} of records: order slot {@code i}'s field {@code f} at
     * {@code i * ORDER_STRIDE + f}, execution slot {@code i}'s at {@code i * EXEC_STRIDE + f}. Static, so it holds
     * no reference to the rule: the dropped entries it reports are counted by the rule.
     */
    private static final class AccountState
    {
        /** Order field: the order id. */
        private static final int ORDER_ID = 0;
        /** Order field: the instrument. */
        private static final int ORDER_INSTRUMENT = 1;
        /** Order field: the quantity of its last new or amend. */
        private static final int ORDER_QUANTITY = 2;
        /** Order field: event time of the message that made it live (new, or amend to large), kept by amends. */
        private static final int ORDER_TIME = 3;
        /** Order field: the offset of its last new or amend. */
        private static final int ORDER_OFFSET = 4;
        /** Order field: the side in the low 32 bits ({@link #SIDE_MASK}) and the {@link #LIVE} flag at bit 32. */
        private static final int ORDER_FLAGS = 5;
        /** Longs per order record. */
        private static final int ORDER_STRIDE = 6;

        /** Execution field: the exec id. */
        private static final int EXEC_ID = 0;
        /** Execution field: the instrument. */
        private static final int EXEC_INSTRUMENT = 1;
        /** Execution field: the event time. */
        private static final int EXEC_TIME = 2;
        /** Execution field: the offset. */
        private static final int EXEC_OFFSET = 3;
        /** Execution field: the side in the low 32 bits ({@link #SIDE_MASK}). */
        private static final int EXEC_SIDE = 4;
        /** Longs per execution record. */
        private static final int EXEC_STRIDE = 5;

        /** The bits of a packed field holding the side, an int: cast the field to int to read it. */
        private static final long SIDE_MASK = 0xFFFF_FFFFL;
        /** Bit of {@link #ORDER_FLAGS} set while the slot holds a large, uncancelled order. */
        private static final long LIVE = 1L << 32;

        private final int maxCapacity;
        /**
         * The order ring's size on its growth path, what a new state has allocated by now: it decides what is
         * written. The array may hold more records, kept from another account by {@link #reset}.
         */
        private int orderSlots;
        private int orderNext;
        private int execNext;
        private int execSize;
        /** Order records, {@link #ORDER_STRIDE} longs each. */
        private long[] orders;
        /** Execution records, {@link #EXEC_STRIDE} longs each; their number is the execution ring's size. */
        private long[] executions;

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
            orders = new long[orderSlots * ORDER_STRIDE];
            executions = new long[execSlots * EXEC_STRIDE];
        }

        /**
         * Make it as a new state is, keeping its arrays, for another account: an evicted account's state recycled
         * by the account store. The order ring's size goes back to the initial one, since it decides what is
         * written; no record of the array is live, even past it, and the execution ring's length decides nothing
         * (an entry is read only while held, and a ring holds its maximum only once allocated at it).
         */
        void reset()
        {
            orderSlots = StateCapacity.initial(INITIAL_CAPACITY, maxCapacity);
            final long[] orders = this.orders;
            for (int i = ORDER_FLAGS; i < orders.length; i += ORDER_STRIDE)
            {
                orders[i] &= ~LIVE;
            }
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
            final long[] orders = this.orders;
            for (int i = 0; i < written; i++)
            {
                final int at = i * ORDER_STRIDE;
                final long flags = orders[at + ORDER_FLAGS];
                final boolean live = (flags & LIVE) != 0;
                out.putBoolean(live);
                if (live)
                {
                    out.putLong(orders[at + ORDER_ID]).putLong(orders[at + ORDER_INSTRUMENT])
                        .putLong(orders[at + ORDER_QUANTITY]).putLong(orders[at + ORDER_TIME])
                        .putLong(orders[at + ORDER_OFFSET]).putInt((int)flags);
                }
            }
            final long[] executions = this.executions;
            for (int i = 0; i < execSize; i++)
            {
                final int at = i * EXEC_STRIDE;
                out.putLong(executions[at + EXEC_ID]).putLong(executions[at + EXEC_INSTRUMENT])
                    .putLong(executions[at + EXEC_TIME]).putLong(executions[at + EXEC_OFFSET])
                    .putInt((int)executions[at + EXEC_SIDE]);
            }
        }

        /**
         * Fill an order slot and make it live.
         *
         * @param index      of the slot, below the order ring's size.
         * @param id         order id.
         * @param instrument of the order.
         * @param quantity   of its last new or amend.
         * @param time       event time it rests from.
         * @param offset     of its last new or amend.
         * @param side       of the order.
         */
        void putOrder(
            final int index,
            final long id,
            final long instrument,
            final long quantity,
            final long time,
            final long offset,
            final int side)
        {
            final int at = index * ORDER_STRIDE;
            orders[at + ORDER_ID] = id;
            orders[at + ORDER_INSTRUMENT] = instrument;
            orders[at + ORDER_QUANTITY] = quantity;
            orders[at + ORDER_TIME] = time;
            orders[at + ORDER_OFFSET] = offset;
            orders[at + ORDER_FLAGS] = (side & SIDE_MASK) | LIVE;
        }

        /**
         * Fill an execution slot.
         *
         * @param index      of the slot, below the execution ring's size.
         * @param id         exec id.
         * @param instrument of the execution.
         * @param time       its event time.
         * @param offset     its offset.
         * @param side       the account's side in it.
         */
        void putExecution(
            final int index, final long id, final long instrument, final long time, final long offset, final int side)
        {
            final int at = index * EXEC_STRIDE;
            executions[at + EXEC_ID] = id;
            executions[at + EXEC_INSTRUMENT] = instrument;
            executions[at + EXEC_TIME] = time;
            executions[at + EXEC_OFFSET] = offset;
            executions[at + EXEC_SIDE] = side & SIDE_MASK;
        }

        /**
         * The order in a slot is no longer live (cancelled, or amended small); its fields stay readable.
         *
         * @param index of a live order's slot.
         */
        void endOrder(final int index)
        {
            orders[index * ORDER_STRIDE + ORDER_FLAGS] &= ~LIVE;
        }

        long orderInstrument(final int index)
        {
            return orders[index * ORDER_STRIDE + ORDER_INSTRUMENT];
        }

        long orderQuantity(final int index)
        {
            return orders[index * ORDER_STRIDE + ORDER_QUANTITY];
        }

        long orderTime(final int index)
        {
            return orders[index * ORDER_STRIDE + ORDER_TIME];
        }

        long orderOffset(final int index)
        {
            return orders[index * ORDER_STRIDE + ORDER_OFFSET];
        }

        int orderSide(final int index)
        {
            return (int)orders[index * ORDER_STRIDE + ORDER_FLAGS];
        }

        long execId(final int index)
        {
            return executions[index * EXEC_STRIDE + EXEC_ID];
        }

        long execTime(final int index)
        {
            return executions[index * EXEC_STRIDE + EXEC_TIME];
        }

        long execOffset(final int index)
        {
            return executions[index * EXEC_STRIDE + EXEC_OFFSET];
        }

        /**
         * @param id order id.
         * @return the slot of the live order with that id, -1 if none.
         */
        int findOrder(final long id)
        {
            final long[] orders = this.orders;
            for (int i = 0; i < orderSlots; i++)
            {
                final int at = i * ORDER_STRIDE;
                if ((orders[at + ORDER_FLAGS] & LIVE) != 0 && orders[at + ORDER_ID] == id)
                {
                    return i;
                }
            }
            return -1;
        }

        /**
         * Put a large order's new or amend in its slot, or in the next one if it is not held.
         *
         * @param found  the order's slot from {@link #findOrder}, -1 if not held.
         * @param event  the order's new or amend.
         * @return whether a live order was pushed out of the full ring to make room.
         */
        boolean upsertOrder(final int found, final TxEvent event)
        {
            int index = found;
            boolean dropped = false;
            if (index < 0)
            {
                index = orderNext;
                // the ring is only ever filled for the first time at its end, so slot numbers match a ring
                // allocated at full capacity
                if (index == orderSlots)
                {
                    orderSlots = StateCapacity.doubled(orderSlots, maxCapacity);
                    // new records are zero, not live; an array kept from another account may be long enough
                    orders = StateCapacity.grown(orders, ORDER_STRIDE, orderSlots);
                }
                orderNext = orderNext + 1 == maxCapacity ? 0 : orderNext + 1;
                dropped = (orders[index * ORDER_STRIDE + ORDER_FLAGS] & LIVE) != 0;
            }
            final long time = found < 0 ? event.eventTime : orderTime(index);
            putOrder(index, event.orderId, event.instrument, event.quantity, time, event.offset, event.side);
            return dropped;
        }

        /**
         * Put an execution in the next slot, pushing out the oldest if the ring is full.
         *
         * @param event the execution.
         * @return whether the oldest execution was pushed out to make room.
         */
        boolean addExecution(final TxEvent event)
        {
            final int index = execNext;
            if (index == executions.length / EXEC_STRIDE)
            {
                // entries keep their index
                executions = StateCapacity.grown(
                    executions, EXEC_STRIDE, StateCapacity.doubled(index, maxCapacity));
            }
            execNext = execNext + 1 == maxCapacity ? 0 : execNext + 1;
            final boolean dropped = execSize == maxCapacity;
            if (!dropped)
            {
                execSize++;
            }
            putExecution(index, event.execId, event.instrument, event.eventTime, event.offset, event.side);
            return dropped;
        }

        /**
         * @return the most recent execution on the other side of the instrument between the order and the
         * cancel, at most window before the cancel; -1 if none.
         */
        int findExecution(
            final long instrument, final int orderSide, final long orderTime, final long cancelTime, final long window)
        {
            final long[] executions = this.executions;
            final int slots = executions.length / EXEC_STRIDE;
            int best = -1;
            long bestTime = 0;
            for (int k = 0; k < execSize; k++)
            {
                final int i = (execNext - 1 - k + slots) % slots;
                final int at = i * EXEC_STRIDE;
                final long t = executions[at + EXEC_TIME];
                if (executions[at + EXEC_INSTRUMENT] == instrument && (int)executions[at + EXEC_SIDE] != orderSide &&
                    t >= orderTime && t <= cancelTime && cancelTime - t <= window && (best < 0 || t > bestTime))
                {
                    best = i;
                    bestTime = t;
                }
            }
            return best;
        }
    }
}
