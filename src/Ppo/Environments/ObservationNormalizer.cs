using System.Globalization;

namespace Ppo.Environments;

/// <summary>
/// Standardizes observations with running statistics: <c>clip((o − μ)/√(σ² + ε), ±clip)</c>, as Stable-Baselines3's
/// <c>VecNormalize</c> does. Training updates the statistics; inference only applies them.
/// </summary>
public sealed class ObservationNormalizer
{
    /// <summary>Creates a normalizer for observations of <paramref name="size"/> floats with fresh statistics.</summary>
    /// <param name="size">The observation size; at least 1.</param>
    /// <param name="clip">The bound on normalized values; &gt; 0.</param>
    /// <param name="epsilon">Added to the variance before the square root; finite and &gt; 0.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is outside its range.</exception>
    public ObservationNormalizer(int size, float clip = 10f, double epsilon = 1e-8)
    {
        if (!(clip > 0f) || !float.IsFinite(clip))
            throw new ArgumentOutOfRangeException(nameof(clip), clip, "The clip bound must be finite and > 0.");
        if (!(epsilon > 0) || !double.IsFinite(epsilon))
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "epsilon must be finite and > 0.");
        Statistics = new RunningStatistics(size);
        Clip = clip;
        Epsilon = epsilon;
    }

    /// <summary>Gets the running statistics of the raw observations.</summary>
    public RunningStatistics Statistics { get; }

    /// <summary>Gets the bound on normalized values.</summary>
    public float Clip { get; }

    /// <summary>Gets the term added to the variance before the square root.</summary>
    public double Epsilon { get; }

    /// <summary>Gets the observation size.</summary>
    public int Size => Statistics.Size;

    /// <summary>Normalizes observations with the current statistics, without updating them.</summary>
    /// <param name="observations">One or more raw observations, back to back.</param>
    /// <param name="destination">Receives the normalized observations; same length; may be the same memory.</param>
    /// <exception cref="ArgumentException">The lengths differ or are not a multiple of <see cref="Size"/>.</exception>
    public void Normalize(ReadOnlySpan<float> observations, Span<float> destination)
    {
        if (observations.Length != destination.Length || observations.Length % Size != 0)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Both spans must hold the same whole number of observations of {Size} (had {observations.Length} and {destination.Length})."), nameof(observations));
        ReadOnlySpan<double> mean = Statistics.Mean, variance = Statistics.Variance;
        for (int i = 0; i < observations.Length; i++)
        {
            int j = i % Size;
            double normalized = (observations[i] - mean[j]) / Math.Sqrt(variance[j] + Epsilon);
            destination[i] = (float)Math.Clamp(normalized, -Clip, Clip);
        }
    }
}
