package io.txmon.sequencer;

import io.aeron.Aeron;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.txmon.transport.EmbeddedDriver;
import io.txmon.transport.TxmonPublisher;
import org.agrona.CloseHelper;
import org.agrona.concurrent.YieldingIdleStrategy;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;

import static io.txmon.sequencer.EngineTestSupport.fillPayment;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The engine runs in a child JVM on a media driver in this JVM; producers with acknowledgements run here. The
 * child is killed (SIGKILL) in the middle of a burst, a new child starts on the same journal, and the producers
 * carry on: whatever they were told is journaled must be there exactly once, whatever was not must be resent by
 * them and journaled once, in each producer's order, at dense offsets.
 */
class RestartResendTest
{
    private static final int PRODUCERS = 2;
    private static final int EVENTS_PER_PRODUCER = 100_000;
    private static final long FIRST_PRODUCER_ID = 201;
    /** Each producer sends at most one event per this many ns: the burst lasts long enough to be cut. */
    private static final long PACE_NS = 15_000;
    private static final long CHILD_START_TIMEOUT_MS = 30_000;
    private static final long LOAD_DEADLINE_NS = TimeUnit.SECONDS.toNanos(60);

    @TempDir
    Path tempDir;

    /**
     * A driver that notices a dead client within about two seconds.
     */
    static MediaDriver launchDriver(final Path dir)
    {
        return MediaDriver.launch(new MediaDriver.Context()
            .aeronDirectoryName(dir.toString())
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true)
            .threadingMode(ThreadingMode.SHARED)
            .sharedIdleStrategy(EmbeddedDriver.backoff())
            .termBufferSparseFile(true)
            .ipcTermBufferLength(8 * 1024 * 1024)
            .publicationTermBufferLength(8 * 1024 * 1024)
            .spiesSimulateConnection(false)
            .printConfigurationOnStart(false)
            .warnIfDirectoryExists(false)
            .clientLivenessTimeoutNs(TimeUnit.SECONDS.toNanos(2))
            .imageLivenessTimeoutNs(TimeUnit.SECONDS.toNanos(2))
            .publicationUnblockTimeoutNs(TimeUnit.SECONDS.toNanos(3))
            .publicationConnectionTimeoutNs(TimeUnit.SECONDS.toNanos(2))
            .timerIntervalNs(TimeUnit.MILLISECONDS.toNanos(100)));
    }

    static String[] channels(final String transport)
    {
        if ("ipc".equals(transport))
        {
            return new String[]{ "aeron:ipc", "aeron:ipc" };
        }
        final int ingestPort = JournalScan.freeUdpPort();
        int ackPort = JournalScan.freeUdpPort();
        while (ackPort == ingestPort)
        {
            ackPort = JournalScan.freeUdpPort();
        }
        return new String[]{
            "aeron:udp?endpoint=127.0.0.1:" + ingestPort,
            "aeron:udp?control=127.0.0.1:" + ackPort + "|control-mode=dynamic" };
    }

    static long seed()
    {
        final String property = System.getProperty("txmon.test.seed");
        return null != property ? Long.parseLong(property) : System.nanoTime();
    }

    @ParameterizedTest
    @ValueSource(strings = { "ipc", "udp" })
    void engineKilledMidBurstAndRestartedLosesNothingAndJournalsNothingTwice(final String transport) throws Exception
    {
        final long seed = seed();
        final Random random = new Random(seed);
        final int killAfterAcked = 5_000 + random.nextInt(40_000);
        System.out.println(transport + ": seed " + seed + " (-Dtxmon.test.seed to repeat); kill once a producer has " +
            killAfterAcked + " acknowledged");

        final String[] channels = channels(transport);
        final Path aeronDir = tempDir.resolve("aeron");
        final Path journalDir = tempDir.resolve("journal");
        final String[] childOptions = {
            "aeronDir=" + aeronDir, "journalDir=" + journalDir, "ingest=" + channels[0], "ack=" + channels[1] };

        MediaDriver driver = null;
        Aeron aeron = null;
        EngineProcess.Child first = null;
        EngineProcess.Child second = null;
        final Thread[] producers = new Thread[PRODUCERS];
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final AtomicLongArray acked = new AtomicLongArray(PRODUCERS);
        final AtomicLongArray sent = new AtomicLongArray(PRODUCERS);
        final long[] ackedOffset = new long[PRODUCERS];
        final long[] resends = new long[PRODUCERS];
        final long[] retries = new long[PRODUCERS];
        final long[] epochs = new long[PRODUCERS];
        final long[] unackedAtNewEpoch = new long[PRODUCERS];
        try
        {
            driver = launchDriver(aeronDir);
            aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(aeronDir.toString()));
            first = EngineProcess.Child.start(tempDir, "engine-1", CHILD_START_TIMEOUT_MS, childOptions);
            assertEquals(0, first.recoveredRecords);

            final long start = System.nanoTime();
            final long deadline = start + LOAD_DEADLINE_NS;
            for (int p = 0; p < PRODUCERS; p++)
            {
                final int index = p;
                final Aeron client = aeron;
                acked.set(p, -1);
                producers[p] = new Thread(() ->
                {
                    final long producerId = FIRST_PRODUCER_ID + index;
                    try (TxmonPublisher publisher = new TxmonPublisher(new TxmonPublisher.Context()
                        .aeron(client)
                        .channel(channels[0])
                        .ackChannel(channels[1])
                        .producerId(producerId)
                        .idleStrategy(new YieldingIdleStrategy())
                        .sendTimeoutNs(TimeUnit.MILLISECONDS.toNanos(500))
                        .unacknowledgedBufferBytes(4 * 1024 * 1024)))
                    {
                        if (!publisher.awaitConnected(TimeUnit.SECONDS.toNanos(10)))
                        {
                            throw new IllegalStateException("producer " + producerId + " not connected");
                        }
                        for (int i = 0; i < EVENTS_PER_PRODUCER; i++)
                        {
                            final long due = start + i * PACE_NS;
                            while (System.nanoTime() - due < 0)
                            {
                                final long before = unacknowledged(publisher);
                                final long epoch = publisher.engineEpoch();
                                publisher.pollAcknowledgements();
                                noteNewEpoch(publisher, epoch, before, unackedAtNewEpoch, index);
                                Thread.yield();
                            }
                            while (true)
                            {
                                if (System.nanoTime() - deadline > 0 || null != failure.get())
                                {
                                    throw new IllegalStateException("producer " + producerId + " gave up at seq " + i +
                                        ", acknowledged " + publisher.acknowledgedSeq());
                                }
                                fillPayment(publisher.payment(), i, JournalScan.amountOf(producerId, i));
                                final long before = unacknowledged(publisher);
                                final long epoch = publisher.engineEpoch();
                                final long result = publisher.send();
                                noteNewEpoch(publisher, epoch, before, unackedAtNewEpoch, index);
                                if (result > 0)
                                {
                                    break;
                                }
                                if (result != TxmonPublisher.TIMED_OUT &&
                                    result != TxmonPublisher.UNACKNOWLEDGED_BUFFER_FULL)
                                {
                                    throw new IllegalStateException("producer " + producerId + " send of seq " + i +
                                        " failed: " + TxmonPublisher.describe(result));
                                }
                                retries[index]++;
                            }
                            sent.set(index, i + 1);
                            acked.set(index, publisher.acknowledgedSeq());
                        }
                        while (publisher.acknowledgedSeq() < EVENTS_PER_PRODUCER - 1)
                        {
                            if (System.nanoTime() - deadline > 0 || null != failure.get())
                            {
                                throw new IllegalStateException("producer " + producerId + " sent everything but only " +
                                    publisher.acknowledgedSeq() + " was acknowledged; resent " + publisher.resendCount());
                            }
                            final long before = unacknowledged(publisher);
                            final long epoch = publisher.engineEpoch();
                            final int polled = publisher.pollAcknowledgements();
                            noteNewEpoch(publisher, epoch, before, unackedAtNewEpoch, index);
                            if (polled == 0)
                            {
                                Thread.yield();
                            }
                            acked.set(index, publisher.acknowledgedSeq());
                        }
                        acked.set(index, publisher.acknowledgedSeq());
                        ackedOffset[index] = publisher.acknowledgedOffset();
                        resends[index] = publisher.resendCount();
                        epochs[index] = publisher.engineEpoch();
                    }
                    catch (final Throwable t)
                    {
                        failure.compareAndSet(null, t);
                    }
                }, "restart-producer-" + index);
                producers[p].start();
            }

            // the crash: once some acknowledgements have arrived, mid-burst
            Await.await(30_000, () -> failure.get() != null || maxOf(acked) >= killAfterAcked,
                () -> "acknowledgements before the kill: " + acked + " sent " + sent + "; child stderr: " +
                    firstStderr(tempDir), null);
            assertNull(failure.get(), () -> "producer failed before the kill: " + failure.get());
            first.kill();
            final long[] ackedAtKill = new long[PRODUCERS];
            final long[] sentAtKill = new long[PRODUCERS];
            for (int p = 0; p < PRODUCERS; p++)
            {
                ackedAtKill[p] = acked.get(p);
                sentAtKill[p] = sent.get(p);
            }
            System.out.println(transport + ": killed engine 1 with acknowledged " + Arrays.toString(ackedAtKill) +
                " sent " + Arrays.toString(sentAtKill));
            assertTrue(sentAtKill[0] < EVENTS_PER_PRODUCER || sentAtKill[1] < EVENTS_PER_PRODUCER,
                "the kill came during the burst");

            second = EngineProcess.Child.start(tempDir, "engine-2", CHILD_START_TIMEOUT_MS, childOptions);
            assertNotEquals(first.epoch, second.epoch, "a new engine epoch");
            long ackedTotal = 0;
            for (final long seq : ackedAtKill)
            {
                ackedTotal += seq + 1;
            }
            assertTrue(second.recoveredRecords >= ackedTotal, "every acknowledged event survived the kill: recovered " +
                second.recoveredRecords + ", acknowledged " + ackedTotal);

            for (final Thread producer : producers)
            {
                producer.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())) + 10_000);
            }
            final long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            final EngineProcess.Child engine2 = second;
            assertNull(failure.get(), () -> "producer failed: " + failure.get() + "; engine 2 stderr: " + engine2.stderr());
            for (final Thread producer : producers)
            {
                assertFalse(producer.isAlive(), "producer finished");
            }
            System.out.println(transport + ": all acknowledged after " + elapsedMs + " ms; resends " +
                Arrays.toString(resends) + " while unacknowledged when the new epoch was seen " +
                Arrays.toString(unackedAtNewEpoch) + "; send retries " + Arrays.toString(retries));
            assertEquals(0, second.stop(20_000), () -> "engine 2 closed cleanly; stderr: " + engine2.stderr());
            System.out.println(transport + ": engine 2 " + second.stderr().trim());
            assertTrue(resends[0] + resends[1] > 0, "at least one producer resent after the restart");
            for (int p = 0; p < PRODUCERS; p++)
            {
                assertEquals(EVENTS_PER_PRODUCER - 1, acked.get(p));
                assertEquals(second.epoch, epochs[p], "the last acknowledgement came from the new engine");
            }
        }
        finally
        {
            failure.compareAndSet(null, new IllegalStateException("test ended"));
            for (final Thread producer : producers)
            {
                if (null != producer)
                {
                    producer.join(30_000);
                }
            }
            CloseHelper.closeAll(first, second, aeron, driver);
        }

        final JournalScan scan = JournalScan.scan(journalDir, JournalScan.paymentAmounts());
        assertNull(scan.firstViolation, scan::toString);
        assertEquals((long)PRODUCERS * EVENTS_PER_PRODUCER, scan.records, scan::toString);
        for (int p = 0; p < PRODUCERS; p++)
        {
            final JournalScan.Producer journaled = scan.producer(FIRST_PRODUCER_ID + p);
            assertEquals(EVENTS_PER_PRODUCER, journaled.count, journaled::toString);
            assertEquals(0, journaled.firstSeq);
            assertEquals(EVENTS_PER_PRODUCER - 1, journaled.lastSeq);
            assertEquals(journaled.lastOffset, ackedOffset[p], "acknowledged offset is where the journal holds it");
        }
    }

    /** Sent but not acknowledged, as the publisher sees it. */
    private static long unacknowledged(final TxmonPublisher publisher)
    {
        return publisher.nextProducerSeq() - 1 - publisher.acknowledgedSeq();
    }

    /**
     * The first time a publisher sees an epoch after the first engine's, how many events it held unacknowledged
     * just before: the most its first resend pass can send.
     */
    private static void noteNewEpoch(
        final TxmonPublisher publisher, final long epochBefore, final long unackedBefore, final long[] unackedAtNewEpoch,
        final int index)
    {
        if (epochBefore != 0 && publisher.engineEpoch() != epochBefore && unackedAtNewEpoch[index] == 0)
        {
            unackedAtNewEpoch[index] = unackedBefore;
        }
    }

    private static String firstStderr(final Path dir)
    {
        try
        {
            final Path file = dir.resolve("engine-1.stderr");
            return java.nio.file.Files.exists(file) ? java.nio.file.Files.readString(file) : "";
        }
        catch (final java.io.IOException ex)
        {
            return ex.toString();
        }
    }

    /**
     * A producer that has sent everything and only waits for acknowledgements when the engine dies: the events the
     * dead engine had not taken must still reach the journal once the new engine runs, and be acknowledged. The
     * first engine holds its first event in a rule, so its ring fills, it stops polling and most of what the
     * producer sent is still in transit when it is killed.
     */
    @ParameterizedTest
    @ValueSource(strings = { "ipc", "udp" })
    void producerIdleAtTheCrashGetsItsInFlightEventsJournaledByTheNewEngine(final String transport) throws Exception
    {
        final int events = 3_000;
        final int ring = 256;
        final long producerId = 301;
        final String[] channels = channels(transport);
        final Path aeronDir = tempDir.resolve("aeron");
        final Path journalDir = tempDir.resolve("journal");
        final String[] common = {
            "aeronDir=" + aeronDir, "journalDir=" + journalDir, "ingest=" + channels[0], "ack=" + channels[1] };

        MediaDriver driver = null;
        Aeron aeron = null;
        TxmonPublisher publisher = null;
        EngineProcess.Child first = null;
        final AtomicReference<EngineProcess.Child> second = new AtomicReference<>();
        final AtomicReference<Throwable> startFailure = new AtomicReference<>();
        Thread starter = null;
        try
        {
            driver = launchDriver(aeronDir);
            aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(aeronDir.toString()));
            first = EngineProcess.Child.start(tempDir, "engine-1", CHILD_START_TIMEOUT_MS,
                concat(common, "gate=true", "ring=" + ring));
            publisher = new TxmonPublisher(new TxmonPublisher.Context()
                .aeron(aeron)
                .channel(channels[0])
                .ackChannel(channels[1])
                .producerId(producerId)
                .idleStrategy(new YieldingIdleStrategy())
                .sendTimeoutNs(TimeUnit.SECONDS.toNanos(5)));
            assertTrue(publisher.awaitConnected(TimeUnit.SECONDS.toNanos(10)));
            // first make sure acknowledgements reach this producer: over UDP the acknowledgement subscription joins
            // the engine's multi-destination-cast publication a little after the ingest connects, and an
            // acknowledgement sent before it joined is not repeated until the producer sends again
            int warmUp = 0;
            final long warmUpDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (publisher.acknowledgedSeq() < 0)
            {
                assertTrue(System.nanoTime() - warmUpDeadline < 0, "no acknowledgement within 10 s of " + warmUp + " events");
                if (warmUp < 20)
                {
                    fillPayment(publisher.payment(), warmUp, JournalScan.amountOf(producerId, warmUp));
                    assertTrue(publisher.send() > 0);
                    warmUp++;
                }
                final long next = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
                while (publisher.acknowledgedSeq() < 0 && System.nanoTime() - next < 0)
                {
                    publisher.pollAcknowledgements();
                    Thread.yield();
                }
            }
            for (int i = warmUp; i < events; i++)
            {
                fillPayment(publisher.payment(), i, JournalScan.amountOf(producerId, i));
                final long result = publisher.send();
                assertTrue(result > 0, "send " + i + ": " + TxmonPublisher.describe(result));
            }
            final TxmonPublisher p = publisher;
            Await.await(10_000, () -> p.acknowledgedSeq() >= ring - 1,
                () -> "the first engine journaled a ring's worth; acknowledged " + p.acknowledgedSeq(),
                p::pollAcknowledgements);
            final long ackedAtKill = publisher.acknowledgedSeq();
            assertTrue(ackedAtKill < events - 1, "events still unacknowledged at the kill");
            first.kill();

            // the new engine starts while the producer keeps polling, as awaitAcknowledged would
            starter = new Thread(() ->
            {
                try
                {
                    second.set(EngineProcess.Child.start(tempDir, "engine-2", CHILD_START_TIMEOUT_MS, common));
                }
                catch (final Throwable t)
                {
                    startFailure.set(t);
                }
            }, "engine-2-starter");
            starter.start();
            final boolean acknowledged = publisher.awaitAcknowledged(events - 1, TimeUnit.SECONDS.toNanos(20));
            starter.join(CHILD_START_TIMEOUT_MS);
            assertNull(startFailure.get(), () -> "engine 2 failed to start: " + startFailure.get());
            final EngineProcess.Child engine2 = second.get();
            assertNotNull(engine2);
            final long ackedSeq = publisher.acknowledgedSeq();
            final long resent = publisher.resendCount();
            final long epoch = publisher.engineEpoch();
            final int exit = engine2.stop(20_000);
            final String summary = transport + ": acknowledged " + ackedAtKill + " of " + (events - 1) +
                " at the kill; after the restart acknowledged " + ackedSeq + ", resent " + resent + ", last epoch " +
                (epoch == engine2.epoch ? "the new engine's" : epoch == first.epoch ? "the dead engine's" : epoch) +
                "; engine 2 " + engine2.stderr().trim();
            System.out.println(summary);
            assertEquals(0, exit, summary);
            assertTrue(acknowledged, "every event sent before the crash acknowledged by the new engine: " + summary);
        }
        finally
        {
            if (null != starter)
            {
                starter.join(CHILD_START_TIMEOUT_MS);
            }
            CloseHelper.closeAll(publisher, first, second.get(), aeron, driver);
        }

        final JournalScan scan = JournalScan.scan(journalDir, JournalScan.paymentAmounts());
        assertNull(scan.firstViolation, scan::toString);
        assertEquals(events, scan.records, scan::toString);
        assertEquals(events, scan.producer(producerId).count, scan::toString);
    }

    private static String[] concat(final String[] a, final String... b)
    {
        final String[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private static long maxOf(final AtomicLongArray values)
    {
        long max = Long.MIN_VALUE;
        for (int i = 0; i < values.length(); i++)
        {
            max = Math.max(max, values.get(i));
        }
        return max;
    }
}
