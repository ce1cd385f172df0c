package io.txmon.scenario;

import io.txmon.rules.TxEvent;
import io.txmon.rules.TxEventDecoder;
import io.txmon.rules.config.RuleType;
import io.txmon.rules.typology.Typologies;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The labels of a generated stream name exactly the events of its planted cases, each with its case: payments by tx
 * id, the other events by offset. What an event of a case is comes from the stream itself: planted cases, and only
 * they, use the planted accounts (every event of a case names one), so the test needs no access to the plan.
 */
class ScenarioLabelsTest
{
    private static final Pattern LINE = Pattern.compile("(tx:)?([0-9]+),([a-z-]+):([0-9]+)");
    private static final int EVENTS = 60_000;
    private static final int DENSITY = 5_000;

    @Test
    void theLabelsNameExactlyTheEventsOfThePlantedCasesInBothBackgrounds() throws Exception
    {
        for (final ScenarioGenerator.Profile profile : ScenarioGenerator.Profile.values())
        {
            final ScenarioGenerator generator = new ScenarioGenerator(11, ScenarioGenerator.Options.defaults()
                .withProfile(profile).withEventsPerInstance(DENSITY));
            final Set<String> expected = new HashSet<>();
            final Map<Long, String> keyAt = new HashMap<>();
            final TxEventDecoder decoder = new TxEventDecoder();
            final TxEvent event = new TxEvent(1, 1);
            final long[] index = { 0 };
            generator.generate(EVENTS, (buffer, offset, length) ->
            {
                event.reset();
                assertTrue(decoder.decode(buffer, offset, event));
                final String key = ScenarioEvent.PAYMENT == event.templateId ?
                    "tx:" + event.txId : Long.toString(index[0]);
                keyAt.put(index[0], key);
                if (ScenarioGenerator.isPlantedAccount(event.debtorAccount) ||
                    ScenarioGenerator.isPlantedAccount(event.creditorAccount) ||
                    ScenarioGenerator.isPlantedAccount(event.account) ||
                    ScenarioGenerator.isPlantedAccount(event.counterpartyAccount))
                {
                    expected.add(key);
                }
                index[0]++;
            });

            final StringBuilder labels = new StringBuilder();
            final long lines = ScenarioLabels.write(generator.caseEvents(), 0, labels);
            assertEquals(generator.caseEvents().size(), lines);
            final Map<String, String> scenarioOf = new HashMap<>();
            final Map<String, Set<Integer>> casesOf = new HashMap<>();
            for (final String line : labels.toString().split("\n"))
            {
                final Matcher m = LINE.matcher(line);
                assertTrue(m.matches(), profile + ": not a label line: " + line);
                final String key = (null == m.group(1) ? "" : "tx:") + m.group(2);
                assertNull(scenarioOf.put(key, m.group(3) + ":" + m.group(4)),
                    profile + ": one line per event: " + key);
                casesOf.computeIfAbsent(m.group(3), (k) -> new HashSet<>()).add(Integer.parseInt(m.group(4)));
            }
            assertEquals(expected, scenarioOf.keySet(), profile + ": the labels name the planted events, no others");
            assertTrue(expected.size() > 3 * generator.planted().size(), profile + ": cases have more than triggers");

            final int instances = ScenarioGenerator.instancesPerTypology(EVENTS, DENSITY);
            final Set<Integer> numbers = new HashSet<>();
            for (int n = 1; n <= instances; n++)
            {
                numbers.add(n);
            }
            final List<String> typologies = new ArrayList<>();
            for (final RuleType<?> type : Typologies.catalog())
            {
                typologies.add(type.name());
                assertEquals(numbers, casesOf.get(type.name()), profile + ": the cases of " + type.name());
            }
            assertEquals(Set.copyOf(typologies), casesOf.keySet());
            for (final Planted p : generator.planted())
            {
                final String scenario = scenarioOf.get(keyAt.get(p.index()));
                assertTrue(scenario.startsWith(ScenarioLabels.scenario(p.ruleId(), 1).split(":")[0] + ":"),
                    profile + ": the trigger of " + p + " is labelled with its typology: " + scenario);
            }
        }
    }

    @Test
    void offsetsStartWhereTheStreamIsJournaledAndTxIdsStayPut() throws Exception
    {
        final List<CaseEvent> events = List.of(
            new CaseEvent(5, 8, 1, false, 10_000_000_006L),
            new CaseEvent(9, 12, 2, false, 0),
            new CaseEvent(12, 12, 2, true, 10_000_000_013L));
        final StringBuilder fromZero = new StringBuilder();
        assertEquals(3, ScenarioLabels.write(events, 0, fromZero));
        assertEquals("tx:10000000006,fan-in:1\n9,new-account-large:2\ntx:10000000013,new-account-large:2\n",
            fromZero.toString());
        final StringBuilder fromTwo = new StringBuilder();
        ScenarioLabels.write(events, 2, fromTwo);
        assertEquals("tx:10000000006,fan-in:1\n11,new-account-large:2\ntx:10000000013,new-account-large:2\n",
            fromTwo.toString());

        assertEquals("cycle:7", ScenarioLabels.scenario(18, 7));
        assertThrows(IllegalArgumentException.class, () -> ScenarioLabels.scenario(9_999, 1));
        assertThrows(IllegalArgumentException.class, () -> ScenarioLabels.write(events, -1, new StringBuilder()));
    }
}
