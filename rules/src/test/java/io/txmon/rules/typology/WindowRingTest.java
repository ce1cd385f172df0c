package io.txmon.rules.typology;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@link WindowRing}: records purged by time, a full ring replacing first what is a window or more ahead and then the
 * oldest, the array growing from 2 slots by doubling; checked against a list of (time, id) in slot order kept by the
 * rules its Javadoc states, through random times (late, far ahead, far behind) at several maxima.
 */
class WindowRingTest
{
    private static final int ID = 1;
    private static final int STRIDE = 2;
    private static final long WINDOW = 1_000;

    @Test
    void growsByDoublingToTheMaximumKeepingSlotOrder()
    {
        final WindowRing ring = new WindowRing(STRIDE, 8);
        assertEquals(2, ring.capacity());
        final List<Integer> capacities = new ArrayList<>(List.of(ring.capacity()));
        for (int i = 0; i < 12; i++)
        {
            final int added = ring.add(100 + i, WINDOW, 8);
            assertEquals(i >= 8, WindowRing.dropped(added), "drops only once full, event " + i);
            ring.set(WindowRing.slot(added), ID, i);
            if (ring.capacity() != capacities.get(capacities.size() - 1))
            {
                capacities.add(ring.capacity());
            }
        }
        assertEquals(List.of(2, 4, 8), capacities);
        assertEquals(8, ring.size);
        // events 8 to 11 replaced the oldest, slots 0 to 3, in turn
        final long[] expected = { 8, 9, 10, 11, 4, 5, 6, 7 };
        for (int i = 0; i < 8; i++)
        {
            assertEquals(expected[i], ring.get(i, ID), "slot " + i);
            assertEquals(100 + expected[i], ring.time(i));
        }
        assertEquals(1, new WindowRing(STRIDE, 1).capacity(), "a maximum below 2 is allocated at once");
    }

    @Test
    void anEventOutsideItsOwnWindowIsIgnoredAndRemoveMovesTheLastIntoTheSlot()
    {
        final WindowRing ring = new WindowRing(STRIDE, 4);
        assertEquals(WindowRing.IGNORED, ring.add(Long.MIN_VALUE, WINDOW, 4), "no time is a window before it");
        assertFalse(WindowRing.dropped(WindowRing.IGNORED));
        assertEquals(0, ring.size);
        for (int i = 0; i < 3; i++)
        {
            ring.set(WindowRing.slot(ring.add(10 + i, WINDOW, 4)), ID, i);
        }
        ring.remove(0);
        assertEquals(2, ring.size);
        assertEquals(2, ring.get(0, ID));
        assertEquals(1, ring.get(1, ID));
        ring.reset();
        assertEquals(0, ring.size);
        assertEquals(Long.MIN_VALUE, ring.newest);
    }

    @Test
    void behavesAsItsRulesSayThroughRandomTimes()
    {
        for (final int max : new int[] { 1, 2, 3, 5, 8, 16 })
        {
            for (long seed = 0; seed < 30; seed++)
            {
                runAgainstModel(max, seed);
            }
        }
    }

    private static void runAgainstModel(final int max, final long seed)
    {
        final Random random = new Random(seed * 31 + max);
        final WindowRing ring = new WindowRing(STRIDE, max);
        final List<long[]> model = new ArrayList<>();
        long newest = Long.MIN_VALUE;
        long clock = 0;
        for (int event = 0; event < 400; event++)
        {
            final int kind = random.nextInt(20);
            final long time;
            if (kind == 0)
            {
                time = clock + 100 * WINDOW;        // far ahead
            }
            else if (kind == 1)
            {
                time = clock - 3 * WINDOW;          // far behind
            }
            else if (kind < 5)
            {
                time = clock - random.nextInt(400); // late
            }
            else
            {
                clock += random.nextInt(200);
                time = clock;
            }
            final String at = "max " + max + " seed " + seed + " event " + event;

            // the model: purge, then ignore, append below the maximum, or replace
            final long purgeBefore = EventTimes.purgeBefore(time, newest, WINDOW);
            newest = time;
            model.removeIf(r -> r[0] <= purgeBefore);
            int expectedSlot = -1;
            boolean expectedDrop = false;
            if (time > EventTimes.minus(time, WINDOW))
            {
                if (model.size() < max)
                {
                    expectedSlot = model.size();
                    model.add(new long[] { time, event });
                }
                else
                {
                    for (int i = 0; i < model.size() && expectedSlot < 0; i++)
                    {
                        if (EventTimes.gap(model.get(i)[0], time) >= WINDOW)
                        {
                            expectedSlot = i;
                        }
                    }
                    if (expectedSlot < 0)
                    {
                        expectedSlot = 0;
                        for (int i = 1; i < model.size(); i++)
                        {
                            if (model.get(i)[0] < model.get(expectedSlot)[0])
                            {
                                expectedSlot = i;
                            }
                        }
                    }
                    model.set(expectedSlot, new long[] { time, event });
                    expectedDrop = true;
                }
            }

            final int added = ring.add(time, WINDOW, max);
            if (expectedSlot < 0)
            {
                assertEquals(WindowRing.IGNORED, added, at);
            }
            else
            {
                assertEquals(expectedSlot, WindowRing.slot(added), at);
                assertEquals(expectedDrop, WindowRing.dropped(added), at);
                ring.set(WindowRing.slot(added), ID, event);
            }
            assertEquals(model.size(), ring.size, at);
            assertTrue(ring.capacity() <= max && ring.capacity() >= ring.size, at);
            for (int i = 0; i < model.size(); i++)
            {
                assertEquals(model.get(i)[0], ring.time(i), at + " slot " + i);
                assertEquals(model.get(i)[1], ring.get(i, ID), at + " slot " + i);
            }

            if (random.nextInt(50) == 0)
            {
                // read back as a snapshot does: same records, grown as adding them would have
                final WindowRing copy = new WindowRing(STRIDE, max);
                copy.restore(ring.newest, ring.size, max);
                for (int i = 0; i < ring.size; i++)
                {
                    copy.set(i, WindowRing.TIME, ring.time(i));
                    copy.set(i, ID, ring.get(i, ID));
                }
                assertEquals(StateCapacity.holding(WindowRing.INITIAL_CAPACITY, max, ring.size), copy.capacity(), at);
            }
        }
    }
}
