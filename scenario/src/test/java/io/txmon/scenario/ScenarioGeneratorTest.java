package io.txmon.scenario;

import io.txmon.events.EventEnvelope;
import io.txmon.events.MessageValidator;
import io.txmon.events.RejectReason;
import io.txmon.events.codec.MessageHeaderDecoder;
import io.txmon.rules.AlertBuffer;
import io.txmon.rules.AlertRecord;
import io.txmon.rules.Rule;
import io.txmon.rules.RuleErrorHandler;
import io.txmon.rules.RuleWorker;
import io.txmon.rules.TxEvent;
import io.txmon.rules.TxEventDecoder;
import io.txmon.rules.config.RuleType;
import io.txmon.rules.typology.Typologies;
import io.txmon.rules.typology.WatchListRule;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The scenario generator: well-formed, dense and ordered messages, byte-identical for a seed, and every planted
 * case raising its alert through the real rule set with one worker and with two.
 */
class ScenarioGeneratorTest
{
    private static final long SEED = 20_250_106L;
    /** Long enough for one planted case of every typology. */
    private static final int SHORT = 60_000;
    private static final int LONG = 200_000;
    /**
     * Population of the rule run. The default rule set keeps up to ~12 KB per busy account (rules/RULES.md,
     * state memory per tracked account; it grows with the account's activity), so the default 50,000 accounts
     * could need some 600 MB of rule state, more than a 1 GB test heap holds beside the rest.
     */
    private static final int RULE_RUN_ACCOUNTS = 20_000;
    private static final int RULES = Typologies.catalog().size();
    private static final int ALERTS_PER_WORKER = 32;

    @Test
    void everyMessageIsValidWithDenseSequencesAndEventTimesThatNeverGoBack()
    {
        final ScenarioGenerator generator = new ScenarioGenerator(SEED);
        final MessageValidator validator = new MessageValidator();
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        final TxEventDecoder decoder = new TxEventDecoder();
        final TxEvent event = new TxEvent(1, 1);
        final long[] count = { 0 };
        final long[] lastTime = { Long.MIN_VALUE };
        final long[] templates = new long[8];

        generator.generate(SHORT, (buffer, offset, length) ->
        {
            final long index = count[0]++;
            assertEquals(RejectReason.NONE, validator.validate(buffer, offset, length), "message " + index);
            assertEquals(index, EventEnvelope.producerSeq(buffer, offset), "producer sequence of message " + index);
            assertEquals(generator.options().producerId(), EventEnvelope.producerId(buffer, offset));
            final long time = EventEnvelope.eventTime(buffer, offset);
            assertTrue(time >= lastTime[0], "event time goes back at message " + index);
            lastTime[0] = time;
            templates[header.wrap(buffer, offset).templateId()]++;

            event.reset();
            assertTrue(decoder.decode(buffer, offset, event), "an ingest template at " + index);
        });

        assertEquals(SHORT, count[0]);
        assertTrue(lastTime[0] - generator.options().startEventTime() >= 250 * Times.DAY,
            "a short stream still spans the dormancy period and more");
        for (int templateId = 1; templateId <= 4; templateId++)
        {
            assertTrue(templates[templateId] > 0, "template " + templateId + " in the background");
        }
        assertTrue(templates[1] > SHORT / 2, "mostly payments");

        final List<Planted> planted = generator.planted();
        assertPlantedWellFormed(planted, SHORT);
        assertEquals(RULES * ScenarioGenerator.instancesPerTypology(SHORT), planted.size());
        assertEveryRulePlanted(planted);
        assertTriggersNamePlantedAccounts(generator, planted, SHORT);
    }

    @Test
    void theSameSeedGivesTheSameBytesAndAnotherSeedOtherBytes() throws Exception
    {
        final ScenarioGenerator first = new ScenarioGenerator(SEED);
        final ScenarioGenerator second = new ScenarioGenerator(SEED);
        final byte[] a = digest(first, SHORT);
        final byte[] b = digest(second, SHORT);
        assertArrayEquals(a, b, "same seed, same stream");
        assertEquals(first.planted(), second.planted());

        final List<Planted> before = new ArrayList<>(first.planted());
        assertArrayEquals(a, digest(first, SHORT), "generating again from the same instance starts over");
        assertEquals(before, first.planted());

        final ScenarioGenerator other = new ScenarioGenerator(SEED + 1);
        assertFalse(java.util.Arrays.equals(a, digest(other, SHORT)), "another seed, another stream");
        assertNotEquals(before, other.planted());
    }

    @Test
    void everyPlantedCaseRaisesItsAlertWithOneWorkerAndWithTwo()
    {
        final ScenarioGenerator generator = new ScenarioGenerator(
            SEED, ScenarioGenerator.Options.defaults().withAccounts(RULE_RUN_ACCOUNTS));
        // one configuration at a time: the rules' per-account state is the bulk of the heap
        final Run one = Run.over(generator, 1);
        final List<Planted> planted = List.copyOf(generator.planted());
        final Run two = Run.over(generator, 2);
        assertEquals(planted, generator.planted());
        assertPlantedWellFormed(planted, LONG);
        assertEveryRulePlanted(planted);
        assertEquals(RULES * ScenarioGenerator.instancesPerTypology(LONG), planted.size(),
            "every planted case completes within the stream");

        final List<String> missed = new ArrayList<>();
        for (final Planted p : planted)
        {
            final Raised expected = new Raised(p.ruleId(), p.account(), p.index());
            if (!one.raisedSet.contains(expected))
            {
                missed.add("1 worker: " + p);
            }
            if (!two.raisedSet.contains(expected))
            {
                missed.add("2 workers: " + p);
            }
        }

        printCounts(generator, planted, one);
        assertEquals(List.of(), missed, "planted cases without their alert");
        assertEquals(0, one.overflows + two.overflows, "no alert buffer overflowed");
        assertEquals(one.sorted(), two.sorted(), "the same alerts with one worker and with two");
    }

    /**
     * What {@code txmon bench} does with several producers: their streams, interleaved in event-time order into
     * one rule set, still alert every planted case of each, because each producer plants on its own accounts.
     */
    @Test
    void streamsOfTwoProducersInterleavedStillAlertEveryPlantedCase()
    {
        final int perProducer = SHORT;
        final List<byte[]> merged = new ArrayList<>(2 * perProducer);
        final List<Planted> planted = new ArrayList<>();
        ScenarioGenerator any = null;
        final List<List<byte[]>> streams = new ArrayList<>();
        for (int producer = 1; producer <= 2; producer++)
        {
            final ScenarioGenerator generator = new ScenarioGenerator(SEED + producer,
                ScenarioGenerator.Options.defaults().withAccounts(RULE_RUN_ACCOUNTS).withProducerId(producer));
            final List<byte[]> stream = new ArrayList<>(perProducer);
            generator.generate(perProducer, (buffer, offset, length) ->
            {
                final byte[] copy = new byte[length];
                buffer.getBytes(offset, copy);
                stream.add(copy);
            });
            planted.addAll(generator.planted());
            streams.add(stream);
            any = generator;
        }
        // merge by event time, as two producers sending at the same pace arrive
        int a = 0;
        int b = 0;
        final List<byte[]> first = streams.get(0);
        final List<byte[]> second = streams.get(1);
        while (a < first.size() || b < second.size())
        {
            final boolean takeFirst = b == second.size() ||
                (a < first.size() && eventTime(first.get(a)) <= eventTime(second.get(b)));
            merged.add(takeFirst ? first.get(a++) : second.get(b++));
        }

        final Run run = new Run(any, 1);
        final TxEventDecoder decoder = new TxEventDecoder();
        final Set<List<Long>> raised = new HashSet<>();
        final Map<Long, Long> eventTimeAt = new HashMap<>();
        for (int i = 0; i < merged.size(); i++)
        {
            final UnsafeBuffer message = new UnsafeBuffer(merged.get(i));
            run.evaluate(decoder, message, 0, i);
            eventTimeAt.put((long)i, EventEnvelope.eventTime(message, 0));
        }
        for (final Raised r : run.raised)
        {
            raised.add(List.of((long)r.ruleId(), r.account(), eventTimeAt.get(r.offset())));
        }

        assertEquals(2 * RULES * ScenarioGenerator.instancesPerTypology(perProducer), planted.size());
        final List<Planted> missed = new ArrayList<>();
        for (final Planted p : planted)
        {
            if (!raised.contains(List.of((long)p.ruleId(), p.account(), p.eventTime())))
            {
                missed.add(p);
            }
        }
        assertEquals(List.of(), missed, "planted cases without their alert when two producers interleave");
    }

    /**
     * What {@code txmon bench --connect} does run after run against one engine: a second stream, from a producer in
     * the same slot of the next round (id 65 after id 1), follows the first through the same rule state, starting
     * again at the same event time, and every planted case of it still alerts: it plants on accounts, parties and
     * orders the first never touched (with the same accounts, the history, dormancy and new-payee cases miss).
     */
    @Test
    void aStreamOfTheNextRoundAfterAnotherThroughTheSameRulesStillAlertsEveryPlantedCase()
    {
        final Run run = new Run(new ScenarioGenerator(SEED), 1);
        final TxEventDecoder decoder = new TxEventDecoder();
        final long[] index = {0};
        final List<Planted> first = new ArrayList<>();
        final Map<Long, Long> eventTimeAt = new HashMap<>();
        for (final long producer : new long[] {1, 1 + ScenarioGenerator.PRODUCER_SLOTS})
        {
            final ScenarioGenerator generator = new ScenarioGenerator(SEED,
                ScenarioGenerator.Options.defaults().withAccounts(RULE_RUN_ACCOUNTS).withProducerId(producer));
            generator.generate(SHORT, (buffer, offset, length) ->
            {
                eventTimeAt.put(index[0], EventEnvelope.eventTime(buffer, offset));
                run.evaluate(decoder, buffer, offset, index[0]++);
            });
            if (first.isEmpty())
            {
                first.addAll(generator.planted());
                continue;
            }
            final Set<Long> firstAccounts = new HashSet<>();
            first.forEach((p) -> firstAccounts.add(p.account()));
            final Set<List<Long>> raised = new HashSet<>();
            for (final Raised r : run.raised)
            {
                raised.add(List.of((long)r.ruleId(), r.account(), eventTimeAt.get(r.offset())));
            }
            final List<Planted> missed = new ArrayList<>();
            for (final Planted p : generator.planted())
            {
                if (firstAccounts.contains(p.account()) && p.ruleId() != WatchListRule.ID)
                {
                    missed.add(p);
                }
                if (!raised.contains(List.of((long)p.ruleId(), p.account(), p.eventTime())))
                {
                    missed.add(p);
                }
            }
            assertEquals(RULES * ScenarioGenerator.instancesPerTypology(SHORT), generator.planted().size());
            assertEquals(List.of(), missed, "cases of the second stream on the first's accounts, or not alerted");
        }
    }

    /**
     * What {@code txmon demo} does to show several cases of every typology in a short run: one case of each per
     * {@value ScenarioGenerator#MIN_EVENTS_TO_PLANT} events, the densest plan, and every case still alerts, as the
     * matcher the demo and the bench use sees it.
     */
    @Test
    void theDensestPlanStillAlertsEveryPlantedCase()
    {
        final int density = ScenarioGenerator.MIN_EVENTS_TO_PLANT;
        final ScenarioGenerator generator = new ScenarioGenerator(SEED, ScenarioGenerator.Options.defaults()
            .withAccounts(RULE_RUN_ACCOUNTS).withEventsPerInstance(density));
        final Run run = new Run(generator, 1);
        final TxEventDecoder decoder = new TxEventDecoder();
        final long[] index = { 0 };
        final Map<Long, Long> eventTimeAt = new HashMap<>();
        generator.generate(SHORT, (buffer, offset, length) ->
        {
            eventTimeAt.put(index[0], EventEnvelope.eventTime(buffer, offset));
            run.evaluate(decoder, buffer, offset, index[0]++);
        });

        final List<Planted> planted = List.copyOf(generator.planted());
        assertEquals(SHORT / density, ScenarioGenerator.instancesPerTypology(SHORT, density));
        assertEquals(RULES * (SHORT / density), planted.size(), "every planted case completes within the stream");
        assertEveryRulePlanted(planted);
        final PlantedMatcher matcher = new PlantedMatcher();
        for (final Raised r : run.raised)
        {
            matcher.onAlert(r.ruleId(), r.account(), eventTimeAt.get(r.offset()));
        }
        assertEquals(run.raised.size(), matcher.alerts());
        assertEquals(List.of(), matcher.missed(planted), "planted cases without their alert in the densest plan");
    }

    private static long eventTime(final byte[] message)
    {
        return EventEnvelope.eventTime(new UnsafeBuffer(message), 0);
    }

    @Test
    void shortStreamsAreBackgroundOnlyAndExactlyAsLongAsAsked()
    {
        final ScenarioGenerator generator = new ScenarioGenerator(7);
        final MessageValidator validator = new MessageValidator();
        final long[] count = { 0 };
        generator.generate(1_000, (buffer, offset, length) ->
        {
            assertEquals(RejectReason.NONE, validator.validate(buffer, offset, length));
            count[0]++;
        });
        assertEquals(1_000, count[0]);
        assertEquals(List.of(), generator.planted());

        generator.generate(0, (buffer, offset, length) -> fail("no message expected"));

        assertEquals(0, ScenarioGenerator.instancesPerTypology(ScenarioGenerator.MIN_EVENTS_TO_PLANT - 1));
        assertEquals(1, ScenarioGenerator.instancesPerTypology(ScenarioGenerator.MIN_EVENTS_TO_PLANT));
        assertEquals(1, ScenarioGenerator.instancesPerTypology(50_000));
        assertEquals(4, ScenarioGenerator.instancesPerTypology(LONG));
        assertEquals(20, ScenarioGenerator.instancesPerTypology(1_000_000));
        assertEquals(ScenarioGenerator.MAX_INSTANCES, ScenarioGenerator.instancesPerTypology(Integer.MAX_VALUE));
        assertEquals(0, ScenarioGenerator.instancesPerTypology(ScenarioGenerator.MIN_EVENTS_TO_PLANT - 1, 5_000));
        assertEquals(1, ScenarioGenerator.instancesPerTypology(9_999, 5_000));
        assertEquals(8, ScenarioGenerator.instancesPerTypology(LONG, 25_000));
        assertEquals(ScenarioGenerator.MAX_INSTANCES, ScenarioGenerator.instancesPerTypology(10_000_000, 5_000));
        assertTrue(generator.meanGapNanos(1_000_000) * 1_000_000 >= 180 * Times.DAY);
    }

    @Test
    void optionsAreValidatedAndTheConfigurationIsExposed()
    {
        final ScenarioGenerator.Options defaults = ScenarioGenerator.Options.defaults();
        assertThrows(IllegalArgumentException.class, () -> defaults.withAccounts(10));
        assertThrows(IllegalArgumentException.class, () -> defaults.withStartEventTime(-1));
        assertThrows(IllegalArgumentException.class, () -> defaults.withMeanGapNanos(0));
        assertThrows(IllegalArgumentException.class, () -> defaults.withMinimumSpanNanos(30 * Times.DAY));
        assertThrows(IllegalArgumentException.class,
            () -> defaults.withEventsPerInstance(ScenarioGenerator.MIN_EVENTS_TO_PLANT - 1));
        assertEquals(ScenarioGenerator.EVENTS_PER_INSTANCE, defaults.eventsPerInstance());
        assertThrows(IllegalArgumentException.class, () -> new ScenarioGenerator(1).generate(-1, (b, o, l) -> { }));

        final ScenarioGenerator generator = new ScenarioGenerator(1, defaults.withProducerId(42).withAccounts(5_000));
        assertEquals(42, generator.options().producerId());
        assertEquals(5_000, generator.options().accounts());
        assertEquals(1_000_000L, generator.largeAmountThreshold());
        assertTrue(generator.watchedAccounts().length > 0, "the watch-list rule needs a list");
        for (final long account : generator.watchedAccounts())
        {
            assertTrue(ScenarioGenerator.isPlantedAccount(account));
        }
        final Rule[] rules = generator.newRules();
        assertEquals(RULES, rules.length);
        for (int i = 0; i < rules.length; i++)
        {
            assertEquals(i + 1, rules[i].id());
        }
    }

    /**
     * The scripts follow the catalogue: one per typology, in its order; a typology without one is named.
     */
    @Test
    void plantScriptsFollowTheCatalogue()
    {
        final List<Integer> catalogue = new ArrayList<>();
        for (final RuleType<?> type : Typologies.catalog())
        {
            catalogue.add(type.id());
        }
        assertEquals(catalogue, PlantScripts.ALL.stream().map(PlantScript::ruleId).toList());

        final List<PlantScript> withoutCycle = new ArrayList<>(PlantScripts.ALL);
        withoutCycle.removeIf(script -> script instanceof CyclePlant);
        final IllegalStateException missing =
            assertThrows(IllegalStateException.class, () -> PlantScripts.inCatalogueOrder(withoutCycle));
        assertEquals("typology cycle (id 18) has no plant script in PlantScripts.ALL", missing.getMessage());

        final List<PlantScript> twice = new ArrayList<>(PlantScripts.ALL);
        twice.add(new CyclePlant());
        assertThrows(IllegalStateException.class, () -> PlantScripts.inCatalogueOrder(twice));
    }

    /**
     * One plant script per typology, in rule id order (the order is part of every seeded stream), each planting the
     * typology it names: a case whose trigger names its own rule and one of the plan's fresh accounts.
     */
    @Test
    void everyTypologyHasOnePlantScriptInRuleIdOrder()
    {
        assertEquals(RULES, PlantScripts.ALL.size());
        for (int i = 0; i < PlantScripts.ALL.size(); i++)
        {
            final PlantScript script = PlantScripts.ALL.get(i);
            assertEquals(i + 1, script.ruleId(), script.getClass().getSimpleName());

            final ScenarioPlan plan = new ScenarioPlan(3, new BackgroundTraffic(3, 1_000, 0), 0, 0);
            final long start = ScenarioGenerator.Options.DEFAULT_START_EVENT_TIME;
            script.plant(plan, start, 0);
            // a span of 0 leaves no room for cases of its own: build only sorts and returns the one planted above
            final ScenarioEvent[] events = plan.build(1, start, 0);
            int triggers = 0;
            for (final ScenarioEvent event : events)
            {
                assertTrue(event.time >= start && event.time - start <= script.duration(),
                    script.getClass().getSimpleName() + " lasts at most its duration");
                if (0 != event.ruleId)
                {
                    triggers++;
                    assertEquals(script.ruleId(), event.ruleId, script.getClass().getSimpleName());
                    assertTrue(ScenarioGenerator.isPlantedAccount(event.alertAccount));
                }
            }
            assertEquals(1, triggers, script.getClass().getSimpleName() + " plants one alert");
        }
    }

    private static void assertPlantedWellFormed(final List<Planted> planted, final int eventCount)
    {
        long previous = -1;
        for (final Planted p : planted)
        {
            assertTrue(p.index() > previous && p.index() < eventCount, "in stream order: " + p);
            assertTrue(p.ruleId() >= 1 && p.ruleId() <= RULES, p.toString());
            assertTrue(ScenarioGenerator.isPlantedAccount(p.account()), p.toString());
            previous = p.index();
        }
    }

    private static void assertEveryRulePlanted(final List<Planted> planted)
    {
        final Set<Integer> ids = new HashSet<>();
        for (final Planted p : planted)
        {
            ids.add(p.ruleId());
        }
        for (int ruleId = 1; ruleId <= RULES; ruleId++)
        {
            assertTrue(ids.contains(ruleId), "rule " + ruleId + " planted");
        }
    }

    /**
     * Each triggering message names the planted account: as debtor, creditor or account.
     */
    private static void assertTriggersNamePlantedAccounts(
        final ScenarioGenerator generator, final List<Planted> planted, final int eventCount)
    {
        final TxEventDecoder decoder = new TxEventDecoder();
        final TxEvent event = new TxEvent(1, 1);
        final long[] index = { 0 };
        final int[] next = { 0 };
        generator.generate(eventCount, (buffer, offset, length) ->
        {
            if (next[0] < planted.size() && planted.get(next[0]).index() == index[0])
            {
                final Planted p = planted.get(next[0]++);
                event.reset();
                decoder.decode(buffer, offset, event);
                assertEquals(p.eventTime(), event.eventTime, p.toString());
                assertTrue(p.account() == event.debtorAccount || p.account() == event.creditorAccount ||
                    p.account() == event.account, p + " names its account");
            }
            index[0]++;
        });
        assertEquals(planted.size(), next[0]);
    }

    private static byte[] digest(final ScenarioGenerator generator, final int eventCount) throws Exception
    {
        final MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        final byte[] scratch = new byte[4096];
        final byte[] length = new byte[4];
        generator.generate(eventCount, (buffer, offset, messageLength) ->
        {
            length[0] = (byte)messageLength;
            length[1] = (byte)(messageLength >>> 8);
            sha256.update(length, 0, 2);
            buffer.getBytes(offset, scratch, 0, messageLength);
            sha256.update(scratch, 0, messageLength);
        });
        return sha256.digest();
    }

    private static void printCounts(final ScenarioGenerator generator, final List<Planted> planted, final Run run)
    {
        final Rule[] rules = generator.newRules();
        final int[] plantedCount = new int[RULES + 1];
        final Set<Raised> plantedSet = new HashSet<>();
        for (final Planted p : planted)
        {
            plantedCount[p.ruleId()]++;
            plantedSet.add(new Raised(p.ruleId(), p.account(), p.index()));
        }
        final int[] total = new int[RULES + 1];
        final int[] matched = new int[RULES + 1];
        final int[] otherPlanted = new int[RULES + 1];
        final int[] background = new int[RULES + 1];
        for (final Raised raised : run.raised)
        {
            total[raised.ruleId]++;
            if (plantedSet.contains(raised))
            {
                matched[raised.ruleId]++;
            }
            else if (ScenarioGenerator.isPlantedAccount(raised.account))
            {
                otherPlanted[raised.ruleId]++;
            }
            else
            {
                background[raised.ruleId]++;
            }
        }

        final StringBuilder out = new StringBuilder();
        out.append(String.format("alerts per rule over %,d events, seed %d, %,d accounts (1 worker):%n",
            LONG, generator.seed(), generator.options().accounts()));
        out.append(String.format("%4s %-26s %8s %8s %8s %14s %11s%n",
            "id", "rule", "planted", "matched", "total", "other-planted", "background"));
        for (int ruleId = 1; ruleId <= RULES; ruleId++)
        {
            out.append(String.format("%4d %-26s %8d %8d %8d %14d %11d%n", ruleId, rules[ruleId - 1].name(),
                plantedCount[ruleId], matched[ruleId], total[ruleId], otherPlanted[ruleId], background[ruleId]));
        }
        System.out.print(out);
    }

    /**
     * An alert reduced to what a planted case names.
     */
    private record Raised(int ruleId, long account, long offset)
    {
    }

    /**
     * Rule workers over one slot, evaluated as the ring would: every worker sees every slot, each writes its own
     * alert buffer, the slot is reset before it is filled again.
     */
    private static final class Run
    {
        RuleWorker[] workers;
        TxEvent slot;
        long overflows;
        final List<Raised> raised = new ArrayList<>();
        final Set<Raised> raisedSet = new HashSet<>();
        private final Set<Integer> rulesThisEvent = new HashSet<>();

        /**
         * Generate the long stream and evaluate it; the rules and their state are dropped afterwards, the alerts
         * kept.
         */
        static Run over(final ScenarioGenerator generator, final int workerCount)
        {
            final Run run = new Run(generator, workerCount);
            final TxEventDecoder decoder = new TxEventDecoder();
            final long[] index = { 0 };
            generator.generate(LONG, (buffer, offset, length) -> run.evaluate(decoder, buffer, offset, index[0]++));
            assertEquals(LONG, index[0]);
            for (int w = 0; w < workerCount; w++)
            {
                run.overflows += run.slot.alerts(w).overflowCount();
            }
            run.workers = null;
            run.slot = null;
            return run;
        }

        Run(final ScenarioGenerator generator, final int workerCount)
        {
            final CountersManager counters = new CountersManager(
                new UnsafeBuffer(ByteBuffer.allocateDirect(64 * 1024)),
                new UnsafeBuffer(ByteBuffer.allocateDirect(8 * 1024)));
            final AtomicCounter evaluated = counters.newCounter("evaluated");
            final AtomicCounter errors = counters.newCounter("rule errors");
            final RuleErrorHandler rethrow = (rule, offset, error) ->
            {
                throw new AssertionError("rule " + rule.name() + " threw at offset " + offset, error);
            };
            workers = new RuleWorker[workerCount];
            for (int i = 0; i < workerCount; i++)
            {
                workers[i] = new RuleWorker(i, workerCount, null, generator.newRules(), rethrow, evaluated, errors, 1);
            }
            slot = new TxEvent(workerCount, ALERTS_PER_WORKER);
        }

        void evaluate(final TxEventDecoder decoder, final DirectBuffer buffer, final int offset, final long index)
        {
            slot.reset();
            assertTrue(decoder.decode(buffer, offset, slot));
            slot.offset = index;
            slot.ingestTime = slot.eventTime;
            for (final RuleWorker worker : workers)
            {
                worker.evaluate(slot);
            }

            rulesThisEvent.clear();
            for (int w = 0; w < workers.length; w++)
            {
                final AlertBuffer alerts = slot.alerts(w);
                for (int i = 0; i < alerts.count(); i++)
                {
                    final AlertRecord alert = alerts.get(i);
                    assertEquals(index, alert.triggeringOffset());
                    assertTrue(rulesThisEvent.add(alert.ruleId()), "one alert per rule per event at " + index);
                    final Raised r = new Raised(alert.ruleId(), alert.account(), alert.triggeringOffset());
                    raised.add(r);
                    raisedSet.add(r);
                }
            }
        }

        List<Raised> sorted()
        {
            final List<Raised> copy = new ArrayList<>(raised);
            copy.sort(Comparator.comparingLong(Raised::offset).thenComparingInt(Raised::ruleId)
                .thenComparingLong(Raised::account));
            return copy;
        }
    }
}
