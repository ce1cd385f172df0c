package io.txmon.scenario;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An alert answers a planted case only when rule, account and event time all agree.
 */
class PlantedMatcherTest
{
    private static final long TIME = 1_736_121_600_000_000_000L;

    @Test
    void anAlertAnswersTheCaseWhoseRuleAccountAndEventTimeItCarries()
    {
        final Planted a = new Planted(1, 900_000_001_001L, 10, TIME);
        final Planted b = new Planted(5, 900_000_001_002L, 20, TIME + 1);
        final PlantedMatcher matcher = new PlantedMatcher();
        assertEquals(List.of(a, b), matcher.missed(List.of(a, b)));

        matcher.onAlert(1, a.account(), a.eventTime());
        matcher.onAlert(5, b.account(), b.eventTime() + 1);
        matcher.onAlert(4, b.account(), b.eventTime());
        matcher.onAlert(5, b.account() + 1, b.eventTime());
        assertEquals(4, matcher.alerts());
        assertTrue(matcher.isAlerted(a));
        assertFalse(matcher.isAlerted(b), "another time, rule or account is not the case's alert");
        assertEquals(List.of(b), matcher.missed(List.of(a, b)));

        matcher.onAlert(5, b.account(), b.eventTime());
        assertEquals(List.of(), matcher.missed(List.of(a, b)));
    }

    @Test
    void expectedKeepsTheCasesOfTheRulesThatRun()
    {
        final Planted a = new Planted(1, 1, 0, TIME);
        final Planted b = new Planted(17, 2, 1, TIME);
        final Planted c = new Planted(23, 3, 2, TIME);
        assertEquals(List.of(a, c), PlantedMatcher.expected(List.of(a, b, c), (ruleId) -> ruleId != 17));
        assertEquals(List.of(), PlantedMatcher.expected(List.of(a, b, c), (ruleId) -> false));
    }
}
