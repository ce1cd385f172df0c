package io.txmon.journal;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * For the engine's tests: a journal configuration whose forces are counted (the journal's own forcer hook is
 * package-private; this class shares the package on the test class path).
 */
public final class CountingForcer
{
    private CountingForcer()
    {
    }

    /**
     * @param config to count the forces of.
     * @param forces incremented on every force, which then happens as usual.
     * @return config.
     */
    public static JournalConfig count(final JournalConfig config, final AtomicInteger forces)
    {
        config.forcer = (segment, index, length) ->
        {
            forces.incrementAndGet();
            segment.force(index, length);
        };
        return config;
    }
}
