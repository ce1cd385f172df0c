package io.txmon.journal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.txmon.journal.JournalTestSupport.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class JournalWriterLockTest
{
    @TempDir
    Path dir;

    @TempDir
    Path scratch;

    @Test
    void shouldRefuseASecondWriterAndWriteNothing() throws IOException
    {
        try (JournalWriter first = JournalWriter.open(dir, SEGMENT_LENGTH))
        {
            appendExpecting(first, 0, new byte[] { 1, 2, 3 }, 1, 10);
            appendExpecting(first, 1, new byte[] { 4 }, 1, 11);
            final Map<String, byte[]> before = snapshot(dir);

            final JournalException ex = assertThrows(
                JournalException.class, () -> JournalWriter.open(dir, SEGMENT_LENGTH).close());
            assertTrue(ex.getMessage().contains("already open for writing"), ex.getMessage());
            assertTrue(ex.getMessage().contains(dir.toString()), ex.getMessage());
            assertTrue(ex.getMessage().contains(Long.toString(ProcessHandle.current().pid())), ex.getMessage());

            // a different segment length, or a path spelled differently, is still the same journal
            assertThrows(JournalException.class, () -> JournalWriter.open(dir, 2 * SEGMENT_LENGTH).close());
            assertThrows(JournalException.class, () -> JournalWriter.open(
                dir.resolve("..").resolve(dir.getFileName()), SEGMENT_LENGTH).close());

            assertSameFiles(before, snapshot(dir));

            appendExpecting(first, 2, new byte[] { 5 }, 1, 12);
        }

        try (JournalWriter second = JournalWriter.open(dir, SEGMENT_LENGTH))
        {
            assertEquals(3, second.nextOffset());
            appendExpecting(second, 3, new byte[] { 6 }, 1, 13);
        }
        assertEquals(4, readAll(dir).size());
    }

    /**
     * The lock must hold against another process, also after a second writer in this process was refused:
     * closing any descriptor of the lock file in the owning process would release a POSIX record lock.
     */
    @Test
    void shouldRefuseAWriterInAnotherProcess() throws Exception
    {
        try (JournalWriter writer = JournalWriter.open(dir, SEGMENT_LENGTH))
        {
            appendExpecting(writer, 0, new byte[] { 1 }, 1, 10);
            assertEquals(WriterLockProbe.ALREADY_OPEN, runProbe("before"));

            assertThrows(JournalException.class, () -> JournalWriter.open(dir, SEGMENT_LENGTH).close());
            final Map<String, byte[]> before = snapshot(dir);
            assertEquals(WriterLockProbe.ALREADY_OPEN, runProbe("after"));
            assertSameFiles(before, snapshot(dir));

            appendExpecting(writer, 1, new byte[] { 2 }, 1, 11);
        }

        assertEquals(WriterLockProbe.OPENED, runProbe("closed"));
        assertEquals(2, readAll(dir).size());
    }

    private int runProbe(final String name) throws IOException, InterruptedException
    {
        final Path output = scratch.resolve(name + ".out");
        final List<String> command = List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
            "-Xshare:auto",
            "-XX:TieredStopAtLevel=1",
            "-cp", System.getProperty("java.class.path"),
            WriterLockProbe.class.getName(),
            dir.toString(),
            Integer.toString(SEGMENT_LENGTH));
        final Process process = new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
        try
        {
            if (!process.waitFor(60, TimeUnit.SECONDS))
            {
                fail("probe process did not finish");
            }
            final int status = process.exitValue();
            final String out = Files.readString(output);
            if (status == WriterLockProbe.ALREADY_OPEN)
            {
                assertTrue(out.contains(Long.toString(ProcessHandle.current().pid())), out);
            }
            else if (status != WriterLockProbe.OPENED)
            {
                fail("probe exited with " + status + ": " + out);
            }
            return status;
        }
        finally
        {
            process.destroyForcibly();
        }
    }
}
