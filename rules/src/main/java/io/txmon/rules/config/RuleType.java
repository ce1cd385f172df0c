package io.txmon.rules.config;

import io.txmon.rules.Rule;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;

/**
 * A kind of rule that configuration can name: its id and name, its {@code Parameters} record with their
 * defaults, and how to make an instance from parameters. Instances are made when configuration is loaded or
 * changed, never per event.
 *
 * @param <P> the rule's parameters record.
 */
public final class RuleType<P extends Record>
{
    private final int id;
    private final String name;
    private final Class<P> parametersType;
    private final P defaults;
    private final Function<P, Rule> factory;
    private final boolean enabledByDefault;
    private final List<Parameter> parameters;
    private final Constructor<P> canonical;

    /**
     * @param id               of the rule, as its instances report it.
     * @param name             of the rule in configuration, as its instances report it.
     * @param parametersType   the rule's parameters record.
     * @param defaults         the documented defaults.
     * @param factory          makes an instance from parameters.
     * @param enabledByDefault whether the rule runs when configuration does not say.
     */
    public RuleType(
        final int id,
        final String name,
        final Class<P> parametersType,
        final P defaults,
        final Function<P, Rule> factory,
        final boolean enabledByDefault)
    {
        this.id = id;
        this.name = name;
        this.parametersType = parametersType;
        this.defaults = defaults;
        this.factory = factory;
        this.enabledByDefault = enabledByDefault;

        final RecordComponent[] components = parametersType.getRecordComponents();
        final List<Parameter> list = new ArrayList<>(components.length);
        final Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++)
        {
            list.add(new Parameter(components[i]));
            types[i] = components[i].getType();
        }
        this.parameters = Collections.unmodifiableList(list);
        try
        {
            this.canonical = parametersType.getDeclaredConstructor(types);
        }
        catch (final NoSuchMethodException ex)
        {
            throw new IllegalStateException("no canonical constructor on " + parametersType.getName(), ex);
        }
    }

    /**
     * A rule type whose id and name are those its instances report, enabled by default.
     *
     * @param parametersType the rule's parameters record.
     * @param defaults       the documented defaults.
     * @param factory        makes an instance from parameters.
     * @param <P>            the rule's parameters record.
     * @return the type.
     */
    public static <P extends Record> RuleType<P> of(
        final Class<P> parametersType, final P defaults, final Function<P, Rule> factory)
    {
        final Rule sample = factory.apply(defaults);
        return new RuleType<>(sample.id(), sample.name(), parametersType, defaults, factory, true);
    }

    /**
     * @return the rule id.
     */
    public int id()
    {
        return id;
    }

    /**
     * @return the rule's name in configuration, such as {@code structuring}.
     */
    public String name()
    {
        return name;
    }

    /**
     * @return the parameters record type.
     */
    public Class<P> parametersType()
    {
        return parametersType;
    }

    /**
     * @return the documented default parameters.
     */
    public P defaults()
    {
        return defaults;
    }

    /**
     * @return whether the rule runs when configuration does not say.
     */
    public boolean enabledByDefault()
    {
        return enabledByDefault;
    }

    /**
     * @return the tunables, in record order.
     */
    public List<Parameter> parameters()
    {
        return parameters;
    }

    /**
     * @param key within the rule, such as {@code min-count}.
     * @return the parameter, or null if the rule has none of that name.
     */
    public Parameter parameter(final String key)
    {
        for (final Parameter parameter : parameters)
        {
            if (parameter.key().equals(key))
            {
                return parameter;
            }
        }
        return null;
    }

    /**
     * @return the keys of the parameters, comma separated, for error messages.
     */
    String keys()
    {
        final StringBuilder keys = new StringBuilder();
        for (final Parameter parameter : parameters)
        {
            if (keys.length() > 0)
            {
                keys.append(", ");
            }
            keys.append(parameter.key());
        }
        return keys.toString();
    }

    /**
     * Make a new instance with empty state.
     *
     * @param parameters of the instance.
     * @return the rule.
     */
    public Rule newRule(final Record parameters)
    {
        return factory.apply(parametersType.cast(parameters));
    }

    /**
     * Parameters with some values replaced, validated by the record as a whole, so that values that depend on
     * each other (a capacity and a count, say) may change together.
     *
     * @param current parameters.
     * @param values  new values by parameter, in each parameter's type.
     * @return new parameters.
     * @throws IllegalArgumentException with the record's reason if it refuses the values, naming the key.
     */
    P with(final Record current, final java.util.Map<Parameter, Object> values)
    {
        final Object[] args = new Object[parameters.size()];
        for (int i = 0; i < args.length; i++)
        {
            final Parameter p = parameters.get(i);
            args[i] = values.containsKey(p) ? values.get(p) : p.get(current);
        }
        try
        {
            return canonical.newInstance(args);
        }
        catch (final InvocationTargetException ex)
        {
            final Throwable cause = ex.getCause();
            if (cause instanceof IllegalArgumentException)
            {
                throw new IllegalArgumentException(describe(cause.getMessage()), cause);
            }
            throw new IllegalStateException("parameters of " + name + " failed to build", cause);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new IllegalStateException("parameters of " + name + " failed to build", ex);
        }
    }

    /**
     * Turn a record's validation message, which names the rule and a component ({@code structuring minCount
     * must be ...}), into one that names configuration keys ({@code min-count must be ...}).
     */
    private String describe(final String message)
    {
        String text = null == message ? "refused" : message;
        if (text.startsWith(name + " "))
        {
            text = text.substring(name.length() + 1);
        }
        for (final Parameter parameter : parameters)
        {
            text = text.replaceAll("\\b" + parameter.componentName() + "\\b", parameter.key());
        }
        return text;
    }
}
