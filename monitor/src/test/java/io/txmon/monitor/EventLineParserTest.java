package io.txmon.monitor;

import io.txmon.events.codec.AccountAction;
import io.txmon.events.codec.Channel;
import io.txmon.events.codec.ConfigAction;
import io.txmon.events.codec.OrderAction;
import io.txmon.events.codec.RiskRating;
import io.txmon.events.codec.Side;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class EventLineParserTest
{
    private static final long NOW = 1_764_057_600_123_456_789L;
    private static final String PAYMENT_FIELDS =
        "\"debtorAccount\":11,\"creditorAccount\":22,\"channel\":\"sepa\",\"debtorCountry\":\"DE\",\"creditorCountry\":\"FR\"";

    private final EventLineParser json = EventLineParser.json(() -> NOW);

    private ParsedEvent parse(final String line) throws EventLineParser.InvalidLineException
    {
        return json.parse(line);
    }

    private static String payment(final String fields)
    {
        return "{\"type\":\"payment\",\"txId\":1," + PAYMENT_FIELDS + "," + fields + "}";
    }

    private String error(final String line)
    {
        return assertThrows(EventLineParser.InvalidLineException.class, () -> json.parse(line)).getMessage();
    }

    private String paymentError(final String fields)
    {
        return error(payment(fields));
    }

    @Test
    void readsAPaymentWithEveryField() throws Exception
    {
        final ParsedEvent event = parse("{\"type\":\"payment\",\"eventTime\":\"2025-11-25T08:00:00.123456789Z\"," +
            "\"txId\":\"9007199254740993\",\"debtorAccount\":11,\"creditorAccount\":22,\"amount\":\"1250.50\"," +
            "\"currency\":\"EUR\",\"channel\":\"SEPA\",\"debtorCountry\":\"de\",\"creditorCountry\":\"FR\"," +
            "\"latitude\":48.8566,\"longitude\":-2.3522,\"reference\":\"invoice 42, \\\"Q3\\\"\"}");

        assertEquals(ParsedEvent.Type.PAYMENT, event.type);
        assertEquals(1_764_057_600_123_456_789L, event.eventTime);
        assertEquals(9_007_199_254_740_993L, event.txId, "ids beyond 2^53 survive when quoted");
        assertEquals(11, event.debtorAccount);
        assertEquals(22, event.creditorAccount);
        assertEquals(125_050, event.amount);
        assertEquals(978, event.currency);
        assertEquals(Channel.SEPA, event.channel);
        assertEquals("DE", event.debtorCountry);
        assertEquals("FR", event.creditorCountry);
        assertEquals(48_856_600, event.latitude);
        assertEquals(-2_352_200, event.longitude);
        assertEquals("invoice 42, \"Q3\"", event.reference);
    }

    @Test
    void optionalPaymentFieldsDefault() throws Exception
    {
        final ParsedEvent event = parse(payment("\"amount\":10,\"currency\":\"USD\""));
        assertEquals(NOW, event.eventTime, "eventTime defaults to the clock");
        assertEquals(ParsedEvent.NO_DEGREES, event.latitude);
        assertEquals(ParsedEvent.NO_DEGREES, event.longitude);
        assertNull(event.reference);
        assertEquals(1000, event.amount);

        final ParsedEvent withNulls = parse(payment("\"amount\":10,\"currency\":\"USD\",\"latitude\":null," +
            "\"longitude\":null,\"reference\":null,\"eventTime\":null"));
        assertEquals(ParsedEvent.NO_DEGREES, withNulls.latitude);
        assertNull(withNulls.reference);
        assertEquals(NOW, withNulls.eventTime);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "\"1250.50\" | EUR | 125050",
        "1250.5     | EUR | 125050",
        "1250       | EUR | 125000",
        "0.01       | EUR | 1",
        "\"1500\"   | JPY | 1500",
        "1500       | JPY | 1500",
        "1500.00    | JPY | 1500",
        "12.340     | USD | 1234",
        "0.1        | GBP | 10",
        "10000000000000.00 | EUR | 1000000000000000",
    })
    void convertsAmountsToMinorUnitsWithTheCurrencysDigits(final String amount, final String currency, final long minor)
        throws Exception
    {
        assertEquals(minor, parse(payment("\"amount\":" + amount + ",\"currency\":\"" + currency + "\"")).amount);
    }

    @Test
    void refusesAmountsThatWouldLoseOrInventMoney()
    {
        assertEquals("field 'amount': EUR has 2 decimal places; 12.345 has 3",
            paymentError("\"amount\":12.345,\"currency\":\"EUR\""));
        assertEquals("field 'amount': JPY has no decimal places; 1500.5 has 1",
            paymentError("\"amount\":\"1500.5\",\"currency\":\"JPY\""));
        assertEquals("field 'amount': must be positive, was -5.00",
            paymentError("\"amount\":\"-5.00\",\"currency\":\"EUR\""));
        assertEquals("field 'amount': must be positive, was 0",
            paymentError("\"amount\":0,\"currency\":\"EUR\""));
        assertEquals("field 'amount': expected a plain decimal such as 1250.50, not a decimal number (1e3)",
            paymentError("\"amount\":1e3,\"currency\":\"EUR\""));
        assertEquals("field 'amount': expected a plain decimal such as 1250.50, not '12,50'",
            paymentError("\"amount\":\"12,50\",\"currency\":\"EUR\""));
        assertEquals("field 'amount': 92233720368547758.08 is too large",
            paymentError("\"amount\":\"92233720368547758.08\",\"currency\":\"EUR\""));
        assertEquals("field 'amount': expected a decimal number, not true",
            paymentError("\"amount\":true,\"currency\":\"EUR\""));
        assertEquals("field 'amount': required but missing", paymentError("\"currency\":\"EUR\""));
    }

    @Test
    void currencyIsAnIsoAlphaCodeTxmonKnows() throws Exception
    {
        assertEquals(392, parse(payment("\"amount\":1,\"currency\":\"jpy\"")).currency);
        assertEquals("field 'currency': 'XYZ' is not an ISO 4217 currency txmon knows, such as EUR, USD or JPY",
            paymentError("\"amount\":1,\"currency\":\"XYZ\""));
        assertEquals("field 'currency': expected a string, not a whole number (978)",
            paymentError("\"amount\":1,\"currency\":978"));
        assertEquals("field 'currency': required but missing", paymentError("\"amount\":1"));
    }

    @Test
    void wholeNumbersAreNumbersOrStringsOfDigits() throws Exception
    {
        assertEquals(42, parse(payment("\"amount\":1,\"currency\":\"EUR\"").replace("\"txId\":1", "\"txId\":\"42\"")).txId);
        assertEquals("field 'txId': expected a whole number, not a decimal number (1.5)",
            error(payment("\"amount\":1,\"currency\":\"EUR\"").replace("\"txId\":1", "\"txId\":1.5")));
        assertEquals("field 'txId': expected a whole number, not 'abc'",
            error(payment("\"amount\":1,\"currency\":\"EUR\"").replace("\"txId\":1", "\"txId\":\"abc\"")));
        assertEquals("field 'txId': 9223372036854775808 is out of range for a 64-bit whole number",
            error(payment("\"amount\":1,\"currency\":\"EUR\"").replace("\"txId\":1", "\"txId\":9223372036854775808")));
        assertEquals("field 'txId': expected a whole number, not an object or array",
            error(payment("\"amount\":1,\"currency\":\"EUR\"").replace("\"txId\":1", "\"txId\":[1]")));
    }

    @Test
    void accountsArePositiveAndAPaymentNeedsTwo()
    {
        assertEquals("field 'debtorAccount': must be a positive account number, was 0",
            error(payment("\"amount\":1,\"currency\":\"EUR\"").replace("\"debtorAccount\":11", "\"debtorAccount\":0")));
        assertEquals("field 'creditorAccount': is the debtor account 11; a payment moves money between two accounts",
            error(payment("\"amount\":1,\"currency\":\"EUR\"").replace("\"creditorAccount\":22", "\"creditorAccount\":11")));
    }

    @Test
    void eventTimeIsAnInstantOrEpochNanos() throws Exception
    {
        assertEquals(1_000_000_000L, parse(payment("\"amount\":1,\"currency\":\"EUR\",\"eventTime\":\"1970-01-01T00:00:01Z\"")).eventTime);
        assertEquals(123, parse(payment("\"amount\":1,\"currency\":\"EUR\",\"eventTime\":123")).eventTime);
        assertEquals(456, parse(payment("\"amount\":1,\"currency\":\"EUR\",\"eventTime\":\"456\"")).eventTime);
        assertEquals(1_764_057_600_000_000_000L,
            parse(payment("\"amount\":1,\"currency\":\"EUR\",\"eventTime\":\"2025-11-25T09:00:00+01:00\"")).eventTime);
        assertEquals("field 'eventTime': 'yesterday' is neither an ISO-8601 instant such as 2026-11-25T08:00:00.123Z " +
            "nor whole epoch nanoseconds", paymentError("\"amount\":1,\"currency\":\"EUR\",\"eventTime\":\"yesterday\""));
        assertEquals("field 'eventTime': '2300-01-01T00:00:00Z' is outside the times the engine takes, " +
            "1970-01-01T00:00:00Z to 2200-01-01T00:00:00Z",
            paymentError("\"amount\":1,\"currency\":\"EUR\",\"eventTime\":\"2300-01-01T00:00:00Z\""));
        assertEquals("field 'eventTime': 2250-01-01T00:00:00Z is outside the times the engine takes, " +
            "1970-01-01T00:00:00Z to 2200-01-01T00:00:00Z (epoch nanoseconds 0 to 7258118400000000000)",
            paymentError("\"amount\":1,\"currency\":\"EUR\",\"eventTime\":\"2250-01-01T00:00:00Z\""));
        assertEquals("field 'eventTime': expected an ISO-8601 instant or whole epoch nanoseconds, not a decimal number (1.5)",
            paymentError("\"amount\":1,\"currency\":\"EUR\",\"eventTime\":1.5"));
    }

    @Test
    void enumerationsByNameInAnyCase() throws Exception
    {
        assertEquals(Channel.CHEQUE, parse(payment("\"amount\":1,\"currency\":\"EUR\"").replace("sepa", "Cheque")).channel);
        assertEquals("field 'channel': 'paypal' is not one of card, wire, ach, sepa, cash, crypto, cheque, internal",
            error(payment("\"amount\":1,\"currency\":\"EUR\"").replace("sepa", "paypal")));
        assertEquals("field 'channel': expected a string, not a whole number (3)",
            error(payment("\"amount\":1,\"currency\":\"EUR\"").replace("\"sepa\"", "3")));
    }

    @Test
    void countriesAreTwoLetters()
    {
        assertEquals("field 'debtorCountry': 'DEU' is not a 2-letter ISO 3166 country code such as DE",
            error(payment("\"amount\":1,\"currency\":\"EUR\"").replace("\"DE\"", "\"DEU\"")));
        assertEquals("field 'creditorCountry': 'F1' is not a 2-letter ISO 3166 country code such as DE",
            error(payment("\"amount\":1,\"currency\":\"EUR\"").replace("\"FR\"", "\"F1\"")));
    }

    @Test
    void latitudeAndLongitudeGoTogetherWithinRangeRoundedToMicroDegrees() throws Exception
    {
        final ParsedEvent event = parse(payment("\"amount\":1,\"currency\":\"EUR\",\"latitude\":\"-90\"," +
            "\"longitude\":179.99999949"));
        assertEquals(-90_000_000, event.latitude);
        assertEquals(179_999_999, event.longitude);
        assertEquals("field 'longitude': missing; give latitude and longitude together, or neither",
            paymentError("\"amount\":1,\"currency\":\"EUR\",\"latitude\":1.5"));
        assertEquals("field 'latitude': must be between -90 and 90 degrees, was 90.5",
            paymentError("\"amount\":1,\"currency\":\"EUR\",\"latitude\":90.5,\"longitude\":0"));
        assertEquals("field 'longitude': must be between -180 and 180 degrees, was -181",
            paymentError("\"amount\":1,\"currency\":\"EUR\",\"latitude\":0,\"longitude\":-181"));
    }

    @Test
    void referenceIsTextWithinTheEnginesCap()
    {
        assertEquals("field 'reference': expected a string, not a whole number (42)",
            paymentError("\"amount\":1,\"currency\":\"EUR\",\"reference\":42"));
        assertEquals("field 'reference': is 1025 bytes in UTF-8; the engine takes at most 1024",
            paymentError("\"amount\":1,\"currency\":\"EUR\",\"reference\":\"" + "x".repeat(1023) + "\u00e9\""));
    }

    @Test
    void readsOrdersExecutionsAccountsAndConfigChanges() throws Exception
    {
        final ParsedEvent order = parse("{\"type\":\"order\",\"eventTime\":5,\"orderId\":1,\"account\":7,\"instrument\":99," +
            "\"price\":\"101.12345678\",\"quantity\":10,\"side\":\"sell\",\"action\":\"amend\",\"venue\":\"xlon\"}");
        assertEquals(10_112_345_678L, order.price);
        assertEquals(10, order.quantity);
        assertEquals(Side.SELL, order.side);
        assertEquals(OrderAction.AMEND, order.orderAction);
        assertEquals("XLON", order.venue);

        final ParsedEvent cancel = parse("{\"type\":\"order\",\"orderId\":1,\"account\":7,\"instrument\":99," +
            "\"quantity\":10,\"side\":\"buy\",\"action\":\"cancel\",\"venue\":\"XNAS\"}");
        assertEquals(0, cancel.price, "a cancel may leave out its price");

        final ParsedEvent execution = parse("{\"type\":\"execution\",\"execId\":3,\"orderId\":1,\"account\":7," +
            "\"counterpartyAccount\":8,\"instrument\":99,\"price\":1,\"quantity\":2,\"side\":\"buy\",\"venue\":\"XPAR\"}");
        assertEquals(100_000_000L, execution.price);
        assertEquals(8, execution.counterpartyAccount);

        final ParsedEvent account = parse("{\"type\":\"account\",\"account\":7,\"partyId\":3,\"action\":\"close\"," +
            "\"riskRating\":\"Prohibited\",\"country\":\"GB\"}");
        assertEquals(AccountAction.CLOSE, account.accountAction);
        assertEquals(RiskRating.PROHIBITED, account.riskRating);
        assertEquals("GB", account.country);

        final ParsedEvent config = parse("{\"type\":\"config\",\"ruleId\":1,\"action\":\"set_parameter\"," +
            "\"key\":\"threshold\",\"value\":\"500\"}");
        assertEquals(ConfigAction.SET_PARAMETER, config.configAction);
        assertEquals("threshold", config.key);
        assertEquals("500", config.value);
        final ParsedEvent enable = parse("{\"type\":\"config\",\"ruleId\":1,\"action\":\"enable_rule\"}");
        assertNull(enable.key);
    }

    @Test
    void tradingFieldErrors()
    {
        final String order = "{\"type\":\"order\",\"orderId\":1,\"account\":7,\"instrument\":99,\"price\":\"PRICE\"," +
            "\"quantity\":QTY,\"side\":\"buy\",\"action\":\"new\",\"venue\":\"VENUE\"}";
        assertEquals("field 'price': a price has at most 8 decimal places; 1.123456789 has 9",
            error(order.replace("PRICE", "1.123456789").replace("QTY", "1").replace("VENUE", "XLON")));
        assertEquals("field 'price': must be positive, was -1",
            error(order.replace("PRICE", "-1").replace("QTY", "1").replace("VENUE", "XLON")));
        assertEquals("field 'quantity': must be positive, was 0",
            error(order.replace("PRICE", "1").replace("QTY", "0").replace("VENUE", "XLON")));
        assertEquals("field 'venue': 'LSE' is not a 4-character ISO 10383 MIC such as XLON",
            error(order.replace("PRICE", "1").replace("QTY", "1").replace("VENUE", "LSE")));
        assertEquals("field 'price': required but missing",
            error("{\"type\":\"order\",\"orderId\":1,\"account\":7,\"instrument\":99,\"quantity\":1,\"side\":\"buy\"," +
                "\"action\":\"new\",\"venue\":\"XLON\"}"));
        assertEquals("field 'key': required but missing",
            error("{\"type\":\"config\",\"ruleId\":1,\"action\":\"list_add\",\"value\":\"x\"}"));
        assertEquals("field 'ruleId': 4294967296 is out of range for a 32-bit rule id",
            error("{\"type\":\"config\",\"ruleId\":4294967296,\"action\":\"enable_rule\"}"));
        assertEquals("field 'riskRating': 'extreme' is not one of low, medium, high, prohibited",
            error("{\"type\":\"account\",\"account\":7,\"partyId\":3,\"action\":\"open\",\"riskRating\":\"extreme\"," +
                "\"country\":\"GB\"}"));
    }

    @Test
    void typeAndFieldNamesAreChecked()
    {
        assertEquals("field 'type': missing; give one of payment, order, execution, account, config",
            error("{\"txId\":1}"));
        assertEquals("field 'type': 'refund' is not one of payment, order, execution, account, config",
            error("{\"type\":\"refund\"}"));
        assertEquals("field 'type': expected a string, not a whole number (1)", error("{\"type\":1}"));
        assertTrue(error(payment("\"amount\":1,\"currency\":\"EUR\",\"amout\":2")).startsWith(
            "field 'amout': not a field of a payment (its fields: type, eventTime, txId, "));
        assertTrue(error("{\"type\":\"order\",\"amount\":1}").startsWith("field 'amount': not a field of an order"));
        assertEquals("field 'txId': given twice", error(payment("\"amount\":1,\"currency\":\"EUR\",\"txId\":2")));
    }

    @Test
    void malformedJsonSaysWhere()
    {
        assertTrue(error("{\"type\":\"payment\",").startsWith("not valid JSON: "), error("{\"type\":\"payment\","));
        assertTrue(error("{type:\"payment\"}").matches("not valid JSON: .*\\(column 2\\)"), error("{type:\"payment\"}"));
        assertEquals("expected a JSON object such as {\"type\":\"payment\", ...}", error("[1,2]"));
        assertEquals("unexpected text after the JSON object; give one object per line",
            error("{\"type\":\"config\",\"ruleId\":1,\"action\":\"enable_rule\"} {}"));
    }

    @Test
    void csvLinesUnderAHeader() throws Exception
    {
        final EventLineParser csv = EventLineParser.csv(
            "type,txId,debtorAccount,creditorAccount,amount,currency,channel,debtorCountry,creditorCountry,reference," +
                "orderId,account,instrument,price,quantity,side,action,venue", () -> NOW);
        final ParsedEvent payment = csv.parse(
            "payment,7,11,22,\"1250.50\",EUR,wire,DE,FR,\"invoice 42, \"\"urgent\"\"\",,,,,,,,");
        assertEquals(EventLineParser.Format.CSV, csv.format());
        assertEquals(7, payment.txId);
        assertEquals("invoice 42, \"urgent\"", payment.reference);
        assertEquals(Channel.WIRE, payment.channel);
        assertEquals(NOW, payment.eventTime);

        assertEquals(125_050, csv.parse("payment,7,11,22,1250.50,EUR,wire,DE,FR,,,,,,,,,").amount);
        assertNull(csv.parse("payment,7,11,22,1250.50,EUR,wire,DE,FR,,,,,,,,,").reference, "empty is absent");

        final ParsedEvent order = csv.parse("order,,,,,,,,,,1, 7 ,99,10.5,3,buy,new,XLON");
        assertEquals(7, order.account, "spaces around an unquoted value are trimmed");
        assertEquals(1_050_000_000L, order.price);

        final EventLineParser.InvalidLineException decimals = assertThrows(EventLineParser.InvalidLineException.class,
            () -> csv.parse("payment,7,11,22,\"1,250.50\",EUR,wire,DE,FR,,,,,,,,,"));
        assertEquals("amount", decimals.field());
        assertEquals("expected a plain decimal such as 1250.50, not '1,250.50'", decimals.reason());
        assertEquals("field 'orderId': not a field of a payment (its fields: type, eventTime, txId, debtorAccount, " +
            "creditorAccount, amount, currency, channel, debtorCountry, creditorCountry, latitude, longitude, reference)",
            assertThrows(EventLineParser.InvalidLineException.class,
                () -> csv.parse("payment,7,11,22,1,EUR,wire,DE,FR,,1,,,,,,,")).getMessage());
        assertEquals("3 values for the header's 18 columns; leave a column empty with nothing between its commas",
            assertThrows(EventLineParser.InvalidLineException.class, () -> csv.parse("payment,7,11")).getMessage());
        assertEquals("not valid CSV: the quoted field opened at column 5 is not closed; a record must fit on one line",
            assertThrows(EventLineParser.InvalidLineException.class, () -> csv.parse("a,b,\"c")).getMessage());
    }

    @Test
    void csvHeaderIsChecked()
    {
        assertEquals("header: column 'amout' is not a field of any event type; see 'txmon produce --help' for the " +
            "fields of each type", assertThrows(EventLineParser.InvalidLineException.class,
                () -> EventLineParser.csv("type,amout", () -> NOW)).getMessage());
        assertEquals("header: column 'txId' is named twice", assertThrows(EventLineParser.InvalidLineException.class,
            () -> EventLineParser.csv("type,txId,txId", () -> NOW)).getMessage());
        assertEquals("header: no 'type' column; every line needs its event type (payment, order, execution, account, " +
            "config)", assertThrows(EventLineParser.InvalidLineException.class,
                () -> EventLineParser.csv("txId,amount", () -> NOW)).getMessage());
    }

    @Test
    void csvSplitsQuotedFieldsWithCommasAndDoubledQuotes()
    {
        assertEquals(List.of("a", "b,c", "say \"hi\"", "", ""), CsvLine.split("a,\"b,c\",\"say \"\"hi\"\"\",,"));
        assertEquals(List.of(""), CsvLine.split(""));
        assertEquals(List.of("x", " padded "), CsvLine.split(" x , \" padded \" "));
        assertEquals("a quote at column 3 inside an unquoted field; quote the whole field and double the quote",
            assertThrows(IllegalArgumentException.class, () -> CsvLine.split("ab\"c")).getMessage());
        assertEquals("unexpected 'x' at column 5 after a quoted field; separate fields with commas",
            assertThrows(IllegalArgumentException.class, () -> CsvLine.split("\"ab\"x")).getMessage());
    }
}
