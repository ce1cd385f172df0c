package io.txmon.rules;

import io.txmon.events.codec.OrderDecoder;
import io.txmon.events.codec.PaymentDecoder;
import io.txmon.events.codec.Severity;
import io.txmon.rules.typology.LargeAmountRule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class LargeAmountRuleTest
{
    private static final long THRESHOLD = 1_000_000L;
    private static final int EUR = 978;
    private static final int JPY = 392;
    private static final long EVENT_TIME = 1_700_000_000_123_456_789L;

    @Test
    void firesAtExactlyTheThreshold()
    {
        final LargeAmountRule rule = new LargeAmountRule(THRESHOLD, Severity.HIGH);
        final TxEvent event = payment(new TxEvent(1, 8), 7, 42, 1001, THRESHOLD, EUR);

        evaluate(rule, event, 0, 1);

        assertEquals(1, event.alerts(0).count());
        assertEquals(500, event.alerts(0).get(0).score());
    }

    @Test
    void silentOneMinorUnitBelowTheThreshold()
    {
        final LargeAmountRule rule = new LargeAmountRule(THRESHOLD, Severity.HIGH);
        final TxEvent event = payment(new TxEvent(1, 8), 7, 42, 1001, THRESHOLD - 1, EUR);

        evaluate(rule, event, 0, 1);

        assertEquals(0, event.alerts(0).count());
    }

    @Test
    void ignoresTemplatesOtherThanPayment()
    {
        final LargeAmountRule rule = new LargeAmountRule(THRESHOLD, Severity.HIGH);
        final TxEvent event = payment(new TxEvent(1, 8), 7, 42, 1001, THRESHOLD * 100, EUR);
        event.templateId = OrderDecoder.TEMPLATE_ID;

        evaluate(rule, event, 0, 1);
        assertEquals(0, event.alerts(0).count());

        event.templateId = 0;
        evaluate(rule, event, 0, 1);
        assertEquals(0, event.alerts(0).count());
    }

    @Test
    void rejectsNonPositiveThreshold()
    {
        assertThrows(IllegalArgumentException.class, () -> new LargeAmountRule(0, Severity.HIGH));
        assertThrows(IllegalArgumentException.class, () -> new LargeAmountRule(-1, Severity.HIGH));
    }

    @ParameterizedTest
    @ValueSource(ints = { 2, 4 })
    void onlyTheWorkerOwningTheDebtorAccountRaises(final int workerCount)
    {
        final int accounts = 10_000;
        final LargeAmountRule[] rules = new LargeAmountRule[workerCount];
        final RuleContext[] contexts = new RuleContext[workerCount];
        for (int w = 0; w < workerCount; w++)
        {
            rules[w] = new LargeAmountRule(THRESHOLD, Severity.MEDIUM);
            contexts[w] = new RuleContext(w, workerCount);
        }

        final int[] raisedPerWorker = new int[workerCount];
        final TxEvent event = new TxEvent(workerCount, 8);
        for (long account = 1; account <= accounts; account++)
        {
            payment(event, account, account, account + 1, THRESHOLD, EUR);
            for (int w = 0; w < workerCount; w++)
            {
                contexts[w].wrap(event);
                rules[w].onEvent(event, contexts[w]);
            }

            int raisers = 0;
            for (int w = 0; w < workerCount; w++)
            {
                final int count = event.alerts(w).count();
                if (count > 0)
                {
                    assertEquals(1, count);
                    assertEquals(account, event.alerts(w).get(0).account());
                    assertEquals(RuleContext.partition(account, workerCount), w, "raised by the owning worker");
                    assertTrue(contexts[w].owns(account));
                    raisedPerWorker[w]++;
                    raisers++;
                }
                else
                {
                    assertFalse(contexts[w].owns(account));
                }
            }
            assertEquals(1, raisers, "exactly one worker raises for account " + account);
        }

        // sequential ids spread over every worker, none starved or overloaded
        final int fair = accounts / workerCount;
        for (int w = 0; w < workerCount; w++)
        {
            assertTrue(
                raisedPerWorker[w] > fair * 8 / 10 && raisedPerWorker[w] < fair * 12 / 10,
                "worker " + w + " raised " + raisedPerWorker[w] + " of " + accounts);
        }
    }

    @Test
    void partitionIsInRangeForAnyAccount()
    {
        final Random random = new Random(7);
        for (int i = 0; i < 100_000; i++)
        {
            final long account = random.nextLong();
            for (int n = 1; n <= 8; n++)
            {
                final int p = RuleContext.partition(account, n);
                assertTrue(p >= 0 && p < n, "partition " + p + " of " + n + " for " + account);
            }
        }
        assertEquals(0, RuleContext.partition(Long.MIN_VALUE, 1));
        final int p = RuleContext.partition(Long.MIN_VALUE, 3);
        assertTrue(p >= 0 && p < 3);
    }

    @Test
    void alertCarriesIdentityEvidenceAccountTimeAndReason()
    {
        final LargeAmountRule rule = new LargeAmountRule(THRESHOLD, Severity.CRITICAL);
        final long offset = 123_456L;
        final long txId = 9_876_543_210L;
        final long debtor = 555_001L;
        final long creditor = 777_002L;
        final TxEvent event = payment(new TxEvent(1, 8), offset, debtor, creditor, 1_250_000L, EUR);
        event.txId = txId;

        evaluate(rule, event, 0, 1);

        assertEquals(1, event.alerts(0).count());
        final AlertRecord alert = event.alerts(0).get(0);
        assertEquals(LargeAmountRule.ID, alert.ruleId());
        assertEquals(LargeAmountRule.VERSION, alert.ruleVersion());
        assertEquals(AlertIds.alertId(LargeAmountRule.ID, LargeAmountRule.VERSION, offset), alert.alertId());
        assertEquals(offset, AlertIds.triggeringOffset(alert.alertId()));
        assertEquals(offset, alert.triggeringOffset());
        assertEquals(Severity.CRITICAL, alert.severity());
        assertEquals(debtor, alert.account());
        assertEquals(EVENT_TIME, alert.eventTime());
        assertEquals(1, alert.evidenceCount());
        assertEquals(offset, alert.evidence(0));

        final String reason = alert.reason().toString();
        assertEquals(reason.length(), alert.reason().length());
        assertTrue(reason.contains(Long.toString(txId)), reason);
        assertTrue(reason.contains("12500.00 EUR"), reason);
        assertTrue(reason.contains("10000.00 EUR"), reason);
        assertTrue(reason.contains(Long.toString(debtor)), reason);
        assertFalse(reason.contains(Long.toString(creditor)), reason);
    }

    @Test
    void comparesInTheReferenceCurrencyAndSaysBoth()
    {
        final LargeAmountRule rule = new LargeAmountRule(THRESHOLD, Severity.LOW);
        final TxEvent event = payment(new TxEvent(1, 8), 3, 10, 11, 2_000_000L, JPY);

        evaluate(rule, event, 0, 1);

        // 2,000,000 JPY at the built-in 0.0061 EUR a yen is 12,200.00 EUR, above the 10,000.00 EUR threshold
        final String reason = event.alerts(0).get(0).reason().toString();
        assertTrue(reason.contains("of 2000000 JPY (12200.00 EUR)"), reason);
        assertTrue(reason.contains("threshold of 10000.00 EUR"), reason);

        final TxEvent below = payment(new TxEvent(1, 8), 4, 10, 11, 1_600_000L, JPY);
        evaluate(rule, below, 0, 1);
        assertEquals(0, below.alerts(0).count(), "1,600,000 JPY is 9,760.00 EUR, under the threshold");
        final TxEvent minorUnitsAbove = payment(new TxEvent(1, 8), 5, 10, 11, 1_000_000L, 826);
        evaluate(rule, minorUnitsAbove, 0, 1);
        assertEquals(1, minorUnitsAbove.alerts(0).count(), "10,000.00 GBP is 11,700.00 EUR");
    }

    @Test
    void alertIdIsDeterministicAcrossInstancesAndRuns()
    {
        final TxEvent first = payment(new TxEvent(1, 8), 99, 5, 6, THRESHOLD * 3, EUR);
        final TxEvent second = payment(new TxEvent(1, 8), 99, 5, 6, THRESHOLD * 3, EUR);
        evaluate(new LargeAmountRule(THRESHOLD, Severity.HIGH), first, 0, 1);
        evaluate(new LargeAmountRule(THRESHOLD, Severity.HIGH), second, 0, 1);

        final AlertRecord a = first.alerts(0).get(0);
        final AlertRecord b = second.alerts(0).get(0);
        assertEquals(a.alertId(), b.alertId());
        assertEquals(a.score(), b.score());
        assertEquals(a.reason().toString(), b.reason().toString());
    }

    @Test
    void scoreIs500AtTheThresholdGrowsAndIsCappedAt1000()
    {
        assertEquals(500, scoreFor(THRESHOLD, THRESHOLD));
        assertEquals(500, scoreFor(THRESHOLD, THRESHOLD * 2 - 1));
        assertEquals(1000, scoreFor(THRESHOLD, THRESHOLD * 10));
        assertEquals(1000, scoreFor(THRESHOLD, THRESHOLD * 11));
        assertEquals(1000, scoreFor(THRESHOLD, THRESHOLD * 1_000_000));
        assertEquals(1000, scoreFor(THRESHOLD, Long.MAX_VALUE));

        int previous = 0;
        for (long multiple = 1; multiple <= 20; multiple++)
        {
            final int score = scoreFor(THRESHOLD, THRESHOLD * multiple);
            assertTrue(score >= previous, "score never falls as the amount grows");
            assertTrue(score >= 500 && score <= 1000, "score " + score);
            previous = score;
        }
    }

    @ParameterizedTest
    @ValueSource(longs = { 1, 10, 100, 1_000_000 })
    void scoreStaysWithin500And1000ForAnyAmountAtOrAboveTheThreshold(final long threshold)
    {
        final Random random = new Random(11);
        for (int i = 0; i < 10_000; i++)
        {
            final long amount = threshold + (random.nextLong() & Long.MAX_VALUE) % (Long.MAX_VALUE - threshold);
            final int score = scoreFor(threshold, amount);
            assertTrue(
                score >= 500 && score <= 1000,
                "threshold " + threshold + " amount " + amount + " gave score " + score);
        }
        assertEquals(1000, scoreFor(threshold, Long.MAX_VALUE), "threshold " + threshold + " amount Long.MAX_VALUE");
    }

    private static int scoreFor(final long threshold, final long amount)
    {
        final TxEvent event = payment(new TxEvent(1, 8), 1, 2, 3, amount, EUR);
        evaluate(new LargeAmountRule(threshold, Severity.HIGH), event, 0, 1);
        assertEquals(1, event.alerts(0).count(), "alert for " + amount);
        return event.alerts(0).get(0).score();
    }

    private static void evaluate(final Rule rule, final TxEvent event, final int workerIndex, final int workerCount)
    {
        final RuleContext context = new RuleContext(workerIndex, workerCount);
        context.wrap(event);
        rule.onEvent(event, context);
    }

    static TxEvent payment(
        final TxEvent event,
        final long offset,
        final long debtor,
        final long creditor,
        final long amount,
        final int currency)
    {
        event.reset();
        event.offset = offset;
        event.ingestTime = EVENT_TIME + 1000;
        event.templateId = PaymentDecoder.TEMPLATE_ID;
        event.producerId = 1;
        event.producerSeq = offset;
        event.eventTime = EVENT_TIME;
        event.txId = 1_000_000 + offset;
        event.debtorAccount = debtor;
        event.creditorAccount = creditor;
        event.amount = amount;
        event.currency = currency;
        return event;
    }

    @Test
    void parametersRejectInvalidValuesNamingTheRuleAndParameter()
    {
        assertEquals("large-amount threshold must be positive, was 0", assertThrows(IllegalArgumentException.class,
            () -> new LargeAmountRule.Parameters(0, Severity.HIGH)).getMessage());
        assertEquals("large-amount severity must be set, was null", assertThrows(IllegalArgumentException.class,
            () -> new LargeAmountRule.Parameters(THRESHOLD, null)).getMessage());
    }

    @Test
    void defaultParametersBehaveAsTheDefaultsDid()
    {
        final LargeAmountRule.Parameters defaults = LargeAmountRule.Parameters.DEFAULTS;
        assertEquals(LargeAmountRule.DEFAULT_THRESHOLD_MINOR_UNITS, defaults.threshold());
        assertEquals(Severity.HIGH, defaults.severity());
        final LargeAmountRule rule = new LargeAmountRule(defaults);
        assertSame(defaults, rule.parameters());
        assertEquals(defaults, new LargeAmountRule(LargeAmountRule.DEFAULT_THRESHOLD_MINOR_UNITS, Severity.HIGH)
            .parameters());

        final TxEvent event = payment(new TxEvent(1, 8), 7, 42, 1001, THRESHOLD, EUR);
        evaluate(rule, event, 0, 1);
        assertEquals(1, event.alerts(0).count());
        assertEquals(500, event.alerts(0).get(0).score());
        assertEquals(Severity.HIGH, event.alerts(0).get(0).severity());

        final TxEvent below = payment(new TxEvent(1, 8), 8, 42, 1002, THRESHOLD - 1, EUR);
        evaluate(rule, below, 0, 1);
        assertEquals(0, below.alerts(0).count());
        assertEquals(0, rule.horizonNanos(), "stateless");
    }
}
