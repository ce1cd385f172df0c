package io.txmon.events;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Currency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CurrenciesTest
{
    private static final int LISTED = 40;

    @ParameterizedTest
    @CsvSource({
        "USD,840,2", "EUR,978,2", "GBP,826,2", "JPY,392,0", "CHF,756,2", "CAD,124,2", "AUD,036,2", "NZD,554,2",
        "SEK,752,2", "NOK,578,2", "DKK,208,2", "PLN,985,2", "CZK,203,2", "HUF,348,2", "RON,946,2", "TRY,949,2",
        "CNY,156,2", "HKD,344,2", "SGD,702,2", "KRW,410,0", "INR,356,2", "IDR,360,2", "MYR,458,2", "THB,764,2",
        "PHP,608,2", "TWD,901,2", "ZAR,710,2", "BRL,986,2", "MXN,484,2", "ARS,032,2", "CLP,152,0", "COP,170,2",
        "AED,784,2", "SAR,682,2", "ILS,376,2", "EGP,818,2", "NGN,566,2", "KES,404,2", "RUB,643,2", "UAH,980,2" })
    void roundTripsEveryListedCurrency(final String alpha, final String numericDigits, final int minorUnits)
    {
        // ISO 4217 writes codes as three digits; JUnit would read "036" as octal, so parse in base 10 here.
        final int numeric = Integer.parseInt(numericDigits, 10);
        assertTrue(Currencies.isKnown(numeric));
        assertEquals(alpha, Currencies.alpha(numeric));
        assertEquals(numeric, Currencies.numeric(alpha));
        assertEquals(numeric, Currencies.numeric(new StringBuilder(alpha)));
        assertEquals(minorUnits, Currencies.minorUnits(numeric));
        assertSame(Currencies.alpha(numeric), Currencies.alpha(Currencies.numeric(Currencies.alpha(numeric))));
    }

    @Test
    void agreesWithTheJdkIso4217Data()
    {
        int known = 0;
        for (int numeric = 0; numeric <= Currencies.MAX_NUMERIC_CODE; numeric++)
        {
            if (Currencies.isKnown(numeric))
            {
                known++;
                final Currency currency = Currency.getInstance(Currencies.alpha(numeric));
                assertEquals(currency.getNumericCode(), numeric, currency.getCurrencyCode());
                assertEquals(currency.getDefaultFractionDigits(), Currencies.minorUnits(numeric),
                    currency.getCurrencyCode());
            }
            else
            {
                assertNull(Currencies.alpha(numeric));
                assertEquals(Currencies.UNKNOWN, Currencies.minorUnits(numeric));
            }
        }

        assertEquals(LISTED, known);
    }

    @Test
    void minorUnits()
    {
        assertEquals(0, Currencies.minorUnits(392));
        assertEquals(2, Currencies.minorUnits(840));
        assertEquals(0, Currencies.minorUnits(410));
        assertEquals(0, Currencies.minorUnits(152));
        assertEquals(2, Currencies.minorUnits(360));
        assertEquals(-1, Currencies.minorUnits(48));
    }

    @ParameterizedTest
    @ValueSource(ints = { Integer.MIN_VALUE, -840, -1, 0, 1, 48, 999, 1000, 1840, 65535, Integer.MAX_VALUE })
    void unknownNumericCodes(final int numeric)
    {
        assertFalse(Currencies.isKnown(numeric));
        assertNull(Currencies.alpha(numeric));
        assertEquals(Currencies.UNKNOWN, Currencies.minorUnits(numeric));
    }

    @ParameterizedTest
    @ValueSource(strings = { "BHD", "usd", "Usd", "US", "USDX", "", "XXX", "E", "€UR" })
    void unknownAlphabeticCodes(final String alpha)
    {
        assertEquals(Currencies.UNKNOWN, Currencies.numeric(alpha));
    }

    @Test
    void nullAlphabeticCodeIsUnknown()
    {
        assertEquals(Currencies.UNKNOWN, Currencies.numeric(null));
    }
}
