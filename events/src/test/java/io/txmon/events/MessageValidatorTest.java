package io.txmon.events;

import io.txmon.events.TestMessages.AlertMsg;
import io.txmon.events.TestMessages.TestMessage;
import io.txmon.events.codec.AccountUpdateDecoder;
import io.txmon.events.codec.AlertDecoder;
import io.txmon.events.codec.ConfigChangeDecoder;
import io.txmon.events.codec.ExecutionDecoder;
import io.txmon.events.codec.GroupSizeEncodingDecoder;
import io.txmon.events.codec.MessageHeaderDecoder;
import io.txmon.events.codec.OrderAction;
import io.txmon.events.codec.OrderDecoder;
import io.txmon.events.codec.PaymentDecoder;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static io.txmon.events.TestMessages.BYTE_ORDER;
import static io.txmon.events.TestMessages.HEADER_LENGTH;
import static io.txmon.events.TestMessages.putUint16;
import static io.txmon.events.TestMessages.with;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class MessageValidatorTest
{
    private static final Set<RejectReason> TRUNCATIONS = EnumSet.of(
        RejectReason.TRUNCATED_HEADER,
        RejectReason.TRUNCATED_BLOCK,
        RejectReason.TRUNCATED_GROUP,
        RejectReason.TRUNCATED_VAR_DATA);

    private static final int BLOCK = HEADER_LENGTH;

    private final MessageValidator validator = new MessageValidator();

    static Stream<TestMessage> validMessages()
    {
        return TestMessages.validMessages().stream();
    }

    private RejectReason validate(final UnsafeBuffer buffer)
    {
        return validator.validate(buffer, 0, buffer.capacity());
    }

    /**
     * Encode the message, apply the mutation to the encoded bytes, and validate the whole buffer.
     */
    private RejectReason validateMutated(final TestMessage message, final Consumer<MutableDirectBuffer> mutation)
    {
        final UnsafeBuffer buffer = TestMessages.encodeExactly(message);
        mutation.accept(buffer);

        return validate(buffer);
    }

    private static int templateIdOf(final UnsafeBuffer buffer)
    {
        return buffer.getShort(MessageHeaderDecoder.templateIdEncodingOffset(), BYTE_ORDER) & 0xFFFF;
    }

    // Accepted

    @ParameterizedTest
    @MethodSource("validMessages")
    void acceptsValidMessage(final TestMessage message)
    {
        assertEquals(RejectReason.NONE, validate(TestMessages.encodeExactly(message)));
    }

    @ParameterizedTest
    @MethodSource("validMessages")
    void acceptsValidMessageAtAnOffsetAmongOtherBytes(final TestMessage message)
    {
        final UnsafeBuffer exact = TestMessages.encodeExactly(message);
        final int length = exact.capacity();
        final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(length + 200));
        buffer.setMemory(0, buffer.capacity(), (byte)0xFF);
        buffer.putBytes(101, exact, 0, length);

        assertEquals(RejectReason.NONE, validator.validate(buffer, 101, length));
        assertEquals(message, TestMessages.decode(buffer, 101, length));
    }

    @Test
    void isReusableAcrossMessages()
    {
        for (int i = 0; i < 3; i++)
        {
            for (final TestMessage message : TestMessages.validMessages())
            {
                assertEquals(RejectReason.NONE, validate(TestMessages.encodeExactly(message)));
                assertEquals(RejectReason.TRUNCATED_HEADER, validator.validate(new UnsafeBuffer(new byte[4]), 0, 4));
            }
        }
    }

    // Buffer range

    @Test
    void refusesARangeOutsideTheBuffer()
    {
        final UnsafeBuffer buffer = TestMessages.encodeExactly(TestMessages.validOrder());
        final int capacity = buffer.capacity();

        assertEquals(RejectReason.INVALID_BUFFER_RANGE, validator.validate(null, 0, 0));
        assertEquals(RejectReason.INVALID_BUFFER_RANGE, validator.validate(buffer, -1, capacity));
        assertEquals(RejectReason.INVALID_BUFFER_RANGE, validator.validate(buffer, 0, -1));
        assertEquals(RejectReason.INVALID_BUFFER_RANGE, validator.validate(buffer, 0, capacity + 1));
        assertEquals(RejectReason.INVALID_BUFFER_RANGE, validator.validate(buffer, 1, capacity));
        assertEquals(RejectReason.INVALID_BUFFER_RANGE, validator.validate(buffer, capacity + 1, 0));
        assertEquals(RejectReason.INVALID_BUFFER_RANGE, validator.validate(buffer, 1, Integer.MAX_VALUE));
        assertEquals(RejectReason.INVALID_BUFFER_RANGE, validator.validate(buffer, Integer.MAX_VALUE, 1));
        assertEquals(RejectReason.TRUNCATED_HEADER, validator.validate(buffer, capacity, 0));
    }

    @Test
    void rejectsAnOutOfRangeCap()
    {
        assertThrows(IllegalArgumentException.class, () -> new MessageValidator(-1));
        assertThrows(
            IllegalArgumentException.class, () -> new MessageValidator(MessageValidator.MAX_VAR_DATA_LENGTH + 1));
        assertEquals(4096, new MessageValidator(MessageValidator.MAX_VAR_DATA_LENGTH).maxVarDataLength());
        assertEquals(MessageValidator.DEFAULT_MAX_VAR_DATA_LENGTH, validator.maxVarDataLength());
    }

    // Header

    @ParameterizedTest
    @ValueSource(ints = { 0, 1, 7 })
    void refusesATruncatedHeader(final int length)
    {
        assertEquals(RejectReason.TRUNCATED_HEADER, validator.validate(new UnsafeBuffer(new byte[8]), 0, length));
    }

    @ParameterizedTest
    @ValueSource(ints = { 0, 1, 7430, 7432, 65535 })
    void refusesWrongSchemaId(final int schemaId)
    {
        for (final TestMessage message : TestMessages.validMessages())
        {
            assertEquals(RejectReason.WRONG_SCHEMA_ID, validateMutated(message,
                (buffer) -> putUint16(buffer, MessageHeaderDecoder.schemaIdEncodingOffset(), schemaId)));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = { 0, MessageHeaderDecoder.SCHEMA_VERSION + 1, 65535 })
    void refusesUnsupportedVersion(final int version)
    {
        for (final TestMessage message : TestMessages.validMessages())
        {
            assertEquals(RejectReason.UNSUPPORTED_VERSION, validateMutated(message,
                (buffer) -> putUint16(buffer, MessageHeaderDecoder.versionEncodingOffset(), version)));
        }
    }

    @Test
    void schemaIsCheckedBeforeVersionAndVersionBeforeTemplate()
    {
        assertEquals(RejectReason.WRONG_SCHEMA_ID, validateMutated(TestMessages.validPayment(), (buffer) ->
        {
            putUint16(buffer, MessageHeaderDecoder.schemaIdEncodingOffset(), 1);
            putUint16(buffer, MessageHeaderDecoder.versionEncodingOffset(), 0);
        }));
        assertEquals(RejectReason.UNSUPPORTED_VERSION, validateMutated(TestMessages.validPayment(), (buffer) ->
        {
            putUint16(buffer, MessageHeaderDecoder.versionEncodingOffset(), 0);
            putUint16(buffer, MessageHeaderDecoder.templateIdEncodingOffset(), 0);
        }));
    }

    @ParameterizedTest
    @ValueSource(ints = { 0, 6, 7, 8, 9, 12, 65535 })
    void refusesUnknownTemplate(final int templateId)
    {
        for (final TestMessage message : TestMessages.validMessages())
        {
            assertEquals(RejectReason.UNKNOWN_TEMPLATE, validateMutated(message,
                (buffer) -> putUint16(buffer, MessageHeaderDecoder.templateIdEncodingOffset(), templateId)));
        }
    }

    // Block

    @ParameterizedTest
    @MethodSource("validMessages")
    void refusesBlockLengthSmallerThanTheSchema(final TestMessage message)
    {
        final int schemaBlockLength = TestMessages.blockLengthOf(message.templateId());
        for (final int blockLength : new int[]{ 0, 1, schemaBlockLength - 1 })
        {
            assertEquals(RejectReason.BLOCK_LENGTH_TOO_SMALL, validateMutated(message,
                (buffer) -> putUint16(buffer, MessageHeaderDecoder.blockLengthEncodingOffset(), blockLength)));
        }
    }

    @ParameterizedTest
    @MethodSource("validMessages")
    void refusesBlockLengthLargerThanTheMessage(final TestMessage message)
    {
        final UnsafeBuffer buffer = TestMessages.encodeExactly(message);
        final int pastTheEnd = buffer.capacity() - HEADER_LENGTH + 1;
        for (final int blockLength : new int[]{ pastTheEnd, pastTheEnd + 1000, 65535 })
        {
            putUint16(buffer, MessageHeaderDecoder.blockLengthEncodingOffset(), blockLength);
            assertEquals(RejectReason.TRUNCATED_BLOCK, validate(buffer));
        }
    }

    @Test
    void refusesOrderWithOneByteMoreBlockLengthThanItCarries()
    {
        assertEquals(RejectReason.TRUNCATED_BLOCK, validateMutated(TestMessages.validOrder(),
            (buffer) -> putUint16(
                buffer, MessageHeaderDecoder.blockLengthEncodingOffset(), OrderDecoder.BLOCK_LENGTH + 1)));
    }

    @ParameterizedTest
    @MethodSource("validMessages")
    void acceptsALargerBlockLengthWithItsExtensionBytes(final TestMessage message)
    {
        final UnsafeBuffer buffer = TestMessages.encodeExactly(message);
        for (final int extra : new int[]{ 1, 8, 100 })
        {
            final UnsafeBuffer extended = TestMessages.extendBlock(buffer, buffer.capacity(), extra, (byte)0xA5);
            assertEquals(RejectReason.NONE, validate(extended), "extra=" + extra);
            assertEquals(message, TestMessages.decode(extended, 0, extended.capacity()));
        }
    }

    // Groups

    private static int evidenceHeaderIndex()
    {
        return HEADER_LENGTH + AlertDecoder.BLOCK_LENGTH;
    }

    static Stream<Integer> groupCountsOverTheLimit()
    {
        return Stream.of(MessageValidator.MAX_GROUP_COUNT + 1, 4096, 65535);
    }

    @ParameterizedTest
    @MethodSource("groupCountsOverTheLimit")
    void refusesGroupCountOverTheLimit(final int count)
    {
        assertEquals(RejectReason.GROUP_TOO_LARGE, validateMutated(TestMessages.validAlert(), (buffer) -> putUint16(
            buffer, evidenceHeaderIndex() + GroupSizeEncodingDecoder.numInGroupEncodingOffset(), count)));
    }

    @Test
    void acceptsGroupCountAtTheLimit()
    {
        final List<Long> evidence = new ArrayList<>();
        for (long i = 0; i < MessageValidator.MAX_GROUP_COUNT; i++)
        {
            evidence.add(i);
        }

        assertEquals(RejectReason.NONE, validate(TestMessages.encodeExactly(
            with(TestMessages.validAlert(), "evidence", List.copyOf(evidence)))));
    }

    @ParameterizedTest
    @ValueSource(ints = { 0, 1, 7 })
    void refusesGroupBlockLengthSmallerThanTheSchema(final int blockLength)
    {
        assertEquals(RejectReason.BLOCK_LENGTH_TOO_SMALL, validateMutated(TestMessages.validAlert(), (buffer) ->
            putUint16(
                buffer, evidenceHeaderIndex() + GroupSizeEncodingDecoder.blockLengthEncodingOffset(), blockLength)));
    }

    @Test
    void refusesGroupBlockLengthTooSmallEvenWhenEmpty()
    {
        final AlertMsg alert = with(TestMessages.validAlert(), "evidence", List.of());
        assertEquals(RejectReason.BLOCK_LENGTH_TOO_SMALL, validateMutated(alert, (buffer) ->
            putUint16(buffer, evidenceHeaderIndex() + GroupSizeEncodingDecoder.blockLengthEncodingOffset(), 0)));
    }

    @Test
    void refusesGroupCountPastTheEnd()
    {
        assertEquals(RejectReason.TRUNCATED_GROUP, validateMutated(TestMessages.validAlert(), (buffer) -> putUint16(
            buffer, evidenceHeaderIndex() + GroupSizeEncodingDecoder.numInGroupEncodingOffset(), 100)));
        assertEquals(RejectReason.TRUNCATED_GROUP, validateMutated(TestMessages.validAlert(), (buffer) -> putUint16(
            buffer, evidenceHeaderIndex() + GroupSizeEncodingDecoder.blockLengthEncodingOffset(), 65535)));
    }

    @Test
    void acceptsALargerGroupBlockLengthWithItsExtensionBytes()
    {
        final AlertMsg alert = TestMessages.validAlert();
        final UnsafeBuffer plain = TestMessages.encodeExactly(alert);
        final int entries = alert.evidence().size();
        final int groupBlockLength = AlertDecoder.EvidenceDecoder.sbeBlockLength() + 8;
        final int groupStart = evidenceHeaderIndex() + AlertDecoder.EvidenceDecoder.HEADER_SIZE;
        final int plainGroupEnd = groupStart + entries * AlertDecoder.EvidenceDecoder.sbeBlockLength();
        final UnsafeBuffer extended = new UnsafeBuffer(new byte[plain.capacity() + entries * 8]);

        extended.putBytes(0, plain, 0, groupStart);
        putUint16(
            extended, evidenceHeaderIndex() + GroupSizeEncodingDecoder.blockLengthEncodingOffset(), groupBlockLength);
        for (int i = 0; i < entries; i++)
        {
            extended.putLong(groupStart + i * groupBlockLength, alert.evidence().get(i), BYTE_ORDER);
            extended.putLong(groupStart + i * groupBlockLength + 8, -1L, BYTE_ORDER);
        }
        final int groupEnd = groupStart + entries * groupBlockLength;
        extended.putBytes(groupEnd, plain, plainGroupEnd, plain.capacity() - plainGroupEnd);

        assertEquals(RejectReason.NONE, validate(extended));
        assertEquals(alert, TestMessages.decode(extended, 0, extended.capacity()));
    }

    // Var-data

    private static int lastVarDataHeaderIndex(final UnsafeBuffer buffer, final int dataLength)
    {
        return buffer.capacity() - dataLength - 2;
    }

    @Test
    void refusesVarDataOverTheCap()
    {
        final String tooLong = "y".repeat(MessageValidator.DEFAULT_MAX_VAR_DATA_LENGTH + 1);

        assertEquals(RejectReason.VAR_DATA_TOO_LONG, validate(TestMessages.encodeExactly(
            with(TestMessages.validPayment(), "reference", tooLong))));
        assertEquals(RejectReason.VAR_DATA_TOO_LONG, validate(TestMessages.encodeExactly(
            with(TestMessages.validConfigChange(), "key", tooLong))));
        assertEquals(RejectReason.VAR_DATA_TOO_LONG, validate(TestMessages.encodeExactly(
            with(TestMessages.validConfigChange(), "value", tooLong))));
        assertEquals(RejectReason.VAR_DATA_TOO_LONG, validate(TestMessages.encodeExactly(
            with(TestMessages.validAlert(), "reason", tooLong))));
    }

    @Test
    void appliesTheConfiguredCap()
    {
        final MessageValidator small = new MessageValidator(16);
        final UnsafeBuffer atCap = TestMessages.encodeExactly(
            with(TestMessages.validPayment(), "reference", "z".repeat(16)));
        final UnsafeBuffer overCap = TestMessages.encodeExactly(
            with(TestMessages.validPayment(), "reference", "z".repeat(17)));

        assertEquals(RejectReason.NONE, small.validate(atCap, 0, atCap.capacity()));
        assertEquals(RejectReason.VAR_DATA_TOO_LONG, small.validate(overCap, 0, overCap.capacity()));

        final MessageValidator none = new MessageValidator(0);
        final UnsafeBuffer empty = TestMessages.encodeExactly(with(TestMessages.validPayment(), "reference", ""));
        assertEquals(RejectReason.NONE, none.validate(empty, 0, empty.capacity()));
        assertEquals(RejectReason.VAR_DATA_TOO_LONG, none.validate(atCap, 0, atCap.capacity()));

        final MessageValidator large = new MessageValidator(MessageValidator.MAX_VAR_DATA_LENGTH);
        final UnsafeBuffer schemaMax = TestMessages.encodeExactly(
            with(TestMessages.validPayment(), "reference", "z".repeat(MessageValidator.MAX_VAR_DATA_LENGTH)));
        assertEquals(RejectReason.NONE, large.validate(schemaMax, 0, schemaMax.capacity()));
    }

    @Test
    void capIsCheckedBeforeTheDataMustFit()
    {
        final UnsafeBuffer buffer = TestMessages.encodeExactly(TestMessages.validPayment());
        final String reference = TestMessages.validPayment().reference();
        putUint16(buffer, lastVarDataHeaderIndex(buffer, reference.length()), 65535);

        assertEquals(RejectReason.VAR_DATA_TOO_LONG, validate(buffer));
    }

    @Test
    void refusesVarDataLengthPastTheEnd()
    {
        final UnsafeBuffer payment = TestMessages.encodeExactly(TestMessages.validPayment());
        final int referenceLength = TestMessages.validPayment().reference().length();
        putUint16(payment, lastVarDataHeaderIndex(payment, referenceLength), referenceLength + 1);
        assertEquals(RejectReason.TRUNCATED_VAR_DATA, validate(payment));

        final UnsafeBuffer change = TestMessages.encodeExactly(TestMessages.validConfigChange());
        putUint16(change, HEADER_LENGTH + ConfigChangeDecoder.BLOCK_LENGTH, 1000);
        assertEquals(RejectReason.TRUNCATED_VAR_DATA, validate(change));

        final UnsafeBuffer changeValue = TestMessages.encodeExactly(TestMessages.validConfigChange());
        final int valueLength = TestMessages.validConfigChange().value().length();
        putUint16(changeValue, lastVarDataHeaderIndex(changeValue, valueLength), valueLength + 1);
        assertEquals(RejectReason.TRUNCATED_VAR_DATA, validate(changeValue));

        final UnsafeBuffer alert = TestMessages.encodeExactly(TestMessages.validAlert());
        final int reasonLength = TestMessages.validAlert().reason().length();
        putUint16(alert, lastVarDataHeaderIndex(alert, reasonLength), reasonLength + 1);
        assertEquals(RejectReason.TRUNCATED_VAR_DATA, validate(alert));
    }

    @Test
    void refusesMissingVarDataHeader()
    {
        final UnsafeBuffer payment = TestMessages.encodeExactly(with(TestMessages.validPayment(), "reference", ""));
        assertEquals(RejectReason.NONE, validate(payment));
        assertEquals(RejectReason.TRUNCATED_VAR_DATA, validator.validate(payment, 0, payment.capacity() - 2));
        assertEquals(RejectReason.TRUNCATED_VAR_DATA, validator.validate(payment, 0, payment.capacity() - 1));
    }

    // Trailing bytes

    @ParameterizedTest
    @MethodSource("validMessages")
    void refusesTrailingBytes(final TestMessage message)
    {
        final UnsafeBuffer exact = TestMessages.encodeExactly(message);
        final UnsafeBuffer longer = new UnsafeBuffer(new byte[exact.capacity() + 8]);
        longer.putBytes(0, exact, 0, exact.capacity());

        for (int extra = 1; extra <= 8; extra++)
        {
            assertEquals(RejectReason.TRAILING_BYTES, validator.validate(longer, 0, exact.capacity() + extra));
        }
    }

    @Test
    void structureIsCheckedBeforeFieldRules()
    {
        final UnsafeBuffer exact = TestMessages.encodeExactly(with(TestMessages.validPayment(), "amount", 0L));
        assertEquals(RejectReason.INVALID_AMOUNT, validate(exact));

        final UnsafeBuffer longer = new UnsafeBuffer(new byte[exact.capacity() + 1]);
        longer.putBytes(0, exact, 0, exact.capacity());
        assertEquals(RejectReason.TRAILING_BYTES, validate(longer));
    }

    // Field rules: one case per reason per template

    static Stream<Arguments> fieldRules()
    {
        final int paymentChannel = BLOCK + PaymentDecoder.channelEncodingOffset();
        final int orderSide = BLOCK + OrderDecoder.sideEncodingOffset();
        final int orderAction = BLOCK + OrderDecoder.actionEncodingOffset();
        final int executionSide = BLOCK + ExecutionDecoder.sideEncodingOffset();
        final int accountAction = BLOCK + AccountUpdateDecoder.actionEncodingOffset();
        final int riskRating = BLOCK + AccountUpdateDecoder.riskRatingEncodingOffset();
        final int configAction = BLOCK + ConfigChangeDecoder.actionEncodingOffset();
        final int severity = BLOCK + AlertDecoder.severityEncodingOffset();

        final TestMessage payment = TestMessages.validPayment();
        final TestMessage order = TestMessages.validOrder();
        final TestMessage execution = TestMessages.validExecution();
        final TestMessage accountUpdate = TestMessages.validAccountUpdate();
        final TestMessage configChange = TestMessages.validConfigChange();
        final TestMessage alert = TestMessages.validAlert();

        return Stream.of(
            rule("payment debtor 0", with(TestMessages.validPayment(), "debtorAccount", 0L),
                RejectReason.INVALID_ACCOUNT),
            rule("payment debtor -1", with(TestMessages.validPayment(), "debtorAccount", -1L),
                RejectReason.INVALID_ACCOUNT),
            rule("payment creditor 0", with(TestMessages.validPayment(), "creditorAccount", 0L),
                RejectReason.INVALID_ACCOUNT),
            rule("payment creditor -7", with(TestMessages.validPayment(), "creditorAccount", -7L),
                RejectReason.INVALID_ACCOUNT),
            rule("payment to itself", with(TestMessages.validPayment(), "creditorAccount", 1_001L),
                RejectReason.INVALID_ACCOUNT),
            rule("payment amount 0", with(TestMessages.validPayment(), "amount", 0L), RejectReason.INVALID_AMOUNT),
            rule("payment amount -1", with(TestMessages.validPayment(), "amount", -1L), RejectReason.INVALID_AMOUNT),
            rule("payment currency 0", with(TestMessages.validPayment(), "currency", 0), RejectReason.INVALID_CURRENCY),
            rule("payment currency BHD", with(TestMessages.validPayment(), "currency", 48),
                RejectReason.INVALID_CURRENCY),
            rule("payment currency 999", with(TestMessages.validPayment(), "currency", 999),
                RejectReason.INVALID_CURRENCY),
            rule("payment currency 1000", with(TestMessages.validPayment(), "currency", 1000),
                RejectReason.INVALID_CURRENCY),
            rule("payment currency 1840", with(TestMessages.validPayment(), "currency", 1840),
                RejectReason.INVALID_CURRENCY),
            rule("payment currency null", with(TestMessages.validPayment(), "currency", 65535),
                RejectReason.INVALID_CURRENCY),
            patched("payment channel 8", payment, paymentChannel, 8, RejectReason.INVALID_ENUM),
            patched("payment channel 254", payment, paymentChannel, 254, RejectReason.INVALID_ENUM),
            patched("payment channel null", payment, paymentChannel, 255, RejectReason.INVALID_ENUM),
            rule("payment amount above 10^15", with(TestMessages.validPayment(), "amount", FieldRules.MAX_AMOUNT + 1),
                RejectReason.AMOUNT_OUT_OF_RANGE),
            rule("payment amount 10^15", with(TestMessages.validPayment(), "amount", FieldRules.MAX_AMOUNT),
                RejectReason.NONE),
            rule("payment latitude -1979", with(TestMessages.validPayment(), "latitude", -1_979_000_000),
                RejectReason.INVALID_GEO),
            rule("payment latitude 90.000001", with(TestMessages.validPayment(), "latitude", 90_000_001),
                RejectReason.INVALID_GEO),
            rule("payment latitude -90", with(TestMessages.validPayment(), "latitude", -90_000_000),
                RejectReason.NONE),
            rule("payment longitude 180.000001", with(TestMessages.validPayment(), "longitude", 180_000_001),
                RejectReason.INVALID_GEO),
            rule("payment longitude -180", with(TestMessages.validPayment(), "longitude", -180_000_000),
                RejectReason.NONE),
            rule("payment latitude only", with(TestMessages.validPayment(), "longitude", FieldRules.NO_DEGREES),
                RejectReason.INVALID_GEO),
            rule("payment no geo", with(TestMessages.validPayment(), "latitude", FieldRules.NO_DEGREES,
                "longitude", FieldRules.NO_DEGREES), RejectReason.NONE),
            rule("payment country F tab", with(TestMessages.validPayment(), "debtorCountry", "F\t"),
                RejectReason.INVALID_COUNTRY),
            rule("payment country lower case", with(TestMessages.validPayment(), "creditorCountry", "fr"),
                RejectReason.INVALID_COUNTRY),
            rule("payment country not given", with(TestMessages.validPayment(), "creditorCountry", "\0\0"),
                RejectReason.NONE),
            rule("payment country half given", with(TestMessages.validPayment(), "creditorCountry", "F\0"),
                RejectReason.INVALID_COUNTRY),
            rule("payment event time -1", with(TestMessages.validPayment(), "eventTime", -1L),
                RejectReason.EVENT_TIME_OUT_OF_RANGE),
            rule("payment event time after 2200",
                with(TestMessages.validPayment(), "eventTime", FieldRules.MAX_EVENT_TIME + 1),
                RejectReason.EVENT_TIME_OUT_OF_RANGE),
            rule("payment event time 0", with(TestMessages.validPayment(), "eventTime", 0L), RejectReason.NONE),
            patched("payment reference not UTF-8", payment, TestMessages.encodeExactly(payment).capacity() - 1, 0xC0,
                RejectReason.INVALID_TEXT),

            rule("order account 0", with(TestMessages.validOrder(), "account", 0L), RejectReason.INVALID_ACCOUNT),
            rule("order account -1", with(TestMessages.validOrder(), "account", -1L), RejectReason.INVALID_ACCOUNT),
            patched("order side 2", order, orderSide, 2, RejectReason.INVALID_ENUM),
            patched("order side null", order, orderSide, 255, RejectReason.INVALID_ENUM),
            patched("order action 3", order, orderAction, 3, RejectReason.INVALID_ENUM),
            patched("order action null", order, orderAction, 255, RejectReason.INVALID_ENUM),
            rule("order quantity 0", with(TestMessages.validOrder(), "quantity", 0L), RejectReason.INVALID_QUANTITY),
            rule("order quantity -1", with(TestMessages.validOrder(), "quantity", -1L), RejectReason.INVALID_QUANTITY),
            rule("order new price 0", with(TestMessages.validOrder(), "price", 0L), RejectReason.INVALID_PRICE),
            rule("order amend price -1", with(TestMessages.validOrder(), "price", -1L, "action", OrderAction.AMEND),
                RejectReason.INVALID_PRICE),
            rule("order cancel price 0", with(TestMessages.validOrder(), "price", 0L, "action", OrderAction.CANCEL),
                RejectReason.NONE),
            rule("order cancel price -1", with(TestMessages.validOrder(), "price", -1L, "action", OrderAction.CANCEL),
                RejectReason.INVALID_PRICE),
            rule("order price above 10^15", with(TestMessages.validOrder(), "price", FieldRules.MAX_PRICE + 1),
                RejectReason.PRICE_OUT_OF_RANGE),
            rule("order quantity above 10^12", with(TestMessages.validOrder(), "quantity", FieldRules.MAX_QUANTITY + 1),
                RejectReason.QUANTITY_OUT_OF_RANGE),
            rule("order venue X-ON", with(TestMessages.validOrder(), "venue", "X-ON"), RejectReason.INVALID_VENUE),
            rule("order venue not given", with(TestMessages.validOrder(), "venue", "\0\0\0\0"), RejectReason.NONE),
            rule("order event time Long.MIN_VALUE", with(TestMessages.validOrder(), "eventTime", Long.MIN_VALUE),
                RejectReason.EVENT_TIME_OUT_OF_RANGE),
            rule("order cancel quantity 0",
                with(TestMessages.validOrder(), "quantity", 0L, "action", OrderAction.CANCEL),
                RejectReason.INVALID_QUANTITY),

            rule("execution account 0", with(TestMessages.validExecution(), "account", 0L),
                RejectReason.INVALID_ACCOUNT),
            rule("execution counterparty 0", with(TestMessages.validExecution(), "counterpartyAccount", 0L),
                RejectReason.INVALID_ACCOUNT),
            rule("execution counterparty -1", with(TestMessages.validExecution(), "counterpartyAccount", -1L),
                RejectReason.INVALID_ACCOUNT),
            patched("execution side 2", execution, executionSide, 2, RejectReason.INVALID_ENUM),
            patched("execution side null", execution, executionSide, 255, RejectReason.INVALID_ENUM),
            rule("execution quantity 0", with(TestMessages.validExecution(), "quantity", 0L),
                RejectReason.INVALID_QUANTITY),
            rule("execution price 0", with(TestMessages.validExecution(), "price", 0L), RejectReason.INVALID_PRICE),
            rule("execution price -1", with(TestMessages.validExecution(), "price", -1L), RejectReason.INVALID_PRICE),
            rule("execution price above 10^15", with(TestMessages.validExecution(), "price", FieldRules.MAX_PRICE + 1),
                RejectReason.PRICE_OUT_OF_RANGE),
            rule("execution quantity above 10^12",
                with(TestMessages.validExecution(), "quantity", FieldRules.MAX_QUANTITY + 1),
                RejectReason.QUANTITY_OUT_OF_RANGE),
            rule("execution venue xlon", with(TestMessages.validExecution(), "venue", "xlon"),
                RejectReason.INVALID_VENUE),

            rule("account update account 0", with(TestMessages.validAccountUpdate(), "account", 0L),
                RejectReason.INVALID_ACCOUNT),
            rule("account update account -1", with(TestMessages.validAccountUpdate(), "account", -1L),
                RejectReason.INVALID_ACCOUNT),
            patched("account update action 3", accountUpdate, accountAction, 3, RejectReason.INVALID_ENUM),
            patched("account update action null", accountUpdate, accountAction, 255, RejectReason.INVALID_ENUM),
            patched("account update risk rating 4", accountUpdate, riskRating, 4, RejectReason.INVALID_ENUM),
            patched("account update risk rating null", accountUpdate, riskRating, 255, RejectReason.INVALID_ENUM),
            rule("account update country G1", with(TestMessages.validAccountUpdate(), "country", "G1"),
                RejectReason.INVALID_COUNTRY),
            rule("account update event time Long.MAX_VALUE",
                with(TestMessages.validAccountUpdate(), "eventTime", Long.MAX_VALUE),
                RejectReason.EVENT_TIME_OUT_OF_RANGE),

            patched("config change action 5", configChange, configAction, 5, RejectReason.INVALID_ENUM),
            patched("config change action null", configChange, configAction, 255, RejectReason.INVALID_ENUM),
            patched("config change value not UTF-8", configChange, TestMessages.encodeExactly(configChange).capacity() - 1, 0xFF,
                RejectReason.INVALID_TEXT),

            patched("alert severity 4", alert, severity, 4, RejectReason.INVALID_ENUM),
            patched("alert severity null", alert, severity, 255, RejectReason.INVALID_ENUM));
    }

    private static Arguments rule(final String name, final TestMessage message, final RejectReason expected)
    {
        return Arguments.of(name, message, -1, 0, expected);
    }

    private static Arguments patched(
        final String name, final TestMessage message, final int index, final int value, final RejectReason expected)
    {
        return Arguments.of(name, message, index, value, expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fieldRules")
    void appliesFieldRule(
        final String name, final TestMessage message, final int index, final int value, final RejectReason expected)
    {
        final UnsafeBuffer buffer = TestMessages.encodeExactly(message);
        if (index >= 0)
        {
            buffer.putByte(index, (byte)value);
        }

        assertEquals(expected, validate(buffer), name);
    }

    @Test
    void fieldRulesCoverEveryValidatorReasonForEveryTemplate()
    {
        final Set<String> covered = new HashSet<>();
        fieldRules().forEach((arguments) ->
        {
            final TestMessage message = (TestMessage)arguments.get()[1];
            covered.add(message.templateId() + ":" + arguments.get()[4]);
        });

        final List<String> expected = List.of(
            PaymentDecoder.TEMPLATE_ID + ":INVALID_ACCOUNT",
            PaymentDecoder.TEMPLATE_ID + ":INVALID_AMOUNT",
            PaymentDecoder.TEMPLATE_ID + ":INVALID_CURRENCY",
            PaymentDecoder.TEMPLATE_ID + ":INVALID_ENUM",
            PaymentDecoder.TEMPLATE_ID + ":AMOUNT_OUT_OF_RANGE",
            PaymentDecoder.TEMPLATE_ID + ":INVALID_GEO",
            PaymentDecoder.TEMPLATE_ID + ":INVALID_COUNTRY",
            PaymentDecoder.TEMPLATE_ID + ":EVENT_TIME_OUT_OF_RANGE",
            PaymentDecoder.TEMPLATE_ID + ":INVALID_TEXT",
            OrderDecoder.TEMPLATE_ID + ":PRICE_OUT_OF_RANGE",
            OrderDecoder.TEMPLATE_ID + ":QUANTITY_OUT_OF_RANGE",
            OrderDecoder.TEMPLATE_ID + ":INVALID_VENUE",
            ExecutionDecoder.TEMPLATE_ID + ":PRICE_OUT_OF_RANGE",
            ExecutionDecoder.TEMPLATE_ID + ":INVALID_VENUE",
            AccountUpdateDecoder.TEMPLATE_ID + ":INVALID_COUNTRY",
            ConfigChangeDecoder.TEMPLATE_ID + ":INVALID_TEXT",
            OrderDecoder.TEMPLATE_ID + ":INVALID_ACCOUNT",
            OrderDecoder.TEMPLATE_ID + ":INVALID_ENUM",
            OrderDecoder.TEMPLATE_ID + ":INVALID_QUANTITY",
            OrderDecoder.TEMPLATE_ID + ":INVALID_PRICE",
            ExecutionDecoder.TEMPLATE_ID + ":INVALID_ACCOUNT",
            ExecutionDecoder.TEMPLATE_ID + ":INVALID_ENUM",
            ExecutionDecoder.TEMPLATE_ID + ":INVALID_QUANTITY",
            ExecutionDecoder.TEMPLATE_ID + ":INVALID_PRICE",
            AccountUpdateDecoder.TEMPLATE_ID + ":INVALID_ACCOUNT",
            AccountUpdateDecoder.TEMPLATE_ID + ":INVALID_ENUM",
            ConfigChangeDecoder.TEMPLATE_ID + ":INVALID_ENUM",
            AlertDecoder.TEMPLATE_ID + ":INVALID_ENUM");

        assertTrue(covered.containsAll(expected), () -> "not covered: " + expected.stream()
            .filter((key) -> !covered.contains(key)).toList());
    }

    // Truncation: every prefix of a valid message is refused, for a structural reason

    @ParameterizedTest
    @MethodSource("validMessages")
    void refusesEveryTruncation(final TestMessage message)
    {
        final UnsafeBuffer buffer = TestMessages.encodeExactly(message);
        final int length = buffer.capacity();
        assertEquals(RejectReason.NONE, validate(buffer));

        for (int truncated = 0; truncated < length; truncated++)
        {
            final RejectReason reason = validator.validate(buffer, 0, truncated);
            assertNotEquals(RejectReason.NONE, reason, "length " + truncated + " of " + length);
            assertTrue(TRUNCATIONS.contains(reason), "length " + truncated + " of " + length + ": " + reason);
            if (truncated < HEADER_LENGTH)
            {
                assertEquals(RejectReason.TRUNCATED_HEADER, reason);
            }
            else if (truncated < HEADER_LENGTH + TestMessages.blockLengthOf(templateIdOf(buffer)))
            {
                assertEquals(RejectReason.TRUNCATED_BLOCK, reason);
            }
        }
    }

    @Test
    void validMessagesHaveVarDataAndEvidence()
    {
        assertFalse(TestMessages.validPayment().reference().isEmpty());
        assertFalse(TestMessages.validConfigChange().key().isEmpty());
        assertFalse(TestMessages.validConfigChange().value().isEmpty());
        assertFalse(TestMessages.validAlert().reason().isEmpty());
        assertEquals(3, TestMessages.validAlert().evidence().size());
    }

    // Property: random mutations never make validate throw, and what it accepts decodes whole

    @Test
    void randomMutationsNeverThrowAndAcceptedMessagesDecode()
    {
        final Random random = new Random(0x7431_2024L);
        final List<UnsafeBuffer> seeds = new ArrayList<>();
        for (final TestMessage message : TestMessages.validMessages())
        {
            final UnsafeBuffer exact = TestMessages.encodeExactly(message);
            seeds.add(exact);
            seeds.add(TestMessages.extendBlock(exact, exact.capacity(), 5, (byte)0));
        }
        seeds.add(TestMessages.encodeExactly(with(TestMessages.validAlert(), "evidence", List.of(), "reason", "")));
        seeds.add(TestMessages.encodeExactly(with(TestMessages.validConfigChange(), "key", "", "value", "")));

        final int iterations = 20_000;
        final int margin = 64;
        final ExpandableArrayBuffer scratch = new ExpandableArrayBuffer(4096);
        int accepted = 0;
        int mutatedAndAccepted = 0;

        for (int i = 0; i < iterations; i++)
        {
            final UnsafeBuffer seed = seeds.get(random.nextInt(seeds.size()));
            final int seedLength = seed.capacity();
            final int capacity = margin + seedLength + margin;
            final UnsafeBuffer buffer = new UnsafeBuffer(new byte[capacity]);
            final byte[] noise = new byte[capacity];
            random.nextBytes(noise);
            buffer.putBytes(0, noise);
            final int offset = random.nextInt(margin);
            buffer.putBytes(offset, seed, 0, seedLength);

            int length = seedLength;
            final int mutations = random.nextInt(4);
            for (int m = 0; m < mutations; m++)
            {
                switch (random.nextInt(6))
                {
                    case 0:
                        buffer.putByte(offset + random.nextInt(seedLength), (byte)random.nextInt(256));
                        break;

                    case 1:
                    {
                        final int index = offset + random.nextInt(seedLength);
                        buffer.putByte(index, (byte)(buffer.getByte(index) ^ (1 << random.nextInt(8))));
                        break;
                    }

                    case 2:
                        length = random.nextInt(capacity - offset + 1);
                        break;

                    case 3:
                        length = Math.max(0, Math.min(capacity - offset, length + random.nextInt(9) - 4));
                        break;

                    case 4:
                    {
                        final int index = offset + random.nextInt(Math.max(1, seedLength - 1));
                        final int[] interesting = { 0, 1, 7, 8, 9, 255, 256, 1024, 1025, 32767, 65535,
                            seedLength, seedLength - HEADER_LENGTH };
                        buffer.putShort(index, (short)interesting[random.nextInt(interesting.length)], BYTE_ORDER);
                        break;
                    }

                    default:
                        buffer.putShort(
                            offset + MessageHeaderDecoder.templateIdEncodingOffset(),
                            (short)(1 + random.nextInt(12)),
                            BYTE_ORDER);
                        break;
                }
            }

            final RejectReason reason;
            try
            {
                reason = validator.validate(buffer, offset, length);
            }
            catch (final Throwable ex)
            {
                throw new AssertionError("validate threw at iteration " + i, ex);
            }

            if (RejectReason.NONE == reason)
            {
                accepted++;
                scratch.putBytes(0, buffer, offset, length);
                if (length != seedLength || !sameBytes(scratch, seed))
                {
                    mutatedAndAccepted++;
                }

                try
                {
                    TestMessages.decode(buffer, offset, length);
                }
                catch (final Throwable ex)
                {
                    fail("accepted message did not decode at iteration " + i, ex);
                }
            }
        }

        assertTrue(accepted > iterations / 10, "accepted " + accepted);
        assertTrue(mutatedAndAccepted > 100, "mutated and accepted " + mutatedAndAccepted);
    }

    private static boolean sameBytes(final MutableDirectBuffer candidate, final UnsafeBuffer seed)
    {
        for (int i = 0; i < seed.capacity(); i++)
        {
            if (candidate.getByte(i) != seed.getByte(i))
            {
                return false;
            }
        }

        return true;
    }

    // Cost

    @Test
    void validateDoesNotAllocate()
    {
        final List<UnsafeBuffer> buffers = new ArrayList<>();
        for (final TestMessage message : TestMessages.validMessages())
        {
            buffers.add(TestMessages.encodeExactly(message));
        }
        buffers.add(TestMessages.encodeExactly(with(TestMessages.validPayment(), "amount", 0L)));

        final java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        if (!(bean instanceof com.sun.management.ThreadMXBean))
        {
            return;
        }
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)bean;
        final long threadId = Thread.currentThread().getId();

        int sink = 0;
        for (int warmUp = 0; warmUp < 20_000; warmUp++)
        {
            for (final UnsafeBuffer buffer : buffers)
            {
                sink += validator.validate(buffer, 0, buffer.capacity()).code();
                sink += validator.validate(buffer, 0, buffer.capacity() / 2).code();
            }
        }

        final int size = buffers.size();
        final UnsafeBuffer[] array = buffers.toArray(new UnsafeBuffer[0]);
        final long before = threads.getThreadAllocatedBytes(threadId);
        for (int i = 0; i < 100_000; i++)
        {
            final UnsafeBuffer buffer = array[i % size];
            sink += validator.validate(buffer, 0, buffer.capacity()).code();
            sink += validator.validate(buffer, 0, buffer.capacity() / 2).code();
        }
        final long after = threads.getThreadAllocatedBytes(threadId);

        assertTrue(sink > 0);
        // getThreadAllocatedBytes may itself allocate a little on some JVMs
        assertTrue(after - before < 1024, "allocated " + (after - before) + " bytes");
    }
}
