package io.txmon.perf;

import io.aeron.ExclusivePublication;
import io.aeron.Publication;
import io.txmon.events.codec.Channel;
import io.txmon.events.codec.MessageHeaderEncoder;
import io.txmon.events.codec.PaymentEncoder;
import io.txmon.scenario.ScenarioGenerator;
import io.txmon.sequencer.Engine;
import io.txmon.sequencer.EngineCounters;
import io.txmon.sequencer.RejectListener;
import io.txmon.events.RejectReason;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * How long a restarted engine takes from launch to taking its first new event, as the journal grows: for each size
 * the scenario stream (every typology, the default accounts) is journaled through a live engine with snapshots,
 * which is then closed (a snapshot at close) and started again several times: launch, then one new event published
 * and awaited until journaled. Reported per size: the median start, the events replayed through the rules, the
 * snapshot's size; and the same start after a crash (the close snapshot removed: the last periodic one is used),
 * and, for the smallest size, with no snapshot at all (every event replayed), as before snapshots existed.
 * <p>
 * {@code perf/restart-time [--events 1000000,10000000] [--dir DIR] [--workers 1] [--interval 1000000] [--starts 3]}
 */
public final class RestartTime
{
    private static final long TIMEOUT_NS = TimeUnit.MINUTES.toNanos(30);
    private static final long PRODUCER = 1;
    private static final long PROBE_PRODUCER = 99;
    private static long probeSeq;
    private static long rejects;

    private RestartTime()
    {
    }

    /**
     * @param args see the class.
     * @throws Exception if a run fails.
     */
    public static void main(final String[] args) throws Exception
    {
        long[] sizes = { 1_000_000, 10_000_000 };
        Path base = Path.of(System.getProperty("java.io.tmpdir"), "txmon-restart-time");
        int workers = 1;
        long interval = Engine.DEFAULT_SNAPSHOT_INTERVAL;
        int starts = 3;
        for (int i = 0; i < args.length; i++)
        {
            switch (args[i])
            {
                case "--events" -> sizes = Arrays.stream(args[++i].split(",")).mapToLong(Long::parseLong).toArray();
                case "--dir" -> base = Path.of(args[++i]);
                case "--workers" -> workers = Integer.parseInt(args[++i]);
                case "--interval" -> interval = Long.parseLong(args[++i]);
                case "--starts" -> starts = Integer.parseInt(args[++i]);
                case "--help" ->
                {
                    System.out.println("perf/restart-time [--events N,N..] [--dir DIR] [--workers K] " +
                        "[--interval EVENTS] [--starts S]");
                    return;
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i] + "; see --help");
            }
        }
        System.out.printf("%12s %10s %14s %14s %12s %14s%n",
            "events", "start ms", "replayed", "snapshot MB", "crash ms", "crash replayed");
        for (final long size : sizes)
        {
            final Path dir = base.resolve("n" + size);
            IoUtil.delete(dir.toFile(), true);
            Files.createDirectories(dir);
            probeSeq = 0;
            final Path journal = dir.resolve("journal");
            final Path snapshots = dir.resolve("snapshots");
            final long t0 = System.nanoTime();
            build(dir, journal, snapshots, workers, interval, (int)size);
            System.err.printf("journaled %,d events in %.1f s%n", size, (System.nanoTime() - t0) / 1e9);

            // a crash first: the snapshot the close wrote is lost, the newest periodic one is used
            Files.delete(newest(snapshots));
            final long[] crash = start(dir, journal, snapshots, workers, interval, 1_000_000L);
            final long[] clean = new long[starts];
            long replayed = 0;
            for (int s = 0; s < starts; s++)
            {
                final long[] result = start(dir, journal, snapshots, workers, interval, 1000L * s + 1);
                clean[s] = result[0];
                replayed = result[1];
            }
            final long snapshotBytes = newest(snapshots).toFile().length();
            Arrays.sort(clean);
            System.out.printf("%,12d %10.0f %,14d %14.1f %12.0f %,14d%n", size, clean[starts / 2] / 1e6, replayed,
                snapshotBytes / 1e6, crash[0] / 1e6, crash[1]);
            if (size == sizes[0])
            {
                final long[] none = start(dir, journal, null, workers, 0, 2_000_000L);
                System.out.printf("%,12d %10.0f %,14d %14s   (no snapshot: every event replayed)%n",
                    size, none[0] / 1e6, none[1], "-");
            }
            IoUtil.delete(dir.toFile(), true);
        }
    }

    private static Engine launch(
        final Path dir, final Path journal, final Path snapshots, final int workers, final long interval, final long run)
    {
        final ScenarioGenerator rules = new ScenarioGenerator(1);
        return Engine.launch(new Engine.Context()
            .aeronDirectoryName(dir.resolve("aeron-" + run).toString())
            .journalDir(journal)
            .alertJournalDir(dir.resolve("alerts"))
            .workerCount(workers)
            .rulesFactory((worker) -> rules.newRules())
            .unjournaledRules(true)
            .snapshotDir(snapshots)
            .snapshotInterval(interval)
            // the scenario's event times run on past the clock over ten million events
            .maxEventTimeAheadNs(Long.MAX_VALUE)
            .rejectListener(new RejectListener()
            {
                public void onReject(final RejectReason reason, final DirectBuffer buffer, final int offset, final int length)
                {
                    if (++rejects <= 10)
                    {
                        System.err.println("rejected: " + reason + (rejects == 10 ? " (no more are printed)" : ""));
                    }
                }

                public void onJournalFailure(final long status, final Exception cause)
                {
                    System.err.println("journal failure " + status + ": " + cause);
                }
            })
            .errorHandler(Throwable::printStackTrace));
    }

    private static void build(
        final Path dir, final Path journal, final Path snapshots, final int workers, final long interval, final int events)
    {
        final Engine engine = launch(dir, journal, snapshots, workers, interval, 0);
        try
        {
            final ExclusivePublication publication = engine.aeron().addExclusivePublication(
                engine.context().ingestChannel(), engine.context().ingestStreamId());
            await(publication::isConnected, "publication connected");
            final long[] sent = new long[1];
            new ScenarioGenerator(1, ScenarioGenerator.Options.defaults().withProducerId(PRODUCER)).generate(events,
                (buffer, offset, length) ->
                {
                    offer(publication, buffer, offset, length);
                    if (++sent[0] % 1_000_000 == 0)
                    {
                        System.err.printf("  %,d events sent%n", sent[0]);
                    }
                });
            final EngineCounters counters = engine.counters();
            await(() -> counters.decided() >= events, "all decided");
            CloseHelper.close(publication);
        }
        finally
        {
            CloseHelper.close(engine);
        }
    }

    /**
     * @return {ns from launch to the first new event journaled, events replayed at start}.
     */
    private static long[] start(
        final Path dir, final Path journal, final Path snapshots, final int workers, final long interval, final long run)
    {
        final UnsafeBuffer probe = new UnsafeBuffer(new byte[512]);
        final long t0 = System.nanoTime();
        final Engine engine = launch(dir, journal, snapshots, workers, interval, run);
        try
        {
            final ExclusivePublication publication = engine.aeron().addExclusivePublication(
                engine.context().ingestChannel(), engine.context().ingestStreamId());
            await(publication::isConnected, "publication connected");
            final long journaled = engine.counters().journaled();
            // a new event from a producer of its own, the next of its sequences on every start
            final int length = payment(probe, PROBE_PRODUCER, probeSeq++);
            offer(publication, probe, 0, length);
            await(() -> engine.counters().journaled() > journaled, "the new event journaled");
            final long elapsed = System.nanoTime() - t0;
            CloseHelper.close(publication);
            return new long[]{ elapsed, engine.replayedEvents() };
        }
        finally
        {
            CloseHelper.close(engine);
        }
    }

    private static Path newest(final Path snapshots) throws IOException
    {
        try (Stream<Path> files = Files.list(snapshots))
        {
            final List<Path> sorted = files.filter((p) -> p.toString().endsWith(".snap")).sorted().toList();
            return sorted.get(sorted.size() - 1);
        }
    }

    private static void offer(final Publication publication, final DirectBuffer buffer, final int offset, final int length)
    {
        final long deadline = System.nanoTime() + TIMEOUT_NS;
        long result;
        while ((result = publication.offer(buffer, offset, length)) < 0)
        {
            if (result == Publication.CLOSED || System.nanoTime() - deadline > 0)
            {
                throw new IllegalStateException("offer failed: " + result);
            }
            Thread.onSpinWait();
        }
    }

    private static void await(final java.util.function.BooleanSupplier condition, final String what)
    {
        final long deadline = System.nanoTime() + TIMEOUT_NS;
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - deadline > 0)
            {
                throw new IllegalStateException("timed out waiting for " + what);
            }
            Thread.yield();
        }
    }

    private static int payment(final UnsafeBuffer buffer, final long producerId, final long seq)
    {
        final PaymentEncoder payment = new PaymentEncoder()
            .wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .producerId(producerId)
            .producerSeq(seq)
            .eventTime(System.currentTimeMillis() * 1_000_000L)
            .txId(9_000_000_000L + seq)
            .debtorAccount(8_000_000_000L + seq)
            .creditorAccount(8_100_000_000L + seq)
            .amount(1_000)
            .currency(978)
            .channel(Channel.SEPA)
            .debtorCountry(0, (byte)'D').debtorCountry(1, (byte)'E')
            .creditorCountry(0, (byte)'F').creditorCountry(1, (byte)'R')
            .latitude(PaymentEncoder.latitudeNullValue())
            .longitude(PaymentEncoder.longitudeNullValue());
        payment.reference("");
        return MessageHeaderEncoder.ENCODED_LENGTH + payment.encodedLength();
    }
}
