package io.txmon.transport;

import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import io.txmon.events.MessageValidator;
import io.txmon.events.RejectReason;
import io.txmon.events.codec.AlertDecoder;
import io.txmon.events.codec.MessageHeaderDecoder;
import org.agrona.DirectBuffer;

/**
 * Inbound side of the alert stream: decodes {@code Alert} messages and hands them to an
 * {@link AlertHandler}. Messages that are not valid alerts are counted and skipped.
 * <p>
 * Not thread safe.
 */
public final class AlertAdapter implements FragmentHandler
{
    private final Subscription subscription;
    private final AlertHandler handler;
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final AlertDecoder alert = new AlertDecoder();
    private final MessageValidator validator = new MessageValidator();
    private long invalidCount;

    /**
     * @param subscription to the alert stream.
     * @param handler      receiving alerts.
     */
    public AlertAdapter(final Subscription subscription, final AlertHandler handler)
    {
        this.subscription = subscription;
        this.handler = handler;
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
     * @return messages that were not valid alerts.
     */
    public long invalidCount()
    {
        return invalidCount;
    }

    public void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header hdr)
    {
        if (validator.validate(buffer, offset, length) != RejectReason.NONE)
        {
            invalidCount++;
            return;
        }
        header.wrap(buffer, offset);
        if (header.templateId() != AlertDecoder.TEMPLATE_ID)
        {
            invalidCount++;
            return;
        }
        alert.wrap(buffer, offset + MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(), header.version());
        handler.onAlert(alert);
    }
}
