package io.txmon.rules.typology;

import io.txmon.events.codec.PaymentDecoder;
import io.txmon.events.codec.Severity;
import io.txmon.rules.AlertRecord;
import io.txmon.rules.ReasonBuilder;
import io.txmon.rules.Rule;
import io.txmon.rules.RuleContext;
import io.txmon.rules.TxEvent;
import org.agrona.collections.Long2LongHashMap;

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
 * Edge store: flat primitive arrays (structure of arrays: creditor, event time, offset, amount and the
 * creditor's slot when last looked up, per edge), no object per account. Each debtor account gets a slot, found through one primitive map (account to slot);
 * slot s owns the edges s x edgesPerAccount to (s + 1) x edgesPerAccount - 1, a ring of its last
 * {@code edgesPerAccount} payments in arrival order, so a search reads one account's edges from adjacent
 * memory, newest first. When an account's ring is full the oldest edge is dropped and counted
 * ({@link #droppedEdges()}). Edges older than the window stay until pushed out; they are never followed but
 * count against maxExplored, as before the store was flat.
 * <p>
 * Memory: at most {@code accountCapacity} slots of 36 x edgesPerAccount + 24 bytes (600 bytes at the default
 * 16), plus about 25 bytes of map per account; allocated for 256 accounts and doubled as accounts arrive.
 * When the store holds accountCapacity accounts, a new debtor takes the slot of the first account, of the
 * {@value #EVICTION_PROBES} from a clock hand on, whose newest payment is older than the window before the
 * newest payment seen, else the slot at the hand: counted in {@link #evictedAccounts()}, and in
 * {@link #evictedRecentAccounts()} if the evicted account had a payment in the window (a cycle through it
 * can then be missed). Below the capacity the alerts are exactly those of the ring-per-account rule this
 * store replaced. Nothing is allocated per event once the store has grown to the accounts it holds.
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
    /** Default most debtor accounts in the edge store. */
    public static final int DEFAULT_ACCOUNT_CAPACITY = 1 << 18;
    /** Account slots allocated at construction, unless accountCapacity is fewer; doubled as accounts arrive. */
    static final int INITIAL_SLOTS = 256;
    /** Slots looked at, from the clock hand on, for one to evict whose payments are all outside the window. */
    static final int EVICTION_PROBES = 8;
    /** Default most edges explored per event. */
    public static final int DEFAULT_MAX_EXPLORED = 256;
    /** Largest maxHops accepted. */
    public static final int MAX_HOPS_LIMIT = 16;

    /** Largest edgesPerAccount accepted. */
    public static final int MAX_EDGES_PER_ACCOUNT = 4096;
    /** Largest maxExplored accepted: the bound on the work of one event. */
    public static final int MAX_EXPLORED_LIMIT = 1 << 20;
    /** Largest accountCapacity accepted. */
    public static final int MAX_ACCOUNT_CAPACITY = 1 << 24;
    /** Largest accountCapacity x edgesPerAccount accepted: the edge arrays are indexed by int. */
    public static final int MAX_EDGES = 1 << 30;

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
     * @param accountCapacity most debtor accounts whose payments the edge store holds, 1 to
     *                        {@value #MAX_ACCOUNT_CAPACITY}, and times edgesPerAccount at most {@value #MAX_EDGES};
     *                        default {@value #DEFAULT_ACCOUNT_CAPACITY}.
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
            if (accountCapacity < 1 || accountCapacity > MAX_ACCOUNT_CAPACITY)
            {
                throw new IllegalArgumentException(
                    NAME + " accountCapacity must be 1 to " + MAX_ACCOUNT_CAPACITY + ", was " + accountCapacity);
            }
            if ((long)accountCapacity * edgesPerAccount > MAX_EDGES)
            {
                throw new IllegalArgumentException(
                    NAME + " accountCapacity x edgesPerAccount must be at most " + MAX_EDGES + ", was " +
                    accountCapacity + " x " + edgesPerAccount + "; lower either");
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
    private final int accountCapacity;
    private final Severity severity;

    // the edge store: debtor account -> slot; slot s owns edges [s * edgesPerAccount, (s + 1) * edgesPerAccount)
    // of the edge arrays, a ring of its newest payments, oldest at head
    private final Long2LongHashMap slotOf = new Long2LongHashMap(1024, 0.65f, -1L);
    private long[] slotAccount;
    private long[] slotNewest;
    private int[] slotHead;
    private int[] slotSize;
    private long[] creditors;
    private long[] times;
    private long[] offsets;
    private long[] amounts;
    private int[] creditorSlots;     // slot of the creditor when last looked up, -1 if it had none
    private int slots;
    private int clockHand;
    private long newestTime = Long.MIN_VALUE;

    // search stack, depth d holds the d-th payment of the path back from Y
    private final int[] stackSlot;
    private final int[] stackRemaining;
    private final long[] nodes;
    private final long[] pathOffsets;
    private final long[] pathTimes;

    private long truncatedSearches;
    private long droppedEdges;
    private long evictedAccounts;
    private long evictedRecentAccounts;

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
        this.accountCapacity = parameters.accountCapacity();
        this.severity = parameters.severity();
        allocate(StateCapacity.initial(INITIAL_SLOTS, accountCapacity));
        stackSlot = new int[maxHops];
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
        final long now = event.eventTime;

        if (context.owns(x))
        {
            final int found = search(x, y, now);
            if (found > 0)
            {
                raise(event, context, found);
            }
        }

        if (now > newestTime)
        {
            newestTime = now;
        }
        long slot = slotOf.get(x);
        if (slot < 0)
        {
            slot = claimSlot(x);
        }
        add((int)slot, y, event.offset, now, event.amount);
    }

    /**
     * @return distinct debtor accounts whose edges the store holds.
     */
    public int accounts()
    {
        return slots;
    }

    /**
     * @return accounts evicted from the store because it held {@code accountCapacity} accounts.
     */
    public long evictedAccounts()
    {
        return evictedAccounts;
    }

    /**
     * @return of {@link #evictedAccounts()}, those evicted with a payment no older than the window before the
     *         newest payment seen: their eviction may have hidden a cycle.
     */
    public long evictedRecentAccounts()
    {
        return evictedRecentAccounts;
    }

    /**
     * @return number of payments on the path from y back to x, 0 if none found.
     */
    private int search(final long x, final long y, final long now)
    {
        final long oldest = now - windowNs;
        final int maxDepth = maxHops - 2;          // deepest index of a path payment
        final int minPath = minHops - 1;           // fewest path payments
        final long first = slotOf.get(y);
        if (first < 0)
        {
            return 0;
        }
        final int perAccount = edgesPerAccount;
        final long[] creditors = this.creditors;
        final long[] times = this.times;
        final long[] offsets = this.offsets;
        nodes[0] = y;
        stackSlot[0] = (int)first;
        stackRemaining[0] = slotSize[(int)first];
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
            final int slot = stackSlot[depth];
            int ring = slotHead[slot] + --stackRemaining[depth];
            if (ring >= perAccount)
            {
                ring -= perAccount;
            }
            final int index = slot * perAccount + ring;
            final long time = times[index];
            final long lowest = depth == 0 ? oldest : pathTimes[depth - 1];
            if (time < lowest || time > now)
            {
                continue;
            }
            final long creditor = creditors[index];
            pathOffsets[depth] = offsets[index];
            pathTimes[depth] = time;
            if (creditor == x)
            {
                if (depth + 1 >= minPath)
                {
                    nodes[depth + 1] = x;
                    return depth + 1;
                }
                continue;
            }
            if (depth + 1 > maxDepth || onPath(creditor, depth))
            {
                continue;
            }
            int next = creditorSlots[index];
            if (next < 0 || slotAccount[next] != creditor)
            {
                final long found = slotOf.get(creditor);
                if (found < 0)
                {
                    continue;
                }
                next = (int)found;
                creditorSlots[index] = next;
            }
            if (depth + 1 < maxDepth)
            {
                depth++;
                nodes[depth] = creditor;
                stackSlot[depth] = next;
                stackRemaining[depth] = slotSize[next];
                continue;
            }
            // the deepest level: only a payment to x, no earlier than this one, closes; scan it in place
            final int leaf = depth + 1;
            final int base = next * perAccount;
            final int head = slotHead[next];
            for (int n = slotSize[next] - 1; n >= 0; n--)
            {
                if (++explored > maxExplored)
                {
                    truncatedSearches++;
                    return 0;
                }
                int r = head + n;
                if (r >= perAccount)
                {
                    r -= perAccount;
                }
                final int at = base + r;
                final long t = times[at];
                if (t < time || t > now || creditors[at] != x || leaf + 1 < minPath)
                {
                    continue;
                }
                nodes[leaf] = creditor;
                nodes[leaf + 1] = x;
                pathOffsets[leaf] = offsets[at];
                pathTimes[leaf] = t;
                return leaf + 1;
            }
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

    private void add(final int slot, final long creditor, final long offset, final long time, final long amount)
    {
        final int perAccount = edgesPerAccount;
        int size = slotSize[slot];
        int head = slotHead[slot];
        if (size == perAccount)
        {
            head = head + 1 == perAccount ? 0 : head + 1;
            size--;
            droppedEdges++;
        }
        int ring = head + size;
        if (ring >= perAccount)
        {
            ring -= perAccount;
        }
        final int index = slot * perAccount + ring;
        creditors[index] = creditor;
        creditorSlots[index] = (int)slotOf.get(creditor);
        offsets[index] = offset;
        times[index] = time;
        amounts[index] = amount;
        slotHead[slot] = head;
        slotSize[slot] = size + 1;
        if (time > slotNewest[slot])
        {
            slotNewest[slot] = time;
        }
    }

    /**
     * A slot for a debtor not in the store: the next free one, growing the store up to accountCapacity, or, when
     * the store is full, the first of the {@value #EVICTION_PROBES} slots from the clock hand on whose newest
     * payment is older than the window before the newest payment seen, else the slot at the hand.
     */
    private long claimSlot(final long account)
    {
        int slot;
        if (slots < accountCapacity)
        {
            if (slots == slotAccount.length)
            {
                allocate(StateCapacity.doubled(slots, accountCapacity));
            }
            slot = slots++;
        }
        else
        {
            final long stale = newestTime - windowNs;
            slot = clockHand;
            int candidate = clockHand;
            for (int probe = 0; probe < EVICTION_PROBES; probe++)
            {
                if (slotNewest[candidate] < stale)
                {
                    slot = candidate;
                    break;
                }
                candidate = candidate + 1 == accountCapacity ? 0 : candidate + 1;
            }
            clockHand = slot + 1 == accountCapacity ? 0 : slot + 1;
            evictedAccounts++;
            if (slotNewest[slot] >= stale)
            {
                evictedRecentAccounts++;
            }
            slotOf.remove(slotAccount[slot]);
        }
        slotAccount[slot] = account;
        slotNewest[slot] = Long.MIN_VALUE;
        slotHead[slot] = 0;
        slotSize[slot] = 0;
        slotOf.put(account, slot);
        return slot;
    }

    /**
     * Grow (or first allocate) the store to hold {@code capacity} accounts, every slot staying where it is.
     */
    private void allocate(final int capacity)
    {
        final int edges = capacity * edgesPerAccount;
        final int used = slots * edgesPerAccount;
        slotAccount = grow(slotAccount, capacity, slots);
        slotNewest = grow(slotNewest, capacity, slots);
        slotHead = grow(slotHead, capacity, slots);
        slotSize = grow(slotSize, capacity, slots);
        creditors = grow(creditors, edges, used);
        times = grow(times, edges, used);
        offsets = grow(offsets, edges, used);
        amounts = grow(amounts, edges, used);
        creditorSlots = grow(creditorSlots, edges, used);
    }

    private static long[] grow(final long[] array, final int length, final int used)
    {
        final long[] grown = new long[length];
        if (array != null)
        {
            System.arraycopy(array, 0, grown, 0, used);
        }
        return grown;
    }

    private static int[] grow(final int[] array, final int length, final int used)
    {
        final int[] grown = new int[length];
        if (array != null)
        {
            System.arraycopy(array, 0, grown, 0, used);
        }
        return grown;
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
}
