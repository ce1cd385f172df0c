package io.txmon.rules;

import io.txmon.events.codec.Severity;
import io.txmon.rules.config.Money;
import io.txmon.rules.state.AccountStore;

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
    private AccountStore accounts = new AccountStore(AccountStore.Limits.UNBOUNDED);
    private int firstSlot;
    private int secondSlot;
    private static final int UNRESOLVED = -2;
    private Money money = Money.defaults();
    private long referenceAmount;

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
        // an event's sides are asked about by many rules: each is hashed and looked up once per event
        firstSide = event.templateId == PAYMENT ? event.debtorAccount : event.account;
        secondSide = event.templateId == PAYMENT ? event.creditorAccount : event.counterpartyAccount;
        firstSlot = UNRESOLVED;
        secondSlot = UNRESOLVED;
        referenceAmount = event.templateId == PAYMENT ? money.toReference(event.amount, event.currency) : 0;
        if (workerCount > 1)
        {
            firstOwned = partition(firstSide, workerCount) == workerIndex;
            secondOwned = partition(secondSide, workerCount) == workerIndex;
        }
    }

    void accounts(final AccountStore accounts)
    {
        this.accounts = accounts;
    }

    void money(final Money money)
    {
        this.money = money;
    }

    /**
     * The payment's amount in minor units of the reference currency ({@link Money}), converted once per event
     * with the rates in effect at its place in the journal: what every amount threshold is compared with.
     *
     * @return the amount converted, for a payment; 0 for other events.
     */
    public long referenceAmount()
    {
        return referenceAmount;
    }

    /**
     * @return ISO 4217 numeric code of the reference currency the thresholds and {@link #referenceAmount()} are in.
     */
    public int referenceCurrency()
    {
        return money.reference();
    }

    /**
     * @return the worker's account store.
     */
    public AccountStore accounts()
    {
        return accounts;
    }

    /**
     * The account record of an account this worker owns, in the worker's {@link AccountStore}: added if new,
     * marked as seen at this event's time. An event's two sides are looked up once each, however many rules
     * ask; the slot stays valid for the rest of the event.
     *
     * @param account an account {@link #owns owned} by this worker.
     * @return its slot in every rule's columns.
     */
    public int slot(final long account)
    {
        if (account == firstSide)
        {
            if (UNRESOLVED == firstSlot)
            {
                firstSlot = accounts.touch(account, event.eventTime);
            }
            return firstSlot;
        }
        if (account == secondSide)
        {
            if (UNRESOLVED == secondSlot)
            {
                secondSlot = accounts.touch(account, event.eventTime);
            }
            return secondSlot;
        }
        return accounts.touch(account, event.eventTime);
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
