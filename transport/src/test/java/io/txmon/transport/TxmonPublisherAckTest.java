package io.txmon.transport;

import io.aeron.Aeron;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.txmon.events.RejectReason;
import io.txmon.events.codec.AckEncoder;
import io.txmon.events.codec.Channel;
import io.txmon.events.codec.MessageHeaderDecoder;
import io.txmon.events.codec.MessageHeaderEncoder;
import io.txmon.events.codec.PaymentDecoder;
import io.txmon.events.codec.RefusalEncoder;
import org.agrona.CloseHelper;
import org.agrona.collections.MutableLong;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The publisher's side of acknowledgements, with the engine played by the test: it reads the ingest
 * stream and publishes Ack messages by hand, so every case is exact.
 */
class TxmonPublisherAckTest
{
    private static final int INGEST = 2001;
    private static final int ACKS = 2003;
    private static final long PRODUCER = 42;

    @TempDir
    Path tempDir;

    private MediaDriver driver;
    private Aeron aeron;
    private Subscription ingest;
    private Publication acks;
    private final List<Long> received = new ArrayList<>();
    private final UnsafeBuffer ackBuffer = new UnsafeBuffer(new byte[64]);

    @BeforeEach
    void launch()
    {
        driver = EmbeddedDriver.launch(tempDir.resolve("aeron").toString(), false);
        aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.aeronDirectoryName()));
        ingest = aeron.addSubscription("aeron:ipc", INGEST);
        acks = aeron.addPublication("aeron:ipc", ACKS);
    }

    @AfterEach
    void close()
    {
        CloseHelper.closeAll(ingest, acks, aeron, driver);
    }

    private TxmonPublisher publisher(final int bufferBytes, final long timeoutMs)
    {
        return new TxmonPublisher(new TxmonPublisher.Context()
            .aeron(aeron)
            .channel("aeron:ipc")
            .streamId(INGEST)
            .ackChannel("aeron:ipc")
            .ackStreamId(ACKS)
            .producerId(PRODUCER)
            .firstProducerSeq(0)
            .unacknowledgedBufferBytes(bufferBytes)
            .sendTimeoutNs(TimeUnit.MILLISECONDS.toNanos(timeoutMs)));
    }

    /** No retransmit timer within a test's time: every resend seen is one the test caused. */
    private TxmonPublisher patientPublisher()
    {
        return new TxmonPublisher(new TxmonPublisher.Context()
            .aeron(aeron)
            .channel("aeron:ipc")
            .streamId(INGEST)
            .ackChannel("aeron:ipc")
            .ackStreamId(ACKS)
            .producerId(PRODUCER)
            .resendTimeoutNs(TimeUnit.MINUTES.toNanos(10))
            .sendTimeoutNs(TimeUnit.SECONDS.toNanos(2)));
    }

    private long send(final TxmonPublisher publisher, final long txId)
    {
        publisher.payment().txId(txId).debtorAccount(1).creditorAccount(2).amount(100).currency(978)
            .channel(Channel.CARD);
        return publisher.send();
    }

    private void ack(final long producerId, final long seq, final long offset, final long epoch)
    {
        final AckEncoder encoder = new AckEncoder().wrapAndApplyHeader(ackBuffer, 0, new MessageHeaderEncoder())
            .producerId(producerId).producerSeq(seq).journalOffset(offset).engineEpoch(epoch);
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (acks.offer(ackBuffer, 0, length) < 0)
        {
            assertTrue(System.nanoTime() < deadline, "ack not offered");
            Thread.yield();
        }
    }

    private void refuse(
        final long fromSeq, final long toSeq, final RejectReason reason, final long nextExpected, final long epoch,
        final String detail)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1024]);
        final RefusalEncoder encoder = new RefusalEncoder().wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .producerId(PRODUCER).producerSeq(fromSeq).lastProducerSeq(toSeq).reason(reason.code())
            .nextExpectedSeq(nextExpected).engineEpoch(epoch).detail(detail);
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (acks.offer(buffer, 0, length) < 0)
        {
            assertTrue(System.nanoTime() < deadline, "refusal not offered");
            Thread.yield();
        }
    }

    @Test
    void aRefusedSequenceIsNeverAcknowledgedNorResentAndADuplicateCountsAsHeld()
    {
        try (TxmonPublisher publisher = patientPublisher())
        {
            assertTrue(publisher.awaitConnected(TimeUnit.SECONDS.toNanos(5)));
            awaitConnected();
            for (int i = 0; i < 10; i++)
            {
                assertTrue(send(publisher, i) > 0);
            }
            drainIngest(10);
            refuse(3, 4, RejectReason.CONFLICTING_DUPLICATE, 10, 1, "");
            refuse(5, 5, RejectReason.DUPLICATE, 10, 1, "");
            refuse(6, 6, RejectReason.CONFIG_CHANGE_REFUSED, 10, 1, "rules.x.y: no such key");
            ack(PRODUCER, 9, 109, 1);
            assertTrue(publisher.awaitAnswered(9, TimeUnit.SECONDS.toNanos(5)));
            assertTrue(publisher.awaitAcknowledged(2, 0));
            assertFalse(publisher.awaitAcknowledged(3, 0), "refused: not acknowledged");
            assertFalse(publisher.awaitAcknowledged(9, 0), "a refused sequence before it");
            assertEquals(3, publisher.refusedCount());
            assertEquals(1, publisher.duplicateCount());
            assertEquals(3, publisher.firstRefusedSeq());
            assertEquals(RejectReason.CONFIG_CHANGE_REFUSED, publisher.lastRefusalReason());
            assertEquals(6, publisher.lastRefusalSeq());
            assertEquals("rules.x.y: no such key", publisher.lastRefusalDetail());
            assertEquals(10, publisher.engineNextSeq());
            assertEquals(0, publisher.unacknowledgedCount());

            // the same refusal again does not count twice
            refuse(3, 4, RejectReason.CONFLICTING_DUPLICATE, 10, 1, "");
            ack(PRODUCER, 9, 109, 1);
            publisher.awaitAnswered(9, TimeUnit.SECONDS.toNanos(1));
            publisher.pollAcknowledgements();
            assertEquals(3, publisher.refusedCount());
        }
    }

    @Test
    void refusedEventsAreNotResentToANewEngineButAGapTheEngineCanFillIs()
    {
        try (TxmonPublisher publisher = patientPublisher())
        {
            assertTrue(publisher.awaitConnected(TimeUnit.SECONDS.toNanos(5)));
            awaitConnected();
            for (int i = 0; i < 10; i++)
            {
                assertTrue(send(publisher, i) > 0);
            }
            drainIngest(10);
            ack(PRODUCER, 1, 101, 1);
            refuse(4, 5, RejectReason.TIMESTAMP_SKEW, 2, 1, "");
            // the engine says it misses 2 and refuses 7 as a gap: 2 is still held here, so it is resent, not refused
            refuse(7, 7, RejectReason.SEQUENCE_GAP, 2, 1, "");
            assertTrue(publisher.awaitAnswered(1, TimeUnit.SECONDS.toNanos(5)));
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (publisher.resendCount() == 0)
            {
                assertTrue(System.nanoTime() < deadline, "no resend after a gap the publisher can fill");
                publisher.pollAcknowledgements();
            }
            assertEquals(2, publisher.refusedCount(), "the gap is not a refusal of 7 while 2 can be resent");
            drainIngest(10 + 6);
            assertEquals(List.of(2L, 3L, 6L, 7L, 8L, 9L), received.subList(10, 16), "every held event, none refused");

            // a new engine: what is neither acknowledged nor refused goes again
            ack(PRODUCER, 3, 103, 2);
            publisher.awaitAcknowledged(3, TimeUnit.SECONDS.toNanos(5));
            publisher.pollAcknowledgements();
            drainIngest(16 + 4);
            assertEquals(List.of(6L, 7L, 8L, 9L), received.subList(16, 20));
        }
    }

    /** Read what reached the "engine", recording producer sequences. */
    private void drainIngest(final int expectedTotal)
    {
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        final PaymentDecoder payment = new PaymentDecoder();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (received.size() < expectedTotal)
        {
            assertTrue(System.nanoTime() < deadline, "only " + received.size() + " of " + expectedTotal + " arrived");
            ingest.poll((buffer, offset, length, h) ->
            {
                payment.wrapAndApplyHeader(buffer, offset, header);
                received.add(payment.producerSeq());
            }, 64);
        }
    }

    private void awaitConnected()
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!acks.isConnected())
        {
            assertTrue(System.nanoTime() < deadline, "ack stream never connected");
            Thread.yield();
        }
    }

    @Test
    void acknowledgementsAreTrackedAndFreeTheBuffer()
    {
        try (TxmonPublisher publisher = publisher(1024 * 1024, 2_000))
        {
            assertTrue(publisher.awaitConnected(TimeUnit.SECONDS.toNanos(5)));
            awaitConnected();
            for (int i = 0; i < 10; i++)
            {
                assertTrue(send(publisher, i) > 0);
            }
            assertEquals(TxmonPublisher.NOTHING_ACKNOWLEDGED, publisher.acknowledgedSeq());
            assertEquals(10, publisher.unacknowledgedCount());

            ack(PRODUCER + 1, 9, 99, 7); // another producer's ack: ignored
            ack(PRODUCER, 5, 1005, 7);
            assertTrue(publisher.awaitAcknowledged(5, TimeUnit.SECONDS.toNanos(5)));
            assertEquals(5, publisher.acknowledgedSeq());
            assertEquals(1005, publisher.acknowledgedOffset());
            assertEquals(4, publisher.unacknowledgedCount());
            assertEquals(7, publisher.engineEpoch());
            assertFalse(publisher.awaitAcknowledged(9, TimeUnit.MILLISECONDS.toNanos(50)), "seq 9 was never acked");

            ack(PRODUCER, 9, 1009, 7);
            assertTrue(publisher.awaitAcknowledged(9, TimeUnit.SECONDS.toNanos(5)));
            assertEquals(0, publisher.unacknowledgedCount());
            assertEquals(0, publisher.resendCount());
        }
    }

    @Test
    void aNewEngineEpochResendsExactlyWhatWasNotAcknowledged()
    {
        try (TxmonPublisher publisher = publisher(1024 * 1024, 2_000))
        {
            assertTrue(publisher.awaitConnected(TimeUnit.SECONDS.toNanos(5)));
            awaitConnected();
            for (int i = 0; i < 10; i++)
            {
                assertTrue(send(publisher, i) > 0);
            }
            drainIngest(10);
            ack(PRODUCER, 3, 103, 1);
            assertTrue(publisher.awaitAcknowledged(3, TimeUnit.SECONDS.toNanos(5)));

            // the engine restarted: it has journaled up to 6 and says so with a new epoch
            ack(PRODUCER, 6, 106, 2);
            assertTrue(publisher.awaitAcknowledged(6, TimeUnit.SECONDS.toNanos(5)));
            publisher.pollAcknowledgements();
            drainIngest(13);
            assertEquals(List.of(7L, 8L, 9L), received.subList(10, 13), "only the unacknowledged, in order");
            assertEquals(3, publisher.resendCount());
        }
    }

    @Test
    void repeatedAcknowledgementsAloneResendNothingButTheRetransmitTimerResendsOnce()
    {
        try (TxmonPublisher publisher = new TxmonPublisher(new TxmonPublisher.Context()
            .aeron(aeron).channel("aeron:ipc").streamId(INGEST).ackChannel("aeron:ipc").ackStreamId(ACKS)
            .producerId(PRODUCER).sendTimeoutNs(TimeUnit.SECONDS.toNanos(2))
            .resendTimeoutNs(TimeUnit.MILLISECONDS.toNanos(200))))
        {
            assertTrue(publisher.awaitConnected(TimeUnit.SECONDS.toNanos(5)));
            for (int i = 0; i < 5; i++)
            {
                assertTrue(send(publisher, i) > 0);
            }
            drainIngest(5);
            ack(PRODUCER, 1, 11, 1);
            assertTrue(publisher.awaitAcknowledged(1, TimeUnit.SECONDS.toNanos(5)));
            // the same ack again and again (say, copies of old events arrived from elsewhere): events 2..4 may
            // simply be in flight, so that alone is no reason to resend
            ack(PRODUCER, 1, 11, 1);
            ack(PRODUCER, 1, 11, 1);
            final long quiet = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
            while (System.nanoTime() < quiet)
            {
                publisher.pollAcknowledgements();
            }
            assertEquals(0, publisher.resendCount());

            // no progress for the retransmit timeout: 2..4 are sent again, once
            assertFalse(publisher.awaitAcknowledged(4, TimeUnit.MILLISECONDS.toNanos(300)));
            drainIngest(8);
            assertEquals(List.of(2L, 3L, 4L), received.subList(5, 8));
            assertEquals(3, publisher.resendCount(), "one pass per retransmit timeout");
        }
    }

    @Test
    void anInvalidEventIsRefusedWithItsReasonAndKeepsItsSequence()
    {
        try (TxmonPublisher publisher = publisher(1024 * 1024, 2_000))
        {
            assertTrue(publisher.awaitConnected(TimeUnit.SECONDS.toNanos(5)));
            assertTrue(send(publisher, 1) > 0);
            publisher.payment().txId(2).debtorAccount(1).creditorAccount(2).amount(0).currency(978)
                .channel(Channel.CARD);
            assertEquals(TxmonPublisher.INVALID_EVENT, publisher.send());
            assertEquals(io.txmon.events.RejectReason.INVALID_AMOUNT, publisher.lastInvalidReason());
            assertEquals(1, publisher.nextProducerSeq(), "the refused event took no sequence");
            assertTrue(send(publisher, 3) > 0);
            drainIngest(2);
            assertEquals(List.of(0L, 1L), received, "nothing invalid reached the engine, no gap");
        }
    }

    @Test
    void aFullBufferOfUnacknowledgedEventsFailsTheSendClearly()
    {
        try (TxmonPublisher publisher = publisher(4096, 100))
        {
            assertTrue(publisher.awaitConnected(TimeUnit.SECONDS.toNanos(5)));
            long result = 1;
            int sent = 0;
            while (result > 0 && sent < 1000)
            {
                result = send(publisher, sent);
                if (result > 0)
                {
                    sent++;
                }
            }
            assertEquals(TxmonPublisher.UNACKNOWLEDGED_BUFFER_FULL, result);
            assertTrue(sent > 5 && sent < 1000, "the 4 KiB buffer holds some events: " + sent);
            assertEquals(sent, publisher.nextProducerSeq(), "the refused event keeps its sequence");
            assertTrue(TxmonPublisher.describe(result).contains("acknowledged nothing"));

            awaitConnected();
            ack(PRODUCER, sent - 1, sent - 1, 1);
            assertTrue(publisher.awaitAcknowledged(sent - 1, TimeUnit.SECONDS.toNanos(5)));
            assertTrue(send(publisher, sent) > 0, "room again once acknowledged");
        }
    }

    @Test
    void ackSubscriptionChannelForUdpIsDynamicMultiDestination()
    {
        assertEquals("aeron:ipc", TransportConfiguration.ackSubscriptionChannel("aeron:ipc"));
        assertEquals("aeron:udp?endpoint=127.0.0.1:0|control=127.0.0.1:40124|control-mode=dynamic",
            TransportConfiguration.ackSubscriptionChannel(TransportConfiguration.DEFAULT_UDP_ACK_CHANNEL));
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> TransportConfiguration.ackSubscriptionChannel("aeron:udp?endpoint=127.0.0.1:40124"));
        assertTrue(ex.getMessage().contains("multi-destination-cast"), ex.getMessage());
    }
}
