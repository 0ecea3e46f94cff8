using Ppo.Internal;
using Ppo.Tensors;

namespace Ppo.Rollouts;

/// <summary>
/// The rows of one minibatch, gathered from a rollout into host memory: observations, actions, the log-probabilities,
/// values, distribution parameters and action masks recorded when the actions were taken, and the advantages and returns computed
/// from the rollout. A learner reads it through read-only spans and copies it to wherever it computes.
/// </summary>
/// <remarks>
/// Every column is allocated once for <see cref="Capacity"/> rows; <see cref="Gather"/> and <see cref="CopyFrom"/> fill
/// the leading <see cref="RowCount"/> rows and allocate nothing. Row <c>i</c> of each column belongs to the same
/// transition.
/// </remarks>
public sealed class Minibatch
{
    private readonly Tensor _observations;
    private readonly Tensor _actions;
    private readonly Tensor _oldLogProbabilities;
    private readonly Tensor _advantages;
    private readonly Tensor _returns;
    private readonly Tensor _oldValues;
    private readonly Tensor _oldDistributionParameters;
    private readonly bool[] _actionMasks;

    /// <summary>Allocates the columns for up to <paramref name="capacity"/> rows.</summary>
    /// <param name="capacity">The largest minibatch; at least 1.</param>
    /// <param name="observationSize">The floats per observation; at least 1.</param>
    /// <param name="actionSize">The floats per action; at least 1.</param>
    /// <param name="distributionParameterSize">The floats per row of the recorded action distribution (read by the KL objectives), or 0 when none are kept.</param>
    /// <param name="actionMaskLength">The flags per row of the action masks the actions were chosen under, or 0 when none are kept.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is below 1, or the distribution size or mask length is negative.</exception>
    public Minibatch(int capacity, int observationSize, int actionSize, int distributionParameterSize = 0, int actionMaskLength = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(actionMaskLength);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(observationSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(actionSize);
        ArgumentOutOfRangeException.ThrowIfNegative(distributionParameterSize);
        Capacity = capacity;
        ObservationSize = observationSize;
        ActionSize = actionSize;
        DistributionParameterSize = distributionParameterSize;
        _observations = Tensor.Zeros(capacity, observationSize);
        _actions = Tensor.Zeros(capacity, actionSize);
        _oldLogProbabilities = Tensor.Zeros(capacity);
        _advantages = Tensor.Zeros(capacity);
        _returns = Tensor.Zeros(capacity);
        _oldValues = Tensor.Zeros(capacity);
        _oldDistributionParameters = Tensor.Zeros(capacity, Math.Max(distributionParameterSize, 1));
        ActionMaskLength = actionMaskLength;
        _actionMasks = new bool[capacity * actionMaskLength];
    }

    /// <summary>Gets the largest number of rows the minibatch holds.</summary>
    public int Capacity { get; }

    /// <summary>Gets the number of rows filled by the last <see cref="Gather"/> or <see cref="CopyFrom"/>.</summary>
    public int RowCount { get; private set; }

    /// <summary>Gets the floats per observation.</summary>
    public int ObservationSize { get; }

    /// <summary>Gets the floats per action.</summary>
    public int ActionSize { get; }

    /// <summary>Gets the floats per row of <see cref="OldDistributionParameters"/>, 0 when they are not kept.</summary>
    public int DistributionParameterSize { get; }

    /// <summary>Gets the flags per row of <see cref="ActionMasks"/>, 0 when masks are not kept.</summary>
    public int ActionMaskLength { get; }

    /// <summary>Gets the observations, <c>RowCount × ObservationSize</c>.</summary>
    public ReadOnlySpan<float> Observations => _observations.AsSpan()[..(RowCount * ObservationSize)];

    /// <summary>Gets the actions as sampled (before clipping to the action space), <c>RowCount × ActionSize</c>.</summary>
    public ReadOnlySpan<float> Actions => _actions.AsSpan()[..(RowCount * ActionSize)];

    /// <summary>Gets the log-probability of each action when it was taken.</summary>
    public ReadOnlySpan<float> OldLogProbabilities => _oldLogProbabilities.AsSpan()[..RowCount];

    /// <summary>Gets the advantage of each transition.</summary>
    public ReadOnlySpan<float> Advantages => _advantages.AsSpan()[..RowCount];

    /// <summary>Gets the return of each transition, the value target.</summary>
    public ReadOnlySpan<float> Returns => _returns.AsSpan()[..RowCount];

    /// <summary>Gets the value predicted for each observation when the action was taken.</summary>
    public ReadOnlySpan<float> OldValues => _oldValues.AsSpan()[..RowCount];

    /// <summary>Gets the parameters of the distribution each action was drawn from, <c>RowCount × DistributionParameterSize</c> (empty when not kept).</summary>
    public ReadOnlySpan<float> OldDistributionParameters => _oldDistributionParameters.AsSpan()[..(RowCount * DistributionParameterSize)];

    /// <summary>
    /// Gets the action mask each action was chosen under, <c>RowCount × ActionMaskLength</c>, <see langword="true"/> for
    /// a valid action (empty when not kept); the policy is evaluated under these masks.
    /// </summary>
    public ReadOnlySpan<bool> ActionMasks => _actionMasks.AsSpan(0, RowCount * ActionMaskLength);

    /// <summary>Gets the filled rows of <see cref="ActionMasks"/> as memory, for engines that compute on another thread.</summary>
    internal ReadOnlyMemory<bool> ActionMaskMemory => _actionMasks.AsMemory(0, RowCount * ActionMaskLength);

    internal Tensor ObservationTensor => _observations;

    internal Tensor ActionTensor => _actions;

    internal Tensor OldLogProbabilityTensor => _oldLogProbabilities;

    internal Tensor AdvantageTensor => _advantages;

    internal Tensor ReturnTensor => _returns;

    internal Tensor OldValueTensor => _oldValues;

    internal Tensor OldDistributionParameterTensor => _oldDistributionParameters;

    /// <summary>Copies rollout rows <paramref name="indices"/> into the minibatch, in that order.</summary>
    /// <param name="buffer">The rollout, with advantages computed.</param>
    /// <param name="indices">The rows to take; between 1 and <see cref="Capacity"/> of them.</param>
    /// <exception cref="ArgumentException">The number of indices is outside [1, <see cref="Capacity"/>], or the rollout's row sizes (masks included) differ from the minibatch's.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An index is outside the rollout.</exception>
    public void Gather(RolloutBuffer buffer, ReadOnlySpan<int> indices)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        CheckRowCount(indices.Length, nameof(indices));
        if (buffer.ObservationSize != ObservationSize || buffer.ActionSize != ActionSize)
            throw new ArgumentException($"The rollout holds observations of {buffer.ObservationSize} floats and actions of {buffer.ActionSize}; the minibatch {ObservationSize} and {ActionSize}.", nameof(buffer));
        if (buffer.ActionMaskLength != ActionMaskLength)
            throw new ArgumentException($"The rollout keeps action masks of {buffer.ActionMaskLength} flags per row; the minibatch {ActionMaskLength}.", nameof(buffer));
        MatrixRows.Gather(buffer.Observations.AsSpan(), ObservationSize, indices, _observations.AsSpan());
        MatrixRows.Gather(buffer.Actions.AsSpan(), ActionSize, indices, _actions.AsSpan());
        MatrixRows.Gather(buffer.LogProbabilities.AsSpan(), 1, indices, _oldLogProbabilities.AsSpan());
        MatrixRows.Gather(buffer.Advantages.AsSpan(), 1, indices, _advantages.AsSpan());
        MatrixRows.Gather(buffer.Returns.AsSpan(), 1, indices, _returns.AsSpan());
        MatrixRows.Gather(buffer.Values.AsSpan(), 1, indices, _oldValues.AsSpan());
        if (buffer.DistributionParameters is Tensor parameters && DistributionParameterSize > 0)
            MatrixRows.Gather(parameters.AsSpan(), DistributionParameterSize, indices, _oldDistributionParameters.AsSpan());
        if (ActionMaskLength > 0)
            MatrixRows.Gather(buffer.ActionMasks, ActionMaskLength, indices, _actionMasks.AsSpan());
        RowCount = indices.Length;
    }

    /// <summary>Fills the minibatch from columns given directly (for tests, benchmarks and collectors that do not use a <see cref="RolloutBuffer"/>).</summary>
    /// <param name="observations">The observations, <c>rows × ObservationSize</c>.</param>
    /// <param name="actions">The actions, <c>rows × ActionSize</c>.</param>
    /// <param name="oldLogProbabilities">The log-probabilities when the actions were taken, one per row.</param>
    /// <param name="advantages">The advantages, one per row.</param>
    /// <param name="returns">The returns, one per row.</param>
    /// <param name="oldValues">The values when the actions were taken, one per row.</param>
    /// <param name="oldDistributionParameters">The recorded distributions, <c>rows × DistributionParameterSize</c>, or empty when the minibatch keeps none.</param>
    /// <param name="actionMasks">The masks the actions were chosen under, <c>rows × ActionMaskLength</c>, or empty when the minibatch keeps none.</param>
    /// <exception cref="ArgumentException">The lengths do not describe the same number of rows, or it is outside [1, <see cref="Capacity"/>].</exception>
    public void CopyFrom(
        ReadOnlySpan<float> observations,
        ReadOnlySpan<float> actions,
        ReadOnlySpan<float> oldLogProbabilities,
        ReadOnlySpan<float> advantages,
        ReadOnlySpan<float> returns,
        ReadOnlySpan<float> oldValues,
        ReadOnlySpan<float> oldDistributionParameters = default,
        ReadOnlySpan<bool> actionMasks = default)
    {
        int rows = oldLogProbabilities.Length;
        CheckRowCount(rows, nameof(oldLogProbabilities));
        Guard.HasLength(observations, rows * ObservationSize, nameof(observations));
        Guard.HasLength(actions, rows * ActionSize, nameof(actions));
        Guard.HasLength(advantages, rows, nameof(advantages));
        Guard.HasLength(returns, rows, nameof(returns));
        Guard.HasLength(oldValues, rows, nameof(oldValues));
        Guard.HasLength(oldDistributionParameters, rows * DistributionParameterSize, nameof(oldDistributionParameters));
        Guard.HasLength(actionMasks, rows * ActionMaskLength, nameof(actionMasks));
        observations.CopyTo(_observations.AsSpan());
        actions.CopyTo(_actions.AsSpan());
        oldLogProbabilities.CopyTo(_oldLogProbabilities.AsSpan());
        advantages.CopyTo(_advantages.AsSpan());
        returns.CopyTo(_returns.AsSpan());
        oldValues.CopyTo(_oldValues.AsSpan());
        oldDistributionParameters.CopyTo(_oldDistributionParameters.AsSpan());
        actionMasks.CopyTo(_actionMasks);
        RowCount = rows;
    }

    private void CheckRowCount(int rows, string parameterName)
    {
        if (rows < 1 || rows > Capacity)
            throw new ArgumentException($"A minibatch holds between 1 and {Capacity} rows (was {rows}).", parameterName);
    }
}
