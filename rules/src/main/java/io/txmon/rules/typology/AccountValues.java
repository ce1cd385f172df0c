package io.txmon.rules.typology;

import io.txmon.rules.state.StateReader;
import io.txmon.rules.state.StateWriter;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.LongHashSet;

/**
 * What a rule learns of an account one event at a time and decides on later, such as its party or the time of
 * its last activity: per account a value and the offset of the event it came from, kept for the evidence. Two
 * primitive maps kept in step, so looking an account up allocates nothing; {@link #NONE} stands for an account
 * not known, so neither a value nor an offset can be {@code Long.MIN_VALUE}.
 * <p>
 * In a snapshot ({@link #writeTo}): the number of accounts (int), then for each account, in the maps' iteration
 * order, its id, value and offset (three longs). Read back ({@link #readFrom}), the accounts are put in the order
 * written; a count beyond the bytes left, an account twice and a value or offset of {@code Long.MIN_VALUE} are
 * refused, and nothing changes if the bytes are refused.
 * <p>
 * Single threaded: one instance belongs to one rule.
 */
final class AccountValues
{
    /** The value and offset of an account not known. */
    static final long NONE = Long.MIN_VALUE;
    /** Bytes an account takes in a snapshot: id, value, offset. */
    static final int ENTRY_BYTES = 3 * Long.BYTES;

    private final Long2LongHashMap values = new Long2LongHashMap(NONE);
    private final Long2LongHashMap offsets = new Long2LongHashMap(NONE);
    private final String noValue;
    private final String noOffset;

    /**
     * @param value  what the value is, as named in an error.
     * @param offset what the offset is the offset of, as named in an error.
     */
    AccountValues(final String value, final String offset)
    {
        noValue = "an account's " + value + " is Long.MIN_VALUE";
        noOffset = "an account's " + offset + " is Long.MIN_VALUE";
    }

    /**
     * @param account to set.
     * @param value   learnt, not {@link #NONE}.
     * @param offset  of the event it was learnt from, not {@link #NONE}.
     */
    void put(final long account, final long value, final long offset)
    {
        values.put(account, value);
        offsets.put(account, offset);
    }

    /**
     * @param account to look up.
     * @return its value, or {@link #NONE} if not known.
     */
    long value(final long account)
    {
        return values.get(account);
    }

    /**
     * @param account to look up.
     * @return the offset of the event its value came from, or {@link #NONE} if not known.
     */
    long offset(final long account)
    {
        return offsets.get(account);
    }

    /**
     * @param account to forget.
     */
    void remove(final long account)
    {
        values.remove(account);
        offsets.remove(account);
    }

    /**
     * @return accounts known.
     */
    int size()
    {
        return values.size();
    }

    /**
     * Write every account, as the class Javadoc lays it out.
     *
     * @param out to write to.
     */
    void writeTo(final StateWriter out)
    {
        out.putInt(values.size());
        values.forEachLong((account, value) -> out.putLong(account).putLong(value).putLong(offsets.get(account)));
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
        final LongHashSet accounts = new LongHashSet(count);
        for (int i = 0; i < read.length; i += 3)
        {
            in.getLongs(read, i, 3);
            in.require(read[i + 1] != NONE, noValue);
            in.require(read[i + 2] != NONE, noOffset);
            in.require(accounts.add(read[i]), "an account is written twice");
        }
        values.clear();
        offsets.clear();
        // in the order written, which is the original's iteration order
        for (int i = 0; i < read.length; i += 3)
        {
            put(read[i], read[i + 1], read[i + 2]);
        }
    }
}
