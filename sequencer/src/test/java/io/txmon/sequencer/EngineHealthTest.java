package io.txmon.sequencer;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * FAILED means intake has stopped: whoever sees the state can rely on it, so the failure action (which stops
 * intake) runs before the state changes, once, whether it was registered before or after the failure.
 */
class EngineHealthTest
{
    @Test
    void theFailureActionRunsBeforeAnyoneCanSeeFailed()
    {
        final EngineHealth health = new EngineHealth();
        final List<EngineHealth.State> seenByAction = new ArrayList<>();
        health.onFailure((cause) -> seenByAction.add(health.state()));
        health.degrade("disk", "low on space");

        assertTrue(health.fail("txmon-sequencer", new InternalError("test")));
        assertEquals(List.of(EngineHealth.State.DEGRADED), seenByAction,
            "intake stopped while the state was not FAILED");
        assertEquals(EngineHealth.State.FAILED, health.state());
        assertTrue(health.describe().startsWith("FAILED: txmon-sequencer failed: "), health.describe());

        assertFalse(health.fail("journal", new IllegalStateException("second")), "the first failure is kept");
        health.clear("disk");
        assertEquals(EngineHealth.State.FAILED, health.state(), "sticky");
        assertEquals("txmon-sequencer", health.failedAgent());
        assertEquals(1, seenByAction.size());
    }

    @Test
    void anActionRegisteredAfterTheFailureRunsAtOnce()
    {
        final EngineHealth health = new EngineHealth();
        health.fail("txmon-rule-worker", new IllegalStateException("test"));
        final List<Throwable> causes = new ArrayList<>();
        health.onFailure(causes::add);
        assertEquals(1, causes.size());
        assertInstanceOf(IllegalStateException.class, causes.get(0));
    }
}
