package io.txmon.sequencer;

import io.aeron.ExclusivePublication;
import io.txmon.events.codec.Severity;
import io.txmon.journal.JournalReader;
import io.txmon.rules.Rule;
import io.txmon.rules.typology.LargeAmountRule;
import io.txmon.transport.TxmonPublisher;
import org.agrona.CloseHelper;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.YieldingIdleStrategy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static io.txmon.sequencer.EngineTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * 10,000 events already journaled and acknowledged come again, byte for byte (as a producer that lost its
 * acknowledgements, or a replaying gateway, would send them), mixed with new events of the same producers and
 * of another: none is journaled twice and each copy is counted as a duplicate; and again after a restart of the
 * engine on the same journal, where the duplicate filter is rebuilt from the journal.
 */
class DuplicateResendTest
{
    private static final long P1 = 41;
    private static final long P2 = 42;
    private static final long P3 = 43;
    private static final int FIRST = 10_000;
    private static final int COPIES = 10_000;
    private static final long SEND_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);

    @TempDir
    Path tempDir;

    @Test
    void resentAcknowledgedEventsAreDroppedAndCountedBeforeAndAfterARestart()
    {
        final Path journalDir = tempDir.resolve("journal");
        final Random random = new Random(20_240_611);
        final List<byte[]> copies;

        // run 1: the originals, acknowledged
        final EngineErrors errors1 = new EngineErrors();
        Engine engine = launch(tempDir.resolve("aeron-1"), journalDir, errors1);
        TxmonPublisher p1 = null;
        TxmonPublisher p2 = null;
        TxmonPublisher p3 = null;
        ExclusivePublication raw = null;
        try
        {
            p1 = publisher(engine, P1, 0);
            p2 = publisher(engine, P2, 0);
            for (int seq = 0; seq < FIRST; seq++)
            {
                send(p1, seq);
                send(p2, seq);
            }
            assertTrue(p1.awaitAcknowledged(FIRST - 1, SEND_TIMEOUT_NS));
            assertTrue(p2.awaitAcknowledged(FIRST - 1, SEND_TIMEOUT_NS));

            // the exact bytes the engine journaled: half of P1's and half of P2's, shuffled
            final Long2ObjectHashMap<byte[]> journaled = readPayloads(journalDir, 2 * FIRST);
            final List<Long> picks = new ArrayList<>();
            for (int seq = 0; seq < FIRST; seq++)
            {
                picks.add(key(P1, seq));
                picks.add(key(P2, seq));
            }
            Collections.shuffle(picks, random);
            final List<byte[]> chosen = new ArrayList<>();
            for (final long key : picks.subList(0, COPIES))
            {
                chosen.add(journaled.get(key));
            }
            // the very first and the very last of each are among them
            chosen.set(0, journaled.get(key(P1, 0)));
            chosen.set(1, journaled.get(key(P1, FIRST - 1)));
            chosen.set(2, journaled.get(key(P2, 0)));
            chosen.set(3, journaled.get(key(P2, FIRST - 1)));
            copies = chosen;

            p3 = publisher(engine, P3, 0);
            raw = rawPublication(engine);
            final long resends = resendInterleaved(engine, raw, copies, p1, p2, p3, FIRST, FIRST, 0);
            final EngineCounters counters = engine.counters();
            final long newEvents = COPIES + COPIES / 2 + COPIES / 2;
            final long expectedReceived = 2L * FIRST + COPIES + newEvents + resends;
            awaitCondition(() -> counters.received() == expectedReceived &&
                    counters.journaled() + counters.rejected() + counters.duplicates() == expectedReceived &&
                    counters.decided() == counters.journaled(),
                () -> describe(counters) + ", expected received " + expectedReceived);
            assertEquals(2L * FIRST + newEvents, counters.journaled(), () -> describe(counters));
            assertEquals(COPIES + resends, counters.duplicates(),
                "every copy (and every event a publisher resent itself) counted as a duplicate; publisher resends: " +
                resends);
            assertEquals(0, counters.rejected());
            assertEquals(0, counters.sequenceGaps());
            assertNoErrors(errors1);
            System.out.println("run 1: " + describe(counters) + "; publisher resends " + resends);
        }
        finally
        {
            CloseHelper.closeAll(p1, p2, p3, raw, engine);
        }

        JournalScan scan = JournalScan.scan(journalDir, JournalScan.paymentAmounts());
        assertNull(scan.firstViolation, scan::toString);
        assertEquals(FIRST + COPIES, scan.producer(P1).count, scan::toString);
        assertEquals(FIRST + COPIES / 2, scan.producer(P2).count, scan::toString);
        assertEquals(COPIES / 2, scan.producer(P3).count, scan::toString);
        final long afterRun1 = scan.records;

        // run 2: a new engine on the same journal gets the same copies again, mixed with new events
        final EngineErrors errors2 = new EngineErrors();
        engine = launch(tempDir.resolve("aeron-2"), journalDir, errors2);
        p1 = null;
        p2 = null;
        p3 = null;
        raw = null;
        try
        {
            assertEquals(afterRun1, engine.recoveredRecords());
            p1 = publisher(engine, P1, FIRST + COPIES);
            p2 = publisher(engine, P2, FIRST + COPIES / 2);
            p3 = publisher(engine, P3, COPIES / 2);
            raw = rawPublication(engine);
            Collections.shuffle(copies, random);
            final long resends = resendInterleaved(
                engine, raw, copies, p1, p2, p3, FIRST + COPIES, FIRST + COPIES / 2, COPIES / 2);
            final EngineCounters counters = engine.counters();
            final long newEvents = COPIES + COPIES / 2 + COPIES / 2;
            final long expectedReceived = COPIES + newEvents + resends;
            awaitCondition(() -> counters.received() == expectedReceived &&
                    counters.journaled() + counters.rejected() + counters.duplicates() == expectedReceived &&
                    counters.decided() == counters.journaled(),
                () -> describe(counters) + ", expected received " + expectedReceived);
            assertEquals(newEvents, counters.journaled(), () -> describe(counters));
            assertEquals(COPIES + resends, counters.duplicates(),
                "every copy counted as a duplicate after the restart; publisher resends: " + resends);
            assertEquals(0, counters.rejected());
            assertEquals(0, counters.sequenceGaps());
            assertNoErrors(errors2);
            System.out.println("run 2: " + describe(counters) + "; publisher resends " + resends);
        }
        finally
        {
            CloseHelper.closeAll(p1, p2, p3, raw, engine);
        }

        scan = JournalScan.scan(journalDir, JournalScan.paymentAmounts());
        assertNull(scan.firstViolation, scan::toString);
        assertEquals(afterRun1 + COPIES * 2, scan.records, scan::toString);
        assertEquals(FIRST + 2 * COPIES, scan.producer(P1).count, scan::toString);
        assertEquals(FIRST + 2 * COPIES - 1, scan.producer(P1).lastSeq);
        assertEquals(FIRST + COPIES, scan.producer(P2).count, scan::toString);
        assertEquals(COPIES, scan.producer(P3).count, scan::toString);
    }

    /**
     * Copies of a producer's old events from elsewhere (a replaying gateway, a second instance) make the engine
     * acknowledge that producer again with the same sequence. A live publisher whose own events all arrive must not
     * take that for a loss: nothing of its own needs resending, and every resend is one more duplicate for the
     * engine to drop, which acknowledges again.
     */
    @Test
    void copiesFromElsewhereDoNotMakeALivePublisherResendWhatArrived()
    {
        final int copies = 1_000;
        final int live = 20_000;
        final Engine engine = launch(tempDir.resolve("aeron"), tempDir.resolve("journal"), new EngineErrors());
        TxmonPublisher publisher = null;
        ExclusivePublication raw = null;
        try
        {
            publisher = publisher(engine, P1, 0);
            send(publisher, 0);
            assertTrue(publisher.awaitAcknowledged(0, SEND_TIMEOUT_NS));
            raw = rawPublication(engine);
            final UnsafeBuffer buffer = new UnsafeBuffer(new byte[512]);
            final int copyLength = encodePayment(buffer, 0, P1, 0, JournalScan.amountOf(P1, 0));
            for (int i = 1; i <= live; i++)
            {
                send(publisher, i);
                if (i % (live / copies) == 0)
                {
                    offer(raw, buffer, 0, copyLength);
                }
            }
            final EngineCounters counters = engine.counters();
            assertTrue(publisher.awaitAcknowledged(live, SEND_TIMEOUT_NS), () -> describe(counters));
            final TxmonPublisher p = publisher;
            awaitCondition(() -> counters.received() == live + 1 + copies + p.resendCount() &&
                counters.journaled() + counters.rejected() + counters.duplicates() == counters.received(),
                () -> describe(counters));
            System.out.println("copies from elsewhere: " + describe(counters) + "; the live publisher resent " +
                publisher.resendCount() + " of its " + live + " events");
            assertEquals(live + 1, counters.journaled());
            assertEquals(0, publisher.resendCount(), () -> "the live publisher resent " + p.resendCount() +
                " events the engine already had (" + copies + " copies from elsewhere; " + describe(counters) + ")");
        }
        finally
        {
            CloseHelper.closeAll(publisher, raw, engine);
        }
    }

    /**
     * Send every copy through a raw publication, and between them new events: one of P1 per copy, one of P2 and
     * one of P3 every other copy. Then wait for every new event to be acknowledged.
     *
     * @return events the publishers resent of their own accord (each one is a duplicate too).
     */
    private static long resendInterleaved(
        final Engine engine,
        final ExclusivePublication raw,
        final List<byte[]> copies,
        final TxmonPublisher p1,
        final TxmonPublisher p2,
        final TxmonPublisher p3,
        final long p1From,
        final long p2From,
        final long p3From)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[512]);
        long s1 = p1From;
        long s2 = p2From;
        long s3 = p3From;
        for (int k = 0; k < copies.size(); k++)
        {
            final byte[] copy = copies.get(k);
            buffer.putBytes(0, copy);
            offer(raw, buffer, 0, copy.length);
            send(p1, s1++);
            if ((k & 1) == 0)
            {
                send(p2, s2++);
            }
            else
            {
                send(p3, s3++);
            }
        }
        final EngineCounters counters = engine.counters();
        assertTrue(p1.awaitAcknowledged(s1 - 1, SEND_TIMEOUT_NS), () -> "P1 acknowledged; " + describe(counters));
        assertTrue(p2.awaitAcknowledged(s2 - 1, SEND_TIMEOUT_NS), () -> "P2 acknowledged; " + describe(counters));
        assertTrue(p3.awaitAcknowledged(s3 - 1, SEND_TIMEOUT_NS), () -> "P3 acknowledged; " + describe(counters));
        return p1.resendCount() + p2.resendCount() + p3.resendCount();
    }

    private static Engine launch(final Path aeronDir, final Path journalDir, final EngineErrors errors)
    {
        return Engine.launch(context(aeronDir, journalDir, (w) -> new Rule[]{ new LargeAmountRule(Long.MAX_VALUE, Severity.LOW) })
            .errorHandler(errors));
    }

    private static TxmonPublisher publisher(final Engine engine, final long producerId, final long firstSeq)
    {
        final TxmonPublisher publisher = new TxmonPublisher(new TxmonPublisher.Context()
            .aeron(engine.aeron())
            .channel(engine.context().ingestChannel())
            .ackChannel(engine.context().ackChannel())
            .producerId(producerId)
            .firstProducerSeq(firstSeq)
            .idleStrategy(new YieldingIdleStrategy())
            .sendTimeoutNs(SEND_TIMEOUT_NS));
        assertTrue(publisher.awaitConnected(SEND_TIMEOUT_NS), "publisher connected");
        return publisher;
    }

    private static void send(final TxmonPublisher publisher, final long seq)
    {
        assertEquals(seq, publisher.nextProducerSeq());
        fillPayment(publisher.payment(), seq, JournalScan.amountOf(publisher.producerId(), seq));
        final long result = publisher.send();
        assertTrue(result > 0, () -> "send of " + seq + ": " + TxmonPublisher.describe(result));
    }

    private static long key(final long producerId, final long seq)
    {
        return producerId << 32 | seq;
    }

    /** The payload bytes of the first {@code count} records, by (producer, sequence), read from the live journal. */
    private static Long2ObjectHashMap<byte[]> readPayloads(final Path journalDir, final int count)
    {
        final Long2ObjectHashMap<byte[]> payloads = new Long2ObjectHashMap<>();
        try (JournalReader reader = JournalReader.open(journalDir))
        {
            final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
            while (payloads.size() < count)
            {
                assertTrue(System.nanoTime() - deadline < 0, "journal holds " + payloads.size() + " of " + count);
                reader.poll((offset, timestamp, templateId, buffer, payloadOffset, payloadLength) ->
                {
                    final int body = payloadOffset + 8;
                    final byte[] bytes = new byte[payloadLength];
                    buffer.getBytes(payloadOffset, bytes);
                    payloads.put(key(buffer.getLong(body, ByteOrder.LITTLE_ENDIAN),
                        buffer.getLong(body + 8, ByteOrder.LITTLE_ENDIAN)), bytes);
                }, 4096);
            }
        }
        return payloads;
    }
}
