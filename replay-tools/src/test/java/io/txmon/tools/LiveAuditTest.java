package io.txmon.tools;

import io.aeron.ExclusivePublication;
import io.txmon.events.EventEnvelope;
import io.txmon.events.codec.ConfigAction;
import io.txmon.rules.config.RuleConfigChange;
import io.txmon.rules.config.RuleSettings;
import io.txmon.scenario.ScenarioGenerator;
import io.txmon.rules.typology.LargeAmountRule;
import io.txmon.rules.typology.StructuringRule;
import io.txmon.sequencer.Engine;
import io.txmon.sequencer.EngineCounters;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The audit proof against a real engine: a live two-worker run with a configuration file and two run-time
 * configuration changes mid-stream, then {@code txmon replay --compare} over the whole journal and from a
 * middle offset reports the alerts identical, with no configuration file given.
 */
class LiveAuditTest
{
    private static final int EVENTS = 60_000;
    private static final long TIMEOUT_NS = TimeUnit.MINUTES.toNanos(2);

    @TempDir
    Path tempDir;

    @Test
    void replayOfALiveJournalComparesIdenticalFromTheStartAndFromTheMiddle()
    {
        final ScenarioGenerator scenario = new ScenarioGenerator(77, ScenarioGenerator.Options.defaults()
            .withAccounts(5_000).withProducerId(1));
        final Path journal = tempDir.resolve("journal");
        final Path alerts = tempDir.resolve("journal-alerts");
        final RuleSettings settings = RuleSettings.defaults().with(Map.of(
            "rules.watch-list.watched-accounts", join(scenario.watchedAccounts()),
            "rules.large-amount.threshold", "900000"));
        final RuleConfigChange[] changes = {
            new RuleConfigChange(LargeAmountRule.ID, ConfigAction.SET_PARAMETER, "threshold", "1200000"),
            new RuleConfigChange(StructuringRule.ID, ConfigAction.DISABLE_RULE, "", "") };

        final Engine engine = Engine.launch(new Engine.Context()
            .aeronDirectoryName(tempDir.resolve("aeron").toString())
            .journalDir(journal)
            .alertJournalDir(alerts)
            .workerCount(2)
            .ruleSettings(settings));
        try
        {
            final ExclusivePublication publication = engine.aeron().addExclusivePublication(
                engine.context().ingestChannel(), engine.context().ingestStreamId());
            final long deadline = System.nanoTime() + TIMEOUT_NS;
            while (!publication.isConnected())
            {
                assertTrue(System.nanoTime() < deadline, "publication connected");
                Thread.onSpinWait();
            }
            final UnsafeBuffer change = new UnsafeBuffer(new byte[1024]);
            final int[] index = new int[1];
            scenario.generate(EVENTS, (buffer, offset, length) ->
            {
                final int c = index[0] == EVENTS / 3 ? 0 : index[0] == 2 * EVENTS / 3 ? 1 : -1;
                if (c >= 0)
                {
                    final int changeLength = changes[c].encode(
                        change, 0, 2, c, EventEnvelope.eventTime(buffer, offset));
                    offer(publication, change, 0, changeLength);
                }
                offer(publication, buffer, offset, length);
                index[0]++;
            });
            final EngineCounters counters = engine.counters();
            while (counters.decided() < EVENTS + changes.length)
            {
                assertTrue(System.nanoTime() < deadline, "all decided: " + counters.decided());
                Thread.onSpinWait();
            }
            assertTrue(counters.alerts() > 0, "the live run raised alerts");
        }
        finally
        {
            CloseHelper.close(engine);
        }

        final String whole = replay("replay", "--journal", journal.toString(), "--workers", "2", "--compare");
        assertTrue(whole.contains("identical: "), whole);
        final String middle = replay("replay", "--journal", journal.toString(), "--workers", "2", "--compare",
            "--from-offset", Integer.toString(EVENTS / 2));
        assertTrue(middle.contains("identical: "), middle);
    }

    private static String replay(final String... args)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int status = ToolsCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
        final String text = out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
        assertEquals(ToolsCli.EXIT_OK, status, text);
        return text;
    }

    private static void offer(
        final ExclusivePublication publication, final DirectBuffer buffer, final int offset, final int length)
    {
        final long deadline = System.nanoTime() + TIMEOUT_NS;
        long result;
        while ((result = publication.offer(buffer, offset, length)) < 0)
        {
            assertTrue(System.nanoTime() < deadline && result != ExclusivePublication.CLOSED, "offer: " + result);
            Thread.onSpinWait();
        }
    }

    private static String join(final long[] values)
    {
        final StringBuilder text = new StringBuilder();
        for (final long value : values)
        {
            text.append(text.length() > 0 ? "," : "").append(value);
        }
        return text.toString();
    }
}
