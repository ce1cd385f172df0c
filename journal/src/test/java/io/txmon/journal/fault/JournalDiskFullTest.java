package io.txmon.journal.fault;

import io.txmon.journal.JournalReader;
import io.txmon.journal.JournalTamper;
import io.txmon.journal.JournalVerifier;
import io.txmon.journal.JournalWriter;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 12 finding 5, journal part: on a small file system made by the test (a tmpfs; skipped with the reason
 * printed where mounting is not allowed) the journal fills up, and the append that needs a new segment gets
 * {@link JournalWriter#ROLL_FAILED} with the cause, never an {@code InternalError} or a SIGBUS from a store into
 * an unallocated mapped page. Once space is freed the next append rolls, and every record appended is there.
 */
class JournalDiskFullTest
{
    @TempDir
    Path tmp;

    @Test
    void shouldFailARollOnAFullDiskAndResumeWhenThereIsRoom() throws Exception
    {
        final Path mount = Files.createDirectory(tmp.resolve("small"));
        final String refused = run("mount", "-t", "tmpfs", "-o", "size=640k", "tmpfs", mount.toString());
        if (null != refused)
        {
            System.out.println("JournalDiskFullTest skipped: cannot mount a small tmpfs here (" + refused + ")");
            Assumptions.assumeTrue(false, "cannot mount a small tmpfs: " + refused);
        }
        try
        {
            final Path ballast = mount.resolve("ballast");
            Files.write(ballast, new byte[200 * 1024]);
            final Path dir = mount.resolve("journal");
            final UnsafeBuffer src = new UnsafeBuffer(new byte[300]);
            long appended = 0;
            try (JournalWriter writer = JournalWriter.open(dir, JournalTamper.SEGMENT_LENGTH))
            {
                long result;
                long free = writer.usableSpace();
                assertTrue(free > 0 && free < 640 * 1024, "usable space " + free);
                while ((result = writer.append(src, 0, src.capacity(), 1, appended)) >= 0)
                {
                    assertEquals(appended, result);
                    appended++;
                    assertTrue(appended < 100_000, "the small file system never filled");
                }
                assertEquals(JournalWriter.ROLL_FAILED, result, "status " + result);
                assertNotNull(writer.lastError());
                assertTrue(writer.lastError().getMessage().contains("roll to a new segment at offset " + appended),
                    writer.lastError().getMessage());
                // still refused while full, still no error thrown
                assertEquals(JournalWriter.ROLL_FAILED, writer.append(src, 0, src.capacity(), 1, appended));
                assertTrue(writer.usableSpace() < JournalTamper.SEGMENT_LENGTH, "usable " + writer.usableSpace());

                Files.delete(ballast);
                for (int i = 0; i < 10; i++)
                {
                    assertEquals(appended, writer.append(src, 0, src.capacity(), 1, appended), writer.lastError() + "");
                    appended++;
                }
            }
            final long[] read = { 0 };
            try (JournalReader reader = JournalReader.open(dir))
            {
                while (reader.poll((offset, ts, template, buffer, at, length) ->
                {
                    assertEquals(read[0], offset);
                    read[0]++;
                }, 256) > 0)
                {
                    assertTrue(read[0] <= appended);
                }
            }
            assertEquals(appended, read[0]);
            assertTrue(JournalVerifier.verify(dir, (p) -> true).ok());
        }
        finally
        {
            final String failed = run("umount", mount.toString());
            assertTrue(null == failed, "umount " + mount + ": " + failed);
        }
    }

    /** Run a command; null if it exited 0, else what it printed. */
    private static String run(final String... command) throws IOException, InterruptedException
    {
        final Process process;
        try
        {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        }
        catch (final IOException ex)
        {
            return ex.getMessage();
        }
        try
        {
            if (!process.waitFor(30, TimeUnit.SECONDS))
            {
                return String.join(" ", command) + " did not finish in 30 s";
            }
            final String output = new String(process.getInputStream().readAllBytes()).trim();
            return process.exitValue() == 0 ? null : "exit " + process.exitValue() + ": " + output;
        }
        finally
        {
            process.destroyForcibly();
        }
    }
}
