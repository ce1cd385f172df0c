package io.txmon.scenario;

import io.txmon.events.codec.OrderAction;
import io.txmon.events.codec.Side;
import io.txmon.rules.typology.WashTradeRule;

import static io.txmon.scenario.Times.HOUR;
import static io.txmon.scenario.Times.SECOND;

/**
 * 19 wash-trade, keyed on the execution account: an account trades with itself (even instances), or two
 * accounts opened for one party trade with each other (odd instances).
 */
final class WashTradePlant extends Plant
{
    WashTradePlant()
    {
        super(WashTradeRule.ID);
    }

    @Override
    public void plant(final ScenarioPlan plan, final long start, final int instance)
    {
        final ScenarioRandom random = plan.random;
        final int instrument = random.nextInt(BackgroundTraffic.INSTRUMENTS);
        final long price = plan.price(instrument, 0);
        final long time = plan.sessionTime(start, 9 * HOUR, 14 * HOUR);
        final long quantity = 100L * (5 + random.nextInt(40));
        final long trader = plan.account();
        final long counterparty;
        if (0 == instance % 2)
        {
            counterparty = trader;
        }
        else
        {
            counterparty = plan.account();
            final long party = plan.party();
            plan.open(start, trader, party);
            plan.open(start + random.nextLong(HOUR, 6 * HOUR), counterparty, party);
        }

        final long orderId = plan.orderId();
        plan.order(time - random.nextLong(SECOND, 60 * SECOND), trader, orderId, instrument, price, quantity, Side.BUY,
            OrderAction.NEW);
        plan.trigger(plan.execution(time, trader, counterparty, orderId, instrument, price, quantity, Side.BUY),
            WashTradeRule.ID, trader);
    }
}
