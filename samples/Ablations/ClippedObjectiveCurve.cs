using Ppo.Losses;

namespace Ppo.Samples.Ablations;

/// <summary>
/// The per-sample clipped objective <c>min(r·A, clip(r, 1−ε, 1+ε)·A)</c> and its gradient against the probability
/// ratio r, each point computed by <see cref="ClippedSurrogate.Compute"/> on a one-sample batch.
/// </summary>
/// <param name="Advantage">The advantage A of every sample.</param>
/// <param name="ClipRange">The clip range ε.</param>
/// <param name="Ratios">The ratios r, increasing.</param>
/// <param name="Objectives">The objective at each ratio: the negated loss.</param>
/// <param name="Gradients">The gradient of the objective with respect to the new log-probability: the negated gradient of the loss.</param>
public sealed record ClippedObjectiveCurve(float Advantage, float ClipRange, IReadOnlyList<double> Ratios, IReadOnlyList<double> Objectives, IReadOnlyList<double> Gradients)
{
    /// <summary>Evaluates the objective at <paramref name="points"/> ratios evenly spaced over (0, 2], ending at 2.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="points"/> is less than 2.</exception>
    public static ClippedObjectiveCurve Compute(float advantage, float clipRange, int points = 400)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(points, 2);
        var ratios = new double[points];
        for (int i = 0; i < points; i++)
            ratios[i] = 2.0 * (i + 1) / points;
        return Compute(advantage, clipRange, ratios);
    }

    /// <summary>Evaluates the objective at the given positive ratios.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A ratio is not finite and positive, or the clip range is negative or not finite.</exception>
    public static ClippedObjectiveCurve Compute(float advantage, float clipRange, IReadOnlyList<double> ratios)
    {
        ArgumentNullException.ThrowIfNull(ratios);
        var objectives = new double[ratios.Count];
        var gradients = new double[ratios.Count];
        Span<float> newLogProbability = stackalloc float[1];
        ReadOnlySpan<float> oldLogProbability = [0f];
        ReadOnlySpan<float> advantages = [advantage];
        Span<float> lossGradient = stackalloc float[1];
        for (int i = 0; i < ratios.Count; i++)
        {
            if (!double.IsFinite(ratios[i]) || ratios[i] <= 0)
                throw new ArgumentOutOfRangeException(nameof(ratios), ratios[i], "Every ratio must be finite and > 0.");
            newLogProbability[0] = (float)Math.Log(ratios[i]);
            ClippedSurrogateResult result = ClippedSurrogate.Compute(newLogProbability, oldLogProbability, advantages, clipRange, normalizeAdvantage: false, lossGradient);
            objectives[i] = -result.Loss;
            gradients[i] = -lossGradient[0];
        }

        return new ClippedObjectiveCurve(advantage, clipRange, [.. ratios], objectives, gradients);
    }
}
