package io.txmon.rules.typology;

import java.util.Arrays;

/**
 * How per-key rule state grows: it starts small and doubles up to its configured maximum, so an account the
 * stream shows once costs a few entries, and one it shows often reaches the full window without a size limit
 * being exceeded. One rule for every structure that grows, so they all grow the same way.
 * <p>
 * A structure keeps its entries as <em>records</em> in one {@code long[]}: entry {@code i}'s field {@code f} at
 * {@code i * stride + f}, small fields (a side, a flag, a currency) packed into one long. One array per key and
 * rule instead of one per field: an account's state in a rule is an object and one array (two for rules that keep
 * two rings), so a few entries cost their fields and one array header, and reading an entry touches one cache line
 * instead of one per field. {@link #grown} is how every such array grows.
 */
final class StateCapacity
{
    private StateCapacity()
    {
    }

    /**
     * @param initial entries a structure starts with.
     * @param max     its configured maximum, at least 1.
     * @return what to allocate when the key is first seen: the initial size, or the maximum if smaller.
     */
    static int initial(final int initial, final int max)
    {
        return Math.min(initial, max);
    }

    /**
     * @param current entries allocated now.
     * @param max     the configured maximum.
     * @return the next size: double the current one, never above the maximum (and no int overflow on the way).
     */
    static int doubled(final int current, final int max)
    {
        return (int)Math.min((long)current << 1, max);
    }

    /**
     * What to allocate for a structure read back from a snapshot with {@code entries} entries: the first size
     * on its growth path ({@link #initial}, then {@link #doubled}) that holds them, so a restored structure
     * takes no more than its entries need and goes on growing by the same steps.
     *
     * @param initial entries a structure starts with.
     * @param max     its configured maximum, at least 1.
     * @param entries it must hold, 0 to {@code max}.
     * @return the size to allocate, at most {@code max}.
     */
    static int holding(final int initial, final int max, final int entries)
    {
        int capacity = initial(initial, max);
        while (capacity < entries && capacity < max)
        {
            capacity = doubled(capacity, max);
        }
        return capacity;
    }

    /**
     * @param records the array of records, {@code stride} longs each.
     * @param stride  longs per record, at least 1.
     * @param slots   records it must hold now, from {@link #doubled} or {@link #holding}.
     * @return {@code records} if already long enough, else a copy of it holding {@code slots} records (records
     * keep their index; new ones are zero).
     */
    static long[] grown(final long[] records, final int stride, final int slots)
    {
        final int length = slots * stride;
        return records.length >= length ? records : Arrays.copyOf(records, length);
    }
}
