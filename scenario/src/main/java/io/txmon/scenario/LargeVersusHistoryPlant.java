package io.txmon.scenario;

import io.txmon.events.codec.Channel;
import io.txmon.rules.typology.LargeVersusHistoryRule;

import static io.txmon.scenario.Times.DAY;

/**
 * 2 large-vs-history, keyed on the debtor: six payments of 150.00 to 260.00 two to four days apart, then one
 * of 1,400.00 to 2,800.00, at least five times the largest of them (the max test), all within the 30-day
 * lookback.
 */
final class LargeVersusHistoryPlant extends Plant
{
    LargeVersusHistoryPlant()
    {
        super(LargeVersusHistoryRule.ID, 26 * DAY);
    }

    @Override
    public void plant(final ScenarioPlan plan, final long start, final int instance)
    {
        final ScenarioRandom random = plan.random;
        final long debtor = plan.account();
        final long[] payees = { plan.account(), plan.account() };
        long time = start;
        for (int i = 0; i < 6; i++)
        {
            plan.pay(time, debtor, payees[i % 3 == 2 ? 1 : 0], plan.euros(150, 260),
                i % 2 == 0 ? Channel.SEPA : Channel.CARD);
            time += random.nextLong(2 * DAY, 4 * DAY);
        }
        plan.trigger(plan.pay(time, debtor, payees[0], plan.euros(1_400, 2_800), Channel.SEPA),
            LargeVersusHistoryRule.ID, debtor);
    }
}
