package io.txmon.sequencer;

import io.txmon.journal.SnapshotStore;
import io.txmon.rules.state.SnapshotExchange;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.status.AtomicCounter;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Writes the snapshots the engine's threads hand over through a {@link SnapshotExchange}: once the sequencer and
 * every rule worker have handed over their state at the same offset, and the alert sink has emitted every alert up
 * to it (so a restart from the snapshot cannot skip an alert that was never emitted), the parts are written as one
 * file by the {@link SnapshotStore}. Parts of an offset that cannot complete (a thread skipped it) are dropped.
 * <p>
 * Runs on the engine's slow maintenance thread: file I/O never touches the hot threads.
 */
final class SnapshotAgent implements Agent
{
    private final SnapshotExchange exchange;
    private final SnapshotStore store;
    private final Path journalDir;
    private final AtomicCounter decidedPosition;
    private final AtomicCounter written;
    private final ErrorHandler errorHandler;
    private final SnapshotExchange.Part[] parts;
    private long lastWritten = -1;

    SnapshotAgent(
        final SnapshotExchange exchange,
        final SnapshotStore store,
        final Path journalDir,
        final AtomicCounter decidedPosition,
        final AtomicCounter written,
        final ErrorHandler errorHandler)
    {
        this.exchange = exchange;
        this.store = store;
        this.journalDir = journalDir;
        this.decidedPosition = decidedPosition;
        this.written = written;
        this.errorHandler = errorHandler;
        this.parts = new SnapshotExchange.Part[exchange.slotCount()];
    }

    public int doWork()
    {
        final int slots = exchange.slotCount();
        for (int i = 0; i < slots; i++)
        {
            parts[i] = exchange.peek(i);
        }
        long newest = -1;
        for (int i = 0; i < slots; i++)
        {
            if (null != parts[i])
            {
                newest = Math.max(newest, parts[i].offset());
            }
        }
        if (newest < 0)
        {
            return 0;
        }
        boolean whole = true;
        for (int i = 0; i < slots; i++)
        {
            if (null == parts[i])
            {
                whole = false;
            }
            else if (parts[i].offset() < newest)
            {
                // its thread has moved past an offset the others have not reached yet: that snapshot cannot complete
                exchange.clear(i, parts[i]);
                whole = false;
            }
        }
        if (!whole || decidedPosition.get() < newest + 1)
        {
            return 0;
        }
        final byte[][] bytes = new byte[slots][];
        for (int i = 0; i < slots; i++)
        {
            bytes[i] = parts[i].bytes();
        }
        try
        {
            store.write(newest, newest, journalDir, bytes);
            lastWritten = newest;
            written.incrementRelease();
        }
        catch (final IOException | RuntimeException ex)
        {
            errorHandler.onError(new IllegalStateException("snapshot at offset " + newest + " not written: " + ex, ex));
        }
        for (int i = 0; i < slots; i++)
        {
            exchange.clear(i, parts[i]);
        }
        return 1;
    }

    /**
     * @return the offset of the last snapshot written, or -1.
     */
    long lastWritten()
    {
        return lastWritten;
    }

    public String roleName()
    {
        return "txmon-snapshot";
    }
}
