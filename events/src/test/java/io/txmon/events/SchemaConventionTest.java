package io.txmon.events;

import io.txmon.events.codec.AccountUpdateDecoder;
import io.txmon.events.codec.ConfigChangeDecoder;
import io.txmon.events.codec.ExecutionDecoder;
import io.txmon.events.codec.OrderDecoder;
import io.txmon.events.codec.PaymentDecoder;
import io.txmon.events.codec.PaymentEncoder;
import io.txmon.events.codec.Channel;
import io.txmon.events.codec.MessageHeaderEncoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The sequencer dedupes without a per-template switch because every ingest template starts its block
 * with producerId (int64) then producerSeq (int64). A schema change that breaks this fails here.
 */
class SchemaConventionTest
{
    @Test
    void everyIngestTemplateStartsWithProducerIdThenProducerSeq()
    {
        final int[][] offsets = {
            { PaymentDecoder.producerIdEncodingOffset(), PaymentDecoder.producerSeqEncodingOffset() },
            { OrderDecoder.producerIdEncodingOffset(), OrderDecoder.producerSeqEncodingOffset() },
            { ExecutionDecoder.producerIdEncodingOffset(), ExecutionDecoder.producerSeqEncodingOffset() },
            { AccountUpdateDecoder.producerIdEncodingOffset(), AccountUpdateDecoder.producerSeqEncodingOffset() },
            { ConfigChangeDecoder.producerIdEncodingOffset(), ConfigChangeDecoder.producerSeqEncodingOffset() },
        };
        for (final int[] pair : offsets)
        {
            assertEquals(0, pair[0]);
            assertEquals(8, pair[1]);
        }
        // and the event time next: the sequencer's clock-skew check reads it there
        for (final int eventTime : new int[]{ PaymentDecoder.eventTimeEncodingOffset(), OrderDecoder.eventTimeEncodingOffset(),
            ExecutionDecoder.eventTimeEncodingOffset(), AccountUpdateDecoder.eventTimeEncodingOffset(),
            ConfigChangeDecoder.eventTimeEncodingOffset() })
        {
            assertEquals(16, eventTime);
        }
    }

    @Test
    void negativeProducerSequenceIsRefusedAndZeroAccepted()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
        final MessageValidator validator = new MessageValidator();
        for (final long seq : new long[]{ -1, Long.MIN_VALUE, 0, Long.MAX_VALUE })
        {
            final PaymentEncoder payment = new PaymentEncoder().wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
                .producerId(1).producerSeq(seq).eventTime(1).txId(1).debtorAccount(1).creditorAccount(2).amount(1)
                .currency(978).channel(Channel.CARD).debtorCountry("DE").creditorCountry("FR").latitude(0).longitude(0);
            payment.putReference(buffer, 0, 0);
            final int length = MessageHeaderEncoder.ENCODED_LENGTH + payment.encodedLength();
            assertEquals(seq < 0 ? RejectReason.INVALID_PRODUCER_SEQ : RejectReason.NONE,
                validator.validate(buffer, 0, length), "producerSeq " + seq);
        }
    }
}
