package io.txmon.monitor;

import org.agrona.ErrorHandler;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The error handler of {@code txmon run}: counts every error and prints each distinct one (by type and
 * message) once, as one line on the error stream, so a repeating fault neither floods the console nor goes
 * unseen. Errors only ever arrive on error paths, so the lock and the printing are off the hot path.
 */
final class ReportingErrorHandler implements ErrorHandler
{
    private static final int MAX_DISTINCT = 64;

    private final PrintStream err;
    private final String prefix;
    private final AtomicLong count = new AtomicLong();
    private final List<Throwable> distinct = new ArrayList<>();

    ReportingErrorHandler(final PrintStream err, final String prefix)
    {
        this.err = err;
        this.prefix = prefix;
    }

    public void onError(final Throwable error)
    {
        count.incrementAndGet();
        synchronized (distinct)
        {
            for (final Throwable seen : distinct)
            {
                if (seen.getClass() == error.getClass() &&
                    String.valueOf(seen.getMessage()).equals(String.valueOf(error.getMessage())))
                {
                    return;
                }
            }
            if (distinct.size() < MAX_DISTINCT)
            {
                distinct.add(error);
                err.println(prefix + "error: " + String.valueOf(error).replace('\n', ' '));
            }
        }
    }

    /**
     * @return errors seen, repeats included.
     */
    long count()
    {
        return count.get();
    }
}
