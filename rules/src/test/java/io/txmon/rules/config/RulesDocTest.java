package io.txmon.rules.config;

import io.txmon.rules.typology.Typologies;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The docs check: the table of every key and its default in {@code rules/RULES.md} is the catalogue's, row for
 * row, so a typology added to {@link Typologies#catalog()} or a default changed there fails here until the
 * document says so too.
 */
class RulesDocTest
{
    private static final String TABLE = "### All keys and their defaults";

    @Test
    void allKeysTableIsTheCatalogue() throws IOException
    {
        final List<String> expected = new ArrayList<>();
        for (final RuleType<?> type : Typologies.catalog())
        {
            final StringBuilder row = new StringBuilder();
            row.append("| ").append(type.id()).append(" | ").append(type.name()).append(" | ");
            String separator = "";
            for (final Parameter parameter : type.parameters())
            {
                row.append(separator).append('`').append(parameter.key()).append("` = `")
                    .append(parameter.format(parameter.get(type.defaults()))).append('`');
                separator = ", ";
            }
            expected.add(row.append(" |").toString());
        }

        assertEquals(expected, documented(), "rules/RULES.md, " + TABLE + ": one row per typology of the catalogue");
    }

    private static List<String> documented() throws IOException
    {
        Path file = Path.of("RULES.md");
        if (!Files.exists(file))
        {
            file = Path.of("rules", "RULES.md");
        }
        final List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        final int start = lines.indexOf(TABLE);
        assertTrue(start >= 0, file + " has no '" + TABLE + "'");
        final List<String> rows = new ArrayList<>();
        for (int i = start + 1; i < lines.size() && !lines.get(i).startsWith("#"); i++)
        {
            final String line = lines.get(i);
            if (line.matches("\\| \\d+ \\|.*"))
            {
                rows.add(line);
            }
        }
        return rows;
    }
}
