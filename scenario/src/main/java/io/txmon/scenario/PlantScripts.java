package io.txmon.scenario;

import io.txmon.rules.config.RuleType;
import io.txmon.rules.typology.Typologies;

import java.util.ArrayList;
import java.util.List;

/**
 * The one list of planted-case scripts, one per typology of {@link Typologies#catalog()}, in the catalogue's order:
 * {@link ScenarioPlan} plants the cases of each in this order, so the order is part of every seeded stream. A
 * typology without a script, or a script for a rule the catalogue does not have, stops the class from loading.
 */
final class PlantScripts
{
    static final List<PlantScript> ALL = inCatalogueOrder(List.of(
        new LargeAmountPlant(),
        new LargeVersusHistoryPlant(),
        new VelocityCountPlant(),
        new VelocitySumPlant(),
        new StructuringPlant(),
        new RepeatedAmountPlant(),
        new RoundAmountPlant(),
        new FanInPlant(),
        new FanOutPlant(),
        new PassThroughPlant(),
        new DormantReactivatedPlant(),
        new NewAccountLargePlant(),
        new NewPayeeLargePlant(),
        new CardTestingPlant(),
        new ImpossibleTravelPlant(),
        new HighRiskCountryPlant(),
        new WatchListPlant(),
        new CyclePlant(),
        new WashTradePlant(),
        new SpoofingPlant(),
        new LayeringPlant(),
        new ExcessiveCancelPlant(),
        new MarkingTheClosePlant(),
        new FlowThroughPlant()));

    private PlantScripts()
    {
    }

    /**
     * @param scripts one per typology, in any order.
     * @return the scripts in the catalogue's order.
     * @throws IllegalStateException naming a typology with no script, or a script whose rule is not in the catalogue.
     */
    static List<PlantScript> inCatalogueOrder(final List<PlantScript> scripts)
    {
        final List<PlantScript> left = new ArrayList<>(scripts);
        final List<PlantScript> ordered = new ArrayList<>(scripts.size());
        for (final RuleType<?> type : Typologies.catalog())
        {
            PlantScript found = null;
            for (final PlantScript script : left)
            {
                if (script.ruleId() == type.id())
                {
                    found = script;
                    break;
                }
            }
            if (null == found)
            {
                throw new IllegalStateException("typology " + type.name() + " (id " + type.id() +
                    ") has no plant script in PlantScripts.ALL");
            }
            left.remove(found);
            ordered.add(found);
        }
        if (!left.isEmpty())
        {
            throw new IllegalStateException("plant scripts for rules not in the catalogue, or twice: " +
                left.get(0).getClass().getSimpleName() + " (rule " + left.get(0).ruleId() + ")");
        }
        return List.copyOf(ordered);
    }
}
