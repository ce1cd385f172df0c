package io.txmon.perf.bench;

import io.txmon.cli.CliArgs;
import io.txmon.journal.Durability;
import io.txmon.monitor.AeronDirectories;
import io.txmon.perf.BenchmarkSupport;
import io.txmon.perf.report.CurvePoint;
import io.txmon.perf.report.HtmlReport;
import io.txmon.perf.report.LatencyReport;
import io.txmon.rules.config.Parameter;
import io.txmon.scenario.Planted;
import io.txmon.scenario.ScenarioGenerator;
import io.txmon.rules.typology.Typologies;
import io.txmon.rules.state.AccountStore;
import io.txmon.sequencer.Engine;
import io.txmon.transport.Profile;
import io.txmon.transport.TransportConfiguration;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;
import org.agrona.CloseHelper;
import org.agrona.IoUtil;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * {@code txmon bench}: the whole path measured the way trading firms measure it. P producers offer a seeded
 * scenario stream (payments, account updates, orders and executions, planted cases of every typology) at a fixed
 * rate over IPC or UDP loopback to an embedded engine; each event's latency is taken from when it was due to
 * journaled and to the rule decision, into HdrHistograms. The same messages at the same rate and pacing go first
 * through raw Aeron (publication to subscription), so every figure has its baseline from the same run. Writes
 * {@code .hgrm} percentile distributions, an {@code .hlog} interval log, an HTML report and a JSON summary, and
 * fails when a planted case was not alerted: a benchmark that stops detecting is not faster.
 * <p>
 * {@code --find-max} steps the offered rate up until p99 or the backlog breaks its bound, and reports the highest
 * sustained rate and the throughput/latency curve.
 */
public final class BenchCommand
{
    /** Success. */
    public static final int EXIT_OK = 0;
    /** A step failed or a planted case was missed. */
    public static final int EXIT_FAILED = 1;

    private static final Set<String> OPTIONS = Set.of(
        "--rate", "--duration", "--events", "--warmup", "--producers", "--transport", "--accounts", "--rules",
        "--workers", "--event-size", "--pacing", "--seed", "--out", "--dir", "--durability", "--profile",
        "--max-p99", "--max-backlog", "--step", "--max-rate", "--aeron-dir", "--ingest", "--ingest-stream",
        "--alert-channel", "--alert-stream", "--ack-channel", "--ack-stream", "--first-producer-id",
        "--max-accounts");
    private static final Set<String> FLAGS =
        Set.of("--find-max", "--no-baseline", "--quiet", "--help", "--connect", "--print-config");
    /** Options that set up the embedded engine: with --connect, the running engine's own options decide. */
    private static final List<String> EMBEDDED_ONLY =
        List.of("--rules", "--workers", "--durability", "--profile", "--dir", "--transport", "--max-accounts");
    /** Options that say where the running engine is: only with --connect. */
    private static final List<String> CONNECT_ONLY = List.of("--aeron-dir", "--ingest", "--ingest-stream",
        "--alert-channel", "--alert-stream", "--ack-channel", "--ack-stream", "--first-producer-id");
    private static final int MAX_EVENT_SIZE = 1024;
    private static final long DAY_NANOS = TimeUnit.DAYS.toNanos(1);
    private static final long CLOSED_LOOP_EVENTS = 2_000_000;

    private BenchCommand()
    {
    }

    /**
     * @param out where the help goes.
     */
    public static void printHelp(final PrintStream out)
    {
        out.println("usage: txmon bench [options]");
        out.println();
        out.println("Open-loop load at a fixed offered rate against an embedded engine (or, with --connect, one");
        out.println("already running: txmon run), latency from each event's");
        out.println("intended send time (coordinated omission is not hidden) to journaled and to the rule decision,");
        out.println("next to raw Aeron carrying the same messages at the same rate. Prints percentiles and ratios,");
        out.println("writes bench.hlog (interval log), <series>.hgrm, report.html and summary.json, and checks");
        out.println("that every planted suspicious case was alerted.");
        out.println();
        out.println("  --rate N          events/s offered, all producers together; 250k and 1.5m work (default 100k);");
        out.println("                    max for a closed loop: as fast as taken, throughput only, --events after");
        out.println("                    a warm-up of a quarter as many (default 2000000)");
        out.println("  --duration D      measured time, e.g. 10s, 2m (default 10s)");
        out.println("  --events N        measured events instead of a duration");
        out.println("  --warmup D        time before measuring, at the same rate (default 5s)");
        out.println("  --producers P     producer threads, 1 to 8 (default 1)");
        out.println("  --transport T     ipc or udp (loopback 127.0.0.1) (default ipc)");
        out.println("  --accounts N      background account population, 1000 to 50000000 (default 50000)");
        out.println("  --rules R         all, none, or the first N rules by id (default all: " +
            Typologies.catalog().size() + " typologies)");
        out.println("  --workers K       rule workers (default 1)");
        out.println("  --max-accounts N  accounts the engine's rules keep state for (default 250000, as 'txmon run');");
        out.println("                    with --accounts above it, the engine forgets the least recently seen");
        out.println("  --event-size B    pad payments to at least B bytes, up to 1024 (default: as generated)");
        out.println("  --pacing P        park (default; leaves the cores to the engine, wakes up to ~50 us late),");
        out.println("                    spin (on time, a core per producer) or yield (on time within a scheduling");
        out.println("                    round, gives the core to others meanwhile: as the yielding profile waits)");
        out.println("  --profile P       the engine's threads and idle strategies, the raw baseline's the same:");
        out.println("                    compact (default: few threads, back-off idle, park), yielding (compact's");
        out.println("                    threads, yielding: low latency on 2 to 4 cores) or low-latency (a");
        out.println("                    busy-spinning thread per agent, a core each)");
        out.println("  --durability M    journal durability: os (default), interval or sync");
        out.println("  --seed N          seed of the scenario streams (default 42)");
        out.println("  --dir DIR         keep the journal in DIR, which must be empty or new (default: temporary)");
        out.println("  --out DIR         where the reports go (default ./txmon-bench-<date>-<time>)");
        out.println("  --no-baseline     skip the raw Aeron run");
        out.println("  --quiet           no progress lines on a terminal");
        out.println();
        out.println("  --find-max        step the rate up from --rate until a bound breaks; each step runs");
        out.println("                    --warmup then --duration; no baseline runs");
        out.println("  --step F          factor between steps (default 1.25)");
        out.println("  --max-rate N      stop stepping there (default 5m)");
        out.println("  --max-p99 D       bound on decision p99 (default 1ms)");
        out.println("  --max-backlog D   bound on the backlog, as time at the offered rate (default 100ms)");
        out.println();
        out.println("  --connect         drive the engine already running on this host (txmon run) instead of one");
        out.println("                    embedded here; journaled = its acknowledgement read here, decision = its");
        out.println("                    decided-position counter past the acknowledged offset. The planted cases");
        out.println("                    need the engine started with the settings --print-config prints and every");
        out.println("                    rule on; --rules, --workers, --durability, --profile, --dir and --transport");
        out.println("                    are the engine's own options then");
        out.println("  --aeron-dir DIR   the engine's media driver directory (default " +
            AeronDirectories.defaultDirectory() + ")");
        out.println("  --ingest CHANNEL  the engine's ingest channel (default " +
            TransportConfiguration.DEFAULT_INGEST_CHANNEL + "), --ingest-stream N (default " +
            TransportConfiguration.DEFAULT_INGEST_STREAM_ID + ")");
        out.println("  --alert-channel CHANNEL, --alert-stream N, --ack-channel CHANNEL, --ack-stream N");
        out.println("                    the engine's alert and acknowledgement streams (defaults as txmon run's)");
        out.println("  --first-producer-id N  producer ids used, N and up (default: from the clock, so the engine");
        out.println("                    never drops a run's events as duplicates of an earlier run's, and each");
        out.println("                    run plants its cases on accounts of its own)");
        out.println("  --print-config    print the rule settings the planted cases assume, as a txmon run --config");
        out.println("                    file, and exit");
        out.println();
        out.println("GC: stop-the-world pauses in the measured period are counted and reported (a concurrent");
        out.println("collector's cycles are not pauses); run with");
        out.println("TXMON_JAVA_OPTS=-Xlog:gc to see them. Exit status 0 when every step completed and every");
        out.println("planted case alerted (with --find-max: when at least one rate was sustained), 1 otherwise.");
    }

    /**
     * The options of a run, checked.
     */
    record Options(
        double rate,
        long durationNanos,
        long measuredEvents,
        long warmupNanos,
        int producers,
        boolean udp,
        int accounts,
        int rules,
        int workers,
        int eventSize,
        OpenLoopProducer.Pacing pacing,
        Profile profile,
        Durability durability,
        long seed,
        Path dir,
        Path out,
        boolean baseline,
        boolean quiet,
        boolean findMax,
        double step,
        double maxRate,
        long maxP99Nanos,
        long maxBacklogNanos,
        ConnectedTarget.Endpoint connect,
        long firstProducerId,
        AccountStore.Limits accountLimits)
    {
        static Options parse(final CliArgs cli)
        {
            final ConnectedTarget.Endpoint connect = endpoint(cli);
            final boolean closedLoop = "max".equals(cli.get("--rate", ""));
            final double rate = closedLoop ? Double.POSITIVE_INFINITY : parseRate(cli, "--rate", 100_000);
            final long duration = duration(cli, "--duration", "10s");
            final long events = cli.getLong("--events", closedLoop ? CLOSED_LOOP_EVENTS : 0, 0, 2_000_000_000L);
            if (closedLoop && (cli.has("--find-max") || cli.has("--duration") || cli.has("--warmup")))
            {
                throw new CliArgs.UsageException("--rate max runs a fixed number of events (--events) after a " +
                    "warm-up of a quarter of them; it takes no --duration, --warmup or --find-max");
            }
            final long warmup = duration(cli, "--warmup", "5s");
            final int producers = (int)cli.getLong("--producers", 1, 1, 8);
            final String transport = null != connect ?
                (connect.ingestChannel().startsWith("aeron:udp") ? "udp" : "ipc") : cli.get("--transport", "ipc");
            if (!transport.equals("ipc") && !transport.equals("udp"))
            {
                throw new CliArgs.UsageException("--transport must be ipc or udp, was '" + transport + "'");
            }
            final int accounts = (int)cli.getLong("--accounts", ScenarioGenerator.Options.DEFAULT_ACCOUNTS,
                ScenarioGenerator.Options.MIN_ACCOUNTS, ScenarioGenerator.Options.MAX_ACCOUNTS);
            final String rulesText = cli.get("--rules", "all");
            final int ruleCount = Typologies.catalog().size();
            final int rules;
            if (rulesText.equals("all"))
            {
                rules = ruleCount;
            }
            else if (rulesText.equals("none"))
            {
                rules = 0;
            }
            else
            {
                rules = (int)cli.getLong("--rules", ruleCount, 0, ruleCount);
            }
            final int workers = (int)cli.getLong("--workers", 1, 1, 16);
            final int eventSize = (int)cli.getLong("--event-size", 0, 0, MAX_EVENT_SIZE);
            final OpenLoopProducer.Pacing pacing;
            switch (cli.get("--pacing", "park"))
            {
                case "park" -> pacing = OpenLoopProducer.Pacing.PARK;
                case "spin" -> pacing = OpenLoopProducer.Pacing.SPIN;
                case "yield" -> pacing = OpenLoopProducer.Pacing.YIELD;
                default -> throw new CliArgs.UsageException(
                    "--pacing must be park, spin or yield, was '" + cli.get("--pacing", "") + "'");
            }
            final String profileText = cli.get("--profile", Profile.COMPACT.cliName());
            final Profile profile;
            try
            {
                profile = Profile.parse(profileText);
            }
            catch (final IllegalArgumentException ex)
            {
                throw new CliArgs.UsageException(
                    "--profile must be " + Profile.names() + ", was '" + profileText + "'");
            }
            final Durability durability;
            try
            {
                durability = Durability.parse(cli.get("--durability", "os"));
            }
            catch (final IllegalArgumentException ex)
            {
                throw new CliArgs.UsageException("--durability: " + ex.getMessage());
            }
            final boolean findMax = cli.has("--find-max");
            final double step = decimal(cli, "--step", 1.25);
            if (step <= 1.01 || step > 10)
            {
                throw new CliArgs.UsageException("--step must be above 1.01 and at most 10, was " + step);
            }
            final double maxRate = parseRate(cli, "--max-rate", 5_000_000);
            if (findMax && maxRate < rate)
            {
                throw new CliArgs.UsageException("--max-rate " + (long)maxRate + " is below --rate " + (long)rate);
            }
            final Path out = Path.of(cli.get("--out",
                "txmon-bench-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))));
            if (Files.exists(out) && !Files.isDirectory(out))
            {
                throw new CliArgs.UsageException("--out " + out + " exists and is not a directory");
            }
            final Path dir = cli.has("--dir") ? Path.of(cli.get("--dir", null)) : null;
            if (null != dir && Files.exists(dir) && !Files.isDirectory(dir))
            {
                throw new CliArgs.UsageException("--dir " + dir + " exists and is not a directory");
            }
            final double measuredSeconds = events > 0 ? events / rate : duration / 1e9;
            final double perProducer = closedLoop ? events / (double)producers :
                rate / producers * (measuredSeconds + warmup / 1e9);
            if (perProducer > Integer.MAX_VALUE - 1)
            {
                throw new CliArgs.UsageException("a producer would send more than " + Integer.MAX_VALUE +
                    " events; lower --rate or --duration, or add --producers");
            }
            if (closedLoop ? events < producers : rate / producers * measuredSeconds < 1)
            {
                throw new CliArgs.UsageException("less than one measured event per producer; raise --rate or --duration");
            }
            return new Options(rate, duration, events, warmup, producers, transport.equals("udp"), accounts, rules,
                workers, eventSize, pacing, profile, durability,
                cli.getLong("--seed", 42, Long.MIN_VALUE, Long.MAX_VALUE), dir, out, !cli.has("--no-baseline") &&
                !findMax, cli.has("--quiet"), findMax, step, maxRate, duration(cli, "--max-p99", "1ms"),
                duration(cli, "--max-backlog", "100ms"), connect, null == connect ? 1 :
                cli.getLong("--first-producer-id", defaultFirstProducerId(), 1, Long.MAX_VALUE / 2),
                accountLimits(cli));
        }

        private static AccountStore.Limits accountLimits(final CliArgs cli)
        {
            try
            {
                return AccountStore.Limits.parse(cli.get("--max-accounts", null), null);
            }
            catch (final AccountStore.Limits.InvalidLimit ex)
            {
                throw new CliArgs.UsageException(ex.option() + ": " + ex.getMessage());
            }
        }

        private static ConnectedTarget.Endpoint endpoint(final CliArgs cli)
        {
            if (!cli.has("--connect"))
            {
                for (final String option : CONNECT_ONLY)
                {
                    if (cli.has(option))
                    {
                        throw new CliArgs.UsageException(option + " says where a running engine is: it goes with " +
                            "--connect");
                    }
                }
                return null;
            }
            for (final String option : EMBEDDED_ONLY)
            {
                if (cli.has(option))
                {
                    throw new CliArgs.UsageException(option + " sets up the embedded engine; with --connect the " +
                        "running engine's own options decide (txmon run " + (option.equals("--transport") ?
                        "--ingest; give the same channel here with --ingest" : option) + ")");
                }
            }
            final String ackChannel = cli.get("--ack-channel", TransportConfiguration.DEFAULT_ACK_CHANNEL).trim();
            try
            {
                TransportConfiguration.ackSubscriptionChannel(ackChannel);
            }
            catch (final IllegalArgumentException ex)
            {
                throw new CliArgs.UsageException("--ack-channel: " + ex.getMessage());
            }
            return new ConnectedTarget.Endpoint(
                cli.get("--aeron-dir", AeronDirectories.defaultDirectory()),
                cli.get("--ingest", TransportConfiguration.DEFAULT_INGEST_CHANNEL).trim(),
                (int)cli.getLong("--ingest-stream", TransportConfiguration.DEFAULT_INGEST_STREAM_ID,
                    Integer.MIN_VALUE, Integer.MAX_VALUE),
                cli.get("--alert-channel", TransportConfiguration.DEFAULT_ALERT_CHANNEL).trim(),
                (int)cli.getLong("--alert-stream", TransportConfiguration.DEFAULT_ALERT_STREAM_ID,
                    Integer.MIN_VALUE, Integer.MAX_VALUE),
                ackChannel,
                (int)cli.getLong("--ack-stream", TransportConfiguration.DEFAULT_ACK_STREAM_ID,
                    Integer.MIN_VALUE, Integer.MAX_VALUE));
        }

        /**
         * Producer ids a running engine has not seen, and whose planted cases use accounts no recent run used: one
         * round of {@link ScenarioGenerator#PRODUCER_SLOTS} ids per second of the clock (rounds plant on disjoint
         * accounts, and repeat after hours).
         */
        private static long defaultFirstProducerId()
        {
            return 1 + System.currentTimeMillis() / 1000 * ScenarioGenerator.PRODUCER_SLOTS;
        }

        /**
         * @return true when the bench drives an engine already running.
         */
        boolean connected()
        {
            return null != connect;
        }

        /**
         * @return true for {@code --rate max}: producers send as fast as they are taken; throughput only.
         */
        boolean closedLoop()
        {
            return Double.isInfinite(rate);
        }

        /**
         * @param offered rate of a step.
         * @return events each producer sends in the step, warm-up included.
         */
        int eventsPerProducer(final double offered)
        {
            if (closedLoop())
            {
                return (int)(measuredEvents / producers);
            }
            final double measuredSeconds = measuredEvents > 0 ? measuredEvents / rate : durationNanos / 1e9;
            return (int)Math.ceil(offered / producers * (measuredSeconds + warmupNanos / 1e9));
        }

        /**
         * @param offered rate of a step.
         * @return events of each producer before measuring starts.
         */
        long warmupEventsPerProducer(final double offered)
        {
            return (long)(offered / producers * (warmupNanos / 1e9));
        }
    }

    /**
     * @param args after {@code bench}.
     * @param out  for the results.
     * @param err  for progress.
     * @return exit status.
     * @throws Exception a failure to set up, reported as one line.
     */
    public static int run(final String[] args, final PrintStream out, final PrintStream err) throws Exception
    {
        final CliArgs cli = CliArgs.parse("bench", args, OPTIONS, FLAGS);
        if (cli.has("--help"))
        {
            printHelp(out);
            return EXIT_OK;
        }
        if (cli.has("--print-config"))
        {
            printConfig(out);
            return EXIT_OK;
        }
        final Options options = Options.parse(cli);
        if (options.connected())
        {
            // before the baseline's seconds, not after
            ConnectedTarget.checkDriver(options.connect());
        }
        final PrintStream progress = options.quiet() || null == System.console() ? null : err;
        Files.createDirectories(options.out());

        final Path scratch = Files.createTempDirectory("txmon-bench-");
        final String aeronBase = aeronBase();
        final Path journalDir = null != options.dir() ? options.dir() : scratch.resolve("journal");
        final String command = "txmon bench " + String.join(" ", args);
        final Map<String, String> meta = meta(command, options);

        try (PrintStream logStream = new PrintStream(options.out().resolve("bench.hlog").toFile(),
            StandardCharsets.US_ASCII))
        {
            final HistogramLogWriter log = new HistogramLogWriter(logStream);
            final long startMs = System.currentTimeMillis();
            log.outputComment("txmon bench interval log: " + command);
            log.outputLogFormatVersion();
            log.outputStartTime(startMs);
            log.setBaseTime(startMs);
            log.outputBaseTime(startMs);
            log.outputLegend();

            if (null != options.dir() && Files.isDirectory(journalDir))
            {
                try (var files = Files.list(journalDir))
                {
                    if (files.findAny().isPresent())
                    {
                        throw new CliArgs.UsageException("--dir " + journalDir + " is not empty; the bench's " +
                            "producers would all be dropped as duplicates. Give an empty or new directory.");
                    }
                }
            }

            return options.findMax() ?
                findMax(options, meta, journalDir, scratch, aeronBase, log, out, progress) :
                single(options, meta, journalDir, scratch, aeronBase, log, out, progress);
        }
        finally
        {
            IoUtil.delete(scratch.toFile(), true);
            deleteAeronBase(aeronBase);
        }
    }

    private static int single(
        final Options options,
        final Map<String, String> meta,
        final Path journalDir,
        final Path scratch,
        final String aeronBase,
        final HistogramLogWriter log,
        final PrintStream out,
        final PrintStream progress) throws IOException
    {
        LoadStep.Result raw = null;
        if (options.baseline())
        {
            note(progress, "raw Aeron baseline at %,.0f events/s", options.rate());
            try (RawIpcTarget target = new RawIpcTarget(aeronBase + File.separator + "raw", channel(options),
                options.profile(), options.udp() ? "raw-udp" : "raw-ipc"))
            {
                long firstProducerId = 1;
                if (options.closedLoop())
                {
                    step(options, target, options.rate(), firstProducerId, 0, null, progress, 4);
                    firstProducerId += options.producers();
                }
                raw = step(options, target, options.rate(), firstProducerId, 0, log, progress, 1);
            }
        }

        note(progress, "txmon at %,.0f events/s", options.rate());
        final LoadStep.Result txmon;
        final long alerts;
        try (EngineUnderTest target = engineTarget(options, journalDir, scratch, aeronBase))
        {
            long firstProducerId = options.firstProducerId();
            long eventTime = startEventTime(target);
            if (options.closedLoop())
            {
                step(options, target, options.rate(), firstProducerId, eventTime, null, progress, 4);
                firstProducerId += options.producers();
                eventTime = startEventTime(eventTime + spanOf(options, options.rate()));
            }
            txmon = step(options, target, options.rate(), firstProducerId, eventTime, log, progress, 1);
            alerts = target.alertsRead();
        }

        final Map<String, Histogram> series = new LinkedHashMap<>();
        if (null != raw)
        {
            series.putAll(raw.latency());
        }
        series.putAll(txmon.latency());
        for (final Map.Entry<String, Histogram> e : series.entrySet())
        {
            LatencyReport.writeHgrm(e.getValue(), options.out().resolve(e.getKey() + ".hgrm"));
        }

        final List<String> lines = summary(options, raw, txmon, alerts);
        for (final String line : lines)
        {
            out.println(line);
        }
        out.println();
        if (options.closedLoop())
        {
            out.println("closed loop: latency is queueing at full speed and is not recorded; throughput is the figure");
        }
        else
        {
            out.print(LatencyReport.percentileTable(series));
        }
        final List<String> ratios = ratios(raw, txmon);
        for (final String line : ratios)
        {
            out.println(line);
        }

        final HtmlReport html = new HtmlReport("txmon bench, " + (options.closedLoop() ?
            "closed loop, as fast as taken" : (long)options.rate() + " events/s offered"));
        meta.forEach(html::meta);
        if (!options.closedLoop())
        {
            series.forEach(html::histogram);
        }
        lines.forEach(html::note);
        ratios.forEach(html::note);
        html.write(options.out().resolve("report.html"));
        Files.writeString(options.out().resolve("summary.json"), json(meta, List.of(txmon), raw, series));
        out.println();
        out.println("files: " + String.join(", ", files(options.out())));

        return null == txmon.failure() && txmon.missed().isEmpty() && (null == raw || null == raw.failure()) ?
            EXIT_OK : EXIT_FAILED;
    }

    private static int findMax(
        final Options options,
        final Map<String, String> meta,
        final Path journalDir,
        final Path scratch,
        final String aeronBase,
        final HistogramLogWriter log,
        final PrintStream out,
        final PrintStream progress) throws IOException
    {
        final List<LoadStep.Result> steps = new ArrayList<>();
        LoadStep.Result best = null;
        long eventTime;
        try (EngineUnderTest target = engineTarget(options, journalDir, scratch, aeronBase))
        {
            eventTime = startEventTime(target);
            double rate = options.rate();
            long firstProducerId = options.firstProducerId();
            while (rate <= options.maxRate())
            {
                note(progress, "step %d: %,.0f events/s", steps.size() + 1, rate);
                final LoadStep.Result result =
                    step(options, target, rate, firstProducerId, eventTime, log, progress, 1);
                steps.add(result);
                final boolean sustained = sustained(options, result);
                out.printf("%,12.0f offered  %,12.0f achieved  p50 %s  p99 %s  max %s  backlog %.1f ms  %s%n",
                    result.offeredPerSec(), result.achievedPerSec(), us(result, 50), us(result, 99),
                    us(result, 100), result.maxBacklogMillis(), sustained ? "sustained" : why(options, result));
                if (!sustained)
                {
                    break;
                }
                best = result;
                firstProducerId += options.producers();
                eventTime = startEventTime(eventTime + spanOf(options, rate));
                rate *= options.step();
            }
        }

        final List<CurvePoint> curve = new ArrayList<>();
        final StringBuilder csv = new StringBuilder(
            "offered_per_s,achieved_per_s,p50_ns,p99_ns,p99_9_ns,max_ns,max_backlog_ms,gc_count,sustained\n");
        for (final LoadStep.Result r : steps)
        {
            final Histogram h = r.latency().get("decision");
            final boolean sustained = sustained(options, r);
            curve.add(new CurvePoint(r.offeredPerSec(), r.achievedPerSec(), h.getValueAtPercentile(50),
                h.getValueAtPercentile(99), h.getValueAtPercentile(99.9), h.getMaxValue(), sustained));
            csv.append(String.format(Locale.ROOT, "%.0f,%.0f,%d,%d,%d,%d,%.3f,%d,%s%n", r.offeredPerSec(),
                r.achievedPerSec(), h.getValueAtPercentile(50), h.getValueAtPercentile(99),
                h.getValueAtPercentile(99.9), h.getMaxValue(), r.maxBacklogMillis(), r.gcCount(), sustained));
        }
        Files.writeString(options.out().resolve("find-max.csv"), csv.toString());

        out.println();
        final String verdict = null == best ?
            "no rate was sustained: the first step, " + (long)options.rate() + " events/s, broke a bound" :
            String.format("highest sustained rate: %,.0f events/s offered (%,.0f achieved), decision p99 %s within " +
                "%s, backlog within %s", best.offeredPerSec(), best.achievedPerSec(), us(best, 99),
                Parameter.formatDuration(options.maxP99Nanos()), Parameter.formatDuration(options.maxBacklogNanos()));
        out.println(verdict);

        final HtmlReport html = new HtmlReport("txmon bench --find-max");
        meta.forEach(html::meta);
        html.note(verdict);
        html.curve("offered rate against decision latency", curve);
        if (null != best)
        {
            for (final Map.Entry<String, Histogram> e : best.latency().entrySet())
            {
                html.histogram(e.getKey() + " at " + (long)best.offeredPerSec() + "/s", e.getValue());
                LatencyReport.writeHgrm(e.getValue(), options.out().resolve(e.getKey() + ".hgrm"));
            }
        }
        html.write(options.out().resolve("report.html"));
        Files.writeString(options.out().resolve("summary.json"), json(meta, steps, null,
            null == best ? Map.of() : best.latency()));
        out.println("files: " + String.join(", ", files(options.out())));
        return null == best ? EXIT_FAILED : EXIT_OK;
    }

    private static LoadStep.Result step(
        final Options options,
        final Target target,
        final double rate,
        final long firstProducerId,
        final long startEventTime,
        final HistogramLogWriter log,
        final PrintStream progress,
        final int divisor)
    {
        final int perProducer = options.eventsPerProducer(rate) / divisor;
        final Schedule schedule = new Schedule(firstProducerId, options.producers(), rate / options.producers(),
            options.warmupEventsPerProducer(rate));
        return LoadStep.run(target, schedule, (index) ->
        {
            final long producerId = firstProducerId + index;
            final ScenarioGenerator generator = new ScenarioGenerator(options.seed() + producerId,
                ScenarioGenerator.Options.defaults().withAccounts(options.accounts()).withProducerId(producerId)
                    .withStartEventTime(startEventTime));
            return new OpenLoopProducer(index, generator, perProducer, schedule, target.sink(producerId), target.describer(),
                options.pacing(), options.eventSize());
        }, log, progress);
    }

    /**
     * Print, as a {@code txmon run --config} file, the rule settings the planted cases of the scenario streams
     * assume where they differ from the defaults: the watch list.
     */
    static void printConfig(final PrintStream out)
    {
        final ScenarioGenerator generator = new ScenarioGenerator(0);
        out.println("# txmon bench --connect: the rule settings its planted cases assume, beside the defaults.");
        out.println("# Start the engine with them (txmon run --config), then run the bench against it:");
        out.println("#   txmon bench --print-config > bench.properties");
        out.println("#   txmon run --journal /tmp/bench-journal --config bench.properties");
        out.println("#   txmon bench --connect");
        out.println("rules.watch-list.watched-accounts = " + joined(generator.watchedAccounts()));
        out.println("rules.watch-list.watched-parties = " + joined(generator.watchedParties()));
        out.println("# the scenario's event times are synthetic and may run ahead of the engine's clock");
        out.println("max-event-time-ahead = none");
    }

    private static String joined(final long[] values)
    {
        final StringBuilder sb = new StringBuilder();
        for (final long value : values)
        {
            sb.append(sb.length() == 0 ? "" : ", ").append(value);
        }
        return sb.toString();
    }

    private static EngineUnderTest engineTarget(
        final Options options, final Path journalDir, final Path scratch, final String aeronBase)
    {
        if (options.connected())
        {
            return new ConnectedTarget(options.connect());
        }
        final String ingest = options.udp() ? channel(options) : TransportConfiguration.DEFAULT_INGEST_CHANNEL;
        final ScenarioGenerator rulesSource = new ScenarioGenerator(options.seed());
        return new EngineTarget(options.rules(), (observer) -> Engine.launch(new Engine.Context()
            .aeronDirectoryName(aeronBase + File.separator + "engine")
            .profile(options.profile())
            .journalDir(journalDir)
            .alertJournalDir(scratch.resolve("alerts"))
            .durability(options.durability())
            .ingestChannel(ingest)
            .workerCount(options.workers())
            .accountLimits(options.accountLimits())
            // the scenario's timeline is synthetic: long or repeated runs carry event times past the clock, which a
            // live engine bounds (--max-event-time-ahead) against producers' clocks, not against a generator
            .maxEventTimeAheadNs(Long.MAX_VALUE)
            .rulesFactory((worker) -> Arrays.copyOf(rulesSource.newRules(), options.rules()))
            .decisionObserver(observer)));
    }

    private static boolean sustained(final Options options, final LoadStep.Result result)
    {
        return null == result.failure() && result.missed().isEmpty() &&
            result.latency().get("decision").getValueAtPercentile(99) <= options.maxP99Nanos() &&
            result.maxBacklogMillis() * 1e6 <= options.maxBacklogNanos();
    }

    private static String why(final Options options, final LoadStep.Result result)
    {
        if (null != result.failure())
        {
            return "failed: " + result.failure();
        }
        if (!result.missed().isEmpty())
        {
            return result.missed().size() + " planted cases not alerted";
        }
        final List<String> broken = new ArrayList<>();
        if (result.latency().get("decision").getValueAtPercentile(99) > options.maxP99Nanos())
        {
            broken.add("p99 above " + Parameter.formatDuration(options.maxP99Nanos()));
        }
        if (result.maxBacklogMillis() * 1e6 > options.maxBacklogNanos())
        {
            broken.add("backlog above " + Parameter.formatDuration(options.maxBacklogNanos()));
        }
        return "not sustained: " + String.join(", ", broken);
    }

    private static List<String> summary(
        final Options options, final LoadStep.Result raw, final LoadStep.Result txmon, final long alerts)
    {
        final List<String> lines = new ArrayList<>();
        if (options.connected())
        {
            lines.add(String.format("txmon bench: the engine running on %s, ingest %s, %d producer%s (%s pacing), " +
                "%,d accounts; journaled = acknowledgement read here, decision = decided position past its offset",
                options.connect().aeronDir(), options.connect().ingestChannel(), options.producers(),
                options.producers() == 1 ? "" : "s", options.pacing().name().toLowerCase(Locale.ROOT),
                options.accounts()));
        }
        else
        {
            lines.add(String.format("txmon bench: %s, %d producer%s (%s pacing), %d of %d rules, %d worker%s, %s " +
                "profile, %,d accounts", options.udp() ? "UDP loopback" : "IPC", options.producers(),
                options.producers() == 1 ? "" : "s", options.pacing().name().toLowerCase(Locale.ROOT), options.rules(),
                Typologies.catalog().size(), options.workers(), options.workers() == 1 ? "" : "s",
                options.profile().cliName(), options.accounts()));
        }
        for (final LoadStep.Result r : raw == null ? List.of(txmon) : List.of(raw, txmon))
        {
            lines.add(String.format("%-16s offered %s, achieved %,.0f/s: %,d events in %.2f s, %,d measured " +
                "after warm-up; max backlog %,d events (%.2f ms)%s", r.target(), Double.isInfinite(r.offeredPerSec()) ?
                "as fast as taken" : String.format("%,.0f/s", r.offeredPerSec()),
                r.achievedPerSec(), r.completed(), r.elapsedNanos() / 1e9, measured(r), r.maxBacklog(),
                r.maxBacklogMillis(), null == r.failure() ? "" : "; FAILED: " + r.failure()));
        }
        final Map<Integer, Integer> byRule = new TreeMap<>();
        for (final Planted p : txmon.planted())
        {
            byRule.merge(p.ruleId(), 1, Integer::sum);
        }
        lines.add(String.format("planted: %,d cases of %d typologies, %,d alerted, %,d missed%s (%,d alerts read " +
            "from the alert stream in all)", txmon.planted().size(), byRule.size(),
            txmon.planted().size() - txmon.missed().size(), txmon.missed().size(),
            txmon.missed().isEmpty() ? "" : " (by rule id: " + missedByRule(txmon.missed()) + "), first missed: " +
            txmon.missed().get(0), alerts));
        if (options.connected() && !txmon.missed().isEmpty())
        {
            lines.add("planted cases assume the engine runs every rule with the settings of txmon bench " +
                "--print-config, and has not seen this run's producer ids' accounts (--first-producer-id) before");
        }
        lines.add(String.format("GC: %d stop-the-world pause%s (%d ms) in the measured period%s", txmon.gcCount(),
            txmon.gcCount() == 1 ? "" : "s", txmon.gcMillis(), options.connected() ?
            ", in this process (the bench's); the engine's are in its own GC log" : ""));
        return lines;
    }

    private static String missedByRule(final List<Planted> missed)
    {
        final Map<Integer, Integer> byRule = new TreeMap<>();
        for (final Planted p : missed)
        {
            byRule.merge(p.ruleId(), 1, Integer::sum);
        }
        final StringBuilder sb = new StringBuilder();
        byRule.forEach((rule, count) -> sb.append(sb.length() == 0 ? "" : ", ").append(rule).append(" x").append(count));
        return sb.toString();
    }

    private static List<String> ratios(final LoadStep.Result raw, final LoadStep.Result txmon)
    {
        if (null == raw)
        {
            return List.of();
        }
        final Histogram base = raw.latency().values().iterator().next();
        final List<String> lines = new ArrayList<>();
        lines.add("");
        if (base.getTotalCount() == 0)
        {
            lines.add(String.format("throughput: %s %,.0f events/s = %.3f of %s %,.0f events/s in the same run",
                txmon.target(), txmon.achievedPerSec(), txmon.achievedPerSec() / Math.max(1, raw.achievedPerSec()),
                raw.target(), raw.achievedPerSec()));
            return lines;
        }
        lines.add(String.format("against %s at the same rate (p50 %s, p99 %s):", raw.target(),
            micros(base.getValueAtPercentile(50)), micros(base.getValueAtPercentile(99))));
        for (final Map.Entry<String, Histogram> e : txmon.latency().entrySet())
        {
            final Histogram h = e.getValue();
            lines.add(String.format("  %-10s p50 %.2fx  p99 %.2fx  p99.9 %.2fx", e.getKey(),
                ratio(h, base, 50), ratio(h, base, 99), ratio(h, base, 99.9)));
        }
        lines.add(String.format("  throughput %.3f of the baseline's achieved rate at this offered rate",
            txmon.achievedPerSec() / Math.max(1, raw.achievedPerSec())));
        return lines;
    }

    private static double ratio(final Histogram h, final Histogram base, final double percentile)
    {
        return (double)h.getValueAtPercentile(percentile) / Math.max(1, base.getValueAtPercentile(percentile));
    }

    private static long measured(final LoadStep.Result r)
    {
        return r.latency().isEmpty() ? 0 : r.latency().values().iterator().next().getTotalCount();
    }

    private static String us(final LoadStep.Result r, final double percentile)
    {
        final Histogram h = r.latency().get("decision");
        return micros(percentile >= 100 ? h.getMaxValue() : h.getValueAtPercentile(percentile));
    }

    private static String micros(final long nanos)
    {
        return nanos >= 10_000_000 ? String.format("%.1f ms", nanos / 1e6) : String.format("%.1f us", nanos / 1e3);
    }

    private static Map<String, String> meta(final String command, final Options options)
    {
        final Map<String, String> meta = new LinkedHashMap<>();
        meta.put("command", command);
        meta.put("date", Instant.now().toString());
        final String commit = System.getenv("TXMON_COMMIT");
        meta.put("commit", null == commit || commit.isBlank() ? "unknown" : commit);
        meta.put("machine", Runtime.getRuntime().availableProcessors() + " cores, " +
            System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        meta.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version") +
            ", max heap " + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB");
        meta.put("offered", String.format("%,.0f events/s, %d producer(s), %s pacing, %s", options.rate(),
            options.producers(), options.pacing().name().toLowerCase(Locale.ROOT), options.udp() ? "udp" : "ipc"));
        meta.put("engine", options.connected() ? "running on " + options.connect().aeronDir() + ", ingest " +
            options.connect().ingestChannel() + " stream " + options.connect().ingestStreamId() + ", " +
            options.accounts() + " accounts" :
            options.rules() + " rules, " + options.workers() + " worker(s), " +
            options.profile().cliName() + " profile, durability " +
            options.durability().name().toLowerCase(Locale.ROOT) + ", " + options.accounts() + " accounts");
        return meta;
    }

    private static String json(
        final Map<String, String> meta,
        final List<LoadStep.Result> steps,
        final LoadStep.Result raw,
        final Map<String, Histogram> latency)
    {
        final StringBuilder sb = new StringBuilder("{\n");
        for (final Map.Entry<String, String> e : meta.entrySet())
        {
            sb.append("  ").append(quote(e.getKey())).append(": ").append(quote(e.getValue())).append(",\n");
        }
        sb.append("  \"steps\": [");
        final List<LoadStep.Result> all = new ArrayList<>();
        if (null != raw)
        {
            all.add(raw);
        }
        all.addAll(steps);
        for (int i = 0; i < all.size(); i++)
        {
            final LoadStep.Result r = all.get(i);
            sb.append(i == 0 ? "\n" : ",\n").append(String.format(Locale.ROOT,
                "    {\"target\": %s, \"offered_per_s\": %s, \"achieved_per_s\": %.1f, \"sent\": %d, " +
                "\"completed\": %d, \"measured\": %d, \"max_backlog\": %d, \"planted\": %d, \"missed\": %d, " +
                "\"gc_count\": %d, \"failure\": %s}", quote(r.target()), Double.isInfinite(r.offeredPerSec()) ?
                "null" : String.format(Locale.ROOT, "%.1f", r.offeredPerSec()), r.achievedPerSec(),
                r.sent(), r.completed(), measured(r), r.maxBacklog(), r.planted().size(), r.missed().size(),
                r.gcCount(), null == r.failure() ? "null" : quote(r.failure())));
        }
        sb.append("\n  ],\n  \"latency\": ").append(LatencyReport.percentileJson(latency).strip()).append("\n}\n");
        return sb.toString();
    }

    private static String quote(final String text)
    {
        final StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            switch (c)
            {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                default ->
                {
                    if (c < 0x20)
                    {
                        sb.append(String.format("\\u%04x", (int)c));
                    }
                    else
                    {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    private static List<String> files(final Path dir) throws IOException
    {
        try (var list = Files.list(dir))
        {
            return list.map((p) -> p.toString()).sorted().toList();
        }
    }

    /**
     * @return where a run's event times start: after the newest event time in the engine's journal (an engine
     * already running has per-account state from earlier runs, and a live stream's time does not go back), and
     * not before the scenario's default start.
     */
    private static long startEventTime(final EngineUnderTest target)
    {
        return startEventTime(target.newestEventTime());
    }

    private static long startEventTime(final long after)
    {
        return Math.max(ScenarioGenerator.Options.DEFAULT_START_EVENT_TIME, after + DAY_NANOS);
    }

    private static long spanOf(final Options options, final double rate)
    {
        final int count = options.eventsPerProducer(rate);
        final ScenarioGenerator generator = new ScenarioGenerator(options.seed());
        return generator.meanGapNanos(count) * (long)count;
    }

    private static String channel(final Options options)
    {
        return BenchmarkSupport.loopbackChannel(options.udp());
    }

    private static String aeronBase() throws IOException
    {
        final File shm = new File("/dev/shm");
        final Path base = shm.isDirectory() && shm.canWrite() ?
            Files.createTempDirectory(shm.toPath(), "txmon-bench-") : Files.createTempDirectory("txmon-bench-aeron-");
        return base.toString();
    }

    private static void deleteAeronBase(final String base)
    {
        IoUtil.delete(new File(base), true);
    }

    private static void note(final PrintStream progress, final String format, final Object... args)
    {
        if (null != progress)
        {
            progress.println("txmon bench: " + String.format(format, args));
        }
    }

    private static double parseRate(final CliArgs cli, final String name, final double defaultValue)
    {
        if (!cli.has(name))
        {
            return defaultValue;
        }
        final String text = cli.get(name, "").trim().toLowerCase(Locale.ROOT).replace("_", "").replace(",", "");
        double factor = 1;
        String number = text;
        if (text.endsWith("k"))
        {
            factor = 1e3;
            number = text.substring(0, text.length() - 1);
        }
        else if (text.endsWith("m"))
        {
            factor = 1e6;
            number = text.substring(0, text.length() - 1);
        }
        try
        {
            final double value = Double.parseDouble(number) * factor;
            if (!(value >= 1 && value <= 100e6))
            {
                throw new CliArgs.UsageException(name + " must be 1 to 100m events/s, was '" + text + "'");
            }
            return value;
        }
        catch (final NumberFormatException ex)
        {
            throw new CliArgs.UsageException(name + " must be a rate such as 100000, 250k or 1.5m, was '" + text + "'");
        }
    }

    private static double decimal(final CliArgs cli, final String name, final double defaultValue)
    {
        try
        {
            return Double.parseDouble(cli.get(name, Double.toString(defaultValue)));
        }
        catch (final NumberFormatException ex)
        {
            throw new CliArgs.UsageException(name + " must be a number, was '" + cli.get(name, "") + "'");
        }
    }

    private static long duration(final CliArgs cli, final String name, final String defaultValue)
    {
        try
        {
            return Parameter.parseDuration(cli.get(name, defaultValue));
        }
        catch (final IllegalArgumentException ex)
        {
            throw new CliArgs.UsageException(name + ": " + ex.getMessage());
        }
    }
}
