package io.txmon.perf.report;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

import static io.txmon.perf.report.ReportFiles.jsonField;
import static io.txmon.perf.report.ReportFiles.report;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code txmon report} on real files: percentile distributions written by {@link LatencyReport#writeHgrm} and
 * interval logs written by HdrHistogram's {@code HistogramLogWriter}, good and damaged.
 */
class ReportCommandTest
{
    private static final String[] BENCH_TAGS = { "journaled", "decision" };
    private static final int INTERVALS = 6;

    @TempDir
    Path temp;

    @Test
    void readsBackTheHgrmItWrote() throws Exception
    {
        // 40 distinct latencies, each holding far more of the values than the rows are apart: every row of the
        // file ends in a bucket, so every percentile read from the rows is the histogram's own
        final Histogram histogram = new Histogram(3);
        final SplittableRandom random = new SplittableRandom(42);
        for (int k = 0; k < 40; k++)
        {
            histogram.recordValueWithCount(2_000L + 137L * k * k * k, 100 + random.nextInt(200));
        }
        final Path file = temp.resolve("decision.hgrm");
        LatencyReport.writeHgrm(histogram, file);

        final ReportFiles.Result result = report("--format", "json", file);
        assertEquals(0, result.exit(), result.err());
        assertEquals("", result.err());
        assertEquals(histogram.getTotalCount(), jsonField(result.out(), "decision", "count"));
        for (final double percentile : LatencyReport.PERCENTILES)
        {
            assertEquals(histogram.getValueAtPercentile(percentile),
                jsonField(result.out(), "decision", LatencyReport.percentileKey(percentile) + "_ns"), "p" + percentile);
        }
        assertEquals(histogram.getMaxValue(), jsonField(result.out(), "decision", "max_ns"));

        final ReportFiles.Result text = report(file);
        assertEquals(0, text.exit(), text.err());
        assertEquals(2, text.outLines().size(), text.out());
        assertTrue(text.outLines().get(0).matches("name\\s+count\\s+p50\\s+p90\\s+p99\\s+p99\\.9\\s+p99\\.99\\s+max"),
            text.out());
        assertTrue(text.outLines().get(1).startsWith("decision  "), text.out());
        assertTrue(text.outLines().get(1).endsWith(LatencyReport.formatNanos(histogram.getMaxValue())), text.out());
    }

    @Test
    void hgrmPercentilesAreNeverBelowTheHistogramsNorAboveTheNextRow() throws Exception
    {
        final Histogram histogram = new Histogram(3);
        final SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 100_000; i++)
        {
            // a body around 20 us and a long tail to 50 ms
            histogram.recordValue(15_000L + (long)(5_000 * random.nextDouble()) +
                (random.nextInt(100) == 0 ? (long)(50_000_000 * Math.pow(random.nextDouble(), 4)) : 0));
        }
        final Path file = temp.resolve("tail.hgrm");
        LatencyReport.writeHgrm(histogram, file);

        final ReportFiles.Result result = report("--format", "json", file);
        assertEquals(0, result.exit(), result.err());
        assertEquals(histogram.getValueAtPercentile(50), jsonField(result.out(), "tail", "p50_ns"));
        assertEquals(histogram.getMaxValue(), jsonField(result.out(), "tail", "max_ns"));
        for (final double percentile : LatencyReport.PERCENTILES)
        {
            final long read = jsonField(result.out(), "tail", LatencyReport.percentileKey(percentile) + "_ns");
            assertTrue(read >= histogram.getValueAtPercentile(percentile), "p" + percentile + " " + read);
            assertTrue(read <= valueAtFirstRowFrom(histogram, percentile), "p" + percentile + " " + read);
        }
    }

    @Test
    void addsUpTheIntervalsOfEachTag() throws Exception
    {
        final Path log = temp.resolve("run.hlog");
        final Histogram[] totals = ReportFiles.writeLog(log, BENCH_TAGS, INTERVALS, (i, t) -> t == 0 ? 100 * (i + 1) : 7 + i);

        final ReportFiles.Result json = report("--format", "json", log);
        assertEquals(0, json.exit(), json.err());
        assertEquals("", json.err());
        assertEquals(2100, jsonField(json.out(), "journaled", "count"));
        assertEquals(7 * INTERVALS + 15, jsonField(json.out(), "decision", "count"));
        for (int t = 0; t < BENCH_TAGS.length; t++)
        {
            assertEquals(totals[t].getValueAtPercentile(99), jsonField(json.out(), BENCH_TAGS[t], "p99_ns"));
            assertEquals(totals[t].getMaxValue(), jsonField(json.out(), BENCH_TAGS[t], "max_ns"));
        }
        assertTrue(json.out().indexOf("\"journaled\"") < json.out().indexOf("\"decision\""), "in the log's order");

        final ReportFiles.Result csv = report("--format", "csv", log);
        assertEquals(0, csv.exit(), csv.err());
        assertEquals(List.of(
            "name,count,p50_ns,p90_ns,p99_ns,p99_9_ns,p99_99_ns,max_ns,mean_ns",
            "journaled,2100," + String.join(",", percentileValues(totals[0])) + "," + totals[0].getMaxValue() + "," +
                LatencyReport.jsonNumber(totals[0].getMean()),
            "decision,57," + String.join(",", percentileValues(totals[1])) + "," + totals[1].getMaxValue() + "," +
                LatencyReport.jsonNumber(totals[1].getMean())),
            csv.outLines());
    }

    @Test
    void fromAndToPickTheIntervalsStartingInTheRange() throws Exception
    {
        final Path log = temp.resolve("run.hlog");
        ReportFiles.writeLog(log, BENCH_TAGS, INTERVALS, (i, t) -> t == 0 ? 100 * (i + 1) : 7 + i);

        // intervals start 0, 1, ... 5 s after the log's start: 2 to 4 takes the third, fourth and fifth
        final ReportFiles.Result middle = report("--from", "2", "--to", "4", "--format", "json", log);
        assertEquals(0, middle.exit(), middle.err());
        assertEquals(300 + 400 + 500, jsonField(middle.out(), "journaled", "count"));
        assertEquals(9 + 10 + 11, jsonField(middle.out(), "decision", "count"));

        final ReportFiles.Result warmUpSkipped = report("--from=3.5", "--format=json", log);
        assertEquals(0, warmUpSkipped.exit(), warmUpSkipped.err());
        assertEquals(500 + 600, jsonField(warmUpSkipped.out(), "journaled", "count"));

        final ReportFiles.Result first = report("--to", "0", "--format", "json", log);
        assertEquals(0, first.exit(), first.err());
        assertEquals(100, jsonField(first.out(), "journaled", "count"));
        assertEquals(7, jsonField(first.out(), "decision", "count"));
    }

    @Test
    void intervalPrintsARowPerIntervalPerTag() throws Exception
    {
        final Path log = temp.resolve("run.hlog");
        ReportFiles.writeLog(log, BENCH_TAGS, INTERVALS, (i, t) -> t == 0 ? 100 * (i + 1) : 7 + i);

        final ReportFiles.Result text = report("--interval", "--from", "1", log);
        assertEquals(0, text.exit(), text.err());
        final List<String> lines = text.outLines();
        assertEquals(1 + 2 * (INTERVALS - 1), lines.size(), text.out());
        assertTrue(lines.get(0).matches("name\\s+start_s\\s+length_s\\s+count\\s+p50\\s+p99\\s+max"), lines.get(0));
        assertTrue(lines.get(1).matches("journaled\\s+1\\.000\\s+1\\.000\\s+200\\s+.*"), lines.get(1));
        assertTrue(lines.get(INTERVALS).matches("decision\\s+1\\.000\\s+1\\.000\\s+8\\s+.*"), lines.get(INTERVALS));

        final ReportFiles.Result csv = report("--interval", "--format", "csv", log);
        assertEquals(0, csv.exit(), csv.err());
        assertEquals("name,start_s,length_s,count,p50_ns,p99_ns,max_ns", csv.outLines().get(0));
        assertEquals(1 + 2 * INTERVALS, csv.outLines().size());
        assertTrue(csv.outLines().get(6).startsWith("journaled,5.000,1.000,600,"), csv.out());

        final ReportFiles.Result json = report("--interval", "--format", "json", log);
        assertEquals(0, json.exit(), json.err());
        assertEquals(2 * INTERVALS, json.out().split("\\{\"name\":").length - 1);
    }

    @Test
    void untaggedIntervalsAndSeveralFilesAreNamedByFile() throws Exception
    {
        final Path baseline = temp.resolve("baseline.hlog");
        ReportFiles.writeLog(baseline, new String[]{ null }, 3, (i, t) -> 10);
        final Path run = temp.resolve("run.hlog");
        ReportFiles.writeLog(run, new String[]{ "raw-ipc", "journaled" }, 2, (i, t) -> 5);
        final Path hgrm = temp.resolve("other.hgrm");
        final Histogram other = new Histogram(3);
        other.recordValueWithCount(12_345, 3);
        LatencyReport.writeHgrm(other, hgrm);

        final ReportFiles.Result one = report("--format", "json", baseline);
        assertEquals(30, jsonField(one.out(), "baseline", "count"));

        final ReportFiles.Result all = report("--format", "json", baseline, run, hgrm);
        assertEquals(0, all.exit(), all.err());
        assertEquals(30, jsonField(all.out(), "baseline", "count"));
        assertEquals(10, jsonField(all.out(), "run:raw-ipc", "count"));
        assertEquals(10, jsonField(all.out(), "run:journaled", "count"));
        assertEquals(3, jsonField(all.out(), "other", "count"));
        assertEquals(other.getMaxValue(), jsonField(all.out(), "other", "p50_ns"));
    }

    @Test
    void htmlHasAChartLineAndATableRowPerName() throws Exception
    {
        final Path log = temp.resolve("run.hlog");
        ReportFiles.writeLog(log, new String[]{ "journaled", "decision", "raw-ipc" }, 3, (i, t) -> 50);
        final Path html = temp.resolve("report.html");

        final ReportFiles.Result result = report("--html", html, "--title", "bench <1M/s> & more", log);
        assertEquals(0, result.exit(), result.err());
        assertEquals(4, result.outLines().size(), "the text summary is printed too");
        final String page = Files.readString(html, StandardCharsets.UTF_8);
        assertTrue(page.contains("<title>bench &lt;1M/s&gt; &amp; more</title>"), page);
        final HtmlReportTest.Page parsed = HtmlReportTest.parse(page);
        assertEquals(3, parsed.polylines("percentile-chart"));
        assertEquals(3, parsed.bodyRows("percentiles"));
    }

    @Test
    void helpGoesToStandardOutput() throws Exception
    {
        final ReportFiles.Result result = report("--help");
        assertEquals(0, result.exit());
        assertTrue(result.out().startsWith("usage: txmon report [options] FILE..."), result.out());
        assertEquals("", result.err());
    }

    @Test
    void aMissingFileIsAUsageError() throws Exception
    {
        final ReportFiles.Result result = report(temp.resolve("nope.hlog"));
        assertFailed(result, 2, "nope.hlog: no such file");
    }

    @Test
    void anUnknownExtensionSaysWhichAreRead() throws Exception
    {
        final Path file = temp.resolve("latency.txt");
        Files.writeString(file, "12.5\n");
        final ReportFiles.Result result = report(file);
        assertFailed(result, 2, "latency.txt: not a latency log");
        assertTrue(result.err().contains(".hlog") && result.err().contains(".hgrm"), result.err());
    }

    @Test
    void aMalformedHgrmRowIsNamedByLine() throws Exception
    {
        final Histogram histogram = new Histogram(3);
        for (int i = 1; i <= 1000; i++)
        {
            histogram.recordValue(1000L * i);
        }
        final Path file = temp.resolve("bad.hgrm");
        LatencyReport.writeHgrm(histogram, file);
        ReportFiles.replaceLine(file, 7, "     300.031 zero.3          300           1.43");

        final ReportFiles.Result result = report(file);
        assertFailed(result, 1, "bad.hgrm line 7: 'zero.3' is not a number");
    }

    @Test
    void aHgrmCutShortIsRefused() throws Exception
    {
        final Histogram histogram = new Histogram(3);
        histogram.recordValue(1000);
        histogram.recordValue(2000);
        final Path file = temp.resolve("short.hgrm");
        LatencyReport.writeHgrm(histogram, file);
        final List<String> lines = Files.readAllLines(file);
        Files.write(file, lines.subList(0, 4));

        assertFailed(report(file), 1, "short.hgrm: no '#[Max = ..., Total count = ...]' line");
    }

    @Test
    void aDamagedHlogLineIsNamedByLine() throws Exception
    {
        final Path log = temp.resolve("run.hlog");
        ReportFiles.writeLog(log, BENCH_TAGS, INTERVALS, (i, t) -> 10);
        // line 1 version, 2 start time, 3 legend, 4 onwards the intervals
        final String interval = ReportFiles.line(log, 8);
        ReportFiles.replaceLine(log, 8, interval.substring(0, interval.length() - 12) + "AAAAAAAAAAAA");

        assertFailed(report(log), 1, "run.hlog line 8: the histogram does not decode");

        ReportFiles.replaceLine(log, 8, interval.replace(",1.000,", ",one,"));
        assertFailed(report(log), 1, "run.hlog line 8: 'one' is not a number");
    }

    @Test
    void anEmptyRangeSaysWhereTheIntervalsAre() throws Exception
    {
        final Path log = temp.resolve("run.hlog");
        ReportFiles.writeLog(log, BENCH_TAGS, INTERVALS, (i, t) -> 10);

        final ReportFiles.Result result = report("--from", "30", "--to", "40", log);
        assertFailed(result, 1, "run.hlog: no interval starts between 30 s and 40 s after the log's start; its 12 " +
            "intervals start 0 to 5 s after it");

        final Path empty = temp.resolve("empty.hlog");
        ReportFiles.writeLog(empty, BENCH_TAGS, 0, (i, t) -> 10);
        assertFailed(report(empty), 1, "empty.hlog: the log has no intervals");
    }

    @Test
    void badCommandLinesAreUsageErrors() throws Exception
    {
        final Path log = temp.resolve("run.hlog");
        ReportFiles.writeLog(log, BENCH_TAGS, 1, (i, t) -> 1);
        final Path hgrm = temp.resolve("one.hgrm");
        LatencyReport.writeHgrm(new Histogram(3), hgrm);

        assertFailed(report(), 2, "give one or more .hlog or .hgrm files");
        assertFailed(report("--format", "xml", log), 2, "--format 'xml' is not text, json or csv");
        assertFailed(report("--from", "soon", log), 2, "--from takes seconds");
        assertFailed(report("--from", "5", "--to", "1", log), 2, "--from 5 is after --to 1");
        assertFailed(report("--interval", hgrm), 2, "--from, --to and --interval are for .hlog files");
        assertFailed(report("--bogus", log), 2, "unknown option '--bogus'");
        assertFailed(report("--html", temp.resolve("no/such/dir/r.html"), log), 2, "the directory");
    }

    @Test
    void anEmptyHistogramReportsZeros() throws Exception
    {
        final Path hgrm = temp.resolve("none.hgrm");
        LatencyReport.writeHgrm(new Histogram(3), hgrm);
        final Path html = temp.resolve("none.html");

        final ReportFiles.Result result = report("--format", "json", "--html", html, hgrm);
        assertEquals(0, result.exit(), result.err());
        assertEquals(0, jsonField(result.out(), "none", "count"));
        assertEquals(0, jsonField(result.out(), "none", "max_ns"));
        assertEquals(0, HtmlReportTest.parse(Files.readString(html)).polylines("percentile-chart"));
    }

    private static void assertFailed(final ReportFiles.Result result, final int exit, final String message)
    {
        assertEquals(exit, result.exit(), result.err());
        assertEquals("", result.out(), "nothing on standard output");
        assertEquals(1, result.errLines().size(), result.err());
        assertTrue(result.err().startsWith("txmon report: "), result.err());
        assertTrue(result.err().contains(message), "expected '" + message + "' in: " + result.err());
        assertFalse(result.err().contains("Exception"), result.err());
    }

    private static List<String> percentileValues(final Histogram histogram)
    {
        final String[] values = new String[LatencyReport.PERCENTILES.length];
        for (int i = 0; i < values.length; i++)
        {
            values[i] = Long.toString(histogram.getValueAtPercentile(LatencyReport.PERCENTILES[i]));
        }
        return List.of(values);
    }

    /**
     * @return the value of the first row of the histogram's percentile distribution at or above the percentile.
     */
    private static long valueAtFirstRowFrom(final Histogram histogram, final double percentile)
    {
        for (final HistogramIterationValue value : histogram.percentiles(PercentileSeries.TICKS_PER_HALF_DISTANCE))
        {
            if (value.getPercentileLevelIteratedTo() >= percentile)
            {
                return value.getValueIteratedTo();
            }
        }
        return histogram.getMaxValue();
    }
}
