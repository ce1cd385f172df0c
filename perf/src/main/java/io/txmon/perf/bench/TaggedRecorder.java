package io.txmon.perf.bench;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

/**
 * One latency series of a run (journaled, decision, raw-ipc): a single-writer HdrHistogram recorder written on the
 * thread that sees the events complete, harvested as interval histograms by the main thread, and the sum of the
 * harvested intervals.
 */
final class TaggedRecorder
{
    /** Highest latency recorded as itself; longer ones count as this (a minute, far past any bound). */
    static final long HIGHEST_NANOS = 60_000_000_000L;
    /** Significant digits: values within 0.1 %. */
    static final int DIGITS = 3;

    private final String tag;
    private final SingleWriterRecorder recorder = new SingleWriterRecorder(1, HIGHEST_NANOS, DIGITS);
    private final Histogram total = new Histogram(1, HIGHEST_NANOS, DIGITS);
    private Histogram interval;

    /**
     * @param tag of the series in the interval log.
     */
    TaggedRecorder(final String tag)
    {
        this.tag = tag;
    }

    /**
     * Record one latency; from the one writer thread only.
     *
     * @param nanos latency; clamped to 1 ns .. {@link #HIGHEST_NANOS}.
     */
    void record(final long nanos)
    {
        recorder.recordValue(nanos < 1 ? 1 : Math.min(nanos, HIGHEST_NANOS));
    }

    /**
     * Take what was recorded since the last call, add it to the total.
     *
     * @return the interval's histogram, tagged, reused by the next call.
     */
    Histogram harvest()
    {
        interval = recorder.getIntervalHistogram(interval);
        interval.setTag(tag);
        total.add(interval);
        return interval;
    }

    /**
     * @return the tag.
     */
    String tag()
    {
        return tag;
    }

    /**
     * @return everything harvested so far.
     */
    Histogram total()
    {
        return total;
    }
}
