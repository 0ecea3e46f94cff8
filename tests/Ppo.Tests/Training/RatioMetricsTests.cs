using Ppo.Environments;
using Ppo.Environments.ClassicControl;
using Ppo.Training;

namespace Ppo.Tests.Training;

public sealed class RatioMetricsTests
{
    [Fact]
    public void Learn_AnyUpdate_ReportsTheProbabilityRatioMeanAndStandardDeviation()
    {
        var options = new PpoOptions { NumEnvs = 2, NumSteps = 32, BatchSize = 16, NumEpochs = 3, Seed = 4 };
        var trainer = new PpoTrainer(SyncVectorEnvironment.Create(2, _ => new CartPole()), options);

        UpdateMetrics metrics = trainer.Learn(64);

        Assert.InRange(metrics.RatioMean, 0.9f, 1.1f);
        Assert.True(metrics.RatioStandardDeviation is > 0f and < 0.5f, $"The ratio's standard deviation was {metrics.RatioStandardDeviation}.");
        Assert.Contains(",ratio_mean,ratio_std,", MetricsCsvWriter.Header, StringComparison.Ordinal);
    }
}
