package io.txmon.rules.typology;

import io.txmon.rules.RuleContext;
import io.txmon.rules.state.AccountStore;
import io.txmon.rules.state.StateReader;
import io.txmon.rules.state.StateWriter;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.LongHashSet;

import java.util.Arrays;

/**
 * What a rule learns of an account one event at a time and decides on later, such as its party or the time of
 * its last activity: per account a value and the offset of the event it came from, kept for the evidence.
 * {@link #NONE} stands for an account not known, so neither a value nor an offset can be {@code Long.MIN_VALUE}.
 * <p>
 * Where it lives: an account the worker owns has its value and offset in two {@link AccountStore.LongColumn}s of
 * the worker's {@link AccountStore} (empty = {@link #NONE}), found by its slot ({@link RuleContext#slot}); the
 * store clears them when it evicts the account, so the rule forgets it. An account the worker does not own,
 * which only a rule that learns of every account keeps (its party matters to an owned account's decision), is in
 * two primitive maps kept in step. Until {@link #bind} the columns are in a store of the rule's own. Looking an
 * account up allocates nothing.
 * <p>
 * In a snapshot ({@link #writeTo}): the number of accounts (int), then for each account, in ascending order of
 * id, its id, value and offset (three longs); owned and not owned alike, so the bytes depend only on what is
 * known. Read back ({@link #readFrom}), an account the store holds goes to the columns and any other to the maps;
 * a count beyond the bytes left, an account twice and a value or offset of {@code Long.MIN_VALUE} are refused,
 * and nothing changes if the bytes are refused. Accounts are accepted in any order. (Before the store, the
 * accounts were written in the maps' iteration order.)
 * <p>
 * A rule read before it is bound cannot tell which accounts its worker owns: they wait in the maps and move to
 * the columns the first time the rule looks one up as owned.
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
    /** Accounts not owned, and accounts read that the store did not hold. */
    private final Long2LongHashMap otherValues = new Long2LongHashMap(NONE);
    private final Long2LongHashMap otherOffsets = new Long2LongHashMap(NONE);
    /** Whether the maps may hold an owned account read from a snapshot, to move to the columns when seen. */
    private boolean unplaced;
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
     * @param slot   of an account the worker owns ({@link RuleContext#slot}).
     * @param value  learnt, not {@link #NONE}.
     * @param offset of the event it was learnt from, not {@link #NONE}.
     */
    void put(final int slot, final long value, final long offset)
    {
        if (unplaced)
        {
            place(slot);
        }
        values.set(slot, value);
        offsets.set(slot, offset);
    }

    /**
     * @param slot of an account the worker owns.
     * @return its value, or {@link #NONE} if not known.
     */
    long value(final int slot)
    {
        if (unplaced)
        {
            place(slot);
        }
        return values.get(slot);
    }

    /**
     * @param slot of an account the worker owns.
     * @return the offset of the event its value came from, or {@link #NONE} if not known.
     */
    long offset(final int slot)
    {
        if (unplaced)
        {
            place(slot);
        }
        return offsets.get(slot);
    }

    /**
     * @param slot of an account the worker owns, to forget.
     */
    void remove(final int slot)
    {
        if (unplaced)
        {
            place(slot);
        }
        values.set(slot, NONE);
        offsets.set(slot, NONE);
    }

    /**
     * Sets an account's value, whether the worker owns it or not; an owned account gets its slot.
     *
     * @param context of the worker.
     * @param account to set.
     * @param value   learnt, not {@link #NONE}.
     * @param offset  of the event it was learnt from, not {@link #NONE}.
     */
    void put(final RuleContext context, final long account, final long value, final long offset)
    {
        if (context.owns(account))
        {
            put(context.slot(account), value, offset);
        }
        else
        {
            otherValues.put(account, value);
            otherOffsets.put(account, offset);
        }
    }

    /**
     * @param context of the worker.
     * @param account to look up, owned or not; an owned account gets its slot.
     * @return its value, or {@link #NONE} if not known.
     */
    long value(final RuleContext context, final long account)
    {
        return context.owns(account) ? value(context.slot(account)) : otherValues.get(account);
    }

    /**
     * @param context of the worker.
     * @param account to look up, owned or not.
     * @return the offset of the event its value came from, or {@link #NONE} if not known.
     */
    long offset(final RuleContext context, final long account)
    {
        return context.owns(account) ? offset(context.slot(account)) : otherOffsets.get(account);
    }

    /**
     * Forgets an account, owned or not; an owned account the store does not hold has nothing to forget and is not
     * added.
     *
     * @param context of the worker.
     * @param account to forget.
     */
    void remove(final RuleContext context, final long account)
    {
        if (context.owns(account))
        {
            final int slot = accounts.slotOf(account);
            if (AccountStore.NONE != slot)
            {
                remove(slot);
            }
            if (!unplaced)
            {
                return;
            }
        }
        otherValues.remove(account);
        otherOffsets.remove(account);
    }

    /**
     * @return accounts known.
     */
    int size()
    {
        int n = otherValues.size();
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
        final long[] keys = new long[accounts.size() + otherValues.size()];
        int n = 0;
        for (int slot = accounts.oldest(); slot != AccountStore.NONE; slot = accounts.newerThan(slot))
        {
            if (values.get(slot) != NONE)
            {
                keys[n++] = accounts.account(slot);
            }
        }
        final Long2LongHashMap.KeyIterator others = otherValues.keySet().iterator();
        while (others.hasNext())
        {
            keys[n++] = others.nextValue();
        }
        Arrays.sort(keys, 0, n);
        out.putInt(n);
        for (int i = 0; i < n; i++)
        {
            final long account = keys[i];
            final int slot = accounts.slotOf(account);
            if (AccountStore.NONE != slot && values.get(slot) != NONE)
            {
                out.putLong(account).putLong(values.get(slot)).putLong(offsets.get(slot));
            }
            else
            {
                out.putLong(account).putLong(otherValues.get(account)).putLong(otherOffsets.get(account));
            }
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
        otherValues.clear();
        otherOffsets.clear();
        unplaced = false;
        for (int i = 0; i < read.length; i += 3)
        {
            final int slot = accounts.slotOf(read[i]);
            if (AccountStore.NONE != slot)
            {
                values.set(slot, read[i + 1]);
                offsets.set(slot, read[i + 2]);
            }
            else
            {
                // not owned, or read before the rule was bound: see the class Javadoc
                otherValues.put(read[i], read[i + 1]);
                otherOffsets.put(read[i], read[i + 2]);
                unplaced = true;
            }
        }
    }

    /**
     * Moves an owned account's value read from a snapshot from the maps to its slot.
     */
    private void place(final int slot)
    {
        if (values.get(slot) == NONE)
        {
            final long account = accounts.account(slot);
            final long value = otherValues.remove(account);
            if (value != NONE)
            {
                values.set(slot, value);
                offsets.set(slot, otherOffsets.remove(account));
                unplaced = !otherValues.isEmpty();
            }
        }
    }
}
