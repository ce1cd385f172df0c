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
 * Repeated similar amounts: at least {@code minCount} payments from one debtor account within a sliding
 * window of event time whose amounts are all within a tolerance of each other. Keyed on the debtor.
 * <p>
 * A set of amounts is "within tolerance of each other" when {@code max - min <= min * tolerance / 10000}
 * (tolerance in basis points; 1% by default, so 1,000.00 and 1,010.00 are similar, 1,010.01 is not). On each
 * payment the rule finds the largest such set among the window's payments that contains the new one
 * (candidates are first narrowed to amounts within tolerance of it, then each candidate is tried as the
 * set's minimum; ties go to the smallest minimum). When that set reaches the count an alert is raised with
 * its payments as evidence, oldest first, and those payments are consumed: they support no further alert,
 * while the other payments in the window still can.
 * <p>
 * Cost: O(w) per payment for a window of w payments, plus O(c * c) for the c similar candidates.
 * Memory: the debtor's payments are in its {@link PaymentHistory}, 32 bytes per payment held, stored once for the
 * four amount rules that hold every payment; this rule's window of it is 40 bytes per debtor. The history grows by
 * doubling from 4 entries as the rules need.
 * <p>
 * State in a snapshot: for each debtor, in ascending order, its window's clock and its payments (time, amount,
 * offset) oldest first, those consumed by an alert included with amount 0 as they still hold their slot, as
 * {@link AmlAmountWindows} writes them; the counters and the scratch array are left out.
 */
public final class RepeatedAmountRule extends AmlAmountRule<RepeatedAmountRule.Parameters>
{
    /** Stable rule id. */
    public static final int ID = 6;
    /** Version of the logic. */
    public static final int VERSION = 2;
    /** Name in configuration and alerts. */
    public static final String NAME = "repeated-similar-amounts";
    /** Score of every alert. */
    public static final int SCORE = 500;

    /**
     * Parameters, validated on construction.
     *
     * @param minCount               similar payments that raise an alert, 2 to 1024; default 5.
     * @param toleranceBasisPoints   how far apart similar amounts may be, in hundredths of a percent of the
     *                               smallest, 0 to 10000; default 100 (1%).
     * @param windowNanos            length of the window in ns; default 7 days.
     * @param capacity               most payments kept per debtor, {@code minCount} to 1024;
     *                               default {@value #DEFAULT_CAPACITY}.
     * @param severity               of the alerts; default MEDIUM.
     */
    public record Parameters(
        int minCount, int toleranceBasisPoints, long windowNanos, int capacity, Severity severity)
    {
        /** Default count. */
        public static final int DEFAULT_MIN_COUNT = 5;
        /** Default tolerance: 1%. */
        public static final int DEFAULT_TOLERANCE_BASIS_POINTS = 100;
        /** Default window: 7 days. */
        public static final long DEFAULT_WINDOW_NANOS = TimeUnit.DAYS.toNanos(7);
        /** Default payments kept per debtor. */
        public static final int DEFAULT_CAPACITY = 64;
        /** Default parameters, as {@link #defaults()} gives them. */
        public static final Parameters DEFAULTS = defaults();

        /**
         * Validate.
         */
        public Parameters
        {
            range(NAME, "minCount", minCount, 2, AmlAmountWindows.MAX_CAPACITY);
            range(NAME, "toleranceBasisPoints", toleranceBasisPoints, 0, 10_000);
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
                DEFAULT_MIN_COUNT,
                DEFAULT_TOLERANCE_BASIS_POINTS,
                DEFAULT_WINDOW_NANOS,
                DEFAULT_CAPACITY,
                Severity.MEDIUM);
        }
    }

    private final int[] candidates;

    /**
     * @param parameters of the rule.
     */
    public RepeatedAmountRule(final Parameters parameters)
    {
        super(ID, VERSION, NAME, parameters, Parameters::capacity, true);
        this.candidates = new int[parameters.capacity()];
    }

    /**
     * Unbounded: each alert consumes the payments of its set, so which payments are still free depends on the
     * earlier alerts, a chain back through history.
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
        if (event.templateId != PaymentDecoder.TEMPLATE_ID || amount <= 0 || !context.owns(debtor))
        {
            return;
        }

        final Parameters p = parameters();
        final int tolerance = p.toleranceBasisPoints();
        final AmlAmountWindow window = windows.window(context.slot(debtor));
        windows.advance(window, event.eventTime, p.windowNanos());
        windows.add(window, event.eventTime, amount, event.offset);

        // candidates: live entries within tolerance of the new amount, the new one (the newest) included
        final int[] candidates = this.candidates;
        final int size = window.size();
        int candidateCount = 0;
        for (int i = 0; i < size; i++)
        {
            final long x = window.amount(i);
            if (x > 0 && Math.abs(x - amount) <= fraction(Math.min(x, amount), tolerance))
            {
                candidates[candidateCount++] = i;
            }
        }
        if (candidateCount < p.minCount())
        {
            return;
        }

        // each candidate no larger than the new amount is tried as the minimum of the set
        long bestLow = 0;
        int bestCount = 0;
        for (int c = 0; c < candidateCount; c++)
        {
            final long low = window.amount(candidates[c]);
            if (low > amount || (bestCount > 0 && low == bestLow))
            {
                continue;
            }
            final int count = countFrom(window, candidateCount, low, tolerance);
            if (count > bestCount || (count == bestCount && low < bestLow))
            {
                bestCount = count;
                bestLow = low;
            }
        }
        if (bestCount < p.minCount())
        {
            return;
        }

        final long high = saturatingAdd(bestLow, fraction(bestLow, tolerance));
        final AlertRecord alert = context.raise(this, p.severity(), SCORE, debtor);
        int added = 0;
        int skipped = bestCount - AlertRecord.MAX_EVIDENCE;
        for (int c = 0; c < candidateCount; c++)
        {
            final int index = candidates[c];
            final long x = window.amount(index);
            if (x >= bestLow && x <= high)
            {
                if (skipped > 0)
                {
                    skipped--;
                }
                else
                {
                    alert.evidence(window.offset(index));
                    added++;
                }
                window.consume(index);
            }
        }
        windows.evidenceDropped(bestCount - added);

        alert.reason()
            .append(bestCount).append(" payments from account ").append(debtor)
            .append(" between ").appendMoney(bestLow, context.referenceCurrency())
            .append(" and ").appendMoney(high, context.referenceCurrency())
            .append(" (within ").append(tolerance).append(" bp of each other) within ").appendDuration(p.windowNanos())
            .append("; latest payment ").append(event.txId)
            .append(" of ")
            .appendMoney(event.amount, event.currency, context.referenceAmount(), context.referenceCurrency());
    }

    private int countFrom(final AmlAmountWindow window, final int candidateCount, final long low, final int tolerance)
    {
        final long high = saturatingAdd(low, fraction(low, tolerance));
        final int[] candidates = this.candidates;
        int count = 0;
        for (int c = 0; c < candidateCount; c++)
        {
            final long x = window.amount(candidates[c]);
            if (x >= low && x <= high)
            {
                count++;
            }
        }
        return count;
    }
}
