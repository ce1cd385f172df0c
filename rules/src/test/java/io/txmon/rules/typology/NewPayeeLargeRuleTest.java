package io.txmon.rules.typology;

import io.txmon.events.codec.Severity;
import io.txmon.rules.AlertRecord;
import io.txmon.rules.Rule;
import io.txmon.rules.RuleWorker;
import io.txmon.rules.TxEvent;
import io.txmon.rules.state.StateException;
import io.txmon.rules.state.StateWriter;
import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.function.LongSupplier;

import static io.txmon.rules.typology.AmlNetworkTestSupport.*;
import static io.txmon.rules.typology.RuleStateSupport.*;
import static org.junit.jupiter.api.Assertions.*;

class NewPayeeLargeRuleTest
{
    private static final long PAYER = 400_001L;
    private static final long PAYEE = 77L;
    private static final long LOOKBACK = 90 * DAY;
    private static final long THRESHOLD = 500_000L;

    private final NewPayeeLargeRule rule = new NewPayeeLargeRule();
    private final RuleWorker worker = worker(0, 1, rule);
    private final TxEvent event = new TxEvent(1, 8);
    private long offset = 30;

    private TxEvent pay(final long time, final long debtor, final long creditor, final long amount)
    {
        payment(event, offset++, time, debtor, creditor, amount);
        worker.evaluate(event);
        return event;
    }

    @Test
    void defaultsAreDocumented()
    {
        final NewPayeeLargeRule.Parameters p = NewPayeeLargeRule.Parameters.DEFAULTS;
        assertEquals(LOOKBACK, p.lookbackNanos());
        assertEquals(THRESHOLD, p.threshold());
        assertEquals(256, p.maxPayees());
        assertEquals(13, rule.id());
        assertEquals("new-payee-large", rule.name());
    }

    @Test
    void firstLargePaymentToAPayeeAlertsAtTheThreshold()
    {
        final AlertRecord alert = onlyAlert(pay(T0, PAYER, PAYEE, THRESHOLD));
        assertEquals(PAYER, alert.account());
        assertEquals(NewPayeeLargeRule.ID, alert.ruleId());
        assertEquals(Severity.MEDIUM, alert.severity());
        assertEquals(500, alert.score());
        assertArrayEquals(new long[]{ 30 }, evidence(alert));
        final String reason = alert.reason().toString();
        assertTrue(reason.contains("account 400001 paid 5000.00 EUR"), reason);
        assertTrue(reason.contains("to account 77"), reason);
        assertTrue(reason.contains("not paid in the last 90 days"), reason);
        assertTrue(reason.contains("at or above 5000.00 EUR"), reason);
    }

    @Test
    void silentJustBelowTheThresholdAndForAKnownPayee()
    {
        assertEquals(0, alertCount(pay(T0, PAYER, PAYEE, THRESHOLD - 1)), "new payee, small amount");
        assertEquals(0, alertCount(pay(T0 + DAY, PAYER, PAYEE, THRESHOLD * 10)), "payee now known");
        assertEquals(1, alertCount(pay(T0 + DAY, PAYER, PAYEE + 1, THRESHOLD)), "another payee is new");
    }

    @Test
    void aPayeeLastPaidExactlyTheLookbackAgoIsNewAgain()
    {
        pay(T0, PAYER, PAYEE, 10);
        assertEquals(0, alertCount(pay(T0 + LOOKBACK - 1, PAYER, PAYEE, THRESHOLD)), "known, and refreshed");
        assertEquals(0, alertCount(pay(T0 + 2 * LOOKBACK - 2, PAYER, PAYEE, THRESHOLD)), "known from the refresh");
        assertEquals(1, alertCount(pay(T0 + 3 * LOOKBACK - 2, PAYER, PAYEE, THRESHOLD)), "exactly the lookback later");
    }

    @Test
    void payeesAreKeptPerDebtor()
    {
        pay(T0, PAYER, PAYEE, 10);
        assertEquals(1, alertCount(pay(T0 + 1, PAYER + 1, PAYEE, THRESHOLD)), "another debtor never paid it");
        assertEquals(0, alertCount(pay(T0 + 2, PAYER, PAYEE, THRESHOLD)));
        assertEquals(2, rule.trackedAccounts());
    }

    @Test
    void fullSetEvictsThePayeePaidLongestAgoAndCountsIt()
    {
        final NewPayeeLargeRule small = new NewPayeeLargeRule(new NewPayeeLargeRule.Parameters(LOOKBACK, 100, 3, Severity.LOW));
        final RuleWorker w = worker(0, 1, small);
        final TxEvent e = new TxEvent(1, 8);
        w.evaluate(payment(e, 0, T0 + 5, PAYER, 1, 1));
        w.evaluate(payment(e, 1, T0 + 2, PAYER, 2, 1));
        w.evaluate(payment(e, 2, T0 + 3, PAYER, 3, 1));
        w.evaluate(payment(e, 3, T0 + 6, PAYER, 4, 1));
        assertEquals(1, small.droppedEntries(), "payee 2 (paid at T0 + 2) evicted");
        w.evaluate(payment(e, 4, T0 + 7, PAYER, 1, 100));
        assertEquals(0, alertCount(e));
        w.evaluate(payment(e, 5, T0 + 8, PAYER, 2, 100));
        assertEquals(1, alertCount(e), "payee 2 forgotten, looks new");

        // evicting a payee already outside the lookback is not a loss
        w.evaluate(payment(e, 6, T0 + LOOKBACK + 100, PAYER, 9, 1));
        assertEquals(2, small.droppedEntries(), "payee 3 was still known when payee 2 came back; 9 evicts 4 (expired)");
    }

    @Test
    void ofPayeesPaidEquallyLongAgoTheLowestAccountIsEvictedWhateverItsSlot()
    {
        final NewPayeeLargeRule small =
            new NewPayeeLargeRule(new NewPayeeLargeRule.Parameters(LOOKBACK, 100, 2, Severity.LOW));
        final RuleWorker w = worker(0, 1, small);
        final TxEvent e = new TxEvent(1, 8);
        w.evaluate(payment(e, 0, T0, PAYER, 9, 1));
        w.evaluate(payment(e, 1, T0, PAYER, 3, 1));
        w.evaluate(payment(e, 2, T0 + 1, PAYER, 5, 1));
        assertEquals(1, small.droppedEntries());
        w.evaluate(payment(e, 3, T0 + 2, PAYER, 9, 100));
        assertEquals(0, alertCount(e), "payee 9 kept although it holds the first slot");
        w.evaluate(payment(e, 4, T0 + 3, PAYER, 3, 100));
        assertEquals(1, alertCount(e), "payee 3, the lower id, was evicted");
        assertEquals(90 * DAY, small.horizonNanos());
    }

    @Test
    void growsBeyondTheInitialCapacityUpToTheMaximum()
    {
        for (int p = 0; p < 256; p++)
        {
            assertEquals(1, alertCount(pay(T0 + p, PAYER, 1_000 + p, THRESHOLD)));
        }
        for (int p = 0; p < 256; p++)
        {
            assertEquals(0, alertCount(pay(T0 + 1000 + p, PAYER, 1_000 + p, THRESHOLD)), "payee " + p);
        }
        assertEquals(0, rule.droppedEntries());
        assertEquals(1, alertCount(pay(T0 + 2000, PAYER, 5_000, THRESHOLD)));
        assertEquals(1, rule.droppedEntries());
    }

    @Test
    void selfPaymentsAreIgnored()
    {
        assertEquals(0, alertCount(pay(T0, PAYER, PAYER, THRESHOLD)));
    }

    @Test
    void onlyTheWorkerOwningTheDebtorRaises()
    {
        final long payer = ownedBy(1, 2, PAYER);
        final long payee = ownedBy(0, 2, PAYEE);
        final NewPayeeLargeRule rule0 = new NewPayeeLargeRule();
        final NewPayeeLargeRule rule1 = new NewPayeeLargeRule();
        final RuleWorker w0 = worker(0, 2, rule0);
        final RuleWorker w1 = worker(1, 2, rule1);
        final TxEvent e = new TxEvent(2, 8);
        payment(e, 0, T0, payer, payee, THRESHOLD);
        w0.evaluate(e);
        w1.evaluate(e);
        assertEquals(0, e.alerts(0).count());
        assertEquals(1, e.alerts(1).count());
        assertEquals(payer, e.alerts(1).get(0).account());
        assertEquals(0, rule0.trackedAccounts());
    }

    @Test
    void rejectsInvalidParametersNamingThem()
    {
        FanInRuleTest.assertMessage("lookbackNanos", () -> new NewPayeeLargeRule.Parameters(0, 1, 1, Severity.LOW));
        FanInRuleTest.assertMessage("threshold", () -> new NewPayeeLargeRule.Parameters(DAY, 0, 1, Severity.LOW));
        FanInRuleTest.assertMessage("maxPayees", () -> new NewPayeeLargeRule.Parameters(DAY, 1, 0, Severity.LOW));
        FanInRuleTest.assertMessage("severity", () -> new NewPayeeLargeRule.Parameters(DAY, 1, 1, null));
    }

    @Test
    void sameEventsRaiseTheSameAlerts()
    {
        final int alerts = assertDeterministic(
            () -> new NewPayeeLargeRule(new NewPayeeLargeRule.Parameters(LOOKBACK, THRESHOLD, 16, Severity.MEDIUM)),
            (e, k) ->
            {
                payment(e, k, T0 + k * HOUR, 1 + mix(k * 8) % 50, 1 + mix(k * 8 + 1) % 400, mix(k * 8 + 2) % 1_000_000);
            },
            20_000);
        assertTrue(alerts > 10, "alerts raised: " + alerts);
    }

    @Test
    void steadyStateAllocatesNothing()
    {
        final long[] state = { T0, 0, 0 };
        // 200 debtors, each cycling through 300 payees: more than the 256 kept, so the set is full and evicts
        assertSteadyStateAllocationFree(
            (n) ->
            {
                for (int i = 0; i < n; i++)
                {
                    final long k = state[1]++;
                    state[0] += SECOND;
                    payment(event, k, state[0], PAYER + k % 200, PAYEE + (k / 200) % 300, THRESHOLD);
                    worker.evaluate(event);
                    state[2] += event.alerts(0).count();
                }
            },
            100_000);
        assertTrue(state[2] > 1000, "alerts raised: " + state[2]);
    }

    @Test
    void stateWrittenNearTheLookbackDecidesAsTheOriginal()
    {
        final NewPayeeLargeRule.Parameters parameters =
            new NewPayeeLargeRule.Parameters(LOOKBACK, THRESHOLD, 2, Severity.LOW);
        final NewPayeeLargeRule original = new NewPayeeLargeRule(parameters);
        final RuleWorker w = worker(0, 1, original);
        final TxEvent e = new TxEvent(1, 8);
        w.evaluate(payment(e, 0, T0, PAYER, PAYEE, 10));
        w.evaluate(payment(e, 1, T0 + 1, PAYER, PAYEE + 1, 10));

        final NewPayeeLargeRule restored = read(new NewPayeeLargeRule(parameters), stateOf(original));
        assertEquals(Rule.PAYMENT, restored.templates());
        assertEquals(1, restored.trackedAccounts());
        final RuleWorker r = worker(0, 1, restored);

        assertEquals("", sameOnBoth(w, r, (x) -> payment(x, 2, T0 + LOOKBACK - 1, PAYER, PAYEE, THRESHOLD)),
            "known a nanosecond before the lookback ends, and refreshed");
        assertEquals("500 400001 [3] account 400001 paid 5000.00 EUR (payment 5000003) to account 78, not paid in the" +
            " last 90 days; at or above 5000.00 EUR\n",
            sameOnBoth(w, r, (x) -> payment(x, 3, T0 + 1 + LOOKBACK, PAYER, PAYEE + 1, THRESHOLD)),
            "paid exactly the lookback before");
        // the set is full: a third payee evicts the one paid longest ago, PAYEE (T0 + LOOKBACK - 1)
        assertTrue(sameOnBoth(w, r, (x) -> payment(x, 4, T0 + LOOKBACK + 2, PAYER, PAYEE + 2, THRESHOLD))
            .startsWith("500 400001 [4] "));
        assertTrue(sameOnBoth(w, r, (x) -> payment(x, 5, T0 + LOOKBACK + 3, PAYER, PAYEE, THRESHOLD))
            .startsWith("500 400001 [5] "), "evicted, so new again");
        assertEquals("", sameOnBoth(w, r, (x) -> payment(x, 6, T0 + LOOKBACK + 4, PAYER, PAYEE, THRESHOLD)));
    }

    @Test
    void hostileStateIsRefusedWithAStateException()
    {
        pay(T0, PAYER, PAYEE, 10);
        pay(T0, PAYER, PAYEE + 1, 10);
        pay(T0, PAYER + 1, PAYEE, 10);
        assertEveryTruncationRefused(NewPayeeLargeRule::new, stateOf(rule));

        final StateException tooMany = assertThrows(StateException.class, () -> read(new NewPayeeLargeRule(),
            bytes(new StateWriter(64).putInt(1).putLong(PAYER).putInt(257))));
        assertTrue(tooMany.getMessage().contains("payees of a debtor 257"), tooMany.getMessage());
        assertThrows(StateException.class, () -> read(new NewPayeeLargeRule(),
            bytes(new StateWriter(64).putInt(1).putLong(PAYER).putInt(0))), "an empty set is never written");
        assertThrows(StateException.class, () -> read(new NewPayeeLargeRule(),
            bytes(new StateWriter(64).putInt(Integer.MAX_VALUE).putLong(PAYER).putInt(1))));
        assertThrows(StateException.class, () -> read(new NewPayeeLargeRule(),
            bytes(new StateWriter(64).putInt(1).putLong(PAYER).putInt(256).putLong(PAYEE))), "payees past the end");
        assertThrows(StateException.class, () -> read(new NewPayeeLargeRule(),
            bytes(new StateWriter(64).putInt(1).putLong(PAYER).putInt(2).putLong(PAYEE).putLong(PAYEE)
                .putLong(T0).putLong(T0))), "a payee twice");
        assertThrows(StateException.class, () -> read(new NewPayeeLargeRule(),
            bytes(new StateWriter(64).putInt(1).putLong(PAYER).putInt(1).putLong(PAYER).putLong(T0))),
            "a debtor its own payee");
        assertThrows(StateException.class, () -> read(new NewPayeeLargeRule(),
            bytes(new StateWriter(64).putInt(2).putLong(PAYER).putInt(1).putLong(PAYEE).putLong(T0)
                .putLong(PAYER).putInt(1).putLong(PAYEE).putLong(T0))), "a debtor twice");
    }

    @Test
    void forgetsADebtorTheAccountStoreEvicts()
    {
        // forgetting makes this rule louder, not quieter: an evicted debtor's payees are all new again
        assertEquals(0, largePaymentAlerts(3), "the debtor is kept: its payee is known");
        assertEquals(1, largePaymentAlerts(2), "the debtor was evicted: its payee looks new");
    }

    /**
     * PAYER pays PAYEE a small amount, two other debtors pay, then PAYER pays PAYEE a large amount.
     *
     * @return alerts the large payment raised.
     */
    private static int largePaymentAlerts(final int maxAccounts)
    {
        final NewPayeeLargeRule rule = new NewPayeeLargeRule();
        final RuleWorker worker = CappedWorker.of(rule, maxAccounts);
        final TxEvent event = new TxEvent(1, 8);
        worker.evaluate(payment(event, 0, T0, PAYER, PAYEE, 10));
        worker.evaluate(payment(event, 1, T0 + SECOND, PAYER + 1, PAYEE, 10));
        worker.evaluate(payment(event, 2, T0 + 2 * SECOND, PAYER + 2, PAYEE, 10));
        assertEquals(maxAccounts == 2 ? 2 : 3, rule.trackedAccounts(), "debtors held");
        worker.evaluate(payment(event, 3, T0 + 3 * SECOND, PAYER, PAYEE, THRESHOLD));
        return alertCount(event);
    }

    /** A debtor's payees recycled from an evicted account decide and write as a new set, whatever it held. */
    @Test
    void recycledPayeesAreANewSet()
    {
        RecycledStateCheck.assertRecycledObjectsAreNew(
            () -> new NewPayeeLargeRule(new NewPayeeLargeRule.Parameters(DAY, 1_000, 4, Severity.MEDIUM)),
            NewPayeeLargeRuleTest::randomPayment,
            NewPayeeLargeRuleTest::randomPayment,
            6 * HOUR,
            (rule) -> new long[]{ rule.droppedEntries() });
    }

    private static void randomPayment(final TxEvent e, final Random random, final LongSupplier account)
    {
        e.debtorAccount = account.getAsLong();
        e.creditorAccount = 100 + random.nextInt(8);
        e.amount = 1 + random.nextInt(2_000);
        e.currency = EUR;
    }
}
