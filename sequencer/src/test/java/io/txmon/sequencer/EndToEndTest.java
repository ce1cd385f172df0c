package io.txmon.sequencer;

import io.aeron.Subscription;
import io.txmon.events.Currencies;
import io.txmon.events.codec.Channel;
import io.txmon.events.codec.MessageHeaderDecoder;
import io.txmon.events.codec.PaymentDecoder;
import io.txmon.events.codec.Severity;
import io.txmon.journal.JournalReader;
import io.txmon.rules.AlertIds;
import io.txmon.rules.Rule;
import io.txmon.rules.typology.LargeAmountRule;
import io.txmon.transport.AlertAdapter;
import io.txmon.transport.TxmonPublisher;
import org.agrona.CloseHelper;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.LongHashSet;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The whole path in one process: two producers over aeron:ipc, the sequencer, the journal, the ring, the
 * large-amount rule and the alert stream.
 */
class EndToEndTest
{
    private static final int PRODUCERS = 2;
    private static final int EVENTS_PER_PRODUCER = 50_000;
    private static final long THRESHOLD = 1_000_000L;

    @TempDir
    Path tempDir;

    @Test
    void everyEventJournaledOnceInOrderAndExactlyThePlantedLargeAmountsAlert() throws Exception
    {
        final Set<Long> threadsBefore = Await.liveThreadIds();
        final Path aeronDir = tempDir.resolve("aeron");
        final Path journalDir = tempDir.resolve("journal");

        // planted[p] holds the producer sequences of producer p+1 that carry a large amount
        final LongHashSet[] planted = new LongHashSet[PRODUCERS];
        final long[][] amounts = new long[PRODUCERS][EVENTS_PER_PRODUCER];
        final Random random = new Random(42);
        int plantedTotal = 0;
        for (int p = 0; p < PRODUCERS; p++)
        {
            planted[p] = new LongHashSet();
            for (int i = 0; i < EVENTS_PER_PRODUCER; i++)
            {
                final boolean large = random.nextInt(250) == 0;
                // the boundary: exactly the threshold alerts, one minor unit below does not
                amounts[p][i] = large ? THRESHOLD + random.nextInt(5_000_000) :
                    (i % 1000 == 7 ? THRESHOLD - 1 : 1 + random.nextInt((int)THRESHOLD - 1));
                if (large)
                {
                    planted[p].add(i);
                    plantedTotal++;
                }
            }
        }
        amounts[0][100] = THRESHOLD;
        if (planted[0].add(100))
        {
            plantedTotal++;
        }

        final java.util.List<String> journalFailures = new java.util.concurrent.CopyOnWriteArrayList<>();
        final Engine engine = Engine.launch(new Engine.Context()
            .aeronDirectoryName(aeronDir.toString())
            .journalDir(journalDir)
            .segmentLength(4 * 1024 * 1024)
            .rejectListener(new RejectListener()
            {
                public void onReject(
                    final io.txmon.events.RejectReason reason,
                    final org.agrona.DirectBuffer buffer,
                    final int offset,
                    final int length)
                {
                }

                public void onJournalFailure(final long status, final Exception cause)
                {
                    final java.io.StringWriter trace = new java.io.StringWriter();
                    if (null != cause)
                    {
                        cause.printStackTrace(new java.io.PrintWriter(trace));
                    }
                    journalFailures.add("status " + status + ": " + trace);
                }
            })
            .rulesFactory((worker) -> new Rule[]{ new LargeAmountRule(THRESHOLD, Severity.HIGH) })
            .unjournaledRules(true));
        Subscription alertSubscription = null;
        try
        {
            final LongHashSet alertedOffsets = new LongHashSet();
            final LongHashSet alertIds = new LongHashSet();
            final long[] wrongRule = new long[1];
            alertSubscription = engine.aeron().addSubscription(
                engine.context().alertChannel(), engine.context().alertStreamId());
            final AlertAdapter alerts = new AlertAdapter(alertSubscription, (alert) ->
            {
                if (alert.ruleId() != LargeAmountRule.ID)
                {
                    wrongRule[0]++;
                }
                alertedOffsets.add(alert.triggeringOffset());
                assertTrue(alertIds.add(alert.alertId()), "alert id repeated");
                assertEquals(alert.triggeringOffset(), AlertIds.triggeringOffset(alert.alertId()));
            });
            final Subscription sub = alertSubscription;
            Await.await(10_000, sub::isConnected, () -> "alert subscription connected", null);

            final AtomicReference<Throwable> producerFailure = new AtomicReference<>();
            final Thread[] producers = new Thread[PRODUCERS];
            for (int p = 0; p < PRODUCERS; p++)
            {
                final int index = p;
                producers[p] = new Thread(() ->
                {
                    try (TxmonPublisher publisher = new TxmonPublisher(
                        engine.aeron(), engine.context().ingestChannel(), engine.context().ingestStreamId(),
                        index + 1, 0, new BackoffIdleStrategy(), TimeUnit.SECONDS.toNanos(10)))
                    {
                        assertTrue(publisher.awaitConnected(TimeUnit.SECONDS.toNanos(10)));
                        for (int i = 0; i < EVENTS_PER_PRODUCER; i++)
                        {
                            publisher.payment()
                                .eventTime(1_700_000_000_000_000_000L + i)
                                .txId((long)(index + 1) * 10_000_000L + i)
                                .debtorAccount(1 + (i % 997))
                                .creditorAccount(2_000 + (i % 991))
                                .amount(amounts[index][i])
                                .currency(978)
                                .channel(Channel.SEPA)
                                .debtorCountry(0, (byte)'D').debtorCountry(1, (byte)'E')
                                .creditorCountry(0, (byte)'F').creditorCountry(1, (byte)'R');
                            final long result = publisher.send();
                            if (result < 0)
                            {
                                throw new IllegalStateException("send failed: " + TxmonPublisher.describe(result));
                            }
                        }
                    }
                    catch (final Throwable t)
                    {
                        producerFailure.set(t);
                    }
                }, "test-producer-" + (p + 1));
                producers[p].start();
            }

            final long total = (long)PRODUCERS * EVENTS_PER_PRODUCER;
            final EngineCounters counters = engine.counters();
            Await.await(
                60_000,
                () -> producerFailure.get() != null ||
                    (counters.decided() == total && alertedOffsets.size() + counters.alertsUnpublished() >= counters.alerts()),
                () -> "decided " + counters.decided() + " of " + total + ", alerts received " + alertedOffsets.size() +
                    " of " + counters.alerts() + "; " + EngineTestSupport.describe(counters) + "; health " + engine.health().describe() +
                    "; producers alive " + java.util.Arrays.stream(producers).filter(Thread::isAlive).count() +
                    "; journal failures " + journalFailures + "\n" + engineThreads(),
                () -> alerts.poll(64));
            for (final Thread producer : producers)
            {
                producer.join(TimeUnit.SECONDS.toMillis(30));
            }
            assertNull(producerFailure.get(), () -> "producer failed: " + producerFailure.get());

            assertEquals(total, counters.received());
            assertEquals(total, counters.journaled());
            assertEquals(0, counters.rejected());
            assertEquals(0, counters.duplicates());
            assertEquals(0, counters.alertsUnpublished());
            assertEquals(0, counters.ruleErrors());
            assertEquals(0, wrongRule[0]);

            // the journal: every event exactly once, dense offsets, each producer's order kept
            final long[] nextSeq = new long[PRODUCERS];
            final Long2LongHashMap offsetToProducerSeq = new Long2LongHashMap(-1);
            final long[] expectedOffset = {0};
            final long[] lastTimestamp = {Long.MIN_VALUE};
            final PaymentDecoder payment = new PaymentDecoder();
            final MessageHeaderDecoder header = new MessageHeaderDecoder();
            try (JournalReader reader = JournalReader.open(journalDir))
            {
                while (reader.poll((offset, timestamp, templateId, buffer, payloadOffset, payloadLength) ->
                {
                    assertEquals(expectedOffset[0]++, offset, "offsets dense from 0");
                    assertTrue(timestamp >= lastTimestamp[0], "ingest time never goes backwards");
                    lastTimestamp[0] = timestamp;
                    assertEquals(PaymentDecoder.TEMPLATE_ID, templateId);
                    payment.wrapAndApplyHeader(buffer, payloadOffset, header);
                    final int p = (int)payment.producerId() - 1;
                    assertEquals(nextSeq[p]++, payment.producerSeq(), "producer order kept, no gap, no repeat");
                    assertEquals(amounts[p][(int)payment.producerSeq()], payment.amount());
                    offsetToProducerSeq.put(offset, ((long)p << 32) | payment.producerSeq());
                }, 1024) > 0)
                {
                    // read on
                }
            }
            assertEquals(total, expectedOffset[0]);
            for (int p = 0; p < PRODUCERS; p++)
            {
                assertEquals(EVENTS_PER_PRODUCER, nextSeq[p]);
            }

            // alerts: exactly the planted large amounts
            assertEquals(plantedTotal, alertedOffsets.size(), "one alert per planted large amount");
            final LongHashSet.LongIterator it = alertedOffsets.iterator();
            while (it.hasNext())
            {
                final long key = offsetToProducerSeq.get(it.nextValue());
                assertNotEquals(-1, key);
                final int p = (int)(key >>> 32);
                final long seq = key & 0xFFFF_FFFFL;
                assertTrue(planted[p].contains(seq), () -> "alert on an event that was not planted: " + p + "/" + seq);
            }
            assertEquals(plantedTotal, counters.alerts());
            assertTrue(Currencies.isKnown(978));
        }
        finally
        {
            CloseHelper.closeAll(alertSubscription, engine);
        }

        assertFalse(Files.exists(aeronDir), "embedded driver directory removed");
        Await.awaitNoNewThreads(threadsBefore, 10_000);
    }

    /**
     * Stacks of the engine's threads, for a failure message: where a stalled pipeline stands.
     */
    private static String engineThreads()
    {
        final StringBuilder text = new StringBuilder();
        for (final java.util.Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet())
        {
            final String name = e.getKey().getName();
            if (name.startsWith("txmon") || name.startsWith("aeron") || name.startsWith("test-producer"))
            {
                text.append(name).append(' ').append(e.getKey().getState()).append('\n');
                final StackTraceElement[] stack = e.getValue();
                for (int i = 0; i < Math.min(8, stack.length); i++)
                {
                    text.append("    at ").append(stack[i]).append('\n');
                }
            }
        }
        return text.toString();
    }
}
