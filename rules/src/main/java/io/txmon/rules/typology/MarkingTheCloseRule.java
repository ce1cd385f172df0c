package io.txmon.rules.typology;

import io.txmon.events.codec.ExecutionDecoder;
import io.txmon.events.codec.Severity;
import io.txmon.rules.AlertRecord;
import io.txmon.rules.Rule;
import io.txmon.rules.RuleContext;
import io.txmon.rules.TxEvent;
import io.txmon.rules.state.AccountStore;
import io.txmon.rules.state.StateReader;
import io.txmon.rules.state.StateWriter;

import static io.txmon.rules.typology.ParameterChecks.check;
import static io.txmon.rules.typology.ParameterChecks.positive;
import static io.txmon.rules.typology.ParameterChecks.range;
import static io.txmon.rules.typology.ParameterChecks.set;

/**
 * Marking the close: an account's executions on an instrument in the last minutes before a configured
 * daily close make up at least a share of that account's volume on that instrument that day. Evaluated
 * on each execution inside the close window [close - window, close); the share compared is the account's
 * quantity executed in the close window so far that day over its quantity executed that day so far, and
 * the close-window quantity must be at least a minimum. At most one alert per account, instrument and day.
 * Keyed on the execution's account (only {@code account}; the counterparty's side is not counted).
 * <p>
 * Time is the event time only; days run from 00:00 UTC. A late execution from an earlier day than the
 * instrument's current day is counted in {@link #lateEvents()} and otherwise ignored. The share is an
 * integer per mille (no floating point): alert when closeQuantity * 1000 &gt;= minSharePerMille * dayQuantity.
 * Score: 500 at the share, 1000 when the close window is the whole day's volume (linear between).
 * The evidence is the triggering execution then the other close-window executions of that day (up to
 * {@code EVIDENCE_PER_INSTRUMENT}).
 * <p>
 * Memory per owned account with executions, one object kept in an object column of the worker's {@link AccountStore}
 * (so it is forgotten when the store evicts the account): an object holding one {@code long[]} of slot records, one
 * slot per instrument traded, up to {@code instrumentsPerAccount}. A record is 6 longs (48 bytes): instrument, day,
 * day quantity, close-window quantity and last event time, and one long packing whether the slot is taken, whether
 * it has alerted and its evidence count. The evidence offsets ({@value #EVIDENCE_PER_INSTRUMENT} per slot, 128
 * bytes) are in a second array, allocated at the account's first execution in a close window: most executions are
 * not. With c slots allocated an account costs 48 &times; c + 40 bytes (24 of object, 16 of array header), 136 at 2;
 * with close-window executions 128 &times; c + 16 more, 408 at 2; at most 5,688 at the default 32. Slots are allocated 2 at first (or {@code instrumentsPerAccount} if fewer) and
 * doubled as instruments appear, up to {@code instrumentsPerAccount}; slot numbers never change, so which slot is
 * reused is that of a full-size allocation. When every slot is taken the least recently traded instrument's slot
 * (of equally recent ones, the lowest instrument id) is reused and counted ({@link #evictedInstruments()}). An
 * evicted account's state is reset and kept, with its slots, for the next new account, which then behaves and is
 * written as with a new one.
 * <p>
 * State in a snapshot: the number of accounts (int), then per account, in ascending order of id, its id (long) and the
 * instrument slots taken (int), then each slot in slot order: instrument, day, day quantity, close-window quantity and
 * last event time (longs), whether it has alerted (boolean), and its evidence count (int) and offsets (longs). Slot
 * numbers are kept; the slots are allocated at the size they had grown to. Read back, the slots are checked against
 * {@code instrumentsPerAccount} and the evidence count against {@value #EVIDENCE_PER_INSTRUMENT}.
 */
public final class MarkingTheCloseRule extends TypologyRule<MarkingTheCloseRule.Parameters>
{
    /** Stable rule id. */
    public static final int ID = 23;
    /** Version of the logic. */
    public static final int VERSION = 1;
    /** Name in configuration and alerts. */
    public static final String NAME = "marking-the-close";
    /** Nanoseconds per day. */
    public static final long DAY_NS = 86_400L * 1_000_000_000L;
    /** Default close: 16:00:00 UTC, as ns after midnight. */
    public static final long DEFAULT_CLOSE_TIME_OF_DAY_NS = 16L * 3600 * 1_000_000_000L;
    /** Default close window: 5 minutes in ns. */
    public static final long DEFAULT_WINDOW_NS = 5L * 60 * 1_000_000_000L;
    /** Default share of the day's volume, per mille. */
    public static final int DEFAULT_MIN_SHARE_PER_MILLE = 500;
    /** Default least close-window quantity. */
    public static final long DEFAULT_MIN_QUANTITY = 1_000;
    /** Default instruments tracked per account. */
    public static final int DEFAULT_INSTRUMENTS_PER_ACCOUNT = 32;
    /** Close-window execution offsets kept per instrument and day for evidence. */
    public static final int EVIDENCE_PER_INSTRUMENT = 16;

    /** Instrument slots allocated per account when first seen, unless instrumentsPerAccount is fewer. */
    static final int INITIAL_INSTRUMENT_SLOTS = 2;

    /** Largest number of instrument slots per account accepted: each execution scans them. */
    public static final int MAX_INSTRUMENTS_PER_ACCOUNT = 4096;

    /** Least bytes an account takes in a snapshot: id, slots taken. */
    private static final int ACCOUNT_STATE_BYTES = Long.BYTES + Integer.BYTES;

    /** Record field: the slot's instrument. */
    private static final int INSTRUMENT = 0;
    /** Record field: the slot's UTC day, days since the epoch. */
    private static final int DAY = 1;
    /** Record field: quantity executed on the instrument that day. */
    private static final int DAY_QUANTITY = 2;
    /** Record field: quantity executed on the instrument in that day's close window. */
    private static final int CLOSE_QUANTITY = 3;
    /** Record field: latest event time of the slot's executions, {@link Long#MIN_VALUE} when just taken. */
    private static final int LAST_TIME = 4;
    /**
     * Record field packing the small fields: bit 0 {@link #TAKEN}, bit 1 {@link #ALERTED}, bits 32 to 63 the
     * evidence count (0 to {@value #EVIDENCE_PER_INSTRUMENT}, read with {@link #evidenceCount}); 0 is a free slot.
     */
    private static final int FLAGS = 5;
    /** Longs per slot record. */
    private static final int STRIDE = 6;

    /** {@link #FLAGS} bit: the slot is taken by an instrument. */
    private static final long TAKEN = 1L;
    /** {@link #FLAGS} bit: the slot's instrument has alerted that day. */
    private static final long ALERTED = 1L << 1;
    /** {@link #FLAGS} shift of the evidence count, the top 32 bits. */
    private static final int EVIDENCE_COUNT_SHIFT = 32;
    /** {@link #FLAGS} increment of the evidence count by one. */
    private static final long ONE_EVIDENCE = 1L << EVIDENCE_COUNT_SHIFT;

    /**
     * Parameters, validated on construction.
     *
     * @param closeTimeOfDayNanos   close as ns after 00:00 UTC, within a day; default 16:00:00.
     * @param windowNanos           length of the close window, positive and at most closeTimeOfDayNanos;
     *                              default 5 minutes.
     * @param minSharePerMille      share of the day's volume, 1 to 1000; default
     *                              {@value #DEFAULT_MIN_SHARE_PER_MILLE}.
     * @param minQuantity           least close-window quantity, positive; default {@value #DEFAULT_MIN_QUANTITY}.
     * @param instrumentsPerAccount instrument slots per account, 1 to {@value #MAX_INSTRUMENTS_PER_ACCOUNT};
     *                              default {@value #DEFAULT_INSTRUMENTS_PER_ACCOUNT}.
     * @param severity              of the alerts; default {@link Severity#MEDIUM}.
     */
    public record Parameters(
        long closeTimeOfDayNanos,
        long windowNanos,
        int minSharePerMille,
        long minQuantity,
        int instrumentsPerAccount,
        Severity severity)
    {
        /** Default parameters. */
        public static final Parameters DEFAULTS = new Parameters(
            DEFAULT_CLOSE_TIME_OF_DAY_NS,
            DEFAULT_WINDOW_NS,
            DEFAULT_MIN_SHARE_PER_MILLE,
            DEFAULT_MIN_QUANTITY,
            DEFAULT_INSTRUMENTS_PER_ACCOUNT,
            Severity.MEDIUM);

        /**
         * Validates every parameter.
         *
         * @throws IllegalArgumentException naming the rule and the parameter that is out of range.
         */
        public Parameters
        {
            range(NAME, "closeTimeOfDayNanos", closeTimeOfDayNanos, 0, DAY_NS - 1);
            check(windowNanos > 0 && windowNanos <= closeTimeOfDayNanos, NAME, "windowNanos",
                "positive and at most closeTimeOfDayNanos " + closeTimeOfDayNanos, windowNanos);
            range(NAME, "minSharePerMille", minSharePerMille, 1, 1000);
            positive(NAME, "minQuantity", minQuantity);
            range(NAME, "instrumentsPerAccount", instrumentsPerAccount, 1, MAX_INSTRUMENTS_PER_ACCOUNT);
            set(NAME, "severity", severity);
        }
    }

    /** A slot's day further ahead than this of an execution is replaced by the execution's day. */
    static final long FAR_AHEAD_DAYS = 7;

    private final long closeTimeOfDayNs;
    private final long windowNs;
    private final int minSharePerMille;
    private final long minQuantity;
    private final int instrumentsPerAccount;
    private final Severity severity;
    private final AccountObjects<AccountState> states;
    private long lateEvents;
    private long evictedInstruments;

    /**
     * Defaults: {@link Parameters#DEFAULTS}, close 16:00:00 UTC, 5 minutes, 500 per mille, 1,000, 32
     * instruments, severity MEDIUM.
     */
    public MarkingTheCloseRule()
    {
        this(Parameters.DEFAULTS);
    }

    /**
     * @param closeTimeOfDayNs      close as ns after 00:00 UTC, 0 to one day exclusive.
     * @param windowNs              length of the close window, positive and at most closeTimeOfDayNs.
     * @param minSharePerMille      share of the day's volume, 1 to 1000.
     * @param minQuantity           least close-window quantity, positive.
     * @param instrumentsPerAccount instrument slots per account, positive.
     * @param severity              of the alerts.
     */
    public MarkingTheCloseRule(
        final long closeTimeOfDayNs,
        final long windowNs,
        final int minSharePerMille,
        final long minQuantity,
        final int instrumentsPerAccount,
        final Severity severity)
    {
        this(new Parameters(
            closeTimeOfDayNs, windowNs, minSharePerMille, minQuantity, instrumentsPerAccount, severity));
    }

    /**
     * @param parameters validated parameters.
     */
    public MarkingTheCloseRule(final Parameters parameters)
    {
        super(ID, VERSION, NAME, parameters);
        this.closeTimeOfDayNs = parameters.closeTimeOfDayNanos();
        this.windowNs = parameters.windowNanos();
        this.minSharePerMille = parameters.minSharePerMille();
        this.minQuantity = parameters.minQuantity();
        this.instrumentsPerAccount = parameters.instrumentsPerAccount();
        this.severity = parameters.severity();
        this.states = new AccountObjects<>(
            this,
            AccountState::reset,
            () -> new AccountState(StateCapacity.initial(INITIAL_INSTRUMENT_SLOTS, instrumentsPerAccount)));
    }

    /**
     * Alerts come only before the close and count only the current UTC day's executions, so a later decision
     * depends on executions since 00:00 of the newest event's day if it is before the close (less than
     * closeTimeOfDayNanos ago), and on none of the past if it is after; slots of past days are reused before
     * any of the day's, and equally old slots are chosen by instrument id, so slot history does not matter.
     *
     * @return {@link Parameters#closeTimeOfDayNanos()}.
     */
    public long horizonNanos()
    {
        return closeTimeOfDayNs;
    }

    /**
     * @return executions from a day earlier than their instrument's current day.
     */
    public long lateEvents()
    {
        return lateEvents;
    }

    /**
     * @return instrument slots reused for another instrument.
     */
    public long evictedInstruments()
    {
        return evictedInstruments;
    }

    /**
     * @return {@link Rule#EXECUTION}.
     */
    public long templates()
    {
        return EXECUTION;
    }

    /**
     * Moves the accounts' instrument slots into the worker's account store.
     *
     * @param store the worker's store.
     */
    public void bind(final AccountStore store)
    {
        states.bind(store);
    }

    /**
     * Write every account's instrument slots, in slot order, accounts in ascending order.
     *
     * @param out to write to.
     */
    public void writeState(final StateWriter out)
    {
        states.writeAscending(out, AccountState::write);
    }

    /**
     * Read back what {@link #writeState} wrote, replacing every account's slots; nothing changes if it fails.
     *
     * @param in to read from.
     */
    public void readState(final StateReader in)
    {
        states.readAscending(in, ACCOUNT_STATE_BYTES, "accounts", (reader, account) -> readAccount(reader));
    }

    /**
     * Read an account's slots written by {@link AccountState#write}, after its id.
     *
     * @param in to read from.
     * @return the account's state, its slots at the size they had grown to.
     */
    private AccountState readAccount(final StateReader in)
    {
        final int taken = in.getCount(0, instrumentsPerAccount, "instrument slots taken");
        final AccountState state =
            new AccountState(StateCapacity.holding(INITIAL_INSTRUMENT_SLOTS, instrumentsPerAccount, taken));
        final long[] records = state.records;
        for (int i = 0; i < taken; i++)
        {
            final int at = i * STRIDE;
            records[at + INSTRUMENT] = in.getLong();
            records[at + DAY] = in.getLong();
            records[at + DAY_QUANTITY] = in.getLong();
            records[at + CLOSE_QUANTITY] = in.getLong();
            records[at + LAST_TIME] = in.getLong();
            final boolean alerted = in.getBoolean();
            final int evidence = in.getCount(0, EVIDENCE_PER_INSTRUMENT, "evidence offsets");
            records[at + FLAGS] = TAKEN | (alerted ? ALERTED : 0);
            for (int k = 0; k < evidence; k++)
            {
                state.addEvidence(i, in.getLong());
            }
        }
        return state;
    }

    public void onEvent(final TxEvent event, final RuleContext context)
    {
        if (event.templateId != ExecutionDecoder.TEMPLATE_ID || event.quantity <= 0 || !context.owns(event.account))
        {
            return;
        }
        final int accountSlot = context.slot(event.account);
        final AccountState state = states.getOrCreate(accountSlot);

        final long day = Math.floorDiv(event.eventTime, DAY_NS);
        final long timeOfDay = Math.floorMod(event.eventTime, DAY_NS);
        final int slot = slotFor(state, event.instrument, day);
        if (slot < 0)
        {
            lateEvents++;
            return;
        }
        final long[] records = state.records;
        final int at = slot * STRIDE;
        records[at + LAST_TIME] = Math.max(records[at + LAST_TIME], event.eventTime);
        records[at + DAY_QUANTITY] += event.quantity;
        if (timeOfDay < closeTimeOfDayNs - windowNs || timeOfDay >= closeTimeOfDayNs)
        {
            return;
        }
        records[at + CLOSE_QUANTITY] += event.quantity;
        state.addEvidence(slot, event.offset);

        final long close = records[at + CLOSE_QUANTITY];
        final long total = records[at + DAY_QUANTITY];
        if ((records[at + FLAGS] & ALERTED) != 0 || close < minQuantity ||
            close * 1000 < (long)minSharePerMille * total)
        {
            return;
        }
        records[at + FLAGS] |= ALERTED;

        final long perMille = close * 1000 / total;
        final int score = minSharePerMille >= 1000 ? 1000 :
            (int)(500 + (perMille - minSharePerMille) * 500 / (1000 - minSharePerMille));
        final AlertRecord alert = context.raise(this, severity, score, event.account).evidence(event.offset);
        state.copyEvidence(slot, alert, event.offset);
        final long closeSeconds = closeTimeOfDayNs / 1_000_000_000L;
        alert.reason()
            .append("account ").append(event.account)
            .append(" executed ").append(close).append(" of its day volume ").append(total)
            .append(" (").append(perMille / 10).append("%) on instrument ").append(event.instrument)
            .append(" in the ").append(windowNs / 1_000_000_000L).append(" s before the ")
            .append(closeSeconds / 3600).append(":")
            .append((closeSeconds / 60) % 60 < 10 ? "0" : "").append((closeSeconds / 60) % 60)
            .append(" UTC close");
    }

    /**
     * @param flags a record's {@link #FLAGS}.
     * @return the evidence count packed in them.
     */
    private static int evidenceCount(final long flags)
    {
        return (int)(flags >>> EVIDENCE_COUNT_SHIFT);
    }

    /**
     * The instrument's slot for that day: its own, reset if the day is newer; else the lowest free one, a new one
     * if all allocated are taken (doubling them, up to {@code instrumentsPerAccount}), or the least recently
     * traded one (counted in {@link #evictedInstruments()}), taken as new.
     *
     * @param state        the account's slots.
     * @param instrumentId the execution's instrument.
     * @param eventDay     the execution's UTC day.
     * @return the slot, its records possibly replaced by larger ones; -1 if the day is older than the slot's.
     */
    private int slotFor(final AccountState state, final long instrumentId, final long eventDay)
    {
        final long[] records = state.records;
        final int slots = records.length / STRIDE;
        int free = -1;
        int oldest = -1;
        for (int i = 0; i < slots; i++)
        {
            final int at = i * STRIDE;
            if ((records[at + FLAGS] & TAKEN) == 0)
            {
                if (free < 0)
                {
                    free = i;
                }
            }
            else if (records[at + INSTRUMENT] == instrumentId)
            {
                final long day = records[at + DAY];
                if (eventDay < day - FAR_AHEAD_DAYS)
                {
                    // the slot's day is more than a week ahead of this execution (the year 2100): it would
                    // make every later execution late for ever, so the day at hand replaces it
                    AccountState.take(records, at, instrumentId, eventDay);
                    return i;
                }
                if (eventDay < day)
                {
                    return -1;
                }
                if (eventDay > day)
                {
                    AccountState.take(records, at, instrumentId, eventDay);
                }
                return i;
            }
            else if (oldest < 0 || records[at + LAST_TIME] < records[oldest * STRIDE + LAST_TIME] ||
                (records[at + LAST_TIME] == records[oldest * STRIDE + LAST_TIME] &&
                records[at + INSTRUMENT] < records[oldest * STRIDE + INSTRUMENT]))
            {
                // ties go to the lowest instrument id, not the lowest slot, so that the choice does not
                // depend on the order slots were taken in (see horizonNanos)
                oldest = i;
            }
        }
        final int slot;
        if (free >= 0)
        {
            slot = free;
        }
        else if (slots < instrumentsPerAccount)
        {
            // slots are taken lowest first and never freed, so the first new one is what a full-size
            // allocation would have used
            slot = slots;
            state.grow(instrumentsPerAccount);
        }
        else
        {
            slot = oldest;
            evictedInstruments++;
        }
        AccountState.take(state.records, slot * STRIDE, instrumentId, eventDay);
        return slot;
    }

    /**
     * An account's instrument slots: one record of {@link #STRIDE} longs per slot, slot {@code i}'s field {@code f}
     * at {@code i * STRIDE + f}. Slots are taken lowest first and never freed. The evidence is apart, since only
     * executions in a close window keep any: {@value #EVIDENCE_PER_INSTRUMENT} offsets per slot, slot {@code i}'s at
     * {@code i * EVIDENCE_PER_INSTRUMENT}, allocated at the account's first close-window execution and grown with
     * the slots from then on.
     */
    private static final class AccountState
    {
        private static final long[] NO_EVIDENCE = new long[0];

        long[] records;
        long[] evidence = NO_EVIDENCE;

        /**
         * @param slots allocated, at least 1.
         */
        AccountState(final int slots)
        {
            records = new long[slots * STRIDE];
        }

        /**
         * Make it as a new state is, keeping its records, for another account: an evicted account's state recycled
         * by the account store. Every instrument slot is free, which is all that is read of a slot before it is
         * taken again (taking it sets every other field); how many slots are allocated then decides nothing, since
         * the lowest free one is taken first, the one a new state would grow into, and one is reused only when all
         * of the maximum are taken.
         */
        void reset()
        {
            for (int at = FLAGS; at < records.length; at += STRIDE)
            {
                records[at] = 0;
            }
        }

        /**
         * Write the slots, after the account, as the class Javadoc lays them out.
         *
         * @param out to write to.
         */
        void write(final StateWriter out)
        {
            // slots are taken lowest first and never freed
            int taken = 0;
            while (taken * STRIDE < records.length && (records[taken * STRIDE + FLAGS] & TAKEN) != 0)
            {
                taken++;
            }
            out.putInt(taken);
            for (int i = 0; i < taken; i++)
            {
                final int at = i * STRIDE;
                final long flags = records[at + FLAGS];
                final int evidence = evidenceCount(flags);
                out.putLong(records[at + INSTRUMENT]).putLong(records[at + DAY]).putLong(records[at + DAY_QUANTITY])
                    .putLong(records[at + CLOSE_QUANTITY]).putLong(records[at + LAST_TIME])
                    .putBoolean((flags & ALERTED) != 0).putInt(evidence)
                    .putLongs(this.evidence, i * EVIDENCE_PER_INSTRUMENT, evidence);
            }
        }

        /**
         * Double the slots, up to the maximum, keeping every slot at its index.
         *
         * @param maxSlots most instrument slots.
         */
        void grow(final int maxSlots)
        {
            records = StateCapacity.grown(
                records, STRIDE, StateCapacity.doubled(records.length / STRIDE, maxSlots));
        }

        /**
         * Take a slot for an instrument and day, as a new one: nothing executed, not alerted, no evidence.
         *
         * @param records      an account's records.
         * @param at           the slot's first index.
         * @param instrumentId the instrument.
         * @param eventDay     the UTC day.
         */
        static void take(final long[] records, final int at, final long instrumentId, final long eventDay)
        {
            records[at + INSTRUMENT] = instrumentId;
            records[at + DAY] = eventDay;
            records[at + DAY_QUANTITY] = 0;
            records[at + CLOSE_QUANTITY] = 0;
            records[at + LAST_TIME] = Long.MIN_VALUE;
            records[at + FLAGS] = TAKEN;
        }

        /**
         * Keep a close-window execution's offset as evidence, unless the slot already keeps
         * {@value #EVIDENCE_PER_INSTRUMENT}; the evidence offsets are allocated, or grown to the slots, first.
         *
         * @param slot   the execution's slot, taken.
         * @param offset the execution's offset.
         */
        void addEvidence(final int slot, final long offset)
        {
            final int at = slot * STRIDE;
            final long flags = records[at + FLAGS];
            final int n = evidenceCount(flags);
            if (n < EVIDENCE_PER_INSTRUMENT)
            {
                final int slots = records.length / STRIDE;
                if (evidence.length < slots * EVIDENCE_PER_INSTRUMENT)
                {
                    evidence = StateCapacity.grown(evidence, EVIDENCE_PER_INSTRUMENT, slots);
                }
                evidence[slot * EVIDENCE_PER_INSTRUMENT + n] = offset;
                records[at + FLAGS] = flags + ONE_EVIDENCE;
            }
        }

        /**
         * Add the slot's evidence but the triggering execution's to an alert, oldest first.
         *
         * @param slot       the slot.
         * @param alert      to add to.
         * @param triggering the offset already added.
         */
        void copyEvidence(final int slot, final AlertRecord alert, final long triggering)
        {
            final int n = evidenceCount(records[slot * STRIDE + FLAGS]);
            for (int k = 0; k < n; k++)
            {
                final long offset = evidence[slot * EVIDENCE_PER_INSTRUMENT + k];
                if (offset != triggering)
                {
                    alert.evidence(offset);
                }
            }
        }
    }
}
