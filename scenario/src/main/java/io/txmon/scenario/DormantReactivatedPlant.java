package io.txmon.scenario;

import io.txmon.events.codec.Channel;
import io.txmon.rules.typology.DormantReactivatedRule;

import static io.txmon.scenario.Times.DAY;
import static io.txmon.scenario.Times.HOUR;

/**
 * 11 dormant-reactivated, keyed on the debtor: opened, one small payment a few days later, then nothing for
 * the dormancy period plus 1 hour to 5 days, then a payment of 1,000.00 to 4,500.00.
 */
final class DormantReactivatedPlant extends Plant
{
    private static final long DORMANCY = DormantReactivatedRule.Parameters.DEFAULTS.dormancyNanos();

    DormantReactivatedPlant()
    {
        super(DormantReactivatedRule.ID, DORMANCY + 12 * DAY);
    }

    @Override
    public void plant(final ScenarioPlan plan, final long start, final int instance)
    {
        final ScenarioRandom random = plan.random;
        final long debtor = plan.account();
        plan.open(start, debtor, plan.party());
        final long lastActivity = start + random.nextLong(DAY, 5 * DAY);
        plan.pay(lastActivity, debtor, plan.account(), plan.euros(20, 200), Channel.SEPA);
        final long reactivation = lastActivity + DORMANCY + random.nextLong(HOUR, 5 * DAY);
        plan.trigger(plan.pay(reactivation, debtor, plan.account(), plan.euros(1_000, 4_500), Channel.WIRE),
            DormantReactivatedRule.ID, debtor);
    }
}
