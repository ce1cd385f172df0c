package io.txmon.scenario;

import static io.txmon.scenario.Times.DAY;

/**
 * The planted-case script of one typology: a short run of events on fresh accounts of the {@link ScenarioPlan},
 * ending with (or containing) the event that must trigger the typology's alert with the rule's default parameters,
 * which the script marks with {@link ScenarioPlan#trigger}. Scripts draw every random choice from the plan's one
 * {@link ScenarioPlan#random} sequence, so a script's calls, and the order of {@link PlantScripts#ALL}, are part of
 * what a seed means: changing either changes the stream of every seed.
 * <p>
 * Adding a typology: one subclass of {@link Plant}, registered in {@link PlantScripts#ALL}, which orders the scripts
 * as the catalogue orders the typologies.
 */
interface PlantScript
{
    /**
     * @return the id of the rule whose alert the script plants.
     */
    int ruleId();

    /**
     * @return how long after its start the script may last, at most, in event time: cases are placed so that they
     * complete before the last fifth of the stream.
     */
    default long duration()
    {
        return 8 * DAY;
    }

    /**
     * Add one case to the plan.
     *
     * @param plan     to add the events to, with the fresh accounts, parties, order ids and random sequence.
     * @param start    event time of the case's first event.
     * @param instance 0-based number of this case among the typology's cases: scripts with variants take them in
     *                 turn by it.
     */
    void plant(ScenarioPlan plan, long start, int instance);
}
