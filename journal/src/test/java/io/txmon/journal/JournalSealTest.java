package io.txmon.journal;

import io.txmon.journal.JournalTestSupport.Collector;
import io.txmon.journal.JournalTestSupport.Rec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32C;

import static io.txmon.journal.JournalDescriptor.*;
import static io.txmon.journal.JournalTestSupport.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Seals of full segments, the SHA-256 chain between them, and what {@link JournalVerifier} and
 * {@link JournalReader} make of damage to sealed segments and to seal files.
 */
class JournalSealTest
{
    private static final int RECORDS = 1_600;
    private static final long FIRST_TIMESTAMP = 1_700_000_000_000_000_000L;

    @TempDir
    Path root;

    private Path dir()
    {
        return root.resolve("journal");
    }

    @Test
    void shouldSealEveryFullSegmentChainedToThePreviousOneAndNeverTheActiveOne() throws Exception
    {
        final Path dir = dir();
        final List<Rec> appended = new ArrayList<>();
        final Random random = new Random(1);
        final Layout layout;
        try (JournalWriter writer = JournalWriter.open(dir, new JournalConfig().segmentLength(SEGMENT_LENGTH)))
        {
            for (int i = 0; i < RECORDS; i++)
            {
                appended.add(appendExpecting(writer, i, payload(random), i % 7, timestamp(i)));
            }
            layout = Layout.of(appended);
            assertTrue(layout.segments() >= 5, "segments: " + layout.segments());
            assertEquals(layout.segments() - 1, writer.rolls(), "rolls");

            // without a maintenance agent the writer seals at each roll: all there while it is still open
            assertSeals(dir, layout, appended);
        }

        assertSeals(dir, layout, appended);
        assertRecords(appended, readAll(dir));
    }

    private static void assertSeals(final Path dir, final Layout layout, final List<Rec> appended) throws Exception
    {
        assertEquals(layout.bases, segmentFiles(dir).stream().map(JournalTestSupport::baseOffsetOf).toList());
        final MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        byte[] previous = new byte[HASH_LENGTH];
        for (int s = 0; s < layout.segments() - 1; s++)
        {
            final long base = layout.bases.get(s);
            final long end = layout.bases.get(s + 1);
            final int dataLength = layout.dataLengths.get(s);
            final Path segmentFile = dir.resolve(segmentFileName(base));
            final String context = "seal of segment " + base;
            final Seal seal = Seal.read(dir, base);
            assertNotNull(seal, context);
            assertEquals(base, seal.baseOffset(), context);
            assertEquals(end - base, seal.recordCount(), context);
            assertEquals(end, seal.endOffset(), context);
            assertEquals(dataLength, seal.dataLength(), context);
            assertEquals(appended.get((int)base).timestamp(), seal.firstTimestamp(), context);
            assertEquals(appended.get((int)end - 1).timestamp(), seal.lastTimestamp(), context);
            assertArrayEquals(previous, seal.previousHash(), context + ": previous hash");

            sha256.reset();
            sha256.update(previous);
            sha256.update(Files.readAllBytes(segmentFile), 0, dataLength);
            final byte[] expectedHash = sha256.digest();
            assertArrayEquals(expectedHash, seal.hash(), context + ": hash");

            // the file itself, field by field as FORMAT.md lays it out
            final byte[] bytes = Files.readAllBytes(dir.resolve(sealFileName(base)));
            assertEquals(SEAL_LENGTH, bytes.length, context);
            final ByteBuffer buffer = littleEndian(bytes);
            assertEquals(SEAL_MAGIC, buffer.getLong(0), context);
            assertEquals(0x004C4145534D5854L, buffer.getLong(0), context + ": magic is TXMSEAL\\0");
            assertEquals("TXMSEAL", new String(bytes, 0, 7, java.nio.charset.StandardCharsets.US_ASCII));
            assertEquals(FORMAT_VERSION, buffer.getInt(8), context);
            assertEquals(0, buffer.getInt(12), context + ": reserved");
            assertEquals(base, buffer.getLong(16), context);
            assertEquals(end - base, buffer.getLong(24), context);
            assertEquals(dataLength, buffer.getLong(32), context);
            assertEquals(seal.firstTimestamp(), buffer.getLong(40), context);
            assertEquals(seal.lastTimestamp(), buffer.getLong(48), context);
            assertArrayEquals(previous, Arrays.copyOfRange(bytes, 56, 88), context);
            assertArrayEquals(expectedHash, Arrays.copyOfRange(bytes, 88, 120), context);
            final CRC32C crc = new CRC32C();
            crc.update(bytes, 0, 120);
            assertEquals((int)crc.getValue(), buffer.getInt(120), context + ": CRC32C of bytes [0, 120)");
            if (dataLength <= SEGMENT_LENGTH - FRAME_ALIGNMENT)
            {
                assertEquals(END_OF_SEGMENT, littleEndian(Files.readAllBytes(segmentFile)).getInt(dataLength),
                    context + ": end-of-segment marker right after the hashed bytes");
            }

            previous = expectedHash;
        }

        final long activeBase = layout.bases.get(layout.segments() - 1);
        assertFalse(Files.exists(dir.resolve(sealFileName(activeBase))), "the active segment has no seal");
        assertNull(Seal.read(dir, activeBase));
    }

    @Test
    void shouldReportACleanJournalAsOkWithItsCounts() throws IOException
    {
        final Path dir = dir();
        final List<Rec> appended = new ArrayList<>();
        final List<JournalVerifier.Problem> problems = new ArrayList<>();
        try (JournalWriter writer = JournalWriter.open(dir, new JournalConfig().segmentLength(SEGMENT_LENGTH)))
        {
            final Random random = new Random(2);
            for (int i = 0; i < RECORDS; i++)
            {
                appended.add(appendExpecting(writer, i, payload(random), 3, timestamp(i)));
            }

            // safe to run while the writer is open
            final JournalVerifier.Report live = JournalVerifier.verify(dir, problems::add);
            assertTrue(live.ok(), problems::toString);
            assertEquals(RECORDS, live.endOffset());
        }
        final int segments = segmentFiles(dir).size();
        assertTrue(segments >= 5);

        final JournalVerifier.Report report = JournalVerifier.verify(dir, problems::add);
        assertTrue(report.ok(), problems::toString);
        assertEquals(List.of(), problems);
        assertEquals(0, report.problems());
        assertEquals(segments, report.segments());
        assertEquals(RECORDS, report.records());
        assertEquals(0, report.firstOffset());
        assertEquals(RECORDS, report.endOffset());
        assertEquals(RECORDS, Journal.endOffset(dir));

        final List<Journal.SegmentInfo> infos = Journal.segments(dir);
        assertEquals(segments, infos.size());
        for (int i = 0; i < infos.size(); i++)
        {
            final Journal.SegmentInfo info = infos.get(i);
            final boolean last = i == infos.size() - 1;
            assertEquals(!last, info.sealed(), "sealed " + i);
            assertEquals(last, info.active(), "active " + i);
            assertEquals(appended.get((int)info.baseOffset()).timestamp(), info.firstTimestamp());
            assertEquals(appended.get((int)info.endOffset() - 1).timestamp(), info.lastTimestamp());
        }
    }

    @Test
    void shouldReportEveryBitFlipInAFrameOfASealedSegmentAndNeverDeliverTheRecord() throws IOException
    {
        final Path dir = dir();
        final List<Rec> appended = writeJournal(dir, 3);
        final Layout layout = Layout.of(appended);
        assertTrue(layout.segments() >= 4);

        // a record in the middle of the second segment, a sealed one
        final int victim = (int)((layout.bases.get(1) + layout.bases.get(2)) / 2);
        final Path segment = dir.resolve(segmentFileName(layout.segmentOf[victim]));
        final long framePosition = layout.positionOf[victim];
        final int frameLength = appended.get(victim).frameLength();
        assertTrue(frameLength > FRAME_HEADER_LENGTH + 8);

        for (int i = 0; i < frameLength; i++)
        {
            for (final int bit : new int[] {i % 8, 7 - i % 8})
            {
                final long at = framePosition + i;
                final byte[] original = readAt(segment, at, 1);
                writeAt(segment, at, new byte[] {(byte)(original[0] ^ (1 << bit))});
                try
                {
                    final String context = "bit " + bit + " of byte " + i + " of the frame of offset " + victim;
                    assertCrcDamageReported(dir, segment, victim, context);
                    assertDamagedRecordRefused(dir, appended, segment, victim, context);
                }
                finally
                {
                    writeAt(segment, at, original);
                }
            }
        }

        assertVerifiesOk(dir);
        assertRecords(appended, readAll(dir));
    }

    @Test
    void shouldReportRandomBitFlipsAcrossSealedSegments() throws IOException
    {
        final Path dir = dir();
        final List<Rec> appended = writeJournal(dir, 4);
        final Layout layout = Layout.of(appended);
        final int sealedSegments = layout.segments() - 1;
        assertTrue(sealedSegments >= 4);

        final Random random = new Random(44);
        int crcCases = 0;
        int otherCases = 0;
        for (int n = 0; n < 240; n++)
        {
            final int s = random.nextInt(sealedSegments);
            final long base = layout.bases.get(s);
            final Path segment = dir.resolve(segmentFileName(base));
            // every byte the seal covers: header, frames and their padding
            final int position = random.nextInt(layout.dataLengths.get(s));
            final int bit = random.nextInt(8);
            final String context = "case " + n + ": bit " + bit + " at position " + position + " of " +
                segment.getFileName();

            final byte[] original = readAt(segment, position, 1);
            writeAt(segment, position, new byte[] {(byte)(original[0] ^ (1 << bit))});
            try
            {
                final int record = layout.recordAt(s, position);
                if (record >= 0 && position - layout.positionOf[record] < appended.get(record).frameLength())
                {
                    crcCases++;
                    assertCrcDamageReported(dir, segment, record, context);
                    assertDamagedRecordRefused(dir, appended, segment, record, context);
                }
                else
                {
                    // the segment header or the padding of a frame: no CRC covers it, the seal's hash does
                    otherCases++;
                    final List<JournalVerifier.Problem> problems = new ArrayList<>();
                    final JournalVerifier.Report report = JournalVerifier.verify(dir, problems::add);
                    assertFalse(report.ok(), context);
                    assertTrue(problems.stream().anyMatch((p) -> p.file().getFileName().equals(segment.getFileName())),
                        context + ": " + problems);
                }
            }
            finally
            {
                writeAt(segment, position, original);
            }
        }
        assertTrue(crcCases > 150, "CRC cases " + crcCases);
        assertTrue(otherCases > 0, "other cases " + otherCases);

        assertVerifiesOk(dir);
        assertRecords(appended, readAll(dir));
    }

    @Test
    void shouldAcceptARewrittenRecordWithARecomputedCrcButReportThatTheSegmentNoLongerMatchesItsSeal()
        throws IOException
    {
        final Path dir = dir();
        final List<Rec> appended = writeJournal(dir, 5);
        final Layout layout = Layout.of(appended);

        final int victim = (int)layout.bases.get(2).longValue() + 5;
        final Path segment = dir.resolve(segmentFileName(layout.segmentOf[victim]));
        final int frame = layout.positionOf[victim];
        final int frameLength = appended.get(victim).frameLength();

        final byte[] bytes = readAt(segment, frame, frameLength);
        bytes[FRAME_HEADER_LENGTH] ^= 0x5A;
        final CRC32C crc = new CRC32C();
        crc.update(bytes, OFFSET_OFFSET, frameLength - OFFSET_OFFSET);
        littleEndian(bytes).putInt(CRC_OFFSET, (int)crc.getValue());
        writeAt(segment, frame, bytes);

        // the CRC is good: the reader delivers the altered record
        final List<Rec> read = readAll(dir);
        assertEquals(RECORDS, read.size());
        final byte[] altered = appended.get(victim).payload().clone();
        altered[0] ^= 0x5A;
        assertArrayEquals(altered, read.get(victim).payload());

        // the seal is not fooled
        final List<JournalVerifier.Problem> problems = new ArrayList<>();
        final JournalVerifier.Report report = JournalVerifier.verify(dir, problems::add);
        assertFalse(report.ok());
        assertEquals(1, problems.size(), problems::toString);
        final JournalVerifier.Problem problem = problems.get(0);
        assertEquals(segment.getFileName(), problem.file().getFileName());
        assertEquals(layout.bases.get(2).longValue(), problem.offset());
        assertTrue(problem.description().contains("does not match its SHA-256 seal"), problem.description());
        assertEquals(RECORDS, report.records());
    }

    @Test
    void shouldReportASealFileReplacedByAnotherSegmentsSeal() throws IOException
    {
        final Path dir = dir();
        final List<Rec> appended = writeJournal(dir, 6);
        final Layout layout = Layout.of(appended);
        final Path victimSeal = dir.resolve(sealFileName(layout.bases.get(2)));
        Files.copy(dir.resolve(sealFileName(layout.bases.get(1))), victimSeal, StandardCopyOption.REPLACE_EXISTING);

        final List<JournalVerifier.Problem> problems = verifyProblems(dir);
        assertTrue(problems.stream().anyMatch((p) -> p.file().getFileName().equals(victimSeal.getFileName())),
            problems::toString);
        assertRecords(appended, readAll(dir));
    }

    @Test
    void shouldReportABrokenChainWhenASegmentAndItsSealAreReplacedByAnotherJournals() throws IOException
    {
        final Path dir = dir();
        final Path twin = root.resolve("twin");
        final List<Rec> appended = writeJournal(dir, 7);
        // same sizes and timestamps, so the same layout, but other bytes: its seals are valid but chain elsewhere
        final List<Rec> twinRecords = new ArrayList<>();
        final Random random = new Random(70);
        try (JournalWriter writer = JournalWriter.open(twin, new JournalConfig().segmentLength(SEGMENT_LENGTH)))
        {
            for (final Rec rec : appended)
            {
                final byte[] other = randomPayload(random, rec.payload().length);
                twinRecords.add(appendExpecting(writer, rec.offset(), other, rec.templateId(), rec.timestamp()));
            }
        }
        final Layout layout = Layout.of(appended);
        assertEquals(layout.bases, Layout.of(twinRecords).bases);

        final long base = layout.bases.get(2);
        for (final String name : List.of(segmentFileName(base), sealFileName(base), indexFileName(base)))
        {
            Files.copy(twin.resolve(name), dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        }

        final List<JournalVerifier.Problem> problems = verifyProblems(dir);
        assertTrue(problems.stream().anyMatch((p) ->
                p.file().getFileName().toString().equals(sealFileName(base)) &&
                p.offset() == base &&
                p.description().contains("hash chain broken")),
            problems::toString);
        // the next seal chains to the original segment's hash, not to the replacement's
        final long next = layout.bases.get(3);
        assertTrue(problems.stream().anyMatch((p) ->
                p.file().getFileName().toString().equals(sealFileName(next)) &&
                p.description().contains("hash chain broken")),
            problems::toString);
        // the segment itself is consistent with the seal that came with it
        assertFalse(problems.stream().anyMatch((p) -> p.description().contains("does not match its SHA-256 seal")),
            problems::toString);
    }

    @Test
    void shouldReportADeletedSeal() throws IOException
    {
        final Path dir = dir();
        final List<Rec> appended = writeJournal(dir, 8);
        final Layout layout = Layout.of(appended);
        final Path victimSeal = dir.resolve(sealFileName(layout.bases.get(1)));
        Files.delete(victimSeal);

        final List<JournalVerifier.Problem> problems = verifyProblems(dir);
        assertTrue(problems.stream().anyMatch((p) ->
                p.file().getFileName().equals(victimSeal.getFileName()) && p.description().contains("not sealed")),
            problems::toString);
        assertRecords(appended, readAll(dir));
    }

    @Test
    void shouldReportATruncatedOrGarbageSealAndStillReadTheRecords() throws IOException
    {
        final Path dir = dir();
        final List<Rec> appended = writeJournal(dir, 9);
        final Layout layout = Layout.of(appended);
        final Path seal = dir.resolve(sealFileName(layout.bases.get(1)));
        final byte[] good = Files.readAllBytes(seal);

        final Random random = new Random(90);
        final byte[] garbage = randomPayload(random, SEAL_LENGTH);
        final byte[] garbageWithMagic = garbage.clone();
        System.arraycopy(good, 0, garbageWithMagic, 0, 8);
        final byte[] badCrc = good.clone();
        badCrc[SEAL_HASH_OFFSET] ^= 1;
        final List<byte[]> damaged = List.of(
            Arrays.copyOf(good, 64), Arrays.copyOf(good, SEAL_LENGTH - 1), new byte[0], Arrays.copyOf(good, 200),
            garbage, garbageWithMagic, badCrc);

        for (int i = 0; i < damaged.size(); i++)
        {
            Files.write(seal, damaged.get(i));
            final String context = "damaged seal " + i;
            final List<JournalVerifier.Problem> problems = verifyProblems(dir);
            assertTrue(problems.stream().anyMatch((p) -> p.file().getFileName().equals(seal.getFileName())),
                context + ": " + problems);
            assertThrows(JournalException.class, () -> Seal.read(dir, layout.bases.get(1)), context);

            try (JournalReader reader = JournalReader.open(dir))
            {
                assertRecords(appended, drain(reader));
                assertTrue(reader.seek(layout.bases.get(1) + 3), context);
                assertEquals(layout.bases.get(1) + 3, reader.nextOffset(), context);
                assertRecords(appended.subList((int)(layout.bases.get(1) + 3), RECORDS), drain(reader));
            }
        }

        Files.write(seal, good);
        assertVerifiesOk(dir);
    }

    /**
     * A writer refuses a journal with a damaged seal (the chain cannot be extended from it) and says which
     * file; a refused open must not keep anything of the journal open or mapped.
     */
    @Test
    void shouldRefuseToOpenAWriterOnADamagedSealWithoutKeepingTheJournalOpen() throws IOException
    {
        final Path dir = dir();
        final List<Rec> appended = writeJournal(dir, 10);
        final Layout layout = Layout.of(appended);
        final Path seal = dir.resolve(sealFileName(layout.bases.get(1)));
        Files.write(seal, randomPayload(new Random(100), SEAL_LENGTH));

        final JournalException ex = assertThrows(JournalException.class,
            () -> JournalWriter.open(dir, new JournalConfig().segmentLength(SEGMENT_LENGTH)));
        assertTrue(ex.getMessage().contains(seal.getFileName().toString()), ex.getMessage());
        assertTrue(ex.getMessage().contains("damaged"), ex.getMessage());

        final List<String> held = openFilesUnder(dir);
        assertEquals(List.of(), held, "files of the journal still open or mapped after the refused open");
    }

    /**
     * Files under a directory this process has open or mapped, from /proc/self (Linux).
     */
    private static List<String> openFilesUnder(final Path dir) throws IOException
    {
        final String prefix = dir.toRealPath().toString() + "/";
        final List<String> held = new ArrayList<>();
        final Path maps = Path.of("/proc/self/maps");
        if (Files.isReadable(maps))
        {
            for (final String line : Files.readAllLines(maps))
            {
                final int at = line.indexOf(prefix);
                if (at >= 0)
                {
                    held.add("mapped " + line.substring(at));
                }
            }
        }
        final Path fds = Path.of("/proc/self/fd");
        if (Files.isDirectory(fds))
        {
            try (java.util.stream.Stream<Path> links = Files.list(fds))
            {
                for (final Path link : links.toList())
                {
                    try
                    {
                        final String target = Files.readSymbolicLink(link).toString();
                        if (target.startsWith(prefix))
                        {
                            held.add("open " + target);
                        }
                    }
                    catch (final IOException ignore)
                    {
                        // closed meanwhile
                    }
                }
            }
        }
        return held.stream().distinct().sorted().toList();
    }

    private static void assertCrcDamageReported(final Path dir, final Path segment, final long offset, final String context)
    {
        final List<JournalVerifier.Problem> problems = new ArrayList<>();
        final JournalVerifier.Report report = JournalVerifier.verify(dir, problems::add);
        assertFalse(report.ok(), context);
        assertTrue(problems.stream().anyMatch((p) ->
                p.file().getFileName().equals(segment.getFileName()) && p.offset() == offset),
            context + ": " + problems);
    }

    private static void assertDamagedRecordRefused(
        final Path dir, final List<Rec> appended, final Path segment, final long offset, final String context)
    {
        try (JournalReader reader = JournalReader.open(dir))
        {
            final Collector collector = new Collector();
            for (int attempt = 0; attempt < 2; attempt++)
            {
                final JournalException ex = assertThrows(JournalException.class, () ->
                {
                    while (reader.poll(collector, 100) > 0)
                    {
                        assertTrue(collector.records.size() <= offset, context);
                    }
                }, context);
                final String message = ex.getMessage();
                assertTrue(message.contains(segment.getFileName().toString()), context + ": " + message);
                assertTrue(message.contains("offset " + offset + " "), context + ": " + message);
                assertRecords(appended.subList(0, (int)offset), collector.records);
                assertEquals(offset, reader.nextOffset(), context);
            }
        }
    }

    private static List<JournalVerifier.Problem> verifyProblems(final Path dir)
    {
        final List<JournalVerifier.Problem> problems = new ArrayList<>();
        final JournalVerifier.Report report = JournalVerifier.verify(dir, problems::add);
        assertFalse(report.ok(), "verify reports no problem");
        assertEquals(problems.size(), report.problems());
        return problems;
    }

    private static void assertVerifiesOk(final Path dir)
    {
        final List<JournalVerifier.Problem> problems = new ArrayList<>();
        assertTrue(JournalVerifier.verify(dir, problems::add).ok(), problems::toString);
    }

    private static List<Rec> writeJournal(final Path dir, final long seed)
    {
        final List<Rec> appended = new ArrayList<>();
        final Random random = new Random(seed);
        try (JournalWriter writer = JournalWriter.open(dir, new JournalConfig().segmentLength(SEGMENT_LENGTH)))
        {
            for (int i = 0; i < RECORDS; i++)
            {
                appended.add(appendExpecting(writer, i, payload(random), i % 5, timestamp(i)));
            }
        }
        assertEquals(Layout.of(appended).bases,
            uncheckedSegmentBases(dir), "the test's model of the layout matches the files");
        return appended;
    }

    private static List<Long> uncheckedSegmentBases(final Path dir)
    {
        try
        {
            return segmentFiles(dir).stream().map(JournalTestSupport::baseOffsetOf).toList();
        }
        catch (final IOException ex)
        {
            throw new java.io.UncheckedIOException(ex);
        }
    }

    private static long timestamp(final int i)
    {
        return FIRST_TIMESTAMP + 1_000L * i + (i % 3);
    }

    /**
     * A payload whose frame length is not a power of two, so that no single bit flip of the frame length
     * field can turn it into 0 (which reads as "nothing written yet" rather than as damage).
     */
    private static byte[] payload(final Random random)
    {
        int length;
        do
        {
            length = 1 + random.nextInt(400);
        }
        while (Integer.bitCount(FRAME_HEADER_LENGTH + length) == 1);
        return randomPayload(random, length);
    }

    /**
     * Where the format puts each record, computed from the record sizes alone.
     */
    private static final class Layout
    {
        final List<Long> bases = new ArrayList<>();
        final List<Integer> dataLengths = new ArrayList<>();
        final long[] segmentOf;
        final int[] positionOf;
        final int[] alignedOf;

        private Layout(final int records)
        {
            segmentOf = new long[records];
            positionOf = new int[records];
            alignedOf = new int[records];
        }

        static Layout of(final List<Rec> records)
        {
            final Layout layout = new Layout(records.size());
            int position = SEGMENT_HEADER_LENGTH;
            long base = 0;
            layout.bases.add(base);
            for (int i = 0; i < records.size(); i++)
            {
                final int aligned = records.get(i).alignedFrameLength();
                if (position + aligned > SEGMENT_LENGTH)
                {
                    layout.dataLengths.add(position);
                    base = i;
                    layout.bases.add(base);
                    position = SEGMENT_HEADER_LENGTH;
                }
                layout.segmentOf[i] = base;
                layout.positionOf[i] = position;
                layout.alignedOf[i] = aligned;
                position += aligned;
            }
            layout.dataLengths.add(position);
            return layout;
        }

        int segments()
        {
            return bases.size();
        }

        /**
         * @return the record whose aligned frame holds a position of segment s, or -1 in the header.
         */
        int recordAt(final int s, final int position)
        {
            final long base = bases.get(s);
            final long end = s + 1 < bases.size() ? bases.get(s + 1) : segmentOf.length;
            for (long r = base; r < end; r++)
            {
                if (position >= positionOf[(int)r] && position < positionOf[(int)r] + alignedOf[(int)r])
                {
                    return (int)r;
                }
            }
            return -1;
        }
    }
}
