package io.txmon.rules.typology;

import io.txmon.events.codec.Severity;
import io.txmon.rules.AlertRecord;
import io.txmon.rules.Rule;
import io.txmon.rules.TxEvent;
import io.txmon.rules.state.StateReader;
import io.txmon.rules.state.StateWriter;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

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
 * ({@link CycleRuleReference}, one ring object per debtor), with the same truncated-search and dropped-edge
 * counts, on random payment streams dense in cycles, with equal and late event times, small rings and work caps
 * that are hit often, one or two workers, restored from a snapshot halfway or not; and with an account capacity it
 * evicts exactly the accounts the reference's least-recently-active order evicts.
 */
class CycleRuleEquivalenceTest
{
    private static final long DAY = 86_400 * SECOND;
    private static final int NONE = CycleRule.DEFAULT_ACCOUNT_CAPACITY;

    static Stream<Arguments> parameterSets()
    {
        // maxHops, minHops, window, edgesPerAccount, maxExplored, accountCapacity, workers, accounts, cut, least
        // alerts, whether the work cap is hit
        return Stream.of(
            Arguments.of(4, 3, 7 * DAY, 16, 256, NONE, 1, 40, 0, 100, true),
            Arguments.of(4, 3, 7 * DAY, 16, 256, NONE, 2, 40, 0, 100, true),
            Arguments.of(4, 3, 7 * DAY, 16, 256, NONE, 2, 40, 17_123, 100, true),
            Arguments.of(5, 2, 30 * SECOND, 3, 20, NONE, 1, 25, 0, 100, true),
            Arguments.of(3, 3, 10 * SECOND, 2, 2, NONE, 2, 15, 25_000, 100, true),
            Arguments.of(6, 4, 60 * SECOND, 7, 64, NONE, 1, 30, 9_999, 100, true),
            Arguments.of(16, 2, DAY, 4096, 1 << 12, NONE, 1, 12, 0, 100, true),
            Arguments.of(4, 3, 7 * DAY, 10, 300, NONE, 1, 30, 30_001, 100, true),
            Arguments.of(4, 3, 7 * DAY, 1, 256, NONE, 1, 20, 0, 100, false),
            Arguments.of(4, 3, 60 * SECOND, 16, 256, 25, 1, 40, 0, 50, false),
            Arguments.of(4, 3, 60 * SECOND, 16, 256, 25, 2, 40, 20_000, 50, false),
            Arguments.of(5, 3, DAY, 8, 128, 3_000, 1, 4_000, 12_345, 1, true));
    }

    @ParameterizedTest
    @MethodSource("parameterSets")
    void sameAlertsAndCountersAsTheRingPerAccountRule(
        final int maxHops, final int minHops, final long window, final int edges, final int explored,
        final int capacity, final int workers, final int accounts, final int cut, final int leastAlerts,
        final boolean capHit)
    {
        final CycleRule.Parameters p = new CycleRule.Parameters(
            maxHops, minHops, window, edges, explored, capacity, Severity.MEDIUM);
        final List<CycleRule> flat = new ArrayList<>();
        final List<CycleRuleReference> rings = new ArrayList<>();
        GeoMarketHarness actual = new GeoMarketHarness(workers, () -> add(flat, new CycleRule(p)));
        final GeoMarketHarness expected = new GeoMarketHarness(workers, () -> add(rings, new CycleRuleReference(
            maxHops, minHops, window, edges, explored, capacity, Severity.MEDIUM)));

        final List<String> expectedAlerts = new ArrayList<>();
        final List<String> actualAlerts = new ArrayList<>();
        final Random random = new Random(maxHops * 31L + edges * 7L + explored + workers + capacity + cut);
        long time = T0;
        for (int i = 0; i < 40_000; i++)
        {
            if (cut > 0 && i == cut)
            {
                final List<CycleRule> before = new ArrayList<>(flat.subList(flat.size() - workers, flat.size()));
                int w = 0;
                final CycleRule[] restored = new CycleRule[workers];
                for (final CycleRule rule : before)
                {
                    restored[w++] = restore(rule, new CycleRule(p));
                }
                final int[] next = { 0 };
                actual = new GeoMarketHarness(workers, () -> add(flat, restored[next[0]++]));
            }
            time += random.nextInt(4) == 0 ? 0 : random.nextInt((int)Math.min(window / 8, Integer.MAX_VALUE));
            final long at = random.nextInt(50) == 0 ? time - random.nextLong(window * 2) : time;   // late
            final long debtor = 1 + random.nextInt(accounts);
            final long creditor = 1 + random.nextInt(accounts);
            collect(expected, pay(expected, i, at, debtor, creditor, 1 + i), i, expectedAlerts);
            collect(actual, pay(actual, i, at, debtor, creditor, 1 + i), i, actualAlerts);
        }
        assertTrue(expectedAlerts.size() >= leastAlerts, "the stream closes cycles: " + expectedAlerts.size());
        assertEquals(expectedAlerts.size(), actualAlerts.size(), "number of alerts");
        for (int i = 0; i < expectedAlerts.size(); i++)
        {
            assertEquals(expectedAlerts.get(i), actualAlerts.get(i), "alert " + i);
        }

        // counters are monitoring only and start again in a restored rule: sum them over the instances
        for (int w = 0; w < workers; w++)
        {
            long truncated = 0;
            long dropped = 0;
            long evicted = 0;
            for (int i = w; i < flat.size(); i += workers)
            {
                truncated += flat.get(i).truncatedSearches();
                dropped += flat.get(i).droppedEdges();
                evicted += flat.get(i).evictedAccounts();
            }
            assertEquals(rings.get(w).truncatedSearches(), truncated, "truncated, worker " + w);
            assertEquals(rings.get(w).droppedEdges(), dropped, "dropped, worker " + w);
            assertEquals(rings.get(w).evictedAccounts(), evicted, "evicted, worker " + w);
            assertEquals(rings.get(w).accounts(), flat.get(flat.size() - workers + w).accounts(), "accounts held");
            if (0 == cut)
            {
                assertEquals(rings.get(w).evictedRecentAccounts(), flat.get(w).evictedRecentAccounts());
            }
        }
        if (capacity < accounts)
        {
            assertTrue(rings.get(0).evictedAccounts() > 0, "the capacity is reached");
        }
        assertEquals(capHit, rings.get(0).truncatedSearches() > 0, "the work cap is hit");
    }

    @Test
    void theDebtorIdleLongestIsEvictedFirst()
    {
        final CycleRule rule = new CycleRule(new CycleRule.Parameters(4, 3, DAY, 16, 256, 3, Severity.HIGH));
        final GeoMarketHarness h = new GeoMarketHarness(rule);
        h.payment(T0, 1, 2, 1);
        h.payment(T0 + 1, 2, 3, 1);
        h.payment(T0 + 2, 5, 6, 1);
        h.payment(T0 + 3, 1, 7, 1);                            // 1 active again: 2 is now the idlest debtor
        h.payment(T0 + 4, 8, 9, 1);                            // a fourth debtor evicts 2
        assertEquals(1, rule.evictedAccounts());
        assertEquals(1, rule.evictedRecentAccounts(), "2 paid within the window");
        assertEquals(3, rule.accounts());
        assertEquals(0, h.payment(T0 + 5, 3, 1, 1), "the path 1 -> 2 -> 3 went with debtor 2");
        // 3 is now a debtor too, and 5 (idle since T0 + 2) made way for it
        assertEquals(2, rule.evictedAccounts());
        h.payment(T0 + 6, 7, 10, 1);                           // evicts 1 (idle since T0 + 3)
        assertEquals(3, rule.evictedAccounts());
        assertEquals(0, h.payment(T0 + 7, 10, 1, 1), "1's payment to 7 went with debtor 1");
    }

    @Test
    void accountsWithNothingInTheWindowMakeWayWithoutCountingAsRecent()
    {
        final CycleRule rule = new CycleRule(new CycleRule.Parameters(4, 3, 10 * SECOND, 16, 256, 8, Severity.HIGH));
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
    void accountCapacityIsValidatedWithTheEdgesPerAccount()
    {
        final long w = DAY;
        assertEquals("cycle accountCapacity must be 1 to 16777216, was 0", assertThrows(
            IllegalArgumentException.class,
            () -> new CycleRule.Parameters(4, 3, w, 16, 256, 0, Severity.LOW)).getMessage());
        assertEquals("cycle accountCapacity must be 1 to 16777216, was 16777217", assertThrows(
            IllegalArgumentException.class,
            () -> new CycleRule.Parameters(4, 3, w, 16, 256, (1 << 24) + 1, Severity.LOW)).getMessage());
        assertEquals("cycle accountCapacity x edgesPerAccount must be at most 1073741824, was 16777216 x 4096;" +
            " lower either", assertThrows(IllegalArgumentException.class,
            () -> new CycleRule.Parameters(4, 3, w, 4096, 256, 1 << 24, Severity.LOW)).getMessage());
        assertEquals(CycleRule.DEFAULT_ACCOUNT_CAPACITY,
            new CycleRule.Parameters(4, 3, w, 16, 256, Severity.LOW).accountCapacity());
        assertEquals(1 << 18, CycleRule.Parameters.DEFAULTS.accountCapacity());
    }

    @Test
    void steadyStateWithEvictionAndGrowingRingsAllocatesNothing()
    {
        final CycleRule rule = new CycleRule(new CycleRule.Parameters(4, 3, 100 * SECOND, 16, 256, 64, Severity.HIGH));
        final GeoMarketHarness h = new GeoMarketHarness(rule);
        assertSteadyStateAllocationFree(i -> h.payment(T0 + i * SECOND, i % 300, (i * 7 + 1) % 300, 100));
        assertTrue(rule.evictedAccounts() > 0);
    }

    private static CycleRule restore(final Rule from, final CycleRule into)
    {
        final StateWriter writer = new StateWriter(16);
        from.writeState(writer);
        final StateReader reader = new StateReader().wrap(
            new UnsafeBuffer(writer.buffer().byteArray(), 0, writer.position()), 0, writer.position(), "cycle");
        into.readState(reader);
        reader.requireEnd();
        return into;
    }

    private static int pay(
        final GeoMarketHarness h, final long offset, final long time, final long debtor, final long creditor,
        final long amount)
    {
        final TxEvent e = h.paymentEvent(time, debtor, creditor, amount);
        e.offset = offset;
        e.txId = 5_000_000 + offset;
        return h.run();
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
