package io.txmon.rules.typology;

import io.txmon.events.codec.PaymentDecoder;
import io.txmon.events.codec.Severity;
import io.txmon.rules.Rule;
import io.txmon.rules.RuleContext;
import io.txmon.rules.TxEvent;
import org.agrona.collections.Long2ObjectHashMap;

import java.util.LinkedHashSet;

/**
 * The cycle rule as it was before its edge store was made flat (main at 700ecbd, one ring object per debtor
 * account, no account capacity), kept as the oracle of {@link CycleRuleEquivalenceTest}: the same search over the
 * same edges in the same order, so the flat store must raise exactly its alerts and count exactly its truncated
 * searches and dropped edges. Test code only; not maintained as a rule.
 * <p>
 * One addition for the oracle of the flat store's account capacity: with {@code accountCapacity} set, a new
 * debtor arriving when that many are held first removes the debtor whose last payment arrived first (kept in a
 * {@link LinkedHashSet} in order of last payment), counting it, and counting it as recent if it had paid within
 * the window before the newest payment seen.
 */
final class CycleRuleReference implements Rule
{
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

    private final int accountCapacity;
    private final LinkedHashSet<Long> recency = new LinkedHashSet<>();
    private long newestTime = Long.MIN_VALUE;
    private long evictedAccounts;
    private long evictedRecentAccounts;

    CycleRuleReference(
        final int maxHops,
        final int minHops,
        final long windowNs,
        final int edgesPerAccount,
        final int maxExplored,
        final Severity severity)
    {
        this(maxHops, minHops, windowNs, edgesPerAccount, maxExplored, Integer.MAX_VALUE, severity);
    }

    CycleRuleReference(
        final int maxHops,
        final int minHops,
        final long windowNs,
        final int edgesPerAccount,
        final int maxExplored,
        final int accountCapacity,
        final Severity severity)
    {
        this.accountCapacity = accountCapacity;
        this.maxHops = maxHops;
        this.minHops = minHops;
        this.windowNs = windowNs;
        this.edgesPerAccount = edgesPerAccount;
        this.maxExplored = maxExplored;
        this.severity = severity;
        stackEdges = new Edges[maxHops];
        stackRemaining = new int[maxHops];
        nodes = new long[maxHops + 1];
        pathOffsets = new long[maxHops];
        pathTimes = new long[maxHops];
    }

    public int id()
    {
        return CycleRule.ID;
    }

    public int version()
    {
        return CycleRule.VERSION;
    }

    public String name()
    {
        return CycleRule.NAME;
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

    long evictedAccounts()
    {
        return evictedAccounts;
    }

    long evictedRecentAccounts()
    {
        return evictedRecentAccounts;
    }

    int accounts()
    {
        return graph.size();
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

        newestTime = Math.max(newestTime, event.eventTime);
        Edges edges = graph.get(x);
        if (edges == null)
        {
            if (graph.size() == accountCapacity)
            {
                final Long victim = recency.iterator().next();
                recency.remove(victim);
                final Edges evicted = graph.remove(victim.longValue());
                evictedAccounts++;
                final long stale = newestTime - windowNs > newestTime ? Long.MIN_VALUE : newestTime - windowNs;
                if (evicted.newest >= stale)
                {
                    evictedRecentAccounts++;
                }
            }
            edges = new Edges(edgesPerAccount);
            graph.put(x, edges);
        }
        recency.remove(x);
        recency.add(x);
        edges.add(y, event.offset, event.eventTime);
        edges.newest = Math.max(edges.newest, event.eventTime);
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
        CycleRule.raise(this, severity, event, context, nodes, pathOffsets, pathTimes, pathLength);
    }

    private final class Edges
    {
        private final int maxCapacity;
        long[] creditors;
        long[] offsets;
        long[] times;
        int head;
        int size;
        long newest = Long.MIN_VALUE;

        /**
         * @param maxCapacity most edges held, at least 1.
         */
        Edges(final int maxCapacity)
        {
            this.maxCapacity = maxCapacity;
            final int initial = StateCapacity.initial(CycleRule.INITIAL_EDGES, maxCapacity);
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
