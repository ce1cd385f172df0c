package io.txmon.monitor;

import io.txmon.rules.config.RuleSettings;
import io.txmon.rules.typology.LargeAmountRule;
import io.txmon.rules.typology.StructuringRule;
import io.txmon.rules.typology.WatchListRule;
import io.txmon.scenario.Planted;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The demo's tally, without an engine: planted cases held against alerts per typology, and the top accounts
 * ranked by distinct typologies, then alerts, then account id.
 */
class DemoReportTest
{
    private static final long T = 1_736_121_600_000_000_000L;

    @Test
    void theTableCountsPlantedDetectedMissedAndAllAlertsOfEachRuleRun()
    {
        final DemoReport report = new DemoReport(List.of(
            RuleSettings.defaults().type(LargeAmountRule.ID), RuleSettings.defaults().type(StructuringRule.ID)));
        final Planted detected = new Planted(LargeAmountRule.ID, 10, 0, T);
        final Planted missed = new Planted(LargeAmountRule.ID, 11, 1, T + 1);
        final Planted structuring = new Planted(StructuringRule.ID, 12, 2, T + 2);
        final Planted notRun = new Planted(WatchListRule.ID, 13, 3, T + 3);
        report.onAlert(LargeAmountRule.ID, 10, T);
        report.onAlert(LargeAmountRule.ID, 11, T + 9);
        report.onAlert(StructuringRule.ID, 12, T + 2);
        report.onAlert(StructuringRule.ID, 99, T + 5);

        final List<Planted> expected = report.expected(List.of(detected, missed, structuring, notRun));
        assertEquals(List.of(detected, missed, structuring), expected, "the watch list does not run");
        assertEquals(List.of(missed), report.missed(expected), "an alert at another event time is not the case's");
        assertEquals(4, report.alerts());
        assertEquals(2, report.alertsOf(LargeAmountRule.ID));

        final MonitorTests.Capture out = new MonitorTests.Capture();
        report.printTypologies(out.stream, expected);
        final String table = out.text();
        assertTrue(table.startsWith("typologies: 2 rules run, 3 cases planted, 2 detected, 1 missed\n"), table);
        assertTrue(table.matches("(?s).*\n +1  large-amount +2 +1 +1 +2\n.*"), table);
        assertTrue(table.matches("(?s).*\n +5  structuring +1 +1 +0 +2\n.*"), table);
        assertTrue(table.matches("(?s).*\n +all +3 +2 +1 +4\n.*"), table);
        assertTrue(table.contains("  MISSED large-amount account=11 event time 2025-01-06T00:00:00.000000001Z\n"), table);
        assertTrue(!table.contains("watch-list"), table);
    }

    @Test
    void topAccountsRankByDistinctTypologiesThenAlertsThenAccount()
    {
        final DemoReport report = new DemoReport(List.of(
            RuleSettings.defaults().type(LargeAmountRule.ID), RuleSettings.defaults().type(StructuringRule.ID)));
        report.onAlert(StructuringRule.ID, 99, T);
        report.onAlert(LargeAmountRule.ID, 50, T);
        report.onAlert(LargeAmountRule.ID, 50, T + 1);
        report.onAlert(LargeAmountRule.ID, 12, T);
        report.onAlert(LargeAmountRule.ID, 10, T);
        report.onAlert(StructuringRule.ID, 10, T);

        assertEquals(List.of(10L, 50L, 12L, 99L), report.topAccountIds(10));
        assertEquals(List.of(10L, 50L), report.topAccountIds(2));

        final MonitorTests.Capture out = new MonitorTests.Capture();
        report.printTopAccounts(out.stream, 2);
        final String top = out.text();
        assertTrue(top.startsWith("top accounts: the 2 with the most typologies alerting on them"), top);
        assertTrue(top.matches("(?s).*\n  10 +2 +2  large-amount, structuring\n.*"), top);
        assertTrue(top.matches("(?s).*\n  50 +1 +2  large-amount\n"), top);
    }
}
