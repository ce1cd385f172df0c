package io.txmon.journal;

import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.zip.CRC32C;

import static io.txmon.journal.JournalDescriptor.*;

/**
 * The seal of a full segment, in its own file ({@code <base>.seal}): what the segment holds and a SHA-256
 * over its bytes chained to the previous segment's seal,
 * {@code hash = SHA-256(previous hash || segment bytes [0, data length))}. The first segment's previous
 * hash is 32 zero bytes. A record rewritten after the fact, even with a recomputed CRC, changes the hash;
 * a segment replaced wholesale breaks the chain.
 *
 * @param baseOffset     of the segment.
 * @param recordCount    records in the segment.
 * @param dataLength     bytes hashed: the segment header and every frame, up to the end-of-segment marker.
 * @param firstTimestamp of the first record, or {@link Long#MIN_VALUE} if none.
 * @param lastTimestamp  of the last record, or {@link Long#MIN_VALUE} if none.
 * @param previousHash   the previous segment's hash.
 * @param hash           this segment's chained hash.
 */
public record Seal(
    long baseOffset,
    long recordCount,
    long dataLength,
    long firstTimestamp,
    long lastTimestamp,
    byte[] previousHash,
    byte[] hash)
{
    /** The previous hash of the journal's first segment. */
    public static final byte[] ZERO_HASH = new byte[HASH_LENGTH];

    /**
     * @return offset after the segment's last record: the base offset of the next segment.
     */
    public long endOffset()
    {
        return baseOffset + recordCount;
    }

    /**
     * Read the seal of a segment.
     *
     * @param dir        of the journal.
     * @param baseOffset of the segment.
     * @return the seal, or null if the segment has none.
     * @throws JournalException if the seal file is damaged.
     */
    public static Seal read(final Path dir, final long baseOffset)
    {
        final Path path = dir.resolve(sealFileName(baseOffset));
        if (!Files.exists(path))
        {
            return null;
        }
        final byte[] bytes;
        try
        {
            final long size = Files.size(path);
            if (size != SEAL_LENGTH)
            {
                throw new JournalException("seal " + path + " is " + size + " bytes, not " + SEAL_LENGTH +
                    ": it is damaged or truncated; run 'txmon journal verify' on " + dir);
            }
            bytes = Files.readAllBytes(path);
        }
        catch (final IOException ex)
        {
            throw new JournalException("cannot read seal " + path + ": " + ex.getMessage(), ex);
        }
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        if (bytes.length != SEAL_LENGTH || buffer.getLong(0) != SEAL_MAGIC ||
            buffer.getInt(SEAL_CRC_OFFSET) != crc(bytes) || buffer.getLong(SEAL_BASE_OFFSET_OFFSET) != baseOffset)
        {
            throw new JournalException("seal " + path + " is damaged (bad length, magic, CRC or base offset): " +
                "run 'txmon journal verify' on " + dir);
        }
        final int version = buffer.getInt(SEAL_VERSION_OFFSET);
        if (version > FORMAT_VERSION)
        {
            throw new JournalException("seal " + path + " has format version " + version + "; this txmon reads up to " +
                FORMAT_VERSION + ": use a newer txmon");
        }
        return new Seal(
            baseOffset,
            buffer.getLong(SEAL_RECORD_COUNT_OFFSET),
            buffer.getLong(SEAL_DATA_LENGTH_OFFSET),
            buffer.getLong(SEAL_FIRST_TIMESTAMP_OFFSET),
            buffer.getLong(SEAL_LAST_TIMESTAMP_OFFSET),
            Arrays.copyOfRange(bytes, SEAL_PREVIOUS_HASH_OFFSET, SEAL_PREVIOUS_HASH_OFFSET + HASH_LENGTH),
            Arrays.copyOfRange(bytes, SEAL_HASH_OFFSET, SEAL_HASH_OFFSET + HASH_LENGTH));
    }

    /**
     * Compute the seal of a full segment from its bytes, checking every frame on the way.
     *
     * @param segment      to seal; full, never written again.
     * @param previousHash hash of the previous segment's seal.
     * @param digest       SHA-256, reset here.
     * @return the seal.
     * @throws JournalException naming the segment and offset if a frame is damaged: a damaged segment is
     * never sealed.
     */
    static Seal compute(final Segment segment, final byte[] previousHash, final MessageDigest digest)
    {
        long offset = segment.baseOffset();
        int position = SEGMENT_HEADER_LENGTH;
        long first = Long.MIN_VALUE;
        long last = Long.MIN_VALUE;
        int result;
        while ((result = segment.scanFrame(position, offset)) > 0)
        {
            last = segment.timestampAt(position);
            if (first == Long.MIN_VALUE)
            {
                first = last;
            }
            position += result;
            offset++;
        }
        if (result != Segment.ROLLED)
        {
            throw new JournalException("cannot seal segment " + segment.path() + ": " +
                (result == Segment.EMPTY ? "it ends without an end-of-segment marker" : "damaged record") +
                " at offset " + offset + " (position " + position + "); run 'txmon journal verify'");
        }

        final int dataLength = Math.min(position, segment.length());
        return new Seal(segment.baseOffset(), offset - segment.baseOffset(), dataLength, first, last,
            previousHash.clone(), hash(segment, dataLength, previousHash, digest));
    }

    /**
     * The chained hash of a segment's first {@code dataLength} bytes.
     */
    static byte[] hash(final Segment segment, final int dataLength, final byte[] previousHash, final MessageDigest digest)
    {
        digest.reset();
        digest.update(previousHash);
        final ByteBuffer bytes = segment.byteBuffer();
        bytes.limit(dataLength).position(0);
        digest.update(bytes);
        return digest.digest();
    }

    /**
     * Write this seal atomically and durably: a temporary file, forced, renamed over the real one.
     *
     * @param dir of the journal.
     */
    void write(final Path dir) throws IOException
    {
        final byte[] bytes = new byte[SEAL_LENGTH];
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        buffer.putLong(0, SEAL_MAGIC);
        buffer.putInt(SEAL_VERSION_OFFSET, FORMAT_VERSION);
        buffer.putLong(SEAL_BASE_OFFSET_OFFSET, baseOffset);
        buffer.putLong(SEAL_RECORD_COUNT_OFFSET, recordCount);
        buffer.putLong(SEAL_DATA_LENGTH_OFFSET, dataLength);
        buffer.putLong(SEAL_FIRST_TIMESTAMP_OFFSET, firstTimestamp);
        buffer.putLong(SEAL_LAST_TIMESTAMP_OFFSET, lastTimestamp);
        buffer.putBytes(SEAL_PREVIOUS_HASH_OFFSET, previousHash);
        buffer.putBytes(SEAL_HASH_OFFSET, hash);
        buffer.putInt(SEAL_CRC_OFFSET, crc(bytes));

        final Path tmp = dir.resolve(sealFileName(baseOffset) + ".tmp");
        try (FileChannel ch = OwnerOnly.open(
            tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE))
        {
            final ByteBuffer src = ByteBuffer.wrap(bytes);
            while (src.hasRemaining())
            {
                ch.write(src);
            }
            ch.force(true);
        }
        Files.move(tmp, dir.resolve(sealFileName(baseOffset)), StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
    }

    private static int crc(final byte[] bytes)
    {
        final CRC32C crc = new CRC32C();
        crc.update(bytes, 0, SEAL_CRC_OFFSET);
        return (int)crc.getValue();
    }

    /**
     * @return a new SHA-256 digest.
     */
    static MessageDigest sha256()
    {
        try
        {
            return MessageDigest.getInstance("SHA-256");
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("this JVM has no SHA-256", ex);
        }
    }

    /**
     * Seal, in order, every segment before the active one that has no seal yet. Idempotent; callers
     * serialise on the journal directory.
     *
     * @param dir    of the journal.
     * @param digest SHA-256.
     * @return segments sealed.
     */
    static int sealPending(final Path dir, final MessageDigest digest) throws IOException
    {
        final long[] bases = Segment.listBaseOffsets(dir);
        int newest = -1;
        for (int i = bases.length - 2; i >= 0; i--)
        {
            if (Files.exists(dir.resolve(sealFileName(bases[i]))))
            {
                newest = i;
                break;
            }
        }
        // only the segments after the newest seal are the crash window between a roll and its seal; a full
        // segment without a seal before a sealed one lost its seal, and is never sealed again
        byte[] previous = null;
        if (newest >= 0)
        {
            previous = read(dir, bases[newest]).hash();
        }
        else if (bases.length > 1 && bases[0] != 0)
        {
            final Retention.Removed removed = Retention.removed(dir);
            if (null == removed || removed.firstOffset() != bases[0])
            {
                throw new JournalException("segment " + dir.resolve(segmentFileName(bases[0])) +
                    " is the first one left but has no seal to anchor the hash chain: " +
                    "run 'txmon journal verify' on " + dir);
            }
            previous = removed.previousHash();
        }
        int sealed = 0;
        for (int i = newest + 1; i < bases.length - 1; i++)
        {
            if (null == previous)
            {
                previous = ZERO_HASH;
            }
            try (Segment segment = Segment.open(dir.resolve(segmentFileName(bases[i])), bases[i], true))
            {
                final Seal seal = compute(segment, previous, digest);
                if (seal.endOffset() != bases[i + 1])
                {
                    throw Recovery.gap(dir, bases[i], seal.endOffset(), bases[i + 1]);
                }
                seal.write(dir);
                previous = seal.hash();
                sealed++;
            }
        }
        return sealed;
    }

    /**
     * The newest seal of a journal, for an anchor.
     *
     * @param dir of the journal.
     * @return the newest seal, or null if no segment is sealed yet.
     */
    public static Seal newest(final Path dir)
    {
        try
        {
            final long[] bases = Segment.listBaseOffsets(dir);
            for (int i = bases.length - 1; i >= 0; i--)
            {
                final Seal seal = read(dir, bases[i]);
                if (null != seal)
                {
                    return seal;
                }
            }
            return null;
        }
        catch (final IOException ex)
        {
            throw new JournalException("cannot list journal " + dir + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * @return this seal as an anchor: {@code <end offset>:<hex SHA-256>}.
     */
    public String anchor()
    {
        return endOffset() + ":" + org.agrona.BitUtil.toHex(hash);
    }

    @Override
    public boolean equals(final Object o)
    {
        return o instanceof Seal s && baseOffset == s.baseOffset && recordCount == s.recordCount &&
            dataLength == s.dataLength && firstTimestamp == s.firstTimestamp && lastTimestamp == s.lastTimestamp &&
            Arrays.equals(previousHash, s.previousHash) && Arrays.equals(hash, s.hash);
    }

    @Override
    public int hashCode()
    {
        return Long.hashCode(baseOffset) * 31 + Arrays.hashCode(hash);
    }

    @Override
    public String toString()
    {
        return "Seal[base=" + baseOffset + ", records=" + recordCount + ", dataLength=" + dataLength +
            ", hash=" + org.agrona.BitUtil.toHex(hash) + "]";
    }
}
