package io.txmon.perf;

import com.lmax.disruptor.RingBuffer;
import io.txmon.rules.Rule;
import io.txmon.rules.RuleWorker;
import io.txmon.rules.TxEvent;
import io.txmon.rules.typology.Typologies;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;
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

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Cost of evaluating the built-in typologies on one ring slot, each rule alone and the whole set in one
 * {@link RuleWorker}, in ns per event, on warm state.
 * <p>
 * The events are a seeded {@link MixedStream} of {@value #STREAM_LENGTH} slots (60% payments, 20% orders,
 * 10% executions, 10% account updates) over {@value #ACCOUNTS} accounts, replayed round and round with
 * offsets and event times that keep increasing. The trial set-up runs {@value #WARM_LAPS} laps of the
 * stream through the worker before JMH's own warm-up, so every key's state exists and what is measured is
 * the steady state of a worker whose key space is already known.
 * <p>
 * Each operation is what the sequencer and a rule worker do to one slot on the same thread: reset the slot
 * and fill its fields from the pre-generated arrays (which also empties its alert buffer, which only
 * {@link TxEvent#reset()} clears), then {@link RuleWorker#evaluate(TxEvent)}. The fill is part of every
 * row, "all" included; {@link RawDisruptorBaseline} measures the same fill plus the Disruptor hand-off with
 * no rules. The worker is built as in the rules tests: on a poller it never polls, with no thread.
 * <p>
 * Allocation: run with {@code -prof gc}; {@code gc.alloc.rate.norm} should be about 0 B/op for every rule
 * once warm.
 */
@Fork(value = 1, jvmArgsAppend = { BenchmarkSupport.ADD_EXPORTS, BenchmarkSupport.ADD_OPENS_ZIP })
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Thread)
public class RuleBenchmark
{
    /** Distinct events in the stream, and events per timed invocation. */
    static final int STREAM_LENGTH = 65_536;

    /** Size of the account (and party) key space. */
    static final int ACCOUNTS = 10_000;

    /** Laps of the stream run in the trial set-up, before JMH's warm-up. */
    static final int WARM_LAPS = 4;

    /** Threshold of the large-amount rule, in minor units. */
    static final long LARGE_AMOUNT_THRESHOLD = 1_000_000L;

    /** Seed of the stream. */
    static final long SEED = 0x7E57_5EEDL;

    /** Name that selects the whole default set in one worker. */
    static final String ALL = "all";

    /** A rule name from {@link Typologies#defaults(long, long[], long[])}, or {@value #ALL}. */
    @Param({
        "large-amount",
        "large-vs-history",
        "velocity-count",
        "velocity-sum",
        "structuring",
        "repeated-similar-amounts",
        "round-amounts",
        "fan-in",
        "fan-out",
        "pass-through",
        "dormant-reactivated",
        "new-account-large",
        "new-payee-large",
        "card-testing",
        "impossible-travel",
        "high-risk-country",
        "watch-list",
        "cycle",
        "wash-trade",
        "spoofing",
        "layering",
        "excessive-cancels",
        "marking-the-close",
        "flow-through",
        ALL,
    })
    public String ruleName;

    private final TxEvent slot = new TxEvent(1, 32);
    private MixedStream stream;
    private RuleWorker worker;
    private AtomicCounter ruleErrors;
    private long offset;
    private long alerts;
    private long events;

    /**
     * Build the stream and the worker, and warm the worker's state.
     */
    @Setup(Level.Trial)
    public void setUp()
    {
        stream = new MixedStream(STREAM_LENGTH, ACCOUNTS, SEED);
        worker = worker(select(ruleName));
        for (long i = 0, end = (long)WARM_LAPS * STREAM_LENGTH; i < end; i++)
        {
            stream.fill(slot, offset++);
            worker.evaluate(slot);
        }
        alerts = 0;
        events = 0;
    }

    /**
     * Print the alert rate of the iteration, so a rule that never fires on this stream is visible.
     */
    @TearDown(Level.Iteration)
    public void afterIteration()
    {
        if (ruleErrors.get() != 0)
        {
            throw new IllegalStateException(ruleErrors.get() + " rule errors");
        }
        System.out.printf("%n[%s] %,d events, %,d alerts (%.3f%%)%n",
            ruleName, events, alerts, 100.0 * alerts / Math.max(1, events));
        alerts = 0;
        events = 0;
    }

    /**
     * Fill one slot and evaluate it, {@value #STREAM_LENGTH} times.
     *
     * @return alerts raised so far in the iteration.
     */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    @OperationsPerInvocation(STREAM_LENGTH)
    public long evaluate()
    {
        final TxEvent slot = this.slot;
        final MixedStream stream = this.stream;
        final RuleWorker worker = this.worker;
        long offset = this.offset;
        long alerts = this.alerts;
        for (int i = 0; i < STREAM_LENGTH; i++)
        {
            stream.fill(slot, offset++);
            worker.evaluate(slot);
            alerts += slot.alerts(0).count();
        }
        this.offset = offset;
        this.alerts = alerts;
        events += STREAM_LENGTH;
        return alerts;
    }

    private static Rule[] select(final String name)
    {
        final Rule[] rules = Typologies.defaults(LARGE_AMOUNT_THRESHOLD, watchedAccounts(), new long[]{ 5, 6 });
        if (ALL.equals(name))
        {
            return rules;
        }
        final List<String> names = new ArrayList<>();
        for (final Rule rule : rules)
        {
            if (rule.name().equals(name))
            {
                return new Rule[]{ rule };
            }
            names.add(rule.name());
        }
        throw new IllegalArgumentException("no rule named " + name + " in " + names);
    }

    /**
     * @return a watch list of 1% of the key space.
     */
    private static long[] watchedAccounts()
    {
        final long[] watched = new long[ACCOUNTS / 100];
        for (int i = 0; i < watched.length; i++)
        {
            watched[i] = 1 + i * 100L;
        }
        return watched;
    }

    private RuleWorker worker(final Rule[] rules)
    {
        final RingBuffer<TxEvent> ring = RingBuffer.createSingleProducer(() -> new TxEvent(1, 32), 4);
        final CountersManager counters = new CountersManager(
            new UnsafeBuffer(ByteBuffer.allocateDirect(16 * 1024)),
            new UnsafeBuffer(ByteBuffer.allocateDirect(2 * 1024)));
        ruleErrors = counters.newCounter("rule errors");
        return new RuleWorker(0, 1, ring.newPoller(), rules,
            (rule, offset, error) ->
            {
                throw new IllegalStateException("rule " + rule.name() + " threw at offset " + offset, error);
            },
            counters.newCounter("evaluated"), ruleErrors, 1024);
    }
}
