package io.txmon.scenario;

import io.txmon.events.codec.Channel;
import io.txmon.rules.typology.LargeAmountRule;

import static io.txmon.scenario.Times.DAY;

/**
 * 1 large-amount, keyed on the debtor: a small payment to a payee, then days later one at 1.05 to 4.5 times
 * the threshold to the same payee (so not a new payee), below the velocity-sum threshold.
 */
final class LargeAmountPlant extends Plant
{
    private static final long LARGE_AMOUNT = LargeAmountRule.DEFAULT_THRESHOLD_MINOR_UNITS;

    LargeAmountPlant()
    {
        super(LargeAmountRule.ID, 12 * DAY);
    }

    @Override
    public void plant(final ScenarioPlan plan, final long start, final int instance)
    {
        final ScenarioRandom random = plan.random;
        final long debtor = plan.account();
        final long creditor = plan.account();
        plan.pay(start, debtor, creditor, plan.euros(40, 300), Channel.SEPA);
        final long amount =
            ScenarioPlan.notRound(random.nextLong(LARGE_AMOUNT + LARGE_AMOUNT / 20, LARGE_AMOUNT * 9 / 2));
        plan.trigger(plan.pay(start + random.nextLong(DAY, 10 * DAY), debtor, creditor, amount, Channel.WIRE),
            LargeAmountRule.ID, debtor);
    }
}
