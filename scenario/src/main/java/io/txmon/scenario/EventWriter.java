package io.txmon.scenario;

import io.txmon.events.codec.AccountUpdateEncoder;
import io.txmon.events.codec.ExecutionEncoder;
import io.txmon.events.codec.MessageHeaderEncoder;
import io.txmon.events.codec.OrderEncoder;
import io.txmon.events.codec.PaymentEncoder;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Encodes {@link ScenarioEvent}s as SBE messages, header included, into one reused buffer, fields in schema
 * order. Allocation free.
 */
final class EventWriter
{
    private static final int BUFFER_LENGTH = 1024;
    private static final int MAX_REFERENCE_LENGTH = 64;

    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[BUFFER_LENGTH]);
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final PaymentEncoder payment = new PaymentEncoder();
    private final OrderEncoder order = new OrderEncoder();
    private final ExecutionEncoder execution = new ExecutionEncoder();
    private final AccountUpdateEncoder accountUpdate = new AccountUpdateEncoder();
    private final byte[] reference = new byte[MAX_REFERENCE_LENGTH];

    /**
     * @return the buffer every message is written to, at offset 0.
     */
    DirectBuffer buffer()
    {
        return buffer;
    }

    /**
     * Encode an event at offset 0 of the buffer.
     *
     * @param event       to encode.
     * @param producerId  of the stream.
     * @param producerSeq of the message.
     * @param uniqueId    transaction id of a payment or execution id of an execution; unused otherwise.
     * @return the length of the message, header included.
     */
    int write(final ScenarioEvent event, final long producerId, final long producerSeq, final long uniqueId)
    {
        final int bodyLength;
        switch (event.templateId)
        {
            case ScenarioEvent.PAYMENT:
                bodyLength = writePayment(event, producerId, producerSeq, uniqueId);
                break;

            case ScenarioEvent.ORDER:
                bodyLength = writeOrder(event, producerId, producerSeq);
                break;

            case ScenarioEvent.EXECUTION:
                bodyLength = writeExecution(event, producerId, producerSeq, uniqueId);
                break;

            case ScenarioEvent.ACCOUNT_UPDATE:
                bodyLength = writeAccountUpdate(event, producerId, producerSeq);
                break;

            default:
                throw new IllegalStateException("no template " + event.templateId);
        }

        return MessageHeaderEncoder.ENCODED_LENGTH + bodyLength;
    }

    private int writePayment(
        final ScenarioEvent event, final long producerId, final long producerSeq, final long txId)
    {
        payment.wrapAndApplyHeader(buffer, 0, header)
            .producerId(producerId)
            .producerSeq(producerSeq)
            .eventTime(event.time)
            .txId(txId)
            .debtorAccount(event.debtor)
            .creditorAccount(event.creditor)
            .amount(event.amount)
            .currency(event.currency)
            .channel(event.channel)
            .putDebtorCountry(high(event.debtorCountry), low(event.debtorCountry))
            .putCreditorCountry(high(event.creditorCountry), low(event.creditorCountry))
            .latitude(event.latitude)
            .longitude(event.longitude);
        payment.putReference(reference, 0, reference(event));

        return payment.encodedLength();
    }

    private int writeOrder(final ScenarioEvent event, final long producerId, final long producerSeq)
    {
        order.wrapAndApplyHeader(buffer, 0, header)
            .producerId(producerId)
            .producerSeq(producerSeq)
            .eventTime(event.time)
            .orderId(event.orderId)
            .account(event.account)
            .instrument(event.instrument)
            .price(event.price)
            .quantity(event.quantity)
            .side(event.side)
            .action(event.orderAction)
            .putVenue(micByte(event.venue, 24), micByte(event.venue, 16), micByte(event.venue, 8),
                micByte(event.venue, 0));

        return order.encodedLength();
    }

    private int writeExecution(
        final ScenarioEvent event, final long producerId, final long producerSeq, final long execId)
    {
        execution.wrapAndApplyHeader(buffer, 0, header)
            .producerId(producerId)
            .producerSeq(producerSeq)
            .eventTime(event.time)
            .execId(execId)
            .orderId(event.orderId)
            .account(event.account)
            .counterpartyAccount(event.counterparty)
            .instrument(event.instrument)
            .price(event.price)
            .quantity(event.quantity)
            .side(event.side)
            .putVenue(micByte(event.venue, 24), micByte(event.venue, 16), micByte(event.venue, 8),
                micByte(event.venue, 0));

        return execution.encodedLength();
    }

    private int writeAccountUpdate(final ScenarioEvent event, final long producerId, final long producerSeq)
    {
        accountUpdate.wrapAndApplyHeader(buffer, 0, header)
            .producerId(producerId)
            .producerSeq(producerSeq)
            .eventTime(event.time)
            .account(event.account)
            .partyId(event.party)
            .action(event.accountAction)
            .riskRating(event.riskRating)
            .putCountry(high(event.country), low(event.country));

        return accountUpdate.encodedLength();
    }

    /**
     * Compose the payment reference, prefix then number, in the scratch array.
     *
     * @return its length.
     */
    private int reference(final ScenarioEvent event)
    {
        final byte[] prefix = event.referencePrefix;
        if (null == prefix)
        {
            return 0;
        }

        int length = Math.min(prefix.length, MAX_REFERENCE_LENGTH - 20);
        System.arraycopy(prefix, 0, reference, 0, length);
        long number = event.referenceNumber;
        if (number >= 0)
        {
            final int start = length;
            do
            {
                reference[length++] = (byte)('0' + number % 10);
                number /= 10;
            }
            while (number > 0);

            for (int i = start, j = length - 1; i < j; i++, j--)
            {
                final byte swap = reference[i];
                reference[i] = reference[j];
                reference[j] = swap;
            }
        }

        return length;
    }

    private static byte high(final int code)
    {
        return (byte)(code >>> 8);
    }

    private static byte low(final int code)
    {
        return (byte)code;
    }

    private static byte micByte(final int mic, final int shift)
    {
        return (byte)(mic >>> shift);
    }
}
