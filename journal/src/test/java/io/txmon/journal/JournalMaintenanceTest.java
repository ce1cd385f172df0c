package io.txmon.journal;

import io.txmon.journal.JournalTestSupport.Collector;
import io.txmon.journal.JournalTestSupport.Rec;
import org.agrona.concurrent.EpochNanoClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

import static io.txmon.journal.JournalDescriptor.*;
import static io.txmon.journal.JournalTestSupport.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The maintenance agent (spare segments, sealing off the writer's thread) and retention. The agent's
 * {@code doWork()} is called from the test thread: no threads, fully deterministic.
 */
class JournalMaintenanceTest
{
    private static final long T0 = 1_700_000_000_000_000_000L;
    private static final long TICK = 1_000_000L;

    @TempDir
    Path dir;

    private final AtomicLong now = new AtomicLong(T0);
    private final EpochNanoClock clock = now::get;
    private final List<Rec> appended = new ArrayList<>();
    private final Random random = new Random(11);

    private JournalWriter openWriter()
    {
        return JournalWriter.open(dir, new JournalConfig().segmentLength(SEGMENT_LENGTH));
    }

    private long ts(final long offset)
    {
        return T0 + offset * TICK;
    }

    private void appendOne(final JournalWriter writer)
    {
        final long offset = appended.size();
        appended.add(appendExpecting(writer, offset, randomPayload(random, 100 + random.nextInt(700)), 4, ts(offset)));
    }

    /**
     * Append until the writer has rolled once more, the new segment holding exactly one record.
     */
    private void appendUntilRoll(final JournalWriter writer)
    {
        final long rolls = writer.rolls();
        while (writer.rolls() == rolls)
        {
            appendOne(writer);
        }
    }

    private long[] bases() throws IOException
    {
        return Segment.listBaseOffsets(dir);
    }

    private boolean sealed(final long base)
    {
        return Files.exists(dir.resolve(sealFileName(base)));
    }

    @Test
    void shouldPrepareASpareThatTheNextRollUses() throws Exception
    {
        final Path spare = dir.resolve(SPARE_SEGMENT_NAME);
        try (JournalWriter writer = openWriter())
        {
            final JournalMaintenanceAgent agent = writer.newMaintenanceAgent(RetentionPolicy.KEEP_ALL, clock);
            assertEquals("txmon-journal-maintenance", agent.roleName());
            assertFalse(Files.exists(spare));
            assertEquals(0, agent.sparesPrepared());

            assertTrue(agent.doWork() > 0);
            assertTrue(Files.exists(spare), "spare prepared");
            assertEquals(SEGMENT_LENGTH, Files.size(spare));
            assertEquals(1, agent.sparesPrepared());
            assertEquals(0, agent.doWork(), "nothing more to do until the spare is used");
            assertEquals(1, agent.sparesPrepared());

            for (int roll = 1; roll <= 3; roll++)
            {
                appendUntilRoll(writer);
                final long base = appended.size() - 1;
                assertFalse(Files.exists(spare), "roll " + roll + " took the spare");
                final Path segment = dir.resolve(segmentFileName(base));
                assertTrue(Files.exists(segment));
                assertEquals(SEGMENT_LENGTH, Files.size(segment));
                final var header = littleEndian(readAt(segment, 0, SEGMENT_HEADER_LENGTH));
                assertEquals(MAGIC, header.getLong(MAGIC_OFFSET));
                assertEquals(FORMAT_VERSION, header.getInt(FORMAT_VERSION_OFFSET));
                assertEquals(base, header.getLong(BASE_OFFSET_OFFSET), "base offset written into the spare");
                assertEquals(SEGMENT_LENGTH, header.getLong(SEGMENT_LENGTH_OFFSET));

                // readable at once, by a reader that seeks to it and by one that comes from the start
                try (JournalReader reader = JournalReader.open(dir))
                {
                    assertTrue(reader.seek(base));
                    assertRecords(appended.subList((int)base, appended.size()), drain(reader));
                }
                assertRecords(appended, readAll(dir));

                assertTrue(agent.doWork() > 0);
                assertEquals(roll + 1, agent.sparesPrepared());
                assertTrue(Files.exists(spare), "a new spare after roll " + roll);
            }

            for (int i = 0; i < 50; i++)
            {
                appendOne(writer);
            }
        }
        assertFalse(Files.exists(spare), "close removes the spare");
        assertFalse(Files.exists(dir.resolve(SPARE_SEGMENT_NAME + ".partial")));
        assertRecords(appended, readAll(dir));
        assertVerifiesOk();
    }

    /**
     * The agent's next spare is written under the names of the one a roll is renaming, so the writer hands the
     * spare back only once the roll has renamed both its files. It once handed it back after the segment's
     * rename: an agent that ran before the index's rename replaced the index file the roll then renamed (a
     * segment left with the next spare's index, and the next roll failing to find its spare index). Here the
     * agent runs at exactly that point of every roll.
     */
    @Test
    void theAgentNeverTouchesASpareARollIsStillRenaming() throws Exception
    {
        try (JournalWriter writer = openWriter())
        {
            final JournalMaintenanceAgent agent = writer.newMaintenanceAgent(RetentionPolicy.KEEP_ALL, clock);
            writer.afterNextSegment = () ->
            {
                try
                {
                    agent.doWork();
                }
                catch (final Exception ex)
                {
                    throw new AssertionError(ex);
                }
            };
            agent.doWork();
            for (int roll = 0; roll < 5; roll++)
            {
                appendUntilRoll(writer);
                agent.doWork();
            }
            assertTrue(agent.sparesPrepared() >= 5, "rolls took the agent's spares: " + agent.sparesPrepared());
        }
        assertRecords(appended, readAll(dir));
        assertVerifiesOk();
        for (final long base : bases())
        {
            final var header = littleEndian(readAt(dir.resolve(indexFileName(base)), 0, INDEX_BASE_OFFSET_OFFSET + 8));
            assertEquals(base, header.getLong(INDEX_BASE_OFFSET_OFFSET), "the index of segment " + base);
        }
    }

    @Test
    void shouldRollWithoutASpareWhenTheAgentHasNotRunYet() throws Exception
    {
        try (JournalWriter writer = openWriter())
        {
            final JournalMaintenanceAgent agent = writer.newMaintenanceAgent(RetentionPolicy.KEEP_ALL, clock);
            appendUntilRoll(writer);
            appendUntilRoll(writer);
            assertEquals(0, agent.sparesPrepared());
            assertEquals(3, bases().length);
            agent.doWork();
            assertEquals(1, agent.sparesPrepared());
        }
        assertRecords(appended, readAll(dir));
        assertVerifiesOk();
    }

    @Test
    void shouldLeaveSealingToTheAgentWhenThereIsOneAndSealTheRestOnClose() throws Exception
    {
        try (JournalWriter writer = openWriter())
        {
            final JournalMaintenanceAgent agent = writer.newMaintenanceAgent(RetentionPolicy.KEEP_ALL, clock);
            agent.doWork();

            appendUntilRoll(writer);
            long[] bases = bases();
            assertEquals(2, bases.length);
            assertFalse(sealed(bases[0]), "with an agent the writer does not seal at roll");

            agent.doWork();
            assertTrue(sealed(bases[0]), "the agent sealed it");
            assertFalse(sealed(bases[1]), "never the active segment");
            assertEquals(0, agent.doWork(), "nothing to do until the next roll");

            appendUntilRoll(writer);
            appendUntilRoll(writer);
            bases = bases();
            assertEquals(4, bases.length);
            assertFalse(sealed(bases[1]));
            assertFalse(sealed(bases[2]));
            // the agent is closed (here: simply no longer run) before the writer, which seals what is left
        }
        final long[] bases = bases();
        assertTrue(sealed(bases[1]), "close seals what the agent did not");
        assertTrue(sealed(bases[2]), "close seals what the agent did not");
        assertFalse(sealed(bases[3]), "never the active segment");
        assertNotNull(Seal.read(dir, bases[2]));
        assertVerifiesOk();
        assertRecords(appended, readAll(dir));
    }

    @Test
    void shouldSealAtRollWithoutAnAgent() throws IOException
    {
        try (JournalWriter writer = openWriter())
        {
            for (int roll = 1; roll <= 3; roll++)
            {
                appendUntilRoll(writer);
                final long[] bases = bases();
                assertEquals(roll + 1, bases.length);
                for (int i = 0; i < bases.length - 1; i++)
                {
                    assertTrue(sealed(bases[i]), "sealed at roll " + roll + ": " + bases[i]);
                }
                assertFalse(sealed(bases[bases.length - 1]));
                assertFalse(Files.exists(dir.resolve(SPARE_SEGMENT_NAME)), "no agent, no spare");
            }
        }
        assertVerifiesOk();
    }

    /**
     * Six segments: five sealed ones and the active one.
     */
    private JournalWriter writeSixSegments() throws IOException
    {
        final JournalWriter writer = openWriter();
        for (int roll = 0; roll < 5; roll++)
        {
            appendUntilRoll(writer);
        }
        for (int i = 0; i < 20; i++)
        {
            appendOne(writer);
        }
        assertEquals(6, bases().length);
        return writer;
    }

    @Test
    void shouldDeleteTheOldestSealedSegmentsWhileTheJournalIsTooLarge() throws IOException
    {
        try (JournalWriter writer = writeSixSegments();
            JournalReader early = JournalReader.open(dir))
        {
            final long[] before = bases();
            final Collector collector = new Collector();
            assertEquals(10, early.poll(collector, 10));
            assertEquals(0, early.firstOffset());

            // 6 segments of 64 KiB: keep at most 4
            final Retention.Result result = Retention.apply(
                dir, new RetentionPolicy(Long.MAX_VALUE, 4L * SEGMENT_LENGTH), ts(appended.size()));
            assertEquals(2, result.segments());
            assertEquals(2L * SEGMENT_LENGTH, result.bytes());
            assertEquals(before[2], result.firstOffset());
            assertArrayEquals(before, 2, bases());
            for (int i = 0; i < 2; i++)
            {
                assertFalse(Files.exists(dir.resolve(indexFileName(before[i]))), "index goes with its segment");
                assertFalse(Files.exists(dir.resolve(sealFileName(before[i]))), "seal goes with its segment");
            }
            assertEquals(before[2], early.firstOffset());

            // as small as possible: the active segment stays, and so does the last sealed one, whose successor
            // (the active segment) has no seal to anchor the chain
            final Retention.Result all = Retention.apply(dir, new RetentionPolicy(Long.MAX_VALUE, 1), ts(0));
            assertEquals(2, all.segments());
            assertArrayEquals(before, 4, bases());
            assertEquals(before[4], all.firstOffset());
            assertEquals(0, Retention.apply(dir, new RetentionPolicy(Long.MAX_VALUE, 1), ts(0)).segments());

            assertRetentionVisible(before[4]);
            appendOne(writer);
        }
        assertRetentionVisible(bases()[0]);
        assertEquals(2, bases().length);

        // a new writer accepts the journal: its first segment's seal anchors the chain
        try (JournalWriter writer = openWriter())
        {
            appendUntilRoll(writer);
            assertEquals(appended.size(), writer.nextOffset());
        }
        assertRetentionVisible(bases()[0]);
    }

    private void assertRetentionVisible(final long firstOffset)
    {
        final List<JournalVerifier.Problem> problems = new ArrayList<>();
        final JournalVerifier.Report report = JournalVerifier.verify(dir, problems::add);
        assertTrue(report.ok(), problems::toString);
        assertEquals(firstOffset, report.firstOffset());
        assertEquals(appended.size(), report.endOffset());
        assertEquals(appended.size() - firstOffset, report.records());

        try (JournalReader reader = JournalReader.open(dir))
        {
            assertEquals(firstOffset, reader.firstOffset());
            assertEquals(firstOffset, reader.nextOffset(), "a new reader starts at the first offset held");
            assertFalse(reader.seek(0), "deleted");
            assertFalse(reader.seek(firstOffset - 1), "deleted");
            assertTrue(reader.seek(firstOffset));
            assertRecords(appended.subList((int)firstOffset, appended.size()), drain(reader));
            assertFalse(reader.seek(firstOffset / 2), "deleted");
            assertTrue(reader.seek(appended.size() - 1));
            assertEquals(1, drain(reader).size());
        }
        assertEquals(appended.size(), Journal.endOffset(dir));
        assertEquals(firstOffset, Journal.segments(dir).get(0).baseOffset());
    }

    /**
     * {@link JournalReader#poll} returns 0 only "when the reader is at the end of what has been written".
     * A reader that still has a deleted segment mapped reads on to its end; there the next segment is gone
     * too, and it must not report the end of the journal (and wait forever) while thousands of records
     * follow: it must deliver them or throw.
     */
    @Test
    void shouldNotLetAReaderOutrunByRetentionBelieveItIsAtTheEnd() throws IOException
    {
        try (JournalWriter writer = writeSixSegments();
            JournalReader early = JournalReader.open(dir))
        {
            final long[] before = bases();
            final Collector collector = new Collector();
            assertEquals(10, early.poll(collector, 10));
            assertEquals(2, Retention.apply(dir, new RetentionPolicy(Long.MAX_VALUE, 4L * SEGMENT_LENGTH), 0)
                .segments());
            assertEquals(before[2], early.firstOffset());

            JournalException thrown = null;
            try
            {
                while (early.poll(collector, 100) > 0)
                {
                    assertTrue(collector.records.size() <= appended.size());
                }
            }
            catch (final JournalException ex)
            {
                thrown = ex;
            }
            // the mapped segment is read to its end either way
            assertRecords(appended.subList(0, (int)before[1]), collector.records.subList(0, (int)before[1]));
            if (null == thrown)
            {
                assertEquals(appended.size(), early.nextOffset(), "poll returned 0 at offset " + early.nextOffset() +
                    ", as if at the end of the journal, but the journal holds offsets " + early.firstOffset() +
                    " to " + (appended.size() - 1) + ": the reader waits forever for segment " +
                    segmentFileName(before[1]) + ", which retention deleted");
            }
            else
            {
                assertTrue(thrown.getMessage().contains(Long.toString(before[1])), thrown.getMessage());
            }
        }
    }

    @Test
    void shouldDeleteSegmentsOlderThanTheMaximumAgeByTheirLastTimestamp() throws Exception
    {
        final RetentionPolicy policy = new RetentionPolicy(1_000 * TICK, Long.MAX_VALUE);
        try (JournalWriter writer = writeSixSegments())
        {
            final long[] before = bases();
            final Seal seal1 = Seal.read(dir, before[1]);
            final Seal seal2 = Seal.read(dir, before[2]);
            assertEquals(ts(before[2] - 1), seal1.lastTimestamp());

            // exactly the maximum age: kept
            final Seal seal0 = Seal.read(dir, before[0]);
            assertEquals(0, Retention.apply(dir, policy, seal0.lastTimestamp() + policy.maxAgeNs()).segments());
            assertEquals(0, Retention.apply(dir, policy, seal0.lastTimestamp()).segments());
            // just over for segments 0 and 1, not for 2
            assertTrue(seal2.lastTimestamp() > seal1.lastTimestamp() + 1);
            final Retention.Result result = Retention.apply(dir, policy, seal1.lastTimestamp() + policy.maxAgeNs() + 1);
            assertEquals(2, result.segments());
            assertArrayEquals(before, 2, bases());

            // through the agent and its clock: retention runs on the first doWork, then every 5 s of its clock
            final JournalMaintenanceAgent agent = writer.newMaintenanceAgent(policy, clock);
            now.set(seal2.lastTimestamp() + policy.maxAgeNs() + 1);
            agent.doWork();
            assertArrayEquals(before, 3, bases());

            final Seal seal4 = Seal.read(dir, before[4]);
            now.set(seal4.lastTimestamp() + policy.maxAgeNs() + 1);
            agent.doWork();
            assertArrayEquals(before, 3, bases(), "not yet: retention ran less than 5 s ago by the agent's clock");
            now.addAndGet(JournalMaintenanceAgent.RETENTION_INTERVAL_NS);
            agent.doWork();
            // segment 4 is too old too, but its successor is the active segment: unsealed
            assertArrayEquals(before, 4, bases());

            // the writer rolls; once the agent has sealed segment 5, segment 4 can go
            appendUntilRoll(writer);
            now.addAndGet(JournalMaintenanceAgent.RETENTION_INTERVAL_NS);
            agent.doWork();
            assertTrue(sealed(before[5]));
            final long[] after = bases();
            assertEquals(2, after.length);
            assertEquals(before[5], after[0]);
            assertEquals(appended.size() - 1, after[1]);
        }
        assertRetentionVisible(bases()[0]);
    }

    @Test
    void shouldNotDeleteASegmentWhoseSuccessorIsNotSealedYet() throws Exception
    {
        try (JournalWriter writer = openWriter())
        {
            final JournalMaintenanceAgent agent = writer.newMaintenanceAgent(RetentionPolicy.KEEP_ALL, clock);
            appendUntilRoll(writer);
            agent.doWork();
            appendUntilRoll(writer);
            agent.doWork();
            appendUntilRoll(writer);
            // segments 0 and 1 sealed, 2 full but not sealed yet, 3 active
            final long[] before = bases();
            assertEquals(4, before.length);
            assertTrue(sealed(before[0]));
            assertTrue(sealed(before[1]));
            assertFalse(sealed(before[2]));

            final RetentionPolicy tiny = new RetentionPolicy(Long.MAX_VALUE, 1);
            assertEquals(1, Retention.apply(dir, tiny, ts(0)).segments());
            assertArrayEquals(before, 1, bases());

            agent.doWork();
            assertTrue(sealed(before[2]), "sealed from the chain anchored by segment 1's seal");
            assertEquals(1, Retention.apply(dir, tiny, ts(0)).segments());
            assertArrayEquals(before, 2, bases());
        }
        assertRetentionVisible(bases()[0]);
    }

    @Test
    void shouldNotDeleteWhatANamedCursorStillNeeds() throws IOException
    {
        final RetentionPolicy tiny = new RetentionPolicy(1, 1);
        final long[] before;
        try (JournalWriter writer = writeSixSegments();
            JournalCursor slow = JournalCursor.open(dir, "slow");
            JournalCursor fast = JournalCursor.open(dir, "fast");
            JournalCursor fresh = JournalCursor.open(dir, "never-committed"))
        {
            before = bases();
            fast.commit(appended.size());

            // at the very start: nothing can go
            slow.commit(0);
            assertEquals(0, Retention.apply(dir, tiny, Long.MAX_VALUE).segments());
            assertArrayEquals(before, 0, bases());

            // inside segment 1: segment 0 goes, segment 1 stays
            slow.commit(before[1] + 3);
            assertEquals(1, Retention.apply(dir, tiny, Long.MAX_VALUE).segments());
            assertArrayEquals(before, 1, bases());

            // at the last record of segment 1: still needed
            slow.commit(before[2] - 1);
            assertEquals(0, Retention.apply(dir, tiny, Long.MAX_VALUE).segments());

            // at the first record of segment 2: segment 1 is consumed
            slow.commit(before[2]);
            assertEquals(1, Retention.apply(dir, tiny, Long.MAX_VALUE).segments());
            assertArrayEquals(before, 2, bases());

            // gone from the list of cursors' needs once the file is gone; a cursor with no position protects nothing
            assertEquals(JournalCursor.NO_POSITION, fresh.position());
            slow.commit(appended.size());
            assertEquals(2, Retention.apply(dir, tiny, Long.MAX_VALUE).segments());
            assertArrayEquals(before, 4, bases());
            assertEquals(appended.size(), JournalCursor.lowestPosition(dir));
        }
        assertRetentionVisible(before[4]);
    }

    private static void assertArrayEquals(final long[] before, final int from, final long[] after)
    {
        assertArrayEquals(before, from, after, "segments left");
    }

    private static void assertArrayEquals(final long[] before, final int from, final long[] after, final String message)
    {
        org.junit.jupiter.api.Assertions.assertArrayEquals(
            java.util.Arrays.copyOfRange(before, from, before.length), after, message);
    }

    private void assertVerifiesOk()
    {
        final List<JournalVerifier.Problem> problems = new ArrayList<>();
        final JournalVerifier.Report report = JournalVerifier.verify(dir, problems::add);
        assertTrue(report.ok(), problems::toString);
        assertEquals(appended.size(), report.endOffset());
    }
}
