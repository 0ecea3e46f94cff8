using System.Runtime.CompilerServices;

namespace Ppo.Losses;

/// <summary>Per-sample terms shared by the separate loss kernels and the fused <see cref="PpoLoss"/> kernel.</summary>
internal static class LossTerms
{
    /// <summary>Advantage normalization as Stable-Baselines3 applies it to a minibatch: <c>(A − mean) / (std + 1e-8)</c>, unbiased std.</summary>
    /// <returns>The shift and the scale to apply as <c>(A − shift) · scale</c>; (0, 1) when disabled or for a single sample.</returns>
    public static (float Shift, float Scale) AdvantageNormalization(ReadOnlySpan<float> advantages, bool normalize)
    {
        int count = advantages.Length;
        if (!normalize || count < 2)
            return (0f, 1f);

        double sum = 0;
        for (int i = 0; i < count; i++)
            sum += advantages[i];
        double mean = sum / count;
        double squares = 0;
        for (int i = 0; i < count; i++)
        {
            double d = advantages[i] - mean;
            squares += d * d;
        }

        double std = Math.Sqrt(squares / (count - 1));
        return ((float)mean, (float)(1.0 / (std + 1e-8)));
    }

    /// <summary>
    /// The clipped-surrogate term of one sample, <c>min(r·A, clip(r, 1−ε, 1+ε)·A)</c> with <c>r = exp(new − old)</c>,
    /// and the derivative of that term with respect to the new log-probability (<c>r·A</c> when the unclipped term is the
    /// minimum, ties included; 0 otherwise). Without <paramref name="clip"/>, the plain surrogate <c>r·A</c>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Surrogate(float newLogProbability, float oldLogProbability, float advantage, float clipRange, bool clip, out float ratio, out float derivative)
    {
        float logRatio = newLogProbability - oldLogProbability;
        ratio = MathF.Exp(logRatio);
        float unclipped = ratio * advantage;
        if (!clip)
        {
            derivative = unclipped;
            return unclipped;
        }

        float clipped = Math.Clamp(ratio, 1f - clipRange, 1f + clipRange) * advantage;
        if (unclipped <= clipped)
        {
            derivative = unclipped;
            return unclipped;
        }

        derivative = 0f;
        return clipped;
    }

    /// <summary>
    /// The squared error of one value prediction, optionally clipped around the old value as Stable-Baselines3 does
    /// (<c>V_old + clip(V − V_old, −εv, εv)</c>), and its derivative with respect to the prediction.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float SquaredError(float value, float oldValue, float target, float clipRange, bool clip, out float derivative)
    {
        float prediction = value;
        float passThrough = 1f;
        if (clip)
        {
            float change = value - oldValue;
            if (change > clipRange)
            {
                prediction = oldValue + clipRange;
                passThrough = 0f;
            }
            else if (change < -clipRange)
            {
                prediction = oldValue - clipRange;
                passThrough = 0f;
            }
        }

        float error = prediction - target;
        derivative = 2f * error * passThrough;
        return error * error;
    }
}
