package io.txmon.monitor;

import io.txmon.rules.AlertFormat;
import io.txmon.cli.CliArgs;
import io.aeron.Subscription;
import io.txmon.events.codec.AlertDecoder;
import io.txmon.events.codec.MessageHeaderDecoder;
import io.txmon.events.codec.PaymentDecoder;
import io.txmon.journal.Durability;
import io.txmon.journal.JournalReader;
import io.txmon.journal.RecordHandler;
import io.txmon.events.codec.Severity;
import io.txmon.rules.config.RuleSettings;
import io.txmon.rules.typology.LargeAmountRule;
import io.txmon.sequencer.Engine;
import io.txmon.sequencer.EngineCounters;
import io.txmon.transport.AlertAdapter;
import io.txmon.transport.Profile;
import io.txmon.transport.TxmonPublisher;
import org.HdrHistogram.Histogram;
import org.agrona.CloseHelper;
import org.agrona.IoUtil;
import org.agrona.collections.LongHashSet;
import org.agrona.concurrent.BackoffIdleStrategy;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code txmon demo}: starts the engine on an embedded driver, feeds a seeded synthetic payment stream
 * with planted large amounts from several producers over {@code aeron:ipc}, prints each alert as it
 * arrives on the alert stream, and ends with a summary measured by the run: events, alerts per rule,
 * planted versus alerted, throughput, and ingest-to-decision latency percentiles.
 */
final class DemoCommand
{
    private static final Set<String> OPTIONS = Set.of(
        "--events", "--seed", "--producers", "--threshold", "--plant-every", "--dir", "--rate", "--durability",
        "--profile");
    private static final Set<String> FLAGS = Set.of("--quiet", "--help");
    private static final long RUN_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(120);

    private DemoCommand()
    {
    }

    static void printHelp(final PrintStream out)
    {
        out.println("usage: txmon demo [options]");
        out.println();
        out.println("Starts the engine on an embedded media driver, publishes a seeded synthetic payment");
        out.println("stream with planted large amounts over aeron:ipc, prints every alert as it fires and");
        out.println("a summary: events, alerts per rule, planted vs alerted, throughput and latency.");
        out.println();
        out.println("  --events N        payments to publish, all producers together (default 200000)");
        out.println("  --producers N     concurrent producers, 1 to 8 (default 2)");
        out.println("  --seed N          seed of the synthetic stream; same seed, same events (default 42)");
        out.println("  --threshold N     large-amount threshold in minor units (default 1000000 = 10000.00 EUR)");
        out.println("  --plant-every N   plant about one large amount per N payments (default 500)");
        out.println("  --rate N          offer N events/s in total, paced (default 0: as fast as the engine takes them,");
        out.println("                    so latency then includes queueing in the ring)");
        out.println("  --durability M    journal durability: os (default), interval or sync");
        out.println("  --profile NAME    threads and how they wait for work, as 'txmon run --help' describes:");
        out.println("                    compact (default), yielding or low-latency");
        out.println("  --dir DIR         keep the journal in DIR (default: a temporary directory, removed after)");
        out.println("  --quiet           do not print each alert, only the summary");
        out.println("  --help            this text");
        out.println();
        out.println("Exit status: 0 when every planted large amount alerted and nothing else did, 1 otherwise.");
    }

    static int run(final String[] args, final PrintStream out, final PrintStream err) throws Exception
    {
        final CliArgs cli = CliArgs.parse("demo", args, OPTIONS, FLAGS);
        if (cli.has("--help"))
        {
            printHelp(out);
            return TxmonCli.EXIT_OK;
        }

        final long events = cli.getLong("--events", 200_000, 1, 100_000_000);
        final int producers = (int)cli.getLong("--producers", 2, 1, 8);
        final long seed = cli.getLong("--seed", 42, Long.MIN_VALUE, Long.MAX_VALUE);
        final long threshold = cli.getLong("--threshold", LargeAmountRule.DEFAULT_THRESHOLD_MINOR_UNITS, 200, 1L << 50);
        final int plantEvery = (int)cli.getLong("--plant-every", 500, 1, 1_000_000);
        final boolean quiet = cli.has("--quiet");
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

        final LatencyRecorder latency = new LatencyRecorder();
        final Engine engine;
        try
        {
            engine = Engine.launch(new Engine.Context()
                .aeronDirectoryName(aeronDir)
                .journalDir(journalDir)
                .durability(durability)
                .profile(profile)
                // the large-amount rule alone, as settings: the journal records that the others were off
                .ruleSettings(demoRules(threshold))
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
        try
        {
            err.printf("txmon demo: %,d payments from %d producers, seed %d, journal %s (durability %s)%n",
                events, producers, seed, journalDir, durability.name().toLowerCase());
            if (engine.recoveredRecords() > 0)
            {
                err.printf("txmon demo: %s already holds a journal of %,d records; the demo's producers would " +
                    "all be dropped as duplicates. Give --dir an empty or new directory.%n",
                    journalDir, engine.recoveredRecords());
                return TxmonCli.EXIT_USAGE;
            }

            alertSubscription = engine.aeron().addSubscription(
                engine.context().alertChannel(), engine.context().alertStreamId());
            final TreeMap<String, Long> alertsByRule = new TreeMap<>();
            final LongHashSet alertedTxOffsets = new LongHashSet();
            final StringBuilder line = new StringBuilder(256);
            final AlertAdapter alerts = new AlertAdapter(alertSubscription, (alert) ->
            {
                alertsByRule.merge(AlertFormat.ruleName(alert.ruleId()), 1L, Long::sum);
                alertedTxOffsets.add(alert.triggeringOffset());
                if (!quiet)
                {
                    out.println(AlertFormat.text(alert, line));
                }
            });
            awaitConnected(alertSubscription);

            final LongHashSet plantedTxIds = new LongHashSet();
            final AtomicReference<String> failure = new AtomicReference<>();
            final Thread[] threads = new Thread[producers];
            final long startNs = System.nanoTime();
            for (int p = 0; p < producers; p++)
            {
                final int index = p;
                final long count = events / producers + (p < events % producers ? 1 : 0);
                final LongHashSet planted = new LongHashSet();
                threads[p] = new Thread(() ->
                {
                    failure.compareAndSet(null, produce(
                        engine, index + 1, seed, count, threshold, plantEvery, rate == 0 ? 0 : rate / producers, planted));
                    synchronized (plantedTxIds)
                    {
                        plantedTxIds.addAll(planted);
                    }
                }, "txmon-demo-producer-" + (p + 1));
                threads[p].start();
            }

            final EngineCounters counters = engine.counters();
            final long deadline = startNs + RUN_TIMEOUT_NS;
            long lastProgress = startNs;
            final BackoffIdleStrategy idle = new BackoffIdleStrategy();
            while (counters.decided() < events || alertedTxOffsets.size() + counters.alertsUnpublished() < counters.alerts())
            {
                final long now = System.nanoTime();
                if (failure.get() != null || now - deadline > 0)
                {
                    break;
                }
                if (quiet && now - lastProgress > TimeUnit.SECONDS.toNanos(2))
                {
                    lastProgress = now;
                    err.printf("txmon demo: %,d of %,d decided%n", counters.decided(), events);
                }
                idle.idle(alerts.poll(256));
            }
            final long endNs = System.nanoTime();
            for (final Thread thread : threads)
            {
                thread.join(TimeUnit.SECONDS.toMillis(10));
            }
            alerts.poll(256);

            if (failure.get() != null)
            {
                err.println("txmon demo: a producer failed: " + failure.get());
                return TxmonCli.EXIT_FAILED;
            }
            if (counters.decided() < events)
            {
                err.printf("txmon demo: timed out with %,d of %,d events decided%n", counters.decided(), events);
                return TxmonCli.EXIT_FAILED;
            }

            final LongHashSet alertedTxIds = txIdsAt(journalDir, alertedTxOffsets);
            final long planted = plantedTxIds.size();
            final long alerted = alertedTxOffsets.size();
            long missed = 0;
            for (final LongHashSet.LongIterator it = plantedTxIds.iterator(); it.hasNext(); )
            {
                missed += alertedTxIds.contains(it.nextValue()) ? 0 : 1;
            }
            long extra = alerted - alertedTxIds.size();
            for (final LongHashSet.LongIterator it = alertedTxIds.iterator(); it.hasNext(); )
            {
                extra += plantedTxIds.contains(it.nextValue()) ? 0 : 1;
            }
            final Histogram histogram = latency.harvest();
            final double seconds = (endNs - startNs) / 1e9;

            out.println();
            out.println("summary");
            out.printf("  events published      %,d (%d producers)%n", events, producers);
            out.printf("  profile               %s%n", profile.cliName());
            out.printf("  events journaled      %,d (offsets %,d to %,d, after %,d records of the rule configuration)%n",
                counters.journaled() - configRecords, configRecords, counters.journaled() - 1, configRecords);
            out.printf("  rejected, duplicates  %,d, %,d%n", counters.rejected(), counters.duplicates());
            out.printf("  alerts                %,d%n", alerted);
            for (final var e : alertsByRule.entrySet())
            {
                out.printf("    %-20s %,d%n", e.getKey(), e.getValue());
            }
            out.printf("  planted large amounts %,d: alerted %,d, missed %,d, extra %,d%n",
                planted, alerted, missed, extra);
            out.printf("  throughput            %,.0f events/s (%,d events in %.3f s, publish to last decision; %s)%n",
                events / seconds, events, seconds, rate == 0 ? "offered as fast as taken" : "offered " + rate + "/s");
            out.printf("  ingest to decision    p50 %s  p99 %s  p99.9 %s  max %s  (%,d events%s)%n",
                micros(histogram.getValueAtPercentile(50)),
                micros(histogram.getValueAtPercentile(99)),
                micros(histogram.getValueAtPercentile(99.9)),
                micros(histogram.getMaxValue()),
                histogram.getTotalCount(),
                rate == 0 ? "; includes queueing at full speed, try --rate" : "");

            return missed == 0 && extra == 0 ? TxmonCli.EXIT_OK : TxmonCli.EXIT_FAILED;
        }
        finally
        {
            CloseHelper.closeAll(alertSubscription, engine);
            if (!keepJournal)
            {
                IoUtil.delete(journalDir.toFile(), true);
            }
        }
    }

    private static String produce(
        final Engine engine,
        final long producerId,
        final long seed,
        final long count,
        final long threshold,
        final int plantEvery,
        final long ratePerProducer,
        final LongHashSet planted)
    {
        final long intervalNs = ratePerProducer == 0 ? 0 : Math.max(1, 1_000_000_000L / ratePerProducer);
        final SyntheticPayments stream = new SyntheticPayments(seed, producerId, 10_000, threshold, plantEvery);
        try (TxmonPublisher publisher = new TxmonPublisher(
            engine.aeron(), engine.context().ingestChannel(), engine.context().ingestStreamId(),
            producerId, 0, new BackoffIdleStrategy(), TimeUnit.SECONDS.toNanos(10)))
        {
            if (!publisher.awaitConnected(TimeUnit.SECONDS.toNanos(10)))
            {
                return "producer " + producerId + " could not connect to the engine";
            }
            final long start = System.nanoTime();
            for (long i = 0; i < count; i++)
            {
                if (intervalNs > 0)
                {
                    // open loop: park until the intended send time, then send all that are due; no spinning,
                    // so on a small machine the producers do not take the cores the engine needs
                    final long intended = start + i * intervalNs;
                    long now;
                    while ((now = System.nanoTime()) < intended)
                    {
                        java.util.concurrent.locks.LockSupport.parkNanos(intended - now);
                    }
                }
                stream.next(publisher.payment());
                final long result = publisher.send();
                if (result < 0)
                {
                    return "producer " + producerId + ": " + TxmonPublisher.describe(result);
                }
                if (stream.lastPlanted())
                {
                    planted.add(stream.lastTxId());
                }
            }
            return null;
        }
    }

    /**
     * The tx ids of the payments at some journal offsets, read back from the journal: the check of
     * planted against alerted goes through what was actually journaled.
     */
    private static LongHashSet txIdsAt(final Path journalDir, final LongHashSet offsets)
    {
        final LongHashSet txIds = new LongHashSet();
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        final PaymentDecoder payment = new PaymentDecoder();
        try (JournalReader reader = JournalReader.open(journalDir))
        {
            final RecordHandler handler = (offset, timestamp, templateId, buffer, payloadOffset, payloadLength) ->
            {
                if (offsets.contains(offset) && templateId == PaymentDecoder.TEMPLATE_ID)
                {
                    payment.wrapAndApplyHeader(buffer, payloadOffset, header);
                    txIds.add(payment.txId());
                }
            };
            while (reader.poll(handler, 4096) > 0)
            {
                // read to the end
            }
        }
        return txIds;
    }

    /**
     * @param threshold of the large-amount rule, minor units.
     * @return the settings the demo runs and journals: large-amount alone, at that threshold, severity HIGH.
     */
    static RuleSettings demoRules(final long threshold)
    {
        return RuleSettings.only(LargeAmountRule.NAME).with(Map.of(
            RuleSettings.PREFIX + LargeAmountRule.NAME + ".threshold", Long.toString(threshold),
            RuleSettings.PREFIX + LargeAmountRule.NAME + ".severity", Severity.HIGH.name()));
    }

    private static String micros(final long nanos)
    {
        return String.format("%.1f us", nanos / 1000.0);
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
