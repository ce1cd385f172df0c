package io.txmon.scenario;

import io.txmon.events.codec.OrderAction;
import io.txmon.events.codec.Side;
import io.txmon.rules.typology.ExcessiveCancelRule;

import static io.txmon.scenario.Times.HOUR;
import static io.txmon.scenario.Times.SECOND;

/**
 * 22 excessive-cancels, keyed on the order account: one executed order, then 25 orders each cancelled 15 to
 * 40 s after it is placed, the next placed 40 to 70 s later, all within 50 minutes (inside the one-hour
 * window). At the 25th cancel the window holds 51 order messages and 25 cancels against one execution: the
 * first time both the 50-message minimum and the ratio of 20 are met. Each cancel is more than the layering
 * window after its order, and all orders are small.
 */
final class ExcessiveCancelPlant extends Plant
{
    ExcessiveCancelPlant()
    {
        super(ExcessiveCancelRule.ID);
    }

    @Override
    public void plant(final ScenarioPlan plan, final long start, final int instance)
    {
        final ScenarioRandom random = plan.random;
        final long trader = plan.account();
        final int instrument = random.nextInt(BackgroundTraffic.INSTRUMENTS);
        long time = plan.sessionTime(start, 9 * HOUR, 13 * HOUR);

        final long filled = plan.orderId();
        final long quantity = 100L * (1 + random.nextInt(9));
        plan.order(time, trader, filled, instrument, plan.price(instrument, 0), quantity, Side.BUY, OrderAction.NEW);
        time += random.nextLong(SECOND, 5 * SECOND);
        plan.execution(time, trader, plan.account(), filled, instrument, plan.price(instrument, 0), quantity, Side.BUY);

        time += random.nextLong(30 * SECOND, 60 * SECOND);
        for (int i = 0; i < 25; i++)
        {
            final long id = plan.orderId();
            final Side side = random.chance(0.5) ? Side.BUY : Side.SELL;
            final long price = plan.price(instrument, random.nextInt(5) - 2);
            final long size = 100L * (1 + random.nextInt(9));
            plan.order(time, trader, id, instrument, price, size, side, OrderAction.NEW);
            time += random.nextLong(15 * SECOND, 40 * SECOND);
            final ScenarioEvent cancel =
                plan.order(time, trader, id, instrument, price, size, side, OrderAction.CANCEL);
            if (24 == i)
            {
                plan.trigger(cancel, ExcessiveCancelRule.ID, trader);
            }
            time += random.nextLong(40 * SECOND, 70 * SECOND);
        }
    }
}
