package io.txmon.rules;

import com.lmax.disruptor.EventPoller;
import com.lmax.disruptor.RingBuffer;
import io.txmon.events.codec.PaymentDecoder;
import io.txmon.events.codec.Severity;
import org.agrona.collections.LongArrayList;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class RuleWorkerTest
{
    private static final int RING_SIZE = 64;

    private RingBuffer<TxEvent> ring;
    private EventPoller<TxEvent> poller;
    private AtomicCounter evaluated;
    private AtomicCounter ruleErrors;
    private final List<String> errors = new ArrayList<>();
    private final LongArrayList errorOffsets = new LongArrayList();
    private final List<Rule> errorRules = new ArrayList<>();
    private final RuleErrorHandler errorHandler = (rule, offset, error) ->
    {
        errorRules.add(rule);
        errorOffsets.addLong(offset);
        errors.add(error.getMessage());
    };
    private long nextOffset;

    @BeforeEach
    void before()
    {
        ring = RingBuffer.createSingleProducer(() -> new TxEvent(2, 8), RING_SIZE);
        poller = ring.newPoller();
        ring.addGatingSequences(poller.getSequence());
        final CountersManager counters = new CountersManager(
            new UnsafeBuffer(new byte[64 * 1024]), new UnsafeBuffer(new byte[8 * 1024]));
        evaluated = counters.newCounter("evaluated");
        ruleErrors = counters.newCounter("rule errors");
    }

    @AfterEach
    void after()
    {
        org.agrona.CloseHelper.closeAll(evaluated, ruleErrors);
    }

    @Test
    void throwingRuleIsIsolated() throws Exception
    {
        final RecordingRule before = new RecordingRule(10);
        final ThrowingRule throwing = new ThrowingRule(11, 3);
        final RecordingRule after = new RecordingRule(12);
        final RuleWorker worker = newWorker(0, 1, 1024, before, throwing, after);

        publish(10);
        assertEquals(10, worker.doWork());

        assertEquals(offsets(0, 10), before.seen, "rule before the throwing one saw every event");
        assertEquals(offsets(0, 10), after.seen, "rule after the throwing one saw every event, the bad ones too");
        assertEquals(offsets(0, 10), throwing.seen);
        final LongArrayList expectedErrors = new LongArrayList();
        expectedErrors.addLong(0);
        expectedErrors.addLong(3);
        expectedErrors.addLong(6);
        expectedErrors.addLong(9);
        assertEquals(expectedErrors, errorOffsets, "error handler told each offset the rule failed on");
        for (final Rule rule : errorRules)
        {
            assertSame(throwing, rule);
        }
        assertEquals("boom at 3", errors.get(1));
        assertEquals(4, ruleErrors.get());
        assertEquals(10, evaluated.get());
        assertEquals(9, worker.sequence().get(), "sequence past every event");
        assertEquals(ring.getCursor(), worker.sequence().get());

        // later events are still processed
        publish(5);
        assertEquals(5, worker.doWork());
        assertEquals(offsets(0, 15), after.seen);
        assertEquals(5, ruleErrors.get(), "offset 12 failed");
        assertEquals(12, errorOffsets.getLong(4));
        assertEquals(15, evaluated.get());
        assertEquals(14, worker.sequence().get());
    }

    @Test
    void errorsAndAssertionErrorsAreIsolatedToo() throws Exception
    {
        final RecordingRule after = new RecordingRule(2);
        final Rule erroring = new Rule()
        {
            public int id()
            {
                return 1;
            }

            public int version()
            {
                return 1;
            }

            public String name()
            {
                return "erroring";
            }

            public void onEvent(final TxEvent event, final RuleContext context)
            {
                throw new AssertionError("always");
            }
        };
        final RuleWorker worker = newWorker(0, 1, 1024, erroring, after);

        publish(3);
        assertEquals(3, worker.doWork());
        assertEquals(3, ruleErrors.get());
        assertEquals(offsets(0, 3), after.seen);
        assertEquals(2, worker.sequence().get());
    }

    @Test
    void ruleThatRaisesThenThrowsDoesNotStopTheOthersRaising() throws Exception
    {
        final Rule raiseThenThrow = new Rule()
        {
            public int id()
            {
                return 5;
            }

            public int version()
            {
                return 2;
            }

            public String name()
            {
                return "raise-then-throw";
            }

            public void onEvent(final TxEvent event, final RuleContext context)
            {
                context.raise(this, Severity.LOW, 1, event.debtorAccount);
                throw new IllegalStateException("after raise");
            }
        };
        final RaisingRule raising = new RaisingRule(6);
        final RuleWorker worker = newWorker(0, 1, 1024, raiseThenThrow, raising);

        publish(1);
        assertEquals(1, worker.doWork());

        final AlertBuffer alerts = ring.get(0).alerts(0);
        assertEquals(2, alerts.count());
        assertEquals(6, alerts.get(1).ruleId());
        assertEquals(AlertIds.alertId(6, 1, 0), alerts.get(1).alertId());
        assertEquals(1, ruleErrors.get());
    }

    @Test
    void batchLimitBoundsWorkPerDutyCycle() throws Exception
    {
        final RecordingRule rule = new RecordingRule(1);
        final RuleWorker worker = newWorker(0, 1, 4, rule);

        assertEquals(0, worker.doWork(), "nothing published yet");
        assertEquals(0, evaluated.get());

        publish(10);
        assertEquals(4, worker.doWork());
        assertEquals(3, worker.sequence().get());
        assertEquals(4, evaluated.get());
        assertEquals(4, rule.seen.size());

        assertEquals(4, worker.doWork());
        assertEquals(7, worker.sequence().get());
        assertEquals(8, evaluated.get());

        assertEquals(2, worker.doWork());
        assertEquals(9, worker.sequence().get());
        assertEquals(10, evaluated.get());

        assertEquals(0, worker.doWork());
        assertEquals(10, evaluated.get());
        assertEquals(offsets(0, 10), rule.seen);
    }

    @Test
    void batchLimitOfOneHandlesOneEventPerDutyCycle() throws Exception
    {
        final RecordingRule rule = new RecordingRule(1);
        final RuleWorker worker = newWorker(0, 1, 1, rule);

        publish(3);
        assertEquals(1, worker.doWork());
        assertEquals(1, worker.doWork());
        assertEquals(1, worker.doWork());
        assertEquals(0, worker.doWork());
        assertEquals(3, evaluated.get());
        assertEquals(offsets(0, 3), rule.seen);
    }

    @Test
    void ringWrapsManyTimesWithoutLosingEvents() throws Exception
    {
        final RecordingRule rule = new RecordingRule(1);
        final RuleWorker worker = newWorker(0, 1, 50, rule);

        final int total = RING_SIZE * 20;
        int published = 0;
        while (published < total)
        {
            final int n = Math.min(Math.min((int)ring.remainingCapacity(), 37), total - published);
            publish(n);
            published += n;
            worker.doWork();
        }
        while (worker.doWork() > 0)
        {
            // drain
        }

        assertEquals(total, rule.seen.size());
        for (int i = 0; i < total; i++)
        {
            assertEquals(i, rule.seen.getLong(i), "offset at " + i);
        }
        assertEquals(total, evaluated.get());
        assertEquals(total - 1, worker.sequence().get());
    }

    @Test
    void alertsGoToTheWorkersOwnBufferInTheSlot() throws Exception
    {
        final RaisingRule rule = new RaisingRule(3);
        final RuleWorker worker = newWorker(1, 2, 1024, rule);

        publish(1);
        assertEquals(1, worker.doWork());

        final TxEvent slot = ring.get(0);
        assertEquals(0, slot.alerts(0).count());
        assertEquals(1, slot.alerts(1).count());
        assertEquals(3, slot.alerts(1).get(0).ruleId());
        assertEquals(1, rule.workerIndex);
    }

    @Test
    void evaluateRunsRulesWithoutThePoller()
    {
        final RecordingRule rule = new RecordingRule(1);
        final RuleWorker worker = newWorker(0, 1, 1024, rule);
        final TxEvent event = new TxEvent(2, 8);
        event.reset();
        event.templateId = io.txmon.events.codec.PaymentDecoder.TEMPLATE_ID;
        event.offset = 4242;

        worker.evaluate(event);

        assertEquals(1, rule.seen.size());
        assertEquals(4242, rule.seen.getLong(0));
        assertEquals(0, evaluated.get(), "only the duty cycle counts evaluations");
    }

    @Test
    void rulesArrayIsCopied() throws Exception
    {
        final RecordingRule first = new RecordingRule(1);
        final Rule[] rules = { first };
        final RuleWorker worker = new RuleWorker(0, 1, poller, rules, errorHandler, evaluated, ruleErrors, 16);
        rules[0] = new ThrowingRule(2, 1);

        publish(2);
        assertEquals(2, worker.doWork());
        assertEquals(2, first.seen.size());
        assertEquals(0, ruleErrors.get());
    }

    @Test
    void roleNameNamesTheWorker()
    {
        assertEquals("txmon-rule-worker-1", newWorker(1, 2, 1, new RecordingRule(1)).roleName());
    }

    @Test
    void theWorkerAddsItsAccountStoresFiguresToTheCountersOncePerBatch() throws Exception
    {
        final Rule keeping = new Rule()
        {
            public int id()
            {
                return 30;
            }

            public int version()
            {
                return 0;
            }

            public String name()
            {
                return "keeps both sides";
            }

            public void onEvent(final TxEvent event, final RuleContext context)
            {
                context.slot(event.debtorAccount);
                context.slot(event.creditorAccount);
            }
        };
        final RuleWorker worker = new RuleWorker(0, 1, poller,
            io.txmon.rules.config.RuleSet.fixed(new Rule[]{ keeping },
                new io.txmon.rules.state.AccountStore.Limits(4, io.txmon.rules.state.AccountStore.Limits.NO_IDLE_LIMIT)),
            errorHandler, evaluated, ruleErrors, 1024);
        final CountersManager counters = new CountersManager(
            new UnsafeBuffer(new byte[64 * 1024]), new UnsafeBuffer(new byte[8 * 1024]));
        final AtomicCounter held = counters.newCounter("held");
        final AtomicCounter capEvicted = counters.newCounter("cap evicted");
        final AtomicCounter idleEvicted = counters.newCounter("idle evicted");
        // another worker's figures are already in the shared counters: this one adds its own
        held.set(100);
        capEvicted.set(1000);
        try
        {
            worker.accountCounters(held, capEvicted, idleEvicted);
            publish(10);
            assertEquals(10, worker.doWork());
            assertEquals(104, held.get(), "4 held: the cap");
            assertEquals(1016, capEvicted.get(), "20 accounts seen, 16 evicted");
            publish(3);
            assertEquals(3, worker.doWork());
            assertEquals(104, held.get());
            assertEquals(1022, capEvicted.get());
            assertEquals(0, idleEvicted.get());
        }
        finally
        {
            org.agrona.CloseHelper.closeAll(held, capEvicted, idleEvicted);
        }
    }

    @Test
    void invalidWorkerIndexIsRefused()
    {
        assertThrows(IllegalArgumentException.class, () -> newWorker(2, 2, 1, new RecordingRule(1)));
        assertThrows(IllegalArgumentException.class, () -> newWorker(-1, 2, 1, new RecordingRule(1)));
        assertThrows(IllegalArgumentException.class, () -> newWorker(0, 0, 1, new RecordingRule(1)));
    }

    private RuleWorker newWorker(final int index, final int count, final int batchLimit, final Rule... rules)
    {
        return new RuleWorker(index, count, poller, rules, errorHandler, evaluated, ruleErrors, batchLimit);
    }

    private void publish(final int count)
    {
        for (int i = 0; i < count; i++)
        {
            final long sequence = ring.next();
            final TxEvent event = ring.get(sequence);
            event.reset();
            event.offset = nextOffset;
            event.templateId = PaymentDecoder.TEMPLATE_ID;
            event.producerId = 1;
            event.producerSeq = nextOffset;
            event.eventTime = 1_000 + nextOffset;
            event.debtorAccount = 100 + nextOffset;
            event.creditorAccount = 200 + nextOffset;
            event.amount = 1_000 + nextOffset;
            event.currency = 978;
            nextOffset++;
            ring.publish(sequence);
        }
    }

    private static LongArrayList offsets(final long from, final long to)
    {
        final LongArrayList list = new LongArrayList();
        for (long i = from; i < to; i++)
        {
            list.addLong(i);
        }
        return list;
    }

    static class RecordingRule implements Rule
    {
        final int id;
        final LongArrayList seen = new LongArrayList();

        RecordingRule(final int id)
        {
            this.id = id;
        }

        public int id()
        {
            return id;
        }

        public int version()
        {
            return 1;
        }

        public String name()
        {
            return "recording-" + id;
        }

        public void onEvent(final TxEvent event, final RuleContext context)
        {
            seen.addLong(event.offset);
        }
    }

    static final class ThrowingRule extends RecordingRule
    {
        private final int every;

        ThrowingRule(final int id, final int every)
        {
            super(id);
            this.every = every;
        }

        public void onEvent(final TxEvent event, final RuleContext context)
        {
            super.onEvent(event, context);
            if (event.offset % every == 0)
            {
                throw new IllegalStateException("boom at " + event.offset);
            }
        }
    }

    static final class RaisingRule implements Rule
    {
        private final int id;
        int workerIndex = -1;

        RaisingRule(final int id)
        {
            this.id = id;
        }

        public int id()
        {
            return id;
        }

        public int version()
        {
            return 1;
        }

        public String name()
        {
            return "raising-" + id;
        }

        public void onEvent(final TxEvent event, final RuleContext context)
        {
            workerIndex = context.workerIndex();
            context.raise(this, Severity.MEDIUM, 700, event.debtorAccount).evidence(event.offset);
        }
    }
}
