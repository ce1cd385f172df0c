package io.txmon.scenario;

import static io.txmon.scenario.Times.DAY;

/**
 * What every plant script shares: the rule it plants for and how long a case may last, given once.
 */
abstract class Plant implements PlantScript
{
    private final int ruleId;
    private final long duration;

    /**
     * @param ruleId of the rule whose alert the script plants.
     */
    Plant(final int ruleId)
    {
        this(ruleId, 8 * DAY);
    }

    /**
     * @param ruleId   of the rule whose alert the script plants.
     * @param duration longest a case may last, in event time.
     */
    Plant(final int ruleId, final long duration)
    {
        this.ruleId = ruleId;
        this.duration = duration;
    }

    @Override
    public final int ruleId()
    {
        return ruleId;
    }

    @Override
    public final long duration()
    {
        return duration;
    }
}
