package io.txmon.journal;

import io.txmon.journal.JournalTestSupport.Rec;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
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

import static io.txmon.journal.JournalDescriptor.*;
import static io.txmon.journal.JournalTestSupport.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The index is derived data: lost or damaged index files change nothing a reader finds, are rebuilt to the
 * very bytes the writer wrote, and a writer reopened without its active index recovers the same end.
 */
class JournalIndexTest
{
    private static final int SEGMENT_LENGTH = 256 * 1024;
    /** Records at least; the build goes on until the active segment holds three index intervals. */
    private static final int RECORDS = 200_000;
    private static final int QUERIES_PER_SEGMENT = 8;
    private static final int CROSS_SEGMENT_QUERIES = 300;

    @TempDir
    static Path shared;

    private static Path base;
    /** Records in the journal. */
    private static int total;
    /** Timestamp of each record, by offset. */
    private static long[] timestamps;
    /** The pristine index files, by name. */
    private static Map<String, byte[]> pristineIndexes;
    private static long[] seekOffsets;
    private static long[] seekTimes;
    /** What a reader answered on the undamaged journal, checked against {@link #timestamps}. */
    private static List<String> baseline;

    @TempDir
    Path root;

    @BeforeAll
    static void buildJournal() throws IOException
    {
        base = shared.resolve("base");
        final Random random = new Random(41);
        long[] ts = new long[RECORDS + 4 * SEGMENT_LENGTH / FRAME_HEADER_LENGTH];
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[64]);
        int count = 0;
        try (JournalWriter writer = JournalWriter.open(base, SEGMENT_LENGTH))
        {
            long timestamp = 1_000_000;
            long activeBase = 0;
            long rolls = 0;
            while (count < RECORDS || count - activeBase < 3 * DEFAULT_INDEX_INTERVAL + 17)
            {
                final int r = random.nextInt(100);
                timestamp += r < 60 ? 0 : r < 95 ? 1 + random.nextInt(10) : 1_000 + random.nextInt(100_000);
                ts[count] = timestamp;
                final int length = random.nextInt(49);
                payload.putLong(0, count);
                assertEquals(count, writer.append(payload, 0, length, count & 0xFF, timestamp));
                if (writer.rolls() != rolls)
                {
                    rolls = writer.rolls();
                    activeBase = count;
                }
                count++;
            }
        }
        total = count;
        timestamps = Arrays.copyOf(ts, total);
        final List<Journal.SegmentInfo> segments = Journal.segments(base);
        assertTrue(segments.size() > 30, "segments: " + segments.size());
        pristineIndexes = indexFiles(base);
        assertEquals(segments.size(), pristineIndexes.size());
        assertClean(base);

        // Queries grouped by segment, in random order within it (a reader maps one segment at a time, so this
        // keeps the test fast while every seek still goes through the segment's index), then some in fully
        // random order, switching segment nearly every time.
        final List<Long> offsets = new ArrayList<>();
        final List<Long> times = new ArrayList<>();
        for (final Journal.SegmentInfo info : segments)
        {
            final List<Long> segmentOffsets = new ArrayList<>();
            final List<Long> segmentTimes = new ArrayList<>();
            for (int i = 0; i < QUERIES_PER_SEGMENT; i++)
            {
                segmentOffsets.add(info.baseOffset() + random.nextInt((int)info.records()));
                final long t = timestamps[(int)info.baseOffset() + random.nextInt((int)info.records())];
                segmentTimes.add(i % 3 == 0 ? t : i % 3 == 1 ? t + 1 : t - 1);
            }
            for (final long o : new long[] { info.baseOffset(), info.endOffset() - 1 })
            {
                segmentOffsets.add(o);
                segmentTimes.add(timestamps[(int)o]);
                segmentTimes.add(timestamps[(int)o] + 1);
            }
            // every offset an index entry describes, and the records either side of the first in-segment one
            for (long o = info.baseOffset(); o < info.endOffset(); o += DEFAULT_INDEX_INTERVAL)
            {
                segmentOffsets.add(o);
                segmentTimes.add(timestamps[(int)o]);
            }
            segmentOffsets.add(info.baseOffset() + DEFAULT_INDEX_INTERVAL - 1);
            segmentOffsets.add(info.baseOffset() + DEFAULT_INDEX_INTERVAL + 1);
            java.util.Collections.shuffle(segmentOffsets, random);
            java.util.Collections.shuffle(segmentTimes, random);
            offsets.addAll(segmentOffsets);
            times.addAll(segmentTimes);
        }
        for (int i = 0; i < CROSS_SEGMENT_QUERIES; i++)
        {
            offsets.add((long)random.nextInt(total));
            times.add(timestamps[random.nextInt(total)] + random.nextInt(3) - 1);
        }
        offsets.addAll(List.of((long)total, total + 1L, total + 100_000L, -1L));
        times.addAll(List.of(Long.MIN_VALUE, timestamps[0] - 1, timestamps[total - 1] + 1, Long.MAX_VALUE));
        seekOffsets = offsets.stream().mapToLong(Long::longValue).toArray();
        seekTimes = times.stream().mapToLong(Long::longValue).toArray();

        baseline = seekResults(base);
        // the baseline itself is right
        int k = 0;
        for (final long offset : seekOffsets)
        {
            final String expected = offset >= 0 && offset < total ? describe(offset) : "seek(" + offset + ")=false";
            assertEquals(expected, baseline.get(k++));
        }
        for (final long t : seekTimes)
        {
            int first = Arrays.binarySearch(timestamps, t);
            if (first < 0)
            {
                first = -first - 1;
            }
            while (first > 0 && timestamps[first - 1] >= t)
            {
                first--;
            }
            final String expected = first == total ? "seekTime(" + t + ")=NOT_FOUND" :
                "seekTime(" + t + ")=" + first + " " + describe(first);
            assertEquals(expected, baseline.get(k++));
        }
    }

    private static String describe(final long offset)
    {
        return "record " + offset + " at " + timestamps[(int)offset];
    }

    /**
     * Seek for every query with one fresh reader, describing the answer and the record polled after it.
     */
    private static List<String> seekResults(final Path dir)
    {
        final List<String> results = new ArrayList<>();
        final long[] polled = new long[2];
        final RecordHandler handler = (offset, timestamp, templateId, buffer, payloadOffset, payloadLength) ->
        {
            polled[0] = offset;
            polled[1] = timestamp;
            if (payloadLength >= 8 && buffer.getLong(payloadOffset) != offset || templateId != (int)(offset & 0xFF))
            {
                fail("record " + offset + " has the wrong content");
            }
        };
        try (JournalReader reader = JournalReader.open(dir))
        {
            for (final long offset : seekOffsets)
            {
                if (!reader.seek(offset))
                {
                    results.add("seek(" + offset + ")=false");
                    continue;
                }
                assertEquals(1, reader.poll(handler, 1), "record after seek(" + offset + ")");
                results.add("record " + polled[0] + " at " + polled[1]);
            }
            for (final long t : seekTimes)
            {
                final long found = reader.seekTime(t);
                if (found == JournalReader.NOT_FOUND)
                {
                    assertEquals(0, reader.poll(handler, 1), "record after seekTime(" + t + ") = NOT_FOUND");
                    results.add("seekTime(" + t + ")=NOT_FOUND");
                    continue;
                }
                assertEquals(1, reader.poll(handler, 1), "record after seekTime(" + t + ")");
                results.add("seekTime(" + t + ")=" + found + " record " + polled[0] + " at " + polled[1]);
            }
        }
        return results;
    }

    private static void assertSameSeeks(final Path dir, final String context)
    {
        final List<String> results = seekResults(dir);
        assertEquals(baseline.size(), results.size(), context);
        for (int i = 0; i < results.size(); i++)
        {
            assertEquals(baseline.get(i), results.get(i), context + ": query " + i);
        }
    }

    /**
     * After the damage: a fresh reader seeks as before; the verifier notices (when asked to); a rebuild
     * restores the writer's very bytes and a clean verification; seeks are still the same.
     */
    private static void assertRepairedByRebuild(final Path dir, final String context, final boolean damageVisible)
        throws IOException
    {
        assertSameSeeks(dir, context);
        if (damageVisible)
        {
            assertFalse(verify(dir).isEmpty(), context + ": the verifier did not notice the damaged index");
        }
        assertEquals(pristineIndexes.size(), Journal.rebuildIndexes(dir), context + ": segments re-indexed");
        assertClean(dir);
        final Map<String, byte[]> rebuilt = indexFiles(dir);
        assertEquals(pristineIndexes.keySet(), rebuilt.keySet(), context);
        for (final Map.Entry<String, byte[]> e : pristineIndexes.entrySet())
        {
            assertArrayEquals(e.getValue(), rebuilt.get(e.getKey()), context + ": rebuilt " + e.getKey());
        }
        assertSameSeeks(dir, context + " (after rebuild)");
    }

    private Path copy(final String name) throws IOException
    {
        final Path dir = root.resolve(name);
        copyDirectory(base, dir);
        return dir;
    }

    @Test
    void shouldSeekTheSameWithoutAnyIndexFile() throws IOException
    {
        final Path dir = copy("deleted");
        for (final String name : pristineIndexes.keySet())
        {
            Files.delete(dir.resolve(name));
        }
        assertRepairedByRebuild(dir, "every .idx deleted", true);
    }

    @Test
    void shouldSeekTheSameWithIndexFilesOfRandomBytes() throws IOException
    {
        final Random random = new Random(42);
        final Path dir = copy("random");
        int k = 0;
        for (final Map.Entry<String, byte[]> e : pristineIndexes.entrySet())
        {
            final byte[] bytes = new byte[e.getValue().length];
            random.nextBytes(bytes);
            if (k++ % 2 == 1)
            {
                // a believable header in front of random entries and a random count
                System.arraycopy(e.getValue(), 0, bytes, 0, INDEX_COUNT_OFFSET);
            }
            Files.write(dir.resolve(e.getKey()), bytes);
        }
        assertRepairedByRebuild(dir, "random .idx bytes", true);
    }

    @Test
    void shouldSeekTheSameWithTruncatedIndexFiles() throws IOException
    {
        final Random random = new Random(43);
        final Path dir = copy("truncated");
        int k = 0;
        for (final Map.Entry<String, byte[]> e : pristineIndexes.entrySet())
        {
            final int entries = littleEndian(e.getValue()).getInt(INDEX_COUNT_OFFSET);
            final long size = switch (k++ % 6)
            {
                case 0 -> 0;
                case 1 -> 1 + random.nextInt(INDEX_HEADER_LENGTH - 1);
                case 2 -> INDEX_HEADER_LENGTH;
                case 3 -> INDEX_HEADER_LENGTH + (long)random.nextInt(Math.max(1, entries)) * INDEX_ENTRY_LENGTH;
                case 4 -> INDEX_HEADER_LENGTH + (long)random.nextInt(Math.max(1, entries)) * INDEX_ENTRY_LENGTH +
                    1 + random.nextInt(INDEX_ENTRY_LENGTH - 1);
                default -> INDEX_HEADER_LENGTH + (long)(entries - 1) * INDEX_ENTRY_LENGTH + INDEX_ENTRY_LENGTH / 2;
            };
            try (FileChannel channel = FileChannel.open(dir.resolve(e.getKey()), StandardOpenOption.WRITE))
            {
                channel.truncate(size);
            }
        }
        assertRepairedByRebuild(dir, "truncated .idx", true);
    }

    private enum EntryDamage
    {
        POSITION_OF_NEXT_FRAME, POSITION_OF_PREVIOUS_ENTRY, POSITION_UNALIGNED, POSITION_INSIDE_FRAME,
        POSITION_BEYOND_SEGMENT, POSITION_NEGATIVE, OFFSET_PLUS_ONE, OFFSET_MINUS_INTERVAL, TIMESTAMP_PLUS_ONE,
        TIMESTAMP_MINUS_ONE, SWAPPED_WITH_NEXT_ENTRY, COUNT_BEYOND_CAPACITY, COUNT_NEGATIVE
    }

    @Test
    void shouldSeekTheSameWithSingleDamagedEntries() throws IOException
    {
        // every kind of damage, each in several segments (segment i gets kind i mod kinds) of one journal
        final Random random = new Random(44);
        final EntryDamage[] kinds = EntryDamage.values();
        final int[] damagedByKind = new int[kinds.length];
        final Path dir = copy("entries");
        int i = 0;
        for (final Map.Entry<String, byte[]> e : pristineIndexes.entrySet())
        {
            final EntryDamage damage = kinds[i++ % kinds.length];
            {
                final byte[] bytes = e.getValue().clone();
                final ByteBuffer buffer = littleEndian(bytes);
                final int count = buffer.getInt(INDEX_COUNT_OFFSET);
                if (count < 3)
                {
                    fail(e.getKey() + " has only " + count + " entries");
                }
                // the first, the last, or one in between
                final int pick = random.nextInt(3);
                final int k = pick == 0 ? 0 : pick == 1 ? count - 2 : 1 + random.nextInt(count - 2);
                final int at = INDEX_HEADER_LENGTH + k * INDEX_ENTRY_LENGTH;
                final int next = at + INDEX_ENTRY_LENGTH;
                final int position = buffer.getInt(at + INDEX_ENTRY_POSITION_OFFSET);
                final long offset = buffer.getLong(at + INDEX_ENTRY_OFFSET_OFFSET);
                final int frameLength = alignedFrameLength(payloadLengthAt(dir, e.getKey(), position));
                switch (damage)
                {
                    case POSITION_OF_NEXT_FRAME -> buffer.putInt(at + INDEX_ENTRY_POSITION_OFFSET, position + frameLength);
                    case POSITION_OF_PREVIOUS_ENTRY -> buffer.putInt(at + INDEX_ENTRY_POSITION_OFFSET,
                        k == 0 ? SEGMENT_HEADER_LENGTH + 8 : buffer.getInt(at - INDEX_ENTRY_LENGTH + INDEX_ENTRY_POSITION_OFFSET));
                    case POSITION_UNALIGNED -> buffer.putInt(at + INDEX_ENTRY_POSITION_OFFSET, position + 4);
                    case POSITION_INSIDE_FRAME -> buffer.putInt(at + INDEX_ENTRY_POSITION_OFFSET, position + 8);
                    case POSITION_BEYOND_SEGMENT -> buffer.putInt(at + INDEX_ENTRY_POSITION_OFFSET, SEGMENT_LENGTH - 8);
                    case POSITION_NEGATIVE -> buffer.putInt(at + INDEX_ENTRY_POSITION_OFFSET, -position);
                    case OFFSET_PLUS_ONE -> buffer.putLong(at + INDEX_ENTRY_OFFSET_OFFSET, offset + 1);
                    case OFFSET_MINUS_INTERVAL -> buffer.putLong(at + INDEX_ENTRY_OFFSET_OFFSET, offset - DEFAULT_INDEX_INTERVAL);
                    case TIMESTAMP_PLUS_ONE -> buffer.putLong(at + INDEX_ENTRY_TIMESTAMP_OFFSET,
                        buffer.getLong(at + INDEX_ENTRY_TIMESTAMP_OFFSET) + 1);
                    case TIMESTAMP_MINUS_ONE -> buffer.putLong(at + INDEX_ENTRY_TIMESTAMP_OFFSET,
                        buffer.getLong(at + INDEX_ENTRY_TIMESTAMP_OFFSET) - 1);
                    case SWAPPED_WITH_NEXT_ENTRY ->
                    {
                        final byte[] entry = Arrays.copyOfRange(bytes, at, next);
                        System.arraycopy(bytes, next, bytes, at, INDEX_ENTRY_LENGTH);
                        System.arraycopy(entry, 0, bytes, next, INDEX_ENTRY_LENGTH);
                    }
                    case COUNT_BEYOND_CAPACITY -> buffer.putInt(INDEX_COUNT_OFFSET, Integer.MAX_VALUE);
                    case COUNT_NEGATIVE -> buffer.putInt(INDEX_COUNT_OFFSET, -count);
                    default -> throw new AssertionError(damage);
                }
                Files.write(dir.resolve(e.getKey()), bytes);
                damagedByKind[damage.ordinal()]++;
            }
        }
        for (final EntryDamage damage : kinds)
        {
            assertTrue(damagedByKind[damage.ordinal()] >= 3, damage + ": indexes damaged " + damagedByKind[damage.ordinal()]);
        }
        assertRepairedByRebuild(dir, "single damaged entries", true);
    }

    private static int payloadLengthAt(final Path dir, final String indexName, final int position) throws IOException
    {
        final Path segment = dir.resolve(indexName.replace(INDEX_SUFFIX, SEGMENT_SUFFIX));
        return littleEndian(readAt(segment, position, 4)).getInt(0) - FRAME_HEADER_LENGTH;
    }

    @Test
    void shouldRefuseToRebuildWhileAWriterHasTheJournalOpen() throws IOException
    {
        final Path dir = copy("locked");
        final long nextTs = timestamps[total - 1];
        try (JournalWriter writer = JournalWriter.open(dir, SEGMENT_LENGTH))
        {
            appendExpecting(writer, total, new byte[] { 1, 2, 3 }, 1, nextTs);
            final Map<String, byte[]> before = snapshot(dir);
            final JournalException ex = assertThrows(JournalException.class, () -> Journal.rebuildIndexes(dir));
            assertTrue(ex.getMessage().contains(Long.toString(ProcessHandle.current().pid())), ex.getMessage());
            assertTrue(ex.getMessage().contains("open for writing"), ex.getMessage());
            assertSameFiles(before, snapshot(dir));

            // the refusal took nothing from the writer: it still holds the lock and appends
            assertThrows(JournalException.class, () -> JournalWriter.open(dir, SEGMENT_LENGTH).close());
            appendExpecting(writer, total + 1, new byte[] { 4 }, 1, nextTs);
        }
        assertEquals(pristineIndexes.size(), Journal.rebuildIndexes(dir));
        assertClean(dir);
        assertEquals(total + 2, readAll(dir).size());
    }

    private enum ActiveIndexDamage
    {
        DELETED, RANDOM_BYTES, EMPTY_FILE, LAST_ENTRY_WRONG, ALL_INDEXES_DELETED
    }

    @Test
    void shouldReopenAWriterWhoseActiveIndexIsLostOrDamaged() throws IOException
    {
        final Random random = new Random(45);
        final List<Journal.SegmentInfo> segments = Journal.segments(base);
        final long activeBase = segments.get(segments.size() - 1).baseOffset();
        final String activeIndex = indexFileName(activeBase);
        assertTrue(total - activeBase > 3 * DEFAULT_INDEX_INTERVAL, "active segment holds " + (total - activeBase));

        for (final ActiveIndexDamage damage : ActiveIndexDamage.values())
        {
            final Path dir = copy("active-" + damage);
            final Path file = dir.resolve(activeIndex);
            switch (damage)
            {
                case DELETED -> Files.delete(file);
                case RANDOM_BYTES -> Files.write(file, randomPayload(random, (int)Files.size(file)));
                case EMPTY_FILE -> Files.write(file, new byte[0]);
                case LAST_ENTRY_WRONG ->
                {
                    final byte[] bytes = Files.readAllBytes(file);
                    final ByteBuffer buffer = littleEndian(bytes);
                    final int last = INDEX_HEADER_LENGTH + (buffer.getInt(INDEX_COUNT_OFFSET) - 1) * INDEX_ENTRY_LENGTH;
                    buffer.putInt(last + INDEX_ENTRY_POSITION_OFFSET, buffer.getInt(last + INDEX_ENTRY_POSITION_OFFSET) + 40);
                    Files.write(file, bytes);
                }
                case ALL_INDEXES_DELETED ->
                {
                    for (final String name : pristineIndexes.keySet())
                    {
                        Files.delete(dir.resolve(name));
                    }
                }
                default -> throw new AssertionError(damage);
            }
            final String context = "active index " + damage;

            final List<Rec> appended = new ArrayList<>();
            long ts = timestamps[total - 1];
            try (JournalWriter writer = JournalWriter.open(dir, SEGMENT_LENGTH))
            {
                assertEquals(total, writer.nextOffset(), context);
                assertEquals(timestamps[total - 1], writer.lastTimestamp(), context);
                assertEquals(0, writer.truncatedBytes(), context);
                assertEquals(JournalWriter.TIMESTAMP_REGRESSION, append(writer, new byte[1], 0, ts - 1), context);
                // enough to pass several index entries and roll at least once
                while (writer.rolls() == 0 || appended.size() < 3 * DEFAULT_INDEX_INTERVAL)
                {
                    ts += random.nextInt(3);
                    appended.add(appendExpecting(writer, total + appended.size(),
                        randomPayload(random, random.nextInt(200)), 9, ts));
                }
            }
            assertClean(dir, damage == ActiveIndexDamage.ALL_INDEXES_DELETED ? activeBase : -1);

            final List<Rec> all = readAll(dir);
            assertEquals(total + appended.size(), all.size(), context);
            for (int i = 0; i < total; i += 997)
            {
                assertEquals(timestamps[i], all.get(i).timestamp(), context);
            }
            assertRecords(appended, all.subList(total, all.size()));

            // the index entries written after recovery serve seeks: every appended offset and time
            try (JournalReader reader = JournalReader.open(dir))
            {
                final JournalTestSupport.Collector collector = new JournalTestSupport.Collector();
                for (int i = 0; i < appended.size(); i += 7)
                {
                    final Rec rec = appended.get(i);
                    assertTrue(reader.seek(rec.offset()), context);
                    collector.records.clear();
                    assertEquals(1, reader.poll(collector, 1), context);
                    assertRecord(rec, collector.records.get(0));
                    final long first = reader.seekTime(rec.timestamp());
                    assertEquals(rec.timestamp(), all.get((int)first).timestamp(), context);
                    assertTrue(first == 0 || all.get((int)first - 1).timestamp() < rec.timestamp(), context);
                }
            }
        }
    }

    private static void assertClean(final Path dir)
    {
        assertClean(dir, -1);
    }

    /**
     * Verify, allowing only "index file is missing" for segments before {@code missingBefore}.
     */
    private static void assertClean(final Path dir, final long missingBefore)
    {
        final List<JournalVerifier.Problem> problems = verify(dir);
        if (missingBefore >= 0)
        {
            problems.removeIf((p) -> p.description().startsWith("index file is missing") &&
                parseBaseOffset(p.file().getFileName().toString().replace(INDEX_SUFFIX, SEGMENT_SUFFIX)) < missingBefore);
        }
        assertTrue(problems.isEmpty(), dir.getFileName() + ": verifier found " + problems);
    }

    private static List<JournalVerifier.Problem> verify(final Path dir)
    {
        final List<JournalVerifier.Problem> problems = new ArrayList<>();
        JournalVerifier.verify(dir, (p) -> problems.add(p));
        return problems;
    }

    private static Map<String, byte[]> indexFiles(final Path dir) throws IOException
    {
        final Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> list = Files.list(dir))
        {
            for (final Path file : list.toList())
            {
                final String name = file.getFileName().toString();
                if (name.endsWith(INDEX_SUFFIX))
                {
                    files.put(name, Files.readAllBytes(file));
                }
            }
        }
        return files;
    }
}
