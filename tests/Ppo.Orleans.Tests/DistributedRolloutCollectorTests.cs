using Ppo.Orleans.Tests.Infrastructure;
using Ppo.Orleans.Workers;
using Ppo.Policies;
using Ppo.Training;

namespace Ppo.Orleans.Tests;

public sealed class DistributedRolloutCollectorTests(TwoSiloCluster twoSilos, RedisTestCluster threeSilos) : IClassFixture<TwoSiloCluster>, IClassFixture<RedisTestCluster>
{
    private const int Seed = 3;

    public static TheoryData<string, int, int, int> Runs => new()
    {
        // environment, environments per worker, steps, updates
        { TestEnvironments.CartPole, 2, 32, 3 },
        { TestEnvironments.LunarLander, 2, 128, 2 },
    };

    [Theory]
    [MemberData(nameof(Runs))]
    public void Learn_TwoWorkersOnClusters_ParametersBitIdenticalToLocalStandIn(string environmentName, int environmentsPerWorker, int numSteps, int updates)
    {
        (float[] expected, long expectedSteps, long expectedEpisodes) = Train(new LocalRolloutWorkers(TestEnvironments.CreateRegistry()), environmentName, environmentsPerWorker, numSteps, updates);
        (float[] onTwoSilos, long twoSiloSteps, long twoSiloEpisodes) = Train(new OrleansRolloutWorkers(twoSilos.Cluster.GrainFactory, new OrleansRolloutWorkerOptions { Run = $"two-{environmentName}" }), environmentName, environmentsPerWorker, numSteps, updates);
        (float[] onThreeSilos, _, _) = Train(new OrleansRolloutWorkers(threeSilos.Cluster.GrainFactory, new OrleansRolloutWorkerOptions { Run = $"three-{environmentName}" }), environmentName, environmentsPerWorker, numSteps, updates);

        Assert.Equal(expected, onTwoSilos);
        Assert.Equal(expected, onThreeSilos);
        Assert.Equal(expectedSteps, twoSiloSteps);
        Assert.Equal(expectedEpisodes, twoSiloEpisodes);
    }

    [Fact]
    public void Collect_WithReferencePolicy_ThrowsNotSupported()
    {
        using var workers = new LocalRolloutWorkers(TestEnvironments.CreateRegistry());
        var collector = new DistributedRolloutCollector(workers, WorkerLayout.Even(TestEnvironments.CartPole, 2, 2), TestEnvironments.CreateRegistry(), Seed);
        var policy = new ActorCritic(4, collector.ActionSpace, seed: 1);
        var trainer = new PpoTrainer(collector, new ManagedLearner(policy), new PpoOptions { NumEnvs = 2, NumSteps = 8, BatchSize = 16, Seed = Seed, ReferenceKlCoef = 0.1f }) { ReferencePolicy = policy.Clone() };

        Assert.Throws<NotSupportedException>(() => trainer.Learn(16));
    }

    private static (float[] Parameters, long Timesteps, long Episodes) Train(IRolloutWorkers workers, string environmentName, int environmentsPerWorker, int numSteps, int updates)
    {
        using (workers)
        {
            int numEnvs = 2 * environmentsPerWorker;
            var collector = new DistributedRolloutCollector(workers, WorkerLayout.Even(environmentName, numEnvs, 2), TestEnvironments.CreateRegistry(), Seed);
            var policy = new ActorCritic(collector.ObservationSpace.Size, collector.ActionSpace, seed: 11);
            var options = new PpoOptions { NumEnvs = numEnvs, NumSteps = numSteps, BatchSize = 32, NumEpochs = 2, Seed = Seed };
            var trainer = new PpoTrainer(collector, new ManagedLearner(policy), options);
            trainer.Learn((long)updates * numEnvs * numSteps);
            Assert.Equal(updates, trainer.UpdateCount);
            return (policy.Parameters.Values.ToArray(), trainer.TotalTimesteps, trainer.Episodes.TotalEpisodes);
        }
    }
}
