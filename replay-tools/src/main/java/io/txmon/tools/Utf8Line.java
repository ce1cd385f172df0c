package io.txmon.tools;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A line of text built straight into UTF-8 bytes, for output that is mostly ASCII: numbers are written as
 * digits without an intermediate {@code String}, and the bytes go to the output without a copy through
 * {@code char}s. Reused from line to line; grows as needed. A surrogate pair given one {@code char} at a time
 * is encoded as its code point; a lone surrogate as {@code '?'}.
 */
final class Utf8Line
{
    private static final int INITIAL_CAPACITY = 1024;
    private static final int MAX_LONG_DIGITS = 20;

    private byte[] bytes = new byte[INITIAL_CAPACITY];
    private int length;
    private char highSurrogate;

    /**
     * Empty the line.
     *
     * @return this.
     */
    Utf8Line reset()
    {
        length = 0;
        highSurrogate = 0;
        return this;
    }

    /**
     * @return bytes in the line.
     */
    int length()
    {
        return length;
    }

    /**
     * @return the buffer holding the line from index 0; valid until the next change.
     */
    byte[] bytes()
    {
        return bytes;
    }

    Utf8Line append(final char c)
    {
        if (c < 0x80 && highSurrogate == 0)
        {
            ensure(1);
            bytes[length++] = (byte)c;
            return this;
        }
        ensure(4);
        if (highSurrogate != 0)
        {
            final char high = highSurrogate;
            highSurrogate = 0;
            if (Character.isLowSurrogate(c))
            {
                final int codePoint = Character.toCodePoint(high, c);
                bytes[length++] = (byte)(0xF0 | (codePoint >> 18));
                bytes[length++] = (byte)(0x80 | ((codePoint >> 12) & 0x3F));
                bytes[length++] = (byte)(0x80 | ((codePoint >> 6) & 0x3F));
                bytes[length++] = (byte)(0x80 | (codePoint & 0x3F));
                return this;
            }
            bytes[length++] = (byte)'?';
            return append(c);
        }
        if (c < 0x80)
        {
            bytes[length++] = (byte)c;
        }
        else if (c < 0x800)
        {
            bytes[length++] = (byte)(0xC0 | (c >> 6));
            bytes[length++] = (byte)(0x80 | (c & 0x3F));
        }
        else if (Character.isHighSurrogate(c))
        {
            highSurrogate = c;
        }
        else if (Character.isLowSurrogate(c))
        {
            bytes[length++] = (byte)'?';
        }
        else
        {
            bytes[length++] = (byte)(0xE0 | (c >> 12));
            bytes[length++] = (byte)(0x80 | ((c >> 6) & 0x3F));
            bytes[length++] = (byte)(0x80 | (c & 0x3F));
        }
        return this;
    }

    Utf8Line append(final CharSequence text)
    {
        return append(text, 0, text.length());
    }

    Utf8Line append(final CharSequence text, final int start, final int end)
    {
        ensure(end - start);
        for (int i = start; i < end; i++)
        {
            final char c = text.charAt(i);
            if (c < 0x80 && highSurrogate == 0)
            {
                bytes[length++] = (byte)c;
            }
            else
            {
                append(c);
                ensure(end - i);
            }
        }
        return this;
    }

    Utf8Line append(final long value)
    {
        if (value == Long.MIN_VALUE)
        {
            return append(Long.toString(value));
        }
        ensure(MAX_LONG_DIGITS);
        long rest = value;
        if (rest < 0)
        {
            bytes[length++] = (byte)'-';
            rest = -rest;
        }
        int digits = 1;
        for (long bound = 10; digits < 19 && rest >= bound; bound *= 10)
        {
            digits++;
        }
        int at = length + digits;
        length = at;
        do
        {
            bytes[--at] = (byte)('0' + (int)(rest % 10));
            rest /= 10;
        }
        while (rest != 0);
        return this;
    }

    Utf8Line append(final int value)
    {
        return append((long)value);
    }

    private void ensure(final int more)
    {
        if (length + more > bytes.length)
        {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
        }
    }

    /**
     * @return the line decoded, for tests and messages.
     */
    @Override
    public String toString()
    {
        return new String(bytes, 0, length, StandardCharsets.UTF_8);
    }
}
