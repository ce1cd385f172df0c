package io.txmon.journal;

import org.agrona.DirectBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static io.txmon.journal.JournalDescriptor.segmentFileName;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A reader in this JVM follows a journal that another process is appending to, across segment rolls:
 * it sees every record, in order and intact, as soon as the writer releases it, and catches up with the
 * writer while it is still running.
 */
class JournalCrossProcessFollowTest
{
    private static final int SEGMENT_LENGTH = 256 * 1024;
    private static final long RECORDS_TO_FOLLOW = 60_000;
    private static final long DEADLINE_NS = TimeUnit.SECONDS.toNanos(60);

    @TempDir
    Path root;

    @Test
    void followsAJournalWrittenByAnotherProcess() throws Exception
    {
        final Path dir = root.resolve("journal");
        final Process writer = new ProcessBuilder(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
            "-XX:TieredStopAtLevel=1",
            "-Xmx128m",
            "-cp", System.getProperty("java.class.path"),
            CrashingAppender.class.getName(),
            dir.toString(),
            Integer.toString(SEGMENT_LENGTH)))
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(root.resolve("writer.err").toFile())
            .start();
        try
        {
            final long deadline = System.nanoTime() + DEADLINE_NS;
            while (!Files.exists(dir.resolve(segmentFileName(0))))
            {
                if (System.nanoTime() - deadline > 0 || !writer.isAlive())
                {
                    fail("the writer process created no segment: " + Files.readString(root.resolve("writer.err")));
                }
                Thread.onSpinWait();
            }

            final long[] expected = {0};
            final RecordHandler check = (offset, timestamp, templateId, buffer, payloadOffset, payloadLength) ->
            {
                assertEquals(expected[0], offset, "records in order, none skipped");
                assertEquals(CrashingAppender.timestamp(offset), timestamp);
                assertEquals(CrashingAppender.templateId(offset), templateId);
                assertEquals(CrashingAppender.payloadLength(offset), payloadLength);
                assertPayload(offset, buffer, payloadOffset, payloadLength);
                expected[0]++;
            };

            int caughtUp = 0;
            try (JournalReader reader = JournalReader.open(dir))
            {
                while (expected[0] < RECORDS_TO_FOLLOW)
                {
                    if (System.nanoTime() - deadline > 0)
                    {
                        fail("followed only " + expected[0] + " records before the deadline");
                    }
                    if (reader.poll(check, 256) == 0)
                    {
                        assertTrue(writer.isAlive(), "the writer died: " + Files.readString(root.resolve("writer.err")));
                        caughtUp++;
                        Thread.onSpinWait();
                    }
                }
            }

            assertTrue(caughtUp > 0, "the reader never reached the writer's end while it was appending");
            try (Stream<Path> files = Files.list(dir))
            {
                assertTrue(files.filter((p) -> p.toString().endsWith(".log")).count() > 2,
                    "the followed records span several segments");
            }
        }
        finally
        {
            writer.destroyForcibly();
            assertTrue(writer.waitFor(30, TimeUnit.SECONDS), "the writer process did not exit");
        }
    }

    private static void assertPayload(final long offset, final DirectBuffer buffer, final int at, final int length)
    {
        for (int i = 0; i < length; i++)
        {
            if (buffer.getByte(at + i) != CrashingAppender.payloadByte(offset, i))
            {
                fail("payload byte " + i + " of offset " + offset + " differs");
            }
        }
    }
}
