package io.txmon.rules.config;

import java.util.List;

/**
 * A rule configuration that cannot be used: every problem found, each naming the key and saying what is wrong
 * and what is accepted.
 */
public final class ConfigException extends IllegalArgumentException
{
    private static final long serialVersionUID = 1L;

    /** The problems, one sentence each. */
    private final transient List<String> problems;

    /**
     * @param problems found, at least one; each starts with the key it is about.
     */
    public ConfigException(final List<String> problems)
    {
        super(String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    /**
     * @param problem found, starting with the key it is about.
     */
    public ConfigException(final String problem)
    {
        this(List.of(problem));
    }

    /**
     * @return every problem, one sentence each, in key order.
     */
    public List<String> problems()
    {
        return problems;
    }
}
