package io.txmon.transport;

import io.aeron.CncFileDescriptor;
import io.aeron.CommonContext;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.exceptions.ActiveDriverException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Finding 9 of issue 12: a restart right after {@code kill -9} was refused for about ten seconds ("media driver
 * already running") although the driver's process was dead, because Aeron waits for the heartbeat to go stale. A
 * driver whose recorded process is gone is now taken over at once; a live one is still refused, by process id.
 * The tests use a one-minute driver timeout, so a start that succeeds did not wait for the heartbeat to go stale.
 * Finding 10: the driver's directory is the owner's only.
 */
class EmbeddedDriverTest
{
    private static final long LONG_DRIVER_TIMEOUT_MS = TimeUnit.MINUTES.toMillis(1);

    @TempDir
    Path tempDir;

    @Test
    void aKilledDriversDirectoryIsTakenOverAtOnce() throws Exception
    {
        final Path dir = tempDir.resolve("aeron");
        final Process child = startDriver(dir);
        final long childPid = child.pid();
        child.destroyForcibly();
        assertTrue(child.waitFor(30, TimeUnit.SECONDS), "killed child gone");

        assertTrue(Files.exists(dir.resolve(CncFileDescriptor.CNC_FILE)), "the crash left the directory behind");
        assertEquals(childPid, EmbeddedDriver.driverPid(dir.toFile()), "cnc.dat names the dead driver's process");
        assertTrue(CommonContext.isDriverActive(dir.toFile(), LONG_DRIVER_TIMEOUT_MS, (s) -> {}),
            "its heartbeat is still fresh: Aeron alone would refuse the directory until the timeout");

        try (MediaDriver driver = EmbeddedDriver.launch(dir.toString(), false, false, LONG_DRIVER_TIMEOUT_MS))
        {
            assertEquals(ProcessHandle.current().pid(), EmbeddedDriver.driverPid(dir.toFile()), "taken over");
        }
        assertFalse(Files.exists(dir), "and removed on close");
    }

    @Test
    void aLiveDriverIsRefusedByProcessId() throws Exception
    {
        final Path dir = tempDir.resolve("aeron");
        final Process child = startDriver(dir);
        try
        {
            final ActiveDriverException ex = assertThrows(ActiveDriverException.class,
                () -> EmbeddedDriver.launch(dir.toString(), false, false, LONG_DRIVER_TIMEOUT_MS).close());
            assertTrue(ex.getMessage().contains("(process " + child.pid() + ")"), ex.getMessage());
            assertEquals(child.pid(), EmbeddedDriver.driverPid(dir.toFile()), "the live driver's files are untouched");
        }
        finally
        {
            child.getOutputStream().close();
            if (!child.waitFor(30, TimeUnit.SECONDS))
            {
                child.destroyForcibly();
                child.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void theDriverDirectoryIsOwnerOnly() throws Exception
    {
        final Path dir = tempDir.resolve("aeron");
        try (MediaDriver driver = EmbeddedDriver.launch(dir.toString(), false))
        {
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
            try (var paths = Files.walk(dir))
            {
                for (final Path p : (Iterable<Path>)paths::iterator)
                {
                    final String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
                    assertEquals(Files.isDirectory(p) ? "rwx------" : "rw-------", mode, p.toString());
                }
            }
        }
    }

    @Test
    void noCncFileNoPid()
    {
        assertEquals(-1, EmbeddedDriver.driverPid(new File(tempDir.toFile(), "none")));
    }

    private static Process startDriver(final Path dir) throws IOException, InterruptedException
    {
        final List<String> command = List.of(
            Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
            "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
            "-Xmx128m", "-XX:+UseSerialGC",
            "-cp", System.getProperty("java.class.path"),
            DriverProcess.class.getName(), dir.toString());
        final Process process = new ProcessBuilder(command)
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
        final BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        final CompletableFuture<String> firstLine = CompletableFuture.supplyAsync(() ->
        {
            try
            {
                return out.readLine();
            }
            catch (final IOException ex)
            {
                return null;
            }
        });
        String line;
        try
        {
            line = firstLine.get(30, TimeUnit.SECONDS);
        }
        catch (final ExecutionException | TimeoutException ex)
        {
            line = "no READY within 30 s: " + ex;
        }
        if (null == line || !line.startsWith("READY "))
        {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
            fail("driver child did not start: " + line);
        }
        return process;
    }
}
