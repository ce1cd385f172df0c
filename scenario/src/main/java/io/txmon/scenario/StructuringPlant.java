package io.txmon.scenario;

import io.txmon.events.codec.Channel;
import io.txmon.rules.typology.StructuringRule;

import static io.txmon.scenario.Times.DAY;
import static io.txmon.scenario.Times.HOUR;

/**
 * 5 structuring, keyed on the debtor: small payments to two payees, then days later three payments of
 * 9,050.00 to 9,950.00 to them within 30 hours (inside the 48-hour window), together above 10,000.00.
 */
final class StructuringPlant extends Plant
{
    StructuringPlant()
    {
        super(StructuringRule.ID);
    }

    @Override
    public void plant(final ScenarioPlan plan, final long start, final int instance)
    {
        final ScenarioRandom random = plan.random;
        final long debtor = plan.account();
        final long[] payees = { plan.account(), plan.account() };
        plan.pay(start, debtor, payees[0], plan.euros(30, 200), Channel.SEPA);
        plan.pay(start + random.nextLong(HOUR, 6 * HOUR), debtor, payees[1], plan.euros(30, 200), Channel.SEPA);

        long time = start + random.nextLong(2 * DAY, 4 * DAY);
        plan.pay(time, debtor, payees[0], plan.euros(9_050, 9_950), Channel.SEPA);
        time += random.nextLong(4 * HOUR, 10 * HOUR);
        plan.pay(time, debtor, payees[1], plan.euros(9_050, 9_950), Channel.CASH);
        time += random.nextLong(10 * HOUR, 20 * HOUR);
        plan.trigger(plan.pay(time, debtor, payees[0], plan.euros(9_050, 9_950), Channel.SEPA),
            StructuringRule.ID, debtor);
    }
}
