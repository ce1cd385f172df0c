package io.txmon.sequencer;

import io.txmon.events.codec.Severity;
import io.txmon.journal.JournalException;
import io.txmon.journal.JournalWriter;
import io.txmon.rules.Rule;
import io.txmon.rules.typology.LargeAmountRule;
import io.txmon.transport.TxmonPublisher;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import static io.txmon.sequencer.EngineTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

class ThreadsAndFilesTest
{
    private static final int EVENTS = 200;

    @TempDir
    Path tempDir;

    @Test
    void closeStopsEveryThreadRemovesTheDriverDirectoryAndReleasesTheJournal()
    {
        final Set<Long> threadsBefore = Await.liveThreadIds();
        final Path aeronDir = tempDir.resolve("aeron");
        final Path journalDir = tempDir.resolve("journal");
        final EngineErrors errors = new EngineErrors();
        final Engine engine = Engine.launch(context(aeronDir, journalDir, (w) -> rules()).errorHandler(errors));
        TxmonPublisher publisher = null;
        try
        {
            assertTrue(Files.isDirectory(aeronDir), "driver directory exists while running");
            publisher = publisher(engine, 1, 0);
            for (int i = 0; i < EVENTS; i++)
            {
                sendPayment(publisher, 2_000_000L * (i % 2) + 1);
            }
            final EngineCounters counters = engine.counters();
            awaitCondition(() -> counters.decided() == EVENTS, () -> describe(counters));
            assertEquals(EVENTS / 2, counters.alerts());
            assertEquals(EVENTS / 2, counters.alertsUnpublished(), "no alert subscriber in this test");
        }
        finally
        {
            CloseHelper.closeAll(publisher, engine);
        }
        engine.close();

        assertNoErrors(errors);
        assertFalse(Files.exists(aeronDir), "embedded driver directory removed");
        Await.awaitNoNewThreads(threadsBefore, 10_000);

        // the journal lock is released: another writer can open it
        try (JournalWriter writer = JournalWriter.open(journalDir, 4 * 1024 * 1024))
        {
            assertEquals(EVENTS, writer.nextOffset());
        }
    }

    @Test
    void failedLaunchReleasesWhatItStarted()
    {
        final Set<Long> threadsBefore = Await.liveThreadIds();
        final Path journalDir = tempDir.resolve("journal");
        final Path firstAeronDir = tempDir.resolve("aeron-1");
        final Path secondAeronDir = tempDir.resolve("aeron-2");
        final Engine first = Engine.launch(context(firstAeronDir, journalDir, (w) -> rules()));
        try
        {
            // the journal already has a writer: the second engine cannot start
            assertThrows(
                JournalException.class,
                () -> Engine.launch(context(secondAeronDir, journalDir, (w) -> rules())).close());
            assertFalse(Files.exists(secondAeronDir), "failed engine's driver directory removed");
            assertTrue(Files.isDirectory(firstAeronDir), "the running engine is untouched");
        }
        finally
        {
            CloseHelper.closeAll(first);
        }

        assertFalse(Files.exists(firstAeronDir));
        Await.awaitNoNewThreads(threadsBefore, 10_000);
    }

    @Test
    void lowLatencyProfileWithSeveralWorkersAlsoCleansUp()
    {
        final Set<Long> threadsBefore = Await.liveThreadIds();
        final Path aeronDir = tempDir.resolve("aeron");
        final EngineErrors errors = new EngineErrors();
        final Engine engine = Engine.launch(context(aeronDir, tempDir.resolve("journal"), (w) -> rules())
            .lowLatency(true)
            .workerCount(2)
            .errorHandler(errors));
        TxmonPublisher publisher = null;
        try
        {
            publisher = publisher(engine, 1, 0);
            for (int i = 0; i < 20; i++)
            {
                sendPayment(publisher, 2_000_000L);
            }
            final EngineCounters counters = engine.counters();
            awaitCondition(() -> counters.decided() == 20, () -> describe(counters));
            assertEquals(20, counters.alerts(), "one alert per event whichever worker owns its account");
            assertEquals(40, counters.evaluated(), "each worker evaluates every event");
        }
        finally
        {
            CloseHelper.closeAll(publisher, engine);
        }

        assertNoErrors(errors);
        assertFalse(Files.exists(aeronDir));
        Await.awaitNoNewThreads(threadsBefore, 10_000);
    }

    @Test
    void contextIsValidatedAndUsedOnce()
    {
        final Engine.Context noRules = new Engine.Context()
            .aeronDirectoryName(tempDir.resolve("a").toString())
            .journalDir(tempDir.resolve("j"));
        assertThrows(IllegalArgumentException.class, () -> Engine.launch(noRules));
        assertThrows(IllegalStateException.class, () -> Engine.launch(noRules), "a context is used once");

        assertThrows(IllegalArgumentException.class,
            () -> Engine.launch(context(tempDir.resolve("a"), tempDir.resolve("j"), (w) -> rules()).ringSize(100)));
        assertThrows(IllegalArgumentException.class,
            () -> Engine.launch(context(tempDir.resolve("a"), tempDir.resolve("j"), (w) -> rules()).workerCount(0)));
        assertFalse(Files.exists(tempDir.resolve("a")), "nothing started for an invalid context");
        assertFalse(Files.exists(tempDir.resolve("j")));
    }

    private static Rule[] rules()
    {
        return new Rule[]{ new LargeAmountRule(1_000_000L, Severity.HIGH) };
    }
}
