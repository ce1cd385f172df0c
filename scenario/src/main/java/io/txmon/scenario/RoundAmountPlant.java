package io.txmon.scenario;

import io.txmon.events.codec.Channel;
import io.txmon.rules.typology.RoundAmountRule;

import static io.txmon.scenario.Times.DAY;

/**
 * 7 round-amounts, keyed on the debtor: a small payment to a payee, then three whole-thousand payments of
 * 5,000.00 to 8,000.00 to it, 1 to 2.5 days apart (inside the 7-day window).
 */
final class RoundAmountPlant extends Plant
{
    RoundAmountPlant()
    {
        super(RoundAmountRule.ID);
    }

    @Override
    public void plant(final ScenarioPlan plan, final long start, final int instance)
    {
        final ScenarioRandom random = plan.random;
        final long debtor = plan.account();
        final long creditor = plan.account();
        plan.pay(start, debtor, creditor, plan.euros(40, 250), Channel.SEPA);
        long time = start + random.nextLong(DAY, 2 * DAY);
        for (int i = 0; i < 3; i++)
        {
            final ScenarioEvent payment =
                plan.pay(time, debtor, creditor, 100_000L * (5 + random.nextInt(4)), Channel.WIRE);
            if (2 == i)
            {
                plan.trigger(payment, RoundAmountRule.ID, debtor);
            }
            time += random.nextLong(DAY, 5 * DAY / 2);
        }
    }
}
