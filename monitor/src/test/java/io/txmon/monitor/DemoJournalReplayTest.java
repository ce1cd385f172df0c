package io.txmon.monitor;

import io.txmon.journal.JournalReader;
import io.txmon.rules.RuleReplay;
import io.txmon.rules.TxEvent;
import io.txmon.rules.config.RuleSet;
import io.txmon.rules.config.RuleSettings;
import io.txmon.rules.typology.Typologies;
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
 * Finding 13 of issue 12 through the command itself: a replay of {@code txmon demo --dir D} with no configuration
 * (what {@code txmon replay --journal D} does: the defaults, then the journal's own configuration changes) raises
 * exactly the alerts the demo printed, by id. Before, the demo's journal did not say which typologies were off.
 * The demo now runs every typology with the settings its planted cases assume (the scenario's watch list), so the
 * replay also has to take those settings from the journal for every typology's alerts to agree.
 */
class DemoJournalReplayTest
{
    private static final Pattern ALERT_ID =
        Pattern.compile("^ALERT .* rule=([a-z-]+)/\\d+ .* id=([0-9a-f]+) ", Pattern.MULTILINE);

    @TempDir
    Path dir;

    @Test
    void theDemosJournalReplaysToTheAlertsTheDemoPrinted()
    {
        final Path journal = dir.resolve("journal");
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int status = TxmonCli.run(
            new String[]{ "demo", "--events", "20000", "--producers", "1", "--events-per-plant", "5000",
                "--print-alerts", "all", "--dir", journal.toString() },
            new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        final String printed = out.toString(StandardCharsets.UTF_8);
        assertEquals(TxmonCli.EXIT_OK, status, () -> printed + err.toString(StandardCharsets.UTF_8));

        final Set<String> live = new TreeSet<>();
        final Set<String> liveRules = new TreeSet<>();
        final Matcher matcher = ALERT_ID.matcher(printed);
        while (matcher.find())
        {
            live.add(matcher.group(2));
            liveRules.add(matcher.group(1));
        }
        final int typologies = Typologies.catalog().size();
        assertTrue(printed.contains(String.format("typologies: %d rules run, %d cases planted, %d detected, 0 missed",
            typologies, 4 * typologies, 4 * typologies)), printed);
        assertTrue(live.size() >= 4 * typologies,
            () -> "the demo plants 4 cases of each of the " + typologies + " typologies: " + live.size());
        final Set<String> everyRule = new TreeSet<>();
        Typologies.catalog().forEach((type) -> everyRule.add(type.name()));
        assertEquals(everyRule, liveRules, "every typology alerted");

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
