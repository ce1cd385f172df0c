package io.txmon.perf.report;

import java.util.List;

/**
 * A {@link PercentileSeries} known only by its percentile rows and summary, as read from an {@code .hgrm} file.
 * <p>
 * A percentile is read at the first row that holds enough of the values: whose TotalCount reaches the count
 * the histogram itself would look for. That row's value is exact when a row ends in the same bucket as the
 * percentile does (always for p50 and the maximum; for any percentile when each distinct latency holds more than
 * the rows' spacing), and otherwise the next value up in the file, never below the true value and never above
 * the first row whose Percentile column reaches the percentile asked for.
 */
final class PointSeries implements PercentileSeries
{
    /** Percentile levels in the file are printed to 12 decimals of a fraction; allow for that rounding. */
    private static final double LEVEL_TOLERANCE = 1e-8;

    private final List<PercentilePoint> points;
    private final long count;
    private final long max;
    private final double mean;

    /**
     * @param points ascending, the last at 100%.
     * @param count  of values.
     * @param max    value, in nanoseconds.
     * @param mean   value, in nanoseconds.
     */
    PointSeries(final List<PercentilePoint> points, final long count, final long max, final double mean)
    {
        this.points = List.copyOf(points);
        this.count = count;
        this.max = max;
        this.mean = mean;
    }

    public long count()
    {
        return count;
    }

    public long max()
    {
        return max;
    }

    public double mean()
    {
        return mean;
    }

    public long valueAtPercentile(final double percentile)
    {
        final double wanted = Math.min(Math.max(percentile, 0.0), 100.0);
        final long countAtPercentile = Math.max(1, (long)Math.ceil(Math.nextDown(wanted) / 100.0 * count));
        for (final PercentilePoint point : points)
        {
            if (point.totalCount() >= countAtPercentile || point.percentile() >= wanted - LEVEL_TOLERANCE)
            {
                return point.valueNanos();
            }
        }
        return points.isEmpty() ? 0 : max;
    }

    public List<PercentilePoint> points()
    {
        return points;
    }
}
