package io.txmon.transport;

import org.agrona.DirectBuffer;

/**
 * Receives whole ingest messages, in the order the subscription delivers them.
 */
@FunctionalInterface
public interface IngestHandler
{
    /**
     * @param buffer holding the message; valid only during the call.
     * @param offset of the message's SBE header.
     * @param length of the message.
     */
    void onMessage(DirectBuffer buffer, int offset, int length);

    /**
     * A message longer than the maximum arrived; its bytes were dropped as they came.
     *
     * @param lengthSeen bytes of it seen when it went over the maximum.
     */
    default void onOversize(final int lengthSeen)
    {
    }
}
