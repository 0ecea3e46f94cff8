using Ppo.Environments;

namespace Ppo.Tests.Environments;

public sealed class RunningStatisticsTests
{
    [Fact]
    public void New_StartsAtMeanZeroVarianceOneAndTinyCount()
    {
        var statistics = new RunningStatistics(2);

        Assert.Equal([0.0, 0.0], statistics.Mean.ToArray());
        Assert.Equal([1.0, 1.0], statistics.Variance.ToArray());
        Assert.Equal(1e-4, statistics.Count);
    }

    [Fact]
    public void Update_InBatches_MatchesTheStatisticsOfAllSamplesTogether()
    {
        // Samples of one element: 1, 2, 3 then 10, 20. Combined with the prior (mean 0, var 1, count 1e-4) the result
        // is the weighted combination of the prior and the population statistics of the five samples.
        var statistics = new RunningStatistics(1);
        statistics.Update([1f, 2f, 3f]);
        statistics.Update([10f, 20f]);

        double[] samples = [1, 2, 3, 10, 20];
        double n = samples.Length, prior = 1e-4, total = n + prior;
        double sampleMean = samples.Average();
        double sampleVariance = samples.Sum(x => (x - sampleMean) * (x - sampleMean)) / n;
        double expectedMean = sampleMean * n / total;
        double expectedVariance = (prior * 1.0 + n * sampleVariance + sampleMean * sampleMean * prior * n / total) / total;
        Assert.Equal(total, statistics.Count, 12);
        Assert.Equal(expectedMean, statistics.Mean[0], 9);
        Assert.Equal(expectedVariance, statistics.Variance[0], 7);
    }

    [Fact]
    public void Update_PerElement_KeepsDimensionsApart()
    {
        var statistics = new RunningStatistics(2);

        statistics.Update([1f, 100f, 3f, 300f]);

        Assert.Equal(2.0, statistics.Mean[0], 3);
        Assert.Equal(200.0, statistics.Mean[1], 1);
    }

    [Fact]
    public void Update_PartialVector_Throws()
    {
        var statistics = new RunningStatistics(2);

        Assert.Throws<ArgumentException>(() => statistics.Update([1f, 2f, 3f]));
        Assert.Throws<ArgumentException>(() => statistics.Update(ReadOnlySpan<float>.Empty));
    }

    [Fact]
    public void Set_RestoresAndValidates()
    {
        var statistics = new RunningStatistics(1);

        statistics.Set([4.0], [9.0], 12.0);

        Assert.Equal(4.0, statistics.Mean[0]);
        Assert.Equal(9.0, statistics.Variance[0]);
        Assert.Equal(12.0, statistics.Count);
        Assert.Throws<ArgumentException>(() => statistics.Set([4.0], [-1.0], 1.0));
        Assert.Throws<ArgumentOutOfRangeException>(() => statistics.Set([4.0], [1.0], 0.0));
        Assert.Throws<ArgumentException>(() => statistics.Set([4.0, 1.0], [1.0], 1.0));
    }
}
