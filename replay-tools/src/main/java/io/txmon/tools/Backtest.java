package io.txmon.tools;

import io.txmon.rules.AlertFormat;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.LongHashSet;

import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Scores replayed alerts by their triggering events, per rule and for any rule: the view of a label per event,
 * kept as the binary backtest always printed it beside the {@link Evaluation} that counts evidence too.
 * <p>
 * Counted over the distinct events of the range: a true positive is a labelled-positive event ({@link Labels}: fraud,
 * or of a scenario) the rule alerted on (its triggering offset, or the tx of the triggering payment); a false
 * positive is a negative or unlabelled event it alerted on; a false negative is a labelled-positive event it did not
 * alert on. Precision is TP / (TP + FP), recall TP / (TP + FN), F1 2TP / (2TP + FP + FN), each "n/a" when its
 * denominator is 0.
 */
final class Backtest
{
    private static final long POSITIVE = 1;
    private static final long NEGATIVE = 0;
    private static final long NONE = -1;

    private final Labels labels;
    private final Long2LongHashMap rangeLabels = new Long2LongHashMap(NONE);
    private final Map<Integer, LongHashSet> alertedByRule = new TreeMap<>();
    private final LongHashSet alertedByAny = new LongHashSet();
    private final LongHashSet matchedTx = new LongHashSet();
    private long matchedOffsets;

    /**
     * @param labels to score against.
     */
    Backtest(final Labels labels)
    {
        this.labels = labels;
    }

    /**
     * Note an event of the range, to resolve its labels.
     *
     * @param offset of the event.
     * @param txId   of the payment, or 0 if the event is not one.
     */
    void onEvent(final long offset, final long txId)
    {
        final long byOffset = labels.ofOffset(offset);
        matchedOffsets += byOffset != Labels.NONE ? 1 : 0;
        long label = byOffset;
        if (0 != txId)
        {
            final long byTx = labels.ofTx(txId);
            if (byTx != Labels.NONE)
            {
                matchedTx.add(txId);
                label = labels.merge(byOffset, byTx);
            }
        }
        if (label != Labels.NONE)
        {
            rangeLabels.put(offset, Labels.isPositive(label) ? POSITIVE : NEGATIVE);
        }
    }

    /**
     * Note an alert of the range.
     *
     * @param ruleId           that raised it.
     * @param triggeringOffset of the event that raised it.
     */
    void onAlert(final int ruleId, final long triggeringOffset)
    {
        alertedByRule.computeIfAbsent(ruleId, (id) -> new LongHashSet()).add(triggeringOffset);
        alertedByAny.add(triggeringOffset);
    }

    /**
     * @param alerted distinct events it alerted on.
     * @return {TP, FP, FN}.
     */
    private long[] score(final LongHashSet alerted)
    {
        long tp = 0;
        long fp = 0;
        final LongHashSet.LongIterator it = alerted.iterator();
        while (it.hasNext())
        {
            if (rangeLabels.get(it.nextValue()) == POSITIVE)
            {
                tp++;
            }
            else
            {
                fp++;
            }
        }
        return new long[]{ tp, fp, positives() - tp };
    }

    /**
     * @return labelled-positive events in the range.
     */
    long positives()
    {
        long count = 0;
        final Long2LongHashMap.ValueIterator it = rangeLabels.values().iterator();
        while (it.hasNext())
        {
            count += it.nextValue() == POSITIVE ? 1 : 0;
        }
        return count;
    }

    /**
     * @return labelled events in the range, positive or negative.
     */
    long labelled()
    {
        return rangeLabels.size();
    }

    /**
     * @return labels (offsets and tx ids) that name no event of the range.
     */
    long unmatchedLabels()
    {
        return labels.offsetCount() + labels.txCount() - matchedOffsets - matchedTx.size();
    }

    /**
     * @return the scores by rule id, TP, FP, FN; the key 0 is "any rule".
     */
    Map<Integer, long[]> scores()
    {
        final Map<Integer, long[]> scores = new TreeMap<>();
        for (final Map.Entry<Integer, LongHashSet> entry : alertedByRule.entrySet())
        {
            scores.put(entry.getKey(), score(entry.getValue()));
        }
        scores.put(0, score(alertedByAny));
        return scores;
    }

    /**
     * Print the table.
     *
     * @param out  to print to.
     * @param from first offset of the range.
     * @param to   last offset of the range.
     */
    void print(final PrintStream out, final long from, final long to)
    {
        final long positives = positives();
        out.println("backtest: " + positives + " labelled fraud and " + (rangeLabels.size() - positives) +
            " labelled legit events in offsets " + from + ".." + to + "; labels naming no event of the range: " +
            unmatchedLabels());
        out.println(String.format(Locale.ROOT, "%-26s %8s %8s %8s %9s %8s %8s",
            "rule", "TP", "FP", "FN", "precision", "recall", "F1"));
        final Map<Integer, long[]> scores = scores();
        for (final Map.Entry<Integer, long[]> entry : scores.entrySet())
        {
            if (entry.getKey() != 0)
            {
                row(out, AlertFormat.ruleName(entry.getKey()), entry.getValue());
            }
        }
        row(out, "any rule", scores.get(0));
    }

    private static void row(final PrintStream out, final String name, final long[] score)
    {
        final long tp = score[0];
        final long fp = score[1];
        final long fn = score[2];
        out.println(String.format(Locale.ROOT, "%-26s %8d %8d %8d %9s %8s %8s", name, tp, fp, fn,
            ratio(tp, tp + fp), ratio(tp, tp + fn), ratio(2 * tp, 2 * tp + fp + fn)));
    }

    /**
     * @param numerator   of the ratio.
     * @param denominator of the ratio.
     * @return the ratio to 3 decimals, rounded half up, or "n/a" if the denominator is 0.
     */
    static String ratio(final long numerator, final long denominator)
    {
        return denominator == 0 ? "n/a" :
            BigDecimal.valueOf(numerator).divide(BigDecimal.valueOf(denominator), 3, RoundingMode.HALF_UP)
                .toPlainString();
    }
}
