using System.Globalization;
using Ppo.Internal;
using Ppo.Randomness;

namespace Ppo.Distributions;

/// <summary>
/// Kernels of the product of independent categoricals that a <c>MultiDiscrete</c> action space needs (Stable-Baselines3's
/// <c>MultiCategoricalDistribution</c>), optionally masked per category (sb3-contrib's
/// <c>MaskableMultiCategoricalDistribution</c>).
/// </summary>
/// <remarks>
/// <para>
/// Component c has <c>n_c</c> categories. A row of logits, log-probabilities, probabilities or mask flags holds the
/// <c>W = Σ n_c</c> values of all components, component after component; a row of actions holds one category per
/// component. Masked components follow <see cref="MaskedCategorical"/>: invalid logits become
/// <see cref="MaskedCategorical.MaskedLogit"/>, and every component must keep a valid category.
/// </para>
/// <para>
/// The log-probability and entropy of the product are sums over the components:
/// <c>log p(a) = Σ_c log p_c(a_c)</c>, <c>H = Σ_c H_c</c>. The gradient of component c's logits is that of its own
/// categorical with the row's upstream gradients: <c>∂/∂x_ci = g·([i = a_c] − p_ci) − h·p_ci·(log p_ci + H_c)</c>.
/// </para>
/// <para>
/// The divergence of two products is the sum of the components' divergences, <c>Σ_c Σ_i p_ci (log p_ci − log q_ci)</c>:
/// a sum over the whole row, so <see cref="Categorical.KlDivergence"/> and <see cref="Categorical.KlDivergenceBackward"/>
/// with <c>classCount = W</c> compute it.
/// </para>
/// </remarks>
public static class MultiCategorical
{
    /// <summary>Returns <c>W = Σ n_c</c>, the width of a row of logits.</summary>
    /// <param name="categoryCounts">The number of categories of each component; at least one component, each at least 1.</param>
    /// <returns>The sum of the category counts.</returns>
    /// <exception cref="ArgumentException"><paramref name="categoryCounts"/> is empty or holds a count below 1.</exception>
    public static int TotalCategoryCount(ReadOnlySpan<int> categoryCounts)
    {
        if (categoryCounts.IsEmpty)
            throw new ArgumentException("A product of categoricals needs at least one component.", nameof(categoryCounts));
        int total = 0;
        for (int c = 0; c < categoryCounts.Length; c++)
        {
            if (categoryCounts[c] < 1)
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Component {c} must have at least 1 category (was {categoryCounts[c]})."), nameof(categoryCounts));
            total = checked(total + categoryCounts[c]);
        }

        return total;
    }

    /// <summary>Normalizes every component of every row, under the mask when one is given.</summary>
    /// <param name="logits">The logits, <c>rowCount × W</c>.</param>
    /// <param name="mask">One flag per logit (<see langword="true"/> for a valid category), or empty for no mask.</param>
    /// <param name="logProbabilities">Receives the per-component log-probabilities, <c>rowCount × W</c>.</param>
    /// <param name="probabilities">Receives the per-component probabilities, <c>rowCount × W</c>.</param>
    /// <param name="rowCount">The number of rows.</param>
    /// <param name="categoryCounts">The number of categories of each component.</param>
    /// <exception cref="ArgumentException">The sizes disagree, or a component of a row has no valid category.</exception>
    public static void Normalize(ReadOnlySpan<float> logits, ReadOnlySpan<bool> mask, Span<float> logProbabilities, Span<float> probabilities, int rowCount, ReadOnlySpan<int> categoryCounts)
    {
        int width = TotalCategoryCount(categoryCounts);
        int length = CheckRows(rowCount, width);
        Guard.HasLength(logits, length, nameof(logits));
        Guard.HasLength(logProbabilities, length, nameof(logProbabilities));
        Guard.HasLength(probabilities, length, nameof(probabilities));
        bool masked = !mask.IsEmpty;
        if (masked)
            Guard.HasLength(mask, length, nameof(mask));

        ReadOnlySpan<float> source = logits;
        if (masked)
        {
            for (int r = 0; r < rowCount; r++)
            {
                int offset = r * width;
                for (int c = 0; c < categoryCounts.Length; offset += categoryCounts[c], c++)
                {
                    int n = categoryCounts[c];
                    if (!MaskedCategorical.ApplyMaskToRow(logits.Slice(offset, n), mask.Slice(offset, n), logProbabilities.Slice(offset, n)))
                        throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Component {c} of row {r} of the mask has no valid category."), nameof(mask));
                }
            }

            source = logProbabilities;
        }

        for (int r = 0; r < rowCount; r++)
        {
            int offset = r * width;
            for (int c = 0; c < categoryCounts.Length; offset += categoryCounts[c], c++)
            {
                int n = categoryCounts[c];
                Categorical.Normalize(source.Slice(offset, n), logProbabilities.Slice(offset, n), probabilities.Slice(offset, n), 1, n);
            }
        }
    }

    /// <summary>Computes <c>log p(a) = Σ_c log p_c(a_c)</c> of each row's action.</summary>
    /// <param name="logProbabilities">The per-component log-probabilities, <c>rowCount × W</c>.</param>
    /// <param name="mask">The mask they were computed under, or empty; with a mask, every component's category must be valid.</param>
    /// <param name="actions">The actions, <c>rowCount × componentCount</c>, each an integer category stored as a float.</param>
    /// <param name="destination">Receives one log-probability per row.</param>
    /// <param name="categoryCounts">The number of categories of each component.</param>
    /// <exception cref="ArgumentException">The sizes disagree, or a category is masked out.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A category is outside its component's range.</exception>
    public static void LogProbability(ReadOnlySpan<float> logProbabilities, ReadOnlySpan<bool> mask, ReadOnlySpan<float> actions, Span<float> destination, ReadOnlySpan<int> categoryCounts)
    {
        int width = TotalCategoryCount(categoryCounts);
        int componentCount = categoryCounts.Length;
        int rowCount = destination.Length;
        Guard.HasLength(logProbabilities, CheckRows(rowCount, width), nameof(logProbabilities));
        Guard.HasLength(actions, rowCount * componentCount, nameof(actions));
        if (!mask.IsEmpty)
            Guard.HasLength(mask, rowCount * width, nameof(mask));

        for (int r = 0; r < rowCount; r++)
        {
            double sum = 0;
            int offset = r * width;
            for (int c = 0; c < componentCount; offset += categoryCounts[c], c++)
            {
                int index = offset + ToCategory(actions[r * componentCount + c], categoryCounts[c], c);
                if (!mask.IsEmpty && !mask[index])
                    throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Category {actions[r * componentCount + c]} of component {c} of row {r} is masked out."), nameof(actions));
                sum += logProbabilities[index];
            }

            destination[r] = (float)sum;
        }
    }

    /// <summary>Computes the entropy <c>H = Σ_c H_c = −Σ p log p</c> over each whole row.</summary>
    /// <param name="logProbabilities">The per-component log-probabilities, <c>rowCount × W</c>.</param>
    /// <param name="probabilities">The per-component probabilities, same size.</param>
    /// <param name="destination">Receives one entropy per row.</param>
    /// <param name="categoryCounts">The number of categories of each component.</param>
    /// <exception cref="ArgumentException">The sizes disagree.</exception>
    public static void Entropy(ReadOnlySpan<float> logProbabilities, ReadOnlySpan<float> probabilities, Span<float> destination, ReadOnlySpan<int> categoryCounts) =>
        Categorical.Entropy(logProbabilities, probabilities, destination, TotalCategoryCount(categoryCounts));

    /// <summary>
    /// Computes the gradient with respect to the logits of <c>Σ_r (g_r · log p_r(a_r) + h_r · H_r)</c>, overwriting
    /// <paramref name="logitsGradient"/>; masked categories get 0.
    /// </summary>
    /// <param name="logProbabilities">The per-component log-probabilities, <c>rowCount × W</c>.</param>
    /// <param name="probabilities">The per-component probabilities, same size.</param>
    /// <param name="actions">The actions, <c>rowCount × componentCount</c>.</param>
    /// <param name="logProbabilityGradient">The upstream gradient <c>g_r</c> of each row's log-probability.</param>
    /// <param name="entropyGradient">The upstream gradient <c>h_r</c> of each row's entropy.</param>
    /// <param name="logitsGradient">Receives the gradient, <c>rowCount × W</c>.</param>
    /// <param name="categoryCounts">The number of categories of each component.</param>
    /// <exception cref="ArgumentException">The sizes disagree.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A category is outside its component's range.</exception>
    /// <remarks>Component c's entropy <c>H_c</c> is recomputed from its own probabilities, so only the row's total entropy needs storing.</remarks>
    public static void Backward(
        ReadOnlySpan<float> logProbabilities,
        ReadOnlySpan<float> probabilities,
        ReadOnlySpan<float> actions,
        ReadOnlySpan<float> logProbabilityGradient,
        ReadOnlySpan<float> entropyGradient,
        Span<float> logitsGradient,
        ReadOnlySpan<int> categoryCounts)
    {
        int width = TotalCategoryCount(categoryCounts);
        int componentCount = categoryCounts.Length;
        int rowCount = logProbabilityGradient.Length;
        int length = CheckRows(rowCount, width);
        Guard.HasLength(logProbabilities, length, nameof(logProbabilities));
        Guard.HasLength(probabilities, length, nameof(probabilities));
        Guard.HasLength(logitsGradient, length, nameof(logitsGradient));
        Guard.HasLength(actions, rowCount * componentCount, nameof(actions));
        Guard.HasLength(entropyGradient, rowCount, nameof(entropyGradient));

        Span<float> componentEntropy = stackalloc float[1];
        for (int r = 0; r < rowCount; r++)
        {
            int offset = r * width;
            for (int c = 0; c < componentCount; offset += categoryCounts[c], c++)
            {
                int n = categoryCounts[c];
                ReadOnlySpan<float> logP = logProbabilities.Slice(offset, n);
                ReadOnlySpan<float> p = probabilities.Slice(offset, n);
                ToCategory(actions[r * componentCount + c], n, c);
                Categorical.Entropy(logP, p, componentEntropy, n);
                Categorical.Backward(
                    logP, p, componentEntropy, actions.Slice(r * componentCount + c, 1),
                    logProbabilityGradient.Slice(r, 1), entropyGradient.Slice(r, 1), logitsGradient.Slice(offset, n), n);
            }
        }
    }

    /// <summary>Draws one category per component of every row, one uniform draw each, rows outer and components inner.</summary>
    /// <param name="probabilities">The per-component probabilities, <c>rowCount × W</c>.</param>
    /// <param name="random">The generator; exactly one <see cref="SeededRandom.NextFloat"/> per component and row.</param>
    /// <param name="actions">Receives the actions, <c>rowCount × componentCount</c>.</param>
    /// <param name="categoryCounts">The number of categories of each component.</param>
    /// <exception cref="ArgumentException">The sizes disagree.</exception>
    /// <remarks>Categories with probability 0, the masked ones among them, are never drawn.</remarks>
    public static void Sample(ReadOnlySpan<float> probabilities, SeededRandom random, Span<float> actions, ReadOnlySpan<int> categoryCounts)
    {
        ArgumentNullException.ThrowIfNull(random);
        int width = TotalCategoryCount(categoryCounts);
        int rowCount = RowsOfActions(actions, categoryCounts.Length);
        Guard.HasLength(probabilities, CheckRows(rowCount, width), nameof(probabilities));
        for (int r = 0; r < rowCount; r++)
        {
            int offset = r * width;
            for (int c = 0; c < categoryCounts.Length; offset += categoryCounts[c], c++)
                Categorical.Sample(probabilities.Slice(offset, categoryCounts[c]), random, actions.Slice(r * categoryCounts.Length + c, 1), categoryCounts[c]);
        }
    }

    /// <summary>Writes the most probable category of every component (the first on ties), the deterministic action.</summary>
    /// <param name="logProbabilities">The per-component log-probabilities (masked ones when masked), <c>rowCount × W</c>.</param>
    /// <param name="actions">Receives the actions, <c>rowCount × componentCount</c>.</param>
    /// <param name="categoryCounts">The number of categories of each component.</param>
    /// <exception cref="ArgumentException">The sizes disagree.</exception>
    public static void Mode(ReadOnlySpan<float> logProbabilities, Span<float> actions, ReadOnlySpan<int> categoryCounts)
    {
        int width = TotalCategoryCount(categoryCounts);
        int rowCount = RowsOfActions(actions, categoryCounts.Length);
        Guard.HasLength(logProbabilities, CheckRows(rowCount, width), nameof(logProbabilities));
        for (int r = 0; r < rowCount; r++)
        {
            int offset = r * width;
            for (int c = 0; c < categoryCounts.Length; offset += categoryCounts[c], c++)
                Categorical.Mode(logProbabilities.Slice(offset, categoryCounts[c]), actions.Slice(r * categoryCounts.Length + c, 1), categoryCounts[c]);
        }
    }

    private static int CheckRows(int rowCount, int width)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rowCount);
        return checked(rowCount * width);
    }

    private static int RowsOfActions(Span<float> actions, int componentCount)
    {
        if (actions.Length % componentCount != 0)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"actions must hold whole rows of {componentCount} components (was {actions.Length})."), nameof(actions));
        return actions.Length / componentCount;
    }

    private static int ToCategory(float action, int categoryCount, int component)
    {
        int index = (int)action;
        if (index != action || (uint)index >= (uint)categoryCount)
            throw new ArgumentOutOfRangeException(nameof(action), action, string.Create(CultureInfo.InvariantCulture, $"Component {component} of an action must be an integer in [0, {categoryCount - 1}]."));
        return index;
    }
}
