package io.txmon.scenario;

/**
 * One planted instance of a typology in a generated stream: the alert the engine must raise for it.
 *
 * @param ruleId    id of the rule that must alert, a typology of the catalogue.
 * @param account   the account the alert is keyed on (debtor, creditor, order or execution account, as the rule
 *                  defines it).
 * @param index     0-based position in the emitted stream of the message that must trigger the alert; it is also
 *                  the message's producer sequence, and its journal offset when the stream is journaled alone from
 *                  offset 0.
 * @param eventTime of the triggering message, epoch nanoseconds.
 */
public record Planted(int ruleId, long account, long index, long eventTime)
{
}
