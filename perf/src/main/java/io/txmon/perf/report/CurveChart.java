package io.txmon.perf.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A throughput and latency curve in SVG: the offered rate on a linear x axis from 0, the median and 99th
 * percentile latency on a logarithmic y axis, a marker at each step, filled where the step was sustained and
 * hollow where it was not.
 */
final class CurveChart
{
    private static final int TARGET_TICKS = 6;
    private static final String P50_COLOUR = Markup.colour(0);
    private static final String P99_COLOUR = Markup.colour(1);

    private CurveChart()
    {
    }

    /**
     * @param sb     to append the {@code <svg>} element to.
     * @param title  of the curve.
     * @param points of the curve, in any order.
     */
    static void render(final StringBuilder sb, final String title, final List<CurvePoint> points)
    {
        final Chart chart = new Chart(sb, "curve-chart", "Latency by offered rate: " + title);
        if (points.isEmpty())
        {
            chart.message("no points");
            chart.close();
            return;
        }
        final List<CurvePoint> sorted = new ArrayList<>(points);
        sorted.sort(Comparator.comparingDouble(CurvePoint::offeredPerSecond));

        double maxRate = 0;
        double minPositive = Double.MAX_VALUE;
        double maxLatency = 0;
        for (final CurvePoint point : sorted)
        {
            maxRate = Math.max(maxRate, point.offeredPerSecond());
            maxLatency = Math.max(maxLatency, Math.max(point.p50Nanos(), point.p99Nanos()));
            if (point.p50Nanos() > 0)
            {
                minPositive = Math.min(minPositive, point.p50Nanos());
            }
            if (point.p99Nanos() > 0)
            {
                minPositive = Math.min(minPositive, point.p99Nanos());
            }
        }
        final double step = niceStep(maxRate / TARGET_TICKS);
        final double top = Math.max(step, Math.ceil(maxRate / step) * step);
        for (int i = 0; i * step <= top * (1 + 1e-9); i++)
        {
            chart.xTick(i * step / top, Markup.rate(i * step));
        }
        final Chart.LogAxis axis = new Chart.LogAxis(minPositive == Double.MAX_VALUE ? 1 : minPositive, maxLatency);
        for (final double tick : axis.ticks())
        {
            chart.yTick(axis.fraction(tick), Markup.duration(tick));
        }

        final int count = sorted.size();
        final double[] xs = new double[count];
        final double[] p50 = new double[count];
        final double[] p99 = new double[count];
        for (int i = 0; i < count; i++)
        {
            final CurvePoint point = sorted.get(i);
            xs[i] = Math.max(0, point.offeredPerSecond()) / top;
            p50[i] = axis.fraction(point.p50Nanos());
            p99[i] = axis.fraction(point.p99Nanos());
        }
        chart.polyline(xs, p50, count, P50_COLOUR, "", "p50");
        chart.polyline(xs, p99, count, P99_COLOUR, "", "p99");
        for (int i = 0; i < count; i++)
        {
            final CurvePoint point = sorted.get(i);
            final String at = " at offered " + Markup.wholeRate(point.offeredPerSecond()) + "/s, achieved " +
                Markup.wholeRate(point.achievedPerSecond()) + "/s, " + (point.sustained() ? "sustained" : "not sustained");
            chart.marker(xs[i], p50[i], P50_COLOUR, point.sustained(),
                "p50 " + LatencyReport.formatNanos(point.p50Nanos()) + at);
            chart.marker(xs[i], p99[i], P99_COLOUR, point.sustained(),
                "p99 " + LatencyReport.formatNanos(point.p99Nanos()) + at);
        }
        chart.legend(List.of("p50", "p99"), List.of(P50_COLOUR, P99_COLOUR), List.of("", ""));
        chart.axisTitles("Offered rate (per second)", "Latency");
        chart.close();
    }

    /**
     * @param raw a step wanted.
     * @return the step of 1, 2 or 5 times a power of ten at or above it; 1 if it is not above 0.
     */
    static double niceStep(final double raw)
    {
        if (!(raw > 0) || !Double.isFinite(raw))
        {
            return 1;
        }
        final double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        final double residual = raw / magnitude;
        final double nice = residual <= 1 ? 1 : residual <= 2 ? 2 : residual <= 5 ? 5 : 10;
        return nice * magnitude;
    }
}
