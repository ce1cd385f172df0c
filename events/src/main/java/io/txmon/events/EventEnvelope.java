package io.txmon.events;

import io.txmon.events.codec.MessageHeaderDecoder;
import io.txmon.events.codec.PaymentDecoder;
import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

/**
 * The envelope every ingest event shares, by schema convention: its block starts with {@code producerId}
 * (int64), then {@code producerSeq} (int64), then {@code eventTime} (int64), whatever the template. The
 * sequencer dedupes, the publisher tracks acknowledgements and the reject log names producers through
 * these accessors, with no per-template switch. {@code SchemaConventionTest} fails if a schema change
 * breaks the convention.
 * <p>
 * The accessors read a whole message that starts with its SBE header; the caller has checked it is long
 * enough ({@link #LENGTH} bytes at least), e.g. with {@link MessageValidator}.
 */
public final class EventEnvelope
{
    /** Offset of producerId from the start of the message (the header included). */
    public static final int PRODUCER_ID_OFFSET =
        MessageHeaderDecoder.ENCODED_LENGTH + PaymentDecoder.producerIdEncodingOffset();
    /** Offset of producerSeq from the start of the message. */
    public static final int PRODUCER_SEQ_OFFSET =
        MessageHeaderDecoder.ENCODED_LENGTH + PaymentDecoder.producerSeqEncodingOffset();
    /** Offset of eventTime from the start of the message. */
    public static final int EVENT_TIME_OFFSET =
        MessageHeaderDecoder.ENCODED_LENGTH + PaymentDecoder.eventTimeEncodingOffset();
    /** Bytes a message needs for the envelope to be read. */
    public static final int LENGTH = EVENT_TIME_OFFSET + 8;

    private static final ByteOrder ORDER = MessageHeaderDecoder.BYTE_ORDER;

    private EventEnvelope()
    {
    }

    /**
     * @param buffer  holding the message.
     * @param message offset of the message's SBE header.
     * @return the producer id.
     */
    public static long producerId(final DirectBuffer buffer, final int message)
    {
        return buffer.getLong(message + PRODUCER_ID_OFFSET, ORDER);
    }

    /**
     * @param buffer  holding the message.
     * @param message offset of the message's SBE header.
     * @return the producer sequence.
     */
    public static long producerSeq(final DirectBuffer buffer, final int message)
    {
        return buffer.getLong(message + PRODUCER_SEQ_OFFSET, ORDER);
    }

    /**
     * @param buffer  holding the message.
     * @param message offset of the message's SBE header.
     * @return the event time, epoch nanoseconds.
     */
    public static long eventTime(final DirectBuffer buffer, final int message)
    {
        return buffer.getLong(message + EVENT_TIME_OFFSET, ORDER);
    }
}
