package io.txmon.perf.report;

/**
 * One step of a percentile distribution, as a row of an HdrHistogram {@code .hgrm} file: the value at or below
 * which a percentile of the recorded values lie.
 *
 * @param percentile from 0 to 100.
 * @param valueNanos the value at the percentile, in nanoseconds.
 * @param totalCount how many values are at or below it.
 */
public record PercentilePoint(double percentile, long valueNanos, long totalCount)
{
}
