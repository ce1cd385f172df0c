package io.txmon.sequencer;

import io.txmon.journal.SnapshotStore;
import io.aeron.ExclusivePublication;
import io.txmon.events.codec.PaymentDecoder;
import io.txmon.events.codec.Severity;
import io.txmon.rules.Rule;
import io.txmon.rules.RuleContext;
import io.txmon.rules.TxEvent;
import io.txmon.rules.state.AccountStore;
import io.txmon.rules.state.StateReader;
import io.txmon.rules.state.StateWriter;
import org.agrona.CloseHelper;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;

import static io.txmon.sequencer.EngineTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Snapshots as the engine takes and uses them, with a rule whose every alert depends on its state (every third
 * payment of a debtor alerts): a clean close leaves a snapshot at the journal's end and the next start replays
 * nothing; a damaged snapshot, one from another journal and one taken with another worker count are each passed
 * over with a recovery note naming why, falling back to an older snapshot or to the whole journal; in every case
 * the alerts are those of a run that never stopped.
 */
class SnapshotRestartTest
{
    private static final long PRODUCER = 7;

    @TempDir
    Path tempDir;

    @Test
    void cleanCloseSnapshotsTheWholeJournalAndTheNextStartReplaysNothing() throws Exception
    {
        final Path journal = tempDir.resolve("journal");
        final Path snapshots = tempDir.resolve("snapshots");
        run(1, journal, snapshots, 2, 0, 500);
        final SnapshotStore store = new SnapshotStore(snapshots, 2);
        assertEquals(List.of(snapshots.resolve(SnapshotStore.fileName(499))), store.list());

        final Engine engine = launch(2, journal, snapshots, 2, 0);
        try
        {
            assertEquals(500, engine.recoveredRecords());
            assertEquals(0, engine.replayedEvents(), "nothing replayed through the rules");
            assertTrue(engine.recoveryNotes().get(0).contains("state restored from " + SnapshotStore.fileName(499)),
                engine.recoveryNotes().toString());
            publish(engine, 500, 900);
            awaitDecided(engine, 400);
        }
        finally
        {
            CloseHelper.close(engine);
        }
        assertEquals(expectedAlerts(900), alerts(journal));
    }

    @Test
    void damagedForeignAndMismatchedSnapshotsArePassedOverWithAReason() throws Exception
    {
        final Path journal = tempDir.resolve("journal");
        final Path snapshots = tempDir.resolve("snapshots");
        // periodic snapshots every 100 events, three kept: the close one at 599, periodic at 499 and 399
        run(1, journal, snapshots, 2, 100, 600);
        final SnapshotStore store = new SnapshotStore(snapshots, 3);
        assertEquals(List.of(snapshots.resolve(SnapshotStore.fileName(599)),
            snapshots.resolve(SnapshotStore.fileName(499)), snapshots.resolve(SnapshotStore.fileName(399))),
            store.list());

        // one byte of the newest flipped: checksum; the next falls back to 499 and replays 500..599
        flip(store.list().get(0), 200);
        Engine engine = launch(2, journal, snapshots, 2, 100);
        try
        {
            final String notes = engine.recoveryNotes().toString();
            assertTrue(notes.contains(SnapshotStore.fileName(599) + ": checksum does not match"), notes);
            assertTrue(notes.contains("state restored from " + SnapshotStore.fileName(499)), notes);
            assertEquals(100, engine.replayedEvents(), "the journal after the snapshot replayed");
            publish(engine, 600, 700);
            awaitDecided(engine, 100);
        }
        finally
        {
            CloseHelper.close(engine);
        }
        assertEquals(expectedAlerts(700), alerts(journal));

        // another worker count: every snapshot passed over, the whole journal replayed
        engine = launch(3, journal, snapshots, 3, 100);
        try
        {
            final String notes = engine.recoveryNotes().toString();
            assertTrue(notes.contains("taken with 2 rule workers, the engine runs 3"), notes);
            assertTrue(notes.contains("none usable; rule state is rebuilt from the journal"), notes);
            assertEquals(700, engine.replayedEvents());
            publish(engine, 700, 750);
            awaitDecided(engine, 50);
        }
        finally
        {
            CloseHelper.close(engine);
        }
        assertEquals(expectedAlerts(750), alerts(journal));

        // a snapshot of this journal put beside another journal: not its records
        final Path otherJournal = tempDir.resolve("other");
        final Path otherSnapshots = tempDir.resolve("other-snapshots");
        run(4, otherJournal, otherSnapshots, 3, 0, 800);
        final Path newest = new SnapshotStore(snapshots, 3).list().get(0);
        Files.copy(newest, otherSnapshots.resolve(newest.getFileName()),
            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        final Path foreign = otherSnapshots.resolve(SnapshotStore.fileName(749));
        assertTrue(Files.exists(foreign));
        Files.delete(otherSnapshots.resolve(SnapshotStore.fileName(799)));
        engine = launch(5, otherJournal, otherSnapshots, 3, 0);
        try
        {
            final String notes = engine.recoveryNotes().toString();
            assertTrue(notes.contains("is not the one the snapshot was taken at"), notes);
            assertEquals(800, engine.replayedEvents());
        }
        finally
        {
            CloseHelper.close(engine);
        }
    }

    private void run(
        final int run,
        final Path journal,
        final Path snapshots,
        final int workers,
        final long interval,
        final int events)
    {
        final Engine engine = launch(run, journal, snapshots, workers, interval);
        try
        {
            // a batch of one interval at a time, each snapshot written before the next batch goes
            final int batch = interval == 0 ? events : (int)interval;
            final EngineCounters counters = engine.counters();
            for (int from = 0, n = 1; from < events; from += batch, n++)
            {
                publish(engine, from, Math.min(events, from + batch));
                awaitDecided(engine, Math.min(events, from + batch));
                final int written = interval == 0 ? 0 : n;
                awaitCondition(() -> counters.snapshots() >= written, () -> "snapshots " + counters.snapshots());
            }
        }
        finally
        {
            CloseHelper.close(engine);
        }
    }

    @Test
    void aSnapshotTakenWithOtherAccountLimitsIsPassedOver() throws Exception
    {
        final Path journal = tempDir.resolve("journal");
        final Path snapshots = tempDir.resolve("snapshots");
        run(1, journal, snapshots, 1, 0, 300);
        final Engine engine = Engine.launch(snapshotContext(journal, snapshots, 1, 0, 2)
            .accountLimits(new AccountStore.Limits(1_000, AccountStore.Limits.NO_IDLE_LIMIT)));
        try
        {
            final String notes = engine.recoveryNotes().toString();
            assertTrue(notes.contains("written with account limits (max 250,000 accounts, idle horizon none) " +
                "other than this worker's (max 1,000 accounts, idle horizon none)"), notes);
            assertEquals(300, engine.replayedEvents(), "the journal replayed instead");
            publish(engine, 300, 330);
            awaitDecided(engine, 30);
        }
        finally
        {
            CloseHelper.close(engine);
        }
        assertEquals(expectedAlerts(330), alerts(journal));
    }

    private Engine launch(final int run, final Path journal, final Path snapshots, final int workers, final long interval)
    {
        return Engine.launch(snapshotContext(journal, snapshots, workers, interval, run));
    }

    private Engine.Context snapshotContext(
        final Path journal, final Path snapshots, final int workers, final long interval, final int run)
    {
        return context(tempDir.resolve("aeron-" + run), journal, (w) -> new Rule[]{ new EveryThird() })
            .alertJournalDir(journal.resolveSibling(journal.getFileName() + "-alerts"))
            .workerCount(workers)
            .snapshotDir(snapshots)
            .snapshotInterval(interval)
            .snapshotsRetained(3)
            .errorHandler(new EngineErrors());
    }

    private static void publish(final Engine engine, final int from, final int to)
    {
        final ExclusivePublication publication = rawPublication(engine);
        try
        {
            final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
            for (int seq = from; seq < to; seq++)
            {
                // 7 debtors, so each has a third payment often
                final int length = encodePayment(buffer, 0, PRODUCER, seq, 1_000 + seq);
                offer(publication, buffer, 0, length);
            }
        }
        finally
        {
            CloseHelper.close(publication);
        }
    }

    private static void awaitDecided(final Engine engine, final long count)
    {
        final EngineCounters counters = engine.counters();
        awaitCondition(() -> counters.decided() >= count, () -> describe(counters));
    }

    /**
     * @return "offset/account" of every alert in the alert journal.
     */
    private static List<String> alerts(final Path journal)
    {
        return AlertJournal.read(journal.resolveSibling(journal.getFileName() + "-alerts")).stream()
            .map((a) -> a.triggeringOffset() + "/" + a.account()).toList();
    }

    /**
     * What a run that never stopped raises on payments 0 to n - 1: the debtor of payment seq is 1 + seq % 65,536
     * (EngineTestSupport), so each debtor pays once and no debtor reaches three; the rule keys on seq % 7 instead.
     */
    private static List<String> expectedAlerts(final int n)
    {
        final long[] counts = new long[7];
        final List<String> expected = new java.util.ArrayList<>();
        for (int seq = 0; seq < n; seq++)
        {
            final int key = seq % 7;
            if (++counts[key] % 3 == 0)
            {
                expected.add(seq + "/" + key);
            }
        }
        return expected;
    }

    private static void flip(final Path file, final int position) throws Exception
    {
        final byte[] bytes = Files.readAllBytes(file);
        bytes[position] ^= 0x10;
        Files.write(file, bytes, StandardOpenOption.TRUNCATE_EXISTING);
    }

    /**
     * Alerts on every third payment of a key (the payment's amount less 1,000, modulo 7, which is its sequence
     * modulo 7), for the worker that owns the key: each alert depends on every earlier payment of the key.
     */
    static final class EveryThird implements Rule
    {
        private final Long2LongHashMap counts = new Long2LongHashMap(0);

        public int id()
        {
            return 30;
        }

        public int version()
        {
            return 1;
        }

        public String name()
        {
            return "every-third";
        }

        public void onEvent(final TxEvent event, final RuleContext context)
        {
            if (event.templateId != PaymentDecoder.TEMPLATE_ID)
            {
                return;
            }
            final long key = (event.amount - 1_000) % 7;
            if (!context.owns(key))
            {
                return;
            }
            final long count = counts.get(key) + 1;
            counts.put(key, count);
            if (count % 3 == 0)
            {
                context.raise(this, Severity.LOW, 1, key).reason().append("third");
            }
        }

        public boolean snapshots()
        {
            return true;
        }

        public void writeState(final StateWriter out)
        {
            final long[] keys = new long[counts.size()];
            int n = 0;
            for (final Long2LongHashMap.KeyIterator it = counts.keySet().iterator(); it.hasNext(); )
            {
                keys[n++] = it.nextValue();
            }
            Arrays.sort(keys);
            out.putInt(n);
            for (final long key : keys)
            {
                out.putLong(key).putLong(counts.get(key));
            }
        }

        public void readState(final StateReader in)
        {
            final int n = in.getCount(0, 7, "keys");
            for (int i = 0; i < n; i++)
            {
                counts.put(in.getLong(), in.getLong());
            }
        }
    }
}
