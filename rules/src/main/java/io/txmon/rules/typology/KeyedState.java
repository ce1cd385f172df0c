package io.txmon.rules.typology;

import io.txmon.rules.state.StateReader;
import io.txmon.rules.state.StateWriter;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.collections.LongHashSet;

import java.util.ArrayList;

/**
 * How a rule's per-key state, an object of its own per account, comes back from a snapshot: the number of keys
 * (int), then each key (long) followed by what the rule wrote of its value. One piece of code for every such map,
 * so they are all bounded and checked the same way; what a value holds is the rule's. The writing side, and
 * putting what was read into the account store, are {@link AccountObjects}'s.
 * <p>
 * Two orders are read:
 * <ul>
 *     <li>any order ({@link #read}): the keys are put into the emptied map in the order written, and a key written
 *     twice is refused;</li>
 *     <li>ascending order of key ({@link #readAscending}): the bytes depend only on the state, never on the
 *     store's history.</li>
 * </ul>
 * Either way a key written twice, or out of order, and a count beyond what the bytes left could hold are refused
 * with a {@link io.txmon.rules.state.StateException}, and the rule's state is left as it was: nothing is replaced
 * until every value has been read. Not for the hot path: reading allocates.
 */
final class KeyedState
{
    /**
     * Writes what a rule keeps of one key, after the key.
     *
     * @param <V> the rule's value.
     */
    @FunctionalInterface
    interface ValueWriter<V>
    {
        /**
         * @param value to write.
         * @param out   to write to.
         */
        void write(V value, StateWriter out);
    }

    /**
     * Reads back what a {@link ValueWriter} wrote, checking what the rule guarantees of a value.
     *
     * @param <V> the rule's value.
     */
    @FunctionalInterface
    interface ValueReader<V>
    {
        /**
         * @param in  to read from, after the key.
         * @param key the value belongs to.
         * @return a new value in the state written.
         * @throws io.txmon.rules.state.StateException if the bytes cannot be such a value.
         */
        V read(StateReader in, long key);
    }

    private KeyedState()
    {
    }

    /**
     * Replace the map's content with keys and values written in any order; the map is left as it was if the bytes
     * are refused.
     *
     * @param in          to read from, at the count.
     * @param map         to fill.
     * @param minKeyBytes fewest bytes a key and its value take, at least 1, to bound the count by the bytes left.
     * @param keys        what the keys are, as named in an error about their count.
     * @param twice       the error when a key is written twice.
     * @param reader      reads a value.
     * @param <V>         the rule's value.
     * @throws io.txmon.rules.state.StateException if the bytes cannot be such a map.
     */
    static <V> void read(
        final StateReader in,
        final Long2ObjectHashMap<V> map,
        final int minKeyBytes,
        final String keys,
        final String twice,
        final ValueReader<V> reader)
    {
        final int count = count(in, minKeyBytes, keys);
        final long[] ids = new long[count];
        final ArrayList<V> values = new ArrayList<>(count);
        final LongHashSet seen = new LongHashSet(count);
        for (int i = 0; i < count; i++)
        {
            ids[i] = in.getLong();
            in.require(seen.add(ids[i]), twice);
            values.add(reader.read(in, ids[i]));
        }
        map.clear();
        for (int i = 0; i < count; i++)
        {
            map.put(ids[i], values.get(i));
        }
    }

    /**
     * Read back keys and values written in ascending order of key ({@link AccountObjects#writeAscending}) into a
     * new map.
     *
     * @param in          to read from, at the count.
     * @param minKeyBytes fewest bytes a key and its value take, at least 1, to bound the count by the bytes left.
     * @param keys        what the keys are, as named in an error about their count.
     * @param reader      reads a value.
     * @param <V>         the rule's value.
     * @return a new map of what was written.
     * @throws io.txmon.rules.state.StateException if the bytes cannot be such a map, keys out of order included.
     */
    static <V> Long2ObjectHashMap<V> readAscending(
        final StateReader in, final int minKeyBytes, final String keys, final ValueReader<V> reader)
    {
        final int count = count(in, minKeyBytes, keys);
        final Long2ObjectHashMap<V> restored = new Long2ObjectHashMap<>();
        long previous = Long.MIN_VALUE;
        for (int i = 0; i < count; i++)
        {
            final long key = in.getLong();
            if (i > 0 && key <= previous)
            {
                in.require(false, "account " + key + " does not follow " + previous + " in ascending order");
            }
            restored.put(key, reader.read(in, key));
            previous = key;
        }
        return restored;
    }

    /**
     * Read the number of keys, refusing more than the bytes after it could hold.
     *
     * @param in          to read from, at the count.
     * @param minKeyBytes fewest bytes a key and its value take, at least 1.
     * @param keys        what the keys are, as named in an error.
     * @return the number of keys.
     * @throws io.txmon.rules.state.StateException if the count is negative or too large.
     */
    static int count(final StateReader in, final int minKeyBytes, final String keys)
    {
        return in.getCount(0, Math.max(0, in.remaining() - Integer.BYTES) / minKeyBytes, keys);
    }
}
