package io.txmon.tools;

import io.txmon.cli.CliArgs;
import io.txmon.events.codec.Channel;
import io.txmon.events.codec.MessageHeaderEncoder;
import io.txmon.events.codec.PaymentEncoder;
import io.txmon.journal.JournalWriter;
import io.txmon.rules.config.RuleSettings;
import io.txmon.rules.config.RuleType;
import io.txmon.rules.typology.FanInRule;
import io.txmon.rules.typology.LargeAmountRule;
import io.txmon.scenario.ScenarioGenerator;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.txmon.tools.ReplayTestSupport.CONFIG;
import static io.txmon.tools.ReplayTestSupport.Run;
import static io.txmon.tools.ReplayTestSupport.replay;
import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code txmon replay --labels} as an evaluation kit, on a small journal whose right answer is worked out by hand:
 * scenario labels, an alert true only through its evidence, a scenario missed, an unlabelled alert, evidence before
 * the range labelled by tx id, the binary format alongside, and the report as text, JSON and CSV.
 * <p>
 * The fixture, payments a minute apart; only fan-in (3 senders) and large-amount (1,000,000) run:
 * <pre>
 * offset tx   debtor creditor amount     label         alert
 * 0      100  11     500      1,000      fan-in:1
 * 1      101  12     500      1,000      fan-in:1
 * 2      102  13     500      1,000      -             fan-in on 500, evidence 2, 0, 1: true by its evidence
 * 3      103  600    21       2,000      fan-out:2     -   (missed)
 * 4      104  600    22       2,000      fan-out:2     -
 * 5      105  700    701      5,000,000  cycle:3       large-amount on 700: true by its trigger
 * 6      106  800    801      3,000,000  -             large-amount on 800: false
 * 7      107  900    901      500        legit
 * 8      108  902    903      700        fraud
 * </pre>
 */
class ReplayLabelsTest
{
    private static final long[][] FIXTURE = {
        // tx, debtor, creditor, amount
        { 100, 11, 500, 1_000 },
        { 101, 12, 500, 1_000 },
        { 102, 13, 500, 1_000 },
        { 103, 600, 21, 2_000 },
        { 104, 600, 22, 2_000 },
        { 105, 700, 701, 5_000_000 },
        { 106, 800, 801, 3_000_000 },
        { 107, 900, 901, 500 },
        { 108, 902, 903, 700 },
    };
    private static final String SCENARIO_LABELS = String.join("\n",
        "# the fixture's labels: offsets and tx ids, scenarios and binary words",
        "0,fan-in:1",
        " 1 , fan-in:1 ",
        "tx:103,fan-out:2",
        "TX:104,fan-out:2",
        "",
        "tx:105,cycle:3",
        "7,legit",
        "tx:108,fraud",
        "tx:999,laundering-9",
        "");

    @TempDir
    Path tempDir;

    private Path journal;
    private Path rules;

    @BeforeEach
    void writeFixture() throws Exception
    {
        journal = tempDir.resolve("journal");
        writePayments(journal, FIXTURE);
        rules = tempDir.resolve("fan-in-and-large.properties");
        final StringBuilder keys = new StringBuilder("rules.fan-in.min-senders = 3\n");
        for (final RuleType<?> type : RuleSettings.defaults().catalog())
        {
            keys.append("rules.").append(type.name()).append(".enabled = ")
                .append(type.id() == FanInRule.ID || type.id() == LargeAmountRule.ID).append('\n');
        }
        Files.writeString(rules, keys.toString(), StandardCharsets.UTF_8);
    }

    @Test
    void scenariosAreDetectedThroughTriggersAndEvidenceAndTheMissedOneIsListed() throws Exception
    {
        final Run run = evaluate(labels(SCENARIO_LABELS));
        assertEquals(0, run.status(), run::toString);

        // by triggering event, as before: positives 0, 1, 3, 4, 5, 8; fan-in's trigger 2 is unlabelled
        assertEquals(List.of("fan-in", "0", "1", "6", "0.000", "0.000", "0.000"), row(run, "fan-in"));
        assertEquals(List.of("large-amount", "1", "1", "5", "0.500", "0.167", "0.250"), row(run, "large-amount"));
        assertTrue(run.out().contains("backtest: 6 labelled fraud and 1 labelled legit events in offsets 0..8; " +
            "labels naming no event of the range: 1"), run::toString);

        // with evidence: fan-in's alert is true by offsets 0 and 1; 9 payments, so 1 alert is 111.11 per 1,000
        assertTrue(run.out().contains("evaluation of offsets 0..8: 9 transactions, 6 events labelled positive and " +
            "1 negative, 3 scenarios in the range"), run::toString);
        final List<String> evaluated = evaluationLines(run);
        assertEquals(List.of("fan-in", "1", "1", "1.000", "111.11", "1", "0.333"), row(evaluated, "fan-in"));
        assertEquals(List.of("large-amount", "2", "1", "0.500", "222.22", "1", "0.333"),
            row(evaluated, "large-amount"));
        assertEquals(List.of("all", "rules", "3", "2", "0.667", "333.33", "2", "0.667"), row(evaluated, "all rules"));

        // laundering-9 names no event of the range: not counted
        assertEquals(List.of("cycle", "1", "1", "1.000"), row(evaluated, "cycle"));
        assertEquals(List.of("fan-out", "1", "0", "0.000"), row(evaluated, "fan-out"));
        assertEquals(List.of("all", "scenarios", "3", "2", "0.667"), row(evaluated, "all scenarios"));
        assertEquals("missed scenarios: 1 of 3: fan-out:2", line(evaluated, "missed scenarios: "));

        // touched: 0 and 1 (evidence) and 5 (trigger) of 0, 1, 3, 4, 5, 8
        assertTrue(run.out().contains("positive events touched by an alert: 3 of 6, recall 0.500"), run::toString);
        // alerted 500, 700, 800; suspicious 11, 12, 500, 600, 21, 22, 700, 701, 902, 903
        assertTrue(run.out().contains("accounts: 3 alerted, 10 suspicious (named by a positive event), 2 both: " +
            "precision 0.667, recall 0.200"), run::toString);
        assertTrue(run.out().contains("cases: not scored yet; case scoring comes with cases"), run::toString);
        assertFalse(run.out().contains("ALERT "), "no alert printed with --labels: " + run);
    }

    @Test
    void evidenceBeforeTheRangeIsLabelledByItsTxIdReadFromTheJournal() throws Exception
    {
        // fan-in:1 is only before the range, by tx id: the fan-in alert at 2 is true only if 0 and 1 are looked up
        final Path labels = labels("tx:100,fan-in:1\ntx:101,fan-in:1\ntx:103,fan-out:2\ntx:105,cycle:3\n");
        final Run run = evaluate(labels, "--from-offset", "2");
        assertEquals(0, run.status(), run::toString);
        final List<String> evaluated = evaluationLines(run);
        assertEquals(List.of("fan-in", "1", "1", "1.000", "142.86", "0", "0.000"), row(evaluated, "fan-in"));
        // fan-in:1 has no event in the range: not in the recall
        assertTrue(run.out().contains("2 scenarios in the range"), run::toString);
        assertEquals(List.of("all", "scenarios", "2", "1", "0.500"), row(evaluated, "all scenarios"));
        // the events before the range are not positive events of the range
        assertTrue(run.out().contains("positive events touched by an alert: 1 of 2, recall 0.500"), run::toString);

        // the same labels by offset need no lookup and give the same
        final Run byOffset = evaluate(labels("0,fan-in:1\n1,fan-in:1\ntx:103,fan-out:2\ntx:105,cycle:3\n"),
            "--from-offset", "2");
        assertEquals(row(evaluated, "all rules"), row(evaluationLines(byOffset), "all rules"), byOffset::toString);
    }

    @Test
    void aBinaryFileIsScoredByTriggeringEventAsBeforeAndByEvidenceToo() throws Exception
    {
        final Run run = evaluate(labels("0,fraud\n1,positive\n5,1\n6,legit\n7,negative\n8,0\n"));
        assertEquals(0, run.status(), run::toString);
        assertTrue(run.out().contains("backtest: 3 labelled fraud and 3 labelled legit events in offsets 0..8; " +
            "labels naming no event of the range: 0"), run::toString);
        assertEquals(List.of("large-amount", "1", "1", "2", "0.500", "0.333", "0.400"), row(run, "large-amount"));
        assertEquals(List.of("any", "rule", "1", "2", "2", "0.333", "0.333", "0.333"), row(run, "any rule"));

        final List<String> evaluated = evaluationLines(run);
        assertEquals(List.of("fan-in", "1", "1", "1.000", "111.11", "0", "n/a"), row(evaluated, "fan-in"));
        assertTrue(run.out().contains("scenarios: none named in the labels"), run::toString);
        assertFalse(run.out().contains("missed scenarios"), run::toString);
        assertTrue(run.out().contains("positive events touched by an alert: 3 of 3, recall 1.000"), run::toString);
    }

    @Test
    void jsonIsOneObjectAndCsvHasFourFieldsARowWithTheNotesOnStandardError() throws Exception
    {
        final Path labels = labels(SCENARIO_LABELS);
        final Run json = evaluate(labels, "--format", "json");
        assertEquals(0, json.status(), json::toString);
        assertEquals(1, json.outLines().size(), json::toString);
        final String object = json.outLines().get(0);
        assertTrue(object.startsWith("{\"from\":0,\"to\":8,\"transactions\":9,"), object);
        assertTrue(object.endsWith("}"), object);
        assertTrue(object.contains("{\"ruleId\":8,\"rule\":\"fan-in\",\"alerts\":1,\"trueAlerts\":1," +
            "\"precision\":1.000,\"alertsPer1kTransactions\":111.11,\"scenariosDetected\":1,\"scenarioRecall\":0.333}"),
            object);
        assertTrue(object.contains("\"allRules\":{\"alerts\":3,\"trueAlerts\":2,\"precision\":0.667,"), object);
        assertTrue(object.contains("\"missedScenarios\":[{\"scenario\":\"fan-out:2\",\"type\":\"fan-out\"}]"), object);
        assertTrue(object.contains("\"accounts\":{\"alerted\":3,\"suspicious\":10,\"alertedSuspicious\":2," +
            "\"precision\":0.667,\"recall\":0.200}"), object);
        assertTrue(object.contains("\"cases\":{\"scored\":false,"), object);
        assertTrue(object.contains("{\"ruleId\":8,\"rule\":\"fan-in\",\"tp\":0,\"fp\":1,\"fn\":6,\"precision\":0.000"),
            object);
        assertTrue(object.endsWith("{\"ruleId\":null,\"rule\":\"any rule\",\"tp\":1,\"fp\":2,\"fn\":5," +
            "\"precision\":0.333,\"recall\":0.167,\"f1\":0.222}]}"), object);
        assertTrue(json.err().contains("replayed 9 events in offsets 0..8"), json::toString);

        final Run csv = evaluate(labels, "--format", "csv");
        assertEquals(0, csv.status(), csv::toString);
        final List<String> lines = csv.outLines();
        assertEquals("section,name,metric,value", lines.get(0));
        for (final String line : lines)
        {
            assertEquals(4, line.split(",", -1).length, line);
        }
        assertTrue(lines.contains("rule,fan-in,precision,1.000"), csv::toString);
        assertTrue(lines.contains("rule,large-amount,alerts-per-1k-transactions,222.22"), csv::toString);
        assertTrue(lines.contains("all-scenarios,,recall,0.667"), csv::toString);
        assertTrue(lines.contains("missed-scenario,fan-out:2,type,fan-out"), csv::toString);
        assertTrue(lines.contains("by-triggering-event,fan-in,fp,1"), csv::toString);
        assertEquals("by-triggering-event,any rule,f1,0.222", lines.get(lines.size() - 1), csv::toString);
        assertTrue(csv.err().contains("warm-up: "), csv::toString);
    }

    @Test
    void theTableListsTwentyMissedScenariosAndJsonAllOfThem() throws Exception
    {
        final StringBuilder text = new StringBuilder();
        final Path small = tempDir.resolve("small");
        final long[][] payments = new long[25][];
        for (int i = 0; i < payments.length; i++)
        {
            payments[i] = new long[]{ 2000 + i, 40 + i, 70 + i, 100 };
            text.append(i).append(",smurfing:").append(i).append('\n');
        }
        writePayments(small, payments);
        final Path labels = labels(text.toString());
        final Run run = replay("--journal", small.toString(), "--rules", rules.toString(), "--labels",
            labels.toString());
        assertEquals(0, run.status(), run::toString);
        final String missed = line(run.outLines(), "missed scenarios: ");
        assertTrue(missed.startsWith("missed scenarios: 25 of 25: smurfing:0, smurfing:1, "), missed);
        assertTrue(missed.contains("smurfing:19, ... and 5 more (all of them with --format json or csv)"), missed);
        assertFalse(missed.contains("smurfing:20"), missed);

        final Run json = replay("--journal", small.toString(), "--rules", rules.toString(), "--labels",
            labels.toString(), "--format", "json");
        assertEquals(0, json.status(), json::toString);
        assertTrue(json.out().contains("{\"scenario\":\"smurfing:24\",\"type\":\"smurfing\"}]"), json::toString);
        assertEquals(25, json.out().split("\"scenario\":").length - 1, json::toString);
    }

    @Test
    void labelsFileScenarioNamesTypesAndMembershipOfSeveralScenarios() throws Exception
    {
        final Labels labels = Labels.load(labels(String.join("\n",
            "3,fan-in:7", "3,cycle:2", "3,fan-in:7", "3,fraud", "tx:55,laundering-4", "tx:55,legit2", "9,fraud",
            "9,legit", "10,legit", "10,fraud", "")));
        assertEquals(4, labels.scenarioCount());
        assertEquals("fan-in:7", labels.scenarioName(0));
        assertEquals("fan-in", labels.typeName(labels.scenarioType(0)));
        assertEquals("cycle", labels.typeName(labels.scenarioType(1)));
        assertEquals(-1, labels.scenarioType(2), "laundering-4 has no type");

        final long three = labels.ofOffset(3);
        assertTrue(Labels.isPositive(three));
        assertEquals(2, labels.scenarioCountOf(three));
        assertEquals(0, labels.scenarioOf(three, 0));
        assertEquals(1, labels.scenarioOf(three, 1));
        assertEquals(2, labels.scenarioCountOf(labels.ofTx(55)));
        // binary words: the last one wins, as the binary format always had it
        assertEquals(Labels.LEGIT, labels.ofOffset(9));
        assertEquals(Labels.FRAUD, labels.ofOffset(10));
        // an event's offset and tx labels together: positive wins, scenarios add up
        assertEquals(Labels.LEGIT, labels.of(9, 77));
        assertEquals(2, labels.scenarioCountOf(labels.of(9, 55)));
        assertEquals(Labels.FRAUD, labels.of(10, 0));
        assertEquals(4, labels.scenarioCountOf(labels.merge(three, labels.ofTx(55))));
        assertEquals(labels.ofTx(55), labels.merge(labels.ofTx(55), labels.ofTx(55)));
        assertEquals(Labels.NONE, labels.of(4, 0));
    }

    @Test
    void aLargeLabelsFileLoadsWithEveryLabel() throws Exception
    {
        final Path file = tempDir.resolve("large.csv");
        final StringBuilder text = new StringBuilder(8 * 1024 * 1024);
        for (int i = 0; i < 200_000; i++)
        {
            text.append("tx:").append(1_000_000 + i).append(',').append(i % 7 == 0 ? "legit" : "fan-in:" + i / 1_000)
                .append('\n');
        }
        Files.writeString(file, text, StandardCharsets.UTF_8);
        final Labels labels = Labels.load(file);
        assertEquals(200_000, labels.txCount());
        assertEquals(200, labels.scenarioCount());
        assertEquals(1, labels.typeCount());
        assertEquals(Labels.LEGIT, labels.ofTx(1_000_000));
        assertEquals(199, labels.scenarioOf(labels.ofTx(1_199_999), 0));
    }

    @Test
    void aBadLabelNamesTheFileAndLineAndSaysWhatToDo() throws Exception
    {
        final String[][] cases = {
            { "0,fan-in:1\n1;fan-in:1\n", "line 2 '1;fan-in:1': give <offset>,<label>" },
            { "tx_id,scenario\n", "line 1 'tx_id,scenario': 'tx_id' is not a whole number; a header line? start " +
                "it with #" },
            { "# c\n0,fan-in:1,x\n", "line 2 '0,fan-in:1,x': more than two fields" },
            { "tx:5,17\n", "line 1 'tx:5,17': label '17' is a bare number: 1 and 0 are binary labels, so name a " +
                "scenario with a word, e.g. laundering-17 or fan-in:17" },
            { "tx:5,True\n", "label 'True' is ambiguous: give fraud or legit for a binary label, or name the " +
                "scenario" },
            { "tx:5,fan-in:1\ntx:5,legit\n", "line 2 'tx:5,legit': tx:5 is labelled legit and in a scenario" },
            { "-3,fraud\n", "an offset is not negative" },
            { "4,\n", "line 1 '4,': no label after the comma" },
            { "tx:abc,fraud\n", "'abc' is not a whole number" },
        };
        for (final String[] c : cases)
        {
            final Path file = labels(c[0]);
            final CliArgs.UsageException ex = assertThrows(CliArgs.UsageException.class, () -> Labels.load(file),
                c[0]);
            assertTrue(ex.getMessage().startsWith("--labels " + file + " line "), ex.getMessage());
            assertTrue(ex.getMessage().contains(c[1]), ex.getMessage());
        }
        final CliArgs.UsageException missing = assertThrows(CliArgs.UsageException.class,
            () -> Labels.load(tempDir.resolve("none.csv")));
        assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());

        final Path good = labels(SCENARIO_LABELS);
        final String j = journal.toString();
        final String[][] commandLines = {
            { "--format csv is for the --labels report", "--journal", j, "--format", "csv" },
            { "not text or json (or csv, for --labels)", "--journal", j, "--labels", good.toString(), "--format",
                "xml" },
            { "run them one at a time", "--journal", j, "--labels", good.toString(), "--format", "json",
                "--compare" },
            { "is a bare number", "--journal", j, "--labels", labels("0,2\n").toString() },
        };
        for (final String[] c : commandLines)
        {
            final Run run = replay(java.util.Arrays.copyOfRange(c, 1, c.length));
            assertEquals(2, run.status(), run::toString);
            assertEquals(1, run.errLines().size(), run::toString);
            assertTrue(run.err().contains(c[0]), run::toString);
            assertEquals("", run.out(), run::toString);
        }
    }

    private Run evaluate(final Path labels, final String... more)
    {
        final List<String> args = new ArrayList<>(List.of(
            "--journal", journal.toString(), "--rules", rules.toString(), "--labels", labels.toString()));
        args.addAll(List.of(more));
        return replay(args.toArray(new String[0]));
    }

    private Path labels(final String text) throws Exception
    {
        final Path file = Files.createTempFile(tempDir, "labels", ".csv");
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    /**
     * Journal payments {tx, debtor, creditor, amount} a minute apart, in euro cents.
     */
    private static void writePayments(final Path journal, final long[][] payments)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
        final PaymentEncoder payment = new PaymentEncoder();
        try (JournalWriter writer = JournalWriter.open(journal, CONFIG))
        {
            for (int i = 0; i < payments.length; i++)
            {
                final long time = ScenarioGenerator.Options.DEFAULT_START_EVENT_TIME + i * 60_000_000_000L;
                payment.wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
                    .producerId(7).producerSeq(i).eventTime(time).txId(payments[i][0])
                    .debtorAccount(payments[i][1]).creditorAccount(payments[i][2]).amount(payments[i][3]).currency(978)
                    .channel(Channel.SEPA).debtorCountry("DE").creditorCountry("FR").latitude(0).longitude(0)
                    .reference("labelled");
                final long offset = writer.append(
                    buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + payment.encodedLength(),
                    PaymentEncoder.TEMPLATE_ID, time);
                assertEquals(i, offset);
            }
        }
    }

    /**
     * The lines of the evaluation, after the table by triggering event.
     */
    private static List<String> evaluationLines(final Run run)
    {
        final List<String> lines = run.outLines();
        for (int i = 0; i < lines.size(); i++)
        {
            if (lines.get(i).startsWith("evaluation of offsets "))
            {
                return lines.subList(i, lines.size());
            }
        }
        return fail("no evaluation in " + run);
    }

    private static String line(final List<String> lines, final String prefix)
    {
        for (final String line : lines)
        {
            if (line.startsWith(prefix))
            {
                return line;
            }
        }
        return fail("no line " + prefix + " in " + lines);
    }

    private static List<String> row(final Run run, final String name)
    {
        return row(run.outLines(), name);
    }

    private static List<String> row(final List<String> lines, final String name)
    {
        return List.of(line(lines, name + " ").trim().split("\\s+"));
    }
}
