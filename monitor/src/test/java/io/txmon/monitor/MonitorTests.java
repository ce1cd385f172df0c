package io.txmon.monitor;

import io.txmon.journal.Journal;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Helpers of the monitor's tests: waiting on a condition with a deadline (never a fixed sleep) and capturing a
 * command's output.
 */
final class MonitorTests
{
    static final long TIMEOUT_MS = 20_000;

    private MonitorTests()
    {
    }

    /**
     * Poll a condition every 0.2 ms until it holds or the deadline passes.
     */
    static void await(final BooleanSupplier condition, final Supplier<String> description)
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - deadline > 0)
            {
                fail("timed out after " + TIMEOUT_MS + " ms waiting for: " + description.get());
            }
            LockSupport.parkNanos(200_000);
        }
    }

    /**
     * @return the journal's end offset, 0 while the directory does not exist yet.
     */
    static long endOffset(final Path journal)
    {
        return Files.isDirectory(journal) ? Journal.endOffset(journal) : 0;
    }

    /**
     * A print stream over a byte buffer that another thread may read while it is written.
     */
    static final class Capture
    {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final PrintStream stream = new PrintStream(bytes, true, StandardCharsets.UTF_8);

        String text()
        {
            return bytes.toString(StandardCharsets.UTF_8);
        }

        void reset()
        {
            bytes.reset();
        }
    }
}
