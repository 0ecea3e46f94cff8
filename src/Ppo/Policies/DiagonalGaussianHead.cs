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

    public DiagonalGaussianHead(int dimensions, float initialLogStandardDeviation)
    {
        _dimensions = dimensions;
        _initialLogStandardDeviation = initialLogStandardDeviation;
        _logStandardDeviation = new Parameter("log_std", dimensions);
        _parameters = [_logStandardDeviation];
    }

    public override int NetworkOutputSize => _dimensions;

    public override int ActionSize => _dimensions;

    public override IReadOnlyList<Parameter> Parameters => _parameters;

    /// <summary>Gets the learned log standard deviation.</summary>
    public Parameter LogStandardDeviation => _logStandardDeviation;

    public override void Initialize() => _logStandardDeviation.Value.Fill(_initialLogStandardDeviation);

    public override void Resize(int maxRowCount, Device device)
    {
    }

    public override void Evaluate(Tensor networkOutput, Tensor actions, int rowCount, Tensor logProbabilities, Tensor entropy)
    {
        _mean = networkOutput;
        _actions = actions;
        networkOutput.Device.Kernels.GaussianEvaluate(networkOutput, _logStandardDeviation.Value, actions, logProbabilities, entropy, rowCount);
    }

    public override void Backward(Tensor logProbabilityGradient, Tensor entropyGradient, int rowCount, Tensor networkOutputGradient)
    {
        if (_mean is null || _actions is null)
            throw new InvalidOperationException("Backward needs an Evaluate call first.");
        networkOutputGradient.Device.Kernels.GaussianBackward(
            _mean, _logStandardDeviation.Value, _actions, logProbabilityGradient, entropyGradient, networkOutputGradient, _logStandardDeviation.Gradient, rowCount);
    }

    public override void Act(Tensor networkOutput, int rowCount, SeededRandom random, bool deterministic, Tensor actions, Tensor logProbabilities) =>
        networkOutput.Device.Kernels.GaussianAct(networkOutput, _logStandardDeviation.Value, random, deterministic, actions, logProbabilities, rowCount);
}
