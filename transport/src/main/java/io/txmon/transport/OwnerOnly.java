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
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Owner-only modes for what the engine creates, whatever the umask: directories 0700, files 0600. The modes are
 * set explicitly after creation, since a mode given at creation is still cut by the umask. On a file system
 * without POSIX permissions nothing is changed.
 */
public final class OwnerOnly
{
    /** rwx------ */
    public static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    /** rw------- */
    public static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private OwnerOnly()
    {
    }

    /**
     * Create a directory and whatever parents are missing; every directory created here is made 0700, those
     * that existed are left as they are.
     *
     * @param dir to create.
     * @throws IOException if it cannot be created.
     */
    public static void createDirectories(final Path dir) throws IOException
    {
        final List<Path> missing = new ArrayList<>();
        for (Path p = dir.toAbsolutePath(); null != p && !Files.exists(p, LinkOption.NOFOLLOW_LINKS); p = p.getParent())
        {
            missing.add(p);
        }
        for (int i = missing.size() - 1; i >= 0; i--)
        {
            final Path p = missing.get(i);
            Files.createDirectories(p);
            restrict(p, DIRECTORY);
        }
    }

    /**
     * @param file to make 0600.
     * @throws IOException if its mode cannot be changed.
     */
    public static void restrictFile(final Path file) throws IOException
    {
        restrict(file, FILE);
    }

    /**
     * Make a directory 0700 and everything under it 0700 (directories) or 0600 (files); files that vanish meanwhile
     * are skipped.
     *
     * @param dir to restrict.
     * @throws UncheckedIOException if a mode cannot be changed.
     */
    public static void restrictTree(final Path dir)
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
