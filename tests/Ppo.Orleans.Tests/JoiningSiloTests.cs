using Orleans.TestingHost;
using Ppo.Orleans.Tests.Infrastructure;
using Ppo.Orleans.Workers;
using Ppo.Policies;
using Ppo.Training;

namespace Ppo.Orleans.Tests;

/// <summary>A silo that joins a two-silo cluster during training takes a worker from the next update.</summary>
public sealed class JoiningSiloTests
{
    private const int Seed = 4;
    private const int Workers = 3;

    [Fact]
    [Trait("Category", "Slow")]
    public async Task Learn_SiloJoinsWithCartPole_NextUpdateCollectsOnItAndParametersStayBitIdenticalToLocalStandIn()
    {
        const int NumSteps = 32, Updates = 4, JoinAfter = 2;
        (float[] expected, _) = await Task.Run(() => Train(new LocalRolloutWorkers(TestEnvironments.CreateRegistry()), TestEnvironments.CartPole, 2, NumSteps, Updates, null));
        await using TestCluster cluster = await TwoSiloCluster.StartAsync();
        var join = new JoinSiloAfterUpdate(cluster, JoinAfter);

        (float[] actual, DistributedRolloutCollector collector) = await Task.Run(() => Train(new OrleansRolloutWorkers(cluster.GrainFactory, new OrleansRolloutWorkerOptions { Run = "join-cartpole" }), TestEnvironments.CartPole, 2, NumSteps, Updates, join));

        Assert.Equal(expected, actual);
        Assert.NotNull(join.JoinedSilo);
        Assert.Contains(join.JoinedSilo, join.CollectedByAfterJoin);
        WorkerMove move = Assert.Single(collector.Moves);
        Assert.True(move.KeptState);
        Assert.Equal(JoinAfter, move.PolicyVersion);
        Assert.Equal(0, move.Incarnation);
        Assert.Equal(join.JoinedSilo, move.To);
        Assert.Equal(join.JoinedSilo, join.CollectedByAfterJoin[move.WorkerIndex]);
        Assert.Empty(collector.Recoveries);
        Assert.Equal(0, join.RolloutRecoveriesAfterJoin);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public async Task Learn_SiloJoinsWithLunarLander_NextUpdateCollectsOnItAsANewIncarnationReportedAsARecovery()
    {
        const int NumSteps = 64, Updates = 3, JoinAfter = 1;
        await using TestCluster cluster = await TwoSiloCluster.StartAsync();
        var join = new JoinSiloAfterUpdate(cluster, JoinAfter);

        (_, DistributedRolloutCollector collector) = await Task.Run(() => Train(new OrleansRolloutWorkers(cluster.GrainFactory, new OrleansRolloutWorkerOptions { Run = "join-lunar-lander" }), TestEnvironments.LunarLander, 1, NumSteps, Updates, join));

        Assert.Equal(Updates, collector.UpdatesCollected);
        Assert.NotNull(join.JoinedSilo);
        WorkerMove move = Assert.Single(collector.Moves);
        Assert.False(move.KeptState);
        Assert.Equal(JoinAfter, move.PolicyVersion);
        Assert.Equal(1, move.Incarnation);
        Assert.Equal(join.JoinedSilo, move.To);
        Assert.Equal(join.JoinedSilo, join.CollectedByAfterJoin[move.WorkerIndex]);
        WorkerRecovery recovery = Assert.Single(collector.Recoveries);
        Assert.Equal(move.WorkerIndex, recovery.WorkerIndex);
        Assert.Equal(1, recovery.Incarnation);
        Assert.Equal(JoinAfter, recovery.PolicyVersion);
        Assert.Equal(1, join.RolloutRecoveriesAfterJoin);
    }

    private static (float[] Parameters, DistributedRolloutCollector Collector) Train(IRolloutWorkers workers, string environmentName, int environmentsPerWorker, int numSteps, int updates, TrainingCallback? callback)
    {
        using (workers)
        {
            int numEnvs = Workers * environmentsPerWorker;
            var collector = new DistributedRolloutCollector(workers, WorkerLayout.Even(environmentName, numEnvs, Workers), TestEnvironments.CreateRegistry(), Seed);
            var policy = new ActorCritic(collector.ObservationSpace.Size, collector.ActionSpace, seed: 9);
            var trainer = new PpoTrainer(collector, new ManagedLearner(policy), new PpoOptions { NumEnvs = numEnvs, NumSteps = numSteps, BatchSize = 32, NumEpochs = 2, Seed = Seed });
            trainer.Learn((long)updates * numEnvs * numSteps, callback is null ? [] : [callback]);
            Assert.Equal(updates, trainer.UpdateCount);
            return (policy.Parameters.Values.ToArray(), collector);
        }
    }

    /// <summary>Starts a third silo after one update and reads where the next update's chunks came from.</summary>
    private sealed class JoinSiloAfterUpdate(TestCluster cluster, int update) : TrainingCallback
    {
        private DistributedRolloutCollector? _collector;

        public string? JoinedSilo { get; private set; }

        public IReadOnlyList<string> CollectedByAfterJoin { get; private set; } = [];

        public int RolloutRecoveriesAfterJoin { get; private set; } = -1;

        public override bool OnUpdate(PpoTrainer trainer, in UpdateMetrics metrics)
        {
            _collector ??= (DistributedRolloutCollector)trainer.Collector;
            if (metrics.Update == update)
            {
                SiloHandle joined = cluster.StartAdditionalSiloAsync().GetAwaiter().GetResult();
                cluster.WaitForLivenessToStabilizeAsync().GetAwaiter().GetResult();
                JoinedSilo = joined.SiloAddress.ToString();
            }
            else if (metrics.Update == update + 1)
            {
                CollectedByAfterJoin = _collector.LastMetrics.CollectedBy;
                RolloutRecoveriesAfterJoin = metrics.RolloutRecoveries;
            }

            return true;
        }
    }
}
