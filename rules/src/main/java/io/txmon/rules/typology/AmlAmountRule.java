package io.txmon.rules.typology;

import io.txmon.rules.Rule;

/**
 * What the six amount typologies (ids 2 to 7) share: one {@link AmlAmountWindow} per debtor, held in
 * {@link AmlAmountWindows}, and the counters that say how the windows coped.
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
        this.windows = new AmlAmountWindows(capacity);
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
