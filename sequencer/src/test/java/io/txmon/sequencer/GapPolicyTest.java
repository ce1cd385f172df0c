package io.txmon.sequencer;

import io.aeron.ExclusivePublication;
import io.aeron.Subscription;
import io.txmon.events.RejectReason;
import io.txmon.events.codec.AckDecoder;
import io.txmon.events.codec.MessageHeaderDecoder;
import io.txmon.events.codec.Severity;
import io.txmon.rules.Rule;
import io.txmon.rules.typology.LargeAmountRule;
import io.txmon.transport.TxmonPublisher;
import org.agrona.CloseHelper;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.YieldingIdleStrategy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static io.txmon.sequencer.EngineTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The stated gap policy: an event whose producer sequence skips ahead of the next expected one is rejected with
 * {@link RejectReason#SEQUENCE_GAP}, counted, never journaled, and answered with an acknowledgement of the last
 * sequence journaled, so the producer resends from the one after.
 */
class GapPolicyTest
{
    private static final long PRODUCER = 31;
    private static final long GAP_AMOUNT = 777;

    @TempDir
    Path tempDir;

    /** The engine's acknowledgements as a producer would read them, kept per producer. */
    static final class AckProbe implements AutoCloseable
    {
        static final class Ack
        {
            long count;
            long producerSeq;
            long journalOffset;
            long engineEpoch;
        }

        private final Subscription subscription;
        private final Long2ObjectHashMap<Ack> acks = new Long2ObjectHashMap<>();
        private final MessageHeaderDecoder header = new MessageHeaderDecoder();
        private final AckDecoder decoder = new AckDecoder();

        AckProbe(final Engine engine)
        {
            subscription = engine.aeron().addSubscription(engine.context().ackChannel(), engine.context().ackStreamId());
            Await.await(TIMEOUT_MS, subscription::isConnected, () -> "acknowledgement subscription connected", null);
        }

        void poll()
        {
            subscription.poll((buffer, offset, length, h) ->
            {
                header.wrap(buffer, offset);
                if (header.templateId() == AckDecoder.TEMPLATE_ID)
                {
                    decoder.wrap(buffer, offset + MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(),
                        header.version());
                    final Ack ack = acks.computeIfAbsent(decoder.producerId(), (id) -> new Ack());
                    ack.count++;
                    ack.producerSeq = decoder.producerSeq();
                    ack.journalOffset = decoder.journalOffset();
                    ack.engineEpoch = decoder.engineEpoch();
                }
            }, 64);
        }

        Ack ack(final long producerId)
        {
            final Ack ack = acks.get(producerId);
            return null == ack ? new Ack() : ack;
        }

        long count(final long producerId)
        {
            return ack(producerId).count;
        }

        public void close()
        {
            CloseHelper.close(subscription);
        }
    }

    @Test
    void gapIsRejectedCountedNotJournaledAndAnsweredWithTheLastJournaledSequence()
    {
        final Path journalDir = tempDir.resolve("journal");
        final EngineErrors errors = new EngineErrors();
        final Engine engine = Engine.launch(context(tempDir.resolve("aeron"), journalDir,
            (w) -> new Rule[]{ new LargeAmountRule(Long.MAX_VALUE, Severity.LOW) })
            .errorHandler(errors));
        ExclusivePublication raw = null;
        AckProbe probe = null;
        TxmonPublisher publisher = null;
        try
        {
            final EngineCounters counters = engine.counters();
            probe = new AckProbe(engine);
            raw = rawPublication(engine);
            final UnsafeBuffer buffer = new UnsafeBuffer(new byte[512]);
            for (int seq = 0; seq < 100; seq++)
            {
                offer(raw, buffer, 0, encodePayment(buffer, 0, PRODUCER, seq, JournalScan.amountOf(PRODUCER, seq)));
            }
            final AckProbe acks = probe;
            Await.await(TIMEOUT_MS, () -> acks.ack(PRODUCER).producerSeq == 99,
                () -> "acknowledged 99; " + describe(counters), acks::poll);
            assertEquals(99, probe.ack(PRODUCER).journalOffset);
            assertEquals(engine.engineEpoch(), probe.ack(PRODUCER).engineEpoch);
            final long acksBefore = probe.count(PRODUCER);

            // skipping ahead, by one and by a lot; none may be journaled, each answered with 99
            final long[] gaps = { 101, 105, 150, 1_000_000, Long.MAX_VALUE };
            for (final long seq : gaps)
            {
                offer(raw, buffer, 0, encodePayment(buffer, 0, PRODUCER, seq, GAP_AMOUNT));
            }
            awaitCondition(() -> counters.received() == 100 + gaps.length &&
                counters.journaled() + counters.rejected() + counters.duplicates() == 100 + gaps.length,
                () -> describe(counters));
            Await.await(TIMEOUT_MS, () -> acks.count(PRODUCER) > acksBefore,
                () -> "acknowledged again after the gaps", acks::poll);
            assertEquals(gaps.length, counters.rejected(RejectReason.SEQUENCE_GAP), () -> describe(counters));
            assertEquals(gaps.length, counters.sequenceGaps());
            assertEquals(gaps.length, counters.rejected(), "nothing else rejected");
            assertEquals(100, counters.journaled());
            assertEquals(0, counters.duplicates());
            assertEquals(99, probe.ack(PRODUCER).producerSeq, "the acknowledgement names the last journaled sequence");
            assertEquals(99, probe.ack(PRODUCER).journalOffset);

            // the producer resends from acknowledged + 1, with the client
            final long resumeFrom = probe.ack(PRODUCER).producerSeq + 1;
            publisher = new TxmonPublisher(new TxmonPublisher.Context()
                .aeron(engine.aeron())
                .ackChannel(engine.context().ackChannel())
                .producerId(PRODUCER)
                .firstProducerSeq(resumeFrom)
                .idleStrategy(new YieldingIdleStrategy())
                .sendTimeoutNs(TimeUnit.SECONDS.toNanos(10)));
            assertTrue(publisher.awaitConnected(TimeUnit.SECONDS.toNanos(10)));
            for (long seq = resumeFrom; seq < 200; seq++)
            {
                fillPayment(publisher.payment(), seq, JournalScan.amountOf(PRODUCER, seq));
                assertTrue(publisher.send() > 0);
            }
            assertTrue(publisher.awaitAcknowledged(199, TimeUnit.SECONDS.toNanos(10)), () -> describe(counters));
            assertEquals(199, publisher.acknowledgedOffset(), "offsets stay dense across the rejected gaps");
            assertEquals(200, counters.journaled());
            assertEquals(gaps.length, counters.rejected());
            assertEquals(0, publisher.resendCount());
            assertNoErrors(errors);

            // a producer the engine has never seen may start anywhere (TxmonPublisher.Context.firstProducerSeq)
            offer(raw, buffer, 0, encodePayment(buffer, 0, PRODUCER + 1, 5_000, JournalScan.amountOf(PRODUCER + 1, 5_000)));
            awaitCondition(() -> counters.journaled() == 201, () -> describe(counters));
        }
        finally
        {
            CloseHelper.closeAll(publisher, probe, raw, engine);
        }

        final JournalScan scan = JournalScan.scan(journalDir, JournalScan.paymentAmounts());
        assertNull(scan.firstViolation, scan::toString);
        assertEquals(201, scan.records);
        final JournalScan.Producer producer = scan.producer(PRODUCER);
        assertEquals(200, producer.count);
        assertEquals(0, producer.firstSeq);
        assertEquals(199, producer.lastSeq);
        assertEquals(5_000, scan.producer(PRODUCER + 1).firstSeq);
    }

    /**
     * One event refused by validation (here a zero amount, which the client does not check) takes a producer
     * sequence on the client but not in the engine, so the next event is a gap. The producer must not be stuck:
     * its later valid events must still reach the journal.
     */
    @Test
    void oneInvalidEventFromAPublisherDoesNotBlockItsLaterEvents()
    {
        final Path journalDir = tempDir.resolve("journal");
        final Engine engine = Engine.launch(context(tempDir.resolve("aeron"), journalDir,
            (w) -> new Rule[]{ new LargeAmountRule(Long.MAX_VALUE, Severity.LOW) }));
        TxmonPublisher publisher = null;
        try
        {
            final EngineCounters counters = engine.counters();
            publisher = new TxmonPublisher(new TxmonPublisher.Context()
                .aeron(engine.aeron())
                .ackChannel(engine.context().ackChannel())
                .producerId(PRODUCER)
                .idleStrategy(new YieldingIdleStrategy())
                .sendTimeoutNs(TimeUnit.SECONDS.toNanos(5)));
            assertTrue(publisher.awaitConnected(TimeUnit.SECONDS.toNanos(10)));
            // the publisher checks the engine's rules first: the invalid event is refused there with its
            // reason and takes no sequence, so the 19 valid events carry 0..18 with no gap
            for (int i = 0; i < 20; i++)
            {
                final long seq = publisher.nextProducerSeq();
                fillPayment(publisher.payment(), seq, i == 10 ? 0 : JournalScan.amountOf(PRODUCER, seq));
                final long result = publisher.send();
                if (i == 10)
                {
                    assertEquals(TxmonPublisher.INVALID_EVENT, result);
                    assertEquals(RejectReason.INVALID_AMOUNT, publisher.lastInvalidReason());
                }
                else
                {
                    assertTrue(result > 0);
                }
            }
            assertEquals(19, publisher.nextProducerSeq());
            final boolean acknowledged = publisher.awaitAcknowledged(18, TimeUnit.SECONDS.toNanos(5));
            awaitCondition(() -> counters.journaled() == 19, () -> describe(counters));
            final String state = describe(counters) + "; publisher acknowledged " + publisher.acknowledgedSeq() +
                ", resent " + publisher.resendCount();
            assertTrue(acknowledged, state);
            assertEquals(0, counters.rejected(), () -> "nothing invalid reached the engine; " + state);
            assertEquals(0, counters.rejected(RejectReason.SEQUENCE_GAP), state);
            assertEquals(0, publisher.resendCount(), state);
        }
        finally
        {
            CloseHelper.closeAll(publisher, engine);
        }
    }
}
