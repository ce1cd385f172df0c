package io.txmon.rules.config;

import io.txmon.events.codec.ConfigChangeDecoder;
import io.txmon.rules.Rule;
import io.txmon.rules.TxEvent;
import io.txmon.rules.state.AccountStore;

/**
 * The rule instances one worker runs, and the settings they were made from. A {@code ConfigChange} slot
 * changes them where it stands in the stream: the rule it names is made anew from the new settings (its state
 * starts empty at that offset), every other rule keeps its instance and state. Every worker, every replay and
 * every restarted engine sees the change at the same offset, so all agree.
 * <p>
 * A fixed set ({@link #fixed(Rule[])}) has no settings and ignores configuration changes. Owned by one worker;
 * not thread safe. Changes allocate; they are rare.
 */
public final class RuleSet
{
    private static final Rule[] NONE = new Rule[0];
    private static final int TEMPLATES = 5;

    private RuleSettings settings;
    private Rule[] rules;
    private final Rule[][] byTemplate = new Rule[TEMPLATES][];

    private final AccountStore accounts;

    private RuleSet(final RuleSettings settings, final Rule[] rules, final AccountStore.Limits limits)
    {
        this.settings = settings;
        this.rules = rules;
        this.accounts = new AccountStore(limits);
        for (final Rule rule : rules)
        {
            rule.bind(accounts);
        }
        index();
    }

    /**
     * @return the worker's account records, where the rules keep their per-account state.
     */
    public AccountStore accounts()
    {
        return accounts;
    }

    /**
     * The rules that read a template, in the set's order: what a worker calls for an event of it, so each rule is
     * called only for the templates it declares ({@link Rule#templates()}).
     *
     * @param templateId of the event.
     * @return the rules; do not modify.
     */
    public Rule[] rules(final int templateId)
    {
        return templateId > 0 && templateId < TEMPLATES ? byTemplate[templateId] : NONE;
    }

    private void index()
    {
        for (int templateId = 1; templateId < TEMPLATES; templateId++)
        {
            final long bit = 1L << templateId;
            int n = 0;
            for (final Rule rule : rules)
            {
                n += (rule.templates() & bit) != 0 ? 1 : 0;
            }
            final Rule[] reading = new Rule[n];
            n = 0;
            for (final Rule rule : rules)
            {
                if ((rule.templates() & bit) != 0)
                {
                    reading[n++] = rule;
                }
            }
            byTemplate[templateId] = reading;
        }
    }

    /**
     * @param rules to run, in order; never reconfigured.
     * @return a fixed set.
     */
    public static RuleSet fixed(final Rule[] rules)
    {
        return fixed(rules, AccountStore.Limits.DEFAULT);
    }

    /**
     * A set of the given rules, never reconfigured.
     *
     * @param rules  the rules, each of them new (they are bound to this set's account store).
     * @param limits the account store's limits.
     * @return the set.
     */
    public static RuleSet fixed(final Rule[] rules, final AccountStore.Limits limits)
    {
        return new RuleSet(null, rules.clone(), limits);
    }

    /**
     * @param settings to make the rules from.
     * @return a set of new instances of the rules the settings enable.
     */
    public static RuleSet of(final RuleSettings settings)
    {
        return of(settings, AccountStore.Limits.DEFAULT);
    }

    /**
     * The rules the settings enable, reconfigured by later ConfigChange events.
     *
     * @param settings the settings.
     * @param limits   the account store's limits.
     * @return the set.
     */
    public static RuleSet of(final RuleSettings settings, final AccountStore.Limits limits)
    {
        return new RuleSet(settings, settings.newRules(), limits);
    }

    /**
     * @return the rules to run, in id order; do not modify.
     */
    public Rule[] rules()
    {
        return rules;
    }

    /**
     * @return the settings in effect, or null for a fixed set.
     */
    public RuleSettings settings()
    {
        return settings;
    }

    /**
     * @return how amounts are converted to the reference currency now: the settings', or the defaults for a fixed
     * set.
     */
    public Money money()
    {
        return null == settings ? Money.defaults() : settings.money();
    }

    /**
     * Apply the change a {@code ConfigChange} slot carries.
     *
     * @param event a slot; other templates are ignored.
     * @return true if the rules changed.
     * @throws ConfigException if the change cannot be applied; nothing changes then.
     */
    public boolean apply(final TxEvent event)
    {
        if (event.templateId != ConfigChangeDecoder.TEMPLATE_ID || null == settings)
        {
            return false;
        }
        final RuleConfigChange change;
        try
        {
            change = RuleConfigChange.of(event);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new ConfigException("rule " + event.ruleId + ": " + ex.getMessage());
        }
        final RuleSettings next = settings.apply(change);
        if (next == settings)
        {
            return false;
        }
        final java.util.List<Rule> rebuilt = new java.util.ArrayList<>(rules.length + 1);
        for (final RuleType<?> type : next.catalog())
        {
            if (!next.isEnabled(type.id()))
            {
                continue;
            }
            final Rule current = find(type.id());
            if (type.id() == change.ruleId() || null == current)
            {
                final Rule created = next.newRule(type.id());
                created.bind(accounts);
                rebuilt.add(created);
            }
            else
            {
                rebuilt.add(current);
            }
        }
        for (final Rule rule : rules)
        {
            if (!rebuilt.contains(rule))
            {
                accounts.release(rule);
            }
        }
        settings = next;
        rules = rebuilt.toArray(new Rule[0]);
        index();
        return true;
    }

    private Rule find(final int ruleId)
    {
        for (final Rule rule : rules)
        {
            if (rule.id() == ruleId)
            {
                return rule;
            }
        }
        return null;
    }
}
