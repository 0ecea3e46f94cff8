using Orleans.TestingHost;
using Ppo.Orleans.Tests.Infrastructure;
using Ppo.Orleans.Workers;
using Ppo.Policies;
using Ppo.Training;

namespace Ppo.Orleans.Tests;

public sealed class DistributedTrainingFaultTests(RedisTestCluster fixture) : IClassFixture<RedisTestCluster>
{
    [Fact]
    public void Learn_OneOfThreeWorkerSilosKilled_CompletesEveryUpdateAndReportsTheRecoveryInTheMetrics()
    {
        const int Updates = 4, NumEnvs = 6, NumSteps = 64;
        using var workers = new OrleansRolloutWorkers(fixture.Cluster.GrainFactory, new OrleansRolloutWorkerOptions { Run = "training-kill", RetryDelay = TimeSpan.FromMilliseconds(200) });
        var collector = new DistributedRolloutCollector(workers, WorkerLayout.Even(TestEnvironments.CartPole, NumEnvs, 3), TestEnvironments.CreateRegistry(), seed: 5);
        var policy = new ActorCritic(4, collector.ActionSpace, seed: 5);
        var trainer = new PpoTrainer(collector, new ManagedLearner(policy), new PpoOptions { NumEnvs = NumEnvs, NumSteps = NumSteps, BatchSize = 64, NumEpochs = 2, Seed = 5 });
        var killer = new KillSiloAfterUpdate(fixture.Cluster, collector, update: 2, worker: 1);
        using var csv = new StringWriter();
        using var metrics = new MetricsCsvWriter(csv);

        trainer.Learn(Updates * NumEnvs * NumSteps, killer, metrics);

        Assert.Equal(Updates, trainer.UpdateCount);
        Assert.Equal(Updates * NumEnvs * NumSteps, trainer.TotalTimesteps);
        Assert.Equal(Updates, collector.UpdatesCollected);
        Assert.NotNull(killer.KilledSilo);
        WorkerRecovery recovery = Assert.Single(collector.Recoveries, r => r.WorkerIndex == 1 && r.Incarnation == 1);
        Assert.Equal(2, recovery.PolicyVersion);
        Assert.DoesNotContain(killer.KilledSilo, collector.LastMetrics.CollectedBy);

        // The trainer's metrics count the recovery in the update that recollected the chunk, and the CSV's last column shows it.
        Assert.Equal(collector.Recoveries.Count, killer.RolloutRecoveries.Sum());
        Assert.Equal([0, 0], killer.RolloutRecoveries[..2]);
        Assert.True(killer.RolloutRecoveries[2] >= 1, $"Update 3 reported {killer.RolloutRecoveries[2]} recoveries.");
        string[] rows = csv.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.EndsWith(",rollout_recoveries", rows[0], StringComparison.Ordinal);
        Assert.Equal(killer.RolloutRecoveries, rows[1..].Select(row => int.Parse(row[(row.LastIndexOf(',') + 1)..], System.Globalization.CultureInfo.InvariantCulture)));
    }

    /// <summary>Kills the silo that collected one worker's chunk of one update, and keeps each update's rollout recoveries.</summary>
    private sealed class KillSiloAfterUpdate(TestCluster cluster, DistributedRolloutCollector collector, int update, int worker) : TrainingCallback
    {
        private readonly List<int> _rolloutRecoveries = [];

        public string? KilledSilo { get; private set; }

        public int[] RolloutRecoveries => [.. _rolloutRecoveries];

        public override bool OnUpdate(PpoTrainer trainer, in UpdateMetrics metrics)
        {
            _rolloutRecoveries.Add(metrics.RolloutRecoveries);
            if (metrics.Update == update)
            {
                KilledSilo = collector.LastMetrics.CollectedBy[worker];
                SiloHandle silo = cluster.GetActiveSilos().Single(s => s.SiloAddress.ToString() == KilledSilo);
                cluster.KillSiloAsync(silo).GetAwaiter().GetResult();
            }

            return true;
        }
    }
}
