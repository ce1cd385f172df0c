package io.txmon.sequencer;

import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.EventPoller;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import io.aeron.Aeron;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.txmon.events.FieldRules;
import io.txmon.events.MessageValidator;
import io.txmon.journal.Durability;
import io.txmon.journal.JournalConfig;
import io.txmon.journal.JournalMaintenanceAgent;
import io.txmon.journal.JournalReader;
import io.txmon.journal.RetentionPolicy;
import io.txmon.journal.SnapshotException;
import io.txmon.journal.SnapshotStore;
import io.txmon.journal.JournalWriter;
import io.txmon.events.codec.AlertDecoder;
import io.txmon.events.codec.MessageHeaderDecoder;
import io.txmon.rules.AlertBuffer;
import io.txmon.rules.AlertCodec;
import io.txmon.rules.Rule;
import io.txmon.rules.RuleErrorHandler;
import io.txmon.rules.RuleReplay;
import io.txmon.rules.RuleWorker;
import io.txmon.rules.TxEvent;
import io.txmon.rules.config.RuleConfigChange;
import io.txmon.rules.config.RuleSet;
import io.txmon.rules.config.RuleSettings;
import io.txmon.rules.state.AccountStore;
import io.txmon.rules.state.RuleSetState;
import io.txmon.rules.state.SnapshotExchange;
import io.txmon.rules.state.StateException;
import io.txmon.rules.state.StateReader;
import io.txmon.rules.state.StateWriter;
import io.txmon.transport.AlertProxy;
import io.txmon.transport.EmbeddedDriver;
import io.txmon.transport.IngestAdapter;
import io.txmon.transport.IngestHandler;
import io.txmon.transport.Profile;
import io.txmon.transport.TransportConfiguration;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.ErrorHandler;
import org.agrona.collections.LongHashSet;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentInvoker;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.CompositeAgent;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.OffsetEpochNanoClock;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.agrona.concurrent.SystemNanoClock;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * The composition root of a running engine: media driver (embedded or external), Aeron client, journal,
 * Disruptor ring, sequencer, rule workers and alert sink, each an {@link Agent}, placed on threads by
 * the profile:
 * <ul>
 *   <li>{@code compact} (default): the sequencer on one thread; the rule workers and the alert sink
 *   composed on a second; an embedded driver on one shared thread; back-off idle strategies.</li>
 *   <li>{@code yielding}: compact's threads, yielding instead of parking when idle: low latency on 2 to 4
 *   cores.</li>
 *   <li>{@code low-latency}: every agent and the driver on dedicated busy-spinning threads; needs a
 *   core per spinning thread.</li>
 * </ul>
 * With {@link Context#useSequencerAgentInvoker(boolean)} the sequencer gets no thread: the caller drives it
 * through {@link #sequencerAgentInvoker()} and may hand it messages directly through
 * {@link #sequencerIngestHandler()}, as Aeron's clients offer their conductor as an invoker.
 * Closing stops the agents and releases everything in reverse order; an embedded driver deletes its
 * directory.
 */
public final class Engine implements AutoCloseable
{
    /** Segment length of the alert journal. */
    public static final int ALERT_JOURNAL_SEGMENT_LENGTH = 8 * 1024 * 1024;
    /** How long closing waits for an agent's thread at a time. */
    static final int CLOSE_RETRY_MS = 1_000;
    /** How many times closing waits for an agent's thread before it leaves the thread behind. */
    static final int CLOSE_ATTEMPTS = 5;
    /**
     * What bounds a close: the machine's monotonic clock, as AgentRunner.close's own waits are, never the context's
     * (a test's injected clock may stand still, and a close must still end). Decides nothing about events.
     */
    private static final NanoClock CLOSE_CLOCK = SystemNanoClock.INSTANCE;

    /** Default earliest event time: the schema's floor, 1970-01-01T00:00:00Z ({@code txmon run}: 2000-01-01). */
    public static final long DEFAULT_MIN_EVENT_TIME = FieldRules.MIN_EVENT_TIME;

    /** Default events between snapshots: a crash replays at most this many events of the journal at start. */
    public static final long DEFAULT_SNAPSHOT_INTERVAL = 1_000_000;

    /** Default snapshots kept: the newest, and one to fall back to if it is damaged. */
    public static final int DEFAULT_SNAPSHOTS_RETAINED = 2;

    /** Default bound on how far an event time may be ahead of the engine's clock: one day. */
    public static final long DEFAULT_MAX_EVENT_TIME_AHEAD_NS = 86_400L * 1_000_000_000L;

    private final Context ctx;
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final List<AgentRunner> runners = new CopyOnWriteArrayList<>();
    private final EngineCounters counters;
    private final JournalWriter journal;
    private final AlertSinkAgent sink;
    private final Aeron aeron;
    private final long recoveredRecords;
    private final long restoredAlerts;
    private long replayedEvents;
    private final long engineEpoch;
    private final AgentInvoker sequencerInvoker;
    private final IngestHandler sequencerIngestHandler;
    private final EngineHealth health = new EngineHealth();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final List<String> recoveryNotes = new ArrayList<>();
    private SequencerAgent sequencer;
    private EngineWatchAgent watch;
    private RingBuffer<TxEvent> ring;
    private RuleWorker[] workers;
    private SnapshotStore snapshotStore;
    private RuleSet[] snapshotSets;
    private int sequencerRunnerIndex = -1;
    private boolean closed;

    private Engine(final Context ctx)
    {
        this.ctx = ctx;
        try
        {
            if (ctx.embeddedDriver)
            {
                resources.add(EmbeddedDriver.launch(ctx.aeronDirectoryName, ctx.profile,
                    Profile.usesNetwork(ctx.ingestChannel, ctx.alertChannel, ctx.ackChannel)));
            }
            aeron = Aeron.connect(new Aeron.Context()
                .aeronDirectoryName(ctx.aeronDirectoryName)
                .errorHandler(ctx.errorHandler)
                .idleStrategy(ctx.profile.clientIdleStrategy()));
            resources.add(aeron);

            counters = new EngineCounters(aeron);
            resources.add(counters);
            health.counter(counters.health);

            journal = JournalWriter.open(ctx.journalDir, new JournalConfig()
                .segmentLength(ctx.segmentLength)
                .durability(ctx.durability)
                .forceIntervalNs(ctx.forceIntervalNs));
            resources.add(journal);
            if (null != journal.recoveryNote())
            {
                recoveryNotes.add("journal: " + journal.recoveryNote());
            }
            final JournalMaintenanceAgent maintenance = journal.newMaintenanceAgent(ctx.retention, ctx.epochClock);

            ring = RingBuffer.createSingleProducer(
                () -> new TxEvent(ctx.workerCount, ctx.alertsPerWorker), ctx.ringSize, new BusySpinWaitStrategy());

            final Subscription ingest = aeron.addSubscription(ctx.ingestChannel, ctx.ingestStreamId);
            resources.add(ingest);
            final Publication alerts = aeron.addPublication(ctx.alertChannel, ctx.alertStreamId);
            resources.add(alerts);
            final Publication acks = aeron.addPublication(ctx.ackChannel, ctx.ackStreamId);
            resources.add(acks);

            final NanoClock nanoClock = ctx.nanoClock;
            // identifies this run to producers: a new value tells them to resend what was not acknowledged
            engineEpoch = Math.max(1, ctx.epochClock.nanoTime());
            sequencer = new SequencerAgent(
                ingest, journal, ring, ctx.epochClock, nanoClock, counters, ctx.rejectListener,
                new MessageValidator(ctx.maxVarDataLength), ctx.fragmentLimit, acks, engineEpoch,
                ctx.maxClockSkewNs, ctx.maxMessageLength,
                null == ctx.ruleSettings ? null : RuleSettings.defaults());
            // a failure on any engine thread stops intake: nothing more is journaled or acknowledged
            final SequencerAgent stoppable = sequencer;
            health.onFailure(stoppable::stopIntake);
            sequencer.stampJournaled(ctx.decisionObserver != DecisionObserver.NO_OP);
            sequencer.eventTimeBounds(ctx.minEventTime, ctx.maxEventTimeAheadNs);
            final SnapshotStore.Snapshot snapshot = null == ctx.snapshotDir ? null : loadSnapshot(sequencer);
            try (JournalReader reader = JournalReader.open(ctx.journalDir))
            {
                if (null == snapshot)
                {
                    recoveredRecords = sequencer.recover(reader);
                }
                else
                {
                    // the snapshot's state stands for every record up to its offset; the sequencer takes in the rest
                    final long first = reader.firstOffset();
                    final long after = reader.seek(snapshot.sequencerOffset() + 1) ? sequencer.recover(reader) : 0;
                    recoveredRecords = snapshot.sequencerOffset() + 1 - first + after;
                }
            }

            final RuleErrorHandler ruleErrorHandler = guardRuleErrors(ctx.ruleErrorHandler, health);
            workers = new RuleWorker[ctx.workerCount];
            final Sequence[] workerSequences = new Sequence[ctx.workerCount];
            for (int i = 0; i < ctx.workerCount; i++)
            {
                // configured workers start where the journal starts, from the defaults; its changes follow
                final AccountStore.Limits limits = ctx.accountLimits.perWorker(ctx.workerCount);
                final RuleSet rules = null != snapshotSets ? snapshotSets[i] : null == ctx.ruleSettings ?
                    RuleSet.fixed(ctx.rulesFactory.apply(i), limits) : RuleSet.of(RuleSettings.defaults(), limits);
                workers[i] = new RuleWorker(
                    i, ctx.workerCount, ring.newPoller(), rules, ruleErrorHandler,
                    counters.evaluated, counters.ruleErrors, ctx.batchLimit);
                workers[i].accountCounters(
                    counters.accountsHeld, counters.accountsCapEvicted, counters.accountsIdleEvicted);
                workerSequences[i] = workers[i].sequence();
            }
            JournalWriter alertJournal = null;
            if (null != ctx.alertJournalDir)
            {
                // alerts are few: small segments, rolled and sealed by the sink itself
                alertJournal = JournalWriter.open(ctx.alertJournalDir, new JournalConfig()
                    .segmentLength(ctx.alertJournalSegmentLength)
                    .durability(ctx.durability)
                    .forceIntervalNs(ctx.forceIntervalNs));
                resources.add(alertJournal);
                if (null != alertJournal.recoveryNote())
                {
                    recoveryNotes.add("alert journal: " + alertJournal.recoveryNote());
                }
            }
            sink = new AlertSinkAgent(
                ring, workerSequences, alertJournal, new AlertProxy(alerts, AlertCodec.MAX_LENGTH), counters, health,
                ctx.decisionObserver, nanoClock, ctx.batchLimit);
            ring.addGatingSequences(sink.sequence());

            final RuleReplay replay = new RuleReplay(workers, ctx.alertsPerWorker);
            restoredAlerts = restoreRuleState(sequencer, replay, sink, null == snapshot ? -1 : snapshot.rulesOffset(),
                alertJournal);
            snapshotSets = null;
            replayedEvents = replay.evaluatedCount();
            if (null != ctx.ruleSettings)
            {
                journalConfigChanges(sequencer, replay, ctx.ruleSettings);
            }

            // slow, bursty work (segment preparation, sealing, retention) and the once-a-second watch (free space,
            // threads alive) on a thread that sleeps when idle
            watch = new EngineWatchAgent(health, counters, new SystemNanoClock(), journal, ctx.journalDir,
                ctx.segmentLength, ctx.alertJournalDir, ctx.alertJournalSegmentLength, runners)
                .maxAccounts(ctx.accountLimits.maxAccounts());
            watch.check();
            Agent slow = new CompositeAgent(new GuardedAgent(maintenance, health, ctx.errorHandler, false, ctx.nanoClock), watch);
            if (null != snapshotStore && ctx.snapshotInterval > 0)
            {
                // from here on every thread hands over its state at the same offsets; the slow thread writes it
                final SnapshotExchange exchange = new SnapshotExchange(1 + ctx.workerCount, ctx.snapshotInterval);
                sequencer.snapshots(exchange);
                for (final RuleWorker worker : workers)
                {
                    worker.snapshots(exchange);
                }
                slow = new CompositeAgent(slow, new GuardedAgent(new SnapshotAgent(exchange, snapshotStore,
                    ctx.journalDir, counters.decidedPosition, counters.snapshots, ctx.errorHandler), health,
                    ctx.errorHandler, false, ctx.nanoClock));
            }
            start(slow, new SleepingMillisIdleStrategy(1));
            if (ctx.useSequencerAgentInvoker)
            {
                sequencerInvoker = new AgentInvoker(ctx.errorHandler, null, guard(sequencer));
                sequencerInvoker.start();
                sequencerIngestHandler = sequencer;
            }
            else
            {
                sequencerInvoker = null;
                sequencerIngestHandler = null;
            }
            if (ctx.profile.threadPerAgent())
            {
                startSequencer(sequencer);
                for (final RuleWorker worker : workers)
                {
                    start(worker);
                }
                start(sink);
            }
            else
            {
                startSequencer(sequencer);
                final Agent[] stage = new Agent[workers.length + 1];
                for (int i = 0; i < workers.length; i++)
                {
                    stage[i] = guard(workers[i]);
                }
                stage[workers.length] = guard(sink);
                startGuarded(new CompositeAgent(stage), ctx.idleStrategy());
            }
        }
        catch (final RuntimeException | Error ex)
        {
            closeAll();
            throw ex;
        }
    }

    /**
     * The newest snapshot that reads whole and belongs to this journal, its state given to the sequencer (and its
     * rule sets kept for the workers); every snapshot passed over, and why, is a recovery note. Null if none.
     */
    private SnapshotStore.Snapshot loadSnapshot(final SequencerAgent sequencer)
    {
        snapshotStore = new SnapshotStore(ctx.snapshotDir, ctx.snapshotsRetained);
        final List<Path> files = snapshotStore.list();
        for (final Path file : files)
        {
            try
            {
                final SnapshotStore.Snapshot snapshot = SnapshotStore.read(file, ctx.workerCount, ctx.journalDir);
                final RuleSet[] sets = new RuleSet[ctx.workerCount];
                for (int i = 0; i < sets.length; i++)
                {
                    final int worker = i;
                    sets[i] = RuleSetState.readPart(snapshot.buffer(), snapshot.partOffset(1 + i),
                        snapshot.partLength(1 + i), file.getFileName() + " worker " + i, RuleSettings.defaults(),
                        () -> ctx.rulesFactory.apply(worker), ctx.accountLimits.perWorker(ctx.workerCount));
                    if ((null == sets[i].settings()) != (null == ctx.ruleSettings))
                    {
                        throw new StateException(file.getFileName() + ": taken with " +
                            (null == sets[i].settings() ? "fixed" : "configured") + " rules, the engine runs " +
                            (null == ctx.ruleSettings ? "fixed" : "configured") + " rules");
                    }
                }
                sequencer.readState(new StateReader().wrap(snapshot.buffer(), snapshot.partOffset(0),
                    snapshot.partLength(0), file.getFileName() + " sequencer"));
                snapshotSets = sets;
                recoveryNotes.add("snapshot: state restored from " + file.getFileName() + " (journal offset " +
                    snapshot.rulesOffset() + "); the journal is replayed from offset " + (snapshot.rulesOffset() + 1));
                return snapshot;
            }
            catch (final SnapshotException | StateException ex)
            {
                recoveryNotes.add("snapshot: " + ex.getMessage() + "; not used");
            }
        }
        if (!files.isEmpty())
        {
            recoveryNotes.add("snapshot: none usable; rule state is rebuilt from the journal");
        }
        return null;
    }

    /**
     * At a clean close, once the sequencer has stopped and the rules have decided everything it published: write a
     * snapshot at the end of the journal, so that the next start replays nothing. Runs on the closing thread after
     * every agent's thread has ended.
     */
    private void snapshotAtClose(final boolean drained)
    {
        if (null == snapshotStore || !drained || null == workers || health.state() == EngineHealth.State.FAILED)
        {
            return;
        }
        final long last = journal.nextOffset() - 1;
        if (last < 0)
        {
            return;
        }
        final byte[][] parts = new byte[1 + workers.length][];
        final StateWriter state = new StateWriter();
        sequencer.writeState(state.reset());
        parts[0] = copy(state);
        for (int i = 0; i < workers.length; i++)
        {
            final Rule unsupported = RuleSetState.unsupported(workers[i].ruleSet());
            if (null != unsupported)
            {
                return;
            }
            RuleSetState.write(workers[i].ruleSet(), state.reset());
            parts[1 + i] = copy(state);
        }
        try
        {
            snapshotStore.write(last, last, ctx.journalDir, parts);
            counters.snapshots.incrementRelease();
        }
        catch (final IOException | RuntimeException ex)
        {
            ctx.errorHandler.onError(new IllegalStateException("no snapshot written at close: " + ex, ex));
        }
    }

    private static byte[] copy(final StateWriter state)
    {
        final byte[] bytes = new byte[state.position()];
        state.buffer().getBytes(0, bytes);
        return bytes;
    }

    /**
     * Stop the sequencer first and let the rules and the alert sink finish what it published (bounded), so that a
     * snapshot at close covers the whole journal.
     *
     * @return true if everything published was decided.
     */
    private boolean drainForSnapshot()
    {
        if (null == snapshotStore || null == sink || null == ring)
        {
            return false;
        }
        if (sequencerRunnerIndex >= 0)
        {
            if (!stopRunner(runners.get(sequencerRunnerIndex), threads.get(sequencerRunnerIndex)))
            {
                return false;
            }
        }
        final long deadline = CLOSE_CLOCK.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_RETRY_MS * CLOSE_ATTEMPTS);
        while (sink.sequence().get() < ring.getCursor())
        {
            if (CLOSE_CLOCK.nanoTime() - deadline > 0 || health.state() == EngineHealth.State.FAILED)
            {
                return false;
            }
            Thread.onSpinWait();
            Thread.yield();
        }
        return true;
    }

    /**
     * A rule's exception is the rule's: counted, reported, and the worker goes on. An error of the virtual machine
     * (out of memory, an {@code InternalError} from a mapped file, a stack overflow) or of linkage thrown by a rule
     * leaves nothing to trust: the engine fails and stops intake.
     */
    private static RuleErrorHandler guardRuleErrors(final RuleErrorHandler handler, final EngineHealth health)
    {
        return new RuleErrorHandler()
        {
            public void onRuleError(final Rule rule, final long offset, final Throwable error)
            {
                try
                {
                    handler.onRuleError(rule, offset, error);
                }
                finally
                {
                    if (error instanceof VirtualMachineError || error instanceof LinkageError)
                    {
                        health.fail("txmon-rule-worker", new RuleException(
                            null == rule ? "configuration" : rule.name(), offset, error));
                    }
                }
            }

            public void onConfigRefused(final long offset, final io.txmon.rules.config.ConfigException error)
            {
                handler.onConfigRefused(offset, error);
            }
        };
    }

    /**
     * Rebuild rule state from the journal, before any agent runs: every reference event ({@code AccountUpdate},
     * {@code ConfigChange}) from the start, and every transaction from the newest ingest time less the longest
     * horizon of the rules in effect and twice the allowed clock skew (the start of the journal if any rule
     * needs its whole history, or if skew is unbounded). Alerts
     * the rules raise again are not emitted again: the alert journal says which were; those it lacks (a crash
     * between journaling an event and emitting its alerts) are emitted now, in offset order.
     *
     * @return alerts emitted that an earlier run had not.
     */
    private long restoreRuleState(
        final SequencerAgent sequencer,
        final RuleReplay replay,
        final AlertSinkAgent sink,
        final long snapshotOffset,
        final JournalWriter alertJournal)
    {
        if (recoveredRecords == 0 || journal.nextOffset() <= snapshotOffset + 1)
        {
            return 0;
        }
        final long transactionsFrom;
        try (JournalReader reader = JournalReader.open(ctx.journalDir))
        {
            // a rule changed in the journal was made anew then: the rules in effect at its end say how far back
            final Rule[] rules = null == sequencer.ruleSettings() ?
                replay.workers()[0].ruleSet().rules() : sequencer.ruleSettings().newRules();
            // windows run on event time, the time index on ingest time: they differ by at most the skew the
            // sequencer allows, so without a bound on skew every transaction is replayed
            final long skew = ctx.maxClockSkewNs;
            final long from = skew <= 0 ?
                Long.MIN_VALUE : RuleReplay.transactionsFromTime(rules, journal.lastTimestamp(), 2 * skew);
            final long offset = from == Long.MIN_VALUE ? JournalReader.NOT_FOUND : reader.seekTime(from);
            transactionsFrom = offset == JournalReader.NOT_FOUND ? 0 : offset;
        }

        // the alert journal's tail only: an event raises at most workers x alertsPerWorker alerts
        final AlertTail tail = null == alertJournal ? null : AlertTail.read(ctx.alertJournalDir,
            alertJournal.nextOffset() - (long)ctx.workerCount * ctx.alertsPerWorker - 1);
        final long[] emitted = new long[1];
        try (JournalReader reader = JournalReader.open(ctx.journalDir))
        {
            if (snapshotOffset >= 0 && !reader.seek(snapshotOffset + 1))
            {
                return 0;
            }
            final int[] n = new int[1];
            do
            {
                n[0] = reader.poll(
                    (offset, timestamp, templateId, buffer, payloadOffset, payloadLength) ->
                    {
                        final TxEvent event = replay.evaluate(
                            offset, timestamp, buffer, payloadOffset, offset >= transactionsFrom);
                        if (null != event)
                        {
                            emitted[0] += emitMissing(event, tail, sink);
                        }
                    },
                    4096);
            }
            while (n[0] > 0);
        }
        return emitted[0];
    }

    private static long emitMissing(final TxEvent event, final AlertTail tail, final AlertSinkAgent sink)
    {
        long emitted = 0;
        for (int w = 0, workers = event.workerCount(); w < workers; w++)
        {
            final AlertBuffer alerts = event.alerts(w);
            for (int i = 0, n = alerts.count(); i < n; i++)
            {
                if (null != tail && tail.isMissing(event.offset, alerts.get(i).alertId()))
                {
                    sink.emitRestored(alerts.get(i), event.ingestTime);
                    emitted++;
                }
            }
        }
        return emitted;
    }

    /**
     * Journal, as the engine's own {@code ConfigChange} events, what changed between the settings the last
     * engine on this journal was started with and these, and apply them to the workers at their offsets.
     * Keys the configuration did not change keep the value the journal holds, run-time changes included, as
     * Kafka's dynamic configuration outlives a restart.
     */
    private void journalConfigChanges(final SequencerAgent sequencer, final RuleReplay replay, final RuleSettings target)
    {
        for (final RuleConfigChange change : sequencer.startSettings().changesTo(target))
        {
            final long eventTime = ctx.epochClock.nanoTime();
            final long offset;
            try
            {
                offset = sequencer.appendEngineConfigChange(change, eventTime);
            }
            catch (final IllegalArgumentException ex)
            {
                throw new IllegalStateException("the configuration's change '" + change + "' does not apply to the " +
                    "settings the journal holds (changed at run time since the last start): " + ex.getMessage() +
                    "; change the dependent keys together in the configuration", ex);
            }
            if (offset < 0)
            {
                throw new IllegalStateException("cannot journal the configuration change '" + change + "': journal status " +
                    offset, journal.lastError());
            }
            replay.evaluate(offset, journal.lastTimestamp(), sequencer.engineEventBuffer(), 0, true);
        }
    }

    /**
     * Where the alert journal ends: the triggering offset of its last alert and the ids of the alerts at that
     * offset. An alert at a later offset, or at that offset with another id, was never emitted.
     */
    private static final class AlertTail
    {
        private long lastOffset = -1;
        private final LongHashSet idsAtLastOffset = new LongHashSet();

        static AlertTail read(final Path dir, final long fromOffset)
        {
            final AlertTail tail = new AlertTail();
            final MessageHeaderDecoder header = new MessageHeaderDecoder();
            final AlertDecoder decoder = new AlertDecoder();
            try (JournalReader reader = JournalReader.open(dir))
            {
                if (fromOffset > reader.firstOffset())
                {
                    reader.seek(fromOffset);
                }
                int n;
                do
                {
                    n = reader.poll(
                        (offset, timestamp, templateId, buffer, payloadOffset, payloadLength) ->
                            tail.onAlert(decoder.wrapAndApplyHeader(buffer, payloadOffset, header)),
                        4096);
                }
                while (n > 0);
            }
            return tail;
        }

        private void onAlert(final AlertDecoder alert)
        {
            final long offset = alert.triggeringOffset();
            if (offset != lastOffset)
            {
                lastOffset = offset;
                idsAtLastOffset.clear();
            }
            idsAtLastOffset.add(alert.alertId());
        }

        boolean isMissing(final long offset, final long alertId)
        {
            return offset > lastOffset || (offset == lastOffset && !idsAtLastOffset.contains(alertId));
        }
    }

    /**
     * Start an engine.
     *
     * @param ctx configuration; concluded here.
     * @return the running engine.
     */
    public static Engine launch(final Context ctx)
    {
        return new Engine(ctx.conclude());
    }

    private void startSequencer(final SequencerAgent sequencer)
    {
        if (null == sequencerInvoker)
        {
            sequencerRunnerIndex = runners.size();
            start(sequencer);
        }
    }

    private void start(final Agent agent)
    {
        startGuarded(guard(agent), ctx.idleStrategy());
    }

    private Agent guard(final Agent agent)
    {
        return new GuardedAgent(agent, health, ctx.errorHandler, true, ctx.nanoClock);
    }

    private void start(final Agent agent, final IdleStrategy idleStrategy)
    {
        startGuarded(agent, idleStrategy);
    }

    private void startGuarded(final Agent agent, final IdleStrategy idleStrategy)
    {
        // whatever still escapes a guarded agent (an Error from onStart or onClose) is reported and fails the engine
        final ErrorHandler handler = ctx.errorHandler;
        final EngineHealth engineHealth = health;
        final String role = agent.roleName();
        final AgentRunner runner = new AgentRunner(idleStrategy, (t) ->
        {
            handler.onError(t);
            if (t instanceof Error)
            {
                engineHealth.fail(role, t);
            }
        }, null, agent);
        runners.add(runner);
        threads.add(AgentRunner.startOnThread(runner));
    }

    /**
     * @return the engine's health: ok, degraded (and why) or failed (which thread, and why).
     */
    public EngineHealth health()
    {
        return health;
    }

    /**
     * @return the engine's counters.
     */
    public EngineCounters counters()
    {
        return counters;
    }

    /**
     * @return the Aeron client the engine uses; shared with producers in the same process.
     */
    public Aeron aeron()
    {
        return aeron;
    }

    /**
     * @return the concluded configuration.
     */
    public Context context()
    {
        return ctx;
    }

    /**
     * Stop intake for good, from any thread: nothing more is journaled or acknowledged, and producers are refused
     * with {@code ENGINE_STOPPED}. See {@link SequencerAgent#stopIntake(Throwable)}.
     *
     * @param cause why; may be null.
     */
    public void stopIntake(final Throwable cause)
    {
        sequencer.stopIntake(cause);
    }

    /**
     * @return true once intake has stopped, after {@link #stopIntake} or a journal failure.
     */
    public boolean isIntakeStopped()
    {
        return null != sequencer && sequencer.isIntakeStopped();
    }

    /**
     * @return the epoch of this run, carried in every acknowledgement.
     */
    public long engineEpoch()
    {
        return engineEpoch;
    }

    /**
     * @return alerts a restart found had been raised but not emitted, and emitted before taking input.
     */
    public long restoredAlerts()
    {
        return restoredAlerts;
    }

    /**
     * @return journaled events replayed through the rules at start to rebuild their state: those after the snapshot
     * restored, or the journal's (back to the rules' horizon) without one.
     */
    public long replayedEvents()
    {
        return replayedEvents;
    }

    /**
     * @return records found in the journal at start.
     */
    public long recoveredRecords()
    {
        return recoveredRecords;
    }

    /**
     * @return what the journals' recovery did at start that an operator should know (a torn tail cut, and where
     * its bytes were kept), one line each; empty when both were clean.
     */
    public List<String> recoveryNotes()
    {
        return List.copyOf(recoveryNotes);
    }

    /**
     * The sequencer's duty cycle, when the context asked for it with
     * {@link Context#useSequencerAgentInvoker(boolean)}: each {@link AgentInvoker#invoke()} polls the ingest
     * stream once, commits or flushes the journal as its durability needs, and sends acknowledgements. Invoke it
     * from one thread only, the same that uses {@link #sequencerIngestHandler()}.
     *
     * @return the invoker, or null when the sequencer runs on a thread of its own.
     */
    public AgentInvoker sequencerAgentInvoker()
    {
        return sequencerInvoker;
    }

    /**
     * The sequencer's handling of one message, when the context asked for an invoker: a message handed to it is
     * validated, deduplicated, stamped, journaled and published to the ring exactly as one polled from the
     * ingest stream, without Aeron carrying it (for benchmarks of the in-process pipeline, and for embedding).
     * Call it from the thread that invokes {@link #sequencerAgentInvoker()}, and invoke that as the sequencer's
     * thread would, for the acknowledgements and, with {@code interval} or {@code sync} durability, the journal
     * flush or the group commit that releases the slots. When the ring is full the call waits for a free slot.
     *
     * @return the handler, or null when the sequencer runs on a thread of its own.
     */
    public IngestHandler sequencerIngestHandler()
    {
        return sequencerIngestHandler;
    }

    /**
     * Stop every agent and release everything, in reverse order of creation. Safe to call more than once.
     * <p>
     * Bounded: a thread that does not stop within {@link #CLOSE_ATTEMPTS} x {@link #CLOSE_RETRY_MS} ms (a rule stuck
     * in a loop) is reported to the error handler and left behind, and then nothing is released, since that thread
     * may still write to the journal's mapped files and to the counters in the driver's mapped file: unmapping them
     * under it would crash the JVM. The process can exit; or call close again once the thread has stopped.
     */
    public void close()
    {
        if (!closed)
        {
            closed = closeAll();
        }
    }

    /**
     * @return true once {@link #close()} has stopped every thread and released everything; false before, and while
     * a thread that would not stop holds the engine's resources.
     */
    public boolean isClosed()
    {
        return closed;
    }

    private boolean closeAll()
    {
        if (null != watch)
        {
            watch.closing();
        }
        final boolean drained = drainForSnapshot();
        if (null != sink)
        {
            sink.stop();
        }
        CloseHelper.quietClose(sequencerInvoker);
        boolean stuck = false;
        for (int i = runners.size() - 1; i >= 0; i--)
        {
            stuck |= !stopRunner(runners.get(i), i < threads.size() ? threads.get(i) : null);
        }
        if (stuck)
        {
            ctx.errorHandler.onError(new IllegalStateException("the engine's journal, counters and media driver are " +
                "left open because a thread did not stop; they are released at exit, or by closing again once it has"));
            return false;
        }
        snapshotAtClose(drained);
        for (int i = resources.size() - 1; i >= 0; i--)
        {
            CloseHelper.quietClose(resources.get(i));
        }
        return true;
    }

    /**
     * Stop a runner, bounded: Agrona's close retries for ever while a thread does not stop; here it gives up after
     * {@link #CLOSE_ATTEMPTS} waits of {@link #CLOSE_RETRY_MS} ms and reports it.
     *
     * @return true if the runner's thread has ended.
     */
    private boolean stopRunner(final AgentRunner runner, final Thread thread)
    {
        final int[] attempts = new int[1];
        final String role = runner.agent().roleName();
        try
        {
            runner.close(CLOSE_RETRY_MS, (t) ->
            {
                if (++attempts[0] >= CLOSE_ATTEMPTS)
                {
                    throw new IllegalStateException("the thread of " + role + " did not stop within " +
                        (CLOSE_ATTEMPTS * CLOSE_RETRY_MS) + " ms; it is left behind");
                }
            });
        }
        catch (final IllegalStateException ex)
        {
            ctx.errorHandler.onError(ex);
            return false;
        }
        catch (final RuntimeException ex)
        {
            ctx.errorHandler.onError(ex);
        }
        if (null != thread && thread.isAlive())
        {
            // closed before, and closing again: the runner no longer waits, so wait here, bounded
            try
            {
                thread.join(CLOSE_RETRY_MS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
            if (thread.isAlive())
            {
                ctx.errorHandler.onError(new IllegalStateException("the thread of " + role + " has still not stopped"));
                return false;
            }
        }
        return true;
    }

    /**
     * Configuration of an engine. Set what differs from the defaults, then {@link Engine#launch}.
     */
    public static final class Context
    {
        private String aeronDirectoryName;
        private boolean embeddedDriver = true;
        private Profile profile = Profile.COMPACT;
        private Path journalDir;
        private int segmentLength = JournalWriter.DEFAULT_SEGMENT_LENGTH;
        private Durability durability = Durability.OS;
        private long forceIntervalNs = JournalConfig.DEFAULT_FORCE_INTERVAL_NS;
        private RetentionPolicy retention = RetentionPolicy.KEEP_ALL;
        private Path alertJournalDir;
        private int alertJournalSegmentLength = ALERT_JOURNAL_SEGMENT_LENGTH;
        private String ingestChannel = TransportConfiguration.DEFAULT_INGEST_CHANNEL;
        private int ingestStreamId = TransportConfiguration.DEFAULT_INGEST_STREAM_ID;
        private String alertChannel = TransportConfiguration.DEFAULT_ALERT_CHANNEL;
        private int alertStreamId = TransportConfiguration.DEFAULT_ALERT_STREAM_ID;
        private String ackChannel = TransportConfiguration.DEFAULT_ACK_CHANNEL;
        private int ackStreamId = TransportConfiguration.DEFAULT_ACK_STREAM_ID;
        private long maxClockSkewNs;
        private long minEventTime = DEFAULT_MIN_EVENT_TIME;
        private long maxEventTimeAheadNs = DEFAULT_MAX_EVENT_TIME_AHEAD_NS;
        private int maxMessageLength = IngestAdapter.DEFAULT_MAX_MESSAGE_LENGTH;
        private int ringSize = 16 * 1024;
        private int workerCount = 1;
        private int alertsPerWorker = 8;
        private int fragmentLimit = 256;
        private int batchLimit = 1024;
        private int maxVarDataLength = MessageValidator.DEFAULT_MAX_VAR_DATA_LENGTH;
        private IntFunction<Rule[]> rulesFactory;
        private AccountStore.Limits accountLimits = AccountStore.Limits.DEFAULT;
        private boolean unjournaledRules;
        private RuleSettings ruleSettings;
        private ErrorHandler errorHandler;
        private RuleErrorHandler ruleErrorHandler;
        private RejectListener rejectListener = RejectListener.NO_OP;
        private DecisionObserver decisionObserver = DecisionObserver.NO_OP;
        private EpochNanoClock epochClock;
        private NanoClock nanoClock;
        private boolean useSequencerAgentInvoker;
        private Path snapshotDir;
        private long snapshotInterval = DEFAULT_SNAPSHOT_INTERVAL;
        private int snapshotsRetained = DEFAULT_SNAPSHOTS_RETAINED;
        private boolean concluded;

        Context conclude()
        {
            if (concluded)
            {
                throw new IllegalStateException("context already used by an engine");
            }
            concluded = true;
            if (null == aeronDirectoryName)
            {
                throw new IllegalArgumentException("aeronDirectoryName is required");
            }
            if (null == journalDir)
            {
                throw new IllegalArgumentException("journalDir is required");
            }
            if (snapshotInterval < 0 || snapshotsRetained < 1)
            {
                throw new IllegalArgumentException("snapshot interval must be 0 or more events (was " + snapshotInterval +
                    ") and snapshots retained 1 or more (was " + snapshotsRetained + ")");
            }
            if (null != snapshotDir && null != journalDir &&
                snapshotDir.toAbsolutePath().normalize().equals(journalDir.toAbsolutePath().normalize()))
            {
                throw new IllegalArgumentException("the snapshot directory must not be the journal's: " + snapshotDir);
            }
            if ((null == rulesFactory) == (null == ruleSettings))
            {
                throw new IllegalArgumentException("give ruleSettings, or rulesFactory for fixed rules; not both");
            }
            if (null != rulesFactory && !unjournaledRules)
            {
                // rules given as instances run as the settings that make them, so the journal carries them and a
                // replay of it makes the same rules
                try
                {
                    ruleSettings = RuleSettings.of(rulesFactory.apply(0));
                    rulesFactory = null;
                }
                catch (final IllegalArgumentException ex)
                {
                    throw new IllegalArgumentException(ex.getMessage() + ": a journal could not say which rules " +
                        "ran; give ruleSettings, or unjournaledRules(true) for a test of the engine itself", ex);
                }
            }
            if (maxEventTimeAheadNs <= 0)
            {
                throw new IllegalArgumentException("maxEventTimeAheadNs must be positive, was " + maxEventTimeAheadNs);
            }
            if (Integer.bitCount(ringSize) != 1)
            {
                throw new IllegalArgumentException("ringSize must be a power of two, was " + ringSize);
            }
            if (workerCount < 1)
            {
                throw new IllegalArgumentException("workerCount must be at least 1, was " + workerCount);
            }
            if (null == errorHandler)
            {
                errorHandler = new EngineErrors();
            }
            if (null == ruleErrorHandler)
            {
                final ErrorHandler handler = errorHandler;
                ruleErrorHandler = (rule, offset, error) -> handler.onError(
                    new RuleException(null == rule ? "configuration" : rule.name(), offset, error));
            }
            if (null == epochClock)
            {
                epochClock = new OffsetEpochNanoClock();
            }
            if (null == nanoClock)
            {
                nanoClock = new SystemNanoClock();
            }
            return this;
        }

        IdleStrategy idleStrategy()
        {
            return profile.agentIdleStrategy();
        }

        public Context aeronDirectoryName(final String name)
        {
            this.aeronDirectoryName = name;
            return this;
        }

        public String aeronDirectoryName()
        {
            return aeronDirectoryName;
        }

        /** @param embedded true (default) to launch a driver in-process, false to use a running one. */
        public Context embeddedDriver(final boolean embedded)
        {
            this.embeddedDriver = embedded;
            return this;
        }

        /**
         * Take snapshots of the sequencer's and the rules' state in this directory (journal/SNAPSHOT.md): every
         * {@link #snapshotInterval(long)} events and at a clean close; a start restores the newest usable one and
         * replays only the journal after it. Null, the default, for none: a start replays the journal.
         *
         * @param dir of the snapshots, created if missing; not the journal's directory.
         * @return this.
         */
        public Context snapshotDir(final Path dir)
        {
            this.snapshotDir = dir;
            return this;
        }

        /**
         * @return the snapshot directory, or null.
         */
        public Path snapshotDir()
        {
            return snapshotDir;
        }

        /**
         * @param events between periodic snapshots, 1 or more; 0 for snapshots at a clean close only.
         * @return this.
         */
        public Context snapshotInterval(final long events)
        {
            this.snapshotInterval = events;
            return this;
        }

        /**
         * @return events between periodic snapshots; 0 for none but at close.
         */
        public long snapshotInterval()
        {
            return snapshotInterval;
        }

        /**
         * @param count snapshots kept, newest first, 1 or more.
         * @return this.
         */
        public Context snapshotsRetained(final int count)
        {
            this.snapshotsRetained = count;
            return this;
        }

        /**
         * @param lowLatency true for {@link Profile#LOW_LATENCY}, false for {@link Profile#COMPACT}.
         * @return this.
         */
        public Context lowLatency(final boolean lowLatency)
        {
            this.profile = lowLatency ? Profile.LOW_LATENCY : Profile.COMPACT;
            return this;
        }

        /**
         * @param profile threads and idle strategies of the agents and of an embedded driver, per role as
         *                {@link Profile} lists them: {@link Profile#COMPACT} (default), {@link Profile#YIELDING}
         *                (compact's threads, yielding: low latency on 2 to 4 cores) or {@link Profile#LOW_LATENCY}.
         *                A driver that is not embedded keeps its own.
         * @return this.
         */
        public Context profile(final Profile profile)
        {
            this.profile = Objects.requireNonNull(profile, "profile");
            return this;
        }

        public Profile profile()
        {
            return profile;
        }

        /**
         * @param useInvoker true to start no thread for the sequencer: the caller drives it through
         *                   {@link Engine#sequencerAgentInvoker()} and may hand it messages through
         *                   {@link Engine#sequencerIngestHandler()}; false (default) for a thread of its own.
         * @return this.
         */
        public Context useSequencerAgentInvoker(final boolean useInvoker)
        {
            this.useSequencerAgentInvoker = useInvoker;
            return this;
        }

        public boolean useSequencerAgentInvoker()
        {
            return useSequencerAgentInvoker;
        }

        public Context journalDir(final Path dir)
        {
            this.journalDir = dir;
            return this;
        }

        public Path journalDir()
        {
            return journalDir;
        }

        public Context segmentLength(final int length)
        {
            this.segmentLength = length;
            return this;
        }

        /** @param durability of the journal: os (default), interval or sync. */
        public Context durability(final Durability durability)
        {
            this.durability = durability;
            return this;
        }

        public Durability durability()
        {
            return durability;
        }

        /** @param intervalNs between journal forces in interval durability. */
        public Context forceIntervalNs(final long intervalNs)
        {
            this.forceIntervalNs = intervalNs;
            return this;
        }

        /**
         * @param dir of the alert journal, where every alert is appended before it is published; null (the
         *            default) for none.
         * @return this.
         */
        public Context alertJournalDir(final Path dir)
        {
            this.alertJournalDir = dir;
            return this;
        }

        public Path alertJournalDir()
        {
            return alertJournalDir;
        }

        /**
         * @param length of new alert journal segments (default {@link #ALERT_JOURNAL_SEGMENT_LENGTH}).
         * @return this.
         */
        public Context alertJournalSegmentLength(final int length)
        {
            this.alertJournalSegmentLength = length;
            return this;
        }

        /** @param retention of sealed journal segments. */
        public Context retention(final RetentionPolicy retention)
        {
            this.retention = retention;
            return this;
        }

        public Context ingestChannel(final String channel)
        {
            this.ingestChannel = channel;
            return this;
        }

        public String ingestChannel()
        {
            return ingestChannel;
        }

        public Context ingestStreamId(final int streamId)
        {
            this.ingestStreamId = streamId;
            return this;
        }

        public int ingestStreamId()
        {
            return ingestStreamId;
        }

        public Context alertChannel(final String channel)
        {
            this.alertChannel = channel;
            return this;
        }

        public String alertChannel()
        {
            return alertChannel;
        }

        public Context alertStreamId(final int streamId)
        {
            this.alertStreamId = streamId;
            return this;
        }

        public int alertStreamId()
        {
            return alertStreamId;
        }

        /**
         * @param channel the engine publishes acknowledgements on: aeron:ipc (default), or for UDP producers a
         *                multi-destination-cast channel in dynamic control mode.
         * @return this.
         */
        public Context ackChannel(final String channel)
        {
            this.ackChannel = channel;
            return this;
        }

        public String ackChannel()
        {
            return ackChannel;
        }

        public Context ackStreamId(final int streamId)
        {
            this.ackStreamId = streamId;
            return this;
        }

        public int ackStreamId()
        {
            return ackStreamId;
        }

        /**
         * @param time earliest event time accepted, epoch ns; default {@link #DEFAULT_MIN_EVENT_TIME} (the
         *             schema's floor, 1970-01-01). {@code txmon run} defaults to 2000-01-01. Lower it to the
         *             oldest event of a backtest of historical data. An event before it is refused as
         *             {@code EVENT_TIME_OUT_OF_RANGE}.
         * @return this.
         */
        public Context minEventTime(final long time)
        {
            this.minEventTime = time;
            return this;
        }

        public long minEventTime()
        {
            return minEventTime;
        }

        /**
         * @param aheadNs most an event time may be ahead of the engine's clock, ns, positive; default
         *                {@link #DEFAULT_MAX_EVENT_TIME_AHEAD_NS} (one day); {@code Long.MAX_VALUE} for no bound.
         *                An event further ahead is refused as {@code EVENT_TIME_OUT_OF_RANGE}: one event dated in
         *                2100 would otherwise hold rule windows for ever.
         * @return this.
         */
        public Context maxEventTimeAheadNs(final long aheadNs)
        {
            this.maxEventTimeAheadNs = aheadNs;
            return this;
        }

        public long maxEventTimeAheadNs()
        {
            return maxEventTimeAheadNs;
        }

        /**
         * @param skewNs most an event time may differ from the engine's clock, either way, refused as
         *               {@code TIMESTAMP_SKEW}; 0 (default) for no check. Optional and symmetric, for a live feed
         *               whose clocks are known to be close; checked after {@link #minEventTime(long)} and
         *               {@link #maxEventTimeAheadNs(long)}, which always apply.
         * @return this.
         */
        public Context maxClockSkewNs(final long skewNs)
        {
            this.maxClockSkewNs = skewNs;
            return this;
        }

        /**
         * @param length longest message accepted on ingest; longer ones are dropped as they arrive.
         * @return this.
         */
        public Context maxMessageLength(final int length)
        {
            this.maxMessageLength = length;
            return this;
        }

        /** @param size of the ring, a power of two. */
        public Context ringSize(final int size)
        {
            this.ringSize = size;
            return this;
        }

        /**
         * How many accounts the rule workers hold between them (each its share), and how long an idle one is kept:
         * past the cap the least recently seen account is evicted, counted, and the engine's health is degraded
         * while it goes on, instead of the heap running out. Alerts depend on these limits once they are reached,
         * so a replay that must give the same alerts uses the same ones.
         *
         * @param limits engine-wide limits (default {@link AccountStore.Limits#DEFAULT}).
         * @return this.
         */
        public Context accountLimits(final AccountStore.Limits limits)
        {
            this.accountLimits = java.util.Objects.requireNonNull(limits, "limits");
            return this;
        }

        /**
         * @return the engine-wide account limits.
         */
        public AccountStore.Limits accountLimits()
        {
            return accountLimits;
        }

        public Context workerCount(final int count)
        {
            this.workerCount = count;
            return this;
        }

        /**
         * Rules as instances, typologies of the catalogue: they run as the settings that make them
         * ({@link RuleSettings#of(Rule[])}, from worker 0's instances), journaled like any settings, so a replay
         * of the journal makes the same rules; a rule outside the catalogue is refused at launch. With
         * {@link #unjournaledRules(boolean)} they run fixed instead. Engines configured by users take
         * {@link #ruleSettings(RuleSettings)}.
         *
         * @param factory making the rule instances of worker i; each worker gets its own.
         * @return this.
         */
        public Context rulesFactory(final IntFunction<Rule[]> factory)
        {
            this.rulesFactory = factory;
            return this;
        }

        /**
         * For tests of the engine itself: the rules of {@link #rulesFactory(IntFunction)} run fixed, any class
         * allowed. No configuration is journaled, {@code ConfigChange} events are journaled but change nothing, a
         * restart rebuilds state by replaying the whole journal, and a replay of the journal does NOT know which
         * rules ran: never for a journal anyone audits.
         *
         * @param unjournaled true for fixed, unjournaled rules; false (default) to journal them as settings.
         * @return this.
         */
        public Context unjournaledRules(final boolean unjournaled)
        {
            this.unjournaledRules = unjournaled;
            return this;
        }

        /**
         * Configured rules: the engine starts from the settings the journal holds (the defaults, changed by
         * every {@code ConfigChange} in it), journals the changes that take them to these settings, and checks
         * every {@code ConfigChange} that arrives against the settings in effect.
         *
         * @param settings to run with, as loaded from the configuration.
         * @return this.
         */
        public Context ruleSettings(final RuleSettings settings)
        {
            this.ruleSettings = settings;
            return this;
        }

        /**
         * @return the rule settings given, or null with fixed rules.
         */
        public RuleSettings ruleSettings()
        {
            return ruleSettings;
        }

        public Context maxVarDataLength(final int length)
        {
            this.maxVarDataLength = length;
            return this;
        }

        public Context errorHandler(final ErrorHandler handler)
        {
            this.errorHandler = handler;
            return this;
        }

        public ErrorHandler errorHandler()
        {
            return errorHandler;
        }

        public Context ruleErrorHandler(final RuleErrorHandler handler)
        {
            this.ruleErrorHandler = handler;
            return this;
        }

        public Context rejectListener(final RejectListener listener)
        {
            this.rejectListener = listener;
            return this;
        }

        public Context decisionObserver(final DecisionObserver observer)
        {
            this.decisionObserver = observer;
            return this;
        }

        /** @param clock the ingest timestamps are taken from (epoch ns). */
        public Context epochClock(final EpochNanoClock clock)
        {
            this.epochClock = clock;
            return this;
        }

        /** @param clock for latency measurement only. */
        public Context nanoClock(final NanoClock clock)
        {
            this.nanoClock = clock;
            return this;
        }
    }
}
