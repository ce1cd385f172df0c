package io.txmon.rules.typology;

import io.txmon.rules.Rule;

/**
 * What every built-in typology has: its id, version and name, the validated {@code Parameters} record it was
 * made with (which {@link io.txmon.rules.config.RuleSettings#of} reads back to journal it), and a state that a
 * snapshot can hold. A typology adds its constants, its record and its logic; {@link Typologies} lists it.
 * <p>
 * Single threaded: one instance belongs to one rule worker.
 *
 * @param <P> the rule's parameters record.
 */
public abstract class TypologyRule<P extends Record> implements Rule
{
    private final int id;
    private final int version;
    private final String name;
    private final P parameters;

    /**
     * @param id         stable rule id.
     * @param version    of the logic.
     * @param name       in configuration and alerts.
     * @param parameters validated by their record.
     * @throws IllegalArgumentException if the parameters are null.
     */
    TypologyRule(final int id, final int version, final String name, final P parameters)
    {
        this.id = id;
        this.version = version;
        this.name = name;
        this.parameters = ParameterChecks.set(name, "parameters", parameters);
    }

    /**
     * @return the stable rule id.
     */
    public final int id()
    {
        return id;
    }

    /**
     * @return the version of the logic.
     */
    public final int version()
    {
        return version;
    }

    /**
     * @return the name in configuration and alerts.
     */
    public final String name()
    {
        return name;
    }

    /**
     * @return the parameters the rule was made with.
     */
    public final P parameters()
    {
        return parameters;
    }

    /**
     * @return true: every typology writes and reads back what its decisions depend on (a stateless one writes
     * nothing).
     */
    public final boolean snapshots()
    {
        return true;
    }
}
