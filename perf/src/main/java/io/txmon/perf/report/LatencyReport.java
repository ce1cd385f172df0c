package io.txmon.perf.report;

import org.HdrHistogram.AbstractHistogram;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Latency histograms as files and tables: the HdrHistogram percentile distribution ({@code .hgrm}) that the
 * HdrHistogram plotter reads, and a percentile summary as a text table, JSON or CSV. Every histogram holds
 * nanoseconds. The summaries take histograms, or {@link PercentileSeries} for distributions known only by their
 * percentiles; both go through the same code.
 * <p>
 * Text shows latencies in microseconds, or milliseconds and seconds when larger, with the unit on every value
 * ({@code us}, ASCII); JSON and CSV show whole nanoseconds, the mean to a tenth.
 */
public final class LatencyReport
{
    /**
     * The percentiles every summary shows, in this order. Read it, never write it.
     */
    public static final double[] PERCENTILES = { 50, 90, 99, 99.9, 99.99 };

    /**
     * Nanoseconds per unit of the values in an {@code .hgrm} file written by {@link #writeHgrm}: the values are
     * microseconds.
     */
    public static final double HGRM_NANOS_PER_UNIT = 1000.0;

    private LatencyReport()
    {
    }

    /**
     * Write the standard HdrHistogram percentile distribution, values in microseconds, that HdrHistogram's
     * plotter reads and {@code txmon report} reads back.
     *
     * @param histogram of nanosecond values.
     * @param file      to create or replace.
     * @throws UncheckedIOException if the file cannot be written.
     */
    public static void writeHgrm(final AbstractHistogram histogram, final Path file)
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, false, StandardCharsets.US_ASCII))
        {
            histogram.outputPercentileDistribution(out, PercentileSeries.TICKS_PER_HALF_DISTANCE, HGRM_NANOS_PER_UNIT);
        }
        try
        {
            Files.write(file, bytes.toByteArray());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot write " + file + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * @param named histograms of nanosecond values, in the order of the rows.
     * @return a text table: name, count, the {@link #PERCENTILES} and the maximum.
     */
    public static String percentileTable(final Map<String, ? extends AbstractHistogram> named)
    {
        return seriesTable(seriesOf(named));
    }

    /**
     * @param named histograms of nanosecond values.
     * @return a JSON object with a member per name, see {@link #seriesJson(Map)}.
     */
    public static String percentileJson(final Map<String, ? extends AbstractHistogram> named)
    {
        return seriesJson(seriesOf(named));
    }

    /**
     * @param named histograms of nanosecond values, in the order of the rows.
     * @return CSV, see {@link #seriesCsv(Map)}.
     */
    public static String percentileCsv(final Map<String, ? extends AbstractHistogram> named)
    {
        return seriesCsv(seriesOf(named));
    }

    /**
     * @param named distributions, in the order of the rows.
     * @return a text table: name, count, the {@link #PERCENTILES} and the maximum, one row per name.
     */
    public static String seriesTable(final Map<String, ? extends PercentileSeries> named)
    {
        final String[] header = new String[PERCENTILES.length + 3];
        header[0] = "name";
        header[1] = "count";
        for (int i = 0; i < PERCENTILES.length; i++)
        {
            header[i + 2] = percentileLabel(PERCENTILES[i]);
        }
        header[header.length - 1] = "max";

        final TextTable table = new TextTable(header);
        for (final Map.Entry<String, ? extends PercentileSeries> e : named.entrySet())
        {
            final PercentileSeries series = e.getValue();
            final String[] row = new String[header.length];
            row[0] = e.getKey();
            row[1] = Long.toString(series.count());
            for (int i = 0; i < PERCENTILES.length; i++)
            {
                row[i + 2] = formatNanos(series.valueAtPercentile(PERCENTILES[i]));
            }
            row[row.length - 1] = formatNanos(series.max());
            table.row(row);
        }
        return table.render();
    }

    /**
     * A JSON object with a member per name:
     * {@code {"count":n,"p50_ns":..,"p90_ns":..,"p99_ns":..,"p99_9_ns":..,"p99_99_ns":..,"max_ns":..,"mean_ns":..}},
     * one member per line.
     *
     * @param named distributions.
     * @return the JSON text, ending with a new line.
     */
    public static String seriesJson(final Map<String, ? extends PercentileSeries> named)
    {
        final StringBuilder sb = new StringBuilder("{");
        String separator = "\n";
        for (final Map.Entry<String, ? extends PercentileSeries> e : named.entrySet())
        {
            final PercentileSeries series = e.getValue();
            sb.append(separator).append("  ").append(jsonString(e.getKey()))
                .append(":{\"count\":").append(series.count());
            for (final double percentile : PERCENTILES)
            {
                sb.append(",\"").append(percentileKey(percentile)).append("_ns\":")
                    .append(series.valueAtPercentile(percentile));
            }
            sb.append(",\"max_ns\":").append(series.max())
                .append(",\"mean_ns\":").append(jsonNumber(series.mean())).append('}');
            separator = ",\n";
        }
        return sb.append("\n}\n").toString();
    }

    /**
     * CSV with a header row, {@code name,count,p50_ns,p90_ns,p99_ns,p99_9_ns,p99_99_ns,max_ns,mean_ns}, and a row
     * per name.
     *
     * @param named distributions, in the order of the rows.
     * @return the CSV text, lines ended by {@code \n}.
     */
    public static String seriesCsv(final Map<String, ? extends PercentileSeries> named)
    {
        final StringBuilder sb = new StringBuilder("name,count");
        for (final double percentile : PERCENTILES)
        {
            sb.append(',').append(percentileKey(percentile)).append("_ns");
        }
        sb.append(",max_ns,mean_ns\n");
        for (final Map.Entry<String, ? extends PercentileSeries> e : named.entrySet())
        {
            final PercentileSeries series = e.getValue();
            sb.append(csvField(e.getKey())).append(',').append(series.count());
            for (final double percentile : PERCENTILES)
            {
                sb.append(',').append(series.valueAtPercentile(percentile));
            }
            final double mean = series.mean();
            sb.append(',').append(series.max()).append(',').append(Double.isFinite(mean) ? jsonNumber(mean) : "")
                .append('\n');
        }
        return sb.toString();
    }

    /**
     * A latency for people: microseconds with two, one or no decimals below 10 ms ({@code 0.85 us},
     * {@code 12.3 us}, {@code 4521 us}), then milliseconds ({@code 12.3 ms}, {@code 250 ms}), then seconds
     * ({@code 12.3 s}): three or four significant digits, the unit always shown.
     *
     * @param nanos a latency in nanoseconds.
     * @return the latency as text.
     */
    public static String formatNanos(final long nanos)
    {
        if (nanos < 10_000L)
        {
            return String.format(Locale.ROOT, "%.2f us", nanos / 1e3);
        }
        if (nanos < 100_000L)
        {
            return String.format(Locale.ROOT, "%.1f us", nanos / 1e3);
        }
        if (nanos < 10_000_000L)
        {
            return String.format(Locale.ROOT, "%.0f us", nanos / 1e3);
        }
        if (nanos < 100_000_000L)
        {
            return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
        }
        if (nanos < 10_000_000_000L)
        {
            return String.format(Locale.ROOT, "%.0f ms", nanos / 1e6);
        }
        return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
    }

    /**
     * @param percentile such as 99.9.
     * @return its column name, such as {@code p99.9}.
     */
    public static String percentileLabel(final double percentile)
    {
        return "p" + BigDecimal.valueOf(percentile).stripTrailingZeros().toPlainString();
    }

    static String percentileKey(final double percentile)
    {
        return percentileLabel(percentile).replace('.', '_');
    }

    static Map<String, PercentileSeries> seriesOf(final Map<String, ? extends AbstractHistogram> named)
    {
        final Map<String, PercentileSeries> series = new LinkedHashMap<>();
        for (final Map.Entry<String, ? extends AbstractHistogram> e : named.entrySet())
        {
            series.put(e.getKey(), PercentileSeries.of(e.getValue()));
        }
        return series;
    }

    /**
     * @param value any text.
     * @return it as a JSON string, quoted and escaped.
     */
    static String jsonString(final String value)
    {
        final StringBuilder sb = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++)
        {
            final char c = value.charAt(i);
            switch (c)
            {
                case '"':
                    sb.append("\\\"");
                    break;
                case '\\':
                    sb.append("\\\\");
                    break;
                case '\n':
                    sb.append("\\n");
                    break;
                case '\r':
                    sb.append("\\r");
                    break;
                case '\t':
                    sb.append("\\t");
                    break;
                default:
                    if (c < 0x20 || c == '\u2028' || c == '\u2029')
                    {
                        sb.append(String.format(Locale.ROOT, "\\u%04x", (int)c));
                    }
                    else
                    {
                        sb.append(c);
                    }
            }
        }
        return sb.append('"').toString();
    }

    /**
     * @param value a number that may not be finite.
     * @return it to a tenth, or {@code null} if not finite.
     */
    static String jsonNumber(final double value)
    {
        return Double.isFinite(value) ? String.format(Locale.ROOT, "%.1f", value) : "null";
    }

    /**
     * @param value any text.
     * @return it as a CSV field, quoted when it holds a comma, quote or line break.
     */
    static String csvField(final String value)
    {
        if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0 && value.indexOf('\r') < 0)
        {
            return value;
        }
        return '"' + value.replace("\"", "\"\"") + '"';
    }
}
