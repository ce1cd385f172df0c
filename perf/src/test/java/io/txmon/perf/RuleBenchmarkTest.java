package io.txmon.perf;

import io.txmon.rules.config.RuleType;
import io.txmon.rules.typology.Typologies;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Param;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link RuleBenchmark}'s rows, checked without running it: JMH needs its {@code @Param} values as constants, so
 * they are written out, and this test keeps them the catalogue's names in its order, then the whole set.
 */
class RuleBenchmarkTest
{
    @Test
    void paramsAreTheCatalogueInItsOrderThenTheWholeSet() throws NoSuchFieldException
    {
        final List<String> expected = new ArrayList<>();
        for (final RuleType<?> type : Typologies.catalog())
        {
            expected.add(type.name());
        }
        expected.add(RuleBenchmark.ALL);

        final Param param = RuleBenchmark.class.getField("ruleName").getAnnotation(Param.class);
        assertEquals(expected, Arrays.asList(param.value()),
            "RuleBenchmark's @Param list must name every typology of Typologies.catalog(), in its order, then " +
            RuleBenchmark.ALL);
    }
}
