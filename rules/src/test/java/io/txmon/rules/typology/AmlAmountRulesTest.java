package io.txmon.rules.typology;

import com.lmax.disruptor.EventPoller;
import com.lmax.disruptor.RingBuffer;
import io.txmon.events.codec.OrderDecoder;
import io.txmon.events.codec.PaymentDecoder;
import io.txmon.events.codec.Severity;
import io.txmon.rules.AlertIds;
import io.txmon.rules.AlertRecord;
import io.txmon.rules.Rule;
import io.txmon.rules.RuleContext;
import io.txmon.rules.RuleWorker;
import io.txmon.rules.TxEvent;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.management.ManagementFactory;
import java.nio.ByteOrder;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.function.Supplier;

import static io.txmon.rules.typology.RuleStateSupport.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The aml-amounts typologies (ids 2 to 7), driven through {@link RuleWorker#evaluate}, the public route the
 * live worker and replay take.
 */
class AmlAmountRulesTest
{
    static final int EUR = 978;
    static final long SECOND = 1_000_000_000L;
    static final long MINUTE = 60 * SECOND;
    static final long HOUR = 60 * MINUTE;
    static final long DAY = 24 * HOUR;
    static final long T0 = 1_700_000_000L * SECOND;
    static final long A = 555_001L;
    static final long B = 555_002L;

    /**
     * Rule instances, one per worker, and one slot refilled for every payment like a ring slot.
     */
    /**
     * Fill a slot with a payment: the harness's, and any test's that drives workers of its own.
     *
     * @return the slot, reset (its alerts too) and filled.
     */
    static TxEvent payment(final TxEvent e, final long offset, final long time, final long debtor, final long amount)
    {
        e.reset();
        e.offset = offset;
        e.templateId = PaymentDecoder.TEMPLATE_ID;
        e.producerId = 1;
        e.producerSeq = offset;
        e.eventTime = time;
        e.txId = 1_000_000 + offset;
        e.debtorAccount = debtor;
        e.creditorAccount = 900_000 + offset;
        e.amount = amount;
        e.currency = EUR;
        return e;
    }

    static final class Harness
    {
        final Rule[] rules;
        final RuleWorker[] workers;
        final TxEvent event;
        long nextOffset;

        Harness(final Rule rule)
        {
            this(1, w -> rule);
        }

        Harness(final int workerCount, final IntFunction<Rule> factory)
        {
            final RingBuffer<TxEvent> ring = RingBuffer.createSingleProducer(() -> new TxEvent(workerCount, 8), 4);
            final EventPoller<TxEvent> poller = ring.newPoller();
            final CountersManager counters = new CountersManager(
                new UnsafeBuffer(new byte[16 * 1024]), new UnsafeBuffer(new byte[2 * 1024]));
            final AtomicCounter evaluated = counters.newCounter("evaluated");
            final AtomicCounter errors = counters.newCounter("rule errors");
            rules = new Rule[workerCount];
            workers = new RuleWorker[workerCount];
            for (int w = 0; w < workerCount; w++)
            {
                rules[w] = factory.apply(w);
                workers[w] = new RuleWorker(
                    w,
                    workerCount,
                    poller,
                    new Rule[]{ rules[w] },
                    (rule, offset, error) ->
                    {
                        throw new AssertionError(rule.name() + " threw at offset " + offset, error);
                    },
                    evaluated,
                    errors,
                    1024);
            }
            event = new TxEvent(workerCount, 8);
        }

        /**
         * Fill the slot with the next payment and run every worker on it.
         *
         * @return the offset of the payment.
         */
        long pay(final long time, final long debtor, final long amount)
        {
            final long offset = nextOffset++;
            payment(event, offset, time, debtor, amount);
            evaluate();
            return offset;
        }

        /**
         * @param into a new instance of the one rule, with the same parameters.
         * @return a harness going on from the same offset with that instance, its state read from this one's rule.
         */
        Harness restored(final Rule into)
        {
            final Harness restored = new Harness(RuleStateSupport.restored(rules[0], into));
            restored.nextOffset = nextOffset;
            return restored;
        }

        /**
         * @return every alert raised for the current slot, field by field, one line each.
         */
        String describeAlerts()
        {
            return RuleStateSupport.describeAlerts(event, workers.length);
        }

        void evaluate()
        {
            for (final RuleWorker worker : workers)
            {
                worker.evaluate(event);
            }
        }

        /**
         * @return alerts raised for the current slot, by every worker.
         */
        int alerts()
        {
            int count = 0;
            for (int w = 0; w < workers.length; w++)
            {
                count += event.alerts(w).count();
            }
            return count;
        }

        /**
         * @return the one alert raised for the current slot.
         */
        AlertRecord alert()
        {
            assertEquals(1, alerts(), "exactly one alert");
            for (int w = 0; w < workers.length; w++)
            {
                if (event.alerts(w).count() > 0)
                {
                    return event.alerts(w).get(0);
                }
            }
            throw new AssertionError();
        }

        int alertingWorker()
        {
            for (int w = 0; w < workers.length; w++)
            {
                if (event.alerts(w).count() > 0)
                {
                    return w;
                }
            }
            return -1;
        }
    }

    /**
     * Run {@code history} through a rule, read its state into a new instance, and run {@code next} through both:
     * they must raise the same alerts, field by field.
     *
     * @return the alerts the original raised on the last payment of {@code next}.
     */
    static int assertSameAfterRestore(
        final Supplier<Rule> factory, final Consumer<Harness> history, final Consumer<Harness> next)
    {
        final Harness original = new Harness(factory.get());
        history.accept(original);
        final Harness restored = original.restored(factory.get());
        next.accept(original);
        next.accept(restored);
        assertEquals(original.describeAlerts(), restored.describeAlerts());
        assertArrayEquals(stateOf(original.rules[0]), stateOf(restored.rules[0]), "the same state after");
        return original.alerts();
    }

    static long[] evidence(final AlertRecord alert)
    {
        final long[] offsets = new long[alert.evidenceCount()];
        for (int i = 0; i < offsets.length; i++)
        {
            offsets[i] = alert.evidence(i);
        }
        return offsets;
    }

    static long[] range(final long from, final long to)
    {
        final long[] offsets = new long[(int)(to - from)];
        for (int i = 0; i < offsets.length; i++)
        {
            offsets[i] = from + i;
        }
        return offsets;
    }

    static void assertAlert(
        final AlertRecord alert,
        final Rule rule,
        final long account,
        final long triggeringOffset,
        final long[] evidence,
        final String... reasonParts)
    {
        assertEquals(rule.id(), alert.ruleId());
        assertEquals(rule.version(), alert.ruleVersion());
        assertEquals(AlertIds.alertId(rule.id(), rule.version(), triggeringOffset), alert.alertId());
        assertEquals(triggeringOffset, alert.triggeringOffset());
        assertEquals(account, alert.account());
        assertArrayEquals(evidence, evidence(alert), "evidence offsets");
        final String reason = alert.reason().toString();
        assertFalse(alert.reason().isTruncated(), reason);
        for (final String part : reasonParts)
        {
            assertTrue(reason.contains(part), "reason [" + reason + "] should contain [" + part + "]");
        }
    }

    static void assertRejected(final String parameter, final Executable executable)
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, executable);
        assertTrue(ex.getMessage().contains(parameter), ex.getMessage());
    }

    /**
     * Two workers, many debtors: exactly the owner of each debtor raises, and the other keeps no state.
     */
    static void assertOnlyOwnerRaises(final IntFunction<Rule> factory, final long[] amounts, final long step)
    {
        final Harness h = new Harness(2, factory);
        for (long debtor = 1; debtor <= 200; debtor++)
        {
            for (int i = 0; i < amounts.length; i++)
            {
                h.pay(T0 + debtor * DAY * 100 + i * step, debtor, amounts[i]);
                if (i < amounts.length - 1)
                {
                    assertEquals(0, h.alerts(), "debtor " + debtor + " payment " + i);
                }
            }
            final AlertRecord alert = h.alert();
            assertEquals(debtor, alert.account());
            assertEquals(RuleContext.partition(debtor, 2), h.alertingWorker(), "owner of " + debtor + " raises");
        }
    }

    static Rule newRule(final int id)
    {
        switch (id)
        {
            case LargeVersusHistoryRule.ID:
                return new LargeVersusHistoryRule(LargeVersusHistoryRule.Parameters.defaults());
            case VelocityCountRule.ID:
                return new VelocityCountRule(VelocityCountRule.Parameters.defaults());
            case VelocitySumRule.ID:
                return new VelocitySumRule(VelocitySumRule.Parameters.defaults());
            case StructuringRule.ID:
                return new StructuringRule(StructuringRule.Parameters.defaults());
            case RepeatedAmountRule.ID:
                return new RepeatedAmountRule(RepeatedAmountRule.Parameters.defaults());
            case RoundAmountRule.ID:
                return new RoundAmountRule(RoundAmountRule.Parameters.defaults());
            default:
                throw new IllegalArgumentException("rule " + id);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = { 2, 3, 4, 5, 6, 7 })
    void steadyStateAllocatesNothing(final int ruleId)
    {
        final Rule rule = newRule(ruleId);
        final Harness h = new Harness(rule);
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();

        assertTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());

        final int events = 100_000;
        final long[] time = { T0 };
        int warmupAlerts = drive(h, events, time);
        warmupAlerts += drive(h, events, time);
        assertTrue(warmupAlerts > 0, "traffic exercises the alert path of " + rule.name());

        threads.getCurrentThreadAllocatedBytes();
        final long before = threads.getCurrentThreadAllocatedBytes();
        final int alerts = drive(h, events, time);
        final long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertTrue(alerts > 0, rule.name() + " raised alerts while measured");
        assertTrue(allocated < 1024, rule.name() + " allocated " + allocated + " bytes for " + events + " events");
    }

    @ParameterizedTest
    @ValueSource(ints = { 2, 3, 4, 5, 6, 7 })
    void sameEventsGiveTheSameAlerts(final int ruleId)
    {
        final Harness first = new Harness(newRule(ruleId));
        final Harness second = new Harness(newRule(ruleId));
        long time = T0;
        int alerts = 0;
        for (int i = 0; i < 20_000; i++)
        {
            final long amount = i % 50 == 49 ? 90_000_000L : (i % 3 == 0 ? 950_000L : 600_000L + (i & 1));
            time += (i % 7 == 3) ? -5 * SECOND : SECOND;
            first.pay(time, 1 + (i & 63), amount);
            second.pay(time, 1 + (i & 63), amount);
            assertEquals(first.alerts(), second.alerts(), "event " + i);
            if (first.alerts() > 0)
            {
                final AlertRecord a = first.alert();
                final AlertRecord b = second.alert();
                assertEquals(a.alertId(), b.alertId());
                assertEquals(a.score(), b.score());
                assertArrayEquals(evidence(a), evidence(b));
                assertEquals(a.reason().toString(), b.reason().toString());
                alerts++;
            }
        }
        assertTrue(alerts > 0);
    }

    @ParameterizedTest
    @ValueSource(ints = { 2, 3, 4, 5, 6, 7 })
    void readsPaymentsOnlyAndSnapshots(final int ruleId)
    {
        final Rule rule = newRule(ruleId);
        assertEquals(Rule.PAYMENT, rule.templates());
        assertTrue(rule.snapshots());
        assertArrayEquals(new byte[]{ 0, 0, 0, 0 }, stateOf(rule), "no account yet: a count of 0");
    }

    /**
     * One rule runs uninterrupted beside another that is read back from its own state every 97 payments: the same
     * alerts, and the same bytes at every restore, as the bytes depend only on the state.
     */
    @ParameterizedTest
    @ValueSource(ints = { 2, 3, 4, 5, 6, 7 })
    void stateReadBackAtAnyPointDecidesAsTheOriginal(final int ruleId)
    {
        final Harness original = new Harness(newRule(ruleId));
        Harness restored = new Harness(newRule(ruleId));
        long time = T0;
        int alerts = 0;
        for (int i = 0; i < 20_000; i++)
        {
            if (i % 97 == 0)
            {
                restored = restored.restored(newRule(ruleId));
                assertArrayEquals(stateOf(original.rules[0]), stateOf(restored.rules[0]), "state at " + i);
            }
            final long amount = i % 50 == 49 ? 90_000_000L : (i % 3 == 0 ? 950_000L : 600_000L + (i & 1));
            time += (i % 7 == 3) ? -5 * SECOND : (i % 1000 == 999 ? 3 * DAY : 10 * SECOND);
            original.pay(time, 1 + (i & 7), amount);
            restored.pay(time, 1 + (i & 7), amount);
            assertEquals(original.describeAlerts(), restored.describeAlerts(), "payment " + i);
            alerts += original.alerts();
        }
        assertTrue(alerts > 20, "alerts raised: " + alerts);
    }

    @ParameterizedTest
    @ValueSource(ints = { 2, 3, 4, 5, 6, 7 })
    void refusesStateItCannotHaveWrittenAndKeepsItsOwn(final int ruleId)
    {
        final Harness h = new Harness(newRule(ruleId));
        for (int i = 0; i < 12; i++)
        {
            h.pay(T0 + i * SECOND, 1 + (i & 1), i % 3 == 0 ? 950_000L : 600_000L);
        }
        final byte[] bytes = stateOf(h.rules[0]);
        assertEquals(2, new UnsafeBuffer(bytes).getInt(0, ByteOrder.LITTLE_ENDIAN), "two debtors");
        final long firstDebtor = new UnsafeBuffer(bytes).getLong(4, ByteOrder.LITTLE_ENDIAN);
        assertEquals(1, firstDebtor, "in ascending order");

        final Rule target = newRule(ruleId);
        read(target, bytes);
        final byte[] before = stateOf(target);
        assertEveryTruncationRefused(() -> target, bytes);
        assertRefused(target, withInt(bytes, 0, -1), "a negative count of accounts");
        assertRefused(target, withInt(bytes, 0, Integer.MAX_VALUE), "more accounts than there are bytes for");
        assertRefused(target, withInt(bytes, 4 + 8 + 8, 1 << 20), "a window above the rule's capacity");
        assertRefused(target, withLong(bytes, 4, 3), "accounts out of order");
        assertArrayEquals(before, stateOf(target), "refused bytes leave the rule as it was");
    }

    /**
     * Mixed traffic from 64 debtors, one payment a second: near-threshold, round, repeated, and now and
     * then a very large payment, so every typology alerts.
     */
    private static int drive(final Harness h, final int events, final long[] time)
    {
        int alerts = 0;
        for (int i = 0; i < events; i++)
        {
            final long amount = i % 50 == 49 ? 90_000_000L : (i % 3 == 0 ? 950_000L : 600_000L + (i & 1));
            time[0] += SECOND;
            h.pay(time[0], 1 + (i & 63), amount);
            alerts += h.alerts();
        }
        return alerts;
    }

    @Nested
    class VelocityCount
    {
        final VelocityCountRule rule = new VelocityCountRule(VelocityCountRule.Parameters.defaults());
        final Harness h = new Harness(rule);

        @Test
        void aSnapshotOneShortOfTheCountAlertsOnTheSamePaymentAtTheWindowEdge()
        {
            final Supplier<Rule> factory = () -> new VelocityCountRule(VelocityCountRule.Parameters.defaults());
            final Consumer<Harness> nineteen = s ->
            {
                for (int i = 0; i < 19; i++)
                {
                    s.pay(T0 + i * MINUTE, A, 10_000);
                }
            };
            assertEquals(1, assertSameAfterRestore(factory, nineteen, s -> s.pay(T0 + HOUR - 1, A, 10_000)));
            assertEquals(0, assertSameAfterRestore(factory, nineteen, s -> s.pay(T0 + HOUR, A, 10_000)),
                "the first payment is exactly one window old");
        }

        @Test
        void aSnapshotAfterAnAlertKeepsTheClockALatePaymentIsStoredAt()
        {
            final int alerts = assertSameAfterRestore(
                () -> new VelocityCountRule(VelocityCountRule.Parameters.defaults()),
                s ->
                {
                    for (int i = 0; i < 20; i++)
                    {
                        s.pay(T0 + i * MINUTE, A, 10_000);
                    }
                    assertEquals(1, s.alerts(), "the window is emptied, its clock at 19 minutes kept");
                },
                s ->
                {
                    s.pay(T0 - DAY, A, 10_000);
                    for (int i = 0; i < 19; i++)
                    {
                        s.pay(T0 + 20 * MINUTE + i * SECOND, A, 10_000);
                    }
                });
            assertEquals(1, alerts, "the late payment counts at the clock, so twenty are in the window");
        }

        @Test
        void firesAtExactlyTwentyPaymentsInAnHourAndNotAtNineteen()
        {
            for (int i = 0; i < 19; i++)
            {
                h.pay(T0 + i * MINUTE, A, 1_000);
                assertEquals(0, h.alerts(), "payment " + i);
            }
            final long offset = h.pay(T0 + 19 * MINUTE, A, 2_500);
            final AlertRecord alert = h.alert();
            assertAlert(alert, rule, A, offset, range(0, 20),
                "20 payments", "account " + A, "within 1 h", "threshold of 20", "25.00 EUR");
            assertEquals(Severity.MEDIUM, alert.severity());
            assertEquals(VelocityCountRule.SCORE, alert.score());
        }

        @Test
        void aPaymentExactlyOneWindowOldNoLongerCounts()
        {
            h.pay(T0, A, 1_000);
            for (int i = 1; i < 20; i++)
            {
                h.pay(T0 + HOUR, A, 1_000);
                assertEquals(0, h.alerts(), "payment " + i + ": the first is an hour old, outside the window");
            }
            final long offset = h.pay(T0 + HOUR, A, 1_000);
            assertAlert(h.alert(), rule, A, offset, range(1, 21));
        }

        @Test
        void aPaymentOneNanosecondInsideTheWindowCounts()
        {
            h.pay(T0, A, 1_000);
            for (int i = 1; i < 19; i++)
            {
                h.pay(T0 + HOUR - 1, A, 1_000);
            }
            assertEquals(0, h.alerts());
            final long offset = h.pay(T0 + HOUR - 1, A, 1_000);
            assertAlert(h.alert(), rule, A, offset, range(0, 20));
        }

        @Test
        void eachPaymentSupportsOneAlert()
        {
            for (int i = 0; i < 20; i++)
            {
                h.pay(T0 + i * SECOND, A, 1_000);
            }
            assertEquals(1, h.alerts());
            for (int i = 20; i < 39; i++)
            {
                h.pay(T0 + i * SECOND, A, 1_000);
                assertEquals(0, h.alerts(), "payment " + i);
            }
            final long offset = h.pay(T0 + 39 * SECOND, A, 1_000);
            assertAlert(h.alert(), rule, A, offset, range(20, 40));
        }

        @Test
        void countsPerDebtor()
        {
            for (int i = 0; i < 19; i++)
            {
                h.pay(T0 + i * SECOND, A, 1_000);
                h.pay(T0 + i * SECOND, B, 1_000);
            }
            assertEquals(0, h.alerts());
            assertEquals(2, rule.accounts());
            h.pay(T0 + 20 * SECOND, B, 1_000);
            assertEquals(B, h.alert().account());
        }

        @Test
        void lateEventIsCountedAndEvaluatedAgainstTheWindowAsItStands()
        {
            for (int i = 0; i < 19; i++)
            {
                h.pay(T0 + DAY, A, 1_000);
            }
            final long offset = h.pay(T0, A, 1_000);
            assertAlert(h.alert(), rule, A, offset, range(0, 20));
            assertEquals(1, rule.lateEvents());
        }

        @Test
        void ignoresOtherTemplatesAndNonPositiveAmounts()
        {
            for (int i = 0; i < 30; i++)
            {
                h.pay(T0, A, i % 2 == 0 ? 0 : -5);
                assertEquals(0, h.alerts());
                h.event.templateId = OrderDecoder.TEMPLATE_ID;
                h.event.amount = 1_000;
                h.evaluate();
                assertEquals(0, h.alerts());
            }
            assertEquals(0, rule.accounts());
        }

        @Test
        void onlyTheDebtorsOwnerRaises()
        {
            final long[] amounts = new long[20];
            java.util.Arrays.fill(amounts, 1_000);
            assertOnlyOwnerRaises(w -> new VelocityCountRule(VelocityCountRule.Parameters.defaults()), amounts, SECOND);
        }

        @Test
        void validatesParameters()
        {
            assertRejected("minCount", () -> new VelocityCountRule.Parameters(0, HOUR, 64, Severity.LOW));
            assertRejected("windowNanos", () -> new VelocityCountRule.Parameters(20, 0, 64, Severity.LOW));
            assertRejected("capacity", () -> new VelocityCountRule.Parameters(20, HOUR, 19, Severity.LOW));
            assertRejected("capacity", () -> new VelocityCountRule.Parameters(20, HOUR, 1025, Severity.LOW));
            assertRejected("severity", () -> new VelocityCountRule.Parameters(20, HOUR, 64, null));
            assertRejected("parameters", () -> new VelocityCountRule(null));
            assertEquals(20, VelocityCountRule.Parameters.defaults().minCount());
            assertEquals(HOUR, VelocityCountRule.Parameters.defaults().windowNanos());
        }
    }

    @Nested
    class VelocitySum
    {
        final VelocitySumRule rule = new VelocitySumRule(VelocitySumRule.Parameters.defaults());
        final Harness h = new Harness(rule);

        @Test
        void aSnapshotOneMinorUnitShortAlertsOnTheSamePaymentAtTheWindowEdge()
        {
            final Supplier<Rule> factory = () -> new VelocitySumRule(VelocitySumRule.Parameters.defaults());
            final Consumer<Harness> history = s ->
            {
                s.pay(T0, A, 2_500_000);
                s.pay(T0 + HOUR, A, 2_499_999);
            };
            assertEquals(1, assertSameAfterRestore(factory, history, s -> s.pay(T0 + DAY - 1, A, 1)));
            assertEquals(0, assertSameAfterRestore(factory, history, s -> s.pay(T0 + DAY, A, 1)));
            assertEquals(0, assertSameAfterRestore(factory, history, s -> s.pay(T0 + HOUR, B, 1)), "per debtor");
        }

        @Test
        void firesAtExactlyTheThresholdAndNotOneMinorUnitBelow()
        {
            for (int i = 0; i < 4; i++)
            {
                h.pay(T0 + i * HOUR, A, 1_000_000);
            }
            h.pay(T0 + 4 * HOUR, A, 999_999);
            assertEquals(0, h.alerts(), "4,999,999 is below the threshold");
            final long offset = h.pay(T0 + 5 * HOUR, A, 1);
            final AlertRecord alert = h.alert();
            assertAlert(alert, rule, A, offset, range(0, 6),
                "6 payments", "account " + A, "sum to 50000.00 EUR", "within 1 d", "threshold of 50000.00 EUR");
            assertEquals(500, alert.score());
            assertEquals(Severity.HIGH, alert.severity());
        }

        @Test
        void scoreGrowsToOneThousandAtTwiceTheThreshold()
        {
            h.pay(T0, A, 7_500_000);
            assertEquals(750, h.alert().score());
            h.pay(T0, B, 10_000_000);
            assertEquals(1000, h.alert().score());
            h.pay(T0, 3, Long.MAX_VALUE);
            assertEquals(1000, h.alert().score());
        }

        @Test
        void aPaymentExactlyOneWindowOldNoLongerCounts()
        {
            h.pay(T0, A, 4_000_000);
            h.pay(T0 + DAY, A, 1_000_000);
            assertEquals(0, h.alerts());
            final long offset = h.pay(T0 + DAY + 1, A, 4_000_000);
            assertAlert(h.alert(), rule, A, offset, new long[]{ 1, 2 });
        }

        @Test
        void aPaymentOneNanosecondInsideTheWindowCounts()
        {
            h.pay(T0, A, 4_000_000);
            final long offset = h.pay(T0 + DAY - 1, A, 1_000_000);
            assertAlert(h.alert(), rule, A, offset, new long[]{ 0, 1 });
        }

        @Test
        void sumsPerDebtorAndEmptiesAfterAnAlert()
        {
            h.pay(T0, A, 4_000_000);
            h.pay(T0, B, 4_000_000);
            assertEquals(0, h.alerts());
            h.pay(T0, A, 1_000_000);
            assertEquals(A, h.alert().account());
            h.pay(T0, A, 4_999_999);
            assertEquals(0, h.alerts(), "the payments of the first alert are spent");
            h.pay(T0, B, 1_000_000);
            assertEquals(B, h.alert().account());
        }

        @Test
        void fullWindowDropsTheOldestAndCountsIt()
        {
            final VelocitySumRule small = new VelocitySumRule(
                new VelocitySumRule.Parameters(5_000_000, DAY, 4, Severity.HIGH));
            final Harness s = new Harness(small);
            for (int i = 0; i < 5; i++)
            {
                s.pay(T0 + i, A, 1_000_000);
                assertEquals(0, s.alerts(), "only the newest four are kept");
            }
            assertEquals(1, small.droppedEntries());
            final long offset = s.pay(T0 + 5, A, 2_000_000);
            assertAlert(s.alert(), small, A, offset, range(2, 6));
        }

        @Test
        void sumSaturatesInsteadOfOverflowing()
        {
            final VelocitySumRule max = new VelocitySumRule(
                new VelocitySumRule.Parameters(Long.MAX_VALUE, DAY, 8, Severity.HIGH));
            final Harness s = new Harness(max);
            s.pay(T0, A, Long.MAX_VALUE - 1);
            assertEquals(0, s.alerts());
            s.pay(T0, A, 5);
            assertEquals(A, s.alert().account());
        }

        @Test
        void lateEventIsCounted()
        {
            h.pay(T0 + DAY, A, 4_000_000);
            h.pay(T0, A, 1_000_000);
            assertEquals(A, h.alert().account());
            assertEquals(1, rule.lateEvents());
        }

        @Test
        void onlyTheDebtorsOwnerRaises()
        {
            assertOnlyOwnerRaises(
                w -> new VelocitySumRule(VelocitySumRule.Parameters.defaults()),
                new long[]{ 2_000_000, 2_000_000, 1_000_000 },
                HOUR);
        }

        @Test
        void validatesParameters()
        {
            assertRejected("threshold", () -> new VelocitySumRule.Parameters(0, DAY, 8, Severity.LOW));
            assertRejected("windowNanos", () -> new VelocitySumRule.Parameters(1, -1, 8, Severity.LOW));
            assertRejected("capacity", () -> new VelocitySumRule.Parameters(1, DAY, 0, Severity.LOW));
            assertRejected("severity", () -> new VelocitySumRule.Parameters(1, DAY, 8, null));
            assertEquals(5_000_000L, VelocitySumRule.Parameters.defaults().threshold());
            assertEquals(DAY, VelocitySumRule.Parameters.defaults().windowNanos());
        }
    }

    @Nested
    class Structuring
    {
        final StructuringRule rule = new StructuringRule(StructuringRule.Parameters.defaults());
        final Harness h = new Harness(rule);

        @Test
        void aSnapshotOnePaymentShortAlertsOnTheSamePaymentAtTheWindowEdge()
        {
            final Supplier<Rule> factory = () -> new StructuringRule(StructuringRule.Parameters.defaults());
            final Consumer<Harness> history = s ->
            {
                s.pay(T0, A, 950_000);
                s.pay(T0 + HOUR, A, 990_000);
                s.pay(T0 + HOUR, A, 5_000_000);
            };
            assertEquals(1, assertSameAfterRestore(factory, history, s -> s.pay(T0 + 48 * HOUR - 1, A, 900_000)));
            assertEquals(0, assertSameAfterRestore(factory, history, s -> s.pay(T0 + 48 * HOUR, A, 900_000)));
            assertEquals(0, assertSameAfterRestore(factory, history, s -> s.pay(T0 + 2 * HOUR, A, 899_999)),
                "one minor unit below the band");
        }

        @Test
        void firesOnTheThirdPaymentJustUnderTheThreshold()
        {
            assertEquals(900_000L, StructuringRule.Parameters.defaults().lowerBound());
            h.pay(T0, A, 900_000);
            h.pay(T0 + HOUR, A, 999_999);
            assertEquals(0, h.alerts(), "two are not enough");
            final long offset = h.pay(T0 + 2 * HOUR, A, 950_000);
            final AlertRecord alert = h.alert();
            assertAlert(alert, rule, A, offset, range(0, 3),
                "3 payments", "account " + A, "threshold of 10000.00 EUR", "from 9000.00 EUR", "within 2 d",
                "total 28499.99 EUR");
            assertEquals(StructuringRule.SCORE, alert.score());
            assertEquals(Severity.HIGH, alert.severity());
        }

        @Test
        void paymentsOutsideTheBandDoNotCountAndKeepNoState()
        {
            h.pay(T0, A, 900_000);
            h.pay(T0, A, 999_999);
            h.pay(T0, A, 899_999);
            h.pay(T0, A, 1_000_000);
            h.pay(T0, A, 5_000_000);
            h.pay(T0, A, 100);
            assertEquals(0, h.alerts());
            h.pay(T0, B, 899_999);
            h.pay(T0, B, 1_000_000);
            assertEquals(1, rule.accounts(), "only A made near-threshold payments");
            h.pay(T0, A, 900_000);
            assertAlert(h.alert(), rule, A, 8, new long[]{ 0, 1, 8 });
        }

        @Test
        void aPaymentExactlyOneWindowOldNoLongerCounts()
        {
            h.pay(T0, A, 950_000);
            h.pay(T0 + HOUR, A, 950_000);
            h.pay(T0 + 2 * DAY, A, 950_000);
            assertEquals(0, h.alerts());
            final long offset = h.pay(T0 + 2 * DAY + HOUR - 1, A, 950_000);
            assertAlert(h.alert(), rule, A, offset, new long[]{ 1, 2, 3 });
        }

        @Test
        void paymentsMustTogetherExceedTheThreshold()
        {
            final StructuringRule wide = new StructuringRule(
                new StructuringRule.Parameters(1_000_000, 10_000, 2, 2 * DAY, 8, Severity.HIGH));
            final Harness s = new Harness(wide);
            s.pay(T0, A, 400_000);
            s.pay(T0, A, 600_000);
            assertEquals(0, s.alerts(), "1,000,000 does not exceed the threshold");
            final long offset = s.pay(T0, A, 1);
            assertAlert(s.alert(), wide, A, offset, range(0, 3), "3 payments");
        }

        @Test
        void countsPerDebtor()
        {
            h.pay(T0, A, 950_000);
            h.pay(T0, A, 950_000);
            h.pay(T0, B, 950_000);
            h.pay(T0, B, 950_000);
            assertEquals(0, h.alerts());
            h.pay(T0, B, 950_000);
            assertEquals(B, h.alert().account());
            h.pay(T0, B, 950_000);
            assertEquals(0, h.alerts(), "window emptied after the alert");
        }

        @Test
        void onlyTheDebtorsOwnerRaises()
        {
            assertOnlyOwnerRaises(
                w -> new StructuringRule(StructuringRule.Parameters.defaults()),
                new long[]{ 990_000, 980_000, 970_000 },
                HOUR);
        }

        @Test
        void validatesParameters()
        {
            assertRejected("threshold", () -> new StructuringRule.Parameters(0, 1000, 3, DAY, 8, Severity.LOW));
            assertRejected("bandBasisPoints", () -> new StructuringRule.Parameters(1, 0, 3, DAY, 8, Severity.LOW));
            assertRejected("bandBasisPoints", () -> new StructuringRule.Parameters(1, 10_001, 3, DAY, 8, Severity.LOW));
            assertRejected("minCount", () -> new StructuringRule.Parameters(1, 1000, 1, DAY, 8, Severity.LOW));
            assertRejected("windowNanos", () -> new StructuringRule.Parameters(1, 1000, 3, 0, 8, Severity.LOW));
            assertRejected("capacity", () -> new StructuringRule.Parameters(1, 1000, 3, DAY, 2, Severity.LOW));
            assertRejected("severity", () -> new StructuringRule.Parameters(1, 1000, 3, DAY, 8, null));
        }
    }

    @Nested
    class RepeatedAmounts
    {
        final RepeatedAmountRule rule = new RepeatedAmountRule(RepeatedAmountRule.Parameters.defaults());
        final Harness h = new Harness(rule);

        @Test
        void aSnapshotKeepsWhichPaymentsAnAlertConsumed()
        {
            final Supplier<Rule> factory = () -> new RepeatedAmountRule(RepeatedAmountRule.Parameters.defaults());
            final Consumer<Harness> history = s ->
            {
                for (int i = 0; i < 5; i++)
                {
                    s.pay(T0 + i * MINUTE, A, 100_000 + i);
                }
                assertEquals(1, s.alerts());
                for (int i = 0; i < 3; i++)
                {
                    s.pay(T0 + HOUR + i * MINUTE, A, 100_500);
                }
            };
            assertEquals(0, assertSameAfterRestore(factory, history, s -> s.pay(T0 + DAY, A, 100_500)),
                "four free similar payments: the five consumed ones support nothing");
            assertEquals(1, assertSameAfterRestore(factory, history, s ->
            {
                s.pay(T0 + DAY, A, 100_500);
                s.pay(T0 + DAY, A, 100_600);
            }));
        }

        @Test
        void firesOnTheFifthSimilarPayment()
        {
            h.pay(T0, A, 100_000);
            h.pay(T0 + HOUR, A, 100_500);
            h.pay(T0 + 2 * HOUR, A, 101_000);
            h.pay(T0 + 3 * HOUR, A, 100_200);
            assertEquals(0, h.alerts(), "four are not enough");
            final long offset = h.pay(T0 + 4 * HOUR, A, 100_700);
            final AlertRecord alert = h.alert();
            assertAlert(alert, rule, A, offset, range(0, 5),
                "5 payments", "account " + A, "between 1000.00 EUR and 1010.00 EUR", "100 bp", "within 7 d",
                "1007.00 EUR");
            assertEquals(RepeatedAmountRule.SCORE, alert.score());
            assertEquals(Severity.MEDIUM, alert.severity());
        }

        @Test
        void justOutsideTheToleranceDoesNotCount()
        {
            for (int i = 0; i < 4; i++)
            {
                h.pay(T0, A, 100_000);
            }
            h.pay(T0, A, 101_001);
            assertEquals(0, h.alerts(), "1,010.01 is more than 1% above 1,000.00");
            final long offset = h.pay(T0, A, 101_000);
            assertAlert(h.alert(), rule, A, offset, new long[]{ 0, 1, 2, 3, 5 });
        }

        @Test
        void amountsMustBeWithinToleranceOfEachOtherNotJustOfTheLatest()
        {
            h.pay(T0, A, 99_000);
            h.pay(T0, A, 99_500);
            h.pay(T0, A, 100_500);
            h.pay(T0, A, 101_000);
            h.pay(T0, A, 100_000);
            assertEquals(0, h.alerts(), "each is within 1% of 1,000.00 but 990.00 to 1,010.00 spans 2%");
        }

        @Test
        void consumedPaymentsSupportNoFurtherAlertButOthersStillCount()
        {
            h.pay(T0, A, 50_000);
            h.pay(T0, A, 50_000);
            for (int i = 0; i < 5; i++)
            {
                h.pay(T0, A, 200_000);
            }
            assertAlert(h.alert(), rule, A, 6, range(2, 7));
            h.pay(T0, A, 200_000);
            assertEquals(0, h.alerts());
            h.pay(T0, A, 50_000);
            h.pay(T0, A, 50_000);
            assertEquals(0, h.alerts());
            h.pay(T0, A, 50_100);
            assertAlert(h.alert(), rule, A, 10, new long[]{ 0, 1, 8, 9, 10 });
        }

        @Test
        void aPaymentExactlyOneWindowOldNoLongerCounts()
        {
            h.pay(T0, A, 100_000);
            for (int i = 0; i < 3; i++)
            {
                h.pay(T0 + SECOND, A, 100_000);
            }
            h.pay(T0 + 7 * DAY, A, 100_000);
            assertEquals(0, h.alerts());
            final long offset = h.pay(T0 + 7 * DAY, A, 100_000);
            assertAlert(h.alert(), rule, A, offset, range(1, 6));
        }

        @Test
        void countsPerDebtor()
        {
            for (int i = 0; i < 4; i++)
            {
                h.pay(T0, A, 100_000);
                h.pay(T0, B, 100_000);
            }
            assertEquals(0, h.alerts());
            h.pay(T0, A, 100_000);
            assertEquals(A, h.alert().account());
        }

        @Test
        void onlyTheDebtorsOwnerRaises()
        {
            assertOnlyOwnerRaises(
                w -> new RepeatedAmountRule(RepeatedAmountRule.Parameters.defaults()),
                new long[]{ 300_000, 300_100, 300_200, 5, 300_000, 300_000 },
                HOUR);
        }

        @Test
        void validatesParameters()
        {
            assertRejected("minCount", () -> new RepeatedAmountRule.Parameters(1, 100, DAY, 64, Severity.LOW));
            assertRejected("toleranceBasisPoints", () -> new RepeatedAmountRule.Parameters(5, -1, DAY, 64, Severity.LOW));
            assertRejected("windowNanos", () -> new RepeatedAmountRule.Parameters(5, 100, 0, 64, Severity.LOW));
            assertRejected("capacity", () -> new RepeatedAmountRule.Parameters(5, 100, DAY, 4, Severity.LOW));
            assertRejected("severity", () -> new RepeatedAmountRule.Parameters(5, 100, DAY, 64, null));
        }
    }

    @Nested
    class RoundAmounts
    {
        final RoundAmountRule rule = new RoundAmountRule(RoundAmountRule.Parameters.defaults());
        final Harness h = new Harness(rule);

        @Test
        void aSnapshotOnePaymentShortAlertsOnTheSamePaymentAtTheWindowEdge()
        {
            final Supplier<Rule> factory = () -> new RoundAmountRule(RoundAmountRule.Parameters.defaults());
            final Consumer<Harness> history = s ->
            {
                s.pay(T0, A, 500_000);
                s.pay(T0 + DAY, A, 1_000_000);
                s.pay(T0 + DAY, A, 1_000_001);
            };
            assertEquals(1, assertSameAfterRestore(factory, history, s -> s.pay(T0 + 7 * DAY - 1, A, 700_000)));
            assertEquals(0, assertSameAfterRestore(factory, history, s -> s.pay(T0 + 7 * DAY, A, 700_000)));
        }

        @Test
        void firesOnTheThirdRoundPaymentAtOrAboveTheMinimum()
        {
            h.pay(T0, A, 500_000);
            h.pay(T0 + DAY, A, 1_200_000);
            assertEquals(0, h.alerts());
            final long offset = h.pay(T0 + 2 * DAY, A, 700_000);
            final AlertRecord alert = h.alert();
            assertAlert(alert, rule, A, offset, range(0, 3),
                "3 round payments", "multiples of 1000.00 EUR", "at least 5000.00 EUR", "account " + A,
                "within 7 d", "7000.00 EUR");
            assertEquals(RoundAmountRule.SCORE, alert.score());
            assertEquals(Severity.LOW, alert.severity());
        }

        @Test
        void paymentsThatAreNotRoundOrBelowTheMinimumDoNotCount()
        {
            h.pay(T0, A, 500_000);
            h.pay(T0, A, 400_000);
            h.pay(T0, A, 550_000);
            h.pay(T0, A, 600_001);
            h.pay(T0, A, 499_999);
            h.pay(T0, A, 600_000);
            assertEquals(0, h.alerts());
            h.pay(T0, B, 400_000);
            assertEquals(1, rule.accounts(), "B made no qualifying payment");
            final long offset = h.pay(T0, A, 100_000_000);
            assertAlert(h.alert(), rule, A, offset, new long[]{ 0, 5, offset });
        }

        @Test
        void aPaymentExactlyOneWindowOldNoLongerCounts()
        {
            h.pay(T0, A, 500_000);
            h.pay(T0 + DAY, A, 500_000);
            h.pay(T0 + 7 * DAY, A, 500_000);
            assertEquals(0, h.alerts());
            final long offset = h.pay(T0 + 8 * DAY - 1, A, 500_000);
            assertAlert(h.alert(), rule, A, offset, new long[]{ 1, 2, 3 });
        }

        @Test
        void countsPerDebtorAndEmptiesAfterAnAlert()
        {
            h.pay(T0, A, 500_000);
            h.pay(T0, A, 500_000);
            h.pay(T0, B, 500_000);
            assertEquals(0, h.alerts());
            h.pay(T0, A, 500_000);
            assertEquals(A, h.alert().account());
            h.pay(T0, A, 500_000);
            h.pay(T0, A, 500_000);
            assertEquals(0, h.alerts());
        }

        @Test
        void onlyTheDebtorsOwnerRaises()
        {
            assertOnlyOwnerRaises(
                w -> new RoundAmountRule(RoundAmountRule.Parameters.defaults()),
                new long[]{ 500_000, 600_000, 700_000 },
                HOUR);
        }

        @Test
        void validatesParameters()
        {
            assertRejected("unit", () -> new RoundAmountRule.Parameters(0, 1, 3, DAY, 8, Severity.LOW));
            assertRejected("minimum", () -> new RoundAmountRule.Parameters(1, 0, 3, DAY, 8, Severity.LOW));
            assertRejected("minCount", () -> new RoundAmountRule.Parameters(1, 1, 0, DAY, 8, Severity.LOW));
            assertRejected("windowNanos", () -> new RoundAmountRule.Parameters(1, 1, 3, 0, 8, Severity.LOW));
            assertRejected("capacity", () -> new RoundAmountRule.Parameters(1, 1, 3, DAY, 2, Severity.LOW));
            assertRejected("severity", () -> new RoundAmountRule.Parameters(1, 1, 3, DAY, 8, null));
        }
    }

    @Nested
    class LargeVersusHistory
    {
        final LargeVersusHistoryRule rule = new LargeVersusHistoryRule(LargeVersusHistoryRule.Parameters.defaults());
        final Harness h = new Harness(rule);

        @Test
        void aSnapshotOfTheHistoryTestsTheNextPaymentAtExactlyMeanPlusFourSd()
        {
            final Supplier<Rule> factory =
                () -> new LargeVersusHistoryRule(LargeVersusHistoryRule.Parameters.defaults());
            final Consumer<Harness> history = s -> alternatingHistory(s, A);
            assertEquals(1, assertSameAfterRestore(factory, history, s -> s.pay(T0 + DAY, A, 220_000)));
            assertEquals(0, assertSameAfterRestore(factory, history, s -> s.pay(T0 + DAY, A, 219_999)));
            assertEquals(0, assertSameAfterRestore(factory, history, s -> s.pay(T0 + 30 * DAY + 5 * HOUR, A, 90_000_000)),
                "every prior payment is exactly 30 days old or more: no history left");
        }

        /**
         * Six payments alternating 700.00 and 1,300.00: mean 1,000.00, sd 300.00 (above the 25% floor), max 1,300.00
         * (offset 5).
         */
        void alternatingHistory(final Harness harness, final long debtor)
        {
            for (int i = 0; i < 6; i++)
            {
                harness.pay(T0 + i * HOUR, debtor, i % 2 == 0 ? 70_000 : 130_000);
                assertEquals(0, harness.alerts());
            }
        }

        @Test
        void zTestFiresAtExactlyMeanPlusFourSd()
        {
            alternatingHistory(h, A);
            final long offset = h.pay(T0 + DAY, A, 220_000);
            final AlertRecord alert = h.alert();
            assertAlert(alert, rule, A, offset, new long[]{ 5, offset },
                "payment " + (1_000_000 + offset), "2200.00 EUR", "account " + A, "1x the max 1300.00 EUR",
                "4.0 sd above the mean 1000.00 EUR", "of 6 payments in 30 d", "; z test");
            assertEquals(600, alert.score());
            assertEquals(Severity.MEDIUM, alert.severity());
        }

        @Test
        void zTestSilentOneMinorUnitBelow()
        {
            alternatingHistory(h, A);
            h.pay(T0 + DAY, A, 219_999);
            assertEquals(0, h.alerts());
        }

        @Test
        void maxTestFiresAtExactlyKTimesTheMax()
        {
            final LargeVersusHistoryRule maxOnly = new LargeVersusHistoryRule(
                new LargeVersusHistoryRule.Parameters(5, 20.0, 2500, 30 * DAY, 5, 64, Severity.HIGH));
            final Harness s = new Harness(maxOnly);
            for (int i = 0; i < 5; i++)
            {
                s.pay(T0 + i, A, 100_000);
                s.pay(T0 + i, B, 100_000);
            }
            s.pay(T0 + DAY, B, 499_999);
            assertEquals(0, s.alerts(), "below 5 x max, below mean + 20 sd");
            final long offset = s.pay(T0 + DAY, A, 500_000);
            final AlertRecord alert = s.alert();
            assertAlert(alert, maxOnly, A, offset, new long[]{ 8, offset }, "5x the max 1000.00 EUR", "; max test");
            assertEquals(600, alert.score());
        }

        @Test
        void bothTestsScoreHigherAndTwiceKTimesTheMaxScoresMost()
        {
            for (int i = 0; i < 5; i++)
            {
                h.pay(T0 + i, A, 100_000);
                h.pay(T0 + i, B, 100_000);
            }
            h.pay(T0 + DAY, A, 500_000);
            assertEquals(800, h.alert().score());
            assertTrue(h.alert().reason().toString().contains("; max and z tests"), h.alert().reason().toString());
            h.pay(T0 + DAY, B, 1_000_000);
            assertEquals(1000, h.alert().score());
        }

        @Test
        void equalHistoryUsesTheSdFloor()
        {
            for (int i = 0; i < 5; i++)
            {
                h.pay(T0 + i, A, 100_000);
                h.pay(T0 + i, B, 100_000);
            }
            h.pay(T0 + DAY, A, 199_999);
            assertEquals(0, h.alerts(), "sd floored at 25% of the mean: threshold 2,000.00");
            h.pay(T0 + DAY, B, 200_000);
            assertEquals(B, h.alert().account());
        }

        @Test
        void needsFivePriorPayments()
        {
            for (int i = 0; i < 4; i++)
            {
                h.pay(T0 + i, A, 100_000);
            }
            h.pay(T0 + DAY, A, 10_000_000);
            assertEquals(0, h.alerts(), "four prior payments are not a history");
            h.pay(T0 + DAY, A, 90_000_000);
            assertEquals(A, h.alert().account());
        }

        @Test
        void historyOutsideTheLookbackIsForgotten()
        {
            for (int i = 0; i < 5; i++)
            {
                h.pay(T0 + i, A, 100_000);
            }
            h.pay(T0 + 30 * DAY + 4, A, 10_000_000);
            assertEquals(0, h.alerts(), "the last prior payment is exactly 30 days old");

            final Harness inside = new Harness(new LargeVersusHistoryRule(LargeVersusHistoryRule.Parameters.defaults()));
            for (int i = 0; i < 5; i++)
            {
                inside.pay(T0 + i, A, 100_000);
            }
            inside.pay(T0 + 30 * DAY - 1, A, 10_000_000);
            assertEquals(A, inside.alert().account());
        }

        @Test
        void theLargePaymentJoinsTheHistory()
        {
            for (int i = 0; i < 5; i++)
            {
                h.pay(T0 + i, A, 100_000);
            }
            h.pay(T0 + DAY, A, 600_000);
            assertEquals(1, h.alerts());
            h.pay(T0 + DAY, A, 600_000);
            assertEquals(0, h.alerts(), "the second is no larger than the history's max and within 4 sd");
        }

        @Test
        void historyIsPerDebtor()
        {
            for (int i = 0; i < 5; i++)
            {
                h.pay(T0 + i, A, 100_000);
            }
            h.pay(T0 + DAY, B, 90_000_000);
            assertEquals(0, h.alerts(), "B has no history");
        }

        @Test
        void onlyTheDebtorsOwnerRaises()
        {
            assertOnlyOwnerRaises(
                w -> new LargeVersusHistoryRule(LargeVersusHistoryRule.Parameters.defaults()),
                new long[]{ 1_000, 1_200, 900, 1_100, 1_000, 50_000 },
                HOUR);
        }

        @Test
        void validatesParameters()
        {
            assertRejected("multiplier", () -> new LargeVersusHistoryRule.Parameters(1, 4, 2500, DAY, 5, 64, Severity.LOW));
            assertRejected("z", () -> new LargeVersusHistoryRule.Parameters(5, 0, 2500, DAY, 5, 64, Severity.LOW));
            assertRejected("z", () -> new LargeVersusHistoryRule.Parameters(5, Double.NaN, 2500, DAY, 5, 64, Severity.LOW));
            assertRejected("z", () -> new LargeVersusHistoryRule.Parameters(
                5, Double.POSITIVE_INFINITY, 2500, DAY, 5, 64, Severity.LOW));
            assertRejected("sdFloorBasisPoints", () -> new LargeVersusHistoryRule.Parameters(5, 4, 0, DAY, 5, 64, Severity.LOW));
            assertRejected("lookbackNanos", () -> new LargeVersusHistoryRule.Parameters(5, 4, 2500, 0, 5, 64, Severity.LOW));
            assertRejected("minHistory", () -> new LargeVersusHistoryRule.Parameters(5, 4, 2500, DAY, 65, 64, Severity.LOW));
            assertRejected("capacity", () -> new LargeVersusHistoryRule.Parameters(5, 4, 2500, DAY, 5, 0, Severity.LOW));
            assertRejected("severity", () -> new LargeVersusHistoryRule.Parameters(5, 4, 2500, DAY, 5, 64, null));
        }
    }
}
