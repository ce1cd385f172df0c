package io.txmon.events;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RejectReasonTest
{
    /**
     * The contract other modules code against: these names, in this order, with these codes.
     */
    private static final List<String> CONTRACT = List.of(
        "NONE", "TRUNCATED_HEADER", "WRONG_SCHEMA_ID", "UNSUPPORTED_VERSION", "UNKNOWN_TEMPLATE",
        "EGRESS_ONLY_TEMPLATE", "BLOCK_LENGTH_TOO_SMALL", "TRUNCATED_BLOCK", "TRUNCATED_GROUP", "GROUP_TOO_LARGE",
        "TRUNCATED_VAR_DATA", "VAR_DATA_TOO_LONG", "TRAILING_BYTES", "INVALID_ACCOUNT", "INVALID_AMOUNT",
        "INVALID_CURRENCY", "INVALID_ENUM", "INVALID_PRICE", "INVALID_QUANTITY", "DUPLICATE", "SEQUENCE_GAP",
        "TIMESTAMP_SKEW");

    @Test
    void contractedReasonsComeFirstInOrder()
    {
        final RejectReason[] reasons = RejectReason.values();
        assertTrue(reasons.length >= CONTRACT.size());
        for (int code = 0; code < CONTRACT.size(); code++)
        {
            assertEquals(CONTRACT.get(code), reasons[code].name());
            assertEquals(code, RejectReason.valueOf(CONTRACT.get(code)).code());
        }
    }

    @Test
    void codesAreUniqueAndWithinCount()
    {
        final Set<Integer> codes = new HashSet<>();
        int highest = 0;
        for (final RejectReason reason : RejectReason.values())
        {
            assertTrue(codes.add(reason.code()), reason.name());
            assertTrue(reason.code() >= 0 && reason.code() < RejectReason.count(), reason.name());
            highest = Math.max(highest, reason.code());
        }

        assertEquals(highest + 1, RejectReason.count());
        assertEquals(RejectReason.values().length, codes.size());
    }

    @Test
    void fieldRuleReasonsKeepTheirCodes()
    {
        assertEquals(30, RejectReason.INVALID_GEO.code());
        assertEquals(31, RejectReason.INVALID_COUNTRY.code());
        assertEquals(32, RejectReason.INVALID_VENUE.code());
        assertEquals(33, RejectReason.AMOUNT_OUT_OF_RANGE.code());
        assertEquals(34, RejectReason.PRICE_OUT_OF_RANGE.code());
        assertEquals(35, RejectReason.QUANTITY_OUT_OF_RANGE.code());
        assertEquals(36, RejectReason.EVENT_TIME_OUT_OF_RANGE.code());
        assertEquals(37, RejectReason.INVALID_TEXT.code());
    }

    @ParameterizedTest
    @EnumSource(RejectReason.class)
    void fromCodeRoundTrips(final RejectReason reason)
    {
        assertSame(reason, RejectReason.fromCode(reason.code()));
    }

    @ParameterizedTest
    @ValueSource(ints = { Integer.MIN_VALUE, -1, 1_000, Integer.MAX_VALUE })
    void fromCodeOfAnUnknownCodeIsNull(final int code)
    {
        assertNull(RejectReason.fromCode(code));
    }

    @Test
    void fromCodeJustPastTheLastCodeIsNull()
    {
        assertNull(RejectReason.fromCode(RejectReason.count()));
    }

    @ParameterizedTest
    @EnumSource(RejectReason.class)
    void everyDescriptionIsASentence(final RejectReason reason)
    {
        final String description = reason.description();
        assertFalse(description.isBlank(), reason.name());
        assertEquals(description.strip(), description, reason.name());
        assertFalse(description.contains("_"), reason.name());
    }

    @Test
    void descriptionsAreDistinct()
    {
        assertEquals(RejectReason.values().length,
            Arrays.stream(RejectReason.values()).map(RejectReason::description).distinct().count());
    }

    @Test
    void noneIsCodeZeroAndAccepted()
    {
        assertEquals(0, RejectReason.NONE.code());
        assertEquals("accepted", RejectReason.NONE.description());
        assertSame(RejectReason.NONE, RejectReason.fromCode(0));
    }
}
