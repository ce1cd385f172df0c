package io.txmon.scenario;

import io.txmon.events.EventEnvelope;
import io.txmon.events.MessageValidator;
import io.txmon.events.RejectReason;
import io.txmon.events.codec.AccountAction;
import io.txmon.events.codec.Channel;
import io.txmon.events.codec.MessageHeaderDecoder;
import io.txmon.rules.AlertBuffer;
import io.txmon.rules.AlertRecord;
import io.txmon.rules.RuleWorker;
import io.txmon.rules.TxEvent;
import io.txmon.rules.TxEventDecoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static io.txmon.scenario.BankingPopulation.COLLECTOR;
import static io.txmon.scenario.BankingPopulation.DEALER;
import static io.txmon.scenario.BankingPopulation.EMPLOYER;
import static io.txmon.scenario.BankingPopulation.MERCHANT;
import static io.txmon.scenario.BankingPopulation.PENSION_FUND;
import static io.txmon.scenario.BankingTraffic.CARD;
import static io.txmon.scenario.BankingTraffic.FAMILY;
import static io.txmon.scenario.BankingTraffic.PENSION;
import static io.txmon.scenario.BankingTraffic.PURCHASE;
import static io.txmon.scenario.BankingTraffic.REFERENCES;
import static io.txmon.scenario.BankingTraffic.SALARY;
import static io.txmon.scenario.BankingTraffic.SAVINGS;
import static io.txmon.scenario.Times.DAY;
import static io.txmon.scenario.Times.HOUR;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The banking background: deterministic per seed, each role behaving as specified (payroll, merchants and
 * collectors, family loops, large purchases, openings), currencies mixed and converted, seasons, bounded memory;
 * and through {@link ScenarioGenerator}, a valid stream whose planted cases all still alert.
 * <p>
 * The role tests drive {@link BankingTraffic} directly over a few months of a small population, and check what it
 * emits against the population's own assignments (who works where, who belongs to which household) with an
 * independent calendar.
 */
class BankingTrafficTest
{
    private static final long SEED = 7;
    private static final long MARCH_2025 = LocalDate.of(2025, 3, 1).toEpochDay() * DAY;
    private static final int PERSONS = 600;

    /**
     * One background event, as emitted.
     */
    private record Tx(
        long time,
        int templateId,
        long debtor,
        long creditor,
        long amount,
        int currency,
        Channel channel,
        int debtorCountry,
        byte[] reference,
        boolean positioned,
        AccountAction action)
    {
        LocalDate date()
        {
            return LocalDate.ofEpochDay(Math.floorDiv(time, DAY));
        }

        boolean is(final int referenceIndex)
        {
            return ScenarioEvent.PAYMENT == templateId && REFERENCES[referenceIndex] == reference;
        }
    }

    /**
     * A background simulated from {@code start} for {@code days}, its events kept.
     */
    private static final class Simulation
    {
        final BankingTraffic traffic;
        final List<Tx> events = new ArrayList<>();

        Simulation(final long seed, final int persons, final long start, final int days)
        {
            traffic = new BankingTraffic(seed, persons, start, days);
            final ScenarioEvent event = new ScenarioEvent();
            while (traffic.nextTime() < start + days * DAY)
            {
                traffic.next(event);
                events.add(new Tx(event.time, event.templateId, ScenarioEvent.PAYMENT == event.templateId ?
                    event.debtor : event.account, event.creditor, event.amount, event.currency, event.channel,
                    event.debtorCountry, event.referencePrefix, ScenarioEvent.NO_POSITION != event.latitude,
                    event.accountAction));
            }
        }

        BankingPopulation population()
        {
            return traffic.population();
        }

        int business(final long account)
        {
            final long index = account - BackgroundTraffic.FIRST_ACCOUNT;
            return index < population().businesses ? (int)index : -1;
        }

        int person(final long account)
        {
            final long index = account - BackgroundTraffic.FIRST_ACCOUNT - population().firstPerson;
            return index >= 0 && index < population().personCount() ? (int)index : -1;
        }

        long account(final int person)
        {
            return BankingPopulation.id(population().accountOf(person));
        }
    }

    @Test
    void theSameSeedGivesTheSameStreamAndAnotherSeedAnother() throws Exception
    {
        final ScenarioGenerator.Options options = ScenarioGenerator.Options.defaults()
            .withProfile(ScenarioGenerator.Profile.BANKING);
        final ScenarioGenerator first = new ScenarioGenerator(SEED, options);
        final byte[] digest = digest(first, 60_000);
        final List<CaseEvent> cases = List.copyOf(first.caseEvents());
        assertArrayEquals(digest, digest(new ScenarioGenerator(SEED, options), 60_000), "same seed, same stream");
        assertArrayEquals(digest, digest(first, 60_000), "generating again starts over");
        assertEquals(cases, first.caseEvents());
        assertFalse(Arrays.equals(digest, digest(new ScenarioGenerator(SEED + 1, options), 60_000)),
            "another seed, another stream");
        assertFalse(Arrays.equals(digest, digest(new ScenarioGenerator(SEED, ScenarioGenerator.Options.defaults()),
            60_000)), "the banking background is not the mixed one");
    }

    @Test
    void aBankingStreamIsValidSpansMonthsHoldsEveryPlantedCaseAndNoTradingInTheBackground()
    {
        final int count = 200_000;
        final ScenarioGenerator generator = new ScenarioGenerator(SEED, ScenarioGenerator.Options.defaults()
            .withProfile(ScenarioGenerator.Profile.BANKING));
        final MessageValidator validator = new MessageValidator();
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        final long[] times = { Long.MIN_VALUE, Long.MIN_VALUE };
        final Set<Long> tradingIndices = new HashSet<>();
        final long[] index = { 0 };
        generator.generate(count, (buffer, offset, length) ->
        {
            assertEquals(RejectReason.NONE, validator.validate(buffer, offset, length), "message " + index[0]);
            final long time = EventEnvelope.eventTime(buffer, offset);
            assertTrue(time >= times[1], "event time goes back at " + index[0]);
            times[0] = Long.MIN_VALUE == times[0] ? time : times[0];
            times[1] = time;
            final int templateId = header.wrap(buffer, offset).templateId();
            if (ScenarioEvent.ORDER == templateId || ScenarioEvent.EXECUTION == templateId)
            {
                tradingIndices.add(index[0]);
            }
            index[0]++;
        });

        assertEquals(count, index[0]);
        final int persons = generator.bankingPersons(count);
        assertEquals(Math.round(count / (BankingTraffic.EVENTS_PER_PERSON_DAY * 270)), persons);
        final String summary = generator.backgroundSummary();
        assertTrue(summary.startsWith(String.format("banking: %,d persons at the start (", persons)), summary);
        final long span = times[1] - times[0];
        assertTrue(span >= 250 * DAY && span <= 330 * DAY, "spans months: " + span / DAY + " days");
        assertEquals(PlantScripts.ALL.size() * ScenarioGenerator.instancesPerTypology(count),
            generator.planted().size(), "every planted case completes within the stream");
        final Set<Long> caseIndices = new HashSet<>();
        generator.caseEvents().forEach((e) -> caseIndices.add(e.index()));
        assertFalse(tradingIndices.isEmpty(), "the market typologies are planted");
        tradingIndices.removeAll(caseIndices);
        assertEquals(Set.of(), tradingIndices, "orders and executions only in planted cases");
    }

    @Test
    void thePopulationIsSizedFromTheStreamAndCapped()
    {
        final ScenarioGenerator.Options banking = ScenarioGenerator.Options.defaults()
            .withProfile(ScenarioGenerator.Profile.BANKING);
        assertEquals(ScenarioGenerator.Profile.MIXED, ScenarioGenerator.Options.defaults().profile());
        assertEquals(BankingPopulation.MIN_PERSONS, new ScenarioGenerator(1, banking).bankingPersons(1_000));
        assertEquals(3_494, new ScenarioGenerator(1, banking).bankingPersons(1_000_000));
        assertEquals(1_747, new ScenarioGenerator(1, banking.withMinimumSpanNanos(540 * DAY))
            .bankingPersons(1_000_000), "twice the span, half the persons");
        assertEquals(2_000, new ScenarioGenerator(1, banking.withAccounts(2_000)).bankingPersons(1_000_000));
        assertEquals(BankingPopulation.MAX_PERSONS, new ScenarioGenerator(1, banking.withAccounts(50_000_000))
            .bankingPersons(Integer.MAX_VALUE));
        assertThrows(NullPointerException.class, () -> banking.withProfile(null));
        assertThrows(IllegalArgumentException.class, () -> new BankingPopulation(1, 10, 0));
    }

    /**
     * Every employer pays each of its employees exactly once a month, all on its pay day (the 25th, the 28th or the
     * last business day, brought forward to a business day), in one batch of at most a few hours; the pension
     * funds pay their pensioners on the first business day.
     */
    @Test
    void payrollPaysEveryEmployeeOnceAMonthOnItsDay()
    {
        final Simulation simulation = new Simulation(SEED, PERSONS, MARCH_2025, 92);
        final BankingPopulation population = simulation.population();
        final Map<String, List<Tx>> byPayerAndMonth = new TreeMap<>();
        for (final Tx tx : simulation.events)
        {
            if (tx.is(SALARY) || tx.is(PENSION))
            {
                final int payer = simulation.business(tx.debtor());
                assertTrue(payer >= 0 && (population.kind[payer] == EMPLOYER || population.kind[payer] == PENSION_FUND),
                    "a salary or pension from an employer or pension fund: " + tx);
                byPayerAndMonth.computeIfAbsent(payer + " " + tx.date().getMonthValue(), (k) -> new ArrayList<>())
                    .add(tx);
            }
        }

        int payrolls = 0;
        int largest = 0;
        for (int b = 0; b < population.businesses; b++)
        {
            if (population.kind[b] != EMPLOYER && population.kind[b] != PENSION_FUND)
            {
                continue;
            }
            for (int month = 3; month <= 5; month++)
            {
                final LocalDate payday = expectedPayday(population.sort[b], 2025, month);
                final Set<Long> expected = new HashSet<>();
                for (int p = 0; p < population.personCount(); p++)
                {
                    if (population.employer[p] == b && population.openedDay[p] <= payday.toEpochDay() - 3)
                    {
                        expected.add(simulation.account(p));
                    }
                }
                final List<Tx> paid = byPayerAndMonth.getOrDefault(b + " " + month, List.of());
                final Set<Long> creditors = new HashSet<>();
                for (final Tx tx : paid)
                {
                    assertEquals(payday, tx.date(), "paid on its pay day, business " + b);
                    assertTrue(creditors.add(tx.creditor()), "each employee once a month, business " + b);
                }
                assertEquals(expected, creditors, "every employee of business " + b + " in month " + month);
                if (!paid.isEmpty())
                {
                    payrolls++;
                    final long first = paid.get(0).time();
                    final long last = paid.get(paid.size() - 1).time();
                    assertTrue(last - first < 4 * HOUR, "one batch: " + (last - first) / HOUR + " h");
                    largest = population.kind[b] == EMPLOYER ? Math.max(largest, paid.size()) : largest;
                }
            }
        }
        assertTrue(payrolls >= 3 * 20, "payrolls of many employers: " + payrolls);
        assertTrue(largest >= 100, "a large employer pays over a hundred on one day (payroll fan-out): " + largest);
    }

    /**
     * Merchants and collectors are paid by hundreds of distinct payers in a month; each collector collects on one
     * day of the month; merchants pay only a few suppliers.
     */
    @Test
    void merchantsAndCollectorsHaveHundredsOfPayersAndFewSuppliers()
    {
        final Simulation simulation = new Simulation(SEED, PERSONS, MARCH_2025, 92);
        final BankingPopulation population = simulation.population();
        final Map<Integer, Set<Long>> payersInMarch = new HashMap<>();
        final Map<Integer, Set<LocalDate>> collectionDays = new HashMap<>();
        final Map<Integer, Set<Long>> paidByMerchant = new HashMap<>();
        for (final Tx tx : simulation.events)
        {
            if (ScenarioEvent.PAYMENT != tx.templateId())
            {
                continue;
            }
            final int creditor = simulation.business(tx.creditor());
            if (creditor >= 0 && 3 == tx.date().getMonthValue())
            {
                payersInMarch.computeIfAbsent(creditor, (k) -> new HashSet<>()).add(tx.debtor());
                if (tx.is(BankingTraffic.DIRECT_DEBIT))
                {
                    collectionDays.computeIfAbsent(creditor, (k) -> new HashSet<>()).add(tx.date());
                }
            }
            final int debtor = simulation.business(tx.debtor());
            if (debtor >= 0 && population.kind[debtor] == MERCHANT)
            {
                paidByMerchant.computeIfAbsent(debtor, (k) -> new HashSet<>()).add(tx.creditor());
            }
        }

        int busiestMerchant = 0;
        int busiestCollector = 0;
        for (final Map.Entry<Integer, Set<Long>> e : payersInMarch.entrySet())
        {
            final int b = e.getKey();
            if (population.kind[b] == MERCHANT && population.sort[b] != BankingPopulation.ONLINE)
            {
                busiestMerchant = Math.max(busiestMerchant, e.getValue().size());
            }
            if (population.kind[b] == COLLECTOR)
            {
                busiestCollector = Math.max(busiestCollector, e.getValue().size());
            }
        }
        assertTrue(busiestMerchant >= 200, "a shop with hundreds of payers in March: " + busiestMerchant);
        assertTrue(busiestCollector >= 150, "a collector with hundreds of payers in March: " + busiestCollector);
        assertFalse(collectionDays.isEmpty());
        collectionDays.forEach((collector, days) ->
            assertEquals(1, days.size(), "collector " + collector + " collects on one day: " + days));
        assertTrue(paidByMerchant.size() >= 10, "merchants pay their suppliers: " + paidByMerchant.size());
        paidByMerchant.forEach((merchant, creditors) ->
            assertTrue(creditors.size() <= 2, "merchant " + merchant + " pays a wholesaler and its landlord only: " +
                creditors));
    }

    /**
     * A household's money loop starts at its head, goes round its members and closes back at the head within a week:
     * A to B to C (to D) to A.
     */
    @Test
    void familyLoopsCloseAtTheHeadWithinAWeek()
    {
        final Simulation simulation = new Simulation(SEED, PERSONS, MARCH_2025, 92);
        final BankingPopulation population = simulation.population();
        final List<Tx> family = new ArrayList<>();
        for (final Tx tx : simulation.events)
        {
            if (tx.is(FAMILY) && simulation.person(tx.debtor()) >= 0 && simulation.person(tx.creditor()) >= 0)
            {
                family.add(tx);
            }
        }

        int loops = 0;
        for (int i = 0; i < family.size(); i++)
        {
            final Tx opening = family.get(i);
            final int head = simulation.person(opening.debtor());
            if (population.head[head] != head || simulation.person(opening.creditor()) != head + 1 ||
                opening.time() > MARCH_2025 + 80 * DAY)
            {
                continue;
            }
            loops++;
            assertTrue(population.householdSize[head] >= 3, "loops in households of three or four");
            long at = opening.time();
            int member = head + 1;
            while (member != head)
            {
                final int from = member;
                final long after = at;
                // the partner pays the head too (rent share, salary), so from the partner the loop goes on only
                final boolean onlyOn = from == head + 1;
                final int last = head + population.householdSize[head] - 1;
                final Tx leg = family.stream()
                    .filter((tx) -> tx.time() > after && simulation.person(tx.debtor()) == from &&
                        ((simulation.person(tx.creditor()) == head && !onlyOn) ||
                        (simulation.person(tx.creditor()) == from + 1 && from + 1 <= last)))
                    .findFirst().orElseThrow(() -> new AssertionError("loop from " + head + " open at " + from));
                at = leg.time();
                member = simulation.person(leg.creditor());
            }
            assertTrue(at - opening.time() < 7 * DAY, "closed within the cycle rule's week");
        }
        assertTrue(loops >= 20, "family loops in three months: " + loops);
    }

    @Test
    void currenciesAreMixedAndConvertedSensibly()
    {
        final Simulation simulation = new Simulation(SEED, PERSONS, MARCH_2025, 61);
        final Map<Integer, Integer> byCurrency = new TreeMap<>();
        final Map<Integer, List<Long>> cardValues = new TreeMap<>();
        int foreign = 0;
        int wires = 0;
        int payments = 0;
        for (final Tx tx : simulation.events)
        {
            if (ScenarioEvent.PAYMENT != tx.templateId())
            {
                continue;
            }
            payments++;
            byCurrency.merge(tx.currency(), 1, Integer::sum);
            final int home = countryIndex(tx.debtorCountry());
            if (tx.currency() != Places.CURRENCY[home])
            {
                foreign++;
            }
            if (Channel.WIRE == tx.channel())
            {
                wires++;
            }
            if (tx.is(CARD))
            {
                cardValues.computeIfAbsent(tx.currency(), (k) -> new ArrayList<>())
                    .add(tx.amount() * 1000 / perMilleOf(tx.currency()));
            }
        }

        assertEquals(Set.of(978, 826, 840, 756, 985), byCurrency.keySet(), "the five currencies of the countries");
        for (final Map.Entry<Integer, Integer> e : byCurrency.entrySet())
        {
            assertTrue(e.getValue() >= payments / 200, "currency " + e.getKey() + " is more than a trace: " + e);
        }
        assertTrue(byCurrency.get(978) < payments * 0.85, "not all euros: " + byCurrency);
        assertTrue(foreign >= 200, "payments in another currency than the payer's home one: " + foreign);
        assertTrue(wires >= 20, "cross-currency transfers by wire: " + wires);
        for (final Map.Entry<Integer, List<Long>> e : cardValues.entrySet())
        {
            final List<Long> values = e.getValue();
            values.sort(Long::compare);
            final long median = values.get(values.size() / 2);
            assertTrue(median >= 1_500 && median <= 6_000,
                "a card payment is worth tens of euros in every currency; " + e.getKey() + ": " + median + " cents");
        }
    }

    /**
     * Salaries arrive at the end of the month and pensions at its start; December has more card spending than
     * November and January.
     */
    @Test
    void salariesPeakAtMonthEndAndDecemberSpendsMore()
    {
        final long november = LocalDate.of(2025, 11, 1).toEpochDay() * DAY;
        final Simulation simulation = new Simulation(SEED, PERSONS, november, 92);
        final Map<Integer, Integer> cardsByMonth = new TreeMap<>();
        final Map<Integer, Integer> cardDays = Map.of(11, 30, 12, 31, 1, 31);
        int salaries = 0;
        for (final Tx tx : simulation.events)
        {
            final LocalDate date = tx.date();
            if (tx.is(SALARY))
            {
                salaries++;
                assertTrue(date.getDayOfMonth() >= 21, "a salary at the end of the month: " + date);
            }
            if (tx.is(PENSION))
            {
                assertTrue(date.getDayOfMonth() <= 5, "a pension at the start of the month: " + date);
            }
            if (tx.is(CARD))
            {
                cardsByMonth.merge(date.getMonthValue(), 1, Integer::sum);
            }
        }
        assertTrue(salaries >= 3 * PERSONS / 2, "salaries paid: " + salaries);
        final double nov = cardsByMonth.get(11) / (double)cardDays.get(11);
        final double dec = cardsByMonth.get(12) / (double)cardDays.get(12);
        final double jan = cardsByMonth.get(1) / (double)cardDays.get(1);
        assertTrue(dec > 1.15 * nov && dec > 1.3 * jan, "card payments a day: Nov " + nov + ", Dec " + dec +
            ", Jan " + jan);
    }

    /**
     * Cars, house deposits and renovations: large payments to dealers and notaries, often funded from savings a
     * few hours before.
     */
    @Test
    void largeLegitimatePaymentsAreMadeAndOftenFundedFromSavings()
    {
        final Simulation simulation = new Simulation(SEED, 1_000, MARCH_2025, 183);
        final BankingPopulation population = simulation.population();
        final Map<Long, Long> lastFromSavings = new HashMap<>();
        int cars = 0;
        int funded = 0;
        for (final Tx tx : simulation.events)
        {
            if (tx.is(SAVINGS) && Channel.INTERNAL == tx.channel())
            {
                lastFromSavings.put(tx.creditor(), tx.time());
            }
            if (tx.is(PURCHASE))
            {
                final int dealer = simulation.business(tx.creditor());
                assertTrue(dealer >= 0 && population.kind[dealer] == MERCHANT && population.sort[dealer] == DEALER,
                    "a car from a dealer: " + tx);
                final long euroCents = tx.amount() * 1000 / perMilleOf(tx.currency());
                assertTrue(euroCents >= 790_000, "a car costs thousands: " + euroCents);
                cars++;
                final Long funding = lastFromSavings.get(tx.debtor());
                if (null != funding && tx.time() - funding <= 4 * HOUR)
                {
                    funded++;
                }
            }
        }
        assertTrue(cars >= 5, "cars bought in six months: " + cars);
        assertTrue(funded >= 1, "some funded from savings just before: " + funded + " of " + cars);
    }

    /**
     * Persons join during the stream: the opening comes first, then their salary on the employer's pay day.
     */
    @Test
    void joinersOpenAnAccountAndAreThenPaid()
    {
        final Simulation simulation = new Simulation(SEED, PERSONS, MARCH_2025, 92);
        final Map<Long, Long> opened = new HashMap<>();
        final Set<Long> paidAfterOpening = new HashSet<>();
        int reviews = 0;
        for (final Tx tx : simulation.events)
        {
            if (ScenarioEvent.ACCOUNT_UPDATE == tx.templateId())
            {
                if (AccountAction.OPEN == tx.action())
                {
                    assertNull(opened.put(tx.debtor(), tx.time()), "opened once");
                    assertTrue(simulation.person(tx.debtor()) >= PERSONS, "a joiner, not a person of the start");
                }
                else
                {
                    reviews++;
                }
                continue;
            }
            for (final long account : new long[] { tx.debtor(), tx.creditor() })
            {
                if (simulation.person(account) >= PERSONS)
                {
                    assertTrue(opened.containsKey(account), "no payment before the opening: " + tx);
                    if (tx.is(SALARY))
                    {
                        paidAfterOpening.add(account);
                    }
                }
            }
        }
        assertTrue(opened.size() >= 5, "openings in three months: " + opened.size());
        assertEquals(simulation.population().joined, opened.size());
        assertFalse(paidAfterOpening.isEmpty(), "joiners receive their salary");
        assertTrue(reviews >= PERSONS / 12, "accounts reviewed about once a year: " + reviews);
    }

    /**
     * Memory follows the busiest day: the day buffer does not grow with the stream.
     */
    @Test
    void memoryFollowsTheBusiestDayNotTheStream()
    {
        final BankingTraffic traffic = new BankingTraffic(SEED, 300, MARCH_2025, 400);
        final ScenarioEvent event = new ScenarioEvent();
        long events = 0;
        int capacityAfterAMonth = 0;
        while (traffic.nextTime() < MARCH_2025 + 365 * DAY)
        {
            traffic.next(event);
            events++;
            if (0 == capacityAfterAMonth && event.time >= MARCH_2025 + 31 * DAY)
            {
                capacityAfterAMonth = traffic.dayCapacity();
            }
        }
        assertTrue(events > 100_000, "a year of events: " + events);
        assertTrue(traffic.dayCapacity() <= 4 * 300, "rows held: " + traffic.dayCapacity());
        assertTrue(traffic.dayCapacity() <= 2 * capacityAfterAMonth, "no growth after the first month");
    }

    /**
     * The planted cases are detectable in the banking background as in the mixed one: every one raises its alert
     * through the default rule set.
     */
    @Test
    void everyPlantedCaseStillAlertsInTheBankingBackground()
    {
        final ScenarioGenerator generator = new ScenarioGenerator(SEED, ScenarioGenerator.Options.defaults()
            .withProfile(ScenarioGenerator.Profile.BANKING).withEventsPerInstance(25_000));
        final CountersManager counters = new CountersManager(
            new UnsafeBuffer(ByteBuffer.allocateDirect(64 * 1024)),
            new UnsafeBuffer(ByteBuffer.allocateDirect(8 * 1024)));
        final AtomicCounter evaluated = counters.newCounter("evaluated");
        final AtomicCounter errors = counters.newCounter("rule errors");
        final RuleWorker worker = new RuleWorker(0, 1, null, generator.newRules(),
            (rule, offset, error) ->
            {
                throw new AssertionError("rule " + rule.name() + " threw at offset " + offset, error);
            }, evaluated, errors, 1);
        final TxEvent slot = new TxEvent(1, 32);
        final TxEventDecoder decoder = new TxEventDecoder();
        final PlantedMatcher matcher = new PlantedMatcher();
        final long[] index = { 0 };
        generator.generate(200_000, (buffer, offset, length) ->
        {
            slot.reset();
            assertTrue(decoder.decode(buffer, offset, slot));
            slot.offset = index[0]++;
            slot.ingestTime = slot.eventTime;
            worker.evaluate(slot);
            final AlertBuffer alerts = slot.alerts(0);
            for (int i = 0; i < alerts.count(); i++)
            {
                final AlertRecord alert = alerts.get(i);
                matcher.onAlert(alert.ruleId(), alert.account(), slot.eventTime);
            }
        });

        assertEquals(PlantScripts.ALL.size() * 8, generator.planted().size());
        assertEquals(List.of(), matcher.missed(generator.planted()), "planted cases without their alert");
        assertTrue(matcher.alerts() > 2L * generator.planted().size(),
            "the background raises alerts of its own too: " + matcher.alerts());
    }

    /**
     * The independent calendar of the test: a business day is Monday to Friday but 1 January, 25 and 26 December.
     */
    private static LocalDate expectedPayday(final int kind, final int year, final int month)
    {
        final LocalDate first = LocalDate.of(year, month, 1);
        LocalDate day;
        switch (kind)
        {
            case BankingCalendar.PAY_25TH:
                day = first.withDayOfMonth(25);
                break;
            case BankingCalendar.PAY_28TH:
                day = first.withDayOfMonth(28);
                break;
            case BankingCalendar.PAY_LAST:
                day = first.withDayOfMonth(first.lengthOfMonth());
                break;
            default:
                day = first;
                while (!isBusinessDay(day))
                {
                    day = day.plusDays(1);
                }
                return day;
        }
        while (!isBusinessDay(day))
        {
            day = day.minusDays(1);
        }
        return day;
    }

    private static boolean isBusinessDay(final LocalDate day)
    {
        return day.getDayOfWeek() != DayOfWeek.SATURDAY && day.getDayOfWeek() != DayOfWeek.SUNDAY &&
            !(1 == day.getMonthValue() && 1 == day.getDayOfMonth()) &&
            !(12 == day.getMonthValue() && (25 == day.getDayOfMonth() || 26 == day.getDayOfMonth()));
    }

    private static int countryIndex(final int packed)
    {
        for (int i = 0; i < Places.COUNTRY.length; i++)
        {
            if (Places.COUNTRY[i] == packed)
            {
                return i;
            }
        }
        throw new AssertionError("no country " + packed);
    }

    private static int perMilleOf(final int currency)
    {
        for (int i = 0; i < Places.CURRENCY.length; i++)
        {
            if (Places.CURRENCY[i] == currency)
            {
                return Places.PER_MILLE_OF_EURO_CENT[i];
            }
        }
        throw new AssertionError("no currency " + currency);
    }

    private static byte[] digest(final ScenarioGenerator generator, final int count) throws Exception
    {
        final MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        final byte[] scratch = new byte[4096];
        generator.generate(count, (buffer, offset, length) ->
        {
            buffer.getBytes(offset, scratch, 0, length);
            sha256.update(scratch, 0, length);
        });
        return sha256.digest();
    }
}
