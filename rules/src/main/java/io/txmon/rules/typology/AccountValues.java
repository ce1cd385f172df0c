package io.txmon.rules.typology;

import io.txmon.rules.RuleContext;
import io.txmon.rules.state.AccountStore;
import io.txmon.rules.state.StateReader;
import io.txmon.rules.state.StateWriter;
import org.agrona.collections.LongHashSet;


/**
 * What a rule learns of an account one event at a time and decides on later, such as its party or the time of
 * its last activity: per account a value and the offset of the event it came from, kept for the evidence.
 * {@link #NONE} stands for an account not known, so neither a value nor an offset can be {@code Long.MIN_VALUE}.
 * <p>
 * Where it lives: in two {@link AccountStore.LongColumn}s of the worker's {@link AccountStore} (empty =
 * {@link #NONE}), found by the account's slot ({@link RuleContext#slot}); the store clears them when it evicts
 * the account, so the rule forgets it. That holds for an account the worker does not own too, which only a rule
 * that learns of every account keeps (its party matters to an owned account's decision): it gets a record in the
 * store like any other, so the store's cap bounds it and it is forgotten, least recently seen first, like any
 * other. (Before, such accounts were in maps of their own that nothing bounded.) Until {@link #bind} the columns
 * are in a store of the rule's own. Looking an account up allocates nothing.
 * <p>
 * In a snapshot ({@link #writeTo}): the number of accounts (int), then for each account, in ascending order of
 * id, its id, value and offset (three longs). Read back ({@link #readFrom}), each account goes to its record in
 * the store (added to a rule's own store before it is bound; a worker's store holds them already, as it is read
 * first); a count beyond the bytes left, an account twice and a value or offset of {@code Long.MIN_VALUE} are
 * refused, and nothing changes if the bytes are refused. Accounts are accepted in any order.
 * <p>
 * Single threaded: one instance belongs to one rule.
 */
final class AccountValues
{
    /** The value and offset of an account not known. */
    static final long NONE = Long.MIN_VALUE;
    /** Bytes an account takes in a snapshot: id, value, offset. */
    static final int ENTRY_BYTES = 3 * Long.BYTES;

    private final Object owner;
    private AccountStore accounts = new AccountStore(AccountStore.Limits.UNBOUNDED);
    private final AccountStore.LongColumn values;
    private final AccountStore.LongColumn offsets;
    private final String noValue;
    private final String noOffset;

    /**
     * @param owner  the rule, which owns the columns in the account store.
     * @param value  what the value is, as named in an error.
     * @param offset what the offset is the offset of, as named in an error.
     */
    AccountValues(final Object owner, final String value, final String offset)
    {
        this.owner = owner;
        this.values = accounts.longColumn(owner, NONE);
        this.offsets = accounts.longColumn(owner, NONE);
        noValue = "an account's " + value + " is Long.MIN_VALUE";
        noOffset = "an account's " + offset + " is Long.MIN_VALUE";
    }

    /**
     * Moves the columns into the worker's account store ({@link io.txmon.rules.Rule#bind}).
     *
     * @param store the worker's store.
     */
    void bind(final AccountStore store)
    {
        store.adopt(accounts, owner);
        accounts = store;
    }

    /**
     * @param slot   of an account ({@link RuleContext#slot}).
     * @param value  learnt, not {@link #NONE}.
     * @param offset of the event it was learnt from, not {@link #NONE}.
     */
    void put(final int slot, final long value, final long offset)
    {
        values.set(slot, value);
        offsets.set(slot, offset);
    }

    /**
     * @param slot of an account.
     * @return its value, or {@link #NONE} if not known.
     */
    long value(final int slot)
    {
        return values.get(slot);
    }

    /**
     * @param slot of an account.
     * @return the offset of the event its value came from, or {@link #NONE} if not known.
     */
    long offset(final int slot)
    {
        return offsets.get(slot);
    }

    /**
     * @param slot of an account, to forget.
     */
    void remove(final int slot)
    {
        values.set(slot, NONE);
        offsets.set(slot, NONE);
    }

    /**
     * Sets an account's value, whether the worker owns it or not: it gets a record in the store if it has none.
     *
     * @param context of the worker.
     * @param account to set, one of the event's sides.
     * @param value   learnt, not {@link #NONE}.
     * @param offset  of the event it was learnt from, not {@link #NONE}.
     */
    void put(final RuleContext context, final long account, final long value, final long offset)
    {
        put(context.slot(account), value, offset);
    }

    /**
     * @param context of the worker.
     * @param account to look up, owned or not, one of the event's sides; an owned account gets a record, one not
     *                owned is only looked up (and marked as seen if it has a record).
     * @return its value, or {@link #NONE} if not known.
     */
    long value(final RuleContext context, final long account)
    {
        final int slot = slotOf(context, account);
        return AccountStore.NONE == slot ? NONE : values.get(slot);
    }

    /**
     * @param context of the worker.
     * @param account to look up, owned or not, one of the event's sides.
     * @return the offset of the event its value came from, or {@link #NONE} if not known.
     */
    long offset(final RuleContext context, final long account)
    {
        final int slot = slotOf(context, account);
        return AccountStore.NONE == slot ? NONE : offsets.get(slot);
    }

    private int slotOf(final RuleContext context, final long account)
    {
        if (context.owns(account) || AccountStore.NONE != accounts.slotOf(account))
        {
            return context.slot(account);
        }
        return AccountStore.NONE;
    }

    /**
     * Forgets an account, owned or not; an account the store does not hold has nothing to forget and is not
     * added.
     *
     * @param context of the worker.
     * @param account to forget.
     */
    void remove(final RuleContext context, final long account)
    {
        final int slot = accounts.slotOf(account);
        if (AccountStore.NONE != slot)
        {
            remove(slot);
        }
    }

    /**
     * @return accounts known.
     */
    int size()
    {
        int n = 0;
        for (int slot = accounts.oldest(); slot != AccountStore.NONE; slot = accounts.newerThan(slot))
        {
            n += values.get(slot) == NONE ? 0 : 1;
        }
        return n;
    }

    /**
     * Write every account, as the class Javadoc lays it out.
     *
     * @param out to write to.
     */
    void writeTo(final StateWriter out)
    {
        final long[] keys = accounts.accountsAscending((slot) -> values.get(slot) != NONE);
        out.putInt(keys.length);
        for (final long key : keys)
        {
            final int slot = accounts.slotOf(key);
            out.putLong(key).putLong(values.get(slot)).putLong(offsets.get(slot));
        }
    }

    /**
     * Replace every account with those {@link #writeTo} wrote; nothing changes if the bytes are refused.
     *
     * @param in to read from.
     * @throws io.txmon.rules.state.StateException if the bytes cannot be such accounts.
     */
    void readFrom(final StateReader in)
    {
        final int count = KeyedState.count(in, ENTRY_BYTES, "accounts");
        final long[] read = new long[count * 3];
        final LongHashSet seen = new LongHashSet(count);
        for (int i = 0; i < read.length; i += 3)
        {
            in.getLongs(read, i, 3);
            in.require(read[i + 1] != NONE, noValue);
            in.require(read[i + 2] != NONE, noOffset);
            in.require(seen.add(read[i]), "an account is written twice");
        }
        for (int slot = accounts.oldest(); slot != AccountStore.NONE; slot = accounts.newerThan(slot))
        {
            values.set(slot, NONE);
            offsets.set(slot, NONE);
        }
        for (int i = 0; i < read.length; i += 3)
        {
            final int slot = accounts.slotForRead(read[i]);
            values.set(slot, read[i + 1]);
            offsets.set(slot, read[i + 2]);
        }
    }
}
