package io.txmon.scenario;

import io.txmon.events.codec.Channel;
import io.txmon.rules.typology.NewPayeeLargeRule;

import static io.txmon.scenario.Times.DAY;

/**
 * 13 new-payee-large, keyed on the debtor: small payments to two payees, then 5,050.00 to 8,900.00 to an
 * account it never paid.
 */
final class NewPayeeLargePlant extends Plant
{
    NewPayeeLargePlant()
    {
        super(NewPayeeLargeRule.ID, 22 * DAY);
    }

    @Override
    public void plant(final ScenarioPlan plan, final long start, final int instance)
    {
        final ScenarioRandom random = plan.random;
        final long debtor = plan.account();
        plan.pay(start, debtor, plan.account(), plan.euros(20, 300), Channel.SEPA);
        plan.pay(start + random.nextLong(DAY, 5 * DAY), debtor, plan.account(), plan.euros(20, 300), Channel.CARD);
        plan.trigger(plan.pay(start + random.nextLong(6 * DAY, 20 * DAY), debtor, plan.account(),
            plan.euros(5_050, 8_900), Channel.WIRE),
            NewPayeeLargeRule.ID, debtor);
    }
}
