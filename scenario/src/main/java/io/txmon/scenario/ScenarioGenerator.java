package io.txmon.scenario;

import io.txmon.rules.Rule;
import io.txmon.rules.typology.LargeAmountRule;
import io.txmon.rules.typology.Typologies;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A deterministic synthetic event stream with planted instances of every built-in typology (every rule of
 * {@link Typologies#catalog()}).
 * <p>
 * {@link #generate(int, MessageSink)} emits exactly the number of SBE messages asked for, header and body as the
 * engine receives them on ingest, each accepted by {@code MessageValidator}: producer sequences 0, 1, 2, ... and
 * event times that never decrease. The same seed, options and count always give the same bytes.
 * <p>
 * <b>Background.</b> Payments between a population of {@link Options#accounts()} accounts (mostly small,
 * irregular amounts to regular payees, merchants by card, or anyone), account openings and reviews, and, while
 * the venues are open (UTC weekdays 08:00 to 16:00), orders, amends, cancels and executions on a few hundred
 * instruments. Background events arrive at random with a mean gap that makes the stream span at least
 * {@link Options#minimumSpanNanos()} of event time (so the 180-day dormancy fits even in a short stream), and
 * {@link Options#meanGapNanos()} when the stream is long enough: with the defaults 1,000,000 events span 270 days.
 * The background may raise a modest number of alerts by chance, as real traffic does.
 * <p>
 * <b>Planted cases.</b> {@link #instancesPerTypology(int, int)} cases of each typology (one per
 * {@link Options#eventsPerInstance()} events), spread over the stream, each a short script on accounts of its own
 * ({@link #isPlantedAccount(long)}: never used by the background). Each case's triggering message is listed in
 * {@link #planted()} with the rule id and the account the alert is keyed on; {@link PlantedMatcher} holds alerts
 * against them. They assume the rules' documented defaults, the large-amount threshold
 * {@link #largeAmountThreshold()} and the watch list {@link #watchedAccounts()} / {@link #watchedParties()};
 * {@link #newRules()} builds that set. Every event of every case, not only its trigger, is listed in
 * {@link #caseEvents()}: what a labels file names ({@link ScenarioLabels}).
 * <p>
 * <b>Banking background.</b> With {@link Profile#BANKING} the background is a retail bank simulated day by day
 * (salaries, payroll, bills, card spending, family transfers, large purchases, currencies and seasons) instead of
 * the random traffic above, so that what the rules raise on it measures their false positives. The planted cases
 * are the same scripts on the same fresh accounts.
 * <p>
 * One buffer is reused for every message. Not thread safe.
 */
public final class ScenarioGenerator
{
    /**
     * Default events per planted case of each typology: a stream of n events has n / this many, up to the cap;
     * {@link Options#eventsPerInstance()} sets another density.
     */
    public static final int EVENTS_PER_INSTANCE = 50_000;
    /** Shortest stream with planted cases: below it the stream is background only. */
    public static final int MIN_EVENTS_TO_PLANT = 5_000;
    /** Most planted cases of one typology, whatever the length of the stream. */
    public static final int MAX_INSTANCES = 200;
    /**
     * Producers whose ids differ modulo this many plant their cases on disjoint accounts, parties and order ids
     * (and their background on disjoint order ids), so their streams can be interleaved into one engine and
     * every planted case still alerts: what {@code txmon bench} does with several producers. Producer ids in the
     * same slot but a different round of 64 ({@code 1} and {@code 65}) plant on disjoint accounts, parties and
     * order ids too, so their streams can follow one another into one engine (what {@code txmon bench --connect}
     * does, run after run, against an engine that keeps running).
     */
    public static final int PRODUCER_SLOTS = 64;

    private static final long CLOCK_SALT = 0x636C6F636BL;
    private static final long UNIQUE_ID_STRIDE = 10_000_000_000L;
    private static final int UNIQUE_ID_PRODUCERS = 100_000;

    /**
     * What the stream is made of besides its seed.
     *
     * @param accounts         background accounts existing at the start, {@value #MIN_ACCOUNTS} to
     *                         {@value #MAX_ACCOUNTS}; more are opened during the stream.
     * @param startEventTime   event time of the start of the stream, epoch ns, not negative; default
     *                         2025-01-06T00:00:00Z, a Monday.
     * @param producerId       carried by every message.
     * @param meanGapNanos     mean event-time gap between background events in a long stream, 1 ns to 1 day.
     * @param minimumSpanNanos  least event time a stream spans, at least {@value #MIN_SPAN_DAYS} days so that every
     *                          planted case fits, at most 100 years.
     * @param eventsPerInstance the plant density: a stream of n events plants n / this many cases of each typology
     *                          (at least one, at most {@link #MAX_INSTANCES}), {@value #MIN_EVENTS_TO_PLANT} to
     *                          {@link Integer#MAX_VALUE}; default {@link #EVENTS_PER_INSTANCE}.
     * @param profile           the background the cases are planted in; default {@link Profile#MIXED}.
     */
    public record Options(
        int accounts,
        long startEventTime,
        long producerId,
        long meanGapNanos,
        long minimumSpanNanos,
        int eventsPerInstance,
        Profile profile)
    {
        /** Fewest background accounts. */
        public static final int MIN_ACCOUNTS = 1_000;
        /** Most background accounts. */
        public static final int MAX_ACCOUNTS = 50_000_000;
        /** Shortest minimum span, in days: dormancy (180 days) and its set-up within 80% of the stream. */
        public static final int MIN_SPAN_DAYS = 250;
        /** Default background accounts. */
        public static final int DEFAULT_ACCOUNTS = 50_000;
        /** Default start: 2025-01-06T00:00:00Z. */
        public static final long DEFAULT_START_EVENT_TIME = 1_736_121_600L * Times.SECOND;
        /** Default producer id. */
        public static final long DEFAULT_PRODUCER_ID = 1;
        /** Default mean gap: 20 s. */
        public static final long DEFAULT_MEAN_GAP_NANOS = 20 * Times.SECOND;
        /** Default minimum span: 270 days. */
        public static final long DEFAULT_MINIMUM_SPAN_NANOS = 270 * Times.DAY;

        /**
         * Validates every option.
         *
         * @throws IllegalArgumentException naming the option that is out of range.
         */
        public Options
        {
            if (accounts < MIN_ACCOUNTS || accounts > MAX_ACCOUNTS)
            {
                throw new IllegalArgumentException(
                    "accounts must be " + MIN_ACCOUNTS + " to " + MAX_ACCOUNTS + ", was " + accounts);
            }
            if (startEventTime < 0)
            {
                throw new IllegalArgumentException("startEventTime must not be negative, was " + startEventTime);
            }
            if (meanGapNanos < 1 || meanGapNanos > Times.DAY)
            {
                throw new IllegalArgumentException("meanGapNanos must be 1 ns to 1 day, was " + meanGapNanos);
            }
            if (minimumSpanNanos < MIN_SPAN_DAYS * Times.DAY || minimumSpanNanos > 36_500 * Times.DAY)
            {
                throw new IllegalArgumentException(
                    "minimumSpanNanos must be " + MIN_SPAN_DAYS + " days to 100 years, was " + minimumSpanNanos);
            }
            if (eventsPerInstance < MIN_EVENTS_TO_PLANT)
            {
                throw new IllegalArgumentException(
                    "eventsPerInstance must be at least " + MIN_EVENTS_TO_PLANT + ", was " + eventsPerInstance);
            }
            Objects.requireNonNull(profile, "profile");
        }

        /**
         * @return the defaults.
         */
        public static Options defaults()
        {
            return new Options(
                DEFAULT_ACCOUNTS,
                DEFAULT_START_EVENT_TIME,
                DEFAULT_PRODUCER_ID,
                DEFAULT_MEAN_GAP_NANOS,
                DEFAULT_MINIMUM_SPAN_NANOS,
                EVENTS_PER_INSTANCE,
                Profile.MIXED);
        }

        /**
         * @param accounts background accounts existing at the start.
         * @return these options with that population.
         */
        public Options withAccounts(final int accounts)
        {
            return new Options(
                accounts, startEventTime, producerId, meanGapNanos, minimumSpanNanos, eventsPerInstance, profile);
        }

        /**
         * @param startEventTime of the stream, epoch ns.
         * @return these options with that start.
         */
        public Options withStartEventTime(final long startEventTime)
        {
            return new Options(
                accounts, startEventTime, producerId, meanGapNanos, minimumSpanNanos, eventsPerInstance, profile);
        }

        /**
         * @param producerId carried by every message.
         * @return these options with that producer.
         */
        public Options withProducerId(final long producerId)
        {
            return new Options(
                accounts, startEventTime, producerId, meanGapNanos, minimumSpanNanos, eventsPerInstance, profile);
        }

        /**
         * @param meanGapNanos mean event-time gap between background events in a long stream.
         * @return these options with that pace.
         */
        public Options withMeanGapNanos(final long meanGapNanos)
        {
            return new Options(
                accounts, startEventTime, producerId, meanGapNanos, minimumSpanNanos, eventsPerInstance, profile);
        }

        /**
         * @param minimumSpanNanos least event time a stream spans.
         * @return these options with that span.
         */
        public Options withMinimumSpanNanos(final long minimumSpanNanos)
        {
            return new Options(
                accounts, startEventTime, producerId, meanGapNanos, minimumSpanNanos, eventsPerInstance, profile);
        }

        /**
         * @param eventsPerInstance events of a stream per planted case of each typology.
         * @return these options with that plant density.
         */
        public Options withEventsPerInstance(final int eventsPerInstance)
        {
            return new Options(
                accounts, startEventTime, producerId, meanGapNanos, minimumSpanNanos, eventsPerInstance, profile);
        }

        /**
         * @param profile the background the cases are planted in.
         * @return these options with that background.
         */
        public Options withProfile(final Profile profile)
        {
            return new Options(
                accounts, startEventTime, producerId, meanGapNanos, minimumSpanNanos, eventsPerInstance, profile);
        }
    }

    /**
     * The background a stream's cases are planted in.
     */
    public enum Profile
    {
        /**
         * Random traffic of a large population: small irregular payments to regular payees, merchants or anyone,
         * account openings and reviews, and while the venues are open orders, amends, cancels and executions. The
         * default, which the bench and the demo measure.
         */
        MIXED,

        /**
         * A retail bank over months: salaried accounts, employers paying their payroll on a fixed day, merchants and
         * collectors paid by hundreds, family money loops, large legitimate purchases, five currencies, seasons
         * ({@code BankingTraffic}). Payments and account updates only. The population is sized from the stream's
         * length so that it spans {@link Options#minimumSpanNanos()}; {@link Options#accounts()} caps the persons
         * and {@link Options#meanGapNanos()} plays no part. For measuring false positives against realistic flows.
         */
        BANKING
    }

    private final long seed;
    private final Options options;
    private final EventWriter writer = new EventWriter();
    private final ScenarioEvent background = new ScenarioEvent();
    private final ArrayList<Planted> planted = new ArrayList<>();
    private final List<Planted> plantedView = Collections.unmodifiableList(planted);
    private final ArrayList<CaseEvent> caseEvents = new ArrayList<>();
    private final List<CaseEvent> caseEventsView = Collections.unmodifiableList(caseEvents);
    private String backgroundSummary = "";

    /**
     * A generator with the default {@link Options}.
     *
     * @param seed of every random choice.
     */
    public ScenarioGenerator(final long seed)
    {
        this(seed, Options.defaults());
    }

    /**
     * @param seed    of every random choice.
     * @param options of the stream.
     */
    public ScenarioGenerator(final long seed, final Options options)
    {
        this.seed = seed;
        this.options = Objects.requireNonNull(options, "options");
    }

    /**
     * @return the seed.
     */
    public long seed()
    {
        return seed;
    }

    /**
     * @return the options.
     */
    public Options options()
    {
        return options;
    }

    /**
     * How many cases of each typology a stream of that length plants with the default density: none below
     * {@link #MIN_EVENTS_TO_PLANT}, otherwise one per {@link #EVENTS_PER_INSTANCE} events, at least one and at
     * most {@link #MAX_INSTANCES}.
     *
     * @param eventCount length of the stream.
     * @return cases planted per typology.
     */
    public static int instancesPerTypology(final int eventCount)
    {
        return instancesPerTypology(eventCount, EVENTS_PER_INSTANCE);
    }

    /**
     * How many cases of each typology a stream of that length plants: none below {@link #MIN_EVENTS_TO_PLANT},
     * otherwise one per {@code eventsPerInstance} events, at least one and at most {@link #MAX_INSTANCES}.
     *
     * @param eventCount        length of the stream.
     * @param eventsPerInstance the plant density, {@link Options#eventsPerInstance()}.
     * @return cases planted per typology.
     */
    public static int instancesPerTypology(final int eventCount, final int eventsPerInstance)
    {
        if (eventCount < MIN_EVENTS_TO_PLANT)
        {
            return 0;
        }

        return Math.min(MAX_INSTANCES, Math.max(1, eventCount / eventsPerInstance));
    }

    /**
     * The mean event-time gap between background events in a stream of that length: the configured gap, or
     * longer so that the stream spans at least the minimum span.
     *
     * @param eventCount length of the stream.
     * @return mean gap in ns.
     */
    public long meanGapNanos(final int eventCount)
    {
        final long stretched = (options.minimumSpanNanos() + eventCount - 1) / Math.max(1, eventCount);
        return Math.max(options.meanGapNanos(), stretched);
    }

    /**
     * @param account id.
     * @return true if the account belongs to planted cases: the background never uses it.
     */
    public static boolean isPlantedAccount(final long account)
    {
        return account >= ScenarioPlan.FIRST_ACCOUNT;
    }

    /**
     * @return the large-amount threshold the planted cases assume, in minor units: the rule's default.
     */
    public long largeAmountThreshold()
    {
        return LargeAmountRule.DEFAULT_THRESHOLD_MINOR_UNITS;
    }

    /**
     * @return the accounts the watch list must hold for the planted watch-list cases; a new array.
     */
    public long[] watchedAccounts()
    {
        return ScenarioPlan.watchedAccounts();
    }

    /**
     * @return the parties the watch list must hold for the planted watch-list cases; a new array.
     */
    public long[] watchedParties()
    {
        return ScenarioPlan.watchedParties();
    }

    /**
     * A new set of every built-in typology with its defaults, configured as the planted cases need: the
     * large-amount threshold and the watch list. Call once per rule worker.
     *
     * @return new rule instances in id order, one per typology of the catalogue.
     */
    public Rule[] newRules()
    {
        return Typologies.defaults(largeAmountThreshold(), watchedAccounts(), watchedParties());
    }

    /**
     * The planted cases of the last {@link #generate} call whose triggering message was emitted, in stream
     * order.
     *
     * @return an unmodifiable view, replaced in place by the next call.
     */
    public List<Planted> planted()
    {
        return plantedView;
    }

    /**
     * Every event of the planted cases of the last {@link #generate} call that was emitted, in stream order: the
     * events that set each case up as well as its trigger. Background events are never among them. Their number
     * follows the plan, not the stream: at most some {@link #MAX_INSTANCES} cases of each typology.
     *
     * @return an unmodifiable view, replaced in place by the next call.
     */
    public List<CaseEvent> caseEvents()
    {
        return caseEventsView;
    }

    /**
     * How many persons the {@link Profile#BANKING banking} background of a stream of that length starts with: as
     * many as make it span {@link Options#minimumSpanNanos()} at about {@value BankingTraffic#EVENTS_PER_PERSON_DAY}
     * events per person and day, at least {@value BankingPopulation#MIN_PERSONS} and at most the lesser of
     * {@link Options#accounts()} and {@value BankingPopulation#MAX_PERSONS}. Businesses and savings accounts come on
     * top, about a third as many again.
     *
     * @param eventCount length of the stream.
     * @return persons at the start of the stream.
     */
    public int bankingPersons(final int eventCount)
    {
        return BankingTraffic.persons(eventCount, options.accounts(), options.minimumSpanNanos());
    }

    /**
     * Emit a stream from the start: the same seed, options and count always give the same messages.
     *
     * @param eventCount messages to emit, not negative.
     * @param sink       told of each message in order; the buffer is reused for the next one.
     */
    public void generate(final int eventCount, final MessageSink sink)
    {
        if (eventCount < 0)
        {
            throw new IllegalArgumentException("eventCount must not be negative, was " + eventCount);
        }
        Objects.requireNonNull(sink, "sink");

        planted.clear();
        caseEvents.clear();
        backgroundSummary = "";
        final long start = options.startEventTime();
        final boolean banking = Profile.BANKING == options.profile();
        final int persons = banking ? bankingPersons(eventCount) : 0;
        final long meanGap = banking ? 0 : meanGapNanos(eventCount);
        final long span = banking ?
            BankingTraffic.expectedSpanNanos(eventCount, persons) : meanGap * Math.max(1, eventCount);
        if ((!banking && span / Math.max(1, eventCount) != meanGap) || span > (Long.MAX_VALUE - start) / 2)
        {
            throw new IllegalArgumentException("a stream of " + eventCount + " events from " + start +
                " would run past the largest event time");
        }

        final int producerSlot = (int)Math.floorMod(options.producerId() - 1, (long)PRODUCER_SLOTS);
        final long round = Math.floorMod(Math.floorDiv(options.producerId() - 1, (long)PRODUCER_SLOTS), ScenarioPlan.ROUNDS);
        final BackgroundTraffic traffic = new BackgroundTraffic(seed, options.accounts(), producerSlot);
        final int instances = instancesPerTypology(eventCount, options.eventsPerInstance());
        final ScenarioEvent[] plan = instances > 0 ?
            new ScenarioPlan(seed, traffic, producerSlot, round).build(instances, start, span) : new ScenarioEvent[0];
        final Background ordinary = banking ?
            new BankingTraffic(seed, persons, start, (double)span / Times.DAY) :
            new MixedBackground(traffic, new ScenarioRandom(ScenarioRandom.mix(seed ^ CLOCK_SALT)), start, meanGap);
        final long producerId = options.producerId();
        final long idBase = Math.floorMod(producerId, UNIQUE_ID_PRODUCERS) * UNIQUE_ID_STRIDE + 1;

        long time = start;
        int next = 0;
        for (int index = 0; index < eventCount; index++)
        {
            final ScenarioEvent event;
            if (next < plan.length && plan[next].time <= ordinary.nextTime())
            {
                event = plan[next++];
                time = Math.max(time, event.time);
                event.time = time;
                if (0 != event.ruleId)
                {
                    planted.add(new Planted(event.ruleId, event.alertAccount, index, time));
                }
                if (0 != event.caseRule)
                {
                    caseEvents.add(new CaseEvent(index, event.caseRule, event.caseNumber, 0 != event.ruleId,
                        ScenarioEvent.PAYMENT == event.templateId ? idBase + index : 0));
                }
            }
            else
            {
                ordinary.next(background);
                event = background;
                time = event.time;
            }

            final int length = writer.write(event, producerId, index, idBase + index);
            sink.onMessage(writer.buffer(), 0, length);
        }
        backgroundSummary = ordinary.summary();
    }

    /**
     * @return what the background of the last {@link #generate} call was made of, for people: its population by
     * role and what changed in it; empty before the first call.
     */
    public String backgroundSummary()
    {
        return backgroundSummary;
    }
}
