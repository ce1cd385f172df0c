package io.txmon.perf;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link JmhSummary} on a small result file of JMH 1.37's shape: every field it reads, both spellings of the
 * allocation metric, {@code "NaN"} errors, and each pairing's ratio across units and modes.
 */
class JmhSummaryTest
{
    /** One result as JMH 1.37 writes it (rawData and percentiles trimmed, as the summary ignores them). */
    private static String result(
        final String benchmark,
        final String mode,
        final String params,
        final String score,
        final String error,
        final String unit,
        final String allocKey,
        final String alloc)
    {
        return """
            {
                "jmhVersion" : "1.37",
                "benchmark" : "%s",
                "mode" : "%s",
                "threads" : 1,
                "forks" : 1,
                "jvm" : "/usr/lib/jvm/java-17-openjdk-amd64/bin/java",
                "jvmArgs" : [
                    "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED"
                ],
                "jdkVersion" : "17.0.15",
                "vmName" : "OpenJDK 64-Bit Server VM",
                "vmVersion" : "17.0.15+6-Debian-1deb12u1",
                "warmupIterations" : 3,
                "warmupTime" : "2 s",
                "warmupBatchSize" : 1,
                "measurementIterations" : 5,
                "measurementTime" : "2 s",
                "measurementBatchSize" : 1,
                %s
                "primaryMetric" : {
                    "score" : %s,
                    "scoreError" : %s,
                    "scoreConfidence" : [ 1.0, 2.0 ],
                    "scorePercentiles" : { "0.0" : 1.0, "100.0" : 2.0 },
                    "scoreUnit" : "%s",
                    "rawData" : [ [ 1.0, 2.0 ] ]
                },
                "secondaryMetrics" : {
                    "gc.alloc.rate" : {
                        "score" : 0.005,
                        "scoreError" : "NaN",
                        "scoreConfidence" : [ "NaN", "NaN" ],
                        "scorePercentiles" : { "0.0" : 0.005 },
                        "scoreUnit" : "MB/sec",
                        "rawData" : [ [ 0.005 ] ]
                    },
                    "%s" : {
                        "score" : %s,
                        "scoreError" : "NaN",
                        "scoreConfidence" : [ "NaN", "NaN" ],
                        "scorePercentiles" : { "0.0" : 0.0 },
                        "scoreUnit" : "B/op",
                        "rawData" : [ [ 0.0 ] ]
                    },
                    "gc.count" : {
                        "score" : 0.0,
                        "scoreError" : "NaN",
                        "scoreConfidence" : [ "NaN", "NaN" ],
                        "scorePercentiles" : { "0.0" : 0.0 },
                        "scoreUnit" : "counts",
                        "rawData" : [ [ 0.0 ] ]
                    }
                }
            }""".formatted(benchmark, mode, params.isEmpty() ? "" : "\"params\" : { " + params + " },",
            score, error, unit, allocKey, alloc);
    }

    private static final String FIXTURE = "[\n" + String.join(",\n",
        result("io.txmon.perf.JournalAppendBenchmark.append", "thrpt",
            "\"payloadSize\" : \"64\", \"segmentLength\" : \"1073741824\"",
            "2.4E7", "1.2E6", "ops/s", "gc.alloc.rate.norm", "0.03"),
        result("io.txmon.perf.JournalAppendBenchmark.append", "thrpt",
            "\"payloadSize\" : \"256\", \"segmentLength\" : \"1073741824\"",
            "8000000.0", "\"NaN\"", "ops/s", "gc.alloc.rate.norm", "0.09"),
        result("io.txmon.perf.RawMappedWriteBaseline.write", "thrpt",
            "\"freshFilePerLap\" : \"false\", \"payloadSize\" : \"256\", \"segmentLength\" : \"1073741824\"",
            "8.0E7", "1.0E6", "ops/s", "gc.alloc.rate.norm", "1.0E-4"),
        result("io.txmon.perf.RawMappedWriteBaseline.write", "thrpt",
            "\"freshFilePerLap\" : \"false\", \"payloadSize\" : \"64\", \"segmentLength\" : \"1073741824\"",
            "1.0E8", "1.0E6", "ops/s", "gc.alloc.rate.norm", "1.0E-4"),
        result("io.txmon.perf.RawDisruptorBaseline.eventPoller", "avgt", "",
            "25.0", "1.5", "ns/op", "gc.alloc.rate.norm", "0.0"),
        result("io.txmon.perf.RawDisruptorBaseline.batchEventProcessor", "avgt", "",
            "50.0", "3.0", "ns/op", "gc.alloc.rate.norm", "0.0"),
        result("io.txmon.perf.RuleBenchmark.evaluate", "avgt", "\"ruleName\" : \"all\"",
            "100.0", "4.0", "ns/op", "\u00b7gc.alloc.rate.norm", "0.5"),
        result("io.txmon.perf.RawAeronIpcBaseline.threaded", "thrpt", "",
            "2.0E7", "1.0E5", "ops/s", "gc.alloc.rate.norm", "0.003"),
        result("io.txmon.perf.PipelineBenchmark.pipeline", "thrpt", "\"rules\" : \"quiet\"",
            "1000000.0", "5000.0", "ops/s", "gc.alloc.rate.norm", "0.7"),
        result("io.txmon.perf.PublisherBenchmark.rawOffer", "avgt", "",
            "0.03", "0.001", "us/op", "gc.alloc.rate.norm", "0.004"),
        result("io.txmon.perf.PublisherBenchmark.send", "avgt", "\"acks\" : \"true\"",
            "60.0", "2.0", "ns/op", "gc.alloc.rate.norm", "0.018"),
        result("io.txmon.perf.JournalAppendBenchmark.appendAverageTime", "avgt",
            "\"payloadSize\" : \"64\", \"segmentLength\" : \"1073741824\"",
            "40.0", "2.0", "ns/op", "gc.alloc.rate.norm", "0.03")) + "\n]\n";

    @Test
    void readsEveryFieldTheSummaryUses()
    {
        final List<JmhSummary.Result> results = JmhSummary.parse(FIXTURE);

        assertEquals(12, results.size());
        final JmhSummary.Result append = results.get(0);
        assertEquals("io.txmon.perf.JournalAppendBenchmark.append", append.benchmark);
        assertEquals("JournalAppendBenchmark.append", append.shortName());
        assertEquals("thrpt", append.mode);
        assertEquals(Map.of("payloadSize", "64", "segmentLength", "1073741824"), append.params);
        assertEquals("payloadSize=64, segmentLength=1073741824", append.paramsText());
        assertEquals(2.4e7, append.score);
        assertEquals(1.2e6, append.scoreError);
        assertEquals("ops/s", append.unit);
        assertEquals(0.03, append.allocNorm);
        assertEquals("1.37", append.jmhVersion);

        assertTrue(Double.isNaN(results.get(1).scoreError), "JMH writes a missing error as the string NaN");
        assertEquals(0.5, results.get(6).allocNorm, "older JMH prefixed the metric with a middle dot");
        assertEquals("", results.get(4).paramsText());
    }

    @Test
    void ratiosAreThroughputsWhateverTheUnitsAndMode()
    {
        final List<JmhSummary.Result> results = JmhSummary.parse(FIXTURE);

        // the same payload size is chosen, wherever it is in the file
        assertEquals("0.24 × RawMappedWriteBaseline.write (freshFilePerLap=false, payloadSize=64, " +
            "segmentLength=1073741824)", JmhSummary.ratios(results.get(0), results));
        assertEquals("0.10 × RawMappedWriteBaseline.write (freshFilePerLap=false, payloadSize=256, " +
            "segmentLength=1073741824)", JmhSummary.ratios(results.get(1), results));

        // 100 ns per event against 25 ns
        assertEquals("0.25 × RawDisruptorBaseline.eventPoller", JmhSummary.ratios(results.get(6), results));

        // 1,000,000 events/s against 20,000,000 messages/s, and against 50 ns per event (also 20,000,000/s)
        assertEquals("0.05 × RawAeronIpcBaseline.threaded; 0.05 × RawDisruptorBaseline.batchEventProcessor",
            JmhSummary.ratios(results.get(8), results));

        // 60 ns against 0.03 µs
        assertEquals("0.50 × PublisherBenchmark.rawOffer", JmhSummary.ratios(results.get(10), results));

        // a baseline not in the file is named, not skipped
        assertEquals("— (no RawMappedWriteBaseline.writeAverageTime with payloadSize=64 in this file)",
            JmhSummary.ratios(results.get(11), results));

        // baselines themselves have no ratio
        assertEquals("", JmhSummary.ratios(results.get(2), results));
        assertNull(JmhSummary.baselineOf(results.get(0), new JmhSummary.Pairing(
            "JournalAppendBenchmark.append", "RawMappedWriteBaseline.write", "segmentLength", "noSuchParam"), results));
    }

    @Test
    void opsPerSecondFromEveryUnit()
    {
        assertEquals(2e6, JmhSummary.opsPerSecond(resultIn("2000.0", "ops/ms")), 1e-6);
        assertEquals(4e6, JmhSummary.opsPerSecond(resultIn("0.25", "us/op")), 1e-6);
        assertEquals(1e3, JmhSummary.opsPerSecond(resultIn("1.0", "ms/op")), 1e-9);
        assertTrue(Double.isNaN(JmhSummary.opsPerSecond(resultIn("1.0", "counts"))));
    }

    @Test
    void printsOneMarkdownRowPerResult()
    {
        final String summary = JmhSummary.summarize(FIXTURE, "jmh-suite.json");
        final String[] lines = summary.split("\n");

        assertEquals("## JMH results: jmh-suite.json", lines[0]);
        assertTrue(summary.contains("JMH 1.37, OpenJDK 64-Bit Server VM 17.0.15+6-Debian-1deb12u1; 12 results."));
        assertTrue(summary.contains("| benchmark | params | score ± error | unit | B/op | throughput ÷ baseline |"));
        assertTrue(summary.contains("| JournalAppendBenchmark.append | payloadSize=256, segmentLength=1073741824 | " +
            "8,000,000 ± — | ops/s | 0.09 | 0.10 × RawMappedWriteBaseline.write"), summary);
        assertTrue(summary.contains("| RawDisruptorBaseline.eventPoller |  | 25.0 ± 1.500 | ns/op | ≈ 0 |  |"),
            summary);
        assertTrue(summary.contains("| RuleBenchmark.evaluate | ruleName=all | 100.0 ± 4.000 | ns/op | 0.50 | " +
            "0.25 × RawDisruptorBaseline.eventPoller |"), summary);
        assertTrue(summary.contains("- PipelineBenchmark.pipeline ÷ RawAeronIpcBaseline.threaded"));
        int rows = 0;
        for (final String line : lines)
        {
            if (line.startsWith("| ") && !line.startsWith("| benchmark"))
            {
                rows++;
            }
        }
        assertEquals(12, rows);
    }

    @Test
    void refusesWhatIsNotJmhJson()
    {
        assertThrows(IllegalArgumentException.class, () -> JmhSummary.parse("{ \"benchmark\" : \"x\" }"));
        assertThrows(IllegalArgumentException.class, () -> JmhSummary.parse("[ { \"benchmark\" : \"x\" } ]"));
        assertThrows(IllegalArgumentException.class, () -> JmhSummary.parse("[ { \"a\" : 1 "));
        assertThrows(IllegalArgumentException.class, () -> JmhSummary.parse("[ 1, 2 ] x"));
        assertEquals(List.of(), JmhSummary.parse(" [ ] "));
    }

    @Test
    void runWritesTheSummaryAndReturnsAStatus(@TempDir final Path dir) throws IOException
    {
        final Path json = dir.resolve("jmh-suite.json");
        final Path md = dir.resolve("jmh-suite.md");
        Files.writeString(json, FIXTURE, StandardCharsets.UTF_8);
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
        final PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);

        assertEquals(0, JmhSummary.run(new String[]{ json.toString(), md.toString() }, outStream, errStream));
        assertEquals(out.toString(StandardCharsets.UTF_8), Files.readString(md, StandardCharsets.UTF_8));
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("## JMH results: jmh-suite.json"));

        assertEquals(2, JmhSummary.run(new String[0], outStream, errStream));
        assertEquals(1, JmhSummary.run(new String[]{ dir.resolve("missing.json").toString() }, outStream, errStream));
        Files.writeString(json, "not json", StandardCharsets.UTF_8);
        assertEquals(1, JmhSummary.run(new String[]{ json.toString() }, outStream, errStream));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("is not a JMH JSON result file"));
    }

    private static JmhSummary.Result resultIn(final String score, final String unit)
    {
        return JmhSummary.parse("[" + result("io.txmon.perf.X.y", "avgt", "", score, "1.0", unit,
            "gc.alloc.rate.norm", "0.0") + "]").get(0);
    }
}
