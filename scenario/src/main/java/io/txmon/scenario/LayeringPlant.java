package io.txmon.scenario;

import io.txmon.events.codec.OrderAction;
import io.txmon.events.codec.Side;
import io.txmon.rules.typology.LayeringRule;

import static io.txmon.scenario.Times.HOUR;
import static io.txmon.scenario.Times.MILLISECOND;
import static io.txmon.scenario.Times.SECOND;

/**
 * 21 layering, keyed on the order account: five (even instances) or six (odd) orders on one side at distinct
 * prices 200 to 400 ms apart, a small order on the other side executed, then the layered orders cancelled 100
 * to 300 ms apart; the fifth cancel alerts, about 5 s after the first order (inside the 10-second window).
 * Quantities stay below the spoofing minimum.
 */
final class LayeringPlant extends Plant
{
    LayeringPlant()
    {
        super(LayeringRule.ID);
    }

    @Override
    public void plant(final ScenarioPlan plan, final long start, final int instance)
    {
        final ScenarioRandom random = plan.random;
        final long trader = plan.account();
        final int instrument = random.nextInt(BackgroundTraffic.INSTRUMENTS);
        final Side side = random.chance(0.5) ? Side.BUY : Side.SELL;
        final Side other = Side.BUY == side ? Side.SELL : Side.BUY;
        final int direction = Side.BUY == side ? -1 : 1;
        final int layers = 0 == instance % 2 ? 5 : 6;
        final long[] ids = new long[layers];
        final long[] prices = new long[layers];
        final long[] quantities = new long[layers];

        long time = plan.sessionTime(start, 9 * HOUR, 14 * HOUR);
        for (int i = 0; i < layers; i++)
        {
            ids[i] = plan.orderId();
            prices[i] = plan.price(instrument, direction * (i + 1));
            quantities[i] = 100L * (10 + random.nextInt(41));
            plan.order(time, trader, ids[i], instrument, prices[i], quantities[i], side, OrderAction.NEW);
            time += random.nextLong(200 * MILLISECOND, 400 * MILLISECOND);
        }

        final long small = plan.orderId();
        final long price = plan.price(instrument, 0);
        final long smallQuantity = 100L * (2 + random.nextInt(9));
        plan.order(time, trader, small, instrument, price, smallQuantity, other, OrderAction.NEW);
        time += random.nextLong(300 * MILLISECOND, 800 * MILLISECOND);
        plan.execution(time, trader, plan.account(), small, instrument, price, smallQuantity, other);
        time += random.nextLong(500 * MILLISECOND, SECOND);

        for (int i = 0; i < layers; i++)
        {
            final ScenarioEvent cancel = plan.order(
                time, trader, ids[i], instrument, prices[i], quantities[i], side, OrderAction.CANCEL);
            if (4 == i)
            {
                plan.trigger(cancel, LayeringRule.ID, trader);
            }
            time += random.nextLong(100 * MILLISECOND, 300 * MILLISECOND);
        }
    }
}
