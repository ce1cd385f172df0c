package io.txmon.tools;

import io.txmon.events.codec.AlertEncoder;
import io.txmon.events.codec.Channel;
import io.txmon.events.codec.MessageHeaderEncoder;
import io.txmon.events.codec.OrderAction;
import io.txmon.events.codec.OrderEncoder;
import io.txmon.events.codec.PaymentEncoder;
import io.txmon.events.codec.Severity;
import io.txmon.events.codec.Side;
import io.txmon.journal.JournalConfig;
import io.txmon.journal.JournalDescriptor;
import io.txmon.journal.JournalReader;
import io.txmon.journal.JournalWriter;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Journals with known contents for the tool tests: record {@code i} is a Payment when {@code i % 3 != 2}, an
 * Order otherwise, every field a function of {@code i}; two records in a row share each ingest time, so equal
 * timestamps are covered. Small segments and a small index interval, so a few thousand records span several
 * segments and many index entries.
 */
final class TestJournals
{
    /** 2026-01-01T00:00:00Z in epoch nanoseconds. */
    static final long T0 = 1_767_225_600_000_000_000L;
    static final int SEGMENT_LENGTH = JournalDescriptor.MIN_SEGMENT_LENGTH;
    static final int INDEX_INTERVAL = 16;
    static final long PRICE = 12_345_000_000L;

    private TestJournals()
    {
    }

    static long timestamp(final long i)
    {
        return T0 + (i / 2) * 1_000_000L;
    }

    static boolean isPayment(final long i)
    {
        return i % 3 != 2;
    }

    static JournalWriter open(final Path dir)
    {
        return JournalWriter.open(dir, new JournalConfig().segmentLength(SEGMENT_LENGTH).indexInterval(INDEX_INTERVAL));
    }

    /**
     * Append records {@code from} to {@code from + count - 1}.
     */
    static void append(final JournalWriter writer, final long from, final long count)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[512]);
        final MessageHeaderEncoder header = new MessageHeaderEncoder();
        final PaymentEncoder payment = new PaymentEncoder();
        final OrderEncoder order = new OrderEncoder();
        for (long i = from; i < from + count; i++)
        {
            final int length;
            final int templateId;
            if (isPayment(i))
            {
                payment.wrapAndApplyHeader(buffer, 0, header)
                    .producerId(7).producerSeq(i).eventTime(T0 + i).txId(1000 + i)
                    .debtorAccount(100 + i % 10).creditorAccount(200 + i % 10).amount(i * 100).currency(978)
                    .channel(i % 2 == 0 ? Channel.CARD : Channel.SEPA).debtorCountry("DE").creditorCountry("FR")
                    .latitude(48_856_600).longitude(2_352_200).reference("ref-" + i);
                length = MessageHeaderEncoder.ENCODED_LENGTH + payment.encodedLength();
                templateId = PaymentEncoder.TEMPLATE_ID;
            }
            else
            {
                order.wrapAndApplyHeader(buffer, 0, header)
                    .producerId(7).producerSeq(i).eventTime(T0 + i).orderId(5000 + i).account(300 + i % 10)
                    .instrument(42).price(PRICE).quantity(i).side(i % 2 == 0 ? Side.BUY : Side.SELL)
                    .action(OrderAction.NEW).venue("XPAR");
                length = MessageHeaderEncoder.ENCODED_LENGTH + order.encodedLength();
                templateId = OrderEncoder.TEMPLATE_ID;
            }
            assertEquals(i, writer.append(buffer, 0, length, templateId, timestamp(i)));
        }
    }

    /**
     * Write a fresh journal of {@code count} records and close the writer.
     */
    static void write(final Path dir, final long count)
    {
        try (JournalWriter writer = open(dir))
        {
            append(writer, 0, count);
        }
    }

    /**
     * Write an alert journal: alert {@code i} is triggered by offset {@code 10 * i}.
     */
    static void writeAlerts(final Path dir, final int count)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[512]);
        final MessageHeaderEncoder header = new MessageHeaderEncoder();
        final AlertEncoder alert = new AlertEncoder();
        try (JournalWriter writer = open(dir))
        {
            for (int i = 0; i < count; i++)
            {
                alert.wrapAndApplyHeader(buffer, 0, header)
                    .alertId(0xA000 + i).ruleId(1).ruleVersion(1).severity(Severity.HIGH).score(500)
                    .triggeringOffset(10L * i).account(11).eventTime(T0 + i);
                alert.evidenceCount(2).next().offset(10L * i).next().offset(10L * i + 1);
                alert.reason("payment " + i + ", large");
                final int length = MessageHeaderEncoder.ENCODED_LENGTH + alert.encodedLength();
                assertEquals(i, writer.append(buffer, 0, length, AlertEncoder.TEMPLATE_ID, timestamp(i)));
            }
        }
    }

    /** The text line of record {@code i} as {@code journal dump} prints it. */
    static String text(final long i)
    {
        final String start = "offset=" + i + " time=" + TimeArgs.format(timestamp(i));
        if (isPayment(i))
        {
            return start + " Payment producerId=7 producerSeq=" + i + " eventTime=" + (T0 + i) + " txId=" + (1000 + i) +
                " debtorAccount=" + (100 + i % 10) + " creditorAccount=" + (200 + i % 10) + " amount=" + i * 100 +
                " currency=978 channel=" + (i % 2 == 0 ? "CARD" : "SEPA") + " debtorCountry=DE creditorCountry=FR" +
                " latitude=48856600 longitude=2352200";
        }
        return start + " Order producerId=7 producerSeq=" + i + " eventTime=" + (T0 + i) + " orderId=" + (5000 + i) +
            " account=" + (300 + i % 10) + " instrument=42 price=" + PRICE + " quantity=" + i + " side=" +
            (i % 2 == 0 ? "BUY" : "SELL") + " action=NEW venue=XPAR";
    }

    /** The JSON line of record {@code i}. */
    static String json(final long i)
    {
        final String start = "{\"offset\":" + i + ",\"ingestTime\":\"" + TimeArgs.format(timestamp(i)) + "\"";
        if (isPayment(i))
        {
            return start + ",\"template\":\"Payment\",\"producerId\":7,\"producerSeq\":" + i + ",\"eventTime\":" +
                (T0 + i) + ",\"txId\":" + (1000 + i) + ",\"debtorAccount\":" + (100 + i % 10) +
                ",\"creditorAccount\":" + (200 + i % 10) + ",\"amount\":" + i * 100 + ",\"currency\":978," +
                "\"channel\":\"" + (i % 2 == 0 ? "CARD" : "SEPA") + "\",\"debtorCountry\":\"DE\"," +
                "\"creditorCountry\":\"FR\",\"latitude\":48856600,\"longitude\":2352200}";
        }
        return start + ",\"template\":\"Order\",\"producerId\":7,\"producerSeq\":" + i + ",\"eventTime\":" + (T0 + i) +
            ",\"orderId\":" + (5000 + i) + ",\"account\":" + (300 + i % 10) + ",\"instrument\":42,\"price\":" + PRICE +
            ",\"quantity\":" + i + ",\"side\":\"" + (i % 2 == 0 ? "BUY" : "SELL") + "\",\"action\":\"NEW\"," +
            "\"venue\":\"XPAR\"}";
    }

    /** The CSV row of record {@code i}, in the columns of {@link EventFormat#csvHeader(boolean)}. */
    static String csv(final long i)
    {
        final String start = i + "," + TimeArgs.format(timestamp(i));
        if (isPayment(i))
        {
            return start + ",Payment,7," + i + "," + (T0 + i) + "," + (1000 + i) + "," + (100 + i % 10) + "," +
                (200 + i % 10) + "," + i * 100 + ",978," + (i % 2 == 0 ? "CARD" : "SEPA") + ",DE,FR,48856600,2352200" +
                ",".repeat(17) + (85 + Long.toString(i).length());
        }
        return start + ",Order,7," + i + "," + (T0 + i) + ",".repeat(11) + (5000 + i) + ",," + (300 + i % 10) +
            ",,42," + PRICE + "," + i + "," + (i % 2 == 0 ? "BUY" : "SELL") + ",NEW,XPAR" + ",".repeat(7) + "78";
    }

    /** Every ingest timestamp in the journal, by offset, from a plain sequential read. */
    static List<Long> timestamps(final Path dir)
    {
        final List<Long> timestamps = new ArrayList<>();
        try (JournalReader reader = JournalReader.open(dir))
        {
            int read;
            do
            {
                read = reader.poll((offset, timestamp, templateId, buffer, payloadOffset, payloadLength) ->
                {
                    assertEquals(timestamps.size(), offset);
                    timestamps.add(timestamp);
                }, 1024);
            }
            while (read > 0);
        }
        return timestamps;
    }

    /** Segment files, by base offset. */
    static List<Path> segments(final Path dir) throws IOException
    {
        try (Stream<Path> files = Files.list(dir))
        {
            return files.filter((p) -> p.getFileName().toString().matches("\\d{20}\\.log")).sorted().toList();
        }
    }

    static long baseOffset(final Path segment)
    {
        return Long.parseLong(segment.getFileName().toString().substring(0, 20));
    }

    /**
     * @return the byte position of the frame of {@code offset} in a segment file, walking the frames.
     */
    static int framePosition(final Path segment, final long offset) throws IOException
    {
        final UnsafeBuffer bytes = new UnsafeBuffer(Files.readAllBytes(segment));
        int position = JournalDescriptor.SEGMENT_HEADER_LENGTH;
        for (long o = baseOffset(segment); o < offset; o++)
        {
            final int length = bytes.getInt(position);
            assertTrue(length > 0, "offset " + offset + " is not in " + segment);
            position += JournalDescriptor.alignedFrameLength(length - JournalDescriptor.FRAME_HEADER_LENGTH);
        }
        assertEquals(offset, bytes.getLong(position + JournalDescriptor.OFFSET_OFFSET));
        return position;
    }

    /**
     * Runs a tool as {@code bin/txmon} would, capturing its output.
     */
    static final class Run
    {
        int status;
        String out;
        String err;

        static Run of(final String... args)
        {
            final ByteArrayOutputStream o = new ByteArrayOutputStream();
            final ByteArrayOutputStream e = new ByteArrayOutputStream();
            final Run run = new Run();
            run.status = ToolsCli.run(args, new PrintStream(o, true, StandardCharsets.UTF_8),
                new PrintStream(e, true, StandardCharsets.UTF_8));
            run.out = o.toString(StandardCharsets.UTF_8);
            run.err = e.toString(StandardCharsets.UTF_8);
            return run;
        }

        List<String> lines()
        {
            return out.lines().toList();
        }

        /** Asserts exit 2 with one line on standard error that contains {@code text}, and no stack trace. */
        Run usage(final String text)
        {
            assertEquals(ToolsCli.EXIT_USAGE, status, err);
            assertOneLine(text);
            return this;
        }

        /** Asserts exit 1 with one line on standard error that contains {@code text}, and no stack trace. */
        Run failed(final String text)
        {
            assertEquals(ToolsCli.EXIT_FAILED, status, err);
            assertOneLine(text);
            return this;
        }

        private void assertOneLine(final String text)
        {
            assertEquals(1, err.lines().count(), err);
            assertTrue(err.startsWith("txmon "), err);
            assertTrue(err.contains(text), err);
            assertFalse(err.contains("Exception") || err.contains("\tat "), err);
        }
    }
}
