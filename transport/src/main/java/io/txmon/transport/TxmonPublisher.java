package io.txmon.transport;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.Publication;
import io.txmon.events.codec.AccountUpdateEncoder;
import io.txmon.events.codec.ConfigAction;
import io.txmon.events.codec.ConfigChangeEncoder;
import io.txmon.events.codec.ExecutionEncoder;
import io.txmon.events.codec.MessageHeaderEncoder;
import io.txmon.events.codec.OrderEncoder;
import io.txmon.events.codec.PaymentEncoder;
import org.agrona.CloseHelper;
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
    private long nextProducerSeq;
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
        if (firstProducerSeq < 0)
        {
            throw new IllegalArgumentException("producer sequences start at 0 or above, was " + firstProducerSeq);
        }
        this.publication = aeron.addExclusivePublication(channel, streamId);
        this.producerId = producerId;
        this.nextProducerSeq = firstProducerSeq;
        this.idleStrategy = idleStrategy;
        this.sendTimeoutNs = sendTimeoutNs;
        this.clock = new SystemNanoClock();
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
        while (!publication.isConnected())
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

        final long result = offer(length);
        if (result > 0)
        {
            pendingTemplateId = 0;
            nextProducerSeq++;
        }
        return result;
    }

    private long offer(final int length)
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
        CloseHelper.close(publication);
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
        return "failed with status " + result;
    }
}
