package io.txmon.journal;

import org.agrona.BitUtil;

/**
 * Layout of a journal segment and of the frames in it. The full format is documented in
 * {@code journal/FORMAT.md}; this class is the single place the numbers live.
 *
 * <pre>
 * Segment file {@code <base offset, 20 digits>.log}, pre-allocated to a fixed length:
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                        Magic "TXMJRNL\0" (8)                  |
 *  +---------------------------------------------------------------+
 *  |                     Format Version (int32)                    |
 *  +---------------------------------------------------------------+
 *  |                  Segment Header Length (int32)                |
 *  +---------------------------------------------------------------+
 *  |                      Base Offset (int64)                      |
 *  +---------------------------------------------------------------+
 *  |                    Segment Length (int64)                     |
 *  +---------------------------------------------------------------+
 *  |                 Reserved up to 64 bytes (zero)               ...
 *  +---------------------------------------------------------------+
 *  |                      Frames, 8-byte aligned                  ...
 *
 * Frame:
 *  +---------------------------------------------------------------+
 *  |R|                   Frame Length (int32)                      |  written last, release order
 *  +---------------------------------------------------------------+
 *  |              CRC32C of bytes [8, frame length) (int32)        |
 *  +---------------------------------------------------------------+
 *  |                         Offset (int64)                        |
 *  +---------------------------------------------------------------+
 *  |                 Ingest Timestamp, epoch ns (int64)            |
 *  +---------------------------------------------------------------+
 *  |                      Template Id (int32)                      |
 *  +---------------------------------------------------------------+
 *  |                     Reserved (int32, zero)                    |
 *  +---------------------------------------------------------------+
 *  |                            Payload                           ...
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * A frame length of {@code 0} means nothing has been written there yet; {@link #END_OF_SEGMENT} means
 * the writer rolled to the next segment. All integers are little-endian.
 */
public final class JournalDescriptor
{
    /** "TXMJRNL\0" read as a little-endian long. */
    public static final long MAGIC = 0x004C4E524A4D5854L;
    /** Version of the on-disk format written by this code. */
    public static final int FORMAT_VERSION = 1;

    public static final int MAGIC_OFFSET = 0;
    public static final int FORMAT_VERSION_OFFSET = 8;
    public static final int SEGMENT_HEADER_LENGTH_OFFSET = 12;
    public static final int BASE_OFFSET_OFFSET = 16;
    public static final int SEGMENT_LENGTH_OFFSET = 24;
    /** Length of the segment header; the first frame starts here. */
    public static final int SEGMENT_HEADER_LENGTH = 64;

    public static final int FRAME_ALIGNMENT = 8;
    public static final int LENGTH_OFFSET = 0;
    public static final int CRC_OFFSET = 4;
    public static final int OFFSET_OFFSET = 8;
    public static final int TIMESTAMP_OFFSET = 16;
    public static final int TEMPLATE_ID_OFFSET = 24;
    public static final int RESERVED_OFFSET = 28;
    /** Length of the frame header; the payload starts here. */
    public static final int FRAME_HEADER_LENGTH = 32;

    /** Frame length value that marks the end of a segment: the next record is in the next segment. */
    public static final int END_OF_SEGMENT = -1;

    /** Smallest segment length accepted. */
    public static final int MIN_SEGMENT_LENGTH = 64 * 1024;
    /** Largest segment length accepted: one mapping must be addressable by an int. */
    public static final int MAX_SEGMENT_LENGTH = 1024 * 1024 * 1024;

    /** Suffix of segment files. */
    public static final String SEGMENT_SUFFIX = ".log";
    /** Name of the lock file that makes the writer single across processes. */
    public static final String LOCK_FILE_NAME = "journal.lock";
    /** Name of the mark file holding the writer's pid while it runs; left behind by a crash. */
    public static final String MARK_FILE_NAME = "writer.mark";
    /** Name of the metadata file: format version, segment length, index interval, creation time. */
    public static final String METADATA_FILE_NAME = "journal.meta";
    /** What retention removed: the first offset it kept and the hash chain value before it. */
    public static final String RETENTION_FILE_NAME = "journal.retention";
    /** Directory of named cursors, inside the journal directory. */
    public static final String CURSORS_DIR_NAME = "cursors";
    /** Name of the spare segment the maintenance agent prepares ahead of a roll. */
    public static final String SPARE_SEGMENT_NAME = "spare.tmp";
    /** The index prepared with the spare segment. */
    public static final String SPARE_INDEX_NAME = "spare.idx.tmp";

    /** Suffix of sparse index files, one per segment, named like the segment. */
    public static final String INDEX_SUFFIX = ".idx";
    /** Suffix of seal files, one per full segment, named like the segment. */
    public static final String SEAL_SUFFIX = ".seal";

    /** "TXMINDX\0" read as a little-endian long. */
    public static final long INDEX_MAGIC = 0x0058444E494D5854L;
    public static final int INDEX_VERSION_OFFSET = 8;
    public static final int INDEX_INTERVAL_OFFSET = 12;
    public static final int INDEX_BASE_OFFSET_OFFSET = 16;
    public static final int INDEX_CAPACITY_OFFSET = 24;
    /** Entries written so far; released after each new entry so readers in other processes see whole entries. */
    public static final int INDEX_COUNT_OFFSET = 28;
    public static final int INDEX_HEADER_LENGTH = 64;
    public static final int INDEX_ENTRY_LENGTH = 24;
    public static final int INDEX_ENTRY_OFFSET_OFFSET = 0;
    public static final int INDEX_ENTRY_TIMESTAMP_OFFSET = 8;
    public static final int INDEX_ENTRY_POSITION_OFFSET = 16;
    /** Default records between index entries. */
    public static final int DEFAULT_INDEX_INTERVAL = 256;

    /** "TXMSEAL\0" read as a little-endian long. */
    public static final long SEAL_MAGIC = 0x004C4145534D5854L;
    public static final int SEAL_VERSION_OFFSET = 8;
    public static final int SEAL_BASE_OFFSET_OFFSET = 16;
    public static final int SEAL_RECORD_COUNT_OFFSET = 24;
    public static final int SEAL_DATA_LENGTH_OFFSET = 32;
    public static final int SEAL_FIRST_TIMESTAMP_OFFSET = 40;
    public static final int SEAL_LAST_TIMESTAMP_OFFSET = 48;
    public static final int SEAL_PREVIOUS_HASH_OFFSET = 56;
    public static final int SEAL_HASH_OFFSET = 88;
    public static final int SEAL_CRC_OFFSET = 120;
    public static final int SEAL_LENGTH = 128;
    public static final int HASH_LENGTH = 32;

    private JournalDescriptor()
    {
    }

    /**
     * Aligned length a frame occupies for a payload of the given length.
     *
     * @param payloadLength of the record.
     * @return the frame length rounded up to {@link #FRAME_ALIGNMENT}.
     */
    public static int alignedFrameLength(final int payloadLength)
    {
        return BitUtil.align(FRAME_HEADER_LENGTH + payloadLength, FRAME_ALIGNMENT);
    }

    /**
     * File name of the segment that starts at a base offset.
     *
     * @param baseOffset of the first record in the segment.
     * @return the name, the offset zero-padded to 20 digits followed by {@link #SEGMENT_SUFFIX}.
     */
    public static String segmentFileName(final long baseOffset)
    {
        return String.format("%020d%s", baseOffset, SEGMENT_SUFFIX);
    }

    /**
     * File name of the index of the segment that starts at a base offset.
     *
     * @param baseOffset of the segment.
     * @return the name.
     */
    public static String indexFileName(final long baseOffset)
    {
        return String.format("%020d%s", baseOffset, INDEX_SUFFIX);
    }

    /**
     * File name of the seal of the segment that starts at a base offset.
     *
     * @param baseOffset of the segment.
     * @return the name.
     */
    public static String sealFileName(final long baseOffset)
    {
        return String.format("%020d%s", baseOffset, SEAL_SUFFIX);
    }

    /**
     * Largest number of index entries a segment of a given length can need.
     *
     * @param segmentLength of the segment.
     * @param indexInterval records between entries.
     * @return the capacity.
     */
    public static int indexCapacity(final int segmentLength, final int indexInterval)
    {
        final int maxRecords = (segmentLength - SEGMENT_HEADER_LENGTH) / FRAME_HEADER_LENGTH;
        return maxRecords / indexInterval + 1;
    }

    /**
     * Parse the base offset out of a segment file name.
     *
     * @param fileName of a segment.
     * @return the base offset, or -1 if the name is not a segment name.
     */
    public static long parseBaseOffset(final String fileName)
    {
        if (fileName.length() != 20 + SEGMENT_SUFFIX.length() || !fileName.endsWith(SEGMENT_SUFFIX))
        {
            return -1;
        }

        long value = 0;
        for (int i = 0; i < 20; i++)
        {
            final char c = fileName.charAt(i);
            if (c < '0' || c > '9')
            {
                return -1;
            }
            if (value > (Long.MAX_VALUE - (c - '0')) / 10)
            {
                return -1;
            }
            value = value * 10 + (c - '0');
        }

        return value;
    }
}
