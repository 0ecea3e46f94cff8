using System.Diagnostics;
using Ppo.Environments;

namespace Ppo.Samples.Distributed;

/// <summary>
/// Wraps an environment and busy-waits a fixed time on every step, to stand for a simulator whose steps cost
/// milliseconds: with it, collection dominates an update and the speed-up of more workers shows.
/// </summary>
/// <param name="inner">The environment that computes the steps.</param>
/// <param name="microseconds">The time each step spins; at least 0.</param>
public sealed class SpinningEnvironment(IEnvironment inner, int microseconds) : IEnvironment
{
    private readonly long _spinTicks = microseconds * Stopwatch.Frequency / 1_000_000;

    /// <inheritdoc/>
    public BoxSpace ObservationSpace => inner.ObservationSpace;

    /// <inheritdoc/>
    public Space ActionSpace => inner.ActionSpace;

    /// <inheritdoc/>
    public void Reset(Span<float> observation, int? seed = null) => inner.Reset(observation, seed);

    /// <inheritdoc/>
    public StepResult Step(ReadOnlySpan<float> action, Span<float> observation)
    {
        long end = Stopwatch.GetTimestamp() + _spinTicks;
        while (Stopwatch.GetTimestamp() < end)
            Thread.SpinWait(8);
        return inner.Step(action, observation);
    }

    /// <inheritdoc/>
    public void Dispose() => inner.Dispose();
}
