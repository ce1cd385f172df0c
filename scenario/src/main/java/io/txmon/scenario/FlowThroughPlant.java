package io.txmon.scenario;

import io.txmon.events.codec.Channel;
import io.txmon.rules.typology.FlowThroughRule;

import static io.txmon.scenario.Times.DAY;
import static io.txmon.scenario.Times.HOUR;

/**
 * 24 flow-through, keyed on the hub: gather-scatter. Three distinct senders pay it 1,000.00 to 3,000.00 each within
 * a day and a half; two to three days after the last, it pays half of what came in to one beneficiary (one
 * beneficiary cannot alert), then 4 to 30 hours later 30% to 48% of it to a second, which completes the pattern: two
 * beneficiaries, 80% to 98% of the inflow paid on, no sender above 60% of it and neither beneficiary above 63% of the
 * outflow, within 6 days of the first inflow (the holding window is 10). Each outflow stays under 4,500.00, below
 * new-payee-large's 5,000.00, and every leg is days from the next, past pass-through's hour, so no other typology
 * alerts on the hub.
 */
final class FlowThroughPlant extends Plant
{
    FlowThroughPlant()
    {
        super(FlowThroughRule.ID);
    }

    @Override
    public void plant(final ScenarioPlan plan, final long start, final int instance)
    {
        final ScenarioRandom random = plan.random;
        final long hub = plan.account();
        long time = start;
        long inflow = 0;
        for (int i = 0; i < 3; i++)
        {
            time += 0 == i ? 0 : random.nextLong(2 * HOUR, 18 * HOUR);
            final long amount = plan.euros(1_000, 3_000);
            plan.pay(time, plan.account(), hub, amount, Channel.SEPA);
            inflow += amount;
        }
        time += random.nextLong(2 * DAY, 3 * DAY);
        plan.pay(time, hub, plan.account(), ScenarioPlan.notRound(inflow / 2), Channel.WIRE);
        final long rest = inflow * random.nextLong(30, 49) / 100;
        time += random.nextLong(4 * HOUR, 30 * HOUR);
        plan.trigger(
            plan.pay(time, hub, plan.account(), ScenarioPlan.notRound(rest), Channel.WIRE), FlowThroughRule.ID, hub);
    }
}
