package io.txmon.rules.typology;

/**
 * Overflow-safe arithmetic on event times. A journal may hold any event time (an old journal, a backtest, a
 * producer the sequencer did not bound), {@code Long.MIN_VALUE} and {@code Long.MAX_VALUE} included, so window
 * bounds and gaps saturate instead of wrapping round: a window start below the range is the range's start, a
 * gap beyond it is the range's end.
 */
final class EventTimes
{
    private EventTimes()
    {
    }

    /**
     * @param time     an event time.
     * @param duration not negative.
     * @return {@code time - duration}, or {@link Long#MIN_VALUE} if that is below the range.
     */
    static long minus(final long time, final long duration)
    {
        final long result = time - duration;
        return result > time ? Long.MIN_VALUE : result;
    }

    /**
     * @param time     an event time.
     * @param duration not negative.
     * @return {@code time + duration}, or {@link Long#MAX_VALUE} if that is above the range.
     */
    static long plus(final long time, final long duration)
    {
        final long result = time + duration;
        return result < time ? Long.MAX_VALUE : result;
    }

    /**
     * @param later   an event time.
     * @param earlier another.
     * @return {@code later - earlier}, saturated to the range of a long.
     */
    static long gap(final long later, final long earlier)
    {
        final long result = later - earlier;
        if (((later ^ earlier) & (later ^ result)) < 0)
        {
            return later > earlier ? Long.MAX_VALUE : Long.MIN_VALUE;
        }
        return result;
    }

    /**
     * Where a per-key window may drop what it holds when an event at {@code time} follows one at
     * {@code previous}: entries at or before the result have left the window of both, so neither this event nor
     * the one before counts them. Taking the earlier of the two bounds keeps state bounded by what one window
     * holds (a key whose events are far apart purges at every event) while an outlier (the year 2100, or
     * {@code Long.MIN_VALUE}) purges no more than the window of the event before it, and the event after it
     * purges the usual way.
     *
     * @param time     of the event being added.
     * @param previous time of the key's previous event, or {@link Long#MIN_VALUE} for none.
     * @param window   length, not negative.
     * @return entries with a time at or before this may be dropped.
     */
    static long purgeBefore(final long time, final long previous, final long window)
    {
        return minus(Math.min(time, previous), window);
    }
}
