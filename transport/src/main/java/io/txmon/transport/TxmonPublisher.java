package io.txmon.transport;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.txmon.events.EventEnvelope;
import io.txmon.events.MessageValidator;
import io.txmon.events.RejectReason;
import io.txmon.events.codec.AccountUpdateEncoder;
import io.txmon.events.codec.ConfigAction;
import io.txmon.events.codec.ConfigChangeEncoder;
import io.txmon.events.codec.ExecutionEncoder;
import io.txmon.events.codec.MessageHeaderEncoder;
import io.txmon.events.codec.OrderEncoder;
import io.txmon.events.codec.PaymentEncoder;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableRingBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;

/**
 * The producer client. Owns a producer id and a gap-free producer sequence, encodes events with reused
 * SBE flyweights, and publishes them on its own exclusive publication to the ingest stream.
 * <p>
 * Usage: take an encoder ({@link #payment()}, {@link #order()}, {@link #execution()},
 * {@link #accountUpdate()}), set the event's own fields (the producer id, producer sequence are set for
 * you), then {@link #send()}. A send either succeeds, returning the stream position, or returns a
 * negative failure: nothing is dropped silently. A failed send does not consume a producer sequence:
 * the next event reuses it.
 * <p>
 * {@code BACK_PRESSURED} and {@code ADMIN_ACTION} are retried with the idle strategy, and
 * {@code NOT_CONNECTED} while waiting for the engine, until the send timeout; {@code CLOSED} and
 * {@code MAX_POSITION_EXCEEDED} fail at once.
 * <p>
 * With an acknowledgement channel the publisher learns what became of each event it sent: journaled (covered by
 * an acknowledgement and not refused), a confirmed duplicate (the engine already held the same bytes, see
 * {@link #duplicateCount()}), or refused with a reason ({@link #refusedCount()}, {@link #lastRefusalReason()},
 * {@link #lastRefusalDetail()}, and every refusal through {@link Context#ackHandler(AckHandler)}). A refused event
 * is never resent and never counted as acknowledged: {@link #awaitAcknowledged(long, long)} is false for a
 * sequence at or above a refused one, and {@link #engineNextSeq()} is where the engine expects this producer to go
 * on. At most {@link TransportConfiguration#DUPLICATE_WINDOW} events are unacknowledged at a time, so every resend
 * lies inside the engine's window of sequences whose content it can check.
 * <p>
 * Not thread safe: one thread per publisher. Allocation free after construction.
 */
public final class TxmonPublisher implements AutoCloseable
{
    /** {@link #send()} failure: the engine stayed unreachable or back-pressured for the whole send timeout. */
    public static final long TIMED_OUT = -100;
    /** {@link #send()} failure: the publication is closed. */
    public static final long CLOSED = Publication.CLOSED;
    /** {@link #send()} failure: the publication reached its maximum position; a new publisher is needed. */
    public static final long MAX_POSITION_EXCEEDED = Publication.MAX_POSITION_EXCEEDED;
    /** {@link #send()} failure: no event was encoded since the last send. */
    public static final long NOTHING_TO_SEND = -101;
    /**
     * {@link #send()} failure: the buffer of unacknowledged events stayed full for the whole send timeout;
     * the engine is not acknowledging (down, or journaling failed).
     */
    public static final long UNACKNOWLEDGED_BUFFER_FULL = -102;

    /**
     * {@link #send()} failure: the event breaks the engine's validation rules ({@link #lastInvalidReason()}
     * says which); it was not sent and did not take a producer sequence.
     */
    public static final long INVALID_EVENT = -103;

    /** Acknowledged sequence before any acknowledgement arrived. */
    public static final long NOTHING_ACKNOWLEDGED = -1;

    /** {@link #engineNextSeq()} before the engine said anything about this producer. */
    public static final long UNKNOWN = -1;

    private static final int WINDOW = TransportConfiguration.DUPLICATE_WINDOW;
    private static final int WINDOW_MASK = WINDOW - 1;

    private final ExclusivePublication publication;
    private final long producerId;
    private final IdleStrategy idleStrategy;
    private final long sendTimeoutNs;
    private final NanoClock clock;
    private final UnsafeBuffer buffer =
        new UnsafeBuffer(ByteBuffer.allocateDirect(TransportConfiguration.MAX_EVENT_LENGTH + 64));
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final PaymentEncoder payment = new PaymentEncoder();
    private final OrderEncoder order = new OrderEncoder();
    private final ExecutionEncoder execution = new ExecutionEncoder();
    private final AccountUpdateEncoder accountUpdate = new AccountUpdateEncoder();
    private final ConfigChangeEncoder configChange = new ConfigChangeEncoder();
    private final Subscription ackSubscription;
    private final ExpandableRingBuffer unacknowledged;
    private final AckAdapter ackAdapter;
    private final AckHandler userAckHandler;
    /** One bit per sequence of the last {@link #WINDOW} sent: set once the engine refused it or confirmed it a duplicate. */
    private final long[] settled = new long[WINDOW / 64];
    private final byte[] lastRefusalDetail = new byte[AckProxy.MAX_DETAIL_LENGTH];
    private int lastRefusalDetailLength;
    private RejectReason lastRefusalReason = RejectReason.NONE;
    private long lastRefusalSeq = -1;
    private long firstRefusedSeq = Long.MAX_VALUE;
    private long refusedCount;
    private long unavailableCount;
    private long duplicateCount;
    private long engineNextSeq = UNKNOWN;
    private final ExpandableRingBuffer.MessageConsumer dropAcknowledged = this::dropIfAcknowledged;
    private final ExpandableRingBuffer.MessageConsumer resendOne = this::resendOne;
    private final long firstProducerSeq;
    private long nextProducerSeq;
    private final long resendTimeoutNs;
    private final MessageValidator validator;
    private RejectReason lastInvalidReason = RejectReason.NONE;
    private long lastProgressNs;
    private long lastBackPressureNs = Long.MIN_VALUE / 2;
    private long acknowledgedSeq = NOTHING_ACKNOWLEDGED;
    private long acknowledgedOffset = -1;
    private long engineEpoch;
    private boolean resendNeeded;
    private boolean wasConnected;
    private long resendCount;
    private long resendDeadlineNs;
    private boolean resendFailed;
    private int pendingTemplateId;
    private long backPressureCount;

    /**
     * @param aeron           client connected to the driver.
     * @param channel         of the ingest stream.
     * @param streamId        of the ingest stream.
     * @param producerId      unique per producer; the engine drops (producerId, producerSeq) it has seen.
     * @param firstProducerSeq sequence of the first event this publisher sends, 0 or more.
     * @param idleStrategy    between retries.
     * @param sendTimeoutNs   longest a send retries before it returns {@link #TIMED_OUT}.
     */
    public TxmonPublisher(
        final Aeron aeron,
        final String channel,
        final int streamId,
        final long producerId,
        final long firstProducerSeq,
        final IdleStrategy idleStrategy,
        final long sendTimeoutNs)
    {
        this(new Context()
            .aeron(aeron)
            .channel(channel)
            .streamId(streamId)
            .producerId(producerId)
            .firstProducerSeq(firstProducerSeq)
            .idleStrategy(idleStrategy)
            .sendTimeoutNs(sendTimeoutNs));
    }

    /**
     * A publisher configured by a context; with an acknowledgement channel set, it tracks what the engine has
     * journaled, keeps what has not been acknowledged, and resends it after an engine restart or a reconnect.
     *
     * @param ctx configuration.
     */
    public TxmonPublisher(final Context ctx)
    {
        if (ctx.firstProducerSeq < 0)
        {
            throw new IllegalArgumentException("producer sequences start at 0 or above, was " + ctx.firstProducerSeq);
        }
        this.producerId = ctx.producerId;
        this.nextProducerSeq = ctx.firstProducerSeq;
        this.firstProducerSeq = ctx.firstProducerSeq;
        this.resendTimeoutNs = ctx.resendTimeoutNs;
        this.validator = new MessageValidator(ctx.maxVarDataLength);
        this.idleStrategy = ctx.idleStrategy;
        this.sendTimeoutNs = ctx.sendTimeoutNs;
        this.clock = new SystemNanoClock();
        this.userAckHandler = ctx.ackHandler;
        this.publication = ctx.aeron.addExclusivePublication(ctx.channel, ctx.streamId);
        if (null != ctx.ackChannel)
        {
            Subscription subscription = null;
            try
            {
                subscription = ctx.aeron.addSubscription(
                    TransportConfiguration.ackSubscriptionChannel(ctx.ackChannel), ctx.ackStreamId);
            }
            catch (final RuntimeException ex)
            {
                CloseHelper.quietClose(publication);
                throw ex;
            }
            this.ackSubscription = subscription;
            this.ackAdapter = new AckAdapter(subscription, new Handler(), producerId);
            this.unacknowledged = new ExpandableRingBuffer(
                Math.min(64 * 1024, ctx.unacknowledgedBufferBytes), ctx.unacknowledgedBufferBytes, false);
        }
        else
        {
            this.ackSubscription = null;
            this.ackAdapter = null;
            this.unacknowledged = null;
        }
    }

    /**
     * Wait until the engine's subscription is connected.
     *
     * @param timeoutNs longest wait.
     * @return true if connected.
     */
    public boolean awaitConnected(final long timeoutNs)
    {
        final long deadline = clock.nanoTime() + timeoutNs;
        idleStrategy.reset();
        // with acknowledgements, also wait until the engine's ack stream reaches us: an ack sent before that
        // would be lost (the retransmit timer recovers it, but later)
        while (!publication.isConnected() || (null != ackSubscription && !ackSubscription.isConnected()))
        {
            if (clock.nanoTime() - deadline > 0 || publication.isClosed())
            {
                return false;
            }
            idleStrategy.idle();
        }
        return true;
    }

    /**
     * Start a payment; its producer id and sequence are set. Set the other fields, then {@link #send()}.
     * The remittance reference is empty unless set with the encoder's {@code reference} method last.
     *
     * @return the encoder.
     */
    public PaymentEncoder payment()
    {
        payment.wrapAndApplyHeader(buffer, 0, header)
            .producerId(producerId)
            .producerSeq(nextProducerSeq);
        pendingTemplateId = PaymentEncoder.TEMPLATE_ID;
        return payment;
    }

    /**
     * Start an order; its producer id and sequence are set.
     *
     * @return the encoder.
     */
    public OrderEncoder order()
    {
        order.wrapAndApplyHeader(buffer, 0, header)
            .producerId(producerId)
            .producerSeq(nextProducerSeq);
        pendingTemplateId = OrderEncoder.TEMPLATE_ID;
        return order;
    }

    /**
     * Start an execution; its producer id and sequence are set.
     *
     * @return the encoder.
     */
    public ExecutionEncoder execution()
    {
        execution.wrapAndApplyHeader(buffer, 0, header)
            .producerId(producerId)
            .producerSeq(nextProducerSeq);
        pendingTemplateId = ExecutionEncoder.TEMPLATE_ID;
        return execution;
    }

    /**
     * Start an account update; its producer id and sequence are set.
     *
     * @return the encoder.
     */
    public AccountUpdateEncoder accountUpdate()
    {
        accountUpdate.wrapAndApplyHeader(buffer, 0, header)
            .producerId(producerId)
            .producerSeq(nextProducerSeq);
        pendingTemplateId = AccountUpdateEncoder.TEMPLATE_ID;
        return accountUpdate;
    }

    /**
     * Send a configuration change.
     *
     * @param eventTime of the change, epoch ns.
     * @param ruleId    the change applies to.
     * @param action    what it does.
     * @param key       parameter or list name.
     * @param value     parameter value or list entry.
     * @return as {@link #send()}.
     */
    public long sendConfigChange(
        final long eventTime, final int ruleId, final ConfigAction action, final String key, final String value)
    {
        configChange.wrapAndApplyHeader(buffer, 0, header)
            .producerId(producerId)
            .producerSeq(nextProducerSeq)
            .eventTime(eventTime)
            .ruleId(ruleId)
            .action(action)
            .key(key)
            .value(value);
        pendingTemplateId = ConfigChangeEncoder.TEMPLATE_ID;
        return send();
    }

    /**
     * Publish the event encoded since the last send.
     *
     * @return the new stream position (&gt; 0), or {@link #TIMED_OUT}, {@link #CLOSED},
     * {@link #MAX_POSITION_EXCEEDED} or {@link #NOTHING_TO_SEND}.
     */
    public long send()
    {
        final int length;
        switch (pendingTemplateId)
        {
            case PaymentEncoder.TEMPLATE_ID:
                if (payment.limit() == PaymentEncoder.BLOCK_LENGTH + MessageHeaderEncoder.ENCODED_LENGTH)
                {
                    payment.putReference(buffer, 0, 0);
                }
                length = MessageHeaderEncoder.ENCODED_LENGTH + payment.encodedLength();
                break;
            case OrderEncoder.TEMPLATE_ID:
                length = MessageHeaderEncoder.ENCODED_LENGTH + order.encodedLength();
                break;
            case ExecutionEncoder.TEMPLATE_ID:
                length = MessageHeaderEncoder.ENCODED_LENGTH + execution.encodedLength();
                break;
            case AccountUpdateEncoder.TEMPLATE_ID:
                length = MessageHeaderEncoder.ENCODED_LENGTH + accountUpdate.encodedLength();
                break;
            case ConfigChangeEncoder.TEMPLATE_ID:
                length = MessageHeaderEncoder.ENCODED_LENGTH + configChange.encodedLength();
                break;
            default:
                return NOTHING_TO_SEND;
        }

        return sendEncoded(length);
    }

    /**
     * Publish a whole message encoded elsewhere (SBE header and body, as the engine receives it), e.g. by a
     * generator or read from another journal: it is copied, its producer id and sequence are replaced by this
     * publisher's, and it goes out exactly as {@link #send()} sends, validated, buffered until acknowledged.
     *
     * @param message holding the message.
     * @param offset  of its SBE header.
     * @param length  of the whole message.
     * @return as {@link #send()}; {@link #INVALID_EVENT} also when the message is longer than this publisher's
     * buffer or too short to hold an envelope.
     */
    public long send(final DirectBuffer message, final int offset, final int length)
    {
        pendingTemplateId = 0;
        if (length < EventEnvelope.LENGTH || length > buffer.capacity())
        {
            lastInvalidReason = length < EventEnvelope.LENGTH ?
                RejectReason.TRUNCATED_BLOCK : RejectReason.MESSAGE_TOO_LARGE;
            return INVALID_EVENT;
        }
        buffer.putBytes(0, message, offset, length);
        buffer.putLong(EventEnvelope.PRODUCER_ID_OFFSET, producerId, MessageHeaderEncoder.BYTE_ORDER);
        buffer.putLong(EventEnvelope.PRODUCER_SEQ_OFFSET, nextProducerSeq, MessageHeaderEncoder.BYTE_ORDER);
        return sendEncoded(length);
    }

    private long sendEncoded(final int length)
    {
        // the engine's own rules, checked here first: an invalid event is refused with its reason and never
        // takes a producer sequence, so it cannot leave a gap the engine would have to refuse later events for
        final RejectReason reason = validator.validate(buffer, 0, length);
        if (reason != RejectReason.NONE)
        {
            lastInvalidReason = reason;
            pendingTemplateId = 0;
            return INVALID_EVENT;
        }

        if (null != unacknowledged)
        {
            final long room = makeRoom(length);
            if (room < 0)
            {
                return room;
            }
        }

        final long result = offer(buffer, length);
        if (result > 0)
        {
            pendingTemplateId = 0;
            settle(nextProducerSeq, false);
            nextProducerSeq++;
            if (null != unacknowledged)
            {
                if (unacknowledged.isEmpty())
                {
                    lastProgressNs = clock.nanoTime();
                }
                unacknowledged.append(buffer, 0, length);
            }
        }
        return result;
    }

    /**
     * Wait, polling acknowledgements, until the buffer of unacknowledged events can take another.
     */
    private long makeRoom(final int length)
    {
        pollAcknowledgements();
        if (resendFailed)
        {
            resendFailed = false;
            return TIMED_OUT;
        }
        long deadline = 0;
        idleStrategy.reset();
        // twice the framed length: the ring may need padding at its end to fit the message whole
        while (unacknowledged.size() + 2 * (length + ExpandableRingBuffer.HEADER_LENGTH + ExpandableRingBuffer.HEADER_ALIGNMENT) >
            unacknowledged.maxCapacity() || nextProducerSeq - (answeredUpTo() + 1) >= WINDOW)
        {
            final long now = clock.nanoTime();
            if (deadline == 0)
            {
                deadline = now + sendTimeoutNs;
            }
            else if (now - deadline > 0)
            {
                return UNACKNOWLEDGED_BUFFER_FULL;
            }
            idleStrategy.idle(pollAcknowledgements());
        }
        return 0;
    }

    /**
     * Read the engine's acknowledgements: drop what they cover from the buffer, and resend what is left
     * when the engine restarted (a new epoch) or the publication reconnected. Does nothing without an
     * acknowledgement channel.
     *
     * @return acknowledgements read.
     */
    public int pollAcknowledgements()
    {
        if (null == ackSubscription)
        {
            return 0;
        }
        final boolean connected = publication.isConnected();
        if (connected && !wasConnected && acknowledgedSeq != NOTHING_ACKNOWLEDGED)
        {
            resendNeeded = true;
        }
        wasConnected = connected;

        final int fragments = ackAdapter.poll(16);
        if (fragments > 0)
        {
            unacknowledged.consume(dropAcknowledged, Integer.MAX_VALUE);
        }
        // retransmit timer: unacknowledged events and no progress for a while means an event or an ack was
        // lost (or refused as a gap after a loss); resend what is left, the engine drops what it already has
        // not while back-pressured: no progress then means the engine is busy, not that anything was lost
        final long now = clock.nanoTime();
        if (!unacknowledged.isEmpty() && now - lastProgressNs >= resendTimeoutNs &&
            now - lastBackPressureNs >= resendTimeoutNs)
        {
            resendNeeded = true;
            lastProgressNs = now;
        }
        if (resendNeeded && connected)
        {
            resendNeeded = false;
            resendDeadlineNs = clock.nanoTime() + sendTimeoutNs;
            unacknowledged.forEach(resendOne, Integer.MAX_VALUE);
        }
        return fragments;
    }

    private void onAck(final long seq, final long journalOffset, final long epoch)
    {
        noteEpoch(epoch);
        // an acknowledgement covers only what this publisher sent: one beyond it is another process's use of the
        // same producer id, and says nothing about this publisher's events
        final long held = Math.min(seq, nextProducerSeq - 1);
        if (held > acknowledgedSeq)
        {
            acknowledgedSeq = held;
            acknowledgedOffset = journalOffset;
            lastProgressNs = clock.nanoTime();
        }
        engineNextSeq = seq + 1;
    }

    private void onRefusal(
        final long fromSeq,
        final long toSeq,
        final RejectReason reason,
        final long nextExpectedSeq,
        final long epoch,
        final DirectBuffer detail,
        final int detailOffset,
        final int detailLength)
    {
        noteEpoch(epoch);
        engineNextSeq = nextExpectedSeq;
        final long lo = Math.max(Math.max(fromSeq, firstProducerSeq), nextProducerSeq - WINDOW);
        final long hi = Math.min(toSeq, nextProducerSeq - 1);
        if (lo > hi)
        {
            return;
        }
        if (reason == RejectReason.SEQUENCE_GAP && nextExpectedSeq > acknowledgedSeq &&
            nextExpectedSeq >= firstProducerSeq && nextExpectedSeq < lo && !isSettled(nextExpectedSeq) &&
            nextExpectedSeq >= nextProducerSeq - WINDOW)
        {
            // the engine misses an event this publisher still holds: resending from there fills the gap
            resendNeeded = true;
            lastProgressNs = clock.nanoTime();
            return;
        }
        if (null != reason && reason.isTransient())
        {
            // not journaled yet, not refused for good: kept, and the retransmit timer sends it again
            unavailableCount++;
            return;
        }
        final boolean duplicate = reason == RejectReason.DUPLICATE;
        // a duplicate confirms what is held; for a sequence already acknowledged it was another sender's copy.
        // A refusal counts whatever the acknowledgements said: never report journaled what may not be
        final long from = duplicate ? Math.max(lo, acknowledgedSeq + 1) : lo;
        long newlySettled = 0;
        for (long seq = from; seq <= hi; seq++)
        {
            if (!isSettled(seq))
            {
                settle(seq, true);
                newlySettled++;
            }
        }
        if (duplicate)
        {
            duplicateCount += newlySettled;
        }
        else if (newlySettled > 0)
        {
            refusedCount += newlySettled;
            firstRefusedSeq = Math.min(firstRefusedSeq, lo);
            lastRefusalReason = null == reason ? RejectReason.NONE : reason;
            lastRefusalSeq = lo;
            lastRefusalDetailLength = Math.min(detailLength, lastRefusalDetail.length);
            detail.getBytes(detailOffset, lastRefusalDetail, 0, lastRefusalDetailLength);
        }
        lastProgressNs = clock.nanoTime();
    }

    private void noteEpoch(final long epoch)
    {
        if (epoch != engineEpoch)
        {
            // a new engine run: whatever it has not journaled must be sent again
            if (engineEpoch != 0)
            {
                resendNeeded = true;
            }
            engineEpoch = epoch;
        }
    }

    private boolean isSettled(final long seq)
    {
        final int bit = (int)(seq & WINDOW_MASK);
        return (settled[bit >>> 6] & (1L << bit)) != 0;
    }

    private void settle(final long seq, final boolean value)
    {
        final int bit = (int)(seq & WINDOW_MASK);
        if (value)
        {
            settled[bit >>> 6] |= 1L << bit;
        }
        else
        {
            settled[bit >>> 6] &= ~(1L << bit);
        }
    }

    /**
     * Receives this producer's acknowledgements and refusals from the adapter.
     */
    private final class Handler implements AckHandler
    {
        public void onAck(final long producerId, final long producerSeq, final long journalOffset, final long engineEpoch)
        {
            TxmonPublisher.this.onAck(producerSeq, journalOffset, engineEpoch);
            if (null != userAckHandler)
            {
                userAckHandler.onAck(producerId, producerSeq, journalOffset, engineEpoch);
            }
        }

        public void onRefusal(
            final long producerId,
            final long fromSeq,
            final long toSeq,
            final RejectReason reason,
            final int reasonCode,
            final long nextExpectedSeq,
            final long engineEpoch,
            final DirectBuffer detail,
            final int detailOffset,
            final int detailLength)
        {
            TxmonPublisher.this.onRefusal(
                fromSeq, toSeq, reason, nextExpectedSeq, engineEpoch, detail, detailOffset, detailLength);
            if (null != userAckHandler)
            {
                userAckHandler.onRefusal(producerId, fromSeq, toSeq, reason, reasonCode, nextExpectedSeq, engineEpoch,
                    detail, detailOffset, detailLength);
            }
        }
    }

    private boolean dropIfAcknowledged(
        final MutableDirectBuffer buffer, final int offset, final int length, final int headOffset)
    {
        final long seq = producerSeqOf(buffer, offset);
        return seq <= acknowledgedSeq || isSettled(seq);
    }

    private boolean resendOne(final MutableDirectBuffer buffer, final int offset, final int length, final int headOffset)
    {
        final long seq = producerSeqOf(buffer, offset);
        if (seq <= acknowledgedSeq || isSettled(seq))
        {
            return true;
        }
        idleStrategy.reset();
        while (true)
        {
            final long result = publication.offer(buffer, offset, length);
            if (result > 0)
            {
                resendCount++;
                return true;
            }
            if (result == Publication.CLOSED || result == Publication.MAX_POSITION_EXCEEDED ||
                clock.nanoTime() - resendDeadlineNs > 0)
            {
                // try again from the first unacknowledged event on the next poll
                resendNeeded = true;
                resendFailed = true;
                return false;
            }
            idleStrategy.idle();
        }
    }

    private static long producerSeqOf(final DirectBuffer buffer, final int offset)
    {
        return EventEnvelope.producerSeq(buffer, offset);
    }

    /**
     * Wait until the engine has acknowledged (journaled) a sequence and every one before it that this publisher
     * sent. Returns false at once when one of them was refused ({@link #refusedCount()}): it is not journaled and
     * never will be from this publisher. A confirmed duplicate counts as journaled: the engine holds its bytes.
     *
     * @param producerSeq to wait for.
     * @param timeoutNs   longest wait.
     * @return true if acknowledged in time, false if not or if one of them was refused.
     * @throws IllegalStateException if this publisher has no acknowledgement channel.
     */
    public boolean awaitAcknowledged(final long producerSeq, final long timeoutNs)
    {
        return awaitAnswered(producerSeq, timeoutNs) && firstRefusedSeq > producerSeq;
    }

    /**
     * Wait until the engine has answered for a sequence and every one before it that this publisher sent:
     * acknowledged, confirmed a duplicate, or refused.
     *
     * @param producerSeq to wait for.
     * @param timeoutNs   longest wait.
     * @return true if answered in time.
     * @throws IllegalStateException if this publisher has no acknowledgement channel.
     */
    public boolean awaitAnswered(final long producerSeq, final long timeoutNs)
    {
        if (null == ackSubscription)
        {
            throw new IllegalStateException("this publisher was built without an acknowledgement channel");
        }
        final long deadline = clock.nanoTime() + timeoutNs;
        idleStrategy.reset();
        while (!isAnswered(producerSeq))
        {
            if (clock.nanoTime() - deadline > 0)
            {
                return false;
            }
            idleStrategy.idle(pollAcknowledgements());
        }
        return true;
    }

    /**
     * @return the highest sequence up to which every one this publisher sent is acknowledged or settled.
     */
    private long answeredUpTo()
    {
        long seq = Math.max(acknowledgedSeq, firstProducerSeq - 1);
        while (seq + 1 < nextProducerSeq && isSettled(seq + 1))
        {
            seq++;
        }
        return seq;
    }

    private boolean isAnswered(final long producerSeq)
    {
        if (acknowledgedSeq >= producerSeq)
        {
            return true;
        }
        final long from = Math.max(acknowledgedSeq + 1, firstProducerSeq);
        if (producerSeq >= nextProducerSeq || producerSeq - from >= WINDOW)
        {
            return false;
        }
        for (long seq = from; seq <= producerSeq; seq++)
        {
            if (!isSettled(seq))
            {
                return false;
            }
        }
        return true;
    }

    /**
     * @return events this publisher sent that the engine refused: not journaled, not resent.
     */
    public long refusedCount()
    {
        return refusedCount;
    }

    /**
     * @return refusals the engine sent as not journaled yet ({@code JOURNAL_UNAVAILABLE}: its journal could not
     * create a segment); those events are kept and resent, so they are not in {@link #refusedCount()}.
     */
    public long unavailableCount()
    {
        return unavailableCount;
    }

    /**
     * @return events this publisher sent that the engine already held with the same bytes: journaled before,
     * by an earlier send.
     */
    public long duplicateCount()
    {
        return duplicateCount;
    }

    /**
     * @return the reason of the last refusal of this publisher's events, {@link RejectReason#NONE} before any.
     */
    public RejectReason lastRefusalReason()
    {
        return lastRefusalReason;
    }

    /**
     * @return the first sequence of the last refused run, -1 before any.
     */
    public long lastRefusalSeq()
    {
        return lastRefusalSeq;
    }

    /**
     * @return the lowest sequence of this publisher the engine refused, {@link Long#MAX_VALUE} if none.
     */
    public long firstRefusedSeq()
    {
        return firstRefusedSeq;
    }

    /**
     * @return the engine's own words on the last refusal (for a refused {@code ConfigChange}: which key and why),
     * empty if none; allocates, for reports.
     */
    public String lastRefusalDetail()
    {
        return new String(lastRefusalDetail, 0, lastRefusalDetailLength, java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * @return the sequence the engine last said it expects next from this producer id, {@link #UNKNOWN} before it
     * said anything: the truth to continue from.
     */
    public long engineNextSeq()
    {
        return engineNextSeq;
    }

    /**
     * @return the highest sequence the engine has acknowledged as journaled, or {@link #NOTHING_ACKNOWLEDGED}.
     */
    public long acknowledgedSeq()
    {
        return acknowledgedSeq;
    }

    /**
     * @return journal offset of the highest acknowledged event, or -1.
     */
    public long acknowledgedOffset()
    {
        return acknowledgedOffset;
    }

    /**
     * @return events sent but not yet acknowledged (0 without an acknowledgement channel).
     */
    public long unacknowledgedCount()
    {
        if (null == unacknowledged)
        {
            return 0;
        }
        long count = 0;
        for (long seq = Math.max(Math.max(acknowledgedSeq + 1, firstProducerSeq), nextProducerSeq - WINDOW);
            seq < nextProducerSeq; seq++)
        {
            if (!isSettled(seq))
            {
                count++;
            }
        }
        return count;
    }

    /**
     * @return events sent again after an engine restart or a reconnect.
     */
    public long resendCount()
    {
        return resendCount;
    }

    /**
     * @return why the last {@link #INVALID_EVENT} was refused; {@link RejectReason#NONE} before any.
     */
    public RejectReason lastInvalidReason()
    {
        return lastInvalidReason;
    }

    /**
     * @return the epoch of the engine run that sent the last acknowledgement, 0 before any.
     */
    public long engineEpoch()
    {
        return engineEpoch;
    }

    private long offer(final DirectBuffer buffer, final int length)
    {
        long deadline = 0;
        idleStrategy.reset();
        while (true)
        {
            final long result = publication.offer(buffer, 0, length);
            if (result > 0)
            {
                return result;
            }
            if (result == Publication.CLOSED || result == Publication.MAX_POSITION_EXCEEDED)
            {
                return result;
            }
            if (result == Publication.BACK_PRESSURED)
            {
                backPressureCount++;
                lastBackPressureNs = clock.nanoTime();
            }

            final long now = clock.nanoTime();
            if (deadline == 0)
            {
                deadline = now + sendTimeoutNs;
            }
            else if (now - deadline > 0)
            {
                return TIMED_OUT;
            }
            idleStrategy.idle();
        }
    }

    /**
     * @return the producer id.
     */
    public long producerId()
    {
        return producerId;
    }

    /**
     * @return the sequence the next event will carry.
     */
    public long nextProducerSeq()
    {
        return nextProducerSeq;
    }

    /**
     * @return how many offers were back-pressured.
     */
    public long backPressureCount()
    {
        return backPressureCount;
    }

    /**
     * @return true if the engine's subscription is connected.
     */
    public boolean isConnected()
    {
        return publication.isConnected();
    }

    /**
     * Close the publication; safe to call more than once.
     */
    public void close()
    {
        CloseHelper.closeAll(ackSubscription, publication);
    }

    /**
     * Describe a {@link #send()} result for a person.
     *
     * @param result of a send.
     * @return what it means.
     */
    public static String describe(final long result)
    {
        if (result > 0)
        {
            return "sent";
        }
        if (result == TIMED_OUT)
        {
            return "timed out: the engine was not connected or stayed back-pressured; is it running?";
        }
        if (result == CLOSED)
        {
            return "publication closed";
        }
        if (result == MAX_POSITION_EXCEEDED)
        {
            return "publication reached its maximum position: open a new publisher";
        }
        if (result == NOTHING_TO_SEND)
        {
            return "nothing encoded since the last send";
        }
        if (result == INVALID_EVENT)
        {
            return "the event breaks the engine's validation rules and was not sent";
        }
        if (result == UNACKNOWLEDGED_BUFFER_FULL)
        {
            return "the engine acknowledged nothing for the whole send timeout and the buffer of unacknowledged " +
                "events is full: is the engine running and journaling?";
        }
        return "failed with status " + result;
    }

    /**
     * Configuration of a publisher.
     */
    public static final class Context
    {
        private Aeron aeron;
        private String channel = TransportConfiguration.DEFAULT_INGEST_CHANNEL;
        private int streamId = TransportConfiguration.DEFAULT_INGEST_STREAM_ID;
        private String ackChannel;
        private int ackStreamId = TransportConfiguration.DEFAULT_ACK_STREAM_ID;
        private long producerId;
        private long firstProducerSeq;
        private IdleStrategy idleStrategy = EmbeddedDriver.backoff();
        private long sendTimeoutNs = java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        private int unacknowledgedBufferBytes = 16 * 1024 * 1024;
        private long resendTimeoutNs = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(500);
        private int maxVarDataLength = MessageValidator.DEFAULT_MAX_VAR_DATA_LENGTH;
        private AckHandler ackHandler;

        /**
         * @param handler told of every acknowledgement and refusal for this producer, after the publisher has
         *                taken it into account; on the sending thread, inside a send or a poll. Default none.
         * @return this.
         */
        public Context ackHandler(final AckHandler handler)
        {
            this.ackHandler = handler;
            return this;
        }

        /**
         * @param timeoutNs without acknowledgement progress while events are unacknowledged, after which they
         *                  are sent again (the engine drops what it already holds). Default 500 ms.
         * @return this.
         */
        public Context resendTimeoutNs(final long timeoutNs)
        {
            this.resendTimeoutNs = timeoutNs;
            return this;
        }

        /**
         * @param length the engine's var-data cap, so the publisher refuses what the engine would.
         * @return this.
         */
        public Context maxVarDataLength(final int length)
        {
            this.maxVarDataLength = length;
            return this;
        }

        public Context aeron(final Aeron aeron)
        {
            this.aeron = aeron;
            return this;
        }

        public Context channel(final String channel)
        {
            this.channel = channel;
            return this;
        }

        public Context streamId(final int streamId)
        {
            this.streamId = streamId;
            return this;
        }

        /**
         * @param ackChannel the engine publishes acknowledgements on; null (default) for none.
         * @return this.
         */
        public Context ackChannel(final String ackChannel)
        {
            this.ackChannel = ackChannel;
            return this;
        }

        public Context ackStreamId(final int ackStreamId)
        {
            this.ackStreamId = ackStreamId;
            return this;
        }

        public Context producerId(final long producerId)
        {
            this.producerId = producerId;
            return this;
        }

        public Context firstProducerSeq(final long firstProducerSeq)
        {
            this.firstProducerSeq = firstProducerSeq;
            return this;
        }

        public Context idleStrategy(final IdleStrategy idleStrategy)
        {
            this.idleStrategy = idleStrategy;
            return this;
        }

        public Context sendTimeoutNs(final long sendTimeoutNs)
        {
            this.sendTimeoutNs = sendTimeoutNs;
            return this;
        }

        /**
         * @param bytes most bytes of sent but unacknowledged events kept for resending; a send waits for
         *              acknowledgements when it is full.
         * @return this.
         */
        public Context unacknowledgedBufferBytes(final int bytes)
        {
            this.unacknowledgedBufferBytes = bytes;
            return this;
        }
    }
}
