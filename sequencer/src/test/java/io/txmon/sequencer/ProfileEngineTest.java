package io.txmon.sequencer;

import io.aeron.Subscription;
import io.txmon.events.codec.Severity;
import io.txmon.rules.Rule;
import io.txmon.rules.typology.LargeAmountRule;
import io.txmon.transport.AlertAdapter;
import io.txmon.transport.Profile;
import io.txmon.transport.TxmonPublisher;
import org.agrona.CloseHelper;
import org.agrona.collections.LongArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static io.txmon.sequencer.EngineTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Issue 13, item 7: an engine in the {@code yielding} profile runs on compact's threads (the sequencer on one, the
 * rule workers and the alert sink composed on another, the embedded driver on one shared thread), takes events end
 * to end to alerts on the alert stream, and closes leaving no thread and no driver directory behind.
 */
class ProfileEngineTest
{
    private static final long THRESHOLD = 1_000_000L;

    @TempDir
    Path tempDir;

    @Test
    void yieldingEngineDecidesEventsEndToEndOnCompactsThreadsAndLeavesNothing()
    {
        final Set<Long> threadsBefore = Await.liveThreadIds();
        final Path aeronDir = tempDir.resolve("aeron");
        final EngineErrors errors = new EngineErrors();
        final Engine engine = Engine.launch(context(aeronDir, tempDir.resolve("journal"), (w) -> rules())
            .profile(Profile.YIELDING)
            .workerCount(2)
            .errorHandler(errors));
        TxmonPublisher publisher = null;
        Subscription alertSubscription = null;
        try
        {
            assertSame(Profile.YIELDING, engine.context().profile());
            final List<String> threads = newThreadNames(threadsBefore);
            assertTrue(threads.contains("txmon-sequencer"), threads::toString);
            assertFalse(threads.contains("txmon-alert-sink"),
                () -> "the sink is composed with the workers: " + threads);
            assertEquals(1, threads.stream().filter((name) -> name.contains("txmon-alert-sink")).count(),
                threads::toString);

            alertSubscription = engine.aeron().addSubscription(
                engine.context().alertChannel(), engine.context().alertStreamId());
            final LongArrayList alertedOffsets = new LongArrayList();
            final AlertAdapter alerts = new AlertAdapter(alertSubscription,
                (alert) -> alertedOffsets.addLong(alert.triggeringOffset()));
            final Subscription subscription = alertSubscription;
            awaitCondition(subscription::isConnected, () -> "alert subscription connected");

            publisher = publisher(engine, 1, 0);
            sendPayment(publisher, THRESHOLD - 1);
            sendPayment(publisher, THRESHOLD);
            final EngineCounters counters = engine.counters();
            Await.await(TIMEOUT_MS, () -> counters.decided() == 2 && alertedOffsets.size() == 1,
                () -> describe(counters) + " alerts read=" + alertedOffsets, () -> alerts.poll(10));
            assertEquals(1, counters.alerts());
            assertEquals(1L, alertedOffsets.getLong(0), "the second event, at offset 1, alerts");
            assertEquals(4, counters.evaluated(), "each worker evaluates every event");
        }
        finally
        {
            CloseHelper.closeAll(alertSubscription, publisher, engine);
        }

        assertNoErrors(errors);
        assertFalse(Files.exists(aeronDir), "embedded driver directory removed");
        Await.awaitNoNewThreads(threadsBefore, 10_000);
    }

    @Test
    void theLowLatencySwitchIsAProfile()
    {
        final Engine.Context ctx = new Engine.Context();
        assertSame(Profile.COMPACT, ctx.profile(), "the default");
        assertSame(Profile.LOW_LATENCY, ctx.lowLatency(true).profile());
        assertSame(Profile.COMPACT, ctx.lowLatency(false).profile());
        assertSame(Profile.YIELDING, ctx.profile(Profile.YIELDING).profile());
        assertThrows(NullPointerException.class, () -> ctx.profile(null));
    }

    private static List<String> newThreadNames(final Set<Long> before)
    {
        final List<String> names = new ArrayList<>();
        for (final Thread t : Thread.getAllStackTraces().keySet())
        {
            if (t.isAlive() && !before.contains(t.getId()))
            {
                names.add(t.getName());
            }
        }
        return names;
    }

    private static Rule[] rules()
    {
        return new Rule[]{ new LargeAmountRule(THRESHOLD, Severity.HIGH) };
    }
}
