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
     * What retention has removed, from {@value JournalDescriptor#RETENTION_FILE_NAME}: the first offset it kept
     * and the hash the chain had before it (the previous hash of the first kept segment's seal). A journal
     * whose first segment starts after this offset has lost a segment retention did not remove.
     *
     * @param firstOffset  the first offset retention kept.
     * @param previousHash the previous hash of that segment's seal.
     */
    public record Removed(long firstOffset, byte[] previousHash)
    {
    }

    /**
     * Read what retention removed.
     *
     * @param dir of the journal.
     * @return the record, or null if retention never removed anything.
     * @throws JournalException naming the file if it is damaged.
     */
    public static Removed removed(final Path dir)
    {
        final Path file = dir.resolve(RETENTION_FILE_NAME);
        if (!Files.exists(file))
        {
            return null;
        }
        try
        {
            long first = -1;
            byte[] hash = null;
            for (final String line : Files.readAllLines(file, java.nio.charset.StandardCharsets.US_ASCII))
            {
                if (line.startsWith("first-offset="))
                {
                    first = Long.parseLong(line.substring("first-offset=".length()).trim());
                }
                else if (line.startsWith("previous-hash="))
                {
                    hash = fromHex(line.substring("previous-hash=".length()).trim());
                }
            }
            if (first < 0 || null == hash || hash.length != HASH_LENGTH)
            {
                throw new JournalException(file + " is damaged: it needs first-offset=N (N >= 0) and " +
                    "previous-hash=<64 hex digits>; restore it from a copy");
            }
            return new Removed(first, hash);
        }
        catch (final IOException | RuntimeException ex)
        {
            if (ex instanceof JournalException)
            {
                throw (JournalException)ex;
            }
            throw new JournalException("cannot read " + file + ": " + ex + "; restore it from a copy", ex);
        }
    }

    /**
     * Record, before deleting anything, the first offset retention keeps: replaced atomically.
     */
    static void recordRemoved(final Path dir, final long firstOffset, final byte[] previousHash) throws IOException
    {
        final Path tmp = dir.resolve(RETENTION_FILE_NAME + ".tmp");
        OwnerOnly.writeString(tmp, "# txmon journal retention: segments before first-offset were removed\n" +
            "first-offset=" + firstOffset + "\nprevious-hash=" + org.agrona.BitUtil.toHex(previousHash) +
            "\nupdated=" + java.time.Instant.now() + "\n", java.nio.charset.StandardCharsets.US_ASCII);
        Files.move(tmp, dir.resolve(RETENTION_FILE_NAME), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    static byte[] fromHex(final String hex)
    {
        if ((hex.length() & 1) != 0)
        {
            throw new IllegalArgumentException("odd number of hex digits");
        }
        final byte[] bytes = new byte[hex.length() / 2];
        for (int i = 0; i < bytes.length; i++)
        {
            final int hi = Character.digit(hex.charAt(2 * i), 16);
            final int lo = Character.digit(hex.charAt(2 * i + 1), 16);
            if (hi < 0 || lo < 0)
            {
                throw new IllegalArgumentException("not a hex digit in '" + hex + "'");
            }
            bytes[i] = (byte)((hi << 4) | lo);
        }
        return bytes;
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
            Seal keptSeal = null;
            for (int i = 0; i < bases.length - 1 && null != seal; i++)
            {
                // the successor's seal must exist: once this segment is gone it anchors the hash chain
                final Seal nextSeal = Seal.read(dir, bases[i + 1]);
                if (null == nextSeal || seal.endOffset() != bases[i + 1])
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
                total -= sizes[i];
                deleted++;
                deletedBytes += sizes[i];
                seal = nextSeal;
                keptSeal = nextSeal;
            }
            if (deleted > 0)
            {
                // recorded before anything is deleted: a crash part way leaves segments older than the recorded
                // first offset, which is harmless, never a missing one that looks like retention's
                recordRemoved(dir, keptSeal.baseOffset(), keptSeal.previousHash());
                for (int i = 0; i < deleted; i++)
                {
                    delete(dir, bases[i]);
                }
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
