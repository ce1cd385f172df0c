package io.txmon.perf.report;

import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.HistogramLogReader;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * Reads an HdrHistogram interval log, as {@code HistogramLogWriter} writes it, with
 * {@link HistogramLogReader}: its start and base time rules, its tags, and its time range, in seconds from the
 * log's start, that takes each interval whose start lies in the range, ends included.
 * <p>
 * The reader stops without a word at most kinds of damage, which would pass a damaged log off as a shorter
 * run; so the file is checked line by line first, each interval line read on its own by a reader of its own,
 * and refused with the number of the first bad line.
 */
final class HlogFile
{
    private static final Pattern SEPARATORS = Pattern.compile("[ ,]+");
    private static final String LINE_FORM = "[Tag=<tag>,]<start s>,<length s>,<max>,<base64 histogram>";

    /**
     * Takes the intervals of a log.
     */
    @FunctionalInterface
    interface IntervalHandler
    {
        /**
         * @param tag          of the interval, null if untagged.
         * @param startSeconds from the start of the log.
         * @param lengthSeconds of the interval.
         * @param histogram    of the interval, nanoseconds.
         */
        void onInterval(String tag, double startSeconds, double lengthSeconds, AbstractHistogram histogram);
    }

    private HlogFile()
    {
    }

    /**
     * Check every line of a log the way {@link HistogramLogReader} will read it.
     *
     * @param file to check.
     * @return how many intervals it has.
     * @throws ReportException if a line is not a comment, legend or whole interval; the message names the line.
     * @throws IOException     if the file cannot be read.
     */
    static int check(final Path file) throws ReportException, IOException
    {
        int intervals = 0;
        int lineNumber = 0;
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1))
        {
            String raw;
            while (null != (raw = reader.readLine()))
            {
                lineNumber++;
                final String line = raw.trim();
                if (line.isEmpty() || line.startsWith("#") || line.startsWith("\"StartTimestamp\""))
                {
                    continue;
                }
                final String problem = intervalProblem(line);
                if (null != problem)
                {
                    throw new ReportException(file + " line " + lineNumber + ": " + problem + "; an interval line is " +
                        LINE_FORM + " as HistogramLogWriter writes it");
                }
                intervals++;
            }
        }
        return intervals;
    }

    /**
     * @param file         to read, {@link #check checked}.
     * @param fromSeconds  from the log's start: the first interval taken starts at or after it.
     * @param toSeconds    from the log's start: the last interval taken starts at or before it.
     * @param handler      of each interval taken, in the order of the log.
     * @return the start time of the log, seconds since the epoch, as the reader found it.
     * @throws ReportException if the reader refuses the log.
     * @throws IOException     if the file cannot be read.
     */
    static double read(final Path file, final double fromSeconds, final double toSeconds, final IntervalHandler handler)
        throws ReportException, IOException
    {
        try (InputStream in = Files.newInputStream(file); HistogramLogReader reader = new HistogramLogReader(in))
        {
            EncodableHistogram interval;
            while (null != (interval = reader.nextIntervalHistogram(fromSeconds, toSeconds)))
            {
                if (!(interval instanceof AbstractHistogram))
                {
                    throw new ReportException(file + ": holds a " + interval.getClass().getSimpleName() +
                        "; txmon report reads histograms of whole nanoseconds");
                }
                final double startSeconds = interval.getStartTimeStamp() / 1000.0 - reader.getStartTimeSec();
                final double lengthSeconds = (interval.getEndTimeStamp() - interval.getStartTimeStamp()) / 1000.0;
                handler.onInterval(interval.getTag(), startSeconds, lengthSeconds, (AbstractHistogram)interval);
            }
            return reader.getStartTimeSec();
        }
        catch (final RuntimeException ex)
        {
            throw new ReportException(file + ": HistogramLogReader cannot read it (" + ex + ")");
        }
    }

    private static String intervalProblem(final String line)
    {
        final String[] fields = SEPARATORS.split(line);
        final int first = fields[0].startsWith("Tag=") ? 1 : 0;
        if (fields.length - first != 4)
        {
            return fields.length - first + " fields where an interval has 4";
        }
        for (int i = first; i < first + 3; i++)
        {
            try
            {
                if (!Double.isFinite(Double.parseDouble(fields[i])))
                {
                    return "'" + fields[i] + "' is not a finite number";
                }
            }
            catch (final NumberFormatException ex)
            {
                return "'" + fields[i] + "' is not a number";
            }
        }
        try
        {
            Base64.getDecoder().decode(fields[first + 3]);
        }
        catch (final IllegalArgumentException ex)
        {
            return "the histogram is not Base64 (" + ex.getMessage() + ")";
        }
        final EncodableHistogram histogram;
        try (HistogramLogReader reader = new HistogramLogReader(
            new ByteArrayInputStream((line + "\n").getBytes(StandardCharsets.ISO_8859_1))))
        {
            histogram = reader.nextAbsoluteIntervalHistogram(-Double.MAX_VALUE, Double.MAX_VALUE);
        }
        catch (final RuntimeException ex)
        {
            return "the histogram does not decode; the file is damaged";
        }
        if (null == histogram)
        {
            return "the histogram does not decode; the file is damaged";
        }
        if (!(histogram instanceof AbstractHistogram))
        {
            return "a " + histogram.getClass().getSimpleName() + "; txmon report reads histograms of whole nanoseconds";
        }
        return null;
    }
}
