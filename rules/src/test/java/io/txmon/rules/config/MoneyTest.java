package io.txmon.rules.config;

import io.txmon.events.Currencies;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@link Money}: amounts converted to the reference currency with the minor-unit digits of both, rates given or
 * built in and re-based, and settings text that names what is wrong.
 */
class MoneyTest
{
    private static final int EUR = 978;
    private static final int USD = 840;
    private static final int GBP = 826;
    private static final int JPY = 392;
    private static final int KRW = 410;

    @Test
    void theReferenceCurrencyIsTheAmountItselfAndOthersAreConvertedWithTheirDigits()
    {
        final Money money = Money.defaults();
        assertEquals(EUR, money.reference());
        assertEquals(Long.MAX_VALUE, money.toReference(Long.MAX_VALUE, EUR), "the reference: exact, never rounded");
        assertEquals(123_456_789_012_345_677L, money.toReference(123_456_789_012_345_677L, EUR));
        assertEquals(92_000, money.toReference(100_000, USD), "1,000.00 USD at 0.92: 920.00 EUR");
        assertEquals(117_000, money.toReference(100_000, GBP));
        assertEquals(610_000, money.toReference(1_000_000, JPY), "JPY has no minor digits: 1,000,000 yen is 6,100.00");
        assertEquals(67, money.toReference(1_000, KRW));
        assertEquals(1, money.toReference(1, KRW), "a positive amount stays at least one minor unit");
        assertEquals(0, money.toReference(0, USD));
        assertEquals(-92, money.toReference(-100, USD));
        assertEquals(Long.MAX_VALUE, money.toReference(Long.MAX_VALUE, GBP), "saturated, not wrapped");
        assertEquals(0, money.toReference(1_000, 999), "a currency txmon refuses converts to nothing");
        assertEquals(0, money.toReference(1_000, -1));
        assertEquals(0, money.toReference(1_000, 70_000));
    }

    @Test
    void everyCurrencyTxmonAcceptsHasARateAndGivenRatesReplaceThem()
    {
        final Money money = Money.defaults();
        for (int code = 0; code <= Currencies.MAX_NUMERIC_CODE; code++)
        {
            if (Currencies.isKnown(code))
            {
                assertTrue(money.rate(code).signum() > 0, Currencies.alpha(code));
                assertTrue(money.toReference(1_000_000_000L, code) > 0, Currencies.alpha(code));
            }
        }
        final Money given = money.withRates("usd:0.95, GBP : 1.2000");
        assertEquals(new BigDecimal("0.95"), given.rate(USD));
        assertEquals(95_000, given.toReference(100_000, USD));
        assertEquals("GBP:1.2,USD:0.95", given.ratesText(), "code order, shortest form");
        assertEquals(money.rate(JPY), given.rate(JPY), "the others keep their built-in rate");
        assertEquals(given, money.withRates(given.ratesText()), "the text reads back to the same settings");
        assertEquals(money, given.withRates(""), "no rates: the built-in ones");

        final Money one = given.withRate("CHF:1.1", true);
        assertEquals(new BigDecimal("1.1"), one.rate(756));
        assertEquals(money.rate(USD), one.withRate("USD", false).rate(USD), "taken back to the built-in rate");
    }

    @Test
    void anotherReferenceRebasesTheBuiltInRatesAndResetsGivenOnes()
    {
        final Money usd = Money.defaults().withRates("GBP:1.3").withReference("USD");
        assertEquals(USD, usd.reference());
        assertEquals("", usd.ratesText(), "setting the reference resets the rates");
        assertEquals(100_000, usd.toReference(100_000, USD));
        assertEquals(108_695, usd.toReference(100_000, EUR), "1 / 0.92 dollars a euro, truncated");
        assertEquals(usd, Money.defaults().withReference("840"), "numeric codes too");
        final Money yen = Money.defaults().withReference("JPY");
        assertEquals(16_393, yen.toReference(10_000, EUR), "100.00 EUR is 16,393 yen: JPY has no minor digits");
    }

    @Test
    void badSettingsNameWhatIsWrong()
    {
        final Money money = Money.defaults();
        assertMessage("'XYZ' is not a currency txmon accepts", () -> money.withReference("XYZ"));
        assertMessage("'999' is not a currency txmon accepts", () -> money.withReference("999"));
        assertMessage("'USD' is not CODE:rate", () -> money.withRates("USD"));
        assertMessage("'USD:abc': the rate is not a decimal number", () -> money.withRates("USD:abc"));
        assertMessage("'USD:0': the rate must be above 0", () -> money.withRates("USD:0"));
        assertMessage("'USD:-1': the rate must be above 0", () -> money.withRates("USD:-1"));
        assertMessage("'EUR:2': EUR is the reference currency, its rate is 1", () -> money.withRates("EUR:2"));
        assertEquals(money, money.withRates("EUR:1.00"), "the reference at 1 is accepted and changes nothing");
    }

    private static void assertMessage(final String expected, final Runnable change)
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, change::run);
        assertTrue(ex.getMessage().startsWith(expected), ex.getMessage());
    }
}
