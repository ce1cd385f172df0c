package io.txmon.perf.report;

import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.HistogramIterationValue;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@link PercentileSeries} over a histogram of nanosecond values, read when asked.
 */
final class HistogramSeries implements PercentileSeries
{
    private final AbstractHistogram histogram;

    HistogramSeries(final AbstractHistogram histogram)
    {
        this.histogram = histogram;
    }

    public long count()
    {
        return histogram.getTotalCount();
    }

    public long max()
    {
        return histogram.getMaxValue();
    }

    public double mean()
    {
        return histogram.getMean();
    }

    public long valueAtPercentile(final double percentile)
    {
        return histogram.getValueAtPercentile(percentile);
    }

    /**
     * The same steps as {@code outputPercentileDistribution(out, }{@value #TICKS_PER_HALF_DISTANCE}{@code , ...)}
     * writes.
     */
    public List<PercentilePoint> points()
    {
        final List<PercentilePoint> points = new ArrayList<>();
        for (final HistogramIterationValue value : histogram.percentiles(TICKS_PER_HALF_DISTANCE))
        {
            points.add(new PercentilePoint(
                value.getPercentileLevelIteratedTo(), value.getValueIteratedTo(), value.getTotalCountToThisValue()));
        }
        return points;
    }
}
