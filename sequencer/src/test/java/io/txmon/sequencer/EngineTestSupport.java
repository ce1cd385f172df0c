package io.txmon.sequencer;

import io.aeron.ExclusivePublication;
import io.aeron.Publication;
import io.txmon.events.codec.Channel;
import io.txmon.events.codec.MessageHeaderDecoder;
import io.txmon.events.codec.MessageHeaderEncoder;
import io.txmon.events.codec.PaymentDecoder;
import io.txmon.events.codec.PaymentEncoder;
import io.txmon.journal.JournalReader;
import io.txmon.rules.Rule;
import io.txmon.transport.TxmonPublisher;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.YieldingIdleStrategy;

import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Helpers shared by the engine tests: launching, encoding raw messages, sending and reading the journal back.
 */
final class EngineTestSupport
{
    static final long EVENT_TIME_BASE = 1_700_000_000_000_000_000L;
    static final int EUR = 978;
    static final long TIMEOUT_MS = 15_000;

    private EngineTestSupport()
    {
    }

    /**
     * The event time of a test event with that producer sequence: the base plus the sequence, kept within the
     * event times the validator takes whatever the sequence (Long.MAX_VALUE included).
     */
    static long eventTimeOf(final long seq)
    {
        return EVENT_TIME_BASE + Math.floorMod(seq, 1L << 40);
    }

    static Engine.Context context(final Path aeronDir, final Path journalDir, final IntFunction<Rule[]> rules)
    {
        return new Engine.Context()
            .aeronDirectoryName(aeronDir.toString())
            .journalDir(journalDir)
            .segmentLength(4 * 1024 * 1024)
            .rulesFactory(rules)
            .unjournaledRules(true);
    }

    static TxmonPublisher publisher(final Engine engine, final long producerId, final long firstProducerSeq)
    {
        final TxmonPublisher publisher = new TxmonPublisher(
            engine.aeron(), engine.context().ingestChannel(), engine.context().ingestStreamId(),
            producerId, firstProducerSeq, new YieldingIdleStrategy(), TimeUnit.SECONDS.toNanos(10));
        assertTrue(publisher.awaitConnected(TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS)), "publisher connected");
        return publisher;
    }

    static ExclusivePublication rawPublication(final Engine engine)
    {
        final ExclusivePublication publication = engine.aeron().addExclusivePublication(
            engine.context().ingestChannel(), engine.context().ingestStreamId());
        Await.await(TIMEOUT_MS, publication::isConnected, () -> "raw publication connected", null);
        return publication;
    }

    /**
     * Send a payment whose fields derive from its producer sequence; fails the test if the send fails.
     */
    static void sendPayment(final TxmonPublisher publisher, final long amount)
    {
        final long seq = publisher.nextProducerSeq();
        fillPayment(publisher.payment(), seq, amount);
        final long result = publisher.send();
        assertTrue(result > 0, () -> "send of seq " + seq + " failed: " + TxmonPublisher.describe(result));
    }

    static void sendPayment(final TxmonPublisher publisher, final long amount, final int currency)
    {
        final long seq = publisher.nextProducerSeq();
        fillPayment(publisher.payment(), seq, amount);
        publisher.payment().currency(currency);
        final long result = publisher.send();
        assertTrue(result > 0, () -> "send of seq " + seq + " failed: " + TxmonPublisher.describe(result));
    }

    static void fillPayment(final PaymentEncoder payment, final long seq, final long amount)
    {
        payment
            .eventTime(eventTimeOf(seq))
            .txId(10_000_000L + seq)
            .debtorAccount(1 + (seq & 0xFFFF))
            .creditorAccount(100_000 + (seq & 0xFFFF))
            .amount(amount)
            .currency(EUR)
            .channel(Channel.SEPA)
            .debtorCountry(0, (byte)'D').debtorCountry(1, (byte)'E')
            .creditorCountry(0, (byte)'F').creditorCountry(1, (byte)'R')
            .latitude(PaymentEncoder.latitudeNullValue())
            .longitude(PaymentEncoder.longitudeNullValue());
    }

    /**
     * Encode a complete payment, header included, as a producer would.
     *
     * @return its length.
     */
    static int encodePayment(
        final MutableDirectBuffer buffer, final int offset, final long producerId, final long producerSeq, final long amount)
    {
        final PaymentEncoder payment = new PaymentEncoder()
            .wrapAndApplyHeader(buffer, offset, new MessageHeaderEncoder())
            .producerId(producerId)
            .producerSeq(producerSeq);
        fillPayment(payment, producerSeq, amount);
        payment.reference("");
        return MessageHeaderEncoder.ENCODED_LENGTH + payment.encodedLength();
    }

    /**
     * The sequencer counts an event received before its outcome (journaled, rejected or duplicate), so a test
     * waits for this rather than for received alone.
     */
    static boolean settled(final EngineCounters counters, final long sent)
    {
        return counters.received() == sent &&
            counters.journaled() + counters.rejected() + counters.duplicates() == sent;
    }

    /**
     * Offer until accepted or the deadline passes.
     */
    static void offer(final Publication publication, final DirectBuffer buffer, final int offset, final int length)
    {
        final long[] result = new long[1];
        Await.await(
            TIMEOUT_MS,
            () -> (result[0] = publication.offer(buffer, offset, length)) > 0,
            () -> "offer accepted, last result " + result[0],
            null);
    }

    static void awaitCondition(final java.util.function.BooleanSupplier condition, final java.util.function.Supplier<String> what)
    {
        Await.await(TIMEOUT_MS, condition, what, null);
    }

    static String describe(final EngineCounters c)
    {
        return "received=" + c.received() + " journaled=" + c.journaled() + " duplicates=" + c.duplicates() +
            " rejected=" + c.rejected() + " evaluated=" + c.evaluated() + " decided=" + c.decided() +
            " ruleErrors=" + c.ruleErrors() + " journalErrors=" + c.journalErrors() + " gaps=" + c.sequenceGaps();
    }

    static void assertNoErrors(final EngineErrors errors)
    {
        assertEquals(0, errors.count(), () -> "engine errors: " + errors.distinct());
    }

    /**
     * One journal record, with the envelope every ingest template starts with.
     */
    static final class JournalRecord
    {
        final long offset;
        final long timestamp;
        final int templateId;
        final int headerTemplateId;
        final long producerId;
        final long producerSeq;
        final long amount;
        final int length;

        JournalRecord(
            final long offset,
            final long timestamp,
            final int templateId,
            final int headerTemplateId,
            final long producerId,
            final long producerSeq,
            final long amount,
            final int length)
        {
            this.offset = offset;
            this.timestamp = timestamp;
            this.templateId = templateId;
            this.headerTemplateId = headerTemplateId;
            this.producerId = producerId;
            this.producerSeq = producerSeq;
            this.amount = amount;
            this.length = length;
        }

        public String toString()
        {
            return "offset=" + offset + " ts=" + timestamp + " template=" + templateId + " producer=" + producerId +
                " seq=" + producerSeq + " amount=" + amount;
        }
    }

    static List<JournalRecord> readJournal(final Path journalDir)
    {
        final List<JournalRecord> records = new ArrayList<>();
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        final PaymentDecoder payment = new PaymentDecoder();
        try (JournalReader reader = JournalReader.open(journalDir))
        {
            while (reader.poll((offset, timestamp, templateId, buffer, payloadOffset, payloadLength) ->
            {
                header.wrap(buffer, payloadOffset);
                final int body = payloadOffset + MessageHeaderDecoder.ENCODED_LENGTH;
                long amount = 0;
                if (header.templateId() == PaymentDecoder.TEMPLATE_ID)
                {
                    payment.wrap(buffer, body, header.blockLength(), header.version());
                    amount = payment.amount();
                }
                records.add(new JournalRecord(
                    offset,
                    timestamp,
                    templateId,
                    header.templateId(),
                    buffer.getLong(body, ByteOrder.LITTLE_ENDIAN),
                    buffer.getLong(body + 8, ByteOrder.LITTLE_ENDIAN),
                    amount,
                    payloadLength));
            }, 1024) > 0)
            {
                // read on
            }
        }
        return records;
    }

    /**
     * Offsets dense from 0 and ingest times that never go backwards.
     */
    static void assertDenseAndMonotonic(final List<JournalRecord> records)
    {
        long lastTimestamp = Long.MIN_VALUE;
        for (int i = 0; i < records.size(); i++)
        {
            final JournalRecord record = records.get(i);
            assertEquals(i, record.offset, "offsets dense from 0");
            assertTrue(record.timestamp >= lastTimestamp, () -> "ingest time went backwards at " + record);
            assertEquals(record.templateId, record.headerTemplateId, "frame template id matches the payload's");
            lastTimestamp = record.timestamp;
        }
    }
}
