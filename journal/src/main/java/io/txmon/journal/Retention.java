package io.txmon.journal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static io.txmon.journal.JournalDescriptor.*;

/**
 * Applies a {@link RetentionPolicy} to a journal directory. Safe to run while the writer appends: it
 * only deletes sealed segments before the active one. A reader that still has a deleted segment mapped
 * reads on; one that seeks into it is told the offset is no longer held.
 */
public final class Retention
{
    private Retention()
    {
    }

    /**
     * What one pass deleted.
     *
     * @param segments deleted.
     * @param bytes    of segment files deleted.
     * @param firstOffset the journal's first offset after the pass.
     */
    public record Result(int segments, long bytes, long firstOffset)
    {
    }

    /**
     * Delete the segments the policy lets go, oldest first.
     *
     * @param dir     of the journal.
     * @param policy  to apply.
     * @param nowNs   current epoch time in nanoseconds, for ages.
     * @return what was deleted.
     */
    public static Result apply(final Path dir, final RetentionPolicy policy, final long nowNs)
    {
        try
        {
            final long[] bases = Segment.listBaseOffsets(dir);
            if (bases.length == 0)
            {
                return new Result(0, 0, 0);
            }
            long total = 0;
            final long[] sizes = new long[bases.length];
            for (int i = 0; i < bases.length; i++)
            {
                sizes[i] = Files.size(dir.resolve(segmentFileName(bases[i])));
                total += sizes[i];
            }

            final long neededFrom = JournalCursor.lowestPosition(dir);
            int deleted = 0;
            long deletedBytes = 0;
            Seal seal = bases.length > 1 ? Seal.read(dir, bases[0]) : null;
            for (int i = 0; i < bases.length - 1 && null != seal; i++)
            {
                // the successor's seal must exist: once this segment is gone it anchors the hash chain
                final Seal nextSeal = Seal.read(dir, bases[i + 1]);
                if (null == nextSeal)
                {
                    break;
                }
                final boolean tooOld = policy.maxAgeNs() != Long.MAX_VALUE && seal.lastTimestamp() != Long.MIN_VALUE &&
                    nowNs - seal.lastTimestamp() > policy.maxAgeNs();
                final boolean tooBig = total > policy.maxBytes();
                final boolean needed = neededFrom >= 0 && neededFrom < seal.endOffset();
                if (needed || !(tooOld || tooBig))
                {
                    break;
                }
                delete(dir, bases[i]);
                total -= sizes[i];
                deleted++;
                deletedBytes += sizes[i];
                seal = nextSeal;
            }

            final long[] left = Segment.listBaseOffsets(dir);
            return new Result(deleted, deletedBytes, left.length == 0 ? 0 : left[0]);
        }
        catch (final IOException ex)
        {
            throw new JournalException("retention on journal " + dir + " failed: " + ex.getMessage(), ex);
        }
    }

    private static void delete(final Path dir, final long base) throws IOException
    {
        // the segment first: a crash part way leaves at most an orphan index or seal, never a segment
        // that looks whole but has lost its seal
        Files.deleteIfExists(dir.resolve(segmentFileName(base)));
        Files.deleteIfExists(dir.resolve(indexFileName(base)));
        Files.deleteIfExists(dir.resolve(sealFileName(base)));
    }
}
