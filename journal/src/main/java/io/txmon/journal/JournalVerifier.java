package io.txmon.journal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;

import static io.txmon.journal.JournalDescriptor.*;

/**
 * Checks everything a journal can check about itself: segment headers, every frame's CRC, dense offsets
 * within and across segments, timestamps that never go backwards, end-of-segment markers, bytes left
 * after the last record, every index entry, every seal, the hash chain from segment to segment, and that
 * each sealed segment still hashes to its seal (which catches a record rewritten with a recomputed CRC).
 * <p>
 * Read only; safe to run while a writer appends (the active segment is checked up to what is written).
 */
public final class JournalVerifier
{
    private JournalVerifier()
    {
    }

    /**
     * One problem.
     *
     * @param file        the problem is in.
     * @param offset      of the record where it is, or -1 when it is about the whole file.
     * @param description of the problem.
     */
    public record Problem(Path file, long offset, String description)
    {
        @Override
        public String toString()
        {
            return file.getFileName() + (offset >= 0 ? " at offset " + offset : "") + ": " + description;
        }
    }

    /**
     * Receives problems as they are found.
     */
    @FunctionalInterface
    public interface ProblemHandler
    {
        /**
         * @param problem found.
         * @return true to go on looking, false to stop.
         */
        boolean onProblem(Problem problem);
    }

    /**
     * What a verification saw.
     *
     * @param segments    checked.
     * @param records     read and checked.
     * @param firstOffset of the journal.
     * @param endOffset   the offset the next record will get.
     * @param problems    found.
     */
    public record Report(int segments, long records, long firstOffset, long endOffset, int problems)
    {
        /**
         * @return true if no problem was found.
         */
        public boolean ok()
        {
            return problems == 0;
        }
    }

    /**
     * Verify a journal.
     *
     * @param dir     of the journal.
     * @param handler told of each problem; return false from it to stop at the first.
     * @return the report.
     * @throws JournalException if the directory is not a journal at all.
     */
    public static Report verify(final Path dir, final ProblemHandler handler)
    {
        if (!Files.isDirectory(dir))
        {
            throw new JournalException("journal directory " + dir + " does not exist");
        }
        final JournalMetadata metadata = JournalMetadata.read(dir);
        final int interval = null == metadata ? DEFAULT_INDEX_INTERVAL : metadata.indexInterval();
        final long[] bases;
        try
        {
            bases = Segment.listBaseOffsets(dir);
        }
        catch (final IOException ex)
        {
            throw new JournalException("cannot list journal " + dir + ": " + ex.getMessage(), ex);
        }
        if (bases.length == 0)
        {
            throw new JournalException("no journal segments in " + dir + ": is it a txmon journal directory?");
        }

        final Checker checker = new Checker(dir, interval, handler);
        for (int i = 0; i < bases.length && !checker.stopped; i++)
        {
            checker.checkSegment(bases[i], i == bases.length - 1, i == 0);
        }
        return new Report(bases.length, checker.records, bases[0], checker.expectedOffset, checker.problems);
    }

    private static final class Checker
    {
        private final Path dir;
        private final int interval;
        private final ProblemHandler handler;
        private final MessageDigest digest = Seal.sha256();
        private long expectedOffset = -1;
        private long lastTimestamp = Long.MIN_VALUE;
        private byte[] previousHash;
        private long records;
        private int problems;
        private boolean stopped;

        Checker(final Path dir, final int interval, final ProblemHandler handler)
        {
            this.dir = dir;
            this.interval = interval;
            this.handler = handler;
        }

        private void problem(final Path file, final long offset, final String description)
        {
            problems++;
            if (!handler.onProblem(new Problem(file, offset, description)))
            {
                stopped = true;
            }
        }

        void checkSegment(final long base, final boolean active, final boolean first)
        {
            final Path path = dir.resolve(segmentFileName(base));
            if (expectedOffset >= 0 && base != expectedOffset)
            {
                problem(path, expectedOffset, "offsets are not dense: the previous segment ends before " +
                    expectedOffset + " but this one starts at " + base + " (a segment is missing or damaged)");
                if (stopped)
                {
                    return;
                }
            }
            expectedOffset = base;

            try (Segment segment = Segment.open(path, base, true))
            {
                checkFrames(segment, active, first);
            }
            catch (final IOException | JournalException ex)
            {
                problem(path, -1, ex.getMessage());
            }
        }

        private void checkFrames(final Segment segment, final boolean active, final boolean first)
        {
            final Path path = segment.path();
            final long base = segment.baseOffset();
            final int capacity = indexCapacity(segment.length(), interval);
            final long[] entryOffsets = new long[capacity];
            final int[] entryPositions = new int[capacity];
            final long[] entryTimestamps = new long[capacity];
            int entries = 0;

            int position = SEGMENT_HEADER_LENGTH;
            long offset = base;
            long firstTs = Long.MIN_VALUE;
            long lastTs = Long.MIN_VALUE;
            int result;
            while ((result = segment.scanFrame(position, offset)) > 0)
            {
                final long ts = segment.timestampAt(position);
                if (ts < lastTimestamp)
                {
                    problem(path, offset, "timestamp " + ts + " is before the previous record's " + lastTimestamp);
                    if (stopped)
                    {
                        return;
                    }
                }
                if (((offset - base) & (interval - 1)) == 0 && entries < capacity)
                {
                    entryOffsets[entries] = offset;
                    entryPositions[entries] = position;
                    entryTimestamps[entries] = ts;
                    entries++;
                }
                if (firstTs == Long.MIN_VALUE)
                {
                    firstTs = ts;
                }
                lastTs = ts;
                lastTimestamp = Math.max(lastTimestamp, ts);
                position += result;
                offset++;
                records++;
            }
            expectedOffset = offset;

            if (result == Segment.CORRUPT)
            {
                problem(path, offset, "damaged record (bad length, offset or CRC) at position " + position);
                expectedOffset = -1;
                // this segment's seal cannot be checked, so the next seal is not compared against it either
                previousHash = null;
                return;
            }
            if (result == Segment.EMPTY)
            {
                if (!active)
                {
                    problem(path, offset, "a full segment ends without an end-of-segment marker at position " + position);
                }
                else
                {
                    final int stray = firstNonZero(segment, position);
                    if (stray >= 0)
                    {
                        problem(path, offset, "bytes after the last record at position " + stray +
                            " (recovery would discard them)");
                    }
                }
            }
            if (stopped)
            {
                return;
            }

            checkIndex(segment, entries, entryOffsets, entryPositions, entryTimestamps);
            if (stopped || active)
            {
                return;
            }
            checkSeal(segment, first, offset - base, Math.min(position, segment.length()), firstTs, lastTs);
        }

        private void checkIndex(
            final Segment segment,
            final int entries,
            final long[] offsets,
            final int[] positions,
            final long[] timestamps)
        {
            final Path file = dir.resolve(indexFileName(segment.baseOffset()));
            if (!Files.exists(file))
            {
                problem(file, -1, "index file is missing (rebuild it with 'txmon journal index --rebuild')");
                return;
            }
            final SegmentIndex index = SegmentIndex.loadEntriesOnly(dir, segment, interval);
            if (index.count() != entries)
            {
                problem(file, index.count() < entries ? segment.baseOffset() + (long)index.count() * interval : -1,
                    "index has " + index.count() + " good entries, the segment needs " + entries +
                    " (rebuild it with 'txmon journal index --rebuild')");
                return;
            }
            for (int k = 0; k < entries; k++)
            {
                if (index.offset(k) != offsets[k] || index.position(k) != positions[k] ||
                    index.timestamp(k) != timestamps[k])
                {
                    problem(file, offsets[k], "index entry " + k + " does not match the segment");
                    return;
                }
            }
        }

        private void checkSeal(
            final Segment segment,
            final boolean first,
            final long recordCount,
            final int dataLength,
            final long firstTs,
            final long lastTs)
        {
            final Path file = dir.resolve(sealFileName(segment.baseOffset()));
            final Seal seal;
            try
            {
                seal = Seal.read(dir, segment.baseOffset());
            }
            catch (final JournalException ex)
            {
                problem(file, -1, ex.getMessage());
                previousHash = null;
                return;
            }
            if (null == seal)
            {
                problem(file, -1, "full segment is not sealed");
                previousHash = null;
                return;
            }
            if (seal.recordCount() != recordCount || seal.dataLength() != dataLength ||
                seal.firstTimestamp() != firstTs || seal.lastTimestamp() != lastTs)
            {
                problem(segment.path(), segment.baseOffset(), "segment does not match its seal: seal says " +
                    seal.recordCount() + " records in " + seal.dataLength() + " bytes, the segment holds " +
                    recordCount + " in " + dataLength);
            }
            final byte[] expectedPrevious = null != previousHash ? previousHash :
                (first && segment.baseOffset() == 0 ? Seal.ZERO_HASH : seal.previousHash());
            if (!Arrays.equals(expectedPrevious, seal.previousHash()))
            {
                problem(file, segment.baseOffset(), "hash chain broken: the seal's previous hash is not the " +
                    "previous segment's hash (a segment was replaced or removed)");
            }
            final byte[] actual = Seal.hash(segment, dataLength, seal.previousHash(), digest);
            if (!Arrays.equals(actual, seal.hash()))
            {
                problem(segment.path(), segment.baseOffset(), "content of offsets " + segment.baseOffset() + " to " +
                    (segment.baseOffset() + recordCount - 1) + " does not match its SHA-256 seal: " +
                    "altered after it was sealed");
            }
            previousHash = seal.hash();
        }

        private static int firstNonZero(final Segment segment, final int from)
        {
            final org.agrona.concurrent.UnsafeBuffer buffer = segment.buffer();
            for (int i = from; i < segment.length(); i += 8)
            {
                if (i + 8 <= segment.length() ? buffer.getLong(i) != 0 : buffer.getByte(i) != 0)
                {
                    return i;
                }
            }
            return -1;
        }
    }
}
