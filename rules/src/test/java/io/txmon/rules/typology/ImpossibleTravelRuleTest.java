package io.txmon.rules.typology;

import io.txmon.events.codec.Severity;
import io.txmon.rules.AlertRecord;
import io.txmon.rules.Rule;
import io.txmon.rules.RuleContext;
import io.txmon.rules.RuleWorker;
import io.txmon.rules.TxEvent;
import io.txmon.rules.state.StateException;
import io.txmon.rules.state.StateWriter;
import org.junit.jupiter.api.Test;

import java.util.function.Consumer;

import static io.txmon.rules.typology.GeoMarketHarness.*;
import static io.txmon.rules.typology.RuleStateSupport.*;
import static org.junit.jupiter.api.Assertions.*;

class ImpossibleTravelRuleTest
{
    private static final int CARD = 0;
    private static final int WIRE = 1;
    // Paris and New York, micro-degrees
    private static final int PARIS_LAT = 48_856_600;
    private static final int PARIS_LON = 2_352_200;
    private static final int NY_LAT = 40_712_800;
    private static final int NY_LON = -74_006_000;

    private static int card(
        final GeoMarketHarness h, final long time, final long debtor, final int lat, final int lon, final int channel)
    {
        final TxEvent e = h.paymentEvent(time, debtor, 99, 1_000);
        e.channel = channel;
        e.latitude = lat;
        e.longitude = lon;
        return h.run();
    }

    /** Nanoseconds to cover the Paris - New York distance at exactly 1,000 km/h. */
    private static long atMaxSpeedNs()
    {
        final double km = ImpossibleTravelRule.distanceKm(PARIS_LAT, PARIS_LON, NY_LAT, NY_LON);
        return (long)(km * 3600e9 / 1000);
    }

    @Test
    void distanceIsHaversine()
    {
        final double km = ImpossibleTravelRule.distanceKm(PARIS_LAT, PARIS_LON, NY_LAT, NY_LON);
        assertEquals(5837, km, 10);
        assertEquals(0, ImpossibleTravelRule.distanceKm(1, 2, 1, 2), 1e-9);
        assertEquals(Math.PI * ImpossibleTravelRule.EARTH_RADIUS_KM,
            ImpossibleTravelRule.distanceKm(0, 0, 0, 180_000_000), 1e-6);
    }

    @Test
    void firesJustAboveTheMaximumSpeedSilentAtOrBelow()
    {
        final long t = atMaxSpeedNs();
        final GeoMarketHarness fast = new GeoMarketHarness(new ImpossibleTravelRule());
        assertEquals(0, card(fast, T0, 1, PARIS_LAT, PARIS_LON, CARD));
        assertEquals(1, card(fast, T0 + t - 1_000, 1, NY_LAT, NY_LON, CARD));

        final GeoMarketHarness slow = new GeoMarketHarness(new ImpossibleTravelRule());
        assertEquals(0, card(slow, T0, 1, PARIS_LAT, PARIS_LON, CARD));
        assertEquals(0, card(slow, T0 + t + 1_000, 1, NY_LAT, NY_LON, CARD));
    }

    @Test
    void outsideTheWindowDoesNotCompare()
    {
        final long window = 3_600 * SECOND;
        final GeoMarketHarness h = new GeoMarketHarness(new ImpossibleTravelRule(1, window, 0, Severity.HIGH));
        assertEquals(0, card(h, T0, 1, 0, 0, CARD));
        assertEquals(0, card(h, T0 + window + 1, 1, 0, 90_000_000, CARD), "just outside the window");
        assertEquals(1, card(h, T0 + 2 * window + 1, 1, 0, 0, CARD), "exactly at the window");
    }

    @Test
    void ignoresNonCardMissingPositionsAndShortHops()
    {
        final GeoMarketHarness h = new GeoMarketHarness(new ImpossibleTravelRule());
        assertEquals(0, card(h, T0, 1, PARIS_LAT, PARIS_LON, CARD));
        assertEquals(0, card(h, T0 + SECOND, 1, NY_LAT, NY_LON, WIRE), "wire");
        assertEquals(0, card(h, T0 + SECOND, 1, Integer.MIN_VALUE, Integer.MIN_VALUE, CARD), "no position");
        assertEquals(0, card(h, T0 + SECOND, 1, PARIS_LAT + 100_000, PARIS_LON, CARD), "11 km, under 50 km");
        assertEquals(0, card(h, T0 + SECOND, 2, NY_LAT, NY_LON, CARD), "another debtor");
    }

    @Test
    void alertCarriesBothPaymentsAccountAndReason()
    {
        final GeoMarketHarness h = new GeoMarketHarness(new ImpossibleTravelRule());
        final long first = h.nextOffset();
        card(h, T0, 42, PARIS_LAT, PARIS_LON, CARD);
        final long second = h.nextOffset();
        assertEquals(1, card(h, T0 + 3_600 * SECOND, 42, NY_LAT, NY_LON, CARD));
        final AlertRecord alert = h.alert();
        assertEquals(ImpossibleTravelRule.ID, alert.ruleId());
        assertEquals(42, alert.account());
        assertEquals(2, alert.evidenceCount());
        assertEquals(first, alert.evidence(0));
        assertEquals(second, alert.evidence(1));
        assertTrue(alert.score() > 500 && alert.score() < 1000, "score " + alert.score());
        final String reason = alert.reason().toString();
        assertTrue(reason.contains("5837 km apart in 3600 s") || reason.contains("5838 km apart in 3600 s"), reason);
        assertTrue(reason.contains("above the maximum of 1000 km/h"), reason);

        // same instant elsewhere
        assertEquals(1, card(h, T0 + 3_600 * SECOND, 42, PARIS_LAT, PARIS_LON, CARD));
        assertEquals(1000, h.alert().score());
        assertTrue(h.alert().reason().toString().contains("same instant"));
    }

    @Test
    void lateEventIsComparedButDoesNotReplaceTheLatestPosition()
    {
        final ImpossibleTravelRule rule = new ImpossibleTravelRule();
        final GeoMarketHarness h = new GeoMarketHarness(rule);
        card(h, T0 + 10 * 3_600 * SECOND, 1, PARIS_LAT, PARIS_LON, CARD);
        assertEquals(1, card(h, T0 + 9 * 3_600 * SECOND, 1, NY_LAT, NY_LON, CARD));
        assertEquals(1, rule.lateEvents());
        assertEquals(0, card(h, T0 + 10 * 3_600 * SECOND + 1, 1, PARIS_LAT, PARIS_LON, CARD), "still at Paris");
    }

    @Test
    void validatesParameters()
    {
        assertThrows(IllegalArgumentException.class, () -> new ImpossibleTravelRule(0, 1, 0, Severity.LOW));
        assertThrows(IllegalArgumentException.class, () -> new ImpossibleTravelRule(1, 0, 0, Severity.LOW));
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> new ImpossibleTravelRule(1, 1, -1, Severity.LOW));
        assertTrue(ex.getMessage().contains("minDistanceKm"));
    }

    @Test
    void onlyTheDebtorsWorkerKeepsStateAndRaises()
    {
        final GeoMarketHarness h = new GeoMarketHarness(2, ImpossibleTravelRule::new);
        for (long debtor = 1; debtor <= 100; debtor++)
        {
            card(h, T0, debtor, PARIS_LAT, PARIS_LON, CARD);
            assertEquals(1, card(h, T0 + SECOND, debtor, NY_LAT, NY_LON, CARD));
            assertEquals(RuleContext.partition(debtor, 2), h.raisedBy());
            assertEquals(debtor, h.alert().account());
        }
    }

    @Test
    void steadyStateAllocatesNothing()
    {
        final GeoMarketHarness h = new GeoMarketHarness(new ImpossibleTravelRule());
        assertSteadyStateAllocationFree(i ->
            card(h, T0 + i * 60 * SECOND, i % 500, (i & 1) == 0 ? PARIS_LAT : NY_LAT,
                (i & 1) == 0 ? PARIS_LON : NY_LON, CARD));
    }

    @Test
    void parametersRejectInvalidValuesNamingTheRuleAndParameter()
    {
        assertEquals("impossible-travel maxSpeedKmh must be positive, was 0",
            assertThrows(IllegalArgumentException.class,
                () -> new ImpossibleTravelRule.Parameters(0, SECOND, 0, Severity.LOW)).getMessage());
        assertEquals("impossible-travel windowNanos must be positive, was 0",
            assertThrows(IllegalArgumentException.class,
                () -> new ImpossibleTravelRule.Parameters(1, 0, 0, Severity.LOW)).getMessage());
        assertEquals("impossible-travel minDistanceKm must be 0 or more, was -1",
            assertThrows(IllegalArgumentException.class,
                () -> new ImpossibleTravelRule.Parameters(1, SECOND, -1, Severity.LOW)).getMessage());
        assertEquals("impossible-travel severity must be set, was null", assertThrows(IllegalArgumentException.class,
            () -> new ImpossibleTravelRule.Parameters(1, SECOND, 0, null)).getMessage());
    }

    @Test
    void defaultParametersBehaveAsTheDefaultConstructor()
    {
        final ImpossibleTravelRule.Parameters defaults = ImpossibleTravelRule.Parameters.DEFAULTS;
        assertEquals(ImpossibleTravelRule.DEFAULT_MAX_SPEED_KMH, defaults.maxSpeedKmh());
        assertEquals(ImpossibleTravelRule.DEFAULT_WINDOW_NS, defaults.windowNanos());
        assertEquals(ImpossibleTravelRule.DEFAULT_MIN_DISTANCE_KM, defaults.minDistanceKm());
        assertEquals(Severity.HIGH, defaults.severity());
        assertEquals(defaults, new ImpossibleTravelRule().parameters());

        final long t = atMaxSpeedNs();
        final GeoMarketHarness fast = new GeoMarketHarness(new ImpossibleTravelRule(defaults));
        assertEquals(0, card(fast, T0, 1, PARIS_LAT, PARIS_LON, CARD));
        assertEquals(1, card(fast, T0 + t - 1_000, 1, NY_LAT, NY_LON, CARD));
        assertEquals(Severity.HIGH, fast.alert().severity());
        final GeoMarketHarness slow = new GeoMarketHarness(new ImpossibleTravelRule(defaults));
        assertEquals(0, card(slow, T0, 1, PARIS_LAT, PARIS_LON, CARD));
        assertEquals(0, card(slow, T0 + t + 1_000, 1, NY_LAT, NY_LON, CARD));
    }

    private static Consumer<TxEvent> cardAt(
        final long offset, final long time, final long debtor, final int lat, final int lon)
    {
        return (x) ->
        {
            AmlNetworkTestSupport.payment(x, offset, time, debtor, 99, 1_000);
            x.channel = CARD;
            x.latitude = lat;
            x.longitude = lon;
        };
    }

    @Test
    void stateWrittenBeforeAJourneyAtTheMaximumSpeedDecidesAsTheOriginal()
    {
        final ImpossibleTravelRule original = new ImpossibleTravelRule();
        final RuleWorker w = AmlNetworkTestSupport.worker(0, 1, original);
        final TxEvent e = new TxEvent(1, 8);
        cardAt(0, T0, 1, PARIS_LAT, PARIS_LON).accept(e);
        w.evaluate(e);
        cardAt(1, T0, 2, PARIS_LAT, PARIS_LON).accept(e);
        w.evaluate(e);

        final ImpossibleTravelRule restored = read(new ImpossibleTravelRule(), stateOf(original));
        assertEquals(Rule.PAYMENT, restored.templates());
        final RuleWorker r = AmlNetworkTestSupport.worker(0, 1, restored);

        final long t = atMaxSpeedNs();
        final String fast = sameOnBoth(w, r, cardAt(2, T0 + t - SECOND, 1, NY_LAT, NY_LON));
        assertTrue(fast.startsWith("500 1 [0,2] card payments 5000000 and 5000002 from account 1 are 5837 km apart"),
            fast);
        assertEquals("", sameOnBoth(w, r, cardAt(3, T0 + t + SECOND, 2, NY_LAT, NY_LON)), "a second slower");
        assertTrue(sameOnBoth(w, r, cardAt(4, T0 + SECOND, 1, PARIS_LAT, PARIS_LON)).startsWith("500 1 [2,4] "),
            "late: compared with New York, which it does not replace");
        assertEquals("", sameOnBoth(w, r, cardAt(5, T0 + t + SECOND, 3, NY_LAT, NY_LON)), "a debtor never seen");
    }

    @Test
    void hostileStateIsRefusedWithAStateException()
    {
        final GeoMarketHarness h = new GeoMarketHarness(new ImpossibleTravelRule());
        card(h, T0, 1, PARIS_LAT, PARIS_LON, CARD);
        card(h, T0, 2, NY_LAT, NY_LON, CARD);
        assertEveryTruncationRefused(ImpossibleTravelRule::new, stateOf(h.rules[0]));

        assertThrows(StateException.class, () -> read(new ImpossibleTravelRule(),
            bytes(new StateWriter(64).putInt(Integer.MAX_VALUE).putLong(1).putLong(T0).putLong(0).putLong(0)
                .putInt(PARIS_LAT).putInt(PARIS_LON))));
        assertThrows(StateException.class, () -> read(new ImpossibleTravelRule(),
            bytes(new StateWriter(64).putInt(1).putLong(1).putLong(T0).putLong(0).putLong(0)
                .putInt(Integer.MIN_VALUE).putInt(PARIS_LON))), "no latitude");
        assertThrows(StateException.class, () -> read(new ImpossibleTravelRule(),
            bytes(new StateWriter(64).putInt(1).putLong(1).putLong(T0).putLong(0).putLong(0)
                .putInt(PARIS_LAT).putInt(Integer.MIN_VALUE))), "no longitude");
        assertThrows(StateException.class, () -> read(new ImpossibleTravelRule(),
            bytes(new StateWriter(96).putInt(2)
                .putLong(1).putLong(T0).putLong(0).putLong(0).putInt(PARIS_LAT).putInt(PARIS_LON)
                .putLong(1).putLong(T0).putLong(1).putLong(1).putInt(NY_LAT).putInt(NY_LON))), "a debtor twice");
    }

    /**
     * The stored position lives in the worker's account store: once the debtor is evicted its next card payment
     * is compared with nothing. Cap of two: card payments of 2 and 3 evict 1.
     */
    @Test
    void forgetsThePositionOfADebtorTheStoreEvicts()
    {
        for (final boolean evict : new boolean[]{ false, true })
        {
            final CappedWorker w = new CappedWorker(2, new ImpossibleTravelRule());
            final TxEvent e = new TxEvent(1, 8);
            w.evaluate(cardPayment(e, 1, T0, 1, PARIS_LAT, PARIS_LON));
            if (evict)
            {
                w.evaluate(cardPayment(e, 2, T0, 2, PARIS_LAT, PARIS_LON));
                w.evaluate(cardPayment(e, 3, T0, 3, PARIS_LAT, PARIS_LON));
            }
            w.evaluate(cardPayment(e, 4, T0 + SECOND, 1, NY_LAT, NY_LON));
            assertEquals(evict ? 0 : 1, e.alerts(0).count(), evict ? "evicted: no position" : "Paris to New York");
        }
    }

    private static TxEvent cardPayment(
        final TxEvent e, final long offset, final long time, final long debtor, final int lat, final int lon)
    {
        CappedWorker.begin(e, offset, io.txmon.events.codec.PaymentDecoder.TEMPLATE_ID, time);
        e.txId = 5_000_000 + offset;
        e.debtorAccount = debtor;
        e.creditorAccount = 99;
        e.amount = 1_000;
        e.currency = EUR;
        e.channel = CARD;
        e.latitude = lat;
        e.longitude = lon;
        return e;
    }

    /** A debtor's position recycled from an evicted account decides and writes as a new one, whatever it held. */
    @Test
    void aRecycledPositionIsANewOne()
    {
        final int[][] places = { { PARIS_LAT, PARIS_LON }, { NY_LAT, NY_LON }, { PARIS_LAT + 100_000, PARIS_LON } };
        RecycledStateCheck.assertRecycledObjectsAreNew(
            () -> new ImpossibleTravelRule(new ImpossibleTravelRule.Parameters(1_000, 2 * 3600 * 1_000_000_000L, 50,
                Severity.HIGH)),
            (e, random, account) ->
            {
                e.debtorAccount = account.getAsLong();
                e.creditorAccount = 99;
                e.amount = 1_000;
                e.channel = CARD;
                final int[] place = places[random.nextInt(places.length)];
                e.latitude = place[0] + random.nextInt(1000);
                e.longitude = place[1] + random.nextInt(1000);
            },
            (e, random, account) ->
            {
                e.debtorAccount = account.getAsLong();
                e.creditorAccount = 99;
                e.amount = 1_000;
                e.channel = random.nextInt(6) == 0 ? WIRE : CARD;
                final int[] place = places[random.nextInt(places.length)];
                e.latitude = place[0] + random.nextInt(1000);
                e.longitude = place[1] + random.nextInt(1000);
            },
            3600 * 1_000_000_000L,
            (rule) -> new long[]{ rule.lateEvents() });
    }
}
