package io.txmon.scenario;

/**
 * The generator's source of randomness: a 64-bit counter stepped by the golden-ratio increment and passed through
 * a 64-bit finaliser (the SplitMix construction). Its output is defined by this class alone, so a seed gives the
 * same numbers on every JVM and platform; transcendental functions go through {@link StrictMath} for the same
 * reason.
 * <p>
 * Not thread safe.
 */
final class ScenarioRandom
{
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;
    private static final double DOUBLE_UNIT = 0x1.0p-53;

    private long state;

    ScenarioRandom(final long seed)
    {
        this.state = seed;
    }

    /**
     * A well mixed function of a value: the finaliser alone, for deriving stable per-key properties.
     *
     * @param value to mix.
     * @return 64 mixed bits.
     */
    static long mix(final long value)
    {
        long z = value;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * A uniform double in [0, 1) from a hash.
     *
     * @param hash 64 mixed bits.
     * @return the top 53 bits as a fraction.
     */
    static double unit(final long hash)
    {
        return (hash >>> 11) * DOUBLE_UNIT;
    }

    /**
     * A standard normal deviate from two hashes (Box-Muller), deterministic across platforms.
     *
     * @param hash1 64 mixed bits.
     * @param hash2 64 other mixed bits.
     * @return a deviate with mean 0 and standard deviation 1.
     */
    static double gaussian(final long hash1, final long hash2)
    {
        final double u1 = 1.0 - unit(hash1);
        final double u2 = unit(hash2);
        return StrictMath.sqrt(-2.0 * StrictMath.log(u1)) * StrictMath.cos(2.0 * Math.PI * u2);
    }

    long nextLong()
    {
        state += GOLDEN_GAMMA;
        return mix(state);
    }

    /**
     * @return uniform in [0, 1).
     */
    double nextDouble()
    {
        return unit(nextLong());
    }

    /**
     * @param bound exclusive upper bound, positive.
     * @return uniform in [0, bound).
     */
    int nextInt(final int bound)
    {
        return (int)(((nextLong() >>> 33) * bound) >>> 31);
    }

    /**
     * @param origin inclusive lower bound.
     * @param bound  exclusive upper bound, above origin.
     * @return uniform in [origin, bound).
     */
    long nextLong(final long origin, final long bound)
    {
        return Math.min(bound - 1, origin + (long)(nextDouble() * (bound - origin)));
    }

    /**
     * @param probability of true, 0 to 1.
     * @return true with that probability.
     */
    boolean chance(final double probability)
    {
        return nextDouble() < probability;
    }

    /**
     * @return a standard normal deviate.
     */
    double nextGaussian()
    {
        return gaussian(nextLong(), nextLong());
    }

    /**
     * @param mean of the distribution, positive.
     * @return an exponentially distributed value with that mean, rounded down.
     */
    long nextExponential(final double mean)
    {
        return (long)(-StrictMath.log(1.0 - nextDouble()) * mean);
    }
}
