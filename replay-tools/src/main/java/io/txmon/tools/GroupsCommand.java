package io.txmon.tools;

import io.txmon.cli.CliArgs;
import io.txmon.journal.Journal;
import io.txmon.journal.JournalCursor;
import io.txmon.journal.JournalException;
import io.txmon.journal.JournalReader;
import io.txmon.journal.RecordHandler;
import org.agrona.DirectBuffer;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * {@code txmon groups}: the consumer groups of a journal, like {@code kafka-consumer-groups}. A group is a
 * journal's named cursor ({@link JournalCursor}): a committed position, the next offset its consumer reads.
 * <ul>
 *     <li>{@code --list}: the names of the groups;</li>
 *     <li>{@code --describe [--group NAME]}: position, end offset, lag, state (active while a consumer holds
 *     the cursor, idle otherwise) and the ingest time of the record at the position;</li>
 *     <li>{@code --reset-offsets --group NAME} with one target: a dry run that prints the current and the new
 *     position, or with {@code --execute} a commit of the new position. Refused while the group is active.</li>
 * </ul>
 * Deleting a group is not offered: the journal's cursor API has no way to delete a cursor.
 */
final class GroupsCommand
{
    private static final String LIST = "--list";
    private static final String DESCRIBE = "--describe";
    private static final String RESET = "--reset-offsets";
    private static final String TO_EARLIEST = "--to-earliest";
    private static final String TO_LATEST = "--to-latest";
    private static final String TO_OFFSET = "--to-offset";
    private static final String TO_DATETIME = "--to-datetime";
    private static final String SHIFT_BY = "--shift-by";

    private static final Set<String> OPTIONS = Set.of(
        "--journal", "--group", "--format", TO_OFFSET, TO_DATETIME, SHIFT_BY);
    private static final Set<String> FLAGS = Set.of(
        LIST, DESCRIBE, RESET, TO_EARLIEST, TO_LATEST, "--execute", "--help");
    private static final List<String> ACTIONS = List.of(LIST, DESCRIBE, RESET);
    private static final List<String> TARGETS = List.of(TO_EARLIEST, TO_LATEST, TO_OFFSET, TO_DATETIME, SHIFT_BY);

    /** No record at a group's position, so no ingest time to show. */
    private static final long NO_TIME = Long.MIN_VALUE;

    private GroupsCommand()
    {
    }

    /**
     * @param out for the help text.
     */
    static void printHelp(final PrintStream out)
    {
        out.println("usage: txmon groups --journal DIR (--list | --describe [--group NAME] |");
        out.println("                    --reset-offsets --group NAME TARGET [--execute]) [--format text|json]");
        out.println();
        out.println("The consumer groups of a journal, like kafka-consumer-groups: each is a named cursor, the next");
        out.println("offset its consumer reads. Lag is the end offset minus the position.");
        out.println();
        out.println("  --journal DIR       the journal directory (required)");
        out.println("  --list              the names of the groups");
        out.println("  --describe          position, end offset, lag, state (active/idle) and the ingest time of");
        out.println("                      the record at the position, of every group or of --group");
        out.println("  --group NAME        the group to describe or reset");
        out.println("  --reset-offsets     move the group's position to one TARGET; a dry run unless --execute;");
        out.println("                      refused while a consumer has the group open");
        out.println("  --to-earliest       TARGET: the first offset the journal holds");
        out.println("  --to-latest         TARGET: the end of the journal (only new records)");
        out.println("  --to-offset N       TARGET: offset N, from the first offset to the end");
        out.println("  --to-datetime T     TARGET: the first record at or after T, or the end; T is ISO 8601");
        out.println("                      (2026-11-25T10:15:30Z, 2026-11-25), back from now (-15m, -2h), now,");
        out.println("                      or epoch nanoseconds");
        out.println("  --shift-by N        TARGET: the position plus N (negative goes back), kept within the");
        out.println("                      first offset and the end");
        out.println("  --execute           commit the new position (without it nothing changes)");
        out.println("  --format F          text (default) or json: one JSON object per line");
        out.println("  --help              this text");
    }

    /**
     * @param args after {@code groups}.
     * @param out  for results.
     * @param err  for notes, such as a clamped shift.
     * @return exit status; a bad command line is a {@link CliArgs.UsageException}, a group held by a consumer
     * an {@link IllegalStateException}.
     */
    static int run(final String[] args, final PrintStream out, final PrintStream err)
    {
        final CliArgs cli = CliArgs.parse("groups", args, OPTIONS, FLAGS);
        if (cli.has("--help"))
        {
            printHelp(out);
            return ToolsCli.EXIT_OK;
        }
        if (!cli.has("--journal"))
        {
            throw new CliArgs.UsageException("--journal DIR is required: the journal whose groups to show");
        }
        final String action = action(cli);
        final String target = target(cli, action);
        final String format = cli.get("--format", "text").trim();
        if (!"text".equals(format) && !"json".equals(format))
        {
            throw new CliArgs.UsageException("--format must be text or json, not '" + format + "'");
        }
        final boolean json = "json".equals(format);
        final Path dir = journalDir(cli.get("--journal", null));

        if (LIST.equals(action))
        {
            return list(dir, json, out);
        }
        if (DESCRIBE.equals(action))
        {
            return describe(dir, cli.has("--group") ? cli.get("--group", null) : null, json, out, err);
        }
        return reset(dir, cli, target, json, out, err);
    }

    private static String action(final CliArgs cli)
    {
        final List<String> actions = given(cli, ACTIONS);
        if (actions.isEmpty())
        {
            throw new CliArgs.UsageException((cli.has("--execute") ? "--execute needs an action; " : "") +
                "give one of --list, --describe or --reset-offsets (see 'txmon groups --help')");
        }
        if (actions.size() > 1)
        {
            throw new CliArgs.UsageException("give one action, not both " + actions.get(0) + " and " + actions.get(1));
        }
        final String action = actions.get(0);
        if (cli.has("--execute") && !RESET.equals(action))
        {
            throw new CliArgs.UsageException("--execute goes only with --reset-offsets: " + action +
                " changes nothing");
        }
        if (LIST.equals(action) && cli.has("--group"))
        {
            throw new CliArgs.UsageException("--list shows every group and takes no --group; to see one group, " +
                "use --describe --group NAME");
        }
        return action;
    }

    private static String target(final CliArgs cli, final String action)
    {
        final List<String> targets = given(cli, TARGETS);
        if (!RESET.equals(action))
        {
            if (!targets.isEmpty())
            {
                throw new CliArgs.UsageException(targets.get(0) + " goes only with --reset-offsets");
            }
            return null;
        }
        if (!cli.has("--group"))
        {
            throw new CliArgs.UsageException("--reset-offsets needs --group NAME: one group at a time");
        }
        if (targets.isEmpty())
        {
            throw new CliArgs.UsageException("--reset-offsets needs a target: one of --to-earliest, --to-latest, " +
                "--to-offset N, --to-datetime T or --shift-by N");
        }
        if (targets.size() > 1)
        {
            throw new CliArgs.UsageException("give one reset target, not both " + targets.get(0) + " and " +
                targets.get(1));
        }
        // values are checked now, before the journal is read
        cli.getLong(TO_OFFSET, 0, 0, Long.MAX_VALUE);
        cli.getLong(SHIFT_BY, 0, -Long.MAX_VALUE, Long.MAX_VALUE);
        if (cli.has(TO_DATETIME))
        {
            TimeArgs.parse(TO_DATETIME, cli.get(TO_DATETIME, null), nowNanos());
        }
        return targets.get(0);
    }

    private static List<String> given(final CliArgs cli, final List<String> options)
    {
        final List<String> given = new ArrayList<>();
        for (final String option : options)
        {
            if (cli.has(option))
            {
                given.add(option);
            }
        }
        return given;
    }

    private static Path journalDir(final String text)
    {
        final Path dir;
        try
        {
            dir = Path.of(text);
        }
        catch (final InvalidPathException ex)
        {
            throw new CliArgs.UsageException("--journal '" + text + "' is not a path: " + ex.getMessage());
        }
        if (!Files.isDirectory(dir))
        {
            throw new CliArgs.UsageException("no journal directory at " + dir + "; give the directory of a journal");
        }
        return dir;
    }

    private static int list(final Path dir, final boolean json, final PrintStream out)
    {
        for (final String name : JournalCursor.list(dir))
        {
            out.println(json ? "{\"group\":" + quote(name) + "}" : name);
        }
        return ToolsCli.EXIT_OK;
    }

    private static int describe(
        final Path dir, final String group, final boolean json, final PrintStream out, final PrintStream err)
    {
        final List<String> all = JournalCursor.list(dir);
        final List<String> names = null == group ? all : List.of(known(dir, all, group));
        if (names.isEmpty())
        {
            err.println("txmon groups: journal " + dir + " has no groups: no consumer has committed a position");
            return ToolsCli.EXIT_OK;
        }

        final List<String[]> rows = new ArrayList<>();
        rows.add(new String[]{ "GROUP", "POSITION", "END-OFFSET", "LAG", "STATE", "POSITION-TIME" });
        try (JournalReader reader = JournalReader.open(dir))
        {
            final long first = reader.firstOffset();
            final long end = Journal.endOffset(dir);
            final TimestampHolder holder = new TimestampHolder();
            for (final String name : names)
            {
                final long position = JournalCursor.read(dir, name);
                final long lag = JournalCursor.lag(end, position);
                final String state = JournalCursor.isActive(dir, name) ? "active" : "idle";
                final long timestamp = timestampAt(reader, holder, position, first, end);
                if (json)
                {
                    out.println("{\"group\":" + quote(name) +
                        ",\"position\":" + (position < 0 ? "null" : Long.toString(position)) +
                        ",\"end_offset\":" + end +
                        ",\"lag\":" + lag +
                        ",\"state\":\"" + state + "\"" +
                        ",\"position_time_ns\":" + (NO_TIME == timestamp ? "null" : Long.toString(timestamp)) +
                        ",\"position_time\":" + (NO_TIME == timestamp ? "null" : quote(TimeArgs.format(timestamp))) +
                        "}");
                }
                else
                {
                    rows.add(new String[]{
                        name,
                        position < 0 ? "-" : Long.toString(position),
                        Long.toString(end),
                        Long.toString(lag),
                        state,
                        NO_TIME == timestamp ? "-" : TimeArgs.format(timestamp) });
                }
            }
        }
        if (!json)
        {
            printTable(rows, out);
        }
        return ToolsCli.EXIT_OK;
    }

    private static int reset(
        final Path dir,
        final CliArgs cli,
        final String target,
        final boolean json,
        final PrintStream out,
        final PrintStream err)
    {
        final String group = known(dir, JournalCursor.list(dir), cli.get("--group", null));
        if (JournalCursor.isActive(dir, group))
        {
            throw new IllegalStateException(activeMessage(group));
        }
        final boolean execute = cli.has("--execute");
        try (JournalReader reader = JournalReader.open(dir))
        {
            final long first = reader.firstOffset();
            final long end = Journal.endOffset(dir);
            final Plan plan;
            if (execute)
            {
                // the position is read and replaced while holding the cursor, so no consumer starts in between
                try (JournalCursor cursor = openIdle(dir, group))
                {
                    plan = plan(cli, target, reader, cursor.position(), first, end);
                    cursor.commit(plan.next);
                }
            }
            else
            {
                plan = plan(cli, target, reader, JournalCursor.read(dir, group), first, end);
            }

            if (null != plan.clampNote)
            {
                err.println("txmon groups: " + plan.clampNote);
            }
            if (json)
            {
                out.println("{\"group\":" + quote(group) +
                    ",\"target\":\"" + target.substring(2) + "\"" +
                    ",\"current_position\":" + (plan.current < 0 ? "null" : Long.toString(plan.current)) +
                    ",\"new_position\":" + plan.next +
                    ",\"clamped\":" + (null != plan.clampNote) +
                    ",\"executed\":" + execute +
                    "}");
            }
            else
            {
                out.println("group " + group + ": position " + (plan.current < 0 ? "none" : plan.current) + " -> " +
                    plan.next + " (" + target + ")" + (execute ? ": committed" :
                    ": dry run, nothing changed; add --execute to commit"));
            }
        }
        return ToolsCli.EXIT_OK;
    }

    private static JournalCursor openIdle(final Path dir, final String group)
    {
        try
        {
            return JournalCursor.open(dir, group);
        }
        catch (final JournalException ex)
        {
            if (JournalCursor.isActive(dir, group))
            {
                throw new IllegalStateException(activeMessage(group), ex);
            }
            throw ex;
        }
    }

    private static String activeMessage(final String group)
    {
        return "group " + group + " is active: stop its consumer first";
    }

    private static Plan plan(
        final CliArgs cli,
        final String target,
        final JournalReader reader,
        final long current,
        final long first,
        final long end)
    {
        switch (target)
        {
            case TO_EARLIEST:
                return new Plan(current, first, null);

            case TO_LATEST:
                return new Plan(current, end, null);

            case TO_OFFSET:
            {
                final long offset = cli.getLong(TO_OFFSET, 0, 0, Long.MAX_VALUE);
                if (offset < first || offset > end)
                {
                    throw new CliArgs.UsageException(TO_OFFSET + " " + offset + " is outside the journal: " +
                        holds(first, end));
                }
                return new Plan(current, offset, null);
            }

            case TO_DATETIME:
            {
                final long time = TimeArgs.parse(TO_DATETIME, cli.get(TO_DATETIME, null), nowNanos());
                final long offset = reader.seekTime(time);
                // not found: the reader is at the end of the journal, as far as it has been written
                return new Plan(current, JournalReader.NOT_FOUND == offset ? reader.nextOffset() : offset, null);
            }

            case SHIFT_BY:
            {
                if (current < 0)
                {
                    throw new IllegalStateException("group has no committed position to shift; use --to-earliest, " +
                        "--to-offset or --to-datetime");
                }
                final long shift = cli.getLong(SHIFT_BY, 0, -Long.MAX_VALUE, Long.MAX_VALUE);
                // current >= 0, so only a positive shift can overflow
                final long wanted = shift > 0 && current > Long.MAX_VALUE - shift ? Long.MAX_VALUE : current + shift;
                if (wanted < first)
                {
                    return new Plan(current, first, SHIFT_BY + " " + shift + " from " + current + " reaches " +
                        wanted + ", before the first offset: clamped to " + first);
                }
                if (wanted > end)
                {
                    return new Plan(current, end, SHIFT_BY + " " + shift + " from " + current + " reaches " +
                        wanted + ", past the end: clamped to the end offset " + end);
                }
                return new Plan(current, wanted, null);
            }

            default:
                throw new IllegalStateException("unknown reset target " + target);
        }
    }

    private static String holds(final long first, final long end)
    {
        if (first >= end)
        {
            return "the journal holds no records; the only position is " + end;
        }
        return "the journal holds offsets " + first + " to " + (end - 1) + " (give " + first + " to " + end +
            ", " + end + " being the end)";
    }

    private static String known(final Path dir, final List<String> all, final String group)
    {
        if (!all.contains(group))
        {
            throw new CliArgs.UsageException("no group '" + group + "' in journal " + dir + "; " +
                (all.isEmpty() ? "it has no groups" : "its groups are " + String.join(", ", all)));
        }
        return group;
    }

    private static long timestampAt(
        final JournalReader reader, final TimestampHolder holder, final long position, final long first, final long end)
    {
        if (position < first || position >= end || !reader.seek(position))
        {
            return NO_TIME;
        }
        holder.timestamp = NO_TIME;
        reader.poll(holder, 1);
        return holder.timestamp;
    }

    private static void printTable(final List<String[]> rows, final PrintStream out)
    {
        final int columns = rows.get(0).length;
        final int[] widths = new int[columns];
        for (final String[] row : rows)
        {
            for (int i = 0; i < columns; i++)
            {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        final StringBuilder line = new StringBuilder();
        for (final String[] row : rows)
        {
            line.setLength(0);
            for (int i = 0; i < columns; i++)
            {
                line.append(row[i]);
                if (i < columns - 1)
                {
                    line.append(" ".repeat(widths[i] - row[i].length() + 2));
                }
            }
            out.println(line);
        }
    }

    private static String quote(final String text)
    {
        final StringBuilder quoted = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            if ('"' == c || '\\' == c)
            {
                quoted.append('\\').append(c);
            }
            else if (c < 0x20)
            {
                quoted.append(String.format("\\u%04x", (int)c));
            }
            else
            {
                quoted.append(c);
            }
        }
        return quoted.append('"').toString();
    }

    private static long nowNanos()
    {
        return TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis());
    }

    private record Plan(long current, long next, String clampNote)
    {
    }

    private static final class TimestampHolder implements RecordHandler
    {
        private long timestamp = NO_TIME;

        public void onRecord(
            final long offset,
            final long timestamp,
            final int templateId,
            final DirectBuffer buffer,
            final int payloadOffset,
            final int payloadLength)
        {
            this.timestamp = timestamp;
        }
    }
}
