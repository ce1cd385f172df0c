package io.txmon.monitor;

import io.txmon.cli.CliArgs;
import io.txmon.rules.state.AccountStore;
import io.txmon.rules.typology.LargeAmountRule;
import io.txmon.sequencer.Engine;
import io.txmon.transport.TransportConfiguration;

import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code txmon run}: the engine as a service until SIGINT or SIGTERM (or {@code --max-runtime}). A thin
 * command over {@link RunOptions} and {@link EngineService}: it prints where producers connect, then the
 * command thread waits on a latch that a shutdown hook, the runtime limit or a test counts down, printing a
 * counter line every {@code --stats-interval}. The shutdown hook closes the engine and waits for the command
 * to return, so the journal is closed cleanly before the JVM exits.
 */
final class RunCommand
{
    private static final long LIVENESS_CHECK_NS = TimeUnit.SECONDS.toNanos(1);
    private static final long HOOK_WAIT_MS = 10_000;

    private RunCommand()
    {
    }

    static void printHelp(final PrintStream out)
    {
        out.println("usage: txmon run --journal DIR [options]");
        out.println();
        out.println("Runs the engine as a service until Ctrl-C or SIGTERM: producers publish on the ingest stream,");
        out.println("every accepted event is journaled in DIR, and alerts go out on the alert stream. At start it");
        out.println("prints the driver directory, channels and stream ids a producer needs (see 'txmon produce').");
        out.println();
        out.println("  --journal DIR            journal directory, created if missing (required)");
        out.println("  --alert-journal DIR      where every alert is journaled before it is published (default:");
        out.println("                           the journal's directory name + '-alerts', beside it; none to turn off);");
        out.println("                           read it with 'txmon alerts --journal DIR'");
        out.println("  --snapshot-dir DIR       where the rules' and the sequencer's state is snapshotted, so a start");
        out.println("                           replays only the journal after the newest snapshot (default: the");
        out.println("                           journal's directory name + '-snapshots', beside it; none to turn off)");
        out.println("  --snapshot-interval N    events between snapshots (default " + Engine.DEFAULT_SNAPSHOT_INTERVAL +
            "; 0: only at a clean stop);");
        out.println("                           a crash replays at most N events at the next start");
        out.println("  --max-accounts N         accounts the rules keep state for, between all workers (default " +
            String.format(java.util.Locale.ROOT, "%,d", AccountStore.Limits.DEFAULT_MAX_ACCOUNTS) + "); past it");
        out.println("                           the least recently seen is forgotten, counted, and health is");
        out.println("                           degraded.");
        out.println("                           Size the heap for it: see README, 'Memory'");
        out.println("  --idle-horizon DURATION  forget an account not seen for this long in event time, e.g. 400d");
        out.println("                           (default none: dormant-reactivated needs to remember idle accounts)");
        out.println("  --aeron-dir DIR          media driver directory (default " + AeronDirectories.defaultDirectory() +
            ";");
        out.println("                           /dev/shm/txmon-<user> where /dev/shm is writable, else under java.io.tmpdir)");
        out.println("  --external-driver        use a media driver already running in --aeron-dir instead of");
        out.println("                           embedding one; an embedded driver refuses a directory a live driver uses");
        out.println("  --ingest CHANNEL         channel producers publish on (default " +
            TransportConfiguration.DEFAULT_INGEST_CHANNEL + "), e.g.");
        out.println("                           " + TransportConfiguration.DEFAULT_UDP_INGEST_CHANNEL);
        out.println("  --ingest-stream N        ingest stream id (default " +
            TransportConfiguration.DEFAULT_INGEST_STREAM_ID + ")");
        out.println("  --alert-channel CHANNEL  channel alerts are published on (default " +
            TransportConfiguration.DEFAULT_ALERT_CHANNEL + ")");
        out.println("  --alert-stream N         alert stream id (default " + TransportConfiguration.DEFAULT_ALERT_STREAM_ID +
            ")");
        out.println("  --ack-channel CHANNEL    where producers are told what is journaled (default " +
            TransportConfiguration.DEFAULT_ACK_CHANNEL + "; for UDP producers a multi-destination-cast");
        out.println("                           channel such as " + TransportConfiguration.DEFAULT_UDP_ACK_CHANNEL + ")");
        out.println("  --ack-stream N           acknowledgement stream id (default " +
            TransportConfiguration.DEFAULT_ACK_STREAM_ID + ")");
        out.println("  --allow-remote           accept UDP channels whose addresses are not loopback; without it");
        out.println("                           every stream stays on this host");
        out.println("  --durability MODE        os (default), interval or sync: when journaled events reach the device");
        out.println("  --profile NAME           threads and how they wait for work (default compact):");
        out.println("                           compact      few threads that park when idle; idle cores stay idle");
        out.println("                           yielding     compact's threads, yielding instead of parking: low");
        out.println("                                        latency on 2 to 4 cores; the cores show busy");
        out.println("                           low-latency  a busy-spinning thread per agent; needs a core for each");
        out.println("  --workers N              rule workers, accounts partitioned by hash (default 1)");
        out.println("  --large-amount-threshold MINOR_UNITS");
        out.println("                           payments at or above it alert (default " +
            LargeAmountRule.DEFAULT_THRESHOLD_MINOR_UNITS + " = 10,000.00 EUR)");
        out.println("  --min-event-time TIME    refuse events dated before TIME, an ISO-8601 instant or epoch ns");
        out.println("                           (default " + RunOptions.DEFAULT_MIN_EVENT_TIME + "; lower it to backtest older data)");
        out.println("  --max-event-time-ahead DURATION");
        out.println("                           refuse events dated further ahead of the engine's clock (default " +
            RunOptions.DEFAULT_MAX_EVENT_TIME_AHEAD + ";");
        out.println("                           none for no bound); both are counted as EVENT_TIME_OUT_OF_RANGE");
        out.println("  --reject-log FILE        write a line per refused message (time, reason, template, producer");
        out.println("                           id and sequence; never its payload) to FILE (default: none)");
        out.println("  --reject-log-max-bytes N rotate FILE to FILE.1 ... before it passes N bytes (default " +
            RejectLog.DEFAULT_MAX_BYTES + ")");
        out.println("  --reject-log-files N     files kept, FILE included (default " + RejectLog.DEFAULT_FILES + ")");
        out.println("  --stats-interval SECONDS print a counter line to stderr every SECONDS (default 10; 0: never)");
        out.println("  --max-runtime SECONDS    stop after SECONDS (default 0: run until stopped)");
        out.println("  --config FILE            a .properties file of these options: keys are the long option names");
        out.println("                           without dashes (journal=/data/j, durability=sync, external-driver=true);");
        out.println("                           options on the command line win; relative paths are taken from");
        out.println("                           FILE's directory; an unknown key is an error");
        out.println("  --help                   this text");
        out.println();
        out.println("On SIGINT or SIGTERM the engine closes cleanly (journal, reject log, driver) and the process");
        out.println("exits with the signal's usual status (130, 143). Otherwise the exit status is 0 when stopped by");
        out.println("--max-runtime, 1 when the engine could not start, lost its media driver or failed (an engine");
        out.println("thread failed: intake stops, the reason is printed, and a restart recovers from the journal),");
        out.println("2 for a command line or config file that cannot be run. Every change of health is printed: a");
        out.println("warning when the journal's file system has room for fewer than two segments, and when a");
        out.println("segment cannot be created (events are then refused, unacknowledged, until space is freed).");
    }

    static int run(final String[] args, final PrintStream out, final PrintStream err)
    {
        return run(args, out, err, new CountDownLatch(1));
    }

    /**
     * @param args options.
     * @param out  for the startup block.
     * @param err  for counters, errors and the shutdown line.
     * @param stop counted down to stop the engine, as a signal does.
     * @return exit status.
     */
    static int run(final String[] args, final PrintStream out, final PrintStream err, final CountDownLatch stop)
    {
        final CliArgs cli = CliArgs.parse("run", args, RunOptions.OPTIONS, RunOptions.FLAGS);
        if (cli.has("--help"))
        {
            printHelp(out);
            return TxmonCli.EXIT_OK;
        }
        final RunOptions options = RunOptions.from(cli);

        final ReportingErrorHandler errors = new ReportingErrorHandler(err, "txmon run: ");
        final EngineService service = EngineService.launch(options, errors);
        final CountDownLatch returned = new CountDownLatch(1);
        final Thread hook = new Thread(() ->
        {
            stop.countDown();
            service.close();
            try
            {
                // let the command print its last line and return before the JVM halts
                returned.await(HOOK_WAIT_MS, TimeUnit.MILLISECONDS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }, "txmon-run-shutdown");

        int status = TxmonCli.EXIT_OK;
        try
        {
            Runtime.getRuntime().addShutdownHook(hook);
            out.println("txmon run: engine running; stop it with Ctrl-C or SIGTERM" +
                (options.maxRuntimeSeconds() > 0 ? " (stops by itself after " + options.maxRuntimeSeconds() + " s)" : ""));
            for (final String line : service.describe())
            {
                out.println(line);
            }
            out.flush();

            final String why = await(service, options, stop, err);
            if (null != why)
            {
                err.println("txmon run: " + why);
                status = TxmonCli.EXIT_FAILED;
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        finally
        {
            service.close();
            err.println("txmon run: stopped; " + service.statsLine(0, 0));
            err.flush();
            returned.countDown();
            try
            {
                Runtime.getRuntime().removeShutdownHook(hook);
            }
            catch (final IllegalStateException ex)
            {
                // the JVM is shutting down: the hook is running, or has run
            }
        }
        return status;
    }

    /**
     * Wait until stopped, printing counters every interval and checking every second that the driver is there.
     *
     * @return null when stopped by the latch or the runtime limit, else why the engine cannot go on.
     */
    private static String await(
        final EngineService service, final RunOptions options, final CountDownLatch stop, final PrintStream err)
        throws InterruptedException
    {
        final long start = System.nanoTime();
        final long statsIntervalNs = TimeUnit.SECONDS.toNanos(options.statsIntervalSeconds());
        final long deadline = options.maxRuntimeSeconds() > 0 ?
            start + TimeUnit.SECONDS.toNanos(options.maxRuntimeSeconds()) : Long.MAX_VALUE;
        long nextStats = statsIntervalNs > 0 ? start + statsIntervalNs : Long.MAX_VALUE;
        long lastStats = start;
        long lastJournaled = 0;
        String lastHealth = "ok";

        while (true)
        {
            final long now = System.nanoTime();
            if (options.maxRuntimeSeconds() > 0 && now - deadline >= 0)
            {
                return null;
            }
            if (statsIntervalNs > 0 && now - nextStats >= 0)
            {
                err.println("txmon run: " + service.statsLine(lastJournaled, now - lastStats));
                lastJournaled = service.journaled();
                lastStats = now;
                nextStats += statsIntervalNs;
            }
            if (!service.isDriverAlive())
            {
                return "lost the media driver in " + options.aeronDir() + "; the engine stopped taking events";
            }
            final String health = service.health();
            if (!health.equals(lastHealth))
            {
                // every change of health is told at once, not at the next counter line
                err.println("txmon run: health " + health);
                lastHealth = health;
            }
            if (service.isFailed())
            {
                return "the engine failed and stopped taking events (" + health + ")";
            }

            long waitNs = LIVENESS_CHECK_NS;
            if (statsIntervalNs > 0)
            {
                waitNs = Math.min(waitNs, nextStats - now);
            }
            if (options.maxRuntimeSeconds() > 0)
            {
                waitNs = Math.min(waitNs, deadline - now);
            }
            if (stop.await(Math.max(waitNs, 1), TimeUnit.NANOSECONDS))
            {
                return null;
            }
        }
    }
}
