package io.txmon.monitor;

import io.txmon.events.codec.Channel;
import io.txmon.events.codec.Severity;
import io.txmon.rules.Rule;
import io.txmon.rules.typology.LargeAmountRule;
import io.txmon.sequencer.Engine;
import io.txmon.transport.TxmonPublisher;
import org.agrona.CloseHelper;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

class AlertsCommandTest
{
    /** How the alerts command prints the start of a large-amount alert of this version. */
    private static final String LARGE_AMOUNT = "ALERT HIGH rule=large-amount/" + LargeAmountRule.VERSION;

    private static final long THRESHOLD = 1_000_000L;

    @TempDir
    Path dir;

    private String out;
    private String err;

    private int run(final String... args)
    {
        final ByteArrayOutputStream o = new ByteArrayOutputStream();
        final ByteArrayOutputStream e = new ByteArrayOutputStream();
        final int status = TxmonCli.run(args, new PrintStream(o, true, StandardCharsets.UTF_8),
            new PrintStream(e, true, StandardCharsets.UTF_8));
        out = o.toString(StandardCharsets.UTF_8);
        err = e.toString(StandardCharsets.UTF_8);
        return status;
    }

    private Engine engine(final Path alerts)
    {
        return Engine.launch(new Engine.Context()
            .aeronDirectoryName(dir.resolve("aeron").toString())
            .journalDir(dir.resolve("journal"))
            .segmentLength(4 * 1024 * 1024)
            .alertJournalDir(alerts)
            .rulesFactory((worker) -> new Rule[]{ new LargeAmountRule(THRESHOLD, Severity.HIGH) })
            .unjournaledRules(true));
    }

    private static void send(final TxmonPublisher publisher, final long txId, final long amount)
    {
        publisher.payment().eventTime(1_700_000_000_000_000_000L + txId).txId(txId).debtorAccount(11)
            .creditorAccount(22).amount(amount).currency(978).channel(Channel.SEPA).debtorCountry("DE")
            .creditorCountry("FR");
        assertTrue(publisher.send() > 0);
    }

    private static void awaitTrue(final java.util.function.BooleanSupplier condition, final String what)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean())
        {
            assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what);
            Thread.onSpinWait();
        }
    }

    @Test
    void everyAlertIsJournaledAndReadBackAsTextOrJsonFromTheBeginningOrTheEnd() throws Exception
    {
        final Path alerts = dir.resolve("alerts");
        final Engine engine = engine(alerts);
        TxmonPublisher publisher = null;
        try
        {
            publisher = new TxmonPublisher(engine.aeron(), "aeron:ipc", 1001, 1, 0, new BackoffIdleStrategy(),
                TimeUnit.SECONDS.toNanos(10));
            assertTrue(publisher.awaitConnected(TimeUnit.SECONDS.toNanos(10)));
            send(publisher, 1, THRESHOLD);
            send(publisher, 2, THRESHOLD - 1);
            send(publisher, 3, 5 * THRESHOLD);
            send(publisher, 4, 10);
            send(publisher, 5, 2 * THRESHOLD);
            awaitTrue(() -> engine.counters().decided() == 5, "5 decided");
            assertEquals(3, engine.counters().alerts());
            assertEquals(0, engine.counters().alertJournalErrors());

            // the journal holds every alert even with no subscriber to the alert stream
            assertEquals(TxmonCli.EXIT_OK, run("alerts", "--journal", alerts.toString(), "--from-beginning"), err);
            final List<String> lines = out.lines().toList();
            assertEquals(3, lines.size(), out);
            assertTrue(lines.get(0).startsWith(LARGE_AMOUNT + " offset=0 account=11 "), lines.get(0));
            assertTrue(lines.get(1).startsWith(LARGE_AMOUNT + " offset=2 "), lines.get(1));
            assertTrue(lines.get(2).startsWith(LARGE_AMOUNT + " offset=4 "), lines.get(2));

            assertEquals(TxmonCli.EXIT_OK, run("alerts", "--journal", alerts.toString(), "--from-beginning",
                "--format", "json"), err);
            final List<String> json = out.lines().toList();
            assertEquals(3, json.size());
            assertTrue(json.get(1).matches("\\{\"alertId\":\"[0-9a-f]+\",\"ruleId\":1,\"rule\":\"large-amount\"," +
                "\"ruleVersion\":" + LargeAmountRule.VERSION + ",\"severity\":\"HIGH\",\"score\":\\d+," +
                "\"triggeringOffset\":2,\"account\":11," +
                "\"eventTime\":\\d+,\"evidence\":\\[2],\"reason\":\"payment 3 of 50000.00 EUR .*\"}"), json.get(1));

            // like a console consumer: without --from-beginning only what comes next
            assertEquals(TxmonCli.EXIT_OK, run("alerts", "--journal", alerts.toString()), err);
            assertEquals("", out);

            final AtomicInteger followStatus = new AtomicInteger(-1);
            final ByteArrayOutputStream followed = new ByteArrayOutputStream();
            final Thread follower = new Thread(() -> followStatus.set(TxmonCli.run(
                new String[]{ "alerts", "--journal", alerts.toString(), "--from-beginning", "--follow", "--max-runtime", "5" },
                new PrintStream(followed, true, StandardCharsets.UTF_8), System.err)), "alerts-follower");
            follower.start();
            send(publisher, 6, 3 * THRESHOLD);
            // the three already there, then the new one as it is journaled (whenever the follower started)
            awaitTrue(() -> followed.toString(StandardCharsets.UTF_8).lines().count() == 4, "the follower prints it");
            follower.join(TimeUnit.SECONDS.toMillis(20));
            assertEquals(TxmonCli.EXIT_OK, followStatus.get());
            final List<String> all = followed.toString(StandardCharsets.UTF_8).lines().toList();
            assertEquals(4, all.size());
            assertTrue(all.get(3).startsWith(LARGE_AMOUNT + " offset=5 "), all.get(3));
        }
        finally
        {
            CloseHelper.closeAll(publisher, engine);
        }
    }

    @Test
    void aMissingJournalOrBadOptionsSayWhatToDo()
    {
        assertEquals(TxmonCli.EXIT_FAILED, run("alerts", "--journal", dir.resolve("nope").toString()));
        assertTrue(err.startsWith("txmon alerts: no alert journal at "), err);
        assertEquals(TxmonCli.EXIT_USAGE, run("alerts"));
        assertTrue(err.contains("--journal DIR is required"), err);
        assertEquals(TxmonCli.EXIT_USAGE, run("alerts", "--journal", dir.toString(), "--format", "xml"));
        assertTrue(err.contains("--format must be text or json"), err);
        assertEquals(TxmonCli.EXIT_OK, run("alerts", "--help"));
        assertTrue(out.contains("--from-beginning") && out.contains("--follow"), out);
    }
}
