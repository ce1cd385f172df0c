package io.txmon.tools;

import io.txmon.events.EventEnvelope;
import io.txmon.events.codec.AlertDecoder;
import io.txmon.events.codec.Channel;
import io.txmon.events.codec.MessageHeaderDecoder;
import io.txmon.events.codec.MessageHeaderEncoder;
import io.txmon.events.codec.PaymentEncoder;
import io.txmon.journal.JournalConfig;
import io.txmon.journal.JournalReader;
import io.txmon.journal.JournalWriter;
import io.txmon.rules.AlertBuffer;
import io.txmon.rules.AlertCodec;
import io.txmon.rules.RuleReplay;
import io.txmon.rules.TxEvent;
import io.txmon.rules.config.RuleConfigChange;
import io.txmon.rules.config.RuleSet;
import io.txmon.rules.config.RuleSettings;
import io.txmon.scenario.ScenarioGenerator;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Journals for the replay tests, written as the engine writes them: the events journal record by record, with
 * ingest time = event time, and the alert journal by the rules over it, as the live alert sink journals them.
 */
final class ReplayTestSupport
{
    /** Small segments keep the temporary files small. */
    static final JournalConfig CONFIG = new JournalConfig().segmentLength(4 * 1024 * 1024);

    private ReplayTestSupport()
    {
    }

    /**
     * Journal a scenario with operator changes (producer 2) before the events at the given indexes, and the
     * engine's own changes (producer 0, sequence -1) that configure the scenario's watch list first.
     */
    static void writeScenario(
        final Path journal,
        final ScenarioGenerator scenario,
        final int events,
        final RuleConfigChange[] changes,
        final int[] changeAt)
    {
        final UnsafeBuffer change = new UnsafeBuffer(new byte[1024]);
        try (JournalWriter writer = JournalWriter.open(journal, CONFIG))
        {
            final long start = scenario.options().startEventTime();
            final RuleSettings configured = RuleSettings.defaults().with(java.util.Map.of(
                "rules.watch-list.watched-accounts", join(scenario.watchedAccounts()),
                "rules.watch-list.watched-parties", join(scenario.watchedParties())));
            for (final RuleConfigChange engineChange : RuleSettings.defaults().changesTo(configured))
            {
                append(writer, change, 0, engineChange.encode(change, 0, 0, -1, start), start);
            }
            final int[] index = new int[1];
            final int[] nextChange = new int[1];
            scenario.generate(events, (buffer, offset, length) ->
            {
                final long eventTime = EventEnvelope.eventTime(buffer, offset);
                if (nextChange[0] < changes.length && index[0] == changeAt[nextChange[0]])
                {
                    final int changeLength = changes[nextChange[0]].encode(change, 0, 2, nextChange[0], eventTime);
                    append(writer, change, 0, changeLength, eventTime);
                    nextChange[0]++;
                }
                append(writer, buffer, offset, length, eventTime);
                index[0]++;
            });
        }
    }

    /**
     * Journal payments: amounts[i] from debtor 100 + i to creditor 900, tx id 5000 + i, a minute apart.
     */
    static void writePayments(final Path journal, final long[] amounts)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
        final PaymentEncoder payment = new PaymentEncoder();
        try (JournalWriter writer = JournalWriter.open(journal, CONFIG))
        {
            for (int i = 0; i < amounts.length; i++)
            {
                final long time = ScenarioGenerator.Options.DEFAULT_START_EVENT_TIME + i * 60_000_000_000L;
                payment.wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
                    .producerId(7).producerSeq(i).eventTime(time).txId(5000 + i)
                    .debtorAccount(100 + i).creditorAccount(900).amount(amounts[i]).currency(978)
                    .channel(Channel.SEPA).debtorCountry("DE").creditorCountry("FR").latitude(0).longitude(0)
                    .reference("fixture");
                append(writer, buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + payment.encodedLength(), time);
            }
        }
    }

    /**
     * Write the alert journal the engine would have written over the events journal: rules from the defaults,
     * following the journal's changes, alerts in worker order, each alert kept if the filter says so.
     */
    static int writeAlerts(
        final Path journal, final Path alerts, final int workers, final Predicate<AlertEntry> keep, final Tamper tamper)
    {
        final RuleReplay replay = new RuleReplay(workers, (worker) -> RuleSet.of(RuleSettings.defaults()),
            (rule, offset, error) -> fail("rule error at " + offset + ": " + error), 64);
        final AlertCodec codec = new AlertCodec();
        final UnsafeBuffer encoded = new UnsafeBuffer(new byte[AlertCodec.MAX_LENGTH]);
        final int[] written = new int[1];
        try (JournalReader reader = JournalReader.open(journal);
            JournalWriter writer = JournalWriter.open(alerts, CONFIG))
        {
            while (reader.poll((offset, timestamp, templateId, buffer, payloadOffset, payloadLength) ->
            {
                final TxEvent event = replay.evaluate(offset, timestamp, buffer, payloadOffset, true);
                if (null == event)
                {
                    return;
                }
                for (int w = 0; w < workers; w++)
                {
                    final AlertBuffer raised = event.alerts(w);
                    for (int i = 0; i < raised.count(); i++)
                    {
                        final int length = codec.encode(raised.get(i), encoded, 0);
                        if (keep.test(AlertEntry.of(encoded, 0, length)))
                        {
                            if (null != tamper)
                            {
                                tamper.apply(encoded, length);
                            }
                            append(writer, encoded, 0, length, timestamp);
                            written[0]++;
                        }
                    }
                }
            }, 4096) > 0)
            {
                continue;
            }
        }
        return written[0];
    }

    /**
     * Changes an alert's bytes before it is journaled.
     */
    @FunctionalInterface
    interface Tamper
    {
        void apply(UnsafeBuffer alert, int length);
    }

    /**
     * @return a tamper that changes the score of the alert with this id.
     */
    static Tamper changeScore(final long alertId)
    {
        return (alert, length) ->
        {
            final int body = MessageHeaderDecoder.ENCODED_LENGTH;
            if (alert.getLong(body + AlertDecoder.alertIdEncodingOffset(), AlertDecoder.BYTE_ORDER) == alertId)
            {
                final int at = body + AlertDecoder.scoreEncodingOffset();
                alert.putInt(at, alert.getInt(at, AlertDecoder.BYTE_ORDER) + 1, AlertDecoder.BYTE_ORDER);
            }
        };
    }

    /**
     * Every record of a journal: {offset, templateId, producerSeq, amount-or-0}.
     */
    static List<long[]> records(final Path journal)
    {
        final List<long[]> records = new ArrayList<>();
        final io.txmon.events.codec.PaymentDecoder payment = new io.txmon.events.codec.PaymentDecoder();
        try (JournalReader reader = JournalReader.open(journal))
        {
            while (reader.poll((offset, timestamp, templateId, buffer, payloadOffset, payloadLength) ->
            {
                long amount = 0;
                if (templateId == io.txmon.events.codec.PaymentDecoder.TEMPLATE_ID)
                {
                    payment.wrapAndApplyHeader(buffer, payloadOffset, new MessageHeaderDecoder());
                    amount = payment.amount();
                }
                records.add(new long[]{ offset, templateId, EventEnvelope.producerSeq(buffer, payloadOffset), amount });
            }, 4096) > 0)
            {
                continue;
            }
        }
        return records;
    }

    private static void append(
        final JournalWriter writer, final DirectBuffer buffer, final int offset, final int length, final long time)
    {
        final int templateId = buffer.getShort(offset + MessageHeaderDecoder.templateIdEncodingOffset(),
            MessageHeaderDecoder.BYTE_ORDER) & 0xFFFF;
        final long result = writer.append(buffer, offset, length, templateId, time);
        assertTrue(result >= 0, () -> "append failed: " + result);
    }

    static String join(final long[] values)
    {
        final StringBuilder text = new StringBuilder();
        for (final long value : values)
        {
            text.append(text.length() > 0 ? "," : "").append(value);
        }
        return text.toString();
    }

    /**
     * The outcome of one command run.
     */
    record Run(int status, String out, String err)
    {
        List<String> outLines()
        {
            return out.isEmpty() ? List.of() : List.of(out.split("\\R"));
        }

        List<String> errLines()
        {
            return err.isEmpty() ? List.of() : List.of(err.split("\\R"));
        }
    }

    /**
     * Run {@code txmon replay} with these arguments.
     */
    static Run replay(final String... args)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final String[] command = new String[args.length + 1];
        command[0] = "replay";
        System.arraycopy(args, 0, command, 1, args.length);
        final int status;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
            PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8))
        {
            status = ToolsCli.run(command, o, e);
        }
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
