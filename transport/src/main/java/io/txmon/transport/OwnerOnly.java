package io.txmon.transport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Owner-only modes for what the engine creates, whatever the umask: directories 0700, files 0600. The modes are
 * set explicitly after creation, since a mode given at creation is still cut by the umask. On a file system
 * without POSIX permissions nothing is changed.
 * <p>
 * Only what the driver launch needs (the Aeron directory, made owner-only after the driver created it): the
 * journal module has the full set ({@code io.txmon.journal.OwnerOnly}), which transport may not depend on.
 */
final class OwnerOnly
{
    /** rwx------ */
    static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    /** rw------- */
    static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private OwnerOnly()
    {
    }

    /**
     * Make a directory 0700 and everything under it 0700 (directories) or 0600 (files); files that vanish meanwhile
     * are skipped.
     *
     * @param dir to restrict.
     * @throws UncheckedIOException if a mode cannot be changed.
     */
    static void restrictTree(final Path dir)
    {
        if (!POSIX)
        {
            return;
        }
        try
        {
            restrict(dir, DIRECTORY);
            try (Stream<Path> paths = Files.walk(dir))
            {
                paths.forEach((p) ->
                {
                    try
                    {
                        if (Files.isSymbolicLink(p))
                        {
                            return;
                        }
                        restrict(p, Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? DIRECTORY : FILE);
                    }
                    catch (final NoSuchFileException ignore)
                    {
                        // came and went
                    }
                    catch (final IOException ex)
                    {
                        throw new UncheckedIOException(ex);
                    }
                });
            }
        }
        catch (final NoSuchFileException ignore)
        {
            // came and went
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot make " + dir + " owner-only: " + ex, ex);
        }
    }

    private static void restrict(final Path path, final Set<PosixFilePermission> mode) throws IOException
    {
        if (POSIX)
        {
            Files.setPosixFilePermissions(path, mode);
        }
    }
}
