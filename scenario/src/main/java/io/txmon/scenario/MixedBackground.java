package io.txmon.scenario;

/**
 * The default background, {@link ScenarioGenerator.Profile#MIXED}: {@link BackgroundTraffic}'s events at random
 * times, a Poisson process whose mean gap stretches a stream over its minimum span.
 */
final class MixedBackground implements Background
{
    private final BackgroundTraffic traffic;
    private final ScenarioRandom clock;
    private final long meanGapNanos;
    private long nextTime;

    /**
     * @param traffic      the events.
     * @param clock        the random sequence of the gaps between them.
     * @param start        event time of the stream's start, epoch ns.
     * @param meanGapNanos mean gap between two events.
     */
    MixedBackground(
        final BackgroundTraffic traffic, final ScenarioRandom clock, final long start, final long meanGapNanos)
    {
        this.traffic = traffic;
        this.clock = clock;
        this.meanGapNanos = meanGapNanos;
        this.nextTime = start + clock.nextExponential(meanGapNanos);
    }

    @Override
    public long nextTime()
    {
        return nextTime;
    }

    @Override
    public void next(final ScenarioEvent event)
    {
        final long time = nextTime;
        traffic.next(time, event);
        nextTime = time + clock.nextExponential(meanGapNanos);
    }

    @Override
    public String summary()
    {
        return String.format("mixed: %,d accounts at the start and %,d opened during the stream; payments, " +
            "account updates and, in session, orders and executions", traffic.accounts(), traffic.opened());
    }
}
