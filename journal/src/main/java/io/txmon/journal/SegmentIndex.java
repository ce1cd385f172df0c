package io.txmon.journal;

import org.agrona.CloseHelper;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

import static io.txmon.journal.JournalDescriptor.*;

/**
 * The sparse index of one segment: entry {@code k} locates the record at offset
 * {@code base + k * interval} by its position in the segment, with its timestamp. It serves seeks by
 * offset (direct) and by time (binary search: timestamps never decrease).
 * <p>
 * The writer appends entries into a mapped file and releases the entry count after each, so a reader in
 * another process only sees whole entries. Readers never trust the file: {@link #load} checks every entry
 * against the segment and falls back to scanning the segment when the file is missing or damaged.
 * The index is derived data; the segment is the truth.
 */
final class SegmentIndex implements AutoCloseable
{
    private final long baseOffset;
    private final int interval;
    private final int intervalShift;
    private long[] offsets;
    private long[] timestamps;
    private int[] positions;
    private int count;

    private FileChannel channel;
    private MappedByteBuffer mapped;
    private UnsafeBuffer file;
    private int fileCapacity;

    private SegmentIndex(final long baseOffset, final int interval, final int capacity)
    {
        this.baseOffset = baseOffset;
        this.interval = interval;
        this.intervalShift = Integer.numberOfTrailingZeros(interval);
        this.offsets = new long[Math.max(16, Math.min(capacity, 1024))];
        this.timestamps = new long[offsets.length];
        this.positions = new int[offsets.length];
    }

    /**
     * Load the index of a segment for reading, checking every entry against the segment. Entries from the
     * first one that does not match on are dropped and rebuilt by scanning the segment from the last good
     * one, up to the end of what is written.
     *
     * @param dir      of the journal.
     * @param segment  the index describes.
     * @param interval records between entries.
     * @return the index, in memory only.
     */
    static SegmentIndex load(final Path dir, final Segment segment, final int interval)
    {
        final SegmentIndex index = new SegmentIndex(
            segment.baseOffset(), interval, indexCapacity(segment.length(), interval));
        index.readFile(dir.resolve(indexFileName(segment.baseOffset())), segment, true);
        index.extend(segment);
        return index;
    }

    /**
     * Load the index of a segment for seeking, checking entries only for shape (offsets on the interval,
     * positions and timestamps in order), not against the segment: a seek checks the one entry it uses
     * with {@link #usable} and steps back past any that fail. Touches no page of the segment.
     *
     * @param dir      of the journal.
     * @param segment  the index describes.
     * @param interval records between entries.
     * @return the index, in memory only.
     */
    static SegmentIndex loadForSeek(final Path dir, final Segment segment, final int interval)
    {
        final SegmentIndex index = new SegmentIndex(
            segment.baseOffset(), interval, indexCapacity(segment.length(), interval));
        index.readFile(dir.resolve(indexFileName(segment.baseOffset())), segment, false);
        if (index.count == 0)
        {
            index.extend(segment);
        }
        return index;
    }

    /**
     * Whether entry {@code k} matches its segment: a whole frame with the entry's offset and timestamp at
     * the entry's position.
     */
    boolean usable(final int k, final Segment segment)
    {
        return segment.frameMatches(positions[k], offsets[k], timestamps[k]);
    }

    /**
     * Load only the entries of the index file that match the segment, without scanning the segment.
     *
     * @param dir      of the journal.
     * @param segment  the index describes.
     * @param interval records between entries.
     * @return the index, in memory only; possibly empty.
     */
    static SegmentIndex loadEntriesOnly(final Path dir, final Segment segment, final int interval)
    {
        final SegmentIndex index = new SegmentIndex(
            segment.baseOffset(), interval, indexCapacity(segment.length(), interval));
        index.readFile(dir.resolve(indexFileName(segment.baseOffset())), segment, true);
        return index;
    }

    /**
     * Open, or create, the writable index of the segment being appended to, repaired so it matches the
     * segment: entries that do not match are dropped and the missing ones rebuilt.
     *
     * @param dir           of the journal.
     * @param segment       being written.
     * @param interval      records between entries.
     * @return the writable index.
     */
    static SegmentIndex openForWrite(final Path dir, final Segment segment, final int interval) throws IOException
    {
        final SegmentIndex index = load(dir, segment, interval);
        index.writeFile(dir, segment.length());
        return index;
    }

    /**
     * Rewrite the index file of a segment from a scan of the segment.
     *
     * @param dir      of the journal.
     * @param segment  to index.
     * @param interval records between entries.
     */
    static void rebuild(final Path dir, final Segment segment, final int interval) throws IOException
    {
        final SegmentIndex index = new SegmentIndex(
            segment.baseOffset(), interval, indexCapacity(segment.length(), interval));
        index.extend(segment);
        index.writeFile(dir, segment.length());
        index.close();
    }

    private void readFile(final Path path, final Segment segment, final boolean checkAgainstSegment)
    {
        if (!Files.exists(path))
        {
            return;
        }
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ))
        {
            final long size = ch.size();
            if (size < INDEX_HEADER_LENGTH || size > Integer.MAX_VALUE)
            {
                return;
            }
            final MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_ONLY, 0, size);
            try
            {
                final UnsafeBuffer buffer = new UnsafeBuffer(map);
                if (buffer.getLong(0) != INDEX_MAGIC || buffer.getInt(INDEX_VERSION_OFFSET) != FORMAT_VERSION ||
                    buffer.getInt(INDEX_INTERVAL_OFFSET) != interval ||
                    buffer.getLong(INDEX_BASE_OFFSET_OFFSET) != baseOffset)
                {
                    return;
                }
                final int fileCount = buffer.getIntVolatile(INDEX_COUNT_OFFSET);
                final int available = (int)((size - INDEX_HEADER_LENGTH) / INDEX_ENTRY_LENGTH);
                final int n = Math.max(0, Math.min(fileCount, available));
                for (int k = 0; k < n; k++)
                {
                    final int at = INDEX_HEADER_LENGTH + k * INDEX_ENTRY_LENGTH;
                    final long offset = buffer.getLong(at + INDEX_ENTRY_OFFSET_OFFSET);
                    final long timestamp = buffer.getLong(at + INDEX_ENTRY_TIMESTAMP_OFFSET);
                    final int position = buffer.getInt(at + INDEX_ENTRY_POSITION_OFFSET);
                    if (offset != baseOffset + ((long)k << intervalShift) ||
                        (checkAgainstSegment && !segment.frameMatches(position, offset, timestamp)) ||
                        position < SEGMENT_HEADER_LENGTH || position >= segment.length() ||
                        (k > 0 && (position <= positions[k - 1] || timestamp < timestamps[k - 1])))
                    {
                        break;
                    }
                    add(offset, timestamp, position);
                }
            }
            finally
            {
                IoUtil.unmap(map);
            }
        }
        catch (final IOException ex)
        {
            count = 0;
        }
    }

    /**
     * Add the entries for records written after the last entry, scanning the segment from there.
     */
    void extend(final Segment segment)
    {
        long offset;
        int position;
        if (count == 0)
        {
            offset = baseOffset;
            position = SEGMENT_HEADER_LENGTH;
        }
        else
        {
            offset = offsets[count - 1];
            position = positions[count - 1];
        }

        int result;
        while ((result = segment.scanFrame(position, offset)) > 0)
        {
            if (((offset - baseOffset) & (interval - 1)) == 0 && (count == 0 || offset > offsets[count - 1]))
            {
                add(offset, segment.buffer().getLong(position + TIMESTAMP_OFFSET), position);
            }
            position += result;
            offset++;
        }
    }

    private void add(final long offset, final long timestamp, final int position)
    {
        if (count == offsets.length)
        {
            final int length = offsets.length * 2;
            offsets = java.util.Arrays.copyOf(offsets, length);
            timestamps = java.util.Arrays.copyOf(timestamps, length);
            positions = java.util.Arrays.copyOf(positions, length);
        }
        offsets[count] = offset;
        timestamps[count] = timestamp;
        positions[count] = position;
        count++;
    }

    /**
     * Prepare the index of a spare segment, off the writer's thread: written in full to
     * {@value JournalDescriptor#SPARE_INDEX_NAME} with base offset -1 and mapped. {@link #adoptAs} gives it its
     * segment at the roll.
     *
     * @param dir           of the journal.
     * @param segmentLength of the spare.
     * @param interval      records between entries.
     * @return the mapped, empty index.
     */
    static SegmentIndex createSpare(final Path dir, final int segmentLength, final int interval) throws IOException
    {
        final SegmentIndex index = new SegmentIndex(-1, interval, indexCapacity(segmentLength, interval));
        index.writeFile(dir, segmentLength, dir.resolve(SPARE_INDEX_NAME + ".partial"), dir.resolve(SPARE_INDEX_NAME));
        return index;
    }

    /**
     * Make a prepared spare index the index of a segment: its base offset set through the mapping, the file
     * renamed. This object must not be used after.
     *
     * @param dir        of the journal.
     * @param baseOffset of the segment.
     * @return the writable index over the same mapping.
     */
    SegmentIndex adoptAs(final Path dir, final long baseOffset) throws IOException
    {
        file.putLong(INDEX_BASE_OFFSET_OFFSET, baseOffset);
        Files.move(dir.resolve(SPARE_INDEX_NAME), dir.resolve(indexFileName(baseOffset)), StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
        final SegmentIndex adopted = new SegmentIndex(baseOffset, interval, fileCapacity);
        adopted.channel = channel;
        adopted.mapped = mapped;
        adopted.file = file;
        adopted.fileCapacity = fileCapacity;
        channel = null;
        mapped = null;
        file = null;
        return adopted;
    }

    private void writeFile(final Path dir, final int segmentLength) throws IOException
    {
        writeFile(dir, segmentLength, dir.resolve(indexFileName(baseOffset) + ".tmp"), dir.resolve(indexFileName(baseOffset)));
    }

    private void writeFile(final Path dir, final int segmentLength, final Path tmp, final Path path) throws IOException
    {
        final int capacity = indexCapacity(segmentLength, interval);
        final long size = INDEX_HEADER_LENGTH + (long)capacity * INDEX_ENTRY_LENGTH;
        // written with write(2), every byte of it, never through a mapping of a sparse file: a full disk fails
        // here, at the roll, with an IOException, and never later with a SIGBUS on a write through the mapping
        try (FileChannel ch = OwnerOnly.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE))
        {
            final java.nio.ByteBuffer header = java.nio.ByteBuffer.allocate(INDEX_HEADER_LENGTH)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN);
            header.putLong(0, INDEX_MAGIC);
            header.putInt(INDEX_VERSION_OFFSET, FORMAT_VERSION);
            header.putInt(INDEX_INTERVAL_OFFSET, interval);
            header.putLong(INDEX_BASE_OFFSET_OFFSET, baseOffset);
            header.putInt(INDEX_CAPACITY_OFFSET, capacity);
            header.putInt(INDEX_COUNT_OFFSET, count);
            writeFully(ch, header, 0);

            final int perChunk = 2048;
            final java.nio.ByteBuffer chunk = java.nio.ByteBuffer.allocate(perChunk * INDEX_ENTRY_LENGTH)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN);
            for (int first = 0; first < capacity; first += perChunk)
            {
                final int n = Math.min(perChunk, capacity - first);
                java.util.Arrays.fill(chunk.array(), (byte)0);
                for (int k = first; k < Math.min(count, first + n); k++)
                {
                    final int at = (k - first) * INDEX_ENTRY_LENGTH;
                    chunk.putLong(at + INDEX_ENTRY_OFFSET_OFFSET, offsets[k]);
                    chunk.putLong(at + INDEX_ENTRY_TIMESTAMP_OFFSET, timestamps[k]);
                    chunk.putInt(at + INDEX_ENTRY_POSITION_OFFSET, positions[k]);
                }
                chunk.limit(n * INDEX_ENTRY_LENGTH).position(0);
                writeFully(ch, chunk, INDEX_HEADER_LENGTH + (long)first * INDEX_ENTRY_LENGTH);
            }
        }
        Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);

        channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        mapped = channel.map(FileChannel.MapMode.READ_WRITE, 0, size);
        file = new UnsafeBuffer(mapped);
        fileCapacity = capacity;
    }

    private static void writeFully(final FileChannel ch, final java.nio.ByteBuffer src, final long position)
        throws IOException
    {
        while (src.hasRemaining())
        {
            ch.write(src, position + src.position());
        }
    }

    /**
     * Writer only: record the entry for a record if its offset falls on the interval.
     *
     * @param offset    of the record just appended.
     * @param timestamp of the record.
     * @param position  of its frame in the segment.
     */
    void onAppend(final long offset, final long timestamp, final int position)
    {
        if (((offset - baseOffset) & (interval - 1)) == 0)
        {
            final int k = count;
            final UnsafeBuffer file = this.file;
            if (k < fileCapacity)
            {
                final int at = INDEX_HEADER_LENGTH + k * INDEX_ENTRY_LENGTH;
                file.putLong(at + INDEX_ENTRY_OFFSET_OFFSET, offset);
                file.putLong(at + INDEX_ENTRY_TIMESTAMP_OFFSET, timestamp);
                file.putInt(at + INDEX_ENTRY_POSITION_OFFSET, position);
                file.putIntRelease(INDEX_COUNT_OFFSET, k + 1);
            }
            count = k + 1;
        }
    }

    /**
     * @return entries held.
     */
    int count()
    {
        return count;
    }

    long offset(final int k)
    {
        return offsets[k];
    }

    long timestamp(final int k)
    {
        return timestamps[k];
    }

    int position(final int k)
    {
        return positions[k];
    }

    /**
     * The entry to start from to reach an offset: the last entry at or before it.
     *
     * @param offset wanted, at or after the segment's base.
     * @return the entry index, or -1 if the index has no entries.
     */
    int entryForOffset(final long offset)
    {
        if (count == 0)
        {
            return -1;
        }
        final long k = (offset - baseOffset) >> intervalShift;
        return (int)Math.min(k, count - 1);
    }

    /**
     * The entry to start from to reach the first record at or after a timestamp: the last entry whose
     * timestamp is strictly before it, or 0.
     *
     * @param timestamp wanted.
     * @return the entry index, or -1 if the index has no entries.
     */
    int entryForTimestamp(final long timestamp)
    {
        if (count == 0)
        {
            return -1;
        }
        int lo = 0;
        int hi = count - 1;
        int found = 0;
        while (lo <= hi)
        {
            final int mid = (lo + hi) >>> 1;
            if (timestamps[mid] < timestamp)
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

    /**
     * Writer only: flush the index file; it is derived data, so this is a courtesy, never a guarantee.
     */
    void force()
    {
        if (null != mapped)
        {
            mapped.force();
        }
    }

    public void close()
    {
        if (null != mapped)
        {
            IoUtil.unmap(mapped);
            mapped = null;
            file = null;
        }
        CloseHelper.quietClose(channel);
        channel = null;
    }
}
