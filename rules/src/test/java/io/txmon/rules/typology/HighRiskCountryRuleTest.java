package io.txmon.rules.typology;

import io.txmon.events.codec.Severity;
import io.txmon.rules.AlertRecord;
import io.txmon.rules.Rule;
import io.txmon.rules.RuleContext;
import io.txmon.rules.RuleWorker;
import io.txmon.rules.TxEvent;
import io.txmon.rules.TxEventDecoder;
import io.txmon.rules.state.StateException;
import io.txmon.rules.state.StateWriter;
import org.junit.jupiter.api.Test;

import java.util.function.Consumer;

import static io.txmon.rules.typology.GeoMarketHarness.*;
import static io.txmon.rules.typology.RuleStateSupport.*;
import static org.junit.jupiter.api.Assertions.*;

class HighRiskCountryRuleTest
{
    private static final int KP = TxEventDecoder.country((byte)'K', (byte)'P');
    private static final int IR = TxEventDecoder.country((byte)'I', (byte)'R');
    private static final int DE = TxEventDecoder.country((byte)'D', (byte)'E');
    private static final int FR = TxEventDecoder.country((byte)'F', (byte)'R');

    private static int pay(final GeoMarketHarness h, final long amount, final int from, final int to)
    {
        final TxEvent e = h.paymentEvent(T0, 11, 22, amount);
        e.debtorCountry = from;
        e.creditorCountry = to;
        return h.run();
    }

    @Test
    void firesAtTheMinimumAmountSilentJustBelow()
    {
        final GeoMarketHarness h = new GeoMarketHarness(
            new HighRiskCountryRule(new String[] { "KP" }, 100_000, Severity.HIGH));
        assertEquals(0, pay(h, 99_999, DE, KP));
        assertEquals(1, pay(h, 100_000, DE, KP));
        assertEquals(0, pay(h, 10_000_000, DE, FR), "no listed country");
    }

    @Test
    void defaultsListExampleCountriesAndEveryAmount()
    {
        final GeoMarketHarness h = new GeoMarketHarness(new HighRiskCountryRule());
        assertEquals(1, pay(h, 0, IR, DE));
        assertEquals(1, pay(h, 1, DE, TxEventDecoder.country((byte)'M', (byte)'M')));
        assertEquals(0, pay(h, 1, DE, FR));
        assertEquals(0, pay(h, 1, 0, 0), "absent countries");
    }

    @Test
    void reasonNamesTheSideAndCountryWithEvidenceAndAccount()
    {
        final GeoMarketHarness h = new GeoMarketHarness(new HighRiskCountryRule());
        final long offset = h.nextOffset();
        assertEquals(1, pay(h, 250_000, DE, KP));
        final AlertRecord alert = h.alert();
        assertEquals(HighRiskCountryRule.ID, alert.ruleId());
        assertEquals(11, alert.account());
        assertEquals(700, alert.score());
        assertEquals(Severity.HIGH, alert.severity());
        assertEquals(1, alert.evidenceCount());
        assertEquals(offset, alert.evidence(0));
        final String reason = alert.reason().toString();
        assertTrue(reason.contains("creditor country KP is high-risk"), reason);
        assertFalse(reason.contains("debtor country"), reason);
        assertTrue(reason.contains("2500.00 EUR"), reason);

        assertEquals(1, pay(h, 250_000, IR, KP));
        assertEquals(900, h.alert().score(), "both sides");
        final String both = h.alert().reason().toString();
        assertTrue(both.contains("debtor country IR") && both.contains("creditor country KP"), both);
    }

    @Test
    void validatesParameters()
    {
        assertThrows(IllegalArgumentException.class, () -> new HighRiskCountryRule(null, 0, Severity.LOW));
        assertThrows(IllegalArgumentException.class,
            () -> new HighRiskCountryRule(new String[] { "kp" }, 0, Severity.LOW));
        assertThrows(IllegalArgumentException.class,
            () -> new HighRiskCountryRule(new String[] { "KPX" }, 0, Severity.LOW));
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> new HighRiskCountryRule(new String[] { "KP" }, -1, Severity.LOW));
        assertTrue(ex.getMessage().contains("minAmount"));
    }

    @Test
    void onlyTheDebtorsWorkerRaises()
    {
        final GeoMarketHarness h = new GeoMarketHarness(2, HighRiskCountryRule::new);
        for (long debtor = 1; debtor <= 200; debtor++)
        {
            final TxEvent e = h.paymentEvent(T0, debtor, debtor + 1000, 5);
            e.debtorCountry = KP;
            assertEquals(1, h.run());
            assertEquals(RuleContext.partition(debtor, 2), h.raisedBy());
            assertEquals(debtor, h.alert().account());
        }
    }

    @Test
    void steadyStateAllocatesNothing()
    {
        final GeoMarketHarness h = new GeoMarketHarness(new HighRiskCountryRule());
        assertSteadyStateAllocationFree(i ->
        {
            final TxEvent e = h.paymentEvent(T0 + i, i % 1000, 7, 100 + i);
            e.debtorCountry = (i & 1) == 0 ? KP : DE;
            e.creditorCountry = FR;
            h.run();
        });
    }

    @Test
    void parametersRejectInvalidValuesNamingTheRuleAndParameter()
    {
        assertEquals("high-risk-country countries must be two upper-case letters each, was kp",
            assertThrows(IllegalArgumentException.class,
                () -> new HighRiskCountryRule.Parameters(new String[]{ "KP", "kp" }, 0, Severity.LOW)).getMessage());
        assertEquals("high-risk-country countries must be given, was null", assertThrows(IllegalArgumentException.class,
            () -> new HighRiskCountryRule.Parameters(null, 0, Severity.LOW)).getMessage());
        assertEquals("high-risk-country minAmount must be 0 or more, was -1",
            assertThrows(IllegalArgumentException.class,
                () -> new HighRiskCountryRule.Parameters(new String[]{ "KP" }, -1, Severity.LOW)).getMessage());
        assertEquals("high-risk-country severity must be set, was null", assertThrows(IllegalArgumentException.class,
            () -> new HighRiskCountryRule.Parameters(new String[]{ "KP" }, 0, null)).getMessage());
    }

    @Test
    void defaultParametersBehaveAsTheDefaultConstructor()
    {
        final HighRiskCountryRule.Parameters defaults = HighRiskCountryRule.Parameters.DEFAULTS;
        assertArrayEquals(HighRiskCountryRule.DEFAULT_COUNTRIES, defaults.countries());
        assertEquals(HighRiskCountryRule.DEFAULT_MIN_AMOUNT, defaults.minAmount());
        assertEquals(Severity.HIGH, defaults.severity());
        assertEquals(defaults, new HighRiskCountryRule().parameters());

        final GeoMarketHarness h = new GeoMarketHarness(new HighRiskCountryRule(defaults));
        assertEquals(1, pay(h, 0, IR, DE));
        assertEquals(Severity.HIGH, h.alert().severity());
        assertEquals(1, pay(h, 1, DE, TxEventDecoder.country((byte)'M', (byte)'M')));
        assertEquals(0, pay(h, 1, DE, FR));
    }

    @Test
    void anEmptySetIsAllowedAndNeverFires()
    {
        final GeoMarketHarness h = new GeoMarketHarness(new HighRiskCountryRule(new String[0], 0, Severity.HIGH));
        assertEquals(0, pay(h, 1_000_000, KP, IR));
        assertEquals(0, pay(h, 1, 0, 0));
    }

    @Test
    void theCountryListIsCopiedInAndOut()
    {
        final String[] countries = { "KP" };
        final HighRiskCountryRule.Parameters parameters =
            new HighRiskCountryRule.Parameters(countries, 0, Severity.LOW);
        countries[0] = "FR";
        parameters.countries()[0] = "FR";
        assertArrayEquals(new String[]{ "KP" }, parameters.countries());
        assertEquals(new HighRiskCountryRule.Parameters(new String[]{ "KP" }, 0, Severity.LOW), parameters);
        assertEquals(new HighRiskCountryRule.Parameters(new String[]{ "KP" }, 0, Severity.LOW).hashCode(),
            parameters.hashCode());
        assertNotEquals(new HighRiskCountryRule.Parameters(new String[]{ "IR" }, 0, Severity.LOW), parameters);
        assertTrue(parameters.toString().contains("[KP]"), parameters.toString());

        final GeoMarketHarness h = new GeoMarketHarness(new HighRiskCountryRule(parameters));
        assertEquals(1, pay(h, 1, DE, KP));
        assertEquals(0, pay(h, 1, DE, FR));
    }

    private static Consumer<TxEvent> payAt(final long offset, final long amount, final int from, final int to)
    {
        return (x) ->
        {
            AmlNetworkTestSupport.payment(x, offset, T0, 11, 22, amount);
            x.debtorCountry = from;
            x.creditorCountry = to;
        };
    }

    @Test
    void writesNoStateAndANewInstanceDecidesAsTheOriginalAtTheMinimum()
    {
        final HighRiskCountryRule original = new HighRiskCountryRule(new String[] { "KP" }, 100_000, Severity.HIGH);
        final RuleWorker w = AmlNetworkTestSupport.worker(0, 1, original);
        final TxEvent e = new TxEvent(1, 8);
        payAt(0, 100_000, DE, KP).accept(e);
        w.evaluate(e);
        assertEquals(1, e.alerts(0).count());

        final byte[] state = stateOf(original);
        assertEquals(0, state.length, "the country set comes from the parameters, not from events");
        final HighRiskCountryRule restored =
            read(new HighRiskCountryRule(new String[] { "KP" }, 100_000, Severity.HIGH), state);
        assertEquals(Rule.PAYMENT, restored.templates());
        assertTrue(restored.snapshots());
        final RuleWorker r = AmlNetworkTestSupport.worker(0, 1, restored);

        assertEquals("700 11 [1] payment 5000001 of 1000.00 EUR from account 11 to account 22: creditor country KP is" +
            " high-risk\n", sameOnBoth(w, r, payAt(1, 100_000, DE, KP)));
        assertEquals("", sameOnBoth(w, r, payAt(2, 99_999, KP, KP)), "just below the minimum");
    }

    @Test
    void bytesWhereNoStateBelongsAreRefusedWithAStateException()
    {
        assertThrows(StateException.class, () -> read(new HighRiskCountryRule(), bytes(new StateWriter(16).putInt(0))));
        assertThrows(StateException.class, () -> read(new HighRiskCountryRule(), new byte[1]));
    }
}
