using System.Diagnostics;
using Ppo.Checkpoints;
using Ppo.Environments;
using Ppo.Orleans.Environments;
using Ppo.Orleans.Policies;
using Ppo.Orleans.Workers;
using Ppo.Rollouts;
using Ppo.Training;

namespace Ppo.Orleans;

/// <summary>
/// Collects each update's rollout on remote workers (synchronous PPO with remote actors): sends the learner's current
/// parameters to every worker in parallel, waits for their chunks and assembles them in worker order into the buffer,
/// as if one vector of all the environments had been stepped here. One round trip per update.
/// </summary>
/// <remarks>
/// Each worker samples with its own stream (<see cref="WorkerStreams"/>), so a run depends only on its seed and its
/// <see cref="WorkerLayout"/>: the Orleans workers and the in-process <see cref="LocalRolloutWorkers"/> give the same
/// bits. Episode ends reach the trainer in the order one vector would report them (by step, then by environment).
/// Each rollout reports its recoveries (<see cref="RolloutSummary.Recoveries"/>, the trainer's
/// <see cref="UpdateMetrics.RolloutRecoveries"/>): the chunks collected again by slices started afresh.
/// Not distributed: the learner (GAE and the minibatch epochs run in this process), and the per-step KL penalty toward
/// a reference policy, which would need the reference on every worker.
/// </remarks>
public sealed class DistributedRolloutCollector : IRolloutCollector
{
    private readonly IRolloutWorkers _workers;
    private readonly WorkerLayout _layout;
    private readonly IPolicyReplication _replication;
    private readonly int _seed;
    private readonly int[] _firstEnvironments;
    private readonly int _observationSize;
    private readonly int _actionSize;
    private readonly float[] _observations;
    private readonly float[] _actions;
    private readonly float[] _rewards;
    private readonly bool[] _terminated;
    private readonly bool[] _truncated;
    private readonly float[] _values;
    private readonly float[] _logProbabilities;
    private readonly float[] _lastValues;
    private readonly int[] _bootstrapCursors;
    private readonly int[] _episodeCursors;
    private float[] _distributionParameters = [];
    private RolloutWorkerSettings[]? _settings;

    /// <summary>Creates a collector over <paramref name="workers"/>.</summary>
    /// <param name="workers">The workers: grains on a cluster, or the in-process stand-in.</param>
    /// <param name="layout">How the environments are split over the workers.</param>
    /// <param name="registry">The environment factories, used here only to read the environments' spaces.</param>
    /// <param name="seed">The run's seed, from which every worker's streams derive.</param>
    /// <param name="replication">How the learner's policy is shipped, or <see langword="null"/> for the managed engine's.</param>
    /// <exception cref="ArgumentException">The layout is invalid.</exception>
    /// <exception cref="KeyNotFoundException">The layout's environment is not registered.</exception>
    public DistributedRolloutCollector(IRolloutWorkers workers, WorkerLayout layout, EnvironmentRegistry registry, int seed, IPolicyReplication? replication = null)
    {
        ArgumentNullException.ThrowIfNull(workers);
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(registry);
        _workers = workers;
        _layout = layout.Validate();
        _replication = replication ?? ManagedPolicyReplication.Instance;
        _seed = seed;
        using (SyncVectorEnvironment probe = registry.Create(layout.EnvironmentName, 1))
        {
            ObservationSpace = probe.ObservationSpace;
            ActionSpace = probe.ActionSpace;
        }

        int workerCount = layout.EnvironmentCounts.Count;
        _firstEnvironments = new int[workerCount];
        for (int i = 1; i < workerCount; i++)
            _firstEnvironments[i] = _firstEnvironments[i - 1] + layout.EnvironmentCounts[i - 1];
        EnvironmentCount = layout.EnvironmentCount;
        _observationSize = ObservationSpace.Size;
        _actionSize = ActionSpace.FlatSize;
        _observations = new float[EnvironmentCount * _observationSize];
        _actions = new float[EnvironmentCount * _actionSize];
        _rewards = new float[EnvironmentCount];
        _terminated = new bool[EnvironmentCount];
        _truncated = new bool[EnvironmentCount];
        _values = new float[EnvironmentCount];
        _logProbabilities = new float[EnvironmentCount];
        _lastValues = new float[EnvironmentCount];
        _bootstrapCursors = new int[workerCount];
        _episodeCursors = new int[workerCount];
    }

    /// <inheritdoc/>
    public int EnvironmentCount { get; }

    /// <inheritdoc/>
    public BoxSpace ObservationSpace { get; }

    /// <inheritdoc/>
    public Space ActionSpace { get; }

    /// <summary>Gets the number of rollouts collected, which is also the version of the parameters sent with the next.</summary>
    public long UpdatesCollected { get; private set; }

    /// <summary>Gets the metrics of the last rollout: timings, where each chunk came from, and the recoveries so far.</summary>
    public DistributedRolloutMetrics LastMetrics { get; private set; } = DistributedRolloutMetrics.Empty;

    /// <summary>Gets every recovery of a worker so far (also in <see cref="LastMetrics"/>).</summary>
    public IReadOnlyList<WorkerRecovery> Recoveries => _workers.Recoveries;

    /// <summary>Gets every move of a worker to another silo so far (also in <see cref="LastMetrics"/>).</summary>
    public IReadOnlyList<WorkerMove> Moves => _workers.Moves;

    /// <inheritdoc/>
    /// <exception cref="NotSupportedException">The request has a reference policy: the per-step KL penalty is not distributed.</exception>
    /// <exception cref="WorkerUnavailableException">A worker failed on every attempt.</exception>
    public RolloutSummary Collect(RolloutRequest request)
    {
        ArgumentNullException.ThrowIfNull(request.Learner);
        ArgumentNullException.ThrowIfNull(request.Buffer);
        ArgumentNullException.ThrowIfNull(request.Listener);
        if (request.ReferencePolicy is not null)
            throw new NotSupportedException("The per-step KL penalty toward a reference policy is not distributed; train with a local collector to use it.");
        RolloutBuffer buffer = request.Buffer;
        if (buffer.EnvironmentCount != EnvironmentCount)
            throw new ArgumentException($"The buffer holds {buffer.EnvironmentCount} environments; the workers step {EnvironmentCount}.", nameof(request));

        RolloutWorkerSettings[] settings = _settings ??= CreateSettings(request);
        if (settings[0].NumSteps != buffer.Steps)
            throw new ArgumentException($"The buffer holds {buffer.Steps} steps; the workers were set up for {settings[0].NumSteps}.", nameof(request));
        int recoveriesBefore = _workers.Recoveries.Count, movesBefore = _workers.Moves.Count;
        long start = Stopwatch.GetTimestamp();
        PolicyParameters parameters = _replication.Snapshot(request.Learner, UpdatesCollected);
        RolloutChunk[] chunks = _workers.CollectAsync(settings, parameters).GetAwaiter().GetResult();
        double roundTripSeconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        Assemble(chunks, request);
        UpdatesCollected++;
        IReadOnlyList<WorkerRecovery> recoveries = _workers.Recoveries;
        LastMetrics = DistributedRolloutMetrics.Of(chunks, roundTripSeconds, Stopwatch.GetElapsedTime(start).TotalSeconds, recoveries, recoveriesBefore, _workers.Moves, movesBefore);
        return new RolloutSummary(0, recoveries.Count - recoveriesBefore);
    }

    /// <inheritdoc/>
    /// <remarks>Writes the number of rollouts collected; the workers' environments live on the cluster and are not saved.</remarks>
    public void WriteState(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(UpdatesCollected);
    }

    /// <inheritdoc/>
    public void ReadState(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        long updates = reader.ReadInt64();
        if (updates < 0)
            throw new CheckpointException($"The distributed collector's state holds {updates} collected rollouts.");
        UpdatesCollected = updates;
    }

    /// <inheritdoc/>
    /// <remarks>Adds nothing: the environments live on the workers.</remarks>
    public void SaveEnvironments(CheckpointSections sections) => ArgumentNullException.ThrowIfNull(sections);

    /// <inheritdoc/>
    /// <remarks>Reads nothing: the workers start their environments from their seeds.</remarks>
    public void LoadEnvironments(CheckpointSections sections) => ArgumentNullException.ThrowIfNull(sections);

    private RolloutWorkerSettings[] CreateSettings(in RolloutRequest request)
    {
        PolicyDescription policy = _replication.Describe(request.Learner);
        bool keepsDistributions = request.Buffer.DistributionParameters is not null;
        if (keepsDistributions)
            _distributionParameters = new float[EnvironmentCount * request.Learner.DistributionParameterSize];
        var settings = new RolloutWorkerSettings[_firstEnvironments.Length];
        for (int i = 0; i < settings.Length; i++)
        {
            settings[i] = new RolloutWorkerSettings
            {
                EnvironmentName = _layout.EnvironmentName,
                WorkerIndex = i,
                FirstEnvironment = _firstEnvironments[i],
                EnvironmentCount = _layout.EnvironmentCounts[i],
                Seed = _seed,
                NumSteps = request.Buffer.Steps,
                KeepDistributionParameters = keepsDistributions,
                Policy = policy,
            }.Validate();
        }

        return settings;
    }

    /// <summary>Writes the chunks, step by step, into the buffer as one vector of every worker's environments.</summary>
    private void Assemble(RolloutChunk[] chunks, in RolloutRequest request)
    {
        RolloutBuffer buffer = request.Buffer;
        int distributionSize = _distributionParameters.Length / EnvironmentCount;
        Array.Clear(_bootstrapCursors);
        Array.Clear(_episodeCursors);
        for (int w = 0; w < chunks.Length; w++)
            CheckChunk(chunks[w], w, buffer.Steps, distributionSize);

        for (int t = 0; t < buffer.Steps; t++)
        {
            for (int w = 0; w < chunks.Length; w++)
            {
                RolloutChunk chunk = chunks[w];
                int n = chunk.EnvironmentCount, first = _firstEnvironments[w], row = t * n;
                chunk.Observations.AsSpan(row * _observationSize, n * _observationSize).CopyTo(_observations.AsSpan(first * _observationSize));
                chunk.Actions.AsSpan(row * _actionSize, n * _actionSize).CopyTo(_actions.AsSpan(first * _actionSize));
                chunk.Rewards.AsSpan(row, n).CopyTo(_rewards.AsSpan(first));
                chunk.Terminated.AsSpan(row, n).CopyTo(_terminated.AsSpan(first));
                chunk.Truncated.AsSpan(row, n).CopyTo(_truncated.AsSpan(first));
                chunk.Values.AsSpan(row, n).CopyTo(_values.AsSpan(first));
                chunk.LogProbabilities.AsSpan(row, n).CopyTo(_logProbabilities.AsSpan(first));
                if (distributionSize > 0)
                    chunk.DistributionParameters.AsSpan(row * distributionSize, n * distributionSize).CopyTo(_distributionParameters.AsSpan(first * distributionSize));
            }

            buffer.Add(_observations, _actions, _rewards, _terminated, _truncated, _values, _logProbabilities, _distributionParameters);
            request.Listener.OnSteps(EnvironmentCount);
            for (int w = 0; w < chunks.Length; w++)
                ReportStep(chunks[w], w, t, request);
        }

        for (int w = 0; w < chunks.Length; w++)
            chunks[w].LastValues.CopyTo(_lastValues, _firstEnvironments[w]);
        buffer.SetLastValues(_lastValues);
    }

    /// <summary>Reports the episodes that ended at step <paramref name="t"/> of worker <paramref name="w"/> and adds its truncation bootstraps.</summary>
    private void ReportStep(RolloutChunk chunk, int w, int t, in RolloutRequest request)
    {
        int n = chunk.EnvironmentCount, first = _firstEnvironments[w], end = (t + 1) * n;
        ref int episode = ref _episodeCursors[w];
        for (; episode < chunk.EpisodeRows.Length && chunk.EpisodeRows[episode] < end; episode++)
            request.Listener.OnEpisodeEnd(chunk.EpisodeReturns[episode], chunk.EpisodeLengths[episode]);
        ref int bootstrap = ref _bootstrapCursors[w];
        for (; bootstrap < chunk.BootstrapRows.Length && chunk.BootstrapRows[bootstrap] < end; bootstrap++)
            request.Buffer.AddBootstrap(first + chunk.BootstrapRows[bootstrap] % n, request.Gamma * chunk.BootstrapValues[bootstrap]);
    }

    private void CheckChunk(RolloutChunk chunk, int w, int steps, int distributionSize)
    {
        int n = _layout.EnvironmentCounts[w], rows = steps * n;
        if (chunk.WorkerIndex != w || chunk.Steps != steps || chunk.EnvironmentCount != n || chunk.PolicyVersion != UpdatesCollected
            || chunk.Observations.Length != rows * _observationSize || chunk.Actions.Length != rows * _actionSize || chunk.Rewards.Length != rows
            || chunk.Terminated.Length != rows || chunk.Truncated.Length != rows || chunk.Values.Length != rows || chunk.LogProbabilities.Length != rows
            || chunk.DistributionParameters.Length != rows * distributionSize || chunk.LastValues.Length != n
            || chunk.BootstrapRows.Length != chunk.BootstrapValues.Length || chunk.EpisodeRows.Length != chunk.EpisodeReturns.Length || chunk.EpisodeRows.Length != chunk.EpisodeLengths.Length)
        {
            throw new InvalidOperationException($"Worker {w} returned a chunk that does not fit the layout (worker {chunk.WorkerIndex}, {chunk.Steps} steps of {chunk.EnvironmentCount} environments, version {chunk.PolicyVersion}; expected {steps} steps of {n}, version {UpdatesCollected}).");
        }
    }
}
