package io.txmon.tools;

import io.aeron.Aeron;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.txmon.events.EventEnvelope;
import io.txmon.events.codec.AlertDecoder;
import io.txmon.events.codec.ConfigAction;
import io.txmon.events.codec.MessageHeaderDecoder;
import io.txmon.events.codec.PaymentDecoder;
import io.txmon.rules.config.RuleConfigChange;
import io.txmon.rules.config.RuleSettings;
import io.txmon.rules.config.RuleType;
import io.txmon.scenario.ScenarioGenerator;
import io.txmon.rules.typology.LargeAmountRule;
import io.txmon.rules.typology.VelocityCountRule;
import io.txmon.transport.EmbeddedDriver;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.txmon.tools.ReplayTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code txmon replay}: the audit proof (replay = the live alert journal, whole and from the middle), what a
 * candidate configuration changes, backtest scores, republishing, and the command line's errors.
 */
class ReplayCommandTest
{
    private static final long SEED = 20_261_125L;
    private static final Pattern OFFSET = Pattern.compile(" offset=(\\d+) ");

    @TempDir
    Path tempDir;

    @Test
    void replayOfTheWholeJournalAndOfARangeFromTheMiddleMatchesTheLiveAlertJournal()
    {
        final int events = 100_000;
        final ScenarioGenerator scenario = scenario();
        final Path journal = tempDir.resolve("journal");
        final Path alerts = tempDir.resolve("journal-alerts");
        final RuleConfigChange[] changes = {
            new RuleConfigChange(LargeAmountRule.ID, ConfigAction.SET_PARAMETER, "severity", "CRITICAL"),
            new RuleConfigChange(VelocityCountRule.ID, ConfigAction.SET_PARAMETER, "severity", "LOW") };
        writeScenario(journal, scenario, events, changes, new int[]{ events / 3, 2 * events / 3 });
        final int live = writeAlerts(journal, alerts, 2, (alert) -> true, null);
        final long last = records(journal).size() - 1;
        assertTrue(live >= scenario.planted().size(), "the planted alerts at least: " + live);

        final Run whole = replay("--journal", journal.toString(), "--from-offset", "0", "--compare", "--workers", "2");
        assertEquals(0, whole.status(), whole::toString);
        assertTrue(whole.out().contains("identical: " + live + " alerts in offsets 0.." + last +
            " match the alert journal"), whole::toString);
        assertTrue(whole.out().contains("in the same order"), whole::toString);

        // from the middle, across the second change: the rules warm up before the range, alerts suppressed
        final long middle = last / 2;
        final long end = 3 * last / 4;
        final int inRange = AlertDiff.read(alerts, middle, end).size();
        assertTrue(inRange > 0);
        final Run part = replay("--journal", journal.toString(), "--from-offset", String.valueOf(middle),
            "--to-offset", String.valueOf(end), "--compare", "--workers", "2");
        assertEquals(0, part.status(), part::toString);
        assertTrue(part.out().contains("identical: " + inRange + " alerts in offsets " + middle + ".." + end +
            " match the alert journal"), part::toString);

        // with another worker count the order may differ, the set may not
        final Run oneWorker = replay("--journal", journal.toString(), "--from-offset", String.valueOf(middle),
            "--compare");
        assertEquals(0, oneWorker.status(), oneWorker::toString);
        assertTrue(oneWorker.out().contains("identical: "), oneWorker::toString);
    }

    @Test
    void warmUpFromTheRulesHorizonGivesTheAlertsOfAReplayFromTheStart() throws Exception
    {
        final Path journal = tempDir.resolve("journal");
        writeScenario(journal, scenario(), 30_000, new RuleConfigChange[0], new int[0]);
        // only rules whose state reaches back a bounded time: the warm-up starts after the start of the journal
        final Set<String> bounded = Set.of("large-amount", "large-vs-history", "fan-in", "fan-out",
            "impossible-travel", "new-payee-large", "high-risk-country", "new-account-large");
        final Path rules = tempDir.resolve("bounded.properties");
        final StringBuilder keys = new StringBuilder();
        for (final RuleType<?> type : RuleSettings.defaults().catalog())
        {
            keys.append("rules.").append(type.name()).append(".enabled = ").append(bounded.contains(type.name()))
                .append('\n');
        }
        Files.writeString(rules, keys.toString(), StandardCharsets.UTF_8);

        final Path full = tempDir.resolve("full-alerts");
        final Run whole = replay("--journal", journal.toString(), "--rules", rules.toString(), "--out", full.toString(),
            "--workers", "2");
        assertEquals(0, whole.status(), whole::toString);

        final long middle = records(journal).size() / 2;
        final Run part = replay("--journal", journal.toString(), "--rules", rules.toString(), "--workers", "2",
            "--from-offset", String.valueOf(middle), "--compare", "--alert-journal", full.toString());
        assertEquals(0, part.status(), part::toString);
        assertTrue(part.out().contains("identical: "), part::toString);
        final Matcher from = Pattern.compile("transactions from offset (\\d+)").matcher(part.out());
        assertTrue(from.find(), part::toString);
        final long warmUpFrom = Long.parseLong(from.group(1));
        assertTrue(warmUpFrom > 0 && warmUpFrom < middle, "warm-up from the horizon: " + warmUpFrom);
        assertTrue(AlertDiff.read(full, middle, Long.MAX_VALUE).size() > 0);
    }

    @Test
    void compareListsAlertsAddedRemovedAndChanged()
    {
        final ScenarioGenerator scenario = scenario();
        final Path journal = tempDir.resolve("journal");
        writeScenario(journal, scenario, 20_000, new RuleConfigChange[0], new int[0]);
        final List<AlertEntry> all = new ArrayList<>();
        writeAlerts(journal, tempDir.resolve("all"), 1, (alert) -> all.add(alert), null);
        assertTrue(all.size() > 10, "alerts: " + all.size());
        final long dropped = all.get(1).alertId();
        final long rescored = all.get(5).alertId();
        final long renumbered = all.get(9).alertId();

        final Path alerts = tempDir.resolve("live-alerts");
        writeAlerts(journal, alerts, 1, (alert) -> alert.alertId() != dropped, (alert, length) ->
        {
            changeScore(rescored).apply(alert, length);
            final int at = MessageHeaderDecoder.ENCODED_LENGTH + AlertDecoder.alertIdEncodingOffset();
            if (alert.getLong(at, AlertDecoder.BYTE_ORDER) == renumbered)
            {
                alert.putLong(at, renumbered ^ 0x5A5A_0000L, AlertDecoder.BYTE_ORDER);
            }
        });

        final Run run = replay("--journal", journal.toString(), "--compare", "--alert-journal", alerts.toString());
        assertEquals(1, run.status(), run::toString);
        assertTrue(run.out().contains(": 2 added, 1 removed, 1 changed"), run::toString);
        assertEquals(2, count(run.outLines(), "added   ALERT"), run::toString);
        assertEquals(1, count(run.outLines(), "removed ALERT"), run::toString);
        assertEquals(1, count(run.outLines(), "changed ALERT"), run::toString);
        assertTrue(run.out().contains("id=" + Long.toHexString(dropped)), run::toString);
        assertTrue(run.out().contains("id=" + Long.toHexString(renumbered ^ 0x5A5A_0000L)), run::toString);
    }

    @Test
    void aCandidateWithAHigherLargeAmountThresholdRemovesExactlyThePaymentsBelowIt() throws Exception
    {
        final ScenarioGenerator scenario = scenario();
        final Path journal = tempDir.resolve("journal");
        writeScenario(journal, scenario, 30_000, new RuleConfigChange[0], new int[0]);
        writeAlerts(journal, tempDir.resolve("journal-alerts"), 1, (alert) -> true, null);

        final long threshold = RuleSettings.defaults().parameters(LargeAmountRule.ID).toString().contains("1000000") ?
            1_000_000 : fail("the default large-amount threshold is 1,000,000");
        final long raised = 2_000_000;
        // removed: the payments between the thresholds; changed (score and reason name the threshold): those above
        final Set<Long> expected = new TreeSet<>();
        final Set<Long> expectedChanged = new TreeSet<>();
        for (final long[] record : records(journal))
        {
            if (record[1] == PaymentDecoder.TEMPLATE_ID && record[3] >= threshold)
            {
                (record[3] < raised ? expected : expectedChanged).add(record[0]);
            }
        }
        assertFalse(expected.isEmpty(), "payments between the thresholds");
        assertFalse(expectedChanged.isEmpty(), "payments above both thresholds");

        // the live configuration (the watch list the journal configures) and one change
        final Path candidate = tempDir.resolve("candidate.properties");
        Files.writeString(candidate, String.join("\n",
            "rules.watch-list.watched-accounts = " + join(scenario.watchedAccounts()),
            "rules.watch-list.watched-parties = " + join(scenario.watchedParties()),
            "rules.large-amount.threshold = " + raised, ""), StandardCharsets.UTF_8);

        final Run run = replay("--journal", journal.toString(), "--rules", candidate.toString(), "--compare");
        assertEquals(1, run.status(), run::toString);
        assertTrue(run.out().contains("ConfigChange events are ignored"), run::toString);
        assertTrue(run.out().contains(": 0 added, " + expected.size() + " removed, " + expectedChanged.size() +
            " changed"), run::toString);
        assertEquals(expected, offsets(run, "removed "));
        assertEquals(expectedChanged, offsets(run, "changed "));
    }

    @Test
    void backtestScoresMatchTheHandComputedFixture() throws Exception
    {
        // offsets 0..5; large-amount (threshold 1,000,000) alerts on 0, 2, 3 and 5
        final Path journal = tempDir.resolve("journal");
        writePayments(journal, new long[]{ 2_000_000, 500, 3_000_000, 1_500_000, 100, 5_000_000 });
        final Path labels = tempDir.resolve("labels.csv");
        // fraud: 0, 1, and 5 by its tx id; legit: 2, 4; 3 unlabelled; 99 is no event of the range
        Files.writeString(labels, "# offset or tx, label\n0,fraud\n1,fraud\n2,legit\n4,legit\ntx:5005,fraud\n\n" +
            "99,fraud\n", StandardCharsets.UTF_8);
        final Path onlyLarge = tempDir.resolve("only-large.properties");
        final StringBuilder keys = new StringBuilder();
        for (final RuleType<?> type : RuleSettings.defaults().catalog())
        {
            keys.append("rules.").append(type.name()).append(".enabled = ")
                .append(type.id() == LargeAmountRule.ID).append('\n');
        }
        Files.writeString(onlyLarge, keys.toString(), StandardCharsets.UTF_8);

        final Run run = replay("--journal", journal.toString(), "--rules", onlyLarge.toString(),
            "--labels", labels.toString());
        assertEquals(0, run.status(), run::toString);
        // TP = {0, 5}, FP = {2 legit, 3 unlabelled}, FN = {1}: precision 2/4, recall 2/3, F1 2*2/(2*2+2+1) = 4/7
        assertTrue(run.out().contains("backtest: 3 labelled fraud and 2 labelled legit events in offsets 0..5; " +
            "labels naming no event of the range: 1"), run::toString);
        assertEquals(List.of("large-amount", "2", "2", "1", "0.500", "0.667", "0.571"), row(run, "large-amount"));
        assertEquals(List.of("any", "rule", "2", "2", "1", "0.500", "0.667", "0.571"), row(run, "any rule"));

        // a range with no alert and no positive: every ratio undefined
        final Run empty = replay("--journal", journal.toString(), "--rules", onlyLarge.toString(),
            "--labels", labels.toString(), "--from-offset", "4", "--to-offset", "4");
        assertEquals(0, empty.status(), empty::toString);
        assertEquals(List.of("any", "rule", "0", "0", "0", "n/a", "n/a", "n/a"), row(empty, "any rule"));
        assertEquals("0.333", Backtest.ratio(1, 3));
        assertEquals("0.667", Backtest.ratio(2, 3));
        assertEquals("n/a", Backtest.ratio(0, 0));
    }

    @Test
    void alertsPrintAsTextOrJsonAndGoToANewAlertJournal()
    {
        final Path journal = tempDir.resolve("journal");
        writePayments(journal, new long[]{ 2_000_000, 500, 3_000_000 });
        final Run text = replay("--journal", journal.toString());
        assertEquals(0, text.status(), text::toString);
        assertEquals(2, count(text.outLines(), "ALERT HIGH rule=large-amount/"), text::toString);

        final Run json = replay("--journal", journal.toString(), "--format", "json", "--from-time",
            TimeArgs.format(ScenarioGenerator.Options.DEFAULT_START_EVENT_TIME + 1));
        assertEquals(0, json.status(), json::toString);
        // offsets 1..2: the payment of 3,000,000 at offset 2, large and to a new payee
        assertEquals(2, json.outLines().size(), json::toString);
        for (final String line : json.outLines())
        {
            assertTrue(line.startsWith("{\"alertId\":\"") && line.contains("\"triggeringOffset\":2,"), line);
        }
        assertTrue(json.err().contains("replayed 2 events in offsets 1..2"), json::toString);

        final Path out = tempDir.resolve("replayed-alerts");
        final Run written = replay("--journal", journal.toString(), "--out", out.toString());
        assertEquals(0, written.status(), written::toString);
        assertEquals(count(text.outLines(), "ALERT "), AlertDiff.read(out, 0, 2).size());
        final Run compared = replay("--journal", journal.toString(), "--compare", "--alert-journal", out.toString());
        assertEquals(0, compared.status(), compared::toString);
    }

    @Test
    void toChannelAtMaxSpeedDeliversEveryEventOfTheRangeInOrder() throws Exception
    {
        final Path journal = tempDir.resolve("journal");
        writeScenario(journal, scenario(), 20_000, new RuleConfigChange[0], new int[0]);
        final List<long[]> records = records(journal);
        final int from = 100;
        final int to = 15_099;
        final long expected = to - from + 1;
        final long lastSeq = records.get(to)[2];

        final String aeronDir = tempDir.resolve("aeron").toString();
        MediaDriver driver = null;
        Aeron aeron = null;
        Subscription subscription = null;
        try
        {
            driver = EmbeddedDriver.launch(aeronDir, false);
            aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(aeronDir));
            subscription = aeron.addSubscription("aeron:ipc", 1001);
            final AtomicLong received = new AtomicLong();
            final AtomicLong last = new AtomicLong(-1);
            final AtomicLong outOfOrder = new AtomicLong();
            final Subscription sub = subscription;
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            final Thread consumer = new Thread(() ->
            {
                while (received.get() < expected && System.nanoTime() - deadline < 0)
                {
                    if (sub.poll((buffer, offset, length, header) ->
                    {
                        final long seq = EventEnvelope.producerSeq(buffer, offset);
                        outOfOrder.addAndGet(seq > last.get() ? 0 : 1);
                        last.set(seq);
                        received.incrementAndGet();
                    }, 256) == 0)
                    {
                        Thread.onSpinWait();
                    }
                }
            });
            consumer.start();

            final Run run = replay("--journal", journal.toString(), "--from-offset", String.valueOf(from),
                "--to-offset", String.valueOf(to), "--to-channel", "aeron:ipc", "--aeron-dir", aeronDir,
                "--pace", "max");
            consumer.join(TimeUnit.SECONDS.toMillis(90));
            assertFalse(consumer.isAlive(), "the consumer stops by its deadline");
            assertEquals(0, run.status(), run::toString);
            assertTrue(run.out().contains("published " + expected + " records"), run::toString);
            assertEquals(expected, received.get());
            assertEquals(lastSeq, last.get());
            assertEquals(0, outOfOrder.get());
            assertEquals(records.get(from)[2] + expected - 1, lastSeq, "the range holds scenario events only");
        }
        finally
        {
            CloseHelper.closeAll(subscription, aeron, driver);
        }
    }

    @Test
    void theOriginalPaceKeepsTheIngestGapsScaled() throws Exception
    {
        final Path journal = tempDir.resolve("journal");
        writePayments(journal, new long[]{ 1, 2, 3, 4, 5, 6 }); // a minute apart: 5 minutes
        final String aeronDir = tempDir.resolve("aeron").toString();
        MediaDriver driver = null;
        Aeron aeron = null;
        Subscription subscription = null;
        try
        {
            driver = EmbeddedDriver.launch(aeronDir, false);
            aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(aeronDir));
            subscription = aeron.addSubscription("aeron:ipc", 77);
            final long start = System.nanoTime();
            final Run run = replay("--journal", journal.toString(), "--to-channel", "aeron:ipc", "--stream", "77",
                "--aeron-dir", aeronDir, "--pace", "3000x");
            final long elapsed = System.nanoTime() - start;
            assertEquals(0, run.status(), run::toString);
            assertTrue(elapsed >= TimeUnit.MILLISECONDS.toNanos(100), "5 minutes / 3000 = 100 ms, took " + elapsed);
            final Subscription sub = subscription;
            final int[] received = new int[1];
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (received[0] < 6 && System.nanoTime() - deadline < 0)
            {
                received[0] += sub.poll((buffer, offset, length, header) -> { }, 10);
            }
            assertEquals(6, received[0]);
        }
        finally
        {
            CloseHelper.closeAll(subscription, aeron, driver);
        }
    }

    @Test
    void badArgumentsAreOneLineAndExit2() throws Exception
    {
        final Path journal = tempDir.resolve("journal");
        writePayments(journal, new long[]{ 2_000_000, 500, 3_000_000, 1_500_000, 100, 5_000_000 });
        final String j = journal.toString();
        final Path badKey = tempDir.resolve("bad-key.properties");
        Files.writeString(badKey, "rules.large-amount.thresold = 5\n", StandardCharsets.UTF_8);
        final Path badRule = tempDir.resolve("bad-rule.properties");
        Files.writeString(badRule, "rules.no-such-rule.enabled = true\n", StandardCharsets.UTF_8);
        final Path notRules = tempDir.resolve("not-rules.properties");
        Files.writeString(notRules, "journal.dir = x\n", StandardCharsets.UTF_8);
        final Path goodRules = tempDir.resolve("good.properties");
        Files.writeString(goodRules, "rules.large-amount.threshold = 5\n", StandardCharsets.UTF_8);
        final Path badLabels = tempDir.resolve("labels.csv");
        Files.writeString(badLabels, "0,fraud\n1;legit\n", StandardCharsets.UTF_8);

        final String[][] cases = {
            { "the journal ends at offset 5", "--journal", j, "--from-offset", "6" },
            { "the journal ends at offset 5", "--journal", j, "--to-offset", "100" },
            { "the journal ends at offset 5", "--journal", j, "--from-time", "2100-01-01" },
            { "reversed", "--journal", j, "--from-offset", "4", "--to-offset", "2" },
            { "is not a time", "--journal", j, "--from-time", "yesterday" },
            { "is not a time", "--journal", j, "--to-time", "2026-13-45" },
            { "does not exist", "--journal", tempDir.resolve("missing").toString() },
            { "rules.large-amount.thresold", "--journal", j, "--rules", badKey.toString() },
            { "rules.no-such-rule.enabled", "--journal", j, "--rules", badRule.toString() },
            { "journal.dir", "--journal", j, "--rules", notRules.toString() },
            { "does not exist", "--journal", j, "--rules", tempDir.resolve("none.properties").toString() },
            { "not text or json", "--journal", j, "--format", "xml" },
            { "--workers must be between", "--journal", j, "--workers", "0" },
            { "unknown option", "--journal", j, "--bogus" },
            { "give --journal", "--compare" },
            { "not both", "--journal", j, "--from-offset", "1", "--from-time", "now" },
            { "does not exist", "--journal", j, "--compare" },
            { "line 2", "--journal", j, "--labels", badLabels.toString() },
            { "--pace", "--journal", j, "--to-channel", "aeron:ipc", "--pace", "fast" },
            { "is for --to-channel", "--journal", j, "--stream", "5" },
            { "is not snapshot, auto or all", "--journal", j, "--warm-up", "horizon" },
            { "--max-accounts: must be 2 to", "--journal", j, "--max-accounts", "1" },
            { "--idle-horizon: 'soon' is not a duration", "--journal", j, "--idle-horizon", "soon" },
            { "does not exist", "--journal", j, "--snapshot-dir", tempDir.resolve("no-snapshots").toString() },
            { "needs snapshots", "--journal", j, "--snapshot-dir", "none", "--warm-up", "snapshot" },
            { "is for --warm-up snapshot", "--journal", j, "--snapshot-dir", tempDir.toString(), "--warm-up", "all" },
            { "is not for --rules", "--journal", j, "--rules", goodRules.toString(), "--warm-up", "snapshot" },
            { "is not for --rules", "--journal", j, "--rules", goodRules.toString(), "--snapshot-dir", j },
        };
        for (final String[] c : cases)
        {
            final String[] args = java.util.Arrays.copyOfRange(c, 1, c.length);
            final Run run = replay(args);
            final String what = String.join(" ", args) + " -> " + run;
            assertEquals(2, run.status(), what);
            assertEquals(1, run.errLines().size(), what);
            assertTrue(run.err().startsWith("txmon replay: "), what);
            assertTrue(run.err().contains(c[0]), what);
            assertFalse(run.err().contains("Exception") || run.err().contains("\tat "), what);
            assertEquals("", run.out(), what);
        }
    }

    @Test
    void helpListsEveryOption()
    {
        final Run run = replay("--help");
        assertEquals(0, run.status());
        for (final String option : List.of("--journal", "--from-offset", "--from-time", "--to-offset", "--to-time",
            "--rules", "--workers", "--warm-up", "--snapshot-dir", "--format", "--out", "--compare", "--alert-journal",
            "--labels", "--to-channel", "--stream", "--aeron-dir", "--pace", "--max-accounts", "--idle-horizon",
            "--help"))
        {
            assertTrue(run.out().contains(option), option);
        }
        assertTrue(run.out().contains("tx:<txId>"));
    }

    private static ScenarioGenerator scenario()
    {
        return new ScenarioGenerator(SEED, ScenarioGenerator.Options.defaults().withAccounts(5_000));
    }

    private static int count(final List<String> lines, final String prefix)
    {
        return (int)lines.stream().filter((line) -> line.startsWith(prefix)).count();
    }

    private static Set<Long> offsets(final Run run, final String prefix)
    {
        final Set<Long> offsets = new TreeSet<>();
        for (final String line : run.outLines())
        {
            if (line.startsWith(prefix))
            {
                assertTrue(line.contains(" rule=large-amount/"), line);
                final Matcher offset = OFFSET.matcher(line);
                assertTrue(offset.find(), line);
                offsets.add(Long.parseLong(offset.group(1)));
            }
        }
        return offsets;
    }

    private static List<String> row(final Run run, final String name)
    {
        for (final String line : run.outLines())
        {
            if (line.startsWith(name + " "))
            {
                return List.of(line.trim().split("\\s+"));
            }
        }
        return fail("no row " + name + " in " + run);
    }
}
