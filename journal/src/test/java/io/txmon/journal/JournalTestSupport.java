package io.txmon.journal;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;

import static io.txmon.journal.JournalDescriptor.LOCK_FILE_NAME;
import static io.txmon.journal.JournalDescriptor.SEGMENT_SUFFIX;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Helpers shared by the journal tests. Nothing here reads a journal through the code under test except
 * {@link #readAll}, which uses the public {@link JournalReader}.
 */
final class JournalTestSupport
{
    /** The smallest segment length, so that tests roll often with little data. */
    static final int SEGMENT_LENGTH = JournalDescriptor.MIN_SEGMENT_LENGTH;

    private JournalTestSupport()
    {
    }

    /**
     * A record as appended or as read back.
     */
    record Rec(long offset, long timestamp, int templateId, byte[] payload)
    {
        int frameLength()
        {
            return JournalDescriptor.FRAME_HEADER_LENGTH + payload.length;
        }

        int alignedFrameLength()
        {
            return JournalDescriptor.alignedFrameLength(payload.length);
        }
    }

    /**
     * Collects what a reader delivers, copying the payloads.
     */
    static final class Collector implements RecordHandler
    {
        final List<Rec> records = new ArrayList<>();

        public void onRecord(
            final long offset,
            final long timestamp,
            final int templateId,
            final DirectBuffer buffer,
            final int payloadOffset,
            final int payloadLength)
        {
            final byte[] payload = new byte[payloadLength];
            buffer.getBytes(payloadOffset, payload);
            records.add(new Rec(offset, timestamp, templateId, payload));
        }
    }

    static byte[] randomPayload(final Random random, final int length)
    {
        final byte[] payload = new byte[length];
        random.nextBytes(payload);
        return payload;
    }

    /**
     * Append a record and check it got the expected offset.
     */
    static Rec appendExpecting(
        final JournalWriter writer, final long expectedOffset, final byte[] payload, final int templateId, final long ts)
    {
        final long result = append(writer, payload, templateId, ts);
        assertEquals(expectedOffset, result, "append result");
        return new Rec(result, ts, templateId, payload);
    }

    static long append(final JournalWriter writer, final byte[] payload, final int templateId, final long timestamp)
    {
        // offset 3 in a larger buffer, so that a writer ignoring srcOffset is caught
        final UnsafeBuffer src = new UnsafeBuffer(new byte[payload.length + 5]);
        src.putBytes(3, payload);
        return writer.append(src, 3, payload.length, templateId, timestamp);
    }

    /**
     * Read every record available now, from offset 0.
     */
    static List<Rec> readAll(final Path dir)
    {
        try (JournalReader reader = JournalReader.open(dir))
        {
            return drain(reader);
        }
    }

    static List<Rec> drain(final JournalReader reader)
    {
        final Collector collector = new Collector();
        while (reader.poll(collector, 64) > 0)
        {
            assertTrue(collector.records.size() < 10_000_000, "runaway reader");
        }
        return collector.records;
    }

    static void assertRecord(final Rec expected, final Rec actual)
    {
        assertEquals(expected.offset(), actual.offset(), "offset");
        assertEquals(expected.timestamp(), actual.timestamp(), "timestamp of offset " + expected.offset());
        assertEquals(expected.templateId(), actual.templateId(), "templateId of offset " + expected.offset());
        assertArrayEquals(expected.payload(), actual.payload(), "payload of offset " + expected.offset());
    }

    static void assertRecords(final List<Rec> expected, final List<Rec> actual)
    {
        assertEquals(expected.size(), actual.size(), "number of records");
        for (int i = 0; i < expected.size(); i++)
        {
            assertRecord(expected.get(i), actual.get(i));
        }
    }

    /**
     * Segment files of a journal directory, by name, ascending.
     */
    static List<Path> segmentFiles(final Path dir) throws IOException
    {
        try (Stream<Path> files = Files.list(dir))
        {
            return files
                .filter((p) -> p.getFileName().toString().endsWith(SEGMENT_SUFFIX))
                .sorted()
                .toList();
        }
    }

    static Path lastSegment(final Path dir) throws IOException
    {
        final List<Path> segments = segmentFiles(dir);
        return segments.get(segments.size() - 1);
    }

    static long baseOffsetOf(final Path segment)
    {
        return JournalDescriptor.parseBaseOffset(segment.getFileName().toString());
    }

    /**
     * Contents of every file in a directory by name, except the lock file, which only has its name: a process
     * that holds the writer's lock loses it when it closes any descriptor of that file (POSIX record locks), so
     * tests must never open it while a writer in this JVM is open.
     */
    static Map<String, byte[]> snapshot(final Path dir) throws IOException
    {
        final Map<String, byte[]> contents = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir))
        {
            for (final Path file : files.toList())
            {
                final String name = file.getFileName().toString();
                contents.put(name, LOCK_FILE_NAME.equals(name) ? new byte[0] : Files.readAllBytes(file));
            }
        }
        return contents;
    }

    static void assertSameFiles(final Map<String, byte[]> expected, final Map<String, byte[]> actual)
    {
        assertEquals(expected.keySet(), actual.keySet(), "file names");
        for (final Map.Entry<String, byte[]> entry : expected.entrySet())
        {
            assertTrue(Arrays.equals(entry.getValue(), actual.get(entry.getKey())), "contents of " + entry.getKey());
        }
    }

    static void copyDirectory(final Path from, final Path to) throws IOException
    {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from))
        {
            for (final Path file : files.toList())
            {
                Files.copy(file, to.resolve(file.getFileName()));
            }
        }
    }

    /**
     * Write bytes into a file at a position, keeping its size.
     */
    static void writeAt(final Path file, final long position, final byte[] bytes) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE))
        {
            final ByteBuffer src = ByteBuffer.wrap(bytes);
            while (src.hasRemaining())
            {
                channel.write(src, position + src.position());
            }
        }
    }

    /**
     * Zero the bytes [from, to) of a file, keeping its size: how a torn write looks in a mapped file.
     */
    static void zero(final Path file, final long from, final long to) throws IOException
    {
        writeAt(file, from, new byte[(int)(to - from)]);
    }

    static byte[] readAt(final Path file, final long position, final int length) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            final ByteBuffer dst = ByteBuffer.allocate(length);
            while (dst.hasRemaining())
            {
                if (channel.read(dst, position + dst.position()) < 0)
                {
                    throw new IOException("end of " + file + " at " + (position + dst.position()));
                }
            }
            return dst.array();
        }
    }

    static ByteBuffer littleEndian(final byte[] bytes)
    {
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Bytes of a frame exactly as the format describes it, built independently of the writer.
     */
    static byte[] frameBytes(final long offset, final long timestamp, final int templateId, final byte[] payload)
    {
        final int frameLength = JournalDescriptor.FRAME_HEADER_LENGTH + payload.length;
        final byte[] frame = new byte[JournalDescriptor.alignedFrameLength(payload.length)];
        final ByteBuffer buffer = littleEndian(frame);
        buffer.putLong(JournalDescriptor.OFFSET_OFFSET, offset);
        buffer.putLong(JournalDescriptor.TIMESTAMP_OFFSET, timestamp);
        buffer.putInt(JournalDescriptor.TEMPLATE_ID_OFFSET, templateId);
        buffer.putInt(JournalDescriptor.RESERVED_OFFSET, 0);
        System.arraycopy(payload, 0, frame, JournalDescriptor.FRAME_HEADER_LENGTH, payload.length);
        final java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(frame, JournalDescriptor.OFFSET_OFFSET, frameLength - JournalDescriptor.OFFSET_OFFSET);
        buffer.putInt(JournalDescriptor.CRC_OFFSET, (int)crc.getValue());
        buffer.putInt(JournalDescriptor.LENGTH_OFFSET, frameLength);
        return frame;
    }
}
