package io.txmon.sequencer;

import io.aeron.ExclusivePublication;
import io.txmon.events.RejectReason;
import io.txmon.events.codec.PaymentDecoder;
import io.txmon.events.codec.Severity;
import io.txmon.journal.JournalWriter;
import io.txmon.rules.Rule;
import io.txmon.rules.typology.LargeAmountRule;
import io.txmon.transport.TxmonPublisher;
import org.agrona.CloseHelper;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static io.txmon.sequencer.EngineTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

class RestartRecoveryTest
{
    private static final long PRODUCER = 3;
    private static final int FIRST_RUN = 1000;
    private static final int SECOND_RUN = 100;

    @TempDir
    Path tempDir;

    /**
     * With the small segment length the journal spans several segments, so recovery reads across rolls.
     */
    @ParameterizedTest
    @ValueSource(ints = { 4 * 1024 * 1024, 64 * 1024 })
    void restartedEngineRecoversDuplicateFilterOffsetsAndIngestTime(final int segmentLength)
    {
        final Path journalDir = tempDir.resolve("journal");

        // first run
        final EngineErrors firstErrors = new EngineErrors();
        Engine engine = Engine.launch(context(tempDir.resolve("aeron-1"), journalDir, (w) -> rules())
            .segmentLength(segmentLength)
            .errorHandler(firstErrors));
        TxmonPublisher publisher = null;
        try
        {
            assertEquals(0, engine.recoveredRecords());
            final EngineCounters counters = engine.counters();
            publisher = publisher(engine, PRODUCER, 0);
            for (int i = 0; i < FIRST_RUN; i++)
            {
                sendPayment(publisher, 500 + i);
            }
            // the decided position is one past the last decided offset, the same in every process that reads it
            awaitCondition(() -> counters.journaled() == FIRST_RUN && counters.decided() == FIRST_RUN &&
                counters.decidedPosition() == FIRST_RUN &&
                counters.newestEventTime() == EVENT_TIME_BASE + FIRST_RUN - 1, () -> describe(counters) +
                ", decided position " + counters.decidedPosition() + ", newest event time " +
                counters.newestEventTime());
            assertNoErrors(firstErrors);
        }
        finally
        {
            CloseHelper.closeAll(publisher, engine);
        }

        final List<JournalRecord> firstRecords = readJournal(journalDir);
        assertEquals(FIRST_RUN, firstRecords.size());
        final long lastTimestamp = firstRecords.get(FIRST_RUN - 1).timestamp;

        // second run, on a new driver, with a clock an hour behind the journal's last ingest time
        final long behind = lastTimestamp - TimeUnit.HOURS.toNanos(1);
        final EngineErrors secondErrors = new EngineErrors();
        engine = Engine.launch(context(tempDir.resolve("aeron-2"), journalDir, (w) -> rules())
            .segmentLength(segmentLength)
            .errorHandler(secondErrors)
            .epochClock(() -> behind));
        publisher = null;
        try
        {
            assertEquals(FIRST_RUN, engine.recoveredRecords());
            final EngineCounters counters = engine.counters();
            // the event-time watermark is the journal's from the start, before any new event
            assertEquals(EVENT_TIME_BASE + FIRST_RUN - 1, counters.newestEventTime());
            publisher = publisher(engine, PRODUCER, 0);

            // the first run again, byte for byte: duplicates of what the journal holds
            for (int i = 0; i < FIRST_RUN; i++)
            {
                sendPayment(publisher, 500 + i);
            }
            awaitCondition(() -> settled(counters, FIRST_RUN), () -> describe(counters));
            assertEquals(FIRST_RUN, counters.duplicates(), "every resent sequence dropped");
            assertEquals(0, counters.journaled());
            assertEquals(0, counters.rejected(), "identical content: confirmed, not refused");

            for (int i = 0; i < SECOND_RUN; i++)
            {
                sendPayment(publisher, 7_000 + i);
            }
            // offsets go on from the first run's: the position counts them, not this run's events
            awaitCondition(() -> counters.journaled() == SECOND_RUN && counters.decided() == SECOND_RUN &&
                counters.decidedPosition() == FIRST_RUN + SECOND_RUN &&
                counters.newestEventTime() == EVENT_TIME_BASE + FIRST_RUN + SECOND_RUN - 1, () -> describe(counters) +
                ", decided position " + counters.decidedPosition() + ", newest event time " +
                counters.newestEventTime());
            assertEquals(FIRST_RUN, counters.duplicates());
            assertEquals(0, counters.journalErrors());
            assertEquals(0, counters.sequenceGaps());
            assertNoErrors(secondErrors);
        }
        finally
        {
            CloseHelper.closeAll(publisher, engine);
        }

        final List<JournalRecord> records = readJournal(journalDir);
        assertEquals(FIRST_RUN + SECOND_RUN, records.size());
        if (segmentLength < 1024 * 1024)
        {
            assertTrue(segmentCount(journalDir) > 1, "journal spans several segments");
        }
        assertDenseAndMonotonic(records);
        for (int i = 0; i < records.size(); i++)
        {
            final JournalRecord record = records.get(i);
            assertEquals(PRODUCER, record.producerId);
            assertEquals(i, record.producerSeq, "sequence " + i + " at offset " + i);
            assertEquals(i < FIRST_RUN ? 500 + i : 7_000 + i - FIRST_RUN, record.amount, "the original, not the resend");
            if (i >= FIRST_RUN)
            {
                assertTrue(record.timestamp >= lastTimestamp, "ingest time after the restart not before the journal's");
            }
        }
    }

    /**
     * Recovery starts on any journal, even one written by hand with sequences the validator would refuse.
     */
    @Test
    void engineStartsOnAJournalHoldingExtremeProducerSequences()
    {
        final Path journalDir = tempDir.resolve("journal");
        final long[][] envelopes = { { 42, Long.MIN_VALUE }, { 43, -1 }, { 44, Long.MAX_VALUE } };
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[512]);
        try (JournalWriter writer = JournalWriter.open(journalDir, 4 * 1024 * 1024))
        {
            long timestamp = 1_000;
            for (final long[] envelope : envelopes)
            {
                final int length = encodePayment(buffer, 0, envelope[0], envelope[1], 10);
                assertTrue(writer.append(buffer, 0, length, PaymentDecoder.TEMPLATE_ID, timestamp++) >= 0);
            }
        }

        final EngineErrors errors = new EngineErrors();
        final Engine engine = Engine.launch(context(tempDir.resolve("aeron"), journalDir, (w) -> rules())
            .errorHandler(errors));
        ExclusivePublication raw = null;
        try
        {
            assertEquals(envelopes.length, engine.recoveredRecords());
            raw = rawPublication(engine);
            for (final long[] envelope : envelopes)
            {
                final int length = encodePayment(buffer, 0, envelope[0], envelope[1], 10);
                offer(raw, buffer, 0, length);
            }
            final EngineCounters counters = engine.counters();
            awaitCondition(() -> settled(counters, envelopes.length), () -> describe(counters));
            // negative sequences are refused live, whatever a hand-written journal holds; the valid one is a duplicate
            assertEquals(2, counters.rejected(RejectReason.INVALID_PRODUCER_SEQ));
            assertEquals(1, counters.duplicates());
            assertEquals(0, counters.journaled());
            assertNoErrors(errors);
        }
        finally
        {
            CloseHelper.closeAll(raw, engine);
        }
    }

    private static long segmentCount(final Path journalDir)
    {
        try (Stream<Path> files = Files.list(journalDir))
        {
            return files.filter((f) -> f.getFileName().toString().endsWith(".log")).count();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    private static Rule[] rules()
    {
        return new Rule[]{ new LargeAmountRule(1_000_000L, Severity.HIGH) };
    }
}
