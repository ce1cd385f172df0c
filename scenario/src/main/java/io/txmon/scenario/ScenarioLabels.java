package io.txmon.scenario;

import io.txmon.rules.config.RuleType;
import io.txmon.rules.typology.Typologies;

import java.io.IOException;
import java.util.List;

/**
 * The labels file of a generated stream, as {@code txmon replay --labels} reads it: one line per event of every
 * planted case, {@code tx:<txId>,<typology>:<case>} for a payment (the key that holds wherever the stream is
 * journaled) and {@code <offset>,<typology>:<case>} for an account update, order or execution (which carry no tx
 * id), the offset being the event's position in the stream plus the offset its first event is journaled at.
 * Background events are not labelled: unlabelled events count as negative.
 * <p>
 * A case is named by its typology as the catalogue names it and its number among the typology's cases, e.g.
 * {@code fan-in:3}; so recall is reported per typology.
 */
public final class ScenarioLabels
{
    private ScenarioLabels()
    {
    }

    /**
     * @param ruleId     of a typology of {@link Typologies#catalog()}.
     * @param caseNumber of the case, from 1.
     * @return the scenario name of the case, {@code <typology>:<case>}.
     * @throws IllegalArgumentException if the catalogue has no such typology.
     */
    public static String scenario(final int ruleId, final int caseNumber)
    {
        for (final RuleType<?> type : Typologies.catalog())
        {
            if (type.id() == ruleId)
            {
                return type.name() + ":" + caseNumber;
            }
        }
        throw new IllegalArgumentException("no typology with rule id " + ruleId);
    }

    /**
     * Write the label lines of the events of planted cases.
     *
     * @param events      of the cases, {@link ScenarioGenerator#caseEvents()}.
     * @param firstOffset journal offset of the stream's first event: 0 when it is journaled alone from the start
     *                    of a new journal, more when records precede it.
     * @param out         to append the lines to, each ending with a newline.
     * @return lines written.
     * @throws IOException if the output fails.
     */
    public static long write(final List<CaseEvent> events, final long firstOffset, final Appendable out)
        throws IOException
    {
        if (firstOffset < 0)
        {
            throw new IllegalArgumentException("firstOffset must not be negative, was " + firstOffset);
        }
        final String[] names = new String[maxRuleId(events) + 1];
        long lines = 0;
        for (final CaseEvent event : events)
        {
            String name = names[event.ruleId()];
            if (null == name)
            {
                name = scenario(event.ruleId(), 0);
                name = name.substring(0, name.length() - 1);
                names[event.ruleId()] = name;
            }
            if (0 != event.txId())
            {
                out.append("tx:").append(Long.toString(event.txId()));
            }
            else
            {
                out.append(Long.toString(firstOffset + event.index()));
            }
            out.append(',').append(name).append(Integer.toString(event.caseNumber())).append('\n');
            lines++;
        }
        return lines;
    }

    private static int maxRuleId(final List<CaseEvent> events)
    {
        int max = 0;
        for (final CaseEvent event : events)
        {
            max = Math.max(max, event.ruleId());
        }
        return max;
    }
}
