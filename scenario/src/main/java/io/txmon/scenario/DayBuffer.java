package io.txmon.scenario;

import io.txmon.events.codec.AccountAction;
import io.txmon.events.codec.Channel;
import io.txmon.events.codec.RiskRating;

import java.util.Arrays;

import static io.txmon.scenario.Times.DAY;

/**
 * The events of one simulated day of the {@link BankingTraffic banking background}, added in any order and handed
 * out in time order. Columns of primitives, one row per event, grown by doubling and reused day after day, so the
 * memory follows the busiest day, not the stream.
 * <p>
 * Times are kept to the microsecond: rows are sorted by time of day in microseconds, then by the order they were
 * added, so equal times keep a fixed order and event times never go back.
 */
final class DayBuffer
{
    /** Most events a day may hold. */
    static final int MAX_EVENTS = 1 << 26;

    private static final int INDEX_BITS = 26;
    private static final long INDEX_MASK = (1L << INDEX_BITS) - 1;
    private static final long MICROSECOND = 1_000L;
    private static final long MICROS_PER_DAY = DAY / MICROSECOND;
    private static final byte PAYMENT = 0;
    private static final byte ACCOUNT_UPDATE = 1;
    private static final Channel[] CHANNELS = Channel.values();
    private static final AccountAction[] ACTIONS = AccountAction.values();
    private static final RiskRating[] RATINGS = RiskRating.values();

    private final byte[][] references;
    private long dayStart;
    private int count;
    private int cursor;

    private long[] keys;
    private byte[] template;
    private long[] micros;
    private long[] debtor;
    private long[] creditor;
    private long[] amount;
    private short[] currency;
    private byte[] code;
    private byte[] rating;
    private int[] debtorCountry;
    private int[] creditorCountry;
    private int[] latitude;
    private int[] longitude;
    private byte[] reference;
    private int[] referenceNumber;

    /**
     * @param references payment reference prefixes, indexed by what {@link #payment} is given.
     * @param capacity   rows to start with.
     */
    DayBuffer(final byte[][] references, final int capacity)
    {
        this.references = references;
        allocate(Math.max(16, capacity));
    }

    /**
     * Empty the buffer for another day.
     *
     * @param dayStart event time of the day's midnight, epoch ns.
     */
    void reset(final long dayStart)
    {
        this.dayStart = dayStart;
        count = 0;
        cursor = 0;
    }

    /**
     * @return rows the buffer holds without growing.
     */
    int capacity()
    {
        return keys.length;
    }

    /**
     * @return events of the day added so far.
     */
    int count()
    {
        return count;
    }

    /**
     * Add a payment, without a position.
     *
     * @param time            event time within the day, epoch ns; kept to the microsecond.
     * @param debtorAccount   paying account.
     * @param creditorAccount paid account.
     * @param minorUnits      amount in minor units of the currency, positive.
     * @param currencyCode    ISO 4217 numeric code.
     * @param channel         of the payment.
     * @param debtorCode      packed country code of the debtor.
     * @param creditorCode    packed country code of the creditor.
     * @param referenceIndex  prefix of the reference, an index into the prefixes given at construction.
     * @param number          written after the prefix; negative for none.
     * @return the row, for {@link #position}.
     */
    int payment(
        final long time,
        final long debtorAccount,
        final long creditorAccount,
        final long minorUnits,
        final int currencyCode,
        final Channel channel,
        final int debtorCode,
        final int creditorCode,
        final int referenceIndex,
        final int number)
    {
        final int row = add(time, PAYMENT);
        debtor[row] = debtorAccount;
        creditor[row] = creditorAccount;
        amount[row] = minorUnits;
        currency[row] = (short)currencyCode;
        code[row] = (byte)channel.ordinal();
        debtorCountry[row] = debtorCode;
        creditorCountry[row] = creditorCode;
        latitude[row] = ScenarioEvent.NO_POSITION;
        longitude[row] = ScenarioEvent.NO_POSITION;
        reference[row] = (byte)referenceIndex;
        referenceNumber[row] = number;
        return row;
    }

    /**
     * Give a payment the position it was made at.
     *
     * @param row       of the payment.
     * @param latitudeMicroDegrees  of the position.
     * @param longitudeMicroDegrees of the position.
     */
    void position(final int row, final int latitudeMicroDegrees, final int longitudeMicroDegrees)
    {
        latitude[row] = latitudeMicroDegrees;
        longitude[row] = longitudeMicroDegrees;
    }

    /**
     * Add an account update.
     *
     * @param time        event time within the day, epoch ns; kept to the microsecond.
     * @param account     opened, updated or closed.
     * @param party       owning it.
     * @param action      what happened.
     * @param risk        rating of the account.
     * @param countryCode packed country code of the account.
     */
    void accountUpdate(
        final long time,
        final long account,
        final long party,
        final AccountAction action,
        final RiskRating risk,
        final int countryCode)
    {
        final int row = add(time, ACCOUNT_UPDATE);
        debtor[row] = account;
        creditor[row] = party;
        code[row] = (byte)action.ordinal();
        rating[row] = (byte)risk.ordinal();
        debtorCountry[row] = countryCode;
    }

    /**
     * Order the day's events by time, ready to be taken.
     */
    void sort()
    {
        Arrays.sort(keys, 0, count);
        cursor = 0;
    }

    /**
     * @return true while events of the day are left to take.
     */
    boolean hasNext()
    {
        return cursor < count;
    }

    /**
     * @return event time of the next event to take.
     */
    long nextTime()
    {
        return dayStart + micros[(int)(keys[cursor] & INDEX_MASK)] * MICROSECOND;
    }

    /**
     * Take the next event, in time order.
     *
     * @param event to fill; cleared first.
     */
    void next(final ScenarioEvent event)
    {
        final int row = (int)(keys[cursor++] & INDEX_MASK);
        event.clear();
        event.time = dayStart + micros[row] * MICROSECOND;
        if (PAYMENT == template[row])
        {
            event.templateId = ScenarioEvent.PAYMENT;
            event.debtor = debtor[row];
            event.creditor = creditor[row];
            event.amount = amount[row];
            event.currency = currency[row];
            event.channel = CHANNELS[code[row]];
            event.debtorCountry = debtorCountry[row];
            event.creditorCountry = creditorCountry[row];
            event.latitude = latitude[row];
            event.longitude = longitude[row];
            event.referencePrefix = references[reference[row]];
            event.referenceNumber = referenceNumber[row];
        }
        else
        {
            event.templateId = ScenarioEvent.ACCOUNT_UPDATE;
            event.account = debtor[row];
            event.party = creditor[row];
            event.accountAction = ACTIONS[code[row]];
            event.riskRating = RATINGS[rating[row]];
            event.country = debtorCountry[row];
        }
    }

    private int add(final long time, final byte templateCode)
    {
        if (count == keys.length)
        {
            if (count == MAX_EVENTS)
            {
                throw new IllegalStateException("more than " + MAX_EVENTS + " events in one simulated day");
            }
            allocate(Math.min(MAX_EVENTS, count * 2));
        }
        final int row = count++;
        final long timeOfDay = Math.min(MICROS_PER_DAY - 1, Math.max(0, (time - dayStart) / MICROSECOND));
        keys[row] = timeOfDay << INDEX_BITS | row;
        micros[row] = timeOfDay;
        template[row] = templateCode;
        return row;
    }

    private void allocate(final int capacity)
    {
        keys = null == keys ? new long[capacity] : Arrays.copyOf(keys, capacity);
        template = null == template ? new byte[capacity] : Arrays.copyOf(template, capacity);
        micros = null == micros ? new long[capacity] : Arrays.copyOf(micros, capacity);
        debtor = null == debtor ? new long[capacity] : Arrays.copyOf(debtor, capacity);
        creditor = null == creditor ? new long[capacity] : Arrays.copyOf(creditor, capacity);
        amount = null == amount ? new long[capacity] : Arrays.copyOf(amount, capacity);
        currency = null == currency ? new short[capacity] : Arrays.copyOf(currency, capacity);
        code = null == code ? new byte[capacity] : Arrays.copyOf(code, capacity);
        rating = null == rating ? new byte[capacity] : Arrays.copyOf(rating, capacity);
        debtorCountry = null == debtorCountry ? new int[capacity] : Arrays.copyOf(debtorCountry, capacity);
        creditorCountry = null == creditorCountry ? new int[capacity] : Arrays.copyOf(creditorCountry, capacity);
        latitude = null == latitude ? new int[capacity] : Arrays.copyOf(latitude, capacity);
        longitude = null == longitude ? new int[capacity] : Arrays.copyOf(longitude, capacity);
        reference = null == reference ? new byte[capacity] : Arrays.copyOf(reference, capacity);
        referenceNumber = null == referenceNumber ? new int[capacity] : Arrays.copyOf(referenceNumber, capacity);
    }
}
