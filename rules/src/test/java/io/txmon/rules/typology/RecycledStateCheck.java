package io.txmon.rules.typology;

import io.txmon.events.codec.PaymentDecoder;
import io.txmon.rules.Rule;
import io.txmon.rules.RuleWorker;
import io.txmon.rules.TxEvent;

import java.util.Arrays;
import java.util.Random;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The check that a rule recycling an evicted account's object (an object column made with a reset function) decides
 * and writes exactly as with new objects: a rule used at random on some accounts, whose objects the account store
 * then resets and hands to other accounts, against a new rule given the same events from then on.
 */
final class RecycledStateCheck
{
    /** Accounts the store holds: every account beyond them evicts one, and the next new account reuses its object. */
    static final int CAP = 3;
    /** Accounts of the used rule's first history, none of them among those after. */
    private static final long FIRST_ACCOUNTS = 1_000;
    /** Accounts drawn from in each history, more than the cap, so that they keep evicting each other. */
    private static final int ACCOUNTS_DRAWN = CAP + 2;
    private static final long T0 = 1_700_000_000_000_000_000L;
    private static final long LATER_OFFSETS = 1L << 40;

    /**
     * Fills a payment whose offset, event and transaction ids the check has set.
     */
    @FunctionalInterface
    interface Payment
    {
        /**
         * @param e       a payment with its offset, event time and transaction id set, the rest as reset.
         * @param random  to draw amounts and the like from.
         * @param account draws an account of the current history, as often as needed.
         */
        void fill(TxEvent e, Random random, LongSupplier account);
    }

    /**
     * Gives one event of an account to a two-account worker, as a market rule's test draws them.
     */
    @FunctionalInterface
    interface AccountEvent
    {
        /**
         * @param w       the worker.
         * @param account the event's account.
         * @param step    the step, which sets the event time.
         * @param random  to draw the event from.
         * @return alerts raised.
         */
        int give(CappedWorker w, long account, int step, Random random);
    }

    private RecycledStateCheck()
    {
    }

    /**
     * For 200 rounds of rules made with random parameters: one rule, in a worker holding two accounts, is given
     * 1 to 400 random events of account 1; then it and a new rule are given the same 300 random events of
     * accounts 2 and 3 (2 first, then 3, which evicts 1 and takes its object, reset; then mostly 3). At every
     * step both raise the same alerts and count the same since account 1's history, and after the first step
     * write the same state.
     *
     * @param seed     of the rounds.
     * @param rules    draws a round's parameters and returns what makes a rule of them, the same each time.
     * @param event    gives one random event of an account.
     * @param counters the rule's monitoring counters (dropped entries, late events and the like).
     * @param <R>      the rule.
     */
    @SafeVarargs
    static <R extends Rule> void assertRecycledAccountIsNew(
        final long seed,
        final Function<Random, Supplier<R>> rules,
        final AccountEvent event,
        final java.util.function.ToLongFunction<R>... counters)
    {
        final Random random = new Random(seed);
        for (int round = 0; round < 200; round++)
        {
            final Supplier<R> make = rules.apply(random);
            final R usedRule = make.get();
            final R freshRule = make.get();
            final CappedWorker used = new CappedWorker(2, usedRule);
            final CappedWorker fresh = new CappedWorker(2, freshRule);
            for (int i = 0, n = 1 + random.nextInt(400); i < n; i++)
            {
                event.give(used, 1, i, random);
            }
            final long[] before = new long[counters.length];
            for (int c = 0; c < counters.length; c++)
            {
                before[c] = counters[c].applyAsLong(usedRule);
            }
            used.offset = 1_000_000;
            fresh.offset = 1_000_000;
            final long next = random.nextLong();
            final Random a = new Random(next);
            final Random b = new Random(next);
            for (int i = 0; i < 300; i++)
            {
                // 2 first, then 3, which evicts 1; then either, mostly 3
                final long account = i < 2 ? 2 + i : 3 - a.nextInt(4) / 3;
                assertEquals(account, i < 2 ? 2 + i : 3 - b.nextInt(4) / 3);
                final String step = "round " + round + ", step " + i;
                final int raised = event.give(used, account, i, a);
                assertEquals(raised, event.give(fresh, account, i, b), step);
                assertEquals(fresh.alerts(), used.alerts(), step);
                for (int c = 0; c < counters.length; c++)
                {
                    assertEquals(counters[c].applyAsLong(freshRule), counters[c].applyAsLong(usedRule) - before[c],
                        step + ", counter " + c);
                }
                if (i > 0)
                {
                    assertArrayEquals(RuleStateSupport.stateOf(freshRule), RuleStateSupport.stateOf(usedRule), step);
                }
            }
            assertEquals(1, used.rules.accounts().capEvictions(), "account 3 evicted account 1");
        }
    }

    /**
     * For several seeds: a rule is given random payments among a first set of accounts, then payments that make
     * each of {@link #CAP} other accounts an object (so the first ones are evicted and their objects reset and
     * handed out again); a new rule is given those too. Then both are given the same random payments among those
     * other accounts, which keep evicting each other. After the objects are made and at every step after, both
     * must write the same state; at every step of the two, they must raise the same alerts and count the same (the
     * monitoring counters, not written, are how a field that only they read is seen). Some alerts must be raised.
     *
     * @param rules    makes a new rule, the same parameters each time.
     * @param makes    a payment that makes the account it draws first an object in the rule; any other account it
     *                 needs it draws after (any of the later accounts, perhaps the same again).
     * @param random   a random payment, on accounts drawn.
     * @param maxStep  most event time between two payments, in ns; now and then the clock goes back up to twice it.
     * @param counters the rule's monitoring counters (late events and the like).
     */
    static <R extends Rule> void assertRecycledObjectsAreNew(
        final Supplier<R> rules,
        final Payment makes,
        final Payment random,
        final long maxStep,
        final Function<R, long[]> counters)
    {
        int alerts = 0;
        for (int seed = 0; seed < 40; seed++)
        {
            final Random draw = new Random(seed);
            final R used = rules.get();
            final RuleWorker usedWorker = CappedWorker.of(used, CAP);
            final TxEvent e = new TxEvent(1, 8);
            long time = T0;
            long offset = 0;
            for (int i = 0, n = draw.nextInt(400); i < n; i++)
            {
                time = next(time, draw, maxStep);
                final LongSupplier first = () -> FIRST_ACCOUNTS + draw.nextInt(ACCOUNTS_DRAWN);
                usedWorker.evaluate(payment(e, offset++, time, draw, random, first));
            }

            final R fresh = rules.get();
            final long[] usedBefore = counters.apply(used);
            final RuleWorker freshWorker = CappedWorker.of(fresh, CAP);
            final long seedAfter = draw.nextLong();
            final Random usedDraw = new Random(seedAfter);
            final Random freshDraw = new Random(seedAfter);
            final LongSupplier usedLater = () -> 1 + usedDraw.nextInt(ACCOUNTS_DRAWN);
            final LongSupplier freshLater = () -> 1 + freshDraw.nextInt(ACCOUNTS_DRAWN);
            offset = LATER_OFFSETS;
            for (int account = 1; account <= CAP; account++)
            {
                time = next(time, draw, maxStep);
                alerts += same(usedWorker, payment(e, offset, time, usedDraw, makes, firstThen(account, usedLater)),
                    freshWorker, payment(new TxEvent(1, 8), offset, time, freshDraw, makes, firstThen(account, freshLater)),
                    "seed " + seed + ", making account " + account);
                assertSameCounts(counters.apply(fresh), usedBefore, counters.apply(used), seed);
                offset++;
            }
            assertArrayEquals(RuleStateSupport.stateOf(fresh), RuleStateSupport.stateOf(used),
                "seed " + seed + ": the first accounts are evicted, the later ones written alike");
            for (int step = 0; step < 400; step++)
            {
                time = next(time, draw, maxStep);
                alerts += same(usedWorker, payment(e, offset, time, usedDraw, random, usedLater),
                    freshWorker, payment(new TxEvent(1, 8), offset, time, freshDraw, random, freshLater),
                    "seed " + seed + ", step " + step);
                assertSameCounts(counters.apply(fresh), usedBefore, counters.apply(used), seed);
                offset++;
                assertArrayEquals(RuleStateSupport.stateOf(fresh), RuleStateSupport.stateOf(used),
                    "seed " + seed + ", step " + step);
            }
        }
        assertTrue(alerts > 0, "no alert raised after the first accounts: the decisions compared are all none");
    }

    private static void assertSameCounts(
        final long[] fresh, final long[] usedBefore, final long[] used, final int seed)
    {
        final long[] usedSince = used.clone();
        for (int i = 0; i < usedSince.length; i++)
        {
            usedSince[i] -= usedBefore[i];
        }
        assertEquals(Arrays.toString(fresh), Arrays.toString(usedSince), "seed " + seed + ": counters");
    }

    /**
     * @return {@code account} at the first draw, then what {@code then} draws.
     */
    private static LongSupplier firstThen(final long account, final LongSupplier then)
    {
        final boolean[] drawn = { false };
        return () ->
        {
            if (drawn[0])
            {
                return then.getAsLong();
            }
            drawn[0] = true;
            return account;
        };
    }

    private static long next(final long time, final Random random, final long maxStep)
    {
        return random.nextInt(10) == 0 ? time - random.nextLong(2 * maxStep) : time + random.nextLong(maxStep);
    }

    private static TxEvent payment(
        final TxEvent e, final long offset, final long time, final Random random, final Payment fill,
        final LongSupplier account)
    {
        CappedWorker.begin(e, offset, PaymentDecoder.TEMPLATE_ID, time);
        e.txId = 5_000_000 + offset;
        fill.fill(e, random, account);
        return e;
    }

    /**
     * @return alerts raised, the same on both.
     */
    private static int same(
        final RuleWorker used, final TxEvent usedEvent, final RuleWorker fresh, final TxEvent freshEvent,
        final String where)
    {
        used.evaluate(usedEvent);
        fresh.evaluate(freshEvent);
        assertEquals(RuleStateSupport.describeAlerts(freshEvent, 1), RuleStateSupport.describeAlerts(usedEvent, 1),
            where);
        return freshEvent.alerts(0).count();
    }
}
