package io.txmon.journal.fault;

import io.txmon.journal.JournalCursor;
import io.txmon.journal.JournalException;
import io.txmon.journal.JournalReader;
import io.txmon.journal.JournalTamper;
import io.txmon.journal.JournalVerifier;
import io.txmon.journal.JournalWriter;
import org.agrona.DirectBuffer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Run in a child JVM by {@link JournalByteFlipFaultTest}: for each journal copy named in a list file, in order,
 * verifies it, reads every record, reads the cursor, then opens and closes a writer on it, as {@code txmon run}
 * would, and prints one result line per copy. A JVM crash (SIGSEGV, SIGBUS) stops the output: the first
 * missing line names the copy that crashed it.
 * <p>
 * A line: {@code R <index> V=<ok|bad|exc> READ=<records delivered>/<all intact?>/<ok|exc> C=<ok|exc>
 * O=<ok:nextOffset:truncatedBytes|refused> NAMED=<true|false> UNCAUGHT=<class or ->}.
 */
public final class FaultProbe
{
    private FaultProbe()
    {
    }

    public static void main(final String[] args) throws IOException
    {
        final List<String> dirs = Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8);
        for (int i = 0; i < dirs.size(); i++)
        {
            System.out.println("R " + i + " " + probe(Path.of(dirs.get(i))));
            System.out.flush();
        }
    }

    private static String probe(final Path dir)
    {
        final StringBuilder line = new StringBuilder(200);
        final String path = dir.toString();
        boolean named = true;
        String uncaught = "-";

        try
        {
            final int[] problems = { 0 };
            final boolean[] fileNamed = { true };
            JournalVerifier.verify(dir, (p) ->
            {
                problems[0]++;
                fileNamed[0] &= null != p.file() && p.file().toString().startsWith(path);
                return true;
            });
            named &= fileNamed[0];
            line.append("V=").append(problems[0] == 0 ? "ok" : "bad");
        }
        catch (final JournalException ex)
        {
            named &= ex.getMessage().contains(path);
            line.append("V=exc");
        }
        catch (final RuntimeException ex)
        {
            uncaught = "verify:" + ex;
            line.append("V=exc");
        }

        final long[] delivered = { 0 };
        final boolean[] intact = { true };
        try (JournalReader reader = JournalReader.open(dir))
        {
            final io.txmon.journal.RecordHandler handler =
                (final long offset, final long ts, final int templateId, final DirectBuffer buffer, final int at,
                final int length) ->
                {
                    final byte[] payload = new byte[length];
                    buffer.getBytes(at, payload);
                    intact[0] &= offset == delivered[0] + reader.firstOffset() &&
                        JournalTamper.intact(offset, ts, templateId, payload);
                    delivered[0]++;
                };
            while (reader.poll(handler, 256) > 0 && delivered[0] < 10_000_000)
            {
                // every record available
            }
            line.append(" READ=").append(delivered[0]).append('/').append(intact[0]).append("/ok");
        }
        catch (final JournalException ex)
        {
            named &= ex.getMessage().contains(path);
            line.append(" READ=").append(delivered[0]).append('/').append(intact[0]).append("/exc");
        }
        catch (final RuntimeException ex)
        {
            uncaught = "read:" + ex;
            line.append(" READ=").append(delivered[0]).append('/').append(intact[0]).append("/exc");
        }

        try
        {
            JournalCursor.read(dir, JournalTamper.CURSOR);
            line.append(" C=ok");
        }
        catch (final JournalException ex)
        {
            named &= ex.getMessage().contains(path);
            line.append(" C=exc");
        }
        catch (final RuntimeException ex)
        {
            uncaught = "cursor:" + ex;
            line.append(" C=exc");
        }

        try (JournalWriter writer = JournalWriter.open(dir, JournalTamper.SEGMENT_LENGTH))
        {
            line.append(" O=ok:").append(writer.nextOffset()).append(':').append(writer.truncatedBytes());
        }
        catch (final JournalException ex)
        {
            named &= ex.getMessage().contains(path);
            line.append(" O=refused");
        }
        catch (final RuntimeException ex)
        {
            uncaught = "open:" + ex;
            line.append(" O=refused");
        }
        line.append(" NAMED=").append(named).append(" UNCAUGHT=").append(uncaught.replace(' ', '_'));
        return line.toString();
    }
}
