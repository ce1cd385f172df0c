package io.txmon.transport;

import io.aeron.Aeron;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.logbuffer.FragmentHandler;
import org.agrona.CloseHelper;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.YieldingIdleStrategy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Issue 13, item 7: the {@code yielding} profile, beside {@code compact} and {@code low-latency}. Names parse the
 * way commands take them, a wrong one is refused with the valid ones listed, each role gets the idle strategy the
 * profile documents, and a driver in the yielding profile carries a message and leaves nothing behind.
 */
class ProfileTest
{
    private static final long TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);
    private static final int STREAM_ID = 1301;

    @TempDir
    Path tempDir;

    @Test
    void namesParseAsCommandsTakeThem()
    {
        for (final Profile profile : Profile.values())
        {
            assertSame(profile, Profile.parse(profile.cliName()));
        }
        assertSame(Profile.COMPACT, Profile.parse("compact"));
        assertSame(Profile.YIELDING, Profile.parse(" Yielding "));
        assertSame(Profile.LOW_LATENCY, Profile.parse("LOW-LATENCY"));
        assertEquals("compact, yielding or low-latency", Profile.names());
    }

    @Test
    void aWrongNameIsRefusedListingTheValidOnes()
    {
        final IllegalArgumentException turbo =
            assertThrows(IllegalArgumentException.class, () -> Profile.parse("turbo"));
        assertEquals("profile must be compact, yielding or low-latency, not 'turbo'", turbo.getMessage());
        // the enum's own name is not a name commands take
        final IllegalArgumentException constant =
            assertThrows(IllegalArgumentException.class, () -> Profile.parse("LOW_LATENCY"));
        assertEquals("profile must be compact, yielding or low-latency, not 'LOW_LATENCY'", constant.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Profile.parse(""));
        assertThrows(IllegalArgumentException.class, () -> Profile.parse(null));
    }

    @Test
    void eachRoleIdlesAsTheProfileSays()
    {
        assertInstanceOf(BackoffIdleStrategy.class, Profile.COMPACT.agentIdleStrategy());
        assertInstanceOf(BackoffIdleStrategy.class, Profile.COMPACT.clientIdleStrategy());
        assertFalse(Profile.COMPACT.threadPerAgent());

        assertInstanceOf(YieldingIdleStrategy.class, Profile.YIELDING.agentIdleStrategy());
        assertInstanceOf(BackoffIdleStrategy.class, Profile.YIELDING.clientIdleStrategy(), "not on a message's path");
        assertFalse(Profile.YIELDING.threadPerAgent(), "compact's threads");

        assertInstanceOf(BusySpinIdleStrategy.class, Profile.LOW_LATENCY.agentIdleStrategy());
        assertInstanceOf(BusySpinIdleStrategy.class, Profile.LOW_LATENCY.clientIdleStrategy());
        assertTrue(Profile.LOW_LATENCY.threadPerAgent());

        assertNotSame(Profile.YIELDING.agentIdleStrategy(), Profile.YIELDING.agentIdleStrategy(),
            "an idle strategy has state: one per thread");
    }

    @Test
    void theDriverIsThreadedAsTheProfileSays()
    {
        for (final boolean network : new boolean[]{ false, true })
        {
            final MediaDriver.Context compact = Profile.COMPACT.configureDriver(new MediaDriver.Context(), network);
            assertEquals(ThreadingMode.SHARED, compact.threadingMode());
            assertInstanceOf(BackoffIdleStrategy.class, compact.sharedIdleStrategy());

            final MediaDriver.Context lowLatency =
                Profile.LOW_LATENCY.configureDriver(new MediaDriver.Context(), network);
            assertEquals(ThreadingMode.DEDICATED, lowLatency.threadingMode());
            assertInstanceOf(BusySpinIdleStrategy.class, lowLatency.conductorIdleStrategy());
            assertInstanceOf(BusySpinIdleStrategy.class, lowLatency.senderIdleStrategy());
            assertInstanceOf(BusySpinIdleStrategy.class, lowLatency.receiverIdleStrategy());
        }

        final MediaDriver.Context yieldingUdp = Profile.YIELDING.configureDriver(new MediaDriver.Context(), true);
        assertEquals(ThreadingMode.SHARED, yieldingUdp.threadingMode());
        assertInstanceOf(YieldingIdleStrategy.class, yieldingUdp.sharedIdleStrategy(), "its receiver carries messages");

        final MediaDriver.Context yieldingIpc = Profile.YIELDING.configureDriver(new MediaDriver.Context(), false);
        assertEquals(ThreadingMode.SHARED, yieldingIpc.threadingMode());
        assertInstanceOf(BackoffIdleStrategy.class, yieldingIpc.sharedIdleStrategy(), "on no message's path");
    }

    @Test
    void aNetworkIsAnyChannelThatIsNotIpc()
    {
        assertFalse(Profile.usesNetwork("aeron:ipc", "aeron:ipc?term-length=64k"));
        assertTrue(Profile.usesNetwork("aeron:ipc", TransportConfiguration.DEFAULT_UDP_INGEST_CHANNEL));
        assertTrue(Profile.usesNetwork(TransportConfiguration.DEFAULT_UDP_ACK_CHANNEL));
        assertFalse(Profile.usesNetwork());
    }

    @Test
    void aYieldingDriverCarriesAnIpcMessageAndLeavesNoThreadOrDirectory()
    {
        final Set<Long> before = liveThreadIds();
        final Path dir = tempDir.resolve("aeron");
        final MediaDriver driver = EmbeddedDriver.launch(dir.toString(), Profile.YIELDING, true);
        Aeron aeron = null;
        try
        {
            assertEquals(ThreadingMode.SHARED, driver.context().threadingMode());
            assertInstanceOf(YieldingIdleStrategy.class, driver.context().sharedIdleStrategy());
            aeron = Aeron.connect(new Aeron.Context()
                .aeronDirectoryName(dir.toString())
                .idleStrategy(Profile.YIELDING.clientIdleStrategy()));
            final Subscription subscription = aeron.addSubscription("aeron:ipc", STREAM_ID);
            final Publication publication = aeron.addPublication("aeron:ipc", STREAM_ID);
            await(publication::isConnected, "publication connected");

            final UnsafeBuffer message = new UnsafeBuffer(new byte[64]);
            message.putLong(0, 0x7E57_1D1E_1D1EL);
            await(() -> publication.offer(message, 0, 64) > 0, "offer accepted");
            final long[] received = new long[1];
            final FragmentHandler handler = (buffer, offset, length, header) -> received[0] = buffer.getLong(offset);
            await(() -> subscription.poll(handler, 1) > 0, "message received");
            assertEquals(0x7E57_1D1E_1D1EL, received[0]);
        }
        finally
        {
            CloseHelper.closeAll(aeron, driver);
        }

        assertFalse(Files.exists(dir), "the driver's directory is removed on close");
        await(() -> newThreads(before).isEmpty(), () -> "threads still alive: " + newThreads(before));
    }

    private static void await(final BooleanSupplier condition, final String what)
    {
        await(condition, () -> what);
    }

    private static void await(final BooleanSupplier condition, final Supplier<String> what)
    {
        final long deadline = System.nanoTime() + TIMEOUT_NS;
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - deadline > 0)
            {
                fail("timed out after 10 s waiting for: " + what.get());
            }
            Thread.yield();
        }
    }

    private static Set<Long> liveThreadIds()
    {
        final Set<Long> ids = new HashSet<>();
        for (final Thread t : Thread.getAllStackTraces().keySet())
        {
            ids.add(t.getId());
        }
        return ids;
    }

    private static List<String> newThreads(final Set<Long> before)
    {
        final List<String> names = new ArrayList<>();
        for (final Thread t : Thread.getAllStackTraces().keySet())
        {
            if (t.isAlive() && !before.contains(t.getId()) && !t.isDaemon())
            {
                names.add(t.getName());
            }
        }
        return names;
    }
}
