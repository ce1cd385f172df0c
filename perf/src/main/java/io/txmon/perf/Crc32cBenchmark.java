package io.txmon.perf;

import org.agrona.checksum.Crc32c;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;

/**
 * The cost of the journal's per-record CRC32C alone, two ways over a direct buffer: the JDK's
 * {@link CRC32C} fed a ByteBuffer view (position and limit moved per record), and Agrona's
 * {@link Crc32c}, which calls the same JDK intrinsic with a raw address. Ranges are the bytes a frame's
 * CRC covers for 64- and 256-byte payloads (frame length - 8).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = { BenchmarkSupport.ADD_EXPORTS, BenchmarkSupport.ADD_OPENS_ZIP })
public class Crc32cBenchmark
{
    @Param({ "88", "280" })
    public int length;

    private final CRC32C jdk = new CRC32C();
    private ByteBuffer direct;
    private ByteBuffer view;
    private long address;
    private int index;

    @Setup
    public void setUp()
    {
        direct = ByteBuffer.allocateDirect(1024 * 1024);
        for (int i = 0; i < direct.capacity(); i++)
        {
            direct.put(i, (byte)i);
        }
        view = direct.duplicate();
        address = new UnsafeBuffer(direct).addressOffset();
    }

    private int nextIndex()
    {
        index = (index + 512) & (1024 * 1024 - 1024);
        return index + 8;
    }

    @Benchmark
    public int jdkByteBufferView()
    {
        final int at = nextIndex();
        jdk.reset();
        view.limit(at + length).position(at);
        jdk.update(view);
        return (int)jdk.getValue();
    }

    @Benchmark
    public int agronaAddress()
    {
        return Crc32c.INSTANCE.compute(address, nextIndex(), length);
    }
}
