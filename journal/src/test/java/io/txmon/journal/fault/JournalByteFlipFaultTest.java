package io.txmon.journal.fault;

import io.txmon.journal.JournalDescriptor;
import io.txmon.journal.JournalTamper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Issue 12's byte-flip fault suite: random single-bit or single-byte changes across every kind of journal file
 * (segment headers, frames, index, seal, metadata, mark, cursor), each copy checked in a child JVM the way the
 * tools and the engine read it: verify, read every record, read the cursor, open and close the writer.
 * <p>
 * Asserts: no JVM crash and no uncaught runtime exception; every flip inside a record's frame detected by
 * verify; no damaged record ever delivered; the writer's open never cuts a valid record (it refuses, or cuts
 * only the flipped last record as a torn tail, keeping its bytes) and never starts on a damaged record of the
 * active segment (damage in sealed segments is for verify: open does not rehash them); every error names
 * the file.
 * <p>
 * {@code -Dtxmon.faults.flips=N} (the {@code faults-long} profile sets 1,000) sets the number of flips; 200
 * by default, about 100 per child JVM.
 */
class JournalByteFlipFaultTest
{
    private static final int RECORDS = 1_000;
    private static final int BATCH = 100;
    private static final long SEED = Long.getLong("txmon.faults.seed", 0x12F11B5L);

    @TempDir
    Path tmp;

    enum Kind
    {
        SEGMENT_HEADER, FRAME, INDEX, SEAL, META, MARK, CURSOR
    }

    record Flip(Kind kind, Path file, long position, int xor, long recordOffset, boolean lastRecordOfJournal,
        boolean activeSegment)
    {
    }

    @Test
    void shouldSurviveAndDetectRandomByteFlipsInEveryJournalFile() throws Exception
    {
        final int flips = Integer.getInteger("txmon.faults.flips", 200);
        final Path base = tmp.resolve("base");
        JournalTamper.build(base, RECORDS, true);
        final List<Path> segments = JournalTamper.segments(base);
        assertTrue(segments.size() >= 4, "segments " + segments.size());
        final Map<Path, List<JournalTamper.Frame>> frames = new HashMap<>();
        for (final Path segment : segments)
        {
            frames.put(segment, JournalTamper.frames(segment));
        }

        final Random random = new Random(SEED);
        final Kind[] weighted = {
            Kind.SEGMENT_HEADER, Kind.FRAME, Kind.FRAME, Kind.FRAME, Kind.FRAME, Kind.INDEX, Kind.SEAL, Kind.META,
            Kind.MARK, Kind.CURSOR };
        final Map<Kind, Integer> perKind = new HashMap<>();
        int contentFlips = 0;
        for (int first = 0; first < flips; first += BATCH)
        {
            final int n = Math.min(BATCH, flips - first);
            final List<Flip> batch = new ArrayList<>();
            final List<String> dirs = new ArrayList<>();
            for (int i = 0; i < n; i++)
            {
                final Flip flip = choose(random, weighted[random.nextInt(weighted.length)], base, segments, frames);
                final Path copy = tmp.resolve("copy-" + (first + i));
                copyTree(base, copy);
                final Path target = copy.resolve(base.relativize(flip.file()));
                final byte[] bytes = Files.readAllBytes(target);
                bytes[(int)flip.position()] ^= (byte)flip.xor();
                Files.write(target, bytes);
                batch.add(flip);
                dirs.add(copy.toString());
                perKind.merge(flip.kind(), 1, Integer::sum);
            }
            final List<String> lines = runChild(dirs);
            for (int i = 0; i < n; i++)
            {
                final Flip flip = batch.get(i);
                final String context = "copy " + (first + i) + " " + flip;
                if (i >= lines.size())
                {
                    fail("the child JVM stopped (crashed?) at " + context + "; output: " + lines);
                }
                final String line = lines.get(i);
                assertTrue(line.startsWith("R " + i + " "), line);
                assertTrue(line.contains("UNCAUGHT=-"), "uncaught runtime exception: " + line + " " + context);
                assertTrue(line.contains("NAMED=true"), "an error does not name its file: " + line + " " + context);
                assertTrue(line.contains("READ=") && !line.contains("/false/"), "a damaged record was delivered: " +
                    line + " " + context);
                assertOpenCutNothing(line, flip, context);
                if (flip.kind() == Kind.FRAME)
                {
                    contentFlips++;
                    assertTrue(line.contains("V=bad") || line.contains("V=exc"),
                        "verify missed a flip inside a record: " + line + " " + context);
                }
                deleteTree(tmp.resolve("copy-" + (first + i)));
            }
        }
        System.out.println("byte flips: " + flips + " " + perKind + ", inside records " + contentFlips +
            ", seed " + SEED);
        assertTrue(contentFlips > flips / 5, "enough flips inside records: " + contentFlips);
    }

    private static void assertOpenCutNothing(final String line, final Flip flip, final String context)
    {
        final int at = line.indexOf("O=ok:");
        if (at < 0)
        {
            assertTrue(line.contains("O=refused"), line);
            return;
        }
        final String[] parts = line.substring(at + 5, line.indexOf(' ', at)).split(":");
        final long nextOffset = Long.parseLong(parts[0]);
        final long truncated = Long.parseLong(parts[1]);
        if (nextOffset == RECORDS)
        {
            // the writer checks every frame of the active segment: damage there is refused, never run on
            assertTrue(!(flip.kind() == Kind.FRAME && flip.activeSegment()),
                "the writer started on a damaged record of the active segment: " + line + " " + context);
            return;
        }
        // the one cut allowed: the damaged record is the journal's last, so it is a torn tail (kept in a copy)
        assertTrue(flip.kind() == Kind.FRAME && flip.lastRecordOfJournal() && nextOffset == RECORDS - 1 &&
            truncated > 0, "the writer's open cut valid records: " + line + " " + context);
    }

    private static Flip choose(final Random random, final Kind kind, final Path base, final List<Path> segments,
        final Map<Path, List<JournalTamper.Frame>> frames) throws IOException
    {
        final int xor = random.nextBoolean() ? 1 << random.nextInt(8) : 1 + random.nextInt(255);
        final Path segment = segments.get(random.nextInt(segments.size()));
        switch (kind)
        {
            case SEGMENT_HEADER:
                return new Flip(kind, segment, random.nextInt(JournalDescriptor.SEGMENT_HEADER_LENGTH), xor, -1, false, false);
            case FRAME:
            {
                final List<JournalTamper.Frame> list = frames.get(segment);
                final JournalTamper.Frame frame = list.get(random.nextInt(list.size()));
                return new Flip(kind, segment, frame.position() + random.nextInt(frame.frameLength()), xor,
                    frame.offset(), frame.offset() == RECORDS - 1, segment.equals(segments.get(segments.size() - 1)));
            }
            case INDEX:
            {
                // the header and the entries in use: the rest of the file is unused capacity
                final int used = JournalDescriptor.INDEX_HEADER_LENGTH + 2 * JournalDescriptor.INDEX_ENTRY_LENGTH;
                return new Flip(kind, JournalTamper.indexOf(segment), random.nextInt(used), xor, -1, false, false);
            }
            case SEAL:
            {
                final Path seal = JournalTamper.sealOf(segments.get(random.nextInt(segments.size() - 1)));
                return new Flip(kind, seal, random.nextInt(JournalDescriptor.SEAL_LENGTH), xor, -1, false, false);
            }
            case META:
                return textFlip(random, kind, base.resolve(JournalDescriptor.METADATA_FILE_NAME), xor);
            case MARK:
                return textFlip(random, kind, base.resolve(JournalDescriptor.MARK_FILE_NAME), xor);
            default:
                return textFlip(random, kind, base.resolve(JournalDescriptor.CURSORS_DIR_NAME)
                    .resolve(JournalTamper.CURSOR + ".pos"), xor);
        }
    }

    private static Flip textFlip(final Random random, final Kind kind, final Path file, final int xor)
        throws IOException
    {
        return new Flip(kind, file, random.nextInt((int)Files.size(file)), xor, -1, false, false);
    }

    private List<String> runChild(final List<String> dirs) throws Exception
    {
        final Path list = Files.createTempFile(tmp, "copies", ".txt");
        Files.write(list, dirs, StandardCharsets.UTF_8);
        final Path out = Files.createTempFile(tmp, "probe", ".out");
        final List<String> command = List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
            "-XX:ErrorFile=" + tmp.resolve("hs_err_%p.log"),
            "-Xmx256m",
            "-cp", System.getProperty("java.class.path"),
            FaultProbe.class.getName(),
            list.toString());
        final Process process = new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(out.toFile())
            .start();
        try
        {
            if (!process.waitFor(300, TimeUnit.SECONDS))
            {
                fail("the probe JVM did not finish within 300 s");
            }
        }
        finally
        {
            process.destroyForcibly();
        }
        final List<String> lines = new ArrayList<>();
        for (final String line : Files.readAllLines(out, StandardCharsets.UTF_8))
        {
            if (line.startsWith("R "))
            {
                lines.add(line);
            }
        }
        assertEquals(0, process.exitValue(), "probe JVM exit (134 = crash); output: " +
            String.join("\n", Files.readAllLines(out, StandardCharsets.UTF_8)));
        return lines;
    }

    static void copyTree(final Path from, final Path to) throws IOException
    {
        try (Stream<Path> all = Files.walk(from))
        {
            for (final Path p : all.toList())
            {
                final Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p))
                {
                    Files.createDirectories(target);
                }
                else
                {
                    Files.copy(p, target);
                }
            }
        }
    }

    static void deleteTree(final Path dir) throws IOException
    {
        try (Stream<Path> all = Files.walk(dir))
        {
            for (final Path p : all.sorted(java.util.Comparator.reverseOrder()).toList())
            {
                Files.delete(p);
            }
        }
    }
}
