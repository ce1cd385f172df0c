package io.txmon.monitor;

import io.txmon.rules.AlertFormat;
import io.txmon.rules.AlertIds;
import io.txmon.rules.config.RuleType;
import io.txmon.scenario.Planted;
import io.txmon.scenario.PlantedMatcher;
import org.agrona.collections.Long2ObjectHashMap;

import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;

/**
 * What {@code txmon demo} saw on the alert stream, held against the cases it planted: alerts per rule, the rules
 * and alerts per account, and which planted cases alerted (through the scenario's {@link PlantedMatcher}: rule,
 * account and event time agree). Prints the per-typology table and the top accounts.
 * <p>
 * Not thread safe: the thread that reads the alert stream records and prints.
 */
final class DemoReport
{
    private static final int RULE_WIDTH = 24;
    private static final int LISTED_MISSED = 10;

    private final List<RuleType<?>> rules;
    private final BitSet ruleIds = new BitSet();
    private final PlantedMatcher matcher = new PlantedMatcher();
    private final Long2ObjectHashMap<AccountAlerts> accounts = new Long2ObjectHashMap<>();
    private final long[] alertsByRule = new long[AlertIds.MAX_RULE_ID + 1];

    /**
     * Alerts on one account.
     */
    private static final class AccountAlerts
    {
        final long account;
        final BitSet rules = new BitSet();
        long alerts;

        AccountAlerts(final long account)
        {
            this.account = account;
        }
    }

    /**
     * @param rules the rules the engine runs, in id order: the rows of the table.
     */
    DemoReport(final List<RuleType<?>> rules)
    {
        this.rules = List.copyOf(rules);
        for (final RuleType<?> type : rules)
        {
            ruleIds.set(type.id());
        }
    }

    /**
     * Record one alert read from the alert stream.
     *
     * @param ruleId    of the rule that raised it.
     * @param account   it is keyed on.
     * @param eventTime of its triggering event.
     */
    void onAlert(final int ruleId, final long account, final long eventTime)
    {
        matcher.onAlert(ruleId, account, eventTime);
        if (ruleId < 0 || ruleId >= alertsByRule.length)
        {
            // no rule of this engine: counted among all alerts, in no row
            return;
        }
        alertsByRule[ruleId]++;
        AccountAlerts alerts = accounts.get(account);
        if (null == alerts)
        {
            alerts = new AccountAlerts(account);
            accounts.put(account, alerts);
        }
        alerts.rules.set(ruleId);
        alerts.alerts++;
    }

    /**
     * @return alerts recorded, of every rule.
     */
    long alerts()
    {
        return matcher.alerts();
    }

    /**
     * @param ruleId of a rule.
     * @return alerts it raised.
     */
    long alertsOf(final int ruleId)
    {
        return ruleId >= 0 && ruleId < alertsByRule.length ? alertsByRule[ruleId] : 0;
    }

    /**
     * @param planted cases of every stream published.
     * @return those of the rules the engine runs: the cases it must alert.
     */
    List<Planted> expected(final List<Planted> planted)
    {
        return PlantedMatcher.expected(planted, ruleIds::get);
    }

    /**
     * @param expected cases the engine must alert.
     * @return those no alert recorded so far answers.
     */
    List<Planted> missed(final List<Planted> expected)
    {
        return matcher.missed(expected);
    }

    /**
     * The per-typology table: for each rule run, the cases planted, those detected (an alert answered them), those
     * missed, and the alerts it raised in all, planted or not; then a line of totals, and the first missed cases.
     *
     * @param out      where it goes.
     * @param expected the planted cases of the rules run.
     */
    void printTypologies(final PrintStream out, final List<Planted> expected)
    {
        final int[] planted = new int[alertsByRule.length];
        final int[] detected = new int[alertsByRule.length];
        long plantedTotal = 0;
        long detectedTotal = 0;
        for (final Planted p : expected)
        {
            if (p.ruleId() >= 0 && p.ruleId() < planted.length)
            {
                planted[p.ruleId()]++;
                plantedTotal++;
                if (matcher.isAlerted(p))
                {
                    detected[p.ruleId()]++;
                    detectedTotal++;
                }
            }
        }

        out.printf("typologies: %d rule%s run, %,d cases planted, %,d detected, %,d missed%n",
            rules.size(), rules.size() == 1 ? "" : "s", plantedTotal, detectedTotal, plantedTotal - detectedTotal);
        out.printf("  %3s  %-" + RULE_WIDTH + "s  %8s  %8s  %7s  %9s%n",
            "id", "rule", "planted", "detected", "missed", "alerts");
        long alertsTotal = 0;
        for (final RuleType<?> type : rules)
        {
            final int id = type.id();
            final long alerts = alertsOf(id);
            alertsTotal += alerts;
            out.printf("  %3d  %-" + RULE_WIDTH + "s  %,8d  %,8d  %,7d  %,9d%n",
                id, type.name(), planted[id], detected[id], planted[id] - detected[id], alerts);
        }
        out.printf("  %3s  %-" + RULE_WIDTH + "s  %,8d  %,8d  %,7d  %,9d%n",
            "", "all", plantedTotal, detectedTotal, plantedTotal - detectedTotal, alertsTotal);
        out.println("  (detected: planted cases that alerted; alerts: all the rule raised, on background traffic too)");

        final List<Planted> missed = missed(expected);
        for (int i = 0; i < Math.min(LISTED_MISSED, missed.size()); i++)
        {
            final Planted p = missed.get(i);
            out.printf("  MISSED %s account=%d event time %s%n",
                AlertFormat.ruleName(p.ruleId()), p.account(), Instant.ofEpochSecond(0, p.eventTime()));
        }
        if (missed.size() > LISTED_MISSED)
        {
            out.printf("  ... and %,d more missed%n", missed.size() - LISTED_MISSED);
        }
    }

    /**
     * The accounts with the most distinct typologies alerting on them, then the most alerts, then the lowest id,
     * with the rules listed. Alerts are not grouped into cases yet, so this is by account.
     *
     * @param out   where it goes.
     * @param count most accounts to list.
     */
    void printTopAccounts(final PrintStream out, final int count)
    {
        final List<AccountAlerts> top = topAccounts(count);
        out.printf("top accounts: the %d with the most typologies alerting on them, then the most alerts%n",
            top.size());
        out.printf("  %-16s  %10s  %7s  %s%n", "account", "typologies", "alerts", "rules");
        for (final AccountAlerts a : top)
        {
            final StringBuilder names = new StringBuilder();
            for (int id = a.rules.nextSetBit(0); id >= 0; id = a.rules.nextSetBit(id + 1))
            {
                names.append(names.length() == 0 ? "" : ", ").append(AlertFormat.ruleName(id));
            }
            out.printf("  %-16d  %10d  %,7d  %s%n", a.account, a.rules.cardinality(), a.alerts, names);
        }
    }

    /**
     * @param count most accounts.
     * @return the accounts with the most distinct rules alerting, then the most alerts, then the lowest id.
     */
    List<Long> topAccountIds(final int count)
    {
        final List<Long> ids = new ArrayList<>();
        for (final AccountAlerts a : topAccounts(count))
        {
            ids.add(a.account);
        }
        return ids;
    }

    private List<AccountAlerts> topAccounts(final int count)
    {
        final List<AccountAlerts> all = new ArrayList<>(accounts.values());
        all.sort(Comparator.comparingInt((AccountAlerts a) -> a.rules.cardinality()).reversed()
            .thenComparing(Comparator.comparingLong((AccountAlerts a) -> a.alerts).reversed())
            .thenComparingLong((a) -> a.account));
        return all.subList(0, Math.min(count, all.size()));
    }
}
