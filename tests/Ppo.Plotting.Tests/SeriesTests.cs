namespace Ppo.Plotting.Tests;

public sealed class SeriesTests
{
    [Fact]
    public void RollingMean_Window3_MatchesHandComputedMeans()
    {
        Assert.Equal([1, 1.5, 2, 3, 4], Series.RollingMean([1, 2, 3, 4, 5], 3));
    }

    [Fact]
    public void RollingMean_Window1_CopiesTheValues()
    {
        double[] values = [3, -1, 7];

        double[] means = Series.RollingMean(values, 1);

        Assert.Equal(values, means);
        Assert.NotSame(values, means);
    }

    [Fact]
    public void RollingMean_WindowLongerThanSeries_IsTheRunningMean()
    {
        Assert.Equal([2, 3, 4], Series.RollingMean([2, 4, 6], 10));
    }

    [Fact]
    public void RollingMean_NonFiniteValues_AreLeftOutAndAnEmptyWindowIsNaN()
    {
        double nan = double.NaN;

        double[] means = Series.RollingMean([1, 2, nan, 4, 5, nan, double.PositiveInfinity, nan, 9], 3);

        Assert.Equal([1, 1.5, 1.5, 3, 4.5, 4.5, 5, nan, 9], means);
    }

    [Fact]
    public void RollingMean_LongRandomSeries_MatchesTheMeanOfEachWindow()
    {
        var random = new Random(1234);
        double[] values = Enumerable.Range(0, 1000).Select(_ => random.NextDouble() * 1000 - 500).ToArray();

        double[] means = Series.RollingMean(values, 37);

        for (int i = 0; i < values.Length; i++)
        {
            int start = Math.Max(0, i - 36);
            Assert.Equal(values[start..(i + 1)].Average(), means[i], 1e-9);
        }
    }

    [Fact]
    public void RollingMean_Empty_ReturnsEmpty()
    {
        Assert.Empty(Series.RollingMean([], 5));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-2)]
    public void RollingMean_WindowBelowOne_Throws(int window)
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => Series.RollingMean([1, 2], window));
        Assert.Equal("window", exception.ParamName);
    }
}
