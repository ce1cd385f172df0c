package io.txmon.sequencer;

import io.txmon.events.codec.Severity;
import io.txmon.rules.Rule;
import io.txmon.rules.typology.LargeAmountRule;
import io.txmon.transport.IngestHandler;
import org.agrona.CloseHelper;
import org.agrona.concurrent.AgentInvoker;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static io.txmon.sequencer.EngineTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * With {@code useSequencerAgentInvoker}, the engine starts no sequencer thread, and messages handed to its
 * {@link IngestHandler} on the caller's thread are validated, deduplicated, journaled and decided exactly as
 * messages polled from the ingest stream; without it there is neither invoker nor handler.
 */
class SequencerInvokerTest
{
    private static final long PRODUCER = 7;
    private static final int EVENTS = 100;
    private static final long THRESHOLD = 1_000_000;

    @TempDir
    Path tempDir;

    @Test
    void messagesHandedToTheSequencerAreJournaledAndDecidedOnTheCallersThread()
    {
        final Path journalDir = tempDir.resolve("journal");
        final EngineErrors errors = new EngineErrors();
        final Engine engine = Engine.launch(context(tempDir.resolve("aeron"), journalDir, (w) -> rules())
            .errorHandler(errors)
            .useSequencerAgentInvoker(true));
        try
        {
            final IngestHandler sequencer = engine.sequencerIngestHandler();
            final AgentInvoker dutyCycle = engine.sequencerAgentInvoker();
            assertNotNull(sequencer);
            assertNotNull(dutyCycle);
            assertTrue(dutyCycle.isStarted());
            for (final Thread thread : Thread.getAllStackTraces().keySet())
            {
                assertNotEquals("txmon-sequencer", thread.getName(), "no sequencer thread");
            }

            final EngineCounters counters = engine.counters();
            final UnsafeBuffer buffer = new UnsafeBuffer(new byte[512]);
            for (int seq = 0; seq < EVENTS; seq++)
            {
                final long amount = seq % 50 == 49 ? THRESHOLD : 1_000 + seq;
                sequencer.onMessage(buffer, 0, encodePayment(buffer, 0, PRODUCER, seq, amount));
            }
            // a duplicate and an invalid message, handled as if polled
            sequencer.onMessage(buffer, 0, encodePayment(buffer, 0, PRODUCER, 3, 1_003));
            sequencer.onMessage(buffer, 0, 4);
            assertTrue(dutyCycle.invoke() >= 0);

            assertEquals(EVENTS + 2, counters.received(), () -> describe(counters));
            assertEquals(EVENTS, counters.journaled(), "journaled before onMessage returns");
            assertEquals(1, counters.duplicates());
            assertEquals(1, counters.rejected());
            awaitCondition(() -> counters.decided() == EVENTS, () -> describe(counters));
            assertEquals(2, counters.alerts());
            assertNoErrors(errors);
        }
        finally
        {
            CloseHelper.close(engine);
        }

        final List<JournalRecord> records = readJournal(journalDir);
        assertEquals(EVENTS, records.size());
        assertDenseAndMonotonic(records);
        for (int i = 0; i < EVENTS; i++)
        {
            assertEquals(PRODUCER, records.get(i).producerId);
            assertEquals(i, records.get(i).producerSeq);
        }
    }

    @Test
    void aSequencerOnItsOwnThreadOffersNeitherInvokerNorHandler()
    {
        final Engine engine = Engine.launch(context(tempDir.resolve("aeron"), tempDir.resolve("journal"), (w) -> rules()));
        try
        {
            assertNull(engine.sequencerAgentInvoker());
            assertNull(engine.sequencerIngestHandler());
            assertFalse(engine.context().useSequencerAgentInvoker());
        }
        finally
        {
            CloseHelper.close(engine);
        }
    }

    private static Rule[] rules()
    {
        return new Rule[]{ new LargeAmountRule(THRESHOLD, Severity.HIGH) };
    }
}
