package io.txmon.transport;

import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.FrameDescriptor;
import io.aeron.logbuffer.Header;
import org.agrona.DirectBuffer;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Reassembles fragmented messages per publication session, but never beyond a maximum length: the
 * fragments of a longer message are dropped as they arrive and it is reported once, so a sender that
 * claims or sends a huge message costs at most {@code maxMessageLength} bytes per session, allocated once.
 * Unfragmented messages are passed through without copying.
 * <p>
 * Not thread safe.
 */
public final class BoundedFragmentAssembler implements FragmentHandler
{
    private final IngestHandler handler;
    private final int maxMessageLength;
    private final Int2ObjectHashMap<Assembly> assemblies = new Int2ObjectHashMap<>();

    private static final class Assembly
    {
        private final UnsafeBuffer buffer;
        private int limit;
        private boolean discarding;

        Assembly(final int capacity)
        {
            buffer = new UnsafeBuffer(new byte[capacity]);
        }
    }

    /**
     * @param handler          receiving whole messages and oversize reports.
     * @param maxMessageLength longest message accepted, in bytes.
     */
    public BoundedFragmentAssembler(final IngestHandler handler, final int maxMessageLength)
    {
        this.handler = handler;
        this.maxMessageLength = maxMessageLength;
    }

    public void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        final byte flags = header.flags();
        if ((flags & FrameDescriptor.UNFRAGMENTED) == FrameDescriptor.UNFRAGMENTED)
        {
            if (length > maxMessageLength)
            {
                handler.onOversize(length);
            }
            else
            {
                handler.onMessage(buffer, offset, length);
            }
            return;
        }

        final int sessionId = header.sessionId();
        Assembly assembly = assemblies.get(sessionId);
        if ((flags & FrameDescriptor.BEGIN_FRAG_FLAG) == FrameDescriptor.BEGIN_FRAG_FLAG)
        {
            if (null == assembly)
            {
                assembly = new Assembly(maxMessageLength);
                assemblies.put(sessionId, assembly);
            }
            assembly.limit = 0;
            assembly.discarding = false;
        }
        else if (null == assembly || (assembly.limit == 0 && !assembly.discarding))
        {
            // a middle or end fragment without its beginning (joined mid-message): nothing to assemble
            return;
        }

        if (!assembly.discarding)
        {
            if (length > maxMessageLength - assembly.limit)
            {
                assembly.discarding = true;
                handler.onOversize(assembly.limit + length);
            }
            else
            {
                assembly.buffer.putBytes(assembly.limit, buffer, offset, length);
                assembly.limit += length;
            }
        }

        if ((flags & FrameDescriptor.END_FRAG_FLAG) == FrameDescriptor.END_FRAG_FLAG)
        {
            if (!assembly.discarding)
            {
                handler.onMessage(assembly.buffer, 0, assembly.limit);
            }
            assembly.limit = 0;
            assembly.discarding = false;
        }
    }
}
