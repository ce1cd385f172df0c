package io.txmon.rules.typology;

import io.txmon.events.codec.PaymentDecoder;
import io.txmon.events.codec.Severity;
import io.txmon.rules.AlertRecord;
import io.txmon.rules.RuleContext;
import io.txmon.rules.TxEvent;

import java.util.concurrent.TimeUnit;

import static io.txmon.rules.typology.ParameterChecks.positive;
import static io.txmon.rules.typology.ParameterChecks.range;
import static io.txmon.rules.typology.ParameterChecks.set;

/**
 * Velocity by count: at least {@code minCount} payments from one debtor account within a sliding window of
 * event time. Keyed on the debtor.
 * <p>
 * The window holds the debtor's payments with {@code now - eventTime < window}. When it reaches the count
 * an alert is raised with every payment in it as evidence, and the window is emptied, so each payment
 * supports at most one alert and a burst of {@code 2 * minCount} payments raises two alerts, not
 * {@code minCount + 1}. Payments with a non-positive amount are ignored.
 * <p>
 * Memory: the debtor's payments are in its {@link PaymentHistory}, 32 bytes per payment held, stored once for the
 * four amount rules that hold every payment; this rule's window of it is 40 bytes per debtor. The history grows by
 * doubling from 4 entries as the rules need.
 * <p>
 * State in a snapshot: for each debtor, in ascending order, its window's clock (kept when an alert empties the
 * window, as a late payment is stored at it) and its payments in the window since its last alert (time, amount,
 * offset) oldest first, as {@link AmlAmountWindows} writes them; the counters are for monitoring and are left out.
 */
public final class VelocityCountRule extends AmlAmountRule<VelocityCountRule.Parameters>
{
    /** Stable rule id. */
    public static final int ID = 3;
    /** Version of the logic. */
    public static final int VERSION = 2;
    /** Name in configuration and alerts. */
    public static final String NAME = "velocity-count";
    /** Score of every alert. */
    public static final int SCORE = 600;

    /**
     * Parameters, validated on construction.
     *
     * @param minCount    payments within the window that raise an alert; default {@value #DEFAULT_MIN_COUNT}.
     * @param windowNanos length of the window in ns; default 1 hour.
     * @param capacity    most payments kept per debtor, {@code minCount} to
     *                    1024; default {@value #DEFAULT_CAPACITY}.
     * @param severity    of the alerts; default MEDIUM.
     */
    public record Parameters(int minCount, long windowNanos, int capacity, Severity severity)
    {
        /** Default count. */
        public static final int DEFAULT_MIN_COUNT = 20;
        /** Default window: one hour. */
        public static final long DEFAULT_WINDOW_NANOS = TimeUnit.HOURS.toNanos(1);
        /** Default payments kept per debtor. */
        public static final int DEFAULT_CAPACITY = 64;
        /** Default parameters, as {@link #defaults()} gives them. */
        public static final Parameters DEFAULTS = defaults();

        /**
         * Validate.
         */
        public Parameters
        {
            range(NAME, "minCount", minCount, 1, AmlAmountWindows.MAX_CAPACITY);
            positive(NAME, "windowNanos", windowNanos);
            range(NAME, "capacity", capacity, minCount, AmlAmountWindows.MAX_CAPACITY);
            set(NAME, "severity", severity);
        }

        /**
         * @return the defaults.
         */
        public static Parameters defaults()
        {
            return new Parameters(DEFAULT_MIN_COUNT, DEFAULT_WINDOW_NANOS, DEFAULT_CAPACITY, Severity.MEDIUM);
        }
    }

    /**
     * @param parameters of the rule.
     */
    public VelocityCountRule(final Parameters parameters)
    {
        super(ID, VERSION, NAME, parameters, Parameters::capacity, true);
    }

    /**
     * Unbounded, unless minCount is 1: the window is emptied on each alert, so which payments it holds depends
     * on when the earlier alerts fell, a chain back through history. With minCount 1 every payment alerts and
     * empties the window, which then never holds anything.
     *
     * @return 0 if minCount is 1, else {@link Long#MAX_VALUE}.
     */
    public long horizonNanos()
    {
        return parameters().minCount() == 1 ? 0 : Long.MAX_VALUE;
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
        if (count >= p.minCount())
        {
            final AlertRecord alert = context.raise(this, p.severity(), SCORE, debtor);
            windows.evidence(alert, window);
            alert.reason()
                .append(count).append(" payments from account ").append(debtor)
                .append(" within ").appendDuration(p.windowNanos())
                .append(", at or above the velocity-count threshold of ").append(p.minCount())
                .append("; latest payment ").append(event.txId)
                .append(" of ")
                .appendMoney(event.amount, event.currency, context.referenceAmount(), context.referenceCurrency());
            window.clear();
        }
    }
}
