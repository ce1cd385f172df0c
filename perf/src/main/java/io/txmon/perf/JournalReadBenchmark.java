package io.txmon.perf;

import io.txmon.journal.JournalReader;
import io.txmon.journal.JournalWriter;
import io.txmon.journal.RecordHandler;
import org.agrona.DirectBuffer;
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
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Cost of reading a journal with {@link JournalReader}, over a journal written once per trial
 * ({@code recordCount} records of {@code payloadSize} bytes, 2 million by default, in segments of the
 * production default length of 64 MiB). The page cache holds the whole journal, so this measures the
 * reader (frame checks, CRC32C, segment changes and mapping) rather than the disk.
 * <ul>
 *     <li>{@code read}: sequential read throughput, records per second. Each operation is one record
 *     delivered to a handler that reads the header fields and the first payload word; records are polled
 *     in batches of {@value #READ_BATCH}. At the end of the journal the reader seeks back to offset 0 and
 *     carries on, so a long run re-reads it and pays a segment change every segment.</li>
 *     <li>{@code seekByOffset}: random access, one {@link JournalReader#seek(long)} to a seeded random
 *     offset followed by a poll of that one record.</li>
 *     <li>{@code seekByTime}: the same by {@link JournalReader#seekTime(long)}.</li>
 * </ul>
 * Allocation: run with {@code -prof gc} and read {@code gc.alloc.rate.norm}: the read path should not
 * allocate per record; whatever a segment change or a seek allocates shows up there.
 */
@Fork(value = 2, jvmArgsAppend = { BenchmarkSupport.ADD_EXPORTS, BenchmarkSupport.ADD_OPENS_ZIP })
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Thread)
public class JournalReadBenchmark
{
    /** Records per timed invocation of {@link #read()}. */
    static final int READ_BATCH = 1000;

    /** Ingest time between consecutive records: a steady 1 million records per second. */
    static final long TIMESTAMP_STEP = 1000;

    private static final int SEEK_TARGETS = 4096;
    private static final int SEEK_MASK = SEEK_TARGETS - 1;
    private static final long SEEK_SEED = 0x7E57_5EEDL;

    /** Payload bytes per record. */
    @Param({ "64", "256" })
    public int payloadSize;

    /** Records in the journal. */
    @Param({ "2000000" })
    public int recordCount;

    /** Segment length of the journal: the production default, {@link JournalWriter#DEFAULT_SEGMENT_LENGTH}. */
    @Param({ "67108864" })
    public int segmentLength;

    private final RecordHandler handler = this::onRecord;
    private final long[] seekOffsets = new long[SEEK_TARGETS];
    private Path dir;
    private JournalReader reader;
    private int seekIndex;
    private long lastOffset;
    private long checksum;

    /**
     * Write the journal, open a reader at its start and draw the seek targets.
     *
     * @throws IOException if the temporary directory cannot be created.
     */
    @Setup(Level.Trial)
    public void setUp() throws IOException
    {
        dir = BenchmarkSupport.createTempDirectory("read");
        final UnsafeBuffer payload = BenchmarkSupport.payload(payloadSize, payloadSize);
        try (JournalWriter writer = JournalWriter.open(dir, segmentLength))
        {
            for (long offset = 0; offset < recordCount; offset++)
            {
                final long result = writer.append(
                    payload, 0, payloadSize, BenchmarkSupport.TEMPLATE_ID, timestampOf(offset));
                if (result != offset)
                {
                    throw new IllegalStateException("append of offset " + offset + " returned " + result);
                }
            }
        }

        reader = JournalReader.open(dir);

        final SplittableRandom random = new SplittableRandom(SEEK_SEED);
        for (int i = 0; i < SEEK_TARGETS; i++)
        {
            seekOffsets[i] = random.nextLong(recordCount);
        }
    }

    /**
     * Close the reader and delete the journal.
     *
     * @throws IOException if the journal cannot be deleted.
     */
    @TearDown(Level.Trial)
    public void tearDown() throws IOException
    {
        try
        {
            if (null != reader)
            {
                reader.close();
                reader = null;
            }
        }
        finally
        {
            BenchmarkSupport.deleteRecursively(dir);
        }
    }

    /**
     * Sequential read throughput: one record per operation.
     *
     * @return a checksum of what was read.
     */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(READ_BATCH)
    public long read()
    {
        final JournalReader reader = this.reader;
        int remaining = READ_BATCH;
        while (remaining > 0)
        {
            final int count = reader.poll(handler, remaining);
            if (0 == count && !reader.seek(0))
            {
                throw new IllegalStateException("cannot seek back to offset 0 of " + dir);
            }
            remaining -= count;
        }

        return checksum;
    }

    /**
     * Random access: seek to an offset, then read the record there.
     *
     * @return a checksum of what was read.
     */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public long seekByOffset()
    {
        final long offset = seekOffsets[seekIndex++ & SEEK_MASK];
        if (!reader.seek(offset) || reader.poll(handler, 1) != 1 || lastOffset != offset)
        {
            throw new IllegalStateException("seek to offset " + offset + " did not deliver that record");
        }

        return checksum;
    }

    /**
     * Random access by time: {@link JournalReader#seekTime(long)} to the timestamp of a seeded random
     * record, then a poll of that one record.
     *
     * @return a checksum of what was read.
     */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public long seekByTime()
    {
        final long offset = seekOffsets[seekIndex++ & SEEK_MASK];
        if (reader.seekTime(timestampOf(offset)) != offset || reader.poll(handler, 1) != 1 || lastOffset != offset)
        {
            throw new IllegalStateException("seek to the time of offset " + offset + " did not deliver that record");
        }

        return checksum;
    }

    /**
     * Ingest timestamp given to the record at an offset, so a time maps back to exactly one offset.
     *
     * @param offset of the record.
     * @return its timestamp.
     */
    static long timestampOf(final long offset)
    {
        return BenchmarkSupport.FIRST_TIMESTAMP + offset * TIMESTAMP_STEP;
    }

    private void onRecord(
        final long offset,
        final long timestamp,
        final int templateId,
        final DirectBuffer buffer,
        final int payloadOffset,
        final int payloadLength)
    {
        lastOffset = offset;
        checksum += timestamp + templateId + payloadLength + buffer.getLong(payloadOffset);
    }
}
