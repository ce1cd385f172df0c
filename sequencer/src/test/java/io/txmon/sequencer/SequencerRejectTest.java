package io.txmon.sequencer;

import io.aeron.ExclusivePublication;
import io.txmon.events.RejectReason;
import io.txmon.events.codec.AlertEncoder;
import io.txmon.events.codec.MessageHeaderEncoder;
import io.txmon.events.codec.PaymentDecoder;
import io.txmon.events.codec.Severity;
import io.txmon.rules.Rule;
import io.txmon.rules.typology.LargeAmountRule;
import io.txmon.transport.TxmonPublisher;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import static io.txmon.sequencer.EngineTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

class SequencerRejectTest
{
    private static final int ROUNDS = 20;
    private static final long VALID_PRODUCER = 1;
    private static final long RAW_PRODUCER = 2;

    @TempDir
    Path tempDir;

    private static final class Reject
    {
        final RejectReason reason;
        final int length;
        final byte[] bytes;

        Reject(final RejectReason reason, final DirectBuffer buffer, final int offset, final int length)
        {
            this.reason = reason;
            this.length = length;
            this.bytes = new byte[length];
            buffer.getBytes(offset, bytes);
        }
    }

    @Test
    void malformedMessagesAreCountedByReasonReportedAndNeverJournaled()
    {
        final Path journalDir = tempDir.resolve("journal");
        final ConcurrentLinkedQueue<Reject> rejects = new ConcurrentLinkedQueue<>();
        final AtomicInteger journalFailures = new AtomicInteger();
        final EngineErrors errors = new EngineErrors();
        final Engine engine = Engine.launch(context(
            tempDir.resolve("aeron"), journalDir, (w) -> new Rule[]{ new LargeAmountRule(1_000_000L, Severity.HIGH) })
            .errorHandler(errors)
            .rejectListener(new RejectListener()
            {
                public void onReject(final RejectReason reason, final DirectBuffer buffer, final int offset, final int length)
                {
                    rejects.add(new Reject(reason, buffer, offset, length));
                }

                public void onJournalFailure(final long status, final Exception cause)
                {
                    journalFailures.incrementAndGet();
                }
            }));
        TxmonPublisher publisher = null;
        ExclusivePublication raw = null;
        try
        {
            publisher = publisher(engine, VALID_PRODUCER, 0);
            raw = rawPublication(engine);

            final Map<RejectReason, UnsafeBuffer> bad = badMessages();
            final List<RejectReason> reasons = new ArrayList<>(bad.keySet());
            for (int round = 0; round < ROUNDS; round++)
            {
                for (final RejectReason reason : reasons)
                {
                    sendPayment(publisher, 1_000 + round);
                    final UnsafeBuffer message = bad.get(reason);
                    offer(raw, message, 0, message.capacity());
                }
            }

            final int badTotal = ROUNDS * reasons.size();
            final int validTotal = ROUNDS * reasons.size();
            final EngineCounters counters = engine.counters();
            awaitCondition(
                () -> settled(counters, badTotal + validTotal) && counters.decided() == validTotal,
                () -> describe(counters));

            assertEquals(validTotal, counters.journaled());
            assertEquals(badTotal, counters.rejected());
            for (final RejectReason reason : RejectReason.values())
            {
                final long expected = bad.containsKey(reason) ? ROUNDS : 0;
                assertEquals(expected, counters.rejected(reason), "rejects counted for " + reason);
            }

            // the listener saw each reject, with its reason and the bytes that were sent
            assertEquals(badTotal, rejects.size());
            final Map<RejectReason, Integer> seen = new EnumMap<>(RejectReason.class);
            for (final Reject reject : rejects)
            {
                seen.merge(reject.reason, 1, Integer::sum);
                final UnsafeBuffer sent = bad.get(reject.reason);
                assertNotNull(sent, () -> "unexpected reason " + reject.reason);
                assertEquals(sent.capacity(), reject.length, "length of " + reject.reason);
                assertArrayEquals(sent.byteArray(), reject.bytes, "bytes of " + reject.reason);
            }
            for (final RejectReason reason : reasons)
            {
                assertEquals(ROUNDS, seen.get(reason), "listener told of " + reason);
            }

            // the engine keeps running: valid events after the bad ones are journaled, the raw producer's too,
            // whose producer sequence 0 was carried only by rejected messages so far
            sendPayment(publisher, 77);
            final UnsafeBuffer rawValid = new UnsafeBuffer(new byte[256]);
            final int rawValidLength = encodePayment(rawValid, 0, RAW_PRODUCER, 0, 55);
            offer(raw, rawValid, 0, rawValidLength);
            awaitCondition(() -> counters.journaled() == validTotal + 2 && counters.decided() == validTotal + 2,
                () -> describe(counters));

            assertEquals(0, counters.duplicates());
            assertEquals(0, counters.journalErrors());
            assertEquals(0, journalFailures.get());
            assertEquals(badTotal, counters.rejected(), "no new rejects");
            assertNoErrors(errors);

            // the journal: only the valid payments, dense offsets, every producer's order kept
            final List<JournalRecord> records = readJournal(journalDir);
            assertEquals(validTotal + 2, records.size());
            assertDenseAndMonotonic(records);
            long nextValidSeq = 0;
            int rawCount = 0;
            for (final JournalRecord record : records)
            {
                assertEquals(PaymentDecoder.TEMPLATE_ID, record.templateId, () -> "only payments: " + record);
                assertTrue(record.amount > 0, () -> "no invalid amount journaled: " + record);
                if (record.producerId == VALID_PRODUCER)
                {
                    assertEquals(nextValidSeq++, record.producerSeq);
                }
                else
                {
                    assertEquals(RAW_PRODUCER, record.producerId);
                    assertEquals(0, record.producerSeq);
                    assertEquals(55, record.amount);
                    assertEquals(rawValidLength, record.length);
                    rawCount++;
                }
            }
            assertEquals(validTotal + 1, nextValidSeq);
            assertEquals(1, rawCount);
        }
        finally
        {
            CloseHelper.closeAll(publisher, raw, engine);
        }
    }

    /**
     * One message per reason, each built from a valid payment of the raw producer.
     */
    private static Map<RejectReason, UnsafeBuffer> badMessages()
    {
        final Map<RejectReason, UnsafeBuffer> messages = new EnumMap<>(RejectReason.class);
        final UnsafeBuffer scratch = new UnsafeBuffer(new byte[512]);

        final int paymentLength = encodePayment(scratch, 0, RAW_PRODUCER, 0, 1_000);
        messages.put(RejectReason.TRUNCATED_HEADER, copy(scratch, 5));

        final UnsafeBuffer wrongSchema = copy(scratch, paymentLength);
        wrongSchema.putShort(MessageHeaderEncoder.schemaIdEncodingOffset(),
            (short)(MessageHeaderEncoder.SCHEMA_ID + 1), MessageHeaderEncoder.BYTE_ORDER);
        messages.put(RejectReason.WRONG_SCHEMA_ID, wrongSchema);

        final UnsafeBuffer unknownTemplate = copy(scratch, paymentLength);
        unknownTemplate.putShort(MessageHeaderEncoder.templateIdEncodingOffset(), (short)99, MessageHeaderEncoder.BYTE_ORDER);
        messages.put(RejectReason.UNKNOWN_TEMPLATE, unknownTemplate);

        scratch.setMemory(0, scratch.capacity(), (byte)0);
        final AlertEncoder alert = new AlertEncoder().wrapAndApplyHeader(scratch, 0, new MessageHeaderEncoder())
            .alertId(1L << 16)
            .ruleId(LargeAmountRule.ID)
            .ruleVersion(LargeAmountRule.VERSION)
            .severity(Severity.HIGH)
            .score(700)
            .triggeringOffset(1)
            .account(5)
            .eventTime(EVENT_TIME_BASE);
        alert.evidenceCount(1).next().offset(1);
        alert.reason("forged on ingest");
        messages.put(RejectReason.EGRESS_ONLY_TEMPLATE, copy(scratch, MessageHeaderEncoder.ENCODED_LENGTH + alert.encodedLength()));

        final int zeroLength = encodePayment(scratch, 0, RAW_PRODUCER, 0, 0);
        messages.put(RejectReason.INVALID_AMOUNT, copy(scratch, zeroLength));

        return messages;
    }

    private static UnsafeBuffer copy(final UnsafeBuffer source, final int length)
    {
        final byte[] bytes = new byte[length];
        source.getBytes(0, bytes);
        return new UnsafeBuffer(bytes);
    }
}
