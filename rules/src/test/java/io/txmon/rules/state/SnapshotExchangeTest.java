package io.txmon.rules.state;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class SnapshotExchangeTest
{
    @Test
    void nextDueIsTheFirstDueOffsetAtOrAfter()
    {
        for (final long interval : new long[]{ 1, 2, 3, 7, 1000 })
        {
            final SnapshotExchange exchange = new SnapshotExchange(3, interval);
            for (long offset = 0; offset < 5000; offset++)
            {
                long expected = offset;
                while (!exchange.due(expected))
                {
                    expected++;
                }
                assertEquals(expected, exchange.nextDue(offset), "interval " + interval + ", offset " + offset);
            }
        }
    }
}
