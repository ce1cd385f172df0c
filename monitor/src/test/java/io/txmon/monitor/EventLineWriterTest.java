package io.txmon.monitor;

import io.txmon.events.Currencies;
import io.txmon.events.codec.AccountUpdateDecoder;
import io.txmon.events.codec.Channel;
import io.txmon.events.codec.ConfigAction;
import io.txmon.events.codec.ExecutionDecoder;
import io.txmon.events.codec.MessageHeaderDecoder;
import io.txmon.events.codec.MessageHeaderEncoder;
import io.txmon.events.codec.OrderDecoder;
import io.txmon.events.codec.PaymentDecoder;
import io.txmon.events.codec.PaymentEncoder;
import io.txmon.rules.config.RuleConfigChange;
import io.txmon.scenario.ScenarioGenerator;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The lines {@link EventLineWriter} writes are what {@code txmon produce} reads: every event of generated streams
 * (both backgrounds, planted cases of every typology: payments, orders, executions, account updates) and a
 * configuration change, parsed back by {@link EventLineParser}, give the event they were written from, field for
 * field.
 */
class EventLineWriterTest
{
    private final EventLineWriter writer = new EventLineWriter();
    private final EventLineParser parser = EventLineParser.json(() -> -1L);
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final PaymentDecoder payment = new PaymentDecoder();
    private final OrderDecoder order = new OrderDecoder();
    private final ExecutionDecoder execution = new ExecutionDecoder();
    private final AccountUpdateDecoder account = new AccountUpdateDecoder();

    @Test
    void everyEventOfGeneratedStreamsReadsBackAsItself()
    {
        for (final ScenarioGenerator.Profile profile : ScenarioGenerator.Profile.values())
        {
            final ScenarioGenerator generator = new ScenarioGenerator(5, ScenarioGenerator.Options.defaults()
                .withProfile(profile).withEventsPerInstance(ScenarioGenerator.MIN_EVENTS_TO_PLANT));
            final long[] byTemplate = new long[5];
            final long[] positioned = { 0 };
            generator.generate(30_000, (buffer, offset, length) ->
            {
                final StringBuilder line = new StringBuilder();
                assertTrue(writer.append(buffer, offset, line));
                assertEquals(-1, line.indexOf("\n"), "one line");
                final ParsedEvent parsed;
                try
                {
                    parsed = parser.parse(line.toString());
                }
                catch (final EventLineParser.InvalidLineException ex)
                {
                    throw new AssertionError(profile + ": produce refuses " + line + ": " + ex.getMessage(), ex);
                }
                final int templateId = header.wrap(buffer, offset).templateId();
                byTemplate[templateId]++;
                positioned[0] += assertSame(buffer, offset, templateId, parsed, line.toString()) ? 1 : 0;
            });
            assertTrue(byTemplate[1] > 0 && byTemplate[2] > 0 && byTemplate[3] > 0 && byTemplate[4] > 0,
                profile + ": every event type was written");
            assertTrue(positioned[0] > 0, profile + ": positions were written");
        }
    }

    @Test
    void configChangesAndAwkwardTextReadBackAsThemselves() throws Exception
    {
        final RuleConfigChange change =
            new RuleConfigChange(17, ConfigAction.SET_PARAMETER, "watched-accounts", "900000000001, 900000000002");
        final StringBuilder line = new StringBuilder();
        writer.appendConfig(1_736_121_600_000_000_007L, change, line);
        final ParsedEvent parsed = parser.parse(line.toString());
        assertEquals(ParsedEvent.Type.CONFIG, parsed.type);
        assertEquals(1_736_121_600_000_000_007L, parsed.eventTime);
        assertEquals(17, parsed.ruleId);
        assertEquals(ConfigAction.SET_PARAMETER, parsed.configAction);
        assertEquals("watched-accounts", parsed.key);
        assertEquals("900000000001, 900000000002", parsed.value);

        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[512]);
        new PaymentEncoder().wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .producerId(1).producerSeq(0).eventTime(5).txId(9).debtorAccount(1).creditorAccount(2).amount(1_234_567)
            .currency(392).channel(Channel.CHEQUE).debtorCountry("JP").creditorCountry("US")
            .latitude(-33_868_800).longitude(-1).reference("quote \" back\\slash\ttab\u0001 caf\u00e9");
        line.setLength(0);
        assertTrue(writer.append(buffer, 0, line));
        final ParsedEvent awkward = parser.parse(line.toString());
        assertEquals("quote \" back\\slash\ttab\u0001 caf\u00e9", awkward.reference);
        assertEquals(1_234_567, awkward.amount, "JPY has no decimals: " + line);
        assertEquals(-33_868_800, awkward.latitude);
        assertEquals(-1, awkward.longitude);
        assertTrue(line.toString().contains("\"eventTime\":\"1970-01-01T00:00:00.000000005Z\""), line.toString());
    }

    /**
     * @return true if the event has a position.
     */
    private boolean assertSame(
        final DirectBuffer buffer, final int offset, final int templateId, final ParsedEvent e, final String line)
    {
        switch (templateId)
        {
            case PaymentDecoder.TEMPLATE_ID:
                payment.wrapAndApplyHeader(buffer, offset, header);
                assertEquals(ParsedEvent.Type.PAYMENT, e.type, line);
                payment.producerId();
                payment.producerSeq();
                assertEquals(payment.eventTime(), e.eventTime, line);
                assertEquals(payment.txId(), e.txId, line);
                assertEquals(payment.debtorAccount(), e.debtorAccount, line);
                assertEquals(payment.creditorAccount(), e.creditorAccount, line);
                assertEquals(payment.amount(), e.amount, line);
                assertEquals(payment.currency(), e.currency, line);
                assertEquals(Currencies.alpha(payment.currency()), Currencies.alpha(e.currency), line);
                assertEquals(payment.channel(), e.channel, line);
                assertEquals(payment.debtorCountry(), e.debtorCountry, line);
                assertEquals(payment.creditorCountry(), e.creditorCountry, line);
                assertEquals(payment.latitude(), e.latitude, line);
                assertEquals(payment.longitude(), e.longitude, line);
                final String reference = payment.reference();
                assertEquals(reference.isEmpty() ? null : reference, e.reference, line);
                return PaymentDecoder.latitudeNullValue() != e.latitude;

            case OrderDecoder.TEMPLATE_ID:
                order.wrapAndApplyHeader(buffer, offset, header);
                assertEquals(ParsedEvent.Type.ORDER, e.type, line);
                order.producerId();
                order.producerSeq();
                assertEquals(order.eventTime(), e.eventTime, line);
                assertEquals(order.orderId(), e.orderId, line);
                assertEquals(order.account(), e.account, line);
                assertEquals(order.instrument(), e.instrument, line);
                assertEquals(order.price(), e.price, line);
                assertEquals(order.quantity(), e.quantity, line);
                assertEquals(order.side(), e.side, line);
                assertEquals(order.action(), e.orderAction, line);
                assertEquals(order.venue(), e.venue, line);
                return false;

            case ExecutionDecoder.TEMPLATE_ID:
                execution.wrapAndApplyHeader(buffer, offset, header);
                assertEquals(ParsedEvent.Type.EXECUTION, e.type, line);
                execution.producerId();
                execution.producerSeq();
                assertEquals(execution.eventTime(), e.eventTime, line);
                assertEquals(execution.execId(), e.execId, line);
                assertEquals(execution.orderId(), e.orderId, line);
                assertEquals(execution.account(), e.account, line);
                assertEquals(execution.counterpartyAccount(), e.counterpartyAccount, line);
                assertEquals(execution.instrument(), e.instrument, line);
                assertEquals(execution.price(), e.price, line);
                assertEquals(execution.quantity(), e.quantity, line);
                assertEquals(execution.side(), e.side, line);
                assertEquals(execution.venue(), e.venue, line);
                return false;

            case AccountUpdateDecoder.TEMPLATE_ID:
                account.wrapAndApplyHeader(buffer, offset, header);
                assertEquals(ParsedEvent.Type.ACCOUNT, e.type, line);
                account.producerId();
                account.producerSeq();
                assertEquals(account.eventTime(), e.eventTime, line);
                assertEquals(account.account(), e.account, line);
                assertEquals(account.partyId(), e.partyId, line);
                assertEquals(account.action(), e.accountAction, line);
                assertEquals(account.riskRating(), e.riskRating, line);
                assertEquals(account.country(), e.country, line);
                return false;

            default:
                fail("template " + templateId);
                return false;
        }
    }
}
