package io.txmon.scenario;

import io.txmon.events.codec.Channel;
import io.txmon.rules.typology.ImpossibleTravelRule;

import static io.txmon.scenario.Times.MINUTE;

/**
 * 15 impossible-travel, keyed on the debtor: card payments in two cities thousands of kilometres apart, 10 to
 * 120 minutes apart: over 2,000 km/h.
 */
final class ImpossibleTravelPlant extends Plant
{
    ImpossibleTravelPlant()
    {
        super(ImpossibleTravelRule.ID);
    }

    @Override
    public void plant(final ScenarioPlan plan, final long start, final int instance)
    {
        final ScenarioRandom random = plan.random;
        final long debtor = plan.account();
        final int[] cities = Places.FAR_APART[random.nextInt(Places.FAR_APART.length)];
        final int first = random.chance(0.5) ? 0 : 2;
        final ScenarioEvent there =
            plan.card(plan.pay(start, debtor, plan.account(), plan.euros(20, 150), Channel.CARD));
        plan.position(there, cities[first], cities[first + 1]);
        final ScenarioEvent here = plan.card(plan.pay(
            start + random.nextLong(10 * MINUTE, 120 * MINUTE), debtor, plan.account(), plan.euros(20, 150),
            Channel.CARD));
        plan.position(here, cities[2 - first], cities[3 - first]);
        plan.trigger(here, ImpossibleTravelRule.ID, debtor);
    }
}
