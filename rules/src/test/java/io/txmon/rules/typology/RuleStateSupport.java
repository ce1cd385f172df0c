package io.txmon.rules.typology;

import io.txmon.rules.AlertRecord;
import io.txmon.rules.Rule;
import io.txmon.rules.RuleWorker;
import io.txmon.rules.TxEvent;
import io.txmon.rules.state.StateException;
import io.txmon.rules.state.StateReader;
import io.txmon.rules.state.StateWriter;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;

import static org.junit.jupiter.api.Assertions.*;

/**
 * What the typology tests use to show that a rule's state survives a snapshot, in one place so that every rule
 * is held to the same checks:
 * <ul>
 *     <li>the bytes a rule (or one of its windows) writes, and reading bytes back as a restart does: the whole
 *     section consumed, or a {@link StateException};</li>
 *     <li>an original and a restored rule given the same events side by side, either through
 *     {@link GeoMarketHarness}es ({@link #same}) or through {@link RuleWorker}s given a {@link TxEvent} filled alike
 *     ({@link #sameOnBoth}); each fails unless both raise the same alerts and returns them as text. The two texts
 *     differ in form because the expectations written against them do;</li>
 *     <li>hostile bytes: every truncation refused with a {@link StateException}, any single byte changed refused
 *     that way or read into a rule that then takes events without failing, and bytes with one field replaced.</li>
 * </ul>
 * Snapshots are little endian, as {@link StateWriter} writes them.
 */
final class RuleStateSupport
{
    private RuleStateSupport()
    {
    }

    /**
     * @param rule to take the state of.
     * @return the state a snapshot would hold of the rule.
     */
    static byte[] stateOf(final Rule rule)
    {
        return written(rule::writeState);
    }

    /**
     * @param write writes something, a window for example, to the writer it is given.
     * @return the bytes it wrote.
     */
    static byte[] written(final Consumer<StateWriter> write)
    {
        final StateWriter out = new StateWriter(16);
        write.accept(out);
        return bytes(out);
    }

    /**
     * @param writer written to.
     * @return a copy of what it holds.
     */
    static byte[] bytes(final StateWriter writer)
    {
        final byte[] bytes = new byte[writer.position()];
        writer.buffer().getBytes(0, bytes);
        return bytes;
    }

    /**
     * @param bytes   to read.
     * @param length  of the section: the first {@code length} bytes.
     * @param section named in errors.
     * @return a reader of the section.
     */
    static StateReader reader(final byte[] bytes, final int length, final String section)
    {
        return new StateReader().wrap(new UnsafeBuffer(bytes), 0, length, section);
    }

    /**
     * Read bytes into a rule as a restart does, the whole section consumed.
     *
     * @param into  rule to read into.
     * @param bytes its section.
     * @return {@code into}.
     * @throws StateException if the rule refuses the bytes or leaves some unread.
     */
    static <R extends Rule> R read(final R into, final byte[] bytes)
    {
        return read(into, bytes, bytes.length);
    }

    /**
     * Read the first {@code length} bytes into a rule, as a snapshot's section, the whole section consumed.
     *
     * @param into   rule to read into.
     * @param bytes  holding the section from index 0.
     * @param length of the section.
     * @return {@code into}.
     * @throws StateException if the rule refuses the bytes or leaves some unread.
     */
    static <R extends Rule> R read(final R into, final byte[] bytes, final int length)
    {
        final StateReader in = reader(bytes, length, into.name());
        into.readState(in);
        in.requireEnd();
        return into;
    }

    /**
     * @param from rule whose state is taken.
     * @param into a new instance with the same parameters.
     * @return {@code into}, with the state {@code from} writes.
     */
    static <R extends Rule> R restored(final Rule from, final R into)
    {
        return read(into, stateOf(from));
    }

    /**
     * The original's state read into a new rule, driven by a harness whose next offset is the original's, so both
     * can be given the same events. What the new rule writes must be what it read. The offset is moved on with
     * payments, so the rule must be one that does not read payments.
     *
     * @param original harness of one worker, run through a history.
     * @param into     a new instance of its rule, with the same parameters.
     * @return a harness of {@code into}, at the original's next offset.
     */
    static GeoMarketHarness restored(final GeoMarketHarness original, final Rule into)
    {
        final byte[] bytes = stateOf(original.rules[0]);
        read(into, bytes);
        assertArrayEquals(bytes, stateOf(into), "written again after reading");
        final GeoMarketHarness restored = new GeoMarketHarness(into);
        while (restored.nextOffset() < original.nextOffset())
        {
            // a template the rule does not read: only moves the offset on
            restored.payment(GeoMarketHarness.T0, 1, 2, 1);
        }
        return restored;
    }

    /**
     * Give both harnesses the same event; they must decide alike.
     *
     * @param original harness of the original rule.
     * @param restored harness of the restored rule.
     * @param event    given to each, returning the alerts raised.
     * @return {@code none}, or the alert as score, evidence (each followed by a comma) in brackets, and reason.
     */
    static String same(
        final GeoMarketHarness original, final GeoMarketHarness restored, final ToIntFunction<GeoMarketHarness> event)
    {
        final String decided = decision(original, event.applyAsInt(original));
        assertEquals(decided, decision(restored, event.applyAsInt(restored)), "restored rule decides as the original");
        return decided;
    }

    private static String decision(final GeoMarketHarness h, final int raised)
    {
        if (raised == 0)
        {
            return "none";
        }
        final AlertRecord alert = h.alert();
        final StringBuilder text = new StringBuilder().append(alert.score()).append(" [");
        for (int i = 0; i < alert.evidenceCount(); i++)
        {
            text.append(alert.evidence(i)).append(',');
        }
        return text.append("] ").append(alert.reason()).toString();
    }

    /**
     * Evaluate the same event on two workers, fail unless they raise the same alerts, and return them, one line
     * each: score, account, evidence, reason.
     *
     * @param original worker of the original rule.
     * @param restored worker of the restored rule.
     * @param fill     fills a new event, once for each worker.
     * @return the alerts the original raised, empty if none.
     */
    static String sameOnBoth(final RuleWorker original, final RuleWorker restored, final Consumer<TxEvent> fill)
    {
        final String[] raised = new String[2];
        final RuleWorker[] workers = { original, restored };
        for (int i = 0; i < workers.length; i++)
        {
            final TxEvent e = new TxEvent(1, 8);
            fill.accept(e);
            workers[i].evaluate(e);
            final StringBuilder text = new StringBuilder();
            for (int k = 0; k < e.alerts(0).count(); k++)
            {
                final AlertRecord alert = e.alerts(0).get(k);
                text.append(alert.score()).append(' ').append(alert.account()).append(' ');
                for (int j = 0; j < alert.evidenceCount(); j++)
                {
                    text.append(j == 0 ? "[" : ",").append(alert.evidence(j));
                }
                text.append("] ").append(alert.reason()).append('\n');
            }
            raised[i] = text.toString();
        }
        assertEquals(raised[0], raised[1], "the restored rule decides as the original");
        return raised[0];
    }

    /**
     * @param alert to describe.
     * @return every field of the alert, to compare an original's alerts with a restored rule's.
     */
    static String describe(final AlertRecord alert)
    {
        final long[] evidence = new long[alert.evidenceCount()];
        for (int i = 0; i < evidence.length; i++)
        {
            evidence[i] = alert.evidence(i);
        }
        return alert.alertId() + " " + alert.ruleId() + "." + alert.ruleVersion() + " " + alert.severity() + " " +
            alert.score() + " " + alert.account() + " " + alert.eventTime() + " " + Arrays.toString(evidence) +
            " " + alert.reason();
    }

    /**
     * @param event   evaluated.
     * @param workers that evaluated it.
     * @return every alert raised for the event, {@link #describe described}, one line each, worker by worker.
     */
    static String describeAlerts(final TxEvent event, final int workers)
    {
        final StringBuilder text = new StringBuilder();
        for (int w = 0; w < workers; w++)
        {
            for (int i = 0; i < event.alerts(w).count(); i++)
            {
                text.append(describe(event.alerts(w).get(i))).append('\n');
            }
        }
        return text.toString();
    }

    /**
     * Every state cut short is refused with a {@link StateException}.
     *
     * @param factory gives the rule to read each truncation into: a new one, or the same one each time.
     * @param bytes   state the rule wrote, more than a count.
     */
    static void assertEveryTruncationRefused(final Supplier<? extends Rule> factory, final byte[] bytes)
    {
        assertEveryTruncationRefused(bytes, (cut) -> read(factory.get(), cut));
    }

    /**
     * Every state cut short is refused with a {@link StateException}.
     *
     * @param bytes state written, more than a count.
     * @param read  reads a truncated copy, the whole of it, as a restart would.
     */
    static void assertEveryTruncationRefused(final byte[] bytes, final Consumer<byte[]> read)
    {
        assertTrue(bytes.length > Integer.BYTES, "some state to truncate");
        for (int length = 0; length < bytes.length; length++)
        {
            final byte[] cut = Arrays.copyOf(bytes, length);
            assertThrows(StateException.class, () -> read.accept(cut), "cut at " + length);
        }
    }

    /**
     * Every state cut short is refused with a {@link StateException}; with any one byte changed, the state is
     * refused that way or read, and the rule then takes the events without failing.
     *
     * @param bytes  state a rule wrote.
     * @param fresh  makes a new rule with the same parameters.
     * @param events given, through a harness, to each rule that read changed bytes.
     */
    static void assertHostileBytesRefused(
        final byte[] bytes, final Supplier<Rule> fresh, final Consumer<GeoMarketHarness> events)
    {
        assertEveryTruncationRefused(fresh, bytes);
        for (int i = 0; i < bytes.length; i++)
        {
            for (final int value : new int[]{ 0x00, 0x01, 0x7F, 0x80, 0xFF })
            {
                final byte[] changed = bytes.clone();
                changed[i] = (byte)value;
                final Rule rule = fresh.get();
                try
                {
                    read(rule, changed);
                }
                catch (final StateException refused)
                {
                    continue;
                }
                events.accept(new GeoMarketHarness(rule));
            }
        }
    }

    /**
     * @param rule  to read into.
     * @param bytes it must refuse.
     * @param what  is wrong with them.
     */
    static void assertRefused(final Rule rule, final byte[] bytes, final String what)
    {
        assertThrows(StateException.class, () -> read(rule, bytes), what);
    }

    /**
     * @return a copy of the bytes with the int at {@code at} replaced.
     */
    static byte[] withInt(final byte[] bytes, final int at, final int value)
    {
        final byte[] copy = bytes.clone();
        new UnsafeBuffer(copy).putInt(at, value, ByteOrder.LITTLE_ENDIAN);
        return copy;
    }

    /**
     * @return a copy of the bytes with the long at {@code at} replaced.
     */
    static byte[] withLong(final byte[] bytes, final int at, final long value)
    {
        final byte[] copy = bytes.clone();
        new UnsafeBuffer(copy).putLong(at, value, ByteOrder.LITTLE_ENDIAN);
        return copy;
    }
}
