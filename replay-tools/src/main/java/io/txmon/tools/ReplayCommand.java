package io.txmon.tools;

import io.txmon.cli.CliArgs;
import io.txmon.events.codec.AlertDecoder;
import io.txmon.journal.JournalConfig;
import io.txmon.journal.JournalReader;
import io.txmon.journal.JournalWriter;
import io.txmon.rules.config.ConfigException;
import io.txmon.rules.config.RuleSettings;
import io.txmon.rules.state.AccountStore;
import io.txmon.transport.TransportConfiguration;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * {@code txmon replay}: replay a range of a journal through the rules as the live engine ran them, and print
 * the alerts, write them to an alert journal, compare them with the live alert journal (the audit proof),
 * score them against labels (a backtest), or republish the range's events to an Aeron channel.
 */
final class ReplayCommand
{
    private static final Set<String> WITH_VALUE = Set.of(
        "--journal", "--from-offset", "--from-time", "--to-offset", "--to-time", "--rules", "--workers", "--format",
        "--out", "--alert-journal", "--labels", "--to-channel", "--stream", "--aeron-dir", "--pace", "--warm-up",
        "--snapshot-dir", "--max-accounts", "--idle-horizon");
    private static final Set<String> FLAGS = Set.of("--compare", "--help");
    private static final long PROGRESS_INTERVAL_NS = 500_000_000L;

    static final String HELP = String.join(System.lineSeparator(),
        "usage: txmon replay --journal <dir> [range] [rules] [outputs]",
        "",
        "Replays a range of a journal through the rules exactly as the live engine ran them. Before the range",
        "the rules warm up with their alerts suppressed, as a restarted engine does: from the newest usable",
        "snapshot the engine took before the range and the journal after it; without one, every AccountUpdate",
        "and ConfigChange from the start and every transaction from the range's first ingest time less the",
        "longest horizon of the rules in effect. Either way the alerts are the live ones: the journal is the",
        "truth, a snapshot only saves time. The warm-up used and the events it replayed are printed.",
        "",
        "range (default: the whole journal; offsets inclusive):",
        "  --from-offset <n>        first offset of the range",
        "  --from-time <time>       the first record ingested at or after the time",
        "  --to-offset <n>          last offset of the range",
        "  --to-time <time>         the last record ingested at or before the time",
        "                           times: ISO 8601 (2026-11-25T10:15:30Z, 2026-11-25), -15m/-2h/-7d, now,",
        "                           or epoch nanoseconds",
        "rules:",
        "  (default)                the journal's own configuration: the defaults and its ConfigChange events",
        "  --rules <file>           candidate rules: a .properties file of rules.<rule>.<key> = value keys on",
        "                           top of the defaults; the journal's ConfigChange events are then ignored",
        "  --workers <k>            rule workers, as the live engine had (default 1): sets the alert order",
        "  --warm-up snapshot|auto|all",
        "                           snapshot (default): restore each worker's rules from the newest snapshot",
        "                           before the range that is whole, of this journal and taken with --workers",
        "                           workers, and replay the journal after it; a snapshot passed over is a",
        "                           note on standard error saying why, and without a usable one the warm-up",
        "                           is auto. Exact where auto is not (late events, clock skew, reference",
        "                           events gone to retention). Not with --rules: a candidate warms up as auto.",
        "                           auto: reference events from the start, transactions from the rules'",
        "                           horizon before the range; all: every event from the start of the journal,",
        "                           for journals whose event times lag their ingest times",
        "  --snapshot-dir <dir>     the engine's snapshots (default <journal>-snapshots, as 'txmon run' writes",
        "                           them); none for no snapshot",
        "  --max-accounts <n>       accounts the rules keep state for, and forget an account not seen for the",
        "  --idle-horizon <d>       duration; as 'txmon run' (defaults 250,000 and none). Give the live engine's",
        "                           values: once its cap was reached, its alerts depend on them",
        "outputs (default: the alerts as text):",
        "  --format text|json       print the alerts of the range, one per line; with --labels it is the",
        "                           report's format instead (text, json: one object, or csv: section,name,",
        "                           metric,value rows) and the alerts are not printed (--out keeps them)",
        "  --out <dir>              write the alerts of the range to a new alert journal",
        "  --compare                compare the alerts with the live alert journal's alerts whose triggering",
        "                           offsets are in the range, by id and bytes: exit 0 if identical, else exit 1",
        "                           and list the alerts added, removed and changed",
        "  --alert-journal <dir>    the alert journal to compare with (default <journal>-alerts)",
        "  --labels <file>          evaluate the alerts against labelled events (a backtest). One label per",
        "                           line, <key>,<label>: the key an offset or tx:<txId> (the payment with that",
        "                           id); the label fraud (or positive, 1), legit (or negative, 0), or else the",
        "                           name of the scenario the event belongs to, which makes it positive. A name",
        "                           <type>:<id> (fan-in:17) counts in its type's recall; another (laundering-42)",
        "                           has no type; a bare number or yes/no word is refused. Blank lines and lines",
        "                           starting with # are skipped; errors name the line. Reported, over the range:",
        "                           - by triggering event: TP, FP, FN, precision, recall and F1 per rule and for",
        "                             any rule, each alert counted on its triggering event only",
        "                           - per rule and all rules: alerts, true alerts (the triggering event or one",
        "                             of the evidence events is positive), precision, alerts per 1,000",
        "                             transactions (payments, orders, executions), scenarios detected (an alert",
        "                             touches one of their events, evidence before the range included), recall",
        "                           - per scenario type: scenarios, detected, recall; the scenarios missed",
        "                           - positive events touched by an alert; accounts: suspicious (named by a",
        "                             positive event) and alerted (an alert's account), precision and recall",
        "                           n/a where a denominator is 0. Cases are scored once the alert journal has",
        "                           them. README.md shows how to turn a labelled CSV into this format.",
        "  --to-channel <channel>   republish the range's records, payloads as journaled, to an Aeron channel",
        "                           (rules run only if another output is asked for too)",
        "  --stream <n>             stream id (default " + TransportConfiguration.DEFAULT_INGEST_STREAM_ID + ")",
        "  --aeron-dir <dir>        directory of the running media driver (default Aeron's)",
        "  --pace max|original|<m>x as fast as possible (default), the ingest pace, or m times it",
        "  --help                   this text",
        "",
        "Progress goes to standard error, on a terminal only. Exit status: 0 done (or identical), 1 failed (or",
        "different), 2 the command line cannot run as given.");

    private ReplayCommand()
    {
    }

    /**
     * @param args after the command name.
     * @param out  for alerts and reports.
     * @param err  for progress, and notes when the alerts are JSON.
     * @return exit status: 0 done or identical, 1 different, 2 usage.
     * @throws IOException if a file cannot be read or written.
     */
    static int run(final String[] args, final PrintStream out, final PrintStream err) throws IOException
    {
        final CliArgs cli = CliArgs.parse("replay", args, WITH_VALUE, FLAGS);
        if (cli.has("--help"))
        {
            out.println(HELP);
            return ToolsCli.EXIT_OK;
        }
        if (!cli.has("--journal"))
        {
            throw new CliArgs.UsageException("give --journal <dir>; see 'txmon replay --help'");
        }
        final Path journal = Path.of(cli.get("--journal", ""));
        requireDirectory("--journal", journal);
        exclusive(cli, "--from-offset", "--from-time");
        exclusive(cli, "--to-offset", "--to-time");

        final int workers = (int)cli.getLong("--workers", 1, 1, 256);
        final String format = cli.get("--format", null);
        final boolean labelled = cli.has("--labels");
        if (null != format && !"text".equals(format) && !"json".equals(format) && !"csv".equals(format))
        {
            throw new CliArgs.UsageException("--format '" + format + "' is not text or json" +
                (labelled ? " (or csv, for --labels)" : ""));
        }
        if ("csv".equals(format) && !labelled)
        {
            throw new CliArgs.UsageException("--format csv is for the --labels report; alerts print as text or json");
        }
        final boolean compare = cli.has("--compare");
        final boolean reportForScripts = labelled && null != format && !"text".equals(format);
        if (reportForScripts && compare)
        {
            throw new CliArgs.UsageException("--labels --format " + format + " and --compare both print to standard " +
                "output; run them one at a time");
        }
        Path alertJournal = null;
        if (cli.has("--alert-journal") && !compare)
        {
            throw new CliArgs.UsageException("--alert-journal is for --compare");
        }
        if (compare)
        {
            alertJournal = cli.has("--alert-journal") ? Path.of(cli.get("--alert-journal", "")) :
                journal.toAbsolutePath().resolveSibling(journal.toAbsolutePath().getFileName() + "-alerts");
            requireDirectory("--alert-journal", alertJournal);
        }
        final Path outDir = cli.has("--out") ? Path.of(cli.get("--out", "")) : null;
        if (null != outDir && Files.isDirectory(outDir))
        {
            try (Stream<Path> entries = Files.list(outDir))
            {
                if (entries.findAny().isPresent())
                {
                    throw new CliArgs.UsageException("--out " + outDir + " is not empty; give a new directory");
                }
            }
        }
        final String rulesFile = cli.get("--rules", null);
        final RuleSettings candidate = null == rulesFile ? null : loadRules(Path.of(rulesFile));
        final Replayer.WarmUp warmUp = warmUp(cli, null != candidate);
        final Path snapshotDir = warmUp == Replayer.WarmUp.SNAPSHOT && null == candidate ?
            snapshotDir(cli, journal) : null;
        final Labels labels = labelled ? Labels.load(Path.of(cli.get("--labels", ""))) : null;

        final String channel = cli.get("--to-channel", null);
        for (final String option : new String[]{ "--stream", "--aeron-dir", "--pace" })
        {
            if (cli.has(option) && null == channel)
            {
                throw new CliArgs.UsageException(option + " is for --to-channel");
            }
        }
        final int streamId = (int)cli.getLong(
            "--stream", TransportConfiguration.DEFAULT_INGEST_STREAM_ID, 1, Integer.MAX_VALUE);
        final Republisher republisher = null == channel ? null : new Republisher(
            journal, cli.get("--aeron-dir", null), channel, streamId, Republisher.parsePace(cli.get("--pace", "max")));

        final long[] range = range(cli, journal);
        final long first = range[0];
        final long from = range[1];
        final long to = range[2];

        // with --labels, --format is the report's: the alerts are not printed (--out keeps them)
        final boolean printAlerts = null == labels &&
            (null != format || (!compare && null == outDir && null == channel));
        final boolean json = "json".equals(format);
        final boolean runRules = printAlerts || compare || null != labels || null != outDir;
        final PrintStream notes = (printAlerts && json) || reportForScripts ? err : out;
        final Progress progress = null == System.console() ? null : new Progress(err);

        int status = ToolsCli.EXIT_OK;
        if (runRules)
        {
            if (null != candidate)
            {
                notes.println("rules: the defaults with " + rulesFile + "; the journal's ConfigChange events are " +
                    "ignored");
            }
            final List<AlertEntry> replayed = new ArrayList<>();
            final Replayer replayer = new Replayer(journal, workers, candidate, warmUp, snapshotDir,
                accountLimits(cli), (note) -> err.println("txmon replay: " + note));
            final long[] alertCount = new long[1];
            final TxIdLookup lookup = null == labels ? null : new TxIdLookup(journal);
            final Evaluation evaluation = null == labels ? null : new Evaluation(labels, from, to, lookup);
            JournalWriter writer = null;
            try
            {
                if (null != outDir)
                {
                    Files.createDirectories(outDir);
                    writer = JournalWriter.open(outDir, new JournalConfig());
                }
                final JournalWriter alertsOut = writer;
                replayer.replay(first, from, to,
                    (event, alert, bytes, length) ->
                    {
                        alertCount[0]++;
                        if (compare || printAlerts)
                        {
                            final AlertEntry entry = AlertEntry.of(bytes, 0, length);
                            if (compare)
                            {
                                replayed.add(entry);
                            }
                            if (printAlerts)
                            {
                                out.println(entry.format(json));
                            }
                        }
                        if (null != evaluation)
                        {
                            evaluation.onAlert(alert);
                        }
                        if (null != alertsOut &&
                            alertsOut.append(bytes, 0, length, AlertDecoder.TEMPLATE_ID, event.ingestTime) < 0)
                        {
                            throw new IllegalStateException("cannot write to " + outDir + ": " +
                                (null == alertsOut.lastError() ? "append refused" :
                                ToolsCli.describe(alertsOut.lastError())));
                        }
                    },
                    null == evaluation ? null : evaluation::onEvent,
                    null == progress ? null : (offset) -> progress.at("replay", offset - first, to + 1 - first));
            }
            finally
            {
                if (null != lookup)
                {
                    lookup.close();
                }
                if (null != writer)
                {
                    writer.close();
                }
                if (null != progress)
                {
                    progress.done();
                }
            }

            notes.println("warm-up: " + replayer.warmUpSummary());
            notes.println("replayed " + replayer.evaluated() + " events in offsets " + from + ".." + to + " with " +
                workers + (workers == 1 ? " worker" : " workers") + " (transactions from offset " +
                replayer.transactionsFrom() + "): " + alertCount[0] + " alerts" +
                (null == outDir ? "" : ", written to " + outDir) +
                (null == candidate ? "" : "; " + replayer.configChangesIgnored() + " ConfigChange events ignored"));
            if (replayer.ruleErrors() > 0)
            {
                err.println("txmon replay: " + replayer.ruleErrors() + " rule errors; the first: " +
                    replayer.firstRuleError());
            }
            if (null != evaluation)
            {
                new EvaluationReport(evaluation).print(out, null == format ? EvaluationReport.Format.TEXT :
                    EvaluationReport.Format.valueOf(format.toUpperCase(Locale.ROOT)));
            }
            if (compare)
            {
                final AlertDiff diff = AlertDiff.of(replayed, AlertDiff.read(alertJournal, from, to));
                diff.print(out, from, to, "the alert journal " + alertJournal);
                status = diff.identical() ? ToolsCli.EXIT_OK : ToolsCli.EXIT_FAILED;
            }
        }

        if (null != republisher)
        {
            try
            {
                republisher.publish(from, to,
                    null == progress ? null : (offset) -> progress.at("publish", offset - from, to + 1 - from));
            }
            finally
            {
                if (null != progress)
                {
                    progress.done();
                }
            }
            notes.println("published " + republisher.published() + " records of offsets " + from + ".." + to +
                " to " + channel + " stream " + streamId + " (last producer sequence " + republisher.lastProducerSeq() +
                ")");
        }
        return status;
    }

    /**
     * @return {first offset the journal holds, first offset of the range, last offset of the range}.
     */
    private static long[] range(final CliArgs cli, final Path journal)
    {
        final long now = System.currentTimeMillis() * 1_000_000L;
        try (JournalReader reader = JournalReader.open(journal))
        {
            final long first = reader.firstOffset();
            reader.seekTime(Long.MAX_VALUE);
            final long last = reader.nextOffset() - 1;
            if (last < first)
            {
                throw new CliArgs.UsageException("the journal " + journal + " is empty");
            }
            final String ends = "the journal ends at offset " + last;

            long from = first;
            if (cli.has("--from-offset"))
            {
                from = cli.getLong("--from-offset", 0, 0, Long.MAX_VALUE);
                if (from > last)
                {
                    throw new CliArgs.UsageException("--from-offset " + from + " is beyond the end: " + ends);
                }
            }
            else if (cli.has("--from-time"))
            {
                final long time = TimeArgs.parse("--from-time", cli.get("--from-time", ""), now);
                from = reader.seekTime(time);
                if (from == JournalReader.NOT_FOUND)
                {
                    throw new CliArgs.UsageException("--from-time " + TimeArgs.format(time) +
                        " is after the last record: " + ends);
                }
            }
            if (from < first)
            {
                throw new CliArgs.UsageException("offset " + from + " is before the start: the journal starts at " +
                    "offset " + first + " (earlier records went to retention)");
            }

            long to = last;
            if (cli.has("--to-offset"))
            {
                to = cli.getLong("--to-offset", 0, 0, Long.MAX_VALUE);
                if (to > last)
                {
                    throw new CliArgs.UsageException("--to-offset " + to + " is beyond the end: " + ends);
                }
            }
            else if (cli.has("--to-time"))
            {
                final long time = TimeArgs.parse("--to-time", cli.get("--to-time", ""), now);
                final long after = time == Long.MAX_VALUE ? JournalReader.NOT_FOUND : reader.seekTime(time + 1);
                to = after == JournalReader.NOT_FOUND ? last : after - 1;
                if (to < first)
                {
                    throw new CliArgs.UsageException("--to-time " + TimeArgs.format(time) +
                        " is before the first record of the journal");
                }
            }
            if (from > to)
            {
                throw new CliArgs.UsageException("the range is reversed: it starts at offset " + from +
                    " and ends at offset " + to);
            }
            return new long[]{ first, from, to };
        }
    }

    /**
     * {@code --warm-up}: snapshot by default (which warms up a candidate as auto: its rules are not those a
     * snapshot's state comes from), auto with {@code --snapshot-dir none}.
     */
    private static AccountStore.Limits accountLimits(final CliArgs cli)
    {
        try
        {
            return AccountStore.Limits.parse(cli.get("--max-accounts", null), cli.get("--idle-horizon", null));
        }
        catch (final AccountStore.Limits.InvalidLimit ex)
        {
            throw new CliArgs.UsageException(ex.option() + ": " + ex.getMessage());
        }
    }

    private static Replayer.WarmUp warmUp(final CliArgs cli, final boolean candidate)
    {
        final String label = cli.get("--warm-up", null);
        final Replayer.WarmUp warmUp = null == label ? null : Replayer.WarmUp.of(label);
        if (null != label && null == warmUp)
        {
            throw new CliArgs.UsageException("--warm-up '" + label + "' is not snapshot, auto or all");
        }
        final String dir = cli.get("--snapshot-dir", null);
        final boolean noSnapshots = null != dir && "none".equalsIgnoreCase(dir.trim());
        if (candidate && (warmUp == Replayer.WarmUp.SNAPSHOT || (null != dir && !noSnapshots)))
        {
            throw new CliArgs.UsageException((null == dir ? "--warm-up snapshot" : "--snapshot-dir") + " is not " +
                "for --rules: a candidate's rules differ from those a snapshot's state comes from; it warms up as " +
                "auto or all");
        }
        if (noSnapshots && warmUp == Replayer.WarmUp.SNAPSHOT)
        {
            throw new CliArgs.UsageException("--warm-up snapshot needs snapshots; --snapshot-dir none warms up as " +
                "auto (or give --warm-up all)");
        }
        if (null != dir && !noSnapshots && null != warmUp && warmUp != Replayer.WarmUp.SNAPSHOT)
        {
            throw new CliArgs.UsageException("--snapshot-dir is for --warm-up snapshot, not " + warmUp.label());
        }
        if (null != warmUp)
        {
            return warmUp;
        }
        return noSnapshots ? Replayer.WarmUp.AUTO : Replayer.WarmUp.SNAPSHOT;
    }

    /**
     * {@code --snapshot-dir}: as given (it must exist), or the journal's directory name + {@code -snapshots}
     * beside it, where {@code txmon run} writes them (missing there: no snapshot).
     */
    private static Path snapshotDir(final CliArgs cli, final Path journal)
    {
        final String dir = cli.get("--snapshot-dir", null);
        if (null == dir)
        {
            final Path absolute = journal.toAbsolutePath().normalize();
            return absolute.resolveSibling(absolute.getFileName() + "-snapshots");
        }
        final Path given = Path.of(dir.trim());
        requireDirectory("--snapshot-dir", given);
        return given;
    }

    private static RuleSettings loadRules(final Path file)
    {
        if (!Files.isRegularFile(file))
        {
            throw new CliArgs.UsageException("--rules " + file + " does not exist");
        }
        final Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8))
        {
            properties.load(reader);
        }
        catch (final IOException | IllegalArgumentException ex)
        {
            throw new CliArgs.UsageException("--rules " + file + " cannot be read: " + ToolsCli.describe(ex));
        }
        final Map<String, String> keys = new TreeMap<>();
        for (final String key : properties.stringPropertyNames())
        {
            if (!key.startsWith(RuleSettings.PREFIX))
            {
                throw new CliArgs.UsageException("--rules " + file + ": " + key + ": not a rule key; give " +
                    RuleSettings.PREFIX + "<rule>.<key> keys");
            }
            keys.put(key, properties.getProperty(key));
        }
        try
        {
            return RuleSettings.defaults().with(keys);
        }
        catch (final ConfigException ex)
        {
            throw new CliArgs.UsageException("--rules " + file + ": " + String.join("; ", ex.problems()));
        }
    }

    private static void requireDirectory(final String option, final Path dir)
    {
        if (!Files.isDirectory(dir))
        {
            throw new CliArgs.UsageException(option + " " + dir + " does not exist or is not a directory");
        }
    }

    private static void exclusive(final CliArgs cli, final String one, final String other)
    {
        if (cli.has(one) && cli.has(other))
        {
            throw new CliArgs.UsageException("give " + one + " or " + other + ", not both");
        }
    }

    /**
     * Progress on standard error, at most twice a second, on one line.
     */
    private static final class Progress
    {
        private final PrintStream err;
        private long lastPrint;
        private boolean printed;

        Progress(final PrintStream err)
        {
            this.err = err;
        }

        void at(final String what, final long done, final long total)
        {
            final long now = System.nanoTime();
            if (!printed || now - lastPrint >= PROGRESS_INTERVAL_NS)
            {
                lastPrint = now;
                printed = true;
                err.print("\r" + what + ": " + done + " of " + total + " records (" +
                    (100 * done / Math.max(1, total)) + "%)");
                err.flush();
            }
        }

        void done()
        {
            if (printed)
            {
                err.println();
                printed = false;
            }
        }
    }
}
