package io.txmon.rules.config;

import io.txmon.events.codec.ConfigAction;
import io.txmon.events.codec.ConfigChangeEncoder;
import io.txmon.events.codec.MessageHeaderEncoder;
import io.txmon.rules.TxEvent;
import org.agrona.MutableDirectBuffer;

import java.nio.charset.StandardCharsets;

/**
 * One change to the rule configuration, as a {@code ConfigChange} event carries it: journaled like any event,
 * so every worker, every replay and every restarted engine switches between the same two offsets.
 *
 * @param ruleId the change is about.
 * @param action enable, disable, set a parameter, add to or remove from a list.
 * @param key    parameter key within the rule ({@code min-count}); empty for enable and disable.
 * @param value  the parameter's new value, or the list entry; empty for enable and disable.
 */
public record RuleConfigChange(int ruleId, ConfigAction action, String key, String value)
{
    /** Longest key or value, in UTF-8 bytes, that a change may carry: what a ring slot holds. */
    public static final int MAX_TEXT_LENGTH = TxEvent.MAX_CONFIG_TEXT_LENGTH;

    /**
     * Validate the shape; whether the rule accepts the change is for {@link RuleSettings#apply}.
     */
    public RuleConfigChange
    {
        if (null == action || ConfigAction.NULL_VAL == action)
        {
            throw new IllegalArgumentException("a config change needs an action");
        }
        key = null == key ? "" : key;
        value = null == value ? "" : value;
        if (key.getBytes(StandardCharsets.UTF_8).length > MAX_TEXT_LENGTH ||
            value.getBytes(StandardCharsets.UTF_8).length > MAX_TEXT_LENGTH)
        {
            throw new IllegalArgumentException(
                "a config change key or value is longer than " + MAX_TEXT_LENGTH + " bytes; split a long list " +
                "into LIST_ADD changes");
        }
    }

    /**
     * The change a slot holds.
     *
     * @param event a {@code ConfigChange} slot.
     * @return the change.
     * @throws IllegalArgumentException if the slot's key or value was cut short, or its action is unknown.
     */
    public static RuleConfigChange of(final TxEvent event)
    {
        if (event.configTruncated)
        {
            throw new IllegalArgumentException("a config change key or value is longer than " + MAX_TEXT_LENGTH +
                " bytes; split a long list into LIST_ADD changes");
        }
        final ConfigAction action = ConfigAction.get((short)event.action);
        return new RuleConfigChange(
            event.ruleId,
            action,
            new String(event.configKey, 0, event.configKeyLength, StandardCharsets.UTF_8),
            new String(event.configValue, 0, event.configValueLength, StandardCharsets.UTF_8));
    }

    /**
     * Encode as a {@code ConfigChange} message, header first.
     *
     * @param buffer      to encode into.
     * @param offset      in the buffer.
     * @param producerId  of the event.
     * @param producerSeq of the event.
     * @param eventTime   of the event, epoch ns.
     * @return length of the message in bytes.
     */
    public int encode(
        final MutableDirectBuffer buffer,
        final int offset,
        final long producerId,
        final long producerSeq,
        final long eventTime)
    {
        final ConfigChangeEncoder encoder = new ConfigChangeEncoder();
        encoder.wrapAndApplyHeader(buffer, offset, new MessageHeaderEncoder())
            .producerId(producerId)
            .producerSeq(producerSeq)
            .eventTime(eventTime)
            .ruleId(ruleId)
            .action(action)
            .key(key)
            .value(value);
        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    @Override
    public String toString()
    {
        switch (action)
        {
            case ENABLE_RULE:
                return "enable rule " + ruleId;
            case DISABLE_RULE:
                return "disable rule " + ruleId;
            case SET_PARAMETER:
                return "rule " + ruleId + " set " + key + "=" + value;
            case LIST_ADD:
                return "rule " + ruleId + " add " + value + " to " + key;
            default:
                return "rule " + ruleId + " remove " + value + " from " + key;
        }
    }
}
