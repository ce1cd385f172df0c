package io.txmon.sequencer;

import io.txmon.journal.JournalWriter;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.NanoClock;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Once a second, off the hot path (it runs beside the journal maintenance, on its sleeping thread): checks that
 * the file system of the journal (and of the alert journal) has room for at least {@link #SEGMENTS_WANTED} more
 * segments, that no engine thread has died, and that the journal has not stopped; and says so in the engine's
 * {@link EngineHealth} and counters. Low space is a warning ({@link EngineHealth.State#DEGRADED}) that comes before
 * a segment cannot be created; it clears once space is freed.
 */
final class EngineWatchAgent implements Agent
{
    /** Segments the file system must have room for, or the engine warns. */
    static final int SEGMENTS_WANTED = 2;
    static final long INTERVAL_NS = TimeUnit.SECONDS.toNanos(1);
    static final String SPACE = "space";
    static final String ACCOUNTS = "accounts";
    /** How long the health stays degraded after the last account evicted at the cap. */
    static final long ACCOUNT_CAP_QUIET_NS = TimeUnit.MINUTES.toNanos(1);

    private final EngineHealth health;
    private final EngineCounters counters;
    private final NanoClock clock;
    private final JournalWriter journal;
    private final Path journalDir;
    private final long journalNeeds;
    private final Path alertJournalDir;
    private final long alertJournalNeeds;
    private final List<AgentRunner> runners;
    private FileStore journalStore;
    private FileStore alertJournalStore;
    private long nextCheckNs;
    private volatile boolean closing;
    private int maxAccounts = Integer.MAX_VALUE;
    private long capEvictedSeen;
    private long lastCapEvictionNs;
    private boolean accountsChecked;

    EngineWatchAgent(
        final EngineHealth health,
        final EngineCounters counters,
        final NanoClock clock,
        final JournalWriter journal,
        final Path journalDir,
        final long journalSegmentLength,
        final Path alertJournalDir,
        final long alertSegmentLength,
        final List<AgentRunner> runners)
    {
        this.health = health;
        this.counters = counters;
        this.clock = clock;
        this.journal = journal;
        this.journalDir = journalDir;
        this.journalNeeds = SEGMENTS_WANTED * journalSegmentLength;
        this.alertJournalDir = alertJournalDir;
        this.alertJournalNeeds = SEGMENTS_WANTED * alertSegmentLength;
        this.runners = runners;
    }

    public int doWork()
    {
        final long now = clock.nanoTime();
        if (now - nextCheckNs < 0)
        {
            return 0;
        }
        nextCheckNs = now + INTERVAL_NS;
        check();
        return 1;
    }

    /**
     * One check, now. Also called by the engine at start.
     */
    void check()
    {
        checkSpace();
        checkAccounts();
        if (closing)
        {
            return;
        }
        for (int i = 0, n = runners.size(); i < n; i++)
        {
            final AgentRunner runner = runners.get(i);
            // a runner's thread ends only by close, or by an Error its agent let out
            if (runner.isClosed() && !closing)
            {
                health.fail(runner.agent().roleName(), new IllegalStateException(
                    "the thread of " + runner.agent().roleName() + " has ended"));
            }
        }
        if (journal.isFailed() && !closing)
        {
            health.fail("journal", null == journal.lastError() ?
                new IllegalStateException("the journal writer has stopped") : journal.lastError());
        }
    }

    /**
     * @param maxAccounts the engine-wide account cap, named in the warning when it is reached.
     * @return this.
     */
    EngineWatchAgent maxAccounts(final int maxAccounts)
    {
        this.maxAccounts = maxAccounts;
        return this;
    }

    /**
     * The account cap reached means rules forget accounts early: degraded, naming how many and what to do, for
     * as long as evictions go on and a minute after.
     */
    private void checkAccounts()
    {
        final long evicted = counters.accountsCapEvicted.get();
        final long now = clock.nanoTime();
        if (!accountsChecked)
        {
            // evictions before a restart (restored from a snapshot) are history, not news
            accountsChecked = true;
            capEvictedSeen = evicted;
        }
        else if (evicted != capEvictedSeen)
        {
            capEvictedSeen = evicted;
            lastCapEvictionNs = now;
            health.degrade(ACCOUNTS, String.format(java.util.Locale.ROOT,
                "the account cap of %,d is reached: %,d accounts evicted so far, and the rules forgot their " +
                "state; give the engine more heap and raise --max-accounts (or set --idle-horizon)",
                maxAccounts, evicted));
        }
        else if (evicted != 0 && now - lastCapEvictionNs > ACCOUNT_CAP_QUIET_NS)
        {
            health.clear(ACCOUNTS);
        }
    }

    private void checkSpace()
    {
        try
        {
            if (null == journalStore)
            {
                journalStore = Files.getFileStore(journalDir);
            }
            final long usable = journalStore.getUsableSpace();
            counters.usableSpace.setRelease(usable);
            String low = usable < journalNeeds ? lowSpace(journalDir, journalNeeds) : null;
            if (null != alertJournalDir)
            {
                if (null == alertJournalStore)
                {
                    alertJournalStore = Files.getFileStore(alertJournalDir);
                }
                final long alertUsable = alertJournalStore.getUsableSpace();
                if (null == low && alertUsable < alertJournalNeeds)
                {
                    low = lowSpace(alertJournalDir, alertJournalNeeds);
                }
            }
            if (null == low)
            {
                if (counters.lowSpace.get() != 0)
                {
                    counters.lowSpace.setRelease(0);
                }
                health.clear(SPACE);
            }
            else
            {
                if (counters.lowSpace.get() != 1)
                {
                    counters.lowSpace.setRelease(1);
                }
                health.degrade(SPACE, low);
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            health.degrade(SPACE, "cannot read the free space of " + journalDir + ": " + ex);
        }
    }

    private static String lowSpace(final Path dir, final long needs)
    {
        // no figure that changes every second: the description changes only when the condition does
        return "low space: fewer than " + SEGMENTS_WANTED + " segments (" + (needs >> 10) + " KiB) fit under " + dir +
            "; when the next segment cannot be created the engine refuses events until space is freed";
    }

    /**
     * The engine is closing: threads end now, and that is not a failure.
     */
    void closing()
    {
        closing = true;
    }

    public String roleName()
    {
        return "txmon-engine-watch";
    }
}
