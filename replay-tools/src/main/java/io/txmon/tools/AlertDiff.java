package io.txmon.tools;

import io.txmon.events.codec.AlertDecoder;
import io.txmon.events.codec.MessageHeaderDecoder;
import io.txmon.journal.JournalReader;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The difference between replayed alerts and an alert journal's, by alert id and bytes: alerts the replay
 * added, alerts it removed, and alerts with the same id and different bytes.
 */
final class AlertDiff
{
    private final int replayedCount;
    private final int journaledCount;
    private final List<AlertEntry> added = new ArrayList<>();
    private final List<AlertEntry> removed = new ArrayList<>();
    private final List<AlertEntry[]> changed = new ArrayList<>();
    private final boolean sameOrder;

    private AlertDiff(final List<AlertEntry> replayed, final List<AlertEntry> journaled)
    {
        replayedCount = replayed.size();
        journaledCount = journaled.size();
        final Map<Long, AlertEntry> byId = new LinkedHashMap<>();
        for (final AlertEntry alert : journaled)
        {
            byId.put(alert.alertId(), alert);
        }
        final Map<Long, AlertEntry> replayedById = new LinkedHashMap<>();
        for (final AlertEntry alert : replayed)
        {
            replayedById.put(alert.alertId(), alert);
            final AlertEntry before = byId.get(alert.alertId());
            if (null == before)
            {
                added.add(alert);
            }
            else if (!before.sameBytes(alert))
            {
                changed.add(new AlertEntry[]{ before, alert });
            }
        }
        for (final AlertEntry alert : journaled)
        {
            if (!replayedById.containsKey(alert.alertId()))
            {
                removed.add(alert);
            }
        }
        boolean order = replayed.size() == journaled.size();
        for (int i = 0; order && i < replayed.size(); i++)
        {
            order = replayed.get(i).alertId() == journaled.get(i).alertId();
        }
        sameOrder = order;
    }

    /**
     * @param replayed  alerts of the range, in the order replay raised them.
     * @param journaled alerts of the range, in the alert journal's order.
     * @return the difference.
     */
    static AlertDiff of(final List<AlertEntry> replayed, final List<AlertEntry> journaled)
    {
        return new AlertDiff(replayed, journaled);
    }

    /**
     * @param alertJournal directory of an alert journal.
     * @param from         first triggering offset to keep.
     * @param to           last triggering offset to keep, inclusive.
     * @return the journal's alerts whose triggering offsets are in the range, in journal order.
     */
    static List<AlertEntry> read(final Path alertJournal, final long from, final long to)
    {
        final List<AlertEntry> alerts = new ArrayList<>();
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        final int triggeringOffsetAt =
            MessageHeaderDecoder.ENCODED_LENGTH + AlertDecoder.triggeringOffsetEncodingOffset();
        try (JournalReader reader = JournalReader.open(alertJournal))
        {
            while (reader.poll(
                (offset, timestamp, templateId, buffer, payloadOffset, payloadLength) ->
                {
                    header.wrap(buffer, payloadOffset);
                    if (header.templateId() != AlertDecoder.TEMPLATE_ID)
                    {
                        return;
                    }
                    final long triggering = buffer.getLong(
                        payloadOffset + triggeringOffsetAt, AlertDecoder.BYTE_ORDER);
                    if (triggering >= from && triggering <= to)
                    {
                        alerts.add(AlertEntry.of(buffer, payloadOffset, payloadLength));
                    }
                },
                4096) > 0)
            {
                continue;
            }
        }
        return alerts;
    }

    /**
     * @return true if both hold the same alerts, by id and bytes.
     */
    boolean identical()
    {
        return added.isEmpty() && removed.isEmpty() && changed.isEmpty();
    }

    /**
     * @return true if both hold the same alerts in the same order.
     */
    boolean sameOrder()
    {
        return sameOrder;
    }

    /**
     * @return alerts the replay raised that the journal lacks.
     */
    List<AlertEntry> added()
    {
        return added;
    }

    /**
     * @return alerts the journal holds that the replay did not raise.
     */
    List<AlertEntry> removed()
    {
        return removed;
    }

    /**
     * @return pairs of journaled and replayed alerts with the same id and different bytes.
     */
    List<AlertEntry[]> changed()
    {
        return changed;
    }

    /**
     * Print the outcome: one line if identical, else a summary line and one line per difference.
     *
     * @param out  to print to.
     * @param from first offset of the range.
     * @param to   last offset of the range.
     * @param what the alerts were compared with, e.g. "the alert journal".
     */
    void print(final PrintStream out, final long from, final long to, final String what)
    {
        if (identical())
        {
            out.println("identical: " + replayedCount + " alerts in offsets " + from + ".." + to + " match " + what +
                (sameOrder ? ", in the same order" :
                ", as a set; the order differs (did the live engine run with another --workers?)"));
            return;
        }
        out.println("different: " + replayedCount + " replayed and " + journaledCount +
            " journaled alerts in offsets " + from + ".." + to + ": " + added.size() + " added, " + removed.size() +
            " removed, " + changed.size() + " changed");
        for (final AlertEntry alert : added)
        {
            out.println("added   " + alert.format(false));
        }
        for (final AlertEntry alert : removed)
        {
            out.println("removed " + alert.format(false));
        }
        for (final AlertEntry[] pair : changed)
        {
            out.println("changed " + pair[0].format(false));
            out.println("     to " + pair[1].format(false));
        }
    }
}
