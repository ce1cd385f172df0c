package io.txmon.journal;

import org.agrona.concurrent.Agent;
import org.agrona.concurrent.EpochNanoClock;

import java.util.concurrent.TimeUnit;

/**
 * Keeps slow work off the journal writer's thread: prepares the next segment before the writer needs it
 * (writing 64 MiB of zeros takes tens of milliseconds), seals full segments (a SHA-256 over each), and
 * applies retention every few seconds. Run it on a thread other than the writer's, with an idle strategy
 * that sleeps; close it before the writer.
 */
public final class JournalMaintenanceAgent implements Agent
{
    /** How often retention runs. */
    public static final long RETENTION_INTERVAL_NS = TimeUnit.SECONDS.toNanos(5);

    private final JournalWriter writer;
    private final RetentionPolicy retention;
    private final EpochNanoClock clock;
    private long sealedRolls = -1;
    private long nextRetentionNs;
    private long sparesPrepared;

    JournalMaintenanceAgent(final JournalWriter writer, final RetentionPolicy retention, final EpochNanoClock clock)
    {
        this.writer = writer;
        this.retention = retention;
        this.clock = clock;
    }

    public int doWork() throws Exception
    {
        int work = 0;
        if (writer.spareState().get() == JournalWriter.SPARE_NEEDED)
        {
            writer.offerSpare(Segment.createSpare(
                writer.directory(), writer.segmentLength(), writer.durability() != Durability.OS, writer.indexInterval()));
            sparesPrepared++;
            work++;
        }

        final long rolls = writer.rolls();
        if (rolls != sealedRolls)
        {
            synchronized (writer.sealLock())
            {
                work += Seal.sealPending(writer.directory(), Seal.sha256());
            }
            sealedRolls = rolls;
            work++;
        }

        if (!retention.keepsAll())
        {
            final long now = clock.nanoTime();
            if (now - nextRetentionNs >= 0)
            {
                nextRetentionNs = now + RETENTION_INTERVAL_NS;
                work += Retention.apply(writer.directory(), retention, now).segments();
            }
        }

        return work;
    }

    /**
     * @return spare segments prepared so far.
     */
    public long sparesPrepared()
    {
        return sparesPrepared;
    }

    public void onClose()
    {
        // sealing of what is left is done by the writer's close, under the same lock
    }

    public String roleName()
    {
        return "txmon-journal-maintenance";
    }
}
