using Ppo.Environments;
using Ppo.Environments.ClassicControl;

namespace Ppo.Tests.Environments;

public sealed class VectorNormalizationTests
{
    [Fact]
    public void Step_Observations_AreStandardizedWithTheUpdatedStatisticsAndClipped()
    {
        using var normalized = new VectorNormalization(SyncVectorEnvironment.Create(2, _ => new CartPole()), normalizeRewards: false, clipObservation: 0.5f);
        using var raw = SyncVectorEnvironment.Create(2, _ => new CartPole());
        normalized.Reset(seed: 3);
        raw.Reset(seed: 3);

        VectorStep step = normalized.Step([0f, 1f]);
        VectorStep rawStep = raw.Step([0f, 1f]);

        var expected = new float[4];
        for (int i = 0; i < 2; i++)
        {
            ReadOnlySpan<float> row = rawStep.Observation(i);
            for (int j = 0; j < 4; j++)
            {
                double z = (row[j] - normalized.ObservationStatistics.Mean[j]) / Math.Sqrt(normalized.ObservationStatistics.Variance[j] + 1e-8);
                expected[j] = (float)Math.Clamp(z, -0.5, 0.5);
            }

            Assert.Equal(expected, step.Observation(i).ToArray());
        }

        Assert.Equal(2 + 1e-4 + 2, normalized.ObservationStatistics.Count, 9);
    }

    [Fact]
    public void Step_Rewards_AreScaledByTheSpreadOfTheDiscountedReturn()
    {
        using var normalized = new VectorNormalization(SyncVectorEnvironment.Create(1, _ => new CartPole()), normalizeObservations: false, gamma: 0.5f);
        normalized.Reset(seed: 1);

        // CartPole pays 1 per step: the discounted returns are 1, then 1.5.
        normalized.Step([0f]);
        VectorStep second = normalized.Step([0f]);

        var returns = new RunningStatistics(1);
        returns.Update([1.0]);
        returns.Update([1.5]);
        Assert.Equal((float)(1.0 / Math.Sqrt(returns.Variance[0] + 1e-8)), second.Rewards[0], 5);
    }

    [Fact]
    public void Step_EpisodeEnd_NormalizesFinalObservationAndPassesRawEpisodeReturn()
    {
        using var normalized = new VectorNormalization(SyncVectorEnvironment.Create(1, _ => new CartPole(maxEpisodeSteps: 2)));
        normalized.Reset(seed: 2);

        normalized.Step([1f]);
        VectorStep end = normalized.Step([1f]);

        Assert.True(end.Truncated[0]);
        Assert.Equal(2.0, end.EpisodeReturns[0]);
        Assert.Equal(2, end.EpisodeLengths[0]);
        Assert.All(end.FinalObservation(0).ToArray(), value => Assert.InRange(value, -10f, 10f));
    }

    [Fact]
    public void IsTrainingFalse_LeavesStatisticsUnchanged()
    {
        using var normalized = new VectorNormalization(SyncVectorEnvironment.Create(2, _ => new CartPole()));
        normalized.Reset(seed: 1);
        double count = normalized.ObservationStatistics.Count;
        normalized.IsTraining = false;

        normalized.Step([0f, 0f]);
        normalized.Reset();

        Assert.Equal(count, normalized.ObservationStatistics.Count);
        Assert.Equal(1e-4, normalized.ReturnStatistics.Count);
    }

    [Fact]
    public void NormalizeObservation_WrongLength_Throws()
    {
        using var normalized = new VectorNormalization(SyncVectorEnvironment.Create(1, _ => new CartPole()));

        Assert.Throws<ArgumentException>(() => normalized.NormalizeObservation(new float[3], new float[4]));
    }

    [Theory]
    [InlineData(1.5f, 10f, 10f)]
    [InlineData(0.99f, 0f, 10f)]
    [InlineData(0.99f, 10f, -1f)]
    public void Constructor_InvalidSettings_Throw(float gamma, float clipObservation, float clipReward)
    {
        using var inner = SyncVectorEnvironment.Create(1, _ => new CartPole());

        Assert.Throws<ArgumentOutOfRangeException>(() => new VectorNormalization(inner, gamma: gamma, clipObservation: clipObservation, clipReward: clipReward));
    }
}
