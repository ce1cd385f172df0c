package io.txmon.scenario;

import io.txmon.events.codec.Channel;
import io.txmon.rules.typology.CycleRule;

import static io.txmon.scenario.Times.HOUR;

/**
 * 18 cycle, keyed on the debtor of the closing payment: funds go round three (even instances) or four (odd)
 * accounts, each leg 0.5% to 3% smaller and 2 to 20 hours after the previous one (past the pass-through
 * window), all within 3 days (inside the 7-day window).
 */
final class CyclePlant extends Plant
{
    CyclePlant()
    {
        super(CycleRule.ID);
    }

    @Override
    public void plant(final ScenarioPlan plan, final long start, final int instance)
    {
        final ScenarioRandom random = plan.random;
        final long[] ring = new long[0 == instance % 2 ? 3 : 4];
        for (int i = 0; i < ring.length; i++)
        {
            ring[i] = plan.account();
        }

        long amount = plan.euros(2_000, 4_500);
        long time = start;
        for (int i = 0; i < ring.length; i++)
        {
            final ScenarioEvent payment = plan.pay(time, ring[i], ring[(i + 1) % ring.length], amount, Channel.SEPA);
            if (i == ring.length - 1)
            {
                plan.trigger(payment, CycleRule.ID, ring[i]);
            }
            amount = amount * (970 + random.nextInt(26)) / 1000;
            time += random.nextLong(2 * HOUR, 20 * HOUR);
        }
    }
}
