package io.txmon.rules;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class ReasonBuilderTest
{
    private static final int EUR = 978;
    private static final int JPY = 392;
    private static final int USD = 840;
    private static final int UNKNOWN_CURRENCY = 999;

    @Test
    void appendsTextAndNumbers()
    {
        final ReasonBuilder reason = new ReasonBuilder();
        reason.append("payment ").append(42L).append(" of ").append(-7L);

        assertEquals("payment 42 of -7", reason.toString());
        assertEquals(16, reason.length());
        assertEquals('p', reason.buffer().getByte(0));
    }

    @Test
    void nonAsciiBecomesQuestionMark()
    {
        final ReasonBuilder reason = new ReasonBuilder().append("caf\u00e9 \u20ac");

        assertEquals("caf? ?", reason.toString());
    }

    @Test
    void appendMoneyWithTwoDigitCurrency()
    {
        assertEquals("12500.00 EUR", money(1_250_000L, EUR));
        assertEquals("12500.01 EUR", money(1_250_001L, EUR));
        assertEquals("0.05 EUR", money(5L, EUR));
        assertEquals("0.50 EUR", money(50L, EUR));
        assertEquals("1.00 USD", money(100L, USD));
        assertEquals("0.00 EUR", money(0L, EUR));
        assertEquals("92233720368547758.07 EUR", money(Long.MAX_VALUE, EUR));
    }

    @Test
    void appendMoneyWithZeroDigitCurrency()
    {
        assertEquals("12500 JPY", money(12_500L, JPY));
        assertEquals("0 JPY", money(0L, JPY));
        assertEquals("-3 JPY", money(-3L, JPY));
    }

    @Test
    void appendMoneyWithNegativeAmounts()
    {
        assertEquals("-12.50 EUR", money(-1_250L, EUR));
        assertEquals("-0.05 EUR", money(-5L, EUR));
        assertEquals("-0.99 EUR", money(-99L, EUR));
        assertEquals("-1.00 EUR", money(-100L, EUR));
        assertEquals("-1.01 EUR", money(-101L, EUR));
        assertEquals("-92233720368547758.08 EUR", money(Long.MIN_VALUE, EUR));
    }

    @Test
    void appendMoneyWithUnknownCurrencyShowsMinorUnitsAndNumericCode()
    {
        assertEquals("12345 (currency 999)", money(12_345L, UNKNOWN_CURRENCY));
        assertEquals("-1 (currency 0)", money(-1L, 0));
        assertEquals("5 (currency -1)", money(5L, -1));
        assertEquals("5 (currency 65535)", money(5L, 65_535));
    }

    @Test
    void appendMoneyAgreesWithBigDecimalForRandomAmounts()
    {
        final Random random = new Random(2024);
        for (int i = 0; i < 10_000; i++)
        {
            final long amount = random.nextLong() >> random.nextInt(63);
            final String expected = java.math.BigDecimal.valueOf(amount, 2).toPlainString() + " EUR";
            assertEquals(expected, money(amount, EUR), "amount " + amount);
        }
    }

    @Test
    void textPastCapacityIsCutAndNeverThrows()
    {
        final ReasonBuilder reason = new ReasonBuilder();
        final String text = "x".repeat(ReasonBuilder.CAPACITY + 50);

        reason.append(text);
        assertEquals(ReasonBuilder.CAPACITY, reason.length());
        assertEquals(text.substring(0, ReasonBuilder.CAPACITY), reason.toString());

        reason.append("more").append(Long.MIN_VALUE).append(Long.MAX_VALUE)
            .appendMoney(Long.MIN_VALUE, EUR).appendMoney(12L, UNKNOWN_CURRENCY).appendMoney(1L, JPY);
        assertEquals(ReasonBuilder.CAPACITY, reason.length());
        assertEquals(text.substring(0, ReasonBuilder.CAPACITY), reason.toString());
    }

    @Test
    void randomAppendsNeverThrowNorExceedCapacity()
    {
        final Random random = new Random(99);
        final ReasonBuilder reason = new ReasonBuilder();
        for (int round = 0; round < 2_000; round++)
        {
            reason.clear();
            for (int i = 0; i < 40; i++)
            {
                switch (random.nextInt(3))
                {
                    case 0:
                        reason.append("y".repeat(random.nextInt(30)));
                        break;
                    case 1:
                        reason.append(random.nextLong());
                        break;
                    default:
                        reason.appendMoney(random.nextLong(), random.nextBoolean() ? EUR : random.nextInt(1200) - 100);
                        break;
                }
                assertTrue(reason.length() <= ReasonBuilder.CAPACITY, "length " + reason.length());
                assertEquals(reason.length(), reason.toString().length());
            }
        }
    }

    /**
     * Text that fits in {@link ReasonBuilder#CAPACITY} is kept whole: nothing is cut when there is room.
     */
    @Test
    void textThatFitsWithinCapacityIsKeptWhole()
    {
        for (int fill = 0; fill <= ReasonBuilder.CAPACITY; fill++)
        {
            final String tail = " of 12500.05 EUR from 42";
            final String full = "z".repeat(fill) + tail;
            if (full.length() > ReasonBuilder.CAPACITY)
            {
                break;
            }
            final ReasonBuilder reason = new ReasonBuilder();
            reason.append("z".repeat(fill)).append(" of ").appendMoney(1_250_005L, EUR).append(" from ").append(42L);

            assertEquals(
                tail,
                reason.toString().substring(fill),
                "after " + fill + " bytes of text the whole reason, " + full.length() + " bytes, fits in " +
                ReasonBuilder.CAPACITY);
        }
    }

    /**
     * "Text past CAPACITY bytes is cut": what is kept must be the start of the full text, never the full text
     * with pieces missing from its middle (which could show a different amount, such as 12500.0 for 12500.05).
     */
    @Test
    void cutTextIsAPrefixOfTheFullText()
    {
        for (int fill = ReasonBuilder.CAPACITY - 40; fill <= ReasonBuilder.CAPACITY; fill++)
        {
            final ReasonBuilder reason = new ReasonBuilder();
            reason.append("z".repeat(fill)).append(" of ").appendMoney(1_250_005L, EUR).append(" from ").append(42L);
            final String full = "z".repeat(fill) + " of 12500.05 EUR from 42";

            final String kept = reason.toString();
            assertTrue(
                full.startsWith(kept),
                "after " + fill + " bytes of text: kept '" + kept.substring(Math.min(fill, kept.length())) +
                "' is not a prefix of '" + full.substring(fill) + "'");
        }
    }

    @Test
    void clearStartsAgain()
    {
        final ReasonBuilder reason = new ReasonBuilder().append("abc");
        reason.clear();
        assertEquals(0, reason.length());
        assertEquals("", reason.toString());
        reason.append("d");
        assertEquals("d", reason.toString());
    }

    private static String money(final long minorUnits, final int currency)
    {
        return new ReasonBuilder().appendMoney(minorUnits, currency).toString();
    }
}
