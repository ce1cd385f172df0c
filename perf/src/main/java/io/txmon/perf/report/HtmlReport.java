package io.txmon.perf.report;

import org.HdrHistogram.AbstractHistogram;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds one self-contained HTML latency report: inline CSS and SVG charts drawn here, nothing fetched, so it
 * opens offline and can be mailed or archived as one file. It holds a title, a table of facts about the run
 * ({@link #meta}), then in the order added: notes, the latency-by-percentile chart with its table (placed where
 * the first series was added; every series goes into it), and throughput/latency curves with their tables.
 * <p>
 * The output is well-formed XML as well as HTML: every element closed, every attribute quoted, every text
 * escaped, so XML tools can read it. Latencies show as in {@link LatencyReport#formatNanos(long)}.
 * <p>
 * Not thread safe; build it on one thread. Histograms are read when the report renders, not copied.
 */
public final class HtmlReport
{
    private static final String CSS = String.join("\n",
        "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;margin:24px auto;",
        "max-width:1000px;padding:0 16px;color:#222;line-height:1.4}",
        "h1{font-size:1.6em;margin-bottom:8px}h2{font-size:1.25em;margin-top:32px}",
        "table{border-collapse:collapse;margin:12px 0;font-size:0.92em}",
        "th,td{padding:3px 10px;border-bottom:1px solid #ddd;text-align:right;white-space:nowrap}",
        "th:first-child,td:first-child{text-align:left}",
        "thead th{border-bottom:2px solid #999}",
        "table.meta th{text-align:left;color:#555;font-weight:600}table.meta td{text-align:left;white-space:normal}",
        "tr.not-sustained td{color:#b00}",
        "span.swatch{display:inline-block;width:12px;height:12px;margin-right:6px;vertical-align:middle}",
        "svg{width:100%;height:auto;max-width:960px;font-size:13px}",
        "svg rect.plot{fill:#fcfcfc;stroke:#999}svg line.grid{stroke:#e3e3e3}",
        "svg text.tick{fill:#555}svg text.axis{fill:#333;font-weight:600}",
        "svg polyline.series{stroke-width:2}svg circle.marker{stroke-width:1.5}",
        "svg g.legend rect{fill:#ffffff;fill-opacity:0.85;stroke:#ccc}",
        "p.caption{color:#555;font-size:0.9em}p.footer{color:#888;font-size:0.85em;margin-top:40px}");

    private final String title;
    private final List<String[]> meta = new ArrayList<>();
    private final List<Block> blocks = new ArrayList<>();
    private final Map<String, PercentileSeries> series = new LinkedHashMap<>();

    /**
     * A part of the report, rendered in the order added.
     */
    @FunctionalInterface
    private interface Block
    {
        void render(StringBuilder sb);
    }

    /**
     * @param title of the page and its heading.
     */
    public HtmlReport(final String title)
    {
        this.title = title;
    }

    /**
     * Add a row to the table of facts at the top: the command, the machine, the date, the commit, the rates.
     *
     * @param key   of the fact.
     * @param value of the fact.
     * @return this.
     */
    public HtmlReport meta(final String key, final String value)
    {
        meta.add(new String[]{ key, value });
        return this;
    }

    /**
     * Add a series to the percentile chart and a row to its table.
     *
     * @param name      of the series, unique in the report.
     * @param histogram of nanosecond values.
     * @return this.
     * @throws IllegalArgumentException if the name is taken.
     */
    public HtmlReport histogram(final String name, final AbstractHistogram histogram)
    {
        return series(name, PercentileSeries.of(histogram));
    }

    /**
     * Add a series to the percentile chart and a row to its table.
     *
     * @param name   of the series, unique in the report.
     * @param values the distribution, nanoseconds.
     * @return this.
     * @throws IllegalArgumentException if the name is taken.
     */
    public HtmlReport series(final String name, final PercentileSeries values)
    {
        if (series.containsKey(name))
        {
            throw new IllegalArgumentException("the report has a series named '" + name + "' already");
        }
        if (series.isEmpty())
        {
            blocks.add(this::renderPercentiles);
        }
        series.put(name, values);
        return this;
    }

    /**
     * Add a paragraph; line breaks in the text are kept.
     *
     * @param text of the paragraph.
     * @return this.
     */
    public HtmlReport note(final String text)
    {
        blocks.add((sb) -> sb.append("<p class=\"note\">")
            .append(Markup.escape(text).replace("\r\n", "\n").replace("\n", "<br/>")).append("</p>\n"));
        return this;
    }

    /**
     * Add a throughput and latency curve: a chart of the median and 99th percentile latency by offered rate,
     * the sustained steps marked, and a table with a row per point in the order given.
     *
     * @param title  of the curve.
     * @param points of the curve, one per step run.
     * @return this.
     */
    public HtmlReport curve(final String title, final List<CurvePoint> points)
    {
        final List<CurvePoint> copy = List.copyOf(points);
        blocks.add((sb) -> renderCurve(sb, title, copy));
        return this;
    }

    /**
     * @return the page.
     */
    public String render()
    {
        final StringBuilder sb = new StringBuilder(64 * 1024);
        sb.append("<!DOCTYPE html>\n")
            .append("<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n")
            .append("<meta charset=\"utf-8\"/>\n")
            .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n")
            .append("<title>").append(Markup.escape(title)).append("</title>\n")
            .append("<style>\n").append(CSS).append("\n</style>\n</head>\n<body>\n")
            .append("<h1>").append(Markup.escape(title)).append("</h1>\n");
        if (!meta.isEmpty())
        {
            sb.append("<table class=\"meta\">\n<tbody>\n");
            for (final String[] row : meta)
            {
                sb.append("<tr><th>").append(Markup.escape(row[0])).append("</th><td>").append(Markup.escape(row[1]))
                    .append("</td></tr>\n");
            }
            sb.append("</tbody>\n</table>\n");
        }
        for (final Block block : blocks)
        {
            block.render(sb);
        }
        sb.append("<p class=\"footer\">Latencies in nanoseconds (ns), microseconds (us), milliseconds (ms) or ")
            .append("seconds (s). Generated by txmon.</p>\n</body>\n</html>\n");
        return sb.toString();
    }

    /**
     * Write the page, UTF-8.
     *
     * @param file to create or replace.
     * @throws UncheckedIOException if it cannot be written.
     */
    public void write(final Path file)
    {
        try
        {
            Files.writeString(file, render(), StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot write " + file + ": " + ex.getMessage(), ex);
        }
    }

    private void renderPercentiles(final StringBuilder sb)
    {
        sb.append("<section class=\"latency\">\n<h2>Latency by percentile</h2>\n");
        PercentileChart.render(sb, series);
        sb.append("<p class=\"caption\">Each line gives the latency at or below which a percentile of the values ")
            .append("lie. Each step right on the percentile axis is a tail ten times rarer; each line ends at its ")
            .append("maximum.</p>\n")
            .append("<table class=\"percentiles\">\n<thead>\n<tr><th>series</th><th>count</th>");
        for (final double percentile : LatencyReport.PERCENTILES)
        {
            sb.append("<th>").append(LatencyReport.percentileLabel(percentile)).append("</th>");
        }
        sb.append("<th>max</th><th>mean</th></tr>\n</thead>\n<tbody>\n");
        int index = 0;
        for (final Map.Entry<String, PercentileSeries> e : series.entrySet())
        {
            final PercentileSeries values = e.getValue();
            sb.append("<tr><td><span class=\"swatch\" style=\"background:").append(Markup.colour(index++))
                .append("\"></span>").append(Markup.escape(e.getKey())).append("</td><td>").append(values.count())
                .append("</td>");
            for (final double percentile : LatencyReport.PERCENTILES)
            {
                cell(sb, LatencyReport.formatNanos(values.valueAtPercentile(percentile)));
            }
            cell(sb, LatencyReport.formatNanos(values.max()));
            cell(sb, LatencyReport.formatNanos(Math.round(values.mean())));
            sb.append("</tr>\n");
        }
        sb.append("</tbody>\n</table>\n</section>\n");
    }

    private static void renderCurve(final StringBuilder sb, final String title, final List<CurvePoint> points)
    {
        sb.append("<section class=\"curve\">\n<h2>").append(Markup.escape(title)).append("</h2>\n");
        CurveChart.render(sb, title, points);
        double highestSustained = -1;
        for (final CurvePoint point : points)
        {
            if (point.sustained())
            {
                highestSustained = Math.max(highestSustained, point.offeredPerSecond());
            }
        }
        sb.append("<p class=\"caption\">Filled markers: the step sustained its offered rate; hollow: it did not. ")
            .append(highestSustained < 0 ? "No step was sustained." :
                "Highest sustained offered rate: " + Markup.wholeRate(highestSustained) + " per second.")
            .append("</p>\n")
            .append("<table class=\"curve-points\">\n<thead>\n<tr><th>step</th><th>offered/s</th><th>achieved/s</th>")
            .append("<th>p50</th><th>p99</th><th>p99.9</th><th>max</th><th>sustained</th></tr>\n</thead>\n<tbody>\n");
        int step = 0;
        for (final CurvePoint point : points)
        {
            sb.append("<tr class=\"").append(point.sustained() ? "sustained" : "not-sustained").append("\"><td>")
                .append(++step).append("</td>");
            cell(sb, Markup.wholeRate(point.offeredPerSecond()));
            cell(sb, Markup.wholeRate(point.achievedPerSecond()));
            cell(sb, LatencyReport.formatNanos(point.p50Nanos()));
            cell(sb, LatencyReport.formatNanos(point.p99Nanos()));
            cell(sb, LatencyReport.formatNanos(point.p999Nanos()));
            cell(sb, LatencyReport.formatNanos(point.maxNanos()));
            cell(sb, point.sustained() ? "yes" : "no");
            sb.append("</tr>\n");
        }
        sb.append("</tbody>\n</table>\n</section>\n");
    }

    private static void cell(final StringBuilder sb, final String text)
    {
        sb.append("<td>").append(Markup.escape(text)).append("</td>");
    }
}
