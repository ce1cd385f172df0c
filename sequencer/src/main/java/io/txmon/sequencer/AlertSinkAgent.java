package io.txmon.sequencer;

import com.lmax.disruptor.EventPoller;
import io.aeron.Publication;
import io.txmon.events.codec.AlertDecoder;
import io.txmon.journal.JournalWriter;
import io.txmon.rules.AlertBuffer;
import io.txmon.rules.AlertCodec;
import io.txmon.rules.AlertRecord;
import io.txmon.rules.TxEvent;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;

/**
 * The last stage: runs after every rule worker, so it sees slots in offset order with all their alerts,
 * encodes each alert as an SBE {@code Alert}, appends it to the alert journal (when the engine has one; this
 * agent is its only writer) and publishes it on the alert stream.
 * <p>
 * A back-pressured alert stream is waited on (it slows the ring, and so the producers: alerts are not
 * dropped to keep up); with no subscriber connected an alert is counted as unpublished.
 * <p>
 * Runs on one thread; allocation free.
 */
public final class AlertSinkAgent implements Agent, EventPoller.Handler<TxEvent>
{
    private final EventPoller<TxEvent> poller;
    private final JournalWriter alertJournal;
    private final Publication publication;
    private final EngineCounters counters;
    private final DecisionObserver observer;
    private final NanoClock nanoClock;
    private final IdleStrategy offerIdle;
    private final int batchLimit;
    private final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(AlertCodec.MAX_LENGTH));
    private final AlertCodec codec = new AlertCodec();
    private int batchCount;
    private long lastOffset;
    private volatile boolean running = true;

    AlertSinkAgent(
        final EventPoller<TxEvent> poller,
        final JournalWriter alertJournal,
        final Publication publication,
        final EngineCounters counters,
        final DecisionObserver observer,
        final NanoClock nanoClock,
        final IdleStrategy offerIdle,
        final int batchLimit)
    {
        this.poller = poller;
        this.alertJournal = alertJournal;
        this.publication = publication;
        this.counters = counters;
        this.observer = observer;
        this.nanoClock = nanoClock;
        this.offerIdle = offerIdle;
        this.batchLimit = batchLimit;
    }

    /**
     * @return the sequence of this stage, which gates the sequencer's reuse of slots.
     */
    com.lmax.disruptor.Sequence sequence()
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
            counters.decided.getAndAddRelease(count);
            counters.decidedPosition.setRelease(lastOffset + 1);
        }
        return count;
    }

    public boolean onEvent(final TxEvent event, final long sequence, final boolean endOfBatch)
    {
        final int workers = event.workerCount();
        for (int w = 0; w < workers; w++)
        {
            final AlertBuffer alerts = event.alerts(w);
            for (int i = 0, n = alerts.count(); i < n; i++)
            {
                publish(alerts.get(i), event.ingestTime);
            }
        }
        observer.onDecision(event, nanoClock.nanoTime());
        lastOffset = event.offset;
        return ++batchCount < batchLimit;
    }

    /**
     * Journal and publish one alert. Called by this agent for every alert of every slot, and by the engine
     * before the agent runs, for alerts a restart finds were never emitted.
     *
     * @param alert      to emit.
     * @param ingestTime of the event that raised it: the alert journal's timestamp.
     */
    void publish(final AlertRecord alert, final long ingestTime)
    {
        counters.alerts.incrementRelease();
        final int length = codec.encode(alert, buffer, 0);

        // the alert journal first: it is the durable record; the stream is for whoever listens now
        if (null != alertJournal &&
            alertJournal.append(buffer, 0, length, AlertDecoder.TEMPLATE_ID, ingestTime) < 0)
        {
            counters.alertJournalErrors.incrementRelease();
        }

        offerIdle.reset();
        while (running && !Thread.currentThread().isInterrupted())
        {
            final long result = publication.offer(buffer, 0, length);
            if (result > 0)
            {
                return;
            }
            if (result == Publication.NOT_CONNECTED || result == Publication.CLOSED ||
                result == Publication.MAX_POSITION_EXCEEDED)
            {
                counters.alertsUnpublished.incrementRelease();
                return;
            }
            offerIdle.idle();
        }
    }

    /**
     * Stop waiting on a back-pressured alert stream; called from any thread before shutdown.
     */
    void stop()
    {
        running = false;
    }

    public void onClose()
    {
        running = false;
    }

    public String roleName()
    {
        return "txmon-alert-sink";
    }
}
