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
 * segment that grows rehashes only its own share of the accounts. A slot is a record of five longs in pages of
 * {@value #SLOTS_PER_PAGE} slots: the account; its ring (reference in the high int, head and size in the two low
 * shorts); its creditor bits; the newest event time of its payments; and the previous and next slot in activity
 * order (high and low int). The first three are side by side, so checking a remembered slot, reading its ring and
 * its creditor bits touch one cache line (two at most).
 * <p>
 * <b>Creditor bits.</b> A 64-bit filter of the creditors in the ring: bit {@link #creditorBit(long)} is set for
 * each. A bit that is clear proves the account has no payment to that creditor, so a search looking for one reads
 * no edge. Bits of dropped edges are cleared by recomputing the filter from the ring on every
 * {@code max(1, edgesPerAccount / 16)}-th drop, so it holds at most that many stale creditors (none at the
 * default). A filter, never a decision: it only saves reading edges that could not match.
 * <p>
 * <b>Rings.</b> A slot's payments are a ring of 4 edges (or {@code edgesPerAccount} if fewer), moved to a ring of
 * twice the size (at most {@code edgesPerAccount}) when it is full, oldest first, as {@link StateCapacity} grows
 * every per-key structure: the old ring is freed for the next account that needs one of its size. A full ring of
 * {@code edgesPerAccount} edges drops its oldest edge for the new one, counted in {@link #droppedEdges()}. Rings
 * of one size live in a pool of pages of {@value #PAGE_EDGES} edges (or one ring, if larger), as four arrays per
 * page (structure of arrays, so a scan reads only the fields it tests): creditors, event times, offsets (longs)
 * and the creditor's slot when last looked up (int; -1 if it had none; checked against the slot's account before
 * use, so a stale one costs a map lookup and is never wrong). A ring reference holds its pool (high bits) and its
 * number r in the pool; ring r is in page {@code r >>> ringShift} at edge {@code (r & ringMask) * capacity}, so
 * index to (page, position) is a shift and a mask. Only the page directories (arrays of references) are copied
 * when they double.
 * <p>
 * <b>Capacity.</b> At most {@code accountCapacity} slots. When they are all taken, a new debtor takes the slot of
 * the least recently active debtor (the one whose last payment arrived first): an account idle the longest is
 * evicted first, counted in {@link #evictedAccounts()}, and in {@link #evictedRecentAccounts()} if it had paid
 * within the window before the newest payment seen (a cycle through it can then be missed).
 * <p>
 * <b>Memory</b> (64-bit JVM, compressed oops): per debtor account, 40 bytes of slot, {@value #EDGE_BYTES} bytes
 * per edge of its ring (112 for up to 4 payments, 224 for 5 to 8, 448 for 9 to 16 at the default
 * {@code edgesPerAccount}) and 25 to 49 bytes of map: about 190 bytes for an account that has made a few payments,
 * about 530 at most with the defaults. Rings freed when their account moved to a larger ring, or was evicted, stay
 * in their pool for reuse, so a population whose accounts all grew at once also holds the smaller rings it went
 * through (up to 336 bytes more per account at the defaults). Nothing is ever freed to the heap.
 * <p>
 * Single threaded; nothing is allocated per payment except a new page, a map segment's rehash or a page directory
 * doubling, each bounded and rarer as the store fills.
 */
final class CycleEdgeStore
{
    /** Bytes per edge: creditor, event time and offset (longs), and the creditor's slot (int). */
    static final int EDGE_BYTES = 3 * Long.BYTES + Integer.BYTES;
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
    private static final int SLOT_LONGS = 5;
    private static final int ACCOUNT = 0;
    private static final int RING = 1;
    private static final int CREDITOR_BITS = 2;
    private static final int NEWEST = 3;
    private static final int LINKS = 4;
    private static final long BIT_MIXER = 0x9E37_79B9_7F4A_7C15L;
    private static final int POOL_SHIFT = 26;
    private static final int RING_MASK = (1 << POOL_SHIFT) - 1;
    private static final int MAX_SEGMENT_BITS = 14;

    private final int edgesPerAccount;
    private final int recomputeEvery;
    private final int accountCapacity;
    private final long windowNs;
    private final RingPool[] pools;
    private final Long2LongHashMap[] segments;
    private final int segmentShift;
    private final int segmentMask;

    private long[][] slotPages = new long[1][];
    private int used;
    private int lruHead = -1;
    private int lruTail = -1;
    private long newestTime = Long.MIN_VALUE;

    private long droppedEdges;
    private long evictedAccounts;
    private long evictedRecentAccounts;

    /**
     * @param edgesPerAccount most edges kept per debtor, 1 to 65,535.
     * @param accountCapacity most debtors held, 1 to 2^26.
     * @param windowNs        window of the rule, positive: only for counting evictions of recently active accounts.
     */
    CycleEdgeStore(final int edgesPerAccount, final int accountCapacity, final long windowNs)
    {
        this.edgesPerAccount = edgesPerAccount;
        this.recomputeEvery = Math.max(1, edgesPerAccount / 16);
        this.accountCapacity = accountCapacity;
        this.windowNs = windowNs;

        int pools = 1;
        for (int c = StateCapacity.initial(INITIAL_EDGES, edgesPerAccount); c < edgesPerAccount;
            c = StateCapacity.doubled(c, edgesPerAccount))
        {
            pools++;
        }
        this.pools = new RingPool[pools];
        int capacity = StateCapacity.initial(INITIAL_EDGES, edgesPerAccount);
        for (int k = 0; k < pools; k++)
        {
            this.pools[k] = new RingPool(capacity);
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
        return slotPages[slot >>> SLOT_PAGE_SHIFT][(slot & SLOT_MASK) * SLOT_LONGS + ACCOUNT];
    }

    /**
     * @param slot a taken slot.
     * @return the latest event time of the payments it has been given, dropped ones included.
     */
    long newest(final int slot)
    {
        return slotPages[slot >>> SLOT_PAGE_SHIFT][(slot & SLOT_MASK) * SLOT_LONGS + NEWEST];
    }

    /**
     * The slot's ring, head and size in one long; take them apart with {@link #ring(long)}, {@link #head(long)}
     * and {@link #size(long)}.
     *
     * @param slot a taken slot.
     * @return its ring information.
     */
    long ringInfo(final int slot)
    {
        return slotPages[slot >>> SLOT_PAGE_SHIFT][(slot & SLOT_MASK) * SLOT_LONGS + RING];
    }

    /**
     * @param slot a taken slot.
     * @return a filter of its ring's creditors: a creditor whose {@link #creditorBit(long)} is clear in it has no
     * edge in the ring.
     */
    long creditorBits(final int slot)
    {
        return slotPages[slot >>> SLOT_PAGE_SHIFT][(slot & SLOT_MASK) * SLOT_LONGS + CREDITOR_BITS];
    }

    /**
     * @param creditor an account.
     * @return its bit in {@link #creditorBits(int)}: one of 64, from the top six bits of a multiplicative hash.
     */
    static long creditorBit(final long creditor)
    {
        return 1L << ((creditor * BIT_MIXER) >>> 58);
    }

    /**
     * @param ringInfo of a slot.
     * @return the reference of its ring.
     */
    static int ring(final long ringInfo)
    {
        return (int)(ringInfo >>> 32);
    }

    /**
     * @param ringInfo of a slot.
     * @return position in its ring of its oldest edge.
     */
    static int head(final long ringInfo)
    {
        return (int)(ringInfo >>> 16) & 0xFFFF;
    }

    /**
     * @param ringInfo of a slot.
     * @return edges held, 1 to edgesPerAccount.
     */
    static int size(final long ringInfo)
    {
        return (int)ringInfo & 0xFFFF;
    }

    /**
     * @param ring a ring reference.
     * @return the page of creditors holding it.
     */
    long[] creditors(final int ring)
    {
        final RingPool pool = pools[ring >>> POOL_SHIFT];
        return pool.creditorPages[(ring & RING_MASK) >>> pool.ringShift];
    }

    /**
     * @param ring a ring reference.
     * @return the page of event times holding it.
     */
    long[] times(final int ring)
    {
        final RingPool pool = pools[ring >>> POOL_SHIFT];
        return pool.timePages[(ring & RING_MASK) >>> pool.ringShift];
    }

    /**
     * @param ring a ring reference.
     * @return the page of offsets holding it.
     */
    long[] offsets(final int ring)
    {
        final RingPool pool = pools[ring >>> POOL_SHIFT];
        return pool.offsetPages[(ring & RING_MASK) >>> pool.ringShift];
    }

    /**
     * @param ring a ring reference.
     * @return the page of remembered creditor slots holding it.
     */
    int[] creditorSlots(final int ring)
    {
        final RingPool pool = pools[ring >>> POOL_SHIFT];
        return pool.slotPages[(ring & RING_MASK) >>> pool.ringShift];
    }

    /**
     * @param ring a ring reference.
     * @return index in its pages of its first edge.
     */
    int base(final int ring)
    {
        return pools[ring >>> POOL_SHIFT].base(ring & RING_MASK);
    }

    /**
     * @param ring a ring reference.
     * @return edges it can hold before it grows or drops one.
     */
    int capacity(final int ring)
    {
        return pools[ring >>> POOL_SHIFT].capacity;
    }

    /**
     * Index in the slot's pages of the n-th oldest edge.
     *
     * @param slot a taken slot.
     * @param n    0 for the oldest, up to size - 1.
     * @return the index of the edge.
     */
    int edge(final int slot, final int n)
    {
        final long info = ringInfo(slot);
        final int ring = ring(info);
        final int capacity = capacity(ring);
        int position = head(info) + n;
        if (position >= capacity)
        {
            position -= capacity;
        }
        return base(ring) + position;
    }

    /**
     * The slot of an edge's creditor, from the edge's remembered slot if it still holds that account, else from
     * the map (and remembered).
     *
     * @param creditorSlots page of remembered slots holding the edge.
     * @param index         of the edge.
     * @param creditor      the edge's creditor.
     * @return its slot, or -1 if it has made no payment held here.
     */
    int creditorSlot(final int[] creditorSlots, final int index, final long creditor)
    {
        final int remembered = creditorSlots[index];
        if (remembered >= 0 && account(remembered) == creditor)
        {
            return remembered;
        }
        final int slot = slotOf(creditor);
        creditorSlots[index] = slot;
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
        return next(slotPages[slot >>> SLOT_PAGE_SHIFT][(slot & SLOT_MASK) * SLOT_LONGS + LINKS]);
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
        slotPages[slot >>> SLOT_PAGE_SHIFT][(slot & SLOT_MASK) * SLOT_LONGS + NEWEST] = newest;
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
            if (page == slotPages.length)
            {
                slotPages = Arrays.copyOf(slotPages, page * 2);
            }
            if (null == slotPages[page])
            {
                slotPages[page] = new long[SLOTS_PER_PAGE * SLOT_LONGS];
            }
            used++;
        }
        else
        {
            slot = lruHead;
            evict(slot);
        }
        final long[] page = slotPages[slot >>> SLOT_PAGE_SHIFT];
        final int at = (slot & SLOT_MASK) * SLOT_LONGS;
        page[at + ACCOUNT] = account;
        page[at + RING] = ringInfo(pools[0].allocate(), 0, 0);
        page[at + CREDITOR_BITS] = 0;
        page[at + NEWEST] = Long.MIN_VALUE;
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
        final int ring = ring(ringInfo(slot));
        pools[ring >>> POOL_SHIFT].free(ring & RING_MASK);
        unlink(slot);
    }

    private void append(
        final int slot, final long creditor, final int creditorSlot, final long offset, final long time)
    {
        final long[] slotPage = slotPages[slot >>> SLOT_PAGE_SHIFT];
        final int at = (slot & SLOT_MASK) * SLOT_LONGS;
        final long info = slotPage[at + RING];
        int ring = ring(info);
        int head = head(info);
        int size = size(info);
        RingPool pool = pools[ring >>> POOL_SHIFT];
        boolean recompute = false;
        if (size == pool.capacity)
        {
            if (size < edgesPerAccount)
            {
                ring = moveToLargerRing(ring, head, size);
                head = 0;
                pool = pools[ring >>> POOL_SHIFT];
            }
            else
            {
                head = head + 1 == size ? 0 : head + 1;
                size--;
                droppedEdges++;
                recompute = head % recomputeEvery == 0;
            }
        }
        int position = head + size;
        if (position >= pool.capacity)
        {
            position -= pool.capacity;
        }
        final int number = ring & RING_MASK;
        final int page = number >>> pool.ringShift;
        final int edge = pool.base(number) + position;
        pool.creditorPages[page][edge] = creditor;
        pool.timePages[page][edge] = time;
        pool.offsetPages[page][edge] = offset;
        pool.slotPages[page][edge] = creditorSlot;
        slotPage[at + RING] = ringInfo(ring, head, size + 1);
        if (recompute)
        {
            final long[] creditors = pool.creditorPages[page];
            final int base = pool.base(number);
            long bits = 0;
            for (int i = 0, n = size + 1; i < n; i++)
            {
                bits |= creditorBit(creditors[base + i]);      // the whole ring is full: every position is an edge
            }
            slotPage[at + CREDITOR_BITS] = bits;
        }
        else
        {
            slotPage[at + CREDITOR_BITS] |= creditorBit(creditor);
        }
        if (time > slotPage[at + NEWEST])
        {
            slotPage[at + NEWEST] = time;
        }
    }

    /**
     * Copy a full ring, oldest edge first, into a ring of the next size, and free it.
     *
     * @return the new ring's reference.
     */
    private int moveToLargerRing(final int ring, final int head, final int size)
    {
        final int k = ring >>> POOL_SHIFT;
        final RingPool from = pools[k];
        final RingPool to = pools[k + 1];
        final int toNumber = to.allocate();
        final int fromNumber = ring & RING_MASK;
        from.copy(fromNumber, head, size - head, to, toNumber, 0);
        from.copy(fromNumber, 0, head, to, toNumber, size - head);
        from.free(fromNumber);
        return (k + 1) << POOL_SHIFT | toNumber;
    }

    private void linkLast(final int slot)
    {
        setLinks(slot, lruTail, -1);
        if (lruTail >= 0)
        {
            setLinks(lruTail, prev(links(lruTail)), slot);
        }
        else
        {
            lruHead = slot;
        }
        lruTail = slot;
    }

    private void unlink(final int slot)
    {
        final long links = links(slot);
        final int prev = prev(links);
        final int next = next(links);
        if (prev >= 0)
        {
            setLinks(prev, prev(links(prev)), next);
        }
        else
        {
            lruHead = next;
        }
        if (next >= 0)
        {
            setLinks(next, prev, next(links(next)));
        }
        else
        {
            lruTail = prev;
        }
    }

    private long links(final int slot)
    {
        return slotPages[slot >>> SLOT_PAGE_SHIFT][(slot & SLOT_MASK) * SLOT_LONGS + LINKS];
    }

    private void setLinks(final int slot, final int prev, final int next)
    {
        slotPages[slot >>> SLOT_PAGE_SHIFT][(slot & SLOT_MASK) * SLOT_LONGS + LINKS] =
            (long)prev << 32 | (next & 0xFFFF_FFFFL);
    }

    private static int prev(final long links)
    {
        return (int)(links >> 32);
    }

    private static int next(final long links)
    {
        return (int)links;
    }

    private static long ringInfo(final int ring, final int head, final int size)
    {
        return (long)ring << 32 | (long)head << 16 | size;
    }

    private static long saturatedSubtract(final long value, final long minus)
    {
        final long result = value - minus;
        return result > value ? Long.MIN_VALUE : result;
    }

    /**
     * Rings of one size in pages of {@link #PAGE_EDGES} edges (one ring per page if larger), each page four arrays
     * of one field; freed rings are reused first, linked through the creditor slot of their first edge.
     */
    private static final class RingPool
    {
        final int capacity;
        final int ringShift;
        private final int ringMask;
        long[][] creditorPages = new long[1][];
        long[][] timePages = new long[1][];
        long[][] offsetPages = new long[1][];
        int[][] slotPages = new int[1][];
        private int allocated;
        private int freeHead = -1;

        RingPool(final int capacity)
        {
            this.capacity = capacity;
            ringShift = 31 - Integer.numberOfLeadingZeros(Math.max(1, PAGE_EDGES / capacity));
            ringMask = (1 << ringShift) - 1;
        }

        int base(final int number)
        {
            return (number & ringMask) * capacity;
        }

        int allocate()
        {
            if (freeHead >= 0)
            {
                final int number = freeHead;
                freeHead = slotPages[number >>> ringShift][base(number)];
                return number;
            }
            final int number = allocated++;
            final int page = number >>> ringShift;
            if (page == creditorPages.length)
            {
                creditorPages = Arrays.copyOf(creditorPages, page * 2);
                timePages = Arrays.copyOf(timePages, page * 2);
                offsetPages = Arrays.copyOf(offsetPages, page * 2);
                slotPages = Arrays.copyOf(slotPages, page * 2);
            }
            if (null == creditorPages[page])
            {
                final int edges = capacity << ringShift;
                creditorPages[page] = new long[edges];
                timePages[page] = new long[edges];
                offsetPages[page] = new long[edges];
                slotPages[page] = new int[edges];
            }
            return number;
        }

        void free(final int number)
        {
            slotPages[number >>> ringShift][base(number)] = freeHead;
            freeHead = number;
        }

        /**
         * Copy {@code count} edges from position {@code from} of ring {@code number} of this pool to position
         * {@code to} of ring {@code targetNumber} of another.
         */
        void copy(
            final int number, final int from, final int count, final RingPool target, final int targetNumber,
            final int to)
        {
            final int page = number >>> ringShift;
            final int at = base(number) + from;
            final int targetPage = targetNumber >>> target.ringShift;
            final int targetAt = target.base(targetNumber) + to;
            System.arraycopy(creditorPages[page], at, target.creditorPages[targetPage], targetAt, count);
            System.arraycopy(timePages[page], at, target.timePages[targetPage], targetAt, count);
            System.arraycopy(offsetPages[page], at, target.offsetPages[targetPage], targetAt, count);
            System.arraycopy(slotPages[page], at, target.slotPages[targetPage], targetAt, count);
        }
    }
}
