using Ppo.Orleans.Policies;

namespace Ppo.Orleans.Workers;

/// <summary>
/// A rollout worker: a grain that owns a slice of the environments and a replica of the policy, and collects one rollout
/// chunk per call, one call per update.
/// </summary>
/// <remarks>
/// The key names the run, the worker and its incarnation (<see cref="RolloutWorkerKeys"/>), so that a slice recreated
/// after a fault is a new grain that the runtime places on a live silo.
/// </remarks>
public interface IRolloutWorkerGrain : IGrainWithStringKey
{
    /// <summary>
    /// Loads <paramref name="parameters"/> and collects <c>NumSteps</c> steps of the worker's environments, creating the
    /// slice from <paramref name="settings"/> on the first call of this activation.
    /// </summary>
    /// <param name="settings">What the worker owns; the same on every call to one grain.</param>
    /// <param name="parameters">The learner's current parameters.</param>
    /// <returns>The chunk.</returns>
    /// <exception cref="ArgumentException">The settings differ from those the slice was created with, or are invalid.</exception>
    Task<RolloutChunk> CollectAsync(RolloutWorkerSettings settings, PolicyParameters parameters);
}
