package io.txmon.sequencer;

import io.aeron.ExclusivePublication;
import io.txmon.events.RejectReason;
import io.txmon.events.codec.Severity;
import io.txmon.rules.Rule;
import io.txmon.rules.typology.LargeAmountRule;
import io.txmon.transport.TxmonPublisher;
import org.agrona.CloseHelper;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static io.txmon.sequencer.EngineTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

class DuplicateTest
{
    private static final long PRODUCER = 7;
    private static final long OTHER_PRODUCER = 8;
    private static final int FIRST = 1000;
    private static final int NEW = 100;

    @TempDir
    Path tempDir;

    @Test
    void resentProducerSequencesAreDroppedAndJournaledOnce()
    {
        final Path journalDir = tempDir.resolve("journal");
        final EngineErrors errors = new EngineErrors();
        final Engine engine = Engine.launch(context(tempDir.resolve("aeron"), journalDir, (w) -> rules())
            .errorHandler(errors));
        TxmonPublisher publisher = null;
        ExclusivePublication raw = null;
        try
        {
            final EngineCounters counters = engine.counters();
            publisher = publisher(engine, PRODUCER, 0);
            for (int i = 0; i < FIRST; i++)
            {
                sendPayment(publisher, 1_000 + i);
            }
            awaitCondition(() -> counters.journaled() == FIRST, () -> describe(counters));

            // a second publication: copies of what was sent, interleaved with new sequences of the same producer,
            // and the same sequence numbers under another producer id, which are not duplicates
            raw = rawPublication(engine);
            final UnsafeBuffer buffer = new UnsafeBuffer(new byte[512]);
            int duplicatesSent = 0;
            int otherSent = 0;
            for (int k = 0; k < NEW; k++)
            {
                int length = encodePayment(buffer, 0, PRODUCER, (k * 37L) % FIRST, 1_000 + (k * 37L) % FIRST);
                offer(raw, buffer, 0, length);
                duplicatesSent++;

                length = encodePayment(buffer, 0, PRODUCER, FIRST + k, 5_000 + k);
                offer(raw, buffer, 0, length);

                if (k % 3 == 0)
                {
                    // the new one again, at once
                    offer(raw, buffer, 0, length);
                    duplicatesSent++;
                }
                if (k % 10 == 9)
                {
                    // the last of the first run, and the very first, byte for byte
                    final long seq = k % 20 == 19 ? FIRST - 1 : 0;
                    length = encodePayment(buffer, 0, PRODUCER, seq, 1_000 + seq);
                    offer(raw, buffer, 0, length);
                    duplicatesSent++;
                }

                length = encodePayment(buffer, 0, OTHER_PRODUCER, k, 9_000 + k);
                offer(raw, buffer, 0, length);
                otherSent++;
            }

            final long expectedReceived = FIRST + NEW + duplicatesSent + otherSent;
            final long expectedJournaled = FIRST + NEW + otherSent;
            awaitCondition(
                () -> settled(counters, expectedReceived) && counters.decided() == expectedJournaled,
                () -> describe(counters));

            assertEquals(duplicatesSent, counters.duplicates());
            assertEquals(expectedJournaled, counters.journaled());
            assertEquals(0, counters.rejected());
            assertEquals(0, counters.sequenceGaps());
            assertNoErrors(errors);

            final List<JournalRecord> records = readJournal(journalDir);
            assertEquals(expectedJournaled, records.size());
            assertDenseAndMonotonic(records);
            final Set<String> keys = new HashSet<>();
            long nextSeq = 0;
            long nextOtherSeq = 0;
            for (final JournalRecord record : records)
            {
                assertTrue(keys.add(record.producerId + "/" + record.producerSeq), () -> "journaled twice: " + record);
                if (record.producerId == PRODUCER)
                {
                    assertEquals(nextSeq, record.producerSeq, "producer order kept");
                    assertEquals(nextSeq < FIRST ? 1_000 + nextSeq : 5_000 + nextSeq - FIRST, record.amount,
                        "the first copy is the one kept");
                    nextSeq++;
                }
                else
                {
                    assertEquals(OTHER_PRODUCER, record.producerId);
                    assertEquals(nextOtherSeq++, record.producerSeq);
                }
            }
            assertEquals(FIRST + NEW, nextSeq);
            assertEquals(otherSent, nextOtherSeq);
        }
        finally
        {
            CloseHelper.closeAll(publisher, raw, engine);
        }
    }

    /**
     * Producer sequences are never negative (the stated policy): a negative one is refused with its
     * reason, counted, never journaled, and the producer's next valid event is journaled as usual.
     */
    @Test
    void negativeProducerSequencesAreRejectedWithTheirReasonAndNeverJournaled()
    {
        final Path journalDir = tempDir.resolve("journal");
        final EngineErrors errors = new EngineErrors();
        final Engine engine = Engine.launch(context(tempDir.resolve("aeron"), journalDir, (w) -> rules())
            .errorHandler(errors));
        ExclusivePublication raw = null;
        try
        {
            final EngineCounters counters = engine.counters();
            raw = rawPublication(engine);
            final UnsafeBuffer buffer = new UnsafeBuffer(new byte[512]);

            int length = encodePayment(buffer, 0, 42, Long.MIN_VALUE, 100);
            offer(raw, buffer, 0, length);
            offer(raw, buffer, 0, length);
            length = encodePayment(buffer, 0, 42, -1, 101);
            offer(raw, buffer, 0, length);
            length = encodePayment(buffer, 0, 42, 0, 102);
            offer(raw, buffer, 0, length);

            awaitCondition(() -> counters.received() == 4 && counters.journaled() + counters.rejected() == 4 &&
                counters.decided() == counters.journaled(),
                () -> describe(counters));

            final List<JournalRecord> records = readJournal(journalDir);
            assertEquals(0, errors.count(), () -> "engine errors: " + errors.distinct());
            assertEquals(3, counters.rejected(RejectReason.INVALID_PRODUCER_SEQ));
            assertEquals(1, records.size(), () -> "journal: " + records);
            assertEquals(0, records.get(0).producerSeq);
            assertEquals(1, counters.journaled());
            assertEquals(0, counters.duplicates());
            assertEquals(1, counters.decided());
        }
        finally
        {
            CloseHelper.closeAll(raw, engine);
        }
    }

    private static Rule[] rules()
    {
        return new Rule[]{ new LargeAmountRule(1_000_000L, Severity.HIGH) };
    }
}
