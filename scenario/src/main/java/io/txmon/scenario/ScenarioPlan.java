package io.txmon.scenario;

import io.txmon.events.codec.AccountAction;
import io.txmon.events.codec.Channel;
import io.txmon.events.codec.OrderAction;
import io.txmon.events.codec.RiskRating;
import io.txmon.events.codec.Side;
import io.txmon.rules.typology.CardTestingRule;
import io.txmon.rules.typology.CycleRule;
import io.txmon.rules.typology.DormantReactivatedRule;
import io.txmon.rules.typology.ExcessiveCancelRule;
import io.txmon.rules.typology.FanInRule;
import io.txmon.rules.typology.FanOutRule;
import io.txmon.rules.typology.HighRiskCountryRule;
import io.txmon.rules.typology.ImpossibleTravelRule;
import io.txmon.rules.typology.LargeAmountRule;
import io.txmon.rules.typology.LargeVersusHistoryRule;
import io.txmon.rules.typology.LayeringRule;
import io.txmon.rules.typology.MarkingTheCloseRule;
import io.txmon.rules.typology.NewAccountLargeRule;
import io.txmon.rules.typology.NewPayeeLargeRule;
import io.txmon.rules.typology.PassThroughRule;
import io.txmon.rules.typology.RepeatedAmountRule;
import io.txmon.rules.typology.RoundAmountRule;
import io.txmon.rules.typology.SpoofingRule;
import io.txmon.rules.typology.StructuringRule;
import io.txmon.rules.typology.VelocityCountRule;
import io.txmon.rules.typology.VelocitySumRule;
import io.txmon.rules.typology.WashTradeRule;
import io.txmon.rules.typology.WatchListRule;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;

import static io.txmon.scenario.Times.DAY;
import static io.txmon.scenario.Times.HOUR;
import static io.txmon.scenario.Times.MILLISECOND;
import static io.txmon.scenario.Times.MINUTE;
import static io.txmon.scenario.Times.SECOND;

/**
 * The planted cases of one stream: for every typology, a number of short scripts of events on fresh accounts,
 * each ending with (or containing) the event that must trigger the typology's alert with the rule's default
 * parameters (rules/RULES.md). Built ahead of the stream, sorted by time, and merged into the background by
 * {@link ScenarioGenerator}.
 * <p>
 * Every script uses accounts of its own, from {@link #FIRST_ACCOUNT} up, which the background never uses, so
 * nothing else feeds the state the rule keeps for the alerting account. The one exception is the watch list: its
 * {@link #watchedAccounts()} are reused by every watch-list script, which is harmless because that rule keeps no
 * per-payment state. Scripts are also shaped to stay clear of the other typologies where the definitions allow
 * (payees paid small amounts before large ones, amounts spread beyond the similarity tolerance, legs of a cycle
 * more than the pass-through window apart); where they cannot, the extra alert is expected:
 * <ul>
 *     <li>new-account-large: the large payment is also a large amount (both thresholds are 10,000.00);</li>
 *     <li>any other coincidence is reported by the scenario test as an alert on a planted account that was not
 *     planted.</li>
 * </ul>
 * Times within a script are chosen so that every window of the typology holds with a margin; market scripts run
 * on a trading day, inside the session.
 */
final class ScenarioPlan
{
    /** First account id of planted cases: far above every background account. */
    static final long FIRST_ACCOUNT = 900_000_000_000L;
    /** First party id of planted cases. */
    static final long FIRST_PARTY = 990_000_000_000L;
    /** Accounts on the watch list. */
    static final int WATCHED_ACCOUNTS = 8;
    /** Parties on the watch list. */
    static final int WATCHED_PARTIES = 4;
    /** Highest rule id planted. */
    static final int RULES = 23;

    private static final long FIRST_FRESH = 1_000;
    private static final long FIRST_ORDER_ID = 9_000_000_000_000L;
    private static final long PRICE_UNITS_PER_CENT = 1_000_000L;
    private static final long LARGE_AMOUNT = LargeAmountRule.DEFAULT_THRESHOLD_MINOR_UNITS;
    private static final long DORMANCY = DormantReactivatedRule.Parameters.DEFAULTS.dormancyNanos();
    private static final int POSITION_NOISE = 5_000;
    private static final int[] HIGH_RISK = new int[HighRiskCountryRule.DEFAULT_COUNTRIES.length];
    private static final byte[] INVOICE = "INV ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TRANSFER = "TRANSFER ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CARD = "CARD ".getBytes(StandardCharsets.US_ASCII);

    static
    {
        for (int i = 0; i < HIGH_RISK.length; i++)
        {
            HIGH_RISK[i] = ScenarioEvent.country(HighRiskCountryRule.DEFAULT_COUNTRIES[i]);
        }
    }

    private final ScenarioRandom random;
    private final BackgroundTraffic traffic;
    private final ArrayList<ScenarioEvent> events = new ArrayList<>();
    private long nextAccount;
    private long nextParty;
    private long nextOrderId;

    /** Planted accounts, and parties, of one producer slot: far more than a stream's cases use. */
    private static final long SLOT_ACCOUNTS = 10_000_000L;
    /** Planted order ids of one producer slot. */
    private static final long SLOT_ORDER_IDS = 1_000_000_000L;
    /**
     * Rounds of producer slots: producer ids {@code 1..64} are round 0, {@code 65..128} round 1, and so on, each
     * round planting on accounts, parties and orders of its own, repeating after this many rounds. Streams of
     * producers in different rounds can then go to one engine one after the other (runs of a bench against an
     * engine that keeps running) without a case meeting an earlier case's state.
     */
    static final long ROUNDS = 10_000;

    /**
     * @param seed         of the stream.
     * @param traffic      of the stream, for instrument prices.
     * @param producerSlot 0 to {@link ScenarioGenerator#PRODUCER_SLOTS} - 1: streams of different slots plant on
     *                     disjoint accounts, parties and orders, so they can be interleaved.
     * @param round        0 to {@link #ROUNDS} - 1: streams of different rounds plant on disjoint accounts, parties
     *                     and orders too.
     */
    ScenarioPlan(final long seed, final BackgroundTraffic traffic, final int producerSlot, final long round)
    {
        this.random = new ScenarioRandom(ScenarioRandom.mix(seed ^ 0x706C616E746564L));
        this.traffic = traffic;
        final long slot = round * ScenarioGenerator.PRODUCER_SLOTS + producerSlot;
        this.nextAccount = FIRST_ACCOUNT + FIRST_FRESH + slot * SLOT_ACCOUNTS;
        this.nextParty = FIRST_PARTY + FIRST_FRESH + slot * SLOT_ACCOUNTS;
        this.nextOrderId = FIRST_ORDER_ID + slot * SLOT_ORDER_IDS;
    }

    /**
     * @return the accounts on the watch list the planted watch-list cases need.
     */
    static long[] watchedAccounts()
    {
        final long[] accounts = new long[WATCHED_ACCOUNTS];
        for (int i = 0; i < accounts.length; i++)
        {
            accounts[i] = FIRST_ACCOUNT + 1 + i;
        }

        return accounts;
    }

    /**
     * @return the parties on the watch list the planted watch-list cases need.
     */
    static long[] watchedParties()
    {
        final long[] parties = new long[WATCHED_PARTIES];
        for (int i = 0; i < parties.length; i++)
        {
            parties[i] = FIRST_PARTY + 1 + i;
        }

        return parties;
    }

    /**
     * Plan {@code instances} cases of every typology, each rule's cases spread over [1%, 80%] of the span (one per
     * equal stratum, at a random point of it) so that they complete well before the stream ends.
     *
     * @param instances per typology, at least 1.
     * @param start     event time of the stream.
     * @param span      expected length of the stream in event time.
     * @return the planted events, sorted by time then by creation.
     */
    ScenarioEvent[] build(final int instances, final long start, final long span)
    {
        for (int ruleId = 1; ruleId <= RULES; ruleId++)
        {
            final long from = start + span / 100;
            final long to = start + span / 5 * 4 - duration(ruleId);
            final long stratum = (to - from) / instances;
            if (stratum <= 0)
            {
                continue;
            }

            for (int instance = 0; instance < instances; instance++)
            {
                final long begin = from + stratum * instance + random.nextLong(0, stratum);
                plant(ruleId, instance, begin);
            }
        }

        events.sort(ScenarioPlan::byTimeThenCreation);
        return events.toArray(new ScenarioEvent[0]);
    }

    private static int byTimeThenCreation(final ScenarioEvent a, final ScenarioEvent b)
    {
        final int byTime = Long.compare(a.time, b.time);
        return 0 != byTime ? byTime : Integer.compare(a.sequence, b.sequence);
    }

    /**
     * @return how long after its start a script of the rule may last, at most.
     */
    private static long duration(final int ruleId)
    {
        switch (ruleId)
        {
            case DormantReactivatedRule.ID:
                return DORMANCY + 12 * DAY;

            case LargeVersusHistoryRule.ID:
                return 26 * DAY;

            case NewAccountLargeRule.ID:
            case NewPayeeLargeRule.ID:
            case CardTestingRule.ID:
                return 22 * DAY;

            case LargeAmountRule.ID:
                return 12 * DAY;

            default:
                return 8 * DAY;
        }
    }

    private void plant(final int ruleId, final int instance, final long start)
    {
        switch (ruleId)
        {
            case LargeAmountRule.ID:
                largeAmount(start);
                break;

            case LargeVersusHistoryRule.ID:
                largeVersusHistory(start);
                break;

            case VelocityCountRule.ID:
                velocityCount(start);
                break;

            case VelocitySumRule.ID:
                velocitySum(start);
                break;

            case StructuringRule.ID:
                structuring(start);
                break;

            case RepeatedAmountRule.ID:
                repeatedAmounts(start);
                break;

            case RoundAmountRule.ID:
                roundAmounts(start);
                break;

            case FanInRule.ID:
                fanIn(start);
                break;

            case FanOutRule.ID:
                fanOut(start);
                break;

            case PassThroughRule.ID:
                passThrough(start);
                break;

            case DormantReactivatedRule.ID:
                dormantReactivated(start);
                break;

            case NewAccountLargeRule.ID:
                newAccountLarge(start);
                break;

            case NewPayeeLargeRule.ID:
                newPayeeLarge(start);
                break;

            case CardTestingRule.ID:
                cardTesting(start);
                break;

            case ImpossibleTravelRule.ID:
                impossibleTravel(start);
                break;

            case HighRiskCountryRule.ID:
                highRiskCountry(start, instance);
                break;

            case WatchListRule.ID:
                watchList(start, instance);
                break;

            case CycleRule.ID:
                cycle(start, instance);
                break;

            case WashTradeRule.ID:
                washTrade(start, instance);
                break;

            case SpoofingRule.ID:
                spoofing(start);
                break;

            case LayeringRule.ID:
                layering(start, instance);
                break;

            case ExcessiveCancelRule.ID:
                excessiveCancels(start);
                break;

            case MarkingTheCloseRule.ID:
                markingTheClose(start);
                break;

            default:
                throw new IllegalArgumentException("no planted case for rule " + ruleId);
        }
    }

    /**
     * 1 large-amount, keyed on the debtor: a small payment to a payee, then days later one at 1.05 to 4.5 times
     * the threshold to the same payee (so not a new payee), below the velocity-sum threshold.
     */
    private void largeAmount(final long start)
    {
        final long debtor = account();
        final long creditor = account();
        pay(start, debtor, creditor, euros(40, 300), Channel.SEPA);
        final long amount = notRound(random.nextLong(LARGE_AMOUNT + LARGE_AMOUNT / 20, LARGE_AMOUNT * 9 / 2));
        trigger(pay(start + random.nextLong(DAY, 10 * DAY), debtor, creditor, amount, Channel.WIRE),
            LargeAmountRule.ID, debtor);
    }

    /**
     * 2 large-vs-history, keyed on the debtor: six payments of 150.00 to 260.00 two to four days apart, then one
     * of 1,400.00 to 2,800.00, at least five times the largest of them (the max test), all within the 30-day
     * lookback.
     */
    private void largeVersusHistory(final long start)
    {
        final long debtor = account();
        final long[] payees = { account(), account() };
        long time = start;
        for (int i = 0; i < 6; i++)
        {
            pay(time, debtor, payees[i % 3 == 2 ? 1 : 0], euros(150, 260), i % 2 == 0 ? Channel.SEPA : Channel.CARD);
            time += random.nextLong(2 * DAY, 4 * DAY);
        }
        trigger(pay(time, debtor, payees[0], euros(1_400, 2_800), Channel.SEPA), LargeVersusHistoryRule.ID, debtor);
    }

    /**
     * 3 velocity-count, keyed on the debtor: twenty small payments to three payees, 90 to 150 s apart (under 48
     * minutes in all, inside the one-hour window); amounts at least 3.80 apart, so no two are similar.
     */
    private void velocityCount(final long start)
    {
        final long debtor = account();
        final long[] payees = { account(), account(), account() };
        final long[] amounts = new long[20];
        for (int i = 0; i < amounts.length; i++)
        {
            amounts[i] = 1_500 + 410L * i + random.nextInt(30);
        }
        shuffle(amounts);

        long time = start;
        for (int i = 0; i < amounts.length; i++)
        {
            final ScenarioEvent payment = pay(
                time, debtor, payees[random.nextInt(payees.length)], amounts[i], Channel.INTERNAL);
            if (i == amounts.length - 1)
            {
                trigger(payment, VelocityCountRule.ID, debtor);
            }
            time += random.nextLong(90 * SECOND, 150 * SECOND);
        }
    }

    /**
     * 4 velocity-sum, keyed on the debtor: a small payment to a payee, then days later six payments of 8,400.00 to
     * 8,905.00 to it within 15 hours: any five sum to less than 50,000.00, all six to more. The amounts are 95.00
     * or more apart (not similar), below the structuring band and not round.
     */
    private void velocitySum(final long start)
    {
        final long debtor = account();
        final long creditor = account();
        pay(start, debtor, creditor, euros(50, 120), Channel.SEPA);
        final long[] amounts = new long[6];
        for (int i = 0; i < amounts.length; i++)
        {
            amounts[i] = 840_000 + 10_000L * i + 1 + random.nextInt(499);
        }
        shuffle(amounts);

        long time = start + random.nextLong(2 * DAY, 3 * DAY);
        for (int i = 0; i < amounts.length; i++)
        {
            final ScenarioEvent payment = pay(time, debtor, creditor, amounts[i], Channel.WIRE);
            if (i == amounts.length - 1)
            {
                trigger(payment, VelocitySumRule.ID, debtor);
            }
            time += random.nextLong(HOUR, 3 * HOUR);
        }
    }

    /**
     * 5 structuring, keyed on the debtor: small payments to two payees, then days later three payments of
     * 9,050.00 to 9,950.00 to them within 30 hours (inside the 48-hour window), together above 10,000.00.
     */
    private void structuring(final long start)
    {
        final long debtor = account();
        final long[] payees = { account(), account() };
        pay(start, debtor, payees[0], euros(30, 200), Channel.SEPA);
        pay(start + random.nextLong(HOUR, 6 * HOUR), debtor, payees[1], euros(30, 200), Channel.SEPA);

        long time = start + random.nextLong(2 * DAY, 4 * DAY);
        pay(time, debtor, payees[0], euros(9_050, 9_950), Channel.SEPA);
        time += random.nextLong(4 * HOUR, 10 * HOUR);
        pay(time, debtor, payees[1], euros(9_050, 9_950), Channel.CASH);
        time += random.nextLong(10 * HOUR, 20 * HOUR);
        trigger(pay(time, debtor, payees[0], euros(9_050, 9_950), Channel.SEPA), StructuringRule.ID, debtor);
    }

    /**
     * 6 repeated-similar-amounts, keyed on the debtor: five payments within 0.8% of one amount of 1,200.00 to
     * 4,500.00, 8 to 30 hours apart (inside the 7-day window), to two payees.
     */
    private void repeatedAmounts(final long start)
    {
        final long debtor = account();
        final long[] payees = { account(), account() };
        final long base = random.nextLong(120_000, 450_000);
        long time = start;
        for (int i = 0; i < 5; i++)
        {
            final long amount = base + random.nextLong(0, base * 8 / 1000);
            final ScenarioEvent payment = pay(time, debtor, payees[i % 2], amount, Channel.SEPA);
            if (4 == i)
            {
                trigger(payment, RepeatedAmountRule.ID, debtor);
            }
            time += random.nextLong(8 * HOUR, 30 * HOUR);
        }
    }

    /**
     * 7 round-amounts, keyed on the debtor: a small payment to a payee, then three whole-thousand payments of
     * 5,000.00 to 8,000.00 to it, 1 to 2.5 days apart (inside the 7-day window).
     */
    private void roundAmounts(final long start)
    {
        final long debtor = account();
        final long creditor = account();
        pay(start, debtor, creditor, euros(40, 250), Channel.SEPA);
        long time = start + random.nextLong(DAY, 2 * DAY);
        for (int i = 0; i < 3; i++)
        {
            final ScenarioEvent payment = pay(time, debtor, creditor, 100_000L * (5 + random.nextInt(4)), Channel.WIRE);
            if (2 == i)
            {
                trigger(payment, RoundAmountRule.ID, debtor);
            }
            time += random.nextLong(DAY, 5 * DAY / 2);
        }
    }

    /**
     * 8 fan-in, keyed on the creditor: ten distinct senders pay it, 20 to 60 minutes apart (under 9 hours,
     * inside the 24-hour window); the tenth sender's payment is the crossing.
     */
    private void fanIn(final long start)
    {
        final long creditor = account();
        long time = start;
        for (int i = 0; i < 10; i++)
        {
            final ScenarioEvent payment = pay(time, account(), creditor, euros(30, 900), Channel.SEPA);
            if (9 == i)
            {
                trigger(payment, FanInRule.ID, creditor);
            }
            time += random.nextLong(20 * MINUTE, 60 * MINUTE);
        }
    }

    /**
     * 9 fan-out, keyed on the debtor: it pays ten distinct beneficiaries 20 to 60 minutes apart; amounts 36.00
     * or more apart, so no five are similar.
     */
    private void fanOut(final long start)
    {
        final long debtor = account();
        final long[] amounts = new long[10];
        for (int i = 0; i < amounts.length; i++)
        {
            amounts[i] = 2_500 + 3_700L * i + random.nextInt(100);
        }
        shuffle(amounts);

        long time = start;
        for (int i = 0; i < amounts.length; i++)
        {
            final ScenarioEvent payment = pay(time, debtor, account(), amounts[i], Channel.SEPA);
            if (i == amounts.length - 1)
            {
                trigger(payment, FanOutRule.ID, debtor);
            }
            time += random.nextLong(20 * MINUTE, 60 * MINUTE);
        }
    }

    /**
     * 10 pass-through, keyed on the pass-through account: it receives 1,500.00 to 4,800.00 and pays on between
     * 91% and 100% of it 5 to 55 minutes later (inside the 10% tolerance and the one-hour window).
     */
    private void passThrough(final long start)
    {
        final long source = account();
        final long mule = account();
        final long destination = account();
        final long inbound = euros(1_500, 4_800);
        pay(start, source, mule, inbound, Channel.SEPA);
        final long outbound = inbound - random.nextLong(0, inbound / 10 * 9 / 10 + 1);
        trigger(pay(start + random.nextLong(5 * MINUTE, 55 * MINUTE), mule, destination, outbound, Channel.WIRE),
            PassThroughRule.ID, mule);
    }

    /**
     * 11 dormant-reactivated, keyed on the debtor: opened, one small payment a few days later, then nothing for
     * the dormancy period plus 1 hour to 5 days, then a payment of 1,000.00 to 4,500.00.
     */
    private void dormantReactivated(final long start)
    {
        final long debtor = account();
        open(start, debtor, party());
        final long lastActivity = start + random.nextLong(DAY, 5 * DAY);
        pay(lastActivity, debtor, account(), euros(20, 200), Channel.SEPA);
        final long reactivation = lastActivity + DORMANCY + random.nextLong(HOUR, 5 * DAY);
        trigger(pay(reactivation, debtor, account(), euros(1_000, 4_500), Channel.WIRE),
            DormantReactivatedRule.ID, debtor);
    }

    /**
     * 12 new-account-large, keyed on the creditor: opened, a small deposit from a payer within hours, then 1 to 20
     * days later (inside the 30-day age) 10,000.00 to 40,000.00 from the same payer. It is also a large amount.
     */
    private void newAccountLarge(final long start)
    {
        final long creditor = account();
        final long payer = account();
        open(start, creditor, party());
        pay(start + random.nextLong(HOUR, 10 * HOUR), payer, creditor, euros(10, 100), Channel.SEPA);
        final long amount = notRound(random.nextLong(LARGE_AMOUNT + 1, 4 * LARGE_AMOUNT));
        trigger(pay(start + random.nextLong(DAY, 20 * DAY), payer, creditor, amount, Channel.WIRE),
            NewAccountLargeRule.ID, creditor);
    }

    /**
     * 13 new-payee-large, keyed on the debtor: small payments to two payees, then 5,050.00 to 8,900.00 to an
     * account it never paid.
     */
    private void newPayeeLarge(final long start)
    {
        final long debtor = account();
        pay(start, debtor, account(), euros(20, 300), Channel.SEPA);
        pay(start + random.nextLong(DAY, 5 * DAY), debtor, account(), euros(20, 300), Channel.CARD);
        trigger(pay(start + random.nextLong(6 * DAY, 20 * DAY), debtor, account(), euros(5_050, 8_900), Channel.WIRE),
            NewPayeeLargeRule.ID, debtor);
    }

    /**
     * 14 card-testing, keyed on the debtor: three ordinary payments of 380.00 to 450.00 over the previous weeks
     * (so the follow-up is not far above the debtor's history), then five card payments of at most 2.00 at five
     * merchants 30 to 90 s apart, then 500.00 to 800.00 at a sixth merchant 30 to 120 s later, all within 8
     * minutes (inside the 10-minute window).
     */
    private void cardTesting(final long start)
    {
        final long debtor = account();
        final long[] payees = { account(), account() };
        long time = start;
        for (int i = 0; i < 3; i++)
        {
            pay(time, debtor, payees[i % 2], euros(380, 450), Channel.SEPA);
            time += random.nextLong(DAY, 6 * DAY);
        }

        final long[] small = { 45, 80, 120, 160, 195 };
        for (int i = 0; i < small.length; i++)
        {
            small[i] += random.nextInt(5);
        }
        shuffle(small);

        time = start + random.nextLong(19 * DAY, 20 * DAY);
        for (final long amount : small)
        {
            card(pay(time, debtor, account(), amount, Channel.CARD));
            time += random.nextLong(30 * SECOND, 90 * SECOND);
        }
        time += random.nextLong(0, 30 * SECOND);
        trigger(card(pay(time, debtor, account(), euros(500, 800), Channel.CARD)), CardTestingRule.ID, debtor);
    }

    /**
     * 15 impossible-travel, keyed on the debtor: card payments in two cities thousands of kilometres apart, 10 to
     * 120 minutes apart: over 2,000 km/h.
     */
    private void impossibleTravel(final long start)
    {
        final long debtor = account();
        final int[] cities = Places.FAR_APART[random.nextInt(Places.FAR_APART.length)];
        final int first = random.chance(0.5) ? 0 : 2;
        final ScenarioEvent there = card(pay(start, debtor, account(), euros(20, 150), Channel.CARD));
        position(there, cities[first], cities[first + 1]);
        final ScenarioEvent here = card(pay(
            start + random.nextLong(10 * MINUTE, 120 * MINUTE), debtor, account(), euros(20, 150), Channel.CARD));
        position(here, cities[2 - first], cities[3 - first]);
        trigger(here, ImpossibleTravelRule.ID, debtor);
    }

    /**
     * 16 high-risk-country, keyed on the debtor: a wire of 200.00 to 4,000.00 whose creditor (even instances) or
     * debtor (odd instances) is in a default high-risk country.
     */
    private void highRiskCountry(final long start, final int instance)
    {
        final long debtor = account();
        final ScenarioEvent payment = pay(start, debtor, account(), euros(200, 4_000), Channel.WIRE);
        final int country = HIGH_RISK[random.nextInt(HIGH_RISK.length)];
        if (0 == instance % 2)
        {
            payment.creditorCountry = country;
        }
        else
        {
            payment.debtorCountry = country;
        }
        trigger(payment, HighRiskCountryRule.ID, debtor);
    }

    /**
     * 17 watch-list, keyed on the debtor, four variants in turn: a watched account pays; an account just opened for
     * a watched party pays; a payment to a watched account; a payment to an account just opened for a watched
     * party.
     */
    private void watchList(final long start, final int instance)
    {
        final long watchedAccount = FIRST_ACCOUNT + 1 + (instance / 4) % WATCHED_ACCOUNTS;
        final long watchedParty = FIRST_PARTY + 1 + (instance / 4) % WATCHED_PARTIES;
        final long later = start + random.nextLong(HOUR, 2 * DAY);
        final long amount = euros(100, 3_000);
        switch (instance % 4)
        {
            case 0:
                trigger(pay(start, watchedAccount, account(), amount, Channel.SEPA), WatchListRule.ID, watchedAccount);
                break;

            case 1:
            {
                final long debtor = account();
                open(start, debtor, watchedParty);
                trigger(pay(later, debtor, account(), amount, Channel.SEPA), WatchListRule.ID, debtor);
                break;
            }

            case 2:
            {
                final long debtor = account();
                trigger(pay(start, debtor, watchedAccount, amount, Channel.WIRE), WatchListRule.ID, debtor);
                break;
            }

            default:
            {
                final long creditor = account();
                final long debtor = account();
                open(start, creditor, watchedParty);
                trigger(pay(later, debtor, creditor, amount, Channel.SEPA), WatchListRule.ID, debtor);
                break;
            }
        }
    }

    /**
     * 18 cycle, keyed on the debtor of the closing payment: funds go round three (even instances) or four (odd)
     * accounts, each leg 0.5% to 3% smaller and 2 to 20 hours after the previous one (past the pass-through
     * window), all within 3 days (inside the 7-day window).
     */
    private void cycle(final long start, final int instance)
    {
        final long[] ring = new long[0 == instance % 2 ? 3 : 4];
        for (int i = 0; i < ring.length; i++)
        {
            ring[i] = account();
        }

        long amount = euros(2_000, 4_500);
        long time = start;
        for (int i = 0; i < ring.length; i++)
        {
            final ScenarioEvent payment = pay(time, ring[i], ring[(i + 1) % ring.length], amount, Channel.SEPA);
            if (i == ring.length - 1)
            {
                trigger(payment, CycleRule.ID, ring[i]);
            }
            amount = amount * (970 + random.nextInt(26)) / 1000;
            time += random.nextLong(2 * HOUR, 20 * HOUR);
        }
    }

    /**
     * 19 wash-trade, keyed on the execution account: an account trades with itself (even instances), or two
     * accounts opened for one party trade with each other (odd instances).
     */
    private void washTrade(final long start, final int instance)
    {
        final int instrument = random.nextInt(BackgroundTraffic.INSTRUMENTS);
        final long price = price(instrument, 0);
        final long time = sessionTime(start, 9 * HOUR, 14 * HOUR);
        final long quantity = 100L * (5 + random.nextInt(40));
        final long trader = account();
        final long counterparty;
        if (0 == instance % 2)
        {
            counterparty = trader;
        }
        else
        {
            counterparty = account();
            final long party = party();
            open(start, trader, party);
            open(start + random.nextLong(HOUR, 6 * HOUR), counterparty, party);
        }

        final long orderId = orderId();
        order(time - random.nextLong(SECOND, 60 * SECOND), trader, orderId, instrument, price, quantity, Side.BUY,
            OrderAction.NEW);
        trigger(execution(time, trader, counterparty, orderId, instrument, price, quantity, Side.BUY),
            WashTradeRule.ID, trader);
    }

    /**
     * 20 spoofing, keyed on the order account: a large order (20,000 to 60,000) on one side, a small order on the
     * other side executed 1.5 to 2.5 s later, then the large order cancelled 0.3 to 4 s after the execution
     * (inside the 5-second window).
     */
    private void spoofing(final long start)
    {
        final long trader = account();
        final int instrument = random.nextInt(BackgroundTraffic.INSTRUMENTS);
        final Side side = random.chance(0.5) ? Side.BUY : Side.SELL;
        final Side other = Side.BUY == side ? Side.SELL : Side.BUY;
        final long bigPrice = price(instrument, Side.BUY == side ? -2 - random.nextInt(4) : 2 + random.nextInt(4));
        final long bigQuantity = 100L * (200 + random.nextInt(401));
        final long smallQuantity = 100L * (5 + random.nextInt(16));
        final long price = price(instrument, 0);
        final long big = orderId();
        final long small = orderId();

        final long time = sessionTime(start, 9 * HOUR, 14 * HOUR);
        order(time, trader, big, instrument, bigPrice, bigQuantity, side, OrderAction.NEW);
        order(time + random.nextLong(500 * MILLISECOND, 1_200 * MILLISECOND), trader, small, instrument, price,
            smallQuantity, other, OrderAction.NEW);
        final long executed = time + random.nextLong(1_500 * MILLISECOND, 2_500 * MILLISECOND);
        execution(executed, trader, account(), small, instrument, price, smallQuantity, other);
        trigger(order(executed + random.nextLong(300 * MILLISECOND, 4 * SECOND), trader, big, instrument, bigPrice,
            bigQuantity, side, OrderAction.CANCEL), SpoofingRule.ID, trader);
    }

    /**
     * 21 layering, keyed on the order account: five (even instances) or six (odd) orders on one side at distinct
     * prices 200 to 400 ms apart, a small order on the other side executed, then the layered orders cancelled 100
     * to 300 ms apart; the fifth cancel alerts, about 5 s after the first order (inside the 10-second window).
     * Quantities stay below the spoofing minimum.
     */
    private void layering(final long start, final int instance)
    {
        final long trader = account();
        final int instrument = random.nextInt(BackgroundTraffic.INSTRUMENTS);
        final Side side = random.chance(0.5) ? Side.BUY : Side.SELL;
        final Side other = Side.BUY == side ? Side.SELL : Side.BUY;
        final int direction = Side.BUY == side ? -1 : 1;
        final int layers = 0 == instance % 2 ? 5 : 6;
        final long[] ids = new long[layers];
        final long[] prices = new long[layers];
        final long[] quantities = new long[layers];

        long time = sessionTime(start, 9 * HOUR, 14 * HOUR);
        for (int i = 0; i < layers; i++)
        {
            ids[i] = orderId();
            prices[i] = price(instrument, direction * (i + 1));
            quantities[i] = 100L * (10 + random.nextInt(41));
            order(time, trader, ids[i], instrument, prices[i], quantities[i], side, OrderAction.NEW);
            time += random.nextLong(200 * MILLISECOND, 400 * MILLISECOND);
        }

        final long small = orderId();
        final long price = price(instrument, 0);
        final long smallQuantity = 100L * (2 + random.nextInt(9));
        order(time, trader, small, instrument, price, smallQuantity, other, OrderAction.NEW);
        time += random.nextLong(300 * MILLISECOND, 800 * MILLISECOND);
        execution(time, trader, account(), small, instrument, price, smallQuantity, other);
        time += random.nextLong(500 * MILLISECOND, SECOND);

        for (int i = 0; i < layers; i++)
        {
            final ScenarioEvent cancel = order(
                time, trader, ids[i], instrument, prices[i], quantities[i], side, OrderAction.CANCEL);
            if (4 == i)
            {
                trigger(cancel, LayeringRule.ID, trader);
            }
            time += random.nextLong(100 * MILLISECOND, 300 * MILLISECOND);
        }
    }

    /**
     * 22 excessive-cancels, keyed on the order account: one executed order, then 25 orders each cancelled 15 to
     * 40 s after it is placed, the next placed 40 to 70 s later, all within 50 minutes (inside the one-hour
     * window). At the 25th cancel the window holds 51 order messages and 25 cancels against one execution: the
     * first time both the 50-message minimum and the ratio of 20 are met. Each cancel is more than the layering
     * window after its order, and all orders are small.
     */
    private void excessiveCancels(final long start)
    {
        final long trader = account();
        final int instrument = random.nextInt(BackgroundTraffic.INSTRUMENTS);
        long time = sessionTime(start, 9 * HOUR, 13 * HOUR);

        final long filled = orderId();
        final long quantity = 100L * (1 + random.nextInt(9));
        order(time, trader, filled, instrument, price(instrument, 0), quantity, Side.BUY, OrderAction.NEW);
        time += random.nextLong(SECOND, 5 * SECOND);
        execution(time, trader, account(), filled, instrument, price(instrument, 0), quantity, Side.BUY);

        time += random.nextLong(30 * SECOND, 60 * SECOND);
        for (int i = 0; i < 25; i++)
        {
            final long id = orderId();
            final Side side = random.chance(0.5) ? Side.BUY : Side.SELL;
            final long price = price(instrument, random.nextInt(5) - 2);
            final long size = 100L * (1 + random.nextInt(9));
            order(time, trader, id, instrument, price, size, side, OrderAction.NEW);
            time += random.nextLong(15 * SECOND, 40 * SECOND);
            final ScenarioEvent cancel = order(time, trader, id, instrument, price, size, side, OrderAction.CANCEL);
            if (24 == i)
            {
                trigger(cancel, ExcessiveCancelRule.ID, trader);
            }
            time += random.nextLong(40 * SECOND, 70 * SECOND);
        }
    }

    /**
     * 23 marking-the-close, keyed on the execution account: a small buy in the morning (200 to 400), then two
     * buys in the last five minutes before the 16:00 UTC close (700 to 900, then 600 to 900): the second takes the
     * close-window quantity past 1,000 at three quarters or more of the day's volume.
     */
    private void markingTheClose(final long start)
    {
        final long trader = account();
        final int instrument = random.nextInt(BackgroundTraffic.INSTRUMENTS);
        final long day = Times.nextTradingDay(start);

        final long morning = day + random.nextLong(10 * HOUR, 12 * HOUR);
        final long early = 10L * (20 + random.nextInt(21));
        final long first = day + Times.SESSION_CLOSE - random.nextLong(3 * MINUTE, 4 * MINUTE + 30 * SECOND);
        final long second = first + random.nextLong(30 * SECOND, 120 * SECOND);

        buy(morning, trader, instrument, price(instrument, 0), early);
        buy(first, trader, instrument, price(instrument, 3), 10L * (70 + random.nextInt(21)));
        trigger(buy(second, trader, instrument, price(instrument, 6), 10L * (60 + random.nextInt(31))),
            MarkingTheCloseRule.ID, trader);
    }

    /**
     * A buy order and its execution a second or two later against a fresh counterparty.
     *
     * @return the execution.
     */
    private ScenarioEvent buy(
        final long time, final long trader, final int instrument, final long price, final long quantity)
    {
        final long id = orderId();
        order(time - random.nextLong(SECOND, 2 * SECOND), trader, id, instrument, price, quantity, Side.BUY,
            OrderAction.NEW);
        return execution(time, trader, account(), id, instrument, price, quantity, Side.BUY);
    }

    private ScenarioEvent add(final int templateId, final long time)
    {
        final ScenarioEvent event = new ScenarioEvent();
        event.templateId = templateId;
        event.time = time;
        event.sequence = events.size();
        events.add(event);
        return event;
    }

    private ScenarioEvent pay(
        final long time, final long debtor, final long creditor, final long amount, final Channel channel)
    {
        final ScenarioEvent event = add(ScenarioEvent.PAYMENT, time);
        event.debtor = debtor;
        event.creditor = creditor;
        event.amount = amount;
        event.currency = Places.EUR;
        event.channel = channel;
        event.debtorCountry = country(debtor);
        event.creditorCountry = country(creditor);
        event.referencePrefix = random.chance(0.5) ? INVOICE : TRANSFER;
        event.referenceNumber = random.nextInt(1_000_000);
        return event;
    }

    private ScenarioEvent card(final ScenarioEvent payment)
    {
        payment.referencePrefix = CARD;
        payment.referenceNumber = random.nextInt(10_000);
        return payment;
    }

    private void position(final ScenarioEvent payment, final int latitude, final int longitude)
    {
        payment.latitude = latitude + random.nextInt(2 * POSITION_NOISE) - POSITION_NOISE;
        payment.longitude = longitude + random.nextInt(2 * POSITION_NOISE) - POSITION_NOISE;
    }

    private void open(final long time, final long account, final long party)
    {
        final ScenarioEvent event = add(ScenarioEvent.ACCOUNT_UPDATE, time);
        event.account = account;
        event.party = party;
        event.accountAction = AccountAction.OPEN;
        event.riskRating = random.chance(0.8) ? RiskRating.LOW : RiskRating.MEDIUM;
        event.country = country(account);
    }

    private ScenarioEvent order(
        final long time,
        final long account,
        final long orderId,
        final int instrument,
        final long price,
        final long quantity,
        final Side side,
        final OrderAction action)
    {
        final ScenarioEvent event = add(ScenarioEvent.ORDER, time);
        event.account = account;
        event.orderId = orderId;
        event.instrument = BackgroundTraffic.FIRST_INSTRUMENT + instrument;
        event.price = price;
        event.quantity = quantity;
        event.side = side;
        event.orderAction = action;
        event.venue = BackgroundTraffic.venue(event.instrument);
        return event;
    }

    private ScenarioEvent execution(
        final long time,
        final long account,
        final long counterparty,
        final long orderId,
        final int instrument,
        final long price,
        final long quantity,
        final Side side)
    {
        final ScenarioEvent event = add(ScenarioEvent.EXECUTION, time);
        event.account = account;
        event.counterparty = counterparty;
        event.orderId = orderId;
        event.instrument = BackgroundTraffic.FIRST_INSTRUMENT + instrument;
        event.price = price;
        event.quantity = quantity;
        event.side = side;
        event.venue = BackgroundTraffic.venue(event.instrument);
        return event;
    }

    private static void trigger(final ScenarioEvent event, final int ruleId, final long account)
    {
        event.ruleId = ruleId;
        event.alertAccount = account;
    }

    private long account()
    {
        return nextAccount++;
    }

    private long party()
    {
        return nextParty++;
    }

    private long orderId()
    {
        return nextOrderId++;
    }

    /**
     * @return a euro area country for a planted account, stable for the account.
     */
    private static int country(final long account)
    {
        final int[] countries = Places.EURO_COUNTRIES;
        return countries[(int)Long.remainderUnsigned(ScenarioRandom.mix(account), countries.length)];
    }

    /**
     * @return an amount in cents from {@code from} to {@code to} euros, never a whole euro.
     */
    private long euros(final long from, final long to)
    {
        return notRound(random.nextLong(from * 100, to * 100));
    }

    private static long notRound(final long amount)
    {
        return 0 == amount % 100 ? amount + 37 : amount;
    }

    /**
     * @return the instrument's reference price moved by a number of ticks of one cent, as a fixed-point price.
     */
    private long price(final int instrument, final int ticks)
    {
        return (traffic.referenceCents(instrument) + ticks) * PRICE_UNITS_PER_CENT;
    }

    /**
     * @return a time on the first trading day after {@code start}, between the two times of day.
     */
    private long sessionTime(final long start, final long fromTimeOfDay, final long toTimeOfDay)
    {
        return Times.nextTradingDay(start) + random.nextLong(fromTimeOfDay, toTimeOfDay);
    }

    private void shuffle(final long[] values)
    {
        for (int i = values.length - 1; i > 0; i--)
        {
            final int j = random.nextInt(i + 1);
            final long swap = values[i];
            values[i] = values[j];
            values[j] = swap;
        }
    }
}
