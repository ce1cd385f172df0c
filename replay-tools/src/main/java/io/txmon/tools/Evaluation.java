package io.txmon.tools;

import io.txmon.events.codec.ExecutionDecoder;
import io.txmon.events.codec.OrderDecoder;
import io.txmon.events.codec.PaymentDecoder;
import io.txmon.rules.AlertRecord;
import io.txmon.rules.TxEvent;
import org.agrona.collections.IntArrayList;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.LongArrayList;
import org.agrona.collections.LongHashSet;

import java.util.BitSet;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongUnaryOperator;

/**
 * The evaluation kit of {@code txmon replay --labels}: scores the alerts of a replayed range against
 * {@link Labels} as labelled data is judged, by what an alert brings to an investigator rather than by its
 * triggering event alone.
 * <ul>
 *     <li>Alerts: an alert touches its triggering event and every evidence event it carries; it is true when
 *     one of those is labelled positive. Precision per rule and over all alerts, and alerts per 1,000
 *     transactions (payments, orders and executions of the range: every event but account updates and
 *     configuration changes).</li>
 *     <li>Scenarios: a scenario is in the range when one of its labelled events is, and detected when an alert
 *     touches one of its events (in the range or before it). Recall per rule, per scenario type and over all;
 *     the scenarios missed are listed.</li>
 *     <li>Positive events: those of the range that an alert touches, over those labelled.</li>
 *     <li>Accounts: an account is suspicious when a positive event of the range names it (a payment's debtor or
 *     creditor, the account and counterparty of a trading event, the account of an account update); an
 *     alerted account is one an alert of the range is raised on. Precision is alerted suspicious accounts over
 *     alerted accounts, recall over suspicious ones.</li>
 * </ul>
 * An alert is scored as one {@link Tally tallied} item: the events it touches and its account. A case, a set of
 * alerts, is scored the same way once the alert journal has cases: the union of its alerts' events and accounts,
 * one tally for all cases. Until then the report says that cases are not scored.
 * <p>
 * The replay tells of each alert of an event before the event itself ({@link Replayer}), so the alerts of an
 * event wait until its label is known. Evidence before the range is labelled by its offset directly and, when the
 * labels name tx ids, by the tx id a lookup reads from the journal, once per event. Memory grows with the labels
 * and the alerts' distinct accounts, not with the journal.
 * <p>
 * Single threaded.
 */
final class Evaluation
{
    /** What the report says of cases until the alert journal has them. */
    static final String CASES_NOTE = "not scored yet; case scoring comes with cases in the alert journal";

    private static final long NOT_LOOKED_UP = Long.MIN_VALUE;

    private final Labels labels;
    private final Backtest backtest;
    private final long from;
    private final long to;
    private final LongUnaryOperator txIdBeforeRange;

    private final Long2LongHashMap rangeLabels = new Long2LongHashMap(Labels.NONE);
    private final Long2LongHashMap beforeRangeLabels = new Long2LongHashMap(NOT_LOOKED_UP);
    private final BitSet scenariosInRange = new BitSet();
    private final LongHashSet touchedPositives = new LongHashSet();
    private final LongHashSet suspiciousAccounts = new LongHashSet();
    private final LongHashSet alertedAccounts = new LongHashSet();
    private final Map<Integer, Tally> byRule = new TreeMap<>();
    private final Tally allAlerts = new Tally();
    private long transactions;
    private long positives;
    private long negatives;
    private long lookedUp;

    private final IntArrayList pendingRules = new IntArrayList();
    private final LongArrayList pendingAccounts = new LongArrayList();
    private final IntArrayList pendingEnds = new IntArrayList();
    private final LongArrayList pendingTouches = new LongArrayList();

    /**
     * @param labels          to score against.
     * @param from            first offset of the range.
     * @param to              last offset of the range.
     * @param txIdBeforeRange the tx id of the payment at an offset before the range, 0 if it is no payment or
     *                        cannot be read; or null to label such events by their offsets only.
     */
    Evaluation(final Labels labels, final long from, final long to, final LongUnaryOperator txIdBeforeRange)
    {
        this.labels = labels;
        this.backtest = new Backtest(labels);
        this.from = from;
        this.to = to;
        this.txIdBeforeRange = txIdBeforeRange;
    }

    /**
     * Note an alert raised on an event of the range; scored once that event has been {@link #onEvent noted}.
     *
     * @param alert raised; read during the call only.
     */
    void onAlert(final AlertRecord alert)
    {
        backtest.onAlert(alert.ruleId(), alert.triggeringOffset());
        pendingRules.addInt(alert.ruleId());
        pendingAccounts.addLong(alert.account());
        pendingTouches.addLong(alert.triggeringOffset());
        for (int i = 0, n = alert.evidenceCount(); i < n; i++)
        {
            pendingTouches.addLong(alert.evidence(i));
        }
        pendingEnds.addInt(pendingTouches.size());
    }

    /**
     * Note an event of the range, after its alerts, and score them.
     *
     * @param event evaluated; read during the call only.
     */
    void onEvent(final TxEvent event)
    {
        final long offset = event.offset;
        final long txId = Replayer.txIdOf(event);
        backtest.onEvent(offset, txId);
        final int template = event.templateId;
        if (template == PaymentDecoder.TEMPLATE_ID || template == OrderDecoder.TEMPLATE_ID ||
            template == ExecutionDecoder.TEMPLATE_ID)
        {
            transactions++;
        }

        final long label = labels.of(offset, txId);
        if (label != Labels.NONE)
        {
            rangeLabels.put(offset, label);
            if (Labels.isPositive(label))
            {
                positives++;
                for (int i = 0, n = labels.scenarioCountOf(label); i < n; i++)
                {
                    scenariosInRange.set(labels.scenarioOf(label, i));
                }
                suspect(event.debtorAccount);
                suspect(event.creditorAccount);
                suspect(event.account);
                suspect(event.counterpartyAccount);
            }
            else
            {
                negatives++;
            }
        }

        int start = 0;
        for (int i = 0, n = pendingRules.size(); i < n; i++)
        {
            final int end = pendingEnds.getInt(i);
            final int ruleId = pendingRules.getInt(i);
            Tally rule = byRule.get(ruleId);
            if (null == rule)
            {
                rule = new Tally();
                byRule.put(ruleId, rule);
            }
            score(rule, allAlerts, pendingTouches, start, end);
            alertedAccounts.add(pendingAccounts.getLong(i));
            start = end;
        }
        pendingRules.clear();
        pendingAccounts.clear();
        pendingEnds.clear();
        pendingTouches.clear();
    }

    private void suspect(final long account)
    {
        if (0 != account)
        {
            suspiciousAccounts.add(account);
        }
    }

    /**
     * Score one item, an alert (or, once there are cases, a case), by the events it touches.
     *
     * @param group   the item's tally: its rule's for an alert.
     * @param total   the tally of every item of its kind: all alerts for an alert.
     * @param touches offsets of the events touched are {@code touches[start, end)}.
     */
    private void score(
        final Tally group, final Tally total, final LongArrayList touches, final int start, final int end)
    {
        boolean positive = false;
        for (int i = start; i < end; i++)
        {
            final long offset = touches.getLong(i);
            final long label = labelAt(offset);
            if (Labels.isPositive(label))
            {
                positive = true;
                if (offset >= from && offset <= to)
                {
                    touchedPositives.add(offset);
                }
                for (int k = 0, n = labels.scenarioCountOf(label); k < n; k++)
                {
                    final int scenario = labels.scenarioOf(label, k);
                    group.detected.set(scenario);
                    total.detected.set(scenario);
                }
            }
        }
        group.items++;
        total.items++;
        group.trueItems += positive ? 1 : 0;
        total.trueItems += positive ? 1 : 0;
    }

    /**
     * @param offset of an event the range's alerts touch: in the range and noted already, or before it.
     * @return its label.
     */
    private long labelAt(final long offset)
    {
        if (offset >= from)
        {
            return rangeLabels.get(offset);
        }
        final long known = beforeRangeLabels.get(offset);
        if (known != NOT_LOOKED_UP)
        {
            return known;
        }
        long label = labels.ofOffset(offset);
        if (labels.hasTxLabels() && null != txIdBeforeRange)
        {
            lookedUp++;
            final long txId = txIdBeforeRange.applyAsLong(offset);
            label = 0 == txId ? label : labels.merge(label, labels.ofTx(txId));
        }
        beforeRangeLabels.put(offset, label);
        return label;
    }

    /**
     * @return the scores by triggering event, as the binary backtest prints them.
     */
    Backtest backtest()
    {
        return backtest;
    }

    /**
     * @return the labels scored against.
     */
    Labels labels()
    {
        return labels;
    }

    /**
     * @return first offset of the range.
     */
    long from()
    {
        return from;
    }

    /**
     * @return last offset of the range.
     */
    long to()
    {
        return to;
    }

    /**
     * @return payments, orders and executions of the range.
     */
    long transactions()
    {
        return transactions;
    }

    /**
     * @return events of the range labelled positive.
     */
    long positives()
    {
        return positives;
    }

    /**
     * @return events of the range labelled negative.
     */
    long negatives()
    {
        return negatives;
    }

    /**
     * @return positive events of the range an alert touches.
     */
    long touchedPositives()
    {
        return touchedPositives.size();
    }

    /**
     * @return events before the range whose tx ids were read from the journal to label them.
     */
    long lookedUp()
    {
        return lookedUp;
    }

    /**
     * @return the alerts' scores by rule id, ascending.
     */
    Map<Integer, Tally> byRule()
    {
        return byRule;
    }

    /**
     * @return the score of all alerts.
     */
    Tally allAlerts()
    {
        return allAlerts;
    }

    /**
     * @return scenarios with a labelled event in the range.
     */
    int scenariosInRange()
    {
        return scenariosInRange.cardinality();
    }

    /**
     * @param tally of alerts.
     * @return scenarios of the range they detect.
     */
    int detectedInRange(final Tally tally)
    {
        final BitSet both = (BitSet)tally.detected.clone();
        both.and(scenariosInRange);
        return both.cardinality();
    }

    /**
     * @param scenario index.
     * @return true if a labelled event of the scenario is in the range.
     */
    boolean inRange(final int scenario)
    {
        return scenariosInRange.get(scenario);
    }

    /**
     * @param scenario index.
     * @return true if an alert touches one of its events.
     */
    boolean detected(final int scenario)
    {
        return allAlerts.detected.get(scenario);
    }

    /**
     * @return accounts the alerts are raised on.
     */
    int alertedAccounts()
    {
        return alertedAccounts.size();
    }

    /**
     * @return accounts a positive event of the range names.
     */
    int suspiciousAccounts()
    {
        return suspiciousAccounts.size();
    }

    /**
     * @return alerted accounts that are suspicious.
     */
    int alertedSuspiciousAccounts()
    {
        int both = 0;
        final LongHashSet.LongIterator it = alertedAccounts.iterator();
        while (it.hasNext())
        {
            both += suspiciousAccounts.contains(it.nextValue()) ? 1 : 0;
        }
        return both;
    }

    /**
     * The score of a set of items, alerts (of a rule, or all): how many, how many true, and the scenarios they
     * detect.
     */
    static final class Tally
    {
        private long items;
        private long trueItems;
        private final BitSet detected = new BitSet();

        /**
         * @return items scored.
         */
        long items()
        {
            return items;
        }

        /**
         * @return items that touch a positive event.
         */
        long trueItems()
        {
            return trueItems;
        }
    }
}
