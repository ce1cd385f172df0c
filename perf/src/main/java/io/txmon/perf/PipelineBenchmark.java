package io.txmon.perf;

import io.txmon.events.EventEnvelope;
import io.txmon.events.codec.MessageHeaderDecoder;
import io.txmon.events.codec.Severity;
import io.txmon.journal.Durability;
import io.txmon.journal.RetentionPolicy;
import io.txmon.rules.Rule;
import io.txmon.scenario.ScenarioGenerator;
import io.txmon.rules.typology.LargeAmountRule;
import io.txmon.sequencer.Engine;
import io.txmon.sequencer.EngineCounters;
import io.txmon.sequencer.EngineErrors;
import io.txmon.transport.IngestHandler;
import org.agrona.BufferUtil;
import org.agrona.CloseHelper;
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.concurrent.AgentInvoker;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The in-process pipeline without Aeron carrying the events: what {@link Engine} wires (journal with its
 * maintenance thread, Disruptor ring, sequencer, rule worker and alert sink, the {@code compact} profile), fed by
 * the benchmark thread, in events per second from hand-off to decision.
 * <p>
 * The benchmark thread is the sequencer's thread: the engine is launched with
 * {@link Engine.Context#useSequencerAgentInvoker(boolean)}, and every message goes to
 * {@link Engine#sequencerIngestHandler()}, which validates it, drops duplicates, stamps offset and ingest time,
 * appends it to the journal and publishes the slot, exactly as for a message polled from the ingest stream. The
 * sequencer's duty cycle ({@link Engine#sequencerAgentInvoker()}: acknowledgements, journal flush) is invoked
 * after every {@value #FRAGMENT_LIMIT} messages, as often as the sequencer's thread runs it after a full poll.
 * The rule worker and the alert sink run composed on the engine's second thread with the engine's back-off
 * idle; the journal's maintenance agent prepares, seals (SHA-256) and deletes segments on a third.
 * An invocation hands off {@value #EVENTS_PER_INVOCATION} events and then waits, yielding, until the alert sink
 * has passed every one ({@link EngineCounters#decided()}), so each is end to end; a full ring makes the hand-off
 * wait for a free slot.
 * <p>
 * The media driver is still there, because the engine keeps its counters in the driver's counters file and
 * publishes alerts and acknowledgements on Aeron; no event passes through it, nobody subscribes to alerts or
 * acknowledgements (an offer finds no subscriber and returns at once), and its one shared thread idles with the
 * back-off. Nothing else of the monitor is wired: no reject log, no latency histograms.
 * <p>
 * The events are a {@link ScenarioGenerator} stream (seed {@value #SEED}, default options: 50,000 accounts,
 * payments, orders, executions and account updates, with planted cases of every typology) of
 * {@value #STREAM_LENGTH} messages, encoded once in the trial set-up and handed off round and round. So that a
 * lap is new to the engine, before each hand-off the benchmark thread writes two longs into the message: the
 * producer sequence, which keeps counting (the sequencer would drop a repeat as a duplicate), and the event time,
 * moved on by one stream span per lap (the rules' windows run on event time). Journal: {@code os} durability,
 * the default 64 MiB segments, an alert journal beside it (as {@code txmon run} has), retention of
 * {@value #RETAINED_BYTES} bytes so that long runs do not fill the disk; all under {@code java.io.tmpdir}, the
 * driver under {@code /dev/shm}.
 * <ul>
 *     <li>{@code rules=quiet}: one large-amount rule with a threshold no event reaches: the pipeline with the
 *     rules stage as cheap as it gets, nothing alerting.</li>
 *     <li>{@code rules=default}: every built-in typology, {@link ScenarioGenerator#newRules()}; the planted cases
 *     and the background raise alerts, which the sink encodes, journals and offers.</li>
 * </ul>
 * On a 2-core machine the sequencer (this thread) and the rules thread are busy, and the maintenance thread,
 * the driver and the Aeron client's conductor wake up now and then; every iteration prints the events, alerts
 * and journal bytes it produced. {@code RawAeronIpcBaseline.threaded} and
 * {@code RawDisruptorBaseline.batchEventProcessor} are the raw hand-offs measured the same way.
 * <p>
 * Allocation: run with {@code -prof gc}; {@code gc.alloc.rate.norm} counts every thread of the JVM (the rules,
 * the maintenance agent and the driver included) and should be about 0 B/op once warm. With the default rules,
 * warm means after the first lap or so, while the rules create the state of every account and party: smoke
 * settings ({@code -wi 1 -w 1s}) do not get that far and show hundreds of bytes per event.
 */
@Fork(value = 1, jvmArgsAppend = { BenchmarkSupport.ADD_EXPORTS, BenchmarkSupport.ADD_OPENS_ZIP })
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Thread)
public class PipelineBenchmark
{
    /** Events per timed invocation: the same batch as the raw Aeron and raw Disruptor baselines. */
    static final int EVENTS_PER_INVOCATION = 65_536;

    /** Messages in the pre-generated stream: a power of two, several invocations per lap. */
    static final int STREAM_LENGTH = 1 << 18;

    /** Messages between two invocations of the sequencer's duty cycle: its default fragment limit. */
    static final int FRAGMENT_LIMIT = IngestThroughput.FRAGMENT_LIMIT;

    /** Seed of the scenario stream. */
    static final long SEED = 0x7E57_5EEDL;

    /** Journal bytes kept: older sealed segments are deleted by the engine's retention. */
    static final long RETAINED_BYTES = 1L << 30;

    /** Longest an invocation may wait for its events to be decided before the benchmark fails, not hangs. */
    static final long DRAIN_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(60);

    private static final ByteOrder ORDER = MessageHeaderDecoder.BYTE_ORDER;
    /** Aeron's frame alignment: where messages start in a term buffer. */
    private static final int MESSAGE_ALIGNMENT = 32;

    /** {@code quiet}: one large-amount rule that never fires; {@code default}: every built-in typology. */
    @Param({ "quiet", "default" })
    public String rules;

    private Path baseDir;
    private Path aeronDir;
    private Engine engine;
    private EngineErrors errors;
    private EngineCounters counters;
    private IngestHandler sequencer;
    private AgentInvoker sequencerDutyCycle;

    private UnsafeBuffer messages;
    private int[] messageOffset;
    private int[] messageLength;
    private long[] eventTime;
    private long lapSpan;

    private long handedOff;
    private long configurationRecords;
    private long iterationStartEvents;
    private long iterationStartAlerts;
    private long iterationStartJournaled;

    /**
     * Generate and encode the stream, and launch the engine.
     *
     * @throws IOException if the temporary directory cannot be created.
     */
    @Setup(Level.Trial)
    public void setUp() throws IOException
    {
        final ScenarioGenerator generator = new ScenarioGenerator(SEED);
        encodeStream(generator);

        baseDir = BenchmarkSupport.createTempDirectory("pipeline");
        aeronDir = BenchmarkSupport.aeronDirectory("pipeline");
        errors = new EngineErrors();
        final Engine.Context ctx = new Engine.Context()
            .aeronDirectoryName(aeronDir.toString())
            .journalDir(baseDir.resolve("journal"))
            .alertJournalDir(baseDir.resolve("journal-alerts"))
            .durability(Durability.OS)
            .retention(new RetentionPolicy(Long.MAX_VALUE, RETAINED_BYTES))
            .errorHandler(errors)
            // each lap moves event time on by the stream's span, so after enough laps the events are dated
            // further ahead of the engine's clock than its default bound (one day) allows: by design here
            .maxEventTimeAheadNs(Long.MAX_VALUE)
            .useSequencerAgentInvoker(true);
        switch (rules)
        {
            case "quiet":
                ctx.rulesFactory((worker) -> new Rule[]{ new LargeAmountRule(Long.MAX_VALUE, Severity.HIGH) });
                break;
            case "default":
                ctx.rulesFactory((worker) -> generator.newRules());
                break;
            default:
                throw new IllegalArgumentException("rules must be quiet or default, was " + rules);
        }
        engine = Engine.launch(ctx);
        counters = engine.counters();
        sequencer = engine.sequencerIngestHandler();
        sequencerDutyCycle = engine.sequencerAgentInvoker();
        handedOff = 0;
        // the engine journals its rule configuration before any event
        configurationRecords = counters.journaled();
    }

    /**
     * Note where the iteration starts.
     */
    @Setup(Level.Iteration)
    public void startIteration()
    {
        iterationStartEvents = handedOff;
        iterationStartAlerts = counters.alerts();
        iterationStartJournaled = counters.journaled();
    }

    /**
     * Check that every event was journaled and decided with no error, and print what the iteration did.
     */
    @TearDown(Level.Iteration)
    public void endIteration()
    {
        final String problem = problem();
        if (null != problem)
        {
            throw new IllegalStateException(problem);
        }
        final long events = handedOff - iterationStartEvents;
        final long alerts = counters.alerts() - iterationStartAlerts;
        System.out.printf("%n[%s] %,d events, %,d alerts (%.3f%%), %,d journaled%n", rules, events, alerts,
            100.0 * alerts / Math.max(1, events), counters.journaled() - iterationStartJournaled);
    }

    /**
     * Close the engine and delete its journals and the driver's directory.
     *
     * @throws IOException if a directory cannot be deleted.
     */
    @TearDown(Level.Trial)
    public void tearDown() throws IOException
    {
        try
        {
            CloseHelper.close(engine);
        }
        finally
        {
            BenchmarkSupport.deleteRecursively(baseDir);
            BenchmarkSupport.deleteRecursively(aeronDir);
        }
    }

    /**
     * Hand off a batch to the sequencer and wait until the alert sink has passed all of it.
     *
     * @return events decided so far.
     */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(EVENTS_PER_INVOCATION)
    public long pipeline()
    {
        final IngestHandler sequencer = this.sequencer;
        final AgentInvoker dutyCycle = sequencerDutyCycle;
        final UnsafeBuffer messages = this.messages;
        final int[] messageOffset = this.messageOffset;
        final int[] messageLength = this.messageLength;
        final long[] eventTime = this.eventTime;
        final int mask = STREAM_LENGTH - 1;
        long seq = handedOff;
        for (int i = 0; i < EVENTS_PER_INVOCATION; i++)
        {
            final int index = (int)seq & mask;
            final int offset = messageOffset[index];
            messages.putLong(offset + EventEnvelope.PRODUCER_SEQ_OFFSET, seq, ORDER);
            messages.putLong(offset + EventEnvelope.EVENT_TIME_OFFSET,
                eventTime[index] + (seq / STREAM_LENGTH) * lapSpan, ORDER);
            sequencer.onMessage(messages, offset, messageLength[index]);
            if ((++seq & (FRAGMENT_LIMIT - 1)) == 0)
            {
                dutyCycle.invoke();
            }
        }
        handedOff = seq;
        return awaitDecided(seq);
    }

    private long awaitDecided(final long target)
    {
        final EngineCounters counters = this.counters;
        final long deadline = System.nanoTime() + DRAIN_TIMEOUT_NS;
        long decided;
        while ((decided = counters.decided()) < target)
        {
            if (System.nanoTime() - deadline > 0)
            {
                final String problem = problem();
                throw new IllegalStateException(String.format("%,d of %,d events decided after %d s%s", decided,
                    target, TimeUnit.NANOSECONDS.toSeconds(DRAIN_TIMEOUT_NS), null == problem ? "" : "; " + problem));
            }
            Thread.yield();
        }
        return decided;
    }

    private String problem()
    {
        if (counters.rejected() != 0 || counters.duplicates() != 0 || counters.journalErrors() != 0 ||
            counters.sequenceGaps() != 0 || counters.ruleErrors() != 0 || counters.alertJournalErrors() != 0)
        {
            return String.format("rejected %d, duplicates %d, journal errors %d, sequence gaps %d, rule errors %d, " +
                "alert journal errors %d (all should be 0)", counters.rejected(), counters.duplicates(),
                counters.journalErrors(), counters.sequenceGaps(), counters.ruleErrors(), counters.alertJournalErrors());
        }
        if (counters.journaled() - configurationRecords != handedOff)
        {
            return String.format("%,d journaled (less %,d configuration records the engine journaled at start) " +
                "of %,d handed off", counters.journaled(), configurationRecords, handedOff);
        }
        if (errors.count() != 0)
        {
            return errors.count() + " engine errors, first " + errors.distinct().get(0);
        }
        return null;
    }

    /**
     * Encode the stream once, each message at a 32-byte boundary of one direct buffer as in an Aeron term, and
     * note every message's offset, length and event time, and how far the event time moves in one lap.
     */
    private void encodeStream(final ScenarioGenerator generator)
    {
        final ExpandableDirectByteBuffer staging = new ExpandableDirectByteBuffer(STREAM_LENGTH * 128);
        messageOffset = new int[STREAM_LENGTH];
        messageLength = new int[STREAM_LENGTH];
        eventTime = new long[STREAM_LENGTH];
        final int[] count = new int[1];
        final int[] position = new int[1];
        generator.generate(STREAM_LENGTH, (buffer, offset, length) ->
        {
            final int i = count[0]++;
            messageOffset[i] = position[0];
            messageLength[i] = length;
            eventTime[i] = EventEnvelope.eventTime(buffer, offset);
            staging.putBytes(position[0], buffer, offset, length);
            position[0] += (length + MESSAGE_ALIGNMENT - 1) & -MESSAGE_ALIGNMENT;
        });
        if (count[0] != STREAM_LENGTH)
        {
            throw new IllegalStateException("the generator emitted " + count[0] + " of " + STREAM_LENGTH + " messages");
        }
        messages = new UnsafeBuffer(BufferUtil.allocateDirectAligned(position[0], 64));
        messages.putBytes(0, staging, 0, position[0]);
        // the next lap starts one mean gap after this one ends
        lapSpan = eventTime[STREAM_LENGTH - 1] - eventTime[0] + generator.meanGapNanos(STREAM_LENGTH);
    }
}
