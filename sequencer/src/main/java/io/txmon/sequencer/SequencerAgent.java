package io.txmon.sequencer;

import com.lmax.disruptor.RingBuffer;
import io.txmon.events.EventEnvelope;
import io.txmon.events.MessageValidator;
import io.txmon.events.RejectReason;
import io.txmon.events.codec.AckDecoder;
import io.txmon.events.codec.AlertDecoder;
import io.txmon.events.codec.ConfigChangeDecoder;
import io.txmon.events.codec.MessageHeaderDecoder;
import io.txmon.events.codec.RefusalDecoder;
import io.txmon.journal.Durability;
import io.txmon.journal.JournalReader;
import io.txmon.journal.JournalWriter;
import io.txmon.rules.TxEvent;
import io.txmon.rules.TxEventDecoder;
import io.txmon.rules.config.RuleConfigChange;
import io.txmon.rules.config.RuleSettings;
import io.txmon.rules.state.RuleSetState;
import io.txmon.rules.state.SnapshotExchange;
import io.txmon.rules.state.StateReader;
import io.txmon.rules.state.StateWriter;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.txmon.transport.AckProxy;
import io.txmon.transport.IngestAdapter;
import io.txmon.transport.IngestHandler;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.collections.LongHashSet;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.NanoClock;

/**
 * The single writer: polls the ingest stream, and for each message validates, drops duplicates by
 * (producerId, producerSeq), stamps the next dense offset and an ingest time that never goes backwards,
 * appends to the journal, and publishes the decoded slot to the ring.
 * <p>
 * It polls no more fragments than the ring has free slots, so a full ring stops polling and
 * back-pressure reaches producers through Aeron; nothing is queued without bound or dropped.
 * <p>
 * Invalid input is counted by reason and reported to the {@link RejectListener}; it never stops the agent
 * and never enters the journal.
 * <p>
 * Durability: with {@code SYNC} the slots of a poll batch are published only after one journal commit has
 * forced the batch to the device (group commit); with {@code INTERVAL} the journal is flushed from the duty
 * cycle. If the journal fails (a failed force, a segment that cannot be created) the sequencer stops
 * polling: producers are back-pressured and nothing more is consumed.
 * <p>
 * Acknowledgement means the event's own bytes are journaled. A sequence at or below the last journaled for its
 * producer is acknowledged again only when it is the same message: each producer keeps a {@link ProducerWindow}
 * of fingerprints of its most recent sequences, rebuilt from the journal by {@link #recover}. Other content at a
 * journaled sequence is refused ({@code CONFLICTING_DUPLICATE}), a sequence below the producer's first journaled
 * one too ({@code BELOW_FIRST_SEQUENCE}), and one older than the window ({@code UNVERIFIABLE_DUPLICATE}); every
 * refusal of an event that names its producer is counted, logged and sent to the producer as a {@code Refusal}
 * (a {@link RefusalQueue} drained from the duty cycle, before any acknowledgement that covers it).
 * <p>
 * Intake stops for good on a journal failure or on {@link #stopIntake}: nothing more is journaled or
 * acknowledged, and every message that arrives is refused {@code ENGINE_STOPPED}, so producers are told rather
 * than left waiting.
 * <p>
 * With rule settings, a {@code ConfigChange} is checked against the settings in effect before it is journaled;
 * one they refuse is rejected ({@code CONFIG_CHANGE_REFUSED}) and its sequence is spent, so the producer's later
 * events are not a gap. Configuration changes allocate; they are rare.
 * <p>
 * Runs on one thread; allocation free after warm-up (the producer windows grow with new producers and their
 * first 65,536 sequences only; a refused configuration change allocates its detail text).
 */
public final class SequencerAgent implements Agent, IngestHandler
{
    /**
     * Next expected sequence a refusal carries for a producer never seen: it may start at any sequence. Producer
     * sequences are never negative (the validator refuses them), so it cannot collide with a real one.
     */
    private static final long NO_SEQ = -1;
    /** Refusals queued at most; the sequencer polls no more messages than there are free entries. */
    static final int REFUSAL_QUEUE_CAPACITY = 256;
    private static final DirectBuffer EMPTY = new UnsafeBuffer(new byte[0]);
    /** Producer id of the events the engine journals itself: configuration changes at start. */
    static final long ENGINE_PRODUCER_ID = 0;
    /** Sequence of the events the engine journals itself: negative, so no producer can send it. */
    static final long ENGINE_PRODUCER_SEQ = -1;

    private final IngestAdapter ingestAdapter;
    private final JournalWriter journal;
    private final RingBuffer<TxEvent> ring;
    private final EpochNanoClock epochClock;
    private final NanoClock nanoClock;
    private boolean stampJournaled;
    private final EngineCounters counters;
    private final RejectListener rejectListener;
    private final int fragmentLimit;
    private final MessageValidator validator;
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final TxEventDecoder decoder = new TxEventDecoder();
    private final Long2ObjectHashMap<ProducerWindow> producers = new Long2ObjectHashMap<>();
    private final LongHashSet producersToAck = new LongHashSet();
    private final Publication ackPublication;
    private final AckProxy ackProxy;
    private final RefusalQueue refusals = new RefusalQueue(REFUSAL_QUEUE_CAPACITY);
    private final UnsafeBuffer refusalDetail = new UnsafeBuffer(new byte[AckProxy.MAX_DETAIL_LENGTH]);
    private final long engineEpoch;
    private final long maxClockSkewNs;
    private long minEventTime = Long.MIN_VALUE;
    private long maxEventTimeAheadNs = Long.MAX_VALUE;
    private long lastMarkedProducer;
    private boolean producerMarked;
    private final boolean deferPublish;
    private long lastIngestTime;
    private long newestEventTime;
    private long publishedEventTime;
    private long pendingLo = -1;
    private long pendingHi = -1;
    private boolean journalFailed;
    private volatile boolean intakeStopped;
    private volatile Throwable stopCause;
    private RuleSettings ruleSettings;
    private RuleSettings startSettings;
    private final TxEvent configSlot = new TxEvent(1, 1);
    private final UnsafeBuffer engineEventBuffer = new UnsafeBuffer(new byte[4096]);
    private String lastConfigRefusal;
    private SnapshotExchange snapshots;
    private long nextSnapshotOffset;
    private StateWriter snapshotState;

    SequencerAgent(
        final Subscription ingest,
        final JournalWriter journal,
        final RingBuffer<TxEvent> ring,
        final EpochNanoClock epochClock,
        final NanoClock nanoClock,
        final EngineCounters counters,
        final RejectListener rejectListener,
        final MessageValidator validator,
        final int fragmentLimit,
        final Publication ackPublication,
        final long engineEpoch,
        final long maxClockSkewNs,
        final int maxMessageLength,
        final RuleSettings ruleSettings)
    {
        this.ruleSettings = ruleSettings;
        this.startSettings = ruleSettings;
        this.ingestAdapter = new IngestAdapter(ingest, this, maxMessageLength);
        this.ackPublication = ackPublication;
        this.ackProxy = null == ackPublication ? null : new AckProxy(ackPublication, engineEpoch);
        this.engineEpoch = engineEpoch;
        this.maxClockSkewNs = maxClockSkewNs;
        this.journal = journal;
        this.ring = ring;
        this.epochClock = epochClock;
        this.nanoClock = nanoClock;
        this.counters = counters;
        this.rejectListener = rejectListener;
        this.validator = validator;
        this.fragmentLimit = fragmentLimit;
        this.lastIngestTime = journal.lastTimestamp();
        this.deferPublish = journal.durability() == Durability.SYNC;
    }

    /**
     * Stamp each slot's {@link TxEvent#journaledNanos} after its append, for a decision observer that measures
     * latency to journaled; off by default, as it costs a clock read per event.
     *
     * @param stamp true to stamp.
     */
    void stampJournaled(final boolean stamp)
    {
        this.stampJournaled = stamp;
    }

    /**
     * Bound event times against this engine: an event before {@code minEventTime}, or further than
     * {@code maxAheadNs} ahead of the engine's clock, is refused as {@link RejectReason#EVENT_TIME_OUT_OF_RANGE}.
     * Both always apply, unlike the optional, symmetric {@code maxClockSkewNs} (TIMESTAMP_SKEW), which is checked
     * after them and is the tighter bound for a live feed; these keep out of the journal the times that are
     * wrong whatever the feed (a year 2100, a date before the business existed) and leave backtests of old data
     * possible by lowering the floor.
     *
     * @param minEventTime earliest event time accepted, epoch ns.
     * @param maxAheadNs   most an event time may be ahead of the engine's clock, ns; Long.MAX_VALUE for no bound.
     */
    void eventTimeBounds(final long minEventTime, final long maxAheadNs)
    {
        this.minEventTime = minEventTime;
        this.maxEventTimeAheadNs = maxAheadNs;
    }

    /**
     * @return whether {@code eventTime} is more than {@code bound} ahead of {@code now}, without overflow.
     */
    static boolean isAhead(final long eventTime, final long now, final long bound)
    {
        final long diff = eventTime - now;
        final boolean overflow = ((eventTime ^ now) & (eventTime ^ diff)) < 0;
        return overflow ? eventTime > now : diff > bound;
    }

    /**
     * Rebuild the duplicate filter from the journal, so a restarted engine drops what it already holds.
     *
     * @param reader positioned at the first record.
     * @return records scanned.
     */
    long recover(final JournalReader reader)
    {
        long count = 0;
        int n;
        while ((n = reader.poll(this::recoverRecord, 4096)) > 0)
        {
            count += n;
        }
        publishNewestEventTime();
        return count;
    }

    /**
     * The event-time watermark: the newest event time journaled, for a counter that tools outside the process
     * read (a bench that must go on from where the journal's event time is, event-time lag).
     */
    private void publishNewestEventTime()
    {
        if (newestEventTime != publishedEventTime)
        {
            publishedEventTime = newestEventTime;
            counters.newestEventTime.setRelease(newestEventTime);
        }
    }

    private void recoverRecord(
        final long offset,
        final long timestamp,
        final int templateId,
        final DirectBuffer buffer,
        final int payloadOffset,
        final int payloadLength)
    {
        if (templateId == ConfigChangeDecoder.TEMPLATE_ID && null != ruleSettings)
        {
            try
            {
                final RuleConfigChange change = configChange(buffer, payloadOffset);
                ruleSettings = ruleSettings.apply(change);
                if (EventEnvelope.producerId(buffer, payloadOffset) == ENGINE_PRODUCER_ID &&
                    EventEnvelope.producerSeq(buffer, payloadOffset) == ENGINE_PRODUCER_SEQ)
                {
                    startSettings = startSettings.apply(change);
                }
            }
            catch (final IllegalArgumentException ex)
            {
                // journaled by another engine or tool: the rule workers refuse it the same way and say so
            }
        }
        if (templateId != AlertDecoder.TEMPLATE_ID)
        {
            final long producerSeq = EventEnvelope.producerSeq(buffer, payloadOffset);
            // a negative sequence was not written by a sequencer (the validator refuses them): it can
            // never match a live event, so it plays no part in the duplicate filter
            if (producerSeq >= 0)
            {
                final long producerId = EventEnvelope.producerId(buffer, payloadOffset);
                ProducerWindow window = producers.get(producerId);
                if (null == window)
                {
                    window = new ProducerWindow(producerId, producerSeq);
                    producers.put(producerId, window);
                }
                // a sequencer journals each producer's sequences rising; anything else was written by another tool
                // and cannot be a later duplicate's original
                if (producerSeq > window.lastSeq)
                {
                    window.record(producerSeq, ProducerWindow.fingerprint(buffer, payloadOffset, payloadLength));
                    window.lastOffset = offset;
                }
            }
            newestEventTime = Math.max(newestEventTime, EventEnvelope.eventTime(buffer, payloadOffset));
        }
    }

    public int doWork()
    {
        if (intakeStopped)
        {
            // nothing more is journaled or acknowledged; what arrives is refused, so producers are told
            final int room = Math.min(refusals.remaining(), fragmentLimit);
            int work = room > 0 ? ingestAdapter.poll(room) : 0;
            work += sendRefusals();
            return work;
        }
        // one message makes at most one refusal: polling no more than the free entries keeps the queue bounded
        final int capacity = (int)Math.min(Math.min(ring.remainingCapacity(), fragmentLimit), refusals.remaining());
        int work = capacity > 0 ? ingestAdapter.poll(capacity) : 0;
        if (deferPublish && pendingHi >= 0)
        {
            // group commit: one force for the batch, then the whole batch goes to the rules
            if (journal.commit())
            {
                ring.publish(pendingLo, pendingHi);
            }
            else
            {
                failJournal(journal.lastError());
            }
            pendingLo = -1;
            pendingHi = -1;
        }
        work += journal.flushIfDue(nanoClock.nanoTime());
        if (journal.isFailed() && !journalFailed)
        {
            failJournal(journal.lastError());
        }
        publishNewestEventTime();
        // refusals first, so a producer hears of a refused sequence before an acknowledgement that covers it;
        // acknowledgements go out only here: after the journal append, and in sync mode after the commit
        work += sendRefusals();
        if (!intakeStopped && refusals.isEmpty() && !producersToAck.isEmpty())
        {
            work += publishAcks();
        }
        return work;
    }

    private int sendRefusals()
    {
        if (refusals.isEmpty())
        {
            return 0;
        }
        if (null == ackProxy)
        {
            refusals.clear();
            return 0;
        }
        return refusals.send(ackProxy);
    }

    private int publishAcks()
    {
        int sent = 0;
        final LongHashSet.LongIterator it = producersToAck.iterator();
        while (it.hasNext())
        {
            final long producerId = it.nextValue();
            final ProducerWindow window = producers.get(producerId);
            final long result = null == window ? 1 :
                ackProxy.ack(producerId, window.lastSeq, window.lastOffset);
            producerMarked = false;
            if (AckProxy.isDone(result))
            {
                // sent, or nobody to tell: a producer that connects later is told on its next event
                it.remove();
                sent++;
            }
        }
        return sent;
    }

    private void failJournal(final Exception cause)
    {
        // stop taking input: nothing more is journaled or acknowledged, and producers are refused explicitly
        journalFailed = true;
        stopIntake(cause);
        counters.journalErrors.incrementRelease();
        rejectListener.onJournalFailure(JournalWriter.FORCE_FAILED, cause);
    }

    /**
     * Stop taking input for good, from any thread: after this the sequencer journals and acknowledges nothing
     * more, and refuses every message that arrives with {@code ENGINE_STOPPED} (counted; one refusal per run of
     * a producer's sequences). A journal failure stops intake the same way. Idempotent: the first cause is kept.
     *
     * @param cause why, for the health report; may be null.
     */
    public void stopIntake(final Throwable cause)
    {
        if (!intakeStopped)
        {
            stopCause = cause;
            intakeStopped = true;
        }
    }

    /**
     * @return true once intake has stopped ({@link #stopIntake}, or a journal failure); from any thread.
     */
    public boolean isIntakeStopped()
    {
        return intakeStopped;
    }

    /**
     * @return why intake stopped, or null.
     */
    Throwable stopCause()
    {
        return stopCause;
    }

    /**
     * @return true once the journal has failed and the sequencer stopped taking input.
     */
    boolean isJournalFailed()
    {
        return journalFailed;
    }

    public void onOversize(final int lengthSeen)
    {
        counters.received.incrementRelease();
        counters.reject(RejectReason.MESSAGE_TOO_LARGE);
        rejectListener.onReject(RejectReason.MESSAGE_TOO_LARGE, EMPTY, 0, 0);
    }

    public void onMessage(final DirectBuffer buffer, final int offset, final int length)
    {
        final long receivedNanos = nanoClock.nanoTime();
        counters.received.incrementRelease();

        RejectReason reason = validator.validate(buffer, offset, length);
        if (reason == RejectReason.NONE)
        {
            header.wrap(buffer, offset);
            final int template = header.templateId();
            if (template == AlertDecoder.TEMPLATE_ID || template == AckDecoder.TEMPLATE_ID ||
                template == RefusalDecoder.TEMPLATE_ID)
            {
                reason = RejectReason.EGRESS_ONLY_TEMPLATE;
            }
        }
        if (reason != RejectReason.NONE)
        {
            counters.reject(reason);
            rejectListener.onReject(reason, buffer, offset, length);
            refuseIfAddressed(reason, buffer, offset, length);
            return;
        }
        final long producerId = EventEnvelope.producerId(buffer, offset);
        final long producerSeq = EventEnvelope.producerSeq(buffer, offset);
        final ProducerWindow window = producers.get(producerId);
        if (intakeStopped)
        {
            refuse(RejectReason.ENGINE_STOPPED, window, producerId, producerSeq, buffer, offset, length);
            return;
        }

        final int templateId = header.templateId();
        if (null != window)
        {
            if (producerSeq <= window.lastSeq)
            {
                onResend(window, producerSeq, buffer, offset, length);
                return;
            }
            if (producerSeq != window.lastSeq + 1)
            {
                // stated policy: a gap is rejected, never journaled; the refusal and the acknowledgement tell the
                // producer the last sequence held, and it resends from the next one
                counters.sequenceGaps.incrementRelease();
                refuse(RejectReason.SEQUENCE_GAP, window, producerId, producerSeq, buffer, offset, length);
                ackLater(producerId);
                return;
            }
        }

        final long now = epochClock.nanoTime();
        final long eventTimeToCheck = EventEnvelope.eventTime(buffer, offset);
        if (eventTimeToCheck < minEventTime || isAhead(eventTimeToCheck, now, maxEventTimeAheadNs))
        {
            counters.reject(RejectReason.EVENT_TIME_OUT_OF_RANGE);
            rejectListener.onReject(RejectReason.EVENT_TIME_OUT_OF_RANGE, buffer, offset, length);
            return;
        }
        if (maxClockSkewNs > 0)
        {
            final long eventTime = EventEnvelope.eventTime(buffer, offset);
            final long diff = eventTime - now;
            // a difference that overflows is further than any skew
            final boolean overflow = ((eventTime ^ now) & (eventTime ^ diff)) < 0;
            if (overflow || diff > maxClockSkewNs || diff < -maxClockSkewNs)
            {
                refuse(RejectReason.TIMESTAMP_SKEW, window, producerId, producerSeq, buffer, offset, length);
                return;
            }
        }
        RuleSettings nextSettings = null;
        if (templateId == ConfigChangeDecoder.TEMPLATE_ID && null != ruleSettings)
        {
            try
            {
                nextSettings = ruleSettings.apply(configChange(buffer, offset));
            }
            catch (final IllegalArgumentException ex)
            {
                // refused for good: a resend would be refused again, so its sequence is spent
                lastConfigRefusal = ex.getMessage();
                counters.reject(RejectReason.CONFIG_CHANGE_REFUSED);
                rejectListener.onReject(RejectReason.CONFIG_CHANGE_REFUSED, buffer, offset, length);
                rejectListener.onConfigChangeRefused(lastConfigRefusal);
                final ProducerWindow spentBy = windowFor(window, producerId, producerSeq);
                spentBy.record(producerSeq, ProducerWindow.fingerprint(buffer, offset, length) | ProducerWindow.SPENT);
                final int detailLength = refusalDetail.putStringWithoutLengthUtf8(0, truncate(lastConfigRefusal));
                refusals.add(producerId, producerSeq, RejectReason.CONFIG_CHANGE_REFUSED.code(),
                    spentBy.nextExpectedSeq(), refusalDetail, 0, detailLength);
                ackLater(producerId);
                return;
            }
        }
        final long ingestTime = now > lastIngestTime ? now : lastIngestTime;
        final long fingerprint = ProducerWindow.fingerprint(buffer, offset, length);
        final long journalOffset = journal.append(buffer, offset, length, templateId, ingestTime);
        if (journalOffset < 0)
        {
            if (journalOffset == JournalWriter.FORCE_FAILED)
            {
                journalFailed = true;
                stopIntake(journal.lastError());
            }
            counters.journalErrors.incrementRelease();
            rejectListener.onJournalFailure(journalOffset, journal.lastError());
            // told either way: refused for good once intake has stopped; otherwise (no room for the next segment)
            // not journaled yet, and the producer's retransmit timer sends it again
            refusals.add(producerId, producerSeq,
                (intakeStopped ? RejectReason.ENGINE_STOPPED : RejectReason.JOURNAL_UNAVAILABLE).code(),
                null == window ? NO_SEQ : window.nextExpectedSeq());
            return;
        }
        lastIngestTime = ingestTime;
        if (null != nextSettings)
        {
            ruleSettings = nextSettings;
        }
        final ProducerWindow journaledBy = windowFor(window, producerId, producerSeq);
        journaledBy.record(producerSeq, fingerprint);
        journaledBy.lastOffset = journalOffset;
        ackLater(producerId);
        counters.journaled.incrementRelease();

        final long sequence = ring.next();
        final TxEvent event = ring.get(sequence);
        event.reset();
        decoder.decode(buffer, offset, event);
        event.offset = journalOffset;
        event.ingestTime = ingestTime;
        if (event.eventTime > newestEventTime)
        {
            newestEventTime = event.eventTime;
        }
        event.sequencedNanos = receivedNanos;
        if (stampJournaled)
        {
            event.journaledNanos = nanoClock.nanoTime();
        }
        if (deferPublish)
        {
            if (pendingLo < 0)
            {
                pendingLo = sequence;
            }
            pendingHi = sequence;
        }
        else
        {
            ring.publish(sequence);
        }
        if (null != snapshots && journalOffset >= nextSnapshotOffset)
        {
            if (snapshots.due(journalOffset))
            {
                writeState(snapshotState.reset());
                snapshots.offer(0, journalOffset, snapshotState);
            }
            nextSnapshotOffset = snapshots.nextDue(journalOffset + 1);
        }
    }

    /**
     * A sequence at or below the producer's last: acknowledged again only if the journal holds these very bytes.
     */
    private void onResend(
        final ProducerWindow window, final long producerSeq, final DirectBuffer buffer, final int offset, final int length)
    {
        final long producerId = window.producerId;
        if (producerSeq < window.firstSeq)
        {
            refuse(RejectReason.BELOW_FIRST_SEQUENCE, window, producerId, producerSeq, buffer, offset, length);
            return;
        }
        if (!window.covers(producerSeq))
        {
            refuse(RejectReason.UNVERIFIABLE_DUPLICATE, window, producerId, producerSeq, buffer, offset, length);
            return;
        }
        final long held = window.fingerprint(producerSeq);
        final long flags = ProducerWindow.flags(held);
        if (flags == ProducerWindow.UNKNOWN)
        {
            refuse(RejectReason.UNVERIFIABLE_DUPLICATE, window, producerId, producerSeq, buffer, offset, length);
            return;
        }
        if (ProducerWindow.hash(held) != ProducerWindow.fingerprint(buffer, offset, length))
        {
            refuse(RejectReason.CONFLICTING_DUPLICATE, window, producerId, producerSeq, buffer, offset, length);
            return;
        }
        if (flags == ProducerWindow.SPENT)
        {
            // the same refused configuration change again: refused again, its sequence stays spent
            refuse(RejectReason.CONFIG_CHANGE_REFUSED, window, producerId, producerSeq, buffer, offset, length);
            return;
        }
        // already journaled, these very bytes: dropped and confirmed, which is how a resending producer catches up.
        // No acknowledgement: a resend is at or below the producer's last journaled sequence, so the cumulative
        // acknowledgement would also cover the resent sequences after it whose bytes are not checked yet (a
        // reused producer id would be told "journaled" for them before their refusal arrived)
        counters.duplicates.incrementRelease();
        refusals.add(producerId, producerSeq, RejectReason.DUPLICATE.code(), window.nextExpectedSeq());
    }

    /**
     * Count and log a refusal, and queue it for the producer.
     */
    private void refuse(
        final RejectReason reason,
        final ProducerWindow window,
        final long producerId,
        final long producerSeq,
        final DirectBuffer buffer,
        final int offset,
        final int length)
    {
        counters.reject(reason);
        rejectListener.onReject(reason, buffer, offset, length);
        refusals.add(producerId, producerSeq, reason.code(), null == window ? NO_SEQ : window.nextExpectedSeq());
    }

    /**
     * A message the validator refused still reaches its producer when its envelope can be read: the header is
     * whole, of this schema, and the block holds the producer id and sequence.
     */
    private void refuseIfAddressed(
        final RejectReason reason, final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < EventEnvelope.LENGTH || reason == RejectReason.INVALID_BUFFER_RANGE ||
            reason == RejectReason.TRUNCATED_HEADER || reason == RejectReason.WRONG_SCHEMA_ID ||
            reason == RejectReason.UNSUPPORTED_VERSION || reason == RejectReason.UNKNOWN_TEMPLATE ||
            reason == RejectReason.EGRESS_ONLY_TEMPLATE || reason == RejectReason.BLOCK_LENGTH_TOO_SMALL ||
            reason == RejectReason.TRUNCATED_BLOCK)
        {
            return;
        }
        final long producerId = EventEnvelope.producerId(buffer, offset);
        final long producerSeq = EventEnvelope.producerSeq(buffer, offset);
        final ProducerWindow window = producers.get(producerId);
        refusals.add(producerId, producerSeq, reason.code(), null == window ? NO_SEQ : window.nextExpectedSeq());
    }

    private ProducerWindow windowFor(final ProducerWindow window, final long producerId, final long producerSeq)
    {
        if (null != window)
        {
            return window;
        }
        // a new producer: allocates once per producer id, not per event
        final ProducerWindow created = new ProducerWindow(producerId, producerSeq);
        producers.put(producerId, created);
        return created;
    }

    private static String truncate(final String text)
    {
        // a char is at most 3 bytes in UTF-8 (a surrogate pair is 4 for 2 chars)
        final int maxChars = AckProxy.MAX_DETAIL_LENGTH / 3;
        return text.length() <= maxChars ? text : text.substring(0, maxChars);
    }

    private RuleConfigChange configChange(final DirectBuffer buffer, final int offset)
    {
        configSlot.reset();
        decoder.decode(buffer, offset, configSlot);
        return RuleConfigChange.of(configSlot);
    }

    /**
     * Journal a configuration change of the engine's own, such as the difference between the settings the
     * journal holds and those the engine was started with. Called before the agent runs, from the thread
     * that starts it. Carries producer {@link #ENGINE_PRODUCER_ID} and the sequence {@link #ENGINE_PRODUCER_SEQ},
     * which no producer can send and the duplicate filter ignores.
     *
     * @param change    to journal; must be accepted by the settings in effect.
     * @param eventTime of the change.
     * @return the offset of the change, or a negative journal status.
     */
    long appendEngineConfigChange(final RuleConfigChange change, final long eventTime)
    {
        final RuleSettings next = ruleSettings.apply(change);
        final RuleSettings nextStart = startSettings.apply(change);
        final int length = change.encode(engineEventBuffer, 0, ENGINE_PRODUCER_ID, ENGINE_PRODUCER_SEQ, eventTime);
        final long now = epochClock.nanoTime();
        final long ingestTime = now > lastIngestTime ? now : lastIngestTime;
        final long journalOffset = journal.append(
            engineEventBuffer, 0, length, ConfigChangeDecoder.TEMPLATE_ID, ingestTime);
        if (journalOffset >= 0)
        {
            lastIngestTime = ingestTime;
            ruleSettings = next;
            startSettings = nextStart;
            counters.journaled.incrementRelease();
        }
        return journalOffset;
    }

    /**
     * @return the buffer holding the last change passed to {@link #appendEngineConfigChange}, from offset 0.
     */
    DirectBuffer engineEventBuffer()
    {
        return engineEventBuffer;
    }

    /**
     * Take part in snapshots from now on: after each offset the exchange says is due, write this agent's state and
     * hand it over (slot 0). Set after recovery, before the agent runs.
     *
     * @param exchange to hand state to, or null for none.
     */
    void snapshots(final SnapshotExchange exchange)
    {
        snapshots = exchange;
        nextSnapshotOffset = 0;
        if (null != exchange && null == snapshotState)
        {
            snapshotState = new StateWriter();
        }
    }

    /**
     * Write what {@link #recover} builds from the journal, for a snapshot: every producer's window (in id order),
     * the newest event time, and the rule settings in effect and those the last engine started with.
     *
     * @param out to write to.
     */
    void writeState(final StateWriter out)
    {
        final long[] ids = new long[producers.size()];
        int n = 0;
        for (final Long2ObjectHashMap<ProducerWindow>.KeyIterator it = producers.keySet().iterator(); it.hasNext(); )
        {
            ids[n++] = it.nextLong();
        }
        java.util.Arrays.sort(ids, 0, n);
        out.putInt(n);
        for (int i = 0; i < n; i++)
        {
            producers.get(ids[i]).writeState(out);
        }
        out.putLong(newestEventTime);
        RuleSetState.writeSettings(ruleSettings, out);
        RuleSetState.writeSettings(startSettings, out);
    }

    /**
     * Read back what {@link #writeState} wrote, into an agent that has recovered nothing yet. Nothing changes
     * unless the whole state reads.
     *
     * @param in positioned at the state.
     * @throws io.txmon.rules.state.StateException if the bytes are not a sequencer's state, or name settings these rules refuse.
     */
    void readState(final StateReader in)
    {
        final int count = in.getCount(0, MAX_PRODUCERS_IN_SNAPSHOT, "producers");
        final Long2ObjectHashMap<ProducerWindow> windows = new Long2ObjectHashMap<>();
        for (int i = 0; i < count; i++)
        {
            final ProducerWindow window = ProducerWindow.readState(in);
            in.require(null == windows.put(window.producerId, window), "producer " + window.producerId + " twice");
        }
        final long newest = in.getLong();
        final RuleSettings settings = RuleSetState.readSettings(in, RuleSettings.defaults());
        final RuleSettings start = RuleSetState.readSettings(in, RuleSettings.defaults());
        in.requireEnd();
        in.require((null == settings) == (null == ruleSettings) && (null == start) == (null == startSettings),
            "settings written for " + (null == settings ? "fixed" : "configured") + " rules, the engine runs " +
            (null == ruleSettings ? "fixed" : "configured") + " rules");
        producers.clear();
        producers.putAll(windows);
        newestEventTime = newest;
        if (null != settings)
        {
            ruleSettings = settings;
            startSettings = start;
        }
        publishNewestEventTime();
    }

    private static final int MAX_PRODUCERS_IN_SNAPSHOT = 1 << 20;

    /**
     * @return the settings the last engine on this journal was started with: the defaults changed by the
     * engine's own {@code ConfigChange} events only; null if the engine runs fixed rules.
     */
    RuleSettings startSettings()
    {
        return startSettings;
    }

    /**
     * @return the rule settings in effect at the end of the journal, or null if the engine runs fixed rules.
     */
    RuleSettings ruleSettings()
    {
        return ruleSettings;
    }

    /**
     * @return why the last refused configuration change was refused, or null; for the reject log.
     */
    String lastConfigRefusal()
    {
        return lastConfigRefusal;
    }

    private void ackLater(final long producerId)
    {
        // a run of events from one producer marks it once, not once per event
        if (null != ackPublication && (!producerMarked || producerId != lastMarkedProducer))
        {
            producersToAck.add(producerId);
            lastMarkedProducer = producerId;
            producerMarked = true;
        }
    }

    public String roleName()
    {
        return "txmon-sequencer";
    }
}
