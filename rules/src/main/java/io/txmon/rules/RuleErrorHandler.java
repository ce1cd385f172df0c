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

    /**
     * A {@code ConfigChange} in the stream that the rule settings refuse; nothing changed. The sequencer refuses
     * such changes before they are journaled, so this is seen only for journals written otherwise.
     *
     * @param offset of the change.
     * @param error  naming the key and the problem.
     */
    default void onConfigRefused(final long offset, final io.txmon.rules.config.ConfigException error)
    {
        onRuleError(null, offset, error);
    }
}
