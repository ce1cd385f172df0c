package io.txmon.rules.config;

import io.txmon.events.codec.ConfigAction;
import io.txmon.events.codec.Severity;
import io.txmon.rules.Rule;
import io.txmon.rules.TxEvent;
import io.txmon.rules.TxEventDecoder;
import io.txmon.rules.typology.LargeAmountRule;
import io.txmon.rules.typology.StructuringRule;
import io.txmon.rules.typology.Typologies;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RuleSettingsTest
{
    private static final RuleSettings DEFAULTS = RuleSettings.defaults();

    @Test
    void defaultsEnableEveryTypologyWithItsDocumentedParameters()
    {
        final int typologies = Typologies.catalog().size();
        assertEquals(typologies, DEFAULTS.catalog().size());
        for (int id = 1; id <= typologies; id++)
        {
            assertTrue(DEFAULTS.isEnabled(id), "rule " + id);
        }
        final Map<String, String> keys = DEFAULTS.toKeys();
        assertEquals("1000000", keys.get("rules.structuring.threshold"));
        assertEquals("2d", keys.get("rules.structuring.window"));
        assertEquals("HIGH", keys.get("rules.structuring.severity"));
        assertEquals("true", keys.get("rules.large-amount.enabled"));
        assertEquals(typologies, DEFAULTS.newRules().length);
    }

    @Test
    void keysSetParametersSwitchesAndDurations()
    {
        final RuleSettings settings = DEFAULTS.with(Map.of(
            "rules.structuring.window", "24h",
            "rules.structuring.min-count", "4",
            "rules.large-amount.threshold", "2_500_000",
            "rules.large-amount.severity", "critical",
            "rules.cycle.enabled", "false",
            "journal", "ignored: not a rule key"));

        final StructuringRule.Parameters structuring = (StructuringRule.Parameters)settings.parameters(StructuringRule.ID);
        assertEquals(TimeUnit.HOURS.toNanos(24), structuring.windowNanos());
        assertEquals(4, structuring.minCount());
        final LargeAmountRule.Parameters large = (LargeAmountRule.Parameters)settings.parameters(LargeAmountRule.ID);
        assertEquals(2_500_000L, large.threshold());
        assertEquals(Severity.CRITICAL, large.severity());
        assertFalse(settings.isEnabled(settings.type("cycle").id()));
        assertEquals(Typologies.catalog().size() - 1, settings.newRules().length, "every rule but cycle");
        assertEquals("1d", settings.toKeys().get("rules.structuring.window"));
    }

    @Test
    void valuesThatDependOnEachOtherMayChangeTogether()
    {
        // alone, a count above the default capacity is refused; with the capacity it is accepted
        final ConfigException alone = assertThrows(
            ConfigException.class, () -> DEFAULTS.with(Map.of("rules.structuring.min-count", "40")));
        assertTrue(alone.getMessage().startsWith("rules.structuring."), alone.getMessage());

        final RuleSettings both = DEFAULTS.with(Map.of(
            "rules.structuring.min-count", "40", "rules.structuring.capacity", "64"));
        assertEquals(40, ((StructuringRule.Parameters)both.parameters(StructuringRule.ID)).minCount());
    }

    @Test
    void everyProblemIsReportedAtOnceNamingItsKey()
    {
        final Map<String, String> keys = new HashMap<>();
        keys.put("rules.no-such-rule.threshold", "1");
        keys.put("rules.structuring.no-such-parameter", "1");
        keys.put("rules.structuring.window", "two days");
        keys.put("rules.large-amount.threshold", "0");
        keys.put("rules.large-amount.severity", "URGENT");
        keys.put("rules.cycle.enabled", "yes");
        keys.put("rules.fan-in", "1");

        final ConfigException ex = assertThrows(ConfigException.class, () -> DEFAULTS.with(keys));
        final List<String> problems = ex.problems();
        assertEquals(7, problems.size(), problems.toString());
        assertProblem(problems, "rules.no-such-rule.threshold: no rule named 'no-such-rule'");
        assertProblem(problems, "rules.structuring.no-such-parameter: structuring has no parameter");
        assertProblem(problems, "rules.structuring.window: 'two days' is not a duration");
        assertProblem(problems, "rules.large-amount.threshold: threshold must be positive");
        assertProblem(problems, "rules.large-amount.severity: 'URGENT' is not a severity");
        assertProblem(problems, "rules.cycle.enabled: 'yes' is not true or false");
        assertProblem(problems, "rules.fan-in: name a parameter");
    }

    @Test
    void changesApplyOneAtATime()
    {
        final int structuring = StructuringRule.ID;
        final RuleSettings set = DEFAULTS.apply(
            new RuleConfigChange(structuring, ConfigAction.SET_PARAMETER, "window", "12h"));
        assertEquals(TimeUnit.HOURS.toNanos(12), ((StructuringRule.Parameters)set.parameters(structuring)).windowNanos());

        final RuleSettings off = set.apply(new RuleConfigChange(structuring, ConfigAction.DISABLE_RULE, "", ""));
        assertFalse(off.isEnabled(structuring));
        assertSame(off, off.apply(new RuleConfigChange(structuring, ConfigAction.DISABLE_RULE, "", "")));
        assertSame(set, set.apply(new RuleConfigChange(structuring, ConfigAction.SET_PARAMETER, "window", "720m")));

        final ConfigException unknownRule = assertThrows(ConfigException.class,
            () -> DEFAULTS.apply(new RuleConfigChange(999, ConfigAction.ENABLE_RULE, "", "")));
        assertTrue(unknownRule.getMessage().startsWith("rule 999: no such rule"), unknownRule.getMessage());
        final ConfigException notList = assertThrows(ConfigException.class,
            () -> DEFAULTS.apply(new RuleConfigChange(structuring, ConfigAction.LIST_ADD, "window", "1h")));
        assertTrue(notList.getMessage().startsWith("rules.structuring.window: not a list"), notList.getMessage());
        final ConfigException outOfRange = assertThrows(ConfigException.class,
            () -> DEFAULTS.apply(new RuleConfigChange(structuring, ConfigAction.SET_PARAMETER, "min-count", "1")));
        assertTrue(outOfRange.getMessage().startsWith("rules.structuring.min-count: min-count must be"),
            outOfRange.getMessage());
    }

    @Test
    void listsTakeEntriesOneByOne()
    {
        final RuleType<?> watchList = DEFAULTS.type("watch-list");
        final Parameter accounts = listParameter(watchList, Parameter.Kind.NUMBER_LIST);
        final String key = accounts.key();
        RuleSettings settings = DEFAULTS.apply(
            new RuleConfigChange(watchList.id(), ConfigAction.LIST_ADD, key, "1001"));
        settings = settings.apply(new RuleConfigChange(watchList.id(), ConfigAction.LIST_ADD, key, "1002"));
        assertEquals("1001,1002", settings.toKeys().get("rules.watch-list." + key));
        settings = settings.apply(new RuleConfigChange(watchList.id(), ConfigAction.LIST_REMOVE, key, "1001"));
        assertEquals("1002", settings.toKeys().get("rules.watch-list." + key));
        final RuleSettings same = settings;
        assertSame(same, same.apply(new RuleConfigChange(watchList.id(), ConfigAction.LIST_REMOVE, key, "1001")));
        assertThrows(ConfigException.class,
            () -> same.apply(new RuleConfigChange(watchList.id(), ConfigAction.LIST_ADD, key, "not-a-number")));
    }

    @Test
    void changesToReachTheTargetFromTheDefaultsEvenWithLongLists()
    {
        final StringBuilder longList = new StringBuilder();
        for (int i = 0; i < 200; i++)
        {
            longList.append(i > 0 ? "," : "").append(1_000_000_000L + i);
        }
        final String watchKey = "rules.watch-list." + listParameter(DEFAULTS.type("watch-list"),
            Parameter.Kind.NUMBER_LIST).key();
        final RuleSettings target = DEFAULTS.with(Map.of(
            "rules.structuring.window", "24h",
            "rules.cycle.enabled", "false",
            "rules.large-amount.severity", "LOW",
            watchKey, longList.toString()));

        final List<RuleConfigChange> changes = DEFAULTS.changesTo(target);
        assertTrue(changes.size() > 200, "a list longer than one change is added entry by entry");
        RuleSettings settings = DEFAULTS;
        for (final RuleConfigChange change : changes)
        {
            settings = settings.apply(change);
        }
        assertEquals(target, settings);
        assertTrue(target.changesTo(settings).isEmpty());
        assertTrue(DEFAULTS.changesTo(DEFAULTS).isEmpty());
    }

    @Test
    void aChangeInTheStreamRemakesOnlyTheRuleItNames()
    {
        final RuleSet set = RuleSet.of(DEFAULTS);
        final Rule[] before = set.rules().clone();

        final TxEvent slot = configSlot(new RuleConfigChange(
            StructuringRule.ID, ConfigAction.SET_PARAMETER, "min-count", "5"));
        assertTrue(set.apply(slot));
        final Rule[] after = set.rules();
        assertEquals(before.length, after.length);
        for (int i = 0; i < after.length; i++)
        {
            if (after[i].id() == StructuringRule.ID)
            {
                assertNotSame(before[i], after[i]);
                assertEquals(5, ((StructuringRule)after[i]).parameters().minCount());
            }
            else
            {
                assertSame(before[i], after[i], "rule " + after[i].name() + " keeps its instance and state");
            }
        }
        assertFalse(set.apply(slot), "the same change again changes nothing");

        assertTrue(set.apply(configSlot(new RuleConfigChange(StructuringRule.ID, ConfigAction.DISABLE_RULE, "", ""))));
        assertEquals(before.length - 1, set.rules().length);

        final RuleSet fixed = RuleSet.fixed(Typologies.defaults(1_000_000));
        assertFalse(fixed.apply(slot), "fixed rules ignore configuration");
    }

    @Test
    void moneyKeysSetTheReferenceAndRatesAndTravelAsChangesBeforeTheRules()
    {
        assertEquals("EUR", DEFAULTS.toKeys().get("rules.money.reference"));
        assertEquals("", DEFAULTS.toKeys().get("rules.money.rates"));
        final RuleSettings target = DEFAULTS.with(Map.of(
            "rules.money.reference", "USD",
            "rules.money.rates", "EUR:1.08, GBP:1.27",
            "rules.large-amount.threshold", "1100000"));
        assertEquals(840, target.money().reference());
        assertEquals(108_000, target.money().toReference(100_000, 978));
        assertEquals(target, DEFAULTS.with(target.toKeys()), "the keys read back to the same settings");

        final List<RuleConfigChange> changes = DEFAULTS.changesTo(target);
        assertEquals(new RuleConfigChange(Money.CONFIG_ID, ConfigAction.SET_PARAMETER, "reference", "USD"),
            changes.get(0), "the reference first: it resets the rates");
        assertEquals(new RuleConfigChange(Money.CONFIG_ID, ConfigAction.SET_PARAMETER, "rates", "EUR:1.08,GBP:1.27"),
            changes.get(1), "then the rates, before any rule");
        RuleSettings settings = DEFAULTS;
        for (final RuleConfigChange change : changes)
        {
            settings = settings.apply(change);
        }
        assertEquals(target, settings);
        assertTrue(target.changesTo(settings).isEmpty());

        final RuleSettings oneRate = target.apply(
            new RuleConfigChange(Money.CONFIG_ID, ConfigAction.LIST_ADD, "rates", "CHF:1.12"));
        assertEquals("CHF:1.12,EUR:1.08,GBP:1.27", oneRate.money().ratesText());
        assertEquals(target, oneRate.apply(
            new RuleConfigChange(Money.CONFIG_ID, ConfigAction.LIST_REMOVE, "rates", "CHF")));
        assertEquals(oneRate, target.changesTo(oneRate).stream().reduce(target, RuleSettings::apply, (a, b) -> b));

        final RuleSet set = RuleSet.of(DEFAULTS);
        final Rule[] before = set.rules().clone();
        assertTrue(set.apply(configSlot(changes.get(0))), "a money change is a change");
        assertEquals(840, set.money().reference());
        for (int i = 0; i < before.length; i++)
        {
            assertSame(before[i], set.rules()[i], "no rule is remade: its state, in the reference of its time, stays");
        }
    }

    @Test
    void badMoneyKeysAndChangesNameTheKey()
    {
        final ConfigException ex = assertThrows(ConfigException.class, () -> DEFAULTS.with(Map.of(
            "rules.money.reference", "XYZ",
            "rules.money.rates", "USD:zero",
            "rules.money.rate", "USD:1")));
        assertProblem(ex.problems(), "rules.money.reference: 'XYZ' is not a currency txmon accepts");
        assertProblem(ex.problems(), "rules.money.rates: 'USD:zero': the rate is not a decimal number");
        assertProblem(ex.problems(), "rules.money.rate: money has no key 'rate'; its keys are reference and rates");
        assertEquals(3, ex.problems().size(), ex.problems().toString());

        final ConfigException refused = assertThrows(ConfigException.class, () -> DEFAULTS.apply(
            new RuleConfigChange(Money.CONFIG_ID, ConfigAction.ENABLE_RULE, "", "")));
        assertTrue(refused.getMessage().contains("money takes SET_PARAMETER of reference or rates"),
            refused.getMessage());
        final ConfigException badRate = assertThrows(ConfigException.class, () -> DEFAULTS.apply(
            new RuleConfigChange(Money.CONFIG_ID, ConfigAction.LIST_ADD, "rates", "USD:-2")));
        assertTrue(badRate.getMessage().startsWith("rules.money.rates: 'USD:-2': the rate must be above 0"),
            badRate.getMessage());
    }

    @Test
    void durationsRoundTrip()
    {
        for (final String text : new String[]{ "48h", "2d", "90m", "15s", "250ms", "7us", "3ns", "0s" })
        {
            assertEquals(Parameter.parseDuration(text), Parameter.parseDuration(
                Parameter.formatDuration(Parameter.parseDuration(text))), text);
        }
        assertEquals("2d", Parameter.formatDuration(Parameter.parseDuration("48h")));
        assertThrows(IllegalArgumentException.class, () -> Parameter.parseDuration("48"));
        assertThrows(IllegalArgumentException.class, () -> Parameter.parseDuration("-1h"));
        assertThrows(IllegalArgumentException.class, () -> Parameter.parseDuration("999999999999d"));
    }

    @Test
    void everyRuleParameterHasAKeyAndItsDefaultRoundTrips()
    {
        for (final RuleType<?> type : DEFAULTS.catalog())
        {
            final Map<String, String> keys = new HashMap<>();
            for (final Parameter parameter : type.parameters())
            {
                keys.put("rules." + type.name() + "." + parameter.key(),
                    parameter.format(parameter.get(type.defaults())));
            }
            assertEquals(DEFAULTS, DEFAULTS.with(keys), type.name());
            final Rule rule = type.newRule(type.defaults());
            assertEquals(type.id(), rule.id());
            assertEquals(type.name(), rule.name());
        }
    }

    static TxEvent configSlot(final RuleConfigChange change)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1024]);
        final int length = change.encode(buffer, 0, 7, 1, 1);
        assertTrue(length > 0);
        final TxEvent slot = new TxEvent(1, 4);
        assertTrue(new TxEventDecoder().decode(buffer, 0, slot));
        slot.offset = 42;
        return slot;
    }

    private static Parameter listParameter(final RuleType<?> type, final Parameter.Kind kind)
    {
        for (final Parameter parameter : type.parameters())
        {
            if (parameter.kind() == kind)
            {
                return parameter;
            }
        }
        throw new AssertionError(type.name() + " has no " + kind);
    }

    private static void assertProblem(final List<String> problems, final String start)
    {
        assertTrue(problems.stream().anyMatch((p) -> p.startsWith(start)), start + " in " + problems);
    }
}
