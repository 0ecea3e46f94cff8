using Ppo.Environments;
using Ppo.Environments.ClassicControl;
using Ppo.Training;

namespace Ppo.Tests.Training;

public sealed class RolloutRecoveriesMetricsTests
{
    [Fact]
    public void Learn_LocalCollector_ReportsNoRolloutRecoveries()
    {
        var options = new PpoOptions { NumEnvs = 2, NumSteps = 16, BatchSize = 16, NumEpochs = 1, Seed = 2 };
        var trainer = new PpoTrainer(SyncVectorEnvironment.Create(2, _ => new CartPole()), options);

        UpdateMetrics metrics = trainer.Learn(64);

        Assert.Equal(0, metrics.RolloutRecoveries);
    }

    [Fact]
    public void FormatRow_RolloutRecoveries_IsTheLastColumn()
    {
        string row = MetricsCsvWriter.FormatRow(new UpdateMetrics { Update = 1, RolloutRecoveries = 2 });

        Assert.EndsWith(",rollout_recoveries", MetricsCsvWriter.Header, StringComparison.Ordinal);
        Assert.EndsWith(",2", row, StringComparison.Ordinal);
    }
}
