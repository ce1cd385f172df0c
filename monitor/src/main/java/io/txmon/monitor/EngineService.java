package io.txmon.monitor;

import io.aeron.CommonContext;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.exceptions.ActiveDriverException;
import io.txmon.rules.config.Money;
import io.txmon.rules.config.RuleSettings;
import io.txmon.rules.config.RuleType;
import io.txmon.sequencer.Engine;
import io.txmon.sequencer.EngineCounters;
import io.txmon.sequencer.EngineHealth;
import io.txmon.sequencer.RejectListener;
import io.txmon.transport.EmbeddedDriver;
import io.txmon.transport.Profile;
import org.agrona.CloseHelper;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.agrona.concurrent.SystemEpochClock;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The engine as a service, the library half of {@code txmon run}: the media driver (embedded, or one already
 * running), the {@link Engine}, and the {@link RejectLog} agent on a thread of its own, started from
 * {@link RunOptions} and closed in reverse order.
 * <p>
 * An embedded driver is launched here, not by the engine, so that a well-known directory is never taken from
 * a live driver: Aeron refuses to start over a driver that still heartbeats, and only a stale directory is
 * cleaned. The engine then connects to that driver as it would to an external one.
 * <p>
 * {@link #close()} may be called from a shutdown hook while the command thread also calls it: the second
 * caller waits until the first has finished.
 */
final class EngineService implements AutoCloseable
{
    /** How long a driver's heartbeat may be silent before it counts as stopped: Aeron's setting. */
    private static final long DRIVER_TIMEOUT_MS = CommonContext.DRIVER_TIMEOUT_MS;
    private static final int REJECT_LOG_SLEEP_MS = 5;

    private final RunOptions options;
    private final MediaDriver driver;
    private final RejectLog rejectLog;
    private final AgentRunner rejectLogRunner;
    private final Engine engine;
    private final ReportingErrorHandler errors;
    private boolean closed;
    private String statsAtClose = "no counters: the media driver had gone";
    private long journaledAtClose;

    private EngineService(
        final RunOptions options,
        final MediaDriver driver,
        final RejectLog rejectLog,
        final AgentRunner rejectLogRunner,
        final Engine engine,
        final ReportingErrorHandler errors)
    {
        this.options = options;
        this.driver = driver;
        this.rejectLog = rejectLog;
        this.rejectLogRunner = rejectLogRunner;
        this.engine = engine;
        this.errors = errors;
    }

    /**
     * Start the driver (unless external), the reject log and the engine.
     *
     * @param options resolved configuration.
     * @param errors  told of every error of every agent.
     * @return the running service.
     * @throws IllegalStateException saying what to do when the driver directory is taken or has no driver.
     */
    static EngineService launch(final RunOptions options, final ReportingErrorHandler errors)
    {
        MediaDriver driver = null;
        RejectLog rejectLog = null;
        AgentRunner rejectLogRunner = null;
        try
        {
            final String aeronDir = options.aeronDir();
            if (options.externalDriver())
            {
                if (!CommonContext.isDriverActive(new File(aeronDir), DRIVER_TIMEOUT_MS, (message) -> {}))
                {
                    throw new IllegalStateException("no media driver is running in " + aeronDir +
                        "; start one there, give its directory with --aeron-dir, or drop --external-driver");
                }
            }
            else
            {
                try
                {
                    driver = EmbeddedDriver.launch(aeronDir, options.profile(), Profile.usesNetwork(
                        options.ingestChannel(), options.alertChannel(), options.ackChannel()), false);
                }
                catch (final ActiveDriverException ex)
                {
                    throw new IllegalStateException(ex.getMessage().replace("ERROR - ", "") +
                        "; stop it or use another --aeron-dir (a driver whose process has died is taken over at once)", ex);
                }
            }

            RejectListener rejectListener = RejectListener.NO_OP;
            if (null != options.rejectLog())
            {
                rejectLog = new RejectLog(
                    options.rejectLog(), options.rejectLogMaxBytes(), options.rejectLogFiles(),
                    RejectLog.DEFAULT_QUEUE_CAPACITY, SystemEpochClock.INSTANCE, errors);
                rejectLogRunner = new AgentRunner(
                    new SleepingMillisIdleStrategy(REJECT_LOG_SLEEP_MS), errors, null, rejectLog);
                AgentRunner.startOnThread(rejectLogRunner);
                rejectListener = rejectLog;
            }

            final Engine engine = Engine.launch(new Engine.Context()
                .aeronDirectoryName(aeronDir)
                .embeddedDriver(false)
                .profile(options.profile())
                .journalDir(options.journal())
                .alertJournalDir(options.alertJournal())
                .snapshotDir(options.snapshotDir())
                .snapshotInterval(options.snapshotInterval())
                .accountLimits(options.accountLimits())
                .durability(options.durability())
                .ingestChannel(options.ingestChannel())
                .ingestStreamId(options.ingestStream())
                .alertChannel(options.alertChannel())
                .alertStreamId(options.alertStream())
                .ackChannel(options.ackChannel())
                .ackStreamId(options.ackStream())
                .workerCount(options.workers())
                .ruleSettings(options.rules())
                .minEventTime(options.minEventTime())
                .maxEventTimeAheadNs(options.maxEventTimeAheadNs())
                .errorHandler(errors)
                .rejectListener(rejectListener));

            return new EngineService(options, driver, rejectLog, rejectLogRunner, engine, errors);
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietCloseAll(rejectLogRunner, driver);
            if (null != rejectLog && null == rejectLogRunner)
            {
                rejectLog.onClose();
            }
            throw ex;
        }
    }

    /**
     * @return false once the Aeron client has closed under the running engine, e.g. because its driver stopped.
     */
    synchronized boolean isDriverAlive()
    {
        return closed || !engine.aeron().isClosed();
    }

    /**
     * @return the engine's health: "ok", or DEGRADED / FAILED and why.
     */
    String health()
    {
        return engine.health().describe();
    }

    /**
     * @return true once an engine thread failed and intake stopped.
     */
    boolean isFailed()
    {
        return engine.health().state() == EngineHealth.State.FAILED;
    }

    /**
     * @return events journaled so far, or at close.
     */
    synchronized long journaled()
    {
        return closed || engine.aeron().isClosed() ? journaledAtClose : engine.counters().journaled();
    }

    /**
     * The block a producer reads to know where to connect: one {@code name value} pair per line. Every
     * stream the engine serves is listed here.
     *
     * @return the lines, without the heading.
     */
    List<String> describe()
    {
        final Engine.Context ctx = engine.context();
        final List<String[]> rows = new ArrayList<>();
        rows.add(new String[]{ "aeron-dir", ctx.aeronDirectoryName() +
            (options.externalDriver() ? " (external media driver)" : " (embedded media driver)") });
        rows.add(new String[]{ "ingest", ctx.ingestChannel() + " stream " + ctx.ingestStreamId() });
        rows.add(new String[]{ "alerts", ctx.alertChannel() + " stream " + ctx.alertStreamId() });
        rows.add(new String[]{ "acks", ctx.ackChannel() + " stream " + ctx.ackStreamId() });
        rows.add(new String[]{ "journal", ctx.journalDir().toAbsolutePath() + " (durability " +
            ctx.durability().name().toLowerCase(Locale.ROOT) + ", " + engine.recoveredRecords() + " records at start)" });
        for (final String note : engine.recoveryNotes())
        {
            rows.add(new String[]{ "recovery", note });
        }
        rows.add(new String[]{ "alert-journal", null == ctx.alertJournalDir() ? "off" :
            ctx.alertJournalDir().toAbsolutePath().toString() });
        rows.add(new String[]{ "snapshots", null == ctx.snapshotDir() ? "off (a start replays the journal)" :
            ctx.snapshotDir().toAbsolutePath() + (ctx.snapshotInterval() == 0 ? " (at a clean stop)" :
            " (every " + ctx.snapshotInterval() + " events and at a clean stop; " + engine.replayedEvents() +
            " events replayed at start)") });
        rows.add(new String[]{ "profile", options.profile().cliName() + " (" + options.workers() + " rule worker" +
            (options.workers() == 1 ? ")" : "s)") });
        rows.add(new String[]{ "rules", describeRules(options.rules()) });
        rows.add(new String[]{ "accounts", ctx.accountLimits().describe() + " (--max-accounts, --idle-horizon)" });
        rows.add(new String[]{ "reject-log", null == rejectLog ? "off" : rejectLog.file() + " (" +
            options.rejectLogFiles() + " files of at most " + options.rejectLogMaxBytes() + " bytes)" });
        rows.add(new String[]{ "pid", Long.toString(ProcessHandle.current().pid()) });

        final List<String> lines = new ArrayList<>(rows.size());
        for (final String[] row : rows)
        {
            lines.add(String.format(Locale.ROOT, "  %-12s %s", row[0], row[1]));
        }
        return lines;
    }

    /**
     * @param rules in effect.
     * @return how many rules run, and the large-amount threshold.
     */
    static String describeRules(final RuleSettings rules)
    {
        int enabled = 0;
        for (final RuleType<?> type : rules.catalog())
        {
            enabled += rules.isEnabled(type.id()) ? 1 : 0;
        }
        final Money money = rules.money();
        return enabled + " of " + rules.catalog().size() + " typologies enabled; large-amount at " +
            rules.toKeys().get(RuleSettings.PREFIX + "large-amount.threshold") + " minor units of " +
            money.referenceText() + ", the reference currency" +
            (money.ratesText().isEmpty() ? " (built-in rates)" : " (rates " + money.ratesText() + ")") +
            (rules.equals(RuleSettings.defaults()) ? " (defaults)" : " (configured)");
    }

    /**
     * One line of counters. The counters live in the driver's counters file, so after {@link #close()} this
     * is the line taken just before closing: no read of an unmapped file.
     *
     * @param previousJournaled journaled count of the previous line, for the rate.
     * @param intervalNs        since the previous line; 0 or less for no rate.
     * @return one line of counters.
     */
    synchronized String statsLine(final long previousJournaled, final long intervalNs)
    {
        if (closed)
        {
            return statsAtClose;
        }
        if (engine.aeron().isClosed())
        {
            return "no counters: the media driver has gone";
        }
        final EngineCounters c = engine.counters();
        final long journaled = c.journaled();
        final StringBuilder sb = new StringBuilder(160);
        sb.append(String.format(Locale.ROOT, "received %,d  journaled %,d", c.received(), journaled));
        if (intervalNs > 0)
        {
            sb.append(String.format(Locale.ROOT, " (%,.0f/s)", (journaled - previousJournaled) * 1e9 / intervalNs));
        }
        sb.append(String.format(Locale.ROOT, "  rejected %,d  duplicates %,d  alerts %,d  decided %,d",
            c.rejected(), c.duplicates(), c.alerts(), c.decided()));
        if (c.journalErrors() > 0)
        {
            sb.append(String.format(Locale.ROOT, "  journal-errors %,d", c.journalErrors()));
        }
        if (null != rejectLog && rejectLog.droppedCount() > 0)
        {
            sb.append(String.format(Locale.ROOT, "  reject-log-dropped %,d", rejectLog.droppedCount()));
        }
        if (errors.count() > 0)
        {
            sb.append(String.format(Locale.ROOT, "  errors %,d", errors.count()));
        }
        if (c.lowSpace() != 0)
        {
            sb.append(String.format(Locale.ROOT, "  free %,d KiB", c.usableSpace() >> 10));
        }
        if (engine.health().state() != EngineHealth.State.OK)
        {
            sb.append("  health ").append(engine.health().describe());
        }
        return sb.toString();
    }

    /**
     * Stop the engine, then the reject log (writing what is queued), then the driver. Safe to call more than
     * once and from more than one thread.
     */
    public synchronized void close()
    {
        if (!closed)
        {
            try
            {
                if (!engine.aeron().isClosed())
                {
                    statsAtClose = statsLine(0, 0);
                    journaledAtClose = engine.counters().journaled();
                }
            }
            finally
            {
                closed = true;
                engine.close();
                // a thread that would not stop may still write to the counters in the driver's mapped file: the
                // driver is then left to the process's exit rather than unmapped under it
                CloseHelper.closeAll(rejectLogRunner, engine.isClosed() ? driver : null);
            }
        }
    }
}
