package io.txmon.perf.bench;

import io.txmon.events.EventEnvelope;
import io.txmon.journal.JournalReader;
import io.txmon.perf.PerfCli;
import io.txmon.rules.config.RuleSettings;
import io.txmon.rules.typology.Typologies;
import io.txmon.sequencer.Engine;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.HistogramLogReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Runs {@code txmon bench} for a few seconds and checks its outputs are well formed and agree with each other. The
 * figures themselves are not asserted: this machine is shared and noisy.
 */
class BenchCommandTest
{
    /** Typologies the bench runs and plants. */
    private static final int TYPOLOGIES = Typologies.catalog().size();

    @TempDir
    Path tempDir;

    @Test
    void aShortRunWritesConsistentReportsAndAlertsEveryPlantedCase() throws Exception
    {
        final Path out = tempDir.resolve("out");
        final Run run = bench("--rate", "20000", "--warmup", "1s", "--duration", "2s", "--accounts", "5000",
            "--producers", "2", "--out", out.toString(), "--quiet");
        assertEquals(0, run.status, run::describe);
        assertEquals("", run.err, "nothing on stderr off a terminal");

        for (final String file : List.of(
            "bench.hlog", "raw-ipc.hgrm", "journaled.hgrm", "decision.hgrm", "report.html", "summary.json"))
        {
            assertTrue(Files.size(out.resolve(file)) > 0, file);
        }

        // the interval log: the three series, and per tag as many values as the summary says were measured
        final Map<String, Long> counts = hlogCounts(out.resolve("bench.hlog"));
        assertEquals(List.of("decision", "journaled", "raw-ipc"), List.copyOf(counts.keySet()));
        final String summary = Files.readString(out.resolve("summary.json"));
        final List<Long> measured = longs(summary, "\"measured\": (\\d+)");
        assertEquals(2, measured.size(), summary);
        assertEquals(measured.get(0), counts.get("raw-ipc"), summary);
        assertEquals(measured.get(1), counts.get("journaled"), summary);
        assertEquals(measured.get(1), counts.get("decision"), summary);
        // 2 producers x 20,000/s x 2 s measured, give or take the rounding of the schedule
        assertTrue(Math.abs(measured.get(1) - 40_000) <= 2, summary);

        // every event sent came through; each producer's 30,000-event stream plants one case of each typology
        assertEquals(longs(summary, "\"sent\": (\\d+)"), longs(summary, "\"completed\": (\\d+)"), summary);
        assertEquals(List.of(0L, 2L * TYPOLOGIES), longs(summary, "\"planted\": (\\d+)"), summary);
        assertEquals(List.of(0L, 0L), longs(summary, "\"missed\": (\\d+)"), summary);

        // percentile distributions end with the footer the HdrHistogram tools read
        for (final String series : List.of("raw-ipc", "journaled", "decision"))
        {
            final String hgrm = Files.readString(out.resolve(series + ".hgrm"));
            final Matcher footer = Pattern.compile("Total count\\s*=\\s*(\\d+)").matcher(hgrm);
            assertTrue(footer.find(), hgrm);
            assertEquals(counts.get(series), Long.parseLong(footer.group(1)), series);
        }

        // the HTML parses as XML and has a chart line per series
        final String html = Files.readString(out.resolve("report.html"));
        final Document document = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(
            new ByteArrayInputStream(html.replaceFirst("(?i)<!DOCTYPE html>", "").getBytes(StandardCharsets.UTF_8)));
        assertEquals(3, document.getElementsByTagName("polyline").getLength(), "one line per series");

        assertTrue(run.out.contains(planted(2)), run.out);
        assertTrue(run.out.contains("against raw Aeron IPC at the same rate"), run.out);
    }

    /**
     * Issue 13, item 7: the engine and the raw baseline both in the {@code yielding} profile, the producer pacing
     * itself as the profile's threads wait, by yielding.
     */
    @Test
    void theYieldingProfileRunsTheEngineAndTheBaselineAndAlertsEveryPlantedCase() throws Exception
    {
        final Path out = tempDir.resolve("yielding");
        final Run run = bench("--profile", "yielding", "--pacing", "yield", "--rate", "10000", "--warmup", "1s",
            "--duration", "1s", "--accounts", "2000", "--out", out.toString(), "--quiet");
        assertEquals(0, run.status, run::describe);
        assertTrue(run.out.contains("1 producer (yield pacing), " + TYPOLOGIES + " of " + TYPOLOGIES +
            " rules, 1 worker, yielding profile"), run.out);
        assertTrue(run.out.contains("0 missed"), run.out);
        assertTrue(run.out.contains("against raw Aeron IPC at the same rate"), run.out);
        assertTrue(Files.readString(out.resolve("summary.json")).contains("yielding profile"));
    }

    @Test
    void findMaxStepsTheRateAndWritesTheCurve() throws Exception
    {
        final Path out = tempDir.resolve("curve");
        // bounds no run can break, so every step is sustained and the steps are exactly 10k, 15k
        final Run run = bench("--find-max", "--rate", "10000", "--step", "1.5", "--max-rate", "16000",
            "--warmup", "1s", "--duration", "1s", "--accounts", "2000", "--max-p99", "60s", "--max-backlog", "1h",
            "--out", out.toString());
        assertEquals(0, run.status, run::describe);

        final List<String> csv = Files.readAllLines(out.resolve("find-max.csv"));
        assertEquals(3, csv.size(), String.join("\n", csv));
        assertTrue(csv.get(1).startsWith("10000,"), csv.get(1));
        assertTrue(csv.get(2).startsWith("15000,"), csv.get(2));
        assertTrue(csv.get(1).endsWith(",true") && csv.get(2).endsWith(",true"), String.join("\n", csv));
        assertTrue(run.out.contains("highest sustained rate: 15,000 events/s offered"), run.out);
        assertTrue(Files.size(out.resolve("decision.hgrm")) > 0);
        final Map<String, Long> counts = hlogCounts(out.resolve("bench.hlog"));
        assertEquals(List.of("decision", "journaled"), List.copyOf(counts.keySet()));
        // 10,000/s and 15,000/s for 1 s measured each
        assertTrue(Math.abs(counts.get("decision") - 25_000) <= 2, counts::toString);
    }

    /**
     * {@code --connect}: an engine started as {@code txmon run --config} would start it with the file
     * {@code --print-config} writes, then two runs against it one after the other. Both see every event through
     * (journaled from its acknowledgement, decided from the engine's counter) and every planted case alerted: the
     * second run's producers plant on accounts the first did not touch.
     */
    @Test
    void connectDrivesARunningEngineRunAfterRun() throws Exception
    {
        final Run config = bench("--print-config");
        assertEquals(0, config.status, config::describe);
        final Properties properties = new Properties();
        properties.load(new StringReader(config.out));
        final Map<String, String> keys = new TreeMap<>();
        properties.forEach((k, v) -> keys.put((String)k, (String)v));
        assertEquals(Set.of("rules.watch-list.watched-accounts", "rules.watch-list.watched-parties",
            "max-event-time-ahead"), keys.keySet());
        assertEquals("none", keys.get("max-event-time-ahead"), "the scenario's timeline is not the engine's clock");

        final Path aeronDir = tempDir.resolve("aeron");
        try (Engine engine = Engine.launch(new Engine.Context()
            .aeronDirectoryName(aeronDir.toString())
            .journalDir(tempDir.resolve("journal"))
            .alertJournalDir(tempDir.resolve("alerts"))
            .maxEventTimeAheadNs(Long.MAX_VALUE)
            .ruleSettings(RuleSettings.defaults().with(keys))))
        {
            long sentBefore = 0;
            for (int i = 0; i < 2; i++)
            {
                final long watermark = engine.counters().newestEventTime();
                final long firstOffset = engine.counters().journaled();
                final Path out = tempDir.resolve("connect-" + i);
                final Run run = bench("--connect", "--aeron-dir", aeronDir.toString(), "--rate", "10000",
                    "--warmup", "1s", "--duration", "2s", "--accounts", "2000", "--producers", "2",
                    "--out", out.toString(), "--no-baseline", "--quiet");
                assertEquals(0, run.status, run::describe);
                assertTrue(run.out.contains(planted(2)), run.out);

                final String summary = Files.readString(out.resolve("summary.json"));
                final long sent = longs(summary, "\"sent\": (\\d+)").get(0);
                assertEquals(sent, longs(summary, "\"completed\": (\\d+)").get(0), summary);
                final Map<String, Long> counts = hlogCounts(out.resolve("bench.hlog"));
                assertEquals(List.of("decision", "journaled"), List.copyOf(counts.keySet()));
                final long measured = longs(summary, "\"measured\": (\\d+)").get(0);
                // 10,000/s for 2 s measured, the two producers together
                assertTrue(Math.abs(measured - 20_000) <= 2, summary);
                assertEquals(measured, counts.get("journaled"), summary);
                assertEquals(measured, counts.get("decision"), summary);
                // the engine took every event of both runs, none dropped as a duplicate of the first run's
                assertEquals(sentBefore + sent, engine.counters().received(), summary);
                assertEquals(0, engine.counters().duplicates());
                assertEquals(0, engine.counters().rejected());
                sentBefore += sent;
                // a run's event times go on after the journal's newest, as a live stream's do: the engine's
                // per-account state from the run before never sees time go back
                final long[] earliest = {Long.MAX_VALUE};
                try (JournalReader reader = JournalReader.open(tempDir.resolve("journal")))
                {
                    assertTrue(reader.seek(firstOffset));
                    while (reader.poll((offset, timestamp, templateId, buffer, at, length) ->
                        earliest[0] = Math.min(earliest[0], EventEnvelope.eventTime(buffer, at)), 4096) > 0)
                    {
                    }
                }
                assertTrue(earliest[0] > watermark, () -> "run " + run + " starts at event time " + earliest[0] +
                    ", the journal was at " + watermark);
            }
        }
    }

    @Test
    void connectSaysWhenNoEngineIsThere()
    {
        final Run run = bench("--connect", "--aeron-dir", tempDir.resolve("nothing").toString(), "--duration", "1s",
            "--out", tempDir.resolve("out").toString());
        assertEquals(1, run.status, run::describe);
        assertEquals(1, run.err.lines().count(), run::describe);
        assertTrue(run.err.contains("no media driver is running in"), run::describe);
    }

    @Test
    void badCommandLinesSayWhatIsWrongInOneLine()
    {
        final Object[][] cases = {
            { new String[]{ "--rate", "fast" }, "--rate must be a rate such as 100000, 250k or 1.5m" },
            { new String[]{ "--transport", "tcp" }, "--transport must be ipc or udp" },
            { new String[]{ "--duration", "10" }, "--duration: '10' is not a duration" },
            { new String[]{ "--producers", "9" }, "--producers" },
            { new String[]{ "--pacing", "sleep" }, "--pacing must be park, spin or yield" },
            { new String[]{ "--profile", "turbo" }, "--profile must be compact, yielding or low-latency, was 'turbo'" },
            { new String[]{ "--nonsense" }, "unknown option '--nonsense'" },
            { new String[]{ "--rate", "10", "--duration", "10ms" }, "less than one measured event" },
            { new String[]{ "--connect", "--workers", "2" }, "--workers sets up the embedded engine" },
            { new String[]{ "--aeron-dir", "/tmp" }, "--aeron-dir says where a running engine is" },
            { new String[]{ "--max-accounts", "1" }, "--max-accounts: must be 2 to 268,435,456, was 1" },
            { new String[]{ "--connect", "--max-accounts", "1000" }, "--max-accounts sets up the embedded engine" },
        };
        for (final Object[] c : cases)
        {
            final String[] args = (String[])c[0];
            final Run run = bench(args);
            assertEquals(2, run.status, () -> String.join(" ", args) + ": " + run.describe());
            assertEquals(1, run.err.lines().count(), run::describe);
            assertTrue(run.err.contains((String)c[1]), run::describe);
            assertEquals("", run.out);
        }
        final Run help = bench("--help");
        assertEquals(0, help.status);
        assertTrue(help.out.contains("--find-max"));
        assertTrue(help.out.contains("--max-accounts"));
        assertTrue(help.out.contains("compact (default"), help.out);
        assertTrue(help.out.contains("yielding (compact's"), help.out);
        assertTrue(help.out.contains("low-latency (a"), help.out);
    }

    private static Map<String, Long> hlogCounts(final Path file) throws Exception
    {
        final Map<String, Long> counts = new TreeMap<>();
        final HistogramLogReader reader = new HistogramLogReader(file.toFile());
        try
        {
            EncodableHistogram interval;
            while (null != (interval = reader.nextIntervalHistogram()))
            {
                final org.HdrHistogram.Histogram h = (org.HdrHistogram.Histogram)interval;
                counts.merge(h.getTag(), h.getTotalCount(), Long::sum);
            }
        }
        finally
        {
            reader.close();
        }
        return counts;
    }

    private static List<Long> longs(final String text, final String regex)
    {
        final Matcher m = Pattern.compile(regex).matcher(text);
        final java.util.ArrayList<Long> values = new java.util.ArrayList<>();
        while (m.find())
        {
            values.add(Long.parseLong(m.group(1)));
        }
        return values;
    }

    private static Run bench(final String... args)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final String[] all = new String[args.length + 1];
        all[0] = "bench";
        System.arraycopy(args, 0, all, 1, args.length);
        final int status = PerfCli.run(all, new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private record Run(int status, String out, String err)
    {
        String describe()
        {
            return "exit " + status + "\nout:\n" + out + "\nerr:\n" + err;
        }
    }

    /**
     * @param perTypology cases planted of each typology.
     * @return the line a bench prints when every case planted alerted.
     */
    private static String planted(final int perTypology)
    {
        final int cases = perTypology * TYPOLOGIES;
        return "planted: " + cases + " cases of " + TYPOLOGIES + " typologies, " + cases + " alerted, 0 missed";
    }
}
