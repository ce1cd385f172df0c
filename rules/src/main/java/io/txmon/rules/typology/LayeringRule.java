package io.txmon.rules.typology;

import io.txmon.events.codec.OrderDecoder;
import io.txmon.events.codec.Severity;
import io.txmon.rules.AlertRecord;
import io.txmon.rules.Rule;
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
 * Layering: one account places at least {@code minOrders} new orders on one side of one instrument at
 * distinct price levels within a window, and cancels them within that same window. Evaluated on each
 * cancel: the orders counted are the account's cancelled new orders on the cancelled order's instrument
 * and side whose new message is no older than the window before the cancel; when they cover at least
 * minOrders distinct prices the rule alerts and those orders are consumed (they do not count towards a
 * later alert). Keyed on the order's account. The evidence is the triggering cancel then, for each order
 * counted, its new and its cancel (up to {@link AlertRecord#MAX_EVIDENCE} offsets).
 * <p>
 * Amends are ignored (the price of the new message is the order's level). Score: 600 at minOrders distinct
 * levels, +50 per further level, at most 1000.
 * <p>
 * Memory per owned account with orders, kept in an object column of the worker's {@link AccountStore} (so it is
 * forgotten when the store evicts the account): a ring of at most {@code capacity} new orders, each a record of 7 longs
 * in one {@code long[]} (order id, instrument, price, event time, offsets of the new and of the cancel, and one long
 * packing the side in its low 32 bits with a bit for a used slot and one for an order an alert consumed). That is 56
 * bytes an order plus 40 per account (a 24-byte object holding the array and the next slot, and the array's 16-byte
 * header): 264 bytes at 4 slots (3 orders), 3,624 at the default 64. The ring is allocated with
 * {@value #INITIAL_CAPACITY} slots (or {@code capacity} if fewer) and doubled, slot numbers kept, as it fills for the
 * first time, so it behaves exactly as a ring allocated at {@code capacity}. When full the oldest is dropped and
 * counted ({@link #droppedOrders()}). An evicted account's ring is reset and kept, with its array, for the next new
 * account, which then behaves and is written as with a new one.
 * <p>
 * State in a snapshot: the number of accounts (int), then per account, in ascending order of id, its id (long), the
 * slots written so far ({@code capacity} once the ring has wrapped) and the next slot (two ints), then each slot
 * written, in slot order: order id, instrument, price, event time, offset of the new and of the cancel (-1 if none)
 * (longs), side (int) and whether an alert consumed it (boolean). Slot numbers are kept, since the evidence lists
 * orders in slot order and the ring evicts the same order next; the ring is allocated at the size it had grown to. Read
 * back, the counts are checked against {@code capacity} and the ring invariants, and a consumed order must be
 * cancelled.
 */
public final class LayeringRule extends TypologyRule<LayeringRule.Parameters>
{
    /** Stable rule id. */
    public static final int ID = 21;
    /** Version of the logic. */
    public static final int VERSION = 1;
    /** Name in configuration and alerts. */
    public static final String NAME = "layering";
    /** Default least distinct price levels. */
    public static final int DEFAULT_MIN_ORDERS = 5;
    /** Default window: 10 s in ns. */
    public static final long DEFAULT_WINDOW_NS = 10_000_000_000L;
    /** Default new orders kept per account. */
    public static final int DEFAULT_CAPACITY = 64;
    /** Ring slots allocated per account when first seen, unless the capacity is fewer. */
    static final int INITIAL_CAPACITY = 2;

    private static final int NEW = 0;
    private static final int CANCEL = 2;

    /** Largest capacity accepted: the distinct-price count is quadratic in it. */
    public static final int MAX_CAPACITY = 4096;

    /** Least bytes an account takes in a snapshot: id, slots written, next slot. */
    private static final int ACCOUNT_STATE_BYTES = Long.BYTES + 2 * Integer.BYTES;

    /** Longs per order in an account's ring. */
    private static final int STRIDE = 7;
    /** The order id. */
    private static final int ORDER_ID = 0;
    /** The instrument. */
    private static final int INSTRUMENT = 1;
    /** The price of the new message. */
    private static final int PRICE = 2;
    /** The event time of the new message. */
    private static final int TIME = 3;
    /** The journal offset of the new message. */
    private static final int NEW_OFFSET = 4;
    /** The journal offset of the cancel, -1 until cancelled. */
    private static final int CANCEL_OFFSET = 5;
    /** Side (low 32 bits, the int as sent), {@link #USED} and {@link #CONSUMED} bits. */
    private static final int FLAGS = 6;
    /** The side's bits in {@link #FLAGS}. */
    private static final long SIDE_MASK = 0xFFFF_FFFFL;
    /** Bit of {@link #FLAGS}: the slot holds an order (slots are taken from 0; a recycled ring clears it). */
    private static final long USED = 1L << 32;
    /** Bit of {@link #FLAGS}: an alert consumed the order, so it counts towards no later alert. */
    private static final long CONSUMED = 1L << 33;

    /**
     * Parameters, validated on construction.
     *
     * @param minOrders   least distinct price levels, 2 to capacity; default {@value #DEFAULT_MIN_ORDERS}.
     * @param windowNanos window, inclusive, positive; default 10 s.
     * @param capacity    new orders kept per account, minOrders to {@value #MAX_CAPACITY}; default
     *                    {@value #DEFAULT_CAPACITY}.
     * @param severity    of the alerts; default {@link Severity#HIGH}.
     */
    public record Parameters(int minOrders, long windowNanos, int capacity, Severity severity)
    {
        /** Default parameters. */
        public static final Parameters DEFAULTS =
            new Parameters(DEFAULT_MIN_ORDERS, DEFAULT_WINDOW_NS, DEFAULT_CAPACITY, Severity.HIGH);

        /**
         * Validates every parameter.
         *
         * @throws IllegalArgumentException naming the rule and the parameter that is out of range.
         */
        public Parameters
        {
            atLeast(NAME, "minOrders", minOrders, 2);
            positive(NAME, "windowNanos", windowNanos);
            range(NAME, "capacity", capacity, "minOrders", minOrders, MAX_CAPACITY);
            set(NAME, "severity", severity);
        }
    }

    private final int minOrders;
    private final long windowNs;
    private final int capacity;
    private final Severity severity;
    private final AccountObjects<Orders> ordersBySlot;
    private long droppedOrders;

    /**
     * Defaults: {@link Parameters#DEFAULTS}, 5 levels, 10 s, 64 orders, severity HIGH.
     */
    public LayeringRule()
    {
        this(Parameters.DEFAULTS);
    }

    /**
     * @param minOrders least distinct price levels, 2 or more.
     * @param windowNs  window, positive.
     * @param capacity  new orders kept per account, at least minOrders.
     * @param severity  of the alerts.
     */
    public LayeringRule(final int minOrders, final long windowNs, final int capacity, final Severity severity)
    {
        this(new Parameters(minOrders, windowNs, capacity, severity));
    }

    /**
     * @param parameters validated parameters.
     */
    public LayeringRule(final Parameters parameters)
    {
        super(ID, VERSION, NAME, parameters);
        this.minOrders = parameters.minOrders();
        this.windowNs = parameters.windowNanos();
        this.capacity = parameters.capacity();
        this.severity = parameters.severity();
        this.ordersBySlot = new AccountObjects<>(
            this, Orders::reset, () -> new Orders(StateCapacity.initial(INITIAL_CAPACITY, capacity)));
    }

    /**
     * Unbounded: a cancel is evaluated only if its order's new message is still in the ring, however long the
     * order rested, and orders consumed by an alert depend on earlier alerts, a chain back through history.
     *
     * @return {@link Long#MAX_VALUE}.
     */
    public long horizonNanos()
    {
        return Long.MAX_VALUE;
    }

    /**
     * @return new orders dropped because an account's ring was full.
     */
    public long droppedOrders()
    {
        return droppedOrders;
    }

    /**
     * @return {@link Rule#ORDER}.
     */
    public long templates()
    {
        return ORDER;
    }

    /**
     * Moves the accounts' rings into the worker's account store.
     *
     * @param store the worker's store.
     */
    public void bind(final AccountStore store)
    {
        ordersBySlot.bind(store);
    }

    /**
     * Write every account's ring, slot by slot, accounts in ascending order.
     *
     * @param out to write to.
     */
    public void writeState(final StateWriter out)
    {
        ordersBySlot.writeAscending(out, Orders::write);
    }

    /**
     * Read back what {@link #writeState} wrote, replacing every account's ring; nothing changes if it fails.
     *
     * @param in to read from.
     */
    public void readState(final StateReader in)
    {
        ordersBySlot.readAscending(in, ACCOUNT_STATE_BYTES, "accounts", (reader, account) -> readOrders(reader));
    }

    /**
     * Read an account's ring written by {@link Orders#write}, after its id.
     *
     * @param in to read from.
     * @return the account's orders, the ring at the size it had grown to.
     */
    private Orders readOrders(final StateReader in)
    {
        final int written = in.getCount(0, capacity, "slots written");
        final int next = in.getCount(0, capacity - 1, "next slot");
        in.require(written == capacity || next == written, "the next slot is not the first unwritten");

        final Orders orders = new Orders(StateCapacity.holding(INITIAL_CAPACITY, capacity, written));
        orders.next = next;
        orders.read(in, written);
        return orders;
    }

    public void onEvent(final TxEvent event, final RuleContext context)
    {
        if (event.templateId != OrderDecoder.TEMPLATE_ID || (event.action != NEW && event.action != CANCEL) ||
            !context.owns(event.account))
        {
            return;
        }
        final int slot = context.slot(event.account);
        Orders orders = ordersBySlot.getOrCreate(slot);
        if (event.action == NEW)
        {
            if (orders.add(event, capacity))
            {
                droppedOrders++;
            }
            return;
        }

        final int index = orders.findUncancelled(event.orderId);
        if (index < 0)
        {
            return;
        }
        orders.cancel(index, event.offset);
        final long instrument = orders.instrument(index);
        final int side = orders.side(index);
        final long oldest = EventTimes.minus(event.eventTime, windowNs);

        int levels = 0;
        int counted = 0;
        final int n = orders.capacity();
        for (int i = 0; i < n; i++)
        {
            if (orders.counts(i, instrument, side, oldest, event.eventTime))
            {
                counted++;
                boolean newLevel = true;
                for (int j = 0; j < i; j++)
                {
                    if (orders.price(j) == orders.price(i) &&
                        orders.counts(j, instrument, side, oldest, event.eventTime))
                    {
                        newLevel = false;
                        break;
                    }
                }
                if (newLevel)
                {
                    levels++;
                }
            }
        }
        if (levels < minOrders)
        {
            return;
        }

        final AlertRecord alert = context.raise(
            this, severity, Math.min(1000, 600 + 50 * (levels - minOrders)), event.account).evidence(event.offset);
        for (int i = 0; i < n; i++)
        {
            if (orders.counts(i, instrument, side, oldest, event.eventTime))
            {
                alert.evidence(orders.newOffset(i));
                if (orders.cancelOffset(i) != event.offset)
                {
                    alert.evidence(orders.cancelOffset(i));
                }
                orders.consume(i);
            }
        }
        alert.reason()
            .append("account ").append(event.account)
            .append(" placed and cancelled ").append(counted).append(side == 0 ? " buy" : " sell")
            .append(" orders at ").append(levels).append(" distinct price levels on instrument ").append(instrument)
            .append(" within ").append(windowNs / 1_000_000L).append(" ms");
    }

    /**
     * One account's new orders: a ring of records of {@value #STRIDE} longs in one array, record {@code i}'s field
     * {@code f} at {@code i * STRIDE + f} (see the class Javadoc for the fields). Static, so it holds no reference to
     * the rule: what it needs of it (the capacity) is passed in, and what it counts (dropped orders) is returned.
     */
    private static final class Orders
    {
        long[] records;
        int next;

        /**
         * @param slots records allocated, up to the rule's capacity.
         */
        Orders(final int slots)
        {
            records = new long[slots * STRIDE];
        }

        /**
         * @return slots allocated.
         */
        int capacity()
        {
            return records.length / STRIDE;
        }

        /**
         * Make it as a new ring is, keeping its array, for another account: an evicted account's ring recycled by
         * the account store. Every slot is unused, which is all that is read of a slot before it is written again;
         * the array's length then decides nothing (slots are taken from 0, so past the ones taken none is used, and
         * the last slot is used only once the ring is allocated at its maximum and has been filled).
         */
        void reset()
        {
            for (int at = FLAGS; at < records.length; at += STRIDE)
            {
                records[at] &= ~USED;
            }
            next = 0;
        }

        /**
         * Double the ring, up to the maximum; slots keep their index, new ones are unused.
         *
         * @param maxCapacity most new orders held.
         */
        private void grow(final int maxCapacity)
        {
            records = StateCapacity.grown(records, STRIDE, StateCapacity.doubled(capacity(), maxCapacity));
        }

        /**
         * Write the ring, after the account, as the class Javadoc lays them out.
         *
         * @param out to write to.
         */
        void write(final StateWriter out)
        {
            // slots are written in order from 0 and never cleared: the last one is written once the ring wrapped
            final int slots = capacity();
            final int written = (records[(slots - 1) * STRIDE + FLAGS] & USED) != 0 ? slots : next;
            out.putInt(written).putInt(next);
            for (int i = 0; i < written; i++)
            {
                final int at = i * STRIDE;
                final long flags = records[at + FLAGS];
                out.putLong(records[at + ORDER_ID]).putLong(records[at + INSTRUMENT]).putLong(records[at + PRICE])
                    .putLong(records[at + TIME]).putLong(records[at + NEW_OFFSET]).putLong(records[at + CANCEL_OFFSET])
                    .putInt(sideOf(flags)).putBoolean((flags & CONSUMED) != 0);
            }
        }

        /**
         * Read the slots written by {@link #write}, after the counts, into slots 0 to {@code written - 1}.
         *
         * @param in      to read from.
         * @param written slots written, at most {@link #capacity()}.
         */
        void read(final StateReader in, final int written)
        {
            for (int i = 0; i < written; i++)
            {
                final int at = i * STRIDE;
                records[at + ORDER_ID] = in.getLong();
                records[at + INSTRUMENT] = in.getLong();
                records[at + PRICE] = in.getLong();
                records[at + TIME] = in.getLong();
                records[at + NEW_OFFSET] = in.getLong();
                final long cancelOffset = in.getLong();
                records[at + CANCEL_OFFSET] = cancelOffset;
                final int side = in.getInt();
                final boolean consumed = in.getBoolean();
                records[at + FLAGS] = flags(side, consumed);
                in.require(!consumed || cancelOffset >= 0, "a consumed order is not cancelled");
            }
        }

        /**
         * Take the next slot for a new order, growing the ring as it first fills.
         *
         * @param event       the new order.
         * @param maxCapacity most new orders held.
         * @return whether the slot held an order, now dropped.
         */
        boolean add(final TxEvent event, final int maxCapacity)
        {
            final int i = next;
            // the ring is only ever filled for the first time at its end, so slot numbers match a ring
            // allocated at full capacity
            if (i == capacity())
            {
                grow(maxCapacity);
            }
            next = next + 1 == maxCapacity ? 0 : next + 1;
            final int at = i * STRIDE;
            final boolean dropped = (records[at + FLAGS] & USED) != 0;
            records[at + ORDER_ID] = event.orderId;
            records[at + INSTRUMENT] = event.instrument;
            records[at + PRICE] = event.price;
            records[at + TIME] = event.eventTime;
            records[at + NEW_OFFSET] = event.offset;
            records[at + CANCEL_OFFSET] = -1;
            records[at + FLAGS] = flags(event.side, false);
            return dropped;
        }

        /**
         * @param id order id.
         * @return the lowest slot holding that order's new message not yet cancelled, or -1.
         */
        int findUncancelled(final long id)
        {
            final long[] records = this.records;
            for (int at = 0; at < records.length; at += STRIDE)
            {
                if ((records[at + FLAGS] & USED) != 0 && records[at + CANCEL_OFFSET] < 0 &&
                    records[at + ORDER_ID] == id)
                {
                    return at / STRIDE;
                }
            }
            return -1;
        }

        /**
         * @param i          slot.
         * @param instrument of the cancelled order.
         * @param side       of the cancelled order.
         * @param oldest     earliest event time of a new message counted.
         * @param now        the cancel's event time, latest counted.
         * @return whether the slot holds a cancelled order not consumed, on that instrument and side, placed in the
         * window.
         */
        boolean counts(final int i, final long instrument, final int side, final long oldest, final long now)
        {
            final int at = i * STRIDE;
            final long flags = records[at + FLAGS];
            final long time = records[at + TIME];
            return (flags & (USED | CONSUMED)) == USED && records[at + CANCEL_OFFSET] >= 0 &&
                records[at + INSTRUMENT] == instrument && sideOf(flags) == side && time >= oldest && time <= now;
        }

        long instrument(final int i)
        {
            return records[i * STRIDE + INSTRUMENT];
        }

        long price(final int i)
        {
            return records[i * STRIDE + PRICE];
        }

        long newOffset(final int i)
        {
            return records[i * STRIDE + NEW_OFFSET];
        }

        long cancelOffset(final int i)
        {
            return records[i * STRIDE + CANCEL_OFFSET];
        }

        int side(final int i)
        {
            return sideOf(records[i * STRIDE + FLAGS]);
        }

        void cancel(final int i, final long offset)
        {
            records[i * STRIDE + CANCEL_OFFSET] = offset;
        }

        void consume(final int i)
        {
            records[i * STRIDE + FLAGS] |= CONSUMED;
        }

        /**
         * @param side     the order's side, any int.
         * @param consumed whether an alert consumed it.
         * @return the flags field of a used slot.
         */
        private static long flags(final int side, final boolean consumed)
        {
            return (side & SIDE_MASK) | USED | (consumed ? CONSUMED : 0);
        }

        /**
         * @param flags the flags field of a slot.
         * @return the order's side, the int as sent.
         */
        private static int sideOf(final long flags)
        {
            return (int)(flags & SIDE_MASK);
        }
    }
}
