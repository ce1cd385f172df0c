package io.txmon.journal;

import java.util.concurrent.TimeUnit;

import static io.txmon.journal.JournalDescriptor.*;

/**
 * How a {@link JournalWriter} writes: segment length, index interval, durability. Set what differs from
 * the defaults; {@link #validate()} is called on open.
 */
public final class JournalConfig
{
    /** Default force interval of {@link Durability#INTERVAL}: 100 ms. */
    public static final long DEFAULT_FORCE_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(100);

    private int segmentLength = JournalWriter.DEFAULT_SEGMENT_LENGTH;
    private int indexInterval = DEFAULT_INDEX_INTERVAL;
    private Durability durability = Durability.OS;
    private long forceIntervalNs = DEFAULT_FORCE_INTERVAL_NS;
    Forcer forcer = Segment::force;

    /**
     * Flushes a range of a segment; replaced in tests to make a force fail.
     */
    @FunctionalInterface
    interface Forcer
    {
        void force(Segment segment, int index, int length);
    }

    /**
     * @param length of new segments, a multiple of 8 between 64 KiB and 1 GiB.
     * @return this.
     */
    public JournalConfig segmentLength(final int length)
    {
        this.segmentLength = length;
        return this;
    }

    public int segmentLength()
    {
        return segmentLength;
    }

    /**
     * @param interval records between index entries, a power of two; used when the journal is created,
     *                 an existing journal keeps its own.
     * @return this.
     */
    public JournalConfig indexInterval(final int interval)
    {
        this.indexInterval = interval;
        return this;
    }

    public int indexInterval()
    {
        return indexInterval;
    }

    public JournalConfig durability(final Durability durability)
    {
        this.durability = durability;
        return this;
    }

    public Durability durability()
    {
        return durability;
    }

    /**
     * @param intervalNs between forces in {@link Durability#INTERVAL} mode.
     * @return this.
     */
    public JournalConfig forceIntervalNs(final long intervalNs)
    {
        this.forceIntervalNs = intervalNs;
        return this;
    }

    public long forceIntervalNs()
    {
        return forceIntervalNs;
    }

    /**
     * @throws JournalException naming the setting that is wrong.
     */
    public void validate()
    {
        if (segmentLength < MIN_SEGMENT_LENGTH || segmentLength > MAX_SEGMENT_LENGTH ||
            segmentLength % FRAME_ALIGNMENT != 0)
        {
            throw new JournalException("segment length " + segmentLength + " must be a multiple of " +
                FRAME_ALIGNMENT + " between " + MIN_SEGMENT_LENGTH + " and " + MAX_SEGMENT_LENGTH);
        }
        if (indexInterval < 1 || Integer.bitCount(indexInterval) != 1 || indexInterval > 1 << 20)
        {
            throw new JournalException("index interval " + indexInterval + " must be a power of two up to 2^20");
        }
        if (null == durability)
        {
            throw new JournalException("durability must be set: os, interval or sync");
        }
        if (durability == Durability.INTERVAL && forceIntervalNs <= 0)
        {
            throw new JournalException("the force interval must be positive, was " + forceIntervalNs + " ns");
        }
    }
}
