using Orleans.TestingHost;
using Ppo.Orleans.Policies;
using Ppo.Orleans.Tests.Infrastructure;
using Ppo.Orleans.Workers;
using Ppo.Policies;

namespace Ppo.Orleans.Tests.Workers;

public sealed class OrleansRolloutWorkersTests(RedisTestCluster fixture) : IClassFixture<RedisTestCluster>
{
    private const int Workers = 3;
    private const int EnvironmentsPerWorker = 2;

    [Fact]
    public async Task CollectAsync_SiloOfAWorkerKilledDuringCollection_RecollectsThatChunkOnALiveSilo()
    {
        ActorCritic policy = WorkerLayouts.CreatePolicy(TestEnvironments.LunarLander);
        RolloutWorkerSettings[] layout = Layout(TestEnvironments.LunarLander, policy, numSteps: 1024);
        using var workers = new OrleansRolloutWorkers(fixture.Cluster.GrainFactory, new OrleansRolloutWorkerOptions { Run = "kill", RetryDelay = TimeSpan.FromMilliseconds(200) });
        RolloutChunk[] first = await workers.CollectAsync(layout, WorkerLayouts.Parameters(policy, 0));
        string victim = first[1].CollectedBy;
        SiloHandle victimSilo = fixture.Cluster.GetActiveSilos().Single(silo => silo.SiloAddress.ToString() == victim);

        Task<RolloutChunk[]> during = workers.CollectAsync(layout, WorkerLayouts.Parameters(policy, 1));
        await Task.Delay(50);
        await fixture.Cluster.KillSiloAsync(victimSilo);
        RolloutChunk[][] updates = [first, await during, await workers.CollectAsync(layout, WorkerLayouts.Parameters(policy, 2))];

        // Every update returns every worker's chunk, of its own version, and none from the dead silo after the kill.
        for (int version = 0; version < updates.Length; version++)
        {
            Assert.Equal([0, 1, 2], updates[version].Select(chunk => chunk.WorkerIndex));
            Assert.All(updates[version], chunk => Assert.Equal(version, chunk.PolicyVersion));
        }

        Assert.All(updates[2], chunk => Assert.NotEqual(victim, chunk.CollectedBy));
        WorkerRecovery recovery = Assert.Single(workers.Recoveries.Where(r => r.WorkerIndex == 1).GroupBy(r => r.PolicyVersion)).Last();
        Assert.InRange(recovery.PolicyVersion, 1, 2);

        // The recollected chunk is what a fresh slice of the new incarnation collects for that update.
        RolloutChunk recollected = updates[recovery.PolicyVersion][1];
        Assert.Equal(recovery.Incarnation, recollected.Incarnation);
        using RolloutSlice fresh = WorkerLayouts.LocalSlice(layout[1] with { Incarnation = recovery.Incarnation });
        WorkerLayouts.AssertSameChunk(fresh.Collect(WorkerLayouts.Parameters(policy, recovery.PolicyVersion)), recollected);
    }

    [Fact]
    public async Task CollectAsync_ThreeSiloCluster_MatchesTheLocalStandInBitForBit()
    {
        ActorCritic policy = WorkerLayouts.CreatePolicy(TestEnvironments.CartPole);
        RolloutWorkerSettings[] layout = Layout(TestEnvironments.CartPole, policy, numSteps: 64);
        using var remote = new OrleansRolloutWorkers(fixture.Cluster.GrainFactory, new OrleansRolloutWorkerOptions { Run = "stand-in" });
        using var local = new LocalRolloutWorkers(TestEnvironments.CreateRegistry());

        for (int version = 0; version < 3; version++)
        {
            PolicyParameters parameters = WorkerLayouts.Parameters(policy, version);
            RolloutChunk[] expected = await local.CollectAsync(layout, parameters);
            RolloutChunk[] actual = await remote.CollectAsync(layout, parameters);
            for (int worker = 0; worker < Workers; worker++)
                WorkerLayouts.AssertSameChunk(expected[worker], actual[worker]);
        }

        Assert.Empty(remote.Recoveries);
    }

    private static RolloutWorkerSettings[] Layout(string environmentName, ActorCritic policy, int numSteps) =>
        [.. Enumerable.Range(0, Workers).Select(worker => WorkerLayouts.Settings(environmentName, policy, worker, EnvironmentsPerWorker, numSteps))];
}
