using System.Globalization;
using Ppo.Internal;
using Ppo.Tensors;

namespace Ppo.Rollouts;

/// <summary>
/// The transitions of one rollout: <c>steps × environments</c> observations, actions, rewards, episode ends, value
/// estimates and log-probabilities, then the advantages and returns computed from them. Allocated once.
/// </summary>
/// <remarks>
/// Row <c>t·N + n</c> holds step <c>t</c> of environment <c>n</c>. The observation stored with a step is the one the
/// action was chosen from. <c>Dones</c> is 1 where the episode ended at that step (terminated or truncated). A buffer
/// created with an action-mask length also keeps the mask each action was chosen under, so that the update evaluates
/// the policy under the same mask.
/// </remarks>
public sealed class RolloutBuffer
{
    /// <summary>Creates an empty buffer.</summary>
    /// <param name="steps">The steps per environment (<c>n_steps</c>); at least 1.</param>
    /// <param name="environmentCount">The number of environments; at least 1.</param>
    /// <param name="observationSize">The floats per observation; at least 1.</param>
    /// <param name="actionSize">The floats per action; at least 1.</param>
    /// <param name="device">The device of the buffers, or <see langword="null"/> for the CPU.</param>
    /// <param name="distributionParameterSize">The floats per row of the action distribution to keep for KL penalties, or 0 to keep none.</param>
    /// <param name="actionMaskLength">The flags per row of the action masks to keep (<see cref="Environments.ActionMasks.Length"/>), or 0 to keep none.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is below 1, or the distribution size or mask length is negative.</exception>
    public RolloutBuffer(int steps, int environmentCount, int observationSize, int actionSize, Device? device = null, int distributionParameterSize = 0, int actionMaskLength = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(distributionParameterSize);
        ArgumentOutOfRangeException.ThrowIfNegative(actionMaskLength);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(steps);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(environmentCount);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(observationSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(actionSize);
        device ??= Device.Cpu;
        Steps = steps;
        EnvironmentCount = environmentCount;
        ObservationSize = observationSize;
        ActionSize = actionSize;
        int size = steps * environmentCount;
        Observations = device.Zeros(size, observationSize);
        Actions = device.Zeros(size, actionSize);
        Rewards = device.Zeros(size);
        Dones = device.Zeros(size);
        Values = device.Zeros(size);
        LogProbabilities = device.Zeros(size);
        Advantages = device.Zeros(size);
        Returns = device.Zeros(size);
        LastValues = device.Zeros(environmentCount);
        if (distributionParameterSize > 0)
            DistributionParameters = device.Zeros(size, distributionParameterSize);
        ActionMaskLength = actionMaskLength;
        ActionMaskArray = new bool[size * actionMaskLength];
    }

    /// <summary>Gets the steps per environment.</summary>
    public int Steps { get; }

    /// <summary>Gets the number of environments.</summary>
    public int EnvironmentCount { get; }

    /// <summary>Gets the floats per observation.</summary>
    public int ObservationSize { get; }

    /// <summary>Gets the floats per action.</summary>
    public int ActionSize { get; }

    /// <summary>Gets the flags per row of <see cref="ActionMasks"/>, 0 when the buffer keeps no masks.</summary>
    public int ActionMaskLength { get; }

    /// <summary>Gets the number of transitions when full: <c>Steps × EnvironmentCount</c>.</summary>
    public int Size => Steps * EnvironmentCount;

    /// <summary>Gets the number of steps added since the last <see cref="Clear"/>.</summary>
    public int StepCount { get; private set; }

    /// <summary>Gets a value indicating whether every step has been added.</summary>
    public bool IsFull => StepCount == Steps;

    /// <summary>Gets the observations, <c>[Size × ObservationSize]</c>.</summary>
    public Tensor Observations { get; }

    /// <summary>Gets the actions, <c>[Size × ActionSize]</c>, as sampled (before any clipping to the action space).</summary>
    public Tensor Actions { get; }

    /// <summary>Gets the rewards, including the bootstrap added to truncated steps.</summary>
    public Tensor Rewards { get; }

    /// <summary>Gets 1 where the episode ended at that step, else 0.</summary>
    public Tensor Dones { get; }

    /// <summary>Gets the value estimates of the observations.</summary>
    public Tensor Values { get; }

    /// <summary>Gets the log-probabilities of the actions when they were chosen.</summary>
    public Tensor LogProbabilities { get; }

    /// <summary>Gets the advantages, valid after <see cref="ComputeAdvantages(float, float)"/>.</summary>
    public Tensor Advantages { get; }

    /// <summary>Gets the returns (advantages + values), valid after <see cref="ComputeAdvantages(float, float)"/>.</summary>
    public Tensor Returns { get; }

    /// <summary>
    /// Gets the parameters of the action distribution each action was drawn from (<c>[Size × DistributionParameterSize]</c>),
    /// kept for KL penalties, or <see langword="null"/> when the buffer was created without them.
    /// </summary>
    public Tensor? DistributionParameters { get; }

    /// <summary>
    /// Gets the action mask each action was chosen under, <c>[Size × ActionMaskLength]</c>, <see langword="true"/> for a
    /// valid action; empty when the buffer keeps no masks.
    /// </summary>
    public ReadOnlySpan<bool> ActionMasks => ActionMaskArray;

    /// <summary>Gets the value estimates of the observations after the last step, set by <see cref="ComputeAdvantages(float, float)"/>.</summary>
    public Tensor LastValues { get; }

    internal bool[] ActionMaskArray { get; }

    /// <summary>Empties the buffer so that a new rollout can be added.</summary>
    public void Clear() => StepCount = 0;

    /// <summary>Adds one step of every environment.</summary>
    /// <param name="observations">The observations the actions were chosen from, <c>EnvironmentCount × ObservationSize</c>.</param>
    /// <param name="actions">The actions, <c>EnvironmentCount × ActionSize</c>.</param>
    /// <param name="rewards">The rewards.</param>
    /// <param name="terminated">Whether each episode terminated at this step.</param>
    /// <param name="truncated">Whether each episode was truncated at this step.</param>
    /// <param name="values">The value estimates of the observations.</param>
    /// <param name="logProbabilities">The log-probabilities of the actions.</param>
    /// <param name="distributionParameters">The distribution each action was drawn from, <c>EnvironmentCount × DistributionParameterSize</c>; required when the buffer keeps them.</param>
    /// <param name="actionMasks">The masks the actions were chosen under, <c>EnvironmentCount × ActionMaskLength</c>; required when the buffer keeps them.</param>
    /// <exception cref="ArgumentException">A span has the wrong length, or an observation or reward is NaN or infinite (the message names the environment and the step).</exception>
    /// <exception cref="InvalidOperationException">The buffer is full.</exception>
    public void Add(
        ReadOnlySpan<float> observations,
        ReadOnlySpan<float> actions,
        ReadOnlySpan<float> rewards,
        ReadOnlySpan<bool> terminated,
        ReadOnlySpan<bool> truncated,
        ReadOnlySpan<float> values,
        ReadOnlySpan<float> logProbabilities,
        ReadOnlySpan<float> distributionParameters = default,
        ReadOnlySpan<bool> actionMasks = default)
    {
        if (IsFull)
            throw new InvalidOperationException($"The rollout buffer is full ({Steps} steps); call {nameof(Clear)} first.");
        int n = EnvironmentCount;
        Guard.HasLength(observations, n * ObservationSize, nameof(observations));
        Guard.HasLength(actions, n * ActionSize, nameof(actions));
        Guard.HasLength(rewards, n, nameof(rewards));
        Guard.HasLength(terminated, n, nameof(terminated));
        Guard.HasLength(truncated, n, nameof(truncated));
        Guard.HasLength(values, n, nameof(values));
        Guard.HasLength(logProbabilities, n, nameof(logProbabilities));
        if (DistributionParameters is not null)
            Guard.HasLength(distributionParameters, n * DistributionParameters.RowLength, nameof(distributionParameters));
        Guard.HasLength(actionMasks, n * ActionMaskLength, nameof(actionMasks));
        CheckFinite(observations, ObservationSize, "observation", nameof(observations));
        CheckFinite(rewards, 1, "reward", nameof(rewards));

        int row = StepCount * n;
        observations.CopyTo(Observations.AsSpan().Slice(row * ObservationSize, n * ObservationSize));
        actions.CopyTo(Actions.AsSpan().Slice(row * ActionSize, n * ActionSize));
        rewards.CopyTo(Rewards.AsSpan().Slice(row, n));
        values.CopyTo(Values.AsSpan().Slice(row, n));
        logProbabilities.CopyTo(LogProbabilities.AsSpan().Slice(row, n));
        if (DistributionParameters is not null)
            distributionParameters.CopyTo(DistributionParameters.AsSpan().Slice(row * DistributionParameters.RowLength, n * DistributionParameters.RowLength));
        actionMasks.CopyTo(ActionMaskArray.AsSpan(row * ActionMaskLength));
        Span<float> dones = Dones.AsSpan().Slice(row, n);
        for (int i = 0; i < n; i++)
            dones[i] = terminated[i] || truncated[i] ? 1f : 0f;
        StepCount++;
    }

    /// <summary>
    /// Adds <paramref name="discountedValue"/> (<c>γ·V(final observation)</c>) to the reward of environment
    /// <paramref name="environment"/> at the last added step, which bootstraps an episode cut by a time limit so that it
    /// is not treated as terminal.
    /// </summary>
    /// <param name="environment">The environment whose episode was truncated.</param>
    /// <param name="discountedValue">The discounted value of the final observation; must be finite.</param>
    /// <exception cref="ArgumentOutOfRangeException">The environment index is out of range or the value is not finite.</exception>
    /// <exception cref="InvalidOperationException">No step has been added.</exception>
    public void AddBootstrap(int environment, float discountedValue)
    {
        if ((uint)environment >= (uint)EnvironmentCount)
            throw new ArgumentOutOfRangeException(nameof(environment), environment, $"The environment must be in [0, {EnvironmentCount - 1}].");
        if (!float.IsFinite(discountedValue))
            throw new ArgumentOutOfRangeException(nameof(discountedValue), discountedValue, "The bootstrap value must be finite.");
        if (StepCount == 0)
            throw new InvalidOperationException("No step has been added to bootstrap.");
        Rewards.AsSpan()[(StepCount - 1) * EnvironmentCount + environment] += discountedValue;
    }

    /// <summary>Computes <see cref="Advantages"/> and <see cref="Returns"/> with <see cref="Gae"/>.</summary>
    /// <param name="lastValues">The value estimates of the observations after the last step, one per environment.</param>
    /// <param name="gamma">The discount γ, in [0, 1].</param>
    /// <param name="lambda">The GAE parameter λ, in [0, 1].</param>
    /// <exception cref="InvalidOperationException">The buffer is not full.</exception>
    /// <exception cref="ArgumentException"><paramref name="lastValues"/> has the wrong length.</exception>
    public void ComputeAdvantages(ReadOnlySpan<float> lastValues, float gamma, float lambda)
    {
        SetLastValues(lastValues);
        ComputeAdvantages(gamma, lambda);
    }

    /// <summary>Sets <see cref="LastValues"/>, the value estimates of the observations after the last step.</summary>
    /// <param name="lastValues">One value per environment.</param>
    /// <exception cref="ArgumentException"><paramref name="lastValues"/> has the wrong length.</exception>
    public void SetLastValues(ReadOnlySpan<float> lastValues) => LastValues.CopyFrom(lastValues);

    /// <summary>Computes <see cref="Advantages"/> and <see cref="Returns"/> with <see cref="Gae"/> from <see cref="LastValues"/> as set by <see cref="SetLastValues"/>.</summary>
    /// <param name="gamma">The discount γ, in [0, 1].</param>
    /// <param name="lambda">The GAE parameter λ, in [0, 1].</param>
    /// <exception cref="InvalidOperationException">The buffer is not full.</exception>
    public void ComputeAdvantages(float gamma, float lambda)
    {
        if (!IsFull)
            throw new InvalidOperationException($"The rollout holds {StepCount} of {Steps} steps; fill it before computing advantages.");
        Gae.Compute(Rewards.AsSpan(), Values.AsSpan(), Dones.AsSpan(), LastValues.AsSpan(), EnvironmentCount, gamma, lambda, Advantages.AsSpan(), Returns.AsSpan());
    }

    private void CheckFinite(ReadOnlySpan<float> data, int width, string what, string parameterName)
    {
        for (int i = 0; i < data.Length; i++)
        {
            if (!float.IsFinite(data[i]))
            {
                string element = width > 1 ? string.Create(CultureInfo.InvariantCulture, $", element {i % width}") : string.Empty;
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"The {what} of environment {i / width} at rollout step {StepCount}{element} is {data[i]}; environments must return finite {what}s."),
                    parameterName);
            }
        }
    }
}
