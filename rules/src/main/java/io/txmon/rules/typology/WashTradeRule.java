package io.txmon.rules.typology;

import io.txmon.events.codec.AccountUpdateDecoder;
import io.txmon.events.codec.ExecutionDecoder;
import io.txmon.events.codec.Severity;
import io.txmon.rules.Rule;
import io.txmon.rules.RuleContext;
import io.txmon.rules.TxEvent;
import io.txmon.rules.state.StateReader;
import io.txmon.rules.state.StateWriter;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.LongHashSet;

/**
 * Wash trade: an execution whose account and counterparty account are the same account, or belong to
 * the same party (learnt from {@code AccountUpdate.partyId}). Keyed on the execution's account; the
 * evidence is the execution and, for a party match, the account updates of both accounts.
 * <p>
 * Score: 1000 for the same account, 800 for the same party. An execution without a counterparty
 * (counterparty account 0) is not evaluated.
 * <p>
 * Memory: two primitive map entries for every account seen in an {@code AccountUpdate}, owned or not
 * (the counterparty's party matters to the account's worker). Works with any number of workers.
 * <p>
 * State in a snapshot: the number of accounts learnt (int), then for each account its id, party id and the offset
 * of its last {@code AccountUpdate} (three longs). Nothing else decides an alert; read back, the count is bounded
 * by the bytes left, a party id or offset of {@code Long.MIN_VALUE} (which the maps cannot hold) and a repeated
 * account are refused.
 */
public final class WashTradeRule implements Rule
{
    /** Stable rule id. */
    public static final int ID = 19;
    /** Version of the logic. */
    public static final int VERSION = 1;
    /** Name in configuration and alerts. */
    public static final String NAME = "wash-trade";

    private static final long UNKNOWN = Long.MIN_VALUE;
    /** Bytes an account takes in a snapshot: id, party, offset. */
    private static final int ACCOUNT_STATE_BYTES = 3 * Long.BYTES;

    /**
     * Parameters, validated on construction.
     *
     * @param severity of the alerts; default {@link Severity#HIGH}.
     */
    public record Parameters(Severity severity)
    {
        /** Default parameters. */
        public static final Parameters DEFAULTS = new Parameters(Severity.HIGH);

        /**
         * Validates every parameter.
         *
         * @throws IllegalArgumentException naming the rule and the parameter that is out of range.
         */
        public Parameters
        {
            if (severity == null)
            {
                throw new IllegalArgumentException(NAME + " severity must be set, was null");
            }
        }
    }

    private final Parameters parameters;
    private final Long2LongHashMap partyByAccount = new Long2LongHashMap(UNKNOWN);
    private final Long2LongHashMap updateOffsetByAccount = new Long2LongHashMap(UNKNOWN);
    private final Severity severity;

    /**
     * @param severity of the alerts.
     */
    public WashTradeRule(final Severity severity)
    {
        this(new Parameters(severity));
    }

    /**
     * @param parameters validated parameters.
     */
    public WashTradeRule(final Parameters parameters)
    {
        if (parameters == null)
        {
            throw new IllegalArgumentException(NAME + " parameters must be set, was null");
        }
        this.parameters = parameters;
        this.severity = parameters.severity();
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
     * The only state is each account's party, learnt from account updates, which are always replayed; an
     * execution is judged on its own against it.
     *
     * @return 0.
     */
    public long horizonNanos()
    {
        return 0;
    }

    /**
     * @return {@link Rule#EXECUTION} and {@link Rule#ACCOUNT_UPDATE}.
     */
    public long templates()
    {
        return EXECUTION | ACCOUNT_UPDATE;
    }

    /**
     * @return true: the parties learnt are written.
     */
    public boolean snapshots()
    {
        return true;
    }

    /**
     * Write each account's party and the offset of its last update.
     *
     * @param out to write to.
     */
    public void writeState(final StateWriter out)
    {
        out.putInt(partyByAccount.size());
        partyByAccount.forEachLong((account, party) ->
            out.putLong(account).putLong(party).putLong(updateOffsetByAccount.get(account)));
    }

    /**
     * Read back what {@link #writeState} wrote, replacing the parties learnt; nothing changes if it fails.
     *
     * @param in to read from.
     */
    public void readState(final StateReader in)
    {
        final int count = in.getCount(0, in.remaining() / ACCOUNT_STATE_BYTES, "accounts");
        final long[] read = new long[count * 3];
        final LongHashSet accounts = new LongHashSet(count);
        for (int i = 0; i < read.length; i += 3)
        {
            in.getLongs(read, i, 3);
            in.require(read[i + 1] != UNKNOWN, "an account's party id is Long.MIN_VALUE");
            in.require(read[i + 2] != UNKNOWN, "an account's update offset is Long.MIN_VALUE");
            in.require(accounts.add(read[i]), "an account is written twice");
        }
        partyByAccount.clear();
        updateOffsetByAccount.clear();
        // in the order written, which is the original's iteration order
        for (int i = 0; i < read.length; i += 3)
        {
            partyByAccount.put(read[i], read[i + 1]);
            updateOffsetByAccount.put(read[i], read[i + 2]);
        }
    }

    public void onEvent(final TxEvent event, final RuleContext context)
    {
        if (event.templateId == AccountUpdateDecoder.TEMPLATE_ID)
        {
            partyByAccount.put(event.account, event.partyId);
            updateOffsetByAccount.put(event.account, event.offset);
            return;
        }
        if (event.templateId != ExecutionDecoder.TEMPLATE_ID || event.counterpartyAccount == 0)
        {
            return;
        }

        final long account = event.account;
        final long counterparty = event.counterpartyAccount;
        final boolean sameAccount = account == counterparty;
        final long party = partyByAccount.get(account);
        final boolean sameParty = !sameAccount && party != UNKNOWN && party == partyByAccount.get(counterparty);
        if (!(sameAccount || sameParty) || !context.owns(account))
        {
            return;
        }

        if (sameAccount)
        {
            context.raise(this, severity, 1000, account)
                .evidence(event.offset)
                .reason()
                .append("execution ").append(event.execId)
                .append(" of ").append(event.quantity).append(" on instrument ").append(event.instrument)
                .append(": account ").append(account).append(" traded with itself");
        }
        else
        {
            context.raise(this, severity, 800, account)
                .evidence(event.offset)
                .evidence(updateOffsetByAccount.get(account))
                .evidence(updateOffsetByAccount.get(counterparty))
                .reason()
                .append("execution ").append(event.execId)
                .append(" of ").append(event.quantity).append(" on instrument ").append(event.instrument)
                .append(": account ").append(account).append(" and counterparty account ").append(counterparty)
                .append(" belong to the same party ").append(party);
        }
    }
}
