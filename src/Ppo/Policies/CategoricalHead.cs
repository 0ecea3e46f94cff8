using Ppo.Randomness;
using Ppo.Tensors;

namespace Ppo.Policies;

/// <summary>A categorical distribution over <c>k</c> discrete actions, parameterized by <c>k</c> logits.</summary>
internal sealed class CategoricalHead(int classCount) : PolicyHead
{
    private Tensor? _logProbabilities;
    private Tensor? _probabilities;
    private Tensor? _entropy;
    private Tensor? _actions;
    private Tensor? _oldLogProbabilities;
    private Tensor? _oldProbabilities;

    public override int NetworkOutputSize => classCount;

    public override int ActionSize => 1;

    /// <remarks>The logits.</remarks>
    public override int DistributionParameterSize => classCount;

    public override void Resize(int maxRowCount, Device device)
    {
        if (_logProbabilities is not null && _logProbabilities.RowCount >= maxRowCount)
            return;
        _logProbabilities = device.Zeros(maxRowCount, classCount);
        _probabilities = device.Zeros(maxRowCount, classCount);
        _oldLogProbabilities = device.Zeros(maxRowCount, classCount);
        _oldProbabilities = device.Zeros(maxRowCount, classCount);
    }

    public override void Evaluate(Tensor networkOutput, Tensor actions, ReadOnlySpan<bool> actionMasks, int rowCount, Tensor logProbabilities, Tensor entropy)
    {
        _actions = actions;
        _entropy = entropy;
        HeadKernels.CategoricalEvaluate(networkOutput, actions, actionMasks, LogProbabilities, Probabilities, logProbabilities, entropy, rowCount, classCount);
    }

    public override void EvaluateKl(Tensor oldDistributionParameters, int rowCount, Tensor klDivergence) =>
        HeadKernels.CategoricalKl(oldDistributionParameters, LogProbabilities, _oldLogProbabilities!, _oldProbabilities!, klDivergence, rowCount, classCount);

    public override void Backward(Tensor logProbabilityGradient, Tensor entropyGradient, Tensor? klGradient, int rowCount, Tensor networkOutputGradient)
    {
        if (_actions is null || _entropy is null)
            throw new InvalidOperationException("Backward needs an Evaluate call first.");
        HeadKernels.CategoricalBackward(LogProbabilities, Probabilities, _entropy, _actions, logProbabilityGradient, entropyGradient, networkOutputGradient, rowCount, classCount);
        if (klGradient is not null)
            HeadKernels.CategoricalKlBackward(_oldLogProbabilities!, Probabilities, klGradient, networkOutputGradient, rowCount, classCount);
    }

    public override void WriteDistributionParameters(Tensor networkOutput, ReadOnlySpan<bool> actionMasks, int rowCount, Tensor destination) =>
        HeadKernels.WriteLogits(networkOutput, actionMasks, rowCount, classCount, destination);

    public override void Act(Tensor networkOutput, ReadOnlySpan<bool> actionMasks, int rowCount, SeededRandom random, bool deterministic, Tensor actions, Tensor logProbabilities) =>
        HeadKernels.CategoricalAct(networkOutput, actionMasks, LogProbabilities, Probabilities, random, deterministic, actions, logProbabilities, rowCount, classCount);

    private Tensor LogProbabilities => _logProbabilities ?? throw NotResized();

    private Tensor Probabilities => _probabilities ?? throw NotResized();

    private static InvalidOperationException NotResized() => new("The policy head has not been sized; call Resize first.");
}
