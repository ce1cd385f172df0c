package io.txmon.rules.typology;

import io.txmon.rules.Rule;
import io.txmon.rules.RuleErrorHandler;
import io.txmon.rules.RuleWorker;
import io.txmon.rules.TxEvent;
import io.txmon.rules.config.RuleSet;
import io.txmon.rules.state.AccountStore;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersManager;

/**
 * One worker (the only one of one) of some rules, driven through {@link RuleWorker#evaluate}, whose account store
 * holds at most a given number of accounts: one more evicts the least recently seen, with its state in the rules.
 * A rule that throws fails the test. The tests fill its {@link #event} ({@link #begin} then their own fields) and
 * {@link #run} it, or evaluate events of their own.
 */
final class CappedWorker
{
    final RuleSet rules;
    final RuleWorker worker;
    /** The event {@link #begin} resets and {@link #run} evaluates. */
    final TxEvent event = new TxEvent(1, 8);
    /** The offset the next {@link #begin} stamps. */
    long offset = 100;

    CappedWorker(final int maxAccounts, final Rule... rules)
    {
        this(0, 1, maxAccounts, rules);
    }

    /**
     * Worker {@code index} of {@code count}, which owns only its partition of the accounts.
     */
    CappedWorker(final int index, final int count, final int maxAccounts, final Rule... rules)
    {
        this(index, count,
            RuleSet.fixed(rules, new AccountStore.Limits(maxAccounts, AccountStore.Limits.NO_IDLE_LIMIT)));
    }

    /**
     * Worker {@code index} of {@code count} running a rule set of the test's own (configured, say).
     */
    CappedWorker(final int index, final int count, final RuleSet rules)
    {
        final CountersManager counters = new CountersManager(
            new UnsafeBuffer(new byte[16 * 1024]), new UnsafeBuffer(new byte[2 * 1024]));
        final RuleErrorHandler rethrow = (failed, at, ex) ->
        {
            throw new AssertionError("rule " + failed.name() + " threw at offset " + at, ex);
        };
        this.rules = rules;
        worker = new RuleWorker(
            index, count, null, this.rules, rethrow,
            counters.newCounter("evaluated"), counters.newCounter("rule errors"), 1);
    }

    /**
     * @return a worker running only this rule, over an account store that holds at most {@code maxAccounts}
     * accounts and evicts the least recently seen to add another.
     */
    static RuleWorker of(final Rule rule, final int maxAccounts)
    {
        return new CappedWorker(maxAccounts, rule).worker;
    }

    /**
     * @return {@code e} reset, with this offset, template and event time.
     */
    static TxEvent begin(final TxEvent e, final long offset, final int templateId, final long time)
    {
        e.reset();
        e.offset = offset;
        e.templateId = templateId;
        e.eventTime = time;
        return e;
    }

    /**
     * @return {@link #event} reset, with the next offset, this template and event time.
     */
    TxEvent begin(final int templateId, final long time)
    {
        return begin(event, offset++, templateId, time);
    }

    /**
     * @return alerts raised by {@link #event}.
     */
    int run()
    {
        return evaluate(event);
    }

    /**
     * @return alerts raised by {@code e}.
     */
    int evaluate(final TxEvent e)
    {
        worker.evaluate(e);
        return e.alerts(0).count();
    }

    /**
     * @return the alerts raised by the last {@link #event}, {@link RuleStateSupport#describe described}, one a line.
     */
    String alerts()
    {
        return RuleStateSupport.describeAlerts(event, 1);
    }

    AccountStore accounts()
    {
        return rules.accounts();
    }
}
