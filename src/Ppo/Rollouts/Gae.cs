using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Ppo.Internal;
using Ppo.Tensors;

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

        var constants = new GaeConstants(steps, environmentCount, gamma, gammaLambda);
        int n = 0;
        if (Vector256.IsHardwareAccelerated)
            n = ComputeVectors<Vector256Operations, Vector256<float>>(ref r, ref v, ref d, ref last, ref a, ref g, constants, n);
        if (Vector128.IsHardwareAccelerated)
            n = ComputeVectors<Vector128Operations, Vector128<float>>(ref r, ref v, ref d, ref last, ref a, ref g, constants, n);

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

    /// <summary>
    /// Runs the recursion for whole vectors of environments from <paramref name="start"/>, each lane evaluating the same
    /// expression as the scalar loop; returns the first environment it did not cover.
    /// </summary>
    private static int ComputeVectors<TOperations, TVector>(ref float r, ref float v, ref float d, ref float last, ref float a, ref float g, GaeConstants constants, int start)
        where TOperations : struct, IVectorOperations<TVector>
        where TVector : struct
    {
        TVector one = TOperations.Broadcast(1f), gamma = TOperations.Broadcast(constants.Gamma), gammaLambda = TOperations.Broadcast(constants.GammaLambda);
        int environmentCount = constants.EnvironmentCount;
        int n = start;
        for (; n <= environmentCount - TOperations.Count; n += TOperations.Count)
        {
            TVector nextValue = TOperations.Load(ref last, n);
            TVector nextAdvantage = TOperations.Broadcast(0f);
            for (int t = constants.Steps - 1; t >= 0; t--)
            {
                nint i = t * environmentCount + n;
                TVector value = TOperations.Load(ref v, i);
                TVector live = TOperations.Subtract(one, TOperations.Load(ref d, i));
                TVector delta = TOperations.Subtract(TOperations.Add(TOperations.Load(ref r, i), TOperations.Multiply(TOperations.Multiply(gamma, nextValue), live)), value);
                nextAdvantage = TOperations.Add(delta, TOperations.Multiply(TOperations.Multiply(gammaLambda, live), nextAdvantage));
                TOperations.Store(nextAdvantage, ref a, i);
                TOperations.Store(TOperations.Add(nextAdvantage, value), ref g, i);
                nextValue = value;
            }
        }

        return n;
    }

    /// <summary>The sizes and factors of one GAE computation.</summary>
    private readonly record struct GaeConstants(int Steps, int EnvironmentCount, float Gamma, float GammaLambda);
}
