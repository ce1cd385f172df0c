package io.txmon.journal;

import org.agrona.CloseHelper;
import org.agrona.IoUtil;
import org.agrona.checksum.Crc32c;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

import static io.txmon.journal.JournalDescriptor.*;

/**
 * One mapped segment file. Frames are scanned and checked here so that the writer's recovery and every
 * reader apply exactly the same rules to decide where a journal ends.
 * <p>
 * Not thread safe: each writer and each reader has its own {@code Segment} objects.
 */
final class Segment implements AutoCloseable
{
    /** {@link #scanFrame} result: nothing has been written at this position yet. */
    static final int EMPTY = 0;
    /** {@link #scanFrame} result: the writer rolled; the next record is in the next segment. */
    static final int ROLLED = -1;
    /** {@link #scanFrame} result: the bytes here are not a whole, valid frame with the expected offset. */
    static final int CORRUPT = -2;

    private final Path path;
    private final long baseOffset;
    private final int length;
    private final FileChannel channel;
    private final MappedByteBuffer mapped;
    private final UnsafeBuffer buffer;
    private final long address;
    private final ByteBuffer crcView;
    private final CRC32C crc = new CRC32C();
    private boolean closed;
    private SegmentIndex preparedIndex;

    private Segment(final Path path, final long baseOffset, final FileChannel channel, final MappedByteBuffer mapped)
    {
        this.path = path;
        this.baseOffset = baseOffset;
        this.channel = channel;
        this.mapped = mapped;
        this.length = mapped.capacity();
        this.buffer = new UnsafeBuffer(mapped);
        this.address = buffer.addressOffset();
        this.crcView = mapped.duplicate();
    }

    /**
     * Create a segment, allocate its blocks on disk by writing them, then map it. A disk without room
     * fails here with an {@link IOException}, never later with a SIGBUS while appending.
     */
    static Segment create(final Path dir, final long baseOffset, final int length) throws IOException
    {
        return create(dir, baseOffset, length, true);
    }

    /**
     * As {@link #create(Path, long, int)}, flushing the new file to the device only if asked: with
     * {@link Durability#OS} nothing else is forced either, so flushing zeros would only cost time.
     */
    static Segment create(final Path dir, final long baseOffset, final int length, final boolean flush)
        throws IOException
    {
        final Path path = dir.resolve(segmentFileName(baseOffset));
        final Path tmp = dir.resolve(segmentFileName(baseOffset) + ".tmp");
        writeSegmentFile(tmp, baseOffset, length, flush);
        Files.move(tmp, path, java.nio.file.StandardCopyOption.ATOMIC_MOVE);

        return open(path, baseOffset, false);
    }

    /**
     * Prepare a spare segment: written in full and flushed, then mapped and every page touched with a
     * write, so that the writer that adopts this mapping at a roll never takes a page fault on it. Its
     * base offset is set when a roll takes it. This is the slow part of a roll, done away from the
     * writer's thread.
     *
     * @param dir    of the journal.
     * @param length of the segment.
     * @return the mapped spare.
     */
    static Segment createSpare(final Path dir, final int length, final boolean flush, final int indexInterval)
        throws IOException
    {
        final Path partial = dir.resolve(SPARE_SEGMENT_NAME + ".partial");
        writeSegmentFile(partial, -1, length, flush);
        final Path spare = dir.resolve(SPARE_SEGMENT_NAME);
        Files.move(partial, spare, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        final Segment segment = open(spare, -1, false);
        try
        {
            segment.pretouch(SEGMENT_HEADER_LENGTH);
            // its index too, written in full: the roll only sets the base offset in both
            segment.preparedIndex = SegmentIndex.createSpare(dir, length, indexInterval);
        }
        catch (final IOException | RuntimeException ex)
        {
            segment.close();
            throw ex;
        }
        return segment;
    }

    /**
     * The index prepared with a spare, handed over once: null if none, or if already taken.
     */
    SegmentIndex takePreparedIndex()
    {
        final SegmentIndex index = preparedIndex;
        preparedIndex = null;
        return index;
    }

    /**
     * Write-touch every page from a position to the end, so later writes there take no page fault.
     * Only for bytes nobody has written yet: it writes zero into the last byte of each page.
     *
     * @param from position; pages from the one after it are touched.
     */
    void pretouch(final int from)
    {
        final int pageSize = 4096;
        for (int page = (from / pageSize + 1) * pageSize; page < length; page += pageSize)
        {
            buffer.putByte(page + pageSize - 1, (byte)0);
        }
    }

    /**
     * Make a prepared spare the segment that starts at a base offset: set the base in its header, rename
     * the file, and hand back a segment over the very same mapping. This object must not be used after.
     *
     * @param dir         of the journal.
     * @param baseOffset  of the new segment.
     * @param forceHeader true to flush the header to the device before the rename.
     * @return the segment.
     */
    Segment adoptAs(final Path dir, final long baseOffset, final boolean forceHeader) throws IOException
    {
        buffer.putLong(BASE_OFFSET_OFFSET, baseOffset);
        if (forceHeader)
        {
            mapped.force(0, SEGMENT_HEADER_LENGTH);
        }
        final Path target = dir.resolve(segmentFileName(baseOffset));
        Files.move(path, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        closed = true;
        return new Segment(target, baseOffset, channel, mapped);
    }

    private static void writeSegmentFile(final Path file, final long baseOffset, final int length, final boolean flush)
        throws IOException
    {
        try (FileChannel ch = OwnerOnly.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE))
        {
            final ByteBuffer header = ByteBuffer.allocate(SEGMENT_HEADER_LENGTH).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            header.putLong(MAGIC_OFFSET, MAGIC);
            header.putInt(FORMAT_VERSION_OFFSET, FORMAT_VERSION);
            header.putInt(SEGMENT_HEADER_LENGTH_OFFSET, SEGMENT_HEADER_LENGTH);
            header.putLong(BASE_OFFSET_OFFSET, baseOffset);
            header.putLong(SEGMENT_LENGTH_OFFSET, length);
            writeFully(ch, header, 0);

            final ByteBuffer zeros = ByteBuffer.allocate(256 * 1024);
            long position = SEGMENT_HEADER_LENGTH;
            while (position < length)
            {
                zeros.clear().limit((int)Math.min(zeros.capacity(), length - position));
                position += writeFully(ch, zeros, position);
            }
            if (flush)
            {
                ch.force(true);
            }
        }
    }

    private static int writeFully(final FileChannel ch, final ByteBuffer src, final long position) throws IOException
    {
        int written = 0;
        while (src.hasRemaining())
        {
            written += ch.write(src, position + written);
        }
        return written;
    }

    /**
     * Map an existing segment and check its header.
     *
     * @throws JournalException if the header is not a txmon segment header of a known format version, or the
     * file is not as long as its header says (a truncated file).
     */
    static Segment open(final Path path, final long baseOffset, final boolean readOnly) throws IOException
    {
        final FileChannel channel = readOnly ?
            FileChannel.open(path, StandardOpenOption.READ) :
            FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try
        {
            final long size = channel.size();
            if (size < SEGMENT_HEADER_LENGTH)
            {
                throw new JournalException("segment " + path + " is only " + size + " bytes, shorter than a " +
                    SEGMENT_HEADER_LENGTH + " byte segment header: it was truncated; restore it from a copy");
            }
            if (size > MAX_SEGMENT_LENGTH || (size & (FRAME_ALIGNMENT - 1)) != 0)
            {
                throw new JournalException("segment " + path + " has an impossible size of " + size +
                    " bytes (more than " + MAX_SEGMENT_LENGTH + " or not a multiple of " + FRAME_ALIGNMENT +
                    "): it is not a whole segment; restore it from a copy");
            }
            final MappedByteBuffer mapped = channel.map(
                readOnly ? FileChannel.MapMode.READ_ONLY : FileChannel.MapMode.READ_WRITE, 0, size);
            final Segment segment = new Segment(path, baseOffset, channel, mapped);
            segment.checkHeader();
            return segment;
        }
        catch (final IOException | RuntimeException ex)
        {
            CloseHelper.quietClose(channel);
            throw ex;
        }
    }

    /**
     * Check a segment file's header without mapping it: one small read. For the writer's open, which checks
     * every segment's header but maps only the last.
     *
     * @throws JournalException naming the file and the field, as {@link #open} would.
     */
    static void checkHeaderOf(final Path path, final long baseOffset) throws IOException
    {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ))
        {
            final long size = channel.size();
            if (size < SEGMENT_HEADER_LENGTH)
            {
                throw new JournalException("segment " + path + " is only " + size + " bytes, shorter than a " +
                    SEGMENT_HEADER_LENGTH + " byte segment header: it was truncated; restore it from a copy");
            }
            final ByteBuffer header = ByteBuffer.allocate(SEGMENT_HEADER_LENGTH).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            while (header.hasRemaining() && channel.read(header, header.position()) >= 0)
            {
                // read the whole header
            }
            final long magic = header.getLong(MAGIC_OFFSET);
            final int version = header.getInt(FORMAT_VERSION_OFFSET);
            final long headerLength = header.getLong(SEGMENT_LENGTH_OFFSET);
            final long headerBase = header.getLong(BASE_OFFSET_OFFSET);
            final String problem = headerProblem(path, baseOffset, size, magic, version, headerLength, headerBase);
            if (null != problem)
            {
                throw new JournalException(problem);
            }
        }
    }

    private static String headerProblem(final Path path, final long baseOffset, final long length, final long magic,
        final int version, final long headerLength, final long headerBase)
    {
        if (magic != MAGIC)
        {
            return "segment " + path + " is not a txmon journal segment (bad magic at position 0)";
        }
        if (version != FORMAT_VERSION)
        {
            return "segment " + path + " has journal format version " + version + " (position " +
                FORMAT_VERSION_OFFSET + ") but this txmon reads version " + FORMAT_VERSION +
                ": use a txmon release that supports it";
        }
        if (headerLength != length)
        {
            return "segment " + path + " is " + length + " bytes but its header says " + headerLength +
                " bytes (position " + SEGMENT_LENGTH_OFFSET + "): it was " +
                (length < headerLength ? "truncated" : "extended or its header damaged") + "; restore it from a copy";
        }
        if (headerBase != baseOffset)
        {
            return "segment " + path + " header holds base offset " + headerBase + " (position " +
                BASE_OFFSET_OFFSET + ") which does not match its file name: the header is damaged or the file " +
                "misplaced; restore it from a copy";
        }
        return null;
    }

    private void checkHeader()
    {
        // every field is read before anything is closed: a closed segment's buffer is unmapped memory
        final long magic = buffer.getLong(MAGIC_OFFSET);
        final int version = buffer.getInt(FORMAT_VERSION_OFFSET);
        final long headerLength = buffer.getLong(SEGMENT_LENGTH_OFFSET);
        final long headerBase = buffer.getLong(BASE_OFFSET_OFFSET);
        final String problem = headerProblem(path, baseOffset, length, magic, version, headerLength, headerBase);
        if (null == problem)
        {
            return;
        }
        close();
        throw new JournalException(problem);
    }

    /**
     * Check the frame at a position.
     *
     * @param position       of the frame in this segment.
     * @param expectedOffset the offset the frame must carry.
     * @return the aligned frame length (&gt; 0) of a whole, valid frame, or {@link #EMPTY}, {@link #ROLLED},
     * {@link #CORRUPT}.
     */
    int scanFrame(final int position, final long expectedOffset)
    {
        final int result = skipFrame(position, expectedOffset);
        if (result > 0)
        {
            final int frameLength = buffer.getInt(position + LENGTH_OFFSET);
            if (buffer.getInt(position + CRC_OFFSET) != crc(position + OFFSET_OFFSET, frameLength - OFFSET_OFFSET))
            {
                return CORRUPT;
            }
        }
        return result;
    }

    /**
     * Whether a whole frame with this offset and timestamp starts at a position, checked from its header
     * alone (no CRC): used to trust an index entry.
     */
    boolean frameMatches(final int position, final long offset, final long timestamp)
    {
        if (position < SEGMENT_HEADER_LENGTH || position > length - FRAME_HEADER_LENGTH ||
            (position & (FRAME_ALIGNMENT - 1)) != 0)
        {
            return false;
        }
        final int frameLength = buffer.getIntVolatile(position + LENGTH_OFFSET);
        return frameLength >= FRAME_HEADER_LENGTH && frameLength <= length - position &&
            buffer.getLong(position + OFFSET_OFFSET) == offset &&
            buffer.getLong(position + TIMESTAMP_OFFSET) == timestamp;
    }

    /**
     * Like {@link #scanFrame} but checks only the header (length and offset), not the CRC: for moving
     * over records a seek does not deliver. A record that is delivered is always checked in full.
     */
    int skipFrame(final int position, final long expectedOffset)
    {
        if (position > length - FRAME_ALIGNMENT)
        {
            return position >= length ? ROLLED : CORRUPT;
        }
        final int frameLength = buffer.getIntVolatile(position + LENGTH_OFFSET);
        if (frameLength == 0)
        {
            return EMPTY;
        }
        if (frameLength == END_OF_SEGMENT)
        {
            return ROLLED;
        }
        if (frameLength < FRAME_HEADER_LENGTH || frameLength > length - position ||
            buffer.getLong(position + OFFSET_OFFSET) != expectedOffset)
        {
            return CORRUPT;
        }
        return org.agrona.BitUtil.align(frameLength, FRAME_ALIGNMENT);
    }

    /**
     * The position of the last non-zero byte at or after a position, or {@code from - 1} if every byte from
     * there to the end of the segment is zero.
     */
    int lastNonZero(final int from)
    {
        int i = length - 1;
        while (i >= from && (i & 7) != 7)
        {
            if (buffer.getByte(i) != 0)
            {
                return i;
            }
            i--;
        }
        while (i - 7 >= from && buffer.getLong(i - 7) == 0)
        {
            i -= 8;
        }
        while (i >= from && buffer.getByte(i) == 0)
        {
            i--;
        }
        return Math.max(i, from - 1);
    }

    /**
     * Look for a whole, valid frame after a position that is not one: a frame at an aligned position
     * after it whose length fits, whose offset is one a record after the bad one could have (greater than
     * {@code expected}, and at most one more per 32 bytes passed) and whose CRC matches. Such a frame means
     * the bad bytes are damage in the middle of the journal, not a torn tail.
     *
     * @param from     position of the frame that is not valid.
     * @param expected offset that frame should have had.
     * @param end      last position worth looking at (inclusive): the last non-zero byte.
     * @return the position of the first such frame, or -1.
     */
    int findFrameAfter(final int from, final long expected, final int end)
    {
        for (int p = from + FRAME_ALIGNMENT; p <= end && p <= length - FRAME_HEADER_LENGTH; p += FRAME_ALIGNMENT)
        {
            final int frameLength = buffer.getInt(p + LENGTH_OFFSET);
            if (frameLength < FRAME_HEADER_LENGTH || frameLength > length - p)
            {
                continue;
            }
            final long offset = buffer.getLong(p + OFFSET_OFFSET);
            if (offset <= expected || offset > expected + (p - from) / FRAME_HEADER_LENGTH)
            {
                continue;
            }
            if (buffer.getInt(p + CRC_OFFSET) == crc(p + OFFSET_OFFSET, frameLength - OFFSET_OFFSET))
            {
                return p;
            }
        }
        return -1;
    }

    /**
     * Count the valid frames from a position that is not a valid frame to a position: every run of valid
     * frames {@link #findFrameAfter} finds.
     *
     * @return records that would be lost if the bytes were cut.
     */
    long countFramesAfter(final int from, final long expected, final int end)
    {
        long count = 0;
        int bad = from;
        long badOffset = expected;
        int p;
        while ((p = findFrameAfter(bad, badOffset, end)) >= 0)
        {
            long offset = buffer.getLong(p + OFFSET_OFFSET);
            int result;
            while ((result = scanFrame(p, offset)) > 0)
            {
                count++;
                p += result;
                offset++;
            }
            if (result != CORRUPT && (result != EMPTY || p > end))
            {
                break;
            }
            bad = p;
            badOffset = offset;
        }
        return count;
    }

    /**
     * Timestamp of the frame at a position; the caller has checked the frame.
     */
    long timestampAt(final int position)
    {
        return buffer.getLong(position + TIMESTAMP_OFFSET);
    }

    /**
     * The mapped bytes, for hashing.
     */
    java.nio.ByteBuffer byteBuffer()
    {
        return mapped.duplicate();
    }

    /**
     * Flush a range of the mapping to the storage device.
     *
     * @throws java.io.UncheckedIOException if the device reports a failure.
     */
    void force(final int index, final int rangeLength)
    {
        mapped.force(index, rangeLength);
    }

    /**
     * CRC32C of a range of this segment, without allocation. With
     * {@code --add-opens java.base/java.util.zip=ALL-UNNAMED} it goes straight from the mapped address
     * into the JDK's CRC32C intrinsic through Agrona (about 2.5 ns a record less); without, through a
     * ByteBuffer view whose position and limit move per record. Both give the same CRC32C.
     */
    int crc(final int index, final int rangeLength)
    {
        if (FAST_CRC)
        {
            return Crc32c.INSTANCE.compute(address, index, rangeLength);
        }
        crc.reset();
        crcView.limit(index + rangeLength).position(index);
        crc.update(crcView);
        return (int)crc.getValue();
    }

    /** True when Agrona's address-based CRC32C works in this JVM and agrees with the JDK's. */
    static final boolean FAST_CRC = fastCrcWorks();

    private static boolean fastCrcWorks()
    {
        try
        {
            final ByteBuffer probe = ByteBuffer.allocateDirect(64);
            for (int i = 0; i < 64; i++)
            {
                probe.put(i, (byte)(i * 31 + 7));
            }
            final CRC32C reference = new CRC32C();
            reference.update(probe.duplicate());
            return Crc32c.INSTANCE.compute(new UnsafeBuffer(probe).addressOffset(), 0, 64) == (int)reference.getValue();
        }
        catch (final Throwable ex)
        {
            return false;
        }
    }

    /**
     * Base offsets of the segments in a journal directory, ascending.
     */
    static long[] listBaseOffsets(final Path dir) throws IOException
    {
        final String[] names = dir.toFile().list();
        if (names == null)
        {
            throw new JournalException("journal directory " + dir + " does not exist or cannot be read");
        }

        long[] offsets = new long[names.length];
        int count = 0;
        for (final String name : names)
        {
            final long base = parseBaseOffset(name);
            if (base >= 0)
            {
                offsets[count++] = base;
            }
        }
        offsets = java.util.Arrays.copyOf(offsets, count);
        java.util.Arrays.sort(offsets);
        return offsets;
    }

    UnsafeBuffer buffer()
    {
        return buffer;
    }

    int length()
    {
        return length;
    }

    long baseOffset()
    {
        return baseOffset;
    }

    Path path()
    {
        return path;
    }

    void force()
    {
        mapped.force();
    }

    /**
     * Unmap and close the file; safe to call more than once.
     */
    public void close()
    {
        CloseHelper.quietClose(preparedIndex);
        preparedIndex = null;
        if (!closed)
        {
            closed = true;
            IoUtil.unmap(mapped);
            CloseHelper.quietClose(channel);
        }
    }
}
