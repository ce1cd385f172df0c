package io.txmon.journal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static io.txmon.journal.JournalDescriptor.CURSORS_DIR_NAME;
import static io.txmon.journal.JournalTestSupport.SEGMENT_LENGTH;
import static io.txmon.journal.JournalTestSupport.appendExpecting;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Named cursors: committed positions, their files, and who may hold them.
 */
class JournalCursorTest
{
    @TempDir
    Path dir;

    private Path cursors()
    {
        return dir.resolve(CURSORS_DIR_NAME);
    }

    @Test
    void shouldStartWithNoPositionAndRoundTripACommit() throws IOException
    {
        try (JournalCursor cursor = JournalCursor.open(dir, "rules"))
        {
            assertEquals("rules", cursor.name());
            assertEquals(JournalCursor.NO_POSITION, cursor.position());
            assertEquals(JournalCursor.NO_POSITION, JournalCursor.read(dir, "rules"));
            assertTrue(Files.isDirectory(cursors()));
            assertTrue(Files.exists(cursors().resolve("rules.lock")));
            assertFalse(Files.exists(cursors().resolve("rules.pos")), "nothing committed, no position file");

            cursor.commit(0);
            assertEquals(0, cursor.position());
            assertEquals(0, JournalCursor.read(dir, "rules"));
            cursor.commit(12_345_678_901L);
            assertEquals(12_345_678_901L, cursor.position());
            assertEquals(12_345_678_901L, JournalCursor.read(dir, "rules"));

            final List<String> lines = Files.readAllLines(cursors().resolve("rules.pos"), StandardCharsets.UTF_8);
            assertEquals(2, lines.size(), lines::toString);
            assertEquals("next-offset=12345678901", lines.get(0));
            assertTrue(lines.get(1).startsWith("updated="), lines.get(1));
            java.time.Instant.parse(lines.get(1).substring("updated=".length()));

            assertThrows(IllegalArgumentException.class, () -> cursor.commit(-1));
            assertThrows(IllegalArgumentException.class, () -> cursor.commit(JournalCursor.NO_POSITION));
            assertEquals(12_345_678_901L, cursor.position(), "a refused commit changes nothing");
            assertEquals(12_345_678_901L, JournalCursor.read(dir, "rules"));
        }

        try (JournalCursor cursor = JournalCursor.open(dir, "rules"))
        {
            assertEquals(12_345_678_901L, cursor.position(), "survives close and reopen");
        }
        assertEquals(JournalCursor.NO_POSITION, JournalCursor.read(dir, "other"));
    }

    @Test
    void shouldWorkNextToAJournal() throws IOException
    {
        try (JournalWriter writer = JournalWriter.open(dir, SEGMENT_LENGTH);
            JournalCursor cursor = JournalCursor.open(dir, "replay"))
        {
            for (int i = 0; i < 10; i++)
            {
                appendExpecting(writer, i, new byte[] {(byte)i}, 1, i);
            }
            assertEquals(10, cursor.lag(writer.nextOffset()));
            final JournalTestSupport.Collector collector = new JournalTestSupport.Collector();
            try (JournalReader reader = JournalReader.open(dir))
            {
                assertEquals(4, reader.poll(collector, 4));
                cursor.commit(reader.nextOffset());
            }
            assertEquals(6, cursor.lag(writer.nextOffset()));
            try (JournalReader reader = JournalReader.open(dir))
            {
                assertTrue(reader.seek(cursor.position()));
                assertEquals(6, reader.poll(collector, 100));
                assertEquals(9, collector.records.get(collector.records.size() - 1).offset());
                cursor.commit(reader.nextOffset());
            }
            assertEquals(0, cursor.lag(writer.nextOffset()));
        }
        // the cursors directory is not a segment: the journal is untouched by it
        final List<JournalVerifier.Problem> problems = new ArrayList<>();
        assertTrue(JournalVerifier.verify(dir, problems::add).ok(), problems::toString);
    }

    @Test
    void shouldComputeLag()
    {
        assertEquals(1_000, JournalCursor.lag(1_000, JournalCursor.NO_POSITION), "no position: the whole journal");
        assertEquals(0, JournalCursor.lag(0, JournalCursor.NO_POSITION));
        assertEquals(1_000, JournalCursor.lag(1_000, 0));
        assertEquals(600, JournalCursor.lag(1_000, 400));
        assertEquals(0, JournalCursor.lag(1_000, 1_000));
        assertEquals(0, JournalCursor.lag(1_000, 1_500), "never negative");

        try (JournalCursor cursor = JournalCursor.open(dir, "c"))
        {
            assertEquals(77, cursor.lag(77));
            cursor.commit(70);
            assertEquals(7, cursor.lag(77));
            assertEquals(0, cursor.lag(70));
            assertEquals(0, cursor.lag(3));
        }
    }

    @Test
    void shouldHoldANameForOneConsumerAtATime()
    {
        assertFalse(JournalCursor.isActive(dir, "rules"), "never opened");
        final JournalCursor first = JournalCursor.open(dir, "rules");
        try
        {
            assertTrue(JournalCursor.isActive(dir, "rules"));
            assertTrue(JournalCursor.isActive(dir, "rules"), "asking does not release it");
            final JournalException ex = assertThrows(JournalException.class, () -> JournalCursor.open(dir, "rules"));
            assertTrue(ex.getMessage().contains("'rules'"), ex.getMessage());
            assertTrue(ex.getMessage().contains("in use"), ex.getMessage());
            assertTrue(JournalCursor.isActive(dir, "rules"), "a refused open does not release it");

            // another name is independent
            try (JournalCursor other = JournalCursor.open(dir, "audit"))
            {
                assertTrue(JournalCursor.isActive(dir, "audit"));
                other.commit(3);
            }
            assertFalse(JournalCursor.isActive(dir, "audit"));

            first.commit(5);
        }
        finally
        {
            first.close();
        }
        assertFalse(JournalCursor.isActive(dir, "rules"));
        first.close(); // twice is fine
        assertFalse(JournalCursor.isActive(dir, "rules"));

        try (JournalCursor second = JournalCursor.open(dir, "rules"))
        {
            assertEquals(5, second.position());
            assertTrue(JournalCursor.isActive(dir, "rules"));
        }
    }

    @Test
    void shouldResetOnlyAnInactiveCursor()
    {
        try (JournalCursor cursor = JournalCursor.open(dir, "rules"))
        {
            cursor.commit(100);
            final JournalException ex = assertThrows(JournalException.class, () -> JournalCursor.reset(dir, "rules", 7));
            assertTrue(ex.getMessage().contains("in use"), ex.getMessage());
            assertEquals(100, JournalCursor.read(dir, "rules"), "a refused reset changes nothing");
            assertEquals(100, cursor.position());
            assertTrue(JournalCursor.isActive(dir, "rules"), "a refused reset does not release the cursor");
        }

        JournalCursor.reset(dir, "rules", 7);
        assertEquals(7, JournalCursor.read(dir, "rules"));
        assertFalse(JournalCursor.isActive(dir, "rules"), "reset releases the cursor again");
        JournalCursor.reset(dir, "new-one", 0);
        assertEquals(0, JournalCursor.read(dir, "new-one"));
        try (JournalCursor cursor = JournalCursor.open(dir, "rules"))
        {
            assertEquals(7, cursor.position());
        }
    }

    @Test
    void shouldListCursorsSortedAndFindTheLowestPosition()
    {
        assertEquals(List.of(), JournalCursor.list(dir), "no cursors directory yet");
        assertEquals(JournalCursor.NO_POSITION, JournalCursor.lowestPosition(dir));

        final String[] names = {"zeta", "alpha", "Beta", "m.1", "m-2", "m_3", "0"};
        final long[] positions = {50, 40, 900, 30, 31, 32, 1_000};
        for (int i = 0; i < names.length; i++)
        {
            JournalCursor.reset(dir, names[i], positions[i]);
        }
        try (JournalCursor open = JournalCursor.open(dir, "open-never-committed"))
        {
            assertEquals(List.of("0", "Beta", "alpha", "m-2", "m.1", "m_3", "zeta"), JournalCursor.list(dir),
                "sorted; a cursor that never committed has no position file and is not listed");
            assertEquals(30, JournalCursor.lowestPosition(dir), "a cursor with no position protects nothing");
            open.commit(29);
            assertEquals(29, JournalCursor.lowestPosition(dir));
            assertEquals(8, JournalCursor.list(dir).size());
        }
        JournalCursor.reset(dir, "open-never-committed", 2_000);
        assertEquals(30, JournalCursor.lowestPosition(dir));
        JournalCursor.reset(dir, "m.1", 0);
        assertEquals(0, JournalCursor.lowestPosition(dir));
    }

    @Test
    void shouldRefuseInvalidNames()
    {
        final List<String> invalid = new ArrayList<>(List.of(
            "", "a/b", "../x", "a b", "a\\b", "naïve", "tab\t", "x:y", "a*", "new\nline", "x".repeat(101)));
        invalid.add(null);
        for (final String name : invalid)
        {
            final String context = "name " + (null == name ? "null" : "'" + name + "'");
            assertNameRefused(assertThrows(JournalException.class, () -> JournalCursor.open(dir, name), context));
            assertNameRefused(assertThrows(JournalException.class, () -> JournalCursor.read(dir, name), context));
            assertNameRefused(assertThrows(JournalException.class, () -> JournalCursor.reset(dir, name, 1), context));
            assertNameRefused(assertThrows(JournalException.class, () -> JournalCursor.isActive(dir, name), context));
        }
        assertFalse(Files.exists(dir.resolve("x")));
        assertEquals(List.of(), JournalCursor.list(dir));

        // the longest name allowed, and every allowed kind of character
        final String longest = "x".repeat(100);
        JournalCursor.reset(dir, longest, 1);
        JournalCursor.reset(dir, "Az09._-", 2);
        assertEquals(List.of("Az09._-", longest), JournalCursor.list(dir));
    }

    private static void assertNameRefused(final JournalException ex)
    {
        assertTrue(ex.getMessage().contains("cursor name"), ex.getMessage());
    }

    /**
     * Commits replace the file atomically: a reader in between commits, and one racing them on another
     * thread, always finds a whole position, never a torn or empty file; no temporary file is left.
     */
    @Test
    void shouldNeverTearTheCursorFile() throws Exception
    {
        final int commits = 1_000;
        final AtomicBoolean done = new AtomicBoolean();
        final AtomicLong racingReads = new AtomicLong();
        final AtomicReference<Throwable> racingFailure = new AtomicReference<>();
        try (JournalCursor cursor = JournalCursor.open(dir, "busy"))
        {
            cursor.commit(0);
            final Thread racer = new Thread(() ->
            {
                long last = 0;
                try
                {
                    while (!done.get())
                    {
                        final long position = JournalCursor.read(dir, "busy");
                        if (position < last || position > commits)
                        {
                            throw new AssertionError("read " + position + " after " + last);
                        }
                        last = position;
                        racingReads.incrementAndGet();
                    }
                }
                catch (final Throwable t)
                {
                    racingFailure.set(t);
                }
            }, "cursor-racer");
            racer.start();
            try
            {
                for (int i = 1; i <= commits; i++)
                {
                    cursor.commit(i);
                    assertEquals(i, JournalCursor.read(dir, "busy"));
                    final String text = Files.readString(cursors().resolve("busy.pos"), StandardCharsets.UTF_8);
                    assertTrue(text.startsWith("next-offset=" + i + "\nupdated="), text);
                    assertTrue(text.endsWith("\n"), text);
                }

                // the racer must have overlapped the commits at least a little; give it a bounded chance
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (racingReads.get() < 100 && null == racingFailure.get() && System.nanoTime() < deadline)
                {
                    Thread.onSpinWait();
                }
            }
            finally
            {
                done.set(true);
                racer.join(TimeUnit.SECONDS.toMillis(10));
            }
            assertFalse(racer.isAlive());
            assertNull(racingFailure.get(), () -> "racing reader failed: " + racingFailure.get());
            assertTrue(racingReads.get() > 0);
        }

        try (Stream<Path> files = Files.list(cursors()))
        {
            final List<String> names = files.map((p) -> p.getFileName().toString()).sorted().toList();
            assertEquals(List.of("busy.lock", "busy.pos"), names, "no temporary file left");
        }
        assertEquals(commits, JournalCursor.read(dir, "busy"));
    }
}
