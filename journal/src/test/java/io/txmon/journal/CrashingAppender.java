package io.txmon.journal;

import org.agrona.concurrent.UnsafeBuffer;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Run in a separate JVM by {@link JournalCrashTest}: opens a writer on a journal directory and appends, as fast
 * as it can and until it is killed, records whose content is a function of their offset, printing each
 * appended offset on its own line of stdout, flushed, only once {@code append} has returned it.
 * <p>
 * Arguments: the journal directory and the segment length.
 */
public final class CrashingAppender
{
    static final int MAX_PAYLOAD = 300;
    /** Exit status when append returned something other than the expected offset. */
    static final int APPEND_FAILED = 3;
    /** Exit status when stdout is gone: the parent died; stop rather than fill the disk. */
    static final int PARENT_GONE = 4;
    /** Never reached in a test (the parent kills long before); a bound on the disk used if it misbehaves. */
    static final long MAX_RECORDS = 5_000_000;

    private CrashingAppender()
    {
    }

    static int payloadLength(final long offset)
    {
        return (int)(offset % MAX_PAYLOAD);
    }

    static byte payloadByte(final long offset, final int i)
    {
        // never all zero: a payload of zeros would hide a frame whose payload was never written
        return (byte)(offset * 31 + i * 7 + (offset >>> 8) + 1);
    }

    static int templateId(final long offset)
    {
        return (int)((offset * 0x9E3779B97F4A7C15L) >>> 40);
    }

    /** Non-decreasing: runs of three equal values, and a jump every 1000 records. */
    static long timestamp(final long offset)
    {
        return 1_700_000_000_000_000_000L + (offset / 3) * 10 + (offset / 1000) * 1_000_000;
    }

    static void fill(final UnsafeBuffer buffer, final long offset)
    {
        final int length = payloadLength(offset);
        for (int i = 0; i < length; i++)
        {
            buffer.putByte(i, payloadByte(offset, i));
        }
    }

    public static void main(final String[] args)
    {
        final Path dir = Path.of(args[0]);
        final int segmentLength = Integer.parseInt(args[1]);
        final PrintStream out = new PrintStream(
            new FileOutputStream(FileDescriptor.out), true, StandardCharsets.US_ASCII);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[MAX_PAYLOAD]);
        try (JournalWriter writer = JournalWriter.open(dir, segmentLength))
        {
            long next = writer.nextOffset();
            while (next < MAX_RECORDS)
            {
                fill(buffer, next);
                final long result = writer.append(buffer, 0, payloadLength(next), templateId(next), timestamp(next));
                if (result != next)
                {
                    System.err.println("append of offset " + next + " returned " + result + ": " + writer.lastError());
                    System.exit(APPEND_FAILED);
                }
                out.println(result); // autoflush: one write per line
                if (out.checkError())
                {
                    System.exit(PARENT_GONE);
                }
                next++;
            }
        }
    }
}
