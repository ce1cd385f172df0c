package io.txmon.perf;

import io.txmon.events.EventEnvelope;
import io.txmon.events.codec.MessageHeaderDecoder;
import io.txmon.journal.JournalReader;
import io.txmon.journal.JournalWriter;
import io.txmon.scenario.ScenarioGenerator;
import io.txmon.tools.ToolsCli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Throughput of {@code txmon replay} (the command, alerts printed to nowhere, one rule worker, every rule of
 * the defaults) over a generated journal, against a plain sequential {@link JournalReader} pass over the same
 * journal in the same run: the ratio is what the rules and the replay machinery cost over reading.
 * <pre>
 * ReplayThroughput [--events N] [--accounts N] [--runs N] [--dir D]
 * </pre>
 * The journal (ingest time = event time, 64 MiB segments) is written once into a temporary directory under
 * {@code --dir} (default the system's temporary directory) and deleted at the end. Each run reads it once
 * plainly and replays it once; the best of the runs is reported.
 */
public final class ReplayThroughput
{
    private static final String USAGE = "usage: ReplayThroughput [--events N (10000000)] [--accounts N (50000)] " +
        "[--runs N (3)] [--dir D]" + System.lineSeparator();

    private ReplayThroughput()
    {
    }

    /**
     * @param args see the class comment.
     * @throws IOException if the journal cannot be written or deleted.
     */
    public static void main(final String[] args) throws IOException
    {
        final Options options = new Options();
        try
        {
            BenchmarkSupport.forEachOption(args, () -> options.help = true, options::set);
        }
        catch (final IllegalArgumentException ex)
        {
            System.err.println("replay-throughput: " + ex.getMessage());
            System.err.print(USAGE);
            System.exit(2);
            return;
        }
        if (options.help)
        {
            System.out.print(USAGE);
            return;
        }
        final long events = options.events;
        final long accounts = options.accounts;
        final long runs = options.runs;
        final String parent = options.parent;

        final Path dir = null == parent ? BenchmarkSupport.createTempDirectory("replay-throughput") :
            Files.createTempDirectory(Path.of(parent), BenchmarkSupport.TEMP_PREFIX + "replay-throughput-");
        final Path journal = dir.resolve("journal");
        try
        {
            final long writeStart = System.nanoTime();
            write(journal, (int)events, (int)accounts);
            final long writeNs = System.nanoTime() - writeStart;
            System.out.printf(Locale.ROOT, "journal: %,d events, %,d accounts, written in %.1f s%n",
                events, accounts, writeNs / 1e9);

            long bestRead = Long.MAX_VALUE;
            long bestReplay = Long.MAX_VALUE;
            for (int run = 1; run <= runs; run++)
            {
                final long readNs = plainRead(journal, events);
                final long replayNs = replay(journal);
                bestRead = Math.min(bestRead, readNs);
                bestReplay = Math.min(bestReplay, replayNs);
                System.out.printf(Locale.ROOT, "run %d: plain read %,.0f events/s, replay %,.0f events/s%n",
                    run, rate(events, readNs), rate(events, replayNs));
            }
            System.out.printf(Locale.ROOT, "best: plain read %,.0f events/s (%.2f s), replay %,.0f events/s " +
                "(%.2f s), replay takes %.1fx the plain read%n", rate(events, bestRead), bestRead / 1e9,
                rate(events, bestReplay), bestReplay / 1e9, (double)bestReplay / bestRead);
        }
        finally
        {
            BenchmarkSupport.deleteRecursively(dir);
        }
    }

    /**
     * The options of a run, as given.
     */
    private static final class Options
    {
        long events = 10_000_000;
        long accounts = 50_000;
        long runs = 3;
        String parent;
        boolean help;

        void set(final String option, final String value)
        {
            switch (option)
            {
                case "--events":
                    events = BenchmarkSupport.number(option, value, 1_000, Integer.MAX_VALUE);
                    break;
                case "--accounts":
                    accounts = BenchmarkSupport.number(option, value, ScenarioGenerator.Options.MIN_ACCOUNTS,
                        ScenarioGenerator.Options.MAX_ACCOUNTS);
                    break;
                case "--runs":
                    runs = BenchmarkSupport.number(option, value, 1, 100);
                    break;
                case "--dir":
                    parent = value;
                    break;
                default:
                    throw new IllegalArgumentException("unknown option " + option);
            }
        }
    }

    private static void write(final Path journal, final int events, final int accounts)
    {
        final ScenarioGenerator scenario = new ScenarioGenerator(20_261_125L,
            ScenarioGenerator.Options.defaults().withAccounts(accounts));
        try (JournalWriter writer = JournalWriter.open(journal, JournalWriter.DEFAULT_SEGMENT_LENGTH))
        {
            scenario.generate(events, (buffer, offset, length) ->
            {
                final int templateId = buffer.getShort(offset + MessageHeaderDecoder.templateIdEncodingOffset(),
                    MessageHeaderDecoder.BYTE_ORDER) & 0xFFFF;
                final long result = writer.append(
                    buffer, offset, length, templateId, EventEnvelope.eventTime(buffer, offset));
                if (result < 0)
                {
                    throw new IllegalStateException("append failed: " + result);
                }
            });
        }
    }

    private static long plainRead(final Path journal, final long events)
    {
        final long[] sum = new long[1];
        final long start = System.nanoTime();
        long read = 0;
        try (JournalReader reader = JournalReader.open(journal))
        {
            int n;
            while ((n = reader.poll((offset, timestamp, templateId, buffer, payloadOffset, payloadLength) ->
                sum[0] += templateId + buffer.getLong(payloadOffset + EventEnvelope.PRODUCER_SEQ_OFFSET), 4096)) > 0)
            {
                read += n;
            }
        }
        final long elapsed = System.nanoTime() - start;
        if (read != events)
        {
            throw new IllegalStateException("read " + read + " of " + events + " events (" + sum[0] + ")");
        }
        return elapsed;
    }

    private static long replay(final Path journal)
    {
        final PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8);
        final long start = System.nanoTime();
        final int status = ToolsCli.run(new String[]{ "replay", "--journal", journal.toString() }, nowhere, System.err);
        final long elapsed = System.nanoTime() - start;
        if (status != ToolsCli.EXIT_OK)
        {
            throw new IllegalStateException("replay exited " + status);
        }
        return elapsed;
    }

    private static double rate(final long events, final long nanos)
    {
        return events * 1e9 / nanos;
    }
}
