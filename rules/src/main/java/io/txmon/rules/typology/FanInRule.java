package io.txmon.rules.typology;

import io.txmon.events.codec.Severity;
import io.txmon.rules.AlertRecord;
import io.txmon.rules.ReasonBuilder;
import io.txmon.rules.RuleContext;
import io.txmon.rules.TxEvent;

import static io.txmon.rules.typology.ParameterChecks.set;

/**
 * Fan-in: an account receives payments from at least {@code minSenders} DISTINCT senders within a
 * sliding event-time window. Keyed on the creditor account. Repeated payments from one sender count once.
 * <p>
 * The alert is raised when the count of distinct senders in the window reaches {@code minSenders}
 * (the crossing); while it stays at or above it no further alert is raised, and once it has fallen below
 * the next crossing alerts again. Evidence: the triggering payment first, then the latest payment of
 * every other distinct sender in the window (at most {@link AlertRecord#MAX_EVIDENCE}).
 * <p>
 * Per-key memory: one {@link DistinctCounterpartyRule.CounterpartyWindow} of at most {@code maxSendersTracked} entries,
 * records of three longs in one array (24 bytes per entry plus 56 bytes of object and array header), allocated with 2
 * entries and doubled as distinct senders arrive, created on the first payment to the account. It is kept in a column
 * of the worker's {@link io.txmon.rules.state.AccountStore} and goes when the store evicts the account (idle or over
 * the cap), which then starts afresh. When the window is full the sender with the oldest latest payment is dropped and
 * counted in {@link #droppedEntries()}.
 * <p>
 * State in a snapshot: for each creditor, in ascending order, the time of its last payment recorded and its
 * senders in the window's order, each with the time and offset of its latest payment, as
 * {@link DistinctCounterpartyRule} writes them; the counters are for monitoring and are left out.
 * <p>
 * Single threaded: one instance belongs to one rule worker.
 */
public final class FanInRule extends DistinctCounterpartyRule<FanInRule.Parameters>
{
    /** Stable rule id. */
    public static final int ID = 8;
    /** Version of the logic. */
    public static final int VERSION = 2;
    /** Name of the typology. */
    public static final String NAME = "fan-in";

    /**
     * Parameters of fan-in.
     *
     * @param minSenders        distinct senders in the window that raise the alert; default 10.
     * @param baselinePercent how far above its own usual the count must also be, in percent of the most it counted
     *                        at once in any of 4 whole windows before the current one's (0: off, a fixed count);
     *                        default 200, twice.
     * @param windowNanos       length of the sliding window in event-time nanoseconds; default 24 hours.
     *                          A payment counts while {@code newest - its time < windowNanos}.
     * @param maxSendersTracked distinct senders kept per account, at least {@code minSenders}; default 64.
     * @param severity          of the alerts; default {@link Severity#MEDIUM}.
     * @param score             of the alerts, 0 to 1000; default 600.
     */
    public record Parameters(
        int minSenders,
        int baselinePercent,
        long windowNanos,
        int maxSendersTracked,
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
            validate(NAME, "minSenders", minSenders, baselinePercent, windowNanos, "maxSendersTracked", maxSendersTracked, severity,
                score);
        }

        /**
         * Parameters with the default baseline ({@value DistinctCounterpartyRule#DEFAULT_BASELINE_PERCENT} percent).
         *
         * @param minSenders see the record.
         * @param windowNanos see the record.
         * @param maxSendersTracked see the record.
         * @param severity see the record.
         * @param score see the record.
         */
        public Parameters(
            final int minSenders, final long windowNanos, final int maxSendersTracked, final Severity severity, final int score)
        {
            this(minSenders, DEFAULT_BASELINE_PERCENT, windowNanos, maxSendersTracked, severity, score);
        }
    }

    /**
     * Fan-in with {@link Parameters#DEFAULTS}.
     */
    public FanInRule()
    {
        this(Parameters.DEFAULTS);
    }

    /**
     * @param parameters validated parameters.
     */
    public FanInRule(final Parameters parameters)
    {
        super(ID, VERSION, NAME, parameters, true, set(NAME, "parameters", parameters).minSenders,
            parameters.baselinePercent, parameters.windowNanos, parameters.maxSendersTracked, parameters.severity,
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
            .append(" received payments from ").append(distinct)
            .append(" distinct senders within ");
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
            .append(" from account ").append(counterparty);
    }
}
