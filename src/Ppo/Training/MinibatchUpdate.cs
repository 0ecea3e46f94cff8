using Ppo.Losses;
using Ppo.Optimization;
using Ppo.Policies;
using Ppo.Rollouts;
using Ppo.Tensors;

namespace Ppo.Training;

/// <summary>
/// One PPO minibatch step on preallocated buffers: gather the minibatch from the rollout, evaluate the policy and the
/// fused loss (<see cref="ComputeLoss"/>), then back-propagate, clip the global gradient norm and take an Adam step
/// (<see cref="ApplyGradients"/>). The two halves are separate so that a KL target can stop in between.
/// </summary>
/// <remarks>Nothing here allocates after construction.</remarks>
public sealed class MinibatchUpdate
{
    private readonly ActorCritic _policy;
    private readonly Adam _optimizer;
    private readonly Tensor _logProbabilities;
    private readonly Tensor _entropy;
    private readonly Tensor _values;
    private readonly Tensor _logProbabilityGradient;
    private readonly Tensor _entropyGradient;
    private readonly Tensor _valueGradient;
    private readonly Tensor _klDivergence;
    private readonly Tensor _klGradient;
    private bool _lastLossPenalizedKl;

    /// <summary>Allocates the buffers for minibatches of up to <paramref name="maxBatchSize"/> rows.</summary>
    /// <param name="policy">The network to train.</param>
    /// <param name="optimizer">The optimizer over <c>policy.Parameters</c>.</param>
    /// <param name="maxBatchSize">The largest minibatch; at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxBatchSize"/> is below 1.</exception>
    public MinibatchUpdate(ActorCritic policy, Adam optimizer, int maxBatchSize)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBatchSize);
        _policy = policy;
        _optimizer = optimizer;
        policy.Resize(maxBatchSize);
        Device device = policy.Device;
        MaxBatchSize = maxBatchSize;
        Observations = device.Zeros(maxBatchSize, policy.ObservationSize);
        Actions = device.Zeros(maxBatchSize, policy.ActionSize);
        OldLogProbabilities = device.Zeros(maxBatchSize);
        Advantages = device.Zeros(maxBatchSize);
        Returns = device.Zeros(maxBatchSize);
        OldValues = device.Zeros(maxBatchSize);
        _logProbabilities = device.Zeros(maxBatchSize);
        _entropy = device.Zeros(maxBatchSize);
        _values = device.Zeros(maxBatchSize);
        _logProbabilityGradient = device.Zeros(maxBatchSize);
        _entropyGradient = device.Zeros(maxBatchSize);
        _valueGradient = device.Zeros(maxBatchSize);
        OldDistributionParameters = device.Zeros(maxBatchSize, policy.DistributionParameterSize);
        _klDivergence = device.Zeros(maxBatchSize);
        _klGradient = device.Zeros(maxBatchSize);
    }

    /// <summary>Gets the largest minibatch.</summary>
    public int MaxBatchSize { get; }

    /// <summary>Gets the minibatch observations, <c>[MaxBatchSize × ObservationSize]</c>.</summary>
    public Tensor Observations { get; }

    /// <summary>Gets the minibatch actions, <c>[MaxBatchSize × ActionSize]</c>.</summary>
    public Tensor Actions { get; }

    /// <summary>Gets the log-probabilities of the actions when they were collected.</summary>
    public Tensor OldLogProbabilities { get; }

    /// <summary>Gets the advantages.</summary>
    public Tensor Advantages { get; }

    /// <summary>Gets the returns, the value targets.</summary>
    public Tensor Returns { get; }

    /// <summary>Gets the values predicted when the actions were collected.</summary>
    public Tensor OldValues { get; }

    /// <summary>Gets the distribution parameters each action was drawn from, <c>[MaxBatchSize × DistributionParameterSize]</c> (read by the KL objectives).</summary>
    public Tensor OldDistributionParameters { get; }

    /// <summary>Copies rollout rows <paramref name="indices"/> into the minibatch buffers (the distribution parameters too, when the rollout kept them).</summary>
    /// <param name="buffer">The rollout, with advantages computed.</param>
    /// <param name="indices">The rows to take; at most <see cref="MaxBatchSize"/>.</param>
    /// <exception cref="ArgumentException">There are more indices than <see cref="MaxBatchSize"/>.</exception>
    public void Gather(RolloutBuffer buffer, ReadOnlySpan<int> indices)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        if (indices.Length > MaxBatchSize)
            throw new ArgumentException($"A minibatch holds at most {MaxBatchSize} rows (was {indices.Length}).", nameof(indices));
        DeviceKernels kernels = Observations.Device.Kernels;
        kernels.GatherRows(buffer.Observations, indices, Observations);
        kernels.GatherRows(buffer.Actions, indices, Actions);
        kernels.GatherRows(buffer.LogProbabilities, indices, OldLogProbabilities);
        kernels.GatherRows(buffer.Advantages, indices, Advantages);
        kernels.GatherRows(buffer.Returns, indices, Returns);
        kernels.GatherRows(buffer.Values, indices, OldValues);
        if (buffer.DistributionParameters is not null)
            kernels.GatherRows(buffer.DistributionParameters, indices, OldDistributionParameters);
    }

    /// <summary>Evaluates the policy on the first <paramref name="rowCount"/> rows and computes the fused PPO loss and its output gradients.</summary>
    /// <param name="rowCount">The minibatch size.</param>
    /// <param name="settings">The loss coefficients and switches.</param>
    /// <returns>The loss, its parts and the diagnostics.</returns>
    /// <remarks>The KL objectives read <see cref="OldDistributionParameters"/>.</remarks>
    public PpoLossResult ComputeLoss(int rowCount, PpoLossSettings settings)
    {
        _lastLossPenalizedKl = settings.PenalizesKl;
        Tensor? klDivergence = _lastLossPenalizedKl ? _klDivergence : null;
        _policy.Evaluate(Observations, Actions, rowCount, _logProbabilities, _entropy, _values, _lastLossPenalizedKl ? OldDistributionParameters : null, klDivergence);
        return Observations.Device.Kernels.PpoLoss(
            _logProbabilities, OldLogProbabilities, Advantages, _values, OldValues, Returns, _entropy, klDivergence,
            settings, _logProbabilityGradient, _valueGradient, _entropyGradient, _lastLossPenalizedKl ? _klGradient : null, rowCount);
    }

    /// <summary>Evaluates the current policy on the first <paramref name="rowCount"/> rows and returns the mean KL(π_old ‖ π).</summary>
    /// <param name="rowCount">The minibatch size.</param>
    /// <returns>The mean KL divergence from the distributions in <see cref="OldDistributionParameters"/>.</returns>
    public float MeanKlDivergence(int rowCount)
    {
        _policy.Evaluate(Observations, Actions, rowCount, _logProbabilities, _entropy, _values, OldDistributionParameters, _klDivergence);
        double sum = 0;
        foreach (float value in _klDivergence.Rows(rowCount))
            sum += value;
        return (float)(sum / rowCount);
    }

    /// <summary>Back-propagates the last <see cref="ComputeLoss"/>, clips the global gradient norm and takes one Adam step.</summary>
    /// <param name="rowCount">The minibatch size of the last <see cref="ComputeLoss"/>.</param>
    /// <param name="maxGradientNorm">The largest global gradient norm.</param>
    /// <param name="learningRate">The Adam step size.</param>
    /// <returns>The gradient norm before clipping.</returns>
    public float ApplyGradients(int rowCount, float maxGradientNorm, float learningRate)
    {
        _policy.Parameters.ZeroGradients();
        _policy.Backward(_logProbabilityGradient, _entropyGradient, _valueGradient, rowCount, _lastLossPenalizedKl ? _klGradient : null);
        float norm = _policy.Device.Kernels.ClipGradientNorm(_policy.Parameters.Gradients, maxGradientNorm);
        _optimizer.Step(learningRate);
        return norm;
    }
}
