package io.txmon.rules.typology;

import io.txmon.events.codec.PaymentDecoder;
import io.txmon.events.codec.Severity;
import io.txmon.rules.AlertRecord;
import io.txmon.rules.RuleContext;
import io.txmon.rules.TxEvent;

import java.util.concurrent.TimeUnit;

import static io.txmon.rules.typology.AmlAmountWindows.fraction;
import static io.txmon.rules.typology.AmlAmountWindows.saturatingAdd;
import static io.txmon.rules.typology.ParameterChecks.positive;
import static io.txmon.rules.typology.ParameterChecks.range;
import static io.txmon.rules.typology.ParameterChecks.set;

/**
 * Structuring (smurfing): at least {@code minCount} payments from one debtor account within a sliding window
 * of event time, each just under a reporting threshold, that together exceed it. Keyed on the debtor.
 * <p>
 * "Just under" means {@code threshold - threshold * band / 10000 <= amount < threshold}: with the defaults,
 * 9,000.00 to 9,999.99 against a 10,000.00 threshold. Only such payments enter the window, so other
 * payments cost no state. When the window holds {@code minCount} of them and their sum is above the
 * threshold an alert is raised with all of them as evidence and the window is emptied.
 * <p>
 * Memory: a {@link PaymentHistory} of this rule's own per debtor that made such a payment, 32 bytes per payment
 * held, growing by doubling from 4 entries to at most {@code capacity}, and 40 bytes for its window.
 * <p>
 * State in a snapshot: for each debtor that made a near-threshold payment, in ascending order, its window's
 * clock and the near-threshold payments since its last alert (time, amount, offset) oldest first, as
 * {@link AmlAmountWindows} writes them; the counters are for monitoring and are left out.
 */
public final class StructuringRule extends AmlAmountRule<StructuringRule.Parameters>
{
    /** Stable rule id. */
    public static final int ID = 5;
    /** Version of the logic. */
    public static final int VERSION = 2;
    /** Name in configuration and alerts. */
    public static final String NAME = "structuring";
    /** Score of every alert. */
    public static final int SCORE = 700;

    /**
     * Parameters, validated on construction.
     *
     * @param threshold         reporting threshold in minor units; default 1,000,000 (10,000.00).
     * @param bandBasisPoints   how far below the threshold a payment may be and still be "just under", in
     *                          hundredths of a percent, 1 to 10000; default 1000 (10%).
     * @param minCount          near-threshold payments that raise an alert, 2 to 1024; default 3.
     * @param windowNanos       length of the window in ns; default 48 hours.
     * @param capacity          most near-threshold payments kept per debtor, {@code minCount} to 1024;
     *                          default {@value #DEFAULT_CAPACITY}.
     * @param severity          of the alerts; default HIGH.
     */
    public record Parameters(
        long threshold, int bandBasisPoints, int minCount, long windowNanos, int capacity, Severity severity)
    {
        /** Default reporting threshold: 10,000.00 in a two-decimal currency. */
        public static final long DEFAULT_THRESHOLD = 1_000_000L;
        /** Default band: 10% below the threshold. */
        public static final int DEFAULT_BAND_BASIS_POINTS = 1000;
        /** Default count. */
        public static final int DEFAULT_MIN_COUNT = 3;
        /** Default window: 48 hours. */
        public static final long DEFAULT_WINDOW_NANOS = TimeUnit.HOURS.toNanos(48);
        /** Default payments kept per debtor. */
        public static final int DEFAULT_CAPACITY = 32;
        /** Default parameters, as {@link #defaults()} gives them. */
        public static final Parameters DEFAULTS = defaults();

        /**
         * Validate.
         */
        public Parameters
        {
            positive(NAME, "threshold", threshold);
            range(NAME, "bandBasisPoints", bandBasisPoints, 1, 10_000);
            range(NAME, "minCount", minCount, 2, AmlAmountWindows.MAX_CAPACITY);
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
                DEFAULT_THRESHOLD,
                DEFAULT_BAND_BASIS_POINTS,
                DEFAULT_MIN_COUNT,
                DEFAULT_WINDOW_NANOS,
                DEFAULT_CAPACITY,
                Severity.HIGH);
        }

        /**
         * @return the smallest amount that is just under the threshold.
         */
        public long lowerBound()
        {
            return threshold - fraction(threshold, bandBasisPoints);
        }
    }

    private final long lowerBound;

    /**
     * @param parameters of the rule.
     */
    public StructuringRule(final Parameters parameters)
    {
        super(ID, VERSION, NAME, parameters, Parameters::capacity, false);
        this.lowerBound = parameters.lowerBound();
    }

    /**
     * Unbounded: the window is emptied on each alert, so which payments it holds depends on when the earlier
     * alerts fell, a chain back through history.
     *
     * @return {@link Long#MAX_VALUE}.
     */
    public long horizonNanos()
    {
        return Long.MAX_VALUE;
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
        final long amount = context.referenceAmount();
        final long debtor = event.debtorAccount;
        final Parameters p = parameters();
        if (event.templateId != PaymentDecoder.TEMPLATE_ID || amount < lowerBound || amount >= p.threshold() ||
            amount <= 0 || !context.owns(debtor))
        {
            return;
        }

        final AmlAmountWindow window = windows.window(context.slot(debtor));
        windows.advance(window, event.eventTime, p.windowNanos());
        windows.add(window, event.eventTime, amount, event.offset);

        final int count = window.size();
        if (count < p.minCount())
        {
            return;
        }
        long sum = 0;
        for (int i = 0; i < count; i++)
        {
            sum = saturatingAdd(sum, window.amount(i));
        }
        if (sum > p.threshold())
        {
            final AlertRecord alert = context.raise(this, p.severity(), SCORE, debtor);
            windows.evidence(alert, window);
            alert.reason()
                .append(count).append(" payments from account ").append(debtor)
                .append(" just under the reporting threshold of ")
                .appendMoney(p.threshold(), context.referenceCurrency())
                .append(" (from ").appendMoney(lowerBound, context.referenceCurrency())
                .append(") within ").appendDuration(p.windowNanos())
                .append(" total ").appendMoney(sum, context.referenceCurrency())
                .append("; latest payment ").append(event.txId);
            window.clear();
        }
    }
}
