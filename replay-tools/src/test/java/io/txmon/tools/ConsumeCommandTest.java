package io.txmon.tools;

import io.txmon.journal.JournalCursor;
import io.txmon.journal.JournalWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static io.txmon.tools.TestJournals.Run;
import static io.txmon.tools.TestJournals.timestamp;
import static org.junit.jupiter.api.Assertions.*;

class ConsumeCommandTest
{
    private static final int RECORDS = 1200;
    private static final long TIMEOUT_NS = TimeUnit.SECONDS.toNanos(30);

    @TempDir
    Path tmp;

    private Path journal()
    {
        final Path dir = tmp.resolve("events");
        TestJournals.write(dir, RECORDS);
        return dir;
    }

    private static List<String> texts(final long from, final long to)
    {
        final List<String> lines = new ArrayList<>();
        for (long i = from; i <= to; i++)
        {
            lines.add(TestJournals.text(i));
        }
        return lines;
    }

    private static void await(final BooleanSupplier condition, final String what)
    {
        final long deadline = System.nanoTime() + TIMEOUT_NS;
        while (!condition.getAsBoolean())
        {
            assertTrue(System.nanoTime() - deadline < 0, "timed out waiting for " + what);
            Thread.onSpinWait();
        }
    }

    @Test
    void startsAtTheEndOrTheBeginningOrAnOffsetOrATime() throws IOException
    {
        final Path dir = journal();
        final String d = dir.toString();

        final Run end = Run.of("consume", "--journal", d);
        assertEquals(ToolsCli.EXIT_OK, end.status, end.err);
        assertEquals("", end.out);

        assertEquals(texts(0, RECORDS - 1), Run.of("consume", "--journal", d, "--from-beginning").lines());
        final long boundary = TestJournals.baseOffset(TestJournals.segments(dir).get(1));
        assertEquals(texts(boundary - 1, RECORDS - 1),
            Run.of("consume", "--journal", d, "--from-offset", Long.toString(boundary - 1)).lines());
        // two records share each time: the first of the pair of boundary - 1
        final long first = (boundary - 1) / 2 * 2;
        assertEquals(texts(first, RECORDS - 1),
            Run.of("consume", "--journal", d, "--from-time", TimeArgs.format(timestamp(boundary - 1))).lines());
        assertEquals("", Run.of("consume", "--journal", d, "--from-offset", Integer.toString(RECORDS)).out);

        assertEquals(texts(5, 7), Run.of("consume", "--journal", d, "--from-offset", "5", "--max-messages", "3")
            .lines());
        final Run json = Run.of("consume", "--journal", d, "--from-beginning", "--max-messages", "2",
            "--format", "json");
        assertEquals(List.of(TestJournals.json(0), TestJournals.json(1)), json.lines());
        final Run csv = Run.of("consume", "--journal", d, "--from-offset", "2", "--max-messages", "1",
            "--format", "csv");
        assertEquals(List.of(EventFormat.csvHeader(false), TestJournals.csv(2)), csv.lines());
    }

    @Test
    void readsTheAlertJournalToo()
    {
        final Path dir = tmp.resolve("alerts");
        TestJournals.writeAlerts(dir, 4);
        final Run run = Run.of("consume", "--journal", dir.toString(), "--from-offset", "3", "--format", "csv");
        assertEquals(ToolsCli.EXIT_OK, run.status, run.err);
        assertEquals(2, run.lines().size(), run.out);
        assertEquals(EventFormat.csvHeader(true), run.lines().get(0));
        assertTrue(run.lines().get(1).startsWith("3," + TimeArgs.format(timestamp(3)) + ",Alert,a003,1,large-amount,"),
            run.out);
        // nothing to print: still the header, the alert journal's
        final Run none = Run.of("consume", "--journal", dir.toString(), "--format", "csv");
        assertEquals(List.of(EventFormat.csvHeader(true)), none.lines());
        final Run json = Run.of("consume", "--journal", dir.toString(), "--from-beginning", "--format", "json",
            "--max-messages", "1");
        assertTrue(json.out.startsWith("{\"offset\":0,\"ingestTime\":\"2026-01-01T00:00:00Z\",\"template\":\"Alert\"," +
            "\"alertId\":\"a000\","), json.out);
    }

    @Test
    void aGroupResumesWhereItCommittedAndIsRefusedWhileHeld()
    {
        final Path dir = journal();
        final String d = dir.toString();
        assertEquals(JournalCursor.NO_POSITION, JournalCursor.read(dir, "audit"));

        assertEquals(texts(0, 9), Run.of("consume", "--journal", d, "--group", "audit", "--from-beginning",
            "--max-messages", "10").lines());
        assertEquals(10, JournalCursor.read(dir, "audit"));
        // the committed position wins over a start option
        assertEquals(texts(10, 14), Run.of("consume", "--journal", d, "--group", "audit", "--from-beginning",
            "--max-messages", "5").lines());
        assertEquals(15, JournalCursor.read(dir, "audit"));
        assertEquals(texts(15, RECORDS - 1), Run.of("consume", "--journal", d, "--group", "audit").lines());
        assertEquals(RECORDS, JournalCursor.read(dir, "audit"));
        assertEquals("", Run.of("consume", "--journal", d, "--group", "audit").out);

        // a new group with no start option starts at the end, and commits it
        assertEquals("", Run.of("consume", "--journal", d, "--group", "late").out);
        assertEquals(RECORDS, JournalCursor.read(dir, "late"));

        try (JournalCursor held = JournalCursor.open(dir, "audit"))
        {
            assertEquals(RECORDS, held.position());
            Run.of("consume", "--journal", d, "--group", "audit").failed("group 'audit' is active in another consumer");
        }
        Run.of("consume", "--journal", d, "--group", "no/slash").usage("no/slash");
    }

    @Test
    void followSeesRecordsAppendedWhileItRuns() throws InterruptedException
    {
        final Path dir = tmp.resolve("live");
        try (JournalWriter writer = TestJournals.open(dir))
        {
            TestJournals.append(writer, 0, 10);
            final ByteArrayOutputStream followed = new ByteArrayOutputStream();
            final AtomicInteger status = new AtomicInteger(-1);
            final Thread follower = new Thread(() -> status.set(ToolsCli.run(new String[]{
                "consume", "--journal", dir.toString(), "--from-beginning", "--follow", "--group", "tail",
                "--max-messages", "700", "--max-runtime", "60" },
                new PrintStream(followed, true, StandardCharsets.UTF_8), System.err)), "follower");
            follower.start();
            await(() -> followed.toString(StandardCharsets.UTF_8).lines().count() == 10, "the first 10");
            // 690 more, across a segment roll, while it follows
            TestJournals.append(writer, 10, 690);
            follower.join(TimeUnit.NANOSECONDS.toMillis(TIMEOUT_NS));
            assertFalse(follower.isAlive());
            assertEquals(ToolsCli.EXIT_OK, status.get());
            assertEquals(texts(0, 699), followed.toString(StandardCharsets.UTF_8).lines().toList());
            assertEquals(700, JournalCursor.read(dir, "tail"));
        }
    }

    @Test
    void followStopsAtTheMaxRuntime()
    {
        final Path dir = journal();
        final long start = System.nanoTime();
        final Run run = Run.of("consume", "--journal", dir.toString(), "--follow", "--max-runtime", "1");
        final long elapsed = System.nanoTime() - start;
        assertEquals(ToolsCli.EXIT_OK, run.status, run.err);
        assertEquals("", run.out);
        assertTrue(elapsed >= TimeUnit.SECONDS.toNanos(1) && elapsed < TIMEOUT_NS, "took " + elapsed + " ns");
    }

    @Test
    void anotherProcessHoldsTheGroupUntilCtrlCAndCommitsOnTheWayOut() throws IOException, InterruptedException
    {
        final Path dir = journal();
        final Path output = tmp.resolve("out.txt");
        final Path errors = tmp.resolve("err.txt");
        final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        final Process process = new ProcessBuilder(java,
            "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
            "--add-opens", "java.base/java.util.zip=ALL-UNNAMED",
            "-cp", System.getProperty("java.class.path"), ToolsCli.class.getName(),
            "consume", "--journal", dir.toString(), "--group", "live", "--from-beginning", "--follow",
            "--max-runtime", "60")
            .redirectOutput(output.toFile()).redirectError(errors.toFile()).start();
        try
        {
            await(() -> lines(output) == RECORDS, "the other process to print every record");
            await(() -> JournalCursor.isActive(dir, "live"), "the group to be held");
            Run.of("consume", "--journal", dir.toString(), "--group", "live")
                .failed("group 'live' is active in another consumer");

            final Process kill = new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start();
            assertTrue(kill.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, kill.exitValue());
            assertTrue(process.waitFor(30, TimeUnit.SECONDS), "exits on SIGINT");
            assertEquals(130, process.exitValue());
            assertEquals("", Files.readString(errors));
            assertEquals(RECORDS, JournalCursor.read(dir, "live"));
            assertFalse(JournalCursor.isActive(dir, "live"));
            assertEquals(texts(0, RECORDS - 1), Files.readAllLines(output));
        }
        finally
        {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static long lines(final Path file)
    {
        try
        {
            return Files.readAllLines(file).size();
        }
        catch (final IOException ex)
        {
            return -1;
        }
    }

    @Test
    void badArgumentsAreOneLineAndExitTwo()
    {
        final Path dir = journal();
        final String d = dir.toString();
        Run.of("consume").usage("--journal DIR is required");
        Run.of("consume", "--journal", tmp.resolve("missing").toString()).usage("does not exist");
        Run.of("consume", "--journal", d, "--from-offset", "5000").usage("the journal ends at offset " + RECORDS);
        Run.of("consume", "--journal", d, "--from-beginning", "--from-offset", "3").usage("give one of");
        Run.of("consume", "--journal", d, "--from-time", "soon").usage("--from-time 'soon' is not a time");
        Run.of("consume", "--journal", d, "--max-messages", "0").usage("--max-messages must be between 1");
        Run.of("consume", "--journal", d, "--format", "xml").usage("--format must be text, json or csv");
        Run.of("consume", "--journal", d, "extra").usage("unknown option 'extra'");
    }
}
