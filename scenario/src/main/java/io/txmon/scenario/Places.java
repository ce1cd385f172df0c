package io.txmon.scenario;

/**
 * Reference data of the synthetic world: the countries accounts live in, with a main city, currency and
 * weight, and pairs of far-apart cities for planted impossible travel. Positions in microdegrees.
 */
final class Places
{
    /** Countries accounts are domiciled in: ISO 3166 code, packed as in {@link ScenarioEvent#country(String)}. */
    static final int[] COUNTRY;
    /** Relative share of accounts domiciled in each country. */
    static final int[] WEIGHT;
    /** ISO 4217 numeric code of the country's currency. */
    static final int[] CURRENCY;
    /** Minor units of the country's currency worth 1,000 euro cents, roughly. */
    static final int[] PER_MILLE_OF_EURO_CENT;
    /** Latitude of the main city. */
    static final int[] LATITUDE;
    /** Longitude of the main city. */
    static final int[] LONGITUDE;

    /** Euro, for planted cases. */
    static final int EUR = 978;

    /** Pairs of cities thousands of kilometres apart: latitude, longitude, latitude, longitude. */
    static final int[][] FAR_APART =
    {
        { 48_856_600, 2_352_200, 40_712_800, -74_006_000 },     // Paris, New York
        { 51_507_400, -127_800, 1_352_100, 103_819_800 },       // London, Singapore
        { 50_110_900, 8_682_100, 25_204_800, 55_270_800 },      // Frankfurt, Dubai
        { 40_416_800, -3_703_800, -23_550_500, -46_633_300 },   // Madrid, Sao Paulo
        { 52_367_600, 4_904_100, 35_676_200, 139_650_300 },     // Amsterdam, Tokyo
        { 41_902_800, 12_496_400, -33_868_800, 151_209_300 },   // Rome, Sydney
        { 52_520_000, 13_405_000, 43_653_200, -79_383_200 },    // Berlin, Toronto
        { 38_722_300, -9_139_300, -26_204_100, 28_047_300 },    // Lisbon, Johannesburg
    };

    /** Countries of planted accounts: the euro area ones. */
    static final int[] EURO_COUNTRIES;

    private static final Object[][] TABLE =
    {
        // code, weight, currency, minor units per 1000 euro cents, latitude, longitude of the main city
        { "DE", 18, EUR, 1000, 52_520_000, 13_405_000 },
        { "FR", 15, EUR, 1000, 48_856_600, 2_352_200 },
        { "GB", 14, 826, 850, 51_507_400, -127_800 },
        { "US", 12, 840, 1080, 40_712_800, -74_006_000 },
        { "NL", 8, EUR, 1000, 52_367_600, 4_904_100 },
        { "ES", 8, EUR, 1000, 40_416_800, -3_703_800 },
        { "IT", 8, EUR, 1000, 41_902_800, 12_496_400 },
        { "BE", 4, EUR, 1000, 50_850_300, 4_351_700 },
        { "AT", 3, EUR, 1000, 48_208_200, 16_373_800 },
        { "CH", 3, 756, 950, 47_376_900, 8_541_700 },
        { "IE", 2, EUR, 1000, 53_349_800, -6_260_300 },
        { "PT", 2, EUR, 1000, 38_722_300, -9_139_300 },
        { "FI", 1, EUR, 1000, 60_169_900, 24_938_400 },
        { "PL", 2, 985, 4300, 52_229_700, 21_012_200 },
    };

    private static final int TOTAL_WEIGHT;

    static
    {
        final int n = TABLE.length;
        COUNTRY = new int[n];
        WEIGHT = new int[n];
        CURRENCY = new int[n];
        PER_MILLE_OF_EURO_CENT = new int[n];
        LATITUDE = new int[n];
        LONGITUDE = new int[n];
        int total = 0;
        int euro = 0;
        for (int i = 0; i < n; i++)
        {
            final Object[] row = TABLE[i];
            COUNTRY[i] = ScenarioEvent.country((String)row[0]);
            WEIGHT[i] = (Integer)row[1];
            CURRENCY[i] = (Integer)row[2];
            PER_MILLE_OF_EURO_CENT[i] = (Integer)row[3];
            LATITUDE[i] = (Integer)row[4];
            LONGITUDE[i] = (Integer)row[5];
            total += WEIGHT[i];
            euro += EUR == CURRENCY[i] ? 1 : 0;
        }
        TOTAL_WEIGHT = total;

        EURO_COUNTRIES = new int[euro];
        for (int i = 0, j = 0; i < n; i++)
        {
            if (EUR == CURRENCY[i])
            {
                EURO_COUNTRIES[j++] = COUNTRY[i];
            }
        }
    }

    private Places()
    {
    }

    /**
     * @param unit uniform in [0, 1).
     * @return index of a country in the tables, drawn by weight.
     */
    static int countryIndex(final double unit)
    {
        int remaining = (int)(unit * TOTAL_WEIGHT);
        for (int i = 0; i < WEIGHT.length; i++)
        {
            remaining -= WEIGHT[i];
            if (remaining < 0)
            {
                return i;
            }
        }

        return WEIGHT.length - 1;
    }
}
