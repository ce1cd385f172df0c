package io.txmon.scenario;

import java.util.List;

/**
 * The one list of planted-case scripts, one per built-in typology, in rule id order: {@link ScenarioPlan} plants
 * the cases of each in this order, so the order is part of every seeded stream.
 */
final class PlantScripts
{
    static final List<PlantScript> ALL = List.of(
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
        new MarkingTheClosePlant());

    private PlantScripts()
    {
    }
}
