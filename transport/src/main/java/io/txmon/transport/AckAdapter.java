package io.txmon.transport;

import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import io.txmon.events.RejectReason;
import io.txmon.events.codec.AckDecoder;
import io.txmon.events.codec.MessageHeaderDecoder;
import io.txmon.events.codec.RefusalDecoder;
import org.agrona.DirectBuffer;

/**
 * Producer side of the acknowledgement stream: polls it, decodes {@code Ack} and {@code Refusal} messages of one
 * producer (or of every producer) and dispatches them to an {@link AckHandler}. Messages of another schema, a
 * template it does not know, or too short for their block are counted and skipped.
 * <p>
 * Not thread safe. Allocation free.
 */
public final class AckAdapter implements FragmentHandler
{
    /** Producer id that passes messages of every producer to the handler. */
    public static final long ANY_PRODUCER = Long.MIN_VALUE;

    private final Subscription subscription;
    private final AckHandler handler;
    private final long producerId;
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final AckDecoder ack = new AckDecoder();
    private final RefusalDecoder refusal = new RefusalDecoder();
    private long invalidCount;

    /**
     * @param subscription to the acknowledgement stream.
     * @param handler      receiving acknowledgements and refusals.
     * @param producerId   whose messages to pass on, or {@link #ANY_PRODUCER}.
     */
    public AckAdapter(final Subscription subscription, final AckHandler handler, final long producerId)
    {
        this.subscription = subscription;
        this.handler = handler;
        this.producerId = producerId;
    }

    /**
     * @param fragmentLimit most fragments to read.
     * @return fragments read.
     */
    public int poll(final int fragmentLimit)
    {
        return subscription.poll(this, fragmentLimit);
    }

    /**
     * @return messages skipped as not a valid acknowledgement or refusal.
     */
    public long invalidCount()
    {
        return invalidCount;
    }

    public void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header hdr)
    {
        if (length < MessageHeaderDecoder.ENCODED_LENGTH)
        {
            invalidCount++;
            return;
        }
        header.wrap(buffer, offset);
        final int body = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        final int blockLength = header.blockLength();
        if (header.schemaId() != AckDecoder.SCHEMA_ID || body + blockLength > offset + length)
        {
            invalidCount++;
            return;
        }
        final int templateId = header.templateId();
        if (templateId == AckDecoder.TEMPLATE_ID && blockLength >= AckDecoder.BLOCK_LENGTH)
        {
            ack.wrap(buffer, body, blockLength, header.version());
            if (producerId == ANY_PRODUCER || ack.producerId() == producerId)
            {
                handler.onAck(ack.producerId(), ack.producerSeq(), ack.journalOffset(), ack.engineEpoch());
            }
        }
        else if (templateId == RefusalDecoder.TEMPLATE_ID && blockLength >= RefusalDecoder.BLOCK_LENGTH &&
            body + blockLength + RefusalDecoder.detailHeaderLength() <= offset + length)
        {
            refusal.wrap(buffer, body, blockLength, header.version());
            final int detailLength = refusal.detailLength();
            final int detailOffset = body + blockLength + RefusalDecoder.detailHeaderLength();
            if (detailOffset + detailLength > offset + length)
            {
                invalidCount++;
                return;
            }
            if (producerId == ANY_PRODUCER || refusal.producerId() == producerId)
            {
                final int code = refusal.reason();
                handler.onRefusal(
                    refusal.producerId(),
                    refusal.producerSeq(),
                    refusal.lastProducerSeq(),
                    RejectReason.fromCode(code),
                    code,
                    refusal.nextExpectedSeq(),
                    refusal.engineEpoch(),
                    buffer,
                    detailOffset,
                    detailLength);
            }
        }
        else
        {
            invalidCount++;
        }
    }
}
