package io.txmon.rules.state;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.concurrent.TimeUnit;

/**
 * One rule worker's account records: the one place where per-account rule state is found, grown, evicted and
 * snapshotted.
 * <p>
 * An account owned by the worker is looked up once per event side ({@link io.txmon.rules.RuleContext#slot}),
 * which gives a <em>slot</em>: a small dense int. Every rule keeps its per-account state in {@linkplain Column
 * columns} indexed by that slot, so the state of one account in every rule is found with one hash lookup, and
 * growing, clearing and evicting happen here for all of them at once.
 * <p>
 * Layout, all flat primitive arrays indexed by slot: the account id, the newest event time the account was
 * seen at, and two links of a list from the least to the most recently touched account. The id-to-slot table
 * is open-addressed (linear probing, backward-shift deletion) over an {@code int[]} of {@code slot + 1}.
 * <p>
 * <b>Eviction</b>, in one place and only when a new account is added, so it is a function of the event order
 * alone (live, replayed and snapshot-restarted runs evict the same accounts):
 * <ul>
 *   <li>idle: up to {@value #IDLE_EVICTIONS_PER_ADD} of the least recently touched accounts whose newest
 *       event time is more than {@link Limits#idleHorizonNanos()} behind the newest event time of the worker;</li>
 *   <li>cap: when {@link Limits#maxAccounts()} accounts are held, the least recently touched one. Each is
 *       counted ({@link #capEvictions()}): the engine shows it and warns, since it means rules forget.</li>
 * </ul>
 * Evicting an account clears its slot in every column, so the account starts afresh if it comes back.
 * <p>
 * Not thread safe: owned by the worker thread, like the rules.
 */
public final class AccountStore
{
    /** No slot: the account is not held. */
    public static final int NONE = -1;
    /** At most this many idle accounts are evicted per account added, so one event's cost is bounded. */
    public static final int IDLE_EVICTIONS_PER_ADD = 4;
    /** The most accounts a store can be given. */
    public static final int MAX_ACCOUNTS = 1 << 28;

    private static final int INITIAL_SLOTS = 64;

    /**
     * How many accounts a worker may hold and how long an idle one is kept.
     *
     * @param maxAccounts      the most accounts held at once; the least recently seen is evicted to add one more.
     * @param idleHorizonNanos an account not seen for this long (event time) is evicted as new ones arrive;
     *                         {@link Long#MAX_VALUE} keeps idle accounts until the cap needs their room.
     */
    public record Limits(int maxAccounts, long idleHorizonNanos)
    {
        /** The default engine-wide cap: 250,000 accounts (see README, "Memory"). */
        public static final int DEFAULT_MAX_ACCOUNTS = 250_000;
        /** Idle accounts are kept by default: dormant-reactivated needs to remember them. */
        public static final long NO_IDLE_LIMIT = Long.MAX_VALUE;
        /** No idle eviction and the default cap. */
        public static final Limits DEFAULT = new Limits(DEFAULT_MAX_ACCOUNTS, NO_IDLE_LIMIT);
        /** Neither: used by tests and tools that must never forget. */
        public static final Limits UNBOUNDED = new Limits(MAX_ACCOUNTS, NO_IDLE_LIMIT);

        /**
         * Checks the limits.
         */
        public Limits
        {
            if (maxAccounts < 2 || maxAccounts > MAX_ACCOUNTS)
            {
                throw new IllegalArgumentException(
                    "max accounts must be 2 to " + MAX_ACCOUNTS + ", was " + maxAccounts);
            }
            if (idleHorizonNanos <= 0)
            {
                throw new IllegalArgumentException("idle horizon must be positive, was " + idleHorizonNanos + " ns");
            }
        }

        /**
         * A limit a user wrote that cannot be one, naming its option.
         */
        public static final class InvalidLimit extends IllegalArgumentException
        {
            private static final long serialVersionUID = 1L;
            private final String option;

            InvalidLimit(final String option, final String message)
            {
                super(message);
                this.option = option;
            }

            /**
             * @return the option at fault, as the command line names it: {@code --max-accounts} or
             * {@code --idle-horizon}.
             */
            public String option()
            {
                return option;
            }
        }

        /**
         * Limits as a user writes them ({@code --max-accounts}, {@code --idle-horizon}).
         *
         * @param maxAccounts a count ({@code _} or {@code ,} may group digits), or null for the default.
         * @param idleHorizon a duration such as 30d or 12h, {@code none}, or null for none.
         * @return the limits.
         * @throws InvalidLimit naming the option at fault and what to give.
         */
        public static Limits parse(final String maxAccounts, final String idleHorizon)
        {
            long max = DEFAULT_MAX_ACCOUNTS;
            if (null != maxAccounts)
            {
                try
                {
                    max = Long.parseLong(maxAccounts.trim().replace("_", "").replace(",", ""));
                }
                catch (final NumberFormatException ex)
                {
                    throw new InvalidLimit("--max-accounts", "'" + maxAccounts + "' is not a whole number");
                }
            }
            if (max < 2 || max > MAX_ACCOUNTS)
            {
                throw new InvalidLimit("--max-accounts", String.format("must be 2 to %,d, was %s", MAX_ACCOUNTS,
                    maxAccounts));
            }
            long idle = NO_IDLE_LIMIT;
            if (null != idleHorizon && !"none".equalsIgnoreCase(idleHorizon.trim()))
            {
                try
                {
                    idle = io.txmon.rules.config.Parameter.parseDuration(idleHorizon.trim());
                }
                catch (final IllegalArgumentException ex)
                {
                    throw new InvalidLimit("--idle-horizon", "'" + idleHorizon +
                        "' is not a duration such as 30d or 12h (or none): " + ex.getMessage());
                }
                if (idle <= 0)
                {
                    throw new InvalidLimit("--idle-horizon", "must be positive, was " + idleHorizon);
                }
            }
            return new Limits((int)max, idle);
        }

        /**
         * The share of an engine-wide cap one of {@code workers} workers holds (accounts are spread over workers
         * by hash, so each holds about its share).
         *
         * @param workers how many workers share the cap.
         * @return the limits one worker gets.
         */
        public Limits perWorker(final int workers)
        {
            if (workers <= 1)
            {
                return this;
            }
            return new Limits(Math.max(2, (int)((maxAccounts + (long)workers - 1) / workers)), idleHorizonNanos);
        }

        /**
         * @return the limits as a user would write them, for banners and errors.
         */
        public String describe()
        {
            return String.format("max %,d accounts, idle horizon %s", maxAccounts,
                idleHorizonNanos == NO_IDLE_LIMIT ? "none" : TimeUnit.NANOSECONDS.toSeconds(idleHorizonNanos) + " s");
        }
    }

    /**
     * Per-slot state of one rule, grown and cleared by the store.
     */
    public abstract static class Column
    {
        final Object owner;

        Column(final Object owner)
        {
            this.owner = owner;
        }

        abstract void grow(int capacity);

        abstract void clear(int slot);

        /** Clears a slot, keeping an object column's object for reuse if {@code recycle}. */
        void evict(final int slot, final boolean recycle)
        {
            clear(slot);
        }

        /** Replaces the values with empty ones of the given length and returns the old ones. */
        abstract Object replace(int capacity);

        /** Whether the old values hold something at a slot. */
        abstract boolean holds(Object old, int slot);

        /** Copies an old value to a slot of the current values. */
        abstract void copy(Object old, int from, int to);
    }

    /**
     * A {@code long} per account; an account not yet written (or evicted) reads as the column's empty value.
     */
    public static final class LongColumn extends Column
    {
        private final long empty;
        private long[] values;

        LongColumn(final Object owner, final long empty, final int capacity)
        {
            super(owner);
            this.empty = empty;
            this.values = new long[capacity];
            Arrays.fill(values, empty);
        }

        /**
         * @param slot an account's slot.
         * @return its value, or the empty value.
         */
        public long get(final int slot)
        {
            return values[slot];
        }

        /**
         * @param slot  an account's slot.
         * @param value its new value.
         */
        public void set(final int slot, final long value)
        {
            values[slot] = value;
        }

        /**
         * @return how many accounts have a value: a scan of every slot, for monitoring and tools, not per event.
         */
        public int count()
        {
            int n = 0;
            for (final long value : values)
            {
                n += value == empty ? 0 : 1;
            }
            return n;
        }

        /**
         * @return the value an account without one reads as.
         */
        public long empty()
        {
            return empty;
        }

        void grow(final int capacity)
        {
            final int old = values.length;
            values = Arrays.copyOf(values, capacity);
            Arrays.fill(values, old, capacity, empty);
        }

        void clear(final int slot)
        {
            values[slot] = empty;
        }

        Object replace(final int capacity)
        {
            final long[] old = values;
            values = new long[capacity];
            Arrays.fill(values, empty);
            return old;
        }

        boolean holds(final Object old, final int slot)
        {
            return ((long[])old)[slot] != empty;
        }

        void copy(final Object old, final int from, final int to)
        {
            values[to] = ((long[])old)[from];
        }
    }

    /**
     * An object per account (a rule's window, say); {@code null} for an account without one.
     * <p>
     * A column made with a reset function recycles: the object of an evicted account is reset and kept, and
     * {@link #reuse()} hands it to the rule for its next new account instead of a new one. Under the cap, when
     * accounts come and go all the time, the rules then allocate nothing for them, and the collector has no
     * dead state to copy or reclaim.
     *
     * @param <T> the rule's per-account type.
     */
    public static final class ObjectColumn<T> extends Column
    {
        private final java.util.function.Consumer<T> reset;
        private Object[] values;
        private Object[] spares = new Object[0];
        private int spareCount;

        ObjectColumn(final Object owner, final int capacity, final java.util.function.Consumer<T> reset)
        {
            super(owner);
            this.values = new Object[capacity];
            this.reset = reset;
        }

        /**
         * @param slot an account's slot.
         * @return its object, or {@code null}.
         */
        @SuppressWarnings("unchecked")
        public T get(final int slot)
        {
            return (T)values[slot];
        }

        /**
         * @param slot  an account's slot.
         * @param value its object, or {@code null} to drop it.
         */
        public void set(final int slot, final T value)
        {
            values[slot] = value;
        }

        /**
         * @return an evicted account's object, reset, for a new account to use; {@code null} if none is kept
         * (then make a new one).
         */
        @SuppressWarnings("unchecked")
        public T reuse()
        {
            if (0 == spareCount)
            {
                return null;
            }
            final Object spare = spares[--spareCount];
            spares[spareCount] = null;
            return (T)spare;
        }

        /**
         * @return how many accounts have an object: a scan of every slot, for monitoring and tools.
         */
        public int count()
        {
            int n = 0;
            for (final Object value : values)
            {
                n += null == value ? 0 : 1;
            }
            return n;
        }

        void grow(final int capacity)
        {
            values = Arrays.copyOf(values, capacity);
        }

        void clear(final int slot)
        {
            evict(slot, true);
        }

        @SuppressWarnings("unchecked")
        void evict(final int slot, final boolean recycle)
        {
            final Object value = values[slot];
            values[slot] = null;
            // at most one spare per slot; past that the collector takes it
            if (recycle && null != value && null != reset && spareCount < values.length)
            {
                reset.accept((T)value);
                if (spareCount == spares.length)
                {
                    spares = Arrays.copyOf(spares, Math.max(16, 2 * spares.length));
                }
                spares[spareCount++] = value;
            }
        }

        Object replace(final int capacity)
        {
            final Object[] old = values;
            values = new Object[capacity];
            return old;
        }

        boolean holds(final Object old, final int slot)
        {
            return null != ((Object[])old)[slot];
        }

        void copy(final Object old, final int from, final int to)
        {
            values[to] = ((Object[])old)[from];
        }
    }

    /**
     * State that several rules of a worker read for the same account (one payment history that the amount
     * typologies all look at, say), made once per store by the first rule that asks ({@link #shared}).
     */
    public interface Shared
    {
        /**
         * A rule that reads this state is released ({@link AccountStore#release}): forget it.
         *
         * @param owner the rule.
         */
        void release(Object owner);
    }

    private final Limits limits;
    private final HashMap<Object, Shared> shared = new HashMap<>();
    private final ArrayList<Column> columnList = new ArrayList<>();
    private Column[] columns = new Column[0];

    private long[] accounts;
    private long[] lastSeen;
    private int[] older;
    private int[] newer;
    private int[] table;
    private int mask;
    private int oldest = NONE;
    private int newest = NONE;
    private int free = NONE;
    private int used;
    private int size;
    private long newestTime = Long.MIN_VALUE;
    private long idleEvictions;
    private long capEvictions;
    private boolean recycle = true;

    /**
     * A store with the default limits.
     */
    public AccountStore()
    {
        this(Limits.DEFAULT);
    }

    /**
     * @param limits how many accounts it holds and for how long.
     */
    public AccountStore(final Limits limits)
    {
        this.limits = limits;
        allocate(Math.min(INITIAL_SLOTS, limits.maxAccounts()));
    }

    /**
     * Whether evicted accounts' objects are kept for new accounts (the default) or left to the collector: off,
     * every account's objects are new, the reference a test compares recycling with.
     *
     * @param recycle false to drop evicted objects.
     * @return this.
     */
    public AccountStore recycle(final boolean recycle)
    {
        this.recycle = recycle;
        return this;
    }

    /**
     * @return the limits this store was made with.
     */
    public Limits limits()
    {
        return limits;
    }

    /**
     * A new {@code long} column, one value per account.
     *
     * @param owner the rule that keeps it (its columns are dropped with {@link #release}).
     * @param empty what an account without a value reads as.
     * @return the column.
     */
    public LongColumn longColumn(final Object owner, final long empty)
    {
        return add(new LongColumn(owner, empty, accounts.length));
    }

    /**
     * A new object column, one object per account.
     *
     * @param owner the rule that keeps it.
     * @param <T>   the per-account type.
     * @return the column.
     */
    public <T> ObjectColumn<T> objectColumn(final Object owner)
    {
        return add(new ObjectColumn<T>(owner, accounts.length, null));
    }

    /**
     * A new object column that recycles the objects of evicted accounts ({@link ObjectColumn#reuse()}).
     *
     * @param owner the rule that keeps it.
     * @param reset makes an evicted account's object as a new one is: same decisions, same state written.
     * @param <T>   the per-account type.
     * @return the column.
     */
    public <T> ObjectColumn<T> objectColumn(final Object owner, final java.util.function.Consumer<T> reset)
    {
        return add(new ObjectColumn<T>(owner, accounts.length, reset));
    }

    /**
     * Drops the columns of a rule that is replaced or removed (a configuration change), so the store no longer
     * grows or clears them.
     *
     * @param owner the rule.
     */
    public void release(final Object owner)
    {
        if (columnList.removeIf((column) -> column.owner == owner))
        {
            columns = columnList.toArray(new Column[0]);
        }
        for (final Shared state : shared.values())
        {
            state.release(owner);
        }
    }

    /**
     * The accounts a rule holds state for, in ascending order of id: what a rule writes to a snapshot, so that its
     * bytes depend on its state alone, not on where the store put the accounts. Allocates; not for the hot path.
     *
     * @param holds whether the rule holds state at a slot.
     * @return the ids, ascending.
     */
    public long[] accountsAscending(final java.util.function.IntPredicate holds)
    {
        final long[] ids = new long[size];
        int n = 0;
        for (int slot = oldest; slot != NONE; slot = newer[slot])
        {
            if (holds.test(slot))
            {
                ids[n++] = accounts[slot];
            }
        }
        Arrays.sort(ids, 0, n);
        return n == ids.length ? ids : Arrays.copyOf(ids, n);
    }

    /**
     * The store's one instance of some shared state, made the first time it is asked for; it keeps its
     * per-account part in columns of this store like a rule does.
     *
     * @param key     names the state.
     * @param factory makes it, given this store.
     * @param <T>     its type.
     * @return the instance.
     */
    @SuppressWarnings("unchecked")
    public <T extends Shared> T shared(final Object key, final java.util.function.Function<AccountStore, T> factory)
    {
        Shared state = shared.get(key);
        if (null == state)
        {
            state = factory.apply(this);
            shared.put(key, state);
        }
        return (T)state;
    }

    /**
     * Moves a rule's columns, with what they hold, from another store into this one: the accounts they hold
     * state for are added here (oldest first) if this store does not hold them yet. A rule keeps its columns in
     * a store of its own until {@link io.txmon.rules.Rule#bind} gives it its worker's, so a rule read from a
     * snapshot or fed events on its own keeps its state when it joins a worker.
     *
     * @param from  the store the columns are in now.
     * @param owner the rule whose columns move.
     * @throws IllegalStateException if this store cannot hold every account without evicting.
     */
    public void adopt(final AccountStore from, final Object owner)
    {
        if (from == this)
        {
            return;
        }
        final ArrayList<Column> moving = new ArrayList<>();
        for (final Column column : from.columns)
        {
            if (column.owner == owner)
            {
                moving.add(column);
            }
        }
        from.release(owner);
        final Object[] old = new Object[moving.size()];
        for (int i = 0; i < old.length; i++)
        {
            old[i] = moving.get(i).replace(accounts.length);
            add(moving.get(i));
        }
        for (int slot = from.oldest; slot != NONE; slot = from.newer[slot])
        {
            boolean holds = false;
            for (int i = 0; i < old.length && !holds; i++)
            {
                holds = moving.get(i).holds(old[i], slot);
            }
            if (holds)
            {
                final int to = slotForRead(from.accounts[slot], from.lastSeen[slot]);
                for (int i = 0; i < old.length; i++)
                {
                    moving.get(i).copy(old[i], slot, to);
                }
            }
        }
    }

    /**
     * The slot of an account a rule is reading state for: the one held, or a new one (newest, never evicting,
     * and not changing the order of those held) when the rule's state comes without the store's.
     *
     * @param account  the account.
     * @param seenTime its newest event time, if it is added.
     * @return its slot.
     * @throws IllegalStateException if it is not held and the store is full.
     */
    public int slotForRead(final long account, final long seenTime)
    {
        final int held = slotOf(account);
        if (NONE != held)
        {
            return held;
        }
        if (size >= limits.maxAccounts())
        {
            throw new IllegalStateException("more accounts than the store's cap of " + limits.maxAccounts());
        }
        final int slot = take();
        accounts[slot] = account;
        lastSeen[slot] = seenTime;
        insert(account, slot);
        linkNewest(slot);
        size++;
        if (seenTime > newestTime)
        {
            newestTime = seenTime;
        }
        return slot;
    }

    /**
     * {@link #slotForRead(long, long)} for state that carries no time: an account added is as new as the newest.
     *
     * @param account the account.
     * @return its slot.
     */
    public int slotForRead(final long account)
    {
        return slotForRead(account, newestTime);
    }

    private <C extends Column> C add(final C column)
    {
        columnList.add(column);
        columns = columnList.toArray(new Column[0]);
        return column;
    }

    /**
     * The slot of an account, added if it is not held (which may evict others first), and marked as the most
     * recently seen.
     *
     * @param account   the account.
     * @param eventTime the event's time, which becomes the account's newest time if it is newer.
     * @return its slot, valid until the account is evicted.
     */
    public int touch(final long account, final long eventTime)
    {
        if (eventTime > newestTime)
        {
            newestTime = eventTime;
        }
        int slot = slotOf(account);
        if (NONE == slot)
        {
            evictForAdd();
            slot = take();
            accounts[slot] = account;
            lastSeen[slot] = eventTime;
            insert(account, slot);
            linkNewest(slot);
            size++;
        }
        else
        {
            if (eventTime > lastSeen[slot])
            {
                lastSeen[slot] = eventTime;
            }
            if (slot != newest)
            {
                unlink(slot);
                linkNewest(slot);
            }
        }
        return slot;
    }

    /**
     * @param account an account.
     * @return its slot, or {@link #NONE} if it is not held; does not mark it as seen.
     */
    public int slotOf(final long account)
    {
        int index = hash(account) & mask;
        while (true)
        {
            final int slot = table[index] - 1;
            if (slot < 0)
            {
                return NONE;
            }
            if (accounts[slot] == account)
            {
                return slot;
            }
            index = (index + 1) & mask;
        }
    }

    /**
     * @param slot a held slot.
     * @return its account.
     */
    public long account(final int slot)
    {
        return accounts[slot];
    }

    /**
     * @param slot a held slot.
     * @return the newest event time its account was seen at.
     */
    public long lastSeen(final int slot)
    {
        return lastSeen[slot];
    }

    /**
     * @return the least recently touched slot, or {@link #NONE}; with {@link #newerThan} it walks every held
     * account in the order eviction would take them.
     */
    public int oldest()
    {
        return oldest;
    }

    /**
     * @param slot a held slot.
     * @return the next more recently touched slot, or {@link #NONE}.
     */
    public int newerThan(final int slot)
    {
        return newer[slot];
    }

    /**
     * @return how many accounts are held.
     */
    public int size()
    {
        return size;
    }

    /**
     * @return how many slots the arrays have now (every column has as many).
     */
    public int capacity()
    {
        return accounts.length;
    }

    /**
     * @return accounts evicted for being idle longer than the horizon.
     */
    public long idleEvictions()
    {
        return idleEvictions;
    }

    /**
     * @return accounts evicted because the cap was reached: each is state a rule forgot early.
     */
    public long capEvictions()
    {
        return capEvictions;
    }

    /**
     * Writes the held accounts, oldest first, with the limits and counters, so that {@link #readFrom} rebuilds
     * the same eviction order. Columns are not written: each rule writes its own, by account.
     *
     * @param out where to write.
     */
    public void writeTo(final StateWriter out)
    {
        out.putInt(limits.maxAccounts()).putLong(limits.idleHorizonNanos())
            .putLong(newestTime).putLong(idleEvictions).putLong(capEvictions).putInt(size);
        for (int slot = oldest; slot != NONE; slot = newer[slot])
        {
            out.putLong(accounts[slot]).putLong(lastSeen[slot]);
        }
    }

    /**
     * Replaces what is held with what {@link #writeTo} wrote; every column is emptied, for the rules to read
     * theirs next.
     *
     * @param in what to read.
     * @throws StateException if it is damaged or was written with other limits.
     */
    public void readFrom(final StateReader in)
    {
        final int maxAccounts = in.getInt();
        final long idleHorizon = in.getLong();
        in.require(maxAccounts == limits.maxAccounts() && idleHorizon == limits.idleHorizonNanos(),
            "written with account limits (" + describe(maxAccounts, idleHorizon) + ") other than this worker's (" +
            limits.describe() + ")");
        final long time = in.getLong();
        final long idle = in.getLong();
        final long cap = in.getLong();
        in.require(idle >= 0 && cap >= 0, "negative eviction counts");
        final int count = in.getCount(0, Math.min(limits.maxAccounts(), in.remaining() / (2 * Long.BYTES)),
            "accounts held");
        clear();
        while (accounts.length < count)
        {
            grow();
        }
        for (int i = 0; i < count; i++)
        {
            final long account = in.getLong();
            final long seen = in.getLong();
            in.require(NONE == slotOf(account), "account " + account + " is held twice");
            in.require(seen <= time, "account " + account + " seen after the newest time written");
            final int slot = take();
            accounts[slot] = account;
            lastSeen[slot] = seen;
            insert(account, slot);
            linkNewest(slot);
            size++;
        }
        newestTime = time;
        idleEvictions = idle;
        capEvictions = cap;
    }

    private static String describe(final int maxAccounts, final long idleHorizon)
    {
        try
        {
            return new Limits(maxAccounts, idleHorizon).describe();
        }
        catch (final IllegalArgumentException ex)
        {
            return ex.getMessage();
        }
    }

    private void clear()
    {
        Arrays.fill(table, 0);
        oldest = NONE;
        newest = NONE;
        free = NONE;
        used = 0;
        size = 0;
        for (final Column column : columns)
        {
            for (int slot = 0; slot < accounts.length; slot++)
            {
                column.clear(slot);
            }
        }
    }

    private void evictForAdd()
    {
        final long horizon = limits.idleHorizonNanos();
        if (horizon != Limits.NO_IDLE_LIMIT)
        {
            final long before = newestTime - horizon;
            // never the most recently touched: an event's first side stays valid while its second is added
            for (int i = 0; i < IDLE_EVICTIONS_PER_ADD && NONE != oldest && oldest != newest &&
                lastSeen[oldest] < before && newestTime > Long.MIN_VALUE + horizon; i++)
            {
                evict(oldest);
                idleEvictions++;
            }
        }
        if (size >= limits.maxAccounts())
        {
            evict(oldest);
            capEvictions++;
        }
    }

    private void evict(final int slot)
    {
        for (final Column column : columns)
        {
            column.evict(slot, recycle);
        }
        remove(accounts[slot], slot);
        unlink(slot);
        newer[slot] = free;
        free = slot;
        size--;
    }

    private int take()
    {
        if (NONE != free)
        {
            final int slot = free;
            free = newer[slot];
            return slot;
        }
        if (used == accounts.length)
        {
            grow();
        }
        return used++;
    }

    private void grow()
    {
        final int capacity = (int)Math.min((long)accounts.length * 2, limits.maxAccounts());
        accounts = Arrays.copyOf(accounts, capacity);
        lastSeen = Arrays.copyOf(lastSeen, capacity);
        older = Arrays.copyOf(older, capacity);
        newer = Arrays.copyOf(newer, capacity);
        for (final Column column : columns)
        {
            column.grow(capacity);
        }
        table = new int[tableSize(capacity)];
        mask = table.length - 1;
        for (int slot = oldest; slot != NONE; slot = newer[slot])
        {
            insert(accounts[slot], slot);
        }
    }

    private void allocate(final int capacity)
    {
        accounts = new long[capacity];
        lastSeen = new long[capacity];
        older = new int[capacity];
        newer = new int[capacity];
        table = new int[tableSize(capacity)];
        mask = table.length - 1;
    }

    private static int tableSize(final int capacity)
    {
        // at most half full
        return Integer.highestOneBit(Math.max(2, capacity) - 1) << 2;
    }

    private static int hash(final long account)
    {
        final long h = account * 0x9E3779B97F4A7C15L;
        return (int)(h ^ (h >>> 32));
    }

    private void insert(final long account, final int slot)
    {
        int index = hash(account) & mask;
        while (table[index] != 0)
        {
            index = (index + 1) & mask;
        }
        table[index] = slot + 1;
    }

    private void remove(final long account, final int slot)
    {
        int hole = hash(account) & mask;
        while (table[hole] != slot + 1)
        {
            hole = (hole + 1) & mask;
        }
        table[hole] = 0;
        int index = (hole + 1) & mask;
        while (table[index] != 0)
        {
            final int home = hash(accounts[table[index] - 1]) & mask;
            if (((index - home) & mask) >= ((index - hole) & mask))
            {
                table[hole] = table[index];
                table[index] = 0;
                hole = index;
            }
            index = (index + 1) & mask;
        }
    }

    private void linkNewest(final int slot)
    {
        older[slot] = newest;
        newer[slot] = NONE;
        if (NONE == newest)
        {
            oldest = slot;
        }
        else
        {
            newer[newest] = slot;
        }
        newest = slot;
    }

    private void unlink(final int slot)
    {
        final int before = older[slot];
        final int after = newer[slot];
        if (NONE == before)
        {
            oldest = after;
        }
        else
        {
            newer[before] = after;
        }
        if (NONE == after)
        {
            newest = before;
        }
        else
        {
            older[after] = before;
        }
    }
}
