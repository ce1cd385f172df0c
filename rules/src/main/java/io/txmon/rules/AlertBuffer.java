package io.txmon.rules;

import io.txmon.events.codec.Severity;

/**
 * The alerts one rule worker raised for one event, pre-allocated in the ring slot.
 * <p>
 * Written only by the worker that owns it, read by the alert sink after that worker has released the
 * slot (the Disruptor's sequence barrier gives the happens-before).
 */
public final class AlertBuffer
{
    private final AlertRecord[] records;
    private final AlertRecord overflow = new AlertRecord();
    private int count;
    private long overflowCount;

    AlertBuffer(final int capacity)
    {
        records = new AlertRecord[capacity];
        for (int i = 0; i < capacity; i++)
        {
            records[i] = new AlertRecord();
        }
    }

    /**
     * Raise an alert for the event in this slot. A rule raises at most one alert per event.
     *
     * @param rule             raising it.
     * @param severity         of the alert.
     * @param score            0 to 1000.
     * @param triggeringOffset offset of the event that triggered it.
     * @param account          the alert is about.
     * @param eventTime        of the triggering event.
     * @return the record to add evidence and a reason to. When the buffer is full a scratch record is
     * returned and the alert is counted in {@link #overflowCount()} rather than kept.
     */
    public AlertRecord raise(
        final Rule rule,
        final Severity severity,
        final int score,
        final long triggeringOffset,
        final long account,
        final long eventTime)
    {
        final AlertRecord record;
        if (count < records.length)
        {
            record = records[count++];
        }
        else
        {
            overflowCount++;
            record = overflow;
        }
        record.init(rule.id(), rule.version(), severity, score, triggeringOffset, account, eventTime);
        return record;
    }

    /**
     * @return alerts held.
     */
    public int count()
    {
        return count;
    }

    /**
     * @param index of the alert, below {@link #count()}.
     * @return the alert.
     */
    public AlertRecord get(final int index)
    {
        return records[index];
    }

    /**
     * @return alerts that did not fit since this buffer was created.
     */
    public long overflowCount()
    {
        return overflowCount;
    }

    void clear()
    {
        count = 0;
    }
}
