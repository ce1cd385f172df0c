package io.txmon.monitor;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.*;

class TxmonCliTest
{
    @TempDir
    Path tempDir;

    private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();

    private int run(final String... args)
    {
        outBytes.reset();
        errBytes.reset();
        return TxmonCli.run(
            args,
            new PrintStream(outBytes, true, StandardCharsets.UTF_8),
            new PrintStream(errBytes, true, StandardCharsets.UTF_8));
    }

    private String out()
    {
        return outBytes.toString(StandardCharsets.UTF_8);
    }

    private String err()
    {
        return errBytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void helpListsCommandsAndNoArgumentsIsAUsageError()
    {
        assertEquals(TxmonCli.EXIT_OK, run("--help"));
        for (final String command : List.of("demo", "run", "produce"))
        {
            assertTrue(out().contains("  " + command + " "), command);
        }
        assertEquals(TxmonCli.EXIT_USAGE, run());
        assertTrue(out().contains("usage: txmon"));
    }

    @Test
    void unknownCommandSaysWhatToDo()
    {
        assertEquals(TxmonCli.EXIT_USAGE, run("frobnicate"));
        assertTrue(err().contains("unknown command 'frobnicate'"), err());
        assertTrue(err().contains("txmon --help"), err());
    }

    @Test
    void demoHelpDescribesEveryOption()
    {
        assertEquals(TxmonCli.EXIT_OK, run("demo", "--help"));
        for (final String option : List.of("--events", "--producers", "--seed", "--threshold", "--plant-every", "--dir",
            "--quiet", "--rate", "--durability", "--profile"))
        {
            assertTrue(out().contains(option), option);
        }
    }

    @Test
    void demoRefusesBadOptionsWithAOneLineReason()
    {
        assertEquals(TxmonCli.EXIT_USAGE, run("demo", "--events", "many"));
        assertEquals("txmon demo: --events takes a whole number, not 'many'", err().trim());
        assertEquals(TxmonCli.EXIT_USAGE, run("demo", "--producers", "0"));
        assertTrue(err().contains("--producers must be between 1 and 8"), err());
        assertEquals(TxmonCli.EXIT_USAGE, run("demo", "--colour"));
        assertTrue(err().contains("unknown option '--colour'"), err());
        assertEquals(TxmonCli.EXIT_USAGE, run("demo", "--seed"));
        assertTrue(err().contains("--seed needs a value"), err());
        assertEquals(TxmonCli.EXIT_USAGE, run("demo", "--durability", "fsync"));
        assertEquals("txmon demo: --durability: durability must be os, interval or sync, not 'fsync'", err().trim());
        assertEquals(TxmonCli.EXIT_USAGE, run("demo", "--profile", "turbo"));
        assertTrue(err().contains("--profile must be"), err());
        assertTrue(err().contains("yielding"), err());
    }

    @Test
    void demoRunsInTheProfileAsked()
    {
        assertEquals(TxmonCli.EXIT_OK, run("demo", "--events", "3000", "--producers", "1", "--plant-every", "100",
            "--quiet", "--profile", "yielding"), () -> out() + err());
        assertTrue(out().contains("profile               yielding"), out());
        assertTrue(out().contains("missed 0"), out());
    }

    @Test
    void demoDetectsEveryPlantedLargeAmountAndReportsMeasuredFigures()
    {
        final Path journal = tempDir.resolve("journal");
        assertEquals(TxmonCli.EXIT_OK, run("demo", "--events", "30000", "--plant-every", "100", "--dir", journal.toString()),
            () -> out() + err());

        final String out = out();
        final Matcher journaled = Pattern.compile(
            "events journaled      30,000 \\(offsets ([\\d,]+) to ([\\d,]+), after ([\\d,]+) records of the rule configuration\\)")
            .matcher(out);
        assertTrue(journaled.find(), out);
        assertEquals(journaled.group(1), journaled.group(3), "the configuration comes first");
        assertTrue(Long.parseLong(journaled.group(1).replace(",", "")) > 0, "the other rules are journaled as off");
        final Matcher planted = Pattern.compile(
            "planted large amounts ([\\d,]+): alerted ([\\d,]+), missed 0, extra 0").matcher(out);
        assertTrue(planted.find(), out);
        final long plantedCount = Long.parseLong(planted.group(1).replace(",", ""));
        assertTrue(plantedCount > 150 && plantedCount < 450, "about 1 in 100 of 30,000 planted: " + plantedCount);
        assertEquals(plantedCount, out.lines().filter((l) -> l.startsWith("ALERT ")).count());

        final Matcher latency = Pattern.compile("ingest to decision    p50 ([\\d.]+) us .* \\(([\\d,]+) events")
            .matcher(out);
        assertTrue(latency.find(), out);
        assertTrue(Double.parseDouble(latency.group(1)) > 0);
        assertEquals("30,000", latency.group(2));
        assertTrue(Files.isDirectory(journal), "--dir keeps the journal");
    }

    @Test
    void sameSeedGivesTheSameAlertsWithOneProducer()
    {
        assertEquals(TxmonCli.EXIT_OK, run("demo", "--events", "5000", "--producers", "1", "--seed", "7",
            "--plant-every", "50"));
        final String first = alertLines(out());
        assertEquals(TxmonCli.EXIT_OK, run("demo", "--events", "5000", "--producers", "1", "--seed", "7",
            "--plant-every", "50"));
        assertEquals(first, alertLines(out()));
        assertFalse(first.isEmpty());

        assertEquals(TxmonCli.EXIT_OK, run("demo", "--events", "5000", "--producers", "1", "--seed", "8",
            "--plant-every", "50"));
        assertNotEquals(first, alertLines(out()));
    }

    @Test
    void demoRunsWithSyncDurability()
    {
        assertEquals(TxmonCli.EXIT_OK, run("demo", "--events", "5000", "--quiet", "--durability", "sync",
            "--plant-every", "50"), () -> out() + err());
        assertTrue(out().contains("missed 0, extra 0"), out());
        assertTrue(err().contains("(durability sync)"), err());
    }

    @Test
    void demoRefusesADirectoryThatAlreadyHoldsAJournal()
    {
        final Path journal = tempDir.resolve("journal");
        assertEquals(TxmonCli.EXIT_OK, run("demo", "--events", "100", "--quiet", "--dir", journal.toString()));
        assertEquals(TxmonCli.EXIT_USAGE, run("demo", "--events", "100", "--quiet", "--dir", journal.toString()));
        assertTrue(err().matches("(?s).*already holds a journal of 1\\d\\d records.*"), err());
    }

    private static String alertLines(final String out)
    {
        return out.lines().filter((l) -> l.startsWith("ALERT ")).collect(Collectors.joining("\n"));
    }
}
