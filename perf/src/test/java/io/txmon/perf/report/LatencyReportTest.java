package io.txmon.perf.report;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The percentile summaries: units, columns, order and escaping, from histograms and from series alike.
 */
class LatencyReportTest
{
    @Test
    void formatsLatenciesWithTheirUnit()
    {
        assertEquals("0.00 us", LatencyReport.formatNanos(0));
        assertEquals("0.85 us", LatencyReport.formatNanos(850));
        assertEquals("9.99 us", LatencyReport.formatNanos(9_990));
        assertEquals("12.3 us", LatencyReport.formatNanos(12_345));
        assertEquals("4521 us", LatencyReport.formatNanos(4_521_000));
        assertEquals("12.3 ms", LatencyReport.formatNanos(12_345_678));
        assertEquals("250 ms", LatencyReport.formatNanos(250_000_000));
        assertEquals("12.5 s", LatencyReport.formatNanos(12_500_000_000L));
        assertEquals("p50", LatencyReport.percentileLabel(50));
        assertEquals("p99.99", LatencyReport.percentileLabel(99.99));
        assertEquals("p99_9", LatencyReport.percentileKey(99.9));
    }

    @Test
    void tableHasARowPerNameInOrderAndAlignedColumns()
    {
        final Map<String, Histogram> named = new LinkedHashMap<>();
        named.put("zeta", histogram(10_000, 1_000));
        named.put("alpha-longer-name", histogram(2_000_000, 10));
        named.put("empty", new Histogram(3));

        final List<String> lines = List.of(LatencyReport.percentileTable(named).split("\n"));
        assertEquals(4, lines.size());
        assertTrue(lines.get(1).startsWith("zeta "));
        assertTrue(lines.get(2).startsWith("alpha-longer-name  "));
        assertTrue(lines.get(3).startsWith("empty "));
        for (final String line : lines)
        {
            assertEquals(lines.get(0).length(), line.length(), "aligned: '" + line + "'");
        }
        assertTrue(lines.get(1).contains(" 1000 "), lines.get(1));
        assertTrue(lines.get(1).endsWith(LatencyReport.formatNanos(named.get("zeta").getMaxValue())), lines.get(1));
        assertTrue(lines.get(2).contains(
            "  " + LatencyReport.formatNanos(named.get("alpha-longer-name").getValueAtPercentile(50)) + "  "), lines.get(2));
        assertTrue(lines.get(3).endsWith("0.00 us"), lines.get(3));
    }

    @Test
    void jsonAndCsvEscapeNamesAndGiveNanoseconds()
    {
        final Histogram histogram = histogram(50_000, 4);
        final Map<String, Histogram> named = new LinkedHashMap<>();
        named.put("a \"quoted\", \\ name\n", histogram);

        final String json = LatencyReport.percentileJson(named);
        assertEquals("{\n  \"a \\\"quoted\\\", \\\\ name\\n\":{\"count\":4,\"p50_ns\":" + histogram.getValueAtPercentile(50) +
            ",\"p90_ns\":" + histogram.getValueAtPercentile(90) + ",\"p99_ns\":" + histogram.getValueAtPercentile(99) +
            ",\"p99_9_ns\":" + histogram.getValueAtPercentile(99.9) + ",\"p99_99_ns\":" +
            histogram.getValueAtPercentile(99.99) + ",\"max_ns\":" + histogram.getMaxValue() + ",\"mean_ns\":" +
            LatencyReport.jsonNumber(histogram.getMean()) + "}\n}\n", json);

        final String csv = LatencyReport.percentileCsv(named);
        assertTrue(csv.startsWith("name,count,p50_ns,p90_ns,p99_ns,p99_9_ns,p99_99_ns,max_ns,mean_ns\n" +
            "\"a \"\"quoted\"\", \\ name\n\",4,"), csv);
        assertEquals("{\n}\n", LatencyReport.percentileJson(Map.of()));
    }

    @Test
    void histogramsAndTheirSeriesGiveTheSameSummary()
    {
        final Map<String, Histogram> named = new LinkedHashMap<>();
        named.put("one", histogram(3_000, 500));
        named.put("two", histogram(70_000, 50));
        final Map<String, PercentileSeries> series = new LinkedHashMap<>();
        series.put("one", PercentileSeries.of(named.get("one")));
        series.put("two", PercentileSeries.of(named.get("two")));

        assertEquals(LatencyReport.percentileTable(named), LatencyReport.seriesTable(series));
        assertEquals(LatencyReport.percentileJson(named), LatencyReport.seriesJson(series));
        assertEquals(LatencyReport.percentileCsv(named), LatencyReport.seriesCsv(series));
    }

    private static Histogram histogram(final long base, final int count)
    {
        final Histogram histogram = new Histogram(3);
        for (int i = 0; i < count; i++)
        {
            histogram.recordValue(base + 7L * i);
        }
        return histogram;
    }
}
