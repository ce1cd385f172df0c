package io.txmon.perf;

import org.agrona.IoUtil;
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
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

/**
 * The raw baseline for {@link JournalAppendBenchmark}: sequential writes of exactly the bytes a framed
 * journal record occupies (32-byte header plus payload, aligned to 8) into a memory-mapped file, with no
 * CRC, no checks and no framing logic: plain {@code putLong}/{@code putInt} of the header words, a
 * {@code putBytes} of the payload, then advance. The header words are written in the journal's order,
 * the length last, but with a plain store where the journal uses a release store.
 * <p>
 * The file is one pre-allocated region of {@code segmentLength} bytes (the same as the journal's
 * segments), mapped once, with every page touched in setup; writes wrap around to its start when it is
 * full. So nothing here pays for allocation, rolls or first-touch page faults: this is the ceiling an
 * mmap writer on this machine can reach, and the denominator of "append throughput at least 70% of raw".
 * Records are written in batches of {@value JournalAppendBenchmark#BATCH}, the same loop shape and the
 * same untimed per-batch set-up hook as {@code JournalAppendBenchmark.append}; every record is still one
 * operation.
 * <p>
 * {@code -p freshFilePerLap=true} is a diagnostic, not the baseline: instead of wrapping, each lap gets
 * a new pre-allocated file (created untimed), and its pages are first touched by the timed writes, exactly
 * as the journal's steady-state benchmark meets each fresh segment. The difference between the two
 * settings is the cost of the page faults of a new mapping.
 */
@Fork(value = 2, jvmArgsAppend = { BenchmarkSupport.ADD_EXPORTS, BenchmarkSupport.ADD_OPENS_ZIP })
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Thread)
public class RawMappedWriteBaseline
{
    private static final int LENGTH_OFFSET = 0;
    private static final int CRC_OFFSET = 4;
    private static final int OFFSET_OFFSET = 8;
    private static final int TIMESTAMP_OFFSET = 16;
    private static final int TEMPLATE_ID_OFFSET = 24;
    private static final int RESERVED_OFFSET = 28;

    /** Payload bytes per record. */
    @Param({ "64", "256" })
    public int payloadSize;

    /** Length of the mapped file, the same as the journal benchmark's segments. */
    @Param({ "1073741824" })
    public int segmentLength;

    /** Diagnostic: a new, untouched file for every lap instead of wrapping around in one touched file. */
    @Param({ "false" })
    public boolean freshFilePerLap;

    private Path dir;
    private int fileCount;
    private Path file;
    private FileChannel channel;
    private MappedByteBuffer mapped;
    private UnsafeBuffer buffer;
    private UnsafeBuffer payload;
    private int frameLength;
    private int alignedLength;
    private int position;
    private long offset;
    private long timestamp;

    /**
     * Pre-allocate, map and touch the file.
     *
     * @throws IOException if the file cannot be created or mapped.
     */
    @Setup(Level.Trial)
    public void setUp() throws IOException
    {
        dir = BenchmarkSupport.createTempDirectory("raw");
        mapFreshFile();
        if (!freshFilePerLap)
        {
            BenchmarkSupport.touchPages(buffer);
        }

        payload = BenchmarkSupport.payload(payloadSize, payloadSize);
        frameLength = BenchmarkSupport.FRAME_HEADER_LENGTH + payloadSize;
        alignedLength = BenchmarkSupport.alignedFrameLength(payloadSize);
        position = 0;
        offset = 0;
        timestamp = BenchmarkSupport.FIRST_TIMESTAMP;
    }

    /**
     * Untimed: with {@code freshFilePerLap}, replace the file with a new one before a batch would wrap.
     *
     * @throws IOException if the old file cannot be deleted or the new one created.
     */
    @Setup(Level.Invocation)
    public void makeRoom() throws IOException
    {
        if (freshFilePerLap && position > segmentLength - JournalAppendBenchmark.BATCH * alignedLength)
        {
            unmapAndDelete();
            mapFreshFile();
            position = 0;
        }
    }

    /**
     * Unmap and delete the file.
     *
     * @throws IOException if it cannot be deleted.
     */
    @TearDown(Level.Trial)
    public void tearDown() throws IOException
    {
        try
        {
            unmapAndDelete();
        }
        finally
        {
            BenchmarkSupport.deleteRecursively(dir);
        }
    }

    /**
     * Throughput of raw record-sized writes.
     *
     * @return the position after the batch.
     */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(JournalAppendBenchmark.BATCH)
    public int write()
    {
        return writeBatch();
    }

    /**
     * Average time of one raw record-sized write: the same work as {@link #write}.
     *
     * @return the position after the batch.
     */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    @OperationsPerInvocation(JournalAppendBenchmark.BATCH)
    public int writeAverageTime()
    {
        return writeBatch();
    }

    private void mapFreshFile() throws IOException
    {
        file = dir.resolve("raw-" + fileCount++ + ".dat");
        BenchmarkSupport.preallocate(file, segmentLength);
        channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        mapped = channel.map(FileChannel.MapMode.READ_WRITE, 0, segmentLength);
        buffer = new UnsafeBuffer(mapped);
    }

    private void unmapAndDelete() throws IOException
    {
        if (null != mapped)
        {
            IoUtil.unmap(mapped);
            mapped = null;
            buffer = null;
        }
        if (null != channel)
        {
            channel.close();
            channel = null;
        }
        if (null != file)
        {
            Files.deleteIfExists(file);
            file = null;
        }
    }

    private int writeBatch()
    {
        final UnsafeBuffer buffer = this.buffer;
        final UnsafeBuffer payload = this.payload;
        final int payloadSize = this.payloadSize;
        final int frameLength = this.frameLength;
        final int alignedLength = this.alignedLength;
        final int limit = segmentLength - alignedLength;
        int position = this.position;
        long offset = this.offset;
        long timestamp = this.timestamp;

        for (int i = 0; i < JournalAppendBenchmark.BATCH; i++)
        {
            if (position > limit)
            {
                position = 0;
            }
            buffer.putLong(position + OFFSET_OFFSET, offset++);
            buffer.putLong(position + TIMESTAMP_OFFSET, ++timestamp);
            buffer.putInt(position + TEMPLATE_ID_OFFSET, BenchmarkSupport.TEMPLATE_ID);
            buffer.putInt(position + RESERVED_OFFSET, 0);
            buffer.putBytes(position + BenchmarkSupport.FRAME_HEADER_LENGTH, payload, 0, payloadSize);
            buffer.putInt(position + CRC_OFFSET, 0);
            buffer.putInt(position + LENGTH_OFFSET, frameLength);
            position += alignedLength;
        }

        this.position = position;
        this.offset = offset;
        this.timestamp = timestamp;

        return position;
    }
}
