package io.txmon.perf.bench;

import io.txmon.scenario.Planted;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;

import java.io.PrintStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;

/**
 * One open-loop step at one offered rate against one target: starts the producers, and on the calling thread
 * watches until every event has come through (or the grace after the last due time runs out), writing each
 * second's latency intervals to the interval log, tracking the backlog (events due but not yet through), counting
 * collections in the measured period and printing progress to a terminal.
 */
final class LoadStep
{
    /** How long after the last event was due the step waits for the target to finish. */
    static final long GRACE_NS = TimeUnit.SECONDS.toNanos(30);
    private static final long INTERVAL_NS = TimeUnit.SECONDS.toNanos(1);
    private static final long PROGRESS_NS = TimeUnit.SECONDS.toNanos(5);
    private static final long IDLE_PARK_NS = TimeUnit.MICROSECONDS.toNanos(200);
    private static final long JOIN_TIMEOUT_MS = 15_000;

    /**
     * What a step measured.
     *
     * @param target         name.
     * @param offeredPerSec  offered rate.
     * @param sent           events sent.
     * @param completed      events through the target.
     * @param elapsedNanos   first send to the last event through.
     * @param latency        the target's series (total of the measured events) by tag.
     * @param maxBacklog     most events due and not yet through in the measured period, seen once per look.
     * @param planted        planted cases in the streams the target must alert.
     * @param missed         planted cases without their alert.
     * @param gcCount        collections in the measured period.
     * @param gcMillis       their accumulated time.
     * @param failure        why the step did not complete, or null.
     */
    record Result(
        String target,
        double offeredPerSec,
        long sent,
        long completed,
        long elapsedNanos,
        Map<String, Histogram> latency,
        long maxBacklog,
        List<Planted> planted,
        List<Planted> missed,
        long gcCount,
        long gcMillis,
        String failure)
    {
        double achievedPerSec()
        {
            return elapsedNanos <= 0 ? 0 : completed * 1e9 / elapsedNanos;
        }

        /**
         * @return the backlog bound in time: how long the worst backlog took to offer.
         */
        double maxBacklogMillis()
        {
            return Double.isInfinite(offeredPerSec) ? 0 : maxBacklog * 1e3 / offeredPerSec;
        }
    }

    private LoadStep()
    {
    }

    /**
     * Run a step.
     *
     * @param target     what to drive, begun with the schedule here.
     * @param schedule   of the producers.
     * @param producers  made by index, not started; their sinks come from the target.
     * @param log        the interval log, or null.
     * @param progress   where progress goes, or null for none.
     * @return what was measured.
     */
    static Result run(
        final Target target,
        final Schedule schedule,
        final IntFunction<OpenLoopProducer> producers,
        final HistogramLogWriter log,
        final PrintStream progress)
    {
        final int count = schedule.producers();
        final OpenLoopProducer[] running = new OpenLoopProducer[count];
        final int[] counts = new int[count];
        long total = 0;
        for (int p = 0; p < count; p++)
        {
            running[p] = producers.apply(p);
            counts[p] = running[p].count();
            total += counts[p];
        }
        target.begin(schedule);
        for (final TaggedRecorder recorder : target.recorders())
        {
            recorder.harvest();
            recorder.total().reset();
        }

        final Thread[] threads = new Thread[count];
        for (int p = 0; p < count; p++)
        {
            threads[p] = new Thread(running[p], "txmon-bench-producer-" + running[p].producerId());
            threads[p].setDaemon(true);
            threads[p].start();
        }

        final long begin = System.nanoTime();
        long nextInterval = begin + INTERVAL_NS;
        long nextProgress = begin + PROGRESS_NS;
        long lastDue = Long.MAX_VALUE;
        long maxBacklog = 0;
        long gcAtWarm = -1;
        long gcTimeAtWarm = 0;
        long end;
        String failure = null;
        while (true)
        {
            final int work = target.poll();
            final long now = System.nanoTime();
            final long completed = target.completed();

            boolean allDone = true;
            boolean warm = true;
            for (final OpenLoopProducer producer : running)
            {
                allDone &= producer.done();
                warm &= producer.sent() > schedule.warmupEvents(schedule.indexOf(producer.producerId()));
                if (null != producer.failure() && null == failure)
                {
                    failure = producer.failure();
                }
            }
            if (warm && gcAtWarm < 0)
            {
                gcAtWarm = gcCount();
                gcTimeAtWarm = gcMillis();
            }
            if (gcAtWarm >= 0)
            {
                // the measured period only: a backlog built in the warm-up (JIT, first state) is not the rate's
                maxBacklog = Math.max(maxBacklog, schedule.dueBy(now, counts) - completed);
            }
            if (now >= nextInterval)
            {
                nextInterval += INTERVAL_NS;
                harvest(target, log);
            }
            if (null != progress && now >= nextProgress)
            {
                nextProgress += PROGRESS_NS;
                progress.printf("txmon bench: %s %,.0f/s offered: %,d of %,d through, backlog %,d%n",
                    target.name(), schedule.ratePerSecond(), completed, total, schedule.dueBy(now, counts) - completed);
            }
            if (null != failure)
            {
                end = now;
                break;
            }
            if (allDone && lastDue == Long.MAX_VALUE)
            {
                lastDue = now;
            }
            if (allDone && completed >= total && target.settled())
            {
                end = now;
                break;
            }
            if (now - lastDue > GRACE_NS)
            {
                end = now;
                failure = target.name() + " did not keep up: " + completed + " of " + total +
                    " events through " + TimeUnit.NANOSECONDS.toSeconds(GRACE_NS) + " s after the last was due";
                break;
            }
            if (work == 0)
            {
                LockSupport.parkNanos(IDLE_PARK_NS);
            }
        }
        final long gcEnd = gcCount();
        final long gcTimeEnd = gcMillis();
        for (final Thread thread : threads)
        {
            try
            {
                thread.join(JOIN_TIMEOUT_MS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
        harvest(target, log);
        target.endStep();

        long sent = 0;
        final List<Planted> planted = new ArrayList<>();
        for (final OpenLoopProducer producer : running)
        {
            sent += producer.sent();
            planted.addAll(producer.planted());
        }
        final List<Planted> expected = target.expected(planted);
        final Map<String, Histogram> latency = new LinkedHashMap<>();
        for (final TaggedRecorder recorder : target.recorders())
        {
            latency.put(recorder.tag(), recorder.total().copy());
        }
        final long measuredGc = gcAtWarm < 0 ? 0 : gcEnd - gcAtWarm;
        // from the first send, so a producer's set-up (building its plan) is not counted as the target's time
        final long firstSend = schedule.firstStart() == 0 ? begin : schedule.firstStart();
        return new Result(target.name(), schedule.ratePerSecond(), sent, target.completed(), end - firstSend, latency,
            maxBacklog, expected, target.missed(expected), measuredGc, gcAtWarm < 0 ? 0 : gcTimeEnd - gcTimeAtWarm,
            failure);
    }

    private static void harvest(final Target target, final HistogramLogWriter log)
    {
        for (final TaggedRecorder recorder : target.recorders())
        {
            final Histogram interval = recorder.harvest();
            if (null != log && interval.getTotalCount() > 0)
            {
                log.outputIntervalHistogram(interval);
            }
        }
    }

    /**
     * @return stop-the-world collections so far: every collector's count, except that for a concurrent collector
     * (ZGC, Shenandoah), whose beans count concurrent cycles and pauses apart, only the pauses.
     */
    static long gcCount()
    {
        long count = 0;
        for (final GarbageCollectorMXBean gc : pauseBeans())
        {
            count += Math.max(0, gc.getCollectionCount());
        }
        return count;
    }

    /**
     * @return the time of {@link #gcCount()}'s collections, ms.
     */
    static long gcMillis()
    {
        long millis = 0;
        for (final GarbageCollectorMXBean gc : pauseBeans())
        {
            millis += Math.max(0, gc.getCollectionTime());
        }
        return millis;
    }

    private static List<GarbageCollectorMXBean> pauseBeans()
    {
        final List<GarbageCollectorMXBean> all = ManagementFactory.getGarbageCollectorMXBeans();
        final List<GarbageCollectorMXBean> pauses = new ArrayList<>();
        for (final GarbageCollectorMXBean gc : all)
        {
            if (gc.getName().endsWith(" Pauses"))
            {
                pauses.add(gc);
            }
        }
        return pauses.isEmpty() ? all : pauses;
    }
}
