package io.txmon.tools;

import io.txmon.cli.CliArgs;
import io.txmon.journal.JournalDescriptor;
import io.txmon.journal.JournalException;
import io.txmon.journal.JournalMetadata;
import io.txmon.journal.JournalReader;
import io.txmon.journal.RecordHandler;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What the journal tools share: splitting positional arguments from options, checking that a directory is a
 * journal this build reads before anything else runs, telling the event journal from the alert journal, and
 * progress on a terminal.
 */
final class JournalDirs
{
    private JournalDirs()
    {
    }

    /**
     * @param args      of a command.
     * @param withValue options that take a value.
     * @return the arguments that are neither options nor option values, in order.
     */
    static List<String> positional(final String[] args, final Set<String> withValue)
    {
        final List<String> positional = new ArrayList<>();
        for (int i = 0; i < args.length; i++)
        {
            final String arg = args[i];
            if (arg.startsWith("--"))
            {
                if (withValue.contains(arg))
                {
                    i++;
                }
            }
            else
            {
                positional.add(arg);
            }
        }
        return positional;
    }

    /**
     * @param args      of a command.
     * @param withValue options that take a value.
     * @return the options and their values, without the positional arguments.
     */
    static String[] options(final String[] args, final Set<String> withValue)
    {
        final List<String> options = new ArrayList<>();
        for (int i = 0; i < args.length; i++)
        {
            final String arg = args[i];
            if (arg.startsWith("--"))
            {
                options.add(arg);
                if (withValue.contains(arg) && i + 1 < args.length)
                {
                    options.add(args[++i]);
                }
            }
        }
        return options.toArray(new String[0]);
    }

    /**
     * Check that a directory holds a journal this build can read.
     *
     * @param text    the directory as given.
     * @param command for messages.
     * @return the directory.
     * @throws CliArgs.UsageException when it is missing, not a journal, or of a newer format.
     */
    static Path journal(final String text, final String command)
    {
        final Path dir = Path.of(text);
        if (!Files.exists(dir))
        {
            throw new CliArgs.UsageException("no journal at " + dir + ": the directory does not exist");
        }
        if (!Files.isDirectory(dir))
        {
            throw new CliArgs.UsageException(dir + " is not a journal: a journal is a directory of segment files");
        }
        try
        {
            JournalMetadata.read(dir);
        }
        catch (final JournalException ex)
        {
            throw new CliArgs.UsageException(ex.getMessage());
        }
        if (!hasSegments(dir))
        {
            throw new CliArgs.UsageException(dir + " is not a journal: it holds no segment files (" +
                "NNNNNNNNNNNNNNNNNNNN" + JournalDescriptor.SEGMENT_SUFFIX + "); see 'txmon " + command + " --help'");
        }
        return dir;
    }

    private static boolean hasSegments(final Path dir)
    {
        try (Stream<Path> files = Files.list(dir))
        {
            return files.anyMatch((path) -> path.getFileName().toString().matches("\\d{20}\\.log"));
        }
        catch (final IOException ex)
        {
            throw new CliArgs.UsageException("cannot list " + dir + ": " + ex.getMessage());
        }
    }

    /**
     * Tell the alert journal from the event journal by the template of its first record.
     *
     * @param dir of a journal.
     * @return true if its first record is an Alert; false if it is an event, or the journal is empty.
     */
    static boolean isAlertJournal(final Path dir)
    {
        final int[] template = { -1 };
        final RecordHandler first = (offset, timestamp, templateId, buffer, payloadOffset, payloadLength) ->
            template[0] = templateId;
        try (JournalReader reader = JournalReader.open(dir))
        {
            reader.poll(first, 1);
        }
        return template[0] == EventFormat.ALERT_TEMPLATE_ID;
    }

    /**
     * Lines of text to an output stream, in UTF-8, through a buffer of its own: no {@code String} or
     * {@code char[]} copy per line, ASCII written a byte per char.
     */
    static final class Lines
    {
        private static final int CAPACITY = 64 * 1024;
        private static final int MAX_BYTES_PER_CHAR = 4;

        private final OutputStream out;
        private final byte[] buffer = new byte[CAPACITY];
        private char[] chars = new char[1024];
        private int position;

        /**
         * @param out to write to; flushed by {@link #flush()}.
         */
        Lines(final OutputStream out)
        {
            this.out = out;
        }

        /**
         * @param text one line, without its line separator.
         * @throws IOException from the stream.
         */
        void line(final CharSequence text) throws IOException
        {
            final int length = text.length();
            if (chars.length < length)
            {
                chars = new char[Math.max(length, chars.length * 2)];
            }
            if (text instanceof StringBuilder)
            {
                ((StringBuilder)text).getChars(0, length, chars, 0);
            }
            else
            {
                text.toString().getChars(0, length, chars, 0);
            }
            if (position + (long)length * MAX_BYTES_PER_CHAR + 1 > CAPACITY)
            {
                drain();
            }
            // only a line longer than a quarter of the buffer needs a check for room at every char
            final boolean longLine = (long)length * MAX_BYTES_PER_CHAR + 1 > CAPACITY;
            final char[] source = chars;
            for (int i = 0; i < length; i++)
            {
                if (longLine && position > CAPACITY - MAX_BYTES_PER_CHAR)
                {
                    drain();
                }
                final char c = source[i];
                if (c < 0x80)
                {
                    buffer[position++] = (byte)c;
                }
                else if (c < 0x800)
                {
                    buffer[position++] = (byte)(0xC0 | (c >> 6));
                    buffer[position++] = (byte)(0x80 | (c & 0x3F));
                }
                else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(source[i + 1]))
                {
                    final int codePoint = Character.toCodePoint(c, source[++i]);
                    buffer[position++] = (byte)(0xF0 | (codePoint >> 18));
                    buffer[position++] = (byte)(0x80 | ((codePoint >> 12) & 0x3F));
                    buffer[position++] = (byte)(0x80 | ((codePoint >> 6) & 0x3F));
                    buffer[position++] = (byte)(0x80 | (codePoint & 0x3F));
                }
                else if (Character.isSurrogate(c))
                {
                    buffer[position++] = (byte)'?';
                }
                else
                {
                    buffer[position++] = (byte)(0xE0 | (c >> 12));
                    buffer[position++] = (byte)(0x80 | ((c >> 6) & 0x3F));
                    buffer[position++] = (byte)(0x80 | (c & 0x3F));
                }
            }
            if (position == CAPACITY)
            {
                drain();
            }
            buffer[position++] = (byte)'\n';
        }

        /**
         * @param line one line, without its line separator.
         * @throws IOException from the stream.
         */
        void line(final Utf8Line line) throws IOException
        {
            final int length = line.length();
            if (position + length + 1 > CAPACITY)
            {
                drain();
            }
            if (length + 1 > CAPACITY)
            {
                out.write(line.bytes(), 0, length);
            }
            else
            {
                System.arraycopy(line.bytes(), 0, buffer, position, length);
                position += length;
            }
            buffer[position++] = (byte)'\n';
        }

        /**
         * Write out what is buffered and flush the stream.
         *
         * @throws IOException from the stream.
         */
        void flush() throws IOException
        {
            drain();
            out.flush();
        }

        private void drain() throws IOException
        {
            if (position > 0)
            {
                out.write(buffer, 0, position);
                position = 0;
            }
        }
    }

    /**
     * Progress on standard error, only when it is a terminal, at most about once a second.
     */
    static final class Progress
    {
        private static final long INTERVAL_NS = 1_000_000_000L;

        private final PrintStream err;
        private final String what;
        private final boolean enabled;
        private long nextReportNs;
        private boolean shown;

        /**
         * @param err  standard error.
         * @param what is counted, e.g. "records dumped".
         */
        Progress(final PrintStream err, final String what)
        {
            this.err = err;
            this.what = what;
            this.enabled = null != System.console();
            this.nextReportNs = System.nanoTime() + INTERVAL_NS;
        }

        /**
         * @param count  so far.
         * @param offset of the last record.
         * @param lines  the output, flushed first so the progress text starts a line of its own on the terminal.
         * @throws IOException from the output.
         */
        void update(final long count, final long offset, final Lines lines) throws IOException
        {
            if (enabled && (count & 1023) == 0)
            {
                final long now = System.nanoTime();
                if (now - nextReportNs >= 0)
                {
                    nextReportNs = now + INTERVAL_NS;
                    lines.flush();
                    err.print("\r" + count + " " + what + ", at offset " + offset + "   ");
                    err.flush();
                    shown = true;
                }
            }
        }

        void done()
        {
            if (shown)
            {
                err.print("\r\033[K");
                err.flush();
            }
        }
    }
}
