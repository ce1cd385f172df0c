package io.txmon.tools;

import io.txmon.cli.CliArgs;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * Times on the command line ({@code --from-time}, {@code --to-time}, {@code --to-datetime}), as epoch
 * nanoseconds:
 * <ul>
 *     <li>ISO 8601: {@code 2026-11-25T10:15:30Z}, {@code 2026-11-25T10:15:30.123+01:00},
 *     {@code 2026-11-25T10:15:30} (UTC), {@code 2026-11-25} (midnight UTC);</li>
 *     <li>relative to now: {@code -15m}, {@code -2h}, {@code -7d}, {@code -30s}, {@code -500ms}, and {@code now};</li>
 *     <li>epoch nanoseconds: a plain whole number of at least 13 digits, as journal records print them.</li>
 * </ul>
 */
public final class TimeArgs
{
    private TimeArgs()
    {
    }

    /**
     * @param option   name, for the message.
     * @param text     given.
     * @param nowNanos epoch nanoseconds that relative times count from.
     * @return epoch nanoseconds.
     * @throws CliArgs.UsageException saying what forms are accepted.
     */
    public static long parse(final String option, final String text, final long nowNanos)
    {
        final String value = text.trim();
        if ("now".equalsIgnoreCase(value))
        {
            return nowNanos;
        }
        if (value.startsWith("-") || value.startsWith("+"))
        {
            final long nanos = duration(option, value.substring(1));
            return value.startsWith("-") ? nowNanos - nanos : nowNanos + nanos;
        }
        if (value.matches("\\d{13,19}"))
        {
            return Long.parseLong(value);
        }
        try
        {
            return nanos(OffsetDateTime.parse(value).toInstant());
        }
        catch (final DateTimeParseException ignore)
        {
            // try the next form
        }
        try
        {
            return nanos(LocalDateTime.parse(value).toInstant(ZoneOffset.UTC));
        }
        catch (final DateTimeParseException ignore)
        {
            // try the next form
        }
        try
        {
            return nanos(LocalDate.parse(value).atStartOfDay().toInstant(ZoneOffset.UTC));
        }
        catch (final DateTimeParseException ignore)
        {
            throw new CliArgs.UsageException(option + " '" + text + "' is not a time; give ISO 8601 such as " +
                "2026-11-25T10:15:30Z or 2026-11-25, a duration back from now such as -15m, -2h or -7d, or now");
        }
    }

    /**
     * @param option name, for the message.
     * @param text   a whole number and a unit: {@code ns us ms s m h d}.
     * @return nanoseconds.
     */
    public static long duration(final String option, final String text)
    {
        final String value = text.trim().toLowerCase(Locale.ROOT);
        final String[] units = { "ms", "us", "ns", "s", "m", "h", "d" };
        final long[] nanos = { 1_000_000L, 1_000L, 1L, 1_000_000_000L, 60_000_000_000L, 3_600_000_000_000L,
            86_400_000_000_000L };
        for (int i = 0; i < units.length; i++)
        {
            if (value.endsWith(units[i]))
            {
                final String number = value.substring(0, value.length() - units[i].length());
                if (number.matches("\\d{1,12}"))
                {
                    final long amount = Long.parseLong(number);
                    if (amount <= Long.MAX_VALUE / nanos[i])
                    {
                        return amount * nanos[i];
                    }
                }
                break;
            }
        }
        throw new CliArgs.UsageException(option + " '" + text + "' is not a duration; give a whole number and a " +
            "unit (ms, s, m, h, d) such as 15m");
    }

    /**
     * @param epochNanos a time.
     * @return it in ISO 8601, UTC, to the nanosecond when it has them.
     */
    public static String format(final long epochNanos)
    {
        final long seconds = Math.floorDiv(epochNanos, 1_000_000_000L);
        return Instant.ofEpochSecond(seconds, Math.floorMod(epochNanos, 1_000_000_000L)).toString();
    }

    private static long nanos(final Instant instant)
    {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano());
    }
}
