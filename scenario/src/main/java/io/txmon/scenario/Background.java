package io.txmon.scenario;

/**
 * The ordinary traffic a stream's planted cases are merged into, one event at a time in event-time order: the
 * generator asks when the next background event happens, emits the planted events due before it, then takes it.
 * <p>
 * Not thread safe.
 */
interface Background
{
    /**
     * @return event time of the next background event, epoch ns; never less than that of the one before.
     */
    long nextTime();

    /**
     * Fill the background event whose time {@link #nextTime()} announced, and move on to the one after it.
     *
     * @param event to fill; cleared first.
     */
    void next(ScenarioEvent event);

    /**
     * @return what the background is made of so far, for people: its population and what changed in it.
     */
    String summary();
}
