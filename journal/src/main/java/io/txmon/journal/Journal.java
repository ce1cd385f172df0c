package io.txmon.journal;

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

    private static int interval(final Path dir)
    {
        final JournalMetadata metadata = JournalMetadata.read(dir);
        return null == metadata ? DEFAULT_INDEX_INTERVAL : metadata.indexInterval();
    }
}
