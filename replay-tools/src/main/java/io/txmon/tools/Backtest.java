package io.txmon.tools;

import io.txmon.cli.CliArgs;
import io.txmon.rules.AlertFormat;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.LongHashSet;

import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Scores replayed alerts against labelled events, per rule and for any rule.
 * <p>
 * The labels file has one label per line, {@code offset,label} or {@code tx:<txId>,label}, where the label is
 * {@code fraud} (also {@code positive}, {@code 1}) or {@code legit} (also {@code negative}, {@code 0}); blank
 * lines and lines starting with {@code #} are skipped. A {@code tx:} label labels the payment with that id.
 * <p>
 * Counted over the distinct events of the range: a true positive is a labelled-positive event the rule alerted
 * on (its triggering offset, or the tx of the triggering payment); a false positive is a negative or unlabelled
 * event it alerted on; a false negative is a labelled-positive event it did not alert on. Precision is
 * TP / (TP + FP), recall TP / (TP + FN), F1 2TP / (2TP + FP + FN), each "n/a" when its denominator is 0.
 */
final class Backtest
{
    private static final long POSITIVE = 1;
    private static final long NEGATIVE = 0;
    private static final long NONE = -1;

    private final Long2LongHashMap labelByOffset = new Long2LongHashMap(NONE);
    private final Long2LongHashMap labelByTx = new Long2LongHashMap(NONE);
    private final Long2LongHashMap rangeLabels = new Long2LongHashMap(NONE);
    private final Map<Integer, LongHashSet> alertedByRule = new TreeMap<>();
    private final LongHashSet alertedByAny = new LongHashSet();
    private final LongHashSet matchedTx = new LongHashSet();
    private long matchedOffsets;

    private Backtest()
    {
    }

    /**
     * @param file of labels.
     * @return a backtest of those labels.
     * @throws CliArgs.UsageException naming the line, if the file cannot be read or a line is malformed.
     */
    static Backtest load(final Path file)
    {
        final List<String> lines;
        try
        {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            throw new CliArgs.UsageException("--labels " + file + " cannot be read: " + ToolsCli.describe(ex));
        }
        final Backtest backtest = new Backtest();
        for (int i = 0; i < lines.size(); i++)
        {
            final String line = lines.get(i).trim();
            if (line.isEmpty() || line.startsWith("#"))
            {
                continue;
            }
            final String where = "--labels " + file + " line " + (i + 1) + " '" + line + "'";
            final int comma = line.indexOf(',');
            if (comma < 0)
            {
                throw new CliArgs.UsageException(where + ": give offset,label or tx:<txId>,label");
            }
            final String key = line.substring(0, comma).trim();
            final long label = label(where, line.substring(comma + 1).trim());
            final boolean tx = key.toLowerCase(Locale.ROOT).startsWith("tx:");
            final String number = tx ? key.substring(3).trim() : key;
            final long value;
            try
            {
                value = Long.parseLong(number);
            }
            catch (final NumberFormatException ex)
            {
                throw new CliArgs.UsageException(where + ": '" + number + "' is not a whole number");
            }
            if (!tx && value < 0)
            {
                throw new CliArgs.UsageException(where + ": an offset is not negative");
            }
            (tx ? backtest.labelByTx : backtest.labelByOffset).put(value, label);
        }
        return backtest;
    }

    private static long label(final String where, final String text)
    {
        switch (text.toLowerCase(Locale.ROOT))
        {
            case "fraud":
            case "positive":
            case "1":
                return POSITIVE;
            case "legit":
            case "negative":
            case "0":
                return NEGATIVE;
            default:
                throw new CliArgs.UsageException(where + ": label '" + text + "' is not fraud or legit");
        }
    }

    /**
     * Note an event of the range, to resolve its labels.
     *
     * @param offset of the event.
     * @param txId   of the payment, or 0 if the event is not one.
     */
    void onEvent(final long offset, final long txId)
    {
        long label = labelByOffset.get(offset);
        matchedOffsets += label != NONE ? 1 : 0;
        if (0 != txId)
        {
            final long byTx = labelByTx.get(txId);
            if (byTx != NONE)
            {
                matchedTx.add(txId);
                label = label == POSITIVE ? POSITIVE : byTx;
            }
        }
        if (label != NONE)
        {
            rangeLabels.put(offset, label);
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
            (labelByOffset.size() + labelByTx.size() - matchedOffsets - matchedTx.size()));
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
