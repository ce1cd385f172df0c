package io.txmon.rules.typology;

import io.txmon.events.codec.Severity;
import io.txmon.rules.AlertRecord;
import io.txmon.rules.Rule;
import io.txmon.rules.RuleContext;
import io.txmon.rules.TxEvent;
import io.txmon.rules.state.StateException;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteOrder;

import static io.txmon.rules.typology.GeoMarketHarness.*;
import static io.txmon.rules.typology.RuleStateSupport.*;
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

    /**
     * An update with the schema's null party (Long.MIN_VALUE) says the account has no party: two such accounts
     * are not the same party, and no rule error is raised (the map cannot hold that value).
     */
    @Test
    void anUpdateWithTheNullPartyForgetsTheAccountsParty()
    {
        final WashTradeRule rule = new WashTradeRule(Severity.HIGH);
        final GeoMarketHarness h = new GeoMarketHarness(rule);
        h.accountUpdate(T0, 10, 4);
        h.accountUpdate(T0, 20, 4);
        assertEquals(1, h.execution(T0, 10, 20, 1, 0, 1), "same party");
        h.accountUpdate(T0, 10, Long.MIN_VALUE);
        h.accountUpdate(T0, 20, Long.MIN_VALUE);
        assertEquals(0, h.execution(T0, 10, 20, 1, 0, 1), "no party is nobody's party");
        assertEquals(0, rule.knownAccounts());
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

    @Test
    void declaresTheTemplatesItReadsAndSnapshots()
    {
        final WashTradeRule rule = new WashTradeRule(Severity.HIGH);
        assertEquals(Rule.EXECUTION | Rule.ACCOUNT_UPDATE, rule.templates());
        assertTrue(rule.snapshots());
        assertArrayEquals(new byte[4], stateOf(rule), "no account learnt: a count of 0");
    }

    /** Accounts 10 and 20 in party 900 (20 moved there by its second update), 30 in party 901. */
    private static GeoMarketHarness partiesLearnt()
    {
        final GeoMarketHarness h = new GeoMarketHarness(new WashTradeRule(Severity.HIGH));
        h.accountUpdate(T0, 10, 900);
        h.accountUpdate(T0, 20, 901);
        h.accountUpdate(T0, 20, 900);
        h.accountUpdate(T0, 30, 901);
        return h;
    }

    @Test
    void knownAccountsCountsEveryAccountWithAPartyLearnt()
    {
        final WashTradeRule rule = new WashTradeRule(Severity.HIGH);
        assertEquals(0, rule.knownAccounts());
        final GeoMarketHarness h = partiesLearnt();
        assertEquals(3, ((WashTradeRule)h.rules[0]).knownAccounts(), "20 updated twice counts once");
        assertEquals(3, read(rule, stateOf(h.rules[0])).knownAccounts(), "and so after a snapshot");
    }

    @Test
    void partiesAndUpdateOffsetsSurviveASnapshot()
    {
        final GeoMarketHarness h = partiesLearnt();
        final GeoMarketHarness r = restored(h, new WashTradeRule(Severity.HIGH));

        final long exec = h.nextOffset();
        final String sameParty = same(h, r, x -> x.execution(T0, 10, 20, 555, 0, 300));
        assertTrue(sameParty.startsWith("800 [" + exec + ",100,102,] "), sameParty);
        assertTrue(sameParty.endsWith("belong to the same party 900"), sameParty);
        assertEquals("none", same(h, r, x -> x.execution(T0, 10, 30, 555, 0, 300)), "different parties");
        assertEquals("none", same(h, r, x -> x.execution(T0, 10, 40, 555, 0, 300)), "party unknown");
        assertTrue(same(h, r, x -> x.execution(T0, 40, 40, 555, 0, 300)).startsWith("1000 "), "itself");

        same(h, r, x -> x.accountUpdate(T0, 30, 900));
        assertTrue(same(h, r, x -> x.execution(T0, 30, 10, 555, 1, 300)).startsWith("800 "), "30 joined 900");
    }

    @Test
    void truncatedOrOutOfRangeStateIsRefused()
    {
        final byte[] bytes = stateOf(partiesLearnt().rules[0]);
        assertEquals(4 + 3 * 24, bytes.length, "three accounts of three longs");
        assertHostileBytesRefused(bytes, () -> new WashTradeRule(Severity.HIGH), h ->
        {
            h.execution(T0, 10, 20, 555, 0, 300);
            h.accountUpdate(T0, 50, 900);
            h.execution(T0, 50, 10, 555, 0, 300);
        });

        final StateException tooMany = assertThrows(StateException.class,
            () -> read(new WashTradeRule(Severity.HIGH), withInt(bytes, 0, 4), bytes.length));
        assertTrue(tooMany.getMessage().contains("accounts 4 at 0 is outside 0 to 3"), tooMany.getMessage());
        assertThrows(StateException.class, () -> read(new WashTradeRule(Severity.HIGH), withInt(bytes, 0, -1), 4));

        final UnsafeBuffer unknownParty = new UnsafeBuffer(bytes.clone());
        unknownParty.putLong(4 + 8, Long.MIN_VALUE, ByteOrder.LITTLE_ENDIAN);
        final StateException party = assertThrows(StateException.class,
            () -> read(new WashTradeRule(Severity.HIGH), unknownParty.byteArray(), bytes.length));
        assertTrue(party.getMessage().contains("party id is Long.MIN_VALUE"), party.getMessage());

        final UnsafeBuffer twice = new UnsafeBuffer(bytes.clone());
        twice.putLong(4 + 24, twice.getLong(4, ByteOrder.LITTLE_ENDIAN), ByteOrder.LITTLE_ENDIAN);
        assertThrows(StateException.class, () -> read(new WashTradeRule(Severity.HIGH), twice.byteArray(), bytes.length));
    }

    @Test
    void stateThatCannotBeReadChangesNothing()
    {
        final WashTradeRule rule = new WashTradeRule(Severity.HIGH);
        final byte[] bytes = stateOf(partiesLearnt().rules[0]);
        read(rule, bytes, bytes.length);
        assertThrows(StateException.class, () -> read(rule, bytes, 4 + 24));
        assertThrows(StateException.class, () -> read(rule, withInt(bytes, 0, 4), bytes.length));
        assertArrayEquals(bytes, stateOf(rule));
        assertEquals(1, new GeoMarketHarness(rule).execution(T0, 20, 10, 1, 0, 1));
    }

    /**
     * The party of an account the worker owns lives in the worker's account store: once evicted it is unknown, so
     * an execution between two accounts of one party is not a wash trade. Cap of two: updates of 30 and 40 evict
     * 10 and 20.
     */
    @Test
    void forgetsThePartyOfAnAccountTheStoreEvicts()
    {
        for (final boolean evict : new boolean[]{ false, true })
        {
            final WashTradeRule wash = new WashTradeRule(Severity.HIGH);
            final CappedWorker w = new CappedWorker(2, wash);
            final TxEvent e = new TxEvent(1, 8);
            w.evaluate(update(e, 1, 10, 900));
            w.evaluate(update(e, 2, 20, 900));
            if (evict)
            {
                w.evaluate(update(e, 3, 30, 901));
                w.evaluate(update(e, 4, 40, 902));
                assertEquals(2, wash.knownAccounts(), "only 30 and 40 are remembered");
            }
            CappedWorker.begin(e, 5, io.txmon.events.codec.ExecutionDecoder.TEMPLATE_ID, T0);
            e.account = 10;
            e.counterpartyAccount = 20;
            e.instrument = 555;
            e.quantity = 300;
            w.evaluate(e);
            assertEquals(evict ? 0 : 1, e.alerts(0).count(), evict ? "evicted: parties unknown" : "same party");
        }
    }

    /**
     * With more than one worker, each keeps the party of every account, those another worker owns included (a
     * trade's counterparty): the store's cap bounds them all, least recently seen forgotten first.
     */
    @Test
    void theCapBoundsThePartiesOfAccountsAnotherWorkerOwns()
    {
        final WashTradeRule wash = new WashTradeRule(Severity.HIGH);
        final CappedWorker w = new CappedWorker(0, 2, 50, wash);
        final TxEvent e = new TxEvent(2, 8);
        int owned = 0;
        for (int i = 0; i < 10_000; i++)
        {
            w.evaluate(update(e, i, 1_000 + i, 7_000 + i / 2));
            owned += 0 == RuleContext.partition(1_000 + i, 2) ? 1 : 0;
        }
        assertTrue(owned > 4_000 && owned < 6_000, "about half are the worker's own: " + owned);
        assertEquals(50, wash.knownAccounts(), "owned or not, at most the cap");
        assertEquals(50, w.rules.accounts().size());

        // the newest accounts are remembered: two of one party, one owned and one not, trade with each other
        long mine = -1;
        long theirs = -1;
        for (long a = 20_000; mine < 0 || theirs < 0; a++)
        {
            if (0 == RuleContext.partition(a, 2))
            {
                mine = mine < 0 ? a : mine;
            }
            else
            {
                theirs = theirs < 0 ? a : theirs;
            }
        }
        w.evaluate(update(e, 20_000, mine, 99));
        w.evaluate(update(e, 20_001, theirs, 99));
        CappedWorker.begin(e, 20_002, io.txmon.events.codec.ExecutionDecoder.TEMPLATE_ID, T0);
        e.account = mine;
        e.counterpartyAccount = theirs;
        e.instrument = 555;
        e.quantity = 300;
        w.evaluate(e);
        assertEquals(1, e.alerts(0).count(), "the counterparty's party is known to the worker that owns the account");
        assertEquals(50, wash.knownAccounts());
    }

    private static TxEvent update(final TxEvent e, final long offset, final long account, final long party)
    {
        return fillParty(
            CappedWorker.begin(e, offset, io.txmon.events.codec.AccountUpdateDecoder.TEMPLATE_ID, T0), account, party);
    }
}
