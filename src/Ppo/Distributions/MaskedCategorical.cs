using System.Globalization;
using Ppo.Internal;

namespace Ppo.Distributions;

/// <summary>
/// The categorical distribution restricted to the valid actions of a mask: invalid actions get probability exactly 0,
/// are never sampled, and contribute nothing to the entropy or to any gradient.
/// </summary>
/// <remarks>
/// <para>
/// As sb3-contrib's <c>MaskableCategorical</c>, the logits of invalid actions are replaced by <see cref="MaskedLogit"/>
/// (−1e8) before the log-softmax. With at least one valid logit of ordinary size, <c>exp(−1e8 − m)</c> underflows to
/// exactly 0 in float32, so the masked row is a categorical over the valid actions whose log-probabilities stay finite
/// everywhere. A −∞ logit would instead give <c>0 · (−∞) = NaN</c> in the entropy and in every gradient of the row.
/// </para>
/// <para>
/// After <see cref="Normalize"/>, the kernels of <see cref="Categorical"/> applied to the masked log-probabilities and
/// probabilities are exactly those of the masked distribution: <see cref="Categorical.Entropy"/> sums
/// <c>−p log p</c> whose invalid terms are <c>0 · (finite) = 0</c> (so 0·log 0 counts as 0);
/// <see cref="Categorical.Backward"/> writes <c>−g·pᵢ − h·pᵢ(log pᵢ + H)</c> = 0 at invalid actions, the gradient that
/// the replacement gives the original logits; <see cref="Categorical.Sample"/> skips classes without mass;
/// <see cref="Categorical.Mode"/> of the masked log-probabilities picks the most probable valid action;
/// <see cref="Categorical.KlDivergence"/> and <see cref="Categorical.KlDivergenceBackward"/> between two distributions
/// masked the same way get zero terms from the invalid actions. The distribution parameters to store for a later
/// divergence are the masked logits (<see cref="ApplyMask"/>), which carry the mask with them.
/// </para>
/// <para>An engine that follows this contract (the same replacement value, then its own log-softmax) reproduces these values.</para>
/// </remarks>
public static class MaskedCategorical
{
    /// <summary>The logit given to invalid actions, sb3-contrib's <c>HUGE_NEG</c>.</summary>
    public const float MaskedLogit = -1e8f;

    /// <summary>Copies the logits, replacing those of invalid actions by <see cref="MaskedLogit"/>.</summary>
    /// <param name="logits">The logits, <c>rowCount × classCount</c>.</param>
    /// <param name="mask">One flag per logit, <see langword="true"/> for a valid action.</param>
    /// <param name="maskedLogits">Receives the masked logits, same size; may be the same memory as <paramref name="logits"/>.</param>
    /// <param name="rowCount">The number of rows.</param>
    /// <param name="classCount">The number of classes; at least 1.</param>
    /// <exception cref="ArgumentException">The sizes disagree, or a row of <paramref name="mask"/> has no valid action.</exception>
    public static void ApplyMask(ReadOnlySpan<float> logits, ReadOnlySpan<bool> mask, Span<float> maskedLogits, int rowCount, int classCount)
    {
        int length = CheckSizes(rowCount, classCount);
        Guard.HasLength(logits, length, nameof(logits));
        Guard.HasLength(mask, length, nameof(mask));
        Guard.HasLength(maskedLogits, length, nameof(maskedLogits));
        for (int r = 0; r < rowCount; r++)
        {
            int offset = r * classCount;
            if (!ApplyMaskToRow(logits.Slice(offset, classCount), mask.Slice(offset, classCount), maskedLogits.Slice(offset, classCount)))
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Row {r} of the mask has no valid action."), nameof(mask));
        }
    }

    /// <summary>Normalizes each row of logits under its mask into log-probabilities and probabilities.</summary>
    /// <param name="logits">The logits, <c>rowCount × classCount</c>.</param>
    /// <param name="mask">One flag per logit, <see langword="true"/> for a valid action.</param>
    /// <param name="logProbabilities">Receives <c>log p</c>: the log-softmax of the masked logits, finite everywhere.</param>
    /// <param name="probabilities">Receives <c>p</c>, exactly 0 at invalid actions.</param>
    /// <param name="rowCount">The number of rows.</param>
    /// <param name="classCount">The number of classes; at least 1.</param>
    /// <exception cref="ArgumentException">The sizes disagree, or a row of <paramref name="mask"/> has no valid action.</exception>
    public static void Normalize(ReadOnlySpan<float> logits, ReadOnlySpan<bool> mask, Span<float> logProbabilities, Span<float> probabilities, int rowCount, int classCount)
    {
        ApplyMask(logits, mask, logProbabilities, rowCount, classCount);
        Categorical.Normalize(logProbabilities, logProbabilities, probabilities, rowCount, classCount);
    }

    /// <summary>Reads the log-probability of each row's action, which must be valid under the mask.</summary>
    /// <param name="logProbabilities">The masked log-probabilities, <c>rowCount × classCount</c>.</param>
    /// <param name="mask">The mask they were computed under.</param>
    /// <param name="actions">One action per row, each a valid class stored as a float.</param>
    /// <param name="destination">Receives one log-probability per row.</param>
    /// <param name="classCount">The number of classes.</param>
    /// <exception cref="ArgumentException">The sizes disagree, or an action is masked out.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An action is not a class.</exception>
    public static void LogProbability(ReadOnlySpan<float> logProbabilities, ReadOnlySpan<bool> mask, ReadOnlySpan<float> actions, Span<float> destination, int classCount)
    {
        Guard.HasLength(mask, CheckSizes(actions.Length, classCount), nameof(mask));
        Categorical.LogProbability(logProbabilities, actions, destination, classCount);
        for (int r = 0; r < actions.Length; r++)
        {
            if (!mask[r * classCount + (int)actions[r]])
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"The action {actions[r]} of row {r} is masked out."), nameof(actions));
        }
    }

    /// <summary>Writes one row's masked logits and tells whether the row has a valid action.</summary>
    internal static bool ApplyMaskToRow(ReadOnlySpan<float> logits, ReadOnlySpan<bool> mask, Span<float> maskedLogits)
    {
        bool anyValid = false;
        for (int i = 0; i < logits.Length; i++)
        {
            bool valid = mask[i];
            anyValid |= valid;
            maskedLogits[i] = valid ? logits[i] : MaskedLogit;
        }

        return anyValid;
    }

    private static int CheckSizes(int rowCount, int classCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rowCount);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classCount);
        return rowCount * classCount;
    }
}
