using Ppo.Environments;
using Ppo.Internal;
using Ppo.Networks;
using Ppo.Optimization;
using Ppo.Randomness;
using Ppo.Tensors;

namespace Ppo.Policies;

/// <summary>
/// The actor-critic network of PPO: an optional shared trunk, an actor network whose output parameterizes the action
/// distribution (categorical logits for a <see cref="DiscreteSpace"/>, one categorical per component of a
/// <see cref="MultiDiscreteSpace"/>, one Bernoulli logit per flag of a <see cref="MultiBinarySpace"/>, the mean of a diagonal Gaussian with a learned
/// state-independent log standard deviation for a <see cref="BoxSpace"/>), and a critic network that predicts the state
/// value. All parameters live in one <see cref="ParameterSet"/>.
/// </summary>
/// <remarks>
/// <para><see cref="Act"/> and <see cref="Predict(ReadOnlySpan{float}, Span{float}, bool, SeededRandom?)"/> are the
/// inference paths; <see cref="Evaluate"/> followed by <see cref="Backward"/> is the training path, which accumulates into
/// <c>Parameters.Gradients</c>. Every method works on the leading <c>rowCount</c> rows of tensors with room for the size
/// given to <see cref="Resize"/>; none allocates after that.</para>
/// </remarks>
public sealed class ActorCritic : IMaskablePolicy
{
    private readonly Mlp? _trunk;
    private readonly Mlp _policyNetwork;
    private readonly Mlp _valueNetwork;
    private readonly PolicyHead _head;
    private Tensor? _trunkOutput;
    private Tensor? _trunkGradientFromPolicy;
    private Tensor? _trunkGradientFromValue;
    private Tensor? _networkOutput;
    private Tensor? _networkOutputGradient;
    private int _maxRowCount;
    private PredictionBuffers? _prediction;
    private readonly Action _policyForward;
    private readonly Action _valueForward;
    private readonly Action _policyBackward;
    private readonly Action _valueBackward;
    private readonly Action _policyBackwardForStep;
    private readonly Action _valueBackwardForStep;
    private readonly Action _policyOptimizerStep;
    private readonly Action _valueOptimizerStep;
    private readonly int _policyParameterStart;
    private readonly int _valueParameterStart;
    private BranchArguments _branch;
    private BranchStep _step;

    /// <summary>Creates the network for an observation space and initializes its parameters from <paramref name="seed"/>.</summary>
    /// <param name="observationSpace">The observation space: a vector (a box of rank 1).</param>
    /// <param name="actionSpace">The action space: a <see cref="DiscreteSpace"/> or a <see cref="BoxSpace"/>.</param>
    /// <param name="options">The architecture, or <see langword="null"/> for the defaults.</param>
    /// <param name="device">The device, or <see langword="null"/> for <see cref="Device.Cpu"/>.</param>
    /// <param name="seed">The seed of the initial weights.</param>
    /// <exception cref="ArgumentException">The observations are images (or of another rank than 1), the options are invalid or the action space is not supported.</exception>
    public ActorCritic(BoxSpace observationSpace, Space actionSpace, ActorCriticOptions? options = null, Device? device = null, ulong seed = 0)
        : this(VectorSize(observationSpace), actionSpace, options, device, seed)
    {
    }

    /// <summary>Creates the network and initializes its parameters from <paramref name="seed"/>.</summary>
    /// <param name="observationSize">The number of floats in an observation; at least 1.</param>
    /// <param name="actionSpace">The action space: a <see cref="DiscreteSpace"/>, <see cref="BoxSpace"/>, <see cref="MultiDiscreteSpace"/> or <see cref="MultiBinarySpace"/>.</param>
    /// <param name="options">The architecture, or <see langword="null"/> for the defaults.</param>
    /// <param name="device">The device, or <see langword="null"/> for <see cref="Device.Cpu"/>.</param>
    /// <param name="seed">The seed of the initial weights.</param>
    /// <exception cref="ArgumentException">The options are invalid or the action space is not supported.</exception>
    public ActorCritic(int observationSize, Space actionSpace, ActorCriticOptions? options = null, Device? device = null, ulong seed = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(observationSize);
        ArgumentNullException.ThrowIfNull(actionSpace);
        Options = (options ?? new ActorCriticOptions()).Validate();
        Device = device ?? Device.Cpu;
        ObservationSize = observationSize;
        ActionSpace = actionSpace;
        ActionMaskLength = ActionMasks.Supports(actionSpace) ? ActionMasks.Length(actionSpace) : 0;
        _head = actionSpace switch
        {
            DiscreteSpace discrete => new CategoricalHead(discrete.Count),
            BoxSpace box => new DiagonalGaussianHead(box.Size, Options.LogStdInit),
            MultiDiscreteSpace multiDiscrete => new MultiCategoricalHead(multiDiscrete.CategoryCounts.ToArray()),
            MultiBinarySpace multiBinary => new BernoulliHead(multiBinary.Size),
            _ => throw new ArgumentException($"Action space {actionSpace} is not supported; use a DiscreteSpace, BoxSpace, MultiDiscreteSpace or MultiBinarySpace.", nameof(actionSpace)),
        };

        int featureSize = observationSize;
        if (Options.SharedHiddenSizes.Count > 0)
        {
            _trunk = new Mlp(observationSize, Options.SharedHiddenSizes, null, Options.Activation, Device);
            featureSize = _trunk.OutputSize;
        }

        _policyNetwork = new Mlp(featureSize, Options.PolicyHiddenSizes, _head.NetworkOutputSize, Options.Activation, Device);
        _valueNetwork = new Mlp(featureSize, Options.ValueHiddenSizes, 1, Options.Activation, Device);

        IEnumerable<Parameter> parameters = _trunk?.Parameters ?? [];
        Parameters = new ParameterSet(parameters.Concat(_policyNetwork.Parameters).Concat(_head.Parameters).Concat(_valueNetwork.Parameters), Device);
        Initialize(new SeededRandom(seed));
        _policyForward = PolicyForward;
        _valueForward = ValueForward;
        _policyBackward = PolicyBackward;
        _valueBackward = ValueBackward;
        _policyBackwardForStep = PolicyBackwardForStep;
        _valueBackwardForStep = ValueBackwardForStep;
        _policyOptimizerStep = PolicyOptimizerStep;
        _valueOptimizerStep = ValueOptimizerStep;
        _policyParameterStart = _trunk?.Parameters.Sum(parameter => parameter.Value.Length) ?? 0;
        _valueParameterStart = Parameters.Count - _valueNetwork.Parameters.Sum(parameter => parameter.Value.Length);
    }

    /// <summary>Gets the architecture.</summary>
    public ActorCriticOptions Options { get; }

    /// <summary>Gets the device of the parameters and buffers.</summary>
    public Device Device { get; }

    /// <summary>Gets the number of floats in an observation.</summary>
    public int ObservationSize { get; }

    /// <summary>Gets the action space.</summary>
    public Space ActionSpace { get; }

    /// <summary>Gets the number of floats one action occupies.</summary>
    public int ActionSize => _head.ActionSize;

    /// <summary>Gets the number of flags in one action mask (<see cref="ActionMasks.Length"/>), or 0 when the action space cannot be masked.</summary>
    public int ActionMaskLength { get; }

    /// <summary>
    /// Gets the number of floats that describe the action distribution of one observation: the logits of a categorical
    /// policy, or the mean followed by the log standard deviation of a Gaussian one. KL penalties compare these.
    /// </summary>
    public int DistributionParameterSize => _head.DistributionParameterSize;

    /// <summary>
    /// Gets the learned log standard deviation of a Gaussian policy (one per action dimension), or
    /// <see langword="null"/> for a discrete action space.
    /// </summary>
    public Parameter? LogStandardDeviation => (_head as DiagonalGaussianHead)?.LogStandardDeviation;

    /// <summary>Gets every trainable parameter in one flat buffer, with the matching gradient buffer.</summary>
    public ParameterSet Parameters { get; }

    /// <summary>
    /// Gets or sets a value indicating whether the actor and the critic are computed on two threads when a batch is
    /// large enough to gain from it. Each network is computed by the same kernels in the same order either way, so the
    /// results are bit-identical with and without it.
    /// </summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool ParallelBranches { get; set; } = true;

    /// <summary>Gets the shared trunk, or <see langword="null"/> when the actor and critic share nothing.</summary>
    public Mlp? SharedTrunk => _trunk;

    /// <summary>Gets the actor network, whose output parameterizes the action distribution.</summary>
    public Mlp PolicyNetwork => _policyNetwork;

    /// <summary>Gets the critic network, whose single output is the state value.</summary>
    public Mlp ValueNetwork => _valueNetwork;

    /// <summary>
    /// Creates an independent network with the same architecture, device and parameter values, for example a frozen
    /// reference for a KL penalty or a starting point for fine-tuning.
    /// </summary>
    /// <returns>The copy; training one does not change the other.</returns>
    public ActorCritic Clone()
    {
        var copy = new ActorCritic(ObservationSize, ActionSpace, Options, Device) { ParallelBranches = ParallelBranches };
        Parameters.Values.CopyTo(copy.Parameters.Values.AsSpan());
        return copy;
    }

    /// <summary>Prepares every buffer for batches of up to <paramref name="maxRowCount"/> rows. The only allocating member.</summary>
    /// <param name="maxRowCount">The largest batch; at least 1.</param>
    public void Resize(int maxRowCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxRowCount);
        if (maxRowCount <= _maxRowCount)
            return;
        _maxRowCount = maxRowCount;
        _trunk?.Resize(maxRowCount);
        _policyNetwork.Resize(maxRowCount);
        _valueNetwork.Resize(maxRowCount);
        _head.Resize(maxRowCount, Device);
        if (_trunk is not null)
        {
            _trunkOutput = Device.Zeros(maxRowCount, _trunk.OutputSize);
            _trunkGradientFromPolicy = Device.Zeros(maxRowCount, _trunk.OutputSize);
            _trunkGradientFromValue = Device.Zeros(maxRowCount, _trunk.OutputSize);
        }

        _networkOutput = Device.Zeros(maxRowCount, _head.NetworkOutputSize);
        _networkOutputGradient = Device.Zeros(maxRowCount, _head.NetworkOutputSize);
    }

    /// <summary>Re-initializes every parameter as the constructor does, from <paramref name="random"/>.</summary>
    /// <param name="random">The generator of the initial weights.</param>
    public void Initialize(SeededRandom random)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (Options.OrthogonalInitialization)
        {
            const double HiddenGain = 1.4142135623730951; // √2
            _trunk?.InitializeOrthogonal(HiddenGain, HiddenGain, random);
            _policyNetwork.InitializeOrthogonal(HiddenGain, 0.01, random);
            _valueNetwork.InitializeOrthogonal(HiddenGain, 1.0, random);
        }
        else
        {
            foreach (Mlp network in Networks())
            {
                foreach (Linear layer in network.LinearLayers)
                {
                    float bound = 1f / MathF.Sqrt(layer.InputSize);
                    FillUniform(layer.Weight.Value.AsSpan(), bound, random);
                    FillUniform(layer.Bias.Value.AsSpan(), bound, random);
                }
            }
        }

        _head.Initialize();
    }

    /// <summary>Chooses actions for a batch of observations and predicts their values (the rollout step).</summary>
    /// <param name="observations">The observations, <c>rowCount × ObservationSize</c> leading rows.</param>
    /// <param name="rowCount">The number of rows.</param>
    /// <param name="random">The generator used to sample actions.</param>
    /// <param name="deterministic">Takes the most probable action instead of sampling.</param>
    /// <param name="actions">Receives the actions, <c>rowCount × ActionSize</c>.</param>
    /// <param name="logProbabilities">Receives the log-probability of each action.</param>
    /// <param name="values">Receives the value of each observation.</param>
    /// <param name="distributionParameters">When given, receives each row's distribution parameters, <c>rowCount × DistributionParameterSize</c> (masked logits under masks).</param>
    /// <param name="actionMasks">The valid actions of each row, <c>rowCount × ActionMaskLength</c> flags, or empty for none; only valid actions are chosen.</param>
    /// <exception cref="ArgumentException">The masks have the wrong length, the action space cannot be masked, or a row has no valid action.</exception>
    public void Act(Tensor observations, int rowCount, SeededRandom random, bool deterministic, Tensor actions, Tensor logProbabilities, Tensor values, Tensor? distributionParameters = null, ReadOnlyMemory<bool> actionMasks = default)
    {
        ArgumentNullException.ThrowIfNull(random);
        CheckActionMasks(actionMasks.Span, rowCount);
        _branch = new BranchArguments(Features(observations, rowCount), rowCount) { Actions = actions, LogProbabilities = logProbabilities, Values = values, Random = random, Deterministic = deterministic, DistributionParameters = distributionParameters, ActionMasks = actionMasks };
        RunBranches(_valueForward, _policyForward);
    }

    /// <summary>Predicts the value of each observation.</summary>
    /// <param name="observations">The observations, <c>rowCount × ObservationSize</c> leading rows.</param>
    /// <param name="rowCount">The number of rows.</param>
    /// <param name="values">Receives the values.</param>
    public void PredictValues(Tensor observations, int rowCount, Tensor values)
    {
        _valueNetwork.Forward(Features(observations, rowCount), values, rowCount);
    }

    /// <summary>
    /// Evaluates given actions under the current policy (the training forward pass): their log-probabilities, the
    /// entropy of each distribution and the value of each observation. Caches what <see cref="Backward"/> needs.
    /// </summary>
    /// <param name="observations">The observations, <c>rowCount × ObservationSize</c> leading rows.</param>
    /// <param name="actions">The actions, <c>rowCount × ActionSize</c> leading rows.</param>
    /// <param name="rowCount">The number of rows.</param>
    /// <param name="logProbabilities">Receives the log-probability of each action.</param>
    /// <param name="entropy">Receives the entropy of each row's action distribution.</param>
    /// <param name="values">Receives the value of each observation.</param>
    /// <param name="oldDistributionParameters">With <paramref name="klDivergence"/>: each row's distribution parameters when the data was collected.</param>
    /// <param name="klDivergence">When given, receives KL(π_old ‖ π) of each row, and <see cref="Backward"/> then takes its gradient.</param>
    /// <param name="actionMasks">The masks the actions were chosen under, <c>rowCount × ActionMaskLength</c> flags, or empty for none; the distribution, its entropy and gradients are those of the masked policy.</param>
    /// <exception cref="ArgumentException">Only one of the KL arguments is given, or the masks have the wrong length, the action space cannot be masked, or a row has no valid action.</exception>
    public void Evaluate(Tensor observations, Tensor actions, int rowCount, Tensor logProbabilities, Tensor entropy, Tensor values, Tensor? oldDistributionParameters = null, Tensor? klDivergence = null, ReadOnlyMemory<bool> actionMasks = default)
    {
        if ((oldDistributionParameters is null) != (klDivergence is null))
            throw new ArgumentException("Pass both the old distribution parameters and the KL destination, or neither.", nameof(klDivergence));
        CheckActionMasks(actionMasks.Span, rowCount);
        _branch = new BranchArguments(Features(observations, rowCount), rowCount)
        {
            Actions = actions,
            LogProbabilities = logProbabilities,
            Entropy = entropy,
            Values = values,
            DistributionParameters = oldDistributionParameters,
            KlDivergence = klDivergence,
            ActionMasks = actionMasks,
        };
        RunBranches(_valueForward, _policyForward);
    }

    /// <summary>
    /// Back-propagates the gradients of a loss with respect to the outputs of the last <see cref="Evaluate"/> call and
    /// accumulates the parameter gradients into <c>Parameters.Gradients</c>.
    /// </summary>
    /// <param name="logProbabilityGradient">The gradient with respect to each log-probability.</param>
    /// <param name="entropyGradient">The gradient with respect to each entropy.</param>
    /// <param name="valueGradient">The gradient with respect to each value.</param>
    /// <param name="rowCount">The number of rows of the last <see cref="Evaluate"/> call.</param>
    /// <param name="klGradient">The gradient with respect to each KL divergence of the last <see cref="Evaluate"/>, if it computed them.</param>
    public void Backward(Tensor logProbabilityGradient, Tensor entropyGradient, Tensor valueGradient, int rowCount, Tensor? klGradient = null) =>
        BackPropagate(_valueBackward, _policyBackward, logProbabilityGradient, entropyGradient, valueGradient, rowCount, klGradient);

    /// <summary>
    /// One optimizer step from the gradients of a loss with respect to the outputs of the last <see cref="Evaluate"/>:
    /// the gradients are zeroed, back-propagated, scaled to a global L2 norm of at most
    /// <paramref name="maxGradientNorm"/> (<c>clip_grad_norm_</c>) and applied by <paramref name="optimizer"/>.
    /// </summary>
    /// <remarks>
    /// Each branch zeroes, back-propagates, sums the squares of and steps its own parameters (the shared layers go with
    /// the actor), on the thread that computes the branch, so that the critic's gradients and weights stay in the cache
    /// of the core that uses them. The norm is the square root of the trunk's, the actor's and the critic's sums of
    /// squares added in that order on either path, so one thread and two give the same bits. Stepping on the caller
    /// instead cost a [64, 64] update of 256 rows 8 µs of 91 (two Zen 5 cores): the caller read the critic's gradients
    /// from the other core, and the other core then read the updated weights back.
    /// </remarks>
    /// <returns>The global norm of the gradients before scaling; when it is not finite, no step is taken.</returns>
    internal float BackwardClipAndStep(Tensor logProbabilityGradient, Tensor entropyGradient, Tensor valueGradient, int rowCount, Tensor? klGradient, float maxGradientNorm, Adam optimizer, float learningRate)
    {
        Span<float> trunkGradients = Parameters.Gradients.AsSpan()[.._policyParameterStart];
        trunkGradients.Clear();
        BackPropagate(_valueBackwardForStep, _policyBackwardForStep, logProbabilityGradient, entropyGradient, valueGradient, rowCount, klGradient);

        float trunkSquares = System.Numerics.Tensors.TensorPrimitives.SumOfSquares(trunkGradients);
        float norm = MathF.Sqrt(trunkSquares + _step.PolicySquares + _step.ValueSquares);
        if (!float.IsFinite(norm))
            return norm;

        optimizer.BeginStep(learningRate);
        _step = _step with { Optimizer = optimizer, GradientScale = GradientClipping.Scale(norm, maxGradientNorm) };
        RunBranches(_valueOptimizerStep, _policyOptimizerStep);
        _step = default;
        return norm;
    }

    /// <summary>
    /// Chooses an action for each observation in <paramref name="observations"/>, without a trainer: the inference API.
    /// </summary>
    /// <param name="observations">One or more observations, back to back; the length must be a multiple of <see cref="ObservationSize"/>.</param>
    /// <param name="actions">Receives one action of <see cref="ActionSize"/> floats per observation; continuous actions are clipped to the <see cref="BoxSpace"/> bounds.</param>
    /// <param name="deterministic">Takes the most probable action (the default) instead of sampling.</param>
    /// <param name="random">The generator for sampling; required when <paramref name="deterministic"/> is false.</param>
    /// <exception cref="ArgumentException">The lengths do not match, an observation is not finite, or sampling has no generator.</exception>
    /// <remarks>Not thread-safe: it reuses internal buffers, grown on the first call with a larger batch.</remarks>
    public void Predict(ReadOnlySpan<float> observations, Span<float> actions, bool deterministic = true, SeededRandom? random = null) =>
        Predict(observations, [], actions, deterministic, random);

    /// <inheritdoc/>
    /// <remarks>Not thread-safe: it reuses internal buffers, grown on the first call with a larger batch.</remarks>
    public void Predict(ReadOnlySpan<float> observations, ReadOnlySpan<bool> actionMasks, Span<float> actions, bool deterministic = true, SeededRandom? random = null)
    {
        if (observations.Length == 0 || observations.Length % ObservationSize != 0)
            throw new ArgumentException($"observations must hold a whole, non-zero number of observations of {ObservationSize} floats (was {observations.Length}).", nameof(observations));
        int rowCount = observations.Length / ObservationSize;
        Guard.HasLength(actions, rowCount * ActionSize, nameof(actions));
        for (int i = 0; i < observations.Length; i++)
        {
            if (!float.IsFinite(observations[i]))
                throw new ArgumentException($"Observation {i / ObservationSize}, element {i % ObservationSize} is {observations[i]}; observations must be finite.", nameof(observations));
        }

        if (!deterministic && random is null)
            throw new ArgumentException("Sampling (deterministic: false) needs a random generator.", nameof(random));
        CheckActionMasks(actionMasks, rowCount);

        PredictionBuffers buffers = PredictionFor(rowCount);
        observations.CopyTo(buffers.Observations.AsSpan());
        actionMasks.CopyTo(buffers.ActionMasks);
        ReadOnlyMemory<bool> masks = actionMasks.IsEmpty ? default : buffers.ActionMasks.AsMemory(0, actionMasks.Length);
        Act(buffers.Observations, rowCount, random ?? buffers.UnusedRandom, deterministic, buffers.Actions, buffers.LogProbabilities, buffers.Values, actionMasks: masks);
        buffers.Actions.AsSpan()[..actions.Length].CopyTo(actions);
        ClipToActionSpace(actions);
    }

    /// <summary>Computes the log-probability of each given action under the current policy, without a trainer.</summary>
    /// <param name="observations">One or more observations, back to back.</param>
    /// <param name="actions">One action of <see cref="ActionSize"/> floats per observation.</param>
    /// <param name="logProbabilities">Receives one log-probability per observation.</param>
    /// <exception cref="ArgumentException">The lengths do not match.</exception>
    /// <remarks>Not thread-safe: it reuses internal buffers, grown on the first call with a larger batch.</remarks>
    public void LogProbabilities(ReadOnlySpan<float> observations, ReadOnlySpan<float> actions, Span<float> logProbabilities)
    {
        int rowCount = logProbabilities.Length;
        if (rowCount == 0)
            throw new ArgumentException("logProbabilities must have room for at least one observation.", nameof(logProbabilities));
        Guard.HasLength(observations, rowCount * ObservationSize, nameof(observations));
        Guard.HasLength(actions, rowCount * ActionSize, nameof(actions));
        PredictionBuffers buffers = PredictionFor(rowCount);
        observations.CopyTo(buffers.Observations.AsSpan());
        actions.CopyTo(buffers.Actions.AsSpan());
        Evaluate(buffers.Observations, buffers.Actions, rowCount, buffers.LogProbabilities, buffers.Entropy, buffers.Values);
        buffers.LogProbabilities.AsSpan()[..rowCount].CopyTo(logProbabilities);
    }

    /// <summary>Clips continuous actions in place to the bounds of a <see cref="BoxSpace"/>; discrete actions are left as they are.</summary>
    /// <param name="actions">One or more actions of <see cref="ActionSize"/> floats, back to back.</param>
    /// <exception cref="ArgumentException">The length is not a multiple of <see cref="ActionSize"/>.</exception>
    public void ClipToActionSpace(Span<float> actions)
    {
        if (actions.Length % ActionSize != 0)
            throw new ArgumentException($"actions must hold whole actions of {ActionSize} floats (was {actions.Length}).", nameof(actions));
        if (ActionSpace is not BoxSpace box)
            return;
        for (int start = 0; start < actions.Length; start += ActionSize)
        {
            Span<float> action = actions.Slice(start, ActionSize);
            box.Clip(action, action);
        }
    }

    /// <summary>
    /// The amount of work (rows × parameters) from which the actor and critic run on two threads. Handing the critic over
    /// costs 1.5–2 µs, and the critic's half ran up to 30 % slower on the second core than on the caller's (8.4–9.5 µs
    /// against 6.5–7.3 µs at 64 rows). Measured on two Zen 5 cores with [64, 64] networks (about 10,000 parameters): acting
    /// on 8 observations (0.08 million) took 4.3 µs on two threads and 3.4 µs on one, and CartPole's update of 256 rows
    /// (2.3 million) 108 µs against 155 µs. A minibatch update of 64 rows (0.63 million) took 44–48 µs against 42–48 µs
    /// while the caller stepped the optimizer for both networks; since each branch steps its own parameters, 34.4 µs
    /// against 38.4 µs (AVX-512) and 49.7 µs against 64.0 µs (AVX2), and LunarLander's run (minibatches of 64) took the
    /// same time either way (13.9–14.8 s).
    /// </summary>
    private const long ParallelWorkThreshold = 500_000;

    private void RunBranches(Action value, Action policy)
    {
        if (ParallelBranches && (long)_branch.RowCount * Parameters.Count >= ParallelWorkThreshold)
        {
            PairedWorker.Run(value, policy);
        }
        else
        {
            policy();
            value();
        }
    }

    /// <summary>Runs the two branches' backward pieces, then the shared trunk's on the sum of their input gradients.</summary>
    private void BackPropagate(Action value, Action policy, Tensor logProbabilityGradient, Tensor entropyGradient, Tensor valueGradient, int rowCount, Tensor? klGradient)
    {
        _branch = new BranchArguments(NetworkOutput, rowCount)
        {
            LogProbabilityGradient = logProbabilityGradient,
            EntropyGradient = entropyGradient,
            ValueGradient = valueGradient,
            KlGradient = klGradient,
        };
        RunBranches(value, policy);
        if (_trunk is null)
            return;

        Tensor fromPolicy = _trunkGradientFromPolicy!, fromValue = _trunkGradientFromValue!;
        int length = rowCount * _trunk.OutputSize;
        System.Numerics.Tensors.TensorPrimitives.Add(fromPolicy.AsSpan()[..length], fromValue.AsSpan()[..length], fromPolicy.AsSpan()[..length]);
        _trunk.Backward(fromPolicy, null, rowCount);
    }

    private void PolicyForward()
    {
        _policyNetwork.Forward(_branch.Features, NetworkOutput, _branch.RowCount);
        if (_branch.Random is SeededRandom random)
        {
            _head.Act(NetworkOutput, _branch.ActionMasks.Span, _branch.RowCount, random, _branch.Deterministic, _branch.Actions!, _branch.LogProbabilities!);
            if (_branch.DistributionParameters is Tensor parameters)
                _head.WriteDistributionParameters(NetworkOutput, _branch.ActionMasks.Span, _branch.RowCount, parameters);
            return;
        }

        _head.Evaluate(NetworkOutput, _branch.Actions!, _branch.ActionMasks.Span, _branch.RowCount, _branch.LogProbabilities!, _branch.Entropy!);
        if (_branch.KlDivergence is Tensor klDivergence)
            _head.EvaluateKl(_branch.DistributionParameters!, _branch.RowCount, klDivergence);
    }

    private void ValueForward() => _valueNetwork.Forward(_branch.Features, _branch.Values!, _branch.RowCount);

    private void PolicyBackward()
    {
        _head.Backward(_branch.LogProbabilityGradient!, _branch.EntropyGradient!, _branch.KlGradient, _branch.RowCount, NetworkOutputGradient);
        _policyNetwork.Backward(NetworkOutputGradient, _trunkGradientFromPolicy, _branch.RowCount);
    }

    private void ValueBackward() => _valueNetwork.Backward(_branch.ValueGradient!, _trunkGradientFromValue, _branch.RowCount);

    private void PolicyBackwardForStep()
    {
        Span<float> gradients = Parameters.Gradients.AsSpan()[_policyParameterStart.._valueParameterStart];
        gradients.Clear();
        PolicyBackward();
        _step.PolicySquares = System.Numerics.Tensors.TensorPrimitives.SumOfSquares(gradients);
    }

    private void ValueBackwardForStep()
    {
        Span<float> gradients = Parameters.Gradients.AsSpan()[_valueParameterStart..];
        gradients.Clear();
        ValueBackward();
        _step.ValueSquares = System.Numerics.Tensors.TensorPrimitives.SumOfSquares(gradients);
    }

    private void PolicyOptimizerStep() => StepParameters(0, _valueParameterStart);

    private void ValueOptimizerStep() => StepParameters(_valueParameterStart, Parameters.Count - _valueParameterStart);

    private void StepParameters(int start, int length)
    {
        if (_step.GradientScale < 1f)
        {
            Span<float> gradients = Parameters.Gradients.AsSpan().Slice(start, length);
            System.Numerics.Tensors.TensorPrimitives.Multiply(gradients, _step.GradientScale, gradients);
        }

        _step.Optimizer!.StepRange(start, length);
    }

    private void CheckActionMasks(ReadOnlySpan<bool> actionMasks, int rowCount)
    {
        if (actionMasks.IsEmpty)
            return;
        if (ActionMaskLength == 0)
            throw new ArgumentException($"Action masks need a Discrete or MultiDiscrete action space (the policy acts in {ActionSpace}).", nameof(actionMasks));
        Guard.HasLength(actionMasks, rowCount * ActionMaskLength, nameof(actionMasks));
    }

    private Tensor NetworkOutput => _networkOutput ?? throw NotResized();

    private Tensor NetworkOutputGradient => _networkOutputGradient ?? throw NotResized();

    private static InvalidOperationException NotResized() => new("The network has not been sized; call Resize with the largest batch first.");

    private static int VectorSize(BoxSpace observationSpace)
    {
        ArgumentNullException.ThrowIfNull(observationSpace);
        if (observationSpace.Rank != 1)
        {
            throw new ArgumentException(
                $"The managed engine's networks take vector observations; {observationSpace} has rank {observationSpace.Rank}. " +
                "Train image observations with the TorchSharp engine (package Ppo.TorchSharp: TorchSharpLearner.Create gives a CNN policy).",
                nameof(observationSpace));
        }

        return observationSpace.Size;
    }

    private static void FillUniform(Span<float> values, float bound, SeededRandom random)
    {
        for (int i = 0; i < values.Length; i++)
            values[i] = random.NextUniform(-bound, bound);
    }

    private IEnumerable<Mlp> Networks()
    {
        if (_trunk is not null)
            yield return _trunk;
        yield return _policyNetwork;
        yield return _valueNetwork;
    }

    private Tensor Features(Tensor observations, int rowCount)
    {
        ArgumentNullException.ThrowIfNull(observations);
        if (rowCount < 1 || rowCount > _maxRowCount)
            throw new ArgumentOutOfRangeException(nameof(rowCount), rowCount, $"The row count must be in [1, {_maxRowCount}] (call Resize for larger batches).");
        if (_trunk is null)
            return observations;
        _trunk.Forward(observations, _trunkOutput!, rowCount);
        return _trunkOutput!;
    }

    private PredictionBuffers PredictionFor(int rowCount)
    {
        if (_prediction is null || _prediction.Observations.RowCount < rowCount)
        {
            Resize(rowCount);
            _prediction = new PredictionBuffers(Device, rowCount, ObservationSize, ActionSize, ActionMaskLength);
        }

        return _prediction;
    }

    private sealed class PredictionBuffers(Device device, int rowCount, int observationSize, int actionSize, int actionMaskLength)
    {
        public bool[] ActionMasks { get; } = new bool[rowCount * actionMaskLength];

        public Tensor Observations { get; } = device.Zeros(rowCount, observationSize);

        public Tensor Actions { get; } = device.Zeros(rowCount, actionSize);

        public Tensor LogProbabilities { get; } = device.Zeros(rowCount);

        public Tensor Values { get; } = device.Zeros(rowCount);

        public Tensor Entropy { get; } = device.Zeros(rowCount);

        public SeededRandom UnusedRandom { get; } = new(0);
    }

    /// <summary>
    /// What the branches of <see cref="BackwardClipAndStep"/> hand each other: the sums of squares of their gradients,
    /// each written by its own branch, then the optimizer and the clipping scale they step with.
    /// </summary>
    private struct BranchStep
    {
        public float PolicySquares { get; set; }

        public float ValueSquares { get; set; }

        public Adam? Optimizer { get; set; }

        public float GradientScale { get; set; }
    }

    /// <summary>The arguments of the current actor and critic passes, read by the branch methods on either thread.</summary>
    private readonly record struct BranchArguments(Tensor Features, int RowCount)
    {
        public Tensor? Actions { get; init; }

        public Tensor? LogProbabilities { get; init; }

        public Tensor? Entropy { get; init; }

        public Tensor? Values { get; init; }

        public SeededRandom? Random { get; init; }

        public bool Deterministic { get; init; }

        public Tensor? LogProbabilityGradient { get; init; }

        public Tensor? EntropyGradient { get; init; }

        public Tensor? ValueGradient { get; init; }

        public Tensor? DistributionParameters { get; init; }

        public Tensor? KlDivergence { get; init; }

        public Tensor? KlGradient { get; init; }

        public ReadOnlyMemory<bool> ActionMasks { get; init; }
    }
}
