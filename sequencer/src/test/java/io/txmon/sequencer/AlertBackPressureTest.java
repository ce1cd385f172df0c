package io.txmon.sequencer;

import io.aeron.Subscription;
import io.txmon.events.codec.AlertDecoder;
import io.txmon.events.codec.MessageHeaderDecoder;
import io.txmon.events.codec.Severity;
import io.txmon.rules.Rule;
import io.txmon.rules.typology.LargeAmountRule;
import io.txmon.transport.TxmonPublisher;
import org.agrona.CloseHelper;
import org.agrona.collections.LongHashSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static io.txmon.sequencer.EngineTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Finding 12 of issue 12: in the compact profile the alert sink shares the rule workers' thread. An alert
 * subscriber that stops reading back-pressures the alert stream; the sink used to spin inside its handler there,
 * stalling rule evaluation at once. Now it keeps its place and returns, so the worker goes on evaluating until the
 * ring is full (the bound), and once the subscriber reads again every alert arrives exactly once, and is journaled
 * exactly once.
 */
class AlertBackPressureTest
{
    private static final int RING_SIZE = 8192;
    /** More than the ring and the default batch (1024) of the shared thread together. */
    private static final int EVENTS = 12_000;
    private static final String ALERT_CHANNEL = "aeron:ipc?term-length=64k";

    @TempDir
    Path tempDir;

    @Test
    void aStalledAlertSubscriberDoesNotStallRuleEvaluationAndNoAlertIsLostOrDuplicated() throws Exception
    {
        final Path alertJournalDir = tempDir.resolve("alerts");
        final EngineErrors errors = new EngineErrors();
        final Engine engine = Engine.launch(context(tempDir.resolve("aeron"), tempDir.resolve("journal"),
            (w) -> new Rule[]{ new LargeAmountRule(1_000, Severity.HIGH) })
            .ringSize(RING_SIZE)
            .alertChannel(ALERT_CHANNEL)
            .alertJournalDir(alertJournalDir)
            .errorHandler(errors));
        Subscription alerts = null;
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread producer = null;
        try
        {
            final EngineCounters counters = engine.counters();
            alerts = engine.aeron().addSubscription(ALERT_CHANNEL, engine.context().alertStreamId());
            final Subscription subscription = alerts;
            Await.await(TIMEOUT_MS, subscription::isConnected, () -> "alert subscriber connected", null);

            producer = new Thread(() ->
            {
                try (TxmonPublisher publisher = publisher(engine, 1, 0))
                {
                    for (int i = 0; i < EVENTS; i++)
                    {
                        sendPayment(publisher, 2_000_000L);
                    }
                }
                catch (final Throwable t)
                {
                    failure.set(t);
                }
            }, "alert-back-pressure-producer");
            producer.start();

            // the subscriber reads nothing: the alert stream fills within a few hundred alerts, and the worker
            // still evaluates until the ring is full
            Await.await(TIMEOUT_MS * 2, () -> counters.evaluated() - counters.decided() >= RING_SIZE / 2,
                () -> "rule evaluation went on while alerts were back-pressured: " + describe(counters), null);
            assertTrue(counters.decided() < EVENTS, "alerts are held back");
            assertEquals(EngineHealth.State.OK, engine.health().state(), engine.health().describe());

            final LongHashSet offsets = new LongHashSet();
            final long[] duplicates = new long[1];
            final MessageHeaderDecoder header = new MessageHeaderDecoder();
            final AlertDecoder alert = new AlertDecoder();
            Await.await(TIMEOUT_MS * 4, () -> offsets.size() == EVENTS || null != failure.get(),
                () -> "every alert received once: " + offsets.size() + "; " + describe(counters),
                () -> subscription.poll((buffer, offset, length, h) ->
                {
                    alert.wrapAndApplyHeader(buffer, offset, header);
                    if (!offsets.add(alert.triggeringOffset()))
                    {
                        duplicates[0]++;
                    }
                }, 256));
            assertNull(failure.get(), () -> "producer failed: " + failure.get());
            producer.join(TIMEOUT_MS);
            awaitCondition(() -> counters.decided() == EVENTS, () -> describe(counters));
            subscription.poll((buffer, offset, length, h) -> duplicates[0]++, 256);
            assertEquals(0, duplicates[0], "no alert published twice");
            assertEquals(EVENTS, counters.alerts());
            assertEquals(0, counters.alertsUnpublished());
            assertNoErrors(errors);
        }
        finally
        {
            if (null != producer)
            {
                failure.compareAndSet(null, new IllegalStateException("test ended"));
                producer.join(TIMEOUT_MS);
            }
            CloseHelper.closeAll(alerts, engine);
        }

        final List<AlertJournal.Entry> journaled = AlertJournal.read(alertJournalDir);
        assertEquals(EVENTS, journaled.size(), "each alert journaled once, retries included");
        final LongHashSet offsets = new LongHashSet();
        for (final AlertJournal.Entry entry : journaled)
        {
            assertTrue(offsets.add(entry.triggeringOffset()), () -> "journaled twice: " + entry);
        }
    }
}
