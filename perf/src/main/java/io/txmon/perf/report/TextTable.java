package io.txmon.perf.report;

import java.util.ArrayList;
import java.util.List;

/**
 * A plain text table for a terminal: a header and rows of cells, the first column left-aligned, the others
 * right-aligned, two spaces between columns, lines ended by {@code \n}.
 */
final class TextTable
{
    private static final String GAP = "  ";

    private final String[] header;
    private final List<String[]> rows = new ArrayList<>();

    TextTable(final String... header)
    {
        this.header = header.clone();
    }

    TextTable row(final String... cells)
    {
        if (cells.length != header.length)
        {
            throw new IllegalArgumentException("a row of " + cells.length + " cells in a table of " + header.length);
        }
        rows.add(cells.clone());
        return this;
    }

    String render()
    {
        final int[] widths = new int[header.length];
        for (int i = 0; i < header.length; i++)
        {
            widths[i] = header[i].length();
            for (final String[] row : rows)
            {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        final StringBuilder sb = new StringBuilder();
        line(sb, header, widths);
        for (final String[] row : rows)
        {
            line(sb, row, widths);
        }
        return sb.toString();
    }

    private static void line(final StringBuilder sb, final String[] cells, final int[] widths)
    {
        for (int i = 0; i < cells.length; i++)
        {
            final String cell = cells[i];
            final String padding = " ".repeat(widths[i] - cell.length());
            if (i > 0)
            {
                sb.append(GAP).append(padding).append(cell);
            }
            else if (cells.length > 1)
            {
                sb.append(cell).append(padding);
            }
            else
            {
                sb.append(cell);
            }
        }
        sb.append('\n');
    }
}
