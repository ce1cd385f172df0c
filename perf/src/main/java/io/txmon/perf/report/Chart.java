package io.txmon.perf.report;

import java.util.ArrayList;
import java.util.List;

/**
 * The frame both charts draw in: an SVG of fixed user size with a plot area inside margins for the axes, a
 * grid, tick labels, axis titles and a legend. The SVG scales to the page width by CSS.
 */
final class Chart
{
    static final int WIDTH = 960;
    static final int HEIGHT = 480;
    static final int LEFT = 84;
    static final int RIGHT = 48;
    static final int TOP = 20;
    static final int BOTTOM = 60;
    static final double PLOT_WIDTH = WIDTH - LEFT - RIGHT;
    static final double PLOT_HEIGHT = HEIGHT - TOP - BOTTOM;
    private static final int LEGEND_LINE = 18;

    private final StringBuilder sb;

    /**
     * Open an {@code <svg>} element.
     *
     * @param sb          to append to.
     * @param cssClass    of the element.
     * @param description of the chart for assistive technology.
     */
    Chart(final StringBuilder sb, final String cssClass, final String description)
    {
        this.sb = sb;
        sb.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"").append(cssClass)
            .append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT)
            .append("\" width=\"").append(WIDTH).append("\" height=\"").append(HEIGHT)
            .append("\" role=\"img\" aria-label=\"").append(Markup.escape(description)).append("\">\n")
            .append("<rect class=\"plot\" x=\"").append(LEFT).append("\" y=\"").append(TOP)
            .append("\" width=\"").append(Markup.xy(PLOT_WIDTH)).append("\" height=\"").append(Markup.xy(PLOT_HEIGHT))
            .append("\"/>\n");
    }

    /**
     * @param fraction of the plot width from its left edge.
     * @return the x coordinate.
     */
    static double x(final double fraction)
    {
        return LEFT + fraction * PLOT_WIDTH;
    }

    /**
     * @param fraction of the plot height from its bottom edge.
     * @return the y coordinate.
     */
    static double y(final double fraction)
    {
        return TOP + (1.0 - fraction) * PLOT_HEIGHT;
    }

    /**
     * A vertical grid line with its label under the axis.
     *
     * @param fraction of the plot width.
     * @param label    of the tick.
     */
    void xTick(final double fraction, final String label)
    {
        final String x = Markup.xy(x(fraction));
        sb.append("<line class=\"grid\" x1=\"").append(x).append("\" y1=\"").append(TOP)
            .append("\" x2=\"").append(x).append("\" y2=\"").append(Markup.xy(TOP + PLOT_HEIGHT)).append("\"/>\n")
            .append("<text class=\"tick\" x=\"").append(x).append("\" y=\"").append(Markup.xy(TOP + PLOT_HEIGHT + 18))
            .append("\" text-anchor=\"middle\">").append(Markup.escape(label)).append("</text>\n");
    }

    /**
     * A horizontal grid line with its label left of the axis.
     *
     * @param fraction of the plot height.
     * @param label    of the tick.
     */
    void yTick(final double fraction, final String label)
    {
        final String y = Markup.xy(y(fraction));
        sb.append("<line class=\"grid\" x1=\"").append(LEFT).append("\" y1=\"").append(y)
            .append("\" x2=\"").append(Markup.xy(LEFT + PLOT_WIDTH)).append("\" y2=\"").append(y).append("\"/>\n")
            .append("<text class=\"tick\" x=\"").append(LEFT - 8).append("\" y=\"").append(y)
            .append("\" text-anchor=\"end\" dominant-baseline=\"middle\">").append(Markup.escape(label))
            .append("</text>\n");
    }

    /**
     * @param xTitle under the x axis.
     * @param yTitle left of the y axis, vertical.
     */
    void axisTitles(final String xTitle, final String yTitle)
    {
        sb.append("<text class=\"axis\" x=\"").append(Markup.xy(x(0.5))).append("\" y=\"").append(HEIGHT - 14)
            .append("\" text-anchor=\"middle\">").append(Markup.escape(xTitle)).append("</text>\n")
            .append("<text class=\"axis\" x=\"16\" y=\"").append(Markup.xy(y(0.5)))
            .append("\" text-anchor=\"middle\" transform=\"rotate(-90 16 ").append(Markup.xy(y(0.5))).append(")\">")
            .append(Markup.escape(yTitle)).append("</text>\n");
    }

    /**
     * A line through points given as fractions of the plot, with a tooltip.
     *
     * @param xs       fractions of the plot width.
     * @param ys       fractions of the plot height.
     * @param count    of points.
     * @param colour   of the line.
     * @param extra    more attributes, such as a dash pattern, or empty.
     * @param tooltip  shown on hover.
     */
    void polyline(
        final double[] xs,
        final double[] ys,
        final int count,
        final String colour,
        final String extra,
        final String tooltip)
    {
        sb.append("<polyline class=\"series\" fill=\"none\" stroke=\"").append(colour).append('"').append(extra)
            .append(" points=\"");
        for (int i = 0; i < count; i++)
        {
            sb.append(i > 0 ? " " : "").append(Markup.xy(x(xs[i]))).append(',').append(Markup.xy(y(ys[i])));
        }
        sb.append("\"><title>").append(Markup.escape(tooltip)).append("</title></polyline>\n");
    }

    /**
     * A point marker.
     *
     * @param xFraction of the plot width.
     * @param yFraction of the plot height.
     * @param colour    of its outline.
     * @param filled    filled with the colour, else hollow.
     * @param tooltip   shown on hover.
     */
    void marker(
        final double xFraction, final double yFraction, final String colour, final boolean filled, final String tooltip)
    {
        sb.append("<circle class=\"marker\" cx=\"").append(Markup.xy(x(xFraction))).append("\" cy=\"")
            .append(Markup.xy(y(yFraction))).append("\" r=\"4\" stroke=\"").append(colour).append("\" fill=\"")
            .append(filled ? colour : "#ffffff").append("\"><title>").append(Markup.escape(tooltip))
            .append("</title></circle>\n");
    }

    /**
     * A legend in the top left corner of the plot.
     *
     * @param labels  of the entries.
     * @param colours of the entries.
     * @param extras  more attributes of each entry's line, such as a dash pattern, or empty.
     */
    void legend(final List<String> labels, final List<String> colours, final List<String> extras)
    {
        int longest = 0;
        for (final String label : labels)
        {
            longest = Math.max(longest, label.length());
        }
        final double left = LEFT + 12;
        final double top = TOP + 10;
        sb.append("<g class=\"legend\">\n<rect x=\"").append(Markup.xy(left)).append("\" y=\"").append(Markup.xy(top))
            .append("\" width=\"").append(Markup.xy(44 + 7.5 * longest)).append("\" height=\"")
            .append(Markup.xy(8 + LEGEND_LINE * labels.size())).append("\"/>\n");
        for (int i = 0; i < labels.size(); i++)
        {
            final double y = top + 4 + LEGEND_LINE * (i + 0.5);
            sb.append("<line x1=\"").append(Markup.xy(left + 8)).append("\" y1=\"").append(Markup.xy(y))
                .append("\" x2=\"").append(Markup.xy(left + 32)).append("\" y2=\"").append(Markup.xy(y))
                .append("\" stroke=\"").append(colours.get(i)).append('"').append(extras.get(i)).append("/>\n")
                .append("<text x=\"").append(Markup.xy(left + 38)).append("\" y=\"").append(Markup.xy(y))
                .append("\" dominant-baseline=\"middle\">").append(Markup.escape(labels.get(i))).append("</text>\n");
        }
        sb.append("</g>\n");
    }

    /**
     * A message in the middle of an empty plot.
     *
     * @param text of the message.
     */
    void message(final String text)
    {
        sb.append("<text class=\"axis\" x=\"").append(Markup.xy(x(0.5))).append("\" y=\"").append(Markup.xy(y(0.5)))
            .append("\" text-anchor=\"middle\">").append(Markup.escape(text)).append("</text>\n");
    }

    /**
     * Close the {@code <svg>} element.
     */
    void close()
    {
        sb.append("</svg>\n");
    }

    /**
     * A logarithmic axis of latencies over whole decades of nanoseconds.
     */
    static final class LogAxis
    {
        private final int low;
        private final int high;

        /**
         * @param minPositive smallest value to show, above 0.
         * @param max         largest value to show.
         */
        LogAxis(final double minPositive, final double max)
        {
            low = (int)Math.floor(Math.log10(Math.max(1.0, minPositive)));
            high = Math.max(low + 1, (int)Math.ceil(Math.log10(Math.max(1.0, max))));
        }

        /**
         * @param value on the axis; values below its bottom, 0 among them, are drawn at the bottom.
         * @return its fraction of the axis.
         */
        double fraction(final double value)
        {
            final double log = value <= 0 ? low : Math.max(low, Math.log10(value));
            return (log - low) / (high - low);
        }

        /**
         * @return values for ticks: each decade, with 2 and 5 times it too over three decades or fewer.
         */
        List<Double> ticks()
        {
            final List<Double> ticks = new ArrayList<>();
            final boolean fine = high - low <= 3;
            for (int decade = low; decade <= high; decade++)
            {
                final double base = Math.pow(10, decade);
                ticks.add(base);
                if (fine && decade < high)
                {
                    ticks.add(2 * base);
                    ticks.add(5 * base);
                }
            }
            return ticks;
        }
    }
}
