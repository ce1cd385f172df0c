package io.txmon.rules.typology;

import io.txmon.events.codec.AccountUpdateDecoder;
import io.txmon.events.codec.PaymentDecoder;
import io.txmon.events.codec.Severity;
import io.txmon.rules.AlertRecord;
import io.txmon.rules.ReasonBuilder;
import io.txmon.rules.Rule;
import io.txmon.rules.RuleContext;
import io.txmon.rules.TxEvent;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.LongHashSet;

/**
 * Watch list: a payment whose debtor or creditor account is on the watch list of accounts, or whose
 * debtor's or creditor's party (learnt from {@code AccountUpdate.partyId}) is on the watch list of
 * parties. Keyed on the debtor account; the reason names every side that matched; the evidence is the
 * payment and the account updates that tied a matched party to its account.
 * <p>
 * Score: 900 when an account itself is listed, 800 when only a party is.
 * <p>
 * Memory: the two lists, plus two primitive map entries for every account seen in an
 * {@code AccountUpdate} (kept for every account, owned or not, because the creditor's party matters to
 * the debtor's worker). Works with any number of workers since every worker sees every update.
 */
public final class WatchListRule implements Rule
{
    /** Stable rule id. */
    public static final int ID = 17;
    /** Version of the logic. */
    public static final int VERSION = 1;

    private static final long UNKNOWN = Long.MIN_VALUE;

    private final LongHashSet accounts = new LongHashSet();
    private final LongHashSet parties = new LongHashSet();
    private final Long2LongHashMap partyByAccount = new Long2LongHashMap(UNKNOWN);
    private final Long2LongHashMap updateOffsetByAccount = new Long2LongHashMap(UNKNOWN);
    private final Severity severity;

    /**
     * @param watchedAccounts account ids on the list, may be empty.
     * @param watchedParties  party ids on the list, may be empty; not both empty.
     * @param severity        of the alerts.
     */
    public WatchListRule(final long[] watchedAccounts, final long[] watchedParties, final Severity severity)
    {
        if (watchedAccounts == null || watchedParties == null)
        {
            throw new IllegalArgumentException("watch-list watchedAccounts and watchedParties must not be null");
        }
        if (watchedAccounts.length == 0 && watchedParties.length == 0)
        {
            throw new IllegalArgumentException("watch-list watchedAccounts and watchedParties are both empty");
        }
        if (severity == null)
        {
            throw new IllegalArgumentException("watch-list severity must be set");
        }
        for (final long account : watchedAccounts)
        {
            accounts.add(account);
        }
        for (final long party : watchedParties)
        {
            if (party == UNKNOWN)
            {
                throw new IllegalArgumentException("watch-list watchedParties: " + party + " is reserved");
            }
            parties.add(party);
        }
        this.severity = severity;
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
        return "watch-list";
    }

    /**
     * @return number of accounts whose party is known.
     */
    public int knownAccounts()
    {
        return partyByAccount.size();
    }

    public void onEvent(final TxEvent event, final RuleContext context)
    {
        if (event.templateId == AccountUpdateDecoder.TEMPLATE_ID)
        {
            partyByAccount.put(event.account, event.partyId);
            updateOffsetByAccount.put(event.account, event.offset);
            return;
        }
        if (event.templateId != PaymentDecoder.TEMPLATE_ID)
        {
            return;
        }

        final long debtor = event.debtorAccount;
        final long creditor = event.creditorAccount;
        final boolean debtorListed = accounts.contains(debtor);
        final boolean creditorListed = accounts.contains(creditor);
        final long debtorParty = partyByAccount.get(debtor);
        final long creditorParty = partyByAccount.get(creditor);
        final boolean debtorPartyListed = debtorParty != UNKNOWN && parties.contains(debtorParty);
        final boolean creditorPartyListed = creditorParty != UNKNOWN && parties.contains(creditorParty);
        if (!(debtorListed || creditorListed || debtorPartyListed || creditorPartyListed) || !context.owns(debtor))
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
            alert.evidence(updateOffsetByAccount.get(debtor));
            reason.append(" debtor party ").append(debtorParty).append(" is on the watch list;");
        }
        if (creditorListed)
        {
            reason.append(" creditor account ").append(creditor).append(" is on the watch list;");
        }
        if (creditorPartyListed)
        {
            alert.evidence(updateOffsetByAccount.get(creditor));
            reason.append(" creditor party ").append(creditorParty).append(" is on the watch list;");
        }
    }
}
