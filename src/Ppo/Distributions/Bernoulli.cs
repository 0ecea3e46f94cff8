using Ppo.Internal;
using Ppo.Randomness;

namespace Ppo.Distributions;

/// <summary>
/// Kernels of independent Bernoulli flags parameterized by one logit each, the distribution of a <c>MultiBinary</c>
/// action space (Stable-Baselines3's <c>BernoulliDistribution</c>): log-probability and entropy summed over a row's
/// flags, sampling, the mode, the divergence and the analytic gradients.
/// </summary>
/// <remarks>
/// <para>With <c>σ(z) = 1 / (1 + e⁻ᶻ)</c> and <c>softplus(z) = log(1 + eᶻ)</c>, evaluated stably as
/// <c>max(z, 0) + log(1 + e^−|z|)</c> in double:</para>
/// <para><c>log p(a) = a·z − softplus(z)</c>, <c>∂ log p(a)/∂z = a − σ(z)</c>;</para>
/// <para><c>H = softplus(z) − z·σ(z)</c>, <c>∂H/∂z = −z·σ(z)·(1 − σ(z))</c>;</para>
/// <para><c>KL(p ‖ q) = σ(z_p)(z_p − z_q) + softplus(z_q) − softplus(z_p)</c>, <c>∂KL/∂z_q = σ(z_q) − σ(z_p)</c>.</para>
/// <para>Each row holds <c>flagCount</c> logits and <c>flagCount</c> actions; the row's value is the sum over its flags.</para>
/// </remarks>
public static class Bernoulli
{
    /// <summary>Computes each row's log-probability <c>Σⱼ (aⱼ·zⱼ − softplus(zⱼ))</c> and entropy <c>Σⱼ (softplus(zⱼ) − zⱼ·σ(zⱼ))</c>.</summary>
    /// <param name="logits">The logits, <c>rowCount × flagCount</c>.</param>
    /// <param name="actions">The actions, same size, each 0 or 1.</param>
    /// <param name="logProbabilities">Receives one log-probability per row.</param>
    /// <param name="entropy">Receives one entropy per row.</param>
    /// <param name="flagCount">The number of flags per row; at least 1.</param>
    /// <exception cref="ArgumentException">The sizes disagree.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An action is neither 0 nor 1.</exception>
    public static void Evaluate(ReadOnlySpan<float> logits, ReadOnlySpan<float> actions, Span<float> logProbabilities, Span<float> entropy, int flagCount)
    {
        int rowCount = logProbabilities.Length;
        int length = CheckSizes(rowCount, flagCount);
        Guard.HasLength(logits, length, nameof(logits));
        Guard.HasLength(actions, length, nameof(actions));
        Guard.HasLength(entropy, rowCount, nameof(entropy));
        for (int r = 0; r < rowCount; r++)
        {
            double logProbability = 0, rowEntropy = 0;
            for (int i = r * flagCount; i < (r + 1) * flagCount; i++)
            {
                double z = logits[i];
                double softplus = Softplus(z);
                logProbability += ToFlag(actions[i]) * z - softplus;
                rowEntropy += softplus - z * Sigmoid(z);
            }

            logProbabilities[r] = (float)logProbability;
            entropy[r] = (float)rowEntropy;
        }
    }

    /// <summary>
    /// Computes the gradient with respect to the logits of <c>Σ_r (g_r · log p_r(a_r) + h_r · H_r)</c>, overwriting
    /// <paramref name="logitsGradient"/>: <c>g·(a − σ(z)) − h·z·σ(z)(1 − σ(z))</c>.
    /// </summary>
    /// <param name="logits">The logits, <c>rowCount × flagCount</c>.</param>
    /// <param name="actions">The actions, same size.</param>
    /// <param name="logProbabilityGradient">The upstream gradient <c>g_r</c> of each row's log-probability.</param>
    /// <param name="entropyGradient">The upstream gradient <c>h_r</c> of each row's entropy.</param>
    /// <param name="logitsGradient">Receives the gradient, <c>rowCount × flagCount</c>.</param>
    /// <param name="flagCount">The number of flags per row.</param>
    /// <exception cref="ArgumentException">The sizes disagree.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An action is neither 0 nor 1.</exception>
    public static void Backward(ReadOnlySpan<float> logits, ReadOnlySpan<float> actions, ReadOnlySpan<float> logProbabilityGradient, ReadOnlySpan<float> entropyGradient, Span<float> logitsGradient, int flagCount)
    {
        int rowCount = logProbabilityGradient.Length;
        int length = CheckSizes(rowCount, flagCount);
        Guard.HasLength(logits, length, nameof(logits));
        Guard.HasLength(actions, length, nameof(actions));
        Guard.HasLength(logitsGradient, length, nameof(logitsGradient));
        Guard.HasLength(entropyGradient, rowCount, nameof(entropyGradient));
        for (int r = 0; r < rowCount; r++)
        {
            double g = logProbabilityGradient[r], h = entropyGradient[r];
            for (int i = r * flagCount; i < (r + 1) * flagCount; i++)
            {
                double z = logits[i];
                double sigmoid = Sigmoid(z);
                logitsGradient[i] = (float)(g * (ToFlag(actions[i]) - sigmoid) - h * z * sigmoid * (1 - sigmoid));
            }
        }
    }

    /// <summary>Draws every flag: 1 when a uniform draw falls below <c>σ(z)</c>, one draw per flag in row-major order.</summary>
    /// <param name="logits">The logits, <c>rowCount × flagCount</c>.</param>
    /// <param name="random">The generator; exactly one <see cref="SeededRandom.NextFloat"/> per flag.</param>
    /// <param name="actions">Receives the flags, same size, as 0 or 1.</param>
    /// <exception cref="ArgumentException">The sizes disagree.</exception>
    public static void Sample(ReadOnlySpan<float> logits, SeededRandom random, Span<float> actions)
    {
        ArgumentNullException.ThrowIfNull(random);
        Guard.HasLength(actions, logits.Length, nameof(actions));
        for (int i = 0; i < logits.Length; i++)
            actions[i] = random.NextFloat() < Sigmoid(logits[i]) ? 1f : 0f;
    }

    /// <summary>Writes the most probable value of every flag: 1 when <c>σ(z) &gt; ½</c> (<c>z &gt; 0</c>), else 0, as PyTorch's <c>round(probs)</c>.</summary>
    /// <param name="logits">The logits.</param>
    /// <param name="actions">Receives the flags, same size.</param>
    /// <exception cref="ArgumentException">The sizes disagree.</exception>
    public static void Mode(ReadOnlySpan<float> logits, Span<float> actions)
    {
        Guard.HasLength(actions, logits.Length, nameof(actions));
        for (int i = 0; i < logits.Length; i++)
            actions[i] = logits[i] > 0f ? 1f : 0f;
    }

    /// <summary>Computes each row's <c>KL(p ‖ q)</c>, summed over its flags, with <c>p</c> the old and <c>q</c> the new distribution.</summary>
    /// <param name="oldLogits">The logits of the old distribution, <c>rowCount × flagCount</c>.</param>
    /// <param name="newLogits">The logits of the new distribution, same size.</param>
    /// <param name="destination">Receives one divergence per row.</param>
    /// <param name="flagCount">The number of flags per row.</param>
    /// <exception cref="ArgumentException">The sizes disagree.</exception>
    public static void KlDivergence(ReadOnlySpan<float> oldLogits, ReadOnlySpan<float> newLogits, Span<float> destination, int flagCount)
    {
        int rowCount = destination.Length;
        int length = CheckSizes(rowCount, flagCount);
        Guard.HasLength(oldLogits, length, nameof(oldLogits));
        Guard.HasLength(newLogits, length, nameof(newLogits));
        for (int r = 0; r < rowCount; r++)
        {
            double sum = 0;
            for (int i = r * flagCount; i < (r + 1) * flagCount; i++)
            {
                double zp = oldLogits[i], zq = newLogits[i];
                sum += Sigmoid(zp) * (zp - zq) + Softplus(zq) - Softplus(zp);
            }

            destination[r] = (float)sum;
        }
    }

    /// <summary>Adds the gradient of <c>Σ_r g_r · KL(p_r ‖ q_r)</c> with respect to the new logits: <c>g·(σ(z_q) − σ(z_p))</c>.</summary>
    /// <param name="oldLogits">The logits of the old distribution, <c>rowCount × flagCount</c>.</param>
    /// <param name="newLogits">The logits of the new distribution, same size.</param>
    /// <param name="klGradient">The upstream gradient <c>g_r</c> of each row's divergence.</param>
    /// <param name="logitsGradient">The gradient with respect to the new logits, accumulated into.</param>
    /// <param name="flagCount">The number of flags per row.</param>
    /// <exception cref="ArgumentException">The sizes disagree.</exception>
    public static void KlDivergenceBackward(ReadOnlySpan<float> oldLogits, ReadOnlySpan<float> newLogits, ReadOnlySpan<float> klGradient, Span<float> logitsGradient, int flagCount)
    {
        int rowCount = klGradient.Length;
        int length = CheckSizes(rowCount, flagCount);
        Guard.HasLength(oldLogits, length, nameof(oldLogits));
        Guard.HasLength(newLogits, length, nameof(newLogits));
        Guard.HasLength(logitsGradient, length, nameof(logitsGradient));
        for (int r = 0; r < rowCount; r++)
        {
            double g = klGradient[r];
            for (int i = r * flagCount; i < (r + 1) * flagCount; i++)
                logitsGradient[i] += (float)(g * (Sigmoid(newLogits[i]) - Sigmoid(oldLogits[i])));
        }
    }

    private static double Sigmoid(double z) => z >= 0 ? 1 / (1 + Math.Exp(-z)) : Math.Exp(z) / (1 + Math.Exp(z));

    private static double Softplus(double z) => Math.Max(z, 0) + Math.Log(1 + Math.Exp(-Math.Abs(z)));

    private static int CheckSizes(int rowCount, int flagCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rowCount);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(flagCount);
        return rowCount * flagCount;
    }

    private static double ToFlag(float action) => action switch
    {
        0f => 0,
        1f => 1,
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, "A MultiBinary action must be 0 or 1."),
    };
}
