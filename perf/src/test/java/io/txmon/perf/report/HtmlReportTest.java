package io.txmon.perf.report;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The HTML report: well-formed XML, a chart line and a table row per series, a table row per curve point,
 * every text escaped, nothing fetched from elsewhere.
 */
class HtmlReportTest
{
    private static final String SVG = "http://www.w3.org/2000/svg";
    private static final String XHTML = "http://www.w3.org/1999/xhtml";

    @TempDir
    Path temp;

    @Test
    void isWellFormedWithALinePerSeriesAndARowPerPoint() throws Exception
    {
        final String title = "Latency <&> 'quoted' \"too\"";
        final HtmlReport report = new HtmlReport(title)
            .meta("command", "txmon bench --rate 1000000 --find-max")
            .meta("commit <sha>", "a1b2c3 & dirty")
            .note("Warm-up of 10 s left out.\nSecond line <b>not bold</b> & \u0001 control");
        report.histogram("journaled", histogram(1, 20_000));
        report.histogram("decision", histogram(2, 40_000));
        report.series("raw-ipc", PercentileSeries.of(histogram(3, 5_000)));
        report.curve("Find max: 1 partition", List.of(
            new CurvePoint(250_000, 250_000, 9_000, 20_000, 45_000, 90_000, true),
            new CurvePoint(1_000_000, 999_800, 12_000, 60_000, 300_000, 1_200_000, true),
            new CurvePoint(500_000, 500_000, 10_000, 30_000, 80_000, 200_000, true),
            new CurvePoint(2_000_000, 1_300_000, 2_000_000, 40_000_000, 60_000_000, 80_000_000, false)));

        final String html = report.render();
        assertTrue(html.startsWith("<!DOCTYPE html>\n<html"), html.substring(0, 40));
        final Page page = parse(html);
        assertEquals(title, page.document.getElementsByTagNameNS(XHTML, "title").item(0).getTextContent());
        assertEquals(title, page.document.getElementsByTagNameNS(XHTML, "h1").item(0).getTextContent());
        assertTrue(html.contains("Latency &lt;&amp;&gt; &#39;quoted&#39; &quot;too&quot;"), "escaped in the source");
        assertTrue(html.contains("Second line &lt;b&gt;not bold&lt;/b&gt; &amp; \ufffd control"), "note escaped");
        assertEquals(1, page.document.getElementsByTagNameNS(XHTML, "br").getLength(), "the note's line break");
        assertEquals(0, page.document.getElementsByTagNameNS(XHTML, "b").getLength(), "no markup from text");

        assertEquals(3, page.polylines("percentile-chart"));
        assertEquals(3, page.bodyRows("percentiles"));
        assertEquals(2, page.bodyRows("meta"));
        assertEquals(4, page.bodyRows("curve-points"));
        assertEquals(2, page.polylines("curve-chart"), "p50 and p99");
        assertEquals(1, count(html, "<tr class=\"not-sustained\">"));
        assertTrue(html.contains("Highest sustained offered rate: 1,000,000 per second."), "caption");

        for (final String tick : List.of(">0%<", ">90%<", ">99%<", ">99.9%<", ">99.99%<", ">99.999%<"))
        {
            assertTrue(html.contains(tick), "percentile tick " + tick);
        }
        final String outside = html.replace("xmlns=\"" + SVG + "\"", "").replace("xmlns=\"" + XHTML + "\"", "");
        for (final String fetch : List.of("http:", "https:", "src=", "href=", "@import", "url(", "<script", "<link"))
        {
            assertFalse(outside.contains(fetch), "nothing fetched from elsewhere: " + fetch);
        }
    }

    @Test
    void linesEndAtTheMaximumAndRiseWithThePercentile() throws Exception
    {
        final Histogram histogram = histogram(5, 10_000);
        final String html = new HtmlReport("one").histogram("only", histogram).render();
        final Page page = parse(html);
        final Element line = page.inChart("percentile-chart", "polyline").get(0);
        final String[] points = line.getAttribute("points").split(" ");
        assertEquals(PercentileSeries.of(histogram).points().size(), points.length);
        double lastX = -1;
        double lastY = Double.MAX_VALUE;
        for (final String point : points)
        {
            final double x = Double.parseDouble(point.split(",")[0]);
            final double y = Double.parseDouble(point.split(",")[1]);
            assertTrue(x >= lastX && y <= lastY, "rises to the right: " + point);
            lastX = x;
            lastY = y;
        }
        assertEquals("only", line.getElementsByTagNameNS(SVG, "title").item(0).getTextContent());
    }

    @Test
    void writesOneUtf8File() throws Exception
    {
        final Path file = temp.resolve("r.html");
        new HtmlReport("r \u00b5s").histogram("a", histogram(9, 100)).curve("empty curve", List.of()).write(file);
        final String html = Files.readString(file, StandardCharsets.UTF_8);
        assertTrue(html.contains("<title>r \u00b5s</title>"));
        assertEquals(0, parse(html).bodyRows("curve-points"));
        assertTrue(html.contains("no points"));
    }

    @Test
    void refusesTheSameSeriesNameTwice()
    {
        final HtmlReport report = new HtmlReport("t").histogram("a", histogram(1, 10));
        try
        {
            report.histogram("a", histogram(2, 10));
            throw new AssertionError("took a second series named a");
        }
        catch (final IllegalArgumentException expected)
        {
            assertTrue(expected.getMessage().contains("'a'"));
        }
    }

    /**
     * A histogram of a body around 20 us and a seeded tail to tens of milliseconds.
     */
    static Histogram histogram(final long seed, final int count)
    {
        final Histogram histogram = new Histogram(3);
        final SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < count; i++)
        {
            final double u = random.nextDouble();
            final long tail = u > 0.99 ? (long)(4e11 * (u - 0.99) * (u - 0.99)) : 0;
            histogram.recordValue(10_000L * seed + (long)(20_000 * u) + tail);
        }
        return histogram;
    }

    /**
     * @return the page parsed as XML, namespaces on; fails if it is not well-formed.
     */
    static Page parse(final String html) throws Exception
    {
        final DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        final DocumentBuilder builder = factory.newDocumentBuilder();
        return new Page(builder.parse(new InputSource(new StringReader(html))));
    }

    private static int count(final String text, final String part)
    {
        int count = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1))
        {
            count++;
        }
        return count;
    }

    /**
     * A parsed report.
     */
    static final class Page
    {
        final Document document;

        Page(final Document document)
        {
            this.document = document;
        }

        /**
         * @return polylines in the chart of the class.
         */
        int polylines(final String chartClass)
        {
            return inChart(chartClass, "polyline").size();
        }

        List<Element> inChart(final String chartClass, final String element)
        {
            final NodeList charts = document.getElementsByTagNameNS(SVG, "svg");
            for (int i = 0; i < charts.getLength(); i++)
            {
                final Element chart = (Element)charts.item(i);
                if (chartClass.equals(chart.getAttribute("class")))
                {
                    return elements(chart.getElementsByTagNameNS(SVG, element));
                }
            }
            throw new AssertionError("no chart of class " + chartClass);
        }

        /**
         * @return rows in the body of the table of the class.
         */
        int bodyRows(final String tableClass)
        {
            final NodeList tables = document.getElementsByTagNameNS(XHTML, "table");
            for (int i = 0; i < tables.getLength(); i++)
            {
                final Element table = (Element)tables.item(i);
                if (tableClass.equals(table.getAttribute("class")))
                {
                    final Element body = (Element)table.getElementsByTagNameNS(XHTML, "tbody").item(0);
                    return body.getElementsByTagNameNS(XHTML, "tr").getLength();
                }
            }
            throw new AssertionError("no table of class " + tableClass);
        }

        private static List<Element> elements(final NodeList nodes)
        {
            final Element[] elements = new Element[nodes.getLength()];
            for (int i = 0; i < elements.length; i++)
            {
                elements[i] = (Element)nodes.item(i);
            }
            return List.of(elements);
        }
    }
}
