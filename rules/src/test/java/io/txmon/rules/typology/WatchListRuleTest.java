package io.txmon.rules.typology;

import io.txmon.events.codec.AccountAction;
import io.txmon.events.codec.Severity;
import io.txmon.rules.AlertRecord;
import io.txmon.rules.Rule;
import io.txmon.rules.RuleContext;
import io.txmon.rules.RuleWorker;
import io.txmon.rules.TxEvent;
import io.txmon.rules.state.StateException;
import io.txmon.rules.state.StateWriter;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Consumer;

import static io.txmon.rules.typology.GeoMarketHarness.*;
import static io.txmon.rules.typology.RuleStateSupport.*;
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

    private static Consumer<TxEvent> updateAt(final long offset, final long account, final long party)
    {
        return (x) ->
        {
            AmlNetworkTestSupport.accountUpdate(x, offset, T0, account, AccountAction.UPDATE.value());
            x.partyId = party;
        };
    }

    private static Consumer<TxEvent> payAt(final long offset, final long debtor, final long creditor)
    {
        return (x) -> AmlNetworkTestSupport.payment(x, offset, T0 + offset, debtor, creditor, 100);
    }

    @Test
    void stateHoldsThePartiesLearntAndANewInstanceDecidesAsTheOriginal()
    {
        assertEquals(Integer.BYTES, stateOf(rule()).length, "the lists come from the parameters, not the state");

        final WatchListRule original = rule();
        final RuleWorker w = AmlNetworkTestSupport.worker(0, 1, original);
        final TxEvent e = new TxEvent(1, 8);
        for (final Consumer<TxEvent> update : List.of(
            updateAt(0, 50, LISTED_PARTY), updateAt(1, 1, 12_345), updateAt(2, 51, LISTED_PARTY), updateAt(3, 51, 3)))
        {
            update.accept(e);
            w.evaluate(e);
        }
        final byte[] state = stateOf(original);
        assertEquals(Integer.BYTES + 3 * 3 * Long.BYTES, state.length, "three accounts, each with party and offset");
        final WatchListRule restored = read(rule(), state);
        assertEquals(Rule.PAYMENT | Rule.ACCOUNT_UPDATE, restored.templates());
        assertEquals(3, restored.knownAccounts());
        final RuleWorker r = AmlNetworkTestSupport.worker(0, 1, restored);

        assertEquals("800 1 [10,0] payment 5000010 of 1.00 EUR from account 1 to account 50: creditor party 77000 is" +
            " on the watch list;\n", sameOnBoth(w, r, payAt(10, 1, 50)));
        assertEquals("", sameOnBoth(w, r, payAt(11, 1, 51)), "account 51 left the listed party");
        assertTrue(sameOnBoth(w, r, payAt(12, 51, LISTED_ACCOUNT)).startsWith("900 51 [12] "));
        assertEquals("", sameOnBoth(w, r, updateAt(13, 1, LISTED_PARTY)));
        assertTrue(sameOnBoth(w, r, payAt(14, 1, 2)).startsWith("800 1 [14,13] "),
            "the party learnt after the restore");
    }

    @Test
    void hostileStateIsRefusedWithAStateException()
    {
        final GeoMarketHarness h = new GeoMarketHarness(rule());
        h.accountUpdate(T0, 50, LISTED_PARTY);
        h.accountUpdate(T0, 51, 3);
        assertEveryTruncationRefused(WatchListRuleTest::rule, stateOf(h.rules[0]));

        assertThrows(StateException.class, () -> read(rule(),
            bytes(new StateWriter(64).putInt(Integer.MAX_VALUE).putLong(50).putLong(LISTED_PARTY).putLong(0))));
        assertThrows(StateException.class, () -> read(rule(),
            bytes(new StateWriter(64).putInt(1).putLong(50).putLong(Long.MIN_VALUE).putLong(0))), "no party");
        assertThrows(StateException.class, () -> read(rule(),
            bytes(new StateWriter(64).putInt(1).putLong(50).putLong(LISTED_PARTY).putLong(Long.MIN_VALUE))),
            "no offset");
        assertThrows(StateException.class, () -> read(rule(),
            bytes(new StateWriter(64).putInt(2).putLong(50).putLong(LISTED_PARTY).putLong(0)
                .putLong(50).putLong(3).putLong(1))), "an account twice");
    }
    /**
     * An update with the schema's null party (Long.MIN_VALUE, the int64 null) says the account has no party: the
     * party learnt before is forgotten, with no rule error (the map cannot hold that value).
     */
    @Test
    void anUpdateWithTheNullPartyForgetsTheAccountsParty()
    {
        final WatchListRule rule = rule();
        final GeoMarketHarness h = new GeoMarketHarness(rule);
        assertEquals(0, h.accountUpdate(T0, 50, LISTED_PARTY));
        assertEquals(1, h.payment(T0 + SECOND, 1, 50, 100), "the listed party is known");
        assertEquals(0, h.accountUpdate(T0 + 2 * SECOND, 50, Long.MIN_VALUE));
        assertEquals(0, h.payment(T0 + 3 * SECOND, 1, 50, 100), "no party now");
        assertEquals(0, rule.knownAccounts());
    }

    /**
     * The party of an account the worker owns lives in the worker's account store: once evicted it is unknown, so
     * a payment from the account no longer matches the listed party. Cap of two: updates of 2 and 3 evict 1.
     */
    @Test
    void forgetsThePartyOfAnAccountTheStoreEvicts()
    {
        for (final boolean evict : new boolean[]{ false, true })
        {
            final WatchListRule watch = rule();
            final CappedWorker w = new CappedWorker(2, watch);
            final TxEvent e = new TxEvent(1, 8);
            w.evaluate(update(e, 1, 1, LISTED_PARTY));
            if (evict)
            {
                w.evaluate(update(e, 2, 2, 12345));
                w.evaluate(update(e, 3, 3, 12345));
                assertEquals(2, watch.knownAccounts(), "only 2 and 3 are remembered");
            }
            CappedWorker.begin(e, 4, io.txmon.events.codec.PaymentDecoder.TEMPLATE_ID, T0 + SECOND);
            e.debtorAccount = 1;
            e.creditorAccount = 50;
            e.amount = 100;
            e.currency = EUR;
            w.evaluate(e);
            assertEquals(evict ? 0 : 1, e.alerts(0).count(), evict ? "evicted: party unknown" : "party listed");
        }
    }

    private static TxEvent update(final TxEvent e, final long offset, final long account, final long party)
    {
        return fillParty(
            CappedWorker.begin(e, offset, io.txmon.events.codec.AccountUpdateDecoder.TEMPLATE_ID, T0), account, party);
    }
}
