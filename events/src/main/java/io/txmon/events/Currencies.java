package io.txmon.events;

import java.util.Arrays;

/**
 * ISO 4217 currencies known to txmon: the numeric code carried on the wire, the alphabetic code shown to
 * people, and the number of minor-unit digits that give an amount's scale.
 * <p>
 * The table holds the most used currencies only; a payment in any other currency is refused by
 * {@link MessageValidator} with {@link RejectReason#INVALID_CURRENCY}. Every lookup is allocation-free and
 * none throws: lookups by numeric code index arrays of size {@value #MAX_NUMERIC_CODE} + 1, the lookup by
 * alphabetic code scans the small table.
 */
public final class Currencies
{
    /**
     * The highest numeric code ISO 4217 can have: codes are three decimal digits.
     */
    public static final int MAX_NUMERIC_CODE = 999;

    /**
     * Returned by the lookups for a code that is not in the table.
     */
    public static final int UNKNOWN = -1;

    private static final int ALPHA_LENGTH = 3;

    // Three columns of one table: numeric code, alphabetic code and minor-unit digits, from ISO 4217 list one.
    private static final int[] NUMERICS =
    {
        840, 978, 826, 392, 756, 124, 36, 554, 752, 578,
        208, 985, 203, 348, 946, 949, 156, 344, 702, 410,
        356, 360, 458, 764, 608, 901, 710, 986, 484, 32,
        152, 170, 784, 682, 376, 818, 566, 404, 643, 980,
    };

    private static final String[] ALPHAS =
    {
        "USD", "EUR", "GBP", "JPY", "CHF", "CAD", "AUD", "NZD", "SEK", "NOK",
        "DKK", "PLN", "CZK", "HUF", "RON", "TRY", "CNY", "HKD", "SGD", "KRW",
        "INR", "IDR", "MYR", "THB", "PHP", "TWD", "ZAR", "BRL", "MXN", "ARS",
        "CLP", "COP", "AED", "SAR", "ILS", "EGP", "NGN", "KES", "RUB", "UAH",
    };

    private static final int[] MINOR_UNITS =
    {
        2, 2, 2, 0, 2, 2, 2, 2, 2, 2,
        2, 2, 2, 2, 2, 2, 2, 2, 2, 0,
        2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
        0, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    };

    private static final boolean[] KNOWN_BY_NUMERIC = new boolean[MAX_NUMERIC_CODE + 1];
    private static final String[] ALPHA_BY_NUMERIC = new String[MAX_NUMERIC_CODE + 1];
    private static final int[] MINOR_UNITS_BY_NUMERIC = new int[MAX_NUMERIC_CODE + 1];

    static
    {
        if (NUMERICS.length != ALPHAS.length || NUMERICS.length != MINOR_UNITS.length)
        {
            throw new IllegalStateException("currency table columns differ in length");
        }

        Arrays.fill(MINOR_UNITS_BY_NUMERIC, UNKNOWN);

        for (int i = 0; i < NUMERICS.length; i++)
        {
            final int numeric = NUMERICS[i];
            if (numeric < 0 || numeric > MAX_NUMERIC_CODE || KNOWN_BY_NUMERIC[numeric] ||
                ALPHA_LENGTH != ALPHAS[i].length())
            {
                throw new IllegalStateException("bad currency table entry: " + ALPHAS[i]);
            }

            KNOWN_BY_NUMERIC[numeric] = true;
            ALPHA_BY_NUMERIC[numeric] = ALPHAS[i];
            MINOR_UNITS_BY_NUMERIC[numeric] = MINOR_UNITS[i];
        }
    }

    private Currencies()
    {
    }

    /**
     * Is the ISO 4217 numeric code one of the currencies in the table?
     *
     * @param numeric ISO 4217 numeric code, e.g. 840 for USD.
     * @return true if the currency is in the table, false for any other value, negative ones included.
     */
    public static boolean isKnown(final int numeric)
    {
        return numeric >= 0 && numeric <= MAX_NUMERIC_CODE && KNOWN_BY_NUMERIC[numeric];
    }

    /**
     * The number of minor-unit digits of the currency: an amount of {@code n} minor units is
     * {@code n / 10^minorUnits(currency)} major units.
     *
     * @param numeric ISO 4217 numeric code.
     * @return the number of minor-unit digits, e.g. 2 for USD and 0 for JPY, or {@link #UNKNOWN} if the currency
     * is not in the table.
     */
    public static int minorUnits(final int numeric)
    {
        return numeric >= 0 && numeric <= MAX_NUMERIC_CODE ? MINOR_UNITS_BY_NUMERIC[numeric] : UNKNOWN;
    }

    /**
     * The ISO 4217 alphabetic code of the currency.
     *
     * @param numeric ISO 4217 numeric code.
     * @return the upper-case alphabetic code, e.g. "USD" for 840, a constant, or null if the currency is not in
     * the table.
     */
    public static String alpha(final int numeric)
    {
        return numeric >= 0 && numeric <= MAX_NUMERIC_CODE ? ALPHA_BY_NUMERIC[numeric] : null;
    }

    /**
     * The ISO 4217 numeric code of the currency with the given alphabetic code.
     *
     * @param alpha upper-case alphabetic code, e.g. "USD"; the match is exact, so "usd" is not found.
     * @return the numeric code, e.g. 840 for "USD", or {@link #UNKNOWN} if alpha is null or not in the table.
     */
    public static int numeric(final CharSequence alpha)
    {
        if (null == alpha || ALPHA_LENGTH != alpha.length())
        {
            return UNKNOWN;
        }

        final char c0 = alpha.charAt(0);
        final char c1 = alpha.charAt(1);
        final char c2 = alpha.charAt(2);

        for (int i = 0; i < ALPHAS.length; i++)
        {
            final String candidate = ALPHAS[i];
            if (c0 == candidate.charAt(0) && c1 == candidate.charAt(1) && c2 == candidate.charAt(2))
            {
                return NUMERICS[i];
            }
        }

        return UNKNOWN;
    }
}
