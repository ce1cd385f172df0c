package io.txmon.perf.report;

/**
 * One step of a throughput and latency curve, as {@code txmon bench --find-max} measures it: a rate offered,
 * the rate achieved, the latency at it, and whether the step held the rate.
 *
 * @param offeredPerSecond  rate the load generator offered, events per second.
 * @param achievedPerSecond rate the system completed, events per second.
 * @param p50Nanos          median latency, nanoseconds.
 * @param p99Nanos          99th percentile latency, nanoseconds.
 * @param p999Nanos         99.9th percentile latency, nanoseconds.
 * @param maxNanos          largest latency, nanoseconds.
 * @param sustained         whether the step held the offered rate within its latency objective.
 */
public record CurvePoint(
    double offeredPerSecond,
    double achievedPerSecond,
    long p50Nanos,
    long p99Nanos,
    long p999Nanos,
    long maxNanos,
    boolean sustained)
{
}
