package io.txmon.monitor;

import io.txmon.rules.config.RuleType;
import io.txmon.rules.typology.Typologies;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 14, item 6: {@code txmon demo} shows the engine's real job. A small demo (two producers of 10,000 events,
 * one case of every typology per 5,000 events of each: 4 of each, over aeron:ipc, the journal in a temporary
 * directory) detects every planted case of every typology, its table lists every rule, and it leaves no
 * producer thread and no driver directory behind.
 */
class DemoTypologiesTest
{
    private static final int PLANTED_PER_RULE = 2 * (10_000 / 5_000);
    private static final Pattern ROW = Pattern.compile(
        "^ +(\\d+)  ([a-z-]+) +([\\d,]+) +([\\d,]+) +([\\d,]+) +([\\d,]+)$", Pattern.MULTILINE);

    @TempDir
    Path dir;

    @Test
    void everyTypologysPlantedCasesAreDetectedAndTheTableListsEveryRule()
    {
        final MonitorTests.Capture out = new MonitorTests.Capture();
        final MonitorTests.Capture err = new MonitorTests.Capture();
        final String[] args = { "demo", "--events", "20000", "--producers", "2", "--events-per-plant", "5000",
            "--quiet", "--dir", dir.resolve("journal").toString() };

        // bounded by count (the events) and by time: a demo that stops deciding fails here, not after 30 s of stall
        final int status = assertTimeoutPreemptively(
            Duration.ofSeconds(60), () -> TxmonCli.run(args, out.stream, err.stream), () -> out.text() + err.text());
        final String printed = out.text();
        assertEquals(TxmonCli.EXIT_OK, status, () -> printed + err.text());

        final List<RuleType<?>> catalog = Typologies.catalog();
        final int plantedTotal = PLANTED_PER_RULE * catalog.size();
        assertTrue(printed.contains(String.format("typologies: %d rules run, %d cases planted, %d detected, 0 missed",
            catalog.size(), plantedTotal, plantedTotal)), printed);

        final List<String> rows = new ArrayList<>();
        final Matcher row = ROW.matcher(printed);
        while (row.find())
        {
            final RuleType<?> type = catalog.get(rows.size());
            assertEquals(Integer.toString(type.id()), row.group(1), "rows in rule-id order");
            assertEquals(type.name(), row.group(2));
            assertEquals(Integer.toString(PLANTED_PER_RULE), row.group(3), type.name() + " planted");
            assertEquals(Integer.toString(PLANTED_PER_RULE), row.group(4), type.name() + " detected");
            assertEquals("0", row.group(5), type.name() + " missed");
            assertTrue(Long.parseLong(row.group(6).replace(",", "")) >= PLANTED_PER_RULE, type.name() + " alerts");
            rows.add(type.name());
        }
        assertEquals(catalog.size(), rows.size(), "one row per typology:\n" + printed);
        assertTrue(Pattern.compile("(?m)^ +all +" + plantedTotal + " +" + plantedTotal + " +0 +[\\d,]+$")
            .matcher(printed).find(), "a line of totals:\n" + printed);

        assertTrue(printed.contains("top accounts: the 10 with the most typologies alerting on them"), printed);
        assertTrue(printed.lines().noneMatch((l) -> l.startsWith("ALERT ")), "--quiet prints no alert");

        // everything the demo started is gone: its producers and its embedded driver's directory
        assertTrue(Thread.getAllStackTraces().keySet().stream()
            .noneMatch((t) -> t.isAlive() && t.getName().startsWith("txmon-demo-producer-")), "a producer is left");
        final String driverPrefix = "txmon-demo-" + ProcessHandle.current().pid() + "-";
        for (final String parent : List.of("/dev/shm", System.getProperty("java.io.tmpdir")))
        {
            final String[] left = new File(parent).list((d, name) -> name.startsWith(driverPrefix));
            assertTrue(null == left || left.length == 0, () -> "driver directory left in " + parent);
        }
    }
}
