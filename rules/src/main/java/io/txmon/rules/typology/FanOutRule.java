package io.txmon.rules.typology;

import io.txmon.events.codec.Severity;
import io.txmon.rules.AlertRecord;
import io.txmon.rules.ReasonBuilder;
import io.txmon.rules.RuleContext;
import io.txmon.rules.TxEvent;

import static io.txmon.rules.typology.ParameterChecks.set;

/**
 * Fan-out: an account pays at least {@code minBeneficiaries} DISTINCT beneficiaries within a sliding
 * event-time window. Keyed on the debtor account. Repeated payments to one beneficiary count once.
 * <p>
 * The alert is raised when the count of distinct beneficiaries in the window reaches {@code minBeneficiaries}
 * (the crossing); while it stays at or above it no further alert is raised, and once it has fallen below
 * the next crossing alerts again. Evidence: the triggering payment first, then the latest payment of
 * every other distinct beneficiary in the window (at most {@link AlertRecord#MAX_EVIDENCE}).
 * <p>
 * Per-key memory: one {@link DistinctCounterpartyRule.CounterpartyWindow} of at most {@code maxBeneficiariesTracked}
 * entries, records of three longs in one array (24 bytes per entry plus 56 bytes of object and array header), allocated
 * with 2 entries and doubled as distinct beneficiaries arrive, created on the first payment from the account. It is
 * kept in a column of the worker's {@link io.txmon.rules.state.AccountStore} and goes when the store evicts the account
 * (idle or over the cap), which then starts afresh. When the window is full the beneficiary with the oldest latest
 * payment is dropped and counted in {@link #droppedEntries()}.
 * <p>
 * State in a snapshot: for each debtor, in ascending order, the time of its last payment recorded and its
 * beneficiaries in the window's order, each with the time and offset of its latest payment, as
 * {@link DistinctCounterpartyRule} writes them; the counters are for monitoring and are left out.
 * <p>
 * Single threaded: one instance belongs to one rule worker.
 */
public final class FanOutRule extends DistinctCounterpartyRule<FanOutRule.Parameters>
{
    /** Stable rule id. */
    public static final int ID = 9;
    /** Version of the logic. */
    public static final int VERSION = 2;
    /** Name of the typology. */
    public static final String NAME = "fan-out";

    /**
     * Parameters of fan-out.
     *
     * @param minBeneficiaries        distinct beneficiaries in the window that raise the alert; default 10.
     * @param baselinePercent how far above its own usual the count must also be, in percent of the most it counted
     *                        at once in any of 4 whole windows before the current one's (0: off, a fixed count);
     *                        default 200, twice.
     * @param windowNanos       length of the sliding window in event-time nanoseconds; default 24 hours.
     *                          A payment counts while {@code newest - its time < windowNanos}.
     * @param maxBeneficiariesTracked distinct beneficiaries kept per account, at least {@code minBeneficiaries};
     *                                default 64.
     * @param severity          of the alerts; default {@link Severity#MEDIUM}.
     * @param score             of the alerts, 0 to 1000; default 600.
     */
    public record Parameters(
        int minBeneficiaries,
        int baselinePercent,
        long windowNanos,
        int maxBeneficiariesTracked,
        Severity severity,
        int score)
    {
        /** Default parameters. */
        public static final Parameters DEFAULTS =
            new Parameters(10, DEFAULT_BASELINE_PERCENT, 24L * 3600 * 1_000_000_000L, 64, Severity.MEDIUM, 600);

        /**
         * Validates every parameter.
         *
         * @throws IllegalArgumentException naming the parameter that is out of range.
         */
        public Parameters
        {
            validate(NAME, "minBeneficiaries", minBeneficiaries, baselinePercent, windowNanos, "maxBeneficiariesTracked", maxBeneficiariesTracked, severity,
                score);
        }

        /**
         * Parameters with the default baseline ({@value DistinctCounterpartyRule#DEFAULT_BASELINE_PERCENT} percent).
         *
         * @param minBeneficiaries see the record.
         * @param windowNanos see the record.
         * @param maxBeneficiariesTracked see the record.
         * @param severity see the record.
         * @param score see the record.
         */
        public Parameters(
            final int minBeneficiaries, final long windowNanos, final int maxBeneficiariesTracked, final Severity severity, final int score)
        {
            this(minBeneficiaries, DEFAULT_BASELINE_PERCENT, windowNanos, maxBeneficiariesTracked, severity, score);
        }
    }

    /**
     * Fan-out with {@link Parameters#DEFAULTS}.
     */
    public FanOutRule()
    {
        this(Parameters.DEFAULTS);
    }

    /**
     * @param parameters validated parameters.
     */
    public FanOutRule(final Parameters parameters)
    {
        super(ID, VERSION, NAME, parameters, false, set(NAME, "parameters", parameters).minBeneficiaries,
            parameters.baselinePercent, parameters.windowNanos, parameters.maxBeneficiariesTracked, parameters.severity,
            parameters.score);
    }

    void appendReason(
        final ReasonBuilder reason,
        final long key,
        final long counterparty,
        final int distinct,
        final int threshold,
        final TxEvent event,
        final RuleContext context)
    {
        reason.append("account ").append(key)
            .append(" paid ").append(distinct)
            .append(" distinct beneficiaries within ");
        reason.appendDuration(windowNanos())
            .append(" (threshold ").append(threshold);
        if (threshold > minDistinct())
        {
            reason.append(": ").append(baselinePercent()).append("% of its usual, above the minimum ")
                .append(minDistinct());
        }
        reason
            .append("); latest payment ").append(event.txId)
            .append(" of ")
            .appendMoney(event.amount, event.currency, context.referenceAmount(), context.referenceCurrency())
            .append(" to account ").append(counterparty);
    }
}
