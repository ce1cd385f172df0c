package io.txmon.rules.typology;

import io.txmon.events.codec.Severity;
import io.txmon.rules.AlertRecord;
import io.txmon.rules.Rule;
import io.txmon.rules.RuleContext;
import io.txmon.rules.state.StateException;
import io.txmon.rules.state.StateReader;
import io.txmon.rules.state.StateWriter;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static io.txmon.rules.typology.GeoMarketHarness.*;
import static org.junit.jupiter.api.Assertions.*;

class CycleRuleTest
{
    private static final long DAY = 86_400 * SECOND;

    @Test
    void cycleOfThreeAlertsForTheClosingDebtorWithEvidence()
    {
        final GeoMarketHarness h = new GeoMarketHarness(new CycleRule());
        final long o1 = h.nextOffset();
        assertEquals(0, h.payment(T0, 1, 2, 10_000));
        final long o2 = h.nextOffset();
        assertEquals(0, h.payment(T0 + SECOND, 2, 3, 9_900));
        final long o3 = h.nextOffset();
        assertEquals(1, h.payment(T0 + 2 * SECOND, 3, 1, 9_800));
        final AlertRecord alert = h.alert();
        assertEquals(CycleRule.ID, alert.ruleId());
        assertEquals(3, alert.account());
        assertEquals(900, alert.score());
        assertEquals(3, alert.evidenceCount());
        assertEquals(o1, alert.evidence(0));
        assertEquals(o2, alert.evidence(1));
        assertEquals(o3, alert.evidence(2));
        final String reason = alert.reason().toString();
        assertTrue(reason.contains("1 -> 2 -> 3 -> 1"), reason);
        assertTrue(reason.contains("through 3 payments"), reason);
    }

    @Test
    void firesAtMaxHopsSilentOneHopLonger()
    {
        final GeoMarketHarness four = new GeoMarketHarness(new CycleRule());
        four.payment(T0, 1, 2, 1);
        four.payment(T0 + 1, 2, 3, 1);
        four.payment(T0 + 2, 3, 4, 1);
        assertEquals(1, four.payment(T0 + 3, 4, 1, 1), "4 payments");

        final GeoMarketHarness five = new GeoMarketHarness(new CycleRule());
        five.payment(T0, 1, 2, 1);
        five.payment(T0 + 1, 2, 3, 1);
        five.payment(T0 + 2, 3, 4, 1);
        five.payment(T0 + 3, 4, 5, 1);
        assertEquals(0, five.payment(T0 + 4, 5, 1, 1), "5 payments");
    }

    @Test
    void refundIsNotACycleByDefaultButCanBe()
    {
        final GeoMarketHarness h = new GeoMarketHarness(new CycleRule());
        h.payment(T0, 1, 2, 1);
        assertEquals(0, h.payment(T0 + 1, 2, 1, 1));
        final GeoMarketHarness two = new GeoMarketHarness(
            new CycleRule(4, 2, CycleRule.DEFAULT_WINDOW_NS, 16, 256, Severity.LOW));
        two.payment(T0, 1, 2, 1);
        assertEquals(1, two.payment(T0 + 1, 2, 1, 1));
        assertEquals(0, two.payment(T0 + 2, 1, 1, 1), "self-payment");
    }

    @Test
    void windowAndTimeOrderAreRespected()
    {
        final long window = 7 * DAY;
        final GeoMarketHarness out = new GeoMarketHarness(new CycleRule());
        out.payment(T0, 1, 2, 1);
        out.payment(T0 + DAY, 2, 3, 1);
        assertEquals(0, out.payment(T0 + window + 1, 3, 1, 1), "first payment 1 ns outside the window");

        final GeoMarketHarness at = new GeoMarketHarness(new CycleRule());
        at.payment(T0, 1, 2, 1);
        at.payment(T0 + DAY, 2, 3, 1);
        assertEquals(1, at.payment(T0 + window, 3, 1, 1), "exactly at the window");

        final GeoMarketHarness order = new GeoMarketHarness(new CycleRule());
        order.payment(T0 + 10, 2, 3, 1);
        order.payment(T0 + 20, 1, 2, 1);
        assertEquals(0, order.payment(T0 + 30, 3, 1, 1), "2->3 happened before 1->2: funds did not flow round");
    }

    @Test
    void explorationIsBoundedAndCounted()
    {
        final CycleRule bounded = new CycleRule(4, 3, CycleRule.DEFAULT_WINDOW_NS, 16, 8, Severity.LOW);
        final CycleRule roomy = new CycleRule(4, 3, CycleRule.DEFAULT_WINDOW_NS, 16, 256, Severity.LOW);
        final GeoMarketHarness h = new GeoMarketHarness(bounded);
        final GeoMarketHarness control = new GeoMarketHarness(roomy);
        for (final GeoMarketHarness g : new GeoMarketHarness[] { h, control })
        {
            g.payment(T0, 1, 2, 1);
            g.payment(T0 + 1, 2, 3, 1);
            for (int i = 0; i < 15; i++)
            {
                g.payment(T0 + 2 + i, 2, 100 + i, 1);   // dead ends, explored first (newest first)
            }
        }
        assertEquals(0, h.payment(T0 + 100, 3, 1, 1), "search cut after 8 edges");
        assertEquals(1, bounded.truncatedSearches());
        assertEquals(1, control.payment(T0 + 100, 3, 1, 1));
        assertEquals(0, roomy.truncatedSearches());
        assertEquals(0, roomy.droppedEdges());

        control.payment(T0 + 200, 2, 999, 1);           // 17th edge of account 2 pushes out 2 -> 3
        assertEquals(1, roomy.droppedEdges());
        assertEquals(0, control.payment(T0 + 300, 3, 1, 1), "edge 2 -> 3 was dropped");
    }

    @Test
    void validatesParameters()
    {
        final long w = CycleRule.DEFAULT_WINDOW_NS;
        assertThrows(IllegalArgumentException.class, () -> new CycleRule(1, 2, w, 16, 256, Severity.LOW));
        assertThrows(IllegalArgumentException.class, () -> new CycleRule(17, 2, w, 16, 256, Severity.LOW));
        assertThrows(IllegalArgumentException.class, () -> new CycleRule(4, 5, w, 16, 256, Severity.LOW));
        assertThrows(IllegalArgumentException.class, () -> new CycleRule(4, 3, 0, 16, 256, Severity.LOW));
        assertThrows(IllegalArgumentException.class, () -> new CycleRule(4, 3, w, 0, 256, Severity.LOW));
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> new CycleRule(4, 3, w, 16, 0, Severity.LOW));
        assertTrue(ex.getMessage().contains("maxExplored"));
    }

    @Test
    void withTwoWorkersOnlyTheClosingDebtorsWorkerRaisesAndCrossPartitionCyclesAreFound()
    {
        final GeoMarketHarness h = new GeoMarketHarness(2, CycleRule::new);
        for (long a = 1; a <= 30; a++)
        {
            final long b = a + 1000;
            final long c = a + 2000;
            h.payment(T0 + a * 10, a, b, 1);
            h.payment(T0 + a * 10 + 1, b, c, 1);
            assertEquals(1, h.payment(T0 + a * 10 + 2, c, a, 1));
            assertEquals(RuleContext.partition(c, 2), h.raisedBy());
            assertEquals(c, h.alert().account());
        }
    }

    @Test
    void steadyStateAllocatesNothing()
    {
        final GeoMarketHarness h = new GeoMarketHarness(new CycleRule());
        assertSteadyStateAllocationFree(i -> h.payment(T0 + i * SECOND, i % 300, (i * 7 + 1) % 300, 100));
    }

    @Test
    void parametersRejectInvalidValuesNamingTheRuleAndParameter()
    {
        final long w = DAY;
        assertEquals("cycle maxHops must be 2 to 16, was 1", assertThrows(IllegalArgumentException.class,
            () -> new CycleRule.Parameters(1, 2, w, 16, 256, Severity.LOW)).getMessage());
        assertEquals("cycle minHops must be 2 to maxHops 4, was 5", assertThrows(IllegalArgumentException.class,
            () -> new CycleRule.Parameters(4, 5, w, 16, 256, Severity.LOW)).getMessage());
        assertEquals("cycle windowNanos must be positive, was 0", assertThrows(IllegalArgumentException.class,
            () -> new CycleRule.Parameters(4, 3, 0, 16, 256, Severity.LOW)).getMessage());
        assertEquals("cycle edgesPerAccount must be 1 to 4096, was 0", assertThrows(IllegalArgumentException.class,
            () -> new CycleRule.Parameters(4, 3, w, 0, 256, Severity.LOW)).getMessage());
        assertEquals("cycle maxExplored must be 1 to 1048576, was 0", assertThrows(IllegalArgumentException.class,
            () -> new CycleRule.Parameters(4, 3, w, 16, 0, Severity.LOW)).getMessage());
        assertEquals("cycle severity must be set, was null", assertThrows(IllegalArgumentException.class,
            () -> new CycleRule.Parameters(4, 3, w, 16, 256, null)).getMessage());
    }

    @Test
    void defaultParametersBehaveAsTheDefaultConstructor()
    {
        final CycleRule.Parameters defaults = CycleRule.Parameters.DEFAULTS;
        assertEquals(CycleRule.DEFAULT_MAX_HOPS, defaults.maxHops());
        assertEquals(CycleRule.DEFAULT_MIN_HOPS, defaults.minHops());
        assertEquals(CycleRule.DEFAULT_WINDOW_NS, defaults.windowNanos());
        assertEquals(CycleRule.DEFAULT_EDGES_PER_ACCOUNT, defaults.edgesPerAccount());
        assertEquals(CycleRule.DEFAULT_MAX_EXPLORED, defaults.maxExplored());
        assertEquals(Severity.HIGH, defaults.severity());
        assertEquals(defaults, new CycleRule().parameters());

        final GeoMarketHarness h = new GeoMarketHarness(new CycleRule(defaults));
        assertEquals(0, h.payment(T0, 1, 2, 10_000));
        assertEquals(0, h.payment(T0 + SECOND, 2, 3, 9_900));
        assertEquals(1, h.payment(T0 + 2 * SECOND, 3, 1, 9_800));
        assertEquals(900, h.alert().score());
        assertEquals(Severity.HIGH, h.alert().severity());
        final GeoMarketHarness refund = new GeoMarketHarness(new CycleRule(defaults));
        refund.payment(T0, 1, 2, 1);
        assertEquals(0, refund.payment(T0 + 1, 2, 1, 1), "a refund is not a cycle by default");
    }

    @Test
    void declaresPaymentsOnlyAndSnapshots()
    {
        final CycleRule rule = new CycleRule();
        assertEquals(Rule.PAYMENT, rule.templates());
        assertTrue(rule.snapshots());
    }

    @Test
    void restoredAtTheWindowEdgeClosesExactlyWhenTheOriginalDoes()
    {
        final long window = 7 * DAY;
        for (final long closeAt : new long[] { T0 + window, T0 + window + 1 })
        {
            final CycleRule original = new CycleRule();
            final GeoMarketHarness h = new GeoMarketHarness(original);
            h.payment(T0, 1, 2, 10_000);                       // the first payment, at the window's edge
            h.payment(T0 + DAY, 2, 3, 9_900);
            h.payment(T0 + DAY + 1, 2, 4, 1);                 // newer dead end, examined first
            final CycleRule restored = restore(original, new CycleRule());
            final GeoMarketHarness r = new GeoMarketHarness(restored);
            while (r.nextOffset() < h.nextOffset())
            {
                r.payment(T0 - DAY, 77, 78, 1);                // align the offsets, outside every window
            }
            final int expected = closeAt == T0 + window ? 1 : 0;
            assertEquals(expected, h.payment(closeAt, 3, 1, 9_800));
            assertEquals(expected, r.payment(closeAt, 3, 1, 9_800), "restored, closing at " + (closeAt - T0));
            if (expected == 1)
            {
                assertEquals(describe(h.alert()), describe(r.alert()));
                assertEquals(3, r.alert().evidenceCount());
            }
        }
    }

    @Test
    void restoredRuleDropsAndEvictsInTheOriginalsOrder()
    {
        final CycleRule.Parameters p = new CycleRule.Parameters(4, 2, DAY, 5, 256, 3, Severity.HIGH);
        final CycleRule original = new CycleRule(p);
        final GeoMarketHarness h = new GeoMarketHarness(original);
        h.payment(T0, 1, 2, 1);
        h.payment(T0 + 1, 2, 3, 1);
        h.payment(T0 + 2, 5, 6, 1);
        h.payment(T0 + 3, 1, 7, 1);                           // debtors by last payment: 2, 5, 1
        for (int i = 0; i < 6; i++)
        {
            h.payment(T0 + 4 + i, 5, 100 + i, 1);             // 5's ring of 5 wraps round: 6 and 100 dropped
        }                                                     // order now 2, 1, 5
        final CycleRule restored = restore(original, new CycleRule(p));
        assertEquals(3, restored.accounts());
        for (final GeoMarketHarness g : new GeoMarketHarness[] { h, new GeoMarketHarness(restored) })
        {
            assertEquals(0, g.payment(T0 + 20, 6, 5, 1), "5 -> 6 was dropped, the oldest of the ring");
            assertEquals(1, g.payment(T0 + 21, 105, 5, 1), "5 -> 105 is kept, the newest of the ring");
        }
        assertEquals(2, original.evictedAccounts(), "6 and 105 took the slots of 2 and 1");
        assertEquals(2, restored.evictedAccounts(), "the restored rule evicted the same two");
        final GeoMarketHarness r = new GeoMarketHarness(restored);
        assertEquals(0, r.payment(T0 + 22, 3, 1, 1), "debtor 1 (and its 1 -> 2) is gone in the restored rule too");
        assertEquals(0, h.payment(T0 + 22, 3, 1, 1));
    }

    @Test
    void restoredRuleWritesTheSameStateAgain()
    {
        final CycleRule original = new CycleRule(new CycleRule.Parameters(5, 3, DAY, 6, 64, 50, Severity.HIGH));
        final GeoMarketHarness h = new GeoMarketHarness(original);
        final Random random = new Random(5);
        for (int i = 0; i < 5_000; i++)
        {
            h.payment(T0 + i * SECOND - random.nextInt(100) * SECOND, random.nextInt(80), random.nextInt(80), 1);
        }
        assertTrue(original.evictedAccounts() > 0 && original.droppedEdges() > 0);
        final byte[] written = state(original);
        final CycleRule restored = restore(original, new CycleRule(original.parameters()));
        assertArrayEquals(written, state(restored));
    }

    @Test
    void hostileStateGivesAStateExceptionNamingWhatIsWrong()
    {
        final CycleRule.Parameters p = new CycleRule.Parameters(4, 3, DAY, 4, 256, 3, Severity.HIGH);
        final CycleRule original = new CycleRule(p);
        final GeoMarketHarness h = new GeoMarketHarness(original);
        h.payment(T0, 1, 2, 1);
        h.payment(T0 + 1, 2, 3, 1);
        h.payment(T0 + 2, 2, 4, 1);
        final byte[] good = state(original);                 // newest, count, then account 1 (1 edge), 2 (2 edges)

        assertStateException(Arrays.copyOf(good, good.length - 1), p, "wanted");
        assertStateException(Arrays.copyOf(good, 10), p, "wanted");
        assertStateException(with(good, 8, 4), p, "debtor accounts 4 at 8 is outside 0 to 3");
        assertStateException(with(good, 8, -1), p, "debtor accounts -1");
        assertStateException(with(good, 8, 3), p, "cannot fit");
        assertStateException(with(good, 12 + 16, 0), p, "edges of account 1 0 is outside 1 to 4");
        assertStateException(with(good, 12 + 16, 1 << 30), p, "edges of account 1 1073741824 is outside");
        final byte[] twice = good.clone();
        UnsafeBuffer b = new UnsafeBuffer(twice);
        b.putLong(12 + 44, 1L, java.nio.ByteOrder.LITTLE_ENDIAN);   // account 2 becomes a second account 1
        assertStateException(twice, p, "appears twice");
        final byte[] late = good.clone();
        b = new UnsafeBuffer(late);
        b.putLong(12 + 20 + 8, T0 + 99, java.nio.ByteOrder.LITTLE_ENDIAN);   // 1's only edge after its newest
        assertStateException(late, p, "later than its newest");
        final byte[] ahead = good.clone();
        new UnsafeBuffer(ahead).putLong(12 + 8, T0 + 99, java.nio.ByteOrder.LITTLE_ENDIAN);   // 1's newest
        assertStateException(ahead, p, "later than the newest recorded");
        final byte[] self = good.clone();
        new UnsafeBuffer(self).putLong(12 + 20, 1L, java.nio.ByteOrder.LITTLE_ENDIAN);     // 1 paid 1
        assertStateException(self, p, "is to itself");

        final CycleRule seen = new CycleRule(p);
        new GeoMarketHarness(seen).payment(T0, 1, 2, 1);
        final StateReader reader = new StateReader().wrap(new UnsafeBuffer(good), 0, good.length, "cycle");
        assertThrows(StateException.class, () -> seen.readState(reader), "a rule that has seen payments");

        // any corruption of a real snapshot: read back or refused with a StateException, never anything else
        final CycleRule busy = new CycleRule(new CycleRule.Parameters(4, 3, DAY, 4, 64, 20, Severity.HIGH));
        final GeoMarketHarness g = new GeoMarketHarness(busy);
        for (int i = 0; i < 500; i++)
        {
            g.payment(T0 + i, i % 31, (i * 7) % 29, 1);
        }
        final byte[] bytes = state(busy);
        final Random random = new Random(13);
        for (int trial = 0; trial < 2_000; trial++)
        {
            final byte[] bad = bytes.clone();
            for (int flips = 1 + random.nextInt(3); flips > 0; flips--)
            {
                bad[random.nextInt(bad.length)] = (byte)random.nextInt(256);
            }
            final int length = random.nextInt(8) == 0 ? random.nextInt(bad.length) : bad.length;
            try
            {
                new CycleRule(busy.parameters()).readState(
                    new StateReader().wrap(new UnsafeBuffer(bad), 0, length, "cycle"));
            }
            catch (final StateException expected)
            {
                assertTrue(expected.getMessage().startsWith("cycle: "), expected.getMessage());
            }
        }
    }

    private static void assertStateException(final byte[] bytes, final CycleRule.Parameters p, final String what)
    {
        final StateReader reader = new StateReader().wrap(new UnsafeBuffer(bytes), 0, bytes.length, "cycle");
        final StateException ex = assertThrows(StateException.class, () ->
        {
            new CycleRule(p).readState(reader);
            reader.requireEnd();
        });
        assertTrue(ex.getMessage().contains(what), ex.getMessage());
    }

    private static byte[] with(final byte[] bytes, final int at, final int value)
    {
        final byte[] copy = bytes.clone();
        new UnsafeBuffer(copy).putInt(at, value, java.nio.ByteOrder.LITTLE_ENDIAN);
        return copy;
    }

    private static byte[] state(final Rule rule)
    {
        final StateWriter writer = new StateWriter(16);
        rule.writeState(writer);
        final byte[] bytes = new byte[writer.position()];
        writer.buffer().getBytes(0, bytes);
        return bytes;
    }

    private static CycleRule restore(final Rule from, final CycleRule into)
    {
        final byte[] bytes = state(from);
        final StateReader reader = new StateReader().wrap(new UnsafeBuffer(bytes), 0, bytes.length, "cycle");
        into.readState(reader);
        reader.requireEnd();
        return into;
    }

    private static String describe(final AlertRecord alert)
    {
        final StringBuilder text = new StringBuilder().append(alert.score()).append(' ').append(alert.account())
            .append(" [");
        for (int i = 0; i < alert.evidenceCount(); i++)
        {
            text.append(alert.evidence(i)).append(',');
        }
        return text.append("] ").append(alert.reason()).toString();
    }
}
