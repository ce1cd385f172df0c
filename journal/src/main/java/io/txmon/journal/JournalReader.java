package io.txmon.journal;

import org.agrona.CloseHelper;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static io.txmon.journal.JournalDescriptor.*;

/**
 * Reads a journal in offset order, from any offset, and follows it while another thread or process
 * appends: a record becomes visible once its length has been released by the writer.
 * <p>
 * Every record is checked against its CRC and its expected offset before it is delivered; a record
 * that fails is never returned, and {@link #poll} throws a {@link JournalException} naming the
 * segment and offset.
 * <p>
 * Not thread safe: one thread per reader.
 */
public final class JournalReader implements AutoCloseable
{
    private final Path dir;
    private Segment segment;
    private int position;
    private long nextOffset;
    private boolean closed;

    private JournalReader(final Path dir)
    {
        this.dir = dir;
    }

    /**
     * Open a reader positioned at the first record of the journal.
     *
     * @param dir of the journal.
     * @return the reader.
     * @throws JournalException if the directory holds no journal.
     */
    public static JournalReader open(final Path dir)
    {
        if (!Files.isDirectory(dir))
        {
            throw new JournalException("journal directory " + dir + " does not exist");
        }
        final JournalReader reader = new JournalReader(dir);
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
        segment = null;
        segment = Segment.open(dir.resolve(segmentFileName(baseOffset)), baseOffset, true);
        position = SEGMENT_HEADER_LENGTH;
        nextOffset = baseOffset;
    }

    /**
     * Position the reader so the next record delivered is the one at {@code offset}.
     *
     * @param offset to read next.
     * @return true if positioned; false if the journal does not hold that offset yet.
     * @throws JournalException if a damaged record lies between the start of the offset's segment and the offset.
     */
    public boolean seek(final long offset)
    {
        try
        {
            final long[] bases = Segment.listBaseOffsets(dir);
            int index = -1;
            for (int i = 0; i < bases.length && bases[i] <= offset; i++)
            {
                index = i;
            }
            if (index < 0)
            {
                return false;
            }
            if (segment.baseOffset() != bases[index] || nextOffset > offset)
            {
                openSegment(bases[index]);
            }
        }
        catch (final IOException ex)
        {
            throw new JournalException("cannot seek journal " + dir + " to offset " + offset + ": " + ex.getMessage(), ex);
        }

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

        return true;
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
