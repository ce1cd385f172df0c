package io.txmon.scenario;

import io.txmon.events.codec.OrderAction;
import io.txmon.events.codec.Side;
import io.txmon.rules.typology.SpoofingRule;

import static io.txmon.scenario.Times.HOUR;
import static io.txmon.scenario.Times.MILLISECOND;
import static io.txmon.scenario.Times.SECOND;

/**
 * 20 spoofing, keyed on the order account: a large order (20,000 to 60,000) on one side, a small order on the
 * other side executed 1.5 to 2.5 s later, then the large order cancelled 0.3 to 4 s after the execution
 * (inside the 5-second window).
 */
final class SpoofingPlant extends Plant
{
    SpoofingPlant()
    {
        super(SpoofingRule.ID);
    }

    @Override
    public void plant(final ScenarioPlan plan, final long start, final int instance)
    {
        final ScenarioRandom random = plan.random;
        final long trader = plan.account();
        final int instrument = random.nextInt(BackgroundTraffic.INSTRUMENTS);
        final Side side = random.chance(0.5) ? Side.BUY : Side.SELL;
        final Side other = Side.BUY == side ? Side.SELL : Side.BUY;
        final long bigPrice = plan.price(instrument, Side.BUY == side ? -2 - random.nextInt(4) : 2 + random.nextInt(4));
        final long bigQuantity = 100L * (200 + random.nextInt(401));
        final long smallQuantity = 100L * (5 + random.nextInt(16));
        final long price = plan.price(instrument, 0);
        final long big = plan.orderId();
        final long small = plan.orderId();

        final long time = plan.sessionTime(start, 9 * HOUR, 14 * HOUR);
        plan.order(time, trader, big, instrument, bigPrice, bigQuantity, side, OrderAction.NEW);
        plan.order(time + random.nextLong(500 * MILLISECOND, 1_200 * MILLISECOND), trader, small, instrument, price,
            smallQuantity, other, OrderAction.NEW);
        final long executed = time + random.nextLong(1_500 * MILLISECOND, 2_500 * MILLISECOND);
        plan.execution(executed, trader, plan.account(), small, instrument, price, smallQuantity, other);
        plan.trigger(plan.order(executed + random.nextLong(300 * MILLISECOND, 4 * SECOND), trader, big, instrument,
            bigPrice, bigQuantity, side, OrderAction.CANCEL), SpoofingRule.ID, trader);
    }
}
