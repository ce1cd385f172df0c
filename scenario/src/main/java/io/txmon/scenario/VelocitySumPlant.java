package io.txmon.scenario;

import io.txmon.events.codec.Channel;
import io.txmon.rules.typology.VelocitySumRule;

import static io.txmon.scenario.Times.DAY;
import static io.txmon.scenario.Times.HOUR;

/**
 * 4 velocity-sum, keyed on the debtor: a small payment to a payee, then days later six payments of 8,400.00 to
 * 8,905.00 to it within 15 hours: any five sum to less than 50,000.00, all six to more. The amounts are 95.00
 * or more apart (not similar), below the structuring band and not round.
 */
final class VelocitySumPlant extends Plant
{
    VelocitySumPlant()
    {
        super(VelocitySumRule.ID);
    }

    @Override
    public void plant(final ScenarioPlan plan, final long start, final int instance)
    {
        final ScenarioRandom random = plan.random;
        final long debtor = plan.account();
        final long creditor = plan.account();
        plan.pay(start, debtor, creditor, plan.euros(50, 120), Channel.SEPA);
        final long[] amounts = new long[6];
        for (int i = 0; i < amounts.length; i++)
        {
            amounts[i] = 840_000 + 10_000L * i + 1 + random.nextInt(499);
        }
        plan.shuffle(amounts);

        long time = start + random.nextLong(2 * DAY, 3 * DAY);
        for (int i = 0; i < amounts.length; i++)
        {
            final ScenarioEvent payment = plan.pay(time, debtor, creditor, amounts[i], Channel.WIRE);
            if (i == amounts.length - 1)
            {
                plan.trigger(payment, VelocitySumRule.ID, debtor);
            }
            time += random.nextLong(HOUR, 3 * HOUR);
        }
    }
}
