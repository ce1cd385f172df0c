package io.txmon.monitor;

import io.txmon.events.codec.AccountAction;
import io.txmon.events.codec.AccountUpdateEncoder;
import io.txmon.events.codec.Channel;
import io.txmon.events.codec.ConfigAction;
import io.txmon.events.codec.ExecutionEncoder;
import io.txmon.events.codec.OrderAction;
import io.txmon.events.codec.OrderEncoder;
import io.txmon.events.codec.PaymentEncoder;
import io.txmon.events.codec.RiskRating;
import io.txmon.events.codec.Side;
import io.txmon.transport.TxmonPublisher;

/**
 * One event read by {@link EventLineParser}, its values converted to the schema's units (minor units,
 * 8-decimal fixed-point prices, epoch nanoseconds, micro-degrees, ISO numeric currency), ready to encode with
 * {@link #send(TxmonPublisher)}. Only the fields of its {@link #type} are meaningful.
 */
final class ParsedEvent
{
    /** Null value of latitude and longitude: unknown. */
    static final int NO_DEGREES = PaymentEncoder.latitudeNullValue();

    /**
     * The event types, by the name a line gives in its {@code type} field, with the fields of each in schema order.
     */
    enum Type
    {
        PAYMENT("payment", "a payment",
            "txId", "debtorAccount", "creditorAccount", "amount", "currency", "channel", "debtorCountry",
            "creditorCountry", "latitude", "longitude", "reference"),
        ORDER("order", "an order",
            "orderId", "account", "instrument", "price", "quantity", "side", "action", "venue"),
        EXECUTION("execution", "an execution",
            "execId", "orderId", "account", "counterpartyAccount", "instrument", "price", "quantity", "side", "venue"),
        ACCOUNT("account", "an account update",
            "account", "partyId", "action", "riskRating", "country"),
        CONFIG("config", "a config change",
            "ruleId", "action", "key", "value");

        private final String label;
        private final String article;
        private final String[] fields;

        Type(final String label, final String article, final String... fields)
        {
            this.label = label;
            this.article = article;
            this.fields = new String[fields.length + 2];
            this.fields[0] = EventLineParser.TYPE;
            this.fields[1] = EventLineParser.EVENT_TIME;
            System.arraycopy(fields, 0, this.fields, 2, fields.length);
        }

        /**
         * @return the name lines give it, e.g. {@code payment}.
         */
        String label()
        {
            return label;
        }

        /**
         * @return the name with an article, for messages: {@code a payment}.
         */
        String article()
        {
            return article;
        }

        /**
         * @return its field names, {@code type} and {@code eventTime} first.
         */
        String[] fields()
        {
            return fields.clone();
        }

        boolean hasField(final String name)
        {
            for (final String field : fields)
            {
                if (field.equals(name))
                {
                    return true;
                }
            }
            return false;
        }

        static Type byLabel(final String label)
        {
            for (final Type type : values())
            {
                if (type.label.equals(label))
                {
                    return type;
                }
            }
            return null;
        }
    }

    Type type;
    long eventTime;

    long txId;
    long debtorAccount;
    long creditorAccount;
    long amount;
    int currency;
    Channel channel;
    String debtorCountry;
    String creditorCountry;
    int latitude = NO_DEGREES;
    int longitude = NO_DEGREES;
    String reference;

    long orderId;
    long execId;
    long account;
    long counterpartyAccount;
    long instrument;
    long price;
    long quantity;
    Side side;
    OrderAction orderAction;
    String venue;

    long partyId;
    AccountAction accountAction;
    RiskRating riskRating;
    String country;

    int ruleId;
    ConfigAction configAction;
    String key;
    String value;

    /**
     * Encode the event with the publisher's encoder, every field set (the publisher reuses its buffer), and send it.
     *
     * @param publisher to send with; it sets the producer id and sequence.
     * @return the result of {@link TxmonPublisher#send()}: a position, or a negative failure.
     */
    long send(final TxmonPublisher publisher)
    {
        switch (type)
        {
            case PAYMENT:
            {
                final PaymentEncoder payment = publisher.payment()
                    .eventTime(eventTime)
                    .txId(txId)
                    .debtorAccount(debtorAccount)
                    .creditorAccount(creditorAccount)
                    .amount(amount)
                    .currency(currency)
                    .channel(channel)
                    .debtorCountry(orNull(debtorCountry))
                    .creditorCountry(orNull(creditorCountry))
                    .latitude(latitude)
                    .longitude(longitude);
                if (null != reference)
                {
                    payment.reference(reference);
                }
                return publisher.send();
            }

            case ORDER:
            {
                final OrderEncoder order = publisher.order();
                order
                    .eventTime(eventTime)
                    .orderId(orderId)
                    .account(account)
                    .instrument(instrument)
                    .price(price)
                    .quantity(quantity)
                    .side(side)
                    .action(orderAction)
                    .venue(orNull(venue));
                return publisher.send();
            }

            case EXECUTION:
            {
                final ExecutionEncoder execution = publisher.execution();
                execution
                    .eventTime(eventTime)
                    .execId(execId)
                    .orderId(orderId)
                    .account(account)
                    .counterpartyAccount(counterpartyAccount)
                    .instrument(instrument)
                    .price(price)
                    .quantity(quantity)
                    .side(side)
                    .venue(orNull(venue));
                return publisher.send();
            }

            case ACCOUNT:
            {
                final AccountUpdateEncoder update = publisher.accountUpdate();
                update
                    .eventTime(eventTime)
                    .account(account)
                    .partyId(partyId)
                    .action(accountAction)
                    .riskRating(riskRating)
                    .country(orNull(country));
                return publisher.send();
            }

            case CONFIG:
                return publisher.sendConfigChange(
                    eventTime, ruleId, configAction, null == key ? "" : key, null == value ? "" : value);

            default:
                throw new IllegalStateException("no type");
        }
    }

    /**
     * @return the code, or the empty text for one not given, which the encoder writes as NUL bytes: the
     * schema's null for a char array.
     */
    private static String orNull(final String code)
    {
        return null == code ? "" : code;
    }
}
