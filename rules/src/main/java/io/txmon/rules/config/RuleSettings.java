package io.txmon.rules.config;

import io.txmon.events.codec.ConfigAction;
import io.txmon.rules.Rule;
import io.txmon.rules.typology.Typologies;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The rule configuration in effect: for every rule of a catalog, whether it runs and its parameters.
 * Immutable: loading and changes make new settings.
 * <p>
 * As text it is a set of keys (the {@code rules.} keys of {@code txmon run --config}):
 * <pre>
 * rules.&lt;rule&gt;.enabled = true | false
 * rules.&lt;rule&gt;.&lt;parameter&gt; = value
 * </pre>
 * such as {@code rules.structuring.window = 24h} or {@code rules.watch-list.accounts = 1001, 1002}; rule names,
 * parameter keys and value formats are in {@code rules/RULES.md} and {@link Parameter}. Every problem is
 * reported at once, each naming its key.
 * <p>
 * The engine starts from {@link #defaults()}, the same for every journal, and journals the changes from the
 * defaults to the loaded settings as {@code ConfigChange} events, so a journal carries its configuration and a
 * replay needs no file.
 */
public final class RuleSettings
{
    /** Prefix of rule keys in a configuration file. */
    public static final String PREFIX = "rules.";
    /** Key of a rule's on/off switch. */
    public static final String ENABLED = "enabled";
    /** Prefix of the keys of how amounts in different currencies are compared ({@link Money}). */
    public static final String MONEY_PREFIX = PREFIX + Money.NAME + ".";
    private static final String REFERENCE_KEY = Money.REFERENCE;
    private static final String RATES_KEY = Money.RATES;

    private static final RuleSettings DEFAULTS = defaults(Typologies.catalog());

    private final List<RuleType<?>> catalog;
    private final boolean[] enabled;
    private final Record[] parameters;
    private final Money money;

    private RuleSettings(
        final List<RuleType<?>> catalog, final boolean[] enabled, final Record[] parameters, final Money money)
    {
        this.catalog = catalog;
        this.enabled = enabled;
        this.parameters = parameters;
        this.money = money;
    }

    /**
     * @return the built-in typologies with their documented defaults.
     */
    public static RuleSettings defaults()
    {
        return DEFAULTS;
    }

    /**
     * @param catalog rule types, with distinct ids and names.
     * @return every rule of the catalog with its defaults.
     */
    public static RuleSettings defaults(final List<RuleType<?>> catalog)
    {
        final List<RuleType<?>> types = new ArrayList<>(catalog);
        types.sort((a, b) -> Integer.compare(a.id(), b.id()));
        final boolean[] enabled = new boolean[types.size()];
        final Record[] parameters = new Record[types.size()];
        for (int i = 0; i < types.size(); i++)
        {
            final RuleType<?> type = types.get(i);
            if (i > 0 && (types.get(i - 1).id() == type.id()))
            {
                throw new IllegalArgumentException("two rule types with id " + type.id());
            }
            enabled[i] = type.enabledByDefault();
            parameters[i] = type.defaults();
        }
        return new RuleSettings(Collections.unmodifiableList(types), enabled, parameters, Money.defaults());
    }

    /**
     * The settings that make exactly these rules: each a rule of the built-in catalogue, with the parameters it
     * reports; every other rule disabled. This is how an engine given rule instances rather than settings still
     * journals its configuration, so that a replay of its journal makes the same rules.
     *
     * @param rules instances of catalogue rules, at most one per id.
     * @return settings whose {@link #newRules()} are rules of the same classes with the same parameters.
     * @throws IllegalArgumentException naming a rule that is not in the catalogue, does not report its
     *                                  parameters, or is given twice.
     */
    public static RuleSettings of(final Rule[] rules)
    {
        final RuleSettings defaults = DEFAULTS;
        final boolean[] enabled = new boolean[defaults.catalog.size()];
        final Record[] parameters = defaults.parameters.clone();
        for (final Rule rule : rules)
        {
            final int index = defaults.indexOf(rule.id());
            if (index < 0)
            {
                throw new IllegalArgumentException("rule " + rule.name() + " (id " + rule.id() +
                    ") is not a typology of the catalogue; only catalogue rules can be journaled as settings");
            }
            final RuleType<?> type = defaults.catalog.get(index);
            final Record reported = reportedParameters(rule, type);
            if (null == reported || type.newRule(reported).getClass() != rule.getClass() ||
                !type.name().equals(rule.name()))
            {
                throw new IllegalArgumentException("rule " + rule.name() + " (id " + rule.id() + ", " +
                    rule.getClass().getName() + ") is not the catalogue's " + type.name() +
                    " or does not report its parameters");
            }
            if (enabled[index])
            {
                throw new IllegalArgumentException("rule " + rule.name() + " is given twice");
            }
            enabled[index] = true;
            parameters[index] = reported;
        }
        return new RuleSettings(defaults.catalog, enabled, parameters, defaults.money);
    }

    private static Record reportedParameters(final Rule rule, final RuleType<?> type)
    {
        try
        {
            final Object value = rule.getClass().getMethod("parameters").invoke(rule);
            return type.parametersType().isInstance(value) ? (Record)value : null;
        }
        catch (final ReflectiveOperationException | RuntimeException ex)
        {
            return null;
        }
    }

    /**
     * Defaults with only the named rules enabled: what a command that runs a few typologies journals.
     *
     * @param names of catalogue rules.
     * @return the settings.
     * @throws IllegalArgumentException naming a rule not in the catalogue.
     */
    public static RuleSettings only(final String... names)
    {
        final RuleSettings defaults = DEFAULTS;
        final boolean[] enabled = new boolean[defaults.catalog.size()];
        for (final String name : names)
        {
            final RuleType<?> type = defaults.type(name);
            if (null == type)
            {
                throw new IllegalArgumentException("no rule named '" + name + "'");
            }
            enabled[defaults.indexOf(type.id())] = true;
        }
        return new RuleSettings(defaults.catalog, enabled, defaults.parameters.clone(), defaults.money);
    }

    /**
     * @return how amounts in different currencies are compared: the reference currency and the rates.
     */
    public Money money()
    {
        return money;
    }

    /**
     * @param money the reference currency and rates to use.
     * @return these settings with them.
     */
    public RuleSettings with(final Money money)
    {
        return money.equals(this.money) ? this : new RuleSettings(catalog, enabled, parameters, money);
    }

    /**
     * @return the rule types, in id order.
     */
    public List<RuleType<?>> catalog()
    {
        return catalog;
    }

    /**
     * @param ruleId of a rule.
     * @return its type, or null if the catalog has no such rule.
     */
    public RuleType<?> type(final int ruleId)
    {
        final int index = indexOf(ruleId);
        return index < 0 ? null : catalog.get(index);
    }

    /**
     * @param name of a rule.
     * @return its type, or null if the catalog has no such rule.
     */
    public RuleType<?> type(final String name)
    {
        for (final RuleType<?> type : catalog)
        {
            if (type.name().equals(name))
            {
                return type;
            }
        }
        return null;
    }

    /**
     * @param ruleId of a rule in the catalog.
     * @return true if it runs.
     */
    public boolean isEnabled(final int ruleId)
    {
        return enabled[require(ruleId)];
    }

    /**
     * @param ruleId of a rule in the catalog.
     * @return its parameters.
     */
    public Record parameters(final int ruleId)
    {
        return parameters[require(ruleId)];
    }

    /**
     * Apply configuration keys. Keys without the {@code rules.} prefix are not looked at.
     *
     * @param keys configuration text by key.
     * @return the new settings.
     * @throws ConfigException listing every problem, each naming its key.
     */
    public RuleSettings with(final Map<String, String> keys)
    {
        final List<String> problems = new ArrayList<>();
        final Map<Integer, Map<Parameter, Object>> values = new TreeMap<>();
        final boolean[] newEnabled = enabled.clone();
        final Money newMoney = withMoneyKeys(keys, problems);
        for (final String key : new TreeSet<>(keys.keySet()))
        {
            if (!key.startsWith(PREFIX) || key.startsWith(MONEY_PREFIX))
            {
                continue;
            }
            final String rest = key.substring(PREFIX.length());
            final int dot = rest.indexOf('.');
            final RuleType<?> type = type(dot < 0 ? rest : rest.substring(0, dot));
            if (null == type)
            {
                problems.add(key + ": no rule named '" + (dot < 0 ? rest : rest.substring(0, dot)) +
                    "'; the rules are " + names() + " (and " + MONEY_PREFIX + REFERENCE_KEY + ", " + MONEY_PREFIX +
                    RATES_KEY + " for currencies)");
                continue;
            }
            if (dot < 0 || dot == rest.length() - 1)
            {
                problems.add(key + ": name a parameter, such as " + PREFIX + type.name() + "." + ENABLED +
                    " or " + PREFIX + type.name() + "." + firstKey(type));
                continue;
            }
            final String name = rest.substring(dot + 1);
            final String text = keys.get(key);
            if (ENABLED.equals(name))
            {
                final String flag = null == text ? "" : text.trim();
                if ("true".equalsIgnoreCase(flag) || "false".equalsIgnoreCase(flag))
                {
                    newEnabled[indexOf(type.id())] = "true".equalsIgnoreCase(flag);
                }
                else
                {
                    problems.add(key + ": '" + flag + "' is not true or false");
                }
                continue;
            }
            final Parameter parameter = type.parameter(name);
            if (null == parameter)
            {
                problems.add(key + ": " + type.name() + " has no parameter '" + name + "'; its parameters are " +
                    ENABLED + ", " + type.keys());
                continue;
            }
            try
            {
                values.computeIfAbsent(type.id(), (id) -> new LinkedHashMap<>())
                    .put(parameter, parameter.parse(null == text ? "" : text));
            }
            catch (final IllegalArgumentException ex)
            {
                problems.add(key + ": " + ex.getMessage() + "; give " + parameter.expected());
            }
        }

        final Record[] newParameters = parameters.clone();
        for (final Map.Entry<Integer, Map<Parameter, Object>> entry : values.entrySet())
        {
            final int index = indexOf(entry.getKey());
            final RuleType<?> type = catalog.get(index);
            try
            {
                newParameters[index] = type.with(parameters[index], entry.getValue());
            }
            catch (final IllegalArgumentException ex)
            {
                problems.add(keyOf(type, ex.getMessage(), entry.getValue()) + ": " + ex.getMessage());
            }
        }
        if (!problems.isEmpty())
        {
            throw new ConfigException(problems);
        }
        return new RuleSettings(catalog, newEnabled, newParameters, newMoney);
    }

    /**
     * The money keys of a configuration applied to these settings' money: the reference first, as setting it
     * resets the rates.
     */
    private Money withMoneyKeys(final Map<String, String> keys, final List<String> problems)
    {
        Money result = money;
        for (final String key : new TreeSet<>(keys.keySet()))
        {
            if (key.startsWith(MONEY_PREFIX) && !key.equals(MONEY_PREFIX + REFERENCE_KEY) &&
                !key.equals(MONEY_PREFIX + RATES_KEY))
            {
                problems.add(key + ": money has no key '" + key.substring(MONEY_PREFIX.length()) + "'; its keys are " +
                    Money.REFERENCE + " and " + Money.RATES);
            }
        }
        final String reference = keys.get(MONEY_PREFIX + REFERENCE_KEY);
        if (null != reference)
        {
            try
            {
                result = result.withReference(reference);
            }
            catch (final IllegalArgumentException ex)
            {
                problems.add(MONEY_PREFIX + REFERENCE_KEY + ": " + ex.getMessage());
            }
        }
        final String rates = keys.get(MONEY_PREFIX + RATES_KEY);
        if (null != rates)
        {
            try
            {
                result = result.withRates(rates);
            }
            catch (final IllegalArgumentException ex)
            {
                problems.add(MONEY_PREFIX + RATES_KEY + ": " + ex.getMessage() + "; give CODE:rate entries " +
                    "separated by commas, each rate the value of one unit in the reference currency");
            }
        }
        return result;
    }

    /**
     * Apply one change, as a {@code ConfigChange} event carries it.
     *
     * @param change to apply.
     * @return the new settings, or these if the change changes nothing.
     * @throws ConfigException naming the rule and key, if the change cannot be applied.
     */
    public RuleSettings apply(final RuleConfigChange change)
    {
        if (change.ruleId() == Money.CONFIG_ID)
        {
            return with(applyToMoney(change));
        }
        final int index = indexOf(change.ruleId());
        if (index < 0)
        {
            throw new ConfigException("rule " + change.ruleId() + ": no such rule; the rules are " + ids());
        }
        final RuleType<?> type = catalog.get(index);
        final String where = PREFIX + type.name();
        final ConfigAction action = change.action();
        if (action == ConfigAction.ENABLE_RULE || action == ConfigAction.DISABLE_RULE)
        {
            final boolean on = action == ConfigAction.ENABLE_RULE;
            if (enabled[index] == on)
            {
                return this;
            }
            final boolean[] newEnabled = enabled.clone();
            newEnabled[index] = on;
            return new RuleSettings(catalog, newEnabled, parameters, money);
        }

        final Parameter parameter = type.parameter(change.key());
        if (null == parameter)
        {
            throw new ConfigException(where + "." + change.key() + ": " + type.name() + " has no parameter '" +
                change.key() + "'; its parameters are " + type.keys());
        }
        final String key = where + "." + parameter.key();
        final Object value;
        try
        {
            if (action == ConfigAction.SET_PARAMETER)
            {
                value = parameter.parse(change.value());
            }
            else if (!parameter.isList())
            {
                throw new IllegalArgumentException("not a list: use SET_PARAMETER to change it");
            }
            else
            {
                value = parameter.withEntry(
                    parameter.get(parameters[index]), parameter.parseEntry(change.value()),
                    action == ConfigAction.LIST_ADD);
            }
        }
        catch (final IllegalArgumentException ex)
        {
            throw new ConfigException(key + ": " + ex.getMessage() +
                (parameter.isList() || action == ConfigAction.SET_PARAMETER ? "; give " + parameter.expected() : ""));
        }

        if (parameter.format(value).equals(parameter.format(parameter.get(parameters[index]))))
        {
            return this;
        }
        final Record[] newParameters = parameters.clone();
        try
        {
            newParameters[index] = type.with(parameters[index], Map.of(parameter, value));
        }
        catch (final IllegalArgumentException ex)
        {
            throw new ConfigException(key + ": " + ex.getMessage());
        }
        return new RuleSettings(catalog, enabled, newParameters, money);
    }

    private Money applyToMoney(final RuleConfigChange change)
    {
        final ConfigAction action = change.action();
        final String key = change.key();
        try
        {
            if (action == ConfigAction.SET_PARAMETER && Money.REFERENCE.equals(key))
            {
                return money.withReference(change.value());
            }
            if (action == ConfigAction.SET_PARAMETER && Money.RATES.equals(key))
            {
                return money.withRates(change.value());
            }
            if ((action == ConfigAction.LIST_ADD || action == ConfigAction.LIST_REMOVE) && Money.RATES.equals(key))
            {
                return money.withRate(change.value(), action == ConfigAction.LIST_ADD);
            }
        }
        catch (final IllegalArgumentException ex)
        {
            throw new ConfigException(MONEY_PREFIX + key + ": " + ex.getMessage());
        }
        throw new ConfigException(MONEY_PREFIX + key + ": money takes SET_PARAMETER of " + Money.REFERENCE + " or " +
            Money.RATES + ", or LIST_ADD and LIST_REMOVE of " + Money.RATES + "; was " + action);
    }

    /**
     * The changes that take these settings to others of the same catalog, in rule-id order: for each rule,
     * its parameters, then its switch, so a rule is enabled with its final parameters. A list too long for one
     * change is emptied and then filled entry by entry.
     *
     * @param target settings to reach.
     * @return the changes; empty if the settings are the same.
     */
    public List<RuleConfigChange> changesTo(final RuleSettings target)
    {
        if (target.catalog != catalog)
        {
            throw new IllegalArgumentException("settings of another catalog");
        }
        final List<RuleConfigChange> changes = new ArrayList<>();
        // money first, so every rule sees the payments that follow in the target's currencies; setting the reference
        // resets the rates, so the rates come after it
        Money reached = money;
        if (target.money.reference() != money.reference())
        {
            changes.add(new RuleConfigChange(
                Money.CONFIG_ID, ConfigAction.SET_PARAMETER, Money.REFERENCE, target.money.referenceText()));
            reached = money.withReference(target.money.referenceText());
        }
        final String rates = target.money.ratesText();
        if (!reached.ratesText().equals(rates))
        {
            if (rates.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= RuleConfigChange.MAX_TEXT_LENGTH)
            {
                changes.add(new RuleConfigChange(Money.CONFIG_ID, ConfigAction.SET_PARAMETER, Money.RATES, rates));
            }
            else
            {
                changes.add(new RuleConfigChange(Money.CONFIG_ID, ConfigAction.SET_PARAMETER, Money.RATES, ""));
                for (final String entry : target.money.rateEntries())
                {
                    changes.add(new RuleConfigChange(Money.CONFIG_ID, ConfigAction.LIST_ADD, Money.RATES, entry));
                }
            }
        }
        for (int i = 0; i < catalog.size(); i++)
        {
            final RuleType<?> type = catalog.get(i);
            if (enabled[i] && !target.enabled[i])
            {
                changes.add(new RuleConfigChange(type.id(), ConfigAction.DISABLE_RULE, "", ""));
            }
            for (final Parameter parameter : type.parameters())
            {
                final String from = parameter.format(parameter.get(parameters[i]));
                final Object value = parameter.get(target.parameters[i]);
                final String to = parameter.format(value);
                if (from.equals(to))
                {
                    continue;
                }
                if (to.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= RuleConfigChange.MAX_TEXT_LENGTH)
                {
                    changes.add(new RuleConfigChange(type.id(), ConfigAction.SET_PARAMETER, parameter.key(), to));
                }
                else
                {
                    changes.add(new RuleConfigChange(type.id(), ConfigAction.SET_PARAMETER, parameter.key(), ""));
                    for (final String entry : to.split(","))
                    {
                        changes.add(new RuleConfigChange(type.id(), ConfigAction.LIST_ADD, parameter.key(), entry));
                    }
                }
            }
            if (!enabled[i] && target.enabled[i])
            {
                changes.add(new RuleConfigChange(type.id(), ConfigAction.ENABLE_RULE, "", ""));
            }
        }
        return changes;
    }

    /**
     * @return new instances, with empty state, of the rules that run, in id order.
     */
    public Rule[] newRules()
    {
        final List<Rule> rules = new ArrayList<>();
        for (int i = 0; i < catalog.size(); i++)
        {
            if (enabled[i])
            {
                rules.add(catalog.get(i).newRule(parameters[i]));
            }
        }
        return rules.toArray(new Rule[0]);
    }

    /**
     * @param ruleId of a rule in the catalog.
     * @return a new instance of it with empty state, or null if it does not run.
     */
    public Rule newRule(final int ruleId)
    {
        final int index = require(ruleId);
        return enabled[index] ? catalog.get(index).newRule(parameters[index]) : null;
    }

    /**
     * @return every key with its value, in key order: the text form of these settings.
     */
    public Map<String, String> toKeys()
    {
        final Map<String, String> keys = new TreeMap<>();
        keys.put(MONEY_PREFIX + REFERENCE_KEY, money.referenceText());
        keys.put(MONEY_PREFIX + RATES_KEY, money.ratesText());
        for (int i = 0; i < catalog.size(); i++)
        {
            final RuleType<?> type = catalog.get(i);
            keys.put(PREFIX + type.name() + "." + ENABLED, Boolean.toString(enabled[i]));
            for (final Parameter parameter : type.parameters())
            {
                keys.put(PREFIX + type.name() + "." + parameter.key(), parameter.format(parameter.get(parameters[i])));
            }
        }
        return keys;
    }

    @Override
    public boolean equals(final Object other)
    {
        return other instanceof RuleSettings && ((RuleSettings)other).catalog == catalog &&
            toKeys().equals(((RuleSettings)other).toKeys());
    }

    @Override
    public int hashCode()
    {
        return toKeys().hashCode();
    }

    @Override
    public String toString()
    {
        return toKeys().toString();
    }

    private int indexOf(final int ruleId)
    {
        for (int i = 0; i < catalog.size(); i++)
        {
            if (catalog.get(i).id() == ruleId)
            {
                return i;
            }
        }
        return -1;
    }

    private int require(final int ruleId)
    {
        final int index = indexOf(ruleId);
        if (index < 0)
        {
            throw new IllegalArgumentException("no rule with id " + ruleId);
        }
        return index;
    }

    private String names()
    {
        final StringBuilder names = new StringBuilder();
        for (final RuleType<?> type : catalog)
        {
            names.append(names.length() > 0 ? ", " : "").append(type.name());
        }
        return names.toString();
    }

    private String ids()
    {
        final StringBuilder ids = new StringBuilder();
        for (final RuleType<?> type : catalog)
        {
            ids.append(ids.length() > 0 ? ", " : "").append(type.id()).append(' ').append(type.name());
        }
        return ids.toString();
    }

    private static String firstKey(final RuleType<?> type)
    {
        return type.parameters().isEmpty() ? ENABLED : type.parameters().get(0).key();
    }

    /**
     * The key a record's refusal is about: the first changed parameter its message names, else the rule.
     */
    private static String keyOf(final RuleType<?> type, final String message, final Map<Parameter, Object> changed)
    {
        final Map<String, Parameter> byKey = new HashMap<>();
        for (final Parameter parameter : changed.keySet())
        {
            byKey.put(parameter.key(), parameter);
        }
        for (final String word : Arrays.asList(String.valueOf(message).split("[^a-z0-9-]+")))
        {
            if (byKey.containsKey(word))
            {
                return PREFIX + type.name() + "." + word;
            }
        }
        for (final Parameter parameter : type.parameters())
        {
            if (String.valueOf(message).matches("(?s).*\\b" + parameter.key() + "\\b.*"))
            {
                return PREFIX + type.name() + "." + parameter.key();
            }
        }
        return PREFIX + type.name();
    }
}
