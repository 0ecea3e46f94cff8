using Ppo.Internal;
using Ppo.Randomness;

namespace Ppo.Distributions;

/// <summary>
/// Kernels of the diagonal Gaussian distribution over <c>k</c>-dimensional actions with a state-dependent mean
/// (one row of <c>k</c> means per sample) and a state-independent log standard deviation shared by every row
/// (Stable-Baselines3's <c>DiagGaussianDistribution</c>).
/// </summary>
/// <remarks>
/// <para><c>log p(a) = −½ Σⱼ ((aⱼ − μⱼ)/σⱼ)² − Σⱼ log σⱼ − ½ k log 2π</c>; <c>H = Σⱼ log σⱼ + ½ k (1 + log 2π)</c>.</para>
/// <para>Gradients: <c>∂ log p/∂μⱼ = (aⱼ − μⱼ)/σⱼ²</c>, <c>∂ log p/∂ log σⱼ = zⱼ² − 1</c> with <c>zⱼ = (aⱼ − μⱼ)/σⱼ</c>,
/// <c>∂H/∂ log σⱼ = 1</c>.</para>
/// </remarks>
public static class DiagonalGaussian
{
    private const double LogTwoPi = 1.8378770664093453;

    /// <summary>Computes the log-probability of each row's action.</summary>
    /// <param name="mean">The means, <c>rowCount × k</c>.</param>
    /// <param name="logStandardDeviation">The log standard deviations, <c>k</c>.</param>
    /// <param name="actions">The actions, <c>rowCount × k</c>.</param>
    /// <param name="destination">Receives one log-probability per row.</param>
    /// <exception cref="ArgumentException">The sizes disagree.</exception>
    public static void LogProbability(ReadOnlySpan<float> mean, ReadOnlySpan<float> logStandardDeviation, ReadOnlySpan<float> actions, Span<float> destination)
    {
        int k = logStandardDeviation.Length;
        int rowCount = destination.Length;
        CheckSizes(mean, logStandardDeviation, actions, rowCount);
        double constant = -SumOf(logStandardDeviation) - 0.5 * k * LogTwoPi;
        for (int r = 0; r < rowCount; r++)
        {
            double squares = 0;
            for (int j = 0; j < k; j++)
            {
                int i = r * k + j;
                double z = (actions[i] - mean[i]) / Math.Exp(logStandardDeviation[j]);
                squares += z * z;
            }

            destination[r] = (float)(constant - 0.5 * squares);
        }
    }

    /// <summary>Computes the entropy, which is the same for every row: <c>Σ log σ + ½ k (1 + log 2π)</c>.</summary>
    /// <param name="logStandardDeviation">The log standard deviations.</param>
    /// <returns>The entropy.</returns>
    /// <exception cref="ArgumentException">The span is empty.</exception>
    public static float Entropy(ReadOnlySpan<float> logStandardDeviation)
    {
        if (logStandardDeviation.IsEmpty)
            throw new ArgumentException("The distribution needs at least one dimension.", nameof(logStandardDeviation));
        return (float)(SumOf(logStandardDeviation) + 0.5 * logStandardDeviation.Length * (1.0 + LogTwoPi));
    }

    /// <summary>
    /// Computes the gradients of <c>Σ_r (g_r · log p_r(a_r) + h_r · H)</c>: overwrites the mean gradient and adds to the
    /// log-standard-deviation gradient.
    /// </summary>
    /// <param name="mean">The means, <c>rowCount × k</c>.</param>
    /// <param name="logStandardDeviation">The log standard deviations, <c>k</c>.</param>
    /// <param name="actions">The actions, <c>rowCount × k</c>.</param>
    /// <param name="logProbabilityGradient">The upstream gradient <c>g_r</c> of each row's log-probability.</param>
    /// <param name="entropyGradient">The upstream gradient <c>h_r</c> of each row's entropy.</param>
    /// <param name="meanGradient">Receives the gradient with respect to the means (overwritten).</param>
    /// <param name="logStandardDeviationGradient">Accumulates the gradient with respect to the log standard deviations.</param>
    /// <exception cref="ArgumentException">The sizes disagree.</exception>
    public static void Backward(
        ReadOnlySpan<float> mean,
        ReadOnlySpan<float> logStandardDeviation,
        ReadOnlySpan<float> actions,
        ReadOnlySpan<float> logProbabilityGradient,
        ReadOnlySpan<float> entropyGradient,
        Span<float> meanGradient,
        Span<float> logStandardDeviationGradient)
    {
        int k = logStandardDeviation.Length;
        int rowCount = logProbabilityGradient.Length;
        CheckSizes(mean, logStandardDeviation, actions, rowCount);
        Guard.HasLength(entropyGradient, rowCount, nameof(entropyGradient));
        Guard.HasLength(meanGradient, rowCount * k, nameof(meanGradient));
        Guard.HasLength(logStandardDeviationGradient, k, nameof(logStandardDeviationGradient));

        for (int j = 0; j < k; j++)
        {
            double inverseVariance = Math.Exp(-2.0 * logStandardDeviation[j]);
            double logStdSum = 0;
            for (int r = 0; r < rowCount; r++)
            {
                int i = r * k + j;
                double difference = actions[i] - mean[i];
                double g = logProbabilityGradient[r];
                meanGradient[i] = (float)(g * difference * inverseVariance);
                logStdSum += g * (difference * difference * inverseVariance - 1.0) + entropyGradient[r];
            }

            logStandardDeviationGradient[j] += (float)logStdSum;
        }
    }

    /// <summary>Draws <c>a = μ + σ·ε</c> with <c>ε ~ N(0, I)</c>, one Gaussian draw per element in row-major order.</summary>
    /// <param name="mean">The means, <c>rowCount × k</c>.</param>
    /// <param name="logStandardDeviation">The log standard deviations, <c>k</c>.</param>
    /// <param name="random">The generator.</param>
    /// <param name="actions">Receives the actions, <c>rowCount × k</c>.</param>
    /// <exception cref="ArgumentException">The sizes disagree.</exception>
    public static void Sample(ReadOnlySpan<float> mean, ReadOnlySpan<float> logStandardDeviation, SeededRandom random, Span<float> actions)
    {
        ArgumentNullException.ThrowIfNull(random);
        int k = logStandardDeviation.Length;
        if (k == 0 || actions.Length % k != 0)
            throw new ArgumentException($"actions must hold whole rows of {k} (was {actions.Length}).", nameof(actions));
        CheckSizes(mean, logStandardDeviation, actions, actions.Length / k);
        for (int i = 0; i < actions.Length; i++)
            actions[i] = (float)(mean[i] + Math.Exp(logStandardDeviation[i % k]) * random.NextGaussian());
    }

    /// <summary>
    /// Computes <c>KL(old ‖ new)</c> of each row, summed over dimensions:
    /// <c>Σⱼ [log σ'ⱼ − log σⱼ + (σⱼ² + (μⱼ − μ'ⱼ)²) / (2σ'ⱼ²) − ½]</c>, primes marking the new distribution.
    /// </summary>
    /// <param name="oldMean">The old means, <c>rowCount × k</c>.</param>
    /// <param name="oldLogStandardDeviation">The old log standard deviations, <c>k</c>.</param>
    /// <param name="newMean">The new means, <c>rowCount × k</c>.</param>
    /// <param name="newLogStandardDeviation">The new log standard deviations, <c>k</c>.</param>
    /// <param name="destination">Receives one divergence per row.</param>
    /// <exception cref="ArgumentException">The sizes disagree.</exception>
    public static void KlDivergence(ReadOnlySpan<float> oldMean, ReadOnlySpan<float> oldLogStandardDeviation, ReadOnlySpan<float> newMean, ReadOnlySpan<float> newLogStandardDeviation, Span<float> destination)
    {
        int k = newLogStandardDeviation.Length;
        int rowCount = destination.Length;
        CheckSizes(newMean, newLogStandardDeviation, oldMean, rowCount);
        Guard.HasLength(oldLogStandardDeviation, k, nameof(oldLogStandardDeviation));
        for (int r = 0; r < rowCount; r++)
        {
            double sum = 0;
            for (int j = 0; j < k; j++)
            {
                int i = r * k + j;
                double difference = oldMean[i] - (double)newMean[i];
                double oldVariance = Math.Exp(2.0 * oldLogStandardDeviation[j]);
                double newVariance = Math.Exp(2.0 * newLogStandardDeviation[j]);
                sum += newLogStandardDeviation[j] - (double)oldLogStandardDeviation[j] + (oldVariance + difference * difference) / (2.0 * newVariance) - 0.5;
            }

            destination[r] = (float)sum;
        }
    }

    /// <summary>
    /// Adds the gradients of <c>Σ_r g_r · KL(old_r ‖ new_r)</c> with respect to the new means and log standard deviations:
    /// <c>∂/∂μ'ⱼ = g·(μ'ⱼ − μⱼ)/σ'ⱼ²</c>, <c>∂/∂ log σ'ⱼ = g·(1 − (σⱼ² + (μⱼ − μ'ⱼ)²)/σ'ⱼ²)</c>.
    /// </summary>
    /// <param name="oldMean">The old means, <c>rowCount × k</c>.</param>
    /// <param name="oldLogStandardDeviation">The old log standard deviations, <c>k</c>.</param>
    /// <param name="newMean">The new means, <c>rowCount × k</c>.</param>
    /// <param name="newLogStandardDeviation">The new log standard deviations, <c>k</c>.</param>
    /// <param name="klGradient">The upstream gradient <c>g_r</c> of each row's divergence.</param>
    /// <param name="meanGradient">The gradient with respect to the new means, accumulated into.</param>
    /// <param name="logStandardDeviationGradient">The gradient with respect to the new log standard deviations, accumulated into.</param>
    /// <exception cref="ArgumentException">The sizes disagree.</exception>
    public static void KlDivergenceBackward(
        ReadOnlySpan<float> oldMean,
        ReadOnlySpan<float> oldLogStandardDeviation,
        ReadOnlySpan<float> newMean,
        ReadOnlySpan<float> newLogStandardDeviation,
        ReadOnlySpan<float> klGradient,
        Span<float> meanGradient,
        Span<float> logStandardDeviationGradient)
    {
        int k = newLogStandardDeviation.Length;
        int rowCount = klGradient.Length;
        CheckSizes(newMean, newLogStandardDeviation, oldMean, rowCount);
        Guard.HasLength(oldLogStandardDeviation, k, nameof(oldLogStandardDeviation));
        Guard.HasLength(meanGradient, rowCount * k, nameof(meanGradient));
        Guard.HasLength(logStandardDeviationGradient, k, nameof(logStandardDeviationGradient));
        for (int j = 0; j < k; j++)
        {
            double oldVariance = Math.Exp(2.0 * oldLogStandardDeviation[j]);
            double inverseNewVariance = Math.Exp(-2.0 * newLogStandardDeviation[j]);
            double logStdSum = 0;
            for (int r = 0; r < rowCount; r++)
            {
                int i = r * k + j;
                double difference = newMean[i] - (double)oldMean[i];
                double g = klGradient[r];
                meanGradient[i] += (float)(g * difference * inverseNewVariance);
                logStdSum += g * (1.0 - (oldVariance + difference * difference) * inverseNewVariance);
            }

            logStandardDeviationGradient[j] += (float)logStdSum;
        }
    }

    private static void CheckSizes(ReadOnlySpan<float> mean, ReadOnlySpan<float> logStandardDeviation, ReadOnlySpan<float> actions, int rowCount)
    {
        int k = logStandardDeviation.Length;
        if (k == 0)
            throw new ArgumentException("The distribution needs at least one dimension.", nameof(logStandardDeviation));
        Guard.HasLength(mean, rowCount * k, nameof(mean));
        Guard.HasLength(actions, rowCount * k, nameof(actions));
    }

    private static double SumOf(ReadOnlySpan<float> values)
    {
        double sum = 0;
        foreach (float value in values)
            sum += value;
        return sum;
    }
}
