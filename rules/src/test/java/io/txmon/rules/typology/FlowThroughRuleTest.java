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

import java.util.Random;
import java.util.function.LongSupplier;

import static io.txmon.rules.typology.AmlNetworkTestSupport.*;
import static io.txmon.rules.typology.RuleStateSupport.*;
import static org.junit.jupiter.api.Assertions.*;

class FlowThroughRuleTest
{
    private static final long HUB = 900_001L;
    private static final long WINDOW = 10 * DAY;
    private static final int USD = 840;
    private static final int JPY = 392;

    private final FlowThroughRule rule = new FlowThroughRule();
    private final RuleWorker worker = worker(0, 1, rule);
    private final TxEvent event = new TxEvent(1, 8);
    private long offset = 40;

    private TxEvent pay(final long time, final long debtor, final long creditor, final long amount)
    {
        payment(event, offset++, time, debtor, creditor, amount);
        worker.evaluate(event);
        return event;
    }

    private int alerts(final long time, final long debtor, final long creditor, final long amount)
    {
        return alertCount(pay(time, debtor, creditor, amount));
    }

    private static FlowThroughRule.Parameters parameters(
        final long window, final int minSenders, final int minBeneficiaries, final long minAmount, final int maxFlows)
    {
        return new FlowThroughRule.Parameters(window, minSenders, minBeneficiaries, 5_000, 20_000, 9_000, minAmount,
            maxFlows, FlowThroughRule.DEFAULT_USUAL_WINDOWS, Severity.HIGH);
    }

    @Test
    void defaultsAreDocumented()
    {
        final FlowThroughRule.Parameters p = FlowThroughRule.Parameters.DEFAULTS;
        assertEquals(WINDOW, p.holdingWindowNanos());
        assertEquals(2, p.minSenders());
        assertEquals(2, p.minBeneficiaries());
        assertEquals(5_000, p.minRatioBps());
        assertEquals(20_000, p.maxRatioBps());
        assertEquals(9_000, p.maxConcentrationBps());
        assertEquals(100_000, p.minAmount());
        assertEquals(32, p.maxFlowsTracked());
        assertEquals(Severity.MEDIUM, p.severity());
        assertEquals(24, rule.id());
        assertEquals(1, rule.version());
        assertEquals("flow-through", rule.name());
        assertEquals(Rule.PAYMENT, rule.templates());
        assertEquals(Long.MAX_VALUE, rule.horizonNanos());
    }

    /** Gather-scatter: three senders in over a day, two beneficiaries out three days later. */
    @Test
    void gatherScatterAlertsOnTheOutflowThatCompletesItWithEveryFlowAsEvidence()
    {
        assertEquals(0, alerts(T0, 101, HUB, 100_000));
        assertEquals(0, alerts(T0 + HOUR, 102, HUB, 200_000));
        assertEquals(0, alerts(T0 + DAY, 103, HUB, 150_000));
        assertEquals(0, alerts(T0 + 3 * DAY, HUB, 301, 200_000), "one beneficiary so far");
        final AlertRecord alert = onlyAlert(pay(T0 + 3 * DAY + 2 * HOUR, HUB, 302, 160_000));

        assertEquals(HUB, alert.account());
        assertEquals(FlowThroughRule.ID, alert.ruleId());
        assertEquals(Severity.MEDIUM, alert.severity());
        assertEquals(44, alert.triggeringOffset());
        assertArrayEquals(new long[]{ 40, 41, 42, 43, 44 }, evidence(alert), "inflows, then outflows, by offset");
        // 400 + 200 * 3600/4500 (160) + 50 for the third sender + 200 * (240 h - 74 h) / 240 h (138)
        assertEquals(748, alert.score());
        assertEquals("account 900001 received 3 payments from 3 senders (4500.00 EUR) and within 3 d 2 h paid out " +
            "2 payments to 2 beneficiaries (3600.00 EUR, 80% of what came in)", alert.reason().toString());
    }

    @Test
    void twoPaymentsFromOneSenderAreOneSender()
    {
        alerts(T0, 101, HUB, 100_000);
        alerts(T0 + 1, 101, HUB, 100_000);
        alerts(T0 + 2, HUB, 301, 100_000);
        assertEquals(0, alerts(T0 + 3, HUB, 302, 100_000), "one sender");
        assertEquals(0, alerts(T0 + 4, 102, HUB, 30_000), "an inflow does not alert");
        assertEquals(1, alerts(T0 + 5, HUB, 303, 1), "a second sender (13% of what came in), then out");
    }

    @Test
    void twoPaymentsToOneBeneficiaryAreOneBeneficiary()
    {
        alerts(T0, 101, HUB, 100_000);
        alerts(T0 + 1, 102, HUB, 100_000);
        alerts(T0 + 2, HUB, 301, 50_000);
        assertEquals(0, alerts(T0 + 3, HUB, 301, 50_000), "one beneficiary");
        assertEquals(1, alerts(T0 + 4, HUB, 302, 50_000), "a second one");
    }

    @Test
    void exactlyHalfOfWhatCameInAlertsAndOneMinorUnitLessIsSilent()
    {
        alerts(T0, 101, HUB, 200_000);
        alerts(T0 + 1, 102, HUB, 200_000);
        alerts(T0 + 2, HUB, 301, 100_000);
        assertEquals(0, alerts(T0 + 3, HUB, 302, 99_999), "199,999 of 400,000");
        final AlertRecord alert = onlyAlert(pay(T0 + 4, HUB, 303, 1));
        assertTrue(alert.reason().toString().endsWith("(2000.00 EUR, 50% of what came in)"), alert.reason().toString());
    }

    @Test
    void exactlyTwiceWhatCameInAlertsAndOneMinorUnitMoreIsSilent()
    {
        alerts(T0, 101, HUB, 100_000);
        alerts(T0 + 1, 102, HUB, 100_000);
        alerts(T0 + 2, HUB, 301, 200_001);
        assertEquals(0, alerts(T0 + 3, HUB, 302, 200_000), "400,001 of 200,000");

        final long hub = HUB + 1;
        alerts(T0, 101, hub, 100_000);
        alerts(T0 + 1, 102, hub, 100_000);
        alerts(T0 + 2, hub, 301, 200_000);
        assertEquals(1, alerts(T0 + 3, hub, 302, 200_000), "400,000 of 200,000");
    }

    @Test
    void atLeastTheMinimumMustComeInAndGoOut()
    {
        alerts(T0, 101, HUB, 50_000);
        alerts(T0 + 1, 102, HUB, 50_000);
        alerts(T0 + 2, HUB, 301, 50_000);
        assertEquals(1, alerts(T0 + 3, HUB, 302, 50_000), "1000.00 EUR in and out");

        final long hub = HUB + 1;
        alerts(T0, 101, hub, 50_000);
        alerts(T0 + 1, 102, hub, 49_999);
        alerts(T0 + 2, hub, 301, 50_000);
        assertEquals(0, alerts(T0 + 3, hub, 302, 50_000), "999.99 EUR in");

        final long other = HUB + 2;
        alerts(T0, 101, other, 75_000);
        alerts(T0 + 1, 102, other, 75_000);
        alerts(T0 + 2, other, 301, 50_000);
        assertEquals(0, alerts(T0 + 3, other, 302, 49_999), "999.99 EUR out, two thirds of what came in");
        assertEquals(1, alerts(T0 + 4, other, 303, 1), "1000.00 EUR out");
    }

    /** A salary and a refund are one payer: the largest sender may send at most 90% of what came in. */
    @Test
    void theLargestSenderSendingMoreThanNinetyPercentIsOnePayer()
    {
        alerts(T0, 101, HUB, 900_000);
        alerts(T0 + 1, 102, HUB, 100_000);
        alerts(T0 + 2, HUB, 301, 500_000);
        assertEquals(1, alerts(T0 + 3, HUB, 302, 500_000), "90% exactly");

        final long hub = HUB + 1;
        alerts(T0, 101, hub, 900_001);
        alerts(T0 + 1, 102, hub, 99_999);
        alerts(T0 + 2, hub, 301, 500_000);
        assertEquals(0, alerts(T0 + 3, hub, 302, 500_000), "90.0001%");
    }

    @Test
    void theLargestBeneficiaryReceivingMoreThanNinetyPercentIsOnePayee()
    {
        alerts(T0, 101, HUB, 500_000);
        alerts(T0 + 1, 102, HUB, 500_000);
        alerts(T0 + 2, HUB, 301, 900_000);
        assertEquals(1, alerts(T0 + 3, HUB, 302, 100_000), "90% exactly");

        final long hub = HUB + 1;
        alerts(T0, 101, hub, 500_000);
        alerts(T0 + 1, 102, hub, 500_000);
        alerts(T0 + 2, hub, 301, 900_001);
        assertEquals(0, alerts(T0 + 3, hub, 302, 99_999), "90.0001%");
    }

    @Test
    void anInflowExactlyAHoldingWindowOldIsNotCountedAndOneNanosecondYoungerIs()
    {
        alerts(T0, 101, HUB, 100_000);
        alerts(T0 + HOUR, 102, HUB, 100_000);
        alerts(T0 + WINDOW - 2, HUB, 301, 100_000);
        assertEquals(1, alerts(T0 + WINDOW - 1, HUB, 302, 100_000));

        final long hub = HUB + 1;
        alerts(T0, 101, hub, 100_000);
        alerts(T0 + HOUR, 102, hub, 100_000);
        alerts(T0 + WINDOW - 2, hub, 301, 100_000);
        assertEquals(0, alerts(T0 + WINDOW, hub, 302, 100_000), "the first inflow has left: one sender");
    }

    @Test
    void outflowsBeforeTheFirstInflowCountedAreNotCounted()
    {
        alerts(T0 - 20 * DAY, 100, HUB, 100_000);
        alerts(T0, HUB, 301, 1_000_000);
        alerts(T0 + HOUR, 101, HUB, 100_000);
        alerts(T0 + 2 * HOUR, 102, HUB, 100_000);
        assertEquals(0, alerts(T0 + 3 * HOUR, HUB, 302, 100_000), "paid 301 before the money came in");
        final AlertRecord alert = onlyAlert(pay(T0 + 4 * HOUR, HUB, 303, 100_000));
        assertArrayEquals(new long[]{ 42, 43, 44, 45 }, evidence(alert));
    }

    @Test
    void aHubIsQuietWhileItsShapeKeepsComingBackEitherWay()
    {
        alerts(T0, 101, HUB, 100_000);
        alerts(T0 + 1, 102, HUB, 100_000);
        alerts(T0 + 2, HUB, 301, 100_000);
        final long alerted = T0 + DAY;
        assertEquals(1, alerts(alerted, HUB, 302, 100_000));

        alerts(alerted + 8 * DAY, 103, HUB, 100_000);
        alerts(alerted + 8 * DAY + 1, 104, HUB, 100_000);
        alerts(alerted + 9 * DAY, HUB, 303, 50_000);
        assertEquals(0, alerts(alerted + WINDOW - 1, HUB, 304, 50_000), "half of the new inflows, but quiet");
        assertEquals(0, alerts(alerted - 1, HUB, 305, 50_000), "a late outflow just before the alert: quiet too");
        assertEquals(1, rule.lateEvents());
        final long back = alerted + WINDOW;
        assertEquals(0, alerts(back, HUB, 306, 50_000),
            "the shape holds again within four windows of the alert: the account's usual, quiet, and it starts again");

        final long later = back + FlowThroughRule.DEFAULT_USUAL_WINDOWS * WINDOW;
        alerts(later - 3, 105, HUB, 100_000);
        alerts(later - 2, 106, HUB, 100_000);
        assertEquals(0, alerts(later - 1, HUB, 307, 100_000), "one beneficiary: not the shape");
        final AlertRecord again = onlyAlert(pay(later, HUB, 308, 100_000));
        assertArrayEquals(new long[]{ 50, 51, 52, 53 }, evidence(again), "four windows on: the new flows only");
    }

    @Test
    void aLateOutflowIsEvaluatedAtItsOwnTime()
    {
        alerts(T0 + 2 * HOUR, 101, HUB, 100_000);
        alerts(T0 + HOUR, 102, HUB, 100_000);
        assertEquals(1, rule.lateEvents());
        alerts(T0 + 3 * HOUR, HUB, 301, 100_000);
        assertEquals(0, alerts(T0 + 2 * HOUR + 30 * MINUTE, HUB, 302, 100_000),
            "at its time the outflow to 301 has not happened: one beneficiary");
        assertEquals(2, rule.lateEvents());
        final AlertRecord alert = onlyAlert(pay(T0 + 4 * HOUR, HUB, 303, 100_000));
        assertArrayEquals(new long[]{ 40, 41, 42, 43, 44 }, evidence(alert));
    }

    @Test
    void selfPaymentsAreIgnored()
    {
        alerts(T0, 101, HUB, 100_000);
        alerts(T0 + 1, HUB, HUB, 100_000);
        alerts(T0 + 2, HUB, 301, 100_000);
        assertEquals(0, alerts(T0 + 3, HUB, HUB, 100_000), "not an inflow, not an outflow");
        assertEquals(0, alerts(T0 + 4, HUB, 302, 100_000), "one sender");
    }

    @Test
    void amountsAreComparedInTheReferenceCurrency()
    {
        // 10,869.57 USD and 1,639,345 JPY are each worth 10,000.00 EUR at the built-in rates (truncated)
        payment(event, offset++, T0, 101, HUB, 1_086_957);
        event.currency = USD;
        worker.evaluate(event);
        payment(event, offset++, T0 + 1, 102, HUB, 1_639_345);
        event.currency = JPY;
        worker.evaluate(event);
        alerts(T0 + 2, HUB, 301, 600_000);
        assertEquals(0, alerts(T0 + 3, HUB, 302, 399_999), "9,999.99 of 20,000.00 EUR");
        // in raw minor units 1,000,000 is 37% of 2,726,302: only the converted amounts make it half
        final AlertRecord alert = onlyAlert(pay(T0 + 4, HUB, 303, 1));
        assertEquals("account 900001 received 2 payments from 2 senders (20000.00 EUR) and within 0 s paid out " +
            "3 payments to 3 beneficiaries (10000.00 EUR, 50% of what came in)", alert.reason().toString());
    }

    @Test
    void onlyTheWorkerOwningTheHubRaisesAndItSeesBothSides()
    {
        final long hub = ownedBy(1, 2, HUB);
        final long[] senders = { ownedBy(0, 2, 101), ownedBy(0, 2, 201) };
        final long[] beneficiaries = { ownedBy(0, 2, 301), ownedBy(0, 2, 401) };
        final FlowThroughRule rule0 = new FlowThroughRule();
        final FlowThroughRule rule1 = new FlowThroughRule();
        final RuleWorker w0 = worker(0, 2, rule0);
        final RuleWorker w1 = worker(1, 2, rule1);
        final TxEvent e = new TxEvent(2, 8);
        long time = T0;
        for (final long sender : senders)
        {
            payment(e, offset++, time++, sender, hub, 100_000);
            w0.evaluate(e);
            w1.evaluate(e);
        }
        for (final long beneficiary : beneficiaries)
        {
            payment(e, offset++, time++, hub, beneficiary, 100_000);
            w0.evaluate(e);
            w1.evaluate(e);
        }
        assertEquals(0, e.alerts(0).count());
        assertEquals(1, e.alerts(1).count());
        assertEquals(hub, e.alerts(1).get(0).account());
        assertEquals(2, rule0.trackedAccounts(), "worker 0 keeps its two beneficiaries, which received, not the hub");
        assertEquals(1, rule1.trackedAccounts(), "worker 1 keeps the hub, not the senders, which only paid");
    }

    /** 500 went out, 250% of what came in: a full outflow ring must not make it look like 100%. */
    @Test
    void aFullOutflowRingCountsOnlyWhatCameInAfterTheOutflowItDropped()
    {
        final FlowThroughRule small = new FlowThroughRule(parameters(WINDOW, 2, 2, 1, 2));
        final RuleWorker w = worker(0, 1, small);
        final TxEvent e = new TxEvent(1, 8);
        assertEquals(0, raised(w, e, payment(e, 0, T0, 101, HUB, 100)));
        assertEquals(0, raised(w, e, payment(e, 1, T0 + 1, 102, HUB, 100)));
        assertEquals(0, raised(w, e, payment(e, 2, T0 + 2, HUB, 301, 300)));
        assertEquals(0, raised(w, e, payment(e, 3, T0 + 3, HUB, 301, 100)));
        assertEquals(0, raised(w, e, payment(e, 4, T0 + 4, HUB, 302, 100)),
            "the ring dropped the 300 out: what came in before it cannot be compared");
        assertEquals(1, small.droppedEntries());

        // fresh money in, two rings' worth of flows later: the hub alerts on what it holds whole
        assertEquals(0, raised(w, e, payment(e, 5, T0 + 5, 103, HUB, 100)));
        assertEquals(0, raised(w, e, payment(e, 6, T0 + 6, 104, HUB, 100)));
        assertEquals(0, raised(w, e, payment(e, 7, T0 + 7, HUB, 303, 100)));
        assertEquals(1, raised(w, e, payment(e, 8, T0 + 8, HUB, 304, 100)));
        assertArrayEquals(new long[]{ 5, 6, 7, 8 }, evidence(e.alerts(0).get(0)));
        assertEquals(5, small.droppedEntries());
    }

    @Test
    void aLateInflowMakingTheRingDropANewerOneSilencesTheFlowsBeforeIt()
    {
        final FlowThroughRule small = new FlowThroughRule(parameters(WINDOW, 2, 2, 1, 2));
        final RuleWorker w = worker(0, 1, small);
        final TxEvent e = new TxEvent(1, 8);
        w.evaluate(payment(e, 0, T0 + 10, 101, HUB, 100));
        w.evaluate(payment(e, 1, T0 + 11, 102, HUB, 100));
        // a late inflow, older than both: the full ring drops the older of the two, at T0 + 10, and keeps the late one
        w.evaluate(payment(e, 2, T0, 103, HUB, 100));
        assertEquals(1, small.droppedEntries());
        w.evaluate(payment(e, 3, T0 + 12, HUB, 301, 100));
        assertEquals(0, raised(w, e, payment(e, 4, T0 + 13, HUB, 302, 100)),
            "counted from after T0 + 10: the inflow from 102 alone, not the one from 103 at T0");
    }

    private static int raised(final RuleWorker w, final TxEvent e, final TxEvent filled)
    {
        w.evaluate(filled);
        return AmlNetworkTestSupport.alertCount(e);
    }

    @Test
    void aSalaryAccountWithRefundsPayingRentBillsAndShopsDoesNotAlert()
    {
        final long employer = 5_000L;
        final long landlord = 5_001L;
        final long utility = 5_002L;
        final Random random = new Random(11);
        int alerts = 0;
        for (int month = 0; month < 6; month++)
        {
            final long payday = T0 + month * 30 * DAY;
            alerts += alerts(payday, employer, HUB, 300_000);
            alerts += alerts(payday + 2 * DAY, HUB, landlord, 130_000);
            alerts += alerts(payday + 3 * DAY, HUB, utility, 12_000);
            alerts += alerts(payday + 5 * DAY, 6_000 + month, HUB, 2_500);
            for (int day = 0; day < 30; day++)
            {
                alerts += alerts(payday + day * DAY + 18 * HOUR, HUB, 10_000 + random.nextInt(40),
                    1_500 + random.nextInt(4_500));
            }
        }
        assertEquals(0, alerts, "one payer: the refunds are less than 1% of what comes in");

        // the same account judged without the concentration guard: the refund makes a second sender
        final FlowThroughRule unguarded = new FlowThroughRule(new FlowThroughRule.Parameters(
            WINDOW, 2, 2, 5_000, 20_000, 10_000, 100_000L, 32, 4, Severity.MEDIUM));
        final RuleWorker w = worker(0, 1, unguarded);
        final TxEvent e = new TxEvent(1, 8);
        final Random again = new Random(11);
        int unguardedAlerts = 0;
        long k = 0;
        for (int month = 0; month < 6; month++)
        {
            final long payday = T0 + month * 30 * DAY;
            unguardedAlerts += raised(w, e, payment(e, k++, payday, employer, HUB, 300_000));
            unguardedAlerts += raised(w, e, payment(e, k++, payday + 2 * DAY, HUB, landlord, 130_000));
            unguardedAlerts += raised(w, e, payment(e, k++, payday + 3 * DAY, HUB, utility, 12_000));
            unguardedAlerts += raised(w, e, payment(e, k++, payday + 5 * DAY, 6_000 + month, HUB, 2_500));
            for (int day = 0; day < 30; day++)
            {
                unguardedAlerts += raised(w, e, payment(e, k++, payday + day * DAY + 18 * HOUR, HUB,
                    10_000 + again.nextInt(40), 1_500 + again.nextInt(4_500)));
            }
        }
        assertTrue(unguardedAlerts > 0, "rent and shopping pass half of salary and refund within the window");
    }

    @Test
    void aMerchantTakingCardPaymentsAndSweepingToOneAccountDoesNotAlert()
    {
        final long owner = 7_000L;
        final long terminalFees = 7_001L;
        final long supplier = 7_002L;
        final Random random = new Random(5);
        int alerts = 0;
        long takings = 0;
        long customer = 100_000L;
        for (int day = 0; day < 90; day++)
        {
            final long morning = T0 + day * DAY + 9 * HOUR;
            for (int sale = 0; sale < 3; sale++)
            {
                final long amount = 2_000 + random.nextInt(4_000);
                payment(event, offset++, morning + sale * HOUR, customer++, HUB, amount);
                event.channel = Channel.CARD.value();
                worker.evaluate(event);
                alerts += alertCount(event);
                takings += amount;
            }
            if (day % 7 == 6)
            {
                alerts += alerts(morning + 10 * HOUR, HUB, owner, takings * 9 / 10);
                alerts += alerts(morning + 11 * HOUR, HUB, terminalFees, 500);
                takings = 0;
            }
            if (day % 30 == 29)
            {
                alerts += alerts(morning + 12 * HOUR, HUB, supplier, 5_000);
            }
        }
        assertEquals(0, alerts, "one account takes more than 90% of what is paid out");
        assertEquals(4, rule.trackedAccounts(), "the hub and its three payees: the customers only paid");
    }

    @Test
    void rejectsInvalidParametersNamingThem()
    {
        final Severity s = Severity.LOW;
        FanInRuleTest.assertMessage("holdingWindowNanos",
            () -> new FlowThroughRule.Parameters(0, 2, 2, 5_000, 20_000, 9_000, 1, 32, 4, s));
        FanInRuleTest.assertMessage("minSenders must be 1 to 32",
            () -> new FlowThroughRule.Parameters(DAY, 0, 2, 5_000, 20_000, 9_000, 1, 32, 4, s));
        FanInRuleTest.assertMessage("minBeneficiaries",
            () -> new FlowThroughRule.Parameters(DAY, 2, 33, 5_000, 20_000, 9_000, 1, 32, 4, s));
        FanInRuleTest.assertMessage("minRatioBps",
            () -> new FlowThroughRule.Parameters(DAY, 2, 2, -1, 20_000, 9_000, 1, 32, 4, s));
        FanInRuleTest.assertMessage("maxRatioBps must be minRatioBps 5000 to 1000000",
            () -> new FlowThroughRule.Parameters(DAY, 2, 2, 5_000, 4_999, 9_000, 1, 32, 4, s));
        FanInRuleTest.assertMessage("maxConcentrationBps",
            () -> new FlowThroughRule.Parameters(DAY, 2, 2, 5_000, 20_000, 0, 1, 32, 4, s));
        FanInRuleTest.assertMessage("maxConcentrationBps",
            () -> new FlowThroughRule.Parameters(DAY, 2, 2, 5_000, 20_000, 10_001, 1, 32, 4, s));
        FanInRuleTest.assertMessage("minAmount",
            () -> new FlowThroughRule.Parameters(DAY, 2, 2, 5_000, 20_000, 9_000, 0, 32, 4, s));
        FanInRuleTest.assertMessage("usualWindows",
            () -> new FlowThroughRule.Parameters(DAY, 2, 2, 5_000, 20_000, 9_000, 1, 32, 0, s));
        FanInRuleTest.assertMessage("usualWindows",
            () -> new FlowThroughRule.Parameters(DAY, 2, 2, 5_000, 20_000, 9_000, 1, 32, 101, s));
        FanInRuleTest.assertMessage("maxFlowsTracked must be minSenders 2 and minBeneficiaries 3 to 32, was 2",
            () -> new FlowThroughRule.Parameters(DAY, 2, 3, 5_000, 20_000, 9_000, 1, 2, 4, s));
        FanInRuleTest.assertMessage("maxFlowsTracked",
            () -> new FlowThroughRule.Parameters(DAY, 2, 2, 5_000, 20_000, 9_000, 1, 33, 4, s));
        FanInRuleTest.assertMessage("severity",
            () -> new FlowThroughRule.Parameters(DAY, 2, 2, 5_000, 20_000, 9_000, 1, 32, 4, null));
        assertEquals(1, new FlowThroughRule.Parameters(DAY, 1, 1, 0, 0, 1, 1, 1, 1, s).maxFlowsTracked());
    }

    @Test
    void productsAndSumsAreExactOrSaturated()
    {
        assertEquals(0, FlowThroughRule.compareProducts(Long.MAX_VALUE, 10_000, Long.MAX_VALUE, 10_000));
        assertTrue(FlowThroughRule.compareProducts(Long.MAX_VALUE, 10_000, Long.MAX_VALUE - 1, 10_000) > 0);
        assertTrue(FlowThroughRule.compareProducts(Long.MAX_VALUE - 1, 10_000, Long.MAX_VALUE, 10_000) < 0);
        assertTrue(FlowThroughRule.compareProducts(1L << 62, 4, 1, Long.MAX_VALUE) > 0, "2^64 against 2^63 - 1");
        assertTrue(FlowThroughRule.compareProducts(3, 5, 4, 4) < 0);
        assertEquals(Long.MAX_VALUE, FlowThroughRule.saturatingAdd(Long.MAX_VALUE, 1));
        assertEquals(7, FlowThroughRule.saturatingAdd(3, 4));
    }

    @Test
    void hugeAmountsAreComparedExactlyAndSumsBeyondALongSaturateWithoutFailing()
    {
        // 2^61 in, so that 10,000 times any half of it is beyond a long
        alerts(T0, 101, HUB, 1L << 60);
        alerts(T0 + 1, 102, HUB, 1L << 60);
        alerts(T0 + 2, HUB, 301, 1L << 59);
        assertEquals(0, alerts(T0 + 3, HUB, 302, (1L << 59) - 1), "one minor unit short of half");
        final AlertRecord alert = onlyAlert(pay(T0 + 4, HUB, 303, 1));
        assertTrue(alert.reason().toString().endsWith("50% of what came in)"), alert.reason().toString());

        // the worker fails the test if the rule throws
        final long hub = HUB + 1;
        alerts(T0, 101, hub, Long.MAX_VALUE);
        alerts(T0 + 1, 102, hub, Long.MAX_VALUE);
        alerts(T0 + 2, hub, 301, Long.MAX_VALUE);
        alerts(T0 + 3, hub, 302, Long.MAX_VALUE);
    }

    @Test
    void sameEventsRaiseTheSameAlerts()
    {
        final int alerts = assertDeterministic(
            () -> new FlowThroughRule(parameters(HOUR, 2, 2, 1, 8)),
            (e, k) -> payment(e, k, T0 + k * MINUTE, 1 + mix(k * 8) % 12, 1 + mix(k * 8 + 1) % 12,
                1_000 + mix(k * 8 + 2) % 100_000),
            20_000);
        assertTrue(alerts > 10, "alerts raised: " + alerts);
    }

    @Test
    void steadyStateAllocatesNothing()
    {
        final FlowThroughRule fast = new FlowThroughRule(parameters(40 * SECOND, 2, 2, 1, 4));
        final RuleWorker w = worker(0, 1, fast);
        final TxEvent e = new TxEvent(1, 8);
        final long[] state = { T0, 0, 0 };
        // 50 hubs in turn, each visit 5 senders in then 3 beneficiaries out, a second apart, counterparties drawn from
        // 200: a hub comes back after 400 s, beyond the 160 s in which its shape is its usual, and alerts again
        assertSteadyStateAllocationFree(
            (n) ->
            {
                for (int i = 0; i < n; i++)
                {
                    final long k = state[1]++;
                    state[0] += SECOND;
                    final long hub = HUB + (k / 8) % 50;
                    final long other = 1 + mix(k) % 200;
                    if ((k & 7) < 5)
                    {
                        payment(e, k, state[0], other, hub, 100_000 + k % 7);
                    }
                    else
                    {
                        payment(e, k, state[0], hub, other, 90_000 + k % 5);
                    }
                    w.evaluate(e);
                    state[2] += e.alerts(0).count();
                }
            },
            100_000);
        assertTrue(state[2] > 1000, "alerts raised: " + state[2]);
        assertTrue(fast.droppedEntries() > 0, "the rings filled: their growth is behind the warm-up");
    }

    @Test
    void stateWrittenAtTheWindowEdgeDecidesAsTheOriginal()
    {
        final FlowThroughRule.Parameters parameters = parameters(WINDOW, 2, 2, 1_000, 3);
        final FlowThroughRule original = new FlowThroughRule(parameters);
        final RuleWorker w = worker(0, 1, original);
        final TxEvent e = new TxEvent(1, 8);
        // HUB: two senders, one outflow
        w.evaluate(payment(e, 0, T0, 101, HUB, 100_000));
        w.evaluate(payment(e, 1, T0 + HOUR, 102, HUB, 100_000));
        w.evaluate(payment(e, 2, T0 + 2 * HOUR, HUB, 301, 100_000));
        // 400: a full inflow ring that a late inflow made drop its inflow at T0 + 1 min, so it counts from there
        w.evaluate(payment(e, 3, T0 + MINUTE, 501, 400, 100_000));
        w.evaluate(payment(e, 4, T0 + 2 * MINUTE, 502, 400, 100_000));
        w.evaluate(payment(e, 5, T0 + 3 * MINUTE, 503, 400, 100_000));
        w.evaluate(payment(e, 6, T0, 504, 400, 100_000));
        w.evaluate(payment(e, 7, T0 + 5 * MINUTE, 400, 301, 50_000));
        assertEquals(1, original.droppedEntries());
        // 600: alerted, so quiet for a holding window
        w.evaluate(payment(e, 20, T0, 701, 600, 100_000));
        w.evaluate(payment(e, 21, T0 + MINUTE, 702, 600, 100_000));
        w.evaluate(payment(e, 22, T0 + 2 * MINUTE, 600, 801, 100_000));
        assertEquals(1, raised(w, e, payment(e, 23, T0 + 3 * MINUTE, 600, 802, 100_000)));

        final byte[] bytes = stateOf(original);
        final FlowThroughRule restored = read(new FlowThroughRule(parameters), bytes);
        assertArrayEquals(bytes, stateOf(restored), "written again as read");
        assertEquals(6, restored.trackedAccounts(), "HUB, 400, 600 and 301, 801, 802, which received");
        final RuleWorker r = worker(0, 1, restored);

        assertEquals("", sameOnBoth(w, r, (x) -> payment(x, 8, T0 + WINDOW, HUB, 302, 100_000)),
            "the inflow from 101 is a holding window old: one sender");
        assertEquals("", sameOnBoth(w, r, (x) -> payment(x, 9, T0 + WINDOW - 1, 105, HUB, 100_000)));
        // 400 + 200 * 200/210 (190) + 50 for the third beneficiary + 200 * (1 h - 1 ns) / 240 h (0)
        assertEquals("640 900001 [1,9,2,8,10] account 900001 received 2 payments from 2 senders (2000.00 EUR) and " +
            "within 9 d 23 h paid out 3 payments to 3 beneficiaries (2100.00 EUR, 105% of what came in)\n",
            sameOnBoth(w, r, (x) -> payment(x, 10, T0 + WINDOW + 1, HUB, 303, 10_000)));

        assertEquals("", sameOnBoth(w, r, (x) -> payment(x, 11, T0 + 6 * MINUTE, 400, 302, 49_999)),
            "99,999 of the 200,000 from 502 and 503");
        assertTrue(sameOnBoth(w, r, (x) -> payment(x, 12, T0 + 7 * MINUTE, 400, 303, 1))
            .startsWith("749 400 [4,5,7,11,12] "), "half: the inflow from 504, before the dropped one, is not counted");

        sameOnBoth(w, r, (x) -> payment(x, 30, T0 + HOUR, 703, 600, 100_000));
        assertEquals("", sameOnBoth(w, r, (x) -> payment(x, 31, T0 + 2 * HOUR, 600, 803, 100_000)), "quiet");
    }

    @Test
    void hostileStateIsRefusedWithAStateException()
    {
        alerts(T0, 101, HUB, 100_000);
        alerts(T0 + 1, 102, HUB, 200_000);
        alerts(T0 + 2, HUB, 301, 300_000);
        alerts(T0 + 3, 103, 400, 300_000);
        final byte[] bytes = stateOf(rule);
        assertEveryTruncationRefused(FlowThroughRule::new, bytes);
        assertEquals(3, read(new FlowThroughRule(), bytes).trackedAccounts(), "HUB, 301 and 400");

        final StateException tooMany = assertThrows(StateException.class, () -> read(new FlowThroughRule(),
            bytes(hub(new StateWriter(64), HUB).putLong(T0).putInt(33).putLong(0).putInt(0))));
        assertTrue(tooMany.getMessage().contains("inflows of a hub 33"), tooMany.getMessage());
        assertRefused(new FlowThroughRule(),
            bytes(hub(new StateWriter(64), HUB).putLong(T0).putInt(-1).putLong(0).putInt(0)), "a negative count");
        assertRefused(new FlowThroughRule(),
            bytes(hub(new StateWriter(64), HUB).putLong(T0).putInt(2).putLong(T0).putLong(1).putLong(1).putLong(2)),
            "flows past the end");
        assertRefused(new FlowThroughRule(), flow(HUB, 0, 7, 101), "an amount of zero");
        assertRefused(new FlowThroughRule(), flow(HUB, 100, -1, 101), "a negative offset");
        assertRefused(new FlowThroughRule(), flow(HUB, 100, 7, HUB), "a flow of the hub with itself");
        read(new FlowThroughRule(), flow(HUB, 100, 7, 101));

        final StateWriter twice = new StateWriter(128).putInt(2);
        emptyHub(twice, HUB);
        emptyHub(twice, HUB);
        assertRefused(new FlowThroughRule(), bytes(twice), "a hub twice");
        final StateWriter descending = new StateWriter(128).putInt(2);
        emptyHub(descending, HUB + 1);
        emptyHub(descending, HUB);
        assertRefused(new FlowThroughRule(), bytes(descending), "hubs out of order");
        assertRefused(new FlowThroughRule(), withInt(bytes, 0, Integer.MAX_VALUE), "more hubs than bytes");
    }

    /** A hub's id, no alert, counting from any time, then its inflow ring's header follows. */
    private static StateWriter hub(final StateWriter out, final long account)
    {
        return out.putInt(1).putLong(account).putLong(Long.MIN_VALUE).putLong(Long.MIN_VALUE);
    }

    private static void emptyHub(final StateWriter out, final long account)
    {
        out.putLong(account).putLong(Long.MIN_VALUE).putLong(Long.MIN_VALUE)
            .putLong(Long.MIN_VALUE).putInt(0).putLong(Long.MIN_VALUE).putInt(0);
    }

    /** One hub with one inflow and no outflow ring. */
    private static byte[] flow(final long account, final long amount, final long offset, final long counterparty)
    {
        return bytes(hub(new StateWriter(128), account).putLong(T0).putInt(1)
            .putLong(T0).putLong(amount).putLong(offset).putLong(counterparty)
            .putLong(Long.MIN_VALUE).putInt(0));
    }

    @Test
    void forgetsAHubTheAccountStoreEvicts()
    {
        assertEquals(1, outflowAlerts(8), "the hub is kept: its inflows count");
        assertEquals(0, outflowAlerts(4), "the hub was evicted: its inflows are forgotten");
    }

    /**
     * Two senders pay HUB, two other pairs of accounts pay each other, then HUB pays two beneficiaries. With room for
     * four accounts the pairs evict the senders and then HUB.
     *
     * @return alerts HUB's last payment raised.
     */
    private static int outflowAlerts(final int maxAccounts)
    {
        final FlowThroughRule rule = new FlowThroughRule();
        final CappedWorker w = new CappedWorker(maxAccounts, rule);
        final TxEvent e = new TxEvent(1, 8);
        w.evaluate(payment(e, 0, T0, 101, HUB, 100_000));
        w.evaluate(payment(e, 1, T0 + SECOND, 102, HUB, 100_000));
        w.evaluate(payment(e, 2, T0 + 2 * SECOND, 201, 202, 100_000));
        w.evaluate(payment(e, 3, T0 + 3 * SECOND, 203, 204, 100_000));
        assertEquals(maxAccounts < 8, w.accounts().capEvictions() > 0);
        w.evaluate(payment(e, 4, T0 + 4 * SECOND, HUB, 301, 100_000));
        return w.evaluate(payment(e, 5, T0 + 5 * SECOND, HUB, 302, 100_000));
    }

    /** A hub recycled from an evicted account decides and writes as a new one, whatever it held. */
    @Test
    void aRecycledHubIsANewOne()
    {
        RecycledStateCheck.assertRecycledObjectsAreNew(
            () -> new FlowThroughRule(new FlowThroughRule.Parameters(
                20 * MINUTE, 1, 2, 2_000, 30_000, 9_000, 1_000, 3, 1, Severity.HIGH)),
            FlowThroughRuleTest::randomPayment,
            FlowThroughRuleTest::randomPayment,
            5 * MINUTE,
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
        e.amount = 500 + random.nextInt(1_000);
        e.currency = random.nextInt(5) == 0 ? USD : EUR;
    }
}
