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
import io.txmon.rules.state.AccountStore;
import io.txmon.rules.state.RuleSetState;
import io.txmon.rules.state.StateException;
import io.txmon.journal.SnapshotException;
import io.txmon.journal.SnapshotStore;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * Replays a range of a journal through the rules exactly as the live engine ran them, and hands over the
 * alerts raised on the events of the range, encoded as the engine journals them, in the order it emits them.
 * <p>
 * Before the range, the rules are warmed up as a restarted engine rebuilds them, with their alerts suppressed
 * ({@link WarmUp}): from the newest usable snapshot the engine took before the range, each worker's rule set
 * restored from it and every event after it replayed; or, without one, every reference event
 * ({@code AccountUpdate}, {@code ConfigChange}) from the start of the journal and every transaction from the
 * ingest time of the range's first record less the longest {@link Rule#horizonNanos()} of the rules in effect
 * there (from the start if a rule needs its whole history); or every event from the start.
 * <p>
 * The rules start from {@link RuleSettings#defaults()} (or the snapshot's) and follow the journal's
 * {@code ConfigChange} events, as the engine did; or, for a backtest, start from candidate settings and ignore
 * those events, and then never from a snapshot: its state comes from other rules.
 * <p>
 * A snapshot is an optimisation only: the journal stays the truth, and each warm-up gives the rules the state
 * the live ones had at the range (the snapshot's exactly, being the live state itself).
 */
final class Replayer
{
    /** Records read per poll. */
    private static final int BATCH = 4096;
    /** Alerts one worker may raise on one event: one per rule. */
    private static final int ALERTS_PER_WORKER = 64;

    /**
     * How the rules are warmed up before the range.
     */
    enum WarmUp
    {
        /**
         * From the newest snapshot before the range that is usable (SNAPSHOT.md: whole, of this journal, taken
         * with the same worker count, of rules this build reads), then every event after it; as {@link #AUTO}
         * if there is none.
         */
        SNAPSHOT("snapshot"),
        /** Every reference event from the start, transactions from the rules' horizon before the range. */
        AUTO("auto"),
        /** Every event from the start, for journals whose event times lag their ingest times. */
        ALL("all"),
        /** None needed: the range starts at the journal's first offset. */
        NONE("none");

        private final String label;

        WarmUp(final String label)
        {
            this.label = label;
        }

        /**
         * @return the name on the command line.
         */
        String label()
        {
            return label;
        }

        /**
         * @param label on the command line: snapshot, auto or all.
         * @return the warm-up, or null if the label names none that can be asked for.
         */
        static WarmUp of(final String label)
        {
            for (final WarmUp warmUp : values())
            {
                if (warmUp != NONE && warmUp.label.equals(label))
                {
                    return warmUp;
                }
            }
            return null;
        }
    }

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
    private final WarmUp warmUp;
    private final Path snapshotDir;
    private final Consumer<String> notes;
    private final AccountStore.Limits limits;
    private WarmUp warmUpUsed;
    private String fallback;
    private Path snapshot;
    private long snapshotOffset = -1;
    private long warmUpFrom;
    private long warmUpEvents;
    private long transactionsFrom;
    private long evaluated;
    private long ruleErrors;
    private long configChangesIgnored;
    private String firstRuleError;

    /**
     * @param journal     directory of the events journal.
     * @param workers     partitions, as the live engine had.
     * @param candidate   settings to start from while ignoring the journal's changes, or null to start from the
     *                    defaults and follow the journal's changes.
     * @param warmUp      asked for: {@link WarmUp#SNAPSHOT} warms up as {@link WarmUp#AUTO} for a candidate or
     *                    without a usable snapshot.
     * @param snapshotDir of the engine's snapshots, for {@link WarmUp#SNAPSHOT}; null for none.
     * @param limits      engine-wide account limits, as the live engine's (its workers each hold their share).
     * @param notes       told of each snapshot passed over, and why.
     */
    Replayer(
        final Path journal,
        final int workers,
        final RuleSettings candidate,
        final WarmUp warmUp,
        final Path snapshotDir,
        final AccountStore.Limits limits,
        final Consumer<String> notes)
    {
        if (warmUp == WarmUp.NONE)
        {
            throw new IllegalArgumentException("ask for the snapshot, auto or all warm-up");
        }
        this.journal = journal;
        this.workers = workers;
        this.candidate = candidate;
        this.warmUp = warmUp;
        this.snapshotDir = snapshotDir;
        this.notes = notes;
        this.limits = limits.perWorker(workers);
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
        warmUpUsed = from <= first ? WarmUp.NONE : warmUp;
        fallback = null;
        snapshot = null;
        snapshotOffset = -1;
        warmUpEvents = 0;
        warmUpFrom = first;
        transactionsFrom = first;
        RuleSet[] restored = null;
        if (warmUpUsed == WarmUp.SNAPSHOT)
        {
            restored = restore(from);
            if (null == restored)
            {
                warmUpUsed = WarmUp.AUTO;
            }
            else
            {
                warmUpFrom = snapshotOffset + 1;
                transactionsFrom = warmUpFrom;
            }
        }
        if (warmUpUsed == WarmUp.AUTO)
        {
            transactionsFrom = warmUpStart(first, from, start);
        }

        final RuleSet[] sets = restored;
        final RuleReplay replay = new RuleReplay(
            workers, (worker) -> null == sets ? RuleSet.of(start, limits) : sets[worker], this::onRuleError,
            ALERTS_PER_WORKER);
        final AlertCodec codec = new AlertCodec();
        final UnsafeBuffer encoded = new UnsafeBuffer(new byte[AlertCodec.MAX_LENGTH]);
        final boolean ignoreChanges = null != candidate;
        try (JournalReader reader = JournalReader.open(journal))
        {
            if (!reader.seek(warmUpFrom))
            {
                throw new IllegalStateException("cannot read " + journal + " from offset " + warmUpFrom);
            }
            long next = warmUpFrom;
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
                        if (null == event)
                        {
                            return;
                        }
                        if (offset < from)
                        {
                            warmUpEvents++;
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
     * @return the warm-up the last replay used.
     */
    WarmUp warmUpUsed()
    {
        return warmUpUsed;
    }

    /**
     * @return the snapshot the last replay started from, or null.
     */
    Path snapshot()
    {
        return snapshot;
    }

    /**
     * @return the rules offset of the snapshot the last replay started from, or -1.
     */
    long snapshotOffset()
    {
        return snapshotOffset;
    }

    /**
     * @return events replayed before the range, their alerts suppressed.
     */
    long warmUpEvents()
    {
        return warmUpEvents;
    }

    /**
     * @return one line: the warm-up used, why another than asked for, and what it replayed.
     */
    String warmUpSummary()
    {
        final String why = null == fallback ? "" : " (" + fallback + ")";
        final String events = warmUpEvents + (warmUpEvents == 1 ? " event" : " events") + " replayed";
        return switch (warmUpUsed)
        {
            case SNAPSHOT -> "snapshot " + snapshot.getFileName() + " (rule state at offset " + snapshotOffset +
                "): " + events + " after it";
            case AUTO -> "auto" + why + ": " + events + ", reference events from offset " + warmUpFrom +
                " and transactions from offset " + transactionsFrom + ", the rules' horizon";
            case ALL -> "all: " + events + " from offset " + warmUpFrom;
            case NONE -> "none: the range starts at the journal's first offset";
        };
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

    /**
     * Each worker's rule set restored from the newest usable snapshot before the range, or null (and why in
     * {@link #fallback}); every snapshot before the range passed over is a note.
     */
    private RuleSet[] restore(final long from)
    {
        if (null != candidate)
        {
            fallback = "candidate rules never start from a snapshot";
            return null;
        }
        if (null == snapshotDir || !Files.isDirectory(snapshotDir))
        {
            fallback = null == snapshotDir ? "no snapshot directory" : "no snapshot directory " + snapshotDir;
            return null;
        }
        final List<Path> files;
        try
        {
            files = new SnapshotStore(snapshotDir, 1).list();
        }
        catch (final IllegalStateException ex)
        {
            notes.accept("snapshots: " + ToolsCli.describe(ex) + "; none used");
            fallback = "no snapshot readable in " + snapshotDir;
            return null;
        }
        int before = 0;
        for (final Path file : files)
        {
            final long offset = SnapshotStore.rulesOffsetOf(file);
            if (offset >= from)
            {
                continue;
            }
            before++;
            if (offset < 0)
            {
                notes.accept("snapshot " + file.getFileName() + ": not a snapshot's file name; not used");
                continue;
            }
            try
            {
                final RuleSet[] sets = restore(SnapshotStore.read(file, workers, journal));
                snapshot = file;
                snapshotOffset = offset;
                return sets;
            }
            catch (final SnapshotException | StateException ex)
            {
                notes.accept("snapshot " + ex.getMessage() + "; not used");
            }
        }
        fallback = (before == 0 ? "no snapshot before offset " : "no usable snapshot before offset ") + from +
            " in " + snapshotDir;
        return null;
    }

    /**
     * Each worker's rule set as the snapshot holds it: the journal's configuration at its offset, never fixed rules
     * (those of a test or embedded engine given its own rules, which the journal does not configure).
     */
    private RuleSet[] restore(final SnapshotStore.Snapshot snapshot)
    {
        final String file = snapshot.file().getFileName().toString();
        final RuleSet[] sets = new RuleSet[workers];
        for (int i = 0; i < workers; i++)
        {
            sets[i] = RuleSetState.readPart(snapshot.buffer(), snapshot.partOffset(1 + i), snapshot.partLength(1 + i),
                file + " worker " + i, RuleSettings.defaults(), () ->
                {
                    throw new StateException(file + ": taken with fixed rules, not the journal's configuration the " +
                        "replay runs");
                }, limits);
        }
        return sets;
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
