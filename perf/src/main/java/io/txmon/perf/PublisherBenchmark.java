package io.txmon.perf;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import io.txmon.events.EventEnvelope;
import io.txmon.events.codec.AckEncoder;
import io.txmon.events.codec.MessageHeaderEncoder;
import io.txmon.transport.EmbeddedDriver;
import io.txmon.transport.TransportConfiguration;
import io.txmon.transport.TxmonPublisher;
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
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Cost of the producer client's hot path, {@link TxmonPublisher}: take the payment encoder, set its fields, and
 * {@link TxmonPublisher#send()} it (validate with the engine's own rules, keep it for resending when
 * acknowledgements are on, offer it on its exclusive publication), in ns per event; next to it, in the same run,
 * the raw {@link ExclusivePublication#offer} of the same bytes, so that the client's overhead is a ratio.
 * <p>
 * Both publish to {@code aeron:ipc} on an embedded media driver of their own (the engine's {@code compact}
 * profile) under {@code /dev/shm}, and a drain thread stands in for the engine's sequencer: it polls the ingest
 * subscription {@value #FRAGMENT_LIMIT} fragments at a time and counts them, idling with the engine's back-off
 * when a poll is empty. The payment is {@code IngestThroughput}'s: the same fields, {@link IngestThroughput#fillPayment},
 * and the same {@link IngestThroughput#paymentLength()} bytes, which the raw offer sends pre-encoded.
 * <ul>
 *     <li>{@code send}, {@code acks=false}: a publisher built without an acknowledgement channel, the
 *     fire-and-forget client: encode, validate, offer.</li>
 *     <li>{@code send}, {@code acks=true}: a publisher with an acknowledgement channel; the drain thread answers
 *     as the engine does, one {@code Ack} of the last sequence it has taken after every poll that took
 *     something (the sequencer acknowledges once per duty cycle). Every send also polls the acknowledgements,
 *     drops what they cover from its buffer of unacknowledged events, and copies the event into that
 *     buffer.</li>
 *     <li>{@code rawOffer}: {@link ExclusivePublication#offer} of the pre-encoded payment, nothing else.</li>
 * </ul>
 * A back-pressured offer is retried after {@link Thread#yield()} (the publisher's idle strategy is a
 * {@link YieldingIdleStrategy}, as in {@code IngestThroughput}); each iteration prints how many offers were
 * back-pressured. On two cores the drain thread and the driver (which moves the publication's limit as the
 * subscriber advances) share the cores with the benchmark thread, so some back-pressure is part of both
 * figures alike.
 * <p>
 * Allocation: run with {@code -prof gc}; {@code gc.alloc.rate.norm} (every thread of the JVM) should be about
 * 0 B/op for every row.
 */
@Fork(value = 1, jvmArgsAppend = { BenchmarkSupport.ADD_EXPORTS, BenchmarkSupport.ADD_OPENS_ZIP })
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PublisherBenchmark
{
    /** Fragments per poll of the drain thread; the same as the sequencer's default. */
    static final int FRAGMENT_LIMIT = IngestThroughput.FRAGMENT_LIMIT;

    private static final String CHANNEL = "aeron:ipc";
    private static final int STREAM_ID = TransportConfiguration.DEFAULT_INGEST_STREAM_ID;
    private static final String ACK_CHANNEL = TransportConfiguration.DEFAULT_ACK_CHANNEL;
    private static final int ACK_STREAM_ID = TransportConfiguration.DEFAULT_ACK_STREAM_ID;
    private static final long PRODUCER_ID = 1;
    private static final long SEND_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);
    private static final long CONNECT_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);

    /**
     * A driver, a client, and the drain thread on the ingest subscription.
     */
    abstract static class DrainedState
    {
        Path aeronDir;
        MediaDriver driver;
        Aeron aeron;
        Subscription ingest;
        Publication acks;
        Drainer drainer;
        Thread drainerThread;

        void open(final String name, final boolean withAcks)
        {
            aeronDir = BenchmarkSupport.aeronDirectory(name);
            driver = EmbeddedDriver.launch(aeronDir.toString(), false);
            aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(aeronDir.toString()));
            ingest = aeron.addSubscription(CHANNEL, STREAM_ID);
            acks = withAcks ? aeron.addPublication(ACK_CHANNEL, ACK_STREAM_ID) : null;
            drainer = new Drainer(ingest, acks);
            drainerThread = new Thread(drainer, "publisher-drain");
            drainerThread.setDaemon(true);
            drainerThread.start();
        }

        void close() throws IOException, InterruptedException
        {
            if (null != drainer)
            {
                drainer.running = false;
                drainerThread.join(10_000);
                if (null != drainer.failure)
                {
                    System.out.println("WARNING: the drain thread failed: " + drainer.failure);
                }
            }
            CloseHelper.quietCloseAll(acks, ingest, aeron, driver);
            BenchmarkSupport.deleteRecursively(aeronDir);
        }
    }

    /**
     * A {@link TxmonPublisher}, with or without acknowledgements.
     */
    @State(Scope.Thread)
    public static class PublisherState extends DrainedState
    {
        /** True for a publisher with an acknowledgement channel, answered by the drain thread. */
        @Param({ "false", "true" })
        public boolean acks;

        TxmonPublisher publisher;
        private long backPressuredBefore;
        private long sentBefore;

        /**
         * Launch the driver, start the drain thread, and connect the publisher.
         */
        @Setup(Level.Trial)
        public void setUp()
        {
            open("publisher", acks);
            final TxmonPublisher.Context ctx = new TxmonPublisher.Context()
                .aeron(aeron)
                .channel(CHANNEL)
                .streamId(STREAM_ID)
                .producerId(PRODUCER_ID)
                .idleStrategy(new YieldingIdleStrategy())
                .sendTimeoutNs(SEND_TIMEOUT_NS);
            if (acks)
            {
                ctx.ackChannel(ACK_CHANNEL).ackStreamId(ACK_STREAM_ID);
            }
            publisher = new TxmonPublisher(ctx);
            if (!publisher.awaitConnected(CONNECT_TIMEOUT_NS))
            {
                throw new IllegalStateException("the publisher did not connect within 10 s");
            }
        }

        /**
         * Note where the iteration starts.
         */
        @Setup(Level.Iteration)
        public void startIteration()
        {
            backPressuredBefore = publisher.backPressureCount();
            sentBefore = publisher.nextProducerSeq();
        }

        /**
         * Print the sends and back-pressured offers of the iteration.
         */
        @TearDown(Level.Iteration)
        public void endIteration()
        {
            System.out.printf("%n[acks=%s] %,d sends, %,d back-pressured offers, %,d resent%n", acks,
                publisher.nextProducerSeq() - sentBefore, publisher.backPressureCount() - backPressuredBefore,
                publisher.resendCount());
        }

        /**
         * Close the publisher, then everything else.
         *
         * @throws IOException          if the driver's directory cannot be deleted.
         * @throws InterruptedException if interrupted while joining the drain thread.
         */
        @TearDown(Level.Trial)
        public void tearDown() throws IOException, InterruptedException
        {
            CloseHelper.quietClose(publisher);
            close();
        }
    }

    /**
     * An exclusive publication and the pre-encoded payment.
     */
    @State(Scope.Thread)
    public static class RawState extends DrainedState
    {
        final IdleStrategy idle = new YieldingIdleStrategy();
        ExclusivePublication publication;
        UnsafeBuffer message;
        int length;
        long backPressured;
        long offered;

        /**
         * Launch the driver, start the drain thread, and connect the publication.
         */
        @Setup(Level.Trial)
        public void setUp()
        {
            open("publisher-raw", false);
            publication = aeron.addExclusivePublication(CHANNEL, STREAM_ID);
            RawAeronIpcBaseline.awaitConnected(publication, ingest);
            message = new UnsafeBuffer(BufferUtil.allocateDirectAligned(256, 64));
            length = IngestThroughput.encodePayment(message, PRODUCER_ID, 0);
        }

        /**
         * Print the offers and back-pressured offers of the iteration.
         */
        @TearDown(Level.Iteration)
        public void endIteration()
        {
            System.out.printf("%n[raw] %,d offers, %,d back-pressured%n", offered, backPressured);
            offered = 0;
            backPressured = 0;
        }

        /**
         * Close the publication, then everything else.
         *
         * @throws IOException          if the driver's directory cannot be deleted.
         * @throws InterruptedException if interrupted while joining the drain thread.
         */
        @TearDown(Level.Trial)
        public void tearDown() throws IOException, InterruptedException
        {
            CloseHelper.quietClose(publication);
            close();
        }
    }

    /**
     * One payment through the producer client.
     *
     * @param state the publisher.
     * @return the stream position.
     */
    @Benchmark
    public long send(final PublisherState state)
    {
        final TxmonPublisher publisher = state.publisher;
        IngestThroughput.fillPayment(publisher.payment(), PRODUCER_ID, publisher.nextProducerSeq());
        final long result = publisher.send();
        if (result < 0)
        {
            throw new IllegalStateException(TxmonPublisher.describe(result));
        }
        return result;
    }

    /**
     * The same bytes through the raw publication.
     *
     * @param state the publication and the message.
     * @return the stream position.
     */
    @Benchmark
    public long rawOffer(final RawState state)
    {
        final ExclusivePublication publication = state.publication;
        long result;
        while ((result = publication.offer(state.message, 0, state.length)) < 0)
        {
            if (result != Publication.BACK_PRESSURED && result != Publication.ADMIN_ACTION)
            {
                throw new IllegalStateException("offer failed with " + result);
            }
            state.backPressured++;
            state.idle.idle();
        }
        state.offered++;
        return result;
    }

    /**
     * Stands in for the sequencer: polls and counts, and with an acknowledgement publication answers every poll
     * that took something with one {@code Ack} of the last sequence taken.
     */
    static final class Drainer implements Runnable, FragmentHandler
    {
        private final Subscription subscription;
        private final Publication acks;
        private final UnsafeBuffer ackBuffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(64, 64));
        private final MessageHeaderEncoder ackHeader = new MessageHeaderEncoder();
        private final AckEncoder ack = new AckEncoder();
        private final int ackLength = MessageHeaderEncoder.ENCODED_LENGTH + AckEncoder.BLOCK_LENGTH;
        private long producerId;
        private long lastSeq = -1;
        private long taken;
        private boolean ackPending;
        volatile boolean running = true;
        volatile Throwable failure;

        Drainer(final Subscription subscription, final Publication acks)
        {
            this.subscription = subscription;
            this.acks = acks;
        }

        public void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
        {
            producerId = EventEnvelope.producerId(buffer, offset);
            lastSeq = EventEnvelope.producerSeq(buffer, offset);
            taken++;
        }

        public void run()
        {
            try
            {
                final IdleStrategy idle = EmbeddedDriver.backoff();
                while (running)
                {
                    final int fragments = subscription.poll(this, FRAGMENT_LIMIT);
                    ackPending |= fragments > 0 && null != acks;
                    if (ackPending)
                    {
                        ack.wrapAndApplyHeader(ackBuffer, 0, ackHeader)
                            .producerId(producerId)
                            .producerSeq(lastSeq)
                            .journalOffset(taken - 1)
                            .engineEpoch(1);
                        // as the sequencer: an ack that finds no room is tried again on the next duty cycle
                        final long result = acks.offer(ackBuffer, 0, ackLength);
                        ackPending = result < 0 && result != Publication.NOT_CONNECTED &&
                            result != Publication.CLOSED && result != Publication.MAX_POSITION_EXCEEDED;
                    }
                    idle.idle(fragments);
                }
            }
            catch (final Throwable ex)
            {
                failure = ex;
            }
        }
    }
}
