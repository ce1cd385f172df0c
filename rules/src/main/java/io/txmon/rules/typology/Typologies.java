package io.txmon.rules.typology;

import io.txmon.events.codec.Severity;
import io.txmon.rules.Rule;

/**
 * The built-in typologies with their documented defaults (rules/RULES.md), in rule-id order. A worker gets
 * its own instances: call {@link #defaults(long)} once per worker.
 */
public final class Typologies
{
    private Typologies()
    {
    }

    /**
     * Every built-in typology with its defaults, except the watch list, which needs a list: see
     * {@link #defaults(long, long[], long[])}.
     *
     * @param largeAmountThreshold of the large-amount rule, in minor units.
     * @return new rule instances in id order, 1 to 23 without 17.
     */
    public static Rule[] defaults(final long largeAmountThreshold)
    {
        return defaults(largeAmountThreshold, null, null);
    }

    /**
     * Every built-in typology with its defaults, the watch list included when a list is given.
     *
     * @param largeAmountThreshold of the large-amount rule, in minor units.
     * @param watchedAccounts      account ids on the watch list, or null.
     * @param watchedParties       party ids on the watch list, or null.
     * @return new rule instances in id order.
     */
    public static Rule[] defaults(
        final long largeAmountThreshold, final long[] watchedAccounts, final long[] watchedParties)
    {
        final boolean watchList = (null != watchedAccounts && watchedAccounts.length > 0) ||
            (null != watchedParties && watchedParties.length > 0);
        final Rule[] all = new Rule[]{
            new LargeAmountRule(largeAmountThreshold, Severity.HIGH),
            new LargeVersusHistoryRule(LargeVersusHistoryRule.Parameters.defaults()),
            new VelocityCountRule(VelocityCountRule.Parameters.defaults()),
            new VelocitySumRule(VelocitySumRule.Parameters.defaults()),
            new StructuringRule(StructuringRule.Parameters.defaults()),
            new RepeatedAmountRule(RepeatedAmountRule.Parameters.defaults()),
            new RoundAmountRule(RoundAmountRule.Parameters.defaults()),
            new FanInRule(),
            new FanOutRule(),
            new PassThroughRule(),
            new DormantReactivatedRule(),
            new NewAccountLargeRule(),
            new NewPayeeLargeRule(),
            new CardTestingRule(),
            new ImpossibleTravelRule(),
            new HighRiskCountryRule(),
            watchList ? new WatchListRule(
                null == watchedAccounts ? new long[0] : watchedAccounts,
                null == watchedParties ? new long[0] : watchedParties,
                Severity.CRITICAL) : null,
            new CycleRule(),
            new WashTradeRule(Severity.HIGH),
            new SpoofingRule(),
            new LayeringRule(),
            new ExcessiveCancelRule(),
            new MarkingTheCloseRule(),
        };
        return java.util.Arrays.stream(all).filter(java.util.Objects::nonNull).toArray(Rule[]::new);
    }
}
