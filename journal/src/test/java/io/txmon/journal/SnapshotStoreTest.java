package io.txmon.journal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static io.txmon.journal.JournalTestSupport.append;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The snapshot file: parts written are read back whole; a file is used only if its checksum, magic, version,
 * worker count, name and the journal records it names all hold, and no byte pattern gives anything but a
 * {@link SnapshotException} naming the file; the oldest beyond those retained are removed.
 */
class SnapshotStoreTest
{
    @TempDir
    Path tempDir;

    @Test
    void partsWrittenAreReadBackWholeAndOldSnapshotsArePruned() throws Exception
    {
        final Path journal = journal(tempDir.resolve("journal"), 30);
        final SnapshotStore store = new SnapshotStore(tempDir.resolve("snapshots"), 2);
        final byte[][] parts = { { 1, 2, 3 }, {}, { 9 } };
        store.write(9, 9, journal, parts);
        store.write(19, 19, journal, parts);
        store.write(29, 29, journal, parts);
        assertEquals(List.of(store.dir().resolve(SnapshotStore.fileName(29)), store.dir().resolve(SnapshotStore.fileName(19))),
            store.list(), "the two newest kept, newest first");

        final SnapshotStore.Snapshot snapshot = SnapshotStore.read(store.list().get(0), 2, journal);
        assertEquals(29, snapshot.rulesOffset());
        assertEquals(29, snapshot.sequencerOffset());
        for (int i = 0; i < parts.length; i++)
        {
            final byte[] read = new byte[snapshot.partLength(i)];
            snapshot.buffer().getBytes(snapshot.partOffset(i), read);
            assertArrayEquals(parts[i], read);
        }
        assertEquals(29, SnapshotStore.rulesOffsetOf(store.list().get(0)));
    }

    @Test
    void aSnapshotIsRefusedForAnotherWorkerCountAnotherJournalOrANameThatIsNotItsOwn() throws Exception
    {
        final Path journal = journal(tempDir.resolve("journal"), 10);
        final Path other = journal(tempDir.resolve("other"), 10, 7);
        final SnapshotStore store = new SnapshotStore(tempDir.resolve("snapshots"), 3);
        final Path file = store.write(5, 9, journal, new byte[][]{ { 1 }, { 2 } });

        assertTrue(refusal(file, 2, journal).contains("taken with 1 rule workers, the engine runs 2"));
        assertTrue(refusal(file, 1, other).contains("is not the one the snapshot was taken at"));
        final Path renamed = store.dir().resolve(SnapshotStore.fileName(4));
        Files.copy(file, renamed);
        assertTrue(refusal(renamed, 1, journal).contains("header does not hold together"));
        assertThrows(java.io.IOException.class, () -> store.write(10, 10, journal, new byte[][]{ {}, {} }),
            "an offset the journal does not hold cannot be snapshotted");
    }

    @Test
    void noBytePatternGivesAnythingButASnapshotExceptionNamingTheFile() throws Exception
    {
        final Path journal = journal(tempDir.resolve("journal"), 10);
        final SnapshotStore store = new SnapshotStore(tempDir.resolve("snapshots"), 1);
        final Path file = store.write(9, 9, journal, new byte[][]{ new byte[40], new byte[17] });
        final byte[] original = Files.readAllBytes(file);
        final Random random = new Random(13);
        for (int i = 0; i < 300; i++)
        {
            final byte[] damaged = original.clone();
            final int cut = i % 3 == 0 ? random.nextInt(original.length) : original.length;
            damaged[random.nextInt(cut == 0 ? 1 : cut)] ^= (byte)(1 + random.nextInt(255));
            Files.write(file, java.util.Arrays.copyOf(damaged, cut));
            final String message = refusal(file, 1, journal);
            assertTrue(message.startsWith(file.getFileName().toString()), message);
        }
    }

    private static String refusal(final Path file, final int workers, final Path journal)
    {
        return assertThrows(SnapshotException.class, () -> SnapshotStore.read(file, workers, journal)).getMessage();
    }

    private static Path journal(final Path dir, final int records) throws Exception
    {
        return journal(dir, records, 1);
    }

    private static Path journal(final Path dir, final int records, final int seed) throws Exception
    {
        final Random random = new Random(seed);
        try (JournalWriter writer = JournalWriter.open(dir, new JournalConfig()))
        {
            for (int i = 0; i < records; i++)
            {
                append(writer, JournalTestSupport.randomPayload(random, 40), 1, 1_000 + i);
            }
        }
        return dir;
    }
}
