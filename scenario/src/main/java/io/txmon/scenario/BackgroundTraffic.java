package io.txmon.scenario;

import io.txmon.events.codec.AccountAction;
import io.txmon.events.codec.Channel;
import io.txmon.events.codec.OrderAction;
import io.txmon.events.codec.RiskRating;
import io.txmon.events.codec.Side;

import java.nio.charset.StandardCharsets;

/**
 * The ordinary traffic of the synthetic world, one event at a time: payments between a large population of
 * accounts, account openings and reviews, and, while the venues are open, orders and executions of a population
 * of traders on a few hundred instruments.
 * <p>
 * Accounts are {@link #FIRST_ACCOUNT} + index: the population given at construction, then the accounts opened
 * during the stream. Every property of an account (country, spending level, regular payees, party) is a pure
 * function of its index and the seed, so nothing is stored per account. Most payments are small and irregular:
 * log-normal amounts around a per-account level, to a few regular payees, to merchants by card, or to anyone; a
 * small share of the accounts is busy. Card payments carry a position near the debtor's home, so travel never
 * looks impossible. Traders are one account in ten; their orders rest in a bounded book of live orders that
 * amends, cancels and executions pick from.
 * <p>
 * Every account id stays below {@link ScenarioPlan#FIRST_ACCOUNT}: planted cases never share an account with the
 * background.
 */
final class BackgroundTraffic
{
    /** Id of the account with index 0. */
    static final long FIRST_ACCOUNT = 1_000_000L;
    /** Party id of an account that has a party of its own: this plus its index. */
    static final long FIRST_PARTY = 500_000_000_000L;
    /** Id of the first instrument. */
    static final long FIRST_INSTRUMENT = 100_001L;
    /** Instruments traded. */
    static final int INSTRUMENTS = 400;

    private static final long FIRST_ORDER_ID = 10_000_000L;
    private static final int LIVE_ORDERS = 4096;
    private static final int REGULAR_PAYEES = 6;
    private static final int RECENT_OPENINGS = 2000;
    private static final double RECENT_SHARE = 0.03;
    private static final int MERCHANT_EVERY = 50;
    private static final int TRADER_EVERY = 10;
    private static final int TRADER_REMAINDER = 3;
    private static final int BUSY_PER_MILLE = 10;
    private static final long PRICE_UNITS_PER_CENT = 1_000_000L;
    private static final long LOT = 10;
    private static final long MAX_CENTS = 25_000_000L;
    private static final double MEDIAN_CENTS = 4_000;
    private static final double BIG_TICKET_SHARE = 0.0005;
    private static final int POSITION_JITTER = 40_000;
    private static final int CARD_JITTER = 8_000;

    private static final String[] VENUE_CODES = { "XLON", "XPAR", "XETR", "XAMS", "XMAD", "XMIL", "XSWX", "XNYS" };
    private static final int[] VENUES = new int[VENUE_CODES.length];
    private static final byte[] INVOICE = bytes("INV ");
    private static final byte[] CARD = bytes("CARD ");
    private static final byte[] RENT = bytes("RENT ");
    private static final byte[] TRANSFER = bytes("TRANSFER ");

    static
    {
        for (int i = 0; i < VENUES.length; i++)
        {
            VENUES[i] = ScenarioEvent.mic(VENUE_CODES[i]);
        }
    }

    private final ScenarioRandom random;
    private final long salt;
    private final int accounts;
    private int opened;
    private long nextOrderId;

    private final long[] liveOrderId = new long[LIVE_ORDERS];
    private final long[] liveAccount = new long[LIVE_ORDERS];
    private final long[] liveInstrument = new long[LIVE_ORDERS];
    private final long[] livePrice = new long[LIVE_ORDERS];
    private final long[] liveQuantity = new long[LIVE_ORDERS];
    private final Side[] liveSide = new Side[LIVE_ORDERS];
    private int liveCount;

    /** Background order ids of one producer slot; they stay below the planted cases' order ids. */
    private static final long SLOT_ORDER_IDS = 100_000_000_000L;

    /**
     * @param seed         of the stream.
     * @param accounts     existing at the start of the stream.
     * @param producerSlot 0 to {@link ScenarioGenerator#PRODUCER_SLOTS} - 1: streams of different slots use
     *                     disjoint order ids.
     */
    BackgroundTraffic(final long seed, final int accounts, final int producerSlot)
    {
        this.nextOrderId = FIRST_ORDER_ID + producerSlot * SLOT_ORDER_IDS;
        this.random = new ScenarioRandom(ScenarioRandom.mix(seed ^ 0x6261636B67726F75L));
        this.salt = ScenarioRandom.mix(seed + 0x73616C74L);
        this.accounts = accounts;
    }

    /**
     * @return accounts existing at the start of the stream.
     */
    int accounts()
    {
        return accounts;
    }

    /**
     * @return accounts opened during the stream so far.
     */
    int opened()
    {
        return opened;
    }

    /**
     * Fill the next background event.
     *
     * @param time  of the event.
     * @param event to fill; cleared first.
     */
    void next(final long time, final ScenarioEvent event)
    {
        event.clear();
        event.time = time;
        final double u = random.nextDouble();
        if (Times.inSession(time))
        {
            if (u < 0.42)
            {
                payment(event);
            }
            else if (u < 0.43)
            {
                accountUpdate(event);
            }
            else
            {
                market(event);
            }
        }
        else if (u < 0.99)
        {
            payment(event);
        }
        else
        {
            accountUpdate(event);
        }
    }

    private void payment(final ScenarioEvent event)
    {
        final int debtor = payer();
        final double u = random.nextDouble();
        final boolean merchant = u >= 0.5 && u < 0.8;
        final boolean bigTicket = !merchant && random.chance(BIG_TICKET_SHARE);
        int creditor;
        if (u < 0.5)
        {
            final double v = random.nextDouble();
            creditor = payee(debtor, (int)(v * v * REGULAR_PAYEES));
        }
        else if (merchant)
        {
            creditor = merchant();
        }
        else
        {
            creditor = random.nextInt(population());
        }
        if (creditor == debtor)
        {
            creditor = (creditor + 1) % population();
        }

        final Channel channel = merchant ? merchantChannel() : bigTicket ? Channel.WIRE : transferChannel();
        final int home = homeCountry(debtor);
        event.templateId = ScenarioEvent.PAYMENT;
        event.debtor = FIRST_ACCOUNT + debtor;
        event.creditor = FIRST_ACCOUNT + creditor;
        event.channel = channel;
        event.currency = Places.CURRENCY[home];
        final long cents = bigTicket ? bigTicketCents() : euroCents(debtor, merchant, channel);
        event.amount = Math.max(1, cents * Places.PER_MILLE_OF_EURO_CENT[home] / 1000);
        event.debtorCountry = Places.COUNTRY[home];
        event.creditorCountry = Places.COUNTRY[homeCountry(creditor)];
        if (Channel.CARD == channel && random.chance(0.7))
        {
            event.latitude = homeLatitude(debtor, home) + random.nextInt(2 * CARD_JITTER) - CARD_JITTER;
            event.longitude = homeLongitude(debtor, home) + random.nextInt(2 * CARD_JITTER) - CARD_JITTER;
        }
        reference(event, merchant, channel);
    }

    private void accountUpdate(final ScenarioEvent event)
    {
        final int index;
        if (random.chance(0.5))
        {
            index = accounts + opened++;
            event.accountAction = AccountAction.OPEN;
        }
        else
        {
            index = random.nextInt(population());
            event.accountAction = AccountAction.UPDATE;
        }

        final double risk = random.nextDouble();
        event.templateId = ScenarioEvent.ACCOUNT_UPDATE;
        event.account = FIRST_ACCOUNT + index;
        event.party = party(index);
        event.riskRating = risk < 0.72 ? RiskRating.LOW : risk < 0.96 ? RiskRating.MEDIUM : RiskRating.HIGH;
        event.country = Places.COUNTRY[homeCountry(index)];
    }

    private void market(final ScenarioEvent event)
    {
        final double u = random.nextDouble();
        if (0 == liveCount || u < 0.45)
        {
            newOrder(event);
        }
        else if (u < 0.53)
        {
            amend(event, random.nextInt(liveCount));
        }
        else if (u < 0.78)
        {
            cancel(event, random.nextInt(liveCount));
        }
        else
        {
            execute(event, random.nextInt(liveCount));
        }
    }

    private void newOrder(final ScenarioEvent event)
    {
        final double v = random.nextDouble();
        final int instrument = (int)(v * v * INSTRUMENTS);
        final long cents = Math.max(1, Math.round(referenceCents(instrument) * (1.0 + 0.01 * random.nextGaussian())));
        final long quantity = LOT * (1 + Math.min(5000, (long)StrictMath.exp(2.5 + random.nextGaussian())));

        final int slot = liveCount < LIVE_ORDERS ? liveCount++ : random.nextInt(LIVE_ORDERS);
        liveOrderId[slot] = nextOrderId++;
        liveAccount[slot] = FIRST_ACCOUNT + trader();
        liveInstrument[slot] = FIRST_INSTRUMENT + instrument;
        livePrice[slot] = cents * PRICE_UNITS_PER_CENT;
        liveQuantity[slot] = quantity;
        liveSide[slot] = random.chance(0.5) ? Side.BUY : Side.SELL;
        orderEvent(event, slot, OrderAction.NEW);
    }

    private void amend(final ScenarioEvent event, final int slot)
    {
        final long quantity = liveQuantity[slot] * (50 + random.nextInt(101)) / 100;
        liveQuantity[slot] = Math.max(LOT, quantity - quantity % LOT);
        liveLimitPrice(slot, random.nextInt(7) - 3);
        orderEvent(event, slot, OrderAction.AMEND);
    }

    private void cancel(final ScenarioEvent event, final int slot)
    {
        orderEvent(event, slot, OrderAction.CANCEL);
        removeLive(slot);
    }

    private void execute(final ScenarioEvent event, final int slot)
    {
        final long open = liveQuantity[slot];
        final long filled = open <= LOT || random.chance(0.6) ?
            open : LOT * (1 + random.nextInt((int)(open / LOT) - 1));
        long counterparty = FIRST_ACCOUNT + trader();
        if (counterparty == liveAccount[slot])
        {
            counterparty += counterparty - FIRST_ACCOUNT >= TRADER_EVERY ? -TRADER_EVERY : TRADER_EVERY;
        }

        event.templateId = ScenarioEvent.EXECUTION;
        event.orderId = liveOrderId[slot];
        event.account = liveAccount[slot];
        event.counterparty = counterparty;
        event.instrument = liveInstrument[slot];
        event.price = livePrice[slot];
        event.quantity = filled;
        event.side = liveSide[slot];
        event.venue = venue(liveInstrument[slot]);

        if (filled == open)
        {
            removeLive(slot);
        }
        else
        {
            liveQuantity[slot] = open - filled;
        }
    }

    private void orderEvent(final ScenarioEvent event, final int slot, final OrderAction action)
    {
        event.templateId = ScenarioEvent.ORDER;
        event.orderId = liveOrderId[slot];
        event.account = liveAccount[slot];
        event.instrument = liveInstrument[slot];
        event.price = livePrice[slot];
        event.quantity = liveQuantity[slot];
        event.side = liveSide[slot];
        event.orderAction = action;
        event.venue = venue(liveInstrument[slot]);
    }

    private void liveLimitPrice(final int slot, final int ticks)
    {
        final long price = livePrice[slot] + ticks * PRICE_UNITS_PER_CENT;
        livePrice[slot] = Math.max(PRICE_UNITS_PER_CENT, price);
    }

    private void removeLive(final int slot)
    {
        final int last = --liveCount;
        liveOrderId[slot] = liveOrderId[last];
        liveAccount[slot] = liveAccount[last];
        liveInstrument[slot] = liveInstrument[last];
        livePrice[slot] = livePrice[last];
        liveQuantity[slot] = liveQuantity[last];
        liveSide[slot] = liveSide[last];
    }

    private int population()
    {
        return accounts + opened;
    }

    /**
     * The debtor of a payment: now and then a recently opened account, often one of the busy first percent,
     * otherwise anyone of the initial population.
     */
    private int payer()
    {
        final double u = random.nextDouble();
        if (u < RECENT_SHARE * Math.min(opened, RECENT_OPENINGS) / RECENT_OPENINGS)
        {
            return accounts + opened - 1 - random.nextInt(Math.min(opened, RECENT_OPENINGS));
        }
        if (u < 0.11)
        {
            return random.nextInt(Math.max(1, accounts * BUSY_PER_MILLE / 1000));
        }

        return random.nextInt(accounts);
    }

    private int payee(final int debtor, final int k)
    {
        return (int)Long.remainderUnsigned(ScenarioRandom.mix(salt ^ (debtor * 0x9E3779B97F4A7C15L + k)), accounts);
    }

    private int merchant()
    {
        final double v = random.nextDouble();
        // v^1.25, skewed towards popular merchants; square roots are exact in IEEE 754, so the stream is the same
        // on every JVM, and unlike StrictMath.pow (the JDK's Java port of fdlibm) they allocate nothing
        return MERCHANT_EVERY * (int)(v * StrictMath.sqrt(StrictMath.sqrt(v)) * (accounts / MERCHANT_EVERY));
    }

    private int trader()
    {
        final double v = random.nextDouble();
        return TRADER_EVERY * (int)(v * v * (accounts / TRADER_EVERY)) + TRADER_REMAINDER;
    }

    private Channel merchantChannel()
    {
        final double u = random.nextDouble();
        return u < 0.8 ? Channel.CARD : u < 0.9 ? Channel.ACH : Channel.SEPA;
    }

    private Channel transferChannel()
    {
        final double u = random.nextDouble();
        if (u < 0.45)
        {
            return Channel.SEPA;
        }
        if (u < 0.60)
        {
            return Channel.INTERNAL;
        }
        if (u < 0.72)
        {
            return Channel.ACH;
        }
        if (u < 0.84)
        {
            return Channel.WIRE;
        }
        if (u < 0.89)
        {
            return Channel.CHEQUE;
        }
        if (u < 0.94)
        {
            return Channel.CARD;
        }

        return u < 0.98 ? Channel.CASH : Channel.CRYPTO;
    }

    /**
     * A log-normal amount around the debtor's own spending level (itself log-normal over the population, median
     * 40.00 euros), a little lower at merchants and higher by wire: small and irregular, large only for the few
     * accounts with a high level.
     */
    private long euroCents(final int debtor, final boolean merchant, final Channel channel)
    {
        final double factor = merchant || Channel.CARD == channel ? 0.9 : Channel.WIRE == channel ? 1.2 : 1.0;
        final double sigma = debtor < accounts * BUSY_PER_MILLE / 1000 ? 0.35 : 0.45;
        final double level = StrictMath.exp(0.8 * ScenarioRandom.gaussian(
            ScenarioRandom.mix(salt + debtor * 31L), ScenarioRandom.mix(salt - debtor * 17L)));
        long cents = (long)(MEDIAN_CENTS * level * factor * StrictMath.exp(sigma * random.nextGaussian()));
        if (Channel.CASH == channel)
        {
            cents = Math.max(1_000, cents - cents % 1_000);
        }

        return Math.max(50, Math.min(MAX_CENTS, cents));
    }

    /**
     * A rare one-off large transfer (a car, a deposit, a supplier): 2,000.00 to 60,000.00 euros, log-uniform.
     */
    private long bigTicketCents()
    {
        return (long)(200_000 * StrictMath.exp(random.nextDouble() * StrictMath.log(30.0)));
    }

    private void reference(final ScenarioEvent event, final boolean merchant, final Channel channel)
    {
        final double u = random.nextDouble();
        if (Channel.CARD == channel)
        {
            event.referencePrefix = CARD;
            event.referenceNumber = random.nextInt(10_000);
        }
        else if (merchant || u < 0.4)
        {
            event.referencePrefix = INVOICE;
            event.referenceNumber = 100_000 + random.nextInt(900_000);
        }
        else if (u < 0.5)
        {
            event.referencePrefix = RENT;
            event.referenceNumber = 1 + random.nextInt(12);
        }
        else if (u < 0.7)
        {
            event.referencePrefix = TRANSFER;
            event.referenceNumber = random.nextInt(1_000_000);
        }
    }

    private int homeCountry(final int index)
    {
        return Places.countryIndex(ScenarioRandom.unit(ScenarioRandom.mix(salt ^ (index * 0xC2B2AE3D27D4EB4FL))));
    }

    private int homeLatitude(final int index, final int country)
    {
        return Places.LATITUDE[country] + jitter(index * 7L + 1);
    }

    private int homeLongitude(final int index, final int country)
    {
        return Places.LONGITUDE[country] + jitter(index * 7L + 2);
    }

    private int jitter(final long key)
    {
        return (int)Long.remainderUnsigned(ScenarioRandom.mix(salt + key), 2 * POSITION_JITTER) - POSITION_JITTER;
    }

    /**
     * The party of an account: its own, or for about one account in twenty the party of one of the three
     * accounts before it (a customer with several accounts).
     */
    private long party(final int index)
    {
        int owner = index;
        while (owner > 0)
        {
            final long h = ScenarioRandom.mix(salt ^ (owner * 0xD6E8FEB86659FD93L));
            if (Long.remainderUnsigned(h, 20) != 0)
            {
                break;
            }
            owner = Math.max(0, owner - 1 - (int)Long.remainderUnsigned(h >>> 8, 3));
        }

        return FIRST_PARTY + owner;
    }

    /**
     * @param instrument index, 0 to {@link #INSTRUMENTS} - 1.
     * @return the instrument's reference price in cents.
     */
    long referenceCents(final int instrument)
    {
        return 500 + Long.remainderUnsigned(ScenarioRandom.mix(salt ^ (instrument + 0x1357L)), 49_500);
    }

    /**
     * @param instrument id.
     * @return the packed MIC of the venue the instrument trades on.
     */
    static int venue(final long instrument)
    {
        return VENUES[(int)Long.remainderUnsigned(ScenarioRandom.mix(instrument), VENUES.length)];
    }

    private static byte[] bytes(final String text)
    {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
