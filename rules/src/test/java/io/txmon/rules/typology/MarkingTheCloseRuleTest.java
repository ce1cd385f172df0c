package io.txmon.rules.typology;

import io.txmon.events.codec.Severity;
import io.txmon.rules.AlertRecord;
import io.txmon.rules.RuleContext;
import org.junit.jupiter.api.Test;

import static io.txmon.rules.typology.GeoMarketHarness.*;
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
}
