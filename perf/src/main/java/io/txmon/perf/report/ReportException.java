package io.txmon.perf.report;

/**
 * An input the report cannot use: a damaged file, or nothing in the range asked for. The message is one line
 * that names the file (and line) and says what to do.
 */
final class ReportException extends Exception
{
    private static final long serialVersionUID = 1L;

    ReportException(final String message)
    {
        super(message);
    }
}
