package io.txmon.rules.typology;

import io.txmon.rules.AlertRecord;
import io.txmon.rules.ReasonBuilder;
import io.txmon.rules.state.AccountStore;
import io.txmon.rules.state.StateReader;
import io.txmon.rules.state.StateWriter;

/**
 * The per-account windows of one amount typology, keyed by account id, with the counters every such rule
 * reports: late events, entries dropped because a window was full, and evidence offsets left off an alert
 * because it held {@link AlertRecord#MAX_EVIDENCE} already.
 * <p>
 * A window is allocated small the first time its account is seen and kept for the life of the rule; it grows
 * geometrically up to the configured capacity as entries accumulate, so looking one up allocates nothing
 * after it, and adding to it allocates only while it is still growing. Not thread safe: owned by one rule instance on one worker thread.
 * <p>
 * In a snapshot ({@link #writeTo}): the number of accounts (int), then for each account in ascending order of
 * id the id (long) and its {@link AmlAmountWindow}. The counters are for monitoring and are not written; no
 * decision depends on the map's iteration order, and the ascending order makes the bytes depend only on the
 * state, not on how it was reached.
 */
final class AmlAmountWindows
{
    /** Largest window capacity a rule accepts, so that a per-event scan stays short. */
    static final int MAX_CAPACITY = 1024;

    private static final long BASIS_POINTS = 10_000L;
    private static final long SECOND = 1_000_000_000L;
    private static final long MINUTE = 60 * SECOND;
    private static final long HOUR = 60 * MINUTE;
    private static final long DAY = 24 * HOUR;

    private final AmlAmountWindow window;
    private long lateEvents;
    private long droppedEntries;
    private long droppedEvidence;

    /**
     * @param owner         the rule, which owns the windows' columns in the account store.
     * @param capacity      most entries each account's window keeps.
     * @param sharesHistory true if the rule holds every positive payment of a debtor, so its windows read the
     *                      worker's one {@link PaymentHistory} of them; false if it holds only some.
     */
    AmlAmountWindows(final Object owner, final int capacity, final boolean sharesHistory)
    {
        this.window = new AmlAmountWindow(
            owner, capacity, sharesHistory, new AccountStore(AccountStore.Limits.UNBOUNDED));
    }

    /**
     * Moves the windows into the worker's account store ({@link io.txmon.rules.Rule#bind}).
     *
     * @param store the worker's store.
     */
    void bind(final AccountStore store)
    {
        window.moveTo(store);
    }

    /**
     * @param slot the account's slot ({@link io.txmon.rules.RuleContext#slot}).
     * @return the window, positioned on the account (one flyweight: valid until the next call).
     */
    AmlAmountWindow window(final int slot)
    {
        return window.at(slot);
    }

    /**
     * Advance a window's clock to an event, counting it if late, and evict what has aged out.
     *
     * @param window      of the event's account.
     * @param eventTime   of the event.
     * @param windowNanos length of the window.
     * @return the time to evaluate and store the event at.
     */
    long advance(final AmlAmountWindow window, final long eventTime, final long windowNanos)
    {
        if (window.isLate(eventTime))
        {
            lateEvents++;
        }
        final long now = window.advance(eventTime);
        window.evict(now, windowNanos);
        return now;
    }

    /**
     * Append to a window, counting the oldest entry if it had to be dropped.
     */
    void add(final AmlAmountWindow window, final long time, final long amount, final long offset)
    {
        if (window.add(time, amount, offset))
        {
            droppedEntries++;
        }
    }

    /**
     * Add the offsets of a window's entries as evidence, oldest first; when there are more than an alert
     * holds, the newest are kept (the triggering event is the newest) and the rest counted.
     *
     * @param alert  to add to.
     * @param window whose entries support it.
     */
    void evidence(final AlertRecord alert, final AmlAmountWindow window)
    {
        final int size = window.size();
        final int from = Math.max(0, size - AlertRecord.MAX_EVIDENCE);
        droppedEvidence += from;
        for (int i = from; i < size; i++)
        {
            alert.evidence(window.offset(i));
        }
    }

    /**
     * Count evidence offsets that did not fit in an alert.
     *
     * @param count left off.
     */
    void evidenceDropped(final int count)
    {
        droppedEvidence += count;
    }

    /**
     * Write every account's window, in ascending order of account: the count (int), then each account (long)
     * followed by its window ({@link AmlAmountWindow#writeTo}).
     *
     * @param out to write to.
     */
    void writeTo(final StateWriter out)
    {
        final AccountStore store = window.store();
        final long[] keys = store.accountsAscending(window::exists);
        out.putInt(keys.length);
        for (final long key : keys)
        {
            window.at(store.slotOf(key)).writeTo(out.putLong(key));
        }
    }

    /**
     * Replace every window with those {@link #writeTo} wrote, each read with this instance's capacity, their
     * entries put into the history. The bytes are checked before anything changes (accounts in ascending order
     * included), so refused bytes leave the state as it was, but for a disagreement with another rule's windows
     * of the same history, found only as the entries are put in: that refuses the whole snapshot. The counters
     * are not touched.
     *
     * @param in to read from.
     * @throws io.txmon.rules.state.StateException if the bytes cannot be such windows.
     */
    void readFrom(final StateReader in)
    {
        final int n = in.getCount(0, in.remaining() / (Long.BYTES + AmlAmountWindow.HEADER_BYTES),
            "accounts with an amount window");
        final int from = in.position();
        long previous = Long.MIN_VALUE;
        for (int i = 0; i < n; i++)
        {
            final long account = in.getLong();
            in.require(i == 0 || account > previous, "accounts with an amount window are not in ascending order");
            previous = account;
            window.read(AccountStore.NONE, in);
        }
        final StateReader checked = new StateReader().wrap(in.buffer(), from, in.position() - from, in.section());
        window.clearAll();
        final AccountStore store = window.store();
        for (int i = 0; i < n; i++)
        {
            window.read(store.slotForRead(checked.getLong()), checked);
        }
    }

    /**
     * @return accounts with a window.
     */
    int accounts()
    {
        return window.accountsHeld();
    }

    long lateEvents()
    {
        return lateEvents;
    }

    long droppedEntries()
    {
        return droppedEntries;
    }

    long droppedEvidence()
    {
        return droppedEvidence;
    }

    /**
     * {@code value * basisPoints / 10000} rounded down, without overflow for any non-negative value.
     *
     * @param value       non-negative.
     * @param basisPoints 0 to 10000.
     * @return the fraction of the value.
     */
    static long fraction(final long value, final int basisPoints)
    {
        return (value / BASIS_POINTS) * basisPoints + (value % BASIS_POINTS) * basisPoints / BASIS_POINTS;
    }

    /**
     * @return the sum of two non-negative values, or {@link Long#MAX_VALUE} if it would overflow.
     */
    static long saturatingAdd(final long a, final long b)
    {
        final long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }
}
