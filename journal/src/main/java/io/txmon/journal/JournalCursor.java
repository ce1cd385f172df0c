package io.txmon.journal;

import org.agrona.CloseHelper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;

import static io.txmon.journal.JournalDescriptor.CURSORS_DIR_NAME;

/**
 * A named cursor: a consumer's committed position in a journal, like a Kafka consumer group's committed
 * offset or a Chronicle named tailer. The position is the next offset to read; lag is
 * {@code end offset - position}.
 * <p>
 * Stored as {@code cursors/<name>.pos} in the journal directory, replaced atomically (written to a
 * temporary file, then renamed over) so a crash leaves the old or the new position, never a torn one.
 * A consumer that opens a cursor holds {@code cursors/<name>.lock} until it closes it: a second consumer
 * of the same name, or a reset, is refused while it is active.
 */
public final class JournalCursor implements AutoCloseable
{
    /** Position of a cursor that has never committed. */
    public static final long NO_POSITION = -1;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,100}");
    private static final String POSITION_SUFFIX = ".pos";
    private static final String LOCK_SUFFIX = ".lock";

    private final Path journalDir;
    private final String name;
    private final FileLocks.Held lock;
    private long position;

    private JournalCursor(final Path journalDir, final String name, final FileLocks.Held lock, final long position)
    {
        this.journalDir = journalDir;
        this.name = name;
        this.lock = lock;
        this.position = position;
    }

    /**
     * Open a cursor for consuming, creating it if new; it stays active until closed.
     *
     * @param journalDir of the journal.
     * @param name       of the cursor: letters, digits, '.', '_' or '-', up to 100.
     * @return the cursor.
     * @throws JournalException if the name is invalid or another consumer has the cursor open.
     */
    public static JournalCursor open(final Path journalDir, final String name)
    {
        checkName(name);
        try
        {
            final Path dir = cursorsDir(journalDir);
            OwnerOnly.createDirectories(dir);
            final FileLocks.Held lock = FileLocks.tryAcquire(dir.resolve(name + LOCK_SUFFIX));
            if (null == lock)
            {
                throw new JournalException("cursor '" + name + "' of journal " + journalDir +
                    " is in use by another consumer; stop it or use another name");
            }
            try
            {
                return new JournalCursor(journalDir, name, lock, read(journalDir, name));
            }
            catch (final RuntimeException ex)
            {
                lock.close();
                throw ex;
            }
        }
        catch (final IOException ex)
        {
            throw new JournalException("cannot open cursor '" + name + "' of journal " + journalDir + ": " +
                ex.getMessage(), ex);
        }
    }

    /**
     * @return the cursor's name.
     */
    public String name()
    {
        return name;
    }

    /**
     * @return the next offset to read, or {@link #NO_POSITION} if nothing was ever committed.
     */
    public long position()
    {
        return position;
    }

    /**
     * Commit a position atomically.
     *
     * @param nextOffset the next offset to read, 0 or more.
     * @throws JournalException if it cannot be written.
     */
    public void commit(final long nextOffset)
    {
        if (nextOffset < 0)
        {
            throw new IllegalArgumentException("a cursor position is 0 or more, was " + nextOffset);
        }
        write(journalDir, name, nextOffset);
        position = nextOffset;
    }

    /**
     * @param endOffset of the journal: the offset the next record will get.
     * @return records not yet consumed; all of them if nothing was committed.
     */
    public long lag(final long endOffset)
    {
        return lag(endOffset, position);
    }

    /**
     * Release the cursor; safe to call more than once.
     */
    public void close()
    {
        CloseHelper.close(lock);
    }

    /**
     * @param endOffset of the journal.
     * @param position  of a cursor, or {@link #NO_POSITION}.
     * @return the lag, never negative.
     */
    public static long lag(final long endOffset, final long position)
    {
        return Math.max(0, endOffset - Math.max(0, position));
    }

    /**
     * Read a cursor's committed position without opening it.
     *
     * @param journalDir of the journal.
     * @param name       of the cursor.
     * @return the position, or {@link #NO_POSITION} if the cursor does not exist or never committed.
     */
    public static long read(final Path journalDir, final String name)
    {
        checkName(name);
        final Path file = cursorsDir(journalDir).resolve(name + POSITION_SUFFIX);
        if (!Files.exists(file))
        {
            return NO_POSITION;
        }
        try
        {
            for (final String line : Files.readAllLines(file, StandardCharsets.UTF_8))
            {
                if (line.startsWith("next-offset="))
                {
                    return Long.parseLong(line.substring("next-offset=".length()).trim());
                }
            }
            throw new JournalException("cursor file " + file + " has no next-offset line");
        }
        catch (final IOException | NumberFormatException ex)
        {
            throw new JournalException("cannot read cursor file " + file + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * Set a cursor's position while no consumer has it open.
     *
     * @param journalDir of the journal.
     * @param name       of the cursor.
     * @param nextOffset the new position.
     * @throws JournalException if the cursor is active.
     */
    public static void reset(final Path journalDir, final String name, final long nextOffset)
    {
        try (JournalCursor cursor = open(journalDir, name))
        {
            cursor.commit(nextOffset);
        }
    }

    /**
     * @param journalDir of the journal.
     * @param name       of the cursor.
     * @return true if a consumer has the cursor open now.
     */
    public static boolean isActive(final Path journalDir, final String name)
    {
        checkName(name);
        try
        {
            return FileLocks.isLocked(cursorsDir(journalDir).resolve(name + LOCK_SUFFIX));
        }
        catch (final IOException ex)
        {
            throw new JournalException("cannot check cursor '" + name + "': " + ex.getMessage(), ex);
        }
    }

    /**
     * @param journalDir of the journal.
     * @return the names of its cursors, sorted.
     */
    public static List<String> list(final Path journalDir)
    {
        final Path dir = cursorsDir(journalDir);
        if (!Files.isDirectory(dir))
        {
            return Collections.emptyList();
        }
        final List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + POSITION_SUFFIX))
        {
            for (final Path file : files)
            {
                final String fileName = file.getFileName().toString();
                names.add(fileName.substring(0, fileName.length() - POSITION_SUFFIX.length()));
            }
        }
        catch (final IOException ex)
        {
            throw new JournalException("cannot list cursors of " + journalDir + ": " + ex.getMessage(), ex);
        }
        Collections.sort(names);
        return names;
    }

    /**
     * The lowest committed position of any cursor: retention keeps every record from here on.
     *
     * @param journalDir of the journal.
     * @return the lowest position, or {@link #NO_POSITION} if no cursor has committed.
     */
    public static long lowestPosition(final Path journalDir)
    {
        long lowest = NO_POSITION;
        for (final String name : list(journalDir))
        {
            final long position = read(journalDir, name);
            if (position >= 0 && (lowest < 0 || position < lowest))
            {
                lowest = position;
            }
        }
        return lowest;
    }

    private static void write(final Path journalDir, final String name, final long nextOffset)
    {
        final Path dir = cursorsDir(journalDir);
        final Path tmp = dir.resolve(name + POSITION_SUFFIX + ".tmp");
        try
        {
            OwnerOnly.writeString(tmp, "next-offset=" + nextOffset + "\nupdated=" + Instant.now() + "\n",
                StandardCharsets.UTF_8);
            Files.move(tmp, dir.resolve(name + POSITION_SUFFIX), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
        }
        catch (final IOException ex)
        {
            throw new JournalException("cannot commit cursor '" + name + "' of journal " + journalDir + ": " +
                ex.getMessage(), ex);
        }
    }

    private static Path cursorsDir(final Path journalDir)
    {
        return journalDir.resolve(CURSORS_DIR_NAME);
    }

    private static void checkName(final String name)
    {
        if (null == name || !NAME.matcher(name).matches())
        {
            throw new JournalException("cursor name '" + name + "' must be 1 to 100 letters, digits, '.', '_' or '-'");
        }
    }
}
