package io.txmon.perf.report;

import io.txmon.cli.CliArgs;
import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code txmon report}: render latency logs, HdrHistogram interval logs ({@code .hlog}) and percentile
 * distributions ({@code .hgrm}), as a percentile summary in text, JSON or CSV, one row per interval with
 * {@code --interval}, and a self-contained HTML report with {@code --html}.
 * <p>
 * Every input is read and checked before anything is written, so a failure leaves standard output empty and
 * says on one line of standard error what is wrong and what to do.
 */
public final class ReportCommand
{
    /** Done. */
    public static final int EXIT_OK = 0;
    /** A file could not be read, is damaged, or has nothing in the range asked for. */
    public static final int EXIT_FAILED = 1;
    /** The command line cannot run as given; {@link #run} throws {@link CliArgs.UsageException} for it. */
    public static final int EXIT_USAGE = 2;

    /** One line for the launcher's list of commands. */
    public static final String SUMMARY = "render latency logs (.hlog, .hgrm) as percentile tables and HTML charts";

    private static final String DEFAULT_TITLE = "txmon latency report";
    private static final Set<String> WITH_VALUE = Set.of("--format", "--html", "--title", "--from", "--to", "--hgrm-unit");
    private static final Set<String> FLAGS = Set.of("--interval", "--help");
    private static final Map<String, Double> UNITS = Map.of("ns", 1.0, "us", 1e3, "ms", 1e6, "s", 1e9);

    static final String HELP = String.join(System.lineSeparator(),
        "usage: txmon report [options] FILE...",
        "",
        "Renders latency logs as percentile tables and charts: a summary on standard output and, with --html,",
        "a self-contained HTML page (nothing fetched, opens offline) with the latency-by-percentile chart.",
        "",
        "FILE, one or more:",
        "  NAME.hlog                an HdrHistogram interval log (HistogramLogWriter), as txmon bench writes it:",
        "                           the intervals of each tag are added into one histogram per tag (txmon bench",
        "                           tags journaled, decision and raw-ipc); untagged intervals are named NAME.",
        "                           With several files each name is prefixed by its file's: NAME:journaled",
        "  NAME.hgrm                a percentile distribution (outputPercentileDistribution), named NAME",
        "options:",
        "  --format text|json|csv   the summary on standard output (default text): count, p50, p90, p99, p99.9,",
        "                           p99.99 and max per name; json and csv in nanoseconds, with the mean",
        "  --html <file>            also write the HTML report to the file",
        "  --title <text>           title of the HTML report (default \"" + DEFAULT_TITLE + "\")",
        "  --from <seconds>         .hlog: only the intervals that start this many seconds or more after the",
        "                           log's start, e.g. to leave out the warm-up (default 0)",
        "  --to <seconds>           .hlog: only the intervals that start this many seconds or less after it",
        "  --interval               .hlog: one row per interval per name instead of the totals: its start in",
        "                           seconds after the log's start, length, count, p50, p99 and max",
        "  --hgrm-unit ns|us|ms|s   unit of the values in .hgrm files (default us, as txmon bench and",
        "                           HdrHistogram's plotter write them)",
        "  --help                   this text",
        "",
        "Text shows latencies with their unit (us = microseconds). Exit status: 0 done, 1 a file cannot be read,",
        "is damaged or has no interval in the range, 2 the command line cannot run as given.");

    private ReportCommand()
    {
    }

    /**
     * A row of {@code --interval}.
     */
    private record IntervalRow(
        String name, double startSeconds, double lengthSeconds, long count, long p50Nanos, long p99Nanos, long maxNanos)
    {
    }

    /**
     * @param args after the command name.
     * @param out  for the report.
     * @param err  for a failure, one line.
     * @return exit status: {@link #EXIT_OK} or {@link #EXIT_FAILED}.
     * @throws CliArgs.UsageException if the command line cannot run as given: the caller prints its message and
     *                                exits with {@link #EXIT_USAGE}.
     * @throws Exception              a failure not foreseen; the caller reports it on one line.
     */
    public static int run(final String[] args, final PrintStream out, final PrintStream err) throws Exception
    {
        final List<String> files = new ArrayList<>();
        final CliArgs cli = CliArgs.parse("report", splitOptions(args, files), WITH_VALUE, FLAGS);
        if (cli.has("--help"))
        {
            printHelp(out);
            return EXIT_OK;
        }
        if (files.isEmpty())
        {
            throw new CliArgs.UsageException("give one or more .hlog or .hgrm files; see 'txmon report --help'");
        }
        final String format = cli.get("--format", "text");
        if (!"text".equals(format) && !"json".equals(format) && !"csv".equals(format))
        {
            throw new CliArgs.UsageException("--format '" + format + "' is not text, json or csv");
        }
        final double from = seconds(cli, "--from", 0);
        final double to = seconds(cli, "--to", Double.MAX_VALUE);
        if (from > to)
        {
            throw new CliArgs.UsageException("--from " + cli.get("--from", "") + " is after --to " + cli.get("--to", ""));
        }
        final String unit = cli.get("--hgrm-unit", "us");
        if (!UNITS.containsKey(unit))
        {
            throw new CliArgs.UsageException("--hgrm-unit '" + unit + "' is not ns, us, ms or s");
        }
        final boolean intervals = cli.has("--interval");
        final Path html = cli.has("--html") ? Path.of(cli.get("--html", "")) : null;

        final List<Path> paths = new ArrayList<>();
        boolean anyHlog = false;
        boolean anyHgrm = false;
        for (final String file : files)
        {
            final Path path = Path.of(file);
            final boolean hlog = isHlog(path);
            if (!hlog && !isHgrm(path))
            {
                throw new CliArgs.UsageException(file + ": not a latency log txmon report reads; give .hlog " +
                    "(HdrHistogram interval log) or .hgrm (percentile distribution) files");
            }
            if (!Files.isRegularFile(path))
            {
                throw new CliArgs.UsageException(file + ": " + (Files.exists(path) ? "not a file" : "no such file") +
                    "; check the path");
            }
            anyHlog |= hlog;
            anyHgrm |= !hlog;
            paths.add(path);
        }
        if (!anyHlog && (cli.has("--from") || cli.has("--to") || intervals))
        {
            throw new CliArgs.UsageException(
                "--from, --to and --interval are for .hlog files; .hgrm files have no intervals");
        }
        if (!anyHgrm && cli.has("--hgrm-unit"))
        {
            throw new CliArgs.UsageException("--hgrm-unit is for .hgrm files");
        }
        final Path htmlDirectory = null == html ? null : html.toAbsolutePath().getParent();
        if (null != htmlDirectory && !Files.isDirectory(htmlDirectory))
        {
            throw new CliArgs.UsageException("--html " + html + ": the directory " + htmlDirectory + " does not exist");
        }

        try
        {
            final Map<String, PercentileSeries> named = new LinkedHashMap<>();
            final Map<String, List<IntervalRow>> rows = new LinkedHashMap<>();
            final List<String> stems = stems(paths);
            Instant logStart = null;
            for (int i = 0; i < paths.size(); i++)
            {
                final Path path = paths.get(i);
                final String stem = stems.get(i);
                if (isHgrm(path))
                {
                    named.put(stem, HgrmFile.read(path, UNITS.get(unit)));
                    continue;
                }
                final Map<String, Histogram> byName = new LinkedHashMap<>();
                HlogFile.check(path);
                final double startTime = HlogFile.read(path, from, to, (tag, startSeconds, lengthSeconds, interval) ->
                {
                    final String name = null == tag ? stem : paths.size() > 1 ? stem + ":" + tag : tag;
                    byName.computeIfAbsent(name, (k) -> new Histogram(interval.getNumberOfSignificantValueDigits()))
                        .add(interval);
                    if (intervals)
                    {
                        rows.computeIfAbsent(name, (k) -> new ArrayList<>())
                            .add(row(name, startSeconds, lengthSeconds, interval));
                    }
                });
                if (byName.isEmpty())
                {
                    throw new ReportException(emptyRange(path, from, to));
                }
                for (final Map.Entry<String, Histogram> e : byName.entrySet())
                {
                    named.put(e.getKey(), PercentileSeries.of(e.getValue()));
                }
                if (null == logStart)
                {
                    logStart = Instant.ofEpochMilli(Math.round(startTime * 1000.0));
                }
            }

            final String text = intervals ? intervalReport(rows, format) : summary(named, format);
            if (null != html)
            {
                final HtmlReport report = new HtmlReport(cli.get("--title", DEFAULT_TITLE))
                    .meta("files", String.join(", ", files));
                if (null != logStart)
                {
                    report.meta("log start", logStart.toString());
                }
                if (cli.has("--from") || cli.has("--to"))
                {
                    report.meta("range", "intervals starting " + cli.get("--from", "0") + " s to " +
                        cli.get("--to", "the end") + (cli.has("--to") ? " s" : "") + " after the log's start");
                }
                report.meta("generated", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
                for (final Map.Entry<String, PercentileSeries> e : named.entrySet())
                {
                    report.series(e.getKey(), e.getValue());
                }
                report.write(html);
            }
            out.print(text);
            out.flush();
            return EXIT_OK;
        }
        catch (final ReportException ex)
        {
            err.println("txmon report: " + ex.getMessage());
            return EXIT_FAILED;
        }
        catch (final IOException ex)
        {
            err.println("txmon report: " + describe(ex));
            return EXIT_FAILED;
        }
        catch (final UncheckedIOException ex)
        {
            err.println("txmon report: " + ex.getMessage());
            return EXIT_FAILED;
        }
    }

    /**
     * @param out for the help text.
     */
    public static void printHelp(final PrintStream out)
    {
        out.println(HELP);
    }

    private static String[] splitOptions(final String[] args, final List<String> files)
    {
        final List<String> options = new ArrayList<>();
        for (int i = 0; i < args.length; i++)
        {
            final String arg = args[i];
            if ("--".equals(arg))
            {
                files.addAll(List.of(args).subList(i + 1, args.length));
                break;
            }
            if (arg.startsWith("-") && arg.length() > 1)
            {
                options.add(arg);
                if (WITH_VALUE.contains(arg) && i + 1 < args.length)
                {
                    options.add(args[++i]);
                }
            }
            else
            {
                files.add(arg);
            }
        }
        return options.toArray(new String[0]);
    }

    private static double seconds(final CliArgs cli, final String name, final double defaultValue)
    {
        if (!cli.has(name))
        {
            return defaultValue;
        }
        final String text = cli.get(name, "");
        try
        {
            final double value = Double.parseDouble(text);
            if (value >= 0 && Double.isFinite(value))
            {
                return value;
            }
        }
        catch (final NumberFormatException ex)
        {
            // refused below
        }
        throw new CliArgs.UsageException(name + " takes seconds from the log's start, 0 or more, not '" + text + "'");
    }

    private static boolean isHlog(final Path path)
    {
        return path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".hlog");
    }

    private static boolean isHgrm(final Path path)
    {
        return path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".hgrm");
    }

    /**
     * @return each file's name without its extension, made unique by a suffix where two are the same.
     */
    private static List<String> stems(final List<Path> paths)
    {
        final List<String> stems = new ArrayList<>();
        final Set<String> taken = new HashSet<>();
        for (final Path path : paths)
        {
            final String fileName = path.getFileName().toString();
            final String stem = fileName.substring(0, fileName.lastIndexOf('.'));
            String unique = stem;
            int n = 1;
            while (!taken.add(unique))
            {
                unique = stem + " (" + (++n) + ")";
            }
            stems.add(unique);
        }
        return stems;
    }

    private static IntervalRow row(
        final String name, final double startSeconds, final double lengthSeconds, final AbstractHistogram interval)
    {
        return new IntervalRow(name, startSeconds, lengthSeconds, interval.getTotalCount(),
            interval.getValueAtPercentile(50), interval.getValueAtPercentile(99), interval.getMaxValue());
    }

    private static String emptyRange(final Path path, final double from, final double to)
        throws IOException, ReportException
    {
        final double[] span = { Double.MAX_VALUE, -Double.MAX_VALUE, 0 };
        HlogFile.read(path, -Double.MAX_VALUE, Double.MAX_VALUE, (tag, startSeconds, lengthSeconds, interval) ->
        {
            span[0] = Math.min(span[0], startSeconds);
            span[1] = Math.max(span[1], startSeconds);
            span[2]++;
        });
        if (span[2] == 0)
        {
            return path + ": the log has no intervals; was the run stopped before its first interval ended?";
        }
        return path + ": no interval starts between " + secondsText(from) + " s and " +
            (to == Double.MAX_VALUE ? "the end" : secondsText(to) + " s") + " after the log's start; its " +
            (long)span[2] + " intervals start " + secondsText(span[0]) + " to " + secondsText(span[1]) +
            " s after it: give --from and --to within that";
    }

    private static String secondsText(final double seconds)
    {
        return new BigDecimal(String.format(Locale.ROOT, "%.3f", seconds)).stripTrailingZeros().toPlainString();
    }

    private static String summary(final Map<String, PercentileSeries> named, final String format)
    {
        switch (format)
        {
            case "json":
                return LatencyReport.seriesJson(named);
            case "csv":
                return LatencyReport.seriesCsv(named);
            default:
                return LatencyReport.seriesTable(named);
        }
    }

    private static String intervalReport(final Map<String, List<IntervalRow>> rows, final String format)
    {
        final StringBuilder sb = new StringBuilder();
        final TextTable table = new TextTable("name", "start_s", "length_s", "count", "p50", "p99", "max");
        if ("json".equals(format))
        {
            sb.append('[');
        }
        else if ("csv".equals(format))
        {
            sb.append("name,start_s,length_s,count,p50_ns,p99_ns,max_ns\n");
        }
        String separator = "\n";
        for (final List<IntervalRow> named : rows.values())
        {
            for (final IntervalRow row : named)
            {
                final String start = String.format(Locale.ROOT, "%.3f", row.startSeconds());
                final String length = String.format(Locale.ROOT, "%.3f", row.lengthSeconds());
                if ("json".equals(format))
                {
                    sb.append(separator).append("  {\"name\":").append(LatencyReport.jsonString(row.name()))
                        .append(",\"start_s\":").append(start).append(",\"length_s\":").append(length)
                        .append(",\"count\":").append(row.count()).append(",\"p50_ns\":").append(row.p50Nanos())
                        .append(",\"p99_ns\":").append(row.p99Nanos()).append(",\"max_ns\":").append(row.maxNanos())
                        .append('}');
                    separator = ",\n";
                }
                else if ("csv".equals(format))
                {
                    sb.append(LatencyReport.csvField(row.name())).append(',').append(start).append(',').append(length)
                        .append(',').append(row.count()).append(',').append(row.p50Nanos()).append(',')
                        .append(row.p99Nanos()).append(',').append(row.maxNanos()).append('\n');
                }
                else
                {
                    table.row(row.name(), start, length, Long.toString(row.count()),
                        LatencyReport.formatNanos(row.p50Nanos()), LatencyReport.formatNanos(row.p99Nanos()),
                        LatencyReport.formatNanos(row.maxNanos()));
                }
            }
        }
        if ("json".equals(format))
        {
            return sb.append("\n]\n").toString();
        }
        return "csv".equals(format) ? sb.toString() : table.render();
    }

    private static String describe(final IOException ex)
    {
        if (ex instanceof NoSuchFileException)
        {
            return ex.getMessage() + ": no such file";
        }
        if (ex instanceof AccessDeniedException)
        {
            return ex.getMessage() + ": permission denied";
        }
        return null == ex.getMessage() ? ex.getClass().getSimpleName() : ex.getMessage();
    }
}
