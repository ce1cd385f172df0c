package io.txmon.rules.typology;

import io.txmon.events.codec.PaymentDecoder;
import io.txmon.events.codec.Severity;
import io.txmon.rules.AlertRecord;
import io.txmon.rules.ReasonBuilder;
import io.txmon.rules.RuleContext;
import io.txmon.rules.TxEvent;

import java.util.concurrent.TimeUnit;

import static io.txmon.rules.typology.ParameterChecks.check;
import static io.txmon.rules.typology.ParameterChecks.positive;
import static io.txmon.rules.typology.ParameterChecks.range;
import static io.txmon.rules.typology.ParameterChecks.set;

/**
 * Large versus own history: a payment far above what its debtor account usually pays. Keyed on the debtor.
 * <p>
 * The history is the debtor's prior payments with {@code now - eventTime < lookback}, at most
 * {@code capacity} of them (the oldest are dropped first). Once it holds at least {@code minHistory}
 * payments, a new payment is tested two ways and alerts if either holds:
 * <ul>
 *     <li><b>max</b>: {@code amount >= multiplier * max}, the largest prior payment in the history;</li>
 *     <li><b>z</b>: {@code amount >= mean + z * sd}, where mean and sd (population standard deviation) are
 *     of the prior payments in the history, and sd is floored at {@code mean * sdFloor / 10000} so that a
 *     history of equal amounts does not make every slightly larger payment an outlier.</li>
 * </ul>
 * Mean and sd are windowed, not exponentially decayed: they are computed exactly over the payments in the
 * lookback window on each evaluation (a two-pass sum over at most {@code capacity} entries), so eviction
 * leaves no drift and the result is the same however the history was reached. The payment is added to the
 * history after it is tested, whether it alerted or not.
 * <p>
 * Score: 600 when one test holds, 800 when both do, 1000 when the amount is at least twice
 * {@code multiplier * max}. Evidence: the prior maximum payment, then the payment itself.
 * <p>
 * Cost: O(history) per payment.
 * Memory: the debtor's payments are in its {@link PaymentHistory}, 32 bytes per payment held, stored once for the
 * four amount rules that hold every payment; this rule's window of it is 40 bytes per debtor. The history grows by
 * doubling from 4 entries as the rules need.
 * <p>
 * State in a snapshot: for each debtor, in ascending order, its window's clock and its prior payments (time,
 * amount, offset) oldest first, as {@link AmlAmountWindows} writes them; the counters are for monitoring and are
 * left out.
 */
public final class LargeVersusHistoryRule extends AmlAmountRule<LargeVersusHistoryRule.Parameters>
{
    /** Stable rule id. */
    public static final int ID = 2;
    /** Version of the logic. */
    public static final int VERSION = 2;
    /** Name in configuration and alerts. */
    public static final String NAME = "large-vs-history";

    /**
     * Parameters, validated on construction.
     *
     * @param multiplier           k of the max test, 2 to 1,000,000; default 5.
     * @param z                    z of the z test, finite and positive; default 4.
     * @param sdFloorBasisPoints   least standard deviation as a share of the mean, in hundredths of a
     *                             percent, 1 to 10000; default 2500 (25%).
     * @param lookbackNanos        length of the history in ns; default 30 days.
     * @param minHistory           prior payments needed before testing, 1 to {@code capacity}; default 5.
     * @param capacity             most prior payments kept per debtor, 1 to 1024; default
     *                             {@value #DEFAULT_CAPACITY}.
     * @param severity             of the alerts; default MEDIUM.
     */
    public record Parameters(
        long multiplier,
        double z,
        int sdFloorBasisPoints,
        long lookbackNanos,
        int minHistory,
        int capacity,
        Severity severity)
    {
        /** Default k. */
        public static final long DEFAULT_MULTIPLIER = 5;
        /** Default z. */
        public static final double DEFAULT_Z = 4.0;
        /** Default floor of the standard deviation: 25% of the mean. */
        public static final int DEFAULT_SD_FLOOR_BASIS_POINTS = 2500;
        /** Default lookback: 30 days. */
        public static final long DEFAULT_LOOKBACK_NANOS = TimeUnit.DAYS.toNanos(30);
        /** Default prior payments needed. */
        public static final int DEFAULT_MIN_HISTORY = 5;
        /** Default payments kept per debtor. */
        public static final int DEFAULT_CAPACITY = 64;
        /** Default parameters, as {@link #defaults()} gives them. */
        public static final Parameters DEFAULTS = defaults();

        /**
         * Validate.
         */
        public Parameters
        {
            range(NAME, "multiplier", multiplier, 2, 1_000_000);
            check(z > 0 && !Double.isInfinite(z), NAME, "z", "finite and positive", z);
            range(NAME, "sdFloorBasisPoints", sdFloorBasisPoints, 1, 10_000);
            positive(NAME, "lookbackNanos", lookbackNanos);
            range(NAME, "capacity", capacity, 1, AmlAmountWindows.MAX_CAPACITY);
            range(NAME, "minHistory", minHistory, 1, capacity);
            set(NAME, "severity", severity);
        }

        /**
         * @return the defaults.
         */
        public static Parameters defaults()
        {
            return new Parameters(
                DEFAULT_MULTIPLIER,
                DEFAULT_Z,
                DEFAULT_SD_FLOOR_BASIS_POINTS,
                DEFAULT_LOOKBACK_NANOS,
                DEFAULT_MIN_HISTORY,
                DEFAULT_CAPACITY,
                Severity.MEDIUM);
        }
    }

    /**
     * @param parameters of the rule.
     */
    public LargeVersusHistoryRule(final Parameters parameters)
    {
        super(ID, VERSION, NAME, parameters, Parameters::capacity, true);
    }

    /**
     * A plain sliding window: a payment is tested against the debtor's payments less than lookbackNanos older
     * than it, kept oldest first (a full window drops its oldest), and nothing is consumed.
     *
     * @return {@link Parameters#lookbackNanos()}.
     */
    public long horizonNanos()
    {
        return parameters().lookbackNanos();
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
        if (event.templateId != PaymentDecoder.TEMPLATE_ID || amount <= 0 || !context.owns(debtor))
        {
            return;
        }

        final Parameters p = parameters();
        final AmlAmountWindow window = windows.window(context.slot(debtor));
        windows.advance(window, event.eventTime, p.lookbackNanos());
        final int n = window.size();
        if (n >= p.minHistory())
        {
            test(event, context, window, n);
        }
        windows.add(window, event.eventTime, amount, event.offset);
    }

    /**
     * Whether the window's sum alone shows that neither test can pass, so the scans can be skipped; exact: the
     * tests below decide the same whenever this says false. Max test: {@code amount / multiplier >= max} needs
     * {@code (amount / multiplier) * n >= sum}, as {@code max * n >= sum}. Z test: sd is at least its floor
     * {@code mean * sdFloor / 10000}, so {@code amount >= mean + z * sd} needs {@code amount >= mean + z * floor},
     * computed with the same doubles (the scan's double sum equals the exact sum below 2^53).
     */
    static boolean cannotAlert(final long sum, final long amount, final int n, final Parameters p)
    {
        if (sum < 0 || sum >= 1L << 53)
        {
            return false;
        }
        final long quotient = amount / p.multiplier();
        if (quotient > Long.MAX_VALUE / n || quotient * n >= sum)
        {
            return false;
        }
        final double mean = (double)sum / n;
        return amount < mean + p.z() * (mean * p.sdFloorBasisPoints() / 10_000.0);
    }

    private void test(final TxEvent event, final RuleContext context, final AmlAmountWindow window, final int n)
    {
        final Parameters p = parameters();
        final long amount = context.referenceAmount();
        if (cannotAlert(window.exactSum(), amount, n, p))
        {
            return;
        }

        long max = 0;
        long maxOffset = 0;
        double sum = 0;
        for (int i = 0; i < n; i++)
        {
            final long x = window.amount(i);
            sum += x;
            if (x >= max)
            {
                max = x;
                maxOffset = window.offset(i);
            }
        }
        final double mean = sum / n;
        double squares = 0;
        for (int i = 0; i < n; i++)
        {
            final double d = window.amount(i) - mean;
            squares += d * d;
        }
        final double sd = Math.max(Math.sqrt(squares / n), mean * p.sdFloorBasisPoints() / 10_000.0);

        final long multiplier = p.multiplier();
        final boolean maxTest = amount / multiplier >= max;
        final boolean zTest = amount >= mean + p.z() * sd;
        if (!maxTest && !zTest)
        {
            return;
        }

        final int score = amount / multiplier / 2 >= max ? 1000 : (maxTest && zTest ? 800 : 600);
        final AlertRecord alert = context.raise(this, p.severity(), score, event.debtorAccount)
            .evidence(maxOffset)
            .evidence(event.offset);
        final long zTenths = (long)Math.min(10.0 * (amount - mean) / sd, 1e12);
        final ReasonBuilder reason = alert.reason()
            .append("payment ").append(event.txId)
            .append(" of ")
            .appendMoney(event.amount, event.currency, context.referenceAmount(), context.referenceCurrency())
            .append(" from account ").append(event.debtorAccount)
            .append(" is ").append(amount / max).append("x the max ")
            .appendMoney(max, context.referenceCurrency())
            .append(" and ").append(zTenths / 10).append(".").append(Math.abs(zTenths % 10))
            .append(" sd above the mean ").appendMoney(Math.round(mean), context.referenceCurrency())
            .append(" of ").append(n).append(" payments in ");
        reason.appendDuration(p.lookbackNanos())
            .append(maxTest ? (zTest ? "; max and z tests" : "; max test") : "; z test");
    }
}
