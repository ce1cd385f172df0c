package io.txmon.rules.config;

import io.txmon.events.codec.Severity;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * One tunable of a rule: a component of the rule's {@code Parameters} record, seen as a configuration key.
 * <p>
 * The key is the component's name in kebab case, without the {@code Nanos} suffix of durations:
 * {@code minCount} is {@code min-count}, {@code windowNanos} is {@code window}. Values are text:
 * <ul>
 *     <li>whole numbers (amounts in minor units, counts, basis points): {@code 1000000} or {@code 1_000_000};</li>
 *     <li>durations: a whole number and a unit, {@code ns us ms s m h d}, such as {@code 48h} or {@code 500ms};</li>
 *     <li>decimals: {@code 2.5};  flags: {@code true} or {@code false};</li>
 *     <li>severities: {@code LOW MEDIUM HIGH CRITICAL};</li>
 *     <li>lists: entries separated by commas, possibly none.</li>
 * </ul>
 * Used when configuration is loaded or changed, never per event.
 */
public final class Parameter
{
    /**
     * What a value is.
     */
    public enum Kind
    {
        /** A whole number, a long. */
        LONG,
        /** A whole number, an int. */
        INT,
        /** A decimal number. */
        DOUBLE,
        /** true or false. */
        BOOLEAN,
        /** A duration, held in nanoseconds. */
        DURATION,
        /** An alert severity. */
        SEVERITY,
        /** A list of text entries. */
        TEXT_LIST,
        /** A list of whole numbers. */
        NUMBER_LIST
    }

    private static final String DURATION_SUFFIX = "Nanos";
    private static final String[] UNITS = { "d", "h", "m", "s", "ms", "us", "ns" };
    private static final long[] UNIT_NANOS =
        { 86_400_000_000_000L, 3_600_000_000_000L, 60_000_000_000L, 1_000_000_000L, 1_000_000L, 1_000L, 1L };

    private final String key;
    private final RecordComponent component;
    private final Kind kind;

    Parameter(final RecordComponent component)
    {
        this.component = component;
        final Class<?> type = component.getType();
        final String name = component.getName();
        if (type == long.class)
        {
            kind = name.endsWith(DURATION_SUFFIX) ? Kind.DURATION : Kind.LONG;
        }
        else if (type == int.class)
        {
            kind = Kind.INT;
        }
        else if (type == double.class)
        {
            kind = Kind.DOUBLE;
        }
        else if (type == boolean.class)
        {
            kind = Kind.BOOLEAN;
        }
        else if (type == Severity.class)
        {
            kind = Kind.SEVERITY;
        }
        else if (type == String[].class)
        {
            kind = Kind.TEXT_LIST;
        }
        else if (type == long[].class)
        {
            kind = Kind.NUMBER_LIST;
        }
        else
        {
            throw new IllegalStateException(
                "parameter " + name + " of " + component.getDeclaringRecord().getName() + " has type " + type +
                ", which configuration cannot bind");
        }
        this.key = keyOf(name, kind == Kind.DURATION);
    }

    /**
     * @return the configuration key within the rule, such as {@code min-count}.
     */
    public String key()
    {
        return key;
    }

    /**
     * @return the name of the record component.
     */
    public String componentName()
    {
        return component.getName();
    }

    /**
     * @return what the value is.
     */
    public Kind kind()
    {
        return kind;
    }

    /**
     * @return true for list parameters, which also take {@code LIST_ADD} and {@code LIST_REMOVE} changes.
     */
    public boolean isList()
    {
        return kind == Kind.TEXT_LIST || kind == Kind.NUMBER_LIST;
    }

    Object get(final Record parameters)
    {
        try
        {
            return component.getAccessor().invoke(parameters);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new IllegalStateException("cannot read " + component, ex);
        }
    }

    /**
     * Parse a value of this parameter.
     *
     * @param text of the value.
     * @return the value, boxed, in the component's type.
     * @throws IllegalArgumentException saying what is accepted.
     */
    public Object parse(final String text)
    {
        final String value = text.trim();
        switch (kind)
        {
            case LONG:
                return parseLong(value);
            case INT:
            {
                final long v = parseLong(value);
                if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE)
                {
                    throw new IllegalArgumentException("'" + value + "' is out of range for a whole number here");
                }
                return (int)v;
            }
            case DOUBLE:
            {
                try
                {
                    final double v = Double.parseDouble(value);
                    if (!Double.isFinite(v))
                    {
                        throw new NumberFormatException();
                    }
                    return v;
                }
                catch (final NumberFormatException ex)
                {
                    throw new IllegalArgumentException("'" + value + "' is not a number; give one such as 2.5");
                }
            }
            case BOOLEAN:
                if ("true".equalsIgnoreCase(value))
                {
                    return Boolean.TRUE;
                }
                if ("false".equalsIgnoreCase(value))
                {
                    return Boolean.FALSE;
                }
                throw new IllegalArgumentException("'" + value + "' is not true or false");
            case DURATION:
                return parseDuration(value);
            case SEVERITY:
                for (final Severity severity : Severity.values())
                {
                    if (severity != Severity.NULL_VAL && severity.name().equalsIgnoreCase(value))
                    {
                        return severity;
                    }
                }
                throw new IllegalArgumentException("'" + value + "' is not a severity; give LOW, MEDIUM, HIGH or CRITICAL");
            case TEXT_LIST:
                return splitList(value).toArray(new String[0]);
            case NUMBER_LIST:
            {
                final List<String> entries = splitList(value);
                final long[] numbers = new long[entries.size()];
                for (int i = 0; i < numbers.length; i++)
                {
                    numbers[i] = parseLong(entries.get(i));
                }
                return numbers;
            }
            default:
                throw new IllegalStateException(kind.name());
        }
    }

    /**
     * Parse one entry of a list parameter.
     *
     * @param text of the entry.
     * @return the entry: a String or a Long.
     */
    Object parseEntry(final String text)
    {
        final String value = text.trim();
        if (value.isEmpty() || value.indexOf(',') >= 0)
        {
            throw new IllegalArgumentException("'" + value + "' is not one list entry");
        }
        return kind == Kind.NUMBER_LIST ? (Object)parseLong(value) : value;
    }

    /**
     * Format a value as configuration text that {@link #parse(String)} reads back to an equal value.
     *
     * @param value in the component's type.
     * @return the text.
     */
    public String format(final Object value)
    {
        switch (kind)
        {
            case DURATION:
                return formatDuration((Long)value);
            case SEVERITY:
                return ((Severity)value).name();
            case TEXT_LIST:
                return String.join(",", (String[])value);
            case NUMBER_LIST:
            {
                final StringBuilder text = new StringBuilder();
                for (final long number : (long[])value)
                {
                    if (text.length() > 0)
                    {
                        text.append(',');
                    }
                    text.append(number);
                }
                return text.toString();
            }
            default:
                return String.valueOf(value);
        }
    }

    /**
     * A list with one entry added at the end, or removed; the list itself is not changed.
     *
     * @param list  value of this parameter.
     * @param entry from {@link #parseEntry(String)}.
     * @param add   true to add, false to remove.
     * @return the new list, or the same list if nothing changes.
     */
    Object withEntry(final Object list, final Object entry, final boolean add)
    {
        if (kind == Kind.TEXT_LIST)
        {
            final List<String> entries = new ArrayList<>(Arrays.asList((String[])list));
            final boolean present = entries.contains((String)entry);
            if (add == present)
            {
                return list;
            }
            if (add)
            {
                entries.add((String)entry);
            }
            else
            {
                entries.remove((String)entry);
            }
            return entries.toArray(new String[0]);
        }
        final long[] numbers = (long[])list;
        final long number = (Long)entry;
        int index = -1;
        for (int i = 0; i < numbers.length; i++)
        {
            if (numbers[i] == number)
            {
                index = i;
                break;
            }
        }
        if (add == (index >= 0))
        {
            return list;
        }
        if (add)
        {
            final long[] more = Arrays.copyOf(numbers, numbers.length + 1);
            more[numbers.length] = number;
            return more;
        }
        final long[] fewer = new long[numbers.length - 1];
        System.arraycopy(numbers, 0, fewer, 0, index);
        System.arraycopy(numbers, index + 1, fewer, index, numbers.length - index - 1);
        return fewer;
    }

    /**
     * @return what a value looks like, for error messages.
     */
    String expected()
    {
        switch (kind)
        {
            case DURATION:
                return "a duration such as 48h, 30m, 10s or 500ms";
            case SEVERITY:
                return "LOW, MEDIUM, HIGH or CRITICAL";
            case TEXT_LIST:
            case NUMBER_LIST:
                return "entries separated by commas";
            case BOOLEAN:
                return "true or false";
            case DOUBLE:
                return "a decimal number";
            default:
                return "a whole number";
        }
    }

    static String keyOf(final String componentName, final boolean duration)
    {
        final String name = duration ?
            componentName.substring(0, componentName.length() - DURATION_SUFFIX.length()) : componentName;
        final StringBuilder key = new StringBuilder(name.length() + 4);
        for (int i = 0; i < name.length(); i++)
        {
            final char c = name.charAt(i);
            if (Character.isUpperCase(c))
            {
                if (i > 0)
                {
                    key.append('-');
                }
                key.append(Character.toLowerCase(c));
            }
            else
            {
                key.append(c);
            }
        }
        return key.toString();
    }

    private static List<String> splitList(final String value)
    {
        final List<String> entries = new ArrayList<>();
        if (value.isEmpty())
        {
            return entries;
        }
        for (final String entry : value.split(",", -1))
        {
            final String trimmed = entry.trim();
            if (trimmed.isEmpty())
            {
                throw new IllegalArgumentException("'" + value + "' has an empty entry; separate entries by one comma");
            }
            if (!entries.contains(trimmed))
            {
                entries.add(trimmed);
            }
        }
        return entries;
    }

    private static long parseLong(final String value)
    {
        try
        {
            return Long.parseLong(value.replace("_", ""));
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("'" + value + "' is not a whole number");
        }
    }

    /**
     * A duration as the configuration writes it, e.g. {@code 48h}, {@code 500ms}, {@code 30s}.
     *
     * @param value text: a whole number and a unit (d, h, m, s, ms, us, ns).
     * @return nanoseconds.
     * @throws IllegalArgumentException with a message saying what is wrong.
     */
    public static long parseDuration(final String value)
    {
        final String text = value.toLowerCase(Locale.ROOT);
        int split = text.length();
        while (split > 0 && Character.isLetter(text.charAt(split - 1)))
        {
            split--;
        }
        final String unit = text.substring(split);
        for (int u = 0; u < UNITS.length; u++)
        {
            if (UNITS[u].equals(unit))
            {
                final long amount;
                try
                {
                    amount = Long.parseLong(text.substring(0, split).trim().replace("_", ""));
                }
                catch (final NumberFormatException ex)
                {
                    break;
                }
                if (amount < 0 || amount > Long.MAX_VALUE / UNIT_NANOS[u])
                {
                    throw new IllegalArgumentException("'" + value + "' is out of range for a duration");
                }
                return amount * UNIT_NANOS[u];
            }
        }
        throw new IllegalArgumentException(
            "'" + value + "' is not a duration; give a whole number and a unit (d, h, m, s, ms, us, ns) such as 48h");
    }

    /**
     * @param nanos a duration.
     * @return it in the largest unit that divides it, as {@link #parseDuration(String)} reads it.
     */
    public static String formatDuration(final long nanos)
    {
        if (nanos == 0)
        {
            return "0s";
        }
        for (int u = 0; u < UNITS.length; u++)
        {
            if (nanos % UNIT_NANOS[u] == 0)
            {
                return (nanos / UNIT_NANOS[u]) + UNITS[u];
            }
        }
        return nanos + "ns";
    }
}
