package io.txmon.sequencer;

import io.aeron.ExclusivePublication;
import io.txmon.events.codec.AlertDecoder;
import io.txmon.events.codec.MessageHeaderDecoder;
import io.txmon.journal.JournalReader;
import io.txmon.rules.Rule;
import io.txmon.rules.RuleReplay;
import io.txmon.rules.TxEvent;
import io.txmon.rules.config.RuleSet;
import io.txmon.rules.config.RuleSettings;
import io.txmon.scenario.ScenarioGenerator;
import io.txmon.rules.typology.LargeAmountRule;
import org.agrona.CloseHelper;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntFunction;

import static io.txmon.sequencer.EngineTestSupport.awaitCondition;
import static io.txmon.sequencer.EngineTestSupport.offer;
import static io.txmon.sequencer.EngineTestSupport.rawPublication;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Finding 13 of issue 12: a journal carries the whole effective configuration, whichever way the engine was
 * given its rules, so a replay of the journal alone, with no configuration, raises exactly the alerts the live
 * engine raised. {@code txmon demo} ran only the large-amount rule and raised 4,068 alerts; a replay of its
 * journal ran every typology and raised 693,910.
 */
class JournaledConfigurationTest
{
    private static final int EVENTS = 30_000;
    private static final long SEED = 13;

    @TempDir
    Path dir;

    @Test
    void aDemoLikeEngineWithOnlyTheLargeAmountRuleReplaysToTheSameAlerts()
    {
        final RuleSettings onlyLargeAmount = RuleSettings.only(LargeAmountRule.NAME).with(
            Map.of(RuleSettings.PREFIX + LargeAmountRule.NAME + ".threshold", "300000"));
        final Map<Long, Integer> live = runAndReadAlerts(ctx("demo").ruleSettings(onlyLargeAmount));
        assertTrue(live.size() > 10, () -> "the scenario raises large-amount alerts: " + live.size());
        assertTrue(live.values().stream().allMatch((ruleId) -> ruleId == LargeAmountRule.ID), live::toString);

        assertEquals(live, replayWithNoConfiguration(dir.resolve("demo-journal")));
    }

    @Test
    void aBenchLikeEngineGivenRuleInstancesJournalsThemAsSettingsAndReplaysToTheSameAlerts()
    {
        final ScenarioGenerator generator = new ScenarioGenerator(SEED);
        // txmon bench --rules 5: the first five typologies of the scenario's rule set, as instances
        final IntFunction<Rule[]> firstFive = (worker) -> Arrays.copyOf(generator.newRules(), 5);
        final Map<Long, Integer> live = runAndReadAlerts(ctx("bench").rulesFactory(firstFive));
        assertTrue(live.size() > 10, () -> "the scenario raises alerts of the first five rules: " + live.size());
        assertTrue(live.values().stream().allMatch((ruleId) -> ruleId <= 5), live::toString);

        assertEquals(live, replayWithNoConfiguration(dir.resolve("bench-journal")));
    }

    @Test
    void ruleInstancesOutsideTheCatalogueAreRefusedUnlessTheTestSaysItsJournalIsNotReplayable()
    {
        final Rule custom = new Rule()
        {
            public int id()
            {
                return 99;
            }

            public int version()
            {
                return 1;
            }

            public String name()
            {
                return "my-own";
            }

            public void onEvent(final TxEvent event, final io.txmon.rules.RuleContext context)
            {
            }
        };
        final IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
            () -> Engine.launch(ctx("custom").rulesFactory((w) -> new Rule[]{ custom })));
        assertTrue(refused.getMessage().contains("give ruleSettings"), refused.getMessage());
    }

    @Test
    void settingsMadeFromRuleInstancesMakeTheSameRules()
    {
        final ScenarioGenerator generator = new ScenarioGenerator(SEED);
        final Rule[] rules = generator.newRules();
        final RuleSettings settings = RuleSettings.of(rules);
        final Rule[] made = settings.newRules();
        assertEquals(rules.length, made.length);
        for (int i = 0; i < rules.length; i++)
        {
            assertEquals(rules[i].getClass(), made[i].getClass());
            assertEquals(rules[i].id(), made[i].id());
        }
        assertEquals(settings, RuleSettings.of(made));
        assertEquals(List.of(), settings.changesTo(RuleSettings.of(made)));
    }

    private Engine.Context ctx(final String name)
    {
        return new Engine.Context()
            .aeronDirectoryName(dir.resolve(name + "-aeron").toString())
            .journalDir(dir.resolve(name + "-journal"))
            .alertJournalDir(dir.resolve(name + "-alerts"))
            .segmentLength(16 * 1024 * 1024)
            .maxEventTimeAheadNs(Long.MAX_VALUE);
    }

    /**
     * Run the scenario's events through an engine, then read its alert journal.
     *
     * @return rule id by alert id, as the live engine journaled them.
     */
    private Map<Long, Integer> runAndReadAlerts(final Engine.Context ctx)
    {
        final Path alertJournal = ctx.alertJournalDir();
        final Engine engine = Engine.launch(ctx);
        ExclusivePublication raw = null;
        try
        {
            final EngineCounters counters = engine.counters();
            // the configuration changes the engine journaled at start
            final long journaledAtStart = counters.journaled();
            assertEquals(0, counters.decided(), "the configuration records are applied at start, not on the ring");
            raw = rawPublication(engine);
            final ExclusivePublication publication = raw;
            final UnsafeBuffer copy = new UnsafeBuffer(new byte[4096]);
            new ScenarioGenerator(SEED).generate(EVENTS, (buffer, offset, length) ->
            {
                copy.putBytes(0, buffer, offset, length);
                offer(publication, copy, 0, length);
            });
            awaitCondition(() -> counters.received() == EVENTS &&
                counters.decided() == counters.journaled() - journaledAtStart,
                () -> "all events decided: received " + counters.received() + " decided " + counters.decided() +
                    " rejected " + counters.rejected());
            assertEquals(0, counters.rejected(), "the scenario is valid");
            assertEquals(0, counters.ruleErrors());
        }
        finally
        {
            CloseHelper.closeAll(raw, engine);
        }

        final Map<Long, Integer> alerts = new TreeMap<>();
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        final AlertDecoder alert = new AlertDecoder();
        try (JournalReader reader = JournalReader.open(alertJournal))
        {
            while (reader.poll((offset, timestamp, templateId, buffer, at, length) ->
            {
                alert.wrapAndApplyHeader(buffer, at, header);
                alerts.put(alert.alertId(), alert.ruleId());
            }, 4096) > 0)
            {
                // read to the end
            }
        }
        return alerts;
    }

    /**
     * What {@code txmon replay --journal DIR} does: the defaults, then the journal's own configuration changes.
     *
     * @return rule id by alert id.
     */
    private static Map<Long, Integer> replayWithNoConfiguration(final Path journal)
    {
        final List<String> errors = new ArrayList<>();
        final RuleReplay replay = new RuleReplay(1, (w) -> RuleSet.of(RuleSettings.defaults()),
            (rule, offset, error) -> errors.add(offset + ": " + error), 32);
        final Map<Long, Integer> alerts = new TreeMap<>();
        try (JournalReader reader = JournalReader.open(journal))
        {
            while (reader.poll((offset, timestamp, templateId, buffer, at, length) ->
            {
                final TxEvent event = replay.evaluate(offset, timestamp, buffer, at, true);
                if (null != event)
                {
                    for (int i = 0; i < event.alerts(0).count(); i++)
                    {
                        alerts.put(event.alerts(0).get(i).alertId(), event.alerts(0).get(i).ruleId());
                    }
                }
            }, 4096) > 0)
            {
                // read to the end
            }
        }
        assertEquals(List.of(), errors);
        return alerts;
    }
}
