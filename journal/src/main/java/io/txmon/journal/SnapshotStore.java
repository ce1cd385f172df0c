package io.txmon.journal;

import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The snapshot directory of a journal: one file per snapshot, {@code snapshot-<offset>.snap} (the offset in 20
 * digits, so names sort by offset), holding state derived from the journal up to the offset in its name, as parts
 * of bytes this class does not interpret (the engine's: part 0 its sequencer's state, part 1 + i rule worker i's).
 * Written to a temporary file, forced, and renamed into place, so a snapshot file is whole or absent; its
 * checksum and the journal record it names are checked before it is used. Layout: journal/SNAPSHOT.md.
 * <pre>
 *   0  long   magic               "TXSNAP01" (0x3130_5041_4E53_5854 little-endian)
 *   8  int    format version      2
 *  12  int    worker count        the rule workers the parts are for
 *  16  long   rules offset        the workers' state covers the journal up to and including this offset
 *  24  long   sequencer offset    the sequencer's state covers up to and including this one (at least rules offset)
 *  32  long   rules record time   ingest time of the record at the rules offset
 *  40  int    rules record crc    CRC32C of that record's payload
 *  44  int    parts               1 + worker count
 *  48  long   sequencer record time
 *  56  int    sequencer record crc
 *  60  int    reserved            0
 *  64  parts: int length, then that many bytes; part 0 the sequencer's, part 1 + i worker i's
 *  ..  int    CRC32C of every byte before it
 * </pre>
 * Everything little-endian. Not thread safe: one writer at a time (the snapshot agent while the engine runs, the
 * closing thread after it has stopped); readers only before the engine starts.
 */
public final class SnapshotStore
{
    /** Magic number of a snapshot file. */
    public static final long MAGIC = 0x3130_5041_4E53_5854L;
    /** Format version written. */
    public static final int VERSION = 2;
    static final int HEADER_LENGTH = 64;
    private static final String PREFIX = "snapshot-";
    private static final String SUFFIX = ".snap";
    private static final long MAX_FILE_LENGTH = Integer.MAX_VALUE - 64;

    private final Path dir;
    private final int retain;

    /**
     * A snapshot read and checked: its offsets and parts.
     *
     * @param file            it was read from.
     * @param rulesOffset     the workers' parts cover the journal up to and including this offset.
     * @param sequencerOffset the sequencer's part covers up to and including this offset.
     * @param buffer          holding the file.
     * @param partOffsets     where each part starts in the buffer.
     * @param partLengths     length of each part.
     */
    public record Snapshot(
        Path file, long rulesOffset, long sequencerOffset, UnsafeBuffer buffer, int[] partOffsets, int[] partLengths)
    {
        /**
         * @param part 0 for the sequencer, 1 + i for worker i.
         * @return where the part starts in {@link #buffer()}.
         */
        public int partOffset(final int part)
        {
            return partOffsets[part];
        }

        /**
         * @param part 0 for the sequencer, 1 + i for worker i.
         * @return the part's length in bytes.
         */
        public int partLength(final int part)
        {
            return partLengths[part];
        }
    }

    /**
     * @param dir    of the snapshots; created owner-only if missing.
     * @param retain snapshots kept, newest first, 1 or more: writing one removes those beyond.
     */
    public SnapshotStore(final Path dir, final int retain)
    {
        if (retain < 1)
        {
            throw new IllegalArgumentException("snapshots retained must be 1 or more, was " + retain);
        }
        this.dir = dir;
        this.retain = retain;
        try
        {
            OwnerOnly.createDirectories(dir);
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot create the snapshot directory " + dir + ": " + ex, ex);
        }
    }

    /**
     * @return the directory.
     */
    public Path dir()
    {
        return dir;
    }

    /**
     * @param rulesOffset of the snapshot.
     * @return its file name.
     */
    public static String fileName(final long rulesOffset)
    {
        return PREFIX + String.format("%020d", rulesOffset) + SUFFIX;
    }

    /**
     * The rules offset a snapshot file's name carries, to pick a snapshot by offset without reading it; the
     * file's header is still checked against its name when it is {@link #read}.
     *
     * @param file a snapshot file, as {@link #list()} gives it.
     * @return the rules offset in its name, or -1 if the name is not a snapshot's.
     */
    public static long rulesOffsetOf(final Path file)
    {
        final String name = file.getFileName().toString();
        final int digits = name.length() - PREFIX.length() - SUFFIX.length();
        if (digits != 20 || !name.startsWith(PREFIX) || !name.endsWith(SUFFIX))
        {
            return -1;
        }
        long offset = 0;
        for (int i = PREFIX.length(), end = PREFIX.length() + digits; i < end; i++)
        {
            final char c = name.charAt(i);
            if (c < '0' || c > '9' || offset > (Long.MAX_VALUE - (c - '0')) / 10)
            {
                return -1;
            }
            offset = offset * 10 + (c - '0');
        }
        return offset;
    }

    /**
     * @return snapshot files, newest (highest offset) first; temporary files are not listed.
     */
    public List<Path> list()
    {
        final List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, PREFIX + "*" + SUFFIX))
        {
            for (final Path file : stream)
            {
                files.add(file);
            }
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot list the snapshot directory " + dir + ": " + ex, ex);
        }
        files.sort(Collections.reverseOrder());
        return files;
    }

    /**
     * Write a snapshot and remove the oldest beyond those retained.
     *
     * @param rulesOffset     the workers' parts cover.
     * @param sequencerOffset the sequencer's part covers.
     * @param journalDir      to read the records at both offsets from, for the identity check.
     * @param parts           part 0 the sequencer's, 1 + i worker i's.
     * @return the file written.
     * @throws IOException if it cannot be written; nothing half written is left under the final name.
     */
    public Path write(final long rulesOffset, final long sequencerOffset, final Path journalDir, final byte[][] parts)
        throws IOException
    {
        final long[] rulesRecord = record(journalDir, rulesOffset);
        final long[] sequencerRecord = record(journalDir, sequencerOffset);
        long length = HEADER_LENGTH + Integer.BYTES;
        for (final byte[] part : parts)
        {
            length += Integer.BYTES + part.length;
        }
        if (length > MAX_FILE_LENGTH)
        {
            throw new IOException("a snapshot of " + length + " bytes is larger than one file can hold (2 GiB)");
        }
        final ByteBuffer header = ByteBuffer.allocate(HEADER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        header.putLong(MAGIC).putInt(VERSION).putInt(parts.length - 1).putLong(rulesOffset).putLong(sequencerOffset)
            .putLong(rulesRecord[0]).putInt((int)rulesRecord[1]).putInt(parts.length)
            .putLong(sequencerRecord[0]).putInt((int)sequencerRecord[1]).putInt(0).flip();

        final Path file = dir.resolve(fileName(rulesOffset));
        final Path temporary = dir.resolve(file.getFileName() + ".tmp");
        final CRC32C crc = new CRC32C();
        try (FileChannel channel = OwnerOnly.open(temporary,
            StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING))
        {
            crc.update(header.duplicate());
            writeFully(channel, header);
            final ByteBuffer length4 = ByteBuffer.allocate(Integer.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            for (final byte[] part : parts)
            {
                length4.clear();
                length4.putInt(part.length).flip();
                crc.update(length4.duplicate());
                writeFully(channel, length4);
                crc.update(part);
                writeFully(channel, ByteBuffer.wrap(part));
            }
            length4.clear();
            length4.putInt((int)crc.getValue()).flip();
            writeFully(channel, length4);
            channel.force(true);
        }
        try
        {
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        catch (final AtomicMoveNotSupportedException ex)
        {
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
        }
        forceDirectory();
        prune();
        return file;
    }

    /**
     * Read a snapshot file and check it: size, checksum, magic, version, worker count, and that the journal holds,
     * at both offsets it names, the very records it was taken at.
     *
     * @param file        to read.
     * @param workerCount the engine runs with.
     * @param journalDir  the snapshot must belong to.
     * @return the snapshot.
     * @throws SnapshotException saying why it cannot be used.
     */
    public static Snapshot read(final Path file, final int workerCount, final Path journalDir)
    {
        final byte[] bytes;
        try
        {
            final long size = Files.size(file);
            if (size < HEADER_LENGTH + Integer.BYTES || size > MAX_FILE_LENGTH)
            {
                throw new SnapshotException(file.getFileName() + ": " + size + " bytes cannot be a snapshot");
            }
            bytes = Files.readAllBytes(file);
        }
        catch (final IOException ex)
        {
            throw new SnapshotException(file.getFileName() + ": cannot be read: " + ex);
        }
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        final int end = bytes.length - Integer.BYTES;
        final CRC32C crc = new CRC32C();
        crc.update(bytes, 0, end);
        if ((int)crc.getValue() != buffer.getInt(end, ByteOrder.LITTLE_ENDIAN))
        {
            throw new SnapshotException(file.getFileName() + ": checksum does not match (damaged or cut short)");
        }
        if (buffer.getLong(0, ByteOrder.LITTLE_ENDIAN) != MAGIC)
        {
            throw new SnapshotException(file.getFileName() + ": not a txmon snapshot (magic)");
        }
        final int version = buffer.getInt(8, ByteOrder.LITTLE_ENDIAN);
        if (version != VERSION)
        {
            throw new SnapshotException(file.getFileName() + ": format version " + version + ", this engine reads " +
                VERSION);
        }
        final int workers = buffer.getInt(12, ByteOrder.LITTLE_ENDIAN);
        if (workers != workerCount)
        {
            throw new SnapshotException(file.getFileName() + ": taken with " + workers + " rule workers, the engine " +
                "runs " + workerCount + " (accounts are partitioned by worker count)");
        }
        final long rulesOffset = buffer.getLong(16, ByteOrder.LITTLE_ENDIAN);
        final long sequencerOffset = buffer.getLong(24, ByteOrder.LITTLE_ENDIAN);
        final int parts = buffer.getInt(44, ByteOrder.LITTLE_ENDIAN);
        if (rulesOffset < 0 || sequencerOffset < rulesOffset || parts != workers + 1 ||
            !file.getFileName().toString().equals(fileName(rulesOffset)))
        {
            throw new SnapshotException(file.getFileName() + ": header does not hold together (offsets " + rulesOffset +
                ", " + sequencerOffset + ", " + parts + " parts)");
        }
        checkRecord(file, journalDir, rulesOffset, buffer.getLong(32, ByteOrder.LITTLE_ENDIAN),
            buffer.getInt(40, ByteOrder.LITTLE_ENDIAN));
        checkRecord(file, journalDir, sequencerOffset, buffer.getLong(48, ByteOrder.LITTLE_ENDIAN),
            buffer.getInt(56, ByteOrder.LITTLE_ENDIAN));
        final int[] partOffsets = new int[parts];
        final int[] partLengths = new int[parts];
        int position = HEADER_LENGTH;
        for (int i = 0; i < parts; i++)
        {
            if (position + Integer.BYTES > end)
            {
                throw new SnapshotException(file.getFileName() + ": part " + i + " lies past the end");
            }
            final int length = buffer.getInt(position, ByteOrder.LITTLE_ENDIAN);
            position += Integer.BYTES;
            if (length < 0 || length > end - position)
            {
                throw new SnapshotException(file.getFileName() + ": part " + i + " of " + length + " bytes lies past the end");
            }
            partOffsets[i] = position;
            partLengths[i] = length;
            position += length;
        }
        if (position != end)
        {
            throw new SnapshotException(file.getFileName() + ": " + (end - position) + " bytes after the last part");
        }
        return new Snapshot(file, rulesOffset, sequencerOffset, buffer, partOffsets, partLengths);
    }

    private static void checkRecord(
        final Path file, final Path journalDir, final long offset, final long time, final int crc)
    {
        final long[] record;
        try
        {
            record = record(journalDir, offset);
        }
        catch (final IOException | JournalException ex)
        {
            throw new SnapshotException(file.getFileName() + ": the journal's record at offset " + offset +
                " cannot be read: " + ex.getMessage());
        }
        if (record[0] != time || (int)record[1] != crc)
        {
            throw new SnapshotException(file.getFileName() + ": the journal's record at offset " + offset +
                " is not the one the snapshot was taken at (another journal, or one cut or rewritten since)");
        }
    }

    /**
     * @return {ingest time, CRC32C of the payload} of the record at an offset.
     * @throws IOException if the journal does not hold it.
     */
    private static long[] record(final Path journalDir, final long offset) throws IOException
    {
        final long[] record = { Long.MIN_VALUE, 0 };
        try (JournalReader reader = JournalReader.open(journalDir))
        {
            if (!reader.seek(offset))
            {
                throw new NoSuchFileException("the journal does not hold offset " + offset);
            }
            reader.poll((recordOffset, timestamp, templateId, buffer, payloadOffset, payloadLength) ->
            {
                final byte[] payload = new byte[payloadLength];
                buffer.getBytes(payloadOffset, payload);
                final CRC32C crc = new CRC32C();
                crc.update(payload);
                record[0] = timestamp;
                record[1] = (int)crc.getValue();
            }, 1);
        }
        if (record[0] == Long.MIN_VALUE)
        {
            throw new NoSuchFileException("the journal does not hold offset " + offset);
        }
        return record;
    }

    private void prune() throws IOException
    {
        final List<Path> files = list();
        for (int i = retain; i < files.size(); i++)
        {
            Files.deleteIfExists(files.get(i));
        }
    }

    private void forceDirectory()
    {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ))
        {
            channel.force(true);
        }
        catch (final IOException ex)
        {
            // not every file system lets a directory be forced; the rename is still atomic
        }
    }

    private static void writeFully(final FileChannel channel, final ByteBuffer buffer) throws IOException
    {
        while (buffer.hasRemaining())
        {
            channel.write(buffer);
        }
    }
}
