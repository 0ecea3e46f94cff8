using Ppo.Orleans.Environments;
using Ppo.Orleans.Placement;
using Ppo.Orleans.Policies;

namespace Ppo.Orleans.Workers;

/// <summary>The rollout-worker grain: one <see cref="RolloutSlice"/> per activation.</summary>
[WorkerSpreadPlacement]
internal sealed class RolloutWorkerGrain(EnvironmentRegistry registry, ILocalSiloDetails silo) : Grain, IRolloutWorkerGrain, IDisposable
{
    private RolloutSlice? _slice;

    public async Task<RolloutChunk> CollectAsync(RolloutWorkerSettings settings, PolicyParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(parameters);
        if (_slice is null)
        {
            _slice = new RolloutSlice(settings, registry);
        }
        else if (!SameSlice(_slice.Settings, settings))
        {
            throw new ArgumentException($"Worker {this.GetPrimaryKeyString()} holds the slice of worker {_slice.Settings.WorkerIndex} (environments {_slice.Settings.FirstEnvironment}..{_slice.Settings.FirstEnvironment + _slice.Settings.EnvironmentCount - 1}, '{_slice.Settings.EnvironmentName}'); it cannot collect for worker {settings.WorkerIndex} (environments from {settings.FirstEnvironment}, '{settings.EnvironmentName}').", nameof(settings));
        }

        // Collecting takes a whole rollout of simulation: run it on the thread pool rather than on the grain scheduler, so
        // that the silo keeps answering membership probes and other grains meanwhile. The grain is not reentrant, so
        // only this call touches the slice.
        RolloutSlice slice = _slice;
        RolloutChunk chunk = await Task.Run(() => slice.Collect(parameters)).ConfigureAwait(true);
        chunk.CollectedBy = silo.SiloAddress.ToString();
        return chunk;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        Dispose();
        return base.OnDeactivateAsync(reason, cancellationToken);
    }

    public void Dispose()
    {
        _slice?.Dispose();
        _slice = null;
    }

    private static bool SameSlice(RolloutWorkerSettings a, RolloutWorkerSettings b) =>
        a.WorkerIndex == b.WorkerIndex && a.Incarnation == b.Incarnation && a.FirstEnvironment == b.FirstEnvironment
        && a.EnvironmentCount == b.EnvironmentCount && a.NumSteps == b.NumSteps && a.Seed == b.Seed
        && a.KeepDistributionParameters == b.KeepDistributionParameters && string.Equals(a.EnvironmentName, b.EnvironmentName, StringComparison.Ordinal);
}
