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

class MarkingTheCloseRuleTest
{
    private static final long DAY = MarkingTheCloseRule.DAY_NS;
    /** Midnight UTC of some day. */
    private static final long MIDNIGHT = Math.floorDiv(T0, DAY) * DAY;
    private static final long CLOSE = MIDNIGHT + 16 * 3600 * SECOND;
    private static final long WINDOW = 5 * 60 * SECOND;
    private static final long INSTRUMENT = 31;

    @Test
    void firesAtHalfTheDayVolumeSilentJustBelow()
    {
        final GeoMarketHarness at = new GeoMarketHarness(new MarkingTheCloseRule());
        assertEquals(0, at.execution(MIDNIGHT + 10 * 3600 * SECOND, 5, 9, INSTRUMENT, 0, 2_000));
        assertEquals(1, at.execution(CLOSE - 60 * SECOND, 5, 9, INSTRUMENT, 0, 2_000), "2000 of 4000");

        final GeoMarketHarness below = new GeoMarketHarness(new MarkingTheCloseRule());
        below.execution(MIDNIGHT + 10 * 3600 * SECOND, 5, 9, INSTRUMENT, 0, 2_001);
        assertEquals(0, below.execution(CLOSE - 60 * SECOND, 5, 9, INSTRUMENT, 0, 2_000), "2000 of 4001");
    }

    @Test
    void minimumQuantityAppliesToTheCloseWindowVolume()
    {
        final GeoMarketHarness h = new GeoMarketHarness(new MarkingTheCloseRule());
        assertEquals(0, h.execution(CLOSE - 60 * SECOND, 5, 9, INSTRUMENT, 0, 999), "100% but under 1000");
        assertEquals(1, h.execution(CLOSE - 50 * SECOND, 5, 9, INSTRUMENT, 0, 1), "now 1000");
        assertEquals(0, h.execution(CLOSE - 40 * SECOND, 5, 9, INSTRUMENT, 0, 5_000), "once per day");
    }

    @Test
    void closeWindowBoundaries()
    {
        final GeoMarketHarness h = new GeoMarketHarness(new MarkingTheCloseRule());
        assertEquals(0, h.execution(CLOSE - WINDOW - 1, 5, 9, INSTRUMENT, 0, 5_000), "1 ns before the window");
        assertEquals(0, h.execution(CLOSE, 6, 9, INSTRUMENT, 0, 5_000), "at the close: after it");
        assertEquals(1, h.execution(CLOSE - WINDOW, 7, 9, INSTRUMENT, 0, 5_000), "first ns of the window");
        assertEquals(0, h.execution(CLOSE - 1, 5, 9, INSTRUMENT, 0, 4_999), "4999 of 9999 for account 5");
        assertEquals(1, h.execution(CLOSE - 1, 5, 9, INSTRUMENT, 0, 1), "5000 of 10000");
    }

    @Test
    void volumeResetsEachUtcDayAndPerInstrument()
    {
        final GeoMarketHarness h = new GeoMarketHarness(new MarkingTheCloseRule());
        h.execution(CLOSE - DAY + 3600 * SECOND, 5, 9, INSTRUMENT, 0, 100_000);   // yesterday after the close
        h.execution(MIDNIGHT + 3600 * SECOND, 5, 9, INSTRUMENT + 1, 0, 100_000);  // other instrument today
        assertEquals(1, h.execution(CLOSE - 60 * SECOND, 5, 9, INSTRUMENT, 0, 1_000));
        final AlertRecord alert = h.alert();
        assertTrue(alert.reason().toString().contains("executed 1000 of its day volume 1000 (100%) on instrument 31"),
            alert.reason().toString());
        assertTrue(alert.reason().toString().contains("300 s before the 16:00 UTC close"), alert.reason().toString());
        assertEquals(1000, alert.score());
    }

    @Test
    void alertCarriesCloseWindowEvidence()
    {
        final MarkingTheCloseRule rule = new MarkingTheCloseRule();
        final GeoMarketHarness h = new GeoMarketHarness(rule);
        h.execution(MIDNIGHT + SECOND, 5, 9, INSTRUMENT, 0, 3_000);
        final long first = h.nextOffset();
        assertEquals(0, h.execution(CLOSE - 100 * SECOND, 5, 9, INSTRUMENT, 0, 1_000));
        final long second = h.nextOffset();
        assertEquals(1, h.execution(CLOSE - 90 * SECOND, 5, 9, INSTRUMENT, 0, 2_000));
        final AlertRecord alert = h.alert();
        assertEquals(MarkingTheCloseRule.ID, alert.ruleId());
        assertEquals(5, alert.account());
        assertEquals(500, alert.score());
        assertEquals(2, alert.evidenceCount());
        assertEquals(second, alert.evidence(0));
        assertEquals(first, alert.evidence(1));

        h.execution(CLOSE - 2 * DAY, 5, 9, INSTRUMENT, 0, 2_000);
        assertEquals(1, rule.lateEvents(), "execution from an earlier day");
    }

    @Test
    void evidenceKeptBeforeTheSlotsGrowStaysWithItsInstrument()
    {
        // slot 0's evidence is allocated while the account has 2 slots; instruments 2 to 4 grow them to 4, and
        // instrument 4 (slot 3) keeps evidence of its own beside it
        final MarkingTheCloseRule rule = new MarkingTheCloseRule();
        final GeoMarketHarness h = new GeoMarketHarness(rule);
        h.execution(MIDNIGHT + SECOND, 5, 9, 1, 0, 3_000);
        final long early = h.nextOffset();
        assertEquals(0, h.execution(CLOSE - 200 * SECOND, 5, 9, 1, 0, 1_000));
        for (long instrument = 2; instrument <= 4; instrument++)
        {
            h.execution(MIDNIGHT + instrument * SECOND, 5, 9, instrument, 0, 4_000);
        }
        final long fourFirst = h.nextOffset();
        assertEquals(0, h.execution(CLOSE - 150 * SECOND, 5, 9, 4, 0, 1_000));
        final long fourSecond = h.nextOffset();
        assertEquals(0, h.execution(CLOSE - 140 * SECOND, 5, 9, 4, 0, 1_000));

        final GeoMarketHarness r = restored(h, new MarkingTheCloseRule());

        final long oneSecond = h.nextOffset();
        assertEquals("500 [" + oneSecond + "," + early + ",] account 5 executed 3000 of its day volume 6000 (50%) on " +
            "instrument 1 in the 300 s before the 16:00 UTC close",
            same(h, r, x -> x.execution(CLOSE - 100 * SECOND, 5, 9, 1, 0, 2_000)));
        final long fourThird = h.nextOffset();
        assertEquals("500 [" + fourThird + "," + fourFirst + "," + fourSecond + ",] account 5 executed 4000 of its " +
            "day volume 8000 (50%) on instrument 4 in the 300 s before the 16:00 UTC close",
            same(h, r, x -> x.execution(CLOSE - 90 * SECOND, 5, 9, 4, 0, 2_000)));
    }

    @Test
    void instrumentSlotsAreBoundedAndValidated()
    {
        final MarkingTheCloseRule rule = new MarkingTheCloseRule(
            MarkingTheCloseRule.DEFAULT_CLOSE_TIME_OF_DAY_NS, WINDOW, 500, 1, 2, Severity.LOW);
        final GeoMarketHarness h = new GeoMarketHarness(rule);
        for (int i = 0; i < 5; i++)
        {
            h.execution(MIDNIGHT + i, 5, 9, i, 0, 10);
        }
        assertEquals(3, rule.evictedInstruments());
        final long close = MarkingTheCloseRule.DEFAULT_CLOSE_TIME_OF_DAY_NS;
        assertThrows(IllegalArgumentException.class, () -> new MarkingTheCloseRule(DAY, WINDOW, 500, 1, 2, Severity.LOW));
        assertThrows(IllegalArgumentException.class, () -> new MarkingTheCloseRule(close, 0, 500, 1, 2, Severity.LOW));
        assertThrows(IllegalArgumentException.class, () -> new MarkingTheCloseRule(close, WINDOW, 0, 1, 2, Severity.LOW));
        assertThrows(IllegalArgumentException.class,
            () -> new MarkingTheCloseRule(close, WINDOW, 1001, 1, 2, Severity.LOW));
        assertThrows(IllegalArgumentException.class, () -> new MarkingTheCloseRule(close, WINDOW, 500, 0, 2, Severity.LOW));
        assertTrue(assertThrows(IllegalArgumentException.class,
            () -> new MarkingTheCloseRule(close, WINDOW, 500, 1, 0, Severity.LOW)).getMessage()
            .contains("instrumentsPerAccount"));
    }

    @Test
    void onlyTheAccountsWorkerRaises()
    {
        final GeoMarketHarness h = new GeoMarketHarness(2, MarkingTheCloseRule::new);
        for (long account = 1; account <= 40; account++)
        {
            assertEquals(1, h.execution(CLOSE - SECOND, account, 9, INSTRUMENT, 0, 5_000));
            assertEquals(RuleContext.partition(account, 2), h.raisedBy());
            assertEquals(account, h.alert().account());
        }
    }

    @Test
    void steadyStateAllocatesNothing()
    {
        final GeoMarketHarness h = new GeoMarketHarness(new MarkingTheCloseRule());
        assertSteadyStateAllocationFree(i ->
            h.execution(CLOSE - DAY + (long)i * 1_000_000_000L, i % 100, 9, i % 7, 0, 1_000 + i % 3));
    }

    @Test
    void parametersRejectInvalidValuesNamingTheRuleAndParameter()
    {
        final long close = MarkingTheCloseRule.DEFAULT_CLOSE_TIME_OF_DAY_NS;
        assertEquals("marking-the-close closeTimeOfDayNanos must be 0 to 86399999999999, was " + DAY,
            assertThrows(IllegalArgumentException.class,
                () -> new MarkingTheCloseRule.Parameters(DAY, WINDOW, 500, 1, 2, Severity.LOW)).getMessage());
        assertEquals("marking-the-close windowNanos must be positive and at most closeTimeOfDayNanos " + close +
            ", was " + (close + 1), assertThrows(IllegalArgumentException.class,
                () -> new MarkingTheCloseRule.Parameters(close, close + 1, 500, 1, 2, Severity.LOW)).getMessage());
        assertEquals("marking-the-close minSharePerMille must be 1 to 1000, was 0",
            assertThrows(IllegalArgumentException.class,
                () -> new MarkingTheCloseRule.Parameters(close, WINDOW, 0, 1, 2, Severity.LOW)).getMessage());
        assertEquals("marking-the-close minQuantity must be positive, was 0",
            assertThrows(IllegalArgumentException.class,
                () -> new MarkingTheCloseRule.Parameters(close, WINDOW, 500, 0, 2, Severity.LOW)).getMessage());
        assertEquals("marking-the-close instrumentsPerAccount must be 1 to 4096, was 0",
            assertThrows(IllegalArgumentException.class,
                () -> new MarkingTheCloseRule.Parameters(close, WINDOW, 500, 1, 0, Severity.LOW)).getMessage());
        assertEquals("marking-the-close severity must be set, was null",
            assertThrows(IllegalArgumentException.class,
                () -> new MarkingTheCloseRule.Parameters(close, WINDOW, 500, 1, 2, null)).getMessage());
    }

    @Test
    void defaultParametersBehaveAsTheDefaultConstructor()
    {
        final MarkingTheCloseRule.Parameters defaults = MarkingTheCloseRule.Parameters.DEFAULTS;
        assertEquals(16 * 3600 * SECOND, defaults.closeTimeOfDayNanos());
        assertEquals(WINDOW, defaults.windowNanos());
        assertEquals(MarkingTheCloseRule.DEFAULT_MIN_SHARE_PER_MILLE, defaults.minSharePerMille());
        assertEquals(MarkingTheCloseRule.DEFAULT_MIN_QUANTITY, defaults.minQuantity());
        assertEquals(MarkingTheCloseRule.DEFAULT_INSTRUMENTS_PER_ACCOUNT, defaults.instrumentsPerAccount());
        assertEquals(Severity.MEDIUM, defaults.severity());
        assertEquals(defaults, new MarkingTheCloseRule().parameters());

        final GeoMarketHarness at = new GeoMarketHarness(new MarkingTheCloseRule(defaults));
        assertEquals(0, at.execution(MIDNIGHT + 10 * 3600 * SECOND, 5, 9, INSTRUMENT, 0, 2_000));
        assertEquals(1, at.execution(CLOSE - 60 * SECOND, 5, 9, INSTRUMENT, 0, 2_000), "2000 of 4000");
        assertEquals(Severity.MEDIUM, at.alert().severity());
        final GeoMarketHarness below = new GeoMarketHarness(new MarkingTheCloseRule(defaults));
        below.execution(MIDNIGHT + 10 * 3600 * SECOND, 5, 9, INSTRUMENT, 0, 2_001);
        assertEquals(0, below.execution(CLOSE - 60 * SECOND, 5, 9, INSTRUMENT, 0, 2_000), "2000 of 4001");
    }

    @Test
    void equallyRecentSlotsAreReusedLowestInstrumentFirstSoARestartThatReplaysTheHorizonAgrees()
    {
        final MarkingTheCloseRule.Parameters parameters =
            new MarkingTheCloseRule.Parameters(16 * 3600 * SECOND, WINDOW, 500, 1_000, 2, Severity.MEDIUM);
        final long hour = 3600 * SECOND;
        final long yesterday = MIDNIGHT - DAY;
        // yesterday: instruments 1 then 2, then 1 again, so 2 is the older slot although it was taken second
        final long[][] before = {
            { yesterday + 10 * hour, 1, 10 }, { yesterday + 10 * hour + 1, 2, 10 }, { yesterday + 11 * hour, 1, 10 },
            // today 09:00: instrument 3 takes 2's slot, then instrument 2 takes 1's: the slots are in the
            // opposite order to a restart's, which replays only today
            { MIDNIGHT + 9 * hour, 3, 10 }, { MIDNIGHT + 9 * hour, 2, 3_000 } };
        final long[][] after = {
            // 15:56: instrument 4 needs a slot; 2 and 3 were both last traded at 09:00: 2, the lower id, goes
            { CLOSE - 4 * 60 * SECOND, 4, 10 },
            // 15:57: instrument 2 starts afresh, 1000 of 1000 in the close window
            { CLOSE - 3 * 60 * SECOND, 2, 1_000 } };

        final MarkingTheCloseRule uninterrupted = new MarkingTheCloseRule(parameters);
        final MarkingTheCloseRule restarted = new MarkingTheCloseRule(parameters);
        final GeoMarketHarness u = new GeoMarketHarness(uninterrupted);
        final GeoMarketHarness r = new GeoMarketHarness(restarted);
        final long newest = before[before.length - 1][0];
        for (final long[] e : before)
        {
            u.execution(e[0], 5, 9, e[1], 0, e[2]);
            if (e[0] >= newest - restarted.horizonNanos())
            {
                r.execution(e[0], 5, 9, e[1], 0, e[2]);
            }
        }
        assertEquals(0, u.execution(after[0][0], 5, 9, after[0][1], 0, after[0][2]));
        assertEquals(0, r.execution(after[0][0], 5, 9, after[0][1], 0, after[0][2]));
        assertEquals(1, u.execution(after[1][0], 5, 9, after[1][1], 0, after[1][2]));
        assertEquals(1, r.execution(after[1][0], 5, 9, after[1][1], 0, after[1][2]));
        assertEquals(u.alert().reason().toString(), r.alert().reason().toString());
        assertTrue(r.alert().reason().toString().contains("executed 1000 of its day volume 1000"),
            r.alert().reason().toString());
    }

    @Test
    void declaresTheTemplatesItReadsAndSnapshots()
    {
        final MarkingTheCloseRule rule = new MarkingTheCloseRule();
        assertEquals(Rule.EXECUTION, rule.templates());
        assertTrue(rule.snapshots());
        assertArrayEquals(new byte[4], stateOf(rule), "no account: a count of 0");
    }

    private static MarkingTheCloseRule twoInstruments()
    {
        return new MarkingTheCloseRule(16 * 3600 * SECOND, WINDOW, 500, 1_000, 2, Severity.MEDIUM);
    }

    /**
     * Two instrument slots, both taken: 1000 of instrument 31 at 10:00 (offset 100), 1000 of 32 at 11:00 (101), then
     * 999 of 32 a minute before the close (102), one short of the least close-window quantity.
     */
    private static GeoMarketHarness oneShortOfTheMinimum()
    {
        final GeoMarketHarness h = new GeoMarketHarness(twoInstruments());
        h.execution(MIDNIGHT + 10 * 3600 * SECOND, 5, 9, INSTRUMENT, 0, 1_000);
        h.execution(MIDNIGHT + 11 * 3600 * SECOND, 5, 9, INSTRUMENT + 1, 0, 1_000);
        assertEquals(0, h.execution(CLOSE - 60 * SECOND, 5, 9, INSTRUMENT + 1, 0, 999));
        return h;
    }

    @Test
    void dayVolumesEvidenceAndSlotsSurviveASnapshot()
    {
        final GeoMarketHarness h = oneShortOfTheMinimum();
        final GeoMarketHarness r = restored(h, twoInstruments());

        assertEquals("500 [103,102,] account 5 executed 1000 of its day volume 2000 (50%) on instrument 32 in the " +
            "300 s before the 16:00 UTC close", same(h, r, x -> x.execution(CLOSE - 50 * SECOND, 5, 9, 32, 0, 1)));
        assertEquals("none", same(h, r, x -> x.execution(CLOSE - 40 * SECOND, 5, 9, 32, 0, 1)), "once per day");

        // instrument 33 takes the slot of the least recently traded, 31; then 31 takes 32's, traded before 33
        assertTrue(same(h, r, x -> x.execution(CLOSE - 30 * SECOND, 5, 9, 33, 0, 5_000)).startsWith("1000 [105,] "));
        assertTrue(same(h, r, x -> x.execution(CLOSE - 20 * SECOND, 5, 9, 31, 0, 1_000)).startsWith("1000 [106,] "),
            "31 starts again: its 10:00 execution went with its slot");
        assertEquals("none", same(h, r, x -> x.execution(CLOSE - 10 * SECOND, 5, 9, 33, 0, 5_000)), "33 kept its slot");
        assertTrue(same(h, r, x -> x.execution(CLOSE + DAY - 10 * SECOND, 5, 9, 33, 0, 1_000)).startsWith("1000 "),
            "a new day");
    }

    @Test
    void truncatedOrOutOfRangeStateIsRefused()
    {
        final byte[] bytes = stateOf(oneShortOfTheMinimum().rules[0]);
        assertEquals(4 + 8 + 4 + 2 * (5 * 8 + 1 + 4) + 8, bytes.length, "two slots, one evidence offset");
        assertHostileBytesRefused(bytes, MarkingTheCloseRuleTest::twoInstruments, h ->
        {
            for (int i = 0; i < 4; i++)
            {
                h.execution(CLOSE - (50 - i) * SECOND, 5, 9, INSTRUMENT + i, 0, 1_000);
                h.execution(CLOSE - (40 - i) * SECOND, 5, 9, INSTRUMENT + 1, 0, 1_000);
            }
        });

        final StateException slots = assertThrows(StateException.class,
            () -> read(twoInstruments(), withInt(bytes, 12, 3), bytes.length));
        assertTrue(slots.getMessage().contains("instrument slots taken 3 at 12 is outside 0 to 2"), slots.getMessage());
        final StateException evidence = assertThrows(StateException.class,
            () -> read(twoInstruments(), withInt(bytes, 57, 17), bytes.length));
        assertTrue(evidence.getMessage().contains("evidence offsets 17 at 57 is outside 0 to 16"), evidence.getMessage());
        assertThrows(StateException.class, () -> read(twoInstruments(), withInt(bytes, 0, 3), bytes.length));
    }

    /**
     * Account 5 executes 600 in the close window (all its day, under the minimum of 1,000); then {@code others}
     * other accounts execute; then 5 executes 600 more in the window. The store holds two accounts, so two others
     * evict 5.
     */
    private static int secondCloseExecutionAfterOthers(final int others)
    {
        final CappedWorker w = new CappedWorker(2, new MarkingTheCloseRule());
        assertEquals(0, execution(w, CLOSE - 60 * SECOND, 5, INSTRUMENT, 0, 600));
        for (int i = 0; i < others; i++)
        {
            assertEquals(0, execution(w, MIDNIGHT + 3600 * SECOND, 6 + i, INSTRUMENT, 0, 600));
        }
        assertEquals(others < 2 ? 0 : 1, w.rules.accounts().capEvictions(), "account 5 evicted by the second other");
        return execution(w, CLOSE - 30 * SECOND, 5, INSTRUMENT, 0, 600);
    }

    @Test
    void forgetsAnAccountsInstrumentsWhenTheStoreEvictsIt()
    {
        assertEquals(1, secondCloseExecutionAfterOthers(1), "both accounts held: 1200 of 1200 alerts");
        assertEquals(0, secondCloseExecutionAfterOthers(2), "account 5 evicted: 600 of 600 is under the minimum");
    }

    /**
     * An account's instrument slots recycled from an evicted account, whatever that one held, decide and are written
     * as new ones. One worker's account 1 takes random executions; then accounts 2 and 3 take the same random
     * executions there and on a worker that never saw 1: 3 evicts 1 and takes its state, reset. Both rules must
     * raise the same alerts and write the same state at every step, and count as many late events and instruments
     * evicted.
     */
    @Test
    void aRecycledAccountStateIsANewOne()
    {
        RecycledStateCheck.assertRecycledAccountIsNew(23, (random) ->
        {
            final int minShare = 100 + random.nextInt(901);
            final long minQuantity = 1 + random.nextInt(2_000);
            final int instruments = 1 + random.nextInt(8);
            return () -> new MarkingTheCloseRule(
                16 * 3600 * SECOND, WINDOW, minShare, minQuantity, instruments, Severity.MEDIUM);
        }, MarkingTheCloseRuleTest::randomExecution, MarkingTheCloseRule::lateEvents,
            MarkingTheCloseRule::evictedInstruments);
    }

    /**
     * A random execution of the account on one of ten instruments: a new day every 20 steps, give or take one (a
     * late execution), now and then ten days ahead; half of them in the close window, on the minute.
     */
    private static int randomExecution(
        final CappedWorker w, final long account, final int step, final Random random)
    {
        final long day = MIDNIGHT + (step / 20 + random.nextInt(3) - 1 + (0 == random.nextInt(100) ? 10 : 0)) * DAY;
        final long time = random.nextBoolean() ?
            CLOSE - WINDOW + random.nextInt(5) * 60 * SECOND : random.nextInt(24 * 60) * 60 * SECOND;
        return execution(w, day + time - MIDNIGHT, account, 1 + random.nextInt(10), random.nextInt(2),
            1 + random.nextInt(1_000));
    }
}
