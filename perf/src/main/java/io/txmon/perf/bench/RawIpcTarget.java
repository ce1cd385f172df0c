package io.txmon.perf.bench;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.logbuffer.FragmentHandler;
import io.txmon.events.EventEnvelope;
import io.txmon.scenario.Planted;
import io.txmon.transport.EmbeddedDriver;
import io.txmon.transport.Profile;
import org.agrona.CloseHelper;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.Agent;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

/**
 * The baseline: the same messages, at the same rate and pacing, from an {@link ExclusivePublication} per producer
 * to one {@link Subscription} on its own embedded driver of the same {@link Profile}, polled by one thread with the
 * idle strategy of the engine's sequencer in that profile ({@link Profile#agentIdleStrategy()}), whose
 * handler only looks at the envelope to record latency from the due time; the client's conductor idles as the
 * engine's does. What the engine adds is everything beyond this.
 */
final class RawIpcTarget implements Target
{
    private static final int STREAM_ID = 1101;
    private static final int FRAGMENT_LIMIT = 256;
    private static final long OFFER_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);
    private static final long NOT_SENT = -1000;

    private final MediaDriver driver;
    private final Aeron aeron;
    private final Subscription subscription;
    private final AgentRunner runner;
    private final String channel;
    private final TaggedRecorder recorder;
    private final AtomicLong received = new AtomicLong();
    private final List<ExclusivePublication> publications = new ArrayList<>();
    private volatile Schedule schedule;

    /**
     * @param aeronDir   a fresh directory for the driver.
     * @param channel    aeron:ipc or a UDP loopback channel.
     * @param profile    threads and idle strategies of the driver, the subscriber and the client.
     * @param tag        of the latency series.
     */
    RawIpcTarget(final String aeronDir, final String channel, final Profile profile, final String tag)
    {
        this.channel = channel;
        this.recorder = new TaggedRecorder(tag);
        MediaDriver d = null;
        Aeron a = null;
        try
        {
            d = EmbeddedDriver.launch(aeronDir, profile, Profile.usesNetwork(channel));
            a = Aeron.connect(new Aeron.Context()
                .aeronDirectoryName(d.aeronDirectoryName())
                .idleStrategy(profile.clientIdleStrategy()));
            subscription = a.addSubscription(channel, STREAM_ID);
            final FragmentHandler handler = (buffer, offset, length, header) ->
            {
                final long now = System.nanoTime();
                final Schedule s = schedule;
                final int p = s.indexOf(EventEnvelope.producerId(buffer, offset));
                if (p >= 0)
                {
                    final long seq = EventEnvelope.producerSeq(buffer, offset);
                    if (s.measured(p, seq))
                    {
                        recorder.record(now - s.intended(p, seq));
                    }
                }
                received.lazySet(received.get() + 1);
            };
            final Agent agent = new Agent()
            {
                public int doWork()
                {
                    return subscription.poll(handler, FRAGMENT_LIMIT);
                }

                public String roleName()
                {
                    return "txmon-bench-raw-subscriber";
                }
            };
            runner = new AgentRunner(profile.agentIdleStrategy(), Throwable::printStackTrace, null, agent);
            AgentRunner.startOnThread(runner);
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietCloseAll(a, d);
            throw ex;
        }
        driver = d;
        aeron = a;
    }

    public String name()
    {
        return "raw Aeron " + (channel.startsWith("aeron:ipc") ? "IPC" : "UDP");
    }

    public void begin(final Schedule schedule)
    {
        this.schedule = schedule;
        received.set(0);
    }

    public OpenLoopProducer.Sink sink(final long producerId)
    {
        final ExclusivePublication publication = aeron.addExclusivePublication(channel, STREAM_ID);
        synchronized (publications)
        {
            publications.add(publication);
        }
        final long deadline = System.nanoTime() + OFFER_TIMEOUT_NS;
        while (!publication.isConnected())
        {
            if (System.nanoTime() - deadline > 0)
            {
                throw new IllegalStateException("the raw baseline's publication did not connect within 10 s");
            }
            Thread.yield();
        }
        return (buffer, offset, length) ->
        {
            long result;
            long giveUp = 0;
            while ((result = publication.offer(buffer, offset, length)) < 0)
            {
                if (result == Publication.CLOSED || result == Publication.MAX_POSITION_EXCEEDED)
                {
                    return result;
                }
                final long now = System.nanoTime();
                if (giveUp == 0)
                {
                    giveUp = now + OFFER_TIMEOUT_NS;
                }
                else if (now - giveUp > 0)
                {
                    return NOT_SENT;
                }
                Thread.yield();
            }
            return result;
        };
    }

    public LongFunction<String> describer()
    {
        return (code) -> code == NOT_SENT ? "the raw subscriber took nothing for 10 s" :
            "publication offer failed: " + Publication.errorString(code);
    }

    public long completed()
    {
        return received.get();
    }

    public int poll()
    {
        return 0;
    }

    public List<TaggedRecorder> recorders()
    {
        return List.of(recorder);
    }

    public List<Planted> expected(final List<Planted> planted)
    {
        return List.of();
    }

    public List<Planted> missed(final List<Planted> planted)
    {
        return List.of();
    }

    public void endStep()
    {
        synchronized (publications)
        {
            CloseHelper.closeAll(publications);
            publications.clear();
        }
    }

    public void close()
    {
        endStep();
        CloseHelper.closeAll(runner, subscription, aeron, driver);
    }
}
