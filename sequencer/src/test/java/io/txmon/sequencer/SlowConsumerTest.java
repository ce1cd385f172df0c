package io.txmon.sequencer;

import io.txmon.events.codec.PaymentEncoder;
import io.txmon.rules.Rule;
import io.txmon.rules.RuleContext;
import io.txmon.rules.TxEvent;
import io.txmon.transport.TxmonPublisher;
import org.agrona.CloseHelper;
import org.agrona.concurrent.YieldingIdleStrategy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import static io.txmon.sequencer.EngineTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * A rule worker that stops taking events (it holds the first one until released) fills the ring; the sequencer
 * must then stop polling so producers are back-pressured by Aeron, and nothing may pile up on the heap however
 * long they keep pushing. Once released, everything offered is journaled exactly once.
 */
class SlowConsumerTest
{
    private static final int RING_SIZE = 1024;
    private static final int PRODUCERS = 2;
    private static final int EVENTS_PER_PRODUCER = 20_000;
    private static final long FIRST_PRODUCER_ID = 61;
    private static final int REFERENCE_LENGTH = 1000;
    /** About 1.1 KB per event: queuing what producers try to push would show on the heap at once. */
    private static final int EVENT_LENGTH = 8 + PaymentEncoder.BLOCK_LENGTH + 2 + REFERENCE_LENGTH;
    private static final long MIN_OFFERED_BYTES = 100L * 1024 * 1024;
    private static final long MIN_HELD_NS = TimeUnit.SECONDS.toNanos(2);
    private static final long MAX_HELD_NS = TimeUnit.SECONDS.toNanos(30);
    private static final long MAX_HEAP_GROWTH = 32L * 1024 * 1024;

    @TempDir
    Path tempDir;

    /** Holds the first event until released, or for a minute at most. */
    static final class HoldRule implements Rule
    {
        volatile boolean released;
        volatile boolean holding;

        public int id()
        {
            return 902;
        }

        public int version()
        {
            return 1;
        }

        public String name()
        {
            return "hold";
        }

        public void onEvent(final TxEvent event, final RuleContext context)
        {
            if (!released)
            {
                holding = true;
                final long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
                while (!released && System.nanoTime() - deadline < 0)
                {
                    LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(100));
                }
                holding = false;
            }
        }
    }

    @Test
    void fullRingBackPressuresProducersWithoutGrowingTheHeapAndNothingIsLost() throws Exception
    {
        final Path journalDir = tempDir.resolve("journal");
        final HoldRule hold = new HoldRule();
        final EngineErrors errors = new EngineErrors();
        final Engine engine = Engine.launch(context(tempDir.resolve("aeron"), journalDir, (w) -> new Rule[]{ hold })
            .segmentLength(64 * 1024 * 1024)
            .ringSize(RING_SIZE)
            .errorHandler(errors));
        final byte[] reference = new byte[REFERENCE_LENGTH];
        Arrays.fill(reference, (byte)'r');

        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final AtomicLongArray sent = new AtomicLongArray(PRODUCERS);
        final AtomicLongArray backPressured = new AtomicLongArray(PRODUCERS);
        final AtomicLongArray timeouts = new AtomicLongArray(PRODUCERS);
        final long[] acked = new long[PRODUCERS];
        final Thread[] producers = new Thread[PRODUCERS];
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        try
        {
            for (int p = 0; p < PRODUCERS; p++)
            {
                final int index = p;
                producers[p] = new Thread(() ->
                {
                    final long producerId = FIRST_PRODUCER_ID + index;
                    try (TxmonPublisher publisher = new TxmonPublisher(new TxmonPublisher.Context()
                        .aeron(engine.aeron())
                        .channel("aeron:ipc?term-length=1m")
                        .ackChannel(engine.context().ackChannel())
                        .producerId(producerId)
                        .idleStrategy(new YieldingIdleStrategy())
                        .sendTimeoutNs(TimeUnit.MILLISECONDS.toNanos(100))
                        .unacknowledgedBufferBytes(4 * 1024 * 1024)))
                    {
                        if (!publisher.awaitConnected(TimeUnit.SECONDS.toNanos(10)))
                        {
                            throw new IllegalStateException("not connected");
                        }
                        for (int i = 0; i < EVENTS_PER_PRODUCER; i++)
                        {
                            while (true)
                            {
                                if (System.nanoTime() - deadline > 0 || null != failure.get())
                                {
                                    throw new IllegalStateException("producer " + producerId + " gave up at " + i);
                                }
                                final PaymentEncoder payment = publisher.payment();
                                fillPayment(payment, i, JournalScan.amountOf(producerId, i));
                                payment.putReference(reference, 0, REFERENCE_LENGTH);
                                final long result = publisher.send();
                                backPressured.set(index, publisher.backPressureCount());
                                if (result > 0)
                                {
                                    break;
                                }
                                if (result != TxmonPublisher.TIMED_OUT)
                                {
                                    throw new IllegalStateException("send failed: " + TxmonPublisher.describe(result));
                                }
                                timeouts.incrementAndGet(index);
                            }
                            sent.set(index, i + 1);
                        }
                        if (!publisher.awaitAcknowledged(EVENTS_PER_PRODUCER - 1,
                            Math.max(1, deadline - System.nanoTime())))
                        {
                            throw new IllegalStateException("not all acknowledged: " + publisher.acknowledgedSeq());
                        }
                        acked[index] = publisher.acknowledgedSeq();
                    }
                    catch (final Throwable t)
                    {
                        failure.compareAndSet(null, t);
                    }
                }, "slow-consumer-producer-" + p);
                producers[p].start();
            }

            final EngineCounters counters = engine.counters();
            // the ring fills behind the held event, the sequencer stops polling, both producers are pushed back
            Await.await(TIMEOUT_MS, () -> null != failure.get() ||
                    (counters.journaled() == RING_SIZE && backPressured.get(0) > 0 && backPressured.get(1) > 0),
                () -> "ring full and both producers back-pressured: " + describe(counters) + " back-pressured " +
                    backPressured, null);
            assertNull(failure.get(), () -> "producer failed: " + failure.get());
            Await.await(TIMEOUT_MS, () -> hold.holding, () -> "the rule worker holds an event", null);

            final long heapBefore = usedHeapAfterGc();
            final long offeredBefore = offered(backPressured, sent);
            final long heldFrom = System.nanoTime();
            Await.await(TimeUnit.NANOSECONDS.toMillis(MAX_HELD_NS), () -> null != failure.get() ||
                    (offered(backPressured, sent) - offeredBefore > MIN_OFFERED_BYTES &&
                    System.nanoTime() - heldFrom > MIN_HELD_NS),
                () -> "producers pushed " + (offered(backPressured, sent) - offeredBefore) + " bytes at a full ring", null);
            assertNull(failure.get(), () -> "producer failed: " + failure.get());
            final long offeredWhileHeld = offered(backPressured, sent) - offeredBefore;
            final long heapAfter = usedHeapAfterGc();
            final long heldMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - heldFrom);
            final long journaledWhileHeld = counters.journaled();
            final long receivedWhileHeld = counters.received();

            System.out.println("held " + heldMs + " ms: offered " + (offeredWhileHeld >> 20) + " MiB (" +
                offeredWhileHeld / EVENT_LENGTH + " offers), heap " + (heapBefore >> 20) + " -> " + (heapAfter >> 20) +
                " MiB, journaled " + journaledWhileHeld + ", received " + receivedWhileHeld + ", sent " + sent +
                ", send time-outs " + timeouts);
            assertEquals(RING_SIZE, journaledWhileHeld, "nothing journaled beyond the ring while it was full");
            assertEquals(RING_SIZE, receivedWhileHeld, "nothing taken off the stream while the ring was full");
            assertTrue(offeredWhileHeld > MIN_OFFERED_BYTES);
            assertTrue(heapAfter - heapBefore < MAX_HEAP_GROWTH, "heap grew by " + (heapAfter - heapBefore) +
                " bytes while " + offeredWhileHeld + " bytes were offered");

            hold.released = true;
            for (final Thread producer : producers)
            {
                producer.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())) + 5_000);
            }
            assertNull(failure.get(), () -> "producer failed: " + failure.get());
            final long total = (long)PRODUCERS * EVENTS_PER_PRODUCER;
            awaitCondition(() -> counters.decided() == total, () -> describe(counters));
            assertEquals(total, counters.journaled());
            assertEquals(total, counters.received());
            assertEquals(0, counters.duplicates());
            assertEquals(0, counters.rejected());
            assertNoErrors(errors);
            for (int p = 0; p < PRODUCERS; p++)
            {
                assertEquals(EVENTS_PER_PRODUCER - 1, acked[p]);
            }
        }
        finally
        {
            hold.released = true;
            failure.compareAndSet(null, new IllegalStateException("test ended"));
            for (final Thread producer : producers)
            {
                if (null != producer)
                {
                    producer.join(30_000);
                }
            }
            CloseHelper.closeAll(engine);
        }

        final JournalScan scan = JournalScan.scan(journalDir, JournalScan.paymentAmounts());
        assertNull(scan.firstViolation, scan::toString);
        assertEquals((long)PRODUCERS * EVENTS_PER_PRODUCER, scan.records);
        for (int p = 0; p < PRODUCERS; p++)
        {
            assertEquals(EVENTS_PER_PRODUCER, scan.producer(FIRST_PRODUCER_ID + p).count);
        }
    }

    /** Bytes the producers tried to push: every offer, accepted or back-pressured. */
    private static long offered(final AtomicLongArray backPressured, final AtomicLongArray sent)
    {
        long offers = 0;
        for (int p = 0; p < backPressured.length(); p++)
        {
            offers += backPressured.get(p) + sent.get(p);
        }
        return offers * EVENT_LENGTH;
    }

    /** Heap in use after full collections: the lowest of three, so garbage made meanwhile does not count. */
    private static long usedHeapAfterGc()
    {
        final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long lowest = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++)
        {
            System.gc();
            lowest = Math.min(lowest, memory.getHeapMemoryUsage().getUsed());
        }
        return lowest;
    }
}
