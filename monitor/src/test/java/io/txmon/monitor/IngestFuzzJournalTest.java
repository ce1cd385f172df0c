package io.txmon.monitor;

import io.aeron.ExclusivePublication;
import io.txmon.events.MessageValidator;
import io.txmon.events.RejectReason;
import io.txmon.journal.JournalReader;
import io.txmon.rules.config.RuleSettings;
import io.txmon.sequencer.Engine;
import io.txmon.sequencer.EngineCounters;
import org.agrona.CloseHelper;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The end-to-end half of "one validator": 3,000 mutated frames of every ingest template sent raw on a real
 * engine's ingest stream (the outside experiment journaled 411 of 3,000 bit-flipped payments, 139 of them with
 * values the CLI refuses). Afterwards every journaled event is read back and must pass the CLI's rules as the
 * same event; the engine, running every typology over what it journaled, raised no rule error.
 */
class IngestFuzzJournalTest
{
    private static final int FRAMES = 3_000;

    @TempDir
    Path dir;

    @Test
    void everyJournaledEventOfAMutatedStreamPassesTheCliRules() throws Exception
    {
        final Path journalDir = dir.resolve("journal");
        final long eventTime = System.currentTimeMillis() * 1_000_000L - TimeUnit.HOURS.toNanos(1);
        final Engine engine = Engine.launch(new Engine.Context()
            .aeronDirectoryName(dir.resolve("aeron").toString())
            .journalDir(journalDir)
            .segmentLength(4 * 1024 * 1024)
            .ruleSettings(RuleSettings.defaults()));
        ExclusivePublication publication = null;
        final EngineCounters counters = engine.counters();
        final long journaledCount;
        try
        {
            publication = engine.aeron().addExclusivePublication(
                engine.context().ingestChannel(), engine.context().ingestStreamId());
            final ExclusivePublication raw = publication;
            MonitorTests.await(raw::isConnected, () -> "raw ingest publication connected");

            final FrameFuzz fuzz = new FrameFuzz(1_000_000, eventTime);
            final Random random = new Random(411L);
            final UnsafeBuffer buffer = new UnsafeBuffer(new byte[512]);
            for (int i = 0; i < FRAMES; i++)
            {
                final byte[] frame = fuzz.mutated(i, random);
                buffer.putBytes(0, frame);
                final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(MonitorTests.TIMEOUT_MS);
                while (raw.offer(buffer, 0, frame.length) < 0)
                {
                    assertTrue(System.nanoTime() < deadline, "offer of frame " + i + " timed out");
                    Thread.onSpinWait();
                }
            }
            MonitorTests.await(() -> counters.received() == FRAMES,
                () -> "all frames processed: received " + counters.received() + " of " + FRAMES);
            MonitorTests.await(() -> counters.decided() == counters.journaled(),
                () -> "rules ran over every journaled event");
            assertEquals(0, counters.ruleErrors(), "rule errors on journaled events");
            assertTrue(counters.rejected(RejectReason.EVENT_TIME_OUT_OF_RANGE) > 0, "event times refused");
            assertTrue(counters.rejected(RejectReason.INVALID_GEO) > 0, "geo refused");
            journaledCount = counters.journaled();
        }
        finally
        {
            CloseHelper.closeAll(publication, engine);
        }

        final MessageValidator validator = new MessageValidator();
        final EventLineParser parser = EventLineParser.json(() -> eventTime);
        final List<String> refused = new ArrayList<>();
        final int[] journaled = new int[1];
        try (JournalReader reader = JournalReader.open(journalDir))
        {
            while (reader.poll((offset, timestamp, templateId, payload, at, length) ->
            {
                journaled[0]++;
                assertEquals(RejectReason.NONE, validator.validate(payload, at, length), "journaled at " + offset);
                final String line = FrameFuzz.toLine(payload, at);
                try
                {
                    FrameFuzz.assertSameEvent(payload, at, parser.parse(line), line);
                }
                catch (final EventLineParser.InvalidLineException ex)
                {
                    refused.add(offset + ": " + line + " -> " + ex.getMessage());
                }
            }, 1024) > 0)
            {
                // every record read
            }
        }

        assertEquals(journaledCount, journaled[0]);
        assertTrue(journaled[0] > FRAMES / 20, () -> "only " + journaled[0] + " journaled");
        assertEquals(List.of(), refused, "journaled events the CLI refuses");
    }
}
