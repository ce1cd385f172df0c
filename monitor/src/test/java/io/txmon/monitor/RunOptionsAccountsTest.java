package io.txmon.monitor;

import io.txmon.cli.CliArgs;
import io.txmon.rules.state.AccountStore;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunOptionsAccountsTest
{
    @Test
    void defaultsAreTheDefaultCapAndNoIdleHorizon()
    {
        assertEquals(AccountStore.Limits.DEFAULT, RunOptions.parse(new String[]{ "--journal", "j" }).accountLimits());
    }

    @Test
    void theCapAndHorizonAreGivenOnTheCommandLineOrInTheConfigFile(@org.junit.jupiter.api.io.TempDir final Path dir)
        throws Exception
    {
        final AccountStore.Limits given = RunOptions.parse(new String[]{
            "--journal", "j", "--max-accounts", "1_000_000", "--idle-horizon", "400d" }).accountLimits();
        assertEquals(1_000_000, given.maxAccounts());
        assertEquals(TimeUnit.DAYS.toNanos(400), given.idleHorizonNanos());

        final Path config = dir.resolve("txmon.properties");
        Files.writeString(config, "max-accounts = 5000\nidle-horizon = 12h\n");
        final AccountStore.Limits configured = RunOptions.parse(new String[]{
            "--journal", "j", "--config", config.toString() }).accountLimits();
        assertEquals(new AccountStore.Limits(5000, TimeUnit.HOURS.toNanos(12)), configured);
    }

    @Test
    void badValuesSayWhatToGive()
    {
        final CliArgs.UsageException one = assertThrows(CliArgs.UsageException.class, () -> RunOptions.parse(
            new String[]{ "--journal", "j", "--max-accounts", "1" }));
        assertTrue(one.getMessage().startsWith("--max-accounts: must be 2 to 268,435,456, was 1"), one.getMessage());
        final CliArgs.UsageException many = assertThrows(CliArgs.UsageException.class, () -> RunOptions.parse(
            new String[]{ "--journal", "j", "--max-accounts", "lots" }));
        assertEquals("--max-accounts: 'lots' is not a whole number", many.getMessage());
        final CliArgs.UsageException soon = assertThrows(CliArgs.UsageException.class, () -> RunOptions.parse(
            new String[]{ "--journal", "j", "--idle-horizon", "soon" }));
        assertTrue(soon.getMessage().startsWith("--idle-horizon: 'soon' is not a duration such as 30d"),
            soon.getMessage());
    }
}
