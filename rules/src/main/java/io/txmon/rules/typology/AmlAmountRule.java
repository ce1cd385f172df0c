package io.txmon.rules.typology;

import io.txmon.rules.Rule;
import io.txmon.rules.state.AccountStore;
import io.txmon.rules.state.StateReader;
import io.txmon.rules.state.StateWriter;

/**
 * What the six amount typologies (ids 2 to 7) share: one {@link AmlAmountWindow} per debtor, held in
 * {@link AmlAmountWindows}, and the counters that say how the windows coped.
 * <p>
 * The windows are all the state a decision depends on, so they are what a snapshot holds
 * ({@link AmlAmountWindows#writeTo}); a subclass that keeps more writes it after them.
 */
abstract class AmlAmountRule implements Rule
{
    /** The debtors' windows; owned by the rule's worker. */
    final AmlAmountWindows windows;

    /**
     * @param capacity of each debtor's window.
     */
    AmlAmountRule(final int capacity)
    {
        this.windows = new AmlAmountWindows(this, capacity);
    }

    /**
     * @return true: the windows are written and read back.
     */
    public void bind(final AccountStore accounts)
    {
        windows.bind(accounts);
    }

    public boolean snapshots()
    {
        return true;
    }

    /**
     * Write the debtors' windows: their clocks and entries, consumed ones included.
     *
     * @param out to write to.
     */
    public void writeState(final StateWriter out)
    {
        windows.writeTo(out);
    }

    /**
     * Read back the debtors' windows, each bounded by this rule's capacity.
     *
     * @param in to read from.
     */
    public void readState(final StateReader in)
    {
        windows.readFrom(in);
    }

    /**
     * @return events evaluated at their window's clock because they were older than its newest event.
     */
    public long lateEvents()
    {
        return windows.lateEvents();
    }

    /**
     * @return payments dropped from a full window while still inside it.
     */
    public long droppedEntries()
    {
        return windows.droppedEntries();
    }

    /**
     * @return evidence offsets left off alerts that were full.
     */
    public long droppedEvidence()
    {
        return windows.droppedEvidence();
    }

    /**
     * @return debtors with state.
     */
    public int accounts()
    {
        return windows.accounts();
    }
}
