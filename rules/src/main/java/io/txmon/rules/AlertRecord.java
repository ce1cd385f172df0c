package io.txmon.rules;

import io.txmon.events.codec.Severity;

/**
 * One alert raised by a rule for one event: pre-allocated in an {@link AlertBuffer} and filled in place.
 */
public final class AlertRecord
{
    /** Most evidence offsets an alert carries; further ones are dropped and counted by the rule. */
    public static final int MAX_EVIDENCE = 64;

    private long alertId;
    private int ruleId;
    private int ruleVersion;
    private Severity severity = Severity.LOW;
    private int score;
    private long triggeringOffset;
    private long account;
    private long eventTime;
    private final long[] evidence = new long[MAX_EVIDENCE];
    private int evidenceCount;
    private final ReasonBuilder reason = new ReasonBuilder();

    void init(
        final int ruleId,
        final int ruleVersion,
        final Severity severity,
        final int score,
        final long triggeringOffset,
        final long account,
        final long eventTime)
    {
        this.alertId = AlertIds.alertId(ruleId, ruleVersion, triggeringOffset);
        this.ruleId = ruleId;
        this.ruleVersion = ruleVersion;
        this.severity = severity;
        this.score = score;
        this.triggeringOffset = triggeringOffset;
        this.account = account;
        this.eventTime = eventTime;
        this.evidenceCount = 0;
        this.reason.clear();
    }

    /**
     * Add the offset of an event that supports this alert.
     *
     * @param offset of the evidence.
     * @return this for chaining.
     */
    public AlertRecord evidence(final long offset)
    {
        if (evidenceCount < MAX_EVIDENCE)
        {
            evidence[evidenceCount++] = offset;
        }
        return this;
    }

    /**
     * @return the reason builder; append text a person can read.
     */
    public ReasonBuilder reason()
    {
        return reason;
    }

    public long alertId()
    {
        return alertId;
    }

    public int ruleId()
    {
        return ruleId;
    }

    public int ruleVersion()
    {
        return ruleVersion;
    }

    public Severity severity()
    {
        return severity;
    }

    public int score()
    {
        return score;
    }

    public long triggeringOffset()
    {
        return triggeringOffset;
    }

    public long account()
    {
        return account;
    }

    public long eventTime()
    {
        return eventTime;
    }

    public int evidenceCount()
    {
        return evidenceCount;
    }

    public long evidence(final int index)
    {
        return evidence[index];
    }
}
