package io.txmon.rules;

import io.txmon.events.codec.AccountAction;
import io.txmon.events.codec.AccountUpdateEncoder;
import io.txmon.events.codec.AlertEncoder;
import io.txmon.events.codec.Channel;
import io.txmon.events.codec.ConfigAction;
import io.txmon.events.codec.ConfigChangeEncoder;
import io.txmon.events.codec.ExecutionEncoder;
import io.txmon.events.codec.MessageHeaderEncoder;
import io.txmon.events.codec.OrderAction;
import io.txmon.events.codec.OrderEncoder;
import io.txmon.events.codec.PaymentDecoder;
import io.txmon.events.codec.PaymentEncoder;
import io.txmon.events.codec.RiskRating;
import io.txmon.events.codec.Severity;
import io.txmon.events.codec.Side;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;

class TxEventDecoderTest
{
    /** Messages start part way into the buffer so that offset handling is exercised. */
    private static final int OFFSET = 24;
    private static final long PRODUCER_ID = 17;
    private static final long PRODUCER_SEQ = 123_456_789_012L;
    private static final long EVENT_TIME = 1_700_000_000_987_654_321L;

    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[4096]);
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final TxEventDecoder decoder = new TxEventDecoder();
    private TxEvent event;

    @BeforeEach
    void before()
    {
        event = new TxEvent(2, 4);
        event.reset();
        // the journal stamp belongs to the sequencer: decode must leave it alone
        event.offset = 777;
        event.ingestTime = 888;
        event.sequencedNanos = 999;
    }

    @Test
    void decodesPayment()
    {
        new PaymentEncoder().wrapAndApplyHeader(buffer, OFFSET, header)
            .producerId(PRODUCER_ID)
            .producerSeq(PRODUCER_SEQ)
            .eventTime(EVENT_TIME)
            .txId(4_000_000_001L)
            .debtorAccount(1_000_001L)
            .creditorAccount(2_000_002L)
            .amount(1_250_000L)
            .currency(978)
            .channel(Channel.CRYPTO)
            .debtorCountry(0, (byte)'D').debtorCountry(1, (byte)'E')
            .creditorCountry(0, (byte)'F').creditorCountry(1, (byte)'R')
            .latitude(48_856_613)
            .longitude(-2_352_222)
            .reference("invoice 77");

        assertTrue(decoder.decode(buffer, OFFSET, event));

        assertEquals(PaymentEncoder.TEMPLATE_ID, event.templateId);
        assertEquals(PRODUCER_ID, event.producerId);
        assertEquals(PRODUCER_SEQ, event.producerSeq);
        assertEquals(EVENT_TIME, event.eventTime);
        assertEquals(4_000_000_001L, event.txId);
        assertEquals(1_000_001L, event.debtorAccount);
        assertEquals(2_000_002L, event.creditorAccount);
        assertEquals(1_250_000L, event.amount);
        assertEquals(978, event.currency);
        assertEquals(Channel.CRYPTO.value(), event.channel);
        assertEquals(('D' << 8) | 'E', event.debtorCountry);
        assertEquals(TxEventDecoder.country((byte)'D', (byte)'E'), event.debtorCountry);
        assertEquals(('F' << 8) | 'R', event.creditorCountry);
        assertEquals(48_856_613, event.latitude);
        assertEquals(-2_352_222, event.longitude);
        assertStampUntouched();
        assertTradingFieldsZero();
        assertConfigFieldsZero();
    }

    @Test
    void decodesPaymentWithUnknownGeoAsNullValue()
    {
        new PaymentEncoder().wrapAndApplyHeader(buffer, OFFSET, header)
            .producerId(PRODUCER_ID)
            .producerSeq(1)
            .eventTime(EVENT_TIME)
            .txId(1)
            .debtorAccount(1)
            .creditorAccount(2)
            .amount(1)
            .currency(840)
            .channel(Channel.CARD)
            .putDebtorCountry((byte)'U', (byte)'S')
            .putCreditorCountry((byte)'G', (byte)'B')
            .latitude(PaymentEncoder.latitudeNullValue())
            .longitude(PaymentEncoder.longitudeNullValue())
            .reference("");

        assertTrue(decoder.decode(buffer, OFFSET, event));
        assertEquals(PaymentDecoder.latitudeNullValue(), event.latitude);
        assertEquals(PaymentDecoder.longitudeNullValue(), event.longitude);
        assertEquals(Channel.CARD.value(), event.channel);
        assertEquals(('U' << 8) | 'S', event.debtorCountry);
        assertEquals(('G' << 8) | 'B', event.creditorCountry);
    }

    @Test
    void decodesOrder()
    {
        new OrderEncoder().wrapAndApplyHeader(buffer, OFFSET, header)
            .producerId(PRODUCER_ID)
            .producerSeq(PRODUCER_SEQ)
            .eventTime(EVENT_TIME)
            .orderId(31)
            .account(32)
            .instrument(33)
            .price(12_345_678_900L)
            .quantity(500)
            .side(Side.SELL)
            .action(OrderAction.AMEND)
            .venue("XLON");

        assertTrue(decoder.decode(buffer, OFFSET, event));

        assertEquals(OrderEncoder.TEMPLATE_ID, event.templateId);
        assertEquals(PRODUCER_ID, event.producerId);
        assertEquals(PRODUCER_SEQ, event.producerSeq);
        assertEquals(EVENT_TIME, event.eventTime);
        assertEquals(31, event.orderId);
        assertEquals(32, event.account);
        assertEquals(33, event.instrument);
        assertEquals(12_345_678_900L, event.price);
        assertEquals(500, event.quantity);
        assertEquals(Side.SELL.value(), event.side);
        assertEquals(OrderAction.AMEND.value(), event.action);
        assertEquals(('X' << 24) | ('L' << 16) | ('O' << 8) | 'N', event.venue);
        assertEquals(TxEventDecoder.mic((byte)'X', (byte)'L', (byte)'O', (byte)'N'), event.venue);
        assertEquals(0, event.execId);
        assertEquals(0, event.counterpartyAccount);
        assertPaymentFieldsZero();
        assertStampUntouched();
    }

    @Test
    void decodesExecution()
    {
        new ExecutionEncoder().wrapAndApplyHeader(buffer, OFFSET, header)
            .producerId(PRODUCER_ID)
            .producerSeq(PRODUCER_SEQ)
            .eventTime(EVENT_TIME)
            .execId(41)
            .orderId(42)
            .account(43)
            .counterpartyAccount(44)
            .instrument(45)
            .price(99_000_000L)
            .quantity(7)
            .side(Side.BUY)
            .putVenue((byte)'X', (byte)'N', (byte)'A', (byte)'S');

        assertTrue(decoder.decode(buffer, OFFSET, event));

        assertEquals(ExecutionEncoder.TEMPLATE_ID, event.templateId);
        assertEquals(PRODUCER_ID, event.producerId);
        assertEquals(PRODUCER_SEQ, event.producerSeq);
        assertEquals(EVENT_TIME, event.eventTime);
        assertEquals(41, event.execId);
        assertEquals(42, event.orderId);
        assertEquals(43, event.account);
        assertEquals(44, event.counterpartyAccount);
        assertEquals(45, event.instrument);
        assertEquals(99_000_000L, event.price);
        assertEquals(7, event.quantity);
        assertEquals(Side.BUY.value(), event.side);
        assertEquals(TxEventDecoder.mic((byte)'X', (byte)'N', (byte)'A', (byte)'S'), event.venue);
        assertEquals(0, event.action);
        assertPaymentFieldsZero();
        assertStampUntouched();
    }

    @Test
    void decodesAccountUpdate()
    {
        new AccountUpdateEncoder().wrapAndApplyHeader(buffer, OFFSET, header)
            .producerId(PRODUCER_ID)
            .producerSeq(PRODUCER_SEQ)
            .eventTime(EVENT_TIME)
            .account(51)
            .partyId(52)
            .action(AccountAction.CLOSE)
            .riskRating(RiskRating.PROHIBITED)
            .country("IR");

        assertTrue(decoder.decode(buffer, OFFSET, event));

        assertEquals(AccountUpdateEncoder.TEMPLATE_ID, event.templateId);
        assertEquals(PRODUCER_ID, event.producerId);
        assertEquals(PRODUCER_SEQ, event.producerSeq);
        assertEquals(EVENT_TIME, event.eventTime);
        assertEquals(51, event.account);
        assertEquals(52, event.partyId);
        assertEquals(AccountAction.CLOSE.value(), event.action);
        assertEquals(RiskRating.PROHIBITED.value(), event.riskRating);
        assertEquals(TxEventDecoder.country((byte)'I', (byte)'R'), event.country);
        assertEquals(('I' << 8) | 'R', event.country);
        assertPaymentFieldsZero();
        assertStampUntouched();
    }

    @Test
    void decodesConfigChange()
    {
        new ConfigChangeEncoder().wrapAndApplyHeader(buffer, OFFSET, header)
            .producerId(PRODUCER_ID)
            .producerSeq(PRODUCER_SEQ)
            .eventTime(EVENT_TIME)
            .ruleId(3)
            .action(ConfigAction.SET_PARAMETER)
            .key("threshold")
            .value("2500000");

        assertTrue(decoder.decode(buffer, OFFSET, event));

        assertEquals(ConfigChangeEncoder.TEMPLATE_ID, event.templateId);
        assertEquals(PRODUCER_ID, event.producerId);
        assertEquals(PRODUCER_SEQ, event.producerSeq);
        assertEquals(EVENT_TIME, event.eventTime);
        assertEquals(3, event.ruleId);
        assertEquals(ConfigAction.SET_PARAMETER.value(), event.action);
        assertEquals("threshold", text(event.configKey, event.configKeyLength));
        assertEquals("2500000", text(event.configValue, event.configValueLength));
        assertPaymentFieldsZero();
        assertStampUntouched();
    }

    @Test
    void configChangeTextLongerThanTheSlotIsCutAndTheNextFieldStillDecodes()
    {
        final String key = "k".repeat(TxEvent.MAX_CONFIG_TEXT_LENGTH + 44);
        final String value = "v".repeat(TxEvent.MAX_CONFIG_TEXT_LENGTH) + "tail";
        new ConfigChangeEncoder().wrapAndApplyHeader(buffer, OFFSET, header)
            .producerId(PRODUCER_ID)
            .producerSeq(PRODUCER_SEQ)
            .eventTime(EVENT_TIME)
            .ruleId(9)
            .action(ConfigAction.LIST_ADD)
            .key(key)
            .value(value);

        assertTrue(decoder.decode(buffer, OFFSET, event));

        assertEquals(TxEvent.MAX_CONFIG_TEXT_LENGTH, event.configKeyLength);
        assertEquals(key.substring(0, TxEvent.MAX_CONFIG_TEXT_LENGTH), text(event.configKey, event.configKeyLength));
        assertEquals(TxEvent.MAX_CONFIG_TEXT_LENGTH, event.configValueLength);
        assertEquals(value.substring(0, TxEvent.MAX_CONFIG_TEXT_LENGTH), text(event.configValue, event.configValueLength));
    }

    @Test
    void configChangeFromANewerProducerWithALongerBlockDecodes()
    {
        final int extra = 8;
        final UnsafeBuffer original = new UnsafeBuffer(new byte[1024]);
        final ConfigChangeEncoder encoder = new ConfigChangeEncoder().wrapAndApplyHeader(original, 0, header)
            .producerId(PRODUCER_ID)
            .producerSeq(PRODUCER_SEQ)
            .eventTime(EVENT_TIME)
            .ruleId(12)
            .action(ConfigAction.DISABLE_RULE)
            .key("rule")
            .value("off");
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
        final int blockEnd = MessageHeaderEncoder.ENCODED_LENGTH + ConfigChangeEncoder.BLOCK_LENGTH;

        // header and block, then extra bytes of fields this build does not know, then the var data
        buffer.putBytes(OFFSET, original, 0, blockEnd);
        buffer.setMemory(OFFSET + blockEnd, extra, (byte)0x5A);
        buffer.putBytes(OFFSET + blockEnd + extra, original, blockEnd, length - blockEnd);
        buffer.putShort(OFFSET, (short)(ConfigChangeEncoder.BLOCK_LENGTH + extra), MessageHeaderEncoder.BYTE_ORDER);

        assertTrue(decoder.decode(buffer, OFFSET, event));
        assertEquals(12, event.ruleId);
        assertEquals(ConfigAction.DISABLE_RULE.value(), event.action);
        assertEquals("rule", text(event.configKey, event.configKeyLength));
        assertEquals("off", text(event.configValue, event.configValueLength));
    }

    @Test
    void alertIsNotAnIngestEventAndLeavesTheSlotUntouched()
    {
        new AlertEncoder().wrapAndApplyHeader(buffer, OFFSET, header)
            .alertId(1)
            .ruleId(1)
            .ruleVersion(1)
            .severity(Severity.HIGH)
            .score(600)
            .triggeringOffset(5)
            .account(6)
            .eventTime(EVENT_TIME)
            .evidenceCount(1).next().offset(5);
        event.producerId = -1;
        event.amount = -2;
        event.templateId = -3;

        assertFalse(decoder.decode(buffer, OFFSET, event));

        assertEquals(-1, event.producerId);
        assertEquals(-2, event.amount);
        assertEquals(-3, event.templateId);
        assertStampUntouched();
    }

    @Test
    void unknownTemplateReturnsFalse()
    {
        header.wrap(buffer, OFFSET).blockLength(0).templateId(99).schemaId(MessageHeaderEncoder.SCHEMA_ID).version(1);

        assertFalse(decoder.decode(buffer, OFFSET, event));
        assertEquals(0, event.templateId);
    }

    @Test
    void decoderIsReusableAcrossTemplates()
    {
        decodesPayment();
        before();
        decodesOrder();
        before();
        decodesConfigChange();
        before();
        decodesAccountUpdate();
        before();
        decodesExecution();
    }

    @Test
    void countryAndMicPackFirstLetterHigh()
    {
        assertEquals(0x4445, TxEventDecoder.country((byte)'D', (byte)'E'));
        assertEquals(0xFFFF, TxEventDecoder.country((byte)0xFF, (byte)0xFF));
        assertEquals(0, TxEventDecoder.country((byte)0, (byte)0));
        assertEquals(0x584C4F4E, TxEventDecoder.mic((byte)'X', (byte)'L', (byte)'O', (byte)'N'));
        assertEquals(0xFF000000, TxEventDecoder.mic((byte)0xFF, (byte)0, (byte)0, (byte)0));
        assertEquals(0x000000FF, TxEventDecoder.mic((byte)0, (byte)0, (byte)0, (byte)0xFF));
        assertNotEquals(TxEventDecoder.country((byte)'D', (byte)'E'), TxEventDecoder.country((byte)'E', (byte)'D'));
    }

    private void assertStampUntouched()
    {
        assertEquals(777, event.offset);
        assertEquals(888, event.ingestTime);
        assertEquals(999, event.sequencedNanos);
    }

    private void assertPaymentFieldsZero()
    {
        assertEquals(0, event.txId);
        assertEquals(0, event.debtorAccount);
        assertEquals(0, event.creditorAccount);
        assertEquals(0, event.amount);
        assertEquals(0, event.currency);
        assertEquals(0, event.channel);
        assertEquals(0, event.debtorCountry);
        assertEquals(0, event.creditorCountry);
        assertEquals(0, event.latitude);
        assertEquals(0, event.longitude);
    }

    private void assertTradingFieldsZero()
    {
        assertEquals(0, event.orderId);
        assertEquals(0, event.execId);
        assertEquals(0, event.account);
        assertEquals(0, event.counterpartyAccount);
        assertEquals(0, event.instrument);
        assertEquals(0, event.price);
        assertEquals(0, event.quantity);
        assertEquals(0, event.side);
        assertEquals(0, event.action);
        assertEquals(0, event.venue);
        assertEquals(0, event.partyId);
        assertEquals(0, event.riskRating);
        assertEquals(0, event.country);
    }

    private void assertConfigFieldsZero()
    {
        assertEquals(0, event.ruleId);
        assertEquals(0, event.configKeyLength);
        assertEquals(0, event.configValueLength);
    }

    private static String text(final byte[] bytes, final int length)
    {
        return new String(Arrays.copyOf(bytes, length), StandardCharsets.US_ASCII);
    }
}
