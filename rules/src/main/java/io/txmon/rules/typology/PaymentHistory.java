package io.txmon.rules.typology;

import io.txmon.rules.state.AccountStore;

import java.util.Arrays;

/**
 * One account's payments, kept once for every {@link AmlAmountWindow} that reads them.
 * <p>
 * Large-vs-history, velocity-count, velocity-sum and repeated-similar-amounts each keep a sliding window of the
 * same thing: every positive payment from a debtor, newest last. Before, each kept its own copy (three
 * {@code long[]} per account per rule); now the worker's {@link AccountStore} has one history per account, shared
 * by the four ({@link #shared}), and each rule's window is a <em>view</em> of it: a range of sequence numbers
 * with the rule's own clock, sum and "consumed" mark. A payment is stored once, however many rules hold it, and
 * is dropped when no view holds it any more. Rules whose windows hold a filtered subset (structuring, round
 * amounts) keep a history of their own, with one view.
 * <p>
 * Layout of an account's {@link Entries}: one {@code long[]} ring of entries of {@value #STRIDE} longs (event
 * time as sent, amount, journal offset, a bit per view that has consumed the entry), the ring's head, its size
 * and the sequence number of its oldest entry; and one {@code long[]} of {@value #VIEW_FIELDS} longs per view
 * (the first seq and count of its range, its clock, the time its oldest entry counts from, its running sum), so
 * that everything the amount rules know of an account is in one object and two arrays. Sequence numbers count
 * an account's payments from its first, so a view's range stays valid while the ring moves. The ring starts at
 * {@value #INITIAL_CAPACITY} entries and doubles when an entry is added to a full ring that every view still
 * needs; so an account costs 32 bytes per payment held, once.
 * <p>
 * Not thread safe: owned by one worker's store.
 */
final class PaymentHistory implements AccountStore.Shared
{
    /** Entries allocated when the account's first payment is stored, unless its view holds fewer. */
    static final int INITIAL_CAPACITY = 4;
    /** Longs per entry. */
    static final int STRIDE = 4;
    static final int TIME = 0;
    static final int AMOUNT = 1;
    static final int OFFSET = 2;
    static final int CONSUMED = 3;
    /** Most views of one history: one bit each in an entry's consumed word. */
    static final int MAX_VIEWS = Long.SIZE;
    /** Longs a view keeps per account, beside the entries: its range, clock, base and sum. */
    static final int VIEW_FIELDS = 5;
    static final int VIEW_START = 0;
    static final int VIEW_COUNT = 1;
    static final int VIEW_CLOCK = 2;
    static final int VIEW_BASE = 3;
    static final int VIEW_SUM = 4;

    private static final Object SHARED = new Object();

    /**
     * One account's entries.
     */
    static final class Entries
    {
        long[] data;
        int head;
        int size;
        long firstSeq;
        /** Each view's fields for this account, {@link #VIEW_FIELDS} longs at its index. */
        long[] views;

        Entries(final int capacity, final int viewSlots)
        {
            data = new long[capacity * STRIDE];
            views = new long[viewSlots * VIEW_FIELDS];
            clearViews(0, viewSlots);
        }

        /** Makes room for the fields of views up to {@code viewSlots}, the new ones empty. */
        void ensureViews(final int viewSlots)
        {
            final int had = views.length / VIEW_FIELDS;
            if (had < viewSlots)
            {
                views = Arrays.copyOf(views, viewSlots * VIEW_FIELDS);
                clearViews(had, viewSlots);
            }
        }

        void clearViews(final int from, final int to)
        {
            for (int v = from; v < to; v++)
            {
                clearView(v);
            }
        }

        void clearView(final int view)
        {
            final int at = view * VIEW_FIELDS;
            views[at + VIEW_START] = 0;
            views[at + VIEW_COUNT] = 0;
            views[at + VIEW_CLOCK] = Long.MIN_VALUE;
            views[at + VIEW_BASE] = Long.MIN_VALUE;
            views[at + VIEW_SUM] = 0;
        }

        int capacity()
        {
            return data.length / STRIDE;
        }

        /** Seq one past the newest entry. */
        long end()
        {
            return firstSeq + size;
        }

        /** Index in {@link #data} of an entry's first long. */
        int index(final long seq)
        {
            final int capacity = data.length / STRIDE;
            final int i = head + (int)(seq - firstSeq);
            return (i >= capacity ? i - capacity : i) * STRIDE;
        }

        void reset()
        {
            head = 0;
            size = 0;
            firstSeq = 0;
            clearViews(0, views.length / VIEW_FIELDS);
        }
    }

    private final AccountStore store;
    private final AccountStore.ObjectColumn<Entries> column;
    private AmlAmountWindow[] views = new AmlAmountWindow[0];
    private long bitsInUse;
    private long bitsEverUsed;
    private int viewSlots;
    private int largestView;

    /**
     * A history read by one view only, its column owned by that view's rule (so it moves and is released with
     * the rule).
     *
     * @param store the store.
     * @param owner the rule.
     */
    PaymentHistory(final AccountStore store, final Object owner)
    {
        this.store = store;
        this.column = store.objectColumn(owner, Entries::reset);
    }

    /**
     * @param store a worker's store.
     * @return its history of every positive payment of each owned debtor, shared by the rules that read it.
     */
    static PaymentHistory shared(final AccountStore store)
    {
        return store.shared(SHARED, (s) -> new PaymentHistory(s, SHARED));
    }

    /**
     * @param view a window that reads this history.
     * @return the view's bit in an entry's consumed word.
     * @throws IllegalStateException if {@value #MAX_VIEWS} views read it already.
     */
    long register(final AmlAmountWindow view)
    {
        if (-1L == bitsInUse)
        {
            throw new IllegalStateException("more than " + MAX_VIEWS + " windows read one payment history");
        }
        final long bit = Long.lowestOneBit(~bitsInUse);
        final int index = Long.numberOfTrailingZeros(bit);
        if (0 != (bitsEverUsed & bit))
        {
            // a released view's fields are still in the accounts' entries: the new view starts empty
            for (int slot = store.oldest(); slot != AccountStore.NONE; slot = store.newerThan(slot))
            {
                final Entries entries = column.get(slot);
                if (null != entries && entries.views.length > index * VIEW_FIELDS)
                {
                    entries.clearView(index);
                }
            }
        }
        bitsInUse |= bit;
        bitsEverUsed |= bit;
        viewSlots = Math.max(viewSlots, index + 1);
        views = Arrays.copyOf(views, views.length + 1);
        views[views.length - 1] = view;
        largestView = Math.max(largestView, view.maxCapacity());
        return bit;
    }

    /**
     * @param view no longer reading this history.
     */
    void unregister(final AmlAmountWindow view)
    {
        int kept = 0;
        int largest = 0;
        for (final AmlAmountWindow v : views)
        {
            if (v != view)
            {
                views[kept++] = v;
                largest = Math.max(largest, v.maxCapacity());
            }
            else
            {
                bitsInUse &= ~v.bit();
            }
        }
        views = Arrays.copyOf(views, kept);
        largestView = largest;
    }

    public void release(final Object owner)
    {
        for (final AmlAmountWindow view : views)
        {
            if (view.owner() == owner)
            {
                unregister(view);
            }
        }
        if (0 == views.length)
        {
            // no rule reads the history any more: its payments go (a rule enabled later starts afresh anyway)
            for (int slot = store.oldest(); slot != AccountStore.NONE; slot = store.newerThan(slot))
            {
                column.set(slot, null);
            }
        }
    }

    /**
     * @param slot an account's slot.
     * @return its entries, or {@code null} if none were ever stored.
     */
    Entries entries(final int slot)
    {
        return column.get(slot);
    }

    /**
     * @param slot     an account's slot.
     * @param capacity entries to allocate if new (a reused object keeps what it has).
     * @return its entries, made the first time, with room for every view's fields.
     */
    Entries entriesOrCreate(final int slot, final int capacity)
    {
        Entries entries = column.get(slot);
        if (null == entries)
        {
            entries = column.reuse();
            if (null == entries)
            {
                entries = new Entries(capacity, viewSlots);
            }
            column.set(slot, entries);
        }
        entries.ensureViews(viewSlots);
        return entries;
    }

    /**
     * The entry for a payment a view is adding: the newest one, if another view stored this payment already (this
     * event: same time, amount and journal offset), else a new one. A view that is further behind, because its
     * rule threw on an earlier payment of the account, takes the newest too and starts afresh there
     * ({@link AmlAmountWindow#add}); the other views are not disturbed.
     *
     * @param slot    the account's slot.
     * @param view    the view adding, its range written to its columns.
     * @param viewEnd seq one past the view's newest entry, or {@link Long#MIN_VALUE} if the view is empty.
     * @param time    of the event, as sent.
     * @param amount  of the payment.
     * @param offset  journal offset of the event.
     * @return the entry's seq.
     */
    long take(final int slot, final AmlAmountWindow view, final long viewEnd,
        final long time, final long amount, final long offset)
    {
        final Entries entries = entriesOrCreate(slot, StateCapacity.initial(INITIAL_CAPACITY, view.maxCapacity()));
        final long end = entries.end();
        if (entries.size > 0 && viewEnd != end)
        {
            final long newest = end - 1;
            final int i = entries.index(newest);
            final long[] data = entries.data;
            if (data[i + TIME] == time && data[i + AMOUNT] == amount && data[i + OFFSET] == offset)
            {
                data[i + CONSUMED] &= ~view.bit();
                return newest;
            }
        }
        if (entries.size == entries.capacity())
        {
            trim(slot, entries);
            if (entries.size == entries.capacity())
            {
                grow(entries);
            }
        }
        final int i = entries.index(end);
        final long[] data = entries.data;
        data[i + TIME] = time;
        data[i + AMOUNT] = amount;
        data[i + OFFSET] = offset;
        data[i + CONSUMED] = 0;
        entries.size++;
        return end;
    }

    /**
     * Drop the entries no view holds: those older than every view's oldest.
     */
    private void trim(final int slot, final Entries entries)
    {
        long keepFrom = entries.end();
        for (final AmlAmountWindow view : views)
        {
            keepFrom = Math.min(keepFrom, view.oldestSeq(entries, keepFrom));
        }
        final int dropped = (int)(keepFrom - entries.firstSeq);
        if (dropped > 0)
        {
            final int capacity = entries.capacity();
            final int head = entries.head + dropped;
            entries.head = head >= capacity ? head - capacity : head;
            entries.size -= dropped;
            entries.firstSeq = keepFrom;
        }
    }

    private void grow(final Entries entries)
    {
        final int capacity = entries.capacity();
        final int grown = Math.max(capacity + 1, Math.min(2 * capacity, Math.max(largestView, 1)));
        final long[] data = new long[grown * STRIDE];
        final int firstPart = Math.min(entries.size, capacity - entries.head);
        System.arraycopy(entries.data, entries.head * STRIDE, data, 0, firstPart * STRIDE);
        System.arraycopy(entries.data, 0, data, firstPart * STRIDE, (entries.size - firstPart) * STRIDE);
        entries.data = data;
        entries.head = 0;
    }

    /**
     * Put a view's entries, read from a snapshot, into the history. The history holds an account's payments in
     * journal order, so in ascending order of offset, and each view holds a run of them: usually the newest, but
     * a view whose rule threw on a payment ends before it. The first view read stores its entries; each other is
     * merged in by offset (a payment two views hold has one offset, and must have one time), and the views read
     * before it keep their runs, renumbered if entries went in front of them.
     *
     * @param slot    the account's slot.
     * @param view    the view read.
     * @param times   of its entries, oldest first, as sent.
     * @param amounts of its entries, 0 if the view has consumed one.
     * @param offsets of its entries, ascending.
     * @param count   of its entries, at least 1.
     * @return the seq of the view's oldest entry, or {@link Long#MIN_VALUE} if the entries cannot be such a run:
     * offsets out of order, a payment with two times, or a run that another view's payments would split (or that
     * would split another's).
     */
    long merge(final int slot, final AmlAmountWindow view,
        final long[] times, final long[] amounts, final long[] offsets, final int count)
    {
        for (int k = 1; k < count; k++)
        {
            if (offsets[k] <= offsets[k - 1])
            {
                return Long.MIN_VALUE;
            }
        }
        final Entries entries = entriesOrCreate(slot, StateCapacity.initial(INITIAL_CAPACITY, view.maxCapacity()));
        boolean othersHold = false;
        for (final AmlAmountWindow other : views)
        {
            othersHold |= other != view && Long.MIN_VALUE != other.oldestSeq(entries, Long.MIN_VALUE);
        }
        if (!othersHold)
        {
            // what is left is no view's (this one was emptied before reading): the view's entries replace it
            entries.head = 0;
            entries.size = 0;
        }

        // the two runs merged by offset into a new ring, oldest first
        final int held = entries.size;
        final long bit = view.bit();
        final int capacity = StateCapacity.holding(
            INITIAL_CAPACITY, Math.max(largestView, held + count), held + count);
        final long[] data = new long[Math.max(capacity, entries.capacity()) * STRIDE];
        final int[] moved = new int[held];
        int first = -1;
        int last = -1;
        int h = 0;
        int v = 0;
        int out = 0;
        while (h < held || v < count)
        {
            final int at = out * STRIDE;
            final int from = h < held ? entries.index(entries.firstSeq + h) : -1;
            final long heldOffset = h < held ? entries.data[from + OFFSET] : Long.MAX_VALUE;
            final boolean takeHeld = h < held && (v == count || heldOffset <= offsets[v]);
            final boolean takeView = v < count && (h == held || offsets[v] <= heldOffset);
            if (takeHeld)
            {
                System.arraycopy(entries.data, from, data, at, STRIDE);
                moved[h++] = out;
            }
            if (takeView)
            {
                if (takeHeld && data[at + TIME] != times[v])
                {
                    return Long.MIN_VALUE;
                }
                data[at + TIME] = times[v];
                data[at + OFFSET] = offsets[v];
                if (0 == amounts[v])
                {
                    data[at + CONSUMED] |= bit;
                }
                else
                {
                    // another view may have written this entry as consumed (0): the amount is this view's
                    data[at + AMOUNT] = amounts[v];
                    data[at + CONSUMED] &= ~bit;
                }
                first = 0 == v ? out : first;
                last = out;
                v++;
            }
            out++;
        }
        if (last - first + 1 != count)
        {
            return Long.MIN_VALUE;
        }
        final long base = entries.firstSeq;
        for (final AmlAmountWindow other : views)
        {
            final long start = other == view ? Long.MIN_VALUE : other.oldestSeq(entries, Long.MIN_VALUE);
            if (Long.MIN_VALUE != start)
            {
                final int oldFirst = (int)(start - base);
                final int oldLast = oldFirst + other.size(entries) - 1;
                if (moved[oldLast] - moved[oldFirst] != oldLast - oldFirst)
                {
                    return Long.MIN_VALUE;
                }
            }
        }
        for (final AmlAmountWindow other : views)
        {
            final long start = other == view ? Long.MIN_VALUE : other.oldestSeq(entries, Long.MIN_VALUE);
            if (Long.MIN_VALUE != start)
            {
                other.renumber(entries, base + moved[(int)(start - base)]);
            }
        }
        entries.data = data;
        entries.head = 0;
        entries.size = out;
        return base + first;
    }
}
