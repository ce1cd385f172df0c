package io.txmon.scenario;

import io.txmon.events.codec.AccountAction;
import io.txmon.events.codec.Channel;
import io.txmon.events.codec.RiskRating;

import java.nio.charset.StandardCharsets;

import static io.txmon.scenario.BankingPopulation.COLLECTOR;
import static io.txmon.scenario.BankingPopulation.DEALER;
import static io.txmon.scenario.BankingPopulation.EMPLOYER;
import static io.txmon.scenario.BankingPopulation.GROCERY;
import static io.txmon.scenario.BankingPopulation.INSURER;
import static io.txmon.scenario.BankingPopulation.LETTING_AGENT;
import static io.txmon.scenario.BankingPopulation.MAX_PERSONS;
import static io.txmon.scenario.BankingPopulation.MERCHANT;
import static io.txmon.scenario.BankingPopulation.MIN_PERSONS;
import static io.txmon.scenario.BankingPopulation.MORTGAGE_LENDER;
import static io.txmon.scenario.BankingPopulation.NOTARY;
import static io.txmon.scenario.BankingPopulation.ONLINE;
import static io.txmon.scenario.BankingPopulation.PENSIONER;
import static io.txmon.scenario.BankingPopulation.PENSION_FUND;
import static io.txmon.scenario.BankingPopulation.RETAIL;
import static io.txmon.scenario.BankingPopulation.STUDENT;
import static io.txmon.scenario.BankingPopulation.SUPPLIER;
import static io.txmon.scenario.BankingPopulation.TELCO;
import static io.txmon.scenario.BankingPopulation.UTILITY;
import static io.txmon.scenario.BankingPopulation.WORKER;
import static io.txmon.scenario.BankingPopulation.id;
import static io.txmon.scenario.BankingPopulation.party;
import static io.txmon.scenario.BankingPopulation.pick;
import static io.txmon.scenario.Times.DAY;
import static io.txmon.scenario.Times.HOUR;
import static io.txmon.scenario.Times.MILLISECOND;
import static io.txmon.scenario.Times.MINUTE;

/**
 * The {@link ScenarioGenerator.Profile#BANKING banking background}: a retail bank's payments and account updates,
 * simulated day by day over months, with the regular flows that make rules raise false positives in real banks.
 * Payments and account updates only: no orders or executions.
 * <p>
 * <b>What happens</b> ({@link BankingPopulation} says who is who):
 * <ul>
 *     <li><b>Payroll fan-out.</b> Each employer pays all its employees once a month, in one batch between 01:00 and
 *     03:00 of its pay day (the 25th, the 28th or the last business day, brought forward to a business day), in its
 *     own currency; a December thirteenth salary at a third of them. The pension funds pay every pensioner of
 *     their zone on the first business day. Each employer pays its payroll taxes on the 15th, its suppliers and its
 *     office rent monthly, and is paid by a business client.</li>
 *     <li><b>Salaried accounts.</b> After the salary: the savers' standing order to their savings account; some
 *     partners forward nearly all of their salary to the household's head within minutes to an hour and a half;
 *     then rent (round amounts, to a letting agent) or a mortgage, energy (more in winter), telephone and insurance
 *     by direct debit, subscriptions by card, card spending at merchants (groceries at a favourite store,
 *     restaurants, fuel, shops, online shops in their own currencies), transfers to friends, now and then a
 *     deposit to or a withdrawal from savings.</li>
 *     <li><b>Merchants and collectors fan-in.</b> Supermarkets take card payments from hundreds of payers;
 *     each utility, telephone company, insurer, letting agent and mortgage lender collects from its customers on
 *     one day of the month. Merchants pay a wholesaler weekly from what they took in; collectors pay theirs
 *     monthly; letting agents pass the rents on to the landlords (persons) on the 8th, one more fan-out.</li>
 *     <li><b>Family loops.</b> Households of three or four send each other money round a loop now and then
 *     (A to B to C to A within a few days: shared holidays, gifts, paying back); heads pay their students an
 *     allowance; members living abroad send money home; December brings gifts.</li>
 *     <li><b>Large legitimate payments.</b> A car (8,000 to 40,000 euros) at a dealer, a house deposit (20,000 to
 *     90,000) at a notary, a renovation at a shop: often funded by a transfer from savings shortly before.</li>
 *     <li><b>Seasonality.</b> Paydays at month end, spending after them and up to Christmas, Black Friday, a quiet
 *     January, Sundays and holidays ({@link BankingCalendar}); summer trips abroad paid by card in the local
 *     currency (with a day of travel on each side, so they never look like impossible travel); tax refunds from
 *     April to June.</li>
 *     <li><b>Accounts.</b> Persons join the bank through the stream (an opening, then their salary); every
 *     account is reviewed about once a year (an update with its risk rating).</li>
 * </ul>
 * Amounts are drawn as values in euro cents and paid in the payment's currency at the rates of {@link Places}:
 * a person pays in the currency of home, at a merchant abroad or an online shop in the merchant's, and is paid in
 * the employer's; rents, savings and allowances are round in their own currency.
 * <p>
 * <b>Memory.</b> The population's arrays and one {@link DayBuffer} of the busiest day: nothing grows with the
 * stream.
 * <p>
 * Not thread safe.
 */
final class BankingTraffic implements Background
{
    /**
     * Events per person and day, on average over a year: the population is sized with it so that a stream spans
     * the days asked for (measured by {@code BankingTrafficTest}).
     */
    static final double EVENTS_PER_PERSON_DAY = 1.06;
    /** Persons joining the bank per month, per person at the start. */
    static final double JOINERS_PER_PERSON_MONTH = 0.008;

    static final int SALARY = 0;
    static final int PENSION = 1;
    static final int RENT = 2;
    static final int MORTGAGE = 3;
    static final int DIRECT_DEBIT = 4;
    static final int CARD = 5;
    static final int INVOICE = 6;
    static final int TAX = 7;
    static final int SAVINGS = 8;
    static final int FAMILY = 9;
    static final int GIFT = 10;
    static final int ALLOWANCE = 11;
    static final int TRANSFER = 12;
    static final int REFUND = 13;
    static final int PURCHASE = 14;
    static final int PAYOUT = 15;
    /** Payment reference prefixes, by the constants above. */
    static final byte[][] REFERENCES = bytes(
        "SALARY ", "PENSION ", "RENT ", "MORTGAGE ", "DD ", "CARD ", "INV ", "TAX ", "SAVINGS ", "FAMILY ",
        "GIFT ", "ALLOWANCE ", "TRANSFER ", "REFUND ", "PURCHASE ", "PAYOUT ");

    private static final int HOME_SPREAD = 600_000;
    private static final int HOTEL_SPREAD = 400_000;
    private static final int CARD_JITTER = 8_000;
    private static final double CARD_PER_DAY = 0.78;
    /** Share of card payments by category: groceries, restaurants, fuel, shops, online. */
    private static final double[] CARD_CATEGORY = { 0.38, 0.60, 0.70, 0.85, 1.0 };
    /** Median of a card payment by category, euro cents. */
    private static final double[] CARD_MEDIAN = { 3_200, 2_400, 5_500, 4_800, 3_500 };
    private static final double[] CARD_SIGMA = { 0.65, 0.55, 0.30, 0.85, 0.90 };
    /** Cumulative weight of card payments by hour of the day. */
    private static final int[] CARD_HOURS = cumulative(
        0, 0, 0, 0, 0, 0, 1, 3, 5, 5, 6, 8, 10, 8, 6, 6, 7, 9, 10, 9, 7, 5, 2, 1);
    private static final long[] SUBSCRIPTION_UNITS = { 499, 799, 999, 1299, 1599, 1799 };

    // keys of fixed properties of persons and businesses
    private static final long SPEND = 1;
    private static final long HOUSING = 2;
    private static final long HOUSING_AMOUNT = 3;
    private static final long HOUSING_DAY = 4;
    private static final long HOUSING_COLLECTOR = 5;
    private static final long UTILITY_OF = 6;
    private static final long UTILITY_BASE = 7;
    private static final long TELCO_OF = 8;
    private static final long TELCO_AMOUNT = 9;
    private static final long INSURED = 10;
    private static final long INSURER_OF = 11;
    private static final long INSURANCE_AMOUNT = 12;
    private static final long SUBSCRIPTIONS = 13;
    private static final long SUBSCRIPTION_SHOP = 14;
    private static final long SUBSCRIPTION_DAY = 15;
    private static final long SUBSCRIPTION_PRICE = 16;
    private static final long FAVOURITE = 17;
    private static final long SWEEPER = 18;
    private static final long SWEEP_KEEP = 19;
    private static final long VARIABLE_PAY = 20;
    private static final long HOME_LATITUDE = 21;
    private static final long HOME_LONGITUDE = 22;
    private static final long TRIP = 23;
    private static final long TRIP_DAY = 24;
    private static final long TRIP_LENGTH = 25;
    private static final long TRIP_TO = 26;
    private static final long HOTEL_LATITUDE = 27;
    private static final long HOTEL_LONGITUDE = 28;
    private static final long LOOP = 29;
    private static final long LOOP_OF_FOUR = 30;
    private static final long LOOP_DAY = 31;
    private static final long LOOP_HOUR = 32;
    private static final long LOOP_GAP = 33;
    private static final long LOOP_AMOUNT = 34;
    private static final long REFUND_DUE = 35;
    private static final long REFUND_DAY = 36;
    private static final long RISK = 37;
    private static final long COLLECTION_DAY = 38;
    private static final long BATCH_TIME = 39;
    private static final long BONUS = 40;
    private static final long SUPPLIERS = 41;
    private static final long SUPPLIER_OF = 42;
    private static final long SUPPLIER_DAY = 43;
    private static final long OFFICE = 44;
    private static final long CLIENT = 45;
    private static final long CLIENT_DAY = 46;
    private static final long WEEKDAY = 47;
    private static final long SHOP_RENT = 48;
    private static final long LANDLORD_RENT = 49;
    private static final long ALLOWANCE_AMOUNT = 50;
    private static final long REMITTANCE = 51;
    private static final long STUDENT_PHONE = 52;

    private static final int NO_HOUSING = 0;
    private static final int RENTS = 1;
    private static final int MORTGAGED = 2;

    private final BankingPopulation population;
    private final BankingCalendar calendar = new BankingCalendar();
    private final DayBuffer day;
    private final ScenarioRandom random;
    private final ScenarioEvent skipped = new ScenarioEvent();
    private final long start;
    private long nextDay;

    /**
     * @param seed    of the stream.
     * @param persons at the start, {@link BankingPopulation#MIN_PERSONS} to {@link BankingPopulation#MAX_PERSONS}.
     * @param start   event time of the stream's start, epoch ns: the first event is at or after it.
     * @param days    the stream is expected to span, for the room left for persons who join.
     */
    BankingTraffic(final long seed, final int persons, final long start, final double days)
    {
        this.population = new BankingPopulation(
            seed, persons, (int)Math.min(MAX_PERSONS, 16 + 1.5 * persons * JOINERS_PER_PERSON_MONTH * days / 30));
        this.random = new ScenarioRandom(ScenarioRandom.mix(seed ^ 0x6461696C79L));
        this.start = start;
        this.nextDay = Math.floorDiv(start, DAY);
        this.day = new DayBuffer(REFERENCES, (int)(persons * 2L));
    }

    /**
     * How many persons a stream of that length needs to span the days asked for.
     *
     * @param eventCount of the stream.
     * @param maxPersons most persons wanted.
     * @param spanNanos  the stream should span.
     * @return persons at the start, {@link BankingPopulation#MIN_PERSONS} to the lesser of {@code maxPersons} and
     * {@link BankingPopulation#MAX_PERSONS}.
     */
    static int persons(final long eventCount, final int maxPersons, final long spanNanos)
    {
        final double days = Math.max(1.0, (double)spanNanos / DAY);
        final double wanted = eventCount / (EVENTS_PER_PERSON_DAY * days);
        return (int)Math.max(MIN_PERSONS, Math.min(Math.min(maxPersons, MAX_PERSONS), Math.round(wanted)));
    }

    /**
     * @param eventCount of the stream.
     * @param persons    at the start.
     * @return how long the stream is expected to last, in event time.
     */
    static long expectedSpanNanos(final long eventCount, final int persons)
    {
        return (long)(eventCount / (EVENTS_PER_PERSON_DAY * persons) * DAY);
    }

    /**
     * @return who is who.
     */
    BankingPopulation population()
    {
        return population;
    }

    /**
     * @return rows the day buffer holds: memory follows the busiest day.
     */
    int dayCapacity()
    {
        return day.capacity();
    }

    @Override
    public long nextTime()
    {
        while (!day.hasNext())
        {
            simulate(nextDay++);
        }
        return day.nextTime();
    }

    @Override
    public void next(final ScenarioEvent event)
    {
        nextTime();
        day.next(event);
    }

    @Override
    public String summary()
    {
        return "banking: " + population.summary();
    }

    private void simulate(final long epochDay)
    {
        final BankingCalendar today = calendar.moveTo(epochDay);
        day.reset(today.dayStart);
        joiners(today);
        for (int b = 0; b < population.businesses; b++)
        {
            business(today, b);
        }
        for (int p = 0, n = population.personCount(); p < n; p++)
        {
            if (population.openedDay[p] < epochDay)
            {
                person(today, p);
            }
        }
        day.sort();
        while (day.hasNext() && day.nextTime() < start)
        {
            day.next(skipped);
        }
    }

    private void joiners(final BankingCalendar today)
    {
        if (!today.businessDay)
        {
            return;
        }
        final int count = poisson(population.persons * JOINERS_PER_PERSON_MONTH / 21);
        for (int i = 0; i < count; i++)
        {
            final int person = population.join(today.epochDay, random);
            if (person < 0)
            {
                return;
            }
            final int account = population.accountOf(person);
            day.accountUpdate(time(today, 9 * HOUR, 17 * HOUR), id(account), party(account), AccountAction.OPEN,
                random.chance(0.9) ? RiskRating.LOW : RiskRating.MEDIUM, Places.COUNTRY[population.country[person]]);
        }
    }

    private void business(final BankingCalendar today, final int b)
    {
        final BankingPopulation pop = population;
        final int zone = pop.businessZone(b);
        final int country = pop.businessCountry[b];
        switch (pop.kind[b])
        {
            case EMPLOYER:
            {
                if (today.isPayday(pop.sort[b]))
                {
                    payroll(today, b);
                }
                if (today.isDue(15) && pop.takings[b] > 0)
                {
                    pay(time(today, 6 * HOUR, 10 * HOUR), b,
                        pop.taxOffice[zone], country, pop.businessCountry[pop.taxOffice[zone]],
                        pop.takings[b] * 3 / 10, TAX, today.monthNumber);
                    pop.takings[b] = 0;
                }
                final int suppliers = 2 + (int)(pop.unit(b, SUPPLIERS) * 3);
                for (int k = 0; k < suppliers; k++)
                {
                    if (today.isDue(5 + (int)(pop.unit(b, SUPPLIER_DAY + 97L * k) * 20)))
                    {
                        final int[] list = pop.suppliers(zone);
                        final int supplier = list[(int)(pop.unit(b, SUPPLIER_OF + 97L * k) * list.length)];
                        final long cents = Math.max(50_000, (long)(pop.staff[b] * random.nextLong(15_000, 60_000) /
                            suppliers * (0.8 + 0.4 * random.nextDouble())));
                        pay(time(today, 8 * HOUR, 17 * HOUR), b, supplier, country,
                            pop.businessCountry[supplier], cents, INVOICE, 100_000 + random.nextInt(900_000));
                        pop.takings[supplier] += cents;
                    }
                }
                if (today.isDue(1))
                {
                    final int agent = pick(pop.collectors(zone, LETTING_AGENT), pop.unit(b, OFFICE));
                    final long units = Math.max(800, pop.staff[b] * 180L);
                    payRound(time(today, 5 * HOUR, 8 * HOUR), b, agent, country, pop.businessCountry[agent],
                        units * 100, 10_000, RENT, today.month);
                    pop.takings[agent] += units * 100;
                }
                final int[] employers = pop.employers();
                final int client = employers[(int)(pop.unit(b, CLIENT) * employers.length)];
                if (client != b && today.isDue(20 + (int)(pop.unit(b, CLIENT_DAY) * 8)))
                {
                    final long cents = Math.max(100_000, pop.staff[b] * random.nextLong(20_000, 70_000));
                    pay(time(today, 8 * HOUR, 17 * HOUR), client, b, pop.businessCountry[client], country,
                        cents, INVOICE, 100_000 + random.nextInt(900_000));
                }
                break;
            }

            case PENSION_FUND:
                if (today.isPayday(pop.sort[b]))
                {
                    payroll(today, b);
                }
                break;

            case MERCHANT:
            {
                if (today.businessDay && today.dayOfWeek == 1 + (int)(pop.unit(b, WEEKDAY) * 5) &&
                    pop.takings[b] > 0)
                {
                    final int[] list = pop.suppliers(zone);
                    final int supplier = list[(int)(pop.unit(b, SUPPLIER_OF) * list.length)];
                    final long cents = pop.takings[b] * 6 / 10;
                    pay(time(today, 8 * HOUR, 17 * HOUR), b, supplier, country, pop.businessCountry[supplier],
                        cents, INVOICE, 100_000 + random.nextInt(900_000));
                    pop.takings[supplier] += cents;
                    pop.takings[b] = 0;
                }
                if (today.isDue(1))
                {
                    final int agent = pick(pop.collectors(zone, LETTING_AGENT), pop.unit(b, OFFICE));
                    final long cents = (15 + (long)(pop.unit(b, SHOP_RENT) * 75)) * 10_000;
                    payRound(time(today, 5 * HOUR, 8 * HOUR), b, agent, country, pop.businessCountry[agent],
                        cents, 10_000, RENT, today.month);
                    pop.takings[agent] += cents;
                }
                break;
            }

            case COLLECTOR:
                collector(today, b, zone, country);
                break;

            case SUPPLIER:
                if (today.isDue(12) && pop.takings[b] > 0)
                {
                    final int[] list = pop.suppliers(zone);
                    int supplier = list[(int)(pop.unit(b, SUPPLIER_OF) * list.length)];
                    supplier = supplier == b ? list[(int)(pop.unit(b, SUPPLIER_OF + 1) * list.length)] : supplier;
                    if (supplier != b)
                    {
                        final long cents = pop.takings[b] * 4 / 10;
                        pay(time(today, 8 * HOUR, 17 * HOUR), b, supplier, country,
                            pop.businessCountry[supplier], cents, INVOICE, 100_000 + random.nextInt(900_000));
                        pop.takings[supplier] += cents;
                    }
                    pop.takings[b] = 0;
                }
                break;

            default:
                break;
        }

        if (random.chance(1.0 / 365))
        {
            day.accountUpdate(time(today, 9 * HOUR, 17 * HOUR), id(b), party(b), AccountAction.UPDATE,
                pop.unit(b, RISK) < 0.9 ? RiskRating.LOW : RiskRating.MEDIUM, Places.COUNTRY[country]);
        }
    }

    private void collector(final BankingCalendar today, final int b, final int zone, final int country)
    {
        final BankingPopulation pop = population;
        final int collectorKind = pop.sort[b];
        if (LETTING_AGENT == collectorKind)
        {
            if (today.isDue(8))
            {
                long t = time(today, 9 * HOUR, 10 * HOUR);
                for (int p = pop.firstMember[b]; p >= 0; p = pop.nextLandlord[p])
                {
                    final long cents = (long)(landlordRent(p) * 0.92);
                    pay(t, b, pop.accountOf(p), country, pop.country[p], cents, PAYOUT, today.month);
                    t += random.nextLong(MILLISECOND * 300, MILLISECOND * 3000);
                }
                pop.takings[b] = 0;
            }
        }
        else if (MORTGAGE_LENDER != collectorKind && today.isDue(20) && pop.takings[b] > 0)
        {
            final int[] list = pop.suppliers(zone);
            final int supplier = list[(int)(pop.unit(b, SUPPLIER_OF) * list.length)];
            final long cents = pop.takings[b] * 7 / 10;
            pay(time(today, 8 * HOUR, 17 * HOUR), b, supplier, country, pop.businessCountry[supplier], cents,
                INVOICE, 100_000 + random.nextInt(900_000));
            pop.takings[supplier] += cents;
            pop.takings[b] = 0;
        }
    }

    /**
     * One employer's or pension fund's monthly payroll: every member paid once, one after the other in a batch.
     */
    private void payroll(final BankingCalendar today, final int b)
    {
        final BankingPopulation pop = population;
        final int country = pop.businessCountry[b];
        final boolean pensions = PENSION_FUND == pop.kind[b];
        final boolean thirteenth = 12 == today.month && !pensions && pop.unit(b, BONUS) < 0.35;
        long t = today.dayStart + HOUR + (long)(pop.unit(b, BATCH_TIME ^ today.monthNumber) * 2 * HOUR);
        for (int p = pop.firstMember[b]; p >= 0; p = pop.nextMember[p])
        {
            if (pop.openedDay[p] > today.epochDay - 3)
            {
                continue;
            }
            long cents = pop.income[p];
            if (WORKER == pop.role[p] && pop.unit(p, VARIABLE_PAY) < 0.3)
            {
                cents = (long)(cents * (0.92 + 0.2 * random.nextDouble()));
            }
            if (thirteenth && WORKER == pop.role[p])
            {
                cents *= 2;
            }
            final int account = pop.accountOf(p);
            final long amount = minor(cents, country);
            day.payment(t, id(b), id(account), amount, Places.CURRENCY[country],
                channel(country, pop.country[p]), Places.COUNTRY[country], Places.COUNTRY[pop.country[p]],
                pensions ? PENSION : SALARY, today.year * 100 + today.month);
            pop.takings[b] += cents;
            afterSalary(today, p, t, amount, country);
            t += random.nextLong(200 * MILLISECOND, 2_000 * MILLISECOND);
        }
    }

    /**
     * What a salary sets off the same day: a partner forwarding it to the household's head, a saver's standing
     * order to savings.
     */
    private void afterSalary(
        final BankingCalendar today, final int p, final long paidAt, final long amount, final int salaryCountry)
    {
        final BankingPopulation pop = population;
        final int head = pop.head[p];
        if (1 == pop.rank[p] && WORKER == pop.role[p] && pop.unit(p, SWEEPER) < 0.25)
        {
            final long keep = minor(3_000 + (long)(pop.unit(p, SWEEP_KEEP) * 27_000), salaryCountry);
            if (amount > 2 * keep)
            {
                final long at = Math.min(today.dayStart + DAY - 1, paidAt + random.nextLong(5 * MINUTE, 90 * MINUTE));
                day.payment(at, id(pop.accountOf(p)), id(pop.accountOf(head)), amount - keep,
                    Places.CURRENCY[salaryCountry], channel(pop.country[p], pop.country[head]),
                    Places.COUNTRY[pop.country[p]], Places.COUNTRY[pop.country[head]], FAMILY, -1);
            }
        }
        if (pop.monthlySaver[p])
        {
            final int country = pop.country[p];
            final long cents = (long)(pop.income[p] * (0.05 + 0.10 * pop.unit(p, SAVINGS)));
            payRoundOwn(time(today, 6 * HOUR, 9 * HOUR), pop.accountOf(p), pop.savings[p], country, cents,
                1_000, SAVINGS);
        }
    }

    private void person(final BankingCalendar today, final int p)
    {
        final BankingPopulation pop = population;
        final int country = pop.country[p];
        final int zone = pop.zoneOf(p);
        final int account = pop.accountOf(p);
        final byte role = pop.role[p];

        cards(today, p, country, zone, account, role);
        subscriptions(today, p, country, account);

        if (pop.head[p] == p)
        {
            household(today, p, country, zone, account);
        }
        else if (1 == pop.rank[p] && STUDENT != role && housing(pop.head[p]) != NO_HOUSING &&
            today.isDue(housingDay(pop.head[p])))
        {
            final int head = pop.head[p];
            final long cents = housingCents(head) / 2;
            payRound(time(today, 4 * HOUR, 5 * HOUR), account, pop.accountOf(head), country,
                pop.country[head], cents, 100, FAMILY, -1);
        }
        if (STUDENT != role || pop.unit(p, STUDENT_PHONE) < 0.7)
        {
            final int telco = pick(pop.collectors(zone, TELCO), pop.unit(p, TELCO_OF));
            if (today.isDue(collectionDay(telco)))
            {
                final long units = 12 + (long)(pop.unit(p, TELCO_AMOUNT) * 53);
                directDebit(today, p, account, telco, country, minorUnits(units, country) - 1);
            }
        }
        if (pop.rank[p] >= 1 && WORKER == role && pop.zoneOf(pop.head[p]) != zone && today.isDue(5))
        {
            final int head = pop.head[p];
            final long cents = 15_000 + (long)(pop.unit(p, REMITTANCE) * 45_000);
            pay(time(today, 8 * HOUR, 20 * HOUR), account, pop.accountOf(head), country, pop.country[head],
                cents, FAMILY, -1);
        }

        if (random.chance(1.0 / 30))
        {
            final int[] zonePersons = pop.personsIn(zone);
            final int friend = zonePersons.length > 0 ? zonePersons[random.nextInt(zonePersons.length)] : p;
            if (friend != p)
            {
                final long cents = random.nextLong(1_000, 15_000);
                pay(time(today, 8 * HOUR, 23 * HOUR), account, pop.accountOf(friend), country,
                    pop.country[friend], cents, TRANSFER, -1);
            }
        }
        if (12 == today.month && today.dayOfMonth >= 10 && today.dayOfMonth <= 23 && STUDENT != role &&
            random.chance(0.025))
        {
            final int size = pop.householdSize[pop.head[p]];
            final int other = pop.head[p] + random.nextInt(size);
            if (other != p)
            {
                payRound(time(today, 8 * HOUR, 22 * HOUR), account, pop.accountOf(other), country,
                    pop.country[other], random.nextLong(2_500, 25_000), 500, GIFT, today.year);
            }
        }
        if (WORKER == role && today.businessDay)
        {
            largePayments(today, p, country, zone, account);
        }
        if (WORKER == role && today.month >= 4 && today.month <= 7 && pop.unit(p, REFUND_DUE ^ today.year) < 0.3 &&
            today.isDueOn(today.aprilFirst + (long)(pop.unit(p, REFUND_DAY ^ today.year) * 85)))
        {
            final int office = pop.taxOffice[zone];
            final int officeCountry = pop.businessCountry[office];
            final long cents = 10_000 + (long)(random.nextDouble() * random.nextDouble() * 140_000);
            pay(time(today, 2 * HOUR, 4 * HOUR), office, account, officeCountry, country, cents, REFUND,
                today.year - 1);
        }
        if (pop.savings[p] >= 0)
        {
            if (!pop.monthlySaver[p] && random.chance(1.0 / 90))
            {
                payRoundOwn(time(today, 8 * HOUR, 22 * HOUR), account, pop.savings[p], country,
                    random.nextLong(10_000, 150_000), 5_000, SAVINGS);
            }
            else if (random.chance(1.0 / 150))
            {
                payRoundOwn(time(today, 8 * HOUR, 22 * HOUR), pop.savings[p], account, country,
                    random.nextLong(10_000, 200_000), 5_000, SAVINGS);
            }
        }
        if (random.chance(1.0 / 365))
        {
            final double risk = pop.unit(p, RISK);
            day.accountUpdate(time(today, 9 * HOUR, 17 * HOUR), id(account), party(account), AccountAction.UPDATE,
                risk < 0.85 ? RiskRating.LOW : risk < 0.98 ? RiskRating.MEDIUM : RiskRating.HIGH,
                Places.COUNTRY[country]);
        }
    }

    /**
     * A household head's bills and family payments: rent or mortgage, energy, insurance, students' allowances and
     * the family's money loops.
     */
    private void household(
        final BankingCalendar today, final int p, final int country, final int zone, final int account)
    {
        final BankingPopulation pop = population;
        final int housing = housing(p);
        if (NO_HOUSING != housing && today.isDue(housingDay(p)))
        {
            final int[] list = pop.collectors(zone, RENTS == housing ? LETTING_AGENT : MORTGAGE_LENDER);
            final int collector = list[(int)(pop.unit(p, HOUSING_COLLECTOR) * list.length)];
            final long cents = housingCents(p);
            if (RENTS == housing)
            {
                payRound(time(today, 5 * HOUR, 8 * HOUR), account, collector, country,
                    pop.businessCountry[collector], cents, 1_000, RENT, today.month);
            }
            else
            {
                pay(time(today, 5 * HOUR, 8 * HOUR), account, collector, country,
                    pop.businessCountry[collector], cents, MORTGAGE, today.month);
            }
            pop.takings[collector] += cents;
        }

        final int utility = pick(pop.collectors(zone, UTILITY), pop.unit(p, UTILITY_OF));
        if (today.isDue(collectionDay(utility)))
        {
            final double base = 4_500 + pop.unit(p, UTILITY_BASE) * 11_500;
            final long cents = (long)(base * today.energyFactor() * (0.9 + 0.2 * random.nextDouble()));
            directDebit(today, p, account, utility, country, minor(cents, country));
        }
        if (pop.unit(p, INSURED) < 0.6)
        {
            final int insurer = pick(pop.collectors(zone, INSURER), pop.unit(p, INSURER_OF));
            if (today.isDue(collectionDay(insurer)))
            {
                final long cents = 2_500 + (long)(pop.unit(p, INSURANCE_AMOUNT) * 9_500);
                directDebit(today, p, account, insurer, country, minor(cents, country));
            }
        }

        final int size = pop.householdSize[p];
        if (STUDENT != pop.role[p] && today.isDue(1))
        {
            for (int child = p + 2; child < p + size; child++)
            {
                if (STUDENT == pop.role[child])
                {
                    final long cents = pop.employer[child] < 0 ? pop.income[child] :
                        15_000 + (long)(pop.unit(child, ALLOWANCE_AMOUNT) * 10_000);
                    payRound(time(today, 6 * HOUR, 9 * HOUR), account, pop.accountOf(child), country,
                        pop.country[child], cents, 1_000, ALLOWANCE, today.month);
                }
            }
        }
        if (size >= 3)
        {
            familyLoop(today, p, today.monthStart, today.monthNumber);
            familyLoop(today, p, today.previousMonthStart, today.monthNumber - 1);
        }
    }

    /**
     * A household's money loop of a month, if it has one that month: each member pays the next, the last pays the
     * head back, a few hours to a day apart; the legs that fall today.
     */
    private void familyLoop(final BankingCalendar today, final int head, final long monthStart, final int monthNumber)
    {
        final BankingPopulation pop = population;
        final long key = head * 4096L + monthNumber;
        if (pop.unit(key, LOOP) >= 0.22)
        {
            return;
        }
        final int members = 4 == pop.householdSize[head] && pop.unit(key, LOOP_OF_FOUR) < 0.5 ? 4 : 3;
        long t = (monthStart + (long)(pop.unit(key, LOOP_DAY) * 24)) * DAY + 8 * HOUR +
            (long)(pop.unit(key, LOOP_HOUR) * 13 * HOUR);
        for (int leg = 0; leg < members; leg++)
        {
            if (t >= today.dayStart + DAY)
            {
                return;
            }
            if (t >= today.dayStart)
            {
                final int from = head + leg;
                final int to = head + (leg + 1) % members;
                final long cents = 3_000 + (long)(pop.unit(key, LOOP_AMOUNT + 97L * leg) * 47_000);
                pay(t, pop.accountOf(from), pop.accountOf(to), pop.country[from], pop.country[to], cents,
                    FAMILY, -1);
            }
            t += 2 * HOUR + (long)(pop.unit(key, LOOP_GAP + 97L * leg) * 28 * HOUR);
        }
    }

    /**
     * Card payments of the day: at merchants near home, or near the hotel on a trip abroad (none on the days of
     * travel), and at online shops in their own currency.
     */
    private void cards(
        final BankingCalendar today, final int p, final int country, final int zone, final int account, final int role)
    {
        final BankingPopulation pop = population;
        final double roleFactor = PENSIONER == role ? 0.7 : STUDENT == role ? 0.8 : 1.0;
        final double spend = StrictMath.exp(0.35 * pop.gaussian(p, SPEND));
        final long key = p * 4096L + today.year;
        int where = country;
        boolean travelDay = false;
        int latitude = Places.LATITUDE[country] + spread(p, HOME_LATITUDE, HOME_SPREAD);
        int longitude = Places.LONGITUDE[country] + spread(p, HOME_LONGITUDE, HOME_SPREAD);
        if (pop.unit(key, TRIP) < 0.35)
        {
            final long leave = today.julyFirst + (long)(pop.unit(key, TRIP_DAY) * 50);
            final long back = leave + 5 + (long)(pop.unit(key, TRIP_LENGTH) * 10);
            travelDay = today.epochDay == leave || today.epochDay == back;
            if (today.epochDay > leave && today.epochDay < back)
            {
                where = Places.countryIndex(pop.unit(key, TRIP_TO));
                where = where == country ? (where + 1) % Places.COUNTRY.length : where;
                latitude = Places.LATITUDE[where] + spread(key, HOTEL_LATITUDE, HOTEL_SPREAD);
                longitude = Places.LONGITUDE[where] + spread(key, HOTEL_LONGITUDE, HOTEL_SPREAD);
            }
        }

        final int count = poisson(CARD_PER_DAY * roleFactor * spend * today.cardFactor());
        for (int i = 0; i < count; i++)
        {
            final double u = random.nextDouble();
            int category = 0;
            while (u >= CARD_CATEGORY[category])
            {
                category++;
            }
            if (travelDay && ONLINE != category)
            {
                continue;
            }
            final int merchant;
            if (ONLINE == category)
            {
                merchant = pick(pop.onlineShops, random.nextDouble());
            }
            else
            {
                final int[] list = pop.merchants(pop.countryZone[where], category);
                merchant = GROCERY == category && where == country && random.chance(0.7) ?
                    pick(list, pop.unit(p, FAVOURITE + 97L * random.nextInt(2))) : pick(list, random.nextDouble());
            }
            double cents = CARD_MEDIAN[category] * StrictMath.sqrt(spend) *
                StrictMath.exp(CARD_SIGMA[category] * random.nextGaussian());
            if (12 == today.month && (RETAIL == category || ONLINE == category))
            {
                cents *= 1.3;
            }
            final long value = Math.max(100, Math.min(300_000, (long)cents));
            final int merchantCountry = pop.businessCountry[merchant];
            final int currencyCountry = ONLINE == category ? merchantCountry : where;
            final int hour = hour(random.nextInt(CARD_HOURS[CARD_HOURS.length - 1]));
            final long t = today.dayStart + hour * HOUR + random.nextLong(0, HOUR);
            final int row = day.payment(t, id(account), id(merchant), minor(value, currencyCountry),
                Places.CURRENCY[currencyCountry], Channel.CARD, Places.COUNTRY[country],
                Places.COUNTRY[merchantCountry], CARD, random.nextInt(10_000));
            if (ONLINE != category)
            {
                day.position(row, latitude + random.nextInt(2 * CARD_JITTER) - CARD_JITTER,
                    longitude + random.nextInt(2 * CARD_JITTER) - CARD_JITTER);
            }
            pop.takings[merchant] += value;
        }
    }

    private void subscriptions(final BankingCalendar today, final int p, final int country, final int account)
    {
        final BankingPopulation pop = population;
        final int count = (int)(pop.unit(p, SUBSCRIPTIONS) * 3.5);
        for (int k = 0; k < count; k++)
        {
            if (today.dayOfMonth == 1 + (int)(pop.unit(p, SUBSCRIPTION_DAY + 97L * k) * BankingCalendar.LAST_DUE_DAY))
            {
                final int shop = pick(pop.onlineShops, pop.unit(p, SUBSCRIPTION_SHOP + 97L * k));
                final int shopCountry = pop.businessCountry[shop];
                final long price = SUBSCRIPTION_UNITS[
                    (int)(pop.unit(p, SUBSCRIPTION_PRICE + 97L * k) * SUBSCRIPTION_UNITS.length)];
                final long amount = Math.max(1, minor(price, shopCountry) / 100 * 100 + 99);
                day.payment(time(today, 0, 6 * HOUR), id(account), id(shop), amount, Places.CURRENCY[shopCountry],
                    Channel.CARD, Places.COUNTRY[country], Places.COUNTRY[shopCountry], CARD, random.nextInt(10_000));
                pop.takings[shop] += price;
            }
        }
    }

    /**
     * Now and then a large legitimate payment: a car at a dealer, a house deposit at a notary, a renovation at a
     * shop, funded from savings shortly before when the person has them.
     */
    private void largePayments(
        final BankingCalendar today, final int p, final int country, final int zone, final int account)
    {
        final BankingPopulation pop = population;
        // savers buy cars and houses more often than others, and mostly from their savings
        final double u = random.nextDouble() * (pop.savings[p] >= 0 ? 0.5 : 1.6);
        final int category;
        final long cents;
        if (u < 0.004 / 21)
        {
            category = DEALER;
            cents = (long)(800_000 * StrictMath.exp(random.nextDouble() * StrictMath.log(5.0)));
        }
        else if (u < 0.0046 / 21 && pop.head[p] == p)
        {
            category = NOTARY;
            cents = (long)(2_000_000 * StrictMath.exp(random.nextDouble() * StrictMath.log(4.5)));
        }
        else if (u < 0.0086 / 21)
        {
            category = RETAIL;
            cents = random.nextLong(200_000, 900_000);
        }
        else
        {
            return;
        }

        final int merchant = pick(pop.merchants(zone, category), random.nextDouble());
        long t = time(today, 9 * HOUR, 12 * HOUR);
        if (pop.savings[p] >= 0 && random.chance(0.85))
        {
            payRoundOwn(t, pop.savings[p], account, country, cents + 50_000, 50_000, SAVINGS);
            t += random.nextLong(10 * MINUTE, 4 * HOUR);
        }
        pay(t, account, merchant, country, pop.businessCountry[merchant], cents,
            DEALER == category ? PURCHASE : INVOICE, 100_000 + random.nextInt(900_000));
        pop.takings[merchant] += cents;
    }

    private void directDebit(
        final BankingCalendar today, final int p, final int account, final int collector, final int country,
        final long amount)
    {
        final BankingPopulation pop = population;
        final int collectorCountry = pop.businessCountry[collector];
        day.payment(time(today, 4 * HOUR, 7 * HOUR), id(account), id(collector), Math.max(1, amount),
            Places.CURRENCY[country], Places.EUR == Places.CURRENCY[country] ? Channel.SEPA : Channel.ACH,
            Places.COUNTRY[country], Places.COUNTRY[collectorCountry], DIRECT_DEBIT, p);
        pop.takings[collector] += amount * 1000 / Places.PER_MILLE_OF_EURO_CENT[country];
    }

    /**
     * A transfer between two accounts in the debtor's currency, of a value in euro cents, on the channel the two
     * countries' currencies call for.
     */
    private void pay(
        final long time,
        final int debtor,
        final int creditor,
        final int debtorCountry,
        final int creditorCountry,
        final long euroCents,
        final int reference,
        final int number)
    {
        day.payment(time, id(debtor), id(creditor), minor(euroCents, debtorCountry), Places.CURRENCY[debtorCountry],
            channel(debtorCountry, creditorCountry), Places.COUNTRY[debtorCountry], Places.COUNTRY[creditorCountry],
            reference, number);
    }

    /**
     * As {@link #pay}, the amount rounded to a whole number of {@code unit} minor units of the debtor's currency,
     * as standing orders and rents are.
     */
    private void payRound(
        final long time,
        final int debtor,
        final int creditor,
        final int debtorCountry,
        final int creditorCountry,
        final long euroCents,
        final long unit,
        final int reference,
        final int number)
    {
        final long amount = Math.max(unit, minor(euroCents, debtorCountry) / unit * unit);
        day.payment(time, id(debtor), id(creditor), amount, Places.CURRENCY[debtorCountry],
            channel(debtorCountry, creditorCountry), Places.COUNTRY[debtorCountry], Places.COUNTRY[creditorCountry],
            reference, number);
    }

    /**
     * A round transfer between two accounts of one person, current and savings.
     */
    private void payRoundOwn(
        final long time,
        final int debtor,
        final int creditor,
        final int country,
        final long euroCents,
        final long unit,
        final int reference)
    {
        final long amount = Math.max(unit, minor(euroCents, country) / unit * unit);
        day.payment(time, id(debtor), id(creditor), amount, Places.CURRENCY[country], Channel.INTERNAL,
            Places.COUNTRY[country], Places.COUNTRY[country], reference, -1);
    }

    private int housing(final int p)
    {
        final double u = population.unit(p, HOUSING);
        return STUDENT == population.role[p] ? (u < 0.8 ? RENTS : NO_HOUSING) :
            u < 0.55 ? RENTS : u < 0.85 ? MORTGAGED : NO_HOUSING;
    }

    private int housingDay(final int p)
    {
        return RENTS == housing(p) || population.unit(p, HOUSING_DAY) < 0.5 ? 1 : 15;
    }

    /**
     * @return the household's monthly rent or mortgage, euro cents: about 30% of the head's and partner's income.
     */
    private long housingCents(final int head)
    {
        final BankingPopulation pop = population;
        long household = pop.income[head];
        if (pop.householdSize[head] >= 2 && STUDENT != pop.role[head + 1])
        {
            household += pop.income[head + 1];
        }
        final double share = (RENTS == housing(head) ? 0.30 : 0.27) * (0.85 + 0.3 * pop.unit(head, HOUSING_AMOUNT));
        return Math.max(30_000, (long)(household * share));
    }

    /**
     * @return what a landlord's flat brings in a month, euro cents.
     */
    private long landlordRent(final int p)
    {
        return 60_000 + (long)(population.unit(p, LANDLORD_RENT) * 120_000);
    }

    /**
     * @return the day of the month a collector collects its direct debits, 3 to 22.
     */
    private int collectionDay(final int collector)
    {
        return 3 + (int)(population.unit(collector, COLLECTION_DAY) * 20);
    }

    private long time(final BankingCalendar today, final long from, final long to)
    {
        return today.dayStart + random.nextLong(from, to);
    }

    private int spread(final long key, final long property, final int width)
    {
        return (int)((population.unit(key, property) - 0.5) * width);
    }

    private int poisson(final double mean)
    {
        final double limit = StrictMath.exp(-mean);
        int count = 0;
        double product = random.nextDouble();
        while (product > limit)
        {
            count++;
            product *= random.nextDouble();
        }
        return count;
    }

    /**
     * @return minor units of the country's currency worth that many euro cents, at least one.
     */
    private static long minor(final long euroCents, final int country)
    {
        return Math.max(1, euroCents * Places.PER_MILLE_OF_EURO_CENT[country] / 1000);
    }

    /**
     * @return minor units of a price of whole units in the country's currency, about as many euros.
     */
    private static long minorUnits(final long euros, final int country)
    {
        return Math.max(100, minor(euros * 100, country) / 100 * 100);
    }

    private static Channel channel(final int debtorCountry, final int creditorCountry)
    {
        final int currency = Places.CURRENCY[debtorCountry];
        if (currency != Places.CURRENCY[creditorCountry])
        {
            return Channel.WIRE;
        }
        return Places.EUR == currency ? Channel.SEPA : Channel.ACH;
    }

    private static int hour(final int draw)
    {
        int hour = 0;
        while (draw >= CARD_HOURS[hour])
        {
            hour++;
        }
        return hour;
    }

    private static int[] cumulative(final int... weights)
    {
        final int[] sums = new int[weights.length];
        int sum = 0;
        for (int i = 0; i < weights.length; i++)
        {
            sum += weights[i];
            sums[i] = sum;
        }
        return sums;
    }

    private static byte[][] bytes(final String... texts)
    {
        final byte[][] all = new byte[texts.length][];
        for (int i = 0; i < texts.length; i++)
        {
            all[i] = texts[i].getBytes(StandardCharsets.US_ASCII);
        }
        return all;
    }
}
