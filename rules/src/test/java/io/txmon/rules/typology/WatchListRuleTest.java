package io.txmon.rules.typology;

import io.txmon.events.codec.Severity;
import io.txmon.rules.AlertRecord;
import io.txmon.rules.RuleContext;
import org.junit.jupiter.api.Test;

import static io.txmon.rules.typology.GeoMarketHarness.*;
import static org.junit.jupiter.api.Assertions.*;

class WatchListRuleTest
{
    private static final long LISTED_ACCOUNT = 666;
    private static final long LISTED_PARTY = 77_000;

    private static WatchListRule rule()
    {
        return new WatchListRule(new long[] { LISTED_ACCOUNT }, new long[] { LISTED_PARTY }, Severity.CRITICAL);
    }

    @Test
    void listedDebtorOrCreditorAccountAlertsForTheDebtor()
    {
        final GeoMarketHarness h = new GeoMarketHarness(rule());
        assertEquals(0, h.payment(T0, 1, 2, 100), "nobody listed");
        assertEquals(1, h.payment(T0, 1, LISTED_ACCOUNT, 100));
        assertEquals(1, h.alert().account());
        assertEquals(900, h.alert().score());
        assertTrue(h.alert().reason().toString().contains("creditor account 666 is on the watch list"),
            h.alert().reason().toString());

        assertEquals(1, h.payment(T0, LISTED_ACCOUNT, 3, 100));
        assertEquals(LISTED_ACCOUNT, h.alert().account());
        assertTrue(h.alert().reason().toString().contains("debtor account 666 is on the watch list"));
    }

    @Test
    void partyMatchFromAccountUpdateWithEvidence()
    {
        final GeoMarketHarness h = new GeoMarketHarness(rule());
        assertEquals(0, h.payment(T0, 1, 50, 100), "party not yet known");
        final long updateOffset = h.nextOffset();
        assertEquals(0, h.accountUpdate(T0, 50, LISTED_PARTY), "updates do not alert");
        assertEquals(0, h.accountUpdate(T0, 1, 12345));
        final long paymentOffset = h.nextOffset();
        assertEquals(1, h.payment(T0 + SECOND, 1, 50, 100));
        final AlertRecord alert = h.alert();
        assertEquals(1, alert.account());
        assertEquals(800, alert.score());
        assertEquals(Severity.CRITICAL, alert.severity());
        assertEquals(2, alert.evidenceCount());
        assertEquals(paymentOffset, alert.evidence(0));
        assertEquals(updateOffset, alert.evidence(1));
        final String reason = alert.reason().toString();
        assertTrue(reason.contains("creditor party 77000 is on the watch list"), reason);
        assertFalse(reason.contains("debtor"), reason.replace("from account", ""));

        // party changes: no longer listed
        assertEquals(0, h.accountUpdate(T0, 50, 1));
        assertEquals(0, h.payment(T0 + 2 * SECOND, 1, 50, 100));
        // debtor side party
        assertEquals(0, h.accountUpdate(T0, 1, LISTED_PARTY));
        assertEquals(1, h.payment(T0 + 3 * SECOND, 1, 50, 100));
        assertTrue(h.alert().reason().toString().contains("debtor party 77000"));
    }

    @Test
    void validatesParameters()
    {
        assertThrows(IllegalArgumentException.class, () -> new WatchListRule(new long[0], null, Severity.LOW));
        assertThrows(IllegalArgumentException.class, () -> new WatchListRule(null, new long[0], Severity.LOW));
        assertThrows(IllegalArgumentException.class, () -> new WatchListRule(new long[] { 1 }, new long[0], null));
    }

    @Test
    void onlyTheDebtorsWorkerRaisesAndPartiesAreSeenAcrossPartitions()
    {
        final long[] ab = accountsOnDifferentWorkers();
        final GeoMarketHarness h = new GeoMarketHarness(2, WatchListRuleTest::rule);
        assertEquals(0, h.accountUpdate(T0, ab[1], LISTED_PARTY));
        assertEquals(1, h.payment(T0, ab[0], ab[1], 5));
        assertEquals(RuleContext.partition(ab[0], 2), h.raisedBy());
        assertEquals(ab[0], h.alert().account());
        assertEquals(1, h.payment(T0, ab[1], ab[0], 5));
        assertEquals(RuleContext.partition(ab[1], 2), h.raisedBy());
    }

    @Test
    void steadyStateAllocatesNothing()
    {
        final GeoMarketHarness h = new GeoMarketHarness(rule());
        for (int a = 0; a < 1000; a++)
        {
            h.accountUpdate(T0, a, a == 5 ? LISTED_PARTY : a);
        }
        assertSteadyStateAllocationFree(i ->
        {
            if (i % 10 == 0)
            {
                h.accountUpdate(T0 + i, i % 1000, i % 1000 == 5 ? LISTED_PARTY : i % 1000);
            }
            else
            {
                h.payment(T0 + i, i % 1000, (i * 7) % 1000, 100);
            }
        });
    }

    @Test
    void parametersRejectInvalidValuesNamingTheRuleAndParameter()
    {
        assertEquals("watch-list watchedAccounts must be given, was null", assertThrows(IllegalArgumentException.class,
            () -> new WatchListRule.Parameters(null, new long[0], Severity.LOW)).getMessage());
        assertEquals("watch-list watchedParties must be given, was null", assertThrows(IllegalArgumentException.class,
            () -> new WatchListRule.Parameters(new long[0], null, Severity.LOW)).getMessage());
        assertEquals("watch-list watchedParties must not hold the reserved id Long.MIN_VALUE, was " + Long.MIN_VALUE,
            assertThrows(IllegalArgumentException.class,
                () -> new WatchListRule.Parameters(new long[0], new long[]{ 1, Long.MIN_VALUE }, Severity.LOW))
                .getMessage());
        assertEquals("watch-list severity must be set, was null", assertThrows(IllegalArgumentException.class,
            () -> new WatchListRule.Parameters(new long[]{ 1 }, new long[0], null)).getMessage());
    }

    @Test
    void defaultParametersHaveEmptyListsAndNeverFire()
    {
        final WatchListRule.Parameters defaults = WatchListRule.Parameters.DEFAULTS;
        assertEquals(0, defaults.watchedAccounts().length);
        assertEquals(0, defaults.watchedParties().length);
        assertEquals(Severity.CRITICAL, defaults.severity());
        final GeoMarketHarness h = new GeoMarketHarness(new WatchListRule(defaults));
        assertEquals(0, h.accountUpdate(T0, 1, LISTED_PARTY));
        assertEquals(0, h.payment(T0, 1, LISTED_ACCOUNT, 100));
        assertEquals(0, h.payment(T0, LISTED_ACCOUNT, 1, 100));
    }

    @Test
    void aRuleBuiltFromParametersBehavesAsTheListConstructor()
    {
        final WatchListRule rule = new WatchListRule(new WatchListRule.Parameters(
            new long[]{ LISTED_ACCOUNT }, new long[]{ LISTED_PARTY }, WatchListRule.Parameters.DEFAULTS.severity()));
        assertEquals(rule().parameters(), rule.parameters());
        final GeoMarketHarness h = new GeoMarketHarness(rule);
        assertEquals(1, h.payment(T0, 1, LISTED_ACCOUNT, 100));
        assertEquals(900, h.alert().score());
        assertEquals(Severity.CRITICAL, h.alert().severity());
        assertEquals(0, h.accountUpdate(T0, 50, LISTED_PARTY));
        assertEquals(1, h.payment(T0, 1, 50, 100));
        assertEquals(800, h.alert().score());
    }

    @Test
    void emptyListsAreAllowedAndNeverFire()
    {
        final GeoMarketHarness h = new GeoMarketHarness(new WatchListRule(new long[0], new long[0], Severity.LOW));
        assertEquals(0, h.accountUpdate(T0, 1, LISTED_PARTY));
        assertEquals(0, h.payment(T0, 1, LISTED_ACCOUNT, 100));
        assertEquals(0, h.payment(T0, LISTED_ACCOUNT, 1, 100));
    }

    @Test
    void theListsAreCopiedInAndOut()
    {
        final long[] accounts = { LISTED_ACCOUNT };
        final WatchListRule.Parameters parameters = new WatchListRule.Parameters(accounts, new long[0], Severity.LOW);
        accounts[0] = 1;
        parameters.watchedAccounts()[0] = 1;
        assertArrayEquals(new long[]{ LISTED_ACCOUNT }, parameters.watchedAccounts());
        assertEquals(new WatchListRule.Parameters(new long[]{ LISTED_ACCOUNT }, new long[0], Severity.LOW), parameters);
        assertEquals(new WatchListRule.Parameters(new long[]{ LISTED_ACCOUNT }, new long[0], Severity.LOW).hashCode(),
            parameters.hashCode());
        assertTrue(parameters.toString().contains("[666]"), parameters.toString());

        final GeoMarketHarness h = new GeoMarketHarness(new WatchListRule(parameters));
        assertEquals(1, h.payment(T0, 2, LISTED_ACCOUNT, 100));
        assertEquals(0, h.payment(T0, 2, 1, 100));
    }
}
