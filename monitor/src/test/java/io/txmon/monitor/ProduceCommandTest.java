package io.txmon.monitor;

import io.txmon.cli.CliArgs;
import io.txmon.events.codec.AccountUpdateDecoder;
import io.txmon.events.codec.ConfigChangeDecoder;
import io.txmon.events.codec.ExecutionDecoder;
import io.txmon.events.codec.MessageHeaderDecoder;
import io.txmon.events.codec.OrderDecoder;
import io.txmon.events.codec.PaymentDecoder;
import io.txmon.events.codec.Severity;
import io.txmon.journal.JournalReader;
import io.txmon.rules.Rule;
import io.txmon.rules.typology.LargeAmountRule;
import io.txmon.sequencer.Engine;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.txmon.monitor.MonitorTests.await;
import static org.junit.jupiter.api.Assertions.*;

class ProduceCommandTest
{
    private static final String PAYMENT = "{\"type\":\"payment\",\"eventTime\":1000,\"txId\":%d,\"debtorAccount\":11," +
        "\"creditorAccount\":22,\"amount\":%s,\"currency\":\"%s\",\"channel\":\"card\",\"debtorCountry\":\"DE\"," +
        "\"creditorCountry\":\"FR\"}";

    @TempDir
    Path dir;

    private final MonitorTests.Capture out = new MonitorTests.Capture();
    private final MonitorTests.Capture err = new MonitorTests.Capture();
    private Path journal;
    private Path aeronDir;
    private Engine engine;

    @BeforeEach
    void launchEngine()
    {
        journal = dir.resolve("journal");
        aeronDir = dir.resolve("aeron");
        engine = Engine.launch(new Engine.Context()
            .aeronDirectoryName(aeronDir.toString())
            .journalDir(journal)
            .segmentLength(4 * 1024 * 1024)
            .rulesFactory((worker) -> new Rule[]{ new LargeAmountRule(1_000_000, Severity.HIGH) })
            .unjournaledRules(true));
    }

    @AfterEach
    void closeEngine()
    {
        CloseHelper.close(engine);
    }

    private int produce(final String... args) throws IOException
    {
        return produceFrom("", args);
    }

    private int produceFrom(final String stdin, final String... args) throws IOException
    {
        out.reset();
        err.reset();
        final String[] all = new String[args.length + 2];
        all[0] = "--aeron-dir";
        all[1] = aeronDir.toString();
        System.arraycopy(args, 0, all, 2, args.length);
        try
        {
            return ProduceCommand.run(all, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                out.stream, err.stream, false);
        }
        catch (final CliArgs.UsageException ex)
        {
            err.stream.println("txmon produce: " + ex.getMessage());
            return TxmonCli.EXIT_USAGE;
        }
    }

    private Path file(final String name, final String... lines) throws IOException
    {
        final Path file = dir.resolve(name);
        Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        return file;
    }

    private void awaitJournaled(final long count)
    {
        await(() -> MonitorTests.endOffset(journal) >= count && engine.counters().received() >= count,
            () -> count + " journaled, " + MonitorTests.endOffset(journal) + " so far");
        assertEquals(count, MonitorTests.endOffset(journal));
    }

    /**
     * Every record of the journal, decoded to text of its fields.
     */
    private List<String> journaled()
    {
        final List<String> records = new ArrayList<>();
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        final PaymentDecoder payment = new PaymentDecoder();
        final OrderDecoder order = new OrderDecoder();
        final ExecutionDecoder execution = new ExecutionDecoder();
        final AccountUpdateDecoder account = new AccountUpdateDecoder();
        final ConfigChangeDecoder config = new ConfigChangeDecoder();
        try (JournalReader reader = JournalReader.open(journal))
        {
            while (reader.poll((offset, timestamp, templateId, buffer, payloadOffset, payloadLength) ->
                records.add(decode(buffer, payloadOffset, header, payment, order, execution, account, config)), 64) > 0)
            {
                // read to the end
            }
        }
        return records;
    }

    private static String decode(
        final DirectBuffer buffer,
        final int offset,
        final MessageHeaderDecoder header,
        final PaymentDecoder payment,
        final OrderDecoder order,
        final ExecutionDecoder execution,
        final AccountUpdateDecoder account,
        final ConfigChangeDecoder config)
    {
        header.wrap(buffer, offset);
        switch (header.templateId())
        {
            case PaymentDecoder.TEMPLATE_ID:
                payment.wrapAndApplyHeader(buffer, offset, header);
                return "payment " + payment.producerId() + "/" + payment.producerSeq() + " t=" + payment.eventTime() +
                    " tx=" + payment.txId() + " " + payment.debtorAccount() + "->" + payment.creditorAccount() +
                    " " + payment.amount() + " " + payment.currency() + " " + payment.channel() + " " +
                    payment.debtorCountry() + "->" + payment.creditorCountry() + " geo=" + payment.latitude() + "," +
                    payment.longitude() + " ref=" + payment.reference();
            case OrderDecoder.TEMPLATE_ID:
                order.wrapAndApplyHeader(buffer, offset, header);
                return "order " + order.producerId() + "/" + order.producerSeq() + " id=" + order.orderId() + " acct=" +
                    order.account() + " instr=" + order.instrument() + " px=" + order.price() + " qty=" +
                    order.quantity() + " " + order.side() + " " + order.action() + " " + order.venue();
            case ExecutionDecoder.TEMPLATE_ID:
                execution.wrapAndApplyHeader(buffer, offset, header);
                return "execution " + execution.producerId() + "/" + execution.producerSeq() + " id=" +
                    execution.execId() + " order=" + execution.orderId() + " " + execution.account() + "<>" +
                    execution.counterpartyAccount() + " instr=" + execution.instrument() + " px=" + execution.price() +
                    " qty=" + execution.quantity() + " " + execution.side() + " " + execution.venue();
            case AccountUpdateDecoder.TEMPLATE_ID:
                account.wrapAndApplyHeader(buffer, offset, header);
                return "account " + account.producerId() + "/" + account.producerSeq() + " acct=" + account.account() +
                    " party=" + account.partyId() + " " + account.action() + " " + account.riskRating() + " " +
                    account.country();
            case ConfigChangeDecoder.TEMPLATE_ID:
                config.wrapAndApplyHeader(buffer, offset, header);
                return "config " + config.producerId() + "/" + config.producerSeq() + " rule=" + config.ruleId() + " " +
                    config.action() + " " + config.key() + "=" + config.value();
            default:
                return "template " + header.templateId();
        }
    }

    @Test
    void helpListsEveryOptionAndTheFieldsOfEachType() throws IOException
    {
        assertEquals(TxmonCli.EXIT_OK, ProduceCommand.run(new String[]{ "--help" }, out.stream, err.stream));
        for (final String option : List.of("--producer-id", "--first-seq", "--aeron-dir", "--channel", "--stream",
            "--file", "--format", "--rate", "--on-error", "--timeout", "--help"))
        {
            assertTrue(out.text().contains("  " + option + " "), option);
        }
        assertTrue(out.text().contains("The engine drops every (producerId,"), out.text());
        for (final ParsedEvent.Type type : ParsedEvent.Type.values())
        {
            for (final String field : type.fields())
            {
                assertTrue(out.text().contains(field), field);
            }
        }
    }

    @Test
    void jsonLinesAreJournaledWithTheirFields() throws IOException
    {
        final Path events = file("events.jsonl",
            "{\"type\":\"payment\",\"eventTime\":\"2025-11-25T08:00:00.5Z\",\"txId\":1,\"debtorAccount\":11," +
                "\"creditorAccount\":22,\"amount\":\"1250.50\",\"currency\":\"EUR\",\"channel\":\"sepa\"," +
                "\"debtorCountry\":\"DE\",\"creditorCountry\":\"FR\",\"latitude\":48.8566,\"longitude\":2.3522," +
                "\"reference\":\"invoice 42\"}",
            "",
            String.format(PAYMENT, 2, "1500", "JPY"),
            "{\"type\":\"order\",\"eventTime\":5,\"orderId\":3,\"account\":7,\"instrument\":99,\"price\":\"101.25\"," +
                "\"quantity\":10,\"side\":\"buy\",\"action\":\"new\",\"venue\":\"XLON\"}",
            "{\"type\":\"execution\",\"eventTime\":6,\"execId\":4,\"orderId\":3,\"account\":7,\"counterpartyAccount\":8," +
                "\"instrument\":99,\"price\":101.25,\"quantity\":10,\"side\":\"sell\",\"venue\":\"XLON\"}",
            "{\"type\":\"account\",\"eventTime\":7,\"account\":7,\"partyId\":3,\"action\":\"open\",\"riskRating\":\"high\"," +
                "\"country\":\"GB\"}",
            "{\"type\":\"config\",\"eventTime\":8,\"ruleId\":1,\"action\":\"set_parameter\",\"key\":\"threshold\"," +
                "\"value\":\"500\"}");

        assertEquals(TxmonCli.EXIT_OK, produce("--producer-id", "7", "--file", events.toString()), err::text);
        assertTrue(err.text().matches("txmon produce: sent 6, skipped 0, failed 0 in [\\d.]+ s \\([\\d,]+ events/s\\)\n" +
            "txmon produce: all 6 sent events journaled \\(up to offset 5\\); producer 7 continues at --first-seq 6\n"),
            err.text());
        awaitJournaled(6);

        assertEquals(List.of(
            "payment 7/0 t=1764057600500000000 tx=1 11->22 125050 978 SEPA DE->FR geo=48856600,2352200 ref=invoice 42",
            "payment 7/1 t=1000 tx=2 11->22 1500 392 CARD DE->FR geo=" + Integer.MIN_VALUE + "," + Integer.MIN_VALUE +
                " ref=",
            "order 7/2 id=3 acct=7 instr=99 px=10125000000 qty=10 BUY NEW XLON",
            "execution 7/3 id=4 order=3 7<>8 instr=99 px=10125000000 qty=10 SELL XLON",
            "account 7/4 acct=7 party=3 OPEN HIGH GB",
            "config 7/5 rule=1 SET_PARAMETER threshold=500"), journaled());
        assertEquals(0, engine.counters().rejected());
    }

    @Test
    void csvLinesAreJournaledWithQuotedFields() throws IOException
    {
        final Path events = file("events.csv",
            "type,eventTime,txId,debtorAccount,creditorAccount,amount,currency,channel,debtorCountry,creditorCountry," +
                "reference,account,partyId,action,riskRating,country",
            "payment,1000,1,11,22,\"1,250.50\",EUR,wire,DE,FR,,,,,,",
            "payment,1000,2,11,22,99.99,USD,card,US,US,\"invoice 42, \"\"urgent\"\"\",,,,,",
            "account,1000,,,,,,,,,,7,3,update,low,de");

        assertEquals(TxmonCli.EXIT_FAILED, produce("--producer-id", "8", "--first-seq", "10", "--format", "csv",
            "--file", events.toString()));
        assertTrue(err.text().startsWith("line 2: field 'amount': expected a plain decimal such as 1250.50, not " +
            "'1,250.50'\n"), err.text());
        assertEquals(0, engine.counters().received(), "stop: nothing after the bad line was sent");

        Files.writeString(events, Files.readString(events).replace("\"1,250.50\"", "1250.50"));
        assertEquals(TxmonCli.EXIT_OK, produce("--producer-id", "8", "--first-seq", "10", "--format", "CSV",
            "--file", events.toString()), err::text);
        awaitJournaled(3);
        assertEquals(List.of(
            "payment 8/10 t=1000 tx=1 11->22 125050 978 WIRE DE->FR geo=" + Integer.MIN_VALUE + "," + Integer.MIN_VALUE +
                " ref=",
            "payment 8/11 t=1000 tx=2 11->22 9999 840 CARD US->US geo=" + Integer.MIN_VALUE + "," + Integer.MIN_VALUE +
                " ref=invoice 42, \"urgent\"",
            "account 8/12 acct=7 party=3 UPDATE LOW DE"), journaled());
    }

    @Test
    void stopReportsTheFirstBadLineAndSendsNothingAfterIt() throws IOException
    {
        final Path events = file("events.jsonl",
            String.format(PAYMENT, 1, "\"10.00\"", "EUR"),
            String.format(PAYMENT, 2, "12.345", "EUR"),
            String.format(PAYMENT, 3, "\"10.00\"", "EUR"));
        assertEquals(TxmonCli.EXIT_FAILED, produce("--producer-id", "7", "--file", events.toString()));
        final List<String> lines = err.text().lines().toList();
        assertEquals("line 2: field 'amount': EUR has 2 decimal places; 12.345 has 3", lines.get(0));
        assertTrue(lines.get(1).startsWith("txmon produce: sent 1, skipped 0, failed 1 in "), lines.get(1));
        assertEquals("txmon produce: all 1 sent events journaled (up to offset 0); producer 7 continues at --first-seq 1",
            lines.get(2));
        assertEquals(3, lines.size());
        awaitJournaled(1);
    }

    @Test
    void skipReportsEveryBadLineAndSendsTheRest() throws IOException
    {
        final Path events = file("events.jsonl",
            String.format(PAYMENT, 1, "\"1500.5\"", "JPY"),
            String.format(PAYMENT, 2, "\"1500\"", "JPY"),
            String.format(PAYMENT, 3, "\"-5.00\"", "EUR"),
            "{\"type\":\"payment\",",
            String.format(PAYMENT, 5, "\"0.01\"", "EUR").replace("\"channel\":\"card\"", "\"channel\":\"card\",\"memo\":1"),
            String.format(PAYMENT, 6, "\"0.01\"", "EUR"));
        assertEquals(TxmonCli.EXIT_FAILED, produce("--producer-id", "7", "--file", events.toString(),
            "--on-error", "skip"), err::text);
        final List<String> lines = err.text().lines().toList();
        assertEquals("line 1: field 'amount': JPY has no decimal places; 1500.5 has 1", lines.get(0));
        assertEquals("line 3: field 'amount': must be positive, was -5.00", lines.get(1));
        assertTrue(lines.get(2).startsWith("line 4: not valid JSON: Unexpected end-of-input"), lines.get(2));
        assertTrue(lines.get(3).startsWith("line 5: field 'memo': not a field of a payment"), lines.get(3));
        assertTrue(lines.get(4).startsWith("txmon produce: sent 2, skipped 4, failed 0 in "), lines.get(4));
        assertEquals("txmon produce: all 2 sent events journaled (up to offset 1); producer 7 continues at --first-seq 2",
            lines.get(5));
        assertEquals(6, lines.size());

        awaitJournaled(2);
        final List<String> records = journaled();
        assertTrue(records.get(0).startsWith("payment 7/0 t=1000 tx=2 11->22 1500 392 "), records.get(0));
        assertTrue(records.get(1).startsWith("payment 7/1 t=1000 tx=6 11->22 1 978 "), records.get(1));
        assertEquals(0, engine.counters().rejected(), "the parser refused the negative amount before the engine saw it");
    }

    /**
     * The first producer-id case of issue 12: 'produce --producer-id 7' run twice from sequence 0 with new lines.
     * The second run is refused as conflicting, says so line by line, gives the engine's real next sequence and
     * exits 1; the same lines again are duplicates already journaled, exit 0.
     */
    @Test
    void reusingAProducerIdWithNewLinesIsRefusedWithTheEnginesNextSequence() throws IOException
    {
        final String[] ten = new String[10];
        for (int i = 0; i < ten.length; i++)
        {
            ten[i] = String.format(PAYMENT, i + 1, "\"10.00\"", "EUR");
        }
        final Path first = file("first.jsonl", ten);
        assertEquals(TxmonCli.EXIT_OK, produce("--producer-id", "7", "--file", first.toString()), err::text);
        awaitJournaled(10);

        final Path again = file("again.jsonl",
            String.format(PAYMENT, 100, "\"11.00\"", "EUR"),
            String.format(PAYMENT, 101, "\"12.00\"", "EUR"));
        assertEquals(TxmonCli.EXIT_FAILED, produce("--producer-id", "7", "--file", again.toString()), err::text);
        final String text = err.text();
        // the engine groups refusals of consecutive sequences that reach it in one poll: one line or one per line
        final String refused = "refused, not journaled: CONFLICTING_DUPLICATE: the producer sequence is already " +
            "journaled with other content";
        assertTrue(text.contains("txmon produce: lines 1-2 (producer sequences 0-1): " + refused) ||
            (text.contains("txmon produce: line 1 (producer sequence 0): " + refused) &&
            text.contains("txmon produce: line 2 (producer sequence 1): " + refused)), text);
        assertTrue(text.contains("txmon produce: 2 of 2 sent events were refused and NOT journaled; the engine expects " +
            "producer 7 to continue at --first-seq 10\n"), text);
        assertFalse(text.contains("all 2 sent events journaled"), text);
        assertEquals(10, MonitorTests.endOffset(journal), "nothing of the second run journaled");

        // following the hint works
        assertEquals(TxmonCli.EXIT_OK, produce("--producer-id", "7", "--first-seq", "10", "--file", again.toString()),
            err::text);
        assertTrue(err.text().contains("all 2 sent events journaled (up to offset 11); producer 7 continues at " +
            "--first-seq 12"), err.text());

        // the first run again, byte for byte (event times are in the lines): already held, said so, exit 0
        assertEquals(TxmonCli.EXIT_OK, produce("--producer-id", "7", "--file", first.toString()), err::text);
        // confirmations of sequences that reached the engine in one poll come grouped: one line or several
        assertTrue(err.text().contains("txmon produce: lines 1-") ||
            err.text().contains("txmon produce: line 1 (producer sequence 0)"), err.text());
        assertTrue(err.text().contains("already journaled with the same content; not journaled again"), err.text());
        assertTrue(err.text().contains("all 10 sent events journaled, 10 of them already journaled with the same " +
            "content (duplicates, not journaled again)"), err.text());
        awaitJournaled(12);
    }

    /**
     * A refused configuration change is reported with its key and why, and exits 1.
     */
    @Test
    void aRefusedConfigChangeIsReportedWithItsKeyAndReason() throws IOException
    {
        CloseHelper.close(engine);
        journal = dir.resolve("journal-settings");
        aeronDir = dir.resolve("aeron-settings");
        engine = Engine.launch(new Engine.Context()
            .aeronDirectoryName(aeronDir.toString())
            .journalDir(journal)
            .segmentLength(4 * 1024 * 1024)
            .ruleSettings(io.txmon.rules.config.RuleSettings.defaults()));
        final Path events = file("config.jsonl",
            String.format(PAYMENT, 1, "\"10.00\"", "EUR"),
            "{\"type\":\"config\",\"eventTime\":8,\"ruleId\":1,\"action\":\"set_parameter\"," +
                "\"key\":\"no-such-key\",\"value\":\"500\"}",
            String.format(PAYMENT, 3, "\"10.00\"", "EUR"));
        assertEquals(TxmonCli.EXIT_FAILED, produce("--producer-id", "5", "--file", events.toString()), err::text);
        final String text = err.text();
        assertTrue(text.contains("txmon produce: line 2 (producer sequence 1): refused, not journaled: " +
            "CONFIG_CHANGE_REFUSED: rules.large-amount.no-such-key: large-amount has no parameter"), text);
        assertTrue(text.contains("1 of 3 sent events were refused and NOT journaled; the engine expects producer 5 " +
            "to continue at --first-seq 3"), text);
    }

    /**
     * Finding 11: a line that is not valid UTF-8 is an error of that line, with its number, and --on-error skip
     * skips it.
     */
    @Test
    void invalidUtf8IsAnErrorOfItsLineAndCanBeSkipped() throws IOException
    {
        final byte[] good1 = (String.format(PAYMENT, 1, "\"1.00\"", "EUR") + "\n").getBytes(StandardCharsets.UTF_8);
        final byte[] bad = (String.format(PAYMENT, 2, "\"2.00\"", "EUR").replace("\"card\"", "\"ca\u00e9rd\"") + "\n")
            .getBytes(StandardCharsets.UTF_8);
        // cut the two-byte e-acute to its first byte: a lead byte followed by an ASCII letter
        final byte[] broken = new byte[bad.length - 1];
        final int at = indexOf(bad, (byte)0xC3);
        System.arraycopy(bad, 0, broken, 0, at + 1);
        System.arraycopy(bad, at + 2, broken, at + 1, bad.length - at - 2);
        final byte[] good3 = (String.format(PAYMENT, 3, "\"3.00\"", "EUR") + "\r\n").getBytes(StandardCharsets.UTF_8);
        final Path events = dir.resolve("latin.jsonl");
        Files.write(events, concat(good1, broken, good3, new byte[]{ (byte)0xFF, '\n' }));

        assertEquals(TxmonCli.EXIT_FAILED, produce("--producer-id", "7", "--file", events.toString()), err::text);
        List<String> lines = err.text().lines().toList();
        assertEquals(String.format("line 2: not valid UTF-8: byte %d of the line is 0xC3, which cannot start or " +
            "continue a character there; save the input as UTF-8", at + 1), lines.get(0));
        assertTrue(lines.get(1).startsWith("txmon produce: sent 1, skipped 0, failed 1 in "), lines.get(1));
        awaitJournaled(1);

        assertEquals(TxmonCli.EXIT_FAILED, produce("--producer-id", "7", "--first-seq", "1", "--on-error", "skip",
            "--file", events.toString()), err::text);
        lines = err.text().lines().toList();
        assertTrue(lines.get(0).startsWith("line 2: not valid UTF-8"), lines.get(0));
        assertEquals("line 4: not valid UTF-8: byte 1 of the line is 0xFF, which cannot start or continue a character " +
            "there; save the input as UTF-8", lines.get(1));
        assertTrue(lines.get(2).startsWith("txmon produce: sent 2, skipped 2, failed 0 in "), lines.get(2));
        awaitJournaled(3);
        final List<String> records = journaled();
        assertTrue(records.get(1).startsWith("payment 7/1 t=1000 tx=1 "), records.get(1));
        assertTrue(records.get(2).startsWith("payment 7/2 t=1000 tx=3 "), records.get(2));
    }

    private static int indexOf(final byte[] bytes, final byte value)
    {
        for (int i = 0; i < bytes.length; i++)
        {
            if (bytes[i] == value)
            {
                return i;
            }
        }
        throw new AssertionError("no byte " + value);
    }

    private static byte[] concat(final byte[]... parts)
    {
        int length = 0;
        for (final byte[] part : parts)
        {
            length += part.length;
        }
        final byte[] all = new byte[length];
        int at = 0;
        for (final byte[] part : parts)
        {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }

    @Test
    void readsStdinWhenGivenNoFile() throws IOException
    {
        assertEquals(TxmonCli.EXIT_OK, produceFrom(String.format(PAYMENT, 1, "1", "EUR") + "\n\n" +
            String.format(PAYMENT, 2, "2", "EUR"), "--producer-id", "3"), err::text);
        assertTrue(err.text().startsWith("txmon produce: sent 2, skipped 0, failed 0 in "), err.text());
        awaitJournaled(2);

        assertEquals(TxmonCli.EXIT_OK, produceFrom("", "--producer-id", "4"), "empty input sends nothing, fails nothing");
        assertTrue(err.text().startsWith("txmon produce: sent 0, skipped 0, failed 0 in "), err.text());
    }

    @Test
    void paceByParkingAtTheGivenRate() throws IOException
    {
        final StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 30; i++)
        {
            lines.append(String.format(PAYMENT, i, "1", "EUR")).append('\n');
        }
        final Path events = Files.writeString(dir.resolve("paced.jsonl"), lines);
        assertEquals(TxmonCli.EXIT_OK, produce("--producer-id", "1", "--file", events.toString())); // warm up

        final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        final long cpuBefore = threads.getCurrentThreadCpuTime();
        final long start = System.nanoTime();
        assertEquals(TxmonCli.EXIT_OK, produce("--producer-id", "2", "--file", events.toString(), "--rate", "60"));
        final long elapsedNs = System.nanoTime() - start;
        final long cpuNs = threads.getCurrentThreadCpuTime() - cpuBefore;

        final long intended = TimeUnit.SECONDS.toNanos(29) / 60;
        assertTrue(elapsedNs >= intended, "30 events at 60/s take at least 29/60 s: " + elapsedNs / 1_000_000 + " ms");
        assertTrue(elapsedNs < TimeUnit.SECONDS.toNanos(10), "and not much longer: " + elapsedNs / 1_000_000 + " ms");
        assertTrue(cpuNs < elapsedNs / 2, "parks rather than spins: cpu " + cpuNs / 1_000_000 + " ms of " +
            elapsedNs / 1_000_000 + " ms");
        final Matcher rate = Pattern.compile("sent 30, skipped 0, failed 0 in ([\\d.]+) s \\(([\\d,]+) events/s\\)")
            .matcher(err.text());
        assertTrue(rate.find(), err.text());
        assertTrue(Integer.parseInt(rate.group(2).replace(",", "")) <= 63, err.text());
        awaitJournaled(60);
    }

    @Test
    void refusesCommandLinesItCannotRun() throws IOException
    {
        assertEquals(TxmonCli.EXIT_USAGE, produce());
        assertEquals("txmon produce: --producer-id is required: give this producer an id of its own (see 'txmon " +
            "produce --help')", err.text().trim());
        assertEquals(TxmonCli.EXIT_USAGE, produce("--producer-id", "-1"));
        assertEquals("txmon produce: --producer-id must be between 0 and 9223372036854775807, was -1", err.text().trim());
        assertEquals(TxmonCli.EXIT_USAGE, produce("--producer-id", "1", "--format", "xml"));
        assertEquals("txmon produce: --format must be json or csv, not 'xml'", err.text().trim());
        assertEquals(TxmonCli.EXIT_USAGE, produce("--producer-id", "1", "--on-error", "ignore"));
        assertEquals("txmon produce: --on-error must be stop or skip, not 'ignore'", err.text().trim());
        assertEquals(TxmonCli.EXIT_USAGE, produce("--producer-id", "1", "--file", dir.resolve("none.jsonl").toString()));
        assertEquals("txmon produce: --file " + dir.resolve("none.jsonl") + ": no such file; give a file of events, or " +
            "none for stdin", err.text().trim());
    }

    @Test
    void saysWhenThereIsNoDriverOrNoEngine() throws IOException
    {
        out.reset();
        err.reset();
        final Path nowhere = dir.resolve("nowhere");
        assertEquals(TxmonCli.EXIT_FAILED, ProduceCommand.run(new String[]{ "--producer-id", "1", "--aeron-dir",
            nowhere.toString() }, new ByteArrayInputStream(new byte[0]), out.stream, err.stream, false));
        assertEquals("txmon produce: no media driver is running in " + nowhere + "; start 'txmon run' (it prints its " +
            "aeron-dir) or give that directory with --aeron-dir", err.text().trim());

        assertEquals(TxmonCli.EXIT_FAILED, produce("--producer-id", "1", "--stream", "4242", "--timeout", "1"));
        assertEquals("txmon produce: no engine subscribes to aeron:ipc stream 4242 in " + aeronDir + " (waited 1 s); " +
            "is 'txmon run' running with that --ingest and --ingest-stream?", err.text().trim());
    }

    @Test
    void theCommandTableRunsIt() throws IOException
    {
        final Path events = file("one.jsonl", String.format(PAYMENT, 1, "1", "EUR"));
        out.reset();
        err.reset();
        assertEquals(TxmonCli.EXIT_OK, TxmonCli.run(new String[]{ "produce", "--producer-id", "5", "--aeron-dir",
            aeronDir.toString(), "--file", events.toString() }, out.stream, err.stream), err::text);
        awaitJournaled(1);
        assertEquals(TxmonCli.EXIT_USAGE, TxmonCli.run(new String[]{ "produce", "--producer-id", "5", "--rate", "fast" }, out.stream, err.stream));
        assertTrue(err.text().endsWith("txmon produce: --rate takes a whole number, not 'fast'\n"), err.text());
    }
}
