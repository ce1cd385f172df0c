package io.txmon.rules.typology;

import io.txmon.events.codec.PaymentDecoder;
import io.txmon.events.codec.Severity;
import io.txmon.rules.AlertRecord;
import io.txmon.rules.RuleContext;
import io.txmon.rules.TxEvent;

import java.util.concurrent.TimeUnit;

import static io.txmon.rules.typology.AmlAmountWindows.saturatingAdd;
import static io.txmon.rules.typology.ParameterChecks.positive;
import static io.txmon.rules.typology.ParameterChecks.range;
import static io.txmon.rules.typology.ParameterChecks.set;

/**
 * Velocity by sum: the payments of one debtor account within a sliding window of event time add up to at
 * least a threshold, in minor units. Keyed on the debtor.
 * <p>
 * The window holds the debtor's payments with {@code now - eventTime < window}; the sum saturates at
 * {@link Long#MAX_VALUE}. When it reaches the threshold an alert is raised with every payment in the window
 * as evidence and the window is emptied, so each payment supports at most one alert. Payments with a
 * non-positive amount are ignored. Amounts are added in minor units whatever their currency: there is no
 * conversion rate in the event stream.
 * <p>
 * Score: 500 at the threshold, rising linearly to 1000 at twice the threshold and above.
 * <p>
 * Memory: the debtor's payments are in its {@link PaymentHistory}, 32 bytes per payment held, stored once for the
 * four amount rules that hold every payment; this rule's window of it is 40 bytes per debtor. The history grows by
 * doubling from 4 entries as the rules need.
 * <p>
 * State in a snapshot: for each debtor, in ascending order, its window's clock (kept when an alert empties the
 * window, as a late payment is stored at it) and its payments in the window since its last alert (time, amount,
 * offset) oldest first, as {@link AmlAmountWindows} writes them; the counters are for monitoring and are left out.
 */
public final class VelocitySumRule extends AmlAmountRule<VelocitySumRule.Parameters>
{
    /** Stable rule id. */
    public static final int ID = 4;
    /** Version of the logic. */
    public static final int VERSION = 2;
    /** Name in configuration and alerts. */
    public static final String NAME = "velocity-sum";

    /**
     * Parameters, validated on construction.
     *
     * @param threshold   sum in minor units that raises an alert; default 5,000,000 (50,000.00).
     * @param windowNanos length of the window in ns; default 24 hours.
     * @param capacity    most payments kept per debtor, 1 to 1024; default {@value #DEFAULT_CAPACITY}.
     * @param severity    of the alerts; default HIGH.
     */
    public record Parameters(long threshold, long windowNanos, int capacity, Severity severity)
    {
        /** Default threshold: 50,000.00 in a two-decimal currency. */
        public static final long DEFAULT_THRESHOLD = 5_000_000L;
        /** Default window: 24 hours. */
        public static final long DEFAULT_WINDOW_NANOS = TimeUnit.HOURS.toNanos(24);
        /** Default payments kept per debtor. */
        public static final int DEFAULT_CAPACITY = 128;
        /** Default parameters, as {@link #defaults()} gives them. */
        public static final Parameters DEFAULTS = defaults();

        /**
         * Validate.
         */
        public Parameters
        {
            positive(NAME, "threshold", threshold);
            positive(NAME, "windowNanos", windowNanos);
            range(NAME, "capacity", capacity, 1, AmlAmountWindows.MAX_CAPACITY);
            set(NAME, "severity", severity);
        }

        /**
         * @return the defaults.
         */
        public static Parameters defaults()
        {
            return new Parameters(DEFAULT_THRESHOLD, DEFAULT_WINDOW_NANOS, DEFAULT_CAPACITY, Severity.HIGH);
        }
    }

    /**
     * @param parameters of the rule.
     */
    public VelocitySumRule(final Parameters parameters)
    {
        super(ID, VERSION, NAME, parameters, Parameters::capacity, true);
    }

    /**
     * Unbounded, unless the threshold is 1: the window is emptied on each alert, so which payments it holds
     * depends on when the earlier alerts fell, a chain back through history. With a threshold of 1 every payment
     * (amount 1 or more) alerts and empties the window, which then never holds anything.
     *
     * @return 0 if the threshold is 1, else {@link Long#MAX_VALUE}.
     */
    public long horizonNanos()
    {
        return parameters().threshold() == 1 ? 0 : Long.MAX_VALUE;
    }

    /**
     * @return {@link #PAYMENT}, the only template it reads.
     */
    public long templates()
    {
        return PAYMENT;
    }

    public void onEvent(final TxEvent event, final RuleContext context)
    {
        final long debtor = event.debtorAccount;
        if (event.templateId != PaymentDecoder.TEMPLATE_ID || context.referenceAmount() <= 0 ||
            !context.owns(debtor))
        {
            return;
        }

        final Parameters p = parameters();
        final AmlAmountWindow window = windows.window(context.slot(debtor));
        windows.advance(window, event.eventTime, p.windowNanos());
        windows.add(window, event.eventTime, context.referenceAmount(), event.offset);

        final int count = window.size();
        long sum = window.exactSum();
        if (sum < 0)
        {
            // beyond a long: the saturated sum, as always
            sum = 0;
            for (int i = 0; i < count; i++)
            {
                sum = saturatingAdd(sum, window.amount(i));
            }
        }

        final long threshold = p.threshold();
        if (sum >= threshold)
        {
            final int score = sum - threshold >= threshold ? 1000 : 500 + (int)(500.0 * (sum - threshold) / threshold);
            final AlertRecord alert = context.raise(this, p.severity(), score, debtor);
            windows.evidence(alert, window);
            alert.reason()
                .append(count).append(" payments from account ").append(debtor)
                .append(" sum to ").appendMoney(sum, context.referenceCurrency())
                .append(" within ").appendDuration(p.windowNanos())
                .append(", at or above the velocity-sum threshold of ")
                .appendMoney(threshold, context.referenceCurrency())
                .append("; latest payment ").append(event.txId);
            window.clear();
        }
    }
}
