package io.txmon.rules.typology;

import io.txmon.rules.state.AccountStore;
import io.txmon.rules.state.StateReader;
import io.txmon.rules.state.StateWriter;

/**
 * One amount typology's bounded, time-ordered sliding window of an account's payments, oldest first: a view of
 * the account's {@link PaymentHistory}, which stores each payment once for every window that holds it.
 * <p>
 * The window is a flyweight: {@link #at} positions it on an account's slot, and everything it knows of that
 * account is in the account's {@link PaymentHistory.Entries}, beside the entries: the range of the history it
 * holds (first seq and count), its clock, the time its oldest entry counts from, and the running sum of the
 * amounts it holds (or {@code -1} once that does not fit a {@code long}, until the window is empty). That is 40
 * bytes per account and rule, next to the other rules' and to the history's 32 bytes per payment, stored once:
 * one object and two arrays for what the amount rules know of an account.
 * <p>
 * Time never goes backwards inside a window: {@link #advance(long)} returns the window's clock, the newest event
 * time it has seen, and a late event is evaluated and stored at the clock. The history stores the event's own
 * time (other windows may have other clocks); the time an entry has in this window is the newest of its own
 * time and those of the window's entries before it, starting from the clock when the window was last empty, which
 * is what the clock was when the entry was added. An entry whose amount reads zero has been consumed by an alert
 * of this window's rule and no longer counts for it, but keeps its place until it ages out.
 * <p>
 * A window holds at most {@code maxCapacity} entries, dropping the oldest when full. The history holds the
 * entries of every view and grows (doubling from {@value PaymentHistory#INITIAL_CAPACITY}) only when they need it;
 * the physical capacity decides nothing and is not written.
 * <p>
 * In a snapshot ({@link #writeTo}): the clock (long), the number of entries (int), the time the oldest entry
 * counts from (long), then each entry oldest first as its time as sent, its amount in this window (0 if consumed)
 * and its offset (three longs): 20 bytes and 24 an entry.
 * <p>
 * Not thread safe: owned by one rule instance on one worker thread.
 */
final class AmlAmountWindow
{
    /** Entries allocated when the account is first seen, unless the maximum is smaller. */
    static final int INITIAL_CAPACITY = PaymentHistory.INITIAL_CAPACITY;
    /** Bytes of a window in a snapshot before its entries: the clock, the count and the oldest entry's base. */
    static final int HEADER_BYTES = 2 * Long.BYTES + Integer.BYTES;
    /** Bytes of one entry in a snapshot: time, amount and offset. */
    static final int ENTRY_BYTES = 3 * Long.BYTES;

    private static final long OVERFLOWED = -1;
    private static final int START = PaymentHistory.VIEW_START;
    private static final int COUNT = PaymentHistory.VIEW_COUNT;
    private static final int CLOCK = PaymentHistory.VIEW_CLOCK;
    private static final int BASE = PaymentHistory.VIEW_BASE;
    private static final int SUM = PaymentHistory.VIEW_SUM;

    private final Object owner;
    private final int maxCapacity;
    private final boolean sharesHistory;
    private AccountStore store;
    private PaymentHistory history;
    private long bit;
    private int fields;

    private int slot;
    // the account's entries, or null while it has none (then the fields read as empty)
    private PaymentHistory.Entries entries;

    /**
     * A window of one account of its own, for tests of the window alone.
     *
     * @param maxCapacity most entries held, at least 1.
     */
    AmlAmountWindow(final int maxCapacity)
    {
        this(new Object(), maxCapacity, false, new AccountStore(AccountStore.Limits.UNBOUNDED));
        at(store.slotForRead(0));
    }

    /**
     * @param owner         the rule.
     * @param maxCapacity   most entries held, at least 1.
     * @param sharesHistory true to read the store's shared history of every positive payment; false for a history
     *                      of its own (a rule that holds only some payments).
     * @param store         the account store.
     */
    AmlAmountWindow(final Object owner, final int maxCapacity, final boolean sharesHistory, final AccountStore store)
    {
        this.owner = owner;
        this.maxCapacity = maxCapacity;
        this.sharesHistory = sharesHistory;
        joinHistoryOf(store);
    }

    private void joinHistoryOf(final AccountStore store)
    {
        this.store = store;
        history = sharesHistory ? PaymentHistory.shared(store) : new PaymentHistory(store, owner);
        bit = history.register(this);
        fields = Long.numberOfTrailingZeros(bit) * PaymentHistory.VIEW_FIELDS;
        entries = null;
    }

    /**
     * Moves the window into another store (the worker's, {@link io.txmon.rules.Rule#bind}) with what it holds.
     *
     * @param to the store.
     * @throws IllegalStateException if the store's history already holds payments of an account this window holds
     * payments of.
     */
    void moveTo(final AccountStore to)
    {
        if (to == store)
        {
            return;
        }
        final StateWriter held = new StateWriter();
        final AccountStore from = store;
        held.putInt(accountsHeld());
        for (int s = from.oldest(); s != AccountStore.NONE; s = from.newerThan(s))
        {
            if (exists(s))
            {
                held.putLong(from.account(s)).putLong(from.lastSeen(s));
                at(s).writeTo(held);
            }
        }
        from.release(owner);
        joinHistoryOf(to);
        final StateReader in = new StateReader().wrap(held.buffer(), 0, held.position(), "moving a window");
        for (int i = in.getInt(); i > 0; i--)
        {
            final long account = in.getLong();
            final int s = to.slotForRead(account, in.getLong());
            if (null != history.entries(s) && history.entries(s).size > 0)
            {
                throw new IllegalStateException("bind a rule before it holds payments of account " + account +
                    ", which the worker's other rules hold");
            }
            read(s, in);
        }
    }

    /**
     * @param slot an account's slot ({@link io.txmon.rules.RuleContext#slot}).
     * @return this window, positioned on the account.
     */
    AmlAmountWindow at(final int slot)
    {
        this.slot = slot;
        final PaymentHistory.Entries entries = history.entries(slot);
        if (null != entries && entries.views.length <= fields)
        {
            // the entries were made before this view joined the history
            history.entriesOrCreate(slot, 0);
        }
        this.entries = entries;
        return this;
    }

    private long get(final int field)
    {
        return null == entries ? empty(field) : entries.views[fields + field];
    }

    private void set(final int field, final long value)
    {
        if (null == entries)
        {
            entries = history.entriesOrCreate(slot, StateCapacity.initial(INITIAL_CAPACITY, maxCapacity));
        }
        entries.views[fields + field] = value;
    }

    private static long empty(final int field)
    {
        return CLOCK == field || BASE == field ? Long.MIN_VALUE : 0;
    }

    AccountStore store()
    {
        return store;
    }

    Object owner()
    {
        return owner;
    }

    long bit()
    {
        return bit;
    }

    /**
     * @param entries  an account's entries.
     * @param otherwise returned if this window holds none of them.
     * @return the seq of the oldest entry this window holds for the account.
     */
    long oldestSeq(final PaymentHistory.Entries entries, final long otherwise)
    {
        return entries.views.length <= fields || 0 == entries.views[fields + COUNT] ?
            otherwise : entries.views[fields + START];
    }

    /**
     * @param entries an account's entries, holding this view's fields.
     * @return the number of entries this view holds there.
     */
    int size(final PaymentHistory.Entries entries)
    {
        return (int)entries.views[fields + COUNT];
    }

    /**
     * Moves this view's run to a new first seq, the history having been rebuilt around it (a snapshot read).
     *
     * @param entries an account's entries, holding this view's fields.
     * @param start   the seq of its oldest entry now.
     */
    void renumber(final PaymentHistory.Entries entries, final long start)
    {
        entries.views[fields + START] = start;
    }

    /**
     * @param slot an account's slot.
     * @return true if this window has seen a payment of the account.
     */
    boolean exists(final int slot)
    {
        at(slot);
        return Long.MIN_VALUE != get(CLOCK) || 0 != get(COUNT);
    }

    /**
     * @return accounts of the store this window has seen a payment of.
     */
    int accountsHeld()
    {
        int n = 0;
        for (int s = store.oldest(); s != AccountStore.NONE; s = store.newerThan(s))
        {
            n += exists(s) ? 1 : 0;
        }
        return n;
    }

    /**
     * Write everything a later decision can depend on: the clock, the base and the entries, oldest first.
     *
     * @param out to write to.
     */
    void writeTo(final StateWriter out)
    {
        final int n = size();
        out.putLong(get(CLOCK)).putInt(n).putLong(get(BASE));
        final long first = get(START);
        for (int k = 0; k < n; k++)
        {
            final int i = entries.index(first + k);
            out.putLong(entries.data[i + PaymentHistory.TIME]).putLong(amountAt(entries.data, i))
                .putLong(entries.data[i + PaymentHistory.OFFSET]);
        }
    }

    /**
     * Read back a window {@link #writeTo} wrote, into a window of one account of its own, checking what the window
     * itself guarantees: at most {@code maxCapacity} entries, times and base never past the clock, amounts not
     * negative.
     *
     * @param in          to read from.
     * @param maxCapacity most entries held, at least 1: the owning rule's own, not one from the bytes.
     * @return a new window in the state written.
     * @throws io.txmon.rules.state.StateException if the bytes cannot be such a window.
     */
    static AmlAmountWindow readFrom(final StateReader in, final int maxCapacity)
    {
        final AmlAmountWindow window = new AmlAmountWindow(maxCapacity);
        window.read(window.slot, in);
        return window;
    }

    /**
     * Read a window {@link #writeTo} wrote into an account's slot, whose window must be empty, putting its
     * entries into the history; or only check it.
     *
     * @param slot the account's slot, or {@link AccountStore#NONE} to check the bytes and change nothing.
     * @param in   to read from.
     * @throws io.txmon.rules.state.StateException if the bytes cannot be such a window, or the history holds
     * other payments of the account.
     */
    void read(final int slot, final StateReader in)
    {
        final long readClock = in.getLong();
        final int n = in.getCount(0, maxCapacity, "entries of an amount window");
        final long readBase = in.getLong();
        in.require((long)n * ENTRY_BYTES <= in.remaining(), "an amount window's entries are cut short");
        in.require(readBase <= readClock, "an amount window's base " + readBase + " is past its clock " + readClock);
        final long[] times = new long[n];
        final long[] amounts = new long[n];
        final long[] offsets = new long[n];
        long total = 0;
        for (int k = 0; k < n; k++)
        {
            times[k] = in.getLong();
            amounts[k] = in.getLong();
            offsets[k] = in.getLong();
            if (times[k] > readClock || amounts[k] < 0)
            {
                in.require(false, "amount window entry " + k + " (time " + times[k] + ", amount " + amounts[k] +
                    ") is newer than the clock " + readClock + " or negative");
            }
            total = addToSum(total, amounts[k]);
        }
        if (AccountStore.NONE == slot)
        {
            return;
        }
        at(slot);
        set(CLOCK, readClock);
        set(BASE, readBase);
        set(SUM, total);
        if (n > 0)
        {
            final long first = history.merge(slot, this, times, amounts, offsets, n);
            in.require(Long.MIN_VALUE != first, "amount windows of one account hold different payments");
            at(slot);
            set(START, first);
            set(COUNT, n);
        }
    }

    /**
     * Make the account's window and history as new ones are, keeping the history's arrays: what the store does
     * when it evicts an account and recycles its objects.
     */
    void reset()
    {
        if (null != entries)
        {
            entries.reset();
        }
    }

    /**
     * Empty this window for every account (before reading a snapshot's windows).
     */
    void clearAll()
    {
        final int view = Long.numberOfTrailingZeros(bit);
        for (int s = store.oldest(); s != AccountStore.NONE; s = store.newerThan(s))
        {
            final PaymentHistory.Entries held = history.entries(s);
            if (null != held && held.views.length > fields)
            {
                held.clearView(view);
            }
        }
    }

    /**
     * Move the window's clock to an event's time, never backwards.
     *
     * @param eventTime of the event, epoch ns.
     * @return the time to evaluate and store the event at: the event's own, or the clock if it is late.
     */
    long advance(final long eventTime)
    {
        final long clock = get(CLOCK);
        if (eventTime >= clock)
        {
            set(CLOCK, eventTime);
            return eventTime;
        }
        return clock;
    }

    /**
     * @param eventTime of an event about to be evaluated.
     * @return true if it is older than the newest event this window has seen.
     */
    boolean isLate(final long eventTime)
    {
        return eventTime < get(CLOCK);
    }

    /**
     * Drop every entry at least {@code windowNanos} older than {@code now}: the window keeps entries with
     * {@code now - time < windowNanos}.
     *
     * @param now         the window's clock.
     * @param windowNanos length of the window.
     */
    void evict(final long now, final long windowNanos)
    {
        int n = (int)get(COUNT);
        if (0 == n)
        {
            return;
        }
        final PaymentHistory.Entries entries = this.entries;
        final long[] data = entries.data;
        final long[] views = entries.views;
        final int at = fields;
        long first = views[at + START];
        long from = views[at + BASE];
        long total = views[at + SUM];
        while (n > 0)
        {
            final int i = entries.index(first);
            final long time = Math.max(from, data[i + PaymentHistory.TIME]);
            if (now - time < windowNanos)
            {
                break;
            }
            if (OVERFLOWED != total)
            {
                total -= amountAt(data, i);
            }
            from = time;
            first++;
            n--;
        }
        views[at + START] = first;
        views[at + COUNT] = n;
        views[at + BASE] = from;
        views[at + SUM] = 0 == n ? 0 : total;
    }

    /**
     * Append an entry, dropping the oldest when full.
     *
     * @param time   of the event, as sent (not the clock: the window evaluates it at its clock).
     * @param amount in minor units, positive.
     * @param offset journal offset of the event.
     * @return true if the oldest entry was dropped to make room.
     */
    boolean add(final long time, final long amount, final long offset)
    {
        int n = (int)get(COUNT);
        long first = get(START);
        long total = get(SUM);
        boolean dropped = false;
        if (n == maxCapacity)
        {
            final int i = entries.index(first);
            set(BASE, Math.max(get(BASE), entries.data[i + PaymentHistory.TIME]));
            if (OVERFLOWED != total)
            {
                total -= amountAt(entries.data, i);
            }
            first++;
            n--;
            dropped = true;
            set(START, first);
            set(COUNT, n);
        }
        final long seq = history.take(slot, this, 0 == n ? Long.MIN_VALUE : first + n, time, amount, offset);
        entries = history.entries(slot);
        if (0 == n || seq != first + n)
        {
            // an empty window (or one that missed payments, which only a rule that threw can cause) starts
            // at this entry, which counts from the clock
            first = seq;
            n = 0;
            total = 0;
            set(BASE, get(CLOCK));
        }
        set(START, first);
        set(COUNT, n + 1);
        set(SUM, OVERFLOWED == total ? OVERFLOWED : addToSum(total, amount));
        return dropped;
    }

    private static long addToSum(final long total, final long amount)
    {
        final long added = total + amount;
        return OVERFLOWED == total || ((total ^ added) & (amount ^ added)) < 0 ? OVERFLOWED : added;
    }

    /**
     * Forget every entry; the clock is kept.
     */
    void clear()
    {
        set(COUNT, 0);
        set(SUM, 0);
        set(BASE, get(CLOCK));
    }

    /**
     * @return the sum of the amounts held, or -1 if it does not fit a {@code long} (then scan the amounts).
     */
    long exactSum()
    {
        return get(SUM);
    }

    /**
     * @return entries held, consumed ones included.
     */
    int size()
    {
        return (int)get(COUNT);
    }

    /**
     * @return most entries held.
     */
    int maxCapacity()
    {
        return maxCapacity;
    }

    /**
     * @return entries the account's history has room for now (shared with the other windows that read it).
     */
    int capacity()
    {
        return null == entries ? StateCapacity.initial(INITIAL_CAPACITY, maxCapacity) : entries.capacity();
    }

    /**
     * @param index 0 for the oldest entry.
     * @return its time in this window: the newest of its own and those of the entries before it.
     */
    long time(final int index)
    {
        final long first = get(START);
        long time = get(BASE);
        for (int k = 0; k <= index; k++)
        {
            time = Math.max(time, entries.data[entries.index(first + k) + PaymentHistory.TIME]);
        }
        return time;
    }

    /**
     * @param index 0 for the oldest entry.
     * @return its amount, zero once consumed.
     */
    long amount(final int index)
    {
        return amountAt(entries.data, entries.index(entries.views[fields + START] + index));
    }

    long offset(final int index)
    {
        return entries.data[entries.index(entries.views[fields + START] + index) + PaymentHistory.OFFSET];
    }

    /**
     * Mark an entry as used by an alert so that it supports no further alert of this window's rule.
     *
     * @param index 0 for the oldest entry.
     */
    void consume(final int index)
    {
        final int i = entries.index(get(START) + index);
        final long total = get(SUM);
        if (OVERFLOWED != total)
        {
            set(SUM, total - amountAt(entries.data, i));
        }
        entries.data[i + PaymentHistory.CONSUMED] |= bit;
    }

    private long amountAt(final long[] data, final int i)
    {
        return 0 != (data[i + PaymentHistory.CONSUMED] & bit) ? 0 : data[i + PaymentHistory.AMOUNT];
    }
}
