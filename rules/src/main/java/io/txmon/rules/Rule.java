package io.txmon.rules;

import io.txmon.rules.state.AccountStore;
import io.txmon.rules.state.StateReader;
import io.txmon.rules.state.StateWriter;

/**
 * A typology. Implementations keep their per-key state in primitive collections, take time only from
 * the event, do no I/O and allocate nothing per event after warm-up, so that their output depends
 * only on the journal's contents and replay reproduces it exactly.
 * <p>
 * A rule instance belongs to one rule worker and is called from that worker's thread only.
 */
public interface Rule
{
    /**
     * @return stable id of the rule, 0 to {@link AlertIds#MAX_RULE_ID}.
     */
    int id();

    /**
     * @return version of the rule's logic and parameters, 0 to {@link AlertIds#MAX_RULE_VERSION}.
     */
    int version();

    /**
     * @return short name, such as {@code large-amount}.
     */
    String name();

    /**
     * Evaluate one event. Raise at most one alert through the context, only for accounts the context
     * says this worker owns.
     *
     * @param event   the slot, read only.
     * @param context of the worker evaluating it.
     */
    void onEvent(TxEvent event, RuleContext context);

    /**
     * The longest span of event time, before the newest event, of transactions ({@code Payment},
     * {@code Order}, {@code Execution}) that the rule's state can depend on.
     * <p>
     * A restarted engine rebuilds rule state by replaying every {@code AccountUpdate} and {@code ConfigChange}
     * from the start of the journal and every transaction from (newest ingest time − the largest horizon of the
     * enabled rules). A rule must return a value for which that replay leaves it in exactly the state an
     * uninterrupted run would have for every later decision: which alerts it raises and what they hold. Counters
     * kept for monitoring (late events, dropped entries, keys tracked) need not match.
     * <p>
     * The bound holds for later events that are not older, in event time, than the newest event replayed;
     * an engine that admits events arriving out of event-time order, or whose ingest time runs ahead of event
     * time, must widen the replay by the lateness it tolerates.
     * <p>
     * A stateless rule, or one whose state depends only on account updates and configuration, returns 0.
     *
     * @return the horizon in ns, 0 or more; {@link Long#MAX_VALUE}, the default, means "replay every
     * transaction".
     */
    default long horizonNanos()
    {
        return Long.MAX_VALUE;
    }

    /** Template bit of {@code Payment}, for {@link #templates()}. */
    long PAYMENT = 1L << 1;
    /** Template bit of {@code Order}. */
    long ORDER = 1L << 2;
    /** Template bit of {@code Execution}. */
    long EXECUTION = 1L << 3;
    /** Template bit of {@code AccountUpdate}. */
    long ACCOUNT_UPDATE = 1L << 4;
    /** Every template a rule can be given. */
    long ALL_TEMPLATES = PAYMENT | ORDER | EXECUTION | ACCOUNT_UPDATE;

    /**
     * The templates this rule reads, as a mask of {@link #PAYMENT}, {@link #ORDER}, {@link #EXECUTION} and
     * {@link #ACCOUNT_UPDATE} ({@code 1L << templateId}). The worker calls {@link #onEvent} only for these: a rule
     * must ignore every other template anyway, so declaring fewer changes no result, only the cost.
     *
     * @return the mask; {@link #ALL_TEMPLATES} by default.
     */
    default long templates()
    {
        return ALL_TEMPLATES;
    }

    /**
     * @return true if the rule implements {@link #writeState} and {@link #readState}, so that a snapshot can hold
     * it (a stateless rule returns true and writes nothing). A worker with a rule that returns false takes no
     * snapshot, and its restarts replay the journal.
     */
    default boolean snapshots()
    {
        return false;
    }

    /**
     * Write every piece of state that a later decision can depend on, so that {@link #readState} into a new
     * instance with the same parameters leaves it deciding exactly as this one would: same alerts, same
     * contents, in the same order. Called on the worker's thread between events. Counters kept for monitoring
     * may be left out.
     *
     * @param out to write to.
     */
    default void writeState(final StateWriter out)
    {
        throw new UnsupportedOperationException(name() + " cannot be snapshotted");
    }

    /**
     * Read back what {@link #writeState} wrote, into a new instance that has seen no event.
     *
     * @param in to read from; bounds checked.
     * @throws io.txmon.rules.state.StateException if the bytes cannot be this rule's state.
     */
    default void readState(final StateReader in)
    {
        throw new UnsupportedOperationException(name() + " cannot be snapshotted");
    }

    /**
     * Gives the rule its worker's account store, once, before any event or {@link #readState}: a rule that keeps
     * per-account state takes its columns here ({@link AccountStore#longColumn}, {@link
     * AccountStore#objectColumn}) and finds an account's slot with {@link RuleContext#slot}. The store grows,
     * clears and evicts every rule's columns in one place.
     *
     * @param accounts the worker's account store.
     */
    default void bind(final AccountStore accounts)
    {
    }
}
