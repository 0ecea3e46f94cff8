using Ppo.Distributions;
using Ppo.Randomness;
using Ppo.Tensors;

namespace Ppo.Policies;

/// <summary>
/// A product of independent categoricals for a <c>MultiDiscrete</c> action space, parameterized by the logits of every
/// component one after another (<see cref="MultiCategorical"/>).
/// </summary>
internal sealed class MultiCategoricalHead(int[] categoryCounts) : PolicyHead
{
    private readonly int _width = MultiCategorical.TotalCategoryCount(categoryCounts);
    private Tensor? _logProbabilities;
    private Tensor? _probabilities;
    private Tensor? _oldLogProbabilities;
    private Tensor? _oldProbabilities;
    private Tensor? _actions;

    public override int NetworkOutputSize => _width;

    public override int ActionSize => categoryCounts.Length;

    /// <remarks>The logits.</remarks>
    public override int DistributionParameterSize => _width;

    public override void Resize(int maxRowCount, Device device)
    {
        if (_logProbabilities is not null && _logProbabilities.RowCount >= maxRowCount)
            return;
        _logProbabilities = device.Zeros(maxRowCount, _width);
        _probabilities = device.Zeros(maxRowCount, _width);
        _oldLogProbabilities = device.Zeros(maxRowCount, _width);
        _oldProbabilities = device.Zeros(maxRowCount, _width);
    }

    public override void Evaluate(Tensor networkOutput, Tensor actions, ReadOnlySpan<bool> actionMasks, int rowCount, Tensor logProbabilities, Tensor entropy)
    {
        _actions = actions;
        Normalize(networkOutput, actionMasks, rowCount, LogProbabilities, Probabilities);
        MultiCategorical.LogProbability(LogProbabilities.Rows(rowCount), [], actions.Rows(rowCount), logProbabilities.Rows(rowCount), categoryCounts);
        MultiCategorical.Entropy(LogProbabilities.Rows(rowCount), Probabilities.Rows(rowCount), entropy.Rows(rowCount), categoryCounts);
    }

    public override void EvaluateKl(Tensor oldDistributionParameters, int rowCount, Tensor klDivergence)
    {
        Normalize(oldDistributionParameters, [], rowCount, _oldLogProbabilities!, _oldProbabilities!);
        Categorical.KlDivergence(_oldLogProbabilities!.Rows(rowCount), LogProbabilities.Rows(rowCount), klDivergence.Rows(rowCount), _width);
    }

    public override void Backward(Tensor logProbabilityGradient, Tensor entropyGradient, Tensor? klGradient, int rowCount, Tensor networkOutputGradient)
    {
        if (_actions is null)
            throw new InvalidOperationException("Backward needs an Evaluate call first.");
        Span<float> gradient = networkOutputGradient.Rows(rowCount);
        MultiCategorical.Backward(
            LogProbabilities.Rows(rowCount), Probabilities.Rows(rowCount), _actions.Rows(rowCount),
            logProbabilityGradient.Rows(rowCount), entropyGradient.Rows(rowCount), gradient, categoryCounts);
        if (klGradient is not null)
            Categorical.KlDivergenceBackward(_oldLogProbabilities!.Rows(rowCount), Probabilities.Rows(rowCount), klGradient.Rows(rowCount), gradient, _width);
    }

    public override void WriteDistributionParameters(Tensor networkOutput, ReadOnlySpan<bool> actionMasks, int rowCount, Tensor destination) =>
        HeadKernels.WriteLogits(networkOutput, actionMasks, rowCount, _width, destination);

    public override void Act(Tensor networkOutput, ReadOnlySpan<bool> actionMasks, int rowCount, SeededRandom random, bool deterministic, Tensor actions, Tensor logProbabilities)
    {
        Normalize(networkOutput, actionMasks, rowCount, LogProbabilities, Probabilities);
        Span<float> chosen = actions.Rows(rowCount);
        if (deterministic)
            MultiCategorical.Mode(LogProbabilities.Rows(rowCount), chosen, categoryCounts);
        else
            MultiCategorical.Sample(Probabilities.Rows(rowCount), random, chosen, categoryCounts);
        MultiCategorical.LogProbability(LogProbabilities.Rows(rowCount), [], chosen, logProbabilities.Rows(rowCount), categoryCounts);
    }

    private Tensor LogProbabilities => _logProbabilities ?? throw NotResized();

    private Tensor Probabilities => _probabilities ?? throw NotResized();

    private void Normalize(Tensor logits, ReadOnlySpan<bool> actionMasks, int rowCount, Tensor logProbabilities, Tensor probabilities) =>
        MultiCategorical.Normalize(logits.Rows(rowCount), actionMasks, logProbabilities.Rows(rowCount), probabilities.Rows(rowCount), rowCount, categoryCounts);

    private static InvalidOperationException NotResized() => new("The policy head has not been sized; call Resize first.");
}
