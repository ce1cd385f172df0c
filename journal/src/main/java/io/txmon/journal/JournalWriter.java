package io.txmon.journal;

import org.agrona.BitUtil;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static io.txmon.journal.JournalDescriptor.*;

/**
 * The single writer of a journal directory. Appends framed records with dense offsets from 0 into
 * pre-allocated, memory-mapped segments and rolls to a new segment when one is full.
 * <p>
 * Single writer across processes: an exclusive lock on {@value JournalDescriptor#LOCK_FILE_NAME}, which also
 * holds the owner's pid, is taken on open; a second writer fails fast and writes nothing. Within one process
 * a second writer is refused before it touches the lock file: the OS lock is a POSIX record lock, which the
 * process would lose as soon as it closed any descriptor of that file.
 * <p>
 * Recovery on open scans the active (last) segment; the first frame that is incomplete, fails its CRC
 * or carries the wrong offset ends the journal, and the bytes after it are zeroed and counted in
 * {@link #truncatedBytes()}.
 * <p>
 * Durability here is the page cache ({@code os} mode): a killed process loses nothing appended, a
 * power loss may. {@link #force()} flushes the active segment.
 * <p>
 * Not thread safe: exactly one thread appends.
 */
public final class JournalWriter implements AutoCloseable
{
    /** {@link #append} status: the record does not fit in an empty segment. */
    public static final long RECORD_TOO_LARGE = -1;
    /** {@link #append} status: the timestamp is before the last record's; ingest time never goes backwards. */
    public static final long TIMESTAMP_REGRESSION = -2;
    /** {@link #append} status: a new segment could not be created; see {@link #lastError()}. */
    public static final long ROLL_FAILED = -3;
    /** {@link #append} status: the writer is closed. */
    public static final long CLOSED = -4;

    /** Default segment length: 64 MiB. */
    public static final int DEFAULT_SEGMENT_LENGTH = 64 * 1024 * 1024;

    /** Real paths of the journal directories that have a writer in this process. */
    private static final Set<Path> OPEN_DIRECTORIES = ConcurrentHashMap.newKeySet();

    private final Path dir;
    private final Path realDir;
    private final int segmentLength;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final long truncatedBytes;

    private Segment segment;
    private UnsafeBuffer buffer;
    private int position;
    private long nextOffset;
    private long lastTimestamp;
    private Exception lastError;
    private boolean sealed;
    private boolean closed;

    private JournalWriter(
        final Path dir, final Path realDir, final int segmentLength, final FileChannel lockChannel, final FileLock lock)
        throws IOException
    {
        this.dir = dir;
        this.realDir = realDir;
        this.segmentLength = segmentLength;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.truncatedBytes = recover();
    }

    /**
     * Open a journal for writing, creating the directory and the first segment if needed.
     *
     * @param dir           of the journal.
     * @param segmentLength of new segments, a multiple of {@value JournalDescriptor#FRAME_ALIGNMENT}.
     * @return the writer, positioned after the last valid record.
     * @throws JournalException if another writer holds the journal or it cannot be opened.
     */
    public static JournalWriter open(final Path dir, final int segmentLength)
    {
        if (segmentLength < MIN_SEGMENT_LENGTH || segmentLength > MAX_SEGMENT_LENGTH ||
            segmentLength % FRAME_ALIGNMENT != 0)
        {
            throw new JournalException("segment length " + segmentLength + " must be a multiple of " +
                FRAME_ALIGNMENT + " between " + MIN_SEGMENT_LENGTH + " and " + MAX_SEGMENT_LENGTH);
        }

        final Path realDir;
        try
        {
            Files.createDirectories(dir);
            realDir = dir.toRealPath();
        }
        catch (final IOException ex)
        {
            throw new JournalException("cannot open journal " + dir + " for writing: " + ex.getMessage(), ex);
        }
        if (!OPEN_DIRECTORIES.add(realDir))
        {
            throw new JournalException("journal " + dir + " is already open for writing (owner pid " +
                ProcessHandle.current().pid() + ", this process); close that writer or use another directory");
        }

        FileChannel lockChannel = null;
        try
        {
            final Path lockPath = dir.resolve(LOCK_FILE_NAME);
            lockChannel = FileChannel.open(
                lockPath, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try
            {
                lock = lockChannel.tryLock();
            }
            catch (final OverlappingFileLockException ex)
            {
                lock = null;
            }
            if (lock == null)
            {
                final String owner = new String(Files.readAllBytes(lockPath), StandardCharsets.US_ASCII).trim();
                throw new JournalException("journal " + dir + " is already open for writing (owner pid " +
                    (owner.isEmpty() ? "unknown" : owner) + "); stop that writer or use another directory");
            }

            final byte[] pid = Long.toString(ProcessHandle.current().pid()).getBytes(StandardCharsets.US_ASCII);
            lockChannel.truncate(0);
            lockChannel.write(ByteBuffer.wrap(pid), 0);

            return new JournalWriter(dir, realDir, segmentLength, lockChannel, lock);
        }
        catch (final IOException ex)
        {
            CloseHelper.quietClose(lockChannel);
            OPEN_DIRECTORIES.remove(realDir);
            throw new JournalException("cannot open journal " + dir + " for writing: " + ex.getMessage(), ex);
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietClose(lockChannel);
            OPEN_DIRECTORIES.remove(realDir);
            throw ex;
        }
    }

    private long recover() throws IOException
    {
        final long[] bases = Segment.listBaseOffsets(dir);
        if (bases.length == 0)
        {
            mapSegment(Segment.create(dir, 0, segmentLength), SEGMENT_HEADER_LENGTH, 0);
            lastTimestamp = Long.MIN_VALUE;
            return 0;
        }

        final Segment last = Segment.open(
            dir.resolve(segmentFileName(bases[bases.length - 1])), bases[bases.length - 1], false);
        int pos = SEGMENT_HEADER_LENGTH;
        long expected = last.baseOffset();
        long lastTs = Long.MIN_VALUE;
        int result;
        while ((result = last.scanFrame(pos, expected)) > 0)
        {
            lastTs = last.buffer().getLong(pos + TIMESTAMP_OFFSET);
            pos += result;
            expected++;
        }

        long truncated = 0;
        if (result == Segment.CORRUPT || result == Segment.EMPTY)
        {
            truncated = zeroTail(last, pos);
        }

        if (lastTs == Long.MIN_VALUE && bases.length > 1)
        {
            lastTs = lastTimestampOf(bases[bases.length - 2]);
        }
        lastTimestamp = lastTs;

        if (result == Segment.ROLLED)
        {
            last.close();
            mapSegment(Segment.create(dir, expected, segmentLength), SEGMENT_HEADER_LENGTH, expected);
        }
        else
        {
            mapSegment(last, pos, expected);
        }

        return truncated;
    }

    private long lastTimestampOf(final long baseOffset) throws IOException
    {
        try (Segment previous = Segment.open(dir.resolve(segmentFileName(baseOffset)), baseOffset, true))
        {
            int pos = SEGMENT_HEADER_LENGTH;
            long expected = baseOffset;
            long ts = Long.MIN_VALUE;
            int result;
            while ((result = previous.scanFrame(pos, expected)) > 0)
            {
                ts = previous.buffer().getLong(pos + TIMESTAMP_OFFSET);
                pos += result;
                expected++;
            }
            return ts;
        }
    }

    private static long zeroTail(final Segment segment, final int from)
    {
        final UnsafeBuffer buffer = segment.buffer();
        int lastNonZero = segment.length() - 1;
        while (lastNonZero >= from && buffer.getByte(lastNonZero) == 0)
        {
            lastNonZero--;
        }
        final long dirty = lastNonZero + 1L - from;
        if (dirty > 0)
        {
            buffer.setMemory(from, (int)dirty, (byte)0);
            segment.force();
        }
        return Math.max(0, dirty);
    }

    private void mapSegment(final Segment segment, final int position, final long nextOffset)
    {
        this.segment = segment;
        this.sealed = false;
        this.buffer = segment.buffer();
        this.position = position;
        this.nextOffset = nextOffset;
    }

    /**
     * Append a record. Allocation free unless a segment roll happens.
     *
     * @param src        holding the payload.
     * @param srcOffset  of the payload in src.
     * @param length     of the payload.
     * @param templateId of the payload, stored in the frame header.
     * @param timestamp  ingest time in epoch nanoseconds, never before the last record's.
     * @return the record's offset, or a negative status: {@link #RECORD_TOO_LARGE},
     * {@link #TIMESTAMP_REGRESSION}, {@link #ROLL_FAILED}, {@link #CLOSED}.
     */
    public long append(
        final DirectBuffer src, final int srcOffset, final int length, final int templateId, final long timestamp)
    {
        if (closed)
        {
            return CLOSED;
        }
        // checked before any arithmetic on length: near Integer.MAX_VALUE the frame length would overflow;
        // segmentLength is a multiple of FRAME_ALIGNMENT, so the aligned frame then fits an empty segment too
        if (length < 0 || length > segmentLength - SEGMENT_HEADER_LENGTH - FRAME_HEADER_LENGTH)
        {
            return RECORD_TOO_LARGE;
        }
        final int frameLength = FRAME_HEADER_LENGTH + length;
        final int alignedLength = BitUtil.align(frameLength, FRAME_ALIGNMENT);
        if (timestamp < lastTimestamp)
        {
            return TIMESTAMP_REGRESSION;
        }
        // the active segment's own length, not segmentLength: a reopened journal may have been written with another
        if ((sealed || position + alignedLength > segment.length()) && !roll())
        {
            return ROLL_FAILED;
        }

        final UnsafeBuffer buffer = this.buffer;
        final int position = this.position;
        final long offset = nextOffset;
        buffer.putLong(position + OFFSET_OFFSET, offset);
        buffer.putLong(position + TIMESTAMP_OFFSET, timestamp);
        buffer.putInt(position + TEMPLATE_ID_OFFSET, templateId);
        buffer.putInt(position + RESERVED_OFFSET, 0);
        buffer.putBytes(position + FRAME_HEADER_LENGTH, src, srcOffset, length);
        buffer.putInt(position + CRC_OFFSET, segment.crc(position + OFFSET_OFFSET, frameLength - OFFSET_OFFSET));
        buffer.putIntRelease(position + LENGTH_OFFSET, frameLength);

        this.position = position + alignedLength;
        this.nextOffset = offset + 1;
        this.lastTimestamp = timestamp;

        return offset;
    }

    private boolean roll()
    {
        // The end marker goes first: a crash before the next segment exists is finished by recovery,
        // and nothing is ever appended after a marker.
        if (!sealed)
        {
            if (position <= segment.length() - FRAME_ALIGNMENT)
            {
                buffer.putIntRelease(position + LENGTH_OFFSET, END_OF_SEGMENT);
            }
            sealed = true;
        }

        final Segment next;
        try
        {
            next = Segment.create(dir, nextOffset, segmentLength);
        }
        catch (final IOException | RuntimeException ex)
        {
            lastError = ex;
            return false;
        }

        segment.close();
        mapSegment(next, SEGMENT_HEADER_LENGTH, nextOffset);
        return true;
    }

    /**
     * Flush the active segment to the storage device.
     */
    public void force()
    {
        if (!closed)
        {
            segment.force();
        }
    }

    /**
     * @return the offset the next appended record will get; also the number of records in the journal.
     */
    public long nextOffset()
    {
        return nextOffset;
    }

    /**
     * @return the timestamp of the last record, or {@link Long#MIN_VALUE} if the journal is empty.
     */
    public long lastTimestamp()
    {
        return lastTimestamp;
    }

    /**
     * @return bytes found after the last valid record on open and discarded.
     */
    public long truncatedBytes()
    {
        return truncatedBytes;
    }

    /**
     * @return the failure behind the last {@link #ROLL_FAILED}, or null.
     */
    public Exception lastError()
    {
        return lastError;
    }

    /**
     * @return the journal directory.
     */
    public Path directory()
    {
        return dir;
    }

    /**
     * Release the segment mapping and the lock; safe to call more than once.
     */
    public void close()
    {
        if (!closed)
        {
            closed = true;
            try
            {
                CloseHelper.closeAll(segment, lock, lockChannel);
            }
            finally
            {
                OPEN_DIRECTORIES.remove(realDir);
            }
        }
    }
}
