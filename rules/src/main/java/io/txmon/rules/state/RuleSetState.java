package io.txmon.rules.state;

import io.txmon.rules.Rule;
import io.txmon.rules.config.RuleSet;
import io.txmon.rules.config.RuleSettings;

import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The state of one worker's rule set in a snapshot: the settings in effect (for a configured set) and each rule's
 * own state, framed so that a reader knows which rule each section belongs to and where it ends.
 * <pre>
 *   boolean  configured            true if the set has settings
 *   [int     keys                  if configured: every key of RuleSettings.toKeys(), in key order
 *    string  key, string value]
 *   int      rules                 rules in the set, in the set's order
 *   per rule:
 *     int    rule id
 *     int    rule version
 *     int    length                bytes of the rule's own state that follow
 *     byte[] state                 what Rule.writeState wrote
 * </pre>
 * A reader refuses (with a {@link StateException}) a section whose rule id, version or order differs from the rule
 * the settings make, a length past the end, and a rule that leaves bytes of its section unread.
 */
public final class RuleSetState
{
    private static final int MAX_KEYS = 4096;
    private static final int MAX_TEXT = 4096;
    private static final int MAX_RULES = 1024;

    private RuleSetState()
    {
    }

    /**
     * @param set of a worker.
     * @return the first rule of the set that cannot be snapshotted, or null if every one can.
     */
    public static Rule unsupported(final RuleSet set)
    {
        for (final Rule rule : set.rules())
        {
            if (!rule.snapshots())
            {
                return rule;
            }
        }
        return null;
    }

    /**
     * Write a set: call only if {@link #unsupported(RuleSet)} is null.
     *
     * @param set to write.
     * @param out to write to.
     */
    public static void write(final RuleSet set, final StateWriter out)
    {
        writeSettings(set.settings(), out);
        set.accounts().writeTo(out);
        final Rule[] rules = set.rules();
        out.putInt(rules.length);
        for (final Rule rule : rules)
        {
            out.putInt(rule.id()).putInt(rule.version());
            final int lengthAt = out.position();
            out.putInt(0);
            rule.writeState(out);
            out.putIntAt(lengthAt, out.position() - lengthAt - Integer.BYTES);
        }
    }

    /**
     * Reads what {@link #write} wrote into a new rule set.
     *
     * @param in         the state.
     * @param defaults   the catalogue's settings the written keys apply to.
     * @param fixedRules the rules, when the set was written without settings.
     * @param limits     the worker's account limits; state written with others is refused.
     * @return the restored set.
     * @throws StateException if the state is damaged or does not fit this engine.
     */
    public static RuleSet read(
        final StateReader in,
        final RuleSettings defaults,
        final Supplier<Rule[]> fixedRules,
        final AccountStore.Limits limits)
    {
        final RuleSettings settings = readSettings(in, defaults);
        final RuleSet set = null == settings ? RuleSet.fixed(fixedRules.get(), limits) : RuleSet.of(settings, limits);
        final AccountStore accounts = set.accounts();
        accounts.readFrom(in);
        final int held = accounts.size();
        final Rule[] rules = set.rules();
        final int count = in.getCount(0, MAX_RULES, "rules");
        in.require(count == rules.length, count + " rules written, " + rules.length + " in the set they make");
        final StateReader section = new StateReader();
        for (final Rule rule : rules)
        {
            final int id = in.getInt();
            final int version = in.getInt();
            in.require(id == rule.id() && version == rule.version(),
                "state of rule " + id + " version " + version + " where " + rule.name() + " (rule " + rule.id() +
                " version " + rule.version() + ") is expected");
            in.require(rule.snapshots(), rule.name() + " cannot be restored from a snapshot");
            final int length = in.getCount(0, in.remaining(), "length of " + rule.name() + "'s state");
            section.wrap(in.buffer(), in.position(), length, in.section() + " " + rule.name());
            rule.readState(section);
            section.requireEnd();
            in.skip(length);
            in.require(accounts.size() == held, rule.name() + " holds state for an account the store does not");
        }
        return set;
    }

    /**
     * Reads one worker's part of a snapshot.
     *
     * @param buffer     the snapshot.
     * @param offset     where the part starts.
     * @param length     its length.
     * @param name       the part's name, for errors.
     * @param defaults   the catalogue's settings.
     * @param fixedRules the rules, when the part was written without settings.
     * @param limits     the worker's account limits.
     * @return the restored set.
     */
    public static RuleSet readPart(
        final org.agrona.DirectBuffer buffer,
        final int offset,
        final int length,
        final String name,
        final RuleSettings defaults,
        final Supplier<Rule[]> fixedRules,
        final AccountStore.Limits limits)
    {
        final StateReader in = new StateReader().wrap(buffer, offset, length, name);
        final RuleSet set = read(in, defaults, fixedRules, limits);
        in.requireEnd();
        return set;
    }

    /**
     * Write settings, or their absence, as {@code boolean present, int keys, (string key, string value)...}: every
     * key of {@link RuleSettings#toKeys()}, in key order.
     *
     * @param settings to write, or null.
     * @param out      to write to.
     */
    public static void writeSettings(final RuleSettings settings, final StateWriter out)
    {
        out.putBoolean(null != settings);
        if (null != settings)
        {
            final Map<String, String> keys = settings.toKeys();
            out.putInt(keys.size());
            for (final Map.Entry<String, String> key : keys.entrySet())
            {
                out.putString(key.getKey()).putString(key.getValue());
            }
        }
    }

    /**
     * @param in       positioned at settings {@link #writeSettings} wrote.
     * @param defaults the keys apply to.
     * @return the settings, or null if none were written.
     * @throws StateException if the keys are refused.
     */
    public static RuleSettings readSettings(final StateReader in, final RuleSettings defaults)
    {
        if (!in.getBoolean())
        {
            return null;
        }
        final int count = in.getCount(0, MAX_KEYS, "settings keys");
        final Map<String, String> keys = new TreeMap<>();
        for (int i = 0; i < count; i++)
        {
            keys.put(in.getString(MAX_TEXT, "key"), in.getString(MAX_TEXT, "value"));
        }
        try
        {
            return defaults.with(keys);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new StateException(in.section() + ": the settings written are refused: " + ex.getMessage());
        }
    }
}
