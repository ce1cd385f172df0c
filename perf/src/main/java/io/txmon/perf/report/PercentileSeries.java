package io.txmon.perf.report;

import org.HdrHistogram.AbstractHistogram;

import java.util.List;

/**
 * A latency distribution in nanoseconds, as the tables and charts of the reports read it: a histogram held in
 * full, or the percentile rows of an {@code .hgrm} file, which HdrHistogram cannot load back into a histogram.
 */
public interface PercentileSeries
{
    /**
     * Steps of {@link #points()} per half of the distance to 100%, as {@code outputPercentileDistribution} is
     * usually called: enough to draw the tail smoothly.
     */
    int TICKS_PER_HALF_DISTANCE = 5;

    /**
     * @return how many values were recorded.
     */
    long count();

    /**
     * @return the largest value recorded, in nanoseconds, 0 if none.
     */
    long max();

    /**
     * @return the mean of the values, in nanoseconds, 0 if none.
     */
    double mean();

    /**
     * @param percentile from 0 to 100.
     * @return the value at or below which that percentile of the values lie, in nanoseconds, 0 if none.
     */
    long valueAtPercentile(double percentile);

    /**
     * @return the distribution in ascending steps, the last at 100% and the maximum; empty if no values.
     */
    List<PercentilePoint> points();

    /**
     * A series over a histogram whose values are nanoseconds. The histogram is read when the series is, not
     * copied: record nothing more into it while a report is built from it.
     *
     * @param histogram of nanosecond values.
     * @return a series over it.
     */
    static PercentileSeries of(final AbstractHistogram histogram)
    {
        return new HistogramSeries(histogram);
    }
}
