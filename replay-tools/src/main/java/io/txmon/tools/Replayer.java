package io.txmon.tools;

import io.txmon.events.codec.ConfigChangeDecoder;
import io.txmon.events.codec.PaymentDecoder;
import io.txmon.journal.JournalReader;
import io.txmon.rules.AlertBuffer;
import io.txmon.rules.AlertCodec;
import io.txmon.rules.AlertRecord;
import io.txmon.rules.Rule;
import io.txmon.rules.RuleReplay;
import io.txmon.rules.TxEvent;
import io.txmon.rules.TxEventDecoder;
import io.txmon.rules.config.RuleConfigChange;
import io.txmon.rules.config.RuleSet;
import io.txmon.rules.config.RuleSettings;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.file.Path;

/**
 * Replays a range of a journal through the rules exactly as the live engine ran them, and hands over the
 * alerts raised on the events of the range, encoded as the engine journals them, in the order it emits them.
 * <p>
 * Before the range, the rules are warmed up as a restarted engine rebuilds them, with their alerts suppressed:
 * every reference event ({@code AccountUpdate}, {@code ConfigChange}) from the start of the journal, and every
 * transaction from the ingest time of the range's first record less the longest {@link Rule#horizonNanos()} of
 * the rules in effect there (from the start if a rule needs its whole history).
 * <p>
 * The rules start from {@link RuleSettings#defaults()} and follow the journal's {@code ConfigChange} events,
 * as the engine did; or, for a backtest, start from candidate settings and ignore those events.
 */
final class Replayer
{
    /** Records read per poll. */
    private static final int BATCH = 4096;
    /** Alerts one worker may raise on one event: one per rule. */
    private static final int ALERTS_PER_WORKER = 64;

    /**
     * Told of each alert raised on an event of the range.
     */
    @FunctionalInterface
    interface AlertSink
    {
        /**
         * @param event  the event that raised it; valid for the call only.
         * @param alert  raised.
         * @param bytes  the encoded {@code Alert} message, header first; valid for the call only.
         * @param length of the message.
         */
        void onAlert(TxEvent event, AlertRecord alert, UnsafeBuffer bytes, int length);
    }

    /**
     * Told of each event of the range, after its alerts.
     */
    @FunctionalInterface
    interface EventSink
    {
        /**
         * @param event evaluated; valid for the call only.
         */
        void onEvent(TxEvent event);
    }

    /**
     * Told how far the replay has come, every few thousand records.
     */
    @FunctionalInterface
    interface Progress
    {
        /**
         * @param offset of the next record.
         */
        void at(long offset);
    }

    private final Path journal;
    private final int workers;
    private final RuleSettings candidate;
    private final boolean warmUpAll;
    private long transactionsFrom;
    private long evaluated;
    private long ruleErrors;
    private long configChangesIgnored;
    private String firstRuleError;

    /**
     * @param journal   directory of the events journal.
     * @param workers   partitions, as the live engine had.
     * @param candidate settings to start from while ignoring the journal's changes, or null to start from the
     *                  defaults and follow the journal's changes.
     * @param warmUpAll true to replay every transaction from the start, whatever the rules' horizons.
     */
    Replayer(final Path journal, final int workers, final RuleSettings candidate, final boolean warmUpAll)
    {
        this.journal = journal;
        this.workers = workers;
        this.candidate = candidate;
        this.warmUpAll = warmUpAll;
    }

    /**
     * Replay offsets [from, to] of the journal.
     *
     * @param first    offset the journal holds.
     * @param from     first offset of the range.
     * @param to       last offset of the range, inclusive.
     * @param alerts   told of each alert raised on an event of the range.
     * @param events   told of each event of the range, or null.
     * @param progress told how far the replay has come, or null.
     */
    void replay(
        final long first,
        final long from,
        final long to,
        final AlertSink alerts,
        final EventSink events,
        final Progress progress)
    {
        final RuleSettings start = null == candidate ? RuleSettings.defaults() : candidate;
        transactionsFrom = first;
        if (from > first && !warmUpAll)
        {
            transactionsFrom = warmUpStart(first, from, start);
        }

        final RuleReplay replay = new RuleReplay(
            workers, (worker) -> RuleSet.of(start), this::onRuleError, ALERTS_PER_WORKER);
        final AlertCodec codec = new AlertCodec();
        final UnsafeBuffer encoded = new UnsafeBuffer(new byte[AlertCodec.MAX_LENGTH]);
        final boolean ignoreChanges = null != candidate;
        try (JournalReader reader = JournalReader.open(journal))
        {
            if (!reader.seek(first))
            {
                throw new IllegalStateException("cannot read " + journal + " from offset " + first);
            }
            long next = first;
            while (next <= to)
            {
                final int read = reader.poll(
                    (offset, timestamp, templateId, buffer, payloadOffset, payloadLength) ->
                    {
                        if (ignoreChanges && templateId == ConfigChangeDecoder.TEMPLATE_ID)
                        {
                            configChangesIgnored++;
                            return;
                        }
                        final TxEvent event = replay.evaluate(
                            offset, timestamp, buffer, payloadOffset, offset >= transactionsFrom);
                        if (null == event || offset < from)
                        {
                            return;
                        }
                        evaluated++;
                        for (int w = 0; w < workers; w++)
                        {
                            final AlertBuffer raised = event.alerts(w);
                            for (int i = 0, n = raised.count(); i < n; i++)
                            {
                                final AlertRecord alert = raised.get(i);
                                alerts.onAlert(event, alert, encoded, codec.encode(alert, encoded, 0));
                            }
                        }
                        if (null != events)
                        {
                            events.onEvent(event);
                        }
                    },
                    (int)Math.min(BATCH, to + 1 - next));
                if (read <= 0)
                {
                    throw new IllegalStateException("the journal " + journal + " ends at offset " + (next - 1) +
                        ", before the end of the range " + to);
                }
                next += read;
                if (null != progress)
                {
                    progress.at(next);
                }
            }
        }
    }

    /**
     * @return the offset transactions were replayed from.
     */
    long transactionsFrom()
    {
        return transactionsFrom;
    }

    /**
     * @return events of the range evaluated.
     */
    long evaluated()
    {
        return evaluated;
    }

    /**
     * @return rules that threw and changes refused, as the live engine counts them.
     */
    long ruleErrors()
    {
        return ruleErrors;
    }

    /**
     * @return the first rule error, or null.
     */
    String firstRuleError()
    {
        return firstRuleError;
    }

    /**
     * @return the journal's {@code ConfigChange} events not applied because candidate settings were given.
     */
    long configChangesIgnored()
    {
        return configChangesIgnored;
    }

    private void onRuleError(final Rule rule, final long offset, final Throwable error)
    {
        ruleErrors++;
        if (null == firstRuleError)
        {
            firstRuleError = (null == rule ? "configuration" : rule.name()) + " at offset " + offset + ": " +
                ToolsCli.describe(error);
        }
    }

    /**
     * The offset transactions must be replayed from for the rules in effect at {@code from} to hold the state
     * the live ones had there.
     */
    private long warmUpStart(final long first, final long from, final RuleSettings start)
    {
        final RuleSettings[] settings = { start };
        final long[] fromTime = { Long.MIN_VALUE };
        final TxEventDecoder decoder = new TxEventDecoder();
        final TxEvent slot = new TxEvent(1, 1);
        final boolean followChanges = null == candidate;
        try (JournalReader reader = JournalReader.open(journal))
        {
            if (!reader.seek(first))
            {
                throw new IllegalStateException("cannot read " + journal + " from offset " + first);
            }
            long next = first;
            while (next <= from)
            {
                final int read = reader.poll(
                    (offset, timestamp, templateId, buffer, payloadOffset, payloadLength) ->
                    {
                        if (offset == from)
                        {
                            fromTime[0] = timestamp;
                        }
                        else if (followChanges && templateId == ConfigChangeDecoder.TEMPLATE_ID)
                        {
                            settings[0] = applyChange(settings[0], decoder, slot, buffer, payloadOffset);
                        }
                    },
                    (int)Math.min(BATCH, from + 1 - next));
                if (read <= 0)
                {
                    throw new IllegalStateException("the journal " + journal + " ends at offset " + (next - 1));
                }
                next += read;
            }

            final long fromIngestTime = RuleReplay.transactionsFromTime(settings[0].newRules(), fromTime[0], 0);
            if (fromIngestTime == Long.MIN_VALUE)
            {
                return first;
            }
            final long offset = reader.seekTime(fromIngestTime);
            return offset == JournalReader.NOT_FOUND ? first : Math.max(first, Math.min(offset, from));
        }
    }

    private static RuleSettings applyChange(
        final RuleSettings settings,
        final TxEventDecoder decoder,
        final TxEvent slot,
        final DirectBuffer buffer,
        final int payloadOffset)
    {
        slot.reset();
        if (!decoder.decode(buffer, payloadOffset, slot))
        {
            return settings;
        }
        try
        {
            return settings.apply(RuleConfigChange.of(slot));
        }
        catch (final IllegalArgumentException ex)
        {
            // refused, as the live workers refuse it: nothing changes
            return settings;
        }
    }

    /**
     * @param event evaluated.
     * @return the id of the payment, or 0 if the event is not a payment.
     */
    static long txIdOf(final TxEvent event)
    {
        return event.templateId == PaymentDecoder.TEMPLATE_ID ? event.txId : 0;
    }
}
