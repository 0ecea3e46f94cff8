namespace Ppo.Environments;

/// <summary>
/// The running mean and variance of a stream of vectors, combined batch by batch with the parallel algorithm of Chan,
/// Golub and LeVeque (1979), as Stable-Baselines3's <c>RunningMeanStd</c>; kept in double precision.
/// </summary>
/// <remarks>The statistics start at mean 0, variance 1 and a count of 1e-4, so that the first batch dominates at once.</remarks>
public sealed class RunningStatistics
{
    private readonly double[] _mean;
    private readonly double[] _variance;

    /// <summary>Creates statistics for vectors of <paramref name="size"/> elements.</summary>
    /// <param name="size">The vector length; at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="size"/> is below 1.</exception>
    public RunningStatistics(int size)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        _mean = new double[size];
        _variance = new double[size];
        Array.Fill(_variance, 1.0);
        Count = 1e-4;
    }

    /// <summary>Gets the vector length.</summary>
    public int Size => _mean.Length;

    /// <summary>Gets the running mean of each element.</summary>
    public ReadOnlySpan<double> Mean => _mean;

    /// <summary>Gets the running (population) variance of each element.</summary>
    public ReadOnlySpan<double> Variance => _variance;

    /// <summary>Gets the number of vectors seen, starting from 1e-4.</summary>
    public double Count { get; private set; }

    /// <summary>Folds a batch of vectors into the statistics.</summary>
    /// <param name="batch">The vectors back to back; the length must be a non-zero multiple of <see cref="Size"/>.</param>
    /// <exception cref="ArgumentException">The length is not a non-zero multiple of <see cref="Size"/>.</exception>
    public void Update(ReadOnlySpan<float> batch) => UpdateCore(batch);

    /// <summary>Folds a batch of vectors into the statistics.</summary>
    /// <param name="batch">The vectors back to back; the length must be a non-zero multiple of <see cref="Size"/>.</param>
    /// <exception cref="ArgumentException">The length is not a non-zero multiple of <see cref="Size"/>.</exception>
    public void Update(ReadOnlySpan<double> batch) => UpdateCore(batch);

    private void UpdateCore<T>(ReadOnlySpan<T> batch)
        where T : System.Numerics.INumberBase<T>
    {
        if (batch.Length == 0 || batch.Length % Size != 0)
            throw new ArgumentException($"The batch must hold whole vectors of {Size} (was {batch.Length}).", nameof(batch));
        int rows = batch.Length / Size;
        double total = Count + rows;
        for (int j = 0; j < Size; j++)
        {
            double batchMean = 0;
            for (int r = 0; r < rows; r++)
                batchMean += double.CreateTruncating(batch[r * Size + j]);
            batchMean /= rows;
            double batchVariance = 0;
            for (int r = 0; r < rows; r++)
            {
                double d = double.CreateTruncating(batch[r * Size + j]) - batchMean;
                batchVariance += d * d;
            }

            batchVariance /= rows;
            double delta = batchMean - _mean[j];
            _mean[j] += delta * rows / total;
            double combined = _variance[j] * Count + batchVariance * rows + delta * delta * Count * rows / total;
            _variance[j] = combined / total;
        }

        Count = total;
    }

    /// <summary>Replaces the statistics, as when a checkpoint is loaded.</summary>
    /// <param name="mean">The means, <see cref="Size"/> values.</param>
    /// <param name="variance">The variances, <see cref="Size"/> non-negative values.</param>
    /// <param name="count">The count; finite and &gt; 0.</param>
    /// <exception cref="ArgumentException">A length or value is invalid.</exception>
    public void Set(ReadOnlySpan<double> mean, ReadOnlySpan<double> variance, double count)
    {
        if (mean.Length != Size || variance.Length != Size)
            throw new ArgumentException($"mean and variance must have {Size} values (had {mean.Length} and {variance.Length}).", nameof(mean));
        if (!double.IsFinite(count) || count <= 0)
            throw new ArgumentOutOfRangeException(nameof(count), count, "The count must be finite and > 0.");
        for (int j = 0; j < Size; j++)
        {
            if (!double.IsFinite(mean[j]) || !double.IsFinite(variance[j]) || variance[j] < 0)
                throw new ArgumentException($"Element {j} has mean {mean[j]} and variance {variance[j]}; both must be finite and the variance >= 0.", nameof(variance));
        }

        mean.CopyTo(_mean);
        variance.CopyTo(_variance);
        Count = count;
    }
}
