package io.txmon.monitor;

import io.txmon.cli.CliArgs;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Entry point of the monitor's subcommands. A command table maps names to actions; each action takes its
 * arguments and the output streams and returns an exit status, so tests call it without
 * {@code System.exit}. The help text is generated from the same table.
 */
public final class TxmonCli
{
    /** Exit status of a successful command. */
    public static final int EXIT_OK = 0;
    /** Exit status when the command ran and failed. */
    public static final int EXIT_FAILED = 1;
    /** Exit status of a command line that cannot be run as given. */
    public static final int EXIT_USAGE = 2;

    interface Action
    {
        int run(String[] args, PrintStream out, PrintStream err) throws Exception;
    }

    private record Command(String summary, Action action)
    {
    }

    private static final Map<String, Command> COMMANDS = new LinkedHashMap<>();

    static
    {
        COMMANDS.put("demo", new Command(
            "run every typology on an embedded engine over a seeded stream with planted cases, and table them",
            DemoCommand::run));
        COMMANDS.put("run", new Command(
            "run the engine as a service until stopped, on an embedded or external media driver", RunCommand::run));
        COMMANDS.put("produce", new Command(
            "publish events from JSON lines or CSV, on stdin or in a file, to a running engine", ProduceCommand::run));
        COMMANDS.put("alerts", new Command(
            "read or follow the alert journal, text or JSON", AlertsCommand::run));
        COMMANDS.put("generate", new Command(
            "write a seeded stream with planted cases and its labels, for produce and replay --labels",
            GenerateCommand::run));
    }

    private TxmonCli()
    {
    }

    /**
     * Run a command.
     *
     * @param args command name then its arguments.
     * @param out  for results.
     * @param err  for errors and progress.
     * @return the exit status.
     */
    public static int run(final String[] args, final PrintStream out, final PrintStream err)
    {
        if (args.length == 0 || "--help".equals(args[0]) || "-h".equals(args[0]) || "help".equals(args[0]))
        {
            printHelp(out);
            return args.length == 0 ? EXIT_USAGE : EXIT_OK;
        }

        final Command command = COMMANDS.get(args[0]);
        if (null == command)
        {
            err.println("txmon: unknown command '" + args[0] + "'; run 'txmon --help' for the list");
            return EXIT_USAGE;
        }

        final String[] rest = new String[args.length - 1];
        System.arraycopy(args, 1, rest, 0, rest.length);
        try
        {
            return command.action().run(rest, out, err);
        }
        catch (final CliArgs.UsageException ex)
        {
            err.println("txmon " + args[0] + ": " + ex.getMessage());
            return EXIT_USAGE;
        }
        catch (final Exception ex)
        {
            err.println("txmon " + args[0] + ": " + ex.getMessage());
            return EXIT_FAILED;
        }
    }

    private static void printHelp(final PrintStream out)
    {
        out.println("usage: txmon <command> [options]; txmon <command> --help for its options");
        out.println();
        for (final Map.Entry<String, Command> e : COMMANDS.entrySet())
        {
            out.printf("  %-10s %s%n", e.getKey(), e.getValue().summary());
        }
    }

    /**
     * Launcher entry.
     *
     * @param args command name then its arguments.
     */
    public static void main(final String[] args)
    {
        final int status = run(args, System.out, System.err);
        System.out.flush();
        System.exit(status);
    }
}
