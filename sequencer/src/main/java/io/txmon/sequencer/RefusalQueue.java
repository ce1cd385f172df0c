package io.txmon.sequencer;

import io.txmon.transport.AckProxy;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Refusals waiting to be sent to producers, in pre-allocated arrays: a bounded ring filled by the sequencer as it
 * refuses and drained from its duty cycle through an {@link AckProxy}, never blocking. A refusal for the same
 * producer and reason as the newest queued one, at the next sequence (or one already in its run), joins that
 * run, so a burst of refusals for one producer is one message. The sequencer polls no more messages than there
 * are free entries, so the queue cannot overflow; should it, the refusal is dropped and counted.
 * <p>
 * Single threaded. Allocation free.
 */
final class RefusalQueue
{
    private final int capacity;
    private final long[] producerIds;
    private final long[] fromSeqs;
    private final long[] toSeqs;
    private final int[] reasons;
    private final long[] nextExpectedSeqs;
    private final int[] detailLengths;
    private final UnsafeBuffer details;
    private long head;
    private long tail;
    private long dropped;

    RefusalQueue(final int capacity)
    {
        this.capacity = capacity;
        producerIds = new long[capacity];
        fromSeqs = new long[capacity];
        toSeqs = new long[capacity];
        reasons = new int[capacity];
        nextExpectedSeqs = new long[capacity];
        detailLengths = new int[capacity];
        details = new UnsafeBuffer(new byte[capacity * AckProxy.MAX_DETAIL_LENGTH]);
    }

    /**
     * @return entries free.
     */
    int remaining()
    {
        return capacity - (int)(tail - head);
    }

    boolean isEmpty()
    {
        return head == tail;
    }

    /**
     * @return refusals dropped because the queue was full.
     */
    long dropped()
    {
        return dropped;
    }

    /**
     * Queue a refusal without a detail text, joining the newest run where it can.
     */
    void add(final long producerId, final long seq, final int reason, final long nextExpectedSeq)
    {
        if (tail > head)
        {
            final int last = (int)((tail - 1) % capacity);
            if (producerIds[last] == producerId && reasons[last] == reason && detailLengths[last] == 0 &&
                seq >= fromSeqs[last] && seq <= toSeqs[last] + 1)
            {
                toSeqs[last] = Math.max(toSeqs[last], seq);
                nextExpectedSeqs[last] = nextExpectedSeq;
                return;
            }
        }
        add(producerId, seq, reason, nextExpectedSeq, null, 0, 0);
    }

    /**
     * Queue a refusal with a detail text (cut to {@link AckProxy#MAX_DETAIL_LENGTH} bytes).
     */
    void add(
        final long producerId,
        final long seq,
        final int reason,
        final long nextExpectedSeq,
        final DirectBuffer detail,
        final int detailOffset,
        final int detailLength)
    {
        if (remaining() == 0)
        {
            dropped++;
            return;
        }
        final int index = (int)(tail % capacity);
        producerIds[index] = producerId;
        fromSeqs[index] = seq;
        toSeqs[index] = seq;
        reasons[index] = reason;
        nextExpectedSeqs[index] = nextExpectedSeq;
        final int length = null == detail ? 0 : Math.min(detailLength, AckProxy.MAX_DETAIL_LENGTH);
        if (length > 0)
        {
            details.putBytes(index * AckProxy.MAX_DETAIL_LENGTH, detail, detailOffset, length);
        }
        detailLengths[index] = length;
        tail++;
    }

    /**
     * Offer queued refusals in order until one is not taken (back-pressure) or none is left.
     *
     * @param proxy to offer through.
     * @return refusals sent (or with nobody to tell).
     */
    int send(final AckProxy proxy)
    {
        int sent = 0;
        while (head < tail)
        {
            final int index = (int)(head % capacity);
            final long result = proxy.refusal(
                producerIds[index], fromSeqs[index], toSeqs[index], reasons[index], nextExpectedSeqs[index],
                details, index * AckProxy.MAX_DETAIL_LENGTH, detailLengths[index]);
            if (!AckProxy.isDone(result))
            {
                break;
            }
            head++;
            sent++;
        }
        return sent;
    }

    /**
     * Forget what is queued: nobody can be told (no acknowledgement stream).
     */
    void clear()
    {
        head = tail;
    }
}
