package io.txmon.tools;

import io.txmon.events.codec.PaymentDecoder;
import io.txmon.journal.JournalReader;
import io.txmon.journal.RecordHandler;
import io.txmon.rules.TxEvent;
import io.txmon.rules.TxEventDecoder;

import org.agrona.DirectBuffer;

import java.nio.file.Path;
import java.util.function.LongUnaryOperator;

/**
 * The tx id of the payment at an offset of a journal, read by seeking to it: for the few events before a replayed
 * range that its alerts carry as evidence. The journal is opened on the first lookup.
 * <p>
 * Single threaded.
 */
final class TxIdLookup implements LongUnaryOperator, RecordHandler, AutoCloseable
{
    private final Path journal;
    private final TxEventDecoder decoder = new TxEventDecoder();
    private final TxEvent slot = new TxEvent(1, 1);
    private JournalReader reader;
    private long txId;

    /**
     * @param journal directory of the events journal.
     */
    TxIdLookup(final Path journal)
    {
        this.journal = journal;
    }

    /**
     * @param offset of an event.
     * @return the tx id of the payment there, or 0 if the event is not a payment or the journal no longer holds it.
     */
    public long applyAsLong(final long offset)
    {
        if (null == reader)
        {
            reader = JournalReader.open(journal);
        }
        txId = 0;
        if (reader.seek(offset))
        {
            reader.poll(this, 1);
        }
        return txId;
    }

    /**
     * {@inheritDoc}
     */
    public void onRecord(
        final long offset,
        final long timestamp,
        final int templateId,
        final DirectBuffer buffer,
        final int payloadOffset,
        final int payloadLength)
    {
        slot.reset();
        if (templateId == PaymentDecoder.TEMPLATE_ID && decoder.decode(buffer, payloadOffset, slot))
        {
            txId = slot.txId;
        }
    }

    /**
     * Close the journal if a lookup opened it.
     */
    public void close()
    {
        if (null != reader)
        {
            reader.close();
            reader = null;
        }
    }
}
