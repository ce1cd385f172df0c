package io.txmon.sequencer;

import org.agrona.concurrent.Agent;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * What Agrona's AgentRunner does with a throwable (an exception: run again; an Error: the thread dies) is replaced
 * for engine agents: a critical agent's failure fails the engine once and the agent stops; a maintenance agent's
 * exception degrades the health until a later duty cycle succeeds, and its Error fails the engine.
 */
class GuardedAgentTest
{
    /** Throws what it is given, counts its calls. */
    static final class ScriptedAgent implements Agent
    {
        Throwable next;
        int calls;

        public int doWork() throws Exception
        {
            calls++;
            final Throwable t = next;
            next = null;
            if (t instanceof Exception)
            {
                throw (Exception)t;
            }
            if (t instanceof Error)
            {
                throw (Error)t;
            }
            return 1;
        }

        public String roleName()
        {
            return "scripted";
        }
    }

    @Test
    void aCriticalAgentsErrorFailsTheEngineOnceAndTheAgentStops() throws Exception
    {
        final EngineHealth health = new EngineHealth();
        final List<Throwable> stops = new ArrayList<>();
        health.onFailure(stops::add);
        final List<Throwable> reported = new ArrayList<>();
        final ScriptedAgent agent = new ScriptedAgent();
        final GuardedAgent guarded = new GuardedAgent(agent, health, reported::add, true);

        assertEquals(1, guarded.doWork());
        final InternalError error = new InternalError("mapped write failed");
        agent.next = error;
        assertEquals(0, guarded.doWork(), "the error does not escape to the runner, whose thread would die");
        assertEquals(List.of(error), reported);
        assertEquals(List.of(error), stops, "intake stopped once");
        assertEquals(EngineHealth.State.FAILED, health.state());
        assertEquals("scripted", health.failedAgent());
        assertTrue(guarded.isStopped());
        assertEquals(0, guarded.doWork());
        assertEquals(2, agent.calls, "a failed agent does no more work");

        health.degrade("space", "low");
        assertEquals(EngineHealth.State.FAILED, health.state(), "failed is sticky");
        assertFalse(health.fail("other", new IllegalStateException()), "the first failure is kept");
        assertEquals(1, stops.size());
    }

    @Test
    void aCriticalAgentsExceptionAlsoFailsTheEngine() throws Exception
    {
        final EngineHealth health = new EngineHealth();
        final ScriptedAgent agent = new ScriptedAgent();
        final GuardedAgent guarded = new GuardedAgent(agent, health, (t) -> {}, true);
        agent.next = new IllegalStateException("ring claimed but not published");
        guarded.doWork();
        assertEquals(EngineHealth.State.FAILED, health.state());
    }

    @Test
    void aMaintenanceExceptionDegradesUntilADutyCycleSucceeds() throws Exception
    {
        final EngineHealth health = new EngineHealth();
        final List<Throwable> reported = new ArrayList<>();
        final ScriptedAgent agent = new ScriptedAgent();
        final GuardedAgent guarded = new GuardedAgent(agent, health, reported::add, false);

        agent.next = new IOException("No space left on device");
        assertEquals(0, guarded.doWork());
        assertEquals(EngineHealth.State.DEGRADED, health.state());
        assertTrue(health.describe().contains("No space left on device"), health.describe());
        assertEquals(1, reported.size());
        assertFalse(guarded.isStopped());

        Await.await(5_000, () ->
        {
            try
            {
                return guarded.doWork() == 1;
            }
            catch (final Exception ex)
            {
                throw new IllegalStateException(ex);
            }
        }, () -> "retried after its back-off", null);
        assertEquals(EngineHealth.State.OK, health.state(), health.describe());

        agent.next = new OutOfMemoryError("test");
        guarded.doWork();
        assertEquals(EngineHealth.State.FAILED, health.state(), "an Error fails the engine even from maintenance");
    }
}
