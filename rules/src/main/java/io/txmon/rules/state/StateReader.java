package io.txmon.rules.state;

import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

/**
 * Reads back, in order, what a rule wrote to a {@link StateWriter}. Every read is bounds checked against the
 * rule's section: a read past its end, or a count out of its range, throws a {@link StateException} naming the
 * position, so no byte pattern in a snapshot can do more than make the snapshot unusable.
 * <p>
 * Single threaded.
 */
public final class StateReader
{
    private DirectBuffer buffer;
    private int position;
    private int limit;
    private String section = "";

    /**
     * Read bytes {@code offset} to {@code offset + length} of a buffer.
     *
     * @param buffer  holding the state.
     * @param offset  of the first byte.
     * @param length  of the section.
     * @param section named in errors, such as the rule.
     * @return this.
     */
    public StateReader wrap(final DirectBuffer buffer, final int offset, final int length, final String section)
    {
        if (offset < 0 || length < 0 || (long)offset + length > buffer.capacity())
        {
            throw new StateException(section + ": section of " + length + " bytes at " + offset +
                " lies outside the buffer of " + buffer.capacity());
        }
        this.buffer = buffer;
        this.position = offset;
        this.limit = offset + length;
        this.section = section;
        return this;
    }

    /**
     * @return bytes left in the section.
     */
    public int remaining()
    {
        return limit - position;
    }

    /**
     * @return the next long.
     */
    public long getLong()
    {
        check(Long.BYTES);
        final long value = buffer.getLong(position, ByteOrder.LITTLE_ENDIAN);
        position += Long.BYTES;
        return value;
    }

    /**
     * @return the next int.
     */
    public int getInt()
    {
        check(Integer.BYTES);
        final int value = buffer.getInt(position, ByteOrder.LITTLE_ENDIAN);
        position += Integer.BYTES;
        return value;
    }

    /**
     * @return the next boolean; a byte other than 0 or 1 is refused.
     */
    public boolean getBoolean()
    {
        check(1);
        final byte value = buffer.getByte(position);
        if (value != 0 && value != 1)
        {
            throw new StateException(section + ": byte " + value + " at " + position + " is not a boolean");
        }
        position += 1;
        return value == 1;
    }

    /**
     * @return the next double.
     */
    public double getDouble()
    {
        return Double.longBitsToDouble(getLong());
    }

    /**
     * Read an int that counts something, and check it.
     *
     * @param min  smallest allowed.
     * @param max  largest allowed.
     * @param what is counted, for the error.
     * @return the count.
     */
    public int getCount(final int min, final int max, final String what)
    {
        final int at = position;
        final int value = getInt();
        if (value < min || value > max)
        {
            throw new StateException(section + ": " + what + " " + value + " at " + at + " is outside " + min +
                " to " + max);
        }
        return value;
    }

    /**
     * @param values destination.
     * @param from   index of the first.
     * @param count  how many.
     */
    public void getLongs(final long[] values, final int from, final int count)
    {
        check((long)count * Long.BYTES);
        for (int i = 0; i < count; i++)
        {
            values[from + i] = buffer.getLong(position, ByteOrder.LITTLE_ENDIAN);
            position += Long.BYTES;
        }
    }

    /**
     * @param values destination.
     * @param from   index of the first.
     * @param count  how many.
     */
    public void getInts(final int[] values, final int from, final int count)
    {
        check((long)count * Integer.BYTES);
        for (int i = 0; i < count; i++)
        {
            values[from + i] = buffer.getInt(position, ByteOrder.LITTLE_ENDIAN);
            position += Integer.BYTES;
        }
    }

    /**
     * @param values destination.
     * @param from   index of the first.
     * @param count  how many.
     */
    public void getBytes(final byte[] values, final int from, final int count)
    {
        check(count);
        buffer.getBytes(position, values, from, count);
        position += count;
    }

    /**
     * Fail unless a condition a rule checks on what it read holds.
     *
     * @param condition that must hold.
     * @param what      it says, for the error.
     */
    public void require(final boolean condition, final String what)
    {
        if (!condition)
        {
            throw new StateException(section + ": " + what + " (before " + position + ")");
        }
    }

    /**
     * Fail unless the section was read to its end.
     */
    public void requireEnd()
    {
        if (position != limit)
        {
            throw new StateException(section + ": " + (limit - position) + " bytes left unread at " + position);
        }
    }

    private void check(final long bytes)
    {
        if (bytes < 0 || position + bytes > limit)
        {
            throw new StateException(section + ": " + bytes + " bytes wanted at " + position + ", " +
                (limit - position) + " left");
        }
    }

    /**
     * @param maxBytes longest UTF-8 length allowed.
     * @param what     the string is, for the error.
     * @return the next string, as {@link StateWriter#putString} wrote it.
     */
    public String getString(final int maxBytes, final String what)
    {
        final int length = getCount(0, maxBytes, what + " length");
        check(length);
        final byte[] bytes = new byte[length];
        buffer.getBytes(position, bytes);
        position += length;
        return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * @return the position of the next byte in the buffer.
     */
    public int position()
    {
        return position;
    }

    /**
     * @return the buffer read.
     */
    public DirectBuffer buffer()
    {
        return buffer;
    }

    /**
     * Step over bytes read by someone else, such as a nested section.
     *
     * @param bytes to step over.
     */
    public void skip(final int bytes)
    {
        check(bytes);
        position += bytes;
    }

    /**
     * @return what this reader's errors name.
     */
    public String section()
    {
        return section;
    }
}
