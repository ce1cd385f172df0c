package io.txmon.events;

import io.txmon.events.codec.PaymentDecoder;
import org.agrona.DirectBuffer;

/**
 * The per-field rules of the txmon events, in one place: the engine's gate ({@link MessageValidator}) applies
 * them to every ingested message, and the producer CLI ({@code txmon produce}) applies the same methods to
 * every line it reads, so what one accepts the other accepts, and a field refused says why in both.
 * <p>
 * Every method is static, allocation-free and never throws, so the validator can call it per event.
 * <ul>
 *   <li>event time: from {@link #MIN_EVENT_TIME} (1970-01-01T00:00:00Z) to {@link #MAX_EVENT_TIME}
 *   (2200-01-01T00:00:00Z) inclusive; the engine narrows this further against its own clock and a floor
 *   (see {@code Engine.Context#minEventTime} and {@code #maxEventTimeAheadNs});</li>
 *   <li>amount: 1 to {@link #MAX_AMOUNT} minor units;</li>
 *   <li>price: 1 to {@link #MAX_PRICE} (8 implied decimals); a cancel may carry 0;</li>
 *   <li>quantity: 1 to {@link #MAX_QUANTITY};</li>
 *   <li>latitude and longitude: both unknown (the null value) or both known, within ±90 and ±180 degrees;</li>
 *   <li>country: two ASCII capital letters ({@code DE}); venue (MIC): four ASCII capitals or digits; either
 *   may be all NUL bytes, the schema's null for a char array: not given;</li>
 *   <li>text (var-data): well-formed UTF-8.</li>
 * </ul>
 */
public final class FieldRules
{
    /** Earliest event time accepted, epoch ns: 1970-01-01T00:00:00Z. */
    public static final long MIN_EVENT_TIME = 0L;

    /** Latest event time accepted, epoch ns: 2200-01-01T00:00:00Z. */
    public static final long MAX_EVENT_TIME = 7_258_118_400L * 1_000_000_000L;

    /** Largest amount accepted, in minor units: 10^15 (ten trillion euros in cents). */
    public static final long MAX_AMOUNT = 1_000_000_000_000_000L;

    /** Largest price accepted, fixed-point with 8 decimals: 10^15, i.e. 10,000,000.00000000. */
    public static final long MAX_PRICE = 1_000_000_000_000_000L;

    /** Largest quantity accepted: 10^12. */
    public static final long MAX_QUANTITY = 1_000_000_000_000L;

    /** Largest absolute latitude, micro-degrees. */
    public static final int MAX_LATITUDE = 90_000_000;

    /** Largest absolute longitude, micro-degrees. */
    public static final int MAX_LONGITUDE = 180_000_000;

    /** The null value of latitude and longitude: unknown. */
    public static final int NO_DEGREES = PaymentDecoder.latitudeNullValue();

    private FieldRules()
    {
    }

    /**
     * @param eventTime epoch ns.
     * @return whether it lies within [{@link #MIN_EVENT_TIME}, {@link #MAX_EVENT_TIME}].
     */
    public static boolean isValidEventTime(final long eventTime)
    {
        return eventTime >= MIN_EVENT_TIME && eventTime <= MAX_EVENT_TIME;
    }

    /**
     * @param amount minor units.
     * @return whether it lies within [1, {@link #MAX_AMOUNT}].
     */
    public static boolean isValidAmount(final long amount)
    {
        return amount > 0 && amount <= MAX_AMOUNT;
    }

    /**
     * @param price    fixed-point, 8 decimals.
     * @param isCancel whether the order is a cancel, which may carry a price of 0.
     * @return whether it lies within [1, {@link #MAX_PRICE}], or [0, {@link #MAX_PRICE}] for a cancel.
     */
    public static boolean isValidPrice(final long price, final boolean isCancel)
    {
        return (price > 0 || (isCancel && price == 0)) && price <= MAX_PRICE;
    }

    /**
     * @param quantity of an order or execution.
     * @return whether it lies within [1, {@link #MAX_QUANTITY}].
     */
    public static boolean isValidQuantity(final long quantity)
    {
        return quantity > 0 && quantity <= MAX_QUANTITY;
    }

    /**
     * @param latitude  micro-degrees, or {@link #NO_DEGREES}.
     * @param longitude micro-degrees, or {@link #NO_DEGREES}.
     * @return whether both are unknown, or both are known and within range.
     */
    public static boolean isValidGeo(final int latitude, final int longitude)
    {
        if (NO_DEGREES == latitude || NO_DEGREES == longitude)
        {
            return latitude == longitude;
        }

        return isValidLatitude(latitude) && isValidLongitude(longitude);
    }

    /**
     * @param latitude micro-degrees, known.
     * @return whether it lies within ±90 degrees.
     */
    public static boolean isValidLatitude(final int latitude)
    {
        return latitude >= -MAX_LATITUDE && latitude <= MAX_LATITUDE;
    }

    /**
     * @param longitude micro-degrees, known.
     * @return whether it lies within ±180 degrees.
     */
    public static boolean isValidLongitude(final int longitude)
    {
        return longitude >= -MAX_LONGITUDE && longitude <= MAX_LONGITUDE;
    }

    /**
     * @param c a character of a country code.
     * @return whether it is an ASCII capital letter.
     */
    public static boolean isCountryChar(final int c)
    {
        return c >= 'A' && c <= 'Z';
    }

    /**
     * @param c a character of a venue's MIC.
     * @return whether it is an ASCII capital letter or digit.
     */
    public static boolean isVenueChar(final int c)
    {
        return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    /**
     * @param code as text.
     * @return whether it is two ASCII capital letters, an ISO 3166 alpha-2 code in form.
     */
    public static boolean isValidCountry(final CharSequence code)
    {
        return null != code && code.length() == 2 && isCountryChar(code.charAt(0)) && isCountryChar(code.charAt(1));
    }

    /**
     * @param code as text.
     * @return whether it is four ASCII capital letters or digits, an ISO 10383 MIC in form.
     */
    public static boolean isValidVenue(final CharSequence code)
    {
        if (null == code || code.length() != 4)
        {
            return false;
        }

        for (int i = 0; i < 4; i++)
        {
            if (!isVenueChar(code.charAt(i)))
            {
                return false;
            }
        }

        return true;
    }

    /**
     * Whether {@code length} bytes from {@code index} are well-formed UTF-8 (no overlong forms, no surrogates,
     * nothing above U+10FFFF), the only text the CLI, being a Java program, can send.
     *
     * @param buffer holding the bytes.
     * @param index  of the first byte.
     * @param length in bytes.
     * @return whether the bytes are well-formed UTF-8.
     */
    public static boolean isValidUtf8(final DirectBuffer buffer, final int index, final int length)
    {
        final int end = index + length;
        int i = index;
        while (i < end)
        {
            final int b0 = buffer.getByte(i) & 0xFF;
            if (b0 < 0x80)
            {
                i++;
                continue;
            }

            final int extra;
            int lo = 0x80;
            int hi = 0xBF;
            if (b0 >= 0xC2 && b0 <= 0xDF)
            {
                extra = 1;
            }
            else if (b0 >= 0xE0 && b0 <= 0xEF)
            {
                extra = 2;
                lo = b0 == 0xE0 ? 0xA0 : 0x80;
                hi = b0 == 0xED ? 0x9F : 0xBF;
            }
            else if (b0 >= 0xF0 && b0 <= 0xF4)
            {
                extra = 3;
                lo = b0 == 0xF0 ? 0x90 : 0x80;
                hi = b0 == 0xF4 ? 0x8F : 0xBF;
            }
            else
            {
                return false;
            }

            if (extra > end - i - 1)
            {
                return false;
            }

            final int b1 = buffer.getByte(i + 1) & 0xFF;
            if (b1 < lo || b1 > hi)
            {
                return false;
            }

            for (int k = 2; k <= extra; k++)
            {
                final int b = buffer.getByte(i + k) & 0xFF;
                if (b < 0x80 || b > 0xBF)
                {
                    return false;
                }
            }

            i += extra + 1;
        }

        return true;
    }
}
