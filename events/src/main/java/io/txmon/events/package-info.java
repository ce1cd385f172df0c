/**
 * The events every txmon module exchanges, and the gate they pass before anything is journaled.
 * <p>
 * <b>The schema is the contract.</b> {@code txmon-events.xml}, a Simple Binary Encoding (SBE) schema shipped as a
 * resource of this module, defines every message that crosses a boundary: producer ingress (Payment, Order,
 * Execution, AccountUpdate, ConfigChange), the journal payload, and the Alert egress. Message layouts are never
 * changed in place: a field added later carries {@code sinceVersion}, extends the block at its end, and the
 * schema version is bumped.
 * <p>
 * <b>Codecs are generated at build time</b> from the schema by sbe-tool, into the package
 * {@code io.txmon.events.codec}, and are never committed. They are flyweights over Agrona buffers: they do not
 * copy, and they trust the bytes they are wrapped over. Generated with precedence checks, they also demand that
 * groups and var-data be encoded and decoded in schema order when {@code -Dsbe.enable.precedence.checks=true}.
 * <p>
 * <b>The validator is the gate.</b> Because the decoders trust their input, every message from outside is first
 * given to {@link io.txmon.events.MessageValidator}, which checks the framing (header, block, groups, var-data,
 * exact length) and the field rules without allocating or throwing, and answers with a
 * {@link io.txmon.events.RejectReason}. Only a message accepted with {@link io.txmon.events.RejectReason#NONE} is
 * journaled; from then on it can be decoded safely by every consumer, in replay too.
 * {@link io.txmon.events.Currencies} holds the ISO 4217 currencies the validator accepts.
 */
package io.txmon.events;
