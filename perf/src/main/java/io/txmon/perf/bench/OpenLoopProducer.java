package io.txmon.perf.bench;

import io.txmon.events.codec.MessageHeaderDecoder;
import io.txmon.events.codec.PaymentDecoder;
import io.txmon.scenario.Planted;
import io.txmon.scenario.ScenarioGenerator;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongFunction;

/**
 * One producer of an open-loop run: emits a seeded scenario stream (payments, account updates, orders and
 * executions, planted cases at a known rate) with event {@code i} due at {@code start + i / rate}, whatever
 * happened to the ones before. A late send is not re-timed: the latency of every event is taken from when it was
 * due ({@link Schedule#intended}), so a stall anywhere shows as latency of every event it delayed rather than as a
 * pause in sending (coordinated omission).
 * <p>
 * Runs on its own thread. Allocation free per event after the generator has built its plan.
 */
final class OpenLoopProducer implements Runnable
{
    /**
     * Where the messages go: a txmon producer client or a raw Aeron publication.
     */
    @FunctionalInterface
    interface Sink
    {
        /**
         * @param buffer holding the message.
         * @param offset of its SBE header.
         * @param length of the whole message.
         * @return positive when sent, otherwise a failure code for the sink's describer.
         */
        long send(DirectBuffer buffer, int offset, int length);
    }

    /**
     * How a producer waits for the next due time.
     */
    enum Pacing
    {
        /** Park the thread: leaves the cores to the engine, but wakes up to ~50 µs late on Linux. */
        PARK,
        /** Spin: sends on time, and takes a core for each producer. */
        SPIN,
        /**
         * Yield the core until the due time: on time within a scheduling round, and gives the core to any other
         * runnable thread meanwhile; for the {@code yielding} profile, whose threads wait the same way.
         */
        YIELD
    }

    private static final int MAX_REFERENCE = 1024;

    private final int index;
    private final ScenarioGenerator generator;
    private final int count;
    private final Schedule schedule;
    private final Sink sink;
    private final LongFunction<String> describe;
    private final Pacing pacing;
    private final int eventSize;
    private final UnsafeBuffer padded = new UnsafeBuffer(new byte[8 + 128 + MAX_REFERENCE + 64]);
    private final AtomicLong sent = new AtomicLong();
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private volatile String failure;
    private volatile boolean done;
    private long start;
    private long next;
    private List<Planted> planted = List.of();

    /**
     * @param index     of this producer in the schedule.
     * @param generator of its stream; producer id set in its options.
     * @param count     events to send.
     * @param schedule  due times, shared with whoever measures.
     * @param sink      where to send.
     * @param describe  a sink's failure code as text.
     * @param pacing    how to wait.
     * @param eventSize pad payments' references so a payment is at least this many bytes; 0 for as generated.
     */
    OpenLoopProducer(
        final int index,
        final ScenarioGenerator generator,
        final int count,
        final Schedule schedule,
        final Sink sink,
        final LongFunction<String> describe,
        final Pacing pacing,
        final int eventSize)
    {
        this.index = index;
        this.generator = generator;
        this.count = count;
        this.schedule = schedule;
        this.sink = sink;
        this.describe = describe;
        this.pacing = pacing;
        this.eventSize = eventSize;
    }

    public void run()
    {
        try
        {
            generator.generate(count, this::onMessage);
            planted = List.copyOf(generator.planted());
        }
        catch (final RuntimeException ex)
        {
            failure = "producer " + generator.options().producerId() + ": " + ex;
        }
        finally
        {
            done = true;
        }
    }

    private void onMessage(final DirectBuffer buffer, final int offset, final int length)
    {
        if (null != failure)
        {
            return;
        }
        final long i = next++;
        if (i == 0)
        {
            start = System.nanoTime();
            schedule.start(index, start);
        }
        final long due = start + schedule.offsetNanos(index, i);
        long now;
        while ((now = System.nanoTime()) < due)
        {
            if (pacing == Pacing.PARK)
            {
                LockSupport.parkNanos(due - now);
            }
            else if (pacing == Pacing.YIELD)
            {
                Thread.yield();
            }
            else
            {
                Thread.onSpinWait();
            }
        }

        final long result;
        if (eventSize > 0 && length < eventSize && isPayment(buffer, offset))
        {
            result = sink.send(padded, 0, pad(buffer, offset, length));
        }
        else
        {
            result = sink.send(buffer, offset, length);
        }
        if (result < 0)
        {
            failure = "producer " + generator.options().producerId() + " at event " + i + ": " +
                describe.apply(result);
            return;
        }
        sent.lazySet(i + 1);
    }

    private boolean isPayment(final DirectBuffer buffer, final int offset)
    {
        return header.wrap(buffer, offset).templateId() == PaymentDecoder.TEMPLATE_ID;
    }

    /**
     * Copy a payment, lengthening its reference (the last field) with spaces up to the event size.
     */
    private int pad(final DirectBuffer buffer, final int offset, final int length)
    {
        final int referenceAt = MessageHeaderDecoder.ENCODED_LENGTH + header.blockLength();
        final int referenceLength = buffer.getShort(offset + referenceAt, PaymentDecoder.BYTE_ORDER) & 0xFFFF;
        final int newLength = Math.min(MAX_REFERENCE, referenceLength + eventSize - length);
        padded.putBytes(0, buffer, offset, length);
        padded.putShort(referenceAt, (short)newLength, PaymentDecoder.BYTE_ORDER);
        padded.setMemory(length, newLength - referenceLength, (byte)' ');
        return length + newLength - referenceLength;
    }

    /**
     * @return events sent so far.
     */
    long sent()
    {
        return sent.get();
    }

    /**
     * @return events this producer sends in all.
     */
    int count()
    {
        return count;
    }

    /**
     * @return why it stopped early, or null.
     */
    String failure()
    {
        return failure;
    }

    /**
     * @return true once it has sent everything or failed.
     */
    boolean done()
    {
        return done;
    }

    /**
     * @return the planted cases of its stream; complete once {@link #done()}.
     */
    List<Planted> planted()
    {
        return planted;
    }

    /**
     * @return its producer id.
     */
    long producerId()
    {
        return generator.options().producerId();
    }
}
