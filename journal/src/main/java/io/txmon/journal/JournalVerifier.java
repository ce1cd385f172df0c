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
     * A seal's hash kept off the host: the journal must still extend it.
     *
     * @param endOffset of the sealed segment (its base offset + record count).
     * @param hash      the seal's SHA-256.
     */
    public record Anchor(long endOffset, byte[] hash)
    {
        /**
         * Parse {@code <endOffset>:<64 hex digits>}, as {@code txmon journal info} prints it.
         *
         * @param text of the anchor.
         * @return the anchor.
         * @throws IllegalArgumentException saying what is wrong.
         */
        public static Anchor parse(final String text)
        {
            final int colon = text.indexOf(':');
            if (colon <= 0)
            {
                throw new IllegalArgumentException("an anchor is <end offset>:<sha-256 hex>, as 'txmon journal info' " +
                    "prints it, not '" + text + "'");
            }
            final long end;
            try
            {
                end = Long.parseLong(text.substring(0, colon).trim());
            }
            catch (final NumberFormatException ex)
            {
                throw new IllegalArgumentException("the anchor's end offset '" + text.substring(0, colon) +
                    "' is not a number", ex);
            }
            final byte[] hash = Retention.fromHex(text.substring(colon + 1).trim());
            if (end <= 0 || hash.length != HASH_LENGTH)
            {
                throw new IllegalArgumentException("an anchor is <end offset>:<64 hex digits> with an end offset " +
                    "above 0, not '" + text + "'");
            }
            return new Anchor(end, hash);
        }

        @Override
        public String toString()
        {
            return endOffset + ":" + org.agrona.BitUtil.toHex(hash);
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
        return verify(dir, handler, null);
    }

    /**
     * Verify a journal and that it still extends an anchor: the seal ending at the anchor's offset has the
     * anchor's hash, and the chain from it to the newest seal verifies.
     *
     * @param dir     of the journal.
     * @param handler told of each problem; return false from it to stop at the first.
     * @param anchor  kept off the host, or null.
     * @return the report.
     * @throws JournalException if the directory is not a journal at all.
     */
    public static Report verify(final Path dir, final ProblemHandler handler, final Anchor anchor)
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

        final Checker checker = new Checker(dir, interval, handler, anchor);
        checker.checkStart(bases[0]);
        for (int i = 0; i < bases.length && !checker.stopped; i++)
        {
            checker.checkSegment(bases[i], i == bases.length - 1, i == 0,
                i == bases.length - 2 ? bases[i + 1] : -1);
        }
        if (null != anchor && !checker.anchorFound && !checker.stopped)
        {
            checker.problem(dir, anchor.endOffset(), "anchor " + anchor + " not found: no seal of this journal " +
                "ends at offset " + anchor.endOffset() + " (the segment it sealed was removed or replaced, or the " +
                "journal was cut before it)");
        }
        return new Report(bases.length, checker.records, bases[0], checker.expectedOffset, checker.problems);
    }

    private static final class Checker
    {
        private final Path dir;
        private final int interval;
        private final ProblemHandler handler;
        private final MessageDigest digest = Seal.sha256();
        private final Anchor anchor;
        private Retention.Removed removed;
        private boolean anchorFound;
        private long expectedOffset = -1;
        private long lastTimestamp = Long.MIN_VALUE;
        private byte[] previousHash;
        private long records;
        private int problems;
        private boolean stopped;

        Checker(final Path dir, final int interval, final ProblemHandler handler, final Anchor anchor)
        {
            this.anchor = anchor;
            this.dir = dir;
            this.interval = interval;
            this.handler = handler;
        }

        void checkStart(final long firstBase)
        {
            try
            {
                removed = Retention.removed(dir);
            }
            catch (final JournalException ex)
            {
                problem(dir.resolve(RETENTION_FILE_NAME), -1, ex.getMessage());
            }
            final long firstKept = null == removed ? 0 : removed.firstOffset();
            if (firstBase > firstKept)
            {
                problem(dir.resolve(segmentFileName(firstBase)), firstKept, "the journal should start at offset " +
                    firstKept + (null == removed ? " (retention never removed anything)" :
                    " (the first offset retention kept)") + " but its first segment starts at " + firstBase +
                    ": the first segment(s) are missing");
            }
        }

        void problem(final Path file, final long offset, final String description)
        {
            problems++;
            if (!handler.onProblem(new Problem(file, offset, description)))
            {
                stopped = true;
            }
        }

        void checkSegment(final long base, final boolean active, final boolean first, final long lastBase)
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
                checkFrames(segment, active, first, lastBase);
            }
            catch (final IOException | JournalException ex)
            {
                problem(path, -1, ex.getMessage());
            }
        }

        private void checkFrames(final Segment segment, final boolean active, final boolean first, final long lastBase)
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
                final int lastNonZero = segment.lastNonZero(position);
                final long after = segment.countFramesAfter(position, offset, lastNonZero);
                problem(path, offset, "damaged record (bad length, offset or CRC) at position " + position +
                    (after > 0 ? ", followed by " + after + " valid record(s): damage, not a torn tail" :
                    active ? ", nothing valid after it (a torn tail the writer would cut)" : ""));
                expectedOffset = -1;
                // this segment's seal cannot be checked, so the next seal is not compared against it either
                previousHash = null;
                return;
            }
            if (result == Segment.EMPTY)
            {
                if (!active)
                {
                    // a roll in progress (the next segment is created before the marker is written), or a crash
                    // in one, which the writer's recovery finishes: records ending exactly at the last segment
                    final boolean rolling = offset == lastBase && segment.lastNonZero(position) < position;
                    if (!rolling)
                    {
                        problem(path, offset, "a full segment ends without an end-of-segment marker at position " +
                            position);
                    }
                }
                else
                {
                    final int stray = firstNonZero(segment, position);
                    if (stray >= 0)
                    {
                        final long after = segment.countFramesAfter(position, offset, segment.lastNonZero(position));
                        problem(path, offset, "bytes after the last record at position " + stray + (after > 0 ?
                            ", with " + after + " valid record(s) after a gap: damage, not a torn tail" :
                            " (recovery would discard them)"));
                    }
                }
            }
            if (result == Segment.ROLLED && active && position < segment.length())
            {
                problem(path, offset, "end-of-segment marker at position " + position + " but the segment after it " +
                    "(offset " + offset + " on) is missing: the active segment was deleted");
            }
            if (active && Files.exists(dir.resolve(sealFileName(base))))
            {
                problem(dir.resolve(sealFileName(base)), -1, "the last segment has a seal, so the segment after it " +
                    "is missing: the active segment was deleted");
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
                first && segment.baseOffset() == 0 ? Seal.ZERO_HASH :
                first && null != removed && removed.firstOffset() == segment.baseOffset() ? removed.previousHash() :
                seal.previousHash();
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
            if (null != anchor && seal.endOffset() == anchor.endOffset())
            {
                anchorFound = true;
                if (!Arrays.equals(seal.hash(), anchor.hash()))
                {
                    problem(file, anchor.endOffset(), "seal hash " + org.agrona.BitUtil.toHex(seal.hash()) +
                        " differs from the anchor " + anchor + ": the journal up to offset " + anchor.endOffset() +
                        " is not the one the anchor was taken from (rewritten, with its chain recomputed)");
                }
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
