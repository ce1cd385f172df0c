package io.txmon.journal;

import org.agrona.CloseHelper;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static io.txmon.journal.JournalDescriptor.*;

/**
 * Reads a journal in offset order, from any offset or time, and follows it while another thread or
 * process appends: a record becomes visible once its length has been released by the writer.
 * <p>
 * Every record is checked against its CRC and its expected offset before it is delivered; a record
 * that fails is never returned, and {@link #poll} throws a {@link JournalException} naming the
 * segment and offset.
 * <p>
 * {@link #seek(long)} goes straight to the index entry at or before the offset; {@link #seekTime(long)}
 * binary-searches segments by their first timestamp, then the segment's index, then scans at most one
 * index interval. Both trust an index entry only after checking it against the segment, and rebuild
 * the index in memory when its file is missing or damaged.
 * <p>
 * Not thread safe: one thread per reader. Polling allocates nothing.
 */
public final class JournalReader implements AutoCloseable
{
    /** {@link #seekTime} result: no record at or after the time has been written yet. */
    public static final long NOT_FOUND = -1;

    private static final int MAX_CACHED_INDEXES = 1024;
    private static final long NO_TIMESTAMP = Long.MIN_VALUE + 1;

    private final Path dir;
    private final int indexInterval;
    private final Long2ObjectHashMap<SegmentIndex> fullIndexes = new Long2ObjectHashMap<>();
    private final Long2LongHashMap firstTimestamps = new Long2LongHashMap(NO_TIMESTAMP);
    private long[] bases;
    private Segment segment;
    private SegmentIndex index;
    private int position;
    private long nextOffset;
    private boolean closed;

    private JournalReader(final Path dir, final int indexInterval)
    {
        this.dir = dir;
        this.indexInterval = indexInterval;
    }

    /**
     * Open a reader positioned at the first record the journal holds.
     *
     * @param dir of the journal.
     * @return the reader.
     * @throws JournalException if the directory holds no journal, or one of a newer format.
     */
    public static JournalReader open(final Path dir)
    {
        if (!Files.isDirectory(dir))
        {
            throw new JournalException("journal directory " + dir + " does not exist");
        }
        final JournalMetadata metadata = JournalMetadata.read(dir);
        final JournalReader reader = new JournalReader(
            dir, null == metadata ? DEFAULT_INDEX_INTERVAL : metadata.indexInterval());
        try
        {
            final long[] bases = Segment.listBaseOffsets(dir);
            if (bases.length == 0)
            {
                throw new JournalException("no journal segments in " + dir + ": is it a txmon journal directory?");
            }
            reader.openSegment(bases[0]);
            return reader;
        }
        catch (final IOException ex)
        {
            reader.close();
            throw new JournalException("cannot open journal " + dir + ": " + ex.getMessage(), ex);
        }
        catch (final RuntimeException ex)
        {
            reader.close();
            throw ex;
        }
    }

    private void openSegment(final long baseOffset) throws IOException
    {
        CloseHelper.close(segment);
        index = null;
        segment = null;
        segment = Segment.open(dir.resolve(segmentFileName(baseOffset)), baseOffset, true);
        position = SEGMENT_HEADER_LENGTH;
        nextOffset = baseOffset;
    }

    /**
     * The index of the current segment: cached for full segments, which never change; read afresh for the
     * last one, which the writer may still be appending to.
     */
    private SegmentIndex index(final boolean full)
    {
        if (null != index)
        {
            return index;
        }
        if (full)
        {
            SegmentIndex cached = fullIndexes.get(segment.baseOffset());
            if (null == cached)
            {
                if (fullIndexes.size() >= MAX_CACHED_INDEXES)
                {
                    fullIndexes.clear();
                }
                cached = SegmentIndex.loadForSeek(dir, segment, indexInterval);
                fullIndexes.put(segment.baseOffset(), cached);
            }
            index = cached;
        }
        else
        {
            index = SegmentIndex.loadForSeek(dir, segment, indexInterval);
        }
        return index;
    }

    private long[] bases(final boolean refresh)
    {
        if (refresh || null == bases)
        {
            try
            {
                bases = Segment.listBaseOffsets(dir);
            }
            catch (final IOException ex)
            {
                throw new JournalException("cannot list journal " + dir + ": " + ex.getMessage(), ex);
            }
        }
        return bases;
    }

    private static int segmentFor(final long[] bases, final long offset)
    {
        int lo = 0;
        int hi = bases.length - 1;
        int found = -1;
        while (lo <= hi)
        {
            final int mid = (lo + hi) >>> 1;
            if (bases[mid] <= offset)
            {
                found = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }
        return found;
    }

    private void moveTo(final long baseOffset)
    {
        if (segment.baseOffset() != baseOffset)
        {
            try
            {
                openSegment(baseOffset);
            }
            catch (final IOException ex)
            {
                throw new JournalException("cannot open segment " + segmentFileName(baseOffset) + " of " + dir + ": " +
                    ex.getMessage(), ex);
            }
        }
    }

    /**
     * Position the reader so the next record delivered is the one at {@code offset}.
     *
     * @param offset to read next.
     * @return true if positioned; false if the journal does not hold that offset: not written yet, or
     * before {@link #firstOffset()} (removed by retention).
     * @throws JournalException if a damaged record lies on the way.
     */
    public boolean seek(final long offset)
    {
        if (offset < 0)
        {
            return false;
        }
        long[] bases = bases(false);
        int i = segmentFor(bases, offset);
        if (i < 0 || i == bases.length - 1)
        {
            // the last known segment may have rolled, or retention may have moved the start
            bases = bases(true);
            i = segmentFor(bases, offset);
            if (i < 0)
            {
                return false;
            }
        }
        moveTo(bases[i]);

        final SegmentIndex index = index(i < bases.length - 1);
        int k = index.entryForOffset(offset);
        while (k >= 0 && !index.usable(k, segment))
        {
            k--;
        }
        final boolean aheadOfEntry = k < 0 ? true : nextOffset >= index.offset(k);
        if (!(nextOffset <= offset && aheadOfEntry && segment.baseOffset() == bases[i]))
        {
            position = k < 0 ? SEGMENT_HEADER_LENGTH : index.position(k);
            nextOffset = k < 0 ? segment.baseOffset() : index.offset(k);
        }

        // each record passed is checked in full: a seek never steps over a damaged record unnoticed
        while (nextOffset < offset)
        {
            final int result = segment.scanFrame(position, nextOffset);
            if (result > 0)
            {
                position += result;
                nextOffset++;
            }
            else if (result == Segment.CORRUPT)
            {
                throw damagedRecord();
            }
            else
            {
                return false;
            }
        }

        final int at = segment.skipFrame(position, nextOffset);
        if (at == Segment.CORRUPT)
        {
            throw damagedRecord();
        }
        return at > 0 || (at == Segment.ROLLED && Files.exists(dir.resolve(segmentFileName(offset))));
    }

    /**
     * Position the reader at the first record whose timestamp is at or after {@code timestamp}.
     *
     * @param timestamp epoch nanoseconds.
     * @return the offset of that record, next to be delivered; or {@link #NOT_FOUND} if no such record
     * has been written yet, the reader then being at the end of the journal.
     * @throws JournalException if a damaged record lies on the way.
     */
    public long seekTime(final long timestamp)
    {
        final long[] bases = bases(true);

        // the last segment whose first record is before the time: the answer is in it or starts the next
        int lo = 0;
        int hi = bases.length - 1;
        int found = -1;
        while (lo <= hi)
        {
            final int mid = (lo + hi) >>> 1;
            if (firstTimestamp(bases[mid], mid < bases.length - 1) < timestamp)
            {
                found = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        final int target = Math.max(found, 0);
        moveTo(bases[target]);
        if (found < 0)
        {
            position = SEGMENT_HEADER_LENGTH;
            nextOffset = segment.baseOffset();
        }
        else
        {
            final SegmentIndex index = index(target < bases.length - 1);
            if (target == bases.length - 1)
            {
                index.extend(segment);
            }
            // start from an entry that checks out and is before the time: nothing before it can be the answer
            int k = index.entryForTimestamp(timestamp);
            while (k >= 0 && !(index.usable(k, segment) && index.timestamp(k) < timestamp))
            {
                k--;
            }
            position = k < 0 ? SEGMENT_HEADER_LENGTH : index.position(k);
            nextOffset = k < 0 ? segment.baseOffset() : index.offset(k);
        }

        while (true)
        {
            final int result = segment.scanFrame(position, nextOffset);
            if (result > 0)
            {
                if (segment.timestampAt(position) >= timestamp)
                {
                    return nextOffset;
                }
                position += result;
                nextOffset++;
            }
            else if (result == Segment.ROLLED)
            {
                if (!nextSegment())
                {
                    return NOT_FOUND;
                }
            }
            else if (result == Segment.EMPTY)
            {
                return NOT_FOUND;
            }
            else
            {
                throw damagedRecord();
            }
        }
    }

    private long firstTimestamp(final long baseOffset, final boolean full)
    {
        if (full)
        {
            final long cached = firstTimestamps.get(baseOffset);
            if (cached != NO_TIMESTAMP)
            {
                return cached;
            }
        }
        final long first = readFirstTimestamp(baseOffset);
        if (full)
        {
            firstTimestamps.put(baseOffset, first);
        }
        return first;
    }

    private long readFirstTimestamp(final long baseOffset)
    {
        if (null != segment && segment.baseOffset() == baseOffset)
        {
            return firstTimestamp(segment);
        }
        final Seal seal = Seal.read(dir, baseOffset);
        if (null != seal)
        {
            return seal.recordCount() == 0 ? Long.MAX_VALUE : seal.firstTimestamp();
        }
        try (Segment s = Segment.open(dir.resolve(segmentFileName(baseOffset)), baseOffset, true))
        {
            return firstTimestamp(s);
        }
        catch (final IOException ex)
        {
            throw new JournalException("cannot read segment " + segmentFileName(baseOffset) + " of " + dir + ": " +
                ex.getMessage(), ex);
        }
    }

    private static long firstTimestamp(final Segment s)
    {
        return s.skipFrame(SEGMENT_HEADER_LENGTH, s.baseOffset()) > 0 ?
            s.timestampAt(SEGMENT_HEADER_LENGTH) : Long.MAX_VALUE;
    }

    /**
     * Deliver up to {@code limit} records that are available now.
     *
     * @param handler receiving records.
     * @param limit   on the number delivered.
     * @return the number delivered; 0 when the reader is at the end of what has been written.
     * @throws JournalException if a record is damaged.
     */
    public int poll(final RecordHandler handler, final int limit)
    {
        int count = 0;
        while (count < limit)
        {
            final int result = segment.scanFrame(position, nextOffset);
            if (result > 0)
            {
                final UnsafeBuffer buffer = segment.buffer();
                final int frameLength = buffer.getInt(position + LENGTH_OFFSET);
                handler.onRecord(
                    nextOffset,
                    buffer.getLong(position + TIMESTAMP_OFFSET),
                    buffer.getInt(position + TEMPLATE_ID_OFFSET),
                    buffer,
                    position + FRAME_HEADER_LENGTH,
                    frameLength - FRAME_HEADER_LENGTH);
                position += result;
                nextOffset++;
                count++;
            }
            else if (result == Segment.ROLLED)
            {
                if (!nextSegment())
                {
                    break;
                }
            }
            else if (result == Segment.EMPTY)
            {
                break;
            }
            else
            {
                throw damagedRecord();
            }
        }

        return count;
    }

    private JournalException damagedRecord()
    {
        return new JournalException("damaged record in segment " + segment.path() + " at offset " +
            nextOffset + " (position " + position + "): run 'txmon journal verify' on " + dir);
    }

    private boolean nextSegment()
    {
        final Path next = dir.resolve(segmentFileName(nextOffset));
        if (!Files.exists(next))
        {
            final long first = firstOffset();
            if (first > nextOffset)
            {
                throw new JournalException("offset " + nextOffset + " is no longer in journal " + dir +
                    ": retention removed it while this reader was behind; the journal now starts at offset " + first);
            }
            return false;
        }
        try
        {
            openSegment(nextOffset);
            return true;
        }
        catch (final IOException ex)
        {
            throw new JournalException("cannot open segment " + next + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * @return the offset of the next record this reader will deliver.
     */
    public long nextOffset()
    {
        return nextOffset;
    }

    /**
     * @return the first offset the journal still holds (earlier segments may have gone to retention).
     */
    public long firstOffset()
    {
        try
        {
            final long[] bases = Segment.listBaseOffsets(dir);
            return bases.length == 0 ? 0 : bases[0];
        }
        catch (final IOException ex)
        {
            throw new JournalException("cannot list journal " + dir + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * Unmap the current segment; safe to call more than once.
     */
    public void close()
    {
        if (!closed)
        {
            closed = true;
            CloseHelper.close(segment);
        }
    }
}
