package io.txmon.monitor;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits one line of comma-separated values (RFC 4180 within a line): a field may be quoted with
 * {@code "}, a quoted field may hold commas, and {@code ""} inside it stands for one quote. Spaces around an
 * unquoted field are trimmed; a quoted field is taken as written. A record must fit on one line.
 */
final class CsvLine
{
    private CsvLine()
    {
    }

    /**
     * @param line without its line terminator.
     * @return the fields, in order; an empty line is one empty field.
     * @throws IllegalArgumentException saying where the line is malformed.
     */
    static List<String> split(final String line)
    {
        final List<String> fields = new ArrayList<>();
        final StringBuilder field = new StringBuilder();
        final int length = line.length();
        int i = 0;
        while (true)
        {
            while (i < length && line.charAt(i) == ' ')
            {
                i++;
            }
            if (i < length && line.charAt(i) == '"')
            {
                final int opening = i;
                i++;
                field.setLength(0);
                while (true)
                {
                    if (i >= length)
                    {
                        throw new IllegalArgumentException("the quoted field opened at column " + (opening + 1) +
                            " is not closed; a record must fit on one line");
                    }
                    final char c = line.charAt(i++);
                    if (c == '"')
                    {
                        if (i < length && line.charAt(i) == '"')
                        {
                            field.append('"');
                            i++;
                        }
                        else
                        {
                            break;
                        }
                    }
                    else
                    {
                        field.append(c);
                    }
                }
                fields.add(field.toString());
                while (i < length && line.charAt(i) == ' ')
                {
                    i++;
                }
                if (i < length && line.charAt(i) != ',')
                {
                    throw new IllegalArgumentException("unexpected '" + line.charAt(i) + "' at column " + (i + 1) +
                        " after a quoted field; separate fields with commas");
                }
            }
            else
            {
                final int start = i;
                while (i < length && line.charAt(i) != ',')
                {
                    if (line.charAt(i) == '"')
                    {
                        throw new IllegalArgumentException("a quote at column " + (i + 1) +
                            " inside an unquoted field; quote the whole field and double the quote");
                    }
                    i++;
                }
                fields.add(line.substring(start, i).trim());
            }
            if (i >= length)
            {
                return fields;
            }
            i++; // the comma
        }
    }
}
