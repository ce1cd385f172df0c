package io.txmon.perf.bench;

import io.aeron.Aeron;
import io.txmon.transport.TxmonPublisher;
import org.agrona.CloseHelper;
import org.agrona.concurrent.BackoffIdleStrategy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The txmon producer clients of a step, whatever engine they feed: one per producer, connected before it sends,
 * all closed when the step ends.
 */
final class StepPublishers
{
    /** How long a producer, or the alert stream, may take to connect. */
    static final long CONNECT_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);
    private static final long SEND_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);

    private final List<TxmonPublisher> publishers = new ArrayList<>();

    /**
     * @param aeron      client of the engine's driver.
     * @param channel    the engine's ingest channel.
     * @param streamId   the engine's ingest stream.
     * @param producerId of the new producer.
     * @param hint       said after "could not connect ... in 10 s" when it does not connect; may be empty.
     * @return a connected sink, for the producer's thread only.
     * @throws IllegalStateException when it does not connect in time.
     */
    OpenLoopProducer.Sink connect(
        final Aeron aeron, final String channel, final int streamId, final long producerId, final String hint)
    {
        final TxmonPublisher publisher = new TxmonPublisher(
            aeron, channel, streamId, producerId, 0, new BackoffIdleStrategy(), SEND_TIMEOUT_NS);
        synchronized (publishers)
        {
            publishers.add(publisher);
        }
        if (!publisher.awaitConnected(CONNECT_TIMEOUT_NS))
        {
            throw new IllegalStateException("producer " + producerId + " could not connect to the engine's ingest " +
                channel + " stream " + streamId + " in 10 s" + hint);
        }
        return publisher::send;
    }

    /**
     * Close every publisher of the step.
     */
    void closeAll()
    {
        synchronized (publishers)
        {
            CloseHelper.closeAll(publishers);
            publishers.clear();
        }
    }
}
