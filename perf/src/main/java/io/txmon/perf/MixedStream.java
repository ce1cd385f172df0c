package io.txmon.perf;

import io.txmon.events.codec.AccountUpdateDecoder;
import io.txmon.events.codec.ExecutionDecoder;
import io.txmon.events.codec.OrderDecoder;
import io.txmon.events.codec.PaymentDecoder;
import io.txmon.rules.TxEvent;

import java.util.SplittableRandom;

/**
 * A pre-generated, seeded stream of ring-slot contents for the rule benchmarks, held in primitive arrays so
 * that filling a slot per operation allocates nothing: 60% payments, 20% orders, 10% executions and 10%
 * account updates, over a bounded key space of {@code accounts} accounts (and as many parties) and five
 * instruments, so that a warm-up creates every key's state and the measurement sees warm state.
 * <p>
 * The stream is {@code length} events long (a power of two) and is replayed round and round; the offset,
 * the event time and the ids derived from the offset keep increasing across laps, so time-window rules see
 * time move forward at {@value #EVENT_TIME_STEP} ns per event.
 */
final class MixedStream
{
    /** Event time of offset 0. */
    static final long T0 = 1_764_000_000_000_000_000L;

    /** Event time between consecutive events: 10,000 events per second. */
    static final long EVENT_TIME_STEP = 100_000L;

    private static final int DE = ('D' << 8) | 'E';
    private static final int FR = ('F' << 8) | 'R';
    private static final int KP = ('K' << 8) | 'P';

    private final int mask;
    private final int[] templateId;
    private final long[] accountA;
    private final long[] accountB;
    private final long[] amount;
    private final long[] instrument;
    private final long[] price;
    private final long[] quantity;
    private final int[] small;
    private final int[] country;
    private final int[] latitude;
    private final int[] longitude;

    /**
     * @param length   of the stream, a power of two.
     * @param accounts size of the account (and party) key space; ids are 1 to {@code accounts}.
     * @param seed     of the generator.
     */
    MixedStream(final int length, final int accounts, final long seed)
    {
        if (Integer.bitCount(length) != 1)
        {
            throw new IllegalArgumentException("length must be a power of two: " + length);
        }
        mask = length - 1;
        templateId = new int[length];
        accountA = new long[length];
        accountB = new long[length];
        amount = new long[length];
        instrument = new long[length];
        price = new long[length];
        quantity = new long[length];
        small = new int[length];
        country = new int[length];
        latitude = new int[length];
        longitude = new int[length];

        final SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < length; i++)
        {
            final int kind = random.nextInt(10);
            if (kind < 6)
            {
                templateId[i] = PaymentDecoder.TEMPLATE_ID;
                final long debtor = 1 + random.nextInt(accounts);
                long creditor = 1 + random.nextInt(accounts);
                if (creditor == debtor)
                {
                    creditor = debtor == accounts ? 1 : debtor + 1;
                }
                accountA[i] = debtor;
                accountB[i] = creditor;
                amount[i] = random.nextInt(10) == 0 ?
                    1_000_000 + random.nextInt(5_000_000) : 100 + random.nextInt(200_000);
                small[i] = random.nextInt(8); // channel
                country[i] = random.nextInt(50) == 0 ? KP : FR; // creditor country
                if (random.nextInt(3) == 0)
                {
                    latitude[i] = Integer.MIN_VALUE;
                    longitude[i] = Integer.MIN_VALUE;
                }
                else
                {
                    latitude[i] = random.nextInt(180_000_000) - 90_000_000;
                    longitude[i] = random.nextInt(360_000_000) - 180_000_000;
                }
            }
            else if (kind < 8)
            {
                templateId[i] = OrderDecoder.TEMPLATE_ID;
                accountA[i] = 1 + random.nextInt(accounts);
                instrument[i] = 1 + random.nextInt(5);
                price[i] = 100_000_000L + random.nextInt(1_000_000);
                quantity[i] = 1 + random.nextInt(20_000);
                small[i] = random.nextInt(2) | (random.nextInt(3) << 1); // side | action << 1
            }
            else if (kind < 9)
            {
                templateId[i] = ExecutionDecoder.TEMPLATE_ID;
                accountA[i] = 1 + random.nextInt(accounts);
                accountB[i] = 1 + random.nextInt(accounts);
                instrument[i] = 1 + random.nextInt(5);
                price[i] = 100_000_000L + random.nextInt(1_000_000);
                quantity[i] = 1 + random.nextInt(20_000);
                small[i] = random.nextInt(2); // side
            }
            else
            {
                templateId[i] = AccountUpdateDecoder.TEMPLATE_ID;
                accountA[i] = 1 + random.nextInt(accounts);
                accountB[i] = 1 + random.nextInt(accounts); // party
                small[i] = random.nextInt(3) | (random.nextInt(4) << 2); // action | risk rating << 2
            }
        }
    }

    /**
     * @return number of distinct events before the stream repeats.
     */
    int length()
    {
        return mask + 1;
    }

    /**
     * Reset a slot, as the sequencer does, and fill it with the event at an offset of the stream.
     *
     * @param event  slot to fill.
     * @param offset journal offset of the event; the stream position is the offset modulo its length.
     */
    void fill(final TxEvent event, final long offset)
    {
        event.reset();
        final int i = (int)offset & mask;
        event.offset = offset;
        event.ingestTime = T0 + offset * EVENT_TIME_STEP;
        event.eventTime = event.ingestTime;
        final int template = templateId[i];
        event.templateId = template;
        if (PaymentDecoder.TEMPLATE_ID == template)
        {
            event.txId = offset;
            event.debtorAccount = accountA[i];
            event.creditorAccount = accountB[i];
            event.amount = amount[i];
            event.currency = 978;
            event.channel = small[i];
            event.debtorCountry = DE;
            event.creditorCountry = country[i];
            event.latitude = latitude[i];
            event.longitude = longitude[i];
        }
        else if (OrderDecoder.TEMPLATE_ID == template)
        {
            event.orderId = offset;
            event.account = accountA[i];
            event.instrument = instrument[i];
            event.price = price[i];
            event.quantity = quantity[i];
            event.side = small[i] & 1;
            event.action = small[i] >> 1;
        }
        else if (ExecutionDecoder.TEMPLATE_ID == template)
        {
            event.execId = offset;
            event.orderId = offset - 1;
            event.account = accountA[i];
            event.counterpartyAccount = accountB[i];
            event.instrument = instrument[i];
            event.price = price[i];
            event.quantity = quantity[i];
            event.side = small[i];
        }
        else
        {
            event.account = accountA[i];
            event.partyId = accountB[i];
            event.action = small[i] & 3;
            event.riskRating = small[i] >> 2;
            event.country = DE;
        }
    }
}
