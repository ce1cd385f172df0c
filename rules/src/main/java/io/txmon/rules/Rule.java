package io.txmon.rules;

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
}
