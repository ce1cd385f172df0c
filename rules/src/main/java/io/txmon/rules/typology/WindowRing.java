package io.txmon.rules.typology;

/**
 * One key's recent events for a sliding event-time window: unordered records of {@code stride} longs in one
 * {@code long[]}, field {@link #TIME} first, the rest the owning rule's ({@link #get}, {@link #set}). Card-testing's
 * small payments and pass-through's inbound payments are each one.
 * <p>
 * {@link #add} first purges the records that left the window of this event and of the one before it, so the ring
 * stays bounded by one window and an outlier (the year 2100, or the first event after a quiet spell) costs at most
 * the window before it, as a clock that never went back did; then it takes a slot for the event: a new one below
 * the maximum (the array doubling from {@value #INITIAL_CAPACITY} records, {@link StateCapacity}), else, full, the
 * first record a window or more ahead of the event, else the oldest (the lowest slot of equally old ones). Slot
 * order is what the owner's snapshot writes, and it decides ties and which record a full ring replaces, so it
 * depends only on the events, as a ring allocated at its maximum would.
 * <p>
 * Memory: a 32-byte object (the stride, the array, the size and the newest time: the maximum is the owner's and
 * is passed in) and a 16-byte array header, then {@code 8 * stride} bytes per slot allocated.
 * <p>
 * Not thread safe: owned by one worker's store.
 */
final class WindowRing
{
    /** Records allocated when the key is first seen, unless the maximum is smaller. */
    static final int INITIAL_CAPACITY = 2;
    /** Field of every record: its event time. */
    static final int TIME = 0;
    /** What {@link #add} returns for an event already outside its own window: nothing was added. */
    static final int IGNORED = -1;

    /** Bit of what {@link #add} returns when a record was dropped from the full ring to make room. */
    private static final int DROPPED = 1 << 30;

    private final int stride;
    private long[] records;
    /** Records held, in slots 0 to size - 1; the slots past it are never read. */
    int size;
    /** Event time of the newest event added, {@link Long#MIN_VALUE} before the first. */
    long newest = Long.MIN_VALUE;

    /**
     * @param stride      longs per record, at least 1 ({@link #TIME} included).
     * @param maxCapacity most records held, at least 1.
     */
    WindowRing(final int stride, final int maxCapacity)
    {
        this.stride = stride;
        records = new long[StateCapacity.initial(INITIAL_CAPACITY, maxCapacity) * stride];
    }

    /**
     * Make it as a new ring is, keeping its array, for another key: an evicted key's ring recycled by the account
     * store. Only the array's length may differ, which decides nothing (records drop at the owner's maximum) and is
     * not written; slots past {@link #size} are never read.
     */
    void reset()
    {
        size = 0;
        newest = Long.MIN_VALUE;
    }

    /**
     * @return slots allocated.
     */
    int capacity()
    {
        return records.length / stride;
    }

    /**
     * @param i     slot, below {@link #size}.
     * @param field of the record, below the stride.
     * @return its value.
     */
    long get(final int i, final int field)
    {
        return records[i * stride + field];
    }

    /**
     * @param i     slot, below {@link #size} or the one {@link #add} took.
     * @param field of the record, below the stride.
     * @param value to store.
     */
    void set(final int i, final int field, final long value)
    {
        records[i * stride + field] = value;
    }

    /**
     * @param i slot, below {@link #size}.
     * @return its event time, {@link #get get(i, TIME)}.
     */
    long time(final int i)
    {
        return records[i * stride + TIME];
    }

    /**
     * Purge what left the window, then take a slot for an event and write its time there; the owner writes its
     * other fields at {@link #slot slot(result)}.
     *
     * @param time        of the event.
     * @param windowNanos of the window, positive.
     * @param maxCapacity most records held, the owner's, at least 1.
     * @return {@link #IGNORED} if the event is already outside its own window; else its slot, marked
     * {@link #dropped} if a record was dropped from the full ring for it.
     */
    int add(final long time, final long windowNanos, final int maxCapacity)
    {
        final int taken = take(time, windowNanos, maxCapacity);
        if (taken != IGNORED)
        {
            set(slot(taken), TIME, time);
        }
        return taken;
    }

    /**
     * {@link #add}, but the slot taken still holds the record dropped for it, if one was, so that the owner can
     * read it before writing the event there, its time included.
     *
     * @param time        of the event.
     * @param windowNanos of the window, positive.
     * @param maxCapacity most records held, the owner's, at least 1.
     * @return what {@link #add} returns.
     */
    int take(final long time, final long windowNanos, final int maxCapacity)
    {
        final long purgeBefore = EventTimes.purgeBefore(time, newest, windowNanos);
        newest = time;
        final long cutoff = EventTimes.minus(time, windowNanos);
        int kept = 0;
        for (int i = 0; i < size; i++)
        {
            if (time(i) > purgeBefore)
            {
                move(i, kept);
                kept++;
            }
        }
        size = kept;
        if (time <= cutoff)
        {
            return IGNORED;
        }

        int slot = size;
        int dropped = 0;
        if (size < maxCapacity)
        {
            if (size == capacity())
            {
                records = StateCapacity.grown(records, stride, StateCapacity.doubled(size, maxCapacity));
            }
            size++;
        }
        else
        {
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
            dropped = DROPPED;
        }
        return slot | dropped;
    }

    /**
     * @param added what {@link #add} returned, not {@link #IGNORED}.
     * @return the slot it took.
     */
    static int slot(final int added)
    {
        return added & ~DROPPED;
    }

    /**
     * @param added what {@link #add} returned.
     * @return whether a record was dropped from the full ring for it.
     */
    static boolean dropped(final int added)
    {
        return added != IGNORED && (added & DROPPED) != 0;
    }

    /**
     * Copy record {@code from} over record {@code to}, which may be the same.
     *
     * @param from slot to copy.
     * @param to   slot to overwrite.
     */
    void move(final int from, final int to)
    {
        if (from != to)
        {
            System.arraycopy(records, from * stride, records, to * stride, stride);
        }
    }

    /**
     * Remove a record, the last one taking its slot.
     *
     * @param i slot, below {@link #size}.
     */
    void remove(final int i)
    {
        size--;
        move(size, i);
    }

    /**
     * Make room for a ring read back from a snapshot, as {@link #add} would have grown it, and hold {@code size}
     * records; the owner then {@link #set sets} their fields.
     *
     * @param newest      event time of the newest event added.
     * @param size        records held, 0 to {@code maxCapacity}.
     * @param maxCapacity most records held, the owner's.
     */
    void restore(final long newest, final int size, final int maxCapacity)
    {
        records = StateCapacity.grown(
            records, stride, StateCapacity.holding(INITIAL_CAPACITY, maxCapacity, size));
        this.size = size;
        this.newest = newest;
    }
}
