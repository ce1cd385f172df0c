package io.txmon.rules.typology;

import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@link AmlAmountWindow} starts small and doubles up to its maximum capacity; checked against a plain
 * bounded deque for contents, order, the drop-oldest return value and eviction, through growth, wrap-around
 * and the full ring.
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
        assertEquals(List.of(8, 16, 32, 64, 100), capacities);
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
                runAgainstModel(max, seed);
            }
        }
    }

    private static void runAgainstModel(final int max, final long seed)
    {
        final Random random = new Random(seed * 31 + max);
        final AmlAmountWindow window = new AmlAmountWindow(max);
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
