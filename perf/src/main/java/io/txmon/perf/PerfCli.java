package io.txmon.perf;

import io.txmon.cli.CliArgs;
import io.txmon.perf.bench.BenchCommand;
import io.txmon.perf.report.ReportCommand;
import io.txmon.tools.ToolsCli;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The measuring commands of {@code bin/txmon}: {@code bench} and {@code report}, with the exit statuses and
 * one-line errors of the other tools ({@link ToolsCli}).
 */
public final class PerfCli
{
    private static final Map<String, ToolsCli.Command> COMMANDS = new LinkedHashMap<>();

    static
    {
        COMMANDS.put("bench", BenchCommand::run);
        COMMANDS.put("report", ReportCommand::run);
    }

    private PerfCli()
    {
    }

    /**
     * @param args the command and its arguments.
     */
    public static void main(final String[] args)
    {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * @param args the command and its arguments.
     * @param out  for results.
     * @param err  for progress and errors.
     * @return exit status: 0 ok, 1 failed, 2 a command line that cannot run as given.
     */
    public static int run(final String[] args, final PrintStream out, final PrintStream err)
    {
        if (args.length == 0 || null == COMMANDS.get(args[0]))
        {
            err.println("txmon: " + (args.length == 0 ? "no command" : "unknown command '" + args[0] + "'") +
                "; the measuring commands are " + String.join(", ", COMMANDS.keySet()) + " (see 'txmon --help')");
            return ToolsCli.EXIT_USAGE;
        }
        final String name = args[0];
        try
        {
            return COMMANDS.get(name).run(Arrays.copyOfRange(args, 1, args.length), out, err);
        }
        catch (final CliArgs.UsageException ex)
        {
            err.println("txmon " + name + ": " + ex.getMessage());
            return ToolsCli.EXIT_USAGE;
        }
        catch (final Exception ex)
        {
            err.println("txmon " + name + ": " + ToolsCli.describe(ex));
            return ToolsCli.EXIT_FAILED;
        }
    }
}
