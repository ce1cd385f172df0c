package io.txmon.monitor;

import io.txmon.rules.config.RuleType;
import io.txmon.rules.typology.Typologies;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

    /**
     * @param perTypology cases planted of each typology.
     * @return the line a demo of every typology prints when it detected every case.
     */
    private static String typologiesLine(final int perTypology)
    {
        final int typologies = Typologies.catalog().size();
        return String.format("typologies: %d rules run, %d cases planted, %d detected, 0 missed",
            typologies, perTypology * typologies, perTypology * typologies);
    }

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
    void demoHelpDescribesEveryOptionEveryRuleAndTheExitStatus()
    {
        assertEquals(TxmonCli.EXIT_OK, run("demo", "--help"));
        for (final String option : List.of("--events", "--producers", "--seed", "--rules", "--events-per-plant",
            "--print-alerts", "--dir", "--quiet", "--rate", "--durability", "--profile"))
        {
            assertTrue(out().contains(option), option);
        }
        for (final RuleType<?> type : Typologies.catalog())
        {
            assertTrue(out().contains(type.id() + " " + type.name()), type.name());
        }
        assertTrue(out().contains("--events-per-plant replaces --plant-every"), out());
        assertTrue(out().contains("Exit status: 0 when every planted case of the rules run alerted, 1 when one did " +
            "not"), out());
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
        assertEquals(TxmonCli.EXIT_USAGE, run("demo", "--rules", "large-amount,no-such-rule"));
        assertTrue(err().contains("--rules: 'no-such-rule' is not a rule name or id"), err());
        assertTrue(err().contains("23 marking-the-close"), "the message names the rules: " + err());
        final String beyond = Integer.toString(Typologies.catalog().size() + 1);
        assertEquals(TxmonCli.EXIT_USAGE, run("demo", "--rules", beyond));
        assertTrue(err().contains("--rules: '" + beyond + "' is not a rule name or id"), err());
        assertEquals(TxmonCli.EXIT_USAGE, run("demo", "--events-per-plant", "100"));
        assertTrue(err().contains("--events-per-plant must be between 5000 and"), err());
        assertEquals(TxmonCli.EXIT_USAGE, run("demo", "--print-alerts", "some"));
        assertTrue(err().contains("--print-alerts takes a whole number, not 'some'"), err());
        for (final String replaced : List.of("--threshold", "--plant-every"))
        {
            assertEquals(TxmonCli.EXIT_USAGE, run("demo", replaced, "100"));
            assertEquals(1, err().lines().count(), err());
            assertTrue(err().startsWith("txmon demo: " + replaced + " belonged to the large-amount-only demo"), err());
        }
        assertTrue(err().contains("--events-per-plant"), "--plant-every names what replaced it: " + err());
    }

    @Test
    void demoRunsInTheProfileAsked()
    {
        assertEquals(TxmonCli.EXIT_OK, run("demo", "--events", "6000", "--producers", "1", "--events-per-plant",
            "5000", "--quiet", "--profile", "yielding"), () -> out() + err());
        assertTrue(out().contains("profile               yielding"), out());
        assertTrue(out().contains(typologiesLine(1)), out());
    }

    @Test
    void demoDetectsEveryPlantedCaseAndReportsMeasuredFigures()
    {
        final Path journal = tempDir.resolve("journal");
        assertEquals(TxmonCli.EXIT_OK, run("demo", "--events", "30000", "--events-per-plant", "5000",
            "--print-alerts", "all", "--dir", journal.toString()), () -> out() + err());

        final String out = out();
        final Matcher journaled = Pattern.compile(
            "events journaled      30,000 \\(offsets ([\\d,]+) to ([\\d,]+), after ([\\d,]+) records of the rule " +
            "configuration\\)").matcher(out);
        assertTrue(journaled.find(), out);
        assertEquals(journaled.group(1), journaled.group(3), "the configuration comes first");
        assertTrue(Long.parseLong(journaled.group(1).replace(",", "")) > 0,
            "the settings the planted cases assume (the watch list) are journaled");

        // two producers of 15,000 events, one case of every typology per 5,000 events each: 6 of each
        final int planted = 2 * 3;
        assertTrue(out.contains(typologiesLine(planted)), out);
        long alertsInRows = 0;
        for (final RuleType<?> type : Typologies.catalog())
        {
            final Matcher row = Pattern.compile("(?m)^ +" + type.id() + " +" + type.name() + " +" + planted + " +" +
                planted + " +0 +([\\d,]+)$").matcher(out);
            assertTrue(row.find(), type.name() + " row:\n" + out);
            final long alerts = Long.parseLong(row.group(1).replace(",", ""));
            assertTrue(alerts >= planted, type.name() + " raised fewer alerts than it detected cases");
            final long printed = out.lines()
                .filter((l) -> l.startsWith("ALERT ") && l.contains(" rule=" + type.name() + "/")).count();
            assertEquals(alerts, printed, type.name() + ": with --print-alerts all, every alert is printed");
            alertsInRows += alerts;
        }
        final Matcher alerts = Pattern.compile(
            "  alerts                ([\\d,]+) \\(([\\d,]+) printed as they arrived\\)").matcher(out);
        assertTrue(alerts.find(), out);
        assertEquals(alertsInRows, Long.parseLong(alerts.group(1).replace(",", "")), "the rows add up");
        assertEquals(alerts.group(1), alerts.group(2), "every alert printed");

        final Matcher latency = Pattern.compile("ingest to decision    p50 ([\\d.]+) (us|ms) .* \\(([\\d,]+) events")
            .matcher(out);
        assertTrue(latency.find(), out);
        assertTrue(Double.parseDouble(latency.group(1)) > 0);
        assertEquals("30,000", latency.group(3));
        assertTrue(out.contains("top accounts: the 10 with the most typologies alerting on them"), out);
        assertTrue(Files.isDirectory(journal), "--dir keeps the journal");
    }

    @Test
    void demoPrintsTheFirstAlertOfEachRuleByDefaultAndRunsOnlyTheRulesAsked()
    {
        assertEquals(TxmonCli.EXIT_OK, run("demo", "--events", "10000", "--producers", "1", "--events-per-plant",
            "5000"), () -> out() + err());
        final Map<String, Long> byRule = out().lines().filter((l) -> l.startsWith("ALERT "))
            .collect(Collectors.groupingBy((l) -> l.replaceAll(".* rule=([a-z-]+)/.*", "$1"), Collectors.counting()));
        assertEquals(Typologies.catalog().size(), byRule.size(), out());
        assertEquals(Set.of(1L), Set.copyOf(byRule.values()), "one alert of each rule: " + byRule);

        assertEquals(TxmonCli.EXIT_OK, run("demo", "--events", "10000", "--producers", "1", "--events-per-plant",
            "5000", "--rules", "large-amount, 17", "--print-alerts", "all"), () -> out() + err());
        assertTrue(out().contains("typologies: 2 rules run, 4 cases planted, 4 detected, 0 missed"), out());
        assertTrue(out().lines().filter((l) -> l.startsWith("ALERT ")).allMatch(
            (l) -> l.contains(" rule=large-amount/") || l.contains(" rule=watch-list/")), out());
        assertTrue(out().contains(" 17  watch-list "), out());
        assertFalse(out().contains(" structuring "), out());
    }

    @Test
    void sameSeedGivesTheSameAlertsWithOneProducer()
    {
        assertEquals(TxmonCli.EXIT_OK, run("demo", "--events", "6000", "--producers", "1", "--seed", "7",
            "--print-alerts", "all"));
        final String first = alertLines(out());
        assertEquals(TxmonCli.EXIT_OK, run("demo", "--events", "6000", "--producers", "1", "--seed", "7",
            "--print-alerts", "all"));
        assertEquals(first, alertLines(out()));
        assertTrue(first.lines().count() >= Typologies.catalog().size(), "a case of every typology alerts: " + first);

        assertEquals(TxmonCli.EXIT_OK, run("demo", "--events", "6000", "--producers", "1", "--seed", "8",
            "--print-alerts", "all"));
        assertNotEquals(first, alertLines(out()));
    }

    @Test
    void demoRunsWithSyncDurability()
    {
        assertEquals(TxmonCli.EXIT_OK, run("demo", "--events", "10000", "--quiet", "--durability", "sync",
            "--events-per-plant", "5000"), () -> out() + err());
        assertTrue(out().contains(typologiesLine(2)), out());
        assertTrue(err().contains("(durability sync)"), err());
    }

    @Test
    void demoRefusesADirectoryThatAlreadyHoldsAJournal()
    {
        final Path journal = tempDir.resolve("journal");
        assertEquals(TxmonCli.EXIT_OK, run("demo", "--events", "100", "--quiet", "--dir", journal.toString()));
        assertTrue(err().contains("fewer than 5,000 events per producer plant no cases"), err());
        assertEquals(TxmonCli.EXIT_USAGE, run("demo", "--events", "100", "--quiet", "--dir", journal.toString()));
        assertTrue(err().matches("(?s).*already holds a journal of 1\\d\\d records.*"), err());
    }

    private static String alertLines(final String out)
    {
        return out.lines().filter((l) -> l.startsWith("ALERT ")).collect(Collectors.joining("\n"));
    }
}
