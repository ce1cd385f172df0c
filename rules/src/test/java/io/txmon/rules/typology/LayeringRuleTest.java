package io.txmon.rules.typology;

import io.txmon.events.codec.Severity;
import io.txmon.rules.AlertRecord;
import io.txmon.rules.Rule;
import io.txmon.rules.RuleContext;
import io.txmon.rules.state.StateException;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static io.txmon.rules.typology.GeoMarketHarness.*;
import static io.txmon.rules.typology.RuleStateSupport.*;
import static org.junit.jupiter.api.Assertions.*;

class LayeringRuleTest
{
    private static final int BUY = 0;
    private static final int SELL = 1;
    private static final int NEW = 0;
    private static final int CANCEL = 2;
    private static final long INSTRUMENT = 42;

    /** n buy orders at distinct prices placed from start, 100 ms apart, then cancelled; alerts on the last cancel. */
    private static int layer(final GeoMarketHarness h, final long account, final long start, final int n, final long gap)
    {
        for (int i = 0; i < n; i++)
        {
            assertEquals(0, h.order(start + i * gap, account, INSTRUMENT, 1000 + i, BUY, NEW, 100 + i, 10));
        }
        int last = 0;
        for (int i = 0; i < n; i++)
        {
            last = h.order(start + (n + i) * gap, account, INSTRUMENT, 1000 + i, BUY, CANCEL, 100 + i, 10);
            if (i < n - 1)
            {
                assertEquals(0, last, "cancel " + i);
            }
        }
        return last;
    }

    @Test
    void firesAtFiveDistinctLevelsSilentAtFour()
    {
        assertEquals(1, layer(new GeoMarketHarness(new LayeringRule()), 5, T0, 5, SECOND / 10));
        assertEquals(0, layer(new GeoMarketHarness(new LayeringRule()), 5, T0, 4, SECOND / 10));
    }

    @Test
    void samePriceLevelsCountOnce()
    {
        final GeoMarketHarness h = new GeoMarketHarness(new LayeringRule());
        for (int i = 0; i < 6; i++)
        {
            h.order(T0 + i, 5, INSTRUMENT, i, BUY, NEW, 100 + i % 3, 10);
        }
        for (int i = 0; i < 6; i++)
        {
            assertEquals(0, h.order(T0 + 10 + i, 5, INSTRUMENT, i, BUY, CANCEL, 0, 10), "3 levels only");
        }
    }

    @Test
    void windowBoundary()
    {
        assertEquals(1, lastCancelAt(T0 + 10 * SECOND), "first new exactly 10 s before the last cancel");
        assertEquals(0, lastCancelAt(T0 + 10 * SECOND + 1), "1 ns later the first falls out");
    }

    private static int lastCancelAt(final long time)
    {
        final GeoMarketHarness h = new GeoMarketHarness(new LayeringRule());
        h.order(T0, 5, INSTRUMENT, 1, BUY, NEW, 100, 10);
        for (int i = 2; i <= 5; i++)
        {
            h.order(T0 + SECOND, 5, INSTRUMENT, i, BUY, NEW, 100 + i, 10);
        }
        h.order(T0 + 2 * SECOND, 5, INSTRUMENT, 1, BUY, CANCEL, 100, 10);
        for (int i = 2; i <= 4; i++)
        {
            assertEquals(0, h.order(T0 + 2 * SECOND, 5, INSTRUMENT, i, BUY, CANCEL, 100 + i, 10));
        }
        return h.order(time, 5, INSTRUMENT, 5, BUY, CANCEL, 105, 10);
    }

    @Test
    void keyedBySideInstrumentAndAccount()
    {
        final GeoMarketHarness h = new GeoMarketHarness(new LayeringRule());
        for (int i = 0; i < 5; i++)
        {
            final int side = i == 4 ? SELL : BUY;
            final long instrument = i == 3 ? INSTRUMENT + 1 : INSTRUMENT;
            final long account = i == 2 ? 6 : 5;
            h.order(T0 + i, account, instrument, i, side, NEW, 100 + i, 10);
            assertEquals(0, h.order(T0 + 10 + i, account, instrument, i, side, CANCEL, 100 + i, 10));
        }
        assertEquals(0, h.order(T0 + 20, 5, INSTRUMENT, 99, BUY, CANCEL, 0, 10), "unknown order");
    }

    @Test
    void alertCarriesEvidenceAndConsumesTheOrders()
    {
        final GeoMarketHarness h = new GeoMarketHarness(new LayeringRule());
        final long firstNew = h.nextOffset();
        assertEquals(1, layer(h, 5, T0, 5, 1_000_000L));
        final AlertRecord alert = h.alert();
        assertEquals(LayeringRule.ID, alert.ruleId());
        assertEquals(5, alert.account());
        assertEquals(600, alert.score());
        assertEquals(10, alert.evidenceCount());
        assertEquals(firstNew + 9, alert.evidence(0), "triggering cancel first");
        assertEquals(firstNew, alert.evidence(1));
        assertEquals(firstNew + 5, alert.evidence(2));
        final String reason = alert.reason().toString();
        assertTrue(reason.contains("placed and cancelled 5 buy orders at 5 distinct price levels on instrument 42"),
            reason);
        // one more order and cancel does not re-fire on the consumed ones
        h.order(T0 + SECOND, 5, INSTRUMENT, 77, BUY, NEW, 200, 10);
        assertEquals(0, h.order(T0 + SECOND, 5, INSTRUMENT, 77, BUY, CANCEL, 200, 10));
    }

    @Test
    void ringIsBoundedAndValidated()
    {
        final LayeringRule rule = new LayeringRule(2, SECOND, 2, Severity.LOW);
        final GeoMarketHarness h = new GeoMarketHarness(rule);
        for (int i = 0; i < 5; i++)
        {
            h.order(T0 + i, 5, INSTRUMENT, i, BUY, NEW, 100 + i, 10);
        }
        assertEquals(3, rule.droppedOrders());
        assertThrows(IllegalArgumentException.class, () -> new LayeringRule(1, SECOND, 2, Severity.LOW));
        assertThrows(IllegalArgumentException.class, () -> new LayeringRule(2, 0, 2, Severity.LOW));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new LayeringRule(5, SECOND, 4, Severity.LOW))
            .getMessage().contains("capacity"));
    }

    @Test
    void onlyTheAccountsWorkerRaises()
    {
        final GeoMarketHarness h = new GeoMarketHarness(2, LayeringRule::new);
        for (long account = 1; account <= 40; account++)
        {
            assertEquals(1, layer(h, account, T0, 5, 1_000L));
            assertEquals(RuleContext.partition(account, 2), h.raisedBy());
            assertEquals(account, h.alert().account());
        }
    }

    @Test
    void steadyStateAllocatesNothing()
    {
        final GeoMarketHarness h = new GeoMarketHarness(new LayeringRule());
        assertSteadyStateAllocationFree(i ->
        {
            final long account = (i / 10) % 100;
            final int k = i % 10;
            final long orderId = (i / 10) * 5L + (k % 5);
            h.order(T0 + i * 1_000_000L, account, INSTRUMENT, orderId, BUY, k < 5 ? NEW : CANCEL, 100 + k % 5, 10);
        });
    }

    @Test
    void parametersRejectInvalidValuesNamingTheRuleAndParameter()
    {
        assertEquals("layering minOrders must be 2 or more, was 1", assertThrows(IllegalArgumentException.class,
            () -> new LayeringRule.Parameters(1, SECOND, 2, Severity.LOW)).getMessage());
        assertEquals("layering windowNanos must be positive, was 0", assertThrows(IllegalArgumentException.class,
            () -> new LayeringRule.Parameters(2, 0, 2, Severity.LOW)).getMessage());
        assertEquals("layering capacity must be minOrders 5 to 4096, was 4",
            assertThrows(IllegalArgumentException.class,
                () -> new LayeringRule.Parameters(5, SECOND, 4, Severity.LOW)).getMessage());
        assertEquals("layering severity must be set, was null", assertThrows(IllegalArgumentException.class,
            () -> new LayeringRule.Parameters(2, SECOND, 2, null)).getMessage());
    }

    @Test
    void defaultParametersBehaveAsTheDefaultConstructor()
    {
        final LayeringRule.Parameters defaults = LayeringRule.Parameters.DEFAULTS;
        assertEquals(LayeringRule.DEFAULT_MIN_ORDERS, defaults.minOrders());
        assertEquals(LayeringRule.DEFAULT_WINDOW_NS, defaults.windowNanos());
        assertEquals(LayeringRule.DEFAULT_CAPACITY, defaults.capacity());
        assertEquals(Severity.HIGH, defaults.severity());
        assertEquals(defaults, new LayeringRule().parameters());

        final GeoMarketHarness h = new GeoMarketHarness(new LayeringRule(defaults));
        assertEquals(1, layer(h, 5, T0, 5, SECOND / 10));
        assertEquals(Severity.HIGH, h.alert().severity());
        assertEquals(0, layer(new GeoMarketHarness(new LayeringRule(defaults)), 5, T0, 4, SECOND / 10));
    }

    @Test
    void declaresTheTemplatesItReadsAndSnapshots()
    {
        final LayeringRule rule = new LayeringRule();
        assertEquals(Rule.ORDER, rule.templates());
        assertTrue(rule.snapshots());
        assertArrayEquals(new byte[4], stateOf(rule), "no account: a count of 0");
    }

    private static LayeringRule smallRing()
    {
        return new LayeringRule(3, 10 * SECOND, 4, Severity.HIGH);
    }

    /**
     * A ring of 4, wrapped: buy orders 1 to 6 placed a second apart at prices 101 to 106 (offsets 100 to 105) leave
     * 5, 6, 3 and 4 in slots 0 to 3; 5 and 6 are cancelled (offsets 106, 107): two levels, one short.
     */
    private static GeoMarketHarness wrappedRing()
    {
        final GeoMarketHarness h = new GeoMarketHarness(smallRing());
        for (int id = 1; id <= 6; id++)
        {
            h.order(T0 + id * SECOND, 5, INSTRUMENT, id, BUY, NEW, 100 + id, 10);
        }
        assertEquals(0, h.order(T0 + 7 * SECOND, 5, INSTRUMENT, 5, BUY, CANCEL, 0, 10));
        assertEquals(0, h.order(T0 + 8 * SECOND, 5, INSTRUMENT, 6, BUY, CANCEL, 0, 10));
        return h;
    }

    @Test
    void wrappedRingSurvivesASnapshotAndListsEvidenceInSlotOrder()
    {
        final GeoMarketHarness h = wrappedRing();
        final GeoMarketHarness r = restored(h, smallRing());

        // order 3's new is exactly a window before its cancel: the third level
        final String alert = same(h, r, x -> x.order(T0 + 13 * SECOND, 5, INSTRUMENT, 3, BUY, CANCEL, 0, 10));
        assertTrue(alert.startsWith("600 [108,104,106,105,107,102,] "), "slot order, not arrival order: " + alert);
        assertTrue(alert.endsWith("placed and cancelled 3 buy orders at 3 distinct price levels on instrument 42 " +
            "within 10000 ms"), alert);
        assertEquals("none", same(h, r, x -> x.order(T0 + 13 * SECOND, 5, INSTRUMENT, 4, BUY, CANCEL, 0, 10)),
            "the others were consumed by the alert");

        // three new orders take slots 2, 3 and 0 in both rings, pushing out 3, 4 and 5; cancelled, they alert
        for (int id = 7; id <= 9; id++)
        {
            final int order = id;
            assertEquals("none", same(h, r, x -> x.order(T0 + 14 * SECOND, 5, INSTRUMENT, order, BUY, NEW, order, 10)));
        }
        assertEquals("none", same(h, r, x -> x.order(T0 + 15 * SECOND, 5, INSTRUMENT, 7, BUY, CANCEL, 0, 10)));
        assertEquals("none", same(h, r, x -> x.order(T0 + 15 * SECOND, 5, INSTRUMENT, 8, BUY, CANCEL, 0, 10)));
        assertTrue(same(h, r, x -> x.order(T0 + 15 * SECOND, 5, INSTRUMENT, 9, BUY, CANCEL, 0, 10))
            .startsWith("600 [115,112,110,113,111,114,] "), "orders placed after the snapshot, in slots 0, 2 and 3");
    }

    @Test
    void aNanosecondPastTheWindowIsOneLevelShortAfterASnapshotToo()
    {
        final GeoMarketHarness h = wrappedRing();
        final GeoMarketHarness r = restored(h, smallRing());
        assertEquals("none", same(h, r, x -> x.order(T0 + 13 * SECOND + 1, 5, INSTRUMENT, 3, BUY, CANCEL, 0, 10)));
    }

    @Test
    void truncatedOrOutOfRangeStateIsRefused()
    {
        final byte[] bytes = stateOf(wrappedRing().rules[0]);
        assertEquals(4 + 8 + 8 + 4 * 53, bytes.length, "4 slots written");
        assertHostileBytesRefused(bytes, LayeringRuleTest::smallRing, h ->
        {
            for (int id = 1; id <= 8; id++)
            {
                h.order(T0 + 13 * SECOND, 5, INSTRUMENT, id, BUY, CANCEL, 0, 10);
                h.order(T0 + 13 * SECOND, 5, INSTRUMENT, 10 + id, BUY, NEW, id, 10);
            }
        });

        final StateException slots = assertThrows(StateException.class,
            () -> read(smallRing(), withInt(bytes, 12, 5), bytes.length));
        assertTrue(slots.getMessage().contains("slots written 5 at 12 is outside 0 to 4"), slots.getMessage());
        assertThrows(StateException.class, () -> read(smallRing(), withInt(bytes, 16, 4), bytes.length),
            "next slot beyond the ring");
        assertThrows(StateException.class, () -> read(smallRing(), withInt(bytes, 12, 2), bytes.length),
            "a ring not full whose next slot is not the first unwritten");
        assertThrows(StateException.class, () -> read(smallRing(), withInt(bytes, 0, -1), bytes.length));
    }

    /**
     * Account 5 places five buy orders at distinct prices and cancels four; then {@code others} other accounts
     * place an order; then 5 cancels the fifth. The store holds two accounts, so two others evict 5.
     */
    private static int lastCancelAfterOthersOrdered(final int others)
    {
        final CappedWorker w = new CappedWorker(2, new LayeringRule());
        for (int i = 0; i < 5; i++)
        {
            assertEquals(0, order(w, T0 + i, 5, INSTRUMENT, 1000 + i, BUY, NEW, 100 + i, 10));
        }
        for (int i = 0; i < 4; i++)
        {
            assertEquals(0, order(w, T0 + 5 + i, 5, INSTRUMENT, 1000 + i, BUY, CANCEL, 100 + i, 10));
        }
        for (int i = 0; i < others; i++)
        {
            assertEquals(0, order(w, T0 + 10, 6 + i, INSTRUMENT, 2000 + i, BUY, NEW, 100, 10));
        }
        assertEquals(others < 2 ? 0 : 1, w.rules.accounts().capEvictions(), "account 5 evicted by the second other");
        return order(w, T0 + 11, 5, INSTRUMENT, 1004, BUY, CANCEL, 104, 10);
    }

    @Test
    void forgetsAnAccountsOrdersWhenTheStoreEvictsIt()
    {
        assertEquals(1, lastCancelAfterOthersOrdered(1), "both accounts held: the fifth level alerts");
        assertEquals(0, lastCancelAfterOthersOrdered(2), "account 5 evicted: its orders are forgotten");
    }

    /**
     * An account's ring recycled from an evicted account, whatever that one held, decides and is written as a new
     * one. One worker's account 1 takes random orders; then accounts 2 and 3 take the same random orders there and
     * on a worker that never saw 1: 3 evicts 1 and takes its ring, reset. Both rules must raise the same alerts and
     * write the same state at every step, and drop as many orders.
     */
    @Test
    void aRecycledAccountRingIsANewOne()
    {
        RecycledStateCheck.assertRecycledAccountIsNew(21, (random) ->
        {
            final int minOrders = 2 + random.nextInt(3);
            final int capacity = minOrders + random.nextInt(30);
            return () -> new LayeringRule(minOrders, 10 * SECOND, capacity, Severity.HIGH);
        }, LayeringRuleTest::randomOrder, LayeringRule::droppedOrders);
    }

    /**
     * A random order of the account, a quarter of a second per step on, give or take two seconds: new (always
     * in the first two steps), cancel or amend of one of 16 order ids, on either side of one of two instruments,
     * at one of six prices, so that some cancels alert.
     */
    private static int randomOrder(final CappedWorker w, final long account, final int step, final Random random)
    {
        final long time = T0 + step * (SECOND / 4) + random.nextInt(4_000) * 1_000_000L;
        final int kind = random.nextInt(10);
        final int action = step < 2 || kind < 5 ? NEW : kind < 9 ? CANCEL : 1;
        return order(w, time, account, 1 + random.nextInt(2), random.nextInt(16), random.nextInt(2), action,
            100 + random.nextInt(6), 10);
    }
}
