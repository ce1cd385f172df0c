package io.txmon.scenario;

import io.txmon.events.codec.AccountAction;
import io.txmon.events.codec.Channel;
import io.txmon.events.codec.OrderAction;
import io.txmon.events.codec.RiskRating;
import io.txmon.events.codec.Side;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;

import static io.txmon.scenario.Times.SECOND;

/**
 * The planted cases of one stream: for every typology, a number of short scripts of events on fresh accounts,
 * each ending with (or containing) the event that must trigger the typology's alert with the rule's default
 * parameters (rules/RULES.md). Built ahead of the stream, sorted by time, and merged into the background by
 * {@link ScenarioGenerator}. Each typology's script is a {@link PlantScript}, listed in {@link PlantScripts#ALL};
 * the plan gives them fresh accounts, parties and order ids, the random sequence, and the event builders.
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

    private static final long FIRST_FRESH = 1_000;
    private static final long FIRST_ORDER_ID = 9_000_000_000_000L;
    private static final long PRICE_UNITS_PER_CENT = 1_000_000L;
    private static final int POSITION_NOISE = 5_000;
    private static final byte[] INVOICE = "INV ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TRANSFER = "TRANSFER ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CARD = "CARD ".getBytes(StandardCharsets.US_ASCII);

    /** The plan's own random sequence: scripts draw from it in the order they are registered and run. */
    final ScenarioRandom random;
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
     * equal stratum, at a random point of it) so that they complete well before the stream ends. Every event of a
     * case carries the case: its typology and its number among the typology's cases, from 1.
     *
     * @param instances per typology, at least 1.
     * @param start     event time of the stream.
     * @param span      expected length of the stream in event time.
     * @return the planted events, sorted by time then by creation.
     */
    ScenarioEvent[] build(final int instances, final long start, final long span)
    {
        for (final PlantScript script : PlantScripts.ALL)
        {
            final long from = start + span / 100;
            final long to = start + span / 5 * 4 - script.duration();
            final long stratum = (to - from) / instances;
            if (stratum <= 0)
            {
                continue;
            }

            for (int instance = 0; instance < instances; instance++)
            {
                final long begin = from + stratum * instance + random.nextLong(0, stratum);
                final int first = events.size();
                script.plant(this, begin, instance);
                for (int i = first; i < events.size(); i++)
                {
                    events.get(i).caseRule = script.ruleId();
                    events.get(i).caseNumber = instance + 1;
                }
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
     * A buy order and its execution a second or two later against a fresh counterparty.
     *
     * @return the execution.
     */
    ScenarioEvent buy(
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

    ScenarioEvent pay(
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

    ScenarioEvent card(final ScenarioEvent payment)
    {
        payment.referencePrefix = CARD;
        payment.referenceNumber = random.nextInt(10_000);
        return payment;
    }

    void position(final ScenarioEvent payment, final int latitude, final int longitude)
    {
        payment.latitude = latitude + random.nextInt(2 * POSITION_NOISE) - POSITION_NOISE;
        payment.longitude = longitude + random.nextInt(2 * POSITION_NOISE) - POSITION_NOISE;
    }

    void open(final long time, final long account, final long party)
    {
        final ScenarioEvent event = add(ScenarioEvent.ACCOUNT_UPDATE, time);
        event.account = account;
        event.party = party;
        event.accountAction = AccountAction.OPEN;
        event.riskRating = random.chance(0.8) ? RiskRating.LOW : RiskRating.MEDIUM;
        event.country = country(account);
    }

    ScenarioEvent order(
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

    ScenarioEvent execution(
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

    void trigger(final ScenarioEvent event, final int ruleId, final long account)
    {
        event.ruleId = ruleId;
        event.alertAccount = account;
    }

    long account()
    {
        return nextAccount++;
    }

    long party()
    {
        return nextParty++;
    }

    long orderId()
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
    long euros(final long from, final long to)
    {
        return notRound(random.nextLong(from * 100, to * 100));
    }

    static long notRound(final long amount)
    {
        return 0 == amount % 100 ? amount + 37 : amount;
    }

    /**
     * @return the instrument's reference price moved by a number of ticks of one cent, as a fixed-point price.
     */
    long price(final int instrument, final int ticks)
    {
        return (traffic.referenceCents(instrument) + ticks) * PRICE_UNITS_PER_CENT;
    }

    /**
     * @return a time on the first trading day after {@code start}, between the two times of day.
     */
    long sessionTime(final long start, final long fromTimeOfDay, final long toTimeOfDay)
    {
        return Times.nextTradingDay(start) + random.nextLong(fromTimeOfDay, toTimeOfDay);
    }

    void shuffle(final long[] values)
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
