using Ppo.Orleans.Environments;
using Ppo.Orleans.Policies;

namespace Ppo.Orleans.Workers;

/// <summary>
/// The workers of a layout as <see cref="RolloutSlice"/>s in this process: the stand-in that a distributed run is
/// bit-identical to, and a way to run a worker layout on one machine without a cluster.
/// </summary>
/// <param name="registry">The environment factories.</param>
public sealed class LocalRolloutWorkers(EnvironmentRegistry registry) : IRolloutWorkers
{
    private readonly List<RolloutSlice> _slices = [];

    /// <inheritdoc/>
    /// <remarks>Always empty: slices in this process are never lost.</remarks>
    public IReadOnlyList<WorkerRecovery> Recoveries { get; } = [];

    /// <inheritdoc/>
    /// <remarks>Always empty: slices in this process stay where they are.</remarks>
    public IReadOnlyList<WorkerMove> Moves { get; } = [];

    /// <inheritdoc/>
    /// <remarks>Collects one worker after the other on the calling thread.</remarks>
    public Task<RolloutChunk[]> CollectAsync(IReadOnlyList<RolloutWorkerSettings> workers, PolicyParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(workers);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(registry);
        var chunks = new RolloutChunk[workers.Count];
        for (int i = 0; i < workers.Count; i++)
        {
            if (i == _slices.Count)
                _slices.Add(new RolloutSlice(workers[i], registry));
            chunks[i] = _slices[i].Collect(parameters);
            chunks[i].CollectedBy = "local";
        }

        return Task.FromResult(chunks);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (RolloutSlice slice in _slices)
            slice.Dispose();
        _slices.Clear();
    }
}
