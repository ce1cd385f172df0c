package io.txmon.monitor;

import io.txmon.cli.CliArgs;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunOptionsEventTimeTest
{
    @Test
    void defaultsAre2000AndOneDayAhead()
    {
        final RunOptions options = RunOptions.parse(new String[]{ "--journal", "j" });
        assertEquals(Instant.parse("2000-01-01T00:00:00Z").getEpochSecond() * 1_000_000_000L, options.minEventTime());
        assertEquals(TimeUnit.DAYS.toNanos(1), options.maxEventTimeAheadNs());
    }

    @Test
    void aBacktestLowersTheFloorAndAnyBoundCanBeGiven()
    {
        final RunOptions options = RunOptions.parse(new String[]{
            "--journal", "j", "--min-event-time", "1985-06-01T00:00:00Z", "--max-event-time-ahead", "6h" });
        assertEquals(Instant.parse("1985-06-01T00:00:00Z").getEpochSecond() * 1_000_000_000L, options.minEventTime());
        assertEquals(TimeUnit.HOURS.toNanos(6), options.maxEventTimeAheadNs());
        assertEquals(Long.MAX_VALUE, RunOptions.parse(new String[]{
            "--journal", "j", "--max-event-time-ahead", "none" }).maxEventTimeAheadNs());
        assertEquals(5L, RunOptions.parse(new String[]{ "--journal", "j", "--min-event-time", "5" }).minEventTime());
    }

    @Test
    void badValuesAreUsageErrorsThatSayWhatToGive()
    {
        final CliArgs.UsageException time = assertThrows(CliArgs.UsageException.class, () -> RunOptions.parse(
            new String[]{ "--journal", "j", "--min-event-time", "yesterday" }));
        assertTrue(time.getMessage().contains("ISO-8601"), time.getMessage());
        final CliArgs.UsageException negative = assertThrows(CliArgs.UsageException.class, () -> RunOptions.parse(
            new String[]{ "--journal", "j", "--min-event-time", "-1" }));
        assertTrue(negative.getMessage().contains("1970"), negative.getMessage());
        final CliArgs.UsageException ahead = assertThrows(CliArgs.UsageException.class, () -> RunOptions.parse(
            new String[]{ "--journal", "j", "--max-event-time-ahead", "soon" }));
        assertTrue(ahead.getMessage().contains("duration"), ahead.getMessage());
    }
}
