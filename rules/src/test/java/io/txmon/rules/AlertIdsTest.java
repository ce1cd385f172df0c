package io.txmon.rules;

import org.agrona.collections.LongHashSet;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class AlertIdsTest
{
    private static final long[] OFFSETS = { 0, 1, 2, 65_535, 65_536, AlertIds.MAX_OFFSET - 1, AlertIds.MAX_OFFSET };
    private static final int[] RULE_IDS = { 0, 1, 2, AlertIds.MAX_RULE_ID - 1, AlertIds.MAX_RULE_ID };
    private static final int[] VERSIONS = { 0, 1, AlertIds.MAX_RULE_VERSION - 1, AlertIds.MAX_RULE_VERSION };

    @Test
    void limitsMatchTheLayout()
    {
        assertEquals(1023, AlertIds.MAX_RULE_ID);
        assertEquals(63, AlertIds.MAX_RULE_VERSION);
        assertTrue(AlertIds.MAX_OFFSET > 0);
    }

    @Test
    void roundTripAtTheLimits()
    {
        final LongHashSet ids = new LongHashSet();
        for (final long offset : OFFSETS)
        {
            for (final int ruleId : RULE_IDS)
            {
                for (final int version : VERSIONS)
                {
                    final long id = AlertIds.alertId(ruleId, version, offset);
                    final String what = "offset " + offset + " rule " + ruleId + " version " + version;
                    assertEquals(offset, AlertIds.triggeringOffset(id), what);
                    assertEquals(ruleId, AlertIds.ruleId(id), what);
                    assertEquals(version, AlertIds.ruleVersion(id), what);
                    assertTrue(id >= 0, "alert id non-negative for " + what);
                    assertTrue(ids.add(id), "distinct for " + what);
                }
            }
        }
    }

    @Test
    void zeroInputsGiveZeroId()
    {
        assertEquals(0L, AlertIds.alertId(0, 0, 0));
    }

    @Test
    void fieldsDoNotBleedIntoEachOther()
    {
        final long allOnes = AlertIds.alertId(AlertIds.MAX_RULE_ID, AlertIds.MAX_RULE_VERSION, AlertIds.MAX_OFFSET);
        assertEquals(AlertIds.MAX_OFFSET, AlertIds.triggeringOffset(AlertIds.alertId(0, 0, AlertIds.MAX_OFFSET)));
        assertEquals(0, AlertIds.ruleId(AlertIds.alertId(0, AlertIds.MAX_RULE_VERSION, AlertIds.MAX_OFFSET)));
        assertEquals(0, AlertIds.ruleVersion(AlertIds.alertId(AlertIds.MAX_RULE_ID, 0, AlertIds.MAX_OFFSET)));
        assertEquals(0, AlertIds.triggeringOffset(AlertIds.alertId(AlertIds.MAX_RULE_ID, AlertIds.MAX_RULE_VERSION, 0)));
        assertEquals(AlertIds.MAX_RULE_ID, AlertIds.ruleId(allOnes));
        assertEquals(AlertIds.MAX_RULE_VERSION, AlertIds.ruleVersion(allOnes));
    }

    @Test
    void distinctInputsGiveDistinctIdsAndRoundTrip()
    {
        final Random random = new Random(0xA1E27L);
        final LongHashSet inputs = new LongHashSet();
        final LongHashSet ids = new LongHashSet();
        for (int i = 0; i < 200_000; i++)
        {
            final int ruleId = random.nextInt(AlertIds.MAX_RULE_ID + 1);
            final int version = random.nextInt(AlertIds.MAX_RULE_VERSION + 1);
            // half the offsets small and dense, as a young journal's are; half anywhere in range
            final long offset = random.nextBoolean() ?
                random.nextInt(5_000) : (random.nextLong() & Long.MAX_VALUE) % (AlertIds.MAX_OFFSET + 1);

            final long id = AlertIds.alertId(ruleId, version, offset);
            assertEquals(offset, AlertIds.triggeringOffset(id));
            assertEquals(ruleId, AlertIds.ruleId(id));
            assertEquals(version, AlertIds.ruleVersion(id));

            // a new (ruleId, version, offset) gives a new id; a repeated one gives the same id again
            final boolean newInput = inputs.add(key(ruleId, version, offset));
            final boolean newId = ids.add(id);
            assertEquals(newInput, newId, "rule " + ruleId + " version " + version + " offset " + offset);
        }
        assertEquals(inputs.size(), ids.size());
    }

    private static long key(final int ruleId, final int version, final long offset)
    {
        // independent of the code under test: offset below 2^47 leaves 16 bits, mixed differently
        return offset * 65_536L + (long)version * 1024L + ruleId;
    }
}
