package io.txmon.sequencer;

import io.txmon.rules.TxEvent;

/**
 * Told when the last stage has passed an event: every rule has run and its alerts are out. Called on the
 * alert sink's thread; the monitor records ingest-to-decision latency here into a single-writer
 * histogram. Must not allocate or block.
 */
@FunctionalInterface
public interface DecisionObserver
{
    /** Does nothing. */
    DecisionObserver NO_OP = (event, decisionNanos) -> {};

    /**
     * @param event         the slot, read only; {@code event.sequencedNanos} is when it was received and
     *                      {@code event.journaledNanos} when it was journaled (stamped only for an observer
     *                      other than {@link #NO_OP}).
     * @param decisionNanos monotonic time of the decision, same clock as {@code sequencedNanos}.
     */
    void onDecision(TxEvent event, long decisionNanos);
}
