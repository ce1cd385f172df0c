package io.txmon.transport;

import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

import java.util.concurrent.TimeUnit;

/**
 * Launches the media driver embedded in the engine's process.
 * <ul>
 *   <li>{@code compact}: one shared driver thread with a back-off idle strategy that parks when idle,
 *   so an idle engine does not burn a core;</li>
 *   <li>{@code low-latency}: dedicated conductor, sender and receiver threads that busy spin.</li>
 * </ul>
 * The driver directory is deleted on shutdown: an embedded driver leaves nothing behind. On start it is
 * either deleted ({@link #launch(String, boolean)}, for a directory private to one engine) or, for a
 * well-known directory that another process may be using, reused only when no live driver heartbeats in
 * it ({@link #launch(String, boolean, boolean)}).
 */
public final class EmbeddedDriver
{
    private EmbeddedDriver()
    {
    }

    /**
     * @param aeronDirectoryName directory of the driver; must be private to this engine.
     * @param lowLatency         true for dedicated busy-spinning threads.
     * @return the running driver; close it to stop it and delete its directory.
     */
    public static MediaDriver launch(final String aeronDirectoryName, final boolean lowLatency)
    {
        return launch(aeronDirectoryName, lowLatency, true);
    }

    /**
     * @param aeronDirectoryName directory of the driver.
     * @param lowLatency         true for dedicated busy-spinning threads.
     * @param dirDeleteOnStart   true to delete whatever the directory holds, even a live driver's files; false
     *                           to let Aeron check first: a directory whose driver still heartbeats is refused
     *                           with {@link io.aeron.driver.exceptions.ActiveDriverException}, a stale one is
     *                           deleted and recreated.
     * @return the running driver; close it to stop it and delete its directory.
     * @throws io.aeron.driver.exceptions.ActiveDriverException if {@code dirDeleteOnStart} is false and a live
     *                           driver uses the directory.
     */
    public static MediaDriver launch(
        final String aeronDirectoryName, final boolean lowLatency, final boolean dirDeleteOnStart)
    {
        final MediaDriver.Context ctx = new MediaDriver.Context()
            .aeronDirectoryName(aeronDirectoryName)
            .dirDeleteOnStart(dirDeleteOnStart)
            .dirDeleteOnShutdown(true)
            .termBufferSparseFile(true)
            .ipcTermBufferLength(8 * 1024 * 1024)
            .publicationTermBufferLength(8 * 1024 * 1024)
            .spiesSimulateConnection(false)
            .printConfigurationOnStart(false)
            .warnIfDirectoryExists(false);

        if (lowLatency)
        {
            ctx.threadingMode(ThreadingMode.DEDICATED)
                .conductorIdleStrategy(new BusySpinIdleStrategy())
                .senderIdleStrategy(new BusySpinIdleStrategy())
                .receiverIdleStrategy(new BusySpinIdleStrategy());
        }
        else
        {
            ctx.threadingMode(ThreadingMode.SHARED)
                .sharedIdleStrategy(backoff());
        }

        return MediaDriver.launch(ctx);
    }

    /**
     * The idle strategy of the {@code compact} profile: spin briefly, yield, then park up to 1 ms.
     *
     * @return a new back-off idle strategy.
     */
    public static IdleStrategy backoff()
    {
        return new BackoffIdleStrategy(10, 20, TimeUnit.MICROSECONDS.toNanos(1), TimeUnit.MILLISECONDS.toNanos(1));
    }
}
