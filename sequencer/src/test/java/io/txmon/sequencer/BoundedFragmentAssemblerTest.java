package io.txmon.sequencer;

import io.aeron.logbuffer.FrameDescriptor;
import io.aeron.logbuffer.Header;
import io.aeron.logbuffer.LogBufferDescriptor;
import io.aeron.protocol.DataHeaderFlyweight;
import io.aeron.protocol.HeaderFlyweight;
import io.txmon.transport.BoundedFragmentAssembler;
import io.txmon.transport.IngestHandler;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The reassembly on ingest, without a transport: fragments are written into a buffer with a real Aeron data frame
 * header in front (flags and session id are read from it, as in a term), and handed to the assembler as a
 * subscription would. It must deliver whole messages up to the cap, report longer ones once without ever holding
 * them, and never allocate more than the cap per session however much is sent.
 */
class BoundedFragmentAssemblerTest
{
    private static final int TERM_LENGTH = 64 * 1024;
    private static final int FRAGMENT = 1376;
    private static final byte BEGIN = FrameDescriptor.BEGIN_FRAG_FLAG;
    private static final byte END = FrameDescriptor.END_FRAG_FLAG;
    private static final byte MIDDLE = 0;
    private static final byte WHOLE = FrameDescriptor.UNFRAGMENTED;

    private final UnsafeBuffer term = new UnsafeBuffer(ByteBuffer.allocateDirect(TERM_LENGTH));
    private final Header header = new Header(0, LogBufferDescriptor.positionBitsToShift(TERM_LENGTH));

    /** Records without allocating: counts, the last message copied into a fixed buffer, the last oversize. */
    static final class Recorder implements IngestHandler
    {
        final UnsafeBuffer last = new UnsafeBuffer(new byte[64 * 1024]);
        int messages;
        int lastLength = -1;
        DirectBuffer lastBuffer;
        int lastOffset;
        int oversize;
        int lastOversize = -1;

        public void onMessage(final DirectBuffer buffer, final int offset, final int length)
        {
            messages++;
            lastLength = length;
            lastBuffer = buffer;
            lastOffset = offset;
            if (length <= last.capacity())
            {
                last.putBytes(0, buffer, offset, length);
            }
        }

        public void onOversize(final int lengthSeen)
        {
            oversize++;
            lastOversize = lengthSeen;
        }
    }

    BoundedFragmentAssemblerTest()
    {
        header.buffer(term);
        header.offset(0);
    }

    /** One fragment of {@code length} payload bytes (whatever the term holds after the header) of a session. */
    private void fragment(final BoundedFragmentAssembler assembler, final int sessionId, final byte flags, final int length)
    {
        term.putInt(HeaderFlyweight.FRAME_LENGTH_FIELD_OFFSET, DataHeaderFlyweight.HEADER_LENGTH + length);
        term.putByte(HeaderFlyweight.FLAGS_FIELD_OFFSET, flags);
        term.putShort(HeaderFlyweight.TYPE_FIELD_OFFSET, (short)HeaderFlyweight.HDR_TYPE_DATA);
        term.putInt(DataHeaderFlyweight.SESSION_ID_FIELD_OFFSET, sessionId);
        assembler.onFragment(term, DataHeaderFlyweight.HEADER_LENGTH, length, header);
    }

    /** A fragment carrying the given bytes. */
    private void fragment(
        final BoundedFragmentAssembler assembler, final int sessionId, final byte flags, final byte[] bytes, final int from,
        final int length)
    {
        term.putBytes(DataHeaderFlyweight.HEADER_LENGTH, bytes, from, length);
        fragment(assembler, sessionId, flags, length);
    }

    /** A whole message cut into fragments of at most {@link #FRAGMENT} bytes. */
    private void message(final BoundedFragmentAssembler assembler, final int sessionId, final byte[] bytes)
    {
        if (bytes.length <= FRAGMENT)
        {
            fragment(assembler, sessionId, WHOLE, bytes, 0, bytes.length);
            return;
        }
        for (int at = 0; at < bytes.length; at += FRAGMENT)
        {
            final int length = Math.min(FRAGMENT, bytes.length - at);
            final byte flags = at == 0 ? BEGIN : at + length == bytes.length ? END : MIDDLE;
            fragment(assembler, sessionId, flags, bytes, at, length);
        }
    }

    private static byte[] pattern(final int length, final int seed)
    {
        final byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++)
        {
            bytes[i] = (byte)(i * 31 + seed);
        }
        return bytes;
    }

    private static void assertDelivered(final Recorder recorder, final byte[] expected)
    {
        assertEquals(expected.length, recorder.lastLength);
        final byte[] got = new byte[expected.length];
        recorder.last.getBytes(0, got);
        assertArrayEquals(expected, got);
    }

    @Test
    void unfragmentedMessagesPassWithoutACopyUpToTheCapAndAreReportedAbove()
    {
        final Recorder recorder = new Recorder();
        final BoundedFragmentAssembler assembler = new BoundedFragmentAssembler(recorder, 1000);
        final byte[] bytes = pattern(1000, 1);
        fragment(assembler, 7, WHOLE, bytes, 0, 1000);
        assertEquals(1, recorder.messages);
        assertSame(term, recorder.lastBuffer, "no copy");
        assertEquals(DataHeaderFlyweight.HEADER_LENGTH, recorder.lastOffset);
        assertDelivered(recorder, bytes);

        fragment(assembler, 7, WHOLE, pattern(1001, 2), 0, 1001);
        assertEquals(1, recorder.messages);
        assertEquals(1, recorder.oversize);
        assertEquals(1001, recorder.lastOversize);
    }

    @Test
    void fragmentedMessagesAreReassembledExactlyUpToTheCapInclusive()
    {
        final Recorder recorder = new Recorder();
        final BoundedFragmentAssembler assembler = new BoundedFragmentAssembler(recorder, 8192);
        final byte[] five = pattern(5000, 3);
        message(assembler, 1, five);
        assertEquals(1, recorder.messages);
        assertDelivered(recorder, five);

        final byte[] atCap = pattern(8192, 4);
        message(assembler, 1, atCap);
        assertEquals(2, recorder.messages);
        assertDelivered(recorder, atCap);
        assertEquals(0, recorder.oversize);

        message(assembler, 1, pattern(8193, 5));
        assertEquals(2, recorder.messages, "one byte over the cap is not delivered");
        assertEquals(1, recorder.oversize, "and reported once");
        assertEquals(8193, recorder.lastOversize, "with the length seen when it crossed the cap");

        final byte[] after = pattern(3000, 6);
        message(assembler, 1, after);
        assertEquals(3, recorder.messages, "the session goes on with the next message");
        assertDelivered(recorder, after);
    }

    @Test
    void aHugeMessageIsReportedOnceAndTheNextIsWhole()
    {
        final Recorder recorder = new Recorder();
        final BoundedFragmentAssembler assembler = new BoundedFragmentAssembler(recorder, 2048);
        message(assembler, 9, pattern(1024 * 1024, 7));
        assertEquals(0, recorder.messages);
        assertEquals(1, recorder.oversize);
        assertTrue(recorder.lastOversize > 2048 && recorder.lastOversize <= 2048 + FRAGMENT,
            "reported when it crossed the cap, not at its end: " + recorder.lastOversize);

        final byte[] next = pattern(2000, 8);
        message(assembler, 9, next);
        assertEquals(1, recorder.messages);
        assertDelivered(recorder, next);
    }

    @Test
    void sessionsAreAssembledApartAndAContinuationWithoutItsBeginningIsIgnored()
    {
        final Recorder recorder = new Recorder();
        final BoundedFragmentAssembler assembler = new BoundedFragmentAssembler(recorder, 8192);
        final byte[] a = pattern(3 * FRAGMENT, 10);
        final byte[] b = pattern(2 * FRAGMENT, 20);

        // joined in the middle of a message of session 5: its tail must not be delivered as a message
        fragment(assembler, 5, MIDDLE, a, 0, FRAGMENT);
        fragment(assembler, 5, END, a, 0, FRAGMENT);
        assertEquals(0, recorder.messages);

        fragment(assembler, 1, BEGIN, a, 0, FRAGMENT);
        fragment(assembler, 2, BEGIN, b, 0, FRAGMENT);
        fragment(assembler, 1, MIDDLE, a, FRAGMENT, FRAGMENT);
        fragment(assembler, 2, END, b, FRAGMENT, FRAGMENT);
        assertEquals(1, recorder.messages);
        assertDelivered(recorder, b);
        fragment(assembler, 1, END, a, 2 * FRAGMENT, FRAGMENT);
        assertEquals(2, recorder.messages);
        assertDelivered(recorder, a);
        assertEquals(0, recorder.oversize);
    }

    /**
     * 8 sessions each send 50 messages of 1 MiB: the assembler allocates about the cap once per session, not the
     * 400 MiB that went through, nor 1 MiB per message or per session.
     */
    @Test
    void allocatesAtMostTheCapPerSessionHoweverMuchIsSent()
    {
        final int cap = 2048;
        final int sessions = 8;
        final int messages = 50;
        final int messageLength = 1024 * 1024;
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        assertTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());
        term.putBytes(DataHeaderFlyweight.HEADER_LENGTH, pattern(FRAGMENT, 1));

        // warm up on another instance, so class loading and compilation are not counted
        final Recorder warmRecorder = new Recorder();
        feed(new BoundedFragmentAssembler(warmRecorder, cap), sessions, 2, messageLength);
        assertEquals(sessions * 2, warmRecorder.oversize);

        final Recorder recorder = new Recorder();
        final BoundedFragmentAssembler assembler = new BoundedFragmentAssembler(recorder, cap);
        final long before = threads.getCurrentThreadAllocatedBytes();
        feed(assembler, sessions, messages, messageLength);
        final long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertEquals(sessions * messages, recorder.oversize);
        assertEquals(0, recorder.messages);
        final long bound = (long)sessions * (cap + 256) + 16 * 1024;
        System.out.println("assembler allocated " + allocated + " bytes for " +
            (long)sessions * messages * messageLength + " bytes of oversize messages in " + sessions + " sessions");
        assertTrue(allocated <= bound, "allocated " + allocated + " bytes, bound " + bound);

        // and a message at the cap in each session afterwards needs nothing more
        final long beforeValid = threads.getCurrentThreadAllocatedBytes();
        for (int s = 0; s < sessions; s++)
        {
            fragment(assembler, 100 + s, BEGIN, FRAGMENT);
            fragment(assembler, 100 + s, END, cap - FRAGMENT);
        }
        final long afterValid = threads.getCurrentThreadAllocatedBytes();
        assertEquals(sessions, recorder.messages);
        assertTrue(afterValid - beforeValid <= (long)sessions * (cap + 256) + 16 * 1024,
            "new sessions cost about the cap each: " + (afterValid - beforeValid));
    }

    private void feed(
        final BoundedFragmentAssembler assembler, final int sessions, final int messages, final int messageLength)
    {
        for (int m = 0; m < messages; m++)
        {
            // the sessions' fragments interleaved, as several publications on one subscription would be
            for (int at = 0; at < messageLength; at += FRAGMENT)
            {
                final int length = Math.min(FRAGMENT, messageLength - at);
                final byte flags = at == 0 ? BEGIN : at + length == messageLength ? END : MIDDLE;
                for (int s = 0; s < sessions; s++)
                {
                    fragment(assembler, s, flags, length);
                }
            }
        }
    }
}
