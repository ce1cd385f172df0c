/**
 * Latency reports: HdrHistogram histograms of nanoseconds as percentile tables (text, JSON, CSV), as the
 * {@code .hgrm} percentile distribution HdrHistogram's plotter reads, and as one self-contained HTML page with
 * SVG charts drawn here; and {@code txmon report}, which renders interval logs ({@code .hlog}) and percentile
 * distributions ({@code .hgrm}) the same way.
 * <p>
 * <b>Design note.</b> An {@code .hgrm} file cannot be loaded back into a histogram, so every table and chart reads
 * a {@link io.txmon.perf.report.PercentileSeries}: a histogram adapted by
 * {@link io.txmon.perf.report.PercentileSeries#of}, or the rows of a file. One piece of code then draws each
 * table and chart whatever the source. {@link io.txmon.perf.report.LatencyReport} and
 * {@link io.txmon.perf.report.HtmlReport} are the library; {@link io.txmon.perf.report.ReportCommand} is the thin
 * command over them, and {@code txmon bench} calls the library directly.
 * <p>
 * Nothing here is on a hot path: it runs after a benchmark, on one thread, and allocates freely.
 */
package io.txmon.perf.report;
