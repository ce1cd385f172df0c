package io.txmon.journal;

import io.txmon.journal.JournalTestSupport.Collector;
import io.txmon.journal.JournalTestSupport.Rec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static io.txmon.journal.JournalDescriptor.*;
import static io.txmon.journal.JournalTestSupport.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JournalDamageTest
{
    private static final int VICTIM = 37;

    @TempDir
    Path dir;

    @Test
    void shouldRefuseADamagedRecordInANonLastSegment() throws IOException
    {
        final Random random = new Random(30);
        final List<Rec> appended = new ArrayList<>();
        try (JournalWriter writer = JournalWriter.open(dir, SEGMENT_LENGTH))
        {
            for (int i = 0; i < 400; i++)
            {
                appended.add(appendExpecting(writer, i, randomPayload(random, 1 + random.nextInt(600)), i, 3L * i));
            }
        }
        final List<Path> segments = segmentFiles(dir);
        assertTrue(segments.size() >= 3);
        final Path first = segments.get(0);
        final long secondBase = baseOffsetOf(segments.get(1));
        assertTrue(VICTIM < secondBase);

        int victimPosition = SEGMENT_HEADER_LENGTH;
        for (int i = 0; i < VICTIM; i++)
        {
            victimPosition += appended.get(i).alignedFrameLength();
        }
        final Rec victim = appended.get(VICTIM);

        // One flipped byte of the payload, as the task describes, then every other byte of the frame.
        final List<Integer> indices = new ArrayList<>();
        indices.add(FRAME_HEADER_LENGTH + victim.payload().length / 2);
        for (int i = 0; i < victim.frameLength(); i++)
        {
            indices.add(i);
        }

        for (final int index : indices)
        {
            final long filePosition = victimPosition + index;
            final byte[] original = readAt(first, filePosition, 1);
            writeAt(first, filePosition, new byte[] { (byte)~original[0] });
            try
            {
                assertDamageRefused(appended, first, secondBase, "byte " + index + " of the frame");
            }
            finally
            {
                writeAt(first, filePosition, original);
            }
        }

        assertRecords(appended, readAll(dir));
    }

    private void assertDamageRefused(
        final List<Rec> appended, final Path segment, final long secondBase, final String context)
    {
        try (JournalReader reader = JournalReader.open(dir))
        {
            final Collector collector = new Collector();
            for (int attempt = 0; attempt < 2; attempt++)
            {
                final JournalException ex = assertThrows(
                    JournalException.class, () ->
                    {
                        while (reader.poll(collector, 10) > 0)
                        {
                            assertTrue(collector.records.size() <= VICTIM, context);
                        }
                    },
                    context);
                assertNamesSegmentAndOffset(ex, segment, context);
                assertRecords(appended.subList(0, VICTIM), collector.records);
                assertEquals(VICTIM, reader.nextOffset(), context);
            }

            // Seeking past the damaged record in its segment cannot skip it either.
            final JournalException ex = assertThrows(
                JournalException.class, () -> reader.seek(VICTIM + 1), context);
            assertNamesSegmentAndOffset(ex, segment, context);

            // The other segments stay readable.
            assertTrue(reader.seek(secondBase), context);
            assertRecords(appended.subList((int)secondBase, appended.size()), drain(reader));
        }
    }

    private static void assertNamesSegmentAndOffset(final JournalException ex, final Path segment, final String context)
    {
        final String message = ex.getMessage();
        assertTrue(message.contains(segment.getFileName().toString()), context + ": " + message);
        assertTrue(message.contains("offset " + VICTIM + " "), context + ": " + message);
    }
}
