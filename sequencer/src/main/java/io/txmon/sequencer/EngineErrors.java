package io.txmon.sequencer;

import org.agrona.ErrorHandler;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The default error handler: counts every error and keeps the distinct ones (by type and message, up to
 * {@link #MAX_DISTINCT}) for whoever shows them. The engine itself prints nothing.
 */
public final class EngineErrors implements ErrorHandler
{
    /** Most distinct errors kept. */
    public static final int MAX_DISTINCT = 64;

    private final AtomicLong count = new AtomicLong();
    private final List<Throwable> distinct = new ArrayList<>();

    public void onError(final Throwable error)
    {
        count.incrementAndGet();
        synchronized (distinct)
        {
            if (distinct.size() < MAX_DISTINCT)
            {
                for (final Throwable seen : distinct)
                {
                    if (seen.getClass() == error.getClass() && String.valueOf(seen.getMessage())
                        .equals(String.valueOf(error.getMessage())))
                    {
                        return;
                    }
                }
                distinct.add(error);
            }
        }
    }

    /**
     * @return errors seen.
     */
    public long count()
    {
        return count.get();
    }

    /**
     * @return a copy of the distinct errors seen.
     */
    public List<Throwable> distinct()
    {
        synchronized (distinct)
        {
            return new ArrayList<>(distinct);
        }
    }
}
