package io.txmon.rules.typology;

import io.txmon.rules.state.AccountStore;
import io.txmon.rules.state.StateReader;
import io.txmon.rules.state.StateWriter;

import java.util.function.ToIntFunction;

/**
 * What the six amount typologies (ids 2 to 7) share: one {@link AmlAmountWindow} per debtor, held in
 * {@link AmlAmountWindows}, and the counters that say how the windows coped. The four that hold every positive
 * payment of a debtor read one {@link PaymentHistory} per worker; structuring and round amounts, which hold only
 * some payments, each have their own.
 * <p>
 * The windows are all the state a decision depends on, so they are what a snapshot holds
 * ({@link AmlAmountWindows#writeTo}); a subclass that keeps more writes it after them.
 *
 * @param <P> the rule's parameters record.
 */
abstract class AmlAmountRule<P extends Record> extends TypologyRule<P>
{
    /** The debtors' windows; owned by the rule's worker. */
    final AmlAmountWindows windows;

    /**
     * @param id         stable rule id.
     * @param version    of the logic.
     * @param name       in configuration and alerts.
     * @param parameters validated by their record.
     * @param capacity   of each debtor's window, read from the parameters.
     * @param every      true if the rule's windows hold every positive payment of a debtor (then they read the
     *                   worker's one history of them, shared with the other rules that do); false if only some.
     */
    AmlAmountRule(
        final int id,
        final int version,
        final String name,
        final P parameters,
        final ToIntFunction<P> capacity,
        final boolean every)
    {
        super(id, version, name, parameters);
        this.windows = new AmlAmountWindows(this, capacity.applyAsInt(parameters), every);
    }

    /**
     * Moves the windows into the worker's account store.
     *
     * @param accounts the worker's store.
     */
    public void bind(final AccountStore accounts)
    {
        windows.bind(accounts);
    }

    /**
     * Write the debtors' windows: their clocks and entries, consumed ones included.
     *
     * @param out to write to.
     */
    public void writeState(final StateWriter out)
    {
        windows.writeTo(out);
    }

    /**
     * Read back the debtors' windows, each bounded by this rule's capacity.
     *
     * @param in to read from.
     */
    public void readState(final StateReader in)
    {
        windows.readFrom(in);
    }

    /**
     * @return events evaluated at their window's clock because they were older than its newest event.
     */
    public long lateEvents()
    {
        return windows.lateEvents();
    }

    /**
     * @return payments dropped from a full window while still inside it.
     */
    public long droppedEntries()
    {
        return windows.droppedEntries();
    }

    /**
     * @return evidence offsets left off alerts that were full.
     */
    public long droppedEvidence()
    {
        return windows.droppedEvidence();
    }

    /**
     * @return debtors with state.
     */
    public int accounts()
    {
        return windows.accounts();
    }
}
