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
import static io.txmon.rules.typology.ParameterChecks.positive;
import static io.txmon.rules.typology.ParameterChecks.range;
import static io.txmon.rules.typology.ParameterChecks.set;

/**
 * The mechanism of fan-in and fan-out: per key account, the DISTINCT counterparties it dealt with in a
 * sliding event-time window; an alert when their count reaches a minimum (the crossing), none while it stays
 * at or above it, and again at the next crossing. The two rules differ only in which side of a payment is
 * the key ({@link FanInRule}: the creditor, {@link FanOutRule}: the debtor) and in the words of the reason.
 * <p>
 * Per-key state: a {@link CounterpartyWindow} per key account, in a column of the worker's {@link AccountStore}
 * (its own store until {@link #bind}), so it goes when the store evicts the account; the window, emptied but with
 * the array it had grown, is kept for the next key account to make one.
 * <p>
 * In a snapshot ({@link #writeState}): the number of key accounts (int), then for each in ascending order of id
 * the id (long) and its {@link CounterpartyWindow}. The counters are for monitoring and are not written; no
 * decision depends on where the store holds an account, and the ascending order makes the bytes depend only on
 * the state, not on how it was reached.
 * <p>
 * Single threaded: one instance belongs to one rule worker.
 *
 * @param <P> the rule's parameters record.
 */
abstract class DistinctCounterpartyRule<P extends Record> extends TypologyRule<P>
{
    /** Default baseline: the count must also reach twice the account's busiest of its last windows. */
    static final int DEFAULT_BASELINE_PERCENT = 200;
    /** Windows whose busiest moment makes an account's baseline: the last this many, each as long as the window. */
    static final int BASELINE_PERIODS = 4;

    private final boolean keyOnCreditor;
    private final int minDistinct;
    private final int baselinePercent;
    private final long windowNanos;
    private final int maxTracked;
    private final Severity severity;
    private final int score;
    private final AccountObjects<CounterpartyWindow> windows;
    private long droppedEntries;
    private long lateEvents;

    DistinctCounterpartyRule(
        final int id,
        final int version,
        final String name,
        final P parameters,
        final boolean keyOnCreditor,
        final int minDistinct,
        final int baselinePercent,
        final long windowNanos,
        final int maxTracked,
        final Severity severity,
        final int score)
    {
        super(id, version, name, parameters);
        this.keyOnCreditor = keyOnCreditor;
        this.minDistinct = minDistinct;
        this.baselinePercent = baselinePercent;
        this.windowNanos = windowNanos;
        this.maxTracked = maxTracked;
        this.severity = severity;
        this.score = score;
        this.windows =
            new AccountObjects<>(this, CounterpartyWindow::reset, () -> new CounterpartyWindow(maxTracked));
    }

    /**
     * Validate the parameters of a distinct-counterparty rule; messages name the rule and the component.
     *
     * @param rule        name of the rule.
     * @param countName   component holding the count that raises the alert.
     * @param minDistinct that count, at least 2.
     * @param baselinePercent how far above its own busiest recent window an account must go, in percent, 0 (off)
     *                    to 10,000.
     * @param windowNanos of the window, positive.
     * @param trackedName component holding the counterparties kept per account.
     * @param maxTracked  that number, {@code minDistinct} to 4096.
     * @param severity    of the alerts, set.
     * @param score       of the alerts, 0 to 1000.
     * @throws IllegalArgumentException naming the component that is out of range.
     */
    static void validate(
        final String rule,
        final String countName,
        final int minDistinct,
        final int baselinePercent,
        final long windowNanos,
        final String trackedName,
        final int maxTracked,
        final Severity severity,
        final int score)
    {
        atLeast(rule, countName, minDistinct, 2);
        range(rule, "baselinePercent", baselinePercent, 0, 10_000);
        positive(rule, "windowNanos", windowNanos);
        range(rule, trackedName, maxTracked, countName, minDistinct, 4096);
        set(rule, "severity", severity);
        range(rule, "score", score, 0, 1000);
    }

    /**
     * Write the reason of an alert.
     *
     * @param reason       to append to.
     * @param key          the account alerted on.
     * @param counterparty of the triggering payment.
     * @param distinct     counterparties in the window.
     * @param threshold    the count that raised the alert: the minimum, or above it the account's baseline.
     * @param event        the triggering payment.
     * @param context      of the event, for its amount in the reference currency.
     */
    abstract void appendReason(
        ReasonBuilder reason, long key, long counterparty, int distinct, int threshold, TxEvent event,
        RuleContext context);

    /**
     * @return counterparties dropped from a full window before leaving it by time.
     */
    public long droppedEntries()
    {
        return droppedEntries;
    }

    /**
     * @return payments older than the newest one already seen for their account.
     */
    public long lateEvents()
    {
        return lateEvents;
    }

    /**
     * @return accounts with state.
     */
    public int trackedAccounts()
    {
        return windows.count();
    }

    long windowNanos()
    {
        return windowNanos;
    }

    int minDistinct()
    {
        return minDistinct;
    }

    int baselinePercent()
    {
        return baselinePercent;
    }

    /**
     * A sliding window: the distinct counterparties whose latest payment is less than windowNanos before the
     * account's newest, in an order that depends only on those payments; alerts consume nothing. With a baseline,
     * a decision also reads the busiest moment of each of the {@value #BASELINE_PERIODS} whole windows (aligned on
     * multiples of the window in event time) before the one its own window reaches into, each of which read the
     * window before it: so {@value #BASELINE_PERIODS} + 3 windows.
     *
     * @return the window length, or {@value #BASELINE_PERIODS} + 3 times it with a baseline.
     */
    public final long horizonNanos()
    {
        if (baselinePercent == 0)
        {
            return windowNanos;
        }
        return windowNanos > Long.MAX_VALUE / (BASELINE_PERIODS + 3) ? Long.MAX_VALUE :
            windowNanos * (BASELINE_PERIODS + 3);
    }

    /**
     * @return {@link #PAYMENT}, the only template the mechanism reads.
     */
    public final long templates()
    {
        return PAYMENT;
    }


    /**
     * Moves the windows into the worker's account store.
     *
     * @param store the worker's store.
     */
    public final void bind(final AccountStore store)
    {
        windows.bind(store);
    }

    /**
     * Write every key account's window, in ascending order of account.
     *
     * @param out to write to.
     */
    public final void writeState(final StateWriter out)
    {
        windows.writeAscending(out, CounterpartyWindow::writeTo);
    }

    /**
     * Replace every window with those {@link #writeState} wrote, each bounded by this rule's maximum of
     * counterparties tracked; the state is left as it was if the bytes are refused. The counters are not touched.
     *
     * @param in to read from.
     * @throws io.txmon.rules.state.StateException if the bytes cannot be this rule's windows.
     */
    public final void readState(final StateReader in)
    {
        final long[] scratch = new long[maxTracked];
        windows.readAscending(
            in,
            Long.BYTES + CounterpartyWindow.HEADER_BYTES,
            "key accounts with a counterparty window",
            (reader, key) -> CounterpartyWindow.readFrom(reader, maxTracked, key, scratch));
    }

    public final void onEvent(final TxEvent event, final RuleContext context)
    {
        if (event.templateId != PaymentDecoder.TEMPLATE_ID)
        {
            return;
        }
        final long key = keyOnCreditor ? event.creditorAccount : event.debtorAccount;
        final long counterparty = keyOnCreditor ? event.debtorAccount : event.creditorAccount;
        if (counterparty == key || !context.owns(key))
        {
            return;
        }

        final int slot = context.slot(key);
        final CounterpartyWindow window = windows.getOrCreate(slot);
        if (event.eventTime < window.newest)
        {
            lateEvents++;
        }
        // the baseline is of the windows before this event's: read it before the event counts in its own
        final int threshold = baselinePercent == 0 ? minDistinct :
            Math.max(minDistinct, window.baseline(event.eventTime, windowNanos, baselinePercent));
        final int result = window.record(counterparty, event.eventTime, event.offset, windowNanos);
        if (result == CounterpartyWindow.ADDED_DROPPING_OLDEST)
        {
            droppedEntries++;
        }
        if (result == CounterpartyWindow.ADDED && window.members == threshold)
        {
            final AlertRecord alert = context.raise(this, severity, score, key);
            window.addEvidence(alert, event.offset, event.eventTime, windowNanos);
            appendReason(alert.reason(), key, counterparty, window.members, threshold, event, context);
        }
        if (baselinePercent != 0)
        {
            window.countPeak();
        }
    }

    /**
     * The distinct counterparties of one account within a sliding event-time window, each with the time
     * and offset of its latest payment. Entries in the order each entry's payment was recorded, scanned
     * linearly; one window per key. The entries start at {@link #INITIAL_CAPACITY} (or the maximum if smaller)
     * and double, contents copied in order, when a new counterparty arrives at a full window below its maximum;
     * which entries are kept or dropped is that of a window allocated at the maximum.
     * <p>
     * Memory: the entries are records in one {@code long[]}, entry {@code i}'s field {@code f} at
     * {@code i * STRIDE + f}: its counterparty, the time and the offset of its latest payment, three full longs
     * with nothing to pack (24 bytes an entry). With {@code c} entries allocated a window is this object (56 bytes:
     * a 12-byte header, the maximum, the count, the members, the current peak, the time of the last payment, the
     * baseline's period and past peaks, and the array's reference) and the array (16 bytes of header and 24 × c):
     * 24 × c + 72 bytes, 168 at 3 entries (c = 4) and 1,608 at 64. The store's slot for the account is on top.
     * <p>
     * In a snapshot ({@link #writeTo}): the time of the last payment recorded, the baseline's current period and
     * its past peaks, packed as in {@link #peaks} (three longs), the current period's peak and the number of entries (two ints), then each
     * entry in order as its counterparty, time and offset (three longs): 32 bytes and 24 an entry. The count of
     * members is not written: every record recomputes it before it is read.
     */
    static final class CounterpartyWindow
    {
        static final int IGNORED = 0;
        static final int UPDATED = 1;
        static final int ADDED = 2;
        static final int ADDED_DROPPING_OLDEST = 3;

        /** Entries allocated when the key is first seen, unless the maximum is smaller. */
        static final int INITIAL_CAPACITY = 2;
        /**
         * Bytes of a window in a snapshot before its entries: the time of the last payment, the baseline's period,
         * past peaks and current peak, and the count.
         */
        static final int HEADER_BYTES = 3 * Long.BYTES + 2 * Integer.BYTES;
        /** Bytes of one entry in a snapshot: counterparty, time and offset. */
        static final int ENTRY_BYTES = 3 * Long.BYTES;

        /** Bits of one peak in {@link #peaks}: five fit, and a peak above a window's most entries changes nothing. */
        private static final int PEAK_BITS = 12;
        /** The largest peak kept. */
        private static final int PEAK_MAX = (1 << PEAK_BITS) - 1;
        /** The bits of the peaks kept: the current period's and the {@value #BASELINE_PERIODS} before it. */
        private static final long PEAKS_MASK = (1L << (PEAK_BITS * (BASELINE_PERIODS + 1))) - 1;

        /** Field of a record: the counterparty. */
        private static final int COUNTERPARTY = 0;
        /** Field of a record: the event time of the counterparty's latest payment. */
        private static final int TIME = 1;
        /** Field of a record: the offset of the counterparty's latest payment. */
        private static final int OFFSET = 2;
        /** Longs per record. */
        private static final int STRIDE = 3;

        final int maxCapacity;
        /** Records of {@link #STRIDE} longs, {@link #size} in use, in the window's order. */
        private long[] records;
        int size;
        /** Entries within a window of the last payment recorded, either way: those it counts. */
        int members;
        long newest = Long.MIN_VALUE;
        /** The baseline's current period: the event time divided by the window, rounded down; none yet at MIN. */
        long period = Long.MIN_VALUE;
        /**
         * The most counterparties counted at once in each of the last {@value #BASELINE_PERIODS} + 1 whole periods,
         * 12 bits each, the newest in the low bits (a count above 4,095 is kept as that).
         */
        long peaks;
        /** The most counterparties counted at once so far in the current period. */
        int currentPeak;

        /**
         * @param maxCapacity most counterparties held, at least 1.
         */
        CounterpartyWindow(final int maxCapacity)
        {
            this(maxCapacity, StateCapacity.initial(INITIAL_CAPACITY, maxCapacity));
        }

        private CounterpartyWindow(final int maxCapacity, final int capacity)
        {
            this.maxCapacity = maxCapacity;
            records = new long[capacity * STRIDE];
        }

        /**
         * @param index of an entry, below {@link #size}.
         * @return its counterparty (also read by tests).
         */
        long counterpartyAt(final int index)
        {
            return records[index * STRIDE + COUNTERPARTY];
        }

        /**
         * @param index of an entry, below {@link #size}.
         * @return the event time of its latest payment (also read by tests).
         */
        long timeAt(final int index)
        {
            return records[index * STRIDE + TIME];
        }

        /**
         * @param index of an entry, below {@link #size}.
         * @return the offset of its latest payment (also read by tests).
         */
        long offsetAt(final int index)
        {
            return records[index * STRIDE + OFFSET];
        }

        /**
         * Write everything a later decision can depend on: the time of the last payment recorded and the
         * entries, in order.
         *
         * @param out to write to.
         */
        void writeTo(final StateWriter out)
        {
            out.putLong(newest).putLong(period).putLong(peaks).putInt(currentPeak).putInt(size);
            for (int i = 0; i < size; i++)
            {
                final int at = i * STRIDE;
                out.putLong(records[at + COUNTERPARTY]).putLong(records[at + TIME]).putLong(records[at + OFFSET]);
            }
        }

        /**
         * Read back a window {@link #writeTo} wrote, checking what a window guarantees: at most
         * {@code maxCapacity} entries, each with a different counterparty, none the key account itself.
         *
         * @param in          to read from.
         * @param maxCapacity most entries held, at least 1: the owning rule's own, not one from the bytes.
         * @param key         account the window belongs to.
         * @param scratch     at least {@code maxCapacity} longs, overwritten.
         * @return a new window in the state written.
         * @throws io.txmon.rules.state.StateException if the bytes cannot be such a window.
         */
        static CounterpartyWindow readFrom(
            final StateReader in, final int maxCapacity, final long key, final long[] scratch)
        {
            final long newest = in.getLong();
            final long period = in.getLong();
            final long peaks = in.getLong();
            in.require((peaks & ~PEAKS_MASK) == 0, "a counterparty window's past peaks hold more than five peaks");
            final int currentPeak = in.getCount(0, PEAK_MAX, "current peak of a counterparty window");
            final int size = in.getCount(0, maxCapacity, "entries of a counterparty window");
            in.require((long)size * ENTRY_BYTES <= in.remaining(), "a counterparty window's entries are cut short");

            final CounterpartyWindow window =
                new CounterpartyWindow(maxCapacity, StateCapacity.holding(INITIAL_CAPACITY, maxCapacity, size));
            final long[] records = window.records;
            for (int i = 0; i < size; i++)
            {
                final long counterparty = in.getLong();
                final int at = i * STRIDE;
                records[at + COUNTERPARTY] = counterparty;
                records[at + TIME] = in.getLong();
                records[at + OFFSET] = in.getLong();
                if (counterparty == key)
                {
                    in.require(false, "account " + key + " is in its own counterparty window");
                }
                scratch[i] = counterparty;
            }
            Arrays.sort(scratch, 0, size);
            for (int i = 1; i < size; i++)
            {
                if (scratch[i] == scratch[i - 1])
                {
                    in.require(false, "counterparty " + scratch[i] + " is twice in the window of account " + key);
                }
            }
            window.size = size;
            window.newest = newest;
            window.period = period;
            window.peaks = peaks;
            window.currentPeak = currentPeak;
            return window;
        }

        /**
         * Make it as a new window is, keeping its array, for another account: an evicted account's window
         * recycled by the account store. Only the array's length may differ, which decides nothing (entries drop at
         * {@code maxCapacity}, the rule's own) and is not written; entries past {@code size} are never read.
         */
        void reset()
        {
            size = 0;
            members = 0;
            newest = Long.MIN_VALUE;
            period = Long.MIN_VALUE;
            peaks = 0;
            currentPeak = 0;
        }

        /**
         * The account's baseline at an event: {@code percent} of its busiest period (the most counterparties
         * counted at once in it) of the {@value #BASELINE_PERIODS} whole periods that ended before the event's
         * window began (so not the one just before the event's, which its window reaches into), rounded up.
         * Periods are the window's length, aligned on its multiples in event time, so they do not depend on where
         * a replay starts; one without payments has a peak of 0. An event of a later period first closes the
         * current one; a late event of an earlier period changes nothing here.
         *
         * @param time        of the event.
         * @param windowNanos of the window, the periods' length.
         * @param percent     of the busiest period, 1 to 10,000.
         * @return the baseline count.
         */
        int baseline(final long time, final long windowNanos, final int percent)
        {
            final long eventPeriod = Math.floorDiv(time, windowNanos);
            if (period == Long.MIN_VALUE || eventPeriod < period - BASELINE_PERIODS - 1)
            {
                // the first payment, or one far behind the current period (the clock went back, or the current
                // one came from an outlier such as the year 2100): the baseline starts again from here
                period = eventPeriod;
                peaks = 0;
                currentPeak = 0;
            }
            else if (eventPeriod > period)
            {
                final long elapsed = eventPeriod - period;
                peaks = ((peaks << PEAK_BITS) | currentPeak) & PEAKS_MASK;
                // periods with no payment between: peaks of 0, until all the kept ones are such
                for (long i = 1; i < elapsed && i <= BASELINE_PERIODS + 1; i++)
                {
                    peaks = (peaks << PEAK_BITS) & PEAKS_MASK;
                }
                currentPeak = 0;
                period = eventPeriod;
            }
            // the newest whole period is skipped: the window of this event reaches back into it, so a burst that
            // began there is the event's own, not the account's usual
            long busiest = 0;
            for (int i = 1; i <= BASELINE_PERIODS; i++)
            {
                busiest = Math.max(busiest, (peaks >>> (i * PEAK_BITS)) & PEAK_MAX);
            }
            return (int)((busiest * percent + 99) / 100);
        }

        /**
         * After a payment is recorded: the counterparties counted now may be the current period's peak.
         */
        void countPeak()
        {
            currentPeak = Math.max(currentPeak, Math.min(members, PEAK_MAX));
        }

        /**
         * @return entries allocated now, at most {@code maxCapacity}.
         */
        int capacity()
        {
            return records.length / STRIDE;
        }

        /**
         * Purge entries that left the window, then record a payment with a counterparty.
         * <p>
         * Entries are kept in the order their current payment was recorded (an entry whose payment is
         * replaced moves to the end), so the order, and with it the evidence order and which of two equally old
         * entries a full window drops, depends only on the payments in the window, not on how it was reached.
         *
         * @return {@link #IGNORED} if the payment is already outside the window, {@link #UPDATED} if the
         * counterparty was already in it, {@link #ADDED} if it is new, or {@link #ADDED_DROPPING_OLDEST}
         * if it is new and the oldest counterparty was dropped to make room.
         */
        int record(final long counterparty, final long time, final long offset, final long windowNanos)
        {
            // entries that have left the window of this event and of the one before it go: state stays bounded by
            // one window, and an outlier (the year 2100, or the first after a quiet spell) costs at most the
            // window before it, never the events after it, as a clock that never went back did
            final long purgeBefore = EventTimes.purgeBefore(time, newest, windowNanos);
            newest = time;
            final long cutoff = EventTimes.minus(time, windowNanos);
            int kept = 0;
            int found = -1;
            members = 0;
            for (int i = 0; i < size; i++)
            {
                final long entryTime = timeAt(i);
                final boolean member = isMember(entryTime, time, cutoff, windowNanos);
                if (member || entryTime > purgeBefore)
                {
                    if (kept != i)
                    {
                        move(i, kept);
                    }
                    if (counterpartyAt(kept) == counterparty)
                    {
                        found = kept;
                    }
                    members += member ? 1 : 0;
                    kept++;
                }
            }
            size = kept;

            if (time <= cutoff)
            {
                return IGNORED;
            }
            if (found >= 0)
            {
                final long foundTime = timeAt(found);
                final boolean wasMember = isMember(foundTime, time, cutoff, windowNanos);
                if (time >= foundTime || !wasMember)
                {
                    remove(found);
                    append(counterparty, time, offset);
                }
                if (!wasMember)
                {
                    members++;
                    return ADDED;
                }
                return UPDATED;
            }
            members++;
            if (size < maxCapacity)
            {
                if (size == capacity())
                {
                    grow();
                }
                append(counterparty, time, offset);
                return ADDED;
            }
            // full: an entry outside this payment's window (far ahead, or long past) goes first, and as it was
            // not counted nothing is lost; only when every entry counts does the oldest go
            int drop = -1;
            for (int i = 0; i < size && drop < 0; i++)
            {
                if (!isMember(timeAt(i), time, cutoff, windowNanos))
                {
                    drop = i;
                }
            }
            if (drop >= 0)
            {
                remove(drop);
                append(counterparty, time, offset);
                return ADDED;
            }
            drop = 0;
            for (int i = 1; i < size; i++)
            {
                if (timeAt(i) < timeAt(drop))
                {
                    drop = i;
                }
            }
            members--;
            remove(drop);
            append(counterparty, time, offset);
            return ADDED_DROPPING_OLDEST;
        }

        /**
         * @return whether an entry at {@code entryTime} is within the window of a payment at {@code time}:
         * after its cutoff and less than a window ahead of it.
         */
        static boolean isMember(final long entryTime, final long time, final long cutoff, final long windowNanos)
        {
            return entryTime > cutoff && EventTimes.gap(entryTime, time) < windowNanos;
        }

        private void grow()
        {
            records = StateCapacity.grown(records, STRIDE, StateCapacity.doubled(capacity(), maxCapacity));
        }

        /**
         * Copy entry {@code from} over entry {@code to}.
         */
        private void move(final int from, final int to)
        {
            final long[] records = this.records;
            final int source = from * STRIDE;
            final int target = to * STRIDE;
            records[target + COUNTERPARTY] = records[source + COUNTERPARTY];
            records[target + TIME] = records[source + TIME];
            records[target + OFFSET] = records[source + OFFSET];
        }

        /**
         * Take out entry {@code index}, the entries after it moving up one in order.
         */
        private void remove(final int index)
        {
            final int moved = size - index - 1;
            System.arraycopy(records, (index + 1) * STRIDE, records, index * STRIDE, moved * STRIDE);
            size--;
        }

        private void append(final long counterparty, final long time, final long offset)
        {
            final long[] records = this.records;
            final int at = size * STRIDE;
            records[at + COUNTERPARTY] = counterparty;
            records[at + TIME] = time;
            records[at + OFFSET] = offset;
            size++;
        }

        /**
         * Add the triggering offset, then the offset of every other entry, up to the alert's capacity.
         */
        void addEvidence(final AlertRecord alert, final long triggeringOffset, final long time, final long windowNanos)
        {
            alert.evidence(triggeringOffset);
            int added = 1;
            for (int i = 0; i < size && added < AlertRecord.MAX_EVIDENCE; i++)
            {
                final long entryOffset = offsetAt(i);
                if (entryOffset != triggeringOffset &&
                    isMember(timeAt(i), time, EventTimes.minus(time, windowNanos), windowNanos))
                {
                    alert.evidence(entryOffset);
                    added++;
                }
            }
        }

    }
}
