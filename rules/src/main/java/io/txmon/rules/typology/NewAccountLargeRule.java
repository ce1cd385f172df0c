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
 * New account receiving a large sum: a payment at or above a threshold to an account opened
 * ({@code AccountUpdate OPEN}) less than {@code maxAgeNanos} before it. Keyed on the creditor account.
 * <p>
 * Age: {@code payment.time - open.time}, taken as 0 when the payment's event time is before the OPEN's
 * (an OPEN that arrived late). New: {@code age < maxAgeNanos}. An account this worker never saw opened is
 * not new. A later OPEN of the same account (re-opened) replaces the earlier one. Every large payment to a
 * new account alerts (one alert per payment).
 * <p>
 * Evidence: the OPEN's offset, then the payment's. Score: 500 + up to 250 for how young the account is
 * (250 at age 0, 0 at {@code maxAgeNanos}) + up to 250 for the amount (0 at the threshold, 250 at ten
 * times it and above).
 * <p>
 * Per-key memory: two {@code long} columns (open time and offset) in the worker's {@link AccountStore}, 16 bytes
 * per account opened on this worker's partition. An OPEN is forgotten when a payment to the account finds it older
 * than {@code maxAgeNanos}, or when the store evicts the account (which is then not new: no alert); an account
 * opened and never paid keeps its OPEN until then.
 * <p>
 * State in a snapshot: what the account updates added, nothing from the constructor: the number of remembered
 * OPENs (int), then per account, in ascending order of id (before the store: the map's iteration order), its id,
 * the OPEN's event time and its offset (three longs).
 * <p>
 * Single threaded: one instance belongs to one rule worker.
 */
public final class NewAccountLargeRule extends TypologyRule<NewAccountLargeRule.Parameters>
{
    /** Stable rule id. */
    public static final int ID = 12;
    /** Version of the logic. */
    public static final int VERSION = 2;
    /** Name of the typology. */
    public static final String NAME = "new-account-large";

    private static final long NONE = AccountValues.NONE;
    private static final int OPEN = AccountAction.OPEN.value();

    /**
     * Parameters of new-account-large.
     *
     * @param maxAgeNanos account age, exclusive, below which the account is new, in event-time
     *                    nanoseconds; default 30 days.
     * @param threshold   smallest payment that alerts, in minor units; default 1,000,000 (10,000.00).
     * @param severity    of the alerts; default {@link Severity#HIGH}.
     */
    public record Parameters(long maxAgeNanos, long threshold, Severity severity)
    {
        /** Default parameters. */
        public static final Parameters DEFAULTS =
            new Parameters(30L * 86_400 * 1_000_000_000L, 1_000_000L, Severity.HIGH);

        /**
         * Validates every parameter.
         *
         * @throws IllegalArgumentException naming the parameter that is out of range.
         */
        public Parameters
        {
            positive(NAME, "maxAgeNanos", maxAgeNanos);
            atLeast(NAME, "threshold", threshold, 1);
            set(NAME, "severity", severity);
        }
    }

    /** Each remembered OPEN: the account's opening time and the offset of the update. */
    private final AccountValues opens = new AccountValues(this, "open time", "open offset");

    /**
     * New-account-large with {@link Parameters#DEFAULTS}.
     */
    public NewAccountLargeRule()
    {
        this(Parameters.DEFAULTS);
    }

    /**
     * @param parameters validated parameters.
     */
    public NewAccountLargeRule(final Parameters parameters)
    {
        super(ID, VERSION, NAME, parameters);
    }

    /**
     * The state is each account's OPEN, from account updates, which are always replayed; a payment only
     * removes an OPEN already too old for it, and so too old for any later payment.
     *
     * @return 0.
     */
    public long horizonNanos()
    {
        return 0;
    }

    /**
     * @return {@link #PAYMENT} and {@link #ACCOUNT_UPDATE} (for {@code OPEN}): the templates read.
     */
    public long templates()
    {
        return PAYMENT | ACCOUNT_UPDATE;
    }

    /**
     * Moves the remembered OPENs into the worker's account store.
     *
     * @param accounts the worker's account store.
     */
    public void bind(final AccountStore accounts)
    {
        opens.bind(accounts);
    }

    /**
     * Write every remembered OPEN, as laid out in the class description.
     *
     * @param out to write to.
     */
    public void writeState(final StateWriter out)
    {
        opens.writeTo(out);
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
        opens.readFrom(in);
    }

    /**
     * @return accounts whose opening is remembered.
     */
    public int trackedAccounts()
    {
        return opens.size();
    }

    public void onEvent(final TxEvent event, final RuleContext context)
    {
        final Parameters p = parameters();
        final int templateId = event.templateId;
        if (templateId == AccountUpdateDecoder.TEMPLATE_ID)
        {
            if (event.action == OPEN && context.owns(event.account))
            {
                // Long.MIN_VALUE is the column's "none": a journal may hold it, so it is kept as the next instant
                opens.put(context.slot(event.account), event.eventTime == NONE ? NONE + 1 : event.eventTime,
                    event.offset);
            }
            return;
        }
        if (templateId != PaymentDecoder.TEMPLATE_ID || context.referenceAmount() < p.threshold)
        {
            return;
        }
        final long creditor = event.creditorAccount;
        if (!context.owns(creditor))
        {
            return;
        }
        final int slot = context.slot(creditor);
        final long opened = opens.value(slot);
        if (opened == NONE)
        {
            return;
        }
        final long age = Math.max(0, EventTimes.gap(event.eventTime, opened));
        final long maxAge = p.maxAgeNanos;
        if (age >= maxAge)
        {
            opens.remove(slot);
            return;
        }

        final long threshold = p.threshold;
        final long ratio = context.referenceAmount() / threshold;
        final int amountScore = ratio >= 10 ? 250 : (int)((ratio - 1) * 250 / 9);
        final int ageScore = (int)(250.0 * (maxAge - age) / maxAge);
        context.raise(this, p.severity, 500 + ageScore + amountScore, creditor)
            .evidence(opens.offset(slot))
            .evidence(event.offset)
            .reason()
            .append("account ").append(creditor)
            .append(" opened ").append(age / 86_400_000_000_000L)
            .append(" days ").append(age % 86_400_000_000_000L / 3_600_000_000_000L)
            .append(" h ago received ")
            .appendMoney(event.amount, event.currency, context.referenceAmount(), context.referenceCurrency())
            .append(" (payment ").append(event.txId)
            .append(") from account ").append(event.debtorAccount)
            .append(", at or above ").appendMoney(threshold, context.referenceCurrency());
    }
}
