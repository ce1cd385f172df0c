package io.txmon.sequencer;

import io.txmon.events.codec.Severity;
import io.txmon.rules.Rule;
import io.txmon.rules.RuleContext;
import io.txmon.rules.TxEvent;
import io.txmon.rules.typology.LargeAmountRule;
import io.txmon.transport.TxmonPublisher;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import static io.txmon.sequencer.EngineTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * A rule that throws on one event, in a running engine with two workers: the error is counted and reported with
 * its offset, the other rule still alerts on that very event, and the ring keeps moving.
 */
class RuleIsolationTest
{
    private static final long POISON_AMOUNT = 777_777;

    @TempDir
    Path tempDir;

    @Test
    void oneRuleThrowingOnOneEventStopsNeitherTheOtherRulesNorTheRing()
    {
        final List<String> reported = new CopyOnWriteArrayList<>();
        final Engine engine = Engine.launch(new Engine.Context()
            .aeronDirectoryName(tempDir.resolve("aeron").toString())
            .journalDir(tempDir.resolve("journal"))
            .alertJournalDir(tempDir.resolve("alerts"))
            .workerCount(2)
            .ringSize(64)
            .rulesFactory((worker) -> new Rule[]{ new PoisonedRule(), new LargeAmountRule(500_000, Severity.HIGH) })
            .unjournaledRules(true)
            .ruleErrorHandler((rule, offset, error) -> reported.add(rule.name() + "@" + offset + ": " + error.getMessage())));
        TxmonPublisher publisher = null;
        final int events = 1_000;
        try
        {
            publisher = publisher(engine, 9, 0);
            for (int i = 0; i < events; i++)
            {
                sendPayment(publisher, i == 500 ? POISON_AMOUNT : (i % 100 == 0 ? 600_000 : 1_000));
            }
            final EngineCounters counters = engine.counters();
            awaitCondition(() -> counters.decided() == events, () -> describe(counters));
            assertEquals(1, counters.ruleErrors(), "counted once: only the worker owning the debtor evaluates it");
            assertEquals(2L * events, counters.evaluated(), "both workers saw every event");
        }
        finally
        {
            CloseHelper.closeAll(publisher, engine);
        }

        assertEquals(List.of("poisoned@500: poisoned amount"), reported);
        final List<Long> alerted = AlertJournal.read(tempDir.resolve("alerts")).stream()
            .map(AlertJournal.Entry::triggeringOffset).collect(Collectors.toList());
        assertEquals(10, alerted.size(), alerted.toString());
        assertTrue(alerted.contains(500L), "the large-amount rule still judged the event that broke the other");
    }

    /** Throws on the poisoned amount, for the worker that owns the debtor. */
    private static final class PoisonedRule implements Rule
    {
        public int id()
        {
            return 900;
        }

        public int version()
        {
            return 1;
        }

        public String name()
        {
            return "poisoned";
        }

        public void onEvent(final TxEvent event, final RuleContext context)
        {
            if (event.amount == POISON_AMOUNT && context.owns(event.debtorAccount))
            {
                throw new IllegalStateException("poisoned amount");
            }
        }
    }
}
