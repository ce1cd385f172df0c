package io.txmon.scenario;

/**
 * Simulated time: units in nanoseconds and the trading calendar, UTC weekdays from {@link #SESSION_OPEN} to
 * {@link #SESSION_CLOSE}, the close being the marking-the-close rule's default close time.
 */
final class Times
{
    static final long MILLISECOND = 1_000_000L;
    static final long SECOND = 1_000_000_000L;
    static final long MINUTE = 60 * SECOND;
    static final long HOUR = 60 * MINUTE;
    static final long DAY = 24 * HOUR;

    /** Time of day the venues open, UTC. */
    static final long SESSION_OPEN = 8 * HOUR;
    /** Time of day the venues close, UTC. */
    static final long SESSION_CLOSE = 16 * HOUR;

    /** 1970-01-01 was a Thursday: add this to the epoch day to count from Monday. */
    private static final long EPOCH_DAY_TO_MONDAY = 3;
    private static final int WORKING_DAYS = 5;
    private static final int WEEK = 7;

    private Times()
    {
    }

    /**
     * @param time epoch ns.
     * @return the epoch day of the time.
     */
    static long day(final long time)
    {
        return Math.floorDiv(time, DAY);
    }

    /**
     * @param day epoch day.
     * @return true from Monday to Friday.
     */
    static boolean isWeekday(final long day)
    {
        return Math.floorMod(day + EPOCH_DAY_TO_MONDAY, WEEK) < WORKING_DAYS;
    }

    /**
     * @param time epoch ns.
     * @return true while the venues are open.
     */
    static boolean inSession(final long time)
    {
        final long day = day(time);
        final long timeOfDay = time - day * DAY;
        return isWeekday(day) && timeOfDay >= SESSION_OPEN && timeOfDay < SESSION_CLOSE;
    }

    /**
     * @param time epoch ns.
     * @return the start (midnight UTC) of the first weekday strictly after the day of the time.
     */
    static long nextTradingDay(final long time)
    {
        long day = day(time) + 1;
        while (!isWeekday(day))
        {
            day++;
        }

        return day * DAY;
    }
}
