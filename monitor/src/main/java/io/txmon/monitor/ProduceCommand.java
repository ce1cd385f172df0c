package io.txmon.monitor;

import io.txmon.cli.CliArgs;
import io.aeron.Aeron;
import io.aeron.CommonContext;
import io.txmon.events.RejectReason;
import io.txmon.transport.AckHandler;
import io.txmon.transport.TransportConfiguration;
import io.txmon.transport.TxmonPublisher;
import org.agrona.DirectBuffer;
import org.agrona.collections.LongArrayList;
import org.agrona.concurrent.BackoffIdleStrategy;

import java.io.BufferedInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code txmon produce}: a console producer, like {@code kafka-console-producer}. Reads one event per line
 * from stdin or a file, as JSON or CSV ({@link EventLineParser}), and publishes each with one
 * {@link TxmonPublisher} to the engine's ingest stream, optionally paced at a fixed rate. Every line is either
 * sent or reported on stderr with its line number, field and reason (a line that is not valid UTF-8 too); a line
 * that cannot be sent stops the run, so no later line overtakes it. With acknowledgements it then reports what
 * the engine did with every event sent: journaled, already journaled with the same bytes (a duplicate), or
 * refused with the engine's reason (for a refused configuration change, which key and why); the "continue at"
 * hint is the engine's own next expected sequence, and anything sent but not journaled as sent exits 1.
 */
final class ProduceCommand
{
    private static final Set<String> OPTIONS = Set.of(
        "--aeron-dir", "--channel", "--stream", "--producer-id", "--first-seq", "--file", "--format", "--rate",
        "--on-error", "--timeout", "--ack-channel", "--ack-stream");
    private static final Set<String> FLAGS = Set.of("--help");
    private static final long PROGRESS_AFTER_LINES = 100_000;
    private static final long PROGRESS_INTERVAL_NS = TimeUnit.SECONDS.toNanos(2);

    private ProduceCommand()
    {
    }

    static void printHelp(final PrintStream out)
    {
        out.println("usage: txmon produce --producer-id N [options] [< events.jsonl]");
        out.println();
        out.println("Publishes one event per line, from stdin or --file, to a running engine ('txmon run').");
        out.println();
        out.println("  --producer-id N      this producer's id (required). The engine drops every (producerId,");
        out.println("                       producerSeq) it has already journaled, so give each producer its own");
        out.println("                       id, and reuse an id only to continue its sequence with --first-seq");
        out.println("  --first-seq N        producer sequence of the first event (default 0); the summary prints");
        out.println("                       the value to continue from");
        out.println("  --aeron-dir DIR      media driver directory of the engine (default " +
            AeronDirectories.defaultDirectory() + ")");
        out.println("  --channel CHANNEL    the engine's ingest channel (default " +
            TransportConfiguration.DEFAULT_INGEST_CHANNEL + ")");
        out.println("  --stream N           the engine's ingest stream id (default " +
            TransportConfiguration.DEFAULT_INGEST_STREAM_ID + ")");
        out.println("  --file FILE          read FILE instead of stdin ('-' for stdin)");
        out.println("  --format F           json (default: one object per line) or csv (a header line of field");
        out.println("                       names, then one event per line; quote a value holding a comma, \"\" for");
        out.println("                       a quote; an empty value is an absent field)");
        out.println("  --rate N             send at most N events/s, paced by parking, not spinning (default 0: as");
        out.println("                       fast as the engine takes them)");
        out.println("  --on-error MODE      for an invalid line: stop (default) reports it and exits 1; skip reports");
        out.println("                       it, counts it and goes on (the exit status is then 1 too)");
        out.println("  --timeout SECONDS    longest wait for the engine to connect, and for each send while the");
        out.println("                       engine is back-pressured (default 10)");
        out.println("  --help               this text");
        out.println();
        out.println("Fields by event type ('type' names it; 'eventTime' is optional, the current time when absent):");
        for (final ParsedEvent.Type type : ParsedEvent.Type.values())
        {
            final String[] fields = type.fields();
            out.printf("  %-10s %s%n", type.label(), String.join(", ", Arrays.copyOfRange(fields, 2, fields.length)));
        }
        out.println();
        out.println("Values:");
        out.println("  eventTime        an ISO-8601 instant (2026-11-25T08:00:00.123Z) or epoch nanoseconds");
        out.println("  amount           a decimal in major units, \"1250.50\" or 1250.50, converted to minor units with");
        out.println("                   the currency's digits; more decimals than the currency has are refused");
        out.println("  currency         ISO 4217 alphabetic: EUR, USD, JPY, ...");
        out.println("  price            a decimal with at most 8 decimal places (may be left out for a cancel)");
        out.println("  ids, accounts,   whole numbers, as JSON numbers or strings of digits; accounts, quantities,");
        out.println("  quantity         amounts and prices must be positive");
        out.println("  channel          card, wire, ach, sepa, cash, crypto, cheque, internal");
        out.println("  side             buy, sell          order action: new, amend, cancel");
        out.println("  account action   open, update, close; riskRating: low, medium, high, prohibited");
        out.println("  config action    enable_rule, disable_rule, set_parameter, list_add, list_remove (the last");
        out.println("                   three need key and value)");
        out.println("  countries        2 letters (DE); venue: a 4-character MIC (XLON)");
        out.println("  latitude,        decimal degrees, both or neither, rounded to micro-degrees");
        out.println("  longitude");
        out.println("  reference, key,  text, at most 1024 bytes in UTF-8");
        out.println("  value");
        out.println();
        out.println("Example:");
        out.println("  {\"type\":\"payment\",\"txId\":1,\"debtorAccount\":11,\"creditorAccount\":22,\"amount\":\"1250.50\",");
        out.println("   \"currency\":\"EUR\",\"channel\":\"sepa\",\"debtorCountry\":\"DE\",\"creditorCountry\":\"FR\"}");
        out.println();
        out.println("Errors name the line and field: 'line 7: field 'amount': EUR has 2 decimal places; 1.005 has 3'.");
        out.println("  --ack-channel CHANNEL  where the engine publishes acknowledgements (default aeron:ipc; 'none' to");
        out.println("                       send without waiting for them). With acks, produce ends only once the engine");
        out.println("                       has journaled everything sent (or --timeout passes: exit 1), and resends");
        out.println("                       what a restarted engine did not journal.");
        out.println("  --ack-stream N       acknowledgement stream id (default " + TransportConfiguration.DEFAULT_ACK_STREAM_ID + ")");
        out.println("                       Events the engine refuses (the id is in use by another process, the sequences");
        out.println("                       were already journaled with other content, a refused config change, ...) are");
        out.println("                       reported with the engine's reason and line number, and exit 1; events it");
        out.println("                       already holds byte for byte are reported as duplicates (exit 0).");
        out.println("A line that cannot be sent (the engine stayed unreachable for --timeout) stops the run.");
        out.println("A line that is not valid UTF-8 is an invalid line like any other (--on-error applies).");
        out.println("At the end a summary goes to stderr; progress every 2 s too for long files on a terminal.");
        out.println("Exit status: 0 when every line was sent, 1 when any was not, 2 for a command line that");
        out.println("cannot be run.");
    }

    static int run(final String[] args, final PrintStream out, final PrintStream err) throws IOException
    {
        return run(args, System.in, out, err, null != System.console());
    }

    /**
     * @param args     options.
     * @param in       read when no --file is given.
     * @param out      for help.
     * @param err      for per-line errors, progress and the summary.
     * @param terminal true when a person watches: long files then show progress.
     * @return exit status.
     */
    static int run(
        final String[] args, final InputStream in, final PrintStream out, final PrintStream err, final boolean terminal)
        throws IOException
    {
        final CliArgs cli = CliArgs.parse("produce", args, OPTIONS, FLAGS);
        if (cli.has("--help"))
        {
            printHelp(out);
            return TxmonCli.EXIT_OK;
        }
        if (!cli.has("--producer-id"))
        {
            throw new CliArgs.UsageException("--producer-id is required: give this producer an id of its own " +
                "(see 'txmon produce --help')");
        }
        final long producerId = cli.getLong("--producer-id", 0, 0, Long.MAX_VALUE);
        final long firstSeq = cli.getLong("--first-seq", 0, 0, Long.MAX_VALUE);
        final int stream = (int)cli.getLong(
            "--stream", TransportConfiguration.DEFAULT_INGEST_STREAM_ID, Integer.MIN_VALUE, Integer.MAX_VALUE);
        final long rate = cli.getLong("--rate", 0, 0, 100_000_000);
        final long timeoutNs = TimeUnit.SECONDS.toNanos(cli.getLong("--timeout", 10, 1, 3600));
        final String channel = cli.get("--channel", TransportConfiguration.DEFAULT_INGEST_CHANNEL).trim();
        final String aeronDir = cli.get("--aeron-dir", AeronDirectories.defaultDirectory());
        final String format = cli.get("--format", "json").trim().toLowerCase(Locale.ROOT);
        if (!"json".equals(format) && !"csv".equals(format))
        {
            throw new CliArgs.UsageException("--format must be json or csv, not '" + cli.get("--format", "") + "'");
        }
        final String onError = cli.get("--on-error", "stop").trim();
        if (!"stop".equals(onError) && !"skip".equals(onError))
        {
            throw new CliArgs.UsageException("--on-error must be stop or skip, not '" + onError + "'");
        }
        final boolean skipInvalid = "skip".equals(onError);
        final String ackOption = cli.get("--ack-channel", TransportConfiguration.DEFAULT_ACK_CHANNEL).trim();
        final String ackChannel = "none".equalsIgnoreCase(ackOption) ? null : ackOption;
        final int ackStream = (int)cli.getLong(
            "--ack-stream", TransportConfiguration.DEFAULT_ACK_STREAM_ID, Integer.MIN_VALUE, Integer.MAX_VALUE);
        if (null != ackChannel)
        {
            try
            {
                TransportConfiguration.ackSubscriptionChannel(ackChannel);
            }
            catch (final IllegalArgumentException ex)
            {
                throw new CliArgs.UsageException("--ack-channel: " + ex.getMessage());
            }
        }
        final String fileName = cli.get("--file", "-");
        final Path file = "-".equals(fileName) ? null : Path.of(fileName);
        if (null != file && !Files.isRegularFile(file))
        {
            throw new CliArgs.UsageException("--file " + file + ": " +
                (Files.exists(file) ? "not a regular file" : "no such file") + "; give a file of events, or none for stdin");
        }

        if (!CommonContext.isDriverActive(new File(aeronDir), CommonContext.DRIVER_TIMEOUT_MS, (message) -> {}))
        {
            err.println("txmon produce: no media driver is running in " + aeronDir + "; start 'txmon run' (it prints " +
                "its aeron-dir) or give that directory with --aeron-dir");
            return TxmonCli.EXIT_FAILED;
        }

        final ReportingErrorHandler errors = new ReportingErrorHandler(err, "txmon produce: ");
        final RefusalReporter refusals = new RefusalReporter(err, firstSeq);
        try (Utf8Lines reader = new Utf8Lines(null == file ? in : Files.newInputStream(file));
            Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(aeronDir).errorHandler(errors));
            TxmonPublisher publisher = new TxmonPublisher(new TxmonPublisher.Context()
                .aeron(aeron)
                .channel(channel)
                .streamId(stream)
                .ackChannel(ackChannel)
                .ackStreamId(ackStream)
                .producerId(producerId)
                .firstProducerSeq(firstSeq)
                .ackHandler(null == ackChannel ? null : refusals)
                .idleStrategy(new BackoffIdleStrategy())
                .sendTimeoutNs(timeoutNs)))
        {
            if (!publisher.awaitConnected(timeoutNs))
            {
                err.println("txmon produce: no engine subscribes to " + channel + " stream " + stream + " in " + aeronDir +
                    " (waited " + TimeUnit.NANOSECONDS.toSeconds(timeoutNs) + " s); is 'txmon run' running with that " +
                    "--ingest and --ingest-stream?");
                return TxmonCli.EXIT_FAILED;
            }
            final LineProducer producer = new LineProducer(
                reader, publisher, err, "csv".equals(format), skipInvalid, rate,
                terminal && null != file ? Files.size(file) : -1, refusals.sentLines);
            producer.run();
            final boolean journaled = null == ackChannel ?
                summariseWithoutAcks(publisher, err) : summarise(publisher, firstSeq, timeoutNs, err);
            return producer.skipped == 0 && producer.failed == 0 && journaled ? TxmonCli.EXIT_OK : TxmonCli.EXIT_FAILED;
        }
    }

    private static boolean summariseWithoutAcks(final TxmonPublisher publisher, final PrintStream err)
    {
        err.printf(Locale.ROOT, "txmon produce: without acknowledgements nothing is confirmed journaled; producer %d " +
            "continues at --first-seq %d if the engine took everything%n", publisher.producerId(),
            publisher.nextProducerSeq());
        return true;
    }

    /**
     * Wait for the engine's answer on every event sent and say what it was.
     *
     * @return true when every event sent is journaled as sent (now, or before as a duplicate of the same bytes).
     */
    private static boolean summarise(
        final TxmonPublisher publisher, final long firstSeq, final long timeoutNs, final PrintStream err)
    {
        final long sent = publisher.nextProducerSeq() - firstSeq;
        if (sent == 0)
        {
            err.printf(Locale.ROOT, "txmon produce: nothing sent; producer %d continues at --first-seq %d%n",
                publisher.producerId(), publisher.engineNextSeq() >= 0 ? publisher.engineNextSeq() : firstSeq);
            return true;
        }
        final long last = publisher.nextProducerSeq() - 1;
        final boolean answered = publisher.awaitAnswered(last, timeoutNs);
        final long refused = publisher.refusedCount();
        final long duplicates = publisher.duplicateCount();
        final long engineNext = publisher.engineNextSeq();
        if (!answered)
        {
            final long resumeAt = engineNext >= 0 ? engineNext : publisher.acknowledgedSeq() + 1;
            err.printf(Locale.ROOT, "txmon produce: the engine answered for producer sequences up to %d of %d within " +
                "%d s: %,d events not confirmed journaled%s; run again with --first-seq %d to resend them%n",
                publisher.acknowledgedSeq(), last, TimeUnit.NANOSECONDS.toSeconds(timeoutNs),
                publisher.unacknowledgedCount(), refused > 0 ? String.format(Locale.ROOT, " and %,d refused", refused) : "",
                resumeAt);
            return false;
        }
        final String duplicateText = duplicates == 0 ? "" : String.format(Locale.ROOT,
            ", %,d of them already journaled with the same content (duplicates, not journaled again)", duplicates);
        if (refused == 0)
        {
            // every event a duplicate: nothing new was journaled, so no acknowledgement names an offset
            final long offset = publisher.acknowledgedOffset();
            err.printf(Locale.ROOT, "txmon produce: all %,d sent events journaled%s%s; producer %d continues at " +
                "--first-seq %d%n", sent, duplicateText,
                offset >= 0 ? String.format(Locale.ROOT, " (up to offset %,d)", offset) : "",
                publisher.producerId(), engineNext >= 0 ? engineNext : publisher.nextProducerSeq());
            return true;
        }
        err.printf(Locale.ROOT, "txmon produce: %,d of %,d sent events were refused and NOT journaled%s; the engine " +
            "expects producer %d to continue at --first-seq %d%n", refused, sent, duplicateText,
            publisher.producerId(), engineNext >= 0 ? engineNext : publisher.nextProducerSeq());
        return false;
    }

    /**
     * Prints each refusal of this producer's events as it arrives, with the lines they came from.
     */
    private static final class RefusalReporter implements AckHandler
    {
        private final PrintStream err;
        private final long firstSeq;
        final LongArrayList sentLines = new LongArrayList();

        RefusalReporter(final PrintStream err, final long firstSeq)
        {
            this.err = err;
            this.firstSeq = firstSeq;
        }

        public void onAck(final long producerId, final long producerSeq, final long journalOffset, final long engineEpoch)
        {
        }

        public void onRefusal(
            final long producerId,
            final long fromSeq,
            final long toSeq,
            final RejectReason reason,
            final int reasonCode,
            final long nextExpectedSeq,
            final long engineEpoch,
            final DirectBuffer detail,
            final int detailOffset,
            final int detailLength)
        {
            final long lo = Math.max(fromSeq, firstSeq);
            final long hi = Math.min(toSeq, firstSeq + sentLines.size() - 1);
            if (lo > hi)
            {
                return;
            }
            final String seqs = lo == hi ? "producer sequence " + lo : "producer sequences " + lo + "-" + hi;
            final String lines = lo == hi ? "line " + lineOf(lo) : "lines " + lineOf(lo) + "-" + lineOf(hi);
            if (reason == RejectReason.DUPLICATE)
            {
                err.println("txmon produce: " + lines + " (" + seqs + "): already journaled with the same content; " +
                    "not journaled again");
                return;
            }
            if (null != reason && reason.isTransient())
            {
                err.println("txmon produce: " + lines + " (" + seqs + "): not journaled yet, will be resent: " +
                    reason.name() + ": " + reason.description());
                return;
            }
            final String name = null == reason ? "reason code " + reasonCode : reason.name();
            final String why = null == reason ? "a reason this build does not know" : reason.description();
            final String text = detail.getStringWithoutLengthUtf8(detailOffset, detailLength);
            err.println("txmon produce: " + lines + " (" + seqs + "): refused, not journaled: " + name + ": " +
                (text.isEmpty() ? why : text + " (" + why + ")"));
        }

        private long lineOf(final long seq)
        {
            return sentLines.getLong((int)(seq - firstSeq));
        }
    }

    /**
     * Lines of a byte stream decoded as strict UTF-8, one at a time: a line that is not valid UTF-8 is an error of
     * that line (its number and the byte), not of the whole input. Lines end at LF, CR LF or CR.
     */
    static final class Utf8Lines implements AutoCloseable
    {
        private final InputStream in;
        private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
        private byte[] bytes = new byte[1024];
        private int length;
        private boolean pendingLf;
        long bytesRead;
        long lineNumber;

        Utf8Lines(final InputStream in)
        {
            this.in = new BufferedInputStream(in, 64 * 1024);
        }

        /**
         * @return the next line without its end, or null at the end of the input.
         * @throws EventLineParser.InvalidLineException if the line is not valid UTF-8; the next call reads on.
         */
        String next() throws IOException, EventLineParser.InvalidLineException
        {
            length = 0;
            int b;
            boolean any = false;
            while ((b = in.read()) >= 0)
            {
                bytesRead++;
                if (pendingLf)
                {
                    pendingLf = false;
                    if (b == '\n')
                    {
                        continue;
                    }
                }
                any = true;
                if (b == '\n')
                {
                    break;
                }
                if (b == '\r')
                {
                    pendingLf = true;
                    break;
                }
                if (length == bytes.length)
                {
                    bytes = java.util.Arrays.copyOf(bytes, bytes.length * 2);
                }
                bytes[length++] = (byte)b;
            }
            if (!any)
            {
                return null;
            }
            lineNumber++;
            final ByteBuffer input = ByteBuffer.wrap(bytes, 0, length);
            final CharBuffer output = CharBuffer.allocate(length);
            decoder.reset();
            CoderResult result = decoder.decode(input, output, true);
            if (!result.isError())
            {
                result = decoder.flush(output);
            }
            if (result.isError())
            {
                final int at = input.position();
                throw new EventLineParser.InvalidLineException(null, String.format(Locale.ROOT,
                    "not valid UTF-8: byte %d of the line is 0x%02X, which cannot %s; save the input as UTF-8",
                    at + 1, bytes[at] & 0xFF, result.isMalformed() ? "start or continue a character there" :
                    "be decoded"));
            }
            output.flip();
            return output.toString();
        }

        public void close() throws IOException
        {
            in.close();
        }
    }

    /**
     * The read, parse, pace and send loop, with its counts.
     */
    private static final class LineProducer
    {
        private final Utf8Lines reader;
        private final LongArrayList sentLines;
        private final TxmonPublisher publisher;
        private final PrintStream err;
        private final boolean csv;
        private final boolean skipInvalid;
        private final long intervalNs;
        private final long fileBytes;
        private long sent;
        private long skipped;
        private long failed;
        private long lineNumber;

        LineProducer(
            final Utf8Lines reader,
            final TxmonPublisher publisher,
            final PrintStream err,
            final boolean csv,
            final boolean skipInvalid,
            final long rate,
            final long fileBytes,
            final LongArrayList sentLines)
        {
            this.reader = reader;
            this.sentLines = sentLines;
            this.publisher = publisher;
            this.err = err;
            this.csv = csv;
            this.skipInvalid = skipInvalid;
            this.intervalNs = rate == 0 ? 0 : Math.max(1, TimeUnit.SECONDS.toNanos(1) / rate);
            this.fileBytes = fileBytes;
        }

        void run() throws IOException
        {
            final long start = System.nanoTime();
            long nextProgress = start + PROGRESS_INTERVAL_NS;
            final EventLineParser parser = csv ? readHeader() : EventLineParser.json(ProduceCommand::epochNanos);
            if (null != parser)
            {
                while (true)
                {
                    final ParsedEvent event;
                    try
                    {
                        final String line = nextLine();
                        if (null == line)
                        {
                            break;
                        }
                        if (line.isBlank())
                        {
                            continue;
                        }
                        event = parser.parse(line);
                    }
                    catch (final EventLineParser.InvalidLineException ex)
                    {
                        err.println("line " + lineNumber + ": " + ex.getMessage());
                        if (skipInvalid)
                        {
                            skipped++;
                            continue;
                        }
                        failed++;
                        break;
                    }

                    if (intervalNs > 0)
                    {
                        pace(start + (sent + failed) * intervalNs);
                    }
                    final long result = event.send(publisher);
                    if (result < 0)
                    {
                        failed++;
                        err.println("line " + lineNumber + ": not sent: " + TxmonPublisher.describe(result) +
                            "; stopped here so that no later line overtakes it");
                        break;
                    }
                    sent++;
                    sentLines.addLong(lineNumber);

                    if (fileBytes >= 0 && lineNumber >= PROGRESS_AFTER_LINES)
                    {
                        final long now = System.nanoTime();
                        if (now - nextProgress >= 0)
                        {
                            nextProgress = now + PROGRESS_INTERVAL_NS;
                            progress(now - start);
                        }
                    }
                }
            }
            final long elapsedNs = Math.max(1, System.nanoTime() - start);
            err.printf(Locale.ROOT, "txmon produce: sent %,d, skipped %,d, failed %,d in %.3f s (%,.0f events/s)%n",
                sent, skipped, failed, elapsedNs / 1e9, sent * 1e9 / elapsedNs);
        }

        private EventLineParser readHeader() throws IOException
        {
            try
            {
                String header;
                while ((header = nextLine()) != null && header.isBlank())
                {
                    // the header is the first line that is not blank
                }
                if (null == header)
                {
                    return null;
                }
                return EventLineParser.csv(header, ProduceCommand::epochNanos);
            }
            catch (final EventLineParser.InvalidLineException ex)
            {
                err.println("line " + lineNumber + ": " + ex.getMessage());
                failed++;
                return null;
            }
        }

        private String nextLine() throws IOException, EventLineParser.InvalidLineException
        {
            try
            {
                String line = reader.next();
                if (null != line && reader.lineNumber == 1 && !line.isEmpty() && line.charAt(0) == '\uFEFF')
                {
                    line = line.substring(1);
                }
                return line;
            }
            finally
            {
                lineNumber = reader.lineNumber;
            }
        }

        private void progress(final long elapsedNs)
        {
            err.printf(Locale.ROOT, "txmon produce: %,d lines read%s, %,d sent, %,d skipped, %,d failed, %,.0f events/s%n",
                lineNumber,
                fileBytes > 0 ? String.format(Locale.ROOT, " (about %d%%)", Math.min(100, reader.bytesRead * 100 / fileBytes)) : "",
                sent, skipped, failed, sent * 1e9 / elapsedNs);
        }
    }

    /**
     * Open loop: park until the intended send time. No spinning, so a paced producer leaves the cores to the
     * engine.
     */
    private static void pace(final long intendedNs)
    {
        long now;
        while ((now = System.nanoTime()) - intendedNs < 0)
        {
            LockSupport.parkNanos(intendedNs - now);
        }
    }

    private static long epochNanos()
    {
        final Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }
}
