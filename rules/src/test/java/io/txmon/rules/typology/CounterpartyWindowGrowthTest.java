package io.txmon.rules.typology;

import io.txmon.rules.state.StateException;
import io.txmon.rules.state.StateReader;
import io.txmon.rules.typology.DistinctCounterpartyRule.CounterpartyWindow;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static io.txmon.rules.typology.RuleStateSupport.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * {@link CounterpartyWindow} starts small and doubles up to its maximum capacity; checked against a plain
 * list model of a window of the maximum size for the result of each record, contents and order; and read back
 * from a snapshot at any point, it goes on exactly as the original.
 */
class CounterpartyWindowGrowthTest
{
    private static final int[] MAX_CAPACITIES = { 1, 2, 5, 8, 9, 16, 33, 64, 100, 256 };

    @Test
    void startsSmallAndDoublesUpToTheMaximum()
    {
        final CounterpartyWindow window = new CounterpartyWindow(64);
        assertEquals(CounterpartyWindow.INITIAL_CAPACITY, window.capacity());
        final List<Integer> capacities = new ArrayList<>();
        capacities.add(window.capacity());
        for (int i = 0; i < 100; i++)
        {
            final int result = window.record(1000 + i, i, i, Long.MAX_VALUE / 2);
            assertEquals(i < 64 ? CounterpartyWindow.ADDED : CounterpartyWindow.ADDED_DROPPING_OLDEST, result);
            if (window.capacity() != capacities.get(capacities.size() - 1))
            {
                capacities.add(window.capacity());
            }
        }
        assertEquals(List.of(2, 4, 8, 16, 32, 64), capacities);
        assertEquals(64, window.size);
        for (int i = 0; i < 64; i++)
        {
            assertEquals(1036 + i, window.counterpartyAt(i));
        }
        assertEquals(1, new CounterpartyWindow(1).capacity(), "a maximum below the initial size is allocated at once");
    }

    @Test
    void behavesAsAWindowOfTheMaximumSizeThroughRandomPayments()
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
    void readBackAtAnyPointItBehavesAsTheOriginalThroughRandomPayments()
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
    void readBackIsAllocatedOnTheGrowthPathJustLargeEnoughAndWritesTheSameBytes()
    {
        final CounterpartyWindow window = new CounterpartyWindow(64);
        for (int i = 0; i < 40; i++)
        {
            window.record(1000 + i, i, i, 100);
        }
        // the first payment a window later purges only what left the window before it too; the second the rest
        window.record(5, 200, 40, 100);
        window.record(6, 201, 41, 100);
        assertEquals(64, window.capacity());
        assertEquals(2, window.size);
        final CounterpartyWindow restored = roundTrip(window, 64);
        assertEquals(CounterpartyWindow.INITIAL_CAPACITY, restored.capacity());
        assertEquals(201, restored.newest);
        assertEquals(6, restored.counterpartyAt(1));
        assertArrayEquals(bytes(window), bytes(restored));
        assertEquals(1, roundTrip(new CounterpartyWindow(1), 1).capacity());
    }

    @Test
    void refusesBytesItCannotHaveWritten()
    {
        final CounterpartyWindow window = new CounterpartyWindow(4);
        window.record(11, 10, 0, 100);
        window.record(12, 20, 1, 100);
        final byte[] bytes = bytes(window);
        // newest period peaks current-peak size (11 t o) (12 t o)
        assertEquals(32 + 2 * 24, bytes.length);
        assertEveryTruncationRefused(bytes, (cut) -> readFrom(cut, 4, KEY));

        assertRefused(withInt(bytes, 28, 5), 4, KEY, "more entries than the maximum");
        assertRefused(withInt(bytes, 28, -1), 4, KEY, "a negative count");
        assertRefused(withInt(bytes, 28, 3), 4, KEY, "a count with too few bytes behind it");
        assertRefused(withInt(bytes, 24, -1), 4, KEY, "a negative peak");
        assertRefused(withInt(bytes, 24, 4_096), 4, KEY, "a peak above what a peak can hold");
        assertRefused(withLong(bytes, 16, -1L), 4, KEY, "past peaks beyond the five kept");
        assertRefused(bytes, 1, KEY, "more entries than this window's maximum");
        assertRefused(withLong(bytes, 32 + 24, 11), 4, KEY, "a counterparty twice");
        assertRefused(bytes, 4, 12, "the window's own account as its counterparty");
        assertEquals(2, readFrom(bytes, 4, KEY).size, "the bytes themselves are fine");
    }

    private static final long KEY = -1;

    private static void assertRefused(final byte[] bytes, final int max, final long key, final String what)
    {
        assertThrows(StateException.class, () -> readFrom(bytes, max, key), what);
    }

    private static byte[] bytes(final CounterpartyWindow window)
    {
        return written(window::writeTo);
    }

    private static CounterpartyWindow readFrom(final byte[] bytes, final int max, final long key)
    {
        final StateReader in = reader(bytes, bytes.length, "window");
        final CounterpartyWindow window = CounterpartyWindow.readFrom(in, max, key, new long[max]);
        in.requireEnd();
        return window;
    }

    private static CounterpartyWindow roundTrip(final CounterpartyWindow window, final int max)
    {
        return readFrom(bytes(window), max, KEY);
    }

    /**
     * @param roundTrips whether to carry on, now and then, with a window read back from what it wrote.
     */
    private static void runAgainstModel(final int max, final long seed, final boolean roundTrips)
    {
        final Random random = new Random(seed * 17 + max);
        CounterpartyWindow window = new CounterpartyWindow(max);
        final Model model = new Model(max);
        final long windowNanos = 1 + random.nextInt(3 * max + 3);
        final int counterpartyPool = 1 + random.nextInt(3 * max + 2);
        long clock = 0;
        long offset = 0;
        final int steps = 20 * max + 200;
        for (int step = 0; step < steps; step++)
        {
            final int move = random.nextInt(10);
            if (move < 6)
            {
                clock += random.nextInt(2);
            }
            else if (move < 8)
            {
                clock += random.nextInt((int)windowNanos + 1);
            }
            // some payments are late, some outside the window already
            final int kind = random.nextInt(40);
            final long time = kind == 0 ? Long.MAX_VALUE - random.nextInt(3) : kind == 1 ? Long.MIN_VALUE + random.nextInt(3) :
                kind < 6 ? clock - random.nextInt((int)windowNanos + 2) : clock;
            final long counterparty = random.nextInt(counterpartyPool);
            final int expected = model.record(counterparty, time, offset, windowNanos);
            assertEquals(expected, window.record(counterparty, time, offset, windowNanos), "max " + max);
            offset++;

            assertEquals(model.counterparties.size(), window.size);
            int members = 0;
            for (int i = 0; i < model.times.size(); i++)
            {
                members += CounterpartyWindow.isMember(model.times.get(i), time, EventTimes.minus(time, windowNanos),
                    windowNanos) ? 1 : 0;
            }
            assertEquals(members, window.members, "entries within a window of the payment");
            assertEquals(model.newest, window.newest);
            assertTrue(window.capacity() <= max, "capacity " + window.capacity() + " above max " + max);
            assertTrue(window.capacity() >= window.size);
            for (int i = 0; i < window.size; i++)
            {
                assertEquals(model.counterparties.get(i), window.counterpartyAt(i));
                assertEquals(model.times.get(i), window.timeAt(i));
                assertEquals(model.offsets.get(i), window.offsetAt(i));
            }
            if (roundTrips && random.nextInt(8) == 0)
            {
                window = roundTrip(window, max);
            }
        }
    }

    /**
     * The window's documented semantics on lists of unbounded physical size, capped at the maximum.
     */
    private static final class Model
    {
        final int max;
        final List<Long> counterparties = new ArrayList<>();
        final List<Long> times = new ArrayList<>();
        final List<Long> offsets = new ArrayList<>();
        long newest = Long.MIN_VALUE;

        Model(final int max)
        {
            this.max = max;
        }

        int record(final long counterparty, final long time, final long offset, final long windowNanos)
        {
            // the window of the payment at hand; what has left it and the previous payment's window goes
            final long purgeBefore = EventTimes.minus(Math.min(time, newest), windowNanos);
            newest = time;
            final long cutoff = EventTimes.minus(time, windowNanos);
            for (int i = counterparties.size() - 1; i >= 0; i--)
            {
                if (times.get(i) <= purgeBefore)
                {
                    remove(i);
                }
            }
            if (time <= cutoff)
            {
                return CounterpartyWindow.IGNORED;
            }
            final int found = counterparties.indexOf(counterparty);
            if (found >= 0)
            {
                final boolean wasMember = CounterpartyWindow.isMember(times.get(found), time, cutoff, windowNanos);
                if (time >= times.get(found) || !wasMember)
                {
                    remove(found);
                    append(counterparty, time, offset);
                }
                return wasMember ? CounterpartyWindow.UPDATED : CounterpartyWindow.ADDED;
            }
            if (counterparties.size() < max)
            {
                append(counterparty, time, offset);
                return CounterpartyWindow.ADDED;
            }
            // an entry outside the payment's window goes first, then, only when every entry counts, the oldest
            int oldest = -1;
            for (int i = 0; i < times.size() && oldest < 0; i++)
            {
                if (!CounterpartyWindow.isMember(times.get(i), time, cutoff, windowNanos))
                {
                    oldest = i;
                }
            }
            if (oldest >= 0)
            {
                // it was not counted: nothing is lost
                remove(oldest);
                append(counterparty, time, offset);
                return CounterpartyWindow.ADDED;
            }
            {
                oldest = 0;
                for (int i = 1; i < times.size(); i++)
                {
                    if (times.get(i) < times.get(oldest))
                    {
                        oldest = i;
                    }
                }
            }
            remove(oldest);
            append(counterparty, time, offset);
            return CounterpartyWindow.ADDED_DROPPING_OLDEST;
        }

        private void remove(final int index)
        {
            counterparties.remove(index);
            times.remove(index);
            offsets.remove(index);
        }

        private void append(final long counterparty, final long time, final long offset)
        {
            counterparties.add(counterparty);
            times.add(time);
            offsets.add(offset);
        }
    }
}
