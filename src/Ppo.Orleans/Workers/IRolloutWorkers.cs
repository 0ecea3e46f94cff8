using Ppo.Orleans.Policies;

namespace Ppo.Orleans.Workers;

/// <summary>
/// The rollout workers of one run, asked for their chunks once per update: the grains of an Orleans cluster
/// (<see cref="OrleansRolloutWorkers"/>) or their in-process stand-in (<see cref="LocalRolloutWorkers"/>).
/// </summary>
public interface IRolloutWorkers : IDisposable
{
    /// <summary>Gets the recoveries so far: each slice recreated after its worker failed or lost its activation.</summary>
    IReadOnlyList<WorkerRecovery> Recoveries { get; }

    /// <summary>Gets the moves so far: each worker moved to another silo to spread the workers over the live ones.</summary>
    IReadOnlyList<WorkerMove> Moves { get; }

    /// <summary>Sends <paramref name="parameters"/> to every worker in parallel and returns their chunks in worker order.</summary>
    /// <param name="workers">The settings of each worker, in layout order; the incarnation is the workers' to choose.</param>
    /// <param name="parameters">The learner's parameters; their version numbers the update.</param>
    /// <returns>One chunk per worker, <c>chunks[i]</c> from worker <c>i</c>, each valid until the next call.</returns>
    /// <exception cref="ArgumentException">The settings are invalid (not retried: every slice would fail the same way).</exception>
    /// <exception cref="WorkerUnavailableException">A worker failed more often than the retry budget allows.</exception>
    Task<RolloutChunk[]> CollectAsync(IReadOnlyList<RolloutWorkerSettings> workers, PolicyParameters parameters);
}
