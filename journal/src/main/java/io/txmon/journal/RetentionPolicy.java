package io.txmon.journal;

/**
 * How long a journal keeps sealed segments: a segment goes once it is older than {@code maxAgeNs} (by its
 * last record's timestamp) or while the journal is larger than {@code maxBytes}, oldest first, but never
 * while a named cursor still needs it, never the active segment, and never a segment whose successor is
 * not sealed yet (that successor's seal anchors the hash chain).
 *
 * @param maxAgeNs most age of the newest record in a segment, nanoseconds; {@link Long#MAX_VALUE} for no limit.
 * @param maxBytes most total size of the segment files; {@link Long#MAX_VALUE} for no limit.
 */
public record RetentionPolicy(long maxAgeNs, long maxBytes)
{
    /** Keep everything. */
    public static final RetentionPolicy KEEP_ALL = new RetentionPolicy(Long.MAX_VALUE, Long.MAX_VALUE);

    /**
     * @throws IllegalArgumentException if a limit is not positive.
     */
    public RetentionPolicy
    {
        if (maxAgeNs <= 0 || maxBytes <= 0)
        {
            throw new IllegalArgumentException("retention limits must be positive: age " + maxAgeNs + " ns, size " +
                maxBytes + " bytes");
        }
    }

    /**
     * @return true if this policy never deletes anything.
     */
    public boolean keepsAll()
    {
        return maxAgeNs == Long.MAX_VALUE && maxBytes == Long.MAX_VALUE;
    }
}
