package io.txmon.perf.report;

import java.math.BigDecimal;
import java.util.Locale;

/**
 * What the HTML report and its charts share: escaping for HTML and SVG that an XML parser also accepts,
 * coordinates, the series colours and axis labels.
 */
final class Markup
{
    /** Distinct colours for series, in order (Tableau 10); after ten they repeat, dashed. */
    static final String[] COLOURS = {
        "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
        "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf" };

    private Markup()
    {
    }

    /**
     * @param text any text.
     * @return it with {@code & < > " '} escaped, and characters XML does not allow replaced by U+FFFD.
     */
    static String escape(final String text)
    {
        final StringBuilder sb = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            switch (c)
            {
                case '&':
                    sb.append("&amp;");
                    break;
                case '<':
                    sb.append("&lt;");
                    break;
                case '>':
                    sb.append("&gt;");
                    break;
                case '"':
                    sb.append("&quot;");
                    break;
                case '\'':
                    sb.append("&#39;");
                    break;
                default:
                    if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0xfffe || c == 0xffff ||
                        (Character.isSurrogate(c) && !pairedSurrogate(text, i)))
                    {
                        sb.append('\ufffd');
                    }
                    else
                    {
                        sb.append(c);
                    }
            }
        }
        return sb.toString();
    }

    /**
     * @param series index of a series.
     * @return its colour.
     */
    static String colour(final int series)
    {
        return COLOURS[series % COLOURS.length];
    }

    /**
     * @param series index of a series.
     * @return an SVG dash attribute for series past the palette, else empty.
     */
    static String dash(final int series)
    {
        return series < COLOURS.length ? "" : " stroke-dasharray=\"" + (2 + 4 * (series / COLOURS.length)) + " 3\"";
    }

    /**
     * @param coordinate in SVG user units.
     * @return it to a tenth.
     */
    static String xy(final double coordinate)
    {
        return String.format(Locale.ROOT, "%.1f", coordinate);
    }

    /**
     * @param nanos a round latency, such as a tick of a logarithmic axis.
     * @return it in the largest unit that keeps it whole or short: {@code 500 ns}, {@code 20 us}, {@code 1.5 ms}.
     */
    static String duration(final double nanos)
    {
        if (nanos < 1e3)
        {
            return plain(nanos) + " ns";
        }
        if (nanos < 1e6)
        {
            return plain(nanos / 1e3) + " us";
        }
        if (nanos < 1e9)
        {
            return plain(nanos / 1e6) + " ms";
        }
        return plain(nanos / 1e9) + " s";
    }

    /**
     * @param perSecond a rate, such as a tick of an axis.
     * @return it short: {@code 750}, {@code 250k}, {@code 1.5M}.
     */
    static String rate(final double perSecond)
    {
        if (perSecond >= 1e9)
        {
            return plain(perSecond / 1e9) + "G";
        }
        if (perSecond >= 1e6)
        {
            return plain(perSecond / 1e6) + "M";
        }
        if (perSecond >= 1e3)
        {
            return plain(perSecond / 1e3) + "k";
        }
        return plain(perSecond);
    }

    /**
     * @param perSecond a rate.
     * @return it whole, thousands grouped: {@code 1,250,000}.
     */
    static String wholeRate(final double perSecond)
    {
        return String.format(Locale.ROOT, "%,.0f", perSecond);
    }

    private static String plain(final double value)
    {
        return new BigDecimal(String.format(Locale.ROOT, "%.3g", value)).stripTrailingZeros().toPlainString();
    }

    private static boolean pairedSurrogate(final String text, final int i)
    {
        final char c = text.charAt(i);
        if (Character.isHighSurrogate(c))
        {
            return i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(text.charAt(i - 1));
    }
}
