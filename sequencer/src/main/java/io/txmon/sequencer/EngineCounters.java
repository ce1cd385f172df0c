package io.txmon.sequencer;

import io.aeron.Aeron;
import io.aeron.Counter;
import io.txmon.events.RejectReason;
import org.agrona.CloseHelper;

/**
 * The engine's counters, kept in the media driver's counters file so that {@code txmon stat} and Aeron's
 * own {@code AeronStat} both show them. Type ids live in one range, {@value #TYPE_ID_BASE} and up.
 * <p>
 * Every counter has a single writer (the sequencer, a rule worker or the alert sink), so increments are
 * release stores, not atomic read-modify-writes: readers in any thread or process see them in order.
 */
public final class EngineCounters implements AutoCloseable
{
    /** First counter type id used by txmon. */
    public static final int TYPE_ID_BASE = 7400;
    public static final int RECEIVED_TYPE_ID = TYPE_ID_BASE;
    public static final int JOURNALED_TYPE_ID = TYPE_ID_BASE + 1;
    public static final int DUPLICATES_TYPE_ID = TYPE_ID_BASE + 2;
    public static final int REJECTED_TYPE_ID = TYPE_ID_BASE + 3;
    public static final int EVALUATED_TYPE_ID = TYPE_ID_BASE + 4;
    public static final int RULE_ERRORS_TYPE_ID = TYPE_ID_BASE + 5;
    public static final int ALERTS_TYPE_ID = TYPE_ID_BASE + 6;
    public static final int ALERTS_UNPUBLISHED_TYPE_ID = TYPE_ID_BASE + 7;
    public static final int SEQUENCE_GAPS_TYPE_ID = TYPE_ID_BASE + 8;
    public static final int JOURNAL_ERRORS_TYPE_ID = TYPE_ID_BASE + 9;
    public static final int DECIDED_TYPE_ID = TYPE_ID_BASE + 11;
    public static final int ALERT_JOURNAL_ERRORS_TYPE_ID = TYPE_ID_BASE + 12;
    /**
     * The decided position: one past the journal offset of the last event the alert sink has passed. Everything
     * below it is decided (all rules run, alerts out), so a process that knows an event's offset (from its
     * acknowledgement) learns from this counter when the event was decided.
     */
    public static final int DECIDED_POSITION_TYPE_ID = TYPE_ID_BASE + 13;
    /**
     * The event-time watermark: the newest event time (nanoseconds since the epoch) in the journal, the events
     * recovered at start included; 0 while the journal holds none.
     */
    public static final int NEWEST_EVENT_TIME_TYPE_ID = TYPE_ID_BASE + 14;
    /**
     * The engine's health: 0 ok, 1 degraded (low space, a segment that cannot be created, a failed maintenance
     * step: events still taken), 2 failed (an engine thread failed: intake stopped). See {@link EngineHealth}.
     */
    public static final int HEALTH_TYPE_ID = TYPE_ID_BASE + 15;
    /** Bytes usable on the journal's file system, checked once a second. */
    public static final int USABLE_SPACE_TYPE_ID = TYPE_ID_BASE + 16;
    /** 1 while the journal's (or alert journal's) file system has room for fewer than two segments, else 0. */
    public static final int LOW_SPACE_TYPE_ID = TYPE_ID_BASE + 17;
    /** Snapshots written (rule and sequencer state, see journal/SNAPSHOT.md), periodic and at clean shutdown. */
    public static final int SNAPSHOTS_TYPE_ID = TYPE_ID_BASE + 18;
    /** Rejects by reason: one counter per {@link RejectReason}, type id {@code REJECTED_BY_REASON_TYPE_ID}. */
    /** Type id of the accounts held in the rule workers' account stores, summed over workers. */
    public static final int ACCOUNTS_HELD_TYPE_ID = TYPE_ID_BASE + 19;
    /** Type id of accounts evicted because the account cap was reached (state the rules forgot early). */
    public static final int ACCOUNTS_CAP_EVICTED_TYPE_ID = TYPE_ID_BASE + 20;
    /** Type id of accounts evicted after the idle horizon. */
    public static final int ACCOUNTS_IDLE_EVICTED_TYPE_ID = TYPE_ID_BASE + 21;
    public static final int REJECTED_BY_REASON_TYPE_ID = TYPE_ID_BASE + 10;

    final Counter received;
    final Counter journaled;
    final Counter duplicates;
    final Counter rejected;
    final Counter evaluated;
    final Counter ruleErrors;
    final Counter alerts;
    final Counter alertsUnpublished;
    final Counter sequenceGaps;
    final Counter journalErrors;
    final Counter decided;
    final Counter decidedPosition;
    final Counter newestEventTime;
    final Counter alertJournalErrors;
    final Counter[] rejectedByReason;
    final Counter health;
    final Counter usableSpace;
    final Counter lowSpace;
    final Counter accountsHeld;
    final Counter accountsCapEvicted;
    final Counter accountsIdleEvicted;
    final Counter snapshots;

    EngineCounters(final Aeron aeron)
    {
        received = aeron.addCounter(RECEIVED_TYPE_ID, "txmon events received");
        journaled = aeron.addCounter(JOURNALED_TYPE_ID, "txmon events journaled");
        duplicates = aeron.addCounter(DUPLICATES_TYPE_ID, "txmon duplicates dropped");
        rejected = aeron.addCounter(REJECTED_TYPE_ID, "txmon events rejected");
        evaluated = aeron.addCounter(EVALUATED_TYPE_ID, "txmon events evaluated by rules");
        ruleErrors = aeron.addCounter(RULE_ERRORS_TYPE_ID, "txmon rule errors");
        alerts = aeron.addCounter(ALERTS_TYPE_ID, "txmon alerts raised");
        alertsUnpublished = aeron.addCounter(ALERTS_UNPUBLISHED_TYPE_ID, "txmon alerts with no live subscriber");
        sequenceGaps = aeron.addCounter(SEQUENCE_GAPS_TYPE_ID, "txmon producer sequence gaps");
        journalErrors = aeron.addCounter(JOURNAL_ERRORS_TYPE_ID, "txmon journal append failures");
        decided = aeron.addCounter(DECIDED_TYPE_ID, "txmon events decided (all rules run, alerts out)");
        decidedPosition = aeron.addCounter(DECIDED_POSITION_TYPE_ID, "txmon decided position (next offset)");
        newestEventTime = aeron.addCounter(NEWEST_EVENT_TIME_TYPE_ID, "txmon newest event time (ns since epoch)");
        alertJournalErrors = aeron.addCounter(ALERT_JOURNAL_ERRORS_TYPE_ID, "txmon alert journal append failures");
        health = aeron.addCounter(HEALTH_TYPE_ID, "txmon health (0 ok, 1 degraded, 2 failed)");
        usableSpace = aeron.addCounter(USABLE_SPACE_TYPE_ID, "txmon journal file system usable bytes");
        lowSpace = aeron.addCounter(LOW_SPACE_TYPE_ID, "txmon low space (fewer than two segments fit)");
        snapshots = aeron.addCounter(SNAPSHOTS_TYPE_ID, "txmon snapshots written");
        accountsHeld = aeron.addCounter(ACCOUNTS_HELD_TYPE_ID, "txmon accounts held by the rule workers");
        accountsCapEvicted = aeron.addCounter(
            ACCOUNTS_CAP_EVICTED_TYPE_ID, "txmon accounts evicted at the account cap (state forgotten early)");
        accountsIdleEvicted = aeron.addCounter(
            ACCOUNTS_IDLE_EVICTED_TYPE_ID, "txmon accounts evicted after the idle horizon");
        final RejectReason[] reasons = RejectReason.values();
        rejectedByReason = new Counter[RejectReason.count()];
        for (final RejectReason reason : reasons)
        {
            if (reason != RejectReason.NONE)
            {
                rejectedByReason[reason.code()] =
                    aeron.addCounter(REJECTED_BY_REASON_TYPE_ID, "txmon rejected: " + reason.name());
            }
        }
    }

    void reject(final RejectReason reason)
    {
        rejected.incrementRelease();
        rejectedByReason[reason.code()].incrementRelease();
    }

    /** @return events received on the ingest stream. */
    public long received()
    {
        return received.get();
    }

    /** @return events appended to the journal. */
    public long journaled()
    {
        return journaled.get();
    }

    /** @return duplicates dropped. */
    public long duplicates()
    {
        return duplicates.get();
    }

    /** @return events rejected, every reason. */
    public long rejected()
    {
        return rejected.get();
    }

    /**
     * @param reason of rejects.
     * @return events rejected for that reason.
     */
    public long rejected(final RejectReason reason)
    {
        return reason == RejectReason.NONE ? 0 : rejectedByReason[reason.code()].get();
    }

    /** @return events evaluated by the rule workers, summed over workers. */
    public long evaluated()
    {
        return evaluated.get();
    }

    /** @return exceptions thrown by rules. */
    public long ruleErrors()
    {
        return ruleErrors.get();
    }

    /** @return alerts raised. */
    public long alerts()
    {
        return alerts.get();
    }

    /** @return alerts not published because no subscriber was connected. */
    public long alertsUnpublished()
    {
        return alertsUnpublished.get();
    }

    /** @return producer sequence gaps seen. */
    public long sequenceGaps()
    {
        return sequenceGaps.get();
    }

    /** @return events that have passed every rule and whose alerts are out. */
    public long decided()
    {
        return decided.get();
    }

    /** @return one past the offset of the last decided event; 0 before the first decision of this run. */
    public long decidedPosition()
    {
        return decidedPosition.get();
    }

    /** @return the newest event time journaled, recovered events included; 0 before any. */
    public long newestEventTime()
    {
        return newestEventTime.get();
    }

    /** @return alerts the alert journal refused. */
    public long alertJournalErrors()
    {
        return alertJournalErrors.get();
    }

    /** @return journal append failures. */
    public long journalErrors()
    {
        return journalErrors.get();
    }

    /** @return 0 ok, 1 degraded, 2 failed: the ordinal of {@link EngineHealth.State}. */
    public long health()
    {
        return health.get();
    }

    /** @return bytes usable on the journal's file system at the last check (once a second). */
    public long usableSpace()
    {
        return usableSpace.get();
    }

    /** @return 1 while fewer than two segments fit on the journal's (or alert journal's) file system. */
    public long lowSpace()
    {
        return lowSpace.get();
    }

    /** @return snapshots written by this run. */
    public long snapshots()
    {
        return snapshots.get();
    }

    /** @return accounts held by the rule workers' account stores, summed over workers. */
    public long accountsHeld()
    {
        return accountsHeld.get();
    }

    /** @return accounts evicted because the account cap was reached. */
    public long accountsCapEvicted()
    {
        return accountsCapEvicted.get();
    }

    /** @return accounts evicted after the idle horizon. */
    public long accountsIdleEvicted()
    {
        return accountsIdleEvicted.get();
    }

    public void close()
    {
        CloseHelper.closeAll(rejectedByReason);
        CloseHelper.closeAll(
            received, journaled, duplicates, rejected, evaluated, ruleErrors, alerts, alertsUnpublished,
            sequenceGaps, journalErrors, decided, decidedPosition, newestEventTime, alertJournalErrors, health, usableSpace,
            lowSpace, snapshots, accountsHeld, accountsCapEvicted, accountsIdleEvicted);
    }
}
