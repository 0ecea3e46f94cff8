using System.Globalization;

namespace Ppo.Orleans.Workers;

/// <summary>The grain keys of rollout workers: <c>run/worker/incarnation</c>.</summary>
public static class RolloutWorkerKeys
{
    /// <summary>Returns the key of one incarnation of one worker of a run.</summary>
    /// <param name="run">The run's name; it keeps concurrent runs on one cluster apart. Not empty, without <c>/</c>.</param>
    /// <param name="workerIndex">The worker's index in the layout; at least 0.</param>
    /// <param name="incarnation">The slice's incarnation; at least 0.</param>
    /// <returns>The key.</returns>
    /// <exception cref="ArgumentException"><paramref name="run"/> is empty or holds <c>/</c>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="workerIndex"/> or <paramref name="incarnation"/> is negative.</exception>
    public static string For(string run, int workerIndex, int incarnation)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(run);
        if (run.Contains('/', StringComparison.Ordinal))
            throw new ArgumentException($"The run name must not contain '/' (was '{run}').", nameof(run));
        ArgumentOutOfRangeException.ThrowIfNegative(workerIndex);
        ArgumentOutOfRangeException.ThrowIfNegative(incarnation);
        return string.Create(CultureInfo.InvariantCulture, $"{run}/{workerIndex}/{incarnation}");
    }
}
