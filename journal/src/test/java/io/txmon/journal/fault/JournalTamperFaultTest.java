package io.txmon.journal.fault;

import io.txmon.journal.JournalException;
import io.txmon.journal.JournalTamper;
import io.txmon.journal.JournalTamper.Frame;
import io.txmon.journal.JournalVerifier;
import io.txmon.journal.JournalWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Issue 12's structural tampering suite: seeded random deletions, swaps, truncations and rewrites of records,
 * segments and seals, each on a fresh copy of a sealed journal; every one must be reported by
 * {@link JournalVerifier} given the anchor taken before the tampering ({@code txmon journal info}'s
 * {@code anchor:} line). The writer's open on the tampered copy must refuse or start without throwing anything
 * but a {@link JournalException}.
 * <p>
 * {@code -Dtxmon.faults.tamperings=N} (the {@code faults-long} profile sets 1,000); 150 by default.
 */
class JournalTamperFaultTest
{
    private static final int RECORDS = 1_500;
    private static final long SEED = Long.getLong("txmon.faults.seed", 0x12F11B5L);

    @TempDir
    Path tmp;

    enum Attack
    {
        DELETE_RECORD, SWAP_RECORDS, TRUNCATE_SEGMENT, TRUNCATE_SEAL, REWRITE_WITH_CRC, REWRITE_AND_RECOMPUTE_CHAIN,
        DELETE_FIRST_SEGMENT, DELETE_ACTIVE_SEGMENT, DELETE_MIDDLE_SEGMENT, DELETE_SEAL, SWAP_SEGMENTS
    }

    @Test
    void shouldDetectEveryStructuralTampering() throws IOException
    {
        final int trials = Integer.getInteger("txmon.faults.tamperings", 150);
        final Path base = tmp.resolve("base");
        JournalTamper.build(base, RECORDS, false);
        final String anchor = JournalTamper.anchor(base);
        assertTrue(JournalVerifier.verify(base, (p) -> fail(p.toString()), JournalVerifier.Anchor.parse(anchor)).ok());

        final Random random = new Random(SEED);
        final Map<Attack, Integer> done = new EnumMap<>(Attack.class);
        final Attack[] attacks = Attack.values();
        for (int trial = 0; trial < trials; trial++)
        {
            final Attack attack = attacks[trial % attacks.length];
            final Path copy = tmp.resolve("copy-" + trial);
            JournalByteFlipFaultTest.copyTree(base, copy);
            final String what = apply(attack, copy, random);
            final String context = "trial " + trial + " " + attack + ": " + what;

            final List<JournalVerifier.Problem> problems = new ArrayList<>();
            try
            {
                JournalVerifier.verify(copy, problems::add, JournalVerifier.Anchor.parse(anchor));
            }
            catch (final JournalException ex)
            {
                problems.add(new JournalVerifier.Problem(copy, -1, ex.getMessage()));
            }
            assertTrue(!problems.isEmpty(), "not detected: " + context);

            try (JournalWriter writer = JournalWriter.open(copy, JournalTamper.SEGMENT_LENGTH))
            {
                assertTrue(writer.nextOffset() >= 0, context);
            }
            catch (final JournalException expected)
            {
                // refused: what the writer should do with most of these
            }
            done.merge(attack, 1, Integer::sum);
            JournalByteFlipFaultTest.deleteTree(copy);
        }
        System.out.println("tamperings: " + trials + " " + done + ", seed " + SEED);
    }

    private static String apply(final Attack attack, final Path dir, final Random random) throws IOException
    {
        final List<Path> segments = JournalTamper.segments(dir);
        final int last = segments.size() - 1;
        final Path sealed = segments.get(random.nextInt(last));
        final Path any = segments.get(random.nextInt(segments.size()));
        switch (attack)
        {
            case DELETE_RECORD:
            {
                // any record but the very last of the journal: removing that one is a shorter journal, which
                // nothing can tell from one that was never longer until its segment is sealed
                final List<Frame> frames = JournalTamper.frames(any);
                final Frame victim = frames.get(random.nextInt(any.equals(segments.get(last)) ?
                    frames.size() - 1 : frames.size()));
                JournalTamper.spliceOut(any, victim);
                return any.getFileName() + " record " + victim.offset();
            }
            case SWAP_RECORDS:
            {
                final List<Frame> frames = JournalTamper.frames(any);
                final int a = random.nextInt(frames.size() - 1);
                final int b = a + 1 + random.nextInt(frames.size() - a - 1);
                JournalTamper.swap(any, frames.get(a), frames.get(b));
                return any.getFileName() + " records " + frames.get(a).offset() + " and " + frames.get(b).offset();
            }
            case TRUNCATE_SEGMENT:
            {
                final long size = 1 + random.nextInt((int)Files.size(any) - 1);
                truncate(any, size);
                return any.getFileName() + " to " + size;
            }
            case TRUNCATE_SEAL:
            {
                final Path seal = JournalTamper.sealOf(sealed);
                final long size = random.nextInt((int)Files.size(seal));
                truncate(seal, size);
                return seal.getFileName() + " to " + size;
            }
            case REWRITE_WITH_CRC:
            {
                final List<Frame> frames = JournalTamper.frames(sealed);
                final Frame victim = frames.get(random.nextInt(frames.size()));
                JournalTamper.rewriteWithCrc(sealed, victim, random.nextInt(1000));
                return sealed.getFileName() + " record " + victim.offset();
            }
            case REWRITE_AND_RECOMPUTE_CHAIN:
            {
                final List<Frame> frames = JournalTamper.frames(sealed);
                final Frame victim = frames.get(random.nextInt(frames.size()));
                JournalTamper.rewriteWithCrc(sealed, victim, random.nextInt(1000));
                JournalTamper.recomputeChainFrom(dir, sealed);
                return sealed.getFileName() + " record " + victim.offset() + ", chain recomputed";
            }
            case DELETE_FIRST_SEGMENT:
                deleteSegment(segments.get(0), random.nextBoolean());
                return segments.get(0).getFileName().toString();
            case DELETE_ACTIVE_SEGMENT:
                deleteSegment(segments.get(last), random.nextBoolean());
                return segments.get(last).getFileName().toString();
            case DELETE_MIDDLE_SEGMENT:
            {
                final Path middle = segments.get(1 + random.nextInt(last - 1));
                deleteSegment(middle, random.nextBoolean());
                return middle.getFileName().toString();
            }
            case DELETE_SEAL:
                Files.delete(JournalTamper.sealOf(sealed));
                return JournalTamper.sealOf(sealed).getFileName().toString();
            default:
            {
                final int a = random.nextInt(segments.size() - 1);
                final int b = a + 1 + random.nextInt(segments.size() - a - 1);
                final Path t = dir.resolve("swap.tmp");
                Files.move(segments.get(a), t);
                Files.move(segments.get(b), segments.get(a));
                Files.move(t, segments.get(b), StandardCopyOption.ATOMIC_MOVE);
                return segments.get(a).getFileName() + " and " + segments.get(b).getFileName();
            }
        }
    }

    private static void deleteSegment(final Path segment, final boolean withItsFiles) throws IOException
    {
        Files.delete(segment);
        if (withItsFiles)
        {
            Files.deleteIfExists(JournalTamper.sealOf(segment));
            Files.deleteIfExists(JournalTamper.indexOf(segment));
        }
    }

    private static void truncate(final Path file, final long size) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE))
        {
            channel.truncate(size);
        }
    }
}
