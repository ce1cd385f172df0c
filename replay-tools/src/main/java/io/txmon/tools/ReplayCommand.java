package io.txmon.tools;

import io.txmon.cli.CliArgs;

import java.io.PrintStream;

/**
 * {@code txmon replay}: not built yet.
 */
final class ReplayCommand
{
    private ReplayCommand()
    {
    }

    static int run(final String[] args, final PrintStream out, final PrintStream err)
    {
        throw new CliArgs.UsageException("'replay' is being built (issue 6)");
    }
}
