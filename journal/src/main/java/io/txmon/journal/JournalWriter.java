package io.txmon.journal;

import org.agrona.BitUtil;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static io.txmon.journal.JournalDescriptor.*;

/**
 * The single writer of a journal directory. Appends framed records with dense offsets from 0 into
 * pre-allocated, memory-mapped segments, keeps each segment's sparse index, and rolls to a new segment
 * when one is full.
 * <p>
 * <b>Single writer across processes</b>: an exclusive lock on {@value JournalDescriptor#LOCK_FILE_NAME} is
 * taken on open and a mark file, {@value JournalDescriptor#MARK_FILE_NAME}, holds the owner's pid while it
 * runs; a second writer fails fast, naming the owner, and writes nothing. A mark file found on open means
 * the previous writer did not close cleanly ({@link #previousOwnerCrashed()}).
 * <p>
 * <b>Checks on open</b>, before anything is written: every segment header, segments contiguous from the
 * first offset retention kept, no full segment without a seal before a sealed one, the newest seal's chain
 * link, and every frame of the active (last) segment. Only a torn tail is cut (bytes after the last valid
 * frame with no valid frame after them; copied to {@code <segment>.cut-<position>}, counted in
 * {@link #truncatedBytes()}, described by {@link #recoveryNote()}); a damaged frame followed by a valid one
 * refuses the open, for {@code txmon journal repair}. Earlier segments are never truncated. Full segments
 * after the newest seal (a crash between a roll and its seal) are sealed.
 * <p>
 * <b>Durability</b> per {@link Durability}: {@code OS} relies on the page cache; {@code INTERVAL} forces
 * from {@link #flushIfDue(long)}; {@code SYNC} forces in {@link #commit()}, which the owner calls before
 * releasing what it appended. A failed force stops the writer: every later append returns
 * {@link #FORCE_FAILED} and {@link #lastError()} says why; it is never retried into success.
 * <p>
 * <b>Off the writer's path</b>: a {@link JournalMaintenanceAgent} on another thread prepares the next
 * segment, seals full ones and applies retention. Without one the writer does the first two itself, at
 * roll and on close.
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
    /** {@link #append} status: a force failed earlier; the writer has stopped. See {@link #lastError()}. */
    public static final long FORCE_FAILED = -5;

    /** Default segment length: 64 MiB. */
    public static final int DEFAULT_SEGMENT_LENGTH = 64 * 1024 * 1024;

    static final int SPARE_NEEDED = 0;
    static final int SPARE_READY = 1;

    private final Path dir;
    private final JournalConfig config;
    private final int segmentLength;
    private final int indexInterval;
    private final Durability durability;
    private final FileLocks.Held lock;
    private final boolean previousOwnerCrashed;
    private final Object sealLock = new Object();
    private final AtomicInteger spareState = new AtomicInteger(SPARE_NEEDED);
    /** Written by the agent before it releases {@link #spareState} as READY; read by the writer after. */
    private Segment spare;
    private final AtomicLong rolls = new AtomicLong();
    private final long truncatedBytes;
    private MessageDigest digest;

    private Segment segment;
    private SegmentIndex index;
    private UnsafeBuffer buffer;
    private int position;
    private int forcedPosition;
    private long lastForceNs = Long.MIN_VALUE;
    private long nextOffset;
    private long lastTimestamp;
    private Exception lastError;
    private boolean sealed;
    private Segment pendingNext;
    private SegmentIndex adoptedIndex;
    /**
     * The roll in progress took the agent's spare: it is handed back ({@link #SPARE_NEEDED}) only once both its
     * files are renamed, since the agent's next spare is written under the same names.
     */
    private boolean spareTaken;
    /** Test seam: run by a roll between taking its next segment and renaming the index (null: nothing). */
    Runnable afterNextSegment;
    private SegmentIndex pendingIndex;
    private String recoveryNote;
    private boolean failed;
    private boolean maintained;
    private boolean closed;

    private JournalWriter(final Path dir, final JournalConfig config, final FileLocks.Held lock,
        final boolean previousOwnerCrashed, final int indexInterval) throws IOException
    {
        this.dir = dir;
        this.config = config;
        this.segmentLength = config.segmentLength();
        this.indexInterval = indexInterval;
        this.durability = config.durability();
        this.lock = lock;
        this.previousOwnerCrashed = previousOwnerCrashed;
        Files.deleteIfExists(dir.resolve(SPARE_SEGMENT_NAME));
        Files.deleteIfExists(dir.resolve(SPARE_SEGMENT_NAME + ".partial"));
        Files.deleteIfExists(dir.resolve(SPARE_INDEX_NAME));
        Files.deleteIfExists(dir.resolve(SPARE_INDEX_NAME + ".partial"));
        try
        {
            this.truncatedBytes = recover();
            synchronized (sealLock)
            {
                Seal.sealPending(dir, digest());
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            // a refused open keeps nothing mapped or open
            CloseHelper.quietCloseAll(index, segment);
            throw ex;
        }
    }

    /**
     * Open a journal for writing with the default configuration and a given segment length.
     *
     * @param dir           of the journal.
     * @param segmentLength of new segments.
     * @return the writer, positioned after the last valid record.
     * @throws JournalException if another writer holds the journal or it cannot be opened.
     */
    public static JournalWriter open(final Path dir, final int segmentLength)
    {
        return open(dir, new JournalConfig().segmentLength(segmentLength));
    }

    /**
     * Open a journal for writing, creating the directory, metadata and first segment if needed.
     *
     * @param dir    of the journal.
     * @param config of the writer.
     * @return the writer, positioned after the last valid record.
     * @throws JournalException if another writer holds the journal or it cannot be opened.
     */
    public static JournalWriter open(final Path dir, final JournalConfig config)
    {
        config.validate();
        FileLocks.Held lock = null;
        try
        {
            OwnerOnly.createDirectories(dir);
            lock = FileLocks.tryAcquire(dir.resolve(LOCK_FILE_NAME));
            if (null == lock)
            {
                throw new JournalException("journal " + dir + " is already open for writing (owner pid " +
                    ownerPid(dir) + "); stop that writer or use another directory");
            }

            final Path mark = dir.resolve(MARK_FILE_NAME);
            final boolean crashed = Files.exists(mark);

            JournalMetadata metadata = JournalMetadata.read(dir);
            if (null == metadata)
            {
                metadata = new JournalMetadata(
                    FORMAT_VERSION, config.segmentLength(), config.indexInterval(), Instant.now());
                metadata.write(dir);
            }

            final JournalWriter writer = new JournalWriter(dir, config, lock, crashed, metadata.indexInterval());
            // the mark goes down only once the writer is open: a refused open leaves no false crash behind
            try
            {
                final String text = "pid=" + ProcessHandle.current().pid() + "\nstarted=" + Instant.now() + "\n";
                final Path markTmp = dir.resolve(MARK_FILE_NAME + ".tmp");
                OwnerOnly.writeString(markTmp, text, StandardCharsets.US_ASCII);
                Files.move(markTmp, mark, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            catch (final IOException | RuntimeException ex)
            {
                writer.close();
                throw ex;
            }
            return writer;
        }
        catch (final IOException ex)
        {
            CloseHelper.quietClose(lock);
            throw new JournalException("cannot open journal " + dir + " for writing: " + ex.getMessage(), ex);
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietClose(lock);
            throw ex;
        }
    }

    /**
     * The pid in a journal's mark file, for messages.
     *
     * @param dir of the journal.
     * @return the pid, or "unknown".
     */
    static String ownerPid(final Path dir)
    {
        try
        {
            for (final String line : Files.readAllLines(dir.resolve(MARK_FILE_NAME), StandardCharsets.US_ASCII))
            {
                if (line.startsWith("pid="))
                {
                    return line.substring(4).trim();
                }
            }
        }
        catch (final IOException ignore)
        {
            // no mark file: the owner is unknown
        }
        return "unknown";
    }

    private MessageDigest digest()
    {
        if (null == digest)
        {
            digest = Seal.sha256();
        }
        return digest;
    }

    private long recover() throws IOException
    {
        final long[] bases = Segment.listBaseOffsets(dir);
        if (bases.length == 0)
        {
            if (Recovery.hasSegmentLeftovers(dir))
            {
                throw new JournalException("journal " + dir + " has seals, indexes or a retention record but no " +
                    "segment: its segments were deleted or moved; restore them, or use a new directory");
            }
            activate(Segment.create(dir, 0, segmentLength), SEGMENT_HEADER_LENGTH, 0);
            segment.pretouch(SEGMENT_HEADER_LENGTH);
            lastTimestamp = Long.MIN_VALUE;
            return 0;
        }

        // nothing is written before the whole structure checks out
        final int newestSealed = Recovery.checkStructure(dir, bases);

        final long base = bases[bases.length - 1];
        final Segment last = Segment.open(dir.resolve(segmentFileName(base)), base, false);
        try
        {
            final Recovery.Tail tail = Recovery.scanTail(last);
            if (tail.damaged())
            {
                throw Recovery.damage(dir, last, tail);
            }
            if (tail.result() == Segment.ROLLED && tail.position() < last.length())
            {
                // the next segment is created before the marker is written: a marker without a successor means
                // the segment after it was deleted
                throw new JournalException("segment " + last.path() + " ends with an end-of-segment marker at " +
                    "position " + tail.position() + " but the segment after it (offset " + tail.offset() + ") is " +
                    "missing: it was deleted or moved; restore it from a copy");
            }

            long lastTs = tail.lastTimestamp();
            if (lastTs == Long.MIN_VALUE && bases.length > 1)
            {
                lastTs = finishRoll(bases[bases.length - 2], base, newestSealed == bases.length - 2);
            }

            long truncated = 0;
            if (tail.result() != Segment.ROLLED && tail.dirtyBytes() > 0)
            {
                truncated = cutTail(last, tail);
            }
            lastTimestamp = lastTs;

            if (tail.result() == Segment.ROLLED)
            {
                // filled exactly to its end: no marker is needed, the next segment is created now
                last.close();
                activate(Segment.create(dir, tail.offset(), segmentLength), SEGMENT_HEADER_LENGTH, tail.offset());
            }
            else
            {
                activate(last, tail.position(), tail.offset());
                last.pretouch(tail.position());
            }
            return truncated;
        }
        catch (final IOException | RuntimeException ex)
        {
            last.close();
            throw ex;
        }
    }

    /**
     * The last segment holds no record: the previous one is full. Its last timestamp comes from its seal, or
     * from a scan. If it ends exactly where the last segment starts without a marker, the previous writer
     * stopped between creating the next segment and writing the marker: the marker is written now.
     */
    private long finishRoll(final long previousBase, final long base, final boolean previousSealed) throws IOException
    {
        if (previousSealed)
        {
            return Seal.read(dir, previousBase).lastTimestamp();
        }
        try (Segment previous = Segment.open(dir.resolve(segmentFileName(previousBase)), previousBase, false))
        {
            int pos = SEGMENT_HEADER_LENGTH;
            long expected = previousBase;
            long ts = Long.MIN_VALUE;
            int result;
            while ((result = previous.scanFrame(pos, expected)) > 0)
            {
                ts = previous.timestampAt(pos);
                pos += result;
                expected++;
            }
            if (result == Segment.EMPTY && expected == base && previous.lastNonZero(pos) < pos)
            {
                previous.buffer().putIntRelease(pos + LENGTH_OFFSET, END_OF_SEGMENT);
                previous.force(pos, FRAME_ALIGNMENT);
                result = Segment.ROLLED;
            }
            if (result != Segment.ROLLED)
            {
                throw new JournalException("damaged record in segment " + previous.path() + " at offset " + expected +
                    " (position " + pos + "): a full segment is never truncated; run 'txmon journal verify' on " +
                    dir);
            }
            return ts;
        }
    }

    /**
     * Cut a torn tail: copy the bytes to {@code <segment>.cut-<position>} beside the journal, then zero them
     * and force the segment.
     */
    private long cutTail(final Segment last, final Recovery.Tail tail) throws IOException
    {
        final long dirty = tail.dirtyBytes();
        final Path copy = Journal.saveCut(last, tail.position(), (int)dirty);
        last.buffer().setMemory(tail.position(), (int)dirty, (byte)0);
        last.force();
        recoveryNote = "cut a torn tail of " + dirty + " bytes at offset " + tail.offset() + " (position " +
            tail.position() + ") of segment " + last.path() + ": it held no valid record; the bytes are kept in " +
            copy;
        return dirty;
    }

    private void activate(final Segment segment, final int position, final long nextOffset) throws IOException
    {
        activate(segment, SegmentIndex.openForWrite(dir, segment, indexInterval), position, nextOffset);
    }

    private void activate(final Segment segment, final SegmentIndex index, final int position, final long nextOffset)
    {
        this.segment = segment;
        this.index = index;
        this.sealed = false;
        this.buffer = segment.buffer();
        this.position = position;
        this.forcedPosition = position;
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
     * {@link #TIMESTAMP_REGRESSION}, {@link #ROLL_FAILED}, {@link #CLOSED}, {@link #FORCE_FAILED}.
     */
    public long append(
        final DirectBuffer src, final int srcOffset, final int length, final int templateId, final long timestamp)
    {
        if (closed)
        {
            return CLOSED;
        }
        if (failed)
        {
            return FORCE_FAILED;
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
            return failed ? FORCE_FAILED : ROLL_FAILED;
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
        index.onAppend(offset, timestamp, position);

        this.position = position + alignedLength;
        this.nextOffset = offset + 1;
        this.lastTimestamp = timestamp;

        return offset;
    }

    private boolean roll()
    {
        // The next segment exists before the end marker is written: a crash between the two is finished by
        // recovery (the previous segment's records end exactly at the new segment's base: the marker is written
        // then), and a marker with no segment after it is damage, never a roll to finish.
        if (!sealed)
        {
            final Segment next;
            try
            {
                next = nextSegment();
            }
            catch (final IOException | RuntimeException ex)
            {
                releaseSpare();
                lastError = rollError("segment " + dir.resolve(segmentFileName(nextOffset)), ex);
                return false;
            }
            if (null != afterNextSegment)
            {
                afterNextSegment.run();
            }
            final SegmentIndex nextIndex;
            final SegmentIndex prepared = adoptedIndex;
            adoptedIndex = null;
            try
            {
                nextIndex = null != prepared ? prepared.adoptAs(dir, nextOffset) :
                    SegmentIndex.openForWrite(dir, next, indexInterval);
            }
            catch (final IOException | RuntimeException ex)
            {
                // nothing is in it yet: removed, so the retry starts from the same state
                final Path created = next.path();
                CloseHelper.quietClose(prepared);
                next.close();
                try
                {
                    Files.deleteIfExists(created);
                    Files.deleteIfExists(dir.resolve(indexFileName(nextOffset)));
                }
                catch (final IOException ignore)
                {
                    // an empty segment left behind is finished by the next recovery like a crash mid-roll
                }
                releaseSpare();
                lastError = rollError("index " + dir.resolve(indexFileName(nextOffset)), ex);
                return false;
            }
            releaseSpare();
            if (position <= segment.length() - FRAME_ALIGNMENT)
            {
                buffer.putIntRelease(position + LENGTH_OFFSET, END_OF_SEGMENT);
            }
            sealed = true;
            pendingNext = next;
            pendingIndex = nextIndex;
        }
        if (durability != Durability.OS && !forceRange(forcedPosition, segment.length() - forcedPosition))
        {
            return false;
        }

        final Segment previous = segment;
        final SegmentIndex previousIndex = index;
        activate(pendingNext, pendingIndex, SEGMENT_HEADER_LENGTH, nextOffset);
        pendingNext = null;
        pendingIndex = null;
        CloseHelper.closeAll(previousIndex, previous);
        rolls.incrementAndGet();
        if (!maintained)
        {
            sealPending();
        }
        return true;
    }

    private JournalException rollError(final String what, final Exception cause)
    {
        return new JournalException("roll to a new segment at offset " + nextOffset + " failed creating " + what +
            ": " + cause + "; nothing was lost and the next append tries again (free space on the journal's " +
            "file system if it is full: " + segmentLength + " bytes and its index are needed)", cause);
    }

    private Segment nextSegment() throws IOException
    {
        if (spareState.get() == SPARE_READY)
        {
            // the agent prepares a new spare only once this one is consumed: it never touches the file mid-roll
            final Segment prepared = spare;
            spare = null;
            try
            {
                if (prepared.length() == segmentLength)
                {
                    final SegmentIndex preparedIndex = prepared.takePreparedIndex();
                    try
                    {
                        final Segment adopted = prepared.adoptAs(dir, nextOffset, durability != Durability.OS);
                        adoptedIndex = preparedIndex;
                        return adopted;
                    }
                    catch (final IOException | RuntimeException ex)
                    {
                        CloseHelper.quietClose(preparedIndex);
                        throw ex;
                    }
                }
                prepared.close();
                Files.deleteIfExists(dir.resolve(SPARE_SEGMENT_NAME));
                Files.deleteIfExists(dir.resolve(SPARE_INDEX_NAME));
            }
            finally
            {
                // not SPARE_NEEDED yet: the prepared index is still to be renamed by the roll (releaseSpare)
                spareTaken = true;
            }
        }
        return Segment.create(dir, nextOffset, segmentLength, durability != Durability.OS);
    }

    /**
     * Tell the agent it may prepare the next spare, once the roll has renamed (or given up) both files of the one
     * it took: the agent writes the next under the same names, so handing it back between the segment's rename
     * and the index's let it replace the index file the roll was about to rename.
     */
    private void releaseSpare()
    {
        if (spareTaken)
        {
            spareTaken = false;
            spareState.set(SPARE_NEEDED);
        }
    }

    /**
     * Agent side: hand over a prepared spare.
     */
    void offerSpare(final Segment prepared)
    {
        spare = prepared;
        spareState.set(SPARE_READY);
    }

    /**
     * {@link Durability#SYNC}: force what was appended since the last commit. Call before releasing it.
     * In other modes it forces too, for owners that want a flush point.
     *
     * @return true if everything appended is on the device; false if the force failed (the writer has
     * stopped, see {@link #lastError()}).
     */
    public boolean commit()
    {
        if (failed)
        {
            return false;
        }
        if (closed || position == forcedPosition)
        {
            return true;
        }
        return forceRange(forcedPosition, position - forcedPosition);
    }

    /**
     * {@link Durability#INTERVAL}: force if the interval has passed since the last force and something
     * was appended. Call from the owner's duty cycle; does nothing in the other modes.
     *
     * @param nowNs monotonic time.
     * @return 1 if it forced, else 0.
     */
    public int flushIfDue(final long nowNs)
    {
        // nanoTime may be negative: Long.MIN_VALUE means never forced, so the first call with data forces
        if (durability != Durability.INTERVAL || failed || closed || position == forcedPosition ||
            (lastForceNs != Long.MIN_VALUE && nowNs - lastForceNs < config.forceIntervalNs()))
        {
            return 0;
        }
        lastForceNs = nowNs;
        return forceRange(forcedPosition, position - forcedPosition) ? 1 : 0;
    }

    private boolean forceRange(final int from, final int length)
    {
        try
        {
            if (length > 0)
            {
                config.forcer.force(segment, from, length);
            }
            forcedPosition = from + length;
            return true;
        }
        catch (final RuntimeException ex)
        {
            failed = true;
            lastError = new JournalException("force failed on segment " + segment.path() + " at position " + from +
                " (" + length + " bytes): " + ex.getMessage() + "; the writer has stopped, nothing more is accepted", ex);
            return false;
        }
    }

    /**
     * Flush the active segment to the storage device.
     *
     * @return as {@link #commit()}.
     */
    public boolean force()
    {
        return commit();
    }

    void sealPending()
    {
        synchronized (sealLock)
        {
            try
            {
                Seal.sealPending(dir, digest());
            }
            catch (final IOException | RuntimeException ex)
            {
                lastError = ex;
            }
        }
    }

    /**
     * Create the agent that keeps slow work off this writer's thread: preparing the next segment, sealing
     * full ones, and retention. Run it on another thread; close it before this writer.
     *
     * @param retention policy, or {@link RetentionPolicy#KEEP_ALL}.
     * @param epochClock for retention ages, epoch nanoseconds.
     * @return the agent.
     */
    public JournalMaintenanceAgent newMaintenanceAgent(
        final RetentionPolicy retention, final org.agrona.concurrent.EpochNanoClock epochClock)
    {
        maintained = true;
        return new JournalMaintenanceAgent(this, retention, epochClock);
    }

    Object sealLock()
    {
        return sealLock;
    }

    AtomicInteger spareState()
    {
        return spareState;
    }

    /**
     * @return segments rolled since this writer opened.
     */
    public long rolls()
    {
        return rolls.get();
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
     * @return true if the previous writer left its mark file behind: it did not close cleanly.
     */
    public boolean previousOwnerCrashed()
    {
        return previousOwnerCrashed;
    }

    /**
     * @return true once a force has failed: the writer accepts nothing more.
     */
    public boolean isFailed()
    {
        return failed;
    }

    /**
     * @return the failure behind the last {@link #ROLL_FAILED} or {@link #FORCE_FAILED}, or null.
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
     * @return the durability mode.
     */
    public Durability durability()
    {
        return durability;
    }

    /**
     * @return records between index entries.
     */
    public int indexInterval()
    {
        return indexInterval;
    }

    /**
     * @return length of new segments: the room the next roll needs on the file system (plus its index).
     */
    public int segmentLength()
    {
        return segmentLength;
    }

    /**
     * The usable space left on the journal's file system, for a low-space warning before the next roll
     * fails. Not for the append path: it asks the operating system.
     *
     * @return usable bytes, or -1 if the file system cannot tell.
     */
    public long usableSpace()
    {
        try
        {
            return Files.getFileStore(dir).getUsableSpace();
        }
        catch (final IOException | RuntimeException ex)
        {
            return -1;
        }
    }

    /**
     * @return what recovery did on open that an operator should know (a torn tail cut, where its bytes were
     * kept), or null if it found a clean journal.
     */
    public String recoveryNote()
    {
        return recoveryNote;
    }

    /**
     * Force (unless {@code OS} mode or failed), seal full segments if no maintenance agent did, remove the
     * spare and the mark file, release the mapping and the lock. Safe to call more than once. Close the
     * maintenance agent first.
     */
    public void close()
    {
        if (!closed)
        {
            if (durability != Durability.OS && !failed)
            {
                commit();
            }
            closed = true;
            sealPending();
            if (spareState.get() == SPARE_READY)
            {
                CloseHelper.quietClose(spare);
                spare = null;
            }
            CloseHelper.closeAll(index, segment, pendingIndex, pendingNext);
            try
            {
                Files.deleteIfExists(dir.resolve(SPARE_SEGMENT_NAME));
                Files.deleteIfExists(dir.resolve(SPARE_SEGMENT_NAME + ".partial"));
                Files.deleteIfExists(dir.resolve(SPARE_INDEX_NAME));
                Files.deleteIfExists(dir.resolve(SPARE_INDEX_NAME + ".partial"));
                Files.deleteIfExists(dir.resolve(MARK_FILE_NAME));
            }
            catch (final IOException ignore)
            {
                // the next writer treats a leftover mark as an unclean close; nothing is lost
            }
            CloseHelper.close(lock);
        }
    }
}
