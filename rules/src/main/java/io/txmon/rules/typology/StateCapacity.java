package io.txmon.rules.typology;

/**
 * How per-key rule state grows: it starts small and doubles up to its configured maximum, so an account the
 * stream shows once costs a few entries, and one it shows often reaches the full window without a size limit
 * being exceeded. One rule for every structure that grows, so they all grow the same way.
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
}
