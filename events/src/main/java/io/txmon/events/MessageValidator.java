package io.txmon.events;

import io.txmon.events.codec.AccountAction;
import io.txmon.events.codec.AccountUpdateDecoder;
import io.txmon.events.codec.AckDecoder;
import io.txmon.events.codec.AlertDecoder;
import io.txmon.events.codec.Channel;
import io.txmon.events.codec.ConfigAction;
import io.txmon.events.codec.ConfigChangeDecoder;
import io.txmon.events.codec.ExecutionDecoder;
import io.txmon.events.codec.GroupSizeEncodingDecoder;
import io.txmon.events.codec.MessageHeaderDecoder;
import io.txmon.events.codec.OrderAction;
import io.txmon.events.codec.OrderDecoder;
import io.txmon.events.codec.PaymentDecoder;
import io.txmon.events.codec.RiskRating;
import io.txmon.events.codec.Severity;
import io.txmon.events.codec.Side;
import io.txmon.events.codec.VarStringEncodingDecoder;
import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

/**
 * The gate every message passes before it is journaled: checks that a message is well framed for the txmon
 * schema and that its fields obey the business rules, and says why when it is not.
 * <p>
 * {@link #validate(DirectBuffer, int, int)} reads the buffer directly, checking bounds before every read, and
 * neither allocates nor throws. Checks run in this order, the first failure being the one reported:
 * <ol>
 *     <li>the message header: length, schema id, version, template id;</li>
 *     <li>the fixed-size block: at least the template's block length, which may be larger when a newer producer
 *     has extended the block, and all of it within the message;</li>
 *     <li>the repeating groups then the var-data fields, in schema order: each header, count, block length and
 *     length within its bound and all of it within the message;</li>
 *     <li>the end of the last field is the end of the message;</li>
 *     <li>the field rules of the template, those of {@link FieldRules} included (the producer CLI applies the
 *     same ones, so the engine journals nothing the CLI would refuse);</li>
 *     <li>the text of every var-data field is UTF-8, the producer sequence is not negative, the event time is
 *     within {@link FieldRules#isValidEventTime(long)}.</li>
 * </ol>
 * Once a message is accepted, the generated decoders can be wrapped over exactly that message and every field,
 * group and var-data field read without leaving it.
 * <p>
 * One instance per thread: the walk keeps its position in the instance, which is not thread-safe.
 */
public final class MessageValidator
{
    /**
     * The default cap on the length in bytes of every var-data field.
     */
    public static final int DEFAULT_MAX_VAR_DATA_LENGTH = 1024;

    /**
     * The highest cap on var-data length a validator can be given: the schema's maxValue for the length prefix.
     */
    public static final int MAX_VAR_DATA_LENGTH = VarStringEncodingDecoder.lengthMaxValue();

    /**
     * The most entries a repeating group may have: the schema's maxValue for numInGroup.
     */
    public static final int MAX_GROUP_COUNT = GroupSizeEncodingDecoder.numInGroupMaxValue();

    private static final ByteOrder BYTE_ORDER = MessageHeaderDecoder.BYTE_ORDER;
    private static final int HEADER_LENGTH = MessageHeaderDecoder.ENCODED_LENGTH;
    private static final int GROUP_HEADER_LENGTH = GroupSizeEncodingDecoder.ENCODED_LENGTH;
    private static final int VAR_DATA_HEADER_LENGTH = VarStringEncodingDecoder.lengthEncodingLength();
    private static final int UINT8_VALUES = 256;

    private static final boolean[] CHANNELS = new boolean[UINT8_VALUES];
    private static final boolean[] SIDES = new boolean[UINT8_VALUES];
    private static final boolean[] ORDER_ACTIONS = new boolean[UINT8_VALUES];
    private static final boolean[] ACCOUNT_ACTIONS = new boolean[UINT8_VALUES];
    private static final boolean[] RISK_RATINGS = new boolean[UINT8_VALUES];
    private static final boolean[] CONFIG_ACTIONS = new boolean[UINT8_VALUES];
    private static final boolean[] SEVERITIES = new boolean[UINT8_VALUES];

    static
    {
        // The generated get(short) throws on an unknown value, so known values are looked up in tables built
        // from the generated enums; NULL_VAL is not a valid value of a required field.
        for (final Channel value : Channel.values())
        {
            CHANNELS[value.value()] = Channel.NULL_VAL != value;
        }

        for (final Side value : Side.values())
        {
            SIDES[value.value()] = Side.NULL_VAL != value;
        }

        for (final OrderAction value : OrderAction.values())
        {
            ORDER_ACTIONS[value.value()] = OrderAction.NULL_VAL != value;
        }

        for (final AccountAction value : AccountAction.values())
        {
            ACCOUNT_ACTIONS[value.value()] = AccountAction.NULL_VAL != value;
        }

        for (final RiskRating value : RiskRating.values())
        {
            RISK_RATINGS[value.value()] = RiskRating.NULL_VAL != value;
        }

        for (final ConfigAction value : ConfigAction.values())
        {
            CONFIG_ACTIONS[value.value()] = ConfigAction.NULL_VAL != value;
        }

        for (final Severity value : Severity.values())
        {
            SEVERITIES[value.value()] = Severity.NULL_VAL != value;
        }
    }

    private final int maxVarDataLength;
    private int limit;
    private RejectReason textReason = RejectReason.NONE;

    /**
     * A validator with a cap of {@link #DEFAULT_MAX_VAR_DATA_LENGTH} bytes on every var-data field.
     */
    public MessageValidator()
    {
        this(DEFAULT_MAX_VAR_DATA_LENGTH);
    }

    /**
     * A validator with the given cap on every var-data field.
     *
     * @param maxVarDataLength the most bytes a var-data field may hold, from 0 to {@link #MAX_VAR_DATA_LENGTH}.
     * @throws IllegalArgumentException if maxVarDataLength is out of range.
     */
    public MessageValidator(final int maxVarDataLength)
    {
        if (maxVarDataLength < 0 || maxVarDataLength > MAX_VAR_DATA_LENGTH)
        {
            throw new IllegalArgumentException(
                "maxVarDataLength must be in [0, " + MAX_VAR_DATA_LENGTH + "]: " + maxVarDataLength);
        }

        this.maxVarDataLength = maxVarDataLength;
    }

    /**
     * The cap on the length in bytes of every var-data field.
     *
     * @return the cap on the length in bytes of every var-data field.
     */
    public int maxVarDataLength()
    {
        return maxVarDataLength;
    }

    /**
     * Validate the message in {@code buffer[offset, offset + length)}, header included. Neither allocates nor
     * throws.
     *
     * @param buffer holding the message.
     * @param offset of the message header in the buffer.
     * @param length of the whole message, header included.
     * @return {@link RejectReason#NONE} if the message is accepted, otherwise the first reason found to refuse
     * it; {@link RejectReason#INVALID_BUFFER_RANGE} if buffer is null or the range is not within it.
     */
    public RejectReason validate(final DirectBuffer buffer, final int offset, final int length)
    {
        if (null == buffer || offset < 0 || length < 0 || offset > buffer.capacity() - length)
        {
            return RejectReason.INVALID_BUFFER_RANGE;
        }

        if (length < HEADER_LENGTH)
        {
            return RejectReason.TRUNCATED_HEADER;
        }

        final int blockLength = uint16(buffer, offset + MessageHeaderDecoder.blockLengthEncodingOffset());
        final int templateId = uint16(buffer, offset + MessageHeaderDecoder.templateIdEncodingOffset());
        final int schemaId = uint16(buffer, offset + MessageHeaderDecoder.schemaIdEncodingOffset());
        final int version = uint16(buffer, offset + MessageHeaderDecoder.versionEncodingOffset());

        if (MessageHeaderDecoder.SCHEMA_ID != schemaId)
        {
            return RejectReason.WRONG_SCHEMA_ID;
        }

        if (version < 1 || version > MessageHeaderDecoder.SCHEMA_VERSION)
        {
            return RejectReason.UNSUPPORTED_VERSION;
        }

        final int schemaBlockLength = schemaBlockLength(templateId);
        if (schemaBlockLength < 0)
        {
            return RejectReason.UNKNOWN_TEMPLATE;
        }

        if (blockLength < schemaBlockLength)
        {
            return RejectReason.BLOCK_LENGTH_TOO_SMALL;
        }

        final int block = offset + HEADER_LENGTH;
        final int end = offset + length;
        if (blockLength > end - block)
        {
            return RejectReason.TRUNCATED_BLOCK;
        }

        limit = block + blockLength;
        textReason = RejectReason.NONE;

        RejectReason reason;
        switch (templateId)
        {
            case PaymentDecoder.TEMPLATE_ID:
                reason = validatePayment(buffer, block, end);
                break;

            case OrderDecoder.TEMPLATE_ID:
                reason = validateOrder(buffer, block, end);
                break;

            case ExecutionDecoder.TEMPLATE_ID:
                reason = validateExecution(buffer, block, end);
                break;

            case AccountUpdateDecoder.TEMPLATE_ID:
                reason = validateAccountUpdate(buffer, block, end);
                break;

            case ConfigChangeDecoder.TEMPLATE_ID:
                reason = validateConfigChange(buffer, block, end);
                break;

            case AlertDecoder.TEMPLATE_ID:
                return validateAlert(buffer, block, end);

            case AckDecoder.TEMPLATE_ID:
                return limit == end ? RejectReason.NONE : RejectReason.TRAILING_BYTES;

            default:
                return RejectReason.UNKNOWN_TEMPLATE;
        }

        if (RejectReason.NONE == reason)
        {
            reason = textReason;
        }

        if (RejectReason.NONE == reason && EventEnvelope.producerSeq(buffer, offset) < 0)
        {
            return RejectReason.INVALID_PRODUCER_SEQ;
        }

        if (RejectReason.NONE == reason && !FieldRules.isValidEventTime(EventEnvelope.eventTime(buffer, offset)))
        {
            return RejectReason.EVENT_TIME_OUT_OF_RANGE;
        }

        return reason;
    }

    private static int schemaBlockLength(final int templateId)
    {
        switch (templateId)
        {
            case PaymentDecoder.TEMPLATE_ID:
                return PaymentDecoder.BLOCK_LENGTH;

            case OrderDecoder.TEMPLATE_ID:
                return OrderDecoder.BLOCK_LENGTH;

            case ExecutionDecoder.TEMPLATE_ID:
                return ExecutionDecoder.BLOCK_LENGTH;

            case AccountUpdateDecoder.TEMPLATE_ID:
                return AccountUpdateDecoder.BLOCK_LENGTH;

            case ConfigChangeDecoder.TEMPLATE_ID:
                return ConfigChangeDecoder.BLOCK_LENGTH;

            case AlertDecoder.TEMPLATE_ID:
                return AlertDecoder.BLOCK_LENGTH;

            case AckDecoder.TEMPLATE_ID:
                return AckDecoder.BLOCK_LENGTH;

            default:
                return -1;
        }
    }

    private RejectReason validatePayment(final DirectBuffer buffer, final int block, final int end)
    {
        final RejectReason reason = skipText(buffer, end);
        if (RejectReason.NONE != reason)
        {
            return reason;
        }

        if (limit != end)
        {
            return RejectReason.TRAILING_BYTES;
        }

        final long debtorAccount = int64(buffer, block + PaymentDecoder.debtorAccountEncodingOffset());
        final long creditorAccount = int64(buffer, block + PaymentDecoder.creditorAccountEncodingOffset());
        if (debtorAccount <= 0 || creditorAccount <= 0 || debtorAccount == creditorAccount)
        {
            return RejectReason.INVALID_ACCOUNT;
        }

        final long amount = int64(buffer, block + PaymentDecoder.amountEncodingOffset());
        if (amount <= 0)
        {
            return RejectReason.INVALID_AMOUNT;
        }

        if (!FieldRules.isValidAmount(amount))
        {
            return RejectReason.AMOUNT_OUT_OF_RANGE;
        }

        if (!Currencies.isKnown(uint16(buffer, block + PaymentDecoder.currencyEncodingOffset())))
        {
            return RejectReason.INVALID_CURRENCY;
        }

        if (!CHANNELS[uint8(buffer, block + PaymentDecoder.channelEncodingOffset())])
        {
            return RejectReason.INVALID_ENUM;
        }

        if (!isCountry(buffer, block + PaymentDecoder.debtorCountryEncodingOffset()) ||
            !isCountry(buffer, block + PaymentDecoder.creditorCountryEncodingOffset()))
        {
            return RejectReason.INVALID_COUNTRY;
        }

        if (!FieldRules.isValidGeo(
            int32(buffer, block + PaymentDecoder.latitudeEncodingOffset()),
            int32(buffer, block + PaymentDecoder.longitudeEncodingOffset())))
        {
            return RejectReason.INVALID_GEO;
        }

        return RejectReason.NONE;
    }

    private RejectReason validateOrder(final DirectBuffer buffer, final int block, final int end)
    {
        if (limit != end)
        {
            return RejectReason.TRAILING_BYTES;
        }

        if (int64(buffer, block + OrderDecoder.accountEncodingOffset()) <= 0)
        {
            return RejectReason.INVALID_ACCOUNT;
        }

        final int action = uint8(buffer, block + OrderDecoder.actionEncodingOffset());
        if (!SIDES[uint8(buffer, block + OrderDecoder.sideEncodingOffset())] || !ORDER_ACTIONS[action])
        {
            return RejectReason.INVALID_ENUM;
        }

        final RejectReason quantity = quantity(int64(buffer, block + OrderDecoder.quantityEncodingOffset()));
        if (RejectReason.NONE != quantity)
        {
            return quantity;
        }

        final RejectReason price = price(
            int64(buffer, block + OrderDecoder.priceEncodingOffset()), OrderAction.CANCEL.value() == action);
        if (RejectReason.NONE != price)
        {
            return price;
        }

        if (!isVenue(buffer, block + OrderDecoder.venueEncodingOffset()))
        {
            return RejectReason.INVALID_VENUE;
        }

        return RejectReason.NONE;
    }

    private RejectReason validateExecution(final DirectBuffer buffer, final int block, final int end)
    {
        if (limit != end)
        {
            return RejectReason.TRAILING_BYTES;
        }

        if (int64(buffer, block + ExecutionDecoder.accountEncodingOffset()) <= 0 ||
            int64(buffer, block + ExecutionDecoder.counterpartyAccountEncodingOffset()) <= 0)
        {
            return RejectReason.INVALID_ACCOUNT;
        }

        if (!SIDES[uint8(buffer, block + ExecutionDecoder.sideEncodingOffset())])
        {
            return RejectReason.INVALID_ENUM;
        }

        final RejectReason quantity = quantity(int64(buffer, block + ExecutionDecoder.quantityEncodingOffset()));
        if (RejectReason.NONE != quantity)
        {
            return quantity;
        }

        final RejectReason price = price(int64(buffer, block + ExecutionDecoder.priceEncodingOffset()), false);
        if (RejectReason.NONE != price)
        {
            return price;
        }

        if (!isVenue(buffer, block + ExecutionDecoder.venueEncodingOffset()))
        {
            return RejectReason.INVALID_VENUE;
        }

        return RejectReason.NONE;
    }

    private RejectReason validateAccountUpdate(final DirectBuffer buffer, final int block, final int end)
    {
        if (limit != end)
        {
            return RejectReason.TRAILING_BYTES;
        }

        if (int64(buffer, block + AccountUpdateDecoder.accountEncodingOffset()) <= 0)
        {
            return RejectReason.INVALID_ACCOUNT;
        }

        if (!ACCOUNT_ACTIONS[uint8(buffer, block + AccountUpdateDecoder.actionEncodingOffset())] ||
            !RISK_RATINGS[uint8(buffer, block + AccountUpdateDecoder.riskRatingEncodingOffset())])
        {
            return RejectReason.INVALID_ENUM;
        }

        if (!isCountry(buffer, block + AccountUpdateDecoder.countryEncodingOffset()))
        {
            return RejectReason.INVALID_COUNTRY;
        }

        return RejectReason.NONE;
    }

    private RejectReason validateConfigChange(final DirectBuffer buffer, final int block, final int end)
    {
        RejectReason reason = skipText(buffer, end);
        if (RejectReason.NONE == reason)
        {
            reason = skipText(buffer, end);
        }

        if (RejectReason.NONE != reason)
        {
            return reason;
        }

        if (limit != end)
        {
            return RejectReason.TRAILING_BYTES;
        }

        if (!CONFIG_ACTIONS[uint8(buffer, block + ConfigChangeDecoder.actionEncodingOffset())])
        {
            return RejectReason.INVALID_ENUM;
        }

        return RejectReason.NONE;
    }

    private RejectReason validateAlert(final DirectBuffer buffer, final int block, final int end)
    {
        RejectReason reason = skipGroup(buffer, end, AlertDecoder.EvidenceDecoder.sbeBlockLength());
        if (RejectReason.NONE == reason)
        {
            reason = skipVarData(buffer, end);
        }

        if (RejectReason.NONE != reason)
        {
            return reason;
        }

        if (limit != end)
        {
            return RejectReason.TRAILING_BYTES;
        }

        if (!SEVERITIES[uint8(buffer, block + AlertDecoder.severityEncodingOffset())])
        {
            return RejectReason.INVALID_ENUM;
        }

        return RejectReason.NONE;
    }

    private RejectReason skipGroup(final DirectBuffer buffer, final int end, final int schemaBlockLength)
    {
        final int header = limit;
        if (GROUP_HEADER_LENGTH > end - header)
        {
            return RejectReason.TRUNCATED_GROUP;
        }

        final int blockLength = uint16(buffer, header + GroupSizeEncodingDecoder.blockLengthEncodingOffset());
        final int numInGroup = uint16(buffer, header + GroupSizeEncodingDecoder.numInGroupEncodingOffset());
        if (numInGroup > MAX_GROUP_COUNT)
        {
            return RejectReason.GROUP_TOO_LARGE;
        }

        if (blockLength < schemaBlockLength)
        {
            return RejectReason.BLOCK_LENGTH_TOO_SMALL;
        }

        final int entries = header + GROUP_HEADER_LENGTH;
        final long entriesLength = (long)numInGroup * blockLength;
        if (entriesLength > end - entries)
        {
            return RejectReason.TRUNCATED_GROUP;
        }

        limit = entries + (int)entriesLength;

        return RejectReason.NONE;
    }

    /**
     * Skip a var-data field that holds text, noting {@link RejectReason#INVALID_TEXT} when its bytes are not UTF-8;
     * that is reported only once the framing and the other field rules pass.
     */
    private RejectReason skipText(final DirectBuffer buffer, final int end)
    {
        final int data = limit + VAR_DATA_HEADER_LENGTH;
        final RejectReason reason = skipVarData(buffer, end);
        if (RejectReason.NONE == reason && RejectReason.NONE == textReason &&
            !FieldRules.isValidUtf8(buffer, data, limit - data))
        {
            textReason = RejectReason.INVALID_TEXT;
        }

        return reason;
    }

    private static RejectReason quantity(final long quantity)
    {
        if (quantity <= 0)
        {
            return RejectReason.INVALID_QUANTITY;
        }

        return FieldRules.isValidQuantity(quantity) ? RejectReason.NONE : RejectReason.QUANTITY_OUT_OF_RANGE;
    }

    private static RejectReason price(final long price, final boolean isCancel)
    {
        if (price < 0 || (price == 0 && !isCancel))
        {
            return RejectReason.INVALID_PRICE;
        }

        return FieldRules.isValidPrice(price, isCancel) ? RejectReason.NONE : RejectReason.PRICE_OUT_OF_RANGE;
    }

    private static boolean isCountry(final DirectBuffer buffer, final int index)
    {
        final int c0 = uint8(buffer, index);
        final int c1 = uint8(buffer, index + 1);
        return (FieldRules.isCountryChar(c0) && FieldRules.isCountryChar(c1)) || (0 == c0 && 0 == c1);
    }

    private static boolean isVenue(final DirectBuffer buffer, final int index)
    {
        final int c0 = uint8(buffer, index);
        final int c1 = uint8(buffer, index + 1);
        final int c2 = uint8(buffer, index + 2);
        final int c3 = uint8(buffer, index + 3);
        return (FieldRules.isVenueChar(c0) && FieldRules.isVenueChar(c1) && FieldRules.isVenueChar(c2) &&
            FieldRules.isVenueChar(c3)) || (0 == (c0 | c1 | c2 | c3));
    }

    private RejectReason skipVarData(final DirectBuffer buffer, final int end)
    {
        final int header = limit;
        if (VAR_DATA_HEADER_LENGTH > end - header)
        {
            return RejectReason.TRUNCATED_VAR_DATA;
        }

        final int dataLength = uint16(buffer, header + VarStringEncodingDecoder.lengthEncodingOffset());
        if (dataLength > maxVarDataLength)
        {
            return RejectReason.VAR_DATA_TOO_LONG;
        }

        final int data = header + VAR_DATA_HEADER_LENGTH;
        if (dataLength > end - data)
        {
            return RejectReason.TRUNCATED_VAR_DATA;
        }

        limit = data + dataLength;

        return RejectReason.NONE;
    }

    private static int uint8(final DirectBuffer buffer, final int index)
    {
        return buffer.getByte(index) & 0xFF;
    }

    private static int uint16(final DirectBuffer buffer, final int index)
    {
        return buffer.getShort(index, BYTE_ORDER) & 0xFFFF;
    }

    private static int int32(final DirectBuffer buffer, final int index)
    {
        return buffer.getInt(index, BYTE_ORDER);
    }

    private static long int64(final DirectBuffer buffer, final int index)
    {
        return buffer.getLong(index, BYTE_ORDER);
    }
}
