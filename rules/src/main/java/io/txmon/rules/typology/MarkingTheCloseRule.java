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

import java.util.Arrays;

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
 * (so it is forgotten when the store evicts the account): one slot per instrument traded, up to
 * {@code instrumentsPerAccount}, of 5 longs, two flags, a count and {@value #EVIDENCE_PER_INSTRUMENT} offsets (about
 * 176 bytes each; at most 5.6 KB at the default 32). Slots are allocated 4 at first (or {@code instrumentsPerAccount}
 * if fewer) and doubled as instruments appear, up to {@code instrumentsPerAccount}; slot numbers never change, so which
 * slot is reused is that of a full-size allocation. When every slot is taken the least recently traded instrument's
 * slot (of equally recent ones, the lowest instrument id) is reused and counted ({@link #evictedInstruments()}). An
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
            this, AccountState::reset, () -> new AccountState(instrumentsPerAccount));
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
        final AccountState state = new AccountState(
            instrumentsPerAccount, StateCapacity.holding(INITIAL_INSTRUMENT_SLOTS, instrumentsPerAccount, taken));
        for (int i = 0; i < taken; i++)
        {
            state.used[i] = true;
            state.instrument[i] = in.getLong();
            state.day[i] = in.getLong();
            state.dayQuantity[i] = in.getLong();
            state.closeQuantity[i] = in.getLong();
            state.lastTime[i] = in.getLong();
            state.alerted[i] = in.getBoolean();
            final int evidence = in.getCount(0, EVIDENCE_PER_INSTRUMENT, "evidence offsets");
            in.getLongs(state.evidence, i * EVIDENCE_PER_INSTRUMENT, evidence);
            state.evidenceCount[i] = evidence;
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
        AccountState state = states.getOrCreate(accountSlot);

        final long day = Math.floorDiv(event.eventTime, DAY_NS);
        final long timeOfDay = Math.floorMod(event.eventTime, DAY_NS);
        final int slot = state.slotFor(event.instrument, day);
        if (slot < 0)
        {
            lateEvents++;
            return;
        }
        state.lastTime[slot] = Math.max(state.lastTime[slot], event.eventTime);
        state.dayQuantity[slot] += event.quantity;
        if (timeOfDay < closeTimeOfDayNs - windowNs || timeOfDay >= closeTimeOfDayNs)
        {
            return;
        }
        state.closeQuantity[slot] += event.quantity;
        state.addEvidence(slot, event.offset);

        final long close = state.closeQuantity[slot];
        final long total = state.dayQuantity[slot];
        if (state.alerted[slot] || close < minQuantity || close * 1000 < (long)minSharePerMille * total)
        {
            return;
        }
        state.alerted[slot] = true;

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

    private final class AccountState
    {
        long[] instrument;
        long[] day;
        long[] dayQuantity;
        long[] closeQuantity;
        long[] lastTime;
        boolean[] used;
        boolean[] alerted;
        long[] evidence;
        int[] evidenceCount;
        private final int maxSlots;

        /**
         * @param maxSlots most instrument slots, at least 1.
         */
        AccountState(final int maxSlots)
        {
            this(maxSlots, StateCapacity.initial(INITIAL_INSTRUMENT_SLOTS, maxSlots));
        }

        /**
         * @param maxSlots most instrument slots, at least 1.
         * @param slots    allocated, up to maxSlots.
         */
        AccountState(final int maxSlots, final int slots)
        {
            this.maxSlots = maxSlots;
            instrument = new long[slots];
            day = new long[slots];
            dayQuantity = new long[slots];
            closeQuantity = new long[slots];
            lastTime = new long[slots];
            used = new boolean[slots];
            alerted = new boolean[slots];
            evidence = new long[slots * EVIDENCE_PER_INSTRUMENT];
            evidenceCount = new int[slots];
        }

        /**
         * Make it as a new state is, keeping its arrays, for another account: an evicted account's state recycled
         * by the account store. Every instrument slot is free, which is all that is read of a slot before it is
         * taken again (taking it sets every other field); how many slots are allocated then decides nothing, since
         * the lowest free one is taken first, the one a new state would grow into, and one is reused only when all
         * of the maximum are taken.
         */
        void reset()
        {
            Arrays.fill(used, false);
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
            while (taken < used.length && used[taken])
            {
                taken++;
            }
            out.putInt(taken);
            for (int i = 0; i < taken; i++)
            {
                out.putLong(instrument[i]).putLong(day[i]).putLong(dayQuantity[i]).putLong(closeQuantity[i])
                    .putLong(lastTime[i]).putBoolean(alerted[i]).putInt(evidenceCount[i])
                    .putLongs(evidence, i * EVIDENCE_PER_INSTRUMENT, evidenceCount[i]);
            }
        }

        /**
         * Double the slots, up to the maximum, keeping every slot at its index.
         */
        private void grow()
        {
            final int slots = StateCapacity.doubled(instrument.length, maxSlots);
            instrument = Arrays.copyOf(instrument, slots);
            day = Arrays.copyOf(day, slots);
            dayQuantity = Arrays.copyOf(dayQuantity, slots);
            closeQuantity = Arrays.copyOf(closeQuantity, slots);
            lastTime = Arrays.copyOf(lastTime, slots);
            used = Arrays.copyOf(used, slots);
            alerted = Arrays.copyOf(alerted, slots);
            evidence = Arrays.copyOf(evidence, slots * EVIDENCE_PER_INSTRUMENT);
            evidenceCount = Arrays.copyOf(evidenceCount, slots);
        }

        /**
         * @return the slot of the instrument for that day, reset if the day is newer; -1 if the day is older.
         */
        int slotFor(final long instrumentId, final long eventDay)
        {
            int free = -1;
            int oldest = -1;
            for (int i = 0; i < instrument.length; i++)
            {
                if (!used[i])
                {
                    if (free < 0)
                    {
                        free = i;
                    }
                }
                else if (instrument[i] == instrumentId)
                {
                    if (eventDay < day[i] - FAR_AHEAD_DAYS)
                    {
                        // the slot's day is more than a week ahead of this execution (the year 2100): it would
                        // make every later execution late for ever, so the day at hand replaces it
                        reset(i, instrumentId, eventDay);
                        return i;
                    }
                    if (eventDay < day[i])
                    {
                        return -1;
                    }
                    if (eventDay > day[i])
                    {
                        reset(i, instrumentId, eventDay);
                    }
                    return i;
                }
                else if (oldest < 0 || lastTime[i] < lastTime[oldest] ||
                    (lastTime[i] == lastTime[oldest] && instrument[i] < instrument[oldest]))
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
            else if (instrument.length < maxSlots)
            {
                // slots are taken lowest first and never freed, so the first new one is what a full-size
                // allocation would have used
                slot = instrument.length;
                grow();
            }
            else
            {
                slot = oldest;
                evictedInstruments++;
            }
            reset(slot, instrumentId, eventDay);
            return slot;
        }

        void reset(final int i, final long instrumentId, final long eventDay)
        {
            used[i] = true;
            instrument[i] = instrumentId;
            day[i] = eventDay;
            dayQuantity[i] = 0;
            closeQuantity[i] = 0;
            lastTime[i] = Long.MIN_VALUE;
            alerted[i] = false;
            evidenceCount[i] = 0;
        }

        void addEvidence(final int slot, final long offset)
        {
            final int n = evidenceCount[slot];
            if (n < EVIDENCE_PER_INSTRUMENT)
            {
                evidence[slot * EVIDENCE_PER_INSTRUMENT + n] = offset;
                evidenceCount[slot] = n + 1;
            }
        }

        void copyEvidence(final int slot, final AlertRecord alert, final long triggering)
        {
            for (int k = 0; k < evidenceCount[slot]; k++)
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
