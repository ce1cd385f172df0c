package io.txmon.rules.typology;

import io.txmon.events.codec.AccountUpdateDecoder;
import io.txmon.events.codec.ExecutionDecoder;
import io.txmon.events.codec.Severity;
import io.txmon.rules.Rule;
import io.txmon.rules.RuleContext;
import io.txmon.rules.TxEvent;
import io.txmon.rules.state.AccountStore;
import io.txmon.rules.state.StateReader;
import io.txmon.rules.state.StateWriter;

import static io.txmon.rules.typology.ParameterChecks.set;

/**
 * Wash trade: an execution whose account and counterparty account are the same account, or belong to
 * the same party (learnt from {@code AccountUpdate.partyId}). Keyed on the execution's account; the
 * evidence is the execution and, for a party match, the account updates of both accounts.
 * <p>
 * Score: 1000 for the same account, 800 for the same party. An execution without a counterparty
 * (counterparty account 0) is not evaluated.
 * <p>
 * Memory: for every account seen in an {@code AccountUpdate}, owned or not (the counterparty's party matters to
 * the account's worker), its party and update offset: an account this worker owns in two {@code long} columns of
 * the worker's {@link AccountStore} (16 bytes, forgotten when the store evicts the account), any other in two
 * primitive map entries. Works with any number of workers.
 * <p>
 * State in a snapshot: the number of accounts learnt (int), then for each account, in ascending order of id (before
 * the store: the maps' iteration order), its id, party id and the offset of its last {@code AccountUpdate} (three
 * longs). Nothing else decides an alert; read back, the count is bounded by the bytes left, a party id or offset
 * of {@code Long.MIN_VALUE} (which marks an account not known) and a repeated account are refused.
 */
public final class WashTradeRule extends TypologyRule<WashTradeRule.Parameters>
{
    /** Stable rule id. */
    public static final int ID = 19;
    /** Version of the logic. */
    public static final int VERSION = 1;
    /** Name in configuration and alerts. */
    public static final String NAME = "wash-trade";

    private static final long UNKNOWN = AccountValues.NONE;

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
            set(NAME, "severity", severity);
        }
    }

    /** Each account's party and the offset of its last update. */
    private final AccountValues parties = new AccountValues(this, "party id", "update offset");
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
        super(ID, VERSION, NAME, parameters);
        this.severity = parameters.severity();
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
     * Moves the parties of the accounts this worker owns into the worker's account store.
     *
     * @param accounts the worker's account store.
     */
    public void bind(final AccountStore accounts)
    {
        parties.bind(accounts);
    }

    /**
     * Write each account's party and the offset of its last update.
     *
     * @param out to write to.
     */
    public void writeState(final StateWriter out)
    {
        parties.writeTo(out);
    }

    /**
     * Read back what {@link #writeState} wrote, replacing the parties learnt; nothing changes if it fails.
     *
     * @param in to read from.
     */
    public void readState(final StateReader in)
    {
        parties.readFrom(in);
    }

    /**
     * @return number of accounts whose party is known.
     */
    public int knownAccounts()
    {
        return parties.size();
    }

    public void onEvent(final TxEvent event, final RuleContext context)
    {
        if (event.templateId == AccountUpdateDecoder.TEMPLATE_ID)
        {
            if (event.partyId == AccountValues.NONE)
            {
                // the schema's null party: the account has none now, so nothing links it
                parties.remove(context, event.account);
            }
            else
            {
                parties.put(context, event.account, event.partyId, event.offset);
            }
            return;
        }
        if (event.templateId != ExecutionDecoder.TEMPLATE_ID || event.counterpartyAccount == 0)
        {
            return;
        }

        final long account = event.account;
        if (!context.owns(account))
        {
            return;
        }
        final long counterparty = event.counterpartyAccount;
        final boolean sameAccount = account == counterparty;
        final int slot = sameAccount ? AccountStore.NONE : context.slot(account);
        final long party = sameAccount ? UNKNOWN : parties.value(slot);
        final boolean sameParty = party != UNKNOWN && party == parties.value(context, counterparty);
        if (!(sameAccount || sameParty))
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
                .evidence(parties.offset(slot))
                .evidence(parties.offset(context, counterparty))
                .reason()
                .append("execution ").append(event.execId)
                .append(" of ").append(event.quantity).append(" on instrument ").append(event.instrument)
                .append(": account ").append(account).append(" and counterparty account ").append(counterparty)
                .append(" belong to the same party ").append(party);
        }
    }
}
