package io.txmon.tools;

import io.txmon.cli.CliArgs;
import io.txmon.journal.Journal;
import io.txmon.journal.JournalCursor;
import io.txmon.journal.JournalException;
import io.txmon.journal.JournalReader;
import io.txmon.journal.RecordHandler;
import org.agrona.concurrent.BackoffIdleStrategy;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code txmon consume}: a console consumer of a journal, the event journal or the alert journal (told apart by
 * the template of the first record), like {@code kafka-console-consumer}. Starts at the end unless told
 * otherwise; reads what is there and exits, or follows the journal as it grows with {@code --follow}. With
 * {@code --group NAME} it starts from the group's committed position (a named journal cursor) and commits its
 * position as it goes and on exit; a group is consumed by one process at a time.
 */
final class ConsumeCommand
{
    private static final Set<String> OPTIONS = Set.of(
        "--journal", "--from-offset", "--from-time", "--max-messages", "--max-runtime", "--group", "--format");
    private static final Set<String> FLAGS = Set.of("--from-beginning", "--follow", "--help");
    private static final int BATCH = 256;
    private static final long COMMIT_INTERVAL_NS = TimeUnit.SECONDS.toNanos(1);
    private static final long SHUTDOWN_WAIT_MS = 5_000;

    private ConsumeCommand()
    {
    }

    static void printHelp(final PrintStream out)
    {
        out.println("usage: txmon consume --journal DIR [options]");
        out.println();
        out.println("Prints the records of a journal (events or alerts) in offset order, one per line. Like");
        out.println("kafka-console-consumer it starts at the end: without a start option, only new records.");
        out.println("Times: ISO 8601 (2026-11-25T10:15:30Z), -15m, -2h, now, or epoch nanos.");
        out.println();
        out.println("  --journal DIR       the journal directory (required): event journal or alert journal");
        out.println("  --from-beginning    start at the first record the journal holds");
        out.println("  --from-offset N     start at offset N");
        out.println("  --from-time T       start at the first record ingested at or after T");
        out.println("  --group NAME        resume at the group's committed position; commit as it goes and on exit");
        out.println("  --follow            keep waiting for new records (stop with Ctrl-C or --max-runtime)");
        out.println("  --max-messages N    stop after N records");
        out.println("  --max-runtime S     stop after S seconds (default: never with --follow)");
        out.println("  --format F          text (default), json (one object per line) or csv (with a header)");
        out.println("  --help              this text");
    }

    static int run(final String[] args, final PrintStream out, final PrintStream err) throws IOException
    {
        final CliArgs cli = CliArgs.parse("consume", args, OPTIONS, FLAGS);
        if (cli.has("--help"))
        {
            printHelp(out);
            return ToolsCli.EXIT_OK;
        }
        if (!cli.has("--journal"))
        {
            throw new CliArgs.UsageException("--journal DIR is required: the event or alert journal to read");
        }
        final EventFormat.Style style = EventFormat.Style.parse("--format", cli.get("--format", "text"), true);
        int starts = 0;
        for (final String start : new String[]{ "--from-beginning", "--from-offset", "--from-time" })
        {
            starts += cli.has(start) ? 1 : 0;
        }
        if (starts > 1)
        {
            throw new CliArgs.UsageException("give one of --from-beginning, --from-offset and --from-time");
        }
        final long fromOffset = cli.getLong("--from-offset", -1, 0, Long.MAX_VALUE);
        final long fromTime = cli.has("--from-time") ? TimeArgs.parse("--from-time", cli.get("--from-time", null),
            System.currentTimeMillis() * 1_000_000L) : Long.MIN_VALUE;
        final long maxMessages = cli.getLong("--max-messages", Long.MAX_VALUE, 1, Long.MAX_VALUE);
        final long maxRuntimeNs = TimeUnit.SECONDS.toNanos(cli.getLong("--max-runtime", 0, 0, 365L * 86_400));
        final boolean follow = cli.has("--follow");
        final String group = cli.get("--group", null);
        if (null != group && !group.matches("[A-Za-z0-9._-]{1,100}"))
        {
            throw new CliArgs.UsageException("--group '" + group + "' is not a group name: 1 to 100 letters, digits, " +
                "'.', '_' or '-'");
        }
        final Path dir = JournalDirs.journal(cli.get("--journal", null), "consume");

        final long endOffset = Journal.endOffset(dir);
        if (fromOffset > endOffset)
        {
            throw new CliArgs.UsageException("--from-offset " + fromOffset +
                " is beyond the end: the journal ends at offset " + endOffset);
        }

        JournalCursor cursor = null;
        if (null != group)
        {
            try
            {
                cursor = JournalCursor.open(dir, group);
            }
            catch (final JournalException ex)
            {
                if (JournalCursor.isActive(dir, group))
                {
                    throw new JournalException("group '" + group + "' is active in another consumer of " + dir +
                        "; stop it first or use another group name", ex);
                }
                throw new CliArgs.UsageException(ex.getMessage());
            }
        }
        try
        {
            return consume(dir, cursor, style, fromOffset, fromTime, cli.has("--from-beginning"), follow,
                maxMessages, maxRuntimeNs, out, err);
        }
        finally
        {
            if (null != cursor)
            {
                cursor.close();
            }
        }
    }

    private static int consume(
        final Path dir,
        final JournalCursor cursor,
        final EventFormat.Style style,
        final long fromOffset,
        final long fromTime,
        final boolean fromBeginning,
        final boolean follow,
        final long maxMessages,
        final long maxRuntimeNs,
        final PrintStream out,
        final PrintStream err) throws IOException
    {
        final boolean[] headerPending = { style == EventFormat.Style.CSV };
        final EventFormat format = new EventFormat(style);
        final JournalDirs.Lines writer = new JournalDirs.Lines(out);
        final JournalDirs.Progress progress = new JournalDirs.Progress(err, "records consumed");
        final long[] consumed = { 0 };
        final RecordHandler printer = (offset, timestamp, templateId, buffer, payloadOffset, payloadLength) ->
        {
            if (consumed[0] >= maxMessages)
            {
                return;
            }
            try
            {
                if (headerPending[0])
                {
                    // the header that fits what the journal holds: the first record says, even one that came later
                    writer.line(EventFormat.csvHeader(templateId == EventFormat.ALERT_TEMPLATE_ID));
                    headerPending[0] = false;
                }
                writer.line(format.format(offset, timestamp, templateId, buffer, payloadOffset, payloadLength));
                consumed[0]++;
                progress.update(consumed[0], offset, writer);
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
        };

        final CountDownLatch finished = new CountDownLatch(1);
        final boolean[] interrupted = { false };
        final Thread hook = new Thread(() ->
        {
            synchronized (interrupted)
            {
                interrupted[0] = true;
            }
            try
            {
                finished.await(SHUTDOWN_WAIT_MS, TimeUnit.MILLISECONDS);
            }
            catch (final InterruptedException ignore)
            {
                Thread.currentThread().interrupt();
            }
        }, "txmon-consume-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);

        try (JournalReader reader = JournalReader.open(dir))
        {
            position(reader, dir, cursor, fromOffset, fromTime, fromBeginning, err);
            final long start = System.nanoTime();
            long lastCommitNs = start;
            long committed = null == cursor ? -1 : cursor.position();
            final BackoffIdleStrategy idle = new BackoffIdleStrategy();
            while (true)
            {
                final int limit = (int)Math.min(BATCH, maxMessages - consumed[0]);
                final int read = limit > 0 ? reader.poll(printer, limit) : 0;
                final long now = System.nanoTime();
                if (null != cursor && reader.nextOffset() != committed && now - lastCommitNs >= COMMIT_INTERVAL_NS)
                {
                    cursor.commit(reader.nextOffset());
                    committed = reader.nextOffset();
                    lastCommitNs = now;
                }
                final boolean stop;
                synchronized (interrupted)
                {
                    stop = interrupted[0];
                }
                if (stop || consumed[0] >= maxMessages || (maxRuntimeNs > 0 && now - start >= maxRuntimeNs))
                {
                    break;
                }
                if (read == 0)
                {
                    writer.flush();
                    if (!follow)
                    {
                        break;
                    }
                }
                idle.idle(read);
            }
            if (headerPending[0])
            {
                writer.line(EventFormat.csvHeader(JournalDirs.isAlertJournal(dir)));
            }
            if (null != cursor && reader.nextOffset() != committed)
            {
                cursor.commit(reader.nextOffset());
            }
        }
        catch (final UncheckedIOException ex)
        {
            throw ex.getCause();
        }
        finally
        {
            progress.done();
            writer.flush();
            finished.countDown();
            try
            {
                Runtime.getRuntime().removeShutdownHook(hook);
            }
            catch (final IllegalStateException ignore)
            {
                // the JVM is shutting down, on Ctrl-C: the hook is running and waits for this
            }
        }
        return ToolsCli.EXIT_OK;
    }

    private static void position(
        final JournalReader reader,
        final Path dir,
        final JournalCursor cursor,
        final long fromOffset,
        final long fromTime,
        final boolean fromBeginning,
        final PrintStream err)
    {
        if (null != cursor && cursor.position() != JournalCursor.NO_POSITION)
        {
            final long position = cursor.position();
            if (!reader.seek(position))
            {
                final long first = reader.firstOffset();
                if (position < first)
                {
                    err.println("txmon consume: group '" + cursor.name() + "' was at offset " + position +
                        ", no longer in the journal; starting at its first offset, " + first);
                    reader.seek(first);
                }
                else
                {
                    reader.seek(Journal.endOffset(dir));
                }
            }
        }
        else if (fromBeginning)
        {
            reader.seek(reader.firstOffset());
        }
        else if (fromOffset >= 0)
        {
            if (!reader.seek(fromOffset) && fromOffset < reader.firstOffset())
            {
                throw new CliArgs.UsageException("--from-offset " + fromOffset + " is no longer in the journal: it " +
                    "starts at offset " + reader.firstOffset());
            }
        }
        else if (fromTime != Long.MIN_VALUE)
        {
            reader.seekTime(fromTime);
        }
        else
        {
            // like a console consumer with no committed position: only what comes next
            reader.seek(Journal.endOffset(dir));
        }
    }
}
