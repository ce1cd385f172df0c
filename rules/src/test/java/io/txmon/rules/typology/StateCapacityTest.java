package io.txmon.rules.typology;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@link StateCapacity}: the growth path every per-key structure follows, and how its record arrays grow.
 */
class StateCapacityTest
{
    @Test
    void growsByDoublingToTheMaximumAndRestoresOnTheSamePath()
    {
        assertEquals(2, StateCapacity.initial(2, 64));
        assertEquals(1, StateCapacity.initial(2, 1));
        assertEquals(4, StateCapacity.doubled(2, 64));
        assertEquals(48, StateCapacity.doubled(32, 48));
        assertEquals(Integer.MAX_VALUE, StateCapacity.doubled(1 << 30, Integer.MAX_VALUE));
        assertEquals(2, StateCapacity.holding(2, 64, 0));
        assertEquals(4, StateCapacity.holding(2, 64, 3));
        assertEquals(64, StateCapacity.holding(2, 64, 64));
        assertEquals(100, StateCapacity.holding(2, 100, 65));
    }

    @Test
    void aRecordArrayGrowsKeepingEachRecordAtItsIndex()
    {
        final int stride = 3;
        final long[] records = new long[2 * stride];
        for (int i = 0; i < records.length; i++)
        {
            records[i] = i + 1;
        }
        assertSame(records, StateCapacity.grown(records, stride, 2), "long enough already: the same array");
        assertSame(records, StateCapacity.grown(records, stride, 1));

        final long[] grown = StateCapacity.grown(records, stride, 4);
        assertEquals(4 * stride, grown.length);
        for (int i = 0; i < records.length; i++)
        {
            assertEquals(i + 1, grown[i]);
        }
        for (int i = records.length; i < grown.length; i++)
        {
            assertEquals(0, grown[i], "new records are zero");
        }
    }
}
