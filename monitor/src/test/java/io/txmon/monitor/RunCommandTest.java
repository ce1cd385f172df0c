package io.txmon.monitor;

import io.aeron.Aeron;
import io.aeron.driver.MediaDriver;
import io.txmon.events.codec.Channel;
import io.txmon.events.codec.PaymentEncoder;
import io.txmon.journal.Durability;
import io.txmon.transport.EmbeddedDriver;
import io.txmon.transport.Profile;
import io.txmon.transport.TxmonPublisher;
import io.txmon.rules.typology.CycleRule;
import io.txmon.rules.typology.LargeAmountRule;
import org.agrona.CloseHelper;
import org.agrona.concurrent.YieldingIdleStrategy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static io.txmon.monitor.MonitorTests.await;
import static org.junit.jupiter.api.Assertions.*;

class RunCommandTest
{
    @TempDir
    Path dir;

    private final MonitorTests.Capture out = new MonitorTests.Capture();
    private final MonitorTests.Capture err = new MonitorTests.Capture();
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void closeAll()
    {
        for (int i = closeables.size() - 1; i >= 0; i--)
        {
            CloseHelper.quietClose(closeables.get(i));
        }
    }

    private int run(final String... args)
    {
        out.reset();
        err.reset();
        return TxmonCli.run(args, out.stream, err.stream);
    }

    /**
     * {@code txmon run} on a thread of its own, stopped by its latch as by a signal.
     */
    private final class Service implements AutoCloseable
    {
        final MonitorTests.Capture out = new MonitorTests.Capture();
        final MonitorTests.Capture err = new MonitorTests.Capture();
        final CountDownLatch stop = new CountDownLatch(1);
        final AtomicInteger status = new AtomicInteger(-1);
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final Thread thread;

        Service(final String... args)
        {
            thread = new Thread(() ->
            {
                try
                {
                    status.set(RunCommand.run(args, out.stream, err.stream, stop));
                }
                catch (final Throwable t)
                {
                    failure.set(t);
                }
            }, "test-txmon-run");
            thread.start();
            closeables.add(this);
        }

        void awaitStarted()
        {
            await(() -> out.text().contains("  pid ") || !thread.isAlive(),
                () -> "the startup block; out: " + out.text() + " err: " + err.text());
            assertTrue(thread.isAlive(), () -> "run ended: " + status + " " + failure + " " + err.text());
        }

        int stop() throws InterruptedException
        {
            stop.countDown();
            thread.join(TimeUnit.SECONDS.toMillis(20));
            assertFalse(thread.isAlive(), "run returned after its stop latch");
            assertNull(failure.get());
            return status.get();
        }

        public void close()
        {
            stop.countDown();
            try
            {
                thread.join(TimeUnit.SECONDS.toMillis(20));
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Test
    void helpListsEveryOption()
    {
        assertEquals(TxmonCli.EXIT_OK, run("run", "--help"));
        for (final String option : RunOptions.OPTIONS)
        {
            assertTrue(out.text().contains(option + " "), option);
        }
        for (final String flag : RunOptions.FLAGS)
        {
            assertTrue(out.text().contains(flag + " "), flag);
        }
        assertTrue(out.text().contains("--journal DIR"));
        assertTrue(out.text().contains("exit status is 0 when stopped by"), out.text());
    }

    @Test
    void refusesBadOptionsWithOneLineThatSaysWhatToDo()
    {
        final String journal = dir.resolve("j").toString();
        assertEquals(TxmonCli.EXIT_USAGE, run("run"));
        assertEquals("txmon run: --journal is required: give the journal directory, on the command line or as " +
            "journal= in --config", err.text().trim());
        assertEquals(TxmonCli.EXIT_USAGE, run("run", "--journal", journal, "--durability", "fsync"));
        assertEquals("txmon run: --durability: durability must be os, interval or sync, not 'fsync'", err.text().trim());
        assertEquals(TxmonCli.EXIT_USAGE, run("run", "--journal", journal, "--profile", "turbo"));
        assertEquals("txmon run: --profile must be compact, yielding or low-latency, not 'turbo'", err.text().trim());
        assertEquals(TxmonCli.EXIT_USAGE, run("run", "--journal", journal, "--workers", "0"));
        assertEquals("txmon run: --workers must be between 1 and 64, was 0", err.text().trim());
        assertEquals(TxmonCli.EXIT_USAGE, run("run", "--journal", journal, "--stats-interval", "often"));
        assertEquals("txmon run: --stats-interval takes a whole number, not 'often'", err.text().trim());
        assertEquals(TxmonCli.EXIT_USAGE, run("run", "--journal", journal, "--verbose"));
        assertTrue(err.text().contains("unknown option '--verbose'"), err.text());
        assertEquals(TxmonCli.EXIT_USAGE, run("run", "--journal", journal, "--reject-log-files", "3"));
        assertEquals("txmon run: --reject-log-max-bytes and --reject-log-files need --reject-log FILE", err.text().trim());
        assertEquals(TxmonCli.EXIT_USAGE, run("run", "--journal", journal, "--alert-stream", "1001"));
        assertTrue(err.text().contains("is the ingest stream; give --alert-stream or --alert-channel another value"),
            err.text());
        assertEquals(TxmonCli.EXIT_USAGE, run("run", "--journal", journal, "--ingest", "tcp://x"));
        assertTrue(err.text().startsWith("txmon run: --ingest: 'tcp://x' is not an Aeron channel"), err.text());
        assertEquals(1, err.text().trim().lines().count());
    }

    @Test
    void refusesUdpChannelsOffThisHostUnlessAllowed()
    {
        final String journal = dir.resolve("j").toString();
        assertEquals(TxmonCli.EXIT_USAGE, run("run", "--journal", journal,
            "--ingest", "aeron:udp?endpoint=10.1.2.3:40123"));
        assertEquals("txmon run: --ingest aeron:udp?endpoint=10.1.2.3:40123: endpoint 10.1.2.3:40123 is not a " +
            "loopback address; the engine's streams stay on this host unless you add --allow-remote", err.text().trim());
        assertEquals(TxmonCli.EXIT_USAGE, run("run", "--journal", journal,
            "--alert-channel", "aeron:udp?endpoint=224.0.1.1:40456|interface=127.0.0.1"));
        assertTrue(err.text().contains("endpoint 224.0.1.1:40456 is not a loopback address"), err.text());
        assertEquals(TxmonCli.EXIT_USAGE, run("run", "--journal", journal,
            "--ingest", "aeron:udp?endpoint=0.0.0.0:40123"));

        for (final String loopback : List.of("aeron:ipc", "aeron:udp?endpoint=127.0.0.1:40123",
            "aeron:udp?endpoint=localhost:40123", "aeron:udp?endpoint=[::1]:40123", "aeron-spy:aeron:ipc"))
        {
            assertEquals(loopback, RunOptions.parse(new String[]{ "--journal", journal, "--ingest", loopback })
                .ingestChannel());
        }
        final RunOptions remote = RunOptions.parse(new String[]{ "--journal", journal,
            "--ingest", "aeron:udp?endpoint=10.1.2.3:40123", "--allow-remote" });
        assertEquals("aeron:udp?endpoint=10.1.2.3:40123", remote.ingestChannel());
        assertTrue(remote.allowRemote());
    }

    @Test
    void acknowledgementChannelIsConfigurableAndMustReachEveryProducer()
    {
        final String journal = dir.resolve("j").toString();
        final RunOptions defaults = RunOptions.parse(new String[]{ "--journal", journal });
        assertEquals("aeron:ipc", defaults.ackChannel());
        assertEquals(1003, defaults.ackStream());

        final RunOptions udp = RunOptions.parse(new String[]{ "--journal", journal,
            "--ack-channel", "aeron:udp?control=127.0.0.1:40124|control-mode=dynamic", "--ack-stream", "77" });
        assertEquals("aeron:udp?control=127.0.0.1:40124|control-mode=dynamic", udp.ackChannel());
        assertEquals(77, udp.ackStream());

        // a unicast UDP channel reaches one producer only
        assertEquals(TxmonCli.EXIT_USAGE, run("run", "--journal", journal,
            "--ack-channel", "aeron:udp?endpoint=127.0.0.1:40124"));
        assertTrue(err.text().startsWith("txmon run: --ack-channel: acknowledgements over UDP need a " +
            "multi-destination-cast channel"), err.text());
        assertEquals(TxmonCli.EXIT_USAGE, run("run", "--journal", journal, "--ack-stream", "1001"));
        assertTrue(err.text().contains("is also the ingest or alert stream"), err.text());
        assertEquals(TxmonCli.EXIT_USAGE, run("run", "--journal", journal,
            "--ack-channel", "aeron:udp?control=10.9.9.9:40124|control-mode=dynamic"));
        assertTrue(err.text().contains("not a loopback address"), err.text());
    }

    @Test
    void commandLineOverridesTheConfigFileWhoseRelativePathsAreItsOwn() throws IOException
    {
        final Path confDir = Files.createDirectories(dir.resolve("conf"));
        final Path config = confDir.resolve("run.properties");
        Files.writeString(config, String.join("\n",
            "# txmon run configuration",
            "journal = data/journal",
            "durability=sync",
            "workers=3",
            "profile=low-latency",
            "stats-interval=0",
            "external-driver=true",
            "reject-log=logs/rejects.log",
            "reject-log-files=2",
            "large-amount-threshold=500000",
            "rules.structuring.window=24h",
            "rules.cycle.enabled=false"), StandardCharsets.UTF_8);

        final RunOptions fromFile = RunOptions.parse(new String[]{ "--config", config.toString() });
        assertEquals(confDir.resolve("data/journal").toAbsolutePath().normalize(), fromFile.journal());
        assertEquals(Durability.SYNC, fromFile.durability());
        assertEquals(3, fromFile.workers());
        assertEquals(Profile.LOW_LATENCY, fromFile.profile());
        assertTrue(fromFile.externalDriver());
        assertEquals(0, fromFile.statsIntervalSeconds());
        assertEquals(confDir.resolve("logs/rejects.log").toAbsolutePath().normalize(), fromFile.rejectLog());
        assertEquals(2, fromFile.rejectLogFiles());
        assertEquals(500_000, ((LargeAmountRule.Parameters)fromFile.rules().parameters(LargeAmountRule.ID)).threshold());
        assertEquals("1d", fromFile.rules().toKeys().get("rules.structuring.window"));
        assertFalse(fromFile.rules().isEnabled(CycleRule.ID));

        final RunOptions overridden = RunOptions.parse(new String[]{ "--config", config.toString(),
            "--durability", "interval", "--workers", "1", "--journal", "elsewhere" });
        assertEquals(Durability.INTERVAL, overridden.durability());
        assertEquals(1, overridden.workers());
        assertEquals(Path.of("elsewhere"), overridden.journal());
        assertEquals(Profile.LOW_LATENCY, overridden.profile(),
            "what the command line does not give comes from the file");

        Files.writeString(config, "journal=j\nrules.structuring.window=soon\nrules.fan-inn.enabled=false\n",
            StandardCharsets.UTF_8);
        assertEquals(TxmonCli.EXIT_USAGE, run("run", "--config", config.toString()));
        final String ruleErrors = err.text();
        assertTrue(ruleErrors.contains("2 problems with the rule keys"), ruleErrors);
        assertTrue(ruleErrors.contains("rules.structuring.window: 'soon' is not a duration"), ruleErrors);
        assertTrue(ruleErrors.contains("rules.fan-inn.enabled: no rule named 'fan-inn'"), ruleErrors);
        err.reset();

        Files.writeString(config, "journal=j\nworkers=many\n", StandardCharsets.UTF_8);
        assertEquals(TxmonCli.EXIT_USAGE, run("run", "--config", config.toString()));
        assertEquals("txmon run: workers in " + config + " takes a whole number, not 'many'", err.text().trim());

        Files.writeString(config, "journal=j\nexternal-driver=yes\n", StandardCharsets.UTF_8);
        assertEquals(TxmonCli.EXIT_USAGE, run("run", "--config", config.toString()));
        assertEquals("txmon run: external-driver in " + config + " must be true or false, not 'yes'", err.text().trim());
    }

    @Test
    void theYieldingProfileIsTakenFromTheCommandLineOrTheConfigFileAndRuns() throws Exception
    {
        final String journal = dir.resolve("j").toString();
        assertEquals(Profile.COMPACT, RunOptions.parse(new String[]{ "--journal", journal }).profile(), "the default");
        assertEquals(Profile.YIELDING,
            RunOptions.parse(new String[]{ "--journal", journal, "--profile", "yielding" }).profile());
        final Path config = dir.resolve("run.properties");
        Files.writeString(config, "journal=j\nprofile=yielding\n", StandardCharsets.UTF_8);
        assertEquals(Profile.YIELDING, RunOptions.parse(new String[]{ "--config", config.toString() }).profile());
        assertEquals(Profile.COMPACT,
            RunOptions.parse(new String[]{ "--config", config.toString(), "--profile", "compact" }).profile());

        Files.writeString(config, "journal=j\nprofile=fast\n", StandardCharsets.UTF_8);
        assertEquals(TxmonCli.EXIT_USAGE, run("run", "--config", config.toString()));
        assertEquals("txmon run: profile in " + config + " must be compact, yielding or low-latency, not 'fast'",
            err.text().trim());

        assertEquals(TxmonCli.EXIT_OK, run("run", "--help"));
        for (final Profile profile : Profile.values())
        {
            assertTrue(out.text().contains(" " + profile.cliName() + " "), profile::cliName);
        }

        final Path aeronDir = dir.resolve("aeron");
        final Service service = new Service("--journal", journal, "--aeron-dir", aeronDir.toString(),
            "--profile", "yielding", "--stats-interval", "0", "--max-runtime", "60");
        service.awaitStarted();
        assertTrue(service.out.text().contains("  profile      yielding (1 rule worker)\n"), service.out::text);
        assertEquals(TxmonCli.EXIT_OK, service.stop(), service.err::text);
        assertFalse(Files.exists(aeronDir), "the embedded driver's directory is removed");
    }

    @Test
    void unknownConfigKeysAreErrorsNamingTheKey() throws IOException
    {
        final Path config = dir.resolve("run.properties");
        Files.writeString(config, "jornal=/data/j\ndurability=sync\nconfig=other.properties\n", StandardCharsets.UTF_8);
        assertEquals(TxmonCli.EXIT_USAGE, run("run", "--config", config.toString()));
        assertEquals("txmon run: --config " + config + ": unknown keys 'config', 'jornal'; keys are the long option " +
            "names without dashes, such as journal, durability (see 'txmon run --help'), and rule keys " +
            "rules.<rule>.<parameter> (see rules/RULES.md)", err.text().trim());

        assertEquals(TxmonCli.EXIT_USAGE, run("run", "--config", dir.resolve("missing.properties").toString()));
        assertTrue(err.text().startsWith("txmon run: --config " + dir.resolve("missing.properties") + ": cannot read it"),
            err.text());
    }

    @Test
    void runsUntilStoppedJournalsWhatProducersSendAndLogsRejects() throws Exception
    {
        final Path journal = dir.resolve("journal");
        final Path aeronDir = dir.resolve("aeron");
        final Path rejectLog = dir.resolve("rejects.log");
        final Service service = new Service("--journal", journal.toString(), "--aeron-dir", aeronDir.toString(),
            "--stats-interval", "1", "--max-runtime", "60", "--reject-log", rejectLog.toString(),
            "--large-amount-threshold", "100000");
        service.awaitStarted();

        final String block = service.out.text();
        assertTrue(block.startsWith("txmon run: engine running; stop it with Ctrl-C or SIGTERM (stops by itself after " +
            "60 s)\n"), block);
        assertTrue(block.contains("  aeron-dir    " + aeronDir + " (embedded media driver)\n"), block);
        assertTrue(block.contains("  ingest       aeron:ipc stream 1001\n"), block);
        assertTrue(block.contains("  alerts       aeron:ipc stream 1002\n"), block);
        assertTrue(block.contains("  journal      " + journal.toAbsolutePath() + " (durability os, 0 records at start)\n"),
            block);
        assertTrue(block.contains("  profile      compact (1 rule worker)\n"), block);
        assertTrue(block.contains("  pid          " + ProcessHandle.current().pid() + "\n"), block);

        try (Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(aeronDir.toString()));
            TxmonPublisher publisher = new TxmonPublisher(aeron, "aeron:ipc", 1001, 7, 0, new YieldingIdleStrategy(),
                TimeUnit.SECONDS.toNanos(10)))
        {
            assertTrue(publisher.awaitConnected(TimeUnit.SECONDS.toNanos(10)), "publisher connected");
            for (int i = 0; i < 5; i++)
            {
                sendPayment(publisher, 1_000 + i);
            }
            // TxmonPublisher refuses an invalid event itself, so a raw producer sends one: INVALID_AMOUNT
            sendRawInvalidPayment(aeron);
            // the engine's own change of the large-amount threshold from its default, then the five payments
            await(() -> MonitorTests.endOffset(journal) == 6, () -> "6 records journaled, " + MonitorTests.endOffset(journal));
            await(() -> service.err.text().contains("rejected 1"), () -> "a counter line; err: " + service.err.text());
        }

        // a second engine in the same driver directory is refused while the first one's driver lives
        assertEquals(TxmonCli.EXIT_FAILED, run("run", "--journal", dir.resolve("journal2").toString(),
            "--aeron-dir", aeronDir.toString()));
        assertEquals("txmon run: a media driver (process " + ProcessHandle.current().pid() + ") is running in " +
            aeronDir + "; stop it or use another --aeron-dir (a driver whose process has died is taken over at once)",
            err.text().trim());
        assertFalse(Files.exists(dir.resolve("journal2")), "refused before touching a journal");
        assertTrue(Files.exists(aeronDir.resolve("cnc.dat")), "and the live driver's files are untouched");
        try (Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(aeronDir.toString()));
            // the producer sent 0..4, so it continues at 5
            TxmonPublisher publisher = new TxmonPublisher(aeron, "aeron:ipc", 1001, 7, 5, new YieldingIdleStrategy(),
                TimeUnit.SECONDS.toNanos(10)))
        {
            assertTrue(publisher.awaitConnected(TimeUnit.SECONDS.toNanos(10)), "the first engine still takes events");
            sendPayment(publisher, 3_000);
            await(() -> MonitorTests.endOffset(journal) == 7, () -> "7 records journaled; " + service.err.text() + readQuietly(rejectLog));
        }

        assertEquals(TxmonCli.EXIT_OK, service.stop());
        final String serviceErr = service.err.text();
        // journaled counts the engine's own configuration change too; every default typology runs, so the
        // small test payments may alert
        assertTrue(serviceErr.matches("(?s).*txmon run: received 6  journaled 6 \\(\\d+/s\\)  rejected 1  duplicates 0  " +
            "alerts \\d+  decided 5\n.*"), serviceErr);
        assertTrue(serviceErr.matches("(?s).*txmon run: stopped; received 7  journaled 7  rejected 1  duplicates 0  " +
            "alerts \\d+  decided 6\n"), serviceErr);
        assertFalse(Files.exists(aeronDir), "the embedded driver removes its directory");
        assertEquals(7, MonitorTests.endOffset(journal));

        final List<String> rejects = Files.readAllLines(rejectLog, StandardCharsets.UTF_8);
        assertEquals(1, rejects.size(), rejects::toString);
        assertTrue(rejects.get(0).matches(
            "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z reason=INVALID_AMOUNT template=1 producerId=8 " +
            "producerSeq=0 length=\\d+"), rejects.get(0));
    }

    @Test
    void maxRuntimeStopsItByItself() throws Exception
    {
        final Service service = new Service("--journal", dir.resolve("journal").toString(),
            "--aeron-dir", dir.resolve("aeron").toString(), "--max-runtime", "1", "--stats-interval", "0");
        service.thread.join(TimeUnit.SECONDS.toMillis(20));
        assertFalse(service.thread.isAlive(), "stopped after --max-runtime");
        assertEquals(TxmonCli.EXIT_OK, service.status.get(), service.err::text);
        assertTrue(service.out.text().contains("(stops by itself after 1 s)"));
        assertEquals("txmon run: stopped; received 0  journaled 0  rejected 0  duplicates 0  alerts 0  decided 0",
            service.err.text().trim(), "no counter lines with --stats-interval 0");
    }

    @Test
    void usesAnExternalDriverAndRefusesToStartWithoutOne() throws Exception
    {
        final Path aeronDir = dir.resolve("external");
        assertEquals(TxmonCli.EXIT_FAILED, run("run", "--journal", dir.resolve("journal").toString(),
            "--aeron-dir", aeronDir.toString(), "--external-driver"));
        assertEquals("txmon run: no media driver is running in " + aeronDir + "; start one there, give its directory " +
            "with --aeron-dir, or drop --external-driver", err.text().trim());

        final MediaDriver driver = EmbeddedDriver.launch(aeronDir.toString(), false);
        closeables.add(driver);
        final Path journal = dir.resolve("journal");
        final Service service = new Service("--journal", journal.toString(), "--aeron-dir", aeronDir.toString(),
            "--external-driver", "--stats-interval", "0", "--max-runtime", "60", "--ingest-stream", "77");
        service.awaitStarted();
        assertTrue(service.out.text().contains("  aeron-dir    " + aeronDir + " (external media driver)\n"),
            service.out.text());
        assertTrue(service.out.text().contains("  ingest       aeron:ipc stream 77\n"), service.out.text());

        try (Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(aeronDir.toString()));
            TxmonPublisher publisher = new TxmonPublisher(aeron, "aeron:ipc", 77, 9, 0, new YieldingIdleStrategy(),
                TimeUnit.SECONDS.toNanos(10)))
        {
            assertTrue(publisher.awaitConnected(TimeUnit.SECONDS.toNanos(10)), "publisher connected");
            sendPayment(publisher, 2_000);
            await(() -> MonitorTests.endOffset(journal) == 1, () -> "1 record journaled");
        }
        assertEquals(TxmonCli.EXIT_OK, service.stop());
        assertTrue(Files.exists(aeronDir.resolve("cnc.dat")), "an external driver's directory is left alone");
    }

    private static String readQuietly(final Path file)
    {
        try
        {
            return Files.readString(file);
        }
        catch (final IOException ex)
        {
            return ex.toString();
        }
    }

    private static void sendPayment(final TxmonPublisher publisher, final long amount)
    {
        final long seq = publisher.nextProducerSeq();
        publisher.payment()
            .eventTime(1_700_000_000_000_000_000L + seq)
            .txId(500 + seq)
            .debtorAccount(11)
            .creditorAccount(22)
            .amount(amount)
            .currency(978)
            .channel(Channel.SEPA)
            .debtorCountry("DE")
            .creditorCountry("FR")
            .latitude(PaymentEncoder.latitudeNullValue())
            .longitude(PaymentEncoder.longitudeNullValue());
        final long result = publisher.send();
        assertTrue(result > 0, () -> "send failed: " + TxmonPublisher.describe(result));
    }

    private static void sendRawInvalidPayment(final Aeron aeron)
    {
        final org.agrona.concurrent.UnsafeBuffer buffer = new org.agrona.concurrent.UnsafeBuffer(new byte[256]);
        final PaymentEncoder payment = new PaymentEncoder()
            .wrapAndApplyHeader(buffer, 0, new io.txmon.events.codec.MessageHeaderEncoder())
            .producerId(8).producerSeq(0).eventTime(1_700_000_000_000_000_000L).txId(900)
            .debtorAccount(11).creditorAccount(22).amount(-1).currency(978).channel(Channel.SEPA)
            .debtorCountry("DE").creditorCountry("FR")
            .latitude(PaymentEncoder.latitudeNullValue()).longitude(PaymentEncoder.longitudeNullValue());
        payment.putReference(buffer, 0, 0);
        final int length = io.txmon.events.codec.MessageHeaderEncoder.ENCODED_LENGTH + payment.encodedLength();
        try (io.aeron.ExclusivePublication raw = aeron.addExclusivePublication("aeron:ipc", 1001))
        {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (raw.offer(buffer, 0, length) < 0)
            {
                assertTrue(System.nanoTime() - deadline < 0, "raw invalid payment not offered");
                Thread.yield();
            }
        }
    }
}
