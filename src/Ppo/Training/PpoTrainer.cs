using System.Diagnostics;
using Ppo.Environments;
using Ppo.Losses;
using Ppo.Optimization;
using Ppo.Policies;
using Ppo.Randomness;
using Ppo.Rollouts;
using Ppo.Tensors;

namespace Ppo.Training;

/// <summary>
/// Trains an <see cref="ActorCritic"/> with Proximal Policy Optimization (Schulman et al. 2017, Algorithm 1) on a vector
/// of environments, with Stable-Baselines3's hyperparameters and semantics.
/// </summary>
/// <remarks>
/// Each update collects <c>NumSteps</c> steps from every environment, computes advantages with GAE, then runs
/// <c>NumEpochs</c> passes of shuffled minibatches: evaluate, fused loss, backward, global gradient clipping, Adam.
/// Every buffer is allocated here, so collecting and updating allocate nothing.
/// </remarks>
public sealed partial class PpoTrainer
{
    private readonly SeededRandom _random;
    private readonly IVectorEnvironment _baseEnvironment;
    private readonly int _environmentCount;
    private readonly int _observationSize;
    private readonly int _actionSize;
    private readonly EpisodeStatistics _episodes = new();
    private readonly int[] _indices;
    private readonly int[] _truncatedEnvironments;

    // Rollout step.
    private readonly Tensor _observations;
    private readonly Tensor _actions;
    private readonly float[] _environmentActions;
    private readonly Tensor _logProbabilities;
    private readonly Tensor _values;
    private readonly Tensor _finalObservations;
    private readonly Tensor _finalValues;
    private readonly Tensor? _distributionParameters;
    private readonly float[] _rewards;
    private readonly Tensor _referenceLogProbabilities;
    private readonly Tensor _referenceEntropy;
    private readonly Tensor _referenceValues;
    private double _referenceKlSum;
    private ActorCritic? _referencePolicy;

    private readonly MinibatchUpdate _minibatch;

    private bool _environmentStarted;
    private TrainingCallback[] _callbacks = [];

    /// <summary>Creates a trainer with a new <see cref="ActorCritic"/> for the environment's spaces.</summary>
    /// <param name="environment">The environments; their count must equal <see cref="PpoOptions.NumEnvs"/>.</param>
    /// <param name="options">The hyperparameters.</param>
    /// <param name="policyOptions">The network architecture, or <see langword="null"/> for Stable-Baselines3's default.</param>
    /// <exception cref="ArgumentException">The options are invalid or do not match the environment.</exception>
    public PpoTrainer(IVectorEnvironment environment, PpoOptions options, ActorCriticOptions? policyOptions = null)
        : this(environment, WithResolvedSeed(options), policyOptions, seedResolved: true)
    {
    }

    /// <summary>Creates a trainer that continues training <paramref name="policy"/>.</summary>
    /// <param name="environment">The environments; their count must equal <see cref="PpoOptions.NumEnvs"/>.</param>
    /// <param name="policy">The network to train; its spaces must match the environment's.</param>
    /// <param name="options">The hyperparameters.</param>
    /// <exception cref="ArgumentException">The options are invalid or do not match the environment or the policy.</exception>
    public PpoTrainer(IVectorEnvironment environment, ActorCritic policy, PpoOptions options)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(policy);
        Options = WithResolvedSeed(options);
        CheckCompatible(environment, policy, Options);

        _baseEnvironment = environment;
        if (Options.NormalizeObservations || Options.NormalizeRewards)
        {
            Normalization = new VectorNormalization(environment, Options.NormalizeObservations, Options.NormalizeRewards, Options.Gamma);
            environment = Normalization;
        }

        Environment = environment;
        Policy = policy;
        Seed = Options.Seed!.Value;
        _random = new SeededRandom(DeriveSeed(Seed, stream: 1));
        _environmentCount = environment.EnvironmentCount;
        _observationSize = environment.ObservationSpace.Size;
        _actionSize = policy.ActionSize;

        Device device = Options.Device;
        policy.Resize(Math.Max(Options.BatchSize, _environmentCount));
        Optimizer = new Adam(policy.Parameters.Values, policy.Parameters.Gradients);
        _minibatch = new MinibatchUpdate(policy, Optimizer, Options.BatchSize);
        bool keepsDistributions = Options.PolicyObjective != PolicyObjective.ClippedSurrogate;
        Buffer = new RolloutBuffer(Options.NumSteps, _environmentCount, _observationSize, _actionSize, device, keepsDistributions ? policy.DistributionParameterSize : 0);
        _indices = new int[Buffer.Size];
        _truncatedEnvironments = new int[_environmentCount];

        _observations = device.Zeros(_environmentCount, _observationSize);
        _actions = device.Zeros(_environmentCount, _actionSize);
        _environmentActions = new float[_environmentCount * _actionSize];
        _logProbabilities = device.Zeros(_environmentCount);
        _values = device.Zeros(_environmentCount);
        _finalObservations = device.Zeros(_environmentCount, _observationSize);
        _finalValues = device.Zeros(_environmentCount);
        _distributionParameters = keepsDistributions ? device.Zeros(_environmentCount, policy.DistributionParameterSize) : null;
        _rewards = new float[_environmentCount];
        _referenceLogProbabilities = device.Zeros(_environmentCount);
        _referenceEntropy = device.Zeros(_environmentCount);
        _referenceValues = device.Zeros(_environmentCount);
        KlCoefficient = Options.KlCoef;
        ReferenceKlCoefficient = Options.ReferenceKlCoef;
    }

    private PpoTrainer(IVectorEnvironment environment, PpoOptions seededOptions, ActorCriticOptions? policyOptions, bool seedResolved)
        : this(environment, CreatePolicy(environment, seededOptions, policyOptions), seededOptions)
    {
        Debug.Assert(seedResolved && seededOptions.Seed.HasValue, "The seed is resolved before the policy is created.");
    }

    /// <summary>Gets the hyperparameters, with <see cref="PpoOptions.Seed"/> set to the seed in use.</summary>
    public PpoOptions Options { get; }

    /// <summary>Gets the environments trained on (wrapped in <see cref="Normalization"/> when normalization is on).</summary>
    public IVectorEnvironment Environment { get; }

    /// <summary>
    /// Gets the observation and reward normalization when <see cref="PpoOptions.NormalizeObservations"/> or
    /// <see cref="PpoOptions.NormalizeRewards"/> is on, else <see langword="null"/>. Evaluate the policy with it
    /// (<see cref="ObservationNormalizer"/>), since the policy sees normalized observations.
    /// </summary>
    public VectorNormalization? Normalization { get; }

    /// <summary>
    /// Gets the observation normalizer the policy is trained with when <see cref="PpoOptions.NormalizeObservations"/> is
    /// on, else <see langword="null"/>: pass it to <see cref="PolicyEvaluation.Run"/>.
    /// </summary>
    public ObservationNormalizer? ObservationNormalizer => Normalization is { NormalizeObservations: true } normalization ? normalization.Observations : null;

    /// <summary>Gets the network being trained.</summary>
    public ActorCritic Policy { get; }

    /// <summary>Gets the optimizer.</summary>
    public Adam Optimizer { get; }

    /// <summary>Gets the rollout buffer of the last update.</summary>
    public RolloutBuffer Buffer { get; }

    /// <summary>Gets the seed in use: <see cref="PpoOptions.Seed"/>, or the one drawn when it was null.</summary>
    public int Seed { get; }

    /// <summary>Gets the environment steps collected so far, over every environment.</summary>
    public long TotalTimesteps { get; private set; }

    /// <summary>Gets the number of updates done so far.</summary>
    public int UpdateCount { get; private set; }

    /// <summary>Gets the current weight β of the KL penalty of the KL objectives (adapted after each update when <see cref="PpoOptions.AdaptiveKlTarget"/> is set).</summary>
    public float KlCoefficient { get; private set; }

    /// <summary>Gets the current weight β of the penalty toward <see cref="ReferencePolicy"/> (adapted after each rollout when <see cref="PpoOptions.ReferenceKlTarget"/> is set).</summary>
    public float ReferenceKlCoefficient { get; private set; }

    /// <summary>
    /// Gets or sets the frozen reference policy of the per-step KL penalty (<see cref="PpoOptions.ReferenceKlCoef"/>),
    /// for example a checkpoint loaded with <see cref="Checkpoints.TrainedPolicy.Load"/>. It sees the same observations
    /// as the trained policy and is never updated.
    /// </summary>
    /// <exception cref="ArgumentException">The reference's observation size or action space differs from the trained policy's.</exception>
    public ActorCritic? ReferencePolicy
    {
        get => _referencePolicy;
        set
        {
            if (value is not null)
            {
                if (value.ObservationSize != Policy.ObservationSize || value.ActionSpace.FlatSize != Policy.ActionSpace.FlatSize || value.ActionSpace.GetType() != Policy.ActionSpace.GetType())
                    throw new ArgumentException($"The reference policy ({value.ObservationSize} observation floats, {value.ActionSpace}) does not match the trained one ({Policy.ObservationSize}, {Policy.ActionSpace}).", nameof(value));
                value.Resize(_environmentCount);
            }

            _referencePolicy = value;
        }
    }

    /// <summary>Gets the returns and lengths of the most recent finished training episodes.</summary>
    public EpisodeStatistics Episodes => _episodes;

    /// <summary>
    /// Trains for at least <paramref name="totalTimesteps"/> more environment steps: whole updates of
    /// <c>NumSteps × NumEnvs</c> steps until the count is reached (Stable-Baselines3's <c>learn</c>). Schedules run from
    /// progress remaining 1 to 0 over this call.
    /// </summary>
    /// <param name="totalTimesteps">The steps to collect, over every environment; at least 1.</param>
    /// <param name="callbacks">Called at the start, after each update, and at the end; any can stop training.</param>
    /// <returns>The metrics of the last update.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="totalTimesteps"/> is below 1.</exception>
    /// <exception cref="ArgumentException">An environment returned a NaN or infinite observation or reward.</exception>
    public UpdateMetrics Learn(long totalTimesteps, params TrainingCallback[] callbacks)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(totalTimesteps);
        ArgumentNullException.ThrowIfNull(callbacks);
        _callbacks = callbacks;
        foreach (TrainingCallback callback in callbacks)
            callback.OnTrainingStart(this);

        var clock = Stopwatch.StartNew();
        long startTimesteps = TotalTimesteps;
        UpdateMetrics metrics = default;
        bool keepGoing = true;
        while (keepGoing && TotalTimesteps - startTimesteps < totalTimesteps)
        {
            CollectRollout();
            double progressRemaining = 1.0 - (double)(TotalTimesteps - startTimesteps) / totalTimesteps;
            metrics = Update(progressRemaining, TotalTimesteps - startTimesteps, clock.Elapsed.TotalSeconds);
            foreach (TrainingCallback callback in callbacks)
                keepGoing &= callback.OnUpdate(this, metrics);
        }

        foreach (TrainingCallback callback in callbacks)
            callback.OnTrainingEnd(this);
        _callbacks = [];
        return metrics;
    }

    /// <summary>
    /// Fills the rollout buffer with <c>NumSteps</c> steps of every environment and computes advantages and returns.
    /// Truncated episodes are bootstrapped with <c>γ·V(final observation)</c>.
    /// </summary>
    /// <exception cref="ArgumentException">An environment returned a NaN or infinite observation or reward.</exception>
    public void CollectRollout()
    {
        if (!_environmentStarted)
        {
            _observations.CopyFrom(Environment.Reset(Seed).Observations);
            _environmentStarted = true;
        }

        if (ReferenceKlCoefficient > 0f && _referencePolicy is null)
            throw new InvalidOperationException($"{nameof(PpoOptions.ReferenceKlCoef)} is {ReferenceKlCoefficient} but no {nameof(ReferencePolicy)} is set.");
        Buffer.Clear();
        _referenceKlSum = 0;
        for (int t = 0; t < Options.NumSteps; t++)
            CollectStep();

        Policy.PredictValues(_observations, _environmentCount, _values);
        Buffer.ComputeAdvantages(_values.AsSpan(), Options.Gamma, Options.GaeLambda);
    }

    /// <summary>
    /// Runs the epochs of minibatch updates on the collected rollout.
    /// </summary>
    /// <param name="progressRemaining">The remaining fraction of training, from 1 to 0, which drives the schedules.</param>
    /// <returns>The metrics of the update.</returns>
    public UpdateMetrics Update(double progressRemaining) => Update(progressRemaining, 0, double.NaN);

    private void CollectStep()
    {
        Policy.Act(_observations, _environmentCount, _random, deterministic: false, _actions, _logProbabilities, _values, _distributionParameters);

        // The environment gets actions clipped to its box; the buffer keeps the sampled ones, whose log-probability it stores.
        _actions.CopyTo(_environmentActions);
        Policy.ClipToActionSpace(_environmentActions);
        VectorStep step = Environment.Step(_environmentActions);
        TotalTimesteps += _environmentCount;
        step.Rewards.CopyTo(_rewards);
        if (_referencePolicy is not null)
            PenalizeDivergenceFromReference();
        Buffer.Add(_observations.AsSpan(), _actions.AsSpan(), _rewards, step.Terminated, step.Truncated, _values.AsSpan(), _logProbabilities.AsSpan(), _distributionParameters is null ? default : _distributionParameters.AsSpan());

        int truncatedCount = 0;
        for (int i = 0; i < _environmentCount; i++)
        {
            if (!step.EpisodeEnded(i))
                continue;
            _episodes.Add(step.EpisodeReturns[i], step.EpisodeLengths[i]);
            foreach (TrainingCallback callback in _callbacks)
                callback.OnEpisodeEnd(this, step.EpisodeReturns[i], step.EpisodeLengths[i]);
            if (step.Truncated[i] && !step.Terminated[i])
            {
                step.FinalObservation(i).CopyTo(_finalObservations.Row(truncatedCount));
                _truncatedEnvironments[truncatedCount++] = i;
            }
        }

        if (truncatedCount > 0)
        {
            Policy.PredictValues(_finalObservations, truncatedCount, _finalValues);
            ReadOnlySpan<float> finalValues = _finalValues.AsSpan();
            for (int k = 0; k < truncatedCount; k++)
                Buffer.AddBootstrap(_truncatedEnvironments[k], Options.Gamma * finalValues[k]);
        }

        _observations.CopyFrom(step.Observations);
    }

    /// <summary>
    /// Subtracts <c>β·(log π(a|s) − log π_ref(a|s))</c> from each reward of the step, the per-step KL penalty toward the
    /// reference policy, and accumulates the divergence for the metrics and the adaptive controller.
    /// </summary>
    private void PenalizeDivergenceFromReference()
    {
        _referencePolicy!.Evaluate(_observations, _actions, _environmentCount, _referenceLogProbabilities, _referenceEntropy, _referenceValues);
        ReadOnlySpan<float> logP = _logProbabilities.AsSpan(), referenceLogP = _referenceLogProbabilities.AsSpan();
        for (int i = 0; i < _environmentCount; i++)
        {
            float divergence = logP[i] - referenceLogP[i];
            _rewards[i] -= ReferenceKlCoefficient * divergence;
            _referenceKlSum += divergence;
        }
    }

    /// <summary>The mean KL(π_old ‖ π) over the whole rollout, evaluated with the current policy.</summary>
    private float RolloutKlDivergence()
    {
        double sum = 0;
        for (int start = 0; start < Buffer.Size; start += Options.BatchSize)
        {
            int rows = Math.Min(Options.BatchSize, Buffer.Size - start);
            for (int i = 0; i < rows; i++)
                _indices[i] = start + i;
            _minibatch.Gather(Buffer, _indices.AsSpan(0, rows));
            sum += (double)_minibatch.MeanKlDivergence(rows) * rows;
        }

        return (float)(sum / Buffer.Size);
    }

    private UpdateMetrics Update(double progressRemaining, long timestepsThisRun, double elapsedSeconds)
    {
        if (!Buffer.IsFull)
            throw new InvalidOperationException($"Collect a rollout ({nameof(CollectRollout)}) before updating.");
        float learningRate = PpoOptions.Evaluate(Options.LearningRate, progressRemaining, nameof(PpoOptions.LearningRate));
        float clipRange = PpoOptions.Evaluate(Options.ClipRange, progressRemaining, nameof(PpoOptions.ClipRange));
        float? valueClipRange = Options.ClipRangeVf is null ? null : PpoOptions.Evaluate(Options.ClipRangeVf, progressRemaining, nameof(PpoOptions.ClipRangeVf));
        var settings = new PpoLossSettings(clipRange, valueClipRange, Options.NormalizeAdvantage, Options.EntCoef, Options.VfCoef, Options.PolicyObjective, KlCoefficient);

        double policyLoss = 0, valueLoss = 0, entropyLoss = 0, approximateKl = 0, clipFraction = 0, gradientNorm = 0;
        int minibatches = 0, gradientSteps = 0, epochs = 0;
        float lastLoss = float.NaN;
        bool earlyStopped = false;
        int size = Buffer.Size;
        for (int epoch = 0; epoch < Options.NumEpochs && !earlyStopped; epoch++)
        {
            for (int i = 0; i < size; i++)
                _indices[i] = i;
            _random.Shuffle(_indices);

            for (int start = 0; start < size; start += Options.BatchSize)
            {
                int rows = Math.Min(Options.BatchSize, size - start);
                _minibatch.Gather(Buffer, _indices.AsSpan(start, rows));
                PpoLossResult loss = _minibatch.ComputeLoss(rows, settings);

                policyLoss += loss.Policy.Loss;
                valueLoss += loss.ValueLoss;
                entropyLoss += loss.EntropyLoss;
                approximateKl += loss.Policy.ApproximateKl;
                clipFraction += loss.Policy.ClipFraction;
                minibatches++;
                lastLoss = loss.Loss;

                // Stable-Baselines3 stops before the step that would take the policy too far from the old one.
                if (Options.TargetKl is float targetKl && loss.Policy.ApproximateKl > 1.5f * targetKl)
                {
                    earlyStopped = true;
                    break;
                }

                gradientNorm += _minibatch.ApplyGradients(rows, Options.MaxGradNorm, learningRate);
                gradientSteps++;
            }

            epochs++;
        }

        UpdateCount++;
        float klDivergence = float.NaN, klCoefficientUsed = float.NaN;
        if (settings.PenalizesKl)
        {
            klCoefficientUsed = KlCoefficient;
            klDivergence = RolloutKlDivergence();
            if (Options.AdaptiveKlTarget is float target)
                KlCoefficient = KlPenaltyControllers.Adaptive(KlCoefficient, klDivergence, target);
        }

        float referenceKl = float.NaN, referenceCoefficientUsed = float.NaN;
        if (_referencePolicy is not null)
        {
            referenceCoefficientUsed = ReferenceKlCoefficient;
            referenceKl = (float)(_referenceKlSum / Buffer.Size);
            if (Options.ReferenceKlTarget is float target)
                ReferenceKlCoefficient = KlPenaltyControllers.Proportional(ReferenceKlCoefficient, referenceKl, target, Buffer.Size, Options.ReferenceKlHorizon);
        }

        return new UpdateMetrics(
            Update: UpdateCount,
            TotalTimesteps: TotalTimesteps,
            PolicyLoss: (float)(policyLoss / minibatches),
            ValueLoss: (float)(valueLoss / minibatches),
            EntropyLoss: (float)(entropyLoss / minibatches),
            Loss: lastLoss,
            ApproximateKl: (float)(approximateKl / minibatches),
            ClipFraction: (float)(clipFraction / minibatches),
            ExplainedVariance: ExplainedVariance(Buffer.Values.AsSpan(), Buffer.Returns.AsSpan()),
            GradientNorm: gradientSteps == 0 ? float.NaN : (float)(gradientNorm / gradientSteps),
            LearningRate: learningRate,
            ClipRange: clipRange,
            EpochsCompleted: epochs,
            GradientSteps: gradientSteps,
            EarlyStopped: earlyStopped,
            StepsPerSecond: elapsedSeconds > 0 ? timestepsThisRun / elapsedSeconds : double.NaN,
            ElapsedSeconds: elapsedSeconds,
            MeanEpisodeReturn: _episodes.MeanReturn,
            MeanEpisodeLength: _episodes.MeanLength,
            EpisodesFinished: _episodes.TotalEpisodes,
            KlDivergence: klDivergence,
            KlCoefficient: klCoefficientUsed,
            ReferenceKl: referenceKl,
            ReferenceKlCoefficient: referenceCoefficientUsed);
    }

    /// <summary><c>1 − Var[y − ŷ] / Var[y]</c> with population variances, NaN when <c>Var[y] = 0</c> (Stable-Baselines3's <c>explained_variance</c>).</summary>
    private static float ExplainedVariance(ReadOnlySpan<float> predictions, ReadOnlySpan<float> targets)
    {
        int count = targets.Length;
        double targetSum = 0, residualSum = 0;
        for (int i = 0; i < count; i++)
        {
            targetSum += targets[i];
            residualSum += targets[i] - predictions[i];
        }

        double targetMean = targetSum / count, residualMean = residualSum / count;
        double targetVariance = 0, residualVariance = 0;
        for (int i = 0; i < count; i++)
        {
            double target = targets[i] - targetMean;
            double residual = targets[i] - predictions[i] - residualMean;
            targetVariance += target * target;
            residualVariance += residual * residual;
        }

        return targetVariance == 0 ? float.NaN : (float)(1.0 - residualVariance / targetVariance);
    }

    private static ActorCritic CreatePolicy(IVectorEnvironment environment, PpoOptions seededOptions, ActorCriticOptions? policyOptions)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return new ActorCritic(environment.ObservationSpace.Size, environment.ActionSpace, policyOptions, seededOptions.Device, DeriveSeed(seededOptions.Seed!.Value, stream: 0));
    }

    private static void CheckCompatible(IVectorEnvironment environment, ActorCritic policy, PpoOptions options)
    {
        if (environment.EnvironmentCount != options.NumEnvs)
            throw new ArgumentException($"{nameof(PpoOptions.NumEnvs)} is {options.NumEnvs} but the vector environment has {environment.EnvironmentCount} environments.", nameof(options));
        if (policy.ObservationSize != environment.ObservationSpace.Size)
            throw new ArgumentException($"The policy takes observations of {policy.ObservationSize} floats but the environment produces {environment.ObservationSpace.Size}.", nameof(policy));
        if (policy.ActionSpace.FlatSize != environment.ActionSpace.FlatSize || policy.ActionSpace.GetType() != environment.ActionSpace.GetType())
            throw new ArgumentException($"The policy acts in {policy.ActionSpace} but the environment expects {environment.ActionSpace}.", nameof(policy));
        if (policy.Device != options.Device)
            throw new ArgumentException($"The policy lives on {policy.Device} but {nameof(PpoOptions.Device)} is {options.Device}.", nameof(policy));
    }

    private static PpoOptions WithResolvedSeed(PpoOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return options.Seed.HasValue ? options : options with { Seed = System.Random.Shared.Next() };
    }

    /// <summary>Derives independent generator seeds (weights, sampling and shuffling) from one user seed.</summary>
    private static ulong DeriveSeed(int seed, int stream) => ((ulong)(uint)seed << 8) | (uint)stream;
}
