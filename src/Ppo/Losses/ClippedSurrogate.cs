using Ppo.Internal;

namespace Ppo.Losses;

/// <summary>The clipped surrogate objective of PPO (Schulman et al. 2017, eq. 7), as a loss to minimize.</summary>
/// <remarks>
/// <para><c>r = exp(new − old)</c>; <c>loss = −mean(min(r·A, clip(r, 1−ε, 1+ε)·A))</c>.</para>
/// <para>The gradient with respect to each new log-probability is <c>−r·A / B</c> where the unclipped term is the
/// minimum (ties count as unclipped) and 0 elsewhere. When advantage normalization is on and the minibatch holds more
/// than one sample, <c>A</c> is first replaced by <c>(A − mean) / (std + 1e-8)</c> with the unbiased standard
/// deviation, treated as a constant.</para>
/// </remarks>
public static class ClippedSurrogate
{
    /// <summary>Computes the loss, its diagnostics and the gradient with respect to the new log-probabilities.</summary>
    /// <param name="newLogProbabilities">Log-probabilities of the taken actions under the current policy.</param>
    /// <param name="oldLogProbabilities">Log-probabilities of the same actions when they were collected.</param>
    /// <param name="advantages">The advantage estimates.</param>
    /// <param name="clipRange">The clip range ε; finite and ≥ 0.</param>
    /// <param name="normalizeAdvantage">Normalizes the advantages of this minibatch first.</param>
    /// <param name="newLogProbabilityGradient">Receives <c>∂loss/∂new</c> per sample (overwritten).</param>
    /// <returns>The loss and the diagnostics.</returns>
    /// <exception cref="ArgumentException">The spans differ in length or are empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="clipRange"/> is negative or not finite.</exception>
    public static ClippedSurrogateResult Compute(
        ReadOnlySpan<float> newLogProbabilities,
        ReadOnlySpan<float> oldLogProbabilities,
        ReadOnlySpan<float> advantages,
        float clipRange,
        bool normalizeAdvantage,
        Span<float> newLogProbabilityGradient)
    {
        int count = newLogProbabilities.Length;
        if (count == 0)
            throw new ArgumentException("The minibatch must not be empty.", nameof(newLogProbabilities));
        Guard.HasLength(oldLogProbabilities, count, nameof(oldLogProbabilities));
        Guard.HasLength(advantages, count, nameof(advantages));
        Guard.HasLength(newLogProbabilityGradient, count, nameof(newLogProbabilityGradient));
        CheckClipRange(clipRange, nameof(clipRange));

        (float shift, float scale) = LossTerms.AdvantageNormalization(advantages, normalizeAdvantage);
        float inverseCount = 1f / count;
        double termSum = 0, ratioSum = 0, ratioSquares = 0, klSum = 0;
        int clipped = 0;
        for (int i = 0; i < count; i++)
        {
            float advantage = (advantages[i] - shift) * scale;
            float logRatio = newLogProbabilities[i] - oldLogProbabilities[i];
            termSum += LossTerms.Surrogate(newLogProbabilities[i], oldLogProbabilities[i], advantage, clipRange, clip: true, out float ratio, out float derivative);
            newLogProbabilityGradient[i] = -derivative * inverseCount;
            ratioSum += ratio;
            ratioSquares += (double)ratio * ratio;
            klSum += ratio - 1f - logRatio;
            if (MathF.Abs(ratio - 1f) > clipRange)
                clipped++;
        }

        return Summarize(count, termSum, ratioSum, ratioSquares, klSum, clipped);
    }

    internal static ClippedSurrogateResult Summarize(int count, double termSum, double ratioSum, double ratioSquares, double klSum, int clipped)
    {
        double ratioMean = ratioSum / count;
        double ratioVariance = count > 1 ? Math.Max(0, (ratioSquares - count * ratioMean * ratioMean) / (count - 1)) : 0;
        return new ClippedSurrogateResult(
            Loss: (float)(-termSum / count),
            ClipFraction: (float)clipped / count,
            ApproximateKl: (float)(klSum / count),
            RatioMean: (float)ratioMean,
            RatioStandardDeviation: (float)Math.Sqrt(ratioVariance));
    }

    internal static void CheckClipRange(float clipRange, string name)
    {
        if (!float.IsFinite(clipRange) || clipRange < 0f)
            throw new ArgumentOutOfRangeException(name, clipRange, "The clip range must be finite and >= 0.");
    }
}
