package io.txmon.rules.typology;

import io.txmon.events.codec.PaymentDecoder;
import io.txmon.events.codec.Severity;
import io.txmon.rules.Rule;
import io.txmon.rules.RuleContext;
import io.txmon.rules.TxEvent;

/**
 * Large amount: a payment whose amount, in the currency's minor units, is at or above a threshold.
 * Keyed on the debtor account; the evidence is the payment itself.
 * <p>
 * Score grows with how far above the threshold the amount is: 500 at the threshold, 1000 at ten times it.
 */
public final class LargeAmountRule implements Rule
{
    /** Stable rule id. */
    public static final int ID = 1;
    /** Version of the logic. */
    public static final int VERSION = 1;
    /** Default threshold: 10,000.00 in a two-decimal currency. */
    public static final long DEFAULT_THRESHOLD_MINOR_UNITS = 1_000_000L;

    private final long threshold;
    private final Severity severity;

    /**
     * @param threshold in minor units; payments at or above it alert.
     * @param severity  of the alerts.
     */
    public LargeAmountRule(final long threshold, final Severity severity)
    {
        if (threshold <= 0)
        {
            throw new IllegalArgumentException("large-amount threshold must be positive, was " + threshold);
        }
        this.threshold = threshold;
        this.severity = severity;
    }

    public int id()
    {
        return ID;
    }

    public int version()
    {
        return VERSION;
    }

    public String name()
    {
        return "large-amount";
    }

    /**
     * @return the threshold in minor units.
     */
    public long threshold()
    {
        return threshold;
    }

    public void onEvent(final TxEvent event, final RuleContext context)
    {
        if (event.templateId != PaymentDecoder.TEMPLATE_ID || event.amount < threshold ||
            !context.owns(event.debtorAccount))
        {
            return;
        }

        final long ratio = event.amount / threshold;
        final int score = ratio >= 10 ? 1000 : (int)(500 + (ratio - 1) * 500 / 9);
        context.raise(this, severity, score, event.debtorAccount)
            .evidence(event.offset)
            .reason()
            .append("payment ").append(event.txId)
            .append(" of ").appendMoney(event.amount, event.currency)
            .append(" from account ").append(event.debtorAccount)
            .append(" is at or above the large-amount threshold of ").appendMoney(threshold, event.currency);
    }
}
