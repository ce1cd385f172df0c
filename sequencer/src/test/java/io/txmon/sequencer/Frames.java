package io.txmon.sequencer;

import io.txmon.events.codec.AccountAction;
import io.txmon.events.codec.AccountUpdateEncoder;
import io.txmon.events.codec.AckEncoder;
import io.txmon.events.codec.AlertEncoder;
import io.txmon.events.codec.ConfigAction;
import io.txmon.events.codec.ConfigChangeEncoder;
import io.txmon.events.codec.ExecutionEncoder;
import io.txmon.events.codec.MessageHeaderEncoder;
import io.txmon.events.codec.OrderAction;
import io.txmon.events.codec.OrderEncoder;
import io.txmon.events.codec.RiskRating;
import io.txmon.events.codec.Severity;
import io.txmon.events.codec.Side;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Whole messages, header included, as byte arrays, valid unless mutated afterwards with the little-endian
 * setters; offsets are of the message start.
 */
final class Frames
{
    static final int HEADER = MessageHeaderEncoder.ENCODED_LENGTH;
    static final int BLOCK_LENGTH_AT = 0;
    static final int TEMPLATE_ID_AT = 2;
    static final int SCHEMA_ID_AT = 4;
    static final int VERSION_AT = 6;

    private Frames()
    {
    }

    private static byte[] done(final UnsafeBuffer buffer, final int length)
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(0, bytes);
        return bytes;
    }

    static byte[] payment(final long producerId, final long seq, final long amount)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
        return done(buffer, EngineTestSupport.encodePayment(buffer, 0, producerId, seq, amount));
    }

    /** A payment with a reference of {@code referenceLength} bytes of 'x'. */
    static byte[] payment(final long producerId, final long seq, final long amount, final int referenceLength)
    {
        final byte[] base = payment(producerId, seq, amount);
        final byte[] bytes = Arrays.copyOf(base, base.length + referenceLength);
        putShort(bytes, base.length - 2, referenceLength);
        Arrays.fill(bytes, base.length, bytes.length, (byte)'x');
        return bytes;
    }

    static byte[] order(final long producerId, final long seq)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
        final OrderEncoder order = new OrderEncoder().wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .producerId(producerId)
            .producerSeq(seq)
            .eventTime(EngineTestSupport.eventTimeOf(seq))
            .orderId(1_000 + seq)
            .account(77)
            .instrument(12345)
            .price(100_00000000L)
            .quantity(10)
            .side(Side.BUY)
            .action(OrderAction.NEW)
            .venue("XLON");
        return done(buffer, HEADER + order.encodedLength());
    }

    static byte[] execution(final long producerId, final long seq)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
        final ExecutionEncoder execution = new ExecutionEncoder()
            .wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .producerId(producerId)
            .producerSeq(seq)
            .eventTime(EngineTestSupport.eventTimeOf(seq))
            .execId(5_000 + seq)
            .orderId(1_000 + seq)
            .account(77)
            .counterpartyAccount(78)
            .instrument(12345)
            .price(100_00000000L)
            .quantity(10)
            .side(Side.SELL)
            .venue("XLON");
        return done(buffer, HEADER + execution.encodedLength());
    }

    static byte[] accountUpdate(final long producerId, final long seq)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
        final AccountUpdateEncoder update = new AccountUpdateEncoder()
            .wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .producerId(producerId)
            .producerSeq(seq)
            .eventTime(EngineTestSupport.eventTimeOf(seq))
            .account(77)
            .partyId(9)
            .action(AccountAction.OPEN)
            .riskRating(RiskRating.LOW)
            .country("DE");
        return done(buffer, HEADER + update.encodedLength());
    }

    static byte[] configChange(final long producerId, final long seq)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
        final ConfigChangeEncoder change = new ConfigChangeEncoder()
            .wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .producerId(producerId)
            .producerSeq(seq)
            .eventTime(EngineTestSupport.eventTimeOf(seq))
            .ruleId(1)
            .action(ConfigAction.SET_PARAMETER)
            .key("threshold")
            .value("1000");
        return done(buffer, HEADER + change.encodedLength());
    }

    static byte[] alert(final int evidence, final String reason)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64 * 1024]);
        final AlertEncoder alert = new AlertEncoder().wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .alertId(1)
            .ruleId(2)
            .ruleVersion(1)
            .severity(Severity.HIGH)
            .score(500)
            .triggeringOffset(3)
            .account(77)
            .eventTime(EngineTestSupport.EVENT_TIME_BASE);
        final AlertEncoder.EvidenceEncoder group = alert.evidenceCount(evidence);
        for (int i = 0; i < evidence; i++)
        {
            group.next().offset(i);
        }
        alert.reason(reason);
        return done(buffer, HEADER + alert.encodedLength());
    }

    static byte[] ack(final long producerId, final long seq)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[128]);
        final AckEncoder ack = new AckEncoder().wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .producerId(producerId)
            .producerSeq(seq)
            .journalOffset(seq)
            .engineEpoch(1);
        return done(buffer, HEADER + ack.encodedLength());
    }

    static byte[] putShort(final byte[] bytes, final int at, final int value)
    {
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putShort(at, (short)value);
        return bytes;
    }

    static byte[] putLong(final byte[] bytes, final int at, final long value)
    {
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(at, value);
        return bytes;
    }

    static byte[] putByte(final byte[] bytes, final int at, final int value)
    {
        bytes[at] = (byte)value;
        return bytes;
    }

    static int templateId(final byte[] bytes)
    {
        return bytes.length < HEADER ? -1 : ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getShort(TEMPLATE_ID_AT) & 0xFFFF;
    }

    static byte[] cut(final byte[] bytes, final int length)
    {
        return Arrays.copyOf(bytes, length);
    }
}
