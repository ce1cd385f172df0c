package io.txmon.rules.typology;

import io.txmon.events.codec.PaymentDecoder;
import io.txmon.events.codec.Severity;
import io.txmon.rules.AlertRecord;
import io.txmon.rules.ReasonBuilder;
import io.txmon.rules.Rule;
import io.txmon.rules.RuleContext;
import io.txmon.rules.TxEvent;
import org.agrona.collections.Long2ObjectHashMap;

/**
 * Fan-in: an account receives payments from at least {@code minSenders} DISTINCT senders within a
 * sliding event-time window. Keyed on the creditor account. Repeated payments from one sender count once.
 * <p>
 * The alert is raised when the count of distinct senders in the window reaches {@code minSenders}
 * (the crossing); while it stays at or above it no further alert is raised, and once it has fallen below
 * the next crossing alerts again. Evidence: the triggering payment first, then the latest payment of
 * every other distinct sender in the window (at most {@link AlertRecord#MAX_EVIDENCE}).
 * <p>
 * Per-key memory: one {@link CounterpartyWindow} of {@code maxSendersTracked} entries, three longs each
 * (24 bytes per entry plus about 100 bytes of headers), created on the first payment to the account and
 * kept for the life of the rule. When the window is full the sender with the oldest latest payment is
 * dropped and counted in {@link #droppedEntries()}.
 * <p>
 * Single threaded: one instance belongs to one rule worker.
 */
public final class FanInRule implements Rule
{
    /** Stable rule id. */
    public static final int ID = 8;
    /** Version of the logic. */
    public static final int VERSION = 1;
    /** Name of the typology. */
    public static final String NAME = "fan-in";

    /**
     * Parameters of fan-in.
     *
     * @param minSenders        distinct senders in the window that raise the alert; default 10.
     * @param windowNanos       length of the sliding window in event-time nanoseconds; default 24 hours.
     *                          A payment counts while {@code newest - its time < windowNanos}.
     * @param maxSendersTracked distinct senders kept per account, at least {@code minSenders}; default 64.
     * @param severity          of the alerts; default {@link Severity#MEDIUM}.
     * @param score             of the alerts, 0 to 1000; default 600.
     */
    public record Parameters(int minSenders, long windowNanos, int maxSendersTracked, Severity severity, int score)
    {
        /** Default parameters. */
        public static final Parameters DEFAULTS = new Parameters(10, 24L * 3600 * 1_000_000_000L, 64, Severity.MEDIUM, 600);

        /**
         * Validates every parameter.
         *
         * @throws IllegalArgumentException naming the parameter that is out of range.
         */
        public Parameters
        {
            if (minSenders < 2)
            {
                throw new IllegalArgumentException("fan-in minSenders must be at least 2, was " + minSenders);
            }
            if (windowNanos <= 0)
            {
                throw new IllegalArgumentException("fan-in windowNanos must be positive, was " + windowNanos);
            }
            if (maxSendersTracked < minSenders || maxSendersTracked > 4096)
            {
                throw new IllegalArgumentException(
                    "fan-in maxSendersTracked must be in [minSenders, 4096], was " + maxSendersTracked);
            }
            if (severity == null)
            {
                throw new IllegalArgumentException("fan-in severity must be set");
            }
            if (score < 0 || score > 1000)
            {
                throw new IllegalArgumentException("fan-in score must be in [0, 1000], was " + score);
            }
        }
    }

    private final Parameters parameters;
    private final Long2ObjectHashMap<CounterpartyWindow> windows = new Long2ObjectHashMap<>();
    private long droppedEntries;
    private long lateEvents;

    /**
     * Fan-in with {@link Parameters#DEFAULTS}.
     */
    public FanInRule()
    {
        this(Parameters.DEFAULTS);
    }

    /**
     * @param parameters validated parameters.
     */
    public FanInRule(final Parameters parameters)
    {
        if (parameters == null)
        {
            throw new IllegalArgumentException("fan-in parameters must be set");
        }
        this.parameters = parameters;
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
     * @return senders dropped from a full window before leaving it by time.
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
        return windows.size();
    }

    public void onEvent(final TxEvent event, final RuleContext context)
    {
        if (event.templateId != PaymentDecoder.TEMPLATE_ID)
        {
            return;
        }
        final long creditor = event.creditorAccount;
        final long debtor = event.debtorAccount;
        if (creditor == debtor || !context.owns(creditor))
        {
            return;
        }

        CounterpartyWindow window = windows.get(creditor);
        if (window == null)
        {
            window = new CounterpartyWindow(parameters.maxSendersTracked);
            windows.put(creditor, window);
        }
        if (event.eventTime < window.newest)
        {
            lateEvents++;
        }
        final int result = window.record(debtor, event.eventTime, event.offset, parameters.windowNanos);
        if (result == CounterpartyWindow.ADDED_DROPPING_OLDEST)
        {
            droppedEntries++;
        }
        if (result == CounterpartyWindow.ADDED && window.size == parameters.minSenders)
        {
            final AlertRecord alert = context.raise(this, parameters.severity, parameters.score, creditor);
            window.addEvidence(alert, event.offset);
            final ReasonBuilder reason = alert.reason()
                .append("account ").append(creditor)
                .append(" received payments from ").append(window.size)
                .append(" distinct senders within ");
            CounterpartyWindow.appendDuration(reason, parameters.windowNanos)
                .append(" (threshold ").append(parameters.minSenders)
                .append("); latest payment ").append(event.txId)
                .append(" of ").appendMoney(event.amount, event.currency)
                .append(" from account ").append(debtor);
        }
    }

    /**
     * The distinct counterparties of one account within a sliding event-time window, each with the time
     * and offset of its latest payment. Unordered arrays scanned linearly; shared by {@link FanInRule}
     * and {@link FanOutRule}.
     */
    static final class CounterpartyWindow
    {
        static final int IGNORED = 0;
        static final int UPDATED = 1;
        static final int ADDED = 2;
        static final int ADDED_DROPPING_OLDEST = 3;

        final long[] counterparties;
        final long[] times;
        final long[] offsets;
        int size;
        long newest = Long.MIN_VALUE;

        CounterpartyWindow(final int capacity)
        {
            counterparties = new long[capacity];
            times = new long[capacity];
            offsets = new long[capacity];
        }

        /**
         * Purge entries that left the window, then record a payment with a counterparty.
         *
         * @return {@link #IGNORED} if the payment is already outside the window, {@link #UPDATED} if the
         * counterparty was already in it, {@link #ADDED} if it is new, or {@link #ADDED_DROPPING_OLDEST}
         * if it is new and the oldest counterparty was dropped to make room.
         */
        int record(final long counterparty, final long time, final long offset, final long windowNanos)
        {
            if (time > newest)
            {
                newest = time;
            }
            final long cutoff = newest - windowNanos;
            int kept = 0;
            for (int i = 0; i < size; i++)
            {
                if (times[i] > cutoff)
                {
                    if (kept != i)
                    {
                        counterparties[kept] = counterparties[i];
                        times[kept] = times[i];
                        offsets[kept] = offsets[i];
                    }
                    kept++;
                }
            }
            size = kept;

            if (time <= cutoff)
            {
                return IGNORED;
            }
            for (int i = 0; i < size; i++)
            {
                if (counterparties[i] == counterparty)
                {
                    if (time >= times[i])
                    {
                        times[i] = time;
                        offsets[i] = offset;
                    }
                    return UPDATED;
                }
            }
            if (size < counterparties.length)
            {
                counterparties[size] = counterparty;
                times[size] = time;
                offsets[size] = offset;
                size++;
                return ADDED;
            }
            int oldest = 0;
            for (int i = 1; i < size; i++)
            {
                if (times[i] < times[oldest])
                {
                    oldest = i;
                }
            }
            counterparties[oldest] = counterparty;
            times[oldest] = time;
            offsets[oldest] = offset;
            return ADDED_DROPPING_OLDEST;
        }

        /**
         * Add the triggering offset, then the offset of every other entry, up to the alert's capacity.
         */
        void addEvidence(final AlertRecord alert, final long triggeringOffset)
        {
            alert.evidence(triggeringOffset);
            int added = 1;
            for (int i = 0; i < size && added < AlertRecord.MAX_EVIDENCE; i++)
            {
                if (offsets[i] != triggeringOffset)
                {
                    alert.evidence(offsets[i]);
                    added++;
                }
            }
        }

        /**
         * Append a duration in the largest unit that divides it exactly: d, h, min, s, ms or ns.
         */
        static ReasonBuilder appendDuration(final ReasonBuilder reason, final long nanos)
        {
            final long second = 1_000_000_000L;
            if (nanos % (86_400 * second) == 0)
            {
                return reason.append(nanos / (86_400 * second)).append(" d");
            }
            if (nanos % (3_600 * second) == 0)
            {
                return reason.append(nanos / (3_600 * second)).append(" h");
            }
            if (nanos % (60 * second) == 0)
            {
                return reason.append(nanos / (60 * second)).append(" min");
            }
            if (nanos % second == 0)
            {
                return reason.append(nanos / second).append(" s");
            }
            if (nanos % 1_000_000L == 0)
            {
                return reason.append(nanos / 1_000_000L).append(" ms");
            }
            return reason.append(nanos).append(" ns");
        }
    }
}
