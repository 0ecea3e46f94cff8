namespace Ppo.Orleans.Workers;

/// <summary>
/// The random streams of one rollout worker, derived from the run's seed and the worker's place in the layout only, so
/// that a distributed run depends on the seed and the worker layout and never on timing or on which silo hosts a worker.
/// </summary>
/// <remarks>
/// Environments are seeded as one big vector would be: environment <c>k</c> of the whole layout gets <c>seed + k</c> at
/// its first reset (Gymnasium's convention), whichever worker owns it. Each worker samples actions from its own
/// xoshiro256** stream. A slice recreated after a fault (incarnation ≥ 1) gets fresh streams for both, so that it does
/// not replay the episodes its lost predecessor had already started.
/// </remarks>
public static class WorkerStreams
{
    /// <summary>Returns the seed of the action-sampling stream of a worker.</summary>
    /// <param name="seed">The run's seed.</param>
    /// <param name="workerIndex">The worker's index in the layout; at least 0.</param>
    /// <param name="incarnation">0 for the worker's first slice, then 1, 2, … for each slice recreated after a fault.</param>
    /// <returns>A 64-bit seed for <see cref="Randomness.SeededRandom"/>, distinct for every (seed, worker, incarnation).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="workerIndex"/> or <paramref name="incarnation"/> is negative.</exception>
    public static ulong ActionSeed(int seed, int workerIndex, int incarnation)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(workerIndex);
        ArgumentOutOfRangeException.ThrowIfNegative(incarnation);
        // A tag in the top bit keeps these apart from the trainer's own streams, which are (seed << 8) | stream.
        const ulong WorkerTag = 1UL << 63;
        return WorkerTag | (Mix(((ulong)(uint)seed << 32) | (uint)workerIndex, (ulong)incarnation) >> 1);
    }

    /// <summary>Returns the seed of the first reset of a worker's environments: environment <c>i</c> of the slice gets this plus <c>i</c>.</summary>
    /// <param name="seed">The run's seed.</param>
    /// <param name="firstEnvironment">The index, in the whole layout, of the slice's first environment; at least 0.</param>
    /// <param name="incarnation">0 for the worker's first slice, then 1, 2, … for each slice recreated after a fault.</param>
    /// <returns><c>seed + firstEnvironment</c> for incarnation 0 (wrapping like Gymnasium's integer seeds), else a seed drawn from the three values.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="firstEnvironment"/> or <paramref name="incarnation"/> is negative.</exception>
    public static int EnvironmentSeed(int seed, int firstEnvironment, int incarnation)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(firstEnvironment);
        ArgumentOutOfRangeException.ThrowIfNegative(incarnation);
        if (incarnation == 0)
            return unchecked(seed + firstEnvironment);
        // Non-negative, with room for the slice's environments to add their index without wrapping.
        return (int)(Mix(((ulong)(uint)seed << 32) | (uint)firstEnvironment, (ulong)incarnation) >> 34);
    }

    /// <summary>Two rounds of SplitMix64's finalizer over <paramref name="a"/> then <paramref name="b"/>.</summary>
    private static ulong Mix(ulong a, ulong b) => Finalize(Finalize(a + 0x9E3779B97F4A7C15UL) ^ (b + 0xD1B54A32D192ED03UL));

    private static ulong Finalize(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
