using System.Globalization;
using Ppo.Orleans.Policies;

namespace Ppo.Orleans.Workers;

/// <summary>
/// The workers of a layout as grains of an Orleans cluster, with recovery: a worker whose call fails or times out (its
/// silo died, say) gets a new slice, a new grain that the runtime places on a live silo, which collects the same
/// update's chunk again. The update waits for it, so none is lost or counted twice.
/// </summary>
/// <remarks>
/// A recreated slice starts fresh episodes from streams of its new incarnation (<see cref="WorkerStreams"/>): the run
/// stays reproducible for a given seed, layout and fault history, while placement never changes a bit.
/// </remarks>
public sealed class OrleansRolloutWorkers : IRolloutWorkers
{
    private readonly IGrainFactory _grains;
    private readonly OrleansRolloutWorkerOptions _options;
    private readonly List<WorkerRecovery> _recoveries = [];
    private readonly Lock _recoveriesLock = new();
    private int[] _incarnations = [];
    private int[] _collections = [];

    /// <summary>Creates the workers of a run on the cluster that <paramref name="grains"/> reaches.</summary>
    /// <param name="grains">The cluster client (or a grain factory inside a silo).</param>
    /// <param name="options">The run's name, timeout and retry budget, or <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public OrleansRolloutWorkers(IGrainFactory grains, OrleansRolloutWorkerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(grains);
        _grains = grains;
        _options = (options ?? new OrleansRolloutWorkerOptions()).Validate();
    }

    /// <inheritdoc/>
    public IReadOnlyList<WorkerRecovery> Recoveries
    {
        get
        {
            lock (_recoveriesLock)
                return [.. _recoveries];
        }
    }

    /// <inheritdoc/>
    public async Task<RolloutChunk[]> CollectAsync(IReadOnlyList<RolloutWorkerSettings> workers, PolicyParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(workers);
        ArgumentNullException.ThrowIfNull(parameters);
        if (_incarnations.Length != workers.Count)
        {
            Array.Resize(ref _incarnations, workers.Count);
            Array.Resize(ref _collections, workers.Count);
        }

        var calls = new Task<RolloutChunk>[workers.Count];
        for (int i = 0; i < workers.Count; i++)
            calls[i] = CollectWithRecoveryAsync(i, workers[i].Validate(), parameters);
        return await Task.WhenAll(calls).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    /// <remarks>The grains stay on the cluster until the runtime deactivates them when idle.</remarks>
    public void Dispose()
    {
    }

    private async Task<RolloutChunk> CollectWithRecoveryAsync(int worker, RolloutWorkerSettings settings, PolicyParameters parameters)
    {
        TimeSpan delay = _options.RetryDelay;
        int failures = 0;
        while (true)
        {
            int incarnation = _incarnations[worker];
            IRolloutWorkerGrain grain = _grains.GetGrain<IRolloutWorkerGrain>(RolloutWorkerKeys.For(_options.Run, worker, incarnation));
            try
            {
                RolloutChunk chunk = await grain.CollectAsync(settings with { Incarnation = incarnation }, parameters).WaitAsync(_options.CollectTimeout).ConfigureAwait(false);
                if (!chunk.SliceCreated || _collections[worker] == 0)
                {
                    _collections[worker]++;
                    return chunk;
                }

                // The runtime activated the grain anew (its silo left between updates, or it was deactivated): the slice
                // restarted from its incarnation's streams, replaying episodes. Recreate it as a new incarnation instead.
                _incarnations[worker] = incarnation + 1;
                _collections[worker] = 0;
                Record(new WorkerRecovery(parameters.Version, worker, incarnation + 1, "The worker's activation was lost between updates."));
            }
            catch (Exception exception) when (exception is not ArgumentException)
            {
                // Any other failure (a dead silo, a lost connection, a timeout) costs the slice: make a new one.
                failures++;
                _incarnations[worker] = incarnation + 1;
                _collections[worker] = 0;
                Record(new WorkerRecovery(parameters.Version, worker, incarnation + 1, string.Create(CultureInfo.InvariantCulture, $"Attempt {failures} failed: {exception.GetType().Name}: {exception.Message}")));
                if (failures >= _options.MaxAttempts)
                    throw new WorkerUnavailableException($"Worker {worker} failed {failures} times collecting the chunk of version {parameters.Version}; the last failure is attached.", exception);
                await Task.Delay(delay).ConfigureAwait(false);
                delay += delay;
            }
        }
    }

    private void Record(WorkerRecovery recovery)
    {
        lock (_recoveriesLock)
            _recoveries.Add(recovery);
    }
}
