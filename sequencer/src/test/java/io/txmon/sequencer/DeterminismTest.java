package io.txmon.sequencer;

import io.txmon.journal.SnapshotStore;
import io.aeron.ExclusivePublication;
import io.txmon.events.codec.ConfigAction;
import io.txmon.events.codec.Severity;
import io.txmon.journal.JournalReader;
import io.txmon.rules.AlertBuffer;
import io.txmon.rules.AlertCodec;
import io.txmon.rules.RuleReplay;
import io.txmon.rules.TxEvent;
import io.txmon.rules.config.RuleConfigChange;
import io.txmon.rules.config.RuleSet;
import io.txmon.rules.config.RuleSettings;
import io.txmon.scenario.Planted;
import io.txmon.scenario.ScenarioGenerator;
import io.txmon.rules.typology.LargeAmountRule;
import io.txmon.rules.typology.Typologies;
import io.txmon.rules.typology.VelocityCountRule;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.IoUtil;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static io.txmon.sequencer.EngineTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The alerts are a function of the journal alone. A million generated events, with a planted instance of
 * every typology and two configuration changes mid-stream, run live through a two-worker engine; the journal
 * replayed through the rules, with no configuration file, gives the same alert bytes, and every planted
 * instance is alerted. A run stopped mid-stream, with the alerts of its last events lost as a crash would
 * lose them, and restarted, gives the same alerts as the uninterrupted run, none twice.
 */
class DeterminismTest
{
    private static final long SEED = 20_251_125L;
    private static final int WORKERS = 2;
    private static final long SCENARIO_PRODUCER = 1;
    private static final long OPERATOR_PRODUCER = 2;
    private static final long TIMEOUT_NS = TimeUnit.MINUTES.toNanos(4);

    @TempDir
    Path tempDir;

    @Test
    void aMillionEventsLiveAndReplayedGiveTheSameAlertsAndEveryPlantedOne() throws Exception
    {
        final int events = 1_000_000;
        final ScenarioGenerator scenario = scenario();
        final Path journal = tempDir.resolve("journal");
        final Path alerts = tempDir.resolve("alerts");

        // two operator changes mid-stream, which the planted instances do not depend on
        final RuleConfigChange[] changes = {
            new RuleConfigChange(LargeAmountRule.ID, ConfigAction.SET_PARAMETER, "severity", "CRITICAL"),
            new RuleConfigChange(VelocityCountRule.ID, ConfigAction.SET_PARAMETER, "severity", "LOW") };
        final int[] changeAt = { events / 3, 2 * events / 3 };

        final Engine engine = launch(1, journal, alerts, scenario);
        try
        {
            final ExclusivePublication publication = rawPublication(engine);
            final UnsafeBuffer change = new UnsafeBuffer(new byte[1024]);
            final int[] index = new int[1];
            final int[] nextChange = new int[1];
            scenario.generate(events, (buffer, offset, length) ->
            {
                if (nextChange[0] < changes.length && index[0] == changeAt[nextChange[0]])
                {
                    final long eventTime = io.txmon.events.EventEnvelope.eventTime(buffer, offset);
                    final int changeLength = changes[nextChange[0]].encode(
                        change, 0, OPERATOR_PRODUCER, nextChange[0], eventTime);
                    offerBounded(publication, change, 0, changeLength);
                    nextChange[0]++;
                }
                offerBounded(publication, buffer, offset, length);
                index[0]++;
            });
            awaitDecided(engine, events + changes.length);
            assertEquals(0, engine.counters().rejected(), describe(engine.counters()));
            assertEquals(0, engine.counters().ruleErrors(), describe(engine.counters()));
        }
        finally
        {
            CloseHelper.close(engine);
        }

        final List<AlertJournal.Entry> live = AlertJournal.read(alerts);
        final String replayed = replayHash(journal);
        assertEquals(AlertJournal.sha256(live), replayed, "replay of the journal gives the live alerts, byte for byte");
        assertTrue(live.size() >= scenario.planted().size(), "at least the planted alerts");
        System.out.println("DeterminismTest: " + events + " events, " + scenario.planted().size() + " planted, " +
            live.size() + " alerts, live = replay sha256 " + replayed);

        // every planted instance alerted, by its rule, on its account, at the offset of its trigger
        final Long2LongHashMap offsetOfSeq = scenarioOffsets(journal);
        final Set<String> alerted = new HashSet<>();
        for (final AlertJournal.Entry alert : live)
        {
            alerted.add(alert.ruleId() + "/" + alert.account() + "/" + alert.triggeringOffset());
        }
        final List<String> missed = new ArrayList<>();
        final Set<Integer> typologies = new HashSet<>();
        for (final Planted planted : scenario.planted())
        {
            typologies.add(planted.ruleId());
            final long offset = offsetOfSeq.get(planted.index());
            if (!alerted.contains(planted.ruleId() + "/" + planted.account() + "/" + offset))
            {
                missed.add(planted + " at offset " + offset);
            }
        }
        assertEquals(Typologies.catalog().size(), typologies.size(), "every typology planted");
        assertTrue(missed.isEmpty(), () -> missed.size() + " planted instances not alerted: " + missed);

        // the changes took effect at their offsets, in every worker
        final long firstChange = offsetOfSeq.get(changeAt[0]) - 1;
        final long secondChange = offsetOfSeq.get(changeAt[1]) - 1;
        int largeBefore = 0;
        int largeAfter = 0;
        for (final AlertJournal.Entry alert : live)
        {
            if (alert.ruleId() == LargeAmountRule.ID)
            {
                final boolean after = alert.triggeringOffset() > firstChange;
                assertEquals(after ? Severity.CRITICAL.name() : Severity.HIGH.name(), alert.severity(), alert.toString());
                largeBefore += after ? 0 : 1;
                largeAfter += after ? 1 : 0;
            }
            if (alert.ruleId() == VelocityCountRule.ID)
            {
                assertEquals(alert.triggeringOffset() > secondChange ? Severity.LOW.name() : Severity.MEDIUM.name(),
                    alert.severity(), alert.toString());
            }
        }
        assertTrue(largeBefore > 0 && largeAfter > 0, "large-amount alerts on both sides of the change");
    }

    @Test
    void restartMidStreamAfterLosingTheLastAlertsGivesTheUninterruptedAlertsEachOnce() throws Exception
    {
        final int events = 300_000;
        final ScenarioGenerator scenario = scenario();

        final List<AlertJournal.Entry> uninterrupted = uninterrupted(scenario, events);
        Engine engine;

        final Path journal2 = tempDir.resolve("interrupted");
        final Path alerts2 = tempDir.resolve("interrupted-alerts");
        final int stopAt = events / 2;
        engine = launch(2, journal2, alerts2, scenario);
        try
        {
            publish(rawPublication(engine), scenario, events, 0, stopAt);
            awaitDecided(engine, stopAt);
        }
        finally
        {
            CloseHelper.close(engine);
        }
        // the crash: the events stay journaled, the alerts of the last ones were never written
        final List<AlertJournal.Entry> beforeCrash = AlertJournal.read(alerts2);
        final int lost = Math.min(5, beforeCrash.size() - 1);
        assertTrue(lost > 0, "alerts raised before the stop");
        IoUtil.delete(alerts2.toFile(), false);
        AlertJournal.writePrefix(beforeCrash, beforeCrash.size() - lost, alerts2);

        engine = launch(3, journal2, alerts2, scenario);
        try
        {
            assertEquals(lost, engine.restoredAlerts(), "exactly the lost alerts emitted again");
            publish(rawPublication(engine), scenario, events, stopAt, events);
            awaitDecided(engine, events - stopAt);
        }
        finally
        {
            CloseHelper.close(engine);
        }

        assertSameAlertsEachOnce(uninterrupted, alerts2, "the restarted run gives the uninterrupted run's alerts, byte for byte");
    }

    /**
     * Restarts from snapshots give the uninterrupted alerts: a run closed cleanly (snapshot at close: the next start
     * replays nothing), then a run whose close snapshot is lost as a crash would lose it (the next start restores the
     * last periodic snapshot and replays the journal after it), each restarted run going on with the stream.
     */
    @Test
    void restartsFromSnapshotsGiveTheUninterruptedAlertsEachOnce() throws Exception
    {
        final int events = 300_000;
        final ScenarioGenerator scenario = scenario();
        final List<AlertJournal.Entry> uninterrupted = uninterrupted(scenario, events);
        Engine engine;

        final Path journal2 = tempDir.resolve("snapshotted");
        final Path alerts2 = tempDir.resolve("snapshotted-alerts");
        final Path snapshots = tempDir.resolve("snapshots");
        final int firstStop = 120_000;
        final int secondStop = 250_000;
        engine = launch(2, journal2, alerts2, scenario, snapshots);
        try
        {
            publish(rawPublication(engine), scenario, events, 0, firstStop);
            awaitDecided(engine, firstStop);
        }
        finally
        {
            CloseHelper.close(engine);
        }
        // the engine journals the watch list's configuration first: offsets run ahead of the stream's indexes
        final long end2 = readJournal(journal2).size();
        final SnapshotStore store = new SnapshotStore(snapshots, 3);
        assertEquals(snapshots.resolve(SnapshotStore.fileName(end2 - 1)), store.list().get(0),
            "a snapshot at the end of the journal, written at close");

        engine = launch(3, journal2, alerts2, scenario, snapshots);
        try
        {
            assertEquals(end2, engine.recoveredRecords());
            assertTrue(engine.recoveryNotes().toString().contains("state restored from " +
                SnapshotStore.fileName(end2 - 1)), engine.recoveryNotes().toString());
            publish(rawPublication(engine), scenario, events, firstStop, secondStop);
            awaitDecided(engine, secondStop - firstStop);
            // periodic snapshots after 159,999, 199,999 and 239,999 (and so on), written once the alerts before them
            // are out
            final EngineCounters counters = engine.counters();
            Await.await(TimeUnit.NANOSECONDS.toMillis(TIMEOUT_NS), () -> counters.snapshots() >= 3,
                () -> "3 periodic snapshots: " + counters.snapshots(), null);
        }
        finally
        {
            CloseHelper.close(engine);
        }
        // the crash: the snapshot at close is lost; the newest left is the last periodic one
        final long end3 = readJournal(journal2).size();
        final long periodic = (end3 - 1) / 40_000 * 40_000 - 1;
        assertTrue(periodic < end3 - 1, "the stream does not end at a snapshot offset");
        java.nio.file.Files.delete(store.list().get(0));
        assertEquals(snapshots.resolve(SnapshotStore.fileName(periodic)), store.list().get(0));

        engine = launch(4, journal2, alerts2, scenario, snapshots);
        try
        {
            assertTrue(engine.recoveryNotes().toString().contains("replayed from offset " + (periodic + 1)),
                engine.recoveryNotes().toString());
            assertEquals(0, engine.restoredAlerts(), "every alert up to the snapshot was out before it was written");
            publish(rawPublication(engine), scenario, events, secondStop, events);
            awaitDecided(engine, events - secondStop);
        }
        finally
        {
            CloseHelper.close(engine);
        }

        assertSameAlertsEachOnce(uninterrupted, alerts2, "runs restarted from snapshots give the uninterrupted run's alerts, byte for byte");
    }

    /**
     * The alert journal of a restarted run holds the uninterrupted run's alerts, byte for byte, none twice.
     */
    private static void assertSameAlertsEachOnce(
        final List<AlertJournal.Entry> uninterrupted, final Path alerts, final String message)
    {
        final List<AlertJournal.Entry> restarted = AlertJournal.read(alerts);
        final Set<Long> ids = new HashSet<>();
        for (final AlertJournal.Entry alert : restarted)
        {
            assertTrue(ids.add(alert.alertId()), () -> "alert emitted twice: " + alert);
        }
        assertEquals(uninterrupted.size(), restarted.size());
        assertEquals(AlertJournal.sha256(uninterrupted), AlertJournal.sha256(restarted), message);
    }

    /**
     * @return the alerts of the stream's first {@code events} run through one engine that never stops.
     */
    private List<AlertJournal.Entry> uninterrupted(final ScenarioGenerator scenario, final int events)
    {
        final Path alerts = tempDir.resolve("uninterrupted-alerts");
        final Engine engine = launch(1, tempDir.resolve("uninterrupted"), alerts, scenario);
        try
        {
            publish(rawPublication(engine), scenario, events, 0, events);
            awaitDecided(engine, events);
        }
        finally
        {
            CloseHelper.close(engine);
        }
        return AlertJournal.read(alerts);
    }

    private static ScenarioGenerator scenario()
    {
        // 10,000 accounts keep the state of every rule in two workers well inside the test heap
        return new ScenarioGenerator(SEED, ScenarioGenerator.Options.defaults()
            .withAccounts(10_000).withProducerId(SCENARIO_PRODUCER));
    }

    private static RuleSettings settings(final ScenarioGenerator scenario)
    {
        return RuleSettings.defaults().with(Map.of(
            "rules.watch-list.watched-accounts", join(scenario.watchedAccounts()),
            "rules.watch-list.watched-parties", join(scenario.watchedParties())));
    }

    private Engine launch(final int run, final Path journal, final Path alerts, final ScenarioGenerator scenario)
    {
        return launch(run, journal, alerts, scenario, null);
    }

    private Engine launch(
        final int run, final Path journal, final Path alerts, final ScenarioGenerator scenario, final Path snapshots)
    {
        return Engine.launch(new Engine.Context()
            .aeronDirectoryName(tempDir.resolve("aeron-" + run).toString())
            .journalDir(journal)
            .alertJournalDir(alerts)
            .workerCount(WORKERS)
            .ruleSettings(settings(scenario))
            .snapshotDir(snapshots)
            .snapshotInterval(40_000)
            .snapshotsRetained(3)
            .errorHandler(new EngineErrors()));
    }

    /**
     * Generate the stream of {@code events} and publish messages [from, to) of it; bounded in time.
     */
    private static void publish(
        final ExclusivePublication publication,
        final ScenarioGenerator scenario,
        final int events,
        final int from,
        final int to)
    {
        final int[] index = new int[1];
        scenario.generate(events, (buffer, offset, length) ->
        {
            if (index[0] >= from && index[0] < to)
            {
                offerBounded(publication, buffer, offset, length);
            }
            index[0]++;
        });
    }

    private static void offerBounded(
        final ExclusivePublication publication, final DirectBuffer buffer, final int offset, final int length)
    {
        final long deadline = System.nanoTime() + TIMEOUT_NS;
        long result;
        while ((result = publication.offer(buffer, offset, length)) < 0)
        {
            if (result == ExclusivePublication.CLOSED || result == ExclusivePublication.MAX_POSITION_EXCEEDED ||
                System.nanoTime() - deadline > 0)
            {
                fail("offer failed: " + result);
            }
            Thread.onSpinWait();
        }
    }

    private static void awaitDecided(final Engine engine, final long count)
    {
        final EngineCounters counters = engine.counters();
        Await.await(TimeUnit.NANOSECONDS.toMillis(TIMEOUT_NS),
            () -> counters.decided() >= count, () -> "decided " + count + ": " + describe(counters), null);
        assertEquals(count, counters.decided(), describe(counters));
    }

    /**
     * Replay the journal through two workers that start from the defaults, as the live ones did, and hash the
     * alerts they raise in the order the live sink emits them.
     */
    private static String replayHash(final Path journal) throws Exception
    {
        final RuleReplay replay = new RuleReplay(
            WORKERS, (worker) -> RuleSet.of(RuleSettings.defaults()),
            (rule, offset, error) -> fail("rule error at " + offset + ": " + error), 8);
        final MessageDigest digest = MessageDigest.getInstance("SHA-256");
        final AlertCodec codec = new AlertCodec();
        final UnsafeBuffer encoded = new UnsafeBuffer(new byte[AlertCodec.MAX_LENGTH]);
        final byte[] bytes = new byte[AlertCodec.MAX_LENGTH];
        try (JournalReader reader = JournalReader.open(journal))
        {
            while (reader.poll((offset, timestamp, templateId, buffer, payloadOffset, payloadLength) ->
            {
                final TxEvent event = replay.evaluate(offset, timestamp, buffer, payloadOffset, true);
                if (null == event)
                {
                    return;
                }
                for (int w = 0; w < WORKERS; w++)
                {
                    final AlertBuffer raised = event.alerts(w);
                    for (int i = 0; i < raised.count(); i++)
                    {
                        final int length = codec.encode(raised.get(i), encoded, 0);
                        encoded.getBytes(0, bytes, 0, length);
                        digest.update(bytes, 0, length);
                    }
                }
            }, 4096) > 0)
            {
                continue;
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /**
     * The journal offset of every scenario event, by its producer sequence (= its index in the stream).
     */
    private static Long2LongHashMap scenarioOffsets(final Path journal)
    {
        final Long2LongHashMap offsets = new Long2LongHashMap(-1);
        for (final JournalRecord record : readJournal(journal))
        {
            if (record.producerId == SCENARIO_PRODUCER)
            {
                offsets.put(record.producerSeq, record.offset);
            }
        }
        return offsets;
    }

    private static String join(final long[] values)
    {
        final StringBuilder text = new StringBuilder();
        for (final long value : values)
        {
            text.append(text.length() > 0 ? "," : "").append(value);
        }
        return text.toString();
    }
}
