package io.txmon.journal;

import io.txmon.journal.JournalTestSupport.Collector;
import io.txmon.journal.JournalTestSupport.Rec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static io.txmon.journal.JournalDescriptor.*;
import static io.txmon.journal.JournalTestSupport.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JournalRecoveryTest
{
    private static final int TORN_TAIL_CASES = 250;
    private static final int RECORDS_IN_LAST_SEGMENT = 12;
    private static final long NEXT_TIMESTAMP = Long.MAX_VALUE / 2;

    @TempDir
    Path root;

    /**
     * A journal of two segments whose last segment holds {@link #RECORDS_IN_LAST_SEGMENT} frames.
     */
    private static final class Built
    {
        final List<Rec> records = new ArrayList<>();
        final List<Integer> lastSegmentPositions = new ArrayList<>();
        long lastBase;
        int writtenEnd;
    }

    private static Built buildTwoSegmentJournal(final Path dir, final Random random) throws IOException
    {
        final Built built = new Built();
        try (JournalWriter writer = JournalWriter.open(dir, SEGMENT_LENGTH))
        {
            int inLastSegment = 0;
            long timestamp = 1_000_000;
            while (inLastSegment < RECORDS_IN_LAST_SEGMENT)
            {
                final byte[] payload = randomPayload(random, random.nextInt(400));
                if (payload.length > 0 && random.nextInt(4) == 0)
                {
                    // trailing zeros: a cut inside them leaves the frame whole
                    final int zeros = 1 + random.nextInt(Math.min(payload.length, 16));
                    java.util.Arrays.fill(payload, payload.length - zeros, payload.length, (byte)0);
                }
                timestamp += random.nextInt(3);
                final Rec rec = appendExpecting(writer, built.records.size(), payload, random.nextInt(), timestamp);
                built.records.add(rec);
                if (rec.offset() > 0 && Files.exists(dir.resolve(segmentFileName(rec.offset()))))
                {
                    built.lastBase = rec.offset();
                    built.lastSegmentPositions.clear();
                    built.writtenEnd = SEGMENT_HEADER_LENGTH;
                }
                if (built.lastBase > 0)
                {
                    built.lastSegmentPositions.add(built.writtenEnd);
                    built.writtenEnd += rec.alignedFrameLength();
                    inLastSegment++;
                }
            }
        }
        assertEquals(2, segmentFiles(dir).size());
        return built;
    }

    @Test
    void shouldKeepExactlyTheWholeRecordsBeforeATornTail() throws IOException
    {
        final Random random = new Random(20);
        final Path base = root.resolve("base");
        final Built built = buildTwoSegmentJournal(base, random);
        final String lastName = segmentFileName(built.lastBase);
        final byte[] original = Files.readAllBytes(base.resolve(lastName));

        int casesWithDiscardedBytes = 0;
        int casesWithNothingDiscarded = 0;
        int casesWithCutInsideAWholeFrame = 0;
        final boolean[] survivorCountsSeen = new boolean[RECORDS_IN_LAST_SEGMENT + 1];

        for (int i = 0; i < TORN_TAIL_CASES; i++)
        {
            final int cut;
            if (i % 10 == 0)
            {
                // exactly at a frame boundary, or at the end of what was written: nothing torn
                final int frame = random.nextInt(RECORDS_IN_LAST_SEGMENT + 1);
                cut = frame == RECORDS_IN_LAST_SEGMENT ? built.writtenEnd : built.lastSegmentPositions.get(frame);
            }
            else
            {
                cut = SEGMENT_HEADER_LENGTH + random.nextInt(built.writtenEnd - SEGMENT_HEADER_LENGTH);
            }
            final Path dir = root.resolve("case-" + i);
            copyDirectory(base, dir);
            zero(dir.resolve(lastName), cut, built.writtenEnd);

            // Expected: the frames none of whose bytes changed, up to the first one that did.
            int survivors = 0;
            int end = SEGMENT_HEADER_LENGTH;
            for (int k = 0; k < RECORDS_IN_LAST_SEGMENT; k++)
            {
                final int start = built.lastSegmentPositions.get(k);
                final Rec rec = built.records.get((int)built.lastBase + k);
                if (lastNonZero(original, Math.max(cut, start), start + rec.frameLength()) >= 0)
                {
                    break;
                }
                if (cut < start + rec.frameLength())
                {
                    casesWithCutInsideAWholeFrame++;
                }
                survivors++;
                end = start + rec.alignedFrameLength();
            }
            final int lastDirty = lastNonZero(original, end, Math.max(end, cut));
            final long expectedTruncated = lastDirty < 0 ? 0 : lastDirty + 1 - end;
            final int expectedCount = (int)built.lastBase + survivors;
            final String context = "case " + i + " cut " + cut + " survivors " + survivors;

            final Rec next;
            try (JournalWriter writer = JournalWriter.open(dir, SEGMENT_LENGTH))
            {
                assertEquals(expectedCount, writer.nextOffset(), context);
                assertEquals(expectedTruncated, writer.truncatedBytes(), context);
                assertEquals(built.records.get(expectedCount - 1).timestamp(), writer.lastTimestamp(), context);
                next = appendExpecting(writer, expectedCount, new byte[] { 7, 7, 7 }, 77, NEXT_TIMESTAMP);
            }

            final List<Rec> expected = new ArrayList<>(built.records.subList(0, expectedCount));
            expected.add(next);
            assertRecords(expected, readAll(dir));

            final byte[] after = Files.readAllBytes(dir.resolve(lastName));
            assertEquals(-1, lastNonZero(after, end + next.alignedFrameLength(), after.length), context);

            survivorCountsSeen[survivors] = true;
            if (expectedTruncated > 0)
            {
                casesWithDiscardedBytes++;
            }
            else
            {
                casesWithNothingDiscarded++;
            }
            deleteDirectory(dir);
        }

        assertTrue(casesWithDiscardedBytes > TORN_TAIL_CASES / 2, "cases with discarded bytes " + casesWithDiscardedBytes);
        assertTrue(casesWithNothingDiscarded > 0, "cases with nothing discarded");
        assertTrue(casesWithCutInsideAWholeFrame > 0, "cases cutting only trailing zeros of a frame");
        for (int s = 0; s <= RECORDS_IN_LAST_SEGMENT; s++)
        {
            assertTrue(survivorCountsSeen[s], "no case left " + s + " records in the last segment");
        }
    }

    @Test
    void shouldRefuseAPhysicallyTruncatedSegment() throws IOException
    {
        final Random random = new Random(21);
        final Path base = root.resolve("base");
        final Built built = buildTwoSegmentJournal(base, random);
        final String lastName = segmentFileName(built.lastBase);
        final String firstName = segmentFileName(0);

        final long[] sizes = { 0, 10, SEGMENT_HEADER_LENGTH - 1, SEGMENT_HEADER_LENGTH, 4096, built.writtenEnd,
            SEGMENT_LENGTH - FRAME_ALIGNMENT };
        for (final long size : sizes)
        {
            final Path dir = root.resolve("last-" + size);
            copyDirectory(base, dir);
            truncate(dir.resolve(lastName), size);

            for (int attempt = 0; attempt < 2; attempt++)
            {
                // the second attempt also shows the refused open released the lock
                final JournalException ex = assertThrows(
                    JournalException.class, () -> JournalWriter.open(dir, SEGMENT_LENGTH).close());
                assertTruncatedMessage(ex, lastName, size);
            }
            assertEquals(size, Files.size(dir.resolve(lastName)), "the refused writer changed the segment");

            try (JournalReader reader = JournalReader.open(dir))
            {
                final Collector collector = new Collector();
                final JournalException ex = assertThrows(
                    JournalException.class, () ->
                    {
                        while (reader.poll(collector, 100) > 0)
                        {
                            assertTrue(collector.records.size() <= built.lastBase);
                        }
                    });
                assertTruncatedMessage(ex, lastName, size);
                assertRecords(built.records.subList(0, (int)built.lastBase), collector.records);
            }
        }

        final Path dir = root.resolve("first");
        copyDirectory(base, dir);
        truncate(dir.resolve(firstName), 4096);
        final JournalException ex = assertThrows(JournalException.class, () -> JournalReader.open(dir).close());
        assertTruncatedMessage(ex, firstName, 4096);
    }

    private static void assertTruncatedMessage(final JournalException ex, final String segmentName, final long size)
    {
        final String message = ex.getMessage();
        assertTrue(message.contains(segmentName), message);
        assertTrue(message.contains(" " + size + " bytes"), message);
        assertTrue(message.contains("truncated"), message);
    }

    @Test
    void shouldDiscardRandomGarbageAfterTheLastRecord() throws IOException
    {
        final Random random = new Random(22);
        final int[] garbageLengths = { 1, 3, 4, 8, 31, 100, 5000 };
        for (int i = 0; i < garbageLengths.length * 4; i++)
        {
            final byte[] garbage = randomPayload(random, garbageLengths[i % garbageLengths.length]);
            if (i % 4 == 1 && garbage.length > 8)
            {
                java.util.Arrays.fill(garbage, 0, 4, (byte)0); // reads as "nothing written yet", then garbage
            }
            if (garbage.length >= 4 && littleEndian(garbage).getInt(0) == END_OF_SEGMENT)
            {
                garbage[0] = 1;
            }
            final int at = i % 4 == 3 ? SEGMENT_LENGTH - garbage.length : -1;
            assertGarbageDiscarded(root.resolve("random-" + i), random, garbage, at);
        }
    }

    @Test
    void shouldDiscardAFrameWithAPlausibleLengthButAWrongCrc() throws IOException
    {
        final Random random = new Random(23);
        for (int bit = 0; bit < 32; bit += 7)
        {
            final byte[] frame = frameBytes(20, 5_000_000, 3, randomPayload(random, 17));
            final java.nio.ByteBuffer buffer = littleEndian(frame);
            buffer.putInt(CRC_OFFSET, buffer.getInt(CRC_OFFSET) ^ (1 << bit));
            assertGarbageDiscarded(root.resolve("crc-" + bit), random, frame, -1);
        }

        // correct CRC, plausible length, but the offset of an earlier record: a stale frame
        assertGarbageDiscarded(root.resolve("offset"), random, frameBytes(5, 5_000_000, 3, new byte[9]), -1);

        // correct CRC and offset, but a length running past the end of the segment
        final byte[] tooLong = frameBytes(20, 5_000_000, 3, new byte[9]);
        littleEndian(tooLong).putInt(LENGTH_OFFSET, SEGMENT_LENGTH);
        assertGarbageDiscarded(root.resolve("length"), random, tooLong, -1);

        // a length shorter than a frame header
        final byte[] tooShort = frameBytes(20, 5_000_000, 3, new byte[9]);
        littleEndian(tooShort).putInt(LENGTH_OFFSET, FRAME_HEADER_LENGTH - 1);
        assertGarbageDiscarded(root.resolve("short"), random, tooShort, -1);
    }

    /**
     * Write 20 records, close, put bytes after them (or at {@code at}), and check neither a reader nor a
     * reopened writer takes them for a record.
     */
    private static void assertGarbageDiscarded(
        final Path dir, final Random random, final byte[] garbage, final int at) throws IOException
    {
        final List<Rec> records = new ArrayList<>();
        int writtenEnd = SEGMENT_HEADER_LENGTH;
        try (JournalWriter writer = JournalWriter.open(dir, SEGMENT_LENGTH))
        {
            for (int i = 0; i < 20; i++)
            {
                final Rec rec = appendExpecting(writer, i, randomPayload(random, random.nextInt(64)), i, 1_000 + i);
                records.add(rec);
                writtenEnd += rec.alignedFrameLength();
            }
        }
        final Path segment = dir.resolve(segmentFileName(0));
        final int garbageAt = at < 0 ? writtenEnd : at;
        writeAt(segment, garbageAt, garbage);
        final int lastDirty = garbageAt + lastNonZero(garbage, 0, garbage.length);
        final long expectedTruncated = lastDirty < garbageAt ? 0 : lastDirty + 1 - writtenEnd;
        final String context = dir.getFileName().toString();

        // A reader before recovery delivers the valid records and nothing else.
        try (JournalReader reader = JournalReader.open(dir))
        {
            final Collector collector = new Collector();
            try
            {
                while (reader.poll(collector, 7) > 0)
                {
                    assertTrue(collector.records.size() <= records.size(), context);
                }
            }
            catch (final JournalException ex)
            {
                assertTrue(ex.getMessage().contains(segmentFileName(0)), ex.getMessage());
                assertTrue(ex.getMessage().contains("offset 20"), ex.getMessage());
            }
            assertRecords(records, collector.records);
        }

        try (JournalWriter writer = JournalWriter.open(dir, SEGMENT_LENGTH))
        {
            assertEquals(20, writer.nextOffset(), context);
            assertEquals(expectedTruncated, writer.truncatedBytes(), context);
            assertEquals(1_019, writer.lastTimestamp(), context);
        }
        assertEquals(-1, lastNonZero(Files.readAllBytes(segment), writtenEnd, SEGMENT_LENGTH), context);
        assertRecords(records, readAll(dir));

        try (JournalWriter writer = JournalWriter.open(dir, SEGMENT_LENGTH))
        {
            assertEquals(0, writer.truncatedBytes(), context);
            records.add(appendExpecting(writer, 20, new byte[] { 9 }, 9, 2_000));
        }
        assertRecords(records, readAll(dir));
    }

    private static int lastNonZero(final byte[] bytes, final int from, final int to)
    {
        for (int i = to - 1; i >= from; i--)
        {
            if (bytes[i] != 0)
            {
                return i;
            }
        }
        return -1;
    }

    private static void truncate(final Path file, final long size) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE))
        {
            channel.truncate(size);
        }
    }

    private static void deleteDirectory(final Path dir) throws IOException
    {
        try (java.util.stream.Stream<Path> files = Files.list(dir))
        {
            for (final Path file : files.toList())
            {
                Files.delete(file);
            }
        }
        Files.delete(dir);
    }
}
