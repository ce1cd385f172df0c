package io.txmon.perf.bench;

import io.aeron.Subscription;
import io.txmon.rules.TxEvent;
import io.txmon.rules.scenario.Planted;
import io.txmon.sequencer.DecisionObserver;
import io.txmon.sequencer.Engine;
import io.txmon.sequencer.EngineCounters;
import io.txmon.transport.AlertAdapter;
import io.txmon.transport.TxmonPublisher;
import org.agrona.CloseHelper;
import org.agrona.collections.LongHashSet;
import org.agrona.concurrent.BackoffIdleStrategy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongFunction;

/**
 * The engine under test, embedded in this process: producers are {@link TxmonPublisher}s on its ingest channel,
 * and its decision observer records, per event, the latency from the due time to journaled (the sequencer's stamp
 * after the append) and to the decision (the alert sink has passed the event: every rule has run and its alerts
 * are out). Alerts are read from the engine's alert stream, as a user would, to check the planted cases.
 */
final class EngineTarget implements Target, DecisionObserver
{
    private static final long CONNECT_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);
    private static final long SEND_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);
    private static final int ALERT_FRAGMENTS = 256;

    private final Engine engine;
    private final String ingestChannel;
    private final TaggedRecorder journaled = new TaggedRecorder("journaled");
    private final TaggedRecorder decision = new TaggedRecorder("decision");
    private final LongHashSet alerted = new LongHashSet(1 << 16);
    private final List<TxmonPublisher> publishers = new ArrayList<>();
    private final Subscription alertSubscription;
    private final AlertAdapter alerts;
    private volatile Schedule schedule;
    private long decidedAtBegin;
    private long alertsRead;
    private final int rules;

    /**
     * @param rules  the engine runs the rules of ids 1 to this.
     * @param launch starts the engine with this as its decision observer.
     */
    EngineTarget(final int rules, final Function<DecisionObserver, Engine> launch)
    {
        this.rules = rules;
        engine = launch.apply(this);
        ingestChannel = engine.context().ingestChannel();
        Subscription subscription = null;
        try
        {
            subscription = engine.aeron().addSubscription(
                engine.context().alertChannel(), engine.context().alertStreamId());
            alertSubscription = subscription;
            alerts = new AlertAdapter(subscription, (alert) ->
            {
                alertsRead++;
                alerted.add(key(alert.ruleId(), alert.account(), alert.eventTime()));
            });
            final long deadline = System.nanoTime() + CONNECT_TIMEOUT_NS;
            while (!subscription.isConnected())
            {
                if (System.nanoTime() - deadline > 0)
                {
                    throw new IllegalStateException("the engine's alert stream did not connect within 10 s");
                }
                Thread.yield();
            }
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietCloseAll(subscription, engine);
            throw ex;
        }
    }

    /**
     * The planted case an alert answers: rule, account, event time of the trigger. A 64-bit mix of the three, so
     * alerts are kept without allocating; two cases colliding is a 2^-64 chance.
     */
    static long key(final int ruleId, final long account, final long eventTime)
    {
        long h = ruleId * 0x9E3779B97F4A7C15L;
        h = (h ^ account) * 0xBF58476D1CE4E5B9L;
        h = (h ^ (h >>> 31) ^ eventTime) * 0x94D049BB133111EBL;
        return h ^ (h >>> 29);
    }

    /**
     * @return the engine.
     */
    Engine engine()
    {
        return engine;
    }

    public String name()
    {
        return "txmon";
    }

    public void begin(final Schedule schedule)
    {
        decidedAtBegin = engine.counters().decided();
        this.schedule = schedule;
    }

    public void onDecision(final TxEvent event, final long decisionNanos)
    {
        final Schedule s = schedule;
        if (null == s)
        {
            return;
        }
        final int p = s.indexOf(event.producerId);
        if (p >= 0 && s.measured(p, event.producerSeq))
        {
            final long intended = s.intended(p, event.producerSeq);
            journaled.record(event.journaledNanos - intended);
            decision.record(decisionNanos - intended);
        }
    }

    public OpenLoopProducer.Sink sink(final long producerId)
    {
        final TxmonPublisher publisher = new TxmonPublisher(engine.aeron(), ingestChannel,
            engine.context().ingestStreamId(), producerId, 0, new BackoffIdleStrategy(), SEND_TIMEOUT_NS);
        synchronized (publishers)
        {
            publishers.add(publisher);
        }
        if (!publisher.awaitConnected(CONNECT_TIMEOUT_NS))
        {
            throw new IllegalStateException("producer " + producerId + " could not connect to the engine in 10 s");
        }
        return publisher::send;
    }

    public LongFunction<String> describer()
    {
        return TxmonPublisher::describe;
    }

    public long completed()
    {
        return engine.counters().decided() - decidedAtBegin;
    }

    public int poll()
    {
        return alerts.poll(ALERT_FRAGMENTS);
    }

    /**
     * @return true once every alert the engine raised and published has been read.
     */
    boolean alertsCaughtUp()
    {
        final EngineCounters counters = engine.counters();
        return alertsRead + counters.alertsUnpublished() >= counters.alerts();
    }

    /**
     * @return alerts read from the stream so far.
     */
    long alertsRead()
    {
        return alertsRead;
    }

    public List<TaggedRecorder> recorders()
    {
        return List.of(journaled, decision);
    }

    public List<Planted> expected(final List<Planted> planted)
    {
        final List<Planted> expected = new ArrayList<>();
        for (final Planted p : planted)
        {
            if (p.ruleId() <= rules)
            {
                expected.add(p);
            }
        }
        return expected;
    }

    public List<Planted> missed(final List<Planted> planted)
    {
        final List<Planted> missed = new ArrayList<>();
        for (final Planted p : expected(planted))
        {
            if (!alerted.contains(key(p.ruleId(), p.account(), p.eventTime())))
            {
                missed.add(p);
            }
        }
        return missed;
    }

    public void endStep()
    {
        synchronized (publishers)
        {
            CloseHelper.closeAll(publishers);
            publishers.clear();
        }
    }

    public void close()
    {
        endStep();
        CloseHelper.closeAll(alertSubscription, engine);
    }
}
