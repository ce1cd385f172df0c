package io.txmon.perf;

import io.txmon.rules.config.RuleType;
import io.txmon.rules.typology.CycleRule;
import io.txmon.rules.typology.Typologies;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link RuleStateFootprint} at a small N: every stateful typology keeps a positive, bounded amount of state
 * per account and has state for every account fed; the stateless ones keep none; the whole set costs about
 * what its rules cost alone.
 */
class RuleStateFootprintTest
{
    private static final int ACCOUNTS = 20_000;
    /** Keeps the whole set (up to ~12 KB per account at the events it is fed) at a few thousand accounts, so the test stays fast. */
    private static final int BUDGET_MB = 256;
    /** Most bytes per account a stateless rule may show: heap noise over N accounts. */
    private static final double STATELESS_TOLERANCE = 8;
    /** Least a stateful rule keeps per account: a hash-table slot and two longs at the very least. */
    private static final double LEAST_STATEFUL = 24;
    /** Most one rule may keep per account with the defaults (excessive-cancels' 512-entry ring is ~8.9 KB). */
    private static final double MOST_PER_RULE = 16 * 1024;

    @Test
    void everyStatefulRuleKeepsBoundedStateForEveryAccountAndTheStatelessNone()
    {
        final RuleStateFootprint.Options options = RuleStateFootprint.Options.parse(new String[]{
            "--accounts", Integer.toString(ACCOUNTS), "--budget-mb", Integer.toString(BUDGET_MB) });
        final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
        final PrintStream log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);

        final long start = System.nanoTime();
        final List<RuleStateFootprint.Result> results = RuleStateFootprint.run(options, log);
        final long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
        final ByteArrayOutputStream table = new ByteArrayOutputStream();
        RuleStateFootprint.printTable(new PrintStream(table, true, StandardCharsets.UTF_8), results);
        System.out.println(logBytes.toString(StandardCharsets.UTF_8));
        System.out.println(table.toString(StandardCharsets.UTF_8));
        System.out.println("every row in " + seconds + " s");

        assertEquals(RuleStateFootprint.specs().size(), results.size());
        assertEquals(Typologies.catalog().size() + 3, results.size(), "every typology, then the whole set three ways");
        double sumAlone = 0;
        double maxAlone = 0;
        RuleStateFootprint.Result all = null;
        final List<RuleStateFootprint.Result> few = new ArrayList<>();
        for (final RuleStateFootprint.Result r : results)
        {
            final String what = r.name + ": " + r.bytesPerAccount() + " B/account, " + r.keyedEntries + " keys";
            assertEquals(ACCOUNTS, r.targetAccounts, what);
            assertTrue(r.events >= r.accounts && 0 == r.events % r.accounts, what + ": events for every account");
            if (0 == r.id)
            {
                if (RuleStateFootprint.ALL.equals(r.name))
                {
                    all = r;
                }
                else
                {
                    few.add(r);
                }
                continue;
            }
            sumAlone += r.bytesPerAccount();
            maxAlone = Math.max(maxAlone, r.bytesPerAccount());
            assertEquals(ACCOUNTS, r.accounts, what + ": every single rule fits the budget at this N");
            if (r.stateful)
            {
                assertTrue(r.bytesPerAccount() >= LEAST_STATEFUL, what);
                assertTrue(r.bytesPerAccount() <= MOST_PER_RULE, what);
                assertEquals(r.accounts, r.keyedEntries, what + " (" + r.keyedBy + ")");
            }
            else
            {
                assertTrue(Math.abs(r.bytesPerAccount()) <= STATELESS_TOLERANCE, what);
                assertEquals(-1, r.keyedEntries, what);
            }
        }

        assertTrue(null != all);
        // windows start small (they grow towards their maximum), so the whole set may now fit the budget at N
        assertEquals(all.accounts < ACCOUNTS, all.scaledDown(), "scaled down exactly when fewer accounts fit");
        assertTrue(all.accounts >= ACCOUNTS / 8, "all: " + all.accounts + " accounts");
        // with windows that grow with the stream, the set is no longer the plain sum of the rules measured alone
        // (each grows with the events it sees), but it holds at least what its largest rule holds
        assertTrue(all.bytesPerAccount() >= maxAlone,
            "whole set " + all.bytesPerAccount() + " B/account against " + maxAlone + " for its largest rule (sum " +
            sumAlone + ")");
        assertEquals(2, few.size());
        for (final RuleStateFootprint.Result r : few)
        {
            assertTrue(r.bytesPerAccount() > 0 && r.bytesPerAccount() < all.bytesPerAccount(),
                r.name + ": " + r.bytesPerAccount() + " B/account, the whole set fed every row: " +
                    all.bytesPerAccount());
        }
    }

    /**
     * The rows are the catalogue's typologies in its order, then the whole set (fed every row's events, then as a
     * payments and as a trading account seen a few times); a typology the tool has no feed for
     * stops it, naming the typology.
     */
    @Test
    void everyTypologyOfTheCatalogueIsARowInItsOrder()
    {
        final List<String> catalogue = new ArrayList<>();
        for (final RuleType<?> type : Typologies.catalog())
        {
            catalogue.add(type.name());
        }
        catalogue.add(RuleStateFootprint.ALL);
        catalogue.add(RuleStateFootprint.ALL_FEW_PAYMENTS);
        catalogue.add(RuleStateFootprint.ALL_FEW_ORDERS);
        assertEquals(catalogue, RuleStateFootprint.specs().stream().map(spec -> spec.name).toList());

        final Map<String, RuleStateFootprint.Row> rows = RuleStateFootprint.rows();
        rows.remove(CycleRule.NAME);
        final IllegalStateException missing =
            assertThrows(IllegalStateException.class, () -> RuleStateFootprint.specs(rows));
        assertTrue(missing.getMessage().startsWith("typology cycle (id 18) has no row"), missing.getMessage());

        final Map<String, RuleStateFootprint.Row> extra = RuleStateFootprint.rows();
        extra.put("no-such-rule", extra.get(CycleRule.NAME));
        assertThrows(IllegalStateException.class, () -> RuleStateFootprint.specs(extra));
    }

    @Test
    void refusesBadOptions()
    {
        final String[][] bad = {
            { "--accounts", "0" }, { "--accounts", "x" }, { "--format", "xml" }, { "--rules", "(" },
            { "--budget-mb", "-1" }, { "--bogus", "1" }, { "--accounts" } };
        for (final String[] args : bad)
        {
            assertThrows(IllegalArgumentException.class, () -> RuleStateFootprint.Options.parse(args),
                String.join(" ", args));
        }
        assertThrows(IllegalArgumentException.class, () -> RuleStateFootprint.run(
            RuleStateFootprint.Options.parse(new String[]{ "--rules", "no-such-rule" }), System.out));
        assertTrue(RuleStateFootprint.Options.parse(new String[]{ "--help" }).help);
    }

    @Test
    void aRegexSelectsRowsAndCsvHasOneLinePerRow()
    {
        final List<RuleStateFootprint.Result> results = RuleStateFootprint.run(
            RuleStateFootprint.Options.parse(new String[]{ "--accounts", "1000", "--rules", "^fan-" }),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        assertEquals(List.of("fan-in", "fan-out"), results.stream().map(r -> r.name).toList());

        final ByteArrayOutputStream csv = new ByteArrayOutputStream();
        RuleStateFootprint.printCsv(new PrintStream(csv, true, StandardCharsets.UTF_8), results);
        final String[] lines = csv.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(3, lines.length);
        assertTrue(lines[1].startsWith("8,fan-in,"), lines[1]);
        assertTrue(lines[2].startsWith("9,fan-out,"), lines[2]);
    }
}
