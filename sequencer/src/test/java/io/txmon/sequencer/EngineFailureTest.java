package io.txmon.sequencer;

import io.aeron.ExclusivePublication;
import io.txmon.events.RejectReason;
import io.txmon.events.codec.Severity;
import io.txmon.rules.Rule;
import io.txmon.rules.RuleContext;
import io.txmon.rules.TxEvent;
import io.txmon.rules.typology.LargeAmountRule;
import io.txmon.transport.TxmonPublisher;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.YieldingIdleStrategy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static io.txmon.sequencer.EngineTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Finding 5 of issue 12: an {@link Error} on an engine thread used to kill that thread while the process stayed
 * up doing nothing. Now, whichever thread it hits (sequencer, rule worker, alert sink), the engine's health says
 * FAILED with the thread and the cause, intake stops (nothing more is journaled or acknowledged), and closing the
 * engine still stops every thread and removes its driver directory.
 */
class EngineFailureTest
{
    private static final long POISON_AMOUNT = 666;
    private static final long CLOSE_BOUND_MS = 30_000;

    @TempDir
    Path tempDir;

    /** Throws an InternalError, as a write to a mapped file on a full disk does, for one amount. */
    static final class PoisonRule implements Rule
    {
        public int id()
        {
            return 903;
        }

        public int version()
        {
            return 1;
        }

        public String name()
        {
            return "poison";
        }

        public void onEvent(final TxEvent event, final RuleContext context)
        {
            if (event.amount == POISON_AMOUNT)
            {
                throw new InternalError("a fault occurred in an unsafe memory access operation (test)");
            }
        }
    }

    @Test
    void anErrorOnTheSequencerThreadFailsTheEngineAndStopsIntake() throws Exception
    {
        final RejectListener throwing = new RejectListener()
        {
            public void onReject(final RejectReason reason, final DirectBuffer buffer, final int offset, final int length)
            {
                throw new InternalError("reject listener failed (test)");
            }

            public void onJournalFailure(final long status, final Exception cause)
            {
            }
        };
        runFailure("txmon-sequencer", InternalError.class, (ctx) -> ctx.rejectListener(throwing), (engine) ->
        {
            // an invalid payment (negative amount) reaches the reject listener, on the sequencer's thread
            final ExclusivePublication raw = rawPublication(engine);
            try
            {
                final UnsafeBuffer buffer = new UnsafeBuffer(new byte[512]);
                final int length = encodePayment(buffer, 0, 99, 0, -1);
                offer(raw, buffer, 0, length);
            }
            finally
            {
                raw.close();
            }
        });
    }

    @Test
    void anErrorInARuleFailsTheEngineAndStopsIntake() throws Exception
    {
        runFailure("txmon-rule-worker", RuleException.class,
            (ctx) -> ctx.rulesFactory((w) -> new Rule[]{ new PoisonRule() }),
            (engine) -> sendPoison(engine));
    }

    @Test
    void anErrorOnTheAlertSinkFailsTheEngineAndStopsIntake() throws Exception
    {
        final DecisionObserver throwing = (event, nanos) ->
        {
            if (event.amount == POISON_AMOUNT)
            {
                throw new InternalError("alert sink failed (test)");
            }
        };
        runFailure("txmon-alert-sink", InternalError.class, (ctx) -> ctx.decisionObserver(throwing),
            (engine) -> sendPoison(engine));
    }

    /** Holds its first event, deaf to interrupts, until released: a thread that will not stop. */
    static final class StuckRule implements Rule
    {
        volatile boolean holding;
        volatile boolean released;

        public int id()
        {
            return 905;
        }

        public int version()
        {
            return 1;
        }

        public String name()
        {
            return "stuck";
        }

        public void onEvent(final TxEvent event, final RuleContext context)
        {
            holding = true;
            final long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (!released && System.nanoTime() - deadline < 0)
            {
                java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
        }
    }

    @Test
    void closeFinishesWithinItsBoundWhenAThreadWillNotStop() throws Exception
    {
        final Set<Long> threadsBefore = Await.liveThreadIds();
        final StuckRule stuck = new StuckRule();
        final EngineErrors errors = new EngineErrors();
        final Engine engine = Engine.launch(context(tempDir.resolve("aeron"), tempDir.resolve("journal"),
            (w) -> new Rule[]{ stuck }).errorHandler(errors));
        try
        {
            try (TxmonPublisher publisher = publisher(engine, 1, 0))
            {
                sendPayment(publisher, 1);
            }
            Await.await(TIMEOUT_MS, () -> stuck.holding, () -> "the rule holds its event", null);
            closeBounded(engine);
            assertTrue(errors.distinct().stream().anyMatch((t) -> String.valueOf(t.getMessage()).contains("did not stop")),
                () -> "the thread left behind is reported: " + errors.distinct());
            assertTrue(Files.exists(tempDir.resolve("aeron")),
                "what the stuck thread may still write to (counters, journal) is left mapped, not unmapped under it");
        }
        finally
        {
            stuck.released = true;
        }
        // once the thread has stopped, closing again releases everything
        Await.await(TIMEOUT_MS, () ->
        {
            engine.close();
            return !Files.exists(tempDir.resolve("aeron"));
        }, () -> "a second close releases everything", null);
        Await.awaitNoNewThreads(threadsBefore, 10_000);
        final JournalScan scan = JournalScan.scan(tempDir.resolve("journal"), null);
        assertEquals(1, scan.records);
    }

    private static void sendPoison(final Engine engine)
    {
        try (TxmonPublisher poisoner = publisher(engine, 98, 0))
        {
            sendPayment(poisoner, POISON_AMOUNT);
        }
    }

    interface Setup
    {
        void apply(Engine.Context ctx);
    }

    interface Trigger
    {
        void fire(Engine engine) throws Exception;
    }

    private void runFailure(
        final String expectedAgent, final Class<? extends Throwable> expectedCause, final Setup setup, final Trigger trigger)
        throws Exception
    {
        final Set<Long> threadsBefore = Await.liveThreadIds();
        final Path aeronDir = tempDir.resolve("aeron");
        final Path journalDir = tempDir.resolve("journal");
        final EngineErrors errors = new EngineErrors();
        final Engine.Context ctx = context(aeronDir, journalDir,
            (w) -> new Rule[]{ new LargeAmountRule(Long.MAX_VALUE, Severity.LOW) }).errorHandler(errors);
        setup.apply(ctx);
        final Engine engine = Engine.launch(ctx);
        TxmonPublisher publisher = null;
        try
        {
            final EngineCounters counters = engine.counters();
            publisher = new TxmonPublisher(new TxmonPublisher.Context()
                .aeron(engine.aeron())
                .ackChannel(engine.context().ackChannel())
                .producerId(1)
                .idleStrategy(new YieldingIdleStrategy())
                .sendTimeoutNs(TimeUnit.SECONDS.toNanos(10))
                .resendTimeoutNs(TimeUnit.MILLISECONDS.toNanos(200)));
            assertTrue(publisher.awaitConnected(TimeUnit.SECONDS.toNanos(10)));
            for (int i = 0; i < 10; i++)
            {
                sendPayment(publisher, 100 + i);
            }
            final TxmonPublisher p = publisher;
            Await.await(TIMEOUT_MS, () -> p.acknowledgedSeq() == 9, () -> "ten acknowledged", p::pollAcknowledgements);
            assertEquals(EngineHealth.State.OK, engine.health().state(), engine.health().describe());
            assertEquals(0, counters.health());

            trigger.fire(engine);

            Await.await(TIMEOUT_MS, () -> engine.health().state() == EngineHealth.State.FAILED,
                () -> "health FAILED; it is " + engine.health().describe() + "; " + describe(counters), null);
            assertEquals(expectedAgent, engine.health().failedAgent(), engine.health().describe());
            assertInstanceOf(expectedCause, engine.health().failure());
            assertTrue(engine.health().describe().startsWith("FAILED: " + expectedAgent + " failed: "),
                engine.health().describe());
            assertEquals(2, counters.health(), "the health counter says failed");
            assertTrue(engine.isIntakeStopped(), "intake stopped");
            assertTrue(errors.count() > 0, "the failure was reported to the error handler");

            // nothing more is journaled or acknowledged: the engine refuses the event (a counted refusal), or, where
            // the sequencer only stops polling, the producer resends it for want of an acknowledgement
            final long journaled = counters.journaled();
            final long acknowledged = publisher.acknowledgedSeq();
            final long rejected = counters.rejected();
            sendPayment(publisher, 200);
            final long resends = publisher.resendCount();
            Await.await(TIMEOUT_MS, () -> p.resendCount() > resends + 1 || counters.rejected() > rejected,
                () -> "the event was refused, or resent unacknowledged", p::pollAcknowledgements);
            p.pollAcknowledgements();
            assertEquals(journaled, counters.journaled(), "nothing journaled after the failure");
            assertEquals(acknowledged, publisher.acknowledgedSeq(), "nothing acknowledged after the failure");
        }
        finally
        {
            CloseHelper.closeAll(publisher);
            closeBounded(engine);
        }
        assertFalse(Files.exists(aeronDir), "the embedded driver's directory is removed");
        Await.awaitNoNewThreads(threadsBefore, 10_000);
        final JournalScan scan = JournalScan.scan(journalDir, null);
        assertNull(scan.firstViolation, scan::toString);
        assertEquals(9, scan.producer(1).lastSeq, "every acknowledged event is in the journal");
    }

    /** Close as a signal's shutdown hook would, and fail if it does not finish within the bound. */
    static void closeBounded(final Engine engine) throws InterruptedException
    {
        final Thread closer = new Thread(engine::close, "engine-closer");
        closer.start();
        closer.join(CLOSE_BOUND_MS);
        assertFalse(closer.isAlive(), "engine close did not finish within " + CLOSE_BOUND_MS + " ms");
    }
}
