using System.Diagnostics;
using Ppo.Environments;
using Ppo.Orleans.Environments;
using Ppo.Orleans.Policies;
using Ppo.Randomness;
using Ppo.Tensors;

namespace Ppo.Orleans.Workers;

/// <summary>
/// One worker's environments, policy replica and action-sampling stream, and the loop that collects its rollout chunk.
/// A worker grain holds one; the local stand-in holds one per worker in the caller's process.
/// </summary>
/// <remarks>
/// The step is the local collector's: act on the current observations, step the environments with the actions clipped
/// to their space, store the sampled actions, and predict <c>V(final observation)</c> of every truncated episode. Every
/// buffer is allocated here: collecting allocates only the small arrays of finished episodes and bootstraps at the end.
/// A slice whose environments can save their state (<see cref="IStatefulEnvironment"/>) can be written and read back
/// between collections (<see cref="SaveState"/>), so that it moves to another process without changing a bit.
/// </remarks>
public sealed class RolloutSlice : IDisposable
{
    private readonly SyncVectorEnvironment _environment;
    private readonly IRolloutPolicy _policy;
    private readonly SeededRandom _random;
    private readonly int _environmentCount;
    private readonly int _observationSize;
    private readonly int _actionSize;
    private readonly int _distributionSize;
    private readonly Tensor _observations;
    private readonly Tensor _actions;
    private readonly float[] _environmentActions;
    private readonly Tensor _logProbabilities;
    private readonly Tensor _values;
    private readonly Tensor? _distributionParameters;
    private readonly Tensor _finalObservations;
    private readonly Tensor _finalValues;
    private readonly int[] _truncatedEnvironments;
    private readonly int[] _bootstrapRows;
    private readonly float[] _bootstrapValues;
    private readonly int[] _episodeRows;
    private readonly double[] _episodeReturns;
    private readonly int[] _episodeLengths;
    private readonly RolloutChunk _chunk;
    private bool _started;

    /// <summary>Creates the slice's environments from <paramref name="registry"/> and a replica of the described policy.</summary>
    /// <param name="settings">What the slice owns.</param>
    /// <param name="registry">The environment factories.</param>
    /// <exception cref="ArgumentException">The settings are invalid or the policy does not fit the environments.</exception>
    /// <exception cref="KeyNotFoundException">The environment name is not registered.</exception>
    public RolloutSlice(RolloutWorkerSettings settings, EnvironmentRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(registry);
        Settings = settings.Validate();
        _environment = registry.Create(settings.EnvironmentName, settings.EnvironmentCount);
        try
        {
            _policy = settings.Policy.CreateReplica(_environment.ObservationSpace, _environment.ActionSpace, settings.EnvironmentCount);
        }
        catch
        {
            _environment.Dispose();
            throw;
        }

        _random = new SeededRandom(WorkerStreams.ActionSeed(settings.Seed, settings.WorkerIndex, settings.Incarnation));
        _environmentCount = settings.EnvironmentCount;
        _observationSize = _environment.ObservationSpace.Size;
        _actionSize = _policy.ActionSize;
        _distributionSize = settings.KeepDistributionParameters ? _policy.DistributionParameterSize : 0;
        _observations = Tensor.Zeros(_environmentCount, _observationSize);
        _actions = Tensor.Zeros(_environmentCount, _actionSize);
        _environmentActions = new float[_environmentCount * _actionSize];
        _logProbabilities = Tensor.Zeros(_environmentCount);
        _values = Tensor.Zeros(_environmentCount);
        _distributionParameters = _distributionSize > 0 ? Tensor.Zeros(_environmentCount, _distributionSize) : null;
        _finalObservations = Tensor.Zeros(_environmentCount, _observationSize);
        _finalValues = Tensor.Zeros(_environmentCount);
        _truncatedEnvironments = new int[_environmentCount];
        int rows = settings.NumSteps * _environmentCount;
        _bootstrapRows = new int[rows];
        _bootstrapValues = new float[rows];
        _episodeRows = new int[rows];
        _episodeReturns = new double[rows];
        _episodeLengths = new int[rows];
        _chunk = new RolloutChunk
        {
            WorkerIndex = settings.WorkerIndex,
            Incarnation = settings.Incarnation,
            Steps = settings.NumSteps,
            EnvironmentCount = _environmentCount,
            Observations = new float[rows * _observationSize],
            Actions = new float[rows * _actionSize],
            Rewards = new float[rows],
            Terminated = new bool[rows],
            Truncated = new bool[rows],
            Values = new float[rows],
            LogProbabilities = new float[rows],
            DistributionParameters = new float[rows * _distributionSize],
            LastValues = new float[_environmentCount],
            SliceCreated = true,
            CanSaveState = _environment.CanSaveState,
        };
    }

    /// <summary>Gets what the slice owns.</summary>
    public RolloutWorkerSettings Settings { get; }

    /// <summary>Gets the observation space of the slice's environments.</summary>
    public BoxSpace ObservationSpace => _environment.ObservationSpace;

    /// <summary>Gets the action space of the slice's environments.</summary>
    public Space ActionSpace => _environment.ActionSpace;

    /// <summary>Gets the number of chunks collected so far.</summary>
    public int CollectionCount { get; private set; }

    /// <summary>Gets a value indicating whether <see cref="SaveState"/> can capture the slice: whether every environment can save its state.</summary>
    public bool CanSaveState => _environment.CanSaveState;

    /// <summary>
    /// Loads <paramref name="parameters"/> into the replica and collects <c>NumSteps</c> steps of every environment,
    /// continuing the episodes of the previous collection (the first one resets the environments with their seeds).
    /// </summary>
    /// <param name="parameters">The learner's parameters.</param>
    /// <returns>
    /// The chunk. The slice owns it and overwrites it on the next call: copy it (or send it) before collecting again.
    /// </returns>
    /// <exception cref="ArgumentException">The parameters have the wrong length, or an environment returned a NaN or infinite value.</exception>
    public RolloutChunk Collect(PolicyParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        long start = Stopwatch.GetTimestamp();
        _policy.LoadParameters(parameters.Values);
        if (!_started)
        {
            _observations.CopyFrom(_environment.Reset(WorkerStreams.EnvironmentSeed(Settings.Seed, Settings.FirstEnvironment, Settings.Incarnation)).Observations);
            _started = true;
        }

        int bootstrapCount = 0, episodeCount = 0;
        for (int t = 0; t < Settings.NumSteps; t++)
            CollectStep(t, ref bootstrapCount, ref episodeCount);
        _policy.PredictValues(_observations, _environmentCount, _finalValues);
        _finalValues.CopyTo(_chunk.LastValues);

        _chunk.PolicyVersion = parameters.Version;
        _chunk.SliceCreated = CollectionCount == 0;
        _chunk.BootstrapRows = _bootstrapRows.AsSpan(0, bootstrapCount).ToArray();
        _chunk.BootstrapValues = _bootstrapValues.AsSpan(0, bootstrapCount).ToArray();
        _chunk.EpisodeRows = _episodeRows.AsSpan(0, episodeCount).ToArray();
        _chunk.EpisodeReturns = _episodeReturns.AsSpan(0, episodeCount).ToArray();
        _chunk.EpisodeLengths = _episodeLengths.AsSpan(0, episodeCount).ToArray();
        _chunk.CollectionSeconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        CollectionCount++;
        return _chunk;
    }

    /// <summary>
    /// Writes what continuing exactly needs: the number of chunks collected, the action-sampling stream, the current
    /// observations and the environments' state. A slice created with the same settings continues from it
    /// (<see cref="LoadState"/>) as this one would have.
    /// </summary>
    /// <param name="writer">The destination.</param>
    /// <exception cref="NotSupportedException">The environments cannot save their state (<see cref="CanSaveState"/> is false).</exception>
    public void SaveState(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ThrowIfCannotSaveState();
        writer.Write(CollectionCount);
        writer.Write(_started);
        RandomStateSerialization.Write(writer, _random.State);
        ReadOnlySpan<float> observations = _observations.AsSpan();
        writer.Write(observations.Length);
        foreach (float value in observations)
            writer.Write(value);
        if (_started)
            _environment.SaveState(writer);
    }

    /// <summary>Restores a state written by <see cref="SaveState"/> of a slice with the same settings.</summary>
    /// <param name="reader">The source.</param>
    /// <exception cref="InvalidDataException">The data is not a state of a slice of this shape.</exception>
    /// <exception cref="NotSupportedException">The environments cannot load their state (<see cref="CanSaveState"/> is false).</exception>
    public void LoadState(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ThrowIfCannotSaveState();
        int collections = reader.ReadInt32();
        bool started = reader.ReadBoolean();
        RandomState random = RandomStateSerialization.Read(reader);
        int length = reader.ReadInt32();
        if (collections < 0 || length != _observations.Length)
            throw new InvalidDataException($"Worker {Settings.WorkerIndex}: the saved slice holds {collections} collections and {length} observation floats; this slice has {_observations.Length}.");
        var observations = new float[length];
        for (int i = 0; i < length; i++)
        {
            observations[i] = reader.ReadSingle();
            if (!float.IsFinite(observations[i]))
                throw new InvalidDataException($"Worker {Settings.WorkerIndex}: the saved observation float {i} is {observations[i]}.");
        }

        if (started)
            _environment.LoadState(reader);
        _observations.CopyFrom(observations);
        _random.State = random;
        CollectionCount = collections;
        _started = started;
    }

    /// <inheritdoc/>
    public void Dispose() => _environment.Dispose();

    private void ThrowIfCannotSaveState()
    {
        if (!CanSaveState)
            throw new NotSupportedException($"Worker {Settings.WorkerIndex}: the '{Settings.EnvironmentName}' environments cannot save their state.");
    }

    private void CollectStep(int t, ref int bootstrapCount, ref int episodeCount)
    {
        int n = _environmentCount;
        int row = t * n;
        _policy.Act(_observations, n, _random, _actions, _logProbabilities, _values, _distributionParameters);

        // The environments get actions clipped to their box; the chunk keeps the sampled ones, whose log-probability it stores.
        _actions.CopyTo(_environmentActions);
        _policy.ClipToActionSpace(_environmentActions);
        VectorStep step = _environment.Step(_environmentActions);

        CheckFinite(step.Observations, step.Rewards, t);
        _observations.AsSpan().CopyTo(_chunk.Observations.AsSpan(row * _observationSize, n * _observationSize));
        _actions.AsSpan().CopyTo(_chunk.Actions.AsSpan(row * _actionSize, n * _actionSize));
        step.Rewards.CopyTo(_chunk.Rewards.AsSpan(row, n));
        step.Terminated.CopyTo(_chunk.Terminated.AsSpan(row, n));
        step.Truncated.CopyTo(_chunk.Truncated.AsSpan(row, n));
        _values.AsSpan().CopyTo(_chunk.Values.AsSpan(row, n));
        _logProbabilities.AsSpan().CopyTo(_chunk.LogProbabilities.AsSpan(row, n));
        _distributionParameters?.AsSpan().CopyTo(_chunk.DistributionParameters.AsSpan(row * _distributionSize, n * _distributionSize));

        int truncatedCount = 0;
        for (int i = 0; i < n; i++)
        {
            if (!step.EpisodeEnded(i))
                continue;
            _episodeRows[episodeCount] = row + i;
            _episodeReturns[episodeCount] = step.EpisodeReturns[i];
            _episodeLengths[episodeCount++] = step.EpisodeLengths[i];
            if (step.Truncated[i] && !step.Terminated[i])
            {
                step.FinalObservation(i).CopyTo(_finalObservations.Row(truncatedCount));
                _truncatedEnvironments[truncatedCount++] = i;
            }
        }

        if (truncatedCount > 0)
        {
            _policy.PredictValues(_finalObservations, truncatedCount, _finalValues);
            ReadOnlySpan<float> finalValues = _finalValues.AsSpan();
            for (int k = 0; k < truncatedCount; k++)
            {
                _bootstrapRows[bootstrapCount] = row + _truncatedEnvironments[k];
                _bootstrapValues[bootstrapCount++] = finalValues[k];
            }
        }

        _observations.CopyFrom(step.Observations);
    }

    /// <summary>Rejects NaN or infinite observations and rewards where they arise, naming the worker, environment and step.</summary>
    private void CheckFinite(ReadOnlySpan<float> observations, ReadOnlySpan<float> rewards, int t)
    {
        for (int i = 0; i < observations.Length; i++)
        {
            if (!float.IsFinite(observations[i]))
                throw new ArgumentException($"Worker {Settings.WorkerIndex}: the observation of environment {Settings.FirstEnvironment + i / _observationSize} at rollout step {t} holds {observations[i]}; environments must return finite observations.");
        }

        for (int i = 0; i < rewards.Length; i++)
        {
            if (!float.IsFinite(rewards[i]))
                throw new ArgumentException($"Worker {Settings.WorkerIndex}: the reward of environment {Settings.FirstEnvironment + i} at rollout step {t} is {rewards[i]}; environments must return finite rewards.");
        }
    }
}
