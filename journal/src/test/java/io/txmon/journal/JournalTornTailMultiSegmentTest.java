package io.txmon.journal;

import io.txmon.journal.JournalTestSupport.Collector;
import io.txmon.journal.JournalTestSupport.Rec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static io.txmon.journal.JournalDescriptor.*;
import static io.txmon.journal.JournalTestSupport.*;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The torn-tail property on a journal whose active segment is not its first: several rolls happened, the
 * active segment holds more than two index intervals of records and has index entries past its first, and
 * the cut lands anywhere in its tail, exactly on frame boundaries, on and inside indexed frames, and inside
 * an index interval. Recovery keeps exactly the whole records before the cut, repairs the index, and the
 * next append continues there.
 */
class JournalTornTailMultiSegmentTest
{
    private static final int CASES = 240;
    /** Records in the active segment: index entries at 0, 256 and 512 of it. */
    private static final int RECORDS_IN_LAST_SEGMENT = 700;
    private static final int MIN_ROLLS = 3;
    private static final int INTERVAL = DEFAULT_INDEX_INTERVAL;
    private static final long NEXT_TIMESTAMP = Long.MAX_VALUE / 2;

    @TempDir
    static Path shared;

    @TempDir
    Path root;

    /**
     * A journal of several segments; the active one holds {@link #RECORDS_IN_LAST_SEGMENT} frames.
     */
    private static final class Built
    {
        final Path dir;
        final List<Rec> records = new ArrayList<>();
        /** Position of each frame of the active segment. */
        final List<Integer> lastSegmentPositions = new ArrayList<>();
        long lastBase;
        int writtenEnd;
        byte[] lastSegment;

        Built(final Path dir)
        {
            this.dir = dir;
        }

        Rec inLast(final int k)
        {
            return records.get((int)lastBase + k);
        }
    }

    private static Built built;

    @BeforeAll
    static void build() throws IOException
    {
        built = buildJournal(shared.resolve("base"), new Random(50), RECORDS_IN_LAST_SEGMENT);
    }

    /**
     * Append until at least {@link #MIN_ROLLS} rolls happened and the active segment holds {@code inLast} records.
     */
    private static Built buildJournal(final Path dir, final Random random, final int inLast) throws IOException
    {
        final Built built = new Built(dir);
        try (JournalWriter writer = JournalWriter.open(dir, SEGMENT_LENGTH))
        {
            long timestamp = 1_000_000;
            int inLastSegment = 0;
            long rolls = 0;
            while (writer.rolls() < MIN_ROLLS || inLastSegment < inLast)
            {
                // at most 40 bytes: 700 frames always fit in one 64 KiB segment
                final byte[] payload = randomPayload(random, random.nextInt(41));
                if (payload.length > 0 && random.nextInt(4) == 0)
                {
                    // trailing zeros: a cut inside them leaves the frame whole
                    final int zeros = 1 + random.nextInt(Math.min(payload.length, 16));
                    Arrays.fill(payload, payload.length - zeros, payload.length, (byte)0);
                }
                timestamp += random.nextInt(8) == 0 ? 0 : 1 + random.nextInt(3);
                final Rec rec = appendExpecting(writer, built.records.size(), payload, 1 + random.nextInt(1000), timestamp);
                built.records.add(rec);
                if (writer.rolls() != rolls)
                {
                    rolls = writer.rolls();
                    built.lastBase = rec.offset();
                    built.lastSegmentPositions.clear();
                    built.writtenEnd = SEGMENT_HEADER_LENGTH;
                    inLastSegment = 0;
                }
                if (rolls > 0)
                {
                    built.lastSegmentPositions.add(built.writtenEnd);
                    built.writtenEnd += rec.alignedFrameLength();
                    inLastSegment++;
                }
                if (rolls >= MIN_ROLLS && inLastSegment == inLast)
                {
                    break;
                }
            }
        }
        final List<Path> segments = segmentFiles(dir);
        assertTrue(segments.size() > MIN_ROLLS, "segments: " + segments.size());
        assertEquals(segmentFileName(built.lastBase), segments.get(segments.size() - 1).getFileName().toString());
        assertEquals(built.lastBase + inLast, built.records.size());
        built.lastSegment = Files.readAllBytes(dir.resolve(segmentFileName(built.lastBase)));
        assertEquals(-1, lastNonZero(built.lastSegment, built.writtenEnd, SEGMENT_LENGTH));
        assertClean(dir, built.records.size());
        return built;
    }

    @Test
    void shouldKeepExactlyTheWholeRecordsBeforeATornTailInALaterSegment() throws IOException
    {
        final Random random = new Random(51);
        final String lastName = segmentFileName(built.lastBase);
        final byte[] original = built.lastSegment;
        final int[] entries = { 0, INTERVAL, 2 * INTERVAL };

        int casesWithDiscardedBytes = 0;
        int casesWithNothingDiscarded = 0;
        int casesWithCutInsideAWholeFrame = 0;
        int casesOnAFrameBoundary = 0;
        int casesTornInsideAnIndexedFrame = 0;
        int casesBeyondTheLastIndexEntry = 0;
        final List<String> wrongLastTimestamps = new ArrayList<>();
        final boolean[] survivorCountsSeen = new boolean[RECORDS_IN_LAST_SEGMENT + 1];

        for (int i = 0; i < CASES; i++)
        {
            final int cut;
            switch (i % 6)
            {
                case 0 ->
                {
                    // exactly at a frame boundary, or at the end of what was written: nothing torn
                    final int frame = i == 0 ? RECORDS_IN_LAST_SEGMENT : random.nextInt(RECORDS_IN_LAST_SEGMENT + 1);
                    cut = frame == RECORDS_IN_LAST_SEGMENT ? built.writtenEnd : built.lastSegmentPositions.get(frame);
                }
                case 1 ->
                {
                    // exactly at the start of an indexed frame, or of the frame just before or after one
                    final int frame = entries[random.nextInt(entries.length)] + random.nextInt(3) - 1;
                    cut = built.lastSegmentPositions.get(Math.max(0, frame));
                }
                case 2 ->
                {
                    // inside an indexed frame: its header, or after it (the index entry still looks good)
                    final int frame = entries[random.nextInt(entries.length)];
                    final int start = built.lastSegmentPositions.get(frame);
                    cut = start + 1 + random.nextInt(built.inLast(frame).frameLength() - 1);
                }
                case 3 ->
                {
                    // inside an index interval: strictly between two entries, or after the last one
                    final int frame = 1 + random.nextInt(RECORDS_IN_LAST_SEGMENT - 1);
                    final int start = built.lastSegmentPositions.get(frame);
                    cut = start + random.nextInt(built.inLast(frame).alignedFrameLength());
                }
                default -> cut = SEGMENT_HEADER_LENGTH + random.nextInt(built.writtenEnd - SEGMENT_HEADER_LENGTH);
            }
            final Path dir = root.resolve("case-" + i);
            copyDirectory(built.dir, dir);
            zero(dir.resolve(lastName), cut, built.writtenEnd);

            // Expected: the frames none of whose bytes changed, up to the first one that did.
            int survivors = 0;
            int end = SEGMENT_HEADER_LENGTH;
            for (int k = 0; k < RECORDS_IN_LAST_SEGMENT; k++)
            {
                final int start = built.lastSegmentPositions.get(k);
                final Rec rec = built.inLast(k);
                if (lastNonZero(original, Math.max(cut, start), start + rec.frameLength()) >= 0)
                {
                    if (cut >= start + TEMPLATE_ID_OFFSET && (k & (INTERVAL - 1)) == 0 && k > 0)
                    {
                        casesTornInsideAnIndexedFrame++;
                    }
                    break;
                }
                if (cut < start + rec.frameLength())
                {
                    casesWithCutInsideAWholeFrame++;
                }
                survivors++;
                end = start + rec.alignedFrameLength();
            }
            if (cut == end || built.lastSegmentPositions.contains(cut))
            {
                casesOnAFrameBoundary++;
            }
            if (survivors > 2 * INTERVAL)
            {
                casesBeyondTheLastIndexEntry++;
            }
            final int lastDirty = lastNonZero(original, end, Math.max(end, cut));
            final long expectedTruncated = lastDirty < 0 ? 0 : lastDirty + 1 - end;
            final int expectedCount = (int)built.lastBase + survivors;
            final long expectedLastTimestamp = built.records.get(expectedCount - 1).timestamp();
            final String context = "case " + i + " cut " + cut + " survivors " + survivors;

            final Rec next;
            try (JournalWriter writer = JournalWriter.open(dir, SEGMENT_LENGTH))
            {
                assertEquals(expectedCount, writer.nextOffset(), context);
                assertEquals(expectedTruncated, writer.truncatedBytes(), context);
                if (writer.lastTimestamp() != expectedLastTimestamp)
                {
                    wrongLastTimestamps.add(context + ": lastTimestamp " + writer.lastTimestamp() + ", expected " +
                        expectedLastTimestamp);
                }
                else
                {
                    assertEquals(JournalWriter.TIMESTAMP_REGRESSION,
                        append(writer, new byte[] { 1 }, 1, expectedLastTimestamp - 1), context);
                }
                next = appendExpecting(writer, expectedCount, new byte[] { 7, 7, 7 }, 77, NEXT_TIMESTAMP);
            }

            final List<Rec> expected = new ArrayList<>(built.records.subList(0, expectedCount));
            expected.add(next);
            assertRecords(expected, readAll(dir));

            // nothing of the torn tail is left after the new record, and the index describes the segment again
            final byte[] after = Files.readAllBytes(dir.resolve(lastName));
            assertEquals(-1, lastNonZero(after, end + next.alignedFrameLength(), after.length), context);
            assertClean(dir, expectedCount + 1);

            if (i % 4 == 0)
            {
                // and a clean reopen finds nothing more to discard
                try (JournalWriter writer = JournalWriter.open(dir, SEGMENT_LENGTH))
                {
                    assertEquals(expectedCount + 1, writer.nextOffset(), context);
                    assertEquals(0, writer.truncatedBytes(), context);
                    assertEquals(NEXT_TIMESTAMP, writer.lastTimestamp(), context);
                }
            }

            survivorCountsSeen[survivors] = true;
            if (expectedTruncated > 0)
            {
                casesWithDiscardedBytes++;
            }
            else
            {
                casesWithNothingDiscarded++;
            }
            deleteRecursively(dir);
        }

        assertTrue(casesWithDiscardedBytes > CASES / 2, "cases with discarded bytes " + casesWithDiscardedBytes);
        assertTrue(casesWithNothingDiscarded > 0, "cases with nothing discarded");
        assertTrue(casesWithCutInsideAWholeFrame > 0, "cases cutting only trailing zeros of a frame");
        assertTrue(casesOnAFrameBoundary >= CASES / 6, "cases on a frame boundary " + casesOnAFrameBoundary);
        assertTrue(casesTornInsideAnIndexedFrame > 0, "cases torn inside an indexed frame past its header");
        assertTrue(casesBeyondTheLastIndexEntry > 0, "cases keeping records past the last index entry");
        for (final int s : new int[] { 0, 1, INTERVAL - 1, INTERVAL, INTERVAL + 1, 2 * INTERVAL, RECORDS_IN_LAST_SEGMENT })
        {
            assertTrue(survivorCountsSeen[s], "no case left " + s + " records in the last segment");
        }
        assertTrue(wrongLastTimestamps.isEmpty(), wrongLastTimestamps.size() + " of " + CASES +
            " cases recovered a wrong lastTimestamp (the next append would accept a regressing timestamp), e.g. " +
            wrongLastTimestamps.subList(0, Math.min(5, wrongLastTimestamps.size())));
    }

    /**
     * The frame at an index entry is torn after the fields the index entry is checked against (length, offset,
     * timestamp), so recovery starts its scan at that entry and finds the frame damaged at once: the last
     * record kept is the one before it, in this segment, and its timestamp is the floor for the next append.
     */
    @Test
    void shouldRefuseARegressingTimestampAfterATearInsideAnIndexedFrame() throws IOException
    {
        for (final int entry : new int[] { INTERVAL, 2 * INTERVAL })
        {
            final Path dir = root.resolve("indexed-" + entry);
            copyDirectory(built.dir, dir);
            final int start = built.lastSegmentPositions.get(entry);
            // the template id (bytes 24..27, never 0 here) is zeroed: the CRC fails, the header still matches
            zero(dir.resolve(segmentFileName(built.lastBase)), start + TEMPLATE_ID_OFFSET, built.writtenEnd);
            final int expectedCount = (int)built.lastBase + entry;
            final Rec lastKept = built.records.get(expectedCount - 1);
            assertTrue(lastKept.timestamp() > built.records.get((int)built.lastBase - 1).timestamp());
            final String context = "torn inside the frame of index entry " + entry / INTERVAL;

            final long recoveredLastTimestamp;
            final long regressing;
            try (JournalWriter writer = JournalWriter.open(dir, SEGMENT_LENGTH))
            {
                assertEquals(expectedCount, writer.nextOffset(), context);
                recoveredLastTimestamp = writer.lastTimestamp();
                regressing = append(writer, new byte[] { 1 }, 1, lastKept.timestamp() - 1);
            }
            final List<JournalVerifier.Problem> problems = new ArrayList<>();
            JournalVerifier.verify(dir, (p) -> problems.add(p));
            assertAll(context,
                () -> assertEquals(lastKept.timestamp(), recoveredLastTimestamp, context + ": recovered lastTimestamp " +
                    "(" + built.records.get((int)built.lastBase - 1).timestamp() + " is the previous segment's last)"),
                () -> assertEquals(JournalWriter.TIMESTAMP_REGRESSION, regressing, context + ": an append with a " +
                    "timestamp before the last kept record's was accepted; the verifier then finds " + problems));
        }
    }

    @Test
    void shouldDiscardRandomGarbageAfterTheLastRecordOfALaterSegment() throws IOException
    {
        final Random random = new Random(52);
        // just rolled (one record in the active segment), one before an index entry, and many
        final Built[] journals = {
            buildJournal(root.resolve("one"), new Random(53), 1),
            buildJournal(root.resolve("interval"), new Random(54), INTERVAL),
            built };
        final int[] garbageLengths = { 1, 3, 4, 8, 31, 100, 5000 };
        int n = 0;
        for (final Built journal : journals)
        {
            for (int i = 0; i < garbageLengths.length * 4; i++)
            {
                final byte[] garbage = randomPayload(random, garbageLengths[i % garbageLengths.length]);
                if (i % 4 == 1 && garbage.length > 8)
                {
                    Arrays.fill(garbage, 0, 4, (byte)0); // reads as "nothing written yet", then garbage
                }
                if (garbage.length >= 4 && littleEndian(garbage).getInt(0) == END_OF_SEGMENT)
                {
                    garbage[0] = 1;
                }
                final int at = i % 4 == 3 ? SEGMENT_LENGTH - garbage.length : -1;
                assertGarbageDiscarded(journal, root.resolve("garbage-" + n++), garbage, at);
            }
        }
    }

    @Test
    void shouldDiscardAPlausibleFrameThatIsNotARecordInALaterSegment() throws IOException
    {
        final Random random = new Random(55);
        final Built[] journals = {
            buildJournal(root.resolve("one"), new Random(56), 1),
            buildJournal(root.resolve("interval"), new Random(57), INTERVAL),
            built };
        int n = 0;
        for (final Built journal : journals)
        {
            final long nextOffset = journal.records.size();
            final long ts = journal.records.get(journal.records.size() - 1).timestamp() + 1;
            for (int bit = 0; bit < 32; bit += 5)
            {
                // plausible length, right offset, wrong CRC
                final byte[] frame = frameBytes(nextOffset, ts, 3, randomPayload(random, 17));
                final ByteBuffer buffer = littleEndian(frame);
                buffer.putInt(CRC_OFFSET, buffer.getInt(CRC_OFFSET) ^ (1 << bit));
                assertGarbageDiscarded(journal, root.resolve("crc-" + n++), frame, -1);
            }
            // right CRC, wrong offsets: a stale frame, and one from the future
            assertGarbageDiscarded(journal, root.resolve("stale-" + n++),
                frameBytes(nextOffset - 1, ts, 3, new byte[9]), -1);
            assertGarbageDiscarded(journal, root.resolve("future-" + n++),
                frameBytes(nextOffset + 1, ts, 3, new byte[9]), -1);
            // a whole valid next frame, but after a gap of zeros: never reached
            final byte[] afterGap = new byte[8 + alignedFrameLength(9)];
            System.arraycopy(frameBytes(nextOffset, ts, 3, randomPayload(random, 9)), 0, afterGap, 8, afterGap.length - 8);
            assertGarbageDiscarded(journal, root.resolve("gap-" + n++), afterGap, -1);
            // right CRC and offset, but a length running past the end of the segment, or shorter than a header
            final byte[] tooLong = frameBytes(nextOffset, ts, 3, new byte[9]);
            littleEndian(tooLong).putInt(LENGTH_OFFSET, SEGMENT_LENGTH);
            assertGarbageDiscarded(journal, root.resolve("long-" + n++), tooLong, -1);
            final byte[] tooShort = frameBytes(nextOffset, ts, 3, new byte[9]);
            littleEndian(tooShort).putInt(LENGTH_OFFSET, FRAME_HEADER_LENGTH - 1);
            assertGarbageDiscarded(journal, root.resolve("short-" + n++), tooShort, -1);
        }
    }

    /**
     * Copy a journal, put bytes after its last record (or at {@code at}) in the active segment, and check
     * neither a reader nor a reopened writer takes them for a record; the verifier is clean after recovery.
     */
    private static void assertGarbageDiscarded(final Built journal, final Path dir, final byte[] garbage, final int at)
        throws IOException
    {
        copyDirectory(journal.dir, dir);
        final List<Rec> records = new ArrayList<>(journal.records);
        final int count = records.size();
        final long lastTimestamp = records.get(count - 1).timestamp();
        final Path segment = dir.resolve(segmentFileName(journal.lastBase));
        final int garbageAt = at < 0 ? journal.writtenEnd : at;
        writeAt(segment, garbageAt, garbage);
        final int lastDirty = garbageAt + lastNonZero(garbage, 0, garbage.length);
        final long expectedTruncated = lastDirty < garbageAt ? 0 : lastDirty + 1 - journal.writtenEnd;
        final String context = dir.getFileName().toString();

        // A reader before recovery delivers the valid records and nothing else.
        try (JournalReader reader = JournalReader.open(dir))
        {
            final Collector collector = new Collector();
            try
            {
                while (reader.poll(collector, 97) > 0)
                {
                    assertTrue(collector.records.size() <= count, context);
                }
            }
            catch (final JournalException ex)
            {
                assertTrue(ex.getMessage().contains(segmentFileName(journal.lastBase)), ex.getMessage());
                assertTrue(ex.getMessage().contains("offset " + count), ex.getMessage());
            }
            assertRecords(records, collector.records);

            // seeking to the end finds no record either: it says false or reports the damage, and if it checked
            // only the header of a frame there (seek does not check the CRC of its target), nothing is delivered
            boolean positioned;
            try
            {
                positioned = reader.seek(count);
            }
            catch (final JournalException ex)
            {
                positioned = false;
            }
            if (positioned)
            {
                collector.records.clear();
                try
                {
                    reader.poll(collector, 1);
                }
                catch (final JournalException ex)
                {
                    assertTrue(ex.getMessage().contains("offset " + count), ex.getMessage());
                }
                assertTrue(collector.records.isEmpty(), context + ": a record was delivered at " + count);
            }
        }

        try (JournalWriter writer = JournalWriter.open(dir, SEGMENT_LENGTH))
        {
            assertEquals(count, writer.nextOffset(), context);
            assertEquals(expectedTruncated, writer.truncatedBytes(), context);
            assertEquals(lastTimestamp, writer.lastTimestamp(), context);
        }
        assertEquals(-1, lastNonZero(Files.readAllBytes(segment), journal.writtenEnd, SEGMENT_LENGTH), context);
        assertClean(dir, count);
        assertRecords(records, readAll(dir));

        try (JournalWriter writer = JournalWriter.open(dir, SEGMENT_LENGTH))
        {
            assertEquals(0, writer.truncatedBytes(), context);
            records.add(appendExpecting(writer, count, new byte[] { 9 }, 9, lastTimestamp + 1));
        }
        assertRecords(records, readAll(dir));
        assertClean(dir, count + 1);
        deleteRecursively(dir);
    }

    private static void assertClean(final Path dir, final long expectedEnd)
    {
        final List<JournalVerifier.Problem> problems = new ArrayList<>();
        final JournalVerifier.Report report = JournalVerifier.verify(dir, (p) -> problems.add(p));
        assertTrue(problems.isEmpty() && report.ok(), dir.getFileName() + ": verifier found " + problems);
        assertEquals(expectedEnd, report.endOffset(), dir.getFileName() + ": verifier end offset");
        assertEquals(expectedEnd, report.records(), dir.getFileName() + ": verifier records");
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

    private static void deleteRecursively(final Path dir) throws IOException
    {
        try (Stream<Path> files = Files.walk(dir))
        {
            for (final Path file : files.sorted(Comparator.reverseOrder()).toList())
            {
                Files.delete(file);
            }
        }
    }
}
