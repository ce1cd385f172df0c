package io.txmon.monitor;

import io.txmon.events.EventEnvelope;
import io.txmon.events.RejectReason;
import io.txmon.events.codec.MessageHeaderDecoder;
import io.txmon.journal.JournalWriter;
import io.txmon.sequencer.RejectListener;
import io.txmon.journal.OwnerOnly;
import org.agrona.BitUtil;
import org.agrona.DirectBuffer;
import org.agrona.ErrorHandler;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A bounded, rotating text log of the messages the sequencer refused, one line each:
 * <pre>
 * 2026-11-25T08:00:00.123Z reason=INVALID_AMOUNT template=1 producerId=7 producerSeq=42 length=96
 * </pre>
 * Two halves on two threads:
 * <ul>
 *   <li>{@link RejectListener} on the sequencer thread: {@link #onReject} copies only ids (reason, template id,
 *   producer id and sequence when the message is long enough and names the txmon schema, its length, a
 *   wall-clock time) into a pre-allocated single-producer ring buffer. No I/O, no allocation, never a payload
 *   byte. When the queue is full the line is dropped and counted ({@link #droppedCount()}), so a flood of
 *   bad input never slows the sequencer.</li>
 *   <li>{@link Agent} on a thread of its own with a sleeping idle strategy: {@link #doWork()} drains the
 *   queue and appends lines to the file, writes a line saying how many were dropped, and rotates the file
 *   before a line would take it past the size limit: {@code FILE} becomes {@code FILE.1}, {@code FILE.1}
 *   becomes {@code FILE.2} and so on, keeping {@code files} files in all, each at most {@code maxBytes}.
 *   {@link #onClose()} drains what is still queued, flushes and closes the file.</li>
 * </ul>
 * A journal failure ({@link #onJournalFailure}) is logged the same way, with the journal's status and the
 * cause's class and message (the cause is handed over by reference, kept in one of a few pre-allocated slots).
 */
public final class RejectLog implements RejectListener, Agent
{
    /** Default largest size of one file: 10 MiB. */
    public static final long DEFAULT_MAX_BYTES = 10L * 1024 * 1024;
    /** Default number of files kept, the one being written included. */
    public static final int DEFAULT_FILES = 5;
    /** Default queue capacity in bytes: about 5,000 lines in flight. */
    public static final int DEFAULT_QUEUE_CAPACITY = 256 * 1024;
    /** Smallest file size limit accepted: a few lines. */
    public static final long MIN_MAX_BYTES = 1024;

    private static final int REJECT_MSG_TYPE_ID = 1;
    private static final int JOURNAL_FAILURE_MSG_TYPE_ID = 2;

    private static final int TIME_OFFSET = 0;
    private static final int PRODUCER_ID_OFFSET = 8;
    private static final int PRODUCER_SEQ_OFFSET = 16;
    private static final int REASON_OFFSET = 24;
    private static final int TEMPLATE_ID_OFFSET = 28;
    private static final int LENGTH_OFFSET = 32;
    private static final int FLAGS_OFFSET = 36;
    private static final int ENTRY_LENGTH = 40;
    private static final int STATUS_OFFSET = 8;
    private static final int CAUSE_INDEX_OFFSET = 16;
    private static final int CAUSE_SLOTS = 16;

    private static final int HAS_TEMPLATE = 1;
    private static final int HAS_PRODUCER = 2;

    private static final int HEADER_LENGTH = MessageHeaderDecoder.ENCODED_LENGTH;
    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;
    private static final int DRAIN_LIMIT = 1024;
    private static final DateTimeFormatter TIME_FORMAT =
        DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final Path file;
    private final long maxBytes;
    private final int files;
    private final OneToOneRingBuffer queue;
    private final EpochClock clock;
    private final ErrorHandler errorHandler;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong rotations = new AtomicLong();
    private final AtomicLong lost = new AtomicLong();
    private final StringBuilder line = new StringBuilder(160);
    private final MessageHandler drainer = this::onQueued;
    // causes of journal failures, by failure count modulo the slots: written before the entry is committed
    private final Exception[] journalFailureCauses = new Exception[CAUSE_SLOTS];
    private long journalFailures;
    private long droppedReported;
    private OutputStream out;
    private long fileBytes;
    private boolean closed;

    /**
     * A log with the default queue, the system clock and errors thrown back from {@link #doWork()}.
     *
     * @param file     to write; its directory is created if missing.
     * @param maxBytes largest size of one file, at least {@value #MIN_MAX_BYTES}.
     * @param files    kept in all, the one being written included, at least 1.
     */
    public RejectLog(final Path file, final long maxBytes, final int files)
    {
        this(file, maxBytes, files, DEFAULT_QUEUE_CAPACITY, SystemEpochClock.INSTANCE, null);
    }

    /**
     * @param file          to write; its directory is created if missing.
     * @param maxBytes      largest size of one file, at least {@value #MIN_MAX_BYTES}.
     * @param files         kept in all, the one being written included, at least 1.
     * @param queueCapacity in bytes, a power of two; each queued line takes 48.
     * @param clock         of the wall-clock time on each line.
     * @param errorHandler  told of write failures, after which lines are counted as lost and the file is
     *                      reopened for the next one; null to throw them from {@link #doWork()}.
     * @throws UncheckedIOException if the file cannot be opened for appending.
     */
    public RejectLog(
        final Path file,
        final long maxBytes,
        final int files,
        final int queueCapacity,
        final EpochClock clock,
        final ErrorHandler errorHandler)
    {
        if (maxBytes < MIN_MAX_BYTES)
        {
            throw new IllegalArgumentException("reject log files must be allowed at least " + MIN_MAX_BYTES +
                " bytes, not " + maxBytes);
        }
        if (files < 1)
        {
            throw new IllegalArgumentException("the reject log keeps at least 1 file, not " + files);
        }
        this.file = file.toAbsolutePath();
        this.maxBytes = maxBytes;
        this.files = files;
        this.clock = clock;
        this.errorHandler = errorHandler;
        this.queue = new OneToOneRingBuffer(new UnsafeBuffer(
            ByteBuffer.allocateDirect(queueCapacity + RingBufferDescriptor.TRAILER_LENGTH)));
        try
        {
            open();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot open the reject log " + this.file + ": " + ex, ex);
        }
    }

    /**
     * Queue a line for a refused message. Sequencer thread only; no I/O, no allocation. Reads at most the
     * message header and the first 16 bytes of its block, each read bounds-checked against both the message
     * and the buffer.
     */
    public void onReject(final RejectReason reason, final DirectBuffer buffer, final int offset, final int length)
    {
        final int index = queue.tryClaim(REJECT_MSG_TYPE_ID, ENTRY_LENGTH);
        if (index < 0)
        {
            dropped.incrementAndGet();
            return;
        }

        final MutableDirectBuffer entry = queue.buffer();
        int flags = 0;
        int templateId = 0;
        long producerId = 0;
        long producerSeq = 0;
        final boolean inBuffer = null != buffer && offset >= 0 && length >= 0 && offset <= buffer.capacity() - length;
        if (inBuffer && length >= HEADER_LENGTH)
        {
            templateId = buffer.getShort(offset + MessageHeaderDecoder.templateIdEncodingOffset(), ORDER) & 0xFFFF;
            final int schemaId = buffer.getShort(offset + MessageHeaderDecoder.schemaIdEncodingOffset(), ORDER) & 0xFFFF;
            if (schemaId == MessageHeaderDecoder.SCHEMA_ID)
            {
                flags |= HAS_TEMPLATE;
                if (length >= EventEnvelope.PRODUCER_SEQ_OFFSET + BitUtil.SIZE_OF_LONG)
                {
                    producerId = EventEnvelope.producerId(buffer, offset);
                    producerSeq = EventEnvelope.producerSeq(buffer, offset);
                    flags |= HAS_PRODUCER;
                }
            }
        }

        entry.putLong(index + TIME_OFFSET, clock.time());
        entry.putLong(index + PRODUCER_ID_OFFSET, producerId);
        entry.putLong(index + PRODUCER_SEQ_OFFSET, producerSeq);
        entry.putInt(index + REASON_OFFSET, reason.code());
        entry.putInt(index + TEMPLATE_ID_OFFSET, templateId);
        entry.putInt(index + LENGTH_OFFSET, length);
        entry.putInt(index + FLAGS_OFFSET, flags);
        queue.commit(index);
    }

    /**
     * Queue a line for an append the journal refused. Sequencer thread only; no I/O, no allocation.
     */
    public void onJournalFailure(final long status, final Exception cause)
    {
        final int index = queue.tryClaim(JOURNAL_FAILURE_MSG_TYPE_ID, ENTRY_LENGTH);
        if (index < 0)
        {
            dropped.incrementAndGet();
            return;
        }
        final int causeIndex = (int)(journalFailures++ & (CAUSE_SLOTS - 1));
        journalFailureCauses[causeIndex] = cause;
        final MutableDirectBuffer entry = queue.buffer();
        entry.putLong(index + TIME_OFFSET, clock.time());
        entry.putLong(index + STATUS_OFFSET, status);
        entry.putInt(index + CAUSE_INDEX_OFFSET, causeIndex);
        queue.commit(index);
    }

    public String roleName()
    {
        return "txmon-reject-log";
    }

    /**
     * Write what is queued, then flush.
     *
     * @return lines written.
     */
    public int doWork()
    {
        final int work = queue.read(drainer, DRAIN_LIMIT) + reportDropped();
        if (work > 0)
        {
            flush();
        }
        return work;
    }

    /**
     * Write everything still queued, flush and close the file. Safe to call more than once.
     */
    public void onClose()
    {
        if (closed)
        {
            return;
        }
        while (queue.read(drainer, DRAIN_LIMIT) > 0)
        {
            // drain to the end: the sequencer has stopped
        }
        reportDropped();
        flush();
        closed = true;
        closeFile();
    }

    /**
     * @return lines dropped because the queue was full; the sequencer never waits for the log.
     */
    public long droppedCount()
    {
        return dropped.get();
    }

    /**
     * @return lines written to the file, drop reports included.
     */
    public long writtenCount()
    {
        return written.get();
    }

    /**
     * @return lines lost because the file could not be written.
     */
    public long lostCount()
    {
        return lost.get();
    }

    /**
     * @return times the file was rotated.
     */
    public long rotationCount()
    {
        return rotations.get();
    }

    /**
     * @return the file being written.
     */
    public Path file()
    {
        return file;
    }

    /**
     * @param index 1 for the most recent rotated file.
     * @return the path of a rotated file: {@code FILE.index}.
     */
    public Path rotated(final int index)
    {
        return file.resolveSibling(file.getFileName() + "." + index);
    }

    private void onQueued(final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length)
    {
        line.setLength(0);
        TIME_FORMAT.formatTo(Instant.ofEpochMilli(buffer.getLong(index + TIME_OFFSET)), line);
        if (msgTypeId == JOURNAL_FAILURE_MSG_TYPE_ID)
        {
            final long status = buffer.getLong(index + STATUS_OFFSET);
            line.append(" journal-failure status=").append(journalStatus(status));
            final Exception cause = journalFailureCauses[buffer.getInt(index + CAUSE_INDEX_OFFSET)];
            if (null != cause)
            {
                line.append(" cause=").append(oneLine(cause.toString()));
            }
        }
        else
        {
            final RejectReason reason = RejectReason.fromCode(buffer.getInt(index + REASON_OFFSET));
            final int flags = buffer.getInt(index + FLAGS_OFFSET);
            line.append(" reason=").append(null == reason ? "UNKNOWN" : reason.name());
            if ((flags & HAS_TEMPLATE) != 0)
            {
                line.append(" template=").append(buffer.getInt(index + TEMPLATE_ID_OFFSET));
            }
            if ((flags & HAS_PRODUCER) != 0)
            {
                line.append(" producerId=").append(buffer.getLong(index + PRODUCER_ID_OFFSET))
                    .append(" producerSeq=").append(buffer.getLong(index + PRODUCER_SEQ_OFFSET));
            }
            line.append(" length=").append(buffer.getInt(index + LENGTH_OFFSET));
        }
        writeLine();
    }

    private int reportDropped()
    {
        final long droppedNow = dropped.get();
        if (droppedNow == droppedReported)
        {
            return 0;
        }
        line.setLength(0);
        TIME_FORMAT.formatTo(Instant.ofEpochMilli(clock.time()), line);
        line.append(" dropped=").append(droppedNow - droppedReported)
            .append(" (the reject log queue was full; ").append(droppedNow).append(" dropped in all)");
        droppedReported = droppedNow;
        writeLine();
        return 1;
    }

    private void writeLine()
    {
        line.append('\n');
        final byte[] bytes = line.toString().getBytes(StandardCharsets.UTF_8);
        try
        {
            if (null == out)
            {
                open();
            }
            if (fileBytes > 0 && fileBytes + bytes.length > maxBytes)
            {
                rotate();
            }
            out.write(bytes);
            fileBytes += bytes.length;
            written.incrementAndGet();
        }
        catch (final IOException ex)
        {
            lost.incrementAndGet();
            closeFile();
            onError(new UncheckedIOException("reject log " + file + ": " + ex, ex));
        }
    }

    private void flush()
    {
        if (null != out)
        {
            try
            {
                out.flush();
            }
            catch (final IOException ex)
            {
                closeFile();
                onError(new UncheckedIOException("reject log " + file + ": " + ex, ex));
            }
        }
    }

    private void open() throws IOException
    {
        final Path parent = file.getParent();
        if (null != parent)
        {
            // directories created for the log are the owner's only; one that existed is left as it is
            OwnerOnly.createDirectories(parent);
        }
        if (!Files.exists(file))
        {
            Files.createFile(file);
        }
        // owner-only whatever the umask, before a byte is written: it names producers and sequences
        OwnerOnly.restrict(file);
        out = new BufferedOutputStream(Files.newOutputStream(
            file, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE), 64 * 1024);
        fileBytes = Files.size(file);
    }

    private void rotate() throws IOException
    {
        out.flush();
        closeFile();
        for (int i = files - 1; i >= 1; i--)
        {
            final Path source = i == 1 ? file : rotated(i - 1);
            if (Files.exists(source))
            {
                Files.move(source, rotated(i), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.deleteIfExists(file);
        rotations.incrementAndGet();
        open();
    }

    private void closeFile()
    {
        final OutputStream stream = out;
        out = null;
        if (null != stream)
        {
            try
            {
                stream.close();
            }
            catch (final IOException ex)
            {
                onError(new UncheckedIOException("reject log " + file + ": " + ex, ex));
            }
        }
    }

    private void onError(final RuntimeException ex)
    {
        if (null == errorHandler)
        {
            throw ex;
        }
        errorHandler.onError(ex);
    }

    private static String journalStatus(final long status)
    {
        final String name;
        if (status == JournalWriter.RECORD_TOO_LARGE)
        {
            name = "RECORD_TOO_LARGE";
        }
        else if (status == JournalWriter.TIMESTAMP_REGRESSION)
        {
            name = "TIMESTAMP_REGRESSION";
        }
        else if (status == JournalWriter.ROLL_FAILED)
        {
            name = "ROLL_FAILED";
        }
        else if (status == JournalWriter.CLOSED)
        {
            name = "CLOSED";
        }
        else if (status == JournalWriter.FORCE_FAILED)
        {
            name = "FORCE_FAILED";
        }
        else
        {
            return Long.toString(status);
        }
        return name + "(" + status + ")";
    }

    private static String oneLine(final String text)
    {
        return text.replace('\n', ' ').replace('\r', ' ');
    }
}
