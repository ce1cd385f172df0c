package io.txmon.monitor;

import io.aeron.CncFileDescriptor;
import io.aeron.CommonContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Finding 9 of issue 12, end to end: {@code txmon run} started right after the previous one was killed
 * ({@code kill -9}) used to be refused for about ten seconds, "media driver already running", because the dead
 * driver's heartbeat was still fresh. Now it takes over the directory at once.
 */
class RunRestartAfterKillTest
{
    @TempDir
    Path dir;

    @Test
    void runStartsAtOnceInTheDirectoryOfAKilledDriver() throws Exception
    {
        final Path aeronDir = dir.resolve("aeron");
        final Process child = new ProcessBuilder(List.of(
            Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
            "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "-Xmx128m", "-XX:+UseSerialGC",
            "-cp", System.getProperty("java.class.path"), DriverHolder.class.getName(), aeronDir.toString()))
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
        try
        {
            final BufferedReader childOut = new BufferedReader(
                new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            final String ready = CompletableFuture.supplyAsync(() ->
            {
                try
                {
                    return childOut.readLine();
                }
                catch (final IOException ex)
                {
                    return ex.toString();
                }
            }).get(30, TimeUnit.SECONDS);
            assertEquals("READY", ready);
        }
        finally
        {
            child.destroyForcibly();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), "killed driver gone");
        }
        assertTrue(Files.exists(aeronDir.resolve(CncFileDescriptor.CNC_FILE)), "the kill left the directory behind");
        assertTrue(CommonContext.isDriverActive(aeronDir.toFile(), TimeUnit.MINUTES.toMillis(1), (s) -> {}),
            "its heartbeat is recent: Aeron alone refuses such a directory until the heartbeat is stale");

        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int status = RunCommand.run(new String[]{ "--journal", dir.resolve("journal").toString(),
            "--aeron-dir", aeronDir.toString(), "--max-runtime", "1", "--stats-interval", "0" },
            new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(TxmonCli.EXIT_OK, status, () -> err.toString(StandardCharsets.UTF_8));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("engine running"), out::toString);
        assertFalse(Files.exists(aeronDir), "the run's own driver removed its directory on close");
    }
}
