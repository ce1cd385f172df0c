package io.txmon.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.Charset;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Owner-only files, whatever the umask: every directory the journal creates is {@code 0700} and every file
 * {@code 0600}. The mode is given at creation (a umask only ever removes bits) and set again right after
 * opening, before any byte is written, so that a leftover temporary file created with another mode is
 * corrected too. On a file system without POSIX permissions nothing is done.
 */
public final class OwnerOnly
{
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> DIR = PosixFilePermissions.fromString("rwx------");
    private static final FileAttribute<?>[] NONE = new FileAttribute<?>[0];

    private OwnerOnly()
    {
    }

    /**
     * Open a file channel, creating the file 0600 if it does not exist and making an existing one 0600.
     *
     * @param file    to open.
     * @param options as {@link FileChannel#open(Path, Set, FileAttribute[])}.
     * @return the channel.
     */
    public static FileChannel open(final Path file, final OpenOption... options) throws IOException
    {
        final boolean existed = Files.exists(file);
        final Set<OpenOption> set = Set.of(options);
        final FileChannel channel = FileChannel.open(file, set, fileAttributes());
        try
        {
            // a file made here, or one being rewritten from scratch; an existing lock file is left as it is
            if (!existed || set.contains(java.nio.file.StandardOpenOption.TRUNCATE_EXISTING))
            {
                restrict(file);
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            channel.close();
            throw ex;
        }
        return channel;
    }

    /**
     * Create a directory and its missing parents, 0700 each.
     *
     * @param dir to create.
     * @return the directory.
     */
    public static Path createDirectories(final Path dir) throws IOException
    {
        if (Files.isDirectory(dir))
        {
            return dir;
        }
        final Path parent = dir.toAbsolutePath().getParent();
        if (null != parent && !Files.isDirectory(parent))
        {
            createDirectories(parent);
        }
        try
        {
            Files.createDirectory(dir, directoryAttributes());
        }
        catch (final java.nio.file.FileAlreadyExistsException ex)
        {
            if (!Files.isDirectory(dir))
            {
                throw ex;
            }
            return dir;
        }
        if (POSIX)
        {
            Files.setPosixFilePermissions(dir, DIR);
        }
        return dir;
    }

    /**
     * Write a whole small file (created 0600, or truncated and made 0600).
     *
     * @param file    to write.
     * @param text    its content.
     * @param charset of the text.
     */
    public static void writeString(final Path file, final String text, final Charset charset) throws IOException
    {
        write(file, text.getBytes(charset));
    }

    /**
     * Write a whole small file (created 0600, or truncated and made 0600).
     *
     * @param file  to write.
     * @param bytes its content.
     */
    public static void write(final Path file, final byte[] bytes) throws IOException
    {
        try (FileChannel ch = open(file, java.nio.file.StandardOpenOption.CREATE,
            java.nio.file.StandardOpenOption.TRUNCATE_EXISTING, java.nio.file.StandardOpenOption.WRITE))
        {
            final ByteBuffer src = ByteBuffer.wrap(bytes);
            while (src.hasRemaining())
            {
                ch.write(src);
            }
        }
    }

    /**
     * Make an existing file 0600.
     *
     * @param file to restrict.
     */
    public static void restrict(final Path file) throws IOException
    {
        if (POSIX)
        {
            Files.setPosixFilePermissions(file, FILE);
        }
    }

    private static FileAttribute<?>[] fileAttributes()
    {
        return POSIX ? new FileAttribute<?>[]{ PosixFilePermissions.asFileAttribute(FILE) } : NONE;
    }

    private static FileAttribute<?>[] directoryAttributes()
    {
        return POSIX ? new FileAttribute<?>[]{ PosixFilePermissions.asFileAttribute(DIR) } : NONE;
    }
}
