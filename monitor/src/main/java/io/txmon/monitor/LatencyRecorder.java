package io.txmon.monitor;

import io.txmon.rules.TxEvent;
import io.txmon.sequencer.DecisionObserver;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

/**
 * Records ingest-to-decision latency, in nanoseconds, from the alert sink's thread (the single writer)
 * into an HdrHistogram recorder; any other thread harvests interval histograms.
 */
final class LatencyRecorder implements DecisionObserver
{
    /** Highest latency tracked: 60 s; higher values are clamped, never dropped. */
    private static final long HIGHEST_TRACKABLE_NS = 60_000_000_000L;

    private final SingleWriterRecorder recorder = new SingleWriterRecorder(HIGHEST_TRACKABLE_NS, 3);
    private final Histogram total = new Histogram(HIGHEST_TRACKABLE_NS, 3);
    private Histogram interval;

    public void onDecision(final TxEvent event, final long decisionNanos)
    {
        final long latency = decisionNanos - event.sequencedNanos;
        recorder.recordValue(Math.min(Math.max(latency, 0), HIGHEST_TRACKABLE_NS));
    }

    /**
     * Take what was recorded since the last harvest and add it to the running total. Any thread.
     *
     * @return the total since the recorder was created.
     */
    synchronized Histogram harvest()
    {
        interval = recorder.getIntervalHistogram(interval);
        total.add(interval);
        return total;
    }
}
