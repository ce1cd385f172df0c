package io.txmon.tools;

import io.aeron.Aeron;
import io.aeron.CommonContext;
import io.aeron.ExclusivePublication;
import io.aeron.Publication;
import io.txmon.cli.CliArgs;
import io.txmon.events.EventEnvelope;
import io.txmon.journal.JournalReader;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Publishes the records of a journal range, their payloads as journaled, to an Aeron publication: as fast as
 * the subscribers take them, at the pace they were ingested, or at a multiple of it.
 */
final class Republisher
{
    /** How long to wait for a subscriber, and for one to take a message. */
    static final long TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);

    private final Path journal;
    private final String aeronDir;
    private final String channel;
    private final int streamId;
    private final double speed;
    private long published;
    private long lastProducerSeq;

    /**
     * @param journal  directory of the journal.
     * @param aeronDir directory of the running media driver, or null for Aeron's default.
     * @param channel  to publish on.
     * @param streamId to publish on.
     * @param speed    0 for as fast as possible; else the multiple of the ingest pace, 1 for the original.
     */
    Republisher(final Path journal, final String aeronDir, final String channel, final int streamId, final double speed)
    {
        this.journal = journal;
        this.aeronDir = null == aeronDir ? CommonContext.getAeronDirectoryName() : aeronDir;
        this.channel = channel;
        this.streamId = streamId;
        this.speed = speed;
    }

    /**
     * @param pace {@code max}, {@code original} or a multiple such as {@code 10x} or {@code 0.5x}.
     * @return 0 for max, else the multiple of the original pace.
     * @throws CliArgs.UsageException if it is none of these.
     */
    static double parsePace(final String pace)
    {
        if ("max".equals(pace))
        {
            return 0;
        }
        if ("original".equals(pace))
        {
            return 1;
        }
        if (pace.endsWith("x"))
        {
            try
            {
                final double multiple = Double.parseDouble(pace.substring(0, pace.length() - 1));
                if (multiple > 0 && multiple <= 1e9)
                {
                    return multiple;
                }
            }
            catch (final NumberFormatException ignore)
            {
                // reported below
            }
        }
        throw new CliArgs.UsageException(
            "--pace '" + pace + "' is not max, original or a positive multiple such as 10x or 0.5x");
    }

    /**
     * Publish offsets [from, to].
     *
     * @param from     first offset.
     * @param to       last offset, inclusive.
     * @param progress told how far it has come, or null.
     * @throws IllegalStateException if no driver runs, no subscriber comes, or one stops taking messages.
     */
    void publish(final long from, final long to, final Replayer.Progress progress)
    {
        if (!Files.exists(Path.of(aeronDir).resolve("cnc.dat")))
        {
            throw new IllegalStateException("no media driver runs in " + aeronDir + "; start one or give --aeron-dir");
        }
        Aeron aeron = null;
        ExclusivePublication publication = null;
        try
        {
            aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(aeronDir));
            publication = aeron.addExclusivePublication(channel, streamId);
            final long connectDeadline = System.nanoTime() + TIMEOUT_NS;
            while (!publication.isConnected())
            {
                if (System.nanoTime() - connectDeadline > 0)
                {
                    throw new IllegalStateException("no subscriber on " + channel + " stream " + streamId + " within " +
                        TimeUnit.NANOSECONDS.toSeconds(TIMEOUT_NS) + "s");
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
            send(publication, from, to, progress);
        }
        finally
        {
            CloseHelper.closeAll(publication, aeron);
        }
    }

    private void send(
        final ExclusivePublication publication, final long from, final long to, final Replayer.Progress progress)
    {
        final long start = System.nanoTime();
        final long[] firstTimestamp = { Long.MIN_VALUE };
        try (JournalReader reader = JournalReader.open(journal))
        {
            if (!reader.seek(from))
            {
                throw new IllegalStateException("cannot read " + journal + " from offset " + from);
            }
            long next = from;
            while (next <= to)
            {
                final int read = reader.poll(
                    (offset, timestamp, templateId, buffer, payloadOffset, payloadLength) ->
                    {
                        if (speed > 0)
                        {
                            if (firstTimestamp[0] == Long.MIN_VALUE)
                            {
                                firstTimestamp[0] = timestamp;
                            }
                            awaitPace(start, (long)((timestamp - firstTimestamp[0]) / speed));
                        }
                        offer(publication, buffer, payloadOffset, payloadLength);
                        published++;
                        if (payloadLength >= EventEnvelope.LENGTH)
                        {
                            lastProducerSeq = EventEnvelope.producerSeq(buffer, payloadOffset);
                        }
                    },
                    (int)Math.min(256, to + 1 - next));
                if (read <= 0)
                {
                    throw new IllegalStateException("the journal " + journal + " ends at offset " + (next - 1));
                }
                next += read;
                if (null != progress)
                {
                    progress.at(next);
                }
            }
        }
    }

    private static void awaitPace(final long start, final long elapsedNs)
    {
        long remaining;
        while ((remaining = start + elapsedNs - System.nanoTime()) > 0)
        {
            LockSupport.parkNanos(Math.min(remaining, TimeUnit.MILLISECONDS.toNanos(1)));
        }
    }

    private static void offer(
        final ExclusivePublication publication, final DirectBuffer buffer, final int offset, final int length)
    {
        long deadline = 0;
        long result;
        while ((result = publication.offer(buffer, offset, length)) < 0)
        {
            if (result == Publication.CLOSED || result == Publication.MAX_POSITION_EXCEEDED)
            {
                throw new IllegalStateException("the publication closed: " + Publication.errorString(result));
            }
            final long now = System.nanoTime();
            if (0 == deadline)
            {
                deadline = now + TIMEOUT_NS;
            }
            else if (now - deadline > 0)
            {
                throw new IllegalStateException("no subscriber took a message for " +
                    TimeUnit.NANOSECONDS.toSeconds(TIMEOUT_NS) + "s: " + Publication.errorString(result));
            }
            Thread.onSpinWait();
        }
    }

    /**
     * @return records published.
     */
    long published()
    {
        return published;
    }

    /**
     * @return the producer sequence of the last record published.
     */
    long lastProducerSeq()
    {
        return lastProducerSeq;
    }
}
