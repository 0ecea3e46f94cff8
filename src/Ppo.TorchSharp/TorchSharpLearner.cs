using Ppo.Checkpoints;
using Ppo.Environments;
using Ppo.Losses;
using Ppo.Policies;
using Ppo.Randomness;
using Ppo.Rollouts;
using Ppo.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Ppo.TorchSharp;

/// <summary>
/// The TorchSharp engine as a learner for <see cref="PpoTrainer"/>: a <see cref="TorchActorCritic"/> trained with the
/// loss of Stable-Baselines3's <c>PPO.train</c> by autograd, <c>clip_grad_norm_</c> and <c>torch.optim.Adam</c>
/// (eps 1e-5), on the CPU or a CUDA device.
/// </summary>
/// <remarks>
/// <para>Acting runs under <c>no_grad</c> and samples with a <c>torch.Generator</c> seeded, at each call, from the
/// trainer's generator, so a run depends only on its seed and a resumed run continues exactly. The rollout buffer stays
/// in host memory; each minibatch moves to the device in one copy per column. Every call works in its own dispose
/// scope; only the loss graph between <see cref="ComputeLoss"/> and <see cref="ApplyGradients"/> outlives one, so
/// native memory stays flat over a run.</para>
/// <para>Under action masks (Discrete and MultiDiscrete spaces) it follows the managed engine's contract: the logits of
/// invalid actions are replaced by <see cref="Distributions.MaskedCategorical.MaskedLogit"/> when acting, and the loss
/// and the KL divergence evaluate the policy under <see cref="Minibatch.ActionMasks"/>, the masks of collection.</para>
/// <para>Checkpoint sections: <c>TSSP</c> (the spaces), <c>TSMD</c> (the module's parameters, TorchSharp's
/// <c>Module.save</c> format) and <c>TSOP</c> (the optimizer state). Loading needs the module's code, given as a
/// factory to <see cref="RegisterFactory"/>.</para>
/// </remarks>
public sealed class TorchSharpLearner : IMaskableLearner, IDisposable
{
    /// <summary>The <see cref="ILearner.Kind"/> of the TorchSharp engine.</summary>
    public const string LearnerKind = "torchsharp";

    private const string SpacesSection = "TSSP";
    private const string ModuleSection = "TSMD";
    private const string OptimizerSection = "TSOP";

    private readonly Adam _optimizer;
    private readonly Parameter[] _parameters;
    private readonly Generator _generator;
    private readonly TorchSharpPolicy _policy;
    private Tensor _actObservations;
    private Tensor _actActionMasks;
    private readonly Tensor[] _minibatchColumns = new Tensor[7];
    private Tensor _minibatchActionMasks;
    private int _maxActRows;
    private int _maxMinibatchRows;
    private Tensor? _pendingLoss;

    /// <summary>Creates a learner that trains <paramref name="network"/>, moving it to the device of <paramref name="options"/>.</summary>
    /// <param name="network">The actor-critic to train.</param>
    /// <param name="options">The device and threads, or <see langword="null"/> for the CPU with libtorch's threads.</param>
    /// <param name="learningRate">The initial Adam step size (the trainer sets each step's own).</param>
    /// <exception cref="LibTorchUnavailableException">libtorch cannot be loaded, or the CUDA device is not available.</exception>
    public TorchSharpLearner(TorchActorCritic network, TorchSharpOptions? options = null, float learningRate = 3e-4f)
    {
        ArgumentNullException.ThrowIfNull(network);
        Options = (options ?? new TorchSharpOptions()).Validate();
        Device = TorchRuntime.Device(Options.Device, Options.DeviceIndex);
        if (Options.Threads is int threads)
            set_num_threads(threads);
        Network = network;
        Network.to(Device);
        _parameters = [.. Network.parameters()];
        _optimizer = optim.Adam(_parameters, learningRate, eps: 1e-5);
        _generator = new Generator(0, Device);
        _policy = new TorchSharpPolicy(network, Device);
        _actObservations = empty(0);
        _actActionMasks = empty(0, dtype: ScalarType.Bool);
        _minibatchActionMasks = empty(0, dtype: ScalarType.Bool);
    }

    /// <summary>Gets the network being trained.</summary>
    public TorchActorCritic Network { get; }

    /// <summary>Gets the device and threads.</summary>
    public TorchSharpOptions Options { get; }

    /// <summary>Gets the device the network computes on.</summary>
    public Device Device { get; }

    /// <inheritdoc/>
    public string Kind => LearnerKind;

    /// <inheritdoc/>
    public IPolicy Policy => _policy;

    /// <inheritdoc/>
    public int DistributionParameterSize => Network.Distribution.DistributionParameterSize;

    /// <inheritdoc/>
    /// <remarks>0 for action spaces that cannot be masked.</remarks>
    public int ActionMaskLength => Network.Distribution.ActionMaskLength;

    /// <summary>
    /// Creates the learner for an environment's spaces with Stable-Baselines3's policy for them: <c>CnnPolicy</c> (a
    /// <see cref="NatureCnn"/> extractor) for rank-3 image observations, <c>MlpPolicy</c> with the given architecture otherwise.
    /// </summary>
    /// <param name="observationSpace">The observation space.</param>
    /// <param name="actionSpace">The action space: a <see cref="DiscreteSpace"/> or a <see cref="BoxSpace"/>.</param>
    /// <param name="options">The PPO options; the learning rate and the seed (of the initial weights) are read.</param>
    /// <param name="torchOptions">The device and threads, or <see langword="null"/> for the CPU.</param>
    /// <param name="architecture">The MLP architecture, or <see langword="null"/> for Stable-Baselines3's defaults; ignored for images.</param>
    /// <returns>The learner.</returns>
    /// <exception cref="LibTorchUnavailableException">libtorch cannot be loaded, or the CUDA device is not available.</exception>
    public static TorchSharpLearner Create(BoxSpace observationSpace, Space actionSpace, PpoOptions options, TorchSharpOptions? torchOptions = null, ActorCriticOptions? architecture = null)
    {
        ArgumentNullException.ThrowIfNull(observationSpace);
        ArgumentNullException.ThrowIfNull(actionSpace);
        ArgumentNullException.ThrowIfNull(options);
        ulong seed = (ulong)(options.Seed ?? 0);
        TorchActorCritic network = observationSpace.Rank == 3
            ? TorchPolicies.Cnn(observationSpace, actionSpace, seed: seed, logStdInit: architecture?.LogStdInit ?? 0f)
            : TorchPolicies.Mlp(observationSpace, actionSpace, architecture, seed);
        return new TorchSharpLearner(network, torchOptions, (float)options.LearningRate.ValueAt(1.0));
    }

    /// <summary>
    /// Registers the factory that loads TorchSharp checkpoints, for resuming (<see cref="PpoTrainer"/>) and for
    /// <see cref="TrainedPolicy.Load(string)"/>: TorchSharp needs the module's code, which <paramref name="moduleFactory"/> supplies.
    /// </summary>
    /// <param name="moduleFactory">Builds an actor-critic of the saved architecture for the saved spaces; its parameters are then overwritten.</param>
    /// <param name="options">The device and threads of loaded learners and policies, or <see langword="null"/> for the CPU.</param>
    public static void RegisterFactory(Func<BoxSpace, Space, TorchActorCritic> moduleFactory, TorchSharpOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(moduleFactory);
        LearnerRegistry.Register(new TorchSharpLearnerFactory(moduleFactory, options));
    }

    /// <inheritdoc/>
    public void Reserve(int maxActRows, int maxMinibatchRows)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxActRows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxMinibatchRows);
        if (maxActRows > _maxActRows)
        {
            _maxActRows = maxActRows;
            _actObservations.Dispose();
            _actObservations = zeros(maxActRows, Network.ObservationSize).DetachFromDisposeScope();
            _actActionMasks.Dispose();
            _actActionMasks = zeros(maxActRows, ActionMaskLength, dtype: ScalarType.Bool).DetachFromDisposeScope();
        }

        if (maxMinibatchRows > _maxMinibatchRows)
        {
            _maxMinibatchRows = maxMinibatchRows;
            int[] widths = [Network.ObservationSize, Network.ActionSize, 1, 1, 1, 1, Math.Max(DistributionParameterSize, 1)];
            for (int i = 0; i < widths.Length; i++)
            {
                _minibatchColumns[i]?.Dispose();
                _minibatchColumns[i] = (widths[i] == 1 && i is >= 2 and <= 5 ? zeros(maxMinibatchRows) : zeros(maxMinibatchRows, widths[i])).DetachFromDisposeScope();
            }

            _minibatchActionMasks.Dispose();
            _minibatchActionMasks = zeros(maxMinibatchRows, ActionMaskLength, dtype: ScalarType.Bool).DetachFromDisposeScope();
        }
    }

    /// <inheritdoc/>
    public void Act(ReadOnlySpan<float> observations, SeededRandom random, Span<float> actions, Span<float> logProbabilities, Span<float> values, Span<float> distributionParameters) =>
        Act(observations, [], random, actions, logProbabilities, values, distributionParameters);

    /// <inheritdoc/>
    /// <remarks>With masks, the head output is masked (<see cref="TorchDistribution.ApplyMask"/>) before sampling, so the log-probabilities and distribution parameters are the masked distribution's.</remarks>
    public void Act(ReadOnlySpan<float> observations, ReadOnlySpan<bool> actionMasks, SeededRandom random, Span<float> actions, Span<float> logProbabilities, Span<float> values, Span<float> distributionParameters)
    {
        ArgumentNullException.ThrowIfNull(random);
        int rows = CheckActRows(observations, logProbabilities.Length);
        if (!actionMasks.IsEmpty)
            Network.CheckActionMasks(actionMasks, rows);
        using DisposeScope scope = NewDisposeScope();
        using IDisposable noGradient = no_grad();
        (Tensor headOutput, Tensor predicted) = Network.Forward(HostTensors.Upload(_actObservations, observations, rows, Device));
        if (!actionMasks.IsEmpty)
            headOutput = Network.Distribution.ApplyMask(headOutput, HostTensors.Upload(_actActionMasks, actionMasks, rows, Device));
        _generator.manual_seed((long)random.NextUInt64());
        Tensor sampled = Network.Distribution.Sample(headOutput, _generator);
        HostTensors.Download(sampled, actions);
        HostTensors.Download(Network.Distribution.LogProbabilities(headOutput, sampled), logProbabilities);
        HostTensors.Download(predicted, values);
        if (!distributionParameters.IsEmpty)
            HostTensors.Download(Network.Distribution.DistributionParameters(headOutput), distributionParameters);
    }

    /// <inheritdoc/>
    public void PredictValues(ReadOnlySpan<float> observations, Span<float> values)
    {
        int rows = CheckActRows(observations, values.Length);
        using DisposeScope scope = NewDisposeScope();
        using IDisposable noGradient = no_grad();
        HostTensors.Download(Network.PredictValues(HostTensors.Upload(_actObservations, observations, rows, Device)), values);
    }

    /// <inheritdoc/>
    public PpoLossResult ComputeLoss(Minibatch minibatch, PpoLossSettings settings)
    {
        _pendingLoss?.Dispose();
        _pendingLoss = null;
        using DisposeScope scope = NewDisposeScope();
        Columns columns = Upload(minibatch, settings.PenalizesKl);
        (Tensor headOutput, Tensor values) = Network.Forward(columns.Observations);
        TorchDistribution distribution = Network.Distribution;
        if (columns.ActionMasks is not null)
            headOutput = distribution.ApplyMask(headOutput, columns.ActionMasks);
        Tensor logProbabilities = distribution.LogProbabilities(headOutput, columns.Actions);
        Tensor entropy = distribution.Entropy(headOutput);
        Tensor? klDivergence = settings.PenalizesKl ? distribution.KlDivergence(columns.OldDistributionParameters!, headOutput) : null;
        (Tensor loss, PpoLossResult result) = TorchPpoLoss.Compute(logProbabilities, columns.OldLogProbabilities, columns.Advantages, values, columns.OldValues, columns.Returns, entropy, klDivergence, settings);
        _pendingLoss = loss.DetachFromDisposeScope();
        return result;
    }

    /// <inheritdoc/>
    /// <exception cref="InvalidOperationException">No loss was computed, or the gradient norm is not finite (the weights are left unchanged).</exception>
    public float ApplyGradients(float maxGradientNorm, float learningRate)
    {
        Tensor loss = _pendingLoss ?? throw new InvalidOperationException($"Compute a loss ({nameof(ComputeLoss)}) before applying its gradients.");
        _pendingLoss = null;
        using DisposeScope scope = NewDisposeScope();
        _optimizer.zero_grad();
        loss.backward();
        loss.Dispose();
        double norm = nn.utils.clip_grad_norm_(_parameters, maxGradientNorm);
        if (!double.IsFinite(norm))
            throw new InvalidOperationException($"The gradient norm is {norm}; the optimizer step was not taken and the weights are unchanged.");
        foreach (var group in _optimizer.ParamGroups)
            group.LearningRate = learningRate;
        _optimizer.step();
        return (float)norm;
    }

    /// <inheritdoc/>
    public float MeanKlDivergence(Minibatch minibatch)
    {
        using DisposeScope scope = NewDisposeScope();
        using IDisposable noGradient = no_grad();
        Columns columns = Upload(minibatch, withDistributions: true);
        (Tensor headOutput, _) = Network.Forward(columns.Observations);
        if (columns.ActionMasks is not null)
            headOutput = Network.Distribution.ApplyMask(headOutput, columns.ActionMasks);
        return Network.Distribution.KlDivergence(columns.OldDistributionParameters!, headOutput).mean().cpu().item<float>();
    }

    /// <inheritdoc/>
    /// <exception cref="InvalidOperationException">A parameter holds NaN or an infinity (training diverged); nothing is added.</exception>
    public void Save(CheckpointSections sections)
    {
        ArgumentNullException.ThrowIfNull(sections);
        RequireFiniteParameters();
        sections.Add(SpacesSection, writer => SpaceSerialization.Write(writer, Network.ObservationSpace, Network.ActionSpace));
        sections.Add(ModuleSection, writer => Network.save(writer));
        sections.Add(OptimizerSection, writer => _optimizer.save_state_dict(writer));
    }

    /// <summary>Releases the native tensors of the network, the optimizer and the staging buffers.</summary>
    public void Dispose()
    {
        _pendingLoss?.Dispose();
        _actObservations.Dispose();
        _actActionMasks.Dispose();
        _minibatchActionMasks.Dispose();
        foreach (Tensor? column in _minibatchColumns)
            column?.Dispose();
        _optimizer.Dispose();
        _generator.Dispose();
        _policy.Dispose();
    }

    internal void LoadOptimizerState(BinaryReader reader) => _optimizer.load_state_dict(reader);

    /// <summary>Refuses to checkpoint weights that no later run could use, as the managed engine's checkpoints do.</summary>
    private void RequireFiniteParameters()
    {
        using DisposeScope scope = NewDisposeScope();
        using (no_grad())
        {
            foreach ((string name, Parameter parameter) in Network.named_parameters())
            {
                if (!isfinite(parameter).all().item<bool>())
                    throw new InvalidOperationException($"The parameter {name} holds a non-finite value; a checkpoint of it could not be used, so none is written. Training diverged: continue from an earlier checkpoint, and see {nameof(TrainingDivergedException)} for the usual causes.");
            }
        }
    }

    private int CheckActRows(ReadOnlySpan<float> observations, int rows)
    {
        if (rows < 1 || rows > _maxActRows)
            throw new ArgumentOutOfRangeException(nameof(rows), rows, $"The learner acts on between 1 and {_maxActRows} observations at once (call {nameof(Reserve)} for more).");
        if (observations.Length != rows * Network.ObservationSize)
            throw new ArgumentException($"observations must hold {rows} observations of {Network.ObservationSize} floats (was {observations.Length}).", nameof(observations));
        return rows;
    }

    private Columns Upload(Minibatch minibatch, bool withDistributions)
    {
        ArgumentNullException.ThrowIfNull(minibatch);
        int rows = minibatch.RowCount;
        if (rows < 1 || rows > _maxMinibatchRows)
            throw new ArgumentException($"The learner takes minibatches of 1 to {_maxMinibatchRows} rows (was {rows}; call {nameof(Reserve)} for more).", nameof(minibatch));
        if (minibatch.ObservationSize != Network.ObservationSize || minibatch.ActionSize != Network.ActionSize)
            throw new ArgumentException($"The minibatch holds observations of {minibatch.ObservationSize} floats and actions of {minibatch.ActionSize}; the network takes {Network.ObservationSize} and {Network.ActionSize}.", nameof(minibatch));
        if (withDistributions && minibatch.DistributionParameterSize != DistributionParameterSize)
            throw new ArgumentException($"The KL objectives need the minibatch's distribution parameters ({DistributionParameterSize} floats per row; it keeps {minibatch.DistributionParameterSize}).", nameof(minibatch));
        if (minibatch.ActionMaskLength != 0 && minibatch.ActionMaskLength != ActionMaskLength)
            throw new ArgumentException($"The minibatch keeps action masks of {minibatch.ActionMaskLength} flags; the policy's action space {Network.ActionSpace} takes {ActionMaskLength}.", nameof(minibatch));
        return new Columns(
            HostTensors.Upload(_minibatchColumns[0], minibatch.Observations, rows, Device),
            HostTensors.Upload(_minibatchColumns[1], minibatch.Actions, rows, Device),
            HostTensors.Upload(_minibatchColumns[2], minibatch.OldLogProbabilities, rows, Device),
            HostTensors.Upload(_minibatchColumns[3], minibatch.Advantages, rows, Device),
            HostTensors.Upload(_minibatchColumns[4], minibatch.Returns, rows, Device),
            HostTensors.Upload(_minibatchColumns[5], minibatch.OldValues, rows, Device),
            withDistributions ? HostTensors.Upload(_minibatchColumns[6], minibatch.OldDistributionParameters, rows, Device) : null,
            minibatch.ActionMaskLength > 0 ? UploadActionMasks(minibatch, rows) : null);
    }

    private Tensor UploadActionMasks(Minibatch minibatch, int rows)
    {
        Network.CheckActionMasks(minibatch.ActionMasks, rows);
        return HostTensors.Upload(_minibatchActionMasks, minibatch.ActionMasks, rows, Device);
    }

    private readonly record struct Columns(Tensor Observations, Tensor Actions, Tensor OldLogProbabilities, Tensor Advantages, Tensor Returns, Tensor OldValues, Tensor? OldDistributionParameters, Tensor? ActionMasks);

    private sealed class TorchSharpLearnerFactory(Func<BoxSpace, Space, TorchActorCritic> moduleFactory, TorchSharpOptions? options) : ILearnerFactory
    {
        public string Kind => LearnerKind;

        public ILearner LoadLearner(CheckpointSections sections, PpoOptions ppoOptions)
        {
            ArgumentNullException.ThrowIfNull(sections);
            ArgumentNullException.ThrowIfNull(ppoOptions);
            var learner = new TorchSharpLearner(ReadNetwork(sections), options, (float)ppoOptions.LearningRate.ValueAt(1.0));
            sections.Read(OptimizerSection, learner.LoadOptimizerState);
            return learner;
        }

        public IPolicy LoadPolicy(CheckpointSections sections)
        {
            ArgumentNullException.ThrowIfNull(sections);
            TorchSharpOptions resolved = (options ?? new TorchSharpOptions()).Validate();
            Device device = TorchRuntime.Device(resolved.Device, resolved.DeviceIndex);
            TorchActorCritic network = ReadNetwork(sections);
            network.to(device);
            return new TorchSharpPolicy(network, device);
        }

        private TorchActorCritic ReadNetwork(CheckpointSections sections)
        {
            (BoxSpace observationSpace, Space actionSpace) = sections.Read(SpacesSection, SpaceSerialization.Read);
            TorchActorCritic network = moduleFactory(observationSpace, actionSpace)
                ?? throw new CheckpointException("The TorchSharp module factory returned null.");
            sections.Read(ModuleSection, reader =>
            {
                try
                {
                    network.load(reader);
                }
                catch (ArgumentException exception)
                {
                    throw new CheckpointException($"The checkpoint's module does not match the factory's ({exception.Message}); register the factory that built the saved module.", exception);
                }
            });
            return network;
        }
    }
}
