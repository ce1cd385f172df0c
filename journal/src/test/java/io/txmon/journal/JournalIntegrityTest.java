package io.txmon.journal;

import io.txmon.journal.JournalTamper.Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.txmon.journal.JournalDescriptor.*;
import static io.txmon.journal.JournalTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Regression tests for issue 12's findings 1 to 4 and 10 on the journal: each scenario is the one the issue
 * describes, on a small journal (64 KiB segments of a few hundred records).
 */
class JournalIntegrityTest
{
    private static final int RECORDS = 1_000;

    @TempDir
    Path tmp;

    private Path build() throws IOException
    {
        final Path dir = tmp.resolve("journal");
        JournalTamper.build(dir, RECORDS, false);
        return dir;
    }

    private static List<JournalVerifier.Problem> problems(final Path dir, final String anchor)
    {
        final List<JournalVerifier.Problem> problems = new ArrayList<>();
        JournalVerifier.verify(dir, (p) -> problems.add(p), null == anchor ? null : JournalVerifier.Anchor.parse(anchor));
        return problems;
    }

    /** Every file under the journal, cursors included, by relative path (the lock file by name only). */
    private static Map<String, byte[]> snapshot(final Path dir) throws IOException
    {
        final Map<String, byte[]> contents = new java.util.TreeMap<>();
        try (Stream<Path> all = Files.walk(dir))
        {
            for (final Path file : all.filter(Files::isRegularFile).toList())
            {
                contents.put(dir.relativize(file).toString(),
                    file.getFileName().toString().endsWith(".lock") ? new byte[0] : Files.readAllBytes(file));
            }
        }
        return contents;
    }

    private static JournalException refusedOpen(final Path dir) throws IOException
    {
        final Map<String, byte[]> before = snapshot(dir);
        final JournalException ex = assertThrows(JournalException.class,
            () -> JournalWriter.open(dir, JournalTamper.SEGMENT_LENGTH).close());
        assertSameFiles(before, snapshot(dir));
        return ex;
    }

    /** Finding 1: a flipped bit in a segment header's base offset crashed every JVM that opened it. */
    @Test
    void shouldRefuseAFlippedBaseOffsetBitWithoutCrashing() throws IOException
    {
        final Path dir = build();
        final Path first = JournalTamper.segments(dir).get(0);
        final byte[] header = readAt(first, BASE_OFFSET_OFFSET, 1);
        header[0] ^= 0x04;
        writeAt(first, BASE_OFFSET_OFFSET, header);

        final String name = first.getFileName().toString();
        assertTrue(refusedOpen(dir).getMessage().contains(name));
        final JournalException read = assertThrows(JournalException.class, () -> readAll(dir));
        assertTrue(read.getMessage().contains(name), read.getMessage());
        assertTrue(assertThrows(JournalException.class, () -> Journal.segments(dir)).getMessage().contains(name));
        final List<JournalVerifier.Problem> problems = problems(dir, null);
        assertFalse(problems.isEmpty());
        assertEquals(name, problems.get(0).file().getFileName().toString());
        assertTrue(problems.get(0).description().contains("base offset"), problems.get(0).description());
    }

    /**
     * Finding 2: one flipped bit a few records before the end of the active segment made recovery zero
     * every acknowledged record after it, and verify then said ok.
     */
    @Test
    void shouldRefuseDamageFollowedByValidRecordsAndRepairOnlyWhenAsked() throws IOException
    {
        final Path dir = build();
        final Path active = JournalTamper.segments(dir).get(JournalTamper.segments(dir).size() - 1);
        final List<Frame> frames = JournalTamper.frames(active);
        final Frame victim = frames.get(frames.size() - 5);
        final byte[] b = readAt(active, victim.position() + 40, 1);
        b[0] ^= 0x10;
        writeAt(active, victim.position() + 40, b);

        final JournalException ex = refusedOpen(dir);
        assertTrue(ex.getMessage().contains(active.getFileName().toString()), ex.getMessage());
        assertTrue(ex.getMessage().contains("offset " + victim.offset()), ex.getMessage());
        assertTrue(ex.getMessage().contains("position " + victim.position()), ex.getMessage());
        assertTrue(ex.getMessage().contains("followed by 4 valid record(s)"), ex.getMessage());
        assertTrue(ex.getMessage().contains("txmon journal repair"), ex.getMessage());
        assertFalse(Files.exists(dir.resolve(MARK_FILE_NAME)));

        final List<JournalVerifier.Problem> problems = problems(dir, null);
        assertEquals(1, problems.size(), problems.toString());
        assertEquals(victim.offset(), problems.get(0).offset());
        assertTrue(problems.get(0).description().contains("4 valid record(s)"), problems.toString());

        final Map<String, byte[]> before = snapshot(dir);
        final Journal.RepairPlan plan = Journal.planRepair(dir);
        assertSameFiles(before, snapshot(dir));
        assertEquals(victim.offset(), plan.offset());
        assertEquals(victim.position(), plan.position());
        assertEquals(4, plan.validRecordsLost());
        final Frame lastFrame = frames.get(frames.size() - 1);
        assertEquals(lastFrame.position() + lastFrame.frameLength() - victim.position(), plan.bytes(), "up to the last non-zero byte");

        final byte[] cutBytes = readAt(active, victim.position(), (int)plan.bytes());
        final Journal.RepairResult result = Journal.repair(dir);
        assertArrayEquals(cutBytes, Files.readAllBytes(result.copy()), "the copy holds exactly the cut bytes");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(result.copy())));
        assertNull(Journal.planRepair(dir));
        try (JournalWriter writer = JournalWriter.open(dir, JournalTamper.SEGMENT_LENGTH))
        {
            assertEquals(victim.offset(), writer.nextOffset());
        }
        assertTrue(JournalVerifier.verify(dir, (p) -> true).ok());
    }

    /** A torn tail (no valid record after it) is still cut, reported, and its bytes kept. */
    @Test
    void shouldCutATornTailAndKeepItsBytes() throws IOException
    {
        final Path dir = build();
        final Path active = JournalTamper.segments(dir).get(JournalTamper.segments(dir).size() - 1);
        final List<Frame> frames = JournalTamper.frames(active);
        final Frame last = frames.get(frames.size() - 1);
        zero(active, last.position() + 40, last.position() + last.frameLength());

        try (JournalWriter writer = JournalWriter.open(dir, JournalTamper.SEGMENT_LENGTH))
        {
            assertEquals(last.offset(), writer.nextOffset());
            assertEquals(40, writer.truncatedBytes());
            assertNotNull(writer.recoveryNote());
            assertTrue(writer.recoveryNote().contains(active.getFileName().toString()), writer.recoveryNote());
        }
        assertTrue(Files.exists(active.resolveSibling(active.getFileName() + ".cut-" + last.position())));
    }

    /** Finding 3: a missing middle segment was not refused and the engine started with half the records. */
    @Test
    void shouldRefuseAMissingMiddleSegment() throws IOException
    {
        final Path dir = build();
        final List<Path> segments = JournalTamper.segments(dir);
        assertTrue(segments.size() >= 4, "segments " + segments.size());
        final Path middle = segments.get(segments.size() / 2);
        Files.delete(middle);
        final JournalException ex = refusedOpen(dir);
        assertTrue(ex.getMessage().contains("gap") && ex.getMessage().contains(middle.getFileName().toString()),
            ex.getMessage());
        assertFalse(problems(dir, null).isEmpty());
    }

    /** Finding 4: deleting segment 0 passed verify. Retention's own deletion does not count as missing. */
    @Test
    void shouldRefuseAMissingFirstSegmentButNotRetention() throws IOException
    {
        final Path dir = build();
        final Path copy = tmp.resolve("copy");
        copyDirectory(dir, copy);
        copyDirectory(dir.resolve(CURSORS_DIR_NAME), copy.resolve(CURSORS_DIR_NAME));

        Files.delete(JournalTamper.segments(dir).get(0));
        assertTrue(refusedOpen(dir).getMessage().contains("missing its first segment"));
        assertFalse(problems(dir, null).isEmpty());

        JournalCursor.reset(copy, JournalTamper.CURSOR, RECORDS);
        final Retention.Result removed = Retention.apply(copy, new RetentionPolicy(Long.MAX_VALUE, 1), 0);
        assertTrue(removed.segments() > 0);
        assertTrue(Files.exists(copy.resolve(RETENTION_FILE_NAME)));
        assertTrue(JournalVerifier.verify(copy, (p) -> fail(p.toString())).ok());
        try (JournalWriter writer = JournalWriter.open(copy, JournalTamper.SEGMENT_LENGTH))
        {
            assertEquals(RECORDS, writer.nextOffset());
        }
        Files.delete(JournalTamper.segments(copy).get(0));
        assertThrows(JournalException.class, () -> JournalWriter.open(copy, JournalTamper.SEGMENT_LENGTH).close());
        assertFalse(problems(copy, null).isEmpty());
    }

    /** Finding 4: deleting the whole active segment passed verify; the next writer created a new one. */
    @Test
    void shouldRefuseADeletedActiveSegment() throws IOException
    {
        final Path dir = build();
        Files.delete(JournalTamper.segments(dir).get(JournalTamper.segments(dir).size() - 1));
        assertTrue(refusedOpen(dir).getMessage().contains("missing"));
        assertFalse(problems(dir, null).isEmpty());
    }

    /** Finding 4: a sealed record rewritten with a recomputed CRC is caught by verify. */
    @Test
    void shouldCatchASealedRecordRewrittenWithARecomputedCrc() throws IOException
    {
        final Path dir = build();
        final Path segment = JournalTamper.segments(dir).get(1);
        JournalTamper.rewriteWithCrc(segment, JournalTamper.frames(segment).get(3), 5);
        final List<JournalVerifier.Problem> problems = problems(dir, null);
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).description().contains("does not match its SHA-256 seal"), problems.toString());
    }

    /**
     * Finding 4: deleting the seal of an altered full segment made the writer seal the altered content, after
     * which verify said ok.
     */
    @Test
    void shouldNeverSealAgainAFullSegmentWhoseSealWasDeleted() throws IOException
    {
        final Path dir = build();
        final Path segment = JournalTamper.segments(dir).get(1);
        JournalTamper.rewriteWithCrc(segment, JournalTamper.frames(segment).get(3), 5);
        Files.delete(JournalTamper.sealOf(segment));
        final JournalException ex = refusedOpen(dir);
        assertTrue(ex.getMessage().contains("has no seal") && ex.getMessage().contains(segment.getFileName().toString()),
            ex.getMessage());
        assertFalse(Files.exists(JournalTamper.sealOf(segment)));
        assertFalse(problems(dir, null).isEmpty());
    }

    /** Finding 4: a rewrite with the whole chain recomputed passes verify, but not verify with the anchor. */
    @Test
    void shouldCatchARecomputedChainWithTheAnchor() throws IOException
    {
        final Path dir = build();
        final String anchor = JournalTamper.anchor(dir);
        final Path segment = JournalTamper.segments(dir).get(1);
        JournalTamper.rewriteWithCrc(segment, JournalTamper.frames(segment).get(3), 5);
        JournalTamper.recomputeChainFrom(dir, segment);

        assertTrue(problems(dir, null).isEmpty(), "without the anchor a recomputed chain is consistent");
        final List<JournalVerifier.Problem> problems = problems(dir, anchor);
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).description().contains("differs from the anchor"), problems.toString());

        assertTrue(problems(dir, "999999:" + anchor.substring(anchor.indexOf(':') + 1)).get(0).description()
            .contains("not found"));
    }

    /** The writer checks the newest seal's link to the seal before it at open, without rehashing. */
    @Test
    void shouldRefuseABrokenChainLinkAtTheNewestSeal() throws IOException
    {
        final Path dir = build();
        final List<Path> segments = JournalTamper.segments(dir);
        final Path beforeNewest = segments.get(segments.size() - 3);
        JournalTamper.rewriteWithCrc(beforeNewest, JournalTamper.frames(beforeNewest).get(0), 1);
        // re-seal only that segment: its hash changes, the newest seal still names the old one
        final Path newestSeal = JournalTamper.sealOf(segments.get(segments.size() - 2));
        final byte[] kept = Files.readAllBytes(newestSeal);
        JournalTamper.recomputeChainFrom(dir, beforeNewest);
        Files.write(newestSeal, kept);
        assertTrue(refusedOpen(dir).getMessage().contains("does not chain"));
    }

    /**
     * Finding 5 (journal part): the index is created, in full, at the roll, before the marker; if that fails
     * the append returns ROLL_FAILED with the cause, nothing is left half done, and the next append retries.
     */
    @Test
    void shouldFailARollWhoseIndexCannotBeCreatedAndRetryCleanly() throws IOException
    {
        final Path dir = tmp.resolve("journal");
        final byte[] payload = new byte[300];
        int rollFailures = 0;
        try (JournalWriter writer = JournalWriter.open(dir, JournalTamper.SEGMENT_LENGTH))
        {
            assertEquals(JournalTamper.SEGMENT_LENGTH, writer.segmentLength());
            assertTrue(writer.usableSpace() > 0);
            for (long offset = 0; offset < 600; offset++)
            {
                final Path blocker = dir.resolve(indexFileName(offset) + ".tmp");
                Files.createDirectories(blocker.resolve("x"));
                final byte[] old = Files.readAllBytes(JournalTamper.segments(dir).get(JournalTamper.segments(dir).size() - 1));
                long result = append(writer, payload, 1, offset);
                if (result == JournalWriter.ROLL_FAILED)
                {
                    rollFailures++;
                    assertNotNull(writer.lastError());
                    assertTrue(writer.lastError().getMessage().contains(indexFileName(offset)), writer.lastError().toString());
                    assertFalse(Files.exists(dir.resolve(segmentFileName(offset))), "the new segment is removed again");
                    final List<Path> segments = JournalTamper.segments(dir);
                    assertArrayEquals(old, Files.readAllBytes(segments.get(segments.size() - 1)),
                        "no marker before the next segment exists");
                }
                Files.delete(blocker.resolve("x"));
                Files.delete(blocker);
                if (result == JournalWriter.ROLL_FAILED)
                {
                    result = append(writer, payload, 1, offset);
                }
                assertEquals(offset, result);
            }
        }
        assertTrue(rollFailures >= 2, "rolls failed " + rollFailures);
        assertEquals(600, readAll(dir).size());
        assertTrue(JournalVerifier.verify(dir, (p) -> fail(p.toString())).ok());
    }

    /** Finding 10: every file and directory the journal creates is owner-only, whatever the umask. */
    @Test
    void shouldCreateOwnerOnlyFilesAndDirectories() throws IOException
    {
        final Path dir = tmp.resolve("a").resolve("journal");
        JournalTamper.build(dir, RECORDS, true);
        final Path repairTarget = JournalTamper.segments(dir).get(JournalTamper.segments(dir).size() - 1);
        final List<Frame> frames = JournalTamper.frames(repairTarget);
        zero(repairTarget, frames.get(frames.size() - 1).position() + 40, frames.get(frames.size() - 1).position() + 48);
        try (JournalWriter writer = JournalWriter.open(dir, JournalTamper.SEGMENT_LENGTH))
        {
            final JournalMaintenanceAgent agent = writer.newMaintenanceAgent(RetentionPolicy.KEEP_ALL, System::nanoTime);
            doWork(agent);
            assertTrue(Files.exists(dir.resolve(SPARE_SEGMENT_NAME)));
            assertTrue(Files.exists(dir.resolve(SPARE_INDEX_NAME)), "the spare's index is prepared with it");
            assertModes(tmp.resolve("a"));
            // a roll adopts the spare and its prepared index
            final long rollsBefore = writer.rolls();
            final byte[] payload = new byte[200];
            while (writer.rolls() == rollsBefore)
            {
                assertTrue(append(writer, payload, 1, Long.MAX_VALUE / 2) >= 0, String.valueOf(writer.lastError()));
            }
            assertFalse(Files.exists(dir.resolve(SPARE_INDEX_NAME)));
            assertTrue(Files.exists(dir.resolve(indexFileName(writer.nextOffset() - 1))));
            doWork(agent);
            assertModes(tmp.resolve("a"));
        }
        assertModes(tmp.resolve("a"));
        assertTrue(JournalVerifier.verify(dir, (p) -> fail(p.toString())).ok());
    }

    private static void doWork(final JournalMaintenanceAgent agent)
    {
        try
        {
            agent.doWork();
        }
        catch (final Exception ex)
        {
            throw new AssertionError(ex);
        }
    }

    private static void assertModes(final Path root) throws IOException
    {
        int files = 0;
        try (Stream<Path> all = Files.walk(root))
        {
            for (final Path p : all.toList())
            {
                final String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
                assertEquals(Files.isDirectory(p) ? "rwx------" : "rw-------", mode, p.toString());
                files++;
            }
        }
        assertTrue(files > 10, "files checked " + files);
    }
}
