package io.txmon.rules.typology;

import io.txmon.rules.state.StateException;
import io.txmon.rules.state.StateReader;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static io.txmon.rules.typology.RuleStateSupport.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * {@link AmlAmountWindow} starts small and doubles up to its maximum capacity; checked against a plain
 * bounded deque for contents, order, the drop-oldest return value and eviction, through growth, wrap-around
 * and the full ring; and read back from a snapshot at any point, it goes on exactly as the original.
 */
class AmlAmountWindowGrowthTest
{
    private static final int[] MAX_CAPACITIES = { 1, 2, 3, 7, 8, 9, 16, 17, 64, 100, 128, 1024 };

    @Test
    void startsSmallAndDoublesUpToTheMaximum()
    {
        final AmlAmountWindow window = new AmlAmountWindow(100);
        assertEquals(AmlAmountWindow.INITIAL_CAPACITY, window.capacity());
        final List<Integer> capacities = new ArrayList<>();
        capacities.add(window.capacity());
        for (int i = 0; i < 250; i++)
        {
            assertEquals(i >= 100, window.add(i, i + 1, i));
            if (window.capacity() != capacities.get(capacities.size() - 1))
            {
                capacities.add(window.capacity());
            }
        }
        assertEquals(List.of(4, 8, 16, 32, 64, 100), capacities);
        assertEquals(100, window.size());
        for (int i = 0; i < 100; i++)
        {
            assertEquals(150 + i, window.time(i));
            assertEquals(151 + i, window.amount(i));
            assertEquals(150 + i, window.offset(i));
        }
    }

    @Test
    void smallMaximumIsAllocatedAtOnce()
    {
        assertEquals(3, new AmlAmountWindow(3).capacity());
        assertEquals(1, new AmlAmountWindow(1).capacity());
    }

    @Test
    void growthKeepsOrderAcrossWrapAround()
    {
        final AmlAmountWindow window = new AmlAmountWindow(64);
        // wrap the initial ring: head moves by evicting, then the ring fills again past the end
        for (int i = 0; i < 6; i++)
        {
            window.add(i, 1, i);
        }
        window.evict(5, 5);
        assertEquals(5, window.size());
        for (int i = 6; i < 40; i++)
        {
            assertFalse(window.add(i, 1, i));
        }
        assertEquals(64, window.capacity());
        assertEquals(39, window.size());
        for (int i = 0; i < window.size(); i++)
        {
            assertEquals(i + 1, window.time(i));
        }
    }

    @Test
    void behavesAsABoundedDequeThroughRandomOperations()
    {
        for (final int max : MAX_CAPACITIES)
        {
            for (long seed = 0; seed < 20; seed++)
            {
                runAgainstModel(max, seed, false);
            }
        }
    }

    @Test
    void readBackAtAnyPointItBehavesAsTheOriginalThroughRandomOperations()
    {
        for (final int max : MAX_CAPACITIES)
        {
            for (long seed = 0; seed < 20; seed++)
            {
                runAgainstModel(max, seed, true);
            }
        }
    }

    @Test
    void keepsItsClockSoALateEntryIsStoredAtItAfterARestore()
    {
        final AmlAmountWindow window = new AmlAmountWindow(16);
        window.add(window.advance(1_000), 5, 0);
        window.clear();
        final AmlAmountWindow restored = roundTrip(window, 16);
        assertEquals(0, restored.size());
        assertTrue(restored.isLate(999));
        assertEquals(1_000, restored.advance(10), "a late entry is evaluated and stored at the clock");
        assertArrayEquals(bytes(window), bytes(roundTrip(restored, 16)), "the bytes depend only on the state");
    }

    @Test
    void readBackIsAllocatedOnTheGrowthPathJustLargeEnough()
    {
        final AmlAmountWindow window = new AmlAmountWindow(100);
        final long clock = window.advance(7);
        for (int i = 0; i < 70; i++)
        {
            window.add(clock, 1 + i, i);
        }
        window.evict(clock + 1, 1);
        window.add(window.advance(clock + 1), 9, 70);
        assertEquals(100, window.capacity());
        assertEquals(1, roundTrip(window, 100).size());
        assertEquals(AmlAmountWindow.INITIAL_CAPACITY, roundTrip(window, 100).capacity());
        assertEquals(3, roundTrip(new AmlAmountWindow(3), 3).capacity());

        final AmlAmountWindow full = new AmlAmountWindow(100);
        for (int i = 0; i < 100; i++)
        {
            full.add(full.advance(i), 1, i);
        }
        final AmlAmountWindow restored = roundTrip(full, 100);
        assertEquals(100, restored.capacity());
        assertTrue(restored.add(restored.advance(100), 1, 100), "full at the maximum: the oldest goes");
        assertEquals(1, restored.time(0));
    }

    @Test
    void refusesBytesItCannotHaveWritten()
    {
        final AmlAmountWindow window = new AmlAmountWindow(4);
        window.add(window.advance(10), 5, 0);
        window.add(window.advance(20), 6, 1);
        final byte[] bytes = bytes(window);
        assertEquals(20 + 2 * 24, bytes.length);
        assertEveryTruncationRefused(bytes, (cut) -> AmlAmountWindow.readFrom(reader(cut), 4));

        assertRefused(withInt(bytes, 8, 5), 4, "more entries than the maximum");
        assertRefused(withInt(bytes, 8, Integer.MAX_VALUE), 1024, "far more entries than the maximum");
        assertRefused(withInt(bytes, 8, -1), 4, "a negative count");
        assertRefused(withInt(bytes, 8, 3), 4, "a count with too few bytes behind it");
        assertRefused(bytes, 1, "more entries than this window's maximum");
        assertRefused(withLong(bytes, 12, 21), 4, "a base past the clock");
        assertRefused(withLong(bytes, 0, 19), 4, "an entry newer than the clock");
        assertRefused(withLong(bytes, 20 + 8, -5), 4, "a negative amount");
        assertEquals(2, AmlAmountWindow.readFrom(reader(bytes), 4).size(), "the bytes themselves are fine");
    }

    private static void assertRefused(final byte[] bytes, final int maxCapacity, final String what)
    {
        assertThrows(StateException.class, () -> AmlAmountWindow.readFrom(reader(bytes), maxCapacity), what);
    }

    private static byte[] bytes(final AmlAmountWindow window)
    {
        return written(window::writeTo);
    }

    private static StateReader reader(final byte[] bytes)
    {
        return RuleStateSupport.reader(bytes, bytes.length, "window");
    }

    private static AmlAmountWindow roundTrip(final AmlAmountWindow window, final int maxCapacity)
    {
        final StateReader in = reader(bytes(window));
        final AmlAmountWindow restored = AmlAmountWindow.readFrom(in, maxCapacity);
        in.requireEnd();
        return restored;
    }

    /**
     * @param roundTrips whether to advance the window's clock as the rules do and, now and then, carry on with a
     *                   window read back from what it wrote.
     */
    private static void runAgainstModel(final int max, final long seed, final boolean roundTrips)
    {
        final Random random = new Random(seed * 31 + max);
        AmlAmountWindow window = new AmlAmountWindow(max);
        final ArrayDeque<long[]> model = new ArrayDeque<>();
        final long windowNanos = 1 + random.nextInt(4 * max + 4);
        long clock = 0;
        long offset = 0;
        final int steps = 20 * max + 200;
        for (int step = 0; step < steps; step++)
        {
            final int op = random.nextInt(100);
            if (op < 70)
            {
                // bursts of adds at the same or slowly advancing time so the ring fills past its maximum
                clock += random.nextInt(3) == 0 ? 1 : 0;
                if (roundTrips)
                {
                    assertEquals(clock, window.advance(clock));
                }
                window.evict(clock, windowNanos);
                evict(model, clock, windowNanos);
                final long amount = 1 + random.nextInt(1000);
                boolean modelDropped = false;
                if (model.size() == max)
                {
                    model.removeFirst();
                    modelDropped = true;
                }
                model.addLast(new long[]{ clock, amount, offset });
                assertEquals(modelDropped, window.add(clock, amount, offset), "dropped, max " + max);
                offset++;
            }
            else if (op < 85)
            {
                clock += random.nextInt((int)windowNanos + 1);
                window.evict(clock, windowNanos);
                evict(model, clock, windowNanos);
            }
            else if (op < 97)
            {
                if (!model.isEmpty())
                {
                    final int index = random.nextInt(model.size());
                    window.consume(index);
                    int i = 0;
                    for (final long[] entry : model)
                    {
                        if (i++ == index)
                        {
                            entry[1] = 0;
                        }
                    }
                }
            }
            else if (op < 98)
            {
                window.clear();
                model.clear();
            }
            if (roundTrips && random.nextInt(10) == 0)
            {
                window = roundTrip(window, max);
            }
            assertSame(model, window, max);
        }
    }

    private static void evict(final ArrayDeque<long[]> model, final long now, final long windowNanos)
    {
        while (!model.isEmpty() && now - model.peekFirst()[0] >= windowNanos)
        {
            model.removeFirst();
        }
    }

    private static void assertSame(final ArrayDeque<long[]> model, final AmlAmountWindow window, final int max)
    {
        assertEquals(model.size(), window.size());
        assertTrue(window.capacity() <= max, "capacity " + window.capacity() + " above max " + max);
        assertTrue(window.capacity() >= window.size());
        assertTrue(
            window.capacity() == max || Integer.bitCount(window.capacity()) == 1,
            "capacity " + window.capacity() + " is neither a doubling nor the max " + max);
        int i = 0;
        for (final long[] entry : model)
        {
            assertEquals(entry[0], window.time(i));
            assertEquals(entry[1], window.amount(i));
            assertEquals(entry[2], window.offset(i));
            i++;
        }
    }
}
