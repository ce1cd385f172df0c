package io.txmon.journal;

/**
 * A snapshot file cannot be used: cut short or damaged, of another format version or worker count, or not taken on
 * this journal. The caller passes it over (an older snapshot, or the journal, serves instead).
 */
public final class SnapshotException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message why, naming the file.
     */
    public SnapshotException(final String message)
    {
        super(message);
    }
}
