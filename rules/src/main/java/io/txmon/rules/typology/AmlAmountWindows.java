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

    private final AccountObjects<AmlAmountWindow> bySlot;
    private final int capacity;
    private long lateEvents;
    private long droppedEntries;
    private long droppedEvidence;

    /**
     * @param owner    the rule, which owns the column of windows in the account store.
     * @param capacity most entries each account's window keeps.
     */
    AmlAmountWindows(final Object owner, final int capacity)
    {
        this.capacity = capacity;
        this.bySlot = new AccountObjects<>(owner, AmlAmountWindow::reset, () -> new AmlAmountWindow(capacity));
    }

    /**
     * Moves the windows into the worker's account store ({@link io.txmon.rules.Rule#bind}).
     *
     * @param store the worker's store.
     */
    void bind(final AccountStore store)
    {
        bySlot.bind(store);
    }

    /**
     * @param slot the account's slot ({@link io.txmon.rules.RuleContext#slot}).
     * @return the account's window, created empty the first time.
     */
    AmlAmountWindow window(final int slot)
    {
        return bySlot.getOrCreate(slot);
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
     * Write every account's window, in ascending order of account.
     *
     * @param out to write to.
     */
    void writeTo(final StateWriter out)
    {
        bySlot.writeAscending(out, AmlAmountWindow::writeTo);
    }

    /**
     * Replace every window with those {@link #writeTo} wrote, each read with this instance's capacity; the state
     * is left as it was if the bytes are refused. The counters are not touched.
     *
     * @param in to read from.
     * @throws io.txmon.rules.state.StateException if the bytes cannot be such windows.
     */
    void readFrom(final StateReader in)
    {
        bySlot.readAscending(
            in, Long.BYTES + AmlAmountWindow.HEADER_BYTES,
            "accounts with an amount window", (reader, account) -> AmlAmountWindow.readFrom(reader, capacity));
    }

    /**
     * @return accounts with a window.
     */
    int accounts()
    {
        return bySlot.count();
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
