package io.txmon.tools;

import io.txmon.cli.CliArgs;
import io.txmon.journal.Journal;
import io.txmon.journal.JournalDescriptor;
import io.txmon.journal.JournalMetadata;
import io.txmon.journal.JournalReader;
import io.txmon.journal.JournalVerifier;
import io.txmon.journal.RecordHandler;
import io.txmon.journal.Seal;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code txmon journal}: look inside a journal directory, the event journal or the alert journal. {@code info}
 * describes its segments, {@code dump} prints records by offset or time range, {@code verify} checks everything
 * the journal can check about itself, and {@code index --rebuild} rewrites the sparse indexes.
 */
final class JournalCommand
{
    private static final Set<String> NO_OPTIONS = Set.of();
    private static final Set<String> HELP = Set.of("--help");
    private static final Set<String> INFO_OPTIONS = Set.of("--format");
    private static final Set<String> DUMP_OPTIONS = Set.of(
        "--from-offset", "--to-offset", "--from-time", "--to-time", "--limit", "--format");
    private static final Set<String> VERIFY_OPTIONS = Set.of("--anchor");
    private static final Set<String> VERIFY_FLAGS = Set.of("--all", "--help");
    private static final Set<String> REPAIR_FLAGS = Set.of("--execute", "--help");
    private static final Set<String> INDEX_FLAGS = Set.of("--rebuild", "--help");
    private static final int BATCH = 256;

    private JournalCommand()
    {
    }

    static int run(final String[] args, final PrintStream out, final PrintStream err) throws IOException
    {
        if (args.length == 0 || "--help".equals(args[0]))
        {
            if (args.length == 0)
            {
                throw new CliArgs.UsageException("which one: info, dump, verify, index or repair? see 'txmon journal --help'");
            }
            printHelp(out);
            return ToolsCli.EXIT_OK;
        }
        final String sub = args[0];
        final String[] rest = java.util.Arrays.copyOfRange(args, 1, args.length);
        switch (sub)
        {
            case "info":
                return info(rest, out);
            case "dump":
                return dump(rest, out, err);
            case "verify":
                return verify(rest, out);
            case "index":
                return index(rest, out);
            case "repair":
                return repair(rest, out);
            default:
                throw new CliArgs.UsageException("unknown subcommand '" + sub +
                    "': give info, dump, verify, index or repair; see 'txmon journal --help'");
        }
    }

    static void printHelp(final PrintStream out)
    {
        out.println("usage: txmon journal info|dump|verify|index|repair DIR [options]");
        out.println();
        out.println("Looks inside a journal directory: the event journal or the alert journal.");
        out.println();
        out.println("  info DIR            segments, records, offsets, time range, bytes, seals and indexes");
        out.println("  dump DIR            print records, by offset or time range (see 'txmon journal dump --help')");
        out.println("  verify DIR          check CRCs, offsets, timestamps, indexes and seals; exit 1 on a problem");
        out.println("  index DIR --rebuild rewrite every segment's sparse index from the segment");
        out.println("  repair DIR          what a cut of the damaged end of the last segment would lose; --execute cuts");
        out.println("  --help              this text; 'txmon journal SUBCOMMAND --help' for each");
    }

    private static void printHelp(final String sub, final PrintStream out)
    {
        switch (sub)
        {
            case "info":
                out.println("usage: txmon journal info DIR [--format text|json]");
                out.println();
                out.println("  --format F          text (default) or json: one JSON object");
                out.println("  --help              this text");
                break;
            case "dump":
                out.println("usage: txmon journal dump DIR [options]");
                out.println();
                out.println("Prints records in offset order, one per line, with offset, ingest time and template.");
                out.println("Times: ISO 8601 (2026-11-25T10:15:30Z, 2026-11-25), -15m, -2h, -7d, now, or epoch nanos.");
                out.println();
                out.println("  --from-offset N     first offset to print (default: the journal's first)");
                out.println("  --to-offset N       last offset to print, inclusive");
                out.println("  --from-time T       start at the first record ingested at or after T");
                out.println("  --to-time T         stop after the last record ingested at or before T");
                out.println("  --limit N           print at most N records");
                out.println("  --format F          text (default), json (one object per line) or csv (with a header)");
                out.println("  --help              this text");
                break;
            case "verify":
                out.println("usage: txmon journal verify DIR [--all] [--anchor END:HASH]");
                out.println();
                out.println("Exit 0 and 'ok' when it checks out; 1 naming the segment and offset of a problem.");
                out.println();
                out.println("  --all               list every problem, not only the first");
                out.println("  --anchor END:HASH   the 'anchor:' line of an earlier 'txmon journal info', kept off this");
                out.println("                      host: the journal must still extend it (same seal at END, chain intact)");
                out.println("  --help              this text");
                break;
            case "repair":
                out.println("usage: txmon journal repair DIR [--execute]");
                out.println();
                out.println("When the writer refuses to open because a record near the end of the last segment is");
                out.println("damaged and valid records follow it, this says what a cut at the damaged record would");
                out.println("remove: the segment, offset, position, bytes and valid records lost. Nothing changes");
                out.println("without --execute. Stop the writer first.");
                out.println();
                out.println("  --execute           cut: copy the bytes to <segment>.cut-<position> beside the journal,");
                out.println("                      then zero them in the segment");
                out.println("  --help              this text");
                break;
            default:
                out.println("usage: txmon journal index DIR [--rebuild]");
                out.println();
                out.println("Without --rebuild, shows which segments have an index file. Stop the writer first.");
                out.println();
                out.println("  --rebuild           rewrite every segment's index file from a scan of the segment");
                out.println("  --help              this text");
                break;
        }
    }

    private static Path target(final String sub, final String[] args, final Set<String> withValue)
    {
        final List<String> positional = JournalDirs.positional(args, withValue);
        if (positional.isEmpty())
        {
            throw new CliArgs.UsageException("journal " + sub + " needs the journal directory; see 'txmon journal " +
                sub + " --help'");
        }
        if (positional.size() > 1)
        {
            throw new CliArgs.UsageException("journal " + sub + " takes one journal directory, not '" +
                String.join(" ", positional) + "'");
        }
        return JournalDirs.journal(positional.get(0), "journal " + sub);
    }

    private static CliArgs parse(
        final String sub, final String[] args, final Set<String> withValue, final Set<String> flags)
    {
        return CliArgs.parse("journal " + sub, JournalDirs.options(args, withValue), withValue, flags);
    }

    private static int info(final String[] args, final PrintStream out)
    {
        final CliArgs cli = parse("info", args, INFO_OPTIONS, HELP);
        if (cli.has("--help"))
        {
            printHelp("info", out);
            return ToolsCli.EXIT_OK;
        }
        final EventFormat.Style style = EventFormat.Style.parse("--format", cli.get("--format", "text"), false);
        final Path dir = target("info", args, INFO_OPTIONS);
        final JournalMetadata metadata = JournalMetadata.read(dir);
        final List<Journal.SegmentInfo> segments = Journal.segments(dir);
        final int version = null == metadata ? JournalDescriptor.FORMAT_VERSION : metadata.formatVersion();
        final int interval = null == metadata ? JournalDescriptor.DEFAULT_INDEX_INTERVAL : metadata.indexInterval();

        long records = 0;
        long bytes = 0;
        long firstTime = Long.MIN_VALUE;
        long lastTime = Long.MIN_VALUE;
        for (final Journal.SegmentInfo segment : segments)
        {
            records += segment.records();
            bytes += segment.fileBytes();
            if (segment.records() > 0)
            {
                firstTime = firstTime == Long.MIN_VALUE ? segment.firstTimestamp() : firstTime;
                lastTime = segment.lastTimestamp();
            }
        }
        final long firstOffset = segments.isEmpty() ? 0 : segments.get(0).baseOffset();
        final long endOffset = segments.isEmpty() ? 0 : segments.get(segments.size() - 1).endOffset();
        final Seal newest = Seal.newest(dir);

        final StringBuilder b = new StringBuilder(1024);
        if (style == EventFormat.Style.JSON)
        {
            b.append("{\"journal\":\"").append(dir.toString().replace("\\", "\\\\").replace("\"", "\\\""))
                .append("\",\"formatVersion\":").append(version)
                .append(",\"metadata\":").append(null != metadata)
                .append(",\"indexInterval\":").append(interval)
                .append(",\"segmentCount\":").append(segments.size())
                .append(",\"records\":").append(records)
                .append(",\"bytes\":").append(bytes)
                .append(",\"firstOffset\":").append(firstOffset)
                .append(",\"endOffset\":").append(endOffset)
                .append(",\"firstTime\":").append(jsonTime(firstTime))
                .append(",\"lastTime\":").append(jsonTime(lastTime))
                .append(",\"anchor\":").append(null == newest ? "null" : "\"" + newest.anchor() + "\"")
                .append(",\"segments\":[");
            for (int i = 0; i < segments.size(); i++)
            {
                final Journal.SegmentInfo s = segments.get(i);
                b.append(i == 0 ? "" : ",")
                    .append("{\"file\":\"").append(JournalDescriptor.segmentFileName(s.baseOffset()))
                    .append("\",\"baseOffset\":").append(s.baseOffset())
                    .append(",\"records\":").append(s.records())
                    .append(",\"firstOffset\":").append(s.records() > 0 ? Long.toString(s.baseOffset()) : "null")
                    .append(",\"lastOffset\":").append(s.records() > 0 ? Long.toString(s.endOffset() - 1) : "null")
                    .append(",\"firstTime\":").append(jsonTime(s.records() > 0 ? s.firstTimestamp() : Long.MIN_VALUE))
                    .append(",\"lastTime\":").append(jsonTime(s.records() > 0 ? s.lastTimestamp() : Long.MIN_VALUE))
                    .append(",\"bytes\":").append(s.fileBytes())
                    .append(",\"state\":\"").append(state(s))
                    .append("\",\"index\":").append(hasIndex(dir, s.baseOffset()))
                    .append('}');
            }
            b.append("]}");
            out.println(b);
            return ToolsCli.EXIT_OK;
        }

        out.println("journal " + dir);
        out.println("format version " + version + (null == metadata ? " (no " + JournalDescriptor.METADATA_FILE_NAME +
            ")" : "") + ", index interval " + interval +
            (null == metadata ? "" : ", created " + metadata.created()));
        out.println("segments " + segments.size() + ", records " + records + ", bytes " + bytes);
        out.println("offsets " + (records > 0 ? firstOffset + ".." + (endOffset - 1) : "none") +
            ", first offset " + firstOffset + ", end offset " + endOffset);
        out.println("time " + (records > 0 ? TimeArgs.format(firstTime) + " .. " + TimeArgs.format(lastTime) : "none"));
        out.println("anchor: " + (null == newest ? "none (no segment is sealed yet)" : newest.anchor()) +
            (null == newest ? "" : "  (seal of the first " + newest.endOffset() + " offsets; keep it off this host, " +
            "check with 'txmon journal verify --anchor')"));
        out.println(String.format("%-20s %10s %-25s %-32s %-32s %12s %-7s %s", "segment", "records", "offsets",
            "first time", "last time", "bytes", "state", "index"));
        for (final Journal.SegmentInfo s : segments)
        {
            final boolean some = s.records() > 0;
            out.println(String.format("%-20s %10d %-25s %-32s %-32s %12d %-7s %s",
                JournalDescriptor.segmentFileName(s.baseOffset()).replace(JournalDescriptor.SEGMENT_SUFFIX, ""),
                s.records(), some ? s.baseOffset() + ".." + (s.endOffset() - 1) : "-",
                some ? TimeArgs.format(s.firstTimestamp()) : "-", some ? TimeArgs.format(s.lastTimestamp()) : "-",
                s.fileBytes(), state(s), hasIndex(dir, s.baseOffset()) ? "yes" : "missing"));
        }
        return ToolsCli.EXIT_OK;
    }

    private static String state(final Journal.SegmentInfo segment)
    {
        return segment.sealed() ? "sealed" : segment.active() ? "active" : "full";
    }

    private static String jsonTime(final long time)
    {
        return time == Long.MIN_VALUE ? "null" : "\"" + TimeArgs.format(time) + "\"";
    }

    private static boolean hasIndex(final Path dir, final long baseOffset)
    {
        return Files.exists(dir.resolve(JournalDescriptor.indexFileName(baseOffset)));
    }

    private static int dump(final String[] args, final PrintStream out, final PrintStream err) throws IOException
    {
        final CliArgs cli = parse("dump", args, DUMP_OPTIONS, HELP);
        if (cli.has("--help"))
        {
            printHelp("dump", out);
            return ToolsCli.EXIT_OK;
        }
        final EventFormat.Style style = EventFormat.Style.parse("--format", cli.get("--format", "text"), true);
        final long fromOffset = cli.getLong("--from-offset", -1, 0, Long.MAX_VALUE);
        final long toOffset = cli.getLong("--to-offset", Long.MAX_VALUE, 0, Long.MAX_VALUE);
        final long limit = cli.getLong("--limit", Long.MAX_VALUE, 1, Long.MAX_VALUE);
        final long now = System.currentTimeMillis() * 1_000_000L;
        final long fromTime = cli.has("--from-time") ?
            TimeArgs.parse("--from-time", cli.get("--from-time", null), now) : Long.MIN_VALUE;
        final long toTime = cli.has("--to-time") ?
            TimeArgs.parse("--to-time", cli.get("--to-time", null), now) : Long.MAX_VALUE;
        if (fromOffset > toOffset)
        {
            throw new CliArgs.UsageException("--from-offset " + fromOffset + " is after --to-offset " + toOffset +
                ": the range is reversed");
        }
        if (fromTime > toTime)
        {
            throw new CliArgs.UsageException("--from-time " + TimeArgs.format(fromTime) + " is after --to-time " +
                TimeArgs.format(toTime) + ": the range is reversed");
        }
        final Path dir = target("dump", args, DUMP_OPTIONS);

        final List<Journal.SegmentInfo> segments = Journal.segments(dir);
        final long firstOffset = segments.get(0).baseOffset();
        final long endOffset = segments.get(segments.size() - 1).endOffset();
        if (fromOffset >= 0 && fromOffset >= endOffset)
        {
            throw new CliArgs.UsageException("--from-offset " + fromOffset +
                " is beyond the end: the journal ends at offset " + endOffset +
                (endOffset > 0 ? " (its last record is " + (endOffset - 1) + ")" : " (empty)"));
        }
        if (fromOffset >= 0 && fromOffset < firstOffset)
        {
            throw new CliArgs.UsageException("--from-offset " + fromOffset +
                " is no longer in the journal: it starts at offset " + firstOffset +
                " (retention removed the segments before)");
        }

        final boolean alerts = JournalDirs.isAlertJournal(dir);
        final EventFormat format = new EventFormat(style);
        final JournalDirs.Lines writer = new JournalDirs.Lines(out);
        final JournalDirs.Progress progress = new JournalDirs.Progress(err, "records dumped");
        final long[] printed = { 0 };
        final boolean[] done = { false };
        final RecordHandler printer = (offset, timestamp, templateId, buffer, payloadOffset, payloadLength) ->
        {
            if (done[0])
            {
                return;
            }
            if (offset > toOffset || timestamp > toTime)
            {
                done[0] = true;
                return;
            }
            try
            {
                writer.line(format.format(offset, timestamp, templateId, buffer, payloadOffset, payloadLength));
                printed[0]++;
                progress.update(printed[0], offset, writer);
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
            done[0] = printed[0] >= limit;
        };

        try (JournalReader reader = JournalReader.open(dir))
        {
            if (style == EventFormat.Style.CSV)
            {
                writer.line(EventFormat.csvHeader(alerts));
            }
            boolean found = true;
            if (fromTime != Long.MIN_VALUE)
            {
                final long at = reader.seekTime(fromTime);
                found = at != JournalReader.NOT_FOUND;
                if (found && fromOffset > at)
                {
                    found = reader.seek(fromOffset);
                }
            }
            else if (fromOffset >= 0)
            {
                found = reader.seek(fromOffset);
            }
            // bounded: every poll either advances through a journal that ends, or returns 0 at its end; it never
            // reads past the last offset asked for, so a damaged record after the range does not stop the dump
            while (found && !done[0])
            {
                final long inRange = toOffset == Long.MAX_VALUE ? Long.MAX_VALUE : toOffset - reader.nextOffset() + 1;
                final long wanted = Math.min(inRange, limit - printed[0]);
                if (wanted <= 0 || reader.poll(printer, (int)Math.min(BATCH, wanted)) == 0)
                {
                    break;
                }
            }
        }
        catch (final UncheckedIOException ex)
        {
            throw ex.getCause();
        }
        finally
        {
            progress.done();
            writer.flush();
        }
        return ToolsCli.EXIT_OK;
    }

    private static int verify(final String[] args, final PrintStream out)
    {
        final CliArgs cli = parse("verify", args, VERIFY_OPTIONS, VERIFY_FLAGS);
        if (cli.has("--help"))
        {
            printHelp("verify", out);
            return ToolsCli.EXIT_OK;
        }
        JournalVerifier.Anchor anchor = null;
        if (cli.has("--anchor"))
        {
            try
            {
                anchor = JournalVerifier.Anchor.parse(cli.get("--anchor", ""));
            }
            catch (final IllegalArgumentException ex)
            {
                throw new CliArgs.UsageException("--anchor: " + ex.getMessage());
            }
        }
        final Path dir = target("verify", args, VERIFY_OPTIONS);
        final boolean all = cli.has("--all");
        final List<JournalVerifier.Problem> problems = new ArrayList<>();
        final JournalVerifier.Report report = JournalVerifier.verify(dir, (problem) ->
        {
            problems.add(problem);
            return all;
        }, anchor);
        final String counts = report.segments() + " segments, " + report.records() + " records, offsets " +
            report.firstOffset() + ".." + (report.endOffset() - 1) + ", end offset " + report.endOffset();
        if (report.ok())
        {
            out.println("ok: " + counts + (null == anchor ? "" : "; extends anchor " + anchor.endOffset() + ":" +
                org.agrona.BitUtil.toHex(anchor.hash())));
            return ToolsCli.EXIT_OK;
        }
        for (final JournalVerifier.Problem problem : problems)
        {
            out.println("problem: " + problem);
        }
        out.println("FAILED: " + (all ? report.problems() + " problem(s)" : "stopped at the first problem; --all " +
            "lists every one") + "; checked " + counts);
        return ToolsCli.EXIT_FAILED;
    }

    private static int repair(final String[] args, final PrintStream out)
    {
        final CliArgs cli = parse("repair", args, NO_OPTIONS, REPAIR_FLAGS);
        if (cli.has("--help"))
        {
            printHelp("repair", out);
            return ToolsCli.EXIT_OK;
        }
        final Path dir = target("repair", args, NO_OPTIONS);
        if (!cli.has("--execute"))
        {
            final Journal.RepairPlan plan = Journal.planRepair(dir);
            if (null == plan)
            {
                out.println("nothing to cut: the last segment ends cleanly after its last valid record");
                return ToolsCli.EXIT_OK;
            }
            out.println("would cut " + describe(plan, false));
            out.println("dry run: nothing changed; 'txmon journal repair " + dir + " --execute' cuts, keeping a copy " +
                "of the bytes beside the segment");
            return ToolsCli.EXIT_OK;
        }
        final Journal.RepairResult result = Journal.repair(dir);
        if (null == result)
        {
            out.println("nothing to cut: the last segment ends cleanly after its last valid record");
            return ToolsCli.EXIT_OK;
        }
        out.println("cut " + describe(result.plan(), true));
        out.println("the cut bytes are in " + result.copy());
        return ToolsCli.EXIT_OK;
    }

    private static String describe(final Journal.RepairPlan plan, final boolean done)
    {
        return plan.bytes() + " bytes of segment " + plan.segment() + " from offset " + plan.offset() +
            " (position " + plan.position() + "): " + (plan.validRecordsLost() == 0 ?
            "no valid record among them (a torn tail)" :
            plan.validRecordsLost() + " valid record(s) after the damaged one " + (done ? "were" : "would be") + " lost");
    }

    private static int index(final String[] args, final PrintStream out) throws IOException
    {
        final CliArgs cli = parse("index", args, NO_OPTIONS, INDEX_FLAGS);
        if (cli.has("--help"))
        {
            printHelp("index", out);
            return ToolsCli.EXIT_OK;
        }
        final Path dir = target("index", args, NO_OPTIONS);
        final List<Journal.SegmentInfo> segments = Journal.segments(dir);
        final List<String> missing = new ArrayList<>();
        for (final Journal.SegmentInfo segment : segments)
        {
            if (!hasIndex(dir, segment.baseOffset()))
            {
                missing.add(JournalDescriptor.indexFileName(segment.baseOffset()));
            }
        }
        if (!cli.has("--rebuild"))
        {
            out.println(segments.size() + " segments, " + (segments.size() - missing.size()) + " with an index file" +
                (missing.isEmpty() ? "" : "; missing: " + String.join(" ", missing) +
                " (readers scan instead; 'txmon journal index " + dir + " --rebuild' writes them)"));
            return ToolsCli.EXIT_OK;
        }
        final int rebuilt = Journal.rebuildIndexes(dir);
        long bytes = 0;
        for (final Journal.SegmentInfo segment : segments)
        {
            bytes += Files.size(dir.resolve(JournalDescriptor.indexFileName(segment.baseOffset())));
        }
        out.println("rebuilt the indexes of " + rebuilt + " segments (" + bytes + " bytes); " +
            (missing.isEmpty() ? "none was missing" : missing.size() + " were missing: " + String.join(" ", missing)));
        return ToolsCli.EXIT_OK;
    }
}
