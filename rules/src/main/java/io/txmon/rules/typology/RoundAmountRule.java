package io.txmon.rules.typology;

import io.txmon.events.Currencies;
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
 * Round amounts: at least {@code minCount} payments from one debtor account within a sliding window of
 * event time whose amounts are round, a whole multiple of {@code unit}, and at least {@code minimum}. Keyed on
 * the debtor. Both are in minor units of the reference currency ({@link io.txmon.rules.config.Money}): the minimum
 * is compared with the payment converted to it, while roundness is tested in the payment's own currency, as many of
 * its major units as the unit is of the reference currency's (a unit of 1,000.00 EUR makes 2,000.00 USD and
 * 5,000 JPY round).
 * <p>
 * Only round payments enter the window, so other payments cost no state. When the window holds
 * {@code minCount} of them an alert is raised with all of them as evidence and the window is emptied.
 * <p>
 * Memory: a {@link PaymentHistory} of this rule's own per debtor that made such a payment, 32 bytes per payment
 * held, growing by doubling from 4 entries to at most {@code capacity}, and 40 bytes for its window.
 * <p>
 * State in a snapshot: for each debtor that made a round payment, in ascending order, its window's clock and
 * the round payments since its last alert (time, amount, offset) oldest first, as {@link AmlAmountWindows}
 * writes them; the counters are for monitoring and are left out.
 */
public final class RoundAmountRule extends AmlAmountRule<RoundAmountRule.Parameters>
{
    /** Stable rule id. */
    private static final long[] POWERS_OF_TEN = { 1, 10, 100, 1_000, 10_000 };

    public static final int ID = 7;
    /** Version of the logic. */
    public static final int VERSION = 2;
    /** Name in configuration and alerts. */
    public static final String NAME = "round-amounts";
    /** Score of every alert. */
    public static final int SCORE = 400;

    /**
     * Parameters, validated on construction.
     *
     * @param unit        a round amount is a multiple of this, in minor units; default 100,000 (1,000.00).
     * @param minimum     smallest round amount that counts, in minor units; default 500,000 (5,000.00).
     * @param minCount    round payments that raise an alert, 1 to 1024; default 3.
     * @param windowNanos length of the window in ns; default 7 days.
     * @param capacity    most round payments kept per debtor, {@code minCount} to 1024;
     *                    default {@value #DEFAULT_CAPACITY}.
     * @param severity    of the alerts; default LOW.
     */
    public record Parameters(long unit, long minimum, int minCount, long windowNanos, int capacity, Severity severity)
    {
        /** Default unit: 1,000.00 in a two-decimal currency. */
        public static final long DEFAULT_UNIT = 100_000L;
        /** Default minimum: 5,000.00 in a two-decimal currency. */
        public static final long DEFAULT_MINIMUM = 500_000L;
        /** Default count. */
        public static final int DEFAULT_MIN_COUNT = 3;
        /** Default window: 7 days. */
        public static final long DEFAULT_WINDOW_NANOS = TimeUnit.DAYS.toNanos(7);
        /** Default payments kept per debtor. */
        public static final int DEFAULT_CAPACITY = 32;
        /** Default parameters, as {@link #defaults()} gives them. */
        public static final Parameters DEFAULTS = defaults();

        /**
         * Validate.
         */
        public Parameters
        {
            positive(NAME, "unit", unit);
            positive(NAME, "minimum", minimum);
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
            return new Parameters(
                DEFAULT_UNIT, DEFAULT_MINIMUM, DEFAULT_MIN_COUNT, DEFAULT_WINDOW_NANOS, DEFAULT_CAPACITY, Severity.LOW);
        }
    }

    /**
     * @param parameters of the rule.
     */
    public RoundAmountRule(final Parameters parameters)
    {
        super(ID, VERSION, NAME, parameters, Parameters::capacity, false);
    }

    /**
     * Unbounded, unless minCount is 1: the window is emptied on each alert, so which payments it holds depends
     * on when the earlier alerts fell, a chain back through history. With minCount 1 every round payment alerts
     * and empties the window, which then never holds anything.
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

    /**
     * The roundness unit in a payment's own currency: as many of its major units as the unit is of the reference
     * currency's (1,000.00 EUR gives 1,000.00 USD and 1,000 JPY), at least one minor unit.
     *
     * @param currency          ISO 4217 numeric code of the payment's currency.
     * @param referenceCurrency ISO 4217 numeric code of the reference currency.
     * @return the unit, in minor units of {@code currency}.
     */
    private long unitIn(final int currency, final int referenceCurrency)
    {
        final long unit = parameters().unit();
        final int shift = Currencies.minorUnits(currency) - Currencies.minorUnits(referenceCurrency);
        if (shift == 0 || currency == referenceCurrency)
        {
            return unit;
        }
        return shift > 0 ? unit * POWERS_OF_TEN[shift] : Math.max(1, unit / POWERS_OF_TEN[-shift]);
    }

    public void onEvent(final TxEvent event, final RuleContext context)
    {
        final long amount = context.referenceAmount();
        final long debtor = event.debtorAccount;
        final Parameters p = parameters();
        if (event.templateId != PaymentDecoder.TEMPLATE_ID || amount < p.minimum() ||
            event.amount % unitIn(event.currency, context.referenceCurrency()) != 0 || !context.owns(debtor))
        {
            return;
        }

        final AmlAmountWindow window = windows.window(context.slot(debtor));
        windows.advance(window, event.eventTime, p.windowNanos());
        windows.add(window, event.eventTime, amount, event.offset);

        final int count = window.size();
        if (count >= p.minCount())
        {
            final AlertRecord alert = context.raise(this, p.severity(), SCORE, debtor);
            windows.evidence(alert, window);
            alert.reason()
                .append(count).append(" round payments (multiples of ")
                .appendMoney(p.unit(), context.referenceCurrency())
                .append(" or as many units of their own currency, at least ")
                .appendMoney(p.minimum(), context.referenceCurrency())
                .append(") from account ").append(debtor)
                .append(" within ").appendDuration(p.windowNanos())
                .append("; latest payment ").append(event.txId)
                .append(" of ")
                .appendMoney(event.amount, event.currency, context.referenceAmount(), context.referenceCurrency());
            window.clear();
        }
    }
}
