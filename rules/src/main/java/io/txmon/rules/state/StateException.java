package io.txmon.rules.state;

/**
 * Rule state read from a snapshot does not hold together: truncated, a count out of range, values a rule cannot
 * have written. The snapshot is not used; the engine falls back to an older one or to the journal.
 */
public final class StateException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what is wrong, and where.
     */
    public StateException(final String message)
    {
        super(message);
    }
}
