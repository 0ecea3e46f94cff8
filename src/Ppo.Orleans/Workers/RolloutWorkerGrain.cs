using System.Buffers;
using Ppo.Orleans.Environments;
using Ppo.Orleans.Placement;
using Ppo.Orleans.Policies;

namespace Ppo.Orleans.Workers;

/// <summary>
/// The rollout-worker grain: one <see cref="RolloutSlice"/> per activation. When the runtime migrates the activation to
/// another silo (the learner spreading its workers over a silo that joined), a slice that can save its state goes along
/// with it; any other is left behind, and the new activation reports a new slice, which the learner replaces.
/// </summary>
[WorkerSpreadPlacement]
internal sealed class RolloutWorkerGrain(EnvironmentRegistry registry, ILocalSiloDetails silo) : Grain, IRolloutWorkerGrain, IGrainMigrationParticipant, IDisposable
{
    private const string SettingsKey = "ppo.rollout-slice.settings";
    private const string StateKey = "ppo.rollout-slice.state";

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

    /// <summary>Writes the slice's settings and state into the migration, when its environments can save their state.</summary>
    public void OnDehydrate(IDehydrationContext dehydrationContext)
    {
        ArgumentNullException.ThrowIfNull(dehydrationContext);
        if (_slice is not { CanSaveState: true } slice)
            return;
        using var state = new MemoryStream();
        using (var writer = new BinaryWriter(state, System.Text.Encoding.UTF8, leaveOpen: true))
            slice.SaveState(writer);
        dehydrationContext.TryAddValue(SettingsKey, slice.Settings);
        dehydrationContext.AddBytes(StateKey, state.GetBuffer().AsSpan(0, (int)state.Length));
    }

    /// <summary>Rebuilds the slice from the migration, before the new activation takes its first call.</summary>
    public void OnRehydrate(IRehydrationContext rehydrationContext)
    {
        ArgumentNullException.ThrowIfNull(rehydrationContext);
        if (!rehydrationContext.TryGetValue(SettingsKey, out RolloutWorkerSettings? settings) || settings is null
            || !rehydrationContext.TryGetBytes(StateKey, out ReadOnlySequence<byte> state))
        {
            return;
        }

        var slice = new RolloutSlice(settings, registry);
        try
        {
            using var reader = new BinaryReader(new MemoryStream(state.ToArray()));
            slice.LoadState(reader);
        }
        catch
        {
            slice.Dispose();
            throw;
        }

        _slice = slice;
    }

    /// <summary>Disposes the slice; the runtime calls it when the activation ends, after any migration has saved it.</summary>
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
