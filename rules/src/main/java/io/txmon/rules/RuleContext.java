package io.txmon.rules;

import io.txmon.events.codec.Severity;

/**
 * What a rule sees of the worker evaluating it: which accounts the worker owns, and where alerts go.
 * One per worker, re-pointed at each slot; not thread safe.
 */
public final class RuleContext
{
    private final int workerIndex;
    private final int workerCount;
    private static final int PAYMENT = io.txmon.events.codec.PaymentDecoder.TEMPLATE_ID;
    private TxEvent event;
    private AlertBuffer alerts;
    private long firstSide;
    private boolean firstOwned;
    private long secondSide;
    private boolean secondOwned;

    /**
     * @param workerIndex of this worker, from 0.
     * @param workerCount number of workers the accounts are partitioned over.
     */
    public RuleContext(final int workerIndex, final int workerCount)
    {
        if (workerCount < 1 || workerIndex < 0 || workerIndex >= workerCount)
        {
            throw new IllegalArgumentException("worker " + workerIndex + " of " + workerCount);
        }
        this.workerIndex = workerIndex;
        this.workerCount = workerCount;
    }

    void wrap(final TxEvent event)
    {
        this.event = event;
        this.alerts = event.alerts(workerIndex);
        if (workerCount > 1)
        {
            // an event's sides are asked about by many rules: each is hashed once here
            firstSide = event.templateId == PAYMENT ? event.debtorAccount : event.account;
            firstOwned = partition(firstSide, workerCount) == workerIndex;
            secondSide = event.templateId == PAYMENT ? event.creditorAccount : event.counterpartyAccount;
            secondOwned = partition(secondSide, workerCount) == workerIndex;
        }
    }

    /**
     * @param account id.
     * @return true if this worker evaluates the rules keyed on this account.
     */
    public boolean owns(final long account)
    {
        if (workerCount == 1)
        {
            return true;
        }
        if (account == firstSide)
        {
            return firstOwned;
        }
        if (account == secondSide)
        {
            return secondOwned;
        }
        return partition(account, workerCount) == workerIndex;
    }

    /**
     * Raise an alert for the current event.
     *
     * @param rule     raising it.
     * @param severity of the alert.
     * @param score    0 to 1000.
     * @param account  the alert is about.
     * @return the record to add evidence and a reason to.
     */
    public AlertRecord raise(final Rule rule, final Severity severity, final int score, final long account)
    {
        return alerts.raise(rule, severity, score, event.offset, account, event.eventTime);
    }

    /**
     * @return index of this worker.
     */
    public int workerIndex()
    {
        return workerIndex;
    }

    /**
     * The partition an account belongs to: a mixed hash so that sequential ids spread evenly.
     *
     * @param account     id.
     * @param workerCount number of partitions.
     * @return the partition, 0 to workerCount - 1.
     */
    public static int partition(final long account, final int workerCount)
    {
        long h = account * 0x9E3779B97F4A7C15L;
        h ^= h >>> 32;
        return (int)((h & Long.MAX_VALUE) % workerCount);
    }
}
