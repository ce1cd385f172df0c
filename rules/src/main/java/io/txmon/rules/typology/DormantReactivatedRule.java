package io.txmon.rules.typology;

import io.txmon.events.codec.AccountAction;
import io.txmon.events.codec.AccountUpdateDecoder;
import io.txmon.events.codec.PaymentDecoder;
import io.txmon.events.codec.Severity;
import io.txmon.rules.RuleContext;
import io.txmon.rules.TxEvent;
import io.txmon.rules.state.AccountStore;
import io.txmon.rules.state.StateReader;
import io.txmon.rules.state.StateWriter;

import static io.txmon.rules.typology.ParameterChecks.atLeast;
import static io.txmon.rules.typology.ParameterChecks.positive;
import static io.txmon.rules.typology.ParameterChecks.set;

/**
 * Dormant account reactivated: a payment FROM an account that had no activity for at least a dormancy
 * period, with an amount at or above a minimum. Keyed on the debtor account.
 * <p>
 * Activity is any payment the account is debtor or creditor of, and its {@code AccountUpdate OPEN} (an
 * account opened and then never used is dormant too). Other account updates are not activity. An account
 * this worker has never seen is not dormant. Every payment, large or small, updates the last activity
 * time; so a small "test" payment reactivates the account without an alert and a large payment after it is
 * not dormant any more (see the group document).
 * <p>
 * Dormancy: {@code payment.time - lastActivity >= dormancyNanos}. Late events (older than the last
 * activity) never alert and do not move the last activity back.
 * <p>
 * Evidence: the event that was the last activity, then the triggering payment. Score: 500 at exactly the
 * dormancy period, rising linearly to 1000 at twice it and above.
 * <p>
 * Per-key memory: two {@code long} columns (time and offset of last activity) in the worker's
 * {@link AccountStore}, 16 bytes per account owned by this worker, kept until the store evicts the account (an
 * account evicted and seen again is one never seen: not dormant).
 * <p>
 * State in a snapshot: the number of accounts with a last activity (int), then per account, in ascending order
 * of id (before the store: the map's iteration order), its id, the event time and the offset of its last activity
 * (three longs). Which accounts are known matters as much as when they were last active (an account never seen is
 * not dormant), so every entry is written, those of accounts opened and never paid included. {@link #lateEvents()}
 * is monitoring only and is not written.
 * <p>
 * Single threaded: one instance belongs to one rule worker.
 */
public final class DormantReactivatedRule extends TypologyRule<DormantReactivatedRule.Parameters>
{
    /** Stable rule id. */
    public static final int ID = 11;
    /** Version of the logic. */
    public static final int VERSION = 2;
    /** Name of the typology. */
    public static final String NAME = "dormant-reactivated";

    private static final long NONE = AccountValues.NONE;
    private static final int OPEN = AccountAction.OPEN.value();

    /**
     * Parameters of dormant-reactivated.
     *
     * @param dormancyNanos shortest gap without activity that makes an account dormant, in event-time
     *                      nanoseconds; default 180 days.
     * @param minAmount     smallest payment that alerts, in minor units; default 100,000 (1,000.00).
     * @param severity      of the alerts; default {@link Severity#MEDIUM}.
     */
    public record Parameters(long dormancyNanos, long minAmount, Severity severity)
    {
        /** Default parameters. */
        public static final Parameters DEFAULTS =
            new Parameters(180L * 86_400 * 1_000_000_000L, 100_000L, Severity.MEDIUM);

        /**
         * Validates every parameter.
         *
         * @throws IllegalArgumentException naming the parameter that is out of range.
         */
        public Parameters
        {
            positive(NAME, "dormancyNanos", dormancyNanos);
            atLeast(NAME, "minAmount", minAmount, 1);
            set(NAME, "severity", severity);
        }
    }

    /** Each account's last activity: its event time and offset. */
    private final AccountValues lastActivity = new AccountValues(this, "last activity time", "last activity offset");
    private long lateEvents;

    /**
     * Dormant-reactivated with {@link Parameters#DEFAULTS}.
     */
    public DormantReactivatedRule()
    {
        this(Parameters.DEFAULTS);
    }

    /**
     * @param parameters validated parameters.
     */
    public DormantReactivatedRule(final Parameters parameters)
    {
        super(ID, VERSION, NAME, parameters);
    }

    /**
     * Unbounded: the state is each account's last activity, which may be a payment of any age; that is what
     * makes it dormant.
     *
     * @return {@link Long#MAX_VALUE}.
     */
    public long horizonNanos()
    {
        return Long.MAX_VALUE;
    }

    /**
     * @return {@link #PAYMENT} and {@link #ACCOUNT_UPDATE} (for {@code OPEN}): the templates read.
     */
    public long templates()
    {
        return PAYMENT | ACCOUNT_UPDATE;
    }

    /**
     * Moves the last activities into the worker's account store.
     *
     * @param accounts the worker's account store.
     */
    public void bind(final AccountStore accounts)
    {
        lastActivity.bind(accounts);
    }

    /**
     * Write every account's last activity, as laid out in the class description.
     *
     * @param out to write to.
     */
    public void writeState(final StateWriter out)
    {
        lastActivity.writeTo(out);
    }

    /**
     * Read back what {@link #writeState} wrote, replacing any state held; nothing changes if it fails.
     *
     * @param in to read from.
     * @throws io.txmon.rules.state.StateException if the bytes cannot be this rule's state: a count beyond the
     * bytes left, an account twice, a time or offset the maps cannot hold.
     */
    public void readState(final StateReader in)
    {
        lastActivity.readFrom(in);
    }

    /**
     * @return events older than the last activity already recorded for their account.
     */
    public long lateEvents()
    {
        return lateEvents;
    }

    /**
     * @return accounts with a last activity.
     */
    public int trackedAccounts()
    {
        return lastActivity.size();
    }

    public void onEvent(final TxEvent event, final RuleContext context)
    {
        final int templateId = event.templateId;
        if (templateId == PaymentDecoder.TEMPLATE_ID)
        {
            final long debtor = event.debtorAccount;
            final long creditor = event.creditorAccount;
            if (context.owns(debtor))
            {
                final int slot = context.slot(debtor);
                final long last = lastActivity.value(slot);
                if (last != NONE && context.referenceAmount() >= parameters().minAmount && event.eventTime >= last &&
                    EventTimes.gap(event.eventTime, last) >= parameters().dormancyNanos)
                {
                    raise(event, context, debtor, slot, last);
                }
                touch(slot, event.eventTime, event.offset);
            }
            if (creditor != debtor && context.owns(creditor))
            {
                touch(context.slot(creditor), event.eventTime, event.offset);
            }
        }
        else if (templateId == AccountUpdateDecoder.TEMPLATE_ID && event.action == OPEN && context.owns(event.account))
        {
            touch(context.slot(event.account), event.eventTime, event.offset);
        }
    }

    private void raise(
        final TxEvent event, final RuleContext context, final long debtor, final int slot, final long last)
    {
        final Parameters p = parameters();
        final long gap = EventTimes.gap(event.eventTime, last);
        final long dormancy = p.dormancyNanos;
        final long over = gap - dormancy;
        final int score = over >= dormancy ? 1000 : 500 + (int)(500.0 * over / dormancy);
        context.raise(this, p.severity, score, debtor)
            .evidence(lastActivity.offset(slot))
            .evidence(event.offset)
            .reason()
            .append("account ").append(debtor)
            .append(" paid ")
            .appendMoney(event.amount, event.currency, context.referenceAmount(), context.referenceCurrency())
            .append(" (payment ").append(event.txId)
            .append(") to account ").append(event.creditorAccount)
            .append(" after ").append(gap / 86_400_000_000_000L)
            .append(" days without activity (dormancy ").append(dormancy / 86_400_000_000_000L)
            .append(" days, minimum ").appendMoney(p.minAmount, context.referenceCurrency()).append(")");
    }

    private void touch(final int slot, final long eventTime, final long offset)
    {
        // Long.MIN_VALUE is the column's "none": a journal may hold it, so it is kept as the next instant
        final long time = eventTime == NONE ? NONE + 1 : eventTime;
        final long last = lastActivity.value(slot);
        // a last activity more than a dormancy ahead of this event (the year 2100) would keep the account
        // active for ever: this event, the one at hand, replaces it
        if (last == NONE || time >= last || EventTimes.gap(last, time) > parameters().dormancyNanos)
        {
            lastActivity.put(slot, time, offset);
        }
        else
        {
            lateEvents++;
        }
    }
}
