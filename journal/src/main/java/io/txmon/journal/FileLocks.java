package io.txmon.journal;

import org.agrona.CloseHelper;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Exclusive locks on files, across processes and within one JVM.
 * <p>
 * An OS file lock (POSIX {@code fcntl}) belongs to the process and is dropped when the process closes
 * <em>any</em> handle on the file, so a second attempt in the same JVM must never open the file: a
 * registry of the paths this JVM holds refuses it first.
 */
final class FileLocks
{
    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

    private FileLocks()
    {
    }

    /**
     * A held lock; closing it releases the lock.
     */
    static final class Held implements AutoCloseable
    {
        private final Path path;
        private final FileChannel channel;
        private final FileLock lock;
        private boolean closed;

        private Held(final Path path, final FileChannel channel, final FileLock lock)
        {
            this.path = path;
            this.channel = channel;
            this.lock = lock;
        }

        public void close()
        {
            if (!closed)
            {
                closed = true;
                CloseHelper.closeAll(lock, channel);
                HELD.remove(path);
            }
        }
    }

    /**
     * Try to take the lock on a file, creating it if needed.
     *
     * @param file to lock.
     * @return the held lock, or null if this or another process holds it.
     * @throws IOException if the file cannot be created or opened.
     */
    static Held tryAcquire(final Path file) throws IOException
    {
        final Path key = key(file);
        if (!HELD.add(key))
        {
            return null;
        }

        FileChannel channel = null;
        try
        {
            channel = OwnerOnly.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try
            {
                lock = channel.tryLock();
            }
            catch (final OverlappingFileLockException ex)
            {
                lock = null;
            }
            if (null == lock)
            {
                CloseHelper.close(channel);
                HELD.remove(key);
                return null;
            }
            return new Held(key, channel, lock);
        }
        catch (final IOException | RuntimeException ex)
        {
            CloseHelper.quietClose(channel);
            HELD.remove(key);
            throw ex;
        }
    }

    /**
     * Whether some process, this one included, holds the lock on a file. Never disturbs a lock this
     * process holds.
     *
     * @param file to test; a missing file is not locked.
     * @return true if locked.
     */
    static boolean isLocked(final Path file) throws IOException
    {
        if (!Files.exists(file))
        {
            return false;
        }
        final Held held = tryAcquire(file);
        if (null == held)
        {
            return true;
        }
        held.close();
        return false;
    }

    private static Path key(final Path file) throws IOException
    {
        final Path parent = file.toAbsolutePath().getParent();
        OwnerOnly.createDirectories(parent);
        return parent.toRealPath().resolve(file.getFileName());
    }
}
