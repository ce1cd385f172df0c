package io.txmon.perf;

import com.lmax.disruptor.RingBuffer;
import io.txmon.events.codec.AccountAction;
import io.txmon.events.codec.AccountUpdateDecoder;
import io.txmon.events.codec.Channel;
import io.txmon.events.codec.ExecutionDecoder;
import io.txmon.events.codec.OrderAction;
import io.txmon.events.codec.OrderDecoder;
import io.txmon.events.codec.PaymentDecoder;
import io.txmon.events.codec.Side;
import io.txmon.rules.AlertBuffer;
import io.txmon.rules.AlertIds;
import io.txmon.rules.Rule;
import io.txmon.rules.state.AccountStore;
import io.txmon.rules.RuleWorker;
import io.txmon.rules.TxEvent;
import io.txmon.rules.TxEventDecoder;
import io.txmon.rules.config.RuleType;
import io.txmon.rules.typology.CardTestingRule;
import io.txmon.rules.typology.CycleRule;
import io.txmon.rules.typology.DormantReactivatedRule;
import io.txmon.rules.typology.ExcessiveCancelRule;
import io.txmon.rules.typology.FanInRule;
import io.txmon.rules.typology.FanOutRule;
import io.txmon.rules.typology.FlowThroughRule;
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
import io.txmon.rules.typology.Typologies;
import io.txmon.rules.typology.VelocityCountRule;
import io.txmon.rules.typology.VelocitySumRule;
import io.txmon.rules.typology.WashTradeRule;
import io.txmon.rules.typology.WatchListRule;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersManager;

import java.io.PrintStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.lang.ref.Reference;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Retained heap of the typologies' state per tracked account: issue 5's "state memory per tracked account
 * measured with 1,000,000 accounts".
 * <p>
 * For each typology of {@link Typologies#defaults(long, long[], long[])} (every default parameter; the watch
 * list with a two-account, two-party list), and for the whole set in one worker, the program builds fresh
 * rule instances, a {@link RuleWorker} of one worker (so it owns every account) and one ring slot, measures
 * the used heap, feeds the worker events that make the rule create state for N distinct accounts, and
 * measures the used heap again with the rule still strongly reachable. Bytes per account is
 * {@code (after - before) / N}: the per-key objects, their arrays and the rule's share of its hash tables.
 * What the rule allocates when it is built (its maps' initial arrays, scratch arrays) is in "before".
 * <p>
 * The events are of the kind each rule keeps, a few per account (see {@link #specs()}): e.g. three payments
 * from every debtor to three distinct creditors for the windowed payment rules, two near-threshold payments
 * for structuring, one {@code AccountUpdate} for the party maps, orders and executions for the market-abuse
 * rules. They are generated into the one slot as they are fed (nothing is pre-generated), round by round: in
 * round r every account gets its r-th event, with event times {@value #EVENT_TIME_STEP} ns apart, so every
 * entry is still inside its window at the end. Amounts are chosen so that almost nothing alerts. Per-key rings
 * and windows start small and double up to their maximum, so the figures are those of an account seen a few
 * times, and an alert that empties a window (velocity, structuring, round amounts) bounds how far it grows;
 * the layouts at the maximum are in {@code rules/RULES.md}.
 * <p>
 * Measuring the heap: {@link System#gc()} repeated (at least {@value #MIN_GCS} times, at most
 * {@value #MAX_GCS}) until two readings are within {@value #STABLE_BYTES} bytes, and only if the
 * {@link GarbageCollectorMXBean}s count a collection for it (run with {@code -XX:+DisableExplicitGC} and it
 * refuses). A reading is the heap pools' usage as the last collection left it
 * ({@link MemoryPoolMXBean#getCollectionUsage()}), not the used heap now, which with ParallelGC includes the
 * reading thread's fresh TLAB (4 MB steps of noise). Run it with a stop-the-world collector
 * ({@code perf/state-memory} uses ParallelGC): G1 counts a humongous array's whole regions.
 * <p>
 * When N accounts' state does not fit the heap: every rule is first measured on a probe of N/2^p accounts
 * (at most {@value #PROBE_ACCOUNTS}, which also warms it up: classes loaded, code compiled), and the
 * measurement proper is then made on N/2^k accounts, the smallest k whose projected state (with a margin of
 * {@value #FIT_MARGIN}) fits the budget: {@value #HEAP_SHARE} of the old generation's maximum, less what is
 * already used; {@code --budget-mb} overrides it. Halving N keeps the hash tables at the same load as at N
 * (Agrona's maps double when more than 0.65 full), so bytes per account measured on N/2^k accounts is what
 * each of N accounts costs; the table marks such rows and projects the total for N.
 */
public final class RuleStateFootprint
{
    /** Accounts to create state for unless {@code --accounts} says otherwise. */
    public static final int DEFAULT_ACCOUNTS = 1_000_000;

    /** Name of the row of the whole default rule set in one worker. */
    public static final String ALL = "all";
    /** Name of the row of the whole set for a payments account seen a few times. */
    public static final String ALL_FEW_PAYMENTS = "all, 3 payments";
    /** Name of the row of the whole set for a trading account seen a few times. */
    public static final String ALL_FEW_ORDERS = "all, 3 orders";

    /** Fewest accounts a measurement is made on. */
    static final int MIN_ACCOUNTS = 16;

    /** Most accounts of the probe made before each measurement. */
    static final int PROBE_ACCOUNTS = 4_096;

    /** Share of the old generation's maximum that the state measured may take. */
    static final double HEAP_SHARE = 0.9;

    /** Margin on the probe's bytes per account when choosing how many accounts fit. */
    static final double FIT_MARGIN = 1.05;

    /** Least collections per heap reading. */
    static final int MIN_GCS = 3;

    /** Most collections per heap reading. */
    static final int MAX_GCS = 10;

    /** Two used-heap readings this close, in bytes, are taken as settled. */
    static final long STABLE_BYTES = 64 * 1024;

    /** Id of account index 0; account index i is this plus i. */
    static final long FIRST_ACCOUNT = 1_000_000_000L;

    /** Party of account index 0 in the account updates fed; account index i's party is this plus i. */
    static final long FIRST_PARTY = 5_000_000_000L;

    /** Event time of the first event: 2025-11-24 16:00:00 UTC. */
    static final long T0 = 1_764_000_000_000_000_000L;

    /** Event time between consecutive events: 100,000 events per second. */
    static final long EVENT_TIME_STEP = 10_000L;

    /** Threshold of the large-amount rule, in minor units, as in the benchmarks. */
    static final long LARGE_AMOUNT_THRESHOLD = 1_000_000L;

    /** Accounts on the watch list the watch-list rule is built with: outside the accounts fed. */
    static final long[] WATCHED_ACCOUNTS = { 1, 2 };

    /** Parties on the watch list the watch-list rule is built with: outside the parties fed. */
    static final long[] WATCHED_PARTIES = { 5, 6 };

    private static final int EUR = 978;
    private static final int DE = TxEventDecoder.country((byte)'D', (byte)'E');
    private static final int FR = TxEventDecoder.country((byte)'F', (byte)'R');
    private static final int WIRE = Channel.WIRE.value();
    private static final int CARD = Channel.CARD.value();
    private static final int OPEN = AccountAction.OPEN.value();
    private static final int UPDATE = AccountAction.UPDATE.value();
    private static final int NEW = OrderAction.NEW.value();
    private static final int CANCEL = OrderAction.CANCEL.value();
    private static final int BUY = Side.BUY.value();
    private static final int SELL = Side.SELL.value();
    private static final int LATITUDE = 48_856_600;
    private static final int LONGITUDE = 2_352_200;
    private static final long PRICE = 100_000_000L;
    private static final String[] COUNT_METHODS = { "accounts", "trackedAccounts", "knownAccounts" };

    private RuleStateFootprint()
    {
    }

    /**
     * Events that make a rule create state for one account.
     */
    @FunctionalInterface
    interface Feed
    {
        /**
         * Fill a reset slot, whose offset and times are already set, with one account's event of one round.
         *
         * @param event    the slot.
         * @param round    0 to the feed's rounds - 1.
         * @param index    of the account, 0 to accounts - 1.
         * @param accounts in the measurement.
         */
        void fill(TxEvent event, int round, int index, int accounts);
    }

    /**
     * Keyed entries a rule holds, and where the count came from.
     *
     * @param count  of keys, -1 if unknown.
     * @param source a method of the rule, a map field read reflectively, or none.
     */
    record KeyCount(long count, String source)
    {
        /** No way to count. */
        static final KeyCount NONE = new KeyCount(-1, "none");
    }

    /**
     * One row: a typology, or the whole set, with the events that make it keep state.
     */
    static final class Spec
    {
        final int id;
        final String name;
        final String key;
        final boolean stateful;
        final int rounds;
        final Feed feed;
        final String holds;

        Spec(
            final int id,
            final String name,
            final String key,
            final boolean stateful,
            final int rounds,
            final Feed feed,
            final String holds)
        {
            this.id = id;
            this.name = name;
            this.key = key;
            this.stateful = stateful;
            this.rounds = rounds;
            this.feed = feed;
            this.holds = holds;
        }

        /**
         * @return fresh instances of the rule, or of the whole set, with the defaults.
         */
        Rule[] newRules()
        {
            final Rule[] all = Typologies.defaults(LARGE_AMOUNT_THRESHOLD, WATCHED_ACCOUNTS, WATCHED_PARTIES);
            if (0 == id)
            {
                return all;
            }
            for (final Rule rule : all)
            {
                if (rule.id() == id)
                {
                    return new Rule[]{ rule };
                }
            }
            throw new IllegalStateException("no typology with id " + id);
        }
    }

    /**
     * What the tool feeds one typology.
     *
     * @param key      what the rule keys its state on, in words.
     * @param stateful whether the rule is expected to keep per-account state.
     * @param rounds   events fed per account.
     * @param feed     the events.
     * @param holds    what the rule keeps per account, in words.
     */
    record Row(String key, boolean stateful, int rounds, Feed feed, String holds)
    {
    }

    /**
     * What one measurement found.
     */
    public static final class Result
    {
        /** Rule id, 0 for the whole set. */
        public final int id;
        /** Rule name, or {@value RuleStateFootprint#ALL}. */
        public final String name;
        /** What the rule keys its state on. */
        public final String key;
        /** Whether the rule is expected to keep per-account state. */
        public final boolean stateful;
        /** What one account's state holds, with the defaults. */
        public final String holds;
        /** Accounts asked for. */
        public final int targetAccounts;
        /** Accounts the measurement was made on: the target, or the target halved until it fitted. */
        public final int accounts;
        /** Events fed. */
        public final long events;
        /** Used heap after, less before, in bytes. */
        public final long retainedBytes;
        /** Keyed entries the rule held at the end, or -1 if there is no way to count them. */
        public final long keyedEntries;
        /** Where {@link #keyedEntries} came from: a method of the rule, a map read reflectively, or none. */
        public final String keyedBy;
        /** Alerts the events raised. */
        public final long alerts;
        /** The alerts by rule name, e.g. {@code velocity-count 20,000}, or empty. */
        public final String alertsByRule;
        /** Seconds the measurement took, heap readings included. */
        public final double seconds;

        Result(
            final Spec spec,
            final int targetAccounts,
            final int accounts,
            final long events,
            final long retainedBytes,
            final long keyedEntries,
            final String keyedBy,
            final long[] alertsByRule,
            final Rule[] rules,
            final double seconds)
        {
            this.id = spec.id;
            this.name = spec.name;
            this.key = spec.key;
            this.stateful = spec.stateful;
            this.holds = spec.holds;
            this.targetAccounts = targetAccounts;
            this.accounts = accounts;
            this.events = events;
            this.retainedBytes = retainedBytes;
            this.keyedEntries = keyedEntries;
            this.keyedBy = keyedBy;
            long total = 0;
            final StringBuilder byRule = new StringBuilder();
            for (final Rule rule : rules)
            {
                final long count = alertsByRule[rule.id()];
                if (count > 0)
                {
                    total += count;
                    byRule.append(byRule.length() > 0 ? ", " : "").append(rule.name())
                        .append(String.format(Locale.ROOT, " %,d", count));
                }
            }
            this.alerts = total;
            this.alertsByRule = byRule.toString();
            this.seconds = seconds;
        }

        /**
         * @return retained bytes per account measured.
         */
        public double bytesPerAccount()
        {
            return (double)retainedBytes / accounts;
        }

        /**
         * @return true if measured on fewer accounts than the target because the target did not fit.
         */
        public boolean scaledDown()
        {
            return accounts < targetAccounts;
        }

        /**
         * @return retained bytes for the target number of accounts: measured, or projected from
         * {@link #bytesPerAccount()} when {@link #scaledDown()}.
         */
        public long bytesAtTarget()
        {
            return scaledDown() ? Math.round(bytesPerAccount() * targetAccounts) : retainedBytes;
        }
    }

    /**
     * Options of a run.
     */
    public static final class Options
    {
        static final String USAGE = String.join(System.lineSeparator(),
            "usage: perf/state-memory [options]",
            "",
            "Retained heap of each typology's state per tracked account, and of the whole default set.",
            "",
            "  --accounts N     distinct accounts to create state for (default 1000000)",
            "  --rules REGEX    rows whose name contains a match (default every rule, and 'all' for the set)",
            "  --format F       table (Markdown, default) or csv",
            "  --budget-mb MB   heap the state measured may take; above it N is halved until it fits",
            "                   (default 9/10 of the old generation's maximum, less what is used at start)",
            "  --timeout S      start no further row after S seconds (default 1800); skipped rows are listed",
            "  --help           this text",
            "");

        int accounts = DEFAULT_ACCOUNTS;
        Pattern rules = Pattern.compile("");
        boolean csv;
        long budgetBytes;
        long timeoutNs = TimeUnit.SECONDS.toNanos(1800);
        boolean help;

        /**
         * @param args command-line arguments.
         * @return the options.
         * @throws IllegalArgumentException naming what is wrong.
         */
        public static Options parse(final String[] args)
        {
            final Options options = new Options();
            BenchmarkSupport.forEachOption(args, () -> options.help = true, (arg, value) ->
            {
                switch (arg)
                {
                    case "--accounts":
                        options.accounts = (int)BenchmarkSupport.number(arg, value, MIN_ACCOUNTS, 100_000_000);
                        break;
                    case "--rules":
                        try
                        {
                            options.rules = Pattern.compile(value);
                        }
                        catch (final PatternSyntaxException ex)
                        {
                            throw new IllegalArgumentException("--rules: not a regular expression: " + value);
                        }
                        break;
                    case "--format":
                        if (!"table".equals(value) && !"csv".equals(value))
                        {
                            throw new IllegalArgumentException("--format must be table or csv, was " + value);
                        }
                        options.csv = "csv".equals(value);
                        break;
                    case "--budget-mb":
                        options.budgetBytes = BenchmarkSupport.number(arg, value, 1, 1 << 20) << 20;
                        break;
                    case "--timeout":
                        options.timeoutNs = TimeUnit.SECONDS.toNanos(BenchmarkSupport.number(arg, value, 1, 86_400));
                        break;
                    default:
                        throw new IllegalArgumentException("unknown option " + arg);
                }
            });
            return options;
        }

    }

    /**
     * Measure and print the table; exit status 0 when every selected row was measured, 1 when one was
     * skipped or failed, 2 on a usage error.
     *
     * @param args options, see {@code --help}.
     */
    public static void main(final String[] args)
    {
        final Options options;
        try
        {
            options = Options.parse(args);
        }
        catch (final IllegalArgumentException ex)
        {
            System.err.println("state-memory: " + ex.getMessage());
            System.err.print(Options.USAGE);
            System.exit(2);
            return;
        }
        if (options.help)
        {
            System.out.print(Options.USAGE);
            return;
        }

        final long start = System.nanoTime();
        final List<Result> results = new ArrayList<>();
        final List<String> skipped = new ArrayList<>();
        boolean ok = true;
        try
        {
            run(options, System.err, results, skipped);
        }
        catch (final RuntimeException | OutOfMemoryError ex)
        {
            System.err.println("state-memory: " + ex);
            ok = false;
        }
        final PrintStream out = System.out;
        if (options.csv)
        {
            printCsv(out, results);
        }
        else
        {
            printHeader(out, options);
            printTable(out, results);
            printNotes(out, results, skipped, System.nanoTime() - start);
        }
        System.exit(ok && skipped.isEmpty() ? 0 : 1);
    }

    /**
     * Measure every selected row, in {@link #specs()} order.
     *
     * @param options of the run.
     * @param log     for progress, two lines per row.
     * @return one result per row measured.
     */
    public static List<Result> run(final Options options, final PrintStream log)
    {
        final List<Result> results = new ArrayList<>();
        final List<String> skipped = new ArrayList<>();
        run(options, log, results, skipped);
        if (!skipped.isEmpty())
        {
            throw new IllegalStateException("skipped after the timeout: " + skipped);
        }
        return results;
    }

    private static void run(
        final Options options, final PrintStream log, final List<Result> results, final List<String> skipped)
    {
        final List<Spec> selected = new ArrayList<>();
        for (final Spec spec : specs())
        {
            if (options.rules.matcher(spec.name).find())
            {
                selected.add(spec);
            }
        }
        if (selected.isEmpty())
        {
            throw new IllegalArgumentException("--rules matches no row");
        }

        final long start = System.nanoTime();
        final long baseline = settledUsedHeap(MIN_GCS);
        final long budget = options.budgetBytes > 0 ? options.budgetBytes : defaultBudget(baseline);
        log.printf(Locale.ROOT, "state-memory: %d rows, %,d accounts, budget %,d MiB, used heap at start %.1f MiB%n",
            selected.size(), options.accounts, budget >> 20, baseline / 1048576.0);

        int row = 0;
        for (final Spec spec : selected)
        {
            row++;
            if (System.nanoTime() - start > options.timeoutNs)
            {
                skipped.add(spec.name);
                log.printf("[%2d/%d] %s: skipped, past the timeout%n", row, selected.size(), spec.name);
                continue;
            }
            final int target = options.accounts;
            int probeAccounts = target;
            while (probeAccounts > PROBE_ACCOUNTS && (probeAccounts >> 1) >= MIN_ACCOUNTS)
            {
                probeAccounts >>= 1;
            }
            final Result probe = measure(spec, target, probeAccounts, 1);
            final double probeBytes = Math.max(1.0, probe.bytesPerAccount());
            int accounts = target;
            while (accounts > MIN_ACCOUNTS && accounts * probeBytes * FIT_MARGIN > budget)
            {
                accounts >>= 1;
            }
            log.printf(Locale.ROOT, "[%2d/%d] %s: probe of %,d accounts %,.0f B/account; measuring %,d accounts " +
                "(%,d events)%s%n", row, selected.size(), spec.name, probeAccounts, probe.bytesPerAccount(),
                accounts, (long)accounts * spec.rounds, accounts < target ? ", the target does not fit" : "");
            final Result result = measure(spec, target, accounts, MIN_GCS);
            log.printf(Locale.ROOT, "[%2d/%d] %s: %,.1f MiB retained, %,.1f B/account, keyed entries %s, " +
                "%,d alerts%s, %.1f s%n", row, selected.size(), spec.name, result.retainedBytes / 1048576.0,
                result.bytesPerAccount(), result.keyedEntries < 0 ? "n/a" : String.format("%,d", result.keyedEntries),
                result.alerts, result.alerts > 0 ? " (" + result.alertsByRule + ")" : "", result.seconds);
            results.add(result);
        }
    }

    /**
     * One measurement: fresh rules, used heap, feed, used heap.
     *
     * @param spec           the row.
     * @param targetAccounts asked for.
     * @param accounts       to create state for.
     * @param minGcs         collections at least per heap reading; 1 for a quick probe.
     * @return what it found.
     */
    static Result measure(final Spec spec, final int targetAccounts, final int accounts, final int minGcs)
    {
        final long start = System.nanoTime();
        final Rule[] rules = spec.newRules();
        final TxEvent slot = new TxEvent(1, 64);
        final RuleWorker worker = worker(rules);
        final Feed feed = spec.feed;
        final long[] alertsByRule = new long[AlertIds.MAX_RULE_ID + 1];
        final AlertBuffer alerts = slot.alerts(0);

        final long before = settledUsedHeap(minGcs);
        long offset = 0;
        for (int round = 0; round < spec.rounds; round++)
        {
            for (int index = 0; index < accounts; index++)
            {
                slot.reset();
                slot.offset = offset;
                slot.ingestTime = T0 + offset * EVENT_TIME_STEP;
                slot.eventTime = slot.ingestTime;
                feed.fill(slot, round, index, accounts);
                worker.evaluate(slot);
                for (int k = 0, n = alerts.count(); k < n; k++)
                {
                    alertsByRule[alerts.get(k).ruleId()]++;
                }
                offset++;
            }
        }
        final long after = settledUsedHeap(minGcs);
        if (alerts.overflowCount() > 0)
        {
            throw new IllegalStateException(spec.name + ": " + alerts.overflowCount() + " alerts overflowed the slot");
        }

        final KeyCount keys = 1 == rules.length ? keyedEntries(rules[0]) : KeyCount.NONE;
        Reference.reachabilityFence(rules);
        Reference.reachabilityFence(worker);
        Reference.reachabilityFence(slot);
        return new Result(spec, targetAccounts, accounts, offset, after - before, keys.count, keys.source,
            alertsByRule, rules, (System.nanoTime() - start) / 1e9);
    }

    /**
     * The rows: one per typology of {@link Typologies#catalog()}, in its order, then the whole set.
     *
     * @return every row this program knows.
     * @throws IllegalStateException if a typology of the catalogue has no entry in {@link #rows()}, or an entry
     *                               names no typology.
     */
    static List<Spec> specs()
    {
        return specs(rows());
    }

    /**
     * @param rows what to feed each typology, by name; entries are taken out as they are used.
     * @return the rows of the catalogue's typologies, in its order, then the whole set.
     */
    static List<Spec> specs(final Map<String, Row> rows)
    {
        final List<Spec> specs = new ArrayList<>();
        for (final RuleType<?> type : Typologies.catalog())
        {
            final Row row = rows.remove(type.name());
            if (null == row)
            {
                throw new IllegalStateException("typology " + type.name() + " (id " + type.id() + ") has no row in " +
                    "RuleStateFootprint.rows(): add the events that make it keep state for an account and what it holds");
            }
            specs.add(new Spec(type.id(), type.name(), row.key, row.stateful, row.rounds, row.feed, row.holds));
        }
        if (!rows.isEmpty())
        {
            throw new IllegalStateException("RuleStateFootprint.rows() names typologies not in the catalogue: " +
                rows.keySet());
        }

        final List<Spec> parts = new ArrayList<>(specs);
        int rounds = 0;
        for (final Spec part : parts)
        {
            rounds += part.rounds;
        }
        final Spec[] partOfRound = new Spec[rounds];
        final int[] roundOfPart = new int[rounds];
        int round = 0;
        for (final Spec part : parts)
        {
            for (int r = 0; r < part.rounds; r++)
            {
                partOfRound[round] = part;
                roundOfPart[round] = r;
                round++;
            }
        }
        specs.add(new Spec(0, ALL, "every key above", true, rounds,
            (e, r, i, m) -> partOfRound[r].feed.fill(e, roundOfPart[r], i, m),
            "all of the above: every row's events fed to one worker running all " + parts.size()));
        specs.add(new Spec(0, ALL_FEW_PAYMENTS, "a payments account: debtor and creditor", true, 3,
            (e, r, i, m) -> payment(e, i, counterparty(i, r, m), amount(i), WIRE),
            "the whole set, for an account seen a few times: 3 payments sent and 3 received"));
        specs.add(new Spec(0, ALL_FEW_ORDERS, "a trading account", true, 5,
            (e, r, i, m) ->
            {
                if (0 == r)
                {
                    accountUpdate(e, i, UPDATE);
                }
                else if (r < 4)
                {
                    order(e, i, orderId(24, r, i), NEW, BUY, PRICE + 1_000L * r, 100L, 2);
                }
                else
                {
                    execution(e, i, (i + 1) % m, 1, BUY);
                }
            },
            "the whole set, for an account seen a few times: an update, 3 orders and an execution (and one as the " +
                "counterparty)"));
        return specs;
    }

    /**
     * What each typology is fed, by name: the tool's knowledge of which events make a rule keep state. A
     * typology added to the catalogue needs an entry here, or {@link #specs()} refuses to run.
     *
     * @return a new map, one entry per typology.
     */
    static Map<String, Row> rows()
    {
        final Map<String, Row> rows = new HashMap<>();
        final Feed payments = (e, r, i, m) -> payment(e, i, counterparty(i, r, m), amount(i), WIRE);

        rows.put(LargeAmountRule.NAME, new Row("debtor", false, 1, payments, "nothing (stateless)"));
        rows.put(LargeVersusHistoryRule.NAME, new Row("debtor", true, 3, payments,
            "a view of the shared payment history (time, amount, offset, consumed bits: 32 B a payment), up to 64"));
        rows.put(VelocityCountRule.NAME, new Row("debtor", true, 3, payments,
            "a view of the shared payment history, up to 64 payments"));
        rows.put(VelocitySumRule.NAME, new Row("debtor", true, 3, payments,
            "a view of the shared payment history, up to 128 payments"));
        rows.put(StructuringRule.NAME, new Row("debtor with a near-threshold payment", true, 2,
            (e, r, i, m) -> payment(e, i, counterparty(i, r, m), 950_000L, WIRE),
            "a history of its own (near-threshold payments, 32 B each), up to 32"));
        rows.put(RepeatedAmountRule.NAME, new Row("debtor", true, 3, payments,
            "a view of the shared payment history, up to 64 payments"));
        rows.put(RoundAmountRule.NAME, new Row("debtor with a round payment", true, 2,
            (e, r, i, m) -> payment(e, i, counterparty(i, r, m), 500_000L + 100_000L * r, WIRE),
            "a history of its own (round payments, 32 B each), up to 32"));
        rows.put(FanInRule.NAME, new Row("creditor", true, 3, payments,
            "distinct senders (account, time, offset: 24 B each) in one long[], up to 64"));
        rows.put(FanOutRule.NAME, new Row("debtor", true, 3, payments,
            "distinct beneficiaries (account, time, offset: 24 B each) in one long[], up to 64"));
        rows.put(PassThroughRule.NAME, new Row("creditor of an inbound payment", true, 3, payments,
            "ring of inbound payments (time, amount, offset, currency: 32 B each) in one long[], up to 16"));
        rows.put(DormantReactivatedRule.NAME, new Row("debtor and creditor", true, 2, payments,
            "last activity time and offset: two long columns of the account store"));
        rows.put(NewAccountLargeRule.NAME, new Row("account opened", true, 1,
            (e, r, i, m) -> accountUpdate(e, i, OPEN),
            "open time and offset: two long columns of the account store"));
        rows.put(NewPayeeLargeRule.NAME, new Row("debtor", true, 3, payments,
            "payees and last-paid times (16 B each) in one long[], up to 256"));
        rows.put(CardTestingRule.NAME, new Row("debtor with a small card payment", true, 3,
            (e, r, i, m) -> payment(e, i, counterparty(i, r, m), 100L, CARD),
            "ring of small card payments (time, offset: 16 B each) in one long[], up to 32"));
        rows.put(ImpossibleTravelRule.NAME, new Row("debtor with a positioned card payment", true, 2,
            (e, r, i, m) -> positionedCardPayment(e, i, counterparty(i, r, m)),
            "last positioned card payment: one object of 3 longs and 2 ints"));
        rows.put(HighRiskCountryRule.NAME, new Row("debtor", false, 1, payments, "nothing (stateless)"));
        rows.put(WatchListRule.NAME, new Row("every account in an AccountUpdate", true, 1,
            (e, r, i, m) -> accountUpdate(e, i, UPDATE),
            "party and update offset: two long columns of the account store"));
        rows.put(CycleRule.NAME, new Row("every debtor (all workers)", true, 3, payments,
            "slot and ring of outgoing payments (creditor, time, offset, slot: 28 B each) in the edge store, up to 16"));
        rows.put(WashTradeRule.NAME, new Row("every account in an AccountUpdate", true, 2,
            (e, r, i, m) ->
            {
                if (0 == r)
                {
                    accountUpdate(e, i, UPDATE);
                }
                else
                {
                    execution(e, i, (i + 1) % m, 1, BUY);
                }
            },
            "party and update offset: two long columns of the account store"));
        rows.put(SpoofingRule.NAME, new Row("order or execution account", true, 2,
            (e, r, i, m) ->
            {
                if (0 == r)
                {
                    order(e, i, orderId(20, 0, i), NEW, BUY, PRICE, 10_000L, 1);
                }
                else
                {
                    execution(e, i, (i + 1) % m, 1, SELL);
                }
            },
            "rings of large orders (48 B each) and executions (40 B each), one long[] each, up to 64 of each"));
        rows.put(LayeringRule.NAME, new Row("order account", true, 3,
            (e, r, i, m) -> order(e, i, orderId(21, r, i), NEW, BUY, PRICE + 1_000L * r, 100L, 2),
            "ring of new orders (56 B each) in one long[], up to 64"));
        rows.put(ExcessiveCancelRule.NAME, new Row("order or execution account", true, 3,
            (e, r, i, m) ->
            {
                if (r < 2)
                {
                    order(e, i, orderId(22, r, i), NEW, SELL, PRICE, 100L, 3);
                }
                else
                {
                    order(e, i, orderId(22, 0, i), CANCEL, SELL, PRICE, 100L, 3);
                }
            },
            "ring of order messages (time, offset with kind: 16 B each) in one long[], up to 512"));
        rows.put(MarkingTheCloseRule.NAME, new Row("execution account", true, 2,
            (e, r, i, m) -> execution(e, i, (i + 1) % m, 1 + r, BUY),
            "instrument slots (48 B each) in one long[], evidence (128 B a slot) once in a close window; up to 32"));
        rows.put(FlowThroughRule.NAME, new Row("creditor of a payment (the hub), then as debtor", true, 3, payments,
            "rings of inflows and outflows (time, amount, offset, counterparty: 32 B each), a long[] each, up to 32"));

        return rows;
    }

    // ----------------------------------------------------------------------------------------------------------
    // events
    // ----------------------------------------------------------------------------------------------------------

    static long account(final int index)
    {
        return FIRST_ACCOUNT + index;
    }

    /**
     * @return the creditor of account index i's payment of round r: i + r + 1, so that every account is the
     * creditor of as many payments as it is the debtor of, each from a distinct debtor.
     */
    static int counterparty(final int index, final int round, final int accounts)
    {
        return (int)(((long)index + round + 1) % accounts);
    }

    /**
     * @return 100.00 to 800.00 by account index: accounts 1 to 3 apart differ by at least a factor of two, so
     * no outbound payment is within pass-through's tolerance of an inbound one.
     */
    static long amount(final int index)
    {
        return 10_000L << (index & 3);
    }

    private static long orderId(final int rule, final int round, final int index)
    {
        return ((long)(rule * 16 + round) << 32) | index;
    }

    private static void payment(
        final TxEvent e, final int debtor, final int creditor, final long amount, final int channel)
    {
        e.templateId = PaymentDecoder.TEMPLATE_ID;
        e.txId = e.offset;
        e.debtorAccount = account(debtor);
        e.creditorAccount = account(creditor);
        e.amount = amount;
        e.currency = EUR;
        e.channel = channel;
        e.debtorCountry = DE;
        e.creditorCountry = FR;
        e.latitude = Integer.MIN_VALUE;
        e.longitude = Integer.MIN_VALUE;
    }

    private static void positionedCardPayment(final TxEvent e, final int debtor, final int creditor)
    {
        payment(e, debtor, creditor, amount(debtor), CARD);
        e.latitude = LATITUDE;
        e.longitude = LONGITUDE;
    }

    private static void accountUpdate(final TxEvent e, final int index, final int action)
    {
        e.templateId = AccountUpdateDecoder.TEMPLATE_ID;
        e.account = account(index);
        e.partyId = FIRST_PARTY + index;
        e.action = action;
        e.country = DE;
    }

    private static void order(
        final TxEvent e,
        final int index,
        final long orderId,
        final int action,
        final int side,
        final long price,
        final long quantity,
        final long instrument)
    {
        e.templateId = OrderDecoder.TEMPLATE_ID;
        e.orderId = orderId;
        e.account = account(index);
        e.instrument = instrument;
        e.price = price;
        e.quantity = quantity;
        e.side = side;
        e.action = action;
    }

    private static void execution(
        final TxEvent e, final int index, final int counterparty, final long instrument, final int side)
    {
        e.templateId = ExecutionDecoder.TEMPLATE_ID;
        e.execId = e.offset;
        e.orderId = e.offset;
        e.account = account(index);
        e.counterpartyAccount = account(counterparty);
        e.instrument = instrument;
        e.price = PRICE;
        e.quantity = 100L;
        e.side = side;
    }

    // ----------------------------------------------------------------------------------------------------------
    // heap
    // ----------------------------------------------------------------------------------------------------------

    /**
     * Collect until the used heap is stable.
     *
     * @param minGcs collections at least.
     * @return used heap, bytes.
     * @throws IllegalStateException if {@link System#gc()} collects nothing.
     */
    static long settledUsedHeap(final int minGcs)
    {
        long previous = -1;
        long used = -1;
        for (int i = 0; i < MAX_GCS; i++)
        {
            final long collections = collectionCount();
            System.gc();
            if (collectionCount() == collections)
            {
                throw new IllegalStateException(
                    "System.gc() ran no collection (-XX:+DisableExplicitGC?): the heap cannot be measured");
            }
            used = usedAfterLastCollection();
            if (i + 1 >= minGcs && (1 == minGcs || Math.abs(used - previous) <= STABLE_BYTES))
            {
                break;
            }
            previous = used;
        }
        return used;
    }

    /**
     * @return used heap as the last collection left it: the sum of the heap pools' collection usage. Unlike
     * the used heap now, it leaves out what was allocated since, e.g. the fresh TLAB of the thread reading it
     * (4 MB or more of eden that ParallelGC counts as used).
     */
    static long usedAfterLastCollection()
    {
        long used = 0;
        for (final MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans())
        {
            final MemoryUsage usage = pool.getCollectionUsage();
            if (MemoryType.HEAP == pool.getType() && null != usage)
            {
                used += usage.getUsed();
            }
        }
        return used;
    }

    private static long collectionCount()
    {
        long count = 0;
        for (final GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans())
        {
            count += Math.max(0, gc.getCollectionCount());
        }
        return count;
    }

    /**
     * @param used heap already used.
     * @return {@value #HEAP_SHARE} of the old generation's maximum (of the heap's if there is no such pool), less
     * what is used.
     */
    static long defaultBudget(final long used)
    {
        long max = Runtime.getRuntime().maxMemory();
        for (final MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans())
        {
            final String name = pool.getName();
            final long poolMax = pool.getUsage().getMax();
            if (MemoryType.HEAP == pool.getType() && (name.contains("Old") || name.contains("Tenured")) &&
                poolMax > 0)
            {
                max = Math.min(max, poolMax);
            }
        }
        return Math.max(1L << 20, (long)(max * HEAP_SHARE) - used);
    }

    /**
     * The number of keyed entries a rule holds: from its {@code accounts()}, {@code trackedAccounts()} or
     * {@code knownAccounts()} when it has one, else the accounts in its first object column (a field, or the column
     * of a field's holder) or the size of its first {@link Long2ObjectHashMap} or {@link Long2LongHashMap} field,
     * read reflectively (labelled so).
     *
     * @param rule to count.
     * @return the count and where it came from, or {@link KeyCount#NONE}.
     */
    static KeyCount keyedEntries(final Rule rule)
    {
        for (final String name : COUNT_METHODS)
        {
            try
            {
                final Method method = rule.getClass().getMethod(name);
                final Class<?> type = method.getReturnType();
                if (int.class == type || long.class == type)
                {
                    method.setAccessible(true);
                    return new KeyCount(((Number)method.invoke(rule)).longValue(), name + "()");
                }
            }
            catch (final NoSuchMethodException ex)
            {
                // try the next name
            }
            catch (final IllegalAccessException | InvocationTargetException | RuntimeException ex)
            {
                throw new IllegalStateException(rule.name() + ": " + name + "() failed", ex);
            }
        }
        for (Class<?> c = rule.getClass(); Object.class != c; c = c.getSuperclass())
        {
            for (final Field field : c.getDeclaredFields())
            {
                final Class<?> type = field.getType();
                final Field inner = AccountStore.ObjectColumn.class == type ? null : columnInside(type);
                if (!Modifier.isStatic(field.getModifiers()) &&
                    (AccountStore.ObjectColumn.class == type || null != inner))
                {
                    try
                    {
                        field.setAccessible(true);
                        Object column = field.get(rule);
                        if (null != inner)
                        {
                            inner.setAccessible(true);
                            column = inner.get(column);
                        }
                        return new KeyCount(((AccountStore.ObjectColumn<?>)column).count(),
                            "accounts in column " + field.getName() + " (reflective)");
                    }
                    catch (final IllegalAccessException | RuntimeException ex)
                    {
                        return new KeyCount(-1, "none (" + field.getName() + " not readable)");
                    }
                }
                if (!Modifier.isStatic(field.getModifiers()) &&
                    (Long2ObjectHashMap.class == type || Long2LongHashMap.class == type))
                {
                    try
                    {
                        field.setAccessible(true);
                        final Object map = field.get(rule);
                        final long size = map instanceof Long2LongHashMap ?
                            ((Long2LongHashMap)map).size() : ((Long2ObjectHashMap<?>)map).size();
                        return new KeyCount(size, "size of field " + field.getName() + " (reflective)");
                    }
                    catch (final IllegalAccessException | RuntimeException ex)
                    {
                        return new KeyCount(-1, "none (" + field.getName() + " not readable)");
                    }
                }
            }
        }
        return KeyCount.NONE;
    }

    /**
     * @param type of a rule's field.
     * @return the {@link AccountStore.ObjectColumn} field of a holder of the project's own that keeps one (such as
     * the typologies' objects per account), or {@code null}.
     */
    private static Field columnInside(final Class<?> type)
    {
        if (type.isPrimitive() || type.isArray() || !type.getName().startsWith("io.txmon."))
        {
            return null;
        }
        for (final Field field : type.getDeclaredFields())
        {
            if (!Modifier.isStatic(field.getModifiers()) && AccountStore.ObjectColumn.class == field.getType())
            {
                return field;
            }
        }
        return null;
    }

    private static RuleWorker worker(final Rule[] rules)
    {
        final RingBuffer<TxEvent> ring = RingBuffer.createSingleProducer(() -> new TxEvent(1, 1), 2);
        final CountersManager counters = new CountersManager(
            new UnsafeBuffer(ByteBuffer.allocateDirect(16 * 1024)),
            new UnsafeBuffer(ByteBuffer.allocateDirect(2 * 1024)));
        return new RuleWorker(0, 1, ring.newPoller(), rules,
            (rule, offset, error) ->
            {
                throw new IllegalStateException("rule " + rule.name() + " threw at offset " + offset, error);
            },
            counters.newCounter("evaluated"), counters.newCounter("rule errors"), 1024);
    }

    // ----------------------------------------------------------------------------------------------------------
    // output
    // ----------------------------------------------------------------------------------------------------------

    private static void printHeader(final PrintStream out, final Options options)
    {
        final Runtime runtime = Runtime.getRuntime();
        final List<String> gcs = new ArrayList<>();
        for (final GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans())
        {
            gcs.add(gc.getName());
        }
        out.printf(Locale.ROOT, "txmon rule state memory, %,d accounts%n", options.accounts);
        out.printf(Locale.ROOT, "  jvm       %s %s, %d cores, max heap %,d MiB, GC %s%n",
            System.getProperty("java.vm.name"), System.getProperty("java.runtime.version"),
            runtime.availableProcessors(), runtime.maxMemory() >> 20, String.join(", ", gcs));
        out.printf("  jvm args  %s%n", String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
        out.println();
    }

    /**
     * Print the results as a Markdown table.
     *
     * @param out     to print to.
     * @param results to print.
     */
    static void printTable(final PrintStream out, final List<Result> results)
    {
        final int target = results.isEmpty() ? 0 : results.get(0).targetAccounts;
        out.printf(Locale.ROOT, "| id | rule | keyed on | accounts | events fed | retained MB | bytes/account | " +
            "keyed entries | MB at %,d accounts | one account's state holds |%n", target);
        out.println("|---:|---|---|---:|---:|---:|---:|---:|---:|---|");
        for (final Result r : results)
        {
            out.printf(Locale.ROOT, "| %s | %s | %s | %,d | %,d | %,.1f | %,.0f | %s | %s%,.0f | %s |%n",
                0 == r.id ? "1–" + Typologies.catalog().size() : Integer.toString(r.id), r.name, r.key, r.accounts,
                r.events,
                r.retainedBytes / 1e6, r.bytesPerAccount(),
                r.keyedEntries < 0 ? "n/a" : String.format(Locale.ROOT, "%,d%s", r.keyedEntries,
                    r.keyedBy.contains("reflective") ? "*" : ""),
                r.scaledDown() ? "≈ " : "", r.bytesAtTarget() / 1e6, r.holds);
        }
    }

    /**
     * Print the results as CSV, one row per result.
     *
     * @param out     to print to.
     * @param results to print.
     */
    static void printCsv(final PrintStream out, final List<Result> results)
    {
        out.println("id,rule,keyed_on,target_accounts,accounts,events,retained_bytes,bytes_per_account," +
            "keyed_entries,keyed_by,bytes_at_target,projected,alerts,seconds,holds");
        for (final Result r : results)
        {
            out.printf(Locale.ROOT, "%d,%s,\"%s\",%d,%d,%d,%d,%.1f,%d,\"%s\",%d,%b,%d,%.1f,\"%s\"%n",
                r.id, r.name, r.key, r.targetAccounts, r.accounts, r.events, r.retainedBytes, r.bytesPerAccount(),
                r.keyedEntries, r.keyedBy, r.bytesAtTarget(), r.scaledDown(), r.alerts, r.seconds, r.holds);
        }
    }

    private static void printNotes(
        final PrintStream out, final List<Result> results, final List<String> skipped, final long elapsedNs)
    {
        out.println();
        out.println("MB = 10^6 bytes. accounts: those state was created for; when N accounts' state does not fit the");
        out.println("heap budget, N halved until it does (the hash tables then have the same load as at N), and the");
        out.println("last column is a projection (≈). keyed entries: from the rule's accounts(), trackedAccounts() or");
        out.println("knownAccounts(); * = the size of its key map read reflectively (the rule exposes no count).");
        double sum = 0;
        Result all = null;
        for (final Result r : results)
        {
            if (ALL.equals(r.name))
            {
                all = r;
            }
            else if (0 != r.id)
            {
                sum += r.bytesPerAccount();
            }
        }
        if (null != all && results.size() == specs().size())
        {
            out.printf(Locale.ROOT, "Whole set: %,.0f bytes/account; the rules measured alone sum to %,.0f.%n",
                all.bytesPerAccount(), sum);
        }
        if (!skipped.isEmpty())
        {
            out.println("Skipped (past the timeout): " + String.join(", ", skipped));
        }
        out.printf(Locale.ROOT, "Run time %.0f s.%n", elapsedNs / 1e9);
    }
}
