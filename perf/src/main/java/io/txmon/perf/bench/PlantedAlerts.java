package io.txmon.perf.bench;

import io.aeron.Aeron;
import io.aeron.Subscription;
import io.txmon.scenario.Planted;
import io.txmon.scenario.PlantedMatcher;
import io.txmon.transport.AlertAdapter;
import org.agrona.CloseHelper;

import java.util.List;

/**
 * The engine's alert stream read as a user reads it, held against the planted cases of a run by the scenario's
 * {@link PlantedMatcher}: an alert answers a case when its rule, account and event time are the case's trigger.
 * Reading allocates nothing.
 */
final class PlantedAlerts implements AutoCloseable
{
    private static final int FRAGMENTS = 256;

    private final Subscription subscription;
    private final AlertAdapter adapter;
    private final PlantedMatcher matcher = new PlantedMatcher();

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
        adapter = new AlertAdapter(
            subscription, (alert) -> matcher.onAlert(alert.ruleId(), alert.account(), alert.eventTime()));
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
        return matcher.alerts();
    }

    /**
     * @param planted cases of a step's streams.
     * @param rules   the engine runs the rules of ids 1 to this.
     * @return the cases it must alert.
     */
    static List<Planted> expected(final List<Planted> planted, final int rules)
    {
        return PlantedMatcher.expected(planted, (ruleId) -> ruleId <= rules);
    }

    /**
     * @param expected cases.
     * @return those without their alert so far.
     */
    List<Planted> missed(final List<Planted> expected)
    {
        return matcher.missed(expected);
    }

    public void close()
    {
        CloseHelper.close(subscription);
    }
}
