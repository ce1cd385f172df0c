package io.txmon.journal;

import org.agrona.DirectBuffer;

/**
 * Receives records read from a journal. The buffer is only valid for the duration of the call.
 */
@FunctionalInterface
public interface RecordHandler
{
    /**
     * A record.
     *
     * @param offset        dense offset of the record, from 0.
     * @param timestamp     ingest timestamp in epoch nanoseconds.
     * @param templateId    of the payload.
     * @param buffer        holding the payload.
     * @param payloadOffset at which the payload starts in the buffer.
     * @param payloadLength of the payload.
     */
    void onRecord(long offset, long timestamp, int templateId, DirectBuffer buffer, int payloadOffset, int payloadLength);
}
