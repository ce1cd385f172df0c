package io.txmon.tools;

import io.txmon.cli.CliArgs;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.Object2IntHashMap;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The labels file of {@code txmon replay --labels}: which events are positive (fraud, laundering) or negative
 * (legitimate), and which scenario each positive event belongs to.
 * <p>
 * One label per line, {@code <key>,<label>}; blank lines and lines starting with {@code #} are skipped, spaces
 * around either field are ignored:
 * <ul>
 *     <li>{@code key}: an event's journal offset, or {@code tx:<txId>} for the payment with that id.</li>
 *     <li>{@code label}: {@code fraud} (also {@code positive}, {@code 1}), a positive event of no scenario;
 *     {@code legit} (also {@code negative}, {@code 0}), a negative event; anything else names the scenario the
 *     event belongs to, and makes it positive. A name of the form {@code <type>:<id>} ({@code fan-in:17}) has the
 *     type before its first colon, by which recall is grouped; any other ({@code laundering-42}) has none. A name
 *     is not a bare number and not a yes/no word, so that a column of ids or of booleans is not read as names.</li>
 * </ul>
 * The same key on several lines: binary labels, the last wins (as the binary format always had it); scenario
 * names add up (an event may belong to several scenarios) and {@code fraud} adds nothing to them; {@code legit}
 * and a scenario for one key contradict each other and are refused.
 * <p>
 * Memory grows with the labels only: two primitive maps from key to a label code, the scenario names once each,
 * and a table for the rare event of several scenarios.
 * <p>
 * A label code is a {@code long}: {@link #NONE} for no label, {@link #LEGIT}, {@link #FRAUD}, a scenario's index
 * (0 and up), or {@code GROUP_BASE - g} for the g-th set of two or more scenarios.
 */
final class Labels
{
    /** No label. */
    static final long NONE = -1;
    /** Labelled negative. */
    static final long LEGIT = -2;
    /** Labelled positive, of no scenario. */
    static final long FRAUD = -3;
    private static final long GROUP_BASE = -4;

    /** Label texts too long to show whole in an error are cut to this many characters. */
    private static final int SHOWN_LINE = 80;
    private static final String TX = "tx:";

    private final Path file;
    private final Long2LongHashMap byOffset = new Long2LongHashMap(NONE);
    private final Long2LongHashMap byTx = new Long2LongHashMap(NONE);
    private final Object2IntHashMap<String> scenarioIndex = new Object2IntHashMap<>(-1);
    private final List<String> scenarioNames = new ArrayList<>();
    private final Object2IntHashMap<String> typeIndex = new Object2IntHashMap<>(-1);
    private final List<String> typeNames = new ArrayList<>();
    private int[] scenarioType = new int[16];
    private final List<int[]> groups = new ArrayList<>();
    private final Map<String, Integer> groupIndex = new HashMap<>();

    private Labels(final Path file)
    {
        this.file = file;
    }

    /**
     * @param file of labels.
     * @return the labels it holds.
     * @throws CliArgs.UsageException naming the file, the line and what to do, if the file cannot be read or a
     *                                line is not a label.
     */
    static Labels load(final Path file)
    {
        final Labels labels = new Labels(file);
        if (!Files.isRegularFile(file))
        {
            throw new CliArgs.UsageException("--labels " + file + " does not exist or is not a file");
        }
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8))
        {
            long number = 0;
            String line;
            while (null != (line = reader.readLine()))
            {
                number++;
                labels.add(line, number);
            }
        }
        catch (final IOException ex)
        {
            throw new CliArgs.UsageException("--labels " + file + " cannot be read: " + ToolsCli.describe(ex) +
                " (give a UTF-8 text file)");
        }
        return labels;
    }

    private void add(final String raw, final long number)
    {
        final String line = raw.trim();
        if (line.isEmpty() || line.charAt(0) == '#')
        {
            return;
        }
        final int comma = line.indexOf(',');
        if (comma < 0)
        {
            throw error(number, line, "give <offset>,<label> or tx:<txId>,<label>, comma-separated");
        }
        if (line.indexOf(',', comma + 1) >= 0)
        {
            throw error(number, line, "more than two fields; give <offset or tx:txId>,<label> and nothing else " +
                "(a scenario name holds no comma)");
        }
        final String key = line.substring(0, comma).trim();
        final boolean tx = key.regionMatches(true, 0, TX, 0, TX.length());
        final String digits = tx ? key.substring(TX.length()).trim() : key;
        final long value;
        try
        {
            value = Long.parseLong(digits);
        }
        catch (final NumberFormatException ex)
        {
            throw error(number, line, "'" + digits + "' is not a whole number" +
                (tx ? "" : "; a header line? start it with #"));
        }
        if (!tx && value < 0)
        {
            throw error(number, line, "an offset is not negative");
        }
        final long code = code(number, line, line.substring(comma + 1).trim());
        final Long2LongHashMap map = tx ? byTx : byOffset;
        final long before = map.get(value);
        if (before != NONE && before != code)
        {
            if ((before == LEGIT && code >= 0) || (code == LEGIT && isScenarios(before)))
            {
                throw error(number, line, key + " is labelled legit and in a scenario: an event of a scenario is " +
                    "positive; keep one of its lines");
            }
        }
        map.put(value, before == NONE || (!isScenarios(before) && !isScenarios(code)) ? code : merge(before, code));
    }

    private long code(final long number, final String line, final String text)
    {
        if (text.isEmpty())
        {
            throw error(number, line, "no label after the comma; give fraud, legit or a scenario name");
        }
        switch (text.toLowerCase(Locale.ROOT))
        {
            case "fraud":
            case "positive":
            case "1":
                return FRAUD;
            case "legit":
            case "negative":
            case "0":
                return LEGIT;
            case "true":
            case "false":
            case "yes":
            case "no":
            case "y":
            case "n":
                throw error(number, line, "label '" + text + "' is ambiguous: give fraud or legit for a binary " +
                    "label, or name the scenario");
            default:
                break;
        }
        if (isWholeNumber(text))
        {
            throw error(number, line, "label '" + text + "' is a bare number: 1 and 0 are binary labels, so name a " +
                "scenario with a word, e.g. laundering-" + text + " or fan-in:" + text);
        }
        final int existing = scenarioIndex.getValue(text);
        if (existing >= 0)
        {
            return existing;
        }
        final int index = scenarioNames.size();
        scenarioNames.add(text);
        scenarioIndex.put(text, index);
        if (index == scenarioType.length)
        {
            scenarioType = Arrays.copyOf(scenarioType, index * 2);
        }
        final int colon = text.indexOf(':');
        scenarioType[index] = colon > 0 ? typeOf(text.substring(0, colon).trim()) : -1;
        return index;
    }

    private int typeOf(final String type)
    {
        final int existing = typeIndex.getValue(type);
        if (existing >= 0)
        {
            return existing;
        }
        final int index = typeNames.size();
        typeNames.add(type);
        typeIndex.put(type, index);
        return index;
    }

    private static boolean isWholeNumber(final String text)
    {
        final int start = text.charAt(0) == '-' || text.charAt(0) == '+' ? 1 : 0;
        if (start == text.length())
        {
            return false;
        }
        for (int i = start; i < text.length(); i++)
        {
            if (text.charAt(i) < '0' || text.charAt(i) > '9')
            {
                return false;
            }
        }
        return true;
    }

    private CliArgs.UsageException error(final long number, final String line, final String what)
    {
        final String shown = line.length() > SHOWN_LINE ? line.substring(0, SHOWN_LINE) + "..." : line;
        return new CliArgs.UsageException("--labels " + file + " line " + number + " '" + shown + "': " + what);
    }

    /**
     * @param offset of an event.
     * @param txId   of the payment, or 0 if the event is not one (a tx label then does not apply).
     * @return the event's label: its offset's and its tx's together, positive if either is.
     */
    long of(final long offset, final long txId)
    {
        final long byKey = byOffset.get(offset);
        return 0 == txId || byTx.isEmpty() ? byKey : merge(byKey, byTx.get(txId));
    }

    /**
     * @param offset of an event.
     * @return the label of the offset, {@link #NONE} if none.
     */
    long ofOffset(final long offset)
    {
        return byOffset.get(offset);
    }

    /**
     * @param txId of a payment.
     * @return the label of the tx, {@link #NONE} if none.
     */
    long ofTx(final long txId)
    {
        return byTx.get(txId);
    }

    /**
     * @return true if any label names a tx.
     */
    boolean hasTxLabels()
    {
        return !byTx.isEmpty();
    }

    /**
     * @return offsets labelled.
     */
    int offsetCount()
    {
        return byOffset.size();
    }

    /**
     * @return tx ids labelled.
     */
    int txCount()
    {
        return byTx.size();
    }

    /**
     * @param one   label code.
     * @param other label code.
     * @return both labels of an event together: positive if either is, with the scenarios of both.
     */
    long merge(final long one, final long other)
    {
        if (one == other || other == NONE)
        {
            return one;
        }
        if (one == NONE)
        {
            return other;
        }
        final boolean oneScenarios = isScenarios(one);
        final boolean otherScenarios = isScenarios(other);
        if (!oneScenarios || !otherScenarios)
        {
            return oneScenarios ? one : otherScenarios ? other : (one == FRAUD || other == FRAUD ? FRAUD : LEGIT);
        }
        final int oneCount = scenarioCountOf(one);
        final int otherCount = scenarioCountOf(other);
        final int[] union = new int[oneCount + otherCount];
        for (int i = 0; i < oneCount; i++)
        {
            union[i] = scenarioOf(one, i);
        }
        int n = oneCount;
        for (int i = 0; i < otherCount; i++)
        {
            final int s = scenarioOf(other, i);
            if (Arrays.binarySearch(union, 0, oneCount, s) < 0)
            {
                union[n++] = s;
            }
        }
        if (n == oneCount)
        {
            return one;
        }
        final int[] members = Arrays.copyOf(union, n);
        Arrays.sort(members);
        final String id = Arrays.toString(members);
        Integer group = groupIndex.get(id);
        if (null == group)
        {
            group = groups.size();
            groups.add(members);
            groupIndex.put(id, group);
        }
        return GROUP_BASE - group;
    }

    /**
     * @param code of a label.
     * @return true if it labels an event positive.
     */
    static boolean isPositive(final long code)
    {
        return code == FRAUD || isScenarios(code);
    }

    /**
     * @param code of a label.
     * @return true if it names one or more scenarios.
     */
    static boolean isScenarios(final long code)
    {
        return code >= 0 || code <= GROUP_BASE;
    }

    /**
     * @param code of a label.
     * @return how many scenarios it names: 0, 1, or more for an event of several.
     */
    int scenarioCountOf(final long code)
    {
        return code >= 0 ? 1 : code <= GROUP_BASE ? groups.get((int)(GROUP_BASE - code)).length : 0;
    }

    /**
     * @param code  of a label that names scenarios.
     * @param index of the scenario, 0 to {@link #scenarioCountOf(long)} - 1.
     * @return the index of that scenario; the scenarios of a code ascend.
     */
    int scenarioOf(final long code, final int index)
    {
        return code >= 0 ? (int)code : groups.get((int)(GROUP_BASE - code))[index];
    }

    /**
     * @return scenarios named, indexed 0 up in the order of their first line.
     */
    int scenarioCount()
    {
        return scenarioNames.size();
    }

    /**
     * @param scenario index.
     * @return its name as the file gives it.
     */
    String scenarioName(final int scenario)
    {
        return scenarioNames.get(scenario);
    }

    /**
     * @param scenario index.
     * @return the index of its type, or -1 if its name gives none.
     */
    int scenarioType(final int scenario)
    {
        return scenarioType[scenario];
    }

    /**
     * @return scenario types named.
     */
    int typeCount()
    {
        return typeNames.size();
    }

    /**
     * @param type index.
     * @return its name.
     */
    String typeName(final int type)
    {
        return typeNames.get(type);
    }
}
