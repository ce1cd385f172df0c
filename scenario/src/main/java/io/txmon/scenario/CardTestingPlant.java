package io.txmon.scenario;

import io.txmon.events.codec.Channel;
import io.txmon.rules.typology.CardTestingRule;

import static io.txmon.scenario.Times.DAY;
import static io.txmon.scenario.Times.SECOND;

/**
 * 14 card-testing, keyed on the debtor: three ordinary payments of 380.00 to 450.00 over the previous weeks
 * (so the follow-up is not far above the debtor's history), then five card payments of at most 2.00 at five
 * merchants 30 to 90 s apart, then 500.00 to 800.00 at a sixth merchant 30 to 120 s later, all within 8
 * minutes (inside the 10-minute window).
 */
final class CardTestingPlant extends Plant
{
    CardTestingPlant()
    {
        super(CardTestingRule.ID, 22 * DAY);
    }

    @Override
    public void plant(final ScenarioPlan plan, final long start, final int instance)
    {
        final ScenarioRandom random = plan.random;
        final long debtor = plan.account();
        final long[] payees = { plan.account(), plan.account() };
        long time = start;
        for (int i = 0; i < 3; i++)
        {
            plan.pay(time, debtor, payees[i % 2], plan.euros(380, 450), Channel.SEPA);
            time += random.nextLong(DAY, 6 * DAY);
        }

        final long[] small = { 45, 80, 120, 160, 195 };
        for (int i = 0; i < small.length; i++)
        {
            small[i] += random.nextInt(5);
        }
        plan.shuffle(small);

        time = start + random.nextLong(19 * DAY, 20 * DAY);
        for (final long amount : small)
        {
            plan.card(plan.pay(time, debtor, plan.account(), amount, Channel.CARD));
            time += random.nextLong(30 * SECOND, 90 * SECOND);
        }
        time += random.nextLong(0, 30 * SECOND);
        plan.trigger(plan.card(plan.pay(time, debtor, plan.account(), plan.euros(500, 800), Channel.CARD)),
            CardTestingRule.ID, debtor);
    }
}
