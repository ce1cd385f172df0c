package io.txmon.sequencer;

import io.txmon.events.codec.AlertDecoder;
import io.txmon.events.codec.MessageHeaderDecoder;
import io.txmon.journal.JournalReader;
import io.txmon.journal.JournalWriter;

import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * What an alert journal holds, read back for tests: every alert's bytes and its main fields, in journal order.
 */
final class AlertJournal
{
    /**
     * One alert as journaled.
     */
    record Entry(long alertId, int ruleId, String severity, long triggeringOffset, long account, byte[] bytes)
    {
    }

    private AlertJournal()
    {
    }

    static List<Entry> read(final Path dir)
    {
        final List<Entry> entries = new ArrayList<>();
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        final AlertDecoder alert = new AlertDecoder();
        try (JournalReader reader = JournalReader.open(dir))
        {
            while (reader.poll((offset, timestamp, templateId, buffer, payloadOffset, payloadLength) ->
            {
                alert.wrapAndApplyHeader(buffer, payloadOffset, header);
                final byte[] bytes = new byte[payloadLength];
                buffer.getBytes(payloadOffset, bytes);
                entries.add(new Entry(alert.alertId(), alert.ruleId(), alert.severity().name(),
                    alert.triggeringOffset(), alert.account(), bytes));
            }, 4096) > 0)
            {
                continue;
            }
        }
        return entries;
    }

    /**
     * Write the first {@code count} alerts of a list to a new alert journal: what a crash between journaling
     * events and emitting their alerts leaves.
     */
    static void writePrefix(final List<Entry> entries, final int count, final Path dir)
    {
        try (JournalWriter writer = JournalWriter.open(dir, 1024 * 1024))
        {
            final org.agrona.concurrent.UnsafeBuffer buffer = new org.agrona.concurrent.UnsafeBuffer(new byte[8192]);
            for (int i = 0; i < count; i++)
            {
                final byte[] bytes = entries.get(i).bytes();
                buffer.putBytes(0, bytes);
                if (writer.append(buffer, 0, bytes.length, AlertDecoder.TEMPLATE_ID, i) < 0)
                {
                    throw new IllegalStateException("append failed");
                }
            }
        }
    }

    static String sha256(final List<Entry> entries)
    {
        try
        {
            final MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (final Entry entry : entries)
            {
                digest.update(entry.bytes());
            }
            return HexFormat.of().formatHex(digest.digest());
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
