using Ppo.Checkpoints;
using Ppo.Environments;
using Ppo.Randomness;

namespace Ppo.Training;

/// <summary>
/// Collects rollouts from a vector environment in this process, with actions sampled by the learner from one random
/// stream. All buffers are allocated by the constructor, so collecting allocates nothing.
/// </summary>
/// <remarks>
/// The environments are reset with the seed before the first rollout and then run on across rollouts (auto-reset), as
/// Stable-Baselines3 does. The environment gets actions clipped to a box action space; the buffer keeps the sampled
/// ones, whose log-probability it stores. When the environments expose action masks
/// (<see cref="IMaskableVectorEnvironment.HasActionMasks"/>), the masks of the current observations are read before
/// every action, the learner samples under them and the buffer keeps them for the update.
/// </remarks>
public sealed class LocalRolloutCollector : IRolloutCollector
{
    private const string EnvironmentSection = "ENVS";

    private readonly IVectorEnvironment _environment;
    private readonly IStatefulEnvironment? _stateful;
    private readonly IMaskableVectorEnvironment? _maskable;
    private readonly bool[] _actionMasks;
    private readonly SeededRandom _random;
    private readonly int _seed;
    private readonly int _observationSize;
    private readonly int _actionSize;
    private readonly float[] _observations;
    private readonly float[] _actions;
    private readonly float[] _environmentActions;
    private readonly float[] _logProbabilities;
    private readonly float[] _values;
    private readonly float[] _distributionParameters;
    private readonly float[] _rewards;
    private readonly float[] _referenceLogProbabilities;
    private readonly float[] _finalObservations;
    private readonly float[] _finalValues;
    private readonly int[] _truncatedEnvironments;
    private bool _started;

    /// <summary>Creates a collector over <paramref name="environment"/>.</summary>
    /// <param name="environment">The environments stepped (possibly wrapped, for example in <see cref="VectorNormalization"/>).</param>
    /// <param name="random">The generator that samples the actions.</param>
    /// <param name="seed">The seed of the first reset.</param>
    /// <param name="distributionParameterSize">The floats per row of the learner's action distribution, kept in the buffer when it has room for them.</param>
    /// <param name="environmentState">The environments whose state checkpoints hold (the unwrapped ones), or <see langword="null"/> for <paramref name="environment"/> itself.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="distributionParameterSize"/> is negative.</exception>
    /// <exception cref="ArgumentException">The environments expose action masks for an action space that cannot be masked (a <see cref="BoxSpace"/> or <see cref="MultiBinarySpace"/>).</exception>
    public LocalRolloutCollector(IVectorEnvironment environment, SeededRandom random, int seed, int distributionParameterSize, IVectorEnvironment? environmentState = null)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(random);
        ArgumentOutOfRangeException.ThrowIfNegative(distributionParameterSize);
        _environment = environment;
        _stateful = (environmentState ?? environment) as IStatefulEnvironment;
        _random = random;
        _seed = seed;
        int count = environment.EnvironmentCount;
        _observationSize = environment.ObservationSpace.Size;
        _actionSize = environment.ActionSpace.FlatSize;
        _observations = new float[count * _observationSize];
        _actions = new float[count * _actionSize];
        _environmentActions = new float[count * _actionSize];
        _logProbabilities = new float[count];
        _values = new float[count];
        _distributionParameters = new float[count * distributionParameterSize];
        _rewards = new float[count];
        _referenceLogProbabilities = new float[count];
        _finalObservations = new float[count * _observationSize];
        _finalValues = new float[count];
        _truncatedEnvironments = new int[count];
        _maskable = environment is IMaskableVectorEnvironment { HasActionMasks: true } maskable ? maskable : null;
        ActionMaskLength = _maskable is null ? 0 : ActionMasks.Length(environment.ActionSpace);
        _actionMasks = new bool[count * ActionMaskLength];
    }

    /// <inheritdoc/>
    public int EnvironmentCount => _environment.EnvironmentCount;

    /// <inheritdoc/>
    public BoxSpace ObservationSpace => _environment.ObservationSpace;

    /// <inheritdoc/>
    public Space ActionSpace => _environment.ActionSpace;

    /// <inheritdoc/>
    public int ActionMaskLength { get; }

    /// <summary>Gets the environments stepped.</summary>
    public IVectorEnvironment Environment => _environment;

    /// <inheritdoc/>
    public RolloutSummary Collect(RolloutRequest request)
    {
        ArgumentNullException.ThrowIfNull(request.Learner);
        ArgumentNullException.ThrowIfNull(request.Buffer);
        ArgumentNullException.ThrowIfNull(request.Listener);
        if (request.Buffer.EnvironmentCount != EnvironmentCount)
            throw new ArgumentException($"The buffer holds {request.Buffer.EnvironmentCount} environments; the collector steps {EnvironmentCount}.", nameof(request));
        if (request.Buffer.ActionMaskLength != ActionMaskLength)
            throw new ArgumentException($"The buffer keeps action masks of {request.Buffer.ActionMaskLength} flags; the collector records {ActionMaskLength}.", nameof(request));
        if (ActionMaskLength > 0 && (request.Learner as IMaskableLearner)?.ActionMaskLength != ActionMaskLength)
            throw new ArgumentException($"The environments expose action masks of {ActionMaskLength} flags, which the learner ({request.Learner.Kind}) does not take; it must be an {nameof(IMaskableLearner)} for this action space.", nameof(request));
        if (!_started)
        {
            _environment.Reset(_seed).Observations.CopyTo(_observations);
            _started = true;
        }

        double referenceLogRatioSum = 0;
        bool keepsDistributions = request.Buffer.DistributionParameters is not null;
        for (int t = 0; t < request.Buffer.Steps; t++)
            CollectStep(request, keepsDistributions, ref referenceLogRatioSum);

        request.Learner.PredictValues(_observations, _values);
        request.Buffer.SetLastValues(_values);
        return new RolloutSummary(referenceLogRatioSum);
    }

    /// <inheritdoc/>
    public void WriteState(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(_started);
        BinaryData.WriteFloats(writer, _observations);
    }

    /// <inheritdoc/>
    public void ReadState(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        bool started = reader.ReadBoolean();
        BinaryData.ReadFiniteFloats(reader, "current observations", _observations.Length).CopyTo(_observations, 0);
        _started = started;
    }

    /// <inheritdoc/>
    public void SaveEnvironments(CheckpointSections sections)
    {
        ArgumentNullException.ThrowIfNull(sections);
        if (_started && _stateful is { CanSaveState: true } stateful)
            sections.Add(EnvironmentSection, stateful.SaveState);
    }

    /// <inheritdoc/>
    public void LoadEnvironments(CheckpointSections sections)
    {
        ArgumentNullException.ThrowIfNull(sections);
        _started &= sections.Contains(EnvironmentSection) && _stateful is { CanSaveState: true };
        if (_started)
            sections.Read(EnvironmentSection, _stateful!.LoadState);
    }

    /// <summary>One step of every environment; adds each log-ratio to the reference policy to <paramref name="referenceLogRatioSum"/>.</summary>
    private void CollectStep(in RolloutRequest request, bool keepsDistributions, ref double referenceLogRatioSum)
    {
        int count = EnvironmentCount;
        Span<float> distributionParameters = keepsDistributions ? _distributionParameters : default;
        if (_maskable is null)
        {
            request.Learner.Act(_observations, _random, _actions, _logProbabilities, _values, distributionParameters);
        }
        else
        {
            _maskable.WriteActionMasks(_actionMasks);
            ((IMaskableLearner)request.Learner).Act(_observations, _actionMasks, _random, _actions, _logProbabilities, _values, distributionParameters);
        }

        _actions.CopyTo(_environmentActions, 0);
        ClipToActionSpace(_environmentActions);
        VectorStep step = _environment.Step(_environmentActions);
        request.Listener.OnSteps(count);
        step.Rewards.CopyTo(_rewards);
        if (request.ReferencePolicy is not null)
            PenalizeDivergenceFromReference(request.ReferencePolicy, request.ReferenceKlCoefficient, ref referenceLogRatioSum);
        request.Buffer.Add(_observations, _actions, _rewards, step.Terminated, step.Truncated, _values, _logProbabilities, distributionParameters, _actionMasks);

        int truncatedCount = 0;
        for (int i = 0; i < count; i++)
        {
            if (!step.EpisodeEnded(i))
                continue;
            request.Listener.OnEpisodeEnd(step.EpisodeReturns[i], step.EpisodeLengths[i]);
            if (step.Truncated[i] && !step.Terminated[i])
            {
                step.FinalObservation(i).CopyTo(_finalObservations.AsSpan(truncatedCount * _observationSize, _observationSize));
                _truncatedEnvironments[truncatedCount++] = i;
            }
        }

        if (truncatedCount > 0)
        {
            Span<float> finalValues = _finalValues.AsSpan(0, truncatedCount);
            request.Learner.PredictValues(_finalObservations.AsSpan(0, truncatedCount * _observationSize), finalValues);
            for (int k = 0; k < truncatedCount; k++)
                request.Buffer.AddBootstrap(_truncatedEnvironments[k], request.Gamma * finalValues[k]);
        }

        step.Observations.CopyTo(_observations);
    }

    /// <summary>
    /// Subtracts <c>β·(log π(a|s) − log π_ref(a|s))</c> from each reward of the step, the per-step KL penalty toward the
    /// reference policy, and adds each log-ratio to <paramref name="sum"/> for the metrics and the adaptive controller.
    /// </summary>
    private void PenalizeDivergenceFromReference(Policies.IPolicy reference, float coefficient, ref double sum)
    {
        reference.LogProbabilities(_observations, _actions, _referenceLogProbabilities);
        for (int i = 0; i < _rewards.Length; i++)
        {
            float divergence = _logProbabilities[i] - _referenceLogProbabilities[i];
            _rewards[i] -= coefficient * divergence;
            sum += divergence;
        }
    }

    private void ClipToActionSpace(Span<float> actions)
    {
        if (_environment.ActionSpace is not BoxSpace box)
            return;
        for (int start = 0; start < actions.Length; start += _actionSize)
        {
            Span<float> action = actions.Slice(start, _actionSize);
            box.Clip(action, action);
        }
    }
}
