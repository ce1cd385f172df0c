package io.txmon.monitor;

import io.txmon.events.EventEnvelope;
import io.txmon.events.codec.ConfigChangeDecoder;
import io.txmon.events.codec.MessageHeaderDecoder;
import io.txmon.events.codec.PaymentDecoder;
import io.txmon.journal.JournalReader;
import io.txmon.rules.config.RuleSettings;
import io.txmon.rules.typology.WatchListRule;
import io.txmon.scenario.ScenarioGenerator;
import io.txmon.sequencer.Engine;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.txmon.monitor.MonitorTests.await;
import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code txmon generate}: its options and errors, files that produce and replay read (every line an event produce
 * takes, the labels naming exactly the events of the planted cases), the same files for the same seed, progress on
 * long runs, and labels whose offsets are the journal's once the file is produced into a new journal by an engine
 * with its default settings.
 */
class GenerateCommandTest
{
    private static final Pattern LABEL = Pattern.compile("(tx:)?([0-9]+),([a-z-]+):([0-9]+)");

    @TempDir
    Path dir;

    private final MonitorTests.Capture out = new MonitorTests.Capture();
    private final MonitorTests.Capture err = new MonitorTests.Capture();

    private int generate(final String... args)
    {
        out.reset();
        err.reset();
        final String[] all = new String[args.length + 1];
        all[0] = "generate";
        System.arraycopy(args, 0, all, 1, args.length);
        return TxmonCli.run(all, out.stream, err.stream);
    }

    @Test
    void helpNamesEveryOptionTheFilesAndTheNextSteps()
    {
        assertEquals(TxmonCli.EXIT_OK, generate("--help"));
        for (final String option : List.of("--out", "--profile", "--events", "--seed", "--events-per-plant", "--days",
            "--max-persons", "--start", "--first-offset", "--help"))
        {
            assertTrue(out.text().contains("  " + option + " "), option);
        }
        assertTrue(out.text().contains("DIR/events.jsonl"), out.text());
        assertTrue(out.text().contains("txmon replay --journal DIR/journal --labels DIR/labels.csv"), out.text());
        assertEquals(TxmonCli.EXIT_OK, TxmonCli.run(new String[] { "--help" }, out.stream, err.stream));
        assertTrue(out.text().contains("  generate "), "listed in txmon --help");
    }

    @Test
    void badCommandLinesAreRefusedWithWhatToDo() throws IOException
    {
        assertEquals(TxmonCli.EXIT_USAGE, generate());
        assertTrue(err.text().contains("--out DIR is required"), err.text());
        final String out = dir.resolve("out").toString();
        assertEquals(TxmonCli.EXIT_USAGE, generate("--out", out, "--profile", "retail"));
        assertEquals("txmon generate: --profile must be banking or mixed, not 'retail'", err.text().trim());
        assertEquals(TxmonCli.EXIT_USAGE, generate("--out", out, "--events", "0"));
        assertTrue(err.text().contains("--events must be between 1 and"), err.text());
        assertEquals(TxmonCli.EXIT_USAGE, generate("--out", out, "--events-per-plant", "100"));
        assertTrue(err.text().contains("--events-per-plant must be between 5000 and"), err.text());
        assertEquals(TxmonCli.EXIT_USAGE, generate("--out", out, "--days", "30"));
        assertTrue(err.text().contains("--days must be between 250 and 36500, was 30"), err.text());
        assertEquals(TxmonCli.EXIT_USAGE, generate("--out", out, "--start", "next tuesday"));
        assertTrue(err.text().contains("--start takes an ISO-8601 date or instant"), err.text());
        assertEquals(TxmonCli.EXIT_USAGE, generate("--out", out, "--start", "1960-01-01"));
        assertTrue(err.text().contains("--start must be after 1970-01-01"), err.text());
        assertEquals(TxmonCli.EXIT_USAGE, generate("--out", out, "--colour", "red"));
        assertTrue(err.text().contains("unknown option '--colour'"), err.text());
        assertFalse(Files.exists(dir.resolve("out")), "nothing written for a refused command line");

        Files.createDirectories(dir.resolve("full"));
        Files.writeString(dir.resolve("full").resolve("keep.txt"), "mine");
        assertEquals(TxmonCli.EXIT_FAILED, generate("--out", dir.resolve("full").toString(), "--events", "10"));
        assertTrue(err.text().contains("is not empty; give a new or empty directory"), err.text());
        assertEquals("mine", Files.readString(dir.resolve("full").resolve("keep.txt")));
        assertEquals(TxmonCli.EXIT_FAILED, generate("--out", dir.resolve("full").resolve("keep.txt").toString()));
        assertTrue(err.text().contains("is a file; give a new or empty directory"), err.text());
    }

    /**
     * Every line is an event produce takes; the labels name exactly the lines of the planted cases (those that
     * name a planted account: the background never uses one), payments by tx id and the others by line number,
     * each case by its typology and number; the first lines set the watch list the watch-list cases need.
     */
    @Test
    void theFilesAreEventsProduceTakesAndLabelsOfExactlyThePlantedEvents() throws Exception
    {
        for (final String profile : List.of("banking", "mixed"))
        {
            final Path out = dir.resolve(profile);
            assertEquals(TxmonCli.EXIT_OK, generate("--out", out.toString(), "--profile", profile, "--events",
                "20000", "--events-per-plant", "5000", "--seed", "3"), err::text);
            final Stream stream = Stream.read(out);
            assertEquals(stream.settings + 20_000, stream.events.size());
            int watchList = 0;
            for (int i = 0; i < stream.settings; i++)
            {
                assertEquals(ParsedEvent.Type.CONFIG, stream.events.get(i).type, "the settings come first");
                watchList += WatchListRule.ID == stream.events.get(i).ruleId ? 1 : 0;
            }
            assertEquals(2, watchList, "the watched accounts and parties are set");

            final Map<String, String> labels = stream.labels;
            final Set<String> expected = new HashSet<>();
            for (int line = stream.settings; line < stream.events.size(); line++)
            {
                final ParsedEvent e = stream.events.get(line);
                if (isPlanted(e.debtorAccount) || isPlanted(e.creditorAccount) || isPlanted(e.account) ||
                    isPlanted(e.counterpartyAccount))
                {
                    expected.add(ParsedEvent.Type.PAYMENT == e.type ? "tx:" + e.txId : Integer.toString(line));
                }
            }
            assertEquals(expected, labels.keySet(), profile + ": the labels name the planted events");
            final Set<String> scenarios = new HashSet<>(labels.values());
            assertTrue(scenarios.contains("fan-in:4") && scenarios.contains("watch-list:1"), scenarios.toString());
            assertTrue(out.resolve("labels.csv").toFile().length() > 0);
            assertTrue(this.out.text().contains("planted: "), this.out.text());
            assertTrue(this.out.text().contains("background: " + profile + ": "), this.out.text());
            assertTrue(this.out.text().contains("txmon produce --producer-id 1 --file " + out.resolve("events.jsonl")),
                this.out.text());
        }
        final Matcher trading = Pattern.compile("([\\d,]+) orders, ([\\d,]+) executions").matcher(out.text());
        assertTrue(trading.find() && !"0".equals(trading.group(1)) && !"0".equals(trading.group(2)),
            "the mixed background trades: " + out.text());
    }

    @Test
    void theSameOptionsGiveTheSameFilesAndOffsetsFollowTheFirstOffset() throws Exception
    {
        final String[] options = { "--events", "12000", "--events-per-plant", "5000", "--seed", "9" };
        assertEquals(TxmonCli.EXIT_OK, generate(concat(options, "--out", dir.resolve("a").toString())));
        assertEquals(TxmonCli.EXIT_OK, generate(concat(options, "--out", dir.resolve("b").toString())));
        assertEquals(TxmonCli.EXIT_OK, generate(concat(options, "--out", dir.resolve("c").toString(),
            "--first-offset", "100")));
        assertEquals(TxmonCli.EXIT_OK, generate("--events", "12000", "--events-per-plant", "5000", "--seed", "10",
            "--out", dir.resolve("d").toString()));
        for (final String file : List.of("events.jsonl", "labels.csv"))
        {
            assertArrayEquals(Files.readAllBytes(dir.resolve("a").resolve(file)),
                Files.readAllBytes(dir.resolve("b").resolve(file)), file);
            assertFalse(Files.readString(dir.resolve("a").resolve(file))
                .equals(Files.readString(dir.resolve("d").resolve(file))), "another seed: " + file);
        }
        assertArrayEquals(Files.readAllBytes(dir.resolve("a").resolve("events.jsonl")),
            Files.readAllBytes(dir.resolve("c").resolve("events.jsonl")));

        final Map<String, String> fromZero = Stream.read(dir.resolve("a")).labels;
        final Map<String, String> fromHundred = Stream.read(dir.resolve("c")).labels;
        assertEquals(fromZero.size(), fromHundred.size());
        int offsets = 0;
        for (final Map.Entry<String, String> e : fromZero.entrySet())
        {
            final String key = e.getKey().startsWith("tx:") ? e.getKey() :
                Long.toString(Long.parseLong(e.getKey()) + 100);
            offsets += e.getKey().startsWith("tx:") ? 0 : 1;
            assertEquals(e.getValue(), fromHundred.get(key), key);
        }
        assertTrue(offsets > 0, "account openings are labelled by offset");
        assertTrue(Files.readString(dir.resolve("c").resolve("labels.csv")).contains("as offset 100 + n"));
    }

    @Test
    void longRunsReportProgress() throws IOException
    {
        final long[] now = { 0 };
        final int status = GenerateCommand.run(new String[] { "--out", dir.resolve("p").toString(), "--events",
            "40000", "--profile", "mixed" }, out.stream, err.stream, () -> now[0] += 1_000_000_000L);
        assertEquals(TxmonCli.EXIT_OK, status);
        assertTrue(err.text().contains("txmon generate: 16,384 of 40,000 events (40%), at 2025-"), err.text());
    }

    /**
     * Produced alone into a new journal by an engine with the default settings (as {@code txmon run} without a
     * configuration file), line n of the file is journaled at offset n: the config lines first, accepted, then every
     * event; so each label by offset names the journal record of its line, and each label by tx id a journaled
     * payment.
     */
    @Test
    void producedIntoANewJournalTheLabelsNameTheJournaledEvents() throws Exception
    {
        final Path out = dir.resolve("stream");
        assertEquals(TxmonCli.EXIT_OK, generate("--out", out.toString(), "--events", "12000", "--events-per-plant",
            "5000", "--seed", "4"));
        final Stream stream = Stream.read(out);
        final Path journal = dir.resolve("journal");
        final Path aeronDir = dir.resolve("aeron");
        final Engine engine = Engine.launch(new Engine.Context()
            .aeronDirectoryName(aeronDir.toString())
            .journalDir(journal)
            .segmentLength(8 * 1024 * 1024)
            .ruleSettings(RuleSettings.defaults()));
        try
        {
            final int status = ProduceCommand.run(new String[] { "--aeron-dir", aeronDir.toString(), "--producer-id",
                "1", "--file", out.resolve("events.jsonl").toString() }, System.in, this.out.stream, err.stream, false);
            assertEquals(TxmonCli.EXIT_OK, status, err::text);
            await(() -> MonitorTests.endOffset(journal) >= stream.events.size(),
                () -> MonitorTests.endOffset(journal) + " of " + stream.events.size() + " journaled");
        }
        finally
        {
            CloseHelper.close(engine);
        }

        final Map<Long, Integer> templateAt = new HashMap<>();
        final Map<Long, Long> sequenceAt = new HashMap<>();
        final Set<Long> journaledTx = new HashSet<>();
        final PaymentDecoder payment = new PaymentDecoder();
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        try (JournalReader reader = JournalReader.open(journal))
        {
            while (reader.poll((offset, timestamp, templateId, buffer, payloadOffset, payloadLength) ->
            {
                templateAt.put(offset, templateId);
                sequenceAt.put(offset, EventEnvelope.producerSeq(buffer, payloadOffset));
                if (PaymentDecoder.TEMPLATE_ID == templateId)
                {
                    journaledTx.add(payment.wrapAndApplyHeader(buffer, payloadOffset, header).txId());
                }
            }, 1024) > 0)
            {
                continue;
            }
        }
        assertEquals(stream.events.size(), templateAt.size(), "every line journaled once");
        for (long offset = 0; offset < stream.settings; offset++)
        {
            assertEquals(ConfigChangeDecoder.TEMPLATE_ID, templateAt.get(offset), "the settings come first");
        }
        int byOffset = 0;
        for (final String key : stream.labels.keySet())
        {
            if (key.startsWith("tx:"))
            {
                assertTrue(journaledTx.contains(Long.parseLong(key.substring(3))), key);
                continue;
            }
            final long offset = Long.parseLong(key);
            final ParsedEvent line = stream.events.get((int)offset);
            assertEquals(offset, sequenceAt.get(offset), "offset " + offset + " holds line " + offset);
            assertNotEquals(PaymentDecoder.TEMPLATE_ID, templateAt.get(offset), key);
            assertNotEquals(ParsedEvent.Type.PAYMENT, line.type, key);
            byOffset++;
        }
        assertTrue(byOffset > 0, "openings are labelled by offset");
    }

    /**
     * A generated directory read back: its lines as produce parses them, how many settings lead, and its labels.
     */
    private static final class Stream
    {
        final List<ParsedEvent> events = new ArrayList<>();
        final Map<String, String> labels = new HashMap<>();
        int settings;

        static Stream read(final Path dir) throws Exception
        {
            final Stream stream = new Stream();
            final EventLineParser parser = EventLineParser.json(() -> -1L);
            for (final String line : Files.readAllLines(dir.resolve("events.jsonl"), StandardCharsets.UTF_8))
            {
                final ParsedEvent event = parser.parse(line);
                stream.events.add(event);
                stream.settings += ParsedEvent.Type.CONFIG == event.type ? 1 : 0;
            }
            for (final String line : Files.readAllLines(dir.resolve("labels.csv"), StandardCharsets.UTF_8))
            {
                if (line.startsWith("#"))
                {
                    continue;
                }
                final Matcher m = LABEL.matcher(line);
                assertTrue(m.matches(), line);
                assertNull(stream.labels.put((null == m.group(1) ? "" : "tx:") + m.group(2),
                    m.group(3) + ":" + m.group(4)), "one label per event: " + line);
            }
            return stream;
        }
    }

    private static boolean isPlanted(final long account)
    {
        return ScenarioGenerator.isPlantedAccount(account);
    }

    private static String[] concat(final String[] first, final String... more)
    {
        final String[] all = new String[first.length + more.length];
        System.arraycopy(first, 0, all, 0, first.length);
        System.arraycopy(more, 0, all, first.length, more.length);
        return all;
    }
}
