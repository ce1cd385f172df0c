package io.txmon.transport;

import io.txmon.events.codec.AlertDecoder;

/**
 * Receives alerts decoded from the alert stream.
 */
@FunctionalInterface
public interface AlertHandler
{
    /**
     * @param alert decoder positioned on the alert's fields; valid only during the call. Read groups
     *              and the reason in schema order.
     */
    void onAlert(AlertDecoder alert);
}
