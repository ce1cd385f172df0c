package io.txmon.scenario;

import io.txmon.events.codec.Channel;
import io.txmon.rules.typology.FanOutRule;

import static io.txmon.scenario.Times.MINUTE;

/**
 * 9 fan-out, keyed on the debtor: it pays ten distinct beneficiaries 20 to 60 minutes apart; amounts 36.00
 * or more apart, so no five are similar.
 */
final class FanOutPlant extends Plant
{
    FanOutPlant()
    {
        super(FanOutRule.ID);
    }

    @Override
    public void plant(final ScenarioPlan plan, final long start, final int instance)
    {
        final ScenarioRandom random = plan.random;
        final long debtor = plan.account();
        final long[] amounts = new long[10];
        for (int i = 0; i < amounts.length; i++)
        {
            amounts[i] = 2_500 + 3_700L * i + random.nextInt(100);
        }
        plan.shuffle(amounts);

        long time = start;
        for (int i = 0; i < amounts.length; i++)
        {
            final ScenarioEvent payment = plan.pay(time, debtor, plan.account(), amounts[i], Channel.SEPA);
            if (i == amounts.length - 1)
            {
                plan.trigger(payment, FanOutRule.ID, debtor);
            }
            time += random.nextLong(20 * MINUTE, 60 * MINUTE);
        }
    }
}
