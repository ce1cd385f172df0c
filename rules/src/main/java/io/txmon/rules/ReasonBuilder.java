package io.txmon.rules;

import io.txmon.events.Currencies;
import org.agrona.AsciiEncoding;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Builds an alert's reason as ASCII text in a pre-allocated buffer, so raising an alert allocates
 * nothing.
 * <p>
 * At most {@link #CAPACITY} bytes are kept, and what is kept is always a prefix of the full text in
 * which a number or an amount of money is either whole or absent: text is cut at the capacity, and once
 * anything has been cut every later append is ignored.
 */
public final class ReasonBuilder
{
    /** Longest reason kept, in bytes. */
    public static final int CAPACITY = 240;

    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[CAPACITY]);
    private int length;
    private boolean full;

    /**
     * Append text; characters outside ASCII become '?'.
     *
     * @param text to append.
     * @return this.
     */
    public ReasonBuilder append(final String text)
    {
        if (full)
        {
            return this;
        }
        int n = text.length();
        if (n > CAPACITY - length)
        {
            n = CAPACITY - length;
            full = true;
        }
        for (int i = 0; i < n; i++)
        {
            final char c = text.charAt(i);
            buffer.putByte(length++, c < 128 ? (byte)c : (byte)'?');
        }
        return this;
    }

    /**
     * Append a decimal integer, whole or not at all.
     *
     * @param value to append.
     * @return this.
     */
    public ReasonBuilder append(final long value)
    {
        if (full)
        {
            return this;
        }
        final int digits = value < 0 ?
            (value == Long.MIN_VALUE ? 20 : 1 + AsciiEncoding.digitCount(-value)) : AsciiEncoding.digitCount(value);
        if (digits > CAPACITY - length)
        {
            full = true;
            return this;
        }
        length += buffer.putLongAscii(length, value);
        return this;
    }

    /**
     * Append a payment's amount, and after it, if its currency is not the reference currency, the amount converted
     * in parentheses: {@code 1000000 JPY (6100.00 EUR)}.
     *
     * @param minorUnits          the amount, in minor units of {@code currency}.
     * @param currency            ISO 4217 numeric code of the payment's currency.
     * @param referenceMinorUnits the amount in minor units of the reference currency.
     * @param referenceCurrency   ISO 4217 numeric code of the reference currency.
     * @return this.
     */
    public ReasonBuilder appendMoney(
        final long minorUnits, final int currency, final long referenceMinorUnits, final int referenceCurrency)
    {
        appendMoney(minorUnits, currency);
        if (currency != referenceCurrency)
        {
            append(" (").appendMoney(referenceMinorUnits, referenceCurrency).append(")");
        }
        return this;
    }

    /**
     * Append an amount of money as decimal major units and the currency's alphabetic code, such as
     * {@code 12500.00 EUR}; whole or not at all.
     *
     * @param minorUnits amount in the currency's minor units.
     * @param currency   ISO 4217 numeric code.
     * @return this.
     */
    public ReasonBuilder appendMoney(final long minorUnits, final int currency)
    {
        if (full)
        {
            return this;
        }
        final int start = length;
        final int digits = Currencies.minorUnits(currency);
        if (digits <= 0)
        {
            append(minorUnits);
        }
        else
        {
            long scale = 1;
            for (int i = 0; i < digits; i++)
            {
                scale *= 10;
            }
            final long major = minorUnits / scale;
            long minor = Math.abs(minorUnits % scale);
            if (minorUnits < 0 && major == 0)
            {
                append("-");
            }
            append(major).append(".");
            for (long s = scale / 10; s > 0; s /= 10)
            {
                append(minor / s);
                minor %= s;
            }
        }
        final String alpha = Currencies.alpha(currency);
        if (alpha != null)
        {
            append(" ").append(alpha);
        }
        else
        {
            append(" (currency ").append(currency).append(")");
        }
        if (full)
        {
            length = start;
        }
        return this;
    }

    /**
     * Append a duration in the largest unit that divides it exactly: d, h, min, s, ms or ns, such as
     * {@code 24 h}.
     *
     * @param nanos the duration in nanoseconds.
     * @return this.
     */
    public ReasonBuilder appendDuration(final long nanos)
    {
        final long ms = 1_000_000L;
        final long second = 1_000 * ms;
        final long minute = 60 * second;
        final long hour = 60 * minute;
        final long day = 24 * hour;
        if (nanos % day == 0)
        {
            return append(nanos / day).append(" d");
        }
        if (nanos % hour == 0)
        {
            return append(nanos / hour).append(" h");
        }
        if (nanos % minute == 0)
        {
            return append(nanos / minute).append(" min");
        }
        if (nanos % second == 0)
        {
            return append(nanos / second).append(" s");
        }
        if (nanos % ms == 0)
        {
            return append(nanos / ms).append(" ms");
        }
        return append(nanos).append(" ns");
    }

    /**
     * @return the bytes of the reason; valid up to {@link #length()}.
     */
    public DirectBuffer buffer()
    {
        return buffer;
    }

    /**
     * @return the reason's length in bytes.
     */
    public int length()
    {
        return length;
    }

    /**
     * @return true if some text did not fit and was left out.
     */
    public boolean isTruncated()
    {
        return full;
    }

    @Override
    public String toString()
    {
        return buffer.getStringWithoutLengthAscii(0, length);
    }

    void clear()
    {
        length = 0;
        full = false;
    }
}
