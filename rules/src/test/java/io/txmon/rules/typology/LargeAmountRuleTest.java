package io.txmon.rules.typology;

import io.txmon.events.codec.Severity;
import io.txmon.rules.Rule;
import io.txmon.rules.state.StateException;
import io.txmon.rules.typology.AmlAmountRulesTest.Harness;
import org.junit.jupiter.api.Test;

import static io.txmon.rules.typology.AmlAmountRulesTest.A;
import static io.txmon.rules.typology.AmlAmountRulesTest.T0;
import static io.txmon.rules.typology.RuleStateSupport.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * {@link LargeAmountRule} is stateless: a snapshot holds nothing of it, and an instance read back from one decides
 * every payment as the original. Its decisions themselves are tested in {@code io.txmon.rules.LargeAmountRuleTest}.
 */
class LargeAmountRuleTest
{
    private static final long THRESHOLD = LargeAmountRule.DEFAULT_THRESHOLD_MINOR_UNITS;

    @Test
    void readsPaymentsOnlyAndWritesNothing()
    {
        final LargeAmountRule rule = new LargeAmountRule(LargeAmountRule.Parameters.DEFAULTS);
        assertEquals(Rule.PAYMENT, rule.templates());
        assertTrue(rule.snapshots());
        final Harness h = new Harness(rule);
        h.pay(T0, A, THRESHOLD);
        assertEquals(1, h.alerts());
        assertEquals(0, stateOf(rule).length, "an alert leaves no state");
    }

    @Test
    void aRestoredInstanceAlertsAtExactlyTheThresholdAsTheOriginal()
    {
        final Harness original = new Harness(new LargeAmountRule(THRESHOLD, Severity.HIGH));
        original.pay(T0, A, 5 * THRESHOLD);
        final Harness restored = original.restored(new LargeAmountRule(THRESHOLD, Severity.HIGH));
        for (final long amount : new long[]{ THRESHOLD - 1, THRESHOLD, 10 * THRESHOLD })
        {
            original.pay(T0 + amount, A, amount);
            restored.pay(T0 + amount, A, amount);
            assertEquals(amount >= THRESHOLD ? 1 : 0, original.alerts(), "amount " + amount);
            assertEquals(original.describeAlerts(), restored.describeAlerts(), "amount " + amount);
        }
        assertEquals(1000, restored.alert().score());
    }

    @Test
    void stateBytesForItAreRefusedWithAStateException()
    {
        final LargeAmountRule rule = new LargeAmountRule(LargeAmountRule.Parameters.DEFAULTS);
        read(rule, new byte[0]);
        assertThrows(StateException.class, () -> read(rule, new byte[]{ 0, 0, 0, 0 }),
            "it reads nothing, so any byte is left over");
        assertEquals(0, stateOf(restored(rule, new LargeAmountRule(LargeAmountRule.Parameters.DEFAULTS))).length);
    }
}
