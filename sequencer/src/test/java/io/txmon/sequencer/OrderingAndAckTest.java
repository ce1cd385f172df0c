package io.txmon.sequencer;

import io.txmon.events.codec.Severity;
import io.txmon.rules.Rule;
import io.txmon.rules.typology.LargeAmountRule;
import io.txmon.transport.TxmonPublisher;
import org.agrona.CloseHelper;
import org.agrona.concurrent.YieldingIdleStrategy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static io.txmon.sequencer.EngineTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Four producers, each on its own thread with acknowledgements, 250,000 payments each, at once: over aeron:ipc
 * and over UDP on loopback (acknowledgements over a multi-destination-cast channel). The journal must hold every
 * event exactly once at dense offsets with each producer's order kept, and every producer must end with its last
 * event acknowledged at the offset the journal holds it at.
 */
class OrderingAndAckTest
{
    static final int PRODUCERS = 4;
    static final int EVENTS_PER_PRODUCER = 250_000;
    static final long LOAD_DEADLINE_NS = TimeUnit.SECONDS.toNanos(90);
    private static final long FIRST_PRODUCER_ID = 101;

    @TempDir
    Path tempDir;

    @Test
    void fourProducersOverIpcAllJournaledInOrderAndAcknowledged() throws Exception
    {
        run("aeron:ipc", "aeron:ipc");
    }

    @Test
    void fourProducersOverUdpAllJournaledInOrderAndAcknowledged() throws Exception
    {
        final int ingestPort = JournalScan.freeUdpPort();
        int ackPort = JournalScan.freeUdpPort();
        while (ackPort == ingestPort)
        {
            ackPort = JournalScan.freeUdpPort();
        }
        run("aeron:udp?endpoint=127.0.0.1:" + ingestPort, "aeron:udp?control=127.0.0.1:" + ackPort + "|control-mode=dynamic");
    }

    /**
     * A producer that connects, sends a few events and waits for their acknowledgement, as a short-lived client
     * or a test would: it must get it without having to send more. Over UDP its acknowledgement subscription
     * joins the engine's multi-destination-cast publication asynchronously.
     */
    @Test
    void newUdpProducerSendingAFewEventsGetsThemAcknowledgedWithoutSendingMore()
    {
        final int ingestPort = JournalScan.freeUdpPort();
        int ackPort = JournalScan.freeUdpPort();
        while (ackPort == ingestPort)
        {
            ackPort = JournalScan.freeUdpPort();
        }
        final String ingestChannel = "aeron:udp?endpoint=127.0.0.1:" + ingestPort;
        final String ackChannel = "aeron:udp?control=127.0.0.1:" + ackPort + "|control-mode=dynamic";
        final int producers = 4;
        final int eventsEach = 3;
        final Engine engine = Engine.launch(context(tempDir.resolve("aeron"), tempDir.resolve("journal"),
            (w) -> new Rule[]{ new LargeAmountRule(Long.MAX_VALUE, Severity.LOW) })
            .ingestChannel(ingestChannel)
            .ackChannel(ackChannel));
        final StringBuilder unacknowledged = new StringBuilder();
        try
        {
            for (int p = 0; p < producers; p++)
            {
                final long producerId = 500 + p;
                try (TxmonPublisher publisher = new TxmonPublisher(new TxmonPublisher.Context()
                    .aeron(engine.aeron())
                    .channel(ingestChannel)
                    .ackChannel(ackChannel)
                    .producerId(producerId)
                    .idleStrategy(new YieldingIdleStrategy())
                    .sendTimeoutNs(TimeUnit.SECONDS.toNanos(5))))
                {
                    assertTrue(publisher.awaitConnected(TimeUnit.SECONDS.toNanos(10)));
                    for (int i = 0; i < eventsEach; i++)
                    {
                        sendPayment(publisher, JournalScan.amountOf(producerId, i));
                    }
                    if (!publisher.awaitAcknowledged(eventsEach - 1, TimeUnit.SECONDS.toNanos(2)))
                    {
                        unacknowledged.append(" producer ").append(producerId).append(" acknowledged ")
                            .append(publisher.acknowledgedSeq()).append(';');
                    }
                }
            }
            final EngineCounters counters = engine.counters();
            awaitCondition(() -> counters.journaled() == (long)producers * eventsEach, () -> describe(counters));
            assertEquals(0, unacknowledged.length(), () -> "journaled (" + describe(counters) + ") but never " +
                "acknowledged within 2 s:" + unacknowledged);
        }
        finally
        {
            CloseHelper.closeAll(engine);
        }
    }

    private void run(final String ingestChannel, final String ackChannel) throws Exception
    {
        final Path journalDir = tempDir.resolve("journal");
        final EngineErrors errors = new EngineErrors();
        final Engine engine = Engine.launch(context(tempDir.resolve("aeron"), journalDir,
            (w) -> new Rule[]{ new LargeAmountRule(Long.MAX_VALUE, Severity.LOW) })
            .segmentLength(64 * 1024 * 1024)
            .ingestChannel(ingestChannel)
            .ackChannel(ackChannel)
            .errorHandler(errors));

        final long[] ackedSeq = new long[PRODUCERS];
        final long[] ackedOffset = new long[PRODUCERS];
        final long[] unacknowledged = new long[PRODUCERS];
        final long[] resends = new long[PRODUCERS];
        final long[] sent = new long[PRODUCERS];
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final Thread[] producers = new Thread[PRODUCERS];
        final long start = System.nanoTime();
        final long deadline = start + LOAD_DEADLINE_NS;
        try
        {
            for (int p = 0; p < PRODUCERS; p++)
            {
                final int index = p;
                producers[p] = new Thread(() ->
                {
                    final long producerId = FIRST_PRODUCER_ID + index;
                    try (TxmonPublisher publisher = new TxmonPublisher(new TxmonPublisher.Context()
                        .aeron(engine.aeron())
                        .channel(ingestChannel)
                        .streamId(engine.context().ingestStreamId())
                        .ackChannel(ackChannel)
                        .ackStreamId(engine.context().ackStreamId())
                        .producerId(producerId)
                        .firstProducerSeq(0)
                        .idleStrategy(new YieldingIdleStrategy())
                        .sendTimeoutNs(TimeUnit.SECONDS.toNanos(10))))
                    {
                        if (!publisher.awaitConnected(TimeUnit.SECONDS.toNanos(10)))
                        {
                            throw new IllegalStateException("producer " + producerId + " not connected");
                        }
                        for (int i = 0; i < EVENTS_PER_PRODUCER; i++)
                        {
                            if (System.nanoTime() - deadline > 0)
                            {
                                throw new IllegalStateException("producer " + producerId + " sent only " + i + " of " +
                                    EVENTS_PER_PRODUCER + " within the deadline");
                            }
                            if (null != failure.get())
                            {
                                return;
                            }
                            fillPayment(publisher.payment(), i, JournalScan.amountOf(producerId, i));
                            final long result = publisher.send();
                            if (result < 0)
                            {
                                throw new IllegalStateException("producer " + producerId + " send of seq " + i +
                                    " failed: " + TxmonPublisher.describe(result));
                            }
                            sent[index]++;
                        }
                        final boolean acked = publisher.awaitAcknowledged(
                            EVENTS_PER_PRODUCER - 1, Math.max(1, deadline - System.nanoTime()));
                        ackedSeq[index] = publisher.acknowledgedSeq();
                        ackedOffset[index] = publisher.acknowledgedOffset();
                        unacknowledged[index] = publisher.unacknowledgedCount();
                        resends[index] = publisher.resendCount();
                        if (!acked)
                        {
                            throw new IllegalStateException("producer " + producerId + " last event not acknowledged; " +
                                "acknowledged " + publisher.acknowledgedSeq());
                        }
                    }
                    catch (final Throwable t)
                    {
                        failure.compareAndSet(null, t);
                    }
                }, "ordering-producer-" + index);
                producers[p].start();
            }
            for (final Thread producer : producers)
            {
                producer.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()) + 15_000));
            }
            final long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            final EngineCounters counters = engine.counters();
            System.out.println(ingestChannel + ": " + (long)PRODUCERS * EVENTS_PER_PRODUCER + " events sent and acknowledged in " +
                elapsedMs + " ms; " + describe(counters) + "; resends " + java.util.Arrays.toString(resends));
            for (final Thread producer : producers)
            {
                assertFalse(producer.isAlive(), "producer " + producer.getName() + " finished");
            }
            assertNull(failure.get(), () -> "producer failed: " + failure.get() + "; sent " +
                java.util.Arrays.toString(sent) + "; " + describe(counters));

            final long total = (long)PRODUCERS * EVENTS_PER_PRODUCER;
            assertEquals(total, counters.journaled(), () -> describe(counters));
            // a producer whose acknowledgements stall for its resend timeout (a loaded machine) resends: what it
            // resends arrives again and is confirmed a duplicate, never journaled twice
            assertEquals(total + counters.duplicates(), counters.received(), () -> describe(counters));
            assertEquals(0, counters.rejected());
            assertEquals(0, counters.sequenceGaps());
            assertEquals(0, counters.journalErrors());
            final long resent = java.util.Arrays.stream(resends).sum();
            assertTrue(counters.duplicates() <= resent, () -> "every duplicate is a resend: duplicates " +
                counters.duplicates() + ", resends " + java.util.Arrays.toString(resends));
            assertNoErrors(errors);
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
            CloseHelper.closeAll(engine);
        }

        final JournalScan scan = JournalScan.scan(journalDir, JournalScan.paymentAmounts());
        assertNull(scan.firstViolation, scan::toString);
        assertEquals((long)PRODUCERS * EVENTS_PER_PRODUCER, scan.records, scan::toString);
        assertEquals(PRODUCERS, scan.producers.size(), scan::toString);
        for (int p = 0; p < PRODUCERS; p++)
        {
            final JournalScan.Producer journaled = scan.producer(FIRST_PRODUCER_ID + p);
            assertEquals(EVENTS_PER_PRODUCER, journaled.count, journaled::toString);
            assertEquals(0, journaled.firstSeq, journaled::toString);
            assertEquals(EVENTS_PER_PRODUCER - 1, journaled.lastSeq, journaled::toString);
            assertEquals(EVENTS_PER_PRODUCER - 1, ackedSeq[p], "acknowledged sequence of producer " + p);
            assertEquals(journaled.lastOffset, ackedOffset[p],
                "acknowledged offset is the journal offset of the producer's last event");
            assertEquals(0, unacknowledged[p], "nothing left unacknowledged");
        }
    }
}
