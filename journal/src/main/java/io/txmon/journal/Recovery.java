package io.txmon.journal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static io.txmon.journal.JournalDescriptor.*;

/**
 * What the writer checks when it opens, shared with {@code txmon journal repair}: the structure of the
 * journal (segments contiguous from the retained first offset, every full segment sealed up to the newest
 * seal, the newest seal's chain link) and where the active segment ends, telling a torn tail (cut) from
 * damage followed by valid records (refused).
 */
final class Recovery
{
    private Recovery()
    {
    }

    /**
     * Where the last segment ends.
     *
     * @param position      of the first position that is not a valid frame.
     * @param offset        the next record's offset.
     * @param result        {@link Segment#EMPTY}, {@link Segment#CORRUPT} or {@link Segment#ROLLED} at it.
     * @param lastNonZero   last non-zero byte at or after {@code position}, or {@code position - 1}.
     * @param validAfter    valid records found after {@code position}: non-zero means damage, not a torn tail.
     * @param lastTimestamp of the last valid frame scanned, or {@link Long#MIN_VALUE}.
     */
    record Tail(int position, long offset, int result, int lastNonZero, long validAfter, long lastTimestamp)
    {
        /**
         * @return bytes a cut at {@code position} would zero.
         */
        long dirtyBytes()
        {
            return result == Segment.ROLLED ? 0 : Math.max(0, lastNonZero + 1L - position);
        }

        /**
         * @return true if valid records follow a bad frame: the journal is damaged, not torn.
         */
        boolean damaged()
        {
            return validAfter > 0;
        }
    }

    /**
     * Scan the last segment from its first record to where its records end.
     */
    static Tail scanTail(final Segment last)
    {
        // the whole segment, every frame in full, not only from the last index entry: a damaged record before
        // that entry would otherwise go unnoticed by the writer (one CRC pass over at most one segment)
        int pos = SEGMENT_HEADER_LENGTH;
        long expected = last.baseOffset();
        long lastTs = Long.MIN_VALUE;
        int result;
        while ((result = last.scanFrame(pos, expected)) > 0)
        {
            lastTs = last.timestampAt(pos);
            pos += result;
            expected++;
        }
        if (result == Segment.ROLLED)
        {
            return new Tail(pos, expected, result, pos - 1, 0, lastTs);
        }
        final int lastNonZero = last.lastNonZero(pos);
        final long validAfter = lastNonZero >= pos ? last.countFramesAfter(pos, expected, lastNonZero) : 0;
        return new Tail(pos, expected, result, lastNonZero, validAfter, lastTs);
    }

    /**
     * The exception for damage followed by valid records in the last segment.
     */
    static JournalException damage(final Path dir, final Segment last, final Tail tail)
    {
        return new JournalException("damaged record in segment " + last.path() + " at offset " + tail.offset() +
            " (position " + tail.position() + ") followed by " + tail.validAfter() + " valid record(s): this is " +
            "damage, not a torn tail, and nothing was changed; run 'txmon journal repair " + dir + "' to see what " +
            "a repair would cut (it keeps a copy), restore the segment from a copy, or 'txmon journal verify " +
            dir + " --all' for details");
    }

    /**
     * Check the structure the writer relies on before it touches anything: segments contiguous from the
     * first offset retention kept, no full segment without a seal before a sealed one, the last segment not
     * sealed, and the newest seal's previous hash equal to the hash of the seal before it.
     *
     * @param dir   of the journal.
     * @param bases of its segments, ascending, at least one.
     * @return the index in {@code bases} of the newest sealed segment, or -1.
     * @throws JournalException naming what is missing or inconsistent.
     */
    static int checkStructure(final Path dir, final long[] bases)
    {
        final Retention.Removed removed = Retention.removed(dir);
        final long firstKept = null == removed ? 0 : removed.firstOffset();
        if (bases[0] > firstKept)
        {
            throw new JournalException("journal " + dir + " is missing its first segment(s): it should start at " +
                "offset " + firstKept + (null == removed ? " (retention never removed anything)" :
                " (the first offset retention kept, per " + RETENTION_FILE_NAME + ")") + " but its first segment is " +
                segmentFileName(bases[0]) + "; restore the missing segment(s) from a copy");
        }
        final Seal[] seals = new Seal[bases.length];
        int newest = -1;
        for (int i = 0; i < bases.length; i++)
        {
            try
            {
                Segment.checkHeaderOf(dir.resolve(segmentFileName(bases[i])), bases[i]);
            }
            catch (final java.io.IOException ex)
            {
                throw new JournalException("cannot read segment " + dir.resolve(segmentFileName(bases[i])) + ": " +
                    ex.getMessage(), ex);
            }
            seals[i] = Seal.read(dir, bases[i]);
            if (null != seals[i])
            {
                newest = i;
            }
        }
        if (newest == bases.length - 1)
        {
            throw new JournalException("the last segment " + dir.resolve(segmentFileName(bases[newest])) +
                " is sealed, so the segment after it (offset " + seals[newest].endOffset() + " on) is missing: " +
                "the active segment was deleted or moved; restore it from a copy");
        }
        for (int i = 0; i < newest; i++)
        {
            if (null == seals[i])
            {
                throw new JournalException("full segment " + dir.resolve(segmentFileName(bases[i])) + " has no seal " +
                    "but " + segmentFileName(bases[newest]) + " after it is sealed: its seal was deleted; it is not " +
                    "sealed again over content that may have changed. Restore the seal from a copy, and run " +
                    "'txmon journal verify " + dir + "'");
            }
            if (seals[i].endOffset() != bases[i + 1])
            {
                throw gap(dir, bases[i], seals[i].endOffset(), bases[i + 1]);
            }
        }
        if (newest >= 0)
        {
            if (seals[newest].endOffset() != bases[newest + 1])
            {
                throw gap(dir, bases[newest], seals[newest].endOffset(), bases[newest + 1]);
            }
            final byte[] expectedPrevious = newest > 0 ? seals[newest - 1].hash() :
                bases[newest] == 0 ? Seal.ZERO_HASH :
                bases[newest] == firstKept && null != removed ? removed.previousHash() : null;
            if (null != expectedPrevious && !Arrays.equals(expectedPrevious, seals[newest].previousHash()))
            {
                throw new JournalException("seal " + dir.resolve(sealFileName(bases[newest])) + " does not chain to " +
                    (newest > 0 ? "the seal before it, " + sealFileName(bases[newest - 1]) :
                    bases[newest] == 0 ? "the start of the journal" : RETENTION_FILE_NAME) +
                    ": a seal or segment was replaced; run 'txmon journal verify " + dir + " --all'");
            }
        }
        return newest;
    }

    static JournalException gap(final Path dir, final long base, final long end, final long nextBase)
    {
        return new JournalException("journal " + dir + " has a gap: segment " + segmentFileName(base) + " ends at " +
            "offset " + end + " but the next segment is " + segmentFileName(nextBase) + (end < nextBase ?
            " (offsets " + end + " to " + (nextBase - 1) + " are missing: segment " + segmentFileName(end) +
            " was deleted)" :
            " (they overlap)") + "; restore the missing segment from a copy");
    }

    /**
     * Whether any file of a journal's segments remains (index, seal) though no segment does.
     */
    static boolean hasSegmentLeftovers(final Path dir)
    {
        final String[] names = dir.toFile().list();
        if (null == names)
        {
            return false;
        }
        for (final String name : names)
        {
            if (name.endsWith(SEAL_SUFFIX) || name.endsWith(INDEX_SUFFIX))
            {
                return true;
            }
        }
        return Files.exists(dir.resolve(RETENTION_FILE_NAME));
    }
}
