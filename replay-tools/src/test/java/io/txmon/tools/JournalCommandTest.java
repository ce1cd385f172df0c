package io.txmon.tools;

import io.txmon.events.codec.AccountAction;
import io.txmon.events.codec.AccountUpdateEncoder;
import io.txmon.events.codec.ConfigAction;
import io.txmon.events.codec.ConfigChangeEncoder;
import io.txmon.events.codec.ExecutionEncoder;
import io.txmon.events.codec.MessageHeaderEncoder;
import io.txmon.events.codec.RiskRating;
import io.txmon.events.codec.Side;
import io.txmon.journal.Journal;
import io.txmon.journal.JournalDescriptor;
import io.txmon.journal.JournalException;
import io.txmon.journal.JournalWriter;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;

import static io.txmon.tools.TestJournals.Run;
import static io.txmon.tools.TestJournals.timestamp;
import static org.junit.jupiter.api.Assertions.*;

class JournalCommandTest
{
    private static final int RECORDS = 2000;

    @TempDir
    Path tmp;

    private Path journal() throws IOException
    {
        final Path dir = tmp.resolve("events");
        TestJournals.write(dir, RECORDS);
        assertTrue(TestJournals.segments(dir).size() >= 3, "several segments");
        return dir;
    }

    private static List<String> expected(final long from, final long to, final LongFunction<String> line)
    {
        final List<String> lines = new ArrayList<>();
        for (long i = from; i <= to; i++)
        {
            lines.add(line.apply(i));
        }
        return lines;
    }

    @Test
    void infoGivesTheFiguresOfEverySegmentAndTheWhole() throws IOException
    {
        final Path dir = journal();
        final List<Path> segments = TestJournals.segments(dir);

        final Run text = Run.of("journal", "info", dir.toString());
        assertEquals(ToolsCli.EXIT_OK, text.status, text.err);
        final List<String> lines = text.lines();
        assertEquals("journal " + dir, lines.get(0));
        assertTrue(lines.get(1).startsWith("format version 1, index interval 16, created "), lines.get(1));
        assertEquals("segments " + segments.size() + ", records 2000, bytes " + segments.size() * 65536L, lines.get(2));
        assertEquals("offsets 0..1999, first offset 0, end offset 2000", lines.get(3));
        assertEquals("time " + TimeArgs.format(timestamp(0)) + " .. " + TimeArgs.format(timestamp(1999)), lines.get(4));
        assertTrue(lines.get(5).startsWith("anchor: " + TestJournals.baseOffset(segments.get(segments.size() - 1)) +
            ":"), lines.get(5));
        assertEquals(6 + 1 + segments.size(), lines.size(), text.out);
        long next = 0;
        for (int i = 0; i < segments.size(); i++)
        {
            final String[] columns = lines.get(7 + i).trim().split("\\s+");
            final long base = TestJournals.baseOffset(segments.get(i));
            final long end = i + 1 < segments.size() ? TestJournals.baseOffset(segments.get(i + 1)) : RECORDS;
            assertEquals(next, base);
            assertEquals(String.format("%020d", base), columns[0]);
            assertEquals(Long.toString(end - base), columns[1]);
            assertEquals(base + ".." + (end - 1), columns[2]);
            assertEquals(TimeArgs.format(timestamp(base)), columns[3]);
            assertEquals(TimeArgs.format(timestamp(end - 1)), columns[4]);
            assertEquals("65536", columns[5]);
            assertEquals(i + 1 < segments.size() ? "sealed" : "active", columns[6]);
            assertEquals("yes", columns[7]);
            next = end;
        }

        final Run json = Run.of("journal", "info", dir.toString(), "--format", "json");
        assertEquals(ToolsCli.EXIT_OK, json.status, json.err);
        assertEquals(1, json.lines().size());
        final String object = json.out.trim();
        assertTrue(object.contains("\"formatVersion\":1,\"metadata\":true,\"indexInterval\":16,\"segmentCount\":" +
            segments.size() + ",\"records\":2000,\"bytes\":" + segments.size() * 65536L + ",\"firstOffset\":0," +
            "\"endOffset\":2000,\"firstTime\":\"2026-01-01T00:00:00Z\",\"lastTime\":\"" +
            TimeArgs.format(timestamp(1999)) + "\""), object);
        assertTrue(object.contains("{\"file\":\"00000000000000000000.log\",\"baseOffset\":0,\"records\":" +
            TestJournals.baseOffset(segments.get(1)) + ",\"firstOffset\":0,"), object);
        assertEquals(segments.size(), object.split("\"state\":").length - 1);
        assertTrue(object.endsWith("\"state\":\"active\",\"index\":true}]}"), object);
    }

    @Test
    void dumpsOffsetRangesAcrossSegmentsAsTextJsonAndCsv() throws IOException
    {
        final Path dir = journal();
        final long boundary = TestJournals.baseOffset(TestJournals.segments(dir).get(1));
        final String from = Long.toString(boundary - 3);
        final String to = Long.toString(boundary + 2);

        final Run text = Run.of("journal", "dump", dir.toString(), "--from-offset", from, "--to-offset", to);
        assertEquals(ToolsCli.EXIT_OK, text.status, text.err);
        assertEquals(expected(boundary - 3, boundary + 2, TestJournals::text), text.lines());

        final Run json = Run.of("journal", "dump", "--format", "json", "--from-offset", from, dir.toString(),
            "--to-offset", to);
        assertEquals(ToolsCli.EXIT_OK, json.status, json.err);
        assertEquals(expected(boundary - 3, boundary + 2, TestJournals::json), json.lines());

        final Run csv = Run.of("journal", "dump", dir.toString(), "--from-offset=" + from, "--to-offset=" + to,
            "--format", "csv");
        assertEquals(ToolsCli.EXIT_OK, csv.status, csv.err);
        final List<String> rows = new ArrayList<>();
        rows.add(EventFormat.csvHeader(false));
        rows.addAll(expected(boundary - 3, boundary + 2, TestJournals::csv));
        assertEquals(rows, csv.lines());
        assertEquals(33, rows.get(0).split(",", -1).length);
        assertEquals(33, rows.get(1).split(",", -1).length);
        assertEquals(33, rows.get(3).split(",", -1).length);

        // everything, a limit, an open end
        assertEquals(expected(0, RECORDS - 1, TestJournals::text), Run.of("journal", "dump", dir.toString()).lines());
        assertEquals(expected(boundary, boundary + 9, TestJournals::text),
            Run.of("journal", "dump", dir.toString(), "--from-offset", Long.toString(boundary), "--limit", "10")
                .lines());
        assertEquals(expected(RECORDS - 2, RECORDS - 1, TestJournals::text),
            Run.of("journal", "dump", dir.toString(), "--from-offset", Long.toString(RECORDS - 2)).lines());
        assertEquals(expected(0, 0, TestJournals::text),
            Run.of("journal", "dump", dir.toString(), "--to-offset", "0").lines());
    }

    @Test
    void dumpsTimeRangesAcrossSegments() throws IOException
    {
        final Path dir = journal();
        final List<Long> timestamps = TestJournals.timestamps(dir);
        for (final Path segment : TestJournals.segments(dir).subList(1, 3))
        {
            final long boundary = TestJournals.baseOffset(segment);
            final long fromTime = timestamp(boundary - 5);
            final long toTime = timestamp(boundary + 4);
            final List<String> wanted = new ArrayList<>();
            for (int i = 0; i < timestamps.size(); i++)
            {
                if (timestamps.get(i) >= fromTime && timestamps.get(i) <= toTime)
                {
                    wanted.add(TestJournals.text(i));
                }
            }
            assertTrue(wanted.size() >= 9, wanted.toString());
            final Run iso = Run.of("journal", "dump", dir.toString(), "--from-time", TimeArgs.format(fromTime),
                "--to-time", TimeArgs.format(toTime));
            assertEquals(ToolsCli.EXIT_OK, iso.status, iso.err);
            assertEquals(wanted, iso.lines());
            final Run nanos = Run.of("journal", "dump", dir.toString(), "--from-time", Long.toString(fromTime),
                "--to-time", Long.toString(toTime), "--limit", "3");
            assertEquals(wanted.subList(0, 3), nanos.lines());
        }

        // a time and an offset together: the later start wins
        assertEquals(expected(10, 12, TestJournals::text), Run.of("journal", "dump", dir.toString(), "--from-time",
            TimeArgs.format(timestamp(0)), "--from-offset", "10", "--to-offset", "12").lines());
        // after the last record: nothing; before the first: from the first
        assertEquals(List.of(), Run.of("journal", "dump", dir.toString(), "--from-time",
            Long.toString(timestamp(RECORDS) + 1)).lines());
        assertEquals(expected(0, 1, TestJournals::text), Run.of("journal", "dump", dir.toString(), "--from-time",
            "2025-12-31", "--limit", "2").lines());
    }

    @Test
    void seekByTimeFindsTheSameFirstRecordAsALinearScan() throws IOException
    {
        final Path dir = journal();
        final List<Long> timestamps = TestJournals.timestamps(dir);
        final List<Long> times = new ArrayList<>();
        times.add(timestamps.get(0) - 1);
        times.add(timestamps.get(0));
        times.add(timestamps.get(RECORDS - 1));
        for (final Path segment : TestJournals.segments(dir))
        {
            final long base = TestJournals.baseOffset(segment);
            for (long i = Math.max(0, base - 2); i <= base + 2; i++)
            {
                times.add(timestamps.get((int)i) - 1);
                times.add(timestamps.get((int)i));
                times.add(timestamps.get((int)i) + 1);
            }
        }
        for (long i = 0; i < RECORDS; i += 97)
        {
            times.add(timestamps.get((int)i));
            times.add(timestamps.get((int)i) + 500_000);
        }
        for (final long time : times)
        {
            int linear = 0;
            while (linear < RECORDS && timestamps.get(linear) < time)
            {
                linear++;
            }
            final Run run = Run.of("journal", "dump", dir.toString(), "--from-time", Long.toString(time),
                "--limit", "1", "--format", "csv");
            assertEquals(ToolsCli.EXIT_OK, run.status, run.err);
            assertEquals(linear < RECORDS ? List.of(EventFormat.csvHeader(false), TestJournals.csv(linear)) :
                List.of(EventFormat.csvHeader(false)), run.lines(), "time " + time);
        }
    }

    @Test
    void dumpsTheAlertJournal()
    {
        final Path dir = tmp.resolve("alerts");
        TestJournals.writeAlerts(dir, 3);

        final Run text = Run.of("journal", "dump", dir.toString(), "--from-offset", "1");
        assertEquals(ToolsCli.EXIT_OK, text.status, text.err);
        assertEquals(List.of(
            "offset=1 time=" + TimeArgs.format(timestamp(1)) + " Alert ALERT HIGH rule=large-amount/1 offset=10 " +
                "account=11 score=500 id=a001 evidence=10,11 : payment 1, large",
            "offset=2 time=" + TimeArgs.format(timestamp(2)) + " Alert ALERT HIGH rule=large-amount/1 offset=20 " +
                "account=11 score=500 id=a002 evidence=20,21 : payment 2, large"), text.lines());

        final Run json = Run.of("journal", "dump", dir.toString(), "--format", "json", "--limit", "1");
        assertEquals(List.of("{\"offset\":0,\"ingestTime\":\"2026-01-01T00:00:00Z\",\"template\":\"Alert\"," +
            "\"alertId\":\"a000\",\"ruleId\":1,\"rule\":\"large-amount\",\"ruleVersion\":1,\"severity\":\"HIGH\"," +
            "\"score\":500,\"triggeringOffset\":0,\"account\":11,\"eventTime\":" + TestJournals.T0 + "," +
            "\"evidence\":[0,1],\"reason\":\"payment 0, large\"}"), json.lines());

        final Run csv = Run.of("journal", "dump", dir.toString(), "--format", "csv", "--to-offset", "0");
        assertEquals(List.of(
            "offset,ingestTime,template,alertId,ruleId,rule,ruleVersion,severity,score,triggeringOffset,account," +
                "eventTime,evidence,reason",
            "0,2026-01-01T00:00:00Z,Alert,a000,1,large-amount,1,HIGH,500,0,11," + TestJournals.T0 +
                ",0;1,\"payment 0, large\""), csv.lines());
    }

    @Test
    void decodesEveryIngestTemplate()
    {
        final Path dir = tmp.resolve("mixed");
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[512]);
        final MessageHeaderEncoder header = new MessageHeaderEncoder();
        try (JournalWriter writer = TestJournals.open(dir))
        {
            final ExecutionEncoder execution = new ExecutionEncoder().wrapAndApplyHeader(buffer, 0, header)
                .producerId(1).producerSeq(2).eventTime(3).execId(4).orderId(5).account(6).counterpartyAccount(7)
                .instrument(8).price(9).quantity(10).side(Side.SELL).venue("XLON");
            writer.append(buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + execution.encodedLength(),
                ExecutionEncoder.TEMPLATE_ID, TestJournals.T0);
            final AccountUpdateEncoder account = new AccountUpdateEncoder().wrapAndApplyHeader(buffer, 0, header)
                .producerId(1).producerSeq(3).eventTime(4).account(6).partyId(60).action(AccountAction.CLOSE)
                .riskRating(RiskRating.PROHIBITED).country("NL");
            writer.append(buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + account.encodedLength(),
                AccountUpdateEncoder.TEMPLATE_ID, TestJournals.T0);
            final ConfigChangeEncoder config = new ConfigChangeEncoder().wrapAndApplyHeader(buffer, 0, header)
                .producerId(1).producerSeq(4).eventTime(5).ruleId(3).action(ConfigAction.SET_PARAMETER)
                .key("threshold").value("say \"1,000\"");
            writer.append(buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + config.encodedLength(),
                ConfigChangeEncoder.TEMPLATE_ID, TestJournals.T0);
            buffer.putLong(0, 99);
            writer.append(buffer, 0, 8, 77, TestJournals.T0);
        }
        final String time = "2026-01-01T00:00:00Z";
        assertEquals(List.of(
            "{\"offset\":0,\"ingestTime\":\"" + time + "\",\"template\":\"Execution\",\"producerId\":1," +
                "\"producerSeq\":2,\"eventTime\":3,\"execId\":4,\"orderId\":5,\"account\":6," +
                "\"counterpartyAccount\":7,\"instrument\":8,\"price\":9,\"quantity\":10,\"side\":\"SELL\"," +
                "\"venue\":\"XLON\"}",
            "{\"offset\":1,\"ingestTime\":\"" + time + "\",\"template\":\"AccountUpdate\",\"producerId\":1," +
                "\"producerSeq\":3,\"eventTime\":4,\"account\":6,\"partyId\":60,\"action\":\"CLOSE\"," +
                "\"riskRating\":\"PROHIBITED\",\"country\":\"NL\"}",
            "{\"offset\":2,\"ingestTime\":\"" + time + "\",\"template\":\"ConfigChange\",\"producerId\":1," +
                "\"producerSeq\":4,\"eventTime\":5,\"ruleId\":3,\"action\":\"SET_PARAMETER\"," +
                "\"key\":\"threshold\",\"value\":\"say \\\"1,000\\\"\"}",
            "{\"offset\":3,\"ingestTime\":\"" + time + "\",\"template\":\"template-77\",\"payloadLength\":8}"),
            Run.of("journal", "dump", dir.toString(), "--format", "json").lines());
        final List<String> text = Run.of("journal", "dump", dir.toString()).lines();
        assertEquals("offset=2 time=" + time + " ConfigChange producerId=1 producerSeq=4 eventTime=5 ruleId=3 " +
            "action=SET_PARAMETER key=threshold value=\"say \\\"1,000\\\"\"", text.get(2));
        assertEquals("offset=3 time=" + time + " template-77 payloadLength=8", text.get(3));
        final List<String> csv = Run.of("journal", "dump", dir.toString(), "--format", "csv").lines();
        assertEquals(5, csv.size());
        assertEquals("2," + time + ",ConfigChange,1,4,5" + ",".repeat(19) + "SET_PARAMETER,,,,,3,threshold," +
            "\"say \"\"1,000\"\"\",61", csv.get(3));
        assertEquals("3," + time + ",template-77" + ",".repeat(30) + "8", csv.get(4));
    }

    @Test
    void printsTextBeyondAsciiInUtf8()
    {
        final Path dir = tmp.resolve("utf8");
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[512]);
        try (JournalWriter writer = TestJournals.open(dir))
        {
            final ConfigChangeEncoder config = new ConfigChangeEncoder()
                .wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
                .producerId(1).producerSeq(1).eventTime(1).ruleId(2).action(ConfigAction.LIST_ADD)
                .key("clé").value("€ \uD83D\uDE00 ü");
            writer.append(buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + config.encodedLength(),
                ConfigChangeEncoder.TEMPLATE_ID, TestJournals.T0);
        }
        final Run json = Run.of("journal", "dump", dir.toString(), "--format", "json");
        assertTrue(json.out.endsWith(",\"key\":\"clé\",\"value\":\"€ \uD83D\uDE00 ü\"}\n"), json.out);
        final Run text = Run.of("journal", "dump", dir.toString());
        assertTrue(text.out.endsWith(" key=clé value=\"€ \uD83D\uDE00 ü\"\n"), text.out);
    }

    @Test
    void verifySaysOkOrNamesTheSegmentAndOffsetOfAFlippedByte() throws IOException
    {
        final Path dir = journal();
        final List<Path> segments = TestJournals.segments(dir);
        final Run ok = Run.of("journal", "verify", dir.toString());
        assertEquals(ToolsCli.EXIT_OK, ok.status, ok.err);
        assertEquals("ok: " + segments.size() + " segments, 2000 records, offsets 0..1999, end offset 2000\n",
            ok.out);

        final Path segment = segments.get(1);
        final long offset = TestJournals.baseOffset(segment) + 5;
        final int position = TestJournals.framePosition(segment, offset);
        final byte[] bytes = Files.readAllBytes(segment);
        bytes[position + JournalDescriptor.FRAME_HEADER_LENGTH + 20] ^= 0x40;
        Files.write(segment, bytes);

        final Run first = Run.of("journal", "verify", dir.toString());
        assertEquals(ToolsCli.EXIT_FAILED, first.status, first.out);
        final List<String> lines = first.lines();
        assertEquals(2, lines.size(), first.out);
        assertTrue(lines.get(0).startsWith("problem: " + segment.getFileName() + " at offset " + offset + ": "),
            lines.get(0));
        assertTrue(lines.get(1).startsWith("FAILED: stopped at the first problem"), lines.get(1));

        // a second problem, earlier in the journal: --all lists both
        Files.delete(dir.resolve(JournalDescriptor.indexFileName(0)));
        final Run all = Run.of("journal", "verify", dir.toString(), "--all");
        assertEquals(ToolsCli.EXIT_FAILED, all.status, all.out);
        final List<String> every = all.lines();
        assertTrue(every.get(0).startsWith("problem: 00000000000000000000.idx"), all.out);
        assertTrue(every.contains(lines.get(0)), all.out);
        assertTrue(every.get(every.size() - 1).startsWith("FAILED: " + (every.size() - 1) + " problem(s)"), all.out);

        // reading over it fails with the segment and offset, in one line
        Run.of("journal", "dump", dir.toString()).failed("damaged record in segment ")
            .failed("at offset " + offset);
        // before it, it reads
        assertEquals(ToolsCli.EXIT_OK, Run.of("journal", "dump", dir.toString(), "--to-offset",
            Long.toString(offset - 1)).status);
    }

    /** Issue 12 finding 1: one bit of a segment header's base offset crashed info, dump and verify (SIGSEGV). */
    @Test
    void aFlippedBaseOffsetBitIsAnErrorNamingTheSegmentInEverySubcommand() throws IOException
    {
        final Path dir = journal();
        final List<Path> segments = TestJournals.segments(dir);
        for (final Path segment : new Path[]{ segments.get(0), segments.get(segments.size() - 1) })
        {
            final byte[] bytes = Files.readAllBytes(segment);
            bytes[JournalDescriptor.BASE_OFFSET_OFFSET + 1] ^= 0x02;
            Files.write(segment, bytes);
            final String name = segment.getFileName().toString();
            Run.of("journal", "info", dir.toString()).failed(name);
            Run.of("journal", "dump", dir.toString()).failed(name);
            for (final Run verify : new Run[]{ Run.of("journal", "verify", dir.toString()),
                Run.of("journal", "verify", dir.toString(), "--all") })
            {
                assertEquals(ToolsCli.EXIT_FAILED, verify.status, verify.out + verify.err);
                assertTrue(verify.out.contains("problem: " + name) && verify.out.contains("base offset"), verify.out);
            }
            bytes[JournalDescriptor.BASE_OFFSET_OFFSET + 1] ^= 0x02;
            Files.write(segment, bytes);
        }
        assertEquals(ToolsCli.EXIT_OK, Run.of("journal", "verify", dir.toString()).status);
    }

    @Test
    void verifyWithTheAnchorFromInfoCatchesARecomputedChain() throws IOException
    {
        final Path dir = journal();
        final String anchorLine = Run.of("journal", "info", dir.toString()).lines().get(5);
        final String anchor = anchorLine.substring("anchor: ".length(), anchorLine.indexOf(' ', "anchor: ".length()));
        final Run ok = Run.of("journal", "verify", dir.toString(), "--anchor", anchor);
        assertEquals(ToolsCli.EXIT_OK, ok.status, ok.out + ok.err);
        assertTrue(ok.out.contains("extends anchor " + anchor), ok.out);

        // an anchor the journal does not extend: a different hash at the same end offset
        final String other = anchor.substring(0, anchor.length() - 1) + (anchor.endsWith("0") ? "1" : "0");
        final Run bad = Run.of("journal", "verify", dir.toString(), "--anchor", other);
        assertEquals(ToolsCli.EXIT_FAILED, bad.status, bad.out);
        assertTrue(bad.out.contains("differs from the anchor"), bad.out);
        final Run missing = Run.of("journal", "verify", dir.toString(), "--anchor", "7:" + anchor.split(":")[1]);
        assertEquals(ToolsCli.EXIT_FAILED, missing.status, missing.out);
        assertTrue(missing.out.contains("not found"), missing.out);
    }

    @Test
    void repairSaysWhatItWouldCutAndCutsOnlyWithExecute() throws IOException
    {
        final Path dir = journal();
        final Run clean = Run.of("journal", "repair", dir.toString());
        assertEquals(ToolsCli.EXIT_OK, clean.status, clean.err);
        assertTrue(clean.out.startsWith("nothing to cut"), clean.out);

        final List<Path> segments = TestJournals.segments(dir);
        final Path active = segments.get(segments.size() - 1);
        final long offset = RECORDS - 3;
        final int position = TestJournals.framePosition(active, offset);
        final byte[] bytes = Files.readAllBytes(active);
        bytes[position + JournalDescriptor.FRAME_HEADER_LENGTH] ^= 0x01;
        Files.write(active, bytes);

        final JournalException refused = assertThrows(JournalException.class, () -> JournalWriter.open(dir,
            65536).close());
        assertTrue(refused.getMessage().contains("followed by 2 valid record(s)"), refused.getMessage());

        final Run dry = Run.of("journal", "repair", dir.toString());
        assertEquals(ToolsCli.EXIT_OK, dry.status, dry.err);
        assertTrue(dry.out.contains("from offset " + offset + " (position " + position + ")") &&
            dry.out.contains("2 valid record(s) after the damaged one would be lost") && dry.out.contains("dry run"),
            dry.out);
        assertArrayEquals(bytes, Files.readAllBytes(active), "a dry run changes nothing");

        final Run cut = Run.of("journal", "repair", dir.toString(), "--execute");
        assertEquals(ToolsCli.EXIT_OK, cut.status, cut.err);
        assertTrue(cut.out.contains("were lost") && cut.out.contains(".cut-" + position), cut.out);
        assertTrue(Files.exists(active.resolveSibling(active.getFileName() + ".cut-" + position)));
        try (JournalWriter writer = JournalWriter.open(dir, 65536))
        {
            assertEquals(offset, writer.nextOffset());
            Run.of("journal", "repair", dir.toString(), "--execute").failed("is open for writing");
        }
    }

    @Test
    void indexRebuildWritesTheIndexesBack() throws IOException
    {
        final Path dir = journal();
        final List<Path> segments = TestJournals.segments(dir);
        final List<byte[]> before = new ArrayList<>();
        for (final Path segment : segments)
        {
            final Path index = dir.resolve(JournalDescriptor.indexFileName(TestJournals.baseOffset(segment)));
            before.add(Files.readAllBytes(index));
            Files.delete(index);
        }
        final Run status = Run.of("journal", "index", dir.toString());
        assertEquals(ToolsCli.EXIT_OK, status.status, status.err);
        assertTrue(status.out.startsWith(segments.size() + " segments, 0 with an index file; missing: "), status.out);
        assertEquals(2, Run.of("journal", "verify", dir.toString()).lines().size(), "a missing index is a problem");

        final Run rebuild = Run.of("journal", "index", dir.toString(), "--rebuild");
        assertEquals(ToolsCli.EXIT_OK, rebuild.status, rebuild.err);
        assertTrue(rebuild.out.startsWith("rebuilt the indexes of " + segments.size() + " segments ("), rebuild.out);
        assertTrue(rebuild.out.contains(segments.size() + " were missing: 00000000000000000000.idx "), rebuild.out);
        for (int i = 0; i < segments.size(); i++)
        {
            final Path index = dir.resolve(JournalDescriptor.indexFileName(TestJournals.baseOffset(segments.get(i))));
            assertTrue(Files.exists(index), index.toString());
        }
        assertEquals(ToolsCli.EXIT_OK, Run.of("journal", "verify", dir.toString()).status);
        assertEquals(TestJournals.text(1500), Run.of("journal", "dump", dir.toString(), "--from-offset", "1500",
            "--limit", "1").out.trim());

        // refused while a writer has the journal open
        try (JournalWriter writer = TestJournals.open(dir))
        {
            assertEquals(RECORDS, writer.nextOffset());
            Run.of("journal", "index", dir.toString(), "--rebuild").failed("is open for writing");
        }
        assertEquals(RECORDS, Journal.endOffset(dir));
    }

    @Test
    void everyBadArgumentIsOneLineAndExitTwo() throws IOException
    {
        final Path dir = journal();
        final String d = dir.toString();
        Run.of("journal").usage("info, dump, verify, index or repair");
        Run.of("journal", "verify", d, "--anchor", "12:zz").usage("--anchor: ");
        Run.of("journal", "repair", d, "--force").usage("unknown option '--force'");
        Run.of("journal", "nope", d).usage("unknown subcommand 'nope'");
        Run.of("journal", "dump").usage("needs the journal directory");
        Run.of("journal", "dump", d, d).usage("takes one journal directory");
        Run.of("journal", "dump", tmp.resolve("missing").toString()).usage("the directory does not exist");
        Files.createDirectories(tmp.resolve("empty"));
        Run.of("journal", "dump", tmp.resolve("empty").toString()).usage("is not a journal");
        Run.of("journal", "info", tmp.resolve("empty").toString()).usage("is not a journal");
        Run.of("journal", "verify", tmp.resolve("empty").toString()).usage("is not a journal");
        Files.writeString(tmp.resolve("file"), "x");
        Run.of("journal", "dump", tmp.resolve("file").toString()).usage("is not a journal");
        Run.of("journal", "dump", d, "--from-offset", "2000").usage("the journal ends at offset 2000");
        Run.of("journal", "dump", d, "--from-offset", "99999").usage("the journal ends at offset 2000");
        Run.of("journal", "dump", d, "--from-offset", "10", "--to-offset", "9").usage("reversed");
        Run.of("journal", "dump", d, "--from-time", "2026-01-02", "--to-time", "2026-01-01").usage("reversed");
        Run.of("journal", "dump", d, "--from-time", "yesterday").usage("--from-time 'yesterday' is not a time");
        Run.of("journal", "dump", d, "--to-time", "2026-13-45").usage("--to-time '2026-13-45' is not a time");
        Run.of("journal", "dump", d, "--from-offset", "ten").usage("--from-offset takes a whole number");
        Run.of("journal", "dump", d, "--limit", "0").usage("--limit must be between 1");
        Run.of("journal", "dump", d, "--format", "xml").usage("--format must be text, json or csv");
        Run.of("journal", "info", d, "--format", "csv").usage("--format must be text or json");
        Run.of("journal", "dump", d, "--frm-offset", "1").usage("unknown option '--frm-offset'");
        Run.of("journal", "dump", d, "--limit").usage("--limit needs a value");
        Run.of("journal", "index", d, "--format", "json").usage("unknown option '--format'");

        // a journal written by a newer format: refused by every subcommand before it reads anything
        final Path meta = dir.resolve(JournalDescriptor.METADATA_FILE_NAME);
        final String text = Files.readString(meta, StandardCharsets.UTF_8);
        assertTrue(text.contains("format-version=1\n"), text);
        Files.writeString(meta, text.replace("format-version=1\n", "format-version=2\n"), StandardCharsets.UTF_8);
        for (final String sub : new String[]{ "info", "dump", "verify", "index" })
        {
            Run.of("journal", sub, d).usage("written by journal format version 2; this txmon reads up to version 1");
        }
        Run.of("consume", "--journal", d).usage("written by journal format version 2");
    }

    @Test
    void helpListsTheOptions()
    {
        final Run journal = Run.of("journal", "--help");
        assertEquals(ToolsCli.EXIT_OK, journal.status);
        assertTrue(journal.out.contains("info DIR") && journal.out.contains("index DIR --rebuild"), journal.out);
        final Run dump = Run.of("journal", "dump", "--help");
        assertEquals(ToolsCli.EXIT_OK, dump.status);
        for (final String option : new String[]{ "--from-offset N", "--to-offset N", "--from-time T", "--to-time T",
            "--limit N", "--format F" })
        {
            assertTrue(dump.out.contains("  " + option + " "), option);
        }
        for (final String sub : new String[]{ "info", "verify", "index", "repair" })
        {
            final Run help = Run.of("journal", sub, "--help");
            assertEquals(ToolsCli.EXIT_OK, help.status);
            assertTrue(help.out.startsWith("usage: txmon journal " + sub + " DIR"), help.out);
        }
        final Run consume = Run.of("consume", "--help");
        assertEquals(ToolsCli.EXIT_OK, consume.status);
        for (final String option : new String[]{ "--journal DIR", "--from-beginning", "--from-offset N",
            "--from-time T", "--group NAME", "--follow", "--max-messages N", "--max-runtime S", "--format F" })
        {
            assertTrue(consume.out.contains("  " + option + " "), option);
        }
    }
}
