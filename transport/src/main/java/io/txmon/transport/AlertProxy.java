package io.txmon.transport;

import io.aeron.Publication;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;

/**
 * Outbound side of the alert stream: the engine encodes an alert into {@link #buffer()} (with the rules'
 * {@code AlertCodec}, which replay shares, so the same decisions give the same bytes) and offers it once with
 * {@link #offer(int)}, which never waits: a back-pressured stream is reported to the caller, who keeps its
 * place and offers again on its next duty cycle instead of spinning.
 * <p>
 * Not thread safe; allocation free.
 */
public final class AlertProxy
{
    /** What became of one offer. */
    public enum Status
    {
        /** On the stream. */
        OFFERED,
        /** The stream is full or the log is rotating: offer the same alert again later. */
        BACK_PRESSURED,
        /** No subscriber is connected: nobody to tell now; the alert journal keeps it. */
        NOT_CONNECTED,
        /** The publication is closed or has reached its end: the alert cannot go out on it. */
        CLOSED
    }

    private final Publication publication;
    private final UnsafeBuffer buffer;

    /**
     * @param publication of the alert stream.
     * @param maxLength   of an encoded alert.
     */
    public AlertProxy(final Publication publication, final int maxLength)
    {
        this.publication = publication;
        this.buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(maxLength));
    }

    /**
     * @return the buffer to encode the next alert into, from offset 0.
     */
    public MutableDirectBuffer buffer()
    {
        return buffer;
    }

    /**
     * Offer the alert encoded in {@link #buffer()} once.
     *
     * @param length of the encoded alert, header included.
     * @return what became of it.
     */
    public Status offer(final int length)
    {
        final long result = publication.offer(buffer, 0, length);
        if (result > 0)
        {
            return Status.OFFERED;
        }
        if (result == Publication.NOT_CONNECTED)
        {
            return Status.NOT_CONNECTED;
        }
        if (result == Publication.CLOSED || result == Publication.MAX_POSITION_EXCEEDED)
        {
            return Status.CLOSED;
        }
        return Status.BACK_PRESSURED;
    }
}
