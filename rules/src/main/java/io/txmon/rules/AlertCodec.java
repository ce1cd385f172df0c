package io.txmon.rules;

import io.txmon.events.codec.AlertEncoder;
import io.txmon.events.codec.MessageHeaderEncoder;
import org.agrona.MutableDirectBuffer;

/**
 * Encodes an {@link AlertRecord} as the SBE {@code Alert} message the engine journals and publishes. The live
 * alert sink and replay both use it, so the same decisions give the same bytes. Reusable; allocation free;
 * not thread safe.
 */
public final class AlertCodec
{
    /** Most bytes one encoded alert takes: header, block, full evidence group and longest reason. */
    public static final int MAX_LENGTH = MessageHeaderEncoder.ENCODED_LENGTH + AlertEncoder.BLOCK_LENGTH +
        AlertEncoder.EvidenceEncoder.HEADER_SIZE + AlertRecord.MAX_EVIDENCE * Long.BYTES +
        AlertEncoder.reasonHeaderLength() + ReasonBuilder.CAPACITY;

    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final AlertEncoder encoder = new AlertEncoder();

    /**
     * @param alert  to encode.
     * @param buffer to encode into, with at least {@link #MAX_LENGTH} bytes from offset.
     * @param offset in the buffer.
     * @return length of the message, header included.
     */
    public int encode(final AlertRecord alert, final MutableDirectBuffer buffer, final int offset)
    {
        encoder.wrapAndApplyHeader(buffer, offset, header)
            .alertId(alert.alertId())
            .ruleId(alert.ruleId())
            .ruleVersion(alert.ruleVersion())
            .severity(alert.severity())
            .score(alert.score())
            .triggeringOffset(alert.triggeringOffset())
            .account(alert.account())
            .eventTime(alert.eventTime());
        final int evidenceCount = alert.evidenceCount();
        final AlertEncoder.EvidenceEncoder evidence = encoder.evidenceCount(evidenceCount);
        for (int i = 0; i < evidenceCount; i++)
        {
            evidence.next().offset(alert.evidence(i));
        }
        encoder.putReason(alert.reason().buffer(), 0, alert.reason().length());
        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }
}
