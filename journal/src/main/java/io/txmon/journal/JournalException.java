package io.txmon.journal;

/**
 * A journal that cannot be opened, written or read as asked. The message names the file and, where
 * there is one, the offset, and says what to do.
 */
public class JournalException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message saying what is wrong and what to do.
     */
    public JournalException(final String message)
    {
        super(message);
    }

    /**
     * @param message saying what is wrong and what to do.
     * @param cause   the underlying failure.
     */
    public JournalException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
