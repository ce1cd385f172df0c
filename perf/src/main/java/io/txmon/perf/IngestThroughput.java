package io.txmon.perf;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import io.txmon.events.codec.Channel;
import io.txmon.events.codec.MessageHeaderEncoder;
import io.txmon.events.codec.PaymentEncoder;
import io.txmon.events.codec.Severity;
import io.txmon.journal.Durability;
import io.txmon.journal.JournalWriter;
import io.txmon.rules.Rule;
import io.txmon.rules.typology.LargeAmountRule;
import io.txmon.sequencer.Engine;
import io.txmon.sequencer.EngineCounters;
import io.txmon.sequencer.EngineErrors;
import io.txmon.transport.EmbeddedDriver;
import io.txmon.transport.TransportConfiguration;
import io.txmon.transport.TxmonPublisher;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.YieldingIdleStrategy;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * End-to-end ingest throughput, publish to journaled, next to a raw Aeron baseline measured in the same
 * run: issue 4's "txmon ingest at least 50% of raw Aeron IPC throughput".
 * <p>
 * Cases, each on its own embedded media driver ({@link EmbeddedDriver#launch(String, boolean)}, the
 * {@code compact} profile: one shared driver thread with a back-off idle strategy) in a fresh directory
 * under {@code /dev/shm} when it is writable:
 * <ul>
 *   <li>{@code raw-ipc}, {@code raw-udp}: one {@link ExclusivePublication} offered from one thread as
 *   fast as it goes (a back-pressured offer is retried after a {@link YieldingIdleStrategy} idle), one
 *   {@link Subscription} polled by another thread with a fragment limit of {@value #FRAGMENT_LIMIT}
 *   whose handler only counts, idling with the engine's own back-off when a poll is empty. Every message
 *   is one txmon payment as the producer client encodes it (SBE header, block, empty reference),
 *   {@link #paymentLength()} bytes. Time: first offer to the subscriber counting the N-th message.</li>
 *   <li>{@code txmon-<ipc|udp>-<P>p}: an {@link Engine} (compact profile, journal in a fresh directory
 *   under {@code java.io.tmpdir}, default segment length, durability {@code os}, one
 *   {@link LargeAmountRule} of 1,000,000 minor units) on that driver, with P {@link TxmonPublisher}s on
 *   the engine's Aeron client, each on its own thread publishing N/P payments as fast as it can
 *   ({@code payment()}, fields, {@code send()}; the same yielding retry). Time: first send of any
 *   producer to the moment the main thread, polling {@link EngineCounters#journaled()} with a park
 *   between looks ({@value #POLL_PARK_FAR_NS} ns, then {@value #POLL_PARK_NS} ns for the last 5%), sees
 *   N more journaled. Every payment is below the rule's threshold, so the rule runs on every event and
 *   raises nothing.</li>
 * </ul>
 * UDP is {@code aeron:udp?endpoint=127.0.0.1:<free port>}, loopback only. Per case: one warm-up run
 * (discarded), then the measured runs, all on the same driver, engine, publications and subscription; a
 * txmon run starts only once the rules have caught up with everything journaled before it.
 * <p>
 * Besides events/s, each run records where the CPU went: every Java thread's CPU time (the producers,
 * publisher and subscriber their own; the others from snapshots at the start and end of the run), the
 * JVM's process CPU (the rest is JIT, GC and VM threads) and the whole machine's busy time from
 * {@code /proc/stat} (the rest is the kernel's writeback of the journal and anything else running).
 * <p>
 * It must run with the production JVM flags ({@code bin/txmon}'s): {@code perf/ingest} does that; see
 * {@code perf/README.md}. Everything it creates is removed at the end of each case, also on failure.
 */
public final class IngestThroughput
{
    /** Fragment limit of the raw subscriber's polls; the same as the sequencer's default. */
    static final int FRAGMENT_LIMIT = 256;
    /**
     * Park of the main thread between looks at the journaled counter near the end of a run (the last 5%):
     * the end of a run is seen within about this much.
     */
    static final long POLL_PARK_NS = 50_000;
    /** Park between looks before that, so the looking costs next to no CPU. */
    static final long POLL_PARK_FAR_NS = 1_000_000;
    /** The large-amount rule's threshold; every payment sent is below it. */
    static final long THRESHOLD = 1_000_000L;
    /** Prefix of every directory this creates, under /dev/shm or java.io.tmpdir. */
    static final String TEMP_PREFIX = "txmon-ingest-";

    private static final int STREAM_ID = TransportConfiguration.DEFAULT_INGEST_STREAM_ID;
    private static final long CONNECT_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);
    private static final long SEND_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);
    private static final long JOIN_TIMEOUT_MS = 10_000;
    private static final int ACCOUNTS = 10_000;
    private static final long EVENT_TIME_BASE = 1_767_225_600_000_000_000L;
    private static final double MIN_SHOWN_CORES = 0.005;
    /** The engine's default ring size (Engine.Context). */
    private static final int DEFAULT_RING_SIZE = 16 * 1024;

    /** The cases, in the order they run. */
    static final List<Case> CASES = List.of(
        new Case("raw-ipc", false, false, 1),
        new Case("raw-udp", false, true, 1),
        new Case("txmon-ipc-1p", true, false, 1),
        new Case("txmon-ipc-4p", true, false, 4),
        new Case("txmon-udp-1p", true, true, 1),
        new Case("txmon-udp-4p", true, true, 4));

    private IngestThroughput()
    {
    }

    /**
     * Run the cases and print the results; exit status 0 when every case completed, 1 when one failed,
     * 2 on a usage error or JVM flags that differ from production.
     *
     * @param args options, see {@link Options#USAGE}.
     */
    public static void main(final String[] args)
    {
        final PrintStream out = System.out;
        final Options options;
        try
        {
            options = Options.parse(args);
        }
        catch (final IllegalArgumentException ex)
        {
            System.err.println("ingest: " + ex.getMessage());
            System.err.print(Options.USAGE);
            System.exit(2);
            return;
        }
        if (options.help)
        {
            out.print(Options.USAGE);
            return;
        }
        final String missing = missingProductionFlags();
        if (null != missing)
        {
            System.err.println("ingest: this JVM lacks " + missing + ", which production (bin/txmon) runs with; " +
                "run it through perf/ingest, or see perf/README.md for the java command");
            System.exit(2);
            return;
        }

        printMachineFacts(out, options);
        final List<CaseResult> results = run(options, out);
        printResults(out, options, results);
        boolean ok = true;
        for (final CaseResult result : results)
        {
            ok &= null == result.failure;
        }
        System.exit(ok ? 0 : 1);
    }

    /**
     * Run the selected cases one after another. A case that fails is recorded and the next one runs.
     *
     * @param options of the run.
     * @param log     for progress, one line per run.
     * @return one result per case, in order.
     */
    static List<CaseResult> run(final Options options, final PrintStream log)
    {
        final List<CaseResult> results = new ArrayList<>();
        for (final Case c : options.cases)
        {
            final CaseResult result = new CaseResult(c);
            try
            {
                if (c.txmon)
                {
                    runTxmonCase(c, options, result, log);
                }
                else
                {
                    runRawCase(c, options, result, log);
                }
            }
            catch (final Exception ex)
            {
                result.failure = ex.toString();
                log.printf("%-13s FAILED: %s%n", c.name, ex);
            }
            results.add(result);
        }
        return results;
    }

    // ----------------------------------------------------------------------------------------------------------
    // raw Aeron
    // ----------------------------------------------------------------------------------------------------------

    private static void runRawCase(final Case c, final Options options, final CaseResult result, final PrintStream log)
        throws Exception
    {
        final Path aeronDir = aeronDirectory(c.name);
        MediaDriver driver = null;
        Aeron aeron = null;
        ExclusivePublication publication = null;
        Subscription subscription = null;
        try
        {
            final String channel = BenchmarkSupport.loopbackChannel(c.udp);
            driver = EmbeddedDriver.launch(aeronDir.toString(), false);
            aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(aeronDir.toString()));
            subscription = aeron.addSubscription(channel, STREAM_ID);
            publication = aeron.addExclusivePublication(channel, STREAM_ID);
            awaitConnected(publication, subscription);

            final UnsafeBuffer message = new UnsafeBuffer(ByteBuffer.allocateDirect(256));
            final int length = encodePayment(message, 1, 0);
            result.channel = channel;
            result.messageLength = length;

            if (options.warmup > 0)
            {
                result.warmup = rawRun(c, publication, subscription, message, length, options.warmup, options);
                logRun(log, c, "warm-up", result.warmup);
            }
            for (int r = 0; r < options.runs; r++)
            {
                final RunResult run = rawRun(c, publication, subscription, message, length, options.events, options);
                result.runs.add(run);
                logRun(log, c, "run " + (r + 1), run);
            }
        }
        finally
        {
            CloseHelper.quietCloseAll(publication, subscription, aeron, driver);
            deleteQuietly(aeronDir, log);
        }
    }

    private static RunResult rawRun(
        final Case c,
        final ExclusivePublication publication,
        final Subscription subscription,
        final DirectBuffer message,
        final int length,
        final long n,
        final Options options) throws Exception
    {
        final CountDownLatch startLatch = new CountDownLatch(1);
        final AtomicReference<String> failure = new AtomicReference<>();
        final RawSubscriber subscriber = new RawSubscriber(subscription, n, failure);
        final RawPublisher publisher = new RawPublisher(publication, message, length, n, startLatch, failure);
        final Thread subscriberThread = new Thread(subscriber, "raw-subscriber");
        final Thread publisherThread = new Thread(publisher, "raw-publisher");

        final Snapshot before = Snapshot.take();
        subscriberThread.start();
        publisherThread.start();
        startLatch.countDown();

        final long deadline = System.nanoTime() + options.runTimeoutNs;
        String stacks = "";
        try
        {
            while (subscriberThread.isAlive())
            {
                final long remainingMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (remainingMs <= 0 || null != failure.get())
                {
                    stacks = String.format("; threads then:%n%s", stacks());
                    break;
                }
                subscriberThread.join(Math.min(remainingMs, 100));
            }
        }
        finally
        {
            subscriber.stop = true;
            publisher.stop = true;
            join(subscriberThread);
            join(publisherThread);
        }
        final Snapshot after = Snapshot.take();

        if (null != failure.get())
        {
            throw new IllegalStateException(c.name + ": " + failure.get() + stacks);
        }
        if (subscriber.counted != n)
        {
            throw new IllegalStateException(String.format(
                "%s: timed out after %d s with %,d of %,d counted%s", c.name,
                TimeUnit.NANOSECONDS.toSeconds(options.runTimeoutNs), subscriber.counted, n, stacks));
        }

        final RunResult run = new RunResult(n, subscriber.counted, subscriber.endNs - publisher.firstSendNs);
        publisher.cpu.addTo(run, "raw-publisher");
        subscriber.cpu.addTo(run, "raw-subscriber");
        run.backPressured = publisher.backPressured;
        before.diffInto(after, run);
        return run;
    }

    /** Offers one message N times, as fast as it can. */
    private static final class RawPublisher implements Runnable
    {
        private final ExclusivePublication publication;
        private final DirectBuffer message;
        private final int length;
        private final long n;
        private final CountDownLatch startLatch;
        private final AtomicReference<String> failure;
        volatile boolean stop;
        long firstSendNs;
        final ThreadCpu cpu = new ThreadCpu();
        long backPressured;

        RawPublisher(
            final ExclusivePublication publication,
            final DirectBuffer message,
            final int length,
            final long n,
            final CountDownLatch startLatch,
            final AtomicReference<String> failure)
        {
            this.publication = publication;
            this.message = message;
            this.length = length;
            this.n = n;
            this.startLatch = startLatch;
            this.failure = failure;
        }

        public void run()
        {
            try
            {
                startLatch.await();
                final IdleStrategy idle = new YieldingIdleStrategy();
                final ExclusivePublication publication = this.publication;
                cpu.start();
                firstSendNs = System.nanoTime();
                long backPressured = 0;
                for (long i = 0; i < n; i++)
                {
                    long result;
                    while ((result = publication.offer(message, 0, length)) < 0)
                    {
                        if (result == Publication.CLOSED || result == Publication.MAX_POSITION_EXCEEDED)
                        {
                            failure.compareAndSet(null, "raw publisher: offer failed with " + result);
                            return;
                        }
                        if (result == Publication.BACK_PRESSURED)
                        {
                            backPressured++;
                        }
                        if (stop)
                        {
                            return;
                        }
                        idle.idle();
                    }
                }
                this.backPressured = backPressured;
                cpu.stop();
            }
            catch (final Throwable ex)
            {
                failure.compareAndSet(null, "raw publisher: " + ex);
            }
        }
    }

    /** Polls the subscription and counts fragments, nothing else, until it has counted N. */
    private static final class RawSubscriber implements Runnable, FragmentHandler
    {
        private final Subscription subscription;
        private final long n;
        private final AtomicReference<String> failure;
        volatile boolean stop;
        long counted;
        long endNs;
        final ThreadCpu cpu = new ThreadCpu();

        RawSubscriber(final Subscription subscription, final long n, final AtomicReference<String> failure)
        {
            this.subscription = subscription;
            this.n = n;
            this.failure = failure;
        }

        public void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
        {
            counted++;
        }

        public void run()
        {
            try
            {
                // the same idle as the engine's sequencer in the compact profile
                final IdleStrategy idle = EmbeddedDriver.backoff();
                final Subscription subscription = this.subscription;
                cpu.start();
                while (counted < n && !stop)
                {
                    idle.idle(subscription.poll(this, FRAGMENT_LIMIT));
                }
                endNs = System.nanoTime();
                cpu.stop();
            }
            catch (final Throwable ex)
            {
                failure.compareAndSet(null, "raw subscriber: " + ex);
            }
        }
    }

    // ----------------------------------------------------------------------------------------------------------
    // txmon engine
    // ----------------------------------------------------------------------------------------------------------

    private static void runTxmonCase(final Case c, final Options options, final CaseResult result, final PrintStream log)
        throws Exception
    {
        final Path aeronDir = aeronDirectory(c.name);
        Path journalDir = null;
        MediaDriver driver = null;
        Engine engine = null;
        final TxmonPublisher[] publishers = new TxmonPublisher[c.producers];
        try
        {
            final String channel = BenchmarkSupport.loopbackChannel(c.udp);
            journalDir = Files.createTempDirectory(TEMP_PREFIX + "journal-");
            driver = EmbeddedDriver.launch(aeronDir.toString(), false);
            final EngineErrors errors = new EngineErrors();
            engine = Engine.launch(new Engine.Context()
                .aeronDirectoryName(aeronDir.toString())
                .embeddedDriver(false)
                .journalDir(journalDir)
                .durability(Durability.OS)
                .segmentLength(options.segmentLength)
                .ringSize(options.ringSize)
                .ingestChannel(channel)
                .ingestStreamId(STREAM_ID)
                .errorHandler(errors)
                // a measurement of ingest whose temporary journal no one replays: the rule runs fixed, and
                // decided == journaled holds from the first event
                .unjournaledRules(true)
                .rulesFactory((worker) -> new Rule[]{ new LargeAmountRule(THRESHOLD, Severity.HIGH) }));
            for (int p = 0; p < c.producers; p++)
            {
                publishers[p] = new TxmonPublisher(
                    engine.aeron(), channel, STREAM_ID, p + 1, 0, new YieldingIdleStrategy(), SEND_TIMEOUT_NS);
            }
            for (final TxmonPublisher publisher : publishers)
            {
                if (!publisher.awaitConnected(CONNECT_TIMEOUT_NS))
                {
                    throw new IllegalStateException(c.name + ": producer " + publisher.producerId() +
                        " did not connect to the engine within 10 s");
                }
            }
            result.channel = channel;
            result.messageLength = paymentLength();
            result.journalDir = journalDir;

            if (options.warmup > 0)
            {
                result.warmup = txmonRun(c, engine, errors, publishers, options.warmup, options);
                logRun(log, c, "warm-up", result.warmup);
            }
            for (int r = 0; r < options.runs; r++)
            {
                final RunResult run = txmonRun(c, engine, errors, publishers, options.events, options);
                result.runs.add(run);
                logRun(log, c, "run " + (r + 1), run);
            }
        }
        finally
        {
            CloseHelper.quietCloseAll(publishers);
            CloseHelper.quietCloseAll(engine, driver);
            deleteQuietly(aeronDir, log);
            deleteQuietly(journalDir, log);
        }
    }

    private static RunResult txmonRun(
        final Case c,
        final Engine engine,
        final EngineErrors errors,
        final TxmonPublisher[] publishers,
        final long n,
        final Options options) throws Exception
    {
        final EngineCounters counters = engine.counters();
        final long runDeadline = System.nanoTime() + options.runTimeoutNs;
        // start from a quiet engine: the rules have taken everything journaled so far
        awaitDecided(c, counters, counters.journaled(), runDeadline);
        final long journaledBefore = counters.journaled();
        final long target = journaledBefore + n;

        final int p = publishers.length;
        final CountDownLatch startLatch = new CountDownLatch(1);
        final AtomicReference<String> failure = new AtomicReference<>();
        final Producer[] producers = new Producer[p];
        final Thread[] threads = new Thread[p];
        for (int i = 0; i < p; i++)
        {
            final long count = n / p + (i < n % p ? 1 : 0);
            producers[i] = new Producer(publishers[i], count, startLatch, failure);
            threads[i] = new Thread(producers[i], "txmon-producer-" + (i + 1));
        }

        final Snapshot before = Snapshot.take();
        for (final Thread thread : threads)
        {
            thread.start();
        }
        startLatch.countDown();

        long journaled;
        String stacks = "";
        try
        {
            while ((journaled = counters.journaled()) < target)
            {
                if (null != failure.get() || System.nanoTime() - runDeadline > 0)
                {
                    // what the engine was doing while it did not take the events: part of the failure
                    stacks = String.format("; received %,d, journaled %,d of %,d, decided %,d; threads then:%n%s",
                        counters.received() - journaledBefore, journaled - journaledBefore, n,
                        counters.decided() - journaledBefore, stacks());
                    break;
                }
                LockSupport.parkNanos(target - journaled > n / 20 ? POLL_PARK_FAR_NS : POLL_PARK_NS);
            }
        }
        finally
        {
            for (final Producer producer : producers)
            {
                producer.stop = true;
            }
        }
        final long endNs = System.nanoTime();
        final Snapshot after = Snapshot.take();
        final long decidedAtEnd = counters.decided() - journaledBefore;
        for (final Thread thread : threads)
        {
            join(thread);
        }

        if (null != failure.get())
        {
            throw new IllegalStateException(c.name + ": " + failure.get() + stacks);
        }
        if (journaled < target)
        {
            throw new IllegalStateException(String.format(
                "%s: timed out after %d s%s", c.name, TimeUnit.NANOSECONDS.toSeconds(options.runTimeoutNs), stacks));
        }
        // untimed: let the rules finish, so the next run starts quiet and the counts below are final
        awaitDecided(c, counters, target, runDeadline + TimeUnit.SECONDS.toNanos(30));

        long firstSendNs = Long.MAX_VALUE;
        final RunResult run = new RunResult(n, counters.journaled() - journaledBefore, 0);
        for (int i = 0; i < p; i++)
        {
            firstSendNs = Math.min(firstSendNs, producers[i].firstSendNs);
            producers[i].cpu.addTo(run, threads[i].getName());
            run.backPressured += producers[i].backPressured;
        }
        run.elapsedNs = endNs - firstSendNs;
        run.decidedAtEnd = decidedAtEnd;
        before.diffInto(after, run);

        final String problem = engineProblem(counters, errors);
        if (null != problem)
        {
            throw new IllegalStateException(c.name + ": " + problem);
        }
        if (run.counted != n)
        {
            throw new IllegalStateException(String.format(
                "%s: %,d journaled where %,d were sent", c.name, run.counted, n));
        }
        return run;
    }

    private static String engineProblem(final EngineCounters counters, final EngineErrors errors)
    {
        if (counters.rejected() != 0 || counters.duplicates() != 0 || counters.journalErrors() != 0 ||
            counters.sequenceGaps() != 0 || counters.ruleErrors() != 0 || counters.alerts() != 0)
        {
            return String.format(
                "rejected %d, duplicates %d, journal errors %d, sequence gaps %d, rule errors %d, alerts %d " +
                "(all should be 0)", counters.rejected(), counters.duplicates(), counters.journalErrors(),
                counters.sequenceGaps(), counters.ruleErrors(), counters.alerts());
        }
        if (errors.count() != 0)
        {
            return errors.count() + " engine errors, first " + errors.distinct().get(0);
        }
        return null;
    }

    private static void awaitDecided(final Case c, final EngineCounters counters, final long target, final long deadline)
    {
        while (counters.decided() < target)
        {
            if (System.nanoTime() - deadline > 0)
            {
                throw new IllegalStateException(String.format(
                    "%s: the rules did not catch up: %,d of %,d decided", c.name, counters.decided(), target));
            }
            LockSupport.parkNanos(POLL_PARK_NS);
        }
    }

    /** One producer thread: N payments through a {@link TxmonPublisher}, as fast as it takes them. */
    private static final class Producer implements Runnable
    {
        private final TxmonPublisher publisher;
        private final long count;
        private final CountDownLatch startLatch;
        private final AtomicReference<String> failure;
        volatile boolean stop;
        long firstSendNs = Long.MAX_VALUE;
        final ThreadCpu cpu = new ThreadCpu();
        long backPressured;

        Producer(
            final TxmonPublisher publisher,
            final long count,
            final CountDownLatch startLatch,
            final AtomicReference<String> failure)
        {
            this.publisher = publisher;
            this.count = count;
            this.startLatch = startLatch;
            this.failure = failure;
        }

        public void run()
        {
            try
            {
                startLatch.await();
                final TxmonPublisher publisher = this.publisher;
                final long producerId = publisher.producerId();
                final long backPressuredBefore = publisher.backPressureCount();
                cpu.start();
                firstSendNs = System.nanoTime();
                for (long i = 0; i < count; i++)
                {
                    fillPayment(publisher.payment(), producerId, publisher.nextProducerSeq());
                    final long result = publisher.send();
                    if (result < 0)
                    {
                        failure.compareAndSet(null, "producer " + producerId + ": " + TxmonPublisher.describe(result));
                        return;
                    }
                    if (stop)
                    {
                        return;
                    }
                }
                cpu.stop();
                backPressured = publisher.backPressureCount() - backPressuredBefore;
            }
            catch (final Throwable ex)
            {
                failure.compareAndSet(null, "producer " + publisher.producerId() + ": " + ex);
            }
        }
    }

    // ----------------------------------------------------------------------------------------------------------
    // payments
    // ----------------------------------------------------------------------------------------------------------

    /**
     * Fill a payment's fields after its producer id and sequence: cheap, deterministic, valid, and always
     * below {@link #THRESHOLD}.
     */
    static void fillPayment(final PaymentEncoder payment, final long producerId, final long i)
    {
        final long debtor = 1 + (i * 7 + producerId) % ACCOUNTS;
        final long creditor = debtor % ACCOUNTS + 1;
        payment
            .eventTime(EVENT_TIME_BASE + i * 1000)
            .txId(producerId * 1_000_000_000_000L + i)
            .debtorAccount(debtor)
            .creditorAccount(creditor)
            .amount(100 + (i * 7919) % (THRESHOLD - 100))
            .currency(978)
            .channel(Channel.SEPA)
            .debtorCountry(0, (byte)'D').debtorCountry(1, (byte)'E')
            .creditorCountry(0, (byte)'F').creditorCountry(1, (byte)'R')
            .latitude(0)
            .longitude(0);
    }

    /**
     * Encode the payment a producer would send, with an empty reference.
     *
     * @return its length: SBE header, block and the empty reference's length prefix.
     */
    static int encodePayment(final UnsafeBuffer buffer, final long producerId, final long producerSeq)
    {
        final PaymentEncoder payment = new PaymentEncoder();
        payment.wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .producerId(producerId)
            .producerSeq(producerSeq);
        fillPayment(payment, producerId, producerSeq);
        payment.putReference(buffer, 0, 0);
        return MessageHeaderEncoder.ENCODED_LENGTH + payment.encodedLength();
    }

    /**
     * @return the length of one encoded payment with an empty reference, the message size of every case.
     */
    static int paymentLength()
    {
        return encodePayment(new UnsafeBuffer(ByteBuffer.allocateDirect(256)), 1, 0);
    }

    // ----------------------------------------------------------------------------------------------------------
    // measurement support
    // ----------------------------------------------------------------------------------------------------------

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** CPU and user time of the current thread over a stretch of its work. */
    private static final class ThreadCpu
    {
        private long cpuStart;
        private long userStart;
        long cpuNs;
        long userNs;

        void start()
        {
            cpuStart = THREADS.getCurrentThreadCpuTime();
            userStart = THREADS.getCurrentThreadUserTime();
        }

        void stop()
        {
            cpuNs = THREADS.getCurrentThreadCpuTime() - cpuStart;
            userNs = THREADS.getCurrentThreadUserTime() - userStart;
        }

        void addTo(final RunResult run, final String name)
        {
            run.threadCpuNs.merge(name, cpuNs, Long::sum);
            run.threadUserNs.merge(name, userNs, Long::sum);
        }
    }

    /** CPU time of every live Java thread, of the process and of the machine, and GC counts, at one moment. */
    private static final class Snapshot
    {
        final long nanoTime = System.nanoTime();
        final Map<Long, String> names = new LinkedHashMap<>();
        final Map<Long, Long> cpuNs = new LinkedHashMap<>();
        final Map<Long, Long> userNs = new LinkedHashMap<>();
        final long processCpuNs;
        final long[] machineTicks;
        final long gcCount;
        final long gcTimeMs;

        private Snapshot()
        {
            final long[] ids = THREADS.getAllThreadIds();
            final ThreadInfo[] infos = THREADS.getThreadInfo(ids);
            for (int i = 0; i < ids.length; i++)
            {
                final long cpu = THREADS.getThreadCpuTime(ids[i]);
                if (null != infos[i] && cpu >= 0)
                {
                    names.put(ids[i], infos[i].getThreadName());
                    cpuNs.put(ids[i], cpu);
                    userNs.put(ids[i], Math.max(0, THREADS.getThreadUserTime(ids[i])));
                }
            }
            processCpuNs = processCpuNs();
            machineTicks = machineTicks();
            long count = 0;
            long time = 0;
            for (final GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans())
            {
                count += Math.max(0, gc.getCollectionCount());
                time += Math.max(0, gc.getCollectionTime());
            }
            gcCount = count;
            gcTimeMs = time;
        }

        static Snapshot take()
        {
            return new Snapshot();
        }

        /**
         * Add the CPU used between this snapshot and a later one to a run: by thread (threads alive at both),
         * by the process, by the machine.
         */
        void diffInto(final Snapshot after, final RunResult run)
        {
            for (final Map.Entry<Long, Long> e : cpuNs.entrySet())
            {
                final Long end = after.cpuNs.get(e.getKey());
                if (null != end)
                {
                    run.threadCpuNs.merge(names.get(e.getKey()), end - e.getValue(), Long::sum);
                    final Long userEnd = after.userNs.get(e.getKey());
                    run.threadUserNs.merge(
                        names.get(e.getKey()), null == userEnd ? 0 : userEnd - userNs.get(e.getKey()), Long::sum);
                }
            }
            run.snapshotNs = after.nanoTime - nanoTime;
            run.processCpuNs = after.processCpuNs - processCpuNs;
            run.gcCount = after.gcCount - gcCount;
            run.gcTimeMs = after.gcTimeMs - gcTimeMs;
            if (null != machineTicks && null != after.machineTicks)
            {
                final long total = after.machineTicks[0] - machineTicks[0];
                if (total > 0)
                {
                    final int cores = Runtime.getRuntime().availableProcessors();
                    run.machineBusyCores = cores * (double)(after.machineTicks[1] - machineTicks[1]) / total;
                    run.machineStealCores = cores * (double)(after.machineTicks[2] - machineTicks[2]) / total;
                }
            }
        }
    }

    private static long processCpuNs()
    {
        final java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean)
        {
            return ((com.sun.management.OperatingSystemMXBean)os).getProcessCpuTime();
        }
        return -1;
    }

    /**
     * The first line of /proc/stat: total ticks, busy ticks (not idle, not iowait), steal ticks; null where
     * there is no /proc/stat.
     */
    private static long[] machineTicks()
    {
        try
        {
            final String line = Files.readAllLines(Path.of("/proc/stat"), StandardCharsets.US_ASCII).get(0);
            final String[] f = line.trim().split("\\s+");
            long total = 0;
            // user nice system idle iowait irq softirq steal (guest time is already in user)
            for (int i = 1; i <= 8 && i < f.length; i++)
            {
                total += Long.parseLong(f[i]);
            }
            final long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
            final long steal = f.length > 8 ? Long.parseLong(f[8]) : 0;
            return new long[]{ total, total - idle, steal };
        }
        catch (final IOException | RuntimeException ex)
        {
            return null;
        }
    }

    /** The stacks of the threads that move events (not the JVM's own), top frames only. */
    private static String stacks()
    {
        final StringBuilder text = new StringBuilder();
        for (final Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet())
        {
            final String name = e.getKey().getName();
            if (name.startsWith("txmon-") || name.startsWith("raw-") || name.startsWith("aeron") ||
                name.contains("driver-conductor"))
            {
                text.append("  \"").append(shortName(name)).append("\" ").append(e.getKey().getState())
                    .append(System.lineSeparator());
                final StackTraceElement[] frames = e.getValue();
                for (int i = 0; i < Math.min(frames.length, 14); i++)
                {
                    text.append("      at ").append(frames[i]).append(System.lineSeparator());
                }
            }
        }
        return text.toString();
    }

    private static void join(final Thread thread) throws InterruptedException
    {
        thread.join(JOIN_TIMEOUT_MS);
        if (thread.isAlive())
        {
            throw new IllegalStateException(thread.getName() + " did not stop within " + JOIN_TIMEOUT_MS + " ms");
        }
    }

    private static void awaitConnected(final Publication publication, final Subscription subscription)
    {
        final long deadline = System.nanoTime() + CONNECT_TIMEOUT_NS;
        while (!publication.isConnected() || !subscription.isConnected())
        {
            if (System.nanoTime() - deadline > 0)
            {
                throw new IllegalStateException("publication and subscription did not connect within 10 s");
            }
            LockSupport.parkNanos(POLL_PARK_NS);
        }
    }

    /** A fresh driver directory path (the driver creates it): under /dev/shm where writable. */
    private static Path aeronDirectory(final String caseName)
    {
        final Path shm = Path.of("/dev/shm");
        final Path base = Files.isDirectory(shm) && Files.isWritable(shm) ?
            shm : Path.of(System.getProperty("java.io.tmpdir"));
        return base.resolve(TEMP_PREFIX + caseName + "-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
    }

    private static void deleteQuietly(final Path dir, final PrintStream log)
    {
        try
        {
            BenchmarkSupport.deleteRecursively(dir);
        }
        catch (final IOException | RuntimeException ex)
        {
            log.println("ingest: could not delete " + dir + ": " + ex);
        }
    }

    /**
     * The production flags this JVM lacks, or null: the export Aeron and Agrona need, and the open the
     * journal's fast CRC32C path needs.
     */
    static String missingProductionFlags()
    {
        final Module base = Object.class.getModule();
        final Module self = IngestThroughput.class.getModule();
        final List<String> missing = new ArrayList<>();
        if (!base.isExported("jdk.internal.misc", self))
        {
            missing.add("--add-exports java.base/jdk.internal.misc=ALL-UNNAMED");
        }
        if (!base.isOpen("java.util.zip", self))
        {
            missing.add("--add-opens java.base/java.util.zip=ALL-UNNAMED");
        }
        return missing.isEmpty() ? null : String.join(" and ", missing);
    }

    // ----------------------------------------------------------------------------------------------------------
    // output
    // ----------------------------------------------------------------------------------------------------------

    private static void logRun(final PrintStream log, final Case c, final String label, final RunResult run)
    {
        log.printf(Locale.ROOT, "%-13s %-8s %,11d events in %7.3f s = %,12.0f events/s  (machine busy %.2f cores)%n",
            c.name, label, run.counted, run.elapsedNs / 1e9, run.eventsPerSecond(), run.machineBusyCores);
    }

    private static void printMachineFacts(final PrintStream out, final Options options)
    {
        final Runtime runtime = Runtime.getRuntime();
        out.println("txmon ingest throughput: publish -> journaled, against raw Aeron");
        out.printf(Locale.ROOT, "  machine   %d cores available to the JVM, %s; %s %s %s%n",
            runtime.availableProcessors(), cpuModel(), System.getProperty("os.name"),
            System.getProperty("os.version"), System.getProperty("os.arch"));
        out.printf(Locale.ROOT, "  jvm       %s %s (%s), max heap %,d MiB, GC %s%n",
            System.getProperty("java.vm.name"), System.getProperty("java.runtime.version"),
            System.getProperty("java.vm.vendor"), runtime.maxMemory() >> 20, gcNames());
        out.printf("  jvm args  %s%n", String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
        out.printf("  checks    agrona bounds checks %s, SBE precedence checks %s (production: both on)%n",
            Boolean.getBoolean("agrona.disable.bounds.checks") ? "OFF" : "on",
            Boolean.parseBoolean(System.getProperty("sbe.enable.precedence.checks",
                Boolean.toString(!Boolean.getBoolean("agrona.disable.bounds.checks")))) ? "on" : "OFF");
        out.printf(Locale.ROOT, "  run       %,d events per run, %d measured runs per case after a warm-up of %,d; " +
            "message %d bytes (one payment, empty reference)%n",
            options.events, options.runs, options.warmup, paymentLength());
        out.printf("  driver    embedded, compact profile (one shared thread, back-off idle), dir under %s%n",
            aeronDirectory("x").getParent());
        out.printf("  journal   under %s, %d MiB segments%s, durability os; ring %d slots%s%n",
            System.getProperty("java.io.tmpdir"), options.segmentLength >> 20,
            options.segmentLength == JournalWriter.DEFAULT_SEGMENT_LENGTH ? "" : " (NOT the default)",
            options.ringSize, options.ringSize == DEFAULT_RING_SIZE ? "" : " (NOT the default)");
        out.println();
    }

    private static String cpuModel()
    {
        try
        {
            for (final String line : Files.readAllLines(Path.of("/proc/cpuinfo"), StandardCharsets.US_ASCII))
            {
                if (line.startsWith("model name"))
                {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            // not Linux: the model is not essential
        }
        return "cpu model unknown";
    }

    private static String gcNames()
    {
        final List<String> names = new ArrayList<>();
        for (final GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans())
        {
            names.add(gc.getName());
        }
        return String.join(", ", names);
    }

    private static void printResults(final PrintStream out, final Options options, final List<CaseResult> results)
    {
        final double rawIpc = medianOf(results, "raw-ipc");
        final double rawUdp = medianOf(results, "raw-udp");

        out.println();
        out.printf(Locale.ROOT, "ingest throughput, events/s (N = %,d per run, %d runs; median, then each run)%n",
            options.events, options.runs);
        final StringBuilder header = new StringBuilder();
        header.append(String.format("%-13s %12s ", "case", "median"));
        for (int r = 0; r < options.runs; r++)
        {
            header.append(String.format("%12s ", "run " + (r + 1)));
        }
        header.append(String.format("%14s %14s", "/ raw-ipc", "/ raw-udp"));
        out.println(header);
        for (final CaseResult result : results)
        {
            final StringBuilder line = new StringBuilder();
            line.append(String.format("%-13s ", result.c.name));
            if (null != result.failure)
            {
                line.append("FAILED: ").append(result.failure);
                out.println(line);
                continue;
            }
            line.append(String.format(Locale.ROOT, "%,12.0f ", result.median()));
            for (final RunResult run : result.runs)
            {
                line.append(String.format(Locale.ROOT, "%,12.0f ", run.eventsPerSecond()));
            }
            final boolean isRawIpc = "raw-ipc".equals(result.c.name);
            line.append(String.format("%14s ", isRawIpc ? "" : ratio(result.median(), rawIpc)));
            line.append(String.format("%14s", result.c.udp && !"raw-udp".equals(result.c.name) ?
                ratio(result.median(), rawUdp) : ""));
            out.println(line);
        }
        out.println("target: txmon ingest >= 0.50 of raw-ipc");

        out.println();
        out.printf("where the CPU went, in cores busy (CPU time / wall time, mean of the measured runs; %d cores)%n",
            Runtime.getRuntime().availableProcessors());
        for (final CaseResult result : results)
        {
            if (null != result.failure || result.runs.isEmpty())
            {
                continue;
            }
            printCpu(out, result);
        }
    }

    private static void printCpu(final PrintStream out, final CaseResult result)
    {
        long wallNs = 0;
        long snapshotNs = 0;
        long processNs = 0;
        double machine = 0;
        double steal = 0;
        long gcCount = 0;
        long gcTimeMs = 0;
        long backPressured = 0;
        long counted = 0;
        long decidedAtEnd = 0;
        final Map<String, Long> byThread = new LinkedHashMap<>();
        final Map<String, Long> userByThread = new LinkedHashMap<>();
        for (final RunResult run : result.runs)
        {
            wallNs += run.elapsedNs;
            snapshotNs += run.snapshotNs;
            processNs += run.processCpuNs;
            machine += run.machineBusyCores * run.snapshotNs;
            steal += run.machineStealCores * run.snapshotNs;
            gcCount += run.gcCount;
            gcTimeMs += run.gcTimeMs;
            backPressured += run.backPressured;
            counted += run.counted;
            decidedAtEnd += run.decidedAtEnd;
            run.threadCpuNs.forEach((name, ns) -> byThread.merge(name, ns, Long::sum));
            run.threadUserNs.forEach((name, ns) -> userByThread.merge(name, ns, Long::sum));
        }
        final double window = snapshotNs;
        double javaThreads = 0;
        final StringBuilder threads = new StringBuilder();
        final List<Map.Entry<String, Long>> sorted = new ArrayList<>(byThread.entrySet());
        sorted.sort((a, b) -> Long.compare(b.getValue(), a.getValue()));
        for (final Map.Entry<String, Long> e : sorted)
        {
            final double cores = e.getValue() / window;
            javaThreads += cores;
            if (cores >= MIN_SHOWN_CORES)
            {
                final double sys = Math.max(0, e.getValue() - userByThread.getOrDefault(e.getKey(), 0L)) / window;
                threads.append(String.format(
                    Locale.ROOT, "%n      %-42s %5.2f  (kernel %4.2f)", shortName(e.getKey()), cores, sys));
            }
        }
        final double process = processNs / window;
        out.printf(Locale.ROOT, "  %s (%s, %d B messages): machine %.2f, this JVM %.2f " +
            "(Java threads %.2f, JIT/GC/VM %.2f), outside it %.2f%s%n",
            result.c.name, result.channel, result.messageLength, machine / window, process, javaThreads,
            process - javaThreads, machine / window - process,
            steal / window >= 0.01 ? String.format(Locale.ROOT, " (of which steal %.2f)", steal / window) : "");
        out.printf(Locale.ROOT, "    %.3f s timed per run; back-pressured offers %.2f per event; GC %d collections, %d ms%s%n",
            wallNs / 1e9 / result.runs.size(), (double)backPressured / Math.max(1, counted), gcCount, gcTimeMs,
            result.c.txmon ? String.format(Locale.ROOT, "; rules behind the journal at the end: %,d events",
            (counted - decidedAtEnd) / result.runs.size()) : "");
        out.println("    threads (>= " + MIN_SHOWN_CORES + " cores; of it in the kernel):" + threads);
    }

    /** The driver's agent is named after its directory: keep the role. */
    private static String shortName(final String threadName)
    {
        return threadName.replaceFirst("^\\S*" + TEMP_PREFIX + "\\S*\\s+", "driver ");
    }

    private static String ratio(final double value, final double of)
    {
        return Double.isNaN(of) || of <= 0 ? "-" : String.format(Locale.ROOT, "%.2f", value / of);
    }

    private static double medianOf(final List<CaseResult> results, final String name)
    {
        for (final CaseResult result : results)
        {
            if (result.c.name.equals(name) && null == result.failure && !result.runs.isEmpty())
            {
                return result.median();
            }
        }
        return Double.NaN;
    }

    // ----------------------------------------------------------------------------------------------------------
    // model
    // ----------------------------------------------------------------------------------------------------------

    /** One case: raw Aeron or txmon, IPC or UDP loopback, how many producers. */
    static final class Case
    {
        final String name;
        final boolean txmon;
        final boolean udp;
        final int producers;

        Case(final String name, final boolean txmon, final boolean udp, final int producers)
        {
            this.name = name;
            this.txmon = txmon;
            this.udp = udp;
            this.producers = producers;
        }

        public String toString()
        {
            return name;
        }
    }

    /** One timed run. */
    static final class RunResult
    {
        final long events;
        final long counted;
        long elapsedNs;
        long snapshotNs;
        final Map<String, Long> threadCpuNs = new LinkedHashMap<>();
        final Map<String, Long> threadUserNs = new LinkedHashMap<>();
        long processCpuNs;
        double machineBusyCores;
        double machineStealCores;
        long gcCount;
        long gcTimeMs;
        long backPressured;
        long decidedAtEnd;

        RunResult(final long events, final long counted, final long elapsedNs)
        {
            this.events = events;
            this.counted = counted;
            this.elapsedNs = elapsedNs;
        }

        double eventsPerSecond()
        {
            return elapsedNs > 0 ? counted * 1e9 / elapsedNs : 0;
        }
    }

    /** A case's warm-up and measured runs, or why it failed. */
    static final class CaseResult
    {
        final Case c;
        final List<RunResult> runs = new ArrayList<>();
        RunResult warmup;
        String failure;
        String channel;
        int messageLength;
        Path journalDir;

        CaseResult(final Case c)
        {
            this.c = c;
        }

        double median()
        {
            final double[] values = new double[runs.size()];
            for (int i = 0; i < values.length; i++)
            {
                values[i] = runs.get(i).eventsPerSecond();
            }
            Arrays.sort(values);
            final int mid = values.length / 2;
            return values.length % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
        }
    }

    /** Command-line options. */
    static final class Options
    {
        static final String USAGE = String.join(System.lineSeparator(),
            "usage: perf/ingest [options]",
            "",
            "  --events N      events per measured run, all producers together (default 2000000)",
            "  --runs R        measured runs per case (default 3)",
            "  --warmup N      events of the discarded warm-up run per case, 0 for none (default 500000)",
            "  --cases LIST    comma-separated cases to run (default all: " + caseNames() + ")",
            "  --timeout S     longest a single run may take, seconds (default 120)",
            "  --help          this text",
            "",
            "diagnostics, not the production configuration:",
            "  --segment-mib M journal segment length in MiB, 1 to 1024 (default 64, the engine's)",
            "  --ring-size N   ring slots, a power of two (default " + DEFAULT_RING_SIZE + ", the engine's)",
            "");

        long events = 2_000_000;
        int runs = 3;
        long warmup = 500_000;
        List<Case> cases = CASES;
        long runTimeoutNs = TimeUnit.SECONDS.toNanos(120);
        int segmentLength = JournalWriter.DEFAULT_SEGMENT_LENGTH;
        int ringSize = DEFAULT_RING_SIZE;
        boolean help;

        static Options parse(final String[] args)
        {
            final Options options = new Options();
            BenchmarkSupport.forEachOption(args, () -> options.help = true, (arg, value) ->
            {
                switch (arg)
                {
                    case "--events":
                        options.events = BenchmarkSupport.number(arg, value, 1, 1_000_000_000L);
                        break;
                    case "--runs":
                        options.runs = (int)BenchmarkSupport.number(arg, value, 1, 100);
                        break;
                    case "--warmup":
                        options.warmup = BenchmarkSupport.number(arg, value, 0, 1_000_000_000L);
                        break;
                    case "--segment-mib":
                        options.segmentLength = (int)(BenchmarkSupport.number(arg, value, 1, 1024) << 20);
                        break;
                    case "--ring-size":
                        options.ringSize = (int)BenchmarkSupport.number(arg, value, 64, 1 << 24);
                        if (Integer.bitCount(options.ringSize) != 1)
                        {
                            throw new IllegalArgumentException("--ring-size must be a power of two, was " + value);
                        }
                        break;
                    case "--timeout":
                        options.runTimeoutNs = TimeUnit.SECONDS.toNanos(BenchmarkSupport.number(arg, value, 1, 86_400));
                        break;
                    case "--cases":
                        options.cases = cases(value);
                        break;
                    default:
                        throw new IllegalArgumentException("unknown option " + arg);
                }
            });
            return options;
        }

        private static List<Case> cases(final String list)
        {
            final List<Case> selected = new ArrayList<>();
            for (final String name : list.split(","))
            {
                Case found = null;
                for (final Case c : CASES)
                {
                    if (c.name.equals(name.trim()))
                    {
                        found = c;
                    }
                }
                if (null == found)
                {
                    throw new IllegalArgumentException("--cases: unknown case '" + name + "'; cases: " + caseNames());
                }
                if (!selected.contains(found))
                {
                    selected.add(found);
                }
            }
            return selected;
        }

        private static String caseNames()
        {
            final List<String> names = new ArrayList<>();
            for (final Case c : CASES)
            {
                names.add(c.name);
            }
            return String.join(",", names);
        }
    }
}
