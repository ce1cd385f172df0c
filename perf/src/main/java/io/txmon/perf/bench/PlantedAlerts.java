package io.txmon.perf.bench;

import io.aeron.Aeron;
import io.aeron.Subscription;
import io.txmon.scenario.Planted;
import io.txmon.transport.AlertAdapter;
import org.agrona.CloseHelper;
import org.agrona.collections.LongHashSet;

import java.util.ArrayList;
import java.util.List;

/**
 * The engine's alert stream read as a user reads it, held against the planted cases of a run: an alert answers a
 * case when its rule, account and event time are the case's trigger. Alerts are kept as a 64-bit mix of the three,
 * so reading them allocates nothing; two cases colliding is a 2^-64 chance.
 */
final class PlantedAlerts implements AutoCloseable
{
    private static final int FRAGMENTS = 256;

    private final Subscription subscription;
    private final AlertAdapter adapter;
    private final LongHashSet alerted = new LongHashSet(1 << 16);
    private long read;

    /**
     * Subscribe and wait until the alert stream is connected.
     *
     * @param aeron            client.
     * @param channel          of the alert stream.
     * @param streamId         of the alert stream.
     * @param connectTimeoutNs how long to wait for the engine's alert publication.
     * @throws IllegalStateException when it does not connect in time.
     */
    PlantedAlerts(final Aeron aeron, final String channel, final int streamId, final long connectTimeoutNs)
    {
        subscription = aeron.addSubscription(channel, streamId);
        adapter = new AlertAdapter(subscription, (alert) ->
        {
            read++;
            alerted.add(key(alert.ruleId(), alert.account(), alert.eventTime()));
        });
        final long deadline = System.nanoTime() + connectTimeoutNs;
        while (!subscription.isConnected())
        {
            if (System.nanoTime() - deadline > 0)
            {
                CloseHelper.quietClose(subscription);
                throw new IllegalStateException("the engine's alert stream " + channel + " stream " + streamId +
                    " did not connect within " + connectTimeoutNs / 1_000_000_000L + " s");
            }
            Thread.yield();
        }
    }

    static long key(final int ruleId, final long account, final long eventTime)
    {
        long h = ruleId * 0x9E3779B97F4A7C15L;
        h = (h ^ account) * 0xBF58476D1CE4E5B9L;
        h = (h ^ (h >>> 31) ^ eventTime) * 0x94D049BB133111EBL;
        return h ^ (h >>> 29);
    }

    /**
     * @return fragments read.
     */
    int poll()
    {
        return adapter.poll(FRAGMENTS);
    }

    /**
     * @return alerts read so far.
     */
    long read()
    {
        return read;
    }

    /**
     * @param planted cases of a step's streams.
     * @param rules   the engine runs the rules of ids 1 to this.
     * @return the cases it must alert.
     */
    static List<Planted> expected(final List<Planted> planted, final int rules)
    {
        final List<Planted> expected = new ArrayList<>();
        for (final Planted p : planted)
        {
            if (p.ruleId() <= rules)
            {
                expected.add(p);
            }
        }
        return expected;
    }

    /**
     * @param expected cases.
     * @return those without their alert so far.
     */
    List<Planted> missed(final List<Planted> expected)
    {
        final List<Planted> missed = new ArrayList<>();
        for (final Planted p : expected)
        {
            if (!alerted.contains(key(p.ruleId(), p.account(), p.eventTime())))
            {
                missed.add(p);
            }
        }
        return missed;
    }

    public void close()
    {
        CloseHelper.close(subscription);
    }
}
