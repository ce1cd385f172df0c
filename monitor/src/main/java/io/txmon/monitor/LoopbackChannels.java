package io.txmon.monitor;

import io.aeron.ChannelUri;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The check that keeps the engine's streams on this machine unless the operator says otherwise: an
 * {@code aeron:ipc} channel never leaves the host, and an {@code aeron:udp} channel stays on it only when
 * every address it names ({@code endpoint}, {@code control}, {@code interface}) is a loopback address.
 */
final class LoopbackChannels
{
    private static final String[] ADDRESS_PARAMS = { "endpoint", "control", "interface" };

    private LoopbackChannels()
    {
    }

    /**
     * @param channel an Aeron channel URI.
     * @return null when the channel stays on this host, else why not, e.g.
     * {@code "endpoint 10.0.0.5:40123 is not a loopback address"}.
     * @throws IllegalArgumentException if the text is not an Aeron channel.
     */
    static String whyNotLoopback(final String channel)
    {
        final ChannelUri uri = ChannelUri.parse(channel);
        if (uri.isIpc())
        {
            return null;
        }
        if (!uri.isUdp())
        {
            throw new IllegalArgumentException("unknown media '" + uri.media() + "'");
        }
        for (final String param : ADDRESS_PARAMS)
        {
            final String value = uri.get(param);
            if (null != value)
            {
                final String host = host(value);
                if (!isLoopback(host))
                {
                    return param + " " + value + " is not a loopback address";
                }
            }
        }
        return null;
    }

    /**
     * @param address {@code host:port}, {@code [v6]:port}, {@code host} or {@code host/prefix} (interface).
     * @return the host part.
     */
    static String host(final String address)
    {
        String value = address;
        final int slash = value.indexOf('/');
        if (slash >= 0)
        {
            value = value.substring(0, slash);
        }
        if (value.startsWith("["))
        {
            final int close = value.indexOf(']');
            return close > 0 ? value.substring(1, close) : value;
        }
        final int colon = value.lastIndexOf(':');
        return colon >= 0 && value.indexOf(':') == colon ? value.substring(0, colon) : value;
    }

    private static boolean isLoopback(final String host)
    {
        if (host.isEmpty())
        {
            return false;
        }
        try
        {
            // every address the name stands for must be loopback; a literal address is not looked up
            final InetAddress[] addresses = InetAddress.getAllByName(host);
            for (final InetAddress address : addresses)
            {
                if (!address.isLoopbackAddress())
                {
                    return false;
                }
            }
            return addresses.length > 0;
        }
        catch (final UnknownHostException ex)
        {
            return false;
        }
    }
}
