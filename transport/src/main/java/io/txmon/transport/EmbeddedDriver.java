package io.txmon.transport;

import io.aeron.CncFileDescriptor;
import io.aeron.CommonContext;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.exceptions.ActiveDriverException;
import org.agrona.IoUtil;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

import java.io.File;
import java.nio.MappedByteBuffer;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;

/**
 * Launches the media driver embedded in the engine's process, threaded as its {@link Profile} says:
 * <ul>
 *   <li>{@code compact}: one shared driver thread with a back-off idle strategy that parks when idle,
 *   so an idle engine does not burn a core;</li>
 *   <li>{@code yielding}: one shared driver thread that yields when idle and never parks when a channel is
 *   UDP, and backs off as in {@code compact} when every channel is IPC (the driver is then on no message's
 *   path);</li>
 *   <li>{@code low-latency}: dedicated conductor, sender and receiver threads that busy spin.</li>
 * </ul>
 * The driver directory is deleted on shutdown: an embedded driver leaves nothing behind. On start it is
 * either deleted ({@link #launch(String, Profile, boolean)}, for a directory private to one engine) or, for a
 * well-known directory that another process may be using, reused only when no live driver heartbeats in
 * it ({@link #launch(String, Profile, boolean, boolean)}). The overloads that take a {@code boolean lowLatency}
 * are {@code low-latency} when true and {@code compact} when false.
 * <p>
 * A directory whose driver died (killed, crashed) is taken over at once, without waiting for its heartbeat to go
 * stale: the driver records its process id in its {@code cnc.dat}, and when no process has that id the directory
 * is deleted and recreated. A live driver is still refused, and the message names its process id.
 * <p>
 * The directory is made owner-only (0700, its files 0600) as soon as the driver runs, whatever the umask: a
 * local user who could write it could publish as any producer.
 */
public final class EmbeddedDriver
{
    private EmbeddedDriver()
    {
    }

    /**
     * @param aeronDirectoryName directory of the driver; must be private to this engine.
     * @param lowLatency         true for {@link Profile#LOW_LATENCY}, false for {@link Profile#COMPACT}.
     * @return the running driver; close it to stop it and delete its directory.
     */
    public static MediaDriver launch(final String aeronDirectoryName, final boolean lowLatency)
    {
        return launch(aeronDirectoryName, profile(lowLatency), true);
    }

    /**
     * @param aeronDirectoryName directory of the driver; must be private to this engine.
     * @param profile            threading and idle strategies of the driver.
     * @param network            true when a channel the driver serves is UDP, so its sender and receiver are on a
     *                           message's path; false when every channel is {@code aeron:ipc}
     *                           ({@link Profile#usesNetwork(String...)}).
     * @return the running driver; close it to stop it and delete its directory.
     */
    public static MediaDriver launch(final String aeronDirectoryName, final Profile profile, final boolean network)
    {
        return launch(aeronDirectoryName, profile, network, true);
    }

    /**
     * @param aeronDirectoryName directory of the driver.
     * @param lowLatency         true for {@link Profile#LOW_LATENCY}, false for {@link Profile#COMPACT}.
     * @param dirDeleteOnStart   as {@link #launch(String, Profile, boolean, boolean)}.
     * @return the running driver; close it to stop it and delete its directory.
     */
    public static MediaDriver launch(
        final String aeronDirectoryName, final boolean lowLatency, final boolean dirDeleteOnStart)
    {
        return launch(aeronDirectoryName, profile(lowLatency), true, dirDeleteOnStart);
    }

    /**
     * @param aeronDirectoryName directory of the driver.
     * @param profile            threading and idle strategies of the driver.
     * @param network            true when a channel the driver serves is UDP; false when every one is
     *                           {@code aeron:ipc}.
     * @param dirDeleteOnStart   true to delete whatever the directory holds, even a live driver's files; false
     *                           to let Aeron check first: a directory whose driver still heartbeats is refused
     *                           with {@link io.aeron.driver.exceptions.ActiveDriverException}, a stale one is
     *                           deleted and recreated.
     * @return the running driver; close it to stop it and delete its directory.
     * @throws io.aeron.driver.exceptions.ActiveDriverException if {@code dirDeleteOnStart} is false and a live
     *                           driver uses the directory.
     */
    public static MediaDriver launch(
        final String aeronDirectoryName, final Profile profile, final boolean network, final boolean dirDeleteOnStart)
    {
        return launch(aeronDirectoryName, profile, network, dirDeleteOnStart, CommonContext.DRIVER_TIMEOUT_MS);
    }

    /**
     * As {@link #launch(String, Profile, boolean, boolean, long)}, {@link Profile#LOW_LATENCY} when
     * {@code lowLatency} and {@link Profile#COMPACT} otherwise.
     *
     * @param aeronDirectoryName directory of the driver.
     * @param lowLatency         true for dedicated busy-spinning threads.
     * @param dirDeleteOnStart   true to delete whatever the directory holds; false to refuse a live driver.
     * @param driverTimeoutMs    heartbeat timeout of the driver.
     * @return the running driver; close it to stop it and delete its directory.
     * @throws ActiveDriverException naming the driver's process id if a live driver uses the directory.
     */
    public static MediaDriver launch(
        final String aeronDirectoryName,
        final boolean lowLatency,
        final boolean dirDeleteOnStart,
        final long driverTimeoutMs)
    {
        return launch(aeronDirectoryName, profile(lowLatency), true, dirDeleteOnStart, driverTimeoutMs);
    }

    /**
     * As {@link #launch(String, Profile, boolean, boolean)}, with the heartbeat timeout after which a driver whose
     * process may still exist counts as stopped (Aeron's {@code driverTimeoutMs}, 10 s by default).
     *
     * @param aeronDirectoryName directory of the driver.
     * @param profile            threading and idle strategies of the driver.
     * @param network            true when a channel the driver serves is UDP; false when every one is
     *                           {@code aeron:ipc}.
     * @param dirDeleteOnStart   true to delete whatever the directory holds; false to refuse a live driver.
     * @param driverTimeoutMs    heartbeat timeout of the driver.
     * @return the running driver; close it to stop it and delete its directory.
     * @throws ActiveDriverException naming the driver's process id if a live driver uses the directory.
     */
    public static MediaDriver launch(
        final String aeronDirectoryName,
        final Profile profile,
        final boolean network,
        final boolean dirDeleteOnStart,
        final long driverTimeoutMs)
    {
        boolean deleteOnStart = dirDeleteOnStart;
        if (!deleteOnStart)
        {
            final File dir = new File(aeronDirectoryName);
            final long pid = driverPid(dir);
            if (pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
            {
                if (CommonContext.isDriverActive(dir, driverTimeoutMs, (message) -> {}))
                {
                    throw new ActiveDriverException("a media driver (process " + pid + ") is running in " +
                        aeronDirectoryName);
                }
            }
            else if (pid > 0)
            {
                // its process has gone: nothing can heartbeat there again, take the directory over now
                deleteOnStart = true;
            }
        }

        final MediaDriver.Context ctx = new MediaDriver.Context()
            .aeronDirectoryName(aeronDirectoryName)
            .dirDeleteOnStart(deleteOnStart)
            .dirDeleteOnShutdown(true)
            .driverTimeoutMs(driverTimeoutMs)
            .termBufferSparseFile(true)
            .ipcTermBufferLength(8 * 1024 * 1024)
            .publicationTermBufferLength(8 * 1024 * 1024)
            .spiesSimulateConnection(false)
            .printConfigurationOnStart(false)
            .warnIfDirectoryExists(false);

        profile.configureDriver(ctx, network);

        final MediaDriver driver = MediaDriver.launch(ctx);
        try
        {
            OwnerOnly.restrictTree(Paths.get(aeronDirectoryName));
        }
        catch (final RuntimeException ex)
        {
            driver.close();
            throw ex;
        }
        return driver;
    }

    private static Profile profile(final boolean lowLatency)
    {
        return lowLatency ? Profile.LOW_LATENCY : Profile.COMPACT;
    }

    /**
     * The process id a driver recorded in the directory's {@code cnc.dat}.
     *
     * @param dir of the driver.
     * @return the id, or -1 when there is no complete {@code cnc.dat} to read it from.
     */
    public static long driverPid(final File dir)
    {
        final File cnc = new File(dir, CncFileDescriptor.CNC_FILE);
        if (!cnc.isFile() || cnc.length() < CncFileDescriptor.END_OF_METADATA_OFFSET)
        {
            return -1;
        }
        MappedByteBuffer mapped = null;
        try
        {
            mapped = IoUtil.mapExistingFile(cnc, "cnc");
            final org.agrona.concurrent.UnsafeBuffer meta = CncFileDescriptor.createMetaDataBuffer(mapped);
            if (meta.getIntVolatile(CncFileDescriptor.CNC_VERSION_FIELD_OFFSET) == 0)
            {
                return -1;
            }
            return CncFileDescriptor.pid(meta);
        }
        catch (final RuntimeException ex)
        {
            return -1;
        }
        finally
        {
            if (null != mapped)
            {
                IoUtil.unmap(mapped);
            }
        }
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
