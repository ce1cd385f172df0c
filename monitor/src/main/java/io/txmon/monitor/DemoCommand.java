package io.txmon.monitor;

import io.aeron.Subscription;
import io.txmon.cli.CliArgs;
import io.txmon.journal.Durability;
import io.txmon.rules.AlertFormat;
import io.txmon.rules.Rule;
import io.txmon.rules.config.RuleSettings;
import io.txmon.rules.config.RuleType;
import io.txmon.rules.typology.Typologies;
import io.txmon.scenario.Planted;
import io.txmon.scenario.ScenarioGenerator;
import io.txmon.sequencer.Engine;
import io.txmon.sequencer.EngineCounters;
import io.txmon.transport.AlertAdapter;
import io.txmon.transport.Profile;
import org.HdrHistogram.Histogram;
import org.agrona.CloseHelper;
import org.agrona.IoUtil;
import org.agrona.concurrent.BackoffIdleStrategy;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * {@code txmon demo}: the engine's real job in under a minute. Starts the engine on an embedded driver with every
 * typology of the catalogue on (or those asked for), publishes seeded scenario streams from several producers over
 * {@code aeron:ipc} (background payments, orders, executions and account updates with planted cases of every
 * typology, {@link ScenarioGenerator}), prints the first alerts of each rule as they arrive on the alert stream, and
 * ends with a summary measured by the run (events, journaled, throughput, ingest-to-decision latency), a table per
 * typology of cases planted, detected and missed and alerts raised, and the accounts with the most typologies
 * alerting on them.
 * <p>
 * The rules run with the settings the planted cases are made for ({@link ScenarioGenerator#newRules()}: the
 * documented defaults and the scenario's watch list), journaled ahead of the events, so a replay of the journal
 * raises the same alerts.
 */
final class DemoCommand
{
    /** Events published by default, all producers together. */
    static final long DEFAULT_EVENTS = 500_000;
    /** Default plant density: one case of every typology per this many events of each producer's stream. */
    static final int DEFAULT_EVENTS_PER_PLANT = 25_000;
    /** Alerts of each rule printed as they arrive, by default. */
    static final int DEFAULT_PRINT_ALERTS = 1;
    /** Accounts listed under "top accounts". */
    static final int TOP_ACCOUNTS = 10;

    private static final Set<String> OPTIONS = Set.of(
        "--events", "--seed", "--producers", "--rules", "--events-per-plant", "--print-alerts", "--dir", "--rate",
        "--durability", "--profile");
    private static final Set<String> FLAGS = Set.of("--quiet", "--help");
    /** Options of the large-amount-only demo, and what took their place. */
    private static final Map<String, String> REPLACED = Map.of(
        "--threshold", "the planted cases assume each rule's documented defaults; --threshold is gone",
        "--plant-every", "--events-per-plant N plants one case of every typology per N events of each producer");
    /** The run fails when no event is decided for this long. */
    private static final long STALL_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(30);
    private static final long PROGRESS_INTERVAL_NS = TimeUnit.SECONDS.toNanos(2);
    private static final int FRAGMENTS = 256;

    private DemoCommand()
    {
    }

    static void printHelp(final PrintStream out)
    {
        out.println("usage: txmon demo [options]");
        out.println();
        out.println("Starts the engine on an embedded media driver with every typology on and publishes seeded");
        out.println("synthetic streams over aeron:ipc: payments, orders, executions and account updates, with");
        out.println("planted cases of each typology. Prints the first alert of each rule as it fires, then a");
        out.println("summary (events, journaled, throughput, latency), a table per typology of cases planted,");
        out.println("detected (planted cases that alerted) and missed and of alerts raised in all, and the top");
        out.println("accounts: those with the most typologies alerting on them. A few seconds on two cores.");
        out.println();
        out.println("  --events N        events to publish, all producers together (default " + DEFAULT_EVENTS + ")");
        out.println("  --producers N     concurrent producers, 1 to 8, each with its own stream and planted");
        out.println("                    accounts (default 2)");
        out.println("  --events-per-plant N");
        out.println("                    plant one case of every typology per N events of each producer's stream,");
        out.println("                    at least " + ScenarioGenerator.MIN_EVENTS_TO_PLANT + " (default " +
            DEFAULT_EVENTS_PER_PLANT + ": with the other defaults, 10 of each per producer,");
        out.println("                    460 cases in all); a producer with fewer than " +
            ScenarioGenerator.MIN_EVENTS_TO_PLANT + " events plants none");
        out.println("  --rules R         all (default), or a comma list of rule names or ids, e.g. large-amount,5");
        out.println("  --seed N          seed of the streams; same seed, same events (default 42)");
        out.println("  --print-alerts N  print the first N alerts of each rule as they arrive, or all (default " +
            DEFAULT_PRINT_ALERTS + ")");
        out.println("  --rate N          offer N events/s in total, paced (default 0: as fast as the engine takes");
        out.println("                    them, so latency then includes queueing in the ring)");
        out.println("  --durability M    journal durability: os (default), interval or sync");
        out.println("  --profile NAME    threads and how they wait for work, as 'txmon run --help' describes:");
        out.println("                    compact (default), yielding or low-latency");
        out.println("  --dir DIR         keep the journal in DIR, which must be empty or new (default: a temporary");
        out.println("                    directory, removed after)");
        out.println("  --quiet           print no alerts as they arrive, only the summary and the tables");
        out.println("  --help            this text");
        out.println();
        out.print(ruleList());
        out.println("They run with the settings the planted cases are made for (the documented defaults and the");
        out.println("scenario's watch list), journaled ahead of the events. --threshold and --plant-every belonged");
        out.println("to the large-amount-only demo: --events-per-plant replaces --plant-every.");
        out.println();
        out.println("Exit status: 0 when every planted case of the rules run alerted, 1 when one did not or the");
        out.println("run failed, 2 for a command line that cannot run.");
    }

    static int run(final String[] args, final PrintStream out, final PrintStream err) throws Exception
    {
        refuseReplacedOptions(args);
        final CliArgs cli = CliArgs.parse("demo", args, OPTIONS, FLAGS);
        if (cli.has("--help"))
        {
            printHelp(out);
            return TxmonCli.EXIT_OK;
        }

        final long events = cli.getLong("--events", DEFAULT_EVENTS, 1, 100_000_000);
        final int producers = (int)cli.getLong("--producers", 2, 1, 8);
        final long seed = cli.getLong("--seed", 42, Long.MIN_VALUE, Long.MAX_VALUE);
        final int eventsPerPlant = (int)cli.getLong(
            "--events-per-plant", DEFAULT_EVENTS_PER_PLANT, ScenarioGenerator.MIN_EVENTS_TO_PLANT, Integer.MAX_VALUE);
        final long printAlerts = "all".equals(cli.get("--print-alerts", "")) ?
            Long.MAX_VALUE : cli.getLong("--print-alerts", DEFAULT_PRINT_ALERTS, 0, Integer.MAX_VALUE);
        final boolean quiet = cli.has("--quiet");
        final BitSet ruleIds = ruleIds(cli.get("--rules", "all"));
        final Profile profile = RunOptions.profile(cli);
        final long rate = cli.getLong("--rate", 0, 0, 50_000_000);
        final Durability durability;
        try
        {
            durability = Durability.parse(cli.get("--durability", "os"));
        }
        catch (final IllegalArgumentException ex)
        {
            throw new CliArgs.UsageException("--durability: " + ex.getMessage());
        }

        final Path journalDir;
        final boolean keepJournal = cli.has("--dir");
        if (keepJournal)
        {
            journalDir = Path.of(cli.get("--dir", null));
            if (Files.exists(journalDir) && !Files.isDirectory(journalDir))
            {
                throw new CliArgs.UsageException("--dir " + journalDir + " exists and is not a directory");
            }
        }
        else
        {
            journalDir = Files.createTempDirectory("txmon-demo-journal-");
        }
        final String aeronDir = AeronDirectories.privateDirectory("txmon-demo-");

        final List<RuleType<?>> ruleTypes = new ArrayList<>();
        final List<Rule> rules = new ArrayList<>();
        for (final Rule rule : new ScenarioGenerator(seed).newRules())
        {
            if (ruleIds.get(rule.id()))
            {
                rules.add(rule);
                ruleTypes.add(RuleSettings.defaults().type(rule.id()));
            }
        }

        final LatencyRecorder latency = new LatencyRecorder();
        final Engine engine;
        try
        {
            engine = Engine.launch(new Engine.Context()
                .aeronDirectoryName(aeronDir)
                .journalDir(journalDir)
                .durability(durability)
                .profile(profile)
                // the settings the planted cases are made for, journaled, so a replay of the journal runs the same
                .ruleSettings(RuleSettings.of(rules.toArray(new Rule[0])))
                // the scenario's timeline is synthetic (2025 onwards, 270 days and more): its event times are
                // bounded by the generator, not by a producer's clock
                .maxEventTimeAheadNs(Long.MAX_VALUE)
                .decisionObserver(latency));
        }
        catch (final RuntimeException ex)
        {
            if (!keepJournal)
            {
                IoUtil.delete(journalDir.toFile(), true);
            }
            throw ex;
        }

        // the engine journals its rule configuration first, so that a replay of the journal runs the same rules
        final long configRecords = engine.counters().journaled();
        Subscription alertSubscription = null;
        final Thread[] threads = new Thread[producers];
        try
        {
            err.printf("txmon demo: %,d events from %d producer%s, seed %d, %d rule%s, journal %s (durability %s)%n",
                events, producers, producers == 1 ? "" : "s", seed, rules.size(), rules.size() == 1 ? "" : "s",
                journalDir, durability.name().toLowerCase());
            if (engine.recoveredRecords() > 0)
            {
                err.printf("txmon demo: %s already holds a journal of %,d records; the demo's producers would " +
                    "all be dropped as duplicates. Give --dir an empty or new directory.%n",
                    journalDir, engine.recoveredRecords());
                return TxmonCli.EXIT_USAGE;
            }
            if (events / producers < ScenarioGenerator.MIN_EVENTS_TO_PLANT)
            {
                err.printf("txmon demo: fewer than %,d events per producer plant no cases; give more --events%n",
                    ScenarioGenerator.MIN_EVENTS_TO_PLANT);
            }

            alertSubscription = engine.aeron().addSubscription(
                engine.context().alertChannel(), engine.context().alertStreamId());
            final DemoReport report = new DemoReport(ruleTypes);
            final long[] printed = new long[Typologies.catalog().size() + 1];
            final StringBuilder line = new StringBuilder(256);
            final AlertAdapter alerts = new AlertAdapter(alertSubscription, (alert) ->
            {
                final int ruleId = alert.ruleId();
                report.onAlert(ruleId, alert.account(), alert.eventTime());
                if (!quiet && ruleId >= 0 && ruleId < printed.length && printed[ruleId]++ < printAlerts)
                {
                    out.println(AlertFormat.text(alert, line));
                }
            });
            awaitConnected(alertSubscription);

            final DemoProducer[] sources = new DemoProducer[producers];
            final long startNs = System.nanoTime();
            for (int p = 0; p < producers; p++)
            {
                final long producerId = p + 1;
                final int count = (int)(events / producers + (p < events % producers ? 1 : 0));
                final ScenarioGenerator generator = new ScenarioGenerator(seed + producerId, ScenarioGenerator.Options
                    .defaults().withProducerId(producerId).withEventsPerInstance(eventsPerPlant));
                sources[p] = new DemoProducer(engine.aeron(), engine.context().ingestChannel(),
                    engine.context().ingestStreamId(), generator, count, rate == 0 ? 0 : Math.max(1, rate / producers));
                threads[p] = new Thread(sources[p], "txmon-demo-producer-" + producerId);
                threads[p].start();
            }

            final EngineCounters counters = engine.counters();
            final BackoffIdleStrategy idle = new BackoffIdleStrategy();
            String failure = null;
            long lastDecided = -1;
            long lastAdvanceNs = startNs;
            long lastProgressNs = startNs;
            while (counters.decided() < events || !allDone(sources) ||
                report.alerts() + counters.alertsUnpublished() < counters.alerts())
            {
                failure = firstFailure(sources);
                final long now = System.nanoTime();
                final long decided = counters.decided();
                if (decided != lastDecided)
                {
                    lastDecided = decided;
                    lastAdvanceNs = now;
                }
                if (null != failure || now - lastAdvanceNs > STALL_TIMEOUT_NS)
                {
                    break;
                }
                if (now - lastProgressNs > PROGRESS_INTERVAL_NS)
                {
                    lastProgressNs = now;
                    err.printf("txmon demo: %,d of %,d decided, %,d alerts%n", decided, events, report.alerts());
                }
                idle.idle(alerts.poll(FRAGMENTS));
            }
            final long endNs = System.nanoTime();
            joinAll(threads);
            while (alerts.poll(FRAGMENTS) > 0)
            {
                // read what is left
            }

            if (null != failure)
            {
                err.println("txmon demo: a producer failed: " + failure);
                return TxmonCli.EXIT_FAILED;
            }
            if (counters.decided() < events)
            {
                err.printf("txmon demo: no event decided for %d s, with %,d of %,d decided%n",
                    TimeUnit.NANOSECONDS.toSeconds(STALL_TIMEOUT_NS), counters.decided(), events);
                return TxmonCli.EXIT_FAILED;
            }

            final List<Planted> planted = new ArrayList<>();
            for (final DemoProducer source : sources)
            {
                planted.addAll(source.planted());
            }
            final List<Planted> expected = report.expected(planted);
            final List<Planted> missed = report.missed(expected);
            final Histogram histogram = latency.harvest();
            final double seconds = (endNs - startNs) / 1e9;
            final long printedCount = quiet ? 0 : printedCount(printed, printAlerts);

            out.println();
            out.println("summary");
            out.printf("  events published      %,d (%d producer%s: payments, orders, executions, account updates)%n",
                events, producers, producers == 1 ? "" : "s");
            out.printf("  profile               %s%n", profile.cliName());
            out.printf(
                "  events journaled      %,d (offsets %,d to %,d, after %,d records of the rule configuration)%n",
                counters.journaled() - configRecords, configRecords, counters.journaled() - 1, configRecords);
            out.printf("  rejected, duplicates  %,d, %,d%n", counters.rejected(), counters.duplicates());
            final String printedHow = quiet ? ": --quiet" : printAlerts == Long.MAX_VALUE ? "" : ": the first " +
                (printAlerts == 1 ? "alert" : printAlerts + " alerts") + " of each rule; --print-alerts all for all";
            out.printf("  alerts                %,d (%,d printed as they arrived%s)%n",
                report.alerts(), printedCount, printedHow);
            out.printf("  throughput            %,.0f events/s (%,d events in %.3f s, publish to last decision; %s)%n",
                events / seconds, events, seconds, rate == 0 ? "offered as fast as taken" : "offered " + rate + "/s");
            out.printf("  ingest to decision    p50 %s  p99 %s  p99.9 %s  max %s  (%,d events%s)%n",
                micros(histogram.getValueAtPercentile(50)),
                micros(histogram.getValueAtPercentile(99)),
                micros(histogram.getValueAtPercentile(99.9)),
                micros(histogram.getMaxValue()),
                histogram.getTotalCount(),
                rate == 0 ? "; includes queueing at full speed, try --rate" : "");
            out.println();
            report.printTypologies(out, expected);
            out.println();
            report.printTopAccounts(out, TOP_ACCOUNTS);
            out.println("  (by account: alerts are not grouped into cases yet)");

            return missed.isEmpty() ? TxmonCli.EXIT_OK : TxmonCli.EXIT_FAILED;
        }
        finally
        {
            joinAll(threads);
            CloseHelper.closeAll(alertSubscription, engine);
            if (!keepJournal)
            {
                IoUtil.delete(journalDir.toFile(), true);
            }
        }
    }

    /**
     * @param text of {@code --rules}: {@code all}, or a comma list of names or ids of the catalogue.
     * @return the ids of the rules to run.
     * @throws CliArgs.UsageException naming what is not a rule, and the rules.
     */
    static BitSet ruleIds(final String text)
    {
        final BitSet ids = new BitSet();
        if ("all".equals(text.trim()))
        {
            for (final RuleType<?> type : Typologies.catalog())
            {
                ids.set(type.id());
            }
            return ids;
        }
        for (final String item : text.split(",", -1))
        {
            final String name = item.trim();
            RuleType<?> type = RuleSettings.defaults().type(name);
            if (null == type && !name.isEmpty() && name.chars().allMatch(Character::isDigit) && name.length() < 6)
            {
                type = RuleSettings.defaults().type(Integer.parseInt(name));
            }
            if (null == type)
            {
                throw new CliArgs.UsageException("--rules: '" + name + "' is not a rule name or id; give all, or " +
                    "names or ids 1 to " + Typologies.catalog().size() + " separated by commas: " + ruleNames());
            }
            ids.set(type.id());
        }
        return ids;
    }

    private static void refuseReplacedOptions(final String[] args)
    {
        for (final String arg : args)
        {
            final int eq = arg.indexOf('=');
            final String reason = REPLACED.get(eq > 0 ? arg.substring(0, eq) : arg);
            if (null != reason)
            {
                throw new CliArgs.UsageException(arg + " belonged to the large-amount-only demo, which now runs " +
                    "every typology: " + reason + "; see 'txmon demo --help'");
            }
        }
    }

    private static String ruleNames()
    {
        final StringBuilder names = new StringBuilder();
        for (final RuleType<?> type : Typologies.catalog())
        {
            names.append(names.length() == 0 ? "" : ", ").append(type.id()).append(' ').append(type.name());
        }
        return names.toString();
    }

    /**
     * @return "The rules, by id: 1 large-amount, 2 ..." in lines of at most about 96 characters, items unbroken.
     */
    private static String ruleList()
    {
        final StringBuilder lines = new StringBuilder("The rules, by id:");
        int lineStart = 0;
        final List<RuleType<?>> catalog = Typologies.catalog();
        for (int i = 0; i < catalog.size(); i++)
        {
            final String item = catalog.get(i).id() + " " + catalog.get(i).name() + (i + 1 < catalog.size() ? "," : ".");
            if (lines.length() - lineStart + 1 + item.length() > 96)
            {
                lines.append(System.lineSeparator());
                lineStart = lines.length();
            }
            lines.append(lines.length() > lineStart ? " " : "").append(item);
        }
        return lines.append(System.lineSeparator()).toString();
    }

    private static long printedCount(final long[] arrived, final long limit)
    {
        long printed = 0;
        for (final long count : arrived)
        {
            printed += Math.min(count, limit);
        }
        return printed;
    }

    private static boolean allDone(final DemoProducer[] sources)
    {
        for (final DemoProducer source : sources)
        {
            if (null != source && !source.done())
            {
                return false;
            }
        }
        return true;
    }

    private static String firstFailure(final DemoProducer[] sources)
    {
        for (final DemoProducer source : sources)
        {
            if (null != source && null != source.failure())
            {
                return source.failure();
            }
        }
        return null;
    }

    private static void joinAll(final Thread[] threads) throws InterruptedException
    {
        for (final Thread thread : threads)
        {
            if (null != thread)
            {
                thread.join(TimeUnit.SECONDS.toMillis(30));
            }
        }
    }

    private static String micros(final long nanos)
    {
        return nanos >= 10_000_000 ? String.format("%.1f ms", nanos / 1e6) : String.format("%.1f us", nanos / 1e3);
    }

    private static void awaitConnected(final Subscription subscription)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        final BackoffIdleStrategy idle = new BackoffIdleStrategy();
        while (!subscription.isConnected())
        {
            if (System.nanoTime() - deadline > 0)
            {
                throw new IllegalStateException("the alert stream did not connect within 10 s");
            }
            idle.idle();
        }
    }
}
