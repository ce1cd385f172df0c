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

class PassThroughRuleTest
{
    private static final long SOURCE = 100L;
    private static final long MULE = 500_001L;
    private static final long DEST = 300L;

    private final PassThroughRule rule = new PassThroughRule();
    private final RuleWorker worker = worker(0, 1, rule);
    private final TxEvent event = new TxEvent(1, 8);
    private long offset = 40;

    private TxEvent pay(final long time, final long debtor, final long creditor, final long amount)
    {
        payment(event, offset++, time, debtor, creditor, amount);
        worker.evaluate(event);
        return event;
    }

    @Test
    void defaultsAreDocumented()
    {
        final PassThroughRule.Parameters p = PassThroughRule.Parameters.DEFAULTS;
        assertEquals(HOUR, p.windowNanos());
        assertEquals(1000, p.toleranceBps());
        assertEquals(16, p.maxInboundTracked());
        assertEquals(10, rule.id());
        assertEquals("pass-through", rule.name());
    }

    @Test
    void inThenOutWithinTenPercentAndAnHourAlertsWithBothOffsets()
    {
        assertEquals(0, alertCount(pay(T0, SOURCE, MULE, 1_000_000)));
        final AlertRecord alert = onlyAlert(pay(T0 + 20 * MINUTE, MULE, DEST, 950_000));
        assertEquals(MULE, alert.account());
        assertEquals(PassThroughRule.ID, alert.ruleId());
        assertEquals(Severity.HIGH, alert.severity());
        assertArrayEquals(new long[]{ 40, 41 }, evidence(alert), "inbound offset, then outbound");
        assertEquals(41, alert.triggeringOffset());
        assertEquals(750, alert.score(), "half way to the tolerance");
        final String reason = alert.reason().toString();
        assertTrue(reason.contains("account 500001 received 10000.00 EUR"), reason);
        assertTrue(reason.contains("paid out 9500.00 EUR to account 300"), reason);
        assertTrue(reason.contains("1200 s later"), reason);
        assertTrue(reason.contains("10.00%"), reason);
    }

    @Test
    void exactlyAtTheToleranceAlertsAndJustOutsideIsSilent()
    {
        pay(T0, SOURCE, MULE, 1_000_000);
        assertEquals(0, alertCount(pay(T0 + 1, MULE, DEST, 899_999)));
        assertEquals(0, alertCount(pay(T0 + 2, MULE, DEST, 1_100_001)));
        assertEquals(500, onlyAlert(pay(T0 + 3, MULE, DEST, 1_100_000)).score(), "+10% exactly");

        pay(T0 + 4, SOURCE, MULE, 1_000_000);
        assertEquals(1, alertCount(pay(T0 + 5, MULE, DEST, 900_000)), "-10% exactly");
    }

    @Test
    void outExactlyOneWindowAfterInIsSilentAndOneNanosecondEarlierAlerts()
    {
        pay(T0, SOURCE, MULE, 1_000_000);
        assertEquals(0, alertCount(pay(T0 + HOUR, MULE, DEST, 1_000_000)));

        pay(T0 + 2 * HOUR, SOURCE, MULE, 1_000_000);
        final AlertRecord alert = onlyAlert(pay(T0 + 3 * HOUR - 1, MULE, DEST, 1_000_000));
        assertEquals(1000, alert.score(), "exact amount");
    }

    @Test
    void outBeforeInDoesNotMatch()
    {
        assertEquals(0, alertCount(pay(T0, MULE, DEST, 1_000_000)));
        assertEquals(0, alertCount(pay(T0 + 1, SOURCE, MULE, 1_000_000)));
        // a late outbound whose event time is before the inbound one
        assertEquals(0, alertCount(pay(T0, MULE, DEST, 1_000_000)));
    }

    @Test
    void keyedOnThePassThroughAccountAndComparedInTheReferenceCurrency()
    {
        pay(T0, SOURCE, MULE, 1_000_000);
        assertEquals(0, alertCount(pay(T0 + 1, 777, DEST, 1_000_000)), "another account paying out");
        payment(event, offset++, T0 + 2, MULE, DEST, 1_000_000);
        event.currency = 392;
        worker.evaluate(event);
        assertEquals(0, alertCount(event), "1,000,000 JPY is worth 6,100.00 EUR at the built-in rate, not 10,000.00");
        payment(event, offset++, T0 + 3, MULE, DEST, 1_086_957);
        event.currency = 840;
        worker.evaluate(event);
        assertEquals(1, alertCount(event), "10,869.57 USD is worth 10,000.00 EUR at the built-in rate of 0.92");
        final AlertRecord alert = event.alerts(0).get(0);
        assertEquals(1000, alert.score(), "the same value: an exact match");
        final String reason = alert.reason().toString();
        assertTrue(reason.contains("received 10000.00 EUR and paid out 10869.57 USD (10000.00 EUR)"), reason);
    }

    @Test
    void aMatchedInboundIsConsumedAndTheClosestAmountWins()
    {
        pay(T0, SOURCE, MULE, 1_000_000);
        pay(T0 + 1, SOURCE + 1, MULE, 2_000_000);
        final AlertRecord first = onlyAlert(pay(T0 + 2, MULE, DEST, 1_950_000));
        assertEquals(41, first.evidence(0), "the 2,000,000 inbound is closest");
        final AlertRecord second = onlyAlert(pay(T0 + 3, MULE, DEST, 1_950_000 / 2));
        assertEquals(40, second.evidence(0));
        assertEquals(0, alertCount(pay(T0 + 4, MULE, DEST, 1_000_000)), "every inbound consumed");
    }

    @Test
    void selfPaymentsAreIgnored()
    {
        pay(T0, SOURCE, MULE, 1_000_000);
        assertEquals(0, alertCount(pay(T0 + 1, MULE, MULE, 1_000_000)));
        assertEquals(1, alertCount(pay(T0 + 2, MULE, DEST, 1_000_000)), "the inbound is still there");
    }

    @Test
    void fullRingDropsTheOldestInboundAndCountsIt()
    {
        final PassThroughRule small = new PassThroughRule(new PassThroughRule.Parameters(HOUR, 0, 1, 2, Severity.LOW));
        final RuleWorker w = worker(0, 1, small);
        final TxEvent e = new TxEvent(1, 8);
        w.evaluate(payment(e, 0, T0, SOURCE, MULE, 111));
        w.evaluate(payment(e, 1, T0 + 1, SOURCE, MULE, 222));
        w.evaluate(payment(e, 2, T0 + 2, SOURCE, MULE, 333));
        assertEquals(1, small.droppedEntries());
        w.evaluate(payment(e, 3, T0 + 3, MULE, DEST, 111));
        assertEquals(0, alertCount(e), "111 was dropped");
        w.evaluate(payment(e, 4, T0 + 4, MULE, DEST, 222));
        assertArrayEquals(new long[]{ 1, 4 }, evidence(onlyAlert(e)));
    }

    @Test
    void onlyTheWorkerOwningThePassThroughAccountRaises()
    {
        final long mule = ownedBy(1, 2, MULE);
        final long source = ownedBy(0, 2, SOURCE);
        final long dest = ownedBy(0, 2, DEST);
        final PassThroughRule rule0 = new PassThroughRule();
        final PassThroughRule rule1 = new PassThroughRule();
        final RuleWorker w0 = worker(0, 2, rule0);
        final RuleWorker w1 = worker(1, 2, rule1);
        final TxEvent e = new TxEvent(2, 8);
        payment(e, 0, T0, source, mule, 1_000_000);
        w0.evaluate(e);
        w1.evaluate(e);
        payment(e, 1, T0 + MINUTE, mule, dest, 1_000_000);
        w0.evaluate(e);
        w1.evaluate(e);
        assertEquals(0, e.alerts(0).count());
        assertEquals(1, e.alerts(1).count());
        assertEquals(mule, e.alerts(1).get(0).account());
    }

    @Test
    void rejectsInvalidParametersNamingThem()
    {
        FanInRuleTest.assertMessage("windowNanos", () -> new PassThroughRule.Parameters(0, 1000, 1, 16, Severity.LOW));
        FanInRuleTest.assertMessage("toleranceBps", () -> new PassThroughRule.Parameters(HOUR, 10_001, 1, 16, Severity.LOW));
        FanInRuleTest.assertMessage("minAmount", () -> new PassThroughRule.Parameters(HOUR, 1000, 0, 16, Severity.LOW));
        FanInRuleTest.assertMessage("maxInboundTracked", () -> new PassThroughRule.Parameters(HOUR, 1000, 1, 0, Severity.LOW));
        FanInRuleTest.assertMessage("severity", () -> new PassThroughRule.Parameters(HOUR, 1000, 1, 16, null));
    }

    @Test
    void toleranceArithmeticDoesNotOverflow()
    {
        assertEquals(Long.MAX_VALUE / 10_000 * 10_000 + Long.MAX_VALUE % 10_000, PassThroughRule.allowed(Long.MAX_VALUE, 10_000));
        assertEquals(100_000, PassThroughRule.allowed(1_000_000, 1000));
        assertEquals(0, PassThroughRule.allowed(9, 1000));
        assertEquals(1, PassThroughRule.allowed(10, 1000));
    }

    @Test
    void sameEventsRaiseTheSameAlerts()
    {
        final int alerts = assertDeterministic(
            () -> new PassThroughRule(),
            (e, k) ->
            {
                payment(e, k, T0 + k * MINUTE, 1 + mix(k * 8) % 20, 1 + mix(k * 8 + 1) % 20, 1_000_000 + mix(k * 8 + 2) % 300_000);
            },
            20_000);
        assertTrue(alerts > 10, "alerts raised: " + alerts);
    }

    @Test
    void steadyStateAllocatesNothing()
    {
        final long[] state = { T0, 0, 0 };
        // 50 mules: money in, then out a minute later, with unmatched noise
        assertSteadyStateAllocationFree(
            (n) ->
            {
                for (int i = 0; i < n; i++)
                {
                    final long k = state[1]++;
                    state[0] += SECOND;
                    final long mule = MULE + (k / 2) % 50;
                    if ((k & 1) == 0)
                    {
                        payment(event, k, state[0], SOURCE, mule, 1_000_000 + k % 7);
                    }
                    else
                    {
                        payment(event, k, state[0], mule, DEST, k % 3 == 0 ? 10 : 990_000);
                    }
                    worker.evaluate(event);
                    state[2] += event.alerts(0).count();
                }
            },
            100_000);
        assertTrue(state[2] > 1000, "alerts raised: " + state[2]);
    }

    @Test
    void stateWrittenAtTheWindowEdgeDecidesAsTheOriginal()
    {
        final PassThroughRule.Parameters parameters = new PassThroughRule.Parameters(HOUR, 1000, 1, 2, Severity.HIGH);
        final PassThroughRule original = new PassThroughRule(parameters);
        final RuleWorker w = worker(0, 1, original);
        final TxEvent e = new TxEvent(1, 8);
        // two inbound payments at the same instant: the later slot wins the tie, so slot order must survive
        w.evaluate(payment(e, 0, T0, SOURCE, MULE, 1_000_000));
        w.evaluate(payment(e, 1, T0, SOURCE + 1, MULE, 1_000_000));
        w.evaluate(payment(e, 2, T0 + MINUTE, SOURCE, 400, 1_000_000));

        final PassThroughRule restored = read(new PassThroughRule(parameters), stateOf(original));
        assertEquals(Rule.PAYMENT, restored.templates());
        assertTrue(restored.snapshots());
        final RuleWorker r = worker(0, 1, restored);

        assertEquals("1000 500001 [1,3] account 500001 received 10000.00 EUR and paid out 10000.00 EUR to account 300" +
            " (payment 5000003) 3599 s later, within 10.00% of the inbound amount\n",
            sameOnBoth(w, r, (x) -> payment(x, 3, T0 + HOUR - 1, MULE, DEST, 1_000_000)), "a nanosecond inside");
        assertEquals("", sameOnBoth(w, r, (x) -> payment(x, 4, T0 + HOUR, MULE, DEST, 1_000_000)),
            "the other inbound payment is exactly a window old");
        // the ring of account 400 came through too: a third inbound payment fills it and its oldest goes
        sameOnBoth(w, r, (x) -> payment(x, 5, T0 + 2 * MINUTE, SOURCE, 400, 2_000_000));
        sameOnBoth(w, r, (x) -> payment(x, 6, T0 + 3 * MINUTE, SOURCE, 400, 3_000_000));
        assertEquals("", sameOnBoth(w, r, (x) -> payment(x, 7, T0 + 4 * MINUTE, 400, DEST, 1_000_000)), "dropped");
        assertTrue(sameOnBoth(w, r, (x) -> payment(x, 8, T0 + 5 * MINUTE, 400, DEST, 2_000_000))
            .startsWith("1000 400 [5,8] "));
    }

    @Test
    void hostileStateIsRefusedWithAStateException()
    {
        pay(T0, SOURCE, MULE, 1_000_000);
        pay(T0 + 1, SOURCE, MULE, 2_000_000);
        pay(T0 + 2, SOURCE, DEST, 3_000_000);
        assertEveryTruncationRefused(PassThroughRule::new, stateOf(rule));

        final StateException tooMany = assertThrows(StateException.class, () -> read(new PassThroughRule(),
            bytes(new StateWriter(64).putInt(1).putLong(MULE).putLong(T0).putInt(17))));
        assertTrue(tooMany.getMessage().contains("inbound payments of an account 17"), tooMany.getMessage());
        assertThrows(StateException.class, () -> read(new PassThroughRule(),
            bytes(new StateWriter(64).putInt(1).putLong(MULE).putLong(T0).putInt(-1))));
        assertThrows(StateException.class, () -> read(new PassThroughRule(),
            bytes(new StateWriter(64).putInt(Integer.MAX_VALUE).putLong(MULE).putLong(T0).putInt(0))));
        assertThrows(StateException.class, () -> read(new PassThroughRule(),
            bytes(new StateWriter(64).putInt(2).putLong(MULE).putLong(T0).putInt(0)
                .putLong(MULE).putLong(T0).putInt(0))),
            "an account twice");
        assertThrows(StateException.class, () -> read(new PassThroughRule(),
            bytes(new StateWriter(64).putInt(1).putLong(MULE).putLong(T0).putInt(1)
                .putLong(T0).putLong(0).putLong(7))), "an amount below minAmount");
        assertThrows(StateException.class, () -> read(new PassThroughRule(),
            bytes(new StateWriter(64).putInt(1).putLong(MULE).putLong(T0).putInt(16).putLong(T0))),
            "entries past the end");
    }

    @Test
    void forgetsAnAccountTheAccountStoreEvicts()
    {
        assertEquals(1, outboundAlerts(3), "the mule is kept: its inbound payment matches");
        assertEquals(0, outboundAlerts(2), "the mule was evicted: its inbound payment is forgotten");
    }

    /**
     * SOURCE pays MULE, another pair of accounts pays, then MULE pays the same amount on to DEST. Every payment
     * holds both its accounts (the debtor for the outbound leg, the creditor for the inbound one), so with room
     * for two the other pair evicts SOURCE and then MULE.
     *
     * @return alerts MULE's payment raised.
     */
    private static int outboundAlerts(final int maxAccounts)
    {
        final PassThroughRule rule = new PassThroughRule();
        final RuleWorker worker = CappedWorker.of(rule, maxAccounts);
        final TxEvent event = new TxEvent(1, 8);
        worker.evaluate(payment(event, 0, T0, SOURCE, MULE, 1_000_000));
        worker.evaluate(payment(event, 1, T0 + SECOND, SOURCE + 1, MULE + 1, 1_000_000));
        worker.evaluate(payment(event, 2, T0 + 2 * SECOND, MULE, DEST, 1_000_000));
        return alertCount(event);
    }

    /** An account's ring recycled from an evicted account decides and writes as a new one, whatever it held. */
    @Test
    void aRecycledRingIsANewOne()
    {
        RecycledStateCheck.assertRecycledObjectsAreNew(
            () -> new PassThroughRule(new PassThroughRule.Parameters(HOUR, 1000, 1, 4, Severity.HIGH)),
            PassThroughRuleTest::randomPayment,
            PassThroughRuleTest::randomPayment,
            20 * MINUTE,
            (rule) -> new long[]{ rule.lateEvents(), rule.droppedEntries() });
    }

    /** Into the first account drawn, out of another (both are looked up, both may be new). */
    private static void randomPayment(final TxEvent e, final Random random, final LongSupplier account)
    {
        e.creditorAccount = account.getAsLong();
        do
        {
            e.debtorAccount = account.getAsLong();
        }
        while (e.debtorAccount == e.creditorAccount);
        e.amount = 900 + random.nextInt(200);
        e.currency = random.nextInt(5) == 0 ? 840 : EUR;
    }
}
