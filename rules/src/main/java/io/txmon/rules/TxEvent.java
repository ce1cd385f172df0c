package io.txmon.rules;

/**
 * A ring slot: one journaled event, decoded into primitives. Pre-allocated by the ring and filled in
 * place by the sequencer (the only producer); read by rule workers; its alert buffers are written by
 * the worker that owns them and read by the alert sink after every worker has passed the slot.
 * <p>
 * Rules read slots, never buffers they do not own. Fields that a template does not carry are left at
 * zero by {@link #reset}.
 */
public final class TxEvent
{
    /** Longest key or value of a {@code ConfigChange} kept in a slot. */
    public static final int MAX_CONFIG_TEXT_LENGTH = 256;

    // journal stamp
    public long offset;
    public long ingestTime;
    /** Monotonic clock reading when the event was sequenced; for latency measurement only, never for rules. */
    public long sequencedNanos;
    /**
     * Monotonic clock reading once the event was journaled, same clock as {@link #sequencedNanos}; 0 unless the
     * engine has a decision observer (it costs a clock read per event). For latency measurement only.
     */
    public long journaledNanos;
    public int templateId;

    // envelope common to every ingest template
    public long producerId;
    public long producerSeq;
    public long eventTime;

    // Payment
    public long txId;
    public long debtorAccount;
    public long creditorAccount;
    public long amount;
    public int currency;
    public int channel;
    public int debtorCountry;
    public int creditorCountry;
    public int latitude;
    public int longitude;

    // Order, Execution, AccountUpdate
    public long orderId;
    public long execId;
    public long account;
    public long counterpartyAccount;
    public long instrument;
    public long price;
    public long quantity;
    public int side;
    public int action;
    public int venue;
    public long partyId;
    public int riskRating;
    public int country;

    // ConfigChange
    public int ruleId;
    public final byte[] configKey = new byte[MAX_CONFIG_TEXT_LENGTH];
    public int configKeyLength;
    public final byte[] configValue = new byte[MAX_CONFIG_TEXT_LENGTH];
    public int configValueLength;
    /** True if the key or the value was longer than {@link #MAX_CONFIG_TEXT_LENGTH} and was cut short. */
    public boolean configTruncated;

    private final AlertBuffer[] alerts;

    /**
     * @param workerCount        number of rule workers, each with its own alert buffer in the slot.
     * @param alertsPerWorker    capacity of each worker's alert buffer.
     */
    public TxEvent(final int workerCount, final int alertsPerWorker)
    {
        alerts = new AlertBuffer[workerCount];
        for (int i = 0; i < workerCount; i++)
        {
            alerts[i] = new AlertBuffer(alertsPerWorker);
        }
    }

    /**
     * @param worker index of the rule worker.
     * @return the alerts that worker raised for this event.
     */
    public AlertBuffer alerts(final int worker)
    {
        return alerts[worker];
    }

    /**
     * @return number of workers with an alert buffer in this slot.
     */
    public int workerCount()
    {
        return alerts.length;
    }

    /**
     * Clear every field and alert buffer before the slot is filled again.
     */
    public void reset()
    {
        offset = 0;
        ingestTime = 0;
        sequencedNanos = 0;
        journaledNanos = 0;
        templateId = 0;
        producerId = 0;
        producerSeq = 0;
        eventTime = 0;
        txId = 0;
        debtorAccount = 0;
        creditorAccount = 0;
        amount = 0;
        currency = 0;
        channel = 0;
        debtorCountry = 0;
        creditorCountry = 0;
        latitude = 0;
        longitude = 0;
        orderId = 0;
        execId = 0;
        account = 0;
        counterpartyAccount = 0;
        instrument = 0;
        price = 0;
        quantity = 0;
        side = 0;
        action = 0;
        venue = 0;
        partyId = 0;
        riskRating = 0;
        country = 0;
        ruleId = 0;
        configKeyLength = 0;
        configValueLength = 0;
        configTruncated = false;
        for (final AlertBuffer buffer : alerts)
        {
            buffer.clear();
        }
    }
}
