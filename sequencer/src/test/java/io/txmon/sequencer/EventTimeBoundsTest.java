package io.txmon.sequencer;

import io.aeron.ExclusivePublication;
import io.txmon.events.FieldRules;
import io.txmon.events.RejectReason;
import io.txmon.events.codec.PaymentEncoder;
import io.txmon.events.codec.Severity;
import io.txmon.rules.Rule;
import io.txmon.rules.typology.LargeAmountRule;
import org.agrona.CloseHelper;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static io.txmon.sequencer.EngineTestSupport.EVENT_TIME_BASE;
import static io.txmon.sequencer.EngineTestSupport.context;
import static io.txmon.sequencer.EngineTestSupport.offer;
import static io.txmon.sequencer.EngineTestSupport.rawPublication;
import static io.txmon.sequencer.Frames.HEADER;
import static io.txmon.sequencer.Frames.payment;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Finding 8 of issue 12: the sequencer refuses event times before its floor or further ahead of its clock than
 * its bound, as {@link RejectReason#EVENT_TIME_OUT_OF_RANGE}, counted; at the bounds they are accepted. The
 * clock is fixed so the boundaries are exact.
 */
class EventTimeBoundsTest
{
    private static final long PRODUCER = 88;
    private static final int EVENT_TIME_AT = HEADER + PaymentEncoder.eventTimeEncodingOffset();

    @TempDir
    Path dir;

    @Test
    void eventTimesBeforeTheFloorOrTooFarAheadAreRefusedAndTheBoundsAccepted()
    {
        final long now = EVENT_TIME_BASE + TimeUnit.DAYS.toNanos(1);
        final long floor = EVENT_TIME_BASE - TimeUnit.DAYS.toNanos(365);
        final long ahead = TimeUnit.HOURS.toNanos(2);
        final long[] refused = {
            floor - 1, 0, FieldRules.MIN_EVENT_TIME, now + ahead + 1, FieldRules.MAX_EVENT_TIME, now + 3 * ahead };
        final long[] accepted = { floor, now - TimeUnit.DAYS.toNanos(100), now, now + ahead };
        final Engine engine = Engine.launch(context(dir.resolve("aeron"), dir.resolve("journal"), EventTimeBoundsTest::rules)
            .minEventTime(floor)
            .maxEventTimeAheadNs(ahead)
            .epochClock(() -> now));
        ExclusivePublication raw = null;
        try
        {
            raw = rawPublication(engine);
            final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1024]);
            long seq = 0;
            for (int i = 0; i < Math.max(refused.length, accepted.length); i++)
            {
                if (i < refused.length)
                {
                    send(raw, buffer, payment(PRODUCER, seq, 500), refused[i]);
                }
                if (i < accepted.length)
                {
                    send(raw, buffer, payment(PRODUCER, seq, 500), accepted[i]);
                    seq++;
                }
            }
            final EngineCounters counters = engine.counters();
            final int total = refused.length + accepted.length;
            EngineTestSupport.awaitCondition(() -> counters.received() == total,
                () -> "received " + counters.received() + " of " + total);
            assertEquals(refused.length, counters.rejected(RejectReason.EVENT_TIME_OUT_OF_RANGE));
            assertEquals(refused.length, counters.rejected());
            assertEquals(accepted.length, counters.journaled());
        }
        finally
        {
            CloseHelper.closeAll(raw, engine);
        }
    }

    @Test
    void theDefaultBoundIsOneDayAheadAndTheFloorTheSchemas()
    {
        final Engine.Context ctx = new Engine.Context();
        assertEquals(TimeUnit.DAYS.toNanos(1), ctx.maxEventTimeAheadNs());
        assertEquals(FieldRules.MIN_EVENT_TIME, ctx.minEventTime());
    }

    @Test
    void aheadIsDecidedWithoutOverflow()
    {
        assertTrue(SequencerAgent.isAhead(Long.MAX_VALUE, Long.MIN_VALUE, 1));
        assertFalse(SequencerAgent.isAhead(Long.MIN_VALUE, Long.MAX_VALUE, 1));
        assertFalse(SequencerAgent.isAhead(Long.MAX_VALUE, 0, Long.MAX_VALUE));
        assertTrue(SequencerAgent.isAhead(Long.MAX_VALUE, -1, Long.MAX_VALUE));
        assertFalse(SequencerAgent.isAhead(10, 5, 5));
        assertTrue(SequencerAgent.isAhead(11, 5, 5));
    }

    private static void send(final ExclusivePublication raw, final UnsafeBuffer buffer, final byte[] frame, final long eventTime)
    {
        buffer.putBytes(0, frame);
        buffer.putLong(EVENT_TIME_AT, eventTime, java.nio.ByteOrder.LITTLE_ENDIAN);
        offer(raw, buffer, 0, frame.length);
    }

    private static Rule[] rules(final int worker)
    {
        return new Rule[]{ new LargeAmountRule(Long.MAX_VALUE, Severity.LOW) };
    }
}
