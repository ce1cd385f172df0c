package io.txmon.rules.typology;

import io.txmon.events.codec.ConfigAction;
import io.txmon.events.codec.ConfigChangeDecoder;
import io.txmon.rules.RuleWorker;
import io.txmon.rules.TxEvent;
import io.txmon.rules.config.RuleSet;
import io.txmon.rules.config.RuleSettings;
import io.txmon.rules.state.AccountStore;
import io.txmon.rules.state.RuleSetState;
import io.txmon.rules.state.StateReader;
import io.txmon.rules.state.StateWriter;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The four amount typologies that hold every positive payment of a debtor read one {@link PaymentHistory} per
 * worker. Each must decide exactly as it does with a history of its own (the rule alone in a worker), through
 * late payments, alerts that empty or consume their windows, a rule re-created by a configuration change while
 * the others keep their windows (so the windows' clocks differ), eviction at a cap and restarts from a snapshot.
 */
class PaymentHistorySharingTest
{
    private static final String[] SHARING = {
        LargeVersusHistoryRule.NAME, VelocityCountRule.NAME, VelocitySumRule.NAME, RepeatedAmountRule.NAME };
    private static final long T0 = 1_700_000_000_000_000_000L;
    private static final long SECOND = 1_000_000_000L;
    private static final long MINUTE = 60 * SECOND;

    @Test
    void windowsSharingAHistoryDecideAsWindowsOfTheirOwn()
    {
        int alerts = 0;
        for (int seed = 0; seed < 12; seed++)
        {
            alerts += run(seed, AccountStore.Limits.UNBOUNDED);
        }
        assertTrue(alerts > 500, "the streams make every rule alert, often: " + alerts);
    }

    @Test
    void windowsSharingAHistoryDecideAsWindowsOfTheirOwnWhenAccountsAreEvictedAtACap()
    {
        int alerts = 0;
        for (int seed = 100; seed < 106; seed++)
        {
            alerts += run(seed, new AccountStore.Limits(4, AccountStore.Limits.NO_IDLE_LIMIT));
        }
        assertTrue(alerts > 100, "alerts: " + alerts);
    }

    /** Delegates to a rule, but throws (as any rule may; the worker isolates it) at one offset. */
    record ThrowsAt(io.txmon.rules.Rule inner, long at) implements io.txmon.rules.Rule
    {
        public int id()
        {
            return inner.id();
        }

        public int version()
        {
            return inner.version();
        }

        public String name()
        {
            return inner.name();
        }

        public long templates()
        {
            return inner.templates();
        }

        public boolean snapshots()
        {
            return inner.snapshots();
        }

        public void writeState(final StateWriter out)
        {
            inner.writeState(out);
        }

        public void readState(final StateReader in)
        {
            inner.readState(in);
        }

        public void bind(final AccountStore accounts)
        {
            inner.bind(accounts);
        }

        public void onEvent(final TxEvent event, final io.txmon.rules.RuleContext context)
        {
            if (event.offset == at)
            {
                throw new IllegalStateException("thrown at offset " + at + " (test)");
            }
            inner.onEvent(event, context);
        }
    }

    private static RuleWorker tolerant(final RuleSet set)
    {
        final org.agrona.concurrent.status.CountersManager counters = new org.agrona.concurrent.status.CountersManager(
            new UnsafeBuffer(new byte[16 * 1024]), new UnsafeBuffer(new byte[2 * 1024]));
        return new RuleWorker(0, 1, null, set, (rule, offset, error) ->
        {
        }, counters.newCounter("evaluated"), counters.newCounter("rule errors"), 1);
    }

    private static VelocitySumRule velocitySum()
    {
        return new VelocitySumRule(
            new VelocitySumRule.Parameters(1_000, 60 * MINUTE, 64, io.txmon.events.codec.Severity.HIGH));
    }

    private static VelocityCountRule velocityCount()
    {
        return new VelocityCountRule(
            new VelocityCountRule.Parameters(50, 60 * MINUTE, 64, io.txmon.events.codec.Severity.MEDIUM));
    }

    /** Payments of 1.00 a second apart from one debtor: the alerts of each, one line per payment. */
    private static String pay(final RuleWorker worker, final int from, final int to)
    {
        final TxEvent e = new TxEvent(1, 8);
        final StringBuilder alerts = new StringBuilder();
        for (int i = from; i < to; i++)
        {
            AmlAmountRulesTest.payment(e, i, T0 + i * SECOND, 7, 100);
            worker.evaluate(e);
            alerts.append(RuleStateSupport.describeAlerts(e, 1));
        }
        return alerts.toString();
    }

    /**
     * A rule that throws on a payment misses it (and starts its window afresh at the debtor's next payment); the
     * rules that share the history with it decide as if it had not thrown.
     */
    @Test
    void aRuleThatThrowsLeavesTheOthersWindowsAlone()
    {
        final String alone = pay(tolerant(RuleSet.fixed(new io.txmon.rules.Rule[]{ velocitySum() },
            AccountStore.Limits.UNBOUNDED)), 0, 30);
        final String together = pay(tolerant(RuleSet.fixed(new io.txmon.rules.Rule[]{
            velocitySum(),
            new ThrowsAt(velocityCount(), 3),
            new LargeVersusHistoryRule(LargeVersusHistoryRule.Parameters.defaults()) },
            AccountStore.Limits.UNBOUNDED)), 0, 30);
        assertFalse(alone.isEmpty(), "velocity-sum alerts on this stream");
        assertEquals(alone, together);
    }

    /** A snapshot taken while a rule's window is behind (it threw on the newest payment) restores as it was. */
    @Test
    void aSnapshotTakenAfterARuleThrewRestoresExactly()
    {
        final RuleSet set = RuleSet.fixed(new io.txmon.rules.Rule[]{
            velocitySum(), new ThrowsAt(velocityCount(), 3), new LargeVersusHistoryRule(
                LargeVersusHistoryRule.Parameters.defaults()) }, AccountStore.Limits.UNBOUNDED);
        final RuleWorker original = tolerant(set);
        pay(original, 0, 4);
        final StateWriter out = new StateWriter();
        RuleSetState.write(set, out);
        final byte[] bytes = RuleStateSupport.bytes(out);
        final RuleSet restored = RuleSetState.read(
            new StateReader().wrap(new UnsafeBuffer(bytes), 0, bytes.length, "test"), null,
            () -> new io.txmon.rules.Rule[]{ velocitySum(), velocityCount(),
                new LargeVersusHistoryRule(LargeVersusHistoryRule.Parameters.defaults()) },
            AccountStore.Limits.UNBOUNDED);
        assertArrayEquals(bytes, write(restored), "the restored set writes what it read");
        assertEquals(pay(original, 4, 40), pay(tolerant(restored), 4, 40), "and decides as the original");
    }

    /** With no rule left reading the history, its payments go. */
    @Test
    void disablingEveryRuleThatReadsTheHistoryLetsItsPaymentsGo()
    {
        final RuleSet set = RuleSet.of(RuleSettings.only(SHARING), AccountStore.Limits.UNBOUNDED);
        final RuleWorker worker = worker(set);
        final TxEvent e = new TxEvent(1, 8);
        long offset = 0;
        for (int i = 0; i < 3_000; i++)
        {
            AmlAmountRulesTest.payment(e, offset++, T0 + i * SECOND, 1 + i % 100, 10_000 + i % 7);
            worker.evaluate(e);
        }
        final PaymentHistory history = PaymentHistory.shared(set.accounts());
        assertTrue(held(set, history) > 0);
        for (final String name : SHARING)
        {
            configure(e, offset++, T0, RuleSettings.defaults().type(name).id(), ConfigAction.DISABLE_RULE, "", "");
            worker.evaluate(e);
            assertEquals(name.equals(SHARING[SHARING.length - 1]), 0 == held(set, history),
                "payments are kept while a rule reads them, and only then: " + name);
        }
        assertEquals(0, set.rules().length);
    }

    private static long held(final RuleSet set, final PaymentHistory history)
    {
        long held = 0;
        for (int s = set.accounts().oldest(); s != AccountStore.NONE; s = set.accounts().newerThan(s))
        {
            held += null == history.entries(s) ? 0 : history.entries(s).size;
        }
        return held;
    }

    /** State read over state: the rule holds what it read last, nothing of what it held before. */
    @Test
    void aRuleReadTwiceHoldsWhatItReadLast()
    {
        final java.util.function.Supplier<io.txmon.rules.Rule> factory =
            () -> new VelocitySumRule(VelocitySumRule.Parameters.defaults());
        final AmlAmountRulesTest.Harness first = new AmlAmountRulesTest.Harness(factory.get());
        final AmlAmountRulesTest.Harness second = new AmlAmountRulesTest.Harness(factory.get());
        for (int i = 0; i < 5; i++)
        {
            first.pay(T0 + i * MINUTE, 1 + (i & 1), 10_000 + i);
            second.pay(T0 + i * SECOND, 1 + 2 * (i & 1), 20_000 + i);
        }
        final byte[] firstState = RuleStateSupport.stateOf(first.rules[0]);
        final byte[] secondState = RuleStateSupport.stateOf(second.rules[0]);
        final io.txmon.rules.Rule target = factory.get();
        RuleStateSupport.read(target, firstState);
        RuleStateSupport.read(target, secondState);
        assertArrayEquals(secondState, RuleStateSupport.stateOf(target));
    }

    private static int run(final int seed, final AccountStore.Limits limits)
    {
        final Random random = new Random(seed);
        RuleSet shared = RuleSet.of(RuleSettings.only(SHARING), limits);
        RuleWorker together = worker(shared);
        final RuleWorker[] alone = new RuleWorker[SHARING.length];
        for (int i = 0; i < alone.length; i++)
        {
            alone[i] = worker(RuleSet.of(RuleSettings.only(SHARING[i]), limits));
        }

        final TxEvent event = new TxEvent(1, 8);
        long clock = T0;
        long offset = 0;
        int alerts = 0;
        final boolean[] seen = new boolean[SHARING.length];
        for (int step = 0; step < 4_000; step++)
        {
            final int action = random.nextInt(1_000);
            if (action < 4)
            {
                // a rule re-created with other parameters (or off and on again): its windows start afresh, the
                // other rules keep theirs
                final int rule = random.nextInt(SHARING.length);
                final int id = RuleSettings.defaults().type(SHARING[rule]).id();
                if (action < 2)
                {
                    configure(event, offset++, clock, id, ConfigAction.DISABLE_RULE, "", "");
                    together.evaluate(event);
                    alone[rule].evaluate(event);
                    configure(event, offset++, clock, id, ConfigAction.ENABLE_RULE, "", "");
                }
                else
                {
                    configure(event, offset++, clock, id, ConfigAction.SET_PARAMETER, "severity",
                        random.nextBoolean() ? "HIGH" : "MEDIUM");
                }
                together.evaluate(event);
                alone[rule].evaluate(event);
                continue;
            }
            if (action < 10)
            {
                // restart from a snapshot: the same bytes again, and the same decisions after
                final byte[] bytes = write(shared);
                shared = read(bytes, limits);
                assertArrayEquals(bytes, write(shared), "a restored set writes what it read");
                together = worker(shared);
            }

            // bursts of payments seconds apart, mostly from one debtor, then a quieter stretch; one in ten late
            final boolean burst = (step / 250) % 2 == 0;
            final long time;
            if (random.nextInt(10) == 0)
            {
                time = clock - random.nextInt(180) * MINUTE;
            }
            else
            {
                clock += burst ? random.nextInt(10) * SECOND : random.nextInt(20) * MINUTE + random.nextInt(1000);
                time = clock;
            }
            final int kind = random.nextInt(100);
            final long amount = kind < 2 ? 40_000_000L + random.nextInt(1_000_000) :
                kind < 20 ? 900_000L + random.nextInt(200_000) : 10_000L + random.nextInt(400);
            final long debtor = burst && random.nextInt(3) > 0 ? 1 : 1 + random.nextInt(6);
            final long at = offset++;
            AmlAmountRulesTest.payment(event, at, time, debtor, amount);
            together.evaluate(event);
            final String actual = RuleStateSupport.describeAlerts(event, 1);
            alerts += event.alerts(0).count();
            final StringBuilder expected = new StringBuilder();
            for (int i = 0; i < alone.length; i++)
            {
                AmlAmountRulesTest.payment(event, at, time, debtor, amount);
                alone[i].evaluate(event);
                seen[i] |= event.alerts(0).count() > 0;
                expected.append(RuleStateSupport.describeAlerts(event, 1));
            }
            assertEquals(expected.toString(), actual, "seed " + seed + ", step " + step);
        }
        for (int i = 0; i < SHARING.length; i++)
        {
            assertTrue(seen[i], SHARING[i] + " alerted in seed " + seed);
        }
        return alerts;
    }

    private static RuleWorker worker(final RuleSet set)
    {
        return new CappedWorker(0, 1, set).worker;
    }

    private static byte[] write(final RuleSet set)
    {
        final StateWriter out = new StateWriter();
        RuleSetState.write(set, out);
        return RuleStateSupport.bytes(out);
    }

    private static RuleSet read(final byte[] bytes, final AccountStore.Limits limits)
    {
        final StateReader in = new StateReader().wrap(new UnsafeBuffer(bytes), 0, bytes.length, "test");
        final RuleSet set = RuleSetState.read(in, RuleSettings.defaults(), () -> null, limits);
        in.requireEnd();
        return set;
    }

    private static void configure(
        final TxEvent e,
        final long offset,
        final long time,
        final int ruleId,
        final ConfigAction action,
        final String key,
        final String value)
    {
        e.reset();
        e.offset = offset;
        e.templateId = ConfigChangeDecoder.TEMPLATE_ID;
        e.producerId = 1;
        e.producerSeq = offset;
        e.eventTime = time;
        e.ruleId = ruleId;
        e.action = action.value();
        final byte[] k = key.getBytes(StandardCharsets.UTF_8);
        final byte[] v = value.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(k, 0, e.configKey, 0, k.length);
        e.configKeyLength = k.length;
        System.arraycopy(v, 0, e.configValue, 0, v.length);
        e.configValueLength = v.length;
    }
}
