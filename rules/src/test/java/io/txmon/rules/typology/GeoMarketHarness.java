package io.txmon.rules.typology;

import com.sun.management.ThreadMXBean;
import io.txmon.events.codec.AccountUpdateDecoder;
import io.txmon.events.codec.ExecutionDecoder;
import io.txmon.events.codec.OrderDecoder;
import io.txmon.events.codec.PaymentDecoder;
import io.txmon.rules.AlertRecord;
import io.txmon.rules.Rule;
import io.txmon.rules.RuleErrorHandler;
import io.txmon.rules.RuleWorker;
import io.txmon.rules.TxEvent;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;

import java.lang.management.ManagementFactory;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Drives rules of the geo-lists-market group through the public {@link RuleWorker#evaluate} route, with one
 * worker (and one rule instance) per partition. A rule that throws fails the test.
 */
final class GeoMarketHarness
{
    static final long SECOND = 1_000_000_000L;
    static final long T0 = 1_700_000_000L * SECOND;
    static final int EUR = 978;

    final Rule[] rules;
    final RuleWorker[] workers;
    final TxEvent event;
    private long nextOffset = 100;

    GeoMarketHarness(final int workerCount, final Supplier<Rule> factory)
    {
        final CountersManager counters = new CountersManager(
            new UnsafeBuffer(new byte[64 * 1024]), new UnsafeBuffer(new byte[8 * 1024]));
        final AtomicCounter evaluated = counters.newCounter("evaluated");
        final AtomicCounter errors = counters.newCounter("errors");
        final RuleErrorHandler rethrow = (rule, offset, ex) ->
        {
            throw new AssertionError("rule " + rule.name() + " threw at " + offset, ex);
        };
        rules = new Rule[workerCount];
        workers = new RuleWorker[workerCount];
        for (int w = 0; w < workerCount; w++)
        {
            rules[w] = factory.get();
            workers[w] = new RuleWorker(w, workerCount, null, new Rule[] { rules[w] }, rethrow, evaluated, errors, 16);
        }
        event = new TxEvent(workerCount, 8);
    }

    GeoMarketHarness(final Rule rule)
    {
        this(1, () -> rule);
    }

    long nextOffset()
    {
        return nextOffset;
    }

    /** Reset the slot, stamp the next offset and the event time. */
    TxEvent begin(final int templateId, final long eventTime)
    {
        CappedWorker.begin(event, nextOffset++, templateId, eventTime);
        event.latitude = Integer.MIN_VALUE;
        event.longitude = Integer.MIN_VALUE;
        return event;
    }

    /** Evaluate the slot on every worker; return the total alerts raised. */
    int run()
    {
        int total = 0;
        for (final RuleWorker worker : workers)
        {
            worker.evaluate(event);
        }
        for (int w = 0; w < workers.length; w++)
        {
            final int count = event.alerts(w).count();
            assertTrue(count <= 1, "at most one alert per rule per event");
            total += count;
        }
        return total;
    }

    /** The one alert raised for the slot, by whichever worker. */
    AlertRecord alert()
    {
        AlertRecord found = null;
        for (int w = 0; w < workers.length; w++)
        {
            if (event.alerts(w).count() > 0)
            {
                assertNull(found, "only one worker raises");
                found = event.alerts(w).get(0);
            }
        }
        assertNotNull(found, "an alert was raised");
        return found;
    }

    /** Worker index that raised for the slot, or -1. */
    int raisedBy()
    {
        for (int w = 0; w < workers.length; w++)
        {
            if (event.alerts(w).count() > 0)
            {
                return w;
            }
        }
        return -1;
    }

    int payment(final long time, final long debtor, final long creditor, final long amount)
    {
        paymentEvent(time, debtor, creditor, amount);
        return run();
    }

    TxEvent paymentEvent(final long time, final long debtor, final long creditor, final long amount)
    {
        final TxEvent e = begin(PaymentDecoder.TEMPLATE_ID, time);
        e.txId = 5_000_000 + e.offset;
        e.debtorAccount = debtor;
        e.creditorAccount = creditor;
        e.amount = amount;
        e.currency = EUR;
        return e;
    }

    int accountUpdate(final long time, final long account, final long party)
    {
        fillParty(begin(AccountUpdateDecoder.TEMPLATE_ID, time), account, party);
        return run();
    }

    int order(
        final long time, final long account, final long instrument, final long orderId, final int side,
        final int action, final long price, final long quantity)
    {
        fillOrder(begin(OrderDecoder.TEMPLATE_ID, time), account, instrument, orderId, side, action, price, quantity);
        return run();
    }

    int execution(
        final long time, final long account, final long counterparty, final long instrument, final int side,
        final long quantity)
    {
        fillExecution(begin(ExecutionDecoder.TEMPLATE_ID, time), account, counterparty, instrument, side, 100_00000000L,
            quantity);
        return run();
    }

    /** An order on a capped worker's event: alerts raised. */
    static int order(
        final CappedWorker w, final long time, final long account, final long instrument, final long orderId,
        final int side, final int action, final long price, final long quantity)
    {
        fillOrder(w.begin(OrderDecoder.TEMPLATE_ID, time), account, instrument, orderId, side, action, price, quantity);
        return w.run();
    }

    /** An execution on a capped worker's event, with account 9, at 100: alerts raised. */
    static int execution(
        final CappedWorker w, final long time, final long account, final long instrument, final int side,
        final long quantity)
    {
        fillExecution(w.begin(ExecutionDecoder.TEMPLATE_ID, time), account, 9, instrument, side, 100_00000000L,
            quantity);
        return w.run();
    }

    /** Fill an account update begun: the account's party. */
    static TxEvent fillParty(final TxEvent e, final long account, final long party)
    {
        e.account = account;
        e.partyId = party;
        return e;
    }

    /** Fill an order begun. */
    static TxEvent fillOrder(
        final TxEvent e, final long account, final long instrument, final long orderId, final int side,
        final int action, final long price, final long quantity)
    {
        e.account = account;
        e.instrument = instrument;
        e.orderId = orderId;
        e.side = side;
        e.action = action;
        e.price = price;
        e.quantity = quantity;
        return e;
    }

    /** Fill an execution begun: exec and order ids from its offset. */
    static TxEvent fillExecution(
        final TxEvent e, final long account, final long counterparty, final long instrument, final int side,
        final long price, final long quantity)
    {
        e.execId = 9_000_000 + e.offset;
        e.orderId = 8_000_000 + e.offset;
        e.account = account;
        e.counterpartyAccount = counterparty;
        e.instrument = instrument;
        e.side = side;
        e.price = price;
        e.quantity = quantity;
        return e;
    }

    /** Two accounts owned by different workers of two. */
    static long[] accountsOnDifferentWorkers()
    {
        final long a = 1001;
        long b = 1002;
        while (io.txmon.rules.RuleContext.partition(b, 2) == io.txmon.rules.RuleContext.partition(a, 2))
        {
            b++;
        }
        return new long[] { a, b };
    }

    static long allocatedBytes()
    {
        return ((ThreadMXBean)ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    /** Run the body warm-up times, then measure 100,000 runs; assert under 1 KB. */
    static void assertSteadyStateAllocationFree(final java.util.function.IntConsumer body)
    {
        for (int i = 0; i < 200_000; i++)
        {
            body.accept(i);
        }
        // the best of three windows: on a loaded machine the JIT may still be compiling (and allocating on this
        // thread's behalf) during the first
        long best = Long.MAX_VALUE;
        for (int attempt = 0, from = 200_000; attempt < 3 && best >= 1024; attempt++, from += 100_000)
        {
            final long before = allocatedBytes();
            assertTrue(before >= 0, "thread allocation measurement is supported and enabled");
            for (int i = from; i < from + 100_000; i++)
            {
                body.accept(i);
            }
            best = Math.min(best, allocatedBytes() - before);
        }
        assertTrue(best < 1024, "allocated " + best + " bytes in 100,000 events");
    }
}
