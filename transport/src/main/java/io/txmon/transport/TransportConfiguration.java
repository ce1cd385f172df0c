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
    /** Default channel the engine publishes acknowledgements on. */
    public static final String DEFAULT_ACK_CHANNEL = "aeron:ipc";
    /** Default stream id of acknowledgements. */
    public static final int DEFAULT_ACK_STREAM_ID = 1003;
    /**
     * Sequences per producer whose content the engine remembers (a fingerprint each), so that it acknowledges a
     * resent sequence only when it carries the bytes journaled. A {@link TxmonPublisher} never has more events
     * unacknowledged than this, so every resend it makes falls inside the window. A power of two.
     */
    public static final int DUPLICATE_WINDOW = 65_536;
    /** Default UDP acknowledgement channel: multi-destination-cast, each producer adds itself dynamically. */
    public static final String DEFAULT_UDP_ACK_CHANNEL = "aeron:udp?control=127.0.0.1:40124|control-mode=dynamic";
    /** Default UDP ingest endpoint: loopback unless configured otherwise. */
    public static final String DEFAULT_UDP_INGEST_CHANNEL = "aeron:udp?endpoint=127.0.0.1:40123";
    /** Largest event the producer client encodes, in bytes; the engine's validator caps var-data further. */
    public static final int MAX_EVENT_LENGTH = 8192;

    private TransportConfiguration()
    {
    }

    /**
     * The channel a producer subscribes to for the engine's acknowledgements, given the channel the engine
     * publishes them on: the same for IPC; for a UDP multi-destination-cast publication in dynamic control
     * mode, an ephemeral local endpoint registered with the engine's control address.
     *
     * @param ackChannel the engine publishes acknowledgements on.
     * @return the channel to subscribe to.
     * @throws IllegalArgumentException for a UDP channel that is not MDC in dynamic control mode.
     */
    public static String ackSubscriptionChannel(final String ackChannel)
    {
        if (ackChannel.startsWith("aeron:ipc"))
        {
            return ackChannel;
        }
        final io.aeron.ChannelUri uri = io.aeron.ChannelUri.parse(ackChannel);
        final String control = uri.get(io.aeron.CommonContext.MDC_CONTROL_PARAM_NAME);
        if (!"udp".equals(uri.media()) || null == control ||
            !io.aeron.CommonContext.MDC_CONTROL_MODE_DYNAMIC.equals(uri.get(io.aeron.CommonContext.MDC_CONTROL_MODE_PARAM_NAME)))
        {
            throw new IllegalArgumentException("acknowledgements over UDP need a multi-destination-cast channel in dynamic " +
                "control mode, such as " + DEFAULT_UDP_ACK_CHANNEL + "; got " + ackChannel);
        }
        final String host = control.substring(0, control.lastIndexOf(':'));
        return "aeron:udp?endpoint=" + host + ":0|control=" + control + "|control-mode=dynamic";
    }
}
