using Orleans.TestingHost;
using Ppo.Orleans.Tests.Infrastructure;
using Ppo.Orleans.Workers;
using Ppo.Policies;
using Ppo.Training;

namespace Ppo.Orleans.Tests;

public sealed class DistributedTrainingFaultTests(RedisTestCluster fixture) : IClassFixture<RedisTestCluster>
{
    [Fact]
    public void Learn_OneOfThreeWorkerSilosKilled_CompletesEveryUpdateAndReportsTheRecovery()
    {
        const int Updates = 4, NumEnvs = 6, NumSteps = 64;
        using var workers = new OrleansRolloutWorkers(fixture.Cluster.GrainFactory, new OrleansRolloutWorkerOptions { Run = "training-kill", RetryDelay = TimeSpan.FromMilliseconds(200) });
        var collector = new DistributedRolloutCollector(workers, WorkerLayout.Even(TestEnvironments.CartPole, NumEnvs, 3), TestEnvironments.CreateRegistry(), seed: 5);
        var policy = new ActorCritic(4, collector.ActionSpace, seed: 5);
        var trainer = new PpoTrainer(collector, new ManagedLearner(policy), new PpoOptions { NumEnvs = NumEnvs, NumSteps = NumSteps, BatchSize = 64, NumEpochs = 2, Seed = 5 });
        var killer = new KillSiloAfterUpdate(fixture.Cluster, collector, update: 2, worker: 1);

        trainer.Learn(Updates * NumEnvs * NumSteps, killer);

        Assert.Equal(Updates, trainer.UpdateCount);
        Assert.Equal(Updates * NumEnvs * NumSteps, trainer.TotalTimesteps);
        Assert.Equal(Updates, collector.UpdatesCollected);
        Assert.NotNull(killer.KilledSilo);
        WorkerRecovery recovery = Assert.Single(collector.Recoveries, r => r.WorkerIndex == 1 && r.Incarnation == 1);
        Assert.Equal(2, recovery.PolicyVersion);
        Assert.True(killer.RecoveriesSeenAtUpdate3 >= 1);
        Assert.DoesNotContain(killer.KilledSilo, collector.LastMetrics.CollectedBy);
    }

    /// <summary>Kills the silo that collected one worker's chunk of one update, and reads the metrics of the next.</summary>
    private sealed class KillSiloAfterUpdate(TestCluster cluster, DistributedRolloutCollector collector, int update, int worker) : TrainingCallback
    {
        public string? KilledSilo { get; private set; }

        public int RecoveriesSeenAtUpdate3 { get; private set; }

        public override bool OnUpdate(PpoTrainer trainer, in UpdateMetrics metrics)
        {
            if (metrics.Update == update)
            {
                KilledSilo = collector.LastMetrics.CollectedBy[worker];
                SiloHandle silo = cluster.GetActiveSilos().Single(s => s.SiloAddress.ToString() == KilledSilo);
                cluster.KillSiloAsync(silo).GetAwaiter().GetResult();
            }
            else if (metrics.Update == update + 1)
            {
                RecoveriesSeenAtUpdate3 = collector.LastMetrics.RecoveriesThisUpdate.Count;
            }

            return true;
        }
    }
}
