package io.txmon.transport;

import io.aeron.ChannelUri;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;

import java.util.Locale;

/**
 * How an engine's agents and its embedded media driver are placed on threads and how each waits when it has no
 * work: what Aeron leaves to its {@code ThreadingMode} and idle strategy properties, chosen here once for the
 * whole engine, by name ({@code --profile} of {@code txmon run} and {@code txmon bench}).
 * <p>
 * Per role:
 * <table>
 *   <caption>threads and idle strategies of each profile</caption>
 *   <tr><th>role</th><th>{@code compact}</th><th>{@code yielding}</th><th>{@code low-latency}</th></tr>
 *   <tr><td>sequencer (ingest, journal, ring)</td><td>a thread, back-off</td><td>a thread, yield</td>
 *     <td>a thread, busy spin</td></tr>
 *   <tr><td>rule workers and alert sink</td><td>one composite thread, back-off</td>
 *     <td>one composite thread, yield</td><td>a thread each, busy spin</td></tr>
 *   <tr><td>embedded driver: conductor, sender, receiver</td><td>{@link ThreadingMode#SHARED}: one thread,
 *     back-off</td><td>{@link ThreadingMode#SHARED}: one thread, yield when a channel is UDP; back-off when
 *     every channel is IPC</td><td>{@link ThreadingMode#DEDICATED}: three threads, busy spin</td></tr>
 *   <tr><td>Aeron client conductor (not on the path of a message)</td><td>back-off</td><td>back-off</td>
 *     <td>busy spin</td></tr>
 *   <tr><td>journal maintenance and watch (all profiles)</td><td colspan="3">a thread that sleeps 1 ms when
 *     idle</td></tr>
 * </table>
 * Back-off is {@link EmbeddedDriver#backoff()}: spin, yield, then park up to 1 ms, so an idle engine costs
 * nothing, and a message that arrives while its thread parks waits for the park to end (on Linux a park lasts
 * at least the timer slack, 50 µs by default). Yield ({@link YieldingIdleStrategy}) never parks: an idle thread
 * gives its core to any other runnable thread and runs again at once, so a message is taken within a
 * scheduling round, the producers and the rule work beside it still get a core, and the machine's cores show
 * busy. A yielding thread is always runnable, though, so it takes its fair share of the cores from whatever else
 * runs: no more of them than there are cores. Busy spin holds a core per thread and needs them.
 * <p>
 * Why the driver of {@code yielding} backs off on IPC: a message on {@code aeron:ipc} goes from the publication's
 * log buffer to the subscriber without the driver, whose conductor only moves the publication's limit, a window
 * of megabytes ahead. A yielding driver would be a third thread always runnable on two cores, taking its share
 * of them from the sequencer and the rule workers (measured on 2 cores at 100,000 events/s: no better p50, a
 * decision p99 about ten times worse). On UDP the driver's receiver and sender carry every message, so there it
 * yields.
 * <p>
 * Which to use: {@code compact} where latency of a few hundred µs is fine and idle cores matter (the default);
 * {@code yielding} for low latency on a machine with 2 to 4 cores that runs little else;
 * {@code low-latency} on a machine with a core for every spinning thread (seven with one worker and an
 * embedded driver: sequencer, worker, alert sink, the driver's three and the client's conductor), isolated from
 * other work.
 */
public enum Profile
{
    /** Few threads that park when idle: back-off idle strategies everywhere. */
    COMPACT("compact"),

    /** Compact's threads, but those on the path of a message yield instead of parking. */
    YIELDING("yielding"),

    /** A busy-spinning thread per agent and per driver role: needs a core for each. */
    LOW_LATENCY("low-latency");

    private final String cliName;

    Profile(final String cliName)
    {
        this.cliName = cliName;
    }

    /**
     * @return the name commands take and print: {@code compact}, {@code yielding} or {@code low-latency}.
     */
    public String cliName()
    {
        return cliName;
    }

    /**
     * @param name as a command takes it, in any case, spaces around it ignored.
     * @return the profile of that name.
     * @throws IllegalArgumentException naming the valid profiles when there is none of that name.
     */
    public static Profile parse(final String name)
    {
        final String wanted = null == name ? "" : name.trim().toLowerCase(Locale.ROOT);
        for (final Profile profile : values())
        {
            if (profile.cliName.equals(wanted))
            {
                return profile;
            }
        }
        throw new IllegalArgumentException("profile must be " + names() + ", not '" + name + "'");
    }

    /**
     * @return the valid names, for a message: {@code compact, yielding or low-latency}.
     */
    public static String names()
    {
        final Profile[] profiles = values();
        final StringBuilder sb = new StringBuilder();
        for (int i = 0; i < profiles.length; i++)
        {
            sb.append(i == 0 ? "" : i == profiles.length - 1 ? " or " : ", ").append(profiles[i].cliName);
        }
        return sb.toString();
    }

    /**
     * @return true when every agent gets a thread of its own; false when the rule workers and the alert sink are
     * composed on one.
     */
    public boolean threadPerAgent()
    {
        return this == LOW_LATENCY;
    }

    /**
     * @return a new idle strategy for a thread of the engine's agents on a message's path: the sequencer's, the
     * rule workers' and alert sink's (one composite thread, or a thread each in {@code low-latency}), and any
     * thread that stands in for the sequencer (the raw Aeron baseline's subscriber in {@code txmon bench}).
     */
    public IdleStrategy agentIdleStrategy()
    {
        return hotPath();
    }

    /**
     * @return a new idle strategy for the Aeron client's conductor, which keeps the client alive and learns of new
     * images, and is on the path of no message.
     */
    public IdleStrategy clientIdleStrategy()
    {
        return this == LOW_LATENCY ? new BusySpinIdleStrategy() : EmbeddedDriver.backoff();
    }

    /**
     * @return how the embedded driver's conductor, sender and receiver share threads.
     */
    public ThreadingMode driverThreadingMode()
    {
        return this == LOW_LATENCY ? ThreadingMode.DEDICATED : ThreadingMode.SHARED;
    }

    /**
     * @param network true when a channel the driver serves is UDP, so its sender and receiver carry messages;
     *                false when every channel is {@code aeron:ipc}.
     * @return a new idle strategy for one of the embedded driver's threads.
     */
    public IdleStrategy driverIdleStrategy(final boolean network)
    {
        return this == YIELDING && !network ? EmbeddedDriver.backoff() : hotPath();
    }

    /**
     * Set the threading mode and the idle strategy of each of the driver's threads.
     *
     * @param ctx     of the driver to launch.
     * @param network true when a channel the driver serves is UDP; false when every one is {@code aeron:ipc}.
     * @return the context.
     */
    public MediaDriver.Context configureDriver(final MediaDriver.Context ctx, final boolean network)
    {
        ctx.threadingMode(driverThreadingMode());
        if (driverThreadingMode() == ThreadingMode.DEDICATED)
        {
            ctx.conductorIdleStrategy(driverIdleStrategy(network))
                .senderIdleStrategy(driverIdleStrategy(network))
                .receiverIdleStrategy(driverIdleStrategy(network));
        }
        else
        {
            ctx.sharedIdleStrategy(driverIdleStrategy(network));
        }
        return ctx;
    }

    /**
     * @param channels Aeron channels a driver serves.
     * @return true when any of them is not {@code aeron:ipc}: the driver's sender and receiver carry its messages.
     */
    public static boolean usesNetwork(final String... channels)
    {
        for (final String channel : channels)
        {
            if (!ChannelUri.parse(channel).isIpc())
            {
                return true;
            }
        }
        return false;
    }

    private IdleStrategy hotPath()
    {
        return switch (this)
        {
            case YIELDING -> new YieldingIdleStrategy();
            case LOW_LATENCY -> new BusySpinIdleStrategy();
            case COMPACT -> EmbeddedDriver.backoff();
        };
    }
}
