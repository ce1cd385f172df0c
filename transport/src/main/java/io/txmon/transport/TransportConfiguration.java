package io.txmon.transport;

/**
 * Channels and stream ids txmon uses, with their defaults. The monitor module maps configuration
 * files and command-line options onto these; nothing in transport reads files itself.
 */
public final class TransportConfiguration
{
    /** Default channel producers publish events on. */
    public static final String DEFAULT_INGEST_CHANNEL = "aeron:ipc";
    /** Default stream id of the event ingest. */
    public static final int DEFAULT_INGEST_STREAM_ID = 1001;
    /** Default channel alerts are published on. */
    public static final String DEFAULT_ALERT_CHANNEL = "aeron:ipc";
    /** Default stream id of the alert stream. */
    public static final int DEFAULT_ALERT_STREAM_ID = 1002;
    /** Default UDP ingest endpoint: loopback unless configured otherwise. */
    public static final String DEFAULT_UDP_INGEST_CHANNEL = "aeron:udp?endpoint=127.0.0.1:40123";
    /** Largest event the producer client encodes, in bytes; the engine's validator caps var-data further. */
    public static final int MAX_EVENT_LENGTH = 8192;

    private TransportConfiguration()
    {
    }
}
