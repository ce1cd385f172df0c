package io.txmon.tools;

import io.txmon.cli.CliArgs;
import io.txmon.events.codec.AccountAction;
import io.txmon.events.codec.AccountUpdateDecoder;
import io.txmon.events.codec.AlertDecoder;
import io.txmon.events.codec.Channel;
import io.txmon.events.codec.ConfigAction;
import io.txmon.events.codec.ConfigChangeDecoder;
import io.txmon.events.codec.ExecutionDecoder;
import io.txmon.events.codec.MessageHeaderDecoder;
import io.txmon.events.codec.OrderAction;
import io.txmon.events.codec.OrderDecoder;
import io.txmon.events.codec.PaymentDecoder;
import io.txmon.events.codec.RiskRating;
import io.txmon.events.codec.Side;
import io.txmon.rules.AlertFormat;
import io.txmon.rules.TxEvent;
import io.txmon.rules.TxEventDecoder;
import org.agrona.DirectBuffer;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One journal record as one line: text for a person, a JSON object, or a CSV row. Every line starts with the
 * record's offset, its ingest time in ISO 8601 (UTC) and its template name, then the decoded fields of the
 * template. Ingest events (Payment, Order, Execution, AccountUpdate, ConfigChange) share one set of CSV
 * columns, empty where a template has no such field; Alert records, the payload of the alert journal, have
 * their own. Enumerations print as names, countries and venues as their letters, amounts and prices as
 * the whole numbers the events carry (minor units, 8 implied decimals).
 * <p>
 * Not thread safe: one instance per output.
 */
public final class EventFormat
{
    /**
     * The output formats.
     */
    public enum Style
    {
        /** {@code offset=… time=… Template field=value …}. */
        TEXT,
        /** One JSON object per line. */
        JSON,
        /** Comma separated, with a header line. */
        CSV;

        /**
         * @param option name, for the message.
         * @param text   given: text, json or csv.
         * @param csv    true if csv is accepted.
         * @return the style.
         * @throws CliArgs.UsageException for anything else.
         */
        public static Style parse(final String option, final String text, final boolean csv)
        {
            final String value = text.trim().toLowerCase(Locale.ROOT);
            switch (value)
            {
                case "text":
                    return TEXT;
                case "json":
                    return JSON;
                case "csv":
                    if (csv)
                    {
                        return CSV;
                    }
                    break;
                default:
                    break;
            }
            throw new CliArgs.UsageException(option + " must be " + (csv ? "text, json or csv" : "text or json") +
                ", not '" + text + "'");
        }
    }

    /** Template id of an Alert, the record of the alert journal. */
    public static final int ALERT_TEMPLATE_ID = AlertDecoder.TEMPLATE_ID;

    private enum Column
    {
        PRODUCER_ID("producerId"),
        PRODUCER_SEQ("producerSeq"),
        EVENT_TIME("eventTime"),
        TX_ID("txId"),
        DEBTOR_ACCOUNT("debtorAccount"),
        CREDITOR_ACCOUNT("creditorAccount"),
        AMOUNT("amount"),
        CURRENCY("currency"),
        CHANNEL("channel"),
        DEBTOR_COUNTRY("debtorCountry"),
        CREDITOR_COUNTRY("creditorCountry"),
        LATITUDE("latitude"),
        LONGITUDE("longitude"),
        ORDER_ID("orderId"),
        EXEC_ID("execId"),
        ACCOUNT("account"),
        COUNTERPARTY_ACCOUNT("counterpartyAccount"),
        INSTRUMENT("instrument"),
        PRICE("price"),
        QUANTITY("quantity"),
        SIDE("side"),
        ACTION("action"),
        VENUE("venue"),
        PARTY_ID("partyId"),
        RISK_RATING("riskRating"),
        COUNTRY("country"),
        RULE_ID("ruleId"),
        KEY("key"),
        VALUE("value");

        private final String label;

        Column(final String label)
        {
            this.label = label;
        }
    }

    private static final Column[] PAYMENT = {
        Column.PRODUCER_ID, Column.PRODUCER_SEQ, Column.EVENT_TIME, Column.TX_ID, Column.DEBTOR_ACCOUNT,
        Column.CREDITOR_ACCOUNT, Column.AMOUNT, Column.CURRENCY, Column.CHANNEL, Column.DEBTOR_COUNTRY,
        Column.CREDITOR_COUNTRY, Column.LATITUDE, Column.LONGITUDE };
    private static final Column[] ORDER = {
        Column.PRODUCER_ID, Column.PRODUCER_SEQ, Column.EVENT_TIME, Column.ORDER_ID, Column.ACCOUNT,
        Column.INSTRUMENT, Column.PRICE, Column.QUANTITY, Column.SIDE, Column.ACTION, Column.VENUE };
    private static final Column[] EXECUTION = {
        Column.PRODUCER_ID, Column.PRODUCER_SEQ, Column.EVENT_TIME, Column.EXEC_ID, Column.ORDER_ID,
        Column.ACCOUNT, Column.COUNTERPARTY_ACCOUNT, Column.INSTRUMENT, Column.PRICE, Column.QUANTITY,
        Column.SIDE, Column.VENUE };
    private static final Column[] ACCOUNT_UPDATE = {
        Column.PRODUCER_ID, Column.PRODUCER_SEQ, Column.EVENT_TIME, Column.ACCOUNT, Column.PARTY_ID,
        Column.ACTION, Column.RISK_RATING, Column.COUNTRY };
    private static final Column[] CONFIG_CHANGE = {
        Column.PRODUCER_ID, Column.PRODUCER_SEQ, Column.EVENT_TIME, Column.RULE_ID, Column.ACTION, Column.KEY,
        Column.VALUE };
    private static final Column[] NONE = {};

    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    /** 10000-01-01T00:00:00Z: from there on ISO 8601 years need a sign, left to {@link TimeArgs#format}. */
    private static final long LAST_FOUR_DIGIT_YEAR_SECOND = 253_402_300_800L;
    private static final Column[] COLUMNS = Column.values();

    private static final String[] ALERT_COLUMNS = {
        "alertId", "ruleId", "rule", "ruleVersion", "severity", "score", "triggeringOffset", "account", "eventTime",
        "evidence", "reason" };

    private final Style style;
    private final TxEventDecoder eventDecoder = new TxEventDecoder();
    private final TxEvent event = new TxEvent(0, 0);
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final AlertDecoder alert = new AlertDecoder();
    private final Utf8Line line = new Utf8Line();
    private final StringBuilder scratch = new StringBuilder(256);
    private final boolean[] present = new boolean[COLUMNS.length];
    private long cachedSecond = Long.MIN_VALUE;
    private String cachedSecondText = "";

    /**
     * @param style of the lines.
     */
    public EventFormat(final Style style)
    {
        this.style = style;
    }

    /**
     * @return the style of the lines.
     */
    public Style style()
    {
        return style;
    }

    /**
     * @param alerts true for the alert journal, false for the event journal.
     * @return the CSV header line for that journal.
     */
    public static String csvHeader(final boolean alerts)
    {
        final StringBuilder header = new StringBuilder(512).append("offset,ingestTime,template");
        if (alerts)
        {
            for (final String column : ALERT_COLUMNS)
            {
                header.append(',').append(column);
            }
        }
        else
        {
            for (final Column column : Column.values())
            {
                header.append(',').append(column.label);
            }
            header.append(",payloadLength");
        }
        return header.toString();
    }

    /**
     * @param templateId of a record.
     * @return the template's name, or {@code template-<id>} for one this build does not know.
     */
    public static String templateName(final int templateId)
    {
        switch (templateId)
        {
            case PaymentDecoder.TEMPLATE_ID:
                return "Payment";
            case OrderDecoder.TEMPLATE_ID:
                return "Order";
            case ExecutionDecoder.TEMPLATE_ID:
                return "Execution";
            case AccountUpdateDecoder.TEMPLATE_ID:
                return "AccountUpdate";
            case ConfigChangeDecoder.TEMPLATE_ID:
                return "ConfigChange";
            case AlertDecoder.TEMPLATE_ID:
                return "Alert";
            default:
                return "template-" + templateId;
        }
    }

    /**
     * Format one record. The text is built in a reused builder: use it before the next call.
     *
     * @param offset        of the record.
     * @param timestamp     its ingest time, epoch nanoseconds.
     * @param templateId    of its payload.
     * @param buffer        holding the payload, a whole SBE message.
     * @param payloadOffset where it starts.
     * @param payloadLength its length.
     * @return the line, without a line separator, in UTF-8.
     */
    Utf8Line format(
        final long offset,
        final long timestamp,
        final int templateId,
        final DirectBuffer buffer,
        final int payloadOffset,
        final int payloadLength)
    {
        line.reset();
        final String template = templateName(templateId);
        switch (style)
        {
            case TEXT:
                line.append("offset=").append(offset).append(" time=");
                appendTime(timestamp);
                line.append(' ').append(template);
                break;
            case JSON:
                line.append("{\"offset\":").append(offset).append(",\"ingestTime\":\"");
                appendTime(timestamp);
                line.append("\",\"template\":\"").append(template).append('"');
                break;
            default:
                line.append(offset).append(',');
                appendTime(timestamp);
                line.append(',').append(template);
                break;
        }

        if (templateId == AlertDecoder.TEMPLATE_ID && payloadLength >= MessageHeaderDecoder.ENCODED_LENGTH)
        {
            alert.wrapAndApplyHeader(buffer, payloadOffset, header);
            appendAlert();
            return line;
        }

        event.reset();
        final boolean known = payloadLength >= MessageHeaderDecoder.ENCODED_LENGTH &&
            eventDecoder.decode(buffer, payloadOffset, event);
        final Column[] columns = known ? columns(templateId) : NONE;
        if (style == Style.CSV)
        {
            java.util.Arrays.fill(present, false);
            for (final Column column : columns)
            {
                present[column.ordinal()] = true;
            }
            for (final Column column : COLUMNS)
            {
                line.append(',');
                if (present[column.ordinal()])
                {
                    appendValue(column);
                }
            }
            line.append(',').append(payloadLength);
            return line;
        }
        for (final Column column : columns)
        {
            field(column.label);
            appendValue(column);
        }
        if (!known)
        {
            field("payloadLength");
            line.append(payloadLength);
        }
        if (style == Style.JSON)
        {
            line.append('}');
        }
        return line;
    }

    /**
     * Append a time exactly as {@link TimeArgs#format(long)} prints it, without formatting the date and time of
     * day again while the second is the same as the last record's.
     */
    private void appendTime(final long epochNanos)
    {
        final long second = Math.floorDiv(epochNanos, NANOS_PER_SECOND);
        final int nanos = (int)Math.floorMod(epochNanos, NANOS_PER_SECOND);
        if (second < 0 || second >= LAST_FOUR_DIGIT_YEAR_SECOND)
        {
            line.append(TimeArgs.format(epochNanos));
            return;
        }
        if (second != cachedSecond)
        {
            // Instant's ISO form of a whole second: "yyyy-MM-ddTHH:mm:ssZ" (seconds always shown)
            final String whole = TimeArgs.format(second * NANOS_PER_SECOND);
            cachedSecondText = whole.substring(0, whole.length() - 1);
            cachedSecond = second;
        }
        line.append(cachedSecondText);
        if (nanos != 0)
        {
            // as Instant.toString: 3, 6 or 9 digits, as few as show every non-zero digit
            final int digits = nanos % 1_000_000 == 0 ? 3 : nanos % 1_000 == 0 ? 6 : 9;
            final int value = digits == 3 ? nanos / 1_000_000 : digits == 6 ? nanos / 1_000 : nanos;
            line.append('.');
            for (int divisor = digits == 3 ? 100 : digits == 6 ? 100_000 : 100_000_000; divisor > 0; divisor /= 10)
            {
                line.append((char)('0' + (value / divisor) % 10));
            }
        }
        line.append('Z');
    }

    private void field(final String name)
    {
        if (style == Style.JSON)
        {
            line.append(",\"").append(name).append("\":");
        }
        else
        {
            line.append(' ').append(name).append('=');
        }
    }

    private static Column[] columns(final int templateId)
    {
        switch (templateId)
        {
            case PaymentDecoder.TEMPLATE_ID:
                return PAYMENT;
            case OrderDecoder.TEMPLATE_ID:
                return ORDER;
            case ExecutionDecoder.TEMPLATE_ID:
                return EXECUTION;
            case AccountUpdateDecoder.TEMPLATE_ID:
                return ACCOUNT_UPDATE;
            case ConfigChangeDecoder.TEMPLATE_ID:
                return CONFIG_CHANGE;
            default:
                return NONE;
        }
    }

    private void appendValue(final Column column)
    {
        final TxEvent e = event;
        switch (column)
        {
            case PRODUCER_ID -> line.append(e.producerId);
            case PRODUCER_SEQ -> line.append(e.producerSeq);
            case EVENT_TIME -> line.append(e.eventTime);
            case TX_ID -> line.append(e.txId);
            case DEBTOR_ACCOUNT -> line.append(e.debtorAccount);
            case CREDITOR_ACCOUNT -> line.append(e.creditorAccount);
            case AMOUNT -> line.append(e.amount);
            case CURRENCY -> line.append(e.currency);
            case CHANNEL -> name(Channel.get((short)e.channel).name());
            case DEBTOR_COUNTRY -> letters(e.debtorCountry, 2);
            case CREDITOR_COUNTRY -> letters(e.creditorCountry, 2);
            case LATITUDE -> line.append(e.latitude);
            case LONGITUDE -> line.append(e.longitude);
            case ORDER_ID -> line.append(e.orderId);
            case EXEC_ID -> line.append(e.execId);
            case ACCOUNT -> line.append(e.account);
            case COUNTERPARTY_ACCOUNT -> line.append(e.counterpartyAccount);
            case INSTRUMENT -> line.append(e.instrument);
            case PRICE -> line.append(e.price);
            case QUANTITY -> line.append(e.quantity);
            case SIDE -> name(Side.get((short)e.side).name());
            case ACTION -> name(actionName(e.templateId, e.action));
            case VENUE -> letters(e.venue, 4);
            case PARTY_ID -> line.append(e.partyId);
            case RISK_RATING -> name(RiskRating.get((short)e.riskRating).name());
            case COUNTRY -> letters(e.country, 2);
            case RULE_ID -> line.append(e.ruleId);
            case KEY -> text(new String(e.configKey, 0, e.configKeyLength, StandardCharsets.UTF_8));
            case VALUE -> text(new String(e.configValue, 0, e.configValueLength, StandardCharsets.UTF_8));
            default -> throw new IllegalStateException(column.name());
        }
    }

    private static String actionName(final int templateId, final int action)
    {
        switch (templateId)
        {
            case OrderDecoder.TEMPLATE_ID:
                return OrderAction.get((short)action).name();
            case AccountUpdateDecoder.TEMPLATE_ID:
                return AccountAction.get((short)action).name();
            case ConfigChangeDecoder.TEMPLATE_ID:
                return ConfigAction.get((short)action).name();
            default:
                return Integer.toString(action);
        }
    }

    private void name(final String value)
    {
        if (style == Style.JSON)
        {
            line.append('"').append(value).append('"');
        }
        else
        {
            line.append(value);
        }
    }

    private void letters(final int packed, final int count)
    {
        scratch.setLength(0);
        for (int i = count - 1; i >= 0; i--)
        {
            final char c = (char)((packed >>> (8 * i)) & 0xFF);
            if (c != 0)
            {
                scratch.append(c);
            }
        }
        text(scratch);
    }

    private void text(final CharSequence value)
    {
        switch (style)
        {
            case JSON:
                line.append('"');
                for (int i = 0; i < value.length(); i++)
                {
                    final char c = value.charAt(i);
                    if (c == '"' || c == '\\')
                    {
                        line.append('\\').append(c);
                    }
                    else if (c < 0x20)
                    {
                        line.append(String.format(Locale.ROOT, "\\u%04x", (int)c));
                    }
                    else
                    {
                        line.append(c);
                    }
                }
                line.append('"');
                break;
            case CSV:
                csv(value);
                break;
            default:
                boolean plain = value.length() > 0;
                for (int i = 0; i < value.length() && plain; i++)
                {
                    plain = value.charAt(i) > ' ' && value.charAt(i) != '"';
                }
                if (plain)
                {
                    line.append(value);
                }
                else
                {
                    line.append('"').append(value.toString().replace("\"", "\\\"")).append('"');
                }
                break;
        }
    }

    private void csv(final CharSequence value)
    {
        boolean quote = false;
        for (int i = 0; i < value.length() && !quote; i++)
        {
            final char c = value.charAt(i);
            quote = c == ',' || c == '"' || c == '\n' || c == '\r';
        }
        if (quote)
        {
            line.append('"').append(value.toString().replace("\"", "\"\"")).append('"');
        }
        else
        {
            line.append(value);
        }
    }

    private void appendAlert()
    {
        switch (style)
        {
            case TEXT:
                line.append(' ').append(AlertFormat.text(alert, scratch));
                break;
            case JSON:
                line.append(',').append(AlertFormat.json(alert, scratch), 1, scratch.length());
                break;
            default:
                line.append(',').append(Long.toHexString(alert.alertId()))
                    .append(',').append(alert.ruleId())
                    .append(',').append(AlertFormat.ruleName(alert.ruleId()))
                    .append(',').append(alert.ruleVersion())
                    .append(',').append(alert.severity().name())
                    .append(',').append(alert.score())
                    .append(',').append(alert.triggeringOffset())
                    .append(',').append(alert.account())
                    .append(',').append(alert.eventTime())
                    .append(',');
                boolean first = true;
                for (final AlertDecoder.EvidenceDecoder evidence : alert.evidence())
                {
                    line.append(first ? "" : ";").append(evidence.offset());
                    first = false;
                }
                line.append(',');
                csv(alert.reason());
                break;
        }
    }
}
