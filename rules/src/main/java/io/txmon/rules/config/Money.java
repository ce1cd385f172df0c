package io.txmon.rules.config;

import io.txmon.events.Currencies;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How amounts in different currencies are compared: every amount threshold of the rules is in minor units of one
 * <em>reference currency</em>, and a payment's amount is converted into it once per event, before the rules run
 * ({@link io.txmon.rules.RuleContext#referenceAmount()}), with the rate in effect at the payment's place in the
 * journal. Immutable.
 * <p>
 * <b>Settings</b> (rule keys, journaled as configuration like the rules' own, so a replay converts exactly as the
 * live engine did):
 * <ul>
 *     <li>{@code rules.money.reference}: the reference currency, an ISO 4217 code txmon knows (such as {@code EUR}
 *     or {@code 978}); default EUR, the currency the thresholds' defaults are sized for.</li>
 *     <li>{@code rules.money.rates}: rates that replace the built-in ones, as {@code CODE:rate} entries separated
 *     by commas, each the value of one major unit of the currency in major units of the reference currency (such
 *     as {@code USD:0.92, GBP:1.17} with the reference EUR).</li>
 * </ul>
 * Every currency txmon accepts ({@link Currencies}) has a rate: the built-in ones are approximate values in euros,
 * re-based on the reference currency when it is another, and are meant to be replaced by the operator's own.
 * Setting the reference currency resets the rates to those built-in ones, so give the reference first and the
 * rates after it.
 * <p>
 * <b>Conversion.</b> {@code toReference(amount, currency)} is the amount itself in the reference currency, and
 * otherwise {@code amount * rate * 10^(e_ref - e_cur)} (e the currencies' minor-unit digits) in double arithmetic,
 * truncated toward zero and saturated at the range of a long, a positive amount at least 1: the same on every Java 17 JVM (floating point is
 * strict), so live, replayed and restarted engines decide alike. Allocation-free.
 */
public final class Money
{
    /** The {@code ConfigChange} rule id of these settings: no typology has it. */
    public static final int CONFIG_ID = 0;
    /** Name in the rule keys: {@code rules.money.<key>}. */
    public static final String NAME = "money";
    /** Key of the reference currency. */
    public static final String REFERENCE = "reference";
    /** Key of the rates that replace the built-in ones. */
    public static final String RATES = "rates";

    private static final int EUR = 978;

    /** Built-in rates: euros per major unit, approximate (late 2025), for every currency txmon accepts. */
    private static final String[] BUILT_IN_EUR_RATES =
    {
        "USD:0.92", "EUR:1", "GBP:1.17", "JPY:0.0061", "CHF:1.05", "CAD:0.67", "AUD:0.60", "NZD:0.55",
        "SEK:0.087", "NOK:0.085", "DKK:0.134", "PLN:0.23", "CZK:0.040", "HUF:0.0025", "RON:0.20", "TRY:0.027",
        "CNY:0.127", "HKD:0.118", "SGD:0.69", "KRW:0.00067", "INR:0.011", "IDR:0.000057", "MYR:0.20",
        "THB:0.026", "PHP:0.016", "TWD:0.028", "ZAR:0.050", "BRL:0.17", "MXN:0.050", "ARS:0.00095",
        "CLP:0.00097", "COP:0.00023", "AED:0.25", "SAR:0.245", "ILS:0.25", "EGP:0.019", "NGN:0.00058",
        "KES:0.0071", "RUB:0.0105", "UAH:0.022",
    };
    private static final BigDecimal[] EUR_RATES = new BigDecimal[Currencies.MAX_NUMERIC_CODE + 1];
    private static final Money DEFAULTS;

    static
    {
        for (final String entry : BUILT_IN_EUR_RATES)
        {
            final int colon = entry.indexOf(':');
            EUR_RATES[Currencies.numeric(entry.substring(0, colon))] = new BigDecimal(entry.substring(colon + 1));
        }
        for (int code = 0; code <= Currencies.MAX_NUMERIC_CODE; code++)
        {
            if (Currencies.isKnown(code) && null == EUR_RATES[code])
            {
                throw new ExceptionInInitializerError("no built-in rate for " + Currencies.alpha(code));
            }
        }
        DEFAULTS = new Money(EUR, new TreeMap<>());
    }

    private final int reference;
    /** Rates given in the settings, by alphabetic code: what differs from the built-in ones. */
    private final Map<String, BigDecimal> given;
    /** Reference minor units per minor unit of each currency, by numeric code; 0 for a currency txmon refuses. */
    private final double[] factors = new double[Currencies.MAX_NUMERIC_CODE + 1];

    private Money(final int reference, final Map<String, BigDecimal> given)
    {
        this.reference = reference;
        this.given = Collections.unmodifiableMap(given);
        final int referenceDigits = Currencies.minorUnits(reference);
        for (int code = 0; code <= Currencies.MAX_NUMERIC_CODE; code++)
        {
            if (Currencies.isKnown(code))
            {
                final BigDecimal rate = rate(code);
                factors[code] = rate.scaleByPowerOfTen(referenceDigits - Currencies.minorUnits(code)).doubleValue();
            }
        }
    }

    /**
     * @return the reference currency EUR with the built-in rates.
     */
    public static Money defaults()
    {
        return DEFAULTS;
    }

    /**
     * @return ISO 4217 numeric code of the reference currency.
     */
    public int reference()
    {
        return reference;
    }

    /**
     * @param currency ISO 4217 numeric code of a currency txmon accepts.
     * @return the value of one major unit of it in major units of the reference currency: the one given in the
     * settings, else the built-in one re-based on the reference.
     * @throws IllegalArgumentException if txmon does not accept the currency.
     */
    public BigDecimal rate(final int currency)
    {
        if (!Currencies.isKnown(currency))
        {
            throw new IllegalArgumentException("currency " + currency + " is not one txmon accepts");
        }
        if (currency == reference)
        {
            return BigDecimal.ONE;
        }
        final BigDecimal rate = given.get(Currencies.alpha(currency));
        if (null != rate)
        {
            return rate;
        }
        return EUR_RATES[currency].divide(EUR_RATES[reference], java.math.MathContext.DECIMAL64);
    }

    /**
     * An amount in minor units of the reference currency. Allocation-free.
     *
     * @param minorUnits an amount in minor units of {@code currency}.
     * @param currency   ISO 4217 numeric code.
     * @return the amount converted, truncated toward zero and saturated; the amount itself in the reference
     * currency; 0 for a currency txmon does not accept (the ingest refuses payments in those).
     */
    public long toReference(final long minorUnits, final int currency)
    {
        if (currency == reference)
        {
            return minorUnits;
        }
        final double factor = currency >= 0 && currency < factors.length ? factors[currency] : 0.0;
        final long converted = (long)(minorUnits * factor);
        // a payment stays a payment: a positive amount worth less than a minor unit of the reference counts as one
        return converted == 0 && minorUnits > 0 && factor > 0.0 ? 1 : converted;
    }

    /**
     * These settings with another reference currency, and the built-in rates re-based on it.
     *
     * @param text ISO 4217 code, alphabetic or numeric, of a currency txmon accepts.
     * @return the new settings, or these if the reference and rates are the same.
     * @throws IllegalArgumentException if txmon does not accept the currency.
     */
    public Money withReference(final String text)
    {
        final int code = currency(text);
        return code == reference && given.isEmpty() ? this : new Money(code, new TreeMap<>());
    }

    /**
     * These settings with the given rates replacing every rate given before.
     *
     * @param text {@code CODE:rate} entries separated by commas; empty for the built-in rates.
     * @return the new settings.
     * @throws IllegalArgumentException naming the entry that is not a currency txmon accepts or a positive rate.
     */
    public Money withRates(final String text)
    {
        final Map<String, BigDecimal> rates = new TreeMap<>();
        for (final String entry : text.split(","))
        {
            if (!entry.isBlank())
            {
                putEntry(rates, entry);
            }
        }
        return new Money(reference, rates);
    }

    /**
     * These settings with one rate given, or taken back to its built-in value.
     *
     * @param entry {@code CODE:rate} to give a rate; {@code CODE} (or {@code CODE:rate}) to take it back.
     * @param add   true to give it, false to take it back.
     * @return the new settings.
     * @throws IllegalArgumentException naming the entry if it cannot be read.
     */
    public Money withRate(final String entry, final boolean add)
    {
        final Map<String, BigDecimal> rates = new TreeMap<>(given);
        if (add)
        {
            putEntry(rates, entry);
        }
        else
        {
            final int colon = entry.indexOf(':');
            rates.remove(Currencies.alpha(currency(colon < 0 ? entry : entry.substring(0, colon))));
        }
        return new Money(reference, rates);
    }

    /**
     * @return the reference currency's alphabetic code, as the {@code rules.money.reference} key takes it.
     */
    public String referenceText()
    {
        return Currencies.alpha(reference);
    }

    /**
     * @return the given rates as the {@code rules.money.rates} key takes them: entries in code order, each rate in
     * its shortest plain decimal form; empty if none is given.
     */
    public String ratesText()
    {
        return String.join(",", rateEntries());
    }

    /**
     * @return each given rate as one {@code CODE:rate} entry, in code order.
     */
    List<String> rateEntries()
    {
        final List<String> entries = new ArrayList<>();
        for (final Map.Entry<String, BigDecimal> entry : given.entrySet())
        {
            entries.add(entry.getKey() + ":" + plain(entry.getValue()));
        }
        return entries;
    }

    @Override
    public boolean equals(final Object other)
    {
        return other instanceof Money && ((Money)other).reference == reference && ((Money)other).given.equals(given);
    }

    @Override
    public int hashCode()
    {
        return reference * 31 + given.hashCode();
    }

    @Override
    public String toString()
    {
        return "reference " + referenceText() + (given.isEmpty() ? ", built-in rates" : ", rates " + ratesText());
    }

    private void putEntry(final Map<String, BigDecimal> rates, final String entry)
    {
        final String trimmed = entry.trim();
        final int colon = trimmed.indexOf(':');
        if (colon < 0)
        {
            throw new IllegalArgumentException("'" + trimmed + "' is not CODE:rate");
        }
        final int code = currency(trimmed.substring(0, colon));
        final BigDecimal rate;
        try
        {
            rate = new BigDecimal(trimmed.substring(colon + 1).trim());
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("'" + trimmed + "': the rate is not a decimal number");
        }
        if (rate.signum() <= 0)
        {
            throw new IllegalArgumentException("'" + trimmed + "': the rate must be above 0");
        }
        if (code == reference)
        {
            if (rate.compareTo(BigDecimal.ONE) != 0)
            {
                throw new IllegalArgumentException("'" + trimmed + "': " + Currencies.alpha(code) +
                    " is the reference currency, its rate is 1");
            }
            return;
        }
        rates.put(Currencies.alpha(code), rate.stripTrailingZeros());
    }

    private static int currency(final String text)
    {
        final String code = text.trim();
        int numeric = Currencies.UNKNOWN;
        if (!code.isEmpty() && code.chars().allMatch(Character::isDigit) && code.length() <= 3)
        {
            numeric = Integer.parseInt(code);
        }
        else if (code.length() == 3)
        {
            numeric = Currencies.numeric(code.toUpperCase(java.util.Locale.ROOT));
        }
        if (!Currencies.isKnown(numeric))
        {
            throw new IllegalArgumentException("'" + code + "' is not a currency txmon accepts; give an ISO 4217 " +
                "code such as EUR or 978 (known: " + known() + ")");
        }
        return numeric;
    }

    private static String known()
    {
        final List<String> codes = new ArrayList<>();
        for (int code = 0; code <= Currencies.MAX_NUMERIC_CODE; code++)
        {
            if (Currencies.isKnown(code))
            {
                codes.add(Currencies.alpha(code));
            }
        }
        Collections.sort(codes);
        return String.join(" ", codes);
    }

    private static String plain(final BigDecimal value)
    {
        return value.stripTrailingZeros().toPlainString();
    }

    /**
     * @return the built-in rates, euros per major unit, as {@code CODE:rate} entries (for the docs).
     */
    static List<String> builtInEuroRates()
    {
        return Arrays.asList(BUILT_IN_EUR_RATES.clone());
    }
}
