package io.txmon.sequencer;

import io.aeron.ExclusivePublication;
import io.txmon.events.Currencies;
import io.txmon.events.MessageValidator;
import io.txmon.events.RejectReason;
import io.txmon.events.codec.AckDecoder;
import io.txmon.events.codec.AlertDecoder;
import io.txmon.events.codec.AlertEncoder;
import io.txmon.events.codec.ConfigChangeDecoder;
import io.txmon.events.codec.ExecutionEncoder;
import io.txmon.events.codec.OrderEncoder;
import io.txmon.events.codec.AccountUpdateEncoder;
import io.txmon.events.codec.ConfigChangeEncoder;
import io.txmon.events.codec.PaymentEncoder;
import io.txmon.events.codec.Severity;
import io.txmon.rules.Rule;
import io.txmon.rules.typology.LargeAmountRule;
import io.txmon.transport.IngestAdapter;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.txmon.sequencer.EngineTestSupport.*;
import static io.txmon.sequencer.Frames.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Bad input on the ingest stream, sent through a raw publication so nothing on the producer side filters it:
 * every fault of the envelope and every field rule, 1,000 of each, then 100,000 random and mutated frames, then
 * messages over the length cap and events outside the clock skew. Each must be refused with its reason, counted,
 * and never journaled; the valid events sent in between must all be journaled, in order; the engine stays up.
 */
class BadInputTest
{
    private static final long V = 51;
    private static final int ROUNDS = 1_000;
    private static final int RANDOM_FRAMES = 100_000;
    private static final int PAYMENT_BODY = HEADER;
    private static final int ALERT_GROUP_AT = HEADER + AlertEncoder.BLOCK_LENGTH;

    @TempDir
    Path tempDir;

    /** A fault: makes a message from the round and the sequence the valid producer will use next. */
    @FunctionalInterface
    interface Fault
    {
        byte[] make(int round, long nextSeq);
    }

    static final class Case
    {
        final String name;
        final RejectReason reason;
        final Fault fault;

        Case(final String name, final RejectReason reason, final Fault fault)
        {
            this.name = name;
            this.reason = reason;
            this.fault = fault;
        }
    }

    /** The engine, its rejects in the order it made them, and a raw publication to it. */
    private static final class Rig implements AutoCloseable
    {
        final Engine engine;
        final EngineErrors errors = new EngineErrors();
        final ConcurrentLinkedQueue<RejectReason> rejects = new ConcurrentLinkedQueue<>();
        final AtomicInteger journalFailures = new AtomicInteger();
        final java.util.concurrent.atomic.AtomicLong rejectsReported = new java.util.concurrent.atomic.AtomicLong();
        final ExclusivePublication raw;
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[2 * 1024 * 1024]);
        long nextSeq;
        long valid;
        long sent;

        Rig(final Engine.Context ctx, final String rawChannel)
        {
            engine = Engine.launch(ctx
                .errorHandler(errors)
                .rejectListener(new RejectListener()
                {
                    public void onReject(final RejectReason reason, final DirectBuffer b, final int o, final int l)
                    {
                        rejects.add(reason);
                        rejectsReported.incrementAndGet();
                    }

                    public void onJournalFailure(final long status, final Exception cause)
                    {
                        journalFailures.incrementAndGet();
                    }
                }));
            ExclusivePublication publication = null;
            try
            {
                publication = engine.aeron().addExclusivePublication(rawChannel, engine.context().ingestStreamId());
                final ExclusivePublication p = publication;
                Await.await(TIMEOUT_MS, p::isConnected, () -> "raw publication connected", null);
            }
            catch (final RuntimeException | Error ex)
            {
                CloseHelper.closeAll(publication, engine);
                throw ex;
            }
            raw = publication;
        }

        void send(final byte[] message)
        {
            buffer.putBytes(0, message);
            offer(raw, buffer, 0, message.length);
            sent++;
        }

        void sendValid()
        {
            send(payment(V, nextSeq, JournalScan.amountOf(V, nextSeq)));
            nextSeq++;
            valid++;
        }

        /**
         * Wait until every message sent has ended somewhere (journaled, refused or dropped as a duplicate), been
         * reported to the listener if refused, and every journaled event has been decided.
         */
        void awaitAllProcessed()
        {
            final EngineCounters counters = engine.counters();
            Await.await(30_000, () -> counters.received() == sent &&
                    counters.journaled() + counters.rejected() + counters.duplicates() == sent &&
                    rejectsReported.get() == counters.rejected() &&
                    counters.decided() == counters.journaled(),
                () -> "processed everything sent (" + sent + "): " + describe(counters), null);
        }

        public void close()
        {
            CloseHelper.closeAll(raw, engine);
        }
    }

    private Engine.Context ctx(final String name)
    {
        return context(tempDir.resolve(name + "-aeron"), tempDir.resolve(name + "-journal"),
            (w) -> new Rule[]{ new LargeAmountRule(Long.MAX_VALUE, Severity.LOW) });
    }

    static List<Case> cases()
    {
        final List<Case> cases = new ArrayList<>();
        final long amount = 500;
        cases.add(new Case("truncated header", RejectReason.TRUNCATED_HEADER,
            (r, s) -> cut(payment(V, s, amount), r % HEADER)));
        cases.add(new Case("wrong schema id", RejectReason.WRONG_SCHEMA_ID,
            (r, s) -> putShort(payment(V, s, amount), SCHEMA_ID_AT, r % 2 == 0 ? 0 : 7432 + r % 1000)));
        cases.add(new Case("unsupported version", RejectReason.UNSUPPORTED_VERSION,
            (r, s) -> putShort(payment(V, s, amount), VERSION_AT, r % 3 == 0 ? 0 : 2 + r * 61 % 65534)));
        final int[] unknown = { 0, 6, 7, 8, 9, 12, 13, 999, 65535 };
        cases.add(new Case("unknown template", RejectReason.UNKNOWN_TEMPLATE,
            (r, s) -> putShort(payment(V, s, amount), TEMPLATE_ID_AT, unknown[r % unknown.length])));
        cases.add(new Case("block length too small", RejectReason.BLOCK_LENGTH_TOO_SMALL,
            (r, s) -> putShort(payment(V, s, amount), BLOCK_LENGTH_AT, r % PaymentEncoder.BLOCK_LENGTH)));
        cases.add(new Case("group block length too small", RejectReason.BLOCK_LENGTH_TOO_SMALL,
            (r, s) -> putShort(alert(2, "r"), ALERT_GROUP_AT, r % 8)));
        cases.add(new Case("block length past the end", RejectReason.TRUNCATED_BLOCK,
            (r, s) -> r % 2 == 0 ?
                putShort(payment(V, s, amount), BLOCK_LENGTH_AT, PaymentEncoder.BLOCK_LENGTH + 3 + r % 300) :
                cut(payment(V, s, amount), HEADER + r % PaymentEncoder.BLOCK_LENGTH)));
        cases.add(new Case("truncated var-data", RejectReason.TRUNCATED_VAR_DATA, (r, s) ->
        {
            switch (r % 3)
            {
                case 0:
                    return cut(payment(V, s, amount), HEADER + PaymentEncoder.BLOCK_LENGTH);
                case 1:
                    return cut(payment(V, s, amount), HEADER + PaymentEncoder.BLOCK_LENGTH + 1);
                default:
                    final byte[] full = payment(V, s, amount, 10);
                    return cut(full, full.length - 1 - r % 10);
            }
        }));
        cases.add(new Case("var-data over the cap", RejectReason.VAR_DATA_TOO_LONG, (r, s) -> r % 4 == 0 ?
            putShort(payment(V, s, amount), HEADER + PaymentEncoder.BLOCK_LENGTH, 1025 + r * 64 % 64510) :
            payment(V, s, amount, 1025 + r % 500)));
        cases.add(new Case("group count too large", RejectReason.GROUP_TOO_LARGE,
            (r, s) -> putShort(alert(r % 3, "r"), ALERT_GROUP_AT + 2, 1025 + r * 64 % 64510)));
        cases.add(new Case("truncated group", RejectReason.TRUNCATED_GROUP, (r, s) -> r % 2 == 0 ?
            putShort(alert(3, "r"), ALERT_GROUP_AT + 2, 4 + r % 100) :
            cut(alert(3, "r"), ALERT_GROUP_AT + r % 4)));
        cases.add(new Case("trailing bytes", RejectReason.TRAILING_BYTES, (r, s) ->
        {
            final byte[] base = r % 3 == 0 ? payment(V, s, amount) : r % 3 == 1 ? order(V, s) : ack(V, s);
            return Arrays.copyOf(base, base.length + 1 + r % 16);
        }));

        final int debtor = PAYMENT_BODY + PaymentEncoder.debtorAccountEncodingOffset();
        final int creditor = PAYMENT_BODY + PaymentEncoder.creditorAccountEncodingOffset();
        cases.add(new Case("invalid account", RejectReason.INVALID_ACCOUNT, (r, s) ->
        {
            switch (r % 6)
            {
                case 0:
                    return putLong(payment(V, s, amount), debtor, 0);
                case 1:
                    return putLong(payment(V, s, amount), creditor, -1 - r);
                case 2:
                    final byte[] same = payment(V, s, amount);
                    return putLong(same, creditor, 1 + (s & 0xFFFF));
                case 3:
                    return putLong(order(V, s), HEADER + OrderEncoder.accountEncodingOffset(), 0);
                case 4:
                    return putLong(execution(V, s), HEADER + ExecutionEncoder.counterpartyAccountEncodingOffset(), -7);
                default:
                    return putLong(accountUpdate(V, s), HEADER + AccountUpdateEncoder.accountEncodingOffset(), 0);
            }
        }));
        cases.add(new Case("invalid amount", RejectReason.INVALID_AMOUNT,
            (r, s) -> payment(V, s, r % 2 == 0 ? 0 : -1 - r)));
        final int[] currencies = { 0, 1, 999, 65535, 100, 841 };
        for (final int currency : currencies)
        {
            assertFalse(Currencies.isKnown(currency));
        }
        cases.add(new Case("invalid currency", RejectReason.INVALID_CURRENCY, (r, s) -> putShort(payment(V, s, amount),
            PAYMENT_BODY + PaymentEncoder.currencyEncodingOffset(), currencies[r % currencies.length])));
        cases.add(new Case("invalid enum", RejectReason.INVALID_ENUM, (r, s) ->
        {
            switch (r % 8)
            {
                case 0:
                    return putByte(payment(V, s, amount), PAYMENT_BODY + PaymentEncoder.channelEncodingOffset(),
                        8 + r % 248);
                case 1:
                    return putByte(order(V, s), HEADER + OrderEncoder.sideEncodingOffset(), 2 + r % 254);
                case 2:
                    return putByte(order(V, s), HEADER + OrderEncoder.actionEncodingOffset(), 3 + r % 253);
                case 3:
                    return putByte(execution(V, s), HEADER + ExecutionEncoder.sideEncodingOffset(), 255);
                case 4:
                    return putByte(accountUpdate(V, s), HEADER + AccountUpdateEncoder.actionEncodingOffset(), 3);
                case 5:
                    return putByte(accountUpdate(V, s), HEADER + AccountUpdateEncoder.riskRatingEncodingOffset(), 4);
                case 6:
                    return putByte(configChange(V, s), HEADER + ConfigChangeEncoder.actionEncodingOffset(), 5 + r % 250);
                default:
                    return putByte(alert(1, "x"), HEADER + AlertEncoder.severityEncodingOffset(), 4 + r % 252);
            }
        }));
        cases.add(new Case("invalid price", RejectReason.INVALID_PRICE, (r, s) ->
        {
            switch (r % 3)
            {
                case 0:
                    return putLong(order(V, s), HEADER + OrderEncoder.priceEncodingOffset(), 0);
                case 1:
                    return putLong(putByte(order(V, s), HEADER + OrderEncoder.actionEncodingOffset(), 1),
                        HEADER + OrderEncoder.priceEncodingOffset(), -1 - r);
                default:
                    return putLong(execution(V, s), HEADER + ExecutionEncoder.priceEncodingOffset(), 0);
            }
        }));
        cases.add(new Case("invalid quantity", RejectReason.INVALID_QUANTITY, (r, s) -> r % 2 == 0 ?
            putLong(order(V, s), HEADER + OrderEncoder.quantityEncodingOffset(), 0) :
            putLong(execution(V, s), HEADER + ExecutionEncoder.quantityEncodingOffset(), -3 - r)));
        cases.add(new Case("negative producer sequence", RejectReason.INVALID_PRODUCER_SEQ, (r, s) ->
        {
            switch (r % 3)
            {
                case 0:
                    return payment(V, -1 - r, amount);
                case 1:
                    return payment(V, Long.MIN_VALUE, amount);
                default:
                    return putLong(order(V, s), HEADER + OrderEncoder.producerSeqEncodingOffset(), -s - 1);
            }
        }));
        cases.add(new Case("alert on ingest", RejectReason.EGRESS_ONLY_TEMPLATE, (r, s) -> alert(r % 5, "why " + r)));
        cases.add(new Case("ack on ingest", RejectReason.EGRESS_ONLY_TEMPLATE, (r, s) -> ack(V, s)));
        return cases;
    }

    @Test
    void everyEnvelopeFaultAndFieldRuleIsRefusedWithItsReasonAndValidEventsInBetweenAreJournaled()
    {
        final List<Case> cases = cases();
        final Map<RejectReason, Long> expected = new EnumMap<>(RejectReason.class);
        final List<RejectReason> expectedOrder = new ArrayList<>();
        final MessageValidator oracle = new MessageValidator();
        final Path journalDir = tempDir.resolve("faults-journal");
        final long start = System.nanoTime();
        try (Rig rig = new Rig(ctx("faults"), engineIngest()))
        {
            for (int round = 0; round < ROUNDS; round++)
            {
                for (final Case c : cases)
                {
                    final byte[] message = c.fault.make(round, rig.nextSeq);
                    // the message is what the case says it is (the validator's reason, before the sequencer's)
                    final RejectReason byValidator = oracle.validate(new UnsafeBuffer(message), 0, message.length);
                    final RejectReason want = c.reason == RejectReason.EGRESS_ONLY_TEMPLATE ? RejectReason.NONE : c.reason;
                    if (byValidator != want)
                    {
                        fail("case '" + c.name + "' round " + round + " made a message the validator calls " + byValidator);
                    }
                    rig.send(message);
                    expected.merge(c.reason, 1L, Long::sum);
                    expectedOrder.add(c.reason);
                    rig.sendValid();
                }
            }
            rig.awaitAllProcessed();
            final EngineCounters counters = rig.engine.counters();
            System.out.println("faults: " + describe(counters) + " in " +
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms");
            for (final RejectReason reason : RejectReason.values())
            {
                assertEquals(expected.getOrDefault(reason, 0L), counters.rejected(reason), "rejected " + reason);
            }
            assertEquals((long)ROUNDS * cases.size(), counters.rejected());
            assertEquals(rig.valid, counters.journaled());
            assertEquals(0, counters.duplicates());
            assertEquals(0, counters.sequenceGaps());
            assertEquals(0, rig.journalFailures.get());
            assertNoErrors(rig.errors);
            assertEquals(expectedOrder, new ArrayList<>(rig.rejects), "each message refused with its own reason");
        }

        final JournalScan scan = JournalScan.scan(journalDir, JournalScan.paymentAmounts());
        assertNull(scan.firstViolation, scan::toString);
        assertEquals((long)ROUNDS * cases.size(), scan.records, "only the valid events journaled");
        assertEquals(1, scan.producers.size());
        assertEquals((long)ROUNDS * cases.size() - 1, scan.producer(V).lastSeq);
    }

    @Test
    void randomAndMutatedFramesAreRefusedWithTheValidatorsReasonAndNeverJournaled()
    {
        final long seed = Long.getLong("txmon.test.seed", 20_251_125L);
        final Random random = new Random(seed);
        final MessageValidator oracle = new MessageValidator();
        final List<RejectReason> expectedOrder = new ArrayList<>(RANDOM_FRAMES);
        final Map<RejectReason, Long> expected = new EnumMap<>(RejectReason.class);
        final Path journalDir = tempDir.resolve("random-journal");
        final long start = System.nanoTime();
        int skippedValid = 0;
        try (Rig rig = new Rig(ctx("random"), engineIngest()))
        {
            final UnsafeBuffer view = new UnsafeBuffer(0, 0);
            while (expectedOrder.size() < RANDOM_FRAMES)
            {
                final byte[] frame = randomFrame(random);
                view.wrap(frame);
                RejectReason reason = frame.length > IngestAdapter.DEFAULT_MAX_MESSAGE_LENGTH ?
                    RejectReason.MESSAGE_TOO_LARGE : oracle.validate(view, 0, frame.length);
                if (reason == RejectReason.NONE)
                {
                    final int template = templateId(frame);
                    if (template != AlertDecoder.TEMPLATE_ID && template != AckDecoder.TEMPLATE_ID)
                    {
                        skippedValid++;
                        continue;
                    }
                    reason = RejectReason.EGRESS_ONLY_TEMPLATE;
                }
                rig.send(frame);
                expectedOrder.add(reason);
                expected.merge(reason, 1L, Long::sum);
                if (expectedOrder.size() % 10 == 0)
                {
                    rig.sendValid();
                }
            }
            rig.awaitAllProcessed();
            final EngineCounters counters = rig.engine.counters();
            System.out.println("random frames, seed " + seed + " (-Dtxmon.test.seed to repeat): " + describe(counters) +
                "; by reason " + expected + "; valid ones generated and not sent " + skippedValid + "; " +
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms");
            assertSameReasons(expectedOrder, new ArrayList<>(rig.rejects));
            for (final RejectReason reason : RejectReason.values())
            {
                assertEquals(expected.getOrDefault(reason, 0L), counters.rejected(reason), "rejected " + reason);
            }
            assertEquals(RANDOM_FRAMES, counters.rejected());
            assertEquals(rig.valid, counters.journaled());
            assertNoErrors(rig.errors);
            assertEquals(expectedOrder, new ArrayList<>(rig.rejects), "each frame refused with its own reason");
            assertTrue(expected.size() >= 15, "the frames reach most reasons: " + expected.keySet());

            // still up: a valid event after all that is journaled
            rig.sendValid();
            rig.awaitAllProcessed();
            assertEquals(rig.valid, counters.journaled());
        }

        final JournalScan scan = JournalScan.scan(journalDir, JournalScan.paymentAmounts());
        assertNull(scan.firstViolation, scan::toString);
        assertEquals(RANDOM_FRAMES / 10 + 1, scan.records, "only the valid events journaled");
        assertEquals(1, scan.producers.size());
    }

    private static void assertSameReasons(final List<RejectReason> expected, final List<RejectReason> actual)
    {
        for (int i = 0; i < Math.min(expected.size(), actual.size()); i++)
        {
            if (expected.get(i) != actual.get(i))
            {
                fail("reject " + i + " was " + actual.get(i) + " where " + expected.get(i) + " was expected");
            }
        }
        assertEquals(expected.size(), actual.size(), "rejects reported");
    }

    /**
     * A frame: random bytes, a plausible header with random bytes after it, or a valid message of any template
     * with one to four mutations (a byte changed, a header field or a uint16 overwritten, cut short, extended).
     */
    static byte[] randomFrame(final Random random)
    {
        final int kind = random.nextInt(100);
        if (kind < 15)
        {
            final byte[] bytes = new byte[random.nextInt(random.nextInt(10) == 0 ? 3000 : 150)];
            random.nextBytes(bytes);
            return bytes;
        }
        if (kind < 30)
        {
            final byte[] bytes = new byte[HEADER + random.nextInt(200)];
            random.nextBytes(bytes);
            putShort(bytes, SCHEMA_ID_AT, 7431);
            putShort(bytes, VERSION_AT, 1);
            putShort(bytes, TEMPLATE_ID_AT, 1 + random.nextInt(11));
            if (random.nextBoolean())
            {
                putShort(bytes, BLOCK_LENGTH_AT, random.nextInt(100));
            }
            return bytes;
        }

        final long producerId = random.nextInt(5) == 0 ? V : 1 + random.nextInt(1000);
        final long seq = random.nextInt(4) == 0 ? -random.nextInt(3) : random.nextInt(100_000);
        byte[] bytes;
        switch (random.nextInt(9))
        {
            case 0:
                bytes = payment(producerId, seq, 1 + random.nextInt(1_000_000));
                break;
            case 1:
                bytes = payment(producerId, seq, 1 + random.nextInt(1_000_000), random.nextInt(1200));
                break;
            case 2:
                bytes = order(producerId, seq);
                break;
            case 3:
                bytes = execution(producerId, seq);
                break;
            case 4:
                bytes = accountUpdate(producerId, seq);
                break;
            case 5:
                bytes = configChange(producerId, seq);
                break;
            case 6:
                bytes = alert(random.nextInt(4), "r");
                break;
            case 7:
                bytes = ack(producerId, seq);
                break;
            default:
                bytes = alert(random.nextInt(1025), "a reason that is a little longer");
                break;
        }

        final int mutations = 1 + random.nextInt(4);
        for (int m = 0; m < mutations; m++)
        {
            switch (random.nextInt(6))
            {
                case 0:
                    if (bytes.length > 0)
                    {
                        bytes[random.nextInt(bytes.length)] = (byte)random.nextInt(256);
                    }
                    break;
                case 1:
                    if (bytes.length >= HEADER)
                    {
                        putShort(bytes, 2 * random.nextInt(4), random.nextInt(8) == 0 ? random.nextInt(65536) :
                            ByteBufferReader.shortAt(bytes, 0) + random.nextInt(9) - 4);
                    }
                    break;
                case 2:
                    if (bytes.length > 1)
                    {
                        final int at = random.nextInt(bytes.length - 1);
                        putShort(bytes, at, random.nextInt(8) == 0 ? 65535 : random.nextInt(2048));
                    }
                    break;
                case 3:
                    bytes = cut(bytes, random.nextInt(bytes.length + 1));
                    break;
                case 4:
                    final int extra = 1 + random.nextInt(random.nextInt(10) == 0 ? 2000 : 20);
                    final int from = bytes.length;
                    bytes = Arrays.copyOf(bytes, from + extra);
                    for (int i = from; i < bytes.length; i++)
                    {
                        bytes[i] = (byte)random.nextInt(256);
                    }
                    break;
                default:
                    if (bytes.length >= HEADER + 16)
                    {
                        // the producer sequence: negative, or huge
                        putLong(bytes, HEADER + 8, random.nextBoolean() ? -1 - random.nextInt(10) : Long.MAX_VALUE);
                    }
                    break;
            }
        }
        return bytes;
    }

    /** Little-endian reads of a byte array. */
    static final class ByteBufferReader
    {
        static int shortAt(final byte[] bytes, final int at)
        {
            return (bytes[at] & 0xFF) | (bytes[at + 1] & 0xFF) << 8;
        }
    }

    /**
     * A message over the engine's length cap, sent whole through a publication with a term large enough to take
     * it (Aeron fragments it): refused as it arrives, counted once, never journaled; just at the cap it is
     * assembled and validated as usual.
     */
    @Test
    void messagesOverTheLengthCapAreRefusedAsTheyArrive()
    {
        final int cap = 2048;
        final int oneMiB = 1024 * 1024;
        final Path journalDir = tempDir.resolve("oversize-journal");
        try (Rig rig = new Rig(ctx("oversize").maxMessageLength(cap), "aeron:ipc?term-length=16m"))
        {
            assertTrue(rig.raw.maxMessageLength() >= oneMiB, "the publication takes a 1 MiB message");
            final EngineCounters counters = rig.engine.counters();
            int oversize = 0;
            for (int i = 0; i < 50; i++)
            {
                final byte[] head = payment(V, rig.nextSeq, JournalScan.amountOf(V, rig.nextSeq));
                final byte[] huge = Arrays.copyOf(head, oneMiB);
                Arrays.fill(huge, head.length, huge.length, (byte)'z');
                rig.send(huge);
                oversize++;
                rig.sendValid();
            }

            // at the cap: a valid config change of exactly cap bytes is journaled; one byte more is refused
            final byte[] atCap = configChangeOfLength(V, rig.nextSeq, cap);
            assertEquals(RejectReason.NONE, new MessageValidator().validate(new UnsafeBuffer(atCap), 0, atCap.length));
            rig.send(atCap);
            rig.nextSeq++;
            rig.valid++;
            rig.send(configChangeOfLength(V, rig.nextSeq, cap + 1));
            oversize++;
            rig.sendValid();
            // zeros, one byte over the cap and three times the cap, back to back
            rig.send(new byte[cap + 1]);
            rig.send(new byte[3 * cap]);
            oversize += 2;
            rig.sendValid();

            rig.awaitAllProcessed();
            assertEquals(oversize, counters.rejected(RejectReason.MESSAGE_TOO_LARGE), () -> describe(counters));
            assertEquals(oversize, counters.rejected());
            assertEquals(rig.valid, counters.journaled());
            assertNoErrors(rig.errors);
        }

        final JournalScan scan = JournalScan.scan(journalDir, null);
        assertNull(scan.firstViolation, scan::toString);
        assertEquals(53, scan.records, scan::toString);
        assertEquals(52, scan.producer(V).lastSeq);
    }

    /** A valid config change from producer V padded through its value to exactly {@code length} bytes. */
    static byte[] configChangeOfLength(final long producerId, final long seq, final int length)
    {
        final int fixed = HEADER + ConfigChangeEncoder.BLOCK_LENGTH + 2 + 2;
        final int keyLength = Math.min(1024, length - fixed);
        final int valueLength = length - fixed - keyLength;
        final byte[] base = configChange(producerId, seq);
        final byte[] bytes = Arrays.copyOf(base, length);
        int at = HEADER + ConfigChangeEncoder.BLOCK_LENGTH;
        putShort(bytes, at, keyLength);
        Arrays.fill(bytes, at + 2, at + 2 + keyLength, (byte)'k');
        at += 2 + keyLength;
        putShort(bytes, at, valueLength);
        Arrays.fill(bytes, at + 2, at + 2 + valueLength, (byte)'v');
        assertEquals(ConfigChangeDecoder.TEMPLATE_ID, templateId(bytes));
        return bytes;
    }

    /**
     * With a skew limit, an event time further than that from the engine's clock, either way, is refused; at the
     * limit it is accepted. The clock is fixed so the boundaries are exact.
     */
    @Test
    void eventTimesTooFarFromTheEngineClockAreRefusedAsTimestampSkew()
    {
        final long now = EVENT_TIME_BASE + TimeUnit.DAYS.toNanos(1);
        final long skew = TimeUnit.SECONDS.toNanos(1);
        final int eventTimeAt = HEADER + PaymentEncoder.eventTimeEncodingOffset();
        final Path journalDir = tempDir.resolve("skew-journal");
        final Random random = new Random(7);
        long skewed = 0;
        try (Rig rig = new Rig(ctx("skew").maxClockSkewNs(skew).epochClock(() -> now), engineIngest()))
        {
            for (int i = 0; i < ROUNDS; i++)
            {
                // the extremes (Long.MIN_VALUE, Long.MAX_VALUE) are EVENT_TIME_OUT_OF_RANGE, before any skew check
                final long past = i == 0 ? 1 : i == 1 ? 0 : now - skew - 1 - (long)random.nextInt(1 << 30) * i;
                final long future = i == 0 ? now + TimeUnit.HOURS.toNanos(23) :
                    now + skew + 1 + (long)random.nextInt(1 << 30) * i;
                rig.send(putLong(payment(V, rig.nextSeq, 5), eventTimeAt, past));
                rig.send(putLong(order(V, rig.nextSeq), HEADER + OrderEncoder.eventTimeEncodingOffset(), future));
                skewed += 2;
                // within the limit, the limit itself included
                final long within = i % 3 == 0 ? now - skew : i % 3 == 1 ? now + skew : now + random.nextInt(2_000_001) - 1_000_000;
                rig.send(putLong(payment(V, rig.nextSeq, JournalScan.amountOf(V, rig.nextSeq)), eventTimeAt, within));
                rig.nextSeq++;
                rig.valid++;
            }
            rig.awaitAllProcessed();
            final EngineCounters counters = rig.engine.counters();
            assertEquals(skewed, counters.rejected(RejectReason.TIMESTAMP_SKEW), () -> describe(counters));
            assertEquals(skewed, counters.rejected());
            assertEquals(rig.valid, counters.journaled());
            assertNoErrors(rig.errors);
        }

        final JournalScan scan = JournalScan.scan(journalDir, JournalScan.paymentAmounts());
        assertNull(scan.firstViolation, scan::toString);
        assertEquals(ROUNDS, scan.records);
    }

    /**
     * The skew check subtracts times: an event time exactly 2^63 ns away from the clock overflows both
     * differences to Long.MIN_VALUE, and must still be refused (the validator's event-time range comes first).
     */
    @Test
    void eventTimeHalfTheLongRangeAwayIsStillTimestampSkew()
    {
        final long now = EVENT_TIME_BASE + TimeUnit.DAYS.toNanos(1);
        final long skew = TimeUnit.SECONDS.toNanos(1);
        final int eventTimeAt = HEADER + PaymentEncoder.eventTimeEncodingOffset();
        try (Rig rig = new Rig(ctx("skew-overflow").maxClockSkewNs(skew).epochClock(() -> now), engineIngest()))
        {
            final long eventTime = now + Long.MIN_VALUE;
            rig.send(putLong(payment(V, rig.nextSeq, 5), eventTimeAt, eventTime));
            // the refused event takes no sequence: the same one, at the engine's own time, is journaled
            rig.send(putLong(payment(V, rig.nextSeq, JournalScan.amountOf(V, rig.nextSeq)), eventTimeAt, now));
            rig.nextSeq++;
            rig.valid++;
            rig.awaitAllProcessed();
            final EngineCounters counters = rig.engine.counters();
            assertEquals(1, counters.rejected(RejectReason.EVENT_TIME_OUT_OF_RANGE),
                () -> "event time " + eventTime + " with the clock at " + now + " and a skew limit of " + skew +
                    " ns: " + describe(counters));
            assertEquals(1, counters.journaled());
        }
    }

    private static String engineIngest()
    {
        return io.txmon.transport.TransportConfiguration.DEFAULT_INGEST_CHANNEL;
    }
}
