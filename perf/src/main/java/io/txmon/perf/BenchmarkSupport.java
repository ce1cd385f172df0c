package io.txmon.perf;

import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.SplittableRandom;
import java.util.function.BiConsumer;
import java.util.stream.Stream;

/**
 * What the perf benchmarks share: the JVM flag every fork needs, the frame arithmetic of the journal
 * (from its documented layout, so a benchmark does not reach into the journal's internals), temporary
 * directories and their removal, and seeded payloads.
 * <p>
 * Temporary directories are created under {@code java.io.tmpdir} (media driver directories under
 * {@code /dev/shm}) with the prefix {@value #TEMP_PREFIX}; each benchmark deletes its own in a tear-down.
 * A fork that is killed leaves its directory behind, and the prefix is how to find it.
 */
public final class BenchmarkSupport
{
    /**
     * Aeron and Agrona 2.x use {@code jdk.internal.misc.Unsafe}; every forked JVM needs this export. It is
     * the same flag as {@code txmon.jvm.exports} in the root pom and in {@code bin/txmon}.
     */
    static final String ADD_EXPORTS = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED";

    /**
     * Lets the journal compute CRC32C from a raw address (Agrona's {@code Crc32c}); without it the journal
     * falls back to a slower path. Also in {@code txmon.jvm.exports} and {@code bin/txmon}.
     */
    static final String ADD_OPENS_ZIP = "--add-opens=java.base/java.util.zip=ALL-UNNAMED";

    /** Prefix of every directory the benchmarks create under {@code java.io.tmpdir}. */
    static final String TEMP_PREFIX = "txmon-jmh-";

    /** Journal frame header: length, CRC32C, offset, timestamp, template id, reserved. */
    static final int FRAME_HEADER_LENGTH = 32;

    /** Journal frames start on 8-byte boundaries. */
    static final int FRAME_ALIGNMENT = 8;

    /**
     * Room left for a segment header when working out how many records fit in a segment. The journal's own
     * header is smaller; being generous here only means a fresh journal is swapped in a little early.
     */
    static final int SEGMENT_HEADER_ALLOWANCE = 4096;

    /** Template id written with every benchmark record. */
    static final int TEMPLATE_ID = 7;

    /** A plausible epoch-nanosecond start for record timestamps; only its order matters. */
    static final long FIRST_TIMESTAMP = 1_764_000_000_000_000_000L;

    private static final int PAGE_SIZE = 4096;
    private static final int ZERO_CHUNK = 1024 * 1024;

    private BenchmarkSupport()
    {
    }

    /**
     * Length a framed record occupies in a journal segment.
     *
     * @param payloadLength of the record.
     * @return header plus payload, rounded up to {@link #FRAME_ALIGNMENT}.
     */
    static int alignedFrameLength(final int payloadLength)
    {
        final int frameLength = FRAME_HEADER_LENGTH + payloadLength;
        return (frameLength + FRAME_ALIGNMENT - 1) & -FRAME_ALIGNMENT;
    }

    /**
     * Records of one payload length that certainly fit in one segment without a roll.
     *
     * @param segmentLength of the journal.
     * @param payloadLength of every record.
     * @return a lower bound on the records per segment.
     */
    static long recordsPerSegment(final int segmentLength, final int payloadLength)
    {
        return (segmentLength - SEGMENT_HEADER_ALLOWANCE) / alignedFrameLength(payloadLength);
    }

    /**
     * A direct, cache-line aligned buffer of seeded random bytes.
     *
     * @param length of the buffer.
     * @param seed   of the bytes.
     * @return the buffer.
     */
    static UnsafeBuffer payload(final int length, final long seed)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(Math.max(length, 8), 64));
        final SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < length; i++)
        {
            buffer.putByte(i, (byte)random.nextInt(256));
        }
        return buffer;
    }

    /**
     * Create a fresh directory under {@code java.io.tmpdir}.
     *
     * @param name part of the directory name after {@link #TEMP_PREFIX}.
     * @return the new directory.
     * @throws IOException if it cannot be created.
     */
    static Path createTempDirectory(final String name) throws IOException
    {
        return Files.createTempDirectory(TEMP_PREFIX + name + "-");
    }

    /**
     * A fresh path for an embedded media driver's directory, which the driver creates and deletes on close:
     * under {@code /dev/shm} where it is writable (as Aeron places its own), else under {@code java.io.tmpdir};
     * named with {@link #TEMP_PREFIX}, so that a killed fork's directory can be found.
     *
     * @param name part of the directory name after {@link #TEMP_PREFIX}.
     * @return the path, which does not exist yet.
     */
    static Path aeronDirectory(final String name)
    {
        final Path shm = Path.of("/dev/shm");
        final Path base = Files.isDirectory(shm) && Files.isWritable(shm) ?
            shm : Path.of(System.getProperty("java.io.tmpdir"));
        return base.resolve(TEMP_PREFIX + name + "-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
    }

    /**
     * Delete a directory and everything in it; nothing happens if it does not exist.
     *
     * @param dir to delete, may be null.
     * @throws IOException if something in it cannot be deleted.
     */
    static void deleteRecursively(final Path dir) throws IOException
    {
        if (null == dir || !Files.exists(dir))
        {
            return;
        }

        Files.walkFileTree(dir, new SimpleFileVisitor<>()
        {
            @Override
            public FileVisitResult visitFile(final Path file, final BasicFileAttributes attrs) throws IOException
            {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(final Path d, final IOException ex) throws IOException
            {
                if (null != ex)
                {
                    throw ex;
                }
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /**
     * Files in a directory (not below it) that are exactly a given length: the pre-allocated segments of a
     * journal whose segment length is that length.
     *
     * @param dir    to look in.
     * @param length of the files to count.
     * @return how many there are.
     * @throws IOException if the directory cannot be listed.
     */
    static int countFilesOfLength(final Path dir, final long length) throws IOException
    {
        int count = 0;
        try (Stream<Path> files = Files.list(dir))
        {
            for (final Path file : (Iterable<Path>)files::iterator)
            {
                if (Files.isRegularFile(file) && Files.size(file) == length)
                {
                    count++;
                }
            }
        }
        return count;
    }

    /**
     * Create a file and allocate its blocks by writing zeros, then flush it: the way the journal
     * pre-allocates a segment.
     *
     * @param file   to create; it must not exist.
     * @param length of the file.
     * @throws IOException if it cannot be written.
     */
    static void preallocate(final Path file, final long length) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE))
        {
            final ByteBuffer zeros = ByteBuffer.allocateDirect(ZERO_CHUNK);
            long position = 0;
            while (position < length)
            {
                zeros.clear().limit((int)Math.min(ZERO_CHUNK, length - position));
                while (zeros.hasRemaining())
                {
                    position += channel.write(zeros, position);
                }
            }
            channel.force(true);
        }
    }

    /**
     * Write one byte in every page of a mapping so its page faults are taken now rather than in a timed loop.
     *
     * @param buffer over the mapping.
     */
    static void touchPages(final UnsafeBuffer buffer)
    {
        final int capacity = buffer.capacity();
        for (int i = 0; i < capacity; i += PAGE_SIZE)
        {
            buffer.putByte(i, (byte)0);
        }
    }

    /**
     * @param udp true for a UDP channel.
     * @return {@code aeron:ipc}, or a UDP channel on a free loopback port.
     */
    public static String loopbackChannel(final boolean udp)
    {
        return udp ? "aeron:udp?endpoint=127.0.0.1:" + freeUdpPort() : "aeron:ipc";
    }

    private static int freeUdpPort()
    {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)))
        {
            return socket.getLocalPort();
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("no free UDP port on 127.0.0.1", ex);
        }
    }

    /**
     * The command line of a perf harness: {@code --help} or {@code -h}, and otherwise {@code --name value} pairs.
     *
     * @param args   to read.
     * @param help   called for {@code --help} or {@code -h}.
     * @param option called with each option and its value, in order; throws for an option it does not know.
     * @throws IllegalArgumentException for an option without its value.
     */
    static void forEachOption(final String[] args, final Runnable help, final BiConsumer<String, String> option)
    {
        for (int i = 0; i < args.length; i++)
        {
            final String arg = args[i];
            if ("--help".equals(arg) || "-h".equals(arg))
            {
                help.run();
                continue;
            }
            if (i + 1 >= args.length)
            {
                throw new IllegalArgumentException(arg.startsWith("--") ?
                    arg + " needs a value" : "unknown argument " + arg);
            }
            option.accept(arg, args[++i]);
        }
    }

    /**
     * Parse a whole-number option of a command-line tool; {@code _} and {@code ,} may separate digits.
     *
     * @param option name, for the message.
     * @param value  text given.
     * @param min    smallest accepted.
     * @param max    largest accepted.
     * @return the number.
     * @throws IllegalArgumentException naming the option and what is accepted.
     */
    static long number(final String option, final String value, final long min, final long max)
    {
        final long n;
        try
        {
            n = Long.parseLong(value.replace("_", "").replace(",", ""));
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException(option + ": not a number: " + value);
        }
        if (n < min || n > max)
        {
            throw new IllegalArgumentException(option + " must be in [" + min + ", " + max + "], was " + n);
        }
        return n;
    }
}
