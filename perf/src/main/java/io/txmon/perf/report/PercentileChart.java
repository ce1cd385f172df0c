package io.txmon.perf.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The classic HdrHistogram latency-by-percentile plot in SVG. The x axis is {@code log10(1/(1-p))}: each
 * step right is a tail ten times rarer, ticked 0%, 90%, 99%, 99.9% and on; the y axis is latency on a
 * logarithmic scale. Each series is one line through its {@link PercentileSeries#points()}, ending at its
 * maximum: the 100% point has no place on the x axis, so it is drawn above the last one before it.
 */
final class PercentileChart
{
    /** Decades of the x axis at least: to 99.999%. */
    static final int MIN_DECADES = 5;
    /** Decades of the x axis at most: to 99.9999999999%. */
    static final int MAX_DECADES = 12;

    private PercentileChart()
    {
    }

    /**
     * @param sb     to append the {@code <svg>} element to.
     * @param series to draw, by name, in the order of the legend.
     */
    static void render(final StringBuilder sb, final Map<String, ? extends PercentileSeries> series)
    {
        final List<String> names = new ArrayList<>(series.keySet());
        final double[][] xs = new double[names.size()][];
        final double[][] values = new double[names.size()][];
        double maxX = 0;
        double minPositive = Double.MAX_VALUE;
        double maxValue = 0;
        for (int i = 0; i < names.size(); i++)
        {
            final List<PercentilePoint> points = series.get(names.get(i)).points();
            xs[i] = new double[points.size()];
            values[i] = new double[points.size()];
            double x = 0;
            for (int j = 0; j < points.size(); j++)
            {
                final PercentilePoint point = points.get(j);
                final double remaining = 1.0 - point.percentile() / 100.0;
                if (remaining > 0)
                {
                    x = Math.min(MAX_DECADES, -Math.log10(remaining));
                }
                xs[i][j] = x;
                values[i][j] = point.valueNanos();
                maxX = Math.max(maxX, x);
                maxValue = Math.max(maxValue, point.valueNanos());
                if (point.valueNanos() > 0)
                {
                    minPositive = Math.min(minPositive, point.valueNanos());
                }
            }
        }

        final Chart chart = new Chart(sb, "percentile-chart", "Latency by percentile: " + String.join(", ", names));
        final int decades = Math.max(MIN_DECADES, (int)Math.ceil(maxX - 1e-9));
        for (int decade = 0; decade <= decades; decade++)
        {
            chart.xTick((double)decade / decades, percentileTick(decade));
        }
        if (isEmpty(values))
        {
            chart.message("no values recorded");
            chart.axisTitles("Percentile", "Latency");
            chart.close();
            return;
        }

        final Chart.LogAxis axis = new Chart.LogAxis(minPositive == Double.MAX_VALUE ? 1 : minPositive, maxValue);
        for (final double tick : axis.ticks())
        {
            chart.yTick(axis.fraction(tick), Markup.duration(tick));
        }
        final List<String> colours = new ArrayList<>();
        final List<String> dashes = new ArrayList<>();
        final List<String> labels = new ArrayList<>();
        for (int i = 0; i < names.size(); i++)
        {
            final int count = xs[i].length;
            final double[] xFractions = new double[count];
            final double[] yFractions = new double[count];
            for (int j = 0; j < count; j++)
            {
                xFractions[j] = xs[i][j] / decades;
                yFractions[j] = axis.fraction(values[i][j]);
            }
            colours.add(Markup.colour(i));
            dashes.add(Markup.dash(i));
            labels.add(count == 0 ? names.get(i) + " (no values)" : names.get(i));
            if (count > 0)
            {
                chart.polyline(xFractions, yFractions, count, Markup.colour(i), Markup.dash(i), names.get(i));
            }
        }
        chart.legend(labels, colours, dashes);
        chart.axisTitles("Percentile", "Latency");
        chart.close();
    }

    /**
     * @param decade of the x axis, 0 up.
     * @return the percentile where it starts: 0%, 90%, 99%, 99.9%...
     */
    static String percentileTick(final int decade)
    {
        switch (decade)
        {
            case 0:
                return "0%";
            case 1:
                return "90%";
            case 2:
                return "99%";
            default:
                return "99." + "9".repeat(decade - 2) + "%";
        }
    }

    private static boolean isEmpty(final double[][] values)
    {
        for (final double[] series : values)
        {
            if (series.length > 0)
            {
                return false;
            }
        }
        return true;
    }
}
