using Ppo.Internal;

namespace Ppo.Losses;

/// <summary>The value-function loss of PPO, <c>mean((V − R)²)</c>, plain or clipped around the old values.</summary>
/// <remarks>
/// <para>Plain: <c>loss = mean((V − R)²)</c>, <c>∂loss/∂Vᵢ = 2(Vᵢ − Rᵢ)/B</c>.</para>
/// <para>Clipped (Stable-Baselines3's <c>clip_range_vf</c>): the prediction becomes
/// <c>V_old + clip(V − V_old, −εv, εv)</c> before the squared error; the gradient is zero where the clip is active.</para>
/// </remarks>
public static class ValueLoss
{
    /// <summary>Computes <c>mean((V − R)²)</c> and its gradient.</summary>
    /// <param name="values">The predicted values V.</param>
    /// <param name="returns">The targets R.</param>
    /// <param name="valueGradient">Receives <c>∂loss/∂V</c> (overwritten).</param>
    /// <returns>The loss.</returns>
    /// <exception cref="ArgumentException">The spans differ in length or are empty.</exception>
    public static float Compute(ReadOnlySpan<float> values, ReadOnlySpan<float> returns, Span<float> valueGradient) =>
        Compute(values, values, returns, 0f, clip: false, valueGradient);

    /// <summary>Computes the clipped value loss and its gradient.</summary>
    /// <param name="values">The predicted values V.</param>
    /// <param name="oldValues">The values predicted when the data was collected.</param>
    /// <param name="returns">The targets R.</param>
    /// <param name="clipRange">The value clip range εv; finite and ≥ 0.</param>
    /// <param name="valueGradient">Receives <c>∂loss/∂V</c> (overwritten).</param>
    /// <returns>The loss.</returns>
    /// <exception cref="ArgumentException">The spans differ in length or are empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="clipRange"/> is negative or not finite.</exception>
    public static float ComputeClipped(ReadOnlySpan<float> values, ReadOnlySpan<float> oldValues, ReadOnlySpan<float> returns, float clipRange, Span<float> valueGradient)
    {
        ClippedSurrogate.CheckClipRange(clipRange, nameof(clipRange));
        return Compute(values, oldValues, returns, clipRange, clip: true, valueGradient);
    }

    private static float Compute(ReadOnlySpan<float> values, ReadOnlySpan<float> oldValues, ReadOnlySpan<float> returns, float clipRange, bool clip, Span<float> valueGradient)
    {
        int count = values.Length;
        if (count == 0)
            throw new ArgumentException("The minibatch must not be empty.", nameof(values));
        Guard.HasLength(oldValues, count, nameof(oldValues));
        Guard.HasLength(returns, count, nameof(returns));
        Guard.HasLength(valueGradient, count, nameof(valueGradient));

        float inverseCount = 1f / count;
        double sum = 0;
        for (int i = 0; i < count; i++)
        {
            sum += LossTerms.SquaredError(values[i], oldValues[i], returns[i], clipRange, clip, out float derivative);
            valueGradient[i] = derivative * inverseCount;
        }

        return (float)(sum / count);
    }
}
