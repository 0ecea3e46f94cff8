using Ppo.Distributions;
using Ppo.Randomness;
using Ppo.Tensors;

namespace Ppo.Policies;

/// <summary>Independent Bernoulli flags for a <c>MultiBinary</c> action space, one logit per flag (<see cref="Bernoulli"/>).</summary>
internal sealed class BernoulliHead(int flagCount) : PolicyHead
{
    private Tensor? _logits;
    private Tensor? _actions;
    private Tensor? _oldLogits;
    private Tensor? _entropy;

    public override int NetworkOutputSize => flagCount;

    public override int ActionSize => flagCount;

    /// <remarks>The logits.</remarks>
    public override int DistributionParameterSize => flagCount;

    public override void Resize(int maxRowCount, Device device)
    {
        if (_entropy is not null && _entropy.RowCount >= maxRowCount)
            return;
        _entropy = device.Zeros(maxRowCount);
    }

    public override void Evaluate(Tensor networkOutput, Tensor actions, ReadOnlySpan<bool> actionMasks, int rowCount, Tensor logProbabilities, Tensor entropy)
    {
        _logits = networkOutput;
        _actions = actions;
        Bernoulli.Evaluate(networkOutput.Rows(rowCount), actions.Rows(rowCount), logProbabilities.Rows(rowCount), entropy.Rows(rowCount), flagCount);
    }

    public override void EvaluateKl(Tensor oldDistributionParameters, int rowCount, Tensor klDivergence)
    {
        if (_logits is null)
            throw new InvalidOperationException("EvaluateKl needs an Evaluate call first.");
        _oldLogits = oldDistributionParameters;
        Bernoulli.KlDivergence(oldDistributionParameters.Rows(rowCount), _logits.Rows(rowCount), klDivergence.Rows(rowCount), flagCount);
    }

    public override void Backward(Tensor logProbabilityGradient, Tensor entropyGradient, Tensor? klGradient, int rowCount, Tensor networkOutputGradient)
    {
        if (_logits is null || _actions is null)
            throw new InvalidOperationException("Backward needs an Evaluate call first.");
        Span<float> gradient = networkOutputGradient.Rows(rowCount);
        Bernoulli.Backward(_logits.Rows(rowCount), _actions.Rows(rowCount), logProbabilityGradient.Rows(rowCount), entropyGradient.Rows(rowCount), gradient, flagCount);
        if (klGradient is not null)
            Bernoulli.KlDivergenceBackward(_oldLogits!.Rows(rowCount), _logits.Rows(rowCount), klGradient.Rows(rowCount), gradient, flagCount);
    }

    public override void WriteDistributionParameters(Tensor networkOutput, ReadOnlySpan<bool> actionMasks, int rowCount, Tensor destination) =>
        networkOutput.Rows(rowCount).CopyTo(destination.Rows(rowCount));

    public override void Act(Tensor networkOutput, ReadOnlySpan<bool> actionMasks, int rowCount, SeededRandom random, bool deterministic, Tensor actions, Tensor logProbabilities)
    {
        Span<float> logits = networkOutput.Rows(rowCount);
        Span<float> chosen = actions.Rows(rowCount);
        if (deterministic)
            Bernoulli.Mode(logits, chosen);
        else
            Bernoulli.Sample(logits, random, chosen);
        Tensor entropy = _entropy ?? throw new InvalidOperationException("The policy head has not been sized; call Resize first.");
        Bernoulli.Evaluate(logits, chosen, logProbabilities.Rows(rowCount), entropy.Rows(rowCount), flagCount);
    }
}
