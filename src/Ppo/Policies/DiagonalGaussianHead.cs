using Ppo.Networks;
using Ppo.Randomness;
using Ppo.Tensors;

namespace Ppo.Policies;

/// <summary>A diagonal Gaussian over <c>k</c>-dimensional actions: the network outputs the mean, a learned state-independent <c>log_std</c> the spread.</summary>
internal sealed class DiagonalGaussianHead : PolicyHead
{
    private readonly int _dimensions;
    private readonly float _initialLogStandardDeviation;
    private readonly Parameter _logStandardDeviation;
    private readonly Parameter[] _parameters;
    private Tensor? _mean;
    private Tensor? _actions;
    private Tensor? _oldMean;
    private Tensor? _oldLogStandardDeviation;

    public DiagonalGaussianHead(int dimensions, float initialLogStandardDeviation)
    {
        _dimensions = dimensions;
        _initialLogStandardDeviation = initialLogStandardDeviation;
        _logStandardDeviation = new Parameter("log_std", dimensions);
        _parameters = [_logStandardDeviation];
    }

    public override int NetworkOutputSize => _dimensions;

    public override int ActionSize => _dimensions;

    /// <remarks>The mean, then the log standard deviation.</remarks>
    public override int DistributionParameterSize => 2 * _dimensions;

    public override IReadOnlyList<Parameter> Parameters => _parameters;

    /// <summary>Gets the learned log standard deviation.</summary>
    public Parameter LogStandardDeviation => _logStandardDeviation;

    public override void Initialize() => _logStandardDeviation.Value.Fill(_initialLogStandardDeviation);

    public override void Resize(int maxRowCount, Device device)
    {
        if (_oldMean is not null && _oldMean.RowCount >= maxRowCount)
            return;
        _oldMean = device.Zeros(maxRowCount, _dimensions);
        _oldLogStandardDeviation = device.Zeros(_dimensions);
    }

    public override void Evaluate(Tensor networkOutput, Tensor actions, ReadOnlySpan<bool> actionMasks, int rowCount, Tensor logProbabilities, Tensor entropy)
    {
        _mean = networkOutput;
        _actions = actions;
        HeadKernels.GaussianEvaluate(networkOutput, _logStandardDeviation.Value, actions, logProbabilities, entropy, rowCount);
    }

    /// <remarks>
    /// The old log standard deviation is read from the first row: it does not depend on the state, so every row of a
    /// rollout, collected with one policy, holds the same one.
    /// </remarks>
    public override void EvaluateKl(Tensor oldDistributionParameters, int rowCount, Tensor klDivergence)
    {
        Span<float> oldMean = _oldMean!.AsSpan();
        for (int r = 0; r < rowCount; r++)
            oldDistributionParameters.Row(r)[.._dimensions].CopyTo(oldMean.Slice(r * _dimensions, _dimensions));
        oldDistributionParameters.Row(0)[_dimensions..].CopyTo(_oldLogStandardDeviation!.AsSpan());
        HeadKernels.GaussianKl(_oldMean, _oldLogStandardDeviation, _mean!, _logStandardDeviation.Value, klDivergence, rowCount);
    }

    public override void Backward(Tensor logProbabilityGradient, Tensor entropyGradient, Tensor? klGradient, int rowCount, Tensor networkOutputGradient)
    {
        if (_mean is null || _actions is null)
            throw new InvalidOperationException("Backward needs an Evaluate call first.");
        HeadKernels.GaussianBackward(_mean, _logStandardDeviation.Value, _actions, logProbabilityGradient, entropyGradient, networkOutputGradient, _logStandardDeviation.Gradient, rowCount);
        if (klGradient is not null)
            HeadKernels.GaussianKlBackward(_oldMean!, _oldLogStandardDeviation!, _mean, _logStandardDeviation.Value, klGradient, networkOutputGradient, _logStandardDeviation.Gradient, rowCount);
    }

    public override void WriteDistributionParameters(Tensor networkOutput, ReadOnlySpan<bool> actionMasks, int rowCount, Tensor destination)
    {
        ReadOnlySpan<float> logStandardDeviation = _logStandardDeviation.Value.AsSpan();
        for (int r = 0; r < rowCount; r++)
        {
            Span<float> row = destination.Row(r);
            networkOutput.Row(r).CopyTo(row);
            logStandardDeviation.CopyTo(row[_dimensions..]);
        }
    }

    public override void Act(Tensor networkOutput, ReadOnlySpan<bool> actionMasks, int rowCount, SeededRandom random, bool deterministic, Tensor actions, Tensor logProbabilities) =>
        HeadKernels.GaussianAct(networkOutput, _logStandardDeviation.Value, random, deterministic, actions, logProbabilities, rowCount);
}
