package io.txmon.scenario;

import org.agrona.DirectBuffer;

/**
 * Receives the messages a {@link ScenarioGenerator} emits, one at a time and in stream order. Each message is an
 * SBE header followed by its body, exactly as the engine receives it on ingest.
 * <p>
 * The buffer is reused for the next message: a sink that keeps a message must copy it before returning.
 */
@FunctionalInterface
public interface MessageSink
{
    /**
     * One message of the stream.
     *
     * @param buffer holding the message; valid only until this method returns.
     * @param offset of the message's SBE header in the buffer.
     * @param length of the whole message, header included.
     */
    void onMessage(DirectBuffer buffer, int offset, int length);
}
