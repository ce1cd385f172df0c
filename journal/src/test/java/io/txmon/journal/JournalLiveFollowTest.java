package io.txmon.journal;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static io.txmon.journal.JournalTestSupport.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class JournalLiveFollowTest
{
    private static final int RECORDS = 100_000;
    private static final long BASE_TIMESTAMP = 1_700_000_000_000_000_000L;
    private static final long DEADLINE_NS = TimeUnit.SECONDS.toNanos(15);

    @TempDir
    Path dir;

    @Test
    void shouldFollowALiveWriterOnAnotherThread() throws Exception
    {
        final AtomicReference<Throwable> writerFailure = new AtomicReference<>();
        final AtomicLong written = new AtomicLong();
        final JournalWriter writer = JournalWriter.open(dir, SEGMENT_LENGTH);
        final Thread writerThread = new Thread(() -> writeAll(writer, written, writerFailure), "journal-writer");
        try (JournalReader reader = JournalReader.open(dir))
        {
            writerThread.start();

            final long deadline = System.nanoTime() + DEADLINE_NS;
            final long[] expectedOffset = { 0 };
            final RecordHandler handler = (offset, timestamp, templateId, buffer, payloadOffset, payloadLength) ->
            {
                final long expected = expectedOffset[0];
                assertEquals(expected, offset);
                assertEquals(BASE_TIMESTAMP + expected / 3, timestamp);
                assertEquals(templateOf(expected), templateId);
                assertEquals(payloadLengthOf(expected), payloadLength);
                assertPayload(expected, buffer, payloadOffset, payloadLength);
                expectedOffset[0] = expected + 1;
            };

            while (expectedOffset[0] < RECORDS)
            {
                if (reader.poll(handler, 1000) == 0)
                {
                    if (System.nanoTime() > deadline)
                    {
                        fail("reader saw " + expectedOffset[0] + " of " + RECORDS + " records, writer wrote " +
                            written.get() + ", failure " + writerFailure.get());
                    }
                    if (writerFailure.get() != null)
                    {
                        fail("writer failed", writerFailure.get());
                    }
                    Thread.onSpinWait();
                }
            }

            writerThread.join(TimeUnit.NANOSECONDS.toMillis(Math.max(1, deadline - System.nanoTime())));
            assertFalse(writerThread.isAlive(), "writer thread did not finish");
            assertNull(writerFailure.get());
            assertEquals(0, reader.poll(handler, 1000), "no record beyond the last written");
            assertEquals(RECORDS, reader.nextOffset());
            assertTrue(segmentFiles(dir).size() > 10, "the reader should have crossed many segments");
        }
        finally
        {
            writerThread.join(TimeUnit.SECONDS.toMillis(5));
            if (!writerThread.isAlive())
            {
                writer.close();
            }
        }
    }

    private static void writeAll(
        final JournalWriter writer, final AtomicLong written, final AtomicReference<Throwable> failure)
    {
        try
        {
            final UnsafeBuffer src = new UnsafeBuffer(new byte[64]);
            for (long i = 0; i < RECORDS; i++)
            {
                final int length = payloadLengthOf(i);
                fillPayload(i, src, length);
                final long result = writer.append(src, 0, length, templateOf(i), BASE_TIMESTAMP + i / 3);
                if (result != i)
                {
                    throw new IllegalStateException("append of " + i + " returned " + result, writer.lastError());
                }
                written.lazySet(i + 1);
            }
        }
        catch (final Throwable ex)
        {
            failure.set(ex);
        }
    }

    private static int templateOf(final long offset)
    {
        return (int)(offset % 13);
    }

    private static int payloadLengthOf(final long offset)
    {
        return (int)(offset % 25); // 0 to 24 bytes
    }

    private static void fillPayload(final long offset, final UnsafeBuffer dst, final int length)
    {
        for (int i = 0; i < length; i++)
        {
            dst.putByte(i, payloadByte(offset, i));
        }
    }

    private static byte payloadByte(final long offset, final int index)
    {
        return (byte)(offset * 31 + index * 7 + (offset >>> 8));
    }

    private static void assertPayload(
        final long offset, final DirectBuffer buffer, final int payloadOffset, final int payloadLength)
    {
        for (int i = 0; i < payloadLength; i++)
        {
            if (buffer.getByte(payloadOffset + i) != payloadByte(offset, i))
            {
                fail("payload byte " + i + " of offset " + offset);
            }
        }
    }
}
