package io.txmon.rules.typology;

import io.txmon.rules.state.AccountStore;
import io.txmon.rules.state.StateReader;
import io.txmon.rules.state.StateWriter;
import org.agrona.collections.Long2ObjectHashMap;

import java.util.Arrays;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A rule's object per account, kept in a column of the account store: in a store of its own until the rule is
 * bound ({@link io.txmon.rules.Rule#bind}), then in the worker's. One piece for every rule that keeps such objects,
 * so they are all created, recycled, written, read back and counted the same way.
 * <p>
 * On the hot path ({@link #get}, {@link #getOrCreate}) nothing is allocated but a new account's object, and not
 * even that when an evicted account's object can be reused. Writing and reading a snapshot allocate.
 *
 * @param <T> the rule's object.
 */
final class AccountObjects<T>
{
    private final Object owner;
    private final Supplier<T> factory;
    private final AccountStore.ObjectColumn<T> column;
    private AccountStore accounts = new AccountStore(AccountStore.Limits.UNBOUNDED);

    /**
     * @param owner   the rule that keeps the objects, which owns their column.
     * @param reset   makes an evicted account's object as a new one is, so it can be reused
     *                ({@link AccountStore#objectColumn(Object, Consumer)}).
     * @param factory makes a new account's object when none can be reused; given once, so the hot path makes no
     *                lambda.
     */
    AccountObjects(final Object owner, final Consumer<T> reset, final Supplier<T> factory)
    {
        this.owner = owner;
        this.factory = factory;
        this.column = accounts.objectColumn(owner, reset);
    }

    /**
     * @param slot an account's slot ({@link io.txmon.rules.RuleContext#slot}).
     * @return its object, or {@code null}.
     */
    T get(final int slot)
    {
        return column.get(slot);
    }

    /**
     * @param slot an account's slot ({@link io.txmon.rules.RuleContext#slot}).
     * @return its object, made the first time: an evicted account's object reused if one is kept, else a new one.
     */
    T getOrCreate(final int slot)
    {
        T value = column.get(slot);
        if (null == value)
        {
            value = column.reuse();
            if (null == value)
            {
                value = factory.get();
            }
            column.set(slot, value);
        }
        return value;
    }

    /**
     * Moves the column into the worker's account store.
     *
     * @param store the worker's store.
     */
    void bind(final AccountStore store)
    {
        store.adopt(accounts, owner);
        accounts = store;
    }

    /**
     * Write every account's object in ascending order of account (the order {@link #readAscending} checks), so
     * the bytes do not depend on where the store put its accounts: the count (int), then each account (long)
     * followed by what the writer writes of its object.
     *
     * @param out    to write to.
     * @param writer writes an object.
     */
    void writeAscending(final StateWriter out, final KeyedState.ValueWriter<T> writer)
    {
        final long[] keys = accounts.accountsAscending((slot) -> null != column.get(slot));
        out.putInt(keys.length);
        for (final long key : keys)
        {
            writer.write(column.get(accounts.slotOf(key)), out.putLong(key));
        }
    }

    /**
     * Replace every object with what {@link #writeAscending} wrote ({@link KeyedState#readAscending}); nothing
     * changes if the bytes are refused.
     *
     * @param in          to read from, at the count.
     * @param minKeyBytes fewest bytes an account and its object take, at least 1.
     * @param keys        what the accounts are, as named in an error about their count.
     * @param reader      reads an object.
     * @throws io.txmon.rules.state.StateException if the bytes cannot be such objects, accounts out of order
     * included.
     */
    void readAscending(
        final StateReader in, final int minKeyBytes, final String keys, final KeyedState.ValueReader<T> reader)
    {
        replace(KeyedState.readAscending(in, minKeyBytes, keys, reader));
    }

    /**
     * Replace every object with what was written in any order of account ({@link KeyedState#read}); nothing
     * changes if the bytes are refused.
     *
     * @param in          to read from, at the count.
     * @param minKeyBytes fewest bytes an account and its object take, at least 1.
     * @param keys        what the accounts are, as named in an error about their count.
     * @param twice       the error when an account is written twice.
     * @param reader      reads an object.
     * @throws io.txmon.rules.state.StateException if the bytes cannot be such objects.
     */
    void read(
        final StateReader in,
        final int minKeyBytes,
        final String keys,
        final String twice,
        final KeyedState.ValueReader<T> reader)
    {
        final Long2ObjectHashMap<T> read = new Long2ObjectHashMap<>();
        KeyedState.read(in, read, minKeyBytes, keys, twice, reader);
        replace(read);
    }

    /**
     * @return how many held accounts have an object.
     */
    int count()
    {
        int n = 0;
        for (int slot = accounts.oldest(); slot != AccountStore.NONE; slot = accounts.newerThan(slot))
        {
            n += null == column.get(slot) ? 0 : 1;
        }
        return n;
    }

    /**
     * Every object held is dropped, and each account read gets its slot ({@link AccountStore#slotForRead}), in
     * ascending order of account.
     */
    private void replace(final Long2ObjectHashMap<T> read)
    {
        for (int slot = accounts.oldest(); slot != AccountStore.NONE; slot = accounts.newerThan(slot))
        {
            column.set(slot, null);
        }
        final long[] keys = new long[read.size()];
        final Long2ObjectHashMap<T>.KeyIterator iterator = read.keySet().iterator();
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
}
