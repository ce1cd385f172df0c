package io.txmon.rules.typology;

import io.txmon.events.codec.Severity;
import io.txmon.rules.AlertRecord;
import io.txmon.rules.Rule;
import io.txmon.rules.RuleContext;
import io.txmon.rules.state.StateException;
import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.function.Supplier;

import static io.txmon.rules.typology.GeoMarketHarness.*;
import static io.txmon.rules.typology.RuleStateSupport.*;
import static org.junit.jupiter.api.Assertions.*;

class SpoofingRuleTest
{
    private static final int BUY = 0;
    private static final int SELL = 1;
    private static final int NEW = 0;
    private static final int AMEND = 1;
    private static final int CANCEL = 2;
    private static final long INSTRUMENT = 77;

    /** Large buy order at T0, sell execution at T0+1s, cancel after the given delay from the execution. */
    private static int scenario(final GeoMarketHarness h, final long account, final long qty, final long delay)
    {
        h.order(T0, account, INSTRUMENT, 500, BUY, NEW, 100, qty);
        h.execution(T0 + SECOND, account, 9, INSTRUMENT, SELL, 100);
        return h.order(T0 + SECOND + delay, account, INSTRUMENT, 500, BUY, CANCEL, 100, qty);
    }

    @Test
    void firesAtTheMinimumQuantitySilentJustBelow()
    {
        assertEquals(1, scenario(new GeoMarketHarness(new SpoofingRule()), 5, 10_000, SECOND));
        assertEquals(0, scenario(new GeoMarketHarness(new SpoofingRule()), 5, 9_999, SECOND));
    }

    @Test
    void cancelMustComeWithinTheWindowAfterTheExecution()
    {
        assertEquals(1, scenario(new GeoMarketHarness(new SpoofingRule()), 5, 10_000, 5 * SECOND), "at 5 s");
        assertEquals(0, scenario(new GeoMarketHarness(new SpoofingRule()), 5, 10_000, 5 * SECOND + 1));
    }

    @Test
    void executionMustBeOnTheOtherSideSameInstrumentSameAccountWhileTheOrderRests()
    {
        final GeoMarketHarness sameSide = new GeoMarketHarness(new SpoofingRule());
        sameSide.order(T0, 5, INSTRUMENT, 500, BUY, NEW, 100, 20_000);
        sameSide.execution(T0 + SECOND, 5, 9, INSTRUMENT, BUY, 100);
        sameSide.execution(T0 + SECOND, 5, 9, INSTRUMENT + 1, SELL, 100);
        sameSide.execution(T0 + SECOND, 6, 9, INSTRUMENT, SELL, 100);
        assertEquals(0, sameSide.order(T0 + 2 * SECOND, 5, INSTRUMENT, 500, BUY, CANCEL, 100, 20_000));

        final GeoMarketHarness before = new GeoMarketHarness(new SpoofingRule());
        before.execution(T0, 5, 9, INSTRUMENT, SELL, 100);
        before.order(T0 + 1, 5, INSTRUMENT, 500, BUY, NEW, 100, 20_000);
        assertEquals(0, before.order(T0 + 2, 5, INSTRUMENT, 500, BUY, CANCEL, 100, 20_000),
            "execution before the order was placed");

        final GeoMarketHarness amended = new GeoMarketHarness(new SpoofingRule());
        amended.order(T0, 5, INSTRUMENT, 500, BUY, NEW, 100, 20_000);
        amended.order(T0 + 1, 5, INSTRUMENT, 500, BUY, AMEND, 100, 100);
        amended.execution(T0 + SECOND, 5, 9, INSTRUMENT, SELL, 100);
        assertEquals(0, amended.order(T0 + 2 * SECOND, 5, INSTRUMENT, 500, BUY, CANCEL, 100, 100),
            "amended below the minimum");
    }

    @Test
    void alertCarriesAccountEvidenceAndReason()
    {
        final GeoMarketHarness h = new GeoMarketHarness(new SpoofingRule());
        final long orderOffset = h.nextOffset();
        final long execOffset = orderOffset + 1;
        final long cancelOffset = orderOffset + 2;
        assertEquals(1, scenario(h, 5, 50_000, 1_500_000_000L));
        final AlertRecord alert = h.alert();
        assertEquals(SpoofingRule.ID, alert.ruleId());
        assertEquals(5, alert.account());
        assertEquals(3, alert.evidenceCount());
        assertEquals(cancelOffset, alert.evidence(0));
        assertEquals(orderOffset, alert.evidence(1));
        assertEquals(execOffset, alert.evidence(2));
        final String reason = alert.reason().toString();
        assertTrue(reason.contains("cancelled buy order 500 of 50000 on instrument 77 1500 ms after"), reason);
        assertTrue(reason.contains("on the sell side"), reason);
        assertEquals(0, h.order(T0 + 3 * SECOND, 5, INSTRUMENT, 500, BUY, CANCEL, 100, 50_000), "already cancelled");
    }

    @Test
    void ringsAreBoundedAndDropsCounted()
    {
        final SpoofingRule rule = new SpoofingRule(10_000, 5 * SECOND, 4, Severity.LOW);
        final GeoMarketHarness h = new GeoMarketHarness(rule);
        for (int i = 0; i < 6; i++)
        {
            h.order(T0 + i, 5, INSTRUMENT, i, BUY, NEW, 100, 20_000);
        }
        assertEquals(2, rule.droppedEntries());
        h.execution(T0 + SECOND, 5, 9, INSTRUMENT, SELL, 100);
        assertEquals(0, h.order(T0 + 2 * SECOND, 5, INSTRUMENT, 0, BUY, CANCEL, 100, 20_000), "dropped order");
        assertEquals(1, h.order(T0 + 2 * SECOND, 5, INSTRUMENT, 5, BUY, CANCEL, 100, 20_000));
    }

    @Test
    void validatesParameters()
    {
        assertThrows(IllegalArgumentException.class, () -> new SpoofingRule(0, SECOND, 4, Severity.LOW));
        assertThrows(IllegalArgumentException.class, () -> new SpoofingRule(1, 0, 4, Severity.LOW));
        assertThrows(IllegalArgumentException.class, () -> new SpoofingRule(1, SECOND, 0, Severity.LOW));
    }

    @Test
    void onlyTheAccountsWorkerRaises()
    {
        final GeoMarketHarness h = new GeoMarketHarness(2, SpoofingRule::new);
        for (long account = 1; account <= 40; account++)
        {
            assertEquals(1, scenario(h, account, 10_000, SECOND));
            assertEquals(RuleContext.partition(account, 2), h.raisedBy());
            assertEquals(account, h.alert().account());
        }
    }

    @Test
    void steadyStateAllocatesNothing()
    {
        final GeoMarketHarness h = new GeoMarketHarness(new SpoofingRule());
        assertSteadyStateAllocationFree(i ->
        {
            final long t = T0 + i * 1_000_000L;
            final long account = i % 200;
            switch (i % 3)
            {
                case 0 -> h.order(t, account, INSTRUMENT, i / 3, BUY, NEW, 100, 20_000);
                case 1 -> h.execution(t, account, 9, INSTRUMENT, SELL, 100);
                default -> h.order(t, account, INSTRUMENT, i / 3, BUY, CANCEL, 100, 20_000);
            }
        });
    }

    @Test
    void parametersRejectInvalidValuesNamingTheRuleAndParameter()
    {
        assertEquals("spoofing minQuantity must be positive, was 0", assertThrows(IllegalArgumentException.class,
            () -> new SpoofingRule.Parameters(0, SECOND, 4, Severity.LOW)).getMessage());
        assertEquals("spoofing windowNanos must be positive, was 0", assertThrows(IllegalArgumentException.class,
            () -> new SpoofingRule.Parameters(1, 0, 4, Severity.LOW)).getMessage());
        assertEquals("spoofing capacity must be 1 to 4096, was 0", assertThrows(IllegalArgumentException.class,
            () -> new SpoofingRule.Parameters(1, SECOND, 0, Severity.LOW)).getMessage());
        assertEquals("spoofing capacity must be 1 to 4096, was 4097", assertThrows(IllegalArgumentException.class,
            () -> new SpoofingRule.Parameters(1, SECOND, 4097, Severity.LOW)).getMessage());
        assertEquals("spoofing severity must be set, was null", assertThrows(IllegalArgumentException.class,
            () -> new SpoofingRule.Parameters(1, SECOND, 4, null)).getMessage());
    }

    @Test
    void defaultParametersBehaveAsTheDefaultConstructor()
    {
        final SpoofingRule.Parameters defaults = SpoofingRule.Parameters.DEFAULTS;
        assertEquals(SpoofingRule.DEFAULT_MIN_QUANTITY, defaults.minQuantity());
        assertEquals(SpoofingRule.DEFAULT_WINDOW_NS, defaults.windowNanos());
        assertEquals(SpoofingRule.DEFAULT_CAPACITY, defaults.capacity());
        assertEquals(Severity.HIGH, defaults.severity());
        assertEquals(defaults, new SpoofingRule().parameters());

        final GeoMarketHarness h = new GeoMarketHarness(new SpoofingRule(defaults));
        assertEquals(1, scenario(h, 5, 10_000, SECOND));
        assertEquals(800, h.alert().score());
        assertEquals(Severity.HIGH, h.alert().severity());
        assertEquals(0, scenario(new GeoMarketHarness(new SpoofingRule(defaults)), 5, 9_999, SECOND));
        assertEquals(0, scenario(new GeoMarketHarness(new SpoofingRule(defaults)), 5, 10_000, 5 * SECOND + 1));
    }

    @Test
    void declaresTheTemplatesItReadsAndSnapshots()
    {
        final SpoofingRule rule = new SpoofingRule();
        assertEquals(Rule.ORDER | Rule.EXECUTION, rule.templates());
        assertTrue(rule.snapshots());
        assertArrayEquals(new byte[4], stateOf(rule), "no account: a count of 0");
    }

    /**
     * Rings of 4, both wrapped: large orders 0 to 5 leave 2, 3, 4 and 5 in slots 2, 3, 0 and 1, then 3 is amended
     * small; of six sell executions one second on, the last four are held.
     */
    private static GeoMarketHarness wrappedRings()
    {
        final GeoMarketHarness h = new GeoMarketHarness(new SpoofingRule(10_000, 5 * SECOND, 4, Severity.HIGH));
        for (int i = 0; i < 6; i++)
        {
            h.order(T0 + i, 5, INSTRUMENT, i, BUY, NEW, 100, 20_000);
        }
        h.order(T0 + 6, 5, INSTRUMENT, 3, BUY, AMEND, 100, 100);
        for (int i = 0; i < 6; i++)
        {
            h.execution(T0 + SECOND + i, 5, 9, INSTRUMENT, SELL, 100);
        }
        return h;
    }

    @Test
    void wrappedRingsSurviveASnapshotSlotForSlot()
    {
        final GeoMarketHarness h = wrappedRings();
        final GeoMarketHarness r = restored(h, new SpoofingRule(10_000, 5 * SECOND, 4, Severity.HIGH));
        final long latestExecution = T0 + SECOND + 5;

        assertEquals("none", same(h, r, x -> x.order(T0 + 2 * SECOND, 5, INSTRUMENT, 0, BUY, CANCEL, 100, 20_000)),
            "pushed out of the ring");
        assertEquals("none", same(h, r, x -> x.order(T0 + 2 * SECOND, 5, INSTRUMENT, 3, BUY, CANCEL, 100, 20_000)),
            "amended small");
        final long cancel = h.nextOffset();
        final String atTheWindow =
            same(h, r, x -> x.order(latestExecution + 5 * SECOND, 5, INSTRUMENT, 5, BUY, CANCEL, 100, 20_000));
        assertTrue(atTheWindow.startsWith("800 [" + cancel + ",105,112,] "), "the latest execution: " + atTheWindow);
        assertTrue(atTheWindow.contains("5000 ms after its execution " + (9_000_000 + 112)), atTheWindow);

        // the next new order takes slot 2 in both, pushing order 2 out; order 4 is a nanosecond too late
        assertEquals("none", same(h, r, x -> x.order(T0 + 7 * SECOND, 5, INSTRUMENT, 6, BUY, NEW, 100, 20_000)));
        assertEquals("none", same(h, r, x -> x.order(T0 + 7 * SECOND, 5, INSTRUMENT, 2, BUY, CANCEL, 100, 20_000)),
            "pushed out after the snapshot");
        assertEquals("none", same(h, r,
            x -> x.order(latestExecution + 5 * SECOND + 1, 5, INSTRUMENT, 4, BUY, CANCEL, 100, 20_000)));
        same(h, r, x -> x.execution(T0 + 8 * SECOND, 5, 9, INSTRUMENT, SELL, 100));
        assertTrue(same(h, r, x -> x.order(T0 + 9 * SECOND, 5, INSTRUMENT, 6, BUY, CANCEL, 100, 20_000))
            .startsWith("800 "), "an order placed after the snapshot");
    }

    @Test
    void truncatedOrOutOfRangeStateIsRefused()
    {
        final byte[] bytes = stateOf(wrappedRings().rules[0]);
        assertEquals(4 + 8 + 16 + 4 + 3 * 44 + 4 * 36, bytes.length, "4 order slots, 3 live, 4 executions");
        final Supplier<Rule> fresh = () -> new SpoofingRule(10_000, 5 * SECOND, 4, Severity.HIGH);
        assertHostileBytesRefused(bytes, fresh, h ->
        {
            h.order(T0 + 7 * SECOND, 5, INSTRUMENT, 6, BUY, NEW, 100, 20_000);
            h.execution(T0 + 8 * SECOND, 5, 9, INSTRUMENT, SELL, 100);
            for (int id = 0; id < 7; id++)
            {
                h.order(T0 + 9 * SECOND, 5, INSTRUMENT, id, BUY, CANCEL, 100, 20_000);
            }
        });

        final StateException orderSlots = assertThrows(StateException.class,
            () -> read(fresh.get(), withInt(bytes, 12, 5), bytes.length));
        assertTrue(orderSlots.getMessage().contains("order slots written 5 at 12 is outside 0 to 4"),
            orderSlots.getMessage());
        assertThrows(StateException.class, () -> read(fresh.get(), withInt(bytes, 20, 5), bytes.length),
            "more executions than the capacity");
        assertThrows(StateException.class, () -> read(fresh.get(), withInt(bytes, 0, Integer.MAX_VALUE), bytes.length));

        final byte[] notFull = withInt(withInt(bytes, 12, 3), 16, 1);
        final StateException next = assertThrows(StateException.class,
            () -> read(fresh.get(), notFull, bytes.length));
        assertTrue(next.getMessage().contains("the next order slot is not the first unwritten"), next.getMessage());
        assertThrows(StateException.class, () -> read(new SpoofingRule(30_000, 5 * SECOND, 4, Severity.HIGH),
            bytes, bytes.length), "a live order below the minimum of the rule reading it");
    }

    /**
     * Account 5 rests a large buy order and executes on the sell side; then {@code others} other accounts trade;
     * then 5 cancels the order. The store holds two accounts, so two others evict 5.
     */
    private static int cancelAfterOthersTraded(final int others)
    {
        final CappedWorker w = new CappedWorker(2, new SpoofingRule());
        assertEquals(0, order(w, T0, 5, INSTRUMENT, 500, BUY, NEW, 100, 10_000));
        assertEquals(0, execution(w, T0 + SECOND, 5, INSTRUMENT, SELL, 100));
        for (int i = 0; i < others; i++)
        {
            assertEquals(0, execution(w, T0 + SECOND, 6 + i, INSTRUMENT, SELL, 100));
        }
        assertEquals(others < 2 ? 0 : 1, w.rules.accounts().capEvictions(), "account 5 evicted by the second other");
        return order(w, T0 + 2 * SECOND, 5, INSTRUMENT, 500, BUY, CANCEL, 100, 10_000);
    }

    @Test
    void forgetsAnAccountsRingsWhenTheStoreEvictsIt()
    {
        assertEquals(1, cancelAfterOthersTraded(1), "both accounts held: the cancel alerts");
        assertEquals(0, cancelAfterOthersTraded(2), "account 5 evicted: its order is forgotten");
    }

    /**
     * An account's rings recycled from an evicted account, whatever that one held, decide and are written as new
     * ones. One worker's account 1 takes random events; then accounts 2 and 3 take the same random events there and
     * on a worker that never saw 1: 3 evicts 1 and takes its state, reset. Both rules must raise the same alerts and
     * write the same state at every step, and drop as many entries.
     */
    @Test
    void aRecycledAccountStateIsANewOne()
    {
        RecycledStateCheck.assertRecycledAccountIsNew(20, (random) ->
        {
            final int capacity = 1 + random.nextInt(40);
            return () -> new SpoofingRule(10_000, 5 * SECOND, capacity, Severity.HIGH);
        }, SpoofingRuleTest::randomEvent, SpoofingRule::droppedEntries);
    }

    /**
     * A random order or execution of the account, a quarter of a second per step on, give or take two seconds,
     * on one of two instruments: large or small, new, amend or cancel of one of 12 order ids, so that some cancels
     * alert.
     */
    private static int randomEvent(final CappedWorker w, final long account, final int step, final Random random)
    {
        final long time = T0 + step * (SECOND / 4) + random.nextInt(4_000) * 1_000_000L;
        final long instrument = 1 + random.nextInt(2);
        final int side = random.nextInt(2);
        if (0 == random.nextInt(3))
        {
            return execution(w, time, account, instrument, side, 100);
        }
        final long quantity = random.nextBoolean() ? 20_000 : 5_000;
        return order(w, time, account, instrument, random.nextInt(12), side, random.nextInt(3), 100, quantity);
    }
}
