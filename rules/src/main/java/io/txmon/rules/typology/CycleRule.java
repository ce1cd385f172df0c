package io.txmon.rules.typology;

import io.txmon.events.codec.PaymentDecoder;
import io.txmon.events.codec.Severity;
import io.txmon.rules.AlertRecord;
import io.txmon.rules.ReasonBuilder;
import io.txmon.rules.Rule;
import io.txmon.rules.RuleContext;
import io.txmon.rules.TxEvent;
import org.agrona.collections.Long2ObjectHashMap;

/**
 * Cycle: funds returning to their origin through at most {@code maxHops} payments within a window.
 * When a payment X to Y arrives, a bounded depth-first search runs from Y over recent payments looking
 * for a path back to X of at most maxHops - 1 payments, each no earlier than the one before it, the first
 * no earlier than the window before the closing payment and none later than it. Keyed on X, the debtor of
 * the closing payment; the evidence is the offsets of the cycle's payments in order, the closing one last.
 * <p>
 * Cycles shorter than {@code minHops} payments are ignored (default 3, so a payment and its refund is
 * not a cycle). Self-payments are ignored. The search explores at most {@code maxExplored} edges per event
 * (the work per event is bounded); searches cut short are counted in {@link #truncatedSearches()} and may
 * miss a cycle. Score: 1000 - 100 per payment above two, at least 500.
 * <p>
 * Graph and workers: every worker records the outgoing payments of every debtor it sees, owned or not,
 * so cycles through accounts of other partitions are found with any number of workers; the price is
 * that each worker holds a full copy of the (bounded) graph. Only the owner of X searches and raises.
 * <p>
 * Memory: per debtor account ever seen, a ring of at most {@code edgesPerAccount} edges (creditor,
 * offset, event time: 24 bytes each; at most about 400 bytes at the default 16), allocated with 4 edges (or
 * {@code edgesPerAccount} if fewer) and doubled, oldest first, as edges arrive — the oldest is dropped and
 * counted ({@link #droppedEdges()}) when full at {@code edgesPerAccount}. Edges older than the window stay until pushed out but are
 * never followed.
 */
public final class CycleRule implements Rule
{
    /** Stable rule id. */
    public static final int ID = 18;
    /** Version of the logic. */
    public static final int VERSION = 1;
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
    static final int INITIAL_EDGES = 4;
    /** Default most edges explored per event. */
    public static final int DEFAULT_MAX_EXPLORED = 256;
    /** Largest maxHops accepted. */
    public static final int MAX_HOPS_LIMIT = 16;

    /** Largest edgesPerAccount accepted. */
    public static final int MAX_EDGES_PER_ACCOUNT = 4096;
    /** Largest maxExplored accepted: the bound on the work of one event. */
    public static final int MAX_EXPLORED_LIMIT = 1 << 20;

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
     * @param severity        of the alerts; default {@link Severity#HIGH}.
     */
    public record Parameters(
        int maxHops, int minHops, long windowNanos, int edgesPerAccount, int maxExplored, Severity severity)
    {
        /** Default parameters. */
        public static final Parameters DEFAULTS = new Parameters(
            DEFAULT_MAX_HOPS,
            DEFAULT_MIN_HOPS,
            DEFAULT_WINDOW_NS,
            DEFAULT_EDGES_PER_ACCOUNT,
            DEFAULT_MAX_EXPLORED,
            Severity.HIGH);

        /**
         * Validates every parameter.
         *
         * @throws IllegalArgumentException naming the rule and the parameter that is out of range.
         */
        public Parameters
        {
            if (maxHops < 2 || maxHops > MAX_HOPS_LIMIT)
            {
                throw new IllegalArgumentException(
                    NAME + " maxHops must be 2 to " + MAX_HOPS_LIMIT + ", was " + maxHops);
            }
            if (minHops < 2 || minHops > maxHops)
            {
                throw new IllegalArgumentException(
                    NAME + " minHops must be 2 to maxHops " + maxHops + ", was " + minHops);
            }
            if (windowNanos <= 0)
            {
                throw new IllegalArgumentException(NAME + " windowNanos must be positive, was " + windowNanos);
            }
            if (edgesPerAccount < 1 || edgesPerAccount > MAX_EDGES_PER_ACCOUNT)
            {
                throw new IllegalArgumentException(
                    NAME + " edgesPerAccount must be 1 to " + MAX_EDGES_PER_ACCOUNT + ", was " + edgesPerAccount);
            }
            if (maxExplored < 1 || maxExplored > MAX_EXPLORED_LIMIT)
            {
                throw new IllegalArgumentException(
                    NAME + " maxExplored must be 1 to " + MAX_EXPLORED_LIMIT + ", was " + maxExplored);
            }
            if (severity == null)
            {
                throw new IllegalArgumentException(NAME + " severity must be set, was null");
            }
        }
    }

    private final Parameters parameters;
    private final int maxHops;
    private final int minHops;
    private final long windowNs;
    private final int edgesPerAccount;
    private final int maxExplored;
    private final Severity severity;
    private final Long2ObjectHashMap<Edges> graph = new Long2ObjectHashMap<>();

    // search stack, depth d holds the d-th payment of the path back from Y
    private final Edges[] stackEdges;
    private final int[] stackRemaining;
    private final long[] nodes;
    private final long[] pathOffsets;
    private final long[] pathTimes;

    private long truncatedSearches;
    private long droppedEdges;

    /**
     * Defaults: {@link Parameters#DEFAULTS}, 4 hops, at least 3, 7 days, 16 edges per account, 256 edges
     * explored, severity HIGH.
     */
    public CycleRule()
    {
        this(Parameters.DEFAULTS);
    }

    /**
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
        if (parameters == null)
        {
            throw new IllegalArgumentException(NAME + " parameters must be set, was null");
        }
        this.parameters = parameters;
        this.maxHops = parameters.maxHops();
        this.minHops = parameters.minHops();
        this.windowNs = parameters.windowNanos();
        this.edgesPerAccount = parameters.edgesPerAccount();
        this.maxExplored = parameters.maxExplored();
        this.severity = parameters.severity();
        stackEdges = new Edges[maxHops];
        stackRemaining = new int[maxHops];
        nodes = new long[maxHops + 1];
        pathOffsets = new long[maxHops];
        pathTimes = new long[maxHops];
    }

    public int id()
    {
        return ID;
    }

    public int version()
    {
        return VERSION;
    }

    public String name()
    {
        return NAME;
    }

    /**
     * @return the parameters.
     */
    public Parameters parameters()
    {
        return parameters;
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
        return droppedEdges;
    }

    public void onEvent(final TxEvent event, final RuleContext context)
    {
        if (event.templateId != PaymentDecoder.TEMPLATE_ID || event.debtorAccount == event.creditorAccount)
        {
            return;
        }
        final long x = event.debtorAccount;
        final long y = event.creditorAccount;

        if (context.owns(x))
        {
            final int found = search(x, y, event.eventTime);
            if (found > 0)
            {
                raise(event, context, found);
            }
        }

        Edges edges = graph.get(x);
        if (edges == null)
        {
            edges = new Edges(edgesPerAccount);
            graph.put(x, edges);
        }
        edges.add(y, event.offset, event.eventTime);
    }

    /**
     * @return number of payments on the path from y back to x, 0 if none found.
     */
    private int search(final long x, final long y, final long now)
    {
        final long oldest = now - windowNs;
        final int maxDepth = maxHops - 2;          // deepest index of a path payment
        final int minPath = minHops - 1;           // fewest path payments
        final Edges first = graph.get(y);
        if (first == null)
        {
            return 0;
        }
        nodes[0] = y;
        stackEdges[0] = first;
        stackRemaining[0] = first.size;
        int depth = 0;
        int explored = 0;
        while (depth >= 0)
        {
            if (stackRemaining[depth] == 0)
            {
                stackEdges[depth] = null;
                depth--;
                continue;
            }
            if (++explored > maxExplored)
            {
                truncatedSearches++;
                clearStack(depth);
                return 0;
            }
            final Edges edges = stackEdges[depth];
            final int index = --stackRemaining[depth];
            final long time = edges.time(index);
            final long lowest = depth == 0 ? oldest : pathTimes[depth - 1];
            if (time < lowest || time > now)
            {
                continue;
            }
            final long creditor = edges.creditor(index);
            pathOffsets[depth] = edges.offset(index);
            pathTimes[depth] = time;
            if (creditor == x)
            {
                if (depth + 1 >= minPath)
                {
                    nodes[depth + 1] = x;
                    clearStack(depth);
                    return depth + 1;
                }
                continue;
            }
            if (depth + 1 > maxDepth || onPath(creditor, depth))
            {
                continue;
            }
            final Edges next = graph.get(creditor);
            if (next == null)
            {
                continue;
            }
            depth++;
            nodes[depth] = creditor;
            stackEdges[depth] = next;
            stackRemaining[depth] = next.size;
        }
        return 0;
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

    private void clearStack(final int depth)
    {
        for (int i = 0; i <= depth; i++)
        {
            stackEdges[i] = null;
        }
    }

    private void raise(final TxEvent event, final RuleContext context, final int pathLength)
    {
        final int payments = pathLength + 1;
        final int score = Math.max(500, 1000 - 100 * (payments - 2));
        final AlertRecord alert = context.raise(this, severity, score, event.debtorAccount);
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

    private final class Edges
    {
        private final int maxCapacity;
        long[] creditors;
        long[] offsets;
        long[] times;
        int head;
        int size;

        /**
         * @param maxCapacity most edges held, at least 1.
         */
        Edges(final int maxCapacity)
        {
            this.maxCapacity = maxCapacity;
            final int initial = StateCapacity.initial(INITIAL_EDGES, maxCapacity);
            creditors = new long[initial];
            offsets = new long[initial];
            times = new long[initial];
        }

        long creditor(final int index)
        {
            return creditors[(head + index) % creditors.length];
        }

        long offset(final int index)
        {
            return offsets[(head + index) % creditors.length];
        }

        long time(final int index)
        {
            return times[(head + index) % creditors.length];
        }

        void add(final long creditor, final long offset, final long time)
        {
            if (size == creditors.length && size < maxCapacity)
            {
                final int capacity = StateCapacity.doubled(size, maxCapacity);
                creditors = grow(creditors, capacity);
                offsets = grow(offsets, capacity);
                times = grow(times, capacity);
                head = 0;
            }
            if (size == creditors.length)
            {
                head = (head + 1) % creditors.length;
                size--;
                droppedEdges++;
            }
            final int index = (head + size) % creditors.length;
            creditors[index] = creditor;
            offsets[index] = offset;
            times[index] = time;
            size++;
        }

        private long[] grow(final long[] ring, final int capacity)
        {
            final long[] grown = new long[capacity];
            final int firstPart = Math.min(size, ring.length - head);
            System.arraycopy(ring, head, grown, 0, firstPart);
            System.arraycopy(ring, 0, grown, firstPart, size - firstPart);
            return grown;
        }
    }
}
