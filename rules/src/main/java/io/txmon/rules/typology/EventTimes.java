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
}
