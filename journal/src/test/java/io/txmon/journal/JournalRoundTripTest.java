package io.txmon.journal;

import io.txmon.journal.JournalTestSupport.Collector;
import io.txmon.journal.JournalTestSupport.Rec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static io.txmon.journal.JournalDescriptor.*;
import static io.txmon.journal.JournalTestSupport.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JournalRoundTripTest
{
    private static final int[] PAYLOAD_LENGTHS = { 0, 1, 7, 8, 9, 1000 };

    @TempDir
    Path dir;

    @Test
    void shouldRoundTripRecordsOfVariedLengthsWithDenseOffsets()
    {
        final Random random = new Random(1);
        final List<Rec> appended = new ArrayList<>();
        try (JournalWriter writer = JournalWriter.open(dir, SEGMENT_LENGTH))
        {
            assertEquals(0, writer.nextOffset());
            assertEquals(Long.MIN_VALUE, writer.lastTimestamp());
            assertEquals(0, writer.truncatedBytes());

            long timestamp = 1_700_000_000_000_000_000L;
            for (int round = 0; round < 3; round++)
            {
                for (final int length : PAYLOAD_LENGTHS)
                {
                    final int templateId = round == 2 ? -length - 1 : length * 31 + round;
                    appended.add(appendExpecting(
                        writer, appended.size(), randomPayload(random, length), templateId, timestamp));
                    assertEquals(appended.size(), writer.nextOffset());
                    assertEquals(timestamp, writer.lastTimestamp());
                    timestamp += round; // round 0 repeats the same timestamp: equal timestamps are allowed
                }
            }
        }

        assertRecords(appended, readAll(dir));
    }

    @Test
    void shouldDeliverNoMoreThanTheLimitPerPoll()
    {
        final List<Rec> appended = new ArrayList<>();
        try (JournalWriter writer = JournalWriter.open(dir, SEGMENT_LENGTH))
        {
            for (int i = 0; i < 10; i++)
            {
                appended.add(appendExpecting(writer, i, new byte[] { (byte)i }, 7, 100 + i));
            }
        }

        try (JournalReader reader = JournalReader.open(dir))
        {
            final Collector collector = new Collector();
            assertEquals(0, reader.poll(collector, 0));
            assertEquals(3, reader.poll(collector, 3));
            assertEquals(3, reader.nextOffset());
            assertEquals(7, reader.poll(collector, 100));
            assertEquals(0, reader.poll(collector, 100));
            assertEquals(10, reader.nextOffset());
            assertRecords(appended, collector.records);
        }
    }

    /**
     * Checks the bytes on disk against FORMAT.md with a parser written from the document, not the code.
     */
    @Test
    void shouldWriteTheDocumentedOnDiskFormat() throws IOException
    {
        final Random random = new Random(2);
        final List<Rec> appended = new ArrayList<>();
        try (JournalWriter writer = JournalWriter.open(dir, SEGMENT_LENGTH))
        {
            final byte[] big = randomPayload(random, 30_000);
            appended.add(appendExpecting(writer, 0, randomPayload(random, 9), 42, 1_000L));
            appended.add(appendExpecting(writer, 1, big, 43, 2_000L));
            appended.add(appendExpecting(writer, 2, big, 44, 3_000L));
            appended.add(appendExpecting(writer, 3, big, 45, 4_000L)); // does not fit: rolls

            // while the writer runs, its mark file names it
            assertTrue(Files.readString(dir.resolve(MARK_FILE_NAME))
                .contains("pid=" + ProcessHandle.current().pid() + "\n"));
        }

        final List<Path> segments = segmentFiles(dir);
        assertEquals(List.of(dir.resolve("00000000000000000000.log"), dir.resolve("00000000000000000003.log")), segments);
        assertTrue(Files.exists(dir.resolve(LOCK_FILE_NAME)));
        assertFalse(Files.exists(dir.resolve(MARK_FILE_NAME)), "a clean close removes the mark file");
        assertTrue(Files.exists(dir.resolve(METADATA_FILE_NAME)));
        assertTrue(Files.exists(dir.resolve(sealFileName(0))), "the full segment is sealed");
        assertFalse(Files.exists(dir.resolve(sealFileName(3))), "the active segment is not");
        assertTrue(Files.exists(dir.resolve(indexFileName(0))));
        assertTrue(Files.exists(dir.resolve(indexFileName(3))));

        final byte[] first = Files.readAllBytes(segments.get(0));
        assertEquals(SEGMENT_LENGTH, first.length);
        final ByteBuffer header = littleEndian(first);
        assertArrayEquals("TXMJRNL\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII), slice(first, 0, 8));
        assertEquals(1, header.getInt(8), "format version");
        assertEquals(64, header.getInt(12), "segment header length");
        assertEquals(0L, header.getLong(16), "base offset");
        assertEquals(SEGMENT_LENGTH, header.getLong(24), "segment length");
        for (int i = 32; i < 64; i++)
        {
            assertEquals(0, first[i], "reserved header byte " + i);
        }

        int position = 64;
        for (int i = 0; i < 3; i++)
        {
            final Rec rec = appended.get(i);
            final byte[] expected = frameBytes(rec.offset(), rec.timestamp(), rec.templateId(), rec.payload());
            assertEquals(0, position % 8, "frame alignment");
            assertArrayEquals(expected, slice(first, position, expected.length), "frame of offset " + i);
            position += expected.length;
        }
        assertEquals(-1, header.getInt(position), "end-of-segment marker");
        for (int i = position + 4; i < first.length; i++)
        {
            assertEquals(0, first[i], "byte after the end-of-segment marker at " + i);
        }

        final byte[] second = Files.readAllBytes(segments.get(1));
        assertEquals(SEGMENT_LENGTH, second.length);
        assertEquals(3L, littleEndian(second).getLong(16), "base offset of the second segment");
        final Rec rec = appended.get(3);
        final byte[] expected = frameBytes(rec.offset(), rec.timestamp(), rec.templateId(), rec.payload());
        assertArrayEquals(expected, slice(second, 64, expected.length));
        assertEquals(0, littleEndian(second).getInt(64 + expected.length), "nothing written after the last frame");

        assertRecords(appended, readAll(dir));
    }

    @Test
    void shouldRollAcrossSegmentsNamedByBaseOffset() throws IOException
    {
        final Random random = new Random(3);
        final List<Rec> appended = new ArrayList<>();
        try (JournalWriter writer = JournalWriter.open(dir, SEGMENT_LENGTH))
        {
            for (int i = 0; i < 400; i++)
            {
                final int length = i % 10 == 0 ? 1 + random.nextInt(3000) : random.nextInt(1200);
                appended.add(appendExpecting(writer, i, randomPayload(random, length), i % 5, 10L * i));
            }
        }

        try (Stream<Path> files = Files.list(dir))
        {
            assertTrue(files.noneMatch((p) -> p.getFileName().toString().endsWith(".tmp")), "temporary files left");
        }

        final List<Path> segments = segmentFiles(dir);
        assertTrue(segments.size() >= 4, "segments: " + segments);
        long previousBase = -1;
        for (final Path segment : segments)
        {
            final String name = segment.getFileName().toString();
            assertTrue(name.matches("[0-9]{20}\\.log"), name);
            final long base = Long.parseLong(name.substring(0, 20));
            assertTrue(base > previousBase, "ascending base offsets");
            assertEquals(SEGMENT_LENGTH, Files.size(segment), name);

            final ByteBuffer head = littleEndian(readAt(segment, 0, 64 + FRAME_HEADER_LENGTH));
            assertEquals(base, head.getLong(BASE_OFFSET_OFFSET), "base offset in the header of " + name);
            assertEquals(base, head.getLong(64 + OFFSET_OFFSET), "offset of the first frame of " + name);
            previousBase = base;
        }
        assertEquals(0, baseOffsetOf(segments.get(0)));

        assertRecords(appended, readAll(dir));
    }

    @Test
    void shouldSeekToFirstMiddleLastAndNotBeyondTheEnd() throws IOException
    {
        final Random random = new Random(4);
        final List<Rec> appended = new ArrayList<>();
        try (JournalWriter writer = JournalWriter.open(dir, SEGMENT_LENGTH))
        {
            for (int i = 0; i < 300; i++)
            {
                appended.add(appendExpecting(writer, i, randomPayload(random, random.nextInt(1000)), i, i));
            }
        }
        final List<Path> segments = segmentFiles(dir);
        assertTrue(segments.size() >= 3);
        final int count = appended.size();
        final int middle = (int)baseOffsetOf(segments.get(1)) + 5;
        final int lastSegmentFirst = (int)baseOffsetOf(segments.get(segments.size() - 1));

        try (JournalReader reader = JournalReader.open(dir))
        {
            assertSeekThenRead(reader, appended, middle);
            assertSeekThenRead(reader, appended, 0); // backwards
            assertSeekThenRead(reader, appended, count - 1);
            assertSeekThenRead(reader, appended, lastSegmentFirst);
            assertSeekThenRead(reader, appended, lastSegmentFirst - 1); // last record of a non-last segment
            assertSeekThenRead(reader, appended, middle); // forwards again, into another segment

            assertFalse(reader.seek(count + 1));
            assertFalse(reader.seek(count + 1000));
            assertFalse(reader.seek(Long.MAX_VALUE));
            assertFalse(reader.seek(-1));

            assertSeekThenRead(reader, appended, 1);
        }
    }

    private static void assertSeekThenRead(final JournalReader reader, final List<Rec> appended, final int offset)
    {
        assertTrue(reader.seek(offset), "seek " + offset);
        assertEquals(offset, reader.nextOffset());
        final Collector collector = new Collector();
        assertEquals(1, reader.poll(collector, 1));
        assertRecord(appended.get(offset), collector.records.get(0));

        final List<Rec> rest = drain(reader);
        assertRecords(appended.subList(offset + 1, appended.size()), rest);
    }

    private static byte[] slice(final byte[] bytes, final int from, final int length)
    {
        return java.util.Arrays.copyOfRange(bytes, from, from + length);
    }
}
