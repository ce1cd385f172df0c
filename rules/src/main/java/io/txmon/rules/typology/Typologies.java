package io.txmon.rules.typology;

import io.txmon.rules.Rule;
import io.txmon.rules.config.RuleType;

import java.util.List;

/**
 * The built-in typologies with their documented defaults (rules/RULES.md), in rule-id order. A worker gets
 * its own instances: call {@link #defaults(long)} once per worker.
 */
public final class Typologies
{
    private static final List<RuleType<?>> CATALOG = List.of(
        RuleType.of(LargeAmountRule.Parameters.class, LargeAmountRule.Parameters.DEFAULTS, LargeAmountRule::new),
        RuleType.of(LargeVersusHistoryRule.Parameters.class, LargeVersusHistoryRule.Parameters.DEFAULTS,
            LargeVersusHistoryRule::new),
        RuleType.of(VelocityCountRule.Parameters.class, VelocityCountRule.Parameters.DEFAULTS, VelocityCountRule::new),
        RuleType.of(VelocitySumRule.Parameters.class, VelocitySumRule.Parameters.DEFAULTS, VelocitySumRule::new),
        RuleType.of(StructuringRule.Parameters.class, StructuringRule.Parameters.DEFAULTS, StructuringRule::new),
        RuleType.of(RepeatedAmountRule.Parameters.class, RepeatedAmountRule.Parameters.DEFAULTS,
            RepeatedAmountRule::new),
        RuleType.of(RoundAmountRule.Parameters.class, RoundAmountRule.Parameters.DEFAULTS, RoundAmountRule::new),
        RuleType.of(FanInRule.Parameters.class, FanInRule.Parameters.DEFAULTS, FanInRule::new),
        RuleType.of(FanOutRule.Parameters.class, FanOutRule.Parameters.DEFAULTS, FanOutRule::new),
        RuleType.of(PassThroughRule.Parameters.class, PassThroughRule.Parameters.DEFAULTS, PassThroughRule::new),
        RuleType.of(DormantReactivatedRule.Parameters.class, DormantReactivatedRule.Parameters.DEFAULTS,
            DormantReactivatedRule::new),
        RuleType.of(NewAccountLargeRule.Parameters.class, NewAccountLargeRule.Parameters.DEFAULTS,
            NewAccountLargeRule::new),
        RuleType.of(NewPayeeLargeRule.Parameters.class, NewPayeeLargeRule.Parameters.DEFAULTS, NewPayeeLargeRule::new),
        RuleType.of(CardTestingRule.Parameters.class, CardTestingRule.Parameters.DEFAULTS, CardTestingRule::new),
        RuleType.of(ImpossibleTravelRule.Parameters.class, ImpossibleTravelRule.Parameters.DEFAULTS,
            ImpossibleTravelRule::new),
        RuleType.of(HighRiskCountryRule.Parameters.class, HighRiskCountryRule.Parameters.DEFAULTS,
            HighRiskCountryRule::new),
        RuleType.of(WatchListRule.Parameters.class, WatchListRule.Parameters.DEFAULTS, WatchListRule::new),
        RuleType.of(CycleRule.Parameters.class, CycleRule.Parameters.DEFAULTS, CycleRule::new),
        RuleType.of(WashTradeRule.Parameters.class, WashTradeRule.Parameters.DEFAULTS, WashTradeRule::new),
        RuleType.of(SpoofingRule.Parameters.class, SpoofingRule.Parameters.DEFAULTS, SpoofingRule::new),
        RuleType.of(LayeringRule.Parameters.class, LayeringRule.Parameters.DEFAULTS, LayeringRule::new),
        RuleType.of(ExcessiveCancelRule.Parameters.class, ExcessiveCancelRule.Parameters.DEFAULTS,
            ExcessiveCancelRule::new),
        RuleType.of(MarkingTheCloseRule.Parameters.class, MarkingTheCloseRule.Parameters.DEFAULTS,
            MarkingTheCloseRule::new),
        RuleType.of(FlowThroughRule.Parameters.class, FlowThroughRule.Parameters.DEFAULTS, FlowThroughRule::new));

    private Typologies()
    {
    }

    /**
     * The built-in typologies as configuration knows them: id, name, parameters record and defaults, in id
     * order. Every one is enabled by default; the watch list and high-risk-country rules fire only on what
     * their lists hold.
     *
     * @return the catalog.
     */
    public static List<RuleType<?>> catalog()
    {
        return CATALOG;
    }

    /**
     * Every built-in typology with its defaults, except the watch list, which needs a list: see
     * {@link #defaults(long, long[], long[])}.
     *
     * @param largeAmountThreshold of the large-amount rule, in minor units.
     * @return new rule instances in id order, every id of the catalogue but 17.
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
        final java.util.List<Rule> rules = new java.util.ArrayList<>(CATALOG.size());
        for (final RuleType<?> type : CATALOG)
        {
            // the catalogue's defaults, but for the two parameters every caller gives: the threshold and the lists
            final Record parameters;
            if (type.id() == LargeAmountRule.ID)
            {
                parameters = new LargeAmountRule.Parameters(
                    largeAmountThreshold, LargeAmountRule.Parameters.DEFAULTS.severity());
            }
            else if (type.id() == WatchListRule.ID)
            {
                if (!watchList)
                {
                    continue;
                }
                parameters = new WatchListRule.Parameters(
                    null == watchedAccounts ? new long[0] : watchedAccounts,
                    null == watchedParties ? new long[0] : watchedParties,
                    WatchListRule.Parameters.DEFAULTS.severity());
            }
            else
            {
                parameters = type.defaults();
            }
            rules.add(type.newRule(parameters));
        }
        return rules.toArray(new Rule[0]);
    }
}
