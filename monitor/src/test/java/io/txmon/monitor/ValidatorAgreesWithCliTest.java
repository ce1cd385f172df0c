package io.txmon.monitor;

import io.txmon.events.MessageValidator;
import io.txmon.events.RejectReason;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.EnumMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * One validator: whatever the engine's gate ({@link MessageValidator}) accepts, the producer CLI's rules
 * ({@link EventLineParser}) accept too, read back as the same event. 12,000 frames of every ingest template,
 * mutated from valid ones with a fixed seed (bit flips, byte changes, extreme values in every field), are
 * validated; each accepted one is turned into the JSON line {@code txmon produce} would read and parsed.
 */
class ValidatorAgreesWithCliTest
{
    private static final int FRAMES = 12_000;
    private static final long EVENT_TIME = 1_767_225_600_000_000_000L;

    @Test
    void everyMutatedFrameTheValidatorAcceptsTheCliAcceptsAsTheSameEvent()
    {
        final MessageValidator validator = new MessageValidator();
        final EventLineParser parser = EventLineParser.json(() -> EVENT_TIME);
        final FrameFuzz fuzz = new FrameFuzz(1_000, EVENT_TIME);
        final Random random = new Random(20_261_207L);
        final Map<RejectReason, Integer> reasons = new EnumMap<>(RejectReason.class);
        int accepted = 0;
        int refusedByCli = 0;
        String firstRefusal = null;
        for (int i = 0; i < FRAMES; i++)
        {
            final byte[] frame = fuzz.mutated(i, random);
            final UnsafeBuffer buffer = new UnsafeBuffer(frame);
            final RejectReason reason = validator.validate(buffer, 0, frame.length);
            reasons.merge(reason, 1, Integer::sum);
            if (reason != RejectReason.NONE)
            {
                continue;
            }
            final String line = FrameFuzz.toLine(buffer, 0);
            if (null == line)
            {
                continue; // an Alert or Ack: the sequencer refuses it as EGRESS_ONLY_TEMPLATE
            }
            accepted++;
            try
            {
                FrameFuzz.assertSameEvent(buffer, 0, parser.parse(line), line);
            }
            catch (final EventLineParser.InvalidLineException ex)
            {
                refusedByCli++;
                if (null == firstRefusal)
                {
                    firstRefusal = line + " -> " + ex.getMessage();
                }
            }
        }

        assertEquals(0, refusedByCli, "accepted by the validator, refused by the CLI; first: " + firstRefusal);
        // not vacuous: many frames pass, and the field rules refuse many
        assertTrue(accepted > FRAMES / 5, () -> "accepted " + reasons);
        for (final RejectReason reason : new RejectReason[]{ RejectReason.INVALID_GEO, RejectReason.INVALID_COUNTRY,
            RejectReason.INVALID_VENUE, RejectReason.AMOUNT_OUT_OF_RANGE, RejectReason.PRICE_OUT_OF_RANGE,
            RejectReason.EVENT_TIME_OUT_OF_RANGE })
        {
            assertTrue(reasons.getOrDefault(reason, 0) > 0, () -> reason + " never seen: " + reasons);
        }
    }

    @Test
    void everyValidFrameIsAcceptedByBoth() throws EventLineParser.InvalidLineException
    {
        final MessageValidator validator = new MessageValidator();
        final EventLineParser parser = EventLineParser.json(() -> EVENT_TIME);
        final FrameFuzz fuzz = new FrameFuzz(1, EVENT_TIME);
        for (int template = 0; template < 7; template++)
        {
            final byte[] frame = fuzz.valid(template, 1);
            final UnsafeBuffer buffer = new UnsafeBuffer(frame);
            assertEquals(RejectReason.NONE, validator.validate(buffer, 0, frame.length), "template " + template);
            final String line = FrameFuzz.toLine(buffer, 0);
            assertNotNull(line);
            FrameFuzz.assertSameEvent(buffer, 0, parser.parse(line), line);
        }
    }

    @Test
    void theCliNamesTheFieldTheValidatorWouldRefuse()
    {
        final EventLineParser parser = EventLineParser.json(() -> EVENT_TIME);
        final String payment = "{\"type\":\"payment\",\"txId\":1,\"debtorAccount\":1,\"creditorAccount\":2," +
            "\"currency\":\"EUR\",\"channel\":\"sepa\",\"debtorCountry\":\"DE\",\"creditorCountry\":\"FR\",";
        expectRefusal(parser, payment + "\"amount\":\"10000000000000.01\"}", "amount", "at most");
        expectRefusal(parser, payment + "\"amount\":\"1\",\"latitude\":\"-1979\",\"longitude\":\"2\"}",
            "latitude", "between -90 and 90");
        expectRefusal(parser, payment + "\"amount\":\"1\",\"eventTime\":-5}", "eventTime", "outside");
        expectRefusal(parser, payment + "\"amount\":\"1\",\"eventTime\":\"2250-01-01T00:00:00Z\"}", "eventTime",
            "outside");
        expectRefusal(parser, "{\"type\":\"order\",\"orderId\":1,\"account\":1,\"instrument\":1,\"price\":" +
            "\"10000000.00000001\",\"quantity\":1,\"side\":\"buy\",\"action\":\"new\",\"venue\":\"XLON\"}",
            "price", "at most");
        expectRefusal(parser, "{\"type\":\"order\",\"orderId\":1,\"account\":1,\"instrument\":1,\"price\":" +
            "\"1\",\"quantity\":1000000000001,\"side\":\"buy\",\"action\":\"new\",\"venue\":\"XLON\"}",
            "quantity", "at most");
    }

    private static void expectRefusal(
        final EventLineParser parser, final String line, final String field, final String words)
    {
        try
        {
            parser.parse(line);
            fail("accepted: " + line);
        }
        catch (final EventLineParser.InvalidLineException ex)
        {
            assertEquals(field, ex.field(), ex::getMessage);
            assertTrue(ex.reason().contains(words), ex::getMessage);
        }
    }
}
