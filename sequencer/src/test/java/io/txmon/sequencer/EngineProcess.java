package io.txmon.sequencer;

import io.txmon.events.codec.Severity;
import io.txmon.rules.Rule;
import io.txmon.rules.RuleContext;
import io.txmon.rules.TxEvent;
import io.txmon.rules.typology.LargeAmountRule;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A child JVM running an engine on an external media driver, for crash tests: launched with
 * {@code key=value} arguments ({@code aeronDir}, {@code journalDir}, optional {@code ingest}, {@code ack},
 * {@code ring}, {@code gate=true} for a rule that holds the first event), it prints {@code READY <epoch>} on
 * stdout once the engine runs, then waits until its stdin ends (the parent closed it, or died) and closes the
 * engine. Killing it (SIGKILL) is the crash under test.
 */
public final class EngineProcess
{
    private EngineProcess()
    {
    }

    public static void main(final String[] args) throws IOException
    {
        final Map<String, String> options = new HashMap<>();
        for (final String arg : args)
        {
            final int eq = arg.indexOf('=');
            options.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        final boolean gate = Boolean.parseBoolean(options.getOrDefault("gate", "false"));
        final EngineErrors errors = new EngineErrors();
        final Engine.Context ctx = new Engine.Context()
            .aeronDirectoryName(options.get("aeronDir"))
            .embeddedDriver(false)
            .journalDir(Paths.get(options.get("journalDir")))
            .segmentLength(16 * 1024 * 1024)
            .ringSize(Integer.parseInt(options.getOrDefault("ring", String.valueOf(16 * 1024))))
            .errorHandler((t) ->
            {
                errors.onError(t);
                System.err.println("engine error: " + t);
            })
            .rulesFactory((w) -> gate ?
                new Rule[]{ new HoldRule() } : new Rule[]{ new LargeAmountRule(Long.MAX_VALUE, Severity.LOW) })
            .unjournaledRules(true);
        if (options.containsKey("ingest"))
        {
            ctx.ingestChannel(options.get("ingest"));
        }
        if (options.containsKey("ack"))
        {
            ctx.ackChannel(options.get("ack"));
        }

        try (Engine engine = Engine.launch(ctx))
        {
            System.out.println("READY " + engine.engineEpoch() + " " + engine.recoveredRecords());
            System.out.flush();
            final BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            while (null != in.readLine())
            {
                // wait for the end of stdin
            }
            System.err.println("closing: " + EngineTestSupport.describe(engine.counters()) + " errors=" + errors.count());
        }
        System.exit(0);
    }

    /** Holds the first event (so the ring fills and the sequencer stops polling) for at most two minutes. */
    static final class HoldRule implements Rule
    {
        private boolean held;

        public int id()
        {
            return 901;
        }

        public int version()
        {
            return 1;
        }

        public String name()
        {
            return "hold";
        }

        public void onEvent(final TxEvent event, final RuleContext context)
        {
            if (!held)
            {
                held = true;
                final long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
                while (System.nanoTime() - deadline < 0)
                {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
                }
            }
        }
    }

    /**
     * The parent's handle on a child engine.
     */
    static final class Child implements AutoCloseable
    {
        final Process process;
        final Path stderr;
        final long epoch;
        final long recoveredRecords;

        private Child(final Process process, final Path stderr, final long epoch, final long recoveredRecords)
        {
            this.process = process;
            this.stderr = stderr;
            this.epoch = epoch;
            this.recoveredRecords = recoveredRecords;
        }

        /**
         * Start a child engine and wait, bounded, for it to say it runs.
         */
        static Child start(final Path workDir, final String name, final long timeoutMs, final String... options)
        {
            final List<String> command = new ArrayList<>();
            command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
            command.add("--add-exports");
            command.add("java.base/jdk.internal.misc=ALL-UNNAMED");
            command.add("--add-opens");
            command.add("java.base/java.util.zip=ALL-UNNAMED");
            command.add("-Xmx256m");
            command.add("-XX:+UseSerialGC");
            command.add("-cp");
            command.add(System.getProperty("java.class.path"));
            command.add(EngineProcess.class.getName());
            command.addAll(List.of(options));
            final Path stderr = workDir.resolve(name + ".stderr");
            final Process process;
            try
            {
                process = new ProcessBuilder(command)
                    .redirectError(stderr.toFile())
                    .redirectInput(ProcessBuilder.Redirect.PIPE)
                    .start();
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }

            final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
            final Thread reader = new Thread(() ->
            {
                try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)))
                {
                    String line;
                    while (null != (line = out.readLine()))
                    {
                        lines.add(line);
                    }
                }
                catch (final IOException ignore)
                {
                    // the child died
                }
                lines.add("EOF");
            }, name + "-stdout");
            reader.setDaemon(true);
            reader.start();

            final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
            try
            {
                while (true)
                {
                    final long left = deadline - System.nanoTime();
                    final String line = left > 0 ? lines.poll(left, TimeUnit.NANOSECONDS) : null;
                    if (null == line || "EOF".equals(line))
                    {
                        process.destroyForcibly();
                        throw new IllegalStateException("child " + name + " did not start: " + (null == line ?
                            "no READY within " + timeoutMs + " ms" : "it exited") + "; stderr: " + read(stderr));
                    }
                    if (line.startsWith("READY "))
                    {
                        final String[] parts = line.split(" ");
                        return new Child(process, stderr, Long.parseLong(parts[1]), Long.parseLong(parts[2]));
                    }
                }
            }
            catch (final InterruptedException ex)
            {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IllegalStateException(ex);
            }
        }

        /** SIGKILL, and wait (bounded) until it is gone. */
        void kill() throws InterruptedException
        {
            process.destroyForcibly();
            if (!process.waitFor(30, TimeUnit.SECONDS))
            {
                throw new IllegalStateException("killed child still alive");
            }
        }

        /** Ask it to close its engine (end of stdin); kill it if it does not exit in time. */
        int stop(final long timeoutMs) throws InterruptedException
        {
            try
            {
                process.getOutputStream().close();
            }
            catch (final IOException ignore)
            {
                // already gone
            }
            if (!process.waitFor(timeoutMs, TimeUnit.MILLISECONDS))
            {
                process.destroyForcibly();
                process.waitFor(30, TimeUnit.SECONDS);
                return -1;
            }
            return process.exitValue();
        }

        String stderr()
        {
            return read(stderr);
        }

        public void close()
        {
            process.destroyForcibly();
            try
            {
                process.waitFor(30, TimeUnit.SECONDS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }

        private static String read(final Path file)
        {
            try
            {
                final File f = file.toFile();
                return f.exists() ? java.nio.file.Files.readString(file) : "";
            }
            catch (final IOException ex)
            {
                return "(unreadable: " + ex + ")";
            }
        }
    }
}
