package io.txmon.journal;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Seeks by offset and by time on a journal of more than ten million records in some 25 segments, checked
 * against a linear scan of the whole journal.
 */
class JournalSeekTest
{
    private static final long RECORDS = 10_500_000;
    private static final int SEGMENT_LENGTH = 16 * 1024 * 1024;
    private static final int PAYLOAD_LENGTH = 8;
    private static final int QUERIES = 20_000;
    private static final int CROSS_SEGMENT_QUERIES = 2_000;
    private static final long TIMESTAMP_STEP = 10;
    private static final long JUMP_EVERY = 1_234_567;
    private static final long JUMP = 1_000_000;

    @TempDir
    static Path dir;

    /** Timestamp of every record, by offset, as a linear scan delivered them. */
    private static long[] timestamps;
    private static List<Journal.SegmentInfo> segments;

    /** Non-decreasing: runs of three equal values {@link #TIMESTAMP_STEP} apart, and an occasional jump. */
    private static long timestampOf(final long offset)
    {
        return 1_000 + (offset / 3) * TIMESTAMP_STEP + (offset / JUMP_EVERY) * JUMP;
    }

    @BeforeAll
    static void buildJournal()
    {
        final long start = System.nanoTime();
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[PAYLOAD_LENGTH]);
        try (JournalWriter writer = JournalWriter.open(dir, SEGMENT_LENGTH))
        {
            for (long offset = 0; offset < RECORDS; offset++)
            {
                payload.putLong(0, offset);
                final long result = writer.append(payload, 0, PAYLOAD_LENGTH, 7, timestampOf(offset));
                if (result != offset)
                {
                    fail("append of " + offset + " returned " + result + ": " + writer.lastError());
                }
            }
        }
        final long built = System.nanoTime();

        final long[] scanned = new long[(int)RECORDS];
        final class Scan implements RecordHandler
        {
            long next;

            public void onRecord(
                final long offset,
                final long timestamp,
                final int templateId,
                final DirectBuffer buffer,
                final int payloadOffset,
                final int payloadLength)
            {
                if (offset != next || payloadLength != PAYLOAD_LENGTH || buffer.getLong(payloadOffset) != offset ||
                    offset >= RECORDS)
                {
                    fail("linear scan: record " + offset + " where " + next + " was expected, payload length " +
                        payloadLength);
                }
                scanned[(int)offset] = timestamp;
                next++;
            }
        }
        final Scan scan = new Scan();
        try (JournalReader reader = JournalReader.open(dir))
        {
            while (reader.poll(scan, 4096) > 0)
            {
                // all of it
            }
        }
        assertEquals(RECORDS, scan.next, "records in the linear scan");
        for (int i = 0; i < scanned.length; i++)
        {
            if (scanned[i] != timestampOf(i))
            {
                fail("timestamp of " + i + " is " + scanned[i] + ", appended " + timestampOf(i));
            }
        }
        timestamps = scanned;
        segments = Journal.segments(dir);
        System.out.printf("JournalSeekTest: %,d records in %d segments, built in %d ms, scanned in %d ms%n",
            RECORDS, segments.size(), (built - start) / 1_000_000, (System.nanoTime() - built) / 1_000_000);
    }

    @AfterAll
    static void release()
    {
        timestamps = null;
        segments = null;
    }

    @Test
    void shouldDescribeEverySegmentConsistentlyWithTheScan()
    {
        assertTrue(segments.size() >= 25, "segments: " + segments.size());
        long expectedBase = 0;
        for (int i = 0; i < segments.size(); i++)
        {
            final Journal.SegmentInfo info = segments.get(i);
            assertEquals(expectedBase, info.baseOffset(), "segment " + i);
            assertTrue(info.endOffset() > info.baseOffset(), "segment " + i + " is empty");
            assertEquals(timestamps[(int)info.baseOffset()], info.firstTimestamp(), "first timestamp of segment " + i);
            assertEquals(timestamps[(int)info.endOffset() - 1], info.lastTimestamp(), "last timestamp of segment " + i);
            assertEquals(i == segments.size() - 1, info.active(), "segment " + i);
            assertEquals(i < segments.size() - 1, info.sealed(), "segment " + i);
            expectedBase = info.endOffset();
        }
        assertEquals(RECORDS, expectedBase);
        assertEquals(RECORDS, Journal.endOffset(dir));

        // equal timestamps run across some segment boundaries: seeking by time must go back a segment
        int straddling = 0;
        for (int i = 1; i < segments.size(); i++)
        {
            if (segments.get(i).firstTimestamp() == segments.get(i - 1).lastTimestamp())
            {
                straddling++;
            }
        }
        assertTrue(straddling > 0, "no run of equal timestamps crosses a segment boundary");
    }

    @Test
    void shouldSeekToEveryOffsetAskedFor()
    {
        final Random random = new Random(31);
        final List<Long> offsets = new ArrayList<>();
        for (int i = 0; i < QUERIES; i++)
        {
            offsets.add((long)(random.nextDouble() * RECORDS));
        }
        inSegmentOrder(offsets, random, (offset) -> offset);
        for (final Journal.SegmentInfo info : segments)
        {
            offsets.add(info.baseOffset());
            offsets.add(info.baseOffset() + 1);
            offsets.add(info.endOffset() - 1);
            offsets.add(info.endOffset() - 2);
        }
        offsets.add(0L);
        offsets.add(RECORDS - 1);

        final long start = System.nanoTime();
        try (JournalReader reader = JournalReader.open(dir))
        {
            final Expect expect = new Expect();
            int n = 0;
            for (final long offset : offsets)
            {
                assertTrue(reader.seek(offset), "seek to " + offset);
                expect.offset = offset;
                assertEquals(1, reader.poll(expect, 1), "record after seek to " + offset);
                assertEquals(offset + 1, reader.nextOffset());

                if (++n % 1000 == 0)
                {
                    // beyond the end, then back in: a failed seek leaves the reader usable
                    final long beyond = RECORDS + random.nextInt(1_000_000);
                    assertFalse(reader.seek(beyond), "seek to " + beyond);
                    assertFalse(reader.seek(RECORDS), "seek to the end");
                    assertFalse(reader.seek(-1), "seek to -1");
                }
            }
            assertFalse(reader.seek(RECORDS));
            assertFalse(reader.seek(RECORDS + 1));
            assertFalse(reader.seek(Long.MAX_VALUE));
            assertFalse(reader.seek(Long.MIN_VALUE));

            // reading on from a seek crosses segment boundaries record by record
            for (final Journal.SegmentInfo info : segments)
            {
                if (info.baseOffset() == 0)
                {
                    continue;
                }
                final long from = info.baseOffset() - 3;
                assertTrue(reader.seek(from));
                final Expect run = new Expect();
                run.offset = from;
                run.advance = true;
                assertEquals(6, reader.poll(run, 6), "records read on from " + from);
            }
        }
        System.out.printf("JournalSeekTest: %,d seeks by offset in %d ms%n",
            offsets.size(), (System.nanoTime() - start) / 1_000_000);
    }

    @Test
    void shouldSeekToTheFirstRecordAtOrAfterEveryTimeAskedFor()
    {
        final Random random = new Random(32);
        final long first = timestamps[0];
        final long last = timestamps[timestamps.length - 1];
        final List<Long> times = new ArrayList<>();
        for (int i = 0; i < QUERIES; i++)
        {
            final long at = timestamps[(int)(random.nextDouble() * RECORDS)];
            switch (i % 5)
            {
                case 0, 1 -> times.add(at);                                // exactly a run's value
                case 2 -> times.add(at + 1 + random.nextInt((int)TIMESTAMP_STEP - 1)); // between two values
                case 3 -> times.add(at - 1);                               // just before a run
                default -> times.add(first - 50 + (long)(random.nextDouble() * (last - first + 100)));
            }
        }
        inSegmentOrder(times, random, (t) -> (long)Math.min(lowerBound(timestamps, t), RECORDS - 1));
        // before the first record and after the last
        for (final long t : new long[] { Long.MIN_VALUE, 0, first - 1, first, last - 1, last, last + 1, Long.MAX_VALUE })
        {
            times.add(t);
        }
        // segment boundaries: the first and last record of each segment, and either side of them
        for (final Journal.SegmentInfo info : segments)
        {
            for (final long t : new long[] { info.firstTimestamp(), info.lastTimestamp() })
            {
                times.add(t - 1);
                times.add(t);
                times.add(t + 1);
            }
        }
        // the jumps: times inside a gap
        for (long j = JUMP_EVERY; j < RECORDS; j += JUMP_EVERY)
        {
            times.add(timestamps[(int)j] - JUMP / 2);
            times.add(timestamps[(int)j - 1] + 1);
        }

        final long start = System.nanoTime();
        int notFound = 0;
        try (JournalReader reader = JournalReader.open(dir))
        {
            final Expect expect = new Expect();
            for (final long t : times)
            {
                final long expected = lowerBound(timestamps, t);
                final long actual = reader.seekTime(t);
                if (expected == timestamps.length)
                {
                    assertEquals(JournalReader.NOT_FOUND, actual, "seekTime(" + t + ") after the last record");
                    assertEquals(0, reader.poll(expect, 1), "a record after seekTime(" + t + ") returned NOT_FOUND");
                    notFound++;
                    continue;
                }
                assertEquals(expected, actual, "seekTime(" + t + ")");
                expect.offset = expected;
                assertEquals(1, reader.poll(expect, 1), "record after seekTime(" + t + ")");
                assertTrue(timestamps[(int)expected] >= t);
                assertTrue(expected == 0 || timestamps[(int)expected - 1] < t);
            }
        }
        assertTrue(notFound >= 3, "times after the last record: " + notFound);
        System.out.printf("JournalSeekTest: %,d seeks by time in %d ms%n",
            times.size(), (System.nanoTime() - start) / 1_000_000);
    }

    /**
     * Order random queries for speed, keeping them random: a reader maps one segment at a time and loads its
     * index on every switch (about 1 ms for a 16 MiB segment here), so most queries are grouped by the
     * segment they land in, in random order within it, and {@link #CROSS_SEGMENT_QUERIES} of them are
     * appended again in fully random order, switching segment nearly every time.
     */
    private static void inSegmentOrder(
        final List<Long> queries, final Random random, final java.util.function.LongUnaryOperator targetOffset)
    {
        final List<Long> crossing = new ArrayList<>(queries.subList(0, CROSS_SEGMENT_QUERIES));
        java.util.Collections.shuffle(queries, random);
        final java.util.Map<Long, Integer> rank = new java.util.HashMap<>();
        for (final long q : queries)
        {
            rank.putIfAbsent(q, rank.size());
        }
        queries.sort(java.util.Comparator
            .comparingInt((Long q) -> segmentOf(targetOffset.applyAsLong(q)))
            .thenComparingInt(rank::get));
        queries.addAll(crossing);
    }

    private static int segmentOf(final long offset)
    {
        int i = 0;
        while (i < segments.size() - 1 && segments.get(i + 1).baseOffset() <= offset)
        {
            i++;
        }
        return i;
    }

    /**
     * @return the first index whose value is at or after {@code t}, or the length if none.
     */
    private static int lowerBound(final long[] values, final long t)
    {
        int lo = 0;
        int hi = values.length;
        while (lo < hi)
        {
            final int mid = (lo + hi) >>> 1;
            if (values[mid] < t)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }
        return lo;
    }

    /**
     * Checks the record delivered is the one at {@link #offset}, against the linear scan.
     */
    private static final class Expect implements RecordHandler
    {
        long offset;
        boolean advance;

        public void onRecord(
            final long offset,
            final long timestamp,
            final int templateId,
            final DirectBuffer buffer,
            final int payloadOffset,
            final int payloadLength)
        {
            if (offset != this.offset || timestamp != timestamps[(int)offset] || payloadLength != PAYLOAD_LENGTH ||
                buffer.getLong(payloadOffset) != offset)
            {
                fail("delivered offset " + offset + " timestamp " + timestamp + " where offset " + this.offset +
                    " timestamp " + timestamps[(int)this.offset] + " was expected");
            }
            if (advance)
            {
                this.offset++;
            }
        }
    }
}
