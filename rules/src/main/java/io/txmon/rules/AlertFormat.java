package io.txmon.rules;

import io.txmon.events.codec.AlertDecoder;
import io.txmon.rules.typology.Typologies;

/**
 * How alerts are shown: one line of text for a person, or one JSON object per line for scripts. Rule names
 * come from the built-in typologies. Reads the decoder's groups and reason in schema order.
 */
public final class AlertFormat
{
    private static final String[] RULE_NAMES = ruleNames();

    private AlertFormat()
    {
    }

    private static String[] ruleNames()
    {
        final String[] names = new String[AlertIds.MAX_RULE_ID + 1];
        for (final io.txmon.rules.config.RuleType<?> type : Typologies.catalog())
        {
            names[type.id()] = type.name();
        }
        return names;
    }

    /**
     * @param ruleId of a rule.
     * @return its name, or {@code rule-<id>} for one this build does not know.
     */
    public static String ruleName(final int ruleId)
    {
        return ruleId >= 0 && ruleId < RULE_NAMES.length && null != RULE_NAMES[ruleId] ?
            RULE_NAMES[ruleId] : "rule-" + ruleId;
    }

    /**
     * @param alert decoder positioned on an alert.
     * @param line  reused builder.
     * @return the alert as one line of text.
     */
    public static String text(final AlertDecoder alert, final StringBuilder line)
    {
        line.setLength(0);
        line.append("ALERT ").append(alert.severity())
            .append(" rule=").append(ruleName(alert.ruleId())).append('/').append(alert.ruleVersion())
            .append(" offset=").append(alert.triggeringOffset())
            .append(" account=").append(alert.account())
            .append(" score=").append(alert.score())
            .append(" id=").append(Long.toHexString(alert.alertId()))
            .append(" evidence=");
        for (final AlertDecoder.EvidenceDecoder evidence : alert.evidence())
        {
            line.append(evidence.offset()).append(',');
        }
        line.setLength(line.length() - (line.charAt(line.length() - 1) == ',' ? 1 : 0));
        line.append(" : ").append(alert.reason());
        return line.toString();
    }

    /**
     * @param alert decoder positioned on an alert.
     * @param line  reused builder.
     * @return the alert as one JSON object.
     */
    public static String json(final AlertDecoder alert, final StringBuilder line)
    {
        line.setLength(0);
        line.append("{\"alertId\":\"").append(Long.toHexString(alert.alertId()))
            .append("\",\"ruleId\":").append(alert.ruleId())
            .append(",\"rule\":\"").append(ruleName(alert.ruleId()))
            .append("\",\"ruleVersion\":").append(alert.ruleVersion())
            .append(",\"severity\":\"").append(alert.severity())
            .append("\",\"score\":").append(alert.score())
            .append(",\"triggeringOffset\":").append(alert.triggeringOffset())
            .append(",\"account\":").append(alert.account())
            .append(",\"eventTime\":").append(alert.eventTime())
            .append(",\"evidence\":[");
        boolean first = true;
        for (final AlertDecoder.EvidenceDecoder evidence : alert.evidence())
        {
            line.append(first ? "" : ",").append(evidence.offset());
            first = false;
        }
        line.append("],\"reason\":\"");
        final String reason = alert.reason();
        for (int i = 0; i < reason.length(); i++)
        {
            final char c = reason.charAt(i);
            if (c == '"' || c == '\\')
            {
                line.append('\\').append(c);
            }
            else if (c < 0x20)
            {
                line.append(String.format("\\u%04x", (int)c));
            }
            else
            {
                line.append(c);
            }
        }
        return line.append("\"}").toString();
    }
}
