package io.txmon.scenario;

import io.txmon.rules.AlertBuffer;
import io.txmon.rules.AlertRecord;
import io.txmon.rules.Rule;
import io.txmon.rules.RuleErrorHandler;
import io.txmon.rules.RuleWorker;
import io.txmon.rules.TxEvent;
import io.txmon.rules.TxEventDecoder;
import io.txmon.rules.config.ConfigException;
import io.txmon.rules.state.StateReader;
import io.txmon.rules.state.StateWriter;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every typology's state survives a snapshot: the scenario stream, which plants every typology, is run through a
 * rule uninterrupted, and again with the rule's state written at a cut and read into a new instance that goes on
 * from there. The alerts after the cut must be the same, field by field and in order, at every cut; the state
 * written after a restore must read back too. A rule that cannot be snapshotted fails here by name.
 */
class RuleStateRoundTripTest
{
    private static final int EVENTS = 60_000;
    private static final int[] CUTS = { 1, 7_001, 23_456, 41_000, 59_999 };
    private static List<byte[]> stream;

    @BeforeAll
    static void generate()
    {
        final ScenarioGenerator generator = new ScenarioGenerator(11L);
        stream = new ArrayList<>(EVENTS);
        generator.generate(EVENTS, (buffer, offset, length) ->
        {
            final byte[] message = new byte[length];
            buffer.getBytes(offset, message);
            stream.add(message);
        });
    }

    static IntStream ruleIndexes()
    {
        return IntStream.range(0, new ScenarioGenerator(11L).newRules().length);
    }

    @ParameterizedTest(name = "rule {0}")
    @MethodSource("ruleIndexes")
    void stateWrittenAtAnyCutAndReadIntoANewInstanceDecidesAsTheOriginal(final int index)
    {
        final Rule probe = newRule(index);
        assertTrue(probe.snapshots(), probe.name() + " (rule " + probe.id() + ") cannot be snapshotted");

        final List<String> uninterrupted = new ArrayList<>();
        run(new Run(newRule(index)), 0, EVENTS, uninterrupted);
        assertTrue(uninterrupted.size() > 0, probe.name() + " raised no alert on the scenario");

        for (final int cut : CUTS)
        {
            final Run before = new Run(newRule(index));
            run(before, 0, cut, null);
            final Run after = new Run(restored(before.rule, newRule(index)));
            // what a restored rule writes must read back too: restore twice
            final Run again = new Run(restored(after.rule, newRule(index)));
            final List<String> resumed = new ArrayList<>();
            run(again, cut, EVENTS, resumed);
            final List<String> expected = new ArrayList<>();
            for (final String alert : uninterrupted)
            {
                if (Long.parseLong(alert.substring(0, alert.indexOf(' '))) >= cut)
                {
                    expected.add(alert);
                }
            }
            if (!expected.equals(resumed))
            {
                fail(probe.name() + " after a snapshot at offset " + cut + ": " + expected.size() + " alerts expected, " +
                    resumed.size() + " raised; first difference: " + firstDifference(expected, resumed));
            }
        }
    }

    private static Rule newRule(final int index)
    {
        return new ScenarioGenerator(11L).newRules()[index];
    }

    private static Rule restored(final Rule from, final Rule into)
    {
        final StateWriter writer = new StateWriter(16);
        from.writeState(writer);
        final byte[] bytes = new byte[writer.position()];
        writer.buffer().getBytes(0, bytes);
        final StateReader reader = new StateReader().wrap(new UnsafeBuffer(bytes), 0, bytes.length, from.name());
        into.readState(reader);
        reader.requireEnd();
        assertEquals(from.id(), into.id());
        return into;
    }

    private static String firstDifference(final List<String> expected, final List<String> actual)
    {
        for (int i = 0; i < Math.max(expected.size(), actual.size()); i++)
        {
            final String e = i < expected.size() ? expected.get(i) : "(none)";
            final String a = i < actual.size() ? actual.get(i) : "(none)";
            if (!e.equals(a))
            {
                return "expected [" + e + "] but was [" + a + "]";
            }
        }
        return "none";
    }

    private static void run(final Run run, final int from, final int to, final List<String> alerts)
    {
        for (int offset = from; offset < to; offset++)
        {
            final TxEvent event = run.event;
            event.reset();
            assertTrue(run.decoder.decode(new UnsafeBuffer(stream.get(offset)), 0, event));
            event.offset = offset;
            event.ingestTime = event.eventTime;
            run.worker.evaluate(event);
            assertEquals(0, run.errors.get(), "rule errors");
            if (null != alerts)
            {
                final AlertBuffer buffer = event.alerts(0);
                for (int i = 0; i < buffer.count(); i++)
                {
                    alerts.add(describe(buffer.get(i)));
                }
            }
        }
    }

    private static String describe(final AlertRecord alert)
    {
        final StringBuilder text = new StringBuilder().append(alert.triggeringOffset()).append(' ')
            .append(alert.alertId()).append(' ').append(alert.ruleId()).append('.').append(alert.ruleVersion())
            .append(' ').append(alert.severity()).append(' ').append(alert.score()).append(' ')
            .append(alert.account()).append(' ').append(alert.eventTime()).append(" [");
        for (int i = 0; i < alert.evidenceCount(); i++)
        {
            text.append(alert.evidence(i)).append(',');
        }
        return text.append("] ").append(alert.reason()).toString();
    }

    private static final class Run
    {
        final Rule rule;
        final TxEvent event = new TxEvent(1, 32);
        final TxEventDecoder decoder = new TxEventDecoder();
        final AtomicCounter errors;
        final RuleWorker worker;

        Run(final Rule rule)
        {
            this.rule = rule;
            final CountersManager counters = new CountersManager(
                new UnsafeBuffer(ByteBuffer.allocateDirect(CountersManager.METADATA_LENGTH * 2)),
                new UnsafeBuffer(ByteBuffer.allocateDirect(CountersManager.COUNTER_LENGTH * 2)));
            final AtomicCounter evaluated = counters.newCounter("evaluated");
            errors = counters.newCounter("errors");
            worker = new RuleWorker(0, 1, null, new Rule[]{ rule }, new RuleErrorHandler()
            {
                public void onRuleError(final Rule rule, final long offset, final Throwable error)
                {
                    throw new AssertionError(rule.name() + " threw at offset " + offset, error);
                }

                public void onConfigRefused(final long offset, final ConfigException error)
                {
                    throw new AssertionError("configuration refused at " + offset, error);
                }
            }, evaluated, errors, 1);
        }
    }
}
