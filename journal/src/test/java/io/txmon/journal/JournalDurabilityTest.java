package io.txmon.journal;

import io.txmon.journal.JournalTestSupport.Rec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.txmon.journal.JournalDescriptor.*;
import static io.txmon.journal.JournalTestSupport.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Durability modes as seen through the writer's {@link JournalConfig.Forcer}, a failed force, the mark
 * file and the metadata file.
 */
class JournalDurabilityTest
{
    private static final long INTERVAL_NS = 1_000_000;

    @TempDir
    Path dir;

    /**
     * One call of the forcer.
     */
    record Force(long segmentBase, int from, int length)
    {
        int to()
        {
            return from + length;
        }
    }

    /**
     * Counts forces, and really forces unless told to fail.
     */
    static final class CountingForcer implements JournalConfig.Forcer
    {
        final List<Force> forces = new ArrayList<>();
        final AtomicBoolean fail = new AtomicBoolean();
        int failures;

        public void force(final Segment segment, final int index, final int length)
        {
            if (fail.get())
            {
                failures++;
                throw new UncheckedIOException(new IOException("injected EIO"));
            }
            forces.add(new Force(segment.baseOffset(), index, length));
            segment.force(index, length);
        }
    }

    /**
     * Where the writer's position is after each record, computed from the record sizes alone.
     */
    static final class Position
    {
        long segmentBase;
        int position = SEGMENT_HEADER_LENGTH;

        /**
         * @return true if this record rolled to a new segment.
         */
        boolean onAppend(final long offset, final int payloadLength)
        {
            final int aligned = alignedFrameLength(payloadLength);
            boolean rolled = false;
            if (position + aligned > SEGMENT_LENGTH)
            {
                segmentBase = offset;
                position = SEGMENT_HEADER_LENGTH;
                rolled = true;
            }
            position += aligned;
            return rolled;
        }
    }

    private static JournalConfig config(final Durability durability, final CountingForcer forcer)
    {
        final JournalConfig config = new JournalConfig()
            .segmentLength(SEGMENT_LENGTH)
            .durability(durability)
            .forceIntervalNs(INTERVAL_NS);
        config.forcer = forcer;
        return config;
    }

    @Test
    void shouldNeverForceInOsMode() throws IOException
    {
        final CountingForcer forcer = new CountingForcer();
        final List<Rec> appended = new ArrayList<>();
        final Random random = new Random(1);
        try (JournalWriter writer = JournalWriter.open(dir, config(Durability.OS, forcer)))
        {
            assertEquals(Durability.OS, writer.durability());
            for (int i = 0; i < 1_000; i++)
            {
                appended.add(appendExpecting(writer, i, randomPayload(random, 1 + random.nextInt(500)), 1, i));
                assertEquals(0, writer.flushIfDue(INTERVAL_NS * (i + 1)), "flushIfDue is for INTERVAL only");
            }
            assertTrue(writer.rolls() >= 3, "rolls " + writer.rolls());
            assertEquals(List.of(), forcer.forces, "no force on append or roll");
        }
        assertEquals(List.of(), forcer.forces, "no force on close");
        assertRecords(appended, readAll(dir));
    }

    @Test
    void shouldForceExactlyWhatWasAppendedSinceTheLastCommitInSyncMode() throws IOException
    {
        final CountingForcer forcer = new CountingForcer();
        final List<Rec> appended = new ArrayList<>();
        final Random random = new Random(2);
        final Position model = new Position();
        int rollsSeen = 0;
        try (JournalWriter writer = JournalWriter.open(dir, config(Durability.SYNC, forcer)))
        {
            assertTrue(writer.commit(), "nothing to commit");
            assertEquals(List.of(), forcer.forces, "nothing appended, nothing forced");

            int offset = 0;
            while (rollsSeen < 4)
            {
                final int batch = 1 + random.nextInt(40);
                for (int i = 0; i < batch; i++)
                {
                    final byte[] payload = randomPayload(random, random.nextInt(700));
                    final long previousBase = model.segmentBase;
                    final int previousPosition = model.position;
                    final int forcesBefore = forcer.forces.size();
                    appended.add(appendExpecting(writer, offset, payload, 2, offset));
                    final boolean rolled = model.onAppend(offset, payload.length);
                    offset++;
                    if (rolled)
                    {
                        rollsSeen++;
                        assertEquals(rollsSeen, writer.rolls());
                        // the roll forced the rest of the old segment: what was appended since the commit,
                        // the end-of-segment marker and the unused end
                        assertEquals(forcesBefore + 1, forcer.forces.size(), "one force at the roll");
                        final Force force = forcer.forces.get(forcesBefore);
                        assertEquals(previousBase, force.segmentBase());
                        assertEquals(SEGMENT_LENGTH, force.to(), "the roll forces to the end of the old segment");
                        assertTrue(force.from() <= previousPosition);
                    }
                    else
                    {
                        assertEquals(forcesBefore, forcer.forces.size(), "no force on a plain append");
                    }
                }

                final int forcesBefore = forcer.forces.size();
                assertTrue(writer.commit());
                assertFalse(writer.isFailed());
                assertEquals(forcesBefore + 1, forcer.forces.size(), "one force per commit");
                final Force force = forcer.forces.get(forcesBefore);
                assertEquals(model.segmentBase, force.segmentBase());
                assertEquals(model.position, force.to(), "commit forces up to the writer's position");

                assertTrue(writer.commit(), "a second commit has nothing to do");
                assertEquals(forcesBefore + 1, forcer.forces.size(), "nothing appended since: no force");
            }
            assertEquals(0, writer.flushIfDue(Long.MAX_VALUE / 2), "flushIfDue is for INTERVAL only");
        }

        assertContiguousCoverage(forcer.forces, model);
        assertRecords(appended, readAll(dir));
    }

    /**
     * Per segment, the forced ranges follow each other with no gap and no overlap from the first frame on;
     * every full segment is forced to its end and the last one up to the writer's position.
     */
    private static void assertContiguousCoverage(final List<Force> forces, final Position model)
    {
        assertFalse(forces.isEmpty());
        long base = -1;
        int covered = 0;
        final List<Long> bases = new ArrayList<>();
        for (final Force force : forces)
        {
            assertTrue(force.length() > 0, "empty force " + force);
            if (force.segmentBase() != base)
            {
                if (base >= 0)
                {
                    assertEquals(SEGMENT_LENGTH, covered, "segment " + base + " forced to its end");
                }
                assertTrue(force.segmentBase() > base, "segments are forced in order: " + forces);
                base = force.segmentBase();
                bases.add(base);
                covered = SEGMENT_HEADER_LENGTH;
            }
            assertEquals(covered, force.from(), "gap or overlap at " + force + " in " + forces);
            covered = force.to();
        }
        assertEquals(model.segmentBase, base);
        assertEquals(model.position, covered, "the last segment is forced up to the writer's position");
        assertTrue(bases.size() >= 5, "segments " + bases);
    }

    @Test
    void shouldForceOnlyWhenTheIntervalHasPassedAndSomethingWasAppendedInIntervalMode() throws IOException
    {
        final CountingForcer forcer = new CountingForcer();
        final List<Rec> appended = new ArrayList<>();
        final Position model = new Position();
        final long t0 = 5_000_000_000L;
        try (JournalWriter writer = JournalWriter.open(dir, config(Durability.INTERVAL, forcer)))
        {
            assertEquals(0, writer.flushIfDue(t0), "nothing appended");
            assertEquals(List.of(), forcer.forces);

            appended.add(appendExpecting(writer, 0, new byte[100], 1, 10));
            model.onAppend(0, 100);
            assertEquals(List.of(), forcer.forces, "no force on append");
            assertEquals(1, writer.flushIfDue(t0));
            assertEquals(List.of(new Force(0, SEGMENT_HEADER_LENGTH, model.position - SEGMENT_HEADER_LENGTH)),
                forcer.forces);

            appended.add(appendExpecting(writer, 1, new byte[50], 1, 11));
            model.onAppend(1, 50);
            assertEquals(0, writer.flushIfDue(t0 + 1));
            assertEquals(0, writer.flushIfDue(t0 + INTERVAL_NS / 2));
            assertEquals(0, writer.flushIfDue(t0 + INTERVAL_NS - 1));
            assertEquals(1, forcer.forces.size(), "interval not passed yet");
            assertEquals(1, writer.flushIfDue(t0 + INTERVAL_NS));
            assertEquals(2, forcer.forces.size());
            assertEquals(model.position, forcer.forces.get(1).to());

            // the interval has passed but nothing new was appended
            assertEquals(0, writer.flushIfDue(t0 + 10 * INTERVAL_NS));
            assertEquals(2, forcer.forces.size());

            // appended long after the last force: the next call forces at once
            appended.add(appendExpecting(writer, 2, new byte[8], 1, 12));
            model.onAppend(2, 8);
            assertEquals(1, writer.flushIfDue(t0 + 20 * INTERVAL_NS));
            assertEquals(3, forcer.forces.size());
            assertEquals(0, writer.flushIfDue(t0 + 20 * INTERVAL_NS + 1));

            // a roll forces the rest of the old segment, flush or not
            long offset = 3;
            long now = t0 + 20 * INTERVAL_NS;
            final Random random = new Random(3);
            while (writer.rolls() < 2)
            {
                final byte[] payload = randomPayload(random, random.nextInt(900));
                final long rollsBefore = writer.rolls();
                final int forcesBefore = forcer.forces.size();
                appended.add(appendExpecting(writer, offset, payload, 1, 13 + offset));
                model.onAppend(offset, payload.length);
                offset++;
                if (writer.rolls() != rollsBefore)
                {
                    assertEquals(forcesBefore + 1, forcer.forces.size());
                    assertEquals(SEGMENT_LENGTH, forcer.forces.get(forcesBefore).to());
                }
                now += INTERVAL_NS / 3;
                writer.flushIfDue(now);
            }
            now += INTERVAL_NS;
            writer.flushIfDue(now);
            assertEquals(0, writer.flushIfDue(now + 2 * INTERVAL_NS), "all forced already");
        }
        assertContiguousCoverageInterval(forcer.forces, model);
        assertRecords(appended, readAll(dir));
    }

    private static void assertContiguousCoverageInterval(final List<Force> forces, final Position model)
    {
        long base = -1;
        int covered = 0;
        for (final Force force : forces)
        {
            if (force.segmentBase() != base)
            {
                if (base >= 0)
                {
                    assertEquals(SEGMENT_LENGTH, covered);
                }
                base = force.segmentBase();
                covered = SEGMENT_HEADER_LENGTH;
            }
            assertEquals(covered, force.from(), "gap or overlap at " + force + " in " + forces);
            covered = force.to();
        }
        assertEquals(model.segmentBase, base);
        assertEquals(model.position, covered);
    }

    /**
     * {@link System#nanoTime()} may be negative ("the origin may be in the future"); flushIfDue is fed from
     * it. Time passing with records pending must lead to a force whatever the origin.
     */
    @Test
    void shouldForceInIntervalModeWhenNanoTimeIsNegative()
    {
        final CountingForcer forcer = new CountingForcer();
        final long t0 = -3_600_000_000_000L; // an hour before the clock's origin
        try (JournalWriter writer = JournalWriter.open(dir, config(Durability.INTERVAL, forcer)))
        {
            appendExpecting(writer, 0, new byte[100], 1, 10);
            writer.flushIfDue(t0);
            appendExpecting(writer, 1, new byte[100], 1, 11);
            assertEquals(1, writer.flushIfDue(t0 + 5 * INTERVAL_NS),
                "five intervals passed with a record pending, yet no force");
            assertEquals(2 * alignedFrameLength(100), forcer.forces.stream().mapToInt(Force::length).sum());
        }
    }

    @Test
    void shouldStopForGoodWhenAForceFails() throws IOException
    {
        final CountingForcer forcer = new CountingForcer();
        final List<Rec> appended = new ArrayList<>();
        final Random random = new Random(4);
        long offset = 0;
        try (JournalWriter writer = JournalWriter.open(dir, config(Durability.SYNC, forcer)))
        {
            // two segments' worth, committed
            while (writer.rolls() < 1 || offset % 17 != 0)
            {
                appended.add(appendExpecting(writer, offset, randomPayload(random, random.nextInt(600)), 3, offset));
                offset++;
            }
            assertTrue(writer.commit());
            // some more, not committed when the device fails
            for (int i = 0; i < 10; i++)
            {
                appended.add(appendExpecting(writer, offset, randomPayload(random, random.nextInt(600)), 3, offset));
                offset++;
            }
            assertNull(writer.lastError());

            forcer.fail.set(true);
            assertFalse(writer.commit(), "the force failed");
            assertTrue(writer.isFailed());
            assertEquals(1, forcer.failures);
            final Exception error = writer.lastError();
            assertNotNull(error);
            assertInstanceOf(JournalException.class, error);
            final String message = error.getMessage();
            assertTrue(message.contains("force failed"), message);
            assertTrue(message.contains(segmentFileName(lastSegmentBase(appended, offset))), message);
            assertEquals(lastSegment(dir).getFileName().toString(), segmentFileName(lastSegmentBase(appended, offset)));
            assertNotNull(error.getCause(), "the forcer's exception is the cause");

            // nothing more is accepted, even once the device would work again: never retried into success
            assertEquals(JournalWriter.FORCE_FAILED, append(writer, new byte[10], 3, offset));
            forcer.fail.set(false);
            assertFalse(writer.commit(), "a failed writer never commits again");
            assertFalse(writer.force());
            assertEquals(JournalWriter.FORCE_FAILED, append(writer, new byte[10], 3, offset));
            assertEquals(JournalWriter.FORCE_FAILED, append(writer, new byte[0], 3, offset + 1));
            assertEquals(offset, writer.nextOffset(), "nothing was appended after the failure");
            assertTrue(writer.isFailed());
            assertEquals(1, forcer.failures, "the forcer is not called again");
            final int forcesBefore = forcer.forces.size();
            writer.close();
            assertEquals(forcesBefore, forcer.forces.size(), "close does not force a failed writer");
            assertEquals(JournalWriter.CLOSED, append(writer, new byte[10], 3, offset));
        }

        // every record appended before the failure is there for a fresh writer and its readers
        assertRecords(appended, readAll(dir));
        try (JournalWriter writer = JournalWriter.open(dir, new JournalConfig().segmentLength(SEGMENT_LENGTH)))
        {
            assertFalse(writer.isFailed());
            assertEquals(offset, writer.nextOffset());
            appended.add(appendExpecting(writer, offset, new byte[] {1, 2, 3}, 3, offset));
        }
        assertRecords(appended, readAll(dir));
        final List<JournalVerifier.Problem> problems = new ArrayList<>();
        assertTrue(JournalVerifier.verify(dir, problems::add).ok(), problems::toString);
    }

    private static long lastSegmentBase(final List<Rec> appended, final long end)
    {
        final Position model = new Position();
        for (int i = 0; i < end; i++)
        {
            model.onAppend(i, appended.get(i).payload().length);
        }
        return model.segmentBase;
    }

    @Test
    void shouldReportAForceFailedAtARollAsForceFailed() throws IOException
    {
        final CountingForcer forcer = new CountingForcer();
        final List<Rec> appended = new ArrayList<>();
        try (JournalWriter writer = JournalWriter.open(dir, config(Durability.SYNC, forcer)))
        {
            final byte[] payload = new byte[1000];
            final int perSegment = (SEGMENT_LENGTH - SEGMENT_HEADER_LENGTH) / alignedFrameLength(payload.length);
            for (int i = 0; i < perSegment; i++)
            {
                appended.add(appendExpecting(writer, i, payload, 1, i));
            }
            forcer.fail.set(true);
            assertEquals(JournalWriter.FORCE_FAILED, append(writer, payload, 1, perSegment), "the roll's force failed");
            assertTrue(writer.isFailed());
            assertEquals(0, writer.rolls());
            assertTrue(writer.lastError().getMessage().contains("force failed"), writer.lastError().getMessage());
            assertTrue(writer.lastError().getMessage().contains(segmentFileName(0)), writer.lastError().getMessage());
            forcer.fail.set(false);
            assertEquals(JournalWriter.FORCE_FAILED, append(writer, payload, 1, perSegment));
            assertFalse(writer.commit());
        }
        assertRecords(appended, readAll(dir));
    }

    @Test
    void shouldHoldAMarkFileWhileOpenAndReportAnUncleanClose() throws IOException
    {
        final Path mark = dir.resolve(MARK_FILE_NAME);
        final byte[] leftOver;
        try (JournalWriter writer = JournalWriter.open(dir, SEGMENT_LENGTH))
        {
            assertFalse(writer.previousOwnerCrashed(), "a new journal");
            assertTrue(Files.exists(mark));
            final String text = Files.readString(mark, StandardCharsets.US_ASCII);
            assertTrue(text.contains("pid=" + ProcessHandle.current().pid() + "\n"), text);
            assertTrue(text.contains("started="), text);
            assertEquals(Long.toString(ProcessHandle.current().pid()), JournalWriter.ownerPid(dir));
            leftOver = Files.readAllBytes(mark);
            appendExpecting(writer, 0, new byte[10], 1, 1);
        }
        assertFalse(Files.exists(mark), "a clean close removes the mark file");
        assertFalse(Files.exists(dir.resolve(MARK_FILE_NAME + ".tmp")));

        try (JournalWriter writer = JournalWriter.open(dir, SEGMENT_LENGTH))
        {
            assertFalse(writer.previousOwnerCrashed(), "the previous writer closed cleanly");
        }

        // what a killed writer leaves behind
        Files.write(mark, leftOver);
        try (JournalWriter writer = JournalWriter.open(dir, SEGMENT_LENGTH))
        {
            assertTrue(writer.previousOwnerCrashed(), "the mark file of a writer that did not close");
            assertEquals(1, writer.nextOffset());
            assertTrue(Files.readString(mark).contains("pid=" + ProcessHandle.current().pid()));
        }
        assertFalse(Files.exists(mark));

        try (JournalWriter writer = JournalWriter.open(dir, SEGMENT_LENGTH))
        {
            assertFalse(writer.previousOwnerCrashed(), "reported once, then cleared by the clean close");
        }
    }

    @Test
    void shouldCreateTheMetadataOnFirstOpenAndKeepIt() throws IOException
    {
        final JournalConfig config = new JournalConfig().segmentLength(2 * SEGMENT_LENGTH).indexInterval(16);
        try (JournalWriter writer = JournalWriter.open(dir, config))
        {
            assertEquals(16, writer.indexInterval());
        }
        final Path file = dir.resolve(METADATA_FILE_NAME);
        assertTrue(Files.exists(file));
        final JournalMetadata metadata = JournalMetadata.read(dir);
        assertNotNull(metadata);
        assertEquals(FORMAT_VERSION, metadata.formatVersion());
        assertEquals(2 * SEGMENT_LENGTH, metadata.segmentLength());
        assertEquals(16, metadata.indexInterval());
        assertNotNull(metadata.created());

        final Properties properties = new Properties();
        try (var reader = Files.newBufferedReader(file, StandardCharsets.UTF_8))
        {
            properties.load(reader);
        }
        assertEquals(Map.of(
                "format-version", "1",
                "segment-length", Integer.toString(2 * SEGMENT_LENGTH),
                "index-interval", "16",
                "created", metadata.created().toString()),
            Map.copyOf(properties));
        final byte[] before = Files.readAllBytes(file);

        // written once: a later writer with another configuration keeps the journal's index interval
        try (JournalWriter writer = JournalWriter.open(dir, new JournalConfig().segmentLength(SEGMENT_LENGTH)))
        {
            assertEquals(16, writer.indexInterval());
        }
        assertEquals(new String(before, StandardCharsets.UTF_8), Files.readString(file, StandardCharsets.UTF_8));
        assertFalse(Files.exists(dir.resolve(METADATA_FILE_NAME + ".tmp")));
    }

    @Test
    void shouldRefuseAJournalOfANewerFormatEverywhere() throws IOException
    {
        try (JournalWriter writer = JournalWriter.open(dir, SEGMENT_LENGTH))
        {
            appendExpecting(writer, 0, new byte[10], 1, 1);
        }
        writeMetadata(99);

        final JournalException write = assertThrows(
            JournalException.class, () -> JournalWriter.open(dir, SEGMENT_LENGTH));
        assertNewerFormat(write);
        final JournalException read = assertThrows(JournalException.class, () -> JournalReader.open(dir));
        assertNewerFormat(read);
        final JournalException verify = assertThrows(
            JournalException.class, () -> JournalVerifier.verify(dir, (p) -> true));
        assertNewerFormat(verify);

        // the refused writer released the lock: with the metadata back, the journal opens
        writeMetadata(FORMAT_VERSION);
        try (JournalWriter writer = JournalWriter.open(dir, SEGMENT_LENGTH))
        {
            assertEquals(1, writer.nextOffset());
        }
    }

    /**
     * A writer refused on open never ran: it must not leave a mark file that makes the next writer believe
     * its predecessor crashed.
     */
    @Test
    void shouldNotLeaveAMarkFileBehindWhenOpenIsRefused() throws IOException
    {
        try (JournalWriter writer = JournalWriter.open(dir, SEGMENT_LENGTH))
        {
            appendExpecting(writer, 0, new byte[10], 1, 1);
        }
        writeMetadata(99);
        assertThrows(JournalException.class, () -> JournalWriter.open(dir, SEGMENT_LENGTH));
        assertFalse(Files.exists(dir.resolve(MARK_FILE_NAME)),
            "a writer refused on open left " + MARK_FILE_NAME + " in the journal it refused");

        writeMetadata(FORMAT_VERSION);
        try (JournalWriter writer = JournalWriter.open(dir, SEGMENT_LENGTH))
        {
            assertFalse(writer.previousOwnerCrashed(), "the last writer that ran closed cleanly");
        }
    }

    private void writeMetadata(final int formatVersion) throws IOException
    {
        Files.writeString(dir.resolve(METADATA_FILE_NAME),
            "# txmon journal metadata\nformat-version=" + formatVersion + "\nsegment-length=" + SEGMENT_LENGTH +
            "\nindex-interval=256\ncreated=2026-01-01T00:00:00Z\n", StandardCharsets.UTF_8);
    }

    private static void assertNewerFormat(final JournalException ex)
    {
        final String message = ex.getMessage();
        assertTrue(message.contains("written by journal format version 99"), message);
        assertTrue(message.contains("newer"), message);
    }
}
