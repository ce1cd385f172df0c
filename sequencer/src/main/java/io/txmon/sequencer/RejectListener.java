package io.txmon.sequencer;

import io.txmon.events.RejectReason;
import org.agrona.DirectBuffer;

/**
 * Told of every message the sequencer does not journal. Called on the sequencer thread: keep it short
 * and allocation free (the monitor's reject log copies ids and hands them off).
 */
public interface RejectListener
{
    /** A listener that ignores everything; the counters still count. */
    RejectListener NO_OP = new RejectListener()
    {
        public void onReject(final RejectReason reason, final DirectBuffer buffer, final int offset, final int length)
        {
        }

        public void onJournalFailure(final long status, final Exception cause)
        {
        }
    };

    /**
     * @param reason the message was refused.
     * @param buffer holding it; valid only during the call.
     * @param offset of the message.
     * @param length of the message.
     */
    void onReject(RejectReason reason, DirectBuffer buffer, int offset, int length);

    /**
     * The journal refused an append: the event was not accepted.
     *
     * @param status returned by the journal.
     * @param cause  if known, else null.
     */
    void onJournalFailure(long status, Exception cause);

    /**
     * A {@code ConfigChange} the rule settings refused, with the reason naming the key; called after
     * {@link #onReject} with {@code CONFIG_CHANGE_REFUSED}. Rare: the text is allocated.
     *
     * @param problem naming the rule, the key and what is accepted.
     */
    default void onConfigChangeRefused(final String problem)
    {
    }
}
