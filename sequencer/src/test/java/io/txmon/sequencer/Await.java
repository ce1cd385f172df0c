package io.txmon.sequencer;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Waits on conditions with a deadline, never a fixed sleep.
 */
public final class Await
{
    private Await()
    {
    }

    /**
     * Poll a condition until it holds or the deadline passes, running an action between checks.
     *
     * @param timeoutMs   deadline.
     * @param condition   to wait for.
     * @param description supplier of the failure message.
     * @param between     run between checks, e.g. polling a subscription; may be null.
     */
    public static void await(
        final long timeoutMs, final BooleanSupplier condition, final Supplier<String> description, final Runnable between)
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - deadline > 0)
            {
                fail("timed out after " + timeoutMs + " ms waiting for: " + description.get());
            }
            if (null != between)
            {
                between.run();
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    /**
     * Wait until every thread started since a snapshot has ended.
     *
     * @param before    thread ids alive at the snapshot.
     * @param timeoutMs deadline.
     */
    public static void awaitNoNewThreads(final java.util.Set<Long> before, final long timeoutMs)
    {
        await(timeoutMs, () -> newThreads(before).isEmpty(), () -> "threads still alive: " + newThreads(before), null);
    }

    /**
     * @return ids of live threads.
     */
    public static java.util.Set<Long> liveThreadIds()
    {
        final java.util.Set<Long> ids = new java.util.HashSet<>();
        for (final Thread t : Thread.getAllStackTraces().keySet())
        {
            ids.add(t.getId());
        }
        return ids;
    }

    private static java.util.List<String> newThreads(final java.util.Set<Long> before)
    {
        final java.util.List<String> names = new java.util.ArrayList<>();
        for (final Thread t : Thread.getAllStackTraces().keySet())
        {
            if (t.isAlive() && !before.contains(t.getId()) && !t.isDaemon())
            {
                names.add(t.getName());
            }
        }
        return names;
    }
}
