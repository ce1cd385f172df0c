package io.txmon.rules;

import io.txmon.events.codec.AccountUpdateDecoder;
import io.txmon.events.codec.ConfigChangeDecoder;
import io.txmon.rules.config.RuleSet;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;

import java.nio.ByteBuffer;
import java.util.function.IntFunction;

/**
 * Runs rule workers over journaled events on the caller's thread, exactly as the live engine runs them over
 * the ring: the same decoder fills the same slot, every worker of the partition sees every event in offset
 * order, and alerts land in the slot's per-worker buffers, in the order the live alert sink emits them.
 * Used to rebuild rule state when an engine restarts and by the replay tools; knows no files: the caller
 * reads the journal and hands over each record.
 * <p>
 * Not thread safe; allocation free per event.
 */
public final class RuleReplay
{
    private final RuleWorker[] workers;
    private final TxEvent slot;
    private final TxEventDecoder decoder = new TxEventDecoder();
    private final AtomicCounter evaluated;
    private final AtomicCounter ruleErrors;

    /**
     * @param workerCount     partitions, as the live engine had.
     * @param rules           makes the rule set of worker i.
     * @param errorHandler    told of rules that throw and changes refused.
     * @param alertsPerWorker capacity of each worker's alert buffer in the slot.
     */
    public RuleReplay(
        final int workerCount,
        final IntFunction<RuleSet> rules,
        final RuleErrorHandler errorHandler,
        final int alertsPerWorker)
    {
        final CountersManager counters = new CountersManager(
            new UnsafeBuffer(ByteBuffer.allocateDirect(CountersManager.METADATA_LENGTH * 2)),
            new UnsafeBuffer(ByteBuffer.allocateDirect(CountersManager.COUNTER_LENGTH * 2)));
        evaluated = counters.newCounter("replay evaluated");
        ruleErrors = counters.newCounter("replay rule errors");
        workers = new RuleWorker[workerCount];
        for (int i = 0; i < workerCount; i++)
        {
            workers[i] = new RuleWorker(i, workerCount, null, rules.apply(i), errorHandler, evaluated, ruleErrors, 1);
        }
        slot = new TxEvent(workerCount, alertsPerWorker);
    }

    /**
     * Drive existing workers, such as a live engine's before it starts, to rebuild their state.
     *
     * @param workers         index = partition; their counters count what is evaluated.
     * @param alertsPerWorker capacity of each worker's alert buffer in the slot.
     */
    public RuleReplay(final RuleWorker[] workers, final int alertsPerWorker)
    {
        final CountersManager counters = new CountersManager(
            new UnsafeBuffer(ByteBuffer.allocateDirect(CountersManager.METADATA_LENGTH * 2)),
            new UnsafeBuffer(ByteBuffer.allocateDirect(CountersManager.COUNTER_LENGTH * 2)));
        evaluated = counters.newCounter("replay evaluated");
        ruleErrors = counters.newCounter("replay rule errors");
        this.workers = workers.clone();
        slot = new TxEvent(workers.length, alertsPerWorker);
    }

    /**
     * Evaluate one journaled record.
     *
     * @param offset       of the record in the journal.
     * @param ingestTime   of the record.
     * @param buffer       holding the message, SBE header first.
     * @param index        of the message in the buffer.
     * @param transactions false to evaluate reference data only ({@code AccountUpdate}, {@code ConfigChange}) and
     *                     skip transactions, as a restart does before the rules' horizon.
     * @return the slot with the alerts of every worker, or null if the record was skipped or is not an event.
     */
    public TxEvent evaluate(
        final long offset,
        final long ingestTime,
        final DirectBuffer buffer,
        final int index,
        final boolean transactions)
    {
        final TxEvent event = slot;
        event.reset();
        if (!decoder.decode(buffer, index, event))
        {
            return null;
        }
        if (!transactions && event.templateId != AccountUpdateDecoder.TEMPLATE_ID &&
            event.templateId != ConfigChangeDecoder.TEMPLATE_ID)
        {
            return null;
        }
        event.offset = offset;
        event.ingestTime = ingestTime;
        for (final RuleWorker worker : workers)
        {
            worker.evaluate(event);
        }
        evaluated.increment();
        return event;
    }

    /**
     * @return the workers, index = partition.
     */
    public RuleWorker[] workers()
    {
        return workers;
    }

    /**
     * @return events evaluated so far.
     */
    public long evaluatedCount()
    {
        return evaluated.get();
    }

    /**
     * @return rule errors and refused changes so far.
     */
    public long ruleErrorCount()
    {
        return ruleErrors.get();
    }

    /**
     * @param rules in effect.
     * @return the longest {@link Rule#horizonNanos()} among them; 0 for none.
     */
    public static long horizonNanos(final Rule[] rules)
    {
        long horizon = 0;
        for (final Rule rule : rules)
        {
            horizon = Math.max(horizon, rule.horizonNanos());
        }
        return horizon;
    }

    /**
     * The earliest ingest time from which transactions must be replayed for rules to hold, at {@code time}, the
     * state an uninterrupted run would have: {@code time} less the rules' longest horizon and a margin for event
     * time running ahead of or behind ingest time. Reference events are replayed from the start regardless.
     *
     * @param rules       in effect at {@code time}.
     * @param time        ingest time the state is wanted at.
     * @param marginNanos added to the horizon, 0 or more.
     * @return the ingest time to replay transactions from, or {@link Long#MIN_VALUE} for every transaction.
     */
    public static long transactionsFromTime(final Rule[] rules, final long time, final long marginNanos)
    {
        final long horizon = horizonNanos(rules);
        final long back = horizon > Long.MAX_VALUE - marginNanos ? Long.MAX_VALUE : horizon + marginNanos;
        return back == Long.MAX_VALUE || time - back > time ? Long.MIN_VALUE : time - back;
    }
}
