package io.txmon.perf.report;

import io.txmon.cli.CliArgs;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the report tests share: running {@code txmon report} as the launcher does, and writing its inputs.
 */
final class ReportFiles
{
    /** A log start time, epoch milliseconds. */
    static final long LOG_START_MS = 1_764_000_000_123L;

    private ReportFiles()
    {
    }

    /**
     * What a run of the command printed and returned.
     */
    record Result(int exit, String out, String err)
    {
        List<String> outLines()
        {
            return out.isEmpty() ? List.of() : Arrays.asList(out.split("\n"));
        }

        List<String> errLines()
        {
            return err.isEmpty() ? List.of() : Arrays.asList(err.split("\n"));
        }
    }

    /**
     * Run {@code txmon report} as the launcher does: a usage error is its message on one line and exit 2.
     */
    static Result report(final Object... args) throws Exception
    {
        final String[] strings = new String[args.length];
        for (int i = 0; i < args.length; i++)
        {
            strings[i] = args[i].toString();
        }
        final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
        final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        final PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
        final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);
        int exit;
        try
        {
            exit = ReportCommand.run(strings, out, err);
        }
        catch (final CliArgs.UsageException ex)
        {
            err.println("txmon report: " + ex.getMessage());
            exit = ReportCommand.EXIT_USAGE;
        }
        return new Result(exit, outBytes.toString(StandardCharsets.UTF_8), errBytes.toString(StandardCharsets.UTF_8));
    }

    /**
     * Write an interval log as txmon bench does: a start time, relative timestamps, one-second intervals, each
     * tag's histogram of an interval written in turn.
     *
     * @param file       to write.
     * @param tags       of each interval, null for untagged.
     * @param intervals  per tag.
     * @param countOf    values to record in interval i of tag t.
     * @return the log's histograms added up per tag, in the order of {@code tags}.
     */
    static Histogram[] writeLog(final Path file, final String[] tags, final int intervals, final CountOf countOf)
        throws IOException
    {
        final Histogram[] totals = new Histogram[tags.length];
        for (int t = 0; t < tags.length; t++)
        {
            totals[t] = new Histogram(3);
        }
        try (OutputStream stream = Files.newOutputStream(file);
            PrintStream print = new PrintStream(stream, false, StandardCharsets.US_ASCII))
        {
            final HistogramLogWriter writer = new HistogramLogWriter(print);
            writer.outputLogFormatVersion();
            writer.outputStartTime(LOG_START_MS);
            writer.setBaseTime(LOG_START_MS);
            writer.outputLegend();
            for (int i = 0; i < intervals; i++)
            {
                for (int t = 0; t < tags.length; t++)
                {
                    final Histogram interval = new Histogram(3);
                    final int count = countOf.count(i, t);
                    for (int v = 0; v < count; v++)
                    {
                        // tag t in interval i: (t + 1) * 10 us, the last value of the interval up to 1 ms more
                        interval.recordValue((t + 1) * 10_000L + (v == count - 1 ? i * 1_000_000L / intervals : v));
                    }
                    interval.setStartTimeStamp(LOG_START_MS + 1000L * i);
                    interval.setEndTimeStamp(LOG_START_MS + 1000L * (i + 1));
                    interval.setTag(tags[t]);
                    writer.outputIntervalHistogram(interval);
                    totals[t].add(interval);
                }
            }
            writer.close();
        }
        return totals;
    }

    /**
     * How many values interval i of tag t holds.
     */
    @FunctionalInterface
    interface CountOf
    {
        int count(int interval, int tag);
    }

    /**
     * @param file of lines.
     * @param line 1-based.
     * @return the line.
     */
    static String line(final Path file, final int line) throws IOException
    {
        return Files.readAllLines(file, StandardCharsets.ISO_8859_1).get(line - 1);
    }

    /**
     * Replace one line of a file.
     */
    static void replaceLine(final Path file, final int line, final String text) throws IOException
    {
        final List<String> lines = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
        lines.set(line - 1, text);
        Files.write(file, lines, StandardCharsets.ISO_8859_1);
    }

    /**
     * @param json of {@code txmon report --format json}.
     * @param name of a member.
     * @param field of it, such as {@code count} or {@code p99_ns}.
     * @return its whole-number value.
     */
    static long jsonField(final String json, final String name, final String field)
    {
        final Matcher member = Pattern.compile("\"" + Pattern.quote(name) + "\":\\{([^}]*)}").matcher(json);
        assertTrue(member.find(), "no member '" + name + "' in " + json);
        final Matcher value = Pattern.compile("\"" + Pattern.quote(field) + "\":(-?[0-9]+)").matcher(member.group(1));
        assertTrue(value.find(), "no field '" + field + "' in member '" + name + "' of " + json);
        return Long.parseLong(value.group(1));
    }
}
