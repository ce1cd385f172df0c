package io.txmon.sequencer;

import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;

import org.agrona.ErrorHandler;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentTerminationException;

import java.nio.channels.ClosedByInterruptException;
import java.util.concurrent.TimeUnit;

/**
 * Wraps every engine agent so that no failure goes unnoticed and no thread dies silently. Agrona's
 * {@code AgentRunner} reports a {@link Throwable} out of a duty cycle to its error handler and then either goes on
 * (an exception: the agent runs again over whatever state the failure left) or rethrows it and lets its thread
 * die without {@code onClose} (an {@link Error}). Neither is safe for an engine that acknowledges what it
 * journals, so here:
 * <ul>
 *   <li>a critical agent (sequencer, rule worker, alert sink): any throwable is reported, the engine's health
 *   becomes {@link EngineHealth.State#FAILED} (which stops intake), and the agent does no more work; its thread
 *   stays alive and idle so that closing the engine still works;</li>
 *   <li>a maintenance agent: an exception (a spare segment that cannot be created on a full disk) is reported,
 *   makes the health {@link EngineHealth.State#DEGRADED} and is retried after a second, the condition clearing
 *   once a duty cycle succeeds; an {@link Error} fails the engine as above.</li>
 * </ul>
 * An interrupt while the engine closes is passed on to the runner, which stops.
 */
final class GuardedAgent implements Agent
{
    private static final long RETRY_NS = TimeUnit.SECONDS.toNanos(1);

    private final Agent delegate;
    private final EngineHealth health;
    private final ErrorHandler errorHandler;
    private final boolean critical;
    private final NanoClock clock;
    private final String roleName;
    private boolean stopped;
    private boolean degraded;
    private long retryAtNs;

    GuardedAgent(final Agent delegate, final EngineHealth health, final ErrorHandler errorHandler, final boolean critical)
    {
        this(delegate, health, errorHandler, critical, SystemNanoClock.INSTANCE);
    }

    GuardedAgent(
        final Agent delegate,
        final EngineHealth health,
        final ErrorHandler errorHandler,
        final boolean critical,
        final NanoClock clock)
    {
        this.clock = clock;
        this.delegate = delegate;
        this.health = health;
        this.errorHandler = errorHandler;
        this.critical = critical;
        this.roleName = delegate.roleName();
    }

    public void onStart()
    {
        try
        {
            delegate.onStart();
        }
        catch (final Throwable t)
        {
            onFailure(t);
        }
    }

    public int doWork() throws Exception
    {
        if (stopped)
        {
            return 0;
        }
        if (degraded && clock.nanoTime() - retryAtNs < 0)
        {
            return 0;
        }
        try
        {
            final int work = delegate.doWork();
            if (degraded)
            {
                degraded = false;
                health.clear(roleName);
            }
            return work;
        }
        catch (final InterruptedException | ClosedByInterruptException | AgentTerminationException ex)
        {
            throw ex;
        }
        catch (final Throwable t)
        {
            if (Thread.currentThread().isInterrupted())
            {
                // the engine is closing: the runner stops on the interrupt
                errorHandler.onError(t);
                return 0;
            }
            onFailure(t);
            return 0;
        }
    }

    private void onFailure(final Throwable t)
    {
        try
        {
            errorHandler.onError(t);
        }
        catch (final Throwable ignore)
        {
            // a failing error handler must not hide the failure from the health state
        }
        if (critical || t instanceof Error)
        {
            stopped = true;
            health.fail(roleName, t);
        }
        else
        {
            degraded = true;
            retryAtNs = clock.nanoTime() + RETRY_NS;
            health.degrade(roleName, roleName + ": " + String.valueOf(t).replace('\n', ' ') + " (retried every second)");
        }
    }

    public void onClose()
    {
        delegate.onClose();
    }

    public String roleName()
    {
        return roleName;
    }

    /**
     * @return true once the agent failed and does no more work.
     */
    boolean isStopped()
    {
        return stopped;
    }
}
