package io.txmon.rules;

import com.lmax.disruptor.EventPoller;
import io.txmon.events.codec.ConfigChangeDecoder;
import io.txmon.rules.config.ConfigException;
import io.txmon.rules.config.RuleSet;
import io.txmon.rules.state.RuleSetState;
import io.txmon.rules.state.SnapshotExchange;
import io.txmon.rules.state.StateWriter;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * A rule worker: an {@link Agent} that polls the ring through its own Disruptor {@link EventPoller} and
 * runs, on every slot, the rules that read its template ({@link Rule#templates()}), for the accounts of its
 * partition. The launcher decides whether it
 * gets a thread of its own or shares one.
 * <p>
 * A rule that throws is isolated: the error is counted and handed to the {@link RuleErrorHandler} with
 * the offset, the other rules still see the event, and the worker goes on.
 * <p>
 * A {@code ConfigChange} slot changes the worker's {@link RuleSet} where it stands in the stream; a change the
 * settings refuse is counted as a rule error and reported, and changes nothing.
 */
public final class RuleWorker implements Agent, EventPoller.Handler<TxEvent>
{
    private final EventPoller<TxEvent> poller;
    private final RuleSet rules;
    private final RuleContext context;
    private final RuleErrorHandler errorHandler;
    private final AtomicCounter evaluated;
    private final AtomicCounter ruleErrors;
    private final int batchLimit;
    private final String roleName;
    private int batchCount;
    private SnapshotExchange snapshots;
    private AtomicCounter accountsHeld;
    private AtomicCounter accountsCapEvicted;
    private AtomicCounter accountsIdleEvicted;
    private long heldShown;
    private long capEvictedShown;
    private long idleEvictedShown;
    private StateWriter snapshotState;
    private long nextSnapshotOffset;

    /**
     * @param workerIndex  of this worker.
     * @param workerCount  number of workers.
     * @param poller       on the ring, gated on the sequencer's cursor.
     * @param rules        this worker runs; instances owned by this worker, never reconfigured.
     * @param errorHandler told of rules that throw.
     * @param evaluated    counter of events evaluated.
     * @param ruleErrors   counter of rule errors.
     * @param batchLimit   most events handled in one duty cycle.
     */
    public RuleWorker(
        final int workerIndex,
        final int workerCount,
        final EventPoller<TxEvent> poller,
        final Rule[] rules,
        final RuleErrorHandler errorHandler,
        final AtomicCounter evaluated,
        final AtomicCounter ruleErrors,
        final int batchLimit)
    {
        this(workerIndex, workerCount, poller, RuleSet.fixed(rules), errorHandler, evaluated, ruleErrors, batchLimit);
    }

    /**
     * @param workerIndex  of this worker.
     * @param workerCount  number of workers.
     * @param poller       on the ring, gated on the sequencer's cursor; null for a worker driven through
     *                     {@link #evaluate(TxEvent)} only, as replay does.
     * @param rules        this worker runs and reconfigures; owned by this worker.
     * @param errorHandler told of rules that throw.
     * @param evaluated    counter of events evaluated.
     * @param ruleErrors   counter of rule errors.
     * @param batchLimit   most events handled in one duty cycle.
     */
    public RuleWorker(
        final int workerIndex,
        final int workerCount,
        final EventPoller<TxEvent> poller,
        final RuleSet rules,
        final RuleErrorHandler errorHandler,
        final AtomicCounter evaluated,
        final AtomicCounter ruleErrors,
        final int batchLimit)
    {
        this.poller = poller;
        this.rules = rules;
        this.context = new RuleContext(workerIndex, workerCount);
        this.context.accounts(rules.accounts());
        this.context.money(rules.money());
        this.errorHandler = errorHandler;
        this.evaluated = evaluated;
        this.ruleErrors = ruleErrors;
        this.batchLimit = batchLimit;
        this.roleName = "txmon-rule-worker-" + workerIndex;
    }

    /**
     * @return the sequence of this worker's poller, for the alert sink to gate on.
     */
    public com.lmax.disruptor.Sequence sequence()
    {
        return poller.getSequence();
    }

    public int doWork() throws Exception
    {
        batchCount = 0;
        poller.poll(this);
        final int count = batchCount;
        if (count > 0)
        {
            evaluated.getAndAddRelease(count);
            if (null != accountsHeld)
            {
                showAccounts();
            }
        }
        return count;
    }

    public boolean onEvent(final TxEvent event, final long sequence, final boolean endOfBatch)
    {
        evaluate(event);
        return ++batchCount < batchLimit;
    }

    /**
     * Run every rule on one slot. Public so that replay and tests drive rules exactly as the live
     * worker does.
     *
     * @param event to evaluate.
     */
    public void evaluate(final TxEvent event)
    {
        context.wrap(event);
        if (event.templateId == ConfigChangeDecoder.TEMPLATE_ID)
        {
            reconfigure(event);
        }
        else
        {
            final Rule[] rules = this.rules.rules(event.templateId);
            for (final Rule rule : rules)
            {
                try
                {
                    rule.onEvent(event, context);
                }
                catch (final Throwable ex)
                {
                    ruleErrors.increment();
                    errorHandler.onRuleError(rule, event.offset, ex);
                }
            }
        }
        if (null != snapshots && event.offset >= nextSnapshotOffset)
        {
            if (snapshots.due(event.offset))
            {
                offerSnapshot(event.offset);
            }
            nextSnapshotOffset = snapshots.nextDue(event.offset + 1);
        }
    }

    /**
     * Take part in snapshots from now on: after each offset the exchange says is due, this worker writes its rule
     * set's state and hands it over. Set once the worker's state is restored, before it polls the ring.
     *
     * @param exchange to hand state to, or null for none.
     */
    /**
     * Counters this worker adds its account store's figures to (each shared by every worker: the worker adds
     * what changed since it last did), once per batch.
     *
     * @param held        accounts held.
     * @param capEvicted  accounts evicted at the cap.
     * @param idleEvicted accounts evicted after the idle horizon.
     */
    public void accountCounters(
        final AtomicCounter held, final AtomicCounter capEvicted, final AtomicCounter idleEvicted)
    {
        this.accountsHeld = held;
        this.accountsCapEvicted = capEvicted;
        this.accountsIdleEvicted = idleEvicted;
        showAccounts();
    }

    private void showAccounts()
    {
        final io.txmon.rules.state.AccountStore store = rules.accounts();
        final long held = store.size();
        final long cap = store.capEvictions();
        final long idle = store.idleEvictions();
        if (held != heldShown)
        {
            accountsHeld.getAndAddRelease(held - heldShown);
            heldShown = held;
        }
        if (cap != capEvictedShown)
        {
            accountsCapEvicted.getAndAddRelease(cap - capEvictedShown);
            capEvictedShown = cap;
        }
        if (idle != idleEvictedShown)
        {
            accountsIdleEvicted.getAndAddRelease(idle - idleEvictedShown);
            idleEvictedShown = idle;
        }
    }

    public void snapshots(final SnapshotExchange exchange)
    {
        this.snapshots = exchange;
        this.nextSnapshotOffset = 0;
        if (null != exchange && null == snapshotState)
        {
            snapshotState = new StateWriter();
        }
    }

    /**
     * @return the index of this worker among the workers.
     */
    public int workerIndex()
    {
        return context.workerIndex();
    }

    private void offerSnapshot(final long offset)
    {
        if (null == RuleSetState.unsupported(rules))
        {
            RuleSetState.write(rules, snapshotState.reset());
            snapshots.offer(1 + context.workerIndex(), offset, snapshotState);
        }
    }

    private void reconfigure(final TxEvent event)
    {
        try
        {
            rules.apply(event);
            context.money(rules.money());
        }
        catch (final ConfigException ex)
        {
            ruleErrors.increment();
            errorHandler.onConfigRefused(event.offset, ex);
        }
    }

    /**
     * @return the rules this worker runs, and their settings.
     */
    public RuleSet ruleSet()
    {
        return rules;
    }

    public String roleName()
    {
        return roleName;
    }
}
