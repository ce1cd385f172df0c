package io.txmon.rules.typology;

import io.txmon.events.codec.AccountAction;
import io.txmon.events.codec.Channel;
import io.txmon.rules.RuleWorker;
import io.txmon.rules.TxEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.txmon.rules.typology.AmlNetworkTestSupport.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Finding 8 of issue 12, rule by rule: one event of an account dated in the year 2100, at Long.MAX_VALUE or
 * at Long.MIN_VALUE, then the account's normal payments: no rule throws, and the pattern that alerts without
 * the outlier alerts with it. Before the fix fan-in and fan-out never alerted again for the account, and
 * dormant-reactivated and new-account-large threw on Long.MIN_VALUE.
 */
class ExtremeEventTimeRulesTest
{
    private static final long YEAR_2100 = 4_102_444_800L * SECOND;
    private static final long ACCOUNT = 700_001L;

    private long offset;

    @ParameterizedTest
    @ValueSource(longs = { YEAR_2100, Long.MAX_VALUE, Long.MIN_VALUE, -1 })
    void fanInStillAlertsAfterAnOutlier(final long outlier)
    {
        final RuleWorker worker = worker(0, 1, new FanInRule());
        final TxEvent event = new TxEvent(1, 8);
        evaluate(worker, payment(event, offset++, outlier, 99, ACCOUNT, 10_000));
        int alerts = 0;
        for (int i = 0; i < 10; i++)
        {
            alerts += alertCount(evaluate(worker, payment(event, offset++, T0 + i * MINUTE, 100 + i, ACCOUNT, 10_000)));
        }
        assertEquals(1, alerts, "ten distinct senders within a day");
    }

    @ParameterizedTest
    @ValueSource(longs = { YEAR_2100, Long.MAX_VALUE, Long.MIN_VALUE, -1 })
    void anOutlierInTheMiddleOfAFanInCostsNothing(final long outlier)
    {
        final RuleWorker worker = worker(0, 1, new FanInRule());
        final TxEvent event = new TxEvent(1, 8);
        int alerts = 0;
        for (int i = 0; i < 10; i++)
        {
            if (i == 5)
            {
                evaluate(worker, payment(event, offset++, outlier, 99, ACCOUNT, 10_000));
            }
            alerts += alertCount(evaluate(worker, payment(event, offset++, T0 + i * MINUTE, 100 + i, ACCOUNT, 10_000)));
            assertEquals(i == 9 ? 1 : 0, alerts, "sender " + i);
        }
    }

    @ParameterizedTest
    @ValueSource(longs = { YEAR_2100, Long.MAX_VALUE, Long.MIN_VALUE })
    void anOutlierInTheMiddleOfCardTestingCostsNothing(final long outlier)
    {
        final RuleWorker worker = worker(0, 1, new CardTestingRule());
        final TxEvent event = new TxEvent(1, 8);
        for (int i = 0; i < 5; i++)
        {
            if (i == 2)
            {
                evaluate(worker, card(payment(event, offset++, outlier, ACCOUNT, 99, 100)));
            }
            evaluate(worker, card(payment(event, offset++, T0 + i * SECOND, ACCOUNT, 100 + i, 100)));
        }
        assertEquals(1, alertCount(evaluate(worker, payment(event, offset++, T0 + MINUTE, ACCOUNT, 200, 60_000))));
    }

    @ParameterizedTest
    @ValueSource(longs = { YEAR_2100, Long.MAX_VALUE, Long.MIN_VALUE, -1 })
    void fanOutStillAlertsAfterAnOutlier(final long outlier)
    {
        final RuleWorker worker = worker(0, 1, new FanOutRule());
        final TxEvent event = new TxEvent(1, 8);
        evaluate(worker, payment(event, offset++, outlier, ACCOUNT, 99, 10_000));
        int alerts = 0;
        for (int i = 0; i < 10; i++)
        {
            alerts += alertCount(evaluate(worker, payment(event, offset++, T0 + i * MINUTE, ACCOUNT, 100 + i, 10_000)));
        }
        assertEquals(1, alerts, "ten distinct beneficiaries within a day");
    }

    @ParameterizedTest
    @ValueSource(longs = { YEAR_2100, Long.MAX_VALUE, Long.MIN_VALUE, -1 })
    void dormantReactivatedNeitherThrowsNorStaysSilent(final long outlier)
    {
        final RuleWorker worker = worker(0, 1, new DormantReactivatedRule());
        final TxEvent event = new TxEvent(1, 8);
        evaluate(worker, payment(event, offset++, outlier, ACCOUNT, 99, 500_000));
        evaluate(worker, payment(event, offset++, T0, ACCOUNT, 99, 500_000));
        assertEquals(1, alertCount(evaluate(worker, payment(event, offset++, T0 + 200 * DAY, ACCOUNT, 99, 500_000))),
            "200 days without activity, then a payment");
    }

    @ParameterizedTest
    @ValueSource(longs = { YEAR_2100, Long.MAX_VALUE, Long.MIN_VALUE, -1 })
    void newAccountLargeNeitherThrowsNorStaysSilent(final long outlier)
    {
        final RuleWorker worker = worker(0, 1, new NewAccountLargeRule());
        final TxEvent event = new TxEvent(1, 8);
        evaluate(worker, accountUpdate(event, offset++, outlier, ACCOUNT, AccountAction.OPEN.value()));
        evaluate(worker, payment(event, offset++, T0, 99, ACCOUNT, 5_000_000));
        evaluate(worker, accountUpdate(event, offset++, T0 + DAY, ACCOUNT, AccountAction.OPEN.value()));
        assertEquals(1, alertCount(evaluate(worker, payment(event, offset++, T0 + 2 * DAY, 99, ACCOUNT, 5_000_000))),
            "a large payment into the account a day after it was opened");
    }

    @ParameterizedTest
    @ValueSource(longs = { YEAR_2100, Long.MAX_VALUE })
    void newPayeeLargeForgetsAPayeeLastPaidFarAhead(final long outlier)
    {
        final RuleWorker worker = worker(0, 1, new NewPayeeLargeRule());
        final TxEvent event = new TxEvent(1, 8);
        evaluate(worker, payment(event, offset++, outlier, ACCOUNT, 99, 10));
        assertEquals(1, alertCount(evaluate(worker, payment(event, offset++, T0, ACCOUNT, 99, 5_000_000))),
            "not paid within the lookback of this payment");
        assertEquals(0, alertCount(evaluate(worker, payment(event, offset++, T0 + DAY, ACCOUNT, 99, 5_000_000))),
            "paid yesterday");
    }

    @ParameterizedTest
    @ValueSource(longs = { YEAR_2100, Long.MAX_VALUE, Long.MIN_VALUE })
    void passThroughStillMatchesAfterAnOutlier(final long outlier)
    {
        final RuleWorker worker = worker(0, 1, new PassThroughRule());
        final TxEvent event = new TxEvent(1, 8);
        evaluate(worker, payment(event, offset++, outlier, 99, ACCOUNT, 1_000_000));
        evaluate(worker, payment(event, offset++, T0, 98, ACCOUNT, 1_000_000));
        assertEquals(1, alertCount(evaluate(worker, payment(event, offset++, T0 + MINUTE, ACCOUNT, 97, 990_000))),
            "in and out within the hour");
    }

    /** A whole flow-through at the outlier (alerting there, at 2100 or at the end of time) quiets nothing now. */
    @ParameterizedTest
    @ValueSource(longs = { YEAR_2100, Long.MAX_VALUE, Long.MIN_VALUE })
    void flowThroughStillAlertsAfterAnOutlier(final long outlier)
    {
        final RuleWorker worker = worker(0, 1, new FlowThroughRule());
        final TxEvent event = new TxEvent(1, 8);
        evaluate(worker, payment(event, offset++, outlier, 99, ACCOUNT, 100_000));
        evaluate(worker, payment(event, offset++, outlier, 98, ACCOUNT, 100_000));
        evaluate(worker, payment(event, offset++, outlier, ACCOUNT, 97, 100_000));
        assertEquals(outlier == Long.MIN_VALUE ? 0 : 1,
            alertCount(evaluate(worker, payment(event, offset++, outlier, ACCOUNT, 96, 100_000))),
            "the outlier's own flow-through, which nothing can count at the start of time");
        evaluate(worker, payment(event, offset++, T0, 95, ACCOUNT, 100_000));
        evaluate(worker, payment(event, offset++, T0 + HOUR, 94, ACCOUNT, 100_000));
        evaluate(worker, payment(event, offset++, T0 + DAY, ACCOUNT, 93, 100_000));
        assertEquals(1, alertCount(evaluate(worker, payment(event, offset++, T0 + 2 * DAY, ACCOUNT, 92, 100_000))),
            "two senders in, two days later all of it out to two beneficiaries");
    }

    @ParameterizedTest
    @ValueSource(longs = { YEAR_2100, Long.MAX_VALUE, Long.MIN_VALUE })
    void cardTestingStillAlertsAfterAnOutlier(final long outlier)
    {
        final RuleWorker worker = worker(0, 1, new CardTestingRule());
        final TxEvent event = new TxEvent(1, 8);
        evaluate(worker, card(payment(event, offset++, outlier, ACCOUNT, 99, 100)));
        for (int i = 0; i < 5; i++)
        {
            evaluate(worker, card(payment(event, offset++, T0 + i * SECOND, ACCOUNT, 100 + i, 100)));
        }
        assertEquals(1, alertCount(evaluate(worker, payment(event, offset++, T0 + MINUTE, ACCOUNT, 200, 60_000))),
            "five small payments then a large one within ten minutes");
    }

    @ParameterizedTest
    @ValueSource(longs = { YEAR_2100, Long.MAX_VALUE, Long.MIN_VALUE })
    void excessiveCancelsStillAlertAfterAnOutlier(final long outlier)
    {
        // defaults: ratio 20, 50 order messages; 25 new + 25 cancels with 1 execution alert
        final GeoMarketHarness h = new GeoMarketHarness(new ExcessiveCancelRule());
        h.order(outlier, 5, 7, 1_000, 0, 0, 100, 10);
        h.execution(T0, 5, 6, 7, 1, 1);
        int alerts = 0;
        for (int i = 0; i < 25; i++)
        {
            alerts += h.order(T0 + (1 + i) * 1_000_000L, 5, 7, i, 0, 0, 100, 10);
        }
        for (int i = 0; i < 25; i++)
        {
            alerts += h.order(T0 + (26 + i) * 1_000_000L, 5, 7, i, 0, 2, 100, 10);
        }
        assertEquals(1, alerts, "25 cancels against 1 execution within the hour");
    }

    @ParameterizedTest
    @ValueSource(longs = { YEAR_2100, Long.MAX_VALUE, Long.MIN_VALUE })
    void markingTheCloseStillAlertsAfterAnOutlier(final long outlier)
    {
        final long midnight = Math.floorDiv(T0, DAY) * DAY;
        final long close = midnight + 16 * HOUR;
        final GeoMarketHarness h = new GeoMarketHarness(new MarkingTheCloseRule());
        h.execution(outlier, 5, 9, 31, 0, 5_000);
        assertEquals(0, h.execution(midnight + 10 * HOUR, 5, 9, 31, 0, 2_000));
        assertEquals(1, h.execution(close - 60 * SECOND, 5, 9, 31, 0, 2_000), "half the day's volume before the close");
    }

    @ParameterizedTest
    @ValueSource(longs = { YEAR_2100, Long.MAX_VALUE, Long.MIN_VALUE })
    void impossibleTravelStillAlertsAfterAnOutlier(final long outlier)
    {
        final RuleWorker worker = worker(0, 1, new ImpossibleTravelRule());
        final TxEvent event = new TxEvent(1, 8);
        evaluate(worker, at(card(payment(event, offset++, outlier, ACCOUNT, 99, 100)), 48_856_613, 2_352_222));
        assertEquals(0, alertCount(evaluate(worker,
            at(card(payment(event, offset++, T0, ACCOUNT, 99, 100)), 48_856_613, 2_352_222))), "Paris");
        assertEquals(1, alertCount(evaluate(worker,
            at(card(payment(event, offset++, T0 + HOUR, ACCOUNT, 99, 100)), 40_712_776, -74_005_974))),
            "New York an hour later");
    }

    @Test
    void eventTimesSaturate()
    {
        assertEquals(Long.MIN_VALUE, EventTimes.minus(Long.MIN_VALUE + 1, 10));
        assertEquals(Long.MAX_VALUE, EventTimes.plus(Long.MAX_VALUE - 1, 10));
        assertEquals(Long.MAX_VALUE, EventTimes.gap(Long.MAX_VALUE, Long.MIN_VALUE));
        assertEquals(Long.MIN_VALUE, EventTimes.gap(Long.MIN_VALUE, Long.MAX_VALUE));
        assertEquals(YEAR_2100 - T0, EventTimes.gap(YEAR_2100, T0));
        assertEquals(T0 - 10, EventTimes.minus(T0, 10));
    }

    private static TxEvent evaluate(final RuleWorker worker, final TxEvent event)
    {
        worker.evaluate(event);
        return event;
    }

    private static TxEvent at(final TxEvent event, final int latitude, final int longitude)
    {
        event.latitude = latitude;
        event.longitude = longitude;
        return event;
    }

    private static TxEvent card(final TxEvent event)
    {
        event.channel = Channel.CARD.value();
        return event;
    }
}
