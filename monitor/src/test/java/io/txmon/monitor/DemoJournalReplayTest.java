package io.txmon.monitor;

import io.txmon.journal.JournalReader;
import io.txmon.rules.RuleReplay;
import io.txmon.rules.TxEvent;
import io.txmon.rules.config.RuleSet;
import io.txmon.rules.config.RuleSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Finding 13 of issue 12 through the command itself: {@code txmon demo --dir D} runs only the large-amount rule;
 * a replay of D with no configuration (what {@code txmon replay --journal D} does: the defaults, then the
 * journal's own configuration changes) raises exactly the alerts the demo printed, by id. Before, the demo's
 * journal did not say the other typologies were off, and its replay raised every typology's alerts.
 */
class DemoJournalReplayTest
{
    private static final Pattern ALERT_ID = Pattern.compile("^ALERT .* id=([0-9a-f]+) ", Pattern.MULTILINE);

    @TempDir
    Path dir;

    @Test
    void theDemosJournalReplaysToTheAlertsTheDemoPrinted()
    {
        final Path journal = dir.resolve("journal");
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int status = TxmonCli.run(
            new String[]{ "demo", "--events", "20000", "--producers", "1", "--plant-every", "100", "--dir",
                journal.toString() },
            new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        final String printed = out.toString(StandardCharsets.UTF_8);
        assertEquals(TxmonCli.EXIT_OK, status, () -> printed + err.toString(StandardCharsets.UTF_8));

        final Set<String> live = new TreeSet<>();
        final Matcher matcher = ALERT_ID.matcher(printed);
        while (matcher.find())
        {
            live.add(matcher.group(1));
        }
        assertTrue(live.size() > 100, () -> "the demo plants about one large amount per 100 payments: " + live.size());

        final List<String> errors = new ArrayList<>();
        final RuleReplay replay = new RuleReplay(1, (w) -> RuleSet.of(RuleSettings.defaults()),
            (rule, offset, error) -> errors.add(offset + ": " + error), 32);
        final Set<String> replayed = new TreeSet<>();
        final long[] alerts = new long[1];
        try (JournalReader reader = JournalReader.open(journal))
        {
            while (reader.poll((offset, timestamp, templateId, buffer, at, length) ->
            {
                final TxEvent event = replay.evaluate(offset, timestamp, buffer, at, true);
                for (int i = 0; null != event && i < event.alerts(0).count(); i++)
                {
                    replayed.add(Long.toHexString(event.alerts(0).get(i).alertId()));
                    alerts[0]++;
                }
            }, 4096) > 0)
            {
                // read to the end
            }
        }
        assertEquals(List.of(), errors);
        assertEquals(live.size(), alerts[0], "as many alerts");
        assertEquals(live, replayed, "the same alerts");
    }
}
