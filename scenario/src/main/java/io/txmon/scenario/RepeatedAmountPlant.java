package io.txmon.scenario;

import io.txmon.events.codec.Channel;
import io.txmon.rules.typology.RepeatedAmountRule;

import static io.txmon.scenario.Times.HOUR;

/**
 * 6 repeated-similar-amounts, keyed on the debtor: five payments within 0.8% of one amount of 1,200.00 to
 * 4,500.00, 8 to 30 hours apart (inside the 7-day window), to two payees.
 */
final class RepeatedAmountPlant extends Plant
{
    RepeatedAmountPlant()
    {
        super(RepeatedAmountRule.ID);
    }

    @Override
    public void plant(final ScenarioPlan plan, final long start, final int instance)
    {
        final ScenarioRandom random = plan.random;
        final long debtor = plan.account();
        final long[] payees = { plan.account(), plan.account() };
        final long base = random.nextLong(120_000, 450_000);
        long time = start;
        for (int i = 0; i < 5; i++)
        {
            final long amount = base + random.nextLong(0, base * 8 / 1000);
            final ScenarioEvent payment = plan.pay(time, debtor, payees[i % 2], amount, Channel.SEPA);
            if (4 == i)
            {
                plan.trigger(payment, RepeatedAmountRule.ID, debtor);
            }
            time += random.nextLong(8 * HOUR, 30 * HOUR);
        }
    }
}
