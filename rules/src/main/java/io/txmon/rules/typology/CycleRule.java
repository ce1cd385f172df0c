package io.txmon.rules.typology;

import io.txmon.events.codec.PaymentDecoder;
import io.txmon.events.codec.Severity;
import io.txmon.rules.AlertRecord;
import io.txmon.rules.ReasonBuilder;
import io.txmon.rules.Rule;
import io.txmon.rules.RuleContext;
import io.txmon.rules.TxEvent;
import io.txmon.rules.state.StateReader;
import io.txmon.rules.state.StateWriter;

import static io.txmon.rules.typology.ParameterChecks.check;
import static io.txmon.rules.typology.ParameterChecks.positive;
import static io.txmon.rules.typology.ParameterChecks.range;
import static io.txmon.rules.typology.ParameterChecks.set;

/**
 * Cycle: funds returning to their origin through at most {@code maxHops} payments within a window.
 * When a payment X to Y arrives, a bounded depth-first search runs from Y over recent payments looking
 * for a path back to X of at most maxHops - 1 payments, each no earlier than the one before it, the first
 * no earlier than the window before the closing payment and none later than it. Keyed on X, the debtor of
 * the closing payment; the evidence is the offsets of the cycle's payments in order, the closing one last.
 * <p>
 * Cycles shorter than {@code minHops} payments are ignored (default 3, so a payment and its refund is
 * not a cycle). Self-payments are ignored. Score: 1000 - 100 per payment above two, at least 500.
 * <p>
 * Bounded work: the search examines at most {@code maxExplored} edges per event, each account's newest first,
 * stale ones (outside the window) included; a search cut short at that cap is counted in
 * {@link #truncatedSearches()} and may miss a cycle. Whenever the cap is not hit the alert is the one a search
 * without a cap would raise.
 * <p>
 * Graph and workers: every worker records the outgoing payments of every debtor it sees, owned or not,
 * so cycles through accounts of other partitions are found with any number of workers; the price is
 * that each worker holds a full copy of the (bounded) graph. Only the owner of X searches and raises.
 * <p>
 * Edge store ({@link CycleEdgeStore}): per debtor account a slot holding a ring of its last
 * {@code edgesPerAccount} payments in arrival order (creditor, event time, offset), in paged primitive arrays
 * that grow by adding pages and never copy what they hold; one map lookup finds an account's slot, and each edge
 * remembers its creditor's slot, so following an edge reads two arrays; a 64-bit filter of each account's
 * creditors lets the deepest level of the search count, without reading them, the edges of an account that has no
 * payment to X. A full ring drops its oldest edge ({@link #droppedEdges()}); edges older than the window stay
 * until pushed out but are never followed. At most {@code accountCapacity} debtors are held: when the store is
 * full a new debtor takes the slot of the debtor whose last payment is the oldest (idle accounts go first),
 * counted in {@link #evictedAccounts()}, and in {@link #evictedRecentAccounts()} if that debtor had paid within the
 * window (a cycle through it can then be missed). Below the capacity nothing is evicted and the alerts are those
 * of the ring-per-account store this one replaced.
 * <p>
 * Memory: about 190 bytes per debtor that has made up to 4 payments (a ring of 4 edges of 28 bytes, 40 bytes of
 * slot, 25 to 49 of map), 530 at most with the defaults; the layout is in {@link CycleEdgeStore}. Nothing is
 * allocated per event once the store's pages exist.
 * <p>
 * State in a snapshot: the newest event time recorded (long), the number of debtors (int, at most
 * accountCapacity), then per debtor from the least to the most recently active: account (long), newest event time
 * of its payments (long), number of edges (int, 1 to edgesPerAccount) and its edges oldest first (creditor, event
 * time, offset: three longs each). Read back in that order it rebuilds the same rings in the same order, so a
 * restored rule searches the same edges in the same order and evicts the same accounts. The counters are
 * monitoring only and are not written.
 */
public final class CycleRule extends TypologyRule<CycleRule.Parameters>
{
    /** Stable rule id. */
    public static final int ID = 18;
    /** Version of the logic. */
    public static final int VERSION = 2;
    /** Name in configuration and alerts. */
    public static final String NAME = "cycle";
    /** Default most payments in a cycle, the closing one included. */
    public static final int DEFAULT_MAX_HOPS = 4;
    /** Default fewest payments in a cycle. */
    public static final int DEFAULT_MIN_HOPS = 3;
    /** Default window: 7 days in ns. */
    public static final long DEFAULT_WINDOW_NS = 7L * 24 * 3600 * 1_000_000_000L;
    /** Default edges kept per debtor account. */
    public static final int DEFAULT_EDGES_PER_ACCOUNT = 16;
    /** Edges allocated per debtor when first seen, unless edgesPerAccount is fewer. */
    static final int INITIAL_EDGES = CycleEdgeStore.INITIAL_EDGES;
    /** Default most edges explored per event. */
    public static final int DEFAULT_MAX_EXPLORED = 256;
    /** Default most debtor accounts held. */
    public static final int DEFAULT_ACCOUNT_CAPACITY = 1 << 18;
    /** Largest maxHops accepted. */
    public static final int MAX_HOPS_LIMIT = 16;

    /** Largest edgesPerAccount accepted. */
    public static final int MAX_EDGES_PER_ACCOUNT = 4096;
    /** Largest maxExplored accepted: the bound on the work of one event. */
    public static final int MAX_EXPLORED_LIMIT = 1 << 20;
    /** Largest accountCapacity accepted. */
    public static final int MAX_ACCOUNT_CAPACITY = 1 << 24;
    /** Largest accountCapacity x edgesPerAccount accepted: 2^30 edges of 32 bytes is 32 GiB per worker. */
    public static final long MAX_EDGES = 1L << 30;

    private static final int SNAPSHOT_ACCOUNT_BYTES = 2 * Long.BYTES + Integer.BYTES;
    private static final int SNAPSHOT_EDGE_BYTES = 3 * Long.BYTES;

    /**
     * Parameters, validated on construction.
     *
     * @param maxHops         most payments in a cycle, closing one included, 2 to {@value #MAX_HOPS_LIMIT};
     *                        default {@value #DEFAULT_MAX_HOPS}.
     * @param minHops         fewest payments in a cycle, 2 to maxHops; default {@value #DEFAULT_MIN_HOPS}.
     * @param windowNanos     longest time from the cycle's first payment to its closing one, positive; default
     *                        7 days.
     * @param edgesPerAccount most outgoing payments kept per account, 1 to {@value #MAX_EDGES_PER_ACCOUNT};
     *                        default {@value #DEFAULT_EDGES_PER_ACCOUNT}.
     * @param maxExplored     most edges explored per event, 1 to {@value #MAX_EXPLORED_LIMIT}; default
     *                        {@value #DEFAULT_MAX_EXPLORED}.
     * @param accountCapacity most debtor accounts whose payments are held, 1 to {@value #MAX_ACCOUNT_CAPACITY},
     *                        and times edgesPerAccount at most {@value #MAX_EDGES}; default
     *                        {@value #DEFAULT_ACCOUNT_CAPACITY}.
     * @param severity        of the alerts; default {@link Severity#HIGH}.
     */
    public record Parameters(
        int maxHops,
        int minHops,
        long windowNanos,
        int edgesPerAccount,
        int maxExplored,
        int accountCapacity,
        Severity severity)
    {
        /** Default parameters. */
        public static final Parameters DEFAULTS = new Parameters(
            DEFAULT_MAX_HOPS,
            DEFAULT_MIN_HOPS,
            DEFAULT_WINDOW_NS,
            DEFAULT_EDGES_PER_ACCOUNT,
            DEFAULT_MAX_EXPLORED,
            DEFAULT_ACCOUNT_CAPACITY,
            Severity.HIGH);

        /**
         * Parameters with the default accountCapacity.
         *
         * @param maxHops         most payments in a cycle.
         * @param minHops         fewest payments in a cycle.
         * @param windowNanos     longest time from the cycle's first payment to its closing one.
         * @param edgesPerAccount most outgoing payments kept per account.
         * @param maxExplored     most edges explored per event.
         * @param severity        of the alerts.
         */
        public Parameters(
            final int maxHops,
            final int minHops,
            final long windowNanos,
            final int edgesPerAccount,
            final int maxExplored,
            final Severity severity)
        {
            this(maxHops, minHops, windowNanos, edgesPerAccount, maxExplored, DEFAULT_ACCOUNT_CAPACITY, severity);
        }

        /**
         * Validates every parameter.
         *
         * @throws IllegalArgumentException naming the rule and the parameter that is out of range.
         */
        public Parameters
        {
            range(NAME, "maxHops", maxHops, 2, MAX_HOPS_LIMIT);
            check(minHops >= 2 && minHops <= maxHops, NAME, "minHops", "2 to maxHops " + maxHops, minHops);
            positive(NAME, "windowNanos", windowNanos);
            range(NAME, "edgesPerAccount", edgesPerAccount, 1, MAX_EDGES_PER_ACCOUNT);
            range(NAME, "maxExplored", maxExplored, 1, MAX_EXPLORED_LIMIT);
            range(NAME, "accountCapacity", accountCapacity, 1, MAX_ACCOUNT_CAPACITY);
            check((long)accountCapacity * edgesPerAccount <= MAX_EDGES, NAME, "accountCapacity x edgesPerAccount",
                "at most " + MAX_EDGES, accountCapacity + " x " + edgesPerAccount + "; lower either");
            set(NAME, "severity", severity);
        }
    }

    private final int maxHops;
    private final int minHops;
    private final long windowNs;
    private final int edgesPerAccount;
    private final int maxExplored;
    private final int accountCapacity;
    private final Severity severity;
    private final CycleEdgeStore store;

    // search stack: depth d walks the ring of nodes[d], the account the d-th payment of the path back from Y
    // leaves from; the pages, base, capacity and head of that ring, how many of its edges are left to examine and
    // the index of the one examined (its offset is read only if a cycle closes through it)
    private final long[][] stackCreditors;
    private final long[][] stackTimes;
    private final long[][] stackOffsets;
    private final int[][] stackCreditorSlots;
    private final int[] stackBase;
    private final int[] stackCapacity;
    private final int[] stackHead;
    private final int[] stackRemaining;
    private final int[] stackEdge;
    private final long[] nodes;
    private final long[] pathOffsets;
    private final long[] pathTimes;

    private long truncatedSearches;

    /**
     * Defaults: {@link Parameters#DEFAULTS}, 4 hops, at least 3, 7 days, 16 edges per account, 256 edges
     * explored, 262,144 debtors, severity HIGH.
     */
    public CycleRule()
    {
        this(Parameters.DEFAULTS);
    }

    /**
     * With the default accountCapacity.
     *
     * @param maxHops         most payments in a cycle, closing one included, 2 to {@link #MAX_HOPS_LIMIT}.
     * @param minHops         fewest payments in a cycle, 2 to maxHops.
     * @param windowNs        longest time from the cycle's first payment to its closing one, positive.
     * @param edgesPerAccount most outgoing payments kept per account, positive.
     * @param maxExplored     most edges explored per event, positive.
     * @param severity        of the alerts.
     */
    public CycleRule(
        final int maxHops,
        final int minHops,
        final long windowNs,
        final int edgesPerAccount,
        final int maxExplored,
        final Severity severity)
    {
        this(new Parameters(maxHops, minHops, windowNs, edgesPerAccount, maxExplored, severity));
    }

    /**
     * @param parameters validated parameters.
     */
    public CycleRule(final Parameters parameters)
    {
        super(ID, VERSION, NAME, parameters);
        this.maxHops = parameters.maxHops();
        this.minHops = parameters.minHops();
        this.windowNs = parameters.windowNanos();
        this.edgesPerAccount = parameters.edgesPerAccount();
        this.maxExplored = parameters.maxExplored();
        this.accountCapacity = parameters.accountCapacity();
        this.severity = parameters.severity();
        store = new CycleEdgeStore(edgesPerAccount, accountCapacity, windowNs);
        stackCreditors = new long[maxHops][];
        stackTimes = new long[maxHops][];
        stackOffsets = new long[maxHops][];
        stackCreditorSlots = new int[maxHops][];
        stackBase = new int[maxHops];
        stackCapacity = new int[maxHops];
        stackHead = new int[maxHops];
        stackRemaining = new int[maxHops];
        stackEdge = new int[maxHops];
        nodes = new long[maxHops + 1];
        pathOffsets = new long[maxHops];
        pathTimes = new long[maxHops];
    }

    /**
     * Unbounded: each account's ring keeps its last edgesPerAccount payments however old, and edges outside
     * the window, though never followed, count against maxExplored, so whether a search is cut short depends
     * on payments of any age.
     *
     * @return {@link Long#MAX_VALUE}.
     */
    public long horizonNanos()
    {
        return Long.MAX_VALUE;
    }

    /**
     * @return {@link Rule#PAYMENT}: the only template read.
     */
    public long templates()
    {
        return PAYMENT;
    }

    /**
     * Searches stopped at the work cap, {@code maxExplored} edges examined: the only searches whose outcome may
     * differ from an unbounded search's.
     *
     * @return searches stopped at the exploration bound.
     */
    public long truncatedSearches()
    {
        return truncatedSearches;
    }

    /**
     * @return edges dropped because an account's ring was full.
     */
    public long droppedEdges()
    {
        return store.droppedEdges();
    }

    /**
     * @return distinct debtor accounts whose edges the store holds.
     */
    public int accounts()
    {
        return store.accounts();
    }

    /**
     * @return accounts evicted from the store because it held {@code accountCapacity} accounts.
     */
    public long evictedAccounts()
    {
        return store.evictedAccounts();
    }

    /**
     * @return of {@link #evictedAccounts()}, those evicted with a payment no older than the window before the
     * newest payment seen: their eviction may have hidden a cycle.
     */
    public long evictedRecentAccounts()
    {
        return store.evictedRecentAccounts();
    }

    public void onEvent(final TxEvent event, final RuleContext context)
    {
        if (event.templateId != PaymentDecoder.TEMPLATE_ID || event.debtorAccount == event.creditorAccount)
        {
            return;
        }
        final long x = event.debtorAccount;
        final long y = event.creditorAccount;
        final int ySlot = store.slotOf(y);

        if (ySlot >= 0 && context.owns(x))
        {
            final int found = search(x, y, ySlot, event.eventTime);
            if (found > 0)
            {
                raise(event, context, found);
            }
        }

        store.record(x, y, ySlot, event.offset, event.eventTime);
    }

    public void writeState(final StateWriter out)
    {
        out.putLong(store.newestTime());
        out.putInt(store.accounts());
        for (int slot = store.leastRecent(); slot >= 0; slot = store.moreRecent(slot))
        {
            final long info = store.ringInfo(slot);
            final int size = CycleEdgeStore.size(info);
            final long[] creditors = store.creditors(CycleEdgeStore.ring(info));
            final long[] times = store.times(CycleEdgeStore.ring(info));
            final long[] offsets = store.offsets(CycleEdgeStore.ring(info));
            out.putLong(store.account(slot)).putLong(store.newest(slot)).putInt(size);
            for (int n = 0; n < size; n++)
            {
                final int at = store.edge(slot, n);
                out.putLong(creditors[at]).putLong(times[at]).putLong(offsets[at]);
            }
        }
    }

    public void readState(final StateReader in)
    {
        in.require(store.accounts() == 0, "cycle state read into a rule that has already seen payments");
        final long newestTime = in.getLong();
        final int accounts = in.getCount(0, accountCapacity, "debtor accounts");
        in.require((long)accounts * (SNAPSHOT_ACCOUNT_BYTES + SNAPSHOT_EDGE_BYTES) <= in.remaining(),
            accounts + " debtor accounts cannot fit in the " + in.remaining() + " bytes left");
        for (int a = 0; a < accounts; a++)
        {
            final long account = in.getLong();
            final long newest = in.getLong();
            final int size = in.getInt();
            if (size < 1 || size > edgesPerAccount)
            {
                in.require(false, "edges of account " + account + " " + size + " is outside 1 to " + edgesPerAccount);
            }
            if (store.slotOf(account) >= 0)
            {
                in.require(false, "debtor account " + account + " appears twice");
            }
            if (newest > newestTime)
            {
                in.require(false, "account " + account + "'s newest payment " + newest +
                    " is later than the newest recorded " + newestTime);
            }
            final int slot = store.restoreAccount(account);
            for (int n = 0; n < size; n++)
            {
                final long creditor = in.getLong();
                final long time = in.getLong();
                final long offset = in.getLong();
                if (creditor == account || time > newest)
                {
                    in.require(false, "payment " + n + " of account " + account + " to " + creditor + " at " + time +
                        (creditor == account ? " is to itself" : " is later than its newest " + newest));
                }
                store.restoreEdge(slot, creditor, offset, time);
            }
            store.restoreNewest(slot, newest);
        }
        store.newestTime(newestTime);
    }

    /**
     * @return number of payments on the path from y back to x, 0 if none found.
     */
    private int search(final long x, final long y, final int ySlot, final long now)
    {
        final long oldest = now - windowNs;
        final int maxDepth = maxHops - 2;          // deepest index of a path payment
        final int minPath = minHops - 1;           // fewest path payments
        final CycleEdgeStore store = this.store;
        final int maxExplored = this.maxExplored;
        final long xBit = CycleEdgeStore.creditorBit(x);
        nodes[0] = y;
        push(0, ySlot);
        int depth = 0;
        int explored = 0;
        while (depth >= 0)
        {
            if (stackRemaining[depth] == 0)
            {
                depth--;
                continue;
            }
            if (++explored > maxExplored)
            {
                truncatedSearches++;
                return 0;
            }
            int at = stackHead[depth] + --stackRemaining[depth];
            if (at >= stackCapacity[depth])
            {
                at -= stackCapacity[depth];
            }
            at += stackBase[depth];
            final long time = stackTimes[depth][at];
            final long lowest = depth == 0 ? oldest : pathTimes[depth - 1];
            if (time < lowest || time > now)
            {
                continue;
            }
            final long creditor = stackCreditors[depth][at];
            stackEdge[depth] = at;
            pathTimes[depth] = time;
            if (creditor == x)
            {
                if (depth + 1 >= minPath)
                {
                    nodes[depth + 1] = x;
                    return closed(depth, depth + 1);
                }
                continue;
            }
            if (depth + 1 > maxDepth || onPath(creditor, depth))
            {
                continue;
            }
            final int next = store.creditorSlot(stackCreditorSlots[depth], at, creditor);
            if (next < 0)
            {
                continue;
            }
            if (depth + 1 < maxDepth)
            {
                depth++;
                nodes[depth] = creditor;
                push(depth, next);
                continue;
            }

            // the deepest level: only a payment to x, no earlier than this one, closes (and its cycle is never
            // shorter than minHops, which is at most maxHops); scan it in place, each edge counting against the
            // cap as on a pushed level, the creditor tested before the time (the same edges pass both tests); if
            // the account's creditor bits say it has no payment to x, its edges are counted without being read
            final long info = store.ringInfo(next);
            final int size = CycleEdgeStore.size(info);
            final int budget = maxExplored - explored;
            final int scan = Math.min(size, budget);
            if ((store.creditorBits(next) & xBit) == 0)
            {
                explored += scan;               // no payment to x here: every edge examined, none read
                if (scan < size)
                {
                    truncatedSearches++;
                    return 0;
                }
                continue;
            }
            final int ring = CycleEdgeStore.ring(info);
            final int head = CycleEdgeStore.head(info);
            final long[] creditors = store.creditors(ring);
            final int base = store.base(ring);
            final int capacity = store.capacity(ring);
            for (int n = size - 1, end = size - scan; n >= end; n--)
            {
                int e = head + n;
                if (e >= capacity)
                {
                    e -= capacity;
                }
                e += base;
                if (creditors[e] != x)
                {
                    continue;
                }
                final long t = store.times(ring)[e];
                if (t < time || t > now)
                {
                    continue;
                }
                final int leaf = depth + 1;
                nodes[leaf] = creditor;
                nodes[leaf + 1] = x;
                pathOffsets[leaf] = store.offsets(ring)[e];
                pathTimes[leaf] = t;
                return closed(depth, leaf + 1);
            }
            explored += scan;
            if (scan < size)
            {
                truncatedSearches++;
                return 0;
            }
        }
        return 0;
    }

    private void push(final int depth, final int slot)
    {
        final CycleEdgeStore store = this.store;
        final long info = store.ringInfo(slot);
        final int ring = CycleEdgeStore.ring(info);
        stackCreditors[depth] = store.creditors(ring);
        stackTimes[depth] = store.times(ring);
        stackOffsets[depth] = store.offsets(ring);
        stackCreditorSlots[depth] = store.creditorSlots(ring);
        stackBase[depth] = store.base(ring);
        stackCapacity[depth] = store.capacity(ring);
        stackHead[depth] = CycleEdgeStore.head(info);
        stackRemaining[depth] = CycleEdgeStore.size(info);
    }

    /**
     * A cycle closed: read the offsets of the path's payments on the stack, depths 0 to {@code depth}.
     *
     * @return the path length.
     */
    private int closed(final int depth, final int pathLength)
    {
        for (int d = 0; d <= depth; d++)
        {
            pathOffsets[d] = stackOffsets[d][stackEdge[d]];
        }
        return pathLength;
    }

    private boolean onPath(final long account, final int depth)
    {
        for (int i = 0; i <= depth; i++)
        {
            if (nodes[i] == account)
            {
                return true;
            }
        }
        return false;
    }

    private void raise(final TxEvent event, final RuleContext context, final int pathLength)
    {
        raise(this, severity, event, context, nodes, pathOffsets, pathTimes, pathLength);
    }

    /**
     * The cycle alert: score by the number of payments, the path's payments then the closing one as evidence,
     * and the path in the reason. Shared with the reference search the tests compare the edge store with.
     *
     * @param rule        raising it.
     * @param severity    of the alert.
     * @param event       the closing payment.
     * @param context     of the worker.
     * @param nodes       the accounts of the path, from the closing payment's creditor.
     * @param pathOffsets the offsets of the path's payments.
     * @param pathTimes   the event times of the path's payments.
     * @param pathLength  payments on the path before the closing one.
     */
    static void raise(
        final Rule rule,
        final Severity severity,
        final TxEvent event,
        final RuleContext context,
        final long[] nodes,
        final long[] pathOffsets,
        final long[] pathTimes,
        final int pathLength)
    {
        final int payments = pathLength + 1;
        final int score = Math.max(500, 1000 - 100 * (payments - 2));
        final AlertRecord alert = context.raise(rule, severity, score, event.debtorAccount);
        for (int i = 0; i < pathLength; i++)
        {
            alert.evidence(pathOffsets[i]);
        }
        alert.evidence(event.offset);
        final ReasonBuilder reason = alert.reason()
            .append("funds from account ").append(event.creditorAccount)
            .append(" returned to it through ").append(payments).append(" payments within ")
            .append((event.eventTime - pathTimes[0]) / 1_000_000_000L).append(" s: ");
        for (int i = 0; i <= pathLength; i++)
        {
            reason.append(nodes[i]).append(" -> ");
        }
        reason.append(event.creditorAccount)
            .append("; closing payment ").append(event.txId)
            .append(" of ").appendMoney(event.amount, event.currency)
            .append(" from account ").append(event.debtorAccount);
    }
}
