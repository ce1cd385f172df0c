package io.txmon.monitor;

import io.txmon.events.Currencies;
import io.txmon.events.codec.AccountUpdateDecoder;
import io.txmon.events.codec.ExecutionDecoder;
import io.txmon.events.codec.MessageHeaderDecoder;
import io.txmon.events.codec.OrderDecoder;
import io.txmon.events.codec.PaymentDecoder;
import io.txmon.rules.config.RuleConfigChange;
import org.agrona.DirectBuffer;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Locale;

/**
 * Writes events as the JSON lines {@link EventLineParser} reads, the input of {@code txmon produce}: the inverse of
 * the parser, so that a line read back gives the event it was written from, field for field. Used by
 * {@code txmon generate} to turn a scenario stream's messages into a file.
 * <p>
 * Each event is one JSON object: {@code type}, then {@code eventTime} as an ISO-8601 instant to the nanosecond, then
 * the fields of its type by their schema names, in schema order. Amounts are decimals in major units with the
 * currency's digits, prices decimals with up to 8 places, positions decimal degrees to the micro-degree, codes and
 * enumerations as text (enumerations in lower case); a country or venue the event does not give, and an unknown
 * position, are left out.
 * <p>
 * Not thread safe; one per writer.
 */
final class EventLineWriter
{
    private static final int PRICE_DECIMALS = EventLineParser.PRICE_DECIMALS;
    private static final int DEGREE_DECIMALS = EventLineParser.DEGREE_DECIMALS;

    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final PaymentDecoder payment = new PaymentDecoder();
    private final OrderDecoder order = new OrderDecoder();
    private final ExecutionDecoder execution = new ExecutionDecoder();
    private final AccountUpdateDecoder accountUpdate = new AccountUpdateDecoder();
    private final byte[] code = new byte[4];

    /**
     * Append one event as a JSON object, without a line end.
     *
     * @param buffer holding the message, SBE header first.
     * @param offset of the header in the buffer.
     * @param out    to append to.
     * @return true if the message is a payment, order, execution or account update and was appended; false for any
     * other template, and nothing is appended.
     */
    boolean append(final DirectBuffer buffer, final int offset, final StringBuilder out)
    {
        switch (header.wrap(buffer, offset).templateId())
        {
            case PaymentDecoder.TEMPLATE_ID:
                appendPayment(payment.wrapAndApplyHeader(buffer, offset, header), out);
                return true;

            case OrderDecoder.TEMPLATE_ID:
                appendOrder(order.wrapAndApplyHeader(buffer, offset, header), out);
                return true;

            case ExecutionDecoder.TEMPLATE_ID:
                appendExecution(execution.wrapAndApplyHeader(buffer, offset, header), out);
                return true;

            case AccountUpdateDecoder.TEMPLATE_ID:
                appendAccountUpdate(accountUpdate.wrapAndApplyHeader(buffer, offset, header), out);
                return true;

            default:
                return false;
        }
    }

    /**
     * Append a configuration change as a {@code config} line's JSON object, without a line end.
     *
     * @param eventTime of the change, epoch ns.
     * @param change    to write.
     * @param out       to append to.
     */
    void appendConfig(final long eventTime, final RuleConfigChange change, final StringBuilder out)
    {
        start(out, "config", eventTime);
        number(out, "ruleId", change.ruleId());
        text(out, "action", change.action().name().toLowerCase(Locale.ROOT));
        text(out, "key", change.key());
        text(out, "value", change.value());
        out.append('}');
    }

    private void appendPayment(final PaymentDecoder decoder, final StringBuilder out)
    {
        decoder.producerId();
        decoder.producerSeq();
        start(out, "payment", decoder.eventTime());
        number(out, "txId", decoder.txId());
        number(out, "debtorAccount", decoder.debtorAccount());
        number(out, "creditorAccount", decoder.creditorAccount());
        final long amount = decoder.amount();
        final int currency = decoder.currency();
        final int digits = Currencies.minorUnits(currency);
        if (digits < 0)
        {
            throw new IllegalArgumentException("payment " + decoder.txId() + " has currency " + currency +
                ", which txmon does not know");
        }
        decimal(out, "amount", amount, digits);
        text(out, "currency", Currencies.alpha(currency));
        text(out, "channel", decoder.channel().name().toLowerCase(Locale.ROOT));
        decoder.getDebtorCountry(code, 0);
        code(out, "debtorCountry", code, 2);
        decoder.getCreditorCountry(code, 0);
        code(out, "creditorCountry", code, 2);
        final int latitude = decoder.latitude();
        final int longitude = decoder.longitude();
        if (PaymentDecoder.latitudeNullValue() != latitude && PaymentDecoder.longitudeNullValue() != longitude)
        {
            decimal(out, "latitude", latitude, DEGREE_DECIMALS);
            decimal(out, "longitude", longitude, DEGREE_DECIMALS);
        }
        if (decoder.referenceLength() > 0)
        {
            text(out, "reference", decoder.reference());
        }
        else
        {
            decoder.skipReference();
        }
        out.append('}');
    }

    private void appendOrder(final OrderDecoder decoder, final StringBuilder out)
    {
        decoder.producerId();
        decoder.producerSeq();
        start(out, "order", decoder.eventTime());
        number(out, "orderId", decoder.orderId());
        number(out, "account", decoder.account());
        number(out, "instrument", decoder.instrument());
        decimal(out, "price", decoder.price(), PRICE_DECIMALS);
        number(out, "quantity", decoder.quantity());
        text(out, "side", decoder.side().name().toLowerCase(Locale.ROOT));
        text(out, "action", decoder.action().name().toLowerCase(Locale.ROOT));
        decoder.getVenue(code, 0);
        code(out, "venue", code, 4);
        out.append('}');
    }

    private void appendExecution(final ExecutionDecoder decoder, final StringBuilder out)
    {
        decoder.producerId();
        decoder.producerSeq();
        start(out, "execution", decoder.eventTime());
        number(out, "execId", decoder.execId());
        number(out, "orderId", decoder.orderId());
        number(out, "account", decoder.account());
        number(out, "counterpartyAccount", decoder.counterpartyAccount());
        number(out, "instrument", decoder.instrument());
        decimal(out, "price", decoder.price(), PRICE_DECIMALS);
        number(out, "quantity", decoder.quantity());
        text(out, "side", decoder.side().name().toLowerCase(Locale.ROOT));
        decoder.getVenue(code, 0);
        code(out, "venue", code, 4);
        out.append('}');
    }

    private void appendAccountUpdate(final AccountUpdateDecoder decoder, final StringBuilder out)
    {
        decoder.producerId();
        decoder.producerSeq();
        start(out, "account", decoder.eventTime());
        number(out, "account", decoder.account());
        number(out, "partyId", decoder.partyId());
        text(out, "action", decoder.action().name().toLowerCase(Locale.ROOT));
        text(out, "riskRating", decoder.riskRating().name().toLowerCase(Locale.ROOT));
        decoder.getCountry(code, 0);
        code(out, "country", code, 2);
        out.append('}');
    }

    private static void start(final StringBuilder out, final String type, final long eventTime)
    {
        out.append("{\"type\":\"").append(type).append("\",\"eventTime\":\"")
            .append(Instant.ofEpochSecond(Math.floorDiv(eventTime, 1_000_000_000L),
                Math.floorMod(eventTime, 1_000_000_000L)))
            .append('"');
    }

    private static void number(final StringBuilder out, final String name, final long value)
    {
        out.append(",\"").append(name).append("\":").append(value);
    }

    private static void decimal(final StringBuilder out, final String name, final long unscaled, final int scale)
    {
        out.append(",\"").append(name).append("\":").append(BigDecimal.valueOf(unscaled, scale).toPlainString());
    }

    /**
     * A fixed-length code of printable ASCII; left out when the event gives none (NUL bytes).
     */
    private static void code(final StringBuilder out, final String name, final byte[] bytes, final int length)
    {
        if (0 == bytes[0])
        {
            return;
        }
        out.append(",\"").append(name).append("\":\"");
        for (int i = 0; i < length && 0 != bytes[i]; i++)
        {
            escape(out, (char)(bytes[i] & 0xFF));
        }
        out.append('"');
    }

    private static void text(final StringBuilder out, final String name, final String value)
    {
        out.append(",\"").append(name).append("\":\"");
        for (int i = 0; i < value.length(); i++)
        {
            escape(out, value.charAt(i));
        }
        out.append('"');
    }

    private static void escape(final StringBuilder out, final char c)
    {
        switch (c)
        {
            case '"':
                out.append("\\\"");
                break;
            case '\\':
                out.append("\\\\");
                break;
            case '\n':
                out.append("\\n");
                break;
            case '\r':
                out.append("\\r");
                break;
            case '\t':
                out.append("\\t");
                break;
            default:
                if (c < 0x20)
                {
                    out.append(String.format("\\u%04x", (int)c));
                }
                else
                {
                    out.append(c);
                }
                break;
        }
    }
}
