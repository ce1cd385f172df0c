package io.txmon.rules.typology;

import com.lmax.disruptor.RingBuffer;
import io.txmon.events.codec.AccountUpdateDecoder;
import io.txmon.events.codec.ExecutionDecoder;
import io.txmon.events.codec.OrderDecoder;
import io.txmon.events.codec.PaymentDecoder;
import io.txmon.rules.AlertIds;
import io.txmon.rules.Rule;
import io.txmon.rules.RuleWorker;
import io.txmon.rules.TxEvent;
import io.txmon.rules.state.AccountStore;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersManager;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The whole default rule set together: ids unique and within what an alert id holds, every rule survives a
 * mixed stream of every event type, alerts follow the one-per-rule-per-event contract, and the set
 * allocates nothing per event once warm.
 */
class TypologiesTest
{
    private static final long T0 = 1_700_000_000_000_000_000L;
    /** A bounded key space, so the warm-up creates every key's state: allocation per new key is allowed. */
    private static final int ACCOUNTS = 60;

    @Test
    void idsAndNamesAreUniqueAndFitAnAlertId()
    {
        final int catalogue = Typologies.catalog().size();
        assertEquals(catalogue - 1, Typologies.defaults(1_000_000L).length,
            "all but the watch list, which needs a list");
        final Rule[] rules = Typologies.defaults(1_000_000L, new long[]{ 42 }, null);
        assertEquals(catalogue, rules.length);
        final Set<Integer> ids = new HashSet<>();
        final Set<String> names = new HashSet<>();
        for (int i = 0; i < rules.length; i++)
        {
            final Rule rule = rules[i];
            assertEquals(i + 1, rule.id(), "in id order");
            assertTrue(ids.add(rule.id()), "duplicate id " + rule.id());
            assertTrue(names.add(rule.name()), "duplicate name " + rule.name());
            assertTrue(rule.id() <= AlertIds.MAX_RULE_ID);
            assertTrue(rule.version() >= 0 && rule.version() <= AlertIds.MAX_RULE_VERSION);
        }
    }

    @Test
    void theWholeSetRunsAMixedStreamWithoutErrorsAndAllocatesNothingOnceWarm()
    {
        final RuleWorker worker = worker(Typologies.defaults(1_000_000L, new long[]{ 7, 8, 9 }, new long[]{ 5 }));
        final TxEvent event = new TxEvent(1, 32);
        final Random random = new Random(7);
        final long[] alerts = {0};
        long offset = 0;

        // warm-up: every template over a bounded set of accounts, so every rule's per-key state exists
        for (int i = 0; i < 300_000; i++)
        {
            fill(event, random, offset++);
            worker.evaluate(event);
            assertAlertsWellFormed(event, alerts);
        }

        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long threadId = Thread.currentThread().getId();
        long best = Long.MAX_VALUE;
        for (int round = 0; round < 3; round++)
        {
            final long before = threads.getThreadAllocatedBytes(threadId);
            for (int i = 0; i < 100_000; i++)
            {
                fill(event, random, offset++);
                worker.evaluate(event);
            }
            best = Math.min(best, threads.getThreadAllocatedBytes(threadId) - before);
        }
        if (best >= 16 * 1024)
        {
            // name the rules that allocate
            final StringBuilder culprits = new StringBuilder();
            for (final Rule rule : Typologies.defaults(1_000_000L, new long[]{ 7, 8, 9 }, new long[]{ 5 }))
            {
                final RuleWorker single = worker(new Rule[]{ rule });
                final Random r = new Random(7);
                long o = 0;
                for (int i = 0; i < 300_000; i++)
                {
                    fill(event, r, o++);
                    single.evaluate(event);
                }
                final long before = threads.getThreadAllocatedBytes(threadId);
                for (int i = 0; i < 100_000; i++)
                {
                    fill(event, r, o++);
                    single.evaluate(event);
                }
                culprits.append(rule.name()).append('=').append(threads.getThreadAllocatedBytes(threadId) - before)
                    .append(' ');
            }
            fail("the rule set allocated " + best + " bytes over 100,000 events once warm; per rule: " + culprits);
        }
        assertTrue(alerts[0] > 0, "a random stream raises some alerts");
    }

    private static void assertAlertsWellFormed(final TxEvent event, final long[] alerts)
    {
        final Set<Integer> rules = new HashSet<>();
        for (int i = 0; i < event.alerts(0).count(); i++)
        {
            final var alert = event.alerts(0).get(i);
            assertTrue(rules.add(alert.ruleId()), "one alert per rule per event");
            assertEquals(event.offset, alert.triggeringOffset());
            assertEquals(AlertIds.alertId(alert.ruleId(), alert.ruleVersion(), event.offset), alert.alertId());
            assertTrue(alert.evidenceCount() > 0, "every alert carries evidence");
            assertTrue(alert.reason().length() > 0, "and a reason");
            alerts[0]++;
        }
    }

    private static void fill(final TxEvent event, final Random random, final long offset)
    {
        fill(event, random, offset, ACCOUNTS);
    }

    private static void fill(final TxEvent event, final Random random, final long offset, final int accounts)
    {
        event.reset();
        event.offset = offset;
        event.eventTime = T0 + offset * 1_000_000L;
        final int kind = random.nextInt(10);
        if (kind < 6)
        {
            event.templateId = PaymentDecoder.TEMPLATE_ID;
            event.txId = offset;
            event.debtorAccount = 1 + random.nextInt(accounts);
            event.creditorAccount = 1 + random.nextInt(accounts);
            if (event.creditorAccount == event.debtorAccount)
            {
                event.creditorAccount++;
            }
            event.amount = random.nextInt(10) == 0 ? 1_000_000 + random.nextInt(5_000_000) : 100 + random.nextInt(200_000);
            event.currency = 978;
            event.channel = random.nextInt(8);
            event.debtorCountry = ('D' << 8) | 'E';
            event.creditorCountry = random.nextInt(50) == 0 ? ('K' << 8) | 'P' : ('F' << 8) | 'R';
            event.latitude = random.nextInt(3) == 0 ? Integer.MIN_VALUE : random.nextInt(180_000_000) - 90_000_000;
            event.longitude = event.latitude == Integer.MIN_VALUE ? Integer.MIN_VALUE :
                random.nextInt(360_000_000) - 180_000_000;
        }
        else if (kind < 8)
        {
            event.templateId = OrderDecoder.TEMPLATE_ID;
            event.orderId = offset;
            event.account = 1 + random.nextInt(accounts);
            event.instrument = 1 + random.nextInt(5);
            event.price = 100_000_000L + random.nextInt(1_000_000);
            event.quantity = 1 + random.nextInt(20_000);
            event.side = random.nextInt(2);
            event.action = random.nextInt(3);
        }
        else if (kind < 9)
        {
            event.templateId = ExecutionDecoder.TEMPLATE_ID;
            event.execId = offset;
            event.orderId = offset - 1;
            event.account = 1 + random.nextInt(accounts);
            event.counterpartyAccount = 1 + random.nextInt(accounts);
            event.instrument = 1 + random.nextInt(5);
            event.price = 100_000_000L + random.nextInt(1_000_000);
            event.quantity = 1 + random.nextInt(20_000);
            event.side = random.nextInt(2);
        }
        else
        {
            event.templateId = AccountUpdateDecoder.TEMPLATE_ID;
            event.account = 1 + random.nextInt(accounts);
            event.partyId = 1 + random.nextInt(accounts);
            event.action = random.nextInt(3);
            event.riskRating = random.nextInt(4);
            event.country = ('D' << 8) | 'E';
        }
    }

    /**
     * The account cap bounds the whole set's state, however many accounts pass; below the cap the store changes
     * nothing (the same alerts as with no cap).
     */
    @Test
    void theWholeSetHoldsNoMoreAccountsThanTheCapAndBelowItDecidesAsWithout()
    {
        final AccountStore.Limits capped = new AccountStore.Limits(500, AccountStore.Limits.NO_IDLE_LIMIT);
        final RuleWorker small = worker(rules(), capped);
        final RuleWorker large = worker(rules(), AccountStore.Limits.UNBOUNDED);
        final TxEvent one = new TxEvent(1, 32);
        final TxEvent other = new TxEvent(1, 32);
        final Random random = new Random(11);
        final Random same = new Random(11);

        // 60 accounts: below the cap, the capped worker raises exactly the alerts of the unbounded one
        long offset = 0;
        int raised = 0;
        for (int i = 0; i < 50_000; i++, offset++)
        {
            fill(one, random, offset);
            fill(other, same, offset);
            small.evaluate(one);
            large.evaluate(other);
            assertEquals(RuleStateSupport.describeAlerts(other, 1), RuleStateSupport.describeAlerts(one, 1),
                "offset " + offset);
            raised += one.alerts(0).count();
        }
        assertTrue(raised > 0);
        assertEquals(0, small.ruleSet().accounts().capEvictions());

        // then 200,000 events over 100,000 accounts: the capped worker holds 500, the other all it saw
        for (int i = 0; i < 200_000; i++, offset++)
        {
            fill(one, random, offset, 100_000);
            fill(other, same, offset, 100_000);
            small.evaluate(one);
            large.evaluate(other);
        }
        final AccountStore held = small.ruleSet().accounts();
        assertEquals(500, held.size());
        assertTrue(held.capEvictions() > 90_000, "evicted " + held.capEvictions());
        assertTrue(large.ruleSet().accounts().size() > 90_000);
        // every rule's state follows the accounts held, except the cycle rule's: it follows every debtor on every
        // worker, bounded by its own account-capacity (CycleRuleTest)
        final Rule[] smallRules = small.ruleSet().rules();
        final Rule[] largeRules = large.ruleSet().rules();
        final StringBuilder sizes = new StringBuilder();
        for (int i = 0; i < smallRules.length; i++)
        {
            final int smallBytes = stateBytes(smallRules[i]);
            final int largeBytes = stateBytes(largeRules[i]);
            sizes.append(smallRules[i].name()).append(' ').append(smallBytes).append('/').append(largeBytes).append(' ');
            if (!CycleRule.NAME.equals(smallRules[i].name()) && largeBytes > 100_000)
            {
                assertTrue(smallBytes * 10L < largeBytes, smallRules[i].name() + ": the capped state (" + smallBytes +
                    " bytes) is a small fraction of the unbounded (" + largeBytes + "); capped/unbounded: " + sizes);
            }
        }
    }

    private static int stateBytes(final Rule rule)
    {
        final io.txmon.rules.state.StateWriter out = new io.txmon.rules.state.StateWriter();
        rule.writeState(out);
        return out.position();
    }

    private static Rule[] rules()
    {
        return Typologies.defaults(1_000_000L, new long[]{ 7, 8, 9 }, new long[]{ 5 });
    }

    private static RuleWorker worker(final Rule[] rules)
    {
        return worker(rules, AccountStore.Limits.DEFAULT);
    }

    /**
     * Under eviction the account store hands evicted accounts' objects, reset, to new accounts. A worker doing so
     * must decide as one restored from its state that does not recycle, whose every object is new: alert for
     * alert, and the same state written at the end.
     */
    @Test
    void underEvictionARecyclingWorkerDecidesAsOneWhoseObjectsAreNew()
    {
        final AccountStore.Limits limits = new AccountStore.Limits(200, AccountStore.Limits.NO_IDLE_LIMIT);
        final RuleWorker live = worker(rules(), limits);
        final TxEvent one = new TxEvent(1, 32);
        final TxEvent other = new TxEvent(1, 32);
        final Random random = new Random(13);
        long offset = 0;
        for (int i = 0; i < 60_000; i++, offset++)
        {
            fill(one, random, offset, 2_000);
            one.eventTime -= late(random);
            live.evaluate(one);
        }
        assertTrue(live.ruleSet().accounts().capEvictions() > 10_000, "the store has recycled objects to give");

        final io.txmon.rules.state.StateWriter state = new io.txmon.rules.state.StateWriter();
        io.txmon.rules.state.RuleSetState.write(live.ruleSet(), state);
        final io.txmon.rules.config.RuleSet read = io.txmon.rules.state.RuleSetState.read(
            new io.txmon.rules.state.StateReader().wrap(state.buffer(), 0, state.position(), "live"),
            io.txmon.rules.config.RuleSettings.defaults(), TypologiesTest::rules, limits);
        final RuleWorker restored = worker(read);
        read.accounts().recycle(false);

        final long seed = random.nextLong();
        final Random a = new Random(seed);
        final Random b = new Random(seed);
        int raised = 0;
        for (int i = 0; i < 60_000; i++, offset++)
        {
            fill(one, a, offset, 2_000);
            one.eventTime -= late(a);
            fill(other, b, offset, 2_000);
            other.eventTime -= late(b);
            live.evaluate(one);
            restored.evaluate(other);
            assertEquals(RuleStateSupport.describeAlerts(other, 1), RuleStateSupport.describeAlerts(one, 1),
                "offset " + offset);
            raised += one.alerts(0).count();
        }
        assertTrue(raised > 100, "alerts to compare: " + raised);
        final io.txmon.rules.state.StateWriter liveEnd = new io.txmon.rules.state.StateWriter();
        final io.txmon.rules.state.StateWriter restoredEnd = new io.txmon.rules.state.StateWriter();
        io.txmon.rules.state.RuleSetState.write(live.ruleSet(), liveEnd);
        io.txmon.rules.state.RuleSetState.write(restored.ruleSet(), restoredEnd);
        assertArrayEquals(RuleStateSupport.bytes(restoredEnd), RuleStateSupport.bytes(liveEnd));
    }

    /** Now and then an event an hour or so late: windows and clocks kept per account then matter. */
    private static long late(final Random random)
    {
        return random.nextInt(4) == 0 ? (long)random.nextInt(7_200) * 1_000_000_000L : 0;
    }

    private static RuleWorker worker(final Rule[] rules, final AccountStore.Limits limits)
    {
        return worker(io.txmon.rules.config.RuleSet.fixed(rules, limits));
    }

    private static RuleWorker worker(final io.txmon.rules.config.RuleSet rules)
    {
        final RingBuffer<TxEvent> ring = RingBuffer.createSingleProducer(() -> new TxEvent(1, 32), 4);
        final CountersManager counters = new CountersManager(
            new UnsafeBuffer(ByteBuffer.allocateDirect(16 * 1024)), new UnsafeBuffer(ByteBuffer.allocateDirect(2 * 1024)));
        return new RuleWorker(0, 1, ring.newPoller(), rules,
            (rule, offset, error) ->
            {
                throw new AssertionError("rule " + rule.name() + " threw at offset " + offset, error);
            },
            counters.newCounter("evaluated"), counters.newCounter("rule errors"), 1024);
    }
}
