package io.txmon.sequencer;

import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.BusySpinWaitStrategy;
import io.aeron.Aeron;
import io.aeron.Publication;
import io.aeron.driver.MediaDriver;
import io.txmon.events.codec.Severity;
import io.txmon.journal.CountingForcer;
import io.txmon.journal.Durability;
import io.txmon.journal.JournalConfig;
import io.txmon.journal.JournalWriter;
import io.txmon.rules.AlertCodec;
import io.txmon.rules.Rule;
import io.txmon.rules.RuleContext;
import io.txmon.rules.TxEvent;
import io.txmon.transport.AlertProxy;
import io.txmon.transport.EmbeddedDriver;
import org.agrona.CloseHelper;
import org.agrona.concurrent.SystemNanoClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Finding 12 of issue 12: the alert journal honours the engine's durability. In sync mode the sink forces the
 * alert journal once per batch before it publishes the batch's alerts; in interval mode it flushes when due; in
 * os mode it never forces. Each alert is journaled once.
 */
class AlertSinkDurabilityTest
{
    private static final int RING_SIZE = 64;

    @TempDir
    Path tempDir;

    private MediaDriver driver;
    private Aeron aeron;
    private Publication publication;
    private EngineCounters counters;

    /** Only a source of rule id and version for raised alerts. */
    static final class NamedRule implements Rule
    {
        public int id()
        {
            return 904;
        }

        public int version()
        {
            return 1;
        }

        public String name()
        {
            return "named";
        }

        public void onEvent(final TxEvent event, final RuleContext context)
        {
        }
    }

    @BeforeEach
    void start()
    {
        driver = EmbeddedDriver.launch(tempDir.resolve("aeron").toString(), false);
        aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.aeronDirectoryName()));
        publication = aeron.addPublication("aeron:ipc", 1002);
        counters = new EngineCounters(aeron);
    }

    @AfterEach
    void stop()
    {
        CloseHelper.closeAll(counters, publication, aeron, driver);
    }

    @Test
    void syncDurabilityForcesTheAlertJournalOncePerBatch()
    {
        final AtomicInteger forces = new AtomicInteger();
        try (JournalWriter alertJournal = JournalWriter.open(tempDir.resolve("alerts"), CountingForcer.count(
            new JournalConfig().segmentLength(1024 * 1024).durability(Durability.SYNC), forces)))
        {
            final Fixture fixture = new Fixture(alertJournal);
            fixture.raise(3);
            assertEquals(6, fixture.sink.doWork(), "three slots accepted, then published");
            assertEquals(1, forces.get(), "one force for the batch, before it is published");
            assertEquals(3, alertJournal.nextOffset(), "each alert journaled once");
            assertEquals(3, counters.alerts());
            assertEquals(3, counters.decided());

            fixture.sink.doWork();
            assertEquals(1, forces.get(), "nothing new: no force");
            fixture.raise(2);
            fixture.sink.doWork();
            assertEquals(2, forces.get());
            assertEquals(5, alertJournal.nextOffset());
        }
    }

    @Test
    void intervalDurabilityFlushesWhenDueAndOsNeverForces()
    {
        final AtomicInteger forces = new AtomicInteger();
        try (JournalWriter alertJournal = JournalWriter.open(tempDir.resolve("alerts-interval"), CountingForcer.count(
            new JournalConfig().segmentLength(1024 * 1024).durability(Durability.INTERVAL).forceIntervalNs(1), forces)))
        {
            final Fixture fixture = new Fixture(alertJournal);
            fixture.raise(2);
            fixture.sink.doWork();
            assertTrue(forces.get() >= 1, "flushed when due");
            assertEquals(2, alertJournal.nextOffset());
        }

        final AtomicInteger osForces = new AtomicInteger();
        try (JournalWriter alertJournal = JournalWriter.open(tempDir.resolve("alerts-os"), CountingForcer.count(
            new JournalConfig().segmentLength(1024 * 1024).durability(Durability.OS), osForces)))
        {
            final Fixture fixture = new Fixture(alertJournal);
            fixture.raise(2);
            fixture.sink.doWork();
            assertEquals(0, osForces.get(), "os durability leaves it to the page cache");
            assertEquals(2, alertJournal.nextOffset());
        }
    }

    /** A ring whose only "worker" is the test: it raises alerts in slots and advances the worker sequence. */
    private final class Fixture
    {
        final RingBuffer<TxEvent> ring = RingBuffer.createSingleProducer(
            () -> new TxEvent(1, 4), RING_SIZE, new BusySpinWaitStrategy());
        final Sequence worker = new Sequence(-1);
        final AlertSinkAgent sink;
        final Rule rule = new NamedRule();

        Fixture(final JournalWriter alertJournal)
        {
            sink = new AlertSinkAgent(ring, new Sequence[]{ worker }, alertJournal,
                new AlertProxy(publication, AlertCodec.MAX_LENGTH), counters, new EngineHealth(), DecisionObserver.NO_OP,
                new SystemNanoClock(), 1024);
            ring.addGatingSequences(sink.sequence());
        }

        void raise(final int slots)
        {
            for (int i = 0; i < slots; i++)
            {
                final long seq = ring.next();
                final TxEvent event = ring.get(seq);
                event.reset();
                event.offset = seq;
                event.ingestTime = 1_000 + seq;
                event.alerts(0).raise(rule, Severity.HIGH, 90, seq, 7, 1_000 + seq);
                ring.publish(seq);
                worker.set(seq);
            }
        }
    }
}
