package io.txmon.rules.typology;

import io.txmon.events.codec.AccountUpdateDecoder;
import io.txmon.events.codec.ExecutionDecoder;
import io.txmon.events.codec.OrderDecoder;
import io.txmon.events.codec.PaymentDecoder;
import io.txmon.events.codec.Severity;
import io.txmon.rules.AlertRecord;
import io.txmon.rules.Rule;
import io.txmon.rules.RuleWorker;
import io.txmon.rules.TxEvent;
import io.txmon.rules.TxEventDecoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static io.txmon.rules.typology.AmlNetworkTestSupport.evidence;
import static io.txmon.rules.typology.AmlNetworkTestSupport.worker;
import static org.junit.jupiter.api.Assertions.*;

/**
 * {@link Rule#horizonNanos()} of every typology: what each returns with its defaults and as its parameters
 * change, and, for every rule with a finite horizon, that a restart which replays every account update and only
 * the transactions of the last horizon leaves the rule raising exactly the alerts an uninterrupted run raises.
 */
class RuleHorizonTest
{
    private static final long SECOND = 1_000_000_000L;
    private static final long HOUR = 3600 * SECOND;
    private static final long DAY = 24 * HOUR;
    private static final long MAX = Long.MAX_VALUE;

    /** Horizon of each rule id with its defaults, and why, in one word. */
    private static final Map<Integer, Long> DEFAULT_HORIZONS = Map.ofEntries(
        Map.entry(LargeAmountRule.ID, 0L),                  // stateless
        Map.entry(LargeVersusHistoryRule.ID, 30 * DAY),     // lookback
        Map.entry(VelocityCountRule.ID, MAX),               // emptied on alert
        Map.entry(VelocitySumRule.ID, MAX),                 // emptied on alert
        Map.entry(StructuringRule.ID, MAX),                 // emptied on alert
        Map.entry(RepeatedAmountRule.ID, MAX),              // consumed on alert
        Map.entry(RoundAmountRule.ID, MAX),                 // emptied on alert
        Map.entry(FanInRule.ID, 7 * DAY),                   // the window, the one it reaches into, the baseline's
        Map.entry(FanOutRule.ID, 7 * DAY),                  // 4 before, and the window each of those reads
        Map.entry(PassThroughRule.ID, MAX),                 // consumed on match
        Map.entry(DormantReactivatedRule.ID, MAX),          // last activity
        Map.entry(NewAccountLargeRule.ID, 0L),              // account updates only
        Map.entry(NewPayeeLargeRule.ID, 90 * DAY),          // lookback
        Map.entry(CardTestingRule.ID, MAX),                 // consumed on alert
        Map.entry(ImpossibleTravelRule.ID, DAY),            // window
        Map.entry(HighRiskCountryRule.ID, 0L),              // stateless
        Map.entry(WatchListRule.ID, 0L),                    // account updates only
        Map.entry(CycleRule.ID, MAX),                       // stale edges count against the search bound
        Map.entry(WashTradeRule.ID, 0L),                    // account updates only
        Map.entry(SpoofingRule.ID, MAX),                    // resting orders
        Map.entry(LayeringRule.ID, MAX),                    // resting orders, consumed on alert
        Map.entry(ExcessiveCancelRule.ID, MAX),             // quiet period after an alert
        Map.entry(MarkingTheCloseRule.ID, 16 * HOUR),       // the day up to the close
        Map.entry(FlowThroughRule.ID, MAX));                // quiet period after an alert, drops

    static Stream<Rule> everyDefaultRule()
    {
        return Arrays.stream(Typologies.defaults(1_000_000L, new long[]{ 42 }, new long[]{ 7 }));
    }

    @ParameterizedTest
    @MethodSource("everyDefaultRule")
    void everyRuleHasAHorizonOfZeroOrMoreAndStatelessRulesReturnZero(final Rule rule)
    {
        final long horizon = rule.horizonNanos();
        assertTrue(horizon >= 0, rule.name() + " horizon " + horizon);
        assertTrue(DEFAULT_HORIZONS.containsKey(rule.id()),
            "typology " + rule.name() + " of the catalogue has no expected horizon in DEFAULT_HORIZONS");
        assertEquals(DEFAULT_HORIZONS.get(rule.id()), horizon, rule.name());
        final boolean stateless = rule instanceof LargeAmountRule || rule instanceof HighRiskCountryRule;
        final boolean updatesOnly =
            rule instanceof WatchListRule || rule instanceof WashTradeRule || rule instanceof NewAccountLargeRule;
        assertEquals(stateless || updatesOnly, horizon == 0, rule.name());
    }

    @Test
    void everyTypologyIsCovered()
    {
        assertEquals(Typologies.catalog().size(), everyDefaultRule().count());
        assertEquals(Typologies.catalog().size(), DEFAULT_HORIZONS.size());
        assertEquals(MAX, new Rule()
        {
            public int id()
            {
                return 99;
            }

            public int version()
            {
                return 0;
            }

            public String name()
            {
                return "no-horizon";
            }

            public void onEvent(final TxEvent event, final io.txmon.rules.RuleContext context)
            {
            }
        }.horizonNanos(), "the default is to replay every transaction");
    }

    @Test
    void horizonsFollowTheParameters()
    {
        assertEquals(7 * SECOND, new LargeVersusHistoryRule(
            new LargeVersusHistoryRule.Parameters(5, 4.0, 2500, 7 * SECOND, 5, 64, Severity.LOW)).horizonNanos());
        assertEquals(3 * SECOND, new FanInRule(
            new FanInRule.Parameters(10, 0, 3 * SECOND, 64, Severity.LOW, 600)).horizonNanos());
        assertEquals(21 * SECOND, new FanInRule(
            new FanInRule.Parameters(10, 150, 3 * SECOND, 64, Severity.LOW, 600)).horizonNanos());
        assertEquals(4 * SECOND, new FanOutRule(
            new FanOutRule.Parameters(10, 0, 4 * SECOND, 64, Severity.LOW, 600)).horizonNanos());
        assertEquals(28 * SECOND, new FanOutRule(
            new FanOutRule.Parameters(10, 200, 4 * SECOND, 64, Severity.LOW, 600)).horizonNanos());
        assertEquals(5 * SECOND, new NewPayeeLargeRule(
            new NewPayeeLargeRule.Parameters(5 * SECOND, 1, 8, Severity.LOW)).horizonNanos());
        assertEquals(6 * SECOND, new ImpossibleTravelRule(
            new ImpossibleTravelRule.Parameters(1000, 6 * SECOND, 50, Severity.LOW)).horizonNanos());
        assertEquals(9 * HOUR, new MarkingTheCloseRule(
            new MarkingTheCloseRule.Parameters(9 * HOUR, 60 * SECOND, 500, 1, 4, Severity.LOW)).horizonNanos());
    }

    @Test
    void windowsEmptiedByEveryPaymentHoldNothing()
    {
        assertEquals(0, new VelocityCountRule(
            new VelocityCountRule.Parameters(1, HOUR, 4, Severity.LOW)).horizonNanos(), "every payment alerts");
        assertEquals(MAX, new VelocityCountRule(
            new VelocityCountRule.Parameters(2, HOUR, 4, Severity.LOW)).horizonNanos());
        assertEquals(0, new VelocitySumRule(
            new VelocitySumRule.Parameters(1, HOUR, 4, Severity.LOW)).horizonNanos(), "every payment alerts");
        assertEquals(MAX, new VelocitySumRule(
            new VelocitySumRule.Parameters(2, HOUR, 4, Severity.LOW)).horizonNanos());
        assertEquals(0, new RoundAmountRule(
            new RoundAmountRule.Parameters(100, 100, 1, HOUR, 4, Severity.LOW)).horizonNanos(), "every one alerts");
        assertEquals(MAX, new RoundAmountRule(
            new RoundAmountRule.Parameters(100, 100, 2, HOUR, 4, Severity.LOW)).horizonNanos());
    }

    /**
     * Rules with a finite horizon, with short windows and small capacities so that a stream of a few seconds
     * fills, overflows and slides every window and produces ties in event time.
     */
    static Stream<Supplier<Rule>> rulesWithAFiniteHorizon()
    {
        return Stream.of(
            () -> new LargeAmountRule(LargeAmountRule.Parameters.DEFAULTS),
            () -> new LargeVersusHistoryRule(
                new LargeVersusHistoryRule.Parameters(2, 1.0, 2500, 2 * SECOND, 3, 6, Severity.MEDIUM)),
            () -> new VelocityCountRule(new VelocityCountRule.Parameters(1, SECOND, 4, Severity.LOW)),
            () -> new VelocitySumRule(new VelocitySumRule.Parameters(1, SECOND, 4, Severity.LOW)),
            () -> new RoundAmountRule(new RoundAmountRule.Parameters(100_000, 500_000, 1, SECOND, 4, Severity.LOW)),
            () -> new FanInRule(new FanInRule.Parameters(3, SECOND, 4, Severity.MEDIUM, 600)),
            () -> new FanOutRule(new FanOutRule.Parameters(3, SECOND, 4, Severity.MEDIUM, 600)),
            () -> new NewAccountLargeRule(new NewAccountLargeRule.Parameters(2 * SECOND, 100_000, Severity.HIGH)),
            () -> new NewPayeeLargeRule(new NewPayeeLargeRule.Parameters(2 * SECOND, 100_000, 3, Severity.MEDIUM)),
            () -> new ImpossibleTravelRule(new ImpossibleTravelRule.Parameters(1000, SECOND, 50, Severity.HIGH)),
            () -> new HighRiskCountryRule(HighRiskCountryRule.Parameters.DEFAULTS),
            () -> new WatchListRule(new WatchListRule.Parameters(new long[]{ 3 }, new long[]{ 2 }, Severity.CRITICAL)),
            () -> new WashTradeRule(WashTradeRule.Parameters.DEFAULTS),
            () -> new MarkingTheCloseRule(
                new MarkingTheCloseRule.Parameters(3 * SECOND, SECOND, 300, 100, 2, Severity.MEDIUM)));
    }

    @ParameterizedTest
    @MethodSource("rulesWithAFiniteHorizon")
    void replayingTheHorizonGivesTheSameLaterAlertsAsAnUninterruptedRun(final Supplier<Rule> factory)
    {
        final long horizon = factory.get().horizonNanos();
        assertTrue(horizon < MAX);
        final List<Ev> stream = stream(new Random(factory.get().id()), 30_000);

        final Random cuts = new Random(42);
        int laterAlerts = 0;
        for (int c = 0; c < 12; c++)
        {
            final int cut = stream.size() / 10 + cuts.nextInt(stream.size() * 8 / 10);
            final List<String> uninterrupted = alertsFrom(cut, run(factory.get(), stream, -1, 0));
            final long newest = stream.get(cut - 1).time;
            final List<String> restarted = alertsFrom(cut, run(factory.get(), stream, cut, newest - horizon));
            assertSameAlerts(uninterrupted, restarted, "restart at event " + cut + " with a horizon of " + horizon);
            laterAlerts += uninterrupted.size();
        }
        assertTrue(laterAlerts >= 20, "the stream exercises the rule: " + laterAlerts + " alerts after the cuts");
    }

    private static void assertSameAlerts(final List<String> expected, final List<String> actual, final String what)
    {
        for (int i = 0; i < Math.min(expected.size(), actual.size()); i++)
        {
            assertEquals(expected.get(i), actual.get(i), what + ": alert " + i + " differs");
        }
        assertEquals(expected.size(), actual.size(), what + ": number of alerts");
    }

    /**
     * @param cut      index of the first event after the restart, or -1 for an uninterrupted run.
     * @param replayed event time from which transactions before the cut are replayed.
     * @return the alerts raised, each prefixed by the index of its event.
     */
    private static List<String> run(final Rule rule, final List<Ev> stream, final int cut, final long replayed)
    {
        final RuleWorker worker = worker(0, 1, rule);
        final TxEvent event = new TxEvent(1, 8);
        final List<String> alerts = new ArrayList<>();
        for (int i = 0; i < stream.size(); i++)
        {
            final Ev ev = stream.get(i);
            final boolean transaction = ev.template != AccountUpdateDecoder.TEMPLATE_ID;
            if (i < cut && transaction && ev.time < replayed)
            {
                continue;
            }
            ev.fill(event, i);
            worker.evaluate(event);
            for (int a = 0; a < event.alerts(0).count(); a++)
            {
                final AlertRecord alert = event.alerts(0).get(a);
                alerts.add(i + ": " + alert.alertId() + " " + alert.severity() + " " + alert.score() + " " +
                    alert.account() + " " + alert.eventTime() + " " + Arrays.toString(evidence(alert)) + " " +
                    alert.reason());
            }
        }
        return alerts;
    }

    private static List<String> alertsFrom(final int cut, final List<String> alerts)
    {
        final List<String> later = new ArrayList<>();
        for (final String alert : alerts)
        {
            if (Integer.parseInt(alert.substring(0, alert.indexOf(':'))) >= cut)
            {
                later.add(alert);
            }
        }
        return later;
    }

    /**
     * A mixed stream over a dozen accounts, in event-time order with many equal times, in short "days" that
     * each start at a UTC midnight.
     */
    private static List<Ev> stream(final Random random, final int count)
    {
        final int[][] cities = {
            { 48_856_600, 2_352_200 }, { 40_712_800, -74_006_000 }, { 51_507_400, -127_800 },
            { 48_860_000, 2_350_000 } };
        final int de = TxEventDecoder.country((byte)'D', (byte)'E');
        final int kp = TxEventDecoder.country((byte)'K', (byte)'P');
        final List<Ev> events = new ArrayList<>(count);
        long time = Math.floorDiv(1_700_000_000L * SECOND, DAY) * DAY;
        long orderId = 1;
        for (int i = 0; i < count; i++)
        {
            if (random.nextInt(600) == 0)
            {
                time = (Math.floorDiv(time, DAY) + 1) * DAY + random.nextInt(300) * 1_000_000L;
            }
            else if (random.nextInt(4) != 0)
            {
                time += (1 + random.nextInt(30)) * 1_000_000L;
            }
            final Ev ev = new Ev();
            ev.time = time;
            ev.account = 1 + random.nextInt(12);
            ev.counterparty = 1 + random.nextInt(12);
            final int kind = random.nextInt(20);
            if (kind < 11)
            {
                ev.template = PaymentDecoder.TEMPLATE_ID;
                ev.amount = switch (random.nextInt(5))
                {
                    case 0 -> 1 + random.nextInt(300);
                    case 1 -> 1_000 + random.nextInt(100_000);
                    case 2 -> 100_000L * (1 + random.nextInt(12));
                    case 3 -> 900_000 + random.nextInt(100_000);
                    default -> 1_000_000 + random.nextInt(5_000_000);
                };
                ev.channel = random.nextInt(3);
                ev.debtorCountry = random.nextInt(30) == 0 ? kp : de;
                ev.creditorCountry = random.nextInt(30) == 0 ? kp : de;
                final int[] city = cities[random.nextInt(cities.length)];
                final boolean positioned = random.nextInt(3) != 0;
                ev.latitude = positioned ? city[0] : Integer.MIN_VALUE;
                ev.longitude = positioned ? city[1] : Integer.MIN_VALUE;
            }
            else if (kind < 15)
            {
                ev.template = OrderDecoder.TEMPLATE_ID;
                ev.action = random.nextInt(3);
                ev.orderId = ev.action == 0 ? orderId++ : Math.max(1, orderId - 1 - random.nextInt(20));
                ev.instrument = 1 + random.nextInt(3);
                ev.side = random.nextInt(2);
                ev.price = 100 + random.nextInt(8);
                ev.quantity = 1 + random.nextInt(20_000);
            }
            else if (kind < 18)
            {
                ev.template = ExecutionDecoder.TEMPLATE_ID;
                ev.counterparty = random.nextInt(5) == 0 ? ev.account : random.nextInt(6) == 0 ? 0 : ev.counterparty;
                ev.instrument = 1 + random.nextInt(3);
                ev.side = random.nextInt(2);
                ev.quantity = 1 + random.nextInt(500);
            }
            else
            {
                ev.template = AccountUpdateDecoder.TEMPLATE_ID;
                ev.action = random.nextInt(3);
                ev.party = 1 + random.nextInt(6);
            }
            events.add(ev);
        }
        return events;
    }

    /** One event of a stream. */
    private static final class Ev
    {
        int template;
        long time;
        long account;
        long counterparty;
        long amount;
        int channel;
        int debtorCountry;
        int creditorCountry;
        int latitude;
        int longitude;
        int action;
        long orderId;
        long instrument;
        int side;
        long price;
        long quantity;
        long party;

        void fill(final TxEvent event, final int index)
        {
            event.reset();
            event.offset = 1_000 + index;
            event.templateId = template;
            event.eventTime = time;
            event.ingestTime = time;
            if (template == PaymentDecoder.TEMPLATE_ID)
            {
                event.txId = 5_000_000 + index;
                event.debtorAccount = account;
                event.creditorAccount = counterparty;
                event.amount = amount;
                event.currency = 978;
                event.channel = channel;
                event.debtorCountry = debtorCountry;
                event.creditorCountry = creditorCountry;
                event.latitude = latitude;
                event.longitude = longitude;
            }
            else
            {
                event.account = account;
                event.counterpartyAccount = counterparty;
                event.orderId = orderId;
                event.execId = 9_000_000 + index;
                event.instrument = instrument;
                event.side = side;
                event.action = action;
                event.price = price;
                event.quantity = quantity;
                event.partyId = party;
            }
        }
    }
}
