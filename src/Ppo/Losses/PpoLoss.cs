using Ppo.Internal;

namespace Ppo.Losses;

/// <summary>
/// The complete PPO loss of a minibatch in one fused pass: the policy objective, value loss and entropy bonus, with the
/// gradients with respect to the network outputs that feed them.
/// </summary>
/// <remarks>
/// <para><c>loss = policy + c_v·value − c_e·mean(H)</c> (Schulman et al. 2017, eq. 9, written as a loss as
/// Stable-Baselines3 does). Each term is the one of <see cref="ClippedSurrogate"/>, <see cref="ValueLoss"/> and
/// <see cref="EntropyLoss"/>; this kernel computes them in a single loop over the minibatch.</para>
/// <para>With a KL objective (<see cref="PolicyObjective"/>), the policy term is <c>−mean(s − β·KL)</c> with <c>s</c> the
/// clipped surrogate or, for <see cref="PolicyObjective.KlPenalty"/>, the plain <c>r·A</c> (eq. 8).</para>
/// <para>Gradients (overwritten): <c>∂loss/∂new log p</c>, <c>∂loss/∂V = c_v·∂value/∂V</c>, <c>∂loss/∂H = −c_e/B</c> and,
/// with a KL objective, <c>∂loss/∂KL = β/B</c>.</para>
/// </remarks>
public static class PpoLoss
{
    /// <summary>Computes the combined loss, its parts, the diagnostics and the three output gradients.</summary>
    /// <param name="newLogProbabilities">Log-probabilities of the taken actions under the current policy.</param>
    /// <param name="oldLogProbabilities">Log-probabilities of the same actions when they were collected.</param>
    /// <param name="advantages">The advantage estimates.</param>
    /// <param name="values">The current value predictions.</param>
    /// <param name="oldValues">The value predictions when the data was collected (used by value clipping).</param>
    /// <param name="returns">The value targets.</param>
    /// <param name="entropy">The entropy of each sample's action distribution.</param>
    /// <param name="settings">The coefficients and switches.</param>
    /// <param name="logProbabilityGradient">Receives <c>∂loss/∂new log p</c>.</param>
    /// <param name="valueGradient">Receives <c>∂loss/∂V</c>.</param>
    /// <param name="entropyGradient">Receives <c>∂loss/∂H</c>.</param>
    /// <returns>The loss, its parts and the diagnostics.</returns>
    /// <exception cref="ArgumentException">The spans differ in length or are empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A clip range or coefficient is negative or not finite.</exception>
    public static PpoLossResult Compute(
        ReadOnlySpan<float> newLogProbabilities,
        ReadOnlySpan<float> oldLogProbabilities,
        ReadOnlySpan<float> advantages,
        ReadOnlySpan<float> values,
        ReadOnlySpan<float> oldValues,
        ReadOnlySpan<float> returns,
        ReadOnlySpan<float> entropy,
        PpoLossSettings settings,
        Span<float> logProbabilityGradient,
        Span<float> valueGradient,
        Span<float> entropyGradient) =>
        Compute(newLogProbabilities, oldLogProbabilities, advantages, values, oldValues, returns, entropy, [], settings, logProbabilityGradient, valueGradient, entropyGradient, []);

    /// <summary>Computes the combined loss with a KL objective, its parts, the diagnostics and the four output gradients.</summary>
    /// <param name="newLogProbabilities">Log-probabilities of the taken actions under the current policy.</param>
    /// <param name="oldLogProbabilities">Log-probabilities of the same actions when they were collected.</param>
    /// <param name="advantages">The advantage estimates.</param>
    /// <param name="values">The current value predictions.</param>
    /// <param name="oldValues">The value predictions when the data was collected (used by value clipping).</param>
    /// <param name="returns">The value targets.</param>
    /// <param name="entropy">The entropy of each sample's action distribution.</param>
    /// <param name="klDivergence">KL(π_old ‖ π) of each sample; required (and only read) when the objective penalizes it.</param>
    /// <param name="settings">The coefficients and switches.</param>
    /// <param name="logProbabilityGradient">Receives <c>∂loss/∂new log p</c>.</param>
    /// <param name="valueGradient">Receives <c>∂loss/∂V</c>.</param>
    /// <param name="entropyGradient">Receives <c>∂loss/∂H</c>.</param>
    /// <param name="klGradient">Receives <c>∂loss/∂KL</c> when the objective penalizes it.</param>
    /// <returns>The loss, its parts and the diagnostics.</returns>
    /// <exception cref="ArgumentException">The spans differ in length or are empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A clip range or coefficient is negative or not finite.</exception>
    public static PpoLossResult Compute(
        ReadOnlySpan<float> newLogProbabilities,
        ReadOnlySpan<float> oldLogProbabilities,
        ReadOnlySpan<float> advantages,
        ReadOnlySpan<float> values,
        ReadOnlySpan<float> oldValues,
        ReadOnlySpan<float> returns,
        ReadOnlySpan<float> entropy,
        ReadOnlySpan<float> klDivergence,
        PpoLossSettings settings,
        Span<float> logProbabilityGradient,
        Span<float> valueGradient,
        Span<float> entropyGradient,
        Span<float> klGradient)
    {
        int count = newLogProbabilities.Length;
        if (count == 0)
            throw new ArgumentException("The minibatch must not be empty.", nameof(newLogProbabilities));
        Guard.HasLength(oldLogProbabilities, count, nameof(oldLogProbabilities));
        Guard.HasLength(advantages, count, nameof(advantages));
        Guard.HasLength(values, count, nameof(values));
        Guard.HasLength(oldValues, count, nameof(oldValues));
        Guard.HasLength(returns, count, nameof(returns));
        Guard.HasLength(entropy, count, nameof(entropy));
        Guard.HasLength(logProbabilityGradient, count, nameof(logProbabilityGradient));
        Guard.HasLength(valueGradient, count, nameof(valueGradient));
        Guard.HasLength(entropyGradient, count, nameof(entropyGradient));
        ClippedSurrogate.CheckClipRange(settings.ClipRange, nameof(settings));
        bool clipValues = settings.ValueClipRange.HasValue;
        float valueClipRange = settings.ValueClipRange.GetValueOrDefault();
        if (clipValues)
            ClippedSurrogate.CheckClipRange(valueClipRange, nameof(settings));
        CheckCoefficient(settings.EntropyCoefficient, nameof(settings));
        CheckCoefficient(settings.ValueCoefficient, nameof(settings));
        // A range check, not Enum.IsDefined: that reads the enum's names from a cache the garbage collector may free,
        // and rebuilding it allocated 248 B in the first update after each full collection.
        if (settings.Objective is < PolicyObjective.ClippedSurrogate or > PolicyObjective.ClippedSurrogateWithKlPenalty)
            throw new ArgumentOutOfRangeException(nameof(settings), settings.Objective, "Unknown policy objective.");
        bool penalizeKl = settings.PenalizesKl;
        if (penalizeKl)
        {
            CheckCoefficient(settings.KlCoefficient, nameof(settings));
            Guard.HasLength(klDivergence, count, nameof(klDivergence));
            Guard.HasLength(klGradient, count, nameof(klGradient));
        }

        (float shift, float scale) = LossTerms.AdvantageNormalization(advantages, settings.NormalizeAdvantage);
        float inverseCount = 1f / count;
        float valueScale = settings.ValueCoefficient * inverseCount;
        double termSum = 0, ratioSum = 0, ratioSquares = 0, klSum = 0, squaredErrorSum = 0, entropySum = 0, exactKlSum = 0;
        int clipped = 0;
        for (int i = 0; i < count; i++)
        {
            float advantage = (advantages[i] - shift) * scale;
            termSum += LossTerms.Surrogate(newLogProbabilities[i], oldLogProbabilities[i], advantage, settings.ClipRange, settings.Clips, out float ratio, out float derivative);
            logProbabilityGradient[i] = -derivative * inverseCount;
            ratioSum += ratio;
            ratioSquares += (double)ratio * ratio;
            klSum += ratio - 1f - (newLogProbabilities[i] - oldLogProbabilities[i]);
            if (MathF.Abs(ratio - 1f) > settings.ClipRange)
                clipped++;

            squaredErrorSum += LossTerms.SquaredError(values[i], oldValues[i], returns[i], valueClipRange, clipValues, out float valueDerivative);
            valueGradient[i] = valueDerivative * valueScale;

            entropySum += entropy[i];
            if (penalizeKl)
                exactKlSum += klDivergence[i];
        }

        entropyGradient.Fill(-settings.EntropyCoefficient * inverseCount);
        float meanKl = float.NaN, klPenalty = 0f;
        if (penalizeKl)
        {
            klGradient.Fill(settings.KlCoefficient * inverseCount);
            meanKl = (float)(exactKlSum / count);
            klPenalty = settings.KlCoefficient * meanKl;
        }

        ClippedSurrogateResult policy = ClippedSurrogate.Summarize(count, termSum, ratioSum, ratioSquares, klSum, clipped);
        float valueLoss = (float)(squaredErrorSum / count);
        float entropyLoss = (float)(-entropySum / count);
        float loss = policy.Loss + klPenalty + settings.ValueCoefficient * valueLoss + settings.EntropyCoefficient * entropyLoss;
        return new PpoLossResult(loss, policy, valueLoss, entropyLoss, meanKl);
    }

    private static void CheckCoefficient(float coefficient, string name)
    {
        if (!float.IsFinite(coefficient) || coefficient < 0f)
            throw new ArgumentOutOfRangeException(name, coefficient, "Loss coefficients must be finite and >= 0.");
    }
}
