package io.txmon.rules.typology;

import io.txmon.events.codec.PaymentDecoder;
import io.txmon.events.codec.Severity;
import io.txmon.rules.RuleContext;
import io.txmon.rules.TxEvent;
import io.txmon.rules.state.AccountStore;
import io.txmon.rules.state.StateReader;
import io.txmon.rules.state.StateWriter;
import org.agrona.collections.LongHashSet;

import java.util.Arrays;

import static io.txmon.rules.typology.ParameterChecks.atLeast;
import static io.txmon.rules.typology.ParameterChecks.positive;
import static io.txmon.rules.typology.ParameterChecks.range;
import static io.txmon.rules.typology.ParameterChecks.set;

/**
 * First payment to a new payee with a large amount: a payment at or above a threshold from a debtor to a
 * creditor it has not paid within a lookback period. Keyed on the debtor account.
 * <p>
 * Per debtor the rule keeps a bounded set of payees with the event time of the latest payment to each.
 * A payee is known when it is in the set and {@code payment.time - lastPaid < lookbackNanos}. Every
 * payment from the debtor, large or small, records its creditor. When the set is full the payee paid
 * longest ago (of equally old ones, the lowest account id) is evicted; if it was still within the lookback
 * that is counted in {@link #droppedEntries()}, and a later payment to it looks new again. A payment from an
 * account to itself is ignored. A debtor this worker has never seen has no known payees: right after a start
 * from an empty state (rather than a replay of the journal) every large payment alerts once per payee.
 * <p>
 * Evidence: the triggering payment. Score: 500 at the threshold, rising linearly to 1000 at ten times it.
 * <p>
 * Per-key memory: an object (24 bytes) and one array of records (account and time last paid, 16 bytes per payee,
 * 16 bytes of header) that grows by doubling from 2 to {@code maxPayees} entries (4 KB for the default 256), created
 * on the debtor's first payment: 104 bytes for a debtor that has paid three payees (4 slots).
 * The set is kept in a column of the worker's {@link AccountStore} (the rule's own store until {@link #bind}) and
 * goes when the store evicts the debtor (idle or over the cap): its payees all look new again, and the set, emptied
 * but with the arrays it had grown, is kept for the next debtor to make one. Lookups scan the set linearly.
 * <p>
 * State in a snapshot: the number of debtors with a set (int), then per debtor, in ascending order of id, its id
 * (long), the set's size (int, 1 to {@code maxPayees}), the payees' accounts and the times they were last paid
 * (longs, in slot order). Debtors are read back in any order, each once.
 * {@link #droppedEntries()} is monitoring only and is not written.
 * <p>
 * Single threaded: one instance belongs to one rule worker.
 */
public final class NewPayeeLargeRule extends TypologyRule<NewPayeeLargeRule.Parameters>
{
    /** Stable rule id. */
    public static final int ID = 13;
    /** Version of the logic. */
    public static final int VERSION = 2;
    /** Name of the typology. */
    public static final String NAME = "new-payee-large";

    private static final int INITIAL_PAYEES = 2;

    /**
     * Parameters of new-payee-large.
     *
     * @param lookbackNanos how long a payee stays known after the latest payment to it, in event-time
     *                      nanoseconds; default 90 days.
     * @param threshold     smallest payment that alerts, in minor units; default 500,000 (5,000.00).
     * @param maxPayees     payees remembered per debtor, 1 to 65536; default 256.
     * @param severity      of the alerts; default {@link Severity#MEDIUM}.
     */
    public record Parameters(long lookbackNanos, long threshold, int maxPayees, Severity severity)
    {
        /** Default parameters. */
        public static final Parameters DEFAULTS =
            new Parameters(90L * 86_400 * 1_000_000_000L, 500_000L, 256, Severity.MEDIUM);

        /**
         * Validates every parameter.
         *
         * @throws IllegalArgumentException naming the parameter that is out of range.
         */
        public Parameters
        {
            positive(NAME, "lookbackNanos", lookbackNanos);
            atLeast(NAME, "threshold", threshold, 1);
            range(NAME, "maxPayees", maxPayees, 1, 65_536);
            set(NAME, "severity", severity);
        }
    }

    private final AccountObjects<Payees> payees =
        new AccountObjects<>(this, Payees::reset,
            () -> new Payees(StateCapacity.initial(INITIAL_PAYEES, parameters().maxPayees)));
    private long droppedEntries;

    /**
     * New-payee-large with {@link Parameters#DEFAULTS}.
     */
    public NewPayeeLargeRule()
    {
        this(Parameters.DEFAULTS);
    }

    /**
     * @param parameters validated parameters.
     */
    public NewPayeeLargeRule(final Parameters parameters)
    {
        super(ID, VERSION, NAME, parameters);
    }

    /**
     * A payee is known only if paid less than lookbackNanos before; a full set evicts the payee paid longest
     * ago (ties: lowest account id), so payees paid earlier than that are evicted before any that still
     * count, and the set of those that count is the same however it was reached.
     *
     * @return {@link Parameters#lookbackNanos()}.
     */
    public long horizonNanos()
    {
        return parameters().lookbackNanos;
    }

    /**
     * @return {@link #PAYMENT}: the only template read.
     */
    public long templates()
    {
        return PAYMENT;
    }

    /**
     * Moves the payee sets into the worker's account store.
     *
     * @param store the worker's store.
     */
    public void bind(final AccountStore store)
    {
        payees.bind(store);
    }

    /**
     * Write every debtor's payees, as laid out in the class description.
     *
     * @param out to write to.
     */
    public void writeState(final StateWriter out)
    {
        payees.writeAscending(out, (set, setOut) ->
        {
            setOut.putInt(set.size);
            for (int i = 0; i < set.size; i++)
            {
                setOut.putLong(set.account(i));
            }
            for (int i = 0; i < set.size; i++)
            {
                setOut.putLong(set.lastPaid(i));
            }
        });
    }

    /**
     * Read back what {@link #writeState} wrote, replacing any state held; nothing changes if it fails.
     *
     * @param in to read from.
     * @throws io.txmon.rules.state.StateException if the bytes cannot be this rule's state: a count beyond the
     * bytes left or a set above {@code maxPayees}, a debtor twice, a payee twice in a set or a debtor its own payee.
     */
    public void readState(final StateReader in)
    {
        final LongHashSet seen = new LongHashSet();
        payees.read(in, Long.BYTES + Integer.BYTES, "debtors", "a debtor has two payee sets",
            (reader, debtor) -> readPayees(reader, debtor, seen));
    }

    /**
     * @param in     to read a debtor's payees from, after its id.
     * @param debtor whose payees they are.
     * @param seen   scratch, cleared.
     * @return the set, grown as it had been to hold its payees.
     */
    private Payees readPayees(final StateReader in, final long debtor, final LongHashSet seen)
    {
        final int size = in.getCount(1, parameters().maxPayees, "payees of a debtor");
        in.require(in.remaining() >= (long)size * 2 * Long.BYTES, "payees run past the end");
        final Payees set = new Payees(StateCapacity.holding(INITIAL_PAYEES, parameters().maxPayees, size));
        for (int i = 0; i < size; i++)
        {
            set.records[i * Payees.STRIDE] = in.getLong();
        }
        for (int i = 0; i < size; i++)
        {
            set.lastPaid(i, in.getLong());
        }
        set.size = size;
        seen.clear();
        for (int i = 0; i < size; i++)
        {
            final long payee = set.account(i);
            in.require(payee != debtor, "a debtor is its own payee");
            in.require(seen.add(payee), "a payee is twice in a set");
        }
        return set;
    }

    /**
     * @return payees evicted from a full set while still within the lookback.
     */
    public long droppedEntries()
    {
        return droppedEntries;
    }

    /**
     * @return debtors with state.
     */
    public int trackedAccounts()
    {
        return payees.count();
    }

    public void onEvent(final TxEvent event, final RuleContext context)
    {
        final Parameters p = parameters();
        if (event.templateId != PaymentDecoder.TEMPLATE_ID)
        {
            return;
        }
        final long debtor = event.debtorAccount;
        final long creditor = event.creditorAccount;
        if (debtor == creditor || !context.owns(debtor))
        {
            return;
        }

        final int slot = context.slot(debtor);
        Payees set = payees.getOrCreate(slot);
        final long time = event.eventTime;
        final int index = set.indexOf(creditor);
        // known: paid within the lookback of this payment, either way; a last payment dated a lookback or more
        // ahead (the year 2100) does not make the payee known for ever, it is replaced below
        final long sinceLastPaid = index >= 0 ? EventTimes.gap(time, set.lastPaid(index)) : Long.MAX_VALUE;
        final boolean known = sinceLastPaid < p.lookbackNanos && sinceLastPaid > -p.lookbackNanos;

        if (!known && context.referenceAmount() >= p.threshold)
        {
            final long ratio = context.referenceAmount() / p.threshold;
            final int score = ratio >= 10 ? 1000 : (int)(500 + (ratio - 1) * 500 / 9);
            context.raise(this, p.severity, score, debtor)
                .evidence(event.offset)
                .reason()
                .append("account ").append(debtor)
                .append(" paid ")
                .appendMoney(event.amount, event.currency, context.referenceAmount(), context.referenceCurrency())
                .append(" (payment ").append(event.txId)
                .append(") to account ").append(creditor)
                .append(", not paid in the last ").append(p.lookbackNanos / 86_400_000_000_000L)
                .append(" days; at or above ").appendMoney(p.threshold, context.referenceCurrency());
        }

        if (index >= 0)
        {
            if (time > set.lastPaid(index) || sinceLastPaid <= -p.lookbackNanos)
            {
                set.lastPaid(index, time);
            }
        }
        else if (set.add(creditor, time, p.maxPayees, EventTimes.minus(time, p.lookbackNanos)))
        {
            droppedEntries++;
        }
    }

    /**
     * The payees of one debtor with the time each was last paid: unordered, grown by doubling. One array of
     * records, {@value #STRIDE} longs each: the payee's account, then the event time it was last paid.
     */
    static final class Payees
    {
        static final int STRIDE = 2;
        private static final int ACCOUNT = 0;
        private static final int LAST_PAID = 1;

        long[] records;
        int size;

        Payees(final int capacity)
        {
            records = new long[capacity * STRIDE];
        }

        /**
         * Make it as a new set is, keeping its array, for another debtor: an evicted debtor's set recycled by the
         * account store. Only the array's length may differ, which decides nothing (a payee is evicted only at
         * {@code maxPayees}) and is not written; entries past {@code size} are never read.
         */
        void reset()
        {
            size = 0;
        }

        /**
         * @return payees the array holds now.
         */
        int capacity()
        {
            return records.length / STRIDE;
        }

        long account(final int index)
        {
            return records[index * STRIDE + ACCOUNT];
        }

        long lastPaid(final int index)
        {
            return records[index * STRIDE + LAST_PAID];
        }

        void lastPaid(final int index, final long time)
        {
            records[index * STRIDE + LAST_PAID] = time;
        }

        int indexOf(final long account)
        {
            final long[] records = this.records;
            for (int i = ACCOUNT, end = size * STRIDE; i < end; i += STRIDE)
            {
                if (records[i] == account)
                {
                    return i / STRIDE;
                }
            }
            return -1;
        }

        /**
         * @return true if a payee paid at or after {@code cutoff} (still known) was evicted to make room.
         */
        boolean add(final long account, final long time, final int maxPayees, final long cutoff)
        {
            final int capacity = capacity();
            if (size == capacity && size < maxPayees)
            {
                records = StateCapacity.grown(records, STRIDE, StateCapacity.doubled(size, maxPayees));
            }
            if (size < capacity())
            {
                set(size, account, time);
                size++;
                return false;
            }
            int oldest = 0;
            for (int i = 1; i < size; i++)
            {
                // ties go to the lowest account id, not the lowest slot, so that the choice does not depend on
                // the order the slots were filled in (see horizonNanos)
                if (lastPaid(i) < lastPaid(oldest) || (lastPaid(i) == lastPaid(oldest) && account(i) < account(oldest)))
                {
                    oldest = i;
                }
            }
            final boolean stillKnown = lastPaid(oldest) > cutoff;
            set(oldest, account, time);
            return stillKnown;
        }

        private void set(final int index, final long account, final long time)
        {
            records[index * STRIDE + ACCOUNT] = account;
            records[index * STRIDE + LAST_PAID] = time;
        }
    }
}
