using Ppo.Distributions;
using static TorchSharp.torch;

namespace Ppo.TorchSharp;

/// <summary>
/// A product of independent categoricals for a <c>MultiDiscrete</c> action space (Stable-Baselines3's
/// <c>MultiCategoricalDistribution</c>): the policy head outputs the logits of every component one after another, and
/// an action holds one category per component.
/// </summary>
/// <remarks>
/// With component c of <c>n_c</c> categories and <c>log p_c = log_softmax</c> of its logits:
/// <c>log p(a) = Σ_c log p_c(a_c)</c>, <c>H = Σ_c H_c</c>, <c>KL(old ‖ new) = Σ_c Σ_i p_old,ci (log p_old,ci − log p_ci)</c>,
/// the managed engine's <see cref="MultiCategorical"/>. A mask has one flag per category in the same layout, and every
/// component must keep a valid category.
/// </remarks>
public sealed class TorchMultiCategorical : TorchDistribution
{
    private readonly int[] _categoryCounts;
    private readonly long[] _offsets;

    /// <summary>Creates the distribution.</summary>
    /// <param name="categoryCounts">The number of categories of each component; at least one component, each at least 1.</param>
    /// <exception cref="ArgumentException"><paramref name="categoryCounts"/> is empty or holds a count below 1.</exception>
    public TorchMultiCategorical(ReadOnlySpan<int> categoryCounts)
        : base(nameof(TorchMultiCategorical))
    {
        TotalCategoryCount = MultiCategorical.TotalCategoryCount(categoryCounts);
        _categoryCounts = categoryCounts.ToArray();
        _offsets = new long[_categoryCounts.Length];
        for (int c = 1; c < _offsets.Length; c++)
            _offsets[c] = _offsets[c - 1] + _categoryCounts[c - 1];
    }

    /// <summary>Gets the number of categories of each component.</summary>
    public ReadOnlySpan<int> CategoryCounts => _categoryCounts;

    /// <summary>Gets the number of components.</summary>
    public int ComponentCount => _categoryCounts.Length;

    /// <summary>Gets the sum of the category counts, the width of the head output.</summary>
    public int TotalCategoryCount { get; }

    /// <inheritdoc/>
    public override int NetworkOutputSize => TotalCategoryCount;

    /// <inheritdoc/>
    /// <remarks>One category per component.</remarks>
    public override int ActionSize => ComponentCount;

    /// <inheritdoc/>
    /// <remarks>The logits.</remarks>
    public override int DistributionParameterSize => TotalCategoryCount;

    /// <inheritdoc/>
    /// <remarks>One flag per category, component after component.</remarks>
    public override int ActionMaskLength => TotalCategoryCount;

    /// <inheritdoc/>
    public override Tensor LogProbabilities(Tensor headOutput, Tensor actions)
    {
        ArgumentNullException.ThrowIfNull(headOutput);
        ArgumentNullException.ThrowIfNull(actions);
        using Tensor logProbabilities = ComponentLogSoftmax(headOutput);
        using Tensor categories = actions.reshape(-1, ComponentCount).to(ScalarType.Int64);
        using Tensor offsets = tensor(_offsets, device: headOutput.device);
        using Tensor indices = categories + offsets;
        using Tensor taken = logProbabilities.gather(1, indices);
        return taken.sum(1);
    }

    /// <inheritdoc/>
    public override Tensor Entropy(Tensor headOutput)
    {
        ArgumentNullException.ThrowIfNull(headOutput);
        using Tensor logProbabilities = ComponentLogSoftmax(headOutput);
        return TorchCategorical.EntropyOfLogProbabilities(logProbabilities);
    }

    /// <inheritdoc/>
    public override Tensor Sample(Tensor headOutput, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(headOutput);
        using Tensor indices = EachComponent(headOutput, logits =>
        {
            using Tensor probabilities = logits.softmax(-1);
            return multinomial(probabilities, 1, replacement: true, generator: generator);
        });
        return indices.to(ScalarType.Float32);
    }

    /// <inheritdoc/>
    public override Tensor Mode(Tensor headOutput)
    {
        ArgumentNullException.ThrowIfNull(headOutput);
        using Tensor indices = EachComponent(headOutput, logits => logits.argmax(-1, keepdim: true));
        return indices.to(ScalarType.Float32);
    }

    /// <inheritdoc/>
    public override Tensor KlDivergence(Tensor oldDistributionParameters, Tensor headOutput)
    {
        ArgumentNullException.ThrowIfNull(oldDistributionParameters);
        ArgumentNullException.ThrowIfNull(headOutput);
        using Tensor oldLogProbabilities = ComponentLogSoftmax(oldDistributionParameters);
        using Tensor newLogProbabilities = ComponentLogSoftmax(headOutput);
        return TorchCategorical.KlDivergenceOfLogProbabilities(oldLogProbabilities, newLogProbabilities);
    }

    /// <summary>The log-softmax of each component's logits, laid out as the head output, <c>[B, W]</c>.</summary>
    private Tensor ComponentLogSoftmax(Tensor headOutput) => EachComponent(headOutput, logits => logits.log_softmax(-1));

    /// <summary>Applies <paramref name="function"/> to each component's columns of <paramref name="headOutput"/> and joins the results side by side.</summary>
    private Tensor EachComponent(Tensor headOutput, Func<Tensor, Tensor> function)
    {
        var results = new Tensor[ComponentCount];
        try
        {
            for (int c = 0; c < ComponentCount; c++)
            {
                using Tensor logits = headOutput.narrow(1, _offsets[c], _categoryCounts[c]);
                results[c] = function(logits);
            }

            return cat(results, 1);
        }
        finally
        {
            foreach (Tensor? result in results)
                result?.Dispose();
        }
    }
}
