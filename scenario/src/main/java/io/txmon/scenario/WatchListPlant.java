package io.txmon.scenario;

import io.txmon.events.codec.Channel;
import io.txmon.rules.typology.WatchListRule;

import static io.txmon.scenario.Times.DAY;
import static io.txmon.scenario.Times.HOUR;

/**
 * 17 watch-list, keyed on the debtor, four variants in turn: a watched account pays; an account just opened for
 * a watched party pays; a payment to a watched account; a payment to an account just opened for a watched
 * party.
 */
final class WatchListPlant extends Plant
{
    WatchListPlant()
    {
        super(WatchListRule.ID);
    }

    @Override
    public void plant(final ScenarioPlan plan, final long start, final int instance)
    {
        final ScenarioRandom random = plan.random;
        final long watchedAccount = ScenarioPlan.FIRST_ACCOUNT + 1 + (instance / 4) % ScenarioPlan.WATCHED_ACCOUNTS;
        final long watchedParty = ScenarioPlan.FIRST_PARTY + 1 + (instance / 4) % ScenarioPlan.WATCHED_PARTIES;
        final long later = start + random.nextLong(HOUR, 2 * DAY);
        final long amount = plan.euros(100, 3_000);
        switch (instance % 4)
        {
            case 0:
                plan.trigger(plan.pay(start, watchedAccount, plan.account(), amount, Channel.SEPA), WatchListRule.ID,
                    watchedAccount);
                break;

            case 1:
            {
                final long debtor = plan.account();
                plan.open(start, debtor, watchedParty);
                plan.trigger(plan.pay(later, debtor, plan.account(), amount, Channel.SEPA), WatchListRule.ID, debtor);
                break;
            }

            case 2:
            {
                final long debtor = plan.account();
                plan.trigger(plan.pay(start, debtor, watchedAccount, amount, Channel.WIRE), WatchListRule.ID, debtor);
                break;
            }

            default:
            {
                final long creditor = plan.account();
                final long debtor = plan.account();
                plan.open(start, creditor, watchedParty);
                plan.trigger(plan.pay(later, debtor, creditor, amount, Channel.SEPA), WatchListRule.ID, debtor);
                break;
            }
        }
    }
}
