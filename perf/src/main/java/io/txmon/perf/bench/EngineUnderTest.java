package io.txmon.perf.bench;

/**
 * A txmon engine driven by the bench, embedded ({@link EngineTarget}) or in another process ({@link ConnectedTarget}):
 * a target that also raises alerts, which a step waits to have read before it checks the planted cases.
 */
interface EngineUnderTest extends Target
{
    /**
     * @return true once every alert the engine has published to this bench has been read.
     */
    boolean alertsCaughtUp();

    default boolean settled()
    {
        return alertsCaughtUp();
    }

    /**
     * @return alerts read from the engine's alert stream so far.
     */
    long alertsRead();

    /**
     * @return the newest event time in the engine's journal (its counter), 0 when it holds none.
     */
    long newestEventTime();
}
