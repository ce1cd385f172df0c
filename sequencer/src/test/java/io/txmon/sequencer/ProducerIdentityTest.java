package io.txmon.sequencer;

import io.aeron.ExclusivePublication;
import io.txmon.events.RejectReason;
import io.txmon.events.codec.ConfigAction;
import io.txmon.events.codec.Severity;
import io.txmon.rules.Rule;
import io.txmon.rules.config.RuleSettings;
import io.txmon.rules.typology.LargeAmountRule;
import io.txmon.transport.AckHandler;
import io.txmon.transport.TxmonPublisher;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.YieldingIdleStrategy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static io.txmon.sequencer.EngineTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Acknowledgement means these bytes are journaled: a producer id used by another process, or sequences reused, are
 * never acknowledged as journaled; the producer is told what happened, with the reason and the engine's next
 * expected sequence. Identical resends are still confirmed as duplicates, before and after a restart.
 */
class ProducerIdentityTest
{
    private static final long WAIT_NS = TimeUnit.SECONDS.toNanos(10);

    @TempDir
    Path tempDir;

    private static Engine launch(final Path aeronDir, final Path journalDir)
    {
        return Engine.launch(context(aeronDir, journalDir, (w) -> rules()).errorHandler(new EngineErrors()));
    }

    private static Rule[] rules()
    {
        return new Rule[]{ new LargeAmountRule(Long.MAX_VALUE, Severity.LOW) };
    }

    static TxmonPublisher ackedPublisher(
        final Engine engine, final long producerId, final long firstSeq, final AckHandler handler)
    {
        final TxmonPublisher publisher = new TxmonPublisher(new TxmonPublisher.Context()
            .aeron(engine.aeron())
            .channel(engine.context().ingestChannel())
            .streamId(engine.context().ingestStreamId())
            .ackChannel(engine.context().ackChannel())
            .ackStreamId(engine.context().ackStreamId())
            .producerId(producerId)
            .firstProducerSeq(firstSeq)
            .ackHandler(handler)
            .idleStrategy(new YieldingIdleStrategy())
            .sendTimeoutNs(WAIT_NS));
        assertTrue(publisher.awaitConnected(WAIT_NS), "publisher connected");
        return publisher;
    }

    private static void sendRange(final TxmonPublisher publisher, final long count, final long amountBase)
    {
        for (long i = 0; i < count; i++)
        {
            sendPayment(publisher, amountBase + publisher.nextProducerSeq());
        }
    }

    /**
     * Another process continued producer 1's sequences 2000-2099 first; the real producer's own 2000-2099 are
     * refused as conflicting, never acknowledged, and the journal keeps the stranger's.
     */
    @Test
    void aStrangerContinuingAProducersSequencesMakesTheRealOnesConflictingNeverAcknowledged()
    {
        final Path journalDir = tempDir.resolve("journal");
        final Engine engine = launch(tempDir.resolve("aeron"), journalDir);
        TxmonPublisher real = null;
        TxmonPublisher stranger = null;
        TxmonPublisher realAgain = null;
        try
        {
            real = ackedPublisher(engine, 1, 0, null);
            sendRange(real, 2000, 1_000);
            assertTrue(real.awaitAcknowledged(1999, WAIT_NS));
            real.close();

            stranger = ackedPublisher(engine, 1, 2000, null);
            sendRange(stranger, 100, 50_000);
            assertTrue(stranger.awaitAcknowledged(2099, WAIT_NS));

            final RecordingHandler handler = new RecordingHandler();
            realAgain = ackedPublisher(engine, 1, 2000, handler);
            sendRange(realAgain, 100, 1_000);
            assertTrue(realAgain.awaitAnswered(2099, WAIT_NS), "answered");
            assertFalse(realAgain.awaitAcknowledged(2000, 0), "never acknowledged");
            assertFalse(realAgain.awaitAcknowledged(2099, 0), "never acknowledged");
            assertEquals(100, realAgain.refusedCount());
            assertEquals(0, realAgain.duplicateCount());
            assertEquals(RejectReason.CONFLICTING_DUPLICATE, realAgain.lastRefusalReason());
            assertEquals(2000, realAgain.firstRefusedSeq());
            assertEquals(2100, realAgain.engineNextSeq(), "the engine's truth");
            assertEquals(0, realAgain.unacknowledgedCount(), "a refused event is not kept for resending");
            assertEquals(100, engine.counters().rejected(RejectReason.CONFLICTING_DUPLICATE));
            assertEquals(0, engine.counters().duplicates());
            assertTrue(handler.refusals.stream().allMatch((r) -> r.startsWith("CONFLICTING_DUPLICATE")), handler::toString);
            // consecutive refusals that reach the engine in one poll travel as one message: however the runs were
            // cut, together they cover 2000-2099 once each, in order, and each names the engine's next sequence
            long expectedFrom = 2000;
            for (final String refusal : handler.refusals)
            {
                final String[] parts = refusal.split("[ -]");
                assertEquals(expectedFrom, Long.parseLong(parts[1]), handler::toString);
                assertEquals("2100", parts[4], handler::toString);
                expectedFrom = Long.parseLong(parts[2]) + 1;
            }
            assertEquals(2100, expectedFrom, handler::toString);

            final long resent = realAgain.resendCount();
            // polling on does not resend the refused events
            for (int i = 0; i < 20; i++)
            {
                realAgain.pollAcknowledgements();
            }
            assertEquals(resent, realAgain.resendCount());
        }
        finally
        {
            CloseHelper.closeAll(realAgain, stranger, real, engine);
        }
        final List<JournalRecord> records = readJournal(journalDir);
        assertEquals(2100, records.size());
        for (final JournalRecord record : records.subList(2000, 2100))
        {
            assertEquals(50_000 + record.producerSeq, record.amount, "the stranger's event is the one journaled");
        }
    }

    /**
     * A stranger sent producer 2's sequence 1,000,000 first; the real producer 2 then sends 0-4: below the first
     * journaled, refused, never acknowledged.
     */
    @Test
    void sequencesBelowAProducersFirstJournaledAreRefusedNotTakenForDuplicates()
    {
        final Path journalDir = tempDir.resolve("journal");
        final Engine engine = launch(tempDir.resolve("aeron"), journalDir);
        ExclusivePublication raw = null;
        TxmonPublisher real = null;
        try
        {
            raw = rawPublication(engine);
            final UnsafeBuffer buffer = new UnsafeBuffer(new byte[512]);
            offer(raw, buffer, 0, encodePayment(buffer, 0, 2, 1_000_000, 77));
            final EngineCounters counters = engine.counters();
            awaitCondition(() -> counters.journaled() == 1, () -> describe(counters));

            real = ackedPublisher(engine, 2, 0, null);
            sendRange(real, 5, 1_000);
            assertTrue(real.awaitAnswered(4, WAIT_NS), "answered");
            assertFalse(real.awaitAcknowledged(0, 0));
            assertEquals(5, real.refusedCount());
            assertEquals(RejectReason.BELOW_FIRST_SEQUENCE, real.lastRefusalReason());
            assertEquals(1_000_001, real.engineNextSeq());
            assertEquals(5, counters.rejected(RejectReason.BELOW_FIRST_SEQUENCE));
            assertEquals(0, counters.duplicates());
        }
        finally
        {
            CloseHelper.closeAll(real, raw, engine);
        }
        assertEquals(1, readJournal(journalDir).size());
    }

    /**
     * The same producer id run again from 0 with new events: refused as conflicting, with the engine's real next
     * sequence; the same events again are confirmed duplicates, acknowledged.
     */
    @Test
    void reusingAProducerIdIsRefusedButAnIdenticalResendIsAConfirmedDuplicate()
    {
        final Path journalDir = tempDir.resolve("journal");
        final Engine engine = launch(tempDir.resolve("aeron"), journalDir);
        TxmonPublisher first = null;
        TxmonPublisher same = null;
        TxmonPublisher other = null;
        try
        {
            first = ackedPublisher(engine, 7, 0, null);
            sendRange(first, 10, 1_000);
            assertTrue(first.awaitAcknowledged(9, WAIT_NS));
            assertEquals(0, first.refusedCount());
            assertEquals(0, first.duplicateCount());
            assertEquals(10, first.engineNextSeq());

            same = ackedPublisher(engine, 7, 0, null);
            sendRange(same, 10, 1_000);
            assertTrue(same.awaitAcknowledged(9, WAIT_NS), "identical bytes: held");
            assertEquals(10, same.duplicateCount());
            assertEquals(0, same.refusedCount());

            other = ackedPublisher(engine, 7, 0, null);
            sendRange(other, 2, 9_000);
            assertTrue(other.awaitAnswered(1, WAIT_NS));
            assertFalse(other.awaitAcknowledged(1, 0));
            assertEquals(2, other.refusedCount());
            assertEquals(RejectReason.CONFLICTING_DUPLICATE, other.lastRefusalReason());
            assertEquals(10, other.engineNextSeq());
            assertEquals(10, engine.counters().duplicates());
            assertEquals(2, engine.counters().rejected(RejectReason.CONFLICTING_DUPLICATE));
        }
        finally
        {
            CloseHelper.closeAll(other, same, first, engine);
        }
        assertEquals(10, readJournal(journalDir).size());
    }

    /**
     * The window of fingerprints is rebuilt from the journal: after a restart an identical resend is confirmed
     * and a different one at the same sequence refused, and a sequence below the first is still refused.
     */
    @Test
    void theWindowSurvivesARestart()
    {
        final Path journalDir = tempDir.resolve("journal");
        Engine engine = launch(tempDir.resolve("aeron-1"), journalDir);
        TxmonPublisher publisher = null;
        try
        {
            publisher = ackedPublisher(engine, 5, 100, null);
            sendRange(publisher, 100, 1_000);
            assertTrue(publisher.awaitAcknowledged(199, WAIT_NS));
        }
        finally
        {
            CloseHelper.closeAll(publisher, engine);
        }

        engine = launch(tempDir.resolve("aeron-2"), journalDir);
        TxmonPublisher same = null;
        TxmonPublisher other = null;
        TxmonPublisher below = null;
        try
        {
            same = ackedPublisher(engine, 5, 150, null);
            sendRange(same, 50, 1_000);
            assertTrue(same.awaitAcknowledged(199, WAIT_NS));
            assertEquals(50, same.duplicateCount());

            other = ackedPublisher(engine, 5, 160, null);
            sendRange(other, 1, 2_000);
            assertTrue(other.awaitAnswered(160, WAIT_NS));
            assertEquals(RejectReason.CONFLICTING_DUPLICATE, other.lastRefusalReason());
            assertEquals(200, other.engineNextSeq());

            below = ackedPublisher(engine, 5, 99, null);
            sendRange(below, 1, 1_000);
            assertTrue(below.awaitAnswered(99, WAIT_NS));
            assertEquals(RejectReason.BELOW_FIRST_SEQUENCE, below.lastRefusalReason());
            assertEquals(50, engine.counters().duplicates());
        }
        finally
        {
            CloseHelper.closeAll(below, other, same, engine);
        }
        assertEquals(100, readJournal(journalDir).size());
    }

    /**
     * A sequence older than the window of fingerprints cannot be checked: refused, never acknowledged, even when
     * its bytes are in fact the ones journaled.
     */
    @Test
    void aResendOlderThanTheWindowIsRefusedAsUnverifiable()
    {
        final Path journalDir = tempDir.resolve("journal");
        final Engine engine = launch(tempDir.resolve("aeron"), journalDir);
        TxmonPublisher publisher = null;
        TxmonPublisher late = null;
        try
        {
            final int count = io.txmon.transport.TransportConfiguration.DUPLICATE_WINDOW + 100;
            publisher = ackedPublisher(engine, 4, 0, null);
            sendRange(publisher, count, 1_000);
            assertTrue(publisher.awaitAcknowledged(count - 1, WAIT_NS));

            late = ackedPublisher(engine, 4, 0, null);
            sendRange(late, 1, 1_000);
            assertTrue(late.awaitAnswered(0, WAIT_NS));
            assertFalse(late.awaitAcknowledged(0, 0));
            assertEquals(RejectReason.UNVERIFIABLE_DUPLICATE, late.lastRefusalReason());
            assertEquals(count, late.engineNextSeq());
            assertEquals(1, engine.counters().rejected(RejectReason.UNVERIFIABLE_DUPLICATE));
            assertEquals(0, engine.counters().duplicates());
        }
        finally
        {
            CloseHelper.closeAll(late, publisher, engine);
        }
    }

    /**
     * A refused configuration change reaches its producer with the key and why, and is not acknowledged.
     */
    @Test
    void aRefusedConfigChangeReachesTheProducerWithItsKeyAndReason()
    {
        final Engine engine = Engine.launch(new Engine.Context()
            .aeronDirectoryName(tempDir.resolve("aeron").toString())
            .journalDir(tempDir.resolve("journal"))
            .segmentLength(4 * 1024 * 1024)
            .ruleSettings(RuleSettings.defaults())
            .errorHandler(new EngineErrors()));
        TxmonPublisher publisher = null;
        try
        {
            final RecordingHandler handler = new RecordingHandler();
            publisher = ackedPublisher(engine, 3, 0, handler);
            sendPayment(publisher, 1_000);
            assertTrue(publisher.sendConfigChange(EVENT_TIME_BASE, LargeAmountRule.ID, ConfigAction.SET_PARAMETER,
                "no-such-key", "1") > 0);
            sendPayment(publisher, 1_000);
            assertTrue(publisher.awaitAnswered(2, WAIT_NS));
            assertTrue(publisher.awaitAcknowledged(0, 0));
            assertFalse(publisher.awaitAcknowledged(1, 0), "the refused change is not acknowledged");
            assertEquals(1, publisher.refusedCount());
            assertEquals(1, publisher.firstRefusedSeq());
            assertEquals(RejectReason.CONFIG_CHANGE_REFUSED, publisher.lastRefusalReason());
            assertTrue(publisher.lastRefusalDetail().contains("no-such-key"), publisher.lastRefusalDetail());
            assertTrue(publisher.lastRefusalDetail().contains("has no parameter"), publisher.lastRefusalDetail());
            assertEquals(3, publisher.engineNextSeq(), "the spent sequence is not a gap");
            assertTrue(handler.details.get(0).contains("no-such-key"), handler::toString);
        }
        finally
        {
            CloseHelper.closeAll(publisher, engine);
        }
    }

    /**
     * After stopIntake nothing more is journaled or acknowledged and producers are refused, explicitly.
     */
    @Test
    void afterStopIntakeEveryEventIsRefusedEngineStoppedAndNothingIsAcknowledged()
    {
        final Path journalDir = tempDir.resolve("journal");
        final Engine engine = launch(tempDir.resolve("aeron"), journalDir);
        TxmonPublisher publisher = null;
        try
        {
            publisher = ackedPublisher(engine, 9, 0, null);
            sendRange(publisher, 5, 1_000);
            assertTrue(publisher.awaitAcknowledged(4, WAIT_NS));
            assertFalse(engine.isIntakeStopped());

            engine.stopIntake(new IllegalStateException("a test stopped intake"));
            assertTrue(engine.isIntakeStopped());
            sendRange(publisher, 3, 1_000);
            assertTrue(publisher.awaitAnswered(7, WAIT_NS));
            assertFalse(publisher.awaitAcknowledged(5, 0));
            assertEquals(4, publisher.acknowledgedSeq());
            assertEquals(3, publisher.refusedCount());
            assertEquals(RejectReason.ENGINE_STOPPED, publisher.lastRefusalReason());
            assertEquals(5, publisher.engineNextSeq());
            assertEquals(3, engine.counters().rejected(RejectReason.ENGINE_STOPPED));
            assertEquals(5, engine.counters().journaled());
        }
        finally
        {
            CloseHelper.closeAll(publisher, engine);
        }
        assertEquals(5, readJournal(journalDir).size());
    }

    /**
     * Records refusals as text.
     */
    static final class RecordingHandler implements AckHandler
    {
        final List<String> refusals = new CopyOnWriteArrayList<>();
        final List<String> details = new CopyOnWriteArrayList<>();

        public void onAck(final long producerId, final long producerSeq, final long journalOffset, final long engineEpoch)
        {
        }

        public void onRefusal(
            final long producerId,
            final long fromSeq,
            final long toSeq,
            final RejectReason reason,
            final int reasonCode,
            final long nextExpectedSeq,
            final long engineEpoch,
            final DirectBuffer detail,
            final int detailOffset,
            final int detailLength)
        {
            refusals.add(reason + " " + fromSeq + "-" + toSeq + " next " + nextExpectedSeq);
            final byte[] bytes = new byte[detailLength];
            detail.getBytes(detailOffset, bytes);
            details.add(new String(bytes, StandardCharsets.UTF_8));
        }

        public String toString()
        {
            return refusals + " " + details;
        }
    }
}
