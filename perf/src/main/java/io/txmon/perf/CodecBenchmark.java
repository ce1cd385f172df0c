package io.txmon.perf;

import io.txmon.events.MessageValidator;
import io.txmon.events.RejectReason;
import io.txmon.events.codec.AccountAction;
import io.txmon.events.codec.AccountUpdateDecoder;
import io.txmon.events.codec.AccountUpdateEncoder;
import io.txmon.events.codec.Channel;
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
import io.txmon.rules.TxEvent;
import io.txmon.rules.TxEventDecoder;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Cost of the codecs of the four ingest events (Payment, Order, Execution, AccountUpdate), in ns per message,
 * and of the two steps the sequencer takes on every message before it journals it and after:
 * <ul>
 *     <li>{@code encode<Type>}: what a producer does per event with the generated SBE flyweight, as
 *     {@code TxmonPublisher} does it: wrap and apply the header, set every field in schema order (the producer
 *     sequence and the id change every time), a payment's 12-byte remittance reference included. Returns the
 *     encoded length.</li>
 *     <li>{@code decode<Type>}: what a generic consumer of the stream does: wrap the header, wrap the
 *     generated decoder with the header's block length and version, and read every field through the
 *     generated accessors (enums as enums, the reference copied into a reused array).</li>
 *     <li>{@code validate}: {@code MessageValidator.validate}, the gate in {@code SequencerAgent.onMessage} that
 *     every message passes before it is deduplicated and journaled (header, block, var-data bounds, field
 *     rules); one message of the type given by {@code template}.</li>
 *     <li>{@code decodeIntoSlot}: what the sequencer does to the ring slot after the append:
 *     {@link TxEvent#reset()} then {@link TxEventDecoder#decode}, the engine's own decode of a validated
 *     message into the slot's primitive fields.</li>
 * </ul>
 * Each encode and decode has its own method rather than a parameter, so no dispatch on the type is timed on
 * top of a few nanoseconds of work; {@code validate} and {@code decodeIntoSlot} switch on the template
 * themselves, so a parameter costs them nothing they would not pay in the engine. The messages are encoded once
 * in the set-up with the same values as the encode benchmarks, into direct, cache-line aligned buffers, as
 * Aeron delivers them; every one is accepted by the validator (checked in the set-up).
 * <p>
 * Allocation: run with {@code -prof gc}; {@code gc.alloc.rate.norm} should be about 0 B/op everywhere.
 */
@Fork(value = 1, jvmArgsAppend = { BenchmarkSupport.ADD_EXPORTS, BenchmarkSupport.ADD_OPENS_ZIP })
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class CodecBenchmark
{
    /** Buffer length of every message; the longest, a payment with its reference, is 93 bytes. */
    static final int BUFFER_LENGTH = 256;

    private static final long PRODUCER_ID = 7;
    private static final long EVENT_TIME = 1_767_225_600_000_000_000L;
    private static final byte[] REFERENCE = "INV-00012345".getBytes(StandardCharsets.US_ASCII);

    private final UnsafeBuffer encodeBuffer = buffer();
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final PaymentEncoder paymentEncoder = new PaymentEncoder();
    private final OrderEncoder orderEncoder = new OrderEncoder();
    private final ExecutionEncoder executionEncoder = new ExecutionEncoder();
    private final AccountUpdateEncoder accountUpdateEncoder = new AccountUpdateEncoder();

    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final PaymentDecoder paymentDecoder = new PaymentDecoder();
    private final OrderDecoder orderDecoder = new OrderDecoder();
    private final ExecutionDecoder executionDecoder = new ExecutionDecoder();
    private final AccountUpdateDecoder accountUpdateDecoder = new AccountUpdateDecoder();
    private final byte[] reference = new byte[64];

    private final UnsafeBuffer payment = buffer();
    private final UnsafeBuffer order = buffer();
    private final UnsafeBuffer execution = buffer();
    private final UnsafeBuffer accountUpdate = buffer();

    private long seq;

    /**
     * The engine's steps on one message of one type.
     */
    @State(Scope.Thread)
    public static class EngineState
    {
        /** The template of the message validated or decoded into the slot. */
        @Param({ "Payment", "Order", "Execution", "AccountUpdate" })
        public String template;

        final MessageValidator validator = new MessageValidator();
        final TxEventDecoder decoder = new TxEventDecoder();
        final TxEvent slot = new TxEvent(1, 8);
        final UnsafeBuffer message = buffer();
        int length;

        /**
         * Encode the message and check that the validator accepts it.
         */
        @Setup(Level.Trial)
        public void setUp()
        {
            length = encode(template, message, 1);
            final RejectReason reason = validator.validate(message, 0, length);
            if (RejectReason.NONE != reason)
            {
                throw new IllegalStateException(template + " is refused by the validator: " + reason);
            }
        }
    }

    /**
     * Encode one message of each type and check that the validator accepts every one.
     */
    @Setup(Level.Trial)
    public void setUp()
    {
        final MessageValidator validator = new MessageValidator();
        check(validator, "Payment", payment, encode("Payment", payment, 1));
        check(validator, "Order", order, encode("Order", order, 1));
        check(validator, "Execution", execution, encode("Execution", execution, 1));
        check(validator, "AccountUpdate", accountUpdate, encode("AccountUpdate", accountUpdate, 1));
    }

    /**
     * @return encoded length.
     */
    @Benchmark
    public int encodePayment()
    {
        return encodePayment(paymentEncoder, headerEncoder, encodeBuffer, ++seq);
    }

    /**
     * @return encoded length.
     */
    @Benchmark
    public int encodeOrder()
    {
        return encodeOrder(orderEncoder, headerEncoder, encodeBuffer, ++seq);
    }

    /**
     * @return encoded length.
     */
    @Benchmark
    public int encodeExecution()
    {
        return encodeExecution(executionEncoder, headerEncoder, encodeBuffer, ++seq);
    }

    /**
     * @return encoded length.
     */
    @Benchmark
    public int encodeAccountUpdate()
    {
        return encodeAccountUpdate(accountUpdateEncoder, headerEncoder, encodeBuffer, ++seq);
    }

    /**
     * @return a sum over every field, so none of the reads can be dropped.
     */
    @Benchmark
    public long decodePayment()
    {
        final PaymentDecoder d = paymentDecoder.wrapAndApplyHeader(payment, 0, headerDecoder);
        long sum = d.producerId() + d.producerSeq() + d.eventTime() + d.txId() + d.debtorAccount() +
            d.creditorAccount() + d.amount() + d.currency() + d.channel().value() +
            d.debtorCountry(0) + d.debtorCountry(1) + d.creditorCountry(0) + d.creditorCountry(1) +
            d.latitude() + d.longitude();
        sum += d.getReference(reference, 0, reference.length);
        return sum;
    }

    /**
     * @return a sum over every field.
     */
    @Benchmark
    public long decodeOrder()
    {
        final OrderDecoder d = orderDecoder.wrapAndApplyHeader(order, 0, headerDecoder);
        return d.producerId() + d.producerSeq() + d.eventTime() + d.orderId() + d.account() + d.instrument() +
            d.price() + d.quantity() + d.side().value() + d.action().value() +
            d.venue(0) + d.venue(1) + d.venue(2) + d.venue(3);
    }

    /**
     * @return a sum over every field.
     */
    @Benchmark
    public long decodeExecution()
    {
        final ExecutionDecoder d = executionDecoder.wrapAndApplyHeader(execution, 0, headerDecoder);
        return d.producerId() + d.producerSeq() + d.eventTime() + d.execId() + d.orderId() + d.account() +
            d.counterpartyAccount() + d.instrument() + d.price() + d.quantity() + d.side().value() +
            d.venue(0) + d.venue(1) + d.venue(2) + d.venue(3);
    }

    /**
     * @return a sum over every field.
     */
    @Benchmark
    public long decodeAccountUpdate()
    {
        final AccountUpdateDecoder d = accountUpdateDecoder.wrapAndApplyHeader(accountUpdate, 0, headerDecoder);
        return d.producerId() + d.producerSeq() + d.eventTime() + d.account() + d.partyId() +
            d.action().value() + d.riskRating().value() + d.country(0) + d.country(1);
    }

    /**
     * The sequencer's validation of one message.
     *
     * @param state message and validator.
     * @return the verdict, {@link RejectReason#NONE}.
     */
    @Benchmark
    public RejectReason validate(final EngineState state)
    {
        return state.validator.validate(state.message, 0, state.length);
    }

    /**
     * The sequencer's decode of one message into its ring slot.
     *
     * @param state message, decoder and slot.
     * @return a field the decode wrote.
     */
    @Benchmark
    public long decodeIntoSlot(final EngineState state)
    {
        final TxEvent slot = state.slot;
        slot.reset();
        state.decoder.decode(state.message, 0, slot);
        return slot.producerSeq;
    }

    static int encode(final String template, final UnsafeBuffer buffer, final long seq)
    {
        final MessageHeaderEncoder header = new MessageHeaderEncoder();
        switch (template)
        {
            case "Payment":
                return encodePayment(new PaymentEncoder(), header, buffer, seq);
            case "Order":
                return encodeOrder(new OrderEncoder(), header, buffer, seq);
            case "Execution":
                return encodeExecution(new ExecutionEncoder(), header, buffer, seq);
            case "AccountUpdate":
                return encodeAccountUpdate(new AccountUpdateEncoder(), header, buffer, seq);
            default:
                throw new IllegalArgumentException("no ingest template " + template);
        }
    }

    private static int encodePayment(
        final PaymentEncoder e, final MessageHeaderEncoder header, final UnsafeBuffer buffer, final long seq)
    {
        e.wrapAndApplyHeader(buffer, 0, header)
            .producerId(PRODUCER_ID)
            .producerSeq(seq)
            .eventTime(EVENT_TIME + seq)
            .txId(seq)
            .debtorAccount(1_001)
            .creditorAccount(2_002)
            .amount(125_000)
            .currency(978)
            .channel(Channel.SEPA)
            .putDebtorCountry((byte)'D', (byte)'E')
            .putCreditorCountry((byte)'F', (byte)'R')
            .latitude(48_856_600)
            .longitude(2_352_200)
            .putReference(REFERENCE, 0, REFERENCE.length);
        return MessageHeaderEncoder.ENCODED_LENGTH + e.encodedLength();
    }

    private static int encodeOrder(
        final OrderEncoder e, final MessageHeaderEncoder header, final UnsafeBuffer buffer, final long seq)
    {
        e.wrapAndApplyHeader(buffer, 0, header)
            .producerId(PRODUCER_ID)
            .producerSeq(seq)
            .eventTime(EVENT_TIME + seq)
            .orderId(seq)
            .account(1_001)
            .instrument(42)
            .price(10_125_000_000L)
            .quantity(300)
            .side(Side.BUY)
            .action(OrderAction.NEW)
            .putVenue((byte)'X', (byte)'P', (byte)'A', (byte)'R');
        return MessageHeaderEncoder.ENCODED_LENGTH + e.encodedLength();
    }

    private static int encodeExecution(
        final ExecutionEncoder e, final MessageHeaderEncoder header, final UnsafeBuffer buffer, final long seq)
    {
        e.wrapAndApplyHeader(buffer, 0, header)
            .producerId(PRODUCER_ID)
            .producerSeq(seq)
            .eventTime(EVENT_TIME + seq)
            .execId(seq)
            .orderId(seq - 1)
            .account(1_001)
            .counterpartyAccount(2_002)
            .instrument(42)
            .price(10_125_000_000L)
            .quantity(300)
            .side(Side.SELL)
            .putVenue((byte)'X', (byte)'P', (byte)'A', (byte)'R');
        return MessageHeaderEncoder.ENCODED_LENGTH + e.encodedLength();
    }

    private static int encodeAccountUpdate(
        final AccountUpdateEncoder e, final MessageHeaderEncoder header, final UnsafeBuffer buffer, final long seq)
    {
        e.wrapAndApplyHeader(buffer, 0, header)
            .producerId(PRODUCER_ID)
            .producerSeq(seq)
            .eventTime(EVENT_TIME + seq)
            .account(1_001)
            .partyId(501)
            .action(AccountAction.OPEN)
            .riskRating(RiskRating.MEDIUM)
            .putCountry((byte)'D', (byte)'E');
        return MessageHeaderEncoder.ENCODED_LENGTH + e.encodedLength();
    }

    private static void check(
        final MessageValidator validator, final String template, final UnsafeBuffer buffer, final int length)
    {
        final RejectReason reason = validator.validate(buffer, 0, length);
        if (RejectReason.NONE != reason)
        {
            throw new IllegalStateException(template + " is refused by the validator: " + reason);
        }
    }

    private static UnsafeBuffer buffer()
    {
        return new UnsafeBuffer(BufferUtil.allocateDirectAligned(BUFFER_LENGTH, 64));
    }
}
