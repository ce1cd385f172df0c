package io.txmon.sequencer;

import io.txmon.events.RejectReason;
import io.txmon.events.codec.ConfigAction;
import io.txmon.events.codec.ConfigChangeDecoder;
import io.txmon.events.codec.PaymentDecoder;
import io.txmon.rules.config.Money;
import io.txmon.rules.config.RuleSettings;
import io.txmon.rules.config.RuleType;
import io.txmon.rules.typology.LargeAmountRule;
import io.txmon.transport.TxmonPublisher;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import static io.txmon.sequencer.EngineTestSupport.*;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Rule configuration in a running engine: the settings it starts with are journaled as its own
 * {@code ConfigChange} events, changes that arrive take effect at their offset, refused ones are rejected with
 * the key named and spend their sequence, and a restart neither re-journals settings nor re-emits alerts.
 */
class RuleConfigurationTest
{
    private static final long PRODUCER = 5;
    private static final int USD = 840;

    @TempDir
    Path tempDir;

    /** Only the large-amount rule, at a threshold of 5,000.00, so every alert is one this test plants. */
    private static RuleSettings largeAmountOnly(final long threshold)
    {
        final Map<String, String> keys = new HashMap<>();
        for (final RuleType<?> type : RuleSettings.defaults().catalog())
        {
            if (type.id() != LargeAmountRule.ID)
            {
                keys.put("rules." + type.name() + ".enabled", "false");
            }
        }
        keys.put("rules.large-amount.threshold", Long.toString(threshold));
        return RuleSettings.defaults().with(keys);
    }

    private Engine launch(final RuleSettings settings, final int run, final RejectListener listener)
    {
        return Engine.launch(new Engine.Context()
            .aeronDirectoryName(tempDir.resolve("aeron-" + run).toString())
            .journalDir(tempDir.resolve("journal"))
            .alertJournalDir(tempDir.resolve("alerts"))
            .segmentLength(4 * 1024 * 1024)
            .ruleSettings(settings)
            .rejectListener(listener)
            .errorHandler(new EngineErrors()));
    }

    @Test
    void settingsAreJournaledChangesTakeEffectAtTheirOffsetAndRestartRepeatsNothing()
    {
        final RuleSettings settings = largeAmountOnly(500_000);
        final int engineChanges = RuleSettings.defaults().changesTo(settings).size();
        final List<String> refusals = new CopyOnWriteArrayList<>();
        final RejectListener listener = new RejectListener()
        {
            public void onReject(final RejectReason reason, final DirectBuffer buffer, final int offset, final int length)
            {
            }

            public void onJournalFailure(final long status, final Exception cause)
            {
            }

            public void onConfigChangeRefused(final String problem)
            {
                refusals.add(problem);
            }
        };

        Engine engine = launch(settings, 1, listener);
        TxmonPublisher publisher = null;
        try
        {
            assertEquals(0, engine.recoveredRecords());
            publisher = publisher(engine, PRODUCER, 0);
            sendPayment(publisher, 600_000);                      // alerts: at or above 500,000
            assertTrue(publisher.sendConfigChange(EVENT_TIME_BASE, LargeAmountRule.ID, ConfigAction.SET_PARAMETER,
                "threshold", "700000") > 0);
            sendPayment(publisher, 600_000);                      // silent: below the new threshold
            sendPayment(publisher, 800_000);                      // alerts
            assertTrue(publisher.sendConfigChange(EVENT_TIME_BASE, LargeAmountRule.ID, ConfigAction.SET_PARAMETER,
                "no-such-key", "1") > 0);                         // refused, its sequence spent
            sendPayment(publisher, 900_000);                      // alerts: no gap after the refusal
            final EngineCounters counters = engine.counters();
            final long expected = engineChanges + 5;
            // the engine's own changes were applied before it started, not through the ring
            awaitCondition(() -> counters.journaled() == expected && counters.decided() == 5,
                () -> describe(counters));
            assertEquals(1, counters.rejected(RejectReason.CONFIG_CHANGE_REFUSED));
            assertEquals(0, counters.sequenceGaps());
            assertEquals(1, refusals.size());
            assertTrue(refusals.get(0).startsWith("rules.large-amount.no-such-key: large-amount has no parameter"),
                refusals.get(0));
        }
        finally
        {
            CloseHelper.closeAll(publisher, engine);
        }

        final List<JournalRecord> journal = readJournal(tempDir.resolve("journal"));
        for (int i = 0; i < engineChanges; i++)
        {
            assertEquals(ConfigChangeDecoder.TEMPLATE_ID, journal.get(i).templateId, journal.get(i).toString());
            assertEquals(SequencerAgent.ENGINE_PRODUCER_ID, journal.get(i).producerId);
            assertEquals(SequencerAgent.ENGINE_PRODUCER_SEQ, journal.get(i).producerSeq);
        }
        final List<String> templates = journal.stream().skip(engineChanges)
            .map((r) -> r.templateId == PaymentDecoder.TEMPLATE_ID ? "payment " + r.amount : "config")
            .collect(Collectors.toList());
        assertEquals(List.of("payment 600000", "config", "payment 600000", "payment 800000", "payment 900000"),
            templates);
        final long first = engineChanges;
        assertEquals(List.of(first, first + 3, first + 4), triggeringOffsets());

        // same settings again: nothing journaled, nothing re-emitted, and the change in the journal still holds
        engine = launch(settings, 2, RejectListener.NO_OP);
        try
        {
            assertEquals(journal.size(), engine.recoveredRecords());
            assertEquals(0, engine.restoredAlerts());
            publisher = publisher(engine, PRODUCER, 6);
            sendPayment(publisher, 600_000);                      // silent: the journal's 700,000 holds
            sendPayment(publisher, 750_000);                      // alerts
            final EngineCounters counters = engine.counters();
            awaitCondition(() -> counters.journaled() == 2 && counters.decided() == 2, () -> describe(counters));
        }
        finally
        {
            CloseHelper.closeAll(publisher, engine);
        }
        final long restartFirst = journal.size();
        assertEquals(List.of(first, first + 3, first + 4, restartFirst + 1), triggeringOffsets());
        assertEquals(journal.size() + 2, readJournal(tempDir.resolve("journal")).size());

        // other settings: exactly the difference is journaled, at the restart's first offsets
        engine = launch(largeAmountOnly(650_000), 3, RejectListener.NO_OP);
        try
        {
            assertEquals(1, engine.counters().journaled());
            publisher = publisher(engine, PRODUCER, 8);
            sendPayment(publisher, 660_000);                      // alerts at 650,000
            final EngineCounters counters = engine.counters();
            awaitCondition(() -> counters.journaled() == 2 && counters.decided() == 1, () -> describe(counters));
        }
        finally
        {
            CloseHelper.closeAll(publisher, engine);
        }
        final List<JournalRecord> after = readJournal(tempDir.resolve("journal"));
        assertEquals(ConfigChangeDecoder.TEMPLATE_ID, after.get(after.size() - 2).templateId);
        assertEquals(List.of(first, first + 3, first + 4, restartFirst + 1, (long)after.size() - 1), triggeringOffsets());
    }

    @Test
    void aRateChangeTakesEffectAtItsOffsetAndARestartConvertsAsTheLiveEngineDid()
    {
        // 10,000.00 USD is 9,200.00 EUR at the built-in rate: under a threshold of 9,500.00 EUR until USD is 1.00
        final RuleSettings settings = largeAmountOnly(950_000);
        final int engineChanges = RuleSettings.defaults().changesTo(settings).size();
        Engine engine = launch(settings, 1, RejectListener.NO_OP);
        TxmonPublisher publisher = null;
        try
        {
            publisher = publisher(engine, PRODUCER, 0);
            sendPayment(publisher, 1_000_000, USD);               // silent: 9,200.00 EUR
            sendPayment(publisher, 1_000_000);                    // alerts: 10,000.00 EUR
            assertTrue(publisher.sendConfigChange(EVENT_TIME_BASE, Money.CONFIG_ID, ConfigAction.LIST_ADD,
                "rates", "USD:1.00") > 0);
            sendPayment(publisher, 1_000_000, USD);               // alerts: 10,000.00 EUR now
            final EngineCounters counters = engine.counters();
            awaitCondition(() -> counters.journaled() == engineChanges + 4 && counters.decided() == 4,
                () -> describe(counters));
        }
        finally
        {
            CloseHelper.closeAll(publisher, engine);
        }
        final long first = engineChanges;
        assertEquals(List.of(first + 1, first + 3), triggeringOffsets());
        // the alert's bytes hold its reason as UTF-8 text
        final String alert = new String(AlertJournal.read(tempDir.resolve("alerts")).get(1).bytes(), UTF_8);
        assertTrue(alert.contains("of 10000.00 USD (10000.00 EUR)"), alert);

        // the same settings again: the journal's rate holds, and nothing is re-journaled or re-emitted
        engine = launch(settings, 2, RejectListener.NO_OP);
        try
        {
            assertEquals(0, engine.restoredAlerts());
            publisher = publisher(engine, PRODUCER, 4);
            sendPayment(publisher, 960_000, USD);                 // alerts: 9,600.00 EUR at the journal's rate
            final EngineCounters counters = engine.counters();
            awaitCondition(() -> counters.journaled() == 1 && counters.decided() == 1, () -> describe(counters));
        }
        finally
        {
            CloseHelper.closeAll(publisher, engine);
        }
        assertEquals(List.of(first + 1, first + 3, first + 4), triggeringOffsets());
    }

    @Test
    void restartEmitsTheAlertsACrashLeftUnemittedAndNoOthers()
    {
        final RuleSettings settings = largeAmountOnly(500_000);
        Engine engine = launch(settings, 1, RejectListener.NO_OP);
        TxmonPublisher publisher = null;
        try
        {
            publisher = publisher(engine, PRODUCER, 0);
            for (int i = 0; i < 40; i++)
            {
                sendPayment(publisher, i % 4 == 0 ? 600_000 : 1_000);
            }
            final EngineCounters counters = engine.counters();
            awaitCondition(() -> counters.decided() == 40 && counters.alerts() == 10, () -> describe(counters));
        }
        finally
        {
            CloseHelper.closeAll(publisher, engine);
        }
        final List<AlertJournal.Entry> complete = AlertJournal.read(tempDir.resolve("alerts"));
        assertEquals(10, complete.size());

        // the crash: events journaled, the alerts of the last six never written
        final Path alerts = tempDir.resolve("alerts");
        org.agrona.IoUtil.delete(alerts.toFile(), false);
        AlertJournal.writePrefix(complete, 4, alerts);

        engine = launch(settings, 2, RejectListener.NO_OP);
        try
        {
            assertEquals(6, engine.restoredAlerts());
        }
        finally
        {
            CloseHelper.closeAll(engine);
        }
        final List<AlertJournal.Entry> restored = AlertJournal.read(alerts);
        assertEquals(AlertJournal.sha256(complete), AlertJournal.sha256(restored),
            "the same alerts, byte for byte, each once");
    }

    private List<Long> triggeringOffsets()
    {
        return AlertJournal.read(tempDir.resolve("alerts")).stream()
            .map(AlertJournal.Entry::triggeringOffset).collect(Collectors.toList());
    }
}
