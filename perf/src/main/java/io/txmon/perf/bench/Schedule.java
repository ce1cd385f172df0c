package io.txmon.perf.bench;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * When each event of an open-loop run was due: producer {@code p}'s event with sequence {@code s} was due at
 * {@code start(p) + s × interval(p)}. Producers set their start when they send their first event; whoever measures
 * computes the due time of any event from its producer id and sequence, so nothing is stored per event.
 * <p>
 * Events before a producer's warm-up sequence are not measured.
 */
final class Schedule
{
    private final long firstProducerId;
    private final double[] intervalNanos;
    private final long[] warmupEvents;
    private final AtomicLongArray start;

    /**
     * @param firstProducerId id of producer index 0; index p has id firstProducerId + p.
     * @param producers       how many.
     * @param ratePerProducer events per second each producer offers.
     * @param warmupEvents    events of each producer not measured.
     */
    Schedule(final long firstProducerId, final int producers, final double ratePerProducer, final long warmupEvents)
    {
        this.firstProducerId = firstProducerId;
        this.intervalNanos = new double[producers];
        this.warmupEvents = new long[producers];
        this.start = new AtomicLongArray(producers);
        for (int p = 0; p < producers; p++)
        {
            intervalNanos[p] = Double.isInfinite(ratePerProducer) ? 0 : 1e9 / ratePerProducer;
            this.warmupEvents[p] = warmupEvents;
        }
    }

    void start(final int index, final long startNanos)
    {
        start.set(index, startNanos);
    }

    /**
     * @param index    of the producer.
     * @param sequence of the event.
     * @return nanoseconds after the producer's start that the event is due.
     */
    long offsetNanos(final int index, final long sequence)
    {
        return (long)(sequence * intervalNanos[index]);
    }

    /**
     * @param producerId of an event.
     * @return the producer's index here, or -1 when the event is not from this run's producers.
     */
    int indexOf(final long producerId)
    {
        final long index = producerId - firstProducerId;
        return index >= 0 && index < intervalNanos.length ? (int)index : -1;
    }

    /**
     * @param index    of the producer.
     * @param sequence of the event.
     * @return true when the event is measured: past the warm-up.
     */
    boolean measured(final int index, final long sequence)
    {
        // closed loop: every event is due at once, so a latency from the due time would be queueing only
        return sequence >= warmupEvents[index] && intervalNanos[index] > 0;
    }

    /**
     * @param index of the producer.
     * @return its events before measuring starts.
     */
    long warmupEvents(final int index)
    {
        return warmupEvents[index];
    }

    /**
     * @param index    of the producer, which has started.
     * @param sequence of the event.
     * @return when it was due, same clock as {@link System#nanoTime()}.
     */
    long intended(final int index, final long sequence)
    {
        return start.get(index) + offsetNanos(index, sequence);
    }

    /**
     * @param nowNanos a time.
     * @param counts   events each producer sends in all.
     * @return events due by then, all producers together: what an engine keeping up has taken.
     */
    long dueBy(final long nowNanos, final int[] counts)
    {
        long due = 0;
        for (int p = 0; p < intervalNanos.length; p++)
        {
            final long s = start.get(p);
            if (s != 0 && nowNanos >= s)
            {
                due += intervalNanos[p] == 0 ? counts[p] :
                    Math.min(counts[p], 1 + (long)((nowNanos - s) / intervalNanos[p]));
            }
        }
        return due;
    }

    /**
     * @return events per second offered by all producers together.
     */
    double ratePerSecond()
    {
        double rate = 0;
        for (final double interval : intervalNanos)
        {
            rate += interval == 0 ? Double.POSITIVE_INFINITY : 1e9 / interval;
        }
        return rate;
    }

    /**
     * @return the earliest start of a producer, 0 if none has started.
     */
    long firstStart()
    {
        long first = 0;
        for (int p = 0; p < start.length(); p++)
        {
            final long s = start.get(p);
            if (s != 0 && (first == 0 || s < first))
            {
                first = s;
            }
        }
        return first;
    }

    /**
     * @return producers.
     */
    int producers()
    {
        return intervalNanos.length;
    }
}
