package io.txmon.rules.typology;

import io.txmon.events.codec.Severity;
import io.txmon.rules.AlertRecord;
import io.txmon.rules.RuleContext;
import org.junit.jupiter.api.Test;

import static io.txmon.rules.typology.GeoMarketHarness.*;
import static org.junit.jupiter.api.Assertions.*;

class CycleRuleTest
{
    private static final long DAY = 86_400 * SECOND;

    @Test
    void cycleOfThreeAlertsForTheClosingDebtorWithEvidence()
    {
        final GeoMarketHarness h = new GeoMarketHarness(new CycleRule());
        final long o1 = h.nextOffset();
        assertEquals(0, h.payment(T0, 1, 2, 10_000));
        final long o2 = h.nextOffset();
        assertEquals(0, h.payment(T0 + SECOND, 2, 3, 9_900));
        final long o3 = h.nextOffset();
        assertEquals(1, h.payment(T0 + 2 * SECOND, 3, 1, 9_800));
        final AlertRecord alert = h.alert();
        assertEquals(CycleRule.ID, alert.ruleId());
        assertEquals(3, alert.account());
        assertEquals(900, alert.score());
        assertEquals(3, alert.evidenceCount());
        assertEquals(o1, alert.evidence(0));
        assertEquals(o2, alert.evidence(1));
        assertEquals(o3, alert.evidence(2));
        final String reason = alert.reason().toString();
        assertTrue(reason.contains("1 -> 2 -> 3 -> 1"), reason);
        assertTrue(reason.contains("through 3 payments"), reason);
    }

    @Test
    void firesAtMaxHopsSilentOneHopLonger()
    {
        final GeoMarketHarness four = new GeoMarketHarness(new CycleRule());
        four.payment(T0, 1, 2, 1);
        four.payment(T0 + 1, 2, 3, 1);
        four.payment(T0 + 2, 3, 4, 1);
        assertEquals(1, four.payment(T0 + 3, 4, 1, 1), "4 payments");

        final GeoMarketHarness five = new GeoMarketHarness(new CycleRule());
        five.payment(T0, 1, 2, 1);
        five.payment(T0 + 1, 2, 3, 1);
        five.payment(T0 + 2, 3, 4, 1);
        five.payment(T0 + 3, 4, 5, 1);
        assertEquals(0, five.payment(T0 + 4, 5, 1, 1), "5 payments");
    }

    @Test
    void refundIsNotACycleByDefaultButCanBe()
    {
        final GeoMarketHarness h = new GeoMarketHarness(new CycleRule());
        h.payment(T0, 1, 2, 1);
        assertEquals(0, h.payment(T0 + 1, 2, 1, 1));
        final GeoMarketHarness two = new GeoMarketHarness(
            new CycleRule(4, 2, CycleRule.DEFAULT_WINDOW_NS, 16, 256, Severity.LOW));
        two.payment(T0, 1, 2, 1);
        assertEquals(1, two.payment(T0 + 1, 2, 1, 1));
        assertEquals(0, two.payment(T0 + 2, 1, 1, 1), "self-payment");
    }

    @Test
    void windowAndTimeOrderAreRespected()
    {
        final long window = 7 * DAY;
        final GeoMarketHarness out = new GeoMarketHarness(new CycleRule());
        out.payment(T0, 1, 2, 1);
        out.payment(T0 + DAY, 2, 3, 1);
        assertEquals(0, out.payment(T0 + window + 1, 3, 1, 1), "first payment 1 ns outside the window");

        final GeoMarketHarness at = new GeoMarketHarness(new CycleRule());
        at.payment(T0, 1, 2, 1);
        at.payment(T0 + DAY, 2, 3, 1);
        assertEquals(1, at.payment(T0 + window, 3, 1, 1), "exactly at the window");

        final GeoMarketHarness order = new GeoMarketHarness(new CycleRule());
        order.payment(T0 + 10, 2, 3, 1);
        order.payment(T0 + 20, 1, 2, 1);
        assertEquals(0, order.payment(T0 + 30, 3, 1, 1), "2->3 happened before 1->2: funds did not flow round");
    }

    @Test
    void explorationIsBoundedAndCounted()
    {
        final CycleRule bounded = new CycleRule(4, 3, CycleRule.DEFAULT_WINDOW_NS, 16, 8, Severity.LOW);
        final CycleRule roomy = new CycleRule(4, 3, CycleRule.DEFAULT_WINDOW_NS, 16, 256, Severity.LOW);
        final GeoMarketHarness h = new GeoMarketHarness(bounded);
        final GeoMarketHarness control = new GeoMarketHarness(roomy);
        for (final GeoMarketHarness g : new GeoMarketHarness[] { h, control })
        {
            g.payment(T0, 1, 2, 1);
            g.payment(T0 + 1, 2, 3, 1);
            for (int i = 0; i < 15; i++)
            {
                g.payment(T0 + 2 + i, 2, 100 + i, 1);   // dead ends, explored first (newest first)
            }
        }
        assertEquals(0, h.payment(T0 + 100, 3, 1, 1), "search cut after 8 edges");
        assertEquals(1, bounded.truncatedSearches());
        assertEquals(1, control.payment(T0 + 100, 3, 1, 1));
        assertEquals(0, roomy.truncatedSearches());
        assertEquals(0, roomy.droppedEdges());

        control.payment(T0 + 200, 2, 999, 1);           // 17th edge of account 2 pushes out 2 -> 3
        assertEquals(1, roomy.droppedEdges());
        assertEquals(0, control.payment(T0 + 300, 3, 1, 1), "edge 2 -> 3 was dropped");
    }

    @Test
    void validatesParameters()
    {
        final long w = CycleRule.DEFAULT_WINDOW_NS;
        assertThrows(IllegalArgumentException.class, () -> new CycleRule(1, 2, w, 16, 256, Severity.LOW));
        assertThrows(IllegalArgumentException.class, () -> new CycleRule(17, 2, w, 16, 256, Severity.LOW));
        assertThrows(IllegalArgumentException.class, () -> new CycleRule(4, 5, w, 16, 256, Severity.LOW));
        assertThrows(IllegalArgumentException.class, () -> new CycleRule(4, 3, 0, 16, 256, Severity.LOW));
        assertThrows(IllegalArgumentException.class, () -> new CycleRule(4, 3, w, 0, 256, Severity.LOW));
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> new CycleRule(4, 3, w, 16, 0, Severity.LOW));
        assertTrue(ex.getMessage().contains("maxExplored"));
    }

    @Test
    void withTwoWorkersOnlyTheClosingDebtorsWorkerRaisesAndCrossPartitionCyclesAreFound()
    {
        final GeoMarketHarness h = new GeoMarketHarness(2, CycleRule::new);
        for (long a = 1; a <= 30; a++)
        {
            final long b = a + 1000;
            final long c = a + 2000;
            h.payment(T0 + a * 10, a, b, 1);
            h.payment(T0 + a * 10 + 1, b, c, 1);
            assertEquals(1, h.payment(T0 + a * 10 + 2, c, a, 1));
            assertEquals(RuleContext.partition(c, 2), h.raisedBy());
            assertEquals(c, h.alert().account());
        }
    }

    @Test
    void steadyStateAllocatesNothing()
    {
        final GeoMarketHarness h = new GeoMarketHarness(new CycleRule());
        assertSteadyStateAllocationFree(i -> h.payment(T0 + i * SECOND, i % 300, (i * 7 + 1) % 300, 100));
    }

    @Test
    void parametersRejectInvalidValuesNamingTheRuleAndParameter()
    {
        final long w = DAY;
        assertEquals("cycle maxHops must be 2 to 16, was 1", assertThrows(IllegalArgumentException.class,
            () -> new CycleRule.Parameters(1, 2, w, 16, 256, Severity.LOW)).getMessage());
        assertEquals("cycle minHops must be 2 to maxHops 4, was 5", assertThrows(IllegalArgumentException.class,
            () -> new CycleRule.Parameters(4, 5, w, 16, 256, Severity.LOW)).getMessage());
        assertEquals("cycle windowNanos must be positive, was 0", assertThrows(IllegalArgumentException.class,
            () -> new CycleRule.Parameters(4, 3, 0, 16, 256, Severity.LOW)).getMessage());
        assertEquals("cycle edgesPerAccount must be 1 to 4096, was 0", assertThrows(IllegalArgumentException.class,
            () -> new CycleRule.Parameters(4, 3, w, 0, 256, Severity.LOW)).getMessage());
        assertEquals("cycle maxExplored must be 1 to 1048576, was 0", assertThrows(IllegalArgumentException.class,
            () -> new CycleRule.Parameters(4, 3, w, 16, 0, Severity.LOW)).getMessage());
        assertEquals("cycle severity must be set, was null", assertThrows(IllegalArgumentException.class,
            () -> new CycleRule.Parameters(4, 3, w, 16, 256, null)).getMessage());
    }

    @Test
    void defaultParametersBehaveAsTheDefaultConstructor()
    {
        final CycleRule.Parameters defaults = CycleRule.Parameters.DEFAULTS;
        assertEquals(CycleRule.DEFAULT_MAX_HOPS, defaults.maxHops());
        assertEquals(CycleRule.DEFAULT_MIN_HOPS, defaults.minHops());
        assertEquals(CycleRule.DEFAULT_WINDOW_NS, defaults.windowNanos());
        assertEquals(CycleRule.DEFAULT_EDGES_PER_ACCOUNT, defaults.edgesPerAccount());
        assertEquals(CycleRule.DEFAULT_MAX_EXPLORED, defaults.maxExplored());
        assertEquals(Severity.HIGH, defaults.severity());
        assertEquals(defaults, new CycleRule().parameters());

        final GeoMarketHarness h = new GeoMarketHarness(new CycleRule(defaults));
        assertEquals(0, h.payment(T0, 1, 2, 10_000));
        assertEquals(0, h.payment(T0 + SECOND, 2, 3, 9_900));
        assertEquals(1, h.payment(T0 + 2 * SECOND, 3, 1, 9_800));
        assertEquals(900, h.alert().score());
        assertEquals(Severity.HIGH, h.alert().severity());
        final GeoMarketHarness refund = new GeoMarketHarness(new CycleRule(defaults));
        refund.payment(T0, 1, 2, 1);
        assertEquals(0, refund.payment(T0 + 1, 2, 1, 1), "a refund is not a cycle by default");
    }
}
