package io.txmon.rules.typology;

import io.txmon.events.codec.PaymentDecoder;
import io.txmon.events.codec.Severity;
import io.txmon.rules.RuleContext;
import io.txmon.rules.TxEvent;
import io.txmon.rules.state.StateReader;
import io.txmon.rules.state.StateWriter;

import static io.txmon.rules.typology.ParameterChecks.positive;
import static io.txmon.rules.typology.ParameterChecks.set;

/**
 * Large amount: a payment whose amount, in the currency's minor units, is at or above a threshold.
 * Keyed on the debtor account; the evidence is the payment itself.
 * <p>
 * Score grows with how far above the threshold the amount is: 500 at the threshold, 1000 at ten times it.
 * <p>
 * State in a snapshot: none. The rule is stateless and writes nothing.
 */
public final class LargeAmountRule extends TypologyRule<LargeAmountRule.Parameters>
{
    /** Stable rule id. */
    public static final int ID = 1;
    /** Version of the logic. */
    public static final int VERSION = 2;
    /** Name in configuration and alerts. */
    public static final String NAME = "large-amount";
    /** Default threshold: 10,000.00 in a two-decimal currency. */
    public static final long DEFAULT_THRESHOLD_MINOR_UNITS = 1_000_000L;

    /**
     * Parameters, validated on construction.
     *
     * @param threshold in minor units, positive; payments at or above it alert; default
     *                  {@value #DEFAULT_THRESHOLD_MINOR_UNITS}.
     * @param severity  of the alerts; default {@link Severity#HIGH}.
     */
    public record Parameters(long threshold, Severity severity)
    {
        /** Default parameters. */
        public static final Parameters DEFAULTS = new Parameters(DEFAULT_THRESHOLD_MINOR_UNITS, Severity.HIGH);

        /**
         * Validates every parameter.
         *
         * @throws IllegalArgumentException naming the rule and the parameter that is out of range.
         */
        public Parameters
        {
            positive(NAME, "threshold", threshold);
            set(NAME, "severity", severity);
        }
    }

    private final long threshold;
    private final Severity severity;

    /**
     * @param threshold in minor units; payments at or above it alert.
     * @param severity  of the alerts.
     */
    public LargeAmountRule(final long threshold, final Severity severity)
    {
        this(new Parameters(threshold, severity));
    }

    /**
     * @param parameters validated parameters.
     */
    public LargeAmountRule(final Parameters parameters)
    {
        super(ID, VERSION, NAME, parameters);
        this.threshold = parameters.threshold();
        this.severity = parameters.severity();
    }

    /**
     * Stateless: each payment is judged on its own.
     *
     * @return 0.
     */
    public long horizonNanos()
    {
        return 0;
    }

    /**
     * @return the threshold in minor units.
     */
    public long threshold()
    {
        return threshold;
    }

    /**
     * @return {@link #PAYMENT}, the only template it reads.
     */
    public long templates()
    {
        return PAYMENT;
    }

    /**
     * Stateless: writes nothing.
     *
     * @param out to write to.
     */
    public void writeState(final StateWriter out)
    {
    }

    /**
     * Stateless: reads nothing.
     *
     * @param in to read from.
     */
    public void readState(final StateReader in)
    {
    }

    public void onEvent(final TxEvent event, final RuleContext context)
    {
        if (event.templateId != PaymentDecoder.TEMPLATE_ID || context.referenceAmount() < threshold ||
            !context.owns(event.debtorAccount))
        {
            return;
        }

        final long ratio = context.referenceAmount() / threshold;
        final int score = ratio >= 10 ? 1000 : (int)(500 + (ratio - 1) * 500 / 9);
        context.raise(this, severity, score, event.debtorAccount)
            .evidence(event.offset)
            .reason()
            .append("payment ").append(event.txId)
            .append(" of ")
            .appendMoney(event.amount, event.currency, context.referenceAmount(), context.referenceCurrency())
            .append(" from account ").append(event.debtorAccount)
            .append(" is at or above the large-amount threshold of ")
            .appendMoney(threshold, context.referenceCurrency());
    }
}
