package io.txmon.scenario;

import org.agrona.collections.LongHashSet;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * Alerts held against the planted cases of one or more streams: an alert answers a case when its rule, account and
 * event time are the case's trigger ({@link Planted}), however the alert was read (the engine's alert stream, an
 * alert journal, a replay). Producer sequences and journal offsets play no part, so cases of several producers'
 * streams interleaved into one engine are matched the same way.
 * <p>
 * Alerts are kept as a 64-bit mix of the three fields, so recording one allocates nothing once the set has grown;
 * two different triggers colliding is a 2^-64 chance.
 * <p>
 * Not thread safe: the thread that reads the alerts records them and asks about the cases.
 */
public final class PlantedMatcher
{
    private static final int INITIAL_CAPACITY = 1 << 16;

    private final LongHashSet alerted = new LongHashSet(INITIAL_CAPACITY);
    private long alerts;

    /**
     * Record one alert.
     *
     * @param ruleId    of the rule that raised it.
     * @param account   it is keyed on.
     * @param eventTime of its triggering event, epoch ns.
     */
    public void onAlert(final int ruleId, final long account, final long eventTime)
    {
        alerts++;
        alerted.add(key(ruleId, account, eventTime));
    }

    /**
     * @return alerts recorded so far, planted or not.
     */
    public long alerts()
    {
        return alerts;
    }

    /**
     * @param planted a case.
     * @return true if an alert recorded so far answers it.
     */
    public boolean isAlerted(final Planted planted)
    {
        return alerted.contains(key(planted.ruleId(), planted.account(), planted.eventTime()));
    }

    /**
     * @param expected cases that must alert.
     * @return those no alert recorded so far answers, in the order given.
     */
    public List<Planted> missed(final List<Planted> expected)
    {
        final List<Planted> missed = new ArrayList<>();
        for (final Planted p : expected)
        {
            if (!isAlerted(p))
            {
                missed.add(p);
            }
        }
        return missed;
    }

    /**
     * The cases an engine must alert when it runs only some of the rules.
     *
     * @param planted  cases of the streams it was given.
     * @param ruleRuns true for the ids of the rules it runs.
     * @return the cases of those rules, in the order given.
     */
    public static List<Planted> expected(final List<Planted> planted, final IntPredicate ruleRuns)
    {
        final List<Planted> expected = new ArrayList<>();
        for (final Planted p : planted)
        {
            if (ruleRuns.test(p.ruleId()))
            {
                expected.add(p);
            }
        }
        return expected;
    }

    static long key(final int ruleId, final long account, final long eventTime)
    {
        long h = ruleId * 0x9E3779B97F4A7C15L;
        h = (h ^ account) * 0xBF58476D1CE4E5B9L;
        h = (h ^ (h >>> 31) ^ eventTime) * 0x94D049BB133111EBL;
        return h ^ (h >>> 29);
    }
}
