package io.txmon.sequencer;

import org.agrona.concurrent.status.AtomicCounter;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The engine's health, one of three states, readable from any thread and, as the counter
 * {@link EngineCounters#HEALTH_TYPE_ID}, from other processes:
 * <ul>
 *   <li>{@link State#OK}: taking events.</li>
 *   <li>{@link State#DEGRADED}: still taking events, but something needs the operator: too little space for two
 *   more journal segments, a journal segment or alert journal segment that cannot be created, a maintenance
 *   step that failed. Clears by itself when the cause goes (space freed).</li>
 *   <li>{@link State#FAILED}: an engine thread failed (an exception out of its duty cycle, or any {@link Error},
 *   an {@code InternalError} from a write to a mapped file on a full disk, an {@code OutOfMemoryError}), or
 *   the journal stopped. Intake has stopped for good: nothing more is journaled or acknowledged; the engine
 *   must be closed and started again, which recovers from the journal. Sticky: the first failure is kept.</li>
 * </ul>
 * Transitions happen on error paths and once a second from the engine's watch, never on the hot path.
 */
public final class EngineHealth
{
    /** The engine's state; its ordinal is the value of the health counter. */
    public enum State
    {
        /** Taking events. */
        OK,
        /** Taking events; something needs attention, see {@link EngineHealth#describe()}. */
        DEGRADED,
        /** Stopped taking events; see {@link EngineHealth#failure()}. */
        FAILED
    }

    private final Map<String, String> degradedBy = new LinkedHashMap<>();
    private volatile State state = State.OK;
    private volatile String failedAgent;
    private volatile Throwable failure;
    private volatile String description = "ok";
    // set by the first failure before intake stops; the state becomes FAILED only once it has
    private boolean failing;
    private AtomicCounter counter;
    private Consumer<Throwable> onFailure;

    EngineHealth()
    {
    }

    synchronized void counter(final AtomicCounter counter)
    {
        this.counter = counter;
        counter.setRelease(state.ordinal());
    }

    /**
     * @param action run once, on the thread that reports the first failure: stops intake.
     */
    synchronized void onFailure(final Consumer<Throwable> action)
    {
        this.onFailure = action;
        if (failing && null != action)
        {
            action.accept(failure);
        }
    }

    /**
     * An engine thread failed, or a resource the engine cannot go on without. The first call wins.
     *
     * @param agent role name of the thread, or what failed.
     * @param cause of the failure.
     * @return true if this call moved the engine to {@link State#FAILED}.
     */
    boolean fail(final String agent, final Throwable cause)
    {
        final Consumer<Throwable> action;
        synchronized (this)
        {
            if (failing)
            {
                return false;
            }
            failing = true;
            failedAgent = agent;
            failure = cause;
            action = onFailure;
        }
        // intake stops before anyone can see FAILED, so that FAILED always means intake has stopped (an action
        // registered meanwhile runs in onFailure; stopping twice is harmless)
        if (null != action)
        {
            action.accept(cause);
        }
        synchronized (this)
        {
            description = "FAILED: " + agent + " failed: " + String.valueOf(cause).replace('\n', ' ') +
                "; intake stopped, nothing more is journaled or acknowledged; stop the engine, fix the cause " +
                "and start it again (it recovers from the journal)";
            // the counter first: whoever sees the state (a volatile) then reads the counter as at least as new
            publish(State.FAILED);
            state = State.FAILED;
        }
        return true;
    }

    /**
     * Something needs attention; intake goes on.
     *
     * @param source of the condition, cleared by {@link #clear(String)} with the same source.
     * @param why    it needs attention and what to do.
     */
    synchronized void degrade(final String source, final String why)
    {
        if (!why.equals(degradedBy.put(source, why)))
        {
            update();
        }
    }

    /**
     * @param source whose condition has gone.
     */
    synchronized void clear(final String source)
    {
        if (!degradedBy.isEmpty() && null != degradedBy.remove(source))
        {
            update();
        }
    }

    private void update()
    {
        if (failing)
        {
            return;
        }
        final State next = degradedBy.isEmpty() ? State.OK : State.DEGRADED;
        description = degradedBy.isEmpty() ? "ok" : "DEGRADED: " + String.join("; ", degradedBy.values());
        publish(next);
        state = next;
    }

    private void publish(final State next)
    {
        if (null != counter && !counter.isClosed())
        {
            counter.setRelease(next.ordinal());
        }
    }

    /**
     * @return the current state.
     */
    public State state()
    {
        return state;
    }

    /**
     * @return "ok", or the state and why, in one line.
     */
    public String describe()
    {
        return description;
    }

    /**
     * @return what failed first (an agent's role name), or null while not failed.
     */
    public String failedAgent()
    {
        return failedAgent;
    }

    /**
     * @return the first failure, or null while not failed.
     */
    public Throwable failure()
    {
        return failure;
    }
}
