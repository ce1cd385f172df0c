package io.txmon.journal;

import java.nio.file.Path;

/**
 * Run in a separate JVM by {@link JournalWriterLockTest}: tries to open a writer on a journal directory and
 * reports the outcome in its exit status, without appending anything.
 */
public final class WriterLockProbe
{
    static final int OPENED = 10;
    static final int ALREADY_OPEN = 11;
    static final int OTHER_FAILURE = 12;

    private WriterLockProbe()
    {
    }

    public static void main(final String[] args)
    {
        final Path dir = Path.of(args[0]);
        final int segmentLength = Integer.parseInt(args[1]);
        try (JournalWriter writer = JournalWriter.open(dir, segmentLength))
        {
            System.out.println("opened at offset " + writer.nextOffset());
            System.exit(OPENED);
        }
        catch (final JournalException ex)
        {
            System.out.println(ex.getMessage());
            System.exit(ex.getMessage().contains("already open for writing") ? ALREADY_OPEN : OTHER_FAILURE);
        }
    }
}
