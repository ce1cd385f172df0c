package io.txmon.sequencer;

import io.txmon.events.codec.MessageHeaderDecoder;
import io.txmon.events.codec.PaymentDecoder;
import io.txmon.journal.JournalReader;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2ObjectHashMap;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * Reads a whole journal once, streaming (no record kept), and checks what every engine test needs: offsets
 * dense from 0, ingest times that never go backwards, the frame's template id equal to the payload's, and per
 * producer a gap-free, repeat-free, increasing run of producer sequences. Anything wrong is kept as the first
 * violation found, so the caller can assert on it with a useful message.
 */
final class JournalScan
{
    /** Per producer: what the journal holds. */
    static final class Producer
    {
        final long producerId;
        long count;
        long firstSeq = -1;
        long lastSeq = -1;
        long lastOffset = -1;

        Producer(final long producerId)
        {
            this.producerId = producerId;
        }

        public String toString()
        {
            return "producer " + producerId + ": count=" + count + " seqs " + firstSeq + ".." + lastSeq +
                " lastOffset=" + lastOffset;
        }
    }

    /** Extra per-record checks; return null if fine, else a description of what is wrong. */
    @FunctionalInterface
    interface RecordCheck
    {
        String check(long offset, long producerId, long producerSeq, int templateId, DirectBuffer buffer, int payloadOffset,
            int payloadLength);
    }

    final Long2ObjectHashMap<Producer> producers = new Long2ObjectHashMap<>();
    long records;
    String firstViolation;

    private JournalScan()
    {
    }

    static JournalScan scan(final Path journalDir, final RecordCheck extra)
    {
        final JournalScan scan = new JournalScan();
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        final long[] lastTimestamp = { Long.MIN_VALUE };
        try (JournalReader reader = JournalReader.open(journalDir))
        {
            while (reader.poll((offset, timestamp, templateId, buffer, payloadOffset, payloadLength) ->
            {
                if (offset != scan.records)
                {
                    scan.violation("offset " + offset + " where " + scan.records + " was expected (offsets not dense)");
                }
                scan.records++;
                if (timestamp < lastTimestamp[0])
                {
                    scan.violation("ingest time went backwards at offset " + offset);
                }
                lastTimestamp[0] = timestamp;
                header.wrap(buffer, payloadOffset);
                if (header.templateId() != templateId)
                {
                    scan.violation("frame template " + templateId + " but payload template " + header.templateId() +
                        " at offset " + offset);
                }
                final int body = payloadOffset + MessageHeaderDecoder.ENCODED_LENGTH;
                final long producerId = buffer.getLong(body, ByteOrder.LITTLE_ENDIAN);
                final long producerSeq = buffer.getLong(body + 8, ByteOrder.LITTLE_ENDIAN);
                Producer p = scan.producers.get(producerId);
                if (null == p)
                {
                    p = new Producer(producerId);
                    p.firstSeq = producerSeq;
                    scan.producers.put(producerId, p);
                }
                else if (producerSeq != p.lastSeq + 1)
                {
                    scan.violation("producer " + producerId + " seq " + producerSeq + " after " + p.lastSeq +
                        " at offset " + offset + (producerSeq <= p.lastSeq ? " (repeat: journaled twice or out of order)" :
                        " (gap)"));
                }
                p.count++;
                p.lastSeq = producerSeq;
                p.lastOffset = offset;
                if (null != extra)
                {
                    final String wrong = extra.check(
                        offset, producerId, producerSeq, templateId, buffer, payloadOffset, payloadLength);
                    if (null != wrong)
                    {
                        scan.violation(wrong);
                    }
                }
            }, 4096) > 0)
            {
                // read on
            }
        }
        return scan;
    }

    private void violation(final String what)
    {
        if (null == firstViolation)
        {
            firstViolation = what;
        }
    }

    Producer producer(final long producerId)
    {
        final Producer p = producers.get(producerId);
        return null == p ? new Producer(producerId) : p;
    }

    /**
     * A check that every payment carries the amount {@code amountOf(producerId, producerSeq)}.
     */
    static RecordCheck paymentAmounts()
    {
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        final PaymentDecoder payment = new PaymentDecoder();
        return (offset, producerId, producerSeq, templateId, buffer, payloadOffset, payloadLength) ->
        {
            if (templateId != PaymentDecoder.TEMPLATE_ID)
            {
                return "not a payment at offset " + offset;
            }
            payment.wrapAndApplyHeader(buffer, payloadOffset, header);
            final long expected = amountOf(producerId, producerSeq);
            return payment.amount() == expected ? null :
                "amount " + payment.amount() + " at offset " + offset + " where " + expected + " was sent";
        };
    }

    /** The amount the tests put in the payment of (producerId, producerSeq): tells copies and originals apart. */
    static long amountOf(final long producerId, final long producerSeq)
    {
        return producerId * 1_000_000_000L + producerSeq + 1;
    }

    /**
     * @return a UDP port on 127.0.0.1 that was free a moment ago.
     */
    static int freeUdpPort()
    {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)))
        {
            return socket.getLocalPort();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    public String toString()
    {
        return "records=" + records + " producers=" + producers.values() +
            (null == firstViolation ? "" : " FIRST VIOLATION: " + firstViolation);
    }
}
