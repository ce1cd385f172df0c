package io.txmon.rules.typology;

import io.txmon.events.codec.OrderDecoder;
import io.txmon.events.codec.Severity;
import io.txmon.rules.AlertRecord;
import io.txmon.rules.AlertIds;
import io.txmon.rules.Rule;
import io.txmon.rules.RuleWorker;
import io.txmon.rules.TxEvent;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteOrder;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.Random;
import java.util.function.LongSupplier;

import static io.txmon.rules.typology.AmlNetworkTestSupport.*;
import static io.txmon.rules.typology.RuleStateSupport.*;
import static org.junit.jupiter.api.Assertions.*;

class FanInRuleTest
{
    private static final long CREDITOR = 900_001L;
    /** The defaults without the baseline: what the tests of the window's own mechanics use. */
    private static final FanInRule.Parameters NO_BASELINE = new FanInRule.Parameters(
        10, 0, DAY, 64, FanInRule.Parameters.DEFAULTS.severity(), FanInRule.Parameters.DEFAULTS.score());
    private static final Supplier<Rule> NO_BASELINE_RULE = () -> new FanInRule(NO_BASELINE);

    private final FanInRule rule = new FanInRule(NO_BASELINE);
    private final RuleWorker worker = worker(0, 1, rule);
    private final TxEvent event = new TxEvent(1, 8);
    private long offset;

    private TxEvent pay(final long time, final long debtor, final long creditor)
    {
        payment(event, offset++, time, debtor, creditor, 10_000);
        worker.evaluate(event);
        return event;
    }

    /**
     * One rule behind its own worker, paid at consecutive offsets.
     */
    static final class Payer
    {
        final Rule rule;
        final RuleWorker worker;
        final TxEvent event = new TxEvent(1, 8);
        long offset;

        Payer(final Rule rule)
        {
            this.rule = rule;
            this.worker = worker(0, 1, rule);
        }

        /**
         * @return a payer going on from the same offset with {@code into}, its state read from this one's rule.
         */
        Payer restored(final Rule into)
        {
            final Payer restored = new Payer(RuleStateSupport.restored(rule, into));
            restored.offset = offset;
            return restored;
        }

        int pay(final long time, final long debtor, final long creditor)
        {
            payment(event, offset++, time, debtor, creditor, 10_000);
            worker.evaluate(event);
            return alertCount(event);
        }

        String alerts()
        {
            return describeAlerts(event, 1);
        }
    }

    /**
     * A rule run through a history, and a new instance read back from its state, paid the same from there on.
     */
    static final class Twin
    {
        final Payer original;
        final Payer restored;

        Twin(final Supplier<Rule> factory, final Consumer<Payer> history)
        {
            original = new Payer(factory.get());
            history.accept(original);
            restored = original.restored(factory.get());
        }

        /**
         * Pay both; they must raise the same alerts, field by field, and keep the same state.
         *
         * @return alerts the original raised.
         */
        int pay(final long time, final long debtor, final long creditor)
        {
            final int alerts = original.pay(time, debtor, creditor);
            restored.pay(time, debtor, creditor);
            assertEquals(original.alerts(), restored.alerts(), "payment at " + time);
            assertArrayEquals(stateOf(original.rule), stateOf(restored.rule), "state after the payment at " + time);
            return alerts;
        }
    }

    @Test
    void readsPaymentsOnlyAndSnapshots()
    {
        assertEquals(Rule.PAYMENT, rule.templates());
        assertTrue(rule.snapshots());
    }

    @Test
    void aSnapshotAtNineSendersAlertsOnTheSameTenthAtTheWindowEdge()
    {
        final Consumer<Payer> nine = p ->
        {
            p.pay(T0, 101, CREDITOR);
            for (int i = 2; i <= 9; i++)
            {
                p.pay(T0 + i * MINUTE, 100 + i, CREDITOR);
            }
        };
        assertEquals(1, new Twin(NO_BASELINE_RULE, nine).pay(T0 + DAY - 1, 110, CREDITOR), "sender 101 still counts");
        assertEquals(0, new Twin(NO_BASELINE_RULE, nine).pay(T0 + DAY, 110, CREDITOR), "sender 101 is one window old");
        assertEquals(0, new Twin(NO_BASELINE_RULE, nine).pay(T0 + DAY - 1, 109, CREDITOR), "a known sender");
    }

    @Test
    void aSnapshotAboveTheMinimumRaisesNothingUntilTheNextCrossing()
    {
        final Twin twin = new Twin(() -> new FanInRule(NO_BASELINE), p ->
        {
            for (int i = 1; i <= 10; i++)
            {
                p.pay(T0 + i, 100 + i, CREDITOR);
            }
            assertEquals(1, alertCount(p.event));
        });
        assertEquals(0, twin.pay(T0 + 11, 111, CREDITOR), "eleventh sender: still above");
        assertEquals(0, twin.pay(T0 - HOUR, 112, CREDITOR), "a late twelfth: still above");
        final long later = T0 + 2 * DAY;
        for (int i = 1; i <= 9; i++)
        {
            assertEquals(0, twin.pay(later + i, 200 + i, CREDITOR));
        }
        assertEquals(1, twin.pay(later + 10, 210, CREDITOR));
    }

    /**
     * One rule runs uninterrupted beside another read back from its own state every 97 payments, late ones
     * included: the same alerts, and the same bytes at every restore, as the bytes depend only on the state.
     */
    @Test
    void stateReadBackAtAnyPointDecidesAsTheOriginal()
    {
        stateReadBackAtAnyPointDecidesAsTheOriginal(0, 10);
        // with the baseline these three creditors soon rise above their usual no more, but the state holds it
        stateReadBackAtAnyPointDecidesAsTheOriginal(150, 0);
    }

    private static void stateReadBackAtAnyPointDecidesAsTheOriginal(final int baselinePercent, final int minAlerts)
    {
        final Supplier<Rule> factory =
            () -> new FanInRule(new FanInRule.Parameters(10, baselinePercent, 6 * HOUR, 12, Severity.MEDIUM, 600));
        final Payer original = new Payer(factory.get());
        Payer restored = new Payer(factory.get());
        int alerts = 0;
        for (int k = 0; k < 20_000; k++)
        {
            if (k % 97 == 0)
            {
                restored = restored.restored(factory.get());
                assertArrayEquals(stateOf(original.rule), stateOf(restored.rule), "state at " + k);
            }
            final long time = T0 + k * 10 * MINUTE - (mix(k * 8 + 5) % 7 == 0 ? 4 * HOUR : 0);
            final long debtor = 1 + mix(k * 8) % 40;
            final long creditor = 1000 + mix(k * 8 + 7) % 3;
            alerts += original.pay(time, debtor, creditor);
            restored.pay(time, debtor, creditor);
            assertEquals(original.alerts(), restored.alerts(), "payment " + k);
        }
        assertTrue(alerts > minAlerts, "alerts raised: " + alerts);
    }

    /**
     * A collector paid by 20 different payers every weekday and by nobody at weekends falls to 0 senders each
     * Saturday and crosses 10 again each Monday: four weeks of Mondays. Without a baseline each crossing alerts; with
     * the default one only the first week does, as its busiest recent day (20) sets the bar at 40 from then on.
     * A quiet account with one or two payers a day that is suddenly paid by 10 still alerts.
     */
    @Test
    void aBaselineStopsACollectorAlertingEveryWeekButNotAQuietAccountWithASuddenCrowd()
    {
        final long collector = 900_100;
        final long quiet = 900_200;
        // 1970-01-01 was a Thursday: day numbers that are 4 modulo 7 are Mondays
        final long firstDay = Math.floorDiv(T0, DAY);
        final long monday = (firstDay + Math.floorMod(4 - firstDay, 7)) * DAY;
        assertEquals(4, Math.floorMod(Math.floorDiv(monday, DAY), 7), "a Monday");
        final int[] alerts = new int[2];
        final int[] quietAlerts = new int[2];
        final int[] percents = { 0, FanInRule.Parameters.DEFAULTS.baselinePercent() };
        for (int p = 0; p < 2; p++)
        {
            final Payer payer = new Payer(new FanInRule(new FanInRule.Parameters(
                10, percents[p], DAY, 64, Severity.MEDIUM, 600)));
            for (int day = 0; day < 28; day++)
            {
                final long start = monday + day * DAY;
                if (day % 7 < 5)
                {
                    for (int k = 0; k < 20; k++)
                    {
                        alerts[p] += payer.pay(start + HOUR + k * MINUTE, 10_000 + day * 20 + k, collector);
                    }
                }
                // the quiet account: a payer or two a day for three weeks, then ten in one day
                final int payers = day < 21 ? 1 + day % 2 : (day == 21 ? 10 : 0);
                for (int k = 0; k < payers; k++)
                {
                    quietAlerts[p] += payer.pay(start + 2 * HOUR + k * MINUTE, 50_000 + day * 20 + k, quiet);
                }
            }
        }
        assertEquals(4, alerts[0], "without a baseline: every Monday");
        assertEquals(1, alerts[1], "with it: the first week only");
        assertEquals(1, quietAlerts[0]);
        assertEquals(1, quietAlerts[1], "a quiet account's usual is low: ten still alerts");
    }

    @Test
    void refusesStateItCannotHaveWrittenAndKeepsItsOwn()
    {
        final Supplier<Rule> factory = () -> new FanInRule(new FanInRule.Parameters(3, 0, DAY, 4, Severity.LOW, 100));
        final Payer p = new Payer(factory.get());
        p.pay(T0, 1, 900_001);
        p.pay(T0 + 1, 2, 900_001);
        p.pay(T0 + 2, 3, 900_002);
        // count | 900001 newest period peaks current-peak size (1 t o) (2 t o) | 900002 newest period peaks ...
        final byte[] bytes = stateOf(p.rule);
        assertEquals(4 + 2 * 40 + 3 * 24, bytes.length);
        assertEquals(900_001, new UnsafeBuffer(bytes).getLong(4, ByteOrder.LITTLE_ENDIAN), "in ascending order");

        final Rule target = factory.get();
        read(target, bytes);
        final byte[] before = stateOf(target);
        assertEveryTruncationRefused(() -> target, bytes);
        assertRefused(target, withInt(bytes, 0, -1), "a negative count of accounts");
        assertRefused(target, withInt(bytes, 0, Integer.MAX_VALUE), "more accounts than there are bytes for");
        assertRefused(target, withInt(bytes, 40, 5), "more senders than maxSendersTracked");
        assertRefused(target, withInt(bytes, 36, -1), "a negative peak");
        assertRefused(target, withLong(bytes, 68, 1), "a sender twice");
        assertRefused(target, withLong(bytes, 44, 900_001), "the account in its own window");
        assertRefused(target, withLong(bytes, 4, 900_003), "accounts out of order");
        assertArrayEquals(before, stateOf(target), "refused bytes leave the rule as it was");
        assertArrayEquals(bytes, stateOf(restored(target, factory.get())));
    }

    @Test
    void defaultsAreDocumented()
    {
        final FanInRule.Parameters p = FanInRule.Parameters.DEFAULTS;
        assertEquals(10, p.minSenders());
        assertEquals(DAY, p.windowNanos());
        assertEquals(64, p.maxSendersTracked());
        assertEquals(8, rule.id());
        assertEquals("fan-in", rule.name());
        assertTrue(rule.version() <= AlertIds.MAX_RULE_VERSION);
    }

    @Test
    void firesAtTheTenthDistinctSenderAndIsSilentAtNine()
    {
        for (int i = 1; i <= 9; i++)
        {
            assertEquals(0, alertCount(pay(T0 + i * MINUTE, 100 + i, CREDITOR)), "sender " + i);
        }
        final AlertRecord alert = onlyAlert(pay(T0 + 10 * MINUTE, 110, CREDITOR));
        assertEquals(CREDITOR, alert.account());
        assertEquals(FanInRule.ID, alert.ruleId());
        assertEquals(Severity.MEDIUM, alert.severity());
        assertEquals(600, alert.score());
        assertEquals(9, alert.triggeringOffset());
        assertEquals(9, alert.evidence(0), "triggering payment first");
        assertArrayEquals(sorted(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), sorted(evidence(alert)));

        final String reason = alert.reason().toString();
        assertTrue(reason.contains("account 900001"), reason);
        assertTrue(reason.contains("10 distinct senders"), reason);
        assertTrue(reason.contains("1 d"), reason);
        assertTrue(reason.contains("threshold 10"), reason);
        assertTrue(reason.contains("100.00 EUR"), reason);
        assertTrue(reason.contains("from account 110"), reason);
    }

    @Test
    void evidenceFollowsTheOrderOfEachSendersLatestPayment()
    {
        final FanInRule three = new FanInRule(new FanInRule.Parameters(3, 0, DAY, 8, Severity.MEDIUM, 600));
        final RuleWorker w = worker(0, 1, three);
        final TxEvent e = new TxEvent(1, 8);
        w.evaluate(payment(e, 0, T0, 101, CREDITOR, 1));
        w.evaluate(payment(e, 1, T0 + 1, 102, CREDITOR, 1));
        w.evaluate(payment(e, 2, T0 + 2, 101, CREDITOR, 1));
        w.evaluate(payment(e, 3, T0 + 3, 103, CREDITOR, 1));
        assertArrayEquals(new long[]{ 3, 1, 2 }, evidence(onlyAlert(e)),
            "triggering payment, then 102's, then 101's latest: the order does not depend on 101's first payment");
        assertEquals(DAY, three.horizonNanos(), "no baseline: the window");
    }

    @Test
    void countsDistinctSendersNotPayments()
    {
        for (int round = 0; round < 20; round++)
        {
            for (int s = 1; s <= 9; s++)
            {
                assertEquals(0, alertCount(pay(T0 + round * MINUTE + s, 100 + s, CREDITOR)));
            }
        }
        assertEquals(1, alertCount(pay(T0 + HOUR, 110, CREDITOR)), "a tenth distinct sender");
    }

    @Test
    void alertsOnceAtTheCrossingAndAgainAfterFallingBelow()
    {
        for (int i = 1; i <= 10; i++)
        {
            pay(T0 + i, 100 + i, CREDITOR);
        }
        assertEquals(1, alertCount(event));
        assertEquals(0, alertCount(pay(T0 + 11, 111, CREDITOR)), "eleventh sender: still above, no new alert");
        assertEquals(0, alertCount(pay(T0 + 12, 101, CREDITOR)), "a known sender again");

        // a day later the window holds only the new senders: count falls below and crosses again
        final long later = T0 + 2 * DAY;
        for (int i = 1; i <= 9; i++)
        {
            assertEquals(0, alertCount(pay(later + i, 200 + i, CREDITOR)));
        }
        assertEquals(1, alertCount(pay(later + 10, 210, CREDITOR)));
    }

    @Test
    void aSenderExactlyOneWindowOldIsOutsideAndOneNanosecondYoungerIsInside()
    {
        pay(T0, 101, CREDITOR);
        for (int i = 2; i <= 9; i++)
        {
            pay(T0 + i * MINUTE, 100 + i, CREDITOR);
        }
        assertEquals(0, alertCount(pay(T0 + DAY, 110, CREDITOR)), "sender 101 at exactly 24 h ago no longer counts");

        final FanInRule other = new FanInRule(NO_BASELINE);
        final RuleWorker otherWorker = worker(0, 1, other);
        final TxEvent e = new TxEvent(1, 8);
        otherWorker.evaluate(payment(e, 0, T0, 101, CREDITOR, 1));
        for (int i = 2; i <= 9; i++)
        {
            otherWorker.evaluate(payment(e, i, T0 + i * MINUTE, 100 + i, CREDITOR, 1));
        }
        otherWorker.evaluate(payment(e, 10, T0 + DAY - 1, 110, CREDITOR, 1));
        assertEquals(1, alertCount(e), "sender 101 at 24 h - 1 ns ago still counts");
    }

    @Test
    void aRepeatedSenderStaysInTheWindowFromItsLatestPayment()
    {
        pay(T0, 101, CREDITOR);
        for (int i = 2; i <= 9; i++)
        {
            pay(T0 + 2 * HOUR, 100 + i, CREDITOR);
        }
        pay(T0 + HOUR, 101, CREDITOR);
        final AlertRecord alert = onlyAlert(pay(T0 + DAY + 30 * MINUTE, 110, CREDITOR));
        assertArrayEquals(sorted(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), sorted(evidence(alert)),
            "the latest payment of sender 101 is the evidence, its first one left the window");
    }

    @Test
    void fullWindowDropsTheOldestSenderAndCountsIt()
    {
        final FanInRule small = new FanInRule(new FanInRule.Parameters(3, 0, DAY, 3, Severity.LOW, 100));
        final RuleWorker w = worker(0, 1, small);
        final TxEvent e = new TxEvent(1, 8);
        w.evaluate(payment(e, 0, T0, 1, CREDITOR, 1));
        w.evaluate(payment(e, 1, T0 + 1, 2, CREDITOR, 1));
        w.evaluate(payment(e, 2, T0 + 2, 3, CREDITOR, 1));
        assertEquals(1, alertCount(e));
        assertEquals(0, small.droppedEntries());
        w.evaluate(payment(e, 3, T0 + 3, 4, CREDITOR, 1));
        assertEquals(1, small.droppedEntries(), "sender 1 dropped");
        assertEquals(0, alertCount(e), "still at 3, no new crossing");
    }

    @Test
    void lateEventsCountAgainstTheWindowAsItStandsAndAreCounted()
    {
        for (int i = 1; i <= 9; i++)
        {
            pay(T0 + HOUR + i, 100 + i, CREDITOR);
        }
        assertEquals(1, alertCount(pay(T0 + HOUR - MINUTE, 110, CREDITOR)), "late but inside the window");
        assertEquals(1, rule.lateEvents());
        assertEquals(0, alertCount(pay(T0 - 2 * DAY, 111, CREDITOR)), "late and outside the window: ignored");
    }

    @Test
    void ignoresSelfPaymentsAndOtherTemplates()
    {
        for (int i = 1; i <= 9; i++)
        {
            pay(T0 + i, 100 + i, CREDITOR);
        }
        assertEquals(0, alertCount(pay(T0 + 20, CREDITOR, CREDITOR)));
        payment(event, offset++, T0 + 21, 110, CREDITOR, 1);
        event.templateId = OrderDecoder.TEMPLATE_ID;
        worker.evaluate(event);
        assertEquals(0, alertCount(event));
        assertEquals(1, alertCount(pay(T0 + 22, 110, CREDITOR)));
    }

    @Test
    void onlyTheWorkerOwningTheCreditorKeepsStateAndRaises()
    {
        final long creditor = ownedBy(1, 2, CREDITOR);
        final FanInRule rule0 = new FanInRule(NO_BASELINE);
        final FanInRule rule1 = new FanInRule(NO_BASELINE);
        final RuleWorker w0 = worker(0, 2, rule0);
        final RuleWorker w1 = worker(1, 2, rule1);
        final TxEvent e = new TxEvent(2, 8);
        for (int i = 1; i <= 10; i++)
        {
            payment(e, i, T0 + i, 100 + i, creditor, 1);
            w0.evaluate(e);
            w1.evaluate(e);
        }
        assertEquals(0, e.alerts(0).count());
        assertEquals(1, e.alerts(1).count());
        assertEquals(creditor, e.alerts(1).get(0).account());
        assertEquals(0, rule0.trackedAccounts());
        assertEquals(1, rule1.trackedAccounts());
    }

    @Test
    void rejectsInvalidParametersNamingThem()
    {
        assertMessage("minSenders", () -> new FanInRule.Parameters(1, 0, DAY, 64, Severity.LOW, 1));
        assertMessage("baselinePercent", () -> new FanInRule.Parameters(10, -1, DAY, 64, Severity.LOW, 1));
        assertMessage("baselinePercent", () -> new FanInRule.Parameters(10, 10_001, DAY, 64, Severity.LOW, 1));
        assertMessage("windowNanos", () -> new FanInRule.Parameters(10, 0, 0, 64, Severity.LOW, 1));
        assertMessage("maxSendersTracked", () -> new FanInRule.Parameters(10, 0, DAY, 9, Severity.LOW, 1));
        assertMessage("severity", () -> new FanInRule.Parameters(10, 0, DAY, 64, null, 1));
        assertMessage("score", () -> new FanInRule.Parameters(10, 0, DAY, 64, Severity.LOW, 1001));
    }

    static void assertMessage(final String parameter, final org.junit.jupiter.api.function.Executable executable)
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, executable);
        assertTrue(ex.getMessage().contains(parameter), ex.getMessage());
    }

    @Test
    void theAllocationCheckCatchesOneAllocationPerHundredEvents()
    {
        final Object[] sink = new Object[1];
        assertThrows(
            org.opentest4j.AssertionFailedError.class,
            () -> assertSteadyStateAllocationFree(
                (n) ->
                {
                    for (int i = 0; i < n; i++)
                    {
                        if (i % 100 == 0)
                        {
                            sink[0] = new long[2];
                        }
                    }
                },
                100_000));
    }

    @Test
    void sameEventsRaiseTheSameAlerts()
    {
        final int alerts = assertDeterministic(
            () -> new FanInRule(new FanInRule.Parameters(10, 0, 6 * HOUR, 64, Severity.MEDIUM, 600)),
            (e, k) ->
            {
                payment(e, k, T0 + k * 10 * MINUTE, 1 + mix(k * 8) % 40, 1000 + mix(k * 8 + 7) % 3,
                    100 + mix(k * 8 + 3) % 1000);
            },
            20_000);
        assertTrue(alerts > 10, "alerts raised: " + alerts);
    }

    @Test
    void steadyStateAllocatesNothing()
    {
        // no baseline: these creditors cross 10 senders every cycle, which a baseline would learn as their usual
        final FanInRule hourly = new FanInRule(new FanInRule.Parameters(10, 0, HOUR, 64, Severity.MEDIUM, 600));
        final RuleWorker w = worker(0, 1, hourly);
        final long[] state = { T0, 0, 0 };
        // 5 creditors paid once a minute in turn; in each 24-payment cycle 12 distinct senders then one
        // repeated sender, so every creditor crosses 10 senders once per cycle and falls back below
        assertSteadyStateAllocationFree(
            (n) ->
            {
                for (int i = 0; i < n; i++)
                {
                    final long k = state[1]++;
                    final long round = (k / 5) % 24;
                    state[0] += MINUTE;
                    payment(event, k, state[0], round < 12 ? 1 + round : 1, CREDITOR + k % 5, 1_000);
                    w.evaluate(event);
                    state[2] += event.alerts(0).count();
                }
            },
            100_000);
        assertTrue(state[2] > 1000, "alerts raised: " + state[2]);
        assertEquals(5, hourly.trackedAccounts());
    }

    @Test
    void forgetsACreditorTheAccountStoreEvicts()
    {
        assertEquals(1, tenthSenderAlerts(3), "the creditor is kept: its tenth sender alerts");
        assertEquals(0, tenthSenderAlerts(2), "the creditor was evicted: its nine senders are forgotten");
    }

    /**
     * Nine senders pay CREDITOR, two other creditors are paid, then a tenth sender pays CREDITOR.
     *
     * @return alerts the tenth sender's payment raised.
     */
    private static int tenthSenderAlerts(final int maxAccounts)
    {
        final FanInRule rule = new FanInRule(NO_BASELINE);
        final RuleWorker worker = CappedWorker.of(rule, maxAccounts);
        final TxEvent event = new TxEvent(1, 8);
        long offset = 0;
        for (int i = 1; i <= 9; i++)
        {
            worker.evaluate(payment(event, offset++, T0 + i * SECOND, 100 + i, CREDITOR, 10_000));
        }
        worker.evaluate(payment(event, offset++, T0 + 10 * SECOND, 201, CREDITOR + 1, 10_000));
        worker.evaluate(payment(event, offset++, T0 + 11 * SECOND, 202, CREDITOR + 2, 10_000));
        assertEquals(maxAccounts == 2 ? 2 : 3, rule.trackedAccounts(), "creditors held");
        worker.evaluate(payment(event, offset, T0 + 12 * SECOND, 110, CREDITOR, 10_000));
        return alertCount(event);
    }

    /** A creditor's window recycled from an evicted account decides and writes as a new one, whatever it held. */
    @Test
    void aRecycledWindowIsANewOne()
    {
        RecycledStateCheck.assertRecycledObjectsAreNew(
            () -> new FanInRule(new FanInRule.Parameters(3, 0, HOUR, 4, Severity.MEDIUM, 600)),
            FanInRuleTest::randomPayment,
            FanInRuleTest::randomPayment,
            20 * MINUTE,
            (rule) -> new long[]{ rule.lateEvents(), rule.droppedEntries() });
    }

    private static void randomPayment(final TxEvent e, final Random random, final LongSupplier account)
    {
        e.creditorAccount = account.getAsLong();
        e.debtorAccount = 100 + random.nextInt(8);
        e.amount = 1 + random.nextInt(10_000);
        e.currency = EUR;
    }
}
