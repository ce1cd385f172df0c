package io.txmon.transport;

import io.aeron.Publication;
import io.txmon.events.codec.AckEncoder;
import io.txmon.events.codec.MessageHeaderEncoder;
import io.txmon.events.codec.RefusalEncoder;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;

/**
 * Engine side of the acknowledgement stream: encodes {@code Ack} and {@code Refusal} messages and offers them
 * once, returning the publication's status; the caller decides whether to try again later. Never blocks.
 * <p>
 * Not thread safe. Allocation free.
 */
public final class AckProxy
{
    /** Longest refusal detail sent, in bytes; longer text is cut. */
    public static final int MAX_DETAIL_LENGTH = 512;

    private final Publication publication;
    private final long engineEpoch;
    private final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(
        MessageHeaderEncoder.ENCODED_LENGTH + Math.max(AckEncoder.BLOCK_LENGTH, RefusalEncoder.BLOCK_LENGTH) +
        RefusalEncoder.detailHeaderLength() + MAX_DETAIL_LENGTH + 64));
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final AckEncoder ack = new AckEncoder();
    private final RefusalEncoder refusal = new RefusalEncoder();

    /**
     * @param publication of the acknowledgement stream.
     * @param engineEpoch identifies this run of the engine in every message.
     */
    public AckProxy(final Publication publication, final long engineEpoch)
    {
        this.publication = publication;
        this.engineEpoch = engineEpoch;
    }

    /**
     * @param producerId    acknowledged.
     * @param producerSeq   highest sequence held for it.
     * @param journalOffset of its newest journaled event, or -1.
     * @return the publication's offer result.
     */
    public long ack(final long producerId, final long producerSeq, final long journalOffset)
    {
        ack.wrapAndApplyHeader(buffer, 0, header)
            .producerId(producerId)
            .producerSeq(producerSeq)
            .journalOffset(journalOffset)
            .engineEpoch(engineEpoch);
        return publication.offer(buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + AckEncoder.BLOCK_LENGTH);
    }

    /**
     * @param producerId      refused.
     * @param fromSeq         first sequence of the run.
     * @param toSeq           last sequence of the run, inclusive.
     * @param reasonCode      a {@code RejectReason} code.
     * @param nextExpectedSeq the engine's next expected sequence for the producer.
     * @param detail          text for a person, UTF-8.
     * @param detailOffset    in detail.
     * @param detailLength    bytes, cut to {@link #MAX_DETAIL_LENGTH}.
     * @return the publication's offer result.
     */
    public long refusal(
        final long producerId,
        final long fromSeq,
        final long toSeq,
        final int reasonCode,
        final long nextExpectedSeq,
        final DirectBuffer detail,
        final int detailOffset,
        final int detailLength)
    {
        refusal.wrapAndApplyHeader(buffer, 0, header)
            .producerId(producerId)
            .producerSeq(fromSeq)
            .lastProducerSeq(toSeq)
            .reason(reasonCode)
            .nextExpectedSeq(nextExpectedSeq)
            .engineEpoch(engineEpoch)
            .putDetail(detail, detailOffset, Math.min(detailLength, MAX_DETAIL_LENGTH));
        return publication.offer(buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + refusal.encodedLength());
    }

    /**
     * @param result of {@link #ack} or {@link #refusal}.
     * @return true when the message went out or there is nobody to tell (not connected, closed): it need not be
     * offered again; false when it should be offered again later (back-pressure, admin action).
     */
    public static boolean isDone(final long result)
    {
        return result > 0 || result == Publication.NOT_CONNECTED || result == Publication.CLOSED ||
            result == Publication.MAX_POSITION_EXCEEDED;
    }
}
