package io.txmon.tools;

import io.txmon.cli.CliArgs;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The audit and backtest tools of {@code bin/txmon}: {@code journal}, {@code replay}, {@code consume} and
 * {@code groups}. Each command takes its arguments and the output streams and returns an exit status, so
 * tests call it without a process. Errors are one line on standard error, never a stack trace: 2 for a
 * command line that cannot run as given, 1 for a failure while running.
 */
public final class ToolsCli
{
    /** Success. */
    public static final int EXIT_OK = 0;
    /** The command ran and failed, or found what it was asked to find (a verify problem, a compare difference). */
    public static final int EXIT_FAILED = 1;
    /** The command line cannot be run as given. */
    public static final int EXIT_USAGE = 2;

    /**
     * One subcommand.
     */
    @FunctionalInterface
    public interface Command
    {
        /**
         * @param args after the command name.
         * @param out  for results.
         * @param err  for progress and errors.
         * @return exit status.
         * @throws Exception a failure, reported as one line.
         */
        int run(String[] args, PrintStream out, PrintStream err) throws Exception;
    }

    private static final Map<String, Command> COMMANDS = new LinkedHashMap<>();

    static
    {
        COMMANDS.put("journal", JournalCommand::run);
        COMMANDS.put("replay", ReplayCommand::run);
        COMMANDS.put("consume", ConsumeCommand::run);
        COMMANDS.put("groups", GroupsCommand::run);
    }

    private ToolsCli()
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
     * @return exit status.
     */
    public static int run(final String[] args, final PrintStream out, final PrintStream err)
    {
        if (args.length == 0 || null == COMMANDS.get(args[0]))
        {
            err.println("txmon: " + (args.length == 0 ? "no command" : "unknown command '" + args[0] + "'") +
                "; the tools here are " + String.join(", ", COMMANDS.keySet()) + " (see 'txmon --help')");
            return EXIT_USAGE;
        }
        final String name = args[0];
        try
        {
            return COMMANDS.get(name).run(Arrays.copyOfRange(args, 1, args.length), out, err);
        }
        catch (final CliArgs.UsageException ex)
        {
            err.println("txmon " + name + ": " + ex.getMessage());
            return EXIT_USAGE;
        }
        catch (final Exception ex)
        {
            err.println("txmon " + name + ": " + describe(ex));
            return EXIT_FAILED;
        }
    }

    /**
     * @param ex a failure.
     * @return one line saying what failed.
     */
    public static String describe(final Throwable ex)
    {
        final String message = ex.getMessage();
        return null == message || message.isBlank() ? ex.getClass().getSimpleName() : message;
    }
}
