package io.txmon.sequencer;

import io.txmon.transport.TransportConfiguration;
import org.agrona.DirectBuffer;

/**
 * What the sequencer knows of one producer id: the first and last sequences journaled, the offset of the last,
 * and a fingerprint of the content of each of its most recent sequences, so that a resent sequence is
 * acknowledged only when it carries the bytes journaled.
 * <p>
 * The fingerprints live in a ring of longs indexed by sequence, which starts small and doubles up to
 * {@link TransportConfiguration#DUPLICATE_WINDOW} entries as the producer's run grows: a producer id seen once
 * costs a few hundred bytes, a busy one half a MiB. A fingerprint is a 62-bit hash of the message bytes, their
 * length folded in, with two flag bits: {@link #SPENT} for a sequence the sequencer refused but counts as used
 * (a refused {@code ConfigChange}), {@link #UNKNOWN} for a sequence skipped in a recovered journal (refused by an
 * earlier run, whose content is not known).
 * <p>
 * Single threaded; allocates only when the ring grows.
 */
final class ProducerWindow
{
    /** Flag: the sequence was refused and its sequence spent; the fingerprint is of the refused message. */
    static final long SPENT = 1;
    /** Flag: the sequence is not in the journal and its content is unknown. */
    static final long UNKNOWN = 2;
    private static final long FLAGS = 3;
    private static final int INITIAL_LENGTH = 16;
    private static final long K1 = 0x9E3779B97F4A7C15L;
    private static final long K2 = 0xC2B2AE3D27D4EB4FL;

    final long producerId;
    long firstSeq;
    long lastSeq;
    long lastOffset = -1;
    private long[] fingerprints = new long[INITIAL_LENGTH];

    ProducerWindow(final long producerId, final long firstSeq)
    {
        this.producerId = producerId;
        this.firstSeq = firstSeq;
        this.lastSeq = firstSeq - 1;
    }

    /**
     * @return the next sequence the sequencer takes from this producer.
     */
    long nextExpectedSeq()
    {
        return lastSeq + 1;
    }

    /**
     * @param seq at or below {@link #lastSeq}.
     * @return true if its fingerprint is still held.
     */
    boolean covers(final long seq)
    {
        return seq >= firstSeq && lastSeq - seq < fingerprints.length;
    }

    /**
     * @param seq covered.
     * @return its fingerprint, with flags.
     */
    long fingerprint(final long seq)
    {
        return fingerprints[(int)(seq & (fingerprints.length - 1))];
    }

    /**
     * Record the next sequence, {@link #lastSeq} + 1, or a later one in a recovered journal (the sequences between
     * are recorded as {@link #UNKNOWN}).
     *
     * @param seq         above {@link #lastSeq}.
     * @param fingerprint of its content, with flags.
     */
    void record(final long seq, final long fingerprint)
    {
        final long needed = seq - firstSeq + 1;
        if (needed > fingerprints.length && fingerprints.length < TransportConfiguration.DUPLICATE_WINDOW)
        {
            grow(needed);
        }
        final int mask = fingerprints.length - 1;
        final long holesFrom = Math.max(lastSeq + 1, seq - fingerprints.length + 1);
        for (long hole = holesFrom; hole < seq; hole++)
        {
            fingerprints[(int)(hole & mask)] = UNKNOWN;
        }
        fingerprints[(int)(seq & mask)] = fingerprint;
        lastSeq = seq;
    }

    private void grow(final long needed)
    {
        int length = fingerprints.length;
        while (length < needed && length < TransportConfiguration.DUPLICATE_WINDOW)
        {
            length <<= 1;
        }
        final long[] grown = new long[length];
        final long from = Math.max(firstSeq, lastSeq - fingerprints.length + 1);
        for (long seq = from; seq <= lastSeq; seq++)
        {
            grown[(int)(seq & (length - 1))] = fingerprints[(int)(seq & (fingerprints.length - 1))];
        }
        fingerprints = grown;
    }

    /**
     * A 62-bit hash of a message's bytes and length, its two low bits clear for the flags. Reads the buffer a
     * long at a time; no allocation, a few nanoseconds for an event.
     *
     * @param buffer holding the message.
     * @param offset of its first byte.
     * @param length of the message.
     * @return the fingerprint, flags clear.
     */
    static long fingerprint(final DirectBuffer buffer, final int offset, final int length)
    {
        long h = length * K1;
        int i = 0;
        for (; i + 8 <= length; i += 8)
        {
            h = mix(h, buffer.getLong(offset + i));
        }
        long tail = 0;
        for (int shift = 0; i < length; i++, shift += 8)
        {
            tail |= (buffer.getByte(offset + i) & 0xFFL) << shift;
        }
        h = mix(h, tail);
        h ^= h >>> 33;
        h *= K2;
        h ^= h >>> 29;
        return h & ~FLAGS;
    }

    private static long mix(final long h, final long word)
    {
        return Long.rotateLeft(h ^ (word * K2), 31) * K1;
    }

    /**
     * @param fingerprint with flags.
     * @return its flags.
     */
    static long flags(final long fingerprint)
    {
        return fingerprint & FLAGS;
    }

    /**
     * @param fingerprint with flags.
     * @return the hash alone.
     */
    static long hash(final long fingerprint)
    {
        return fingerprint & ~FLAGS;
    }

    /**
     * Write this window for a snapshot: id, first and last sequence, offset of the last, the ring's length and
     * its fingerprints as they lie.
     *
     * @param out to write to.
     */
    void writeState(final io.txmon.rules.state.StateWriter out)
    {
        out.putLong(producerId).putLong(firstSeq).putLong(lastSeq).putLong(lastOffset).putInt(fingerprints.length);
        out.putLongs(fingerprints, 0, fingerprints.length);
    }

    /**
     * @param in positioned at a window {@link #writeState} wrote.
     * @return the window read back.
     * @throws io.txmon.rules.state.StateException if it cannot be one.
     */
    static ProducerWindow readState(final io.txmon.rules.state.StateReader in)
    {
        final long producerId = in.getLong();
        final long firstSeq = in.getLong();
        final long lastSeq = in.getLong();
        final long lastOffset = in.getLong();
        final int length = in.getCount(INITIAL_LENGTH, TransportConfiguration.DUPLICATE_WINDOW, "fingerprints");
        in.require(Integer.bitCount(length) == 1, "fingerprint ring of " + length + " is not a power of two");
        in.require(firstSeq >= 0 && lastSeq >= firstSeq - 1 && lastOffset >= -1,
            "producer " + producerId + " sequences " + firstSeq + " to " + lastSeq + " at offset " + lastOffset);
        final ProducerWindow window = new ProducerWindow(producerId, firstSeq);
        window.lastSeq = lastSeq;
        window.lastOffset = lastOffset;
        window.fingerprints = new long[length];
        in.getLongs(window.fingerprints, 0, length);
        return window;
    }
}
