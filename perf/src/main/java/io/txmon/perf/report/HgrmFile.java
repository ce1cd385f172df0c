package io.txmon.perf.report;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads an HdrHistogram percentile distribution, the {@code .hgrm} text {@code outputPercentileDistribution}
 * writes, into a {@link PercentileSeries}: HdrHistogram cannot load one back into a histogram. The file is a
 * header line, rows of {@code Value Percentile TotalCount 1/(1-Percentile)} (the last row, at 100%, without the
 * fourth column) and a footer:
 * <pre>
 *        Value     Percentile TotalCount 1/(1-Percentile)
 *
 *       12.007 0.000000000000          1           1.00
 *      ...
 *     1000.447 1.000000000000       1000
 * #[Mean    =      500.505, StdDeviation   =      288.702]
 * #[Max     =     1000.447, Total count    =         1000]
 * #[Buckets =           10, SubBuckets     =         2048]
 * </pre>
 * The rows must rise and the footer must be there: a file cut short is refused, not read as a shorter run.
 */
final class HgrmFile
{
    private static final Pattern MEAN = Pattern.compile(
        "#\\[Mean\\s*=\\s*(\\S+),\\s*StdDeviation\\s*=\\s*(\\S+)\\s*]");
    private static final Pattern MAX = Pattern.compile(
        "#\\[Max\\s*=\\s*(\\S+),\\s*Total count\\s*=\\s*(\\S+)\\s*]");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    private static final int QUOTE_LIMIT = 60;
    private static final String FOOTER = "'#[Max = ..., Total count = ...]'";

    private final Path file;
    private final double nanosPerUnit;
    private final List<PercentilePoint> points = new ArrayList<>();
    private double mean = Double.NaN;
    private long max = -1;
    private long count = -1;
    private int lineNumber;

    private HgrmFile(final Path file, final double nanosPerUnit)
    {
        this.file = file;
        this.nanosPerUnit = nanosPerUnit;
    }

    /**
     * @param file         to read.
     * @param nanosPerUnit nanoseconds per unit of the file's values: 1000 for microseconds, as txmon writes them.
     * @return the distribution, in nanoseconds.
     * @throws ReportException if the file is not a whole percentile distribution; the message names the line.
     * @throws IOException     if the file cannot be read.
     */
    static PercentileSeries read(final Path file, final double nanosPerUnit) throws ReportException, IOException
    {
        return new HgrmFile(file, nanosPerUnit).read();
    }

    private PercentileSeries read() throws ReportException, IOException
    {
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1))
        {
            String raw;
            while (null != (raw = reader.readLine()))
            {
                lineNumber++;
                final String line = raw.trim();
                if (line.isEmpty())
                {
                    continue;
                }
                if (line.startsWith("#"))
                {
                    footer(line);
                }
                else if (line.startsWith("Value"))
                {
                    header(line);
                }
                else
                {
                    row(line);
                }
            }
        }
        if (count < 0)
        {
            throw new ReportException(file + ": no " + FOOTER + " line; is the file cut short? Write it again " +
                "with outputPercentileDistribution");
        }
        final long lastCount = points.isEmpty() ? 0 : points.get(points.size() - 1).totalCount();
        if (lastCount != count || (!points.isEmpty() && points.get(points.size() - 1).percentile() != 100.0))
        {
            throw new ReportException(file + ": the rows reach " + lastCount + " values" +
                (points.isEmpty() ? "" : " at " + points.get(points.size() - 1).percentile() + "%") +
                " but the footer counts " + count + "; is the file cut short or edited?");
        }
        return new PointSeries(points, count, max, Double.isNaN(mean) ? 0 : mean);
    }

    private void header(final String line) throws ReportException
    {
        if (line.indexOf(',') >= 0)
        {
            throw malformed(line, "the CSV form of a percentile distribution; give the plain form " +
                "(outputPercentileDistribution without useCsvFormat)");
        }
        if (!points.isEmpty())
        {
            throw malformed(line, "a second header; give one distribution per file");
        }
    }

    private void footer(final String line) throws ReportException
    {
        final Matcher meanMatcher = MEAN.matcher(line);
        final Matcher maxMatcher = MAX.matcher(line);
        if (meanMatcher.matches())
        {
            mean = number(line, meanMatcher.group(1)) * nanosPerUnit;
        }
        else if (maxMatcher.matches())
        {
            max = Math.round(number(line, maxMatcher.group(1)) * nanosPerUnit);
            count = whole(line, maxMatcher.group(2));
        }
    }

    private void row(final String line) throws ReportException
    {
        if (count >= 0)
        {
            throw malformed(line, "a row after the footer; give one distribution per file");
        }
        final String[] fields = WHITESPACE.split(line);
        if (fields.length != 3 && fields.length != 4)
        {
            throw malformed(line, "not a row of Value, Percentile, TotalCount and 1/(1-Percentile)");
        }
        final double value = number(line, fields[0]);
        final double fraction = number(line, fields[1]);
        final long totalCount = whole(line, fields[2]);
        if (fields.length == 4 && !"Infinity".equals(fields[3]))
        {
            number(line, fields[3]);
        }
        if (value < 0 || fraction < 0 || fraction > 1)
        {
            throw malformed(line, "a value below 0 or a percentile outside 0 to 1");
        }
        final PercentilePoint point = new PercentilePoint(fraction * 100.0, Math.round(value * nanosPerUnit), totalCount);
        if (!points.isEmpty())
        {
            final PercentilePoint previous = points.get(points.size() - 1);
            if (point.percentile() < previous.percentile() || point.valueNanos() < previous.valueNanos() ||
                point.totalCount() < previous.totalCount())
            {
                throw malformed(line, "a row below the row before it; the rows of a distribution rise");
            }
        }
        points.add(point);
    }

    private double number(final String line, final String text) throws ReportException
    {
        try
        {
            final double value = Double.parseDouble(text);
            if (Double.isFinite(value))
            {
                return value;
            }
        }
        catch (final NumberFormatException ex)
        {
            // refused below
        }
        throw malformed(line, "'" + quote(text) + "' is not a number");
    }

    private long whole(final String line, final String text) throws ReportException
    {
        try
        {
            final long value = Long.parseLong(text);
            if (value >= 0)
            {
                return value;
            }
        }
        catch (final NumberFormatException ex)
        {
            // refused below
        }
        throw malformed(line, "'" + quote(text) + "' is not a count");
    }

    private ReportException malformed(final String line, final String problem)
    {
        return new ReportException(file + " line " + lineNumber + ": " + problem + " (the line is '" + quote(line) +
            "'); give a percentile distribution as written by outputPercentileDistribution or txmon bench");
    }

    private static String quote(final String text)
    {
        final StringBuilder sb = new StringBuilder();
        for (int i = 0; i < text.length() && i < QUOTE_LIMIT; i++)
        {
            final char c = text.charAt(i);
            sb.append(c < 0x20 || c > 0x7e ? '?' : c);
        }
        return text.length() > QUOTE_LIMIT ? sb.append("...").toString() : sb.toString();
    }
}
