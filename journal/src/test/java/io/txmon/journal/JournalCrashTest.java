package io.txmon.journal;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static io.txmon.journal.CrashingAppender.payloadByte;
import static io.txmon.journal.CrashingAppender.payloadLength;
import static io.txmon.journal.CrashingAppender.templateId;
import static io.txmon.journal.CrashingAppender.timestamp;
import static io.txmon.journal.JournalDescriptor.segmentFileName;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Kills a writer in another process with SIGKILL at a random moment while it appends, then checks that a
 * reopened writer recovers everything the dead one reported as appended, nothing more than a dense run of
 * valid records, and carries on at the right offset. The number of runs is {@code -Dtxmon.crash.runs}
 * (the {@code stress} profile runs 200).
 */
class JournalCrashTest
{
    private static final int SEGMENT_LENGTH = 256 * 1024;
    private static final int MAX_REPORTED = 30_000;
    private static final long CHILD_DEADLINE_SECONDS = 60;

    @TempDir
    Path root;

    @Test
    void shouldRecoverEveryReportedRecordAfterSigkill() throws Exception
    {
        final int runs = Integer.getInteger("txmon.crash.runs", 20);
        final Random random = new Random(0x5EED_C4A5L);
        final Path dir = root.resolve("journal");
        int runsWithinFirstSegment = 0;
        int runsAfterARoll = 0;
        int runsWithDiscardedBytes = 0;

        final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor((r) ->
        {
            final Thread thread = new Thread(r, "crash-test-watchdog");
            thread.setDaemon(true);
            return thread;
        });
        try
        {
            for (int run = 0; run < runs; run++)
            {
                deleteRecursively(dir);
                final int target = pickTarget(random, run);
                final String context = "run " + run + " (kill after " + target + " reported offsets)";

                final long reported = runAndKill(dir, target, run, watchdog, context);
                final RunResult result = checkRecovered(dir, reported, random, context);

                if (result.segments > 1)
                {
                    runsAfterARoll++;
                }
                else
                {
                    runsWithinFirstSegment++;
                }
                if (result.truncatedBytes > 0)
                {
                    runsWithDiscardedBytes++;
                }
            }
        }
        finally
        {
            watchdog.shutdownNow();
        }

        if (runs >= 10)
        {
            assertTrue(runsWithinFirstSegment > 0, "no run was killed before the first roll");
            assertTrue(runsAfterARoll > 0, "no run was killed after a roll");
        }
        System.out.println("crash runs " + runs + ": within first segment " + runsWithinFirstSegment +
            ", after a roll " + runsAfterARoll + ", with bytes discarded on recovery " + runsWithDiscardedBytes);
    }

    /**
     * Some runs die very early, some around the first roll (~1,400 records per 256 KiB segment), the rest
     * anywhere up to {@link #MAX_REPORTED}.
     */
    private static int pickTarget(final Random random, final int run)
    {
        switch (run % 5)
        {
            case 0:
                return 1 + random.nextInt(20);
            case 1:
                return 1_000 + random.nextInt(1_000);
            default:
                return 1 + random.nextInt(MAX_REPORTED);
        }
    }

    /**
     * Start the appender, read its stdout until {@code target} offsets have been reported, SIGKILL it.
     *
     * @return the number of offsets reported, all checked to be 0, 1, 2, ...
     */
    private long runAndKill(
        final Path dir, final int target, final int run, final ScheduledExecutorService watchdog, final String context)
        throws IOException, InterruptedException
    {
        final Path stderr = root.resolve("child-" + run + ".err");
        final List<String> command = List.of(
            javaExecutable(),
            "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
            "-Xshare:auto",
            "-XX:TieredStopAtLevel=1",
            "-Xmx128m",
            "-cp", System.getProperty("java.class.path"),
            CrashingAppender.class.getName(),
            dir.toString(),
            Integer.toString(SEGMENT_LENGTH));
        final Process process = new ProcessBuilder(command)
            .redirectError(stderr.toFile())
            .start();
        // bounded: a child that hangs without output is killed, and readLine then sees the end of the stream
        final var timeout = watchdog.schedule(process::destroyForcibly, CHILD_DEADLINE_SECONDS, TimeUnit.SECONDS);
        long reported = 0;
        try
        {
            final BufferedReader lines = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII));
            while (reported < target)
            {
                final String line = lines.readLine();
                if (null == line)
                {
                    process.waitFor(10, TimeUnit.SECONDS);
                    fail(context + ": the appender stopped after " + reported + " offsets" +
                        (process.isAlive() ? "" : " with exit status " + process.exitValue()) +
                        (timeout.isDone() ? " (killed by the watchdog after " + CHILD_DEADLINE_SECONDS + " s)" : "") +
                        "; stderr: " + Files.readString(stderr));
                }
                assertEquals(reported, Long.parseLong(line.trim()), context + ": reported offsets out of order");
                reported++;
            }
        }
        finally
        {
            process.destroyForcibly();
            final boolean exited = process.waitFor(30, TimeUnit.SECONDS);
            timeout.cancel(false);
            process.getInputStream().close();
            assertTrue(exited, context + ": the killed appender did not exit");
        }
        return reported;
    }

    private static String javaExecutable()
    {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private record RunResult(int segments, long truncatedBytes)
    {
    }

    private static RunResult checkRecovered(final Path dir, final long reported, final Random random, final String context)
    {
        final long recovered;
        final long truncatedBytes;
        try (JournalWriter writer = JournalWriter.open(dir, SEGMENT_LENGTH))
        {
            assertTrue(writer.previousOwnerCrashed(), context + ": the dead writer's mark file was not noticed");
            recovered = writer.nextOffset();
            truncatedBytes = writer.truncatedBytes();
            final String ctx = context + ", reported " + reported + ", recovered " + recovered;
            assertTrue(recovered >= reported, ctx + ": reported records were lost");
            assertEquals(timestamp(recovered - 1), writer.lastTimestamp(), ctx + ": last timestamp");

            // everything a reader delivers: exactly the recovered records, dense from 0, each intact
            assertEquals(recovered, readAndCheck(dir, 0, ctx), ctx + ": records a reader delivers");
            assertEquals(recovered, Journal.endOffset(dir), ctx + ": Journal.endOffset");

            try (JournalReader reader = JournalReader.open(dir))
            {
                for (int i = 0; i < 20; i++)
                {
                    final long offset = (long)(random.nextDouble() * recovered);
                    assertTrue(reader.seek(offset), ctx + ": seek to " + offset);
                    final Checker checker = new Checker(offset, ctx);
                    assertEquals(1, reader.poll(checker, 1), ctx + ": record after seek to " + offset);
                }
                assertTrue(!reader.seek(recovered), ctx + ": seek to the end");
                assertEquals(JournalReader.NOT_FOUND, reader.seekTime(timestamp(recovered - 1) + 1), ctx);
            }

            // the next appends continue exactly where the dead writer's last whole record ended
            final UnsafeBuffer buffer = new UnsafeBuffer(new byte[CrashingAppender.MAX_PAYLOAD]);
            for (long offset = recovered; offset < recovered + 3; offset++)
            {
                CrashingAppender.fill(buffer, offset);
                assertEquals(offset, writer.append(buffer, 0, payloadLength(offset), templateId(offset), timestamp(offset)),
                    ctx + ": append after recovery");
            }
        }

        final String ctx = context + ", reported " + reported + ", recovered " + recovered;
        final List<JournalVerifier.Problem> problems = new ArrayList<>();
        final JournalVerifier.Report report = JournalVerifier.verify(dir, (p) -> problems.add(p));
        assertTrue(report.ok() && problems.isEmpty(), ctx + ": verifier found " + problems);
        assertEquals(recovered + 3, report.endOffset(), ctx + ": verifier end offset");
        assertEquals(recovered + 3, report.records(), ctx + ": verifier records");
        assertEquals(recovered + 3, readAndCheck(dir, 0, ctx), ctx + ": records after the new appends");

        // a second clean reopen finds nothing more to discard and the same end
        try (JournalWriter writer = JournalWriter.open(dir, SEGMENT_LENGTH))
        {
            assertEquals(recovered + 3, writer.nextOffset(), ctx);
            assertEquals(0, writer.truncatedBytes(), ctx);
            assertTrue(!writer.previousOwnerCrashed(), ctx);
        }

        final int segments = Journal.segments(dir).size();
        assertTrue(Files.exists(dir.resolve(segmentFileName(0))), ctx);
        return new RunResult(segments, truncatedBytes);
    }

    /**
     * Read from the start, checking every record against the appender's functions.
     *
     * @return records delivered.
     */
    private static long readAndCheck(final Path dir, final long from, final String context)
    {
        try (JournalReader reader = JournalReader.open(dir))
        {
            assertTrue(reader.seek(from) || from == 0, context);
            final Checker checker = new Checker(from, context);
            while (reader.poll(checker, 256) > 0)
            {
                assertTrue(checker.next - from <= 10_000_000, "runaway reader");
            }
            return checker.next - from;
        }
    }

    /**
     * Checks each record it is handed is the next offset with the appender's content.
     */
    private static final class Checker implements RecordHandler
    {
        private final String context;
        private final byte[] payload = new byte[CrashingAppender.MAX_PAYLOAD];
        long next;

        Checker(final long first, final String context)
        {
            this.next = first;
            this.context = context;
        }

        public void onRecord(
            final long offset,
            final long timestamp,
            final int templateId,
            final DirectBuffer buffer,
            final int payloadOffset,
            final int payloadLength)
        {
            if (offset != next || timestamp != timestamp(offset) || templateId != templateId(offset) ||
                payloadLength != payloadLength(offset))
            {
                fail(context + ": record " + offset + " (expected offset " + next + ") has timestamp " + timestamp +
                    ", template " + templateId + ", payload length " + payloadLength + "; expected " +
                    timestamp(next) + ", " + templateId(next) + ", " + payloadLength(next));
            }
            buffer.getBytes(payloadOffset, payload, 0, payloadLength);
            for (int i = 0; i < payloadLength; i++)
            {
                if (payload[i] != payloadByte(offset, i))
                {
                    fail(context + ": payload byte " + i + " of offset " + offset + " is " + payload[i] +
                        ", expected " + payloadByte(offset, i));
                }
            }
            next++;
        }
    }

    private static void deleteRecursively(final Path dir) throws IOException
    {
        if (!Files.exists(dir))
        {
            return;
        }
        try (Stream<Path> files = Files.walk(dir))
        {
            for (final Path file : files.sorted(Comparator.reverseOrder()).toList())
            {
                Files.delete(file);
            }
        }
    }
}
