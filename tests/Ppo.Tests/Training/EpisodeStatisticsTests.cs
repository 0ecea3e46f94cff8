using Ppo.Training;

namespace Ppo.Tests.Training;

public sealed class EpisodeStatisticsTests
{
    [Fact]
    public void Means_Empty_AreNaN()
    {
        var statistics = new EpisodeStatistics();

        Assert.True(double.IsNaN(statistics.MeanReturn));
        Assert.True(double.IsNaN(statistics.MeanLength));
    }

    [Fact]
    public void Add_BeyondCapacity_KeepsTheMostRecentEpisodes()
    {
        var statistics = new EpisodeStatistics(capacity: 3);

        for (int i = 1; i <= 5; i++)
            statistics.Add(i * 10.0, i);

        Assert.Equal(3, statistics.Count);
        Assert.Equal(5, statistics.TotalEpisodes);
        Assert.Equal(40.0, statistics.MeanReturn);   // 30, 40, 50
        Assert.Equal(4.0, statistics.MeanLength);
    }
}
