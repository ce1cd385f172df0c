package io.txmon.rules;

/**
 * Told about a rule that threw. The worker has already counted the error and goes on with the next
 * rule and the next event: one bad rule never stalls the ring.
 */
@FunctionalInterface
public interface RuleErrorHandler
{
    /**
     * @param rule   that threw.
     * @param offset of the event it was evaluating.
     * @param error  thrown.
     */
    void onRuleError(Rule rule, long offset, Throwable error);
}
