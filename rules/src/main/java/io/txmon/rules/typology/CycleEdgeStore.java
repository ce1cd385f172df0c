package io.txmon.rules.typology;

import org.agrona.collections.Hashing;
import org.agrona.collections.Long2LongHashMap;

import java.util.Arrays;

/**
 * The cycle rule's graph: for each debtor account, its last {@code edgesPerAccount} payments (creditor, event
 * time, offset) in arrival order, in flat primitive arrays that grow by adding fixed-size pages and never copy
 * what they hold, so growing the store costs the garbage collector nothing but the new pages.
 * <p>
 * <b>Slots.</b> Each debtor account has a slot, an int from 0 to {@code accountCapacity - 1}, found through a map
 * split into segments (an Agrona {@link Long2LongHashMap} each, chosen by the top bits of the account's hash,
 * about {@value #ACCOUNTS_PER_SEGMENT} accounts per segment at full capacity, created when first used), so a
 * segment that grows rehashes only its own share of the accounts. A slot is two longs (account, newest event
 * time of its payments) and five ints (ring, head, size, and the previous and next slot in activity order) at
 * {@code slot >>> }{@value #SLOT_PAGE_SHIFT} in pages of {@value #SLOTS_PER_PAGE} slots.
 * <p>
 * <b>Rings.</b> A slot's payments are a ring of 4 edges (or {@code edgesPerAccount} if fewer), moved to a ring of
 * twice the size (at most {@code edgesPerAccount}) when it is full, oldest first, as {@link StateCapacity} grows
 * every per-key structure: the old ring is freed for the next account that needs one of its size. A full ring of
 * {@code edgesPerAccount} edges drops its oldest edge for the new one, counted in {@link #droppedEdges()}. Rings
 * of one size live in a pool of pages of {@value #PAGE_EDGES} edges (or one ring, if larger), an edge being
 * {@value #EDGE_LONGS} longs side by side: creditor, event time, offset, and the creditor's slot when last looked
 * up (-1 if it had none; checked against the slot's account before use, so a stale one costs a map lookup and is
 * never wrong). Ring r of a pool is in page {@code r >>> ringShift}, so index to (page, position) is two shifts.
 * Only the page directories (arrays of references) are copied when they double.
 * <p>
 * <b>Capacity.</b> At most {@code accountCapacity} slots. When they are all taken, a new debtor takes the slot of
 * the least recently active debtor (the one whose last payment arrived first): an account idle the longest is
 * evicted first, counted in {@link #evictedAccounts()}, and in {@link #evictedRecentAccounts()} if it had paid
 * within the window before the newest payment seen (a cycle through it can then be missed).
 * <p>
 * <b>Memory</b> (64-bit JVM, compressed oops): per debtor account, 36 bytes of slot, 32 bytes per edge of its ring
 * (128 bytes for up to 4 payments, 256 for 5 to 8, 512 for 9 to 16 at the default {@code edgesPerAccount}) and
 * 25 to 49 bytes of map: about 200 bytes for an account that has made a few payments, about 580 at most with the
 * defaults. Rings freed when their account moved to a larger ring, or was evicted, stay in their pool for reuse,
 * so a population whose accounts all grew at once also holds the smaller rings it went through (up to 384 bytes
 * more per account at the defaults). Nothing is ever freed to the heap.
 * <p>
 * Single threaded; nothing is allocated per payment except a new page, a map segment's rehash or a page directory
 * doubling, each bounded and rarer as the store fills.
 */
final class CycleEdgeStore
{
    /** Longs per edge. */
    static final int EDGE_LONGS = 4;
    /** Edge field: the creditor account. */
    static final int CREDITOR = 0;
    /** Edge field: the event time. */
    static final int TIME = 1;
    /** Edge field: the offset of the payment. */
    static final int OFFSET = 2;
    /** Edge field: the creditor's slot when last looked up, or -1. */
    static final int CREDITOR_SLOT = 3;
    /** Edges in a new account's ring, unless edgesPerAccount is fewer. */
    static final int INITIAL_EDGES = 4;
    /** Edges per page of a ring pool; a larger ring has a page of its own. */
    static final int PAGE_EDGES = 512;
    /** log2 of the slots per slot page. */
    static final int SLOT_PAGE_SHIFT = 9;
    /** Slots per slot page. */
    static final int SLOTS_PER_PAGE = 1 << SLOT_PAGE_SHIFT;
    /** Accounts per map segment when the store is full. */
    static final int ACCOUNTS_PER_SEGMENT = 1024;

    private static final int SLOT_MASK = SLOTS_PER_PAGE - 1;
    private static final int SLOT_LONGS = 2;
    private static final int ACCOUNT = 0;
    private static final int NEWEST = 1;
    private static final int SLOT_INTS = 5;
    private static final int RING = 0;
    private static final int HEAD = 1;
    private static final int SIZE = 2;
    private static final int PREV = 3;
    private static final int NEXT = 4;
    private static final int CLASS_SHIFT = 26;
    private static final int RING_MASK = (1 << CLASS_SHIFT) - 1;
    private static final int MAX_SEGMENT_BITS = 14;

    private final int edgesPerAccount;
    private final int accountCapacity;
    private final long windowNs;
    private final RingPool[] pools;
    private final Long2LongHashMap[] segments;
    private final int segmentShift;
    private final int segmentMask;

    private long[][] slotLongs = new long[1][];
    private int[][] slotInts = new int[1][];
    private int used;
    private int lruHead = -1;
    private int lruTail = -1;
    private long newestTime = Long.MIN_VALUE;

    private long droppedEdges;
    private long evictedAccounts;
    private long evictedRecentAccounts;

    /**
     * @param edgesPerAccount most edges kept per debtor, at least 1.
     * @param accountCapacity most debtors held, at least 1.
     * @param windowNs        window of the rule, positive: only for counting evictions of recently active accounts.
     */
    CycleEdgeStore(final int edgesPerAccount, final int accountCapacity, final long windowNs)
    {
        this.edgesPerAccount = edgesPerAccount;
        this.accountCapacity = accountCapacity;
        this.windowNs = windowNs;

        int classes = 1;
        for (int c = StateCapacity.initial(INITIAL_EDGES, edgesPerAccount); c < edgesPerAccount;
            c = StateCapacity.doubled(c, edgesPerAccount))
        {
            classes++;
        }
        pools = new RingPool[classes];
        int capacity = StateCapacity.initial(INITIAL_EDGES, edgesPerAccount);
        for (int k = 0; k < classes; k++)
        {
            pools[k] = new RingPool(capacity);
            capacity = StateCapacity.doubled(capacity, edgesPerAccount);
        }

        final int wanted = Math.max(1, accountCapacity / ACCOUNTS_PER_SEGMENT);
        final int bits = Math.min(MAX_SEGMENT_BITS, 32 - Integer.numberOfLeadingZeros(wanted - 1));
        segments = new Long2LongHashMap[1 << bits];
        segmentShift = 32 - bits;       // a shift of 32 is none, and the mask is 0 then
        segmentMask = (1 << bits) - 1;
    }

    /**
     * @param account a debtor or creditor.
     * @return its slot, or -1 if it has no payment in the store.
     */
    int slotOf(final long account)
    {
        final Long2LongHashMap segment = segments[segment(account)];
        return null == segment ? -1 : (int)segment.get(account);
    }

    /**
     * @return debtor accounts held.
     */
    int accounts()
    {
        return used;
    }

    /**
     * @param slot a taken slot.
     * @return its account.
     */
    long account(final int slot)
    {
        return slotLongs[slot >>> SLOT_PAGE_SHIFT][(slot & SLOT_MASK) * SLOT_LONGS + ACCOUNT];
    }

    /**
     * @param slot a taken slot.
     * @return the latest event time of the payments it has been given, dropped ones included.
     */
    long newest(final int slot)
    {
        return slotLongs[slot >>> SLOT_PAGE_SHIFT][(slot & SLOT_MASK) * SLOT_LONGS + NEWEST];
    }

    /**
     * @param slot a taken slot.
     * @return edges held, 1 to edgesPerAccount.
     */
    int size(final int slot)
    {
        return slotInts[slot >>> SLOT_PAGE_SHIFT][(slot & SLOT_MASK) * SLOT_INTS + SIZE];
    }

    /**
     * @param slot a taken slot.
     * @return position in its ring of its oldest edge.
     */
    int head(final int slot)
    {
        return slotInts[slot >>> SLOT_PAGE_SHIFT][(slot & SLOT_MASK) * SLOT_INTS + HEAD];
    }

    /**
     * @param slot a taken slot.
     * @return the page holding its ring.
     */
    long[] page(final int slot)
    {
        final int ref = ring(slot);
        return pools[ref >>> CLASS_SHIFT].page(ref & RING_MASK);
    }

    /**
     * @param slot a taken slot.
     * @return index in {@link #page(int)} of the first long of its ring.
     */
    int base(final int slot)
    {
        final int ref = ring(slot);
        return pools[ref >>> CLASS_SHIFT].base(ref & RING_MASK);
    }

    /**
     * @param slot a taken slot.
     * @return edges its ring can hold before it grows or drops one.
     */
    int capacity(final int slot)
    {
        return pools[ring(slot) >>> CLASS_SHIFT].capacity;
    }

    /**
     * Index in the slot's page of the n-th oldest edge.
     *
     * @param slot a taken slot.
     * @param n    0 for the oldest, up to size - 1.
     * @return the index of the edge's first long.
     */
    int edge(final int slot, final int n)
    {
        final int capacity = capacity(slot);
        int position = head(slot) + n;
        if (position >= capacity)
        {
            position -= capacity;
        }
        return base(slot) + position * EDGE_LONGS;
    }

    /**
     * The slot of an edge's creditor, from the edge's remembered slot if it still holds that account, else from
     * the map (and remembered).
     *
     * @param page     holding the edge.
     * @param index    of the edge's first long.
     * @param creditor the edge's creditor.
     * @return its slot, or -1 if it has made no payment held here.
     */
    int creditorSlot(final long[] page, final int index, final long creditor)
    {
        final int remembered = (int)page[index + CREDITOR_SLOT];
        if (remembered >= 0 && account(remembered) == creditor)
        {
            return remembered;
        }
        final int slot = slotOf(creditor);
        page[index + CREDITOR_SLOT] = slot;
        return slot;
    }

    /**
     * Record a payment: the debtor's slot (taken now if it has none, evicting the least recently active debtor
     * if the store is full) becomes the most recently active and gets the edge.
     *
     * @param debtor       paying account.
     * @param creditor     paid account.
     * @param creditorSlot the creditor's slot if known, else -1; checked before it is used.
     * @param offset       of the payment.
     * @param time         event time of the payment.
     */
    void record(final long debtor, final long creditor, final int creditorSlot, final long offset, final long time)
    {
        if (time > newestTime)
        {
            newestTime = time;
        }
        int slot = slotOf(debtor);
        if (slot < 0)
        {
            slot = claim(debtor);
        }
        else if (slot != lruTail)
        {
            unlink(slot);
            linkLast(slot);
        }
        append(slot, creditor, creditorSlot, offset, time);
    }

    /**
     * @return the least recently active debtor's slot, -1 if the store is empty.
     */
    int leastRecent()
    {
        return lruHead;
    }

    /**
     * @param slot a taken slot.
     * @return the slot of the next more recently active debtor, -1 after the most recent.
     */
    int moreRecent(final int slot)
    {
        return slotInts[slot >>> SLOT_PAGE_SHIFT][(slot & SLOT_MASK) * SLOT_INTS + NEXT];
    }

    /**
     * Add a debtor read from a snapshot, as the most recently active one so far; give it its edges with
     * {@link #restoreEdge}, oldest first, then its newest time with {@link #restoreNewest}.
     *
     * @param account not yet in the store, which is not full.
     * @return its slot.
     */
    int restoreAccount(final long account)
    {
        return claim(account);
    }

    /**
     * @param slot     from {@link #restoreAccount}.
     * @param creditor of the edge.
     * @param offset   of the edge.
     * @param time     of the edge.
     */
    void restoreEdge(final int slot, final long creditor, final long offset, final long time)
    {
        append(slot, creditor, -1, offset, time);
    }

    /**
     * @param slot   from {@link #restoreAccount}.
     * @param newest its newest time as written.
     */
    void restoreNewest(final int slot, final long newest)
    {
        slotLongs[slot >>> SLOT_PAGE_SHIFT][(slot & SLOT_MASK) * SLOT_LONGS + NEWEST] = newest;
    }

    /**
     * @return latest event time of any payment recorded.
     */
    long newestTime()
    {
        return newestTime;
    }

    /**
     * @param time latest event time of any payment recorded, as written in a snapshot.
     */
    void newestTime(final long time)
    {
        newestTime = time;
    }

    /**
     * @return edges dropped because an account's ring was full.
     */
    long droppedEdges()
    {
        return droppedEdges;
    }

    /**
     * @return accounts evicted because the store was full.
     */
    long evictedAccounts()
    {
        return evictedAccounts;
    }

    /**
     * @return of those, accounts that had paid within the window before the newest payment seen.
     */
    long evictedRecentAccounts()
    {
        return evictedRecentAccounts;
    }

    private int ring(final int slot)
    {
        return slotInts[slot >>> SLOT_PAGE_SHIFT][(slot & SLOT_MASK) * SLOT_INTS + RING];
    }

    private int segment(final long account)
    {
        return (Hashing.hash(account) >>> segmentShift) & segmentMask;
    }

    private int claim(final long account)
    {
        final int slot;
        if (used < accountCapacity)
        {
            slot = used;
            final int page = slot >>> SLOT_PAGE_SHIFT;
            if (page == slotLongs.length)
            {
                slotLongs = Arrays.copyOf(slotLongs, page * 2);
                slotInts = Arrays.copyOf(slotInts, page * 2);
            }
            if (null == slotLongs[page])
            {
                slotLongs[page] = new long[SLOTS_PER_PAGE * SLOT_LONGS];
                slotInts[page] = new int[SLOTS_PER_PAGE * SLOT_INTS];
            }
            used++;
        }
        else
        {
            slot = lruHead;
            evict(slot);
        }
        final long[] longs = slotLongs[slot >>> SLOT_PAGE_SHIFT];
        final int l = (slot & SLOT_MASK) * SLOT_LONGS;
        longs[l + ACCOUNT] = account;
        longs[l + NEWEST] = Long.MIN_VALUE;
        final int[] ints = slotInts[slot >>> SLOT_PAGE_SHIFT];
        final int i = (slot & SLOT_MASK) * SLOT_INTS;
        ints[i + RING] = pools[0].allocate();
        ints[i + HEAD] = 0;
        ints[i + SIZE] = 0;
        linkLast(slot);
        final int s = segment(account);
        Long2LongHashMap segment = segments[s];
        if (null == segment)
        {
            segment = new Long2LongHashMap(8, Hashing.DEFAULT_LOAD_FACTOR, -1L);
            segments[s] = segment;
        }
        segment.put(account, slot);
        return slot;
    }

    private void evict(final int slot)
    {
        evictedAccounts++;
        if (newest(slot) >= saturatedSubtract(newestTime, windowNs))
        {
            evictedRecentAccounts++;
        }
        final long account = account(slot);
        segments[segment(account)].remove(account);
        final int ref = ring(slot);
        pools[ref >>> CLASS_SHIFT].free(ref & RING_MASK);
        unlink(slot);
    }

    private void append(
        final int slot, final long creditor, final int creditorSlot, final long offset, final long time)
    {
        final int[] ints = slotInts[slot >>> SLOT_PAGE_SHIFT];
        final int i = (slot & SLOT_MASK) * SLOT_INTS;
        int ref = ints[i + RING];
        int head = ints[i + HEAD];
        int size = ints[i + SIZE];
        RingPool pool = pools[ref >>> CLASS_SHIFT];
        if (size == pool.capacity)
        {
            if (size < edgesPerAccount)
            {
                ref = moveToLargerRing(ref, head, size);
                head = 0;
                pool = pools[ref >>> CLASS_SHIFT];
                ints[i + RING] = ref;
            }
            else
            {
                head = head + 1 == size ? 0 : head + 1;
                size--;
                droppedEdges++;
            }
        }
        int position = head + size;
        if (position >= pool.capacity)
        {
            position -= pool.capacity;
        }
        final int ring = ref & RING_MASK;
        final long[] page = pool.page(ring);
        final int at = pool.base(ring) + position * EDGE_LONGS;
        page[at + CREDITOR] = creditor;
        page[at + TIME] = time;
        page[at + OFFSET] = offset;
        page[at + CREDITOR_SLOT] = creditorSlot;
        ints[i + HEAD] = head;
        ints[i + SIZE] = size + 1;

        final long[] longs = slotLongs[slot >>> SLOT_PAGE_SHIFT];
        final int l = (slot & SLOT_MASK) * SLOT_LONGS + NEWEST;
        if (time > longs[l])
        {
            longs[l] = time;
        }
    }

    /**
     * Copy a full ring, oldest edge first, into a ring of the next size, and free it.
     *
     * @return the new ring's reference.
     */
    private int moveToLargerRing(final int ref, final int head, final int size)
    {
        final int k = ref >>> CLASS_SHIFT;
        final RingPool from = pools[k];
        final RingPool to = pools[k + 1];
        final int toRing = to.allocate();
        final int fromRing = ref & RING_MASK;
        final long[] fromPage = from.page(fromRing);
        final int fromBase = from.base(fromRing);
        final long[] toPage = to.page(toRing);
        final int toBase = to.base(toRing);
        final int firstPart = size - head;
        System.arraycopy(fromPage, fromBase + head * EDGE_LONGS, toPage, toBase, firstPart * EDGE_LONGS);
        System.arraycopy(fromPage, fromBase, toPage, toBase + firstPart * EDGE_LONGS, head * EDGE_LONGS);
        from.free(fromRing);
        return (k + 1) << CLASS_SHIFT | toRing;
    }

    private void linkLast(final int slot)
    {
        final int[] ints = slotInts[slot >>> SLOT_PAGE_SHIFT];
        final int i = (slot & SLOT_MASK) * SLOT_INTS;
        ints[i + PREV] = lruTail;
        ints[i + NEXT] = -1;
        if (lruTail >= 0)
        {
            slotInts[lruTail >>> SLOT_PAGE_SHIFT][(lruTail & SLOT_MASK) * SLOT_INTS + NEXT] = slot;
        }
        else
        {
            lruHead = slot;
        }
        lruTail = slot;
    }

    private void unlink(final int slot)
    {
        final int[] ints = slotInts[slot >>> SLOT_PAGE_SHIFT];
        final int i = (slot & SLOT_MASK) * SLOT_INTS;
        final int prev = ints[i + PREV];
        final int next = ints[i + NEXT];
        if (prev >= 0)
        {
            slotInts[prev >>> SLOT_PAGE_SHIFT][(prev & SLOT_MASK) * SLOT_INTS + NEXT] = next;
        }
        else
        {
            lruHead = next;
        }
        if (next >= 0)
        {
            slotInts[next >>> SLOT_PAGE_SHIFT][(next & SLOT_MASK) * SLOT_INTS + PREV] = prev;
        }
        else
        {
            lruTail = prev;
        }
    }

    private static long saturatedSubtract(final long value, final long minus)
    {
        final long result = value - minus;
        return result > value ? Long.MIN_VALUE : result;
    }

    /**
     * Rings of one size in pages of {@link #PAGE_EDGES} edges (one ring per page if larger); freed rings are
     * reused first, linked through their first long.
     */
    private static final class RingPool
    {
        final int capacity;
        private final int ringShift;
        private final int ringMask;
        private final int ringLongs;
        private long[][] pages = new long[1][];
        private int allocated;
        private int freeHead = -1;

        RingPool(final int capacity)
        {
            this.capacity = capacity;
            ringShift = 31 - Integer.numberOfLeadingZeros(Math.max(1, PAGE_EDGES / capacity));
            ringMask = (1 << ringShift) - 1;
            ringLongs = capacity * EDGE_LONGS;
        }

        long[] page(final int ring)
        {
            return pages[ring >>> ringShift];
        }

        int base(final int ring)
        {
            return (ring & ringMask) * ringLongs;
        }

        int allocate()
        {
            if (freeHead >= 0)
            {
                final int ring = freeHead;
                freeHead = (int)page(ring)[base(ring)];
                return ring;
            }
            final int ring = allocated++;
            final int page = ring >>> ringShift;
            if (page == pages.length)
            {
                pages = Arrays.copyOf(pages, page * 2);
            }
            if (null == pages[page])
            {
                pages[page] = new long[ringLongs << ringShift];
            }
            return ring;
        }

        void free(final int ring)
        {
            page(ring)[base(ring)] = freeHead;
            freeHead = ring;
        }
    }
}
