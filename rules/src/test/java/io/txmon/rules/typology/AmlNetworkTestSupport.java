package io.txmon.rules.typology;

import com.lmax.disruptor.RingBuffer;
import io.txmon.events.codec.AccountUpdateDecoder;
import io.txmon.events.codec.Channel;
import io.txmon.events.codec.PaymentDecoder;
import io.txmon.rules.AlertBuffer;
import io.txmon.rules.AlertRecord;
import io.txmon.rules.Rule;
import io.txmon.rules.RuleContext;
import io.txmon.rules.RuleWorker;
import io.txmon.rules.TxEvent;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersManager;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Drives the aml-network typologies (fan-in, fan-out, pass-through, dormant-reactivated, new-account-large,
 * new-payee-large, card-testing) through the public {@link RuleWorker#evaluate} route, exactly as the live
 * worker and replay do. A rule that throws fails the test.
 */
final class AmlNetworkTestSupport
{
    static final int EUR = 978;
    static final long SECOND = 1_000_000_000L;
    static final long MINUTE = 60 * SECOND;
    static final long HOUR = 60 * MINUTE;
    static final long DAY = 24 * HOUR;
    static final long T0 = 1_700_000_000L * SECOND;

    private AmlNetworkTestSupport()
    {
    }

    /**
     * @return a worker running only this rule, as worker {@code index} of {@code count}.
     */
    static RuleWorker worker(final int index, final int count, final Rule rule)
    {
        final RingBuffer<TxEvent> ring = RingBuffer.createSingleProducer(() -> new TxEvent(count, 8), 4);
        final CountersManager counters = new CountersManager(
            new UnsafeBuffer(ByteBuffer.allocateDirect(16 * 1024)), new UnsafeBuffer(ByteBuffer.allocateDirect(2 * 1024)));
        return new RuleWorker(
            index,
            count,
            ring.newPoller(),
            new Rule[]{ rule },
            (r, offset, error) ->
            {
                throw new AssertionError("rule " + r.name() + " threw at offset " + offset, error);
            },
            counters.newCounter("evaluated"),
            counters.newCounter("rule errors"),
            1024);
    }

    static TxEvent payment(
        final TxEvent event,
        final long offset,
        final long time,
        final long debtor,
        final long creditor,
        final long amount)
    {
        event.reset();
        event.offset = offset;
        event.templateId = PaymentDecoder.TEMPLATE_ID;
        event.producerId = 1;
        event.producerSeq = offset;
        event.eventTime = time;
        event.txId = 5_000_000 + offset;
        event.debtorAccount = debtor;
        event.creditorAccount = creditor;
        event.amount = amount;
        event.currency = EUR;
        event.channel = Channel.WIRE.value();
        event.latitude = Integer.MIN_VALUE;
        event.longitude = Integer.MIN_VALUE;
        return event;
    }

    static TxEvent accountUpdate(
        final TxEvent event, final long offset, final long time, final long account, final int action)
    {
        event.reset();
        event.offset = offset;
        event.templateId = AccountUpdateDecoder.TEMPLATE_ID;
        event.producerId = 1;
        event.producerSeq = offset;
        event.eventTime = time;
        event.account = account;
        event.partyId = account + 1_000_000;
        event.action = action;
        return event;
    }

    /**
     * @return the only alert worker 0 raised for the event, failing if there is not exactly one.
     */
    static AlertRecord onlyAlert(final TxEvent event)
    {
        final AlertBuffer alerts = event.alerts(0);
        assertEquals(1, alerts.count(), "alerts raised for offset " + event.offset);
        return alerts.get(0);
    }

    static int alertCount(final TxEvent event)
    {
        int count = 0;
        for (int w = 0; w < event.workerCount(); w++)
        {
            count += event.alerts(w).count();
        }
        return count;
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

    static long[] sorted(final long... values)
    {
        final long[] copy = values.clone();
        java.util.Arrays.sort(copy);
        return copy;
    }

    /**
     * @return the first account at or after {@code from} that worker {@code worker} of {@code count} owns.
     */
    static long ownedBy(final int worker, final int count, final long from)
    {
        long account = from;
        while (RuleContext.partition(account, count) != worker)
        {
            account++;
        }
        return account;
    }

    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();

    static long allocatedBytes()
    {
        return THREADS.getCurrentThreadAllocatedBytes();
    }

    /**
     * Something that feeds events through a worker; run to warm up, then measured.
     */
    interface Workload
    {
        void run(int events);
    }

    /**
     * Warm up, then assert that {@code events} more events allocate less than 1 KB on this thread. The
     * cost of reading the allocation counter itself (measured around an empty run) is subtracted, and the
     * best of three attempts is kept so that a one-off JIT event (an on-stack replacement) does not fail
     * the test: an allocation per event would show as megabytes in every attempt.
     */
    static void assertSteadyStateAllocationFree(final Workload workload, final int events)
    {
        for (int i = 0; i < 3; i++)
        {
            workload.run(events);
        }
        long best = Long.MAX_VALUE;
        for (int attempt = 0; attempt < 3; attempt++)
        {
            final long b0 = allocatedBytes();
            workload.run(0);
            final long overhead = allocatedBytes() - b0;
            final long before = allocatedBytes();
            workload.run(events);
            final long allocated = allocatedBytes() - before - overhead;
            best = Math.min(best, allocated);
        }
        System.out.println("steady state: " + best + " bytes allocated over " + events + " events");
        assertTrue(best < 1024, "allocated " + best + " bytes over " + events + " events");
    }

    /**
     * Fills a slot with the k-th event of a stream.
     */
    interface EventStream
    {
        void fill(TxEvent event, int k);
    }

    /**
     * Feed the same stream through two fresh rule instances and assert that they raise the same alerts:
     * ids, scores, accounts, evidence and reasons. Returns how many alerts each raised.
     */
    static int assertDeterministic(final java.util.function.Supplier<Rule> factory, final EventStream stream, final int events)
    {
        final java.util.List<String> first = run(factory.get(), stream, events);
        final java.util.List<String> second = run(factory.get(), stream, events);
        assertEquals(first, second);
        return first.size();
    }

    private static java.util.List<String> run(final Rule rule, final EventStream stream, final int events)
    {
        final RuleWorker worker = worker(0, 1, rule);
        final TxEvent event = new TxEvent(1, 8);
        final java.util.List<String> alerts = new java.util.ArrayList<>();
        for (int k = 0; k < events; k++)
        {
            stream.fill(event, k);
            worker.evaluate(event);
            for (int i = 0; i < event.alerts(0).count(); i++)
            {
                final AlertRecord alert = event.alerts(0).get(i);
                alerts.add(alert.alertId() + " " + alert.score() + " " + alert.account() + " " +
                    java.util.Arrays.toString(evidence(alert)) + " " + alert.reason());
            }
        }
        return alerts;
    }

    /**
     * @return a well mixed non-negative pseudo-random number derived from {@code k} (SplitMix64).
     */
    static long mix(final long k)
    {
        long z = k * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return (z ^ (z >>> 31)) & Long.MAX_VALUE;
    }
}
