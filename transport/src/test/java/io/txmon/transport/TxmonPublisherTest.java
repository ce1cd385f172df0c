package io.txmon.transport;

import io.aeron.Aeron;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.txmon.events.MessageValidator;
import io.txmon.events.RejectReason;
import io.txmon.events.codec.Channel;
import io.txmon.events.codec.ConfigAction;
import io.txmon.events.codec.ConfigChangeDecoder;
import io.txmon.events.codec.MessageHeaderDecoder;
import io.txmon.events.codec.MessageHeaderEncoder;
import io.txmon.events.codec.OrderAction;
import io.txmon.events.codec.PaymentDecoder;
import io.txmon.events.codec.PaymentEncoder;
import io.txmon.events.codec.Side;
import org.agrona.CloseHelper;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

class TxmonPublisherTest
{
    private static final int STREAM_ID = 1001;

    @TempDir
    Path tempDir;

    private MediaDriver driver;
    private Aeron aeron;

    @BeforeEach
    void launch()
    {
        driver = EmbeddedDriver.launch(tempDir.resolve("aeron").toString(), false);
        aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.aeronDirectoryName()));
    }

    @AfterEach
    void close()
    {
        CloseHelper.closeAll(aeron, driver);
        assertFalse(Files.exists(tempDir.resolve("aeron")), "embedded driver removes its directory");
    }

    private TxmonPublisher publisher(final long timeoutMs)
    {
        return new TxmonPublisher(
            aeron, "aeron:ipc", STREAM_ID, 7, 100, new BackoffIdleStrategy(), TimeUnit.MILLISECONDS.toNanos(timeoutMs));
    }

    @Test
    void sendWithNoEngineTimesOutAndDoesNotConsumeTheSequence()
    {
        try (TxmonPublisher publisher = publisher(50))
        {
            publisher.payment().txId(1).debtorAccount(1).creditorAccount(2).amount(5).currency(978)
                .channel(Channel.CARD);
            assertEquals(TxmonPublisher.TIMED_OUT, publisher.send());
            assertEquals(100, publisher.nextProducerSeq(), "a failed send keeps its producer sequence");
            assertTrue(TxmonPublisher.describe(TxmonPublisher.TIMED_OUT).contains("is it running"));
        }
    }

    @Test
    void sendWithNothingEncodedIsRefused()
    {
        try (TxmonPublisher publisher = publisher(50))
        {
            assertEquals(TxmonPublisher.NOTHING_TO_SEND, publisher.send());
        }
    }

    @Test
    void sendAfterCloseReportsClosed()
    {
        final TxmonPublisher publisher = publisher(50);
        publisher.close();
        publisher.order().orderId(1).account(1).instrument(1).price(1).quantity(1).side(Side.BUY)
            .action(OrderAction.NEW);
        assertEquals(TxmonPublisher.CLOSED, publisher.send());
        assertEquals(100, publisher.nextProducerSeq());
    }

    @Test
    void publishedEventsArriveValidWithConsecutiveSequencesAndAnEmptyReference()
    {
        final List<String> received = new ArrayList<>();
        final MessageValidator validator = new MessageValidator();
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        final PaymentDecoder payment = new PaymentDecoder();
        final ConfigChangeDecoder config = new ConfigChangeDecoder();

        try (Subscription subscription = aeron.addSubscription("aeron:ipc", STREAM_ID);
            TxmonPublisher publisher = publisher(5_000))
        {
            final IngestAdapter adapter = new IngestAdapter(subscription, (buffer, offset, length) ->
            {
                assertEquals(RejectReason.NONE, validator.validate(buffer, offset, length));
                header.wrap(buffer, offset);
                if (header.templateId() == PaymentDecoder.TEMPLATE_ID)
                {
                    payment.wrapAndApplyHeader(buffer, offset, header);
                    received.add("payment " + payment.producerId() + "/" + payment.producerSeq() + " " +
                        payment.amount() + " ref='" + payment.reference() + "'");
                }
                else
                {
                    config.wrapAndApplyHeader(buffer, offset, header);
                    received.add("config " + config.producerSeq() + " " + config.action() + " " + config.key() +
                        "=" + config.value());
                }
            });
            assertTrue(publisher.awaitConnected(TimeUnit.SECONDS.toNanos(5)));

            publisher.payment().txId(1).debtorAccount(1).creditorAccount(2).amount(500).currency(978)
                .channel(Channel.CARD);
            assertTrue(publisher.send() > 0);
            publisher.payment().txId(2).debtorAccount(1).creditorAccount(2).amount(600).currency(978)
                .channel(Channel.WIRE).reference("invoice 42");
            assertTrue(publisher.send() > 0);
            assertTrue(publisher.sendConfigChange(1, 3, ConfigAction.SET_PARAMETER, "threshold", "5000") > 0);

            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (received.size() < 3 && System.nanoTime() < deadline)
            {
                if (adapter.poll(10) == 0)
                {
                    Thread.yield();
                }
            }
        }

        assertEquals(List.of(
            "payment 7/100 500 ref=''",
            "payment 7/101 600 ref='invoice 42'",
            "config 102 SET_PARAMETER threshold=5000"), received);
    }

    @Test
    void aMessageEncodedElsewhereGoesOutWithThisPublishersIdAndSequence()
    {
        final UnsafeBuffer elsewhere = new UnsafeBuffer(new byte[256]);
        final PaymentEncoder encoder = new PaymentEncoder();
        encoder.wrapAndApplyHeader(elsewhere, 16, new MessageHeaderEncoder())
            .producerId(99).producerSeq(12_345).eventTime(1_000).txId(77).debtorAccount(1).creditorAccount(2)
            .amount(4_200).currency(978).channel(Channel.WIRE).reference("copied");
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
        final List<String> received = new ArrayList<>();
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        final PaymentDecoder payment = new PaymentDecoder();

        try (Subscription subscription = aeron.addSubscription("aeron:ipc", STREAM_ID);
            TxmonPublisher publisher = publisher(5_000))
        {
            final IngestAdapter adapter = new IngestAdapter(subscription, (buffer, offset, len) ->
            {
                payment.wrapAndApplyHeader(buffer, offset, header);
                received.add(payment.producerId() + "/" + payment.producerSeq() + " tx " + payment.txId() + " " +
                    payment.amount() + " ref='" + payment.reference() + "'");
            });
            assertTrue(publisher.awaitConnected(TimeUnit.SECONDS.toNanos(5)));

            assertTrue(publisher.send(elsewhere, 16, length) > 0);
            assertTrue(publisher.send(elsewhere, 16, length) > 0);
            assertEquals(TxmonPublisher.INVALID_EVENT, publisher.send(elsewhere, 16, 20));
            assertEquals(RejectReason.TRUNCATED_BLOCK, publisher.lastInvalidReason());
            elsewhere.putLong(16 + MessageHeaderEncoder.ENCODED_LENGTH + PaymentEncoder.amountEncodingOffset(), -1,
                MessageHeaderEncoder.BYTE_ORDER);
            assertEquals(TxmonPublisher.INVALID_EVENT, publisher.send(elsewhere, 16, length));
            assertEquals(RejectReason.INVALID_AMOUNT, publisher.lastInvalidReason());
            assertEquals(102, publisher.nextProducerSeq(), "refused messages take no sequence");

            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (received.size() < 2 && System.nanoTime() < deadline)
            {
                if (adapter.poll(10) == 0)
                {
                    Thread.yield();
                }
            }
        }

        assertEquals(List.of("7/100 tx 77 4200 ref='copied'", "7/101 tx 77 4200 ref='copied'"), received);
    }

    @Test
    void alertAdapterSkipsMessagesThatAreNotAlerts()
    {
        try (Subscription subscription = aeron.addSubscription("aeron:ipc", 1002);
            io.aeron.Publication publication = aeron.addPublication("aeron:ipc", 1002))
        {
            final int[] alerts = {0};
            final AlertAdapter adapter = new AlertAdapter(subscription, (alert) -> alerts[0]++);
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!publication.isConnected() && System.nanoTime() < deadline)
            {
                Thread.yield();
            }
            final UnsafeBuffer garbage = new UnsafeBuffer(new byte[16]);
            garbage.putLong(0, -1L);
            while (publication.offer(garbage, 0, 16) < 0 && System.nanoTime() < deadline)
            {
                Thread.yield();
            }
            while (adapter.invalidCount() == 0 && System.nanoTime() < deadline)
            {
                adapter.poll(10);
            }
            assertEquals(1, adapter.invalidCount());
            assertEquals(0, alerts[0]);
        }
    }
}
