package io.txmon.tools;

import io.txmon.rules.AlertFormat;

import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Prints an {@link Evaluation}: a table for a person (the {@link Backtest} by triggering event first, as the binary
 * backtest always printed it, then the evaluation), one JSON object, or CSV rows of {@code section,name,metric,value}
 * for scripts. Ratios have 3 decimals, alerts per 1,000 transactions 2, rounded half up; one whose denominator is 0
 * is "n/a" in the table, null in JSON and empty in CSV. Nothing printed depends on the clock.
 */
final class EvaluationReport
{
    /** Missed scenarios the table lists; JSON and CSV list them all. */
    static final int MISSED_SHOWN = 20;
    /** The name of a scenario type for scenarios whose names give none. */
    static final String NO_TYPE = "(no type)";

    /**
     * The formats it prints.
     */
    enum Format
    {
        /** Tables for a person. */
        TEXT,
        /** One JSON object on one line. */
        JSON,
        /** {@code section,name,metric,value} rows after that header. */
        CSV
    }

    private final Evaluation evaluation;
    private final Labels labels;

    /**
     * @param evaluation done.
     */
    EvaluationReport(final Evaluation evaluation)
    {
        this.evaluation = evaluation;
        this.labels = evaluation.labels();
    }

    /**
     * @param out    to print to.
     * @param format to print in.
     */
    void print(final PrintStream out, final Format format)
    {
        switch (format)
        {
            case TEXT -> text(out);
            case JSON -> out.println(json());
            case CSV -> csv(out);
            default -> throw new IllegalArgumentException(format.name());
        }
    }

    private void text(final PrintStream out)
    {
        final Evaluation e = evaluation;
        e.backtest().print(out, e.from(), e.to());
        out.println();
        out.println("evaluation of offsets " + e.from() + ".." + e.to() + ": " + e.transactions() + " transactions, " +
            e.positives() + " events labelled positive and " + e.negatives() + " negative, " + e.scenariosInRange() +
            (e.scenariosInRange() == 1 ? " scenario" : " scenarios") + " in the range");
        out.println("(an alert is true when its triggering event or one of its evidence events is labelled positive;");
        out.println("a scenario is detected when an alert touches one of its events, its trigger or its evidence)");

        final List<String[]> rules = new ArrayList<>();
        rules.add(new String[]{ "rule", "alerts", "true", "precision", "alerts/1k tx", "detected", "recall" });
        for (final Map.Entry<Integer, Evaluation.Tally> entry : e.byRule().entrySet())
        {
            rules.add(ruleRow(AlertFormat.ruleName(entry.getKey()), entry.getValue()));
        }
        rules.add(ruleRow("all rules", e.allAlerts()));
        table(out, rules);
        out.println();

        if (labels.scenarioCount() == 0)
        {
            out.println("scenarios: none named in the labels");
        }
        else
        {
            final List<String[]> types = new ArrayList<>();
            types.add(new String[]{ "scenario type", "scenarios", "detected", "recall" });
            for (final Map.Entry<String, int[]> entry : typeCounts().entrySet())
            {
                final int[] counts = entry.getValue();
                types.add(new String[]{ entry.getKey(), String.valueOf(counts[0]), String.valueOf(counts[1]),
                    Backtest.ratio(counts[1], counts[0]) });
            }
            final int detected = e.detectedInRange(e.allAlerts());
            types.add(new String[]{ "all scenarios", String.valueOf(e.scenariosInRange()), String.valueOf(detected),
                Backtest.ratio(detected, e.scenariosInRange()) });
            table(out, types);

            final List<Integer> missed = missed();
            final StringBuilder line = new StringBuilder("missed scenarios: " + missed.size() + " of " +
                e.scenariosInRange());
            for (int i = 0; i < Math.min(MISSED_SHOWN, missed.size()); i++)
            {
                line.append(i == 0 ? ": " : ", ").append(labels.scenarioName(missed.get(i)));
            }
            if (missed.size() > MISSED_SHOWN)
            {
                line.append(", ... and ").append(missed.size() - MISSED_SHOWN)
                    .append(" more (all of them with --format json or csv)");
            }
            out.println(line);
        }
        out.println();
        out.println("positive events touched by an alert: " + e.touchedPositives() + " of " + e.positives() +
            ", recall " + Backtest.ratio(e.touchedPositives(), e.positives()));
        final int both = e.alertedSuspiciousAccounts();
        out.println("accounts: " + e.alertedAccounts() + " alerted, " + e.suspiciousAccounts() + " suspicious (named " +
            "by a positive event), " + both + " both: precision " + Backtest.ratio(both, e.alertedAccounts()) +
            ", recall " + Backtest.ratio(both, e.suspiciousAccounts()));
        out.println("cases: " + Evaluation.CASES_NOTE);
    }

    private String[] ruleRow(final String name, final Evaluation.Tally tally)
    {
        final int detected = evaluation.detectedInRange(tally);
        return new String[]{ name, String.valueOf(tally.items()), String.valueOf(tally.trueItems()),
            Backtest.ratio(tally.trueItems(), tally.items()), perThousand(tally.items(), evaluation.transactions()),
            String.valueOf(detected), Backtest.ratio(detected, evaluation.scenariosInRange()) };
    }

    /**
     * Rows of cells: the first column left-aligned, the others right-aligned, each as wide as its widest cell.
     */
    private static void table(final PrintStream out, final List<String[]> rows)
    {
        final int[] widths = new int[rows.get(0).length];
        for (final String[] row : rows)
        {
            for (int i = 0; i < row.length; i++)
            {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        final StringBuilder line = new StringBuilder();
        for (final String[] row : rows)
        {
            line.setLength(0);
            line.append(row[0]).append(" ".repeat(widths[0] - row[0].length()));
            for (int i = 1; i < row.length; i++)
            {
                line.append(" ".repeat(widths[i] - row[i].length() + 2)).append(row[i]);
            }
            out.println(line);
        }
    }

    private String json()
    {
        final Evaluation e = evaluation;
        final Backtest backtest = e.backtest();
        final StringBuilder json = new StringBuilder(1024);
        json.append("{\"from\":").append(e.from())
            .append(",\"to\":").append(e.to())
            .append(",\"transactions\":").append(e.transactions())
            .append(",\"labels\":{\"positiveEvents\":").append(e.positives())
            .append(",\"negativeEvents\":").append(e.negatives())
            .append(",\"scenarios\":").append(e.scenariosInRange())
            .append(",\"namingNoEventOfTheRange\":").append(backtest.unmatchedLabels())
            .append("},\"rules\":[");
        boolean first = true;
        for (final Map.Entry<Integer, Evaluation.Tally> entry : e.byRule().entrySet())
        {
            json.append(first ? "" : ",").append("{\"ruleId\":").append(entry.getKey())
                .append(",\"rule\":").append(quote(AlertFormat.ruleName(entry.getKey())));
            tallyJson(json, entry.getValue()).append('}');
            first = false;
        }
        json.append("],\"allRules\":{");
        tallyJson(json, e.allAlerts()).append("},\"scenarioTypes\":[");
        first = true;
        for (final Map.Entry<String, int[]> entry : typeCounts().entrySet())
        {
            final int[] counts = entry.getValue();
            json.append(first ? "" : ",").append("{\"type\":")
                .append(NO_TYPE.equals(entry.getKey()) ? "null" : quote(entry.getKey()))
                .append(",\"scenarios\":").append(counts[0])
                .append(",\"detected\":").append(counts[1])
                .append(",\"recall\":").append(number(Backtest.ratio(counts[1], counts[0]))).append('}');
            first = false;
        }
        final int detected = e.detectedInRange(e.allAlerts());
        json.append("],\"allScenarios\":{\"scenarios\":").append(e.scenariosInRange())
            .append(",\"detected\":").append(detected)
            .append(",\"recall\":").append(number(Backtest.ratio(detected, e.scenariosInRange())))
            .append("},\"missedScenarios\":[");
        first = true;
        for (final int scenario : missed())
        {
            final int type = labels.scenarioType(scenario);
            json.append(first ? "" : ",").append("{\"scenario\":").append(quote(labels.scenarioName(scenario)))
                .append(",\"type\":").append(type < 0 ? "null" : quote(labels.typeName(type))).append('}');
            first = false;
        }
        final int both = e.alertedSuspiciousAccounts();
        json.append("],\"positiveEvents\":{\"labelled\":").append(e.positives())
            .append(",\"touched\":").append(e.touchedPositives())
            .append(",\"recall\":").append(number(Backtest.ratio(e.touchedPositives(), e.positives())))
            .append("},\"accounts\":{\"alerted\":").append(e.alertedAccounts())
            .append(",\"suspicious\":").append(e.suspiciousAccounts())
            .append(",\"alertedSuspicious\":").append(both)
            .append(",\"precision\":").append(number(Backtest.ratio(both, e.alertedAccounts())))
            .append(",\"recall\":").append(number(Backtest.ratio(both, e.suspiciousAccounts())))
            .append("},\"cases\":{\"scored\":false,\"note\":").append(quote(Evaluation.CASES_NOTE))
            .append("},\"byTriggeringEvent\":[");
        first = true;
        for (final Map.Entry<Integer, long[]> entry : byTriggeringEvent(backtest).entrySet())
        {
            final long[] score = entry.getValue();
            final long tp = score[0];
            final long fp = score[1];
            final long fn = score[2];
            json.append(first ? "" : ",").append("{\"ruleId\":").append(entry.getKey() == 0 ? "null" : entry.getKey())
                .append(",\"rule\":").append(quote(triggeringRuleName(entry.getKey())))
                .append(",\"tp\":").append(tp)
                .append(",\"fp\":").append(fp)
                .append(",\"fn\":").append(fn)
                .append(",\"precision\":").append(number(Backtest.ratio(tp, tp + fp)))
                .append(",\"recall\":").append(number(Backtest.ratio(tp, tp + fn)))
                .append(",\"f1\":").append(number(Backtest.ratio(2 * tp, 2 * tp + fp + fn))).append('}');
            first = false;
        }
        return json.append("]}").toString();
    }

    private StringBuilder tallyJson(final StringBuilder json, final Evaluation.Tally tally)
    {
        final int detected = evaluation.detectedInRange(tally);
        return json.append(json.charAt(json.length() - 1) == '{' ? "" : ",")
            .append("\"alerts\":").append(tally.items())
            .append(",\"trueAlerts\":").append(tally.trueItems())
            .append(",\"precision\":").append(number(Backtest.ratio(tally.trueItems(), tally.items())))
            .append(",\"alertsPer1kTransactions\":")
            .append(number(perThousand(tally.items(), evaluation.transactions())))
            .append(",\"scenariosDetected\":").append(detected)
            .append(",\"scenarioRecall\":").append(number(Backtest.ratio(detected, evaluation.scenariosInRange())));
    }

    private void csv(final PrintStream out)
    {
        final Evaluation e = evaluation;
        final Backtest backtest = e.backtest();
        out.println("section,name,metric,value");
        row(out, "range", "", "from", e.from());
        row(out, "range", "", "to", e.to());
        row(out, "range", "", "transactions", e.transactions());
        row(out, "labels", "", "positive-events", e.positives());
        row(out, "labels", "", "negative-events", e.negatives());
        row(out, "labels", "", "scenarios", e.scenariosInRange());
        row(out, "labels", "", "naming-no-event-of-the-range", backtest.unmatchedLabels());
        for (final Map.Entry<Integer, Evaluation.Tally> entry : e.byRule().entrySet())
        {
            tallyCsv(out, "rule", AlertFormat.ruleName(entry.getKey()), entry.getValue());
        }
        tallyCsv(out, "all-rules", "", e.allAlerts());
        for (final Map.Entry<String, int[]> entry : typeCounts().entrySet())
        {
            final int[] counts = entry.getValue();
            final String type = NO_TYPE.equals(entry.getKey()) ? "" : entry.getKey();
            row(out, "scenario-type", type, "scenarios", counts[0]);
            row(out, "scenario-type", type, "detected", counts[1]);
            row(out, "scenario-type", type, "recall", Backtest.ratio(counts[1], counts[0]));
        }
        final int detected = e.detectedInRange(e.allAlerts());
        row(out, "all-scenarios", "", "scenarios", e.scenariosInRange());
        row(out, "all-scenarios", "", "detected", detected);
        row(out, "all-scenarios", "", "recall", Backtest.ratio(detected, e.scenariosInRange()));
        for (final int scenario : missed())
        {
            final int type = labels.scenarioType(scenario);
            row(out, "missed-scenario", labels.scenarioName(scenario), "type", type < 0 ? "" : labels.typeName(type));
        }
        row(out, "positive-events", "", "labelled", e.positives());
        row(out, "positive-events", "", "touched", e.touchedPositives());
        row(out, "positive-events", "", "recall", Backtest.ratio(e.touchedPositives(), e.positives()));
        final int both = e.alertedSuspiciousAccounts();
        row(out, "accounts", "", "alerted", e.alertedAccounts());
        row(out, "accounts", "", "suspicious", e.suspiciousAccounts());
        row(out, "accounts", "", "alerted-suspicious", both);
        row(out, "accounts", "", "precision", Backtest.ratio(both, e.alertedAccounts()));
        row(out, "accounts", "", "recall", Backtest.ratio(both, e.suspiciousAccounts()));
        row(out, "cases", "", "scored", "false");
        row(out, "cases", "", "note", Evaluation.CASES_NOTE);
        for (final Map.Entry<Integer, long[]> entry : byTriggeringEvent(backtest).entrySet())
        {
            final String rule = triggeringRuleName(entry.getKey());
            final long tp = entry.getValue()[0];
            final long fp = entry.getValue()[1];
            final long fn = entry.getValue()[2];
            row(out, "by-triggering-event", rule, "tp", tp);
            row(out, "by-triggering-event", rule, "fp", fp);
            row(out, "by-triggering-event", rule, "fn", fn);
            row(out, "by-triggering-event", rule, "precision", Backtest.ratio(tp, tp + fp));
            row(out, "by-triggering-event", rule, "recall", Backtest.ratio(tp, tp + fn));
            row(out, "by-triggering-event", rule, "f1", Backtest.ratio(2 * tp, 2 * tp + fp + fn));
        }
    }

    private void tallyCsv(final PrintStream out, final String section, final String name, final Evaluation.Tally tally)
    {
        final int detected = evaluation.detectedInRange(tally);
        row(out, section, name, "alerts", tally.items());
        row(out, section, name, "true-alerts", tally.trueItems());
        row(out, section, name, "precision", Backtest.ratio(tally.trueItems(), tally.items()));
        row(out, section, name, "alerts-per-1k-transactions", perThousand(tally.items(), evaluation.transactions()));
        row(out, section, name, "scenarios-detected", detected);
        row(out, section, name, "scenario-recall", Backtest.ratio(detected, evaluation.scenariosInRange()));
    }

    private static void row(final PrintStream out, final String section, final String name, final String metric,
        final Object value)
    {
        final String text = value.toString();
        out.println(section + ',' + csvField(name) + ',' + metric + ',' + csvField("n/a".equals(text) ? "" : text));
    }

    /**
     * @return the backtest's scores by rule id, ascending, then "any rule" (key 0), as its table lists them.
     */
    private static Map<Integer, long[]> byTriggeringEvent(final Backtest backtest)
    {
        final Map<Integer, long[]> scores = backtest.scores();
        final Map<Integer, long[]> ordered = new LinkedHashMap<>();
        for (final Map.Entry<Integer, long[]> entry : scores.entrySet())
        {
            if (entry.getKey() != 0)
            {
                ordered.put(entry.getKey(), entry.getValue());
            }
        }
        ordered.put(0, scores.get(0));
        return ordered;
    }

    private static String triggeringRuleName(final int ruleId)
    {
        return ruleId == 0 ? "any rule" : AlertFormat.ruleName(ruleId);
    }

    /**
     * @return by type name, ascending, untyped scenarios last: {scenarios in the range, detected}.
     */
    private Map<String, int[]> typeCounts()
    {
        final Map<String, int[]> counts = new TreeMap<>();
        int[] untyped = null;
        for (int s = 0, n = labels.scenarioCount(); s < n; s++)
        {
            if (!evaluation.inRange(s))
            {
                continue;
            }
            final int type = labels.scenarioType(s);
            final int[] count;
            if (type < 0)
            {
                untyped = null == untyped ? new int[2] : untyped;
                count = untyped;
            }
            else
            {
                count = counts.computeIfAbsent(labels.typeName(type), (name) -> new int[2]);
            }
            count[0]++;
            count[1] += evaluation.detected(s) ? 1 : 0;
        }
        final Map<String, int[]> ordered = new LinkedHashMap<>(counts);
        if (null != untyped)
        {
            ordered.put(NO_TYPE, untyped);
        }
        return ordered;
    }

    /**
     * @return the scenarios of the range no alert touches, in the order the labels first name them.
     */
    private List<Integer> missed()
    {
        final List<Integer> missed = new ArrayList<>();
        for (int s = 0, n = labels.scenarioCount(); s < n; s++)
        {
            if (evaluation.inRange(s) && !evaluation.detected(s))
            {
                missed.add(s);
            }
        }
        return missed;
    }

    /**
     * @param count        of alerts.
     * @param transactions of the range.
     * @return alerts per 1,000 transactions to 2 decimals, rounded half up, or "n/a" with no transaction.
     */
    static String perThousand(final long count, final long transactions)
    {
        return transactions == 0 ? "n/a" : BigDecimal.valueOf(count).multiply(BigDecimal.valueOf(1000))
            .divide(BigDecimal.valueOf(transactions), 2, RoundingMode.HALF_UP).toPlainString();
    }

    private static String number(final String ratio)
    {
        return "n/a".equals(ratio) ? "null" : ratio;
    }

    private static String csvField(final String text)
    {
        boolean quote = false;
        for (int i = 0; i < text.length() && !quote; i++)
        {
            final char c = text.charAt(i);
            quote = c == ',' || c == '"' || c == '\n' || c == '\r';
        }
        return quote ? '"' + text.replace("\"", "\"\"") + '"' : text;
    }

    private static String quote(final String text)
    {
        final StringBuilder quoted = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            if ('"' == c || '\\' == c)
            {
                quoted.append('\\').append(c);
            }
            else if (c < 0x20)
            {
                quoted.append(String.format(Locale.ROOT, "\\u%04x", (int)c));
            }
            else
            {
                quoted.append(c);
            }
        }
        return quoted.append('"').toString();
    }
}
