package io.txmon.tools;

import io.txmon.journal.Journal;
import io.txmon.journal.JournalConfig;
import io.txmon.journal.JournalCursor;
import io.txmon.journal.JournalDescriptor;
import io.txmon.journal.JournalWriter;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code txmon groups} against a real journal of several segments with cursors at known positions.
 */
class GroupsCommandTest
{
    private static final int RECORDS = 400;
    private static final int PAYLOAD_LENGTH = 480;
    private static final long BASE_NS = Instant.parse("2026-11-25T09:00:00Z").getEpochSecond() * 1_000_000_000L;
    private static final String DIR = "{dir}";

    @TempDir
    Path temp;

    private Path dir;
    private final long[] timestamps = new long[RECORDS];
    private List<Journal.SegmentInfo> segments;

    private record Result(int exit, String out, String err)
    {
        List<String> outLines()
        {
            return out.isEmpty() ? List.of() : Arrays.asList(out.split("\n"));
        }

        List<String> errLines()
        {
            return err.isEmpty() ? List.of() : Arrays.asList(err.split("\n"));
        }
    }

    @BeforeEach
    void writeJournal()
    {
        dir = temp.resolve("journal");
        final JournalConfig config = new JournalConfig()
            .segmentLength(JournalDescriptor.MIN_SEGMENT_LENGTH)
            .indexInterval(16);
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[PAYLOAD_LENGTH]);
        try (JournalWriter writer = JournalWriter.open(dir, config))
        {
            for (int i = 0; i < RECORDS; i++)
            {
                // two records per millisecond: equal timestamps, sometimes either side of a segment boundary
                timestamps[i] = BASE_NS + (i / 2) * 1_000_000L;
                payload.putInt(0, i);
                assertEquals(i, writer.append(payload, 0, PAYLOAD_LENGTH, 1, timestamps[i]));
            }
        }
        segments = Journal.segments(dir);
        assertTrue(segments.size() >= 3, "several segments: " + segments);
        assertEquals(RECORDS, Journal.endOffset(dir));

        JournalCursor.reset(dir, "alpha", 0);
        JournalCursor.reset(dir, "beta", 150);
        JournalCursor.reset(dir, "gamma", RECORDS);
    }

    private Result run(final String... args)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final String[] full = new String[args.length + 1];
        full[0] = "groups";
        for (int i = 0; i < args.length; i++)
        {
            full[i + 1] = args[i].replace(DIR, dir.toString());
        }
        final int exit;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
            PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8))
        {
            exit = ToolsCli.run(full, o, e);
        }
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Result reset(final String... more)
    {
        final List<String> args = new ArrayList<>(List.of("--journal", DIR, "--group", "beta", "--reset-offsets"));
        args.addAll(List.of(more));
        return run(args.toArray(new String[0]));
    }

    private static void assertOneLineFailure(final int exit, final Result result, final String contains)
    {
        assertEquals(exit, result.exit(), result.toString());
        assertEquals(1, result.errLines().size(), result.err());
        final String line = result.errLines().get(0);
        assertTrue(line.startsWith("txmon groups: "), line);
        assertTrue(line.contains(contains), line + " should contain " + contains);
        assertFalse(result.err().contains("Exception") || result.err().contains("\tat "), result.err());
        assertEquals("", result.out());
    }

    private long firstAtOrAfter(final long time)
    {
        for (int i = 0; i < RECORDS; i++)
        {
            if (timestamps[i] >= time)
            {
                return i;
            }
        }
        return RECORDS;
    }

    private static String[] row(final String line)
    {
        return line.trim().split("\\s+");
    }

    @Test
    void shouldListGroups()
    {
        final Result result = run("--journal", DIR, "--list");
        assertEquals(0, result.exit(), result.toString());
        assertEquals(List.of("alpha", "beta", "gamma"), result.outLines());
        assertEquals("", result.err());

        final Result json = run("--journal", DIR, "--list", "--format", "json");
        assertEquals(List.of("{\"group\":\"alpha\"}", "{\"group\":\"beta\"}", "{\"group\":\"gamma\"}"),
            json.outLines());
    }

    @Test
    void shouldListNothingForAJournalWithoutGroups() throws IOException
    {
        final Path other = temp.resolve("other");
        try (JournalWriter writer = JournalWriter.open(other, JournalDescriptor.MIN_SEGMENT_LENGTH))
        {
            assertEquals(0, writer.nextOffset());
        }
        final Result list = run("--journal", other.toString(), "--list");
        assertEquals(0, list.exit(), list.toString());
        assertEquals("", list.out());

        final Result describe = run("--journal", other.toString(), "--describe");
        assertEquals(0, describe.exit(), describe.toString());
        assertEquals("", describe.out());
        assertEquals(1, describe.errLines().size(), describe.err());
        assertTrue(Files.isDirectory(other));
    }

    @Test
    void shouldDescribeEveryGroup()
    {
        final Result result = run("--journal", DIR, "--describe");
        assertEquals(0, result.exit(), result.toString());
        final List<String> lines = result.outLines();
        assertEquals(4, lines.size(), result.out());
        assertEquals(List.of("GROUP", "POSITION", "END-OFFSET", "LAG", "STATE", "POSITION-TIME"),
            List.of(row(lines.get(0))));
        assertEquals(List.of("alpha", "0", "400", "400", "idle", TimeArgs.format(timestamps[0])),
            List.of(row(lines.get(1))));
        assertEquals(List.of("beta", "150", "400", "250", "idle", TimeArgs.format(timestamps[150])),
            List.of(row(lines.get(2))));
        assertEquals(List.of("gamma", "400", "400", "0", "idle", "-"), List.of(row(lines.get(3))));
    }

    @Test
    void shouldDescribeOneGroupAsJsonAndShowItActive()
    {
        try (JournalCursor consumer = JournalCursor.open(dir, "beta"))
        {
            assertEquals(150, consumer.position());
            final Result result = run("--journal", DIR, "--describe", "--group", "beta", "--format", "json");
            assertEquals(0, result.exit(), result.toString());
            assertEquals(List.of("{\"group\":\"beta\",\"position\":150,\"end_offset\":400,\"lag\":250," +
                "\"state\":\"active\",\"position_time_ns\":" + timestamps[150] + ",\"position_time\":\"" +
                TimeArgs.format(timestamps[150]) + "\"}"), result.outLines());

            final Result text = run("--journal", DIR, "--describe", "--group", "beta");
            assertEquals(List.of("beta", "150", "400", "250", "active", TimeArgs.format(timestamps[150])),
                List.of(row(text.outLines().get(1))));
        }
        final Result idle = run("--journal", DIR, "--describe", "--group", "gamma", "--format", "json");
        assertEquals(List.of("{\"group\":\"gamma\",\"position\":400,\"end_offset\":400,\"lag\":0," +
            "\"state\":\"idle\",\"position_time_ns\":null,\"position_time\":null}"), idle.outLines());
    }

    static Stream<Arguments> targets()
    {
        return Stream.of(
            Arguments.of(List.of("--to-earliest"), 0L),
            Arguments.of(List.of("--to-latest"), 400L),
            Arguments.of(List.of("--to-offset", "42"), 42L),
            Arguments.of(List.of("--to-offset", "400"), 400L),
            Arguments.of(List.of("--to-datetime", "2026-11-25T09:00:00.100Z"), 200L),
            Arguments.of(List.of("--to-datetime", Long.toString(BASE_NS + 7_500_000L)), 16L),
            Arguments.of(List.of("--to-datetime", "2026-11-24"), 0L),
            Arguments.of(List.of("--to-datetime", "2099-01-01"), 400L),
            Arguments.of(List.of("--shift-by", "10"), 160L),
            Arguments.of(List.of("--shift-by", "-25"), 125L),
            Arguments.of(List.of("--shift-by", "0"), 150L));
    }

    @ParameterizedTest
    @MethodSource("targets")
    void shouldResetInDryRunWithoutChangingAndWithExecuteCommitting(final List<String> target, final long expected)
    {
        final Result dryRun = reset(target.toArray(new String[0]));
        assertEquals(0, dryRun.exit(), dryRun.toString());
        assertEquals(1, dryRun.outLines().size(), dryRun.out());
        assertTrue(dryRun.out().contains("position 150 -> " + expected + " (" + target.get(0) + ")"), dryRun.out());
        assertTrue(dryRun.out().contains("dry run"), dryRun.out());
        assertEquals(150, JournalCursor.read(dir, "beta"), "a dry run changes nothing");

        final List<String> args = new ArrayList<>(target);
        args.add("--execute");
        final Result executed = reset(args.toArray(new String[0]));
        assertEquals(0, executed.exit(), executed.toString());
        assertTrue(executed.out().contains("position 150 -> " + expected), executed.out());
        assertTrue(executed.out().contains("committed"), executed.out());
        assertEquals(expected, JournalCursor.read(dir, "beta"));
        assertEquals(0, JournalCursor.read(dir, "alpha"), "other groups stay");
        assertEquals(400, JournalCursor.read(dir, "gamma"), "other groups stay");
    }

    @Test
    void shouldResetToDatetimeAsALinearScanDoesAcrossSegmentBoundaries()
    {
        final List<Long> times = new ArrayList<>();
        times.add(timestamps[0] - 1);
        times.add(timestamps[0]);
        times.add(timestamps[RECORDS - 1]);
        times.add(timestamps[RECORDS - 1] + 1);
        for (final Journal.SegmentInfo segment : segments)
        {
            final int base = (int)segment.baseOffset();
            if (base > 0 && base < RECORDS)
            {
                for (final long delta : new long[]{ -1_000_001L, -1L, 0L, 1L, 999_999L, 1_000_000L })
                {
                    times.add(timestamps[base] + delta);
                }
                times.add(timestamps[base - 1] + 1);
            }
        }
        assertTrue(segments.stream().anyMatch((s) -> s.baseOffset() % 2 == 1),
            "some segment boundary falls between two records of the same timestamp: " + segments);
        for (int i = 0; i < RECORDS; i += 37)
        {
            times.add(timestamps[i] + 500_000L);
        }

        for (final long time : times)
        {
            final long expected = firstAtOrAfter(time);
            final Result byNanos = reset("--to-datetime", Long.toString(time), "--format", "json");
            assertEquals(0, byNanos.exit(), byNanos.toString());
            assertTrue(byNanos.out().contains("\"new_position\":" + expected + ","),
                "at " + time + " expected " + expected + ": " + byNanos.out());

            final Result byIso = reset("--to-datetime", TimeArgs.format(time));
            assertTrue(byIso.out().contains("-> " + expected + " "), "at " + time + ": " + byIso.out());
        }
        assertEquals(150, JournalCursor.read(dir, "beta"));

        final Journal.SegmentInfo second = segments.get(1);
        final long acrossBoundary = timestamps[(int)second.baseOffset() - 1] + 1;
        final Result executed = reset("--to-datetime", Long.toString(acrossBoundary), "--execute");
        assertEquals(0, executed.exit(), executed.toString());
        assertEquals(firstAtOrAfter(acrossBoundary), JournalCursor.read(dir, "beta"));
    }

    @Test
    void shouldClampAShiftAndSaySo()
    {
        final Result back = reset("--shift-by", "-1000");
        assertEquals(0, back.exit(), back.toString());
        assertTrue(back.out().contains("position 150 -> 0 "), back.out());
        assertEquals(1, back.errLines().size(), back.err());
        assertTrue(back.err().contains("clamped to 0"), back.err());

        final Result forward = reset("--shift-by", "1000", "--execute", "--format", "json");
        assertEquals(0, forward.exit(), forward.toString());
        assertEquals(List.of("{\"group\":\"beta\",\"target\":\"shift-by\",\"current_position\":150," +
            "\"new_position\":400,\"clamped\":true,\"executed\":true}"), forward.outLines());
        assertTrue(forward.err().contains("clamped to the end offset 400"), forward.err());
        assertEquals(400, JournalCursor.read(dir, "beta"));

        final Result huge = reset("--shift-by", Long.toString(Long.MAX_VALUE));
        assertEquals(0, huge.exit(), huge.toString());
        assertTrue(huge.out().contains("position 400 -> 400 "), huge.out());
    }

    @Test
    void shouldRefuseAResetWhileTheGroupIsActive()
    {
        try (JournalCursor consumer = JournalCursor.open(dir, "beta"))
        {
            assertEquals(150, consumer.position());
            final Result executed = reset("--to-earliest", "--execute");
            assertOneLineFailure(1, executed, "group beta is active: stop its consumer first");
            assertEquals("txmon groups: group beta is active: stop its consumer first", executed.errLines().get(0));

            final Result dryRun = reset("--to-offset", "10");
            assertOneLineFailure(1, dryRun, "group beta is active: stop its consumer first");
            assertEquals(150, JournalCursor.read(dir, "beta"));
        }
        final Result afterwards = reset("--to-earliest", "--execute");
        assertEquals(0, afterwards.exit(), afterwards.toString());
        assertEquals(0, JournalCursor.read(dir, "beta"));
    }

    @Test
    void shouldUseTheFirstOffsetLeftAfterRetention() throws IOException
    {
        final long second = segments.get(1).baseOffset();
        final String first = String.format("%020d", 0);
        for (final String suffix : new String[]{ ".log", ".idx", ".seal" })
        {
            Files.deleteIfExists(dir.resolve(first + suffix));
        }

        final Result earliest = reset("--to-earliest");
        assertTrue(earliest.out().contains("position 150 -> " + second + " "), earliest.toString());

        final Result back = reset("--shift-by", "-149");
        assertTrue(back.out().contains("position 150 -> " + second + " "), back.toString());
        assertTrue(back.err().contains("clamped to " + second), back.err());

        assertOneLineFailure(2, reset("--to-offset", "5"), "the journal holds offsets " + second + " to 399");

        final Result describe = run("--journal", DIR, "--describe", "--group", "alpha");
        assertEquals(List.of("alpha", "0", "400", "400", "idle", "-"), List.of(row(describe.outLines().get(1))));
    }

    @Test
    void shouldRefuseAnUnknownGroupNamingTheKnownOnes()
    {
        assertOneLineFailure(2, run("--journal", DIR, "--group", "nope", "--reset-offsets", "--to-earliest"),
            "its groups are alpha, beta, gamma");
        assertOneLineFailure(2, run("--journal", DIR, "--describe", "--group", "nope"),
            "its groups are alpha, beta, gamma");
        assertFalse(Files.exists(dir.resolve(JournalDescriptor.CURSORS_DIR_NAME).resolve("nope.lock")));
    }

    @Test
    void shouldRefuseAnOffsetBeyondTheJournal()
    {
        assertOneLineFailure(2, reset("--to-offset", "401"), "the journal holds offsets 0 to 399");
        assertOneLineFailure(2, reset("--to-offset", "401", "--execute"), "the journal holds offsets 0 to 399");
        assertEquals(150, JournalCursor.read(dir, "beta"));
    }

    static Stream<Arguments> badCommandLines()
    {
        return Stream.of(
            Arguments.of(List.of("--journal", DIR, "--group", "beta", "--reset-offsets", "--to-earliest",
                "--to-offset", "3"), "not both --to-earliest and --to-offset"),
            Arguments.of(List.of("--journal", DIR, "--group", "beta", "--reset-offsets"), "needs a target"),
            Arguments.of(List.of("--journal", DIR, "--group", "beta", "--execute"), "--execute needs an action"),
            Arguments.of(List.of("--journal", DIR, "--describe", "--execute"), "--execute goes only with"),
            Arguments.of(List.of("--group", "beta", "--reset-offsets", "--to-earliest"), "--journal DIR is required"),
            Arguments.of(List.of("--journal", DIR + "/missing", "--list"), "no journal directory at"),
            Arguments.of(List.of("--journal", DIR, "--reset-offsets", "--to-earliest"), "needs --group"),
            Arguments.of(List.of("--journal", DIR), "give one of --list, --describe or --reset-offsets"),
            Arguments.of(List.of("--journal", DIR, "--list", "--describe"), "not both --list and --describe"),
            Arguments.of(List.of("--journal", DIR, "--describe", "--to-earliest"), "goes only with --reset-offsets"),
            Arguments.of(List.of("--journal", DIR, "--list", "--group", "beta"), "takes no --group"),
            Arguments.of(List.of("--journal", DIR, "--list", "--format", "xml"), "text or json"),
            Arguments.of(List.of("--journal", DIR, "--group", "beta", "--reset-offsets", "--to-datetime", "soon"),
                "is not a time"),
            Arguments.of(List.of("--journal", DIR, "--group", "beta", "--reset-offsets", "--shift-by", "x"),
                "takes a whole number"),
            Arguments.of(List.of("--journal", DIR, "--group", "beta", "--reset-offsets", "--to-offset", "-1"),
                "must be between"),
            Arguments.of(List.of("--journal", DIR, "--list", "--bogus"), "unknown option '--bogus'"),
            Arguments.of(List.of("--journal"), "--journal needs a value"));
    }

    @ParameterizedTest
    @MethodSource("badCommandLines")
    void shouldRefuseABadCommandLineInOneLine(final List<String> args, final String message)
    {
        assertOneLineFailure(2, run(args.toArray(new String[0])), message);
        assertEquals(150, JournalCursor.read(dir, "beta"));
    }

    @Test
    void shouldPrintHelp()
    {
        final Result result = run("--help");
        assertEquals(0, result.exit(), result.toString());
        assertEquals("", result.err());
        for (final String option : List.of("--journal", "--list", "--describe", "--group", "--reset-offsets",
            "--to-earliest", "--to-latest", "--to-offset", "--to-datetime", "--shift-by", "--execute", "--format",
            "--help"))
        {
            assertTrue(result.out().contains(option), option);
        }
    }
}
