package io.txmon.rules;

/**
 * Deterministic alert ids: the same rule at the same version on the same journal offset always yields
 * the same id, live or in replay.
 * <pre>
 *  63                        16 15          6 5        0
 *  +---------------------------+-------------+----------+
 *  |  triggering offset (48)   | rule id(10) | ver (6)  |
 *  +---------------------------+-------------+----------+
 * </pre>
 * A rule raises at most one alert per event, so the id is unique.
 */
public final class AlertIds
{
    /** Largest rule id that fits in an alert id. */
    public static final int MAX_RULE_ID = (1 << 10) - 1;
    /** Largest rule version that fits in an alert id. */
    public static final int MAX_RULE_VERSION = (1 << 6) - 1;
    /** Largest triggering offset that fits in an alert id. */
    public static final long MAX_OFFSET = (1L << 47) - 1;

    private AlertIds()
    {
    }

    /**
     * @param ruleId           0 to {@link #MAX_RULE_ID}.
     * @param ruleVersion      0 to {@link #MAX_RULE_VERSION}.
     * @param triggeringOffset 0 to {@link #MAX_OFFSET}.
     * @return the alert id.
     */
    public static long alertId(final int ruleId, final int ruleVersion, final long triggeringOffset)
    {
        return (triggeringOffset << 16) | ((long)(ruleId & MAX_RULE_ID) << 6) | (ruleVersion & MAX_RULE_VERSION);
    }

    public static long triggeringOffset(final long alertId)
    {
        return alertId >>> 16;
    }

    public static int ruleId(final long alertId)
    {
        return (int)(alertId >>> 6) & MAX_RULE_ID;
    }

    public static int ruleVersion(final long alertId)
    {
        return (int)alertId & MAX_RULE_VERSION;
    }
}
