package io.txmon.monitor;

import io.txmon.events.RejectReason;
import io.txmon.events.codec.Channel;
import io.txmon.events.codec.MessageHeaderEncoder;
import io.txmon.events.codec.PaymentEncoder;
import io.txmon.journal.JournalWriter;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class RejectLogTest
{
    /** 2026-11-25T08:00:00.123Z */
    private static final long NOW_MS = 1_795_593_600_123L;

    @TempDir
    Path dir;

    private final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(1024));
    private final List<Throwable> errors = new ArrayList<>();
    private RejectLog log;

    @AfterEach
    void close()
    {
        if (null != log)
        {
            log.onClose();
        }
        assertEquals(List.of(), errors);
    }

    private RejectLog open(final long maxBytes, final int files, final int queueCapacity)
    {
        log = new RejectLog(dir.resolve("logs/rejects.log"), maxBytes, files, queueCapacity, () -> NOW_MS, errors::add);
        return log;
    }

    private int encodePayment(final long producerId, final long producerSeq, final String reference)
    {
        final PaymentEncoder payment = new PaymentEncoder().wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .producerId(producerId)
            .producerSeq(producerSeq)
            .eventTime(1)
            .txId(0x5EC2E7L)
            .debtorAccount(11)
            .creditorAccount(22)
            .amount(-777_777)
            .currency(978)
            .channel(Channel.SEPA)
            .debtorCountry("DE")
            .creditorCountry("FR")
            .latitude(PaymentEncoder.latitudeNullValue())
            .longitude(PaymentEncoder.longitudeNullValue());
        payment.reference(reference);
        return MessageHeaderEncoder.ENCODED_LENGTH + payment.encodedLength();
    }

    private List<String> lines(final Path file) throws IOException
    {
        return Files.readAllLines(file, StandardCharsets.UTF_8);
    }

    @Test
    void writesOneLineOfIdsPerRejectAndNoPayload() throws IOException
    {
        open(RejectLog.DEFAULT_MAX_BYTES, RejectLog.DEFAULT_FILES, RejectLog.DEFAULT_QUEUE_CAPACITY);
        final int length = encodePayment(7, 42, "SECRET-REMITTANCE-TEXT");
        log.onReject(RejectReason.INVALID_AMOUNT, buffer, 0, length);
        assertEquals(1, log.doWork());

        final String content = Files.readString(log.file(), StandardCharsets.UTF_8);
        assertEquals("2026-11-25T08:00:00.123Z reason=INVALID_AMOUNT template=1 producerId=7 producerSeq=42 length=" +
            length + "\n", content, "written and flushed by doWork");
        assertFalse(content.contains("SECRET"), "no payload text");
        assertFalse(content.contains("777") || content.contains(Long.toString(0x5EC2E7L)), "no payload values");
        assertEquals(1, log.writtenCount());
    }

    @Test
    void readsOnlyWhatTheMessageAndTheBufferHold() throws IOException
    {
        open(RejectLog.DEFAULT_MAX_BYTES, RejectLog.DEFAULT_FILES, RejectLog.DEFAULT_QUEUE_CAPACITY);
        final int length = encodePayment(7, 42, "");

        log.onReject(RejectReason.TRUNCATED_HEADER, buffer, 0, 3);
        log.onReject(RejectReason.TRUNCATED_BLOCK, buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + 15);
        buffer.putShort(4, (short)99); // another schema: its template and ids mean nothing here
        log.onReject(RejectReason.WRONG_SCHEMA_ID, buffer, 0, length);
        log.onReject(RejectReason.INVALID_BUFFER_RANGE, buffer, 1000, 100);
        log.onReject(RejectReason.INVALID_BUFFER_RANGE, null, 0, 100);
        log.onJournalFailure(JournalWriter.FORCE_FAILED, new IOException("no space\nleft"));
        log.onJournalFailure(JournalWriter.ROLL_FAILED, null);
        log.doWork();

        assertEquals(List.of(
            "2026-11-25T08:00:00.123Z reason=TRUNCATED_HEADER length=3",
            "2026-11-25T08:00:00.123Z reason=TRUNCATED_BLOCK template=1 length=23",
            "2026-11-25T08:00:00.123Z reason=WRONG_SCHEMA_ID length=" + length,
            "2026-11-25T08:00:00.123Z reason=INVALID_BUFFER_RANGE length=100",
            "2026-11-25T08:00:00.123Z reason=INVALID_BUFFER_RANGE length=100",
            "2026-11-25T08:00:00.123Z journal-failure status=FORCE_FAILED(-5) cause=java.io.IOException: no space left",
            "2026-11-25T08:00:00.123Z journal-failure status=ROLL_FAILED(-3)"),
            lines(log.file()));
    }

    /** Finding 10 of issue 12: the log names producers and sequences; other local users must not read it. */
    @Test
    void filesAndTheDirectoryCreatedForThemAreOwnerOnly() throws IOException
    {
        assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"), "POSIX file modes");
        // a file left readable by an earlier version is made owner-only when it is opened again
        final Path old = dir.resolve("old/rejects.log");
        Files.createDirectories(old.getParent());
        Files.setPosixFilePermissions(old.getParent(), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(old, "old\n");
        Files.setPosixFilePermissions(old, PosixFilePermissions.fromString("rw-r--r--"));
        final RejectLog reopened = new RejectLog(old, 4096, 2, RejectLog.DEFAULT_QUEUE_CAPACITY, () -> NOW_MS, errors::add);
        reopened.onClose();
        assertEquals("rw-------", mode(old));
        assertEquals("rwxr-xr-x", mode(old.getParent()), "a directory that existed is left as it was");

        open(1024, 3, RejectLog.DEFAULT_QUEUE_CAPACITY);
        final int length = encodePayment(7, 0, "");
        for (int seq = 0; seq < 100; seq++)
        {
            log.onReject(RejectReason.INVALID_AMOUNT, buffer, 0, length);
            log.doWork();
        }
        log.onClose();
        assertTrue(log.rotationCount() > 0);
        assertEquals("rwx------", mode(log.file().getParent()), "the directory created for the log");
        assertEquals("rw-------", mode(log.file()));
        assertEquals("rw-------", mode(log.rotated(1)));
    }

    private static String mode(final Path path) throws IOException
    {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    @Test
    void rotatesKeepingNFilesEachWithinTheLimit() throws IOException
    {
        final long maxBytes = 1024;
        final int files = 3;
        open(maxBytes, files, RejectLog.DEFAULT_QUEUE_CAPACITY);
        final int length = encodePayment(7, 0, "");
        final int count = 200;
        for (int seq = 0; seq < count; seq++)
        {
            buffer.putLong(MessageHeaderEncoder.ENCODED_LENGTH + 8, seq);
            log.onReject(RejectReason.INVALID_AMOUNT, buffer, 0, length);
            if (seq % 16 == 0)
            {
                log.doWork();
            }
        }
        log.onClose();

        assertTrue(log.rotationCount() >= files, "rotated " + log.rotationCount());
        assertFalse(Files.exists(log.rotated(files)), "only " + files + " files kept");
        final List<String> kept = new ArrayList<>();
        for (int i = files - 1; i >= 1; i--)
        {
            final Path rotated = log.rotated(i);
            assertTrue(Files.size(rotated) <= maxBytes, rotated + " is " + Files.size(rotated) + " bytes");
            assertTrue(Files.size(rotated) > maxBytes / 2, "a rotated file is nearly full");
            kept.addAll(lines(rotated));
        }
        assertTrue(Files.size(log.file()) <= maxBytes);
        kept.addAll(lines(log.file()));

        // the newest lines, oldest first across FILE.2, FILE.1, FILE, with none missing in between
        final long first = count - kept.size();
        for (int i = 0; i < kept.size(); i++)
        {
            assertTrue(kept.get(i).contains(" producerSeq=" + (first + i) + " "), kept.get(i) + " at " + i);
        }
        assertEquals(count, log.writtenCount());
    }

    @Test
    void appendsToAnExistingFileAndCountsItsBytes() throws IOException
    {
        final Path file = dir.resolve("logs/rejects.log");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "x".repeat(1000) + "\n");
        open(1024, 2, RejectLog.DEFAULT_QUEUE_CAPACITY);
        log.onReject(RejectReason.INVALID_AMOUNT, buffer, 0, encodePayment(1, 1, ""));
        log.doWork();
        assertEquals(1, log.rotationCount(), "the old content counts towards the limit");
        assertEquals(1001, Files.size(log.rotated(1)));
        assertEquals(1, lines(file).size());
    }

    @Test
    void countsWhatAFullQueueDropsAndSaysSoInTheLog() throws IOException
    {
        open(RejectLog.DEFAULT_MAX_BYTES, 1, 1024);
        final int length = encodePayment(7, 1, "");
        for (int i = 0; i < 100; i++)
        {
            log.onReject(RejectReason.INVALID_AMOUNT, buffer, 0, length);
        }
        final long dropped = log.droppedCount();
        assertTrue(dropped > 50 && dropped < 100, "a 1 KiB queue holds about 20 lines; dropped " + dropped);

        while (log.doWork() > 0)
        {
            // drain
        }
        final List<String> lines = lines(log.file());
        assertEquals(100 - dropped + 1, lines.size());
        assertEquals("2026-11-25T08:00:00.123Z dropped=" + dropped + " (the reject log queue was full; " + dropped +
            " dropped in all)", lines.get(lines.size() - 1));
    }

    @Test
    void closeWritesWhatIsStillQueued() throws IOException
    {
        open(RejectLog.DEFAULT_MAX_BYTES, 1, RejectLog.DEFAULT_QUEUE_CAPACITY);
        final int length = encodePayment(7, 1, "");
        for (int i = 0; i < 10; i++)
        {
            log.onReject(RejectReason.INVALID_CURRENCY, buffer, 0, length);
        }
        log.onClose();
        log.onClose();
        assertEquals(10, lines(log.file()).size());
    }

    @Test
    void refusesLimitsThatCannotHoldALine()
    {
        assertThrows(IllegalArgumentException.class, () -> new RejectLog(dir.resolve("r.log"), 100, 5));
        assertThrows(IllegalArgumentException.class, () -> new RejectLog(dir.resolve("r.log"), 4096, 0));
    }

    @Test
    void onRejectDoesNotAllocateAfterWarmUp()
    {
        final java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        assumeTrue(threads instanceof com.sun.management.ThreadMXBean);
        final com.sun.management.ThreadMXBean memory = (com.sun.management.ThreadMXBean)threads;
        assumeTrue(memory.isThreadAllocatedMemorySupported() && memory.isThreadAllocatedMemoryEnabled());

        open(RejectLog.DEFAULT_MAX_BYTES, 1, 1024 * 1024);
        final int length = encodePayment(7, 1, "");
        final long threadId = Thread.currentThread().getId();
        for (int round = 0; round < 3; round++)
        {
            final long before = memory.getThreadAllocatedBytes(threadId);
            for (int i = 0; i < 10_000; i++)
            {
                log.onReject(RejectReason.INVALID_AMOUNT, buffer, 0, length);
            }
            final long allocated = memory.getThreadAllocatedBytes(threadId) - before;
            while (log.doWork() > 0)
            {
                // drain between rounds, off the measurement
            }
            if (round > 0)
            {
                assertTrue(allocated < 4096, "10,000 rejects allocated " + allocated + " bytes");
            }
        }
        assertEquals(0, log.droppedCount());
    }
}
