package io.txmon.perf.bench;

import io.txmon.rules.TxEvent;
import io.txmon.scenario.Planted;
import io.txmon.sequencer.DecisionObserver;
import io.txmon.sequencer.Engine;
import io.txmon.sequencer.EngineCounters;
import io.txmon.transport.TxmonPublisher;
import org.agrona.CloseHelper;

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
final class EngineTarget implements EngineUnderTest, DecisionObserver
{

    private final Engine engine;
    private final String ingestChannel;
    private final TaggedRecorder journaled = new TaggedRecorder("journaled");
    private final TaggedRecorder decision = new TaggedRecorder("decision");
    private final StepPublishers publishers = new StepPublishers();
    private final PlantedAlerts alerts;
    private volatile Schedule schedule;
    private long decidedAtBegin;
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
        try
        {
            alerts = new PlantedAlerts(engine.aeron(), engine.context().alertChannel(),
                engine.context().alertStreamId(), StepPublishers.CONNECT_TIMEOUT_NS);
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietClose(engine);
            throw ex;
        }
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
        return publishers.connect(engine.aeron(), ingestChannel, engine.context().ingestStreamId(), producerId, "");
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
        return alerts.poll();
    }

    /**
     * @return true once every alert the engine raised and published has been read.
     */
    public boolean alertsCaughtUp()
    {
        final EngineCounters counters = engine.counters();
        return alerts.read() + counters.alertsUnpublished() >= counters.alerts();
    }

    /**
     * @return alerts read from the stream so far.
     */
    public long alertsRead()
    {
        return alerts.read();
    }

    public long newestEventTime()
    {
        return engine.counters().newestEventTime();
    }

    public List<TaggedRecorder> recorders()
    {
        return List.of(journaled, decision);
    }

    public List<Planted> expected(final List<Planted> planted)
    {
        return PlantedAlerts.expected(planted, rules);
    }

    public List<Planted> missed(final List<Planted> planted)
    {
        return alerts.missed(expected(planted));
    }

    public void endStep()
    {
        publishers.closeAll();
    }

    public void close()
    {
        endStep();
        CloseHelper.closeAll(alerts, engine);
    }
}
