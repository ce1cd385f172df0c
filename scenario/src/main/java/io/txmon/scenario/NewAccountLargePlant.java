package io.txmon.scenario;

import io.txmon.events.codec.Channel;
import io.txmon.rules.typology.LargeAmountRule;
import io.txmon.rules.typology.NewAccountLargeRule;

import static io.txmon.scenario.Times.DAY;
import static io.txmon.scenario.Times.HOUR;

/**
 * 12 new-account-large, keyed on the creditor: opened, a small deposit from a payer within hours, then 1 to 20
 * days later (inside the 30-day age) 10,000.00 to 40,000.00 from the same payer. It is also a large amount.
 */
final class NewAccountLargePlant extends Plant
{
    private static final long LARGE_AMOUNT = LargeAmountRule.DEFAULT_THRESHOLD_MINOR_UNITS;

    NewAccountLargePlant()
    {
        super(NewAccountLargeRule.ID, 22 * DAY);
    }

    @Override
    public void plant(final ScenarioPlan plan, final long start, final int instance)
    {
        final ScenarioRandom random = plan.random;
        final long creditor = plan.account();
        final long payer = plan.account();
        plan.open(start, creditor, plan.party());
        plan.pay(start + random.nextLong(HOUR, 10 * HOUR), payer, creditor, plan.euros(10, 100), Channel.SEPA);
        final long amount = ScenarioPlan.notRound(random.nextLong(LARGE_AMOUNT + 1, 4 * LARGE_AMOUNT));
        plan.trigger(plan.pay(start + random.nextLong(DAY, 20 * DAY), payer, creditor, amount, Channel.WIRE),
            NewAccountLargeRule.ID, creditor);
    }
}
