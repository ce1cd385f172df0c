package io.txmon.perf.bench;

import io.txmon.scenario.Planted;

import java.util.List;
import java.util.function.LongFunction;

/**
 * What a load step drives: the txmon engine, or a raw Aeron baseline taking the same messages.
 */
interface Target extends AutoCloseable
{
    /**
     * @return name for reports.
     */
    String name();

    /**
     * Begin a step: measure against this schedule from now on.
     *
     * @param schedule of the step's producers.
     */
    void begin(Schedule schedule);

    /**
     * @param producerId of a new producer.
     * @return a connected sink for it; used from the producer's thread only.
     * @throws IllegalStateException when it cannot connect.
     */
    OpenLoopProducer.Sink sink(long producerId);

    /**
     * @return the text of a sink's failure code.
     */
    LongFunction<String> describer();

    /**
     * @return events that have come all the way through since {@link #begin}.
     */
    long completed();

    /**
     * Work of the main thread between looks, such as reading alerts.
     *
     * @return work done.
     */
    int poll();

    /**
     * @return true when nothing is left to read besides the events themselves (an engine's alerts); a step ends
     * once every event is through and this holds.
     */
    default boolean settled()
    {
        return true;
    }

    /**
     * @return the latency series, in report order.
     */
    List<TaggedRecorder> recorders();

    /**
     * @param planted cases of the step's streams.
     * @return those this target must alert: the ones whose rule it runs.
     */
    List<Planted> expected(List<Planted> planted);

    /**
     * @param planted cases of the step's streams.
     * @return the expected ones without their alert so far.
     */
    List<Planted> missed(List<Planted> planted);

    /**
     * Close the sinks of the step.
     */
    void endStep();

    void close();
}
