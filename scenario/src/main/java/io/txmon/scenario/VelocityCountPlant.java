package io.txmon.scenario;

import io.txmon.events.codec.Channel;
import io.txmon.rules.typology.VelocityCountRule;

import static io.txmon.scenario.Times.SECOND;

/**
 * 3 velocity-count, keyed on the debtor: twenty small payments to three payees, 90 to 150 s apart (under 48
 * minutes in all, inside the one-hour window); amounts at least 3.80 apart, so no two are similar.
 */
final class VelocityCountPlant extends Plant
{
    VelocityCountPlant()
    {
        super(VelocityCountRule.ID);
    }

    @Override
    public void plant(final ScenarioPlan plan, final long start, final int instance)
    {
        final ScenarioRandom random = plan.random;
        final long debtor = plan.account();
        final long[] payees = { plan.account(), plan.account(), plan.account() };
        final long[] amounts = new long[20];
        for (int i = 0; i < amounts.length; i++)
        {
            amounts[i] = 1_500 + 410L * i + random.nextInt(30);
        }
        plan.shuffle(amounts);

        long time = start;
        for (int i = 0; i < amounts.length; i++)
        {
            final ScenarioEvent payment = plan.pay(
                time, debtor, payees[random.nextInt(payees.length)], amounts[i], Channel.INTERNAL);
            if (i == amounts.length - 1)
            {
                plan.trigger(payment, VelocityCountRule.ID, debtor);
            }
            time += random.nextLong(90 * SECOND, 150 * SECOND);
        }
    }
}
