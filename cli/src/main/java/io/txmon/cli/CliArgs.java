package io.txmon.cli;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Parsed command-line options of the form {@code --name value} and {@code --flag}. Unknown options and
 * malformed values are {@link UsageException}s whose message says what to do.
 */
public final class CliArgs
{
    private final String command;
    private final Map<String, String> values = new HashMap<>();
    private final Map<String, String> labels = new HashMap<>();

    private CliArgs(final String command)
    {
        this.command = command;
    }

    /**
     * @param command  name, for messages.
     * @param args     to parse.
     * @param withValue options that take a value.
     * @param flags    options that take none.
     * @return the parsed options.
     */
    public static CliArgs parse(final String command, final String[] args, final Set<String> withValue, final Set<String> flags)
    {
        final CliArgs parsed = new CliArgs(command);
        for (int i = 0; i < args.length; i++)
        {
            final String arg = args[i];
            final int eq = arg.indexOf('=');
            final String name = eq > 0 ? arg.substring(0, eq) : arg;
            if (flags.contains(name) && eq < 0)
            {
                parsed.values.put(name, "true");
            }
            else if (withValue.contains(name))
            {
                if (eq > 0)
                {
                    parsed.values.put(name, arg.substring(eq + 1));
                }
                else if (i + 1 < args.length)
                {
                    parsed.values.put(name, args[++i]);
                }
                else
                {
                    throw new UsageException(name + " needs a value; see 'txmon " + command + " --help'");
                }
            }
            else
            {
                throw new UsageException("unknown option '" + arg + "' for 'txmon " + command + "'; see 'txmon " +
                    command + " --help'");
            }
        }
        return parsed;
    }

    /**
     * Take values from another source, such as a configuration file, for the options the command line did not
     * give: the command line wins. Messages about such a value name where it came from.
     *
     * @param fallback values by option name, {@code --name}; a flag is present when its value is "true".
     * @param origin   of the values, for messages, e.g. {@code "run.properties"}.
     * @return this.
     */
    public CliArgs withFallback(final Map<String, String> fallback, final String origin)
    {
        for (final Map.Entry<String, String> e : fallback.entrySet())
        {
            if (!values.containsKey(e.getKey()))
            {
                values.put(e.getKey(), e.getValue());
                labels.put(e.getKey(), e.getKey().substring(2) + " in " + origin);
            }
        }
        return this;
    }

    /**
     * @param name of an option.
     * @return how messages name its value: the option, or the key of the file it came from.
     */
    public String label(final String name)
    {
        return labels.getOrDefault(name, name);
    }

    public boolean has(final String name)
    {
        return values.containsKey(name);
    }

    public String get(final String name, final String defaultValue)
    {
        return values.getOrDefault(name, defaultValue);
    }

    public long getLong(final String name, final long defaultValue, final long min, final long max)
    {
        final String text = values.get(name);
        if (null == text)
        {
            return defaultValue;
        }
        final long value;
        try
        {
            value = Long.parseLong(text.replace("_", ""));
        }
        catch (final NumberFormatException ex)
        {
            throw new UsageException(label(name) + " takes a whole number, not '" + text + "'");
        }
        if (value < min || value > max)
        {
            throw new UsageException(label(name) + " must be between " + min + " and " + max + ", was " + value);
        }
        return value;
    }

    /**
     * A command line that cannot be run as given; the message says why and what to do.
     */
    public static final class UsageException extends RuntimeException
    {
        private static final long serialVersionUID = 1L;

        /**
         * @param message saying what is wrong and what to do, one line.
         */
        public UsageException(final String message)
        {
            super(message);
        }
    }
}
