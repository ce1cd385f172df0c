package io.txmon.rules.typology;

import io.txmon.events.codec.Severity;
import io.txmon.rules.AlertRecord;
import io.txmon.rules.Rule;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static io.txmon.rules.typology.AmlNetworkTestSupport.evidence;
import static io.txmon.rules.typology.GeoMarketHarness.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * {@link CycleRule} on its flat edge store raises exactly the alerts of the rule it replaced
 * ({@link CycleRuleReference}, one ring object per debtor), with the same search and drop counts, on random
 * payment streams dense in cycles, with late and equal event times, small rings and search bounds that are hit
 * often, and one or two workers; and it departs from it only when its account capacity is hit, which it counts.
 */
class CycleRuleEquivalenceTest
{
    private static final long DAY = 86_400 * SECOND;

    static Stream<Arguments> parameterSets()
    {
        return Stream.of(
            Arguments.of(4, 3, 7 * DAY, 16, 256, 1, 40),
            Arguments.of(4, 3, 7 * DAY, 16, 256, 2, 40),
            Arguments.of(5, 2, 30 * SECOND, 3, 20, 1, 25),
            Arguments.of(3, 3, 10 * SECOND, 2, 2, 2, 15),
            Arguments.of(6, 4, 60 * SECOND, 7, 64, 1, 30),
            Arguments.of(16, 2, DAY, 4096, 1 << 20, 1, 12));
    }

    @ParameterizedTest
    @MethodSource("parameterSets")
    void sameAlertsAndCountersAsTheRingPerAccountRule(
        final int maxHops, final int minHops, final long window, final int edges, final int explored,
        final int workers, final int accounts)
    {
        final CycleRule.Parameters p = new CycleRule.Parameters(
            maxHops, minHops, window, edges, explored, Severity.MEDIUM);
        final List<CycleRule> flat = new ArrayList<>();
        final List<CycleRuleReference> rings = new ArrayList<>();
        final GeoMarketHarness actual = new GeoMarketHarness(workers, () -> add(flat, new CycleRule(p)));
        final GeoMarketHarness expected = new GeoMarketHarness(workers, () -> add(rings, new CycleRuleReference(
            maxHops, minHops, window, edges, explored, Severity.MEDIUM)));

        final List<String> expectedAlerts = new ArrayList<>();
        final List<String> actualAlerts = new ArrayList<>();
        final Random random = new Random(maxHops * 31L + edges * 7L + explored + workers);
        long time = T0;
        for (int i = 0; i < 40_000; i++)
        {
            time += random.nextInt(4) == 0 ? 0 : random.nextInt((int)Math.min(window / 8, Integer.MAX_VALUE));
            final long at = random.nextInt(50) == 0 ? time - random.nextLong(window * 2) : time;   // late
            final long debtor = 1 + random.nextInt(accounts);
            final long creditor = 1 + random.nextInt(accounts);
            collect(expected, expected.payment(at, debtor, creditor, 1 + i), i, expectedAlerts);
            collect(actual, actual.payment(at, debtor, creditor, 1 + i), i, actualAlerts);
        }
        assertTrue(expectedAlerts.size() >= 100, "the stream closes cycles: " + expectedAlerts.size());
        assertEquals(expectedAlerts.size(), actualAlerts.size(), "number of alerts");
        for (int i = 0; i < expectedAlerts.size(); i++)
        {
            assertEquals(expectedAlerts.get(i), actualAlerts.get(i), "alert " + i);
        }
        long truncated = 0;
        for (int w = 0; w < workers; w++)
        {
            assertEquals(rings.get(w).truncatedSearches(), flat.get(w).truncatedSearches(), "truncated, worker " + w);
            assertEquals(rings.get(w).droppedEdges(), flat.get(w).droppedEdges(), "dropped, worker " + w);
            assertEquals(0, flat.get(w).evictedAccounts());
            truncated += flat.get(w).truncatedSearches();
        }
        if (explored < 1 << 20)
        {
            assertTrue(truncated > 0, "the search bound is hit");
        }
    }

    @Test
    void accountsWithNothingInTheWindowAreEvictedFirstAndCyclesStillFound()
    {
        final CycleRule rule = new CycleRule(new CycleRule.Parameters(
            4, 3, 10 * SECOND, 16, 256, 8, Severity.HIGH));
        final GeoMarketHarness h = new GeoMarketHarness(rule);
        for (int a = 0; a < 8; a++)
        {
            h.payment(T0 + a, 100 + a, 200, 1);                 // 8 debtors fill the store
        }
        assertEquals(8, rule.accounts());
        final long later = T0 + 60 * SECOND;                   // all 8 now outside the window
        h.payment(later, 1, 2, 1);
        h.payment(later + 1, 2, 3, 1);
        assertEquals(1, h.payment(later + 2, 3, 1, 1), "the cycle is found in a full store");
        assertEquals(3, rule.evictedAccounts());
        assertEquals(0, rule.evictedRecentAccounts(), "only accounts with nothing in the window were evicted");
        assertEquals(8, rule.accounts());
    }

    @Test
    void evictingAnAccountStillInTheWindowIsCountedAndCanHideACycle()
    {
        final CycleRule rule = new CycleRule(new CycleRule.Parameters(
            4, 3, DAY, 16, 256, 2, Severity.HIGH));
        final GeoMarketHarness h = new GeoMarketHarness(rule);
        h.payment(T0, 1, 2, 1);
        h.payment(T0 + 1, 2, 3, 1);
        h.payment(T0 + 2, 4, 5, 1);                            // debtor 4 takes the slot of debtor 1
        assertEquals(0, h.payment(T0 + 3, 3, 1, 1), "the payment 1 -> 2 was evicted with its debtor");
        assertEquals(2, rule.evictedAccounts());
        assertEquals(2, rule.evictedRecentAccounts());
        assertEquals(2, rule.accounts());

        final GeoMarketHarness roomy = new GeoMarketHarness(new CycleRule(new CycleRule.Parameters(
            4, 3, DAY, 16, 256, 3, Severity.HIGH)));
        roomy.payment(T0, 1, 2, 1);
        roomy.payment(T0 + 1, 2, 3, 1);
        roomy.payment(T0 + 2, 4, 5, 1);
        assertEquals(1, roomy.payment(T0 + 3, 3, 1, 1), "with room for one more debtor the cycle is found");
    }

    @Test
    void accountCapacityIsValidatedWithTheEdgesPerAccount()
    {
        final long w = DAY;
        assertEquals("cycle accountCapacity must be 1 to 16777216, was 0", assertThrows(
            IllegalArgumentException.class,
            () -> new CycleRule.Parameters(4, 3, w, 16, 256, 0, Severity.LOW)).getMessage());
        assertEquals("cycle accountCapacity x edgesPerAccount must be at most 1073741824, was 16777216 x 4096;" +
            " lower either", assertThrows(IllegalArgumentException.class,
            () -> new CycleRule.Parameters(4, 3, w, 4096, 256, 1 << 24, Severity.LOW)).getMessage());
        assertEquals(CycleRule.DEFAULT_ACCOUNT_CAPACITY,
            new CycleRule.Parameters(4, 3, w, 16, 256, Severity.LOW).accountCapacity());
    }

    @Test
    void steadyStateWithEvictionAllocatesNothing()
    {
        final GeoMarketHarness h = new GeoMarketHarness(new CycleRule(new CycleRule.Parameters(
            4, 3, 100 * SECOND, 16, 256, 64, Severity.HIGH)));
        assertSteadyStateAllocationFree(i -> h.payment(T0 + i * SECOND, i % 300, (i * 7 + 1) % 300, 100));
    }

    private static <R extends Rule> R add(final List<? super R> list, final R rule)
    {
        list.add(rule);
        return rule;
    }

    private static void collect(final GeoMarketHarness h, final int raised, final int index, final List<String> out)
    {
        if (raised > 0)
        {
            final AlertRecord alert = h.alert();
            out.add(index + ": w" + h.raisedBy() + " " + alert.ruleId() + " " + alert.severity() + " " +
                alert.score() + " " + alert.account() + " " + alert.eventTime() + " " +
                Arrays.toString(evidence(alert)) + " " + alert.reason());
        }
    }
}
