package io.txmon.monitor;

import io.txmon.events.codec.Channel;
import io.txmon.events.codec.PaymentEncoder;

import java.util.SplittableRandom;

/**
 * A seeded, reproducible stream of payments with planted large amounts: the same seed always gives the
 * same events. Ordinary amounts are spread log-uniformly below the threshold; about one payment in
 * {@code plantEvery} is planted at or above it, up to twenty times it.
 */
final class SyntheticPayments
{
    /** 2026-01-01T00:00:00Z in epoch nanoseconds: event times are reproducible, not the wall clock. */
    static final long EPOCH_START_NS = 1_767_225_600_000_000_000L;
    private static final byte[][] COUNTRIES = {
        "DE".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
        "FR".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
        "GB".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
        "NL".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
        "ES".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
        "IT".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
    };
    private static final Channel[] CHANNELS = { Channel.CARD, Channel.SEPA, Channel.WIRE, Channel.ACH };

    private final SplittableRandom random;
    private final long producerId;
    private final int accounts;
    private final long threshold;
    private final int plantEvery;
    private long index;
    private boolean lastPlanted;
    private long lastTxId;

    SyntheticPayments(final long seed, final long producerId, final int accounts, final long threshold, final int plantEvery)
    {
        this.random = new SplittableRandom(seed * 31 + producerId);
        this.producerId = producerId;
        this.accounts = accounts;
        this.threshold = threshold;
        this.plantEvery = plantEvery;
    }

    /**
     * Fill the next payment's fields into an encoder whose producer id and sequence are already set.
     *
     * @param payment encoder.
     */
    void next(final PaymentEncoder payment)
    {
        final long debtor = 1 + random.nextInt(accounts);
        long creditor = 1 + random.nextInt(accounts - 1);
        if (creditor >= debtor)
        {
            creditor++;
        }

        lastPlanted = random.nextInt(plantEvery) == 0;
        final long amount;
        if (lastPlanted)
        {
            amount = threshold + (long)(random.nextDouble() * 19 * threshold);
        }
        else
        {
            final double logMin = Math.log(100);
            final double logMax = Math.log(threshold - 1);
            amount = Math.min(threshold - 1, (long)Math.exp(logMin + random.nextDouble() * (logMax - logMin)));
        }

        final byte[] from = COUNTRIES[random.nextInt(COUNTRIES.length)];
        final byte[] to = COUNTRIES[random.nextInt(COUNTRIES.length)];
        lastTxId = producerId * 1_000_000_000L + index;
        payment
            .eventTime(EPOCH_START_NS + index * 1_000_000L + random.nextInt(1_000_000))
            .txId(lastTxId)
            .debtorAccount(debtor)
            .creditorAccount(creditor)
            .amount(amount)
            .currency(978)
            .channel(CHANNELS[random.nextInt(CHANNELS.length)])
            .debtorCountry(0, from[0]).debtorCountry(1, from[1])
            .creditorCountry(0, to[0]).creditorCountry(1, to[1]);
        index++;
    }

    /**
     * @return true if the payment last filled was planted above the threshold.
     */
    boolean lastPlanted()
    {
        return lastPlanted;
    }

    /**
     * @return tx id of the payment last filled.
     */
    long lastTxId()
    {
        return lastTxId;
    }
}
