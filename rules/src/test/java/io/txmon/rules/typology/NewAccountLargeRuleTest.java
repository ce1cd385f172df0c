package io.txmon.rules.typology;

import io.txmon.events.codec.AccountAction;
import io.txmon.events.codec.Severity;
import io.txmon.rules.AlertRecord;
import io.txmon.rules.Rule;
import io.txmon.rules.RuleWorker;
import io.txmon.rules.TxEvent;
import io.txmon.rules.state.StateException;
import io.txmon.rules.state.StateWriter;
import org.junit.jupiter.api.Test;

import static io.txmon.rules.typology.AmlNetworkTestSupport.*;
import static io.txmon.rules.typology.RuleStateSupport.*;
import static org.junit.jupiter.api.Assertions.*;

class NewAccountLargeRuleTest
{
    private static final long FRESH = 800_001L;
    private static final long PAYER = 55L;
    private static final long AGE = 30 * DAY;
    private static final long THRESHOLD = 1_000_000L;

    private final NewAccountLargeRule rule = new NewAccountLargeRule();
    private final RuleWorker worker = worker(0, 1, rule);
    private final TxEvent event = new TxEvent(1, 8);
    private long offset = 20;

    private void open(final long time, final long account)
    {
        worker.evaluate(accountUpdate(event, offset++, time, account, AccountAction.OPEN.value()));
        assertEquals(0, alertCount(event));
    }

    private TxEvent pay(final long time, final long debtor, final long creditor, final long amount)
    {
        payment(event, offset++, time, debtor, creditor, amount);
        worker.evaluate(event);
        return event;
    }

    @Test
    void defaultsAreDocumented()
    {
        final NewAccountLargeRule.Parameters p = NewAccountLargeRule.Parameters.DEFAULTS;
        assertEquals(AGE, p.maxAgeNanos());
        assertEquals(THRESHOLD, p.threshold());
        assertEquals(12, rule.id());
        assertEquals("new-account-large", rule.name());
    }

    @Test
    void largePaymentToANewAccountAlertsWithTheOpenAndThePayment()
    {
        open(T0, FRESH);
        final AlertRecord alert = onlyAlert(pay(T0 + 2 * DAY + 3 * HOUR, PAYER, FRESH, THRESHOLD));
        assertEquals(FRESH, alert.account());
        assertEquals(NewAccountLargeRule.ID, alert.ruleId());
        assertEquals(Severity.HIGH, alert.severity());
        assertArrayEquals(new long[]{ 20, 21 }, evidence(alert));
        assertEquals(21, alert.triggeringOffset());
        assertTrue(alert.score() > 700 && alert.score() <= 750, "young account, amount at threshold: " + alert.score());
        final String reason = alert.reason().toString();
        assertTrue(reason.contains("account 800001 opened 2 days 3 h ago"), reason);
        assertTrue(reason.contains("received 10000.00 EUR"), reason);
        assertTrue(reason.contains("from account 55"), reason);
        assertTrue(reason.contains("at or above 10000.00 EUR"), reason);
    }

    @Test
    void silentJustBelowTheThreshold()
    {
        open(T0, FRESH);
        assertEquals(0, alertCount(pay(T0 + 1, PAYER, FRESH, THRESHOLD - 1)));
        assertEquals(1, alertCount(pay(T0 + 2, PAYER, FRESH, THRESHOLD)));
    }

    @Test
    void anAccountExactlyTheAgeOldIsNotNewAndOneNanosecondYoungerIs()
    {
        open(T0, FRESH);
        assertEquals(1, alertCount(pay(T0 + AGE - 1, PAYER, FRESH, THRESHOLD)));
        assertEquals(0, alertCount(pay(T0 + AGE, PAYER, FRESH, THRESHOLD)));
        assertEquals(0, rule.trackedAccounts(), "an opening older than the age is forgotten");
        assertEquals(0, alertCount(pay(T0 + AGE - 1, PAYER, FRESH, THRESHOLD)), "even for a late payment after");
    }

    @Test
    void anAccountNeverSeenOpenedIsNotNew()
    {
        assertEquals(0, alertCount(pay(T0, PAYER, FRESH, THRESHOLD * 100)));
        worker.evaluate(accountUpdate(event, offset++, T0, FRESH, AccountAction.UPDATE.value()));
        assertEquals(0, alertCount(pay(T0 + 1, PAYER, FRESH, THRESHOLD * 100)));
    }

    @Test
    void keyedOnTheCreditorNotTheDebtor()
    {
        open(T0, FRESH);
        assertEquals(0, alertCount(pay(T0 + 1, FRESH, PAYER, THRESHOLD * 5)), "the new account paying out");
    }

    @Test
    void aReopenedAccountIsNewAgainAndAPaymentBeforeTheOpenCountsAsAgeZero()
    {
        open(T0, FRESH);
        open(T0 + 100 * DAY, FRESH);
        final AlertRecord alert = onlyAlert(pay(T0 + 100 * DAY - HOUR, PAYER, FRESH, THRESHOLD * 10));
        assertEquals(1000, alert.score(), "age 0, ten times the threshold");
        assertArrayEquals(new long[]{ 21, 22 }, evidence(alert));
    }

    @Test
    void onlyTheWorkerOwningTheCreditorRaises()
    {
        final long fresh = ownedBy(0, 2, FRESH);
        final long payer = ownedBy(1, 2, PAYER);
        final NewAccountLargeRule rule0 = new NewAccountLargeRule();
        final NewAccountLargeRule rule1 = new NewAccountLargeRule();
        final RuleWorker w0 = worker(0, 2, rule0);
        final RuleWorker w1 = worker(1, 2, rule1);
        final TxEvent e = new TxEvent(2, 8);
        accountUpdate(e, 0, T0, fresh, AccountAction.OPEN.value());
        w0.evaluate(e);
        w1.evaluate(e);
        assertEquals(1, rule0.trackedAccounts());
        assertEquals(0, rule1.trackedAccounts());
        payment(e, 1, T0 + HOUR, payer, fresh, THRESHOLD);
        w0.evaluate(e);
        w1.evaluate(e);
        assertEquals(1, e.alerts(0).count());
        assertEquals(0, e.alerts(1).count());
        assertEquals(fresh, e.alerts(0).get(0).account());
    }

    @Test
    void rejectsInvalidParametersNamingThem()
    {
        FanInRuleTest.assertMessage("maxAgeNanos", () -> new NewAccountLargeRule.Parameters(0, 1, Severity.LOW));
        FanInRuleTest.assertMessage("threshold", () -> new NewAccountLargeRule.Parameters(DAY, 0, Severity.LOW));
        FanInRuleTest.assertMessage("severity", () -> new NewAccountLargeRule.Parameters(DAY, 1, null));
    }

    @Test
    void sameEventsRaiseTheSameAlerts()
    {
        final int alerts = assertDeterministic(
            () -> new NewAccountLargeRule(),
            (e, k) ->
            {
                if (mix(k * 8) % 4 == 0)
                {
                    accountUpdate(e, k, T0 + k * HOUR, 1 + mix(k * 8 + 1) % 100, (int)(mix(k * 8 + 2) % 3));
                }
                else
                {
                    payment(e, k, T0 + k * HOUR, 1 + mix(k * 8 + 3) % 100, 1 + mix(k * 8 + 1) % 100, mix(k * 8 + 4) % 3_000_000);
                }
            },
            20_000);
        assertTrue(alerts > 10, "alerts raised: " + alerts);
    }

    @Test
    void steadyStateAllocatesNothing()
    {
        final long[] state = { T0, 0, 0 };
        // 500 accounts re-opened in turn, each then receiving large and small payments
        assertSteadyStateAllocationFree(
            (n) ->
            {
                for (int i = 0; i < n; i++)
                {
                    final long k = state[1]++;
                    state[0] += MINUTE;
                    final long account = FRESH + k % 500;
                    if (k % 2000 < 500)
                    {
                        accountUpdate(event, k, state[0], account, AccountAction.OPEN.value());
                    }
                    else
                    {
                        payment(event, k, state[0], PAYER, account, (k & 1) == 0 ? THRESHOLD : 10);
                    }
                    worker.evaluate(event);
                    state[2] += event.alerts(0).count();
                }
            },
            100_000);
        assertTrue(state[2] > 1000, "alerts raised: " + state[2]);
    }

    @Test
    void stateWrittenNearTheMaximumAgeDecidesAsTheOriginal()
    {
        worker.evaluate(accountUpdate(event, 3, T0, FRESH, AccountAction.OPEN.value()));
        worker.evaluate(accountUpdate(event, 4, T0, FRESH + 1, AccountAction.OPEN.value()));
        worker.evaluate(accountUpdate(event, 5, T0, FRESH + 2, AccountAction.UPDATE.value()));
        final NewAccountLargeRule restored = read(new NewAccountLargeRule(), stateOf(rule));
        assertEquals(Rule.PAYMENT | Rule.ACCOUNT_UPDATE, restored.templates());
        assertEquals(2, restored.trackedAccounts(), "the OPENs, not the other update");
        final RuleWorker r = worker(0, 1, restored);

        final String alert = sameOnBoth(worker, r, (x) -> payment(x, 20, T0 + AGE - 1, 9, FRESH, THRESHOLD));
        assertTrue(alert.startsWith("500 " + FRESH + " [3,20] account " + FRESH + " opened 29 days 23 h ago"), alert);
        assertEquals("", sameOnBoth(worker, r, (x) -> payment(x, 21, T0 + AGE, 9, FRESH + 1, THRESHOLD)),
            "exactly the maximum age");
        assertEquals("", sameOnBoth(worker, r, (x) -> payment(x, 22, T0, 9, FRESH + 1, THRESHOLD)),
            "the OPEN went with the payment before");
        assertEquals("", sameOnBoth(worker, r, (x) -> payment(x, 23, T0, 9, FRESH + 2, THRESHOLD)), "never opened");
    }

    @Test
    void hostileStateIsRefusedWithAStateException()
    {
        open(T0, FRESH);
        open(T0, FRESH + 1);
        assertEveryTruncationRefused(NewAccountLargeRule::new, stateOf(rule));

        assertThrows(StateException.class, () -> read(new NewAccountLargeRule(),
            bytes(new StateWriter(64).putInt(Integer.MAX_VALUE).putLong(FRESH).putLong(T0).putLong(3))));
        assertThrows(StateException.class, () -> read(new NewAccountLargeRule(),
            bytes(new StateWriter(64).putInt(2).putLong(FRESH).putLong(T0).putLong(3)
                .putLong(FRESH).putLong(T0).putLong(4))), "an account twice");
        assertThrows(StateException.class, () -> read(new NewAccountLargeRule(),
            bytes(new StateWriter(64).putInt(1).putLong(FRESH).putLong(Long.MIN_VALUE).putLong(3))), "no time");
        assertThrows(StateException.class, () -> read(new NewAccountLargeRule(),
            bytes(new StateWriter(64).putInt(1).putLong(FRESH).putLong(T0).putLong(Long.MIN_VALUE))), "no offset");
    }

    /**
     * The OPEN lives in the worker's account store: an account the store evicts was never seen opened, so a large
     * payment to it is not to a new account. Cap of two: opening 1 and 2 evicts the fresh account.
     */
    @Test
    void forgetsTheOpenOfAnAccountTheStoreEvicts()
    {
        for (final boolean evict : new boolean[]{ false, true })
        {
            final NewAccountLargeRule large = new NewAccountLargeRule();
            final CappedWorker w = new CappedWorker(2, large);
            final TxEvent e = new TxEvent(1, 8);
            w.evaluate(accountUpdate(e, 1, T0, FRESH, AccountAction.OPEN.value()));
            if (evict)
            {
                w.evaluate(accountUpdate(e, 2, T0, 1, AccountAction.OPEN.value()));
                w.evaluate(accountUpdate(e, 3, T0, 2, AccountAction.OPEN.value()));
                assertEquals(2, large.trackedAccounts(), "only 1 and 2 are remembered");
            }
            w.evaluate(payment(e, 4, T0 + DAY, PAYER, FRESH, THRESHOLD));
            assertEquals(evict ? 0 : 1, alertCount(e), evict ? "evicted: never seen opened" : "remembered: new");
        }
    }
}
