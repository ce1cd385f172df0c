package io.txmon.monitor;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.txmon.events.Currencies;
import io.txmon.events.FieldRules;
import io.txmon.events.MessageValidator;
import io.txmon.events.codec.AccountAction;
import io.txmon.events.codec.Channel;
import io.txmon.events.codec.ConfigAction;
import io.txmon.events.codec.OrderAction;
import io.txmon.events.codec.RiskRating;
import io.txmon.events.codec.Side;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * Reads one event per line, as a JSON object or as comma-separated values under a header line, into a
 * {@link ParsedEvent} in the schema's units; the library half of {@code txmon produce}.
 * <p>
 * A line names its event type in {@code type} ({@code payment}, {@code order}, {@code execution},
 * {@code account}, {@code config}) and gives the fields of that type by their schema names. Every value is
 * checked with the engine validator's own rules ({@link FieldRules}), so a line accepted here is not refused by
 * the engine's gate for a field's value (the engine may still refuse an event time against its own clock and
 * floor), and a line that fails is an
 * {@link InvalidLineException} naming the field and why, so a producer learns of it before sending rather than
 * from a reject counter.
 * <ul>
 *   <li>whole numbers (ids, accounts, quantity): a JSON integer or a string of digits (JSON cannot carry every
 *   64-bit id as a number, so quoting is accepted);</li>
 *   <li>{@code eventTime}: an ISO-8601 instant ({@code 2026-11-25T08:00:00.123Z}) or epoch nanoseconds, from
 *   1970-01-01 to 2200-01-01; optional, the producer's clock when absent;</li>
 *   <li>{@code amount}: a plain decimal in major units, e.g. {@code 1250.50} (a JSON number or string),
 *   converted to minor units with the currency's digits; more significant decimals than the currency has
 *   are refused, never rounded; positive, at most {@link FieldRules#MAX_AMOUNT} minor units;</li>
 *   <li>{@code price}: a plain decimal with at most 8 decimal places; positive, at most 10,000,000 (optional for
 *   a cancel); {@code quantity}: positive, at most {@link FieldRules#MAX_QUANTITY};</li>
 *   <li>{@code currency}: ISO 4217 alphabetic ({@code EUR}); countries: ISO 3166 alpha-2; {@code venue}: a
 *   4-character MIC (countries and venue optional: absent, they are sent as the schema's null); enumerations
 *   by name, in any case;</li>
 *   <li>{@code latitude}, {@code longitude}: decimal degrees, both or neither, rounded to micro-degrees.</li>
 * </ul>
 * Not thread safe; one per reader.
 */
final class EventLineParser
{
    /** The field naming the event type. */
    static final String TYPE = "type";
    /** The field giving the event time; optional. */
    static final String EVENT_TIME = "eventTime";

    /** Decimal places of a price: the schema's {@code FixedPrice}. */
    static final int PRICE_DECIMALS = 8;
    /** Decimal places kept of a latitude or longitude: the schema's {@code MicroDegrees}. */
    static final int DEGREE_DECIMALS = 6;

    private static final Pattern PLAIN_DECIMAL = Pattern.compile("[-+]?[0-9]+(\\.[0-9]+)?");
    private static final Pattern WHOLE_NUMBER = Pattern.compile("[-+]?[0-9]+");
    private static final int MAX_TEXT_BYTES = MessageValidator.DEFAULT_MAX_VAR_DATA_LENGTH;
    private static final BigDecimal MAX_LATITUDE = BigDecimal.valueOf(FieldRules.MAX_LATITUDE, DEGREE_DECIMALS);
    private static final BigDecimal MAX_LONGITUDE = BigDecimal.valueOf(FieldRules.MAX_LONGITUDE, DEGREE_DECIMALS);

    /** Input formats. */
    enum Format
    {
        /** One JSON object per line. */
        JSON,
        /** Comma-separated values under a header line of field names. */
        CSV
    }

    private enum Kind
    {
        STRING("a string"),
        INTEGER("a whole number"),
        DECIMAL("a decimal number"),
        BOOLEAN("true or false"),
        NULL("null"),
        STRUCTURE("an object or array"),
        TEXT("text");

        private final String description;

        Kind(final String description)
        {
            this.description = description;
        }
    }

    private record Raw(String text, Kind kind)
    {
    }

    private final Format format;
    private final String[] header;
    private final LongSupplier epochNanoClock;
    private final JsonFactory jsonFactory;
    private final Map<String, Raw> raw = new LinkedHashMap<>();

    private EventLineParser(final Format format, final String[] header, final LongSupplier epochNanoClock)
    {
        this.format = format;
        this.header = header;
        this.epochNanoClock = epochNanoClock;
        this.jsonFactory = Format.JSON == format ? new JsonFactory() : null;
    }

    /**
     * @param epochNanoClock the event time of lines that give none.
     * @return a parser of JSON lines.
     */
    static EventLineParser json(final LongSupplier epochNanoClock)
    {
        return new EventLineParser(Format.JSON, null, epochNanoClock);
    }

    /**
     * @param headerLine     the first line: field names, {@code type} among them.
     * @param epochNanoClock the event time of lines that give none.
     * @return a parser of the lines under that header.
     * @throws InvalidLineException if the header is malformed, repeats a name or names no field of any type.
     */
    static EventLineParser csv(final String headerLine, final LongSupplier epochNanoClock) throws InvalidLineException
    {
        final List<String> names;
        try
        {
            names = CsvLine.split(headerLine);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new InvalidLineException(null, "header: " + ex.getMessage());
        }
        final Set<String> seen = new HashSet<>();
        for (final String name : names)
        {
            if (name.isEmpty())
            {
                throw new InvalidLineException(null, "header: an empty column name; name every column");
            }
            if (!seen.add(name))
            {
                throw new InvalidLineException(null, "header: column '" + name + "' is named twice");
            }
            if (!isFieldOfAnyType(name))
            {
                throw new InvalidLineException(null, "header: column '" + name + "' is not a field of any event type; " +
                    "see 'txmon produce --help' for the fields of each type");
            }
        }
        if (!seen.contains(TYPE))
        {
            throw new InvalidLineException(null, "header: no 'type' column; every line needs its event type (" +
                typeNames() + ")");
        }
        return new EventLineParser(Format.CSV, names.toArray(new String[0]), epochNanoClock);
    }

    /**
     * @return the format read.
     */
    Format format()
    {
        return format;
    }

    /**
     * @param line one line of input, without its terminator, not blank.
     * @return the event, a new instance.
     * @throws InvalidLineException naming the field, when there is one, and why.
     */
    ParsedEvent parse(final String line) throws InvalidLineException
    {
        raw.clear();
        if (Format.JSON == format)
        {
            readJson(line);
        }
        else
        {
            readCsv(line);
        }

        final ParsedEvent event = new ParsedEvent();
        final Raw typeValue = raw.get(TYPE);
        if (null == typeValue || Kind.NULL == typeValue.kind || typeValue.text.isEmpty())
        {
            throw new InvalidLineException(TYPE, "missing; give one of " + typeNames());
        }
        if (Kind.STRING != typeValue.kind && Kind.TEXT != typeValue.kind)
        {
            throw new InvalidLineException(TYPE, "expected a string, not " + describe(typeValue));
        }
        event.type = ParsedEvent.Type.byLabel(typeValue.text.trim().toLowerCase(Locale.ROOT));
        if (null == event.type)
        {
            throw new InvalidLineException(TYPE, "'" + typeValue.text + "' is not one of " + typeNames());
        }
        for (final String name : raw.keySet())
        {
            if (!event.type.hasField(name))
            {
                throw new InvalidLineException(name, "not a field of " + event.type.article() + " (its fields: " +
                    String.join(", ", event.type.fields()) + ")");
            }
        }

        event.eventTime = isAbsent(EVENT_TIME) ? epochNanoClock.getAsLong() : time(EVENT_TIME);
        switch (event.type)
        {
            case PAYMENT:
                readPayment(event);
                break;
            case ORDER:
                readOrder(event);
                break;
            case EXECUTION:
                readExecution(event);
                break;
            case ACCOUNT:
                readAccount(event);
                break;
            case CONFIG:
                readConfig(event);
                break;
            default:
                throw new IllegalStateException(event.type.name());
        }
        return event;
    }

    private void readPayment(final ParsedEvent event) throws InvalidLineException
    {
        event.txId = whole("txId");
        event.debtorAccount = account("debtorAccount");
        event.creditorAccount = account("creditorAccount");
        if (event.debtorAccount == event.creditorAccount)
        {
            throw new InvalidLineException("creditorAccount", "is the debtor account " + event.debtorAccount +
                "; a payment moves money between two accounts");
        }
        event.currency = currency("currency");
        event.amount = amount("amount", event.currency);
        event.channel = enumValue("channel", Channel.values(), Channel.NULL_VAL);
        event.debtorCountry = country("debtorCountry");
        event.creditorCountry = country("creditorCountry");
        final boolean hasLatitude = !isAbsent("latitude");
        final boolean hasLongitude = !isAbsent("longitude");
        if (hasLatitude != hasLongitude)
        {
            throw new InvalidLineException(hasLatitude ? "longitude" : "latitude",
                "missing; give latitude and longitude together, or neither");
        }
        event.latitude = hasLatitude ? degrees("latitude", MAX_LATITUDE) : ParsedEvent.NO_DEGREES;
        event.longitude = hasLongitude ? degrees("longitude", MAX_LONGITUDE) : ParsedEvent.NO_DEGREES;
        event.reference = isAbsent("reference") ? null : text("reference");
    }

    private void readOrder(final ParsedEvent event) throws InvalidLineException
    {
        event.orderId = whole("orderId");
        event.account = account("account");
        event.instrument = whole("instrument");
        event.orderAction = enumValue("action", OrderAction.values(), OrderAction.NULL_VAL);
        event.price = OrderAction.CANCEL == event.orderAction && isAbsent("price") ? 0 : price("price");
        event.quantity = quantity("quantity");
        event.side = enumValue("side", Side.values(), Side.NULL_VAL);
        event.venue = venue("venue");
    }

    private void readExecution(final ParsedEvent event) throws InvalidLineException
    {
        event.execId = whole("execId");
        event.orderId = whole("orderId");
        event.account = account("account");
        event.counterpartyAccount = account("counterpartyAccount");
        event.instrument = whole("instrument");
        event.price = price("price");
        event.quantity = quantity("quantity");
        event.side = enumValue("side", Side.values(), Side.NULL_VAL);
        event.venue = venue("venue");
    }

    private void readAccount(final ParsedEvent event) throws InvalidLineException
    {
        event.account = account("account");
        event.partyId = whole("partyId");
        event.accountAction = enumValue("action", AccountAction.values(), AccountAction.NULL_VAL);
        event.riskRating = enumValue("riskRating", RiskRating.values(), RiskRating.NULL_VAL);
        event.country = country("country");
    }

    private void readConfig(final ParsedEvent event) throws InvalidLineException
    {
        final long ruleId = whole("ruleId");
        if (ruleId < Integer.MIN_VALUE || ruleId > Integer.MAX_VALUE)
        {
            throw new InvalidLineException("ruleId", ruleId + " is out of range for a 32-bit rule id");
        }
        event.ruleId = (int)ruleId;
        event.configAction = enumValue("action", ConfigAction.values(), ConfigAction.NULL_VAL);
        final boolean needsKeyAndValue = ConfigAction.ENABLE_RULE != event.configAction &&
            ConfigAction.DISABLE_RULE != event.configAction;
        event.key = needsKeyAndValue || !isAbsent("key") ? text("key") : null;
        event.value = needsKeyAndValue || !isAbsent("value") ? text("value") : null;
    }

    private void readJson(final String line) throws InvalidLineException
    {
        try (JsonParser parser = jsonFactory.createParser(line))
        {
            if (parser.nextToken() != JsonToken.START_OBJECT)
            {
                throw new InvalidLineException(null, "expected a JSON object such as {\"type\":\"payment\", ...}");
            }
            JsonToken token;
            while ((token = parser.nextToken()) != JsonToken.END_OBJECT)
            {
                if (token != JsonToken.FIELD_NAME)
                {
                    throw new InvalidLineException(null, "not valid JSON: expected a field name");
                }
                final String name = parser.currentName();
                final JsonToken value = parser.nextToken();
                final Raw rawValue;
                switch (value)
                {
                    case VALUE_STRING:
                        rawValue = new Raw(parser.getText(), Kind.STRING);
                        break;
                    case VALUE_NUMBER_INT:
                        rawValue = new Raw(parser.getText(), Kind.INTEGER);
                        break;
                    case VALUE_NUMBER_FLOAT:
                        rawValue = new Raw(parser.getText(), Kind.DECIMAL);
                        break;
                    case VALUE_TRUE:
                    case VALUE_FALSE:
                        rawValue = new Raw(parser.getText(), Kind.BOOLEAN);
                        break;
                    case VALUE_NULL:
                        rawValue = new Raw("", Kind.NULL);
                        break;
                    default:
                        parser.skipChildren();
                        rawValue = new Raw("", Kind.STRUCTURE);
                        break;
                }
                if (null != raw.put(name, rawValue))
                {
                    throw new InvalidLineException(name, "given twice");
                }
            }
            if (parser.nextToken() != null)
            {
                throw new InvalidLineException(null, "unexpected text after the JSON object; give one object per line");
            }
        }
        catch (final JsonProcessingException ex)
        {
            final JsonLocation location = ex.getLocation();
            throw new InvalidLineException(null, "not valid JSON: " + oneLine(ex.getOriginalMessage()) +
                (null == location || location.getColumnNr() < 1 ? "" : " (column " + location.getColumnNr() + ")"));
        }
        catch (final IOException ex)
        {
            throw new InvalidLineException(null, "not valid JSON: " + oneLine(ex.getMessage()));
        }
    }

    private void readCsv(final String line) throws InvalidLineException
    {
        final List<String> values;
        try
        {
            values = CsvLine.split(line);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new InvalidLineException(null, "not valid CSV: " + ex.getMessage());
        }
        if (values.size() != header.length)
        {
            throw new InvalidLineException(null, values.size() + " values for the header's " + header.length +
                " columns; leave a column empty with nothing between its commas");
        }
        for (int i = 0; i < header.length; i++)
        {
            final String value = values.get(i);
            if (!value.isEmpty())
            {
                raw.put(header[i], new Raw(value, Kind.TEXT));
            }
        }
    }

    private boolean isAbsent(final String field)
    {
        final Raw value = raw.get(field);
        return null == value || Kind.NULL == value.kind;
    }

    private Raw required(final String field) throws InvalidLineException
    {
        final Raw value = raw.get(field);
        if (null == value || Kind.NULL == value.kind)
        {
            throw new InvalidLineException(field, "required but missing");
        }
        return value;
    }

    private long whole(final String field) throws InvalidLineException
    {
        final Raw value = required(field);
        if (Kind.INTEGER != value.kind && Kind.STRING != value.kind && Kind.TEXT != value.kind)
        {
            throw new InvalidLineException(field, "expected a whole number, not " + describe(value));
        }
        final String text = value.text.trim();
        if (!WHOLE_NUMBER.matcher(text).matches())
        {
            throw new InvalidLineException(field, "expected a whole number, not " + describe(value));
        }
        try
        {
            return Long.parseLong(text);
        }
        catch (final NumberFormatException ex)
        {
            throw new InvalidLineException(field, text + " is out of range for a 64-bit whole number");
        }
    }

    private long quantity(final String field) throws InvalidLineException
    {
        final long value = whole(field);
        if (value <= 0)
        {
            throw new InvalidLineException(field, "must be positive, was " + value);
        }
        if (!FieldRules.isValidQuantity(value))
        {
            throw new InvalidLineException(field, "must be at most " + FieldRules.MAX_QUANTITY + ", was " + value);
        }
        return value;
    }

    private long account(final String field) throws InvalidLineException
    {
        final long value = whole(field);
        if (value <= 0)
        {
            throw new InvalidLineException(field, "must be a positive account number, was " + value);
        }
        return value;
    }

    private long time(final String field) throws InvalidLineException
    {
        final long time = epochNanos(field);
        if (!FieldRules.isValidEventTime(time))
        {
            throw new InvalidLineException(field, raw.get(field).text.trim() + " is outside the times the engine " +
                "takes, " + Instant.ofEpochSecond(0, FieldRules.MIN_EVENT_TIME) + " to " +
                Instant.ofEpochSecond(0, FieldRules.MAX_EVENT_TIME) + " (epoch nanoseconds " +
                FieldRules.MIN_EVENT_TIME + " to " + FieldRules.MAX_EVENT_TIME + ")");
        }
        return time;
    }

    private long epochNanos(final String field) throws InvalidLineException
    {
        final Raw value = required(field);
        final String text = value.text.trim();
        if (Kind.INTEGER == value.kind || ((Kind.STRING == value.kind || Kind.TEXT == value.kind) &&
            WHOLE_NUMBER.matcher(text).matches()))
        {
            try
            {
                return Long.parseLong(text);
            }
            catch (final NumberFormatException ex)
            {
                throw new InvalidLineException(field, text + " is out of range for epoch nanoseconds");
            }
        }
        if (Kind.STRING != value.kind && Kind.TEXT != value.kind)
        {
            throw new InvalidLineException(field, "expected an ISO-8601 instant or whole epoch nanoseconds, not " +
                describe(value));
        }
        try
        {
            final Instant instant = Instant.parse(text);
            return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano());
        }
        catch (final DateTimeParseException ex)
        {
            throw new InvalidLineException(field, "'" + text + "' is neither an ISO-8601 instant such as " +
                "2026-11-25T08:00:00.123Z nor whole epoch nanoseconds");
        }
        catch (final ArithmeticException ex)
        {
            throw new InvalidLineException(field, "'" + text + "' is outside the times the engine takes, " +
                Instant.ofEpochSecond(0, FieldRules.MIN_EVENT_TIME) + " to " +
                Instant.ofEpochSecond(0, FieldRules.MAX_EVENT_TIME));
        }
    }

    private int currency(final String field) throws InvalidLineException
    {
        final String text = string(field).trim().toUpperCase(Locale.ROOT);
        final int numeric = Currencies.numeric(text);
        if (Currencies.UNKNOWN == numeric)
        {
            throw new InvalidLineException(field, "'" + text + "' is not an ISO 4217 currency txmon knows, such as " +
                "EUR, USD or JPY");
        }
        return numeric;
    }

    private long amount(final String field, final int currency) throws InvalidLineException
    {
        final int digits = Currencies.minorUnits(currency);
        final String alpha = Currencies.alpha(currency);
        final long minorUnits = scaled(field, digits, alpha + (digits == 0 ? " has no decimal places" :
            " has " + digits + " decimal place" + (digits == 1 ? "" : "s")));
        if (minorUnits <= 0)
        {
            throw new InvalidLineException(field, "must be positive, was " + raw.get(field).text.trim());
        }
        if (!FieldRules.isValidAmount(minorUnits))
        {
            throw new InvalidLineException(field, "must be at most " +
                BigDecimal.valueOf(FieldRules.MAX_AMOUNT, digits).toPlainString() + " " + alpha + " (" +
                FieldRules.MAX_AMOUNT + " minor units), was " + raw.get(field).text.trim());
        }
        return minorUnits;
    }

    private long price(final String field) throws InvalidLineException
    {
        final long price = scaled(field, PRICE_DECIMALS, "a price has at most " + PRICE_DECIMALS + " decimal places");
        if (price <= 0)
        {
            throw new InvalidLineException(field, "must be positive, was " + raw.get(field).text.trim());
        }
        if (!FieldRules.isValidPrice(price, false))
        {
            throw new InvalidLineException(field, "must be at most " +
                BigDecimal.valueOf(FieldRules.MAX_PRICE, PRICE_DECIMALS).toPlainString() + ", was " +
                raw.get(field).text.trim());
        }
        return price;
    }

    /**
     * A plain decimal as a whole number of 10^-decimals units; more significant decimals than that are refused.
     */
    private long scaled(final String field, final int decimals, final String limit) throws InvalidLineException
    {
        final BigDecimal value = decimal(field);
        final BigDecimal significant = value.signum() == 0 ? BigDecimal.ZERO : value.stripTrailingZeros();
        if (significant.scale() > decimals)
        {
            throw new InvalidLineException(field, limit + "; " + raw.get(field).text.trim() + " has " +
                significant.scale());
        }
        try
        {
            return value.setScale(decimals, RoundingMode.UNNECESSARY).unscaledValue().longValueExact();
        }
        catch (final ArithmeticException ex)
        {
            throw new InvalidLineException(field, raw.get(field).text.trim() + " is too large");
        }
    }

    private int degrees(final String field, final BigDecimal max) throws InvalidLineException
    {
        final BigDecimal value = decimal(field);
        final int microDegrees;
        if (value.abs().compareTo(max) > 0)
        {
            microDegrees = FieldRules.NO_DEGREES;
        }
        else
        {
            microDegrees = value.setScale(DEGREE_DECIMALS, RoundingMode.HALF_EVEN).unscaledValue().intValueExact();
        }
        final boolean valid = max == MAX_LATITUDE ?
            FieldRules.isValidLatitude(microDegrees) : FieldRules.isValidLongitude(microDegrees);
        if (!valid || FieldRules.NO_DEGREES == microDegrees)
        {
            final String bound = max.stripTrailingZeros().toPlainString();
            throw new InvalidLineException(field, "must be between -" + bound + " and " + bound + " degrees, was " +
                raw.get(field).text.trim());
        }
        return microDegrees;
    }

    private BigDecimal decimal(final String field) throws InvalidLineException
    {
        final Raw value = required(field);
        if (Kind.INTEGER != value.kind && Kind.DECIMAL != value.kind && Kind.STRING != value.kind &&
            Kind.TEXT != value.kind)
        {
            throw new InvalidLineException(field, "expected a decimal number, not " + describe(value));
        }
        final String text = value.text.trim();
        if (!PLAIN_DECIMAL.matcher(text).matches())
        {
            throw new InvalidLineException(field, "expected a plain decimal such as 1250.50, not " + describe(value));
        }
        return new BigDecimal(text);
    }

    private <E extends Enum<E>> E enumValue(final String field, final E[] values, final E nullValue)
        throws InvalidLineException
    {
        final String text = string(field).trim();
        final List<String> names = new ArrayList<>(values.length);
        for (final E candidate : values)
        {
            if (candidate != nullValue)
            {
                names.add(candidate.name().toLowerCase(Locale.ROOT));
                if (candidate.name().equalsIgnoreCase(text))
                {
                    return candidate;
                }
            }
        }
        throw new InvalidLineException(field, "'" + text + "' is not one of " + String.join(", ", names));
    }

    private String country(final String field) throws InvalidLineException
    {
        if (isAbsent(field))
        {
            return null;
        }
        final String text = string(field).trim().toUpperCase(Locale.ROOT);
        if (!FieldRules.isValidCountry(text))
        {
            throw new InvalidLineException(field, "'" + raw.get(field).text +
                "' is not a 2-letter ISO 3166 country code such as DE");
        }
        return text;
    }

    private String venue(final String field) throws InvalidLineException
    {
        if (isAbsent(field))
        {
            return null;
        }
        final String text = string(field).trim().toUpperCase(Locale.ROOT);
        if (!FieldRules.isValidVenue(text))
        {
            throw new InvalidLineException(field, "'" + raw.get(field).text +
                "' is not a 4-character ISO 10383 MIC such as XLON");
        }
        return text;
    }

    private String text(final String field) throws InvalidLineException
    {
        if (isAbsent(field))
        {
            throw new InvalidLineException(field, "required but missing");
        }
        final String text = string(field);
        final int bytes = text.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_TEXT_BYTES)
        {
            throw new InvalidLineException(field, "is " + bytes + " bytes in UTF-8; the engine takes at most " +
                MAX_TEXT_BYTES);
        }
        return text;
    }

    private String string(final String field) throws InvalidLineException
    {
        final Raw value = required(field);
        if (Kind.STRING != value.kind && Kind.TEXT != value.kind)
        {
            throw new InvalidLineException(field, "expected a string, not " + describe(value));
        }
        return value.text;
    }

    private static String describe(final Raw value)
    {
        switch (value.kind)
        {
            case STRING:
            case TEXT:
                return "'" + value.text + "'";
            case INTEGER:
            case DECIMAL:
                return value.kind.description + " (" + value.text + ")";
            case BOOLEAN:
                return value.text;
            default:
                return value.kind.description;
        }
    }

    private static boolean isFieldOfAnyType(final String name)
    {
        for (final ParsedEvent.Type type : ParsedEvent.Type.values())
        {
            if (type.hasField(name))
            {
                return true;
            }
        }
        return false;
    }

    private static String typeNames()
    {
        final List<String> names = new ArrayList<>();
        for (final ParsedEvent.Type type : ParsedEvent.Type.values())
        {
            names.add(type.label());
        }
        return String.join(", ", names);
    }

    private static String oneLine(final String text)
    {
        return null == text ? "" : text.replace('\n', ' ').replace('\r', ' ');
    }

    /**
     * A line that cannot be sent: the field, when one is at fault, and why.
     */
    static final class InvalidLineException extends Exception
    {
        private static final long serialVersionUID = 1L;

        private final String field;
        private final String reason;

        InvalidLineException(final String field, final String reason)
        {
            super(null == field ? reason : "field '" + field + "': " + reason);
            this.field = field;
            this.reason = reason;
        }

        /**
         * @return the field at fault, or null when the line as a whole is.
         */
        String field()
        {
            return field;
        }

        /**
         * @return why, without the field.
         */
        String reason()
        {
            return reason;
        }
    }
}
