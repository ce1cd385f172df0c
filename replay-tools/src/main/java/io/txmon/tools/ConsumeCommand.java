package io.txmon.tools;

import io.txmon.cli.CliArgs;

import java.io.PrintStream;

/**
 * {@code txmon consume}: not built yet.
 */
final class ConsumeCommand
{
    private ConsumeCommand()
    {
    }

    static int run(final String[] args, final PrintStream out, final PrintStream err)
    {
        throw new CliArgs.UsageException("'consume' is being built (issue 6)");
    }
}
