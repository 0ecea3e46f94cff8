using System.Globalization;
using System.Numerics.Tensors;
using Ppo.Internal;

namespace Ppo.Environments;

/// <summary>
/// Steps several environments and returns when all have stepped, as Gymnasium's <c>SyncVectorEnv</c>: one after another
/// on the calling thread, or, with <see cref="StepInParallel"/>, in two halves on two threads.
/// </summary>
/// <remarks>Tracks each episode's return and length (Gymnasium's <c>RecordEpisodeStatistics</c>) from the raw rewards.</remarks>
public sealed class SyncVectorEnvironment : IMaskableVectorEnvironment, IStatefulEnvironment
{
    private readonly IEnvironment[] _environments;
    private readonly VectorStep _step;
    private readonly double[] _runningReturns;
    private readonly int[] _runningLengths;
    private readonly int _actionSize;
    private readonly float[] _actions;
    private readonly Action _stepFirstHalf;
    private readonly Action _stepSecondHalf;
    private bool _isReset;
    private long _stepCount;

    /// <summary>Wraps <paramref name="environments"/>, which must all have the same spaces. Disposing this disposes them.</summary>
    /// <param name="environments">The environments; at least one, none null, all with equal observation and action spaces.</param>
    /// <exception cref="ArgumentException">The list is empty or the spaces differ.</exception>
    public SyncVectorEnvironment(IReadOnlyList<IEnvironment> environments)
    {
        ArgumentNullException.ThrowIfNull(environments);
        if (environments.Count == 0)
            throw new ArgumentException("At least one environment is required (was 0).", nameof(environments));

        _environments = new IEnvironment[environments.Count];
        for (int i = 0; i < _environments.Length; i++)
        {
            _environments[i] = environments[i] ?? throw new ArgumentException($"Environment {i} is null.", nameof(environments));
            if (!_environments[i].ObservationSpace.HasSameBounds(_environments[0].ObservationSpace))
                throw new ArgumentException($"Environment {i} has observation space {_environments[i].ObservationSpace}, but environment 0 has {_environments[0].ObservationSpace}.", nameof(environments));
            if (!SpaceEquality.AreEqual(_environments[i].ActionSpace, _environments[0].ActionSpace))
                throw new ArgumentException($"Environment {i} has action space {_environments[i].ActionSpace}, but environment 0 has {_environments[0].ActionSpace}.", nameof(environments));
        }

        ObservationSpace = _environments[0].ObservationSpace;
        ActionSpace = _environments[0].ActionSpace;
        HasActionMasks = Array.TrueForAll(_environments, environment => environment is IMaskableEnvironment);
        if (Array.Exists(_environments, environment => environment is IMaskableEnvironment) && !ActionMasks.Supports(ActionSpace))
            throw new ArgumentException($"The environments expose action masks, but their action space {ActionSpace} cannot be masked; only Discrete and MultiDiscrete actions can.", nameof(environments));
        _actionSize = ActionSpace.FlatSize;
        _step = new VectorStep(_environments.Length, ObservationSpace.Size);
        _runningReturns = new double[_environments.Length];
        _runningLengths = new int[_environments.Length];
        _actions = new float[_environments.Length * _actionSize];
        _stepFirstHalf = () => StepRange(_actions, 0, _environments.Length / 2);
        _stepSecondHalf = () => StepRange(_actions, _environments.Length / 2, _environments.Length);
    }

    /// <summary>Creates <paramref name="count"/> environments with <paramref name="factory"/> and wraps them.</summary>
    /// <param name="count">The number of environments; at least 1.</param>
    /// <param name="factory">Creates environment <c>i</c> from its index.</param>
    /// <returns>The vector environment.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is below 1.</exception>
    public static SyncVectorEnvironment Create(int count, Func<int, IEnvironment> factory)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        ArgumentNullException.ThrowIfNull(factory);
        var environments = new IEnvironment[count];
        for (int i = 0; i < count; i++)
            environments[i] = factory(i);
        return new SyncVectorEnvironment(environments);
    }

    /// <inheritdoc/>
    public int EnvironmentCount => _environments.Length;

    /// <summary>
    /// Gets or sets a value indicating whether <see cref="Step"/> steps the first half of the environments on a second
    /// thread while the calling thread steps the other half. Each environment steps exactly as it would alone, so the
    /// results are bit-identical either way; it pays when one step costs several microseconds, as a Box2D one does, and
    /// needs environments that share no mutable state.
    /// </summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool StepInParallel { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether every observation span is filled with NaN before each environment's
    /// <see cref="IEnvironment.Step"/> and <see cref="IEnvironment.Reset"/>, a checking mode for writing and testing
    /// environments: one that writes only part of its observation then fails at once, with a message that names it and
    /// the element it left unwritten, instead of training on stale values. Off, it costs one flag test per step.
    /// </summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool PoisonObservations { get; set; }

    /// <inheritdoc/>
    public BoxSpace ObservationSpace { get; }

    /// <inheritdoc/>
    public Space ActionSpace { get; }

    /// <inheritdoc/>
    /// <remarks>True when every environment implements <see cref="IMaskableEnvironment"/>.</remarks>
    public bool HasActionMasks { get; }

    /// <inheritdoc/>
    public void WriteActionMasks(Span<bool> masks)
    {
        if (!HasActionMasks)
            throw new InvalidOperationException("Not every environment of the vector exposes action masks (IMaskableEnvironment).");
        if (!_isReset)
            throw new InvalidOperationException($"{nameof(Reset)} must be called before the action masks are read.");
        int length = ActionMasks.Length(ActionSpace);
        Guard.HasLength(masks, _environments.Length * length, nameof(masks));
        for (int i = 0; i < _environments.Length; i++)
        {
            Span<bool> mask = masks.Slice(i * length, length);
            ((IMaskableEnvironment)_environments[i]).WriteActionMask(mask);
            int empty = ActionMasks.FindEmptyComponent(mask, ActionSpace);
            if (empty >= 0)
            {
                string component = ActionSpace is MultiDiscreteSpace ? $" in component {empty}" : "";
                throw new InvalidOperationException($"Environment {i} has no valid action{component} at step {_stepCount} of the vector (step {_runningLengths[i]} of its episode).");
            }
        }
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">An environment returned a NaN or infinite observation; the message names the environment.</exception>
    public VectorStep Reset(int? seed = null)
    {
        _stepCount = 0;
        for (int i = 0; i < _environments.Length; i++)
        {
            Span<float> observation = _step.Observation(i);
            if (PoisonObservations)
                observation.Fill(float.NaN);
            _environments[i].Reset(observation, seed + i);
            _runningLengths[i] = 0;
            CheckObservation(observation, i, "the first observation after Reset");
            _step.Rewards[i] = 0f;
            _step.Terminated[i] = false;
            _step.Truncated[i] = false;
            _runningReturns[i] = 0.0;
        }

        _isReset = true;
        return _step;
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">
    /// <paramref name="actions"/> has the wrong length or holds an invalid action, or an environment returned a NaN or
    /// infinite reward or observation: the message names the environment, the step and the field (the reward, the
    /// observation, the final observation of a terminated or truncated episode, or the first one after the automatic reset).
    /// </exception>
    public VectorStep Step(ReadOnlySpan<float> actions)
    {
        if (!_isReset)
            throw new InvalidOperationException($"{nameof(Reset)} must be called before {nameof(Step)}.");
        if (actions.Length != _environments.Length * _actionSize)
            throw new ArgumentException($"Expected {_environments.Length} × {_actionSize} = {_environments.Length * _actionSize} action values (was {actions.Length}).", nameof(actions));

        // Every action is checked before any environment moves, so a rejected call changes nothing.
        for (int i = 0; i < _environments.Length; i++)
            CheckAction(actions.Slice(i * _actionSize, _actionSize), i, nameof(actions));

        _stepCount++;
        if (StepInParallel && _environments.Length > 1)
        {
            // The halves run as delegates, which cannot hold the span: they read a copy.
            actions.CopyTo(_actions);
            PairedWorker.Run(_stepFirstHalf, _stepSecondHalf);
        }
        else
        {
            StepRange(actions, 0, _environments.Length);
        }

        return _step;
    }

    /// <inheritdoc/>
    /// <remarks>True when every environment is an <see cref="IStatefulEnvironment"/> that can save its state.</remarks>
    public bool CanSaveState => Array.TrueForAll(_environments, environment => environment is IStatefulEnvironment { CanSaveState: true });

    /// <inheritdoc/>
    /// <remarks>Writes the running episode statistics, then each environment's state in order.</remarks>
    public void SaveState(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (!CanSaveState)
            throw new NotSupportedException("Every environment must be able to save its state.");
        writer.Write(_environments.Length);
        writer.Write(_isReset);
        for (int i = 0; i < _environments.Length; i++)
        {
            writer.Write(_runningReturns[i]);
            writer.Write(_runningLengths[i]);
            ((IStatefulEnvironment)_environments[i]).SaveState(writer);
        }
    }

    /// <inheritdoc/>
    public void LoadState(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        if (!CanSaveState)
            throw new NotSupportedException("Every environment must be able to load its state.");
        int count = reader.ReadInt32();
        if (count != _environments.Length)
            throw new InvalidDataException($"The saved state holds {count} environments; this vector has {_environments.Length}.");
        bool isReset = reader.ReadBoolean();
        for (int i = 0; i < _environments.Length; i++)
        {
            _runningReturns[i] = reader.ReadDouble();
            _runningLengths[i] = reader.ReadInt32();
            if (!double.IsFinite(_runningReturns[i]) || _runningLengths[i] < 0)
                throw new InvalidDataException($"Environment {i} has an invalid running episode ({_runningReturns[i]} over {_runningLengths[i]} steps).");
            ((IStatefulEnvironment)_environments[i]).LoadState(reader);
        }

        _isReset = isReset;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (IEnvironment environment in _environments)
            environment.Dispose();
    }

    /// <summary>Steps environments <paramref name="start"/> to <paramref name="end"/> − 1 with their actions, resetting those whose episode ended.</summary>
    private void StepRange(ReadOnlySpan<float> actions, int start, int end)
    {
        for (int i = start; i < end; i++)
        {
            Span<float> observation = _step.Observation(i);
            if (PoisonObservations)
                observation.Fill(float.NaN);
            StepResult result = _environments[i].Step(actions.Slice(i * _actionSize, _actionSize), observation);
            _runningLengths[i]++;
            if (!float.IsFinite(result.Reward))
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Environment {i} returned a reward of {result.Reward} at {StepDescription(i)}; rewards must be finite."));
            CheckObservation(observation, i, result.Terminated ? "the final observation of a terminated episode" : result.Truncated ? "the final observation of a truncated episode" : "an observation");
            _step.Rewards[i] = result.Reward;
            _step.Terminated[i] = result.Terminated;
            _step.Truncated[i] = result.Truncated;
            _runningReturns[i] += result.Reward;

            if (result.Terminated || result.Truncated)
            {
                observation.CopyTo(_step.FinalObservation(i));
                _step.EpisodeReturns[i] = _runningReturns[i];
                _step.EpisodeLengths[i] = _runningLengths[i];
                _runningReturns[i] = 0.0;
                _runningLengths[i] = 0;
                if (PoisonObservations)
                    observation.Fill(float.NaN);
                _environments[i].Reset(observation);
                CheckObservation(observation, i, "the first observation after the automatic reset");
            }
        }
    }

    /// <summary>Throws, naming the environment, the step and <paramref name="field"/>, when the observation holds a NaN or infinite element.</summary>
    private void CheckObservation(ReadOnlySpan<float> observation, int index, string field)
    {
        if (TensorPrimitives.IsFiniteAll(observation))
            return;
        int element = 0;
        while (float.IsFinite(observation[element]))
            element++;
        string unwritten = PoisonObservations && float.IsNaN(observation[element])
            ? $" {nameof(PoisonObservations)} is on: the span was filled with NaN before the call, so the environment left this element unwritten."
            : string.Empty;
        throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Environment {index} returned {field} with {observation[element]} in element {element} at {StepDescription(index)}; observations must be finite.{unwritten}"));
    }

    private string StepDescription(int index) => string.Create(CultureInfo.InvariantCulture, $"step {_stepCount} of the vector (step {_runningLengths[index]} of its episode)");

    private void CheckAction(ReadOnlySpan<float> action, int index, string parameterName)
    {
        if (ActionSpace is DiscreteSpace discrete)
        {
            if (!discrete.Contains(action))
                throw new ArgumentException($"The action of environment {index} must be an integer in [0, {discrete.Count - 1}] (was {action[0]}).", parameterName);
            return;
        }

        if (ActionSpace is MultiDiscreteSpace or MultiBinarySpace)
        {
            if (!ActionSpace.Contains(action))
                throw new ArgumentException($"The action of environment {index} must be an element of {ActionSpace} (was [{string.Join(", ", action.ToArray())}]).", parameterName);
            return;
        }

        for (int j = 0; j < action.Length; j++)
        {
            if (float.IsNaN(action[j]))
                throw new ArgumentException($"The action of environment {index} has NaN in dimension {j}.", parameterName);
        }
    }
}
