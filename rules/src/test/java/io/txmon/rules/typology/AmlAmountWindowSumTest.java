package io.txmon.rules.typology;

import io.txmon.events.codec.Severity;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The window's running sum, and the shortcut large-vs-history takes with it, against the scans they replace.
 */
class AmlAmountWindowSumTest
{
    @Test
    void theRunningSumIsTheSumOfTheAmountsHeldThroughAddsEvictionsConsumesAndClears()
    {
        final Random random = new Random(3);
        for (int round = 0; round < 200; round++)
        {
            final AmlAmountWindow window = new AmlAmountWindow(1 + random.nextInt(64));
            long time = 0;
            for (int i = 0; i < 2_000; i++)
            {
                time += random.nextInt(1_000);
                final long now = window.advance(time);
                window.evict(now, 20_000);
                final int action = random.nextInt(100);
                if (action < 2)
                {
                    window.clear();
                }
                else if (action < 10 && window.size() > 0)
                {
                    window.consume(random.nextInt(window.size()));
                }
                else
                {
                    // mostly small amounts, now and then one near Long.MAX_VALUE, so the sum overflows
                    final long amount = random.nextInt(50) == 0 ? Long.MAX_VALUE - random.nextInt(1000) :
                        1 + random.nextInt(1_000_000);
                    window.add(now, amount, i);
                }
                long scanned = 0;
                boolean overflows = false;
                for (int k = 0; k < window.size(); k++)
                {
                    final long before = scanned;
                    scanned += window.amount(k);
                    overflows |= scanned < before;
                }
                if (overflows)
                {
                    assertEquals(-1, window.exactSum(), "a sum beyond a long is not given");
                }
                else if (window.exactSum() >= 0)
                {
                    assertEquals(scanned, window.exactSum(), "round " + round + ", step " + i);
                }
            }
        }
    }

    @Test
    void largeVersusHistorySkipsItsScansOnlyWhenNeitherTestCanPass()
    {
        final LargeVersusHistoryRule.Parameters d = LargeVersusHistoryRule.Parameters.DEFAULTS;
        for (final LargeVersusHistoryRule.Parameters p : new LargeVersusHistoryRule.Parameters[]{
            d,
            new LargeVersusHistoryRule.Parameters(2, 0.5, 1, d.lookbackNanos(), 1, 64, Severity.LOW),
            new LargeVersusHistoryRule.Parameters(1000, 9.5, 10_000, d.lookbackNanos(), 1, 64, Severity.LOW),
            // the max test decides where the z test cannot: amounts 2 to 10.5 times the mean
            new LargeVersusHistoryRule.Parameters(2, 9.5, 10_000, d.lookbackNanos(), 1, 64, Severity.LOW) })
        {
            shortcutIsExact(p);
        }
        final LargeVersusHistoryRule.Parameters tight =
            new LargeVersusHistoryRule.Parameters(2, 0.5, 1, d.lookbackNanos(), 1, 64, Severity.LOW);
        assertFalse(LargeVersusHistoryRule.cannotAlert(-1, 10, 5, tight), "no exact sum: scan");
        assertFalse(LargeVersusHistoryRule.cannotAlert(1L << 53, 10, 5, tight), "sum beyond exact doubles: scan");
    }

    private static void shortcutIsExact(final LargeVersusHistoryRule.Parameters p)
    {
        final Random random = new Random(5);
        int skipped = 0;
        int alerting = 0;
        for (int round = 0; round < 100_000; round++)
        {
            final int n = 1 + random.nextInt(64);
            final long[] amounts = new long[n];
            final long scale = 1L << random.nextInt(50);
            long sum = 0;
            for (int i = 0; i < n; i++)
            {
                amounts[i] = random.nextInt(8) == 0 ? 0 : 1 + (long)(random.nextDouble() * scale);
                sum += amounts[i];
            }
            final long amount = 1 + (long)(random.nextDouble() * scale * (random.nextBoolean() ? 1 : 12));
            final boolean alerts = alerts(amounts, amount, p);
            alerting += alerts ? 1 : 0;
            if (LargeVersusHistoryRule.cannotAlert(sum, amount, n, p))
            {
                skipped++;
                assertFalse(alerts, "skipped an alert: n " + n + ", amount " + amount + ", sum " + sum);
            }
        }
        assertTrue(skipped > 10_000, p + ": the shortcut is taken often: " + skipped);
        assertTrue(alerting > 5_000, p + ": and the cases include alerts: " + alerting);
    }

    /** The two tests of {@link LargeVersusHistoryRule}, as its scans compute them. */
    private static boolean alerts(final long[] amounts, final long amount, final LargeVersusHistoryRule.Parameters p)
    {
        final int n = amounts.length;
        long max = 0;
        double sum = 0;
        for (final long x : amounts)
        {
            sum += x;
            max = Math.max(max, x);
        }
        final double mean = sum / n;
        double squares = 0;
        for (final long x : amounts)
        {
            final double d = x - mean;
            squares += d * d;
        }
        final double sd = Math.max(Math.sqrt(squares / n), mean * p.sdFloorBasisPoints() / 10_000.0);
        return amount / p.multiplier() >= max || amount >= mean + p.z() * sd;
    }

    /** A window reset for another account decides and writes exactly as a new one, whatever it held. */
    @Test
    void aResetWindowIsANewOne()
    {
        final Random random = new Random(9);
        for (int round = 0; round < 300; round++)
        {
            final int max = 1 + random.nextInt(64);
            final AmlAmountWindow used = new AmlAmountWindow(max);
            for (int i = 0, n = random.nextInt(300); i < n; i++)
            {
                feed(used, random.nextLong(), random);
            }
            used.reset();
            final AmlAmountWindow fresh = new AmlAmountWindow(max);
            final long seed = random.nextLong();
            final Random a = new Random(seed);
            final Random b = new Random(seed);
            for (int i = 0; i < 200; i++)
            {
                feed(used, 0, a);
                feed(fresh, 0, b);
                assertArrayEquals(RuleStateSupport.written(fresh::writeTo), RuleStateSupport.written(used::writeTo),
                    "round " + round + ", step " + i);
                assertEquals(fresh.exactSum(), used.exactSum());
                assertEquals(fresh.isLate(i), used.isLate(i));
            }
        }
    }

    private static void feed(final AmlAmountWindow window, final long base, final Random random)
    {
        final long time = base + random.nextInt(100_000);
        final long now = window.advance(time);
        window.evict(now, 30_000);
        if (random.nextInt(20) == 0 && window.size() > 0)
        {
            window.consume(random.nextInt(window.size()));
        }
        else if (random.nextInt(50) == 0)
        {
            window.clear();
        }
        else
        {
            window.add(now, 1 + random.nextInt(1_000_000), random.nextInt(1 << 20));
        }
    }
}
