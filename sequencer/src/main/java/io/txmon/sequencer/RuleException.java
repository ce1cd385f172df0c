package io.txmon.sequencer;

/**
 * A rule threw while evaluating an event; carries the rule and the offset so the error log says which.
 */
public final class RuleException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final long offset;

    /**
     * @param ruleName of the rule that threw.
     * @param offset   of the event being evaluated.
     * @param cause    what the rule threw.
     */
    public RuleException(final String ruleName, final long offset, final Throwable cause)
    {
        super("rule " + ruleName + " failed on offset " + offset + ": " + cause, cause);
        this.offset = offset;
    }

    /**
     * @return offset of the event being evaluated.
     */
    public long offset()
    {
        return offset;
    }
}
