package io.txmon.rules.typology;

import io.txmon.events.codec.Severity;
import io.txmon.rules.AlertRecord;
import io.txmon.rules.RuleContext;
import org.junit.jupiter.api.Test;

import static io.txmon.rules.typology.GeoMarketHarness.*;
import static org.junit.jupiter.api.Assertions.*;

class WashTradeRuleTest
{
    @Test
    void sameAccountAlerts()
    {
        final GeoMarketHarness h = new GeoMarketHarness(new WashTradeRule(Severity.HIGH));
        final long offset = h.nextOffset();
        assertEquals(1, h.execution(T0, 10, 10, 555, 0, 300));
        final AlertRecord alert = h.alert();
        assertEquals(WashTradeRule.ID, alert.ruleId());
        assertEquals(10, alert.account());
        assertEquals(1000, alert.score());
        assertEquals(1, alert.evidenceCount());
        assertEquals(offset, alert.evidence(0));
        assertTrue(alert.reason().toString().contains("account 10 traded with itself"), alert.reason().toString());
        assertTrue(alert.reason().toString().contains("instrument 555"));
    }

    @Test
    void sameOrLinkedPartyAlertsDifferentPartiesDoNot()
    {
        final GeoMarketHarness h = new GeoMarketHarness(new WashTradeRule(Severity.HIGH));
        assertEquals(0, h.execution(T0, 10, 20, 555, 0, 300), "parties unknown");
        final long u10 = h.nextOffset();
        h.accountUpdate(T0, 10, 900);
        final long u20 = h.nextOffset();
        h.accountUpdate(T0, 20, 901);
        assertEquals(0, h.execution(T0, 10, 20, 555, 0, 300), "different parties");
        final long u20b = h.nextOffset();
        h.accountUpdate(T0, 20, 900);
        final long exec = h.nextOffset();
        assertEquals(1, h.execution(T0, 10, 20, 555, 1, 300));
        final AlertRecord alert = h.alert();
        assertEquals(800, alert.score());
        assertEquals(3, alert.evidenceCount());
        assertEquals(exec, alert.evidence(0));
        assertEquals(u10, alert.evidence(1));
        assertEquals(u20b, alert.evidence(2));
        assertNotEquals(u20, alert.evidence(2));
        assertTrue(alert.reason().toString().contains("belong to the same party 900"), alert.reason().toString());
        assertEquals(0, h.execution(T0, 10, 0, 555, 1, 300), "no counterparty");
        assertEquals(0, h.payment(T0, 10, 10, 1), "payments are not trades");
    }

    @Test
    void onlyTheAccountsWorkerRaises()
    {
        final long[] ab = accountsOnDifferentWorkers();
        final GeoMarketHarness h = new GeoMarketHarness(2, () -> new WashTradeRule(Severity.HIGH));
        h.accountUpdate(T0, ab[0], 4);
        h.accountUpdate(T0, ab[1], 4);
        assertEquals(1, h.execution(T0, ab[0], ab[1], 1, 0, 1));
        assertEquals(RuleContext.partition(ab[0], 2), h.raisedBy());
        assertEquals(ab[0], h.alert().account());
        assertEquals(1, h.execution(T0, ab[1], ab[0], 1, 1, 1));
        assertEquals(RuleContext.partition(ab[1], 2), h.raisedBy());
    }

    @Test
    void validatesParameters()
    {
        assertThrows(IllegalArgumentException.class, () -> new WashTradeRule((Severity)null));
    }

    @Test
    void steadyStateAllocatesNothing()
    {
        final GeoMarketHarness h = new GeoMarketHarness(new WashTradeRule(Severity.HIGH));
        for (int a = 0; a < 1000; a++)
        {
            h.accountUpdate(T0, a, a / 2);
        }
        assertSteadyStateAllocationFree(i -> h.execution(T0 + i, i % 1000, (i * 3) % 1000, 7, i & 1, 10));
    }

    @Test
    void parametersRejectInvalidValuesNamingTheRuleAndParameter()
    {
        assertEquals("wash-trade severity must be set, was null", assertThrows(IllegalArgumentException.class,
            () -> new WashTradeRule.Parameters(null)).getMessage());
    }

    @Test
    void defaultParametersBehaveAsTheDefaultsDid()
    {
        final WashTradeRule.Parameters defaults = WashTradeRule.Parameters.DEFAULTS;
        assertEquals(Severity.HIGH, defaults.severity());
        assertEquals(defaults, new WashTradeRule(Severity.HIGH).parameters());
        final GeoMarketHarness h = new GeoMarketHarness(new WashTradeRule(defaults));
        assertEquals(1, h.execution(T0, 10, 10, 555, 0, 300));
        assertEquals(1000, h.alert().score());
        assertEquals(Severity.HIGH, h.alert().severity());
        assertEquals(0, h.execution(T0, 10, 20, 555, 0, 300), "parties unknown");
    }
}
