package io.txmon.perf;

import com.lmax.disruptor.BatchEventProcessor;
import com.lmax.disruptor.BatchEventProcessorBuilder;
import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.EventPoller;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.YieldingWaitStrategy;
import io.txmon.rules.TxEvent;
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

import java.util.concurrent.TimeUnit;

/**
 * The floor under {@link RuleBenchmark}: the same {@link TxEvent} slots, filled the same way from the same
 * {@link MixedStream}, through a raw Disruptor ring from one producer to one consumer that does nothing but
 * read one field, in ns per event.
 * <ul>
 *     <li>{@code batchEventProcessor}: the consumer is a {@link BatchEventProcessor} on its own thread
 *     ({@link YieldingWaitStrategy}); the benchmark thread claims, fills and publishes
 *     {@value #EVENTS_PER_INVOCATION} slots one by one, then waits for the consumer to have seen the last,
 *     so each invocation is end to end.</li>
 *     <li>{@code eventPoller}: one thread publishes a slot and polls it back through an {@link EventPoller},
 *     as a {@code RuleWorker} polls; no thread hand-off, the ring's own bookkeeping only.</li>
 * </ul>
 * The ring holds {@value #RING_SIZE} slots, each with one alert buffer of 32, as a one-worker engine's.
 */
@Fork(value = 1, jvmArgsAppend = { BenchmarkSupport.ADD_EXPORTS, BenchmarkSupport.ADD_OPENS_ZIP })
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Thread)
public class RawDisruptorBaseline
{
    /** Events per timed invocation. */
    static final int EVENTS_PER_INVOCATION = RuleBenchmark.STREAM_LENGTH;

    /** Slots in each ring. */
    static final int RING_SIZE = 8192;

    private MixedStream stream;

    private RingBuffer<TxEvent> threadedRing;
    private BatchEventProcessor<TxEvent> processor;
    private Sequence processed;
    private Thread consumer;
    private final Reader threadedReader = new Reader();

    private RingBuffer<TxEvent> polledRing;
    private EventPoller<TxEvent> poller;
    private final PolledReader polledReader = new PolledReader();

    private long offset;

    /**
     * The one-field consumer of the threaded ring.
     */
    static final class Reader implements EventHandler<TxEvent>
    {
        long sum;

        @Override
        public void onEvent(final TxEvent event, final long sequence, final boolean endOfBatch)
        {
            sum += event.templateId;
        }
    }

    /**
     * The one-field consumer of the polled ring.
     */
    static final class PolledReader implements EventPoller.Handler<TxEvent>
    {
        long sum;

        @Override
        public boolean onEvent(final TxEvent event, final long sequence, final boolean endOfBatch)
        {
            sum += event.templateId;
            return true;
        }
    }

    /**
     * Build both rings and start the consumer thread.
     */
    @Setup(Level.Trial)
    public void setUp()
    {
        stream = new MixedStream(RuleBenchmark.STREAM_LENGTH, RuleBenchmark.ACCOUNTS, RuleBenchmark.SEED);

        threadedRing = RingBuffer.createSingleProducer(() -> new TxEvent(1, 32), RING_SIZE, new YieldingWaitStrategy());
        processor = new BatchEventProcessorBuilder().build(threadedRing, threadedRing.newBarrier(), threadedReader);
        processed = processor.getSequence();
        threadedRing.addGatingSequences(processed);
        consumer = new Thread(processor, "raw-disruptor-consumer");
        consumer.setDaemon(true);
        consumer.start();

        polledRing = RingBuffer.createSingleProducer(() -> new TxEvent(1, 32), RING_SIZE, new YieldingWaitStrategy());
        poller = polledRing.newPoller();
        polledRing.addGatingSequences(poller.getSequence());
    }

    /**
     * Stop the consumer thread.
     *
     * @throws InterruptedException if interrupted while joining it.
     */
    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException
    {
        processor.halt();
        consumer.join(10_000);
    }

    /**
     * Producer on the benchmark thread, {@link BatchEventProcessor} on its own.
     *
     * @return the sequence of the last event published.
     */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    @OperationsPerInvocation(EVENTS_PER_INVOCATION)
    public long batchEventProcessor()
    {
        final RingBuffer<TxEvent> ring = threadedRing;
        final MixedStream stream = this.stream;
        long offset = this.offset;
        long sequence = -1;
        for (int i = 0; i < EVENTS_PER_INVOCATION; i++)
        {
            sequence = ring.next();
            stream.fill(ring.get(sequence), offset++);
            ring.publish(sequence);
        }
        this.offset = offset;
        while (processed.get() < sequence)
        {
            Thread.onSpinWait();
        }
        return sequence;
    }

    /**
     * Publish one slot and poll it back, on one thread.
     *
     * @return the consumer's running sum.
     * @throws Exception never: the handler does not throw.
     */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    @OperationsPerInvocation(EVENTS_PER_INVOCATION)
    public long eventPoller() throws Exception
    {
        final RingBuffer<TxEvent> ring = polledRing;
        final EventPoller<TxEvent> poller = this.poller;
        final PolledReader reader = polledReader;
        final MixedStream stream = this.stream;
        long offset = this.offset;
        for (int i = 0; i < EVENTS_PER_INVOCATION; i++)
        {
            final long sequence = ring.next();
            stream.fill(ring.get(sequence), offset++);
            ring.publish(sequence);
            if (poller.poll(reader) != EventPoller.PollState.PROCESSING)
            {
                throw new IllegalStateException("published sequence " + sequence + " was not polled");
            }
        }
        this.offset = offset;
        return reader.sum;
    }
}
