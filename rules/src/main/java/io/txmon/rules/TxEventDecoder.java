package io.txmon.rules;

import io.txmon.events.codec.AccountUpdateDecoder;
import io.txmon.events.codec.ConfigChangeDecoder;
import io.txmon.events.codec.ExecutionDecoder;
import io.txmon.events.codec.MessageHeaderDecoder;
import io.txmon.events.codec.OrderDecoder;
import io.txmon.events.codec.PaymentDecoder;
import org.agrona.DirectBuffer;

/**
 * Decodes a validated SBE event into a ring slot. One flyweight per template, reused: allocation free.
 * Used by the sequencer for live events and by replay for journaled ones, so both fill slots the same way.
 * <p>
 * The message must have passed {@code MessageValidator}; this class does not check it again.
 * Not thread safe.
 */
public final class TxEventDecoder
{
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final PaymentDecoder payment = new PaymentDecoder();
    private final OrderDecoder order = new OrderDecoder();
    private final ExecutionDecoder execution = new ExecutionDecoder();
    private final AccountUpdateDecoder accountUpdate = new AccountUpdateDecoder();
    private final ConfigChangeDecoder configChange = new ConfigChangeDecoder();

    /**
     * Fill the event fields of a slot (not its journal stamp) from a message.
     *
     * @param buffer holding the message, starting with its SBE header.
     * @param offset of the message.
     * @param event  slot to fill; reset by the caller.
     * @return true if the template is an ingest event, false otherwise (the slot is then untouched).
     */
    public boolean decode(final DirectBuffer buffer, final int offset, final TxEvent event)
    {
        header.wrap(buffer, offset);
        final int templateId = header.templateId();
        final int blockLength = header.blockLength();
        final int version = header.version();
        final int bodyOffset = offset + MessageHeaderDecoder.ENCODED_LENGTH;

        switch (templateId)
        {
            case PaymentDecoder.TEMPLATE_ID:
                payment.wrap(buffer, bodyOffset, blockLength, version);
                event.producerId = payment.producerId();
                event.producerSeq = payment.producerSeq();
                event.eventTime = payment.eventTime();
                event.txId = payment.txId();
                event.debtorAccount = payment.debtorAccount();
                event.creditorAccount = payment.creditorAccount();
                event.amount = payment.amount();
                event.currency = payment.currency();
                event.channel = payment.channelRaw();
                event.debtorCountry = country(payment.debtorCountry(0), payment.debtorCountry(1));
                event.creditorCountry = country(payment.creditorCountry(0), payment.creditorCountry(1));
                event.latitude = payment.latitude();
                event.longitude = payment.longitude();
                break;

            case OrderDecoder.TEMPLATE_ID:
                order.wrap(buffer, bodyOffset, blockLength, version);
                event.producerId = order.producerId();
                event.producerSeq = order.producerSeq();
                event.eventTime = order.eventTime();
                event.orderId = order.orderId();
                event.account = order.account();
                event.instrument = order.instrument();
                event.price = order.price();
                event.quantity = order.quantity();
                event.side = order.sideRaw();
                event.action = order.actionRaw();
                event.venue = mic(order.venue(0), order.venue(1), order.venue(2), order.venue(3));
                break;

            case ExecutionDecoder.TEMPLATE_ID:
                execution.wrap(buffer, bodyOffset, blockLength, version);
                event.producerId = execution.producerId();
                event.producerSeq = execution.producerSeq();
                event.eventTime = execution.eventTime();
                event.execId = execution.execId();
                event.orderId = execution.orderId();
                event.account = execution.account();
                event.counterpartyAccount = execution.counterpartyAccount();
                event.instrument = execution.instrument();
                event.price = execution.price();
                event.quantity = execution.quantity();
                event.side = execution.sideRaw();
                event.venue = mic(execution.venue(0), execution.venue(1), execution.venue(2), execution.venue(3));
                break;

            case AccountUpdateDecoder.TEMPLATE_ID:
                accountUpdate.wrap(buffer, bodyOffset, blockLength, version);
                event.producerId = accountUpdate.producerId();
                event.producerSeq = accountUpdate.producerSeq();
                event.eventTime = accountUpdate.eventTime();
                event.account = accountUpdate.account();
                event.partyId = accountUpdate.partyId();
                event.action = accountUpdate.actionRaw();
                event.riskRating = accountUpdate.riskRatingRaw();
                event.country = country(accountUpdate.country(0), accountUpdate.country(1));
                break;

            case ConfigChangeDecoder.TEMPLATE_ID:
                configChange.wrap(buffer, bodyOffset, blockLength, version);
                event.producerId = configChange.producerId();
                event.producerSeq = configChange.producerSeq();
                event.eventTime = configChange.eventTime();
                event.ruleId = configChange.ruleId();
                event.action = configChange.actionRaw();
                final int keyLength = configChange.keyLength();
                event.configKeyLength = Math.min(keyLength, TxEvent.MAX_CONFIG_TEXT_LENGTH);
                configChange.getKey(event.configKey, 0, event.configKeyLength);
                final int valueLength = configChange.valueLength();
                event.configValueLength = Math.min(valueLength, TxEvent.MAX_CONFIG_TEXT_LENGTH);
                configChange.getValue(event.configValue, 0, event.configValueLength);
                event.configTruncated = keyLength > TxEvent.MAX_CONFIG_TEXT_LENGTH ||
                    valueLength > TxEvent.MAX_CONFIG_TEXT_LENGTH;
                break;

            default:
                return false;
        }

        event.templateId = templateId;
        return true;
    }

    /**
     * Pack a two-letter country code into an int, first letter in the high byte.
     */
    public static int country(final byte first, final byte second)
    {
        return ((first & 0xFF) << 8) | (second & 0xFF);
    }

    /**
     * Pack a four-letter market identifier code into an int, first letter in the high byte.
     */
    public static int mic(final byte a, final byte b, final byte c, final byte d)
    {
        return ((a & 0xFF) << 24) | ((b & 0xFF) << 16) | ((c & 0xFF) << 8) | (d & 0xFF);
    }
}
