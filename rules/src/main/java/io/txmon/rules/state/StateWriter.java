package io.txmon.rules.state;

import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * Where a rule writes its state for a snapshot: primitives, little-endian, one after another. A rule writes what
 * {@link StateReader} reads back in the same order; the framing (which rule, its version, the length) and the
 * checksum are the snapshot's.
 * <p>
 * Grows as needed; reused from one snapshot to the next. Single threaded.
 */
public final class StateWriter
{
    private final ExpandableArrayBuffer buffer;
    private int position;

    /**
     * A writer with a buffer of 64 KiB to start with.
     */
    public StateWriter()
    {
        this(64 * 1024);
    }

    /**
     * @param initialCapacity of the buffer in bytes.
     */
    public StateWriter(final int initialCapacity)
    {
        buffer = new ExpandableArrayBuffer(initialCapacity);
    }

    /**
     * Start again from position 0.
     *
     * @return this.
     */
    public StateWriter reset()
    {
        position = 0;
        return this;
    }

    /**
     * @return bytes written since the last {@link #reset()}.
     */
    public int position()
    {
        return position;
    }

    /**
     * @return the buffer holding bytes 0 to {@link #position()}.
     */
    public MutableDirectBuffer buffer()
    {
        return buffer;
    }

    /**
     * @param value to write.
     * @return this.
     */
    public StateWriter putLong(final long value)
    {
        buffer.putLong(position, value, ByteOrder.LITTLE_ENDIAN);
        position += Long.BYTES;
        return this;
    }

    /**
     * @param value to write.
     * @return this.
     */
    public StateWriter putInt(final int value)
    {
        buffer.putInt(position, value, ByteOrder.LITTLE_ENDIAN);
        position += Integer.BYTES;
        return this;
    }

    /**
     * @param value to write, as one byte.
     * @return this.
     */
    public StateWriter putBoolean(final boolean value)
    {
        buffer.putByte(position, value ? (byte)1 : (byte)0);
        position += 1;
        return this;
    }

    /**
     * @param value to write.
     * @return this.
     */
    public StateWriter putDouble(final double value)
    {
        return putLong(Double.doubleToRawLongBits(value));
    }

    /**
     * Write {@code count} longs from {@code values[from]}; no length is written: write it first if the reader
     * needs it.
     *
     * @param values source.
     * @param from   index of the first.
     * @param count  how many.
     * @return this.
     */
    public StateWriter putLongs(final long[] values, final int from, final int count)
    {
        for (int i = 0; i < count; i++)
        {
            putLong(values[from + i]);
        }
        return this;
    }

    /**
     * Write {@code count} ints from {@code values[from]}; no length is written.
     *
     * @param values source.
     * @param from   index of the first.
     * @param count  how many.
     * @return this.
     */
    public StateWriter putInts(final int[] values, final int from, final int count)
    {
        for (int i = 0; i < count; i++)
        {
            putInt(values[from + i]);
        }
        return this;
    }

    /**
     * Write {@code count} bytes from {@code values[from]}; no length is written.
     *
     * @param values source.
     * @param from   index of the first.
     * @param count  how many.
     * @return this.
     */
    public StateWriter putBytes(final byte[] values, final int from, final int count)
    {
        buffer.putBytes(position, values, from, count);
        position += count;
        return this;
    }

    /**
     * Write a string as its UTF-8 length (an int) and bytes; allocates, for settings and names only.
     *
     * @param value to write.
     * @return this.
     */
    public StateWriter putString(final String value)
    {
        final byte[] bytes = value.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        putInt(bytes.length);
        return putBytes(bytes, 0, bytes.length);
    }

    /**
     * Overwrite an int written earlier, such as a length only known once what follows is written.
     *
     * @param index of the int, from 0.
     * @param value to write there.
     * @return this.
     */
    public StateWriter putIntAt(final int index, final int value)
    {
        if (index < 0 || index + Integer.BYTES > position)
        {
            throw new IndexOutOfBoundsException("int at " + index + " is not in the " + position + " bytes written");
        }
        buffer.putInt(index, value, ByteOrder.LITTLE_ENDIAN);
        return this;
    }
}
