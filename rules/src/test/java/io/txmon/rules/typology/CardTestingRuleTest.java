package io.txmon.rules.typology;

import io.txmon.events.codec.Channel;
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

class CardTestingRuleTest
{
    private static final long CARDHOLDER = 300_001L;
    private static final long MERCHANT = 9L;
    private static final long WINDOW = 10 * MINUTE;
    private static final long SMALL = 200L;
    private static final long LARGE = 50_000L;

    private final CardTestingRule rule = new CardTestingRule();
    private final RuleWorker worker = worker(0, 1, rule);
    private final TxEvent event = new TxEvent(1, 8);
    private long offset = 50;

    private TxEvent card(final long time, final long debtor, final long amount)
    {
        payment(event, offset++, time, debtor, MERCHANT, amount);
        event.channel = Channel.CARD.value();
        worker.evaluate(event);
        return event;
    }

    private TxEvent wire(final long time, final long debtor, final long amount)
    {
        payment(event, offset++, time, debtor, MERCHANT, amount);
        worker.evaluate(event);
        return event;
    }

    private void smalls(final long from, final int count)
    {
        for (int i = 0; i < count; i++)
        {
            assertEquals(0, alertCount(card(from + i * SECOND, CARDHOLDER, 1 + i % (int)SMALL)));
        }
    }

    @Test
    void defaultsAreDocumented()
    {
        final CardTestingRule.Parameters p = CardTestingRule.Parameters.DEFAULTS;
        assertEquals(5, p.minSmallPayments());
        assertEquals(SMALL, p.smallLimit());
        assertEquals(LARGE, p.largeAmount());
        assertEquals(WINDOW, p.windowNanos());
        assertEquals(14, rule.id());
        assertEquals("card-testing", rule.name());
    }

    @Test
    void fiveSmallCardPaymentsThenALargeOneAlerts()
    {
        smalls(T0, 5);
        final AlertRecord alert = onlyAlert(card(T0 + MINUTE, CARDHOLDER, LARGE));
        assertEquals(CARDHOLDER, alert.account());
        assertEquals(CardTestingRule.ID, alert.ruleId());
        assertEquals(Severity.HIGH, alert.severity());
        assertEquals(500, alert.score());
        assertArrayEquals(new long[]{ 50, 51, 52, 53, 54, 55 }, evidence(alert), "smalls then the large one");
        final String reason = alert.reason().toString();
        assertTrue(reason.contains("account 300001 made 5 card payments of at most 2.00 EUR"), reason);
        assertTrue(reason.contains("within 600 s"), reason);
        assertTrue(reason.contains("paid 500.00 EUR"), reason);
        assertTrue(reason.contains("to account 9"), reason);
    }

    @Test
    void fourSmallOnesOrAFollowUpJustBelowTheLargeAmountAreSilent()
    {
        smalls(T0, 4);
        assertEquals(0, alertCount(card(T0 + MINUTE, CARDHOLDER, LARGE)));

        final CardTestingRule other = new CardTestingRule();
        final RuleWorker w = worker(0, 1, other);
        final TxEvent e = new TxEvent(1, 8);
        for (int i = 0; i < 5; i++)
        {
            payment(e, i, T0 + i, CARDHOLDER, MERCHANT, SMALL);
            e.channel = Channel.CARD.value();
            w.evaluate(e);
        }
        w.evaluate(payment(e, 5, T0 + 10, CARDHOLDER, MERCHANT, LARGE - 1));
        assertEquals(0, alertCount(e));
        w.evaluate(payment(e, 6, T0 + 11, CARDHOLDER, MERCHANT, LARGE));
        assertEquals(1, alertCount(e), "the large payment may be on any channel");
    }

    @Test
    void onlySmallCardPaymentsCount()
    {
        for (int i = 0; i < 5; i++)
        {
            wire(T0 + i, CARDHOLDER, 50);
        }
        for (int i = 0; i < 5; i++)
        {
            card(T0 + 10 + i, CARDHOLDER, SMALL + 1);
        }
        assertEquals(0, alertCount(card(T0 + MINUTE, CARDHOLDER, LARGE)));
    }

    @Test
    void aSmallPaymentExactlyOneWindowBeforeDoesNotCountAndOneNanosecondLaterDoes()
    {
        card(T0, CARDHOLDER, 1);
        smalls(T0 + MINUTE, 4);
        assertEquals(0, alertCount(card(T0 + WINDOW, CARDHOLDER, LARGE)));

        final long t = T0 + DAY;
        card(t, CARDHOLDER, 1);
        smalls(t + MINUTE, 4);
        assertEquals(1, alertCount(card(t + WINDOW - 1, CARDHOLDER, LARGE)));
    }

    @Test
    void smallOnesAreConsumedByTheAlertAndKeyedPerDebtor()
    {
        smalls(T0, 7);
        final AlertRecord alert = onlyAlert(card(T0 + MINUTE, CARDHOLDER, LARGE));
        assertEquals(700, alert.score(), "two above the minimum");
        assertEquals(8, alert.evidenceCount());
        assertEquals(0, alertCount(card(T0 + MINUTE + 1, CARDHOLDER, LARGE)), "needs a fresh burst");
        for (int i = 0; i < 5; i++)
        {
            card(T0 + 2 * MINUTE + i, CARDHOLDER + 1 + i, 1);
        }
        assertEquals(0, alertCount(card(T0 + 3 * MINUTE, CARDHOLDER + 1, LARGE)), "five cardholders, one each");
    }

    @Test
    void aSmallPaymentAfterTheLargeOneDoesNotCount()
    {
        smalls(T0, 4);
        card(T0 + 2 * MINUTE, CARDHOLDER, 5);
        assertEquals(0, alertCount(card(T0 + MINUTE, CARDHOLDER, LARGE)), "late large payment, one small after it");
        assertEquals(1, alertCount(card(T0 + 3 * MINUTE, CARDHOLDER, LARGE)), "now all five precede it");
    }

    @Test
    void fullRingDropsTheOldestAndCountsIt()
    {
        final CardTestingRule tight = new CardTestingRule(
            new CardTestingRule.Parameters(2, SMALL, LARGE, WINDOW, 2, Severity.LOW));
        final RuleWorker w = worker(0, 1, tight);
        final TxEvent e = new TxEvent(1, 8);
        for (int i = 0; i < 3; i++)
        {
            payment(e, i, T0 + i, CARDHOLDER, MERCHANT, 1);
            e.channel = Channel.CARD.value();
            w.evaluate(e);
        }
        assertEquals(1, tight.droppedEntries());
        w.evaluate(payment(e, 3, T0 + 10, CARDHOLDER, MERCHANT, LARGE));
        assertArrayEquals(new long[]{ 1, 2, 3 }, sorted(evidence(onlyAlert(e))), "small payment 0 was dropped");
    }

    @Test
    void onlyTheWorkerOwningTheDebtorRaises()
    {
        final long cardholder = ownedBy(0, 2, CARDHOLDER);
        final CardTestingRule rule0 = new CardTestingRule();
        final CardTestingRule rule1 = new CardTestingRule();
        final RuleWorker w0 = worker(0, 2, rule0);
        final RuleWorker w1 = worker(1, 2, rule1);
        final TxEvent e = new TxEvent(2, 8);
        for (int i = 0; i <= 5; i++)
        {
            payment(e, i, T0 + i, cardholder, ownedBy(1, 2, MERCHANT), i < 5 ? 1 : LARGE);
            e.channel = Channel.CARD.value();
            w0.evaluate(e);
            w1.evaluate(e);
        }
        assertEquals(1, e.alerts(0).count());
        assertEquals(0, e.alerts(1).count());
        assertEquals(cardholder, e.alerts(0).get(0).account());
    }

    @Test
    void rejectsInvalidParametersNamingThem()
    {
        FanInRuleTest.assertMessage(
            "minSmallPayments", () -> new CardTestingRule.Parameters(0, SMALL, LARGE, WINDOW, 32, Severity.LOW));
        FanInRuleTest.assertMessage(
            "smallLimit", () -> new CardTestingRule.Parameters(5, 0, LARGE, WINDOW, 32, Severity.LOW));
        FanInRuleTest.assertMessage(
            "largeAmount", () -> new CardTestingRule.Parameters(5, SMALL, SMALL, WINDOW, 32, Severity.LOW));
        FanInRuleTest.assertMessage(
            "windowNanos", () -> new CardTestingRule.Parameters(5, SMALL, LARGE, 0, 32, Severity.LOW));
        FanInRuleTest.assertMessage(
            "maxSmallTracked", () -> new CardTestingRule.Parameters(5, SMALL, LARGE, WINDOW, 4, Severity.LOW));
        FanInRuleTest.assertMessage(
            "maxSmallTracked", () -> new CardTestingRule.Parameters(5, SMALL, LARGE, WINDOW, 64, Severity.LOW));
        FanInRuleTest.assertMessage(
            "severity", () -> new CardTestingRule.Parameters(5, SMALL, LARGE, WINDOW, 32, null));
    }

    @Test
    void sameEventsRaiseTheSameAlerts()
    {
        final int alerts = assertDeterministic(
            () -> new CardTestingRule(),
            (e, k) ->
            {
                final boolean small = mix(k * 8 + 5) % 5 != 0;
                payment(e, k, T0 + k * 10 * SECOND, 1 + mix(k * 8) % 5, MERCHANT, small ? mix(k * 8 + 2) % 250 : mix(k * 8 + 2) % 100_000);
                e.channel = (int)(mix(k * 8 + 3) % 3 == 0 ? Channel.WIRE.value() : Channel.CARD.value());
            },
            20_000);
        assertTrue(alerts > 10, "alerts raised: " + alerts);
    }

    @Test
    void steadyStateAllocatesNothing()
    {
        final long[] state = { T0, 0, 0 };
        // 100 cardholders: bursts of small card payments, each seventh payment of a cardholder a large one
        assertSteadyStateAllocationFree(
            (n) ->
            {
                for (int i = 0; i < n; i++)
                {
                    final long k = state[1]++;
                    state[0] += 50_000_000L;
                    final boolean large = (k / 100) % 7 == 6;
                    payment(event, k, state[0], CARDHOLDER + k % 100, MERCHANT, large ? LARGE : 1 + k % SMALL);
                    event.channel = Channel.CARD.value();
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
        card(T0, CARDHOLDER, 1);
        // late small payments: the ring holds them in arrival order, which is the order of the evidence
        for (final int second : new int[]{ 4, 3, 1, 2, 5 })
        {
            card(T0 + second * SECOND, CARDHOLDER, 1 + second);
        }
        final CardTestingRule restored = read(new CardTestingRule(), stateOf(rule));
        assertEquals(Rule.PAYMENT, restored.templates());
        final RuleWorker r = worker(0, 1, restored);

        assertEquals("500 300001 [51,52,53,54,55,56] account 300001 made 5 card payments of at most 2.00 EUR" +
            " within 600 s, then paid 500.00 EUR (payment 5000056) to account 9\n",
            sameOnBoth(worker, r, (x) -> payment(x, 56, T0 + WINDOW, CARDHOLDER, MERCHANT, LARGE)),
            "the first small payment is exactly a window old");
        assertEquals("", sameOnBoth(worker, r, (x) -> payment(x, 57, T0 + WINDOW, CARDHOLDER, MERCHANT, LARGE)),
            "the five were consumed");
        for (int i = 0; i < 5; i++)
        {
            final int k = i;
            sameOnBoth(worker, r, (x) ->
            {
                payment(x, 58 + k, T0 + WINDOW + k, CARDHOLDER, MERCHANT, SMALL);
                x.channel = Channel.CARD.value();
            });
        }
        assertTrue(sameOnBoth(worker, r, (x) -> payment(x, 63, T0 + WINDOW + 5, CARDHOLDER, MERCHANT, LARGE))
            .startsWith("500 300001 [58,59,60,61,62,63] "), "a fresh burst");
    }

    @Test
    void hostileStateIsRefusedWithAStateException()
    {
        smalls(T0, 3);
        card(T0, CARDHOLDER + 1, 1);
        assertEveryTruncationRefused(CardTestingRule::new, stateOf(rule));

        final StateException tooMany = assertThrows(StateException.class, () -> read(new CardTestingRule(),
            bytes(new StateWriter(64).putInt(1).putLong(CARDHOLDER).putLong(T0).putInt(33))));
        assertTrue(tooMany.getMessage().contains("small payments of a debtor 33"), tooMany.getMessage());
        assertThrows(StateException.class, () -> read(new CardTestingRule(),
            bytes(new StateWriter(64).putInt(Integer.MAX_VALUE).putLong(CARDHOLDER).putLong(T0).putInt(0))));
        assertThrows(StateException.class, () -> read(new CardTestingRule(),
            bytes(new StateWriter(64).putInt(1).putLong(CARDHOLDER).putLong(T0).putInt(32).putLong(T0))),
            "small payments past the end");
        assertThrows(StateException.class, () -> read(new CardTestingRule(),
            bytes(new StateWriter(64).putInt(2).putLong(CARDHOLDER).putLong(T0).putInt(0)
                .putLong(CARDHOLDER).putLong(T0).putInt(0))), "a debtor twice");
    }

    @Test
    void forgetsADebtorTheAccountStoreEvicts()
    {
        assertEquals(1, largePaymentAlerts(3), "the cardholder is kept: its five small payments count");
        assertEquals(0, largePaymentAlerts(2), "the cardholder was evicted: its small payments are forgotten");
    }

    /**
     * CARDHOLDER makes five small card payments, two other debtors make one each, then CARDHOLDER pays a large
     * amount.
     *
     * @return alerts the large payment raised.
     */
    private static int largePaymentAlerts(final int maxAccounts)
    {
        final CardTestingRule rule = new CardTestingRule();
        final RuleWorker worker = CappedWorker.of(rule, maxAccounts);
        final TxEvent event = new TxEvent(1, 8);
        long offset = 0;
        for (int i = 0; i < 5; i++)
        {
            cardPayment(worker, event, offset++, T0 + i * SECOND, CARDHOLDER, SMALL);
        }
        cardPayment(worker, event, offset++, T0 + 5 * SECOND, CARDHOLDER + 1, SMALL);
        cardPayment(worker, event, offset++, T0 + 6 * SECOND, CARDHOLDER + 2, SMALL);
        cardPayment(worker, event, offset, T0 + 7 * SECOND, CARDHOLDER, LARGE);
        return alertCount(event);
    }

    private static void cardPayment(
        final RuleWorker worker, final TxEvent event, final long offset, final long time, final long debtor,
        final long amount)
    {
        payment(event, offset, time, debtor, MERCHANT, amount);
        event.channel = Channel.CARD.value();
        worker.evaluate(event);
    }

    /** A debtor's ring recycled from an evicted account decides and writes as a new one, whatever it held. */
    @Test
    void aRecycledRingIsANewOne()
    {
        RecycledStateCheck.assertRecycledObjectsAreNew(
            () -> new CardTestingRule(new CardTestingRule.Parameters(2, SMALL, LARGE, WINDOW, 4, Severity.HIGH)),
            (e, random, account) ->
            {
                e.debtorAccount = account.getAsLong();
                e.creditorAccount = MERCHANT;
                e.amount = 1 + random.nextInt((int)SMALL);
                e.channel = Channel.CARD.value();
                e.currency = EUR;
            },
            (e, random, account) ->
            {
                e.debtorAccount = account.getAsLong();
                e.creditorAccount = MERCHANT;
                e.amount = random.nextInt(4) == 0 ? LARGE + random.nextInt(1_000) : 1 + random.nextInt(2 * (int)SMALL);
                e.channel = random.nextInt(6) == 0 ? Channel.CARD.value() + 1 : Channel.CARD.value();
                e.currency = EUR;
            },
            4 * MINUTE,
            (rule) -> new long[]{ rule.lateEvents(), rule.droppedEntries() });
    }
}
