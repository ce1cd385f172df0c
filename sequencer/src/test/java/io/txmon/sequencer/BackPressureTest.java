package io.txmon.sequencer;

import io.txmon.rules.Rule;
import io.txmon.rules.RuleContext;
import io.txmon.rules.TxEvent;
import io.txmon.transport.TxmonPublisher;
import org.agrona.CloseHelper;
import org.agrona.concurrent.YieldingIdleStrategy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static io.txmon.sequencer.EngineTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

class BackPressureTest
{
    private static final int RING_SIZE = 64;
    private static final int TOTAL = 2_000;
    private static final long PRODUCER = 11;
    /** A small term so the publication window (half a term) fills after a few hundred events. */
    private static final String PRODUCER_CHANNEL = "aeron:ipc?term-length=65536";

    @TempDir
    Path tempDir;

    /**
     * Holds every event until released, or until its own deadline so a failing test never hangs the engine.
     */
    static final class GateRule implements Rule
    {
        private static final long MAX_HOLD_NS = TimeUnit.SECONDS.toNanos(30);

        volatile boolean released;
        volatile boolean holding;

        public int id()
        {
            return 900;
        }

        public int version()
        {
            return 1;
        }

        public String name()
        {
            return "gate";
        }

        public void onEvent(final TxEvent event, final RuleContext context)
        {
            if (!released)
            {
                holding = true;
                final long deadline = System.nanoTime() + MAX_HOLD_NS;
                while (!released && System.nanoTime() - deadline < 0)
                {
                    Thread.yield();
                }
                holding = false;
            }
        }
    }

    @Test
    void fullRingPushesBackToProducersAndNothingIsDropped() throws Exception
    {
        final Path journalDir = tempDir.resolve("journal");
        final GateRule gate = new GateRule();
        final EngineErrors errors = new EngineErrors();
        final AtomicLong nextDecided = new AtomicLong();
        final AtomicReference<String> decisionOrder = new AtomicReference<>();
        final Engine engine = Engine.launch(context(tempDir.resolve("aeron"), journalDir, (w) -> new Rule[]{ gate })
            .ringSize(RING_SIZE)
            .errorHandler(errors)
            .decisionObserver((event, nanos) ->
            {
                final long expected = nextDecided.get();
                if (event.offset != expected && decisionOrder.get() == null)
                {
                    decisionOrder.set("decided offset " + event.offset + " when " + expected + " was next");
                }
                if ((event.journaledNanos < event.sequencedNanos || nanos < event.journaledNanos) &&
                    decisionOrder.get() == null)
                {
                    decisionOrder.set("offset " + event.offset + ": received " + event.sequencedNanos +
                        ", journaled " + event.journaledNanos + ", decided " + nanos + " out of order");
                }
                nextDecided.set(expected + 1);
            }));

        final AtomicLong sent = new AtomicLong();
        final AtomicLong timeouts = new AtomicLong();
        final AtomicLong backPressured = new AtomicLong();
        final AtomicReference<Throwable> producerFailure = new AtomicReference<>();
        final Thread producer = new Thread(() ->
        {
            try (TxmonPublisher publisher = new TxmonPublisher(
                engine.aeron(), PRODUCER_CHANNEL, engine.context().ingestStreamId(), PRODUCER, 0,
                new YieldingIdleStrategy(), TimeUnit.MILLISECONDS.toNanos(20)))
            {
                if (!publisher.awaitConnected(TimeUnit.SECONDS.toNanos(10)))
                {
                    throw new IllegalStateException("producer not connected");
                }
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (sent.get() < TOTAL)
                {
                    if (System.nanoTime() - deadline > 0)
                    {
                        throw new IllegalStateException("producer gave up after sending " + sent.get());
                    }
                    final long seq = publisher.nextProducerSeq();
                    fillPayment(publisher.payment(), seq, 100 + seq);
                    final long result = publisher.send();
                    if (result > 0)
                    {
                        sent.incrementAndGet();
                    }
                    else if (result == TxmonPublisher.TIMED_OUT)
                    {
                        timeouts.incrementAndGet();
                    }
                    else
                    {
                        throw new IllegalStateException("send failed: " + TxmonPublisher.describe(result));
                    }
                    backPressured.set(publisher.backPressureCount());
                }
            }
            catch (final Throwable t)
            {
                producerFailure.set(t);
            }
        }, "back-pressure-producer");

        try
        {
            producer.start();
            final EngineCounters counters = engine.counters();

            // the rule holds the first event; the sequencer fills the ring and then stops polling
            Await.await(
                TIMEOUT_MS,
                () -> producerFailure.get() != null || (backPressured.get() > 0 || timeouts.get() > 0),
                () -> "back-pressure seen by the producer; sent " + sent.get() + ", " + describe(counters),
                null);
            assertNull(producerFailure.get());
            // the worker may reach the gate after the producer first felt back-pressure: wait, don't assume
            awaitCondition(() -> gate.holding, () -> "the gate holds an event; " + describe(counters));
            awaitCondition(() -> counters.journaled() == RING_SIZE, () -> describe(counters));
            assertEquals(0, counters.decided());
            assertTrue(sent.get() > RING_SIZE, "more sent than the ring holds: " + sent.get());
            assertTrue(sent.get() < TOTAL, "the producer is held back: " + sent.get());
            assertEquals(RING_SIZE, counters.journaled(), "nothing more journaled while the ring is full");

            gate.released = true;
            producer.join(TimeUnit.SECONDS.toMillis(60));
            assertFalse(producer.isAlive(), "producer finished");
            assertNull(producerFailure.get(), () -> "producer failed: " + producerFailure.get());
            assertEquals(TOTAL, sent.get());

            awaitCondition(() -> counters.decided() == TOTAL, () -> describe(counters));
            assertEquals(TOTAL, counters.journaled());
            assertEquals(TOTAL, counters.received(), "back-pressured offers never reached the engine");
            assertEquals(TOTAL, counters.evaluated());
            assertEquals(0, counters.duplicates());
            assertEquals(0, counters.rejected());
            assertEquals(0, counters.sequenceGaps());
            assertEquals(0, counters.journalErrors());
            assertNull(decisionOrder.get(), decisionOrder::get);
            assertEquals(TOTAL, nextDecided.get());
            assertNoErrors(errors);
        }
        finally
        {
            gate.released = true;
            producer.join(TimeUnit.SECONDS.toMillis(30));
            CloseHelper.closeAll(engine);
        }

        final List<JournalRecord> records = readJournal(journalDir);
        assertEquals(TOTAL, records.size());
        assertDenseAndMonotonic(records);
        for (int i = 0; i < TOTAL; i++)
        {
            final JournalRecord record = records.get(i);
            assertEquals(PRODUCER, record.producerId);
            assertEquals(i, record.producerSeq, "each sent event journaled exactly once, in order");
            assertEquals(100 + i, record.amount);
        }
    }
}
