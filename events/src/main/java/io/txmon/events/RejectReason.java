package io.txmon.events;

/**
 * Why an ingested message was refused, or {@link #NONE} when it was accepted.
 * <p>
 * Each constant has a stable, small {@link #code()} from 0 (codes are allotted in ranges, so one may be
 * kept for a reason yet to come: {@link #fromCode(int)} gives null for it), so that a reason can be journaled, counted
 * in an array or sent on the wire as an integer and turned back into a constant with {@link #fromCode(int)}
 * without allocation. Codes are never reused or renumbered: new reasons are only ever appended.
 * <p>
 * Most reasons are produced by {@link MessageValidator}; {@link #EGRESS_ONLY_TEMPLATE}, {@link #DUPLICATE},
 * {@link #SEQUENCE_GAP} and {@link #TIMESTAMP_SKEW} are produced by the sequencer, which knows where a message
 * came from and what it has already accepted.
 */
public enum RejectReason
{
    /**
     * The message was accepted.
     */
    NONE(0, "accepted"),

    /**
     * Fewer bytes than the message header.
     */
    TRUNCATED_HEADER(1, "the message is shorter than the 8-byte message header"),

    /**
     * The header names another SBE schema.
     */
    WRONG_SCHEMA_ID(2, "the message header names a schema other than the txmon events schema"),

    /**
     * The header carries version 0 or a version newer than this build knows.
     */
    UNSUPPORTED_VERSION(3, "the schema version in the message header is zero or newer than this build understands"),

    /**
     * The header carries a template id that is not a txmon message.
     */
    UNKNOWN_TEMPLATE(4, "the template id in the message header is not a known message type"),

    /**
     * An Alert was sent on ingest. Produced by the sequencer, never by the validator.
     */
    EGRESS_ONLY_TEMPLATE(5, "an Alert, Ack or Refusal was sent on ingest, but those are only ever emitted by the engine"),

    /**
     * The block length of the message, or of a repeating group, is smaller than the schema's.
     */
    BLOCK_LENGTH_TOO_SMALL(6, "a block length, of the message or of a repeating group, is smaller than the schema's"),

    /**
     * The message ends before the end of its fixed-size block.
     */
    TRUNCATED_BLOCK(7, "the message ends before the end of its fixed-size block"),

    /**
     * The message ends inside a repeating group header or its entries.
     */
    TRUNCATED_GROUP(8, "the message ends inside a repeating group or its header"),

    /**
     * A repeating group has more entries than the schema allows.
     */
    GROUP_TOO_LARGE(9, "a repeating group has more entries than the schema allows"),

    /**
     * The message ends inside a variable-length field or its length prefix.
     */
    TRUNCATED_VAR_DATA(10, "the message ends inside a variable-length field or its length prefix"),

    /**
     * A variable-length field is longer than the configured maximum.
     */
    VAR_DATA_TOO_LONG(11, "a variable-length field is longer than the configured maximum"),

    /**
     * Bytes are left over after the last field of the message.
     */
    TRAILING_BYTES(12, "there are bytes left over after the last field of the message"),

    /**
     * An account is zero or negative, or a payment's debtor and creditor are the same account.
     */
    INVALID_ACCOUNT(13, "an account number is zero or negative, or the debtor and creditor are the same account"),

    /**
     * The amount is zero or negative.
     */
    INVALID_AMOUNT(14, "the amount is zero or negative"),

    /**
     * The currency is not a known ISO 4217 numeric code.
     */
    INVALID_CURRENCY(15, "the currency is not a known ISO 4217 numeric code"),

    /**
     * An enumerated field holds a value the schema does not define.
     */
    INVALID_ENUM(16, "an enumerated field holds a value the schema does not define"),

    /**
     * The price is zero or negative where a price is required.
     */
    INVALID_PRICE(17, "the price is zero or negative"),

    /**
     * The quantity is zero or negative.
     */
    INVALID_QUANTITY(18, "the quantity is zero or negative"),

    /**
     * The producer sequence number was already accepted. Produced by the sequencer.
     */
    DUPLICATE(19, "the producer sequence number was already accepted from this producer"),

    /**
     * The producer sequence number skips ahead of the next expected one. Produced by the sequencer.
     */
    SEQUENCE_GAP(20, "the producer sequence number skips ahead of the next expected one"),

    /**
     * The event time is too far from the engine's clock. Produced by the sequencer.
     */
    TIMESTAMP_SKEW(21, "the event time is too far from the engine's clock"),

    /**
     * The offset and length handed to the validator do not lie within the buffer, or there is no buffer: a fault
     * of the caller, not of the producer.
     */
    INVALID_BUFFER_RANGE(22, "the offset and length given do not lie within the buffer"),

    /** A producer sequence below zero: sequences start at 0 or above and grow by one per event. */
    INVALID_PRODUCER_SEQ(23, "the producer sequence is negative; sequences start at 0 or above"),

    /** A message longer than the engine's cap; it was discarded as it arrived, never buffered whole. */
    MESSAGE_TOO_LARGE(24, "the message is longer than the configured maximum message length"),

    /**
     * A {@code ConfigChange} the rule settings refuse: an unknown rule or parameter, a value out of range, or a
     * list change to a parameter that is not a list. Decided by the sequencer, not the validator.
     */
    CONFIG_CHANGE_REFUSED(25, "the rule configuration refuses the change: an unknown rule or parameter, or a " +
        "value out of range (see rules/RULES.md for the keys and ranges)"),

    /**
     * A producer sequence already journaled came again with other content: the journal keeps the first, this one
     * is not journaled. Another process sends with this producer id, or the producer reused its sequences.
     */
    CONFLICTING_DUPLICATE(26, "the producer sequence is already journaled with other content: this event was not " +
        "journaled; give every producer its own id and continue at the engine's next expected sequence"),

    /**
     * A producer sequence below the first one the journal holds for that producer: it cannot be a duplicate of
     * anything journaled, and journaling it would break the producer's order.
     */
    BELOW_FIRST_SEQUENCE(27, "the producer sequence is below the first sequence journaled for this producer id: " +
        "the event was not journaled; another process may use this id, so pick an id of your own"),

    /**
     * A producer sequence older than the engine's window of recent sequences per producer: its content cannot be
     * compared with what was journaled, so it is neither journaled nor acknowledged.
     */
    UNVERIFIABLE_DUPLICATE(28, "the producer sequence is older than the engine's window of recent sequences, so " +
        "it cannot be checked against what was journaled: not journaled, not acknowledged; check the journal " +
        "('txmon journal dump') for that sequence"),

    /**
     * The engine stopped taking input after a failure (the journal, or any engine thread): nothing more is
     * journaled or acknowledged until it is restarted.
     */
    ENGINE_STOPPED(29, "the engine stopped taking input after a failure and journals nothing: see its error " +
        "log and health, then restart it; resend from its next expected sequence"),

    // 30 to 39 are the field rules of FieldRules.

    /** A payment's latitude or longitude is out of range, or only one of the two is given. */
    INVALID_GEO(30, "the latitude or longitude is out of range (latitude within -90 to 90 degrees, longitude " +
        "within -180 to 180), or only one of the two is given; give both or neither"),

    /** A country is not two ASCII capital letters. */
    INVALID_COUNTRY(31, "a country is not a 2-letter ISO 3166 code in capitals, such as DE (or not given)"),

    /** A venue is not four ASCII capital letters or digits. */
    INVALID_VENUE(32, "the venue is not a 4-character ISO 10383 MIC of capitals and digits, such as XLON (or " +
        "not given)"),

    /** The amount is larger than {@link FieldRules#MAX_AMOUNT}. */
    AMOUNT_OUT_OF_RANGE(33, "the amount is above the largest accepted, 10^15 minor units"),

    /** The price is larger than {@link FieldRules#MAX_PRICE}. */
    PRICE_OUT_OF_RANGE(34, "the price is above the largest accepted, 10^15 (10,000,000 with 8 decimals)"),

    /** The quantity is larger than {@link FieldRules#MAX_QUANTITY}. */
    QUANTITY_OUT_OF_RANGE(35, "the quantity is above the largest accepted, 10^12"),

    /**
     * The event time is outside 1970-01-01 to 2200-01-01 (the validator), or before the engine's configured
     * floor or further ahead of its clock than it allows (the sequencer).
     */
    EVENT_TIME_OUT_OF_RANGE(36, "the event time is before 1970 or after 2200, before the engine's floor, or " +
        "further ahead of the engine's clock than it allows (txmon run --min-event-time, --max-event-time-ahead)"),

    /** A text field is not well-formed UTF-8. */
    INVALID_TEXT(37, "a text field (reference, key or value) is not well-formed UTF-8"),

    /**
     * The journal could not take the event now: its next segment could not be created (a full disk, most often).
     * Not journaled and not acknowledged, but not refused for good either: the producer keeps the event and
     * resends it, and the engine journals it once space is back.
     */
    JOURNAL_UNAVAILABLE(38, "the journal cannot take events now (its next segment could not be created: is the " +
        "disk full?); not journaled yet: the producer client keeps it and resends it, and the engine journals it " +
        "once space is freed on the journal's file system");

    /**
     * @return true for a refusal the producer should resend later rather than give up:
     * {@link #JOURNAL_UNAVAILABLE}.
     */
    public boolean isTransient()
    {
        return this == JOURNAL_UNAVAILABLE;
    }

    private static final RejectReason[] BY_CODE;

    static
    {
        final RejectReason[] reasons = values();
        int highest = 0;
        for (final RejectReason reason : reasons)
        {
            highest = Math.max(highest, reason.code);
        }
        BY_CODE = new RejectReason[highest + 1];

        for (final RejectReason reason : reasons)
        {
            if (reason.code < 0 || null != BY_CODE[reason.code])
            {
                throw new IllegalStateException("codes must be unique and not negative: " + reason);
            }

            BY_CODE[reason.code] = reason;
        }
    }

    private final int code;
    private final String description;

    RejectReason(final int code, final String description)
    {
        this.code = code;
        this.description = description;
    }

    /**
     * The stable numeric code of this reason, from 0.
     *
     * @return the stable numeric code of this reason.
     */
    public int code()
    {
        return code;
    }

    /**
     * A short sentence, for a person, saying what was wrong with the message.
     *
     * @return a short sentence saying what was wrong with the message.
     */
    public String description()
    {
        return description;
    }

    /**
     * The reason with the given code, without allocation.
     *
     * @param code as returned by {@link #code()}.
     * @return the reason with the given code, or null if no reason has that code.
     */
    public static RejectReason fromCode(final int code)
    {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }

    /**
     * One more than the highest code: the size of an array indexed by code.
     *
     * @return one more than the highest code.
     */
    public static int count()
    {
        return BY_CODE.length;
    }
}
