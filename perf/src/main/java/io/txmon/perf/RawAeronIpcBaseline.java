package io.txmon.perf;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import io.txmon.transport.EmbeddedDriver;
import io.txmon.transport.TransportConfiguration;
import org.agrona.BufferUtil;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.YieldingIdleStrategy;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The raw Aeron floor under txmon's ingest: one {@link ExclusivePublication} to one {@link Subscription} on
 * {@code aeron:ipc}, messages of exactly one payment as the producer client encodes it
 * ({@link IngestThroughput#paymentLength()} bytes, the same bytes as {@code IngestThroughput}'s
 * {@code raw-ipc} case), in messages per second. Each variant has its own embedded media driver
 * ({@link EmbeddedDriver}, the engine's {@code compact} profile: one shared driver thread with a back-off idle
 * strategy) under {@code /dev/shm}.
 * <ul>
 *     <li>{@code threaded}: the benchmark thread offers {@value #MESSAGES_PER_INVOCATION} messages (a
 *     back-pressured offer is retried after {@link Thread#yield()}: on two cores the subscriber or the driver
 *     needs the core more than a spin does), a subscriber thread polls
 *     {@value #FRAGMENT_LIMIT} fragments at a time and counts, idling with the engine's back-off when a poll is
 *     empty, and the invocation ends when the subscriber has counted the last: end to end, first offer to last
 *     receipt, as {@code PipelineBenchmark} and {@link RawDisruptorBaseline#batchEventProcessor} are. This is
 *     the denominator of the pipeline's "÷ raw Aeron IPC".</li>
 *     <li>{@code sameThread}: one thread offers {@value #FRAGMENT_LIMIT} messages, then polls them back, and so
 *     on: the cost of Aeron's log buffer alone, with no hand-off between cores and no scheduling.</li>
 * </ul>
 * Why both, on a 2-core machine: {@code threaded} has two busy threads (offerer and subscriber) and the
 * driver's thread, which must run to move the publication's limit as the subscriber advances. That is three
 * threads for two cores, exactly the sharing txmon's own ingest meets, so it is the honest denominator for an
 * end-to-end txmon figure measured the same way; it measures the machine's scheduling as much as Aeron. The
 * single-thread loop leaves the second core to the driver and involves no waiting on another thread, so it is
 * the latency-free throughput of the data structure: the ceiling, not a like-for-like comparison.
 * <p>
 * Not a JMH {@code @Group} of an offer thread and a poll thread: a group's score adds up the invocations of both
 * methods, a poll's invocation is not a message (it may read none or {@value #FRAGMENT_LIMIT}), and when an
 * iteration ends the offer side can be left back-pressured. Counting delivered messages per batch gives the
 * same definition of a message per second as every other end-to-end figure of the suite.
 * <p>
 * Allocation: run with {@code -prof gc}; {@code gc.alloc.rate.norm} (every thread of the JVM, the subscriber and
 * the driver's included) should be about 0 B/op.
 */
@Fork(value = 1, jvmArgsAppend = { BenchmarkSupport.ADD_EXPORTS, BenchmarkSupport.ADD_OPENS_ZIP })
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class RawAeronIpcBaseline
{
    /** Messages per timed invocation: the same batch as the pipeline's and the raw Disruptor's. */
    static final int MESSAGES_PER_INVOCATION = 65_536;

    /** Fragments per poll; the same as the sequencer's default and {@code IngestThroughput}'s subscriber. */
    static final int FRAGMENT_LIMIT = IngestThroughput.FRAGMENT_LIMIT;

    /** Longest an invocation may wait for its messages before the benchmark fails rather than hangs. */
    static final long DRAIN_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(30);

    private static final String CHANNEL = "aeron:ipc";
    private static final int STREAM_ID = TransportConfiguration.DEFAULT_INGEST_STREAM_ID;
    private static final long CONNECT_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);

    /**
     * A driver, a client, one publication and one subscription, and the payment offered.
     */
    abstract static class AeronState
    {
        Path aeronDir;
        MediaDriver driver;
        Aeron aeron;
        ExclusivePublication publication;
        Subscription subscription;
        UnsafeBuffer message;
        int length;

        void open(final String name)
        {
            aeronDir = BenchmarkSupport.aeronDirectory(name);
            driver = EmbeddedDriver.launch(aeronDir.toString(), false);
            aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(aeronDir.toString()));
            subscription = aeron.addSubscription(CHANNEL, STREAM_ID);
            publication = aeron.addExclusivePublication(CHANNEL, STREAM_ID);
            awaitConnected(publication, subscription);

            message = new UnsafeBuffer(BufferUtil.allocateDirectAligned(256, 64));
            length = IngestThroughput.encodePayment(message, 1, 0);
            if (length != IngestThroughput.paymentLength())
            {
                throw new IllegalStateException("message of " + length + " bytes, a payment is " +
                    IngestThroughput.paymentLength());
            }
        }

        void close() throws IOException
        {
            CloseHelper.quietCloseAll(publication, subscription, aeron, driver);
            BenchmarkSupport.deleteRecursively(aeronDir);
        }
    }

    /**
     * Offers on the benchmark thread, a subscriber thread counting.
     */
    @State(Scope.Thread)
    public static class ThreadedState extends AeronState
    {
        final IdleStrategy offerIdle = new YieldingIdleStrategy();
        Subscriber subscriber;
        Thread subscriberThread;
        long offered;

        /**
         * Launch the driver, connect, and start the subscriber.
         */
        @Setup(Level.Trial)
        public void setUp()
        {
            open("raw-ipc-threaded");
            subscriber = new Subscriber(subscription);
            subscriberThread = new Thread(subscriber, "raw-ipc-subscriber");
            subscriberThread.setDaemon(true);
            subscriberThread.start();
        }

        /**
         * Stop the subscriber, close everything and delete the driver's directory.
         *
         * @throws IOException          if the directory cannot be deleted.
         * @throws InterruptedException if interrupted while joining the subscriber.
         */
        @TearDown(Level.Trial)
        public void tearDown() throws IOException, InterruptedException
        {
            if (null != subscriber)
            {
                subscriber.running = false;
                subscriberThread.join(10_000);
            }
            close();
        }
    }

    /**
     * Offers and polls on the benchmark thread.
     */
    @State(Scope.Thread)
    public static class SameThreadState extends AeronState implements FragmentHandler
    {
        final IdleStrategy offerIdle = new YieldingIdleStrategy();
        long received;

        /**
         * Launch the driver and connect.
         */
        @Setup(Level.Trial)
        public void setUp()
        {
            open("raw-ipc-same-thread");
        }

        /**
         * Close everything and delete the driver's directory.
         *
         * @throws IOException if the directory cannot be deleted.
         */
        @TearDown(Level.Trial)
        public void tearDown() throws IOException
        {
            close();
        }

        /**
         * Count one message.
         */
        public void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
        {
            received++;
        }
    }

    /**
     * Offer a batch from the benchmark thread and wait until the subscriber thread has counted all of it.
     *
     * @param state publication and subscriber.
     * @return messages counted so far.
     */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(MESSAGES_PER_INVOCATION)
    public long threaded(final ThreadedState state)
    {
        final ExclusivePublication publication = state.publication;
        final DirectBuffer message = state.message;
        final int length = state.length;
        final IdleStrategy idle = state.offerIdle;
        for (int i = 0; i < MESSAGES_PER_INVOCATION; i++)
        {
            offer(publication, message, length, idle);
        }
        final long target = state.offered += MESSAGES_PER_INVOCATION;
        return state.subscriber.awaitCount(target);
    }

    /**
     * Offer {@value #FRAGMENT_LIMIT} messages and poll them back, on one thread, until a batch has gone through.
     *
     * @param state publication and subscription.
     * @return messages received so far.
     */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(MESSAGES_PER_INVOCATION)
    public long sameThread(final SameThreadState state)
    {
        final ExclusivePublication publication = state.publication;
        final Subscription subscription = state.subscription;
        final DirectBuffer message = state.message;
        final int length = state.length;
        final IdleStrategy idle = state.offerIdle;
        for (int sent = 0; sent < MESSAGES_PER_INVOCATION; sent += FRAGMENT_LIMIT)
        {
            for (int i = 0; i < FRAGMENT_LIMIT; i++)
            {
                offer(publication, message, length, idle);
            }
            final long target = state.received + FRAGMENT_LIMIT;
            while (state.received < target)
            {
                subscription.poll(state, FRAGMENT_LIMIT);
            }
        }
        return state.received;
    }

    /**
     * Offer until accepted; a back-pressured offer is retried after an idle.
     */
    static void offer(
        final ExclusivePublication publication, final DirectBuffer message, final int length, final IdleStrategy idle)
    {
        long result;
        while ((result = publication.offer(message, 0, length)) < 0)
        {
            if (result == Publication.CLOSED || result == Publication.MAX_POSITION_EXCEEDED ||
                result == Publication.NOT_CONNECTED)
            {
                throw new IllegalStateException("offer failed with " + result);
            }
            idle.idle();
        }
    }

    static void awaitConnected(final Publication publication, final Subscription subscription)
    {
        final long deadline = System.nanoTime() + CONNECT_TIMEOUT_NS;
        while (!publication.isConnected() || !subscription.isConnected())
        {
            if (System.nanoTime() - deadline > 0)
            {
                throw new IllegalStateException("publication and subscription did not connect within 10 s");
            }
            LockSupport.parkNanos(50_000);
        }
    }

    /**
     * Polls and counts, nothing else, publishing its count once per poll; idles with the engine's back-off.
     */
    static final class Subscriber implements Runnable, FragmentHandler
    {
        private final Subscription subscription;
        private final AtomicLong count = new AtomicLong();
        private long counted;
        volatile boolean running = true;
        volatile Throwable failure;

        Subscriber(final Subscription subscription)
        {
            this.subscription = subscription;
        }

        public void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
        {
            counted++;
        }

        public void run()
        {
            try
            {
                final IdleStrategy idle = EmbeddedDriver.backoff();
                final Subscription subscription = this.subscription;
                while (running)
                {
                    final int fragments = subscription.poll(this, FRAGMENT_LIMIT);
                    if (fragments > 0)
                    {
                        count.lazySet(counted);
                    }
                    idle.idle(fragments);
                }
            }
            catch (final Throwable ex)
            {
                failure = ex;
            }
        }

        /**
         * Wait, yielding, until the count reaches a target.
         *
         * @param target count to wait for.
         * @return the count.
         */
        long awaitCount(final long target)
        {
            long n;
            final long deadline = System.nanoTime() + DRAIN_TIMEOUT_NS;
            while ((n = count.get()) < target)
            {
                if (null != failure || System.nanoTime() - deadline > 0)
                {
                    throw new IllegalStateException(
                        "subscriber counted " + n + " of " + target + (null != failure ? ": " + failure : ""));
                }
                Thread.yield();
            }
            return n;
        }
    }
}
