package io.txmon.scenario;

import io.txmon.events.codec.AccountAction;
import io.txmon.events.codec.AccountUpdateEncoder;
import io.txmon.events.codec.Channel;
import io.txmon.events.codec.ExecutionEncoder;
import io.txmon.events.codec.OrderAction;
import io.txmon.events.codec.OrderEncoder;
import io.txmon.events.codec.PaymentEncoder;
import io.txmon.events.codec.RiskRating;
import io.txmon.events.codec.Side;

/**
 * One event to emit, before it is encoded: the fields of whichever template it is. Producer id, producer
 * sequence, transaction id and execution id are given when it is written ({@link EventWriter}).
 * <p>
 * Background events reuse one instance; planted events are built ahead, one instance each, and carry the case
 * they belong to and the rule id and account of the alert they must trigger (rule id 0 for the other steps of a
 * planted case).
 */
final class ScenarioEvent
{
    static final int PAYMENT = PaymentEncoder.TEMPLATE_ID;
    static final int ORDER = OrderEncoder.TEMPLATE_ID;
    static final int EXECUTION = ExecutionEncoder.TEMPLATE_ID;
    static final int ACCOUNT_UPDATE = AccountUpdateEncoder.TEMPLATE_ID;

    /** Latitude or longitude unknown: the null value of the schema's optional MicroDegrees. */
    static final int NO_POSITION = PaymentEncoder.latitudeNullValue();

    int templateId;
    long time;
    /** Order of creation among planted events: breaks ties between equal times. */
    int sequence;

    // Payment
    long debtor;
    long creditor;
    long amount;
    int currency;
    Channel channel = Channel.SEPA;
    int debtorCountry;
    int creditorCountry;
    int latitude = NO_POSITION;
    int longitude = NO_POSITION;
    byte[] referencePrefix;
    long referenceNumber = -1;

    // Order, Execution, AccountUpdate
    long orderId;
    long account;
    long counterparty;
    long instrument;
    long price;
    long quantity;
    Side side = Side.BUY;
    OrderAction orderAction = OrderAction.NEW;
    int venue;
    long party;
    AccountAction accountAction = AccountAction.OPEN;
    RiskRating riskRating = RiskRating.LOW;
    int country;

    // planted
    int ruleId;
    long alertAccount;
    /** Typology of the planted case the event belongs to, 0 for a background event. */
    int caseRule;
    /** Number of that case among its typology's cases, from 1. */
    int caseNumber;

    /**
     * Clear every field before the instance is filled again.
     */
    void clear()
    {
        templateId = 0;
        time = 0;
        sequence = 0;
        debtor = 0;
        creditor = 0;
        amount = 0;
        currency = 0;
        channel = Channel.SEPA;
        debtorCountry = 0;
        creditorCountry = 0;
        latitude = NO_POSITION;
        longitude = NO_POSITION;
        referencePrefix = null;
        referenceNumber = -1;
        orderId = 0;
        account = 0;
        counterparty = 0;
        instrument = 0;
        price = 0;
        quantity = 0;
        side = Side.BUY;
        orderAction = OrderAction.NEW;
        venue = 0;
        party = 0;
        accountAction = AccountAction.OPEN;
        riskRating = RiskRating.LOW;
        country = 0;
        ruleId = 0;
        alertAccount = 0;
        caseRule = 0;
        caseNumber = 0;
    }

    /**
     * @param code two upper-case letters.
     * @return the code packed first letter high, as stored in the country fields.
     */
    static int country(final String code)
    {
        return (code.charAt(0) << 8) | code.charAt(1);
    }

    /**
     * @param code four upper-case letters.
     * @return the code packed first letter high, as stored in the venue field.
     */
    static int mic(final String code)
    {
        return (code.charAt(0) << 24) | (code.charAt(1) << 16) | (code.charAt(2) << 8) | code.charAt(3);
    }
}
