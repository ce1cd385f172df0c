package io.txmon.scenario;

import io.txmon.rules.typology.MarkingTheCloseRule;

import static io.txmon.scenario.Times.HOUR;
import static io.txmon.scenario.Times.MINUTE;
import static io.txmon.scenario.Times.SECOND;

/**
 * 23 marking-the-close, keyed on the execution account: a small buy in the morning (200 to 400), then two
 * buys in the last five minutes before the 16:00 UTC close (700 to 900, then 600 to 900): the second takes the
 * close-window quantity past 1,000 at three quarters or more of the day's volume.
 */
final class MarkingTheClosePlant extends Plant
{
    MarkingTheClosePlant()
    {
        super(MarkingTheCloseRule.ID);
    }

    @Override
    public void plant(final ScenarioPlan plan, final long start, final int instance)
    {
        final ScenarioRandom random = plan.random;
        final long trader = plan.account();
        final int instrument = random.nextInt(BackgroundTraffic.INSTRUMENTS);
        final long day = Times.nextTradingDay(start);

        final long morning = day + random.nextLong(10 * HOUR, 12 * HOUR);
        final long early = 10L * (20 + random.nextInt(21));
        final long first = day + Times.SESSION_CLOSE - random.nextLong(3 * MINUTE, 4 * MINUTE + 30 * SECOND);
        final long second = first + random.nextLong(30 * SECOND, 120 * SECOND);

        plan.buy(morning, trader, instrument, plan.price(instrument, 0), early);
        plan.buy(first, trader, instrument, plan.price(instrument, 3), 10L * (70 + random.nextInt(21)));
        plan.trigger(plan.buy(second, trader, instrument, plan.price(instrument, 6), 10L * (60 + random.nextInt(31))),
            MarkingTheCloseRule.ID, trader);
    }
}
