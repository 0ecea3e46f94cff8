using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Ppo.Environments;
using Ppo.Losses;
using Ppo.Policies;
using Ppo.Randomness;
using Ppo.Rollouts;

namespace Ppo.Training;

/// <summary>
/// Trains a policy with Proximal Policy Optimization (Schulman et al. 2017, Algorithm 1) on a vector of environments,
/// with Stable-Baselines3's hyperparameters and semantics. The policy is any <see cref="ILearner"/>; the convenience
/// constructors train the managed engine's <see cref="ActorCritic"/> (<see cref="ManagedLearner"/>).
/// </summary>
/// <remarks>
/// Each update collects <c>NumSteps</c> steps from every environment (<see cref="IRolloutCollector"/>), computes
/// advantages with GAE, then runs <c>NumEpochs</c> passes of shuffled minibatches: fused loss
/// (<see cref="ILearner.ComputeLoss"/>), then backward, global gradient clipping and the optimizer step
/// (<see cref="ILearner.ApplyGradients"/>). Every buffer is allocated here, so collecting and updating allocate nothing.
/// </remarks>
public sealed partial class PpoTrainer
{
    private static readonly Action<ILogger, int, int, int, int, int, int, Exception?> BatchSizeDoesNotDivideRollout = LoggerMessage.Define<int, int, int, int, int, int>(
        LogLevel.Warning,
        new EventId(1, nameof(BatchSizeDoesNotDivideRollout)),
        "BatchSize {BatchSize} does not divide the rollout of NumSteps × NumEnvs = {NumSteps} × {NumEnvs} = {RolloutSize} transitions: each epoch has {FullMinibatches} full minibatches and a last, smaller one of {LastMinibatch}. Pick a BatchSize that divides NumSteps × NumEnvs.");

    private readonly SeededRandom _random;
    private readonly IVectorEnvironment? _baseEnvironment;
    private readonly EpisodeStatistics _episodes = new();
    private readonly int[] _indices;
    private readonly Minibatch _minibatch;
    private readonly Listener _listener;
    private double _referenceKlSum;
    private int _rolloutRecoveries;
    private IPolicy? _referencePolicy;
    private TrainingCallback[] _callbacks = [];
    private TrainedPolicy? _trainedPolicy;
    private ILogger _logger = NullLogger.Instance;
    private bool _warnedAboutOptions;

    /// <summary>Creates a trainer with a new <see cref="ActorCritic"/> for the environment's spaces.</summary>
    /// <param name="environment">The environments; <see cref="PpoOptions.NumEnvs"/> is taken from their count (when set, it must equal it).</param>
    /// <param name="options">The hyperparameters.</param>
    /// <param name="policyOptions">The network architecture, or <see langword="null"/> for Stable-Baselines3's default.</param>
    /// <exception cref="ArgumentException">The options are invalid or do not match the environment (a <see cref="PpoOptions.NumEnvs"/> other than 0 and the environment count).</exception>
    public PpoTrainer(IVectorEnvironment environment, PpoOptions options, ActorCriticOptions? policyOptions = null)
        : this(environment, Resolve(options, environment), policyOptions, seedResolved: true)
    {
    }

    /// <summary>Creates a trainer that continues training <paramref name="policy"/> with a new Adam optimizer.</summary>
    /// <param name="environment">The environments; <see cref="PpoOptions.NumEnvs"/> is taken from their count (when set, it must equal it).</param>
    /// <param name="policy">The network to train; its spaces must match the environment's.</param>
    /// <param name="options">The hyperparameters.</param>
    /// <exception cref="ArgumentException">The options are invalid or do not match the environment or the policy.</exception>
    public PpoTrainer(IVectorEnvironment environment, ActorCritic policy, PpoOptions options)
        : this(environment, ManagedLearnerOn(policy, options), options)
    {
    }

    /// <summary>Creates a trainer that trains any learner on environments stepped in this process.</summary>
    /// <param name="environment">The environments; <see cref="PpoOptions.NumEnvs"/> is taken from their count (when set, it must equal it).</param>
    /// <param name="learner">The policy to train; its spaces must match the environment's.</param>
    /// <param name="options">The hyperparameters.</param>
    /// <exception cref="ArgumentException">The options are invalid or do not match the environment or the learner.</exception>
    public PpoTrainer(IVectorEnvironment environment, ILearner learner, PpoOptions options)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(learner);
        Options = Resolve(options, environment);
        _baseEnvironment = environment;
        if (Options.NormalizeObservations || Options.NormalizeRewards)
        {
            Normalization = new VectorNormalization(environment, Options.NormalizeObservations, Options.NormalizeRewards, Options.Gamma);
            environment = Normalization;
        }

        Environment = environment;
        Seed = Options.Seed!.Value;
        _random = new SeededRandom(DeriveSeed(Seed, stream: 1));
        int distributionParameterSize = KeepsDistributions(Options) ? learner.DistributionParameterSize : 0;
        Collector = new LocalRolloutCollector(environment, _random, Seed, distributionParameterSize, _baseEnvironment);
        (Learner, Buffer, _minibatch, _indices, _listener) = Prepare(Collector, learner, Options, this);
    }

    /// <summary>
    /// Creates a trainer that trains any learner on rollouts from any collector (for example, remote workers). The
    /// collector owns the environments, their normalization and their random streams; this trainer's own stream
    /// (seeded from <see cref="PpoOptions.Seed"/>) shuffles the minibatches.
    /// </summary>
    /// <param name="collector">The source of each update's rollout; <see cref="PpoOptions.NumEnvs"/> is taken from its environment count (when set, it must equal it).</param>
    /// <param name="learner">The policy to train; its spaces must match the collector's.</param>
    /// <param name="options">The hyperparameters; <see cref="PpoOptions.NormalizeObservations"/> and <see cref="PpoOptions.NormalizeRewards"/> must be off (normalization belongs to the collector).</param>
    /// <exception cref="ArgumentException">The options are invalid or do not match the collector or the learner.</exception>
    public PpoTrainer(IRolloutCollector collector, ILearner learner, PpoOptions options)
    {
        ArgumentNullException.ThrowIfNull(collector);
        ArgumentNullException.ThrowIfNull(learner);
        Options = Resolve(options, collector.EnvironmentCount);
        if (Options.NormalizeObservations || Options.NormalizeRewards)
            throw new ArgumentException($"{nameof(PpoOptions.NormalizeObservations)} and {nameof(PpoOptions.NormalizeRewards)} must be off with a rollout collector: normalize inside the collector's environments.", nameof(options));
        Seed = Options.Seed!.Value;
        _random = new SeededRandom(DeriveSeed(Seed, stream: 1));
        Collector = collector;
        (Learner, Buffer, _minibatch, _indices, _listener) = Prepare(collector, learner, Options, this);
    }

    private PpoTrainer(IVectorEnvironment environment, PpoOptions seededOptions, ActorCriticOptions? policyOptions, bool seedResolved)
        : this(environment, CreatePolicy(environment, seededOptions, policyOptions), seededOptions)
    {
        Debug.Assert(seedResolved && seededOptions.Seed.HasValue, "The seed is resolved before the policy is created.");
    }

    /// <summary>Gets the hyperparameters, with <see cref="PpoOptions.Seed"/> set to the seed in use and <see cref="PpoOptions.NumEnvs"/> to the number of environments.</summary>
    public PpoOptions Options { get; }

    /// <summary>
    /// Gets the environments trained on (wrapped in <see cref="Normalization"/> when normalization is on), or
    /// <see langword="null"/> when a custom <see cref="IRolloutCollector"/> steps them.
    /// </summary>
    public IVectorEnvironment? Environment { get; }

    /// <summary>Gets the source of each update's rollout.</summary>
    public IRolloutCollector Collector { get; }

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

    /// <summary>Gets the learner being trained.</summary>
    public ILearner Learner { get; }

    /// <summary>
    /// Gets the policy being trained, as the learner sees it: it takes normalized observations when normalization is on.
    /// Use <see cref="Predict"/> or <see cref="ToTrainedPolicy"/> to act on raw observations.
    /// </summary>
    public IPolicy Policy => Learner.Policy;

    /// <summary>Gets the rollout buffer of the last update.</summary>
    public RolloutBuffer Buffer { get; }

    /// <summary>Gets the seed in use: <see cref="PpoOptions.Seed"/>, or the one drawn when it was null.</summary>
    public int Seed { get; }

    /// <summary>Gets the environment steps collected so far, over every environment.</summary>
    public long TotalTimesteps { get; private set; }

    /// <summary>Gets the number of updates done so far.</summary>
    public int UpdateCount { get; private set; }

    /// <summary>
    /// Gets the value of <see cref="TotalTimesteps"/> at which the schedules of <see cref="PpoOptions.LearningRate"/>,
    /// <see cref="PpoOptions.ClipRange"/> and <see cref="PpoOptions.ClipRangeVf"/> started, at progress remaining 1:
    /// 0 for a new trainer, the count at the call of <see cref="StartNewSchedule"/> after it. Checkpoints keep it.
    /// </summary>
    public long ScheduleStartTimesteps { get; private set; }

    /// <summary>
    /// Gets the value of <see cref="TotalTimesteps"/> at which the schedules reach progress remaining 0: each
    /// <see cref="Learn"/> sets it to <see cref="TotalTimesteps"/> plus its budget (Stable-Baselines3's
    /// <c>learn(reset_num_timesteps=False)</c>); equal to <see cref="ScheduleStartTimesteps"/> before the first. Checkpoints keep it.
    /// </summary>
    public long ScheduleEndTimesteps { get; private set; }

    /// <summary>
    /// Gets the schedules' progress remaining at the current step count:
    /// <c>1 − (TotalTimesteps − ScheduleStartTimesteps) / (ScheduleEndTimesteps − ScheduleStartTimesteps)</c>, or 1
    /// before any budget is set. It is what the next update would use; it goes slightly below 0 on the last update of a
    /// budget that is not a multiple of the rollout, where the schedules clamp it.
    /// </summary>
    public double ProgressRemaining => ScheduleEndTimesteps == ScheduleStartTimesteps ? 1.0 : 1.0 - (double)(TotalTimesteps - ScheduleStartTimesteps) / (ScheduleEndTimesteps - ScheduleStartTimesteps);

    /// <summary>
    /// Gets or sets where the trainer reports what it notices about a run that works but is probably not what was
    /// meant, each once per trainer at its first rollout: today a <see cref="PpoOptions.BatchSize"/> that does not divide
    /// <c>NumSteps × NumEnvs</c> (warning event 1, <c>BatchSizeDoesNotDivideRollout</c>, as Stable-Baselines3 warns).
    /// </summary>
    /// <value>The default value is <see cref="NullLogger.Instance"/>, which discards the messages.</value>
    /// <exception cref="ArgumentNullException">The value is <see langword="null"/>.</exception>
    public ILogger Logger
    {
        get => _logger;
        set => _logger = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>Gets the current weight β of the KL penalty of the KL objectives (adapted after each update when <see cref="PpoOptions.AdaptiveKlTarget"/> is set).</summary>
    public float KlCoefficient { get; private set; }

    /// <summary>Gets the current weight β of the penalty toward <see cref="ReferencePolicy"/> (adapted after each rollout when <see cref="PpoOptions.ReferenceKlTarget"/> is set).</summary>
    public float ReferenceKlCoefficient { get; private set; }

    /// <summary>
    /// Gets or sets the frozen reference policy of the per-step KL penalty (<see cref="PpoOptions.ReferenceKlCoef"/>),
    /// for example the policy of a checkpoint loaded with <see cref="TrainedPolicy.Load(string)"/>. It sees the same observations
    /// as the trained policy and is never updated.
    /// </summary>
    /// <exception cref="ArgumentException">The reference's observation size or action space (kind, sizes, bounds) differs from the trained policy's.</exception>
    public IPolicy? ReferencePolicy
    {
        get => _referencePolicy;
        set
        {
            if (value is not null)
                PolicyCompatibility.ThrowIfMismatched(value, Policy, nameof(value));
            _referencePolicy = value;
        }
    }

    /// <summary>
    /// Chooses an action for each raw observation as the saved policy would: normalized first when
    /// <see cref="PpoOptions.NormalizeObservations"/> is on, then passed to <see cref="Policy"/>.
    /// </summary>
    /// <param name="observations">One or more raw observations, back to back.</param>
    /// <param name="actions">Receives one action per observation; continuous actions are clipped to the action space.</param>
    /// <param name="deterministic">Takes the most probable action (the default) instead of sampling.</param>
    /// <param name="random">The generator for sampling; required when <paramref name="deterministic"/> is false.</param>
    /// <exception cref="ArgumentException">The lengths do not match, an observation is not finite, or sampling has no generator.</exception>
    /// <remarks>Not thread-safe.</remarks>
    public void Predict(ReadOnlySpan<float> observations, Span<float> actions, bool deterministic = true, SeededRandom? random = null)
    {
        _trainedPolicy ??= ToTrainedPolicy();
        _trainedPolicy.Predict(observations, actions, deterministic, random);
    }

    /// <summary>
    /// Returns the policy together with the observation normalizer it is trained with, as <see cref="Save"/> stores them.
    /// Both are shared, not copied: training on changes what the result predicts.
    /// </summary>
    /// <returns>The policy for raw observations.</returns>
    public TrainedPolicy ToTrainedPolicy() => new(Policy, ObservationNormalizer);

    /// <summary>Gets the returns and lengths of the most recent finished training episodes.</summary>
    public EpisodeStatistics Episodes => _episodes;

    /// <summary>
    /// Trains for at least <paramref name="totalTimesteps"/> more environment steps: whole updates of
    /// <c>NumSteps × NumEnvs</c> steps until the count is reached (Stable-Baselines3's <c>learn</c>).
    /// </summary>
    /// <remarks>
    /// The schedules continue the run, as Stable-Baselines3's <c>learn(reset_num_timesteps=False)</c>: they go on from
    /// <see cref="ScheduleStartTimesteps"/> and reach progress remaining 0 at the end of this call's budget
    /// (<see cref="ScheduleEndTimesteps"/>). On a new trainer they run from 1 to 0 over this call; on a trainer loaded
    /// from a checkpoint saved during a call of budget <c>B</c> after <c>S</c> of its steps, <c>Learn(B − S)</c>
    /// continues exactly as the unbroken run. Call <see cref="StartNewSchedule"/> first to run them from 1 again.
    /// </remarks>
    /// <param name="totalTimesteps">The steps to collect, over every environment; at least 1.</param>
    /// <param name="callbacks">Called at the start, after each update, and at the end; any can stop training.</param>
    /// <returns>The metrics of the last update.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="totalTimesteps"/> is below 1.</exception>
    /// <exception cref="ArgumentException">An environment returned a NaN or infinite observation or reward.</exception>
    /// <exception cref="TrainingDivergedException">A minibatch's loss or gradient norm was NaN or infinite (raised before that step changed any weight).</exception>
    public UpdateMetrics Learn(long totalTimesteps, params TrainingCallback[] callbacks)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(totalTimesteps);
        ArgumentNullException.ThrowIfNull(callbacks);
        ScheduleEndTimesteps = TotalTimesteps + totalTimesteps;
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
            metrics = Update(ProgressRemaining, TotalTimesteps - startTimesteps, clock.Elapsed.TotalSeconds);
            foreach (TrainingCallback callback in callbacks)
                keepGoing &= callback.OnUpdate(this, metrics);
        }

        foreach (TrainingCallback callback in callbacks)
            callback.OnTrainingEnd(this);
        _callbacks = [];
        return metrics;
    }

    /// <summary>
    /// Starts the schedules afresh: the next <see cref="Learn"/> runs them from progress remaining 1 to 0 over its own
    /// budget, as every Stable-Baselines3 <c>learn</c> with <c>reset_num_timesteps=True</c> does. The step and update
    /// counts are kept. Without it, <see cref="Learn"/> continues the schedules of the run, also after <see cref="Load"/>.
    /// </summary>
    public void StartNewSchedule()
    {
        ScheduleStartTimesteps = TotalTimesteps;
        ScheduleEndTimesteps = TotalTimesteps;
    }

    /// <summary>
    /// Fills the rollout buffer with <c>NumSteps</c> steps of every environment and computes advantages and returns.
    /// Truncated episodes are bootstrapped with <c>γ·V(final observation)</c>.
    /// </summary>
    /// <remarks>A rollout aborted by an exception adds none of its steps to <see cref="TotalTimesteps"/>.</remarks>
    /// <exception cref="ArgumentException">An environment returned a NaN or infinite observation or reward.</exception>
    public void CollectRollout()
    {
        if (ReferenceKlCoefficient > 0f && _referencePolicy is null)
            throw new InvalidOperationException($"{nameof(PpoOptions.ReferenceKlCoef)} is {ReferenceKlCoefficient} but no {nameof(ReferencePolicy)} is set.");
        if (!_warnedAboutOptions)
            WarnAboutOptions();
        Buffer.Clear();
        long timestepsBefore = TotalTimesteps;
        RolloutSummary summary;
        try
        {
            summary = Collector.Collect(new RolloutRequest(Learner, Buffer, Options.Gamma, _listener, _referencePolicy, ReferenceKlCoefficient));
        }
        catch
        {
            TotalTimesteps = timestepsBefore;
            throw;
        }

        _referenceKlSum = summary.ReferenceLogRatioSum;
        _rolloutRecoveries = summary.Recoveries;
        Buffer.ComputeAdvantages(Options.Gamma, Options.GaeLambda);
    }

    /// <summary>
    /// Runs the epochs of minibatch updates on the collected rollout.
    /// </summary>
    /// <param name="progressRemaining">The remaining fraction of training, from 1 to 0, which drives the schedules.</param>
    /// <returns>The metrics of the update.</returns>
    /// <exception cref="TrainingDivergedException">A minibatch's loss or gradient norm was NaN or infinite (raised before that step changed any weight).</exception>
    public UpdateMetrics Update(double progressRemaining) => Update(progressRemaining, 0, double.NaN);

    /// <summary>Tells <see cref="Logger"/> once of options that work but are probably not meant.</summary>
    private void WarnAboutOptions()
    {
        _warnedAboutOptions = true;
        int rolloutSize = Options.RolloutSize, batchSize = Options.BatchSize;
        if (rolloutSize % batchSize != 0)
            BatchSizeDoesNotDivideRollout(_logger, batchSize, Options.NumSteps, Options.NumEnvs, rolloutSize, rolloutSize / batchSize, rolloutSize % batchSize, null);
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
            sum += (double)Learner.MeanKlDivergence(_minibatch) * rows;
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

        double policyLoss = 0, valueLoss = 0, entropyLoss = 0, approximateKl = 0, clipFraction = 0, ratioMean = 0, ratioStandardDeviation = 0, gradientNorm = 0;
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
                PpoLossResult loss = Learner.ComputeLoss(_minibatch, settings);
                if (!float.IsFinite(loss.Loss))
                    throw new TrainingDivergedException(UpdateCount + 1, epoch + 1, (start / Options.BatchSize) + 1, string.Create(CultureInfo.InvariantCulture, $"the loss is {loss.Loss} (policy loss {loss.Policy.Loss}, value loss {loss.ValueLoss}, entropy loss {loss.EntropyLoss})"));

                policyLoss += loss.Policy.Loss;
                valueLoss += loss.ValueLoss;
                entropyLoss += loss.EntropyLoss;
                approximateKl += loss.Policy.ApproximateKl;
                clipFraction += loss.Policy.ClipFraction;
                ratioMean += loss.Policy.RatioMean;
                ratioStandardDeviation += loss.Policy.RatioStandardDeviation;
                minibatches++;
                lastLoss = loss.Loss;

                // Stable-Baselines3 stops before the step that would take the policy too far from the old one.
                if (Options.TargetKl is float targetKl && loss.Policy.ApproximateKl > 1.5f * targetKl)
                {
                    earlyStopped = true;
                    break;
                }

                try
                {
                    gradientNorm += Learner.ApplyGradients(Options.MaxGradNorm, learningRate);
                }
                catch (NotFiniteNumberException exception)
                {
                    throw new TrainingDivergedException(UpdateCount + 1, epoch + 1, (start / Options.BatchSize) + 1, string.Create(CultureInfo.InvariantCulture, $"the gradient norm is {exception.OffendingNumber}"), exception);
                }

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
            ReferenceKlCoefficient: referenceCoefficientUsed,
            RatioMean: (float)(ratioMean / minibatches),
            RatioStandardDeviation: (float)(ratioStandardDeviation / minibatches),
            RolloutRecoveries: _rolloutRecoveries);
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
        return new ActorCritic(environment.ObservationSpace, environment.ActionSpace, policyOptions, seededOptions.Device, DeriveSeed(seededOptions.Seed!.Value, stream: 0));
    }

    private static ManagedLearner ManagedLearnerOn(ActorCritic policy, PpoOptions options)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(options);
        if (policy.Device != options.Device)
            throw new ArgumentException($"The policy lives on {policy.Device} but {nameof(PpoOptions.Device)} is {options.Device}.", nameof(policy));
        return new ManagedLearner(policy);
    }

    /// <summary>Checks that the learner fits the collector and allocates the buffers of the update.</summary>
    private static (ILearner Learner, RolloutBuffer Buffer, Minibatch Minibatch, int[] Indices, Listener Listener) Prepare(IRolloutCollector collector, ILearner learner, PpoOptions options, PpoTrainer trainer)
    {
        IPolicy policy = learner.Policy;
        PolicyCompatibility.ThrowIfMismatched(policy, collector.ObservationSpace, collector.ActionSpace, nameof(learner));

        int environmentCount = collector.EnvironmentCount;
        learner.Reserve(environmentCount, options.BatchSize);
        int distributionParameterSize = KeepsDistributions(options) ? learner.DistributionParameterSize : 0;
        int actionMaskLength = collector.ActionMaskLength;
        var buffer = new RolloutBuffer(options.NumSteps, environmentCount, policy.ObservationSize, policy.ActionSize, distributionParameterSize: distributionParameterSize, actionMaskLength: actionMaskLength);
        var minibatch = new Minibatch(options.BatchSize, policy.ObservationSize, policy.ActionSize, distributionParameterSize, actionMaskLength);
        trainer.KlCoefficient = options.KlCoef;
        trainer.ReferenceKlCoefficient = options.ReferenceKlCoef;
        return (learner, buffer, minibatch, new int[buffer.Size], new Listener(trainer));
    }

    private static bool KeepsDistributions(PpoOptions options) => options.PolicyObjective != PolicyObjective.ClippedSurrogate;

    private static PpoOptions Resolve(PpoOptions options, IVectorEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return Resolve(options, environment.EnvironmentCount);
    }

    /// <summary>Takes <see cref="PpoOptions.NumEnvs"/> from the environments, validates the options and draws a seed when none is set.</summary>
    private static PpoOptions Resolve(PpoOptions options, int environmentCount)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.NumEnvs != 0 && options.NumEnvs != environmentCount)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"{nameof(PpoOptions.NumEnvs)} is {options.NumEnvs} but the vector environment has {environmentCount} environments; leave {nameof(PpoOptions.NumEnvs)} at 0 to take the count from the environment."), nameof(options));
        PpoOptions resolved = (options.NumEnvs == environmentCount ? options : options with { NumEnvs = environmentCount }).Validate();
        return resolved.Seed.HasValue ? resolved : resolved with { Seed = System.Random.Shared.Next() };
    }

    /// <summary>Derives independent generator seeds (weights, sampling and shuffling) from one user seed.</summary>
    private static ulong DeriveSeed(int seed, int stream) => ((ulong)(uint)seed << 8) | (uint)stream;

    /// <summary>Counts the steps and passes finished episodes to the statistics and the callbacks while a rollout is collected.</summary>
    private sealed class Listener(PpoTrainer trainer) : IRolloutListener
    {
        public void OnSteps(int environmentSteps) => trainer.TotalTimesteps += environmentSteps;

        public void OnEpisodeEnd(double episodeReturn, int length)
        {
            trainer._episodes.Add(episodeReturn, length);
            foreach (TrainingCallback callback in trainer._callbacks)
                callback.OnEpisodeEnd(trainer, episodeReturn, length);
        }
    }
}
