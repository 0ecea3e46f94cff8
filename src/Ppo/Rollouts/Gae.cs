using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Ppo.Internal;

namespace Ppo.Rollouts;

/// <summary>Generalized advantage estimation (Schulman et al. 2016, "High-dimensional continuous control using GAE", eq. 16).</summary>
/// <remarks>
/// <para>Arrays are <c>[steps × environments]</c>, row-major: the element of step <c>t</c> and environment <c>n</c> is at
/// <c>t·N + n</c>. For <c>t = T−1 … 0</c>:</para>
/// <para><c>next = (t = T−1) ? lastValues[n] : values[t+1, n]</c>, <c>live = 1 − dones[t, n]</c>,
/// <c>δ = r[t, n] + γ·next·live − values[t, n]</c>, <c>A[t, n] = δ + γ·λ·live·A[t+1, n]</c>, <c>returns = A + values</c>.</para>
/// <para><c>dones[t, n]</c> is 1 when the episode ended at step <c>t</c> (terminated or truncated). A truncated step is
/// bootstrapped by adding <c>γ·V(final observation)</c> to its reward before this kernel runs, so a time limit is not
/// mistaken for a terminal state. The loop runs over time and is vectorized across environments; every lane computes
/// the same expression as the scalar tail, so results do not depend on the environment count.</para>
/// </remarks>
public static class Gae
{
    /// <summary>Computes advantages and returns for a rollout.</summary>
    /// <param name="rewards">The rewards, <c>steps × environmentCount</c>.</param>
    /// <param name="values">The value estimates of the observations, same size.</param>
    /// <param name="dones">1 where the episode ended at that step, else 0; same size.</param>
    /// <param name="lastValues">The value estimates of the observations after the last step, one per environment.</param>
    /// <param name="environmentCount">The number of environments <c>N</c>; at least 1.</param>
    /// <param name="gamma">The discount γ, in [0, 1].</param>
    /// <param name="lambda">The GAE parameter λ, in [0, 1].</param>
    /// <param name="advantages">Receives the advantages, same size as <paramref name="rewards"/>.</param>
    /// <param name="returns">Receives the returns (advantages + values), same size; may not alias the inputs.</param>
    /// <exception cref="ArgumentException">The sizes disagree.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="gamma"/> or <paramref name="lambda"/> is outside [0, 1].</exception>
    public static void Compute(
        ReadOnlySpan<float> rewards,
        ReadOnlySpan<float> values,
        ReadOnlySpan<float> dones,
        ReadOnlySpan<float> lastValues,
        int environmentCount,
        float gamma,
        float lambda,
        Span<float> advantages,
        Span<float> returns)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(environmentCount);
        if (!(gamma is >= 0f and <= 1f))
            throw new ArgumentOutOfRangeException(nameof(gamma), gamma, "gamma must be in [0, 1].");
        if (!(lambda is >= 0f and <= 1f))
            throw new ArgumentOutOfRangeException(nameof(lambda), lambda, "lambda must be in [0, 1].");
        int length = rewards.Length;
        if (length % environmentCount != 0)
            throw new ArgumentException($"rewards must hold a whole number of steps of {environmentCount} environments (has {length}).", nameof(rewards));
        Guard.HasLength(values, length, nameof(values));
        Guard.HasLength(dones, length, nameof(dones));
        Guard.HasLength(lastValues, environmentCount, nameof(lastValues));
        Guard.HasLength(advantages, length, nameof(advantages));
        Guard.HasLength(returns, length, nameof(returns));

        int steps = length / environmentCount;
        if (steps == 0)
            return;

        float gammaLambda = gamma * lambda;
        ref float r = ref MemoryMarshal.GetReference(rewards);
        ref float v = ref MemoryMarshal.GetReference(values);
        ref float d = ref MemoryMarshal.GetReference(dones);
        ref float last = ref MemoryMarshal.GetReference(lastValues);
        ref float a = ref MemoryMarshal.GetReference(advantages);
        ref float g = ref MemoryMarshal.GetReference(returns);

        int n = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            Vector256<float> one = Vector256<float>.One, gammaV = Vector256.Create(gamma), gammaLambdaV = Vector256.Create(gammaLambda);
            for (; n <= environmentCount - Vector256<float>.Count; n += Vector256<float>.Count)
            {
                Vector256<float> nextValue = Vector256.LoadUnsafe(ref last, (nuint)n);
                Vector256<float> nextAdvantage = Vector256<float>.Zero;
                for (int t = steps - 1; t >= 0; t--)
                {
                    nuint i = (nuint)(t * environmentCount + n);
                    Vector256<float> value = Vector256.LoadUnsafe(ref v, i);
                    Vector256<float> live = one - Vector256.LoadUnsafe(ref d, i);
                    Vector256<float> delta = Vector256.LoadUnsafe(ref r, i) + gammaV * nextValue * live - value;
                    nextAdvantage = delta + gammaLambdaV * live * nextAdvantage;
                    nextAdvantage.StoreUnsafe(ref a, i);
                    (nextAdvantage + value).StoreUnsafe(ref g, i);
                    nextValue = value;
                }
            }
        }

        if (Vector128.IsHardwareAccelerated)
        {
            Vector128<float> one = Vector128<float>.One, gammaV = Vector128.Create(gamma), gammaLambdaV = Vector128.Create(gammaLambda);
            for (; n <= environmentCount - Vector128<float>.Count; n += Vector128<float>.Count)
            {
                Vector128<float> nextValue = Vector128.LoadUnsafe(ref last, (nuint)n);
                Vector128<float> nextAdvantage = Vector128<float>.Zero;
                for (int t = steps - 1; t >= 0; t--)
                {
                    nuint i = (nuint)(t * environmentCount + n);
                    Vector128<float> value = Vector128.LoadUnsafe(ref v, i);
                    Vector128<float> live = one - Vector128.LoadUnsafe(ref d, i);
                    Vector128<float> delta = Vector128.LoadUnsafe(ref r, i) + gammaV * nextValue * live - value;
                    nextAdvantage = delta + gammaLambdaV * live * nextAdvantage;
                    nextAdvantage.StoreUnsafe(ref a, i);
                    (nextAdvantage + value).StoreUnsafe(ref g, i);
                    nextValue = value;
                }
            }
        }

        for (; n < environmentCount; n++)
        {
            float nextValue = lastValues[n];
            float nextAdvantage = 0f;
            for (int t = steps - 1; t >= 0; t--)
            {
                int i = t * environmentCount + n;
                float value = values[i];
                float live = 1f - dones[i];
                float delta = rewards[i] + gamma * nextValue * live - value;
                nextAdvantage = delta + gammaLambda * live * nextAdvantage;
                advantages[i] = nextAdvantage;
                returns[i] = nextAdvantage + value;
                nextValue = value;
            }
        }
    }
}
