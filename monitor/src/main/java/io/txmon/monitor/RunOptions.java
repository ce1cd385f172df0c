package io.txmon.monitor;

import io.txmon.cli.CliArgs;
import io.txmon.events.FieldRules;
import io.txmon.journal.Durability;
import io.txmon.rules.config.ConfigException;
import io.txmon.rules.config.Parameter;
import io.txmon.rules.config.RuleSettings;
import io.txmon.rules.state.AccountStore;
import io.txmon.sequencer.Engine;
import io.txmon.transport.Profile;
import io.txmon.transport.TransportConfiguration;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The resolved configuration of {@code txmon run}: command-line options over the keys of a {@code --config}
 * properties file over the defaults, every value checked, each refusal a {@link CliArgs.UsageException} that
 * names the option or the file's key.
 *
 * @param journal              journal directory.
 * @param aeronDir             media driver directory.
 * @param externalDriver       true to use a driver already running in {@code aeronDir}.
 * @param ingestChannel        channel producers publish on.
 * @param ingestStream         stream id producers publish on.
 * @param alertChannel         channel alerts are published on.
 * @param alertJournal         directory of the alert journal, or null for none.
 * @param ackChannel           channel acknowledgements are published on.
 * @param ackStream            stream id of acknowledgements.
 * @param alertStream          stream id alerts are published on.
 * @param durability           of the journal.
 * @param profile              threads and idle strategies: compact, yielding or low-latency.
 * @param workers              rule workers.
 * @param rules                the rule settings: defaults, then the {@code rules.} keys of {@code --config},
 *                             then {@code --large-amount-threshold}.
 * @param rejectLog            file of the reject log, or null for none.
 * @param rejectLogMaxBytes    largest size of one reject log file.
 * @param rejectLogFiles       reject log files kept.
 * @param statsIntervalSeconds between counter lines, 0 for none.
 * @param maxRuntimeSeconds    after which the engine stops, 0 for never.
 * @param allowRemote          true to accept UDP channels that are not loopback.
 * @param minEventTime         earliest event time the engine accepts, epoch ns.
 * @param maxEventTimeAheadNs  most an event time may be ahead of the engine's clock.
 * @param snapshotDir          directory of the state snapshots, or null for none.
 * @param snapshotInterval     events between snapshots, 0 for snapshots at a clean stop only.
 * @param accountLimits        accounts the rule workers hold between them, and how long an idle one is kept.
 */
record RunOptions(
    Path journal,
    Path alertJournal,
    String aeronDir,
    boolean externalDriver,
    String ingestChannel,
    int ingestStream,
    String alertChannel,
    int alertStream,
    String ackChannel,
    int ackStream,
    Durability durability,
    Profile profile,
    int workers,
    RuleSettings rules,
    Path rejectLog,
    long rejectLogMaxBytes,
    int rejectLogFiles,
    long statsIntervalSeconds,
    long maxRuntimeSeconds,
    boolean allowRemote,
    long minEventTime,
    long maxEventTimeAheadNs,
    Path snapshotDir,
    long snapshotInterval,
    AccountStore.Limits accountLimits)
{
    /** Default of {@code --min-event-time}: nothing before 2000 is a live event. */
    static final String DEFAULT_MIN_EVENT_TIME = "2000-01-01T00:00:00Z";
    /** Default of {@code --max-event-time-ahead}. */
    static final String DEFAULT_MAX_EVENT_TIME_AHEAD = "1d";

    /** Options that take a value; every one except {@code --config} is also a key of the config file. */
    static final Set<String> OPTIONS = Set.of(
        "--journal", "--alert-journal", "--aeron-dir", "--ingest", "--ingest-stream", "--alert-channel",
        "--alert-stream",
        "--ack-channel", "--ack-stream",
        "--durability", "--profile", "--workers", "--large-amount-threshold", "--reject-log",
        "--reject-log-max-bytes", "--reject-log-files", "--stats-interval", "--max-runtime", "--config",
        "--min-event-time", "--max-event-time-ahead", "--snapshot-dir", "--snapshot-interval", "--max-accounts",
        "--idle-horizon");
    /** Options that take none; also keys of the config file, with the value true or false. */
    static final Set<String> FLAGS = Set.of("--external-driver", "--allow-remote", "--help");

    private static final Set<String> NOT_IN_CONFIG = Set.of("--config", "--help");
    private static final Set<String> PATH_OPTIONS = Set.of("--journal", "--alert-journal", "--aeron-dir", "--reject-log",
        "--snapshot-dir");
    private static final long DEFAULT_STATS_INTERVAL_SECONDS = 10;
    private static final int MAX_WORKERS = 64;
    private static final long MAX_RUNTIME_SECONDS = 10L * 366 * 86_400;

    /**
     * @param args of {@code txmon run}, {@code --help} excluded.
     * @return the resolved configuration.
     * @throws CliArgs.UsageException naming what is wrong and what to do.
     */
    static RunOptions parse(final String[] args)
    {
        return from(CliArgs.parse("run", args, OPTIONS, FLAGS));
    }

    /**
     * @param cli parsed command line of {@code txmon run}.
     * @return the resolved configuration, with the {@code --config} file read if given.
     */
    static RunOptions from(final CliArgs cli)
    {
        RuleSettings rules = RuleSettings.defaults();
        if (cli.has("--config"))
        {
            final Path config = Path.of(cli.get("--config", null));
            final Map<String, String> keys = readConfig(config);
            final Map<String, String> ruleKeys = new HashMap<>();
            keys.entrySet().removeIf((entry) ->
            {
                if (entry.getKey().startsWith(RuleSettings.PREFIX))
                {
                    ruleKeys.put(entry.getKey(), entry.getValue());
                    return true;
                }
                return false;
            });
            cli.withFallback(keys, config.toString());
            try
            {
                rules = rules.with(ruleKeys);
            }
            catch (final ConfigException ex)
            {
                throw new CliArgs.UsageException("--config " + config + ": " + ex.problems().size() + " problem" +
                    (ex.problems().size() == 1 ? "" : "s") + " with the rule keys:\n  " +
                    String.join("\n  ", ex.problems()) + "\nthe rules, their keys and ranges are in rules/RULES.md");
            }
        }
        if (cli.has("--large-amount-threshold"))
        {
            final long threshold = cli.getLong("--large-amount-threshold", 0, 1, Long.MAX_VALUE);
            rules = rules.with(Map.of(RuleSettings.PREFIX + "large-amount.threshold", Long.toString(threshold)));
        }

        final String journalText = cli.get("--journal", null);
        if (null == journalText || journalText.isBlank())
        {
            throw new CliArgs.UsageException(
                "--journal is required: give the journal directory, on the command line or as journal= in --config");
        }
        final Path journal = Path.of(journalText);
        if (Files.exists(journal) && !Files.isDirectory(journal))
        {
            throw new CliArgs.UsageException(
                cli.label("--journal") + " " + journal + " exists and is not a directory; give a directory");
        }

        final boolean allowRemote = cli.has("--allow-remote");
        final String ingestChannel = channel(cli, "--ingest", TransportConfiguration.DEFAULT_INGEST_CHANNEL, allowRemote);
        final String alertChannel = channel(
            cli, "--alert-channel", TransportConfiguration.DEFAULT_ALERT_CHANNEL, allowRemote);
        final int ingestStream = (int)cli.getLong(
            "--ingest-stream", TransportConfiguration.DEFAULT_INGEST_STREAM_ID, Integer.MIN_VALUE, Integer.MAX_VALUE);
        final int alertStream = (int)cli.getLong(
            "--alert-stream", TransportConfiguration.DEFAULT_ALERT_STREAM_ID, Integer.MIN_VALUE, Integer.MAX_VALUE);
        final String ackChannel = channel(cli, "--ack-channel", TransportConfiguration.DEFAULT_ACK_CHANNEL, allowRemote);
        try
        {
            TransportConfiguration.ackSubscriptionChannel(ackChannel);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new CliArgs.UsageException(cli.label("--ack-channel") + ": " + ex.getMessage());
        }
        final int ackStream = (int)cli.getLong(
            "--ack-stream", TransportConfiguration.DEFAULT_ACK_STREAM_ID, Integer.MIN_VALUE, Integer.MAX_VALUE);
        if ((ackStream == ingestStream && ackChannel.equals(ingestChannel)) ||
            (ackStream == alertStream && ackChannel.equals(alertChannel)))
        {
            throw new CliArgs.UsageException("the ack stream " + ackChannel + " stream " + ackStream +
                " is also the ingest or alert stream; give --ack-stream or --ack-channel another value");
        }
        if (ingestStream == alertStream && ingestChannel.equals(alertChannel))
        {
            throw new CliArgs.UsageException("the alert stream " + alertChannel + " stream " + alertStream +
                " is the ingest stream; give --alert-stream or --alert-channel another value");
        }

        final Durability durability;
        try
        {
            durability = Durability.parse(cli.get("--durability", "os"));
        }
        catch (final IllegalArgumentException ex)
        {
            throw new CliArgs.UsageException(cli.label("--durability") + ": " + ex.getMessage());
        }

        final Profile profile = profile(cli);

        final long rejectLogMaxBytes = cli.getLong(
            "--reject-log-max-bytes", RejectLog.DEFAULT_MAX_BYTES, RejectLog.MIN_MAX_BYTES, Long.MAX_VALUE);
        final int rejectLogFiles = (int)cli.getLong("--reject-log-files", RejectLog.DEFAULT_FILES, 1, 1000);
        final String rejectLogText = cli.get("--reject-log", null);
        final Path rejectLog = null == rejectLogText || rejectLogText.isBlank() ? null : Path.of(rejectLogText);
        if (null != rejectLog && Files.isDirectory(rejectLog))
        {
            throw new CliArgs.UsageException(
                cli.label("--reject-log") + " " + rejectLog + " is a directory; give a file name");
        }
        if (null == rejectLog && (cli.has("--reject-log-max-bytes") || cli.has("--reject-log-files")))
        {
            throw new CliArgs.UsageException("--reject-log-max-bytes and --reject-log-files need --reject-log FILE");
        }

        final Path alertJournal = besideJournal(cli, "--alert-journal", journal, "-alerts");
        final Path snapshotDir = besideJournal(cli, "--snapshot-dir", journal, "-snapshots");
        if (null != snapshotDir && snapshotDir.equals(alertJournal))
        {
            throw new CliArgs.UsageException(cli.label("--snapshot-dir") + " must not be the alert journal " +
                alertJournal + "; give another directory");
        }

        final long minEventTime = eventTime(cli, "--min-event-time", DEFAULT_MIN_EVENT_TIME);
        final long maxEventTimeAheadNs;
        final String aheadText = cli.get("--max-event-time-ahead", DEFAULT_MAX_EVENT_TIME_AHEAD).trim();
        try
        {
            maxEventTimeAheadNs = "none".equalsIgnoreCase(aheadText) ? Long.MAX_VALUE : Parameter.parseDuration(aheadText);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new CliArgs.UsageException(cli.label("--max-event-time-ahead") + ": '" + aheadText +
                "' is not a duration such as 1d, 6h or 90m (or none): " + ex.getMessage());
        }
        if (maxEventTimeAheadNs <= 0)
        {
            throw new CliArgs.UsageException(cli.label("--max-event-time-ahead") + " must be positive, was " + aheadText);
        }

        return new RunOptions(
            journal,
            alertJournal,
            cli.get("--aeron-dir", AeronDirectories.defaultDirectory()),
            cli.has("--external-driver"),
            ingestChannel,
            ingestStream,
            alertChannel,
            alertStream,
            ackChannel,
            ackStream,
            durability,
            profile,
            (int)cli.getLong("--workers", 1, 1, MAX_WORKERS),
            rules,
            rejectLog,
            rejectLogMaxBytes,
            rejectLogFiles,
            cli.getLong("--stats-interval", DEFAULT_STATS_INTERVAL_SECONDS, 0, 86_400),
            cli.getLong("--max-runtime", 0, 0, MAX_RUNTIME_SECONDS),
            allowRemote,
            minEventTime,
            maxEventTimeAheadNs,
            snapshotDir,
            cli.getLong("--snapshot-interval", Engine.DEFAULT_SNAPSHOT_INTERVAL, 0, Long.MAX_VALUE),
            accountLimits(cli));
    }

    /**
     * {@code --profile}: shared by {@code txmon run} and {@code txmon demo}.
     *
     * @param cli the arguments.
     * @return the profile, compact by default.
     * @throws CliArgs.UsageException naming the profiles.
     */
    static Profile profile(final CliArgs cli)
    {
        final String profileText = cli.get("--profile", Profile.COMPACT.cliName()).trim();
        try
        {
            return Profile.parse(profileText);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new CliArgs.UsageException(cli.label("--profile") + " must be " + Profile.names() + ", not '" +
                profileText + "'");
        }
    }

    /**
     * {@code --max-accounts} and {@code --idle-horizon}: shared by {@code txmon run} and the replay tools, which
     * give the live alerts only with the live limits.
     *
     * @param cli the arguments.
     * @return the limits.
     * @throws CliArgs.UsageException naming the option and what to give.
     */
    static AccountStore.Limits accountLimits(final CliArgs cli)
    {
        try
        {
            return AccountStore.Limits.parse(cli.get("--max-accounts", null), cli.get("--idle-horizon", null));
        }
        catch (final AccountStore.Limits.InvalidLimit ex)
        {
            throw new CliArgs.UsageException(cli.label(ex.option()) + ": " + ex.getMessage());
        }
    }

    /**
     * A directory that defaults to the journal's name with a suffix, beside it; {@code none} for none.
     */
    private static Path besideJournal(final CliArgs cli, final String option, final Path journal, final String suffix)
    {
        final String text = cli.get(option, null);
        if (null == text)
        {
            return journal.resolveSibling(journal.getFileName() + suffix);
        }
        if ("none".equalsIgnoreCase(text.trim()))
        {
            return null;
        }
        final Path dir = Path.of(text.trim());
        if (dir.toAbsolutePath().normalize().equals(journal.toAbsolutePath().normalize()))
        {
            throw new CliArgs.UsageException(cli.label(option) + " must not be the event journal " + journal +
                "; give another directory");
        }
        return dir;
    }

    private static long eventTime(final CliArgs cli, final String option, final String defaultValue)
    {
        final String text = cli.get(option, defaultValue).trim();
        try
        {
            final long time = text.matches("-?[0-9]+") ? Long.parseLong(text) : epochNanos(Instant.parse(text));
            if (!FieldRules.isValidEventTime(time))
            {
                throw new CliArgs.UsageException(cli.label(option) + " " + text + " is outside 1970-01-01 to " +
                    "2200-01-01, the event times any engine takes");
            }
            return time;
        }
        catch (final NumberFormatException | DateTimeParseException | ArithmeticException ex)
        {
            throw new CliArgs.UsageException(cli.label(option) + ": '" + text + "' is neither an ISO-8601 instant " +
                "such as 2000-01-01T00:00:00Z nor whole epoch nanoseconds");
        }
    }

    private static long epochNanos(final Instant instant)
    {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano());
    }

    /**
     * Read a config file into option values: keys are the long option names without dashes; relative paths
     * are resolved against the file's directory; flags take true or false.
     *
     * @param config file.
     * @return values by option name ({@code --name}).
     */
    static Map<String, String> readConfig(final Path config)
    {
        final Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(config, StandardCharsets.UTF_8))
        {
            properties.load(reader);
        }
        catch (final IOException | IllegalArgumentException ex)
        {
            throw new CliArgs.UsageException("--config " + config + ": cannot read it (" + ex.getMessage() +
                "); give a readable .properties file");
        }

        final List<String> keys = new ArrayList<>(properties.stringPropertyNames());
        Collections.sort(keys);
        final Set<String> unknown = new LinkedHashSet<>();
        for (final String key : keys)
        {
            final String option = "--" + key;
            if (key.startsWith(RuleSettings.PREFIX))
            {
                continue;
            }
            if (NOT_IN_CONFIG.contains(option) || !(OPTIONS.contains(option) || FLAGS.contains(option)))
            {
                unknown.add("'" + key + "'");
            }
        }
        if (!unknown.isEmpty())
        {
            throw new CliArgs.UsageException("--config " + config + ": unknown key" + (unknown.size() > 1 ? "s " : " ") +
                String.join(", ", unknown) + "; keys are the long option names without dashes, such as journal, " +
                "durability (see 'txmon run --help'), and rule keys rules.<rule>.<parameter> (see rules/RULES.md)");
        }

        final Map<String, String> values = new HashMap<>();
        final Path base = config.toAbsolutePath().getParent();
        for (final String key : keys)
        {
            final String option = "--" + key;
            final String value = properties.getProperty(key).trim();
            if (key.startsWith(RuleSettings.PREFIX))
            {
                values.put(key, value);
                continue;
            }
            if (FLAGS.contains(option))
            {
                if ("true".equalsIgnoreCase(value))
                {
                    values.put(option, "true");
                }
                else if (!"false".equalsIgnoreCase(value))
                {
                    throw new CliArgs.UsageException(key + " in " + config + " must be true or false, not '" + value +
                        "'");
                }
            }
            else if (PATH_OPTIONS.contains(option) && !value.isEmpty() && null != base)
            {
                values.put(option, base.resolve(value).normalize().toString());
            }
            else
            {
                values.put(option, value);
            }
        }
        return values;
    }

    private static String channel(
        final CliArgs cli, final String option, final String defaultChannel, final boolean allowRemote)
    {
        final String channel = cli.get(option, defaultChannel).trim();
        final String why;
        try
        {
            why = LoopbackChannels.whyNotLoopback(channel);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new CliArgs.UsageException(cli.label(option) + ": '" + channel + "' is not an Aeron channel (" +
                ex.getMessage() + "); give one such as aeron:ipc or aeron:udp?endpoint=127.0.0.1:40123");
        }
        if (null != why && !allowRemote)
        {
            throw new CliArgs.UsageException(cli.label(option) + " " + channel + ": " + why +
                "; the engine's streams stay on this host unless you add --allow-remote");
        }
        return channel;
    }
}
