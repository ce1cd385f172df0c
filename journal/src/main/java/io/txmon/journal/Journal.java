package io.txmon.journal;

import org.agrona.CloseHelper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.txmon.journal.JournalDescriptor.*;

/**
 * Questions about a journal directory that tools ask: what it holds, where it ends, and index repair.
 * Read only, except {@link #rebuildIndexes(Path)}.
 */
public final class Journal
{
    private Journal()
    {
    }

    /**
     * One segment as a tool shows it.
     *
     * @param baseOffset     first offset.
     * @param endOffset      offset after its last record.
     * @param firstTimestamp of its first record, or {@link Long#MIN_VALUE} if empty.
     * @param lastTimestamp  of its last record, or {@link Long#MIN_VALUE} if empty.
     * @param fileBytes      size of the segment file.
     * @param sealed         true if it is full and sealed.
     * @param active         true if it is the last segment, the one being written.
     */
    public record SegmentInfo(
        long baseOffset, long endOffset, long firstTimestamp, long lastTimestamp, long fileBytes, boolean sealed,
        boolean active)
    {
        /**
         * @return records in the segment.
         */
        public long records()
        {
            return endOffset - baseOffset;
        }
    }

    /**
     * Describe every segment. Sealed segments are described from their seals; unsealed ones are scanned.
     *
     * @param dir of the journal.
     * @return the segments, oldest first.
     */
    public static List<SegmentInfo> segments(final Path dir)
    {
        final List<SegmentInfo> infos = new ArrayList<>();
        try
        {
            final long[] bases = Segment.listBaseOffsets(dir);
            for (int i = 0; i < bases.length; i++)
            {
                final long base = bases[i];
                final Path path = dir.resolve(segmentFileName(base));
                final boolean active = i == bases.length - 1;
                final Seal seal = Seal.read(dir, base);
                if (null != seal && !active)
                {
                    Segment.checkHeaderOf(path, base);
                    infos.add(new SegmentInfo(base, seal.endOffset(), seal.firstTimestamp(), seal.lastTimestamp(),
                        Files.size(path), true, false));
                    continue;
                }
                try (Segment segment = Segment.open(path, base, true))
                {
                    final SegmentIndex index = SegmentIndex.loadEntriesOnly(dir, segment, interval(dir));
                    int position = SEGMENT_HEADER_LENGTH;
                    long offset = base;
                    long firstTs = segment.skipFrame(position, offset) > 0 ? segment.timestampAt(position) : Long.MIN_VALUE;
                    long lastTs = firstTs;
                    if (index.count() > 0)
                    {
                        position = index.position(index.count() - 1);
                        offset = index.offset(index.count() - 1);
                    }
                    int result;
                    while ((result = segment.scanFrame(position, offset)) > 0)
                    {
                        lastTs = segment.timestampAt(position);
                        position += result;
                        offset++;
                    }
                    infos.add(new SegmentInfo(base, offset, firstTs, lastTs, Files.size(path), false, active));
                }
            }
            return infos;
        }
        catch (final IOException ex)
        {
            throw new JournalException("cannot read journal " + dir + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * @param dir of the journal.
     * @return the offset the next record will get: the number of records ever appended.
     */
    public static long endOffset(final Path dir)
    {
        final List<SegmentInfo> segments = segments(dir);
        return segments.isEmpty() ? 0 : segments.get(segments.size() - 1).endOffset();
    }

    /**
     * Rewrite every segment's index file from a scan of the segment. Refused while a writer has the
     * journal open.
     *
     * @param dir of the journal.
     * @return segments re-indexed.
     */
    public static int rebuildIndexes(final Path dir)
    {
        try
        {
            if (FileLocks.isLocked(dir.resolve(LOCK_FILE_NAME)))
            {
                throw new JournalException("journal " + dir + " is open for writing (owner pid " +
                    JournalWriter.ownerPid(dir) + "); stop the writer before rebuilding its indexes");
            }
            final long[] bases = Segment.listBaseOffsets(dir);
            final int interval = interval(dir);
            for (final long base : bases)
            {
                try (Segment segment = Segment.open(dir.resolve(segmentFileName(base)), base, true))
                {
                    SegmentIndex.rebuild(dir, segment, interval);
                }
            }
            return bases.length;
        }
        catch (final IOException ex)
        {
            throw new JournalException("cannot rebuild the indexes of " + dir + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * What {@code txmon journal repair} would cut from the last segment.
     *
     * @param segment          the last segment's file.
     * @param offset           of the first record that is not valid: the journal would end there.
     * @param position         of that record in the segment.
     * @param bytes            that would be zeroed (from {@code position} to the last non-zero byte).
     * @param validRecordsLost valid records among those bytes, found after the damaged one: lost by the cut.
     */
    public record RepairPlan(Path segment, long offset, int position, long bytes, long validRecordsLost)
    {
    }

    /**
     * Look at the end of the last segment as the writer's recovery does, without changing anything.
     *
     * @param dir of the journal.
     * @return what a repair would cut, or null if the last segment ends cleanly.
     */
    public static RepairPlan planRepair(final Path dir)
    {
        try
        {
            final long[] bases = Segment.listBaseOffsets(dir);
            if (bases.length == 0)
            {
                throw new JournalException("no journal segments in " + dir + ": nothing to repair");
            }
            final long base = bases[bases.length - 1];
            try (Segment last = Segment.open(dir.resolve(segmentFileName(base)), base, true))
            {
                final Recovery.Tail tail = Recovery.scanTail(last);
                if (tail.dirtyBytes() == 0)
                {
                    return null;
                }
                return new RepairPlan(last.path(), tail.offset(), tail.position(), tail.dirtyBytes(),
                    tail.validAfter());
            }
        }
        catch (final IOException ex)
        {
            throw new JournalException("cannot read journal " + dir + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * Cut the end of the last segment from its first record that is not valid: copy the bytes to
     * {@code <segment>.cut-<position>} beside the journal (owner-only), then zero them and force the segment.
     * Valid records after a damaged one are cut too: this is the operator's explicit choice. Refused while a
     * writer has the journal open.
     *
     * @param dir of the journal.
     * @return what was cut, with the copy's path, or null if there was nothing to cut.
     */
    public static RepairResult repair(final Path dir)
    {
        FileLocks.Held lock = null;
        try
        {
            lock = FileLocks.tryAcquire(dir.resolve(LOCK_FILE_NAME));
            if (null == lock)
            {
                throw new JournalException("journal " + dir + " is open for writing (owner pid " +
                    JournalWriter.ownerPid(dir) + "); stop the writer before repairing it");
            }
            final long[] bases = Segment.listBaseOffsets(dir);
            if (bases.length == 0)
            {
                throw new JournalException("no journal segments in " + dir + ": nothing to repair");
            }
            final long base = bases[bases.length - 1];
            try (Segment last = Segment.open(dir.resolve(segmentFileName(base)), base, false))
            {
                final Recovery.Tail tail = Recovery.scanTail(last);
                final long dirty = tail.dirtyBytes();
                if (dirty == 0)
                {
                    return null;
                }
                final Path copy = saveCut(last, tail.position(), (int)dirty);
                last.buffer().setMemory(tail.position(), (int)dirty, (byte)0);
                last.force();
                return new RepairResult(new RepairPlan(last.path(), tail.offset(), tail.position(), dirty,
                    tail.validAfter()), copy);
            }
        }
        catch (final IOException ex)
        {
            throw new JournalException("cannot repair journal " + dir + ": " + ex.getMessage(), ex);
        }
        finally
        {
            CloseHelper.quietClose(lock);
        }
    }

    /**
     * What a repair did.
     *
     * @param plan what was cut.
     * @param copy the file holding the cut bytes.
     */
    public record RepairResult(RepairPlan plan, Path copy)
    {
    }

    /**
     * Copy bytes about to be cut from a segment to {@code <segment file>.cut-<position>} (owner-only, forced),
     * so that no cut loses bytes for good.
     */
    static Path saveCut(final Segment segment, final int position, final int length) throws IOException
    {
        final Path dir = segment.path().getParent();
        final String name = segment.path().getFileName() + ".cut-" + position;
        Path copy = dir.resolve(name);
        for (int n = 1; Files.exists(copy); n++)
        {
            copy = dir.resolve(name + "-" + n);
        }
        final byte[] bytes = new byte[length];
        segment.buffer().getBytes(position, bytes);
        try (java.nio.channels.FileChannel ch = OwnerOnly.open(copy, java.nio.file.StandardOpenOption.CREATE_NEW,
            java.nio.file.StandardOpenOption.WRITE))
        {
            final java.nio.ByteBuffer src = java.nio.ByteBuffer.wrap(bytes);
            while (src.hasRemaining())
            {
                ch.write(src);
            }
            ch.force(true);
        }
        return copy;
    }

    private static int interval(final Path dir)
    {
        final JournalMetadata metadata = JournalMetadata.read(dir);
        return null == metadata ? DEFAULT_INDEX_INTERVAL : metadata.indexInterval();
    }
}
