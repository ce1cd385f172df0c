package io.txmon.rules.typology;

import io.txmon.events.codec.Severity;
import io.txmon.rules.AlertRecord;
import io.txmon.rules.Rule;
import io.txmon.rules.RuleWorker;
import io.txmon.rules.TxEvent;
import io.txmon.rules.typology.FanInRuleTest.Payer;
import io.txmon.rules.typology.FanInRuleTest.Twin;
import org.junit.jupiter.api.Test;

import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.Random;
import java.util.function.LongSupplier;

import static io.txmon.rules.typology.AmlNetworkTestSupport.*;
import static io.txmon.rules.typology.RuleStateSupport.*;
import static org.junit.jupiter.api.Assertions.*;

class FanOutRuleTest
{
    private static final long DEBTOR = 700_001L;

    /** The defaults without the baseline: what the tests of the window's own mechanics use. */
    private static final FanOutRule.Parameters NO_BASELINE = new FanOutRule.Parameters(
        10, 0, DAY, 64, FanOutRule.Parameters.DEFAULTS.severity(), FanOutRule.Parameters.DEFAULTS.score());
    private static final Supplier<Rule> NO_BASELINE_RULE = () -> new FanOutRule(NO_BASELINE);

    private final FanOutRule rule = new FanOutRule(NO_BASELINE);
    private final RuleWorker worker = worker(0, 1, rule);
    private final TxEvent event = new TxEvent(1, 8);
    private long offset;

    private TxEvent pay(final long time, final long debtor, final long creditor)
    {
        payment(event, offset++, time, debtor, creditor, 25_000);
        worker.evaluate(event);
        return event;
    }

    @Test
    void readsPaymentsOnlyAndSnapshots()
    {
        assertEquals(Rule.PAYMENT, rule.templates());
        assertTrue(rule.snapshots());
    }

    @Test
    void aSnapshotAtNineBeneficiariesAlertsOnTheSameTenthAtTheWindowEdge()
    {
        final Consumer<Payer> nine = p ->
        {
            p.pay(T0, DEBTOR, 101);
            for (int i = 2; i <= 9; i++)
            {
                p.pay(T0 + i * MINUTE, DEBTOR, 100 + i);
            }
        };
        assertEquals(1, new Twin(NO_BASELINE_RULE, nine).pay(T0 + DAY - 1, DEBTOR, 110), "101 still counts");
        final Twin edge = new Twin(NO_BASELINE_RULE, nine);
        assertEquals(0, edge.pay(T0 + DAY, DEBTOR, 110), "101 is one window old");
        assertEquals(1, edge.pay(T0 + DAY + 1, DEBTOR, 101), "101 paid again: ten in the window");
    }

    @Test
    void refusesStateItCannotHaveWritten()
    {
        final Supplier<Rule> factory = () -> new FanOutRule(new FanOutRule.Parameters(2, 0, HOUR, 2, Severity.LOW, 10));
        final Payer p = new Payer(factory.get());
        p.pay(T0, DEBTOR, 1);
        p.pay(T0 + 1, DEBTOR, 2);
        // count | DEBTOR newest period peaks current-peak size (1 t o) (2 t o)
        final byte[] bytes = stateOf(p.rule);
        assertEquals(4 + 40 + 2 * 24, bytes.length);
        assertEveryTruncationRefused(factory, bytes);
        assertRefused(factory.get(), withInt(bytes, 40, 3), "more beneficiaries than maxBeneficiariesTracked");
        assertRefused(factory.get(), withLong(bytes, 68, 1), "a beneficiary twice");
        assertRefused(factory.get(), withLong(bytes, 44, DEBTOR), "the debtor paying itself");
        final Rule restored = factory.get();
        read(restored, bytes);
        assertArrayEquals(bytes, stateOf(restored), "the bytes themselves are fine");
    }

    @Test
    void defaultsAreDocumented()
    {
        final FanOutRule.Parameters p = FanOutRule.Parameters.DEFAULTS;
        assertEquals(10, p.minBeneficiaries());
        assertEquals(DAY, p.windowNanos());
        assertEquals(64, p.maxBeneficiariesTracked());
        assertEquals(9, rule.id());
        assertEquals("fan-out", rule.name());
    }

    @Test
    void firesAtTheTenthDistinctBeneficiaryAndIsSilentAtNine()
    {
        for (int i = 1; i <= 9; i++)
        {
            assertEquals(0, alertCount(pay(T0 + i * MINUTE, DEBTOR, 100 + i)), "beneficiary " + i);
        }
        final AlertRecord alert = onlyAlert(pay(T0 + 10 * MINUTE, DEBTOR, 110));
        assertEquals(DEBTOR, alert.account());
        assertEquals(FanOutRule.ID, alert.ruleId());
        assertEquals(9, alert.evidence(0));
        assertArrayEquals(sorted(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), sorted(evidence(alert)));
        final String reason = alert.reason().toString();
        assertTrue(reason.contains("account 700001 paid 10 distinct beneficiaries"), reason);
        assertTrue(reason.contains("threshold 10"), reason);
        assertTrue(reason.contains("250.00 EUR"), reason);
        assertTrue(reason.contains("to account 110"), reason);
    }

    @Test
    void countsDistinctBeneficiariesNotPaymentsAndNotSenders()
    {
        for (int round = 0; round < 20; round++)
        {
            for (int c = 1; c <= 9; c++)
            {
                assertEquals(0, alertCount(pay(T0 + round * MINUTE + c, DEBTOR, 100 + c)));
            }
        }
        // ten distinct senders to one beneficiary is fan-in, not fan-out
        for (int d = 1; d <= 10; d++)
        {
            assertEquals(0, alertCount(pay(T0 + HOUR + d, 300 + d, 999)));
        }
        assertEquals(1, alertCount(pay(T0 + 2 * HOUR, DEBTOR, 110)));
    }

    @Test
    void aBeneficiaryExactlyOneWindowOldIsOutside()
    {
        pay(T0, DEBTOR, 101);
        for (int i = 2; i <= 9; i++)
        {
            pay(T0 + i * MINUTE, DEBTOR, 100 + i);
        }
        assertEquals(0, alertCount(pay(T0 + DAY, DEBTOR, 110)), "at exactly 24 h the first beneficiary is out");
        assertEquals(1, alertCount(pay(T0 + DAY + 1, DEBTOR, 101)), "101 paid again: ten in the window");
    }

    @Test
    void aBeneficiaryOneNanosecondInsideTheWindowCounts()
    {
        pay(T0, DEBTOR, 101);
        for (int i = 2; i <= 9; i++)
        {
            pay(T0 + i * MINUTE, DEBTOR, 100 + i);
        }
        assertEquals(1, alertCount(pay(T0 + DAY - 1, DEBTOR, 110)));
    }

    @Test
    void fullWindowDropsTheOldestBeneficiaryAndCountsIt()
    {
        final FanOutRule small = new FanOutRule(new FanOutRule.Parameters(2, 0, HOUR, 2, Severity.LOW, 10));
        final RuleWorker w = worker(0, 1, small);
        final TxEvent e = new TxEvent(1, 8);
        w.evaluate(payment(e, 0, T0, DEBTOR, 1, 1));
        w.evaluate(payment(e, 1, T0 + 1, DEBTOR, 2, 1));
        assertEquals(1, alertCount(e));
        w.evaluate(payment(e, 2, T0 + 2, DEBTOR, 3, 1));
        assertEquals(0, alertCount(e));
        assertEquals(1, small.droppedEntries());
    }

    @Test
    void onlyTheWorkerOwningTheDebtorRaises()
    {
        final long debtor = ownedBy(0, 2, DEBTOR);
        final FanOutRule rule0 = new FanOutRule(NO_BASELINE);
        final FanOutRule rule1 = new FanOutRule(NO_BASELINE);
        final RuleWorker w0 = worker(0, 2, rule0);
        final RuleWorker w1 = worker(1, 2, rule1);
        final TxEvent e = new TxEvent(2, 8);
        for (int i = 1; i <= 10; i++)
        {
            payment(e, i, T0 + i, debtor, 100 + i, 1);
            w0.evaluate(e);
            w1.evaluate(e);
        }
        assertEquals(1, e.alerts(0).count());
        assertEquals(0, e.alerts(1).count());
        assertEquals(debtor, e.alerts(0).get(0).account());
        assertEquals(0, rule1.trackedAccounts());
    }

    @Test
    void rejectsInvalidParametersNamingThem()
    {
        FanInRuleTest.assertMessage("minBeneficiaries",
            () -> new FanOutRule.Parameters(1, 0, DAY, 64, Severity.LOW, 1));
        FanInRuleTest.assertMessage("windowNanos", () -> new FanOutRule.Parameters(10, 0, -1, 64, Severity.LOW, 1));
        FanInRuleTest.assertMessage(
            "maxBeneficiariesTracked", () -> new FanOutRule.Parameters(10, 0, DAY, 5000, Severity.LOW, 1));
        FanInRuleTest.assertMessage("score", () -> new FanOutRule.Parameters(10, 0, DAY, 64, Severity.LOW, -1));
    }

    @Test
    void sameEventsRaiseTheSameAlerts()
    {
        final int alerts = assertDeterministic(
            () -> new FanOutRule(new FanOutRule.Parameters(10, 0, 6 * HOUR, 64, Severity.MEDIUM, 600)),
            (e, k) ->
            {
                payment(e, k, T0 + k * 10 * MINUTE, 1000 + mix(k * 8 + 7) % 3, 1 + mix(k * 8) % 40,
                    100 + mix(k * 8 + 3) % 1000);
            },
            20_000);
        assertTrue(alerts > 10, "alerts raised: " + alerts);
    }

    @Test
    void steadyStateAllocatesNothing()
    {
        // no baseline: these debtors cross 10 beneficiaries every cycle, which a baseline would learn as their usual
        final FanOutRule hourly = new FanOutRule(new FanOutRule.Parameters(10, 0, HOUR, 64, Severity.MEDIUM, 600));
        final RuleWorker w = worker(0, 1, hourly);
        final long[] state = { T0, 0, 0 };
        assertSteadyStateAllocationFree(
            (n) ->
            {
                for (int i = 0; i < n; i++)
                {
                    final long k = state[1]++;
                    final long round = (k / 5) % 24;
                    state[0] += MINUTE;
                    payment(event, k, state[0], DEBTOR + k % 5, round < 12 ? 1 + round : 1, 1_000);
                    w.evaluate(event);
                    state[2] += event.alerts(0).count();
                }
            },
            100_000);
        assertTrue(state[2] > 1000, "alerts raised: " + state[2]);
    }

    @Test
    void forgetsADebtorTheAccountStoreEvicts()
    {
        assertEquals(1, tenthBeneficiaryAlerts(3), "the debtor is kept: its tenth beneficiary alerts");
        assertEquals(0, tenthBeneficiaryAlerts(2), "the debtor was evicted: its nine beneficiaries are forgotten");
    }

    /**
     * DEBTOR pays nine beneficiaries, two other debtors pay, then DEBTOR pays a tenth beneficiary.
     *
     * @return alerts the tenth payment raised.
     */
    private static int tenthBeneficiaryAlerts(final int maxAccounts)
    {
        final FanOutRule rule = new FanOutRule(NO_BASELINE);
        final RuleWorker worker = CappedWorker.of(rule, maxAccounts);
        final TxEvent event = new TxEvent(1, 8);
        long offset = 0;
        for (int i = 1; i <= 9; i++)
        {
            worker.evaluate(payment(event, offset++, T0 + i * SECOND, DEBTOR, 100 + i, 25_000));
        }
        worker.evaluate(payment(event, offset++, T0 + 10 * SECOND, DEBTOR + 1, 201, 25_000));
        worker.evaluate(payment(event, offset++, T0 + 11 * SECOND, DEBTOR + 2, 202, 25_000));
        assertEquals(maxAccounts == 2 ? 2 : 3, rule.trackedAccounts(), "debtors held");
        worker.evaluate(payment(event, offset, T0 + 12 * SECOND, DEBTOR, 110, 25_000));
        return alertCount(event);
    }

    /** A debtor's window recycled from an evicted account decides and writes as a new one, whatever it held. */
    @Test
    void aRecycledWindowIsANewOne()
    {
        RecycledStateCheck.assertRecycledObjectsAreNew(
            () -> new FanOutRule(new FanOutRule.Parameters(3, 0, HOUR, 4, Severity.MEDIUM, 600)),
            FanOutRuleTest::randomPayment,
            FanOutRuleTest::randomPayment,
            20 * MINUTE,
            (rule) -> new long[]{ rule.lateEvents(), rule.droppedEntries() });
    }

    private static void randomPayment(final TxEvent e, final Random random, final LongSupplier account)
    {
        e.debtorAccount = account.getAsLong();
        e.creditorAccount = 100 + random.nextInt(8);
        e.amount = 1 + random.nextInt(10_000);
        e.currency = EUR;
    }
}
