package io.txmon.rules.typology;

import io.txmon.rules.state.StateReader;
import io.txmon.rules.state.StateWriter;

/**
 * A bounded, time-ordered sliding window of one account's payments for the amount typologies: a ring of
 * (event time, amount, journal offset) triples, oldest first.
 * <p>
 * Layout: three {@code long[]} arrays that start at {@link #INITIAL_CAPACITY} entries (or the maximum if
 * smaller) and double, oldest entry copied to index 0, whenever an entry is added to a full ring below its
 * maximum capacity; so an account costs {@code 24} bytes per slot, at most {@code 24 * maxCapacity} bytes of
 * arrays, plus about 80 bytes of object headers and fields. Growth changes only the physical size: eviction,
 * order and the drop-oldest-when-full-at-maximum behaviour are those of a ring of the maximum capacity.
 * <p>
 * Time never goes backwards inside a window: {@link #advance(long)} returns the window's clock, the newest
 * event time seen, so a late event neither evicts nor is stored out of order; it is stored at the clock and
 * evaluated against the state as it stands. An entry whose amount is zero has been consumed by an alert and
 * no longer counts, but keeps its slot until it ages out.
 * <p>
 * In a snapshot ({@link #writeTo}): the clock (long), the number of entries (int), then each entry oldest first
 * as its time, amount and offset (three longs): 12 bytes and 24 an entry. The physical capacity and the ring's
 * head are not written, as no decision depends on them: a window read back is allocated on its growth path just
 * large enough for its entries, oldest at index 0.
 * <p>
 * Not thread safe: owned by one rule instance on one worker thread.
 */
final class AmlAmountWindow
{
    /** Slots allocated when the account is first seen, unless the maximum is smaller. */
    static final int INITIAL_CAPACITY = 8;
    /** Bytes of a window in a snapshot before its entries: the clock and the count. */
    static final int HEADER_BYTES = Long.BYTES + Integer.BYTES;
    /** Bytes of one entry in a snapshot: time, amount and offset. */
    static final int ENTRY_BYTES = 3 * Long.BYTES;

    private final int maxCapacity;
    private long[] times;
    private long[] amounts;
    private long[] offsets;
    private int head;
    private int size;
    private long clock = Long.MIN_VALUE;
    // the sum of the amounts held, kept as entries come and go; valid while exact (no overflow since empty)
    private long sum;
    private boolean sumOverflowed;

    /**
     * @param maxCapacity most entries held, at least 1.
     */
    AmlAmountWindow(final int maxCapacity)
    {
        this(maxCapacity, StateCapacity.initial(INITIAL_CAPACITY, maxCapacity));
    }

    private AmlAmountWindow(final int maxCapacity, final int capacity)
    {
        this.maxCapacity = maxCapacity;
        times = new long[capacity];
        amounts = new long[capacity];
        offsets = new long[capacity];
    }

    /**
     * Write everything a later decision can depend on: the clock and the entries, oldest first.
     *
     * @param out to write to.
     */
    void writeTo(final StateWriter out)
    {
        out.putLong(clock).putInt(size);
        for (int i = 0; i < size; i++)
        {
            final int slot = slot(i);
            out.putLong(times[slot]).putLong(amounts[slot]).putLong(offsets[slot]);
        }
    }

    /**
     * Read back a window {@link #writeTo} wrote, checking what the window itself guarantees: at most
     * {@code maxCapacity} entries, times never decreasing and never past the clock, amounts not negative.
     *
     * @param in          to read from.
     * @param maxCapacity most entries held, at least 1: the owning rule's own, not one from the bytes.
     * @return a new window in the state written.
     * @throws io.txmon.rules.state.StateException if the bytes cannot be such a window.
     */
    static AmlAmountWindow readFrom(final StateReader in, final int maxCapacity)
    {
        final long clock = in.getLong();
        final int size = in.getCount(0, maxCapacity, "entries of an amount window");
        in.require((long)size * ENTRY_BYTES <= in.remaining(), "an amount window's entries are cut short");

        final AmlAmountWindow window =
            new AmlAmountWindow(maxCapacity, StateCapacity.holding(INITIAL_CAPACITY, maxCapacity, size));
        long previous = Long.MIN_VALUE;
        for (int i = 0; i < size; i++)
        {
            final long time = in.getLong();
            final long amount = in.getLong();
            final long offset = in.getLong();
            if (time < previous || time > clock || amount < 0)
            {
                in.require(false, "amount window entry " + i + " (time " + time + ", amount " + amount +
                    ") is older than the entry before it, newer than the clock " + clock + " or negative");
            }
            window.times[i] = time;
            window.amounts[i] = amount;
            window.offsets[i] = offset;
            window.addToSum(amount);
            previous = time;
        }
        window.size = size;
        window.clock = clock;
        return window;
    }

    /**
     * Move the window's clock to an event's time, never backwards.
     *
     * @param eventTime of the event, epoch ns.
     * @return the time to evaluate and store the event at: the event's own, or the clock if it is late.
     */
    long advance(final long eventTime)
    {
        if (eventTime >= clock)
        {
            clock = eventTime;
        }
        return clock;
    }

    /**
     * @param eventTime of an event about to be evaluated.
     * @return true if it is older than the newest event this window has seen.
     */
    boolean isLate(final long eventTime)
    {
        return eventTime < clock;
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
        final int capacity = times.length;
        while (size > 0 && now - times[head] >= windowNanos)
        {
            sum -= amounts[head];
            head = head + 1 == capacity ? 0 : head + 1;
            size--;
        }
        if (0 == size)
        {
            sum = 0;
            sumOverflowed = false;
        }
    }

    /**
     * Append an entry, dropping the oldest when full.
     *
     * @param time   of the entry, not before the newest entry.
     * @param amount in minor units, positive.
     * @param offset journal offset of the event.
     * @return true if the oldest entry was dropped to make room.
     */
    boolean add(final long time, final long amount, final long offset)
    {
        if (size == times.length && size < maxCapacity)
        {
            grow();
        }
        final int capacity = times.length;
        boolean dropped = false;
        if (size == capacity)
        {
            sum -= amounts[head];
            head = head + 1 == capacity ? 0 : head + 1;
            size--;
            dropped = true;
        }
        int tail = head + size;
        if (tail >= capacity)
        {
            tail -= capacity;
        }
        times[tail] = time;
        amounts[tail] = amount;
        offsets[tail] = offset;
        size++;
        addToSum(amount);
        return dropped;
    }

    private void addToSum(final long amount)
    {
        final long added = sum + amount;
        if (((sum ^ added) & (amount ^ added)) < 0)
        {
            sumOverflowed = true;
        }
        sum = added;
    }

    /**
     * Forget every entry; the clock is kept.
     */
    void clear()
    {
        head = 0;
        size = 0;
        sum = 0;
        sumOverflowed = false;
    }

    /**
     * Make it as a new window is, keeping its arrays, for another account: an evicted account's window
     * recycled by the account store. Only the capacity differs, which decides nothing (entries drop at the
     * maximum) and is not written.
     */
    void reset()
    {
        clear();
        clock = Long.MIN_VALUE;
    }

    /**
     * @return the sum of the amounts held, or -1 if it does not fit a {@code long} (then scan the amounts).
     */
    long exactSum()
    {
        return sumOverflowed ? -1 : sum;
    }

    /**
     * @return entries held, consumed ones included.
     */
    int size()
    {
        return size;
    }

    /**
     * @return most entries held.
     */
    int maxCapacity()
    {
        return maxCapacity;
    }

    /**
     * @return slots allocated now, at most {@link #maxCapacity()}.
     */
    int capacity()
    {
        return times.length;
    }

    long time(final int index)
    {
        return times[slot(index)];
    }

    /**
     * @param index 0 for the oldest entry.
     * @return its amount, zero once consumed.
     */
    long amount(final int index)
    {
        return amounts[slot(index)];
    }

    long offset(final int index)
    {
        return offsets[slot(index)];
    }

    /**
     * Mark an entry as used by an alert so that it supports no further alert.
     *
     * @param index 0 for the oldest entry.
     */
    void consume(final int index)
    {
        final int slot = slot(index);
        sum -= amounts[slot];
        amounts[slot] = 0;
    }

    private int slot(final int index)
    {
        final int slot = head + index;
        return slot >= times.length ? slot - times.length : slot;
    }

    private void grow()
    {
        final int oldCapacity = times.length;
        final int newCapacity = StateCapacity.doubled(oldCapacity, maxCapacity);
        times = grow(times, newCapacity);
        amounts = grow(amounts, newCapacity);
        offsets = grow(offsets, newCapacity);
        head = 0;
    }

    private long[] grow(final long[] array, final int newCapacity)
    {
        final long[] grown = new long[newCapacity];
        final int firstPart = Math.min(size, array.length - head);
        System.arraycopy(array, head, grown, 0, firstPart);
        System.arraycopy(array, 0, grown, firstPart, size - firstPart);
        return grown;
    }
}
