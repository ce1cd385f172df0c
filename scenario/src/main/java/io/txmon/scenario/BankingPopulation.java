package io.txmon.scenario;

import org.agrona.collections.IntArrayList;

import java.util.Arrays;

/**
 * Who is who in the {@link BankingTraffic banking background}: households of persons with their roles, and the
 * businesses they work for, buy from and pay their bills to. Built once from the seed and the number of persons;
 * what changes later (persons joining the bank, what businesses have taken in) is kept in arrays sized at
 * construction, so memory follows the population, never the stream.
 * <p>
 * <b>Accounts.</b> Indices, account id {@link BackgroundTraffic#FIRST_ACCOUNT} + index: businesses first, then the
 * persons (those at the start, then room for those who join during the stream), then the savings accounts of the
 * persons who save. A person's party is {@link BackgroundTraffic#FIRST_PARTY} + its index; a savings account
 * shares its owner's party, a business has a party of its own.
 * <p>
 * <b>Currency zones.</b> The countries of {@link Places} grouped by currency (euro, pound, dollar, franc, zloty).
 * Businesses serve the persons of their zone; an employer may employ someone living in another zone (a
 * cross-border commuter), a family may have a member abroad, and online shops sell to every zone in their own
 * currency.
 * <p>
 * <b>Persons</b> come in households of 1 to 4 (rank 0 is the head, rank 1 the partner, 2 and 3 the children);
 * each is a worker (a salary from an employer), a pensioner (a pension from the zone's pension fund) or a student
 * (an allowance from the household's head, sometimes a small salary). Employers are drawn with a heavy tail, so
 * a few employ hundreds while most employ a handful; some pay by grade, so that colleagues get the same amount.
 * <p>
 * Not thread safe.
 */
final class BankingPopulation
{
    /** An employer: pays a monthly payroll. */
    static final byte EMPLOYER = 0;
    /** The pension fund of a zone: pays the pensioners on the first business day. */
    static final byte PENSION_FUND = 1;
    /** Takes card payments from many payers, pays a wholesaler weekly. */
    static final byte MERCHANT = 2;
    /** Collects bills (energy, telephone, insurance, rent, mortgages) from hundreds of payers. */
    static final byte COLLECTOR = 3;
    /** The tax office of a zone: takes the employers' payroll taxes, pays refunds in spring. */
    static final byte TAX_OFFICE = 4;
    /** A wholesaler: paid by merchants, employers and collectors. */
    static final byte SUPPLIER = 5;

    /** Merchant categories: in person first, then online shops, car dealers and notaries. */
    static final int GROCERY = 0;
    static final int RESTAURANT = 1;
    static final int FUEL = 2;
    static final int RETAIL = 3;
    static final int ONLINE = 4;
    static final int DEALER = 5;
    static final int NOTARY = 6;
    static final int CATEGORIES = 7;

    /** Collector kinds. */
    static final int UTILITY = 0;
    static final int TELCO = 1;
    static final int INSURER = 2;
    static final int LETTING_AGENT = 3;
    static final int MORTGAGE_LENDER = 4;
    static final int COLLECTOR_KINDS = 5;

    /** Person roles. */
    static final byte WORKER = 0;
    static final byte PENSIONER = 1;
    static final byte STUDENT = 2;

    /** Fewest persons: below it a zone has too few people to make a market. */
    static final int MIN_PERSONS = 200;
    /** Most persons: the day buffer and the per-person arrays stay within a few hundred MB. */
    static final int MAX_PERSONS = 100_000;

    private static final int[] FAMILY_SIZE_PER_MILLE = { 300, 650, 850, 1000 };
    private static final double[] EXTRA_MERCHANT_SHARE = { 0.30, 0.65, 0.75, 0.95, 0.95, 0.98, 1.0 };

    final int zones;
    /** ISO numeric currency of each zone. */
    final int[] zoneCurrency;
    /** Zone of each country of {@link Places}. */
    final int[] countryZone;
    private final int[][] zoneCountries;
    private final int[] zoneWeight;

    final int businesses;
    final int persons;
    final int joinerCapacity;
    final int savers;
    final int firstPerson;
    final int firstSavings;
    int joined;

    // businesses, by index
    final byte[] kind;
    /** Merchant category, collector kind, or the pay-day kind of an employer or pension fund. */
    final byte[] sort;
    final byte[] businessCountry;
    /** What a business has taken in since it last paid its supplier, taxes or landlords, euro cents. */
    final long[] takings;
    /** Employees, pensioners or landlords at the start. */
    final int[] staff;
    final int[] firstMember;

    // persons, by person number 0 to persons + joinerCapacity - 1
    final byte[] role;
    final byte[] rank;
    final byte[] country;
    /** Person number of the household's head. */
    final int[] head;
    /** Household size, at the head. */
    final byte[] householdSize;
    /** Business index of the employer or pension fund, -1 for none. */
    final int[] employer;
    /** Monthly salary, pension or allowance, euro cents. */
    final int[] income;
    /** Account index of the savings account, -1 for none. */
    final int[] savings;
    /** True for savers with a monthly standing order to their savings account. */
    final boolean[] monthlySaver;
    /** Business index of the letting agent paying this person rent for a flat, -1 for none. */
    final int[] landlordOf;
    /** Next member of the same employer's payroll, or the same agent's landlords; -1 for the last. */
    final int[] nextMember;
    final int[] nextLandlord;
    /** Epoch day a person who joined opened the account; Long.MIN_VALUE for those there from the start. */
    final long[] openedDay;

    private final int[][] employersByZone;
    private final int[][][] merchantsByZone;
    private final int[][][] collectorsByZone;
    private final int[][] suppliersByZone;
    private final int[][] personsByZone;
    final int[] onlineShops;
    final int[] taxOffice;
    final int[] pensionFund;
    private final int[] allEmployers;
    private final long salt;

    /**
     * @param seed       of the stream.
     * @param persons    at the start, {@link #MIN_PERSONS} to {@link #MAX_PERSONS}.
     * @param joinerRoom persons who may join during the stream, at most.
     */
    BankingPopulation(final long seed, final int persons, final int joinerRoom)
    {
        if (persons < MIN_PERSONS || persons > MAX_PERSONS)
        {
            throw new IllegalArgumentException(
                "persons must be " + MIN_PERSONS + " to " + MAX_PERSONS + ", was " + persons);
        }
        this.salt = ScenarioRandom.mix(seed ^ 0x62616E6B696E67L);
        final ScenarioRandom random = new ScenarioRandom(ScenarioRandom.mix(seed ^ 0x706F70756C617465L));
        this.persons = persons;
        this.joinerCapacity = Math.max(0, joinerRoom);

        // currency zones, in the order Places lists their first country
        final IntArrayList currencies = new IntArrayList();
        countryZone = new int[Places.COUNTRY.length];
        for (int c = 0; c < Places.COUNTRY.length; c++)
        {
            int zone = currencies.indexOf(Places.CURRENCY[c]);
            if (zone < 0)
            {
                zone = currencies.size();
                currencies.addInt(Places.CURRENCY[c]);
            }
            countryZone[c] = zone;
        }
        zones = currencies.size();
        zoneCurrency = currencies.toIntArray();
        zoneCountries = new int[zones][];
        zoneWeight = new int[zones];
        int totalWeight = 0;
        for (int z = 0; z < zones; z++)
        {
            final IntArrayList members = new IntArrayList();
            for (int c = 0; c < countryZone.length; c++)
            {
                if (countryZone[c] == z)
                {
                    members.addInt(c);
                    zoneWeight[z] += Places.WEIGHT[c];
                }
            }
            zoneCountries[z] = members.toIntArray();
            totalWeight += zoneWeight[z];
        }

        // businesses
        final IntArrayList kinds = new IntArrayList();
        final IntArrayList sorts = new IntArrayList();
        final IntArrayList countries = new IntArrayList();
        final int employers = Math.max(4, persons / 25);
        for (int i = 0; i < employers; i++)
        {
            final double u = random.nextDouble();
            addBusiness(kinds, sorts, countries, EMPLOYER,
                u < 0.40 ? BankingCalendar.PAY_25TH : u < 0.75 ? BankingCalendar.PAY_LAST : BankingCalendar.PAY_28TH,
                Places.countryIndex(random.nextDouble()));
        }
        pensionFund = new int[zones];
        taxOffice = new int[zones];
        for (int z = 0; z < zones; z++)
        {
            pensionFund[z] = addBusiness(kinds, sorts, countries, PENSION_FUND, BankingCalendar.PAY_FIRST,
                zoneCountries[z][0]);
            taxOffice[z] = addBusiness(kinds, sorts, countries, TAX_OFFICE, 0, zoneCountries[z][0]);
        }
        for (int z = 0; z < zones; z++)
        {
            for (final int category : new int[] { GROCERY, RESTAURANT, FUEL, RETAIL, DEALER, NOTARY })
            {
                addBusiness(kinds, sorts, countries, MERCHANT, category, countryIn(z, random.nextDouble()));
            }
        }
        final int online = Math.max(3, persons / 150);
        for (int i = 0; i < online; i++)
        {
            addBusiness(kinds, sorts, countries, MERCHANT, ONLINE, Places.countryIndex(random.nextDouble()));
        }
        final int extra = Math.max(0, persons / 10 - kinds.size());
        for (int i = 0; i < extra; i++)
        {
            final double u = random.nextDouble();
            int category = 0;
            while (u >= EXTRA_MERCHANT_SHARE[category])
            {
                category++;
            }
            addBusiness(kinds, sorts, countries, MERCHANT, category == ONLINE ? RETAIL : category,
                Places.countryIndex(random.nextDouble()));
        }
        for (int z = 0; z < zones; z++)
        {
            final double zonePersons = (double)persons * zoneWeight[z] / totalWeight;
            final int[] perKind = {
                (int)Math.max(1, zonePersons / 220), (int)Math.max(1, zonePersons / 220),
                (int)Math.max(1, zonePersons / 350), (int)Math.max(1, zonePersons / 300),
                (int)Math.max(1, zonePersons / 500) };
            for (int k = 0; k < COLLECTOR_KINDS; k++)
            {
                for (int i = 0; i < perKind[k]; i++)
                {
                    addBusiness(kinds, sorts, countries, COLLECTOR, k, countryIn(z, random.nextDouble()));
                }
            }
        }
        final int[] businessesInZone = new int[zones];
        for (int b = 0; b < kinds.size(); b++)
        {
            businessesInZone[countryZone[countries.getInt(b)]]++;
        }
        for (int z = 0; z < zones; z++)
        {
            for (int i = 0, n = Math.max(1, businessesInZone[z] / 8); i < n; i++)
            {
                addBusiness(kinds, sorts, countries, SUPPLIER, 0, countryIn(z, random.nextDouble()));
            }
        }

        businesses = kinds.size();
        kind = new byte[businesses];
        sort = new byte[businesses];
        businessCountry = new byte[businesses];
        for (int b = 0; b < businesses; b++)
        {
            kind[b] = (byte)kinds.getInt(b);
            sort[b] = (byte)sorts.getInt(b);
            businessCountry[b] = (byte)countries.getInt(b);
        }
        takings = new long[businesses];
        staff = new int[businesses];
        firstMember = new int[businesses];
        Arrays.fill(firstMember, -1);
        allEmployers = select(EMPLOYER, -1, -1);
        employersByZone = new int[zones][];
        merchantsByZone = new int[zones][CATEGORIES][];
        collectorsByZone = new int[zones][COLLECTOR_KINDS][];
        suppliersByZone = new int[zones][];
        for (int z = 0; z < zones; z++)
        {
            employersByZone[z] = select(EMPLOYER, -1, z);
            suppliersByZone[z] = select(SUPPLIER, -1, z);
            for (int c = 0; c < CATEGORIES; c++)
            {
                merchantsByZone[z][c] = select(MERCHANT, c, z);
            }
            for (int k = 0; k < COLLECTOR_KINDS; k++)
            {
                collectorsByZone[z][k] = select(COLLECTOR, k, z);
            }
        }
        onlineShops = select(MERCHANT, ONLINE, -1);

        // persons, household by household
        final int slots = persons + joinerCapacity;
        firstPerson = businesses;
        role = new byte[slots];
        rank = new byte[slots];
        country = new byte[slots];
        head = new int[slots];
        householdSize = new byte[slots];
        employer = new int[slots];
        income = new int[slots];
        savings = new int[slots];
        monthlySaver = new boolean[slots];
        landlordOf = new int[slots];
        nextMember = new int[slots];
        nextLandlord = new int[slots];
        openedDay = new long[slots];
        Arrays.fill(employer, -1);
        Arrays.fill(savings, -1);
        Arrays.fill(landlordOf, -1);
        Arrays.fill(openedDay, Long.MIN_VALUE);

        int p = 0;
        while (p < persons)
        {
            final int draw = random.nextInt(1000);
            int size = 1;
            while (draw >= FAMILY_SIZE_PER_MILLE[size - 1])
            {
                size++;
            }
            size = Math.min(size, persons - p);
            final int home = Places.countryIndex(random.nextDouble());
            final boolean pensioners = random.chance(0.2);
            for (int r = 0; r < size; r++)
            {
                final int person = p + r;
                head[person] = p;
                rank[person] = (byte)r;
                int where = home;
                if (r >= 2 && random.chance(0.15))
                {
                    while (where == home)
                    {
                        where = Places.countryIndex(random.nextDouble());
                    }
                }
                country[person] = (byte)where;
                if (r < 2)
                {
                    role[person] = pensioners && random.chance(0.9) ? PENSIONER : 1 == size && random.chance(0.05) ?
                        STUDENT : WORKER;
                }
                else
                {
                    role[person] = random.chance(0.45) ? STUDENT : WORKER;
                }
            }
            householdSize[p] = (byte)size;
            p += size;
        }

        int savingsAccounts = 0;
        for (int person = 0; person < persons; person++)
        {
            assignIncome(person, random);
            if (role[person] != STUDENT && rank[person] < 2 && random.chance(0.4))
            {
                savings[person] = savingsAccounts++;
                monthlySaver[person] = role[person] == WORKER && random.chance(0.65);
            }
        }
        savers = savingsAccounts;
        firstSavings = firstPerson + slots;
        for (int person = 0; person < persons; person++)
        {
            if (savings[person] >= 0)
            {
                savings[person] += firstSavings;
            }
            if (rank[person] == 0 && role[person] == WORKER && unit(person, 0x6C616E64L) < 0.06)
            {
                final int agent = pick(collectorsByZone[zoneOf(person)][LETTING_AGENT], unit(person, 0x61676E74L));
                landlordOf[person] = agent;
                nextLandlord[person] = firstMember[agent];
                firstMember[agent] = person;
                staff[agent]++;
            }
        }

        personsByZone = new int[zones][];
        for (int z = 0; z < zones; z++)
        {
            final IntArrayList members = new IntArrayList();
            for (int person = 0; person < persons; person++)
            {
                if (zoneOf(person) == z)
                {
                    members.addInt(person);
                }
            }
            personsByZone[z] = members.toIntArray();
        }
    }

    /**
     * Open an account for a person who joins the bank: a worker living alone, paid by an employer of the zone.
     *
     * @param day    epoch day of the opening.
     * @param random of the day's choices.
     * @return the person number, or -1 when there is no room left for joiners.
     */
    int join(final long day, final ScenarioRandom random)
    {
        if (joined == joinerCapacity)
        {
            return -1;
        }
        final int person = persons + joined++;
        head[person] = person;
        rank[person] = 0;
        householdSize[person] = 1;
        country[person] = (byte)Places.countryIndex(random.nextDouble());
        role[person] = WORKER;
        openedDay[person] = day;
        assignIncome(person, random);
        return person;
    }

    /**
     * @return who is who, for people: persons by role, businesses by kind, savings accounts, joiners.
     */
    String summary()
    {
        final int[] roles = new int[3];
        for (int p = 0; p < persons; p++)
        {
            roles[role[p]]++;
        }
        final int[] kinds = new int[SUPPLIER + 1];
        for (int b = 0; b < businesses; b++)
        {
            kinds[kind[b]]++;
        }
        int households = 0;
        int largest = 0;
        for (int b = 0; b < businesses; b++)
        {
            largest = EMPLOYER == kind[b] ? Math.max(largest, staff[b]) : largest;
        }
        for (int p = 0; p < persons; p++)
        {
            households += head[p] == p ? 1 : 0;
        }
        return String.format("%,d persons at the start (%,d workers, %,d pensioners, %,d students in %,d " +
            "households; %,d with savings accounts) and %,d who joined; %,d businesses: %,d employers (the largest " +
            "pays %,d), %,d merchants, %,d collectors, %,d wholesalers, %,d pension funds, %,d tax offices; %,d " +
            "currency zones", persons, roles[WORKER], roles[PENSIONER], roles[STUDENT], households, savers, joined,
            businesses, kinds[EMPLOYER], largest, kinds[MERCHANT], kinds[COLLECTOR], kinds[SUPPLIER],
            kinds[PENSION_FUND], kinds[TAX_OFFICE], zones);
    }

    /**
     * @return persons who hold an account now: those at the start and those who joined.
     */
    int personCount()
    {
        return persons + joined;
    }

    /**
     * @return accounts in all, joiners' room included.
     */
    int accountCount()
    {
        return firstSavings + savers;
    }

    /**
     * @param person number.
     * @return its account index.
     */
    int accountOf(final int person)
    {
        return firstPerson + person;
    }

    /**
     * @param account index.
     * @return its account id.
     */
    static long id(final int account)
    {
        return BackgroundTraffic.FIRST_ACCOUNT + account;
    }

    /**
     * @param account index of a person or a business.
     * @return its party id.
     */
    static long party(final int account)
    {
        return BackgroundTraffic.FIRST_PARTY + account;
    }

    /**
     * @return every employer, largest first within each zone.
     */
    int[] employers()
    {
        return allEmployers;
    }

    int zoneOf(final int person)
    {
        return countryZone[country[person]];
    }

    int businessZone(final int business)
    {
        return countryZone[businessCountry[business]];
    }

    /**
     * @return the zone's merchants of a category, most popular first.
     */
    int[] merchants(final int zone, final int category)
    {
        return merchantsByZone[zone][category];
    }

    int[] collectors(final int zone, final int collectorKind)
    {
        return collectorsByZone[zone][collectorKind];
    }

    int[] suppliers(final int zone)
    {
        return suppliersByZone[zone];
    }

    int[] personsIn(final int zone)
    {
        return personsByZone[zone];
    }

    /**
     * @return a uniform number in [0, 1) that is a fixed property of the key: the same every time it is asked.
     */
    double unit(final long key, final long property)
    {
        return ScenarioRandom.unit(ScenarioRandom.mix(salt ^ (key * 0x9E3779B97F4A7C15L + property)));
    }

    /**
     * @return a standard normal deviate that is a fixed property of the key.
     */
    double gaussian(final long key, final long property)
    {
        return ScenarioRandom.gaussian(
            ScenarioRandom.mix(salt ^ (key * 0xC2B2AE3D27D4EB4FL + property)),
            ScenarioRandom.mix(salt + (key * 0x165667B19E3779F9L ^ property)));
    }

    /**
     * @param list of businesses, most popular first.
     * @param unit uniform in [0, 1).
     * @return one of them, the first ones much more often (a heavy tail: the square of the unit).
     */
    static int pick(final int[] list, final double unit)
    {
        return list[(int)(unit * unit * list.length)];
    }

    private void assignIncome(final int person, final ScenarioRandom random)
    {
        final int zone = zoneOf(person);
        switch (role[person])
        {
            case PENSIONER:
                employer[person] = pensionFund[zone];
                income[person] = (int)clamp(150_000 * StrictMath.exp(0.3 * random.nextGaussian()), 60_000, 400_000);
                break;

            case STUDENT:
                if (random.chance(0.3))
                {
                    employer[person] = employerFor(zone, random);
                    income[person] = (int)random.nextLong(40_000, 90_000);
                }
                else
                {
                    income[person] = (int)random.nextLong(25_000, 60_000);
                }
                break;

            default:
            {
                final int e = employerFor(zone, random);
                employer[person] = e;
                if (unit(e, 0x67726164L) < 0.5 && random.chance(0.6))
                {
                    // paid by grade: colleagues on the same grade get exactly the same
                    final int grade = random.nextInt(6);
                    final double level = StrictMath.exp(0.2 * gaussian(e, 0x6C76L));
                    income[person] = (int)(190_000 * level * StrictMath.pow(1.18, grade));
                }
                else
                {
                    income[person] = (int)clamp(270_000 * StrictMath.exp(0.38 * random.nextGaussian()), 110_000,
                        1_400_000);
                }
                break;
            }
        }
        if (employer[person] >= 0)
        {
            final int e = employer[person];
            nextMember[person] = firstMember[e];
            firstMember[e] = person;
            staff[e]++;
        }
    }

    private int employerFor(final int zone, final ScenarioRandom random)
    {
        final double u = random.nextDouble();
        final int[] local = employersByZone[zone];
        final int[] list = local.length > 0 && random.chance(0.95) ? local : allEmployers;
        return list[(int)(u * u * u * list.length)];
    }

    private int countryIn(final int zone, final double unit)
    {
        int remaining = (int)(unit * zoneWeight[zone]);
        for (final int c : zoneCountries[zone])
        {
            remaining -= Places.WEIGHT[c];
            if (remaining < 0)
            {
                return c;
            }
        }
        return zoneCountries[zone][0];
    }

    private int addBusiness(
        final IntArrayList kinds,
        final IntArrayList sorts,
        final IntArrayList countries,
        final byte businessKind,
        final int businessSort,
        final int businessCountry)
    {
        kinds.addInt(businessKind);
        sorts.addInt(businessSort);
        countries.addInt(businessCountry);
        return kinds.size() - 1;
    }

    private int[] select(final byte businessKind, final int businessSort, final int zone)
    {
        final IntArrayList selected = new IntArrayList();
        for (int b = 0; b < businesses; b++)
        {
            if (kind[b] == businessKind && (businessSort < 0 || sort[b] == businessSort) &&
                (zone < 0 || businessZone(b) == zone))
            {
                selected.addInt(b);
            }
        }
        return selected.toIntArray();
    }

    private static double clamp(final double value, final double min, final double max)
    {
        return Math.max(min, Math.min(max, value));
    }
}
