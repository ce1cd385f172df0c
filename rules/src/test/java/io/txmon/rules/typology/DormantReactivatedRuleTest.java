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

class DormantReactivatedRuleTest
{
    private static final long SLEEPER = 600_001L;
    private static final long OTHER = 42L;
    private static final long DORMANCY = 180 * DAY;
    private static final long MIN = 100_000L;

    private final DormantReactivatedRule rule = new DormantReactivatedRule();
    private final RuleWorker worker = worker(0, 1, rule);
    private final TxEvent event = new TxEvent(1, 8);
    private long offset = 10;

    private TxEvent pay(final long time, final long debtor, final long creditor, final long amount)
    {
        payment(event, offset++, time, debtor, creditor, amount);
        worker.evaluate(event);
        return event;
    }

    @Test
    void defaultsAreDocumented()
    {
        final DormantReactivatedRule.Parameters p = DormantReactivatedRule.Parameters.DEFAULTS;
        assertEquals(DORMANCY, p.dormancyNanos());
        assertEquals(MIN, p.minAmount());
        assertEquals(11, rule.id());
        assertEquals("dormant-reactivated", rule.name());
    }

    @Test
    void paymentFromAnAccountIdleForExactlyTheDormancyAlerts()
    {
        pay(T0, SLEEPER, OTHER, 5_000);
        final AlertRecord alert = onlyAlert(pay(T0 + DORMANCY, SLEEPER, OTHER, MIN));
        assertEquals(SLEEPER, alert.account());
        assertEquals(DormantReactivatedRule.ID, alert.ruleId());
        assertEquals(Severity.MEDIUM, alert.severity());
        assertEquals(500, alert.score());
        assertArrayEquals(new long[]{ 10, 11 }, evidence(alert), "last activity, then the payment");
        final String reason = alert.reason().toString();
        assertTrue(reason.contains("account 600001 paid 1000.00 EUR"), reason);
        assertTrue(reason.contains("to account 42"), reason);
        assertTrue(reason.contains("after 180 days without activity"), reason);
        assertTrue(reason.contains("minimum 1000.00 EUR"), reason);
    }

    @Test
    void silentOneNanosecondBeforeTheDormancyOrOneMinorUnitBelowTheMinimum()
    {
        pay(T0, SLEEPER, OTHER, 5_000);
        assertEquals(0, alertCount(pay(T0 + DORMANCY - 1, SLEEPER, OTHER, MIN * 10)));

        pay(T0 + DORMANCY * 3, SLEEPER + 1, OTHER, 1);
        pay(T0 + DORMANCY * 4, SLEEPER + 1, OTHER, MIN - 1);
        assertEquals(0, alertCount(event), "below the minimum");
    }

    @Test
    void anAccountNeverSeenIsNotDormant()
    {
        assertEquals(0, alertCount(pay(T0, SLEEPER, OTHER, MIN * 100)));
    }

    @Test
    void receivingMoneyIsActivity()
    {
        pay(T0, SLEEPER, OTHER, 5_000);
        pay(T0 + 100 * DAY, OTHER, SLEEPER, 5_000);
        assertEquals(0, alertCount(pay(T0 + DORMANCY + DAY, SLEEPER, OTHER, MIN)), "credited 81 days ago");
        final long t = T0 + DORMANCY + DAY + DORMANCY;
        final AlertRecord alert = onlyAlert(pay(t, SLEEPER, OTHER, MIN));
        assertEquals(SLEEPER, alert.account());
    }

    @Test
    void anOpenedButUnusedAccountIsDormantAndAnUpdateIsNotActivity()
    {
        worker.evaluate(accountUpdate(event, 3, T0, SLEEPER, AccountAction.OPEN.value()));
        worker.evaluate(accountUpdate(event, 4, T0 + 100 * DAY, SLEEPER, AccountAction.UPDATE.value()));
        final AlertRecord alert = onlyAlert(pay(T0 + 2 * DORMANCY, SLEEPER, OTHER, MIN));
        assertArrayEquals(new long[]{ 3, 10 }, evidence(alert));
        assertEquals(1000, alert.score(), "twice the dormancy");
    }

    @Test
    void lateEventsNeitherAlertNorMoveTheLastActivityBack()
    {
        pay(T0 + DORMANCY, SLEEPER, OTHER, 5_000);
        assertEquals(0, alertCount(pay(T0, SLEEPER, OTHER, MIN)), "late");
        assertEquals(2, rule.lateEvents(), "late for the debtor and for the creditor");
        assertEquals(1, alertCount(pay(T0 + 2 * DORMANCY, SLEEPER, OTHER, MIN)));
        assertArrayEquals(new long[]{ 10, 12 }, evidence(onlyAlert(event)));
    }

    @Test
    void onlyTheWorkerOwningTheDebtorRaisesAndEachTracksItsOwnAccounts()
    {
        final long sleeper = ownedBy(1, 2, SLEEPER);
        final long other = ownedBy(0, 2, OTHER);
        final DormantReactivatedRule rule0 = new DormantReactivatedRule();
        final DormantReactivatedRule rule1 = new DormantReactivatedRule();
        final RuleWorker w0 = worker(0, 2, rule0);
        final RuleWorker w1 = worker(1, 2, rule1);
        final TxEvent e = new TxEvent(2, 8);
        payment(e, 0, T0, sleeper, other, 1);
        w0.evaluate(e);
        w1.evaluate(e);
        assertEquals(1, rule0.trackedAccounts());
        assertEquals(1, rule1.trackedAccounts());
        payment(e, 1, T0 + DORMANCY, sleeper, other, MIN);
        w0.evaluate(e);
        w1.evaluate(e);
        assertEquals(0, e.alerts(0).count());
        assertEquals(1, e.alerts(1).count());
        assertEquals(sleeper, e.alerts(1).get(0).account());
    }

    @Test
    void rejectsInvalidParametersNamingThem()
    {
        FanInRuleTest.assertMessage("dormancyNanos", () -> new DormantReactivatedRule.Parameters(0, 1, Severity.LOW));
        FanInRuleTest.assertMessage("minAmount", () -> new DormantReactivatedRule.Parameters(DAY, 0, Severity.LOW));
        FanInRuleTest.assertMessage("severity", () -> new DormantReactivatedRule.Parameters(DAY, 1, null));
    }

    @Test
    void sameEventsRaiseTheSameAlerts()
    {
        final int alerts = assertDeterministic(
            () -> new DormantReactivatedRule(),
            (e, k) ->
            {
                payment(e, k, T0 + k * DAY, 1 + mix(k * 8) % 300, 1 + mix(k * 8 + 1) % 300, mix(k * 8 + 2) % 200_000);
            },
            20_000);
        assertTrue(alerts > 10, "alerts raised: " + alerts);
    }

    @Test
    void steadyStateAllocatesNothing()
    {
        final long[] state = { T0, 0, 0 };
        // 1,000 accounts, each paying once every 1,000 events; the time step makes every tenth round dormant
        assertSteadyStateAllocationFree(
            (n) ->
            {
                for (int i = 0; i < n; i++)
                {
                    final long k = state[1]++;
                    state[0] += (k / 1000) % 10 == 0 && k % 1000 == 0 ? DORMANCY : SECOND;
                    payment(event, k, state[0], SLEEPER + k % 1000, OTHER + k % 13, MIN);
                    worker.evaluate(event);
                    state[2] += event.alerts(0).count();
                }
            },
            100_000);
        assertTrue(state[2] > 1000, "alerts raised: " + state[2]);
    }

    @Test
    void stateWrittenADormancyBeforeDecidesAsTheOriginal()
    {
        worker.evaluate(accountUpdate(event, 3, T0, SLEEPER, AccountAction.OPEN.value()));
        pay(T0, SLEEPER + 1, OTHER, 5_000);
        final DormantReactivatedRule restored = read(new DormantReactivatedRule(), stateOf(rule));
        assertEquals(Rule.PAYMENT | Rule.ACCOUNT_UPDATE, restored.templates());
        assertEquals(rule.trackedAccounts(), restored.trackedAccounts());
        final RuleWorker r = worker(0, 1, restored);

        assertEquals("", sameOnBoth(worker, r, (x) -> payment(x, 20, T0 + DORMANCY - 1, SLEEPER + 1, 7, MIN)),
            "a nanosecond short of the dormancy");
        assertEquals("500 600001 [3,21] account 600001 paid 1000.00 EUR (payment 5000021) to account 7 after 180 days" +
            " without activity (dormancy 180 days, minimum 1000.00 EUR)\n",
            sameOnBoth(worker, r, (x) -> payment(x, 21, T0 + DORMANCY, SLEEPER, 7, MIN)), "opened, then dormant");
        assertTrue(sameOnBoth(worker, r, (x) -> payment(x, 22, T0 + 2 * DORMANCY, 7, 8, MIN))
            .startsWith("500 7 [21,22] "),
            "account 7 was last active as the creditor of the payment before");
        assertEquals("", sameOnBoth(worker, r, (x) -> payment(x, 23, T0 + 3 * DORMANCY, 9, 10, MIN)), "never seen");
    }

    @Test
    void hostileStateIsRefusedWithAStateException()
    {
        pay(T0, SLEEPER, OTHER, 5_000);
        assertEveryTruncationRefused(DormantReactivatedRule::new, stateOf(rule));

        assertThrows(StateException.class, () -> read(new DormantReactivatedRule(),
            bytes(new StateWriter(64).putInt(Integer.MAX_VALUE).putLong(SLEEPER).putLong(T0).putLong(3))));
        assertThrows(StateException.class, () -> read(new DormantReactivatedRule(),
            bytes(new StateWriter(64).putInt(-1))));
        assertThrows(StateException.class, () -> read(new DormantReactivatedRule(),
            bytes(new StateWriter(64).putInt(2).putLong(SLEEPER).putLong(T0).putLong(3)
                .putLong(SLEEPER).putLong(T0).putLong(4))), "an account twice");
        assertThrows(StateException.class, () -> read(new DormantReactivatedRule(),
            bytes(new StateWriter(64).putInt(1).putLong(SLEEPER).putLong(Long.MIN_VALUE).putLong(3))), "no time");
        assertThrows(StateException.class, () -> read(new DormantReactivatedRule(),
            bytes(new StateWriter(64).putInt(1).putLong(SLEEPER).putLong(T0).putLong(Long.MIN_VALUE))), "no offset");
    }

    /**
     * The last activity lives in the worker's account store: an account the store evicts is one never seen, so
     * its next payment is not a reactivation. Cap of two: the payment between 1 and 2 evicts the sleeper and its
     * creditor.
     */
    @Test
    void forgetsTheLastActivityOfAnAccountTheStoreEvicts()
    {
        for (final boolean evict : new boolean[]{ false, true })
        {
            final DormantReactivatedRule dormant = new DormantReactivatedRule();
            final CappedWorker w = new CappedWorker(2, dormant);
            final TxEvent e = new TxEvent(1, 8);
            w.evaluate(payment(e, 1, T0, SLEEPER, OTHER, 5_000));
            if (evict)
            {
                w.evaluate(payment(e, 2, T0 + DAY, 1, 2, 5_000));
                assertEquals(2, dormant.trackedAccounts(), "only 1 and 2 are remembered");
            }
            w.evaluate(payment(e, 3, T0 + DORMANCY + 2 * DAY, SLEEPER, OTHER, MIN));
            assertEquals(evict ? 0 : 1, alertCount(e), evict ? "evicted: never seen" : "remembered: dormant");
        }
    }
}
