package io.txmon.rules.typology;

import io.txmon.events.codec.ExecutionDecoder;
import io.txmon.events.codec.Severity;
import io.txmon.rules.AlertRecord;
import io.txmon.rules.Rule;
import io.txmon.rules.RuleContext;
import io.txmon.rules.state.StateException;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteOrder;
import java.util.Random;

import static io.txmon.rules.typology.GeoMarketHarness.*;
import static io.txmon.rules.typology.RuleStateSupport.*;
import static org.junit.jupiter.api.Assertions.*;

class ExcessiveCancelRuleTest
{
    private static final int NEW = 0;
    private static final int CANCEL = 2;
    private static final long HOUR = 3_600 * SECOND;
    private static final long MS = 1_000_000L;

    /** n new orders then n cancels, one per ms from the start time; returns alerts raised on the last cancel. */
    private static int newsThenCancels(final GeoMarketHarness h, final long account, final long start, final int n)
    {
        for (int i = 0; i < n; i++)
        {
            assertEquals(0, h.order(start + i * 1_000_000L, account, 7, i, 0, NEW, 100, 10));
        }
        int last = 0;
        for (int i = 0; i < n; i++)
        {
            last = h.order(start + (n + i) * 1_000_000L, account, 7, i, 0, CANCEL, 100, 10);
            if (i < n - 1)
            {
                assertEquals(0, last, "cancel " + i);
            }
        }
        return last;
    }

    @Test
    void firesAtTheRatioAndMinimumOrders()
    {
        // defaults: ratio 20, 50 order messages; 25 new + 25 cancels, 1 execution: 25 >= 20 and 50 >= 50
        final GeoMarketHarness h = new GeoMarketHarness(new ExcessiveCancelRule());
        h.execution(T0, 5, 6, 7, 1, 1);
        assertEquals(1, newsThenCancels(h, 5, T0, 25));
        assertEquals(5, h.alert().account());
    }

    @Test
    void silentJustBelowTheMinimumOrdersOrTheRatio()
    {
        final GeoMarketHarness fewOrders = new GeoMarketHarness(new ExcessiveCancelRule());
        assertEquals(0, newsThenCancels(fewOrders, 5, T0, 24), "48 order messages");

        final GeoMarketHarness lowRatio = new GeoMarketHarness(new ExcessiveCancelRule());
        lowRatio.execution(T0, 5, 6, 7, 1, 1);
        lowRatio.execution(T0, 5, 6, 7, 1, 1);
        assertEquals(0, newsThenCancels(lowRatio, 5, T0, 39), "39 cancels, 2 executions: under 40");
        assertEquals(1, lowRatio.order(T0 + HOUR / 2, 5, 7, 99, 0, CANCEL, 100, 10), "40th cancel");
    }

    @Test
    void eventsOutsideTheWindowDoNotCount()
    {
        final GeoMarketHarness h = new GeoMarketHarness(new ExcessiveCancelRule());
        // one new order exactly a window plus 1 ns before the last cancel falls out
        final long start = T0;
        h.order(start, 5, 7, 1000, 0, NEW, 100, 10);
        for (int i = 0; i < 24; i++)
        {
            h.order(start + HOUR - 100 * SECOND + i, 5, 7, i, 0, NEW, 100, 10);
        }
        for (int i = 0; i < 24; i++)
        {
            assertEquals(0, h.order(start + HOUR - 50 * SECOND + i, 5, 7, i, 0, CANCEL, 100, 10));
        }
        assertEquals(0, h.order(start + HOUR + 1, 5, 7, 1000, 0, CANCEL, 100, 10),
            "the first order is 1 ns outside the window: 49 messages");

        final GeoMarketHarness at = new GeoMarketHarness(new ExcessiveCancelRule());
        at.order(start, 5, 7, 1000, 0, NEW, 100, 10);
        for (int i = 0; i < 24; i++)
        {
            at.order(start + HOUR - 100 * SECOND + i, 5, 7, i, 0, NEW, 100, 10);
        }
        for (int i = 0; i < 24; i++)
        {
            at.order(start + HOUR - 50 * SECOND + i, 5, 7, i, 0, CANCEL, 100, 10);
        }
        assertEquals(1, at.order(start + HOUR, 5, 7, 1000, 0, CANCEL, 100, 10), "exactly at the window edge");
    }

    @Test
    void keyedPerAccountAlertsOncePerWindowWithEvidence()
    {
        final ExcessiveCancelRule rule = new ExcessiveCancelRule();
        final GeoMarketHarness h = new GeoMarketHarness(rule);
        newsThenCancels(h, 5, T0, 20);
        assertEquals(0, newsThenCancels(h, 6, T0 + SECOND, 5), "another account does not add up");
        final long firstCancel = h.nextOffset() + 5;
        final long lastCancel = firstCancel + 4;
        assertEquals(1, newsThenCancels(h, 5, T0 + 2 * SECOND, 5));
        final AlertRecord alert = h.alert();
        assertEquals(5, alert.account());
        assertEquals(500, alert.score());
        assertEquals(lastCancel, alert.evidence(0));
        assertEquals(lastCancel - 1, alert.evidence(1));
        assertEquals(25, alert.evidenceCount());
        final String reason = alert.reason().toString();
        assertTrue(reason.contains("cancelled 25 orders against 0 executions (50 order messages)"), reason);

        assertEquals(0, h.order(T0 + 3 * SECOND, 5, 7, 1, 0, CANCEL, 100, 10), "quiet after alerting");
        assertEquals(1, newsThenCancels(h, 5, T0 + 3 * HOUR, 25), "alerts again once the window has passed");
    }

    @Test
    void ringIsBoundedAndLateEventsCounted()
    {
        final ExcessiveCancelRule rule = new ExcessiveCancelRule(HOUR, 20, 50, 50, Severity.LOW);
        final GeoMarketHarness h = new GeoMarketHarness(rule);
        for (int i = 0; i < 60; i++)
        {
            h.order(T0 + i, 5, 7, i, 0, NEW, 100, 10);
        }
        assertEquals(10, rule.droppedEntries());
        h.order(T0, 5, 7, 1, 0, NEW, 100, 10);
        assertEquals(1, rule.lateEvents());
    }

    @Test
    void validatesParameters()
    {
        assertThrows(IllegalArgumentException.class, () -> new ExcessiveCancelRule(0, 20, 50, 512, Severity.LOW));
        assertThrows(IllegalArgumentException.class, () -> new ExcessiveCancelRule(HOUR, 0, 50, 512, Severity.LOW));
        assertThrows(IllegalArgumentException.class, () -> new ExcessiveCancelRule(HOUR, 20, 0, 512, Severity.LOW));
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> new ExcessiveCancelRule(HOUR, 20, 50, 49, Severity.LOW));
        assertTrue(ex.getMessage().contains("capacity"));
    }

    @Test
    void onlyTheAccountsWorkerRaises()
    {
        final GeoMarketHarness h = new GeoMarketHarness(2, ExcessiveCancelRule::new);
        for (long account = 1; account <= 20; account++)
        {
            assertEquals(1, newsThenCancels(h, account, T0, 25));
            assertEquals(RuleContext.partition(account, 2), h.raisedBy());
            assertEquals(account, h.alert().account());
        }
    }

    @Test
    void steadyStateAllocatesNothing()
    {
        final GeoMarketHarness h = new GeoMarketHarness(new ExcessiveCancelRule());
        assertSteadyStateAllocationFree(i ->
        {
            if (i % 50 == 0)
            {
                h.execution(T0 + i * 1_000_000L, i % 100, 1, 7, 0, 1);
            }
            else
            {
                h.order(T0 + i * 1_000_000L, i % 100, 7, i, 0, (i & 1) == 0 ? NEW : CANCEL, 100, 10);
            }
        });
    }

    @Test
    void parametersRejectInvalidValuesNamingTheRuleAndParameter()
    {
        assertEquals("excessive-cancels windowNanos must be positive, was 0",
            assertThrows(IllegalArgumentException.class,
                () -> new ExcessiveCancelRule.Parameters(0, 20, 50, 512, Severity.LOW)).getMessage());
        assertEquals("excessive-cancels ratio must be positive, was 0", assertThrows(IllegalArgumentException.class,
            () -> new ExcessiveCancelRule.Parameters(HOUR, 0, 50, 512, Severity.LOW)).getMessage());
        assertEquals("excessive-cancels minOrders must be positive, was 0", assertThrows(IllegalArgumentException.class,
            () -> new ExcessiveCancelRule.Parameters(HOUR, 20, 0, 512, Severity.LOW)).getMessage());
        assertEquals("excessive-cancels capacity must be minOrders 50 to 65536, was 49",
            assertThrows(IllegalArgumentException.class,
                () -> new ExcessiveCancelRule.Parameters(HOUR, 20, 50, 49, Severity.LOW)).getMessage());
        assertEquals("excessive-cancels severity must be set, was null", assertThrows(IllegalArgumentException.class,
            () -> new ExcessiveCancelRule.Parameters(HOUR, 20, 50, 512, null)).getMessage());
    }

    @Test
    void defaultParametersBehaveAsTheDefaultConstructor()
    {
        final ExcessiveCancelRule.Parameters defaults = ExcessiveCancelRule.Parameters.DEFAULTS;
        assertEquals(ExcessiveCancelRule.DEFAULT_WINDOW_NS, defaults.windowNanos());
        assertEquals(ExcessiveCancelRule.DEFAULT_RATIO, defaults.ratio());
        assertEquals(ExcessiveCancelRule.DEFAULT_MIN_ORDERS, defaults.minOrders());
        assertEquals(ExcessiveCancelRule.DEFAULT_CAPACITY, defaults.capacity());
        assertEquals(Severity.MEDIUM, defaults.severity());
        assertEquals(defaults, new ExcessiveCancelRule().parameters());

        final GeoMarketHarness h = new GeoMarketHarness(new ExcessiveCancelRule(defaults));
        h.execution(T0, 5, 6, 7, 1, 1);
        assertEquals(1, newsThenCancels(h, 5, T0, 25));
        assertEquals(Severity.MEDIUM, h.alert().severity());
        assertEquals(0, newsThenCancels(new GeoMarketHarness(new ExcessiveCancelRule(defaults)), 5, T0, 24));
    }

    @Test
    void declaresTheTemplatesItReadsAndSnapshots()
    {
        final ExcessiveCancelRule rule = new ExcessiveCancelRule();
        assertEquals(Rule.ORDER | Rule.EXECUTION, rule.templates());
        assertTrue(rule.snapshots());
        assertArrayEquals(new byte[4], stateOf(rule), "no account: a count of 0");
    }

    private static ExcessiveCancelRule smallWindow()
    {
        return new ExcessiveCancelRule(10 * SECOND, 2, 4, 8, Severity.MEDIUM);
    }

    /**
     * A ring of 8, wrapped: two executions (offsets 100, 101) then eight new orders 0 to 7 (102 to 109), one per ms,
     * push the executions out; cancelling order 0 (110) makes one cancel against max(0, 1) execution, one short of
     * the ratio of 2.
     */
    private static GeoMarketHarness oneCancelShort()
    {
        final GeoMarketHarness h = new GeoMarketHarness(smallWindow());
        h.execution(T0, 5, 6, 7, 1, 1);
        h.execution(T0 + MS, 5, 6, 7, 1, 1);
        for (int i = 0; i < 8; i++)
        {
            h.order(T0 + (2 + i) * MS, 5, 7, i, 0, NEW, 100, 10);
        }
        assertEquals(0, h.order(T0 + 10 * MS, 5, 7, 0, 0, CANCEL, 100, 10));
        return h;
    }

    @Test
    void windowCountsAndQuietTimeSurviveASnapshot()
    {
        final GeoMarketHarness h = oneCancelShort();
        final GeoMarketHarness r = restored(h, smallWindow());

        final String alert = same(h, r, x -> x.order(T0 + 11 * MS, 5, 7, 1, 0, CANCEL, 100, 10));
        assertEquals("500 [111,110,] account 5 cancelled 2 orders against 0 executions (8 order messages) within " +
            "10 s, at or above the ratio of 2 cancels per execution", alert);
        assertEquals("none", same(h, r, x -> x.order(T0 + 12 * MS, 5, 7, 2, 0, CANCEL, 100, 10)), "quiet");
        same(h, r, x -> x.execution(T0 + 13 * MS, 5, 6, 7, 1, 1));
        for (int i = 10; i < 14; i++)
        {
            final int order = i;
            same(h, r, x -> x.order(T0 + 9 * SECOND + order * MS, 5, 7, order, 0, NEW, 100, 10));
        }
        final long quietUntil = T0 + 11 * MS + 10 * SECOND;
        assertEquals("none", same(h, r, x -> x.order(quietUntil - 1, 5, 7, 10, 0, CANCEL, 100, 10)),
            "quiet to the last ns");
        assertEquals("500 [119,118,112,] account 5 cancelled 3 orders against 1 executions (7 order messages) " +
            "within 10 s, at or above the ratio of 2 cancels per execution",
            same(h, r, x -> x.order(quietUntil, 5, 7, 11, 0, CANCEL, 100, 10)), "quiet time over");
    }

    @Test
    void truncatedOrOutOfRangeStateIsRefused()
    {
        final byte[] bytes = stateOf(oneCancelShort().rules[0]);
        assertEquals(4 + 8 + 8 + 4 + 8 * 17, bytes.length, "8 entries");
        assertHostileBytesRefused(bytes, ExcessiveCancelRuleTest::smallWindow, h ->
        {
            for (int i = 1; i < 10; i++)
            {
                h.order(T0 + (10 + i) * MS, 5, 7, i, 0, CANCEL, 100, 10);
                h.execution(T0 + (10 + i) * MS, 5, 6, 7, 1, 1);
            }
        });

        final StateException entries = assertThrows(StateException.class,
            () -> read(smallWindow(), withInt(bytes, 20, 9), bytes.length));
        assertTrue(entries.getMessage().contains("window entries 9 at 20 is outside 0 to 8"), entries.getMessage());
        assertThrows(StateException.class, () -> read(smallWindow(), withInt(bytes, 0, 2), bytes.length));

        final byte[] badKind = bytes.clone();
        badKind[24 + 16] = 3;
        final StateException kind = assertThrows(StateException.class,
            () -> read(smallWindow(), badKind, bytes.length));
        assertTrue(kind.getMessage().contains("kind is not 0, 1 or 2"), kind.getMessage());

        // the first entry's offset is at 24 + 8; the kind is packed above the bits of a journal offset
        for (final long offset : new long[] { -1, Long.MIN_VALUE, 1L << 62, Long.MAX_VALUE })
        {
            final StateException notAnOffset = assertThrows(StateException.class,
                () -> read(smallWindow(), withLong(bytes, 24 + 8, offset), bytes.length), "offset " + offset);
            assertTrue(notAnOffset.getMessage().contains("offset is not a journal offset"), notAnOffset.getMessage());
        }
        final ExcessiveCancelRule largest = smallWindow();
        read(largest, withLong(bytes, 24 + 8, (1L << 62) - 1), bytes.length);
        assertArrayEquals(withLong(bytes, 24 + 8, (1L << 62) - 1), stateOf(largest), "the largest offset is kept");

        final UnsafeBuffer backwards = new UnsafeBuffer(bytes.clone());
        backwards.putLong(24 + 17, T0, ByteOrder.LITTLE_ENDIAN);
        backwards.putLong(24, T0 + 1, ByteOrder.LITTLE_ENDIAN);
        final StateException older = assertThrows(StateException.class,
            () -> read(smallWindow(), backwards.byteArray(), bytes.length));
        assertTrue(older.getMessage().contains("older than the one before it"), older.getMessage());
    }

    /**
     * Account 5 sends three cancels (three order messages, under the minimum of four); then {@code others} other
     * accounts place an order; then 5 cancels once more. The store holds two accounts, so two others evict 5.
     */
    private static int fourthCancelAfterOthersOrdered(final int others)
    {
        final CappedWorker w = new CappedWorker(2, new ExcessiveCancelRule(HOUR, 2, 4, 8, Severity.LOW));
        for (int i = 0; i < 3; i++)
        {
            assertEquals(0, order(w, T0 + i * MS, 5, 7, i, 0, CANCEL, 100, 10));
        }
        for (int i = 0; i < others; i++)
        {
            assertEquals(0, order(w, T0 + 3 * MS, 6 + i, 7, 10 + i, 0, NEW, 100, 10));
        }
        assertEquals(others < 2 ? 0 : 1, w.rules.accounts().capEvictions(), "account 5 evicted by the second other");
        return order(w, T0 + 4 * MS, 5, 7, 3, 0, CANCEL, 100, 10);
    }

    @Test
    void forgetsAnAccountsWindowWhenTheStoreEvictsIt()
    {
        assertEquals(1, fourthCancelAfterOthersOrdered(1), "both accounts held: four cancels alert");
        assertEquals(0, fourthCancelAfterOthersOrdered(2), "account 5 evicted: its window starts afresh");
    }

    /**
     * An account's window recycled from an evicted account, whatever that one held, decides and is written as a new
     * one. One worker's account 1 takes random events; then accounts 2 and 3 take the same random events there and
     * on a worker that never saw 1: 3 evicts 1 and takes its window, reset. Both rules must raise the same alerts
     * and write the same state at every step, and count as many drops and late events.
     */
    @Test
    void aRecycledAccountWindowIsANewOne()
    {
        RecycledStateCheck.assertRecycledAccountIsNew(22, (random) ->
        {
            final long window = (1 + random.nextInt(10)) * SECOND;
            final int ratio = 1 + random.nextInt(3);
            final int minOrders = 1 + random.nextInt(5);
            final int capacity = minOrders + random.nextInt(30);
            return () -> new ExcessiveCancelRule(window, ratio, minOrders, capacity, Severity.MEDIUM);
        }, ExcessiveCancelRuleTest::randomEvent, ExcessiveCancelRule::droppedEntries, ExcessiveCancelRule::lateEvents);
    }

    /**
     * A random event of the account, a quarter of a second per step on, give or take two seconds, and now and
     * then a day ahead: mostly cancels, some new orders and amends, a few executions.
     */
    private static int randomEvent(final CappedWorker w, final long account, final int step, final Random random)
    {
        final long ahead = 0 == random.nextInt(100) ? 24 * HOUR : 0;
        final long time = T0 + ahead + step * (SECOND / 4) + random.nextInt(4_000) * MS;
        final int kind = random.nextInt(20);
        if (kind < 3)
        {
            return execution(w, time, account, 7, 1, 100, 10);
        }
        final int action = kind < 8 ? NEW : kind < 9 ? 1 : CANCEL;
        return order(w, time, account, 7, random.nextInt(50), 0, action, 100, 10);
    }

    /** An execution with account 9: alerts raised. */
    private static int execution(
        final CappedWorker w, final long time, final long account, final long instrument, final int side,
        final long price, final long quantity)
    {
        fillExecution(w.begin(ExecutionDecoder.TEMPLATE_ID, time), account, 9, instrument, side, price, quantity);
        return w.run();
    }
}
