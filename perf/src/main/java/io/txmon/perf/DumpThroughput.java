package io.txmon.perf;

import io.txmon.events.codec.Channel;
import io.txmon.events.codec.MessageHeaderEncoder;
import io.txmon.events.codec.PaymentEncoder;
import io.txmon.journal.JournalReader;
import io.txmon.journal.JournalWriter;
import io.txmon.journal.RecordHandler;
import io.txmon.tools.ToolsCli;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Throughput of {@code txmon journal dump --format json} against a plain sequential {@link JournalReader} pass
 * over the same files, in the same run. Writes {@code --events} payments (10,000,000 by default) to a fresh
 * journal in a temporary directory (64 MiB segments, the production default), then alternates, {@code --runs}
 * times: the plain pass (every record delivered to a handler that reads its template id and first payload
 * word), then the dump, whose output goes to a stream that only counts bytes and lines. The journal stays in
 * the page cache throughout, so both measure the CPU cost of reading (and, for the dump, decoding and
 * formatting), not the disk. Prints each run and the medians in events/s, and the dump's share of the plain
 * pass. The directory is deleted at the end.
 * <p>
 * {@code java --add-exports java.base/jdk.internal.misc=ALL-UNNAMED --add-opens java.base/java.util.zip=ALL-UNNAMED
 * -cp "$(cat perf/target/txmon.classpath):perf/target/classes" io.txmon.perf.DumpThroughput [--events N] [--runs N]}
 */
public final class DumpThroughput
{
    /** Events written unless {@code --events} says otherwise. */
    public static final long DEFAULT_EVENTS = 10_000_000L;

    /** Timed runs of each pass unless {@code --runs} says otherwise. */
    public static final int DEFAULT_RUNS = 3;

    private static final long FIRST_TIMESTAMP = BenchmarkSupport.FIRST_TIMESTAMP;
    private static final long TIMESTAMP_STEP = 1_000;
    private static final int POLL_BATCH = 256;

    private DumpThroughput()
    {
    }

    /**
     * @param args {@code --events N}, {@code --runs N}.
     * @throws IOException if the temporary journal cannot be written or removed.
     */
    public static void main(final String[] args) throws IOException
    {
        long events = DEFAULT_EVENTS;
        int runs = DEFAULT_RUNS;
        for (int i = 0; i < args.length; i++)
        {
            final String value = i + 1 < args.length ? args[i + 1] : "";
            switch (args[i])
            {
                case "--events" -> events = BenchmarkSupport.number("--events", value, 1, 1_000_000_000L);
                case "--runs" -> runs = (int)BenchmarkSupport.number("--runs", value, 1, 100);
                default -> throw new IllegalArgumentException("unknown option " + args[i] +
                    "; DumpThroughput takes --events N and --runs N");
            }
            i++;
        }

        final Path dir = BenchmarkSupport.createTempDirectory("dump");
        try
        {
            final PrintStream out = System.out;
            long start = System.nanoTime();
            write(dir, events);
            out.printf(Locale.ROOT, "wrote %,d payments to %s in %.1f s%n", events, dir,
                (System.nanoTime() - start) / 1e9);

            // once untimed, counting lines: every event printed, and the code warmed up
            final CountingStream check = new CountingStream(true);
            if (ToolsCli.run(new String[]{ "journal", "dump", dir.toString(), "--format", "json" },
                new PrintStream(check, false, StandardCharsets.UTF_8), System.err) != ToolsCli.EXIT_OK)
            {
                throw new IllegalStateException("journal dump failed");
            }
            check(events, check.lines, "dump");
            check(events, plainPass(dir), "plain pass");

            final double[] plain = new double[runs];
            final double[] dump = new double[runs];
            long bytes = 0;
            for (int run = 0; run < runs; run++)
            {
                start = System.nanoTime();
                final long read = plainPass(dir);
                plain[run] = perSecond(read, System.nanoTime() - start);
                check(events, read, "plain pass");

                final CountingStream sink = new CountingStream(false);
                start = System.nanoTime();
                final int status = ToolsCli.run(new String[]{ "journal", "dump", dir.toString(), "--format", "json" },
                    new PrintStream(sink, false, StandardCharsets.UTF_8), System.err);
                dump[run] = perSecond(events, System.nanoTime() - start);
                if (status != ToolsCli.EXIT_OK)
                {
                    throw new IllegalStateException("journal dump exited " + status);
                }
                if (sink.bytes != check.bytes)
                {
                    throw new IllegalStateException("dump wrote " + sink.bytes + " bytes, " + check.bytes + " before");
                }
                bytes = sink.bytes;
                out.printf(Locale.ROOT, "run %d: plain JournalReader %,.0f events/s, journal dump --format json " +
                    "%,.0f events/s (%,d bytes of JSON)%n", run + 1, plain[run], dump[run], bytes);
            }
            final double plainMedian = median(plain);
            final double dumpMedian = median(dump);
            out.printf(Locale.ROOT, "median of %d: plain %,.0f events/s, dump json %,.0f events/s, dump/plain %.3f " +
                "(%.1f bytes of JSON per event)%n", runs, plainMedian, dumpMedian, dumpMedian / plainMedian,
                (double)bytes / events);
        }
        finally
        {
            BenchmarkSupport.deleteRecursively(dir);
        }
    }

    private static void write(final Path dir, final long events)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
        final MessageHeaderEncoder header = new MessageHeaderEncoder();
        final PaymentEncoder payment = new PaymentEncoder();
        final Channel[] channels = Channel.values();
        try (JournalWriter writer = JournalWriter.open(dir, JournalWriter.DEFAULT_SEGMENT_LENGTH))
        {
            for (long i = 0; i < events; i++)
            {
                payment.wrapAndApplyHeader(buffer, 0, header)
                    .producerId(1 + (i & 1)).producerSeq(i >> 1).eventTime(FIRST_TIMESTAMP + i * TIMESTAMP_STEP)
                    .txId(1_000_000_000L + i).debtorAccount(10_000 + (i * 7919) % 50_000)
                    .creditorAccount(10_000 + (i * 104_729) % 50_000).amount(100 + (i * 31) % 5_000_000)
                    .currency(978).channel(channels[(int)(i % (channels.length - 1))])
                    .debtorCountry(i % 3 == 0 ? "DE" : "FR").creditorCountry(i % 5 == 0 ? "NL" : "ES")
                    .latitude(48_856_600).longitude(2_352_200).reference("");
                final long offset = writer.append(buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH +
                    payment.encodedLength(), PaymentEncoder.TEMPLATE_ID, FIRST_TIMESTAMP + i * TIMESTAMP_STEP);
                if (offset != i)
                {
                    throw new IllegalStateException("append " + i + " returned " + offset);
                }
            }
        }
    }

    private static long plainPass(final Path dir)
    {
        final long[] sum = { 0, 0 };
        final RecordHandler handler = (offset, timestamp, templateId, buffer, payloadOffset, payloadLength) ->
        {
            sum[0]++;
            sum[1] += templateId + buffer.getLong(payloadOffset + MessageHeaderEncoder.ENCODED_LENGTH);
        };
        try (JournalReader reader = JournalReader.open(dir))
        {
            while (reader.poll(handler, POLL_BATCH) > 0)
            {
                Thread.onSpinWait();
            }
        }
        if (sum[1] == 42)
        {
            System.out.println("(checksum)");
        }
        return sum[0];
    }

    private static void check(final long expected, final long actual, final String what)
    {
        if (expected != actual)
        {
            throw new IllegalStateException(what + " saw " + actual + " events, expected " + expected);
        }
    }

    private static double perSecond(final long count, final long nanos)
    {
        return count * 1e9 / nanos;
    }

    private static double median(final double[] values)
    {
        final double[] sorted = values.clone();
        Arrays.sort(sorted);
        final int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /**
     * Discards what is written, counting bytes, and lines if asked to.
     */
    static final class CountingStream extends OutputStream
    {
        private final boolean countLines;
        long bytes;
        long lines;

        CountingStream(final boolean countLines)
        {
            this.countLines = countLines;
        }

        @Override
        public void write(final int b)
        {
            bytes++;
            lines += b == '\n' ? 1 : 0;
        }

        @Override
        public void write(final byte[] b, final int off, final int len)
        {
            bytes += len;
            for (int i = off; countLines && i < off + len; i++)
            {
                lines += b[i] == '\n' ? 1 : 0;
            }
        }
    }
}
