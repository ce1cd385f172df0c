package io.txmon.rules.typology;

import io.txmon.rules.state.AccountStore;
import io.txmon.rules.state.StateReader;
import io.txmon.rules.state.StateWriter;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.collections.LongHashSet;

import java.util.ArrayList;
import java.util.Arrays;

/**
 * How a rule's per-key state, a map from account to an object of its own, goes into a snapshot and comes back:
 * the number of keys (int), then each key (long) followed by what the rule writes of its value. One piece of code
 * for every such map, so they are all bounded, checked and replaced the same way; what a value holds is the rule's.
 * <p>
 * Two orders:
 * <ul>
 *     <li>the map's own iteration order ({@link #write}, {@link #read}): read back, the keys are put into the
 *     emptied map in the order written, which is the original's iteration order, so a restored rule writes the same
 *     bytes again and anything that follows the map's order goes on alike;</li>
 *     <li>ascending order of key ({@link #writeAscending}, {@link #readAscending}): the bytes depend only on the
 *     state, never on the map's history.</li>
 * </ul>
 * Either way a key written twice, or out of order, and a count beyond what the bytes left could hold are refused
 * with a {@link io.txmon.rules.state.StateException}, and the rule's state is left as it was: nothing is replaced
 * until every value has been read. Not for the hot path: reading and writing allocate.
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
     * Write every key and its value in the map's iteration order.
     *
     * @param out    to write to.
     * @param map    to write.
     * @param writer writes a value.
     * @param <V>    the rule's value.
     */
    static <V> void write(final StateWriter out, final Long2ObjectHashMap<V> map, final ValueWriter<V> writer)
    {
        out.putInt(map.size());
        map.forEachLong((key, value) -> writer.write(value, out.putLong(key)));
    }

    /**
     * Replace the map's content with what {@link #write} wrote; the map is left as it was if the bytes are refused.
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
     * Write every key and its value in ascending order of key.
     *
     * @param out    to write to.
     * @param map    to write.
     * @param writer writes a value.
     * @param <V>    the rule's value.
     */
    static <V> void writeAscending(
        final StateWriter out, final Long2ObjectHashMap<V> map, final ValueWriter<V> writer)
    {
        final long[] keys = new long[map.size()];
        final Long2ObjectHashMap<V>.KeyIterator iterator = map.keySet().iterator();
        for (int i = 0; i < keys.length; i++)
        {
            keys[i] = iterator.nextLong();
        }
        Arrays.sort(keys);

        out.putInt(keys.length);
        for (final long key : keys)
        {
            writer.write(map.get(key), out.putLong(key));
        }
    }

    /**
     * Read back what {@link #writeAscending} wrote into a new map.
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

    /**
     * Writes a column's values in ascending account order (the order {@link #readAscending} checks), as the
     * map form above does, so a rule's state bytes do not depend on where the store put its accounts.
     */
    static <V> void writeAscending(
        final StateWriter out,
        final AccountStore accounts,
        final AccountStore.ObjectColumn<V> column,
        final ValueWriter<V> writer)
    {
        final long[] keys = new long[accounts.size()];
        int n = 0;
        for (int slot = accounts.oldest(); slot != AccountStore.NONE; slot = accounts.newerThan(slot))
        {
            if (null != column.get(slot))
            {
                keys[n++] = accounts.account(slot);
            }
        }
        Arrays.sort(keys, 0, n);
        out.putInt(n);
        for (int i = 0; i < n; i++)
        {
            writer.write(column.get(accounts.slotOf(keys[i])), out.putLong(keys[i]));
        }
    }

    /**
     * Replaces what a column holds with what was read: every value it held is dropped, and each account read
     * gets its slot ({@link AccountStore#slotForRead}).
     */
    static <V> void replace(
        final AccountStore accounts, final AccountStore.ObjectColumn<V> column, final Long2ObjectHashMap<V> read)
    {
        for (int slot = accounts.oldest(); slot != AccountStore.NONE; slot = accounts.newerThan(slot))
        {
            column.set(slot, null);
        }
        final long[] keys = new long[read.size()];
        final Long2ObjectHashMap<V>.KeyIterator iterator = read.keySet().iterator();
        for (int i = 0; i < keys.length; i++)
        {
            keys[i] = iterator.nextLong();
        }
        Arrays.sort(keys);
        for (final long key : keys)
        {
            column.set(accounts.slotForRead(key), read.get(key));
        }
    }

    /**
     * @return how many held accounts have a value in the column.
     */
    static <V> int count(final AccountStore accounts, final AccountStore.ObjectColumn<V> column)
    {
        int n = 0;
        for (int slot = accounts.oldest(); slot != AccountStore.NONE; slot = accounts.newerThan(slot))
        {
            n += null == column.get(slot) ? 0 : 1;
        }
        return n;
    }
}
