package io.txmon.events;

import io.txmon.events.TestMessages.AccountUpdateMsg;
import io.txmon.events.TestMessages.AlertMsg;
import io.txmon.events.TestMessages.ConfigChangeMsg;
import io.txmon.events.TestMessages.ExecutionMsg;
import io.txmon.events.TestMessages.OrderMsg;
import io.txmon.events.TestMessages.PaymentMsg;
import io.txmon.events.TestMessages.TestMessage;
import io.txmon.events.codec.AccountAction;
import io.txmon.events.codec.AccountUpdateDecoder;
import io.txmon.events.codec.AlertDecoder;
import io.txmon.events.codec.AlertEncoder;
import io.txmon.events.codec.Channel;
import io.txmon.events.codec.ConfigAction;
import io.txmon.events.codec.ConfigChangeDecoder;
import io.txmon.events.codec.ExecutionDecoder;
import io.txmon.events.codec.MessageHeaderEncoder;
import io.txmon.events.codec.OrderAction;
import io.txmon.events.codec.OrderDecoder;
import io.txmon.events.codec.PaymentDecoder;
import io.txmon.events.codec.RiskRating;
import io.txmon.events.codec.Severity;
import io.txmon.events.codec.Side;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static io.txmon.events.TestMessages.with;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Every message encoded with the generated encoders and decoded back with the generated decoders, at the limits
 * of its fields, then given to the validator: accepted when the values obey the field rules, refused with the
 * expected reason when the limits break them.
 */
class CodecRoundTripTest
{
    private static final int MAX_VAR_DATA = MessageValidator.DEFAULT_MAX_VAR_DATA_LENGTH;
    private static final int DIRECT_OFFSET = 13;

    private static final java.util.Set<RejectReason> RANGE_RULES = java.util.EnumSet.of(
        RejectReason.INVALID_GEO, RejectReason.INVALID_COUNTRY, RejectReason.INVALID_VENUE,
        RejectReason.AMOUNT_OUT_OF_RANGE, RejectReason.PRICE_OUT_OF_RANGE, RejectReason.QUANTITY_OUT_OF_RANGE,
        RejectReason.EVENT_TIME_OUT_OF_RANGE, RejectReason.INVALID_TEXT);

    private final MessageValidator validator = new MessageValidator();

    /**
     * Encode into an on-heap buffer at offset 0 and into an off-heap buffer at an odd offset, decode both back,
     * assert every field, and validate both.
     */
    private RejectReason roundTrip(final TestMessage message)
    {
        final ExpandableArrayBuffer heap = new ExpandableArrayBuffer(64);
        final int length = message.encode(heap, 0);
        assertEquals(message, TestMessages.decode(heap, 0, length));

        final UnsafeBuffer direct = new UnsafeBuffer(ByteBuffer.allocateDirect(DIRECT_OFFSET + length + 64));
        direct.setMemory(0, direct.capacity(), (byte)0x5A);
        assertEquals(length, message.encode(direct, DIRECT_OFFSET));
        assertEquals(message, TestMessages.decode(direct, DIRECT_OFFSET, length));

        final RejectReason reason = validator.validate(heap, 0, length);
        assertEquals(reason, validator.validate(direct, DIRECT_OFFSET, length));

        // this test is about the codecs carrying every value of a field's type; the range rules of FieldRules
        // are MessageValidatorTest's and FieldRulesTest's
        return RANGE_RULES.contains(reason) ? RejectReason.NONE : reason;
    }

    private static String ascii(final int length)
    {
        return "x".repeat(length);
    }

    // Payment

    @ParameterizedTest
    @ValueSource(booleans = { false, true })
    void paymentIdentityAndTimeAtLimits(final boolean max)
    {
        final PaymentMsg payment = with(TestMessages.validPayment(),
            "producerId", max ? PaymentDecoder.producerIdMaxValue() : PaymentDecoder.producerIdMinValue(),
            "producerSeq", max ? PaymentDecoder.producerSeqMaxValue() : PaymentDecoder.producerSeqMinValue(),
            "eventTime", max ? PaymentDecoder.eventTimeMaxValue() : PaymentDecoder.eventTimeMinValue(),
            "txId", max ? PaymentDecoder.txIdMaxValue() : PaymentDecoder.txIdMinValue());

        assertEquals(
            max ? RejectReason.NONE : RejectReason.INVALID_PRODUCER_SEQ,
            roundTrip(payment),
            "producer sequences below 0 are refused");
    }

    @Test
    void paymentAccountsAndAmountAtMaximum()
    {
        final PaymentMsg payment = with(TestMessages.validPayment(),
            "debtorAccount", PaymentDecoder.debtorAccountMaxValue(),
            "creditorAccount", PaymentDecoder.creditorAccountMaxValue() - 1,
            "amount", PaymentDecoder.amountMaxValue());

        assertEquals(RejectReason.NONE, roundTrip(payment));
        assertEquals(RejectReason.NONE, roundTrip(with(payment,
            "debtorAccount", 1L, "creditorAccount", PaymentDecoder.creditorAccountMaxValue())));
    }

    @Test
    void paymentAccountsAtMinimumAreRefused()
    {
        assertEquals(RejectReason.INVALID_ACCOUNT, roundTrip(with(TestMessages.validPayment(),
            "debtorAccount", PaymentDecoder.debtorAccountMinValue())));
        assertEquals(RejectReason.INVALID_ACCOUNT, roundTrip(with(TestMessages.validPayment(),
            "creditorAccount", PaymentDecoder.creditorAccountMinValue())));
        assertEquals(RejectReason.INVALID_ACCOUNT, roundTrip(with(TestMessages.validPayment(),
            "debtorAccount", PaymentDecoder.debtorAccountMaxValue(),
            "creditorAccount", PaymentDecoder.creditorAccountMaxValue())));
    }

    @Test
    void paymentAmountAtMinimumIsRefused()
    {
        assertEquals(RejectReason.INVALID_AMOUNT, roundTrip(with(TestMessages.validPayment(),
            "amount", PaymentDecoder.amountMinValue())));
    }

    @Test
    void paymentCurrencyAtUint16LimitsIsRefused()
    {
        assertEquals(RejectReason.INVALID_CURRENCY, roundTrip(with(TestMessages.validPayment(),
            "currency", PaymentDecoder.currencyMinValue())));
        assertEquals(RejectReason.INVALID_CURRENCY, roundTrip(with(TestMessages.validPayment(),
            "currency", PaymentDecoder.currencyMaxValue())));
    }

    @ParameterizedTest
    @ValueSource(ints = { 840, 978, 826, 392, 36, 32, 980 })
    void paymentKnownCurrency(final int currency)
    {
        assertEquals(RejectReason.NONE, roundTrip(with(TestMessages.validPayment(), "currency", currency)));
    }

    @ParameterizedTest
    @EnumSource(value = Channel.class, mode = EnumSource.Mode.EXCLUDE, names = "NULL_VAL")
    void paymentEveryChannel(final Channel channel)
    {
        assertEquals(RejectReason.NONE, roundTrip(with(TestMessages.validPayment(), "channel", channel)));
    }

    @Test
    void paymentNullChannelIsRefused()
    {
        assertEquals(RejectReason.INVALID_ENUM, roundTrip(with(TestMessages.validPayment(),
            "channel", Channel.NULL_VAL)));
    }

    static Stream<Arguments> coordinates()
    {
        final int nullValue = PaymentDecoder.latitudeNullValue();
        return Stream.of(
            Arguments.of(nullValue, nullValue),
            Arguments.of(90_000_000, 180_000_000),
            Arguments.of(-90_000_000, -180_000_000),
            Arguments.of(90_000_000, -180_000_000),
            Arguments.of(nullValue, 180_000_000),
            Arguments.of(-90_000_000, nullValue),
            Arguments.of(0, 0),
            Arguments.of(PaymentDecoder.latitudeMinValue(), PaymentDecoder.longitudeMinValue()),
            Arguments.of(PaymentDecoder.latitudeMaxValue(), PaymentDecoder.longitudeMaxValue()));
    }

    @ParameterizedTest
    @MethodSource("coordinates")
    void paymentOptionalCoordinates(final int latitude, final int longitude)
    {
        assertEquals(RejectReason.NONE, roundTrip(with(TestMessages.validPayment(),
            "latitude", latitude, "longitude", longitude)));
    }

    @Test
    void paymentNullCoordinatesAreTheSchemaNullValue()
    {
        assertEquals(Integer.MIN_VALUE, PaymentDecoder.latitudeNullValue());
        assertEquals(Integer.MIN_VALUE, PaymentDecoder.longitudeNullValue());
        assertEquals(Integer.MIN_VALUE + 1, PaymentDecoder.latitudeMinValue());
    }

    @ParameterizedTest
    @CsvSource({ "DE,FR", "US,US", "'',''", "G,B" })
    void paymentCountries(final String debtorCountry, final String creditorCountry)
    {
        assertEquals(RejectReason.NONE, roundTrip(with(TestMessages.validPayment(),
            "debtorCountry", debtorCountry, "creditorCountry", creditorCountry)));
    }

    static Stream<String> varData()
    {
        return Stream.of(
            "", "x", TestMessages.NON_ASCII_TEXT, ascii(MAX_VAR_DATA), TestMessages.utf8OfLength(MAX_VAR_DATA));
    }

    @ParameterizedTest
    @MethodSource("varData")
    void paymentReference(final String reference)
    {
        assertEquals(RejectReason.NONE, roundTrip(with(TestMessages.validPayment(), "reference", reference)));
    }

    @Test
    void maximumVarDataIsExactlyTheCap()
    {
        assertEquals(MAX_VAR_DATA, TestMessages.utf8OfLength(MAX_VAR_DATA).getBytes(StandardCharsets.UTF_8).length);
    }

    @Test
    void paymentReferenceOverTheCapIsRefused()
    {
        assertEquals(RejectReason.VAR_DATA_TOO_LONG, roundTrip(with(TestMessages.validPayment(),
            "reference", TestMessages.utf8OfLength(MAX_VAR_DATA + 1))));
    }

    // Order

    @ParameterizedTest
    @ValueSource(booleans = { false, true })
    void orderIdentityAndTimeAtLimits(final boolean max)
    {
        final OrderMsg order = with(TestMessages.validOrder(),
            "producerId", max ? OrderDecoder.producerIdMaxValue() : OrderDecoder.producerIdMinValue(),
            "producerSeq", max ? OrderDecoder.producerSeqMaxValue() : OrderDecoder.producerSeqMinValue(),
            "eventTime", max ? OrderDecoder.eventTimeMaxValue() : OrderDecoder.eventTimeMinValue(),
            "orderId", max ? OrderDecoder.orderIdMaxValue() : OrderDecoder.orderIdMinValue(),
            "instrument", max ? OrderDecoder.instrumentMaxValue() : OrderDecoder.instrumentMinValue());

        assertEquals(
            max ? RejectReason.NONE : RejectReason.INVALID_PRODUCER_SEQ,
            roundTrip(order),
            "producer sequences below 0 are refused");
    }

    @Test
    void orderAccountPriceAndQuantityAtMaximum()
    {
        assertEquals(RejectReason.NONE, roundTrip(with(TestMessages.validOrder(),
            "account", OrderDecoder.accountMaxValue(),
            "price", OrderDecoder.priceMaxValue(),
            "quantity", OrderDecoder.quantityMaxValue())));
    }

    @Test
    void orderAccountPriceAndQuantityAtMinimumAreRefused()
    {
        assertEquals(RejectReason.INVALID_ACCOUNT, roundTrip(with(TestMessages.validOrder(),
            "account", OrderDecoder.accountMinValue())));
        assertEquals(RejectReason.INVALID_QUANTITY, roundTrip(with(TestMessages.validOrder(),
            "quantity", OrderDecoder.quantityMinValue())));
        assertEquals(RejectReason.INVALID_PRICE, roundTrip(with(TestMessages.validOrder(),
            "price", OrderDecoder.priceMinValue())));
        assertEquals(RejectReason.INVALID_PRICE, roundTrip(with(TestMessages.validOrder(),
            "price", OrderDecoder.priceMinValue(), "action", OrderAction.AMEND)));
    }

    @Test
    void orderCancelAtZeroPriceIsAcceptedAndANegativeOneRefused()
    {
        assertEquals(RejectReason.NONE, roundTrip(with(TestMessages.validOrder(),
            "price", 0L, "action", OrderAction.CANCEL)));
        assertEquals(RejectReason.INVALID_PRICE, roundTrip(with(TestMessages.validOrder(),
            "price", OrderDecoder.priceMinValue(), "action", OrderAction.CANCEL)));
    }

    static Stream<Arguments> sidesAndOrderActions()
    {
        final List<Arguments> arguments = new ArrayList<>();
        for (final Side side : Side.values())
        {
            for (final OrderAction action : OrderAction.values())
            {
                if (Side.NULL_VAL != side && OrderAction.NULL_VAL != action)
                {
                    arguments.add(Arguments.of(side, action));
                }
            }
        }

        return arguments.stream();
    }

    @ParameterizedTest
    @MethodSource("sidesAndOrderActions")
    void orderEverySideAndAction(final Side side, final OrderAction action)
    {
        assertEquals(RejectReason.NONE, roundTrip(with(TestMessages.validOrder(), "side", side, "action", action)));
    }

    @Test
    void orderNullEnumsAreRefused()
    {
        assertEquals(RejectReason.INVALID_ENUM, roundTrip(with(TestMessages.validOrder(), "side", Side.NULL_VAL)));
        assertEquals(RejectReason.INVALID_ENUM, roundTrip(with(TestMessages.validOrder(),
            "action", OrderAction.NULL_VAL)));
    }

    @ParameterizedTest
    @ValueSource(strings = { "XLON", "XNYS", "XETR", "BATS", "X", "" })
    void orderVenue(final String venue)
    {
        assertEquals(RejectReason.NONE, roundTrip(with(TestMessages.validOrder(), "venue", venue)));
    }

    // Execution

    @ParameterizedTest
    @ValueSource(booleans = { false, true })
    void executionIdentityAndTimeAtLimits(final boolean max)
    {
        final ExecutionMsg execution = with(TestMessages.validExecution(),
            "producerId", max ? ExecutionDecoder.producerIdMaxValue() : ExecutionDecoder.producerIdMinValue(),
            "producerSeq", max ? ExecutionDecoder.producerSeqMaxValue() : ExecutionDecoder.producerSeqMinValue(),
            "eventTime", max ? ExecutionDecoder.eventTimeMaxValue() : ExecutionDecoder.eventTimeMinValue(),
            "execId", max ? ExecutionDecoder.execIdMaxValue() : ExecutionDecoder.execIdMinValue(),
            "orderId", max ? ExecutionDecoder.orderIdMaxValue() : ExecutionDecoder.orderIdMinValue(),
            "instrument", max ? ExecutionDecoder.instrumentMaxValue() : ExecutionDecoder.instrumentMinValue());

        assertEquals(
            max ? RejectReason.NONE : RejectReason.INVALID_PRODUCER_SEQ,
            roundTrip(execution),
            "producer sequences below 0 are refused");
    }

    @Test
    void executionAccountsPriceAndQuantityAtMaximum()
    {
        assertEquals(RejectReason.NONE, roundTrip(with(TestMessages.validExecution(),
            "account", ExecutionDecoder.accountMaxValue(),
            "counterpartyAccount", ExecutionDecoder.counterpartyAccountMaxValue(),
            "price", ExecutionDecoder.priceMaxValue(),
            "quantity", ExecutionDecoder.quantityMaxValue())));
    }

    @Test
    void executionAccountsPriceAndQuantityAtMinimumAreRefused()
    {
        assertEquals(RejectReason.INVALID_ACCOUNT, roundTrip(with(TestMessages.validExecution(),
            "account", ExecutionDecoder.accountMinValue())));
        assertEquals(RejectReason.INVALID_ACCOUNT, roundTrip(with(TestMessages.validExecution(),
            "counterpartyAccount", ExecutionDecoder.counterpartyAccountMinValue())));
        assertEquals(RejectReason.INVALID_QUANTITY, roundTrip(with(TestMessages.validExecution(),
            "quantity", ExecutionDecoder.quantityMinValue())));
        assertEquals(RejectReason.INVALID_PRICE, roundTrip(with(TestMessages.validExecution(),
            "price", ExecutionDecoder.priceMinValue())));
    }

    @ParameterizedTest
    @EnumSource(value = Side.class, mode = EnumSource.Mode.EXCLUDE, names = "NULL_VAL")
    void executionEverySide(final Side side)
    {
        assertEquals(RejectReason.NONE, roundTrip(with(TestMessages.validExecution(), "side", side)));
    }

    @ParameterizedTest
    @ValueSource(strings = { "XLON", "XPAR", "" })
    void executionVenue(final String venue)
    {
        assertEquals(RejectReason.NONE, roundTrip(with(TestMessages.validExecution(), "venue", venue)));
    }

    // AccountUpdate

    @ParameterizedTest
    @ValueSource(booleans = { false, true })
    void accountUpdateIdentityAndTimeAtLimits(final boolean max)
    {
        final AccountUpdateMsg update = with(TestMessages.validAccountUpdate(),
            "producerId", max ? AccountUpdateDecoder.producerIdMaxValue() : AccountUpdateDecoder.producerIdMinValue(),
            "producerSeq",
            max ? AccountUpdateDecoder.producerSeqMaxValue() : AccountUpdateDecoder.producerSeqMinValue(),
            "eventTime", max ? AccountUpdateDecoder.eventTimeMaxValue() : AccountUpdateDecoder.eventTimeMinValue(),
            "partyId", max ? AccountUpdateDecoder.partyIdMaxValue() : AccountUpdateDecoder.partyIdMinValue());

        assertEquals(
            max ? RejectReason.NONE : RejectReason.INVALID_PRODUCER_SEQ,
            roundTrip(update),
            "producer sequences below 0 are refused");
    }

    @Test
    void accountUpdateAccountAtLimits()
    {
        assertEquals(RejectReason.NONE, roundTrip(with(TestMessages.validAccountUpdate(),
            "account", AccountUpdateDecoder.accountMaxValue())));
        assertEquals(RejectReason.INVALID_ACCOUNT, roundTrip(with(TestMessages.validAccountUpdate(),
            "account", AccountUpdateDecoder.accountMinValue())));
    }

    static Stream<Arguments> accountActionsAndRiskRatings()
    {
        final List<Arguments> arguments = new ArrayList<>();
        for (final AccountAction action : AccountAction.values())
        {
            for (final RiskRating rating : RiskRating.values())
            {
                if (AccountAction.NULL_VAL != action && RiskRating.NULL_VAL != rating)
                {
                    arguments.add(Arguments.of(action, rating));
                }
            }
        }

        return arguments.stream();
    }

    @ParameterizedTest
    @MethodSource("accountActionsAndRiskRatings")
    void accountUpdateEveryActionAndRiskRating(final AccountAction action, final RiskRating riskRating)
    {
        assertEquals(RejectReason.NONE, roundTrip(with(TestMessages.validAccountUpdate(),
            "action", action, "riskRating", riskRating)));
    }

    @ParameterizedTest
    @ValueSource(strings = { "GB", "CH", "" })
    void accountUpdateCountry(final String country)
    {
        assertEquals(RejectReason.NONE, roundTrip(with(TestMessages.validAccountUpdate(), "country", country)));
    }

    // ConfigChange

    @ParameterizedTest
    @ValueSource(booleans = { false, true })
    void configChangeIdentityTimeAndRuleAtLimits(final boolean max)
    {
        final ConfigChangeMsg change = with(TestMessages.validConfigChange(),
            "producerId", max ? ConfigChangeDecoder.producerIdMaxValue() : ConfigChangeDecoder.producerIdMinValue(),
            "producerSeq", max ? ConfigChangeDecoder.producerSeqMaxValue() : ConfigChangeDecoder.producerSeqMinValue(),
            "eventTime", max ? ConfigChangeDecoder.eventTimeMaxValue() : ConfigChangeDecoder.eventTimeMinValue(),
            "ruleId", max ? ConfigChangeDecoder.ruleIdMaxValue() : ConfigChangeDecoder.ruleIdMinValue());

        assertEquals(
            max ? RejectReason.NONE : RejectReason.INVALID_PRODUCER_SEQ,
            roundTrip(change),
            "producer sequences below 0 are refused");
    }

    @ParameterizedTest
    @EnumSource(value = ConfigAction.class, mode = EnumSource.Mode.EXCLUDE, names = "NULL_VAL")
    void configChangeEveryAction(final ConfigAction action)
    {
        assertEquals(RejectReason.NONE, roundTrip(with(TestMessages.validConfigChange(), "action", action)));
    }

    static Stream<Arguments> keysAndValues()
    {
        return Stream.of(
            Arguments.of("", ""),
            Arguments.of("velocity.window", ""),
            Arguments.of("", TestMessages.NON_ASCII_TEXT),
            Arguments.of(ascii(MAX_VAR_DATA), ascii(MAX_VAR_DATA)),
            Arguments.of(TestMessages.utf8OfLength(MAX_VAR_DATA), TestMessages.utf8OfLength(MAX_VAR_DATA)),
            Arguments.of(TestMessages.NON_ASCII_TEXT, ascii(MAX_VAR_DATA)));
    }

    @ParameterizedTest
    @MethodSource("keysAndValues")
    void configChangeKeyAndValue(final String key, final String value)
    {
        assertEquals(RejectReason.NONE, roundTrip(with(TestMessages.validConfigChange(),
            "key", key, "value", value)));
    }

    @Test
    void configChangeValueOverTheCapIsRefused()
    {
        assertEquals(RejectReason.VAR_DATA_TOO_LONG, roundTrip(with(TestMessages.validConfigChange(),
            "value", ascii(MAX_VAR_DATA + 1))));
    }

    // Alert

    @ParameterizedTest
    @ValueSource(booleans = { false, true })
    void alertFieldsAtLimits(final boolean max)
    {
        final AlertMsg alert = with(TestMessages.validAlert(),
            "alertId", max ? AlertDecoder.alertIdMaxValue() : AlertDecoder.alertIdMinValue(),
            "ruleId", max ? AlertDecoder.ruleIdMaxValue() : AlertDecoder.ruleIdMinValue(),
            "ruleVersion", max ? AlertDecoder.ruleVersionMaxValue() : AlertDecoder.ruleVersionMinValue(),
            "score", max ? AlertDecoder.scoreMaxValue() : AlertDecoder.scoreMinValue(),
            "triggeringOffset", max ? AlertDecoder.triggeringOffsetMaxValue() : AlertDecoder.triggeringOffsetMinValue(),
            "account", max ? AlertDecoder.accountMaxValue() : AlertDecoder.accountMinValue(),
            "eventTime", max ? AlertDecoder.eventTimeMaxValue() : AlertDecoder.eventTimeMinValue());

        assertEquals(RejectReason.NONE, roundTrip(alert));
    }

    @ParameterizedTest
    @EnumSource(value = Severity.class, mode = EnumSource.Mode.EXCLUDE, names = "NULL_VAL")
    void alertEverySeverity(final Severity severity)
    {
        assertEquals(RejectReason.NONE, roundTrip(with(TestMessages.validAlert(), "severity", severity)));
    }

    @Test
    void alertNullSeverityIsRefused()
    {
        assertEquals(RejectReason.INVALID_ENUM, roundTrip(with(TestMessages.validAlert(),
            "severity", Severity.NULL_VAL)));
    }

    static Stream<List<Long>> evidence()
    {
        final List<Long> full = new ArrayList<>();
        for (int i = 0; i < MessageValidator.MAX_GROUP_COUNT; i++)
        {
            full.add(i % 2 == 0 ? AlertDecoder.EvidenceDecoder.offsetMaxValue() - i : (long)i);
        }
        full.set(1, AlertDecoder.EvidenceDecoder.offsetMinValue());

        return Stream.of(
            List.of(),
            List.of(AlertDecoder.EvidenceDecoder.offsetMaxValue()),
            List.of(AlertDecoder.EvidenceDecoder.offsetMinValue()),
            List.copyOf(full));
    }

    @ParameterizedTest
    @MethodSource("evidence")
    void alertEvidence(final List<Long> evidence)
    {
        assertEquals(RejectReason.NONE, roundTrip(with(TestMessages.validAlert(), "evidence", evidence)));
    }

    @Test
    void alertEvidenceOverTheSchemaMaximumCannotBeEncoded()
    {
        final AlertEncoder encoder = new AlertEncoder()
            .wrapAndApplyHeader(new ExpandableArrayBuffer(64), 0, new MessageHeaderEncoder());
        assertEquals(MessageValidator.MAX_GROUP_COUNT, AlertEncoder.EvidenceEncoder.countMaxValue());
        assertThrows(
            IllegalArgumentException.class, () -> encoder.evidenceCount(MessageValidator.MAX_GROUP_COUNT + 1));
    }

    @ParameterizedTest
    @MethodSource("varData")
    void alertReason(final String reason)
    {
        assertEquals(RejectReason.NONE, roundTrip(with(TestMessages.validAlert(), "reason", reason)));
    }

    @Test
    void alertWithFullEvidenceAndMaximumReason()
    {
        final AlertMsg alert = with(TestMessages.validAlert(),
            "evidence", evidence().reduce((first, second) -> second).orElseThrow(),
            "reason", TestMessages.utf8OfLength(MAX_VAR_DATA));

        assertEquals(RejectReason.NONE, roundTrip(alert));
    }

    // Ack

    @ParameterizedTest
    @ValueSource(booleans = { false, true })
    void ackAtLimits(final boolean max)
    {
        final TestMessages.AckMsg ack = new TestMessages.AckMsg(
            max ? io.txmon.events.codec.AckDecoder.producerIdMaxValue() : io.txmon.events.codec.AckDecoder.producerIdMinValue(),
            max ? io.txmon.events.codec.AckDecoder.producerSeqMaxValue() : -1,
            max ? io.txmon.events.codec.AckDecoder.journalOffsetMaxValue() : -1,
            max ? Long.MAX_VALUE : Long.MIN_VALUE + 1);

        assertEquals(RejectReason.NONE, roundTrip(ack));
    }
}
