package io.txmon.perf;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Smoke test of {@link IngestThroughput}: every case, a tiny N, one run, no warm-up; each must count or
 * journal exactly N, and nothing it created may be left behind.
 */
class IngestThroughputTest
{
    private static final long EVENTS = 20_000;

    @Test
    void everyCaseCountsExactlyNAndCleansUp() throws IOException
    {
        final IngestThroughput.Options options = IngestThroughput.Options.parse(new String[]{
            "--events", Long.toString(EVENTS), "--runs", "1", "--warmup", "0", "--timeout", "10" });
        final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
        final PrintStream log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);

        final List<Path> before = leftovers();
        final long start = System.nanoTime();
        final List<IngestThroughput.CaseResult> results = assertTimeoutPreemptively(
            Duration.ofSeconds(60), () -> IngestThroughput.run(options, log));
        final long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
        System.out.println(logBytes.toString(StandardCharsets.UTF_8));
        System.out.println("all cases in " + seconds + " s");

        assertEquals(IngestThroughput.CASES.size(), results.size());
        for (final IngestThroughput.CaseResult result : results)
        {
            assertNull(result.failure, result.c.name);
            assertEquals(1, result.runs.size(), result.c.name);
            final IngestThroughput.RunResult run = result.runs.get(0);
            assertEquals(EVENTS, run.counted, result.c.name + ": counted or journaled");
            assertTrue(run.elapsedNs > 0, result.c.name);
            assertTrue(run.eventsPerSecond() > 0, result.c.name);
        }
        assertEquals(IngestThroughput.paymentLength(), results.get(0).messageLength);
        assertTrue(seconds < 20, "all cases took " + seconds + " s");
        assertEquals(before, leftovers(), "directories left behind");
    }

    @Test
    void refusesUnknownCasesAndBadNumbers()
    {
        final String[][] bad = {
            { "--cases", "raw-ipc,nope" }, { "--events", "0" }, { "--runs", "x" }, { "--bogus", "1" }, { "--events" } };
        for (final String[] args : bad)
        {
            try
            {
                IngestThroughput.Options.parse(args);
                throw new AssertionError("accepted " + String.join(" ", args));
            }
            catch (final IllegalArgumentException expected)
            {
                // refused
            }
        }
        assertEquals(2, IngestThroughput.Options.parse(new String[]{ "--cases", "raw-ipc,txmon-udp-4p" }).cases.size());
    }

    /** What the harness creates: driver directories under /dev/shm or java.io.tmpdir, journals under the latter. */
    private static List<Path> leftovers() throws IOException
    {
        final List<Path> found = new java.util.ArrayList<>();
        for (final Path dir : List.of(Path.of("/dev/shm"), Path.of(System.getProperty("java.io.tmpdir"))))
        {
            if (!Files.isDirectory(dir))
            {
                continue;
            }
            try (Stream<Path> files = Files.list(dir))
            {
                files.filter((p) -> p.getFileName().toString().startsWith(IngestThroughput.TEMP_PREFIX))
                    .sorted()
                    .forEach(found::add);
            }
        }
        return found;
    }
}
