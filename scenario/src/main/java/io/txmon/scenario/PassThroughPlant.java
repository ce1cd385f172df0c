package io.txmon.scenario;

import io.txmon.events.codec.Channel;
import io.txmon.rules.typology.PassThroughRule;

import static io.txmon.scenario.Times.MINUTE;

/**
 * 10 pass-through, keyed on the pass-through account: it receives 1,500.00 to 4,800.00 and pays on between
 * 91% and 100% of it 5 to 55 minutes later (inside the 10% tolerance and the one-hour window).
 */
final class PassThroughPlant extends Plant
{
    PassThroughPlant()
    {
        super(PassThroughRule.ID);
    }

    @Override
    public void plant(final ScenarioPlan plan, final long start, final int instance)
    {
        final ScenarioRandom random = plan.random;
        final long source = plan.account();
        final long mule = plan.account();
        final long destination = plan.account();
        final long inbound = plan.euros(1_500, 4_800);
        plan.pay(start, source, mule, inbound, Channel.SEPA);
        final long outbound = inbound - random.nextLong(0, inbound / 10 * 9 / 10 + 1);
        plan.trigger(
            plan.pay(start + random.nextLong(5 * MINUTE, 55 * MINUTE), mule, destination, outbound, Channel.WIRE),
            PassThroughRule.ID, mule);
    }
}
