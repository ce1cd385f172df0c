package io.txmon.tools;

import io.txmon.cli.CliArgs;

import java.io.PrintStream;

/**
 * {@code txmon journal}: not built yet.
 */
final class JournalCommand
{
    private JournalCommand()
    {
    }

    static int run(final String[] args, final PrintStream out, final PrintStream err)
    {
        throw new CliArgs.UsageException("'journal' is being built (issue 6)");
    }
}
