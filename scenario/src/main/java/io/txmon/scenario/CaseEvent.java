package io.txmon.scenario;

/**
 * One emitted event of a planted case: every event a case's script made (the openings, history, legs and orders
 * that set it up, and the event that must trigger the alert), not only the trigger {@link Planted} records.
 *
 * @param index      0-based position of the message in the emitted stream: its producer sequence, and its journal
 *                   offset when the stream is journaled alone from offset 0.
 * @param ruleId     id of the typology the case plants.
 * @param caseNumber of the case among its typology's cases in the stream, from 1.
 * @param trigger    true for the event that must trigger the case's alert.
 * @param txId       the transaction id of a payment; 0 for any other event.
 */
public record CaseEvent(long index, int ruleId, int caseNumber, boolean trigger, long txId)
{
}
