package io.txmon.sequencer;

import io.txmon.rules.Rule;
import io.txmon.transport.TxmonPublisher;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.txmon.sequencer.EngineTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * What the journal's recovery did at start reaches the engine's operator: a torn tail cut on open is named by
 * {@link Engine#recoveryNotes()} (printed by {@code txmon run}'s banner), and a clean journal has no note.
 */
class RecoveryNoteTest
{
    private static final int EVENTS = 20;

    @TempDir
    Path tempDir;

    @Test
    void aTornTailCutAtStartIsReportedByTheEngine() throws IOException
    {
        final Path journalDir = tempDir.resolve("journal");
        Engine engine = Engine.launch(context(tempDir.resolve("aeron-1"), journalDir, (w) -> new Rule[0]));
        TxmonPublisher publisher = null;
        try
        {
            assertEquals(List.of(), engine.recoveryNotes(), "a new journal has nothing to report");
            final EngineCounters counters = engine.counters();
            publisher = publisher(engine, 9, 0);
            for (int i = 0; i < EVENTS; i++)
            {
                sendPayment(publisher, 100 + i);
            }
            awaitCondition(() -> counters.journaled() == EVENTS, () -> describe(counters));
        }
        finally
        {
            CloseHelper.closeAll(publisher, engine);
        }

        // a crash in the middle of a write of the next record: its length is there, its bytes are not all
        final Path segment = journalDir.resolve("00000000000000000000.log");
        final int tornAt = endOfFrames(segment);
        try (RandomAccessFile file = new RandomAccessFile(segment.toFile(), "rw"))
        {
            final ByteBuffer frame = ByteBuffer.allocate(48).order(ByteOrder.LITTLE_ENDIAN);
            frame.putInt(0, 48).putInt(4, 0x12345678).putLong(8, EVENTS).putLong(16, Long.MAX_VALUE);
            file.seek(tornAt);
            file.write(frame.array());
        }

        engine = Engine.launch(context(tempDir.resolve("aeron-2"), journalDir, (w) -> new Rule[0]));
        try
        {
            assertEquals(EVENTS, engine.recoveredRecords(), "no valid record was cut");
            final List<String> notes = engine.recoveryNotes();
            assertEquals(1, notes.size(), notes::toString);
            assertTrue(notes.get(0).startsWith("journal: cut a torn tail"), notes.get(0));
            assertTrue(notes.get(0).contains(segment.getFileName().toString()), notes.get(0));
        }
        finally
        {
            CloseHelper.close(engine);
        }
        assertEquals(EVENTS, readJournal(journalDir).size());
    }

    private static int endOfFrames(final Path segment) throws IOException
    {
        final ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(segment)).order(ByteOrder.LITTLE_ENDIAN);
        int position = 64;
        int length;
        while ((length = bytes.getInt(position)) > 0)
        {
            position += (length + 7) & ~7;
        }
        return position;
    }
}
