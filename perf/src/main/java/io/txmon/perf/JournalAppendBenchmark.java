package io.txmon.perf;

import io.txmon.journal.JournalWriter;
import io.txmon.journal.RetentionPolicy;
import org.agrona.CloseHelper;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.agrona.concurrent.SystemEpochNanoClock;
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
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Cost of {@link JournalWriter#append}: one framed record per operation (header, payload copy, CRC32C
 * over the frame, release of the length), timestamps increasing, into a memory-mapped segment. The
 * payload sizes bracket the SBE events txmon journals. {@link RawMappedWriteBaseline} writes the same
 * bytes with no framing logic and is the denominator for "append throughput at least 70% of raw".
 * <p>
 * Two figures, because a segment roll is expensive: a writer opened on its own (no maintenance agent
 * preparing segments on another thread) creates the next segment at the roll, on the appending thread,
 * by writing all of its bytes as zeros and forcing them to disk. That takes about two seconds per GiB on
 * a cloud disk, while appends fill a GiB in a fraction of a second, so rolls are never rare in a
 * benchmark that appends flat out.
 * <ul>
 *     <li>{@code append} / {@code appendAverageTime}: the append path in steady state. Records are
 *     appended in batches of {@value #BATCH} and, outside the timed region, a fresh journal (one
 *     pre-allocated segment of {@code segmentLength}, 1 GiB by default) is swapped in before a batch
 *     could roll, so no roll is ever timed. Each fresh segment is first touched by the timed appends, so
 *     the page faults of a new mapping are included, as they are in production. This is the figure to
 *     compare with the raw baseline.</li>
 *     <li>{@code appendWithRolls}: sustained appending by a writer opened with
 *     {@link JournalWriter#open(Path, int)} and nothing else, one append per operation, every roll and
 *     whatever the writer does at a roll on the appending thread, with the default segment length of
 *     64 MiB. The journal persists across iterations so every iteration pays the rolls it causes; a
 *     fresh directory is only started at an iteration boundary once {@value #SUSTAINED_DISK_BUDGET} bytes
 *     have been written, which keeps the disk from filling in long runs. Each iteration prints its record
 *     and roll counts.</li>
 * </ul>
 * Allocation: run with {@code -prof gc}; {@code gc.alloc.rate.norm} should be about 0 B/op for
 * {@code append}, and only what a roll allocates, divided by the records per segment, for
 * {@code appendWithRolls}.
 */
@Fork(value = 2, jvmArgsAppend = { BenchmarkSupport.ADD_EXPORTS, BenchmarkSupport.ADD_OPENS_ZIP })
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class JournalAppendBenchmark
{
    /** Appends per timed invocation of the steady-state benchmarks. */
    static final int BATCH = 10_000;

    /** Bytes the sustained benchmark may write to one directory before a fresh one is started: 8 GiB. */
    static final long SUSTAINED_DISK_BUDGET = 8L * 1024 * 1024 * 1024;

    /**
     * Throughput of the append path, no segment rolls timed.
     *
     * @param state writer and payload.
     * @return the last offset appended.
     */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(BATCH)
    public long append(final SteadyState state)
    {
        return state.appendBatch();
    }

    /**
     * Average time of one append, no segment rolls timed: the same work as {@link #append}.
     *
     * @param state writer and payload.
     * @return the last offset appended.
     */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    @OperationsPerInvocation(BATCH)
    public long appendAverageTime(final SteadyState state)
    {
        return state.appendBatch();
    }

    /**
     * Throughput of appending with segment rolls on the appending thread.
     *
     * @param state writer and payload.
     * @return the offset appended.
     */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public long appendWithRolls(final SustainedState state)
    {
        return state.appendOne();
    }

    /**
     * A writer that never rolls while timed: a fresh journal replaces it, untimed, before it could.
     */
    @State(Scope.Thread)
    public static class SteadyState
    {
        /** Payload bytes per record. */
        @Param({ "64", "256" })
        public int payloadSize;

        /** Segment length of each fresh journal: 1 GiB, so fresh journals are needed rarely. */
        @Param({ "1073741824" })
        public int segmentLength;

        private Path baseDir;
        private Path journalDir;
        private int journalCount;
        private JournalWriter writer;
        private UnsafeBuffer payload;
        private long capacity;
        private long timestamp;

        /**
         * Create the payload and the first journal.
         *
         * @throws IOException if the temporary directory cannot be created.
         */
        @Setup(Level.Trial)
        public void setUp() throws IOException
        {
            baseDir = BenchmarkSupport.createTempDirectory("append");
            payload = BenchmarkSupport.payload(payloadSize, payloadSize);
            capacity = BenchmarkSupport.recordsPerSegment(segmentLength, payloadSize);
            timestamp = BenchmarkSupport.FIRST_TIMESTAMP;
            if (capacity < BATCH)
            {
                throw new IllegalStateException("segmentLength " + segmentLength + " holds only " + capacity +
                    " records of " + payloadSize + " bytes, fewer than a batch of " + BATCH);
            }
            openFreshJournal();
        }

        /**
         * Untimed: replace the journal with a fresh one if the next batch could roll its segment.
         *
         * @throws IOException if the old journal cannot be deleted.
         */
        @Setup(Level.Invocation)
        public void makeRoom() throws IOException
        {
            if (writer.nextOffset() + BATCH > capacity)
            {
                closeAndDeleteJournal();
                openFreshJournal();
            }
        }

        /**
         * Close the writer and delete every journal.
         *
         * @throws IOException if a directory cannot be deleted.
         */
        @TearDown(Level.Trial)
        public void tearDown() throws IOException
        {
            try
            {
                closeAndDeleteJournal();
            }
            finally
            {
                BenchmarkSupport.deleteRecursively(baseDir);
            }
        }

        long appendBatch()
        {
            final JournalWriter writer = this.writer;
            final UnsafeBuffer payload = this.payload;
            final int length = payloadSize;
            long timestamp = this.timestamp;
            long offset = 0;
            for (int i = 0; i < BATCH; i++)
            {
                offset = writer.append(payload, 0, length, BenchmarkSupport.TEMPLATE_ID, ++timestamp);
                if (offset < 0)
                {
                    throw new IllegalStateException("append failed with status " + offset);
                }
            }
            this.timestamp = timestamp;

            return offset;
        }

        private void openFreshJournal()
        {
            journalDir = baseDir.resolve("journal-" + journalCount++);
            writer = JournalWriter.open(journalDir, segmentLength);
        }

        private void closeAndDeleteJournal() throws IOException
        {
            if (null != writer)
            {
                writer.close();
                writer = null;
                final int segments = BenchmarkSupport.countFilesOfLength(journalDir, segmentLength);
                if (segments != 1)
                {
                    System.out.println("WARNING: " + journalDir + " holds " + segments + " segments: a roll may " +
                        "have been timed; the records-per-segment estimate is wrong for this journal format");
                }
            }
            BenchmarkSupport.deleteRecursively(journalDir);
        }
    }

    /**
     * A writer that rolls on the appending thread, kept across iterations.
     */
    @State(Scope.Thread)
    public static class SustainedState
    {
        /** Payload bytes per record. */
        @Param({ "64", "256" })
        public int payloadSize;

        /** Segment length: the production default, {@link JournalWriter#DEFAULT_SEGMENT_LENGTH}. */
        @Param({ "67108864" })
        public int segmentLength;

        /**
         * True to run the writer's {@link io.txmon.journal.JournalMaintenanceAgent} on its own thread, as the
         * engine does, so segments are prepared (and pre-touched) and sealed off the appending thread; false
         * for the fallback where the appending thread does both at each roll.
         */
        @Param({ "false", "true" })
        public boolean maintenance;

        private AgentRunner maintenanceRunner;
        private Path baseDir;
        private Path journalDir;
        private int journalCount;
        private JournalWriter writer;
        private UnsafeBuffer payload;
        private long timestamp;
        private long recordsAtIterationStart;
        private int segmentsAtIterationStart;

        /**
         * Create the payload and the temporary directory.
         *
         * @throws IOException if the directory cannot be created.
         */
        @Setup(Level.Trial)
        public void setUp() throws IOException
        {
            baseDir = BenchmarkSupport.createTempDirectory("append-rolls");
            payload = BenchmarkSupport.payload(payloadSize, payloadSize);
            timestamp = BenchmarkSupport.FIRST_TIMESTAMP;
        }

        /**
         * Keep the journal unless it has outgrown the disk budget, then start a fresh one.
         *
         * @throws IOException if the old journal cannot be deleted or the new one counted.
         */
        @Setup(Level.Iteration)
        public void startIteration() throws IOException
        {
            if (null == writer ||
                writer.nextOffset() * BenchmarkSupport.alignedFrameLength(payloadSize) > SUSTAINED_DISK_BUDGET)
            {
                closeAndDeleteJournal();
                journalDir = baseDir.resolve("journal-" + journalCount++);
                writer = JournalWriter.open(journalDir, segmentLength);
                if (maintenance)
                {
                    maintenanceRunner = new AgentRunner(
                        new SleepingMillisIdleStrategy(1),
                        Throwable::printStackTrace,
                        null,
                        writer.newMaintenanceAgent(RetentionPolicy.KEEP_ALL, new SystemEpochNanoClock()));
                    AgentRunner.startOnThread(maintenanceRunner);
                }
                System.out.println("(fresh journal " + journalDir.getFileName() + ")");
            }
            recordsAtIterationStart = writer.nextOffset();
            segmentsAtIterationStart = BenchmarkSupport.countFilesOfLength(journalDir, segmentLength);
        }

        /**
         * Print what the iteration appended and how many rolls it took.
         *
         * @throws IOException if the journal directory cannot be listed.
         */
        @TearDown(Level.Iteration)
        public void endIteration() throws IOException
        {
            final long records = writer.nextOffset() - recordsAtIterationStart;
            final int rolls = BenchmarkSupport.countFilesOfLength(journalDir, segmentLength) - segmentsAtIterationStart;
            System.out.println("(" + records + " records, " + rolls + " segment rolls in this iteration)");
        }

        /**
         * Close the writer and delete every journal.
         *
         * @throws IOException if a directory cannot be deleted.
         */
        @TearDown(Level.Trial)
        public void tearDown() throws IOException
        {
            try
            {
                closeAndDeleteJournal();
            }
            finally
            {
                BenchmarkSupport.deleteRecursively(baseDir);
            }
        }

        long appendOne()
        {
            final long offset = writer.append(payload, 0, payloadSize, BenchmarkSupport.TEMPLATE_ID, ++timestamp);
            if (offset < 0)
            {
                throw new IllegalStateException("append failed with status " + offset);
            }

            return offset;
        }

        private void closeAndDeleteJournal() throws IOException
        {
            // the maintenance agent stops before its writer closes
            CloseHelper.close(maintenanceRunner);
            maintenanceRunner = null;
            if (null != writer)
            {
                writer.close();
                writer = null;
            }
            BenchmarkSupport.deleteRecursively(journalDir);
        }
    }
}
