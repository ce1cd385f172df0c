package io.txmon.tools;

import io.txmon.cli.CliArgs;

import java.io.PrintStream;

/**
 * {@code txmon groups}: not built yet.
 */
final class GroupsCommand
{
    private GroupsCommand()
    {
    }

    static int run(final String[] args, final PrintStream out, final PrintStream err)
    {
        throw new CliArgs.UsageException("'groups' is being built (issue 6)");
    }
}
