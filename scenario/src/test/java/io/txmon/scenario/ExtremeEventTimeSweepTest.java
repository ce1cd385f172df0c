package io.txmon.scenario;

import com.lmax.disruptor.RingBuffer;
import io.txmon.events.codec.AccountUpdateDecoder;
import io.txmon.events.codec.PaymentDecoder;
import io.txmon.rules.Rule;
import io.txmon.rules.RuleWorker;
import io.txmon.rules.TxEvent;
import io.txmon.rules.TxEventDecoder;
import io.txmon.rules.typology.ImpossibleTravelRule;
import io.txmon.rules.typology.MarkingTheCloseRule;
import io.txmon.rules.typology.Typologies;
import org.agrona.collections.LongHashSet;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersManager;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Finding 8 of issue 12, for every typology at once: a journal may hold any event time (old journals, backtests,
 * a producer before the sequencer bounded them), so no rule may throw on one, and one extreme time may not
 * silence a rule for an account. The scenario generator's stream, which plants every typology, is run twice:
 * as it is, and with, before the first event of every account, a copy of that event carrying an extreme time
 * (Long.MIN_VALUE, Long.MAX_VALUE, −1, 0, the year 2100, 1900); its other party is replaced by an account of
 * its own, so each account gets one outlier. No rule may throw, and every rule must raise on
 * the normal events as many alerts as without the outliers.
 */
class ExtremeEventTimeSweepTest
{
    private static final long YEAR_2100 = 4_102_444_800L * 1_000_000_000L;
    private static final long YEAR_1900 = -2_208_988_800L * 1_000_000_000L;
    static final long[] EXTREMES = { Long.MAX_VALUE, Long.MIN_VALUE, YEAR_2100, -1, 0, YEAR_1900, Long.MAX_VALUE - 1 };
    private static final int EVENTS = 120_000;
    private static final long LONE_ACCOUNTS = 9_000_000_000_000L;

    @Test
    void noRuleThrowsOnExtremeTimesAndNormalEventsAfterThemStillAlert()
    {
        sweep(false, Set.of());
    }

    /**
     * Harsher: the outlier before an account's first event keeps the event's other party, so an account gets one
     * outlier per new counterparty, many in the middle of its activity. No rule throws, and every rule still
     * raises as many alerts but two whose state is one value per key, which an outlier must be able to replace
     * (or one dated 2100 would hold it for ever): marking-the-close (an instrument's day: each outlier can cost
     * that day) and impossible-travel (the last card position: each outlier can cost the pair around it).
     */
    @Test
    void manyOutliersPerAccountCostNoAlertButOfRulesWithOneValuePerKey()
    {
        sweep(true, Set.of(MarkingTheCloseRule.ID, ImpossibleTravelRule.ID));
    }

    private static void sweep(final boolean harsh, final Set<Integer> excusedRuleIds)
    {
        final ScenarioGenerator generator = new ScenarioGenerator(8L);
        final List<byte[]> stream = new ArrayList<>(EVENTS);
        generator.generate(EVENTS, (buffer, offset, length) ->
        {
            final byte[] message = new byte[length];
            buffer.getBytes(offset, message);
            stream.add(message);
        });

        final Set<String> errors = new TreeSet<>();
        final long[] baseline = run(generator.newRules(), stream, 0, errors);
        assertEquals(Set.of(), errors, "errors without outliers");
        final long[] poisoned = run(generator.newRules(), stream, harsh ? 2 : 1, errors);

        final StringBuilder lost = new StringBuilder();
        for (int ruleId = 1; ruleId < baseline.length; ruleId++)
        {
            if (poisoned[ruleId] < baseline[ruleId] && !excusedRuleIds.contains(ruleId))
            {
                lost.append(" rule ").append(ruleId).append(": ").append(poisoned[ruleId]).append(" of ")
                    .append(baseline[ruleId]);
            }
        }
        for (int ruleId = 1; ruleId < baseline.length; ruleId++)
        {
            assertTrue(baseline[ruleId] > 0, "the scenario plants rule " + ruleId);
        }
        assertEquals(Set.of(), errors, "rules that threw on an extreme event time; alerts lost:" + lost);
        assertEquals("", lost.toString(), "alerts on normal events lost after extreme event times");
    }

    /**
     * @return alerts per rule id raised on the stream's own events.
     */
    /**
     * @param poison 0 none, 1 one outlier per account, 2 one per account and new counterparty.
     */
    private static long[] run(final Rule[] rules, final List<byte[]> stream, final int poison, final Set<String> errors)
    {
        final TxEventDecoder decoder = new TxEventDecoder();
        final TxEvent event = new TxEvent(1, 32);
        final RuleWorker worker = worker(rules, errors);
        final long[] alerts = new long[Typologies.catalog().size() + 1];
        final LongHashSet poisoned = new LongHashSet();
        final TxEvent slot = new TxEvent(1, 32);
        long offset = 0;
        int extreme = 0;
        for (final byte[] message : stream)
        {
            event.reset();
            assertTrue(decoder.decode(new UnsafeBuffer(message), 0, event));
            if (poison > 0)
            {
                // one outlier per account, before its first event: a copy of that event with an extreme time,
                // its other party replaced by an account of its own, so no other account gets a second one
                for (int side = 0; side < 2; side++)
                {
                    final long key = key(event, side);
                    if (key > 0 && poisoned.add(key))
                    {
                        copy(event, slot);
                        slot.offset = offset++;
                        slot.eventTime = EXTREMES[extreme++ % EXTREMES.length];
                        // another event of the account, not a copy of ids a later event refers to
                        slot.txId += 1L << 50;
                        slot.orderId += 1L << 50;
                        slot.execId += 1L << 50;
                        if (poison == 1)
                        {
                            replace(slot, 1 - side, LONE_ACCOUNTS + extreme);
                        }
                        worker.evaluate(slot);
                    }
                }
            }
            copy(event, slot);
            slot.offset = offset++;
            worker.evaluate(slot);
            for (int i = 0; i < slot.alerts(0).count(); i++)
            {
                alerts[slot.alerts(0).get(i).ruleId()]++;
            }
        }
        return alerts;
    }

    private static void replace(final TxEvent event, final int side, final long account)
    {
        if (event.templateId == PaymentDecoder.TEMPLATE_ID)
        {
            if (side == 0)
            {
                event.debtorAccount = account;
            }
            else
            {
                event.creditorAccount = account;
            }
        }
        else if (side == 1)
        {
            event.counterpartyAccount = account;
        }
        else
        {
            event.account = account;
        }
    }

    private static long key(final TxEvent event, final int side)
    {
        if (event.templateId == PaymentDecoder.TEMPLATE_ID)
        {
            return side == 0 ? event.debtorAccount : event.creditorAccount;
        }
        if (event.templateId == AccountUpdateDecoder.TEMPLATE_ID)
        {
            return side == 0 ? event.account : -1;
        }
        return side == 0 ? event.account : event.counterpartyAccount;
    }

    private static void copy(final TxEvent from, final TxEvent to)
    {
        to.reset();
        to.templateId = from.templateId;
        to.producerId = from.producerId;
        to.producerSeq = from.producerSeq;
        to.eventTime = from.eventTime;
        to.txId = from.txId;
        to.debtorAccount = from.debtorAccount;
        to.creditorAccount = from.creditorAccount;
        to.amount = from.amount;
        to.currency = from.currency;
        to.channel = from.channel;
        to.debtorCountry = from.debtorCountry;
        to.creditorCountry = from.creditorCountry;
        to.latitude = from.latitude;
        to.longitude = from.longitude;
        to.orderId = from.orderId;
        to.execId = from.execId;
        to.account = from.account;
        to.counterpartyAccount = from.counterpartyAccount;
        to.instrument = from.instrument;
        to.price = from.price;
        to.quantity = from.quantity;
        to.side = from.side;
        to.action = from.action;
        to.venue = from.venue;
        to.partyId = from.partyId;
        to.riskRating = from.riskRating;
        to.country = from.country;
    }

    static RuleWorker worker(final Rule[] rules, final Set<String> errors)
    {
        final RingBuffer<TxEvent> ring = RingBuffer.createSingleProducer(() -> new TxEvent(1, 32), 4);
        final CountersManager counters = new CountersManager(
            new UnsafeBuffer(ByteBuffer.allocateDirect(16 * 1024)), new UnsafeBuffer(ByteBuffer.allocateDirect(2 * 1024)));
        return new RuleWorker(0, 1, ring.newPoller(), rules,
            (rule, offset, error) -> errors.add(rule.name() + ": " + error),
            counters.newCounter("evaluated"), counters.newCounter("rule errors"), 1024);
    }
}
