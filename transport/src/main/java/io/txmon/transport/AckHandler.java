package io.txmon.transport;

import io.txmon.events.RejectReason;
import org.agrona.DirectBuffer;

/**
 * Receives what the engine says about a producer's events, decoded by an {@link AckAdapter}.
 */
public interface AckHandler
{
    /**
     * Every sequence of the producer up to {@code producerSeq} is held by the engine: journaled, or answered by an
     * earlier {@link #onRefusal}. Cumulative.
     *
     * @param producerId    the acknowledgement is for.
     * @param producerSeq   highest sequence held, -1 if none.
     * @param journalOffset of the producer's newest journaled event, -1 if none.
     * @param engineEpoch   identifies the engine run.
     */
    void onAck(long producerId, long producerSeq, long journalOffset, long engineEpoch);

    /**
     * A run of the producer's sequences that the engine did not journal from this send. The engine sends it before
     * any acknowledgement that covers those sequences.
     *
     * @param producerId      the refusal is for.
     * @param fromSeq         first sequence of the run.
     * @param toSeq           last sequence of the run, inclusive.
     * @param reason          why; {@link RejectReason#DUPLICATE} means the same bytes are already journaled; null
     *                        for a code this build does not know.
     * @param reasonCode      the code as sent.
     * @param nextExpectedSeq the sequence the engine expects next from this producer.
     * @param engineEpoch     identifies the engine run.
     * @param detail          holds a text for a person (UTF-8), possibly empty.
     * @param detailOffset    of the text.
     * @param detailLength    of the text.
     */
    void onRefusal(
        long producerId,
        long fromSeq,
        long toSeq,
        RejectReason reason,
        int reasonCode,
        long nextExpectedSeq,
        long engineEpoch,
        DirectBuffer detail,
        int detailOffset,
        int detailLength);
}
