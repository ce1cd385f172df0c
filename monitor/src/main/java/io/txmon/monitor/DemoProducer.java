package io.txmon.monitor;

import io.aeron.Aeron;
import io.txmon.scenario.MessageSink;
import io.txmon.scenario.Planted;
import io.txmon.scenario.ScenarioGenerator;
import io.txmon.transport.TxmonPublisher;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One producer of {@code txmon demo}: a seeded scenario stream (background payments, orders, executions and account
 * updates with planted cases of every typology) published to the engine's ingest stream through a
 * {@link TxmonPublisher}, as fast as the engine takes it or paced at a rate.
 * <p>
 * Runs on its own thread; {@link #failure()} and {@link #done()} may be read from any thread, {@link #planted()}
 * once {@link #done()}.
 */
final class DemoProducer implements Runnable, MessageSink
{
    private static final long CONNECT_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);
    private static final long SEND_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);

    private final Aeron aeron;
    private final String channel;
    private final int streamId;
    private final ScenarioGenerator generator;
    private final int count;
    private final long intervalNs;
    private TxmonPublisher publisher;
    private long startNs;
    private long next;
    private volatile String failure;
    private volatile boolean done;
    private volatile List<Planted> planted = List.of();

    /**
     * @param aeron      client of the engine's driver.
     * @param channel    the engine's ingest channel.
     * @param streamId   the engine's ingest stream.
     * @param generator  of the stream, its producer id in its options.
     * @param count      events to publish.
     * @param ratePerSec events per second to offer, 0 for as fast as the engine takes them.
     */
    DemoProducer(
        final Aeron aeron,
        final String channel,
        final int streamId,
        final ScenarioGenerator generator,
        final int count,
        final long ratePerSec)
    {
        this.aeron = aeron;
        this.channel = channel;
        this.streamId = streamId;
        this.generator = generator;
        this.count = count;
        this.intervalNs = 0 == ratePerSec ? 0 : Math.max(1, TimeUnit.SECONDS.toNanos(1) / ratePerSec);
    }

    public void run()
    {
        final long producerId = generator.options().producerId();
        try (TxmonPublisher client = new TxmonPublisher(
            aeron, channel, streamId, producerId, 0, new BackoffIdleStrategy(), SEND_TIMEOUT_NS))
        {
            if (!client.awaitConnected(CONNECT_TIMEOUT_NS))
            {
                failure = "producer " + producerId + " could not connect to the engine";
                return;
            }
            publisher = client;
            startNs = System.nanoTime();
            generator.generate(count, this);
            planted = List.copyOf(generator.planted());
        }
        catch (final RuntimeException ex)
        {
            failure = "producer " + producerId + ": " + ex;
        }
        finally
        {
            publisher = null;
            done = true;
        }
    }

    /**
     * Publish one message of the stream; after a failure the rest of the stream is generated and dropped.
     */
    public void onMessage(final DirectBuffer buffer, final int offset, final int length)
    {
        if (null != failure)
        {
            return;
        }
        final long i = next++;
        if (intervalNs > 0)
        {
            // open loop: park until the intended send time, then send all that are due; no spinning, so on a small
            // machine the producers leave the cores to the engine
            final long intended = startNs + i * intervalNs;
            long now;
            while ((now = System.nanoTime()) < intended)
            {
                LockSupport.parkNanos(intended - now);
            }
        }

        final long result = publisher.send(buffer, offset, length);
        if (result < 0)
        {
            failure = "producer " + generator.options().producerId() + " at event " + i + ": " +
                TxmonPublisher.describe(result);
        }
    }

    /**
     * @return why it stopped early, or null.
     */
    String failure()
    {
        return failure;
    }

    /**
     * @return true once it has published its stream or failed.
     */
    boolean done()
    {
        return done;
    }

    /**
     * @return the planted cases of its stream, in stream order; empty until it is {@link #done()}.
     */
    List<Planted> planted()
    {
        return planted;
    }
}
