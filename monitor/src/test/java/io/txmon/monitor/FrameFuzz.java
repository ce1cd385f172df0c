package io.txmon.monitor;

import io.txmon.events.Currencies;
import io.txmon.events.FieldRules;
import io.txmon.events.codec.AccountAction;
import io.txmon.events.codec.AccountUpdateDecoder;
import io.txmon.events.codec.AccountUpdateEncoder;
import io.txmon.events.codec.Channel;
import io.txmon.events.codec.ConfigAction;
import io.txmon.events.codec.ConfigChangeDecoder;
import io.txmon.events.codec.ConfigChangeEncoder;
import io.txmon.events.codec.ExecutionDecoder;
import io.txmon.events.codec.ExecutionEncoder;
import io.txmon.events.codec.MessageHeaderDecoder;
import io.txmon.events.codec.MessageHeaderEncoder;
import io.txmon.events.codec.OrderAction;
import io.txmon.events.codec.OrderDecoder;
import io.txmon.events.codec.OrderEncoder;
import io.txmon.events.codec.PaymentDecoder;
import io.txmon.events.codec.PaymentEncoder;
import io.txmon.events.codec.RiskRating;
import io.txmon.events.codec.Side;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.math.BigDecimal;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Mutated ingest frames for the property tests of {@code MessageValidator} against the CLI's rules, and the way
 * back from an accepted frame to the line {@code txmon produce} would read for it.
 * <p>
 * Valid frames of every ingest template are mutated, with a seeded {@link Random}, by flipping bits, replacing
 * bytes, or writing an extreme value (0, ±1, the type's limits, the field rules' bounds ±1) into one field.
 */
final class FrameFuzz
{
    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;
    private static final int HEADER = MessageHeaderEncoder.ENCODED_LENGTH;
    private static final long[] EXTREME_LONGS = {
        0, 1, -1, Long.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE + 1, Long.MAX_VALUE - 1,
        FieldRules.MAX_AMOUNT, FieldRules.MAX_AMOUNT + 1, FieldRules.MAX_QUANTITY, FieldRules.MAX_QUANTITY + 1,
        FieldRules.MAX_EVENT_TIME, FieldRules.MAX_EVENT_TIME + 1, 1L << 53, -(1L << 62) };
    private static final int[] EXTREME_INTS = {
        0, 1, -1, Integer.MIN_VALUE, Integer.MIN_VALUE + 1, Integer.MAX_VALUE, 90_000_000, 90_000_001, -90_000_001,
        180_000_000, 180_000_001, -180_000_001, -1_979_000_000 };

    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final long producerBase;
    private final long eventTime;

    /**
     * @param producerBase first producer id of the frames; each frame gets its own.
     * @param eventTime    event time of the valid frames.
     */
    FrameFuzz(final long producerBase, final long eventTime)
    {
        this.producerBase = producerBase;
        this.eventTime = eventTime;
    }

    /**
     * A field of a template: where it is in the message and how wide.
     */
    private record Field(int offset, int width)
    {
    }

    /**
     * @param index of the frame, which picks its template, its producer id and its mutation.
     * @param random seeded.
     * @return a mutated frame, exactly its length.
     */
    byte[] mutated(final int index, final Random random)
    {
        final int template = index % 7;
        final byte[] frame = valid(template, producerBase + index);
        final List<Field> fields = fields(template);
        final int kind = random.nextInt(4);
        if (kind == 0)
        {
            final int flips = 1 + random.nextInt(3);
            for (int i = 0; i < flips; i++)
            {
                final int bit = random.nextInt(frame.length * 8);
                frame[bit >> 3] ^= (byte)(1 << (bit & 7));
            }
        }
        else if (kind == 1)
        {
            frame[random.nextInt(frame.length)] = (byte)random.nextInt(256);
        }
        else
        {
            Field field = fields.get(random.nextInt(fields.size()));
            if (field.offset + field.width > frame.length)
            {
                field = fields.get(0);
            }
            final UnsafeBuffer buffer = new UnsafeBuffer(frame);
            switch (field.width)
            {
                case 8:
                    buffer.putLong(field.offset, random.nextBoolean() ?
                        EXTREME_LONGS[random.nextInt(EXTREME_LONGS.length)] : random.nextLong(), ORDER);
                    break;
                case 4:
                    buffer.putInt(field.offset, random.nextBoolean() ?
                        EXTREME_INTS[random.nextInt(EXTREME_INTS.length)] : random.nextInt(), ORDER);
                    break;
                case 2:
                    buffer.putShort(field.offset, (short)random.nextInt(1 << 16), ORDER);
                    break;
                default:
                    for (int i = 0; i < field.width; i++)
                    {
                        buffer.putByte(field.offset + i, (byte)(random.nextBoolean() ?
                            random.nextInt(256) : "AZaz09 \t-".charAt(random.nextInt(9))));
                    }
                    break;
            }
        }
        return frame;
    }

    private List<Field> fields(final int template)
    {
        final List<Field> fields = new ArrayList<>();
        fields.add(new Field(HEADER, 8));
        fields.add(new Field(HEADER + 8, 8));
        fields.add(new Field(HEADER + 16, 8));
        switch (template)
        {
            case 0:
            case 1:
                fields.add(new Field(HEADER + PaymentEncoder.txIdEncodingOffset(), 8));
                fields.add(new Field(HEADER + PaymentEncoder.debtorAccountEncodingOffset(), 8));
                fields.add(new Field(HEADER + PaymentEncoder.creditorAccountEncodingOffset(), 8));
                fields.add(new Field(HEADER + PaymentEncoder.amountEncodingOffset(), 8));
                fields.add(new Field(HEADER + PaymentEncoder.currencyEncodingOffset(), 2));
                fields.add(new Field(HEADER + PaymentEncoder.channelEncodingOffset(), 1));
                fields.add(new Field(HEADER + PaymentEncoder.debtorCountryEncodingOffset(), 2));
                fields.add(new Field(HEADER + PaymentEncoder.creditorCountryEncodingOffset(), 2));
                fields.add(new Field(HEADER + PaymentEncoder.latitudeEncodingOffset(), 4));
                fields.add(new Field(HEADER + PaymentEncoder.longitudeEncodingOffset(), 4));
                fields.add(new Field(HEADER + PaymentEncoder.BLOCK_LENGTH + 2, 3));
                break;
            case 2:
            case 3:
                fields.add(new Field(HEADER + OrderEncoder.accountEncodingOffset(), 8));
                fields.add(new Field(HEADER + OrderEncoder.priceEncodingOffset(), 8));
                fields.add(new Field(HEADER + OrderEncoder.quantityEncodingOffset(), 8));
                fields.add(new Field(HEADER + OrderEncoder.sideEncodingOffset(), 1));
                fields.add(new Field(HEADER + OrderEncoder.actionEncodingOffset(), 1));
                fields.add(new Field(HEADER + OrderEncoder.venueEncodingOffset(), 4));
                break;
            case 4:
                fields.add(new Field(HEADER + ExecutionEncoder.accountEncodingOffset(), 8));
                fields.add(new Field(HEADER + ExecutionEncoder.counterpartyAccountEncodingOffset(), 8));
                fields.add(new Field(HEADER + ExecutionEncoder.priceEncodingOffset(), 8));
                fields.add(new Field(HEADER + ExecutionEncoder.quantityEncodingOffset(), 8));
                fields.add(new Field(HEADER + ExecutionEncoder.sideEncodingOffset(), 1));
                fields.add(new Field(HEADER + ExecutionEncoder.venueEncodingOffset(), 4));
                break;
            case 5:
                fields.add(new Field(HEADER + AccountUpdateEncoder.accountEncodingOffset(), 8));
                fields.add(new Field(HEADER + AccountUpdateEncoder.actionEncodingOffset(), 1));
                fields.add(new Field(HEADER + AccountUpdateEncoder.riskRatingEncodingOffset(), 1));
                fields.add(new Field(HEADER + AccountUpdateEncoder.countryEncodingOffset(), 2));
                break;
            default:
                fields.add(new Field(HEADER + ConfigChangeEncoder.ruleIdEncodingOffset(), 4));
                fields.add(new Field(HEADER + ConfigChangeEncoder.actionEncodingOffset(), 1));
                fields.add(new Field(HEADER + ConfigChangeEncoder.BLOCK_LENGTH + 2, 3));
                break;
        }
        return fields;
    }

    /**
     * @param template 0 payment with geo and reference, 1 payment without, 2 order, 3 cancel without price,
     *                 4 execution, 5 account update, 6 config change.
     * @param producerId of the frame; its sequence is 0.
     * @return a valid frame.
     */
    byte[] valid(final int template, final long producerId)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
        final int length;
        switch (template)
        {
            case 0:
            case 1:
            {
                final PaymentEncoder payment = new PaymentEncoder().wrapAndApplyHeader(buffer, 0, header)
                    .producerId(producerId).producerSeq(0).eventTime(eventTime).txId(producerId)
                    .debtorAccount(1001).creditorAccount(2002).amount(123_456).currency(978).channel(Channel.SEPA)
                    .debtorCountry("DE").creditorCountry("FR")
                    .latitude(template == 0 ? 48_856_613 : FieldRules.NO_DEGREES)
                    .longitude(template == 0 ? 2_352_222 : FieldRules.NO_DEGREES);
                payment.reference(template == 0 ? "inv é 42" : "");
                length = HEADER + payment.encodedLength();
                break;
            }
            case 2:
            case 3:
            {
                final OrderEncoder order = new OrderEncoder().wrapAndApplyHeader(buffer, 0, header)
                    .producerId(producerId).producerSeq(0).eventTime(eventTime).orderId(55).account(3003)
                    .instrument(424_242).price(template == 2 ? 101_25_000_000L : 0).quantity(300).side(Side.BUY)
                    .action(template == 2 ? OrderAction.NEW : OrderAction.CANCEL).venue("XLON");
                length = HEADER + order.encodedLength();
                break;
            }
            case 4:
            {
                final ExecutionEncoder execution = new ExecutionEncoder().wrapAndApplyHeader(buffer, 0, header)
                    .producerId(producerId).producerSeq(0).eventTime(eventTime).execId(77).orderId(55).account(3003)
                    .counterpartyAccount(4004).instrument(424_242).price(101_25_000_000L).quantity(100)
                    .side(Side.SELL).venue("XLON");
                length = HEADER + execution.encodedLength();
                break;
            }
            case 5:
            {
                final AccountUpdateEncoder update = new AccountUpdateEncoder().wrapAndApplyHeader(buffer, 0, header)
                    .producerId(producerId).producerSeq(0).eventTime(eventTime).account(3003).partyId(600)
                    .action(AccountAction.OPEN).riskRating(RiskRating.MEDIUM).country("GB");
                length = HEADER + update.encodedLength();
                break;
            }
            default:
            {
                final ConfigChangeEncoder change = new ConfigChangeEncoder().wrapAndApplyHeader(buffer, 0, header)
                    .producerId(producerId).producerSeq(0).eventTime(eventTime).ruleId(99)
                    .action(ConfigAction.SET_PARAMETER);
                change.key("rules.large-amount.threshold");
                change.value("2000000");
                length = HEADER + change.encodedLength();
                break;
            }
        }
        final byte[] frame = new byte[length];
        buffer.getBytes(0, frame);
        return frame;
    }

    /**
     * The JSON line {@code txmon produce} would read for an event, from a message the validator accepted.
     *
     * @param buffer holding the message, header first.
     * @param offset of the header.
     * @return the line, or null for a template that is not an ingest event (Alert, Ack).
     */
    static String toLine(final DirectBuffer buffer, final int offset)
    {
        final MessageHeaderDecoder header = new MessageHeaderDecoder().wrap(buffer, offset);
        final int block = offset + HEADER;
        final int blockLength = header.blockLength();
        final int version = header.version();
        final StringBuilder line = new StringBuilder(256);
        switch (header.templateId())
        {
            case PaymentDecoder.TEMPLATE_ID:
            {
                final PaymentDecoder p = new PaymentDecoder().wrap(buffer, block, blockLength, version);
                start(line, "payment", p.eventTime());
                number(line, "txId", p.txId());
                number(line, "debtorAccount", p.debtorAccount());
                number(line, "creditorAccount", p.creditorAccount());
                text(line, "amount",
                    BigDecimal.valueOf(p.amount(), Currencies.minorUnits(p.currency())).toPlainString());
                text(line, "currency", Currencies.alpha(p.currency()));
                text(line, "channel", p.channel().name());
                code(line, "debtorCountry", ascii(buffer, block + PaymentDecoder.debtorCountryEncodingOffset(), 2));
                code(line, "creditorCountry", ascii(buffer, block + PaymentDecoder.creditorCountryEncodingOffset(), 2));
                if (p.latitude() != FieldRules.NO_DEGREES || p.longitude() != FieldRules.NO_DEGREES)
                {
                    text(line, "latitude", BigDecimal.valueOf(p.latitude(), 6).toPlainString());
                    text(line, "longitude", BigDecimal.valueOf(p.longitude(), 6).toPlainString());
                }
                text(line, "reference", p.reference());
                break;
            }
            case OrderDecoder.TEMPLATE_ID:
            {
                final OrderDecoder o = new OrderDecoder().wrap(buffer, block, blockLength, version);
                start(line, "order", o.eventTime());
                number(line, "orderId", o.orderId());
                number(line, "account", o.account());
                number(line, "instrument", o.instrument());
                if (!(o.action() == OrderAction.CANCEL && o.price() == 0))
                {
                    text(line, "price", BigDecimal.valueOf(o.price(), 8).toPlainString());
                }
                number(line, "quantity", o.quantity());
                text(line, "side", o.side().name());
                text(line, "action", o.action().name());
                code(line, "venue", ascii(buffer, block + OrderDecoder.venueEncodingOffset(), 4));
                break;
            }
            case ExecutionDecoder.TEMPLATE_ID:
            {
                final ExecutionDecoder e = new ExecutionDecoder().wrap(buffer, block, blockLength, version);
                start(line, "execution", e.eventTime());
                number(line, "execId", e.execId());
                number(line, "orderId", e.orderId());
                number(line, "account", e.account());
                number(line, "counterpartyAccount", e.counterpartyAccount());
                number(line, "instrument", e.instrument());
                text(line, "price", BigDecimal.valueOf(e.price(), 8).toPlainString());
                number(line, "quantity", e.quantity());
                text(line, "side", e.side().name());
                code(line, "venue", ascii(buffer, block + ExecutionDecoder.venueEncodingOffset(), 4));
                break;
            }
            case AccountUpdateDecoder.TEMPLATE_ID:
            {
                final AccountUpdateDecoder a = new AccountUpdateDecoder().wrap(buffer, block, blockLength, version);
                start(line, "account", a.eventTime());
                number(line, "account", a.account());
                number(line, "partyId", a.partyId());
                text(line, "action", a.action().name());
                text(line, "riskRating", a.riskRating().name());
                code(line, "country", ascii(buffer, block + AccountUpdateDecoder.countryEncodingOffset(), 2));
                break;
            }
            case ConfigChangeDecoder.TEMPLATE_ID:
            {
                final ConfigChangeDecoder c = new ConfigChangeDecoder().wrap(buffer, block, blockLength, version);
                start(line, "config", c.eventTime());
                number(line, "ruleId", c.ruleId());
                text(line, "action", c.action().name());
                text(line, "key", c.key());
                text(line, "value", c.value());
                break;
            }
            default:
                return null;
        }
        return line.append('}').toString();
    }

    /**
     * Check the CLI read the line as the very event of the message: same values in the schema's units.
     */
    static void assertSameEvent(final DirectBuffer buffer, final int offset, final ParsedEvent event, final String line)
    {
        final MessageHeaderDecoder header = new MessageHeaderDecoder().wrap(buffer, offset);
        final int block = offset + HEADER;
        assertEquals(buffer.getLong(block + 16, ORDER), event.eventTime, line);
        if (header.templateId() == PaymentDecoder.TEMPLATE_ID)
        {
            final PaymentDecoder p = new PaymentDecoder().wrap(buffer, block, header.blockLength(), header.version());
            assertEquals(p.amount(), event.amount, line);
            assertEquals(p.currency(), event.currency, line);
            assertEquals(p.latitude(), event.latitude, line);
            assertEquals(p.longitude(), event.longitude, line);
        }
        else if (header.templateId() == OrderDecoder.TEMPLATE_ID)
        {
            final OrderDecoder o = new OrderDecoder().wrap(buffer, block, header.blockLength(), header.version());
            assertEquals(o.price(), event.price, line);
            assertEquals(o.quantity(), event.quantity, line);
        }
    }

    private static void start(final StringBuilder line, final String type, final long eventTime)
    {
        line.append("{\"type\":\"").append(type).append('"');
        number(line, "eventTime", eventTime);
    }

    private static void number(final StringBuilder line, final String name, final long value)
    {
        line.append(",\"").append(name).append("\":").append(value);
    }

    private static void code(final StringBuilder line, final String name, final String value)
    {
        if (value.chars().anyMatch((c) -> c != 0))
        {
            text(line, name, value);
        }
    }

    private static void text(final StringBuilder line, final String name, final String value)
    {
        line.append(",\"").append(name).append("\":\"");
        for (int i = 0; i < value.length(); i++)
        {
            final char c = value.charAt(i);
            if (c == '"' || c == '\\')
            {
                line.append('\\').append(c);
            }
            else if (c < 0x20)
            {
                line.append(String.format("\\u%04x", (int)c));
            }
            else
            {
                line.append(c);
            }
        }
        line.append('"');
    }

    private static String ascii(final DirectBuffer buffer, final int index, final int length)
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(index, bytes);
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
