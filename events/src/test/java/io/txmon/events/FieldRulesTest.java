package io.txmon.events;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FieldRulesTest
{
    @Test
    void eventTimeBoundsAreTheDocumentedInstants()
    {
        assertEquals(Instant.parse("1970-01-01T00:00:00Z").getEpochSecond(), FieldRules.MIN_EVENT_TIME);
        assertEquals(Instant.parse("2200-01-01T00:00:00Z").getEpochSecond() * 1_000_000_000L, FieldRules.MAX_EVENT_TIME);
        assertTrue(FieldRules.isValidEventTime(0));
        assertTrue(FieldRules.isValidEventTime(FieldRules.MAX_EVENT_TIME));
        assertFalse(FieldRules.isValidEventTime(-1));
        assertFalse(FieldRules.isValidEventTime(Long.MIN_VALUE));
        assertFalse(FieldRules.isValidEventTime(Long.MAX_VALUE));
    }

    @Test
    void geoIsBothOrNeitherAndInRange()
    {
        assertTrue(FieldRules.isValidGeo(FieldRules.NO_DEGREES, FieldRules.NO_DEGREES));
        assertFalse(FieldRules.isValidGeo(0, FieldRules.NO_DEGREES));
        assertFalse(FieldRules.isValidGeo(FieldRules.NO_DEGREES, 0));
        assertTrue(FieldRules.isValidGeo(90_000_000, -180_000_000));
        assertFalse(FieldRules.isValidGeo(90_000_001, 0));
        assertFalse(FieldRules.isValidGeo(0, -180_000_001));
    }

    @Test
    void codes()
    {
        assertTrue(FieldRules.isValidCountry("DE"));
        assertFalse(FieldRules.isValidCountry("F\t"));
        assertFalse(FieldRules.isValidCountry("de"));
        assertFalse(FieldRules.isValidCountry("DEU"));
        assertTrue(FieldRules.isValidVenue("XLON"));
        assertTrue(FieldRules.isValidVenue("X2ON"));
        assertFalse(FieldRules.isValidVenue("X ON"));
        assertFalse(FieldRules.isValidVenue("XLO"));
    }

    /**
     * The UTF-8 check agrees with the JDK's strict decoder on random byte strings biased towards multi-byte
     * sequences, and on every encoded code point.
     */
    @Test
    void utf8AgreesWithTheJdkDecoder()
    {
        final Random random = new Random(42);
        final byte[] bytes = new byte[8];
        for (int i = 0; i < 200_000; i++)
        {
            final int length = random.nextInt(bytes.length + 1);
            for (int k = 0; k < length; k++)
            {
                final int choice = random.nextInt(4);
                bytes[k] = (byte)(choice == 0 ? random.nextInt(0x80) : choice == 1 ? 0x80 + random.nextInt(0x40) :
                    0xC0 + random.nextInt(0x40));
            }
            assertEquals(jdkAccepts(bytes, length), FieldRules.isValidUtf8(new UnsafeBuffer(bytes), 0, length),
                () -> hex(bytes, length));
        }

        for (int codePoint = 0; codePoint <= Character.MAX_CODE_POINT; codePoint += 7)
        {
            if (codePoint < Character.MIN_SURROGATE || codePoint > Character.MAX_SURROGATE)
            {
                final byte[] encoded = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8);
                assertTrue(FieldRules.isValidUtf8(new UnsafeBuffer(encoded), 0, encoded.length), "U+" + codePoint);
            }
        }
    }

    private static boolean jdkAccepts(final byte[] bytes, final int length)
    {
        try
        {
            StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes, 0, length));
            return true;
        }
        catch (final CharacterCodingException ex)
        {
            return false;
        }
    }

    private static String hex(final byte[] bytes, final int length)
    {
        final StringBuilder text = new StringBuilder();
        for (int i = 0; i < length; i++)
        {
            text.append(String.format("%02x ", bytes[i]));
        }
        return text.toString();
    }
}
