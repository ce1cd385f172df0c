package io.txmon.rules.state;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Where the engine's threads hand over their state for a snapshot, and the snapshot writer picks it up. Slot 0 is
 * the sequencer's, slot 1 + i rule worker i's. A snapshot is due after every offset {@code o} with
 * {@code (o + 1) % interval == 0}, the same offsets for every thread, so that the parts of one snapshot all cover
 * the journal up to the same offset. Each thread writes its state on its own thread (it owns it), between events;
 * the copy handed over is written to disk by another thread.
 * <p>
 * A slot holds one part: a thread's newer part replaces one not yet picked up (counted), so state is never queued
 * without bound; the snapshot at the replaced offset is dropped, and the next one is whole again.
 */
public final class SnapshotExchange
{
    private final AtomicReferenceArray<Part> slots;
    private final long interval;
    private final AtomicLong superseded = new AtomicLong();

    /**
     * A thread's state covering the journal up to and including {@code offset}.
     *
     * @param offset last journal offset the state has taken in.
     * @param bytes  of the state, all of them.
     */
    public record Part(long offset, byte[] bytes)
    {
    }

    /**
     * @param slots    1 + the number of rule workers.
     * @param interval events between snapshots, 1 or more.
     */
    public SnapshotExchange(final int slots, final long interval)
    {
        if (interval < 1 || slots < 2)
        {
            throw new IllegalArgumentException("snapshot interval " + interval + " events, " + slots + " slots");
        }
        this.slots = new AtomicReferenceArray<>(slots);
        this.interval = interval;
    }

    /**
     * @param offset just taken in.
     * @return true if a snapshot is due after it.
     */
    public boolean due(final long offset)
    {
        return (offset + 1) % interval == 0;
    }

    /**
     * The first offset at or after {@code offset} a snapshot is due after, so a thread compares an offset with
     * it instead of dividing per event.
     *
     * @param offset a journal offset, 0 or more.
     * @return the first offset {@code o >= offset} with {@link #due(long)} true.
     */
    public long nextDue(final long offset)
    {
        return ((offset + 1 + interval - 1) / interval) * interval - 1;
    }

    /**
     * Hand over a copy of the state written, in place of any part of this thread's not yet picked up (an older
     * offset, whose snapshot can no longer complete: counted as superseded).
     *
     * @param slot   of the thread.
     * @param offset the state covers.
     * @param state  written from position 0.
     */
    public void offer(final int slot, final long offset, final StateWriter state)
    {
        final byte[] bytes = new byte[state.position()];
        state.buffer().getBytes(0, bytes);
        if (null != slots.getAndSet(slot, new Part(offset, bytes)))
        {
            superseded.incrementAndGet();
        }
    }

    /**
     * @param slot to look at.
     * @return the part it holds, or null.
     */
    public Part peek(final int slot)
    {
        return slots.get(slot);
    }

    /**
     * Free a slot whose part has been written or dropped, unless its thread has put a newer one there since.
     *
     * @param slot to free.
     * @param part picked up from it.
     */
    public void clear(final int slot, final Part part)
    {
        slots.compareAndSet(slot, part, null);
    }

    /**
     * @return slots, 1 + rule workers.
     */
    public int slotCount()
    {
        return slots.length();
    }

    /**
     * @return events between snapshots.
     */
    public long interval()
    {
        return interval;
    }

    /**
     * @return parts replaced by a newer one of the same thread before they could be written.
     */
    public long superseded()
    {
        return superseded.get();
    }
}
