package io.txmon.transport;

import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import org.agrona.DirectBuffer;

/**
 * Inbound side of the ingest stream: polls the subscription and hands whole messages to an
 * {@link IngestHandler}. The caller bounds each poll, which is how back-pressure works: when the ring
 * has no room the sequencer polls nothing, the publication's window fills, and producers see
 * {@code BACK_PRESSURED}.
 * <p>
 * Not thread safe: polled by the sequencer thread only.
 */
public final class IngestAdapter implements FragmentHandler
{
    /** Default longest message accepted: 8 KiB, far above any event with var-data under the default cap. */
    public static final int DEFAULT_MAX_MESSAGE_LENGTH = 8 * 1024;

    private final Subscription subscription;
    private final BoundedFragmentAssembler assembler;

    /**
     * @param subscription to the ingest stream.
     * @param handler      receiving messages.
     */
    public IngestAdapter(final Subscription subscription, final IngestHandler handler)
    {
        this(subscription, handler, DEFAULT_MAX_MESSAGE_LENGTH);
    }

    /**
     * @param subscription     to the ingest stream.
     * @param handler          receiving messages and oversize reports.
     * @param maxMessageLength longest message reassembled; longer ones are dropped as they arrive.
     */
    public IngestAdapter(final Subscription subscription, final IngestHandler handler, final int maxMessageLength)
    {
        this.subscription = subscription;
        this.assembler = new BoundedFragmentAssembler(handler, maxMessageLength);
    }

    /**
     * @param fragmentLimit most fragments to read; a message is at least one fragment.
     * @return fragments read.
     */
    public int poll(final int fragmentLimit)
    {
        return subscription.poll(assembler, fragmentLimit);
    }

    /**
     * @return true if at least one producer is connected.
     */
    public boolean isConnected()
    {
        return subscription.isConnected();
    }

    public void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        assembler.onFragment(buffer, offset, length, header);
    }
}
