package io.txmon.sequencer;

import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.util.Util;
import io.txmon.events.codec.AlertDecoder;
import io.txmon.journal.Durability;
import io.txmon.journal.JournalWriter;
import io.txmon.rules.AlertBuffer;
import io.txmon.rules.AlertCodec;
import io.txmon.rules.AlertRecord;
import io.txmon.rules.TxEvent;
import io.txmon.transport.AlertProxy;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The last stage: runs after every rule worker, so it sees slots in offset order with all their alerts,
 * appends each alert (SBE {@code Alert}) to the alert journal when the engine has one (this agent is its only
 * writer) and publishes it on the alert stream through an {@link AlertProxy}.
 * <p>
 * It drives the ring itself, with a {@link Sequence} of its own that gates the sequencer's reuse of slots: a
 * slot counts as consumed only once every alert of it is out. Each duty cycle has two steps:
 * <ol>
 *   <li>accept: once everything accepted before is published, take up to a batch of slots the workers have
 *   finished and journal their alerts, each once; then, per the journal's durability, {@code commit} (sync: one
 *   force for the batch) or {@code flushIfDue} (interval), so an alert is durable before it is published. A
 *   segment that cannot be created (a full disk) is retried every {@value #FULL_RETRY_NS} ns from the same alert,
 *   with the engine's health degraded (the ring then fills and producers are back-pressured); a writer that has
 *   stopped fails the engine.</li>
 *   <li>publish: offer the accepted alerts in order; on back-pressure return and offer the same alert on the
 *   next cycle. Nothing is spun on inside the agent, so in the compact profile, where the sink shares the rule
 *   workers' thread, a slow alert subscriber stalls rule evaluation only once the ring is full.</li>
 * </ol>
 * With no subscriber connected an alert is counted as unpublished (the alert journal keeps it).
 * <p>
 * Runs on one thread; allocation free.
 */
public final class AlertSinkAgent implements Agent
{
    private static final long RESTORE_OFFER_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);
    /** How often a segment the alert journal could not create is tried again. */
    static final long FULL_RETRY_NS = TimeUnit.MILLISECONDS.toNanos(100);

    private final RingBuffer<TxEvent> ring;
    private final Sequence[] workerSequences;
    private final Sequence sequence = new Sequence(-1);
    private final JournalWriter alertJournal;
    private final boolean syncJournal;
    private final AlertProxy proxy;
    private final EngineCounters counters;
    private final EngineHealth health;
    private final DecisionObserver observer;
    private final NanoClock nanoClock;
    private final int batchLimit;
    private final UnsafeBuffer journalBuffer = new UnsafeBuffer(ByteBuffer.allocateDirect(AlertCodec.MAX_LENGTH));
    private final AlertCodec codec = new AlertCodec();
    /** Last slot whose alerts are all journaled (and, in sync durability, forced): it may be published. */
    private long acceptedSeq = -1;
    /** Next alert to journal in slot acceptedSeq + 1, when a full disk stopped the previous cycle in the middle. */
    private int acceptAlert;
    /** Last slot whose alerts are all out: the value of the gating sequence. */
    private long publishedSeq = -1;
    /** Next alert to offer in slot publishedSeq + 1. */
    private int publishAlert;
    private long lastOffset;
    private boolean alertJournalFull;
    private long retryAtNs;
    private long backPressured;
    private volatile boolean running = true;

    AlertSinkAgent(
        final RingBuffer<TxEvent> ring,
        final Sequence[] workerSequences,
        final JournalWriter alertJournal,
        final AlertProxy proxy,
        final EngineCounters counters,
        final EngineHealth health,
        final DecisionObserver observer,
        final NanoClock nanoClock,
        final int batchLimit)
    {
        this.ring = ring;
        this.workerSequences = workerSequences;
        this.alertJournal = alertJournal;
        this.syncJournal = null != alertJournal && alertJournal.durability() == Durability.SYNC;
        this.proxy = proxy;
        this.counters = counters;
        this.health = health;
        this.observer = observer;
        this.nanoClock = nanoClock;
        this.batchLimit = batchLimit;
    }

    /**
     * @return the sequence of this stage, which gates the sequencer's reuse of slots.
     */
    Sequence sequence()
    {
        return sequence;
    }

    public int doWork()
    {
        int work = 0;
        if (publishedSeq == acceptedSeq && (!alertJournalFull || nanoClock.nanoTime() - retryAtNs >= 0))
        {
            work += accept();
        }
        else if (null != alertJournal)
        {
            alertJournal.flushIfDue(nanoClock.nanoTime());
        }
        if (publishedSeq < acceptedSeq)
        {
            work += publish();
        }
        return work;
    }

    private int accept()
    {
        final long available = Util.getMinimumSequence(workerSequences);
        final long end = Math.min(available, acceptedSeq + batchLimit);
        long accepted = acceptedSeq;
        int journaled = 0;
        boolean full = false;
        while (accepted < end && !full)
        {
            final TxEvent event = ring.get(accepted + 1);
            final int count = alertCount(event);
            while (acceptAlert < count)
            {
                if (null != alertJournal)
                {
                    if (!journal(alertAt(event, acceptAlert), event.ingestTime))
                    {
                        full = true;
                        break;
                    }
                    journaled++;
                }
                counters.alerts.incrementRelease();
                acceptAlert++;
            }
            if (!full)
            {
                acceptAlert = 0;
                accepted++;
            }
        }
        if (null != alertJournal)
        {
            if (syncJournal)
            {
                if (journaled > 0 && !alertJournal.commit())
                {
                    throw new IllegalStateException("the alert journal could not be forced: " +
                        alertJournal.lastError() + "; alerts are not durable, the engine stops");
                }
            }
            else
            {
                alertJournal.flushIfDue(nanoClock.nanoTime());
            }
            if (!full && alertJournalFull)
            {
                alertJournalFull = false;
                health.clear("alert-journal");
            }
        }
        // a slot whose alerts are only partly journaled stays unaccepted: it is published once all are
        final int work = (int)(accepted - acceptedSeq);
        acceptedSeq = accepted;
        return work;
    }

    /**
     * @return true if journaled; false if the next segment cannot be created (retry later).
     */
    private boolean journal(final AlertRecord alert, final long ingestTime)
    {
        final int length = codec.encode(alert, journalBuffer, 0);
        final long result = alertJournal.append(journalBuffer, 0, length, AlertDecoder.TEMPLATE_ID, ingestTime);
        if (result >= 0)
        {
            return true;
        }
        counters.alertJournalErrors.incrementRelease();
        if (result == JournalWriter.ROLL_FAILED)
        {
            retryAtNs = nanoClock.nanoTime() + FULL_RETRY_NS;
            if (!alertJournalFull)
            {
                alertJournalFull = true;
                health.degrade("alert-journal", "the alert journal cannot create its next segment (" +
                    alertJournal.lastError() + "); alerts wait, and the ring then holds events, until space is freed");
            }
            return false;
        }
        if (result == JournalWriter.FORCE_FAILED || result == JournalWriter.CLOSED)
        {
            throw new IllegalStateException("the alert journal has stopped (status " + result + "): " +
                alertJournal.lastError() + "; alerts cannot be journaled, the engine stops");
        }
        // too large or out of time order: cannot be journaled ever; counted, and still published
        return true;
    }

    private int publish()
    {
        long published = publishedSeq;
        int slots = 0;
        boolean blocked = false;
        while (published < acceptedSeq && slots < batchLimit && !blocked)
        {
            final TxEvent event = ring.get(published + 1);
            final int count = alertCount(event);
            while (publishAlert < count)
            {
                final AlertProxy.Status status = offer(alertAt(event, publishAlert));
                if (status == AlertProxy.Status.BACK_PRESSURED)
                {
                    backPressured++;
                    blocked = true;
                    break;
                }
                if (status != AlertProxy.Status.OFFERED)
                {
                    counters.alertsUnpublished.incrementRelease();
                }
                publishAlert++;
            }
            if (!blocked)
            {
                publishAlert = 0;
                observer.onDecision(event, nanoClock.nanoTime());
                published++;
                slots++;
                lastOffset = event.offset;
            }
        }
        if (slots > 0)
        {
            publishedSeq = published;
            sequence.set(published);
            counters.decided.getAndAddRelease(slots);
            counters.decidedPosition.setRelease(lastOffset + 1);
        }
        return slots;
    }

    private AlertProxy.Status offer(final AlertRecord alert)
    {
        final int length = codec.encode(alert, proxy.buffer(), 0);
        return proxy.offer(length);
    }

    private static int alertCount(final TxEvent event)
    {
        int count = 0;
        for (int w = 0, workers = event.workerCount(); w < workers; w++)
        {
            count += event.alerts(w).count();
        }
        return count;
    }

    private static AlertRecord alertAt(final TxEvent event, final int index)
    {
        int i = index;
        for (int w = 0, workers = event.workerCount(); w < workers; w++)
        {
            final AlertBuffer alerts = event.alerts(w);
            final int count = alerts.count();
            if (i < count)
            {
                return alerts.get(i);
            }
            i -= count;
        }
        throw new IndexOutOfBoundsException("alert " + index + " of a slot with " + alertCount(event));
    }

    /**
     * Journal and publish one alert a restart found was raised but never emitted; called by the engine before
     * the agent runs. A back-pressured stream is waited on here (bounded: the engine is not taking events yet).
     *
     * @param alert      to emit.
     * @param ingestTime of the event that raised it: the alert journal's timestamp.
     */
    void emitRestored(final AlertRecord alert, final long ingestTime)
    {
        counters.alerts.incrementRelease();
        if (null != alertJournal)
        {
            if (!journal(alert, ingestTime))
            {
                throw new IllegalStateException("cannot journal a restored alert: " + alertJournal.lastError());
            }
            if (syncJournal && !alertJournal.commit())
            {
                throw new IllegalStateException("the alert journal could not be forced: " + alertJournal.lastError());
            }
        }
        final long deadline = nanoClock.nanoTime() + RESTORE_OFFER_TIMEOUT_NS;
        while (running)
        {
            final AlertProxy.Status status = offer(alert);
            if (status == AlertProxy.Status.OFFERED)
            {
                return;
            }
            if (status != AlertProxy.Status.BACK_PRESSURED || nanoClock.nanoTime() - deadline > 0)
            {
                break;
            }
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(100));
        }
        counters.alertsUnpublished.incrementRelease();
    }

    /**
     * @return offers the alert stream pushed back; each is retried on a later duty cycle.
     */
    long backPressured()
    {
        return backPressured;
    }

    /**
     * Stop waiting on a back-pressured alert stream during a restart; called from any thread before shutdown.
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
