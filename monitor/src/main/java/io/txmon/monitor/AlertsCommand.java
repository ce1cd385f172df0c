package io.txmon.monitor;

import io.txmon.rules.AlertFormat;
import io.txmon.cli.CliArgs;
import io.txmon.events.codec.AlertDecoder;
import io.txmon.events.codec.MessageHeaderDecoder;
import io.txmon.journal.Journal;
import io.txmon.journal.JournalReader;
import io.txmon.journal.RecordHandler;
import org.agrona.concurrent.BackoffIdleStrategy;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * {@code txmon alerts}: a console consumer of the alert journal, like {@code kafka-console-consumer}: from
 * the end by default (only new alerts), from the first with {@code --from-beginning}; reads what is there
 * and exits, or keeps following with {@code --follow}. Text or one JSON object per line.
 */
final class AlertsCommand
{
    private static final Set<String> OPTIONS = Set.of("--journal", "--format", "--max-runtime");
    private static final Set<String> FLAGS = Set.of("--from-beginning", "--follow", "--help");

    private AlertsCommand()
    {
    }

    static void printHelp(final PrintStream out)
    {
        out.println("usage: txmon alerts --journal ALERT_JOURNAL_DIR [options]");
        out.println();
        out.println("Reads the engine's alert journal ('txmon run --alert-journal DIR'), every alert the engine");
        out.println("raised, in offset order. Like kafka-console-consumer, it starts at the end unless told otherwise.");
        out.println();
        out.println("  --journal DIR      the alert journal directory (required)");
        out.println("  --from-beginning   start from the first alert instead of the end");
        out.println("  --follow           keep waiting for new alerts (stop with Ctrl-C or --max-runtime)");
        out.println("  --format F         text (default) or json: one JSON object per line");
        out.println("  --max-runtime S    with --follow, stop after S seconds (default: never)");
        out.println("  --help             this text");
    }

    static int run(final String[] args, final PrintStream out, final PrintStream err)
    {
        final CliArgs cli = CliArgs.parse("alerts", args, OPTIONS, FLAGS);
        if (cli.has("--help"))
        {
            printHelp(out);
            return TxmonCli.EXIT_OK;
        }
        if (!cli.has("--journal"))
        {
            throw new CliArgs.UsageException("--journal DIR is required: the alert journal of 'txmon run'");
        }
        final Path dir = Path.of(cli.get("--journal", null));
        if (!Files.isDirectory(dir))
        {
            err.println("txmon alerts: no alert journal at " + dir + "; start the engine with " +
                "'txmon run --alert-journal " + dir + "' or give the directory it uses");
            return TxmonCli.EXIT_FAILED;
        }
        final String format = cli.get("--format", "text").trim();
        if (!"text".equals(format) && !"json".equals(format))
        {
            throw new CliArgs.UsageException("--format must be text or json, not '" + format + "'");
        }
        final boolean json = "json".equals(format);
        final boolean follow = cli.has("--follow");
        final long maxRuntimeNs = TimeUnit.SECONDS.toNanos(cli.getLong("--max-runtime", 0, 0, 365L * 86_400));

        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        final AlertDecoder alert = new AlertDecoder();
        final StringBuilder line = new StringBuilder(256);
        final RecordHandler printer = (offset, timestamp, templateId, buffer, payloadOffset, payloadLength) ->
        {
            if (templateId == AlertDecoder.TEMPLATE_ID)
            {
                alert.wrapAndApplyHeader(buffer, payloadOffset, header);
                out.println(json ? AlertFormat.json(alert, line) : AlertFormat.text(alert, line));
            }
        };

        try (JournalReader reader = JournalReader.open(dir))
        {
            if (!cli.has("--from-beginning"))
            {
                // like a consumer with no committed position: start at the end, see only what comes next
                reader.seek(Journal.endOffset(dir));
            }
            final long start = System.nanoTime();
            final BackoffIdleStrategy idle = new BackoffIdleStrategy();
            while (true)
            {
                final int read = reader.poll(printer, 256);
                if (read == 0)
                {
                    out.flush();
                    if (!follow || (maxRuntimeNs > 0 && System.nanoTime() - start > maxRuntimeNs))
                    {
                        return TxmonCli.EXIT_OK;
                    }
                }
                idle.idle(read);
            }
        }
    }
}
