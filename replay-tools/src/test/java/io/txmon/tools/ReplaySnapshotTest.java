package io.txmon.tools;

import io.aeron.ExclusivePublication;
import io.txmon.events.codec.Severity;
import io.txmon.rules.Rule;
import io.txmon.rules.config.RuleSettings;
import io.txmon.rules.state.AccountStore;
import io.txmon.rules.typology.CycleRule;
import io.txmon.rules.typology.LargeAmountRule;
import io.txmon.scenario.ScenarioGenerator;
import io.txmon.sequencer.Engine;
import io.txmon.sequencer.EngineCounters;
import io.txmon.journal.SnapshotStore;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.txmon.tools.ReplayTestSupport.Run;
import static io.txmon.tools.ReplayTestSupport.join;
import static io.txmon.tools.ReplayTestSupport.replay;
import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code txmon replay} warmed up from the engine's snapshots: a live two-worker engine journals a scenario and
 * snapshots its state every {@value #INTERVAL} events; a replay from the middle then restores the newest snapshot
 * before the range, replays only the journal after it, and gives exactly the live alerts, in the live order, having
 * replayed fewer events than the horizon warm-up. A damaged snapshot, one taken with another worker count and one of
 * fixed rules are passed over with a note naming why, falling back to an older one and then to the horizon; a
 * candidate configuration never starts from a snapshot.
 */
class ReplaySnapshotTest
{
    private static final int EVENTS = 40_000;
    private static final int INTERVAL = 8_000;
    private static final int WORKERS = 2;
    private static final long TIMEOUT_NS = TimeUnit.MINUTES.toNanos(2);
    private static final Pattern WARM_UP = Pattern.compile("warm-up: (\\w+).*?: (\\d+) events? replayed");

    @TempDir
    static Path live;

    @TempDir
    Path tempDir;

    private static Path journal;
    private static Path alerts;
    private static Path snapshots;
    private static RuleSettings settings;
    private static long last;

    /**
     * One live run for every test: snapshots at the offsets {@code k * INTERVAL - 1} and at the clean close.
     */
    @BeforeAll
    static void runTheLiveEngine()
    {
        final ScenarioGenerator scenario = new ScenarioGenerator(1_313, ScenarioGenerator.Options.defaults()
            .withAccounts(5_000).withProducerId(1));
        journal = live.resolve("journal");
        alerts = live.resolve("journal-alerts");
        snapshots = live.resolve("journal-snapshots");
        // the cycle rule keeps no snapshot yet on this branch: an engine running it writes none, so it is off here
        settings = RuleSettings.defaults().with(Map.of(
            "rules." + CycleRule.NAME + ".enabled", "false",
            "rules.watch-list.watched-accounts", join(scenario.watchedAccounts()),
            "rules.watch-list.watched-parties", join(scenario.watchedParties())));

        final Engine engine = Engine.launch(new Engine.Context()
            .aeronDirectoryName(live.resolve("aeron").toString())
            .journalDir(journal)
            .alertJournalDir(alerts)
            .snapshotDir(snapshots)
            .snapshotInterval(INTERVAL)
            .snapshotsRetained(100)
            .workerCount(WORKERS)
            .ruleSettings(settings));
        try
        {
            final EngineCounters counters = engine.counters();
            // the engine journals its configuration's changes from the defaults first: the events follow them
            final long configChanges = ReplayTestSupport.records(journal).size();
            assertTrue(configChanges > 0, "the configuration journaled");
            final ExclusivePublication publication = engine.aeron().addExclusivePublication(
                engine.context().ingestChannel(), engine.context().ingestStreamId());
            final long deadline = System.nanoTime() + TIMEOUT_NS;
            await(publication::isConnected, () -> "publication connected", deadline);
            final int[] published = new int[1];
            scenario.generate(EVENTS, (buffer, offset, length) ->
            {
                offer(publication, buffer, offset, length, deadline);
                // a batch of one interval at a time, so that no periodic snapshot is replaced by the next
                if (++published[0] % INTERVAL == 0)
                {
                    final long decided = published[0];
                    final long written = (configChanges + published[0]) / INTERVAL;
                    await(() -> counters.decided() >= decided && counters.snapshots() >= written,
                        () -> "decided " + counters.decided() + ", snapshots " + counters.snapshots(), deadline);
                }
            });
            assertTrue(counters.alerts() > 0, "the live run raised alerts");
        }
        finally
        {
            CloseHelper.close(engine);
        }
        last = ReplayTestSupport.records(journal).size() - 1;
        final List<Path> files = new SnapshotStore(snapshots, 1).list();
        assertEquals(SnapshotStore.rulesOffsetOf(files.get(0)), last, "the clean close snapshots the whole journal");
        for (long offset = INTERVAL - 1; offset < last; offset += INTERVAL)
        {
            assertTrue(Files.exists(snapshot(snapshots, offset)), "periodic snapshot at " + offset + ": " + files);
        }
    }

    @Test
    void fromTheNewestSnapshotBeforeTheRangeTheAlertsAreTheLiveOnesAfterFewerEvents()
    {
        final long snapshot = 3L * INTERVAL - 1;
        final long from = snapshot + INTERVAL / 2;
        final Run run = compare("--from-offset", String.valueOf(from));
        assertIdentical(run, from, last);
        assertEquals("", run.err(), run::toString);
        assertTrue(run.out().contains("warm-up: snapshot " + snapshot(snapshots, snapshot).getFileName() +
            " (rule state at offset " + snapshot + "): "), run::toString);
        final long snapshotEvents = warmUpEvents(run, "snapshot");
        assertEquals(from - snapshot - 1, snapshotEvents, "every event after the snapshot, none before it");

        final Run horizon = compare("--from-offset", String.valueOf(from), "--warm-up", "auto");
        assertIdentical(horizon, from, last);
        final long horizonEvents = warmUpEvents(horizon, "auto");
        assertTrue(snapshotEvents < horizonEvents, snapshotEvents + " events from the snapshot, " + horizonEvents +
            " from the rules' horizon");
        assertEquals(from, warmUpEvents(compare("--from-offset", String.valueOf(from), "--warm-up", "all"), "all"));

        // the Replayer itself: the very bytes of the live alerts, in their order
        final List<AlertEntry> replayed = new ArrayList<>();
        final List<String> notes = new ArrayList<>();
        final Replayer replayer = new Replayer(journal, WORKERS, null, Replayer.WarmUp.SNAPSHOT, snapshots,
            AccountStore.Limits.DEFAULT, notes::add);
        replayer.replay(0, from, last, (event, alert, bytes, length) -> replayed.add(AlertEntry.of(bytes, 0, length)),
            null, null);
        assertEquals(Replayer.WarmUp.SNAPSHOT, replayer.warmUpUsed());
        assertEquals(snapshot, replayer.snapshotOffset());
        assertEquals(snapshotEvents, replayer.warmUpEvents());
        assertEquals(List.of(), notes);
        final List<AlertEntry> journaled = AlertDiff.read(alerts, from, last);
        assertFalse(journaled.isEmpty(), "the range holds live alerts");
        assertEquals(journaled.size(), replayed.size());
        for (int i = 0; i < journaled.size(); i++)
        {
            assertTrue(journaled.get(i).sameBytes(replayed.get(i)), "alert " + i + " of the range");
        }
    }

    @Test
    void onlyASnapshotStrictlyBeforeTheRangeIsUsedAndNoneWarmsUpAtTheStart()
    {
        final long snapshot = 2L * INTERVAL - 1;
        final Run next = compare("--from-offset", String.valueOf(snapshot + 1));
        assertIdentical(next, snapshot + 1, last);
        assertTrue(next.out().contains("warm-up: snapshot " + snapshot(snapshots, snapshot).getFileName()),
            next::toString);
        assertEquals(0, warmUpEvents(next, "snapshot"));

        // a range starting at a snapshot's own offset needs the state before that event: the older snapshot's
        final Run at = compare(
            "--from-offset", String.valueOf(snapshot), "--to-offset", String.valueOf(snapshot + 500));
        assertIdentical(at, snapshot, snapshot + 500);
        assertTrue(at.out().contains("(rule state at offset " + (INTERVAL - 1) + ")"), at::toString);
        assertEquals(INTERVAL - 1, warmUpEvents(at, "snapshot"));

        // before the first snapshot: the horizon, with no note, as nothing was passed over
        final Run early = compare("--from-offset", String.valueOf(INTERVAL / 2), "--to-offset",
            String.valueOf(INTERVAL));
        assertIdentical(early, INTERVAL / 2, INTERVAL);
        assertTrue(early.out().contains("warm-up: auto (no snapshot before offset " + INTERVAL / 2 + " in "),
            early::toString);
        assertEquals("", early.err(), early::toString);

        final Run whole = compare();
        assertIdentical(whole, 0, last);
        assertTrue(whole.out().contains("warm-up: none: the range starts at the journal's first offset"),
            whole::toString);
    }

    @Test
    void aDamagedSnapshotIsPassedOverWithANoteForTheNextOlderOneThenTheHorizon() throws Exception
    {
        final Path copy = copySnapshots("damaged");
        final long newest = 4L * INTERVAL - 1;
        final long older = 3L * INTERVAL - 1;
        final long from = newest + 100;
        flip(snapshot(copy, newest), 200);

        final Run run = compare("--from-offset", String.valueOf(from), "--snapshot-dir", copy.toString());
        assertIdentical(run, from, last);
        assertEquals(1, run.errLines().size(), run::toString);
        assertTrue(run.err().startsWith("txmon replay: snapshot " + snapshot(copy, newest).getFileName() +
            ": checksum does not match"), run::toString);
        assertTrue(run.out().contains("warm-up: snapshot " + snapshot(copy, older).getFileName()), run::toString);
        assertEquals(from - older - 1, warmUpEvents(run, "snapshot"));

        // every snapshot before the range unusable: the rules' horizon, each one named
        for (long offset = INTERVAL - 1; offset < newest; offset += INTERVAL)
        {
            Files.write(snapshot(copy, offset), new byte[]{ 1, 2, 3 }, StandardOpenOption.TRUNCATE_EXISTING);
        }
        final Run none = compare("--from-offset", String.valueOf(from), "--snapshot-dir", copy.toString());
        assertIdentical(none, from, last);
        assertEquals(4, none.errLines().size(), none::toString);
        assertTrue(none.err().contains("3 bytes cannot be a snapshot; not used"), none::toString);
        assertTrue(none.out().contains("warm-up: auto (no usable snapshot before offset " + from + " in " + copy + ")"),
            none::toString);
    }

    @Test
    void aSnapshotOfAnotherWorkerCountIsPassedOverWithANote()
    {
        final long from = 2L * INTERVAL;
        final Run run = replay("--journal", journal.toString(), "--compare", "--from-offset", String.valueOf(from),
            "--workers", "1");
        assertEquals(0, run.status(), run::toString);
        assertTrue(run.out().contains("identical: "), run::toString);
        assertTrue(run.err().contains(snapshot(snapshots, from - 1).getFileName() + ": taken with 2 rule workers"),
            run::toString);
        assertTrue(run.out().contains("warm-up: auto (no usable snapshot before offset " + from), run::toString);
    }

    @Test
    void aCandidateConfigurationNeverStartsFromASnapshot() throws Exception
    {
        // the live configuration as a candidate: the same alerts, warmed up from the horizon, no snapshot read
        final Path candidate = tempDir.resolve("live.properties");
        final StringBuilder keys = new StringBuilder();
        for (final Map.Entry<String, String> key : new TreeMap<>(settings.toKeys()).entrySet())
        {
            if (!key.getValue().equals(RuleSettings.defaults().toKeys().get(key.getKey())))
            {
                keys.append(key.getKey()).append(" = ").append(key.getValue()).append('\n');
            }
        }
        Files.writeString(candidate, keys.toString(), StandardCharsets.UTF_8);
        final long from = 3L * INTERVAL;
        final Run run = compare("--from-offset", String.valueOf(from), "--rules", candidate.toString());
        assertIdentical(run, from, last);
        assertTrue(run.out().contains("warm-up: auto (candidate rules never start from a snapshot): "), run::toString);
        assertEquals("", run.err(), run::toString);

        final List<String> notes = new ArrayList<>();
        final Replayer replayer = new Replayer(journal, WORKERS, settings, Replayer.WarmUp.SNAPSHOT, snapshots,
            AccountStore.Limits.DEFAULT, notes::add);
        replayer.replay(0, from, from + 10, (event, alert, bytes, length) -> { }, null, null);
        assertEquals(Replayer.WarmUp.AUTO, replayer.warmUpUsed());
        assertNull(replayer.snapshot());
        assertEquals(List.of(), notes);

        for (final String[] args : new String[][]{
            { "--rules", candidate.toString(), "--warm-up", "snapshot" },
            { "--rules", candidate.toString(), "--snapshot-dir", snapshots.toString() } })
        {
            final Run refused = compare(args);
            assertEquals(2, refused.status(), refused::toString);
            assertTrue(refused.err().contains("is not for --rules"), refused::toString);
        }
    }

    @Test
    void aSnapshotOfFixedRulesIsPassedOver() throws Exception
    {
        // an engine given its own rules, not the journal's configuration: its snapshots hold no settings
        final Path fixedJournal = tempDir.resolve("fixed");
        final Path fixedSnapshots = tempDir.resolve("fixed-snapshots");
        final Engine engine = Engine.launch(new Engine.Context()
            .aeronDirectoryName(tempDir.resolve("aeron").toString())
            .journalDir(fixedJournal)
            .snapshotDir(fixedSnapshots)
            .snapshotInterval(1_000)
            .rulesFactory((worker) -> new Rule[]{ new LargeAmountRule(1_000_000, Severity.HIGH) })
            .unjournaledRules(true));
        try
        {
            final ExclusivePublication publication = engine.aeron().addExclusivePublication(
                engine.context().ingestChannel(), engine.context().ingestStreamId());
            final long deadline = System.nanoTime() + TIMEOUT_NS;
            await(publication::isConnected, () -> "publication connected", deadline);
            final EngineCounters counters = engine.counters();
            final int[] published = new int[1];
            new ScenarioGenerator(5, ScenarioGenerator.Options.defaults().withAccounts(1_000).withProducerId(1))
                .generate(2_000, (buffer, offset, length) ->
                {
                    offer(publication, buffer, offset, length, deadline);
                    if (++published[0] == 1_000)
                    {
                        await(() -> counters.snapshots() >= 1, () -> "snapshots " + counters.snapshots(), deadline);
                    }
                });
            await(() -> counters.decided() >= 2_000, () -> "decided " + counters.decided(), deadline);
        }
        finally
        {
            CloseHelper.close(engine);
        }
        assertTrue(Files.exists(snapshot(fixedSnapshots, 999)));

        final Run run = replay("--journal", fixedJournal.toString(), "--from-offset", "1500", "--format", "json");
        assertEquals(0, run.status(), run::toString);
        assertTrue(run.err().contains("txmon replay: snapshot " + snapshot(fixedSnapshots, 999).getFileName() +
            ": taken with fixed rules"), run::toString);
        assertTrue(run.err().contains("warm-up: auto (no usable snapshot before offset 1500"), run::toString);
    }

    @Test
    void aSnapshotFilesOffsetIsReadFromItsName()
    {
        assertEquals(1999, SnapshotStore.rulesOffsetOf(Path.of("x", "snapshot-00000000000000001999.snap")));
        assertEquals(Long.MAX_VALUE, SnapshotStore.rulesOffsetOf(Path.of("snapshot-09223372036854775807.snap")));
        assertEquals(-1, SnapshotStore.rulesOffsetOf(Path.of("snapshot-09223372036854775808.snap")));
        assertEquals(-1, SnapshotStore.rulesOffsetOf(Path.of("snapshot-1999.snap")));
        assertEquals(-1, SnapshotStore.rulesOffsetOf(Path.of("snapshot-0000000000000000199x.snap")));
        assertEquals(-1, SnapshotStore.rulesOffsetOf(Path.of("snapshot-00000000000000001999.snap.tmp")));
    }

    private static Run compare(final String... args)
    {
        final String[] command = new String[args.length + 5];
        command[0] = "--journal";
        command[1] = journal.toString();
        command[2] = "--workers";
        command[3] = String.valueOf(WORKERS);
        command[4] = "--compare";
        System.arraycopy(args, 0, command, 5, args.length);
        return replay(command);
    }

    private static void assertIdentical(final Run run, final long from, final long to)
    {
        assertEquals(0, run.status(), run::toString);
        assertTrue(run.out().contains("identical: " + AlertDiff.read(alerts, from, to).size() + " alerts in offsets " +
            from + ".." + to + " match the alert journal " + alerts + ", in the same order"), run::toString);
    }

    private static long warmUpEvents(final Run run, final String warmUp)
    {
        final Matcher matcher = WARM_UP.matcher(run.out() + run.err());
        assertTrue(matcher.find(), run::toString);
        assertEquals(warmUp, matcher.group(1), run::toString);
        return Long.parseLong(matcher.group(2));
    }

    private static Path snapshot(final Path dir, final long offset)
    {
        return dir.resolve(String.format("snapshot-%020d.snap", offset));
    }

    private Path copySnapshots(final String name) throws Exception
    {
        final Path copy = tempDir.resolve(name);
        Files.createDirectories(copy);
        for (final Path file : new SnapshotStore(snapshots, 1).list())
        {
            Files.copy(file, copy.resolve(file.getFileName()));
        }
        return copy;
    }

    private static void flip(final Path file, final int at) throws Exception
    {
        final byte[] bytes = Files.readAllBytes(file);
        bytes[at] ^= 0x10;
        Files.write(file, bytes, StandardOpenOption.TRUNCATE_EXISTING);
    }

    private static void await(final BooleanSupplier condition, final Supplier<String> what, final long deadline)
    {
        while (!condition.getAsBoolean())
        {
            assertTrue(System.nanoTime() - deadline < 0, what);
            Thread.onSpinWait();
        }
    }

    private static void offer(
        final ExclusivePublication publication,
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final long deadline)
    {
        long result;
        while ((result = publication.offer(buffer, offset, length)) < 0)
        {
            assertTrue(System.nanoTime() - deadline < 0 && result != ExclusivePublication.CLOSED, "offer: " + result);
            Thread.onSpinWait();
        }
    }
}
