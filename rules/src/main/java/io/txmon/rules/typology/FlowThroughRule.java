package io.txmon.rules.typology;

import io.txmon.events.codec.PaymentDecoder;
import io.txmon.events.codec.Severity;
import io.txmon.rules.AlertRecord;
import io.txmon.rules.ReasonBuilder;
import io.txmon.rules.RuleContext;
import io.txmon.rules.TxEvent;
import io.txmon.rules.state.AccountStore;
import io.txmon.rules.state.StateReader;
import io.txmon.rules.state.StateWriter;

import java.util.Arrays;

import static io.txmon.rules.typology.ParameterChecks.atLeast;
import static io.txmon.rules.typology.ParameterChecks.check;
import static io.txmon.rules.typology.ParameterChecks.positive;
import static io.txmon.rules.typology.ParameterChecks.range;
import static io.txmon.rules.typology.ParameterChecks.set;

/**
 * Flow-through (funnel account, gather-scatter, rapid movement of funds): an account receives payments from several
 * senders and, within a holding window of days, pays most of that money on to several beneficiaries. Keyed on the
 * hub account: the creditor of the inflows and the debtor of the outflows, so one worker sees both. Amounts are
 * compared in the reference currency ({@link io.txmon.rules.config.Money}), payments to itself are ignored, and only
 * an outflow can alert.
 * <p>
 * <b>The decision</b>, on an outflow at time {@code t} of a hub, once it is recorded: the <em>inflows counted</em> are
 * the hub's inflows with {@code lower < time <= t}, where {@code lower} is {@code t - holdingWindowNanos}, or the
 * newest flow a full ring dropped if that is later (so the totals compared are always complete); {@code first} is the
 * earliest of them. The <em>outflows counted</em> are the hub's outflows with {@code first <= time <= t}: money out
 * that followed money in, the triggering outflow included. It alerts when all of these hold:
 * <ol>
 *     <li>at least {@code minSenders} distinct senders among the inflows counted, and the {@code minSenders - 1}
 *     largest of them (by what each sent) sent at most {@code maxConcentrationBps} of the inflow;</li>
 *     <li>at least {@code minBeneficiaries} distinct beneficiaries among the outflows counted, and the
 *     {@code minBeneficiaries - 1} largest of them received at most {@code maxConcentrationBps} of the outflow;</li>
 *     <li>{@code minRatioBps <= out * 10000 / in <= maxRatioBps}, compared exactly (128-bit products), {@code in} and
 *     {@code out} the totals of the flows counted (sums saturate at {@link Long#MAX_VALUE});</li>
 *     <li>{@code min(in, out) >= minAmount}: at least that much came in and went out;</li>
 *     <li>the hub is not quiet: the shape (1 to 4) did not already hold for it within {@code usualWindows}
 *     holding windows of {@code t}, either way, alerted or not.</li>
 * </ol>
 * The quiet time is the account's own usual: a household with two incomes that pays its rent and bills from them
 * every month has this shape every month; it alerts the first time and, as long as the shape comes back within
 * {@code usualWindows} holding windows (40 days at the default, longer than a month), never again. A hub with no
 * such history alerts the first time its money flows through, as before; one that keeps flowing alerts once.
 * The concentration test of 1 and 2 makes "several" mean several that matter: a salary and a small refund are one
 * payer, not two; with {@code minSenders} ({@code minBeneficiaries}) 1 it always holds.
 * <p>
 * Evidence: the offsets of the inflows counted, ascending, then of the outflows counted, ascending (the triggering
 * outflow, the newest offset, last): at most {@code 2 * maxFlowsTracked}, which is at most
 * {@link AlertRecord#MAX_EVIDENCE}. Score: {@code 400 + 200 * min(in, out) / max(in, out) + 50} per distinct
 * counterparty beyond the two minimums (at most 200) {@code + 200 * (holdingWindow - (t - first)) / holdingWindow}:
 * fuller, wider and faster flows score higher, 400 to 1000 (double arithmetic, truncated).
 * <p>
 * Per-key memory: a {@link Hub} of 40 bytes (its two rings, the time its shape last held and where counting starts)
 * and two {@link WindowRing}s, inflows and outflows, each of at most {@code maxFlowsTracked} records of four longs in
 * one {@code long[]} (time, amount in the reference currency, offset, counterparty: 32 bytes per record, 48 bytes of
 * object and array header): 152 bytes for an account that has received a payment (2 inflow slots), 264 once it has
 * paid too, 2,184 with both rings at the default 32. The hub is made on an account's first inflow; its outflow ring on
 * its first outflow after that (an outflow of an account that has received nothing is not kept: money out before any
 * money in is not passing through, and only a late inflow dated before it could have counted it). Rings start with 2
 * records and double up to {@code maxFlowsTracked}; when one is full a record a window or more ahead of the event is
 * replaced first, else the oldest, counted in {@link #droppedEntries()}, and unless it was a window or more ahead, the
 * hub counts only flows after it from then on. The hub is kept in a column
 * of the worker's {@link AccountStore} (the rule's own store until {@link #bind}) and goes when the store evicts the
 * account: its flows and quiet time are forgotten, and the hub, emptied but with the arrays it had grown, is kept for
 * the next account to make one.
 * <p>
 * Late events: a flow older than the newest of its ring is counted in {@link #lateEvents()}, kept, and (an outflow)
 * evaluated at its own time against the rings as they stand.
 * <p>
 * State in a snapshot: the number of hubs (int), then per hub, in ascending order of id: its id, the time its shape
 * last held ({@link Long#MIN_VALUE} for never) and the time after which flows count ({@link Long#MIN_VALUE} for any)
 * (longs); then the inflow ring and the outflow ring, each as the event time of its newest flow (long), its size (int,
 * 0 to {@code maxFlowsTracked}) and its records in slot order, each as time, amount, offset and counterparty (longs).
 * Slot order is kept because it decides which record a full ring replaces. A hub without an outflow ring writes an
 * empty one (newest {@link Long#MIN_VALUE}, size 0), which decides alike. Read back, the amounts must be positive, the
 * offsets not negative, no counterparty the hub itself, and the hubs in ascending order, each once.
 * {@link #droppedEntries()} and {@link #lateEvents()} are monitoring only and are not written.
 * <p>
 * Single threaded: one instance belongs to one rule worker.
 */
public final class FlowThroughRule extends TypologyRule<FlowThroughRule.Parameters>
{
    /** Default holding windows after the shape last held during which it is the account's usual. */
    public static final int DEFAULT_USUAL_WINDOWS = 4;

    /** Stable rule id. */
    public static final int ID = 24;
    /** Version of the logic. */
    public static final int VERSION = 1;
    /** Name of the typology. */
    public static final String NAME = "flow-through";
    /** Most flows kept per hub and direction: both rings' records fit in one alert's evidence. */
    public static final int MAX_FLOWS_TRACKED = AlertRecord.MAX_EVIDENCE / 2;

    private static final long DAY_NANOS = 86_400L * 1_000_000_000L;
    private static final int BPS = 10_000;

    /**
     * Parameters of flow-through.
     *
     * @param holdingWindowNanos  longest time from the first inflow counted to the triggering outflow, exclusive, in
     *                            event-time nanoseconds; default 10 days.
     * @param minSenders          distinct senders needed, 1 to {@code maxFlowsTracked}; default 2.
     * @param minBeneficiaries    distinct beneficiaries needed, 1 to {@code maxFlowsTracked}; default 2.
     * @param minRatioBps         least outflow per inflow, in basis points, 0 to 1,000,000; default 5,000 (half).
     * @param maxRatioBps         most outflow per inflow, in basis points, {@code minRatioBps} to 1,000,000; default
     *                            20,000 (twice).
     * @param maxConcentrationBps most of the inflow (outflow) that the {@code minSenders - 1} largest senders
     *                            ({@code minBeneficiaries - 1} largest beneficiaries) may account for, in basis
     *                            points, 1 to 10,000; default 9,000 (90%).
     * @param minAmount           least that must come in and go out, in minor units of the reference currency;
     *                            default 100,000 (1,000.00 EUR).
     * @param maxFlowsTracked     inflows, and outflows, kept per hub, the larger of {@code minSenders} and
     *                            {@code minBeneficiaries} to {@value #MAX_FLOWS_TRACKED}; default 32.
     * @param usualWindows        holding windows after the shape last held (alerted or not) in which it is the
     *                            account's usual and does not alert, 1 to 100; default 4 (40 days: a monthly
     *                            household pattern stays quiet after its first month).
     * @param severity            of the alerts; default {@link Severity#MEDIUM}.
     */
    public record Parameters(
        long holdingWindowNanos,
        int minSenders,
        int minBeneficiaries,
        int minRatioBps,
        int maxRatioBps,
        int maxConcentrationBps,
        long minAmount,
        int maxFlowsTracked,
        int usualWindows,
        Severity severity)
    {
        /** Default parameters. */
        public static final Parameters DEFAULTS =
            new Parameters(10 * DAY_NANOS, 2, 2, 5_000, 20_000, 9_000, 100_000L, MAX_FLOWS_TRACKED,
                DEFAULT_USUAL_WINDOWS, Severity.MEDIUM);

        /**
         * Validates every parameter.
         *
         * @throws IllegalArgumentException naming the parameter that is out of range.
         */
        public Parameters
        {
            positive(NAME, "holdingWindowNanos", holdingWindowNanos);
            range(NAME, "minSenders", minSenders, 1, MAX_FLOWS_TRACKED);
            range(NAME, "minBeneficiaries", minBeneficiaries, 1, MAX_FLOWS_TRACKED);
            range(NAME, "minRatioBps", minRatioBps, 0, 100 * BPS);
            range(NAME, "maxRatioBps", maxRatioBps, "minRatioBps", minRatioBps, 100 * BPS);
            range(NAME, "maxConcentrationBps", maxConcentrationBps, 1, BPS);
            atLeast(NAME, "minAmount", minAmount, 1);
            check(
                maxFlowsTracked >= Math.max(minSenders, minBeneficiaries) && maxFlowsTracked <= MAX_FLOWS_TRACKED,
                NAME,
                "maxFlowsTracked",
                "minSenders " + minSenders + " and minBeneficiaries " + minBeneficiaries + " to " + MAX_FLOWS_TRACKED,
                maxFlowsTracked);
            range(NAME, "usualWindows", usualWindows, 1, 100);
            set(NAME, "severity", severity);
        }
    }

    /** Field of a flow, after {@link WindowRing#TIME}: the amount in minor units of the reference currency. */
    private static final int AMOUNT = 1;
    /** Field of a flow: its journal offset, the evidence. */
    private static final int OFFSET = 2;
    /** Field of a flow: the sender of an inflow, the beneficiary of an outflow. */
    private static final int COUNTERPARTY = 3;
    /** Longs per flow. */
    private static final int STRIDE = 4;
    /** Bytes of a hub in a snapshot besides its flows: id, when its shape last held, counting start, ring headers. */
    private static final int HUB_BYTES = 3 * Long.BYTES + 2 * (Long.BYTES + Integer.BYTES);
    /** Bytes of one flow in a snapshot. */
    private static final int FLOW_BYTES = STRIDE * Long.BYTES;

    private final AccountObjects<Hub> hubs =
        new AccountObjects<>(this, Hub::reset, () -> new Hub(parameters().maxFlowsTracked));
    /** Scratch: the counterparties of the flows counted, then their totals; never read across events. */
    private final long[] counterparties;
    /** Scratch: the amounts of the flows counted, then their offsets; never read across events. */
    private final long[] values;
    private long droppedEntries;
    private long lateEvents;

    /**
     * Flow-through with {@link Parameters#DEFAULTS}.
     */
    public FlowThroughRule()
    {
        this(Parameters.DEFAULTS);
    }

    /**
     * @param parameters validated parameters.
     */
    public FlowThroughRule(final Parameters parameters)
    {
        super(ID, VERSION, NAME, parameters);
        counterparties = new long[parameters.maxFlowsTracked];
        values = new long[parameters.maxFlowsTracked];
    }

    /**
     * Unbounded: a hub is quiet while its shape keeps coming back, and where its counting starts depends on what
     * its full rings dropped, so whether an outflow alerts depends on history before any fixed horizon.
     *
     * @return {@link Long#MAX_VALUE}.
     */
    public long horizonNanos()
    {
        return Long.MAX_VALUE;
    }

    /**
     * @return {@link #PAYMENT}: the only template read.
     */
    public long templates()
    {
        return PAYMENT;
    }

    /**
     * Moves the hubs into the worker's account store.
     *
     * @param store the worker's store.
     */
    public void bind(final AccountStore store)
    {
        hubs.bind(store);
    }

    /**
     * Write every hub, as laid out in the class description.
     *
     * @param out to write to.
     */
    public void writeState(final StateWriter out)
    {
        hubs.writeAscending(out, FlowThroughRule::writeHub);
    }

    /**
     * @param hub to write.
     * @param out to write it to, after its account's id.
     */
    private static void writeHub(final Hub hub, final StateWriter out)
    {
        out.putLong(hub.lastAlert).putLong(hub.countsAfter);
        writeRing(hub.inflows, out);
        if (null == hub.outflows)
        {
            out.putLong(Long.MIN_VALUE).putInt(0);
        }
        else
        {
            writeRing(hub.outflows, out);
        }
    }

    private static void writeRing(final WindowRing ring, final StateWriter out)
    {
        final int size = ring.size;
        out.putLong(ring.newest).putInt(size);
        for (int i = 0; i < size; i++)
        {
            out.putLong(ring.time(i))
                .putLong(ring.get(i, AMOUNT))
                .putLong(ring.get(i, OFFSET))
                .putLong(ring.get(i, COUNTERPARTY));
        }
    }

    /**
     * Read back what {@link #writeState} wrote, replacing any state held; nothing changes if it fails.
     *
     * @param in to read from.
     * @throws io.txmon.rules.state.StateException if the bytes cannot be this rule's state: a count beyond the
     * bytes left or a ring above {@code maxFlowsTracked}, hubs out of order or twice, an amount not positive, a
     * negative offset, a flow with the hub itself.
     */
    public void readState(final StateReader in)
    {
        hubs.readAscending(in, HUB_BYTES, "hubs", this::readHub);
    }

    private Hub readHub(final StateReader in, final long account)
    {
        final int maxFlowsTracked = parameters().maxFlowsTracked;
        final Hub hub = new Hub(maxFlowsTracked);
        hub.lastAlert = in.getLong();
        hub.countsAfter = in.getLong();
        readRing(in, account, hub.inflows, maxFlowsTracked, "inflows of a hub");
        final WindowRing outflows = new WindowRing(STRIDE, maxFlowsTracked);
        readRing(in, account, outflows, maxFlowsTracked, "outflows of a hub");
        if (outflows.size > 0 || outflows.newest != Long.MIN_VALUE)
        {
            hub.outflows = outflows;
        }
        return hub;
    }

    private static void readRing(
        final StateReader in, final long account, final WindowRing ring, final int maxFlowsTracked, final String what)
    {
        final long newest = in.getLong();
        final int size = in.getCount(0, maxFlowsTracked, what);
        in.require(in.remaining() >= (long)size * FLOW_BYTES, what + " run past the end");
        ring.restore(newest, size, maxFlowsTracked);
        for (int i = 0; i < size; i++)
        {
            ring.set(i, WindowRing.TIME, in.getLong());
            ring.set(i, AMOUNT, in.getLong());
            ring.set(i, OFFSET, in.getLong());
            ring.set(i, COUNTERPARTY, in.getLong());
            in.require(ring.get(i, AMOUNT) > 0, "a flow's amount is not positive");
            in.require(ring.get(i, OFFSET) >= 0, "a flow's offset is negative");
            in.require(ring.get(i, COUNTERPARTY) != account, "a flow of account " + account + " with itself");
        }
    }

    /**
     * @return flows dropped from a full ring before leaving the holding window by time.
     */
    public long droppedEntries()
    {
        return droppedEntries;
    }

    /**
     * @return flows older than the newest flow already seen in their direction for their hub.
     */
    public long lateEvents()
    {
        return lateEvents;
    }

    /**
     * @return accounts with a hub.
     */
    public int trackedAccounts()
    {
        return hubs.count();
    }

    public void onEvent(final TxEvent event, final RuleContext context)
    {
        if (event.templateId != PaymentDecoder.TEMPLATE_ID)
        {
            return;
        }
        final long debtor = event.debtorAccount;
        final long creditor = event.creditorAccount;
        final long amount = context.referenceAmount();
        if (debtor == creditor || amount <= 0)
        {
            return;
        }

        if (context.owns(debtor))
        {
            final Hub hub = hubs.get(context.slot(debtor));
            if (null != hub)
            {
                if (null == hub.outflows)
                {
                    hub.outflows = new WindowRing(STRIDE, parameters().maxFlowsTracked);
                }
                record(hub, hub.outflows, event, amount, creditor);
                evaluate(hub, debtor, event, context);
            }
        }

        if (context.owns(creditor))
        {
            final Hub hub = hubs.getOrCreate(context.slot(creditor));
            record(hub, hub.inflows, event, amount, debtor);
        }
    }

    /**
     * Keep a flow in one of a hub's rings; if the full ring drops a flow for it that was not a window or more ahead
     * of it, count only flows after the dropped one from then on.
     */
    private void record(
        final Hub hub, final WindowRing ring, final TxEvent event, final long amount, final long counterparty)
    {
        final Parameters p = parameters();
        final long time = event.eventTime;
        if (time < ring.newest)
        {
            lateEvents++;
        }
        final int taken = ring.take(time, p.holdingWindowNanos, p.maxFlowsTracked);
        if (taken == WindowRing.IGNORED)
        {
            return;
        }
        final int at = WindowRing.slot(taken);
        if (WindowRing.dropped(taken))
        {
            droppedEntries++;
            final long dropped = ring.time(at);
            if (EventTimes.gap(dropped, time) < p.holdingWindowNanos)
            {
                hub.countsAfter = Math.max(hub.countsAfter, dropped);
            }
        }
        ring.set(at, WindowRing.TIME, time);
        ring.set(at, AMOUNT, amount);
        ring.set(at, OFFSET, event.offset);
        ring.set(at, COUNTERPARTY, counterparty);
    }

    /**
     * @return whether the shape held for the hub within {@code usualWindows} holding windows of {@code time},
     * before or after it.
     */
    private boolean isQuiet(final Hub hub, final long time)
    {
        final long window = parameters().holdingWindowNanos;
        final int windows = parameters().usualWindows;
        final long quiet = window > Long.MAX_VALUE / windows ? Long.MAX_VALUE : window * windows;
        return hub.lastAlert != Long.MIN_VALUE &&
            EventTimes.gap(time, hub.lastAlert) < quiet && EventTimes.gap(hub.lastAlert, time) < quiet;
    }

    private void evaluate(final Hub hub, final long account, final TxEvent event, final RuleContext context)
    {
        final Parameters p = parameters();
        final long now = event.eventTime;
        final WindowRing inflows = hub.inflows;
        final WindowRing outflows = hub.outflows;
        final long lower = Math.max(EventTimes.minus(now, p.holdingWindowNanos), hub.countsAfter);

        long in = 0;
        int inCount = 0;
        long first = Long.MAX_VALUE;
        for (int i = 0; i < inflows.size; i++)
        {
            final long time = inflows.time(i);
            if (counted(time, lower, now))
            {
                in = saturatingAdd(in, inflows.get(i, AMOUNT));
                inCount++;
                first = Math.min(first, time);
            }
        }
        if (inCount < p.minSenders)
        {
            return;
        }
        // first > lower >= Long.MIN_VALUE, so first - 1 does not wrap: the outflows from first on
        final long outAfter = first - 1;
        long out = 0;
        int outCount = 0;
        for (int i = 0; i < outflows.size; i++)
        {
            final long time = outflows.time(i);
            if (counted(time, outAfter, now))
            {
                out = saturatingAdd(out, outflows.get(i, AMOUNT));
                outCount++;
            }
        }
        if (outCount < p.minBeneficiaries ||
            Math.min(in, out) < p.minAmount ||
            compareProducts(out, BPS, in, p.minRatioBps) < 0 ||
            compareProducts(out, BPS, in, p.maxRatioBps) > 0)
        {
            return;
        }
        final int senders = spread(inflows, lower, now, in, p.minSenders);
        if (senders < 0)
        {
            return;
        }
        final int beneficiaries = spread(outflows, outAfter, now, out, p.minBeneficiaries);
        if (beneficiaries < 0)
        {
            return;
        }

        final boolean quiet = isQuiet(hub, now);
        hub.lastAlert = now;
        if (quiet)
        {
            return;
        }
        final long span = EventTimes.gap(now, first);
        final long window = p.holdingWindowNanos;
        final int fullness = (int)(200.0 * Math.min(in, out) / Math.max(in, out));
        final int beyond = (senders - p.minSenders) + (beneficiaries - p.minBeneficiaries);
        final int breadth = (int)Math.min(200L, 50L * beyond);
        final int speed = (int)(200.0 * (window - span) / window);
        final AlertRecord alert = context.raise(this, p.severity, 400 + fullness + breadth + speed, account);
        addEvidence(alert, inflows, lower, now);
        addEvidence(alert, outflows, outAfter, now);

        final int currency = context.referenceCurrency();
        final ReasonBuilder reason = alert.reason()
            .append("account ").append(account)
            .append(" received ").append(inCount).append(inCount == 1 ? " payment" : " payments")
            .append(" from ").append(senders).append(senders == 1 ? " sender (" : " senders (")
            .appendMoney(in, currency)
            .append(") and within ");
        appendSpan(reason, span)
            .append(" paid out ").append(outCount).append(outCount == 1 ? " payment" : " payments")
            .append(" to ").append(beneficiaries).append(beneficiaries == 1 ? " beneficiary (" : " beneficiaries (")
            .appendMoney(out, currency)
            .append(", ").append((long)(100.0 * out / in)).append("% of what came in)");
    }

    /**
     * How many distinct counterparties the flows counted have, if they are spread enough: at least {@code needed},
     * and the {@code needed - 1} largest (by their total) account for at most {@code maxConcentrationBps} of it.
     *
     * @param ring   of flows.
     * @param after  flows after this time count.
     * @param now    flows up to this time count.
     * @param total  of the flows counted.
     * @param needed distinct counterparties needed, at least 1.
     * @return the distinct counterparties, or -1 if too few or too concentrated.
     */
    private int spread(final WindowRing ring, final long after, final long now, final long total, final int needed)
    {
        final long[] parties = counterparties;
        final long[] amounts = values;
        int n = 0;
        for (int i = 0; i < ring.size; i++)
        {
            final long time = ring.time(i);
            if (counted(time, after, now))
            {
                // insertion by counterparty, so each one's flows are next to each other: at most 32 flows
                final long party = ring.get(i, COUNTERPARTY);
                final long amount = ring.get(i, AMOUNT);
                int j = n;
                while (j > 0 && parties[j - 1] > party)
                {
                    parties[j] = parties[j - 1];
                    amounts[j] = amounts[j - 1];
                    j--;
                }
                parties[j] = party;
                amounts[j] = amount;
                n++;
            }
        }
        // each counterparty's total, in place of its flows
        int distinct = 0;
        for (int i = 0; i < n; i++)
        {
            if (distinct > 0 && parties[distinct - 1] == parties[i])
            {
                amounts[distinct - 1] = saturatingAdd(amounts[distinct - 1], amounts[i]);
            }
            else
            {
                parties[distinct] = parties[i];
                amounts[distinct] = amounts[i];
                distinct++;
            }
        }
        if (distinct < needed)
        {
            return -1;
        }
        Arrays.sort(amounts, 0, distinct);
        long largest = 0;
        for (int i = distinct - 1; i >= distinct - (needed - 1); i--)
        {
            largest = saturatingAdd(largest, amounts[i]);
        }
        return compareProducts(largest, BPS, total, parameters().maxConcentrationBps) > 0 ? -1 : distinct;
    }

    /**
     * @param time  of a flow.
     * @param after flows after this time count.
     * @param now   flows up to this time count: the triggering outflow's.
     * @return whether the flow counts.
     */
    private static boolean counted(final long time, final long after, final long now)
    {
        return time > after && time <= now;
    }

    /**
     * Add the offsets of the flows counted, ascending.
     */
    private void addEvidence(final AlertRecord alert, final WindowRing ring, final long after, final long now)
    {
        final long[] offsets = values;
        int n = 0;
        for (int i = 0; i < ring.size; i++)
        {
            final long time = ring.time(i);
            if (counted(time, after, now))
            {
                offsets[n++] = ring.get(i, OFFSET);
            }
        }
        Arrays.sort(offsets, 0, n);
        for (int i = 0; i < n; i++)
        {
            alert.evidence(offsets[i]);
        }
    }

    /**
     * Append a time span in days and hours ({@code 2 d 5 h}), hours and minutes ({@code 3 h 20 min}) or seconds.
     */
    private static ReasonBuilder appendSpan(final ReasonBuilder reason, final long nanos)
    {
        final long second = 1_000_000_000L;
        final long hour = 3600 * second;
        if (nanos >= DAY_NANOS)
        {
            return reason.append(nanos / DAY_NANOS).append(" d ").append(nanos % DAY_NANOS / hour).append(" h");
        }
        if (nanos >= hour)
        {
            return reason.append(nanos / hour).append(" h ").append(nanos % hour / (60 * second)).append(" min");
        }
        return reason.append(nanos / second).append(" s");
    }

    /**
     * @return {@code a + b} for amounts not negative, {@link Long#MAX_VALUE} if that overflows.
     */
    static long saturatingAdd(final long a, final long b)
    {
        final long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }

    /**
     * Compare two products of values not negative exactly, in 128 bits.
     *
     * @return negative, zero or positive as {@code a * b} is below, equal to or above {@code c * d}.
     */
    static int compareProducts(final long a, final long b, final long c, final long d)
    {
        final int high = Long.compare(Math.multiplyHigh(a, b), Math.multiplyHigh(c, d));
        return 0 != high ? high : Long.compareUnsigned(a * b, c * d);
    }

    /**
     * One hub account's flows: its inflows from the first, its outflows from its first outflow after that, the event
     * time its shape last held and the time after which flows count. Memory: a 12-byte header, two references and two
     * longs, 40 bytes, and the rings.
     */
    static final class Hub
    {
        final WindowRing inflows;
        /** Null until the hub's first outflow. */
        WindowRing outflows;
        /** Event time the shape last held (alerted or quiet), {@link Long#MIN_VALUE} for never. */
        long lastAlert = Long.MIN_VALUE;
        /** Only flows after this count: the newest flow a full ring dropped, {@link Long#MIN_VALUE} for none. */
        long countsAfter = Long.MIN_VALUE;

        /**
         * @param maxFlowsTracked most flows per ring.
         */
        Hub(final int maxFlowsTracked)
        {
            inflows = new WindowRing(STRIDE, maxFlowsTracked);
        }

        /**
         * Make it as a new hub is, keeping its rings and their arrays, for another account: an evicted account's hub
         * recycled by the account store. An empty outflow ring decides and is written as no ring.
         */
        void reset()
        {
            inflows.reset();
            if (null != outflows)
            {
                outflows.reset();
            }
            lastAlert = Long.MIN_VALUE;
            countsAfter = Long.MIN_VALUE;
        }
    }
}
