package io.txmon.scenario;

import io.txmon.events.codec.Channel;
import io.txmon.rules.typology.FanInRule;

import static io.txmon.scenario.Times.MINUTE;

/**
 * 8 fan-in, keyed on the creditor: ten distinct senders pay it, 20 to 60 minutes apart (under 9 hours,
 * inside the 24-hour window); the tenth sender's payment is the crossing.
 */
final class FanInPlant extends Plant
{
    FanInPlant()
    {
        super(FanInRule.ID);
    }

    @Override
    public void plant(final ScenarioPlan plan, final long start, final int instance)
    {
        final ScenarioRandom random = plan.random;
        final long creditor = plan.account();
        long time = start;
        for (int i = 0; i < 10; i++)
        {
            final ScenarioEvent payment = plan.pay(time, plan.account(), creditor, plan.euros(30, 900), Channel.SEPA);
            if (9 == i)
            {
                plan.trigger(payment, FanInRule.ID, creditor);
            }
            time += random.nextLong(20 * MINUTE, 60 * MINUTE);
        }
    }
}
