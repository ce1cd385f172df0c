package io.txmon.events;

import io.txmon.events.codec.AccountAction;
import io.txmon.events.codec.AccountUpdateDecoder;
import io.txmon.events.codec.AccountUpdateEncoder;
import io.txmon.events.codec.AckDecoder;
import io.txmon.events.codec.AckEncoder;
import io.txmon.events.codec.AlertDecoder;
import io.txmon.events.codec.AlertEncoder;
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
import io.txmon.events.codec.Severity;
import io.txmon.events.codec.Side;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Test messages as plain records, encoded with the generated encoders and decoded with the generated decoders,
 * so that a round trip is one {@code assertEquals}.
 */
final class TestMessages
{
    static final int HEADER_LENGTH = MessageHeaderDecoder.ENCODED_LENGTH;
    static final ByteOrder BYTE_ORDER = MessageHeaderDecoder.BYTE_ORDER;

    /**
     * Reference text with one-, two-, three- and four-byte UTF-8 characters.
     */
    static final String NON_ASCII_TEXT = "Zahlung für Rechnung № 42 — 請求書 \uD83D\uDCB6";

    private TestMessages()
    {
    }

    /**
     * A message that can encode itself, header included.
     */
    interface TestMessage
    {
        /**
         * Encode the message with its header at offset.
         *
         * @param buffer to encode into.
         * @param offset of the header.
         * @return the length of the message, header included.
         */
        int encode(MutableDirectBuffer buffer, int offset);

        /**
         * The template id of the message.
         *
         * @return the template id of the message.
         */
        int templateId();
    }

    record PaymentMsg(
        long producerId,
        long producerSeq,
        long eventTime,
        long txId,
        long debtorAccount,
        long creditorAccount,
        long amount,
        int currency,
        Channel channel,
        String debtorCountry,
        String creditorCountry,
        int latitude,
        int longitude,
        String reference) implements TestMessage
    {
        public int encode(final MutableDirectBuffer buffer, final int offset)
        {
            final PaymentEncoder encoder = new PaymentEncoder()
                .wrapAndApplyHeader(buffer, offset, new MessageHeaderEncoder())
                .producerId(producerId)
                .producerSeq(producerSeq)
                .eventTime(eventTime)
                .txId(txId)
                .debtorAccount(debtorAccount)
                .creditorAccount(creditorAccount)
                .amount(amount)
                .currency(currency)
                .channel(channel)
                .debtorCountry(debtorCountry)
                .creditorCountry(creditorCountry)
                .latitude(latitude)
                .longitude(longitude)
                .reference(reference);

            return HEADER_LENGTH + encoder.encodedLength();
        }

        public int templateId()
        {
            return PaymentDecoder.TEMPLATE_ID;
        }
    }

    record OrderMsg(
        long producerId,
        long producerSeq,
        long eventTime,
        long orderId,
        long account,
        long instrument,
        long price,
        long quantity,
        Side side,
        OrderAction action,
        String venue) implements TestMessage
    {
        public int encode(final MutableDirectBuffer buffer, final int offset)
        {
            final OrderEncoder encoder = new OrderEncoder()
                .wrapAndApplyHeader(buffer, offset, new MessageHeaderEncoder())
                .producerId(producerId)
                .producerSeq(producerSeq)
                .eventTime(eventTime)
                .orderId(orderId)
                .account(account)
                .instrument(instrument)
                .price(price)
                .quantity(quantity)
                .side(side)
                .action(action)
                .venue(venue);

            return HEADER_LENGTH + encoder.encodedLength();
        }

        public int templateId()
        {
            return OrderDecoder.TEMPLATE_ID;
        }
    }

    record ExecutionMsg(
        long producerId,
        long producerSeq,
        long eventTime,
        long execId,
        long orderId,
        long account,
        long counterpartyAccount,
        long instrument,
        long price,
        long quantity,
        Side side,
        String venue) implements TestMessage
    {
        public int encode(final MutableDirectBuffer buffer, final int offset)
        {
            final ExecutionEncoder encoder = new ExecutionEncoder()
                .wrapAndApplyHeader(buffer, offset, new MessageHeaderEncoder())
                .producerId(producerId)
                .producerSeq(producerSeq)
                .eventTime(eventTime)
                .execId(execId)
                .orderId(orderId)
                .account(account)
                .counterpartyAccount(counterpartyAccount)
                .instrument(instrument)
                .price(price)
                .quantity(quantity)
                .side(side)
                .venue(venue);

            return HEADER_LENGTH + encoder.encodedLength();
        }

        public int templateId()
        {
            return ExecutionDecoder.TEMPLATE_ID;
        }
    }

    record AccountUpdateMsg(
        long producerId,
        long producerSeq,
        long eventTime,
        long account,
        long partyId,
        AccountAction action,
        RiskRating riskRating,
        String country) implements TestMessage
    {
        public int encode(final MutableDirectBuffer buffer, final int offset)
        {
            final AccountUpdateEncoder encoder = new AccountUpdateEncoder()
                .wrapAndApplyHeader(buffer, offset, new MessageHeaderEncoder())
                .producerId(producerId)
                .producerSeq(producerSeq)
                .eventTime(eventTime)
                .account(account)
                .partyId(partyId)
                .action(action)
                .riskRating(riskRating)
                .country(country);

            return HEADER_LENGTH + encoder.encodedLength();
        }

        public int templateId()
        {
            return AccountUpdateDecoder.TEMPLATE_ID;
        }
    }

    record ConfigChangeMsg(
        long producerId,
        long producerSeq,
        long eventTime,
        int ruleId,
        ConfigAction action,
        String key,
        String value) implements TestMessage
    {
        public int encode(final MutableDirectBuffer buffer, final int offset)
        {
            final ConfigChangeEncoder encoder = new ConfigChangeEncoder()
                .wrapAndApplyHeader(buffer, offset, new MessageHeaderEncoder())
                .producerId(producerId)
                .producerSeq(producerSeq)
                .eventTime(eventTime)
                .ruleId(ruleId)
                .action(action)
                .key(key)
                .value(value);

            return HEADER_LENGTH + encoder.encodedLength();
        }

        public int templateId()
        {
            return ConfigChangeDecoder.TEMPLATE_ID;
        }
    }

    record AckMsg(long producerId, long producerSeq, long journalOffset, long engineEpoch) implements TestMessage
    {
        public int encode(final MutableDirectBuffer buffer, final int offset)
        {
            final AckEncoder encoder = new AckEncoder()
                .wrapAndApplyHeader(buffer, offset, new MessageHeaderEncoder())
                .producerId(producerId)
                .producerSeq(producerSeq)
                .journalOffset(journalOffset)
                .engineEpoch(engineEpoch);
            return HEADER_LENGTH + encoder.encodedLength();
        }

        public int templateId()
        {
            return AckDecoder.TEMPLATE_ID;
        }
    }

    record AlertMsg(
        long alertId,
        int ruleId,
        int ruleVersion,
        Severity severity,
        int score,
        long triggeringOffset,
        long account,
        long eventTime,
        List<Long> evidence,
        String reason) implements TestMessage
    {
        public int encode(final MutableDirectBuffer buffer, final int offset)
        {
            final AlertEncoder encoder = new AlertEncoder()
                .wrapAndApplyHeader(buffer, offset, new MessageHeaderEncoder())
                .alertId(alertId)
                .ruleId(ruleId)
                .ruleVersion(ruleVersion)
                .severity(severity)
                .score(score)
                .triggeringOffset(triggeringOffset)
                .account(account)
                .eventTime(eventTime);

            final AlertEncoder.EvidenceEncoder evidenceEncoder = encoder.evidenceCount(evidence.size());
            for (final long evidenceOffset : evidence)
            {
                evidenceEncoder.next().offset(evidenceOffset);
            }

            encoder.reason(reason);

            return HEADER_LENGTH + encoder.encodedLength();
        }

        public int templateId()
        {
            return AlertDecoder.TEMPLATE_ID;
        }
    }

    static PaymentMsg validPayment()
    {
        return new PaymentMsg(
            7, 1, 1_700_000_000_000_000_000L, 90_001, 1_001, 2_002, 12_345, 978, Channel.SEPA, "DE", "FR",
            48_856_613, 2_352_222, "invoice 2024-0042");
    }

    static OrderMsg validOrder()
    {
        return new OrderMsg(
            8, 2, 1_700_000_000_000_000_001L, 55, 3_003, 424_242, 101_25_000_000L, 300, Side.BUY, OrderAction.NEW,
            "XLON");
    }

    static ExecutionMsg validExecution()
    {
        return new ExecutionMsg(
            8, 3, 1_700_000_000_000_000_002L, 77, 55, 3_003, 4_004, 424_242, 101_25_000_000L, 100, Side.SELL, "XLON");
    }

    static AccountUpdateMsg validAccountUpdate()
    {
        return new AccountUpdateMsg(
            9, 4, 1_700_000_000_000_000_003L, 3_003, 600, AccountAction.OPEN, RiskRating.MEDIUM, "GB");
    }

    static ConfigChangeMsg validConfigChange()
    {
        return new ConfigChangeMsg(
            10, 5, 1_700_000_000_000_000_004L, 12, ConfigAction.SET_PARAMETER, "velocity.window", "PT5M");
    }

    static AlertMsg validAlert()
    {
        return new AlertMsg(
            123_456_789L, 12, 3, Severity.HIGH, 870, 1_000_000L, 3_003, 1_700_000_000_000_000_005L,
            List.of(999_997L, 999_998L, 999_999L), "velocity over 5 payments in 5 minutes");
    }

    /**
     * One valid message of every template, each with non-empty var-data and the Alert with 3 evidence entries.
     *
     * @return one valid message of every template.
     */
    static List<TestMessage> validMessages()
    {
        return List.of(
            validPayment(), validOrder(), validExecution(), validAccountUpdate(), validConfigChange(), validAlert());
    }

    /**
     * Encode a message at offset 0 into a buffer of exactly its length.
     *
     * @param message to encode.
     * @return a buffer holding the message and nothing else.
     */
    static UnsafeBuffer encodeExactly(final TestMessage message)
    {
        final ExpandableArrayBuffer scratch = new ExpandableArrayBuffer(256);
        final int length = message.encode(scratch, 0);
        final UnsafeBuffer exact = new UnsafeBuffer(new byte[length]);
        exact.putBytes(0, scratch, 0, length);

        return exact;
    }

    /**
     * Decode the whole message in {@code buffer[offset, offset + length)} through a view of exactly that range, so
     * that any read outside the message fails the bounds checks, and check that the decoder ends at its end.
     *
     * @param buffer holding the message.
     * @param offset of the header.
     * @param length of the message, header included.
     * @return the decoded message.
     */
    static TestMessage decode(final DirectBuffer buffer, final int offset, final int length)
    {
        final UnsafeBuffer message = new UnsafeBuffer(buffer, offset, length);
        final MessageHeaderDecoder header = new MessageHeaderDecoder().wrap(message, 0);
        final TestMessage decoded;
        final int limit;

        switch (header.templateId())
        {
            case PaymentDecoder.TEMPLATE_ID:
            {
                final PaymentDecoder d = new PaymentDecoder().wrapAndApplyHeader(message, 0, header);
                decoded = new PaymentMsg(
                    d.producerId(), d.producerSeq(), d.eventTime(), d.txId(), d.debtorAccount(), d.creditorAccount(),
                    d.amount(), d.currency(), d.channel(), d.debtorCountry(), d.creditorCountry(), d.latitude(),
                    d.longitude(), d.reference());
                limit = d.limit();
                break;
            }

            case OrderDecoder.TEMPLATE_ID:
            {
                final OrderDecoder d = new OrderDecoder().wrapAndApplyHeader(message, 0, header);
                decoded = new OrderMsg(
                    d.producerId(), d.producerSeq(), d.eventTime(), d.orderId(), d.account(), d.instrument(),
                    d.price(), d.quantity(), d.side(), d.action(), d.venue());
                limit = d.limit();
                break;
            }

            case ExecutionDecoder.TEMPLATE_ID:
            {
                final ExecutionDecoder d = new ExecutionDecoder().wrapAndApplyHeader(message, 0, header);
                decoded = new ExecutionMsg(
                    d.producerId(), d.producerSeq(), d.eventTime(), d.execId(), d.orderId(), d.account(),
                    d.counterpartyAccount(), d.instrument(), d.price(), d.quantity(), d.side(), d.venue());
                limit = d.limit();
                break;
            }

            case AccountUpdateDecoder.TEMPLATE_ID:
            {
                final AccountUpdateDecoder d =
                    new AccountUpdateDecoder().wrapAndApplyHeader(message, 0, header);
                decoded = new AccountUpdateMsg(
                    d.producerId(), d.producerSeq(), d.eventTime(), d.account(), d.partyId(), d.action(),
                    d.riskRating(), d.country());
                limit = d.limit();
                break;
            }

            case ConfigChangeDecoder.TEMPLATE_ID:
            {
                final ConfigChangeDecoder d =
                    new ConfigChangeDecoder().wrapAndApplyHeader(message, 0, header);
                decoded = new ConfigChangeMsg(
                    d.producerId(), d.producerSeq(), d.eventTime(), d.ruleId(), d.action(), d.key(), d.value());
                limit = d.limit();
                break;
            }

            case AlertDecoder.TEMPLATE_ID:
            {
                final AlertDecoder d = new AlertDecoder().wrapAndApplyHeader(message, 0, header);
                final long alertId = d.alertId();
                final int ruleId = d.ruleId();
                final int ruleVersion = d.ruleVersion();
                final Severity severity = d.severity();
                final int score = d.score();
                final long triggeringOffset = d.triggeringOffset();
                final long account = d.account();
                final long eventTime = d.eventTime();
                final List<Long> evidence = new ArrayList<>();
                for (final AlertDecoder.EvidenceDecoder entry : d.evidence())
                {
                    evidence.add(entry.offset());
                }
                decoded = new AlertMsg(
                    alertId, ruleId, ruleVersion, severity, score, triggeringOffset, account, eventTime,
                    List.copyOf(evidence), d.reason());
                limit = d.limit();
                break;
            }

            case AckDecoder.TEMPLATE_ID:
            {
                final AckDecoder d = new AckDecoder().wrapAndApplyHeader(message, 0, header);
                decoded = new AckMsg(d.producerId(), d.producerSeq(), d.journalOffset(), d.engineEpoch());
                limit = d.limit();
                break;
            }

            default:
                throw new IllegalArgumentException("unknown template: " + header.templateId());
        }

        if (limit != length)
        {
            throw new AssertionError("decoder ended at " + limit + " in a message of length " + length);
        }

        return decoded;
    }

    /**
     * A copy of a record with some components changed, by name: {@code with(payment, "amount", 0L)}.
     *
     * @param record        to copy.
     * @param namesAndValues component name then new value, repeated.
     * @param <T>           type of the record.
     * @return the copy.
     */
    @SuppressWarnings("unchecked")
    static <T extends Record> T with(final T record, final Object... namesAndValues)
    {
        try
        {
            final RecordComponent[] components = record.getClass().getRecordComponents();
            final Class<?>[] types = new Class<?>[components.length];
            final Object[] values = new Object[components.length];
            for (int i = 0; i < components.length; i++)
            {
                types[i] = components[i].getType();
                values[i] = components[i].getAccessor().invoke(record);
            }

            for (int j = 0; j < namesAndValues.length; j += 2)
            {
                boolean found = false;
                for (int i = 0; i < components.length; i++)
                {
                    if (components[i].getName().equals(namesAndValues[j]))
                    {
                        values[i] = namesAndValues[j + 1];
                        found = true;
                    }
                }

                if (!found)
                {
                    throw new IllegalArgumentException("no component " + namesAndValues[j] + " in " + record);
                }
            }

            final Constructor<?> constructor = record.getClass().getDeclaredConstructor(types);
            return (T)constructor.newInstance(values);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    /**
     * A string whose UTF-8 encoding is exactly the given number of bytes, made of one-, two-, three- and
     * four-byte characters.
     *
     * @param byteLength of the UTF-8 encoding.
     * @return the string.
     */
    static String utf8OfLength(final int byteLength)
    {
        final String[] pieces = { "\uD83D\uDE80", "€", "é", "a" };
        final StringBuilder builder = new StringBuilder();
        int remaining = byteLength;
        int i = 0;
        while (remaining > 0)
        {
            final String piece = pieces[i++ % pieces.length];
            final int pieceLength = piece.getBytes(StandardCharsets.UTF_8).length;
            if (pieceLength <= remaining)
            {
                builder.append(piece);
                remaining -= pieceLength;
            }
        }

        final String text = builder.toString();
        if (text.getBytes(StandardCharsets.UTF_8).length != byteLength)
        {
            throw new IllegalStateException("bad length");
        }

        return text;
    }

    /**
     * A copy of the message with extra bytes appended to its fixed-size block, as a newer producer that extended
     * the block would send, and the header's block length raised to match.
     *
     * @param buffer holding the message at offset 0.
     * @param length of the message.
     * @param extra  number of bytes to add to the block.
     * @param fill   value of the added bytes.
     * @return a buffer holding exactly the extended message.
     */
    static UnsafeBuffer extendBlock(final DirectBuffer buffer, final int length, final int extra, final byte fill)
    {
        final int blockLength = buffer.getShort(MessageHeaderDecoder.blockLengthEncodingOffset(), BYTE_ORDER) & 0xFFFF;
        final int blockEnd = HEADER_LENGTH + blockLength;
        final UnsafeBuffer extended = new UnsafeBuffer(new byte[length + extra]);
        extended.putBytes(0, buffer, 0, blockEnd);
        extended.setMemory(blockEnd, extra, fill);
        extended.putBytes(blockEnd + extra, buffer, blockEnd, length - blockEnd);
        extended.putShort(MessageHeaderDecoder.blockLengthEncodingOffset(), (short)(blockLength + extra), BYTE_ORDER);

        return extended;
    }

    static void putUint16(final MutableDirectBuffer buffer, final int index, final int value)
    {
        buffer.putShort(index, (short)value, BYTE_ORDER);
    }

    static int blockLengthOf(final int templateId)
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
                throw new IllegalArgumentException("unknown template: " + templateId);
        }
    }
}
