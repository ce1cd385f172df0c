package io.txmon.journal;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Properties;

import static io.txmon.journal.JournalDescriptor.*;

/**
 * The small metadata file of a journal ({@value JournalDescriptor#METADATA_FILE_NAME}): the format version
 * that wrote it, the segment length and index interval it was created with, and when. Plain
 * {@code key=value} text, written once, atomically, when the journal is created.
 *
 * @param formatVersion of the journal.
 * @param segmentLength of segments created so far.
 * @param indexInterval records between index entries; fixed for the life of the journal.
 * @param created       when the journal was created.
 */
public record JournalMetadata(int formatVersion, int segmentLength, int indexInterval, Instant created)
{
    /**
     * Read the metadata of a journal.
     *
     * @param dir of the journal.
     * @return the metadata, or null if the journal has no metadata file yet.
     * @throws JournalException if the file cannot be read, is malformed, or was written by a newer format.
     */
    public static JournalMetadata read(final Path dir)
    {
        final Path file = dir.resolve(METADATA_FILE_NAME);
        if (!Files.exists(file))
        {
            return null;
        }
        final Properties properties = new Properties();
        try
        {
            properties.load(new StringReader(Files.readString(file, StandardCharsets.UTF_8)));
            final JournalMetadata metadata = new JournalMetadata(
                Integer.parseInt(properties.getProperty("format-version").trim()),
                Integer.parseInt(properties.getProperty("segment-length").trim()),
                Integer.parseInt(properties.getProperty("index-interval").trim()),
                Instant.parse(properties.getProperty("created").trim()));
            if (metadata.formatVersion() > FORMAT_VERSION)
            {
                throw new JournalException("journal " + dir + " was written by journal format version " +
                    metadata.formatVersion() + "; this txmon reads up to version " + FORMAT_VERSION +
                    ": use a newer txmon");
            }
            if (Integer.bitCount(metadata.indexInterval()) != 1)
            {
                throw new JournalException(file + ": index-interval must be a power of two, is " +
                    metadata.indexInterval());
            }
            return metadata;
        }
        catch (final IOException ex)
        {
            throw new JournalException("cannot read " + file + ": " + ex.getMessage(), ex);
        }
        catch (final NullPointerException | IllegalArgumentException | java.time.DateTimeException ex)
        {
            throw new JournalException(file + " is malformed (" + ex.getMessage() +
                "): expected format-version, segment-length, index-interval and created", ex);
        }
    }

    /**
     * Write the metadata atomically: a temporary file renamed over the real one.
     *
     * @param dir of the journal.
     */
    void write(final Path dir) throws IOException
    {
        final String text =
            "# txmon journal metadata\n" +
            "format-version=" + formatVersion + "\n" +
            "segment-length=" + segmentLength + "\n" +
            "index-interval=" + indexInterval + "\n" +
            "created=" + created + "\n";
        final Path tmp = dir.resolve(METADATA_FILE_NAME + ".tmp");
        OwnerOnly.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, dir.resolve(METADATA_FILE_NAME), StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
    }
}
