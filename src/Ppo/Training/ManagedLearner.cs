using Ppo.Checkpoints;
using Ppo.Internal;
using Ppo.Losses;
using Ppo.Optimization;
using Ppo.Policies;
using Ppo.Randomness;
using Ppo.Rollouts;
using Ppo.Tensors;

namespace Ppo.Training;

/// <summary>
/// The managed engine as a learner: an <see cref="ActorCritic"/> network computed by the managed SIMD kernels, trained
/// by <see cref="Adam"/> with global gradient-norm clipping. Every buffer is allocated by the constructor and
/// <see cref="Reserve"/>; acting, evaluating and updating allocate nothing after that.
/// </summary>
/// <remarks>
/// A minibatch step is one forward pass of actor and critic with the fused PPO loss (<see cref="ComputeLoss"/>), then
/// one backward pass, <c>clip_grad_norm_</c> and an Adam step (<see cref="ApplyGradients"/>), as Stable-Baselines3's
/// <c>PPO.train</c> does it. Checkpoint sections: <c>ARCH</c> (observation size, action space, architecture),
/// <c>PARM</c> (parameters) and <c>ADAM</c> (optimizer state).
/// </remarks>
public sealed class ManagedLearner : IMaskableLearner
{
    /// <summary>The <see cref="ILearner.Kind"/> of the managed engine.</summary>
    public const string LearnerKind = "managed";

    private const string ArchitectureSection = "ARCH";
    private const string ParametersSection = "PARM";
    private const string OptimizerSection = "ADAM";

    private Tensor _actObservations;
    private Tensor _actActions;
    private Tensor _actLogProbabilities;
    private Tensor _actValues;
    private Tensor _actDistributionParameters;
    private bool[] _actActionMasks = [];
    private Tensor _logProbabilities;
    private Tensor _entropy;
    private Tensor _values;
    private Tensor _logProbabilityGradient;
    private Tensor _entropyGradient;
    private Tensor _valueGradient;
    private Tensor _klDivergence;
    private Tensor _klGradient;
    private int _maxActRows;
    private int _maxMinibatchRows;
    private int _lastRowCount;
    private bool _lastLossPenalizedKl;

    /// <summary>Creates a learner that trains <paramref name="network"/>, with a new Adam optimizer unless one is given.</summary>
    /// <param name="network">The network to train.</param>
    /// <param name="optimizer">The optimizer over <c>network.Parameters</c>, or <see langword="null"/> for a new <see cref="Adam"/> with PPO's settings (eps 1e-5).</param>
    /// <exception cref="ArgumentException">The optimizer's buffers are not the network's parameters.</exception>
    public ManagedLearner(ActorCritic network, Adam? optimizer = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        Network = network;
        Optimizer = optimizer ?? new Adam(network.Parameters.Values, network.Parameters.Gradients);
        if (Optimizer.FirstMoment.Length != network.Parameters.Count)
            throw new ArgumentException($"The optimizer holds {Optimizer.FirstMoment.Length} moments but the network has {network.Parameters.Count} parameters.", nameof(optimizer));
        _actObservations = _actActions = _actLogProbabilities = _actValues = _actDistributionParameters = Tensor.Zeros(1);
        _logProbabilities = _entropy = _values = _logProbabilityGradient = _entropyGradient = _valueGradient = _klDivergence = _klGradient = Tensor.Zeros(1);
    }

    /// <summary>Gets the network being trained.</summary>
    public ActorCritic Network { get; }

    /// <summary>Gets the optimizer.</summary>
    public Adam Optimizer { get; }

    /// <inheritdoc/>
    public string Kind => LearnerKind;

    /// <inheritdoc/>
    public IPolicy Policy => Network;

    /// <inheritdoc/>
    public int DistributionParameterSize => Network.DistributionParameterSize;

    /// <inheritdoc/>
    /// <remarks>0 for action spaces that cannot be masked.</remarks>
    public int ActionMaskLength => Network.ActionMaskLength;

    /// <summary>Gets the factory that reads this kind from checkpoints.</summary>
    internal static ILearnerFactory Factory { get; } = new ManagedLearnerFactory();

    /// <inheritdoc/>
    public void Reserve(int maxActRows, int maxMinibatchRows)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxActRows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxMinibatchRows);
        Network.Resize(Math.Max(maxActRows, maxMinibatchRows));
        Device device = Network.Device;
        if (maxActRows > _maxActRows)
        {
            _maxActRows = maxActRows;
            _actObservations = device.Zeros(maxActRows, Network.ObservationSize);
            _actActions = device.Zeros(maxActRows, Network.ActionSize);
            _actLogProbabilities = device.Zeros(maxActRows);
            _actValues = device.Zeros(maxActRows);
            _actDistributionParameters = device.Zeros(maxActRows, Network.DistributionParameterSize);
            _actActionMasks = new bool[maxActRows * Network.ActionMaskLength];
        }

        if (maxMinibatchRows > _maxMinibatchRows)
        {
            _maxMinibatchRows = maxMinibatchRows;
            _logProbabilities = device.Zeros(maxMinibatchRows);
            _entropy = device.Zeros(maxMinibatchRows);
            _values = device.Zeros(maxMinibatchRows);
            _logProbabilityGradient = device.Zeros(maxMinibatchRows);
            _entropyGradient = device.Zeros(maxMinibatchRows);
            _valueGradient = device.Zeros(maxMinibatchRows);
            _klDivergence = device.Zeros(maxMinibatchRows);
            _klGradient = device.Zeros(maxMinibatchRows);
        }
    }

    /// <inheritdoc/>
    public void Act(ReadOnlySpan<float> observations, SeededRandom random, Span<float> actions, Span<float> logProbabilities, Span<float> values, Span<float> distributionParameters) =>
        Act(observations, [], random, actions, logProbabilities, values, distributionParameters);

    /// <inheritdoc/>
    public void Act(ReadOnlySpan<float> observations, ReadOnlySpan<bool> actionMasks, SeededRandom random, Span<float> actions, Span<float> logProbabilities, Span<float> values, Span<float> distributionParameters)
    {
        ArgumentNullException.ThrowIfNull(random);
        int rows = CopyActObservations(observations, logProbabilities.Length);
        ReadOnlyMemory<bool> masks = default;
        if (!actionMasks.IsEmpty)
        {
            if (ActionMaskLength == 0)
                throw new ArgumentException($"Action masks need a Discrete or MultiDiscrete action space (the policy acts in {Network.ActionSpace}).", nameof(actionMasks));
            Guard.HasLength(actionMasks, rows * ActionMaskLength, nameof(actionMasks));
            actionMasks.CopyTo(_actActionMasks);
            masks = _actActionMasks.AsMemory(0, actionMasks.Length);
        }

        Guard.HasLength(actions, rows * Network.ActionSize, nameof(actions));
        Guard.HasLength(values, rows, nameof(values));
        bool keepsDistributions = !distributionParameters.IsEmpty;
        if (keepsDistributions)
            Guard.HasLength(distributionParameters, rows * DistributionParameterSize, nameof(distributionParameters));
        Network.Act(_actObservations, rows, random, deterministic: false, _actActions, _actLogProbabilities, _actValues, keepsDistributions ? _actDistributionParameters : null, masks);
        _actActions.AsSpan()[..actions.Length].CopyTo(actions);
        _actLogProbabilities.AsSpan()[..rows].CopyTo(logProbabilities);
        _actValues.AsSpan()[..rows].CopyTo(values);
        if (keepsDistributions)
            _actDistributionParameters.AsSpan()[..distributionParameters.Length].CopyTo(distributionParameters);
    }

    /// <inheritdoc/>
    public void PredictValues(ReadOnlySpan<float> observations, Span<float> values)
    {
        int rows = CopyActObservations(observations, values.Length);
        Network.PredictValues(_actObservations, rows, _actValues);
        _actValues.AsSpan()[..rows].CopyTo(values);
    }

    /// <inheritdoc/>
    public PpoLossResult ComputeLoss(Minibatch minibatch, PpoLossSettings settings)
    {
        int rows = CheckMinibatch(minibatch);
        _lastRowCount = rows;
        _lastLossPenalizedKl = settings.PenalizesKl;
        Tensor? klDivergence = _lastLossPenalizedKl ? _klDivergence : null;
        Tensor? oldDistributionParameters = _lastLossPenalizedKl ? OldDistributionParameters(minibatch) : null;
        Network.Evaluate(minibatch.ObservationTensor, minibatch.ActionTensor, rows, _logProbabilities, _entropy, _values, oldDistributionParameters, klDivergence, minibatch.ActionMaskMemory);
        return PpoLoss.Compute(
            _logProbabilities.AsSpan()[..rows],
            minibatch.OldLogProbabilities,
            minibatch.Advantages,
            _values.AsSpan()[..rows],
            minibatch.OldValues,
            minibatch.Returns,
            _entropy.AsSpan()[..rows],
            _lastLossPenalizedKl ? _klDivergence.AsSpan()[..rows] : [],
            settings,
            _logProbabilityGradient.AsSpan()[..rows],
            _valueGradient.AsSpan()[..rows],
            _entropyGradient.AsSpan()[..rows],
            _lastLossPenalizedKl ? _klGradient.AsSpan()[..rows] : []);
    }

    /// <inheritdoc/>
    public float ApplyGradients(float maxGradientNorm, float learningRate)
    {
        if (_lastRowCount == 0)
            throw new InvalidOperationException($"Compute a loss ({nameof(ComputeLoss)}) before applying its gradients.");
        if (!float.IsFinite(maxGradientNorm) || maxGradientNorm <= 0f)
            throw new ArgumentOutOfRangeException(nameof(maxGradientNorm), maxGradientNorm, "maxGradientNorm must be finite and > 0.");
        float norm = Network.BackwardClipAndStep(_logProbabilityGradient, _entropyGradient, _valueGradient, _lastRowCount, _lastLossPenalizedKl ? _klGradient : null, maxGradientNorm, Optimizer, learningRate);
        if (!float.IsFinite(norm))
            throw new NotFiniteNumberException($"The global gradient norm is {norm}; the optimizer step was not taken.", norm);
        return norm;
    }

    /// <inheritdoc/>
    public float MeanKlDivergence(Minibatch minibatch)
    {
        int rows = CheckMinibatch(minibatch);
        Network.Evaluate(minibatch.ObservationTensor, minibatch.ActionTensor, rows, _logProbabilities, _entropy, _values, OldDistributionParameters(minibatch), _klDivergence, minibatch.ActionMaskMemory);
        double sum = 0;
        foreach (float value in _klDivergence.Rows(rows))
            sum += value;
        return (float)(sum / rows);
    }

    /// <inheritdoc/>
    public void Save(CheckpointSections sections)
    {
        ArgumentNullException.ThrowIfNull(sections);
        sections.Add(ArchitectureSection, writer => ArchitectureSerialization.Write(writer, Network));
        sections.Add(ParametersSection, writer => BinaryData.WriteFiniteFloats(writer, Network.Parameters.Values.AsSpan(), "policy's parameters"));
        sections.Add(OptimizerSection, writer =>
        {
            writer.Write(Optimizer.StepCount);
            BinaryData.WriteFiniteFloats(writer, Optimizer.FirstMoment.AsSpan(), "optimizer's first moments");
            BinaryData.WriteFiniteFloats(writer, Optimizer.SecondMoment.AsSpan(), "optimizer's second moments");
        });
    }

    private static ActorCritic ReadNetwork(CheckpointSections sections, Device device)
    {
        (int observationSize, Environments.Space actionSpace, ActorCriticOptions architecture) = sections.Read(ArchitectureSection, ArchitectureSerialization.Read);
        var network = new ActorCritic(observationSize, actionSpace, architecture, device);
        float[] parameters = sections.Read(ParametersSection, reader => BinaryData.ReadFiniteFloats(reader, "parameters", network.Parameters.Count));
        network.Parameters.Values.CopyFrom(parameters);
        return network;
    }

    private void ReadOptimizer(BinaryReader reader)
    {
        long steps = reader.ReadInt64();
        if (steps < 0)
            throw new CheckpointException($"The checkpoint's optimizer step count {steps} is negative.");
        Optimizer.FirstMoment.CopyFrom(BinaryData.ReadFiniteFloats(reader, "first moment", Network.Parameters.Count));
        Optimizer.SecondMoment.CopyFrom(BinaryData.ReadFiniteFloats(reader, "second moment", Network.Parameters.Count));
        Optimizer.StepCount = steps;
    }

    private int CopyActObservations(ReadOnlySpan<float> observations, int rows)
    {
        if (rows < 1 || rows > _maxActRows)
            throw new ArgumentOutOfRangeException(nameof(rows), rows, $"The learner acts on between 1 and {_maxActRows} observations at once (call {nameof(Reserve)} for more).");
        Guard.HasLength(observations, rows * Network.ObservationSize, nameof(observations));
        observations.CopyTo(_actObservations.AsSpan());
        return rows;
    }

    private int CheckMinibatch(Minibatch minibatch)
    {
        ArgumentNullException.ThrowIfNull(minibatch);
        if (minibatch.RowCount < 1 || minibatch.RowCount > _maxMinibatchRows)
            throw new ArgumentException($"The learner takes minibatches of 1 to {_maxMinibatchRows} rows (was {minibatch.RowCount}; call {nameof(Reserve)} for more).", nameof(minibatch));
        if (minibatch.ObservationSize != Network.ObservationSize || minibatch.ActionSize != Network.ActionSize)
            throw new ArgumentException($"The minibatch holds observations of {minibatch.ObservationSize} floats and actions of {minibatch.ActionSize}; the network takes {Network.ObservationSize} and {Network.ActionSize}.", nameof(minibatch));
        return minibatch.RowCount;
    }

    private Tensor OldDistributionParameters(Minibatch minibatch)
    {
        if (minibatch.DistributionParameterSize != DistributionParameterSize)
            throw new ArgumentException($"The KL objectives need the minibatch's distribution parameters ({DistributionParameterSize} floats per row; it keeps {minibatch.DistributionParameterSize}).", nameof(minibatch));
        return minibatch.OldDistributionParameterTensor;
    }

    private sealed class ManagedLearnerFactory : ILearnerFactory
    {
        public string Kind => LearnerKind;

        public ILearner LoadLearner(CheckpointSections sections, PpoOptions options)
        {
            ArgumentNullException.ThrowIfNull(sections);
            ArgumentNullException.ThrowIfNull(options);
            var learner = new ManagedLearner(ReadNetwork(sections, options.Device));
            sections.Read(OptimizerSection, learner.ReadOptimizer);
            return learner;
        }

        public IPolicy LoadPolicy(CheckpointSections sections)
        {
            ArgumentNullException.ThrowIfNull(sections);
            return ReadNetwork(sections, Device.Cpu);
        }
    }
}
