package io.txmon.rules.typology;

import io.txmon.events.codec.AccountUpdateDecoder;
import io.txmon.events.codec.PaymentDecoder;
import io.txmon.events.codec.Severity;
import io.txmon.rules.AlertRecord;
import io.txmon.rules.ReasonBuilder;
import io.txmon.rules.RuleContext;
import io.txmon.rules.TxEvent;
import io.txmon.rules.state.AccountStore;
import io.txmon.rules.state.StateReader;
import io.txmon.rules.state.StateWriter;
import org.agrona.collections.LongHashSet;

import java.util.Arrays;
import java.util.Objects;

import static io.txmon.rules.typology.ParameterChecks.given;
import static io.txmon.rules.typology.ParameterChecks.set;

/**
 * Watch list: a payment whose debtor or creditor account is on the watch list of accounts, or whose
 * debtor's or creditor's party (learnt from {@code AccountUpdate.partyId}) is on the watch list of
 * parties. Keyed on the debtor account; the reason names every side that matched; the evidence is the
 * payment and the account updates that tied a matched party to its account.
 * <p>
 * Score: 900 when an account itself is listed, 800 when only a party is.
 * <p>
 * Either list may be empty (a configuration change may remove the last entry); with both empty the rule never
 * fires.
 * <p>
 * Memory: the two lists (sets of the configured ids), plus the party and update offset of every account seen in
 * an {@code AccountUpdate} (kept for every account, owned or not, because the creditor's party matters to the
 * debtor's worker): an account this worker owns in two {@code long} columns of the worker's {@link AccountStore}
 * (16 bytes, forgotten when the store evicts the account), any other in two primitive map entries. Works with any
 * number of workers since every worker sees every update.
 * <p>
 * State in a snapshot: what the account updates added, not the lists, which come from the parameters a restarted
 * engine gives the new instance again: the number of accounts whose party is known (int), then per account, in
 * ascending order of id (before the store: the maps' iteration order), its id, its party and the offset of the
 * update that gave it (three longs).
 */
public final class WatchListRule extends TypologyRule<WatchListRule.Parameters>
{
    /** Stable rule id. */
    public static final int ID = 17;
    /** Version of the logic. */
    public static final int VERSION = 1;
    /** Name in configuration and alerts. */
    public static final String NAME = "watch-list";

    private static final long UNKNOWN = AccountValues.NONE;

    /**
     * Parameters, validated on construction.
     *
     * @param watchedAccounts account ids on the list, may be empty; default none. Copied on the way in and out.
     * @param watchedParties  party ids on the list, may be empty, never {@link Long#MIN_VALUE}; default none.
     *                        Copied on the way in and out. With both lists empty the rule never fires.
     * @param severity        of the alerts; default {@link Severity#CRITICAL}.
     */
    public record Parameters(long[] watchedAccounts, long[] watchedParties, Severity severity)
    {
        /** Default parameters: empty lists, so the rule never fires until lists are configured. */
        public static final Parameters DEFAULTS = new Parameters(new long[0], new long[0], Severity.CRITICAL);

        /**
         * Validates every parameter and copies the lists.
         *
         * @throws IllegalArgumentException naming the rule and the parameter that is out of range.
         */
        public Parameters
        {
            given(NAME, "watchedAccounts", watchedAccounts);
            given(NAME, "watchedParties", watchedParties);
            watchedAccounts = watchedAccounts.clone();
            watchedParties = watchedParties.clone();
            for (final long party : watchedParties)
            {
                if (party == UNKNOWN)
                {
                    throw new IllegalArgumentException(
                        NAME + " watchedParties must not hold the reserved id Long.MIN_VALUE, was " + party);
                }
            }
            set(NAME, "severity", severity);
        }

        /**
         * @return a copy of the listed account ids.
         */
        public long[] watchedAccounts()
        {
            return watchedAccounts.clone();
        }

        /**
         * @return a copy of the listed party ids.
         */
        public long[] watchedParties()
        {
            return watchedParties.clone();
        }

        /**
         * @param other to compare with.
         * @return true if other lists the same ids in the same order with the same severity.
         */
        public boolean equals(final Object other)
        {
            return other instanceof Parameters that && Arrays.equals(watchedAccounts, that.watchedAccounts) &&
                Arrays.equals(watchedParties, that.watchedParties) && severity == that.severity;
        }

        /**
         * @return a hash of the lists and severity.
         */
        public int hashCode()
        {
            return 31 * (31 * Arrays.hashCode(watchedAccounts) + Arrays.hashCode(watchedParties)) +
                Objects.hashCode(severity);
        }

        /**
         * @return the parameters, ids listed.
         */
        public String toString()
        {
            return "Parameters[watchedAccounts=" + Arrays.toString(watchedAccounts) +
                ", watchedParties=" + Arrays.toString(watchedParties) + ", severity=" + severity + "]";
        }
    }

    private final LongHashSet accounts = new LongHashSet();
    private final LongHashSet parties = new LongHashSet();
    /** Each account's party and the offset of its last update, learnt from account updates. */
    private final AccountValues learnt = new AccountValues(this, "party id", "update offset");
    private final Severity severity;

    /**
     * @param watchedAccounts account ids on the list, may be empty.
     * @param watchedParties  party ids on the list, may be empty.
     * @param severity        of the alerts.
     */
    public WatchListRule(final long[] watchedAccounts, final long[] watchedParties, final Severity severity)
    {
        this(new Parameters(watchedAccounts, watchedParties, severity));
    }

    /**
     * @param parameters validated parameters.
     */
    public WatchListRule(final Parameters parameters)
    {
        super(ID, VERSION, NAME, parameters);
        for (final long account : parameters.watchedAccounts)
        {
            accounts.add(account);
        }
        for (final long party : parameters.watchedParties)
        {
            parties.add(party);
        }
        this.severity = parameters.severity();
    }

    /**
     * The only state is the lists and each account's party, learnt from account updates, which are always
     * replayed; a payment is judged on its own against them.
     *
     * @return 0.
     */
    public long horizonNanos()
    {
        return 0;
    }

    /**
     * @return {@link #PAYMENT} and {@link #ACCOUNT_UPDATE}: the templates read.
     */
    public long templates()
    {
        return PAYMENT | ACCOUNT_UPDATE;
    }

    /**
     * Moves the parties of the accounts this worker owns into the worker's account store.
     *
     * @param accounts the worker's account store.
     */
    public void bind(final AccountStore accounts)
    {
        learnt.bind(accounts);
    }

    /**
     * Write every account's party, as laid out in the class description.
     *
     * @param out to write to.
     */
    public void writeState(final StateWriter out)
    {
        learnt.writeTo(out);
    }

    /**
     * Read back what {@link #writeState} wrote, replacing the parties held; nothing changes if it fails. The lists
     * stay as constructed.
     *
     * @param in to read from.
     * @throws io.txmon.rules.state.StateException if the bytes cannot be this rule's state: a count beyond the
     * bytes left, an account twice, a party or offset the maps cannot hold.
     */
    public void readState(final StateReader in)
    {
        learnt.readFrom(in);
    }

    /**
     * @return number of accounts whose party is known.
     */
    public int knownAccounts()
    {
        return learnt.size();
    }

    public void onEvent(final TxEvent event, final RuleContext context)
    {
        if (event.templateId == AccountUpdateDecoder.TEMPLATE_ID)
        {
            if (event.partyId == AccountValues.NONE)
            {
                // the schema's null party: the account has none now, so nothing links it
                learnt.remove(context, event.account);
            }
            else
            {
                learnt.put(context, event.account, event.partyId, event.offset);
            }
            return;
        }
        if (event.templateId != PaymentDecoder.TEMPLATE_ID)
        {
            return;
        }

        final long debtor = event.debtorAccount;
        if (!context.owns(debtor))
        {
            return;
        }
        final long creditor = event.creditorAccount;
        final boolean debtorListed = accounts.contains(debtor);
        final boolean creditorListed = accounts.contains(creditor);
        // with no party listed, no party can match: the parties learnt are not looked up
        final boolean partiesListed = !parties.isEmpty();
        final int debtorSlot = partiesListed ? context.slot(debtor) : AccountStore.NONE;
        final long debtorParty = partiesListed ? learnt.value(debtorSlot) : UNKNOWN;
        final long creditorParty = partiesListed ? learnt.value(context, creditor) : UNKNOWN;
        final boolean debtorPartyListed = debtorParty != UNKNOWN && parties.contains(debtorParty);
        final boolean creditorPartyListed = creditorParty != UNKNOWN && parties.contains(creditorParty);
        if (!(debtorListed || creditorListed || debtorPartyListed || creditorPartyListed))
        {
            return;
        }

        final int score = debtorListed || creditorListed ? 900 : 800;
        final AlertRecord alert = context.raise(this, severity, score, debtor).evidence(event.offset);
        final ReasonBuilder reason = alert.reason()
            .append("payment ").append(event.txId)
            .append(" of ").appendMoney(event.amount, event.currency)
            .append(" from account ").append(debtor)
            .append(" to account ").append(creditor).append(":");
        if (debtorListed)
        {
            reason.append(" debtor account ").append(debtor).append(" is on the watch list;");
        }
        if (debtorPartyListed)
        {
            alert.evidence(learnt.offset(debtorSlot));
            reason.append(" debtor party ").append(debtorParty).append(" is on the watch list;");
        }
        if (creditorListed)
        {
            reason.append(" creditor account ").append(creditor).append(" is on the watch list;");
        }
        if (creditorPartyListed)
        {
            alert.evidence(learnt.offset(context, creditor));
            reason.append(" creditor party ").append(creditorParty).append(" is on the watch list;");
        }
    }
}
