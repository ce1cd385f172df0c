package io.txmon.perf.bench;

import io.aeron.Aeron;
import io.aeron.CommonContext;
import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import io.txmon.events.codec.AckDecoder;
import io.txmon.events.codec.MessageHeaderDecoder;
import io.txmon.scenario.Planted;
import io.txmon.rules.typology.Typologies;
import io.txmon.sequencer.EngineCounters;
import io.txmon.transport.TransportConfiguration;
import io.txmon.transport.TxmonPublisher;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.status.CountersReader;

import java.io.File;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

/**
 * An engine running in another process ({@code txmon run}), reached through its media driver the way producers
 * reach it. Nothing inside the engine is observed directly, so both latencies are taken from what any process on
 * the host can see:
 * <ul>
 *     <li><b>journaled</b>: when the engine's acknowledgement covering the event is read here (the engine
 *     acknowledges after the append: the figure includes the acknowledgement's trip back);</li>
 *     <li><b>decision</b>: when the engine's decided-position counter ({@link EngineCounters#DECIDED_POSITION_TYPE_ID},
 *     in the driver's counters file) passes the journal offset that acknowledgement named. An acknowledgement
 *     covers a batch, and its offset is the batch's last, so an event is counted decided no earlier than it was.</li>
 * </ul>
 * Both are read by one watcher thread that backs off when idle, so each figure may also include up to one back-off
 * period. Alerts are read from the engine's alert stream, as in the embedded case.
 */
final class ConnectedTarget implements EngineUnderTest
{
    /** Where to find the engine and its streams. */
    record Endpoint(
        String aeronDir,
        String ingestChannel,
        int ingestStreamId,
        String alertChannel,
        int alertStreamId,
        String ackChannel,
        int ackStreamId)
    {
    }

    private static final long DRIVER_CHECK_MS = 2_000;
    private static final int ACK_FRAGMENTS = 64;
    /** Acknowledgements of one producer not yet known to be decided; beyond it, the newest one is widened. */
    private static final int PENDING = 1 << 14;

    private final Endpoint endpoint;
    private final Aeron aeron;
    private final CountersReader counters;
    private final int decidedPositionId;
    private final int newestEventTimeId;
    private final int alertsId;
    private final int alertsUnpublishedId;
    private final PlantedAlerts alerts;
    private final Subscription acks;
    private final long alertsPublishedAtConnect;
    private final TaggedRecorder journaled = new TaggedRecorder("journaled");
    private final TaggedRecorder decision = new TaggedRecorder("decision");
    private final StepPublishers publishers = new StepPublishers();
    private final Thread watcher;
    private volatile boolean running = true;
    private volatile Progress progress;

    /**
     * Connect to the engine's driver and streams.
     *
     * @param endpoint where the engine is.
     * @throws IllegalStateException with what to do when there is no engine there.
     */
    ConnectedTarget(final Endpoint endpoint)
    {
        this.endpoint = endpoint;
        checkDriver(endpoint);
        Aeron a = null;
        PlantedAlerts planted = null;
        Subscription ackSubscription = null;
        try
        {
            a = Aeron.connect(new Aeron.Context().aeronDirectoryName(endpoint.aeronDir()));
            final CountersReader reader = a.countersReader();
            decidedPositionId = engineCounter(reader, EngineCounters.DECIDED_POSITION_TYPE_ID, endpoint.aeronDir());
            newestEventTimeId = engineCounter(reader, EngineCounters.NEWEST_EVENT_TIME_TYPE_ID, endpoint.aeronDir());
            alertsId = engineCounter(reader, EngineCounters.ALERTS_TYPE_ID, endpoint.aeronDir());
            alertsUnpublishedId = engineCounter(reader, EngineCounters.ALERTS_UNPUBLISHED_TYPE_ID, endpoint.aeronDir());
            ackSubscription = a.addSubscription(
                TransportConfiguration.ackSubscriptionChannel(endpoint.ackChannel()), endpoint.ackStreamId());
            planted = new PlantedAlerts(a, endpoint.alertChannel(), endpoint.alertStreamId(), StepPublishers.CONNECT_TIMEOUT_NS);
            alertsPublishedAtConnect = published(reader);
            aeron = a;
            counters = reader;
            alerts = planted;
            acks = ackSubscription;
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietCloseAll(planted, ackSubscription, a);
            throw ex;
        }
        watcher = new Thread(this::watch, "txmon-bench-watcher");
        watcher.setDaemon(true);
        watcher.start();
    }

    /**
     * @param endpoint where the engine should be.
     * @throws IllegalStateException with what to do when no media driver runs there.
     */
    static void checkDriver(final Endpoint endpoint)
    {
        final File dir = new File(endpoint.aeronDir());
        if (!dir.isDirectory() || !CommonContext.isDriverActive(dir, DRIVER_CHECK_MS, (s) -> {}))
        {
            throw new IllegalStateException("no media driver is running in " + endpoint.aeronDir() +
                ": start the engine first (txmon run --journal DIR) or give its --aeron-dir");
        }
    }

    private static int engineCounter(final CountersReader reader, final int typeId, final String aeronDir)
    {
        final int[] found = {CountersReader.NULL_COUNTER_ID, 0};
        reader.forEach((counterId, type, key, label) ->
        {
            if (type == typeId)
            {
                found[0] = counterId;
                found[1]++;
            }
        });
        if (found[1] == 0)
        {
            throw new IllegalStateException("no txmon engine uses the media driver in " + aeronDir +
                " (its counters are not there): start one with txmon run --journal DIR, or give its --aeron-dir");
        }
        if (found[1] > 1)
        {
            throw new IllegalStateException(found[1] + " txmon engines use the media driver in " + aeronDir +
                ": stop all but the one to measure");
        }
        return found[0];
    }

    private long published(final CountersReader reader)
    {
        return reader.getCounterValue(alertsId) - reader.getCounterValue(alertsUnpublishedId);
    }

    public long newestEventTime()
    {
        return counters.getCounterValue(newestEventTimeId);
    }

    public String name()
    {
        return "txmon";
    }

    public void begin(final Schedule schedule)
    {
        progress = new Progress(schedule);
    }

    public OpenLoopProducer.Sink sink(final long producerId)
    {
        return publishers.connect(aeron, endpoint.ingestChannel(), endpoint.ingestStreamId(), producerId,
            ": is that the channel the engine was started with (--ingest, --ingest-stream)?");
    }

    public LongFunction<String> describer()
    {
        return TxmonPublisher::describe;
    }

    /**
     * @return events of this step seen decided.
     */
    public long completed()
    {
        final Progress p = progress;
        return null == p ? 0 : p.decidedEvents.get();
    }

    public int poll()
    {
        return alerts.poll();
    }

    /**
     * @return true once every alert the engine published since this target connected has been read.
     */
    public boolean alertsCaughtUp()
    {
        return alerts.read() >= published(counters) - alertsPublishedAtConnect;
    }

    /**
     * @return alerts read so far.
     */
    public long alertsRead()
    {
        return alerts.read();
    }

    public List<TaggedRecorder> recorders()
    {
        return List.of(journaled, decision);
    }

    public List<Planted> expected(final List<Planted> planted)
    {
        return PlantedAlerts.expected(planted, Typologies.catalog().size());
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
        running = false;
        try
        {
            watcher.join(TimeUnit.SECONDS.toMillis(5));
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        endStep();
        CloseHelper.closeAll(alerts, acks, aeron);
    }

    private void watch()
    {
        final IdleStrategy idle = new BackoffIdleStrategy(
            100, 10, TimeUnit.MICROSECONDS.toNanos(1), TimeUnit.MICROSECONDS.toNanos(20));
        final AckHandler handler = new AckHandler();
        while (running)
        {
            final Progress p = progress;
            int work = 0;
            if (null != p)
            {
                handler.progress = p;
                work += acks.poll(handler, ACK_FRAGMENTS);
                work += p.decided(counters.getCounterValue(decidedPositionId), System.nanoTime(), decision);
            }
            idle.idle(work);
        }
    }

    private final class AckHandler implements FragmentHandler
    {
        private final MessageHeaderDecoder header = new MessageHeaderDecoder();
        private final AckDecoder ack = new AckDecoder();
        private Progress progress;

        public void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header h)
        {
            header.wrap(buffer, offset);
            if (header.templateId() != AckDecoder.TEMPLATE_ID || header.schemaId() != AckDecoder.SCHEMA_ID)
            {
                return;
            }
            ack.wrap(buffer, offset + MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(), header.version());
            progress.acknowledged(ack.producerId(), ack.producerSeq(), ack.journalOffset(), System.nanoTime(),
                journaled);
        }
    }

    /**
     * What one step's producers have had acknowledged and decided; written by the watcher thread only.
     */
    static final class Progress
    {
        private final Schedule schedule;
        private final long[] acknowledged;
        private final long[] decided;
        private final long[][] pendingOffset;
        private final long[][] pendingSeq;
        private final int[] head;
        private final int[] size;
        final AtomicLong decidedEvents = new AtomicLong();

        Progress(final Schedule schedule)
        {
            this.schedule = schedule;
            final int producers = schedule.producers();
            acknowledged = new long[producers];
            decided = new long[producers];
            java.util.Arrays.fill(acknowledged, -1);
            java.util.Arrays.fill(decided, -1);
            pendingOffset = new long[producers][PENDING];
            pendingSeq = new long[producers][PENDING];
            head = new int[producers];
            size = new int[producers];
        }

        /**
         * An acknowledgement: producer's events up to {@code seq} are journaled, the last at {@code offset}.
         */
        void acknowledged(
            final long producerId, final long seq, final long offset, final long now, final TaggedRecorder journaled)
        {
            final int p = schedule.indexOf(producerId);
            if (p < 0 || seq <= acknowledged[p])
            {
                return;
            }
            for (long s = acknowledged[p] + 1; s <= seq; s++)
            {
                if (schedule.measured(p, s))
                {
                    journaled.record(now - schedule.intended(p, s));
                }
            }
            acknowledged[p] = seq;
            if (size[p] == PENDING)
            {
                // full: the newest entry takes this one's later offset, so its events count as decided later
                final int newest = (head[p] + PENDING - 1) & (PENDING - 1);
                pendingOffset[p][newest] = offset;
                pendingSeq[p][newest] = seq;
            }
            else
            {
                final int tail = (head[p] + size[p]) & (PENDING - 1);
                pendingOffset[p][tail] = offset;
                pendingSeq[p][tail] = seq;
                size[p]++;
            }
        }

        /**
         * @param position the engine's decided position: every offset below it is decided.
         * @return acknowledgements found decided.
         */
        int decided(final long position, final long now, final TaggedRecorder decision)
        {
            int work = 0;
            long total = 0;
            for (int p = 0; p < head.length; p++)
            {
                while (size[p] > 0 && pendingOffset[p][head[p]] < position)
                {
                    final long seq = pendingSeq[p][head[p]];
                    for (long s = decided[p] + 1; s <= seq; s++)
                    {
                        if (schedule.measured(p, s))
                        {
                            decision.record(now - schedule.intended(p, s));
                        }
                    }
                    decided[p] = seq;
                    head[p] = (head[p] + 1) & (PENDING - 1);
                    size[p]--;
                    work++;
                }
                total += decided[p] + 1;
            }
            if (work > 0)
            {
                decidedEvents.lazySet(total);
            }
            return work;
        }
    }
}
