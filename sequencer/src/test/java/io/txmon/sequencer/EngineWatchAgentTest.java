package io.txmon.sequencer;

import io.aeron.Aeron;
import io.aeron.driver.MediaDriver;
import io.txmon.journal.JournalWriter;
import io.txmon.transport.EmbeddedDriver;
import org.agrona.CloseHelper;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.agrona.concurrent.SystemNanoClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The engine's once-a-second watch: low space is a warning that clears, and a runner thread that ended without
 * being closed (an Error let out of an agent that is not guarded) fails the engine instead of going unnoticed.
 */
class EngineWatchAgentTest
{
    @TempDir
    Path tempDir;

    private MediaDriver driver;
    private Aeron aeron;
    private EngineCounters counters;
    private JournalWriter journal;

    @BeforeEach
    void start()
    {
        driver = EmbeddedDriver.launch(tempDir.resolve("aeron").toString(), false);
        aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.aeronDirectoryName()));
        counters = new EngineCounters(aeron);
        journal = JournalWriter.open(tempDir.resolve("journal"), 64 * 1024);
    }

    @AfterEach
    void stop()
    {
        CloseHelper.closeAll(journal, counters, aeron, driver);
    }

    @Test
    void lowSpaceWarnsAndClears()
    {
        final EngineHealth health = new EngineHealth();
        health.counter(counters.health);
        final Path dir = tempDir.resolve("journal");
        // a segment length no file system has room for twice
        new EngineWatchAgent(health, counters, new SystemNanoClock(), journal, dir, Long.MAX_VALUE / 4, null, 0,
            List.of()).check();
        assertEquals(EngineHealth.State.DEGRADED, health.state());
        assertTrue(health.describe().startsWith("DEGRADED: low space: fewer than 2 segments"), health.describe());
        assertEquals(1, counters.lowSpace());
        assertEquals(1, counters.health());
        assertTrue(counters.usableSpace() > 0);

        new EngineWatchAgent(health, counters, new SystemNanoClock(), journal, dir, 64 * 1024, null, 0,
            List.of()).check();
        assertEquals(EngineHealth.State.OK, health.state(), health.describe());
        assertEquals(0, counters.lowSpace());
        assertEquals(0, counters.health());
    }

    @Test
    void theAccountCapDegradesWhileEvictionsGoOnAndClearsAMinuteAfter()
    {
        final EngineHealth health = new EngineHealth();
        final long[] now = { 0 };
        final EngineWatchAgent watch = new EngineWatchAgent(health, counters, () -> now[0], journal,
            tempDir.resolve("journal"), 64 * 1024, null, 0, List.of()).maxAccounts(1_000);
        counters.accountsCapEvicted.set(5);
        watch.check();
        assertEquals(EngineHealth.State.OK, health.state(), "evictions before a restart are not news");

        counters.accountsCapEvicted.set(7);
        now[0] += EngineWatchAgent.INTERVAL_NS;
        watch.check();
        assertEquals(EngineHealth.State.DEGRADED, health.state());
        assertTrue(health.describe().contains("the account cap of 1,000 is reached: 7 accounts evicted"),
            health.describe());
        assertTrue(health.describe().contains("--max-accounts"), health.describe());

        now[0] += EngineWatchAgent.ACCOUNT_CAP_QUIET_NS / 2;
        watch.check();
        assertEquals(EngineHealth.State.DEGRADED, health.state(), "still within the minute");

        now[0] += EngineWatchAgent.ACCOUNT_CAP_QUIET_NS;
        watch.check();
        assertEquals(EngineHealth.State.OK, health.state(), "a minute without evictions");
    }

    @Test
    void aRunnerThreadThatDiedFailsTheEngine()
    {
        final EngineHealth health = new EngineHealth();
        final List<AgentRunner> runners = new CopyOnWriteArrayList<>();
        final AgentRunner runner = new AgentRunner(new SleepingMillisIdleStrategy(1), (t) -> {}, null, new Agent()
        {
            public int doWork()
            {
                throw new InternalError("unguarded (test)");
            }

            public String roleName()
            {
                return "unguarded";
            }
        });
        runners.add(runner);
        final EngineWatchAgent watch = new EngineWatchAgent(health, counters, new SystemNanoClock(), journal,
            tempDir.resolve("journal"), 64 * 1024, null, 0, runners);
        try
        {
            AgentRunner.startOnThread(runner);
            // Agrona rethrows an Error: the runner's thread ends without onClose
            Await.await(EngineTestSupport.TIMEOUT_MS, runner::isClosed, () -> "the runner's thread died", null);
            watch.check();
            assertEquals(EngineHealth.State.FAILED, health.state());
            assertEquals("unguarded", health.failedAgent());
        }
        finally
        {
            watch.closing();
            runner.close();
        }
    }
}
