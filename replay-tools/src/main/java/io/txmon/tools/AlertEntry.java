package io.txmon.tools;

import io.txmon.events.codec.AlertDecoder;
import io.txmon.events.codec.MessageHeaderDecoder;
import io.txmon.rules.AlertFormat;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Arrays;

/**
 * One alert as the engine journals it: its id, rule, triggering offset and the bytes of its {@code Alert}
 * message, header first.
 *
 * @param alertId          of the alert.
 * @param ruleId           that raised it.
 * @param triggeringOffset of the event that raised it.
 * @param bytes            of the message; not modified.
 */
record AlertEntry(long alertId, int ruleId, long triggeringOffset, byte[] bytes)
{
    /**
     * @param buffer holding an {@code Alert} message, header first.
     * @param offset of the message.
     * @param length of the message.
     * @return the alert, its bytes copied.
     */
    static AlertEntry of(final DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        final AlertDecoder decoder = decoder(bytes);
        return new AlertEntry(decoder.alertId(), decoder.ruleId(), decoder.triggeringOffset(), bytes);
    }

    /**
     * @param other alert.
     * @return true if both have the same bytes.
     */
    boolean sameBytes(final AlertEntry other)
    {
        return Arrays.equals(bytes, other.bytes);
    }

    /**
     * @param json true for one JSON object, false for a line of text.
     * @return the alert as {@link AlertFormat} shows it.
     */
    String format(final boolean json)
    {
        final StringBuilder line = new StringBuilder(256);
        return json ? AlertFormat.json(decoder(bytes), line) : AlertFormat.text(decoder(bytes), line);
    }

    private static AlertDecoder decoder(final byte[] bytes)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        final MessageHeaderDecoder header = new MessageHeaderDecoder().wrap(buffer, 0);
        return new AlertDecoder().wrap(
            buffer, MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(), header.version());
    }
}
