package io.txmon.perf;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Summarises a JMH JSON result file ({@code -rf json}) as a markdown table: benchmark, parameters, score and
 * error, unit, bytes allocated per operation ({@code gc.alloc.rate.norm}, with {@code -prof gc}), and each row's
 * ratio to the raw baseline measured in the same file, naming the baseline it uses.
 * <pre>
 *   perf/summarize perf/target/jmh-suite.json [out.md]
 * </pre>
 * Which baseline a row is divided by is fixed in {@link #BASELINES}: a row's baseline is the result of the
 * baseline benchmark in the same file whose parameters named by the pairing are equal to the row's (for the
 * journal, the same payload size). A ratio is always of throughputs: the row's operations per second over the
 * baseline's, a time per operation counting as its inverse, so 0.80 means "80% of the raw throughput" whatever
 * mode either was measured in, and below 1 is slower than the baseline.
 * <p>
 * JMH writes its JSON with a fixed, simple shape; a small reader here parses it, so the summary needs nothing
 * on the class path but the JDK. Non-finite numbers, which JMH writes as the strings {@code "NaN"} or
 * {@code "Infinity"}, are read as such.
 */
public final class JmhSummary
{
    /** Secondary metric of {@code -prof gc}: bytes allocated per operation. Older JMH prefixed a middle dot. */
    static final String ALLOC_NORM = "gc.alloc.rate.norm";

    /** Prefix dropped from benchmark names in the table. */
    static final String PACKAGE_PREFIX = "io.txmon.perf.";

    /**
     * Every ratio the summary computes: row benchmark, baseline benchmark, parameters that must be equal.
     */
    static final List<Pairing> BASELINES = List.of(
        new Pairing("JournalAppendBenchmark.append", "RawMappedWriteBaseline.write", "payloadSize"),
        new Pairing("JournalAppendBenchmark.appendAverageTime", "RawMappedWriteBaseline.writeAverageTime", "payloadSize"),
        new Pairing("JournalAppendBenchmark.appendWithRolls", "RawMappedWriteBaseline.write", "payloadSize"),
        new Pairing("PublisherBenchmark.send", "PublisherBenchmark.rawOffer"),
        new Pairing("PipelineBenchmark.pipeline", "RawAeronIpcBaseline.threaded"),
        new Pairing("PipelineBenchmark.pipeline", "RawDisruptorBaseline.batchEventProcessor"),
        new Pairing("RuleBenchmark.evaluate", "RawDisruptorBaseline.eventPoller"));

    private static final String USAGE = "usage: perf/summarize <jmh-result.json> [<summary.md>]";

    private JmhSummary()
    {
    }

    /**
     * Print the summary of a JMH JSON file; exit status 0, 1 if the file cannot be read or parsed, 2 on a usage
     * error.
     *
     * @param args the JSON file, and optionally a file to write the summary to as well.
     */
    public static void main(final String[] args)
    {
        // the table has ±, ÷ and ×: UTF-8 whatever the locale, as in the file it may write
        final PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        System.exit(run(args, out, System.err));
    }

    /**
     * What {@link #main} does, without exiting.
     *
     * @param args the JSON file, and optionally a file to write the summary to as well.
     * @param out  for the summary.
     * @param err  for errors.
     * @return exit status: 0, 1 if the file cannot be read or parsed, 2 on a usage error.
     */
    static int run(final String[] args, final PrintStream out, final PrintStream err)
    {
        if (args.length < 1 || args.length > 2 || args[0].startsWith("-"))
        {
            err.println(USAGE);
            return 2;
        }
        final Path file = Path.of(args[0]);
        final String summary;
        try
        {
            summary = summarize(Files.readString(file, StandardCharsets.UTF_8), file.getFileName().toString());
        }
        catch (final IOException ex)
        {
            err.println("summarize: cannot read " + file + ": " + ex);
            return 1;
        }
        catch (final IllegalArgumentException ex)
        {
            err.println("summarize: " + file + " is not a JMH JSON result file: " + ex.getMessage());
            return 1;
        }
        out.print(summary);
        if (args.length == 2)
        {
            try
            {
                Files.writeString(Path.of(args[1]), summary, StandardCharsets.UTF_8);
            }
            catch (final IOException ex)
            {
                err.println("summarize: cannot write " + args[1] + ": " + ex);
                return 1;
            }
        }
        return 0;
    }

    /**
     * The markdown summary of a JMH JSON result.
     *
     * @param json   the file's text.
     * @param source name of the file, for the heading.
     * @return the summary: a heading, the table, and how to read the ratios.
     * @throws IllegalArgumentException if the text is not JSON of JMH's shape.
     */
    static String summarize(final String json, final String source)
    {
        final List<Result> results = parse(json);
        final StringBuilder sb = new StringBuilder();
        sb.append("## JMH results: ").append(source).append("\n\n");
        if (!results.isEmpty())
        {
            final Result first = results.get(0);
            sb.append(String.format(Locale.ROOT, "JMH %s, %s %s; %d results.%n%n",
                first.jmhVersion, first.vmName, first.vmVersion, results.size()));
        }
        sb.append("| benchmark | params | score ± error | unit | B/op | throughput ÷ baseline |\n");
        sb.append("|---|---|---:|---|---:|---|\n");
        for (final Result r : results)
        {
            sb.append("| ").append(cell(r.shortName()))
                .append(" | ").append(cell(r.paramsText()))
                .append(" | ").append(number(r.score)).append(" ± ").append(number(r.scoreError))
                .append(" | ").append(cell(r.unit))
                .append(" | ").append(bytes(r.allocNorm))
                .append(" | ").append(cell(ratios(r, results)))
                .append(" |\n");
        }
        sb.append('\n');
        sb.append("B/op is gc.alloc.rate.norm from -prof gc (every thread of the JVM; — without -prof gc). ");
        sb.append("Error is JMH's 99.9% confidence half-width (— with fewer than two iterations).\n\n");
        sb.append("Ratios are of throughputs, from the same file: the row's operations per second over the " +
            "baseline's (a time per operation counts as its inverse), so below 1 is slower than the baseline. " +
            "Pairings:\n\n");
        for (final Pairing p : BASELINES)
        {
            sb.append("- ").append(p.row).append(" ÷ ").append(p.baseline);
            if (p.matchParams.length > 0)
            {
                sb.append(" with the same ").append(String.join(", ", p.matchParams));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /**
     * Read the results of a JMH JSON file.
     *
     * @param json the file's text.
     * @return the results, in file order.
     * @throws IllegalArgumentException if the text is not JSON of JMH's shape.
     */
    static List<Result> parse(final String json)
    {
        final Object root = new JsonReader(json).readDocument();
        if (!(root instanceof JsonArray))
        {
            throw new IllegalArgumentException("expected an array of results at the top");
        }
        final List<Result> results = new ArrayList<>();
        for (final Object element : ((JsonArray)root).values)
        {
            if (!(element instanceof JsonObject))
            {
                throw new IllegalArgumentException("expected an object for each result");
            }
            results.add(Result.of((JsonObject)element));
        }
        return results;
    }

    /**
     * The baseline results of a row and its ratio to each, as a cell's text.
     */
    static String ratios(final Result row, final List<Result> results)
    {
        final StringBuilder sb = new StringBuilder();
        for (final Pairing p : BASELINES)
        {
            if (!p.row.equals(row.shortName()))
            {
                continue;
            }
            if (sb.length() > 0)
            {
                sb.append("; ");
            }
            final Result baseline = baselineOf(row, p, results);
            if (null == baseline)
            {
                sb.append("— (no ").append(p.baseline).append(p.matchText(row)).append(" in this file)");
                continue;
            }
            final double ratio = opsPerSecond(row) / opsPerSecond(baseline);
            sb.append(Double.isFinite(ratio) ? String.format(Locale.ROOT, "%.2f", ratio) : "—")
                .append(" × ").append(p.baseline);
            final String params = baseline.paramsText();
            if (!params.isEmpty())
            {
                sb.append(" (").append(params).append(')');
            }
        }
        return sb.toString();
    }

    /**
     * The result a row is divided by: the baseline benchmark with the pairing's parameters equal to the row's;
     * of several, the one sharing most parameter values with the row, the first in the file on a tie.
     */
    static Result baselineOf(final Result row, final Pairing pairing, final List<Result> results)
    {
        Result best = null;
        int bestShared = -1;
        for (final Result candidate : results)
        {
            if (!pairing.baseline.equals(candidate.shortName()) || !pairing.matches(row, candidate))
            {
                continue;
            }
            int shared = 0;
            for (final Map.Entry<String, String> e : candidate.params.entrySet())
            {
                if (e.getValue().equals(row.params.get(e.getKey())))
                {
                    shared++;
                }
            }
            if (shared > bestShared)
            {
                best = candidate;
                bestShared = shared;
            }
        }
        return best;
    }

    /**
     * A score as operations per second, whatever its unit.
     *
     * @param r result.
     * @return operations per second, or NaN if the unit is neither a rate nor a time per operation.
     */
    static double opsPerSecond(final Result r)
    {
        final String unit = r.unit;
        final int slash = unit.indexOf('/');
        if (slash < 0)
        {
            return Double.NaN;
        }
        final String left = unit.substring(0, slash);
        final String right = unit.substring(slash + 1);
        if ("ops".equals(left))
        {
            return r.score / seconds(right);
        }
        if ("op".equals(right))
        {
            return 1.0 / (r.score * seconds(left));
        }
        return Double.NaN;
    }

    private static double seconds(final String timeUnit)
    {
        switch (timeUnit)
        {
            case "ns":
                return 1e-9;
            case "us":
            case "µs":
                return 1e-6;
            case "ms":
                return 1e-3;
            case "s":
                return 1;
            case "min":
                return 60;
            case "hr":
                return 3600;
            default:
                return Double.NaN;
        }
    }

    private static String number(final double value)
    {
        if (!Double.isFinite(value))
        {
            return "—";
        }
        final double magnitude = Math.abs(value);
        if (magnitude >= 1000)
        {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        if (magnitude >= 10)
        {
            return String.format(Locale.ROOT, "%.1f", value);
        }
        return String.format(Locale.ROOT, "%.3f", value);
    }

    private static String bytes(final double value)
    {
        if (Double.isNaN(value))
        {
            return "—";
        }
        if (value < 0.01)
        {
            return "≈ 0";
        }
        return value >= 100 ?
            String.format(Locale.ROOT, "%,.0f", value) : String.format(Locale.ROOT, "%.2f", value);
    }

    private static String cell(final String text)
    {
        return text.replace("|", "\\|");
    }

    /**
     * Which baseline a row is divided by.
     */
    static final class Pairing
    {
        final String row;
        final String baseline;
        final String[] matchParams;

        /**
         * @param row         benchmark, {@code Class.method}.
         * @param baseline    benchmark it is divided by, {@code Class.method}.
         * @param matchParams parameters that must be equal in both.
         */
        Pairing(final String row, final String baseline, final String... matchParams)
        {
            this.row = row;
            this.baseline = baseline;
            this.matchParams = matchParams;
        }

        boolean matches(final Result row, final Result candidate)
        {
            for (final String name : matchParams)
            {
                final String value = row.params.get(name);
                if (null == value || !value.equals(candidate.params.get(name)))
                {
                    return false;
                }
            }
            return true;
        }

        String matchText(final Result row)
        {
            if (matchParams.length == 0)
            {
                return "";
            }
            final List<String> parts = new ArrayList<>();
            for (final String name : matchParams)
            {
                parts.add(name + "=" + row.params.get(name));
            }
            return " with " + String.join(", ", parts);
        }
    }

    /**
     * One benchmark result: a benchmark with one set of parameter values.
     */
    static final class Result
    {
        final String benchmark;
        final String mode;
        final Map<String, String> params;
        final double score;
        final double scoreError;
        final String unit;
        final double allocNorm;
        final String jmhVersion;
        final String vmName;
        final String vmVersion;

        Result(
            final String benchmark,
            final String mode,
            final Map<String, String> params,
            final double score,
            final double scoreError,
            final String unit,
            final double allocNorm,
            final String jmhVersion,
            final String vmName,
            final String vmVersion)
        {
            this.benchmark = benchmark;
            this.mode = mode;
            this.params = Collections.unmodifiableMap(params);
            this.score = score;
            this.scoreError = scoreError;
            this.unit = unit;
            this.allocNorm = allocNorm;
            this.jmhVersion = jmhVersion;
            this.vmName = vmName;
            this.vmVersion = vmVersion;
        }

        static Result of(final JsonObject o)
        {
            final JsonObject primary = o.object("primaryMetric");
            if (null == primary)
            {
                throw new IllegalArgumentException("a result has no primaryMetric");
            }
            final Map<String, String> params = new LinkedHashMap<>();
            final JsonObject p = o.object("params");
            if (null != p)
            {
                for (final Map.Entry<String, Object> e : p.members.entrySet())
                {
                    params.put(e.getKey(), String.valueOf(e.getValue()));
                }
            }
            double allocNorm = Double.NaN;
            final JsonObject secondary = o.object("secondaryMetrics");
            if (null != secondary)
            {
                for (final Map.Entry<String, Object> e : secondary.members.entrySet())
                {
                    final String key = e.getKey();
                    if ((ALLOC_NORM.equals(key) || key.endsWith("\u00b7" + ALLOC_NORM)) && e.getValue() instanceof JsonObject)
                    {
                        allocNorm = ((JsonObject)e.getValue()).number("score");
                    }
                }
            }
            final String benchmark = o.string("benchmark");
            if (null == benchmark)
            {
                throw new IllegalArgumentException("a result has no benchmark name");
            }
            return new Result(
                benchmark,
                String.valueOf(o.string("mode")),
                params,
                primary.number("score"),
                primary.number("scoreError"),
                String.valueOf(primary.string("scoreUnit")),
                allocNorm,
                String.valueOf(o.string("jmhVersion")),
                String.valueOf(o.string("vmName")),
                String.valueOf(o.string("vmVersion")));
        }

        /**
         * @return the benchmark without this package's prefix: {@code Class.method}.
         */
        String shortName()
        {
            return benchmark.startsWith(PACKAGE_PREFIX) ? benchmark.substring(PACKAGE_PREFIX.length()) : benchmark;
        }

        /**
         * @return the parameters as {@code name=value, ...}, in the file's order.
         */
        String paramsText()
        {
            final List<String> parts = new ArrayList<>();
            for (final Map.Entry<String, String> e : params.entrySet())
            {
                parts.add(e.getKey() + "=" + e.getValue());
            }
            return String.join(", ", parts);
        }
    }

    /**
     * A JSON object: members in the file's order.
     */
    static final class JsonObject
    {
        final Map<String, Object> members = new LinkedHashMap<>();

        JsonObject object(final String name)
        {
            final Object value = members.get(name);
            return value instanceof JsonObject ? (JsonObject)value : null;
        }

        String string(final String name)
        {
            final Object value = members.get(name);
            return value instanceof String ? (String)value : null;
        }

        /**
         * A number, also one JMH wrote as a string ({@code "NaN"}, {@code "Infinity"}); NaN if absent.
         */
        double number(final String name)
        {
            final Object value = members.get(name);
            if (value instanceof Double)
            {
                return (Double)value;
            }
            if (value instanceof String)
            {
                try
                {
                    return Double.parseDouble((String)value);
                }
                catch (final NumberFormatException ex)
                {
                    return Double.NaN;
                }
            }
            return Double.NaN;
        }
    }

    /**
     * A JSON array.
     */
    static final class JsonArray
    {
        final List<Object> values = new ArrayList<>();
    }

    /**
     * A reader of one JSON document into {@link JsonObject}, {@link JsonArray}, {@link String}, {@link Double},
     * {@link Boolean} and null.
     */
    static final class JsonReader
    {
        private final String text;
        private int position;

        JsonReader(final String text)
        {
            this.text = text;
        }

        Object readDocument()
        {
            final Object value = readValue();
            skipWhitespace();
            if (position != text.length())
            {
                throw error("text after the end of the document");
            }
            return value;
        }

        private Object readValue()
        {
            skipWhitespace();
            if (position >= text.length())
            {
                throw error("unexpected end of the text");
            }
            final char c = text.charAt(position);
            switch (c)
            {
                case '{':
                    return readObject();
                case '[':
                    return readArray();
                case '"':
                    return readString();
                case 't':
                    expect("true");
                    return Boolean.TRUE;
                case 'f':
                    expect("false");
                    return Boolean.FALSE;
                case 'n':
                    expect("null");
                    return null;
                default:
                    if (c == '-' || (c >= '0' && c <= '9'))
                    {
                        return readNumber();
                    }
                    throw error("unexpected '" + c + "'");
            }
        }

        private JsonObject readObject()
        {
            final JsonObject object = new JsonObject();
            position++;
            skipWhitespace();
            if (peek() == '}')
            {
                position++;
                return object;
            }
            while (true)
            {
                skipWhitespace();
                if (peek() != '"')
                {
                    throw error("expected a member name");
                }
                final String name = readString();
                skipWhitespace();
                if (peek() != ':')
                {
                    throw error("expected ':' after \"" + name + "\"");
                }
                position++;
                object.members.put(name, readValue());
                skipWhitespace();
                final char c = peek();
                position++;
                if (c == '}')
                {
                    return object;
                }
                if (c != ',')
                {
                    position--;
                    throw error("expected ',' or '}' in an object");
                }
            }
        }

        private JsonArray readArray()
        {
            final JsonArray array = new JsonArray();
            position++;
            skipWhitespace();
            if (peek() == ']')
            {
                position++;
                return array;
            }
            while (true)
            {
                array.values.add(readValue());
                skipWhitespace();
                final char c = peek();
                position++;
                if (c == ']')
                {
                    return array;
                }
                if (c != ',')
                {
                    position--;
                    throw error("expected ',' or ']' in an array");
                }
            }
        }

        private String readString()
        {
            position++;
            final StringBuilder sb = new StringBuilder();
            while (true)
            {
                if (position >= text.length())
                {
                    throw error("unterminated string");
                }
                final char c = text.charAt(position++);
                if (c == '"')
                {
                    return sb.toString();
                }
                if (c != '\\')
                {
                    sb.append(c);
                    continue;
                }
                if (position >= text.length())
                {
                    throw error("unterminated escape");
                }
                final char e = text.charAt(position++);
                switch (e)
                {
                    case '"':
                    case '\\':
                    case '/':
                        sb.append(e);
                        break;
                    case 'b':
                        sb.append('\b');
                        break;
                    case 'f':
                        sb.append('\f');
                        break;
                    case 'n':
                        sb.append('\n');
                        break;
                    case 'r':
                        sb.append('\r');
                        break;
                    case 't':
                        sb.append('\t');
                        break;
                    case 'u':
                        if (position + 4 > text.length())
                        {
                            throw error("short \\u escape");
                        }
                        try
                        {
                            sb.append((char)Integer.parseInt(text.substring(position, position + 4), 16));
                        }
                        catch (final NumberFormatException ex)
                        {
                            throw error("bad \\u escape");
                        }
                        position += 4;
                        break;
                    default:
                        throw error("bad escape \\" + e);
                }
            }
        }

        private Double readNumber()
        {
            final int start = position;
            while (position < text.length() && "+-0123456789.eE".indexOf(text.charAt(position)) >= 0)
            {
                position++;
            }
            try
            {
                return Double.valueOf(text.substring(start, position));
            }
            catch (final NumberFormatException ex)
            {
                position = start;
                throw error("bad number");
            }
        }

        private void expect(final String word)
        {
            if (!text.startsWith(word, position))
            {
                throw error("expected " + word);
            }
            position += word.length();
        }

        private char peek()
        {
            if (position >= text.length())
            {
                throw error("unexpected end of the text");
            }
            return text.charAt(position);
        }

        private void skipWhitespace()
        {
            while (position < text.length() && Character.isWhitespace(text.charAt(position)))
            {
                position++;
            }
        }

        private IllegalArgumentException error(final String what)
        {
            int line = 1;
            int column = 1;
            for (int i = 0; i < position && i < text.length(); i++)
            {
                if (text.charAt(i) == '\n')
                {
                    line++;
                    column = 1;
                }
                else
                {
                    column++;
                }
            }
            return new IllegalArgumentException(what + " at line " + line + ", column " + column);
        }
    }
}
