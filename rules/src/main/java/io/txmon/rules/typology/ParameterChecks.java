package io.txmon.rules.typology;

/**
 * The checks every typology's {@code Parameters} record makes in its compact constructor, so that they all
 * refuse alike: an {@link IllegalArgumentException} whose message names the rule, the record component and
 * what it must be, then the value given ({@code structuring minCount must be 2 to 1024, was 1}). Configuration
 * turns the component into its key ({@link io.txmon.rules.config.RuleType}), so these words are what an operator
 * reads. Called when parameters are made, never per event.
 */
final class ParameterChecks
{
    private ParameterChecks()
    {
    }

    /**
     * @param rule  name of the rule.
     * @param name  of the component.
     * @param value given.
     * @throws IllegalArgumentException unless {@code 0 < value}.
     */
    static void positive(final String rule, final String name, final long value)
    {
        if (value <= 0)
        {
            throw refused(rule, name, "positive", value);
        }
    }

    /**
     * @param rule  name of the rule.
     * @param name  of the component.
     * @param value given.
     * @param min   least allowed.
     * @throws IllegalArgumentException unless {@code min <= value}.
     */
    static void atLeast(final String rule, final String name, final long value, final long min)
    {
        if (value < min)
        {
            throw refused(rule, name, min + " or more", value);
        }
    }

    /**
     * @param rule  name of the rule.
     * @param name  of the component.
     * @param value given.
     * @param min   least allowed.
     * @param max   most allowed.
     * @throws IllegalArgumentException unless {@code min <= value <= max}.
     */
    static void range(final String rule, final String name, final long value, final long min, final long max)
    {
        if (value < min || value > max)
        {
            throw refused(rule, name, min + " to " + max, value);
        }
    }

    /**
     * A range whose lower bound is another component, named in the message
     * ({@code capacity must be minOrders 50 to 65536}).
     *
     * @param rule    name of the rule.
     * @param name    of the component.
     * @param value   given.
     * @param minName the component that is the lower bound.
     * @param min     its value.
     * @param max     most allowed.
     * @throws IllegalArgumentException unless {@code min <= value <= max}.
     */
    static void range(
        final String rule, final String name, final long value, final String minName, final long min, final long max)
    {
        if (value < min || value > max)
        {
            throw refused(rule, name, minName + " " + min + " to " + max, value);
        }
    }

    /**
     * A single value, such as a severity or the parameters themselves.
     *
     * @param rule  name of the rule.
     * @param name  of the component.
     * @param value given.
     * @param <T>   its type.
     * @return the value.
     * @throws IllegalArgumentException if null.
     */
    static <T> T set(final String rule, final String name, final T value)
    {
        if (null == value)
        {
            throw refused(rule, name, "set", null);
        }
        return value;
    }

    /**
     * A list, which may be empty but not absent.
     *
     * @param rule  name of the rule.
     * @param name  of the component.
     * @param value given.
     * @param <T>   its type.
     * @return the value.
     * @throws IllegalArgumentException if null.
     */
    static <T> T given(final String rule, final String name, final T value)
    {
        if (null == value)
        {
            throw refused(rule, name, "given", null);
        }
        return value;
    }

    /**
     * Any other condition, in the same words.
     *
     * @param holds       whether the value is acceptable.
     * @param rule        name of the rule.
     * @param name        of the component.
     * @param requirement what it must be, such as {@code above smallLimit 200}.
     * @param value       given, as the message shows it.
     * @throws IllegalArgumentException unless it holds.
     */
    static void check(
        final boolean holds, final String rule, final String name, final String requirement, final Object value)
    {
        if (!holds)
        {
            throw refused(rule, name, requirement, value);
        }
    }

    private static IllegalArgumentException refused(
        final String rule, final String name, final String requirement, final Object value)
    {
        return new IllegalArgumentException(rule + " " + name + " must be " + requirement + ", was " + value);
    }
}
