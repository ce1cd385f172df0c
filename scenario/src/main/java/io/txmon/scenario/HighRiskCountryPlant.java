package io.txmon.scenario;

import io.txmon.events.codec.Channel;
import io.txmon.rules.typology.HighRiskCountryRule;

/**
 * 16 high-risk-country, keyed on the debtor: a wire of 200.00 to 4,000.00 whose creditor (even instances) or
 * debtor (odd instances) is in a default high-risk country.
 */
final class HighRiskCountryPlant extends Plant
{
    private static final int[] HIGH_RISK = new int[HighRiskCountryRule.DEFAULT_COUNTRIES.length];

    static
    {
        for (int i = 0; i < HIGH_RISK.length; i++)
        {
            HIGH_RISK[i] = ScenarioEvent.country(HighRiskCountryRule.DEFAULT_COUNTRIES[i]);
        }
    }

    HighRiskCountryPlant()
    {
        super(HighRiskCountryRule.ID);
    }

    @Override
    public void plant(final ScenarioPlan plan, final long start, final int instance)
    {
        final ScenarioRandom random = plan.random;
        final long debtor = plan.account();
        final ScenarioEvent payment = plan.pay(start, debtor, plan.account(), plan.euros(200, 4_000), Channel.WIRE);
        final int country = HIGH_RISK[random.nextInt(HIGH_RISK.length)];
        if (0 == instance % 2)
        {
            payment.creditorCountry = country;
        }
        else
        {
            payment.debtorCountry = country;
        }
        plan.trigger(payment, HighRiskCountryRule.ID, debtor);
    }
}
