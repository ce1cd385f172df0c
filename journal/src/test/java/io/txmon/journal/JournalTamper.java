package io.txmon.journal;

import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

import static io.txmon.journal.JournalDescriptor.*;

/**
 * Builds small journals and damages them the way an attacker or a failing disk would, for the integrity and
 * fault tests. Public so that the tests in {@code io.txmon.journal.fault} use it; it is test code only.
 */
public final class JournalTamper
{
    /** 64 KiB segments: a few hundred records make several segments. */
    public static final int SEGMENT_LENGTH = JournalDescriptor.MIN_SEGMENT_LENGTH;
    /** The cursor every built journal has. */
    public static final String CURSOR = "audit";

    private JournalTamper()
    {
    }

    /** Payload length of a record, a function of its offset. */
    public static int payloadLength(final long offset)
    {
        return 40 + (int)((offset * 37) % 260);
    }

    /** Payload byte, a function of offset and index; never zero. */
    public static byte payloadByte(final long offset, final int i)
    {
        return (byte)((offset * 131 + i * 7) % 251 + 1);
    }

    /** Timestamp of a record: non-decreasing. */
    public static long timestamp(final long offset)
    {
        return 1_800_000_000_000_000_000L + offset * 1_000;
    }

    /**
     * Build a journal of {@code records} records in 64 KiB segments, closed cleanly (so every full segment
     * is sealed), with a cursor committed at half of it and, if asked, the mark file a crashed writer leaves.
     *
     * @param dir     of the journal, created.
     * @param records to append.
     * @param mark    true to leave a {@code writer.mark} behind.
     */
    public static void build(final Path dir, final int records, final boolean mark) throws IOException
    {
        byte[] markBytes = null;
        final UnsafeBuffer src = new UnsafeBuffer(new byte[400]);
        try (JournalWriter writer = JournalWriter.open(dir, SEGMENT_LENGTH))
        {
            for (long offset = writer.nextOffset(); offset < records; offset++)
            {
                final int length = payloadLength(offset);
                for (int i = 0; i < length; i++)
                {
                    src.putByte(i, payloadByte(offset, i));
                }
                final long result = writer.append(src, 0, length, (int)(offset % 7), timestamp(offset));
                if (result != offset)
                {
                    throw new IllegalStateException("append of " + offset + " returned " + result);
                }
            }
            if (mark)
            {
                markBytes = Files.readAllBytes(dir.resolve(MARK_FILE_NAME));
            }
        }
        try (JournalCursor cursor = JournalCursor.open(dir, CURSOR))
        {
            cursor.commit(records / 2);
        }
        if (null != markBytes)
        {
            Files.write(dir.resolve(MARK_FILE_NAME), markBytes);
        }
    }

    /** Whether a record read back is exactly the one {@link #build} appended. */
    public static boolean intact(final long offset, final long ts, final int templateId, final byte[] payload)
    {
        if (ts != timestamp(offset) || templateId != (int)(offset % 7) || payload.length != payloadLength(offset))
        {
            return false;
        }
        for (int i = 0; i < payload.length; i++)
        {
            if (payload[i] != payloadByte(offset, i))
            {
                return false;
            }
        }
        return true;
    }

    /**
     * One frame as found in a segment file.
     *
     * @param position    of the frame.
     * @param frameLength its length field (not aligned).
     * @param offset      its offset field.
     */
    public record Frame(int position, int frameLength, long offset)
    {
        public int alignedLength()
        {
            return (frameLength + FRAME_ALIGNMENT - 1) & -FRAME_ALIGNMENT;
        }
    }

    /** The frames of a segment file, parsed from its bytes without the code under test. */
    public static List<Frame> frames(final Path segment) throws IOException
    {
        final ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(segment)).order(ByteOrder.LITTLE_ENDIAN);
        final List<Frame> frames = new ArrayList<>();
        int position = SEGMENT_HEADER_LENGTH;
        while (position <= bytes.capacity() - FRAME_HEADER_LENGTH)
        {
            final int length = bytes.getInt(position);
            if (length < FRAME_HEADER_LENGTH)
            {
                break;
            }
            frames.add(new Frame(position, length, bytes.getLong(position + OFFSET_OFFSET)));
            position += (length + FRAME_ALIGNMENT - 1) & -FRAME_ALIGNMENT;
        }
        return frames;
    }

    /** Segment files of a journal, ascending. */
    public static List<Path> segments(final Path dir) throws IOException
    {
        try (Stream<Path> files = Files.list(dir))
        {
            return files.filter((p) -> JournalDescriptor.parseBaseOffset(p.getFileName().toString()) >= 0)
                .sorted().toList();
        }
    }

    /** Seal file of a segment file. */
    public static Path sealOf(final Path segment)
    {
        return segment.resolveSibling(segment.getFileName().toString().replace(SEGMENT_SUFFIX, SEAL_SUFFIX));
    }

    /** Index file of a segment file. */
    public static Path indexOf(final Path segment)
    {
        return segment.resolveSibling(segment.getFileName().toString().replace(SEGMENT_SUFFIX, INDEX_SUFFIX));
    }

    /**
     * Change one payload byte of a frame and store a CRC that matches the new bytes: invisible to CRCs.
     */
    public static void rewriteWithCrc(final Path segment, final Frame frame, final int payloadIndex) throws IOException
    {
        final byte[] bytes = Files.readAllBytes(segment);
        final int at = frame.position() + FRAME_HEADER_LENGTH + payloadIndex % (frame.frameLength() - FRAME_HEADER_LENGTH);
        bytes[at] = (byte)(bytes[at] ^ 0x5A);
        final CRC32C crc = new CRC32C();
        crc.update(bytes, frame.position() + OFFSET_OFFSET, frame.frameLength() - OFFSET_OFFSET);
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(frame.position() + CRC_OFFSET, (int)crc.getValue());
        Files.write(segment, bytes);
    }

    /**
     * What an attacker with write access does after rewriting a sealed segment: delete the seals from that
     * segment on and seal again, so the chain is whole again over the new content.
     */
    public static void recomputeChainFrom(final Path dir, final Path segment) throws IOException
    {
        final long base = JournalDescriptor.parseBaseOffset(segment.getFileName().toString());
        for (final Path s : segments(dir))
        {
            if (JournalDescriptor.parseBaseOffset(s.getFileName().toString()) >= base)
            {
                Files.deleteIfExists(sealOf(s));
            }
        }
        Seal.sealPending(dir, Seal.sha256());
    }

    /** Remove one frame from a segment, shifting the rest down and zero-filling the end. */
    public static void spliceOut(final Path segment, final Frame frame) throws IOException
    {
        final byte[] bytes = Files.readAllBytes(segment);
        final int from = frame.position() + frame.alignedLength();
        System.arraycopy(bytes, from, bytes, frame.position(), bytes.length - from);
        java.util.Arrays.fill(bytes, bytes.length - frame.alignedLength(), bytes.length, (byte)0);
        Files.write(segment, bytes);
    }

    /** Swap two frames of a segment (a before b), keeping what lies between. */
    public static void swap(final Path segment, final Frame a, final Frame b) throws IOException
    {
        final byte[] bytes = Files.readAllBytes(segment);
        final int start = a.position();
        final int end = b.position() + b.alignedLength();
        final byte[] out = new byte[end - start];
        int at = 0;
        System.arraycopy(bytes, b.position(), out, at, b.alignedLength());
        at += b.alignedLength();
        final int middle = b.position() - (a.position() + a.alignedLength());
        System.arraycopy(bytes, a.position() + a.alignedLength(), out, at, middle);
        at += middle;
        System.arraycopy(bytes, a.position(), out, at, a.alignedLength());
        System.arraycopy(out, 0, bytes, start, out.length);
        Files.write(segment, bytes);
    }

    /** The newest seal's anchor line, as {@code txmon journal info} prints it. */
    public static String anchor(final Path dir)
    {
        return Seal.newest(dir).anchor();
    }

    /** Text of a small file, for messages. */
    static String text(final Path file) throws IOException
    {
        return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    }
}
