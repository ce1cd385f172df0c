package io.txmon.sequencer;

import io.txmon.transport.TransportConfiguration;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.*;

class ProducerWindowTest
{
    private static final int WINDOW = TransportConfiguration.DUPLICATE_WINDOW;

    @Test
    void holdsTheFingerprintsOfTheLastWindowOfSequencesAsItGrows()
    {
        final ProducerWindow window = new ProducerWindow(1, 100);
        final long last = 100 + WINDOW + 500;
        for (long seq = 100; seq <= last; seq++)
        {
            window.record(seq, fingerprintOf(seq));
        }
        assertEquals(last, window.lastSeq);
        assertEquals(last + 1, window.nextExpectedSeq());
        assertFalse(window.covers(99), "below the first");
        assertFalse(window.covers(100), "older than the window");
        assertFalse(window.covers(last - WINDOW), "just outside the window");
        assertTrue(window.covers(last - WINDOW + 1), "the oldest inside the window");
        for (long seq = last - WINDOW + 1; seq <= last; seq += 997)
        {
            assertEquals(fingerprintOf(seq), window.fingerprint(seq), "seq " + seq);
        }
        assertEquals(fingerprintOf(last), window.fingerprint(last));
    }

    @Test
    void aSequenceSkippedInARecoveredJournalIsUnknownNotAMatch()
    {
        final ProducerWindow window = new ProducerWindow(1, 0);
        window.record(0, fingerprintOf(0));
        window.record(1, fingerprintOf(1));
        window.record(4, fingerprintOf(4));
        assertEquals(ProducerWindow.UNKNOWN, window.fingerprint(2));
        assertEquals(ProducerWindow.UNKNOWN, window.fingerprint(3));
        assertEquals(fingerprintOf(1), window.fingerprint(1));
        assertEquals(fingerprintOf(4), window.fingerprint(4));
        assertTrue(window.covers(0));
    }

    @Test
    void theFingerprintSeesEveryByteAndTheLengthWhereverTheBytesLive()
    {
        final byte[] bytes = new byte[77];
        for (int i = 0; i < bytes.length; i++)
        {
            bytes[i] = (byte)(i * 31 + 1);
        }
        final UnsafeBuffer heap = new UnsafeBuffer(bytes);
        final UnsafeBuffer direct = new UnsafeBuffer(ByteBuffer.allocateDirect(100));
        direct.putBytes(3, bytes);
        final long reference = ProducerWindow.fingerprint(heap, 0, bytes.length);
        assertEquals(reference, ProducerWindow.fingerprint(direct, 3, bytes.length), "same bytes, off-heap");
        assertEquals(0, ProducerWindow.flags(reference));
        for (int i = 0; i < bytes.length; i++)
        {
            for (int bit = 0; bit < 8; bit++)
            {
                heap.putByte(i, (byte)(bytes[i] ^ (1 << bit)));
                assertNotEquals(reference, ProducerWindow.fingerprint(heap, 0, bytes.length), "byte " + i + " bit " + bit);
                heap.putByte(i, (byte)(bytes[i] ^ (1 << bit)));
            }
        }
        assertNotEquals(reference, ProducerWindow.fingerprint(heap, 0, bytes.length - 1), "length counts");
    }

    private static long fingerprintOf(final long seq)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[16]);
        buffer.putLong(0, seq);
        buffer.putLong(8, ~seq);
        return ProducerWindow.fingerprint(buffer, 0, 16);
    }
}
