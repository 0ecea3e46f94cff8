using System.Globalization;
using Orleans.Core.Internal;
using Orleans.Runtime.Placement;
using Ppo.Orleans.Policies;

namespace Ppo.Orleans.Workers;

/// <summary>
/// The workers of a layout as grains of an Orleans cluster, with recovery and rebalancing. A worker whose call fails or
/// times out (its silo died, say) gets a new slice, a new grain that the runtime places on a live silo, which collects
/// the same update's chunk again; the update waits for it, so none is lost or counted twice. Before each update the
/// workers are spread anew over the live silos (<see cref="OrleansRolloutWorkerOptions.Rebalance"/>), so that a silo
/// that joined takes part from the next update.
/// </summary>
/// <remarks>
/// A recreated slice starts fresh episodes from streams of its new incarnation (<see cref="WorkerStreams"/>): the run
/// stays reproducible for a given seed, layout and fault history, while placement never changes a bit. A worker moved
/// to a new silo keeps every bit when its environments can save their state: the grain migrates with its slice
/// (environments, random stream, observations). Any other move is a new incarnation on the new silo, recorded as a
/// recovery.
/// </remarks>
public sealed class OrleansRolloutWorkers : IRolloutWorkers
{
    /// <summary>How long reading the live silos or asking a worker to move may take; a late answer only skips that rebalancing.</summary>
    private static readonly TimeSpan RebalanceCallTimeout = TimeSpan.FromSeconds(5);

    private readonly IGrainFactory _grains;
    private readonly OrleansRolloutWorkerOptions _options;
    private readonly List<WorkerRecovery> _recoveries = [];
    private readonly List<WorkerMove> _moves = [];
    private readonly Lock _recordsLock = new();
    private int[] _incarnations = [];
    private int[] _collections = [];
    private string[] _placements = [];
    private bool[] _canSaveState = [];
    private SiloAddress?[] _placementHints = [];
    private PendingMove?[] _pendingMoves = [];
    private int _failuresThisUpdate;

    /// <summary>Creates the workers of a run on the cluster that <paramref name="grains"/> reaches.</summary>
    /// <param name="grains">The cluster client (or a grain factory inside a silo).</param>
    /// <param name="options">The run's name, timeout, retry budget and rebalancing, or <see langword="null"/> for the defaults.</param>
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
            lock (_recordsLock)
                return [.. _recoveries];
        }
    }

    /// <inheritdoc/>
    public IReadOnlyList<WorkerMove> Moves
    {
        get
        {
            lock (_recordsLock)
                return [.. _moves];
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
            Array.Resize(ref _placementHints, workers.Count);
            Array.Resize(ref _pendingMoves, workers.Count);
            _placements = [];
            _canSaveState = [];
        }

        // After an update in which a worker failed, membership may still list the dead silo, which would look like an
        // empty one to fill: leave the workers where they are until an update passes without failures.
        Array.Clear(_pendingMoves);
        if (_options.Rebalance && _placements.Length == workers.Count && _failuresThisUpdate == 0)
            await RebalanceAsync(parameters.Version).ConfigureAwait(false);
        _failuresThisUpdate = 0;

        var calls = new Task<RolloutChunk>[workers.Count];
        for (int i = 0; i < workers.Count; i++)
            calls[i] = CollectWithRecoveryAsync(i, workers[i].Validate(), parameters);
        RolloutChunk[] chunks = await Task.WhenAll(calls).ConfigureAwait(false);
        for (int i = 0; i < chunks.Length; i++)
        {
            // A move counts where the chunk shows it: a placement director that did not take the hint (a silo that had
            // not yet seen the new one) leaves the worker where it was, and the next update tries again.
            if (_pendingMoves[i] is { } move && !string.Equals(chunks[i].CollectedBy, move.From, StringComparison.Ordinal))
                Record(new WorkerMove(parameters.Version, i, chunks[i].Incarnation, move.From, chunks[i].CollectedBy, KeptState: chunks[i].Incarnation == move.Incarnation));
        }

        _placements = [.. chunks.Select(chunk => chunk.CollectedBy)];
        _canSaveState = [.. chunks.Select(chunk => chunk.CanSaveState)];
        return chunks;
    }

    /// <inheritdoc/>
    /// <remarks>The grains stay on the cluster until the runtime deactivates them when idle.</remarks>
    public void Dispose()
    {
    }

    /// <summary>Moves workers from the fullest live silos to the emptiest (a silo that joined) until they host equal shares.</summary>
    private async Task RebalanceAsync(long version)
    {
        Dictionary<SiloAddress, SiloStatus> hosts;
        try
        {
            hosts = await _grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true).WaitAsync(RebalanceCallTimeout).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is OrleansException or TimeoutException)
        {
            // Membership is in flux (a silo is dying): collect where the workers are; the next update rebalances.
            return;
        }

        SiloAddress[] silos = [.. hosts.Keys.OrderBy(silo => silo.ToString(), StringComparer.Ordinal)];
        List<(int Worker, int Silo)> moves = WorkerBalance.Moves(_placements, [.. silos.Select(silo => silo.ToString())]);
        var calls = new Task[moves.Count];
        for (int i = 0; i < moves.Count; i++)
            calls[i] = MoveAsync(moves[i].Worker, silos[moves[i].Silo], version);
        await Task.WhenAll(calls).ConfigureAwait(false);
    }

    /// <summary>
    /// Migrates a worker's grain, with its slice, to <paramref name="target"/>; or, when its environments cannot save
    /// their state, ends it and lets the next call create the next incarnation there.
    /// </summary>
    private async Task MoveAsync(int worker, SiloAddress target, long version)
    {
        int incarnation = _incarnations[worker];
        string from = _placements[worker];
        IGrainManagementExtension grain = Grain(worker, incarnation).Cast<IGrainManagementExtension>();
        try
        {
            if (_canSaveState[worker])
            {
                // The runtime takes the hint to its placement director, deactivates the grain once idle, and activates
                // it on the target with the slice it saved (RolloutWorkerGrain is an IGrainMigrationParticipant).
                RequestContext.Set(IPlacementDirector.PlacementHintKey, target);
                await grain.MigrateOnIdle().AsTask().WaitAsync(RebalanceCallTimeout).ConfigureAwait(false);
                _pendingMoves[worker] = new PendingMove(from, incarnation);
                return;
            }

            await grain.DeactivateOnIdle().AsTask().WaitAsync(RebalanceCallTimeout).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is OrleansException or TimeoutException)
        {
            // The worker's silo is failing: its next call recovers it.
            return;
        }
        finally
        {
            RequestContext.Remove(IPlacementDirector.PlacementHintKey);
        }

        _incarnations[worker] = incarnation + 1;
        _collections[worker] = 0;
        _placementHints[worker] = target;
        _pendingMoves[worker] = new PendingMove(from, incarnation);
        Record(new WorkerRecovery(version, worker, incarnation + 1, $"Restarted on {target} to spread the workers over the live silos (it was on {from}): its environments cannot save their state."));
    }

    private async Task<RolloutChunk> CollectWithRecoveryAsync(int worker, RolloutWorkerSettings settings, PolicyParameters parameters)
    {
        TimeSpan delay = _options.RetryDelay;
        int failures = 0;
        while (true)
        {
            int incarnation = _incarnations[worker];
            IRolloutWorkerGrain grain = Grain(worker, incarnation);
            SiloAddress? hint = _placementHints[worker];
            _placementHints[worker] = null;
            try
            {
                if (hint is not null)
                    RequestContext.Set(IPlacementDirector.PlacementHintKey, hint);
                RolloutChunk chunk = await grain.CollectAsync(settings with { Incarnation = incarnation }, parameters).WaitAsync(_options.CollectTimeout).ConfigureAwait(false);
                if (!chunk.SliceCreated || _collections[worker] == 0)
                {
                    _collections[worker]++;
                    return chunk;
                }

                // The runtime activated the grain anew (its silo left between updates, it was deactivated, or it moved
                // without its slice): the slice restarted from its incarnation's streams, replaying episodes. Recreate it
                // as a new incarnation instead.
                _incarnations[worker] = incarnation + 1;
                _collections[worker] = 0;
                Interlocked.Increment(ref _failuresThisUpdate);
                Record(new WorkerRecovery(parameters.Version, worker, incarnation + 1, "The worker's activation was lost between updates."));
            }
            catch (Exception exception) when (exception is not ArgumentException)
            {
                // Any other failure (a dead silo, a lost connection, a timeout) costs the slice: make a new one.
                failures++;
                Interlocked.Increment(ref _failuresThisUpdate);
                _incarnations[worker] = incarnation + 1;
                _collections[worker] = 0;
                Record(new WorkerRecovery(parameters.Version, worker, incarnation + 1, string.Create(CultureInfo.InvariantCulture, $"Attempt {failures} failed: {exception.GetType().Name}: {exception.Message}")));
                if (failures >= _options.MaxAttempts)
                    throw new WorkerUnavailableException($"Worker {worker} failed {failures} times collecting the chunk of version {parameters.Version}; the last failure is attached.", exception);
                await Task.Delay(delay).ConfigureAwait(false);
                delay += delay;
            }
            finally
            {
                if (hint is not null)
                    RequestContext.Remove(IPlacementDirector.PlacementHintKey);
            }
        }
    }

    private IRolloutWorkerGrain Grain(int worker, int incarnation) =>
        _grains.GetGrain<IRolloutWorkerGrain>(RolloutWorkerKeys.For(_options.Run, worker, incarnation));

    private void Record(WorkerRecovery recovery)
    {
        lock (_recordsLock)
            _recoveries.Add(recovery);
    }

    private void Record(WorkerMove move)
    {
        lock (_recordsLock)
            _moves.Add(move);
    }

    /// <summary>A move asked of a worker before this update: the silo it left and its incarnation then.</summary>
    private readonly record struct PendingMove(string From, int Incarnation);
}
